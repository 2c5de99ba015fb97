/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_dt.c - libFuzzer target: SoC detection from the root
 * `compatible` (against `model`), the peripheral base from `soc/ranges` with
 * arbitrary (missing, truncated, huge, zero, absurd) cell counts, and the
 * whole open path on a register file.
 *
 * Input: records (see fuzz_dtdir.h, fz_build_kinds: a property may also be a
 * directory, FIFO, dangling symlink, 1 MiB file or socket) for the properties
 * below; property 0 is not a file but the 4-byte bus address to translate
 * (default 0x7e000000, the BCM283x GPIO bus address).
 * Checks beyond the sanitizers: every failure sets errno and a terminated
 * message; nothing blocks (libFuzzer's -timeout catches a read that does); a
 * translated base honours an identity (empty) ranges; and the property the
 * library promises: fgpio_chip_open() on the tree either refuses, leaving the
 * register file without a single written byte and unmapped, or maps the
 * SoC's blocks at a base its table knows.
 */
#define _GNU_SOURCE 1	/* SEEK_DATA */
#include "fuzz_dtdir.h"
#include "internal.h"

static const char *const props[] = {
	"bus-address",	/* not written by the tree: see below */
	"compatible",
	"#address-cells",
	"#size-cells",
	"soc/#address-cells",
	"soc/#size-cells",
	"soc/ranges",
	"model",
	"soc/gpio@7e200000/reg",
	"system/linux,revision",
};

#define NPROPS (sizeof(props) / sizeof(props[0]))

/* Sparse: covers the BCM2711 high-peripheral base, RP1's window and every absolute block. */
#define FZ_REGS_SIZE 0x1f00100000ull

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *regs_path(const char *root, int fresh)
{
	static char regs[512];

	if (!regs[0] || fresh) {
		snprintf(regs, sizeof(regs), "%s.regs", root);
		int fd = open(regs, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (fd < 0 || ftruncate(fd, (off_t)FZ_REGS_SIZE) != 0)
			abort();
		close(fd);
	}
	return regs;
}

/* 1 when no byte of the register file was ever written. */
static int regs_untouched(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t d = fd < 0 ? 0 : lseek(fd, 0, SEEK_DATA);
	int e = errno;

	if (fd >= 0)
		close(fd);
	return fd >= 0 && d < 0 && e == ENXIO;
}

static int known_base(const struct fgpio_soc *soc, uint64_t base)
{
	int ranges = 0;

	for (unsigned i = 0; i < soc->nblocks; i++)
		ranges |= (soc->blocks[i].flags & FGPIO_BLOCK_RANGES) != 0;
	return !ranges || base == soc->default_base || (soc->alt_base && base == soc->alt_base);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *root = fz_dir();
	uint64_t bus = 0x7e000000u;

	fz_build_kinds(root, props, NPROPS, data, size);
	/* The bus address record, if any: its first 4 bytes, big endian. */
	char p[512];

	snprintf(p, sizeof(p), "%s/bus-address", root);
	FILE *f = fopen(p, "rb");

	if (f) {
		unsigned char b[4] = { 0 };

		if (fread(b, 1, 4, f) == 4)
			bus = fgpio_be32(b);
		fclose(f);
	}
	fz_remove(p);

	/* 1. detection */
	const struct fgpio_board_desc *board = NULL;
	char why[256];
	const struct fgpio_soc *soc = fgpio_detect_soc(root, &board, why, sizeof(why));

	if (!soc) {
		/* The root exists: never "no device tree" (ENOENT), always a refusal. */
		if (errno != ENODEV)
			abort();
		fz_check_error_text();
	} else {
		if (strnlen(why, sizeof(why)) >= sizeof(why))
			abort();
		/* The board is one of that SoC's boards (or none). */
		if (board && (board < soc->boards || board >= soc->boards + soc->nboards))
			abort();
	}
	for (size_t k = 0; fgpio_socs[k]; k++) {
		const struct fgpio_board_desc *b = NULL;

		if (fgpio_detect_board(fgpio_socs[k], root, &b) != 0) {
			if (errno != ENODEV || b)
				abort();
			fz_check_error_text();
		} else if (b && (b < fgpio_socs[k]->boards ||
				 b >= fgpio_socs[k]->boards + fgpio_socs[k]->nboards)) {
			abort();
		}
	}

	/* 2. soc/ranges */
	uint64_t base = 0xdeadbeef;
	int r = fgpio_dt_soc_base(root, bus, &base);

	if (r == 0) {
		struct stat st;

		snprintf(p, sizeof(p), "%s/soc/ranges", root);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0 && base != bus)
			abort();
	} else {
		if (r != -1 || errno == 0 || base != 0xdeadbeef)
			abort();
		fz_check_error_text();
	}

	/* 3. the whole open path: refused untouched, or at the table's base */
	const char *regs = regs_path(root, 0);
	struct fgpio_config cfg;

	fgpio_config_init(&cfg);
	cfg.dt_root = root;
	cfg.devmem = regs;
	cfg.flags = FGPIO_OPEN_NO_CLOCK_ENABLE;	/* opening alone then stores nothing */
	struct fgpio_chip *c = fgpio_chip_open(&cfg);

	if (c) {
		struct fgpio_chip_info info;

		if (fgpio_chip_get_info(c, &info) || !soc || strcmp(info.soc, soc->name) != 0 ||
		    !known_base(soc, info.base))
			abort();
		fgpio_chip_close(c);
		if (!regs_untouched(regs))
			regs_path(root, 1);
	} else {
		if (errno == 0 || !regs_untouched(regs))
			abort();
		fz_check_error_text();
	}
	return 0;
}
