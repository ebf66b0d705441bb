using System;
using System.Buffers.Binary;
using GuestStub.Elf;
using Xunit;

namespace GuestStub.Packager.Tests.TestSupport;

/// <summary>Builds a bad input by editing a copy of a linked ELF through the ELF library's model.</summary>
internal static class Edit
{
    public static byte[] Apply(byte[] linked, Action<ElfFile> change)
    {
        Assert.True(ElfFile.TryRead(linked, out ElfFile? file, out var diagnostics), string.Join("; ", diagnostics));
        change(file);
        return file.Write();
    }

    /// <summary>Changes the Image header bytes at _start (the start of .head.text).</summary>
    public static byte[] Header(byte[] linked, Action<byte[]> change) =>
        Apply(linked, file =>
        {
            var head = (ElfRawSection)file.FindSection(".head.text")!;
            byte[] data = (byte[])head.Data.Clone();
            change(data);
            head.Data = data;
        });

    public static void WriteU64(byte[] data, int offset, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(offset), value);

    public static ulong ReadU64(byte[] data, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(offset));

    public static void WriteU32(byte[] data, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(offset), value);
}
