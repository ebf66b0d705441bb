using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using GuestStub.Cli.CommandLine;
using GuestStub.DeviceTree;
using GuestStub.Simulation;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub plan DTB [options] [--domu DOMU.dtb [options]]... [--static-evtchn]</c>: runs
/// the stub's whole boot for each tree against the simulated Xen (GuestStub.Simulation), all the
/// domains together on one simulated machine, each running Core's real code, and prints what
/// each guest would print: its summary lines and its <c>report</c> lines (Xen setup, extended
/// regions, scratch pool, self-tests, across domains, teardown).
///
/// The first tree is dom0's (direct-mapped, domid 0); each <c>--domu FILE</c> adds a dom0less
/// domU (translated, ids 1, 2, ... in order, or <c>--domid N</c>); a bare <c>--domu</c> after the
/// only tree plans a domU with no dom0. Each model's RAM is its tree's memory banks. After a
/// tree, <c>--bootargs</c> replaces its /chosen/bootargs, and <c>--dtb-address</c> and
/// <c>--image</c> place the tree and the stub image where the guest found them (its banner prints
/// both), so the page allocator and the region checks see the same reserved ranges as the guest.
/// For the machine: <c>--clamp</c>, the exclusive addressable limit (default 2^39, what the guest
/// computes on QEMU virt's cortex-a57); <c>--max-grant-frames</c>, Xen's gnttab_max_frames;
/// <c>--static-evtchn</c>, a static event channel between dom0 and each domU bound before any
/// domain runs, as gueststub run --static-evtchn makes them (dom0's port 10 + domid, the
/// domU's port 10); <c>--xen VERSION</c>, the Xen release modelled (4.17, the default, 4.20,
/// 4.21, 4.22, or a point release such as 4.20.3: SimulatedXenRelease), whose differences the
/// first line then names. Each domain's upcall comes on the PPI its tree's hypervisor node names.
///
/// One tree prints its lines as they are; several print each domain's under a line
/// <c>=== domain N (dom0|domU): FILE</c>. A domain dom0's power-off cut short, and a domU whose
/// frontend had nobody to publish to because the plan has no dom0, get a line saying so. Exit code 0 when
/// every domain's report says <c>status ok</c> and the model's books balance after teardown, 1
/// otherwise (2 for a bad command line).
/// </summary>
public sealed class PlanCommand : Verb
{
    public override string Name => "plan";
    public override string Synopsis => "plan <dtb> [--bootargs \"...\"] [--dtb-address ADDR] [--image START-END] [--domu DOMU.dtb [--domid N] [same options]]... [--domu] [--static-evtchn] [--max-grant-frames N] [--clamp ADDR] [--xen VERSION]";
    public override string Summary => "run the boot of dom0 and domUs against a simulated Xen, print each report";

    protected override void Define(Command command)
    {
        // Options after a tree belong to that tree, so the order of the words is the meaning:
        // System.CommandLine gives the verb its help and completions, and PlanArguments reads the
        // words in order (several domains' --bootargs, a bare --domu).
        command.TreatUnmatchedTokensAsErrors = false;
        command.Arguments.Add(new Argument<string>("dtb") { Description = "dom0's tree (or, with a bare --domu, a domU's alone)", Arity = ArgumentArity.ZeroOrOne });
        command.Options.Add(Repeatable("--domu", "a dom0less domU's tree (ids 1, 2, ...); bare after the only tree: plan it as a domU alone", "DOMU.dtb", ArgumentArity.ZeroOrMore));
        command.Options.Add(Repeatable("--bootargs", "the tree before it: replace /chosen/bootargs", "\"...\""));
        command.Options.Add(Repeatable("--dtb-address", "the tree before it: where the guest found it", "ADDR"));
        command.Options.Add(Repeatable("--image", "the tree before it: where the stub image lay, 0xSTART-0xEND", "START-END"));
        command.Options.Add(Repeatable("--domid", "the domU before it: its domid instead of the next", "N"));
        command.Options.Add(CliValues.Flag("--static-evtchn", "a static event channel between dom0 and each domU, bound before any domain runs"));
        command.Options.Add(Repeatable("--max-grant-frames", "Xen's gnttab_max_frames (1..4096, default 64)", "N"));
        command.Options.Add(Repeatable("--clamp", "the exclusive addressable limit (default 2^39)", "ADDR"));
        command.Options.Add(Repeatable("--xen", "the Xen release modelled: 4.17 (default), 4.20, 4.21, 4.22, or a point release such as 4.20.3", "VERSION"));
    }

