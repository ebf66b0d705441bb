using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LibObjectFile.Elf;

namespace GuestStub.ElfInputChecks.Tests.TestSupport;

/// <summary>
/// Compares LibObjectFile's model of a file with <c>llvm-readelf-14 --elf-output-style=JSON</c>: the ELF header,
/// every section header, every program header, and every .symtab and .dynsym entry. Returns one
/// line per mismatch (empty when they agree).
/// </summary>
internal static partial class ReadElfComparer
{
    public static List<string> Compare(string path, ElfFile file)
    {
        var mismatches = new List<string>();
        Tool.Result r = Tool.Run(Tool.ReadElf, "--elf-output-style=JSON", "--file-header", "--section-headers",
            "--program-headers", "--symbols", "--dyn-symbols", path);
        if (r.ExitCode != 0)
        {
            mismatches.Add($"{path}: llvm-readelf exited {r.ExitCode}: {r.Stderr.Trim()}");
            return mismatches;
        }
        JsonElement root;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(RepairUnknownMachine(r.Stdout));
            root = default;
            foreach (JsonProperty p in doc.RootElement[0].EnumerateObject())
                root = p.Value.Clone();
        }
        catch (JsonException e)
        {
            mismatches.Add($"{path}: llvm-readelf JSON did not parse: {e.Message}");
            return mismatches;
        }

        void Check(string what, ulong expected, ulong actual)
        {
            if (expected != actual)
                mismatches.Add($"{path}: {what}: llvm-readelf 0x{expected:x}, ours 0x{actual:x}");
        }
        void CheckText(string what, string expected, string actual)
        {
            if (expected != actual)
                mismatches.Add($"{path}: {what}: llvm-readelf '{expected}', ours '{actual}'");
        }

        JsonElement h = root.GetProperty("ElfHeader");
        ElfFileLayout layout = file.Layout;
        JsonElement ident = h.GetProperty("Ident");
        Check("class", Raw(ident.GetProperty("Class")), (ulong)file.FileClass);
        Check("data encoding", Raw(ident.GetProperty("DataEncoding")), (ulong)file.Encoding);
        Check("OS/ABI", Raw(ident.GetProperty("OS/ABI")), (ulong)file.OSABI.Value);
        Check("ABI version", Number(ident.GetProperty("ABIVersion")), file.AbiVersion);
        Check("e_type", TypeValue(h.GetProperty("Type")), (ulong)file.FileType);
        Check("e_machine", Raw(h.GetProperty("Machine")), (ulong)file.Arch.Value);
        Check("e_version", Number(h.GetProperty("Version")), file.Version);
        Check("e_entry", Number(h.GetProperty("Entry")), file.EntryPointAddress);
        Check("e_phoff", Number(h.GetProperty("ProgramHeaderOffset")), layout.OffsetOfProgramHeaderTable);
        Check("e_shoff", Number(h.GetProperty("SectionHeaderOffset")), layout.OffsetOfSectionHeaderTable);
        Check("e_flags", h.GetProperty("Flags").GetProperty("RawFlags").GetUInt64(), (uint)file.Flags);
        Check("e_ehsize", Number(h.GetProperty("HeaderSize")), layout.SizeOfElfHeader);
        Check("e_phentsize", Number(h.GetProperty("ProgramHeaderEntrySize")), layout.SizeOfProgramHeaderEntry);
        Check("e_phnum", Number(h.GetProperty("ProgramHeaderCount")), (ulong)file.Segments.Count);
        Check("e_shentsize", Number(h.GetProperty("SectionHeaderEntrySize")), layout.SizeOfSectionHeaderEntry);
        Check("e_shnum", Number(h.GetProperty("SectionHeaderCount")), (ulong)file.Sections.Count);
        Check("e_shstrndx", Number(h.GetProperty("StringTableSectionIndex")), (ulong)(file.SectionHeaderStringTable?.SectionIndex ?? 0));

        JsonElement sections = root.GetProperty("Sections");
        Check("section count", (ulong)sections.GetArrayLength(), (ulong)file.Sections.Count);
        int i = 0;
        foreach (JsonElement item in sections.EnumerateArray())
        {
            if (i >= file.Sections.Count)
                break;
            JsonElement s = item.GetProperty("Section");
            ElfSection o = file.Sections[i];
            string at = $"section {i}";
            Check(at + " index", Number(s.GetProperty("Index")), (ulong)o.SectionIndex);
            if (i != 0)
                CheckText(at + " name", s.GetProperty("Name").GetProperty("Value").GetString() ?? "", o.Name.Value ?? "");
            Check(at + " sh_name", Raw(s.GetProperty("Name")), o.Name.Index);
            Check(at + " sh_type", Raw(s.GetProperty("Type")), (ulong)o.Type);
            Check(at + " sh_flags", s.GetProperty("Flags").GetProperty("RawFlags").GetUInt64(), (ulong)o.Flags);
            Check(at + " sh_addr", Number(s.GetProperty("Address")), o.VirtualAddress);
            Check(at + " sh_offset", Number(s.GetProperty("Offset")), o.Position);
            Check(at + " sh_size", Number(s.GetProperty("Size")), o.Size);
            Check(at + " sh_link", Number(s.GetProperty("Link")), (ulong)LinkIndex(o.Link));
            Check(at + " sh_info", Number(s.GetProperty("Info")), (ulong)LinkIndex(o.Info));
            Check(at + " sh_addralign", Number(s.GetProperty("AddressAlignment")), o.VirtualAddressAlignment);
            Check(at + " sh_entsize", Number(s.GetProperty("EntrySize")), o.TableEntrySize);
            i++;
        }

