namespace GuestStub.Platform;

/// <summary>
/// A free-running counter, for benchmarks and bounded waits: CNTVCT_EL0 and CNTFRQ_EL0 in the
/// guest, the host's Stopwatch in the simulation. A struct, used as a generic constraint.
/// </summary>
public interface ITickSource
{
    ulong ReadTicks();

    ulong TicksPerSecond();
}
