using GuestStub.Launch.Running;

namespace GuestStub.Launch.Flow;

/// <summary>
/// How the images reach the machine: who loads Xen and the guests, and how Xen learns of them.
/// Today QEMU loads everything itself (<see cref="QemuLoaderFlow"/>); a firmware flow (U-Boot
/// running a script that loads the images and edits the tree with its <c>fdt</c> commands, as
/// Xen's CI boots) is another implementation, working from the same description.
/// </summary>
public abstract record BootFlow
{
    /// <summary>The flow's name, for messages and logs.</summary>
    public abstract string Name { get; }

    /// <summary>Writes what the boot needs under <paramref name="workDirectory"/> (a host tree,
    /// a script) and returns the command that runs it. Throws <see cref="LaunchException"/> for
    /// a description this flow cannot boot.</summary>
    public abstract PreparedBoot Prepare(BootDescription boot, string workDirectory);
}
