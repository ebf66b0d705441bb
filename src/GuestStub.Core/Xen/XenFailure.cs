using System;
using GuestStub.Text;

namespace GuestStub.Xen;

/// <summary>Why a step of the Xen setup failed.</summary>
public enum XenFailureCause : byte
{
    None,
    /// <summary>The hypercall returned a negative errno (<see cref="XenFailure.Value"/>).</summary>
    Errno,
    /// <summary>A reservation call did fewer extents than asked (<see cref="XenFailure.Value"/> done).</summary>
    IncompleteExtents,
    /// <summary>A grant-table operation's status field was not GNTST_okay (<see cref="XenFailure.Value"/>).</summary>
    GrantStatus,
    /// <summary>The stub's page allocator had no free RAM page left.</summary>
    OutOfPages,
    /// <summary>A guest-physical page the stub must touch is not reachable.</summary>
    Unreachable,
    /// <summary>What the stub read back differs from what it wrote.</summary>
    Mismatch,
    /// <summary>The stub does not know its own domain id (a domU without gueststub.domid=).</summary>
    NoDomainId,
    /// <summary>The grant table has too few entries for the self-test reference.</summary>
    TooFewEntries,
    /// <summary>A frame number above 2^32 - 1: a v1 grant entry's frame field holds 32 bits.</summary>
    FrameTooWide,
    /// <summary>The scratch page pool refused (<see cref="XenFailure.Value"/> is its
    /// <see cref="GuestStub.Scratch.ScratchStatus"/>).</summary>
    ScratchPool,
}

/// <summary>
/// A failure as a value: the call, the cause, Xen's answer and the arguments that matter.
/// Written by <see cref="Write{TSink}"/> as, e.g.,
/// <c>XENMEM_add_to_physmap(grant_table) idx=63 gfn=0x4023f: -EINVAL (-22)</c>.
/// </summary>
public struct XenFailure
{
    public XenCall Call;
    public XenFailureCause Cause;
    /// <summary>The negative errno, the GNTST status or the extent count done.</summary>
    public long Value;
    public bool HasIndex;
    public ulong Index;
    public bool HasGfn;
    public ulong Gfn;

    public readonly bool IsFailure => Cause != XenFailureCause.None;

    public static XenFailure None => default;

    public static XenFailure FromResult(XenCall call, long result) =>
        new XenFailure { Call = call, Cause = XenFailureCause.Errno, Value = result };

    /// <summary>A grant-table operation whose status field was not GNTST_okay.</summary>
    public static XenFailure FromGrantStatus(XenCall call, short status) =>
        new XenFailure { Call = call, Cause = XenFailureCause.GrantStatus, Value = status };

    public static XenFailure Stub(XenFailureCause cause) => new XenFailure { Cause = cause };

    /// <summary>A scratch pool error as a failure (written "scratch pool no-space").</summary>
    public static XenFailure Scratch(GuestStub.Scratch.ScratchStatus status) =>
        new XenFailure { Cause = XenFailureCause.ScratchPool, Value = (long)status };

    public XenFailure WithGfn(ulong gfn)
    {
        XenFailure f = this;
        f.HasGfn = true;
        f.Gfn = gfn;
        return f;
    }

    public XenFailure WithIndex(ulong index)
    {
        XenFailure f = this;
        f.HasIndex = true;
        f.Index = index;
        return f;
    }

    /// <summary>A hypercall's failure is written "CALL idx=N gfn=X: cause"; the stub's own
    /// (no call) "cause idx=N gfn=X", so the page or entry it concerns is named either way.</summary>
    public readonly void Write<TSink>(ref TSink sink) where TSink : struct, ITextSink
    {
        bool hypercall = Call != XenCall.None;
        if (hypercall)
            sink.Write(XenCallText.Name(Call));
        else
            WriteCause(ref sink);
        if (HasIndex)
        {
            sink.Write(" idx="u8);
            TextFormat.Decimal(ref sink, Index);
        }
        if (HasGfn)
        {
            sink.Write(" gfn="u8);
            TextFormat.Hex(ref sink, Gfn);
        }
        if (hypercall)
        {
            sink.Write(": "u8);
            WriteCause(ref sink);
        }
    }

    private readonly void WriteCause<TSink>(ref TSink sink) where TSink : struct, ITextSink
    {
        switch (Cause)
        {
            case XenFailureCause.Errno:
                sink.Write("-"u8);
                ReadOnlySpan<byte> name = XenErrnoText.Name(-Value);
                sink.Write(name.IsEmpty ? "E?"u8 : name);
                sink.Write(" ("u8);
                TextFormat.SignedDecimal(ref sink, Value);
                sink.Write(")"u8);
                break;
            case XenFailureCause.IncompleteExtents:
                sink.Write("did "u8);
                TextFormat.SignedDecimal(ref sink, Value);
                sink.Write(" of 1 extents"u8);
                break;
            case XenFailureCause.GrantStatus:
                sink.Write(GrantStatus.Name(Value));
                sink.Write(" ("u8);
                TextFormat.SignedDecimal(ref sink, Value);
                sink.Write(")"u8);
                break;
            case XenFailureCause.OutOfPages:
                sink.Write("no free RAM page"u8);
                break;
            case XenFailureCause.Unreachable:
                sink.Write("page not reachable"u8);
                break;
            case XenFailureCause.Mismatch:
                sink.Write("read back differs"u8);
                break;
            case XenFailureCause.NoDomainId:
                sink.Write("own domid unknown (not dom0; set gueststub.domid=N)"u8);
                break;
            case XenFailureCause.TooFewEntries:
                sink.Write("grant table too small"u8);
                break;
            case XenFailureCause.FrameTooWide:
                sink.Write("frame beyond a v1 grant entry's 32 bits"u8);
                break;
            case XenFailureCause.ScratchPool:
                sink.Write("scratch pool "u8);
                sink.Write(GuestStub.Scratch.ScratchStatusText.Name((GuestStub.Scratch.ScratchStatus)Value));
                break;
            default:
                sink.Write("no failure"u8);
                break;
        }
    }
}
