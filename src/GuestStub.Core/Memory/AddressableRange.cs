namespace GuestStub.Memory;

/// <summary>
/// The clamp: the guest-physical range the stub can map, the counterpart of Linux's
/// mhp_get_pluggable_range (the linear map's reach). Scratch pages must be mappable, so the
/// target resource is cut to it.
/// </summary>
public static class AddressableRange
{
    /// <summary>The stub's identity map covers 2^39 bytes (512 GiB): one level-1 table of
    /// 1 GiB blocks, 4 KiB granule (native/head.S, TCR_EL1.T0SZ = 64 - 39).</summary>
    public const int StubMappingBits = PlatformConstants.IdentityMapBits;

    /// <summary>The identity map's exclusive limit: 2^<see cref="StubMappingBits"/>.</summary>
    public const ulong StubMappingLimit = 1UL << StubMappingBits;

    /// <summary>Physical address bits for ID_AA64MMFR0_EL1.PARange (bits [3:0], Arm ARM
    /// D19.2.64): 0 = 32, 1 = 36, 2 = 40, 3 = 42, 4 = 44, 5 = 48, 6 = 52. Reserved encodings give
    /// 32, the smallest, so an unknown CPU is never over-trusted.</summary>
    public static int PhysicalAddressBits(ulong idAa64Mmfr0)
    {
        switch (idAa64Mmfr0 & 0xF)
        {
            case 0: return 32;
            case 1: return 36;
            case 2: return 40;
            case 3: return 42;
            case 4: return 44;
            case 5: return 48;
            case 6: return 52;
            default: return 32;
        }
    }

    /// <summary>[0, 2^min(PA bits, 39)): what the guest passes to registration.</summary>
    public static PhysicalRange ForGuest(ulong idAa64Mmfr0)
    {
        int bits = PhysicalAddressBits(idAa64Mmfr0);
        if (bits > StubMappingBits)
            bits = StubMappingBits;
        return BelowLimit(1UL << bits);
    }

    /// <summary>[0, <paramref name="limit"/>): every address below the exclusive limit.</summary>
    public static PhysicalRange BelowLimit(ulong limit)
    {
        PhysicalRange.TryFromBounds(0, limit, out PhysicalRange range);
        return range;
    }
}
