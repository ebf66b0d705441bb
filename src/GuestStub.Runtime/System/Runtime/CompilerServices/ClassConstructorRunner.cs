using System.Runtime.InteropServices;

namespace System.Runtime.CompilerServices;

/// <summary>
/// Runs a static constructor that ilc could not evaluate at compile time, once, before the first
/// access to the type's statics. The guest is single-threaded, so no locking.
/// </summary>
internal static unsafe class ClassConstructorRunner
{
    private static IntPtr CheckStaticClassConstructionReturnNonGCStaticBase(ref StaticClassConstructionContext context, IntPtr nonGcStaticBase)
    {
        CheckStaticClassConstruction(ref context);
        return nonGcStaticBase;
    }

    private static object CheckStaticClassConstructionReturnGCStaticBase(ref StaticClassConstructionContext context, object gcStaticBase)
    {
        CheckStaticClassConstruction(ref context);
        return gcStaticBase;
    }

    private static void CheckStaticClassConstruction(ref StaticClassConstructionContext context)
    {
        if (context.cctorMethodAddress != 0)
        {
            nint address = context.cctorMethodAddress;
            context.cctorMethodAddress = 0;
            ((delegate*<void>)address)();
        }
    }
}

/// <summary>Compiler contract: the address of a type's static constructor, zero once it ran.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct StaticClassConstructionContext
{
    public nint cctorMethodAddress;
}
