using System;
using System.IO;
using GuestStub.Packager;

// Exit codes: 0 packaged, 1 refused (the input would not boot), 2 usage or I/O error.
PackagerOptions? options = PackagerOptions.Parse(args, out string error);
if (options is null)
{
    Console.Error.WriteLine($"packager: {error}\n{PackagerOptions.Usage}");
    return 2;
}

byte[] linked;
ManagedTypeNames types;
try
{
    linked = File.ReadAllBytes(options.Input);
    types = ManagedTypeNames.Load(options.Assemblies);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException)
{
    Console.Error.WriteLine($"packager: {e.Message}");
    return 2;
}

PackageResult result;
try
{
    result = Packager.Package(linked, options.Version, types, options.BudgetBytes);
}
catch (InvalidOperationException e)
{
    // The packager's own consistency checks (an image past 2 GiB, a layout that passed every
    // boot check yet cannot be flattened): still one line, never a stack trace.
    Console.Error.WriteLine($"packager: refusing {options.Input}: {e.Message}");
    return 1;
}
if (result.Refused)
{
    Console.Error.WriteLine($"packager: refusing {options.Input}: it would not boot");
    foreach (Refusal r in result.Refusals)
        Console.Error.WriteLine($"packager:   {r}");
    return 1;
}

SizeReport report = result.Report!;
try
{
    WriteAtomically(options.ElfOutput, result.Elf);
    if (!OperatingSystem.IsWindows())
        File.SetUnixFileMode(options.ElfOutput, File.GetUnixFileMode(options.ElfOutput) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    WriteAtomically(options.ImageOutput, result.Image);
    WriteAtomically(options.SizeReportOutput, System.Text.Encoding.UTF8.GetBytes(report.Format(Path.GetFileName(options.Input), options.Name)));
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"packager: {e.Message}");
    return 2;
}
Console.WriteLine(report.SummaryLine(options.Name));
if (report.OverBudget)
    Console.Error.WriteLine($"packager: warning: the Image is {report.ImageBytes - report.BudgetBytes!.Value} bytes over its budget");
return 0;

// Written next to the target and renamed over it, so a failed run never leaves a half-written file.
static void WriteAtomically(string path, byte[] bytes)
{
    string temp = path + ".tmp";
    File.WriteAllBytes(temp, bytes);
    File.Move(temp, path, overwrite: true);
}
