using System.Linq;
using GuestStub.Cli.Commands;
using Xunit;

namespace GuestStub.Cli.Tests;

/// <summary>The parsing half of <c>gueststub symbolize</c>, without an ELF or llvm-symbolizer.</summary>
public sealed class ConsoleLogAddressesTests
{
    private static LogAddress[] Find(string line) => ConsoleLogAddresses.Find(line).ToArray();

    [Fact]
    public void The_fatal_exception_reports_lines_give_their_addresses_in_order()
    {
        // From tests/fixtures/console/bare-abort.log.
        Assert.Equal(new[] { new LogAddress("ELR", 0xffffff8000080708) },
            Find("GuestStub:   ESR 0x96000005 ELR 0xffffff8000080708 FAR 0xffffff8040000000 SPSR 0x600003c5"));
        Assert.Equal(new[] { new LogAddress("lr", 0xffffff8000088644) }, Find("GuestStub:     #2 lr 0xffffff8000088644 (frame 0xffffff80000bd270)"));
        Assert.Equal(new[] { new LogAddress("pc", 1), new LogAddress("lr", 2), new LogAddress("ELR", 3) }, Find("pc 0x1 lr 0x2 ELR 0x3"));
        Assert.Empty(Find("GuestStub:   SP 0xffffff80000bd270 on the main stack"));
        Assert.Empty(Find("xpc 0x1 LR 0x2 lr 0X3 lr 0xABC"));
    }

    [Fact]
    public void A_return_address_is_looked_up_at_the_call_one_instruction_back()
    {
        Assert.Equal(0xffffff8000088640UL, new LogAddress("lr", 0xffffff8000088644).LookupAddress);
        Assert.Equal(0xffffff8000088644UL, new LogAddress("pc", 0xffffff8000088644).LookupAddress);
        Assert.Equal(3UL, new LogAddress("lr", 3).LookupAddress); // nothing below 0 to step back to
    }

    [Fact]
    public void A_number_wider_than_64_bits_is_skipped_and_the_rest_of_the_line_still_read()
    {
        // Minimised by afl-tmin from the first `./build.sh fuzz symbolize` finding: Convert.ToUInt64
        // threw on it and ended the log (tests/GuestStub.Fuzz/regressions/symbolize).
        Assert.Empty(Find("ELR 0xf0000000000000000"));
        Assert.Equal(new[] { new LogAddress("lr", 0x10) }, Find("pc 0x10000000000000000 lr 0x10"));
        // Leading zeros do not make a number wider.
        Assert.Equal(new[] { new LogAddress("ELR", ulong.MaxValue) }, Find("ELR 0x0000ffffffffffffffff"));
    }
}
