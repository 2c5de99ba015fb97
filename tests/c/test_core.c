/* SPDX-License-Identifier: MIT */
/*
 * tests/c/test_core.c - the generic public API: argument validation before
 * any family code runs, enum names, error messages, the inline fast path,
 * header pins and line names in every SoC naming style.
 */
#include "harness.h"

#define PI4_GPIO 0xFE200000ull

/* The library's version is the headers' (one meson project version feeds both). */
static void test_version(void)
{
	char want[32];

	snprintf(want, sizeof(want), "%d.%d.%d", FGPIO_VERSION_MAJOR, FGPIO_VERSION_MINOR,
		 FGPIO_VERSION_PATCH);
	CHECK(strcmp(fgpio_version(), want) == 0);
	CHECK(strcmp(fgpio_version(), FGPIO_VERSION_STRING) == 0);
}

static void test_enum_names(void)
{
	CHECK(strcmp(fgpio_func_name(FGPIO_FUNC_IN), "in") == 0);
	CHECK(strcmp(fgpio_func_name(FGPIO_FUNC_ALT8), "alt8") == 0);
	CHECK(fgpio_func_name(FGPIO_FUNC_COUNT) == NULL);
	CHECK(fgpio_func_name((enum fgpio_func)-1) == NULL);
	CHECK(strcmp(fgpio_pull_name(FGPIO_PULL_DOWN), "down") == 0);
	CHECK(fgpio_pull_name(FGPIO_PULL_COUNT) == NULL);
}

/* What each table must say of its SoC (sources: the boards/ headers' comments). */
static const struct soc_facts {
	const char *name, *family, *label, *bank_label, *bench;
	unsigned flags;
	uint64_t file_size;	/* a register file that covers its blocks */
} soc_facts[] = {
	{ "bcm2835", "bcm2835", "pinctrl-bcm2835", NULL, "GPIO17", FGPIO_SOC_RASPBERRY_PI, 0x20201000 },
	{ "bcm2836", "bcm2835", "pinctrl-bcm2835", NULL, "GPIO17", FGPIO_SOC_RASPBERRY_PI, 0x3F201000 },
	{ "bcm2837", "bcm2835", "pinctrl-bcm2835", NULL, "GPIO17", FGPIO_SOC_RASPBERRY_PI, 0x3F201000 },
	{ "bcm2711", "bcm2835", "pinctrl-bcm2711", NULL, "GPIO17", FGPIO_SOC_RASPBERRY_PI, 0xFE201000 },
	{ "rp1", "rp1", "pinctrl-rp1", NULL, "GPIO17",
	  FGPIO_SOC_RASPBERRY_PI | FGPIO_SOC_POSTED_WRITES, 0x1F00100000ull },
	{ "am335x", "am335x", NULL, "gpio-{first}-{last}", "GPIO1_28", 0, 0x481AF000 },
	{ "rk3288", "rk3288", NULL, "gpio{bank}", NULL, 0, 0xFF800000 },
	{ "rk3399", "rk3288", NULL, "gpio{bank}", NULL, 0, 0xFF791000 },
};

