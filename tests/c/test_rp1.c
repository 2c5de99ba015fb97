/* SPDX-License-Identifier: MIT */
/*
 * tests/c/test_rp1.c - golden tests of the RP1 (Raspberry Pi 5) table and family.
 *
 * Every operation is checked for the exact words it leaves in a register file
 * (the /dev/gpiomem0 window, and a sparse /dev/mem stand-in at the Pi 5's CPU
 * addresses), with every other word of the three register regions unchanged.
 * Expected words follow drivers/pinctrl/pinctrl-rp1.c: outputs and output
 * enables through the SET (+0x2000) / CLR (+0x3000) aliases, CTRL and pad
 * read-modify-writes at the plain address. locate() is checked on fake Pi 5
 * device trees laid out as bcm2712.dtsi + bcm2712-rpi-5-b.dts + rp1.dtsi
 * compile (what /proc/device-tree shows: /axi/pcie@1000120000/rp1).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "internal.h"

#define WINDOW 0x30000u		/* /dev/gpiomem0: IO_BANK, SYS_RIO, PADS_BANK slots */
#define PI5_RP1 0x1f00000000ull	/* CPU address of RP1's peripheral window on a Pi 5 */

#define A_SET 0x2000u
#define A_CLR 0x3000u
#define RIO_OUT 0x00u
#define RIO_OE 0x04u
#define RIO_IN 0x08u

/* Offsets of the three regions in the register file. */
struct layout {
	const char *name;
	const char *path;
	uint64_t io, rio, pads;	/* io is also the start of the checked region */
};

static const uint32_t bank_first[3] = { 0, 28, 34 };
static const uint32_t bank_off[3] = { 0x0000, 0x4000, 0x8000 };

static unsigned bank_of(unsigned line)
{
	return line >= 34 ? 2 : line >= 28 ? 1 : 0;
}

static uint64_t ctrl_at(const struct layout *L, unsigned line)
{
	unsigned b = bank_of(line);

	return L->io + bank_off[b] + 4u + 8u * (line - bank_first[b]);
}

static uint64_t pad_at(const struct layout *L, unsigned line)
{
	unsigned b = bank_of(line);

	return L->pads + bank_off[b] + 4u + 4u * (line - bank_first[b]);
}

static uint64_t rio_at(const struct layout *L, unsigned bank, uint32_t reg, uint32_t alias)
{
	return L->rio + bank_off[bank] + reg + alias;
}

struct word {
	uint64_t off;	/* absolute file offset */
	uint32_t val;
};

/*
 * Compares the region after an operation with @before: the words listed in
 * @w must hold their values, every other word must be as it was.
 */
static void golden(const struct layout *L, const char *what, const unsigned char *before,
		   const struct word *w, unsigned n)
{
	unsigned char *after = th_snapshot(L->path, L->io, WINDOW);
	int bad = 0;

	for (uint32_t i = 0; i < WINDOW; i += 4) {
		uint64_t off = L->io + i;
		uint32_t got, was;
		int listed = 0;

		memcpy(&got, after + i, 4);
		memcpy(&was, before + i, 4);
		for (unsigned k = 0; k < n; k++) {
			if (w[k].off == off) {
				listed = 1;
				if (got != w[k].val) {
					fprintf(stderr, "%s [%s]: word 0x%llx = 0x%08x, want 0x%08x\n",
						what, L->name, (unsigned long long)off, got, w[k].val);
					bad = 1;
				}
			}
		}
		if (!listed && got != was) {
			fprintf(stderr, "%s [%s]: word 0x%llx changed 0x%08x -> 0x%08x\n", what,
				L->name, (unsigned long long)off, was, got);
			bad = 1;
		}
	}
	th_checks++;
	if (bad)
		th_failures++;
	free(after);
}

/* Pattern in every word so that a stray write shows up. */
static void fill(const struct layout *L)
{
	unsigned char *buf = malloc(WINDOW);

	for (uint32_t i = 0; i < WINDOW; i += 4) {
		uint32_t v = 0xa5000000u | i;	/* distinct per word */

		memcpy(buf + i, &v, 4);
	}
	int fd = open(L->path, O_RDWR | O_CLOEXEC);

	if (fd < 0 || pwrite(fd, buf, WINDOW, (off_t)L->io) != (ssize_t)WINDOW) {
		perror(L->path);
		exit(2);
	}
	close(fd);
	free(buf);
}

#define SNAP(L) th_snapshot((L)->path, (L)->io, WINDOW)
#define UNCHANGED(L, s) CHECK(th_unchanged((L)->path, (L)->io, WINDOW, (s)))

