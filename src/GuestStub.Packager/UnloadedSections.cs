using System;
using System.Collections.Generic;
using System.IO;
using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;

namespace GuestStub.Packager;

/// <summary>
/// Sections kept in out/guest.elf for gdb but left out of the Image: ilc's unwind tables. Nothing at
/// run time reads them (the guest has no unwinder; no code or data relocation refers to them), so
/// they need not be loaded. linker/guest.ld links them past __image_end, each in its own PT_LOAD,
/// so their pc-relative contents are resolved at real addresses; here they lose SHF_ALLOC and their
/// PT_LOAD is dropped. They keep sh_addr, which is what gdb decodes .eh_frame against.
/// </summary>
public static class UnloadedSections
{
    /// <summary>.eh_frame: DWARF CFI (gdb unwinds with it); .dotnet_eh_table: the LSDAs it points to.</summary>
    public static readonly IReadOnlyList<string> Names = new[] { ".dotnet_eh_table", ".eh_frame" };

    /// <summary>Unloads the named sections that are allocated; returns what it did or why it cannot.</summary>
    public static List<Refusal> Apply(ElfFile file, IReadOnlyList<string> names, List<ElfSection> unloaded)
    {
        var refusals = new List<Refusal>();
        int dropped = 0;
        foreach (string name in names)
        {
            if (file.FindSection(name) is not { } section || !section.IsAllocated())
                continue;
            var holders = new List<ElfSegment>();
            foreach (ElfSegment segment in file.LoadSegments())
                if (section.Size != 0 && Overlaps(segment, section))
                    holders.Add(segment);
            bool alone = true;
            foreach (ElfSegment segment in holders)
                foreach (ElfSection other in file.Sections)
                    if (other != section && other.IsAllocated() && other.Size != 0 && Overlaps(segment, other))
                        alone = false;
            if (!alone)
            {
                refusals.Add(new Refusal(RefusalCode.UnloadedSectionShared,
                    $"'{name}' shares a PT_LOAD with other sections, so it cannot be left out of the Image: give it its own output section past __image_end in linker/guest.ld"));
                continue;
            }
            // Once out of the load, no boot check compares the section with its segment, and
            // LibObjectFile writes the section where its sh_offset says. One that is not where its
            // PT_LOAD puts its address stays loaded, so that BootChecks refuses it (found by
            // ./build.sh fuzz elf: an .eh_frame whose sh_offset alone had moved was unloaded, and
            // the packaged ELF did not read back).
            if (!holders.TrueForAll(segment => Agrees(segment, section)))
                continue;
            foreach (ElfSegment segment in holders)
            {
                file.Segments.Remove(segment);
                dropped++;
            }
            section.Flags &= ~ElfSectionFlags.Alloc;
            unloaded.Add(section);
        }
        if (dropped > 0)
            KeepOffsetsAfterProgramHeaders(file, (ulong)dropped * file.Layout.SizeOfProgramHeaderEntry);
        return refusals;
    }

    /// <summary>
    /// LibObjectFile lays the file out again on write, content after content: a program header
    /// table that lost entries would pull everything after it (the loaded sections, whose offsets
    /// must stay congruent with their addresses) towards the start. The bytes the dropped entries
    /// held become zeros in front of what followed the table, so every later offset stays put.
    /// </summary>
    private static void KeepOffsetsAfterProgramHeaders(ElfFile file, ulong freedBytes)
    {
        int table = -1;
        for (int i = 0; i < file.Content.Count && table < 0; i++)
            if (file.Content[i] is ElfProgramHeaderTable)
                table = i;
        if (table < 0)
            throw new InvalidOperationException("the file has segments but no program header table");
        var padding = new MemoryStream();
        padding.SetLength((long)freedBytes);
        if (table + 1 < file.Content.Count && file.Content[table + 1] is ElfStreamContentData gap)
        {
            padding.Position = (long)freedBytes;
            gap.Stream.Position = 0;
            gap.Stream.CopyTo(padding);
            padding.Position = 0;
            gap.Stream = padding;
        }
        else
        {
            file.Content.Insert(table + 1, new ElfStreamContentData(padding));
        }
    }

    /// <summary>The section's bytes are inside the segment's file image, where it puts their
    /// address (a section without file contents has none to place).</summary>
    private static bool Agrees(ElfSegment segment, ElfSection section) =>
        section.Type == ElfSectionType.NoBits
        || (section.VirtualAddress >= segment.VirtualAddress
            && section.VirtualAddress - segment.VirtualAddress <= segment.Size
            && section.Size <= segment.Size - (section.VirtualAddress - segment.VirtualAddress)
            && section.Position == segment.Position + (section.VirtualAddress - segment.VirtualAddress));

    private static bool Overlaps(ElfSegment segment, ElfSection section) =>
        segment.SizeInMemory != 0 && section.Size != 0
        && segment.VirtualAddress < section.VirtualAddress + section.Size
        && section.VirtualAddress < segment.VirtualAddress + segment.SizeInMemory;
}
