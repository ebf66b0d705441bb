namespace GuestStub.Packager;

/// <summary>Why the packager refuses a linked ELF: each cause is one reason an image would not boot.</summary>
public enum RefusalCode
{
    /// <summary>
    /// The bytes are not a well-formed ELF file: a field's value is wrong (named with its offset,
    /// see GuestStub.ElfInputChecks), or LibObjectFile's <c>Verify()</c> reports an error.
    /// </summary>
    MalformedElf,
    /// <summary>Not an ELF64 little-endian AArch64 executable.</summary>
    NotArm64Executable,
    /// <summary>No <c>_start</c>, or e_entry is not its address.</summary>
    EntryNotStart,
    /// <summary>A symbol is referenced but defined nowhere (a weak one would silently be 0).</summary>
    UndefinedSymbol,
    /// <summary>A segment is both writable and executable.</summary>
    WritableAndExecutable,
    /// <summary>An alignment the boot relies on does not hold.</summary>
    BadAlignment,
    /// <summary>The Image header at _start has no "ARM\x64" magic at 0x38 (or there is no header).</summary>
    HeaderMagic,
    /// <summary>The header's text_offset is not _start's offset in its 2 MiB block.</summary>
    HeaderTextOffset,
    /// <summary>The header's image_size is not __image_end - _start, or does not cover every segment.</summary>
    HeaderImageSize,
    /// <summary>The header's flags contradict the file (endianness, 4 KiB pages, reserved bits).</summary>
    HeaderFlags,
    /// <summary>code0 is not a branch into the image's code.</summary>
    HeaderCode0,
    /// <summary>The PT_LOAD segments are not in ascending, non-overlapping physical order from _start.</summary>
    LoadOrder,
    /// <summary>A PT_LOAD's virtual-to-physical offset differs from _start's (head.S maps the image linearly).</summary>
    LoadMapping,
    /// <summary>A section to keep out of the image shares a PT_LOAD with sections that must stay in it.</summary>
    UnloadedSectionShared,
    /// <summary>An allocated section does not sit in the file where the PT_LOAD covering its
    /// address puts that address (the Image comes from the segments, the ELF from the sections).</summary>
    SectionOutsideSegment,
}

/// <summary>One reason the input would not boot, as one line for the build's output.</summary>
public readonly record struct Refusal(RefusalCode Code, string Message)
{
    public override string ToString() => $"{Code}: {Message}";
}
