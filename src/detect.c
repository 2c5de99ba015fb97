/*
 * src/detect.c - SoC tables and device-tree parsing.
 *
 * Everything read here is outside data (the device tree, or a directory a
 * caller points us at): every length and cell count is checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "internal.h"

#include "../boards/bcm2835.h"
#include "../boards/bcm2711.h"
#include "../boards/am335x.h"
#include "../boards/rk3288.h"
#include "../boards/rp1.h"

const struct fgpio_soc *const fgpio_socs[] = {
	&fgpio_soc_bcm2835,
	&fgpio_soc_bcm2836,
	&fgpio_soc_bcm2837,
	&fgpio_soc_bcm2711,
	&fgpio_soc_am335x,
	&fgpio_soc_rk3288,
	&fgpio_soc_rp1,
	NULL,
};

const char *const *fgpio_soc_names(void)
{
	static const char *names[FGPIO_ARRAY_SIZE(fgpio_socs)];

	/* Filled once; idempotent, so a race writes the same pointers. */
	for (size_t i = 0; fgpio_socs[i]; i++)
		names[i] = fgpio_socs[i]->name;
	return names;
}

const struct fgpio_soc *fgpio_soc_by_name(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; fgpio_socs[i]; i++)
		if (strcasecmp(fgpio_socs[i]->name, name) == 0)
			return fgpio_socs[i];
	return NULL;
}

unsigned char *fgpio_dt_read(const char *dt_root, const char *prop, size_t max, size_t *len)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/%s", dt_root, prop);

	if (n < 0 || (size_t)n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	unsigned char *buf = malloc(max + 1);

	if (!buf) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	size_t got = 0;

	while (got <= max) {
		ssize_t r = read(fd, buf + got, max + 1 - got);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;

			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got > max) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	*len = got;
	return buf;
}

/* The first of @wanted that equals one of the NUL-separated strings of a property. */
static const char *dt_strings_find(const unsigned char *buf, size_t len,
				   const char *const *wanted)
{
	size_t i = 0;

	while (i < len) {
		const char *s = (const char *)buf + i;
		size_t sl = strnlen(s, len - i);

		for (size_t w = 0; wanted && wanted[w]; w++)
			if (sl == strlen(wanted[w]) && memcmp(s, wanted[w], sl) == 0)
				return wanted[w];
		i += sl + 1;
	}
	return NULL;
}

/* First string of a compatible property, for messages (printable, bounded). */
static void dt_first_string(const unsigned char *buf, size_t len, char *out, size_t outlen)
{
	size_t n = 0;

	for (size_t i = 0; i < len && buf[i] && n + 1 < outlen; i++)
		out[n++] = (buf[i] >= 0x20 && buf[i] < 0x7f) ? (char)buf[i] : '?';
	out[n] = 0;
}

#define DT_COMPAT_MAX 4096

/*
 * The old-style revision code the Pi firmware writes to /system/linux,revision
 * (bits 24+ masked: they flag over-voltage), or 0 when absent or new-style
 * (bit 23 set: new-style codes are told apart by compatible already).
 */
static uint32_t dt_old_revision(const char *dt_root)
{
	size_t len = 0;
	unsigned char *b = fgpio_dt_read(dt_root, "system/linux,revision", 8, &len);
	uint32_t code = 0;

	if (b && len == 4) {
		code = fgpio_be32(b) & 0x00ffffffu;
		if (code & 0x00800000u)
			code = 0;
	}
	free(b);
	return code;
}

const struct fgpio_board_desc *fgpio_detect_board(const struct fgpio_soc *soc, const char *dt_root)
{
	const struct fgpio_board_desc *def = NULL;
	size_t len = 0;
	unsigned char *buf = dt_root ? fgpio_dt_read(dt_root, "compatible", DT_COMPAT_MAX, &len) : NULL;
	uint32_t rev = dt_root ? dt_old_revision(dt_root) : 0;

	for (unsigned i = 0; rev && i < soc->nboards; i++) {
		const uint32_t *r = soc->boards[i].revisions;

		for (; r && *r; r++) {
			if (*r == rev) {
				free(buf);
				return &soc->boards[i];
			}
		}
	}

	for (unsigned i = 0; i < soc->nboards; i++) {
		const struct fgpio_board_desc *b = &soc->boards[i];

		if (!b->compatibles) {
			if (!def)
				def = b;
			continue;
		}
		if (buf && dt_strings_find(buf, len, b->compatibles)) {
			free(buf);
			return b;
		}
	}
	free(buf);
	return def;
}

