using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace GuestStub.Fuzz;

/// <summary>
/// One afl-fuzz campaign on one target (<c>./build.sh fuzz TARGET [SECONDS]</c>, which installs
/// afl++ and SharpFuzz.CommandLine first): this harness published afresh to obj/fuzz/bin (an
/// instrumented assembly cannot be instrumented twice), the code under test instrumented there,
/// the corpus seeded in obj/fuzz/TARGET/corpus, afl-fuzz run for SECONDS, and one closing line
/// from AFL's fuzzer_stats. Exit 1 on a finding (each listed), 2 when the campaign could not run.
/// Run from the un-instrumented build of this project; the campaign's copy is another directory.
/// </summary>
internal static class AflCampaign
{
    /// <summary>The assemblies whose code a campaign exercises: SharpFuzz instruments these.</summary>
    private static readonly string[] s_codeUnderTest = { "GuestStub.Core.dll", "GuestStub.ElfInputChecks.dll", "GuestStub.Packager.dll", "gueststub.dll" };

    public static int Run(string[] args)
    {
        if (args.Length is < 1 or > 2 || (args.Length == 2 && !(int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int given) && given > 0)))
        {
            Console.Error.WriteLine("usage: ./build.sh fuzz TARGET [SECONDS]   (SECONDS a positive number, default 60; targets: ./build.sh fuzz --list)");
            return 2;
        }
        if (args[0] == "--list")
            return Program.Main(new[] { "--list" });
        FuzzTarget? target = FuzzTargets.Find(args[0]);
        if (target is null)
        {
            Console.Error.WriteLine($"fuzz: unknown target '{args[0]}' (./build.sh fuzz --list)");
            return 2;
        }
        int seconds = args.Length == 2 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
        string root = Tests.Shared.RepoRoot.Location;
        string bin = Path.Combine(root, "obj", "fuzz", "bin");
        string dir = Path.Combine(root, "obj", "fuzz", target.Name);
        try
        {
            Publish(root, bin);
            Seed(root, bin, target.Name, Path.Combine(dir, "corpus"));
        }
        catch (CampaignException e)
        {
            Console.Error.WriteLine($"fuzz: {e.Message}");
            return 2;
        }
        Console.Error.WriteLine($"fuzz: fuzzing {target.Name} for {seconds}s: afl-fuzz -i obj/fuzz/{target.Name}/corpus -o obj/fuzz/{target.Name}/findings (log: obj/fuzz/{target.Name}/afl.log)");
        var clock = Stopwatch.StartNew();
        // The target is `dotnet`, not an afl-cc binary: SharpFuzz's instrumentation and fork-server
        // loop live in the managed code, so afl-fuzz's binary check is skipped. 5 s per input at most.
        int status = Tool(dir, Path.Combine(dir, "afl.log"), new Dictionary<string, string>
            {
                ["AFL_SKIP_BIN_CHECK"] = "1", ["AFL_SKIP_CPUFREQ"] = "1", ["AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES"] = "1",
                ["AFL_NO_UI"] = "1", ["AFL_NO_AFFINITY"] = "1", ["AFL_SKIP_CRASHES"] = "1",
            },
            "afl-fuzz", "-i", Path.Combine(dir, "corpus"), "-o", Path.Combine(dir, "findings"), "-t", "5000", "-m", "none",
            "-V", seconds.ToString(CultureInfo.InvariantCulture), "--", DotnetHost, Path.Combine(bin, "GuestStub.Fuzz.dll"), target.Name);
        string stats = Path.Combine(dir, "findings", "default", "fuzzer_stats");
        if (!File.Exists(stats))
        {
            foreach (string line in File.ReadLines(Path.Combine(dir, "afl.log")).TakeLast(30))
                Console.Error.WriteLine(line);
            Console.Error.WriteLine($"fuzz: afl-fuzz did not run (exit {status}; obj/fuzz/{target.Name}/afl.log)");
            return 2;
        }
        Dictionary<string, string> stat = File.ReadLines(stats).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        long Number(params string[] keys) => keys.Where(stat.ContainsKey).Select(k => long.Parse(stat[k], CultureInfo.InvariantCulture)).FirstOrDefault();
        long crashes = Number("saved_crashes", "unique_crashes"), hangs = Number("saved_hangs", "unique_hangs");
        Console.WriteLine($"fuzz {target.Name}: {stat.GetValueOrDefault("execs_done")} executions in {(int)clock.Elapsed.TotalSeconds} s, "
            + $"{stat.GetValueOrDefault("edges_found")} edges ({stat.GetValueOrDefault("bitmap_cvg")} of the map), {crashes + hangs} findings ({crashes} crashes, {hangs} hangs)");
        if (crashes + hangs != 0)
        {
            foreach (string kind in new[] { "crashes", "hangs" })
                foreach (string f in Directory.EnumerateFiles(Path.Combine(dir, "findings", "default", kind), "id:*").Order(StringComparer.Ordinal))
                    Console.WriteLine($"  finding: {Path.GetRelativePath(root, f)}");
            Console.WriteLine($"  reproduce: dotnet tests/GuestStub.Fuzz/bin/Release/net10.0/GuestStub.Fuzz.dll {target.Name} FILE");
            return 1;
        }
        if (status != 0)
        {
            Console.Error.WriteLine($"fuzz: afl-fuzz exited {status} (obj/fuzz/{target.Name}/afl.log)");
            return 2;
        }
        return 0;
    }

    private static string DotnetHost => Environment.ProcessPath ?? "dotnet";

    /// <summary>This project published afresh to <paramref name="bin"/>, the code under test instrumented there.</summary>
    private static void Publish(string root, string bin)
    {
        if (Directory.Exists(bin))
            Directory.Delete(bin, recursive: true);
        string log = Path.Combine(root, "obj", "fuzz-publish.log");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        Checked(root, log, "publishing the fuzz harness", DotnetHost, "publish", Path.Combine(root, "tests", "GuestStub.Fuzz", "GuestStub.Fuzz.csproj"),
            "-c", "Release", "--no-restore", "-v", "q", "-nologo", "-o", bin);
        string sharpfuzz = Path.Combine(root, "obj", "tools", "sharpfuzz");
        if (!File.Exists(sharpfuzz))
            throw new CampaignException($"{sharpfuzz} is missing: run ./build.sh fuzz, which installs SharpFuzz.CommandLine 2.3.0 there");
        foreach (string dll in s_codeUnderTest)
            Checked(root, Path.Combine(root, "obj", "fuzz-instrument.log"), $"instrumenting {dll}", sharpfuzz, Path.Combine(bin, dll));
    }

    /// <summary>The seeds of <paramref name="target"/>: the fixture trees (compiled by dtc) and the
    /// DTBs captured from Xen for dtb and regions, the linked guest without its DWARF for elf, the
    /// console logs with crash reports for symbolize, and the harness's built-in ones.</summary>
    private static void Seed(string root, string bin, string target, string corpus)
    {
        string dir = Path.GetDirectoryName(corpus)!;
        if (Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(corpus);
        string fixtures = Path.Combine(root, "tests", "fixtures");
        string log = Path.Combine(dir, "seed.log");
        switch (target)
        {
            case "dtb" or "regions":
                foreach (string dts in Directory.GetFiles(Path.Combine(fixtures, "dts"), "*.dts"))
                    Checked(root, log, $"dtc on {dts}", "dtc", "-q", "-I", "dts", "-O", "dtb", "-o",
                        Path.Combine(corpus, Path.GetFileNameWithoutExtension(dts) + ".dtb"), dts);
                foreach (string dtb in Directory.GetFiles(Path.Combine(fixtures, "xen"), "*.dtb"))
                    File.Copy(dtb, Path.Combine(corpus, Path.GetFileName(dtb)));
                break;
            case "elf":
                string linked = Path.Combine(root, "obj", "guest", "guest.linked.elf");
                if (!File.Exists(linked))
                    throw new CampaignException($"{linked} is missing: run ./build.sh build first");
                Checked(root, log, "llvm-objcopy-14 --strip-debug", "llvm-objcopy-14", "--strip-debug", linked, Path.Combine(corpus, "guest.linked.elf"));
                break;
            case "symbolize":
                foreach (string console in Directory.GetFiles(Path.Combine(fixtures, "console"), "*.log"))
                    File.Copy(console, Path.Combine(corpus, Path.GetFileName(console)));
                break;
        }
        Seeds.Write(target, corpus);
    }

    private static void Checked(string root, string log, string what, string file, params string[] args)
    {
        if (Tool(root, log, null, file, args) != 0)
        {
            foreach (string line in File.ReadLines(log).TakeLast(30))
                Console.Error.WriteLine(line);
            throw new CampaignException($"{what} failed ({Path.GetRelativePath(root, log)})");
        }
    }

    /// <summary>Runs a tool with its output in <paramref name="log"/>; its exit status. Bounded: a
    /// tool still running after <see cref="s_toolBound"/> (afl-fuzz: its own -V bound and that
    /// much more) is killed and the campaign fails.</summary>
    private static int Tool(string workingDirectory, string log, IReadOnlyDictionary<string, string>? environment, string file, params string[] args)
    {
        TimeSpan bound = s_toolBound;
        int v = Array.IndexOf(args, "-V");
        if (v >= 0)
            bound += TimeSpan.FromSeconds(int.Parse(args[v + 1], CultureInfo.InvariantCulture));
        var psi = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        foreach (KeyValuePair<string, string> e in environment ?? new Dictionary<string, string>())
            psi.Environment[e.Key] = e.Value;
        using var output = new StreamWriter(log);
        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new CampaignException($"cannot start {file}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CampaignException($"cannot start {file} ({e.Message}): ./build.sh fuzz installs afl++, dtc and llvm-14");
        }
        using Process process = p;
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.WriteLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.WriteLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(bound))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new CampaignException($"{file} did not finish within {bound.TotalSeconds:F0} s and was stopped ({log})");
        }
        p.WaitForExit();
        return p.ExitCode;
    }

    private static readonly TimeSpan s_toolBound = TimeSpan.FromMinutes(10);

    private sealed class CampaignException(string message) : Exception(message);
}
