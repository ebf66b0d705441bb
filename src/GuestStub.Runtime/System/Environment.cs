using System.Runtime;
using System.Runtime.CompilerServices;

namespace System;

public static class Environment
{
    /// <summary>
    /// Ends the program: the platform hook <c>GuestStubFailFast</c> (exported by the guest)
    /// prints the message and powers the machine off. Never returns.
    /// </summary>
    public static unsafe void FailFast(string message)
    {
        ReadOnlySpan<char> text = message;
        PlatformFailFast((char*)Unsafe.AsPointer(ref Unsafe.AsRef(in text.GetPinnableReference())), text.Length);
    }

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "GuestStubFailFast")]
    private static extern unsafe void PlatformFailFast(char* message, int length);
}
