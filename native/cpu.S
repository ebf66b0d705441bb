/*
 * CPU helpers C# cannot express: system register reads, barriers, and linker-defined bounds.
 */
#include "asm_macros.S"

/* u64 gueststub_read_current_el(void): the exception level now running (1 or 2). */
func gueststub_read_current_el
	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	ret
endfunc gueststub_read_current_el

/* u64 gueststub_read_id_aa64mmfr0(void): ID_AA64MMFR0_EL1 (PARange in bits [3:0]). */
func gueststub_read_id_aa64mmfr0
	mrs	x0, id_aa64mmfr0_el1
	ret
endfunc gueststub_read_id_aa64mmfr0

/* u64 gueststub_read_sctlr(void): SCTLR_EL1, to report that the MMU and caches are on. */
func gueststub_read_sctlr
	mrs	x0, sctlr_el1
	ret
endfunc gueststub_read_sctlr

/* void gueststub_dmb_ishst(void): order earlier stores before later ones (Linux wmb()). */
func gueststub_dmb_ishst
	dmb	ishst
	ret
endfunc gueststub_dmb_ishst

/* void gueststub_heap_bounds(u64 *start, u64 *end): the bump heap the linker script reserves. */
func gueststub_heap_bounds
	ldr	x2, =__heap_start
	str	x2, [x0]
	ldr	x2, =__heap_end
	str	x2, [x1]
	ret
endfunc gueststub_heap_bounds

/* void gueststub_image_bounds(u64 *start, u64 *end): the image's virtual range, _start to __image_end. */
func gueststub_image_bounds
	ldr	x2, =_start
	str	x2, [x0]
	ldr	x2, =__image_end
	str	x2, [x1]
	ret
endfunc gueststub_image_bounds

/*
 * void gueststub_stack_bounds(struct stack_bounds *out): the two stacks linker/guest.ld lays out,
 * as u64 guard, bottom, top for the main stack, then the same for the exception stack. The
 * guard page is [guard, bottom), unmapped by head.S; the stack is [bottom, top).
 */
func gueststub_stack_bounds
	ldr	x1, =__stack_guard
	ldr	x2, =__stack_bottom
	stp	x1, x2, [x0, #0]
	ldr	x1, =__stack_top
	ldr	x2, =__exception_stack_guard
	stp	x1, x2, [x0, #16]
	ldr	x1, =__exception_stack_bottom
	ldr	x2, =__exception_stack_top
	stp	x1, x2, [x0, #32]
	ret
endfunc gueststub_stack_bounds
	.ltorg

/* void gueststub_set_poweroff_method(u64 method): what gueststub_power_off_raw uses
 * (1 Xen SCHEDOP_shutdown, 2 PSCI over hvc, 3 PSCI over smc). */
func gueststub_set_poweroff_method
	adr_l	x1, gueststub_poweroff_method
	str	x0, [x1]
	ret
endfunc gueststub_set_poweroff_method

/* u64 gueststub_read_u64(u64 address): one 64-bit load, for the boot self-tests. */
func gueststub_read_u64
	ldr	x0, [x0]
	ret
endfunc gueststub_read_u64

/*
 * void gueststub_idmap_set_block(u64 *entry, u64 descriptor, u64 va)  [MMU on, EL1]
 * Replaces one live translation table entry by break-before-make (Arm ARM D8.14.1): write an
 * invalid entry, make it visible to the walker, invalidate every TLB entry for va (all ASIDs,
 * Inner Shareable), then write the new descriptor. The caller must not access va meanwhile.
 */
func gueststub_idmap_set_block
	str	xzr, [x0]
	dsb	ishst
	lsr	x3, x2, #12
	tlbi	vaae1is, x3
	dsb	ish
	isb
	str	x1, [x0]
	dsb	ishst
	isb
	ret
endfunc gueststub_idmap_set_block

/*
 * void gueststub_dcache_clean_inval_range(u64 start, u64 end)  [MMU on; range mapped]
 * dc civac over [start, end) by the smallest data cache line (CTR_EL0.DminLine), then dsb ish:
 * for memory that was Normal cacheable and has just been remapped as Device.
 */
func gueststub_dcache_clean_inval_range
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x2, #4
	lsl	x2, x2, x3			/* line size in bytes */
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	cmp	x0, x1
	b.hs	2f
	dc	civac, x0
	add	x0, x0, x2
	b	1b
2:	dsb	ish
	ret
endfunc gueststub_dcache_clean_inval_range

/* u64 *gueststub_idmap_l2_low(void): the L2 table of the identity map's first GiB (2 MiB blocks). */
func gueststub_idmap_l2_low
	ldr	x0, =idmap_l2_low
	ret
endfunc gueststub_idmap_l2_low
	.ltorg

/* u64 gueststub_read_cntvct(void): the virtual counter (CNTVCT_EL0), after an isb. */
func gueststub_read_cntvct
	isb
	mrs	x0, cntvct_el0
	ret
endfunc gueststub_read_cntvct

/* u64 gueststub_read_cntfrq(void): the counter frequency in Hz (CNTFRQ_EL0). */
func gueststub_read_cntfrq
	mrs	x0, cntfrq_el0
	ret
endfunc gueststub_read_cntfrq
