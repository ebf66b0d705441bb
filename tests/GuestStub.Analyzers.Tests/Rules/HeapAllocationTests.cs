using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using static GuestStub.Analyzers.Tests.Support.CoreRulesVerifier;

namespace GuestStub.Analyzers.Tests.Rules;

/// <summary>GSC001: heap allocation, explicit and implicit, and the shapes that only look like it.</summary>
public sealed class HeapAllocationTests
{
    [Fact]
    public async Task NewOfAClass_IsReported_WithTheRuleAndTheCodeInTheMessage()
    {
        var diagnostics = await VerifyAsync("""
            class C
            {
                static object M() => {|GSC001:new object()|};
            }
            """);
        Assert.Equal(
            "Core must not allocate on the heap: 'new object()' creates an object of reference type 'object' (Core rules, src/GuestStub.Core/README.md)",
            Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public async Task ObjectsOfReferenceType_AreReported_HoweverWritten()
    {
        await VerifyAsync("""
            record R(int X);
            sealed class Node { public int Value; }
            static class C
            {
                static void M()
                {
                    Node n = {|GSC001:new Node { Value = 1 }|};
                    object o = {|GSC001:new()|};
                    R r = {|GSC001:new R(1)|};
                    R copy = {|GSC001:r with { X = 2 }|};
                    var anonymous = {|GSC001:new { A = 1 }|};
                    string s = {|GSC001:new string('x', 3)|};
                }
                static T Make<T>() where T : new() => {|GSC001:new T()|};
            }
            """);
    }

    [Fact]
    public async Task Arrays_AreReported_IncludingByteArraysNotUsedAsConstantData()
    {
        await VerifyAsync("""
            using System;
            static class C
            {
                static void M(byte v)
                {
                    int[] a = {|GSC001:new int[4]|};
                    var b = {|GSC001:new[] { 1, 2 }|};
                    byte[] c = {|GSC001:new byte[] { 1, 2 }|};
                    Span<byte> writable = {|GSC001:new byte[] { 1, 2 }|};
                    ReadOnlySpan<byte> notConstant = {|GSC001:new byte[] { 1, v }|};
                }
                static ReadOnlySpan<int> Ints => {|GSC001:new int[] { 1, 2 }|};
            }
            """);
    }

    [Fact]
    public async Task ParamsArray_IsReported_AtTheCall()
    {
        var diagnostics = await VerifyAsync("""
            static class C
            {
                static int Sum(params int[] values) => values.Length;
                static int M() => {|GSC001:Sum(1, 2, 3)|};
            }
            """);
        Assert.Contains("passes a params array of 'int' (params parameter 'values')", Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public async Task CollectionExpressions_AreReported_UnlessConstantBytesForAReadOnlySpan()
    {
        await VerifyAsync("""
            using System;
            using System.Collections.Generic;
            static class C
            {
                static void M(int x)
                {
                    int[] a = {|GSC001:[1, 2]|};
                    List<int> l = {|GSC001:[x]|};
                    Span<int> s = {|GSC001:[x, 2]|};
                }
                static ReadOnlySpan<byte> Table => [1, 2, 3];
            }
            """);
    }

    [Fact]
    public async Task StringsBuiltAtRunTime_AreReported()
    {
        await VerifyAsync("""
            static class C
            {
                static string Concat(string a, string b) => {|GSC001:a + b|};
                static string Interpolate(int x) => {|GSC001:$"x={x}"|};
                static string Format(int x) => {|GSC001:x.ToString()|};
                static void Append(ref string s) => {|GSC001:s += "!"|};
            }
            """);
    }

    [Fact]
    public async Task IteratorsAndAsyncMethods_AreReported_AtTheirName()
    {
        await VerifyAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            static class C
            {
                static IEnumerable<int> {|GSC001:Numbers|}()
                {
                    yield return 1;
                }
                static async Task {|GSC001:WaitAsync|}() => await Task.Yield();
                static int Local()
                {
                    IEnumerable<int> {|GSC001:Inner|}() { yield return 2; }
                    return 0;
                }
            }
            """);
    }

    [Fact]
    public async Task NearMisses_StructsStackallocLiteralsAndConstantData_AreNotReported()
    {
        await VerifyAsync("""
            using System;
            struct Point { public int X; public Point(int x) => X = x; }
            static class C
            {
                const string Name = "stub";
                const string Greeting = Name + " ready";
                const string Interpolated = $"{Name} ready";
                static ReadOnlySpan<byte> Bytes => new byte[] { 1, 2, 3 };
                static ReadOnlySpan<sbyte> Signed => new sbyte[] { -1, 2 };
                static ReadOnlySpan<bool> Flags => new bool[] { true, false };
                static ReadOnlySpan<byte> Wrapped => new ReadOnlySpan<byte>(new byte[] { 4, 5 });
                static ReadOnlySpan<byte> Text => "text"u8;
                static ReadOnlySpan<byte> Joined => "ab"u8 + "cd"u8;
                static int M()
                {
                    Point p = new Point(1);
                    Point q = new() { X = 2 };
                    Span<byte> buffer = stackalloc byte[16];
                    Span<byte> initialised = stackalloc byte[] { 1, 2 };
                    ReadOnlySpan<byte> local = new byte[] { 9, 8 };
                    (int A, int B) pair = (1, 2);
                    string literal = "literal";
                    return p.X + q.X + buffer.Length + initialised.Length + local.Length + pair.A + literal.Length + Name.Length;
                }
                static T Make<T>() where T : struct => new T();
            }
            """);
    }

    [Fact]
    public async Task ConstantDataSpan_IsNotReported_UnderCSharp14SpanConversions()
    {
        // From C# 14 an array converts to a span by a built-in conversion, not op_Implicit.
        await VerifyAsync("""
            using System;
            static class C
            {
                static ReadOnlySpan<byte> Bytes => new byte[] { 1, 2, 3 };
                static Span<byte> Writable => {|GSC001:new byte[] { 1, 2, 3 }|};
            }
            """, LanguageVersion.Preview);
    }
}
