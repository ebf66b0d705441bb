/*
 * The files embedded in the test image: a table that build.sh generates into
 * obj/guest-tests/embedded.S (gueststub_tests_file_table: every .vec file of tests/vectors, then the
 * benchmark trees, each .incbin'd 8-byte aligned into read-only data), and its lookup.
 * Table entry (32 bytes): u64 kind (0 vector file, 1 benchmark tree), const char *name,
 * const u8 *data, u64 size; the table ends with kind = ~0.
 */
#include "asm_macros.S"

/*
 * u64 gueststub_tests_file(u64 kind, u64 index, const char **name, const u8 **data, u64 *size)
 * The index-th file of that kind: 1 and the three out values, or 0 past the last one.
 */
func gueststub_tests_file
	adr_l	x5, gueststub_tests_file_table
1:	ldr	x6, [x5]
	cmn	x6, #1
	b.eq	3f
	cmp	x6, x0
	b.ne	2f
	cbz	x1, 4f
	sub	x1, x1, #1
2:	add	x5, x5, #32
	b	1b
3:	mov	x0, #0
	ret
4:	ldr	x6, [x5, #8]
	str	x6, [x2]
	ldr	x6, [x5, #16]
	str	x6, [x3]
	ldr	x6, [x5, #24]
	str	x6, [x4]
	mov	x0, #1
	ret
endfunc gueststub_tests_file
