namespace System;

// Delegates are not supported in the guest (they allocate); the types exist because the
// C# compiler requires them to be defined in the core library.
public abstract class Delegate { }
public abstract class MulticastDelegate : Delegate { }
