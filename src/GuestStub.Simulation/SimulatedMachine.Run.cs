using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using GuestStub.Boot;
using GuestStub.Platform;

namespace GuestStub.Simulation;

// Running several domains at once, each on its own thread, against one machine.
public sealed partial class SimulatedMachine
{
    /// <summary>Stack of each domain's thread: Core keeps its stage results on the stack.</summary>
    private const int DomainStackBytes = 16 << 20;

    /// <summary>How long stopped domains get to notice, after the wall-clock bound ran out.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs <paramref name="runs"/> together, one thread per domain taking turns on the machine's
    /// CPU (<see cref="MachineClock"/>), after binding the static event channels: every domain
    /// counts as running from before the first starts until its own run ends, so no domain's
    /// bounded wait runs out while another has not even started. A stub
    /// domain powers off at the end, as the guest does; dom0's power-off halts the machine, and
    /// a domain still running then stops where it is (<see cref="SimulatedBootResult.CutOff"/>).
    /// Returns one result per run, in order, with each domain's books checked once all have
    /// ended. A run that outlasts <see cref="SimulatedMachineOptions.WallClockBound"/> is stopped
    /// and reported with a <see cref="TimeoutException"/> naming the domains still running; an
    /// exception in a domain (a model error, a failed assertion in a custom program) is rethrown
    /// here as a <see cref="SimulatedXenException"/> naming the domain (each, when several failed).
    /// </summary>
    public IReadOnlyList<SimulatedBootResult> Run(params SimulatedDomainRun[] runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        foreach (SimulatedDomainRun run in runs)
            if (run.Xen.Machine != this)
                throw new ArgumentException($"domain {run.Xen.Options.DomainId} is not on this machine", nameof(runs));
        if (runs.Select(r => r.Xen).Distinct().Count() != runs.Length)
            throw new ArgumentException("a domain can run only once at a time", nameof(runs));

        // The front end first, on this thread: a DTB the stub would refuse is the caller's error.
        foreach (SimulatedDomainRun run in runs)
            if (run.Dtb is not null)
                SimulatedBoot.Open(run.Dtb, run.Place ?? new GuestPlacement(), run.Bootargs);
        BindStaticEventChannels();

        var outcomes = runs.Select(_ => new Outcome()).ToArray();
        foreach (SimulatedDomainRun run in runs)
            Clock.Enter(run.Xen);
        var threads = new Thread[runs.Length];
        for (int i = 0; i < runs.Length; i++)
        {
            int index = i;
            threads[i] = new Thread(() => RunOne(runs[index], outcomes[index]), DomainStackBytes)
            {
                IsBackground = true,
                Name = $"gueststub d{runs[i].Xen.Options.DomainId}",
            };
        }
        foreach (Thread thread in threads)
            thread.Start();

        var wall = Stopwatch.StartNew();
        foreach (Thread thread in threads)
            thread.Join(Remaining(wall, Options.WallClockBound));
        if (threads.Any(t => t.IsAlive))
        {
            string stuck = string.Join(", ", Clock.Running().Select(Describe));
            Clock.Stop($"the host's wall-clock bound of {Options.WallClockBound.TotalSeconds:0.#} s ran out", null);
            var grace = Stopwatch.StartNew();
            foreach (Thread thread in threads)
                thread.Join(Remaining(grace, StopGrace));
            throw new TimeoutException($"the machine ran longer than {Options.WallClockBound.TotalSeconds:0.#} s of wall time; " +
                $"still running: {stuck}");
        }

        var failures = outcomes.Select((o, i) => (o.Exception, Domid: runs[i].Xen.Options.DomainId)).Where(f => f.Exception is not null).ToList();
        if (failures.Count == 1)
            throw new SimulatedXenException($"d{failures[0].Domid}: {failures[0].Exception!.Message}", failures[0].Exception!);
        if (failures.Count > 1)
            throw new SimulatedXenException(string.Join("; ", failures.Select(f => $"d{f.Domid}: {f.Exception!.Message}")),
                new AggregateException(failures.Select(f => f.Exception!)));

        return runs.Select((run, i) => new SimulatedBootResult
        {
            Domid = run.Xen.Options.DomainId,
            Output = outcomes[i].Output.ToString(),
            Result = outcomes[i].Result,
            BooksProblems = run.Xen.CheckBooks(),
            CutOff = outcomes[i].CutOff,
        }).ToList();
    }

    private void RunOne(SimulatedDomainRun run, Outcome outcome)
    {
        try
        {
            Clock.Begin(run.Xen, Options.WallClockBound);
            if (run.Program is not null)
            {
                run.Program();
            }
            else
            {
                GuestPlacement place = run.Place ?? new GuestPlacement();
                BootDtb dtb = SimulatedBoot.Open(run.Dtb!, place, run.Bootargs);
                SimulatedBoot.Session(run.Xen, dtb, place, outcome.Output, out outcome.Result);
                SimulatedBoot.PowerOff(run.Xen, dtb);
            }
        }
        catch (SimulatedMachineStoppedException stopped)
        {
            outcome.CutOff = stopped.Message;
        }
        catch (Exception e)
        {
            outcome.Exception = e;
        }
        finally
        {
            Clock.Leave(run.Xen);
        }
    }

    private static string Describe(SimulatedXen domain)
    {
        IReadOnlyList<string> log = domain.CallLog;
        return $"d{domain.Options.DomainId}" + (log.Count > 0 ? $" (last call: {log[^1]})" : " (no call yet)");
    }

    private static TimeSpan Remaining(Stopwatch since, TimeSpan bound)
    {
        TimeSpan left = bound - since.Elapsed;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private sealed class Outcome
    {
        public readonly StringBuilder Output = new();
        public BootResult Result;
        public string? CutOff;
        public Exception? Exception;
    }
}
