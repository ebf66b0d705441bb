using GuestStub.Launch.Serial;

namespace GuestStub.Launch.Running;

/// <summary>
/// Watches a boot while it runs (<c>gueststub run</c>'s live console, a progress display): each
/// line QEMU prints as it comes, and each whole console line once it is complete. Called from
/// the launcher's reading threads, one call at a time.
/// </summary>
public abstract class BootObserver
{
    /// <summary>A line as QEMU printed it, on its standard output (the serial console) or its
    /// standard error (its own messages).</summary>
    public virtual void OnOutput(string raw, bool standardError) { }

    /// <summary>A whole console line, attributed to Xen, a domain or QEMU.</summary>
    public virtual void OnLine(ConsoleLine line) { }
}