        JsonElement segments = root.GetProperty("ProgramHeaders");
        Check("segment count", (ulong)segments.GetArrayLength(), (ulong)file.Segments.Count);
        i = 0;
        foreach (JsonElement item in segments.EnumerateArray())
        {
            if (i >= file.Segments.Count)
                break;
            JsonElement p = item.GetProperty("ProgramHeader");
            ElfSegment o = file.Segments[i];
            string at = $"segment {i}";
            Check(at + " p_type", Raw(p.GetProperty("Type")), o.Type.Value);
            Check(at + " p_offset", Number(p.GetProperty("Offset")), o.Position);
            Check(at + " p_vaddr", Number(p.GetProperty("VirtualAddress")), o.VirtualAddress);
            Check(at + " p_paddr", Number(p.GetProperty("PhysicalAddress")), o.PhysicalAddress);
            Check(at + " p_filesz", Number(p.GetProperty("FileSize")), o.Size);
            Check(at + " p_memsz", Number(p.GetProperty("MemSize")), o.SizeInMemory);
            Check(at + " p_flags", p.GetProperty("Flags").GetProperty("RawFlags").GetUInt64(), o.Flags.Value);
            Check(at + " p_align", Number(p.GetProperty("Alignment")), o.VirtualAddressAlignment);
            i++;
        }

        CompareSymbols(path, "Symbols", root, file.SymbolTable(), mismatches, Check);
        CompareSymbols(path, "DynamicSymbols", root, file.DynamicSymbolTable(), mismatches, Check);
        return mismatches;
    }

    private static void CompareSymbols(string path, string key, JsonElement root, ElfSymbolTable? table,
        List<string> mismatches, Action<string, ulong, ulong> check)
    {
        int ourCount = table?.Entries.Count ?? 0;
        if (!root.TryGetProperty(key, out JsonElement symbols))
        {
            if (ourCount != 0)
                mismatches.Add($"{path}: {key}: llvm-readelf lists none, ours {ourCount}");
            return;
        }
        check(key + " count", (ulong)symbols.GetArrayLength(), (ulong)ourCount);
        if (table is null)
            return;
        int i = 0;
        foreach (JsonElement item in symbols.EnumerateArray())
        {
            if (i >= table.Entries.Count)
                break;
            JsonElement s = item.GetProperty("Symbol");
            ElfSymbol o = table.Entries[i];
            string at = $"{key}[{i}]";
            string name = s.GetProperty("Name").GetProperty("Value").GetString() ?? "";
            // .dynsym names carry their symbol version (name@VER / name@@VER) in llvm-readelf's output.
            // STT_SECTION symbols without a name are shown with their section's name.
            string ours = o.Name.Value ?? "";
            string expectedName = ours.Length == 0 && o.Type == ElfSymbolType.Section && o.SectionLink.Section is { } section
                ? section.Name.Value ?? ""
                : ours;
            if (name != expectedName && !name.StartsWith(expectedName + "@", StringComparison.Ordinal))
                mismatches.Add($"{path}: {at} name: llvm-readelf '{name}', ours '{expectedName}'");
            check(at + " st_name", Raw(s.GetProperty("Name")), o.Name.Index);
            check(at + " st_value", Number(s.GetProperty("Value")), o.Value);
            check(at + " st_size", Number(s.GetProperty("Size")), o.Size);
            check(at + " binding", Raw(s.GetProperty("Binding")), (ulong)o.Bind);
            check(at + " type", Raw(s.GetProperty("Type")), (ulong)o.Type);
            check(at + " visibility (st_other & 3)", Raw(s.GetProperty("Other")) & 3, (ulong)o.Visibility);
            int shndx = LinkIndex(o.SectionLink);
            if (shndx != 0xffff)
                check(at + " st_shndx", Raw(s.GetProperty("Section")), (ulong)shndx);
            i++;
        }
    }

    private static int LinkIndex(ElfSectionLink link) => link.Section?.SectionIndex ?? link.SpecialIndex;

    /// <summary>
    /// llvm-readelf 14 prints an e_machine it has no name for (e.g. Alpha's 0x9026) as the bare text
    /// <c>Machine: 0x9026</c> inside its JSON; put it back into the shape it uses for known machines.
    /// </summary>
    private static string RepairUnknownMachine(string json) =>
        UnknownMachine().Replace(json, m =>
            $",\"Machine\":{{\"Value\":\"{m.Groups[1].Value}\",\"RawValue\":{Convert.ToUInt64(m.Groups[1].Value, 16)}}},");

    private static ulong Raw(JsonElement e) =>
        e.ValueKind != JsonValueKind.Object ? Number(e)
        : e.TryGetProperty("RawValue", out JsonElement raw) ? Number(raw)
        : Number(e.GetProperty("RawFlags"));

    /// <summary>A JSON number, or a string like "15" or "0 (1234)" whose leading number is the raw field.</summary>
    private static ulong Number(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Number)
            return e.TryGetUInt64(out ulong u) ? u : unchecked((ulong)e.GetInt64());
        string text = e.GetString() ?? "";
        Match m = LeadingNumber().Match(text);
        return m.Success ? ulong.Parse(m.Value, CultureInfo.InvariantCulture) : ulong.MaxValue;
    }

    private static ulong TypeValue(JsonElement e)
    {
        string text = e.GetString() ?? "";
        Match m = HexInParentheses().Match(text);
        return m.Success ? ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : ulong.MaxValue;
    }

    [GeneratedRegex(@"Machine: (0x[0-9a-fA-F]+)\s*,")]
    private static partial Regex UnknownMachine();

    [GeneratedRegex(@"^\d+")]
    private static partial Regex LeadingNumber();

    [GeneratedRegex(@"\(0x([0-9a-fA-F]+)\)")]
    private static partial Regex HexInParentheses();
}