static void test_outputs(struct fgpio_chip *c, const struct layout *L)
{
	unsigned char *s;

	fill(L);
	s = SNAP(L);
	CHECK(fgpio_chip_set(c, 17) == 0);
	golden(L, "set 17", s, (struct word[]){ { rio_at(L, 0, RIO_OUT, A_SET), 1u << 17 } }, 1);
	free(s);

	s = SNAP(L);
	CHECK(fgpio_chip_clear(c, 17) == 0);
	golden(L, "clear 17", s, (struct word[]){ { rio_at(L, 0, RIO_OUT, A_CLR), 1u << 17 } }, 1);
	free(s);

	s = SNAP(L);
	CHECK(fgpio_chip_set(c, 40) == 0);	/* bank 2 bit 6 */
	golden(L, "set 40", s, (struct word[]){ { rio_at(L, 2, RIO_OUT, A_SET), 1u << 6 } }, 1);
	free(s);

	s = SNAP(L);
	CHECK(fgpio_chip_write(c, 30, 0) == 0);	/* bank 1 bit 2 */
	golden(L, "write 30 0", s, (struct word[]){ { rio_at(L, 1, RIO_OUT, A_CLR), 1u << 2 } }, 1);
	free(s);

	s = SNAP(L);
	CHECK(fgpio_chip_write(c, 53, 1) == 0);	/* last line: bank 2 bit 19 */
	golden(L, "write 53 1", s, (struct word[]){ { rio_at(L, 2, RIO_OUT, A_SET), 1u << 19 } }, 1);
	free(s);

	/* Masked bank write: one SET and one CLR store, nothing else. */
	s = SNAP(L);
	CHECK(fgpio_chip_bank_write(c, 0, 0x0000ff00u, 0x0000a5ffu) == 0);
	golden(L, "bank_write 0", s,
	       (struct word[]){ { rio_at(L, 0, RIO_OUT, A_SET), 0x0000a500u },
				{ rio_at(L, 0, RIO_OUT, A_CLR), 0x00005a00u } }, 2);
	free(s);

	/* All-low: the SET alias is not written at all. */
	s = SNAP(L);
	CHECK(fgpio_chip_bank_write(c, 1, 0x3fu, 0) == 0);
	golden(L, "bank_write 1 low", s, (struct word[]){ { rio_at(L, 1, RIO_OUT, A_CLR), 0x3fu } }, 1);
	free(s);

	s = SNAP(L);
	CHECK(fgpio_chip_bank_write(c, 2, 0x000fffffu, 0xffffffffu) == 0);
	golden(L, "bank_write 2 high", s,
	       (struct word[]){ { rio_at(L, 2, RIO_OUT, A_SET), 0x000fffffu } }, 1);
	free(s);

	/* Line handle: one store to the alias, reads from RIO IN. */
	struct fgpio_line l;

	CHECK(fgpio_line_init(c, 22, &l) == 0);
	s = SNAP(L);
	fgpio_line_on(&l);
	golden(L, "line_on 22", s, (struct word[]){ { rio_at(L, 0, RIO_OUT, A_SET), 1u << 22 } }, 1);
	free(s);
	s = SNAP(L);
	fgpio_line_off(&l);
	golden(L, "line_off 22", s, (struct word[]){ { rio_at(L, 0, RIO_OUT, A_CLR), 1u << 22 } }, 1);
	free(s);
	th_poke(L->path, rio_at(L, 0, RIO_IN, 0), 1u << 22);
	CHECK(fgpio_line_get(&l) == 1);
	th_poke(L->path, rio_at(L, 0, RIO_IN, 0), ~(1u << 22));
	CHECK(fgpio_line_get(&l) == 0);

	/* Errors: nothing written. */
	s = SNAP(L);
	CHECK_ERR(fgpio_chip_bank_write(c, 1, 0x40u, 0x40u), EINVAL);	/* bank 1 has 6 lines */
	CHECK_ERR(fgpio_chip_bank_write(c, 3, 1u, 1u), EINVAL);
	CHECK_ERR(fgpio_chip_set(c, 54), EINVAL);
	CHECK_ERR(fgpio_chip_write(c, 1000, 1), EINVAL);
	CHECK_ERR(fgpio_line_init(c, 54, &l), EINVAL);
	UNCHANGED(L, s);
	free(s);
}

static void test_inputs(struct fgpio_chip *c, const struct layout *L)
{
	uint32_t v = 0;

	fill(L);
	th_poke(L->path, rio_at(L, 0, RIO_IN, 0), 0x00400000u);
	th_poke(L->path, rio_at(L, 1, RIO_IN, 0), 0xffffffc5u);
	th_poke(L->path, rio_at(L, 2, RIO_IN, 0), 0x00080001u);
	/* Something else in NOSYNC/other words must not be what is read. */
	th_poke(L->path, rio_at(L, 0, 0x0c, 0), 0xffffffffu);
	unsigned char *s = SNAP(L);

	CHECK(fgpio_chip_read(c, 22) == 1);
	CHECK(fgpio_chip_read(c, 21) == 0);
	CHECK(fgpio_chip_read(c, 28) == 1);
	CHECK(fgpio_chip_read(c, 29) == 0);
	CHECK(fgpio_chip_read(c, 34) == 1);
	CHECK(fgpio_chip_read(c, 53) == 1);
	CHECK(fgpio_chip_read(c, 52) == 0);
	CHECK(fgpio_chip_bank_read(c, 0, &v) == 0);
	CHECK_EQ_U32(v, 0x00400000u);
	CHECK(fgpio_chip_bank_read(c, 1, &v) == 0);
	CHECK_EQ_U32(v, 0x05u);		/* masked to the bank's 6 lines */
	CHECK(fgpio_chip_bank_read(c, 2, &v) == 0);
	CHECK_EQ_U32(v, 0x00080001u);
	CHECK_ERR(fgpio_chip_read(c, 54), EINVAL);
	CHECK_ERR(fgpio_chip_bank_read(c, 3, &v), EINVAL);
	UNCHANGED(L, s);	/* reads write nothing */
	free(s);
}

