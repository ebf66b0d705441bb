using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GuestStub.Analyzers.Tests.Support;

/// <summary>
/// The per-file analyzer options MSBuild would write: the files in <c>coreFiles</c> carry
/// <c>build_metadata.Compile.GuestStubCoreRules = true</c>, as analyzers/CoreRules.props
/// arranges for Core's files; others carry nothing.
/// </summary>
internal sealed class CoreFileOptions(ISet<string> coreFiles) : AnalyzerConfigOptionsProvider
{
    private static readonly AnalyzerConfigOptions s_none = new Options(new Dictionary<string, string>());
    private static readonly AnalyzerConfigOptions s_core = new Options(new Dictionary<string, string>
    {
        ["build_metadata.Compile.GuestStubCoreRules"] = "true",
    });

    public override AnalyzerConfigOptions GlobalOptions => s_none;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => coreFiles.Contains(tree.FilePath) ? s_core : s_none;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => s_none;

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
