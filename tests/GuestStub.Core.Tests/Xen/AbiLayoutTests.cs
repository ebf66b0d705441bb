using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using GuestStub.Xen.Abi;
using Xunit;

namespace GuestStub.Tests.Xen;

/// <summary>
/// Pins every Xen structure's size and field offsets to shared/PLATFORM.md ("Layouts"), with
/// the numbers written out here rather than taken from the structs' own constants.
/// </summary>
public class AbiLayoutTests
{
    private static void Size<T>(int expected) where T : struct
    {
        Assert.Equal(expected, Unsafe.SizeOf<T>());
        Assert.Equal(expected, Marshal.SizeOf<T>());
    }

    private static void Offset<T>(string field, int expected) where T : struct =>
        Assert.Equal(expected, (int)Marshal.OffsetOf<T>(field));

    [Fact]
    public void XenAddToPhysmap_is_24_bytes()
    {
        Size<XenAddToPhysmap>(24);
        Offset<XenAddToPhysmap>(nameof(XenAddToPhysmap.Domid), 0);
        Offset<XenAddToPhysmap>(nameof(XenAddToPhysmap.Size), 2);
        Offset<XenAddToPhysmap>(nameof(XenAddToPhysmap.Space), 4);
        Offset<XenAddToPhysmap>(nameof(XenAddToPhysmap.Idx), 8);
        Offset<XenAddToPhysmap>(nameof(XenAddToPhysmap.Gpfn), 16);
    }

    [Fact]
    public void XenRemoveFromPhysmap_is_16_bytes()
    {
        Size<XenRemoveFromPhysmap>(16);
        Offset<XenRemoveFromPhysmap>(nameof(XenRemoveFromPhysmap.Domid), 0);
        Offset<XenRemoveFromPhysmap>(nameof(XenRemoveFromPhysmap.Gpfn), 8);
    }

    [Fact]
    public void XenMemoryReservation_is_32_bytes()
    {
        Size<XenMemoryReservation>(32);
        Offset<XenMemoryReservation>(nameof(XenMemoryReservation.ExtentStart), 0);
        Offset<XenMemoryReservation>(nameof(XenMemoryReservation.NrExtents), 8);
        Offset<XenMemoryReservation>(nameof(XenMemoryReservation.ExtentOrder), 16);
        Offset<XenMemoryReservation>(nameof(XenMemoryReservation.MemFlags), 20);
        Offset<XenMemoryReservation>(nameof(XenMemoryReservation.Domid), 24);
    }

    [Fact]
    public void GnttabQuerySize_is_16_bytes()
    {
        Size<GnttabQuerySize>(16);
        Offset<GnttabQuerySize>(nameof(GnttabQuerySize.Dom), 0);
        Offset<GnttabQuerySize>(nameof(GnttabQuerySize.NrFrames), 4);
        Offset<GnttabQuerySize>(nameof(GnttabQuerySize.MaxNrFrames), 8);
        Offset<GnttabQuerySize>(nameof(GnttabQuerySize.Status), 12);
    }

    [Fact]
    public void GrantEntryV1_is_8_bytes_512_per_frame()
    {
        Size<GrantEntryV1>(8);
        Offset<GrantEntryV1>(nameof(GrantEntryV1.Flags), 0);
        Offset<GrantEntryV1>(nameof(GrantEntryV1.Domid), 2);
        Offset<GrantEntryV1>(nameof(GrantEntryV1.Frame), 4);
        Assert.Equal(512, GrantEntryV1.EntriesPerFrame);
        Assert.Equal(1, GrantEntryV1.GtfPermitAccess);
        Assert.Equal(0x18, GrantEntryV1.GtfReading | GrantEntryV1.GtfWriting); // flags read 0x19 while mapped
    }

    [Fact]
    public void GnttabMapGrantRef_is_32_bytes()
    {
        Size<GnttabMapGrantRef>(32);
        Offset<GnttabMapGrantRef>(nameof(GnttabMapGrantRef.HostAddr), 0);
        Offset<GnttabMapGrantRef>(nameof(GnttabMapGrantRef.Flags), 8);
        Offset<GnttabMapGrantRef>(nameof(GnttabMapGrantRef.Ref), 12);
        Offset<GnttabMapGrantRef>(nameof(GnttabMapGrantRef.Dom), 16);
        Offset<GnttabMapGrantRef>(nameof(GnttabMapGrantRef.Status), 18);
        Offset<GnttabMapGrantRef>(nameof(GnttabMapGrantRef.Handle), 20);
        Offset<GnttabMapGrantRef>(nameof(GnttabMapGrantRef.DevBusAddr), 24);
        Assert.Equal(2u, GnttabMapGrantRef.GntmapHostMap);
    }

