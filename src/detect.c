/* SPDX-License-Identifier: MIT */
/*
 * src/detect.c - which SoC and board a device tree describes, and where their
 * registers are (soc/ranges); the SoC list is src/socs.c, reading a
 * property and translating through ranges src/dt.c.
 *
 * Everything read here is outside data (the device tree, or a directory a
 * caller points us at): every length and cell count is checked.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

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
#define DT_MODEL_MAX 256

/* Reads a property that may be absent: 0 (*buf NULL when absent) or -1 (exists, unreadable). */
static int dt_read_opt(const char *dt_root, const char *prop, size_t max, unsigned char **buf,
		       size_t *len)
{
	*buf = fgpio_dt_read(dt_root, prop, max, len);
	if (*buf || errno == ENOENT)
		return 0;
	return -1;
}

/*
 * The old-style revision code the Pi firmware writes to /system/linux,revision
 * (bits 24+ masked: they flag over-voltage), or 0 when absent or new-style
 * (bit 23 set: new-style codes are told apart by compatible already).
 * -1 when the property exists but cannot be read.
 */
static int dt_old_revision(const char *dt_root, uint32_t *code)
{
	size_t len = 0;
	unsigned char *b = NULL;

	*code = 0;
	if (dt_read_opt(dt_root, "system/linux,revision", 8, &b, &len))
		return -1;
	if (b && len == 4) {
		*code = fgpio_be32(b) & 0x00ffffffu;
		if (*code & 0x00800000u)
			*code = 0;
	}
	free(b);
	return 0;
}

static const struct fgpio_board_desc *board_by_revision(const struct fgpio_soc *soc, uint32_t rev)
{
	for (unsigned i = 0; rev && i < soc->nboards; i++)
		for (const uint32_t *r = soc->boards[i].revisions; r && *r; r++)
			if (*r == rev)
				return &soc->boards[i];
	return NULL;
}

int fgpio_detect_board(const struct fgpio_soc *soc, const char *dt_root,
		       const struct fgpio_board_desc **board)
{
	const struct fgpio_board_desc *def = NULL;
	size_t len = 0;
	unsigned char *buf = NULL;
	uint32_t rev = 0;

	*board = NULL;
	if (dt_root && (dt_read_opt(dt_root, "compatible", DT_COMPAT_MAX, &buf, &len) ||
			dt_old_revision(dt_root, &rev))) {
		char msg[400];

		free(buf);
		snprintf(msg, sizeof(msg), "%s", fgpio_last_error());
		return fgpio_fail(ENODEV, "cannot tell the board of %s: %s", soc->name, msg);
	}
	*board = board_by_revision(soc, rev);
	for (unsigned i = 0; !*board && i < soc->nboards; i++) {
		const struct fgpio_board_desc *b = &soc->boards[i];

		if (!b->compatibles) {
			if (!def)
				def = b;
			continue;
		}
		if (buf && dt_strings_find(buf, len, b->compatibles))
			*board = b;
	}
	free(buf);
	if (!*board)
		*board = def;
	return 0;
}

/* ---- model against compatible ---- */

/* Does @needle (@nl bytes) occur in @hay (@hl bytes) as whole words, ignoring case? */
static int word_in(const char *hay, size_t hl, const char *needle, size_t nl)
{
	for (size_t i = 0; nl && i + nl <= hl; i++) {
		if (strncasecmp(hay + i, needle, nl) != 0)
			continue;
		int before = i == 0 || !isalnum((unsigned char)hay[i - 1]);
		int after = i + nl == hl || !isalnum((unsigned char)hay[i + nl]);

		if (before && after)
			return 1;
	}
	return 0;
}

/* A name a model string may contain: a board name's alternative or the SoC's name. */
struct model_name {
	const struct fgpio_soc *soc;
	const char *s;
	size_t n;
};

#define MODEL_NAMES_MAX 128

/*
 * The names each SoC's table gives its boards, split the way the tables write
 * them: "ASUS Tinker Board / Tinker Board S" is two names, and a parenthesis
 * ("Raspberry Pi Model A (26-pin P1)") is a remark, not part of the name. The
 * default boards (no compatible) name no particular board and are left out.
 */
