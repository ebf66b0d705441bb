/*
 * Helpers for the start-up assembly, in the style of TF-A's asm_macros.S:
 * one routine per func/endfunc, each with a banner giving its C-level prototype.
 */
#ifndef GUESTSTUB_ASM_MACROS_S
#define GUESTSTUB_ASM_MACROS_S

.macro func name
	.section .text.\name, "ax"
	.type \name, %function
	.global \name
	.balign 4
\name:
	.cfi_startproc
.endm

.macro endfunc name
	.cfi_endproc
	.size \name, . - \name
.endm

/* Load the physical (PC-relative) address of a symbol: valid with the MMU on or off. */
.macro adr_l reg, sym
	adrp \reg, \sym
	add \reg, \reg, :lo12:\sym
.endm

/* Load a 64-bit constant. */
.macro mov_imm64 reg, value
	movz \reg, #((\value) & 0xffff)
	movk \reg, #(((\value) >> 16) & 0xffff), lsl #16
	movk \reg, #(((\value) >> 32) & 0xffff), lsl #32
	movk \reg, #(((\value) >> 48) & 0xffff), lsl #48
.endm

#endif
