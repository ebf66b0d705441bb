using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using GuestStub.Cli.CommandLine;
using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub elf &lt;file&gt;</c>: prints the ELF header, program headers, section headers, symbol
/// tables and notes as LibObjectFile read them, in the layout of <c>readelf -h -l -S -s -n</c>.
/// A malformed file gets one line per problem on stderr, naming the field and its byte offset
/// (<see cref="ElfInput"/>), and exit code 1.
/// </summary>
public sealed class ElfCommand : Verb
{
    public override string Name => "elf";
    public override string Synopsis => "elf <file>";
    public override string Summary => "print an ELF file's header, segments, sections, symbols and notes";

    private readonly Argument<string> _file = new("file") { Description = "the ELF file to read" };

    protected override void Define(Command command) => command.Arguments.Add(_file);

    protected override int Execute(ParseResult parse, CliContext context)
    {
        TextWriter stdout = context.Out, stderr = context.Error;
        string path = parse.GetValue(_file)!;

        ElfInputResult input = ElfInput.Read(File.ReadAllBytes(path));
        if (input.File is not { } file)
        {
            foreach (ElfFieldError e in input.Errors)
                stderr.WriteLine($"gueststub elf: {path}: {e}");
            return ExitCodes.BadInput;
        }
        PrintHeader(file, stdout);
        PrintSegments(file, stdout);
        PrintSections(file, stdout);
        PrintSymbols(file, stdout);
        PrintNotes(file, stdout);
        return ExitCodes.Ok;
    }

    private static void PrintHeader(ElfFile file, TextWriter w)
    {
        ElfFileLayout layout = file.Layout;
        w.WriteLine("ELF Header:");
        w.WriteLine($"  Class:                             {(file.FileClass == ElfFileClass.Is64 ? "ELF64" : "ELF32")}");
        w.WriteLine($"  Data:                              2's complement, {(file.Encoding == ElfEncoding.Msb ? "big" : "little")} endian");
        w.WriteLine($"  OS/ABI:                            {(byte)file.OSABI.Value}");
        w.WriteLine($"  ABI Version:                       {file.AbiVersion}");
        w.WriteLine($"  Type:                              {ReadElfNames.FileType(file.FileType)}");
        w.WriteLine($"  Machine:                           {ReadElfNames.Machine(file.Arch)}");
        w.WriteLine($"  Version:                           0x{file.Version:x}");
        w.WriteLine($"  Entry point address:               0x{file.EntryPointAddress:x}");
        w.WriteLine($"  Start of program headers:          {layout.OffsetOfProgramHeaderTable} (bytes into file)");
        w.WriteLine($"  Start of section headers:          {layout.OffsetOfSectionHeaderTable} (bytes into file)");
        w.WriteLine($"  Flags:                             0x{(uint)file.Flags:x}");
        w.WriteLine($"  Size of this header:               {layout.SizeOfElfHeader} (bytes)");
        w.WriteLine($"  Size of program headers:           {layout.SizeOfProgramHeaderEntry} (bytes)");
        w.WriteLine($"  Number of program headers:         {file.Segments.Count}");
        w.WriteLine($"  Size of section headers:           {layout.SizeOfSectionHeaderEntry} (bytes)");
        w.WriteLine($"  Number of section headers:         {file.Sections.Count}");
        w.WriteLine($"  Section header string table index: {file.SectionHeaderStringTable?.SectionIndex ?? 0}");
    }

