namespace GuestStub.Platform;

/// <summary>How PSCI calls are made, from the /psci node's <c>method</c> property
/// (Linux Documentation/devicetree/bindings/arm/psci.yaml).</summary>
public enum PsciConduit
{
    /// <summary>No /psci node, or one without <c>method</c>.</summary>
    None = 0,

    /// <summary>method = "hvc": HVC #0 (under a hypervisor, e.g. Xen or QEMU with EL2 off).</summary>
    Hvc,

    /// <summary>method = "smc": SMC #0 (firmware at EL3).</summary>
    Smc,
}
