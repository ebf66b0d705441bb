using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;

namespace GuestStub.Packager;

/// <summary>
/// The checks that stand between a linked ELF and an Image that would not boot. Each finding is a
/// <see cref="Refusal"/> with one reason; an empty list means the file is fit to package. The
/// checks mirror what native/head.S and the loaders (Xen, QEMU) rely on.
/// </summary>
public static class BootChecks
{
    /// <summary>head.S maps the image with 4 KiB pages; permissions change only at page boundaries.</summary>
    public const ulong PageSize = 4096;

    private const int MaxNamesListed = 5;

    /// <summary>Checks the ELF's identity: an ELF64 little-endian AArch64 executable.</summary>
    public static IEnumerable<Refusal> CheckIdentity(ElfFile file)
    {
        if (file.FileClass != ElfFileClass.Is64 || file.Encoding != ElfEncoding.Lsb || file.Arch != ElfArch.AARCH64 || file.FileType != ElfFileType.Executable)
            yield return new Refusal(RefusalCode.NotArm64Executable,
                // e_machine as a number: LibObjectFile 2.3.1's ElfArchEx.ToString() throws a
                // FormatException for a machine it has no name for (found by ./build.sh fuzz elf).
                $"not an ELF64 little-endian AArch64 executable (class {file.FileClass}, {file.Encoding}, machine 0x{(ushort)file.Arch.Value:x}, type {file.FileType})");
    }

    /// <summary>
    /// Every boot check on the file as it will be packaged (after sections were moved out of the
    /// load). <paramref name="bytes"/> is the file the segments' offsets refer to.
    /// </summary>
    public static List<Refusal> Check(ElfFile file, byte[] bytes)
    {
        var found = new List<Refusal>();
        var layout = ImageLayout.Of(file);
        found.AddRange(CheckEntry(file, layout));
        found.AddRange(CheckUndefinedSymbols(file));
        found.AddRange(CheckWritableAndExecutable(file));
        found.AddRange(CheckAlignments(file, layout));
        found.AddRange(CheckLoadOrder(layout));
        found.AddRange(CheckSectionsInSegments(file, layout));
        if (layout.Start is not null)
            found.AddRange(CheckHeader(file, layout, bytes));
        return found;
    }

    private static IEnumerable<Refusal> CheckEntry(ElfFile file, ImageLayout layout)
    {
        if (layout.Start is not { } start)
            yield return new Refusal(RefusalCode.EntryNotStart, "no _start symbol: the Image header and entry must be at _start");
        else if (file.EntryPointAddress != start.Value)
            yield return new Refusal(RefusalCode.EntryNotStart,
                $"entry point 0x{file.EntryPointAddress:x} is not _start (0x{start.Value:x}): loaders jump to the Image's first byte");
    }

    private static IEnumerable<Refusal> CheckUndefinedSymbols(ElfFile file)
    {
        var names = new List<string>();
        foreach (ElfSymbolTable? table in new[] { file.SymbolTable(), file.DynamicSymbolTable() })
            if (table is not null)
                for (int i = 1; i < table.Entries.Count; i++)
                    if (table.Entries[i].IsUndefined())
                        names.Add(table.Entries[i].Name.Value is { Length: > 0 } name ? name : $"#{i}");
        if (names.Count > 0)
            yield return new Refusal(RefusalCode.UndefinedSymbol,
                $"{names.Count} undefined symbol(s): {string.Join(", ", names.Take(MaxNamesListed))}{(names.Count > MaxNamesListed ? ", ..." : "")}");
    }

    private static IEnumerable<Refusal> CheckWritableAndExecutable(ElfFile file)
    {
        for (int i = 0; i < file.Segments.Count; i++)
        {
            ElfSegment s = file.Segments[i];
            if (s.IsWritable() && s.IsExecutable())
                yield return new Refusal(RefusalCode.WritableAndExecutable,
                    $"program header {i} ({ElfSegmentNames.Type(s.Type)} at 0x{s.VirtualAddress:x}) is both writable and executable");
        }
    }

