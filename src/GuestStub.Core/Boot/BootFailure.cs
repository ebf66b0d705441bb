using GuestStub.Scratch;
using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.Boot;

/// <summary>
/// A stage's failure as the pipeline sees it: one of the stages' own failure types, so the
/// report can name the first failure of a boot whichever stage it came from.
/// </summary>
public readonly struct BootFailure
{
    /// <summary>The failure of a Xen step, or the hypercall behind a scratch pool status.</summary>
    private readonly XenFailure _xen;
    /// <summary>A scratch pool status with no hypercall behind it.</summary>
    private readonly ScratchStatus _scratch;

    private BootFailure(XenFailure xen, ScratchStatus scratch)
    {
        _xen = xen;
        _scratch = scratch;
    }

    public static BootFailure Xen(XenFailure failure) => new BootFailure(failure, ScratchStatus.Ok);

    public static BootFailure Scratch(ScratchFailure failure) =>
        failure.Xen.IsFailure ? new BootFailure(failure.Xen, ScratchStatus.Ok) : new BootFailure(default, failure.Status);

    public bool IsFailure => _xen.IsFailure || _scratch != ScratchStatus.Ok;

    /// <summary>Writes the stage's failure, naming the hypercall and errno where there is one.</summary>
    public void Write<TSink>(ref TSink sink) where TSink : struct, ITextSink
    {
        if (_xen.IsFailure)
        {
            _xen.Write(ref sink);
            return;
        }
        sink.Write("scratch pool "u8);
        sink.Write(ScratchStatusText.Name(_scratch));
    }
}
