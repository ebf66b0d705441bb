namespace GuestStub.Elf;

public abstract partial class ElfSection
{
    /// <summary>Field offsets of Elf32_Shdr/Elf64_Shdr; W is the class word size (4 or 8).</summary>
    internal static class Layout
    {
        public const int NameOffset = 0;
        public const int TypeOffset = NameOffset + 4;
        public const int FlagsOffset = TypeOffset + 4;
        public static int AddressOffset(int word) => FlagsOffset + word;
        public static int OffsetOffset(int word) => AddressOffset(word) + word;
        public static int SizeOffset(int word) => OffsetOffset(word) + word;
        public static int LinkOffset(int word) => SizeOffset(word) + word;
        public static int InfoOffset(int word) => LinkOffset(word) + 4;
        public static int AlignmentOffset(int word) => InfoOffset(word) + 4;
        public static int EntrySizeOffset(int word) => AlignmentOffset(word) + word;

        /// <summary>sizeof(Elf32_Shdr) = 40, sizeof(Elf64_Shdr) = 64.</summary>
        public static int Size(int word) => EntrySizeOffset(word) + word;

        public static int Size(ElfClass c) => Size(c == ElfClass.Elf64 ? 8 : 4);
    }
}
