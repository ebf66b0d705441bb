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
    private readonly XenFailure _xen;
    private readonly ScratchFailure _scratch;

    private BootFailure(XenFailure xen, ScratchFailure scratch)
    {
        _xen = xen;
        _scratch = scratch;
    }

    public static BootFailure Xen(XenFailure failure) => new BootFailure(failure, default);

    public static BootFailure Scratch(ScratchFailure failure) => new BootFailure(default, failure);

    public bool IsFailure => _xen.IsFailure || _scratch.IsFailure;

    /// <summary>Writes the stage's failure, naming the hypercall and errno where there is one.</summary>
    public void Write<TSink>(ref TSink sink) where TSink : struct, ITextSink
    {
        if (_xen.IsFailure)
            _xen.Write(ref sink);
        else
            _scratch.Write(ref sink);
    }
}
