using System.Threading.Tasks;
using Xunit;
using static GuestStub.Analyzers.Tests.Support.CoreRulesVerifier;

namespace GuestStub.Analyzers.Tests.Rules;

/// <summary>GSC005: try/catch/finally and the statements that compile to a try/finally.</summary>
public sealed class TryStatementTests
{
    [Fact]
    public async Task TryCatch_IsReported_AtTheTryKeyword()
    {
        var diagnostics = await VerifyAsync("""
            static class C
            {
                static int M(int[] values)
                {
                    {|GSC005:try|}
                    {
                        return values[0];
                    }
                    catch (System.IndexOutOfRangeException)
                    {
                        return -1;
                    }
                }
            }
            """);
        Assert.Equal(
            "Core must not use try/catch/finally: 'try' has a catch, which never runs in the guest (no unwinder) (Core rules, src/GuestStub.Core/README.md)",
            Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public async Task TryFinallyUsingAndLock_AreReported()
    {
        await VerifyAsync("""
            using System;
            struct Scope : IDisposable { public void Dispose() { } }
            static class C
            {
                static int M(object gate)
                {
                    int n = 0;
                    {|GSC005:try|} { n = 1; } finally { n = 2; }
                    {|GSC005:using|} (new Scope()) { n++; }
                    {|GSC005:using|} var scope = new Scope();
                    {|GSC005:lock|} (gate) { n++; }
                    return n;
                }
            }
            """);
    }

    [Fact]
    public async Task NearMiss_TheTryPattern_IsNotReported()
    {
        await VerifyAsync("""
            static class C
            {
                static bool TryParse(byte c, out int digit)
                {
                    digit = c - (byte)'0';
                    return digit is >= 0 and <= 9;
                }
                static int M(byte c) => TryParse(c, out int d) ? d : -1;
            }
            """);
    }
}
