using System;
using System.Diagnostics;
using System.IO;
using GuestStub.ElfInputChecks;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub symbolize [--elf out/guest.elf] [FILE|-]</c>: copies a console log line by line,
/// unchanged, and after each line that holds an ELR or a backtrace address ("ELR 0x..", "pc 0x..",
/// "lr 0x..") adds one line per address: the method, from the symbol table read with
/// LibObjectFile, and the source file:line, from the DWARF line table read by llvm-symbolizer-14
/// (LibObjectFile 2.3.1 misdecodes ilc's line program). A return address ("lr") is looked up one
/// instruction back, at the call. The loop and the parsing are ConsoleLogSymbolizer and
/// ConsoleLogAddresses; this class holds the files and the process.
/// </summary>
public sealed class SymbolizeCommand : ICommand
{
    public const string LineTool = "llvm-symbolizer-14";

    public string Name => "symbolize";
    public string Usage => "symbolize [--elf out/guest.elf] [FILE|-]";
    public string Summary => "annotate ELR and backtrace addresses in a console log with C# methods and source lines";

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        Arguments parsed = Arguments.Parse(args, new[] { "--elf" }, Array.Empty<string>());
        string elfPath = parsed.Value("--elf") ?? Path.Combine("out", "guest.elf");
        string input = parsed.Positionals.Count > 0 ? parsed.Positionals[0] : "-";
        parsed.RequireAtMostPositionals(1);
        if (!File.Exists(elfPath))
        {
            stderr.WriteLine($"gueststub symbolize: {elfPath}: no such ELF file (build it with ./build.sh build or dotnet build, or name it with --elf)");
            return ExitCodes.BadInput;
        }
        ElfInputResult elf = ElfInput.Read(File.ReadAllBytes(elfPath));
        if (elf.File is not { } file)
        {
            foreach (ElfFieldError e in elf.Errors)
                stderr.WriteLine($"gueststub symbolize: {elfPath}: {e}");
            return ExitCodes.BadInput;
        }
        FunctionSymbols functions = FunctionSymbols.From(file);
        using var lines = LineTable.Start(elfPath, stderr);
        if (lines is null)
            return ExitCodes.BadInput;
        using TextReader reader = input == "-" ? Console.In : new StreamReader(input);
        ConsoleLogSymbolizer.Annotate(reader, stdout, functions.Describe, lines.Lookup);
        return ExitCodes.Ok;
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
