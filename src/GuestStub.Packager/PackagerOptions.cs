using System;
using System.Collections.Generic;
using System.Globalization;

namespace GuestStub.Packager;

/// <summary>The command line: where to read and write, the version to record, the IL assemblies, the
/// budget, and the image's name in the reports (out/NAME.img: "guest", or "guest-tests" for the test image).</summary>
public sealed record PackagerOptions(
    string Input,
    string ElfOutput,
    string ImageOutput,
    string SizeReportOutput,
    string Version,
    IReadOnlyList<string> Assemblies,
    ulong? BudgetBytes,
    string Name = PackagerOptions.DefaultName)
{
    public const string DefaultName = "guest";

    public const string Usage =
        "usage: GuestStub.Packager --input LINKED.elf --elf OUT.elf --image OUT.img --size-report OUT.txt\n" +
        "                          --version VERSION [--assembly IL.dll]... [--budget BYTES] [--name NAME]";

    private static readonly string[] Options = { "--input", "--elf", "--image", "--size-report", "--version", "--assembly", "--budget", "--name" };

    /// <summary>Parses the arguments; on a mistake returns null and says why in <paramref name="error"/>.</summary>
    public static PackagerOptions? Parse(string[] args, out string error)
    {
        string? input = null, elf = null, image = null, report = null, version = null;
        string imageName = DefaultName;
        ulong? budget = null;
        var assemblies = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (Array.IndexOf(Options, name) < 0)
            {
                error = $"unknown option '{name}'";
                return null;
            }
            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value";
                return null;
            }
            string value = args[++i];
            switch (name)
            {
                case "--input": input = value; break;
                case "--elf": elf = value; break;
                case "--image": image = value; break;
                case "--size-report": report = value; break;
                case "--version": version = value; break;
                case "--assembly": assemblies.Add(value); break;
                case "--name": imageName = value; break;
                case "--budget":
                    if (!ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong b))
                    {
                        error = $"--budget must be a number of bytes, not '{value}'";
                        return null;
                    }
                    budget = b;
                    break;
            }
        }
        if (input is null || elf is null || image is null || report is null || version is null)
        {
            error = "--input, --elf, --image, --size-report and --version are required";
            return null;
        }
        error = "";
        return new PackagerOptions(input, elf, image, report, version, assemblies, budget, imageName);
    }
}
