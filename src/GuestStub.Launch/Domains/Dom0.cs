namespace GuestStub.Launch.Domains;

/// <summary>
/// Domain 0: on a bare machine the one guest QEMU starts, under Xen the hardware domain.
/// <see cref="Bootargs"/> are the guest's own arguments as the user gave them (<c>--append</c>);
/// the boot flow adds what its loader needs (see <see cref="GuestBootargs"/>).
/// </summary>
public sealed record Dom0(string Image, string Bootargs = "")
{
    /// <summary>Its module node's bootargs exactly as given (an ImageBuilder config's
    /// <c>DOM0_CMD</c>), or null for <see cref="GuestBootargs.ForModule"/> of <see cref="Bootargs"/>.</summary>
    public string? ModuleBootargs { get; init; }
}