static int same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Every table has a row above and says what the row says; SoCs found by name. */
static void test_soc_info(const char *dir)
{
	struct fgpio_soc_info si;

	for (const char *const *n = fgpio_soc_names(); *n; n++) {
		const struct soc_facts *want = NULL;

		for (size_t i = 0; i < sizeof(soc_facts) / sizeof(soc_facts[0]); i++)
			if (strcmp(soc_facts[i].name, *n) == 0)
				want = &soc_facts[i];
		CHECK(want != NULL);	/* a new table needs its row */
		if (!want)
			continue;
		char *f = th_regfile(dir, "facts.bin", want->file_size);
		struct fgpio_chip *c = th_open_devmem(*n, f);

		CHECK(c != NULL);
		if (c) {
			memset(&si, 0xa5, sizeof(si));
			CHECK(fgpio_chip_get_soc_info(c, &si) == 0);
			CHECK(strcmp(si.name, *n) == 0 && si.description && si.description[0]);
			CHECK(same(si.family, want->family));
			CHECK(same(si.gpiochip_label, want->label));
			CHECK(same(si.bank_chip_label, want->bank_label));
			CHECK(same(si.bench_line, want->bench));
			CHECK(si.flags == want->flags);
			CHECK(si.reserved[0] == NULL && si.reserved[3] == NULL);
			struct fgpio_chip_info ci;

			memset(&ci, 0xa5, sizeof(ci));
			CHECK(fgpio_chip_get_info(c, &ci) == 0 && strcmp(ci.soc, *n) == 0);
			CHECK(ci.reserved[0] == NULL && ci.reserved[3] == NULL);
			/* Exactly one way to find the kernel's chip for a line. */
			CHECK((si.gpiochip_label == NULL) != (si.bank_chip_label == NULL));
			/* The default bench line is a name the table resolves. */
			CHECK(!si.bench_line || fgpio_chip_find_line(c, si.bench_line) >= 0);
			CHECK_ERR(fgpio_chip_get_soc_info(c, NULL), EINVAL);
			fgpio_chip_close(c);
		}
		unlink(f);
		free(f);
	}
	CHECK_ERR(fgpio_chip_get_soc_info(NULL, &si), EINVAL);
}

static void test_null_chip(void)
{
	struct fgpio_chip_info info;

	fgpio_chip_close(NULL);
	CHECK_ERR(fgpio_chip_set(NULL, 1), EINVAL);
	CHECK_ERR(fgpio_chip_read(NULL, 1), EINVAL);
	CHECK_ERR(fgpio_chip_get_info(NULL, &info), EINVAL);
	CHECK_ERR(fgpio_chip_find_line(NULL, "GPIO1"), EINVAL);
	CHECK(fgpio_chip_num_lines(NULL) == 0);
	CHECK(fgpio_chip_num_header_pins(NULL) == 0);
}

static void test_validation_and_fast_path(const char *dir)
{
	char *regs = th_regfile(dir, "pi4.bin", PI4_GPIO + 0x1000);
	struct fgpio_chip *c = th_open_devmem("bcm2711", regs);

	CHECK(c != NULL);
	if (!c)
		return;
	th_fill(regs, PI4_GPIO, 0x100, 0x5a5a5a5a);
	unsigned char *snap = th_snapshot(regs, PI4_GPIO, 0x1000);

	CHECK_ERR(fgpio_chip_set(c, 58), EINVAL);
	CHECK(strstr(fgpio_last_error(), "line 58") != NULL);
	CHECK_ERR(fgpio_chip_write(c, 1000000, 1), EINVAL);
	CHECK_ERR(fgpio_chip_set_func(c, 4, FGPIO_FUNC_NONE), EINVAL);
	CHECK_ERR(fgpio_chip_set_func(c, 4, (enum fgpio_func)99), EINVAL);
	CHECK_ERR(fgpio_chip_set_pull(c, 4, (enum fgpio_pull)-1), EINVAL);
	CHECK_ERR(fgpio_chip_bank_write(c, 2, 1, 1), EINVAL);
	CHECK_ERR(fgpio_chip_bank_write(c, 1, 1u << 26, 0), EINVAL);
	CHECK_ERR(fgpio_chip_bank_read(c, 0, NULL), EINVAL);
	CHECK_ERR(fgpio_line_init(c, 58, NULL), EINVAL);
	CHECK_ERR(fgpio_chip_get_info(c, NULL), EINVAL);
	CHECK(fgpio_chip_bank_write(c, 0, 0, 0xffffffff) == 0);	/* empty mask: no access */
	CHECK(th_unchanged(regs, PI4_GPIO, 0x1000, snap));

	struct fgpio_line l;

	CHECK(fgpio_line_init(c, 45, &l) == 0);
	th_poke(regs, PI4_GPIO + 0x20, 0);
	fgpio_line_on(&l);
	CHECK_EQ_U32(th_peek(regs, PI4_GPIO + 0x20), 1u << 13);	/* GPSET1 */
	fgpio_line_off(&l);
	CHECK_EQ_U32(th_peek(regs, PI4_GPIO + 0x2C), 1u << 13);	/* GPCLR1 */
	th_poke(regs, PI4_GPIO + 0x38, 1u << 13);
	CHECK(fgpio_line_get(&l) == 1);
	th_poke(regs, PI4_GPIO + 0x38, ~(1u << 13));
	CHECK(fgpio_line_get(&l) == 0);

	struct fgpio_chip_info info;

	CHECK(fgpio_chip_get_info(c, &info) == 0);
	CHECK(strcmp(info.soc, "bcm2711") == 0 && strcmp(info.backend, "devmem") == 0);
	CHECK(info.base == 0xFE000000ull && info.num_lines == 58 && info.num_banks == 2);
	CHECK(strcmp(info.device, regs) == 0);

	unsigned first = 99, count = 99;

	CHECK(fgpio_chip_bank_lines(c, 1, &first, &count) == 0 && first == 32 && count == 26);

	const char *label;
	int line;

	CHECK(fgpio_chip_num_header_pins(c) == 40);
	CHECK(fgpio_chip_header_pin(c, 10, &label, &line) == 0);
	CHECK(strcmp(label, "BOARD11") == 0 && line == 17);
	CHECK(fgpio_chip_header_pin(c, 0, &label, &line) == 0 && line == -1);
	CHECK_ERR(fgpio_chip_header_pin(c, 40, &label, &line), EINVAL);
	fgpio_chip_close(c);
	free(snap);
	free(regs);
}

