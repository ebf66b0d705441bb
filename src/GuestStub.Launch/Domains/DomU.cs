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

    /// <summary>A domU without the hypervisor node, printing on its vpl011 UART.</summary>
    public static DomU Plain(string image) => new(image) { Enhanced = null, Vpl011 = true };
}
