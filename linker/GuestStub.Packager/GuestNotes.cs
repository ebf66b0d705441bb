using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Security.Cryptography;
using GuestStub.Elf;

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
        Add(file.Header.Entry);
        foreach (ElfSegment s in loads)
        {
            Add((ulong)s.Type);
            Add((ulong)s.Flags);
            Add(s.VirtualAddress);
            Add(s.PhysicalAddress);
            Add(s.FileSize);
            Add(s.MemorySize);
            hash.AppendData(ElfFile.ReadSegmentBytes(s, bytes));
        }
        return hash.GetHashAndReset().AsSpan(0, BuildIdBytes).ToArray();
    }

    public static void Add(ElfFile file, byte[] buildId, string version)
    {
        file.AddNoteSection(BuildIdSection, ElfNote.GnuBuildId(buildId));
        file.AddNoteSection(VersionSection, ElfNote.Text(VersionOwner, VersionType, version));
    }
}
