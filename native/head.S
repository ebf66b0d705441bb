/*
 * The arm64 Image header and the primary entry: what runs from the first instruction until
 * C# takes over. Boot protocol: Linux Documentation/arch/arm64/booting.rst (x0 = DTB physical
 * address, MMU off, at EL2 or EL1). Xen 4.17 loads the Image at the start of the guest's first
 * RAM bank + text_offset; QEMU at the RAM base + text_offset.
 *
 * The image is linked at a fixed virtual address in the upper (TTBR1) half and mapped there
 * wherever it was loaded, so its absolute pointers (ilc's data is full of them) are right and the
 * ELF's symbols match the running addresses under gdb. The lower (TTBR0) half is an identity map
 * of guest-physical space: RAM, the DTB, devices, the grant table and scratch pages.
 */
#include "sysregs.h"
#include "asm_macros.S"

	.section .head.text, "ax"
	.global _start
	.type _start, %function
_start:
	b	primary_entry			/* code0: branch to the real entry */
	.long	0				/* code1 */
	.quad	__image_text_offset		/* text_offset: load offset from a 2 MiB boundary */
	.quad	__image_size			/* image_size: _start to __image_end (.bss and page tables included) */
	.quad	__image_flags			/* flags: little endian, 4 KiB pages */
	.quad	0				/* res2 */
	.quad	0				/* res3 */
	.quad	0				/* res4 */
	.ascii	"ARM\x64"			/* magic, at 0x38 */
	.long	0				/* res5 */
	.size _start, . - _start

/*
 * void primary_entry(u64 dtb_phys)  [MMU off, any of EL2/EL1, running at the load address]
 * Registers kept across the whole routine and into primary_switched: x19 = DTB physical
 * address, x20 = CurrentEL at entry, x21 = physical address of _start.
 */
func primary_entry
	mov	x19, x0
	mrs	x20, CurrentEL
	adr_l	x21, _start

	/* Any exception before the MMU is on powers off with PSCI (exception_common in vectors.S). */
	adr_l	x0, vectors
	cmp	x20, #CURRENTEL_EL2
	b.ne	1f
	msr	vbar_el2, x0
	bl	el2_to_el1
1:	msr	vbar_el1, x0
	msr	daifset, #0xf

	/* Compiled code uses SIMD registers for ordinary copies: enable FP/SIMD first. */
	mov	x0, #CPACR_EL1_FPEN
	msr	cpacr_el1, x0
	isb

	/* The tables are written with the MMU off, i.e. non-cacheable: first drop any line over them
	 * (a dirty one could be written back over them later), then drop what was fetched meanwhile. */
	bl	inval_pgtables
	bl	create_page_tables
	bl	inval_pgtables
	bl	enable_mmu

	/* Continue at the link (virtual) address. */
	ldr	x0, =primary_switched
	br	x0
	.ltorg
endfunc primary_entry

/*
 * void el2_to_el1(void)  [MMU off, at EL2; returns at EL1h with DAIF masked]
 * Plain QEMU with virtualization=on starts us at EL2. The stub is an EL1 guest, so it leaves
 * EL2 with a minimal configuration: AArch64 EL1, FP/SIMD and timers accessible, no stage 2.
 */
func el2_to_el1
	mov	x0, #HCR_EL2_RW
	msr	hcr_el2, x0
	mov	x0, #CPTR_EL2_NO_FP_TRAP
	msr	cptr_el2, x0
	mrs	x0, cnthctl_el2
	orr	x0, x0, #CNTHCTL_EL2_EL1PCEN_PCTEN
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mov_imm64 x0, SCTLR_EL1_RES1
	msr	sctlr_el1, x0
	mov	x0, #SPSR_EL1H_DAIF
	msr	spsr_el2, x0
	msr	elr_el2, x30
	eret
endfunc el2_to_el1

/*
 * void create_page_tables(void)  [MMU off; clobbers x0-x14]
 * TTBR0 (identity, 39-bit): the first GiB as 2 MiB Device-nGnRE blocks (QEMU virt puts every
 * device there, and RAM starts at 1 GiB), everything above as 1 GiB Normal write-back blocks.
 * TTBR1: the image, page by page: text read-only executable, rodata read-only, data and bss
 * read-write never-executable; the two stack guard pages (linker/guest.ld) stay unmapped, so a
 * stack overflow faults there.
 */
func create_page_tables
	/* The tables live outside .bss (which is cleared later, with caches on): clear them now.
	 * inval_pgtables runs before and after (see primary_entry). */
	adr_l	x0, __pgtables_start
	adr_l	x1, __pgtables_end
1:	stp	xzr, xzr, [x0], #16
	cmp	x0, x1
	b.lo	1b

	adr_l	x0, idmap_l1
	adr_l	x1, idmap_l2_low
	orr	x2, x1, #PTE_TYPE_TABLE
	str	x2, [x0]
	mov	x3, #1
	mov_imm64 x4, (PTE_TYPE_BLOCK | PTE_NORMAL)
