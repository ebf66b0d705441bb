using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// <c>gueststub debug</c> as a user runs it: QEMU halted with its gdb stub, gdb-multiarch
/// stopped at the C# entry. However gdb ends, no QEMU is left behind: a plain quit kills the
/// target over the remote protocol, but a gdb that dies (or detaches) leaves QEMU waiting for
/// a debugger forever, and only the verb's own clean-up stops it.
/// </summary>
public class DebugCommandTests
{
    [Fact]
    public void When_gdb_dies_at_the_entry_breakpoint_the_verb_stops_qemu()
    {
        int port = FreePort();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (string a in new[] { RepoPaths.Cli, "debug", "--bare", "--gdb-port", port.ToString(CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        var output = new StringBuilder();
        using var atBreakpoint = new ManualResetEventSlim();
        using var verb = new Process { StartInfo = psi };
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (output)
                output.AppendLine(e.Data);
            if (e.Data.Contains("Breakpoint 1, GuestStub_Guest_GuestStub_Guest_Entry__Main", StringComparison.Ordinal))
                atBreakpoint.Set();
        };
        verb.OutputDataReceived += collect;
        verb.ErrorDataReceived += collect;
        verb.Start();
        verb.BeginOutputReadLine();
        verb.BeginErrorReadLine();
        try
        {
            Assert.True(atBreakpoint.Wait(TimeSpan.FromSeconds(90)), "gdb never stopped at the C# entry\n" + output);
            Assert.True(Processes($"tcp:127.0.0.1:{port}", "qemu-system-aarch64").Length == 1, "no QEMU with the gdb port while gdb is attached\n" + output);

            // gdb dies: QEMU stays halted, waiting for a debugger, until the verb stops it.
            int[] gdb = Processes($"target remote 127.0.0.1:{port}", "gdb-multiarch");
            Assert.True(gdb.Length == 1, "no gdb-multiarch attached to the port\n" + output);
            Process.GetProcessById(gdb[0]).Kill();
            verb.StandardInput.Close();
            Assert.True(verb.WaitForExit(TimeSpan.FromSeconds(30)), "gueststub debug did not end after gdb died\n" + output);
            int[] left = Processes($"tcp:127.0.0.1:{port}", "qemu-system-aarch64");
            Assert.True(left.Length == 0, "QEMU still running after gueststub debug ended: pid " + string.Join(", ", left) + "\n" + output);
        }
        finally
        {
            if (!verb.HasExited)
                verb.Kill(entireProcessTree: true);
            foreach (int pid in Processes($"tcp:127.0.0.1:{port}", "qemu-system-aarch64"))
                Process.GetProcessById(pid).Kill();
        }
    }

    /// <summary>The ids of the processes whose command line holds <paramref name="program"/> and
    /// <paramref name="text"/> (this test's own, by its unique port).</summary>
    private static int[] Processes(string text, string program)
    {
        var (_, processes) = ToolRunner.Run("ps", "-eo", "pid=,args=");
        return processes.Split('\n').Where(l => l.Contains(program, StringComparison.Ordinal) && l.Contains(text, StringComparison.Ordinal))
            .Select(l => int.Parse(l.Trim().Split(' ')[0], CultureInfo.InvariantCulture)).ToArray();
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
