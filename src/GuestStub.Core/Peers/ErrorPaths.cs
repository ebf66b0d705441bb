using System;
using GuestStub.Memory;
using GuestStub.Xen;

namespace GuestStub.Peers;

/// <summary>What Xen answered to a request that must fail (an error path proven on real Xen).</summary>
public readonly struct ErrorPathResult
{
    public readonly bool Ran;
    /// <summary>Xen refused, as it must.</summary>
    public readonly bool Refused;
    /// <summary>What Xen answered (the refusal, named), or why the probe could not be made.</summary>
    public readonly XenFailure Answer;

    public ErrorPathResult(bool refused, in XenFailure answer)
    {
        Ran = true;
        Refused = refused;
        Answer = answer;
    }
}

/// <summary>
/// Requests that must fail, made on purpose so real Xen shows how it refuses them, each undone
/// if Xen accepted it after all. Each accepts the refusals the supported releases give, read in
/// their sources (xen.git RELEASE-4.17.0 .. RELEASE-4.22.0), and the report names the one it got:
/// <list type="bullet">
/// <item>a foreign map of one's own domain named DOMID_SELF (arch/arm/mm.c
/// xenmem_add_to_physmap_one): -EINVAL up to 4.20.3 and 4.21.1 (get_pg_owner makes DOMID_SELF
/// the caller itself, "od == d"), -ESRCH from 4.20.4, 4.21.2 and 4.22.0, where
/// rcu_lock_remote_domain_by_id finds no domain DOMID_SELF ("xen/arm: Reject pseudo-domain
/// foreign mappings"). XENVER_version gives no point release, so either is accepted on any;</item>
/// <item>a batch with one bad frame: its errs[] entry is -EINVAL in every release
/// (get_page_from_gfn finds no page), the good frame maps and is unmapped again;</item>
/// <item>a map of a grant ref that was never granted: GNTST_general_error in every release
/// (map_grant_ref: "Bad flags (0) or dom").</item>
/// </list>
/// The refusal Xen must give is the success of these probes; any other answer, or a call
/// refused as a whole, is a failure.
/// </summary>
public static unsafe class ErrorPaths
{
    /// <summary>A frame no domU of the machines the stub boots has (64 GiB up).</summary>
    private const ulong BadGfn = 0x100_0000;

    /// <summary>The probe's failure, for a report's first failure: Xen accepted what it must refuse.</summary>
    public static XenFailure Failure(in ErrorPathResult result) =>
        !result.Ran || result.Refused ? XenFailure.None : result.Answer.IsFailure ? result.Answer : XenFailure.Stub(XenFailureCause.Mismatch);

    /// <summary>Maps a frame of the caller's own RAM as a foreign frame of itself (DOMID_SELF) at
    /// <paramref name="target"/>.</summary>
    public static ErrorPathResult ForeignMapOfSelf<THc>(ref THc hc, ulong ownGfn, ulong target, ref XenFailure undo)
        where THc : struct, IXenHypercalls
    {
        ulong gfn = target >> PageSize.Shift;
        XenFailure f = ForeignMemory.MapOne(ref hc, DomainId.Self, ownGfn, gfn, out int frameError);
        // Xen's refusal is the frame's: errs[0] = -EINVAL or -ESRCH by release (above). A refused
        // call (-EFAULT, -ENOSYS...) refused nothing.
        if (f.IsFailure)
            return new ErrorPathResult(frameError == -(int)XenErrno.EINVAL || frameError == -(int)XenErrno.ESRCH, f);
        ForeignMemory.Unmap(ref hc, gfn, ref undo);
        return new ErrorPathResult(false, XenFailure.None);
    }

    /// <summary>A batch of two: the peer's good frame and <see cref="BadGfn"/>. Only the bad one
    /// may fail; the good one is unmapped again.</summary>
    public static ErrorPathResult BatchWithBadFrame<THc>(ref THc hc, ushort domid, ulong goodGfn, ulong target0, ulong target1,
        ref XenFailure undo) where THc : struct, IXenHypercalls
    {
        Span<ulong> idx = stackalloc ulong[2] { goodGfn, BadGfn };
        Span<ulong> gfn = stackalloc ulong[2] { target0 >> PageSize.Shift, target1 >> PageSize.Shift };
        Span<int> err = stackalloc int[2] { 0, 0 };
        XenFailure f = ForeignMemory.MapBatch(ref hc, domid, idx, gfn, err);
        if (f.IsFailure)
            return new ErrorPathResult(false, f);
        for (int i = 0; i < 2; i++)
            if (err[i] == 0)
                ForeignMemory.Unmap(ref hc, gfn[i], ref undo);
        // The answer names what went wrong: the good frame refused, else the bad frame's refusal.
        XenFailure answer = err[0] != 0 ? XenFailure.FromResult(XenCall.AddToPhysmapBatchForeign, err[0]).WithDom(domid).WithIndex(0).WithGfn(goodGfn)
            : err[1] != 0 ? XenFailure.FromResult(XenCall.AddToPhysmapBatchForeign, err[1]).WithDom(domid).WithIndex(1).WithGfn(BadGfn)
            : default;
        return new ErrorPathResult(err[0] == 0 && err[1] == -(int)XenErrno.EINVAL, answer);
    }

    /// <summary>map_grant_ref of <see cref="PeerPage.UngrantedRef"/>, which no frontend grants.</summary>
    public static ErrorPathResult UngrantedRef<THc>(ref THc hc, ushort domid, ulong target, ref XenFailure undo)
        where THc : struct, IXenHypercalls
    {
        XenFailure f = GrantTable.MapGrantRef(ref hc, target, domid, PeerPage.UngrantedRef, readOnly: false, out uint handle);
        if (f.IsFailure)
            return new ErrorPathResult(f.Cause == XenFailureCause.GrantStatus && f.Value == GrantStatus.GeneralError, f.WithDom(domid));
        XenFailure unmap = GrantTable.UnmapGrantRef(ref hc, target, handle);
        if (!undo.IsFailure)
            undo = unmap;
        return new ErrorPathResult(false, XenFailure.None);
    }
}
