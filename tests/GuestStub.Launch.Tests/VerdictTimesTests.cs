using GuestStub.Launch.Running;
using GuestStub.Launch.Serial;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>How long a boot took to its verdicts, as <c>gueststub run</c> tells it.</summary>
public class VerdictTimesTests
{
    [Fact]
    public void The_last_closing_verdict_is_timed_from_the_start_and_from_Xen_s_first_line()
    {
        var times = new VerdictTimes();
        Assert.Null(times.Describe());
        times.OnLine(new ConsoleLine(LineSource.Firmware, -1, "U-Boot 2023.01", "U-Boot 2023.01"));
        Assert.Null(times.XenBanner);
        times.OnLine(new ConsoleLine(LineSource.Xen, -1, "Xen version 4.17.5", "(XEN) Xen version 4.17.5"));
        times.OnLine(new ConsoleLine(LineSource.Domain, 2, "Test result: SUCCESS", "(XEN) DOM2: Test result: SUCCESS"));
        times.OnLine(new ConsoleLine(LineSource.Xen, -1, "Hardware Dom0 halted", "(XEN) Hardware Dom0 halted"));
        times.OnLine(new ConsoleLine(LineSource.Domain, 0, "report status ok", "report status ok"));
        Assert.Equal(2, times.LastVerdictDomain);
        Assert.True(times.LastVerdict >= times.XenBanner);
        Assert.Matches(@"^the last Test result: line \(d2\) \d+\.\d\d s after QEMU's start, \d+\.\d\d s after Xen's first line \(at \d+\.\d\d s\)$", times.Describe());
    }
}
