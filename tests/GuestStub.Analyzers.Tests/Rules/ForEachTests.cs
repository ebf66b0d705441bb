using System.Threading.Tasks;
using Xunit;
using static GuestStub.Analyzers.Tests.Support.CoreRulesVerifier;

namespace GuestStub.Analyzers.Tests.Rules;

/// <summary>GSC006: foreach over anything but Span and ReadOnlySpan.</summary>
public sealed class ForEachTests
{
    [Fact]
    public async Task ForEachOverACollection_IsReported_AtTheCollection()
    {
        var diagnostics = await VerifyAsync("""
            using System.Collections.Generic;
            static class C
            {
                static int M(List<int> values, int[] array, IEnumerable<int> sequence, string text)
                {
                    int sum = 0;
                    foreach (int v in {|GSC006:values|}) sum += v;
                    foreach (int v in {|GSC006:array|}) sum += v;
                    foreach (int v in {|GSC006:sequence|}) sum += v;
                    foreach (char ch in {|GSC006:text|}) sum += ch;
                    return sum;
                }
            }
            """);
        Assert.Contains(diagnostics, d => d.GetMessage() ==
            "Core must not use foreach over anything but a span: 'foreach' over 'values' of type 'List<int>' (Core rules, src/GuestStub.Core/README.md)");
    }

    [Fact]
    public async Task NearMisses_ForEachOverSpans_IsNotReported()
    {
        await VerifyAsync("""
            using System;
            static class C
            {
                static int M(Span<ulong> pages, ReadOnlySpan<byte> blob)
                {
                    int sum = 0;
                    foreach (ulong p in pages) sum += (int)p;
                    foreach (byte b in blob) sum += b;
                    foreach (byte b in "abc"u8) sum += b;
                    Span<int> local = stackalloc int[4];
                    foreach (ref int slot in local) slot = 1;
                    return sum;
                }
            }
            """);
    }
}
