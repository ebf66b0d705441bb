using System.Collections.Generic;
using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;

namespace GuestStub.Packager;

/// <summary>
/// Where the image is, read off a linked ELF: _start and __image_end (the symbols native/head.S
/// and linker/guest.ld define), the PT_LOAD segments, and the physical address of an address.
/// </summary>
public sealed class ImageLayout
{
    public const string StartSymbol = "_start";
    public const string ImageEndSymbol = "__image_end";

    private ImageLayout(ElfFile file, ElfSymbol? start, ElfSymbol? imageEnd)
    {
        File = file;
        Start = start;
        ImageEnd = imageEnd;
        Loads = file.LoadSegments();
    }

    public static ImageLayout Of(ElfFile file) =>
        new(file, Defined(file, StartSymbol), Defined(file, ImageEndSymbol));

    public ElfFile File { get; }

    /// <summary>The defined _start symbol, or null.</summary>
    public ElfSymbol? Start { get; }

    /// <summary>The defined __image_end symbol, or null.</summary>
    public ElfSymbol? ImageEnd { get; }

    /// <summary>The PT_LOAD segments in program header order.</summary>
    public IReadOnlyList<ElfSegment> Loads { get; }

    /// <summary>The PT_LOAD whose memory holds <paramref name="address"/>, or null.</summary>
    public ElfSegment? LoadAt(ulong address)
    {
        foreach (ElfSegment s in Loads)
            if (s.ContainsAddress(address))
                return s;
        return null;
    }

    /// <summary>The physical (load) address of a virtual address, from the PT_LOAD holding it.</summary>
    public ulong? PhysicalAddressOf(ulong address) =>
        LoadAt(address) is { } s ? s.PhysicalAddress + (address - s.VirtualAddress) : null;

    /// <summary>The file offset of a virtual address, when a PT_LOAD holds it in its file-backed part.</summary>
    public ulong? FileOffsetOf(ulong address, ulong size)
    {
        foreach (ElfSegment s in Loads)
            if (address >= s.VirtualAddress && address - s.VirtualAddress <= s.Size && s.Size - (address - s.VirtualAddress) >= size)
                return s.Position + (address - s.VirtualAddress);
        return null;
    }

    private static ElfSymbol? Defined(ElfFile file, string name) =>
        file.FindSymbol(name) is { } s && !s.IsUndefined() ? s : null;
}
