using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using GuestStub.Launch.Domains;

namespace GuestStub.Launch.ImageBuilder;

/// <summary>
/// A config file in ImageBuilder's vocabulary (its README, "scripts/uboot-script-gen"; the
/// config Xen's CI writes in automation/scripts/qemu-smoke-dom0less-arm64.sh): the variables'
/// names and meanings, with ImageBuilder's defaults. ImageBuilder sources the file with bash;
/// here only plain assignments are read (<c>NAME=value</c>, <c>NAME[i]=value</c>, the value bare,
/// in double quotes without <c>$</c>, <c>`</c> or <c>\</c>, or in single quotes), a later one
/// overriding an earlier one as in bash. A variable that is not ImageBuilder's, one of
/// ImageBuilder's that this boot cannot honour, or a bad value is an error naming the file, the
/// line and the variable; a ramdisk (the stub needs none) and an entry past <c>NUM_DOMUS</c>
/// (ImageBuilder ignores it) are warnings.
/// </summary>
public sealed partial record ImageBuilderConfig
{
    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)(?:\[([0-9]+)\])?=(.*)$")]
    private static partial Regex Assignment();

    /// <summary>ImageBuilder's default <c>DOM0_MEM</c> (MiB) and <c>DOM0_VCPUS</c>, used in its
    /// default <c>XEN_CMD</c>.</summary>
    public const int DefaultDom0MemoryMiB = 1024;

    /// <summary>The file read.</summary>
    public required string Path { get; init; }

    /// <summary><c>MEMORY_START</c>, <c>MEMORY_END</c>: the RAM ImageBuilder may load into
    /// (Xen's CI: 0x40000000..0x50000000 of a 2 GiB machine).</summary>
    public ulong MemoryStart { get; init; }

    public ulong MemoryEnd { get; init; }

    /// <summary><c>DEVICE_TREE</c>: the host tree to edit, or null (or the word <c>qemu</c>):
    /// QEMU's own, dumped, with the pl061 disabled as Xen's CI does.</summary>
    public string? DeviceTree { get; init; }

    /// <summary><c>XEN</c>: Xen's Image, or a release (<c>4.17</c>, <c>4.20</c>) as <c>--xen</c> takes.</summary>
    public string? Xen { get; init; }

    /// <summary><c>XEN_CMD</c>: Xen's command line, used exactly; null for ImageBuilder's default.</summary>
    public string? XenCommandLine { get; init; }

    /// <summary><c>DOM0_KERNEL</c>: dom0's kernel; null for a dom0less boot without dom0.</summary>
    public string? Dom0Kernel { get; init; }

    /// <summary><c>DOM0_CMD</c>: dom0's command line (its module's bootargs), or null.</summary>
    public string? Dom0CommandLine { get; init; }

    /// <summary><c>DOM0_MEM</c> (MiB) and <c>DOM0_VCPUS</c>: in ImageBuilder's default
    /// <c>XEN_CMD</c> only.</summary>
    public ulong? Dom0MemoryMiB { get; init; }

    public int? Dom0Vcpus { get; init; }

    /// <summary><c>NUM_DOMUS</c> domUs, <c>DOMU_*[0..NUM_DOMUS-1]</c>.</summary>
    public IReadOnlyList<ImageBuilderDomU> DomUs { get; init; } = Array.Empty<ImageBuilderDomU>();

    /// <summary><c>LOAD_CMD</c>: U-Boot's load command (only <c>tftpb</c> here).</summary>
    public string LoadCommand { get; init; } = "tftpb";

    /// <summary><c>UBOOT_SOURCE</c>, <c>UBOOT_SCRIPT</c>: the script's file names.</summary>
    public string UBootSource { get; init; } = "boot.source";

    public string UBootScript { get; init; } = "boot.scr";

    /// <summary><c>APPEND_EXTRA_CMDS</c>: a file of U-Boot commands added before the boot command, or null.</summary>
    public string? AppendExtraCommands { get; init; }

    /// <summary>What was read but ignored, one sentence each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    /// <summary>Where each variable was set (<c>NAME</c> or <c>NAME[i]</c>) : its line.</summary>
    public IReadOnlyDictionary<string, int> Lines { get; init; } = new Dictionary<string, int>();

    /// <summary>"FILE:LINE: NAME" for a message about a variable.</summary>
    public string Where(string variable) =>
        Lines.TryGetValue(variable, out int line) ? $"{Path}:{line.ToString(CultureInfo.InvariantCulture)}: {variable}" : $"{Path}: {variable}";

    /// <summary>A path the config names, relative to the config's directory (ImageBuilder's
    /// <c>-d</c> directory), as an absolute path.</summary>
    public string Resolve(string file) =>
        System.IO.Path.GetFullPath(file, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);

    /// <summary>The variables read here.</summary>
    /// <summary>Indices at or past this are refused: far past NUM_DOMUS's bound, whatever it is.</summary>
    private const int MaxIndex = 1000;

    private static readonly string[] Scalars =
    {
        "MEMORY_START", "MEMORY_END", "DEVICE_TREE", "XEN", "XEN_CMD", "DOM0_KERNEL", "DOM0_CMD", "DOM0_MEM",
        "DOM0_VCPUS", "NUM_DOMUS", "LOAD_CMD", "BOOT_CMD", "UBOOT_SOURCE", "UBOOT_SCRIPT", "APPEND_EXTRA_CMDS",
    };

    private static readonly string[] Arrays =
    {
        "DOMU_KERNEL", "DOMU_CMD", "DOMU_MEM", "DOMU_VCPUS", "DOMU_ENHANCED", "DOMU_STATIC_MEM", "DOMU_DIRECT_MAP",
        "DOMU_SHARED_MEM", "DOMU_STATIC_EVTCHNS",
    };

    /// <summary>Ramdisks: a Linux rootfs; the stub needs none, so they are read and ignored.</summary>
    private static readonly string[] Ramdisks = { "DOM0_RAMDISK", "DOMU_RAMDISK" };

    /// <summary>ImageBuilder's other variables (its README): known, but not honoured by this boot.</summary>
    private static readonly string[] NotHonoured =
    {
        "DOM0_ROOTFS", "DOM0_COLORS", "DOM0_STATIC_MEM", "XEN_COLORS", "XEN_STATIC_HEAP", "XEN_PASSTHROUGH_PATHS",
        "PASSTHROUGH_DTS_REPO", "LOPPER_PATH", "LOPPER_CMD", "NUM_DT_OVERLAY", "DT_OVERLAY", "DOMU_ROOTFS",
        "DOMU_PASSTHROUGH_PATHS", "DOMU_PASSTHROUGH_DTB", "DOMU_NOBOOT", "DOMU_COLORS", "DOMU_CPUPOOL",
        "DOMU_DRIVER_DOMAIN", "DOMU_VCPU_HARD_AFFINITY", "NUM_CPUPOOLS", "CPUPOOL", "LINUX", "LINUX_CMD",
        "LINUX_RAMDISK", "BITSTREAM", "NUM_BOOT_AUX_FILE", "BOOT_AUX_FILE", "FDTEDIT", "FIT", "FIT_ENC_KEY_DIR",
        "FIT_ENC_UB_DTB", "EFI", "UBOOT_ADDR",
    };

    /// <summary>Reads a config file.</summary>
    public static ImageBuilderConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new LaunchException($"no such ImageBuilder config: {path}");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads a config's text; <paramref name="path"/> names it in messages and is where
    /// the files it names are looked for. Every error found is in the one exception.</summary>
    public static ImageBuilderConfig Parse(string text, string path)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        string[] lines = text.Split('\n');
        for (int n = 1; n <= lines.Length; n++)
        {
            string line = lines[n - 1].Trim().TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
                continue;
            string where = $"{path}:{n.ToString(CultureInfo.InvariantCulture)}";
            Match m = Assignment().Match(line);
            if (!m.Success)
            {
                errors.Add($"{where}: not an assignment NAME=value or NAME[i]=value (ImageBuilder's config is read, not run by a shell): {line}");
                continue;
            }
            string name = m.Groups[1].Value;
            bool indexed = m.Groups[2].Success;
            // An index past any domU there can be is named, not parsed into an overflow.
            if (indexed && (!int.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int at) || at >= MaxIndex))
            {
                errors.Add($"{where}: {name}[{m.Groups[2].Value}]: index out of range (domUs are 0..{(ModuleAddresses.MaxDomUs - 1).ToString(CultureInfo.InvariantCulture)})");
                continue;
            }
            string variable = indexed ? $"{name}[{int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)}]" : name;
            if (!Known(name, indexed, where, variable, errors, warnings))
                continue;
            if (Value(m.Groups[3].Value, out string value) is string problem)
            {
                errors.Add($"{where}: {variable}: {problem}");
                continue;
            }
            values[variable] = (value, n);
        }

        var reader = new Reader(path, values, errors);
        int numDomUs = (int)reader.Number("NUM_DOMUS", 0, 0, ModuleAddresses.MaxDomUs);
        var domUs = new List<ImageBuilderDomU>();
        for (int i = 0; i < numDomUs; i++)
            domUs.Add(reader.DomU(i));
        foreach (string variable in values.Keys.Where(k => k.Contains('[', StringComparison.Ordinal)).OrderBy(k => values[k].Line))
        {
            int index = int.Parse(variable[(variable.IndexOf('[', StringComparison.Ordinal) + 1)..^1], CultureInfo.InvariantCulture);
            if (index >= numDomUs)
                warnings.Add($"{path}:{values[variable].Line.ToString(CultureInfo.InvariantCulture)}: {variable} is past NUM_DOMUS={numDomUs.ToString(CultureInfo.InvariantCulture)}: ignored, as ImageBuilder ignores it");
        }
        var config = new ImageBuilderConfig
        {
            Path = path,
            MemoryStart = reader.Required("MEMORY_START"),
            MemoryEnd = reader.Required("MEMORY_END"),
            DeviceTree = reader.Text("DEVICE_TREE"),
            Xen = reader.Text("XEN"),
            XenCommandLine = reader.Text("XEN_CMD"),
            Dom0Kernel = reader.Text("DOM0_KERNEL"),
            Dom0CommandLine = reader.Text("DOM0_CMD"),
            Dom0MemoryMiB = reader.Has("DOM0_MEM") ? reader.Number("DOM0_MEM", 0, 1, 1 << 20) : null,
            Dom0Vcpus = reader.Has("DOM0_VCPUS") ? (int)reader.Number("DOM0_VCPUS", 0, 1, 128) : null,
            DomUs = domUs,
            LoadCommand = reader.Text("LOAD_CMD") ?? "tftpb",
            UBootSource = reader.FileName("UBOOT_SOURCE") ?? "boot.source",
            UBootScript = reader.FileName("UBOOT_SCRIPT") ?? "boot.scr",
            AppendExtraCommands = reader.Text("APPEND_EXTRA_CMDS"),
            Lines = values.ToDictionary(kv => kv.Key, kv => kv.Value.Line, StringComparer.Ordinal),
        };
        if (config.MemoryEnd <= config.MemoryStart && values.ContainsKey("MEMORY_END") && values.ContainsKey("MEMORY_START"))
            errors.Add($"{config.Where("MEMORY_END")}: 0x{config.MemoryEnd:x} is not above MEMORY_START 0x{config.MemoryStart:x}");
        if (reader.Text("BOOT_CMD") is string boot && boot != "booti")
            errors.Add($"{config.Where("BOOT_CMD")}: '{boot}': Xen's arm64 Image is booted with booti");
        if (config.LoadCommand is not ("tftpb" or "tftp"))
            errors.Add($"{config.Where("LOAD_CMD")}: '{config.LoadCommand}': this boot serves the files over QEMU's TFTP, so only tftpb");
        if (config.XenCommandLine is not null)
        {
            foreach (string ignored in new[] { "DOM0_MEM", "DOM0_VCPUS" }.Where(values.ContainsKey))
                warnings.Add($"{config.Where(ignored)} is ignored: XEN_CMD is set (ImageBuilder uses it only in its default XEN_CMD)");
        }
        if (errors.Count > 0)
            throw new LaunchException(string.Join("\n", errors));
        return config with { Warnings = warnings };
    }

    /// <summary>Whether <paramref name="name"/> is read here; an error or a warning when not.</summary>
    private static bool Known(string name, bool indexed, string where, string variable, List<string> errors, List<string> warnings)
    {
        if (Ramdisks.Contains(name))
        {
            warnings.Add($"{where}: {variable} is ignored: the stub needs no ramdisk");
            return false;
        }
        if (NotHonoured.Contains(name))
        {
            errors.Add($"{where}: {variable}: ImageBuilder's, but this boot does not support it");
            return false;
        }
        bool scalar = Scalars.Contains(name);
        bool array = Arrays.Contains(name);
        if (!scalar && !array)
        {
            errors.Add($"{where}: {variable} is not one of ImageBuilder's variables");
            return false;
        }
        if (scalar == indexed)
        {
            errors.Add(scalar ? $"{where}: {variable}: {name} takes no index" : $"{where}: {variable}: {name} is per domU: {name}[i]=...");
            return false;
        }
        return true;
    }

    /// <summary>An assignment's value without its quotes and trailing comment; a problem, or null.</summary>
    private static string? Value(string raw, out string value)
    {
        value = "";
        string rest;
        if (raw.StartsWith('"') || raw.StartsWith('\''))
        {
            char quote = raw[0];
            int end = raw.IndexOf(quote, 1);
            if (end < 0)
                return $"no closing {quote}";
            value = raw[1..end];
            rest = raw[(end + 1)..];
            if (quote == '"' && value.IndexOfAny(new[] { '$', '`', '\\' }) >= 0)
                return $"\"{value}\": $, ` and \\ would be the shell's (expansions are not read here)";
        }
        else
        {
            int end = raw.IndexOfAny(new[] { ' ', '\t' });
            value = end < 0 ? raw : raw[..end];
            rest = end < 0 ? "" : raw[end..];
            if (value.IndexOfAny(new[] { '$', '`', '\\', '"', '\'', ';', '(', ')' }) >= 0)
                return $"'{value}': quote a value with shell characters (expansions are not read here)";
        }
        string after = rest.TrimStart();
        if (after.Length > 0 && (after[0] != '#' || rest.Length == after.Length))
            return $"more after the value: '{rest.Trim()}'";
        return null;
    }
}
