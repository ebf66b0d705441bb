using System;
using System.Collections.Generic;
using GuestStub.Launch.Domains;
using GuestStub.Launch.Flow;
using GuestStub.Launch.Machine;

namespace GuestStub.Launch.Running;

/// <summary>
/// One boot, as data: the machine, the hypervisor (none, or a Xen and its command line), the
/// domains, the boot flow that puts them in the machine, and the bound on how long it may run.
/// <see cref="BootShape"/> makes one from the options of <c>gueststub run</c>; the boot tests
/// and the matrix describe theirs the same way. <see cref="Launcher"/> prepares and runs it.
/// </summary>
public sealed record BootDescription
{
    public QemuMachine Machine { get; init; } = new();

    /// <summary>The hypervisor, or null for a bare machine (the guest is all there is).</summary>
    public XenHypervisor? Xen { get; init; }

    /// <summary>Domain 0: the bare guest, or Xen's hardware domain; null for a dom0less boot
    /// without one (its domUs only, domids from 1).</summary>
    public required Dom0? Dom0 { get; init; }

    /// <summary>The dom0less domUs, domids 1..N in order; under Xen only.</summary>
    public IReadOnlyList<DomU> DomUs { get; init; } = Array.Empty<DomU>();

    public BootFlow Flow { get; init; } = QemuLoaderFlow.Instance;

    /// <summary>How long QEMU may run before it is stopped.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A bare boot only: a tree to hand the guest instead of QEMU's own (<c>-dtb</c>).</summary>
    public string? Dtb { get; init; }

    /// <summary>Files QEMU puts in guest memory before the boot (its loader device).</summary>
    public IReadOnlyList<LoadedFile> Files { get; init; } = Array.Empty<LoadedFile>();

    /// <summary>When set, the machine starts halted with QEMU's gdb stub on 127.0.0.1 at this
    /// port, and waits for a debugger.</summary>
    public int? GdbPort { get; init; }

    /// <summary>
    /// Stop the machine once every domain has printed its closing <c>Test result:</c> line, as
    /// the judge of Xen's CI stops at its pass line. For a boot without dom0: Xen never halts
    /// when its domUs have shut down, so the machine would run to the bound.
    /// </summary>
    public bool StopAfterVerdicts { get; init; }

    /// <summary>The number of domains whose console lines and reports the boot has: dom0 (when
    /// there is one) and the domUs.</summary>
    public int DomainCount => (Dom0 is null ? 0 : 1) + DomUs.Count;

    /// <summary>The domids of the boot's domains, in order: 0 when there is a dom0, then 1..N.</summary>
    public IReadOnlyList<int> Domids
    {
        get
        {
            var domids = new List<int>();
            if (Dom0 is not null)
                domids.Add(0);
            for (int i = 1; i <= DomUs.Count; i++)
                domids.Add(i);
            return domids;
        }
    }
}

/// <summary>Xen and its command line.</summary>
public sealed record XenHypervisor(Xen.XenImage Image, Xen.XenCommandLine CommandLine);

/// <summary>A file QEMU's loader device copies into guest memory at <see cref="Address"/>
/// before the boot (a vector file for the test image, say).</summary>
public sealed record LoadedFile(string Path, ulong Address);
