/* The subset of <stdlib.h> libfdt's headers need, for a freestanding build (native/libc.c). */
#ifndef GUESTSTUB_TESTS_STDLIB_H
#define GUESTSTUB_TESTS_STDLIB_H
#include <stddef.h>
unsigned long strtoul(const char *s, char **end, int base);
#endif
