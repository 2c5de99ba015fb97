/* SPDX-License-Identifier: MIT */
/*
 * src/names.c - line names: numbers, SoC names (GPIO17, GPIO1_28, GPIO5_B0)
 * and the board's header labels (BOARD11, P9_12, PIN7).
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define NAME_MAX_LEN 32

/* Parses a decimal number of at most 4 digits filling [s, end); -1 if not one. */
static long parse_small(const char *s, const char **end)
{
	long v = 0;
	int n = 0;

	while (isdigit((unsigned char)s[n])) {
		if (n == 4)
			return -1;
		v = v * 10 + (s[n] - '0');
		n++;
	}
	if (n == 0)
		return -1;
	*end = s + n;
	return v;
}

static int bank_bit_line(const struct fgpio_chip *c, const char *name, long bank, long bit)
{
	const struct fgpio_soc *soc = c->soc;

	if (bank < 0 || (unsigned long)bank >= soc->nbanks)
		return fgpio_fail(EINVAL, "no pin named \"%s\" on %s: bank %ld does not exist (banks 0-%u)",
				  name, soc->name, bank, soc->nbanks - 1u);
	if (bit < 0 || bit >= soc->banks[bank].nlines)
		return fgpio_fail(EINVAL, "no pin named \"%s\" on %s: bank %ld has %u lines", name,
				  soc->name, bank, soc->banks[bank].nlines);
	return soc->banks[bank].first_line + (int)bit;
}

/* "GPIO..." after the prefix, per the SoC's naming style; -2 when not of that form. */
static int soc_style_name(const struct fgpio_chip *c, const char *name, const char *p)
{
	const char *e;
	long a = parse_small(p, &e);

	if (a < 0)
		return -2;
	switch (c->soc->name_style) {
	case FGPIO_NAMES_FLAT:
		if (*e)
			return -2;
		if ((unsigned long)a >= c->soc->nlines)
			return fgpio_fail(EINVAL, "no pin named \"%s\" on %s (lines 0-%u)", name,
					  c->soc->name, c->soc->nlines - 1u);
		return (int)a;
	case FGPIO_NAMES_BANK_BIT: {
		if (*e != '_')
			return -2;
		const char *e2;
		long b = parse_small(e + 1, &e2);

		if (b < 0 || *e2)
			return -2;
		return bank_bit_line(c, name, a, b);
	}
	case FGPIO_NAMES_BANK_PORT: {
		if (*e == '_')
			e++;
		int port = toupper((unsigned char)*e);

		if (port < 'A' || port > 'D')
			return -2;
		const char *e2;
		long b = parse_small(e + 1, &e2);

		if (b < 0 || b > 7 || *e2)
			return -2;
		return bank_bit_line(c, name, a, (long)(port - 'A') * 8 + b);
	}
	default:
		return -2;
	}
}

static int header_line(const struct fgpio_chip *c, const char *label, int16_t line)
{
	if (line >= 0)
		return line;
	return fgpio_fail(ENOENT, "pin %s of %s is %s, not a GPIO", label, c->board->name,
			  line == FGPIO_PIN_POWER ? "power or ground" : "not connected");
}

/* Header label, accepting BOARDn and PINn for each other. -2 when none matches. */
static int header_name(const struct fgpio_chip *c, const char *name)
{
	const struct fgpio_board_desc *b = c->board;

	if (!b)
		return -2;
	for (unsigned i = 0; i < b->npins; i++)
		if (strcasecmp(b->labels[i], name) == 0)
			return header_line(c, b->labels[i], b->lines[i]);

	const char *num = NULL;

	if (strncasecmp(name, "BOARD", 5) == 0)
		num = name + 5;
	else if (strncasecmp(name, "PIN", 3) == 0)
		num = name + 3;
	if (!num)
		return -2;
	const char *e;
	long n = parse_small(num, &e);

	if (n < 0 || *e)
		return -2;
	for (unsigned i = 0; i < b->npins; i++) {
		const char *l = b->labels[i];
		const char *ln = NULL;

		if (strncasecmp(l, "BOARD", 5) == 0)
			ln = l + 5;
		else if (strncasecmp(l, "PIN", 3) == 0)
			ln = l + 3;
		const char *le;

		if (ln && parse_small(ln, &le) == n && !*le)
			return header_line(c, l, b->lines[i]);
	}
	return -2;
}

int fgpio_parse_line_name(const struct fgpio_chip *c, const char *name)
{
	if (!name || !*name)
		return fgpio_fail(EINVAL, "empty pin name");
	size_t len = strnlen(name, NAME_MAX_LEN + 1);

	if (len > NAME_MAX_LEN)
		return fgpio_fail(EINVAL, "pin name too long (at most %d characters)", NAME_MAX_LEN);
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_')
			return fgpio_fail(EINVAL, "invalid character in pin name \"%.*s\"", (int)len, name);

	const char *e;
	long n = parse_small(name, &e);

	if (n >= 0 && !*e) {
		if ((unsigned long)n >= c->soc->nlines)
			return fgpio_fail(EINVAL, "line %ld does not exist on %s (lines 0-%u)", n,
					  c->soc->name, c->soc->nlines - 1u);
		return (int)n;
	}
	int r = header_name(c, name);

	if (r != -2)
		return r;
	if (strncasecmp(name, "GPIO", 4) == 0) {
		r = soc_style_name(c, name, name + 4);
		if (r != -2)
			return r;
	}
	return fgpio_fail(EINVAL, "no pin named \"%s\" on %s (%s)", name,
			  c->board ? c->board->name : "unknown board", c->soc->name);
}
