using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// A malformed DTB handed to the guest (QEMU -dtb) gives one clear error line and a power-off
/// within seconds: never a fault loop, never a hang. The blob is QEMU virt's own tree with one
/// defect that QEMU itself does not look at (it only edits /chosen), so the guest sees it.
/// </summary>
public class MalformedDtbBootTests
{
    private const uint FdtBeginNode = 1, FdtEndNode = 2, FdtProp = 3, FdtNop = 4;

    private static byte[] DumpQemuVirtDtb(string dir) =>
        File.ReadAllBytes(Boots.DumpBareTree(Path.Combine(dir, "virt.dtb"), new BootShape()));

    /// <summary>Offset of the nameoff field of the first property of the node named
    /// <paramref name="nodePrefix"/> (a direct child of the root).</summary>
    private static int FindPropertyNameOffsetField(byte[] dtb, string nodePrefix)
    {
        int structOffset = (int)BinaryPrimitives.ReadUInt32BigEndian(dtb.AsSpan(8));
        int p = structOffset;
        int depth = 0;
        bool inTarget = false;
        while (true)
        {
            uint token = BinaryPrimitives.ReadUInt32BigEndian(dtb.AsSpan(p));
            p += 4;
            switch (token)
            {
                case FdtBeginNode:
                    int end = Array.IndexOf(dtb, (byte)0, p);
                    string name = System.Text.Encoding.ASCII.GetString(dtb, p, end - p);
                    depth++;
                    if (depth == 2 && name.StartsWith(nodePrefix, StringComparison.Ordinal))
                        inTarget = true;
                    p = (end + 1 + 3) & ~3;
                    break;
                case FdtEndNode:
                    depth--;
                    break;
                case FdtProp:
                    int length = (int)BinaryPrimitives.ReadUInt32BigEndian(dtb.AsSpan(p));
                    if (inTarget)
                        return p + 4;
                    p = (p + 8 + length + 3) & ~3;
                    break;
                case FdtNop:
                    break;
                default:
                    throw new InvalidOperationException("node " + nodePrefix + " not found");
            }
        }
    }

    [Fact]
    public void A_property_name_offset_outside_the_strings_block_is_reported_with_its_offset_and_the_guest_powers_off()
    {
        string dir = RepoPaths.TempDirectory("bad-dtb");
        byte[] dtb = DumpQemuVirtDtb(dir);
        int field = FindPropertyNameOffsetField(dtb, "flash@");
        BinaryPrimitives.WriteUInt32BigEndian(dtb.AsSpan(field), 0x00FF_FFF0);
        string bad = Path.Combine(dir, "bad.dtb");
        File.WriteAllBytes(bad, dtb);

        BootRun run = Boots.Bare(new BootShape { Dtb = bad, Timeout = TimeSpan.FromSeconds(30) });

        run.AssertPoweredOff();
        var errors = run.GuestLines().Where(l => l.StartsWith("GuestStub: error:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, "expected exactly one error line\n" + run.Describe());
        Assert.Matches(@"^GuestStub: error: invalid DTB at 0x[0-9a-f]+: property name offset outside the strings block at byte offset 0x[0-9a-f]+ \(totalsize \d+\)$", errors[0]);
        // QEMU re-lays the blob out when it edits /chosen, so the offset in guest memory differs
        // from the file's; it must still point into the structure block, past the header.
        int reported = Convert.ToInt32(System.Text.RegularExpressions.Regex.Match(errors[0], @"at byte offset 0x([0-9a-f]+)").Groups[1].Value, 16);
        int totalSize = int.Parse(System.Text.RegularExpressions.Regex.Match(errors[0], @"totalsize (\d+)").Groups[1].Value);
        Assert.InRange(reported, 40, totalSize - 1);
        Assert.Equal("error invalid-dtb", run.Report("status"));
        Assert.DoesNotContain(run.GuestLines(), l => l.StartsWith("GuestStub: fatal exception", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bus_with_more_than_four_size_cells_is_refused_as_invalid()
    {
        // QEMU loads this blob (it is well-formed FDT), but its cells make reg undecodable: the
        // guest validates all of the tree before trusting any of it.
        string dir = RepoPaths.TempDirectory("bad-cells");
        byte[] dtb = DumpQemuVirtDtb(dir);
        string dts = Path.Combine(dir, "virt.dts");
        File.WriteAllBytes(Path.Combine(dir, "virt.dtb"), dtb);
        var (code, output) = ToolRunner.Run("dtc", "-q", "-I", "dtb", "-O", "dts", "-o", dts, Path.Combine(dir, "virt.dtb"));
        Assert.True(code == 0, output);
        // A memory node under a bus with #size-cells = 5 (more than 4 is rejected).
        string text = File.ReadAllText(dts);
        Assert.Contains("\tmemory@40000000 {", text);
        text = text.Replace("\tmemory@40000000 {", "\tbadbus {\n\t\t#address-cells = <0x02>;\n\t\t#size-cells = <0x05>;\n\t\tdev@0 { reg = <0 0 0 0 0 0 0>; };\n\t};\n\n\tmemory@40000000 {");
        File.WriteAllText(dts, text);
        string bad = Path.Combine(dir, "bad.dtb");
        (code, output) = ToolRunner.Run("dtc", "-q", "-I", "dts", "-O", "dtb", "-o", bad, dts);
        Assert.True(code == 0, output);

        BootRun run = Boots.Bare(new BootShape { Dtb = bad, Timeout = TimeSpan.FromSeconds(30) });

        run.AssertPoweredOff();
        var errors = run.GuestLines().Where(l => l.StartsWith("GuestStub: error:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, "expected exactly one error line\n" + run.Describe());
        Assert.Contains("bad #address-cells, #size-cells or #interrupt-cells", errors[0]);
    }
}
