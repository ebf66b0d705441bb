using System.Runtime;
using System.Runtime.CompilerServices;

namespace GuestStub.Guest;

/// <summary>
/// Bindings to the assembly routines in native/ (each documented there with its C prototype).
/// ilc turns each into a direct call to the symbol, resolved by ld.lld.
/// </summary>
internal static unsafe class Native
{
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_xen_hypercall")]
    internal static extern long XenHypercall(ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong op);

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_psci_hvc")]
    internal static extern ulong PsciHvc(ulong function, ulong a1, ulong a2, ulong a3);

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_psci_smc")]
    internal static extern ulong PsciSmc(ulong function, ulong a1, ulong a2, ulong a3);

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_read_current_el")]
    internal static extern ulong ReadCurrentEl();

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_read_id_aa64mmfr0")]
    internal static extern ulong ReadIdAa64Mmfr0();

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_read_sctlr")]
    internal static extern ulong ReadSctlr();

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_dmb_ishst")]
    internal static extern void DmbIshst();

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_image_bounds")]
    internal static extern void ImageBounds(out ulong start, out ulong end);

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_stack_bounds")]
    internal static extern void StackBounds(GuestStacks.Bounds* bounds);

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_set_poweroff_method")]
    internal static extern void SetPowerOffMethod(ulong method);

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_power_off_raw")]
    internal static extern void PowerOffRaw();

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_read_u64")]
    internal static extern ulong ReadU64(ulong address);

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_idmap_set_block")]
    internal static extern void IdmapSetBlock(ulong* entry, ulong descriptor, ulong virtualAddress);

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_dcache_clean_inval_range")]
    internal static extern void DcacheCleanInvalRange(ulong start, ulong end);

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_idmap_l2_low")]
    internal static extern ulong* IdmapL2Low();

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_read_cntvct")]
    internal static extern ulong ReadCntvct();

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_read_cntfrq")]
    internal static extern ulong ReadCntfrq();

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_atomic_xchg64")]
    internal static extern ulong AtomicExchange(ulong* location, ulong value);

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_atomic_or64")]
    internal static extern ulong AtomicOr(ulong* location, ulong bits);

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_atomic_andnot64")]
    internal static extern ulong AtomicAndNot(ulong* location, ulong bits);

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_atomic_cmpxchg64")]
    internal static extern ulong AtomicCompareExchange(ulong* location, ulong expected, ulong value);

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_gicv3_read_iar1")]
    internal static extern ulong GicV3ReadIar1();

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_gicv3_write_eoir1")]
    internal static extern void GicV3WriteEoir1(ulong intId);

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_gicv3_enable_cpu_interface")]
    internal static extern void GicV3EnableCpuInterface();

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_gicv3_disable_cpu_interface")]
    internal static extern void GicV3DisableCpuInterface();

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_read_mpidr")]
    internal static extern ulong ReadMpidr();

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_irq_window")]
    internal static extern void IrqWindow();
}
