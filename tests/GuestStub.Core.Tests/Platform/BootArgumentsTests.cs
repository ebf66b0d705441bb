using System.Text;
using GuestStub.Platform;
using Xunit;

namespace GuestStub.Tests.Platform;

public class BootArgumentsTests
{
    private static BootArguments Args(string text) => new(Encoding.ASCII.GetBytes(text));

    [Fact]
    public void Values_are_found_by_key_and_the_last_one_wins_as_on_a_Linux_command_line()
    {
        var args = Args("console=hvc0  gnttab=ballooned\tgueststub.domid=1 gnttab=region0");
        Assert.True(args.TryGetValue("gnttab"u8, out var value));
        Assert.Equal("region0", Encoding.ASCII.GetString(value));
        Assert.True(args.TryGetValue("gueststub.domid"u8, out value));
        Assert.Equal("1", Encoding.ASCII.GetString(value));
        Assert.False(args.TryGetValue("gueststub"u8, out _));   // a prefix of a key is not the key
        Assert.False(args.TryGetValue("domid"u8, out _));       // nor is its tail
    }

    [Fact]
    public void The_property_NUL_ends_the_text_and_flags_match_whole_words()
    {
        var args = Args("quiet debug=1\0junk=2");
        Assert.True(args.HasFlag("quiet"u8));
        Assert.False(args.HasFlag("debug"u8));
        Assert.False(args.TryGetValue("junk"u8, out _));
    }

    [Theory]
    [InlineData("n=0", 4, true, 0)]
    [InlineData("n=4", 4, true, 4)]
    [InlineData("n=5", 4, false, 5)]
    [InlineData("n=32751", 0x7FEF, true, 32751)]
    [InlineData("n=18446744073709551615", ulong.MaxValue, false, 0)]   // 20 digits: refused, no wrap
    [InlineData("n=9999999999999999999", ulong.MaxValue, true, 9999999999999999999)]
    public void Decimal_values_are_bounded(string text, ulong max, bool ok, ulong expected)
    {
        Assert.Equal(ok, Args(text).TryGetDecimal("n"u8, max, out ulong value, out bool present));
        Assert.True(present);
        if (ok)
            Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("n=")]
    [InlineData("n=-1")]
    [InlineData("n=0x10")]
    public void Malformed_decimals_are_refused_but_reported_present(string text)
    {
        Assert.False(Args(text).TryGetDecimal("n"u8, ulong.MaxValue, out _, out bool present));
        Assert.True(present);
    }

    [Fact]
    public void An_absent_key_is_not_present()
    {
        Assert.False(Args("m=1").TryGetDecimal("n"u8, 10, out _, out bool present));
        Assert.False(present);
    }
}
