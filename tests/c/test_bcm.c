/* SPDX-License-Identifier: MIT */
/*
 * tests/c/test_bcm.c - golden register tests of the BCM2835 family (bcm2835, bcm2837, bcm2711).
 *
 * Each SoC runs twice: devmem mode (a sparse file laid out like physical memory, the GPIO block
 * at <peripheral base> + 0x200000, base = the table's default because the device tree path does
 * not exist) and gpiomem mode (file offset 0 = the GPIO block). The first 64 words of the block
 * are pre-filled with distinct patterns, so every neighbour bit and every register nobody should
 * write is checked after each operation: a test fails if ANY word of the 4 KiB block differs from
 * the expectation.
 *
 * Expected numbers are restated here from the primary sources (not from the tables):
 * Linux pinctrl-bcm2835.c / dt-bindings bcm2835.h and QEMU hw/gpio/bcm283{5,8}_gpio.c:
 * GPFSEL0 0x00, GPSET0 0x1c, GPCLR0 0x28, GPLEV0 0x34, GPPUD 0x94, GPPUDCLK0 0x98,
 * GPIO_PUP_PDN_CNTRL_REG0 0xe4; fsel IN 0, OUT 1, ALT0 4, ALT1 5, ALT2 6, ALT3 7, ALT4 3, ALT5 2;
 * BCM2711 pull field: none 0, up 1, down 2.
 *
 * What a file cannot show: the order and timing of writes. The GPPUD/GPPUDCLK sequence and the
 * pass through "input" between two alternate functions leave only their final state here.
 */
#include "harness.h"

#define BLOCK 4096u
#define GPFSEL0 0x00u
#define GPSET0 0x1cu
#define GPCLR0 0x28u
#define GPLEV0 0x34u
#define GPPUD 0x94u
#define GPPUDCLK0 0x98u
#define PUPPDN0 0xe4u

static const uint32_t fsel_code[8] = { 0, 1, 4, 5, 6, 7, 3, 2 };	/* IN, OUT, ALT0..ALT5 */

struct env {
	const char *soc;
	uint64_t base;		/* peripheral base (devmem) */
	unsigned nlines;
	unsigned bank1_lines;
	int is2711;
	int devmem;
	char *path;
	uint64_t g;		/* file offset of the GPIO block */
	struct fgpio_chip *c;
};

static uint32_t pattern(unsigned word)
{
	return 0x9e3779b9u * (word + 1u) ^ 0x5a5a0f0fu;
}

static uint32_t rd(const struct env *e, uint32_t off)
{
	return th_peek(e->path, e->g + off);
}

static void wr(const struct env *e, uint32_t off, uint32_t v)
{
	th_poke(e->path, e->g + off, v);
}

static uint32_t snap_word(const unsigned char *snap, uint32_t off)
{
	uint32_t v;

	memcpy(&v, snap + off, 4);
	return v;
}

/*
 * Checks the whole block against @snap with the words @offs[i] replaced by @vals[i].
 * Reports each differing word; counts as one check.
 */
static void expect_block(const struct env *e, const unsigned char *snap, const uint32_t *offs,
			 const uint32_t *vals, size_t n, const char *what, int line)
{
	unsigned char *now = th_snapshot(e->path, e->g, BLOCK);
	int bad = 0;

	for (uint32_t off = 0; off < BLOCK; off += 4) {
		uint32_t want = snap_word(snap, off), got = snap_word(now, off);

		for (size_t i = 0; i < n; i++)
			if (offs[i] == off)
				want = vals[i];
		if (got != want) {
			fprintf(stderr, "%s:%d: [%s %s] %s: word 0x%02x = 0x%08x, want 0x%08x\n",
				__FILE__, line, e->soc, e->devmem ? "devmem" : "gpiomem", what,
				(unsigned)off, got, want);
			bad = 1;
		}
	}
	free(now);
	th_checks++;
	if (bad)
		th_failures++;
}

