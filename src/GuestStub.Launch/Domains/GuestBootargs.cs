namespace GuestStub.Launch.Domains;

/// <summary>
/// The command line a loader hands a guest, from the arguments the user gave. <c>console=hvc0</c>
/// is what Linux would be given; the stub ignores it.
/// </summary>
public static class GuestBootargs
{
    /// <summary>The console argument every guest under Xen gets.</summary>
    public const string XenConsole = "console=hvc0";

    /// <summary>QEMU's guest-loader: the user's arguments, or <c>console=hvc0</c> when there are
    /// none. Never empty: with a dom0 module without bootargs, Xen 4.17 takes /chosen/bootargs
    /// (QEMU's <c>-append</c>) as dom0's command line instead of its own, and boots with no
    /// dom0_mem (512 MiB).</summary>
    public static string ForGuestLoader(string given) => given.Trim().Length == 0 ? XenConsole : given.Trim();

    /// <summary>A dom0less module node's bootargs: <c>console=hvc0</c> and the user's arguments.</summary>
    public static string ForModule(string given) => (XenConsole + " " + given).Trim();
}
