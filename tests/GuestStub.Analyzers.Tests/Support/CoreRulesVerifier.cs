using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace GuestStub.Analyzers.Tests.Support;

/// <summary>
/// Compiles marked-up snippets (<see cref="Markup"/>) against .NET's own assemblies, runs every
/// rule of GuestStub.Analyzers on them as the build would, and checks that exactly the marked
/// diagnostics come out: same IDs at the same places, none missing and none extra. A snippet
/// must be valid C#: a compile error fails the test, so a near-miss cannot pass by not compiling.
/// </summary>
internal static class CoreRulesVerifier
{
    public const string CoreFile = "/core/Snippet.cs";
    public const string OtherFile = "/guest/Other.cs";

    /// <summary>Every analyzer in the assembly: a rule added later is covered without being listed.</summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = typeof(CoreRuleAnalyzer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray());

    /// <summary>Checks a snippet compiled as a Core file.</summary>
    public static Task<ImmutableArray<Diagnostic>> VerifyAsync(string marked, LanguageVersion language = LanguageVersion.Latest, bool overflowChecks = false) =>
        VerifyAsync(new[] { (CoreFile, marked) }, language, overflowChecks);

    /// <summary>Checks several files; only those at <see cref="CoreFile"/> (or starting with "/core/") are Core.</summary>
    public static async Task<ImmutableArray<Diagnostic>> VerifyAsync(IEnumerable<(string Path, string Marked)> files,
        LanguageVersion language = LanguageVersion.Latest, bool overflowChecks = false, bool reportSuppressed = false,
        IEnumerable<string>? noWarn = null)
    {
        var parsed = files.Select(f => (f.Path, Markup: Markup.Parse(f.Marked))).ToList();
        var parse = new CSharpParseOptions(language);
        var trees = parsed.Select(f => CSharpSyntaxTree.ParseText(f.Markup.Source, parse, f.Path)).ToList();
        var compilation = CSharpCompilation.Create("Snippet", trees, s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, checkOverflow: overflowChecks)
                // What <NoWarn>, a ruleset or a severity setting becomes.
                .WithSpecificDiagnosticOptions((noWarn ?? []).Select(id => KeyValuePair.Create(id, ReportDiagnostic.Suppress))));

        Diagnostic[] compileErrors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(compileErrors.Length == 0, "the snippet does not compile:\n" + string.Join("\n", compileErrors.Select(d => d.ToString())));

        var core = new HashSet<string>(parsed.Select(f => f.Path).Where(p => p.StartsWith("/core/", StringComparison.Ordinal)));
        var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new CoreFileOptions(core));
        var withAnalyzers = compilation.WithAnalyzers(Analyzers, new CompilationWithAnalyzersOptions(options,
            onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: reportSuppressed));
        ImmutableArray<Diagnostic> actual = await withAnalyzers.GetAnalyzerDiagnosticsAsync();

        Diagnostic[] crashes = actual.Where(d => d.Id == "AD0001").ToArray();
        Assert.True(crashes.Length == 0, "an analyzer threw:\n" + string.Join("\n", crashes.Select(d => d.ToString())));

        var expected = parsed.SelectMany(f => f.Markup.Expected.Select(e => Describe(f.Path, e.Id, e.Span.Start, e.Span.End))).OrderBy(s => s, StringComparer.Ordinal).ToList();
        var got = actual.Where(d => !d.IsSuppressed).Select(d => Describe(d.Location.SourceTree!.FilePath, d.Id, d.Location.SourceSpan.Start, d.Location.SourceSpan.End))
            .OrderBy(s => s, StringComparer.Ordinal).ToList();
        Assert.True(expected.SequenceEqual(got),
            "expected:\n  " + string.Join("\n  ", expected) + "\nactual:\n  " + string.Join("\n  ", actual.Select(d => d.ToString())));
        return actual;
    }

    private static string Describe(string path, string id, int start, int end) => $"{id} {path}[{start}..{end})";
}
