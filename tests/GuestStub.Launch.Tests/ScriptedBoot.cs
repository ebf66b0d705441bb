using System;
using System.Linq;
using GuestStub.Launch.Domains;
using GuestStub.Launch.Flow;
using GuestStub.Launch.Running;
using GuestStub.Launch.Xen;

namespace GuestStub.Launch.Tests;

/// <summary>
/// A boot whose "QEMU" is <c>sh -c SCRIPT</c>: what the script prints is the console, its exit
/// status QEMU's. The description is dom0 (unless left out) and <paramref name="domUs"/> domUs of
/// guest.img under a Xen called <paramref name="xenRelease"/> (or bare), so the launcher reads the
/// output as it would a real boot's.
/// </summary>
internal static class ScriptedBoot
{
    public static PreparedBoot Prepare(string script, int domUs = 1, bool dom0 = true, bool underXen = true,
        double timeoutSeconds = 20, bool stopAfterVerdicts = false, string xenRelease = "4.17") => new(
        new BootDescription
        {
            Dom0 = dom0 ? new Dom0("guest.img") : null,
            Xen = underXen ? new XenHypervisor(new XenImage(xenRelease, "xen"), new XenCommandLine()) : null,
            DomUs = Enumerable.Range(1, domUs).Select(_ => new DomU("guest.img")).ToList(),
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
            StopAfterVerdicts = stopAfterVerdicts,
        },
        new QemuCommand(new[] { "sh", "-c", script }),
        null);
}
