using System;
using System.Collections.Concurrent;
using System.IO;
using GuestStub.ElfInputChecks.Tests.TestSupport;

using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;
namespace GuestStub.Packager.Tests.TestSupport;

/// <summary>
/// A small guest in the real one's shape, assembled with clang-14 and linked with ld.lld-14 at test
/// time: an arm64 Image header at _start (code0 a branch, text_offset, image_size, flags, magic),
/// code with CFI (so an .eh_frame), a .dotnet_eh_table, rodata, data and .bss, linked like
/// linker/guest.ld (high virtual addresses, AT() load addresses, page-aligned permission boundaries,
/// unwind tables past __image_end). Variants give inputs the packager must refuse.
/// </summary>
internal static class MiniGuest
{
    private const string Assembly = """
        	.section .head.text, "ax"
        	.global _start
        _start:
        	b	entry
        	.long	0
        	.quad	__image_text_offset
        	.quad	__image_size
        	.quad	__image_flags
        	.quad	0, 0, 0
        	.ascii	"ARM\x64"
        	.long	0
        	.type entry, %function
        entry:
        	.cfi_startproc
        	adr	x0, message
        	ldr	x1, =counter
        	ldr	x2, =scratch
        	b	entry
        	.cfi_endproc
        	.ltorg

        	.section .rodata, "a"
        message:
        	.asciz	"mini guest"

        	.section .data, "aw"
        	.balign	8
        	.global counter
        counter:
        	.quad	1
        #ifdef WEAK_UNDEFINED
        	.weak	missing_helper
        	.quad	missing_helper
        #endif

        	.section .bss, "aw", %nobits
        	.balign	16
        scratch:
        	.space	8192

        	.section .dotnet_eh_table, "a"
        lsda:
        	.quad	0
        """;

    /// <summary>The layout of linker/guest.ld in small; {UNWIND} is where the unwind tables go.</summary>
    private const string LinkerScript = """
        OUTPUT_ARCH(aarch64)
        ENTRY(_start)
        KIMAGE_VADDR = 0xFFFFFF8000000000;
        TEXT_OFFSET = 0x80000;
        PHYS_BASE = 0x40000000;
        __image_text_offset = TEXT_OFFSET;
        __image_flags = 0x2;
        SECTIONS
        {
        	. = KIMAGE_VADDR + TEXT_OFFSET;
        	.head.text : AT(ADDR(.head.text) - KIMAGE_VADDR + PHYS_BASE) { KEEP(*(.head.text)) }
        	. = ALIGN(4096);
        	__text_end = .;
        	.rodata : AT(ADDR(.rodata) - KIMAGE_VADDR + PHYS_BASE) { *(.rodata .rodata.*) }
        	{UNWIND_INSIDE}
        	. = ALIGN(4096);
        	__rodata_end = .;
        	.data : AT(ADDR(.data) - KIMAGE_VADDR + PHYS_BASE) { *(.data .data.*) }
        	.bss (NOLOAD) : AT(ADDR(.bss) - KIMAGE_VADDR + PHYS_BASE) { *(.bss .bss.*) }
        	. = ALIGN(4096);
        	__image_end = .;
        	__image_size = __image_end - _start;
        	{UNWIND_PAST}
        }
        """;

    private const string UnwindWithAt = """
        .dotnet_eh_table : AT(ADDR(.dotnet_eh_table) - KIMAGE_VADDR + PHYS_BASE) { *(.dotnet_eh_table) }
        	.eh_frame : AT(ADDR(.eh_frame) - KIMAGE_VADDR + PHYS_BASE) { *(.eh_frame) }
        """;

    /// <summary>Without AT(): lld puts them in the PT_LOAD of the section before them.</summary>
    private const string UnwindSharingRodata = """
        .dotnet_eh_table : { *(.dotnet_eh_table) }
        	.eh_frame : { *(.eh_frame) }
        """;

    public enum Variant
    {
        /// <summary>Fit to package.</summary>
        Good,
        /// <summary>Data refers to a weak symbol nobody defines (lld links it as 0 without complaint).</summary>
        WeakUndefined,
        /// <summary>.eh_frame and .dotnet_eh_table linked inside rodata's PT_LOAD.</summary>
        UnwindSharesRodata,
    }

    private static readonly ConcurrentDictionary<Variant, Lazy<byte[]>> s_built = new();

    public static string Directory { get; } = Path.Combine(Path.GetTempPath(), $"gueststub-packager-fixtures-{Environment.ProcessId}");

    /// <summary>The linked ELF of a variant (built once per test run; a fresh copy each call).</summary>
    public static byte[] Linked(Variant variant = Variant.Good) =>
        (byte[])s_built.GetOrAdd(variant, v => new Lazy<byte[]>(() => Build(v))).Value.Clone();

    static MiniGuest() =>
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { System.IO.Directory.Delete(Directory, recursive: true); }
            catch (IOException) { }
        };

    private static byte[] Build(Variant variant)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string name = variant.ToString();
        string source = Path.Combine(Directory, name + ".S");
        string obj = Path.Combine(Directory, name + ".o");
        string script = Path.Combine(Directory, name + ".ld");
        string elf = Path.Combine(Directory, name + ".elf");
        File.WriteAllText(source, Assembly);
        string unwindInside = variant == Variant.UnwindSharesRodata ? UnwindSharingRodata : "";
        string unwindPast = variant == Variant.UnwindSharesRodata ? "" : UnwindWithAt;
        File.WriteAllText(script, LinkerScript.Replace("{UNWIND_INSIDE}", unwindInside).Replace("{UNWIND_PAST}", unwindPast));
        var clang = new System.Collections.Generic.List<string> { "--target=aarch64-none-elf", "-march=armv8-a", "-g", "-c", source, "-o", obj };
        if (variant == Variant.WeakUndefined)
            clang.Add("-DWEAK_UNDEFINED");
        Tool.RunChecked(Tool.Clang, clang.ToArray());
        Tool.RunChecked(Tool.Lld, "-T", script, "-static", "-nostdlib", "-z", "max-page-size=4096", "-z", "norelro", "-o", elf, obj);
        return File.ReadAllBytes(elf);
    }
}
