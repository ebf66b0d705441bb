namespace Internal.Runtime.CompilerHelpers;

/// <summary>
/// Targets of the compiler's implicit checks (bounds, null, overflow, division). With no
/// unwinder each one is a fail-fast naming what went wrong; ilc 10 requires the class.
/// </summary>
internal static class ThrowHelpers
{
    internal static void ThrowIndexOutOfRangeException() => System.Environment.FailFast("index out of range");
    internal static void ThrowNullReferenceException() => System.Environment.FailFast("null reference");
    internal static void ThrowOverflowException() => System.Environment.FailFast("arithmetic overflow");
    internal static void ThrowDivideByZeroException() => System.Environment.FailFast("division by zero");
    internal static void ThrowArrayTypeMismatchException() => System.Environment.FailFast("array type mismatch");
    internal static void ThrowPlatformNotSupportedException() => System.Environment.FailFast("platform not supported");
    internal static void ThrowNotImplementedException() => System.Environment.FailFast("not implemented");
    internal static void ThrowTypeLoadException() => System.Environment.FailFast("type load failure");
    internal static void ThrowTypeLoadExceptionWithArgument() => System.Environment.FailFast("type load failure");
    internal static void ThrowInvalidProgramException() => System.Environment.FailFast("invalid program");
    internal static void ThrowInvalidProgramExceptionWithArgument() => System.Environment.FailFast("invalid program");
    internal static void ThrowMissingMethodException() => System.Environment.FailFast("missing method");
    internal static void ThrowMissingFieldException() => System.Environment.FailFast("missing field");
    internal static void ThrowFileNotFoundException() => System.Environment.FailFast("file not found");
    internal static void ThrowBadImageFormatException() => System.Environment.FailFast("bad image format");
    internal static void ThrowMarshalDirectiveException() => System.Environment.FailFast("marshalling is not supported");
    internal static void ThrowAmbiguousMatchException() => System.Environment.FailFast("ambiguous match");
    internal static void ThrowNotSupportedException() => System.Environment.FailFast("not supported");
    internal static void ThrowArgumentException() => System.Environment.FailFast("invalid argument");
    internal static void ThrowArgumentOutOfRangeException() => System.Environment.FailFast("argument out of range");
    internal static void ThrowBodyRemoved() => System.Environment.FailFast("method body removed by the compiler");
    internal static void ThrowFeatureBodyRemoved() => System.Environment.FailFast("feature removed by the compiler");
    internal static void ThrowInstanceBodyRemoved() => System.Environment.FailFast("instance method body removed by the compiler");
    internal static void ThrowUnavailableType() => System.Environment.FailFast("type unavailable");
    internal static void ThrowArgumentNullException() => System.Environment.FailFast("null argument");
    internal static void ThrowRankException() => System.Environment.FailFast("array rank mismatch");
    internal static void ThrowInvalidCastException() => System.Environment.FailFast("invalid cast");
}
