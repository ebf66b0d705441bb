/*
 * Write barriers ilc-generated code calls when it stores an object reference, with the custom
 * register ABI of NativeAOT's arm64 helpers (dotnet/runtime src/coreclr/nativeaot/Runtime/arm64/
 * WriteBarriers.S): x14 = destination, x15 = value; x13 = source for the by-ref copy. Both
 * destination and source advance by 8. The guest has no GC, so a barrier is a plain store.
 * x12-x17 may be trashed; nothing else.
 */
#include "asm_macros.S"

/* void RhpAssignRefArm64(Object **x14, Object *x15) */
func RhpAssignRefArm64
	str	x15, [x14], #8
	ret
endfunc RhpAssignRefArm64

/* void RhpCheckedAssignRefArm64(Object **x14, Object *x15): the destination may not be on the heap. */
func RhpCheckedAssignRefArm64
	str	x15, [x14], #8
	ret
endfunc RhpCheckedAssignRefArm64

/* void RhpByRefAssignRefArm64(Object **x14, Object **x13): copy one reference. */
func RhpByRefAssignRefArm64
	ldr	x15, [x13], #8
	str	x15, [x14], #8
	ret
endfunc RhpByRefAssignRefArm64

/* Stack-protector canary for methods using stackalloc (ilc references it as a data symbol). */
	.data
	.balign 8
	.global __security_cookie
__security_cookie:
	.quad	0x2b992ddfa232c0de
