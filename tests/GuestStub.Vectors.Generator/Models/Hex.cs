using System.Globalization;

namespace GuestStub.Vectors.Generator;

/// <summary>Text as the vectors' renderers write it: 0x-prefixed lower-case hex, half-open ranges.</summary>
public static class Hex
{
    public static string Of(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    public static string Range(ulong start, ulong end) => Of(start) + "-" + Of(end);
}
