using System.Linq;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>The reassembly of Xen's console (<see cref="ConsoleLines"/>), without QEMU.</summary>
public class ConsoleLinesTests
{
    [Fact]
    public void A_domU_line_printed_inside_a_long_dom0_line_is_taken_out_and_dom0s_line_joined()
    {
        string[] raw =
        {
            "(XEN) Freed 348kB init memory.",
            "GuestStub: error path: a foreign batch with one bad frame: refused(d1) GuestStub: frontend: page granted: ok",
            " as it must be: -EINVAL (-22)",
            "(d1) report status ok",
            "report status ok",
        };
        Assert.Equal(new[]
        {
            "(XEN) Freed 348kB init memory.",
            "(d1) GuestStub: frontend: page granted: ok",
            "GuestStub: error path: a foreign batch with one bad frame: refused as it must be: -EINVAL (-22)",
            "(d1) report status ok",
            "report status ok",
        }, ConsoleLines.Reassemble(raw).ToArray());
    }

    [Fact]
    public void Xens_own_line_inside_a_dom0_line_and_two_in_a_row_are_taken_out_too()
    {
        string[] raw = { "report peer(XEN) d2v0 message", "(d2) report status ok", ".1.grant-map ok" };
        Assert.Equal(new[] { "(XEN) d2v0 message", "(d2) report status ok", "report peer.1.grant-map ok" },
            ConsoleLines.Reassemble(raw).ToArray());
    }

    [Fact]
    public void Whole_lines_pass_unchanged()
    {
        string[] raw = { "(d1) a", "b", "(XEN) c", "" };
        Assert.Equal(raw, ConsoleLines.Reassemble(raw).ToArray());
    }
}
