using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GuestStub.Launch.Machine;

namespace GuestStub.Launch.Domains;

/// <summary>
/// A dom0less domU (Xen's docs/misc/arm/device-tree/booting.txt, "Creating Multiple Domains
/// directly from Xen"): a <c>xen,domain</c> node under /chosen that Xen starts at boot, domids
/// 1, 2, ... in the order of the nodes.
/// </summary>
public sealed record DomU(string Image)
{
    /// <summary>The guest's arguments as the user gave them (the module's bootargs add
    /// <c>console=hvc0</c>, see <see cref="GuestBootargs"/>).</summary>
    public string Bootargs { get; init; } = "";

    /// <summary>Its module node's bootargs exactly as given (an ImageBuilder config's
    /// <c>DOMU_CMD[i]</c>, <c>console=ttyAMA0</c> when unset), or null for
    /// <see cref="GuestBootargs.ForModule"/> of <see cref="Bootargs"/>.</summary>
    public string? ModuleBootargs { get; init; }

    /// <summary><c>memory</c>: the domU's RAM (written in KiB).</summary>
    public MemorySize Memory { get; init; } = MemorySize.Mebibytes(128);

    /// <summary><c>cpus</c>: its vCPUs.</summary>
    public int Cpus { get; init; } = 1;

    /// <summary>
    /// <c>xen,enhanced</c>, or null for none. <c>"no-xenstore"</c> gives the domU the hypervisor
    /// node (grant table, event channels) without xenstore, which Xen 4.17 needs when there is
    /// no xenstore to connect (<c>"enabled"</c> with no dom0 makes it panic). Without it the
    /// domU has no hypervisor node and its console is <see cref="Vpl011"/>.
    /// </summary>
    public string? Enhanced { get; init; } = "no-xenstore";

    /// <summary><c>vpl011</c>: an SBSA UART at GUEST_PL011_BASE that Xen prints as
    /// <c>(XEN) DOMn: </c> lines; the console of a domU without the hypervisor node.</summary>
    public bool Vpl011 { get; init; }

    /// <summary>A static event channel between dom0 and this domU (<c>xen,evtchn-v1</c>), bound
    /// by Xen before any domain runs, at <see cref="StaticEventChannelPorts"/>.</summary>
    public bool StaticEventChannel { get; init; }

    /// <summary>Static event channels to other domUs (booting.txt, "Static Event Channel"): the
    /// 1-based index (the domid) of each peer domU, both ends on
    /// <see cref="StaticEventChannelPorts.BetweenDomUs"/>. Either end may name the pair; it is
    /// written once.</summary>
    public IReadOnlyList<int> EventChannelPeers { get; init; } = Array.Empty<int>();

    /// <summary>Static shared memory regions (<c>xen,domain-shared-memory-v1</c> nodes; ImageBuilder's
    /// <c>DOMU_SHARED_MEM</c>).</summary>
    public IReadOnlyList<StaticSharedMemory> SharedMemory { get; init; } = Array.Empty<StaticSharedMemory>();

    /// <summary>Static memory (<c>xen,static-mem</c>; ImageBuilder's <c>DOMU_STATIC_MEM</c>): the
    /// domU's RAM is these host banks, whose sizes add up to <see cref="Memory"/>. Empty: Xen
    /// allocates the RAM from its heap.</summary>
    public IReadOnlyList<StaticMemoryBank> StaticMemory { get; init; } = Array.Empty<StaticMemoryBank>();

    /// <summary><c>direct-map</c> (ImageBuilder's <c>DOMU_DIRECT_MAP</c>): guest-physical ==
    /// host-physical. Only with <see cref="StaticMemory"/>.</summary>
    public bool DirectMap { get; init; }

    /// <summary>The guest RAM banks the domU must find in its tree, when the launcher knows them
    /// (static memory): see <see cref="StaticMemoryBank.GuestBanks"/>. Null: Xen chooses.</summary>
    public IReadOnlyList<(ulong Address, ulong SizeBytes)>? ExpectedMemory =>
        StaticMemory.Count == 0 ? null : StaticMemoryBank.GuestBanks(StaticMemory, DirectMap);

    /// <summary>The stub's argument that carries <see cref="ExpectedMemory"/> to the guest
    /// (<c>gueststub.expect-mem=0xSTART-0xEND,...</c>, half-open as the report writes ranges), or
    /// empty.</summary>
    public string ExpectedMemoryArgument => ExpectedMemory is { } banks
        ? "gueststub.expect-mem=" + string.Join(",", banks.Select(b =>
            "0x" + b.Address.ToString("x", CultureInfo.InvariantCulture) + "-0x" + (b.Address + b.SizeBytes).ToString("x", CultureInfo.InvariantCulture)))
        : "";

    /// <summary>
    /// <paramref name="userArguments"/> and what the launcher knows the domU must find:
    /// <see cref="ExpectedMemoryArgument"/>, and with static shared memory
    /// <c>gueststub.checks=all,static-shm</c>, which names the static-shm checks so that a region
    /// Xen did not give the domU is a SKIP saying so, not silence (unless the user selects checks
    /// already).
    /// </summary>
    public string GuestArguments(string userArguments)
    {
        string checks = SharedMemory.Count > 0 && !userArguments.Contains("gueststub.checks=", StringComparison.Ordinal)
            ? "gueststub.checks=all,static-shm" : "";
        return string.Join(" ", new[] { userArguments, ExpectedMemoryArgument, checks }.Where(a => a.Trim().Length > 0).Select(a => a.Trim()));
    }

    /// <summary>The combinations Xen refuses, named before anything boots.</summary>
    public DomU Validate()
    {
        foreach (StaticSharedMemory region in SharedMemory)
        {
            region.Validate();
            if (DirectMap && region.HostAddress != region.GuestAddress)
                throw new LaunchException($"static shared memory '{region.Id}' of a direct-mapped domU must have host address == guest address (booting.txt; Xen refuses it)");
        }
        if (DirectMap && StaticMemory.Count == 0)
            throw new LaunchException("direct-map needs static memory (xen,static-mem): booting.txt, \"Only available when statically allocated memory is used\"");
        ulong total = StaticMemory.Aggregate(0UL, (sum, b) => sum + b.Validate().SizeBytes);
        if (StaticMemory.Count > 0 && total != Memory.Bytes)
            throw new LaunchException($"static memory banks add up to {total >> 20} MiB but the domU's memory is {Memory}: Xen panics unless they match");
        return this;
    }

    /// <summary>A domU without the hypervisor node, printing on its vpl011 UART.</summary>
    public static DomU Plain(string image) => new(image) { Enhanced = null, Vpl011 = true };
}