    [Fact]
    public void GnttabUnmapGrantRef_is_24_bytes()
    {
        Size<GnttabUnmapGrantRef>(24);
        Offset<GnttabUnmapGrantRef>(nameof(GnttabUnmapGrantRef.HostAddr), 0);
        Offset<GnttabUnmapGrantRef>(nameof(GnttabUnmapGrantRef.DevBusAddr), 8);
        Offset<GnttabUnmapGrantRef>(nameof(GnttabUnmapGrantRef.Handle), 16);
        Offset<GnttabUnmapGrantRef>(nameof(GnttabUnmapGrantRef.Status), 20);
    }

    [Fact]
    public void XenFeatureInfo_is_8_bytes()
    {
        Size<XenFeatureInfo>(8);
        Offset<XenFeatureInfo>(nameof(XenFeatureInfo.SubmapIdx), 0);
        Offset<XenFeatureInfo>(nameof(XenFeatureInfo.Submap), 4);
    }

    [Fact]
    public void Hypercall_numbers_match_platform()
    {
        Assert.Equal(12ul, GuestStub.Xen.HypercallNumber.MemoryOp);
        Assert.Equal(17ul, GuestStub.Xen.HypercallNumber.XenVersion);
        Assert.Equal(18ul, GuestStub.Xen.HypercallNumber.ConsoleIo);
        Assert.Equal(20ul, GuestStub.Xen.HypercallNumber.GrantTableOp);
        Assert.Equal(29ul, GuestStub.Xen.HypercallNumber.SchedOp);
        Assert.Equal(1ul, GuestStub.Xen.XenMemoryOp.DecreaseReservation);
        Assert.Equal(6ul, GuestStub.Xen.XenMemoryOp.PopulatePhysmap);
        Assert.Equal(7ul, GuestStub.Xen.XenMemoryOp.AddToPhysmap);
        Assert.Equal(15ul, GuestStub.Xen.XenMemoryOp.RemoveFromPhysmap);
        Assert.Equal(0u, GuestStub.Xen.XenMapSpace.SharedInfo);
        Assert.Equal(1u, GuestStub.Xen.XenMapSpace.GrantTable);
        Assert.Equal(0ul, GuestStub.Xen.GrantTableOp.MapGrantRef);
        Assert.Equal(1ul, GuestStub.Xen.GrantTableOp.UnmapGrantRef);
        Assert.Equal(6ul, GuestStub.Xen.GrantTableOp.QuerySize);
        Assert.Equal(6ul, GuestStub.Xen.XenVersionOp.GetFeatures);
        Assert.Equal((ushort)0x7FF0, GuestStub.Xen.DomainId.Self);
    }

    /// <summary>struct xen_domctl, the same from 4.15 to 4.22 (public/domctl.h): cmd, version,
    /// domain, _pad[3], the 128-byte union at 16; getdomaininfo's domain and flags, and (4.21+)
    /// get_domain_state's state, caps, pad0 and unique_id.</summary>
    [Fact]
    public void XenDomctl_is_144_bytes_with_getdomaininfo_and_get_domain_state_in_its_union()
    {
        Size<XenDomctl>(144);
        Offset<XenDomctl>(nameof(XenDomctl.Cmd), 0);
        Offset<XenDomctl>(nameof(XenDomctl.Version), 4);
        Offset<XenDomctl>(nameof(XenDomctl.Domain), 8);
        Offset<XenDomctl>(nameof(XenDomctl.InfoDomain), 16);
        Offset<XenDomctl>(nameof(XenDomctl.InfoFlags), 20);
        Offset<XenDomctl>(nameof(XenDomctl.InfoTotPages), 24);
        Offset<XenDomctl>(nameof(XenDomctl.State), 16);
        Offset<XenDomctl>(nameof(XenDomctl.StateCaps), 18);
        Offset<XenDomctl>(nameof(XenDomctl.StatePad0), 20);
        Offset<XenDomctl>(nameof(XenDomctl.StateUniqueId), 24);
        Assert.Equal(5u, XenDomctl.GetDomainInfo);
        Assert.Equal(90u, XenDomctl.GetDomainState);
        Assert.Equal(1u << 2, XenDomctl.DominfShutdown);
        Assert.Equal((ushort)0x2, XenDomctl.StateShutdown);
        Assert.Equal((ushort)0x4, XenDomctl.StateDying);
        Assert.Equal((ushort)0x8, XenDomctl.StateDead);
    }

    /// <summary>A failure stays 24 bytes (it is copied into every stage result): the interface
    /// version and the release fill what was padding.</summary>
    [Fact]
    public void XenFailure_stays_24_bytes() => Assert.Equal(24, Unsafe.SizeOf<GuestStub.Xen.XenFailure>());
}
