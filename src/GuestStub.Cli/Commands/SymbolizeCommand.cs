using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub symbolize [--elf out/guest.elf] [FILE|-]</c>: copies a console log line by line,
/// unchanged, and after each line that holds an ELR or a backtrace address ("ELR 0x..", "pc 0x..",
/// "lr 0x..") adds one line per address: the method, from the symbol table read with
/// LibObjectFile, and the source file:line, from the DWARF line table read by llvm-symbolizer-14
/// (LibObjectFile 2.3.1 misdecodes ilc's line program). A return address ("lr") is looked up one
/// instruction back, at the call. Output is flushed per line, so it can sit in a live pipe.
/// </summary>
public sealed partial class SymbolizeCommand : ICommand
{
    public const string LineTool = "llvm-symbolizer-14";

    public string Name => "symbolize";
    public string Usage => "symbolize [--elf out/guest.elf] [FILE|-]";
    public string Summary => "annotate ELR and backtrace addresses in a console log with C# methods and source lines";

    [GeneratedRegex(@"\b(ELR|pc|lr) 0x([0-9a-f]+)")]
    private static partial Regex AddressPattern();

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        Arguments parsed = Arguments.Parse(args, new[] { "--elf" }, Array.Empty<string>());
        string elfPath = parsed.Value("--elf") ?? Path.Combine("out", "guest.elf");
        string input = parsed.Positionals.Count > 0 ? parsed.Positionals[0] : "-";
        parsed.RequireAtMostPositionals(1);
        if (!File.Exists(elfPath))
        {
            stderr.WriteLine($"gueststub symbolize: {elfPath}: no such ELF file (build it with ./build.sh build, or name it with --elf)");
            return ExitCodes.BadInput;
        }
        ElfInputResult elf = ElfInput.Read(File.ReadAllBytes(elfPath));
        if (elf.File is not { } file)
        {
            foreach (ElfFieldError e in elf.Errors)
                stderr.WriteLine($"gueststub symbolize: {elfPath}: {e}");
            return ExitCodes.BadInput;
        }
        var functions = Functions(file);
        using var lines = LineTable.Start(elfPath, stderr);
        if (lines is null)
            return ExitCodes.BadInput;
        using TextReader reader = input == "-" ? Console.In : new StreamReader(input);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            stdout.WriteLine(line);
            foreach (Match m in AddressPattern().Matches(line))
            {
                ulong address = Convert.ToUInt64(m.Groups[2].Value, 16);
                // A return address points after the call: look the call itself up.
                ulong at = m.Groups[1].Value == "lr" && address >= 4 ? address - 4 : address;
                stdout.WriteLine($"    {m.Groups[1].Value} 0x{address:x}: {Method(functions, at)} at {lines.Lookup(at)}");
            }
            stdout.Flush();
        }
        return ExitCodes.Ok;
    }

    /// <summary>The function symbols, by address.</summary>
    private static List<ElfSymbol> Functions(ElfFile file) =>
        (file.SymbolTable()?.Entries ?? new List<ElfSymbol>())
            .Where(s => s.Type == ElfSymbolType.Function && s.SectionLink.Section is not null && !string.IsNullOrEmpty(s.Name.Value))
            .OrderBy(s => s.Value).ToList();

    /// <summary>"Name+0xoffset" of the function holding the address, or "??".</summary>
    internal static string Method(List<ElfSymbol> functions, ulong address)
    {
        ElfSymbol? best = null;
        foreach (ElfSymbol s in functions)
        {
            if (s.Value > address)
                break;
            if (s.Size == 0 || address - s.Value < s.Size)
                best = s;
        }
        return best is { } f ? $"{f.Name.Value}+0x{address - f.Value:x}" : "??";
    }

    /// <summary>llvm-symbolizer-14 kept running for the whole log: one address in, one "file:line:column" out.</summary>
    private sealed class LineTable : IDisposable
    {
        private readonly Process _process;

        private LineTable(Process process) => _process = process;

        public static LineTable? Start(string elf, TextWriter stderr)
        {
            var info = new ProcessStartInfo(LineTool)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add("--obj=" + elf);
            info.ArgumentList.Add("--functions=none");
            try
            {
                return new LineTable(Process.Start(info) ?? throw new InvalidOperationException());
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                stderr.WriteLine($"gueststub symbolize: cannot run {LineTool} ({e.Message}): install llvm-14 (./build.sh setup does)");
                return null;
            }
        }

        public string Lookup(ulong address)
        {
            _process.StandardInput.WriteLine($"0x{address:x}");
            _process.StandardInput.Flush();
            string result = _process.StandardOutput.ReadLine() ?? "??:0:0";
            while (_process.StandardOutput.ReadLine() is { Length: > 0 }) { }
            // "file:line:column": the column is 0 throughout ilc's line table.
            int last = result.LastIndexOf(':');
            return last > 0 && result[(last + 1)..] == "0" ? result[..last] : result;
        }

        public void Dispose()
        {
            try
            {
                _process.StandardInput.Close();
                _process.WaitForExit(5000);
            }
            finally
            {
                _process.Dispose();
            }
        }
    }
}
