using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GuestStub.Analyzers;

/// <summary>
/// The one array shape Core may write: constant bytes, sbytes or bools converted straight to a
/// <c>ReadOnlySpan</c> of the same element type, as in
/// <c>static ReadOnlySpan&lt;byte&gt; Table => new byte[] { 1, 2, 3 };</c> or the collection
/// expression <c>[1, 2, 3]</c>. The C# compiler emits such data into the image's read-only
/// data and makes the span point at it: no array is created. For any other element type the
/// compiler needs RuntimeHelpers.CreateSpan, which the guest runtime does not have, and falls
/// back to a heap array; so does a Span (writable: it needs a copy) and any non-constant element.
/// </summary>
internal static class ConstantData
{
    public static bool IsConstantDataSpan(IArrayCreationOperation array)
    {
        if (array.Type is not IArrayTypeSymbol { Rank: 1 } arrayType
            || !IsDataElement(arrayType.ElementType)
            || array.Initializer is null
            || !array.Initializer.ElementValues.All(IsConstant))
            return false;
        return array.Parent switch
        {
            // ReadOnlySpan<byte> x = new byte[] { ... }; (a user-defined or, from C# 14, a span conversion)
            IConversionOperation conversion => IsReadOnlySpanOf(conversion.Type, arrayType.ElementType),
            // new ReadOnlySpan<byte>(new byte[] { ... })
            IArgumentOperation { Parent: IObjectCreationOperation creation } =>
                creation.Arguments.Length == 1 && IsReadOnlySpanOf(creation.Type, arrayType.ElementType),
            _ => false,
        };
    }

    public static bool IsConstantDataSpan(ICollectionExpressionOperation collection) =>
        collection.Type is INamedTypeSymbol { TypeArguments.Length: 1 } span
        && IsReadOnlySpanOf(span, span.TypeArguments[0])
        && IsDataElement(span.TypeArguments[0])
        && collection.Elements.All(IsConstant);

    /// <summary>Element types the compiler stores as plain bytes, whatever the target's endianness.</summary>
    private static bool IsDataElement(ITypeSymbol type) =>
        type.SpecialType is SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Boolean;

    private static bool IsConstant(IOperation element) => element.ConstantValue.HasValue;

    private static bool IsReadOnlySpanOf(ITypeSymbol? type, ITypeSymbol element) =>
        type is INamedTypeSymbol { Name: "ReadOnlySpan", TypeArguments.Length: 1 } span
        && span.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true }
        && SymbolEqualityComparer.Default.Equals(span.TypeArguments[0], element);
}
