using System;
using System.Text;
using GuestStub.DeviceTree;
using GuestStub.Memory;
using Xunit;

namespace GuestStub.Tests.DeviceTree;

public class DtbErrorTextTests
{
    private static string Text(DtbError e) => Encoding.ASCII.GetString(DtbErrorText.Describe(e));

    [Fact]
    public void Every_error_has_its_own_phrase()
    {
        var seen = new System.Collections.Generic.HashSet<string>();
        foreach (DtbError e in Enum.GetValues<DtbError>())
        {
            string text = Text(e);
            Assert.NotEqual("invalid device tree", text);
            Assert.True(seen.Add(text), $"{e} shares its phrase '{text}'");
        }
    }

    [Fact]
    public void Phrases_quote_the_limits_the_reader_enforces()
    {
        Assert.Contains($"deeper than {FdtLayout.MaxDepth}", Text(DtbError.TooDeep));
        Assert.Contains($"more than {PhysicalRangeList.Capacity} entries", Text(DtbError.TooMany));
        Assert.Contains($"({DtbValidator.MaxPropertiesPerNode} in one node)", Text(DtbError.TooManyProperties));
        Assert.Contains($"({DtbValidator.MaxChildNamesHeld} under the open nodes)", Text(DtbError.TooManyChildNodes));
    }
}