#define EXPECT0(e, snap, what) expect_block((e), (snap), NULL, NULL, 0, (what), __LINE__)
#define EXPECT1(e, snap, what, o1, v1)                                               \
	do {                                                                         \
		const uint32_t eo[] = { (o1) }, ev[] = { (v1) };                     \
		expect_block((e), (snap), eo, ev, 1, (what), __LINE__);              \
	} while (0)
#define EXPECT2(e, snap, what, o1, v1, o2, v2)                                       \
	do {                                                                         \
		const uint32_t eo[] = { (o1), (o2) }, ev[] = { (v1), (v2) };         \
		expect_block((e), (snap), eo, ev, 2, (what), __LINE__);              \
	} while (0)

static unsigned char *snap(const struct env *e)
{
	return th_snapshot(e->path, e->g, BLOCK);
}

static void refill(const struct env *e)
{
	for (unsigned w = 0; w < 64; w++)
		wr(e, 4u * w, pattern(w));
}

static uint32_t with_field(uint32_t word, unsigned shift, uint32_t mask, uint32_t v)
{
	return (word & ~(mask << shift)) | (v << shift);
}

/* ---- function select ---- */

static void test_func(struct env *e)
{
	unsigned char *s;
	/* line 17: GPFSEL1 (0x04), bits 21..23 */
	for (int f = FGPIO_FUNC_IN; f <= FGPIO_FUNC_ALT5; f++) {
		s = snap(e);
		CHECK(fgpio_chip_set_func(e->c, 17, (enum fgpio_func)f) == 0);
		EXPECT1(e, s, "set_func 17", 0x04, with_field(snap_word(s, 0x04), 21, 7, fsel_code[f]));
		CHECK(fgpio_chip_get_func(e->c, 17) == f);
		free(s);
	}
	/* OUT from a pattern that holds another code: only bits 21..23 change to 001. */
	refill(e);
	s = snap(e);
	CHECK(fgpio_chip_set_func(e->c, 17, FGPIO_FUNC_OUT) == 0);
	EXPECT1(e, s, "17 -> out", 0x04, with_field(snap_word(s, 0x04), 21, 7, 1));
	CHECK_EQ_U32(rd(e, 0x04) & (7u << 21), 1u << 21);
	free(s);
	/* Same function again: the word stays as it is. */
	s = snap(e);
	CHECK(fgpio_chip_set_func(e->c, 17, FGPIO_FUNC_OUT) == 0);
	EXPECT0(e, s, "17 -> out again");
	free(s);
	/* ALT0 -> ALT5 (the library passes through input; only the final state is visible). */
	CHECK(fgpio_chip_set_func(e->c, 17, FGPIO_FUNC_ALT0) == 0);
	s = snap(e);
	CHECK(fgpio_chip_set_func(e->c, 17, FGPIO_FUNC_ALT5) == 0);
	EXPECT1(e, s, "17 alt0 -> alt5", 0x04, with_field(snap_word(s, 0x04), 21, 7, 2));
	free(s);
	/* Line 9: top field of GPFSEL0 (bits 27..29); bits 30..31 keep their pattern. */
	s = snap(e);
	CHECK(fgpio_chip_set_func(e->c, 9, FGPIO_FUNC_ALT3) == 0);
	EXPECT1(e, s, "9 -> alt3", 0x00, with_field(snap_word(s, 0x00), 27, 7, 7));
	CHECK(fgpio_chip_get_func(e->c, 9) == FGPIO_FUNC_ALT3);
	free(s);
	/* Line 40: GPFSEL4 (0x10) bits 0..2. */
	s = snap(e);
	CHECK(fgpio_chip_set_func(e->c, 40, FGPIO_FUNC_ALT4) == 0);
	EXPECT1(e, s, "40 -> alt4", 0x10, with_field(snap_word(s, 0x10), 0, 7, 3));
	CHECK(fgpio_chip_get_func(e->c, 40) == FGPIO_FUNC_ALT4);
	free(s);
	/* Last line: 53 (GPFSEL5 bits 9..11) or, on BCM2711, 57 (GPFSEL5 bits 21..23). */
	unsigned last = e->nlines - 1u;
	s = snap(e);
	CHECK(fgpio_chip_set_func(e->c, last, FGPIO_FUNC_OUT) == 0);
	EXPECT1(e, s, "last -> out", 0x14, with_field(snap_word(s, 0x14), (last % 10u) * 3u, 7, 1));
	CHECK(fgpio_chip_get_func(e->c, last) == FGPIO_FUNC_OUT);
	free(s);
}

