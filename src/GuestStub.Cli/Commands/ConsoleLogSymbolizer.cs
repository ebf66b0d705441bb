using System;
using System.IO;

namespace GuestStub.Cli.Commands;

/// <summary>
/// The loop of <c>gueststub symbolize</c>, apart from where names come from: copies each line of
/// the log unchanged and, after it, one line per address in it
/// (<c>    KIND 0xADDRESS: METHOD at FILE:LINE</c>). Output is flushed per line, so it can sit in
/// a live pipe. The command passes the ELF's symbol table and llvm-symbolizer; the fuzz target
/// `symbolize` passes stand-ins, so everything here is fuzzed.
/// </summary>
public static class ConsoleLogSymbolizer
{
    public static void Annotate(TextReader log, TextWriter output, Func<ulong, string> method, Func<ulong, string> sourceLine)
    {
        string? line;
        while ((line = log.ReadLine()) is not null)
            AnnotateLine(line, output, method, sourceLine);
    }

    /// <summary>One line: copied, then one line per address in it; flushed.</summary>
    public static void AnnotateLine(string line, TextWriter output, Func<ulong, string> method, Func<ulong, string> sourceLine)
    {
        output.WriteLine(line);
        foreach (LogAddress a in ConsoleLogAddresses.Find(line))
            output.WriteLine($"    {a.Kind} 0x{a.Address:x}: {method(a.LookupAddress)} at {sourceLine(a.LookupAddress)}");
        output.Flush();
    }
}
