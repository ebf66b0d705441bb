/*
 * The mapping benchmark's two routines (tests/GuestStub.GuestTests/Bench/TimedHypercalls.cs and
 * PeerWait.cs): a hypercall timed by the virtual counter, and a wait that gives the vCPU to Xen.
 */
#include "asm_macros.S"

/* Xen's hypercall tag (xen/include/public/arch-arm.h; native/sysregs.h XEN_HYPERCALL_TAG, which
 * needs the platform constants build.sh passes only to the product's assembly). */
#define MAP_BENCH_HYPERCALL_TAG 0xEA1

/*
 * s64 gueststub_tests_timed_hypercall(u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 op, u64 *inside_ticks)
 * The product's hvc #0xEA1 (native/hypercall.S gueststub_xen_hypercall), with the virtual counter
 * read right before it and right after: *inside_ticks += after - before, the ticks spent in Xen
 * (and in the two reads). Xen restores every register but the result (x0) and those it may
 * clobber (x0-x4 and x16, xen/arch/arm/traps.c do_trap_hypercall), so x9, x10 and x6 hold
 * across the call. A preempted call is continued by Xen at the same hvc, inside the two reads.
 */
func gueststub_tests_timed_hypercall
	mov	x16, x5
	isb
	mrs	x9, cntvct_el0
	hvc	#MAP_BENCH_HYPERCALL_TAG
	isb
	mrs	x10, cntvct_el0
	sub	x10, x10, x9
	ldr	x9, [x6]
	add	x9, x9, x10
	str	x9, [x6]
	ret
endfunc gueststub_tests_timed_hypercall

/*
 * void gueststub_tests_wait_for_interrupt(void)  [EL1, IRQs masked on entry and on return]
 * WFI. Xen traps it (HCR_EL2.TWI) and blocks the vCPU until an interrupt is pending for it,
 * masked or not (vcpu_block_unless_event_pending): it returns at once when one already is, so
 * an event between the caller's last check and here is not lost. The caller takes the
 * interrupt with gueststub_irq_window.
 */
func gueststub_tests_wait_for_interrupt
	dsb	sy
	wfi
	ret
endfunc gueststub_tests_wait_for_interrupt

/*
 * s64 gueststub_tests_no_hypercall(u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 op)
 * gueststub_xen_hypercall without the hvc: the number into x16 as there, then 0 for the result.
 * Called as the product's transport is, so the stub's own code around a hypercall (arguments
 * built in memory, the call, the result looked at) runs instruction for instruction as it does
 * with Xen, one instruction (this mov for the hvc) apart.
 */
func gueststub_tests_no_hypercall
	mov	x16, x5
	mov	x0, #0
	ret
endfunc gueststub_tests_no_hypercall

/*
 * void gueststub_tests_pass_begins(void), void gueststub_tests_pass_ends(void)
 * Markers around each measured pass, which do nothing: an instruction-profiling QEMU plugin
 * (tests/GuestStub.Benchmarks/native/insn_profile.c) counts instructions per translation block
 * between the two, pass by pass, to say where Xen's instructions go.
 */
func gueststub_tests_pass_begins
	ret
endfunc gueststub_tests_pass_begins

func gueststub_tests_pass_ends
	ret
endfunc gueststub_tests_pass_ends
