using System;
using System.Text;
using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Text;

namespace GuestStub.Simulation;

/// <summary>
/// Core's formatting as strings, for host-side text (the simulation's messages, the host tool's
/// output): hex, sizes, half-open ranges and the DTB error line read exactly as the guest
/// prints them, because they are written by the same code (<see cref="TextFormat"/>,
/// <see cref="DtbErrorText"/>).
/// </summary>
public static class HostText
{
    /// <summary>"0x" and lower-case hex digits, no leading zeros.</summary>
    public static string Hex(ulong value)
    {
        var sink = new TextCapture(new StringBuilder());
        TextFormat.Hex(ref sink, value);
        return sink.ToString();
    }

    /// <summary>"0xSTART-0xEND", END exclusive, as Xen logs ranges.</summary>
    public static string Range(PhysicalRange range)
    {
        var sink = new TextCapture(new StringBuilder());
        TextFormat.Range(ref sink, range);
        return sink.ToString();
    }

    /// <summary>A size in the largest binary unit that divides it ("128 MiB", "3584 MiB", "7183 bytes").</summary>
    public static string Size(ulong bytes)
    {
        var sink = new TextCapture(new StringBuilder());
        TextFormat.Size(ref sink, bytes);
        return sink.ToString();
    }

    /// <summary>The one wording of a refused DTB: "PHRASE at byte offset 0xOFFSET".</summary>
    public static string Dtb(DtbStatus status)
    {
        var sink = new TextCapture(new StringBuilder());
        DtbErrorText.Write(ref sink, status);
        return sink.ToString();
    }

    /// <summary>ASCII bytes (Core's text) as a string.</summary>
    public static string Ascii(ReadOnlySpan<byte> text) => Encoding.ASCII.GetString(text);
}
