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
    }

    public static List<string> BareCommand(Options o)
    {
        string machine = $"virt,gic-version={o.GicVersion}" + (o.El2 ? ",virtualization=on" : "");
        var cmd = new List<string>
        {
            "qemu-system-aarch64", "-M", machine, "-cpu", "cortex-a57", "-m", o.Memory, "-smp", o.Cpus.ToString(),
            "-nographic", "-no-reboot", "-kernel", RepoPaths.GuestImage, "-append", o.GuestBootargs,
        };
        if (o.Dtb is not null)
            cmd.AddRange(new[] { "-dtb", o.Dtb });
        return cmd;
    }

    public static List<string> XenDom0Command(Options o) => new()
    {
        "qemu-system-aarch64", "-M", $"virt,virtualization=on,gic-version={o.GicVersion}", "-cpu", "cortex-a57",
        "-m", o.Memory, "-smp", o.Cpus.ToString(), "-nographic", "-no-reboot", "-kernel", RepoPaths.Xen,
        "-append", $"dom0_mem={o.Dom0Memory} console=dtuart dtuart=/pl011@9000000 loglvl=all guest_loglvl=all {o.XenExtraArgs}".TrimEnd(),
        "-device", $"guest-loader,addr=0x49000000,kernel={RepoPaths.GuestImage},bootargs={o.GuestBootargs}",
    };

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