/* CTRL before: IRQOVER, IRQ enables, INOVER, OEOVER and OUTOVER all set, FUNCSEL NULL. */
#define CTRL_BEFORE 0xcff3f01fu
#define CTRL_KEPT (CTRL_BEFORE & ~0x0000f01fu)	/* what survives: all but FUNCSEL/OUTOVER/OEOVER */
/* Pad before: OD, DRIVE 12 mA, PUE+PDE, SCHMITT; IE off. */
#define PAD_BEFORE 0xbeu
#define PAD_AFTER ((PAD_BEFORE | 0x40u) & ~0x80u)	/* IE on, OD off */

static void test_funcs(struct fgpio_chip *c, const struct layout *L)
{
	unsigned char *s;

	/* OUT: RIO OE through SET; pad IE on / OD off; CTRL FUNCSEL 5, overrides cleared. */
	fill(L);
	th_poke(L->path, ctrl_at(L, 17), CTRL_BEFORE);
	th_poke(L->path, pad_at(L, 17), PAD_BEFORE);
	s = SNAP(L);
	CHECK(fgpio_chip_set_func(c, 17, FGPIO_FUNC_OUT) == 0);
	golden(L, "func 17 out", s,
	       (struct word[]){ { rio_at(L, 0, RIO_OE, A_SET), 1u << 17 },
				{ pad_at(L, 17), PAD_AFTER },
				{ ctrl_at(L, 17), CTRL_KEPT | 5u } }, 3);
	free(s);

	/* IN: RIO OE through CLR. */
	th_poke(L->path, ctrl_at(L, 17), CTRL_BEFORE);
	th_poke(L->path, pad_at(L, 17), PAD_BEFORE);
	s = SNAP(L);
	CHECK(fgpio_chip_set_func(c, 17, FGPIO_FUNC_IN) == 0);
	golden(L, "func 17 in", s,
	       (struct word[]){ { rio_at(L, 0, RIO_OE, A_CLR), 1u << 17 },
				{ pad_at(L, 17), PAD_AFTER },
				{ ctrl_at(L, 17), CTRL_KEPT | 5u } }, 3);
	free(s);

	/* Bank 1 and bank 2 lines land in their own banks' registers. */
	th_poke(L->path, ctrl_at(L, 31), CTRL_BEFORE);
	th_poke(L->path, pad_at(L, 31), PAD_BEFORE);
	s = SNAP(L);
	CHECK(fgpio_chip_set_func(c, 31, FGPIO_FUNC_OUT) == 0);
	golden(L, "func 31 out", s,
	       (struct word[]){ { rio_at(L, 1, RIO_OE, A_SET), 1u << 3 },
				{ pad_at(L, 31), PAD_AFTER },
				{ ctrl_at(L, 31), CTRL_KEPT | 5u } }, 3);
	free(s);

	/* ALTn: no RIO write; the pad as for GPIO; FUNCSEL n. */
	th_poke(L->path, ctrl_at(L, 40), CTRL_BEFORE);
	th_poke(L->path, pad_at(L, 40), PAD_BEFORE);
	s = SNAP(L);
	CHECK(fgpio_chip_set_func(c, 40, FGPIO_FUNC_ALT3) == 0);
	golden(L, "func 40 alt3", s,
	       (struct word[]){ { pad_at(L, 40), PAD_AFTER }, { ctrl_at(L, 40), CTRL_KEPT | 3u } }, 2);
	free(s);

	th_poke(L->path, ctrl_at(L, 18), 0x00000005u);
	th_poke(L->path, pad_at(L, 18), 0x56u);	/* IE already on, OD off: pad word rewritten as is */
	s = SNAP(L);
	CHECK(fgpio_chip_set_func(c, 18, FGPIO_FUNC_ALT8) == 0);	/* gpclk1 */
	golden(L, "func 18 alt8", s,
	       (struct word[]){ { pad_at(L, 18), 0x56u }, { ctrl_at(L, 18), 8u } }, 2);
	free(s);

	th_poke(L->path, ctrl_at(L, 0), 0x00000005u);
	th_poke(L->path, pad_at(L, 0), 0x00u);
	s = SNAP(L);
	CHECK(fgpio_chip_set_func(c, 0, FGPIO_FUNC_ALT0) == 0);
	golden(L, "func 0 alt0", s,
	       (struct word[]){ { pad_at(L, 0), 0x40u }, { ctrl_at(L, 0), 0u } }, 2);
	free(s);

	/* Empty mux slots (pinctrl-rp1.c "_") and invalid requests: refused, nothing written. */
	s = SNAP(L);
	CHECK_ERR(fgpio_chip_set_func(c, 0, FGPIO_FUNC_ALT4), ENOTSUP);
	CHECK_ERR(fgpio_chip_set_func(c, 16, FGPIO_FUNC_ALT3), ENOTSUP);
	CHECK_ERR(fgpio_chip_set_func(c, 19, FGPIO_FUNC_ALT8), ENOTSUP);
	CHECK_ERR(fgpio_chip_set_func(c, 24, FGPIO_FUNC_ALT3), ENOTSUP);
	CHECK_ERR(fgpio_chip_set_func(c, 30, FGPIO_FUNC_ALT7), ENOTSUP);
	CHECK_ERR(fgpio_chip_set_func(c, 52, FGPIO_FUNC_ALT1), ENOTSUP);
	CHECK_ERR(fgpio_chip_set_func(c, 53, FGPIO_FUNC_ALT2), ENOTSUP);
	CHECK_ERR(fgpio_chip_set_func(c, 17, FGPIO_FUNC_NONE), EINVAL);
	CHECK_ERR(fgpio_chip_set_func(c, 17, FGPIO_FUNC_COUNT), EINVAL);
	CHECK_ERR(fgpio_chip_set_func(c, 54, FGPIO_FUNC_OUT), EINVAL);
	UNCHANGED(L, s);
	free(s);

	/* get_func */
	th_poke(L->path, ctrl_at(L, 5), 0x00000005u);
	th_poke(L->path, rio_at(L, 0, RIO_OE, 0), 1u << 5);
	CHECK(fgpio_chip_get_func(c, 5) == FGPIO_FUNC_OUT);
	th_poke(L->path, rio_at(L, 0, RIO_OE, 0), ~(1u << 5));
	CHECK(fgpio_chip_get_func(c, 5) == FGPIO_FUNC_IN);
	th_poke(L->path, ctrl_at(L, 5), 0x00003003u);	/* OUTOVER does not matter */
	CHECK(fgpio_chip_get_func(c, 5) == FGPIO_FUNC_ALT3);
	th_poke(L->path, ctrl_at(L, 5), 0x0000001fu);	/* NULL */
	CHECK(fgpio_chip_get_func(c, 5) == FGPIO_FUNC_NONE);
	th_poke(L->path, ctrl_at(L, 5), 0x00000009u);	/* FUNCSEL >= 9 */
	CHECK(fgpio_chip_get_func(c, 5) == FGPIO_FUNC_NONE);
	th_poke(L->path, ctrl_at(L, 5), 0x00008005u);	/* OEOVER overridden */
	CHECK(fgpio_chip_get_func(c, 5) == FGPIO_FUNC_NONE);
	th_poke(L->path, ctrl_at(L, 45), 0x00000008u);
	CHECK(fgpio_chip_get_func(c, 45) == FGPIO_FUNC_ALT8);
	th_poke(L->path, ctrl_at(L, 45), 0x00000005u);
	th_poke(L->path, rio_at(L, 2, RIO_OE, 0), 1u << 11);
	CHECK(fgpio_chip_get_func(c, 45) == FGPIO_FUNC_OUT);
	/* After set_func(OUT) on a fresh pair of words, get_func agrees. */
	th_poke(L->path, ctrl_at(L, 6), CTRL_BEFORE);
	th_poke(L->path, rio_at(L, 0, RIO_OE, 0), 0);
	CHECK(fgpio_chip_set_func(c, 6, FGPIO_FUNC_ALT2) == 0);
	CHECK(fgpio_chip_get_func(c, 6) == FGPIO_FUNC_ALT2);
	CHECK_ERR(fgpio_chip_get_func(c, 54), EINVAL);
	/* get_func writes nothing. */
	s = SNAP(L);
	CHECK(fgpio_chip_get_func(c, 6) == FGPIO_FUNC_ALT2);
	CHECK(fgpio_chip_get_func(c, 45) == FGPIO_FUNC_OUT);
	UNCHANGED(L, s);
	free(s);
}

