using System;
using GuestStub.Text;

namespace GuestStub.Platform;

/// <summary>
/// The stub's checks, each ending in one verdict in XTF's words (the report writes
/// <c>report check.NAME VERDICT [reason]</c>). In the order a boot reaches them; each has a
/// name <c>CATEGORY.CHECK</c> in <see cref="CheckCatalogue"/>. Adding a check: a member here,
/// its row in <see cref="CheckCatalogue"/>, and its verdict where the report writes its stage
/// (src/GuestStub.Core/README.md, "Checks").
/// </summary>
public enum Check : byte
{
    XenIdentity,
    XenSharedInfo,
    GrantSetup,
    EvtchnUpcall,
    ExtRegionsRegistration,
    ScratchPool,
    GrantSelfTest,
    ScratchSelfTest,
    PeersDiscovery,
    ErrpathForeignSelf,
    PeersGrantMap,
    PeersGrantMapReadOnly,
    PeersEvtchn,
    PeersForeignMap,
    PeersAcquireGrantTable,
    PeersUnmap,
    ErrpathBatchBadFrame,
    ErrpathUngrantedRef,
    FrontendPublish,
    FrontendBackendReply,
    FrontendEndAccess,
    // Static shared memory and static memory (issue 22), kept together.
    StaticShmRegion,
    StaticShmExtRegions,
    StaticShmExchange,
    StaticMemBanks,
    TeardownScratch,
    TeardownEvtchn,
    TeardownXen,
    DomainsWait,
    /// <summary>Not a check: the selection named something that is none (an ERROR of its own,
    /// as xtf-runner refuses an unknown test).</summary>
    ChecksSelection,
}

/// <summary>Which domains a check applies to.</summary>
[Flags]
public enum CheckRoles : byte
{
    Dom0 = 1,
    DomU = 2,
    /// <summary>Either: its stage runs in every domain with a hypervisor node.</summary>
    Any = 3,
}

/// <summary>The optional stages of the boot pipeline a check needs: a stage that no selected
/// check needs does not run (Xen setup, teardown and dom0's wait always do). A stage brings
/// the ones it stands on (<see cref="CheckCatalogue.WithPrerequisites"/>).</summary>
[Flags]
public enum CheckStages : byte
{
    None = 0,
    /// <summary>The event-channel upcall and its loopback proof.</summary>
    Events = 1,
    /// <summary>Extended-region registration.</summary>
    Regions = 2,
    /// <summary>The scratch pool (over the regions' resource).</summary>
    Pool = 4,
    /// <summary>The grant of a RAM page to itself.</summary>
    SelfGrant = 8,
    /// <summary>The scratch self-test: the self-grant mapped at a scratch page.</summary>
    ScratchSelfTest = 16,
    /// <summary>Across domains: dom0's backend or a domU's frontend.</summary>
    CrossDomain = 32,
    /// <summary>The exchange through static shared memory with another domU.</summary>
    SharedMemory = 64,
}

/// <summary>
/// The table of checks, in <see cref="Check"/>'s order: each one's name (its category is the
/// word before the dot, as <c>gueststub.checks=</c> selects by either), the domains it applies
/// to, and the stages it needs. What each asserts is in src/GuestStub.Core/README.md.
/// </summary>
public static class CheckCatalogue
{
    /// <summary>The checks (<see cref="Check.ChecksSelection"/> is not one).</summary>
    public const int Count = (int)Check.ChecksSelection;

    // One row per check, in Check's order: name, then roles and stages.
    private static ReadOnlySpan<byte> Names =>
        "xen.identity\0"u8 +
        "xen.shared-info\0"u8 +
        "grant.setup\0"u8 +
        "evtchn.upcall\0"u8 +
        "ext-regions.registration\0"u8 +
        "scratch.pool\0"u8 +
        "grant.self-test\0"u8 +
        "scratch.self-test\0"u8 +
        "peers.discovery\0"u8 +
        "errpath.foreign-self\0"u8 +
        "peers.grant-map\0"u8 +
        "peers.grant-map-ro\0"u8 +
        "peers.evtchn\0"u8 +
        "peers.foreign-map\0"u8 +
        "peers.acquire-grant-table\0"u8 +
        "peers.unmap\0"u8 +
        "errpath.batch-bad-frame\0"u8 +
        "errpath.ungranted-ref\0"u8 +
        "frontend.publish\0"u8 +
        "frontend.backend-reply\0"u8 +
        "frontend.end-access\0"u8 +
        "static-shm.region\0"u8 +
        "static-shm.ext-regions\0"u8 +
        "static-shm.exchange\0"u8 +
        "static-mem.banks\0"u8 +
        "teardown.scratch\0"u8 +
        "teardown.evtchn\0"u8 +
        "teardown.xen\0"u8 +
        "domains.wait\0"u8 +
        "checks.selection\0"u8;

