using System.Linq;
using System.Threading.Tasks;
using Xunit;
using static GuestStub.Analyzers.Tests.Support.CoreRulesVerifier;

namespace GuestStub.Analyzers.Tests.Rules;

/// <summary>GSC002: throw statements, throw expressions and rethrows.</summary>
public sealed class ThrowTests
{
    [Fact]
    public async Task ThrowStatement_IsReported_WithTheRuleInTheMessage()
    {
        var diagnostics = await VerifyAsync("""
            static class C
            {
                static void M(int x)
                {
                    if (x < 0)
                        {|GSC002:throw {|GSC001:new System.Exception()|};|}
                }
            }
            """);
        Assert.Equal(
            "Core must not throw: 'throw new System.Exception()' throws; return an error value instead (Core rules, src/GuestStub.Core/README.md)",
            diagnostics.Single(d => d.Id == "GSC002").GetMessage());
    }

    [Fact]
    public async Task ThrowExpression_IsReported()
    {
        await VerifyAsync("""
            static class C
            {
                static int M(int? x, System.Exception e) => x ?? {|GSC002:throw e|};
            }
            """);
    }

    [Fact]
    public async Task Rethrow_IsReported()
    {
        await VerifyAsync("""
            static class C
            {
                static void M()
                {
                    {|GSC005:try|} { }
                    catch { {|GSC002:throw;|} }
                }
            }
            """);
    }

    [Fact]
    public async Task NearMiss_ReturningAnErrorValue_IsNotReported()
    {
        await VerifyAsync("""
            enum Status { Ok, Truncated }
            static class C
            {
                static Status M(int length) => length < 8 ? Status.Truncated : Status.Ok;
            }
            """);
    }
}
