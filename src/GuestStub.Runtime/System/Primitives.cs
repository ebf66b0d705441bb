namespace System;

// The primitive types. Their layout is known to the compiler (a struct cannot contain itself,
// so they declare no value field); operators on them are IL instructions, not members.
public struct Void { }
public struct Boolean { }
public struct Char { }
public struct SByte { }
public struct Byte { public const byte MaxValue = 0xFF; }
public struct Int16 { }
public struct UInt16 { public const ushort MaxValue = 0xFFFF; }
public struct Int32 { public const int MaxValue = 0x7FFFFFFF; public const int MinValue = unchecked((int)0x80000000); }
public struct UInt32 { public const uint MaxValue = 0xFFFFFFFF; }
public struct Int64 { public const long MaxValue = 0x7FFFFFFFFFFFFFFF; }
public struct UInt64 { public const ulong MaxValue = 0xFFFFFFFFFFFFFFFF; }
public struct IntPtr { }
public struct UIntPtr { }
public struct Single { }
public struct Double { }