    private static IEnumerable<Refusal> CheckAlignments(ElfFile file, ImageLayout layout)
    {
        if (layout.Start is { } start && start.Value % PageSize != 0)
            yield return new Refusal(RefusalCode.BadAlignment, $"_start 0x{start.Value:x} is not 4 KiB aligned: head.S maps the image page by page from it");
        foreach (string boundary in new[] { "__text_end", "__rodata_end" })
            if (file.FindSymbol(boundary) is { } b && !b.IsUndefined() && b.Value % PageSize != 0)
                yield return new Refusal(RefusalCode.BadAlignment, $"{boundary} 0x{b.Value:x} is not 4 KiB aligned: head.S changes page permissions there");
        foreach (ElfSection s in file.Sections)
            if (s.IsAllocated() && s.VirtualAddressAlignment > 1 && BitOperations.IsPow2(s.VirtualAddressAlignment) && s.VirtualAddress % s.VirtualAddressAlignment != 0)
                yield return new Refusal(RefusalCode.BadAlignment,
                    $"section '{s.Name.Value}' at 0x{s.VirtualAddress:x} is not aligned to its sh_addralign 0x{s.VirtualAddressAlignment:x}");
        IReadOnlyList<ElfSegment> loads = layout.Loads;
        for (int i = 0; i < loads.Count; i++)
        {
            ElfSegment s = loads[i];
            if (!BitOperations.IsPow2(s.VirtualAddressAlignment) || s.VirtualAddressAlignment < PageSize)
                yield return new Refusal(RefusalCode.BadAlignment,
                    $"PT_LOAD at 0x{s.VirtualAddress:x} has p_align 0x{s.VirtualAddressAlignment:x}: must be a power of two of at least 4 KiB");
            // head.S gives each page one set of permissions. Read-only data may share the page
            // where the code ends (that page is mapped executable, guest.ld __text_end): never a
            // writable segment with any other, or a page would be writable and executable, or
            // code or read-only data writable.
            for (int j = i + 1; j < loads.Count; j++)
            {
                ElfSegment o = loads[j];
                if (o.Flags.Value != s.Flags.Value && (s.IsWritable() || o.IsWritable()) && s.SizeInMemory != 0 && o.SizeInMemory != 0
                    && SharesPage(s.VirtualAddress, s.SizeInMemory, o.VirtualAddress, o.SizeInMemory))
                    yield return new Refusal(RefusalCode.BadAlignment,
                        $"PT_LOADs at 0x{s.VirtualAddress:x} ({Permissions(s)}) and 0x{o.VirtualAddress:x} ({Permissions(o)}) share a 4 KiB page and one is writable");
            }
        }
    }

    /// <summary>
    /// The Image is built from the PT_LOAD segments (their file offsets), the ELF is written
    /// from the sections: the two views must agree, as they do in what ld.lld writes.
    /// <list type="bullet">
    /// <item>Every allocated section with file contents lies in the file range of a PT_LOAD, at
    /// the file offset that segment gives its address.</item>
    /// <item>Every PT_LOAD with file contents begins and ends with such a section (no bytes at
    /// its edges that no section holds).</item>
    /// </list>
    /// (Found by ./build.sh fuzz elf: a segment or a section moved in the file, or a section's
    /// address moved out of its segment, passed every other check, and the packaged ELF then did
    /// not read back or did not flatten to the same Image.)
    /// </summary>
    private static IEnumerable<Refusal> CheckSectionsInSegments(ElfFile file, ImageLayout layout)
    {
        IReadOnlyList<ElfSegment> loads = layout.Loads;
        var begins = new bool[loads.Count];
        var ends = new bool[loads.Count];
        foreach (ElfSection section in file.Sections)
        {
            if (!section.IsAllocated() || section.Type == ElfSectionType.NoBits || section.Size == 0)
                continue;
            int home = -1;
            for (int i = 0; i < loads.Count && home < 0; i++)
                if (section.VirtualAddress >= loads[i].VirtualAddress && section.VirtualAddress - loads[i].VirtualAddress < loads[i].Size)
                    home = i;
            if (home < 0)
            {
                yield return new Refusal(RefusalCode.SectionOutsideSegment,
                    $"section '{section.Name.Value}' (0x{section.VirtualAddress:x}, +0x{section.Size:x}) lies in no PT_LOAD's file contents: it would not be in the Image");
                continue;
            }
            ElfSegment s = loads[home];
            ulong inSegment = section.VirtualAddress - s.VirtualAddress;
            if (section.Position < s.Position || section.Position - s.Position != inSegment || section.Size > s.Size || inSegment > s.Size - section.Size)
            {
                yield return new Refusal(RefusalCode.SectionOutsideSegment,
                    $"section '{section.Name.Value}' (0x{section.VirtualAddress:x}, +0x{section.Size:x}) is at file offset 0x{section.Position:x}, " +
                    $"but the PT_LOAD at 0x{s.VirtualAddress:x} (file offset 0x{s.Position:x}, +0x{s.Size:x}) puts that address at 0x{unchecked(s.Position + inSegment):x}");
                continue;
            }
            begins[home] |= inSegment == 0;
            ends[home] |= inSegment + section.Size == s.Size;
        }
        for (int i = 0; i < loads.Count; i++)
            if (loads[i].Size != 0 && !(begins[i] && ends[i]))
                yield return new Refusal(RefusalCode.SectionOutsideSegment,
                    $"PT_LOAD at 0x{loads[i].VirtualAddress:x} (file offset 0x{loads[i].Position:x}, +0x{loads[i].Size:x}) " +
                    $"{(begins[i] ? "ends" : "begins")} with bytes no section holds");
    }

