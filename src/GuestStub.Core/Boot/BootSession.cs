using GuestStub.Memory;
using GuestStub.Peers;
using GuestStub.Platform;
using GuestStub.Xen;

namespace GuestStub.Boot;

/// <summary>
/// A whole boot of the stub, after the front end: the pipeline as many times as
/// <c>gueststub.boots</c> asks (each run proves the previous teardown, since Xen refuses a
/// second mapping that was not removed), up to the first run that fails, then, for dom0, the wait for the other domains to
/// finish (<see cref="OtherDomains"/>), because dom0's power-off halts the machine; then the
/// observer concludes (the report's <c>Test result:</c>). The guest's entry and the simulation
/// both boot through here.
/// </summary>
public static class BootSession
{
    /// <summary>How long dom0 waits for the other domains: as long as a frontend may wait for
    /// dom0's reply and then for its unmap, and a little more, so a domU that gives up on dom0
    /// still gets to report before dom0 halts the machine.</summary>
    public const ulong OtherDomainsBoundMs = Frontend.ReplyBoundMs + Frontend.UnmapBoundMs + 5_000;

    public static void Run<TPlatform, TObserver>(ref TPlatform platform, ref TObserver observer, in BootDtb dtb, PhysicalRange addressable,
        out BootResult last) where TPlatform : struct, IXenPlatform where TObserver : struct, IBootObserver
    {
        last = default;
        // A run that failed is not repeated: each run starts its page allocator afresh, and what a
        // failed run could not give back (a frontend page dom0 still maps) must not be handed out again.
        for (ulong run = 1; run <= dtb.Options.Boots && (run == 1 || last.IsOk); run++)
        {
            if (dtb.Options.Boots > 1)
                observer.RunStarting(run);
            // Peers publish and serve once per boot: the first run meets them.
            BootPipeline.Run(ref platform, ref observer, dtb, addressable, run == 1, out last);
        }
        if (last.Xen.Identity.IsDom0)
            observer.OtherDomainsWaited(OtherDomains.WaitForShutdown(ref platform, last.Xen.Identity.Interfaces, last.Xen.Identity.Domid,
                OtherDomainsBoundMs));
        observer.Concluded();
    }
}
