using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GuestStub.Analyzers;

/// <summary>
/// GSC005: <c>try</c> with <c>catch</c> or <c>finally</c>, and the statements the compiler turns
/// into a try/finally (<c>using</c>, <c>lock</c>). The guest has no unwinder: a catch never runs,
/// a finally never runs when something fails (the guest has already stopped), and the handler
/// tables cost image bytes. Core undoes its work explicitly, on the error path too.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TryStatementAnalyzer : CoreRuleAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(CoreRules.TryStatement);

    private protected override void Register(Registrar registrar)
    {
        registrar.OnOperation(Try, OperationKind.Try);
        registrar.OnOperation(c => Report(c, FirstToken(c.Operation.Syntax), "is a try/finally: the finally does not run when the guest fails"),
            OperationKind.Using, OperationKind.UsingDeclaration, OperationKind.Lock);
    }

    private static void Try(OperationAnalysisContext c)
    {
        var op = (ITryOperation)c.Operation;
        string what = op.Catches.Length > 0
            ? "has a catch, which never runs in the guest (no unwinder)"
            : "has a finally, which does not run when the guest fails";
        SyntaxNodeOrToken where = op.Syntax is TryStatementSyntax t ? t.TryKeyword : op.Syntax;
        Report(c, where, what);
    }

    /// <summary>Where to point: the statement's keyword (try, using, lock), not its whole body.</summary>
    private static SyntaxNodeOrToken FirstToken(SyntaxNode syntax) => syntax switch
    {
        UsingStatementSyntax u => u.UsingKeyword,
        LockStatementSyntax l => l.LockKeyword,
        LocalDeclarationStatementSyntax d when d.UsingKeyword != default => d.UsingKeyword,
        _ => syntax,
    };

    private static void Report(OperationAnalysisContext c, SyntaxNodeOrToken where, string what) =>
        c.ReportDiagnostic(Diagnostic.Create(CoreRules.TryStatement, where.GetLocation(), CodeText.Of(where.ToString()), what));
}
