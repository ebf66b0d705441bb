using System;
using System.IO;
using GuestStub.ElfInputChecks;

namespace GuestStub.Cli.Commands;

/// <summary>
/// Names the addresses of a guest's crash report: the method from the ELF's symbol table
/// (LibObjectFile), the source file:line from its DWARF (llvm-symbolizer-14). Shared by
/// <c>gueststub symbolize</c> (a saved log) and <c>gueststub run</c> (the live console).
/// </summary>
public sealed class Symbolizer : IDisposable
{
    private readonly FunctionSymbols _functions;
    private readonly LlvmLineTable _lines;

    private Symbolizer(FunctionSymbols functions, LlvmLineTable lines)
    {
        _functions = functions;
        _lines = lines;
    }

    /// <summary>Whether llvm-symbolizer stopped before the log ended.</summary>
    public bool Failed => _lines.Failed;

    /// <summary>The symbolizer of <paramref name="elfPath"/>, or null with the reason on
    /// <paramref name="stderr"/> (no such file, not an ELF the checks accept, no llvm-symbolizer).</summary>
    public static Symbolizer? Open(string elfPath, TextWriter stderr, string who)
    {
        if (!File.Exists(elfPath))
        {
            stderr.WriteLine($"{who}: {elfPath}: no such ELF file (build it with ./build.sh build or dotnet build, or name it with --elf)");
            return null;
        }
        ElfInputResult elf = ElfInput.Read(File.ReadAllBytes(elfPath));
        if (elf.File is not { } file)
        {
            foreach (ElfFieldError e in elf.Errors)
                stderr.WriteLine($"{who}: {elfPath}: {e}");
            return null;
        }
        LlvmLineTable? lines = LlvmLineTable.Start(elfPath, stderr, who);
        return lines is null ? null : new Symbolizer(FunctionSymbols.From(file), lines);
    }

    /// <summary>Writes <paramref name="line"/> and the lines naming its addresses.</summary>
    public void Annotate(string line, TextWriter output) => ConsoleLogSymbolizer.AnnotateLine(line, output, _functions.Describe, _lines.Lookup);

    public void Annotate(TextReader log, TextWriter output) => ConsoleLogSymbolizer.Annotate(log, output, _functions.Describe, _lines.Lookup);

    public void Dispose() => _lines.Dispose();
}
