using System;
using System.Buffers.Binary;
using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;
using Xunit;

namespace GuestStub.Packager.Tests.TestSupport;

/// <summary>Builds a bad input by editing a copy of a linked ELF, through LibObjectFile's model or in place.</summary>
internal static class Edit
{
    public static byte[] Apply(byte[] linked, Action<ElfFile> change)
    {
        ElfInputResult input = ElfInput.Read(linked);
        Assert.True(input.File is not null, string.Join("; ", input.Errors));
        change(input.File!);
        return input.File!.ToBytes();
    }

    /// <summary>Changes bytes of the file in place (fields LibObjectFile recomputes on write).</summary>
    public static byte[] Bytes(byte[] linked, Action<ElfFile, byte[]> change)
    {
        ElfInputResult input = ElfInput.Read(linked);
        Assert.True(input.File is not null, string.Join("; ", input.Errors));
        byte[] copy = (byte[])linked.Clone();
        change(input.File!, copy);
        return copy;
    }

    /// <summary>Changes the Image header bytes at _start (the start of .head.text).</summary>
    public static byte[] Header(byte[] linked, Action<byte[]> change) =>
        Bytes(linked, (file, bytes) =>
        {
            ElfSection head = file.FindSection(".head.text")!;
            byte[] data = bytes.AsSpan((int)head.Position, 64).ToArray();
            change(data);
            data.CopyTo(bytes, (int)head.Position);
        });

    public static void WriteU64(byte[] data, int offset, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(offset), value);

    public static ulong ReadU64(byte[] data, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(offset));

    public static void WriteU32(byte[] data, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(offset), value);
}
