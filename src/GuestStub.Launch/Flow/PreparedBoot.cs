using GuestStub.Launch.Running;

namespace GuestStub.Launch.Flow;

/// <summary>A boot ready to run: its description, the QEMU command that runs it, and the host
/// tree the flow wrote for it (null when QEMU builds its own).</summary>
public sealed record PreparedBoot(BootDescription Boot, QemuCommand Command, string? HostTree)
{
    /// <summary>What is typed on the serial console as the machine starts (QEMU's standard
    /// input, then closed), or null for nothing: the firmware's commands in the U-Boot flow.</summary>
    public string? ConsoleInput { get; init; }

    /// <summary>The console starts with firmware's output (U-Boot's) before Xen's: those lines
    /// are the firmware's, not dom0's.</summary>
    public bool FirmwareFirst { get; init; }
}
