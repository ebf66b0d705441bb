using System;
using System.Collections.Generic;
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

    public static IEnumerable<LogAddress> Find(string line)
    {
        foreach (Match m in AddressPattern().Matches(line))
            yield return new LogAddress(m.Groups[1].Value, Convert.ToUInt64(m.Groups[2].Value, 16));
    }
}
