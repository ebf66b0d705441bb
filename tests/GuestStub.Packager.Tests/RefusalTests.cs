using System;
using System.Buffers.Binary;
using System.Linq;
using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;
using GuestStub.Packager.Tests.TestSupport;
using Xunit;

namespace GuestStub.Packager.Tests;

/// <summary>
/// Every input that would not boot is refused with one clear reason. Each bad input is the small
/// linked fixture (<see cref="MiniGuest"/>) edited in one way, or a variant linked that way.
/// </summary>
public sealed class RefusalTests
{
    private static Refusal RefusedOnce(byte[] input, RefusalCode expected)
    {
        PackageResult result = Packaging.Run(input);
        Assert.True(result.Refused, $"expected a refusal ({expected}), but it packaged");
        Assert.True(result.Refusals.Count == 1, "expected one reason, got:\n" + string.Join("\n", result.Refusals));
        Assert.Equal(expected, result.Refusals[0].Code);
        Assert.Empty(result.Elf);
        Assert.Empty(result.Image);
        return result.Refusals[0];
    }

    [Fact]
    public void TheFixtureItself_Packages()
    {
        PackageResult result = Packaging.Run(MiniGuest.Linked());
        Assert.False(result.Refused, string.Join("\n", result.Refusals));
        Assert.Equal(new[] { ".dotnet_eh_table", ".eh_frame" }, result.Unloaded);
    }

    [Fact]
    public void NotAnElfFile()
    {
        Refusal r = RefusedOnce(new byte[] { 1, 2, 3, 4 }, RefusalCode.MalformedElf);
        Assert.Contains("e_ident at 0x0", r.Message);
    }

    [Fact]
    public void TruncatedElf()
    {
        byte[] linked = MiniGuest.Linked();
        PackageResult result = Packaging.Run(linked.AsSpan(0, linked.Length / 2).ToArray());
        Assert.True(result.Refused);
        Assert.All(result.Refusals, r => Assert.Equal(RefusalCode.MalformedElf, r.Code));
        Assert.Contains(result.Refusals, r => r.Message.Contains("e_shoff at 0x28"));
    }

    [Fact]
    public void NotAnAArch64Executable()
    {
        Refusal r = RefusedOnce(Edit.Apply(MiniGuest.Linked(), f => f.Arch = ElfArch.X86_64), RefusalCode.NotArm64Executable);
        Assert.Contains("AArch64", r.Message);
    }

    [Fact]
    public void MalformedElf_PtLoadFileSizeAboveMemorySize_NamesTheField()
    {
        byte[] input = Edit.Bytes(MiniGuest.Linked(), (f, bytes) =>
        {
            int index = f.Segments.IndexOf(f.LoadSegments().First(s => s.IsWritable()));
            ulong at = ElfFieldOffsets.ProgramHeader(f, index, "p_filesz");
            Edit.WriteU64(bytes, (int)at, f.Segments[index].SizeInMemory + 0x10);
        });
        Refusal r = RefusedOnce(input, RefusalCode.MalformedElf);
        Assert.Contains("p_filesz at 0x", r.Message);
        Assert.Contains("exceeds its memory size", r.Message);
    }

    [Fact]
    public void EntryIsNotStart()
    {
        Refusal r = RefusedOnce(Edit.Apply(MiniGuest.Linked(), f => f.EntryPointAddress += 0x40), RefusalCode.EntryNotStart);
        Assert.Contains("is not _start", r.Message);
    }

    [Fact]
    public void UndefinedWeakSymbol()
    {
        Refusal r = RefusedOnce(MiniGuest.Linked(MiniGuest.Variant.WeakUndefined), RefusalCode.UndefinedSymbol);
        Assert.Contains("missing_helper", r.Message);
    }

    [Fact]
    public void SegmentBothWritableAndExecutable()
    {
        byte[] input = Edit.Apply(MiniGuest.Linked(), f => { ElfSegment s = f.LoadSegments().First(s => s.IsExecutable()); s.Flags = new ElfSegmentFlags(s.Flags.Value | ElfFileLookups.PF_W); });
        Refusal r = RefusedOnce(input, RefusalCode.WritableAndExecutable);
        Assert.Contains("both writable and executable", r.Message);
    }

