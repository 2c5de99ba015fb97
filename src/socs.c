/*
 * src/socs.c - the list of SoC tables (boards/<soc>.h). A new SoC is its
 * table, included here and named in fgpio_socs[]; its family's code is the
 * ops its descriptor points at.
 */
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

const struct fgpio_soc *fgpio_soc_by_name(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; fgpio_socs[i]; i++)
		if (strcasecmp(fgpio_socs[i]->name, name) == 0)
			return fgpio_socs[i];
	return NULL;
}
