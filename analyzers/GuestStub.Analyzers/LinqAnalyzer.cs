using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GuestStub.Analyzers;

/// <summary>
/// GSC007: LINQ, as query syntax or as calls into System.Linq. It allocates enumerators and
/// delegates, and the guest runtime has no System.Linq: this error comes from the host build,
/// where the code would otherwise compile and pass its tests.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LinqAnalyzer : CoreRuleAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(CoreRules.Linq);

    private protected override void Register(Registrar registrar)
    {
        registrar.OnOperation(c => Report(c, "is a LINQ query"), OperationKind.TranslatedQuery);
        registrar.OnOperation(Invocation, OperationKind.Invocation);
    }

    private static void Invocation(OperationAnalysisContext c)
    {
        var call = (IInvocationOperation)c.Operation;
        // A query's own calls are implicit: the query is reported once, as a whole.
        if (call.IsImplicit || !IsSystemLinq(call.TargetMethod.ContainingNamespace))
            return;
        Report(c, $"calls {call.TargetMethod.ContainingType.ToDisplayString()}.{call.TargetMethod.Name}");
    }

    private static bool IsSystemLinq(INamespaceSymbol? ns) =>
        ns is { Name: "Linq", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } }
        || (ns is { IsGlobalNamespace: false } && IsSystemLinq(ns.ContainingNamespace));

    private static void Report(OperationAnalysisContext c, string what) =>
        c.ReportDiagnostic(Diagnostic.Create(CoreRules.Linq, c.Operation.Syntax.GetLocation(), CodeText.Of(c.Operation.Syntax), what));
}
