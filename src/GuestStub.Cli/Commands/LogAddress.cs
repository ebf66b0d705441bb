namespace GuestStub.Cli.Commands;

/// <summary>
/// An address in a console log line that <c>gueststub symbolize</c> annotates: its keyword as the
/// guest's fatal-exception report prints it ("ELR", "pc" or "lr") and its value.
/// </summary>
public readonly record struct LogAddress(string Kind, ulong Address)
{
    /// <summary>Where to look the address up: a return address ("lr") points after the call,
    /// so one instruction back, at the call itself.</summary>
    public ulong LookupAddress => Kind == "lr" && Address >= 4 ? Address - 4 : Address;
}
