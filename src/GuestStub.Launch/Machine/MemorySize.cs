using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace GuestStub.Launch.Machine;

/// <summary>
/// An amount of memory as QEMU's <c>-m</c> and Xen's <c>dom0_mem=</c> take it: a whole number of
/// MiB or GiB (<c>512M</c>, <c>4G</c>). Printed the same way, in GiB when it is whole GiB.
/// </summary>
public readonly partial record struct MemorySize(ulong Bytes)
{
    public const ulong MiB = 1UL << 20;
    public const ulong GiB = 1UL << 30;

    public static MemorySize Mebibytes(ulong count) => new(count * MiB);

    public static MemorySize Gibibytes(ulong count) => new(count * GiB);

    public ulong Kibibytes => Bytes >> 10;

    [GeneratedRegex("^([0-9]{1,9})([MG])$")]
    private static partial Regex Form();

    /// <summary>Parses <c>NM</c> or <c>NG</c>; null with the reason in <paramref name="error"/> otherwise.</summary>
    public static MemorySize? TryParse(string text, out string? error)
    {
        Match m = Form().Match(text);
        ulong count = m.Success ? ulong.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        if (!m.Success || count == 0)
        {
            error = $"'{text}' is not a size like 512M or 4G";
            return null;
        }
        error = null;
        return m.Groups[2].Value == "G" ? Gibibytes(count) : Mebibytes(count);
    }

    public static MemorySize Parse(string text) =>
        TryParse(text, out string? error) ?? throw new LaunchException(error!);

    public override string ToString() =>
        Bytes % GiB == 0 ? $"{Bytes / GiB}G" : Bytes % MiB == 0 ? $"{Bytes / MiB}M" : $"{Bytes / 1024}K";
}
