/*
 * The benchmark's calibration loop: a known number of instructions, to check that under QEMU's
 * -icount shift=0 the generic counter ticks once per 16 of them (tests/GuestStub.GuestTests/
 * Bench/GuestBench.cs).
 */
#include "asm_macros.S"

/* void gueststub_tests_spin(u64 n)  [n > 0]: n iterations of exactly 4 instructions, then ret. */
func gueststub_tests_spin
1:	sub	x0, x0, #1
	nop
	nop
	cbnz	x0, 1b
	ret
endfunc gueststub_tests_spin
