using System;
using System.Text;
using GuestStub.Xen.Setup;
using GuestStub.ExtendedRegions;
using GuestStub.Scratch;
using GuestStub.Text;
using GuestStub.Xen;
using Xunit;

namespace GuestStub.Tests.Text;

public class NameTableTests
{
    private static string S(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);

    [Fact]
    public void Get_returns_the_name_at_each_position_and_empty_past_the_end()
    {
        ReadOnlySpan<byte> table = "zero\0one\0\0three\0"u8;
        Assert.Equal("zero", S(NameTable.Get(table, 0)));
        Assert.Equal("one", S(NameTable.Get(table, 1)));
        Assert.Equal("", S(NameTable.Get(table, 2)));
        Assert.Equal("three", S(NameTable.Get(table, 3)));
        Assert.True(NameTable.Get(table, 4).IsEmpty);
        Assert.True(NameTable.Get(table, -1).IsEmpty);
        Assert.True(NameTable.Get("unterminated"u8, 0).IsEmpty);
    }

    [Fact]
    public void Lookup_finds_sparse_keys_and_refuses_others()
    {
        ReadOnlySpan<byte> keys = new byte[] { 1, 16, 95 };
        ReadOnlySpan<byte> names = "EPERM\0EBUSY\0EOPNOTSUPP\0"u8;
        Assert.Equal("EBUSY", S(NameTable.Lookup(keys, names, 16)));
        Assert.Equal("EOPNOTSUPP", S(NameTable.Lookup(keys, names, 95)));
        Assert.True(NameTable.Lookup(keys, names, 2).IsEmpty);
        Assert.True(NameTable.Lookup(keys, names, 256 + 16).IsEmpty);
        Assert.True(NameTable.Lookup(keys, names, -16).IsEmpty);
    }

    /// <summary>The packed tables must have exactly one distinct name per enum value, in order:
    /// a missing or extra entry shifts every later name, which this catches.</summary>
    [Fact]
    public void Every_enum_value_of_the_packed_tables_has_its_own_name()
    {
        AssertDistinct<XenCall>(c => S(XenCallText.Name(c)), "XENVER_version", XenCall.XenVersion);
        AssertDistinct<Region0Verdict>(v => S(VerdictName(v)), "forced-off", Region0Verdict.Forced);
        AssertDistinct<ScratchStatus>(s => S(ScratchStatusText.Name(s)), "double-free", ScratchStatus.DoubleFree);
        AssertDistinct<RegionRejection>(r => S(ExtendedRegionText.Name(r)), "overlaps-dtb", RegionRejection.OverlapsDtb);
        AssertDistinct<ExtendedRegionStatus>(x => S(ExtendedRegionText.Name(x)), "outside-clamp", ExtendedRegionStatus.OutsideAddressable);
        Assert.Equal("EBUSY", S(XenErrnoText.Name((long)XenErrno.EBUSY)));
        foreach (XenErrno e in Enum.GetValues<XenErrno>())
            if (e != XenErrno.None)
                Assert.Equal(e.ToString(), S(XenErrnoText.Name((long)e)));
        for (short g = 0; g >= GrantStatus.NoSpace; g--)
            Assert.StartsWith("GNTST_", S(GrantStatus.Name(g)));
        Assert.Equal("GNTST_permission_denied", S(GrantStatus.Name(GrantStatus.PermissionDenied)));
        Assert.Equal("GNTST_unknown", S(GrantStatus.Name(-14)));
    }

    private static ReadOnlySpan<byte> VerdictName(Region0Verdict v) => GuestStub.Xen.Setup.GrantPlacementText.Verdict(v);

    private static void AssertDistinct<T>(Func<T, string> name, string spot, T spotValue) where T : struct, Enum
    {
        var seen = new System.Collections.Generic.HashSet<string>();
        foreach (T value in Enum.GetValues<T>())
            Assert.True(seen.Add(name(value)), $"{typeof(T).Name}.{value} repeats '{name(value)}'");
        Assert.Equal(spot, name(spotValue));
    }
}