    /// <summary>An option PlanArguments reads itself from the words in order (it may come once per tree).</summary>
    private static Option<string[]> Repeatable(string name, string description, string helpName, ArgumentArity? arity = null) => new(name)
    {
        Description = description,
        HelpName = helpName,
        Arity = arity ?? ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The command line's words after the verb, in order.</summary>
    private static string[] Words(ParseResult parse) =>
        parse.Tokens.SkipWhile(t => t.Type != System.CommandLine.Parsing.TokenType.Command).Skip(1).Select(t => t.Value).ToArray();

    protected override int Execute(ParseResult parse, CliContext context)
    {
        TextWriter stdout = context.Out, stderr = context.Error;
        PlanArguments plan = PlanArguments.Parse(Words(parse));
        var options = new SimulatedMachineOptions
        {
            StaticEventChannels = plan.StaticEventChannels && plan.Dom0 is not null
                ? plan.Domains.Where(d => d.IsDomU).Select(d => StaticEventChannel.Dom0ToDomU(d.Domid)).ToArray()
                : Array.Empty<StaticEventChannel>(),
        };
        using var machine = new SimulatedMachine(options);
        var runs = new List<SimulatedDomainRun>();
        foreach (PlanDomain domain in plan.Domains)
        {
            byte[] dtb = File.ReadAllBytes(domain.Path);
            SimulatedXen xen;
            try
            {
                xen = machine.Add(SimulatedBoot.CreateModel(dtb, ram => domain.IsDomU
                    ? SimulatedXenOptions.ForDomU(ram, domain.Domid, plan.MaxGrantFrames, plan.Xen)
                    : SimulatedXenOptions.ForDom0(ram, plan.MaxGrantFrames, plan.Xen)));
            }
            catch (SimulatedBoot.InvalidDtbException e)
            {
                // The same one line as `gueststub dtb` for a blob that fails validation.
                if (e.Status is DtbStatus status)
                    return DtbCommand.Fail(stderr, Name, domain.Path, status);
                stderr.WriteLine($"gueststub plan: {domain.Path}: {e.Message}");
                return ExitCodes.BadInput;
            }
            var place = new GuestPlacement { DtbAddress = domain.DtbAddress, Image = domain.Image, AddressableLimit = plan.Clamp };
            runs.Add(SimulatedDomainRun.Stub(xen, dtb, domain.Bootargs, place));
        }

        IReadOnlyList<SimulatedBootResult> results;
        try
        {
            results = machine.Run(runs.ToArray());
        }
        catch (SimulatedBoot.InvalidDtbException e)
        {
            stderr.WriteLine($"gueststub plan: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (TimeoutException e)
        {
            stderr.WriteLine($"gueststub plan: the simulation did not finish: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (SimulatedXenException e)
        {
            // The stub asked something the model cannot answer: one line, never a stack trace.
            stderr.WriteLine($"gueststub plan: the simulated Xen stopped: {e.Message}");
            return ExitCodes.BadInput;
        }

        bool several = plan.Domains.Count > 1;
        bool ok = true;
        if (plan.Xen is SimulatedXenRelease release)
            stdout.Write($"gueststub plan: simulated {release.Describe()}\n");
        foreach ((PlanDomain domain, SimulatedBootResult result) in plan.Domains.Zip(results))
        {
            if (several)
                stdout.Write($"=== domain {domain.Domid} ({(domain.IsDomU ? "domU" : "dom0")}): {domain.Path}\n");
            stdout.Write(result.Output);
            if (result.CutOff is string cut)
                stdout.Write($"gueststub plan: domain {domain.Domid} did not finish: {cut}\n");
            if (domain.IsDomU && plan.Dom0 is null && result.Result.CrossDomain.Frontend.NoBackend)
                stdout.Write($"gueststub plan: no dom0 in this plan: the frontend had nobody to publish to " +
                    $"(plan DOM0.dtb --domu {domain.Path} runs them together)\n");
            foreach (string problem in result.BooksProblems)
                stderr.WriteLine($"gueststub plan: simulated Xen after teardown: {(several ? $"d{domain.Domid}: " : "")}{problem}");
            ok &= result.CutOff is null && result.Result.IsOk && result.BooksProblems.Count == 0;
        }
        return ok ? ExitCodes.Ok : ExitCodes.BadInput;
    }

    /// <summary>--clamp, the exclusive addressable limit: above 0; by default 2^39, what the
    /// guest computes on QEMU virt's cortex-a57. The map command takes it too.</summary>
    internal static Option<ulong?> ClampOption()
    {
        Option<ulong?> clamp = CliValues.Unsigned("--clamp", "the exclusive addressable limit (default 2^39, the stub's identity map)", "ADDR");
        clamp.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<ulong?>() == 0)
                result.AddError("--clamp must be above 0");
        });
        return clamp;
    }
}
