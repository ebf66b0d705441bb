using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace GuestStub.Cli.Commands;

/// <summary>
/// The parsing half of <c>gueststub symbolize</c>: the ELR and backtrace addresses in one line of
/// a console log ("ELR 0x..", "pc 0x..", "lr 0x..", as the guest's fatal-exception report prints
/// them), in the order they appear. Pure: no files, no processes (the fuzz target `symbolize`
/// runs it).
/// </summary>
public static partial class ConsoleLogAddresses
{
    [GeneratedRegex(@"\b(ELR|pc|lr) 0x([0-9a-f]+)")]
    private static partial Regex AddressPattern();

    /// <summary>The addresses of <paramref name="line"/>. A number wider than 64 bits (17 hex
    /// digits or more, leading zeros aside) is no address the guest prints, whatever else wrote
    /// it: it is skipped, and the line still passes through.</summary>
    public static IEnumerable<LogAddress> Find(string line)
    {
        foreach (Match m in AddressPattern().Matches(line))
        {
            // Not Convert.ToUInt64: it throws on such a number, which ended the whole log
            // (found by ./build.sh fuzz symbolize; regressions/symbolize in tests/GuestStub.Fuzz).
            if (ulong.TryParse(m.Groups[2].ValueSpan, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong address))
                yield return new LogAddress(m.Groups[1].Value, address);
        }
    }
}
