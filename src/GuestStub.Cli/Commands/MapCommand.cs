using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Text;
using GuestStub.Cli.CommandLine;
using GuestStub.DeviceTree;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Report;
using GuestStub.Scratch;
using GuestStub.Simulation;
using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub map &lt;dtb&gt; --svg FILE [--clamp ADDR] [--chunks N]</c>: registers the
/// DTB's extended regions as the stub would (Core's <see cref="ExtendedRegionSet"/>), fills a
/// few scratch chunks (<see cref="ScratchPagePool{TBalloon}"/>), prints the report lines and
/// draws the guest-physical address space as an SVG (<see cref="AddressMapSvg"/>).
/// --clamp is the exclusive addressable limit (default 2^39, the stub's identity map).
/// </summary>
public sealed class MapCommand : Verb
{
    public override string Name => "map";
    public override string Synopsis => "map <dtb> --svg FILE [--clamp ADDR] [--chunks N]";
    public override string Summary => "draw RAM, regions, holes, clamp and scratch chunks as an SVG";

    private readonly Argument<string> _dtb = new("dtb") { Description = "a tree with a Xen hypervisor node" };
    private readonly Option<string> _svg = new("--svg") { Description = "the SVG file to write", HelpName = "FILE", Required = true };
    private readonly Option<ulong?> _clamp = PlanCommand.ClampOption();
    private readonly Option<ulong?> _chunks = CliValues.Unsigned("--chunks", "scratch chunks to fill and draw (default 4, at most 4096)");

    protected override void Define(Command command)
    {
        command.Arguments.Add(_dtb);
        command.Options.Add(_svg);
        command.Options.Add(_clamp);
        command.Options.Add(_chunks);
        _chunks.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<ulong?>() > 4096)
                result.AddError("--chunks: at most 4096");
        });
    }

    protected override int Execute(ParseResult parse, CliContext context)
    {
        TextWriter stdout = context.Out, stderr = context.Error;
        string path = parse.GetValue(_dtb)!;
        string svgPath = parse.GetValue(_svg)!;
        ulong clamp = parse.GetValue(_clamp) ?? Memory.AddressableRange.StubMappingLimit;
        ulong chunks = parse.GetValue(_chunks) ?? 4;

        byte[] blob = File.ReadAllBytes(path);
        DtbStatus status = BootDtb.Open(blob, default, out BootDtb dtb);
        if (!status.IsOk)
            return DtbCommand.Fail(stderr, Name, path, status);
        BootFacts facts = dtb.Facts;
        if (!facts.Hypervisor.Found)
        {
            stderr.WriteLine($"gueststub map: {path}: no Xen hypervisor node (compatible \"xen,xen\")");
            return ExitCodes.BadInput;
        }

        // Registration exactly as the boot pipeline does it, then --chunks chunks of the pool.
        ExtendedRegionSet.Register(facts, dtb.Environment(AddressableRange.BelowLimit(clamp)), out ExtendedRegionSet set);
        ulong chunkSize = ScratchPoolStage.ChunkSizeBytes;
        var metadata = new ulong[ScratchPageLayout.MetadataWords(chunkSize, (int)chunks)];
        ScratchPagePool<NoBalloon>.Create(set, metadata, chunkSize, default, out ScratchPagePool<NoBalloon> pool);
        pool.Fill(chunks * (ulong)pool.Layout.PagesPerChunk);

        // The report lines the guest prints for the same registration and pool.
        var sink = new WriterSink(stdout);
        ExtendedRegionReport.Lines(ref sink, set);
        for (int i = 0; i < pool.ChunkCount; i++)
            ReportLine.Range(ref sink, "scratch.chunk"u8, pool.Chunk(i));
        ReportLine.Decimal(ref sink, "scratch.pages.free"u8, pool.FreePageCount);
        ReportLine.Decimal(ref sink, "scratch.pages.used"u8, pool.UsedPageCount);

        var map = new AddressMap { Title = Path.GetFileName(path), Clamp = clamp };
        for (int i = 0; i < facts.Memory.Count; i++)
            map.Add(AddressMap.Lane.Ram, facts.Memory[i], "RAM");
        for (int i = 0; i < facts.Reserved.Count; i++)
            map.Add(AddressMap.Lane.Reserved, facts.Reserved[i], "reserved");
        map.Add(AddressMap.Lane.Grant, set.GrantRegion, "region 0 (grant table)");
        for (int i = 0; i < set.RegionCount; i++)
        {
            set.GetRegion(i, out ulong start, out ulong size);
            if (!PhysicalRange.TryCreate(start, size, out PhysicalRange region))
                continue;
            RegionRejection why = set.Rejection(i);
            string label = $"region {ExtendedRegionSet.RegionNumber(i)}";
            map.Add(AddressMap.Lane.Extended, region, why == RegionRejection.None ? label : $"{label} rejected: {HostText.Ascii(ExtendedRegionText.Name(why))}",
                rejected: why != RegionRejection.None);
        }
        for (int i = 0; i < set.Holes.Count; i++)
            map.Add(AddressMap.Lane.Hole, set.Holes[i], "hole");
        for (int i = 0; i < pool.ChunkCount; i++)
            map.Add(AddressMap.Lane.Scratch, pool.Chunk(i), $"chunk {i}");
        map.Note = set.HasResource
            ? $"target resource {HostText.Range(set.Resource)}; {pool.ChunkCount} scratch chunks of {HostText.Size(chunkSize)} filled"
            : $"no target resource ({HostText.Ascii(ExtendedRegionText.Name(set.Status))}): scratch pages would be ballooned RAM";

        File.WriteAllText(svgPath, AddressMapSvg.Render(map));
        return ExitCodes.Ok;
    }

    /// <summary>The map draws only the extended-region path; the fallback has nothing to draw.</summary>
    private struct NoBalloon : IBalloonSource
    {
        public ScratchStatus TakePage(out ulong address)
        {
            address = 0;
            return ScratchStatus.BalloonEmpty;
        }

        public ScratchStatus ReturnPage(ulong address) => ScratchStatus.NotScratchPage;

        public int PagesOut => 0;

        public XenFailure LastFailure => XenFailure.None;
    }

    private readonly struct WriterSink(TextWriter writer) : ITextSink
    {
        public void Write(ReadOnlySpan<byte> text) => writer.Write(Encoding.ASCII.GetString(text));
    }
}