static void test_pulls(struct fgpio_chip *c, const struct layout *L)
{
	unsigned char *s;
	static const struct {
		enum fgpio_pull p;
		uint32_t want;
	} cases[] = {
		{ FGPIO_PULL_UP, (PAD_BEFORE & ~0x0cu) | 0x08u },	/* PUE, bit 3 */
		{ FGPIO_PULL_DOWN, (PAD_BEFORE & ~0x0cu) | 0x04u },	/* PDE, bit 2 */
		{ FGPIO_PULL_OFF, PAD_BEFORE & ~0x0cu },
	};

	fill(L);
	for (unsigned i = 0; i < 3; i++) {
		th_poke(L->path, pad_at(L, 27), PAD_BEFORE);
		s = SNAP(L);
		CHECK(fgpio_chip_set_pull(c, 27, cases[i].p) == 0);
		golden(L, fgpio_pull_name(cases[i].p), s,
		       (struct word[]){ { pad_at(L, 27), cases[i].want } }, 1);
		free(s);
	}
	th_poke(L->path, pad_at(L, 34), 0xffffffffu);
	s = SNAP(L);
	CHECK(fgpio_chip_set_pull(c, 34, FGPIO_PULL_UP) == 0);
	golden(L, "pull 34 up", s, (struct word[]){ { pad_at(L, 34), 0xfffffffbu } }, 1);
	free(s);

	s = SNAP(L);
	CHECK_ERR(fgpio_chip_set_pull(c, 27, FGPIO_PULL_KEEPER), ENOTSUP);
	CHECK_ERR(fgpio_chip_set_pull(c, 27, FGPIO_PULL_COUNT), EINVAL);
	CHECK_ERR(fgpio_chip_set_pull(c, 54, FGPIO_PULL_UP), EINVAL);
	UNCHANGED(L, s);
	free(s);

	th_poke(L->path, pad_at(L, 33), 0x08u);
	s = SNAP(L);
	CHECK(fgpio_chip_get_pull(c, 33) == FGPIO_PULL_UP);
	th_poke(L->path, pad_at(L, 33), 0xf7u);		/* everything but PUE: PDE alone */
	CHECK(fgpio_chip_get_pull(c, 33) == FGPIO_PULL_DOWN);
	th_poke(L->path, pad_at(L, 33), 0xf3u);
	CHECK(fgpio_chip_get_pull(c, 33) == FGPIO_PULL_OFF);
	th_poke(L->path, pad_at(L, 33), 0x0cu);
	CHECK(fgpio_chip_get_pull(c, 33) == FGPIO_PULL_KEEPER);
	th_poke(L->path, pad_at(L, 33), 0x08u);
	CHECK(th_unchanged(L->path, L->io, WINDOW, s));	/* get_pull wrote nothing */
	CHECK_ERR(fgpio_chip_get_pull(c, 54), EINVAL);
	free(s);
}