const struct fgpio_soc *fgpio_detect_soc(const char *dt_root, const struct fgpio_board_desc **board,
					 char *why, size_t whylen)
{
	size_t len = 0;
	unsigned char *buf = fgpio_dt_read(dt_root, "compatible", DT_COMPAT_MAX, &len);

	if (!buf) {
		int e = errno;

		/* ENOENT for every read failure: "no device tree", unlike ENODEV "unknown SoC". */
		fgpio_fail(ENOENT, "cannot read %s/compatible (%s): no device tree to detect the SoC from; "
			   "pass the SoC name explicitly", dt_root, strerror(e));
		return NULL;
	}
	/* The root compatible lists the most specific entry first: honour that order. */
	size_t i = 0;

	while (i < len) {
		const char *s = (const char *)buf + i;
		size_t sl = strnlen(s, len - i);

		for (size_t k = 0; fgpio_socs[k]; k++) {
			const char *hit = NULL;

			for (size_t w = 0; fgpio_socs[k]->compatibles[w]; w++) {
				const char *c = fgpio_socs[k]->compatibles[w];

				if (sl == strlen(c) && memcmp(s, c, sl) == 0)
					hit = c;
			}
			if (hit) {
				const struct fgpio_soc *soc = fgpio_socs[k];

				snprintf(why, whylen, "%s/compatible lists \"%s\"", dt_root, hit);
				free(buf);
				*board = fgpio_detect_board(soc, dt_root);
				return soc;
			}
		}
		i += sl + 1;
	}
	char first[128];

	dt_first_string(buf, len, first, sizeof(first));
	free(buf);
	fgpio_fail(ENODEV, "unknown SoC: %s/compatible is \"%s\", which matches no fastgpio table "
		   "(supported: see fastgpio.soc_names()); /dev/mem is never mapped for an unknown SoC",
		   dt_root, first);
	return NULL;
}

/* Reads a one-cell property (#address-cells...) with a default when absent. */
static int dt_cells(const char *dt_root, const char *prop, uint32_t def, uint32_t *out)
{
	size_t len = 0;
	unsigned char *b = fgpio_dt_read(dt_root, prop, 16, &len);

	if (!b) {
		if (errno == ENOENT) {
			*out = def;
			return 0;
		}
		return -1;
	}
	if (len != 4) {
		free(b);
		errno = EINVAL;
		return -1;
	}
	*out = fgpio_be32(b);
	free(b);
	return 0;
}

/* Reads @n big-endian cells as one number; more than 64 bits must be zero-extended. */
static int cells_to_u64(const unsigned char *p, uint32_t n, uint64_t *out)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (v >> 32)
			return -1;
		v = (v << 32) | fgpio_be32(p + 4 * i);
	}
	*out = v;
	return 0;
}

int fgpio_dt_soc_base(const char *dt_root, uint64_t bus, uint64_t *base)
{
	uint32_t root_ac, soc_ac, soc_sc;

	/* Defaults from the devicetree specification: #address-cells 2, #size-cells 1. */
	if (dt_cells(dt_root, "#address-cells", 2, &root_ac) ||
	    dt_cells(dt_root, "soc/#address-cells", 2, &soc_ac) ||
	    dt_cells(dt_root, "soc/#size-cells", 1, &soc_sc))
		return fgpio_fail(errno, "cannot read the #address-cells/#size-cells of %s and %s/soc",
				  dt_root, dt_root);
	if (root_ac < 1 || root_ac > 3 || soc_ac < 1 || soc_ac > 3 || soc_sc > 3)
		return fgpio_fail(EINVAL, "%s/soc: unsupported cell counts (child %u, parent %u, size %u)",
				  dt_root, soc_ac, root_ac, soc_sc);

	size_t len = 0;
	unsigned char *r = fgpio_dt_read(dt_root, "soc/ranges", 4096, &len);

	if (!r)
		return fgpio_fail(errno == ENOENT ? ENOENT : errno, "cannot read %s/soc/ranges (%s)",
				  dt_root, strerror(errno));
	if (len == 0) {	/* empty ranges: identity mapping */
		free(r);
		*base = bus;
		return 0;
	}
	size_t entry = 4u * (soc_ac + root_ac + soc_sc);

	if (len % entry) {
		free(r);
		return fgpio_fail(EINVAL, "%s/soc/ranges is %zu bytes, not a multiple of %zu "
				  "(cells: child %u, parent %u, size %u)", dt_root, len, entry,
				  soc_ac, root_ac, soc_sc);
	}
	for (size_t off = 0; off < len; off += entry) {
		uint64_t child, parent, size;

		if (cells_to_u64(r + off, soc_ac, &child) ||
		    cells_to_u64(r + off + 4 * soc_ac, root_ac, &parent) ||
		    cells_to_u64(r + off + 4 * (soc_ac + root_ac), soc_sc, &size))
			continue;
		if (bus >= child && bus - child < size) {
			free(r);
			*base = parent + (bus - child);
			return 0;
		}
	}
	free(r);
	return fgpio_fail(ERANGE, "%s/soc/ranges does not translate bus address 0x%llx",
			  dt_root, (unsigned long long)bus);
}
