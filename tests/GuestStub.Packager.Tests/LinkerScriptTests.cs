using System.IO;
using System.Linq;
using GuestStub.ElfInputChecks.Tests.TestSupport;
using GuestStub.Packager.Tests.TestSupport;
using Xunit;

namespace GuestStub.Packager.Tests;

/// <summary>
/// linker/guest.ld places every input section by name, and the build (build/GuestImage.targets) links with
/// --orphan-handling=error: a section the script does not name (here a writable one, which
/// the linker would otherwise put wherever it likes, perhaps inside the executable pages) is a
/// link error that names it, not a guest that boots with the wrong permissions.
/// </summary>
public sealed class LinkerScriptTests
{
    private static Tool.Result Link(string directory, params string[] extraObjects)
    {
        string root = RealBuild.Root;
        // The product's start-up objects: one per native/*.S (not whatever obj/guest/native holds).
        string[] native = Directory.GetFiles(Path.Combine(root, "native"), "*.S").Order()
            .Select(s => Path.Combine(root, "obj", "guest", "native", Path.GetFileNameWithoutExtension(s) + ".o")).ToArray();
        // As GuestLink links the product (its ld.lld-14 line; the page of Directory.Build.props).
        ulong page = 1UL << GuestStub.Memory.PlatformConstants.PageShift;
        return Tool.Run(Tool.Lld, new[]
            {
                "-T", Path.Combine(root, "linker", "guest.ld"), "-static", "-nostdlib", "-z", $"max-page-size={page}", "-z", "norelro",
                $"--defsym=GUESTSTUB_PAGE_SIZE={page}", "--no-undefined", "--orphan-handling=error",
                "-o", Path.Combine(directory, "guest.linked.elf"),
            }.Concat(native).Append(RealBuild.IlcObject).Concat(extraObjects).ToArray());
    }

    [Fact]
    public void The_real_build_links_with_no_section_left_unplaced()
    {
        DirectoryInfo dir = Directory.CreateTempSubdirectory("gueststub-link-");
        try
        {
            Tool.Result r = Link(dir.FullName);
            Assert.True(r.ExitCode == 0, r.Stderr);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_section_the_script_does_not_name_is_a_link_error_naming_it()
    {
        DirectoryInfo dir = Directory.CreateTempSubdirectory("gueststub-link-");
        try
        {
            string source = Path.Combine(dir.FullName, "unplanned.S");
            File.WriteAllText(source, ".section .gueststub.unplanned, \"aw\"\n.quad 1\n");
            string obj = Path.Combine(dir.FullName, "unplanned.o");
            Tool.RunChecked(Tool.Clang, "--target=aarch64-none-elf", "-c", source, "-o", obj);
            Tool.Result r = Link(dir.FullName, obj);
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains("unplanned.o:(.gueststub.unplanned) is being placed in '.gueststub.unplanned'", r.Stderr);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
