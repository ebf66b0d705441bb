using System;

namespace GuestStub.Simulation;

/// <summary>
/// What one domain of a machine runs (<see cref="SimulatedMachine.Run"/>): the stub's boot for a
/// DTB, as the guest runs it (front end, boot session, then power-off), or a program of the
/// test's own standing in for a domain (a backend that keeps a mapping longer than the stub
/// would, say), which runs against the same model and clock.
/// </summary>
public sealed class SimulatedDomainRun
{
    private SimulatedDomainRun(SimulatedXen xen, byte[]? dtb, string? bootargs, GuestPlacement? place, Action? program)
    {
        Xen = xen ?? throw new ArgumentNullException(nameof(xen));
        Dtb = dtb;
        Bootargs = bootargs;
        Place = place;
        Program = program;
    }

    public SimulatedXen Xen { get; }
    public byte[]? Dtb { get; }
    /// <summary>Replaces /chosen/bootargs when not null.</summary>
    public string? Bootargs { get; }
    public GuestPlacement? Place { get; }
    public Action? Program { get; }

    /// <summary>The stub booting <paramref name="dtb"/> in <paramref name="xen"/>'s domain.</summary>
    public static SimulatedDomainRun Stub(SimulatedXen xen, byte[] dtb, string? bootargs = null, GuestPlacement? place = null) =>
        new(xen, dtb ?? throw new ArgumentNullException(nameof(dtb)), bootargs, place, null);

    /// <summary><paramref name="program"/> running as <paramref name="xen"/>'s domain; it idles
    /// through <see cref="SimulatedInterrupts.Idle"/> and reads <see cref="MachineTicks"/> like the stub.</summary>
    public static SimulatedDomainRun Custom(SimulatedXen xen, Action program) =>
        new(xen, null, null, null, program ?? throw new ArgumentNullException(nameof(program)));
}
