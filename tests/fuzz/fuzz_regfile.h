/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_regfile.h - register-file helpers shared by the fuzz targets
 * that open chips of every SoC table on sparse files (devmem mode).
 */
#ifndef FASTGPIO_FUZZ_REGFILE_H
#define FASTGPIO_FUZZ_REGFILE_H

#include <stdint.h>

#include "internal.h"

/* Size a devmem register file needs for @soc (its blocks at the table's default base). */
static inline uint64_t fz_devmem_size(const struct fgpio_soc *soc)
{
	uint64_t end = 0;

	for (unsigned i = 0; i < soc->nblocks; i++) {
		const struct fgpio_soc_block *b = &soc->blocks[i];
		uint64_t e = b->phys + ((b->flags & FGPIO_BLOCK_RANGES) ? soc->default_base : 0) + b->size;

		if (e > end)
			end = e;
	}
	return (end + 0xfff) & ~0xfffull;
}

#endif /* FASTGPIO_FUZZ_REGFILE_H */
