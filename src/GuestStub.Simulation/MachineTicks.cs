using GuestStub.Platform;

namespace GuestStub.Simulation;

/// <summary>
/// The machine's counter as Core reads it (<c>where TClock : struct, ITickSource</c>): the
/// guest's CNTVCT_EL0 and CNTFRQ_EL0, here <see cref="MachineClock.Now"/>.
/// </summary>
public readonly struct MachineTicks : ITickSource
{
    private readonly MachineClock _clock;

    public MachineTicks(MachineClock clock) => _clock = clock;

    public ulong ReadTicks() => _clock.Now;

    public ulong TicksPerSecond() => _clock.TicksPerSecond;
}
