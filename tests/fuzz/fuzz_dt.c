/*
 * tests/fuzz/fuzz_dt.c - libFuzzer target: SoC detection from the root
 * `compatible` and the peripheral base from `soc/ranges`, with arbitrary
 * (missing, truncated, huge, zero, absurd) cell counts.
 *
 * Input: records (see fuzz_dtdir.h) for the properties below; property 0 is
 * not a file but the 4-byte bus address to translate (default 0x7e000000,
 * the BCM283x GPIO bus address).
 * Checks beyond the sanitizers: every failure sets errno and a terminated
 * message; a translated base honours an identity (empty) ranges; detection
 * and board choice agree with fgpio_chip_open(), which must never map a
 * file it was not given.
 */
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
};

#define NPROPS (sizeof(props) / sizeof(props[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *root = fz_dir();
	uint64_t bus = 0x7e000000u;

	fz_build(root, props, NPROPS, data, size);
	/* The bus address record, if any: its first 4 bytes, big endian. */
	char p[512];

	snprintf(p, sizeof(p), "%s/bus-address", root);
	FILE *f = fopen(p, "rb");

	if (f) {
		unsigned char b[4] = { 0 };

		if (fread(b, 1, 4, f) == 4)
			bus = fgpio_be32(b);
		fclose(f);
		unlink(p);
	}

	/* 1. detection */
	const struct fgpio_board_desc *board = NULL;
	char why[256];
	const struct fgpio_soc *soc = fgpio_detect_soc(root, &board, why, sizeof(why));

	if (!soc) {
		/* ENOENT: no compatible at all; ENODEV: one naming no known SoC (or unreadable) */
		if (errno != ENODEV && errno != ENOENT)
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
		const struct fgpio_board_desc *b = fgpio_detect_board(fgpio_socs[k], root);

		if (b && (b < fgpio_socs[k]->boards || b >= fgpio_socs[k]->boards + fgpio_socs[k]->nboards))
			abort();
	}

	/* 2. soc/ranges */
	uint64_t base = 0xdeadbeef;
	int r = fgpio_dt_soc_base(root, bus, &base);

	if (r == 0) {
		struct stat st;

		snprintf(p, sizeof(p), "%s/soc/ranges", root);
		if (stat(p, &st) == 0 && st.st_size == 0 && base != bus)
			abort();
	} else {
		if (r != -1 || errno == 0)
			abort();
		fz_check_error_text();
	}

	/* 3. the whole open path on a detected tree, mapping only an empty register file */
	static char regs[512];

	if (!regs[0]) {
		snprintf(regs, sizeof(regs), "%s.regs", root);
		int fd = open(regs, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (fd < 0 || ftruncate(fd, 0x10000) != 0)
			abort();
		close(fd);
	}
	struct fgpio_config cfg;

	fgpio_config_init(&cfg);
	cfg.dt_root = root;
	cfg.devmem = regs;
	struct fgpio_chip *c = fgpio_chip_open(&cfg);

	if (c) {
		/* Only a SoC whose blocks fit the 64 KiB file can open: none does today. */
		struct fgpio_chip_info info;

		if (fgpio_chip_get_info(c, &info) || !soc || strcmp(info.soc, soc->name) != 0)
			abort();
		fgpio_chip_close(c);
	} else {
		if (errno == 0)
			abort();
		fz_check_error_text();
	}
	return 0;
}
