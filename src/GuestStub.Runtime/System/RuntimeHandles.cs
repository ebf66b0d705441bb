namespace System;

public struct RuntimeTypeHandle { private IntPtr _value; }
public struct RuntimeMethodHandle { private IntPtr _value; }
public struct RuntimeFieldHandle { private IntPtr _value; }
