using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

using LibObjectFile.Elf;
namespace GuestStub.ElfInputChecks.Tests.TestSupport;

/// <summary>
/// The differential corpus, built at test time with clang-14 and ld.lld-14 so that it is the same on
/// every machine: several machines in both classes and byte orders, ELF32 (i386, armv7, mips,
/// powerpc, riscv32) and ELF64 (x86-64, aarch64, aarch64_be, mips64, powerpc64, riscv64, s390x),
/// big endian (mips, mips64, powerpc, powerpc64, aarch64_be, s390x). For each: a relocatable object
/// (-c needs no sysroot), a position-independent object linked into a shared object with .dynsym
/// and .dynamic, and, where lld can, a freestanding executable with a GNU build-id note.
/// </summary>
internal static class Fixtures
{
    private const string Source = """
        static int counter;
        int table[4] = {1, 2, 3, 4};
        const char *greeting = "hello";
        static int helper(int v) { return v * 3 + counter; }
        int (*callbacks[2])(int) = { helper, 0 };
        int entry(int v) { counter += v; return helper(v) + table[v & 3] + greeting[0]; }
        """;

    /// <summary>(clang target, link an executable too).</summary>
    private static readonly (string Target, bool Link)[] Targets =
    {
        ("x86_64-linux-gnu", true),
        ("i386-linux-gnu", true),
        ("armv7-linux-gnueabihf", true),
        ("aarch64-linux-gnu", true),
        ("aarch64_be-linux-gnu", true),
        ("mips-linux-gnu", true),
        ("mipsel-linux-gnu", true),
        ("mips64-linux-gnuabi64", true),
        ("powerpc-linux-gnu", true),
        ("powerpc64-linux-gnu", true),
        ("riscv32-linux-gnu", true),
        ("riscv64-linux-gnu", true),
        ("s390x-linux-gnu", false),
    };

    private static readonly Lazy<IReadOnlyList<string>> s_files = new(Build);

    /// <summary>Paths of every fixture, built once per test run.</summary>
    public static IReadOnlyList<string> Files => s_files.Value;

    public static string Directory { get; } = Path.Combine(Path.GetTempPath(), $"gueststub-elf-fixtures-{Environment.ProcessId}");

    /// <summary>The linked aarch64 executable: the shape of the guest image.</summary>
    public static string AArch64Executable => Find("aarch64-linux-gnu.elf");

    /// <summary>The aarch64 relocatable object with debug info: the shape of ilc's output.</summary>
    public static string AArch64DebugObject => Find("aarch64-linux-gnu-g.o");

    public static string Find(string name)
    {
        foreach (string f in Files)
            if (Path.GetFileName(f) == name)
                return f;
        throw new FileNotFoundException($"fixture {name} was not built");
    }

    private static IReadOnlyList<string> Build()
    {
        System.IO.Directory.CreateDirectory(Directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { System.IO.Directory.Delete(Directory, recursive: true); }
            catch (IOException) { }
        };
        string source = Path.Combine(Directory, "fixture.c");
        File.WriteAllText(source, Source);
        var files = new List<string>();
        foreach ((string target, bool link) in Targets)
        {
            string obj = Path.Combine(Directory, target + ".o");
            var args = new List<string> { "--target=" + target, "-O1", "-ffreestanding", "-fno-pic", "-c", source, "-o", obj };
            if (target.StartsWith("mips", StringComparison.Ordinal))
                args.Add("-mno-abicalls");
            Tool.RunChecked(Tool.Clang, args.ToArray());
            files.Add(obj);
            if (!link)
                continue;
            string exe = Path.Combine(Directory, target + ".elf");
            Tool.RunChecked(Tool.Lld, "-e", "entry", "--build-id=sha1", "-o", exe, obj);
            files.Add(exe);
            string pic = Path.Combine(Directory, target + "-pic.o");
            string shared = Path.Combine(Directory, target + ".so");
            var picArgs = new List<string> { "--target=" + target, "-O1", "-ffreestanding", "-fPIC", "-c", source, "-o", pic };
            Tool.RunChecked(Tool.Clang, picArgs.ToArray());
            Tool.RunChecked(Tool.Lld, "-shared", "--build-id=sha1", "-o", shared, pic);
            files.Add(shared);
        }
        // Debug info and one section per function: many sections, REL/RELA into .debug_*, group sections.
        string debugObj = Path.Combine(Directory, "aarch64-linux-gnu-g.o");
        Tool.RunChecked(Tool.Clang, "--target=aarch64-linux-gnu", "-g", "-O1", "-ffreestanding", "-ffunction-sections", "-fdata-sections", "-c", source, "-o", debugObj);
        files.Add(debugObj);
        string armDebugObj = Path.Combine(Directory, "armv7-linux-gnueabihf-g.o");
        Tool.RunChecked(Tool.Clang, "--target=armv7-linux-gnueabihf", "-g", "-O0", "-ffreestanding", "-c", source, "-o", armDebugObj);
        files.Add(armDebugObj);
        files.AddRange(BuildFlagsAndTypes());
        return files;
    }

