using System;
using System.Collections.Generic;
using System.Linq;
using GuestStub.Elf;

namespace GuestStub.Packager;

/// <summary>What packaging produced: the final ELF and Image with their report, or the refusals.</summary>
public sealed class PackageResult
{
    public IReadOnlyList<Refusal> Refusals { get; init; } = Array.Empty<Refusal>();
    public byte[] Elf { get; init; } = Array.Empty<byte>();
    public byte[] Image { get; init; } = Array.Empty<byte>();
    public byte[] BuildId { get; init; } = Array.Empty<byte>();
    public SizeReport? Report { get; init; }
    /// <summary>Sections moved out of the load (kept in the ELF).</summary>
    public IReadOnlyList<string> Unloaded { get; init; } = Array.Empty<string>();
    public bool Refused => Refusals.Count > 0;
}

/// <summary>
/// The packaging pipeline, from ld.lld's output to out/guest.elf and out/guest.img:
/// read and verify the ELF; move the gdb-only unwind tables out of the load; run the boot checks
/// on what will be packaged; flatten the PT_LOAD segments into the Image; add the build-id and
/// version notes; write the ELF and read it back as a last check.
/// </summary>
public static class Packager
{
    public static PackageResult Package(byte[] linked, string version, ManagedTypeNames types, ulong? budgetBytes = null)
    {
        ElfFile? file = ElfFile.Read(linked, out IReadOnlyList<ElfDiagnostic> readDiagnostics);
        if (file is null)
            return Refuse(readDiagnostics.Where(d => d.Severity == ElfSeverity.Error)
                .Select(d => new Refusal(RefusalCode.UnreadableElf, d.ToString()))
                .DefaultIfEmpty(new Refusal(RefusalCode.UnreadableElf, "not an ELF file")));

        // Read also reports what Verify finds; those are Verify's, the rest are reading problems.
        List<ElfDiagnostic> verifyErrors = file.Verify().Where(d => d.Severity == ElfSeverity.Error).ToList();
        var refusals = readDiagnostics
            .Where(d => d.Severity == ElfSeverity.Error && !verifyErrors.Any(v => v.Code == d.Code && v.Field == d.Field))
            .Select(d => new Refusal(RefusalCode.UnreadableElf, d.ToString())).ToList();
        refusals.AddRange(BootChecks.CheckIdentity(file));
        refusals.AddRange(verifyErrors.Select(d => new Refusal(RefusalCode.VerifyError, d.ToString())));
        if (refusals.Count > 0)
            return Refuse(refusals);

        ulong readTableEnd = file.Header.ProgramHeaderOffset + (ulong)file.Segments.Count * file.Header.ProgramHeaderEntrySize;
        var unloaded = new List<ElfSection>();
        refusals.AddRange(UnloadedSections.Apply(file, UnloadedSections.Names, unloaded));
        refusals.AddRange(BootChecks.Check(file, linked));
        if (refusals.Count > 0)
            return Refuse(refusals);

        var layout = ImageLayout.Of(file);
        byte[] image = FlatImage.Build(layout, linked);
        byte[] buildId = GuestNotes.ComputeBuildId(file, layout.Loads, linked);
        GuestNotes.Add(file, buildId, version);
        byte[] elf = WriteClean(file, readTableEnd);

        // Last check: the written file reads back without errors and flattens to the same Image.
        if (!ElfFile.TryRead(elf, out ElfFile? written, out IReadOnlyList<ElfDiagnostic> back) || written.Verify().Any(d => d.Severity == ElfSeverity.Error))
            throw new InvalidOperationException("the packaged ELF does not read back: " + string.Join("; ", back.Concat(written?.Verify() ?? Array.Empty<ElfDiagnostic>())));
        if (!FlatImage.Build(ImageLayout.Of(written), elf).AsSpan().SequenceEqual(image))
            throw new InvalidOperationException("the packaged ELF does not flatten to the Image built from its input");

        return new PackageResult
        {
            Elf = elf,
            Image = image,
            BuildId = buildId,
            Unloaded = unloaded.Select(s => s.Name).ToList(),
            Report = SizeReport.Build(written, ImageLayout.Of(written), image, types, buildId, version, budgetBytes),
        };
    }

    private static PackageResult Refuse(IEnumerable<Refusal> refusals) => new() { Refusals = refusals.ToList() };

    /// <summary>
    /// Writes the file; program headers dropped from the table leave their old entries behind as
    /// bytes no header describes, so those are cleared.
    /// </summary>
    private static byte[] WriteClean(ElfFile file, ulong readTableEnd)
    {
        byte[] elf = file.Write();
        ulong newEnd = file.Header.ProgramHeaderOffset + (ulong)file.Segments.Count * file.Header.ProgramHeaderEntrySize;
        ulong oldEnd = readTableEnd;
        if (oldEnd > newEnd && oldEnd <= (ulong)elf.Length)
            elf.AsSpan((int)newEnd, (int)(oldEnd - newEnd)).Clear();
        return elf;
    }
}
