using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using GuestStub.Launch.Flow;
using GuestStub.Launch.Serial;

namespace GuestStub.Launch.Running;

/// <summary>
/// A QEMU that is running a boot: its output read line by line as it comes (handed to the
/// observer and kept), until <see cref="Wait"/> sees it end or stops it at the bound. QEMU's
/// standard input gets the prepared boot's console input, if any, and is closed: nothing else is
/// typed into the guest. A boot that asks for it (<see cref="BootDescription.StopAfterVerdicts"/>)
/// is stopped once every domain has printed its closing <c>Test result:</c> line.
/// </summary>
public sealed partial class RunningBoot : IDisposable
{
    [GeneratedRegex(@"terminating on signal (\d+)")]
    private static partial Regex TerminatedBySignal();

    private readonly object _lock = new();
    private readonly StringBuilder _output = new();
    private readonly List<ConsoleLine> _lines = new();
    private readonly ConsoleSplitter _splitter;
    private readonly BootObserver? _observer;
    private readonly Process _process;
    private readonly Stopwatch _clock;
    private readonly Task _readers;
    private ExceptionDispatchInfo? _observerFailure;
    private volatile bool _interrupted;
    private volatile bool _stoppedAfterVerdicts;
    private readonly HashSet<int> _domainsToClose;

    private RunningBoot(PreparedBoot prepared, Process process, BootObserver? observer)
    {
        Prepared = prepared;
        _process = process;
        _observer = observer;
        _splitter = new ConsoleSplitter(underXen: prepared.Boot.Xen is not null) { FirmwareFirst = prepared.FirmwareFirst };
        _domainsToClose = prepared.Boot.StopAfterVerdicts ? new HashSet<int>(prepared.Boot.Domids) : new HashSet<int>();
        _clock = Stopwatch.StartNew();
        _readers = Task.WhenAll(Read(process.StandardOutput, standardError: false), Read(process.StandardError, standardError: true));
    }

    public PreparedBoot Prepared { get; }

