using System;
using System.IO;
using GuestStub.Simulation;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub plan &lt;dtb&gt; [--bootargs "..."] [--domu] [--domid N] [--max-grant-frames N]</c>:
/// runs the stub's whole boot sequence for that DTB against the simulated Xen (GuestStub.Simulation)
/// and prints what the guest would print: the summary lines and the same <c>report</c> lines.
/// The model is a direct-mapped dom0 (domid 0) unless --domu (a translated domU, domid 1 or
/// --domid); its RAM is the DTB's memory banks. Exit code 0 when the report says
/// <c>status ok</c> and the model's books balance after teardown, 1 otherwise.
/// </summary>
public sealed class PlanCommand : ICommand
{
    public string Name => "plan";
    public string Usage => "plan <dtb> [--bootargs \"...\"] [--domu] [--domid N] [--max-grant-frames N]";
    public string Summary => "run the boot sequence against a simulated Xen, print the report";

    private static readonly string[] ValueOptions = { "--bootargs", "--domid", "--max-grant-frames" };
    private static readonly string[] Flags = { "--domu" };

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        Arguments arguments = Arguments.Parse(args, ValueOptions, Flags);
        string path = arguments.RequirePositional(0, "DTB file");
        arguments.RequireAtMostPositionals(1);
        bool domU = arguments.Has("--domu");
        ulong domid = arguments.UnsignedValue("--domid") ?? (domU ? 1UL : 0UL);
        if (domid > Boot.XenBootOptions.MaxDomid)
            throw new UsageException($"--domid must be at most {Boot.XenBootOptions.MaxDomid}");
        if (!domU && domid != 0)
            throw new UsageException("--domid applies to --domu only (dom0 is domain 0)");
        ulong maxFrames = arguments.UnsignedValue("--max-grant-frames") ?? 64;
        if (maxFrames is 0 or > 4096)
            throw new UsageException("--max-grant-frames must be 1..4096");

        byte[] dtb = File.ReadAllBytes(path);
        SimulatedBootResult result;
        try
        {
            result = SimulatedBoot.Run(dtb, arguments.Value("--bootargs"), ram => domU
                ? SimulatedXenOptions.ForDomU(ram, (ushort)domid, (uint)maxFrames)
                : SimulatedXenOptions.ForDom0(ram, (uint)maxFrames));
        }
        catch (SimulatedBoot.InvalidDtbException e)
        {
            stderr.WriteLine($"gueststub plan: {path}: {e.Message}");
            return ExitCodes.BadInput;
        }

        stdout.Write(result.Output);
        foreach (string problem in result.BooksProblems)
            stderr.WriteLine($"gueststub plan: simulated Xen after teardown: {problem}");
        return result.Outcome.IsOk && result.BooksProblems.Count == 0 ? ExitCodes.Ok : ExitCodes.BadInput;
    }
}