static void test_header(struct fgpio_chip *c)
{
	static const int want[40] = { -1, -1, 2, -1, 3, -1, 4, 14, -1, 15, 17, 18, 27, -1,
				      22, 23, -1, 24, 10, -1, 9, 25, 11, 8, -1, 7, 0, 1, 5, -1,
				      6, 12, 13, -1, 19, 16, 26, 20, -1, 21 };

	CHECK(fgpio_chip_num_header_pins(c) == 40);
	for (unsigned i = 0; i < 40; i++) {
		const char *label = NULL;
		int line = -9;
		char name[16];

		snprintf(name, sizeof(name), "BOARD%u", i + 1);
		CHECK(fgpio_chip_header_pin(c, i, &label, &line) == 0);
		CHECK(label && strcmp(label, name) == 0);
		CHECK(line == want[i]);
	}
	CHECK(fgpio_chip_find_line(c, "BOARD11") == 17);
	CHECK(fgpio_chip_find_line(c, "BOARD27") == 0);
	CHECK(fgpio_chip_find_line(c, "GPIO53") == 53);
	CHECK_ERR(fgpio_chip_find_line(c, "BOARD6"), ENOENT);
	CHECK_ERR(fgpio_chip_find_line(c, "GPIO54"), EINVAL);
}

static void run_suite(struct fgpio_chip *c, const struct layout *L)
{
	CHECK(c != NULL);
	if (!c) {
		fprintf(stderr, "[%s] open failed: %s\n", L->name, fgpio_last_error());
		return;
	}
	CHECK(fgpio_chip_num_lines(c) == 54);
	CHECK(fgpio_chip_num_banks(c) == 3);
	unsigned first = 99, count = 99;

	CHECK(fgpio_chip_bank_lines(c, 1, &first, &count) == 0 && first == 28 && count == 6);
	CHECK(fgpio_chip_bank_lines(c, 2, &first, &count) == 0 && first == 34 && count == 20);
	test_outputs(c, L);
	test_inputs(c, L);
	test_funcs(c, L);
	test_pulls(c, L);
	test_header(c);
	fgpio_chip_close(c);
}

/* ---- fake Pi 5 device trees ---- */

#define CELLS(root, prop, ...)                                                        \
	do {                                                                          \
		const uint32_t th_c[] = { __VA_ARGS__ };                              \
		th_dt_cells(root, prop, th_c, sizeof(th_c) / sizeof(th_c[0]));        \
	} while (0)

static void str_prop(const char *root, const char *prop, const char *s, size_t len)
{
	th_dt_prop(root, prop, s, len);
}

/*
 * A Pi 5 tree with RP1 under @pcie (a node path below /axi) whose 32-bit
 * memory window starts at CPU @cpu_hi:0 (0x1f on a real Pi 5).
 */
