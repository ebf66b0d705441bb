using GuestStub.Memory;
using GuestStub.Xen;
using GuestStub.Xen.Setup;

namespace GuestStub.Scratch;

/// <summary>What the scratch self-test found.</summary>
public readonly struct ScratchSelfTestResult
{
    /// <summary>The mapping was attempted (the grant was good and a scratch page was there).</summary>
    public readonly bool Ran;
    /// <summary>map_grant_ref, the read-back or unmap_grant_ref.</summary>
    public readonly XenFailure MapFailure;
    /// <summary>The grant is still mapped at the scratch page (unmap failed): the page must not
    /// be reused, and the grant cannot be ended.</summary>
    public readonly bool LeftMapped;
    /// <summary>Giving the page back to the pool afterwards.</summary>
    public readonly ScratchFailure ReturnFailure;
    /// <summary>The scratch page still held after the test (0 once it is back in the pool).</summary>
    public readonly ulong PageStillHeld;

    public ScratchSelfTestResult(bool ran, in XenFailure mapFailure, bool leftMapped, ScratchFailure returnFailure, ulong pageStillHeld)
    {
        Ran = ran;
        MapFailure = mapFailure;
        LeftMapped = leftMapped;
        ReturnFailure = returnFailure;
        PageStillHeld = pageStillHeld;
    }

    /// <summary>The test's verdict: the mapping's failure, else giving the page back.</summary>
    public ScratchFailure Failure => MapFailure.IsFailure ? ScratchFailure.FromXen(MapFailure) : ReturnFailure;
}

/// <summary>
/// Proves a scratch page does what extended regions exist for: the stub's self-grant
/// (<see cref="GrantSelfTest"/>) is mapped there with GNTTABOP_map_grant_ref (GNTMAP_host_map,
/// host_addr in the extended region), as a backend maps a frontend's page, its contents are
/// read back through the scratch address, and it is unmapped; then the page goes back to the
/// pool. A scratch page in the identity map's Device part (the first GiB) is made Normal around
/// the access, and restored while Xen still maps it (the cache clean needs the mapping).
/// </summary>
public static unsafe class ScratchSelfTest
{
    public static ScratchSelfTestResult Run<THc, TMem, TBalloon>(ref THc hc, ref TMem mem, ref ScratchPagePool<TBalloon> pool,
        ulong scratchAddress, in SelfGrant grant)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory where TBalloon : struct, IBalloonSource, allows ref struct
    {
        if (scratchAddress == 0)
            return default;
        bool ran = grant.IsGranted;
        XenFailure mapFailure = XenFailure.None;
        bool leftMapped = false;
        if (ran)
            mapFailure = MapGrant(ref hc, ref mem, scratchAddress, grant, out leftMapped);
        if (leftMapped)
            return new ScratchSelfTestResult(ran, mapFailure, true, ScratchFailure.None, scratchAddress);

        // Freed now; a ballooned page Xen would not repopulate stays held for teardown's retry.
        ScratchStatus freed = pool.FreePage(scratchAddress);
        return freed == ScratchStatus.Ok
            ? new ScratchSelfTestResult(ran, mapFailure, false, ScratchFailure.None, 0)
            : new ScratchSelfTestResult(ran, mapFailure, false, ScratchFailure.FromStatus(freed, pool.BalloonFailure), scratchAddress);
    }

    /// <summary>The self-grant mapped at <paramref name="scratchAddress"/> (GNTMAP_host_map), its
    /// pattern read there, a word written there and read back there and through the granted RAM
    /// page (the same frame; the word is restored), then unmapped. Mismatch when the data differs;
    /// <paramref name="leftMapped"/> when the unmap failed. ext-regions.usable maps at region
    /// pages this way too (RegionPageProbe).</summary>
    public static XenFailure MapGrant<THc, TMem>(ref THc hc, ref TMem mem, ulong scratchAddress, in SelfGrant grant, out bool leftMapped)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory
    {
        leftMapped = false;
        ulong scratchGfn = scratchAddress >> PageSize.Shift;
        PhysicalRange.TryCreate(scratchAddress, PageSize.Bytes, out PhysicalRange scratchPage);
        if (!mem.BeginNormalAccess(scratchPage))
            return XenFailure.Stub(XenFailureCause.Unreachable).WithGfn(scratchGfn);
        XenFailure f = GrantTable.MapGrantRef(ref hc, scratchAddress, grant.Domid, GrantSelfTest.Reference, readOnly: false, out uint handle);
        if (f.IsFailure)
        {
            mem.EndNormalAccess(scratchPage);
            return f;
        }
        ulong* mapped = (ulong*)mem.Page(scratchGfn);
        ulong* granted = (ulong*)mem.Page(grant.Gfn);
        bool same = mapped != null && granted != null && mapped[0] == grant.Pattern0 && mapped[1] == grant.Pattern1;
        if (same)
        {
            // A word that differs per address, so a write that landed elsewhere cannot pass.
            ulong saved = mapped[2];
            ulong mark = scratchAddress ^ GrantSelfTest.Pattern;
            mapped[2] = mark;
            mem.WriteBarrier();
            same = mapped[2] == mark && granted[2] == mark;
            mapped[2] = saved;
        }
        mem.EndNormalAccess(scratchPage);
        XenFailure unmap = GrantTable.UnmapGrantRef(ref hc, scratchAddress, handle);
        leftMapped = unmap.IsFailure;
        return !same ? XenFailure.Stub(XenFailureCause.Mismatch).WithGfn(scratchGfn) : unmap;
    }
}
