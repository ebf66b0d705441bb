using System;

namespace GuestStub.Platform;

/// <summary>
/// The stub's own boot arguments, parsed once from /chosen bootargs (<see cref="BootArguments"/>)
/// by the front end (<see cref="BootDtb"/>); every later stage reads them from here.
/// <list type="bullet">
/// <item><c>gnttab=ballooned</c>: ignore region 0 and map the grant table at ballooned RAM pages
/// (the fallback Linux takes when region 0 is absent), so both paths run under real Xen.</item>
/// <item><c>gueststub.domid=N</c>: the stub's own domain id, needed for the grant self-test
/// (Xen checks a grant's domid against the mapping domain's real id; DOMID_SELF does not match).
/// Dom0 knows it is 0 from XENFEAT_dom0.</item>
/// <item><c>gueststub.scratch=ballooned</c>: scratch pages from ballooned RAM even when there is
/// a target resource.</item>
/// <item><c>gueststub.boots=N</c> (1 to <see cref="MaxBoots"/>): the whole sequence N times in one
/// boot, proving teardown.</item>
/// <item><c>gueststub.selftest=NAME</c>: one of the guest's start-up self-tests.</item>
/// <item><c>gueststub.expect-mem=0xSTART-0xEND,...</c>: the RAM banks the domain was given
/// (static memory), which <c>static-mem.banks</c> compares with its memory node.</item>
/// <item><c>gueststub.checks=WORD,...</c>: which checks run and report a verdict
/// (<see cref="CheckSelection"/>); all without it.</item>
/// </list>
/// A value given but malformed is ignored and flagged (<see cref="BadDomid"/>,
/// <see cref="BadBoots"/>), so the report can say so. A ref struct: <see cref="SelfTest"/> is a
/// span into the bootargs.
/// </summary>
public ref struct BootOptions
{
    /// <summary>Largest domid Xen hands to a real domain (DOMID_FIRST_RESERVED - 1).</summary>
    public const uint MaxDomid = 0x7FEF;

    public const ulong MaxBoots = 4;

    public bool ForceBallooned;
    public bool HasDomid;
    public ushort Domid;
    /// <summary>gueststub.domid was given but is not a decimal domid.</summary>
    public bool BadDomid;
    public bool ForceScratchBallooned;
    /// <summary>How many times the whole sequence runs (1 unless gueststub.boots says otherwise).</summary>
    public ulong Boots;
    /// <summary>gueststub.boots was given but is not 1 to <see cref="MaxBoots"/>.</summary>
    public bool BadBoots;
    /// <summary>gueststub.selftest's value; empty when absent.</summary>
    public ReadOnlySpan<byte> SelfTest;
    /// <summary>The checks selected (all unless gueststub.checks= says otherwise).</summary>
    public CheckSelection Checks;
    /// <summary>gueststub.checks was given: its value, for the report to name what it did not know.</summary>
    public bool ChecksGiven;
    public ReadOnlySpan<byte> ChecksArgument;
    /// <summary>gueststub.expect-mem's value (ranges read with <see cref="BootArguments.NextRange"/>).</summary>
    public bool HasExpectedMemory;
    public ReadOnlySpan<byte> ExpectedMemory;

    public static BootOptions Parse(BootArguments args)
    {
        BootOptions options = default;
        options.Boots = 1;
        if (args.TryGetValue("gnttab"u8, out ReadOnlySpan<byte> gnttab) && gnttab.SequenceEqual("ballooned"u8))
            options.ForceBallooned = true;
        if (args.TryGetValue("gueststub.scratch"u8, out ReadOnlySpan<byte> scratch) && scratch.SequenceEqual("ballooned"u8))
            options.ForceScratchBallooned = true;
        if (args.TryGetDecimal("gueststub.domid"u8, MaxDomid, out ulong domid, out bool domidGiven))
        {
            options.HasDomid = true;
            options.Domid = (ushort)domid;
        }
        else if (domidGiven)
        {
            options.BadDomid = true;
        }
        if (args.TryGetDecimal("gueststub.boots"u8, MaxBoots, out ulong boots, out bool bootsGiven) && boots >= 1)
            options.Boots = boots;
        else if (bootsGiven)
            options.BadBoots = true;
        options.HasExpectedMemory = args.TryGetValue("gueststub.expect-mem"u8, out options.ExpectedMemory);
        args.TryGetValue("gueststub.selftest"u8, out options.SelfTest);
        options.ChecksGiven = args.TryGetValue("gueststub.checks"u8, out options.ChecksArgument);
        options.Checks = options.ChecksGiven ? CheckSelection.Parse(options.ChecksArgument) : CheckSelection.All;
        return options;
    }
}
