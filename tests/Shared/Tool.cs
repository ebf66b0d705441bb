using System;
using System.Diagnostics;
using System.Threading.Tasks;

using LibObjectFile.Elf;
namespace GuestStub.ElfInputChecks.Tests.TestSupport;

/// <summary>Runs a host tool (clang, ld.lld, llvm-readelf, llvm-objcopy) and captures its output; bounded by a timeout.</summary>
internal static class Tool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
            info.ArgumentList.Add(a);
        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in 60 s");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs a tool that must succeed, failing the test with its stderr otherwise.</summary>
    public static string RunChecked(string program, params string[] args)
    {
        Result r = Run(program, args);
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}");
        return r.Stdout;
    }

    public const string ReadElf = "llvm-readelf-14";
    public const string Clang = "clang-14";
    public const string Lld = "ld.lld-14";
    public const string ObjCopy = "llvm-objcopy-14";
}
