/*
 * Exception vectors. The stub takes no interrupts and expects no exceptions: every vector is
 * fatal. With the MMU on, the C# handler prints the exception class, ESR, ELR, FAR and SPSR and
 * powers off; a second exception while handling one powers off directly; before the MMU is on
 * (no C#, no console yet) it powers off at once. Never a silent hang, never a fault loop.
 *
 * One table serves both phases: its slots branch PC-relatively, so it works from its physical
 * address (VBAR before the MMU is on) and from its link address (after).
 */
#include "sysregs.h"
#include "asm_macros.S"

/* One 128-byte vector slot: remember which slot fired, then go to the common path. */
.macro vector_slot handler, index
	.balign 128
	mov	x0, #\index
	b	\handler
.endm

/*
 * vectors: VBAR_EL1 (and VBAR_EL2 while still at EL2).
 * Slots (Arm ARM D1.10.2): 0-3 current EL with SP_EL0, 4-7 current EL with SP_ELx,
 * 8-11 lower EL AArch64, 12-15 lower EL AArch32; within each group sync, IRQ, FIQ, SError.
 */
	.section .text.vectors, "ax"
	.balign 2048
	.global vectors
vectors:
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vector_slot exception_common, \i
	.endr

/*
 * exception_common  [x0 = vector slot]
 * Before the MMU is on (at EL2, or at EL1 with SCTLR_EL1.M clear) goes to early_power_off.
 * Otherwise switches to a stack reserved for this (the faulting context's SP may be the cause),
 * guards against nesting and calls
 *   void gueststub_exception(u64 slot, u64 esr, u64 elr, u64 far, u64 spsr)
 * which does not return.
 */
	.type exception_common, %function
exception_common:
	mrs	x1, CurrentEL
	cmp	x1, #CURRENTEL_EL2
	b.eq	early_power_off
	mrs	x1, sctlr_el1
	tst	x1, #1				/* SCTLR_EL1.M */
	b.eq	early_power_off
	ldr	x1, =__exception_stack_top
	mov	sp, x1
	adr_l	x1, in_exception
	ldr	x2, [x1]
	cbnz	x2, gueststub_power_off_raw
	mov	x2, #1
	str	x2, [x1]
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	mrs	x4, spsr_el1
	mov	x29, #0
	bl	gueststub_exception
	b	gueststub_power_off_raw
	.size exception_common, . - exception_common
	.ltorg

/*
 * void gueststub_power_off_raw(void)  [any state with the MMU on; never returns]
 * The last resort: powers off with the method the guest chose (gueststub_poweroff_method:
 * 1 Xen SCHEDOP_shutdown, 2 PSCI over hvc, 3 PSCI over smc), else with PSCI over the conduit the
 * entry exception level implies, and spins in wfi if even that returns.
 */
func gueststub_power_off_raw
	msr	daifset, #0xf
	adr_l	x9, gueststub_poweroff_method
	ldr	x9, [x9]
	cmp	x9, #1
	b.ne	1f
	mov	x0, #SCHEDOP_shutdown
	adr_l	x1, shutdown_reason
	mov	x16, #__HYPERVISOR_sched_op
	hvc	#XEN_HYPERCALL_TAG
1:	cmp	x9, #3
	b.eq	2f
	cmp	x9, #2
	b.eq	3f
	adr_l	x10, gueststub_entry_el
	ldr	x10, [x10]
	cmp	x10, #2
	b.eq	2f
3:	mov_imm64 x0, PSCI_SYSTEM_OFF
	hvc	#0
	b	4f
2:	mov_imm64 x0, PSCI_SYSTEM_OFF
	smc	#0
4:	wfi
	b	4b
endfunc gueststub_power_off_raw

/*
 * early_power_off  [MMU off, before C#: x20 = CurrentEL at entry, kept by head.S]
 * Powers off with PSCI, the conduit chosen by the entry exception level (entered at EL2 on
 * plain QEMU: smc; at EL1 under Xen or QEMU: hvc).
 */
	.type early_power_off, %function
early_power_off:
	mov_imm64 x0, PSCI_SYSTEM_OFF
	cmp	x20, #CURRENTEL_EL2
	b.eq	1f
	hvc	#0
	b	2f
1:	smc	#0
2:	wfi
	b	2b
	.size early_power_off, . - early_power_off

	.data
	.balign 8
	.global gueststub_poweroff_method
gueststub_poweroff_method:
	.quad	0
in_exception:
	.quad	0
shutdown_reason:
	.long	SHUTDOWN_poweroff
	.long	0