/* ---- outputs ---- */

static void test_outputs(struct env *e)
{
	unsigned char *s;

	refill(e);
	s = snap(e);
	CHECK(fgpio_chip_set(e->c, 17) == 0);
	EXPECT1(e, s, "set 17", GPSET0, 1u << 17);
	free(s);

	refill(e);
	s = snap(e);
	CHECK(fgpio_chip_clear(e->c, 17) == 0);
	EXPECT1(e, s, "clear 17", GPCLR0, 1u << 17);
	free(s);

	refill(e);
	s = snap(e);
	CHECK(fgpio_chip_write(e->c, 4, 1) == 0);
	EXPECT1(e, s, "write 4 1", GPSET0, 1u << 4);
	free(s);

	refill(e);
	s = snap(e);
	CHECK(fgpio_chip_set(e->c, 40) == 0);
	EXPECT1(e, s, "set 40", GPSET0 + 4, 1u << 8);
	free(s);

	refill(e);
	s = snap(e);
	CHECK(fgpio_chip_clear(e->c, 32) == 0);
	EXPECT1(e, s, "clear 32", GPCLR0 + 4, 1u << 0);
	free(s);

	/* Mixed bank write: one store to GPSET0, one to GPCLR0. */
	refill(e);
	s = snap(e);
	CHECK(fgpio_chip_bank_write(e->c, 0, 0x00f0000fu, 0x00a00005u) == 0);
	EXPECT2(e, s, "bank_write mixed", GPSET0, 0x00a00005u, GPCLR0, 0x0050000au);
	free(s);

	/* Only highs: GPCLR0 untouched. Only lows: GPSET0 untouched. */
	refill(e);
	s = snap(e);
	CHECK(fgpio_chip_bank_write(e->c, 0, 0x80000003u, 0xffffffffu) == 0);
	EXPECT1(e, s, "bank_write highs", GPSET0, 0x80000003u);
	free(s);
	refill(e);
	s = snap(e);
	CHECK(fgpio_chip_bank_write(e->c, 0, 0x80000003u, 0) == 0);
	EXPECT1(e, s, "bank_write lows", GPCLR0, 0x80000003u);
	free(s);

	/* Whole bank 1: 22 lines (BCM2835/6/7) or 26 (BCM2711). */
	uint32_t all1 = (1u << e->bank1_lines) - 1u;
	refill(e);
	s = snap(e);
	CHECK(fgpio_chip_bank_write(e->c, 1, all1, 0) == 0);
	EXPECT1(e, s, "bank_write bank1 lows", GPCLR0 + 4, all1);
	free(s);

	if (e->is2711) {
		refill(e);
		s = snap(e);
		CHECK(fgpio_chip_set(e->c, 57) == 0);
		EXPECT1(e, s, "set 57", GPSET0 + 4, 1u << 25);
		free(s);
	}
}

/* ---- inputs ---- */

static void test_inputs(struct env *e)
{
	uint32_t v = 0;
	unsigned char *s;

	refill(e);
	wr(e, GPLEV0, (1u << 17) | (1u << 3));
	wr(e, GPLEV0 + 4, 1u << 8);
	s = snap(e);
	CHECK(fgpio_chip_read(e->c, 17) == 1);
	CHECK(fgpio_chip_read(e->c, 3) == 1);
	CHECK(fgpio_chip_read(e->c, 16) == 0);
	CHECK(fgpio_chip_read(e->c, 40) == 1);
	CHECK(fgpio_chip_read(e->c, 41) == 0);
	CHECK(fgpio_chip_bank_read(e->c, 0, &v) == 0);
	CHECK_EQ_U32(v, (1u << 17) | (1u << 3));
	CHECK(fgpio_chip_bank_read(e->c, 1, &v) == 0);
	CHECK_EQ_U32(v, 1u << 8);
	EXPECT0(e, s, "reads write nothing");
	free(s);
	wr(e, GPLEV0, 0);
	CHECK(fgpio_chip_read(e->c, 17) == 0);
}

