using System;
using System.IO;
using System.Linq;
using GuestStub.Analyzers.Tests.Support;
using Microsoft.CodeAnalysis;
using Xunit;

namespace GuestStub.Analyzers.Tests;

/// <summary>
/// The rules as a reader meets them: each an error with its own ID, a message that names the
/// rule and where it is explained, and a row in src/GuestStub.Core/README.md's table.
/// </summary>
public sealed class CoreRulesCatalogTests
{
    private static readonly DiagnosticDescriptor[] s_rules =
        CoreRulesVerifier.Analyzers.SelectMany(a => a.SupportedDiagnostics).ToArray();

    [Fact]
    public void EveryRule_IsANotConfigurableErrorWithItsOwnId()
    {
        Assert.Equal(s_rules.Length, s_rules.Select(r => r.Id).Distinct().Count());
        Assert.All(s_rules, r =>
        {
            Assert.Matches("^GSC[0-9]{3}$", r.Id);
            Assert.Equal(DiagnosticSeverity.Error, r.DefaultSeverity);
            Assert.Contains(WellKnownDiagnosticTags.NotConfigurable, r.CustomTags);
        });
    }

    [Fact]
    public void EveryMessage_NamesTheRuleAndTheReadme()
    {
        Assert.All(s_rules, r =>
        {
            string format = r.MessageFormat.ToString();
            Assert.StartsWith(r.Title + ": ", format);
            Assert.EndsWith(" (Core rules, src/GuestStub.Core/README.md)", format);
        });
    }

    [Fact]
    public void CoreReadme_HasARowForEveryRule()
    {
        string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "GuestStub.Core", "README.md"));
        Assert.All(s_rules, r => Assert.Contains($"| {r.Id} |", readme, StringComparison.Ordinal));
    }
}
