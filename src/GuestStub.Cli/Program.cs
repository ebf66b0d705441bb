using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.IO;
using System.Linq;
using GuestStub.Cli.CommandLine;
using GuestStub.Launch;

namespace GuestStub.Cli;

/// <summary>
/// Entry point of the host tool. Each verb lives in its own file under Commands/ and is listed
/// once in <see cref="NewVerbs"/>; System.CommandLine parses every verb's options, so each has its
/// own <c>--help</c>, checked values and shell completion (<c>gueststub completion bash</c>).
/// Exit codes: 0 success, 1 bad input (a DTB or ELF that fails validation, a missing image, a
/// boot that failed), 2 bad command line. Errors are one line on stderr, never a stack trace.
/// </summary>
public static class Program
{
    // A fresh set each run: a verb's options and arguments are System.CommandLine objects that a
    // command's build and help change (completion sources, parents), so two runs at once (tests
    // in parallel) must not share them.
    private static Verb[] NewVerbs() => new Verb[]
    {
        // Verbs are registered here, one line each.
        new Commands.ElfCommand(),
        new Commands.DtbCommand(),
        new Commands.PlanCommand(),
        new Commands.MapCommand(),
        new Commands.SymbolizeCommand(),
        new Commands.RunCommand(),
        new Commands.MatrixCommand(),
        new Commands.DebugCommand(),
        new Commands.BenchGuestCommand(),
        new Commands.CompletionCommand(),
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
        var context = new CliContext(stdout, stderr);
        var root = new RootCommand("GuestStub's host tool: read trees and ELF files, plan a boot on a simulated Xen, boot the guest in QEMU");
        // The name help and usage lines show, whatever runs the tool (its apphost, dotnet, a test host).
        root.HelpName = "gueststub";
        Verb[] verbs = NewVerbs();
        var byCommand = new Dictionary<Command, Verb>();
        foreach (Verb verb in verbs)
        {
            Command command = verb.Build(context);
            byCommand[command] = verb;
            root.Subcommands.Add(command);
        }
        // `gueststub --help` lists every verb with its synopsis; a verb's --help is its own.
        HelpOption help = root.Options.OfType<HelpOption>().Single();
        help.Action = new RootHelp(root, help.Action!, w => PrintUsage(verbs, w));

        ParseResult parse = root.Parse(args);
        Verb? current = byCommand.GetValueOrDefault(parse.CommandResult.Command);
        string who = current is null ? "gueststub" : "gueststub " + current.Name;
        if (parse.Action is ParseErrorAction)
        {
            if (args.Length == 0)
            {
                PrintUsage(verbs, stderr);
                return ExitCodes.Usage;
            }
            foreach (var error in parse.Errors)
                stderr.WriteLine($"{who}: {error.Message.Replace("\n", " ", StringComparison.Ordinal).Replace("\t", "", StringComparison.Ordinal)}");
            PrintUsageOf(verbs, current, stderr);
            return ExitCodes.Usage;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"{who}: {e.Message}");
            PrintUsageOf(verbs, current, stderr);
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is LaunchException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{who}: {e.Message}");
            return ExitCodes.BadInput;
        }
    }

    private static void PrintUsageOf(Verb[] verbs, Verb? verb, TextWriter w)
    {
        if (verb is null)
        {
            PrintUsage(verbs, w);
            return;
        }
        w.WriteLine($"usage: gueststub {verb.Synopsis}");
        w.WriteLine($"(gueststub {verb.Name} --help describes every option)");
    }

    private static void PrintUsage(Verb[] verbs, TextWriter w)
    {
        w.WriteLine("usage: gueststub <command> [arguments]   (gueststub <command> --help for its options)");
        w.WriteLine("commands:");
        foreach (Verb verb in verbs)
            w.WriteLine($"  {verb.Synopsis,-50} {verb.Summary}");
    }

    /// <summary>The root's --help prints the verbs' synopses; a verb's --help is System.CommandLine's.</summary>
    private sealed class RootHelp(RootCommand root, CommandLineAction standard, Action<TextWriter> usage) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            if (parseResult.CommandResult.Command != root)
                return standard is SynchronousCommandLineAction s ? s.Invoke(parseResult) : 0;
            usage(parseResult.InvocationConfiguration.Output);
            return ExitCodes.Ok;
        }
    }
}

/// <summary>Thrown by a verb for a command line that makes no sense; reported with the usage line.</summary>
public sealed class UsageException(string message) : Exception(message);

public static class ExitCodes
{
    public const int Ok = 0;
    public const int BadInput = 1;
    public const int Usage = 2;
}
