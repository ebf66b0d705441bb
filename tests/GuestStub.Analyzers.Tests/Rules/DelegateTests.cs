using System.Linq;
using System.Threading.Tasks;
using Xunit;
using static GuestStub.Analyzers.Tests.Support.CoreRulesVerifier;

namespace GuestStub.Analyzers.Tests.Rules;

/// <summary>GSC004: lambdas, anonymous methods, captures and delegates.</summary>
public sealed class DelegateTests
{
    [Fact]
    public async Task LambdaThatCaptures_IsReported_NamingWhatItCaptures()
    {
        var diagnostics = await VerifyAsync("""
            using System;
            sealed class C
            {
                int _base;
                Func<int, int> M(int offset) => {|GSC004:x => x + offset + _base|};
            }
            """);
        Assert.Equal(
            "Core must not use lambdas, anonymous methods or delegates: 'x => x + offset + _base' is a lambda that captures 'this', 'offset': captured variables live in a heap closure (Core rules, src/GuestStub.Core/README.md)",
            Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public async Task LambdasAnonymousMethodsAndMethodGroups_AreReported_EvenWithoutCaptures()
    {
        var diagnostics = await VerifyAsync("""
            using System;
            static class C
            {
                static int Twice(int x) => 2 * x;
                static void M()
                {
                    Func<int> constant = {|GSC004:() => 1|};
                    Func<int> isStatic = {|GSC004:static () => 2|};
                    Func<int, int> anonymous = {|GSC004:delegate (int x) { return x; }|};
                    Func<int, int> group = {|GSC004:Twice|};
                    Func<int, int> explicitNew = {|GSC004:new Func<int, int>(Twice)|};
                }
            }
            """);
        Assert.Contains(diagnostics, d => d.GetMessage().Contains("'() => 1' is a lambda: it becomes a delegate, a heap object"));
        Assert.Contains(diagnostics, d => d.GetMessage().Contains("is an anonymous method"));
    }

    [Fact]
    public async Task CallThroughADelegate_IsReported()
    {
        await VerifyAsync("""
            using System;
            static class C
            {
                static int M(Func<int> f) => {|GSC004:f()|};
            }
            """);
    }

    [Fact]
    public async Task NearMisses_LocalFunctionsAndFunctionPointers_AreNotReported()
    {
        await VerifyAsync("""
            static unsafe class C
            {
                static int Twice(int x) => 2 * x;
                static int M(int offset)
                {
                    int Add(int x) => x + offset;
                    delegate*<int, int> pointer = &Twice;
                    return Add(1) + pointer(2);
                }
            }
            """);
    }
}
