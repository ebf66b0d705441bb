namespace System;

public abstract class ValueType { }