    private static ReadOnlySpan<byte> Roles => new byte[]
    {
        (byte)CheckRoles.Any, // xen.identity
        (byte)CheckRoles.Any, // xen.shared-info
        (byte)CheckRoles.Any, // grant.setup
        (byte)CheckRoles.Any, // evtchn.upcall
        (byte)CheckRoles.Any, // ext-regions.registration
        (byte)CheckRoles.Any, // scratch.pool
        (byte)CheckRoles.Any, // grant.self-test
        (byte)CheckRoles.Any, // scratch.self-test
        (byte)CheckRoles.Dom0, // peers.discovery
        (byte)CheckRoles.Dom0, // errpath.foreign-self
        (byte)CheckRoles.Dom0, // peers.grant-map
        (byte)CheckRoles.Dom0, // peers.grant-map-ro
        (byte)CheckRoles.Dom0, // peers.evtchn
        (byte)CheckRoles.Dom0, // peers.foreign-map
        (byte)CheckRoles.Dom0, // peers.acquire-grant-table
        (byte)CheckRoles.Dom0, // peers.unmap
        (byte)CheckRoles.Dom0, // errpath.batch-bad-frame
        (byte)CheckRoles.Dom0, // errpath.ungranted-ref
        (byte)CheckRoles.DomU, // frontend.publish
        (byte)CheckRoles.DomU, // frontend.backend-reply
        (byte)CheckRoles.DomU, // frontend.end-access
        (byte)CheckRoles.Any, // static-shm.region
        (byte)CheckRoles.Any, // static-shm.ext-regions
        (byte)CheckRoles.Any, // static-shm.exchange
        (byte)CheckRoles.Any, // static-mem.banks
        (byte)CheckRoles.Any, // teardown.scratch
        (byte)CheckRoles.Any, // teardown.evtchn
        (byte)CheckRoles.Any, // teardown.xen
        (byte)CheckRoles.Dom0, // domains.wait
    };

    private static ReadOnlySpan<byte> Stages => new byte[]
    {
        (byte)CheckStages.None, // xen.identity
        (byte)CheckStages.None, // xen.shared-info
        (byte)CheckStages.None, // grant.setup
        (byte)CheckStages.Events, // evtchn.upcall
        (byte)CheckStages.Regions, // ext-regions.registration
        (byte)CheckStages.Pool, // scratch.pool
        (byte)CheckStages.SelfGrant, // grant.self-test
        (byte)CheckStages.ScratchSelfTest, // scratch.self-test
        (byte)CheckStages.CrossDomain, // peers.discovery
        (byte)CheckStages.CrossDomain, // errpath.foreign-self
        (byte)CheckStages.CrossDomain, // peers.grant-map
        (byte)CheckStages.CrossDomain, // peers.grant-map-ro
        (byte)CheckStages.CrossDomain, // peers.evtchn
        (byte)CheckStages.CrossDomain, // peers.foreign-map
        (byte)CheckStages.CrossDomain, // peers.acquire-grant-table
        (byte)CheckStages.CrossDomain, // peers.unmap
        (byte)CheckStages.CrossDomain, // errpath.batch-bad-frame
        (byte)CheckStages.CrossDomain, // errpath.ungranted-ref
        (byte)CheckStages.CrossDomain, // frontend.publish
        (byte)CheckStages.CrossDomain, // frontend.backend-reply
        (byte)CheckStages.CrossDomain, // frontend.end-access
        (byte)CheckStages.None, // static-shm.region
        (byte)CheckStages.None, // static-shm.ext-regions
        (byte)CheckStages.SharedMemory, // static-shm.exchange
        (byte)CheckStages.None, // static-mem.banks
        (byte)CheckStages.Pool, // teardown.scratch
        (byte)CheckStages.Events, // teardown.evtchn
        (byte)CheckStages.None, // teardown.xen
        (byte)CheckStages.None, // domains.wait
    };

    /// <summary>"CATEGORY.CHECK".</summary>
    public static ReadOnlySpan<byte> Name(Check check) => NameTable.Get(Names, (long)check);

    /// <summary>The word before the dot.</summary>
    public static ReadOnlySpan<byte> Category(Check check)
    {
        ReadOnlySpan<byte> name = Name(check);
        int dot = name.IndexOf((byte)'.');
        return dot < 0 ? name : name.Slice(0, dot);
    }

    public static CheckRoles RolesOf(Check check) => (uint)check < (uint)Count ? (CheckRoles)Roles[(int)check] : CheckRoles.Any;

    public static CheckStages StagesOf(Check check) => (uint)check < (uint)Count ? (CheckStages)Stages[(int)check] : CheckStages.None;

    /// <summary><paramref name="stages"/> with the stages they stand on: the pool on the
    /// regions, the scratch self-test on the pool and the self-grant, the cross-domain stage on
    /// the upcall and the pool.</summary>
    public static CheckStages WithPrerequisites(CheckStages stages)
    {
        if ((stages & CheckStages.CrossDomain) != 0)
            stages |= CheckStages.Events | CheckStages.Pool;
        if ((stages & CheckStages.SharedMemory) != 0)
            stages |= CheckStages.Events;
        if ((stages & CheckStages.ScratchSelfTest) != 0)
            stages |= CheckStages.Pool | CheckStages.SelfGrant;
        if ((stages & CheckStages.Pool) != 0)
            stages |= CheckStages.Regions;
        return stages;
    }

    /// <summary>Rows in the roles and stages tables, for the test that keeps them in step with
    /// <see cref="Check"/> (the names: one per member, <see cref="Check.ChecksSelection"/> included).</summary>
    public static int RoleRows => Roles.Length;

    public static int StageRows => Stages.Length;
}
