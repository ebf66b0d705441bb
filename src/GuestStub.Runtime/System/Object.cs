using Internal.Runtime;

namespace System;

/// <summary>Root of every reference type. The single field is the compiler's contract:
/// every object starts with a pointer to its MethodTable.</summary>
public class Object
{
    internal unsafe MethodTable* m_pMethodTable;

    public Object() { }
}
