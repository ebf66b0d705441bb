using System;
using System.Collections.Concurrent;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using GuestStub.Tests.TestSupport;
using GuestStub.Text;
using GuestStub.Vectors;
using Xunit;

namespace GuestStub.Tests.Vectors;

/// <summary>
/// The vector files of tests/vectors on the host: loaded once into native memory (8-byte aligned,
/// never moved, as the guest image holds them), listed for xunit theories, and each vector run
/// through the same <see cref="VectorRunner"/> the guest test image runs.
/// </summary>
public static unsafe class HostVectors
{
    private static readonly ConcurrentDictionary<string, (IntPtr Data, int Length)> Loaded = new();

    public static string Directory => Path.Combine(RepoPaths.Root, "tests", "vectors");

    /// <summary>The bytes of a vector file, in memory that stays put for the whole run.</summary>
    public static ReadOnlySpan<byte> Bytes(string fileName)
    {
        (IntPtr data, int length) = Loaded.GetOrAdd(fileName, name =>
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(Directory, name));
            void* memory = NativeMemory.AlignedAlloc((nuint)Math.Max(bytes.Length, 1), 8);
            bytes.CopyTo(new Span<byte>(memory, bytes.Length));
            return ((IntPtr)memory, bytes.Length);
        });
        return new ReadOnlySpan<byte>((void*)data, length);
    }

    public static VectorFile Open(string fileName)
    {
        VectorFileStatus status = VectorFile.Open(Bytes(fileName), out VectorFile file);
        if (!status.IsOk)
        {
            var text = new StringSink();
            status.Write(ref text);
            Assert.Fail($"tests/vectors/{fileName}: {text}");
        }
        return file;
    }

    /// <summary>The names of a file's vectors, for [MemberData].</summary>
    public static TheoryData<string> Names(string fileName)
    {
        var data = new TheoryData<string>();
        VectorFile file = Open(fileName);
        int position = 0;
        while (file.TryGetNext(ref position, out VectorRecord record))
            data.Add(Encoding.ASCII.GetString(record.Name));
        return data;
    }

    /// <summary>Runs the vector <paramref name="name"/> of <paramref name="fileName"/> and fails
    /// with the checker's own words (the line the guest would print) when it does not pass.</summary>
    public static void Run(string fileName, string name)
    {
        VectorFile file = Open(fileName);
        int position = 0;
        byte[] wanted = Encoding.ASCII.GetBytes(name);
        while (file.TryGetNext(ref position, out VectorRecord record))
        {
            if (!record.Name.SequenceEqual(wanted))
                continue;
            var workspace = new VectorWorkspace(new ulong[VectorWorkspace.ScratchMetadataWords],
                new ulong[VectorWorkspace.HeldPages], new ulong[VectorWorkspace.BatchPages]);
            var detail = new StringSink();
            bool passed = VectorRunner.Run(record, ref workspace, ref detail);
            Assert.True(passed, $"{Encoding.ASCII.GetString(VectorSuiteText.Name(record.Suite))} \"{name}\": {detail}");
            return;
        }
        Assert.Fail($"tests/vectors/{fileName} has no vector named \"{name}\"");
    }

    /// <summary>Text collected on the host.</summary>
    public struct StringSink : ITextSink
    {
        private StringBuilder? _text;

        public void Write(ReadOnlySpan<byte> text) => (_text ??= new StringBuilder()).Append(Encoding.ASCII.GetString(text));

        public override readonly string ToString() => _text?.ToString() ?? "";
    }
}
