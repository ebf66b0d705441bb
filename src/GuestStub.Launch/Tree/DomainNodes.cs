using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GuestStub.Launch.Domains;
using GuestStub.Launch.Xen;

namespace GuestStub.Launch.Tree;

/// <summary>An image as a module node names it: where QEMU loads it and how many bytes it has.</summary>
public sealed record ModuleImage(ulong Address, ulong SizeBytes, string Bootargs);

/// <summary>
/// The nodes a dom0less boot adds to the host tree's /chosen (Xen's
/// docs/misc/arm/device-tree/booting.txt): Xen's command line, dom0's kernel module, one
/// <c>xen,domain</c> node per domU with its module, and the two ends of each static event
/// channel. Data only, in the order Xen meets them (domids 1, 2, ... follow the domU nodes).
/// </summary>
public static class DomainNodes
{
    private const string ModuleCompatible0 = "multiboot,kernel";
    private const string ModuleCompatible1 = "multiboot,module";

    /// <summary>/chosen's additions: a node named <c>chosen</c> to merge into the host tree's.
    /// <paramref name="dom0"/> is null for a boot without dom0 (its domUs only).</summary>
    public static DtNode Chosen(XenCommandLine xen, ModuleImage? dom0, IReadOnlyList<(DomU DomU, ModuleImage Module)> domUs) =>
        Chosen(xen.ToString(), dom0, domUs);

    /// <summary>/chosen's additions with Xen's command line as given (an ImageBuilder config's
    /// <c>XEN_CMD</c>, used as it is).</summary>
    public static DtNode Chosen(string xenBootargs, ModuleImage? dom0, IReadOnlyList<(DomU DomU, ModuleImage Module)> domUs)
    {
        var children = new List<DtNode>();
        if (dom0 is not null)
            children.Add(Module(dom0));
        for (int i = 1; i <= domUs.Count; i++)
        {
            if (domUs[i - 1].DomU.StaticEventChannel && dom0 is null)
                throw new LaunchException($"domU {i}'s static event channel joins it to dom0, and this boot has none");
            if (domUs[i - 1].DomU.StaticEventChannel)
                children.Add(EventChannelEnd("evtchn-domu" + Number(i), Dom0End(i), StaticEventChannelPorts.Dom0(i), DomUEnd(i)));
        }
        var pairs = DomUPairs(domUs);
        for (int i = 1; i <= domUs.Count; i++)
            children.Add(Domain(i, domUs[i - 1].DomU, domUs[i - 1].Module, pairs));
        return new DtNode("chosen", new[]
        {
            DtProperty.Cells("#address-cells", 2),
            DtProperty.Cells("#size-cells", 2),
            DtProperty.String("xen,xen-bootargs", xenBootargs),
        }, children);
    }

    /// <summary>domU <paramref name="index"/>'s node: <c>domU1</c>, <c>domU2</c>, ...</summary>
    private static DtNode Domain(int index, DomU domU, ModuleImage module, ISet<(int, int)> pairs)
    {
        domU.Validate();
        var properties = new List<DtProperty>
        {
            DtProperty.String("compatible", "xen,domain"),
            DtProperty.Cells("#address-cells", 2),
            DtProperty.Cells("#size-cells", 2),
            DtProperty.Cells("memory", DtProperty.U64(domU.Memory.Kibibytes)),
            DtProperty.Cells("cpus", (uint)domU.Cpus),
        };
        if (domU.Vpl011)
            properties.Add(DtProperty.Empty("vpl011"));
        if (domU.Enhanced is string enhanced)
            properties.Add(DtProperty.String("xen,enhanced", enhanced));
        if (domU.StaticMemory.Count > 0)
        {
            // ImageBuilder's add_device_tree_static_mem: the cells of the domain node (2/2), also
            // named by the properties Xen 4.16 read instead.
            properties.Add(DtProperty.Cells("#xen,static-mem-address-cells", 2));
            properties.Add(DtProperty.Cells("#xen,static-mem-size-cells", 2));
            properties.Add(DtProperty.Cells("xen,static-mem",
                domU.StaticMemory.SelectMany(b => DtProperty.U64(b.HostAddress).Concat(DtProperty.U64(b.SizeBytes))).ToArray()));
            if (domU.DirectMap)
                properties.Add(DtProperty.Empty("direct-map"));
        }
        var children = new List<DtNode> { Module(module) };
        if (domU.StaticEventChannel)
            children.Add(EventChannelEnd("evtchn-dom0", DomUEnd(index), StaticEventChannelPorts.DomU, Dom0End(index)));
        foreach ((int a, int b) in pairs.Where(p => p.Item1 == index || p.Item2 == index).OrderBy(p => p))
        {
            int peer = a == index ? b : a;
            children.Add(EventChannelEnd("evtchn-domu" + Number(peer), DomUToDomUEnd(index, peer), StaticEventChannelPorts.BetweenDomUs,
                DomUToDomUEnd(peer, index)));
        }
        foreach (StaticSharedMemory region in domU.SharedMemory)
            children.Add(SharedMemory(region));
        return new DtNode("domU" + Number(index), properties, children);
    }

