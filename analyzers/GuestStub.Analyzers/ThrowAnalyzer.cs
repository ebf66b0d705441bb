using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GuestStub.Analyzers;

/// <summary>
/// GSC002: <c>throw</c> statements, <c>throw</c> expressions and rethrows. The guest runtime's
/// RhpThrowEx fails fast, so a throw in Core would end the boot where an error value would let
/// the caller report the cause and clean up.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ThrowAnalyzer : CoreRuleAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(CoreRules.Throw);

    private protected override void Register(Registrar registrar) =>
        registrar.OnOperation(c => c.ReportDiagnostic(Diagnostic.Create(CoreRules.Throw, c.Operation.Syntax.GetLocation(),
            CodeText.Of(c.Operation.Syntax))), OperationKind.Throw);
}
