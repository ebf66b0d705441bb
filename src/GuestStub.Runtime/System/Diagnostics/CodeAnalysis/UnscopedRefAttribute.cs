namespace System.Diagnostics.CodeAnalysis;

/// <summary>As in .NET: lets a struct member return a reference to one of its own fields (the
/// C# compiler looks this attribute up by name).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class UnscopedRefAttribute : Attribute
{
}
