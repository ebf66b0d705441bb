using System;
using System.Diagnostics;

namespace GuestStub.Boot.Tests;

/// <summary>Runs a host tool (llvm-nm, readelf, gdb-multiarch, dtc, qemu) and returns its output.</summary>
internal static class ToolRunner
{
    public static (int ExitCode, string Output) Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + tool);
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish in 60 s");
        }
        return (p.ExitCode, stdout + stderr.Result);
    }

    /// <summary>The address of a symbol in out/guest.elf, from llvm-nm.</summary>
    public static ulong SymbolAddress(string elf, string symbol)
    {
        var (code, output) = Run("llvm-nm-14", elf);
        if (code != 0)
            throw new InvalidOperationException("llvm-nm failed: " + output);
        foreach (string line in output.Split('\n'))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 3 && f[2] == symbol)
                return Convert.ToUInt64(f[0], 16);
        }
        throw new InvalidOperationException($"symbol {symbol} not in {elf}");
    }
}
