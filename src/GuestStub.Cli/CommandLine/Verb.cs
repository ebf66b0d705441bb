using System;
using System.CommandLine;
using System.IO;

namespace GuestStub.Cli.CommandLine;

/// <summary>Where a verb writes: its standard output and error (tests pass their own).</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error);

/// <summary>
/// One verb of the host tool: its name, a one-line synopsis and summary for <c>gueststub
/// --help</c>, its System.CommandLine definition (options, arguments, validators: each verb gets
/// its own <c>--help</c> and completions from it) and what it does. A verb returns an exit code
/// (<see cref="ExitCodes"/>); it throws <see cref="UsageException"/> for a command line that
/// parsed but makes no sense, <see cref="Launch.LaunchException"/> or an I/O error for bad input.
/// </summary>
public abstract class Verb
{
    public abstract string Name { get; }

    /// <summary>The verb and its arguments in one line, as <c>usage: gueststub ...</c> shows it.</summary>
    public abstract string Synopsis { get; }

    public abstract string Summary { get; }

    /// <summary>The verb as System.CommandLine parses it, bound to <paramref name="context"/>.</summary>
    public Command Build(CliContext context)
    {
        var command = new Command(Name, Summary);
        Define(command);
        command.SetAction(parse => Execute(parse, context));
        return command;
    }

    /// <summary>Adds the verb's options, arguments and validators.</summary>
    protected abstract void Define(Command command);

    protected abstract int Execute(ParseResult parse, CliContext context);
}
