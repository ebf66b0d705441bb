using System.Threading.Tasks;
using Xunit;
using static GuestStub.Analyzers.Tests.Support.CoreRulesVerifier;

namespace GuestStub.Analyzers.Tests.Rules;

/// <summary>GSC003: boxing, including the implicit kinds a reader does not see.</summary>
public sealed class BoxingTests
{
    [Fact]
    public async Task ConversionToObject_IsReported_AtTheValue()
    {
        var diagnostics = await VerifyAsync("""
            static class C
            {
                static object M(int x) => {|GSC003:x|};
            }
            """);
        Assert.Equal(
            "Core must not box: 'x' converts value type 'int' to 'object', a heap copy (Core rules, src/GuestStub.Core/README.md)",
            Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public async Task ImplicitBoxing_ThroughParametersInterfacesAndCasts_IsReported()
    {
        await VerifyAsync("""
            using System;
            enum Color { Red, Green }
            struct Page : IComparable<Page> { public int CompareTo(Page other) => 0; }
            static class C
            {
                static void Take(object o) { }
                static void M(Page page, Color color)
                {
                    Take({|GSC003:page|});
                    IComparable<Page> asInterface = {|GSC003:page|};
                    object cast = {|GSC003:(object)page|};
                    Enum asEnum = {|GSC003:color|};
                    ValueType asValueType = {|GSC003:page|};
                }
                static object Generic<T>(T value) => {|GSC003:value|};
            }
            """);
    }

    [Fact]
    public async Task CallsToMethodsAValueTypeDoesNotOverride_AreReported()
    {
        await VerifyAsync("""
            using System;
            [Flags] enum Flags { A = 1, B = 2 }
            struct Plain { public int X; }
            static class C
            {
                static int M(Plain p, Flags f)
                {
                    int h = {|GSC003:p.GetHashCode()|};
                    Type t = {|GSC003:p.GetType()|};
                    bool b = {|GSC003:f.HasFlag({|GSC003:Flags.A|})|};
                    return h + (b ? 1 : 0) + (t is null ? 0 : 1);
                }
                static int Hash<T>(T value) where T : struct => {|GSC003:value.GetHashCode()|};
            }
            """);
    }

    [Fact]
    public async Task TestingAStructAgainstAnInterface_IsReported()
    {
        await VerifyAsync("""
            using System;
            struct Page : IComparable<Page> { public int CompareTo(Page other) => 0; }
            static class C
            {
                static bool M(Page page) => {|GSC003:page is IComparable<Page>|} || page is {|GSC003:IComparable<Page> c|};
            }
            """);
    }

    [Fact]
    public async Task NearMisses_GenericStructConstraintsAndOverrides_AreNotReported()
    {
        await VerifyAsync("""
            using System;
            interface ISink { void Write(ReadOnlySpan<byte> text); }
            struct Sink : ISink { public int Count; public void Write(ReadOnlySpan<byte> text) => Count += text.Length; }
            struct Key : IEquatable<Key>
            {
                public int Value;
                public bool Equals(Key other) => Value == other.Value;
                public override int GetHashCode() => Value;
            }
            static class C
            {
                static void Emit<TSink>(ref TSink sink) where TSink : struct, ISink => sink.Write("ok"u8);
                static int M(Key a, Key b)
                {
                    var sink = new Sink();
                    Emit(ref sink);
                    int? maybe = 5;
                    return (a.Equals(b) ? 1 : 0) + a.GetHashCode() + sink.Count + maybe.Value;
                }
                static bool Same<T>(T x, T y) where T : struct, IEquatable<T> => x.Equals(y);
            }
            """);
    }
}
