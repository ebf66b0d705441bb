namespace System;

/// <summary>The JIT asks ilc for this class while optimising some calls (getBuiltinClass);
/// the guest has no reflection, so it is empty.</summary>
internal sealed class RuntimeType : Type { }
