using System;
using System.IO;
using System.Text;
using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Simulation;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub dtb &lt;file&gt;</c>: validates a DTB the way the stub does at boot, prints the
/// tree as <c>dtc -I dtb -O dts</c> would, then the boot facts the stub would take from it (as
/// <c>//</c> comments, so the output is still device-tree source). A blob that fails
/// validation gives one line on stderr naming the cause and byte offset, and exit code 1.
/// </summary>
public sealed class DtbCommand : ICommand
{
    public string Name => "dtb";
    public string Usage => "dtb <file> [--dtb-address ADDR] [--image-base ADDR --image-size N]";
    public string Summary => "validate a DTB, print its tree and the boot facts";

    private static readonly string[] ValueOptions = { "--dtb-address", "--image-base", "--image-size" };

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        Arguments arguments = Arguments.Parse(args, ValueOptions, Array.Empty<string>());
        string path = arguments.RequirePositional(0, "DTB file");
        arguments.RequireAtMostPositionals(1);
        ulong dtbAddress = arguments.UnsignedValue("--dtb-address") ?? 0;
        ulong imageBase = arguments.UnsignedValue("--image-base") ?? 0;
        ulong imageSize = arguments.UnsignedValue("--image-size") ?? 0;

        // The DTB is reserved only where its load address is known.
        if (!PhysicalRange.TryCreate(imageBase, imageSize, out PhysicalRange image))
            throw new UsageException("--image-base/--image-size: the image would pass 2^64");
        byte[] blob = File.ReadAllBytes(path);
        var placement = new DtbPlacement(arguments.Has("--dtb-address"), dtbAddress, image, false, default);
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
