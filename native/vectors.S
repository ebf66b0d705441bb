/*
 * Exception vectors. The stub expects no exceptions: every vector but one is fatal. The one is
 * the IRQ at the current EL with SP_EL1, through which the event-channel upcall arrives; the
 * stub unmasks IRQs only in gueststub_irq_window (gic.S), so irq_entry always interrupts that.
 * For the fatal ones, with the MMU on, the C# handler prints the exception class, ESR, ELR,
 * FAR and SPSR, names a stack overflow, prints a frame-pointer backtrace and powers off. Before the MMU is on
 * (no C#, no console yet), and at EL2, it powers off at once with PSCI. An exception taken while
 * getting out (the report or a power-off call faulted) is counted, and each level tries one step
 * less: a short report, the chosen power-off method, then PSCI over the conduit the entry
 * exception level implies, then parking in wfi. Never a fault loop.
 *
 * One table serves both phases: its slots branch PC-relatively, so it works from its physical
 * address (VBAR before the MMU is on) and from its link address (after).
 */
#include "sysregs.h"
#include "asm_macros.S"

/* sizeof(struct exception_frame): eight u64, a multiple of 16 so SP stays aligned. */
#define EXCEPTION_FRAME_SIZE	64

/* One 128-byte vector slot: remember which slot fired, then go to the common path. */
.macro vector_slot handler, index
	.balign 128
	mov	x0, #\index
	b	\handler
.endm

/* The IRQ slot at the current EL with SP_ELx: straight to irq_entry, every register intact. */
.macro irq_slot
	.balign 128
	b	irq_entry
.endm

/* struct irq_frame: x0-x18, x29, x30, ELR, SPSR, FPSR, FPCR (25 u64, padded to 26) then
 * q0-q31; the handler may use any caller-saved register, and compiled code keeps values in
 * whole SIMD registers. 16-byte multiple, so SP stays aligned. */
#define IRQ_FRAME_GPRS		(26 * 8)
#define IRQ_FRAME_SIZE		(IRQ_FRAME_GPRS + 32 * 16)

/*
 * vectors: VBAR_EL1 (and VBAR_EL2 while still at EL2, and after, for a trap from EL1).
 * Slots (Arm ARM D1.10.2): 0-3 current EL with SP_EL0, 4-7 current EL with SP_ELx,
 * 8-11 lower EL AArch64, 12-15 lower EL AArch32; within each group sync, IRQ, FIQ, SError.
 * Its own section, so linker/guest.ld can place it on its 2 KiB boundary after the other routines.
 */
	.section .vectors, "ax"
	.balign 2048
	.global vectors
vectors:
	.irp i, 0, 1, 2, 3, 4
	vector_slot exception_common, \i
	.endr
	irq_slot				/* 5: IRQ, current EL, SP_EL1: the event-channel upcall */
	.irp i, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vector_slot exception_common, \i
	.endr

/*
 * exception_common  [x0 = vector slot]
 * Counts the exception in exception_depth, then:
 * - at EL2 (before the drop to EL1, or a trap from EL1 afterwards, when x20 is no longer
 *   CurrentEL): PSCI over smc, the only conduit that leaves EL2;
 * - at EL1 with the MMU off (head.S, x20 = CurrentEL at entry): PSCI over the entry EL's conduit;
 * - at EL1 with the MMU on: the first exception saves what the report needs in a struct
 *   exception_frame at the top of the stack reserved for this (the faulting SP may be the cause:
 *   a stack overflow), with the faulting context's SP, x29 and x30 taken before the switch, and
 *   calls
 *     void gueststub_exception(const struct exception_frame *frame)
 *   which does not return. A second one (the report itself faulted, or overflowed the exception
 *   stack) starts that stack afresh and calls gueststub_nested_exception(frame), which prints
 *   one short report; a third (that one faulted too) goes to gueststub_power_off_raw, a fourth
 *   (the chosen conduit itself faults) to PSCI over the entry EL's conduit.
 * Beyond that, or when an early power-off faults, the CPU parks in wfi.
 *
 * struct exception_frame (GuestStub.Guest's ExceptionFrame): u64 slot, esr, elr, far, spsr,
 * sp, x29, x30; x29 = 0 below it ends any frame-pointer walk there.
 */
func exception_common
	adr_l	x1, exception_depth
	ldr	x2, [x1]
	add	x3, x2, #1
	str	x3, [x1]
	mrs	x3, CurrentEL
	cmp	x3, #CURRENTEL_EL2
	b.eq	2f
	mrs	x3, sctlr_el1
	tbz	x3, #0, 1f			/* SCTLR_EL1.M clear: the MMU is off */
	cmp	x2, #1
	b.ls	3f				/* the report, or the report of a nested exception */
	cmp	x2, #2
	b.eq	gueststub_power_off_raw
	cmp	x2, #3
	b.eq	power_off_by_entry_el
	b	halt_forever
1:	cbnz	x2, halt_forever
	cmp	x20, #CURRENTEL_EL2
	b.eq	psci_system_off_smc
	b	psci_system_off_hvc
2:	cbnz	x2, halt_forever
	b	psci_system_off_smc
