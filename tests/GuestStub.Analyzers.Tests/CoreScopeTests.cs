using System.Linq;
using System.Threading.Tasks;
using Xunit;
using static GuestStub.Analyzers.Tests.Support.CoreRulesVerifier;

namespace GuestStub.Analyzers.Tests;

/// <summary>
/// Where the rules apply: Core's files only (the guest project compiles them beside its own
/// entry code, which may allocate and throw), never in attributes, and with no way to switch
/// a rule off in source.
/// </summary>
public sealed class CoreScopeTests
{
    private const string Breaks = """
        static class Breaker
        {
            static string s_text = "x";
            static object Make() => new object();
            static void Fail() => throw new System.InvalidOperationException("on purpose");
        }
        """;

    [Fact]
    public async Task AFileNotMarkedAsCore_IsNotAnalysed()
    {
        await VerifyAsync(new[] { (OtherFile, Breaks) });
    }

    [Fact]
    public async Task InOneCompilation_OnlyTheCoreFilesAreAnalysed()
    {
        await VerifyAsync(new[]
        {
            (OtherFile, Breaks),
            ("/core/Parser.cs", """
                static class Parser
                {
                    static object Make() => {|GSC001:new object()|};
                }
                """),
        });
    }

    [Fact]
    public async Task Attributes_AreNotAnalysed()
    {
        await VerifyAsync("""
            using System;
            using System.Runtime.InteropServices;
            [StructLayout(LayoutKind.Explicit, Size = 8)]
            struct Header
            {
                [FieldOffset(0)] public uint Magic;
                [FieldOffset(4)] public uint Size;
            }
            [AttributeUsage(AttributeTargets.All)]
            sealed class NoteAttribute(object value) : Attribute { public object Value { get; } = value; }
            [Note(42)]
            static class C { }
            """);
    }

    [Fact]
    public async Task NeitherAPragmaNorNoWarnCanSilenceARule()
    {
        var diagnostics = await VerifyAsync(new[]
        {
            (CoreFile, """
                static class C
                {
                #pragma warning disable GSC001
                    static object Make() => {|GSC001:new object()|};
                #pragma warning restore GSC001
                }
                """),
        }, reportSuppressed: true, noWarn: new[] { "GSC001" });
        Assert.All(diagnostics, d => Assert.False(d.IsSuppressed));
    }
}
