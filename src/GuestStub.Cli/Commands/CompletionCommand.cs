using System;
using System.CommandLine;
using System.IO;
using GuestStub.Cli.CommandLine;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub completion bash</c>: prints a bash completion function for gueststub. It asks
/// the tool itself what may come next, through System.CommandLine's <c>[suggest:POSITION]</c>
/// directive, so every verb's options and values complete as its definition says. Load it with
/// <c>source &lt;(gueststub completion bash)</c>; zsh reads it after <c>autoload bashcompinit; bashcompinit</c>.
/// </summary>
public sealed class CompletionCommand : Verb
{
    public override string Name => "completion";
    public override string Synopsis => "completion bash";
    public override string Summary => "print the shell completion script (source <(gueststub completion bash))";

    private readonly Argument<string> _shell = new("shell") { Description = "the shell: bash (zsh through bashcompinit)" };

    protected override void Define(Command command)
    {
        _shell.AcceptOnlyFromAmong("bash");
        command.Arguments.Add(_shell);
    }

    protected override int Execute(ParseResult parse, CliContext context)
    {
        context.Out.Write(Script(Self()));
        return ExitCodes.Ok;
    }

    /// <summary>How to run this very tool again: its apphost, or dotnet and its assembly.</summary>
    private static string Self()
    {
        string process = Environment.ProcessPath ?? "gueststub";
        string assembly = typeof(Program).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? $"'{process}' '{assembly}'" : $"'{process}'";
    }

    /// <summary>The completion function: the line and the cursor go to the tool, its answers,
    /// one per line, become the completions.</summary>
    public static string Script(string self) => $$"""
        # gueststub's completions (gueststub completion bash): source this file, or
        #   source <(gueststub completion bash)
        _gueststub_complete() {
            local IFS=$'\n'
            COMPREPLY=($({{self}} "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null))
        }
        complete -o default -F _gueststub_complete gueststub

        """;
}