3:	mov	x1, sp				/* the faulting context's SP, before the switch */
	ldr	x3, =__exception_stack_top
	mov	sp, x3
	sub	sp, sp, #EXCEPTION_FRAME_SIZE
	mrs	x3, esr_el1
	stp	x0, x3, [sp, #0]		/* slot, esr */
	mrs	x3, elr_el1
	mrs	x4, far_el1
	stp	x3, x4, [sp, #16]		/* elr, far */
	mrs	x3, spsr_el1
	stp	x3, x1, [sp, #32]		/* spsr, sp */
	stp	x29, x30, [sp, #48]		/* x29, x30 */
	mov	x0, sp
	mov	x29, #0
	cbnz	x2, 4f
	bl	gueststub_exception
	b	gueststub_power_off_raw
4:	bl	gueststub_nested_exception
	b	gueststub_power_off_raw
	.ltorg
endfunc exception_common

/*
 * irq_entry  [an IRQ at EL1h, with SP_EL1 valid]
 * Saves every register the C# handler may change (and the exception return state), calls
 *   void gueststub_irq(void)
 * (GuestStub.Guest's Upcall: acknowledge, dispatch, end of interrupt) and returns to the
 * interrupted code with all of them restored.
 */
func irq_entry
	sub	sp, sp, #IRQ_FRAME_SIZE
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	mrs	x0, elr_el1
	stp	x30, x0, [sp, #160]
	mrs	x0, spsr_el1
	mrs	x1, fpsr
	stp	x0, x1, [sp, #176]
	mrs	x0, fpcr
	str	x0, [sp, #192]
	add	x0, sp, #IRQ_FRAME_GPRS
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q8, q9, [x0, #128]
	stp	q10, q11, [x0, #160]
	stp	q12, q13, [x0, #192]
	stp	q14, q15, [x0, #224]
	stp	q16, q17, [x0, #256]
	stp	q18, q19, [x0, #288]
	stp	q20, q21, [x0, #320]
	stp	q22, q23, [x0, #352]
	stp	q24, q25, [x0, #384]
	stp	q26, q27, [x0, #416]
	stp	q28, q29, [x0, #448]
	stp	q30, q31, [x0, #480]
	mov	x29, #0				/* the handler's backtrace ends here */
	bl	gueststub_irq
	add	x0, sp, #IRQ_FRAME_GPRS
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q8, q9, [x0, #128]
	ldp	q10, q11, [x0, #160]
	ldp	q12, q13, [x0, #192]
	ldp	q14, q15, [x0, #224]
	ldp	q16, q17, [x0, #256]
	ldp	q18, q19, [x0, #288]
	ldp	q20, q21, [x0, #320]
	ldp	q22, q23, [x0, #352]
	ldp	q24, q25, [x0, #384]
	ldp	q26, q27, [x0, #416]
	ldp	q28, q29, [x0, #448]
	ldp	q30, q31, [x0, #480]
	ldr	x0, [sp, #192]
	msr	fpcr, x0
	ldp	x0, x1, [sp, #176]
	msr	spsr_el1, x0
	msr	fpsr, x1
	ldp	x30, x0, [sp, #160]
	msr	elr_el1, x0
	ldp	x18, x29, [sp, #144]
	ldp	x16, x17, [sp, #128]
	ldp	x14, x15, [sp, #112]
	ldp	x12, x13, [sp, #96]
	ldp	x10, x11, [sp, #80]
	ldp	x8, x9, [sp, #64]
	ldp	x6, x7, [sp, #48]
	ldp	x4, x5, [sp, #32]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #IRQ_FRAME_SIZE
	eret
endfunc irq_entry

/*
 * void gueststub_power_off_raw(void)  [any state with the MMU on; never returns]
 * The last resort: powers off with the method the guest chose (gueststub_poweroff_method),
 * else with PSCI over the conduit the entry exception level implies (power_off_by_entry_el),
 * and parks in wfi if even that returns (halt_forever).
 */
func gueststub_power_off_raw
	msr	daifset, #0xf
	adr_l	x9, gueststub_poweroff_method
	ldr	x9, [x9]
	cmp	x9, #POWEROFF_XEN_SHUTDOWN
	b.ne	1f
	mov	x0, #SCHEDOP_shutdown
	adr_l	x1, shutdown_reason
	mov	x16, #__HYPERVISOR_sched_op
	hvc	#XEN_HYPERCALL_TAG
1:	cmp	x9, #POWEROFF_PSCI_SMC
	b.eq	psci_system_off_smc
	cmp	x9, #POWEROFF_PSCI_HVC
	b.eq	psci_system_off_hvc
power_off_by_entry_el:			/* [MMU on] entered at EL2 (plain QEMU): smc; at EL1: hvc */
	adr_l	x10, gueststub_entry_el
	ldr	x10, [x10]
	cmp	x10, #2
	b.eq	psci_system_off_smc
psci_system_off_hvc:
	mov_imm64 x0, PSCI_SYSTEM_OFF
	hvc	#0
	b	halt_forever
psci_system_off_smc:
	mov_imm64 x0, PSCI_SYSTEM_OFF
	smc	#0
halt_forever:
	wfi
	b	halt_forever
endfunc gueststub_power_off_raw

	.data
	.balign 8
	.global gueststub_poweroff_method
gueststub_poweroff_method:
	.quad	0
/* In .data, not .bss: it must read 0 before head.S clears .bss, for an exception that early. */
exception_depth:
	.quad	0
shutdown_reason:
	.long	SHUTDOWN_poweroff
	.long	0
