using System.Threading.Tasks;
using Xunit;
using static GuestStub.Analyzers.Tests.Support.CoreRulesVerifier;

namespace GuestStub.Analyzers.Tests.Rules;

/// <summary>GSC007: LINQ calls and query expressions.</summary>
public sealed class LinqTests
{
    [Fact]
    public async Task LinqCall_IsReported_NamingTheMethod()
    {
        var diagnostics = await VerifyAsync("""
            using System.Linq;
            static class C
            {
                static int M(int[] values) => {|GSC007:values.Count()|};
            }
            """);
        Assert.Equal(
            "Core must not use LINQ: 'values.Count()' calls System.Linq.Enumerable.Count (Core rules, src/GuestStub.Core/README.md)",
            Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public async Task QueryExpression_IsReportedOnce_AsAWhole()
    {
        await VerifyAsync("""
            using System.Collections.Generic;
            using System.Linq;
            static class C
            {
                static IEnumerable<int> M(int[] values) => {|GSC007:from v in values where v > 0 select v * 2|};
            }
            """);
    }

    [Fact]
    public async Task NearMiss_MemoryExtensionsOnSpans_IsNotReported()
    {
        await VerifyAsync("""
            using System;
            static class C
            {
                static int M(ReadOnlySpan<byte> blob) => blob.IndexOf((byte)0) + (blob.SequenceEqual("x"u8) ? 1 : 0);
            }
            """);
    }
}