struct name_case {
	const char *soc;
	const char *name;
	int line;	/* >= 0 expected line; otherwise -errno */
};

static const struct name_case names[] = {
	{ "bcm2837", "GPIO17", 17 },	{ "bcm2837", "gpio17", 17 },
	{ "bcm2837", "17", 17 },	{ "bcm2837", "BOARD11", 17 },
	{ "bcm2837", "PIN11", 17 },	{ "bcm2837", "BOARD1", -ENOENT },
	{ "bcm2837", "GPIO54", -EINVAL },	{ "bcm2837", "54", -EINVAL },
	{ "bcm2837", "", -EINVAL },	{ "bcm2837", "GPIO", -EINVAL },
	{ "bcm2837", "GPIO-1", -EINVAL },	{ "bcm2837", "GPIO99999", -EINVAL },
	{ "bcm2837", "P9_12", -EINVAL },	{ "bcm2837", "GPIO1_28", -EINVAL },
	{ "bcm2837", "BOARD41", -EINVAL },
	{ "bcm2837", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", -EINVAL },
	{ "am335x", "GPIO1_28", 60 },	{ "am335x", "gpio3_21", 117 },
	{ "am335x", "GPIO4_0", -EINVAL },	{ "am335x", "GPIO1_32", -EINVAL },
	{ "am335x", "GPIO60", -EINVAL },	{ "am335x", "60", 60 },
	{ "rk3288", "GPIO5_B0", 160 },	{ "rk3288", "GPIO5B0", 160 },
	{ "rk3288", "GPIO0_C7", 23 },	{ "rk3288", "GPIO0_D0", -EINVAL },
	{ "rk3288", "GPIO5_B8", -EINVAL },	{ "rk3288", "GPIO5_E0", -EINVAL },
	{ "rk3288", "GPIO9_A0", -EINVAL },	{ "rk3288", "GPIO1_A0", 24 },
	{ "rp1", "GPIO27", 27 },	{ "rp1", "GPIO53", 53 },
};

static void test_names(void)
{
	struct fgpio_chip *chips[8] = { 0 };
	const char *socs[] = { "bcm2837", "am335x", "rk3288", "rp1" };
	/* Names resolve from the table alone: no mapping is involved, but a chip is
	 * needed; open each SoC on a register file big enough for its blocks. */
	char *dir = th_tmpdir();
	const uint64_t sizes[] = { 0x3F201000ull, 0x48200000ull, 0xFF800000ull, 0x1f00100000ull };

	for (unsigned i = 0; i < 4; i++) {
		char *f = th_regfile(dir, socs[i], sizes[i]);

		chips[i] = th_open_devmem(socs[i], f);
		if (!chips[i])
			fprintf(stderr, "open %s: %s\n", socs[i], fgpio_last_error());
		CHECK(chips[i] != NULL);
		free(f);
	}
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		const struct name_case *n = &names[k];
		struct fgpio_chip *c = NULL;

		for (unsigned i = 0; i < 4; i++)
			if (strcmp(socs[i], n->soc) == 0)
				c = chips[i];
		if (!c)
			continue;
		errno = 0;
		int r = fgpio_chip_find_line(c, n->name);
		int got = r >= 0 ? r : -errno;

		if (got != n->line)
			fprintf(stderr, "%s \"%s\": got %d, want %d (%s)\n", n->soc, n->name, got, n->line,
				fgpio_last_error());
		CHECK(got == n->line);
	}
	for (unsigned i = 0; i < 4; i++)
		fgpio_chip_close(chips[i]);
	free(dir);
}