    /// <summary>
    /// A static shared memory node as ImageBuilder's add_device_tree_static_shared_mem writes it
    /// (booting.txt, "Static Shared Memory"): <c>domU-shared-mem@ADDR</c> (the first address given),
    /// <c>xen,shm-id</c>, and <c>xen,shared-mem = &lt;[HOST] GUEST SIZE&gt;</c> in the domain
    /// node's cells (2/2); <c>role</c> only when given.
    /// </summary>
    private static DtNode SharedMemory(StaticSharedMemory region)
    {
        var cells = new List<DtCell>();
        if (region.HostAddress is ulong host)
            cells.AddRange(DtProperty.U64(host));
        cells.AddRange(DtProperty.U64(region.GuestAddress));
        cells.AddRange(DtProperty.U64(region.SizeBytes));
        var properties = new List<DtProperty>
        {
            DtProperty.String("compatible", "xen,domain-shared-memory-v1"),
            DtProperty.String("xen,shm-id", region.Id),
            DtProperty.Cells("xen,shared-mem", cells.ToArray()),
        };
        if (region.Role is string role)
            properties.Add(DtProperty.String("role", role));
        return new DtNode("domU-shared-mem@" + region.UnitAddress.ToString("x", CultureInfo.InvariantCulture), properties, System.Array.Empty<DtNode>());
    }

    /// <summary>The static channels between domUs, each pair once (lower index first).</summary>
    private static ISet<(int, int)> DomUPairs(IReadOnlyList<(DomU DomU, ModuleImage Module)> domUs)
    {
        var pairs = new SortedSet<(int, int)>();
        for (int i = 1; i <= domUs.Count; i++)
        {
            foreach (int peer in domUs[i - 1].DomU.EventChannelPeers)
            {
                if (peer < 1 || peer > domUs.Count || peer == i)
                    throw new LaunchException($"domU {i}: a static event channel to domU {peer}, which is not another domU of this boot (1..{domUs.Count})");
                pairs.Add((System.Math.Min(i, peer), System.Math.Max(i, peer)));
            }
        }
        return pairs;
    }

    private static string DomUToDomUEnd(int domU, int peer) => $"ec_domu{Number(domU)}_domu{Number(peer)}";

    /// <summary>A kernel module node: <c>module@ADDRESS</c> with its place and bootargs.</summary>
    private static DtNode Module(ModuleImage image) => new(
        "module@" + image.Address.ToString("x", CultureInfo.InvariantCulture),
        new[]
        {
            DtProperty.String("compatible", ModuleCompatible0, ModuleCompatible1),
            DtProperty.Reg(image.Address, image.SizeBytes),
            DtProperty.String("bootargs", image.Bootargs),
        },
        System.Array.Empty<DtNode>());

    /// <summary>One end of a static event channel (booting.txt, "Static Event Channel"): its
    /// local port and the node of the other end. Xen 4.17 matches only <c>xen,evtchn-v1</c>.</summary>
    private static DtNode EventChannelEnd(string name, string label, uint port, string peerLabel) => new(
        name,
        new[]
        {
            DtProperty.String("compatible", "xen,evtchn-v1"),
            DtProperty.Cells("xen,evtchn", port, DtCell.PhandleOf(peerLabel)),
        },
        System.Array.Empty<DtNode>()) { Label = label };

    private static string Dom0End(int domU) => $"ec_dom0_domu{Number(domU)}";

    private static string DomUEnd(int domU) => $"ec_domu{Number(domU)}_dom0";

    private static string Number(int i) => i.ToString(CultureInfo.InvariantCulture);
}
