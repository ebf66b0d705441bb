namespace GuestStub.Launch.Domains;

/// <summary>
/// Domain 0: on a bare machine the one guest QEMU starts, under Xen the hardware domain.
/// <see cref="Bootargs"/> are the guest's own arguments as the user gave them (<c>--append</c>);
/// the boot flow adds what its loader needs (see <see cref="GuestBootargs"/>).
/// </summary>
public sealed record Dom0(string Image, string Bootargs = "");
