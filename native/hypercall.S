/*
 * Trampolines from C# to the hypervisor and firmware, bound in GuestStub.Guest with
 * [RuntimeImport]. Each follows AAPCS64: arguments in x0.., result in x0.
 */
#include "sysregs.h"
#include "asm_macros.S"

/*
 * s64 gueststub_xen_hypercall(u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 op)
 * Xen on arm64 (xen/include/public/arch-arm.h): hvc #0xEA1, hypercall number in x16, arguments
 * in x0-x4, result in x0. Xen may clobber x0-x4 and x16, all caller-saved.
 */
func gueststub_xen_hypercall
	mov	x16, x5
	hvc	#XEN_HYPERCALL_TAG
	ret
endfunc gueststub_xen_hypercall

/* u64 gueststub_psci_hvc(u64 function, u64 a1, u64 a2, u64 a3): SMCCC call over hvc #0. */
func gueststub_psci_hvc
	hvc	#0
	ret
endfunc gueststub_psci_hvc

/* u64 gueststub_psci_smc(u64 function, u64 a1, u64 a2, u64 a3): SMCCC call over smc #0. */
func gueststub_psci_smc
	smc	#0
	ret
endfunc gueststub_psci_smc
