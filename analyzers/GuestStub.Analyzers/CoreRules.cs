using Microsoft.CodeAnalysis;

namespace GuestStub.Analyzers;

/// <summary>
/// One descriptor per rule of src/GuestStub.Core/README.md. Every message has the same shape,
/// "Core must not RULE: 'CODE' WHAT (Core rules, src/GuestStub.Core/README.md)", so a build
/// error names the rule, quotes the offending code, says what it would do in the guest and
/// points at where the rules are explained. All are errors: Core code that breaks one builds
/// on the host and compiles against the guest runtime, and only fails at run time, if ever.
/// </summary>
internal static class CoreRules
{
    private const string Category = "GuestStub.Core";
    private const string Where = " (Core rules, src/GuestStub.Core/README.md)";

    public static readonly DiagnosticDescriptor HeapAllocation = Rule(CoreRuleIds.HeapAllocation,
        "Core must not allocate on the heap",
        "Core must not allocate on the heap: '{0}' {1}" + Where,
        "The guest has no garbage collector: its heap is a small bump allocator that never frees. Core keeps its state in structs, spans, stackalloc and pages it is given.");

    public static readonly DiagnosticDescriptor Throw = Rule(CoreRuleIds.Throw,
        "Core must not throw",
        "Core must not throw: '{0}' throws; return an error value instead" + Where,
        "The guest has no unwinder: every throw ends the guest with a fail-fast. Core reports errors as values (an enum of causes with the offset where it went wrong).");

    public static readonly DiagnosticDescriptor Boxing = Rule(CoreRuleIds.Boxing,
        "Core must not box",
        "Core must not box: '{0}' {1}" + Where,
        "Boxing copies a value type into a heap object. Interfaces are used as generic constraints on structs, never as the type of a value.");

    public static readonly DiagnosticDescriptor Delegate = Rule(CoreRuleIds.Delegate,
        "Core must not use lambdas, anonymous methods or delegates",
        "Core must not use lambdas, anonymous methods or delegates: '{0}' {1}" + Where,
        "A delegate is a heap object and a capture moves locals into a heap closure. Core passes behaviour as a struct implementing an interface used as a generic constraint.");

    public static readonly DiagnosticDescriptor TryStatement = Rule(CoreRuleIds.TryStatement,
        "Core must not use try/catch/finally",
        "Core must not use try/catch/finally: '{0}' {1}" + Where,
        "The guest has no unwinder: a catch never runs and a finally does not run when something fails. Core returns errors as values and undoes its work explicitly.");

    public static readonly DiagnosticDescriptor ForEach = Rule(CoreRuleIds.ForEach,
        "Core must not use foreach over anything but a span",
        "Core must not use foreach over anything but a span: 'foreach' over '{0}' of type '{1}'" + Where,
        "foreach over a collection goes through an enumerator that may be an interface (boxing, allocation) and a try/finally. Span and ReadOnlySpan enumerate by index.");

    public static readonly DiagnosticDescriptor Linq = Rule(CoreRuleIds.Linq,
        "Core must not use LINQ",
        "Core must not use LINQ: '{0}' {1}" + Where,
        "LINQ allocates enumerators and delegates, and System.Linq does not exist in the guest.");

    public static readonly DiagnosticDescriptor ManagedStatic = Rule(CoreRuleIds.ManagedStatic,
        "Core must not have statics of reference type",
        "Core must not have statics of reference type: '{0}' is a static of type '{1}', {2}" + Where,
        "A static that holds references lives in GC-static storage the guest runtime has to set up at start-up, and it is shared mutable state. Core keeps constant data in ReadOnlySpan<byte> properties and state in structs passed by reference.");

    public static readonly DiagnosticDescriptor CheckedArithmetic = Rule(CoreRuleIds.CheckedArithmetic,
        "Core must not use checked arithmetic",
        "Core must not use checked arithmetic: '{0}' throws on overflow; compare against the limit and return an error instead" + Where,
        "An overflow in checked arithmetic throws, which in the guest is a fail-fast. Core checks bounds explicitly, written so they cannot overflow, and returns an error.");

    public static readonly DiagnosticDescriptor FloatingPoint = Rule(CoreRuleIds.FloatingPoint,
        "Core must not use floating point",
        "Core must not use floating point: '{0}' is of type '{1}'" + Where,
        "The guest runtime has no floating-point conversion helpers and Core has no use for it: addresses, sizes and times are integers.");

    private static DiagnosticDescriptor Rule(string id, string title, string message, string description) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description,
            helpLinkUri: null, WellKnownDiagnosticTags.NotConfigurable);
}
