/*
 * The C library functions libfdt calls (Debian's libfdt.a for arm64 is built against glibc),
 * written as plain byte loops, the way firmware without an optimised libc has them (U-Boot's
 * generic lib/string.c, Zephyr's minimal libc): the benchmark's libfdt gets no help from
 * hand-tuned assembly that the C# side does not get either. Only the test image links them.
 *
 * Built with clang-14 --target=aarch64-none-elf -ffreestanding (which implies -fno-builtin, so
 * these loops are not turned back into calls to themselves).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

void *memcpy(void *destination, const void *source, size_t n)
{
	unsigned char *d = destination;
	const unsigned char *s = source;
	while (n--)
		*d++ = *s++;
	return destination;
}

void *memmove(void *destination, const void *source, size_t n)
{
	unsigned char *d = destination;
	const unsigned char *s = source;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return destination;
}

void *memset(void *destination, int c, size_t n)
{
	unsigned char *d = destination;
	while (n--)
		*d++ = (unsigned char)c;
	return destination;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;
	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;
	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

/* libfdt's fdt_path_offset and overlay code parse numbers with it; the benchmark never gets there. */
unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long value = 0;
	if (base == 0)
		base = 10;
	for (;; s++) {
		int digit = *s >= '0' && *s <= '9' ? *s - '0'
			: *s >= 'a' && *s <= 'z' ? *s - 'a' + 10
			: *s >= 'A' && *s <= 'Z' ? *s - 'A' + 10 : 99;
		if (digit >= base)
			break;
		value = value * (unsigned long)base + (unsigned long)digit;
	}
	if (end)
		*end = (char *)s;
	return value;
}

/* Debian builds libfdt with -fstack-protector-strong: the canary and what a smashed one calls. */
uintptr_t __stack_chk_guard = 0x595e9fbd94fda766ULL;

/* void GuestStubFailFast(char16_t *message, int length): the guest's fail-fast, which prints and powers off. */
extern void GuestStubFailFast(const uint16_t *message, int length) __attribute__((noreturn));

void __stack_chk_fail(void)
{
	static const uint16_t message[] = u"libfdt: stack smashing detected";
	GuestStubFailFast(message, (int)(sizeof(message) / sizeof(message[0])) - 1);
}
