namespace GuestStub.Platform;

/// <summary>
/// A bound on a wait, in counter time: every wait of the stub has one (a peer that never shows
/// up, an event that never comes). Started from a tick source; <see cref="Expired"/> once the
/// bound has passed.
/// </summary>
public readonly struct Deadline
{
    public readonly ulong Start;
    public readonly ulong BoundTicks;

    private Deadline(ulong start, ulong boundTicks)
    {
        Start = start;
        BoundTicks = boundTicks;
    }

    public static Deadline After<TClock>(ref TClock clock, ulong milliseconds) where TClock : struct, ITickSource =>
        new Deadline(clock.ReadTicks(), clock.TicksPerSecond() / 1000 * milliseconds);

    public bool Expired<TClock>(ref TClock clock) where TClock : struct, ITickSource => clock.ReadTicks() - Start >= BoundTicks;

    public ulong Elapsed<TClock>(ref TClock clock) where TClock : struct, ITickSource => clock.ReadTicks() - Start;
}
