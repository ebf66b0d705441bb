using System;
using System.IO;
using GuestStub.Launch.Flow;
using GuestStub.Launch.Machine;

namespace GuestStub.Launch.Tests;

/// <summary>
/// A checkout in a scratch directory with what the launcher looks for: GuestStub.sln, built
/// images (a few KiB of bytes each) and the Xen releases setup unpacks (files with an arm64
/// Image header). Nothing here boots.
/// </summary>
internal sealed class FakeCheckout : IDisposable
{
    public FakeCheckout(bool xen420 = true)
    {
        Root = Path.Combine(Path.GetTempPath(), "gueststub-launch-tests", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(Root, "out"));
        File.WriteAllText(Path.Combine(Root, "GuestStub.sln"), "");
        WriteBytes(Layout.Guest.Image, 0x178b0);
        WriteBytes(Layout.Guest.Elf, 64);
        WriteBytes(Layout.GuestTests.Image, 0x2000);
        WriteXen(Path.Combine(Root, ".cache", "xen", "boot", "xen-4.17-arm64"));
        if (xen420)
            WriteXen(Path.Combine(Root, ".cache", "xen-4.20", "boot", "xen-4.20-arm64"));
    }

    /// <summary>The host tree the launcher prepares for <paramref name="shape"/> on a fixed base
    /// tree, compiled and decompiled by dtc: as dtc prints it (labels become phandles, string
    /// lists NUL-separated).</summary>
    public static string HostTreeSource(GuestStub.Launch.Running.BootShape shape)
    {
        using var c = new FakeCheckout();
        string tree = GuestStub.Launch.Running.Launcher.Prepare(shape.Describe(c.Layout) with { Flow = Flow }, c.Work).HostTree!;
        HostTool.Result dts = HostTool.Run("dtc", "-q", "-I", "dtb", "-O", "dts", tree);
        Xunit.Assert.True(dts.ExitCode == 0, dts.Output);
        return dts.StandardOutput.Replace("\r", "");
    }

    public string Root { get; }

    public ProjectLayout Layout => new(Root);

    public string Xen417 => Path.Combine(Root, ".cache", "xen", "boot", "xen-4.17-arm64");

    public string Work => Path.Combine(Root, "obj", "work");

    /// <summary>The loader flow with QEMU's tree replaced by a small fixed one: the host tree is
    /// built by dtc alone.</summary>
    public static QemuLoaderFlow Flow => QemuLoaderFlow.Instance with { BaseTree = (_, _) => BaseTree };

    /// <summary>A tree shaped like QEMU virt's where it matters: a /chosen with bootargs.</summary>
    public const string BaseTree = "/dts-v1/;\n\n/ {\n\t#address-cells = <0x02>;\n\t#size-cells = <0x02>;\n\tchosen {\n\t\tstdout-path = \"/pl011@9000000\";\n\t};\n};\n";

    public static void WriteXen(string path)
    {
        var image = new byte[0x1000];
        "ARM\x64"u8.CopyTo(image.AsSpan(0x38));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, image);
    }

    public string WriteBytes(string path, int count)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[count]);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
