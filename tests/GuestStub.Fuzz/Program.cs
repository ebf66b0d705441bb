using System;
using System.IO;
using SharpFuzz;

namespace GuestStub.Fuzz;

/// <summary>
/// The fuzzing harness. <c>GuestStub.Fuzz TARGET</c> runs one target under afl-fuzz
/// (SharpFuzz's in-process fork-server loop, input on stdin); <c>GuestStub.Fuzz TARGET FILE...</c>
/// runs each file once and exits 1 on the first finding (to reproduce and minimise one);
/// <c>GuestStub.Fuzz --list</c> lists the targets; <c>GuestStub.Fuzz --campaign TARGET [SECONDS]</c>
/// runs afl-fuzz on an instrumented copy of this harness (<see cref="AflCampaign"/>, what
/// <c>./build.sh fuzz</c> forwards to). A finding is any
/// exception that escapes a target: the code under test returns errors as values, so an
/// exception is a bug (an out-of-bounds span access, a broken invariant the target checks).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.Error.WriteLine("usage: GuestStub.Fuzz TARGET            run under afl-fuzz (input on stdin)");
            Console.Error.WriteLine("       GuestStub.Fuzz TARGET FILE...    run each file once; exit 1 on a finding");
            Console.Error.WriteLine("       GuestStub.Fuzz --list            the targets");
            Console.Error.WriteLine("       GuestStub.Fuzz --seeds TARGET DIR  write the target's built-in seeds to DIR");
            Console.Error.WriteLine("       GuestStub.Fuzz --campaign TARGET [SECONDS]  afl-fuzz TARGET (./build.sh fuzz)");
            return args.Length == 0 ? 2 : 0;
        }
        if (args[0] == "--list")
        {
            foreach (FuzzTarget t in FuzzTargets.All)
                Console.WriteLine($"{t.Name,-10} {t.Description}");
            return 0;
        }

        if (args[0] == "--campaign")
            return AflCampaign.Run(args[1..]);

        if (args[0] == "--seeds" && args.Length == 3)
        {
            int written = Seeds.Write(args[1], args[2]);
            Console.WriteLine($"GuestStub.Fuzz: {written} built-in seed(s) for {args[1]} in {args[2]}");
            return 0;
        }

        FuzzTarget? target = FuzzTargets.Find(args[0]);
        if (target is null)
        {
            Console.Error.WriteLine($"GuestStub.Fuzz: unknown target '{args[0]}' (GuestStub.Fuzz --list)");
            return 2;
        }
        Action<byte[]> run = target.Run;

        if (args.Length == 1)
        {
            Fuzzer.Run(stream =>
            {
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                run(copy.ToArray());
            });
            return 0;
        }

        for (int i = 1; i < args.Length; i++)
        {
            try
            {
                run(File.ReadAllBytes(args[i]));
            }
            catch (Exception e) when (e is not IOException)
            {
                Console.Error.WriteLine($"GuestStub.Fuzz: {target.Name}: finding in {args[i]}:\n{e}");
                return 1;
            }
        }
        Console.WriteLine($"GuestStub.Fuzz: {target.Name}: {args.Length - 1} input(s), no finding");
        return 0;
    }
}
