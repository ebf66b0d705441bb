using System;

namespace GuestStub.Boot;

/// <summary>
/// The boot arguments that steer the Xen setup:
/// <list type="bullet">
/// <item><c>gnttab=ballooned</c>: ignore region 0 and map the grant table at ballooned RAM pages
/// (the fallback Linux takes when region 0 is absent), so both paths run under real Xen.</item>
/// <item><c>gueststub.domid=N</c>: the stub's own domain id, needed for the grant self-test
/// (Xen checks a grant's domid against the mapping domain's real id; DOMID_SELF does not match).
/// Dom0 knows it is 0 from XENFEAT_dom0; a dom0less domU has no way to ask (no xenstore), so its
/// bootargs must carry it: dom0less domUs get ids in creation order, 1, 2, ...</item>
/// </list>
/// </summary>
public struct XenBootOptions
{
    /// <summary>Largest domid Xen hands to a real domain (DOMID_FIRST_RESERVED - 1).</summary>
    public const uint MaxDomid = 0x7FEF;

    public bool ForceBallooned;
    public bool HasDomid;
    public ushort Domid;
    /// <summary>gueststub.domid was given but is not a decimal domid.</summary>
    public bool BadDomid;
    /// <summary>gueststub.scratch=ballooned.</summary>
    public bool ForceScratchBallooned;
    /// <summary>gueststub.bench=scratch.</summary>
    public bool BenchScratch;

    public static XenBootOptions Parse(BootArguments args)
    {
        XenBootOptions options = default;
        if (args.TryGetValue("gnttab"u8, out ReadOnlySpan<byte> gnttab) && gnttab.SequenceEqual("ballooned"u8))
            options.ForceBallooned = true;
        if (args.TryGetValue("gueststub.scratch"u8, out ReadOnlySpan<byte> scratch) && scratch.SequenceEqual("ballooned"u8))
            options.ForceScratchBallooned = true;
        if (args.TryGetValue("gueststub.bench"u8, out ReadOnlySpan<byte> bench) && bench.SequenceEqual("scratch"u8))
            options.BenchScratch = true;
        if (args.TryGetDecimal("gueststub.domid"u8, MaxDomid, out ulong domid, out bool domidGiven))
        {
            options.HasDomid = true;
            options.Domid = (ushort)domid;
        }
        else if (domidGiven)
        {
            options.BadDomid = true;
        }
        return options;
    }
}
