namespace GuestStub.Launch.Serial;

/// <summary>Who wrote a console line.</summary>
public enum LineSource
{
    /// <summary>A guest domain (<see cref="ConsoleLine.Domain"/> says which): dom0's lines come
    /// unprefixed, a domU's as <c>(dN) </c> (its HVC console) or <c>(XEN) DOMn: </c> (its vpl011
    /// UART); a bare guest's are all domain 0's.</summary>
    Domain,

    /// <summary>Xen itself: <c>(XEN) </c> lines that are not a domU's vpl011 output.</summary>
    Xen,

    /// <summary>QEMU's own messages, on its standard error.</summary>
    Qemu,

    /// <summary>The firmware that loads Xen (U-Boot): what the console shows before Xen's first
    /// line, in a boot flow with firmware.</summary>
    Firmware,
}

/// <summary>
/// One whole line of the console: who wrote it, the domain (for <see cref="LineSource.Domain"/>,
/// else -1), its text without Xen's prefix and timestamp, and the line as the console showed it
/// (after dom0's split lines are joined).
/// </summary>
public sealed record ConsoleLine(LineSource Source, int Domain, string Text, string Raw)
{
    public bool IsDomain(int domid) => Source == LineSource.Domain && Domain == domid;

    public override string ToString() => Raw;
}
