namespace GuestStub.Elf;

/// <summary>
/// Every cause the reader and <see cref="ElfFile.Verify"/> can report, like libfdt's FDT_ERR_*.
/// Printed as ELFnnn; numbers are stable once released.
/// </summary>
public enum ElfDiagnosticCode
{
    NotElf = 1,
    UnsupportedClass = 2,
    UnsupportedEncoding = 3,
    UnsupportedVersion = 4,
    Truncated = 5,
    BadHeaderSize = 6,
    BadEntrySize = 7,
    TablePastEnd = 8,
    ContentPastEnd = 9,
    BadSectionCount = 10,
    BadSectionIndex = 11,
    BadStringIndex = 12,
    BadLink = 13,
    BadSymbolIndex = 14,
    BadNote = 15,
    BadAlignment = 16,
    SegmentOverlap = 17,
    SectionOverlap = 18,
    FileSizeExceedsMemorySize = 19,
    MisalignedSegment = 20,
    ValueTooWide = 21,
    KeptAsRaw = 22,
    BadInfo = 23,
    MisalignedAddress = 24,
}
