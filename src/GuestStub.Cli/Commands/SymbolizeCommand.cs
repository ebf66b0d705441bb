using System;
using System.CommandLine;
using System.IO;
using GuestStub.Cli.CommandLine;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub symbolize [--elf out/guest.elf] [FILE|-]</c>: copies a console log line by line,
/// unchanged, and after each line that holds an ELR or a backtrace address ("ELR 0x..", "pc 0x..",
/// "lr 0x..") adds one line per address: the method, from the symbol table read with
/// LibObjectFile, and the source file:line, from the DWARF line table read by llvm-symbolizer-14.
/// A return address ("lr") is looked up one instruction back, at the call. The loop and the
/// parsing are ConsoleLogSymbolizer and ConsoleLogAddresses; the files and the process, <see cref="Symbolizer"/>.
/// </summary>
public sealed class SymbolizeCommand : Verb
{
    public override string Name => "symbolize";
    public override string Synopsis => "symbolize [--elf out/guest.elf] [FILE|-]";
    public override string Summary => "annotate ELR and backtrace addresses in a console log with C# methods and source lines";

    private readonly Option<string> _elf = CliValues.Text("--elf", "the ELF the guest ran (symbols and DWARF)", "FILE", Path.Combine("out", "guest.elf"));
    private readonly Argument<string> _log = new("log") { Description = "the console log, or - for standard input", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "-" };

    protected override void Define(Command command)
    {
        command.Options.Add(_elf);
        command.Arguments.Add(_log);
    }

    protected override int Execute(ParseResult parse, CliContext context)
    {
        string input = parse.GetValue(_log)!;
        using Symbolizer? symbolizer = Symbolizer.Open(parse.GetValue(_elf)!, context.Error, "gueststub symbolize");
        if (symbolizer is null)
            return ExitCodes.BadInput;
        using TextReader reader = input == "-" ? Console.In : new StreamReader(input);
        symbolizer.Annotate(reader, context.Out);
        return ExitCodes.Ok;
    }
}
