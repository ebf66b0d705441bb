using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Xen;
using GuestStub.Xen.Setup;

namespace GuestStub.Scratch;

/// <summary>What probing the regions' first and last pages found.</summary>
public readonly struct RegionPageProbeResult
{
    /// <summary>The probe ran (there was a self-grant to map).</summary>
    public readonly bool Ran;
    /// <summary>Pages mapped, written and read back.</summary>
    public readonly int Pages;
    /// <summary>Pages not tried: beyond what the stub can reach.</summary>
    public readonly int Beyond;
    /// <summary>The region (1..N) and the page that failed, and how.</summary>
    public readonly int FailedRegion;
    public readonly ulong FailedPage;
    public readonly XenFailure Failure;
    /// <summary>The unmap failed: the self-grant is still mapped at <see cref="FailedPage"/>.</summary>
    public readonly bool LeftMapped;

    public RegionPageProbeResult(bool ran, int pages, int beyond, int failedRegion, ulong failedPage, in XenFailure failure, bool leftMapped)
    {
        Ran = ran;
        Pages = pages;
        Beyond = beyond;
        FailedRegion = failedRegion;
        FailedPage = failedPage;
        Failure = failure;
        LeftMapped = leftMapped;
    }
}

/// <summary>
/// ext-regions.usable (in the scratch layer: it maps as the scratch self-test does, above the
/// regions it probes): the first and the last page of every region that passed registration and
/// overlaps nothing (<see cref="RegionConformance"/>) really take a mapping, as a backend's
/// grant map or foreign map would put one there: the stub's self-grant
/// (<see cref="GrantSelfTest"/>) mapped at the page with GNTTABOP_map_grant_ref, read, written
/// and read back, unmapped (<see cref="ScratchSelfTest.MapGrant"/>). Stops at the first page
/// that fails. Pages the stub cannot reach (beyond its addressable range or its identity map)
/// are counted, not tried.
/// </summary>
public static unsafe class RegionPageProbe
{
    public static RegionPageProbeResult Run<THc, TMem>(ref THc hc, ref TMem mem, in ExtendedRegionSet set, in RegionConformance rules,
        in SelfGrant grant) where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory
    {
        if (!grant.IsGranted)
            return default;
        int pages = 0, beyond = 0;
        for (int i = 0; i < set.RegionCount; i++)
        {
            if (!set.IsAccepted(i) || rules.Overlaps(i))
                continue;
            set.GetRegion(i, out ulong start, out ulong size);
            ulong last = start + size - PageSize.Bytes;
            for (ulong page = start; ; page = last)
            {
                PhysicalRange.TryCreate(page, PageSize.Bytes, out PhysicalRange range);
                bool leftMapped = false;
                XenFailure f = set.Addressable.Covers(range)
                    ? ScratchSelfTest.MapGrant(ref hc, ref mem, page, grant, out leftMapped)
                    : XenFailure.Stub(XenFailureCause.Unreachable);
                if (f.Cause == XenFailureCause.Unreachable)
                    beyond++;
                else if (f.IsFailure)
                    return new RegionPageProbeResult(true, pages, beyond, ExtendedRegionSet.RegionNumber(i), page, f, leftMapped);
                else
                    pages++;
                if (page == last)
                    break;
            }
        }
        return new RegionPageProbeResult(true, pages, beyond, 0, 0, XenFailure.None, false);
    }
}
