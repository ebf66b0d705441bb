using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GuestStub.Analyzers;

/// <summary>
/// GSC006: <c>foreach</c> over anything but a <c>Span&lt;T&gt;</c> or <c>ReadOnlySpan&lt;T&gt;</c>.
/// The compiler enumerates a span by index; anything else goes through GetEnumerator, which for
/// an interface boxes or allocates, and wraps the loop in a try/finally to dispose it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ForEachAnalyzer : CoreRuleAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(CoreRules.ForEach);

    private protected override void Register(Registrar registrar) => registrar.OnOperation(Loop, OperationKind.Loop);

    private static void Loop(OperationAnalysisContext c)
    {
        if (c.Operation is not IForEachLoopOperation loop)
            return;
        IOperation collection = loop.Collection;
        // The compiler wraps the collection in an implicit conversion to what it enumerates.
        while (collection is IConversionOperation { IsImplicit: true } conversion)
            collection = conversion.Operand;
        if (!loop.IsAsynchronous && IsSpan(collection.Type))
            return;
        c.ReportDiagnostic(Diagnostic.Create(CoreRules.ForEach, collection.Syntax.GetLocation(),
            CodeText.Of(collection.Syntax), CodeText.Of(collection.Type)));
    }

    private static bool IsSpan(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", TypeArguments.Length: 1 } span
        && span.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true };
}
