namespace System;

/// <summary>
/// Exceptions can be constructed and thrown, but never caught: the guest has no unwinder, so
/// <c>throw</c> ends in <see cref="Environment.FailFast(string)"/> with the message (see
/// Internal.Runtime.CompilerHelpers.ThrowHelpers.RhpThrowEx).
/// </summary>
public class Exception
{
    private readonly string _message;

    public Exception() { }

    public Exception(string message) => _message = message;

    public virtual string Message => _message ?? "an exception was thrown";
}

public class SystemException : Exception
{
    public SystemException() { }
    public SystemException(string message) : base(message) { }
}

public sealed class IndexOutOfRangeException : SystemException
{
    public IndexOutOfRangeException() : base("Index was outside the bounds of the array.") { }
}

public sealed class InvalidOperationException : SystemException
{
    public InvalidOperationException() { }
    public InvalidOperationException(string message) : base(message) { }
}

public class ArgumentException : SystemException
{
    public ArgumentException() { }
    public ArgumentException(string message) : base(message) { }
}

public sealed class ArgumentOutOfRangeException : ArgumentException
{
    public ArgumentOutOfRangeException() { }
    public ArgumentOutOfRangeException(string message) : base(message) { }
}

public sealed class OverflowException : SystemException
{
    public OverflowException() { }
    public OverflowException(string message) : base(message) { }
}

public sealed class DivideByZeroException : SystemException
{
    public DivideByZeroException() { }
}

public sealed class NotSupportedException : SystemException
{
    public NotSupportedException() { }
    public NotSupportedException(string message) : base(message) { }
}
