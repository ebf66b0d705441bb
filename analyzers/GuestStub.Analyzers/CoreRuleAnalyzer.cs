using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GuestStub.Analyzers;

/// <summary>
/// What every rule shares: generated code is not analysed, analysis runs concurrently, and an
/// action sees only code in Core's files (<see cref="CoreScope"/>). A rule registers its
/// actions through <see cref="OnOperation"/> and <see cref="OnSymbol"/>, which apply that
/// filter, so no rule can forget it. Attributes are not analysed: their arguments are constants
/// written into metadata, never run.
/// </summary>
public abstract class CoreRuleAnalyzer : DiagnosticAnalyzer
{
    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        Register(new Registrar(context));
    }

    /// <summary>Registers the rule's actions.</summary>
    private protected abstract void Register(Registrar registrar);

    /// <summary>Registration of actions that run on Core's files only.</summary>
    private protected readonly struct Registrar
    {
        private readonly AnalysisContext _context;

        internal Registrar(AnalysisContext context) => _context = context;

        public void OnOperation(System.Action<OperationAnalysisContext> action, params OperationKind[] kinds) =>
            _context.RegisterOperationAction(c =>
            {
                // An attribute's arguments are metadata the compiler writes, not code that runs.
                if (CoreScope.IsCore(c.Options, c.Operation.Syntax.SyntaxTree)
                    && c.Operation.Syntax.FirstAncestorOrSelf<AttributeSyntax>() is null)
                    action(c);
            }, kinds);

        public void OnSymbol(System.Action<SymbolAnalysisContext> action, params SymbolKind[] kinds) =>
            _context.RegisterSymbolAction(c =>
            {
                foreach (Location location in c.Symbol.Locations)
                {
                    if (location.SourceTree is { } tree && CoreScope.IsCore(c.Options, tree))
                    {
                        action(c);
                        return;
                    }
                }
            }, kinds);
    }
}
