using System.IO;
using System.Linq;
using GuestStub.Elf;
using GuestStub.Elf.Tests.TestSupport;
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
        Assert.True(ElfFile.TryRead(File.ReadAllBytes(RealBuild.GuestElf), out ElfFile? elf, out _));
        ElfNote version = elf.GetNotes().Single(n => n.Name == GuestNotes.VersionOwner);
        Assert.Equal(RealBuild.Version + "\0", System.Text.Encoding.UTF8.GetString(version.Descriptor));
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
        byte[] changed = Edit.Apply(MiniGuest.Linked(), f =>
        {
            var rodata = (ElfRawSection)f.FindSection(".rodata")!;
            byte[] data = (byte[])rodata.Data.Clone();
            data[0] ^= 0x20;
            rodata.Data = data;
        });
        Assert.NotEqual(before, BuildIdOf(changed));
    }

    [Fact]
    public void BuildId_DoesNotChangeWithDebugInfoSymbolsOrVersion()
    {
        string before = BuildIdOf(MiniGuest.Linked());
        byte[] changed = Edit.Apply(MiniGuest.Linked(), f =>
        {
            var debug = (ElfRawSection)f.Sections.First(s => s.Name.StartsWith(".debug_", System.StringComparison.Ordinal) && s.Size != 0);
            byte[] data = (byte[])debug.Data.Clone();
            data[^1] ^= 0xff;
            debug.Data = data;
            f.FindSymbol("counter")!.Name = "renamed_counter";
        });
        Assert.Equal(before, BuildIdOf(changed));
        Assert.Equal(before, BuildIdOf(MiniGuest.Linked(), "another-version"));
    }
}
