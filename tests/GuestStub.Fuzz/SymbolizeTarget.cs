using System;
using System.Collections.Generic;
using System.IO;
using GuestStub.Cli.Commands;

namespace GuestStub.Fuzz;

/// <summary>
/// <c>symbolize</c>: the console-log symbolizer of <c>gueststub symbolize</c>
/// (ConsoleLogSymbolizer: the line loop, ConsoleLogAddresses: the parsing, FunctionSymbols: the
/// lookup) on a fuzzed log, read as the command reads a file. Only llvm-symbolizer, a process
/// that reads the ELF's line table, is left out: a stand-in answers for it. Findings: an
/// exception, or a broken promise of the tool: every line passes through unchanged and in order,
/// and every annotation names an address written in the line before it.
/// </summary>
internal static class SymbolizeTarget
{
    /// <summary>Ends every stand-in source line, so annotations are told from log lines: random
    /// per process, so no input can contain it.</summary>
    private static readonly string s_marker = "fuzz-" + Guid.NewGuid().ToString("N");

    /// <summary>A few functions laid out like the guest's (ilc's names, the TTBR1 link address),
    /// with a size-0 symbol and one inside another.</summary>
    private static readonly FunctionSymbols s_functions = new(new FunctionSymbol[]
    {
        new("primary_switched", 0xffffff800008032c, 0),
        new("gueststub_read_u64", 0xffffff8000080708, 8),
        new("gueststub_main", 0xffffff8000088538, 0x200),
        new("GuestStub_Guest_GuestStub_Guest_SelfTests__Run", 0xffffff800008e924, 0x400),
        new("inner", 0xffffff800008ea00, 0x10),
        new("last", 0xffffffffffffff00, 0xff),
    });

    public static void Run(byte[] input)
    {
        var output = new StringWriter();
        using (var log = new StreamReader(new MemoryStream(input)))
            ConsoleLogSymbolizer.Annotate(log, output, s_functions.Describe, _ => s_marker);

        List<string> logLines = Lines(new StreamReader(new MemoryStream(input)));
        List<string> outLines = Lines(new StringReader(output.ToString()));
        int next = 0;
        string? previous = null;
        foreach (string line in outLines)
        {
            if (line.EndsWith(" at " + s_marker, StringComparison.Ordinal))
            {
                Require(previous is not null, "an annotation before any log line");
                RequireNamedIn(line, previous!);
                continue;
            }
            Require(next < logLines.Count && line == logLines[next], $"log line {next + 1} not passed through unchanged");
            previous = line;
            next++;
        }
        Require(next == logLines.Count, $"{logLines.Count - next} log line(s) missing from the output");
    }

    /// <summary>"    KIND 0xHEX: ..." names an address the log line writes as "KIND 0x" and the
    /// same number (leading zeros allowed), not followed by another hex digit.</summary>
    private static void RequireNamedIn(string annotation, string logLine)
    {
        Require(annotation.StartsWith("    ", StringComparison.Ordinal), "annotation not indented");
        int space = annotation.IndexOf(' ', 4), colon = annotation.IndexOf(':', 4);
        Require(space > 4 && colon > space + 3, "annotation without KIND 0xADDRESS:");
        string kind = annotation[4..space], hex = annotation[(space + 3)..colon];
        Require(kind is "ELR" or "pc" or "lr", $"annotation of an unknown kind '{kind}'");
        string written = kind + " 0x";
        for (int at = logLine.IndexOf(written, StringComparison.Ordinal); at >= 0; at = logLine.IndexOf(written, at + 1, StringComparison.Ordinal))
        {
            int digits = at + written.Length, end = digits;
            while (end < logLine.Length && Uri.IsHexDigit(logLine[end]) && !char.IsUpper(logLine[end]))
                end++;
            if (end > digits && logLine[digits..end].TrimStart('0').PadLeft(1, '0') == hex)
                return;
        }
        throw new InvalidOperationException($"annotation '{kind} 0x{hex}' names no address of its log line");
    }

    private static List<string> Lines(TextReader reader)
    {
        var lines = new List<string>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
            lines.Add(line);
        return lines;
    }

    private static void Require(bool condition, string broken)
    {
        if (!condition)
            throw new InvalidOperationException("symbolizer promise broken: " + broken);
    }
}
