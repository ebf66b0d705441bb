using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;

namespace GuestStub.Packager;

/// <summary>
/// What the Image is made of: bytes per output section, and per C# namespace from the symbols
/// (ilc's names resolved with <see cref="ManagedTypeNames"/>). The namespace rows add up to the
/// Image's length: bytes no symbol owns are "(padding)".
/// </summary>
public sealed partial class SizeReport
{
    public const string Padding = "(padding)";
    public const string StringLiterals = "(string literals)";
    public const string IlcGenerated = "(ilc-generated tables and code)";
    public const string NativeCode = "(native assembly)";
    public const string NativeData = "(native data)";
    public const string PrivateImplementationDetails = "<PrivateImplementationDetails>";

    public sealed record SectionRow(string Name, ulong Address, ulong FileBytes, ulong MemoryBytes, bool Loaded);

    public sealed record GroupRow(string Name, string Assembly, ulong Bytes);

    public required ulong ImageBytes { get; init; }
    public required ulong MemoryBytes { get; init; }
    public required ulong? BudgetBytes { get; init; }
    public required string BuildId { get; init; }
    public required string Version { get; init; }
    public required IReadOnlyList<SectionRow> Sections { get; init; }
    public required IReadOnlyList<GroupRow> Namespaces { get; init; }
    public required IReadOnlyList<string> UnresolvedSymbols { get; init; }

    public static SizeReport Build(ElfFile file, ImageLayout layout, byte[] image, ManagedTypeNames types, byte[] buildId, string version, ulong? budget)
    {
        var sections = new List<SectionRow>();
        var groups = new Dictionary<(string, string), ulong>();
        var unresolved = new SortedSet<string>(StringComparer.Ordinal);
        ulong inSections = 0;
        // Where symbols share an address, one that names a C# type or method owns the bytes.
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        int rank(ElfSymbol sym)
        {
            string name = sym.Name.Value ?? "";
            if (!ranks.TryGetValue(name, out int r))
                ranks[name] = r = types.Resolve(name) is null ? 1 : 0;
            return r;
        }
        foreach (ElfSection s in file.Sections)
        {
            if (s.SectionIndex == 0 || s.Type == ElfSectionType.Null)
                continue;
            bool loaded = s.IsAllocated();
            ulong fileBytes = s.HasContent ? s.Size : 0;
            sections.Add(new SectionRow(s.Name.Value ?? "", s.VirtualAddress, fileBytes, loaded ? s.Size : 0, loaded));
            if (!loaded || !s.HasContent || s.Size == 0)
                continue;
            inSections += s.Size;
            foreach (SymbolSpans.Span span in SymbolSpans.Split(file, s, rank))
            {
                (string name, string assembly) = Classify(span.Owner, (s.Flags & ElfSectionFlags.Executable) != 0, types, unresolved);
                groups[(name, assembly)] = groups.GetValueOrDefault((name, assembly)) + span.Size;
            }
        }
        // Gaps between sections in the Image (page alignment of permission boundaries).
        ulong imageBytes = (ulong)image.Length;
        if (imageBytes > inSections)
            groups[(Padding, "")] = groups.GetValueOrDefault((Padding, "")) + (imageBytes - inSections);

        return new SizeReport
        {
            ImageBytes = imageBytes,
            MemoryBytes = FlatImage.MemorySize(layout),
            BudgetBytes = budget,
            BuildId = Convert.ToHexStringLower(buildId),
            Version = version,
            Sections = sections,
            Namespaces = groups.Select(g => new GroupRow(g.Key.Item1, g.Key.Item2, g.Value))
                .OrderByDescending(g => g.Bytes).ThenBy(g => g.Name, StringComparer.Ordinal).ToList(),
            UnresolvedSymbols = unresolved.ToList(),
        };
    }