    /// <summary>(section, sh_flags) set after assembly, so that any bit can be had: the flags and
    /// section types readelf names by machine or by range (processor bits hide E; an OS bit is o,
    /// an unknown one x; GNU retain R; ARM pure code y; x86-64 large l).</summary>
    private static readonly (string Target, (string Section, ulong Flags)[] Flags)[] FlagObjects =
    {
        ("aarch64-linux-gnu", new[]
        {
            (".f_excl_proc", 0x90000002UL), (".f_excl", 0x80000002UL), (".f_os", 0x00100002UL), (".f_retain", 0x00200002UL),
            (".f_unknown", 0x00001002UL), (".f_osnc", 0x00000102UL),
        }),
        ("x86_64-linux-gnu", new[] { (".f_large", 0x10000003UL) }),
        ("armv7-linux-gnueabihf", new[] { (".f_pure", 0x20000006UL) }),
    };

    /// <summary>Section types without a readelf name, one per range.</summary>
    private const string TypeSections = """
        .section .t_os,"a",%0x60000123
        .byte 1
        .section .t_proc,"a",%0x70000123
        .byte 1
        .section .t_user,"a",%0x80000001
        .byte 1
        .section .t_unknown,"a",%0x5000
        .byte 1
        """;

    private static IEnumerable<string> BuildFlagsAndTypes()
    {
        foreach ((string target, (string Section, ulong Flags)[] flags) in FlagObjects)
        {
            var source = new System.Text.StringBuilder(TypeSections);
            foreach ((string section, _) in flags)
                source.Append($"\n.section {section},\"a\",%progbits\n.byte 1\n");
            string asm = Path.Combine(Directory, $"{target}-flags.s");
            File.WriteAllText(asm, source.ToString());
            string obj = Path.Combine(Directory, $"{target}-flags.o");
            Tool.RunChecked(Tool.Clang, "--target=" + target, "-c", asm, "-o", obj);
            byte[] bytes = File.ReadAllBytes(obj);
            foreach ((string section, ulong value) in flags)
                bytes = SetSectionFlags(bytes, section, value);
            File.WriteAllBytes(obj, bytes);
            yield return obj;
        }
    }

    /// <summary>Sets sh_flags of the section named <paramref name="name"/>, through LibObjectFile
    /// (which writes an unchanged file back byte for byte).</summary>
    private static byte[] SetSectionFlags(byte[] elf, string name, ulong flags)
    {
        ElfFile file = ElfInput.Read(elf).File ?? throw new InvalidOperationException("the assembled object does not read");
        ElfSection section = file.Sections.FirstOrDefault(s => s.Name.Value == name)
            ?? throw new InvalidOperationException($"no section {name} to set the flags of");
        section.Flags = (ElfSectionFlags)flags;
        return file.ToBytes();
    }
}
