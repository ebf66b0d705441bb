using GuestStub.Xen;

namespace GuestStub.Report;

/// <summary>
/// Whose a failure is, in XTF's terms (<see cref="Verdict"/>), by its cause: Xen's answer to a
/// call that must work, a read-back that differs, a port in a state that cannot be, a grant
/// table too small for the documented refs: FAILURE. The stub's own limits and its environment
/// (no free RAM page, a page it cannot reach, a frame beyond a v1 grant entry, a boot argument
/// naming another domid, no interrupt controller to take the upcall on), and a bounded wait on
/// another domain that ran out (the peer misbehaved): ERROR. A domctl refused for its interface
/// version on a release the stub does not know is the stub's: ERROR. A check whose own wait
/// proves Xen (the loopback event) says so itself.
/// </summary>
public static class Blame
{
    public static Verdict Of(in XenFailure failure)
    {
        switch (failure.Cause)
        {
            case XenFailureCause.None:
                return Verdict.Success;
            case XenFailureCause.OutOfPages:
            case XenFailureCause.Unreachable:
            case XenFailureCause.FrameTooWide:
            case XenFailureCause.DomidMismatch:
            case XenFailureCause.NoUpcall:
            case XenFailureCause.NoDomainId:
            case XenFailureCause.Timeout:
                return Verdict.Error;
            case XenFailureCause.Errno:
                return failure.Value == -(int)XenErrno.EACCES && failure.HasInterfaceVersion && failure.ReleaseUnknown
                    ? Verdict.Error
                    : Verdict.Failure;
            default:
                return Verdict.Failure;
        }
    }
}
