using System.Collections.Generic;
using GuestStub.Elf;

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
        foreach (string name in names)
        {
            if (file.FindSection(name) is not { IsAllocated: true } section)
                continue;
            var holders = new List<ElfSegment>();
            foreach (ElfSegment segment in file.LoadSegments)
                if (section.Size != 0 && Overlaps(segment, section))
                    holders.Add(segment);
            bool alone = true;
            foreach (ElfSegment segment in holders)
                foreach (ElfSection other in file.Sections)
                    if (other != section && other.IsAllocated && other.Size != 0 && Overlaps(segment, other))
                        alone = false;
            if (!alone)
            {
                refusals.Add(new Refusal(RefusalCode.UnloadedSectionShared,
                    $"'{name}' shares a PT_LOAD with other sections, so it cannot be left out of the Image: give it its own output section past __image_end in linker/guest.ld"));
                continue;
            }
            foreach (ElfSegment segment in holders)
                file.Segments.Remove(segment);
            section.Flags &= ~ElfSectionFlags.Alloc;
            unloaded.Add(section);
        }
        return refusals;
    }

    private static bool Overlaps(ElfSegment segment, ElfSection section) =>
        ElfBounds.Overlap(segment.VirtualAddress, segment.MemorySize, section.Address, section.Size);
}