/* ---- pulls ---- */

static void test_pulls(struct env *e)
{
	unsigned char *s;

	refill(e);
	if (e->is2711) {
		static const struct {
			unsigned line;
			enum fgpio_pull pull;
			uint32_t reg, shift, code;
		} cases[] = {
			{ 17, FGPIO_PULL_UP, PUPPDN0 + 4, 2, 1 },
			{ 17, FGPIO_PULL_DOWN, PUPPDN0 + 4, 2, 2 },
			{ 17, FGPIO_PULL_OFF, PUPPDN0 + 4, 2, 0 },
			{ 0, FGPIO_PULL_DOWN, PUPPDN0, 0, 2 },
			{ 15, FGPIO_PULL_UP, PUPPDN0, 30, 1 },
			{ 40, FGPIO_PULL_UP, PUPPDN0 + 8, 16, 1 },
			{ 57, FGPIO_PULL_DOWN, PUPPDN0 + 12, 18, 2 },
			{ 57, FGPIO_PULL_OFF, PUPPDN0 + 12, 18, 0 },
		};
		/* Pattern words in the pull registers (past the first 64 words: fill them too). */
		for (unsigned i = 0; i < 4; i++)
			wr(e, PUPPDN0 + 4 * i, pattern(100 + i));
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			s = snap(e);
			CHECK(fgpio_chip_set_pull(e->c, cases[i].line, cases[i].pull) == 0);
			EXPECT1(e, s, "set_pull 2711", cases[i].reg,
				with_field(snap_word(s, cases[i].reg), cases[i].shift, 3, cases[i].code));
			CHECK(fgpio_chip_get_pull(e->c, cases[i].line) == (int)cases[i].pull);
			free(s);
		}
		/* Field value 3 is not an encoding: get_pull refuses, writes nothing. */
		wr(e, PUPPDN0 + 4, with_field(rd(e, PUPPDN0 + 4), 2, 3, 3));
		s = snap(e);
		CHECK_ERR(fgpio_chip_get_pull(e->c, 17), EIO);
		EXPECT0(e, s, "get_pull reserved");
		free(s);
		/* GPPUD/GPPUDCLK are not touched on BCM2711. */
		CHECK_EQ_U32(rd(e, GPPUD), pattern(GPPUD / 4));
		CHECK_EQ_U32(rd(e, GPPUDCLK0), pattern(GPPUDCLK0 / 4));
	} else {
		/* Final state only: control and clock written back to 0, other clock word intact. */
		s = snap(e);
		CHECK(fgpio_chip_set_pull(e->c, 17, FGPIO_PULL_UP) == 0);
		EXPECT2(e, s, "set_pull 17 up", GPPUD, 0, GPPUDCLK0, 0);
		free(s);
		refill(e);
		s = snap(e);
		CHECK(fgpio_chip_set_pull(e->c, 40, FGPIO_PULL_DOWN) == 0);
		EXPECT2(e, s, "set_pull 40 down", GPPUD, 0, GPPUDCLK0 + 4, 0);
		free(s);
		refill(e);
		s = snap(e);
		CHECK(fgpio_chip_set_pull(e->c, 3, FGPIO_PULL_OFF) == 0);
		EXPECT2(e, s, "set_pull 3 off", GPPUD, 0, GPPUDCLK0, 0);
		free(s);
		refill(e);
		s = snap(e);
		CHECK_ERR(fgpio_chip_get_pull(e->c, 17), ENOTSUP);
		CHECK(strstr(fgpio_last_error(), "not readable") != NULL);
		EXPECT0(e, s, "get_pull unreadable");
		free(s);
	}
}

