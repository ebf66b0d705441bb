using System.Threading.Tasks;
using Xunit;
using static GuestStub.Analyzers.Tests.Support.CoreRulesVerifier;

namespace GuestStub.Analyzers.Tests.Rules;

/// <summary>GSC009: checked arithmetic, in checked blocks and expressions or project-wide.</summary>
public sealed class CheckedArithmeticTests
{
    [Fact]
    public async Task CheckedExpression_IsReportedOnce_AtItsOutermostOperation()
    {
        var diagnostics = await VerifyAsync("""
            static class C
            {
                static ulong M(ulong a, ulong b, ulong c) => checked({|GSC009:a + b + c|});
            }
            """);
        Assert.Equal(
            "Core must not use checked arithmetic: 'a + b + c' throws on overflow; compare against the limit and return an error instead (Core rules, src/GuestStub.Core/README.md)",
            Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public async Task CheckedBlocksAndConversions_AreReported()
    {
        await VerifyAsync("""
            static class C
            {
                static int M(long value, int n)
                {
                    checked
                    {
                        {|GSC009:n++|};
                        {|GSC009:n *= 2|};
                        int narrowed = {|GSC009:(int)value|};
                        int negated = {|GSC009:-n|};
                        return narrowed ^ negated;
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task ProjectWideOverflowChecks_AreReported()
    {
        await VerifyAsync("""
            static class C
            {
                static int M(int a, int b) => {|GSC009:a + b|};
            }
            """, overflowChecks: true);
    }

    [Fact]
    public async Task NearMisses_UncheckedAndDefaultArithmetic_AreNotReported()
    {
        await VerifyAsync("""
            static class C
            {
                static int M(int a, int b, long l) => unchecked(a * b) + (a + b) + (int)l;
            }
            """);
    }
}
