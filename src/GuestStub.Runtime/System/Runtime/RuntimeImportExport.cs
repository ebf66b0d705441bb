namespace System.Runtime;

/// <summary>Exports a method under a native symbol name (ilc contract).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
internal sealed class RuntimeExportAttribute : Attribute
{
    public RuntimeExportAttribute(string entry) { }
}

/// <summary>Binds an extern method to a native symbol resolved at link time (ilc contract).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
internal sealed class RuntimeImportAttribute : Attribute
{
    public RuntimeImportAttribute(string lib) { }
    public RuntimeImportAttribute(string lib, string entry) { }
}
