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
    /// <summary>gueststub.domid is not the id Xen reports (<see cref="XenFailure.DomidMismatch"/>).</summary>
    DomidMismatch,
    /// <summary>A status answer that cannot be: the port is not in the state just set up
    /// (<see cref="XenFailure.Value"/> is the EVTCHNSTAT_* Xen reported).</summary>
    UnexpectedPortState,
    /// <summary>What a bounded wait waited for did not happen (<see cref="XenFailure.Value"/> is
    /// the bound in milliseconds).</summary>
    Timeout,
    /// <summary>The upcall cannot be received: no usable interrupt controller or PPI.</summary>
    NoUpcall,
}

/// <summary>
/// A failure as a value: the call, the cause, Xen's answer and the arguments that matter.
/// Written by <see cref="Write{TSink}"/> as, e.g.,
/// <c>XENMEM_add_to_physmap(grant_table) idx=63 gfn=0x4023f: -EINVAL (-22)</c>.
/// </summary>
public readonly struct XenFailure
{
    // Packed into 24 bytes: failures are copied into every stage result, and the guest's image
    // pays for each byte copied. An index and a port never come together (a grant frame or ref
    // is not an event channel), so they share a field; the interface version and the release
    // fill what was padding.
    private const byte FlagIndex = 1;
    private const byte FlagGfn = 2;
    private const byte FlagPort = 4;
    private const byte FlagInterfaceVersion = 8;

    public readonly XenCall Call;
    public readonly XenFailureCause Cause;
    private readonly byte _flags;
    /// <summary>The interface version the call carried (a domctl's), with <see cref="FlagInterfaceVersion"/>.</summary>
    private readonly byte _interfaceVersion;
    /// <summary>The other domain concerned, plus one (0: none), so default means none.</summary>
    private readonly ushort _domPlusOne;
    /// <summary>With an interface version: Xen's release (major &lt;&lt; 8 | minor) when the stub's
    /// table does not know it (0: known), and which way it is off, for the refusal's text.</summary>
    private readonly ushort _unknownRelease;
    /// <summary>The negative errno, the GNTST status, the extent count done, or the stub's own
    /// number for its cause (a bound in milliseconds, a pair of domids).</summary>
    public readonly int Value;
    private readonly uint _indexOrPort;
    public readonly ulong Gfn;

    private XenFailure(XenCall call, XenFailureCause cause, int value, byte flags = 0, uint indexOrPort = 0, ulong gfn = 0,
        ushort domPlusOne = 0, byte interfaceVersion = 0, ushort unknownRelease = 0)
    {
        Call = call;
        Cause = cause;
        Value = value;
        _flags = flags;
        _indexOrPort = indexOrPort;
        Gfn = gfn;
        _domPlusOne = domPlusOne;
        _interfaceVersion = interfaceVersion;
        _unknownRelease = unknownRelease;
    }

    public bool HasIndex => (_flags & FlagIndex) != 0;

    public ulong Index => HasIndex ? _indexOrPort : 0;

    public bool HasGfn => (_flags & FlagGfn) != 0;

    /// <summary>The event-channel port concerned (0: none; 0 is never a port).</summary>
    public uint Port => (_flags & FlagPort) != 0 ? _indexOrPort : 0;

    public bool HasDom => _domPlusOne != 0;

    public ushort Dom => (ushort)(_domPlusOne - 1);

    public bool IsFailure => Cause != XenFailureCause.None;

    public static XenFailure None => default;

    public static XenFailure FromResult(XenCall call, long result) => new XenFailure(call, XenFailureCause.Errno, (int)result);

    /// <summary>A grant-table operation whose status field was not GNTST_okay.</summary>
    public static XenFailure FromGrantStatus(XenCall call, short status) => new XenFailure(call, XenFailureCause.GrantStatus, status);

    /// <summary>A reservation call that did <paramref name="done"/> extents instead of all.</summary>
    public static XenFailure IncompleteExtents(XenCall call, long done) => new XenFailure(call, XenFailureCause.IncompleteExtents, (int)done);

    public static XenFailure Stub(XenFailureCause cause) => new XenFailure(XenCall.None, cause, 0);

    /// <summary>The stub's own failure with a number that explains it.</summary>
    public static XenFailure Stub(XenFailureCause cause, int value) => new XenFailure(XenCall.None, cause, value);

    /// <summary>Nothing within <paramref name="boundMs"/> milliseconds of waiting.</summary>
    public static XenFailure Timeout(ulong boundMs) => Stub(XenFailureCause.Timeout, (int)boundMs);

    /// <summary>gueststub.domid=<paramref name="claimed"/>, but Xen says the stub is domain <paramref name="actual"/>.</summary>
    public static XenFailure DomidMismatch(ushort claimed, ushort actual) => Stub(XenFailureCause.DomidMismatch, (claimed << 16) | actual);

    public XenFailure WithGfn(ulong gfn) =>
        new XenFailure(Call, Cause, Value, (byte)(_flags | FlagGfn), _indexOrPort, gfn, _domPlusOne, _interfaceVersion, _unknownRelease);

    public XenFailure WithIndex(ulong index) => new XenFailure(Call, Cause, Value, (byte)((_flags & ~FlagPort) | FlagIndex), (uint)index, Gfn,
        _domPlusOne, _interfaceVersion, _unknownRelease);

    public XenFailure WithPort(uint port) => new XenFailure(Call, Cause, Value, (byte)((_flags & ~FlagIndex) | FlagPort), port, Gfn,
        _domPlusOne, _interfaceVersion, _unknownRelease);

    public XenFailure WithDom(ushort dom) =>
        new XenFailure(Call, Cause, Value, _flags, _indexOrPort, Gfn, (ushort)(dom + 1), _interfaceVersion, _unknownRelease);

    /// <summary>The interface version the call carried, for a refusal that concerns it (do_domctl's
    /// -EACCES): the text names it, and, with <paramref name="unknownRelease"/>
    /// (<see cref="XenInterfaces.UnknownRelease"/>: the version came from the table for a release
    /// it does not know), says so and whose version the stub tried.</summary>
    public XenFailure WithInterfaceVersion(byte version, ushort unknownRelease = 0) =>
        new XenFailure(Call, Cause, Value, (byte)(_flags | FlagInterfaceVersion), _indexOrPort, Gfn, _domPlusOne, version, unknownRelease);

    public bool HasInterfaceVersion => (_flags & FlagInterfaceVersion) != 0;

    public byte InterfaceVersion => _interfaceVersion;

    /// <summary>The interface version came from the table for a release it does not know.</summary>
    public bool ReleaseUnknown => _unknownRelease != 0;

    /// <summary>This failure unless it is none, else <paramref name="other"/>: the first of two
    /// steps that both ran (teardown keeps going after a failure and reports the first).</summary>
    public XenFailure Or(in XenFailure other) => IsFailure ? this : other;

    /// <summary>A hypercall's failure is written "CALL idx=N gfn=X: cause"; the stub's own
    /// (no call) "cause idx=N gfn=X", so the page or entry it concerns is named either way.</summary>
    public void Write<TSink>(ref TSink sink) where TSink : struct, ITextSink
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
        if (HasDom)
        {
            sink.Write(" dom="u8);
            TextFormat.Decimal(ref sink, Dom);
        }
        if (Port != 0)
        {
            sink.Write(" port="u8);
            TextFormat.Decimal(ref sink, Port);
        }
        if (HasInterfaceVersion)
        {
            sink.Write(" interface_version="u8);
            TextFormat.Hex(ref sink, _interfaceVersion);
        }
        if (hypercall)
        {
            sink.Write(": "u8);
            WriteCause(ref sink);
        }
        if (_unknownRelease != 0)
            WriteUnknownRelease(ref sink);
    }

    /// <summary>" (Xen X.Y is newer than the releases the stub knows, 4.15 to 4.22: it tried 4.22's
    /// interface version)", or "older than".</summary>
    private void WriteUnknownRelease<TSink>(ref TSink sink) where TSink : struct, ITextSink
    {
        XenInterfaces release = XenInterfaces.For((uint)_unknownRelease >> 8, (uint)_unknownRelease & 0xFF);
        sink.Write(" (Xen "u8);
        TextFormat.Decimal(ref sink, release.Major);
        sink.Write("."u8);
        TextFormat.Decimal(ref sink, release.Minor);
        sink.Write(release.Newer ? " is newer than the releases the stub knows, "u8 : " is older than the releases the stub knows, "u8);
        XenInterfacesText.KnownReleases(ref sink);
        sink.Write(": it tried "u8);
        XenInterfacesText.Release(ref sink, release.Major, release.TableMinor);
        sink.Write("'s interface version)"u8);
    }

    /// <summary>The refusal alone, as an error path's result names it: "-ESRCH",
    /// "GNTST_general_error" (the stub's own causes as <see cref="Write{TSink}"/> words them).</summary>
    public void WriteRefusal<TSink>(ref TSink sink) where TSink : struct, ITextSink
    {
        if (Cause == XenFailureCause.Errno)
        {
            sink.Write("-"u8);
            ReadOnlySpan<byte> name = XenErrnoText.Name(-Value);
            sink.Write(name.IsEmpty ? "E?"u8 : name);
        }
        else if (Cause == XenFailureCause.GrantStatus)
        {
            sink.Write(GrantStatus.Name(Value));
        }
        else
        {
            WriteCause(ref sink);
        }
    }

    private void WriteCause<TSink>(ref TSink sink) where TSink : struct, ITextSink
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
                sink.Write("own domid unknown"u8);
                break;
            case XenFailureCause.TooFewEntries:
                sink.Write("grant table too small"u8);
                break;
            case XenFailureCause.FrameTooWide:
                sink.Write("frame beyond a v1 grant entry's 32 bits"u8);
                break;
            case XenFailureCause.DomidMismatch:
                sink.Write("gueststub.domid="u8);
                TextFormat.Decimal(ref sink, (ulong)Value >> 16);
                sink.Write(" but Xen says this is domain "u8);
                TextFormat.Decimal(ref sink, (ulong)Value & 0xFFFF);
                break;
            case XenFailureCause.UnexpectedPortState:
                sink.Write("port in state "u8);
                TextFormat.SignedDecimal(ref sink, Value);
                break;
            case XenFailureCause.Timeout:
                sink.Write("nothing within "u8);
                TextFormat.SignedDecimal(ref sink, Value);
                sink.Write(" ms"u8);
                break;
            case XenFailureCause.NoUpcall:
                sink.Write("no interrupt controller or PPI to receive the upcall on"u8);
                break;
            default:
                sink.Write("no failure"u8);
                break;
        }
    }
}
