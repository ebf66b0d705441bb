namespace GuestStub.Launch.Domains;

/// <summary>
/// Where QEMU loads the guests' images in a Xen boot, written here once: dom0's (the
/// guest-loader's <c>addr=</c>, or a dom0less tree's module node) and each domU's, 16 MiB
/// apart. All lie in QEMU virt's RAM (from 0x40000000) above what QEMU puts at its start (Xen
/// itself, loaded as <c>-kernel</c>) and far below the top, where QEMU puts the host tree; Xen
/// copies each image to its domain's memory before it runs.
/// </summary>
/// <para>
/// In the U-Boot flow U-Boot loads everything itself (over TFTP) at the same slots, and Xen, the
/// host tree and the boot script below them: the script where Xen's CI loads it
/// (<c>tftpb 0x40000000 boot.scr</c>), Xen 2 MiB above (its Image is booted in place), the host
/// tree with room to grow (<c>fdt resize</c>) before dom0's image.
/// </para>
public static class ModuleAddresses
{
    /// <summary>The U-Boot flow's boot script (Xen's CI: <c>tftpb 0x40000000 boot.scr</c>).</summary>
    public const ulong BootScript = 0x4000_0000;

    /// <summary>Xen's Image in the U-Boot flow (<c>booti</c>'s first argument).</summary>
    public const ulong Xen = 0x4020_0000;

    /// <summary>The host tree in the U-Boot flow (<c>fdt addr</c>, <c>booti</c>'s third argument).</summary>
    public const ulong HostTree = 0x4800_0000;

    /// <summary>Dom0's image.</summary>
    public const ulong Dom0 = 0x4900_0000;

    /// <summary>domU 1's image; domU i's is <see cref="DomU"/>(i).</summary>
    public const ulong FirstDomU = 0x4a00_0000;

    /// <summary>The room each image has, and the distance between two domUs' images.</summary>
    public const ulong SlotBytes = 0x100_0000;

    /// <summary>The most domUs the layout (and <c>--domus</c>) provides for.</summary>
    public const int MaxDomUs = 8;

    /// <summary>domU <paramref name="index"/>'s image (1-based: its domid).</summary>
    public static ulong DomU(int index) => FirstDomU + (ulong)(index - 1) * SlotBytes;
}
