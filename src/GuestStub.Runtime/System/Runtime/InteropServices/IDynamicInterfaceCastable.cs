using Internal.Runtime;

namespace System.Runtime.InteropServices;

/// <summary>ilc 10 requires this interface and its static helper in any system module.
/// The guest has no dynamic interface casting: reaching it is a fail-fast.</summary>
public interface IDynamicInterfaceCastable
{
    internal static unsafe nint GetDynamicInterfaceImplementation(IDynamicInterfaceCastable instance, MethodTable* interfaceType, ushort slot)
    {
        Environment.FailFast("dynamic interface casting is not supported in the guest");
        return 0;
    }
}
