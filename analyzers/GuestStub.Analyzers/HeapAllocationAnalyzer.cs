using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GuestStub.Analyzers;

/// <summary>
/// GSC001: code that puts something on the heap, whether it says <c>new</c> or not: objects of
/// reference type, arrays (params arrays included), collection expressions, strings built at
/// run time (concatenation, interpolation, ToString), copies of record classes, and the state
/// machines of iterators and async methods. Delegates and closures are GSC004; boxing is GSC003.
/// Not flagged: <c>new</c> of a struct, <c>stackalloc</c>, string and <c>u8</c> literals, constant
/// strings, and constant byte data converted to a ReadOnlySpan (<see cref="ConstantData"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HeapAllocationAnalyzer : CoreRuleAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(CoreRules.HeapAllocation);

    private protected override void Register(Registrar registrar)
    {
        registrar.OnOperation(ObjectCreation, OperationKind.ObjectCreation, OperationKind.AnonymousObjectCreation,
            OperationKind.TypeParameterObjectCreation, OperationKind.DynamicObjectCreation, OperationKind.With);
        registrar.OnOperation(ArrayCreation, OperationKind.ArrayCreation);
        registrar.OnOperation(CollectionExpression, OperationKind.CollectionExpression);
        registrar.OnOperation(StringBuilding, OperationKind.Binary, OperationKind.CompoundAssignment,
            OperationKind.InterpolatedString, OperationKind.Invocation);
        registrar.OnOperation(LocalFunction, OperationKind.LocalFunction);
        registrar.OnSymbol(c => StateMachine(c, (IMethodSymbol)c.Symbol), SymbolKind.Method);
    }

    private static void ObjectCreation(OperationAnalysisContext c)
    {
        IOperation op = c.Operation;
        string? what = op switch
        {
            IObjectCreationOperation { Type.IsReferenceType: true } => $"creates an object of reference type '{CodeText.Of(op.Type)}'",
            IAnonymousObjectCreationOperation => "creates an object of an anonymous type",
            IDynamicObjectCreationOperation => "creates an object",
            ITypeParameterObjectCreationOperation when op.Type is ITypeParameterSymbol { HasValueTypeConstraint: false, HasUnmanagedTypeConstraint: false } =>
                $"can create an object of reference type: '{CodeText.Of(op.Type)}' is not constrained to a struct",
            IWithOperation { Type.IsReferenceType: true } => $"copies a '{CodeText.Of(op.Type)}', a record class, into a new object",
            _ => null,
        };
        if (what is not null)
            Report(c, op.Syntax, what);
    }

    private static void ArrayCreation(OperationAnalysisContext c)
    {
        var array = (IArrayCreationOperation)c.Operation;
        if (ConstantData.IsConstantDataSpan(array))
            return;
        string element = CodeText.Of((array.Type as IArrayTypeSymbol)?.ElementType);
        if (array.IsImplicit && array.Parent is IArgumentOperation { ArgumentKind: ArgumentKind.ParamArray } argument)
        {
            // The compiler's array for a params parameter: quote the call, which is what the user wrote.
            SyntaxNode call = argument.Parent?.Syntax ?? array.Syntax;
            Report(c, call, $"passes a params array of '{element}' (params parameter '{argument.Parameter?.Name}')");
            return;
        }
        Report(c, array.Syntax, $"creates an array of '{element}'");
    }

    private static void CollectionExpression(OperationAnalysisContext c)
    {
        var collection = (ICollectionExpressionOperation)c.Operation;
        if (ConstantData.IsConstantDataSpan(collection))
            return;
        Report(c, collection.Syntax, $"creates a '{CodeText.Of(collection.Type)}' whose storage can be a heap array");
    }

    private static void StringBuilding(OperationAnalysisContext c)
    {
        IOperation op = c.Operation;
        string? what = op switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String, ConstantValue.HasValue: false } =>
                "concatenates strings into a new string",
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } =>
                "concatenates strings into a new string",
            // A handler argument ($"..." passed to a parameter of an interpolated string handler
            // type) is the handler's business: a struct handler can write without allocating.
            IInterpolatedStringOperation { ConstantValue.HasValue: false } when op.Parent is not IInterpolatedStringHandlerCreationOperation =>
                "builds a new string",
            IInvocationOperation { TargetMethod: { Name: "ToString", Parameters.Length: 0, ReturnType.SpecialType: SpecialType.System_String } } =>
                "creates a new string",
            _ => null,
        };
        if (what is not null)
            Report(c, op.Syntax, what);
    }

    private static void LocalFunction(OperationAnalysisContext c)
    {
        var local = (ILocalFunctionOperation)c.Operation;
        if (local.Syntax is LocalFunctionStatementSyntax syntax && StateMachineKind(local.Symbol, syntax) is { } kind)
            c.ReportDiagnostic(Diagnostic.Create(CoreRules.HeapAllocation, syntax.Identifier.GetLocation(), local.Symbol.Name, kind));
    }

    private static void StateMachine(SymbolAnalysisContext c, IMethodSymbol method)
    {
        if (method.Locations.Length == 0)
            return;
        foreach (SyntaxReference reference in method.DeclaringSyntaxReferences)
        {
            if (StateMachineKind(method, reference.GetSyntax(c.CancellationToken)) is { } kind)
            {
                c.ReportDiagnostic(Diagnostic.Create(CoreRules.HeapAllocation, method.Locations[0], method.Name, kind));
                return;
            }
        }
    }

    /// <summary>Why a method's body becomes a heap-allocated state machine, or null.</summary>
    private static string? StateMachineKind(IMethodSymbol method, SyntaxNode declaration) =>
        method.IsAsync ? "is async: its state machine and task are heap objects"
        : IsIterator(declaration) ? "is an iterator: its enumerator is a heap object"
        : null;

    /// <summary>Whether the declaration's own body has a yield statement (not one of a nested
    /// local function or lambda, which are functions of their own).</summary>
    private static bool IsIterator(SyntaxNode declaration) =>
        declaration.DescendantNodes(n => n == declaration || n is not (LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax))
            .OfType<YieldStatementSyntax>().Any();

    private static void Report(OperationAnalysisContext c, SyntaxNode syntax, string what) =>
        c.ReportDiagnostic(Diagnostic.Create(CoreRules.HeapAllocation, syntax.GetLocation(), CodeText.Of(syntax), what));
}