/* ---- errors: errno and a byte-for-byte unchanged block ---- */

static void test_errors(struct env *e)
{
	uint32_t v;
	unsigned char *s;

	refill(e);
	s = snap(e);
	CHECK_ERR(fgpio_chip_set_func(e->c, e->nlines, FGPIO_FUNC_OUT), EINVAL);
	CHECK_ERR(fgpio_chip_set(e->c, e->nlines), EINVAL);
	CHECK_ERR(fgpio_chip_clear(e->c, e->nlines), EINVAL);
	CHECK_ERR(fgpio_chip_read(e->c, e->nlines), EINVAL);
	CHECK_ERR(fgpio_chip_set_pull(e->c, e->nlines, FGPIO_PULL_UP), EINVAL);
	CHECK_ERR(fgpio_chip_set_func(e->c, 17, FGPIO_FUNC_ALT6), ENOTSUP);
	CHECK_ERR(fgpio_chip_set_func(e->c, 17, FGPIO_FUNC_ALT7), ENOTSUP);
	CHECK_ERR(fgpio_chip_set_func(e->c, 17, FGPIO_FUNC_ALT8), ENOTSUP);
	/* NONE is a read-only value: generic code rejects it (EINVAL) before the family op. */
	CHECK_ERR(fgpio_chip_set_func(e->c, 17, FGPIO_FUNC_NONE), EINVAL);
	CHECK_ERR(fgpio_chip_set_func(e->c, 17, FGPIO_FUNC_COUNT), EINVAL);
	CHECK_ERR(fgpio_chip_set_pull(e->c, 17, FGPIO_PULL_KEEPER), ENOTSUP);
	CHECK_ERR(fgpio_chip_set_pull(e->c, 17, FGPIO_PULL_COUNT), EINVAL);
	CHECK_ERR(fgpio_chip_bank_write(e->c, 2, 1, 1), EINVAL);
	CHECK_ERR(fgpio_chip_bank_write(e->c, 1, 1u << e->bank1_lines, 0), EINVAL);
	CHECK_ERR(fgpio_chip_bank_read(e->c, 2, &v), EINVAL);
	if (!e->is2711) {
		CHECK_ERR(fgpio_chip_set_func(e->c, 54, FGPIO_FUNC_OUT), EINVAL);
		CHECK_ERR(fgpio_chip_set(e->c, 57), EINVAL);
		CHECK_ERR(fgpio_chip_get_pull(e->c, 17), ENOTSUP);
	}
	EXPECT0(e, s, "errors write nothing");
	free(s);
}

/* ---- fast path ---- */

static void test_fast_path(struct env *e)
{
	struct fgpio_line l;
	unsigned char *s;

	refill(e);
	CHECK(fgpio_line_init(e->c, 17, &l) == 0);
	s = snap(e);
	fgpio_line_on(&l);
	EXPECT1(e, s, "line_on 17", GPSET0, 1u << 17);
	free(s);
	refill(e);
	s = snap(e);
	fgpio_line_off(&l);
	EXPECT1(e, s, "line_off 17", GPCLR0, 1u << 17);
	free(s);
	wr(e, GPLEV0, 1u << 17);
	CHECK(fgpio_line_get(&l) == 1);
	wr(e, GPLEV0, ~(1u << 17));
	CHECK(fgpio_line_get(&l) == 0);

	refill(e);
	CHECK(fgpio_line_init(e->c, 40, &l) == 0);
	s = snap(e);
	fgpio_line_on(&l);
	EXPECT1(e, s, "line_on 40", GPSET0 + 4, 1u << 8);
	free(s);
	refill(e);
	s = snap(e);
	fgpio_line_off(&l);
	EXPECT1(e, s, "line_off 40", GPCLR0 + 4, 1u << 8);
	free(s);

	s = snap(e);
	CHECK_ERR(fgpio_line_init(e->c, e->nlines, &l), EINVAL);
	EXPECT0(e, s, "line_init error");
	free(s);
}