static struct fgpio_chip *open_board(const char *soc, const char *board, const char *devmem)
{
	struct fgpio_config cfg;

	fgpio_config_init(&cfg);
	cfg.soc = soc;
	cfg.board = board;
	cfg.devmem = devmem;
	cfg.dt_root = "/nonexistent-device-tree";
	return fgpio_chip_open(&cfg);
}

/* fgpio_config.board: header names without a device tree; unknown or ambiguous boards refused. */
static void test_board_option(const char *dir)
{
	char *pi = th_regfile(dir, "board-pi4.bin", PI4_GPIO + 0x1000);
	char *bbb = th_regfile(dir, "board-bbb.bin", 0x481AF000);
	struct fgpio_chip_info info;
	struct fgpio_chip *c = open_board("bcm2711", "RaspberryPi,4-Model-B", pi);

	CHECK(c != NULL);
	if (c) {
		CHECK(fgpio_chip_get_info(c, &info) == 0);
		CHECK(strcmp(info.board, "Raspberry Pi 4 Model B") == 0);
		CHECK(strstr(info.reason, "board Raspberry Pi 4 Model B chosen by the caller") != NULL);
		CHECK(fgpio_chip_find_line(c, "BOARD11") == 17);
		fgpio_chip_close(c);
	}
	c = open_board(NULL, "beaglebone black", bbb);	/* the board names its SoC */
	CHECK(c != NULL);
	if (c) {
		CHECK(fgpio_chip_get_info(c, &info) == 0);
		CHECK(strcmp(info.soc, "am335x") == 0 && strcmp(info.board, "BeagleBone Black") == 0);
		CHECK(fgpio_chip_find_line(c, "P9_12") == 60);
		fgpio_chip_close(c);
	}
	/* Without a board, the same file has no header names (no device tree). */
	c = open_board("am335x", NULL, bbb);
	CHECK(c != NULL);
	if (c) {
		CHECK_ERR(fgpio_chip_find_line(c, "P9_12"), EINVAL);
		fgpio_chip_close(c);
	}
	CHECK(open_board(NULL, "Raspberry Pi (40-pin header)", pi) == NULL && errno == EINVAL);
	CHECK(strstr(fgpio_last_error(), "name the SoC too") != NULL);
	CHECK(open_board("bcm2711", "BeagleBone Black", pi) == NULL && errno == EINVAL);
	CHECK(strstr(fgpio_last_error(), "\"Raspberry Pi 400\"") != NULL);	/* lists its boards */
	CHECK(open_board(NULL, "Pi 4", pi) == NULL && errno == EINVAL);
	CHECK(open_board("nosuch", "BeagleBone Black", bbb) == NULL && errno == EINVAL);
	unlink(pi);
	unlink(bbb);
	free(pi);
	free(bbb);
}

int main(void)
{
	char *dir = th_tmpdir();

	test_version();
	test_enum_names();
	test_null_chip();
	test_soc_info(dir);
	test_board_option(dir);
	test_validation_and_fast_path(dir);
	test_names();
	free(dir);
	return th_done("core");
}
