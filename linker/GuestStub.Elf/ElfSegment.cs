namespace GuestStub.Elf;

/// <summary>
/// One program header (Elf32_Phdr / Elf64_Phdr): a range of the file and of memory. Segments do not
/// own bytes; their file range is read out of the written image with <see cref="ElfFile.ReadSegmentBytes"/>.
/// </summary>
public sealed partial class ElfSegment
{
    public ElfSegmentType Type { get; set; }
    public ElfSegmentFlags Flags { get; set; }
    public ulong Offset { get; set; }
    public ulong VirtualAddress { get; set; }
    public ulong PhysicalAddress { get; set; }
    public ulong FileSize { get; set; }
    public ulong MemorySize { get; set; }
    public ulong Alignment { get; set; }

    public bool IsLoad => Type == ElfSegmentType.Load;
    public bool IsReadable => (Flags & ElfSegmentFlags.Read) != 0;
    public bool IsWritable => (Flags & ElfSegmentFlags.Write) != 0;
    public bool IsExecutable => (Flags & ElfSegmentFlags.Execute) != 0;

    /// <summary>True when the file range [Offset, Offset+FileSize) holds [offset, offset+size).</summary>
    public bool ContainsFileRange(ulong offset, ulong size) =>
        offset >= Offset && ElfBounds.FitsWithin(offset - Offset, size, FileSize);

    /// <summary>True when the memory range [VirtualAddress, VirtualAddress+MemorySize) holds the address.</summary>
    public bool ContainsAddress(ulong address) =>
        address >= VirtualAddress && address - VirtualAddress < MemorySize;

    public override string ToString() =>
        $"{ElfNames.SegmentType(Type)} off=0x{Offset:x} vaddr=0x{VirtualAddress:x} filesz=0x{FileSize:x} memsz=0x{MemorySize:x}";
}
