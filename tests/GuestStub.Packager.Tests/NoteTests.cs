using System.IO;
using System.Linq;
using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;
using GuestStub.ElfInputChecks.Tests.TestSupport;
using GuestStub.Packager.Tests.TestSupport;
using Xunit;

namespace GuestStub.Packager.Tests;

/// <summary>The GNU build-id and version notes: what llvm-readelf -n shows, and when the id changes.</summary>
public sealed class NoteTests
{
    private static string BuildIdOf(byte[] linked, string version = Packaging.Version)
    {
        PackageResult result = Packaging.Run(linked, version);
        Assert.False(result.Refused, string.Join("\n", result.Refusals));
        return System.Convert.ToHexStringLower(result.BuildId);
    }

    [Fact]
    public void LlvmReadelf_ShowsTheBuildIdAndTheVersion()
    {
        PackageResult result = Packaging.Run(MiniGuest.Linked());
        string notes = Tool.RunChecked(Tool.ReadElf, "-n", Packaging.Save(result.Elf, "notes.elf"));
        Assert.Contains("NT_GNU_BUILD_ID", notes);
        Assert.Contains("Build ID: " + System.Convert.ToHexStringLower(result.BuildId), notes);
        Assert.Equal(GuestNotes.BuildIdBytes, result.BuildId.Length);
        // llvm-readelf prints an unknown owner's descriptor as hex bytes: the version, NUL-terminated.
        Assert.Contains(GuestNotes.VersionOwner, notes);
        string versionHex = string.Join(" ", (Packaging.Version + "\0").Select(c => ((byte)c).ToString("x2")));
        Assert.Contains(versionHex, notes);
    }

    [Fact]
    public void RealElf_CarriesBothNotes()
    {
        string notes = Tool.RunChecked(Tool.ReadElf, "-n", RealBuild.GuestElf);
        Assert.Matches("Build ID: [0-9a-f]{40}", notes);
        Assert.Contains(GuestNotes.VersionOwner, notes);
        ElfFile elf = ElfInput.Read(File.ReadAllBytes(RealBuild.GuestElf)).File!;
        var version = (ElfCustomNote)elf.Sections.OfType<ElfNoteTable>().SelectMany(t => t.Entries).Single(n => n.GetName() == GuestNotes.VersionOwner);
        var descriptor = new MemoryStream();
        version.Descriptor!.Position = 0;
        version.Descriptor.CopyTo(descriptor);
        Assert.Equal(RealBuild.Version + "\0", System.Text.Encoding.UTF8.GetString(descriptor.ToArray()));
    }

    [Fact]
    public void BuildId_IsStableForTheSameInput()
    {
        Assert.Equal(BuildIdOf(MiniGuest.Linked()), BuildIdOf(MiniGuest.Linked()));
    }

    [Fact]
    public void BuildId_ChangesWhenLoadedContentChanges()
    {
        string before = BuildIdOf(MiniGuest.Linked());
        byte[] changed = Edit.Bytes(MiniGuest.Linked(), (f, bytes) => bytes[f.FindSection(".rodata")!.Position] ^= 0x20);
        Assert.NotEqual(before, BuildIdOf(changed));
    }

    [Fact]
    public void BuildId_DoesNotChangeWithDebugInfoSymbolsOrVersion()
    {
        string before = BuildIdOf(MiniGuest.Linked());
        byte[] changed = Edit.Bytes(MiniGuest.Linked(), (f, bytes) =>
        {
            ElfSection debug = f.Sections.First(s => s.Name.Value!.StartsWith(".debug_", System.StringComparison.Ordinal) && s.Size != 0);
            bytes[debug.Position + debug.Size - 1] ^= 0xff;
            // A symbol renamed: its name's first letter in .strtab.
            ElfSection strtab = f.FindSection(".strtab")!;
            bytes[strtab.Position + f.FindSymbol("counter")!.Value.Name.Index] = (byte)'k';
        });
        Assert.Equal(before, BuildIdOf(changed));
        Assert.Equal(before, BuildIdOf(MiniGuest.Linked(), "another-version"));
    }
}