static char *make_pi5_tree(const char *dir, const char *name, const char *pcie, uint32_t cpu_hi)
{
	char *root = malloc(4096);
	char p[512];

	snprintf(root, 4096, "%s/%s", dir, name);
	mkdir(root, 0755);
	/* bcm2712-rpi-5-b.dts / bcm2712.dtsi root */
	str_prop(root, "compatible", "raspberrypi,5-model-b\0brcm,bcm2712", 35);
	str_prop(root, "model", "Raspberry Pi 5 Model B Rev 1.0", 31);
	CELLS(root, "#address-cells", 2);
	CELLS(root, "#size-cells", 2);
	/* /soc@107c000000: ranges <0x0 0x10 0x0 0x80000000> (the BCM side; not RP1's) */
	CELLS(root, "soc@107c000000/#address-cells", 1);
	CELLS(root, "soc@107c000000/#size-cells", 1);
	CELLS(root, "soc@107c000000/ranges", 0x00000000, 0x10, 0x00000000, 0x80000000);
	/* /axi: identity ranges (bcm2712.dtsi) */
	CELLS(root, "axi/#address-cells", 2);
	CELLS(root, "axi/#size-cells", 2);
	CELLS(root, "axi/ranges", 0x00, 0x00000000, 0x00, 0x00000000, 0x10, 0x00000000,
	      0x10, 0x00000000, 0x10, 0x00000000, 0x01, 0x00000000,
	      0x14, 0x00000000, 0x14, 0x00000000, 0x04, 0x00000000,
	      0x18, 0x00000000, 0x18, 0x00000000, 0x04, 0x00000000,
	      0x1c, 0x00000000, 0x1c, 0x00000000, 0x04, 0x00000000);
	/* pcie1 (no RP1 below it): a decoy the search must not pick */
	CELLS(root, "axi/pcie@1000110000/#address-cells", 3);
	CELLS(root, "axi/pcie@1000110000/#size-cells", 2);
	CELLS(root, "axi/pcie@1000110000/ranges", 0x02000000, 0x00, 0x00000000, 0x1b, 0x00000000,
	      0x00, 0xfffffffc);
	/* RP1's controller */
	snprintf(p, sizeof(p), "axi/%s/#address-cells", pcie);
	CELLS(root, p, 3);
	snprintf(p, sizeof(p), "axi/%s/#size-cells", pcie);
	CELLS(root, p, 2);
	snprintf(p, sizeof(p), "axi/%s/device_type", pcie);
	str_prop(root, p, "pci", 4);
	snprintf(p, sizeof(p), "axi/%s/ranges", pcie);
	CELLS(root, p, 0x02000000, 0x00, 0x00000000, cpu_hi, 0x00000000, 0x00, 0xfffffffc,
	      0x43000000, 0x04, 0x00000000, cpu_hi - 3, 0x00000000, 0x03, 0x00000000);
	/* rp1 node (rp1.dtsi + &rp1 ranges in bcm2712-rpi-5-b.dts) */
	snprintf(p, sizeof(p), "axi/%s/rp1/compatible", pcie);
	str_prop(root, p, "simple-bus", 11);
	snprintf(p, sizeof(p), "axi/%s/rp1/#address-cells", pcie);
	CELLS(root, p, 2);
	snprintf(p, sizeof(p), "axi/%s/rp1/#size-cells", pcie);
	CELLS(root, p, 2);
	snprintf(p, sizeof(p), "axi/%s/rp1/ranges", pcie);
	CELLS(root, p, 0xc0, 0x40000000, 0x02000000, 0x00, 0x00000000, 0x00, 0x00410000);
	snprintf(p, sizeof(p), "axi/%s/rp1/gpio@d0000/compatible", pcie);
	str_prop(root, p, "raspberrypi,rp1-gpio", 21);
	snprintf(p, sizeof(p), "axi/%s/rp1/gpio@d0000/reg", pcie);
	CELLS(root, p, 0xc0, 0x400d0000, 0x0, 0xc000, 0xc0, 0x400e0000, 0x0, 0xc000,
	      0xc0, 0x400f0000, 0x0, 0xc000);
	snprintf(p, sizeof(p), "axi/%s/rp1/gpiomem@d0000/compatible", pcie);
	str_prop(root, p, "raspberrypi,gpiomem", 20);
	snprintf(p, sizeof(p), "axi/%s/rp1/gpiomem@d0000/reg", pcie);
	CELLS(root, p, 0xc0, 0x400d0000, 0x0, 0x30000);
	snprintf(p, sizeof(p), "axi/%s/rp1/gpiomem@d0000/chardev-name", pcie);
	str_prop(root, p, "gpiomem0", 9);
	return root;
}

static void rm_prop(const char *root, const char *prop)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", root, prop);
	if (unlink(p) != 0) {
		perror(p);
		exit(2);
	}
}

