using System.Collections.Generic;
using GuestStub.Launch.Bench;
using GuestStub.Launch.Reports;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>bench-guest's comparison of two boots' figures.</summary>
public class GuestBenchTests
{
    private static Dictionary<string, string> F(params (string Key, string Value)[] figures)
    {
        var d = new Dictionary<string, string>();
        foreach ((string k, string v) in figures)
            d[k] = v;
        return d;
    }

    [Fact]
    public void Figures_are_the_bench_keys_of_the_report()
    {
        var report = DomainReport.Parse(new[] { "report bench.counter_hz 62500000", "report status ok", "report bench.dtb.xen-dom0.ratio 0.530" });
        Assert.Equal(F(("bench.counter_hz", "62500000"), ("bench.dtb.xen-dom0.ratio", "0.530")), GuestBench.Figures(report));
    }

    [Fact]
    public void Two_runs_within_a_thousandth_agree_and_the_largest_difference_is_named()
    {
        BenchComparison c = GuestBench.Compare(F(("bench.a", "1000000"), ("bench.b", "0.530"), ("bench.c", "equal")),
            F(("bench.a", "1000017"), ("bench.b", "0.530"), ("bench.c", "equal")));
        Assert.True(c.WithinLimit);
        Assert.Equal(2, c.Compared);
        Assert.Equal("bench.a", c.WorstKey);
        Assert.Equal("2 figures of two runs, largest difference 17.0 ppm (bench.a) (limit 1000 ppm = 0.1%)", c.ToString());
    }

    [Fact]
    public void More_than_a_thousandth_apart_a_changed_word_or_a_missing_figure_fails()
    {
        Assert.False(GuestBench.Compare(F(("bench.a", "1000")), F(("bench.a", "1002"))).WithinLimit);
        BenchComparison word = GuestBench.Compare(F(("bench.c", "equal")), F(("bench.c", "different")));
        Assert.False(word.WithinLimit);
        Assert.Equal(new[] { "bench.c: equal then different" }, word.Mismatches);
        Assert.Equal(new[] { "bench.b: in one run only" }, GuestBench.Compare(F(("bench.a", "1")), F(("bench.a", "1"), ("bench.b", "2"))).Mismatches);
        Assert.False(GuestBench.Compare(F(), F()).WithinLimit);
    }
}
