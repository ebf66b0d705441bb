using System;
using System.Collections.Generic;

namespace GuestStub.Boot.Tests;

/// <summary>
/// The QEMU command lines the project boots the guest with, the same as ./build.sh run prints:
/// bare on QEMU virt, or as dom0 under Xen 4.17 through QEMU's guest-loader.
/// </summary>
public static class Qemu
{
    /// <summary>Generous: a boot takes about a second; a loaded CI machine may be slower.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public sealed record Options
    {
        public string Memory { get; init; } = "1G";
        public int Cpus { get; init; } = 1;
        public int GicVersion { get; init; } = 3;
        public string GuestBootargs { get; init; } = "";
        /// <summary>Bare only: start at EL2 (virtualization=on), as a plain QEMU with EL2 does.</summary>
        public bool El2 { get; init; }
        /// <summary>Bare only: a DTB to pass with -dtb instead of QEMU's own.</summary>
        public string? Dtb { get; init; }
        public string Dom0Memory { get; init; } = "128M";
        public string XenExtraArgs { get; init; } = "";
        public TimeSpan Timeout { get; init; } = DefaultTimeout;
        /// <summary>With dom0less domUs: how many (domids 1..N).</summary>
        public int DomUs { get; init; } = 1;
        /// <summary>With dom0less domUs: without xen,enhanced (no hypervisor node), with vpl011.</summary>
        public bool PlainDomUs { get; init; }
        /// <summary>With dom0less domUs: a static event channel between dom0 and each domU.</summary>
        public bool StaticEventChannels { get; init; }
        /// <summary>With dom0less domUs: the image they run (default: the one dom0 runs).</summary>
        public string? DomUImage { get; init; }
        /// <summary>The image to boot: out/guest.img unless a test names another (the test image).</summary>
        public string? Image { get; init; }
        /// <summary>QEMU's -icount shift=0: one instruction per nanosecond of virtual time.</summary>
        public bool Icount { get; init; }
        /// <summary>More QEMU arguments (a -device loader, say), after the rest.</summary>
        public IReadOnlyList<string> ExtraQemuArgs { get; init; } = Array.Empty<string>();
        public string ImagePath => Image ?? RepoPaths.GuestImage;
        public IEnumerable<string> IcountArgs => Icount ? new[] { "-icount", "shift=0" } : Array.Empty<string>();
    }

    private static string BareMachine(Options o) => $"virt,gic-version={o.GicVersion}" + (o.El2 ? ",virtualization=on" : "");

    /// <summary>Xen's command line: QEMU's -append for Xen, the /chosen bootargs for --domu.</summary>
    private static string XenBootargs(Options o) =>
        $"dom0_mem={o.Dom0Memory} console=dtuart dtuart=/pl011@9000000 loglvl=all guest_loglvl=all serial_tx_buffer=256K {o.XenExtraArgs}".TrimEnd();

    public static List<string> BareCommand(Options o)
    {
        var cmd = new List<string>
        {
            "qemu-system-aarch64", "-M", BareMachine(o), "-cpu", "cortex-a57", "-m", o.Memory, "-smp", o.Cpus.ToString(),
            "-nographic", "-no-reboot", "-kernel", o.ImagePath, "-append", o.GuestBootargs,
        };
        cmd.AddRange(o.IcountArgs);
        if (o.Dtb is not null)
            cmd.AddRange(new[] { "-dtb", o.Dtb });
        cmd.AddRange(o.ExtraQemuArgs);
        return cmd;
    }

    /// <summary>The tree QEMU virt would give a bare boot with <paramref name="o"/>, dumped to
    /// <paramref name="path"/> (-M ...,dumpdtb=), for tests that hand the guest an edited copy.</summary>
    public static string DumpBareDtb(string path, Options o)
    {
        var (code, output) = ToolRunner.Run("qemu-system-aarch64", "-M", $"{BareMachine(o)},dumpdtb={path}",
            "-cpu", "cortex-a57", "-m", o.Memory, "-smp", o.Cpus.ToString(), "-nographic");
        Xunit.Assert.True(System.IO.File.Exists(path), "QEMU did not dump its DTB: " + output + " exit " + code);
        return path;
    }

    public static List<string> XenDom0Command(Options o)
    {
        var cmd = new List<string>
        {
            "qemu-system-aarch64", "-M", $"virt,virtualization=on,gic-version={o.GicVersion}", "-cpu", "cortex-a57",
            "-m", o.Memory, "-smp", o.Cpus.ToString(), "-nographic", "-no-reboot", "-kernel", RepoPaths.Xen,
            "-append", XenBootargs(o),
            // Never empty bootargs: without them Xen 4.17 gives QEMU's -append to dom0 and ignores dom0_mem (build.sh).
            "-device", $"guest-loader,addr=0x49000000,kernel={o.ImagePath},bootargs={(o.GuestBootargs.Length == 0 ? "console=hvc0" : o.GuestBootargs)}",
        };
        cmd.AddRange(o.IcountArgs);
        cmd.AddRange(o.ExtraQemuArgs);
        return cmd;
    }

    /// <summary>
    /// Dom0 and dom0less domUs (domU1.., domids 1..N, 128 MiB each), all the guest, in one Xen
    /// boot, with the project's one recipe for the host tree, tests/fixtures/xen/make-domu-dtb.sh
    /// (the same as ./build.sh run --domu). No stub arguments: the domUs learn their domid from
    /// Xen, and dom0 waits for them to finish before it halts the machine.
    /// </summary>
    public static QemuRun XenWithDomU(Options? o = null)
    {
        o ??= new Options();
        string dtb = System.IO.Path.Combine(RepoPaths.TempDirectory("domu"), "virt-domu.dtb");
        string script = System.IO.Path.Combine(RepoPaths.Root, "tests", "fixtures", "xen", "make-domu-dtb.sh");
        var args = new List<string> { "--out", dtb, "--dom0", o.ImagePath, "--domu", o.DomUImage ?? o.ImagePath,
            "--memory", o.Memory, "--cpus", o.Cpus.ToString(), "--gic", o.GicVersion.ToString(),
            "--xen-bootargs", XenBootargs(o),
            "--dom0-bootargs", ("console=hvc0 " + o.GuestBootargs).Trim(),
            "--domu-bootargs", ("console=hvc0 " + o.GuestBootargs).Trim(),
            "--domus", o.DomUs.ToString() };
        if (o.PlainDomUs)
            args.Add("--domu-plain");
        if (o.StaticEventChannels)
            args.Add("--static-evtchn");
        var (code, output) = ToolRunner.Run(script, args.ToArray());
        if (code != 0)
            throw new Xunit.Sdk.XunitException("make-domu-dtb.sh failed: " + output);
        var command = new List<string> { "qemu-system-aarch64" };
        command.AddRange(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        command.AddRange(o.IcountArgs);
        command.AddRange(new[] { "-nographic", "-no-reboot", "-kernel", RepoPaths.Xen });
        command.AddRange(o.ExtraQemuArgs);
        return QemuRun.Start(command, o.Timeout);
    }

    public static QemuRun Bare(Options? o = null)
    {
        o ??= new Options();
        return QemuRun.Start(BareCommand(o), o.Timeout);
    }

    public static QemuRun XenDom0(Options? o = null)
    {
        o ??= new Options();
        return QemuRun.Start(XenDom0Command(o), o.Timeout);
    }
}
