using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.Scratch;

/// <summary>
/// Why a scratch stage failed: the pool's own status, and the hypercall behind it when there is
/// one (the balloon's decrease_reservation or populate_physmap, a grant map), so a report still
/// names the call and its errno. Written as the hypercall's failure when there is one
/// ("XENMEM_populate_physmap gfn=0x6fffe: -ENOMEM (-12)"), else "scratch pool STATUS".
/// </summary>
public readonly struct ScratchFailure
{
    public readonly ScratchStatus Status;
    public readonly XenFailure Xen;

    private ScratchFailure(ScratchStatus status, in XenFailure xen)
    {
        Status = status;
        Xen = xen;
    }

    public static ScratchFailure None => default;

    public bool IsFailure => Status != ScratchStatus.Ok || Xen.IsFailure;

    /// <summary>A pool status, with the balloon's failed hypercall when the balloon refused.</summary>
    public static ScratchFailure FromStatus(ScratchStatus status, in XenFailure balloonFailure) =>
        new ScratchFailure(status,
            (status == ScratchStatus.BalloonEmpty || status == ScratchStatus.BalloonFailed) ? balloonFailure : XenFailure.None);

    /// <summary>A failure of a step around Xen (a grant map, a page the stub cannot reach).</summary>
    public static ScratchFailure FromXen(XenFailure failure) => new ScratchFailure(ScratchStatus.Ok, failure);

    /// <summary>This failure unless it is none, else <paramref name="other"/>.</summary>
    public ScratchFailure Or(ScratchFailure other) => IsFailure ? this : other;

    public void Write<TSink>(ref TSink sink) where TSink : struct, ITextSink
    {
        if (Xen.IsFailure)
        {
            Xen.Write(ref sink);
            return;
        }
        sink.Write("scratch pool "u8);
        sink.Write(ScratchStatusText.Name(Status));
    }
}