    private static IEnumerable<Refusal> CheckLoadOrder(ImageLayout layout)
    {
        IReadOnlyList<ElfSegment> loads = layout.Loads;
        if (loads.Count == 0)
        {
            yield return new Refusal(RefusalCode.LoadOrder, "no PT_LOAD segment: nothing to put in the Image");
            yield break;
        }
        bool ordered = true;
        for (int i = 1; i < loads.Count; i++)
        {
            ElfSegment prev = loads[i - 1], s = loads[i];
            if (s.PhysicalAddress < prev.PhysicalAddress)
            {
                ordered = false;
                yield return new Refusal(RefusalCode.LoadOrder,
                    $"PT_LOAD at physical 0x{s.PhysicalAddress:x} follows one at 0x{prev.PhysicalAddress:x}: load segments must ascend by physical address");
            }
            else if (s.PhysicalAddress - prev.PhysicalAddress < prev.SizeInMemory)
            {
                ordered = false;
                yield return new Refusal(RefusalCode.LoadOrder,
                    $"PT_LOAD at physical 0x{s.PhysicalAddress:x} overlaps the one at 0x{prev.PhysicalAddress:x} (+0x{prev.SizeInMemory:x})");
            }
        }
        if (layout.Start is not { } start || layout.LoadAt(start.Value) is not { } home)
            yield break;
        ulong startPhysical = home.PhysicalAddress + (start.Value - home.VirtualAddress);
        ulong lowest = loads.Min(s => s.PhysicalAddress);
        if (lowest != startPhysical)
        {
            ordered = false;
            yield return new Refusal(RefusalCode.LoadOrder,
                $"the lowest PT_LOAD is at physical 0x{lowest:x}, not at _start (0x{startPhysical:x}): the Image begins with its header");
        }
        // Out of order, the offsets say nothing more.
        if (!ordered)
            yield break;
        // head.S maps [_start, __image_end) linearly onto [load address, ...): one offset for all.
        ulong delta = start.Value - startPhysical;
        foreach (ElfSegment s in loads)
            if (s.VirtualAddress - s.PhysicalAddress != delta)
                yield return new Refusal(RefusalCode.LoadMapping,
                    $"PT_LOAD at 0x{s.VirtualAddress:x} is loaded at physical 0x{s.PhysicalAddress:x}: its virtual-physical offset differs from _start's (0x{delta:x})");
    }

