using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;

namespace GuestStub.Packager;

/// <summary>
/// The notes the packager adds to out/guest.elf (non-allocated: they are not in the Image):
/// a GNU build-id and the GuestStub version.
/// </summary>
public static class GuestNotes
{
    public const string BuildIdSection = ".note.gnu.build-id";
    public const string VersionSection = ".note.gueststub.version";
    /// <summary>The version note's owner; its descriptor is the version text, NUL-terminated.</summary>
    public const string VersionOwner = "GuestStub";
    /// <summary>n_type of the version note (owner-defined; 1 like the gABI's NT_VERSION).</summary>
    public const uint VersionType = 1;
    /// <summary>A build id of 160 bits, as GNU ld's default (sha1) gives.</summary>
    public const int BuildIdBytes = 20;

    /// <summary>
    /// The build id: SHA-256, truncated to 160 bits, of what is loaded and how: the entry point,
    /// each PT_LOAD's type, flags, addresses and sizes, and its file bytes. Debug info, symbols and
    /// notes do not take part, so the id changes exactly when the booted content does.
    /// </summary>
    public static byte[] ComputeBuildId(ElfFile file, IEnumerable<ElfSegment> loads, byte[] bytes)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var word = new byte[8];
        void Add(ulong value)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(word, value);
            hash.AppendData(word);
        }
        Add(file.EntryPointAddress);
        foreach (ElfSegment s in loads)
        {
            Add(s.Type.Value);
            Add(s.Flags.Value);
            Add(s.VirtualAddress);
            Add(s.PhysicalAddress);
            Add(s.Size);
            Add(s.SizeInMemory);
            hash.AppendData(s.FileBytes(bytes));
        }
        return hash.GetHashAndReset().AsSpan(0, BuildIdBytes).ToArray();
    }

    /// <summary>
    /// Adds the two SHT_NOTE sections, 4-byte aligned as the gABI asks of notes, after every
    /// existing section header (LibObjectFile orders headers by OrderInSectionHeaderTable), so no
    /// section index the symbols and links use changes.
    /// </summary>
    public static void Add(ElfFile file, byte[] buildId, string version)
    {
        uint next = (uint)file.Sections.Count;
        var buildIdNotes = new ElfNoteTable { Name = BuildIdSection, VirtualAddressAlignment = 4, OrderInSectionHeaderTable = next };
        buildIdNotes.Entries.Add(new ElfGnuNoteBuildId { BuildId = new MemoryStream(buildId) });
        file.Add(buildIdNotes);
        var versionNotes = new ElfNoteTable { Name = VersionSection, VirtualAddressAlignment = 4, OrderInSectionHeaderTable = next + 1 };
        versionNotes.Entries.Add(new ElfCustomNote(VersionOwner, new ElfNoteTypeEx(VersionType))
        {
            Descriptor = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(version + "\0")),
        });
        file.Add(versionNotes);
    }
}