static size_t model_names(struct model_name *out, size_t max)
{
	size_t n = 0;

	for (size_t k = 0; fgpio_socs[k]; k++) {
		const struct fgpio_soc *soc = fgpio_socs[k];

		if (n < max)
			out[n++] = (struct model_name){ soc, soc->name, strlen(soc->name) };
		for (unsigned i = 0; i < soc->nboards; i++) {
			const char *name = soc->boards[i].name;

			if (!soc->boards[i].compatibles || !name)
				continue;
			const char *paren = strstr(name, " (");
			const char *end = paren ? paren : name + strlen(name);

			while (name < end && n < max) {
				const char *slash = strstr(name, " / ");
				const char *alt_end = slash && slash < end ? slash : end;

				out[n++] = (struct model_name){ soc, name, (size_t)(alt_end - name) };
				name = alt_end == end ? end : alt_end + 3;
			}
		}
	}
	return n;
}

/* 1 when another name found in the model contains @h as whole words (h is less specific). */
static int model_name_shadowed(const struct model_name *hits, size_t nhits, size_t h)
{
	for (size_t g = 0; g < nhits; g++)
		if (g != h && hits[g].n > hits[h].n &&
		    word_in(hits[g].s, hits[g].n, hits[h].s, hits[h].n))
			return 1;
	return 0;
}

/* 1 when @h also names (part of) a board of @soc: "Raspberry Pi 2 Model B" is BCM2836 or 2837. */
static int model_name_shared(const struct model_name *all, size_t nall, const struct model_name *h,
			     const struct fgpio_soc *soc)
{
	for (size_t i = 0; i < nall; i++)
		if (all[i].soc == soc && word_in(all[i].s, all[i].n, h->s, h->n))
			return 1;
	return 0;
}

/*
 * Refuses (ENODEV) a `model` that names a board or SoC of another table than
 * @soc and none of @soc's: the most specific names found in the model decide,
 * and a name two SoCs' boards share decides nothing.
 */
static int check_model(const struct fgpio_soc *soc, const char *dt_root, const char *hit)
{
	unsigned char *buf = NULL;
	size_t len = 0;

	if (dt_read_opt(dt_root, "model", DT_MODEL_MAX, &buf, &len)) {
		char msg[400];

		snprintf(msg, sizeof(msg), "%s", fgpio_last_error());
		return fgpio_fail(ENODEV, "%s/compatible lists \"%s\", but %s", dt_root, hit, msg);
	}
	if (!buf)
		return 0;
	size_t ml = strnlen((const char *)buf, len);
	struct model_name all[MODEL_NAMES_MAX], hits[MODEL_NAMES_MAX];
	size_t nall = model_names(all, MODEL_NAMES_MAX), nhits = 0;

	for (size_t i = 0; i < nall; i++)
		if (word_in((const char *)buf, ml, all[i].s, all[i].n))
			hits[nhits++] = all[i];
	const struct model_name *other = NULL;

	for (size_t h = 0; h < nhits; h++) {
		if (model_name_shadowed(hits, nhits, h))
			continue;
		if (hits[h].soc == soc) {
			other = NULL;
			break;
		}
		if (!other && !model_name_shared(all, nall, &hits[h], soc))
			other = &hits[h];
	}
	char model[DT_MODEL_MAX + 1];

	dt_first_string(buf, len, model, sizeof(model));
	free(buf);
	if (!other)
		return 0;
	return fgpio_fail(ENODEV, "the device tree contradicts itself: %s/compatible lists \"%s\" "
			  "(%s) but %s/model is \"%s\", which names \"%.*s\" (%s); refusing to pick a "
			  "register table", dt_root, hit, soc->name, dt_root, model, (int)other->n,
			  other->s, other->soc->name);
}

/* The SoC whose compatibles list has @s (@sl bytes) and the matching entry, or NULL. */
static const struct fgpio_soc *soc_by_compatible(const char *s, size_t sl, const char **hit)
{
	for (size_t k = 0; fgpio_socs[k]; k++)
		for (size_t w = 0; fgpio_socs[k]->compatibles[w]; w++) {
			const char *c = fgpio_socs[k]->compatibles[w];

			if (sl == strlen(c) && memcmp(s, c, sl) == 0) {
				*hit = c;
				return fgpio_socs[k];
			}
		}
	return NULL;
}

/* No compatible: "no device tree" only when the root itself is missing. */
static int no_compatible(const char *dt_root)
{
	struct stat st;
	char msg[400];

	snprintf(msg, sizeof(msg), "%s", fgpio_last_error());
	if (errno != ENOENT)
		return fgpio_fail(ENODEV, "cannot detect the SoC: %s", msg);
	if (stat(dt_root, &st) != 0 && errno == ENOENT)
		return fgpio_fail(ENOENT, "no device tree at %s to detect the SoC from; pass the SoC "
				  "name explicitly", dt_root);
	if (stat(dt_root, &st) != 0 || !S_ISDIR(st.st_mode))
		return fgpio_fail(ENODEV, "device-tree root %s exists but is not a readable directory",
				  dt_root);
	return fgpio_fail(ENODEV, "device tree %s has no compatible property: refusing to guess "
			  "the SoC", dt_root);
}

