using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GuestStub.Analyzers;

/// <summary>
/// Which source files are Core. The rules apply to Core's files only: the guest project compiles
/// them together with its own entry code, which legitimately has a few statics and a self-test
/// that throws on purpose. A project marks its Core files with the Compile item metadata
/// <c>GuestStubCoreRules="true"</c>, which ../CoreRules.props makes visible to analyzers; it
/// arrives here as a per-file analyzer option. A file added under src/GuestStub.Core is marked
/// by both projects' globs, so it cannot escape the rules by being new.
/// </summary>
internal static class CoreScope
{
    /// <summary>The per-file option MSBuild writes for the item metadata.</summary>
    public const string OptionKey = "build_metadata.Compile.GuestStubCoreRules";

    public static bool IsCore(AnalyzerOptions options, SyntaxTree tree) =>
        options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(OptionKey, out string? value)
        && string.Equals(value?.Trim(), "true", System.StringComparison.OrdinalIgnoreCase);
}