    [Fact]
    public void LoadAlignmentBelowAPage()
    {
        byte[] input = Edit.Apply(MiniGuest.Linked(), f => f.LoadSegments().First(s => s.IsWritable()).VirtualAddressAlignment = 0x800);
        Refusal r = RefusedOnce(input, RefusalCode.BadAlignment);
        Assert.Contains("p_align 0x800", r.Message);
    }

    [Fact]
    public void SectionAddressNotAlignedToItsAlignment()
    {
        byte[] input = Edit.Apply(MiniGuest.Linked(), f => f.FindSection(".data")!.VirtualAddressAlignment = 0x10000);
        Refusal r = RefusedOnce(input, RefusalCode.BadAlignment);
        Assert.Contains("'.data'", r.Message);
    }

    [Fact]
    public void PermissionBoundaryNotOnAPage()
    {
        byte[] input = Edit.Apply(MiniGuest.Linked(), f =>
        {
            var entries = f.SymbolTable()!.Entries;
            int i = entries.FindIndex(s => s.Name.Value == "__rodata_end");
            ElfSymbol symbol = entries[i];
            symbol.Value -= 8;
            entries[i] = symbol;
        });
        Refusal r = RefusedOnce(input, RefusalCode.BadAlignment);
        Assert.Contains("__rodata_end", r.Message);
    }

    [Fact]
    public void HeaderWithoutMagic()
    {
        Refusal r = RefusedOnce(Edit.Header(MiniGuest.Linked(), h => h[Arm64ImageHeader.MagicOffset] = (byte)'X'), RefusalCode.HeaderMagic);
        Assert.Contains("ARM\\x64", r.Message);
    }

    [Fact]
    public void HeaderTextOffsetNotStartsOffsetInItsBlock()
    {
        Refusal r = RefusedOnce(Edit.Header(MiniGuest.Linked(), h => Edit.WriteU64(h, Arm64ImageHeader.TextOffsetOffset, 0x1000)), RefusalCode.HeaderTextOffset);
        Assert.Contains("text_offset is 0x1000", r.Message);
    }

    [Fact]
    public void HeaderImageSizeNotImageEndMinusStart()
    {
        byte[] input = Edit.Header(MiniGuest.Linked(), h =>
            Edit.WriteU64(h, Arm64ImageHeader.ImageSizeOffset, Edit.ReadU64(h, Arm64ImageHeader.ImageSizeOffset) - 0x1000));
        Refusal r = RefusedOnce(input, RefusalCode.HeaderImageSize);
        Assert.Contains("__image_end - _start", r.Message);
    }

    [Theory]
    [InlineData(0x3UL, "big endian")]
    [InlineData(0x0UL, "page size code 0")]
    [InlineData(0x12UL, "reserved bits")]
    public void HeaderFlagsContradictTheFile(ulong flags, string reason)
    {
        Refusal r = RefusedOnce(Edit.Header(MiniGuest.Linked(), h => Edit.WriteU64(h, Arm64ImageHeader.FlagsOffset, flags)), RefusalCode.HeaderFlags);
        Assert.Contains(reason, r.Message);
    }

    [Fact]
    public void Code0IsNotABranch()
    {
        const uint nop = 0xd503201f;
        Refusal r = RefusedOnce(Edit.Header(MiniGuest.Linked(), h => Edit.WriteU32(h, Arm64ImageHeader.Code0Offset, nop)), RefusalCode.HeaderCode0);
        Assert.Contains("not a branch", r.Message);
    }

    [Fact]
    public void Code0BranchesOutOfTheCode()
    {
        const uint branchForward1MiB = 0x14000000 | (0x100000 / 4);
        Refusal r = RefusedOnce(Edit.Header(MiniGuest.Linked(), h => Edit.WriteU32(h, Arm64ImageHeader.Code0Offset, branchForward1MiB)), RefusalCode.HeaderCode0);
        Assert.Contains("not in the image's loaded code", r.Message);
    }

    [Fact]
    public void LoadSegmentsNotInAscendingPhysicalOrder()
    {
        byte[] input = Edit.Apply(MiniGuest.Linked(), f =>
        {
            ElfSegment a = f.LoadSegments().First(s => s.IsExecutable());
            ElfSegment b = f.LoadSegments().First(s => !s.IsExecutable() && !s.IsWritable());
            (a.VirtualAddress, b.VirtualAddress) = (b.VirtualAddress, a.VirtualAddress);
            (a.PhysicalAddress, b.PhysicalAddress) = (b.PhysicalAddress, a.PhysicalAddress);
        });
        PackageResult result = Packaging.Run(input);
        Assert.Contains(result.Refusals, r => r.Code == RefusalCode.LoadOrder && r.Message.Contains("ascend by physical address"));
    }

