using GuestStub.Xen;

namespace GuestStub.Scratch;

/// <summary>
/// Where scratch pages come from when there is no target resource: RAM pages ballooned out of
/// the guest, as Linux's xen_alloc_unpopulated_pages falls back to xen_alloc_ballooned_pages.
/// Implemented by a struct (the guest's one issues XENMEM_decrease_reservation and
/// XENMEM_populate_physmap, see GuestStub.Xen; tests use a double) and used only as a generic
/// constraint, so calls are direct (it may be a ref struct: <see cref="XenBalloon{THc}"/> holds
/// references to the boot pipeline's hypercall transport and page allocator).
/// </summary>
public interface IBalloonSource
{
    /// <summary>Pages taken and not returned (0 once everything is back in RAM).</summary>
    int PagesOut { get; }

    /// <summary>The last hypercall that failed in TakePage or ReturnPage (None when none did),
    /// so a report can name the call and its errno.</summary>
    XenFailure LastFailure { get; }

    /// <summary>Takes one RAM page out of the guest's reservation (its frame given back to
    /// Xen) and returns its guest-physical address, 4 KiB aligned, in <paramref name="address"/>.
    /// Returns Ok, or BalloonEmpty when no page can be released.</summary>
    ScratchStatus TakePage(out ulong address);

    /// <summary>Repopulates a page <see cref="TakePage"/> returned and makes it RAM again.
    /// Returns Ok; NotScratchPage for an address it did not hand out; DoubleFree for one already
    /// returned; BalloonFailed when Xen refuses to repopulate it. On any error nothing changed.</summary>
    ScratchStatus ReturnPage(ulong address);
}
