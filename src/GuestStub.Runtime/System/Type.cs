namespace System;

/// <summary>Required by the C# compiler for typeof in attributes; no reflection in the guest.</summary>
public abstract class Type { }
