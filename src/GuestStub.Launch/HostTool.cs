using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Threading.Tasks;

namespace GuestStub.Launch;

/// <summary>
/// Runs a host tool (QEMU to dump a tree, dtc) to the end, with a bound: a tool that is missing
/// or outlives its bound is a <see cref="LaunchException"/> naming it, never a hang.
/// </summary>
public static class HostTool
{
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(60);

    /// <summary>What the tool did: its exit status and everything it printed.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public string Output => StandardOutput + StandardError;
    }

    public static Result Run(string program, params string[] arguments) => Run(program, arguments, DefaultBound);

    public static Result Run(string program, string[] arguments, TimeSpan bound)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
            info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new LaunchException($"cannot start {program}");
        }
        catch (Win32Exception e)
        {
            throw new LaunchException($"{program} cannot be run ({e.Message}): ./build.sh setup installs it");
        }
        using (process)
        {
            process.StandardInput.Close();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(bound))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new LaunchException($"{program} did not finish within {bound.TotalSeconds:0} s");
            }
            process.WaitForExit();
            return new Result(process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
