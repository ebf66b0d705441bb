using System;
using System.Collections.Generic;
using System.Linq;
using GuestStub.ElfInputChecks;
using LibObjectFile.Diagnostics;
using LibObjectFile.Elf;

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
/// The packaging pipeline, from ld.lld's output to out/guest.elf and out/guest.img: read the ELF
/// with LibObjectFile through <see cref="ElfInput"/> (which names the field and offset of anything
/// malformed) and verify it; move the gdb-only unwind tables out of the load; run the boot checks
/// on what will be packaged; flatten the PT_LOAD segments into the Image; add the build-id and
/// version notes; write the ELF with LibObjectFile and read it back as a last check.
/// </summary>
public static class Packager
{
    public static PackageResult Package(byte[] linked, string version, ManagedTypeNames types, ulong? budgetBytes = null)
    {
        ElfInputResult input = ElfInput.Read(linked);
        if (input.File is not { } file)
            return Refuse(input.Errors.Select(e => new Refusal(RefusalCode.MalformedElf, e.ToString())));

        var refusals = BootChecks.CheckIdentity(file).ToList();
        refusals.AddRange(VerifyErrors(file));
        if (refusals.Count > 0)
            return Refuse(refusals);

        var unloaded = new List<ElfSection>();
        refusals.AddRange(UnloadedSections.Apply(file, UnloadedSections.Names, unloaded));
        refusals.AddRange(BootChecks.Check(file, linked));
        if (refusals.Count > 0)
            return Refuse(refusals);

        var layout = ImageLayout.Of(file);
        byte[] image = FlatImage.Build(layout, linked);
        byte[] buildId = GuestNotes.ComputeBuildId(file, layout.Loads, linked);
        GuestNotes.Add(file, buildId, version);
        // LibObjectFile checks more when it writes than Verify() does (a LOCAL symbol after a
        // non-local one, found by ./build.sh fuzz elf): what it refuses to write is refused here.
        var output = new System.IO.MemoryStream();
        if (!file.TryWrite(output, out DiagnosticBag writeErrors))
        {
            var cannot = writeErrors.Messages.Where(m => m.Kind == DiagnosticKind.Error)
                .Select(m => new Refusal(RefusalCode.MalformedElf, $"LibObjectFile cannot write it: {m.Message} ({m.Id})")).ToList();
            return Refuse(cannot.Count > 0 ? cannot : new[] { new Refusal(RefusalCode.MalformedElf, "LibObjectFile cannot write it (no reason given)") });
        }
        byte[] elf = output.ToArray();

        // Last check: the written file reads back without errors and flattens to the same Image.
        ElfInputResult back = ElfInput.Read(elf);
        if (back.File is not { } written || VerifyErrors(written).Any())
            throw new InvalidOperationException("the packaged ELF does not read back: " + string.Join("; ", back.Errors));
        if (!FlatImage.Build(ImageLayout.Of(written), elf).AsSpan().SequenceEqual(image))
            throw new InvalidOperationException("the packaged ELF does not flatten to the Image built from its input");

        return new PackageResult
        {
            Elf = elf,
            Image = image,
            BuildId = buildId,
            Unloaded = unloaded.Select(s => s.Name.Value ?? "").ToList(),
            Report = SizeReport.Build(written, ImageLayout.Of(written), image, types, buildId, version, budgetBytes),
        };
    }

    private static PackageResult Refuse(IEnumerable<Refusal> refusals) => new() { Refusals = refusals.ToList() };

    /// <summary>What LibObjectFile's own <c>Verify()</c> finds wrong with the model (links, section and segment consistency).</summary>
    private static IEnumerable<Refusal> VerifyErrors(ElfFile file)
    {
        foreach (DiagnosticMessage m in file.Verify().Messages)
            if (m.Kind == DiagnosticKind.Error)
                yield return new Refusal(RefusalCode.MalformedElf, $"LibObjectFile Verify: {m.Message} ({m.Id})");
    }
}
