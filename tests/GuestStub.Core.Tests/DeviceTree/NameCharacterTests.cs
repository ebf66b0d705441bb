using System;
using System.Linq;
using GuestStub.DeviceTree;
using GuestStub.Tests.TestSupport;
using Xunit;

namespace GuestStub.Tests.DeviceTree;

/// <summary>
/// Every byte value, in a node name and in a property name, against the devicetree spec v0.4's
/// tables written out here (2.1 for node names, with one '@' before the unit address; 2.2 for
/// property names): the validator's bit sets must agree with them on all 255. (A second '@' is
/// a vector of tests/vectors/dtb-malformed.vec.)
/// </summary>
public class NameCharacterTests
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string NodeNameCharacters = Letters + ",._+-";
    private const string PropertyNameCharacters = Letters + ",._+?#-";

    public static TheoryData<int> Bytes() => new(Enumerable.Range(1, 255));

    [Theory]
    [MemberData(nameof(Bytes))]
    public void A_node_name_byte_is_refused_exactly_when_the_spec_leaves_it_out(int value)
    {
        byte b = (byte)value;
        var f = new FdtBuilder().Begin("");
        int at = f.Mark;
        // "x" then the byte: a '@' there is the one before the unit address, and allowed.
        f.Token(FdtLayout.BeginNode).Raw((byte)'x', b, 0).Pad().EndNode().EndNode().End();
        DtbStatus status = Dtb.Open(f.Build(), out _);
        bool allowed = NodeNameCharacters.Contains((char)b) || b == (byte)'@';
        Assert.Equal(allowed ? (DtbError.None, 0) : (DtbError.BadName, f.At(at) + 4 + 1), (status.Error, status.IsOk ? 0 : status.Offset));
    }

    [Theory]
    [MemberData(nameof(Bytes))]
    public void A_property_name_byte_is_refused_exactly_when_the_spec_leaves_it_out(int value)
    {
        byte b = (byte)value;
        var f = new FdtBuilder().Begin("");
        int name = f.RawString(new[] { (byte)'x', b, (byte)0 });
        f.PropRaw(0, (uint)name, Array.Empty<byte>()).EndNode().End();
        DtbStatus status = Dtb.Open(f.Build(), out _);
        bool allowed = PropertyNameCharacters.Contains((char)b);
        Assert.Equal(allowed ? (DtbError.None, 0) : (DtbError.BadPropertyCharacter, f.StringsStart + name + 1),
            (status.Error, status.IsOk ? 0 : status.Offset));
    }
}
