using System;
using System.IO;
using System.Linq;
using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;
using GuestStub.ElfInputChecks.Tests.TestSupport;
using GuestStub.Packager.Tests.TestSupport;
using Xunit;

namespace GuestStub.Packager.Tests;

/// <summary>The Image is what llvm-objcopy -O binary makes of the packaged ELF, byte for byte.</summary>
public sealed class ImageTests
{
    private static byte[] ObjCopyBinary(string elfPath)
    {
        string output = elfPath + ".objcopy.img";
        Tool.RunChecked(Tool.ObjCopy, "-O", "binary", elfPath, output);
        return File.ReadAllBytes(output);
    }

    [Fact]
    public void FixtureImage_EqualsLlvmObjcopyBinary()
    {
        PackageResult result = Packaging.Run(MiniGuest.Linked());
        Assert.False(result.Refused, string.Join("\n", result.Refusals));
        byte[] reference = ObjCopyBinary(Packaging.Save(result.Elf, "mini.elf"));
        Assert.Equal(reference.Length, result.Image.Length);
        Assert.True(reference.AsSpan().SequenceEqual(result.Image), $"differs at 0x{FirstDifference(reference, result.Image):x}");
    }

    [Fact]
    public void FixtureImage_StartsWithTheHeaderAndEndsAtTheLastFileByte()
    {
        byte[] linked = MiniGuest.Linked();
        PackageResult result = Packaging.Run(linked);
        ElfFile elf = ElfInput.Read(result.Elf).File!;
        var header = Arm64ImageHeader.Parse(result.Image);
        Assert.Equal(Arm64ImageHeader.ExpectedMagic, header.Magic);
        ElfSymbol start = elf.FindSymbol("_start")!.Value;
        ElfSegment lastFileBacked = elf.LoadSegments().Last(s => s.Size != 0);
        Assert.Equal(lastFileBacked.VirtualAddress + lastFileBacked.Size - start.Value, (ulong)result.Image.Length);
        // .bss is not in the file; image_size covers it.
        Assert.True(header.ImageSize > (ulong)result.Image.Length);
        Assert.Equal(elf.FindSymbol("__image_end")!.Value.Value - start.Value, header.ImageSize);
    }

    [Fact]
    public void UnwindTables_StayInTheElfButLeaveTheLoad()
    {
        PackageResult result = Packaging.Run(MiniGuest.Linked());
        ElfFile elf = ElfInput.Read(result.Elf).File!;
        foreach (string name in UnloadedSections.Names)
        {
            ElfSection section = elf.FindSection(name)!;
            Assert.False(section.IsAllocated(), name);
            Assert.NotEqual(0UL, section.VirtualAddress);
            Assert.DoesNotContain(elf.LoadSegments(), s => s.ContainsAddress(section.VirtualAddress));
        }
        // The dropped program headers leave no stale entries behind the table, and nothing after it moved.
        int table = (int)elf.Layout.OffsetOfProgramHeaderTable;
        int used = elf.Segments.Count * elf.Layout.SizeOfProgramHeaderEntry;
        int firstContent = (int)elf.Sections.Where(s => s.SectionIndex != 0 && s.HasContent && s.Size != 0).Min(s => s.Position);
        Assert.All(result.Elf.AsSpan(table + used, firstContent - table - used).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void RealImage_EqualsLlvmObjcopyBinaryOfTheRealElf()
    {
        byte[] image = File.ReadAllBytes(RealBuild.GuestImage);
        byte[] reference = ObjCopyBinary(Packaging.Save(File.ReadAllBytes(RealBuild.GuestElf), "guest.elf"));
        Assert.Equal(reference.Length, image.Length);
        Assert.True(reference.AsSpan().SequenceEqual(image), $"differs at 0x{FirstDifference(reference, image):x}");
    }

    [Fact]
    public void RealBuild_PackagingTheLinkedElfAgain_GivesTheSameElfAndImage()
    {
        ManagedTypeNames types = ManagedTypeNames.Load(RealBuild.Assemblies);
        PackageResult result = Packager.Package(File.ReadAllBytes(RealBuild.LinkedElf), RealBuild.Version, types);
        Assert.False(result.Refused, string.Join("\n", result.Refusals));
        Assert.True(result.Elf.AsSpan().SequenceEqual(File.ReadAllBytes(RealBuild.GuestElf)), "out/guest.elf differs: rebuild");
        Assert.True(result.Image.AsSpan().SequenceEqual(File.ReadAllBytes(RealBuild.GuestImage)), "out/guest.img differs: rebuild");
    }

    [Fact]
    public void RealImage_IsWithinTheLoadableBudget()
    {
        const long budget = GuestStub.Memory.PlatformConstants.ImageBudgetBytes; // Directory.Build.props
        long size = new FileInfo(RealBuild.GuestImage).Length;
        Assert.True(size <= budget, $"out/guest.img is {size} bytes, over the {budget}-byte budget by {size - budget}: see out/guest.size.txt");
    }

    [Fact]
    public void The_packagers_page_is_the_platforms_page()
    {
        // The packager checks permission boundaries on the page head.S maps with, which is
        // GuestPageShift in Directory.Build.props; the two cannot drift apart unnoticed.
        Assert.Equal(1UL << GuestStub.Memory.PlatformConstants.PageShift, BootChecks.PageSize);
    }

    private static int FirstDifference(byte[] a, byte[] b)
    {
        int n = System.Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
            if (a[i] != b[i])
                return i;
        return n;
    }
}
