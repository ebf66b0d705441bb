namespace GuestStub.Elf;

public sealed partial class ElfSegment
{
    /// <summary>
    /// Field offsets of a program header. ELF64 puts p_flags second (to keep the words aligned);
    /// ELF32 puts it after p_memsz.
    /// </summary>
    internal static class Layout
    {
        public const int TypeOffset = 0;

        public const int Flags64Offset = TypeOffset + 4;
        public const int Offset64Offset = Flags64Offset + 4;
        public const int VirtualAddress64Offset = Offset64Offset + 8;
        public const int PhysicalAddress64Offset = VirtualAddress64Offset + 8;
        public const int FileSize64Offset = PhysicalAddress64Offset + 8;
        public const int MemorySize64Offset = FileSize64Offset + 8;
        public const int Alignment64Offset = MemorySize64Offset + 8;
        public const int Size64 = Alignment64Offset + 8;

        public const int Offset32Offset = TypeOffset + 4;
        public const int VirtualAddress32Offset = Offset32Offset + 4;
        public const int PhysicalAddress32Offset = VirtualAddress32Offset + 4;
        public const int FileSize32Offset = PhysicalAddress32Offset + 4;
        public const int MemorySize32Offset = FileSize32Offset + 4;
        public const int Flags32Offset = MemorySize32Offset + 4;
        public const int Alignment32Offset = Flags32Offset + 4;
        public const int Size32 = Alignment32Offset + 4;

        public static int Size(ElfClass c) => c == ElfClass.Elf64 ? Size64 : Size32;
        public static int FlagsOffset(ElfClass c) => c == ElfClass.Elf64 ? Flags64Offset : Flags32Offset;
        public static int OffsetOffset(ElfClass c) => c == ElfClass.Elf64 ? Offset64Offset : Offset32Offset;
        public static int VirtualAddressOffset(ElfClass c) => c == ElfClass.Elf64 ? VirtualAddress64Offset : VirtualAddress32Offset;
        public static int PhysicalAddressOffset(ElfClass c) => c == ElfClass.Elf64 ? PhysicalAddress64Offset : PhysicalAddress32Offset;
        public static int FileSizeOffset(ElfClass c) => c == ElfClass.Elf64 ? FileSize64Offset : FileSize32Offset;
        public static int MemorySizeOffset(ElfClass c) => c == ElfClass.Elf64 ? MemorySize64Offset : MemorySize32Offset;
        public static int AlignmentOffset(ElfClass c) => c == ElfClass.Elf64 ? Alignment64Offset : Alignment32Offset;
    }
}