/* ---- board and names (default board: no device tree) ---- */

static void test_board(struct env *e)
{
	struct fgpio_chip_info info;
	const char *label = NULL;
	int line = 0;

	CHECK(fgpio_chip_get_info(e->c, &info) == 0);
	CHECK(strcmp(info.soc, e->soc) == 0);
	CHECK(strcmp(info.board, "Raspberry Pi (40-pin header)") == 0);
	CHECK(info.num_lines == e->nlines);
	CHECK(info.num_banks == 2);
	if (e->devmem)
		CHECK(info.base == e->base);
	CHECK(fgpio_chip_num_header_pins(e->c) == 40);
	CHECK(fgpio_chip_header_pin(e->c, 26, &label, &line) == 0);
	CHECK(label && strcmp(label, "BOARD27") == 0 && line == 0);
	CHECK(fgpio_chip_find_line(e->c, "BOARD11") == 17);
	CHECK(fgpio_chip_find_line(e->c, "BOARD3") == 2);
	CHECK(fgpio_chip_find_line(e->c, "BOARD13") == 27);
	CHECK(fgpio_chip_find_line(e->c, "BOARD28") == 1);
	CHECK(fgpio_chip_find_line(e->c, "BOARD40") == 21);
	CHECK(fgpio_chip_find_line(e->c, "GPIO17") == 17);
	CHECK_ERR(fgpio_chip_find_line(e->c, "BOARD6"), ENOENT);
	CHECK_ERR(fgpio_chip_find_line(e->c, "BOARD1"), ENOENT);
}

static void run(const char *dir, const char *soc, uint64_t base, unsigned nlines, int devmem)
{
	struct env e;
	char name[64];

	memset(&e, 0, sizeof(e));
	e.soc = soc;
	e.base = base;
	e.nlines = nlines;
	e.bank1_lines = nlines - 32u;
	e.is2711 = nlines == 58;
	e.devmem = devmem;
	snprintf(name, sizeof(name), "%s-%s", soc, devmem ? "mem" : "gpiomem");
	if (devmem) {
		e.g = base + 0x200000u;
		e.path = th_regfile(dir, name, e.g + BLOCK);
	} else {
		e.g = 0;
		e.path = th_regfile(dir, name, BLOCK);
	}
	refill(&e);
	unsigned char *before = snap(&e);
	e.c = devmem ? th_open_devmem(soc, e.path) : th_open_gpiomem(soc, e.path);
	CHECK(e.c != NULL);
	if (!e.c) {
		fprintf(stderr, "open %s: %s\n", name, fgpio_last_error());
		free(before);
		return;
	}
	EXPECT0(&e, before, "open writes nothing");
	free(before);
	test_func(&e);
	test_outputs(&e);
	test_inputs(&e);
	test_pulls(&e);
	test_errors(&e);
	test_fast_path(&e);
	test_board(&e);
	fgpio_chip_close(e.c);
	unlink(e.path);
	free(e.path);
}

/* ---- detection through a fake device tree: SoC, board and header map ---- */

static struct fgpio_chip *open_dt(const char *dir, const char *tag, const char *compat,
				  size_t compat_len, char **regfile)
{
	char root[512];
	struct fgpio_config cfg;

	snprintf(root, sizeof(root), "%s/dt-%s", dir, tag);
	mkdir(root, 0755);
	th_dt_compatible(root, "compatible", compat, compat_len);
	*regfile = th_regfile(dir, tag, BLOCK);
	fgpio_config_init(&cfg);
	cfg.dt_root = root;
	cfg.gpiomem = *regfile;
	return fgpio_chip_open(&cfg);
}

#define COMPAT(s) (s), sizeof(s)

