using System.Collections.Generic;

namespace GuestStub.Launch.Machine;

/// <summary>
/// The machine QEMU emulates: <c>virt</c> with a Cortex-A57, its GIC, vCPUs and RAM, and how it
/// runs. Data only; the boot flow turns it into arguments (<see cref="Arguments"/>).
/// </summary>
public sealed record QemuMachine
{
    /// <summary>QEMU's emulator for the machine.</summary>
    public const string Emulator = "qemu-system-aarch64";

    /// <summary>The CPU Xen's own arm64 CI boots on; the stub's identity map (39 bits of
    /// physical address) was sized on it.</summary>
    public const string Cpu = "cortex-a57";

    /// <summary>QEMU virt's GICv2 serves at most 8 CPUs; the stub's tests go to 4.</summary>
    public const int MaxCpus = 8;

    public GicVersion Gic { get; init; } = GicVersion.V3;

    public int Cpus { get; init; } = 1;

    public MemorySize Memory { get; init; } = MemorySize.Gibibytes(1);

    /// <summary>EL2 (<c>virtualization=on</c>): what Xen needs, and what a bare boot asks for to
    /// enter the guest at EL2 as a plain QEMU with EL2 does.</summary>
    public bool Virtualization { get; init; }

    /// <summary>QEMU's <c>dtb-randomness</c>: on (QEMU's default), /chosen of its tree gets a
    /// fresh rng-seed and kaslr-seed on every boot. Off wherever a tree is dumped and booted
    /// separately, or captured: the tree is then the same on every boot.</summary>
    public bool DtbRandomness { get; init; } = true;

    /// <summary><c>-icount shift=0,sleep=off</c>: one instruction per nanosecond of virtual
    /// time, so the guest's timings are instruction counts (the counter ticks once per 16)
    /// whatever the host's load. <c>sleep=off</c>: while every vCPU waits (a peer in WFI),
    /// virtual time jumps to the next timer instead of following the host's clock, so counter
    /// ticks across an idle wait do not depend on the host either.</summary>
    public bool Icount { get; init; }

    /// <summary>The value of <c>-M</c>.</summary>
    public string MachineOption =>
        $"virt,gic-version={(int)Gic}" + (Virtualization ? ",virtualization=on" : "") + (DtbRandomness ? "" : ",dtb-randomness=off");

    /// <summary>The machine's arguments: <c>-M</c>, <c>-cpu</c>, <c>-m</c>, <c>-smp</c> and, when
    /// asked, <c>-icount</c>.</summary>
    public IReadOnlyList<string> Arguments
    {
        get
        {
            var args = new List<string> { "-M", MachineOption, "-cpu", Cpu, "-m", Memory.ToString(), "-smp", Cpus.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            if (Icount)
                args.AddRange(new[] { "-icount", "shift=0,sleep=off" });
            return args;
        }
    }

    /// <summary>This machine, or a clear error naming the value out of range.</summary>
    public QemuMachine Validate()
    {
        if (Gic is not (GicVersion.V2 or GicVersion.V3))
            throw new LaunchException($"the GIC version must be 2 or 3, not {(int)Gic}");
        if (Cpus is < 1 or > MaxCpus)
            throw new LaunchException($"the vCPU count must be 1..{MaxCpus}, not {Cpus}");
        return this;
    }
}
