using System.Collections.Generic;
using GuestStub.Launch.Domains;

namespace GuestStub.Launch.ImageBuilder;

/// <summary>
/// One domU of an ImageBuilder config, <c>DOMU_*[Index]</c>, with ImageBuilder's defaults
/// (its README and <c>scripts/uboot-script-gen</c>): 512 MiB, one vCPU, <c>console=ttyAMA0</c>.
/// </summary>
public sealed record ImageBuilderDomU(int Index)
{
    /// <summary>ImageBuilder's default <c>DOMU_MEM</c>, in MiB.</summary>
    public const int DefaultMemoryMiB = 512;

    /// <summary>ImageBuilder's default <c>DOMU_CMD</c>.</summary>
    public const string DefaultCommandLine = "console=ttyAMA0";

    /// <summary><c>DOMU_KERNEL[i]</c>: the kernel, as the config names it.</summary>
    public string? Kernel { get; init; }

    /// <summary><c>DOMU_CMD[i]</c>: the kernel's command line.</summary>
    public string CommandLine { get; init; } = DefaultCommandLine;

    /// <summary><c>DOMU_MEM[i]</c>: RAM in MiB.</summary>
    public ulong MemoryMiB { get; init; } = DefaultMemoryMiB;

    /// <summary><c>DOMU_VCPUS[i]</c>.</summary>
    public int Vcpus { get; init; } = 1;

    /// <summary><c>DOMU_ENHANCED[i]</c>: 0 none, 1 <c>"enabled"</c>, 2 <c>"no-xenstore"</c>;
    /// null when unset (ImageBuilder then writes <c>"enabled"</c> when there is a dom0).</summary>
    public int? Enhanced { get; init; }

    /// <summary><c>DOMU_STATIC_MEM[i]="base1 size1 ... baseN sizeN"</c>: host physical regions reserved to the domU.</summary>
    public IReadOnlyList<StaticMemoryBank> StaticMemory { get; init; } = System.Array.Empty<StaticMemoryBank>();

    /// <summary><c>DOMU_DIRECT_MAP[i]</c> (1 or 0; ImageBuilder's default 1 with static memory), null when unset.</summary>
    public bool? DirectMap { get; init; }

    /// <summary><c>DOMU_SHARED_MEM[i]="ID HOST GUEST SIZE"</c> (or <c>"ID GUEST SIZE"</c>): a static shared memory region, or null.</summary>
    public StaticSharedMemory? SharedMemory { get; init; }

    /// <summary><c>DOMU_STATIC_EVTCHNS[i]="local remote_domu remote; ..."</c>: static event channels to other domUs.</summary>
    public IReadOnlyList<ImageBuilderEventChannel> StaticEventChannels { get; init; } = System.Array.Empty<ImageBuilderEventChannel>();
}
