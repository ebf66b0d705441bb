using System;
using System.Collections.Generic;
using System.IO;
using LibObjectFile.Diagnostics;
using LibObjectFile.Elf;

namespace GuestStub.ElfInputChecks;

/// <summary>What <see cref="ElfInput.Read"/> made of some bytes: LibObjectFile's model, or why not.</summary>
public sealed class ElfInputResult
{
    /// <summary>The file as LibObjectFile read it; null when <see cref="Errors"/> is not empty.</summary>
    public ElfFile? File { get; init; }

    /// <summary>The bytes read, which segment and section offsets refer to.</summary>
    public required byte[] Bytes { get; init; }

    public IReadOnlyList<ElfFieldError> Errors { get; init; } = Array.Empty<ElfFieldError>();
}

/// <summary>
/// Reads ELF bytes that may be malformed into LibObjectFile's <see cref="ElfFile"/>.
/// <para>Why: LibObjectFile 2.3.1 trusts the offsets and sizes it reads. On corrupted copies of
/// small real files, about one in seven made its reader throw (ArgumentOutOfRange, EndOfStream,
/// IOException), a few ran it out of memory or into a loop, and its diagnostics name neither field
/// nor offset. So the read is done twice. The first pass lets LibObjectFile decode only the ELF
/// header and the two header tables (<see cref="UnreadSection"/>, over an <see cref="ElfInputView"/>
/// that never fails), and <see cref="ElfTableChecks"/> checks every offset, size, entry size and
/// link in that model against the file. Only a file that passes is read again in full, and
/// <see cref="ElfContentChecks"/> checks the symbol and relocation entries LibObjectFile then
/// decoded. Whatever LibObjectFile still throws or reports as an error becomes an error located at
/// the record it was reading (<see cref="ElfFailureLocation"/>).</para>
/// </summary>
public static class ElfInput
{
    public static ElfInputResult Read(byte[] bytes)
    {
        var errors = new List<ElfFieldError>();
        ElfFile? headers = ReadHeaders(bytes, errors, out DiagnosticBag? headerDiagnostics);
        if (headers is null || errors.Count > 0)
            return new ElfInputResult { Bytes = bytes, Errors = errors };

        ElfTableChecks.Check(headers, bytes, errors);
        if (errors.Count == 0 && headerDiagnostics is not null)
            foreach (DiagnosticMessage m in headerDiagnostics.Messages)
                if (m.Kind == DiagnosticKind.Error && m.Id is DiagnosticId.ELF_ERR_InvalidSectionEntrySize or DiagnosticId.ELF_ERR_InvalidFirstSectionExpectingUndefined or DiagnosticId.ELF_ERR_InvalidProgramHeaderSize)
                    errors.Add(ElfFailureLocation.FromDiagnostic(headers, m));
        if (errors.Count > 0)
            return new ElfInputResult { Bytes = bytes, Errors = errors };

        ElfFile? file = ReadAll(bytes, headers, errors, out List<ElfFieldError> reported);
        if (file is not null && errors.Count == 0)
            ElfContentChecks.Check(file, headers, errors);
        // LibObjectFile's own errors, placed less precisely, only where no check above found the cause.
        if (errors.Count == 0)
            errors.AddRange(reported);
        return errors.Count > 0
            ? new ElfInputResult { Bytes = bytes, Errors = errors }
            : new ElfInputResult { Bytes = bytes, File = file };
    }

    /// <summary>The first pass: header and tables only, section contents left unread.</summary>
    private static ElfFile? ReadHeaders(byte[] bytes, List<ElfFieldError> errors, out DiagnosticBag? diagnostics)
    {
        diagnostics = null;
        if (bytes.Length < ElfNative.EI_NIDENT || bytes[ElfNative.EI_MAG0] != ElfNative.ELFMAG0 || bytes[ElfNative.EI_MAG1] != ElfNative.ELFMAG1
            || bytes[ElfNative.EI_MAG2] != ElfNative.ELFMAG2 || bytes[ElfNative.EI_MAG3] != ElfNative.ELFMAG3)
        {
            errors.Add(new ElfFieldError("e_ident", 0, bytes.Length < ElfNative.EI_NIDENT
                ? $"the file is {bytes.Length} bytes, shorter than e_ident ({ElfNative.EI_NIDENT})"
                : "no ELF magic (\\x7fELF): not an ELF file"));
            return null;
        }
        var view = new ElfInputView(bytes, zerosPastEnd: true);
        var options = new ElfReaderOptions
        {
            UseSubStream = true,
            TryCreateSection = (type, _) => type == ElfSectionType.Null ? null! : new UnreadSection(type),
        };
        ElfFile? file = null;
        try
        {
            ElfFile.TryRead(view, out file, out diagnostics, options);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException or OverflowException or IndexOutOfRangeException or OutOfMemoryException)
        {
            // The table checks on what was read so far name the cause better than the exception.
            if (file is not null)
                ElfTableChecks.CheckHeader(file, (ulong)bytes.Length, errors);
            if (errors.Count == 0)
                errors.Add(ElfFailureLocation.Locate(file, view.LastReadOffset, e.Message));
            return null;
        }
        return file;
    }

    /// <summary>The second pass: LibObjectFile reads everything, on a file whose tables passed.</summary>
    private static ElfFile? ReadAll(byte[] bytes, ElfFile headers, List<ElfFieldError> errors, out List<ElfFieldError> reported)
    {
        reported = new List<ElfFieldError>();
        var view = new ElfInputView(bytes, zerosPastEnd: false);
        ElfFile? file = null;
        DiagnosticBag? diagnostics = null;
        try
        {
            ElfFile.TryRead(view, out file, out diagnostics, new ElfReaderOptions());
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException or OverflowException or IndexOutOfRangeException or OutOfMemoryException)
        {
            errors.Add(ElfFailureLocation.Locate(headers, view.LastReadOffset, e.Message));
            return null;
        }
        if (diagnostics is not null)
            foreach (DiagnosticMessage m in diagnostics.Messages)
                if (m.Kind == DiagnosticKind.Error)
                    reported.Add(ElfFailureLocation.FromDiagnostic(headers, m));
        return file;
    }
}