static void test_detect(const char *dir)
{
	static const struct {
		const char *tag;
		const char *compat;
		size_t len;
		const char *soc, *board;
		unsigned npins;
		int board3, board13;	/* lines of header pins 3 and 13 (-1: no pin) */
	} cases[] = {
		{ "b-rev1", COMPAT("raspberrypi,model-b-i2c0\0brcm,bcm2835"), "bcm2835",
		  "Raspberry Pi Model B rev 1 (26-pin P1)", 26, 0, 21 },
		{ "b-rev2", COMPAT("raspberrypi,model-b-rev2\0brcm,bcm2835"), "bcm2835",
		  "Raspberry Pi Model B rev 2 (26-pin P1)", 26, 2, 27 },
		{ "b", COMPAT("raspberrypi,model-b\0brcm,bcm2835"), "bcm2835",
		  "Raspberry Pi Model B rev 2 (26-pin P1)", 26, 2, 27 },
		{ "a", COMPAT("raspberrypi,model-a\0brcm,bcm2835"), "bcm2835",
		  "Raspberry Pi Model A (26-pin P1)", 26, 2, 27 },
		{ "zero-w", COMPAT("raspberrypi,model-zero-w\0brcm,bcm2835"), "bcm2835",
		  "Raspberry Pi Zero W", 40, 2, 27 },
		{ "cm1", COMPAT("raspberrypi,compute-module\0brcm,bcm2835"), "bcm2835",
		  "Raspberry Pi Compute Module (no header map)", 0, -1, -1 },
		{ "2b", COMPAT("raspberrypi,2-model-b\0brcm,bcm2836"), "bcm2836",
		  "Raspberry Pi 2 Model B", 40, 2, 27 },
		{ "3b", COMPAT("raspberrypi,3-model-b\0brcm,bcm2837"), "bcm2837",
		  "Raspberry Pi 3 Model B", 40, 2, 27 },
		{ "z2w", COMPAT("raspberrypi,model-zero-2-w\0brcm,bcm2837"), "bcm2837",
		  "Raspberry Pi Zero 2 W", 40, 2, 27 },
		{ "4b", COMPAT("raspberrypi,4-model-b\0brcm,bcm2711"), "bcm2711",
		  "Raspberry Pi 4 Model B", 40, 2, 27 },
		{ "400", COMPAT("raspberrypi,400\0brcm,bcm2711"), "bcm2711", "Raspberry Pi 400", 40,
		  2, 27 },
		{ "cm4", COMPAT("raspberrypi,4-compute-module\0brcm,bcm2711"), "bcm2711",
		  "Raspberry Pi Compute Module 4 (IO board 40-pin header)", 40, 2, 27 },
		{ "cm4s", COMPAT("raspberrypi,4-compute-module-s\0brcm,bcm2711"), "bcm2711",
		  "Raspberry Pi Compute Module 4S (no header map)", 0, -1, -1 },
		{ "cm3", COMPAT("raspberrypi,3-compute-module\0brcm,bcm2837"), "bcm2837",
		  "Raspberry Pi Compute Module 3 (no header map)", 0, -1, -1 },
		{ "2b-v12", COMPAT("raspberrypi,2-model-b-rev2\0brcm,bcm2837"), "bcm2837",
		  "Raspberry Pi 2 Model B v1.2", 40, 2, 27 },
		{ "unknown-2837", COMPAT("acme,pi-clone\0brcm,bcm2837"), "bcm2837",
		  "Raspberry Pi (40-pin header)", 40, 2, 27 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *rf = NULL;
		struct fgpio_chip *c = open_dt(dir, cases[i].tag, cases[i].compat, cases[i].len, &rf);
		struct fgpio_chip_info info;

		CHECK(c != NULL);
		if (!c) {
			fprintf(stderr, "open %s: %s\n", cases[i].tag, fgpio_last_error());
			continue;
		}
		CHECK(fgpio_chip_get_info(c, &info) == 0);
		if (strcmp(info.soc, cases[i].soc) || strcmp(info.board, cases[i].board)) {
			fprintf(stderr, "%s: got %s / %s\n", cases[i].tag, info.soc, info.board);
			CHECK(0);
		}
		CHECK(fgpio_chip_num_header_pins(c) == cases[i].npins);
		if (cases[i].board3 >= 0) {
			CHECK(fgpio_chip_find_line(c, "BOARD3") == cases[i].board3);
			CHECK(fgpio_chip_find_line(c, "BOARD13") == cases[i].board13);
			CHECK(fgpio_chip_find_line(c, "BOARD5") == cases[i].board3 + 1);
		} else {
			CHECK_ERR(fgpio_chip_find_line(c, "BOARD3"), EINVAL);
		}
		if (cases[i].npins == 26)
			CHECK_ERR(fgpio_chip_find_line(c, "BOARD27"), EINVAL);
		fgpio_chip_close(c);
		unlink(rf);
		free(rf);
	}
}

/*
 * devmem with a device tree whose soc/ranges place the peripherals: proves the table's
 * ranges_bus (0x7e000000) and block offset (0x200000). A derived base must be one the table
 * knows (anything else is refused, tests/c/test_detect.c): the BCM2711 case uses the
 * high-peripheral base 0x4_7e000000, so the table's default_base cannot satisfy it.
 */
static void test_ranges(const char *dir, const char *tag, const char *compat, size_t compat_len,
			unsigned root_cells, uint64_t parent)
{
	char root[512];
	struct fgpio_config cfg;
	uint32_t ac1[1] = { 1 }, acr[1] = { root_cells };
	uint32_t ranges[4];
	size_t n = 0;

	snprintf(root, sizeof(root), "%s/dt-%s", dir, tag);
	mkdir(root, 0755);
	th_dt_compatible(root, "compatible", compat, compat_len);
	th_dt_cells(root, "#address-cells", acr, 1);
	th_dt_cells(root, "soc/#address-cells", ac1, 1);
	th_dt_cells(root, "soc/#size-cells", ac1, 1);
	ranges[n++] = 0x7e000000u;
	if (root_cells == 2)
		ranges[n++] = (uint32_t)(parent >> 32);
	ranges[n++] = (uint32_t)parent;
	ranges[n++] = 0x01000000u;
	th_dt_cells(root, "soc/ranges", ranges, n);

	uint64_t g = parent + 0x200000u;
	char *rf = th_regfile(dir, tag, g + BLOCK);

	fgpio_config_init(&cfg);
	cfg.dt_root = root;
	cfg.devmem = rf;
	struct fgpio_chip *c = fgpio_chip_open(&cfg);

	CHECK(c != NULL);
	if (!c) {
		fprintf(stderr, "open %s: %s\n", tag, fgpio_last_error());
	} else {
		struct fgpio_chip_info info;

		CHECK(fgpio_chip_get_info(c, &info) == 0);
		CHECK(info.base == parent);
		CHECK(fgpio_chip_set(c, 17) == 0);
		CHECK_EQ_U32(th_peek(rf, g + GPSET0), 1u << 17);
		fgpio_chip_close(c);
	}
	unlink(rf);
	free(rf);
}

int main(void)
{
	char *dir = th_tmpdir();

	run(dir, "bcm2835", 0x20000000u, 54, 1);
	run(dir, "bcm2835", 0x20000000u, 54, 0);
	run(dir, "bcm2837", 0x3f000000u, 54, 1);
	run(dir, "bcm2837", 0x3f000000u, 54, 0);
	run(dir, "bcm2711", 0xfe000000u, 58, 1);
	run(dir, "bcm2711", 0xfe000000u, 58, 0);
	test_detect(dir);
	test_ranges(dir, "ranges-2835", COMPAT("raspberrypi,model-b-plus\0brcm,bcm2835"), 1,
		    0x20000000u);
	test_ranges(dir, "ranges-2711", COMPAT("raspberrypi,4-model-b\0brcm,bcm2711"), 2,
		    0x47e000000ull);
	free(dir);
	return th_done("test_bcm");
}