2:	lsl	x5, x3, #30
	orr	x5, x5, x4
	str	x5, [x0, x3, lsl #3]
	add	x3, x3, #1
	cmp	x3, #512
	b.lo	2b
	mov	x3, #0
	mov_imm64 x4, (PTE_TYPE_BLOCK | PTE_DEVICE)
3:	lsl	x5, x3, #21
	orr	x5, x5, x4
	str	x5, [x1, x3, lsl #3]
	add	x3, x3, #1
	cmp	x3, #512
	b.lo	3b

	adr_l	x0, kimage_l1
	adr_l	x1, kimage_l2
	adr_l	x2, kimage_l3
	orr	x3, x1, #PTE_TYPE_TABLE
	str	x3, [x0]			/* L1[0]: the image lies in the first GiB of TTBR1 */
	orr	x3, x2, #PTE_TYPE_TABLE
	str	x3, [x1]			/* L2[0]: and in its first 2 MiB (linker ASSERT) */
	ldr	x3, =_start			/* virtual address walked */
	ldr	x4, =__image_end
	mov	x5, x21				/* physical address it maps to */
	ldr	x6, =__text_end
	ldr	x7, =__rodata_end
	mov_imm64 x8, (PTE_TYPE_PAGE | PTE_NORMAL | PTE_AP_RO | PTE_UXN)
	mov_imm64 x9, (PTE_TYPE_PAGE | PTE_NORMAL | PTE_AP_RO | PTE_PXN | PTE_UXN)
	mov_imm64 x10, (PTE_TYPE_PAGE | PTE_NORMAL | PTE_PXN | PTE_UXN)
	ldr	x13, =__stack_guard
	ldr	x14, =__exception_stack_guard
4:	cmp	x3, x4
	b.hs	5f
	cmp	x3, x13				/* a guard page: its entry stays invalid (the tables were cleared) */
	b.eq	6f
	cmp	x3, x14
	b.eq	6f
	mov	x11, x10
	cmp	x3, x7
	csel	x11, x9, x11, lo
	cmp	x3, x6
	csel	x11, x8, x11, lo
	orr	x11, x11, x5
	ubfx	x12, x3, #12, #9
	str	x11, [x2, x12, lsl #3]
6:	add	x3, x3, #PAGE_SIZE
	add	x5, x5, #PAGE_SIZE
	b	4b
5:	ret
	.ltorg
endfunc create_page_tables

/*
 * void inval_pgtables(void)  [MMU off; clobbers x0-x3]
 * dc ivac over the translation tables (whose bounds are 4 KiB aligned), by the smallest data
 * cache line (CTR_EL0.DminLine). With stage 2 on (under Xen, HCR_EL2.VM = 1) the CPU performs
 * it as a clean and invalidate, which is why it must also run before the tables are written:
 * Linux's __create_page_tables invalidates likewise before and after.
 */
func inval_pgtables
	adr_l	x0, __pgtables_start
	adr_l	x1, __pgtables_end
	mrs	x2, ctr_el0
	ubfx	x2, x2, #16, #4			/* DminLine: log2(words) */
	mov	x3, #4
	lsl	x2, x3, x2			/* line size in bytes */
	dsb	sy
1:	dc	ivac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret
endfunc inval_pgtables

/*
 * void enable_mmu(void)  [MMU off, tables built; returns with MMU and caches on]
 * Execution continues at the identity-mapped physical address until the caller branches high.
 */
func enable_mmu
	mov_imm64 x0, MAIR_EL1_VALUE
	msr	mair_el1, x0
	mov_imm64 x0, TCR_EL1_VALUE
	mrs	x1, id_aa64mmfr0_el1
	and	x1, x1, #0x7			/* PARange; IPS takes the same encoding */
	cmp	x1, #5
	mov	x2, #5
	csel	x1, x2, x1, hi			/* 48 bits at most without FEAT_LPA */
	bfi	x0, x1, #TCR_EL1_IPS_SHIFT, #3
	msr	tcr_el1, x0
	adr_l	x0, idmap_l1
	msr	ttbr0_el1, x0
	adr_l	x0, kimage_l1
	msr	ttbr1_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	ic	iallu
	dsb	nsh
	isb
	mov_imm64 x0, SCTLR_EL1_MMU_ON
	msr	sctlr_el1, x0
	isb
	ret
endfunc enable_mmu

/*
 * primary_switched  [MMU on, running at the link address]
 * Sets the stack and the vectors' link address, clears .bss (now cacheable), records the entry
 * exception level for gueststub_power_off_raw, initialises the runtime and calls the C# entry
 * point. Never returns.
 */
func primary_switched
	ldr	x0, =__stack_top
	mov	sp, x0
	mov	x29, #0
	mov	x30, #0
	ldr	x0, =vectors			/* the same table, now at its link address */
	msr	vbar_el1, x0
	isb

	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b

2:	ldr	x0, =_start
	sub	x22, x21, x0			/* x22: physical minus virtual address of the image */
	lsr	x20, x20, #2			/* x20: the entry exception level as a number */
	adr_l	x1, gueststub_entry_el
	str	x20, [x1]

	ldr	x0, =__start___modules		/* reference-type statics before any C# runs */
	ldr	x1, =__stop___modules
	bl	GuestStubRuntimeInitialize

	mov	x0, x19				/* void gueststub_main(u64 dtb_phys, u64 entry_el, u64 phys_offset) */
	mov	x1, x20
	mov	x2, x22
	bl	gueststub_main
	b	gueststub_power_off_raw
	.ltorg
endfunc primary_switched

	.section .bss.boot_facts, "aw", %nobits
	.balign 8
	.global gueststub_entry_el
gueststub_entry_el:
	.quad	0

/* Translation tables: their own section, cleared with the MMU off (see create_page_tables). */
	.section .pgtables, "aw", %nobits
	.balign PAGE_SIZE
	.global idmap_l1, idmap_l2_low
idmap_l1:	.space PAGE_SIZE
idmap_l2_low:	.space PAGE_SIZE
kimage_l1:	.space PAGE_SIZE
kimage_l2:	.space PAGE_SIZE
kimage_l3:	.space PAGE_SIZE
