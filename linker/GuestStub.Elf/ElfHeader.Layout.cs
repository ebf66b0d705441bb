namespace GuestStub.Elf;

public sealed partial class ElfHeader
{
    /// <summary>Field offsets of Elf32_Ehdr/Elf64_Ehdr (System V ABI, chapter 4), derived from each other.</summary>
    internal static class Layout
    {
        public static readonly byte[] Magic = { 0x7f, (byte)'E', (byte)'L', (byte)'F' };

        public const int MagicOffset = 0;
        public const int ClassOffset = MagicOffset + 4;          // EI_CLASS
        public const int EncodingOffset = ClassOffset + 1;       // EI_DATA
        public const int IdentVersionOffset = EncodingOffset + 1; // EI_VERSION
        public const int OsAbiOffset = IdentVersionOffset + 1;   // EI_OSABI
        public const int AbiVersionOffset = OsAbiOffset + 1;     // EI_ABIVERSION
        public const int PaddingOffset = AbiVersionOffset + 1;   // EI_PAD
        public const int IdentSize = 16;                         // EI_NIDENT
        public const int PaddingSize = IdentSize - PaddingOffset;

        public const int TypeOffset = IdentSize;
        public const int MachineOffset = TypeOffset + 2;
        public const int VersionOffset = MachineOffset + 2;
        public const int EntryOffset = VersionOffset + 4;

        public static int ProgramHeaderOffsetOffset(int word) => EntryOffset + word;
        public static int SectionHeaderOffsetOffset(int word) => EntryOffset + 2 * word;
        public static int FlagsOffset(int word) => EntryOffset + 3 * word;
        public static int HeaderSizeOffset(int word) => FlagsOffset(word) + 4;
        public static int ProgramHeaderEntrySizeOffset(int word) => HeaderSizeOffset(word) + 2;
        public static int ProgramHeaderCountOffset(int word) => ProgramHeaderEntrySizeOffset(word) + 2;
        public static int SectionHeaderEntrySizeOffset(int word) => ProgramHeaderCountOffset(word) + 2;
        public static int SectionHeaderCountOffset(int word) => SectionHeaderEntrySizeOffset(word) + 2;
        public static int SectionNameTableIndexOffset(int word) => SectionHeaderCountOffset(word) + 2;

        /// <summary>sizeof(Elf32_Ehdr) = 52, sizeof(Elf64_Ehdr) = 64.</summary>
        public static int Size(int word) => SectionNameTableIndexOffset(word) + 2;

        public static int Size(ElfClass elfClass) => Size(elfClass == ElfClass.Elf64 ? 8 : 4);
    }
}