const struct fgpio_soc *fgpio_detect_soc(const char *dt_root, const struct fgpio_board_desc **board,
					 char *why, size_t whylen)
{
	size_t len = 0;
	unsigned char *buf = fgpio_dt_read(dt_root, "compatible", DT_COMPAT_MAX, &len);

	if (!buf) {
		no_compatible(dt_root);
		return NULL;
	}
	/* The root compatible lists the most specific entry first: honour that order. */
	for (size_t i = 0; i < len;) {
		const char *s = (const char *)buf + i;
		size_t sl = strnlen(s, len - i);
		const char *hit = NULL;
		const struct fgpio_soc *soc = soc_by_compatible(s, sl, &hit);

		if (soc) {
			free(buf);
			if (check_model(soc, dt_root, hit) || fgpio_detect_board(soc, dt_root, board))
				return NULL;
			snprintf(why, whylen, "%s/compatible lists \"%s\"", dt_root, hit);
			return soc;
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

/* The SoC's peripherals sit on /soc: one level of ranges below the root. */
int fgpio_dt_soc_base(const char *dt_root, uint64_t bus, uint64_t *base)
{
	return fgpio_dt_translate(dt_root, "soc", bus, base);
}

/*
 * Where the tree has the table's GPIO node (soc/gpio@<bus address>, as in
 * bcm283x.dtsi), its `reg` must start at that bus address when read with the
 * /soc cell count: a disagreement means the cells or the layout are not what
 * the table assumes. An absent node or reg proves nothing either way.
 */
static int dt_check_gpio_node(const struct fgpio_soc *soc, const char *dt_root)
{
	uint64_t bus = soc->ranges_bus + soc->blocks[soc->banks[0].block].phys;
	char prop[64];
	uint32_t soc_ac;
	unsigned char *reg = NULL;
	size_t len = 0;
	uint64_t got = 0;

	snprintf(prop, sizeof(prop), "soc/gpio@%llx/reg", (unsigned long long)bus);
	if (fgpio_dt_cell(dt_root, "soc/#address-cells", 2, &soc_ac) || soc_ac < 1 || soc_ac > 3 ||
	    dt_read_opt(dt_root, prop, 256, &reg, &len))
		return -1;
	if (!reg)
		return 0;
	int bad = len < 4u * soc_ac || fgpio_dt_cells_u64(reg, soc_ac, &got) || got != bus;

	free(reg);
	if (bad)
		return fgpio_fail(EINVAL, "%s/%s does not start at 0x%llx with %u address cells "
				  "(read 0x%llx): the cell counts or the layout differ from the %s "
				  "table", dt_root, prop, (unsigned long long)bus, soc_ac,
				  (unsigned long long)got, soc->name);
	return 0;
}

int fgpio_dt_peripheral_base(const struct fgpio_soc *soc, const char *dt_root, uint64_t *base)
{
	uint64_t b = 0;

	if (fgpio_dt_soc_base(dt_root, soc->ranges_bus, &b) || dt_check_gpio_node(soc, dt_root))
		return -1;
	*base = b;
	return 0;
}

int fgpio_soc_check_base(const struct fgpio_soc *soc, uint64_t base)
{
	if (base != soc->default_base && (!soc->alt_base || base != soc->alt_base)) {
		if (soc->alt_base)
			return fgpio_fail(ERANGE, "the device tree puts the %s peripherals at 0x%llx, but "
					  "the table knows only 0x%llx and 0x%llx", soc->name,
					  (unsigned long long)base, (unsigned long long)soc->default_base,
					  (unsigned long long)soc->alt_base);
		return fgpio_fail(ERANGE, "the device tree puts the %s peripherals at 0x%llx, but the "
				  "table knows only 0x%llx", soc->name, (unsigned long long)base,
				  (unsigned long long)soc->default_base);
	}
	for (unsigned i = 0; i < soc->nblocks; i++) {
		const struct fgpio_soc_block *b = &soc->blocks[i];

		if ((b->flags & FGPIO_BLOCK_RANGES) && (base > UINT64_MAX - b->phys ||
							base + b->phys > UINT64_MAX - b->size))
			return fgpio_fail(ERANGE, "%s block %s at 0x%llx + 0x%llx overflows 64 bits",
					  soc->name, b->name, (unsigned long long)base,
					  (unsigned long long)b->phys);
	}
	return 0;
}
