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
/// if Xen accepted it after all: a foreign map of one's own domain named DOMID_SELF (Xen: -EINVAL,
/// arch/arm/mm.c xenmem_add_to_physmap_one; named by its numeric id it is -ESRCH instead, from
/// get_pg_owner's "Cannot specify itself as foreign domain", seen on Xen 4.17), a batch with one
/// bad frame (its errs[] entry names it; the frames that did map are unmapped again), and a map
/// of a grant ref that was never granted (a GNTST_ status). The refusal Xen must give is the
/// success of these probes; any other answer, or a call refused as a whole, is a failure.
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
        // Xen's refusal is the frame's: errs[0] = -EINVAL (arm xenmem_add_to_physmap_one, the
        // foreign domain is the caller). A refused call (-EFAULT, -ENOSYS...) refused nothing.
        if (f.IsFailure)
            return new ErrorPathResult(frameError == -(int)XenErrno.EINVAL, f);
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
        return new ErrorPathResult(err[0] == 0 && err[1] != 0, answer);
    }

    /// <summary>map_grant_ref of <see cref="PeerPage.UngrantedRef"/>, which no frontend grants.</summary>
    public static ErrorPathResult UngrantedRef<THc>(ref THc hc, ushort domid, ulong target, ref XenFailure undo)
        where THc : struct, IXenHypercalls
    {
        XenFailure f = GrantTable.MapGrantRef(ref hc, target, domid, PeerPage.UngrantedRef, readOnly: false, out uint handle);
        if (f.IsFailure)
            return new ErrorPathResult(f.Cause == XenFailureCause.GrantStatus, f.WithDom(domid));
        XenFailure unmap = GrantTable.UnmapGrantRef(ref hc, target, handle);
        if (!undo.IsFailure)
            undo = unmap;
        return new ErrorPathResult(false, XenFailure.None);
    }
}
