using System;
using System.Diagnostics;
using System.IO;

namespace GuestStub.Cli.Commands;

/// <summary>llvm-symbolizer-14 kept running for a whole log: one address in, one
/// "file:line:column" out. LibObjectFile 2.3.1 misdecodes ilc's line program, so the DWARF line
/// table is llvm's to read.</summary>
public sealed class LlvmLineTable : IDisposable
{
    public const string Tool = "llvm-symbolizer-14";

    private readonly Process _process;

    private LlvmLineTable(Process process) => _process = process;

    /// <summary>Whether a lookup failed because the tool stopped (the lines after it say "??").</summary>
    public bool Failed { get; private set; }

    /// <summary>The line table of <paramref name="elf"/>, or null with one line on
    /// <paramref name="stderr"/> when the tool cannot be run.</summary>
    public static LlvmLineTable? Start(string elf, TextWriter stderr, string who)
    {
        var info = new ProcessStartInfo(Tool)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--obj=" + elf);
        info.ArgumentList.Add("--functions=none");
        try
        {
            return new LlvmLineTable(Process.Start(info) ?? throw new InvalidOperationException());
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            stderr.WriteLine($"{who}: cannot run {Tool} ({e.Message}): install llvm-14 (./build.sh setup does)");
            return null;
        }
    }

    public string Lookup(ulong address)
    {
        try
        {
            _process.StandardInput.WriteLine($"0x{address:x}");
            _process.StandardInput.Flush();
            string result = _process.StandardOutput.ReadLine() ?? throw new IOException($"{Tool} stopped");
            while (_process.StandardOutput.ReadLine() is { Length: > 0 }) { }
            // "file:line:column": the column is 0 throughout ilc's line table.
            int last = result.LastIndexOf(':');
            return last > 0 && result[(last + 1)..] == "0" ? result[..last] : result;
        }
        catch (IOException)
        {
            Failed = true;
            return "??:0";
        }
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            _process.WaitForExit(5000);
        }
        catch (IOException)
        {
            // The tool already stopped.
        }
        finally
        {
            _process.Dispose();
        }
    }
}
