using System.Threading;
using GuestStub.Launch.Flow;

namespace GuestStub.Launch.Running;

/// <summary>
/// Boots a description: prepares it with its flow (the host tree, the command line), starts
/// QEMU and waits for it within the description's bound. The CLI's verbs, the matrix, the
/// benchmarks and the boot tests all boot through here.
/// </summary>
public static class Launcher
{
    /// <summary>Writes what the boot needs in <paramref name="workDirectory"/> and returns the
    /// command that runs it (nothing runs yet: <c>gueststub run --dry-run</c> stops here).</summary>
    public static PreparedBoot Prepare(BootDescription boot, string workDirectory) => boot.Flow.Prepare(boot, workDirectory);

    /// <summary>Starts a prepared boot; the caller waits for it (or stops it).</summary>
    public static RunningBoot Start(PreparedBoot prepared, BootObserver? observer = null, bool ownSession = false) =>
        RunningBoot.Start(prepared, observer, ownSession);

    /// <summary>Runs a prepared boot to its end.</summary>
    public static BootRun Run(PreparedBoot prepared, BootObserver? observer = null, CancellationToken cancel = default)
    {
        using RunningBoot running = Start(prepared, observer);
        return running.Wait(cancel);
    }

    /// <summary>Prepares and runs a boot to its end.</summary>
    public static BootRun Run(BootDescription boot, string workDirectory, BootObserver? observer = null, CancellationToken cancel = default) =>
        Run(Prepare(boot, workDirectory), observer, cancel);
}