    /// <summary>QEMU's process id.</summary>
    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts QEMU with the prepared command. With <paramref name="ownSession"/> it runs in a
    /// session of its own (setsid(1)), out of reach of the terminal's signals: gdb's Ctrl-C
    /// interrupts the target through QEMU's gdb stub, and must not end QEMU itself.
    /// </summary>
    public static RunningBoot Start(PreparedBoot prepared, BootObserver? observer = null, bool ownSession = false)
    {
        // The child of a .NET process is no process-group leader, so setsid execs in place:
        // the process id stays QEMU's.
        var info = new ProcessStartInfo(ownSession ? "setsid" : prepared.Command.Program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in prepared.Command.Arguments.Skip(ownSession ? 0 : 1))
            info.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new LaunchException($"cannot start {prepared.Command.Program}");
        }
        catch (Win32Exception e)
        {
            throw new LaunchException($"{prepared.Command.Program} cannot be run ({e.Message}): ./build.sh setup installs it");
        }
        // The pipe holds the few bytes until QEMU's serial port takes them (Xen's CI pipes its
        // U-Boot commands the same way).
        try
        {
            if (prepared.ConsoleInput is string input)
                process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // QEMU has already gone (it could not start the machine): Wait reports its status.
        }
        return new RunningBoot(prepared, process, observer);
    }

    /// <summary>Stops the boot at the caller's request (the outcome is
    /// <see cref="BootEnd.Interrupted"/>).</summary>
    public void Interrupt()
    {
        _interrupted = true;
        Kill();
    }

    /// <summary>Waits for QEMU to end, at most the boot's timeout (then it is stopped), and
    /// returns what happened. <paramref name="cancel"/> interrupts the boot.</summary>
    public BootRun Wait(CancellationToken cancel = default)
    {
        TimeSpan timeout = Prepared.Boot.Timeout;
        bool timedOut = false;
        using (var bound = CancellationTokenSource.CreateLinkedTokenSource(cancel))
        {
            bound.CancelAfter(timeout);
            try
            {
                _process.WaitForExitAsync(bound.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                if (cancel.IsCancellationRequested)
                    _interrupted = true;
                else
                    timedOut = true;
                Kill();
            }
        }
        _process.WaitForExit();
        // The pipes close when QEMU is gone; a child that kept them open is not waited for long.
        _readers.Wait(TimeSpan.FromSeconds(10));
        TimeSpan elapsed = _clock.Elapsed;
        List<ConsoleLine> lines;
        string output;
        lock (_lock)
        {
            foreach (ConsoleLine line in _splitter.Finish())
                Deliver(line);
            lines = new List<ConsoleLine>(_lines);
            output = _output.ToString();
        }
        _observerFailure?.Throw();
        return new BootRun(Prepared, Outcome(_process.ExitCode, timedOut, lines, elapsed, timeout), output, lines);
    }

    private BootOutcome Outcome(int status, bool timedOut, List<ConsoleLine> lines, TimeSpan elapsed, TimeSpan timeout)
    {
        if (_interrupted)
            return new BootOutcome(BootEnd.Interrupted, status, null, elapsed, timeout);
        if (_stoppedAfterVerdicts)
            return new BootOutcome(BootEnd.StoppedAfterVerdicts, status, null, elapsed, timeout);
        if (timedOut)
            return new BootOutcome(BootEnd.TimedOut, status, null, elapsed, timeout);
        // .NET reports a child ended by signal N as 128 + N; QEMU that catches SIGINT, SIGTERM
        // or SIGHUP exits 0 after "terminating on signal N": neither powered the machine off.
        if (status > 128 && status <= 128 + 64)
            return new BootOutcome(BootEnd.Killed, status, status - 128, elapsed, timeout);
        Match signal = lines.Where(l => l.Source == LineSource.Qemu).Select(l => TerminatedBySignal().Match(l.Text)).FirstOrDefault(m => m.Success) ?? Match.Empty;
        if (signal.Success)
            return new BootOutcome(BootEnd.Killed, status, int.Parse(signal.Groups[1].Value, CultureInfo.InvariantCulture), elapsed, timeout);
        return status == 0
            ? new BootOutcome(BootEnd.PoweredOff, 0, null, elapsed, timeout)
            : new BootOutcome(BootEnd.QemuFailed, status, null, elapsed, timeout);
    }

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private async Task Read(StreamReader reader, bool standardError)
    {
        string? raw;
        while ((raw = await reader.ReadLineAsync().ConfigureAwait(false)) is not null)
        {
            lock (_lock)
            {
                _output.Append(raw).Append('\n');
                Notify(o => o.OnOutput(raw, standardError));
                if (standardError)
                    Deliver(new ConsoleLine(LineSource.Qemu, -1, raw, raw));
                else
                    foreach (ConsoleLine line in _splitter.Add(raw))
                        Deliver(line);
            }
        }
    }

    private void Deliver(ConsoleLine line)
    {
        _lines.Add(line);
        Notify(o => o.OnLine(line));
        if (_domainsToClose.Count > 0 && line.Source == LineSource.Domain
            && line.Text.StartsWith(Reports.TestResult.Prefix, StringComparison.Ordinal)
            && _domainsToClose.Remove(line.Domain) && _domainsToClose.Count == 0)
        {
            _stoppedAfterVerdicts = true;
            Kill();
        }
    }

    /// <summary>An observer that fails stops the boot, and <see cref="Wait"/> rethrows its error.</summary>
    private void Notify(Action<BootObserver> call)
    {
        if (_observer is null || _observerFailure is not null)
            return;
        try
        {
            call(_observer);
        }
        catch (Exception e)
        {
            _observerFailure = ExceptionDispatchInfo.Capture(e);
            Kill();
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            Kill();
        _process.Dispose();
    }
}