    private static IEnumerable<Refusal> CheckHeader(ElfFile file, ImageLayout layout, byte[] bytes)
    {
        ElfSymbol start = layout.Start!.Value;
        if (layout.FileOffsetOf(start.Value, Arm64ImageHeader.Size) is not { } at || at > (ulong)bytes.Length || Arm64ImageHeader.Size > (ulong)bytes.Length - at)
        {
            yield return new Refusal(RefusalCode.HeaderMagic, $"no 64-byte Image header in the file at _start (0x{start.Value:x})");
            yield break;
        }
        Arm64ImageHeader h = Arm64ImageHeader.Parse(bytes.AsSpan((int)at, Arm64ImageHeader.Size));

        if (h.Magic != Arm64ImageHeader.ExpectedMagic)
            yield return new Refusal(RefusalCode.HeaderMagic, $"magic at _start+0x38 is 0x{h.Magic:x8}, not \"ARM\\x64\" (0x{Arm64ImageHeader.ExpectedMagic:x8})");

        ulong startPhysical = layout.PhysicalAddressOf(start.Value) ?? start.Value;
        ulong inBlock = start.Value % Arm64ImageHeader.BaseAlignment;
        if (h.TextOffset != inBlock)
            yield return new Refusal(RefusalCode.HeaderTextOffset,
                $"text_offset is 0x{h.TextOffset:x} but _start (0x{start.Value:x}) is at 0x{inBlock:x} in its 2 MiB block");
        else if (startPhysical % Arm64ImageHeader.BaseAlignment != inBlock)
            yield return new Refusal(RefusalCode.HeaderTextOffset,
                $"text_offset is 0x{h.TextOffset:x} but _start's load address 0x{startPhysical:x} is at 0x{startPhysical % Arm64ImageHeader.BaseAlignment:x} in its 2 MiB block");

        if (layout.ImageEnd is not { } end)
            yield return new Refusal(RefusalCode.HeaderImageSize, "no __image_end symbol to check image_size against");
        else if (end.Value < start.Value || h.ImageSize != end.Value - start.Value)
            yield return new Refusal(RefusalCode.HeaderImageSize,
                $"image_size is 0x{h.ImageSize:x} but __image_end - _start is 0x{end.Value - start.Value:x}");
        else
            foreach (ElfSegment s in layout.Loads)
                if (s.VirtualAddress < start.Value || s.VirtualAddress - start.Value > h.ImageSize || h.ImageSize - (s.VirtualAddress - start.Value) < s.SizeInMemory)
                    yield return new Refusal(RefusalCode.HeaderImageSize,
                        $"PT_LOAD at 0x{s.VirtualAddress:x} (+0x{s.SizeInMemory:x}) lies outside [_start, _start + image_size 0x{h.ImageSize:x})");

        ulong expectedEndian = file.Encoding == ElfEncoding.Msb ? Arm64ImageHeader.FlagBigEndian : 0;
        ulong pageSize = (h.Flags & Arm64ImageHeader.PageSizeMask) >> Arm64ImageHeader.PageSizeShift;
        if ((h.Flags & Arm64ImageHeader.FlagBigEndian) != expectedEndian)
            yield return new Refusal(RefusalCode.HeaderFlags, $"flags 0x{h.Flags:x} say big endian; the ELF is little endian");
        else if (pageSize != Arm64ImageHeader.PageSize4K)
            yield return new Refusal(RefusalCode.HeaderFlags, $"flags 0x{h.Flags:x} give page size code {pageSize}, not 1 (4 KiB, the granule head.S uses)");
        else if ((h.Flags & Arm64ImageHeader.ReservedFlagsMask) != 0)
            yield return new Refusal(RefusalCode.HeaderFlags, $"flags 0x{h.Flags:x} set reserved bits 4-63");

        if (!h.Code0IsBranch)
            yield return new Refusal(RefusalCode.HeaderCode0, $"code0 0x{h.Code0:x8} is not a branch (B): loaders jump to the Image's first instruction");
        else
        {
            ulong target = (ulong)((long)start.Value + h.Code0BranchOffset);
            bool intoCode = layout.Loads.Any(s => s.IsExecutable() && target >= s.VirtualAddress && target - s.VirtualAddress < s.Size);
            if (!intoCode)
                yield return new Refusal(RefusalCode.HeaderCode0, $"code0 branches to 0x{target:x}, which is not in the image's loaded code");
        }
    }

    /// <summary>True when two non-empty ranges touch a common 4 KiB page (ends saturate rather than wrap).</summary>
    private static bool SharesPage(ulong a, ulong aSize, ulong b, ulong bSize)
    {
        ulong aFirst = a / PageSize, aLast = (EndOf(a, aSize) - 1) / PageSize;
        ulong bFirst = b / PageSize, bLast = (EndOf(b, bSize) - 1) / PageSize;
        return aFirst <= bLast && bFirst <= aLast;
    }

    private static ulong EndOf(ulong start, ulong size) => start > ulong.MaxValue - size ? ulong.MaxValue : start + size;

    /// <summary>p_flags as readelf shows them: R, W, E.</summary>
    private static string Permissions(ElfSegment s) =>
        $"{((s.Flags.Value & ElfFileLookups.PF_R) != 0 ? 'R' : ' ')}{(s.IsWritable() ? 'W' : ' ')}{(s.IsExecutable() ? 'E' : ' ')}".TrimEnd();
}