    private static (string Name, string Assembly) Classify(ElfSymbol? owner, bool code, ManagedTypeNames types, SortedSet<string> unresolved)
    {
        if (owner is not { } symbol)
            return (Padding, "");
        string name = symbol.Name.Value ?? "";
        if (name.StartsWith("__Str_", StringComparison.Ordinal))
            return (StringLiterals, "");
        // ilc names a MethodTable _ZTV<length><mangled type name>.
        Match methodTable = MethodTableSymbol().Match(name);
        string typeSymbol = methodTable.Success ? methodTable.Groups[1].Value : name;
        if (types.Resolve(typeSymbol) is { } type)
            return (type.Namespace.Length != 0 ? type.Namespace
                : type.Name.Contains("PrivateImplementationDetails", StringComparison.Ordinal) ? PrivateImplementationDetails
                : "(no namespace)", type.Assembly);
        unresolved.Add(name);
        bool ilc = methodTable.Success || name.StartsWith('_') || name.StartsWith("g_", StringComparison.Ordinal)
            || name.StartsWith("Internal_CompilerGenerated_", StringComparison.Ordinal);
        return ilc ? (IlcGenerated, "") : code ? (NativeCode, "") : (NativeData, "");
    }

    [GeneratedRegex(@"^_ZTV[0-9]+(.+)$")]
    private static partial Regex MethodTableSymbol();

    /// <summary>The file out/NAME.size.txt (<paramref name="name"/>: "guest", the product).</summary>
    public string Format(string inputName, string imageName = PackagerOptions.DefaultName)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"GuestStub {Version} image size report ({inputName}, build-id {BuildId})");
        sb.AppendLine();
        sb.AppendLine($"Image (out/{imageName}.img): {ImageBytes} bytes{BudgetText()}; {MemoryBytes} bytes in memory (image_size, with .bss, stacks, heap and page tables)");
        sb.AppendLine();
        sb.AppendLine("Loaded sections                    address               file bytes   memory bytes");
        foreach (SectionRow r in Sections.Where(r => r.Loaded))
            sb.AppendLine(Invariant($"  {r.Name,-32} 0x{r.Address:x16} {r.FileBytes,12} {r.MemoryBytes,14}"));
        ulong loadedFile = Sections.Where(r => r.Loaded).Aggregate(0UL, (a, r) => a + r.FileBytes);
        sb.AppendLine(Invariant($"  {"(padding between sections)",-32} {"",18} {ImageBytes - Math.Min(ImageBytes, loadedFile),12}"));
        sb.AppendLine();
        sb.AppendLine($"Kept in out/{imageName}.elf, not loaded".PadRight(35) + "file bytes");
        foreach (SectionRow r in Sections.Where(r => !r.Loaded && r.FileBytes != 0))
            sb.AppendLine(Invariant($"  {r.Name,-32} {r.FileBytes,10}"));
        sb.AppendLine();
        sb.AppendLine("Image bytes by C# namespace        bytes   share  assembly");
        foreach (GroupRow g in Namespaces)
            sb.AppendLine(Invariant($"  {g.Name,-32} {g.Bytes,7} {100.0 * g.Bytes / Math.Max(1, ImageBytes),6:F1}%  {g.Assembly}"));
        sb.AppendLine(Invariant($"  {"total",-32} {Namespaces.Aggregate(0UL, (a, g) => a + g.Bytes),7}"));
        sb.AppendLine();
        sb.AppendLine("Methods are named <Assembly>_<Namespace>_<Type>__<Method> by ilc; the namespace is the one whose");
        sb.AppendLine("type (read from the IL assemblies) is the longest prefix. Symbols without a size own the bytes up to");
        sb.AppendLine("the next symbol. Symbols that are not C# types or methods:");
        foreach (string name in UnresolvedSymbols)
            sb.AppendLine("  " + name);
        return sb.ToString();
    }

    /// <summary>One line for the build's output.</summary>
    public string SummaryLine(string name = PackagerOptions.DefaultName)
    {
        IEnumerable<string> top = Namespaces.Where(g => g.Name is not Padding).Take(4)
            .Select(g => Invariant($"{g.Name} {g.Bytes}"));
        return $"out/{name}.img {ImageBytes} bytes{BudgetText()}; largest: {string.Join(", ", top)}; padding {Namespaces.FirstOrDefault(g => g.Name == Padding)?.Bytes ?? 0} (out/{name}.size.txt)";
    }

    public bool OverBudget => BudgetBytes is { } b && ImageBytes > b;

    private string BudgetText() => BudgetBytes is { } b
        ? Invariant($" ({100.0 * ImageBytes / b:F1}% of the {b}-byte budget{(ImageBytes > b ? ", OVER BUDGET" : "")})")
        : "";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
