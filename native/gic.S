/*
 * The GICv3 CPU interface as system registers (Arm IHI 0069, 12.2), and the window in which the
 * stub takes interrupts. The memory-mapped parts of both GICs (distributor, redistributor,
 * GICv2's CPU interface) are written from C# (src/GuestStub.Guest/Gic).
 */
#include "sysregs.h"
#include "asm_macros.S"

/* u64 gueststub_gicv3_read_iar1(void): ICC_IAR1_EL1, acknowledging the highest-priority
 * Group 1 interrupt (1023: none pending). */
func gueststub_gicv3_read_iar1
	mrs	x0, S3_0_C12_C12_0		/* ICC_IAR1_EL1 */
	ret
endfunc gueststub_gicv3_read_iar1

/* void gueststub_gicv3_write_eoir1(u64 intid): ICC_EOIR1_EL1 (EOImode 0: priority drop and
 * deactivation). */
func gueststub_gicv3_write_eoir1
	msr	S3_0_C12_C12_1, x0		/* ICC_EOIR1_EL1 */
	isb
	ret
endfunc gueststub_gicv3_write_eoir1

/*
 * void gueststub_gicv3_enable_cpu_interface(void)  [EL1, ICC_SRE_EL1.SRE = 1 under Xen's vGICv3]
 * Priority mask 0xf0 (every priority the stub uses passes), binary point 0, Group 1 on
 * (Linux gic_cpu_sys_reg_init).
 */
func gueststub_gicv3_enable_cpu_interface
	mov	x0, #0xf0
	msr	S3_0_C4_C6_0, x0		/* ICC_PMR_EL1 */
	msr	S3_0_C12_C12_3, xzr		/* ICC_BPR1_EL1 */
	mov	x0, #1
	msr	S3_0_C12_C12_7, x0		/* ICC_IGRPEN1_EL1 */
	isb
	ret
endfunc gueststub_gicv3_enable_cpu_interface

/* void gueststub_gicv3_disable_cpu_interface(void): ICC_IGRPEN1_EL1 = 0. */
func gueststub_gicv3_disable_cpu_interface
	msr	S3_0_C12_C12_7, xzr		/* ICC_IGRPEN1_EL1 */
	isb
	ret
endfunc gueststub_gicv3_disable_cpu_interface

/* u64 gueststub_read_mpidr(void): MPIDR_EL1, to find this vCPU's redistributor. */
func gueststub_read_mpidr
	mrs	x0, mpidr_el1
	ret
endfunc gueststub_read_mpidr

/*
 * void gueststub_irq_window(void)  [EL1, IRQs masked on entry and on return]
 * Unmasks IRQs for one instruction: an interrupt pending now is taken here (irq_entry in
 * vectors.S), then IRQs are masked again. The rest of the stub always runs with them masked,
 * so interrupt handling never meets code in the middle of anything.
 */
func gueststub_irq_window
	msr	daifclr, #2
	isb
	msr	daifset, #2
	isb
	ret
endfunc gueststub_irq_window
