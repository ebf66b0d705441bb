/*
 * Atomic read-modify-write of 64-bit words shared with Xen (the event-channel bitmaps and
 * vCPU 0's pending selector in shared_info, grant entries), which Xen changes from other
 * physical CPUs.
 * ARMv8.0 load/store-exclusive loops (cortex-a57 has no LSE atomics), fully ordered as Linux's
 * arch/arm64/include/asm/atomic_ll_sc.h: ldxr, the operation, stlxr, then dmb ish.
 */
#include "sysregs.h"
#include "asm_macros.S"

/*
 * u64 gueststub_atomic_xchg64(u64 *location, u64 value)  [MMU on; location in Normal memory]
 * Stores value, returns the old word (Linux xchg).
 */
func gueststub_atomic_xchg64
1:	ldxr	x2, [x0]
	stlxr	w3, x1, [x0]
	cbnz	w3, 1b
	dmb	ish
	mov	x0, x2
	ret
endfunc gueststub_atomic_xchg64

/*
 * u64 gueststub_atomic_or64(u64 *location, u64 bits)  [MMU on; location in Normal memory]
 * Sets bits, returns the old word (Linux atomic64_fetch_or).
 */
func gueststub_atomic_or64
1:	ldxr	x2, [x0]
	orr	x3, x2, x1
	stlxr	w4, x3, [x0]
	cbnz	w4, 1b
	dmb	ish
	mov	x0, x2
	ret
endfunc gueststub_atomic_or64

/*
 * u64 gueststub_atomic_andnot64(u64 *location, u64 bits)  [MMU on; location in Normal memory]
 * Clears bits, returns the old word (Linux atomic64_fetch_andnot).
 */
func gueststub_atomic_andnot64
1:	ldxr	x2, [x0]
	bic	x3, x2, x1
	stlxr	w4, x3, [x0]
	cbnz	w4, 1b
	dmb	ish
	mov	x0, x2
	ret
endfunc gueststub_atomic_andnot64

/*
 * u64 gueststub_atomic_cmpxchg64(u64 *location, u64 expected, u64 value)  [MMU on; Normal memory]
 * Stores value if the word holds expected; returns the word it found (Linux cmpxchg, its
 * __CMPXCHG_CASE with the full barrier: nothing is stored, and no barrier is needed, on a mismatch).
 */
func gueststub_atomic_cmpxchg64
1:	ldxr	x3, [x0]
	eor	x4, x3, x1
	cbnz	x4, 2f
	stlxr	w4, x2, [x0]
	cbnz	w4, 1b
	dmb	ish
2:	mov	x0, x3
	ret
endfunc gueststub_atomic_cmpxchg64
