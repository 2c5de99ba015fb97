/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_names.c - libFuzzer target: pin-name parsing
 * (fgpio_chip_find_line) on every SoC table and every board's header map.
 *
 * One chip is opened per SoC (no board) and per board of each SoC (chosen by
 * a device tree carrying the board's compatible), all on sparse register
 * files. Input: byte 0 picks the chip, the rest (at most 64 bytes, cut at the
 * first NUL) is the name.
 * Checks beyond the sanitizers: a failure is EINVAL or ENOENT with a
 * terminated message; a success is a line that exists in the table (has a
 * bank), and its decimal form resolves to the same line; no register is
 * touched (the chips are never written).
 */
#include "fuzz_dtdir.h"
#include "internal.h"
#include "fuzz_regfile.h"

#define MAX_CHIPS 64

static struct fgpio_chip *chips[MAX_CHIPS];
static size_t nchips;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *regfile(const char *root, const char *name, uint64_t size)
{
	static char p[512];
	int fd;

	snprintf(p, sizeof(p), "%s/%s.regs", root, name);
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)size) != 0)
		abort();
	close(fd);
	return p;
}

static void open_one(const struct fgpio_soc *soc, const char *compat, const char *root)
{
	char dt[512];
	struct fgpio_config cfg;

	if (nchips >= MAX_CHIPS)
		return;
	snprintf(dt, sizeof(dt), "%s/dt%zu", root, nchips);
	mkdir(dt, 0755);
	if (compat)
		fz_write(dt, "compatible", (const uint8_t *)compat, strlen(compat) + 1);
	fgpio_config_init(&cfg);
	cfg.soc = soc->name;
	cfg.dt_root = dt;
	cfg.devmem = regfile(root, soc->name, fz_devmem_size(soc));
	chips[nchips] = fgpio_chip_open(&cfg);
	if (!chips[nchips]) {
		fprintf(stderr, "fuzz_names: cannot open %s: %s\n", soc->name, fgpio_last_error());
		abort();
	}
	nchips++;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *root = fz_dir();

	(void)argc;
	(void)argv;
	for (size_t k = 0; fgpio_socs[k]; k++) {
		const struct fgpio_soc *soc = fgpio_socs[k];

		open_one(soc, NULL, root);
		for (unsigned b = 0; b < soc->nboards; b++)
			if (soc->boards[b].compatibles && soc->boards[b].compatibles[0])
				open_one(soc, soc->boards[b].compatibles[0], root);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[65];

	if (size < 1 || !nchips)
		return 0;
	struct fgpio_chip *c = chips[data[0] % nchips];
	size_t n = size - 1 < 64 ? size - 1 : 64;

	memcpy(name, data + 1, n);
	name[n] = 0;
	errno = 0;
	int r = fgpio_chip_find_line(c, name);

	if (r < 0) {
		if (r != -1 || (errno != EINVAL && errno != ENOENT))
			abort();
		fz_check_error_text();
		return 0;
	}
	if ((unsigned)r >= c->soc->nlines || r >= FGPIO_MAX_LINES || c->line_bank[r] == 0xffff)
		abort();
	char num[16];

	snprintf(num, sizeof(num), "%d", r);
	if (fgpio_chip_find_line(c, num) != r)
		abort();
	return 0;
}
