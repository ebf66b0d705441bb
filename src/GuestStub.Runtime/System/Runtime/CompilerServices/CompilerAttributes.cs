namespace System.Runtime.CompilerServices;

// Attributes and marker types the C# compiler and ilc look up by name in the core library.

internal sealed class IntrinsicAttribute : Attribute { }

public enum MethodImplOptions
{
    Unmanaged = 0x0004,
    NoInlining = 0x0008,
    ForwardRef = 0x0010,
    Synchronized = 0x0020,
    NoOptimization = 0x0040,
    PreserveSig = 0x0080,
    AggressiveInlining = 0x0100,
    AggressiveOptimization = 0x0200,
    InternalCall = 0x1000,
}

[AttributeUsage(AttributeTargets.Constructor | AttributeTargets.Method, Inherited = false)]
public sealed class MethodImplAttribute : Attribute
{
    public MethodImplAttribute(MethodImplOptions methodImplOptions) { }
}

public sealed class IndexerNameAttribute : Attribute
{
    public IndexerNameAttribute(string indexerName) { }
}

public sealed class ExtensionAttribute : Attribute { }

public sealed class IsReadOnlyAttribute : Attribute { }

public sealed class IsByRefLikeAttribute : Attribute { }

public sealed class IsUnmanagedAttribute : Attribute { }

public sealed class RequiresLocationAttribute : Attribute { }

public sealed class ScopedRefAttribute : Attribute { }

public sealed class CompilerGeneratedAttribute : Attribute { }

public sealed class InlineArrayAttribute : Attribute
{
    public InlineArrayAttribute(int length) { }
}

public sealed class FixedBufferAttribute : Attribute
{
    public FixedBufferAttribute(Type elementType, int length) { }
}

public sealed class UnsafeValueTypeAttribute : Attribute { }

public sealed class RefSafetyRulesAttribute : Attribute
{
    public RefSafetyRulesAttribute(int version) { }
}

public sealed class CallerArgumentExpressionAttribute : Attribute
{
    public CallerArgumentExpressionAttribute(string parameterName) { }
}

public sealed class SkipLocalsInitAttribute : Attribute { }

public static class IsVolatile { }

public static class IsConst { }

public class CallConvCdecl { }
public class CallConvStdcall { }
public class CallConvThiscall { }
public class CallConvFastcall { }
public class CallConvSuppressGCTransition { }
public class CallConvMemberFunction { }