    [Fact]
    public void LoadSegmentsOverlapPhysically()
    {
        byte[] input = Edit.Apply(MiniGuest.Linked(), f =>
        {
            ElfSegment head = f.LoadSegments().First(s => s.IsExecutable());
            ElfSegment rodata = f.LoadSegments().First(s => !s.IsExecutable() && !s.IsWritable());
            rodata.PhysicalAddress = head.PhysicalAddress + 0x10;
        });
        Refusal r = RefusedOnce(input, RefusalCode.LoadOrder);
        Assert.Contains("overlaps", r.Message);
    }

    [Fact]
    public void LoadSegmentMappedAtAnotherPhysicalOffset()
    {
        byte[] input = Edit.Apply(MiniGuest.Linked(), f => f.LoadSegments().Last(s => s.IsWritable()).PhysicalAddress += 0x10000);
        Refusal r = RefusedOnce(input, RefusalCode.LoadMapping);
        Assert.Contains("virtual-physical offset", r.Message);
    }

    [Fact]
    public void UnwindTablesSharingALoadSegment()
    {
        // One reason per section that cannot leave the load.
        PackageResult result = Packaging.Run(MiniGuest.Linked(MiniGuest.Variant.UnwindSharesRodata));
        Assert.Equal(UnloadedSections.Names.Count, result.Refusals.Count);
        Assert.All(result.Refusals, r => Assert.Equal(RefusalCode.UnloadedSectionShared, r.Code));
        Assert.All(result.Refusals, r => Assert.Contains("linker/guest.ld", r.Message));
    }

    // The two findings of `./build.sh fuzz elf` (10.4 million executions, issue 13), minimised to
    // the bytes that matter and replayed on the fixture: sections and segments that disagree about
    // where bytes are in the file. The packager builds the Image from the segments and writes the
    // ELF from the sections, so it threw when the result did not read back or did not flatten to
    // the same Image; such an input is now refused. Raw byte patches, as the fuzzer made them (the
    // ELF library's writer would lay the file out again).

    /// <summary>The fixture, its first allocated section with contents, and the index of the
    /// PT_LOAD that holds it (in the program header table).</summary>
    private static (byte[] Bytes, ElfFile File, ElfSection Section, int Segment) Fixture()
    {
        byte[] bytes = MiniGuest.Linked();
        ElfInputResult input = ElfInput.Read(bytes);
        Assert.True(input.File is not null, string.Join("; ", input.Errors));
        ElfFile file = input.File!;
        ElfSection section = file.Sections.First(s => s.IsAllocated() && s.Type != ElfSectionType.NoBits && s.Size != 0);
        int segment = Enumerable.Range(0, file.Segments.Count).First(i => file.Segments[i].Type == ElfSegmentTypeCore.Load
            && section.VirtualAddress >= file.Segments[i].VirtualAddress && section.VirtualAddress - file.Segments[i].VirtualAddress < file.Segments[i].Size);
        return (bytes, file, section, segment);
    }

    private static int SectionField(ElfFile file, ElfSection section, string field) =>
        (int)ElfFieldOffsets.SectionHeader(file, (int)section.SectionIndex, field);

    private static int SegmentField(ElfFile file, int segment, string field) =>
        (int)ElfFieldOffsets.ProgramHeader(file, segment, field);

    private static void AssertRefusedForDisagreement(byte[] input)
    {
        PackageResult result = Packaging.Run(input);   // before the fix: InvalidOperationException
        Assert.True(result.Refused, "expected a refusal, but it packaged");
        Assert.Contains(result.Refusals, r => r.Code == RefusalCode.SectionOutsideSegment);
    }

    [Fact]
    public void A_section_moved_in_the_file_by_itself_is_refused()
    {
        // Finding 2: .text's sh_offset 0x1000 -> 0x0 (the packaged ELF did not read back).
        (byte[] bytes, ElfFile file, ElfSection section, _) = Fixture();
        Edit.WriteU64(bytes, SectionField(file, section, "sh_offset"), 0);
        AssertRefusedForDisagreement(bytes);
    }

