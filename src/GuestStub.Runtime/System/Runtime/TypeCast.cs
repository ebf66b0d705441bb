using Internal.Runtime;

namespace System.Runtime;

/// <summary>
/// Casting helpers the compiler calls for <c>is</c>, <c>as</c> and casts, and for storing into
/// arrays of references (ilc 10 requires them). The guest supports class casts along the base
/// type chain and exact matches; interface casts on objects are not supported (Core uses
/// interfaces only as constraints on structs) and fail fast.
/// </summary>
internal static unsafe class TypeCast
{
    private static bool IsAssignable(MethodTable* source, MethodTable* target)
    {
        for (MethodTable* t = source; t != null; t = t->IsCanonical ? t->_relatedType : null)
            if (t == target)
                return true;
        return false;
    }

    private static object IsInstanceOfClass(MethodTable* targetType, object obj) =>
        obj == null || IsAssignable(obj.m_pMethodTable, targetType) ? obj : null;

    private static object IsInstanceOfAny(MethodTable* targetType, object obj) => IsInstanceOfClass(targetType, obj);

    private static object IsInstanceOfException(MethodTable* targetType, object obj) => IsInstanceOfClass(targetType, obj);

    private static object IsInstanceOfInterface(MethodTable* targetType, object obj)
    {
        if (obj != null)
            Environment.FailFast("interface casts are not supported in the guest");
        return null;
    }

    private static object CheckCastClass(MethodTable* targetType, object obj)
    {
        if (obj != null && !IsAssignable(obj.m_pMethodTable, targetType))
            Environment.FailFast("invalid cast");
        return obj;
    }

    private static object CheckCastClassSpecial(MethodTable* targetType, object obj) => CheckCastClass(targetType, obj);

    private static object CheckCastAny(MethodTable* targetType, object obj) => CheckCastClass(targetType, obj);

    private static object CheckCastInterface(MethodTable* targetType, object obj) => IsInstanceOfInterface(targetType, obj);

    private static void StelemRef(object[] array, nint index, object obj)
    {
        if ((nuint)index >= (nuint)array.Length)
            Environment.FailFast("index out of range");
        if (obj != null && !IsAssignable(obj.m_pMethodTable, array.m_pMethodTable->_relatedType))
            Environment.FailFast("array type mismatch");
        array[index] = obj;
    }

    private static ref object LdelemaRef(object[] array, nint index, MethodTable* elementType)
    {
        if ((nuint)index >= (nuint)array.Length)
            Environment.FailFast("index out of range");
        if (array.m_pMethodTable->_relatedType != elementType)
            Environment.FailFast("array type mismatch");
        return ref array[index];
    }
}
