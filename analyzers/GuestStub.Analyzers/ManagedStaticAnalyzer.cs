using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GuestStub.Analyzers;

/// <summary>
/// GSC008: static fields, auto-properties and events whose type holds references: a class, an
/// array, a string, a delegate, a struct with such a field, or a type parameter that may be one.
/// ilc keeps them in GC-static storage that the guest runtime fills at start-up; in Core they
/// would be hidden shared state as well. Constants (<c>const</c>, including <c>const string</c>)
/// and statics of unmanaged type (integers, enums, pointers, plain structs) are fine; constant
/// tables are <c>static ReadOnlySpan&lt;byte&gt; X => new byte[] { ... }</c> properties.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ManagedStaticAnalyzer : CoreRuleAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(CoreRules.ManagedStatic);

    private protected override void Register(Registrar registrar) =>
        registrar.OnSymbol(Symbol, SymbolKind.Field, SymbolKind.Property, SymbolKind.Event);

    private static void Symbol(SymbolAnalysisContext c)
    {
        ISymbol symbol = c.Symbol;
        if (!symbol.IsStatic || symbol.Locations.Length == 0)
            return;
        ITypeSymbol? type = symbol switch
        {
            IFieldSymbol { IsConst: false, IsImplicitlyDeclared: false } field => field.Type,
            IPropertySymbol property when HasBackingField(property) => property.Type,
            IEventSymbol e => e.Type,
            _ => null,
        };
        if (type is null || type.IsUnmanagedType)
            return;
        string holds = type.IsReferenceType ? "which holds a heap reference"
            : type is ITypeParameterSymbol ? "which can hold a heap reference"
            : "which contains heap references";
        c.ReportDiagnostic(Diagnostic.Create(CoreRules.ManagedStatic, symbol.Locations[0],
            $"{symbol.ContainingType.Name}.{symbol.Name}", CodeText.Of(type), holds));
    }

    /// <summary>An auto-property: the compiler declares a field for it. A computed property
    /// (<c>static ReadOnlySpan&lt;byte&gt; X => ...</c>) stores nothing.</summary>
    private static bool HasBackingField(IPropertySymbol property) =>
        property.ContainingType.GetMembers().OfType<IFieldSymbol>()
            .Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property));
}