static void test_locate(const char *dir, const char *devfile)
{
	const struct fgpio_soc *soc = fgpio_soc_by_name("rp1");
	uint64_t base = 0;
	char cmd_dir[4200];

	CHECK(soc != NULL);
	if (!soc)
		return;
	CHECK(fgpio_rp1_ops.locate != NULL);

	/* A stock Pi 5: RP1 0xc0_40000000 -> PCIe 0x0 -> CPU 0x1f_00000000. */
	char *pi5 = make_pi5_tree(dir, "dt-pi5", "pcie@1000120000", 0x1f);

	CHECK(fgpio_rp1_ops.locate(soc, pi5, &base) == 0);
	CHECK(base == PI5_RP1);
	if (base != PI5_RP1)
		fprintf(stderr, "locate: 0x%llx (%s)\n", (unsigned long long)base, fgpio_last_error());

	/* Derived, not assumed: the same tree with the window moved. */
	char *moved = make_pi5_tree(dir, "dt-moved", "pcie@1000120000", 0x1e);

	base = 0;
	CHECK(fgpio_rp1_ops.locate(soc, moved, &base) == 0);
	CHECK(base == 0x1e00000000ull);

	/* Early Pi 5 firmware named the controller pcie@120000. */
	char *early = make_pi5_tree(dir, "dt-early", "pcie@120000", 0x1f);

	base = 0;
	CHECK(fgpio_rp1_ops.locate(soc, early, &base) == 0);
	CHECK(base == PI5_RP1);

	/* Detection picks rp1, the Pi 5 board and /dev/gpiomem0. */
	const struct fgpio_board_desc *board = NULL;
	char why[256];
	const struct fgpio_soc *found = fgpio_detect_soc(pi5, &board, why, sizeof(why));

	CHECK(found == soc);
	CHECK(board && strcmp(board->name, "Raspberry Pi 5 Model B") == 0);
	CHECK(soc->gpiomem_path && strcmp(soc->gpiomem_path, "/dev/gpiomem0") == 0);

	/* Through the API: devmem register file with the stock tree -> derived base. */
	struct fgpio_config cfg;
	struct fgpio_chip_info info;

	fgpio_config_init(&cfg);
	cfg.soc = "rp1";
	cfg.devmem = devfile;
	cfg.dt_root = pi5;
	struct fgpio_chip *c = fgpio_chip_open(&cfg);

	CHECK(c != NULL);
	if (c) {
		CHECK(fgpio_chip_get_info(c, &info) == 0 && info.base == PI5_RP1);
		CHECK(info.reason && strstr(info.reason, "from the device tree") != NULL);
		fgpio_chip_close(c);
	}
	/*
	 * A derived window the table does not know (the moved tree) is refused
	 * before anything is mapped, for register files too: the table's RP1
	 * layout is known only at 0x1f_00000000.
	 */
	cfg.dt_root = moved;
	errno = 0;
	c = fgpio_chip_open(&cfg);
	CHECK(c == NULL && errno == ENODEV);
	CHECK(strstr(fgpio_last_error(), "0x1e00000000") != NULL);
	if (c)
		fgpio_chip_close(c);
	/* A parent address near 2^64 must not wrap round to CPU 0x0 + offset. */
	char *wrap = make_pi5_tree(dir, "dt-wrap", "pcie@1000120000", 0x1f);

	CELLS(wrap, "axi/pcie@1000120000/ranges", 0x02000000, 0x00, 0x00000000, 0xffffffff,
	      0xffff0000, 0x00, 0xfffffffc);
	CELLS(wrap, "axi/pcie@1000120000/rp1/ranges", 0xc0, 0x40000000, 0x02000000, 0x00,
	      0x00100000, 0x00, 0x00410000);
	CHECK_ERR(fgpio_rp1_ops.locate(soc, wrap, &base), ERANGE);
	CHECK(strstr(fgpio_last_error(), "overflows") != NULL);
	cfg.dt_root = wrap;
	errno = 0;
	c = fgpio_chip_open(&cfg);
	CHECK(c == NULL && errno == ENODEV);
	if (c)
		fgpio_chip_close(c);
	/* A ranges property that exists but is a directory: refused, not "no ranges". */
	char *dirranges = make_pi5_tree(dir, "dt-dirranges", "pcie@1000120000", 0x1f);

	rm_prop(dirranges, "axi/pcie@1000120000/ranges");
	snprintf(cmd_dir, sizeof(cmd_dir), "%s/axi/pcie@1000120000/ranges", dirranges);
	CHECK(mkdir(cmd_dir, 0755) == 0);
	CHECK_ERR(fgpio_rp1_ops.locate(soc, dirranges, &base), EINVAL);
	cfg.dt_root = dirranges;
	errno = 0;
	c = fgpio_chip_open(&cfg);
	CHECK(c == NULL && errno == ENODEV);
	if (c)
		fgpio_chip_close(c);
	/* The gpio node's compatible that cannot be read (a FIFO): refused, never opened. */
	char *fifo = make_pi5_tree(dir, "dt-fifo", "pcie@1000120000", 0x1f);

	rm_prop(fifo, "axi/pcie@1000120000/rp1/gpio@d0000/compatible");
	snprintf(cmd_dir, sizeof(cmd_dir), "%s/axi/pcie@1000120000/rp1/gpio@d0000/compatible", fifo);
	CHECK(mkfifo(cmd_dir, 0644) == 0);
	CHECK_ERR(fgpio_rp1_ops.locate(soc, fifo, &base), EINVAL);
	CHECK(strstr(fgpio_last_error(), "FIFO") != NULL);
	free(wrap);
	free(dirranges);
	free(fifo);
	cfg.dt_root = moved;

	/* No PCIe ranges: ENOENT, nothing derived. */
	char *noranges = make_pi5_tree(dir, "dt-noranges", "pcie@1000120000", 0x1f);

	rm_prop(noranges, "axi/pcie@1000120000/ranges");
	base = 0x1234;
	CHECK_ERR(fgpio_rp1_ops.locate(soc, noranges, &base), ENOENT);
	CHECK(base == 0x1234);
	/* The message names the bridge's missing ranges and the way out. */
	CHECK(strstr(fgpio_last_error(), "axi/pcie@1000120000/ranges does not exist") != NULL);
	CHECK(strstr(fgpio_last_error(), "use /dev/gpiomem0") != NULL);
	/* A register file still opens, at the table default. */
	cfg.dt_root = noranges;
	c = fgpio_chip_open(&cfg);
	CHECK(c != NULL);
	if (c) {
		CHECK(fgpio_chip_get_info(c, &info) == 0 && info.base == PI5_RP1);
		fgpio_chip_close(c);
	}
	/* A memory device is refused (nothing is mapped before the refusal). */
	if (access("/dev/null", R_OK | W_OK) == 0) {
		cfg.devmem = "/dev/null";
		errno = 0;
		c = fgpio_chip_open(&cfg);
		CHECK(c == NULL);
		if (c)
			fgpio_chip_close(c);
		cfg.devmem = devfile;
	}

	/* No rp1 node at all (a Pi 4 style tree): ENOENT. */
	char *norp1 = make_pi5_tree(dir, "dt-norp1", "pcie@1000120000", 0x1f);
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s/axi/pcie@1000120000/rp1'", norp1);
	CHECK(system(cmd) == 0);
	CHECK_ERR(fgpio_rp1_ops.locate(soc, norp1, &base), ENOENT);
	CHECK_ERR(fgpio_rp1_ops.locate(soc, "/nonexistent-device-tree", &base), ENOENT);

	/* rp1 ranges that do not cover the peripheral window: ERANGE. */
	char *short_rp1 = make_pi5_tree(dir, "dt-short", "pcie@1000120000", 0x1f);

	CELLS(short_rp1, "axi/pcie@1000120000/rp1/ranges", 0xc0, 0x50000000, 0x02000000, 0x00,
	      0x00000000, 0x00, 0x00410000);
	CHECK_ERR(fgpio_rp1_ops.locate(soc, short_rp1, &base), ERANGE);

	/* PCI space codes must match: only a prefetchable 64-bit window -> ERANGE. */
	char *pref = make_pi5_tree(dir, "dt-pref", "pcie@1000120000", 0x1f);

	CELLS(pref, "axi/pcie@1000120000/ranges", 0x43000000, 0x00, 0x00000000, 0x1f, 0x00000000,
	      0x00, 0xfffffffc);
	CHECK_ERR(fgpio_rp1_ops.locate(soc, pref, &base), ERANGE);

	/* Malformed ranges: EINVAL. */
	char *bad = make_pi5_tree(dir, "dt-bad", "pcie@1000120000", 0x1f);

	CELLS(bad, "axi/pcie@1000120000/ranges", 0x02000000, 0x00, 0x00000000, 0x1f, 0x0);
	CHECK_ERR(fgpio_rp1_ops.locate(soc, bad, &base), EINVAL);

	/* A GPIO node elsewhere than the table's IO_BANK0: EINVAL. */
	char *moved_gpio = make_pi5_tree(dir, "dt-gpio", "pcie@1000120000", 0x1f);

	CELLS(moved_gpio, "axi/pcie@1000120000/rp1/gpio@d0000/reg", 0xc0, 0x400c0000, 0x0, 0xc000);
	CHECK_ERR(fgpio_rp1_ops.locate(soc, moved_gpio, &base), EINVAL);

	free(pi5);
	free(moved);
	free(early);
	free(noranges);
	free(norp1);
	free(short_rp1);
	free(pref);
	free(bad);
	free(moved_gpio);
}

int main(void)
{
	char *dir = th_tmpdir();

	/* gpiomem mode: the file is the /dev/gpiomem0 window. */
	struct layout gm = { "gpiomem", th_regfile(dir, "gpiomem0", WINDOW), 0x00000, 0x10000, 0x20000 };

	run_suite(th_open_gpiomem("rp1", gm.path), &gm);

	/* A window one page short is refused (the driver refuses short mappings too). */
	char *short_gm = th_regfile(dir, "gpiomem-short", WINDOW - 0x1000);

	errno = 0;
	CHECK(th_open_gpiomem("rp1", short_gm) == NULL && errno == EINVAL);

	/* devmem mode: a sparse file at the Pi 5's CPU addresses (about 124 GiB, sparse). */
	struct layout dm = { "devmem", th_regfile(dir, "mem", PI5_RP1 + 0x100000u),
			     PI5_RP1 + 0xd0000u, PI5_RP1 + 0xe0000u, PI5_RP1 + 0xf0000u };

	run_suite(th_open_devmem("rp1", dm.path), &dm);

	test_locate(dir, dm.path);

	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free((char *)gm.path);
	free(short_gm);
	free((char *)dm.path);
	free(dir);
	return th_done("test_rp1");
}
