using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;

namespace GuestStub.Packager;

/// <summary>
/// Maps ilc's symbol names back to C# namespaces. ilc names a type <c>Assembly_Namespace_Type</c>
/// and a method <c>Assembly_Namespace_Type__Method</c>, every character that is not a letter or
/// digit turned into '_' (so <c>GuestStub.Guest</c> + <c>GuestStub.Boot.BootSequence</c> gives
/// <c>GuestStub_Guest_GuestStub_Boot_BootSequence</c>; <c>XenConsole`1</c> gives <c>XenConsole_1</c>).
/// That is ambiguous on its own (which '_' was a '.'?), so the type list of the IL assemblies ilc
/// compiled, read with System.Reflection.Metadata, decides: a symbol belongs to the type whose
/// mangled name is its longest prefix ending at "__", '&lt;' or the end of the name.
/// </summary>
public sealed class ManagedTypeNames
{
    /// <summary>Prefixes ilc puts before a type's or method's mangled name for its data.</summary>
    private static readonly string[] DataPrefixes =
    {
        "_lsda0", "__NONGCSTATICS", "__GCSTATICS", "__THREADSTATICS", "__writableData", "__GetGCStaticBase_",
        "__GetNonGCStaticBase_", "__GCStaticEEType_", "__unbox_", "__GenericDict_", "__RuntimeFieldHandle_",
    };

    private readonly Dictionary<string, ManagedType> _byMangledName = new(StringComparer.Ordinal);

    /// <summary>An assembly-qualified type, as the report groups it.</summary>
    public readonly record struct ManagedType(string Assembly, string Namespace, string Name);

    public int Count => _byMangledName.Count;

    /// <summary>Reads the type definitions of each IL assembly; files without metadata are skipped.</summary>
    public static ManagedTypeNames Load(IEnumerable<string> assemblyPaths)
    {
        var names = new ManagedTypeNames();
        foreach (string path in assemblyPaths)
        {
            using FileStream stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
                continue;
            MetadataReader md = pe.GetMetadataReader();
            string assembly = md.IsAssembly ? md.GetString(md.GetAssemblyDefinition().Name) : Path.GetFileNameWithoutExtension(path);
            foreach (TypeDefinitionHandle handle in md.TypeDefinitions)
            {
                (string ns, string typePath) = FullName(md, handle);
                string mangled = Sanitize(assembly) + "_" + Sanitize(ns.Length == 0 ? typePath : ns + "." + typePath);
                names._byMangledName.TryAdd(mangled, new ManagedType(assembly, ns, typePath));
            }
        }
        return names;
    }

    /// <summary>The type a symbol belongs to, or null when it is not a C# type's or method's symbol.</summary>
    public ManagedType? Resolve(string symbol)
    {
        foreach (string prefix in DataPrefixes)
            if (symbol.StartsWith(prefix, StringComparison.Ordinal))
            {
                symbol = symbol[prefix.Length..];
                break;
            }
        for (int end = symbol.Length; end > 0; end--)
        {
            bool boundary = end == symbol.Length || symbol[end] == '<' || (symbol[end] == '_' && end + 1 < symbol.Length && symbol[end + 1] == '_');
            if (boundary && _byMangledName.TryGetValue(symbol[..end], out ManagedType type))
                return type;
        }
        return null;
    }

    /// <summary>ilc's sanitising: every character but ASCII letters and digits becomes '_'.</summary>
    public static string Sanitize(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (char c in name)
            sb.Append(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') ? c : '_');
        return sb.ToString();
    }

    /// <summary>The namespace (of the outermost type) and the type path, nested types joined by '+'.</summary>
    private static (string Namespace, string TypePath) FullName(MetadataReader md, TypeDefinitionHandle handle)
    {
        TypeDefinition type = md.GetTypeDefinition(handle);
        string name = md.GetString(type.Name);
        TypeDefinitionHandle declaring = type.GetDeclaringType();
        if (declaring.IsNil)
            return (md.GetString(type.Namespace), name);
        (string ns, string outer) = FullName(md, declaring);
        return (ns, outer + "+" + name);
    }
}
