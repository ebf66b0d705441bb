using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GuestStub.Analyzers;

/// <summary>
/// GSC010: values of type float, double or decimal (and Half). The guest runtime has none of the
/// helpers .NET uses for their conversions and formatting, and Core has no use for them:
/// addresses, sizes, counts and times are integers. Reported once per expression, at the
/// outermost operation whose value is floating point.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FloatingPointAnalyzer : CoreRuleAnalyzer
{
    /// <summary>Every kind of operation: any of them can produce a floating-point value.</summary>
    private static readonly OperationKind[] s_allKinds =
        Enum.GetValues(typeof(OperationKind)).Cast<OperationKind>().Where(k => k != OperationKind.None).Distinct().ToArray();

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(CoreRules.FloatingPoint);

    private protected override void Register(Registrar registrar) => registrar.OnOperation(Operation, s_allKinds);

    private static void Operation(OperationAnalysisContext c)
    {
        IOperation op = c.Operation;
        if (!IsFloatingPoint(op.Type) || IsFloatingPoint(op.Parent?.Type))
            return;
        c.ReportDiagnostic(Diagnostic.Create(CoreRules.FloatingPoint, op.Syntax.GetLocation(),
            CodeText.Of(op.Syntax), CodeText.Of(op.Type)));
    }

    private static bool IsFloatingPoint(ITypeSymbol? type) =>
        type is not null
        && (type.SpecialType is SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal
            || type is INamedTypeSymbol { Name: "Half", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } });
}
