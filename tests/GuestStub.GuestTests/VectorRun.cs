using System;
using GuestStub.Guest;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Text;
using GuestStub.Vectors;

namespace GuestStub.GuestTests;

/// <summary>
/// Every embedded vector file, then the one at <c>guest-tests.extra</c> if given, each vector
/// through <see cref="VectorRunner"/> (the host suite's code): one line per file (name, vector
/// count, checksum: a test compares them with the files on disk), one line per failing vector,
/// and last <c>guest-tests: N passed, F failed</c>. A file the reader refuses counts as one failure.
/// </summary>
internal static unsafe class VectorRun
{
    private struct MetadataWords { public fixed ulong Words[VectorWorkspace.ScratchMetadataWords]; }
    private struct HeldPages { public fixed ulong Pages[VectorWorkspace.HeldPages]; }
    private struct BatchPages { public fixed ulong Pages[VectorWorkspace.BatchPages]; }

    // The checkers' workspace, in .bss (too big for the 64 KiB stack next to a checker's own buffers).
    private static MetadataWords s_metadata;
    private static HeldPages s_held;
    private static BatchPages s_batch;

    internal static void All(ref GuestConsole console, BootArguments arguments, in BootFacts facts)
    {
        var workspace = new VectorWorkspace(
            new Span<ulong>(System.Runtime.CompilerServices.Unsafe.AsPointer(ref s_metadata), VectorWorkspace.ScratchMetadataWords),
            new Span<ulong>(System.Runtime.CompilerServices.Unsafe.AsPointer(ref s_held), VectorWorkspace.HeldPages),
            new Span<ulong>(System.Runtime.CompilerServices.Unsafe.AsPointer(ref s_batch), VectorWorkspace.BatchPages));
        ulong passed = 0, failed = 0;
        for (int i = 0; EmbeddedFiles.TryGet(EmbeddedFiles.Vectors, i, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> data); i++)
            RunFile(ref console, name, data, ref workspace, ref passed, ref failed);

        if (arguments.TryGetValue("guest-tests.extra"u8, out ReadOnlySpan<byte> where))
        {
            if (TryExtraFile(where, facts, out ReadOnlySpan<byte> extra))
            {
                RunFile(ref console, "extra"u8, extra, ref workspace, ref passed, ref failed);
            }
            else
            {
                console.Write("guest-tests: FAIL guest-tests.extra="u8);
                console.Write(where);
                console.Write(": not a page-aligned hex address inside a RAM bank\n"u8);
                failed++;
            }
        }

        console.Write("guest-tests: "u8);
        TextFormat.Decimal(ref console, passed);
        console.Write(" passed, "u8);
        TextFormat.Decimal(ref console, failed);
        console.Write(" failed\n"u8);
    }

    private static void RunFile(ref GuestConsole console, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data,
        scoped ref VectorWorkspace workspace, ref ulong passed, ref ulong failed)
    {
        VectorFileStatus status = VectorFile.Open(data, out VectorFile file);
        if (!status.IsOk)
        {
            console.Write("guest-tests: FAIL file "u8);
            console.Write(name);
            console.Write(": "u8);
            status.Write(ref console);
            console.Write("\n"u8);
            failed++;
            return;
        }
        console.Write("guest-tests: "u8);
        console.Write(name);
        console.Write(": "u8);
        TextFormat.Decimal(ref console, (ulong)file.Count);
        console.Write(" vectors, checksum "u8);
        TextFormat.Hex(ref console, file.Checksum);
        console.Write("\n"u8);

        int position = 0;
        while (file.TryGetNext(ref position, out VectorRecord record))
        {
            TextBuffer detail = default;
            if (VectorRunner.Run(record, ref workspace, ref detail))
            {
                passed++;
                continue;
            }
            failed++;
            console.Write("guest-tests: FAIL "u8);
            console.Write(VectorSuiteText.Name(record.Suite));
            console.Write(" \""u8);
            console.Write(record.Name);
            console.Write("\": "u8);
            console.Write(TextBuffer.TextOf(ref detail));
            console.Write("\n"u8);
        }
    }

    /// <summary>The file at a hex address given on the command line, as far as its RAM bank (or
    /// the format's size limit) reaches: VectorFile.Open reads its size from its header.</summary>
    private static bool TryExtraFile(ReadOnlySpan<byte> text, scoped in BootFacts facts, out ReadOnlySpan<byte> data)
    {
        data = default;
        if (text.Length < 3 || text.Length > 18 || text[0] != (byte)'0' || text[1] != (byte)'x')
            return false;
        ulong address = 0;
        for (int i = 2; i < text.Length; i++)
        {
            byte c = text[i];
            ulong digit = c >= (byte)'0' && c <= (byte)'9' ? (ulong)(c - '0')
                : c >= (byte)'a' && c <= (byte)'f' ? (ulong)(c - 'a' + 10) : 16;
            if (digit == 16)
                return false;
            address = address << 4 | digit;
        }
        if (!PageSize.IsAligned(address))
            return false;
        for (int i = 0; i < facts.Memory.Count; i++)
        {
            PhysicalRange bank = facts.Memory[i];
            if (!bank.Contains(address))
                continue;
            ulong room = bank.End - address;
            int length = room < (ulong)VectorLayout.MaxFileSize ? (int)room : VectorLayout.MaxFileSize;
            data = new ReadOnlySpan<byte>((void*)address, length);
            return true;
        }
        return false;
    }
}
