using System.Threading.Tasks;
using Xunit;
using static GuestStub.Analyzers.Tests.Support.CoreRulesVerifier;

namespace GuestStub.Analyzers.Tests.Rules;

/// <summary>GSC010: float, double, decimal and Half values.</summary>
public sealed class FloatingPointTests
{
    [Fact]
    public async Task FloatingPointExpression_IsReportedOnce_AtItsOutermostValue()
    {
        var diagnostics = await VerifyAsync("""
            static class C
            {
                static long M(long bytes) => (long)({|GSC010:bytes / 1024.0 * 2|});
            }
            """);
        Assert.Equal(
            "Core must not use floating point: 'bytes / 1024.0 * 2' is of type 'double' (Core rules, src/GuestStub.Core/README.md)",
            Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public async Task FloatDoubleDecimalAndHalf_AreReported()
    {
        await VerifyAsync("""
            static class C
            {
                static void M(int n)
                {
                    double d = {|GSC010:1.5|};
                    float f = {|GSC010:n / 2f|};
                    decimal m = {|GSC010:1m|};
                    System.Half h = {|GSC010:(System.Half)n|};
                }
            }
            """);
    }

    [Fact]
    public async Task NearMiss_IntegerArithmetic_IsNotReported()
    {
        await VerifyAsync("""
            static class C
            {
                static ulong M(ulong bytes, ulong pages) => System.Math.Max(bytes >> 12, pages) * 4096 / 3;
            }
            """);
    }
}
