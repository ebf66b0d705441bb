using System.Linq;
using GuestStub.Launch.Serial;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>Xen's console back in whole lines, each given to the domain that wrote it.</summary>
public class ConsoleSplitterTests
{
    private static (LineSource Source, int Domain, string Text)[] Split(bool underXen, params string[] raw) =>
        ConsoleSplitter.Split(raw, underXen).Select(l => (l.Source, l.Domain, l.Text)).ToArray();

    [Fact]
    public void With_firmware_first_the_lines_before_Xen_s_first_are_the_firmware_s()
    {
        var splitter = new ConsoleSplitter(underXen: true) { FirmwareFirst = true };
        var lines = new[] { "U-Boot 2023.01", "report status ok", "Starting kernel ...(XEN) [    0.019518] Xen version 4.17.5", "report status ok" }
            .SelectMany(splitter.Add).Select(l => (l.Source, l.Domain, l.Text)).ToArray();
        Assert.Equal(new[]
        {
            (LineSource.Firmware, -1, "U-Boot 2023.01"),
            (LineSource.Firmware, -1, "report status ok"),
            (LineSource.Firmware, -1, "Starting kernel ..."),
            (LineSource.Xen, -1, "Xen version 4.17.5"),
            (LineSource.Domain, 0, "report status ok"),
        }, lines);
    }

    [Fact]
    public void Each_prefix_names_its_writer_and_is_taken_off()
    {
        Assert.Equal(new[]
        {
            (LineSource.Xen, -1, "Freed 348kB init memory."),
            (LineSource.Domain, 1, "report status ok"),
            (LineSource.Domain, 12, "GuestStub: powering off"),
            (LineSource.Domain, 2, "report hypervisor none"),
            (LineSource.Domain, 0, "report status ok"),
        }, Split(true, "(XEN) Freed 348kB init memory.", "(d1) report status ok", "(d12) GuestStub: powering off",
            "(XEN) DOM2: report hypervisor none", "report status ok"));
    }

    [Fact]
    public void Console_timestamps_of_every_form_are_taken_off_after_the_prefix()
    {
        Assert.Equal(new[]
        {
            (LineSource.Domain, 1, "report status ok"),
            (LineSource.Domain, 1, "report hypervisor none"),
            (LineSource.Xen, -1, "Xen version 4.20.4"),
            (LineSource.Xen, -1, "date form"),
            (LineSource.Xen, -1, "date with milliseconds"),
            (LineSource.Domain, 3, "raw form"),
        }, Split(true, "(d1) [    6.530387] report status ok", "(XEN) [    3.946119] DOM1: report hypervisor none",
            "(XEN) [  123.000001] Xen version 4.20.4", "(XEN) [2026-12-07 04:42:26] date form",
            "(XEN) [2026-12-07 04:42:26.123] date with milliseconds", "(d3) [00000001a2b3c4d5] raw form"));
    }

    [Fact]
    public void Text_in_brackets_that_is_no_timestamp_stays()
    {
        Assert.Equal(new[] { (LineSource.Domain, 1, "[not a timestamp] hello") }, Split(true, "(d1) [not a timestamp] hello"));
    }

    [Fact]
    public void A_domU_line_printed_inside_a_long_dom0_line_is_taken_out_and_dom0s_line_joined()
    {
        // Xen writes dom0's text 127 bytes at a time; another domain's whole line can come between.
        string line = "GuestStub: error path: a foreign batch with one bad frame: refused as it must be: XENMEM_add_to_physmap_batch(gmfn_foreign) idx=1 gfn=0x1000000 dom=1: -EINVAL (-22)";
        string first = line[..127], rest = line[127..];
        Assert.Equal(new[]
        {
            (LineSource.Xen, -1, "Freed 348kB init memory."),
            (LineSource.Domain, 1, "GuestStub: frontend: page granted: ok"),
            (LineSource.Domain, 0, line),
            (LineSource.Domain, 1, "report status ok"),
            (LineSource.Domain, 0, "report status ok"),
        }, Split(true,
            "(XEN) Freed 348kB init memory.",
            first + "(d1) GuestStub: frontend: page granted: ok",
            rest,
            "(d1) report status ok",
            "report status ok"));
    }

    [Fact]
    public void Xens_own_line_and_two_lines_in_a_row_inside_a_dom0_line_and_a_vpl011_line_too()
    {
        Assert.Equal(new[]
        {
            (LineSource.Xen, -1, "d2v0 message"),
            (LineSource.Domain, 2, "report status ok"),
            (LineSource.Domain, 3, "GuestStub 0.1.0"),
            (LineSource.Domain, 0, "report peer.1.grant-map ok"),
        }, Split(true, "report peer(XEN) d2v0 message", "(d2) report status ok", "(XEN) DOM3: GuestStub 0.1.0", ".1.grant-map ok"));
    }

    [Fact]
    public void A_dom0_line_whose_rest_never_came_is_still_given_at_the_end()
    {
        Assert.Equal(new[] { (LineSource.Domain, 1, "x"), (LineSource.Domain, 0, "cut") }, Split(true, "cut(d1) x"));
    }

    [Fact]
    public void On_a_bare_machine_every_line_is_the_guests_as_it_is()
    {
        Assert.Equal(new[] { (LineSource.Domain, 0, "GuestStub: (d1) looks like a prefix"), (LineSource.Domain, 0, "(XEN) too") },
            Split(false, "GuestStub: (d1) looks like a prefix", "(XEN) too"));
    }

    [Fact]
    public void Whole_lines_pass_unchanged_and_keep_their_raw_form()
    {
        string[] raw = { "(d1) a", "b", "(XEN) c", "" };
        Assert.Equal(raw, ConsoleSplitter.Split(raw, underXen: true).Select(l => l.Raw));
    }
}
