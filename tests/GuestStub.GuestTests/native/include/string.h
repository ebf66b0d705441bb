/* The subset of <string.h> libfdt's headers need, for a freestanding build (native/libc.c). */
#ifndef GUESTSTUB_TESTS_STRING_H
#define GUESTSTUB_TESTS_STRING_H
#include <stddef.h>
void *memcpy(void *destination, const void *source, size_t n);
void *memmove(void *destination, const void *source, size_t n);
void *memset(void *destination, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
#endif
