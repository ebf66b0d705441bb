using GuestStub.Memory;
using GuestStub.Platform;

namespace GuestStub.Xen.Setup;

/// <summary>What the Xen setup stage did: who the stub is, where shared_info and the grant
/// table went, and the failure that stopped it, if any.</summary>
public readonly struct XenSetupResult
{
    public readonly XenIdentity Identity;
    public readonly SharedInfoMapping SharedInfo;
    public readonly GrantTablePlacement Grants;
    /// <summary>Why setup stopped (None when it completed).</summary>
    public readonly XenFailure Failure;
    /// <summary>When setup failed: the first failure of undoing what it had done (None when
    /// everything was given back), so a leak is reported as teardown's.</summary>
    public readonly XenFailure UndoFailure;

    public XenSetupResult(in XenIdentity identity, in SharedInfoMapping sharedInfo, in GrantTablePlacement grants,
        XenFailure failure, XenFailure undoFailure)
    {
        Identity = identity;
        SharedInfo = sharedInfo;
        Grants = grants;
        Failure = failure;
        UndoFailure = undoFailure;
    }

    public bool IsReady => !Failure.IsFailure;
}

/// <summary>
/// The Xen setup stage and its teardown, in Linux's order (arch/arm/xen/enlighten.c
/// xen_guest_init, drivers/xen/grant-table.c gnttab_init): version and features, shared_info,
/// grant table size, grant frames at region 0 or at ballooned pages. On a failure everything
/// done so far is undone before returning (Linux stops there too: a failed shared_info mapping
/// is a BUG(), a failed grant mapping fails gnttab_init). <see cref="Teardown"/> undoes a
/// completed setup from its result, leaving Xen's books as they were at boot, so a later stage
/// (or a second setup) starts clean.
/// </summary>
public static class XenSetup
{
    public static XenSetupResult Run<THc, TMem>(ref THc hc, ref TMem mem, ref RamPageAllocator pages, in BootFacts facts,
        in BootOptions options) where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory
    {
        XenFailure f = XenIdentity.Query(ref hc, options, out XenIdentity identity);
        if (f.IsFailure)
            return new XenSetupResult(identity, default, default, f, XenFailure.None);

        f = SharedInfoMapping.Map(ref hc, ref pages, out SharedInfoMapping sharedInfo);
        GrantTablePlacement grants = default;
        if (!f.IsFailure)
            f = GrantTablePlacement.Map(ref hc, ref mem, ref pages, facts, options, out grants);
        var result = new XenSetupResult(identity, sharedInfo, grants, f, XenFailure.None);
        if (!f.IsFailure)
            return result;
        return new XenSetupResult(identity, sharedInfo, grants, f, Teardown(ref hc, ref mem, ref pages, result));
    }

    /// <summary>Undoes what <paramref name="setup"/> records: the grant table first, then
    /// shared_info. Keeps going after a failure and returns the first.</summary>
    public static XenFailure Teardown<THc, TMem>(ref THc hc, ref TMem mem, ref RamPageAllocator pages, in XenSetupResult setup)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory
    {
        XenFailure first = setup.Grants.Unmap(ref hc, ref mem, ref pages);
        return first.Or(setup.SharedInfo.Unmap(ref hc, ref pages));
    }
}
