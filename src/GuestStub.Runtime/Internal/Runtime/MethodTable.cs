namespace Internal.Runtime;

/// <summary>
/// The head of ilc's MethodTable (type descriptor) as far as this runtime reads it: flags with
/// the component size in the low 16 bits, the base size, and the related (parent or element)
/// type. Layout from dotnet/runtime src/coreclr/nativeaot/Runtime/inc/MethodTable.h.
/// </summary>
internal unsafe struct MethodTable
{
    internal ushort _usComponentSize;
    internal ushort _usFlags;
    internal uint _uBaseSize;
    internal MethodTable* _relatedType;
    internal ushort _usNumVtableSlots;
    internal ushort _usNumInterfaces;
    internal uint _uHashCode;

    /// <summary>Set for arrays and strings, whose size depends on a component count.</summary>
    internal const ushort HasComponentSizeFlag = 0x8000;

    /// <summary>The kind lives in bits 16-17 of the 32-bit flags (bits 0-1 here):
    /// 0 canonical (classes and structs, _relatedType is the base type), 2 parameterized
    /// (arrays and pointers, _relatedType is the element type).</summary>
    internal bool IsCanonical => (_usFlags & 0x0003) == 0;
}
