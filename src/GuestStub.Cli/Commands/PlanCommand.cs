using System;
using GuestStub.DeviceTree;
using System.IO;
using GuestStub.Simulation;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub plan &lt;dtb&gt; [--bootargs "..."] [--domu] [--domid N] [--max-grant-frames N]
/// [--dtb-address ADDR] [--image START-END] [--clamp ADDR]</c>:
/// runs the stub's whole boot sequence for that DTB against the simulated Xen (GuestStub.Simulation)
/// and prints what the guest would print: the summary lines and the same <c>report</c> lines
/// (Xen setup, extended regions, scratch pool, self-tests, teardown).
/// The model is a direct-mapped dom0 (domid 0) unless --domu (a translated domU, domid 1 or
/// --domid); its RAM is the DTB's memory banks. --dtb-address and --image place the tree and the
/// stub image where the guest found them (its banner prints both), so the page allocator and
/// the region checks see the same reserved ranges as the guest; --clamp is the exclusive
/// addressable limit (default 2^39, what the guest computes on QEMU virt's cortex-a57).
/// Exit code 0 when the report says <c>status ok</c> and the model's books balance after
/// teardown, 1 otherwise.
/// </summary>
public sealed class PlanCommand : ICommand
{
    public string Name => "plan";
    public string Usage => "plan <dtb> [--bootargs \"...\"] [--domu] [--domid N] [--max-grant-frames N] [--dtb-address ADDR] [--image START-END] [--clamp ADDR]";
    public string Summary => "run the boot sequence against a simulated Xen, print the report";

    private static readonly string[] ValueOptions = { "--bootargs", "--domid", "--max-grant-frames", "--dtb-address", "--image", "--clamp" };
    private static readonly string[] Flags = { "--domu" };

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        Arguments arguments = Arguments.Parse(args, ValueOptions, Flags);
        string path = arguments.RequirePositional(0, "DTB file");
        arguments.RequireAtMostPositionals(1);
        bool domU = arguments.Has("--domu");
        ulong domid = arguments.UnsignedValue("--domid") ?? (domU ? 1UL : 0UL);
        if (domid > Platform.BootOptions.MaxDomid)
            throw new UsageException($"--domid must be at most {Platform.BootOptions.MaxDomid}");
        if (!domU && domid != 0)
            throw new UsageException("--domid applies to --domu only (dom0 is domain 0)");
        ulong maxFrames = arguments.UnsignedValue("--max-grant-frames") ?? 64;
        if (maxFrames is 0 or > 4096)
            throw new UsageException("--max-grant-frames must be 1..4096");

        var place = new GuestPlacement
        {
            DtbAddress = arguments.UnsignedValue("--dtb-address"),
            Image = arguments.Value("--image") is string image ? ParseRange(image) : null,
            AddressableLimit = ClampValue(arguments),
        };

        byte[] dtb = File.ReadAllBytes(path);
        SimulatedBootResult result;
        try
        {
            result = SimulatedBoot.Run(dtb, arguments.Value("--bootargs"), ram => domU
                ? SimulatedXenOptions.ForDomU(ram, (ushort)domid, (uint)maxFrames)
                : SimulatedXenOptions.ForDom0(ram, (uint)maxFrames), place: place);
        }
        catch (SimulatedBoot.InvalidDtbException e)
        {
            // The same one line as `gueststub dtb` for a blob that fails validation.
            if (e.Status is DtbStatus status)
                return DtbCommand.Fail(stderr, Name, path, status);
            stderr.WriteLine($"gueststub plan: {path}: {e.Message}");
            return ExitCodes.BadInput;
        }

        stdout.Write(result.Output);
        foreach (string problem in result.BooksProblems)
            stderr.WriteLine($"gueststub plan: simulated Xen after teardown: {problem}");
        return result.Result.IsOk && result.BooksProblems.Count == 0 ? ExitCodes.Ok : ExitCodes.BadInput;
    }

    /// <summary>--clamp, the exclusive addressable limit: above 0; by default 2^39, what the guest computes on QEMU virt's cortex-a57.</summary>
    internal static ulong ClampValue(Arguments arguments)
    {
        ulong clamp = arguments.UnsignedValue("--clamp") ?? Memory.AddressableRange.StubMappingLimit;
        if (clamp == 0)
            throw new UsageException("--clamp must be above 0");
        return clamp;
    }

    /// <summary>"0xSTART-0xEND" (END exclusive), as the guest prints ranges.</summary>
    private static Memory.PhysicalRange ParseRange(string text)
    {
        string[] parts = text.Split('-');
        if (parts.Length != 2 || !Arguments.TryParseUnsigned(parts[0], out ulong start) || !Arguments.TryParseUnsigned(parts[1], out ulong end) ||
            !Memory.PhysicalRange.TryFromBounds(start, end, out Memory.PhysicalRange range) || range.IsEmpty)
            throw new UsageException($"--image: expected 0xSTART-0xEND with START < END, not '{text}'");
        return range;
    }
}
