using System.Collections.Generic;
using GuestStub.Xen;

namespace GuestStub.Simulation;

// Fault injection: the N-th call of a kind fails with a chosen errno, without any effect.
public sealed partial class SimulatedXen
{
    private readonly Dictionary<XenCall, int> _calls = new();
    private readonly Dictionary<(XenCall Call, int Nth), XenErrno> _faults = new();

    /// <summary>Makes the <paramref name="nth"/> (1-based) call of <paramref name="call"/> return
    /// -<paramref name="errno"/> and do nothing.</summary>
    public SimulatedXen FailNth(XenCall call, int nth, XenErrno errno)
    {
        lock (SyncRoot)
            _faults[(call, nth)] = errno;
        return this;
    }

    /// <summary>How many calls of <paramref name="call"/> the stub has made (faulted ones included).</summary>
    public int CallCount(XenCall call)
    {
        lock (SyncRoot)
            return _calls.GetValueOrDefault(call);
    }

    private bool TryInjectedFault(XenCall call, out long result)
    {
        int n = _calls.GetValueOrDefault(call) + 1;
        _calls[call] = n;
        if (_faults.TryGetValue((call, n), out XenErrno errno))
        {
            result = -(long)errno;
            return true;
        }
        result = 0;
        return false;
    }
}