    [Fact]
    public void A_load_segment_moved_in_the_file_by_itself_is_refused()
    {
        // Finding 1: a PT_LOAD's p_offset 0x11000 -> 0x0 (the packaged ELF flattened to another Image).
        (byte[] bytes, ElfFile file, _, int segment) = Fixture();
        Edit.WriteU64(bytes, SegmentField(file, segment, "p_offset"), 0);
        AssertRefusedForDisagreement(bytes);
    }

    [Fact]
    public void A_section_whose_address_left_its_segment_is_refused()
    {
        // Both findings, as the fuzzer left them: the section's sh_addr top byte changed too.
        (byte[] bytes, ElfFile file, ElfSection section, _) = Fixture();
        int addr = SectionField(file, section, "sh_addr");
        Edit.WriteU64(bytes, addr, Edit.ReadU64(bytes, addr) ^ 0xa600000000000000);
        Edit.WriteU64(bytes, SectionField(file, section, "sh_offset"), 0);
        AssertRefusedForDisagreement(bytes);
    }

    // Three findings of `./build.sh fuzz elf` on the merged code (issue 13 follow-up, 617,525
    // executions): inputs that made Packager.Package throw, each now a refusal.

    [Fact]
    public void A_machine_LibObjectFile_has_no_name_for_is_refused_not_a_FormatException()
    {
        // e_machine 0x12b7, as the fuzzer left it: ElfArchEx.ToString() throws for it.
        byte[] input = Edit.Bytes(MiniGuest.Linked(), (f, bytes) => BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x12), 0x12b7));
        Refusal r = RefusedOnce(input, RefusalCode.NotArm64Executable);
        Assert.Contains("machine 0x12b7", r.Message);
    }

    [Fact]
    public void A_symbol_table_LibObjectFile_cannot_write_is_refused()
    {
        // A local symbol's binding set to 14 (processor-specific), a LOCAL after it: Verify() passes,
        // writing the packaged ELF threw ObjectFileException.
        byte[] input = Edit.Bytes(MiniGuest.Linked(), (f, bytes) =>
        {
            var symtab = (ElfSection)f.SymbolTable()!;
            Assert.True(symtab.Info.SpecialIndex >= 3, "the fixture needs two local symbols after the null one");
            int stInfo = (int)symtab.Position + 1 * (int)symtab.TableEntrySize + 4;   // symbol 1's st_info
            bytes[stInfo] = (byte)(0xe0 | (bytes[stInfo] & 0xf));
        });
        PackageResult result = Packaging.Run(input);
        Assert.True(result.Refused, "expected a refusal, but it packaged");
        Assert.All(result.Refusals, r => Assert.Equal(RefusalCode.MalformedElf, r.Code));
        Assert.Contains(result.Refusals, r => r.Message.StartsWith("LibObjectFile cannot write it: ") && r.Message.Contains("LOCAL symbol"));
        Assert.Empty(result.Elf);
    }

    [Fact]
    public void An_unwind_table_moved_in_the_file_by_itself_stays_loaded_and_is_refused()
    {
        // .eh_frame's sh_offset -> 0x80 (inside the program header table): it was unloaded,
        // so no check compared it with its segment, and the packaged ELF did not read back.
        byte[] input = Edit.Bytes(MiniGuest.Linked(), (f, bytes) =>
            Edit.WriteU64(bytes, SectionField(f, f.FindSection(".eh_frame")!, "sh_offset"), 0x80));
        PackageResult result = Packaging.Run(input);
        Assert.True(result.Refused, "expected a refusal, but it packaged");
        Assert.Contains(result.Refusals, r => r.Code == RefusalCode.SectionOutsideSegment && r.Message.Contains("'.eh_frame'"));
    }

    [Fact]
    public void EveryRefusalCode_IsExercisedHere()
    {
        // A new refusal without a test here fails this test: add one above.
        string source = System.IO.File.ReadAllText(System.IO.Path.Combine(RealBuild.Root, "tests", "GuestStub.Packager.Tests", "RefusalTests.cs"));
        foreach (RefusalCode code in Enum.GetValues<RefusalCode>())
            Assert.Contains("RefusalCode." + code, source);
    }
}
