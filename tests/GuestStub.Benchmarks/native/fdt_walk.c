/*
 * The libfdt side of the device-tree benchmark: what the stub's reader does, done with
 * libfdt (Debian libfdt-dev). fdt_check_full() validates the whole blob, then a full walk
 * visits every node (fdt_next_node, fdt_get_name) and every property
 * (fdt_first/next_property_offset, fdt_getprop_by_offset: name and value).
 *
 * Built at benchmark time: gcc -O2 -shared -fPIC -o libfdt_walk.so fdt_walk.c -lfdt
 *
 * Returns a checksum (sum of name and value lengths, node count), or a negative
 * FDT_ERR_* code when the blob is refused.
 */
#include <stddef.h>
#include <stdint.h>
#include <libfdt.h>

/* The walk alone, on a blob already checked. */
int64_t fdt_walk_only(const void *fdt)
{
	int64_t sum = 0;
	int depth = 0;
	/* fdt_next_node returns the offset after the root once depth drops below 0. */
	for (int node = 0; node >= 0 && depth >= 0; node = fdt_next_node(fdt, node, &depth)) {
		int name_len;
		fdt_get_name(fdt, node, &name_len);
		sum += name_len + 1;
		int prop;
		fdt_for_each_property_offset(prop, fdt, node) {
			const char *name;
			int value_len;
			fdt_getprop_by_offset(fdt, prop, &name, &value_len);
			sum += value_len + (name[0] != 0);
		}
	}
	return sum;
}

/* fdt_check_full alone. */
int64_t fdt_check_only(const void *fdt, size_t size)
{
	return fdt_check_full(fdt, size);
}

int64_t fdt_walk(const void *fdt, size_t size)
{
	int err = fdt_check_full(fdt, size);
	if (err)
		return err;
	return fdt_walk_only(fdt);
}
