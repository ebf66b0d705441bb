using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GuestStub.Analyzers;

/// <summary>
/// GSC003: a value type copied into a heap object, explicitly or not: a conversion to
/// <c>object</c>, <c>ValueType</c>, <c>Enum</c> or an interface (a struct passed to an
/// <c>object</c> parameter, a struct stored in an interface-typed variable), and a call to a
/// method of <c>object</c>, <c>ValueType</c> or <c>Enum</c> that the value type does not override
/// (<c>GetHashCode</c>, <c>GetType</c>, <c>HasFlag</c>...), which the compiler makes on a boxed
/// copy; and a struct tested against an interface (<c>s is IFoo</c>). A struct used through a generic constraint (<c>where T : struct, IFoo</c>) calls
/// <c>IFoo</c>'s methods directly, without boxing: that is how Core uses interfaces.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BoxingAnalyzer : CoreRuleAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(CoreRules.Boxing);

    private protected override void Register(Registrar registrar)
    {
        registrar.OnOperation(Conversion, OperationKind.Conversion);
        registrar.OnOperation(Invocation, OperationKind.Invocation);
        registrar.OnOperation(TypeTest, OperationKind.IsType, OperationKind.TypePattern, OperationKind.DeclarationPattern);
    }

    private static void Conversion(OperationAnalysisContext c)
    {
        var conversion = (IConversionOperation)c.Operation;
        if (!conversion.GetConversion().IsBoxing)
            return;
        // An implicit conversion's syntax is its operand; an explicit one's is the cast.
        Report(c, conversion.Syntax,
            $"converts value type '{CodeText.Of(conversion.Operand.Type)}' to '{CodeText.Of(conversion.Type)}', a heap copy");
    }

    private static void Invocation(OperationAnalysisContext c)
    {
        var call = (IInvocationOperation)c.Operation;
        IMethodSymbol method = call.TargetMethod;
        // object, ValueType and Enum are the classes a value type's methods can come from.
        if (method.IsStatic || call.Instance?.Type is not { } receiver || method.ContainingType.TypeKind != TypeKind.Class)
            return;
        // A type parameter not known to be a reference type may be a struct: a constrained call
        // to a method the struct does not override boxes it.
        if (!receiver.IsValueType && !(receiver is ITypeParameterSymbol && !receiver.IsReferenceType))
            return;
        Report(c, call.Syntax,
            $"calls '{method.ContainingType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}.{method.Name}' on value type '{CodeText.Of(receiver)}', which boxes it");
    }

    /// <summary><c>s is IFoo</c>, <c>s is IFoo f</c>: testing a struct against an interface or
    /// <c>object</c> boxes it (and a struct used as an interface is what GSC003 is about).</summary>
    private static void TypeTest(OperationAnalysisContext c)
    {
        (ITypeSymbol? input, ITypeSymbol? tested) = c.Operation switch
        {
            IIsTypeOperation t => (t.ValueOperand.Type, t.TypeOperand),
            ITypePatternOperation p => (p.InputType, p.MatchedType),
            IDeclarationPatternOperation d => (d.InputType, d.MatchedType),
            _ => (null, null),
        };
        if (input is { IsValueType: true } && tested is { IsReferenceType: true })
            Report(c, c.Operation.Syntax, $"tests value type '{CodeText.Of(input)}' as '{CodeText.Of(tested)}', which boxes it");
    }

    private static void Report(OperationAnalysisContext c, SyntaxNode syntax, string what) =>
        c.ReportDiagnostic(Diagnostic.Create(CoreRules.Boxing, syntax.GetLocation(), CodeText.Of(syntax), what));
}
