using System;
using System.CommandLine;
using System.IO;
using System.Text;
using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Cli.CommandLine;
using GuestStub.Simulation;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub dtb &lt;file&gt;</c>: validates a DTB the way the stub does at boot, prints the
/// tree as <c>dtc -I dtb -O dts</c> would, then the boot facts the stub would take from it (as
/// <c>//</c> comments, so the output is still device-tree source). A blob that fails
/// validation gives one line on stderr naming the cause and byte offset, and exit code 1.
/// </summary>
public sealed class DtbCommand : Verb
{
    public override string Name => "dtb";
    public override string Synopsis => "dtb <file> [--dtb-address ADDR] [--image-base ADDR --image-size N]";
    public override string Summary => "validate a DTB, print its tree and the boot facts";

    private readonly Argument<string> _file = new("file") { Description = "the DTB to read" };
    private readonly Option<ulong?> _dtbAddress = CliValues.Unsigned("--dtb-address", "where the guest found the tree (reserved in the boot facts)", "ADDR");
    private readonly Option<ulong?> _imageBase = CliValues.Unsigned("--image-base", "where the stub image was loaded", "ADDR");
    private readonly Option<ulong?> _imageSize = CliValues.Unsigned("--image-size", "the stub image's size in memory", "N");

    protected override void Define(Command command)
    {
        command.Arguments.Add(_file);
        command.Options.Add(_dtbAddress);
        command.Options.Add(_imageBase);
        command.Options.Add(_imageSize);
    }

    protected override int Execute(ParseResult parse, CliContext context)
    {
        TextWriter stdout = context.Out, stderr = context.Error;
        string path = parse.GetValue(_file)!;
        ulong dtbAddress = parse.GetValue(_dtbAddress) ?? 0;
        ulong imageBase = parse.GetValue(_imageBase) ?? 0;
        ulong imageSize = parse.GetValue(_imageSize) ?? 0;

        // The DTB is reserved only where its load address is known.
        if (!PhysicalRange.TryCreate(imageBase, imageSize, out PhysicalRange image))
            throw new UsageException("--image-base/--image-size: the image would pass 2^64");
        byte[] blob = File.ReadAllBytes(path);
        var placement = new DtbPlacement(parse.GetValue(_dtbAddress) is not null, dtbAddress, image, false, default);
        DtbStatus status = BootDtb.Open(blob, placement, out BootDtb dtb);
        if (!status.IsOk)
            return Fail(stderr, Name, path, status);
        Dtb tree = dtb.Tree;
        BootFacts facts = dtb.Facts;

        var text = new StringWriter { NewLine = "\n" };
        DtsWriter.Write(tree, text);
        text.Write('\n');
        BootFactsWriter.Write(tree, facts, text);
        stdout.Write(text.ToString());
        return ExitCodes.Ok;
    }

    /// <summary>The one line for a DTB that fails validation, in the guest's wording (cause and
    /// byte offset), and exit code 1.</summary>
    internal static int Fail(TextWriter stderr, string command, string path, DtbStatus status)
    {
        stderr.WriteLine($"gueststub {command}: {path}: {HostText.Dtb(status)}");
        return ExitCodes.BadInput;
    }
}
