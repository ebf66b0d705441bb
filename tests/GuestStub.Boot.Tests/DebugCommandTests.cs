using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// <c>./build.sh debug</c> as a user runs it: QEMU halted with its gdb stub, gdb-multiarch
/// stopped at the C# entry. However gdb ends, no QEMU is left behind: a plain quit kills the
/// target over the remote protocol, but a gdb that dies (or detaches) leaves QEMU waiting for
/// a debugger forever, and only the script's exit trap stops it.
/// </summary>
public class DebugCommandTests
{
    [Fact]
    public void When_gdb_dies_at_the_entry_breakpoint_the_script_stops_qemu()
    {
        int port = FreePort();
        var psi = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (string a in new[] { Path.Combine(RepoPaths.Root, "build.sh"), "debug", "--bare", "--no-build", "--gdb-port", port.ToString() })
            psi.ArgumentList.Add(a);
        psi.Environment["GUESTSTUB_XEN"] = RepoPaths.Xen;
        var output = new StringBuilder();
        using var atBreakpoint = new ManualResetEventSlim();
        using var script = new Process { StartInfo = psi };
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (output)
                output.AppendLine(e.Data);
            if (e.Data.Contains("Breakpoint 1, GuestStub_Guest_GuestStub_Guest_Entry__Main", StringComparison.Ordinal))
                atBreakpoint.Set();
        };
        script.OutputDataReceived += collect;
        script.ErrorDataReceived += collect;
        script.Start();
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();
        try
        {
            Assert.True(atBreakpoint.Wait(TimeSpan.FromSeconds(90)), "gdb never stopped at the C# entry\n" + output);
            Assert.True(QemuWithPort(port).Length == 1, "no QEMU with the gdb port while gdb is attached\n" + output);

            // gdb dies: QEMU stays halted, waiting for a debugger, until the script stops it.
            ToolRunner.Run("pkill", "-KILL", "-f", $"gdb-multiarch .*target remote 127.0.0.1:{port}");
            script.StandardInput.Close();
            Assert.True(script.WaitForExit(TimeSpan.FromSeconds(30)), "./build.sh debug did not end after gdb died\n" + output);
            string[] left = QemuWithPort(port);
            Assert.True(left.Length == 0, "QEMU still running after ./build.sh debug ended:\n" + string.Join("\n", left) + "\n" + output);
        }
        finally
        {
            if (!script.HasExited)
                script.Kill(entireProcessTree: true);
            ToolRunner.Run("pkill", "-KILL", "-f", $"qemu-system-aarch64 .*tcp:127.0.0.1:{port}");
        }
    }

    private static string[] QemuWithPort(int port)
    {
        var (_, processes) = ToolRunner.Run("ps", "-eo", "pid,args");
        return processes.Split('\n').Where(l => l.Contains("qemu-system-aarch64") && l.Contains($"tcp:127.0.0.1:{port}")).ToArray();
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
