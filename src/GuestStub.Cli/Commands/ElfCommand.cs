using System;
using System.Collections.Generic;
using System.IO;
using GuestStub.Elf;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub elf &lt;file&gt;</c>: prints the ELF header, program headers, section headers, symbol
/// tables and notes, in the layout of <c>readelf -h -l -S -s -n</c>. Diagnostics go to stderr, one
/// line each naming the field and byte offset; any error makes the exit code 1.
/// </summary>
public sealed class ElfCommand : ICommand
{
    public string Name => "elf";
    public string Usage => "elf <file>";
    public string Summary => "print an ELF file's header, segments, sections, symbols and notes";

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        Arguments parsed = Arguments.Parse(args, Array.Empty<string>(), Array.Empty<string>());
        string path = parsed.RequirePositional(0, "ELF file");
        parsed.RequireAtMostPositionals(1);

        byte[] bytes = File.ReadAllBytes(path);
        ElfFile? file = ElfFile.Read(bytes, out IReadOnlyList<ElfDiagnostic> diagnostics);
        if (file is not null)
        {
            PrintHeader(file, stdout);
            PrintSegments(file, stdout);
            PrintSections(file, stdout);
            PrintSymbols(file, stdout);
            PrintNotes(file, stdout);
        }
        bool failed = file is null;
        foreach (ElfDiagnostic d in diagnostics)
        {
            stderr.WriteLine($"gueststub elf: {path}: {d}");
            failed |= d.Severity == ElfSeverity.Error;
        }
        return failed ? ExitCodes.BadInput : ExitCodes.Ok;
    }

    private static void PrintHeader(ElfFile file, TextWriter w)
    {
        ElfHeader h = file.Header;
        w.WriteLine("ELF Header:");
        w.WriteLine($"  Class:                             {(h.Class == ElfClass.Elf64 ? "ELF64" : "ELF32")}");
        w.WriteLine($"  Data:                              2's complement, {(h.Encoding == ElfEncoding.BigEndian ? "big" : "little")} endian");
        w.WriteLine($"  Version:                           {h.IdentVersion}");
        w.WriteLine($"  OS/ABI:                            {h.OsAbi}");
        w.WriteLine($"  ABI Version:                       {h.AbiVersion}");
        w.WriteLine($"  Type:                              {ElfNames.FileType(h.Type)}");
        w.WriteLine($"  Machine:                           {ElfNames.Machine(h.Machine)}");
        w.WriteLine($"  Version:                           0x{h.Version:x}");
        w.WriteLine($"  Entry point address:               0x{h.Entry:x}");
        w.WriteLine($"  Start of program headers:          {h.ProgramHeaderOffset} (bytes into file)");
        w.WriteLine($"  Start of section headers:          {h.SectionHeaderOffset} (bytes into file)");
        w.WriteLine($"  Flags:                             0x{h.Flags:x}");
        w.WriteLine($"  Size of this header:               {h.HeaderSize} (bytes)");
        w.WriteLine($"  Size of program headers:           {h.ProgramHeaderEntrySize} (bytes)");
        w.WriteLine($"  Number of program headers:         {file.Segments.Count}");
        w.WriteLine($"  Size of section headers:           {h.SectionHeaderEntrySize} (bytes)");
        w.WriteLine($"  Number of section headers:         {file.Sections.Count}");
        w.WriteLine($"  Section header string table index: {file.SectionNameTable?.Index ?? 0}");
    }

    private static void PrintSegments(ElfFile file, TextWriter w)
    {
        w.WriteLine();
        if (file.Segments.Count == 0)
        {
            w.WriteLine("There are no program headers in this file.");
            return;
        }
        int width = file.Is64Bit ? 18 : 10;
        w.WriteLine("Program Headers:");
        w.WriteLine($"  {"Type",-14} {"Offset",-8} {"VirtAddr".PadRight(width)} {"PhysAddr".PadRight(width)} {"FileSiz",-8} {"MemSiz",-8} Flg Align");
        foreach (ElfSegment s in file.Segments)
            w.WriteLine($"  {ElfNames.SegmentType(s.Type),-14} 0x{s.Offset:x6} {Hex(s.VirtualAddress, width)} {Hex(s.PhysicalAddress, width)} 0x{s.FileSize:x6} 0x{s.MemorySize:x6} {ElfNames.SegmentFlags(s.Flags)} 0x{s.Alignment:x}");

        w.WriteLine();
        w.WriteLine(" Section to Segment mapping:");
        w.WriteLine("  Segment Sections...");
        for (int i = 0; i < file.Segments.Count; i++)
        {
            ElfSegment seg = file.Segments[i];
            var names = new List<string>();
            foreach (ElfSection s in file.Sections)
            {
                if (s.Index == 0 || !s.IsAllocated && seg.IsLoad)
                    continue;
                bool inside = s.Type == ElfSectionType.NoBits
                    ? seg.ContainsAddress(s.Address) && s.IsAllocated
                    : s.Size != 0 && seg.ContainsFileRange(s.Offset, s.Size);
                if (inside)
                    names.Add(s.Name);
            }
            w.WriteLine($"   {i:D2}     {string.Join(' ', names)}");
        }
    }

    private static void PrintSections(ElfFile file, TextWriter w)
    {
        w.WriteLine();
        if (file.Sections.Count == 0)
        {
            w.WriteLine("There are no sections in this file.");
            return;
        }
        int width = file.Is64Bit ? 16 : 8;
        w.WriteLine("Section Headers:");
        w.WriteLine($"  [Nr] {"Name",-17} {"Type",-15} {"Address".PadRight(width)} {"Off",-8} {"Size",-8} ES Flg Lk Inf Al");
        foreach (ElfSection s in file.Sections)
            w.WriteLine($"  [{s.Index,2}] {Truncate(s.Name, 17),-17} {ElfNames.SectionType(s.Type),-15} {s.Address.ToString("x" + width)} {s.Offset:x8} {s.Size:x8} {s.EntrySize:x2} {ElfNames.SectionFlags(s.Flags),3} {s.Link,2} {s.Info,3} {s.Alignment,2}");
        w.WriteLine("Key to Flags: W (write), A (alloc), X (execute), M (merge), S (strings), I (info),");
        w.WriteLine("  L (link order), G (group), T (TLS), C (compressed), E (exclude)");
    }

    private static void PrintSymbols(ElfFile file, TextWriter w)
    {
        foreach (ElfSection section in file.Sections)
        {
            if (section is not ElfSymbolTable table)
                continue;
            int width = file.Is64Bit ? 16 : 8;
            w.WriteLine();
            w.WriteLine($"Symbol table '{table.Name}' contains {table.Symbols.Count} entries:");
            w.WriteLine($"   Num: {"Value".PadLeft(width)}  Size Type    Bind   Vis      Ndx Name");
            for (int i = 0; i < table.Symbols.Count; i++)
            {
                ElfSymbol s = table.Symbols[i];
                w.WriteLine($"{i,6}: {s.Value.ToString("x" + width)} {s.Size,5} {ElfNames.SymbolType(s.Type),-7} {ElfNames.SymbolBinding(s.Binding),-6} {ElfNames.SymbolVisibility(s.Visibility),-8} {ElfNames.SymbolSection(s.SectionIndex),3} {s.Name}");
            }
        }
    }

    private static void PrintNotes(ElfFile file, TextWriter w)
    {
        IReadOnlyList<ElfNote> notes = file.GetNotes();
        if (notes.Count == 0)
            return;
        w.WriteLine();
        w.WriteLine("Notes:");
        w.WriteLine("  Owner                Data size        Description");
        foreach (ElfNote n in notes)
        {
            w.WriteLine($"  {n.Name,-20} 0x{n.Descriptor.Length:x8}       {ElfNames.NoteType(n.Name, n.Type)}");
            if (n.Name == ElfNoteType.GnuOwner && n.Type == ElfNoteType.GnuBuildId)
                w.WriteLine($"    Build ID: {n.DescriptorHex}");
            else if (n.Descriptor.Length > 0 && n.Descriptor.Length <= 64)
                w.WriteLine($"    Data: {n.DescriptorHex}");
        }
    }

    private static string Hex(ulong value, int width) => "0x" + value.ToString("x" + (width - 2));

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 5)] + "[...]";
}
