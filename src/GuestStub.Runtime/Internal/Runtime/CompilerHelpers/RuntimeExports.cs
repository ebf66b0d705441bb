using System;
using System.Runtime;

namespace Internal.Runtime.CompilerHelpers;

/// <summary>
/// The runtime entry points ilc-generated code calls by name. The guest has one thread, no GC
/// and no unwinder, so the transitions are no-ops, allocation bumps a pointer and a throw
/// fails fast with the exception's message.
/// </summary>
internal static unsafe class RuntimeExports
{
    [RuntimeExport("RhpNewFast")]
    private static object RhpNewFast(MethodTable* type)
    {
        MethodTable** obj = (MethodTable**)BumpAllocator.Allocate(type->_uBaseSize);
        *obj = type;
        return AsObject(obj);
    }

    private static object AsObject(MethodTable** memory)
    {
        nint address = (nint)memory;
        return System.Runtime.CompilerServices.Unsafe.As<nint, object>(ref address);
    }

    [RuntimeExport("RhpNewFinalizable")]
    private static object RhpNewFinalizable(MethodTable* type)
    {
        Environment.FailFast("finalizers are not supported in the guest");
        return null;
    }

    [RuntimeExport("RhpNewArray")]
    private static object RhpNewArray(MethodTable* type, int count)
    {
        if (count < 0)
            Environment.FailFast("negative array length");
        nuint size = type->_uBaseSize + (nuint)(uint)count * type->_usComponentSize;
        MethodTable** obj = (MethodTable**)BumpAllocator.Allocate(size);
        *obj = type;
        *(int*)(obj + 1) = count;
        return AsObject(obj);
    }

    [RuntimeExport("RhpNewArrayFast")]
    private static object RhpNewArrayFast(MethodTable* type, int count) => RhpNewArray(type, count);

    [RuntimeExport("RhpNewPtrArrayFast")]
    private static object RhpNewPtrArrayFast(MethodTable* type, int count) => RhpNewArray(type, count);

    [RuntimeExport("RhpThrowEx")]
    private static void RhpThrowEx(object exception)
    {
        // C# throws only Exception-derived objects; no cast (casts would need reflection types).
        Exception e = System.Runtime.CompilerServices.Unsafe.As<Exception>(exception);
        Environment.FailFast(e.Message);
    }

    [RuntimeExport("RhpRethrow")]
    private static void RhpRethrow() => Environment.FailFast("rethrow is not supported in the guest");

    [RuntimeExport("RhpFallbackFailFast")]
    private static void RhpFallbackFailFast() => Environment.FailFast("runtime fail-fast");

    [RuntimeExport("RhpPInvoke")]
    private static void RhpPInvoke(nint frame) { }

    [RuntimeExport("RhpPInvokeReturn")]
    private static void RhpPInvokeReturn(nint frame) { }

    [RuntimeExport("RhpReversePInvoke")]
    private static void RhpReversePInvoke(nint frame) { }

    [RuntimeExport("RhpReversePInvokeReturn")]
    private static void RhpReversePInvokeReturn(nint frame) { }

    [RuntimeExport("RhpGcPoll")]
    private static void RhpGcPoll() { }
}
