using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GuestStub.Analyzers;

/// <summary>
/// GSC009: arithmetic and conversions in a <c>checked</c> context (a <c>checked</c> block or
/// expression, or a project built with CheckForOverflowUnderflow). An overflow throws
/// OverflowException, a fail-fast in the guest. Reported once per checked expression, at its
/// outermost checked operation.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CheckedArithmeticAnalyzer : CoreRuleAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(CoreRules.CheckedArithmetic);

    private protected override void Register(Registrar registrar) =>
        registrar.OnOperation(Arithmetic, OperationKind.Binary, OperationKind.Unary, OperationKind.Conversion,
            OperationKind.CompoundAssignment, OperationKind.Increment, OperationKind.Decrement);

    private static void Arithmetic(OperationAnalysisContext c)
    {
        if (!IsChecked(c.Operation) || (c.Operation.Parent is { } parent && IsChecked(parent)))
            return;
        c.ReportDiagnostic(Diagnostic.Create(CoreRules.CheckedArithmetic, c.Operation.Syntax.GetLocation(),
            CodeText.Of(c.Operation.Syntax)));
    }

    private static bool IsChecked(IOperation op) => op switch
    {
        IBinaryOperation b => b.IsChecked,
        IUnaryOperation u => u.IsChecked,
        IConversionOperation v => v.IsChecked,
        ICompoundAssignmentOperation a => a.IsChecked,
        IIncrementOrDecrementOperation i => i.IsChecked,
        _ => false,
    };
}
