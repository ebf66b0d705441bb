/*
 * Architectural constants for the start-up code (Arm ARM DDI 0487, D13 and D8).
 * Shared by the assembly files; values are checked against the spec sections cited.
 */
#ifndef GUESTSTUB_SYSREGS_H
#define GUESTSTUB_SYSREGS_H

/*
 * The platform constants, defined once in Directory.Build.props; the image build (build/GuestImage.targets) passes them as
 * -DGUESTSTUB_PAGE_SHIFT=... -DGUESTSTUB_IDMAP_BITS=... (C# gets the same values as
 * GuestStub.Memory.PlatformConstants). The start-up code is written for these values only.
 */
#if !defined(GUESTSTUB_PAGE_SHIFT) || !defined(GUESTSTUB_IDMAP_BITS)
#error "assemble through the image build (build/GuestImage.targets): the platform constants come from Directory.Build.props"
#endif
#if GUESTSTUB_PAGE_SHIFT != 12
#error "TCR_EL1.TG0/TG1 and every descriptor here are for a 4 KiB granule"
#endif
#if GUESTSTUB_IDMAP_BITS != 39
#error "create_page_tables builds the identity map as one level-1 table of 512 1 GiB blocks: 39 bits"
#endif
#define PAGE_SIZE               (1 << GUESTSTUB_PAGE_SHIFT)

/* CurrentEL: EL in bits [3:2]. */
#define CURRENTEL_EL1           (1 << 2)
#define CURRENTEL_EL2           (2 << 2)

/* CPACR_EL1.FPEN = 0b11: no trapping of FP/SIMD at EL1/EL0. */
#define CPACR_EL1_FPEN          (3 << 20)

/* HCR_EL2.RW: EL1 is AArch64. */
#define HCR_EL2_RW              (1 << 31)
/* CPTR_EL2 (HCR_EL2.E2H = 0): the ARMv8.0 RES1 bits [13:12] and [9:0] (bit 8 is TZ where SVE
 * exists: SVE stays trapped), TFP (bit 10) clear so FP/SIMD at EL1 is not trapped to EL2.
 * TFP resets to an UNKNOWN value; Linux's init_el2 writes the same 0x33ff. */
#define CPTR_EL2_NO_FP_TRAP     0x33ff
/* CNTHCTL_EL2.EL1PCTEN | EL1PCEN: EL1 may use the physical timer and counter. */
#define CNTHCTL_EL2_EL1PCEN_PCTEN 3
/* SPSR for the eret to EL1h with D, A, I, F masked. */
#define SPSR_EL1H_DAIF          0x3c5

/* MAIR_EL1 attribute indexes used by the descriptors below. */
#define MT_DEVICE_nGnRnE        0
#define MT_DEVICE_nGnRE         1
#define MT_NORMAL_WB            2
#define MT_NORMAL_NC            3
#define MAIR_EL1_VALUE          0x44ff0400   /* idx3 0x44, idx2 0xff, idx1 0x04, idx0 0x00 */

/*
 * TCR_EL1: the identity map's reach in TTBR0 (T0SZ = 64 - GUESTSTUB_IDMAP_BITS) and a 39-bit
 * kernel half for the image in TTBR1 (T1SZ = 25, linker/guest.ld's KIMAGE_VADDR), walks starting
 * at level 1, 4 KiB granules (TG0 = 0, TG1 = 2), walks Inner-Shareable Write-Back cacheable
 * (IRGNn = ORGNn = 1, SHn = 3). IPS is filled in from ID_AA64MMFR0_EL1.PARange.
 */
#define VA_BITS                 39
#define TCR_EL1_T0SZ            (64 - GUESTSTUB_IDMAP_BITS)
#define TCR_EL1_T1SZ            (64 - VA_BITS)
#define TCR_EL1_VALUE           (0xb5003500 | (TCR_EL1_T1SZ << 16) | TCR_EL1_T0SZ)
#define TCR_EL1_IPS_SHIFT       32

/* Translation table descriptor bits (D8.3). */
#define PTE_TYPE_BLOCK          0x1
#define PTE_TYPE_TABLE          0x3
#define PTE_TYPE_PAGE           0x3
#define PTE_ATTRINDX(i)         ((i) << 2)
#define PTE_AP_RO               (2 << 6)
#define PTE_SH_INNER            (3 << 8)
#define PTE_AF                  (1 << 10)
#define PTE_PXN                 (1 << 53)
#define PTE_UXN                 (1 << 54)

#define PTE_NORMAL              (PTE_ATTRINDX(MT_NORMAL_WB) | PTE_SH_INNER | PTE_AF)
#define PTE_DEVICE              (PTE_ATTRINDX(MT_DEVICE_nGnRE) | PTE_AF | PTE_PXN | PTE_UXN)

/* SCTLR_EL1: RES1 bits of ARMv8.0 plus M (MMU), C (data cache), SA (SP alignment), I (icache).
 * A (alignment fault) stays clear: unaligned accesses to Normal memory are allowed. */
#define SCTLR_EL1_RES1          0x30d00800
#define SCTLR_EL1_MMU_ON        (SCTLR_EL1_RES1 | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 12))

/* PSCI 0.2 function ids (DEN0022). */
#define PSCI_SYSTEM_OFF         0x84000008

/* gueststub_poweroff_method values: GuestStub.Guest's PowerOffMethod (0 = not chosen yet). */
#define POWEROFF_XEN_SHUTDOWN   1
#define POWEROFF_PSCI_HVC       2
#define POWEROFF_PSCI_SMC       3

/* Xen hypercall ABI on arm64: hvc #0xEA1, number in x16. */
#define XEN_HYPERCALL_TAG       0xEA1
#define __HYPERVISOR_sched_op   29
#define SCHEDOP_shutdown        2
#define SHUTDOWN_poweroff       0

#endif
