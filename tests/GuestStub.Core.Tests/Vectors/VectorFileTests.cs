using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using GuestStub.Tests.TestSupport;
using GuestStub.Vectors;
using Xunit;

namespace GuestStub.Tests.Vectors;

/// <summary>
/// The vector files themselves: they are what the generator writes, and the reader (which the
/// guest test image runs on embedded or loaded files) refuses a file that does not add up,
/// naming the cause and the byte offset.
/// </summary>
public class VectorFileTests
{
    [Fact]
    public void Committed_files_are_what_the_generator_writes()
    {
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<configuration>/net10.0
        string generator = Path.Combine(RepoPaths.Root, "tests", "GuestStub.Vectors.Generator", "bin", configuration, "net10.0",
            "GuestStub.Vectors.Generator.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(generator);
        start.ArgumentList.Add("--check");
        using Process process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr);
    }

    [Fact]
    public void Every_file_in_the_directory_opens_and_holds_vectors()
    {
        string[] files = Directory.GetFiles(HostVectors.Directory, "*.vec").Select(Path.GetFileName).ToArray()!;
        Assert.Equal(6, files.Length);
        foreach (string name in files)
            Assert.True(HostVectors.Open(name).Count > 0, name);
    }

    private static VectorFileStatus OpenCopy(byte[] bytes, int misalign = 0)
    {
        unsafe
        {
            byte* memory = (byte*)NativeMemory.AlignedAlloc((nuint)bytes.Length + 8, 8);
            try
            {
                bytes.CopyTo(new Span<byte>(memory + misalign, bytes.Length));
                return VectorFile.Open(new ReadOnlySpan<byte>(memory + misalign, bytes.Length), out _);
            }
            finally
            {
                NativeMemory.AlignedFree(memory);
            }
        }
    }

    private static byte[] Good() => HostVectors.Bytes(ReportFile).ToArray();

    private const string ReportFile = "report-lines.vec";

    private static void Resum(byte[] bytes) =>
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(VectorLayout.ChecksumOffset), VectorLayout.Checksum(bytes.AsSpan(VectorLayout.HeaderSize)));

    [Fact]
    public void Reader_refuses_what_does_not_add_up()
    {
        Assert.True(OpenCopy(Good()).IsOk);
        Assert.Equal((VectorFileError.Misaligned, 0), Outcome(OpenCopy(Good(), misalign: 4)));
        Assert.Equal((VectorFileError.Truncated, 10), Outcome(OpenCopy(Good()[..10])));
        byte[] cut = Good();
        Assert.Equal((VectorFileError.Truncated, cut.Length - 8), Outcome(OpenCopy(cut[..^8])));

        byte[] magic = Good();
        magic[0] = (byte)'X';
        Assert.Equal((VectorFileError.BadMagic, 0), Outcome(OpenCopy(magic)));

        byte[] version = Good();
        BinaryPrimitives.WriteUInt32LittleEndian(version.AsSpan(VectorLayout.VersionOffset), 2);
        Assert.Equal((VectorFileError.BadVersion, VectorLayout.VersionOffset), Outcome(OpenCopy(version)));

        byte[] size = Good();
        BinaryPrimitives.WriteUInt32LittleEndian(size.AsSpan(VectorLayout.SizeOffset), (uint)size.Length - 4);
        Assert.Equal((VectorFileError.BadSize, VectorLayout.SizeOffset), Outcome(OpenCopy(size)));

        byte[] flipped = Good();
        flipped[^1] ^= 1;
        Assert.Equal((VectorFileError.BadChecksum, VectorLayout.ChecksumOffset), Outcome(OpenCopy(flipped)));

        // Damage that keeps the checksum right (as a writer with a bug would): the records.
        int first = VectorLayout.HeaderSize;
        byte[] record = Good();
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(first + VectorLayout.RecordSizeOffset), 4);
        Resum(record);
        Assert.Equal((VectorFileError.BadRecord, first), Outcome(OpenCopy(record)));

        byte[] field = Good();
        int fieldAt = first + VectorLayout.RecordHeaderSize;
        BinaryPrimitives.WriteUInt32LittleEndian(field.AsSpan(fieldAt + VectorLayout.FieldLengthOffset), 0xfffffff0);
        Resum(field);
        Assert.Equal((VectorFileError.BadField, fieldAt + VectorLayout.FieldLengthOffset), Outcome(OpenCopy(field)));

        byte[] reserved = Good();
        reserved[fieldAt + VectorLayout.FieldReservedOffset] = 1;
        Resum(reserved);
        Assert.Equal((VectorFileError.BadField, fieldAt + VectorLayout.FieldReservedOffset), Outcome(OpenCopy(reserved)));

        byte[] count = Good();
        BinaryPrimitives.WriteUInt32LittleEndian(count.AsSpan(VectorLayout.CountOffset), 1);
        Assert.Equal((VectorFileError.BadCount, VectorLayout.CountOffset), Outcome(OpenCopy(count)));
    }

    private static (VectorFileError, int) Outcome(VectorFileStatus status) => (status.Error, status.Offset);
}
