using System;
using System.Collections.Generic;
using System.IO;

namespace GuestStub.Cli;

/// <summary>
/// Entry point of the host tool. Each sub-command lives in its own file under Commands/ and
/// is listed once in <see cref="Commands"/>. Exit codes: 0 success, 1 bad input (a DTB or ELF
/// that fails validation), 2 bad command line. Errors are one line on stderr, never a stack trace.
/// </summary>
public static class Program
{
    private static readonly ICommand[] Commands =
    {
        // Sub-commands are registered here, one line each.
        new Commands.ElfCommand(),
        new Commands.DtbCommand(),
        new Commands.PlanCommand(),
        new Commands.MapCommand(),
        new Commands.SymbolizeCommand(),
    };

    public static int Main(string[] args)
    {
        // Output is for people and for diffs against the guest: the same digits and separators
        // whatever the machine's locale.
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        return Run(args, Console.Out, Console.Error);
    }

    /// <summary>Runs the tool with explicit writers, so tests can capture the output.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(args.Length == 0 ? stderr : stdout);
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }

        foreach (ICommand command in Commands)
        {
            if (command.Name != args[0])
                continue;
            try
            {
                return command.Run(args.AsSpan(1).ToArray(), stdout, stderr);
            }
            catch (UsageException e)
            {
                stderr.WriteLine($"gueststub {command.Name}: {e.Message}");
                stderr.WriteLine($"usage: gueststub {command.Usage}");
                return ExitCodes.Usage;
            }
            catch (IOException e)
            {
                stderr.WriteLine($"gueststub {command.Name}: {e.Message}");
                return ExitCodes.BadInput;
            }
            catch (UnauthorizedAccessException e)
            {
                stderr.WriteLine($"gueststub {command.Name}: {e.Message}");
                return ExitCodes.BadInput;
            }
        }

        stderr.WriteLine($"gueststub: unknown command '{args[0]}'");
        PrintUsage(stderr);
        return ExitCodes.Usage;
    }

    private static void PrintUsage(TextWriter w)
    {
        w.WriteLine("usage: gueststub <command> [arguments]");
        w.WriteLine("commands:");
        foreach (ICommand command in Commands)
            w.WriteLine($"  {command.Usage,-50} {command.Summary}");
    }
}

/// <summary>One sub-command of the host tool.</summary>
public interface ICommand
{
    string Name { get; }
    string Usage { get; }
    string Summary { get; }
    int Run(string[] args, TextWriter stdout, TextWriter stderr);
}

/// <summary>Thrown by a command for a malformed command line; reported with the usage line.</summary>
public sealed class UsageException(string message) : Exception(message);

public static class ExitCodes
{
    public const int Ok = 0;
    public const int BadInput = 1;
    public const int Usage = 2;
}
