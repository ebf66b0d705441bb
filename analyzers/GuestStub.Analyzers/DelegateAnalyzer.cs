using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GuestStub.Analyzers;

/// <summary>
/// GSC004: lambdas and anonymous methods (saying which variables they capture: a capture moves
/// them into a heap closure), method groups converted to delegates, <c>new</c> of a delegate
/// type, and calls through a delegate. Function pointers (<c>delegate*</c>) are plain addresses
/// and allowed; local functions are allowed until converted to a delegate.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DelegateAnalyzer : CoreRuleAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(CoreRules.Delegate);

    private protected override void Register(Registrar registrar)
    {
        registrar.OnOperation(AnonymousFunction, OperationKind.AnonymousFunction);
        registrar.OnOperation(DelegateCreation, OperationKind.DelegateCreation);
        registrar.OnOperation(DelegateInvocation, OperationKind.Invocation);
    }

    private static void AnonymousFunction(OperationAnalysisContext c)
    {
        var function = (IAnonymousFunctionOperation)c.Operation;
        if (InQuery(function))
            return; // a query clause's lambda: the query is reported as LINQ (GSC007)
        SyntaxNode syntax = function.Syntax;
        string kind = syntax is AnonymousMethodExpressionSyntax ? "an anonymous method" : "a lambda";
        string[] captured = Captures(function);
        string what = captured.Length == 0
            ? $"is {kind}: it becomes a delegate, a heap object"
            : $"is {kind} that captures {string.Join(", ", captured.Select(n => "'" + n + "'"))}: captured variables live in a heap closure";
        Report(c, syntax, what);
    }

    private static bool InQuery(IOperation op)
    {
        for (IOperation? o = op.Parent; o is not null; o = o.Parent)
            if (o.Kind == OperationKind.TranslatedQuery)
                return true;
        return false;
    }

    /// <summary>The variables from outside the function that it uses (captures), in source order.</summary>
    private static string[] Captures(IAnonymousFunctionOperation function)
    {
        SyntaxNode syntax = function.Syntax;
        if (function.SemanticModel is not { } model)
            return System.Array.Empty<string>();
        DataFlowAnalysis? flow = model.AnalyzeDataFlow(syntax);
        if (flow is not { Succeeded: true })
            return System.Array.Empty<string>();
        return flow.CapturedInside
            .Where(s => !s.Locations.Any(l => syntax.Span.Contains(l.SourceSpan) && l.SourceTree == syntax.SyntaxTree))
            .Select(s => s.IsImplicitlyDeclared ? "this" : s.Name)
            .Distinct()
            .ToArray();
    }

    private static void DelegateCreation(OperationAnalysisContext c)
    {
        var creation = (IDelegateCreationOperation)c.Operation;
        if (creation.Target is IAnonymousFunctionOperation)
            return; // reported as the lambda it is
        Report(c, creation.Syntax, $"creates a delegate of type '{CodeText.Of(creation.Type)}', a heap object");
    }

    private static void DelegateInvocation(OperationAnalysisContext c)
    {
        var call = (IInvocationOperation)c.Operation;
        if (call.TargetMethod.MethodKind == MethodKind.DelegateInvoke)
            Report(c, call.Syntax, $"calls through a delegate of type '{CodeText.Of(call.TargetMethod.ContainingType)}'");
    }

    private static void Report(OperationAnalysisContext c, SyntaxNode syntax, string what) =>
        c.ReportDiagnostic(Diagnostic.Create(CoreRules.Delegate, syntax.GetLocation(), CodeText.Of(syntax), what));
}
