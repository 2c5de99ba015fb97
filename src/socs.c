/* SPDX-License-Identifier: MIT */
/*
 * src/socs.c - the list of SoC tables (boards/<soc>.h). A new SoC is its
 * table, included here and named in fgpio_socs[]; its family's code is the
 * ops its descriptor points at.
 */
#include <errno.h>
#include <stddef.h>
#include <strings.h>

#include "internal.h"

#include "../boards/bcm2835.h"
#include "../boards/bcm2711.h"
#include "../boards/am335x.h"
#include "../boards/rk3288.h"
#include "../boards/rk3399.h"
#include "../boards/rp1.h"

const struct fgpio_soc *const fgpio_socs[] = {
	&fgpio_soc_bcm2835,
	&fgpio_soc_bcm2836,
	&fgpio_soc_bcm2837,
	&fgpio_soc_bcm2711,
	&fgpio_soc_am335x,
	&fgpio_soc_rk3288,
	&fgpio_soc_rp1,
	&fgpio_soc_rk3399,	/* last: tests/fuzz corpora name chips by their index here */
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

/* Whether @b is called @name: its name or one of its compatibles, in any case. */
static int board_is(const struct fgpio_board_desc *b, const char *name)
{
	if (strcasecmp(b->name, name) == 0)
		return 1;
	for (const char *const *c = b->compatibles; c && *c; c++)
		if (strcasecmp(*c, name) == 0)
			return 1;
	return 0;
}

const struct fgpio_board_desc *fgpio_soc_board_by_name(const struct fgpio_soc *soc, const char *name)
{
	for (unsigned i = 0; name && i < soc->nboards; i++)
		if (board_is(&soc->boards[i], name))
			return &soc->boards[i];
	return NULL;
}

const struct fgpio_soc *fgpio_soc_by_board(const char *name, const struct fgpio_board_desc **board)
{
	const struct fgpio_soc *found = NULL;

	*board = NULL;
	for (size_t i = 0; name && fgpio_socs[i]; i++) {
		const struct fgpio_board_desc *b = fgpio_soc_board_by_name(fgpio_socs[i], name);

		if (!b)
			continue;
		if (found) {
			fgpio_fail(EINVAL, "board \"%.64s\" exists on %s and %s: name the SoC too", name,
				   found->name, fgpio_socs[i]->name);
			*board = NULL;
			return NULL;
		}
		found = fgpio_socs[i];
		*board = b;
	}
	if (!found)
		fgpio_fail(EINVAL, "no SoC table has a board \"%.64s\" (fastgpio info lists a chip's "
			   "board; boards are named as there or by a device-tree compatible)", name);
	return found;
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
