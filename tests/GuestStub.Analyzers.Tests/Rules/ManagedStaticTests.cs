using System.Threading.Tasks;
using Xunit;
using static GuestStub.Analyzers.Tests.Support.CoreRulesVerifier;

namespace GuestStub.Analyzers.Tests.Rules;

/// <summary>GSC008: statics that hold references.</summary>
public sealed class ManagedStaticTests
{
    [Fact]
    public async Task StaticOfReferenceType_IsReported_AtItsName()
    {
        var diagnostics = await VerifyAsync("""
            static class C
            {
                static string {|GSC008:s_name|} = "stub";
            }
            """);
        Assert.Equal(
            "Core must not have statics of reference type: 'C.s_name' is a static of type 'string', which holds a heap reference (Core rules, src/GuestStub.Core/README.md)",
            Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public async Task StaticFieldsPropertiesAndEvents_ThatHoldReferences_AreReported()
    {
        await VerifyAsync("""
            using System;
            struct Holder { public string Text; }
            static class C
            {
                static object {|GSC008:s_gate|};
                static readonly int[] {|GSC008:s_table|} = {|GSC001:new int[4]|};
                static Holder {|GSC008:s_holder|};
                static string {|GSC008:Name|} { get; set; } = "x";
                static event Action {|GSC008:Changed|};
            }
            static class Cache<T>
            {
                static T {|GSC008:s_value|};
            }
            """);
    }

    [Fact]
    public async Task NearMisses_ConstantsUnmanagedStaticsAndDataProperties_AreNotReported()
    {
        await VerifyAsync("""
            using System;
            enum Mode { Off, On }
            struct Range { public ulong Start, End; }
            static unsafe class C
            {
                const string Name = "stub";
                static int s_count;
                static readonly ulong s_limit = 1UL << 40;
                static Mode s_mode;
                static Range s_range;
                static byte* s_cursor;
                static ReadOnlySpan<byte> Table => new byte[] { 1, 2, 3 };
                static int Count => s_count;
            }
            sealed class Instance { string _text = "x"; public string Text => _text; }
            """);
    }
}