    private static void PrintSegments(ElfFile file, TextWriter w)
    {
        w.WriteLine();
        if (file.Segments.Count == 0)
        {
            w.WriteLine("There are no program headers in this file.");
            return;
        }
        int width = file.FileClass == ElfFileClass.Is64 ? 18 : 10;
        w.WriteLine("Program Headers:");
        w.WriteLine($"  {"Type",-14} {"Offset",-8} {"VirtAddr".PadRight(width)} {"PhysAddr".PadRight(width)} {"FileSiz",-8} {"MemSiz",-8} Flg Align");
        foreach (ElfSegment s in file.Segments)
            w.WriteLine($"  {ReadElfNames.SegmentType(s.Type, file.Arch),-14} 0x{s.Position:x6} {Hex(s.VirtualAddress, width)} {Hex(s.PhysicalAddress, width)} 0x{s.Size:x6} 0x{s.SizeInMemory:x6} {ReadElfNames.SegmentFlags(s.Flags)} 0x{s.VirtualAddressAlignment:x}");

        w.WriteLine();
        w.WriteLine(" Section to Segment mapping:");
        w.WriteLine("  Segment Sections...");
        for (int i = 0; i < file.Segments.Count; i++)
        {
            ElfSegment seg = file.Segments[i];
            bool load = seg.Type == ElfSegmentTypeCore.Load;
            var names = new List<string>();
            foreach (ElfSection s in file.Sections)
            {
                if (s.SectionIndex == 0 || (!s.IsAllocated() && load))
                    continue;
                bool inside = s.Type == ElfSectionType.NoBits
                    ? s.IsAllocated() && seg.ContainsAddress(s.VirtualAddress)
                    : s.Size != 0 && s.Position >= seg.Position && s.Position - seg.Position < seg.Size && s.Size <= seg.Size - (s.Position - seg.Position);
                if (inside)
                    names.Add(s.Name.Value ?? "");
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
        int width = file.FileClass == ElfFileClass.Is64 ? 16 : 8;
        w.WriteLine("Section Headers:");
        w.WriteLine($"  [Nr] {"Name",-17} {"Type",-15} {"Address".PadRight(width)} {"Off",-8} {"Size",-8} ES Flg Lk Inf Al");
        foreach (ElfSection s in file.Sections)
            w.WriteLine($"  [{s.SectionIndex,2}] {Truncate(s.Name.Value ?? "", 17),-17} {ReadElfNames.SectionType(s.Type, file.Arch),-15} {s.VirtualAddress.ToString("x" + width)} {s.Position:x8} {s.Size:x8} {s.TableEntrySize:x2} {ReadElfNames.SectionFlags(s.Flags, file.Arch),3} {LinkIndex(s.Link),2} {LinkIndex(s.Info),3} {s.VirtualAddressAlignment,2}");
        w.WriteLine("Key to Flags: W (write), A (alloc), X (execute), M (merge), S (strings), I (info),");
        w.WriteLine("  L (link order), O (extra OS processing required), G (group), T (TLS), C (compressed),");
        w.WriteLine("  R (retain), E (exclude), y (purecode, ARM), l (large, x86-64),");
        w.WriteLine("  o (OS specific), p (processor specific), x (unknown)");
    }

    private static void PrintSymbols(ElfFile file, TextWriter w)
    {
        foreach (ElfSection section in file.Sections)
        {
            if (section is not ElfSymbolTable table)
                continue;
            int width = file.FileClass == ElfFileClass.Is64 ? 16 : 8;
            w.WriteLine();
            w.WriteLine($"Symbol table '{table.Name.Value}' contains {table.Entries.Count} entries:");
            w.WriteLine($"   Num: {"Value".PadLeft(width)}  Size Type    Bind   Vis      Ndx Name");
            for (int i = 0; i < table.Entries.Count; i++)
            {
                ElfSymbol s = table.Entries[i];
                w.WriteLine($"{i,6}: {s.Value.ToString("x" + width)} {s.Size,5} {ReadElfNames.SymbolType(s.Type),-7} {ReadElfNames.SymbolBinding(s.Bind),-6} {ReadElfNames.SymbolVisibility(s.Visibility),-8} {ReadElfNames.SymbolSection(s.SectionLink),3} {s.Name.Value}");
            }
        }
    }

    private static void PrintNotes(ElfFile file, TextWriter w)
    {
        bool any = false;
        foreach (ElfSection section in file.Sections)
        {
            if (section is not ElfNoteTable notes)
                continue;
            if (!any)
            {
                w.WriteLine();
                w.WriteLine("Notes:");
                w.WriteLine("  Owner                Data size        Description");
                any = true;
            }
            foreach (ElfNote n in notes.Entries)
            {
                string owner = n.GetName();
                uint type = (uint)n.GetNoteType().Value;
                w.WriteLine($"  {owner,-20} 0x{n.GetDescriptorSize():x8}       {ReadElfNames.NoteType(owner, type)}");
                if (n is ElfGnuNoteBuildId { BuildId: { } id })
                    w.WriteLine($"    Build ID: {Convert.ToHexStringLower(Bytes(id))}");
                else if (n is ElfCustomNote custom && custom.Descriptor is { Length: > 0 and <= 64 } descriptor)
                    w.WriteLine($"    Data: {Convert.ToHexStringLower(Bytes(descriptor))}");
            }
        }
    }

    private static byte[] Bytes(Stream stream)
    {
        var copy = new MemoryStream();
        long at = stream.Position;
        stream.Position = 0;
        stream.CopyTo(copy);
        stream.Position = at;
        return copy.ToArray();
    }

    private static int LinkIndex(ElfSectionLink link) => link.Section?.SectionIndex ?? link.SpecialIndex;

    private static string Hex(ulong value, int width) => "0x" + value.ToString("x" + (width - 2));

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 5)] + "[...]";
}
