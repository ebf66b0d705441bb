using System;
using System.Collections.Generic;
using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;

namespace GuestStub.Packager;

/// <summary>
/// The arm64 Image: the PT_LOAD segments' file bytes laid out by physical address from _start,
/// gaps zero-filled, ending at the last file-backed byte. The zero-initialised tail (.bss, stacks,
/// page tables) is not in the file: the header's image_size covers it and head.S clears it. This
/// is what <c>llvm-objcopy -O binary</c> writes for the same ELF.
/// </summary>
public static class FlatImage
{
    /// <summary>
    /// Builds the Image from a file that passed <see cref="BootChecks"/> (segments ascending and
    /// non-overlapping, the lowest at _start). <paramref name="bytes"/> is the file the segment
    /// offsets refer to.
    /// </summary>
    public static byte[] Build(ImageLayout layout, byte[] bytes)
    {
        if (layout.Start is not { } start || layout.PhysicalAddressOf(start.Value) is not { } basePhysical)
            throw new InvalidOperationException("the layout has no loaded _start (BootChecks refuses such a file)");
        ulong end = basePhysical;
        foreach (ElfSegment s in layout.Loads)
            if (s.Size != 0)
                end = Math.Max(end, s.PhysicalAddress + s.Size);
        ulong length = end - basePhysical;
        if (length > int.MaxValue)
            throw new InvalidOperationException($"the Image would be 0x{length:x} bytes");
        var image = new byte[length];
        foreach (ElfSegment s in layout.Loads)
        {
            if (s.Size == 0)
                continue;
            byte[] content = s.FileBytes(bytes);
            if ((ulong)content.Length != s.Size)
                throw new InvalidOperationException($"PT_LOAD at 0x{s.VirtualAddress:x} lies past the end of the file");
            content.CopyTo(image, (int)(s.PhysicalAddress - basePhysical));
        }
        return image;
    }

    /// <summary>Bytes the guest occupies in memory once loaded: image_size (through .bss and page tables).</summary>
    public static ulong MemorySize(ImageLayout layout)
    {
        ulong start = layout.Start?.Value ?? 0;
        ulong end = start;
        foreach (ElfSegment s in layout.Loads)
            end = Math.Max(end, s.VirtualAddress + s.SizeInMemory);
        return end - start;
    }
}
