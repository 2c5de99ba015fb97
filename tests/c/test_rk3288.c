/* SPDX-License-Identifier: MIT */
/*
 * tests/c/test_rk3288.c - golden register tests of the RK3288 family.
 *
 * The register file stands in for /dev/mem: every block sits at its physical
 * address. Expected addresses and words are written out as literals here (not
 * taken from boards/rk3288.h), so a wrong table entry fails a test. There is
 * no RK3288 emulator: these tests check the words the library stores, not
 * what the silicon does with them. A plain file does not emulate hiword
 * masking either: after a GRF write the file holds exactly the word written.
 */
#include "harness.h"
#include "internal.h"

#define RK_FILE_SIZE 0xff800000ull	/* covers GPIO8 (0xff7f0000 + 4 KiB) */

#define RK_GPIO(b) ((b) == 0 ? 0xff750000ull : 0xff780000ull + 0x10000ull * ((b) - 1))
#define RK_GRF 0xff770000ull
#define RK_PMU 0xff730000ull
#define RK_CRU 0xff760000ull
#define RK_DR 0x00
#define RK_DDR 0x04
#define RK_EXT 0x50

#define RK_CON14 (RK_CRU + 0x198)	/* pclk_gpio1..8: bits 1..8 */
#define RK_CON17 (RK_CRU + 0x1a4)	/* pclk_gpio0: bit 4 */

/* The twelve pages the library maps: GPIO0..8, GRF, PMU, CRU. */
static const uint64_t rk_pages[12] = {
	0xff750000ull, 0xff780000ull, 0xff790000ull, 0xff7a0000ull, 0xff7b0000ull, 0xff7c0000ull,
	0xff7d0000ull, 0xff7e0000ull, 0xff7f0000ull, RK_GRF, RK_PMU, RK_CRU,
};

/* Asserts that @call fails with @err and that no mapped register changed. */
#define CHECK_ERR_UNCHANGED(f, call, err)                                            \
	do {                                                                         \
		struct th_pages th_s;                                                \
		th_pages_take((f), rk_pages, 12, &th_s);                             \
		CHECK_ERR(call, err);                                                \
		CHECK(th_pages_same((f), &th_s));                                    \
	} while (0)

static struct fgpio_chip *rk_open(const char *file, unsigned flags, const char *dt)
{
	return th_open_soc("rk3288", file, flags, dt);
}

static void test_layout(const char *f)
{
	struct fgpio_chip *c = rk_open(f, 0, NULL);
	unsigned first = 0, count = 0;

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_U32(fgpio_chip_num_lines(c), 264);
	CHECK_EQ_U32(fgpio_chip_num_banks(c), 9);
	CHECK(fgpio_chip_bank_lines(c, 0, &first, &count) == 0 && first == 0 && count == 24);
	CHECK(fgpio_chip_bank_lines(c, 5, &first, &count) == 0 && first == 152 && count == 32);
	CHECK(fgpio_chip_bank_lines(c, 8, &first, &count) == 0 && first == 248 && count == 16);
	/* names.c: BANK_PORT names map to the legacy kernel numbers */
	CHECK(fgpio_chip_find_line(c, "GPIO5_B0") == 160);
	CHECK(fgpio_chip_find_line(c, "GPIO0_C1") == 17);
	CHECK(fgpio_chip_find_line(c, "GPIO1_D0") == 48);
	CHECK(fgpio_chip_find_line(c, "GPIO8_B7") == 263);
	CHECK(fgpio_chip_find_line(c, "GPIO0_D0") == -1);	/* bank 0 has 24 lines */
	CHECK(fgpio_chip_find_line(c, "GPIO8_C0") == -1);	/* bank 8 has 16 lines */
	fgpio_chip_close(c);
}

/* Tinker Board header names through a fake device tree. */
static void test_header(const char *f, const char *dir)
{
	char dt[512];
	static const char compat[] = "asus,rk3288-tinker-s\0rockchip,rk3288";

	snprintf(dt, sizeof(dt), "%s/dt", dir);
	mkdir(dt, 0755);
	th_dt_compatible(dt, "compatible", compat, sizeof(compat));
	struct fgpio_chip *c = rk_open(f, 0, dt);

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK(fgpio_chip_find_line(c, "PIN10") == 160);	/* GPIO5_B0, UART1_RX */
	CHECK(fgpio_chip_find_line(c, "PIN7") == 17);	/* GPIO0_C1 */
	CHECK(fgpio_chip_find_line(c, "PIN3") == 252);	/* GPIO8_A4 */
	CHECK(fgpio_chip_find_line(c, "PIN32") == 239);	/* GPIO7_C7 */
	CHECK(fgpio_chip_find_line(c, "PIN40") == 188);	/* GPIO6_A4 */
	CHECK_ERR(fgpio_chip_find_line(c, "PIN6"), ENOENT);	/* ground */
	const char *label = NULL;
	int line = 0;

	CHECK_EQ_U32(fgpio_chip_num_header_pins(c), 40);
	CHECK(fgpio_chip_header_pin(c, 9, &label, &line) == 0 && line == 160 &&
	      label && strcmp(label, "PIN10") == 0);
	CHECK(fgpio_chip_header_pin(c, 0, &label, &line) == 0 && line == FGPIO_PIN_POWER);
	fgpio_chip_close(c);

	/* SoC detected from the root compatible, board from the Tinker compatible */
	struct fgpio_config cfg;
	struct fgpio_chip_info info;

	fgpio_config_init(&cfg);
	cfg.devmem = f;
	cfg.dt_root = dt;
	c = fgpio_chip_open(&cfg);
	CHECK(c != NULL);
	if (!c)
		return;
	CHECK(fgpio_chip_get_info(c, &info) == 0);
	CHECK(strcmp(info.soc, "rk3288") == 0);
	CHECK(strstr(info.board, "Tinker") != NULL);
	CHECK(fgpio_chip_find_line(c, "PIN8") == 161);
	fgpio_chip_close(c);
}

static void test_data(const char *f)
{
	struct fgpio_chip *c = rk_open(f, 0, NULL);

	CHECK(c != NULL);
	if (!c)
		return;
	/* GPIO5_B0 = line 160 = bank 5 bit 8: read-modify-write of SWPORTA_DR */
	th_poke(f, RK_GPIO(5) + RK_DR, 0x5a5a5a5au);
	CHECK(fgpio_chip_set(c, 160) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO(5) + RK_DR), 0x5a5a5b5au);
	CHECK(fgpio_chip_clear(c, 160) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO(5) + RK_DR), 0x5a5a5a5au);
	th_poke(f, RK_GPIO(5) + RK_DR, 0xffffffffu);
	CHECK(fgpio_chip_clear(c, 160) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO(5) + RK_DR), 0xfffffeffu);
	CHECK(fgpio_chip_write(c, 160, 1) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO(5) + RK_DR), 0xffffffffu);
	/* direction and neighbour banks untouched */
	CHECK_EQ_U32(th_peek(f, RK_GPIO(5) + RK_DDR), 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO(4) + RK_DR), 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO(6) + RK_DR), 0);

	/* bank_write: one masked read-modify-write */
	th_poke(f, RK_GPIO(5) + RK_DR, 0x12345678u);
	CHECK(fgpio_chip_bank_write(c, 5, 0x0000ff00u, 0x0000a500u) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO(5) + RK_DR), 0x1234a578u);

	/* GPIO0 (PMU domain) at 0xff750000: GPIO0_C1 = line 17 */
	th_poke(f, RK_GPIO(0) + RK_DR, 0x00000001u);
	CHECK(fgpio_chip_set(c, 17) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO(0) + RK_DR), 0x00020001u);
	/* last line: 263 = GPIO8_B7 = bit 15 of 0xff7f0000 */
	th_poke(f, RK_GPIO(8) + RK_DR, 0x00000001u);
	CHECK(fgpio_chip_set(c, 263) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO(8) + RK_DR), 0x00008001u);
	/* GPIO1_D0 = line 48 = bank 1 bit 24 at 0xff780000 */
	th_poke(f, RK_GPIO(1) + RK_DR, 0);
	CHECK(fgpio_chip_set(c, 48) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO(1) + RK_DR), 0x01000000u);

	/* EXT_PORTA reads */
	th_poke(f, RK_GPIO(5) + RK_EXT, 0x00000100u);
	CHECK(fgpio_chip_read(c, 160) == 1);
	CHECK(fgpio_chip_read(c, 161) == 0);
	th_poke(f, RK_GPIO(5) + RK_DR, 0x00000200u);	/* DR is not what read reports */
	CHECK(fgpio_chip_read(c, 161) == 0);
	uint32_t v = 0;

	th_poke(f, RK_GPIO(8) + RK_EXT, 0xffffffffu);
	CHECK(fgpio_chip_bank_read(c, 8, &v) == 0);
	CHECK_EQ_U32(v, 0x0000ffffu);	/* GPIO8 has 16 lines */
	th_poke(f, RK_GPIO(0) + RK_EXT, 0x00020000u);
	CHECK(fgpio_chip_read(c, 17) == 1);

	/* line handle: no set/clear registers, input register cached */
	struct fgpio_line l;

	CHECK(fgpio_line_init(c, 160, &l) == 0);
	CHECK(l.set_reg == NULL && l.clr_reg == NULL && l.in_reg != NULL);
	CHECK_EQ_U32(l.mask, 0x100u);
	CHECK(fgpio_line_get(&l) == 1);
	th_poke(f, RK_GPIO(5) + RK_EXT, 0xfffffeffu);
	CHECK(fgpio_line_get(&l) == 0);
	th_poke(f, RK_GPIO(5) + RK_DR, 0x80000001u);
	fgpio_line_on(&l);
	CHECK_EQ_U32(th_peek(f, RK_GPIO(5) + RK_DR), 0x80000101u);
	fgpio_line_off(&l);
	CHECK_EQ_U32(th_peek(f, RK_GPIO(5) + RK_DR), 0x80000001u);
	fgpio_chip_close(c);
}

static void test_func(const char *f)
{
	struct fgpio_chip *c = rk_open(f, 0, NULL);

	CHECK(c != NULL);
	if (!c)
		return;
	/* GPIO5_B0 (160): GRF_GPIO5B_IOMUX at 0x50, field bits 1:0; DDR bit 8 */
	th_poke(f, RK_GRF + 0x50, 0x0000ffffu);
	th_poke(f, RK_GPIO(5) + RK_DDR, 0x00000001u);
	CHECK(fgpio_chip_set_func(c, 160, FGPIO_FUNC_OUT) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x50), 0x00030000u);	/* enable bits 17:16, value 0 */
	CHECK_EQ_U32(th_peek(f, RK_GPIO(5) + RK_DDR), 0x00000101u);
	th_poke(f, RK_GPIO(5) + RK_DDR, 0xffffffffu);
	CHECK(fgpio_chip_set_func(c, 160, FGPIO_FUNC_IN) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO(5) + RK_DDR), 0xfffffeffu);
	CHECK(fgpio_chip_get_func(c, 160) == FGPIO_FUNC_IN);
	CHECK(fgpio_chip_get_func(c, 161) == FGPIO_FUNC_OUT);
	th_poke(f, RK_GRF + 0x50, 0x00000002u);
	CHECK(fgpio_chip_get_func(c, 160) == FGPIO_FUNC_ALT2);	/* mux 2 = RK_FUNC_2 */

	/* ALTn = mux n; GPIO5_B1 (161) field bits 3:2; DDR untouched */
	th_poke(f, RK_GPIO(5) + RK_DDR, 0x12345678u);
	CHECK(fgpio_chip_set_func(c, 161, FGPIO_FUNC_ALT3) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x50), 0x000c000cu);
	CHECK_EQ_U32(th_peek(f, RK_GPIO(5) + RK_DDR), 0x12345678u);
	CHECK(fgpio_chip_get_func(c, 161) == FGPIO_FUNC_ALT3);
	/* 2-bit port: ALT4 (mux 4) does not fit */
	CHECK_ERR_UNCHANGED(f, fgpio_chip_set_func(c, 161, FGPIO_FUNC_ALT4), ENOTSUP);
	CHECK_ERR_UNCHANGED(f, fgpio_chip_set_func(c, 161, FGPIO_FUNC_ALT8), ENOTSUP);

	/* GPIO8_A4 (252, PIN3): GRF_GPIO8A_IOMUX 0x80, bits 9:8 */
	CHECK(fgpio_chip_set_func(c, 252, FGPIO_FUNC_ALT1) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x80), 0x03000100u);
	/* GPIO1_D0 (48): GRF_GPIO1D_IOMUX 0x0c */
	CHECK(fgpio_chip_set_func(c, 48, FGPIO_FUNC_ALT1) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x0c), 0x00030001u);
	/* GPIO6_A0 (184, PIN12): GRF_GPIO6A_IOMUX 0x5c */
	CHECK(fgpio_chip_set_func(c, 184, FGPIO_FUNC_ALT1) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x5c), 0x00030001u);

	/* 4-bit port GPIO7_C: 0x74 (C0-C3), 0x78 (C4-C7), 4 bits a line */
	CHECK(fgpio_chip_set_func(c, 238, FGPIO_FUNC_ALT3) == 0);	/* C6 -> 0x78 bits 11:8 */
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x78), 0x0f000300u);
	CHECK(fgpio_chip_get_func(c, 238) == FGPIO_FUNC_ALT3);
	CHECK(fgpio_chip_set_func(c, 233, FGPIO_FUNC_ALT8) == 0);	/* C1 -> 0x74 bits 7:4, mux 8 */
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x74), 0x00f00080u);
	CHECK(fgpio_chip_get_func(c, 233) == FGPIO_FUNC_ALT8);
	/* 4-bit GPIO4_A and GPIO3_D */
	CHECK(fgpio_chip_set_func(c, 125, FGPIO_FUNC_ALT4) == 0);	/* GPIO4_A5 -> 0x38 bits 7:4 */
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x38), 0x00f00040u);
	CHECK(fgpio_chip_set_func(c, 112, FGPIO_FUNC_ALT3) == 0);	/* GPIO3_D0 -> 0x2c bits 3:0 */
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x2c), 0x000f0003u);
	CHECK(fgpio_chip_set_func(c, 130, FGPIO_FUNC_ALT1) == 0);	/* GPIO4_B2 -> 0x3c bits 11:8 */
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x3c), 0x0f000100u);
	th_poke(f, RK_GRF + 0x78, 0x00000f00u);	/* mux 15: no ALTn for it */
	CHECK_ERR(fgpio_chip_get_func(c, 238), ENOTSUP);
	th_poke(f, RK_GRF + 0x78, 0x00000900u);	/* mux 9: beyond alt8 */
	CHECK_ERR(fgpio_chip_get_func(c, 238), ENOTSUP);

	/* mux routes: GPIO7_C7 mux 4 (ALT4) and GPIO7_C0 mux 2 (ALT2) write GRF 0x264 first */
	th_poke(f, RK_GRF + 0x264, 0);
	CHECK(fgpio_chip_set_func(c, 239, FGPIO_FUNC_ALT4) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x264), 0x10000000u);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x78), 0xf0004000u);
	CHECK(fgpio_chip_set_func(c, 232, FGPIO_FUNC_ALT2) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x264), 0x10001000u);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x74), 0x000f0002u);
	th_poke(f, RK_GRF + 0x264, 0xdeadbeefu);
	CHECK(fgpio_chip_set_func(c, 239, FGPIO_FUNC_ALT3) == 0);	/* mux 3: no route */
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x264), 0xdeadbeefu);

	/* GPIO0 in the PMU: read-modify-write keeping other bits, enable bits set */
	th_poke(f, RK_PMU + 0x8c, 0x3000ffffu);	/* GPIO0_C iomux */
	th_poke(f, RK_GPIO(0) + RK_DDR, 0);
	CHECK(fgpio_chip_set_func(c, 17, FGPIO_FUNC_OUT) == 0);	/* GPIO0_C1: bits 3:2 */
	CHECK_EQ_U32(th_peek(f, RK_PMU + 0x8c), 0x300cfff3u);
	CHECK_EQ_U32(th_peek(f, RK_GPIO(0) + RK_DDR), 0x00020000u);
	CHECK(fgpio_chip_get_func(c, 17) == FGPIO_FUNC_OUT);
	CHECK(fgpio_chip_set_func(c, 17, FGPIO_FUNC_ALT1) == 0);
	CHECK_EQ_U32(th_peek(f, RK_PMU + 0x8c), 0x300cfff7u);
	CHECK(fgpio_chip_get_func(c, 17) == FGPIO_FUNC_ALT1);
	th_poke(f, RK_PMU + 0x84, 0x00000000u);	/* GPIO0_A iomux */
	CHECK(fgpio_chip_set_func(c, 7, FGPIO_FUNC_ALT3) == 0);	/* GPIO0_A7: bits 15:14 */
	CHECK_EQ_U32(th_peek(f, RK_PMU + 0x84), 0xc000c000u);
	CHECK(fgpio_chip_set_func(c, 9, FGPIO_FUNC_ALT1) == 0);	/* GPIO0_B1 at 0x88 */
	CHECK_EQ_U32(th_peek(f, RK_PMU + 0x88), 0x000c0004u);

	/* unrouted ports: GPIO1_A0 (24), GPIO5_A0 (152), GPIO2_D0 (80), GPIO7_D0 (240) */
	CHECK_ERR_UNCHANGED(f, fgpio_chip_set_func(c, 24, FGPIO_FUNC_OUT), ENXIO);
	CHECK_ERR_UNCHANGED(f, fgpio_chip_set_func(c, 152, FGPIO_FUNC_ALT1), ENXIO);
	CHECK_ERR_UNCHANGED(f, fgpio_chip_set_func(c, 80, FGPIO_FUNC_IN), ENXIO);
	CHECK_ERR_UNCHANGED(f, fgpio_chip_set_func(c, 240, FGPIO_FUNC_OUT), ENXIO);
	CHECK_ERR(fgpio_chip_get_func(c, 24), ENXIO);
	CHECK_ERR_UNCHANGED(f, fgpio_chip_set_pull(c, 152, FGPIO_PULL_UP), ENXIO);
	CHECK_ERR(fgpio_chip_get_pull(c, 152), ENXIO);
	/* bad function value from the generic layer */
	CHECK_ERR_UNCHANGED(f, fgpio_chip_set_func(c, 160, FGPIO_FUNC_NONE), EINVAL);
	fgpio_chip_close(c);
}

/*
 * ALTn selects iomux value n (the device trees' RK_FUNC_n): exact words for
 * every ALT number a field can hold, on a 2-bit GRF port, a 4-bit GRF port
 * and a PMU port; get_func reports the same number back.
 */
static void test_alt_numbers(const char *f)
{
	struct fgpio_chip *c = rk_open(f, 0, NULL);

	CHECK(c != NULL);
	if (!c)
		return;
	/* GPIO5_B0 (160): GRF 0x50 bits 1:0, 2-bit: alt1..alt3 */
	static const uint32_t grf2[4] = { 0, 0x00030001u, 0x00030002u, 0x00030003u };

	for (int n = 1; n <= 3; n++) {
		th_poke(f, RK_GRF + 0x50, 0);
		CHECK(fgpio_chip_set_func(c, 160, (enum fgpio_func)(FGPIO_FUNC_ALT0 + n)) == 0);
		CHECK_EQ_U32(th_peek(f, RK_GRF + 0x50), grf2[n]);
		th_poke(f, RK_GRF + 0x50, (uint32_t)n);	/* what the GRF would hold */
		CHECK(fgpio_chip_get_func(c, 160) == FGPIO_FUNC_ALT0 + n);
	}
	/* GPIO7_C6 (238): GRF 0x78 bits 11:8, 4-bit: alt1..alt8 */
	for (int n = 1; n <= 8; n++) {
		th_poke(f, RK_GRF + 0x78, 0);
		CHECK(fgpio_chip_set_func(c, 238, (enum fgpio_func)(FGPIO_FUNC_ALT0 + n)) == 0);
		CHECK_EQ_U32(th_peek(f, RK_GRF + 0x78), 0x0f000000u | ((uint32_t)n << 8));
		th_poke(f, RK_GRF + 0x78, (uint32_t)n << 8);
		CHECK(fgpio_chip_get_func(c, 238) == FGPIO_FUNC_ALT0 + n);
	}
	/* GPIO0_C1 (17, PIN7): PMU 0x8c bits 3:2, read-modify-write */
	static const uint32_t pmu2[4] = { 0, 0x000c0004u, 0x000c0008u, 0x000c000cu };

	for (int n = 1; n <= 3; n++) {
		th_poke(f, RK_PMU + 0x8c, 0);
		CHECK(fgpio_chip_set_func(c, 17, (enum fgpio_func)(FGPIO_FUNC_ALT0 + n)) == 0);
		CHECK_EQ_U32(th_peek(f, RK_PMU + 0x8c), pmu2[n]);
		CHECK(fgpio_chip_get_func(c, 17) == FGPIO_FUNC_ALT0 + n);
	}
	/* Mux 0 is the GPIO: in/out read back as such, ALT0 is refused everywhere. */
	th_poke(f, RK_GRF + 0x50, 0);
	th_poke(f, RK_GPIO(5) + RK_DDR, 0);
	CHECK(fgpio_chip_get_func(c, 160) == FGPIO_FUNC_IN);
	static const unsigned lines[] = { 160, 238, 17, 252, 112 };

	for (unsigned i = 0; i < FGPIO_ARRAY_SIZE(lines); i++) {
		th_fill_pages(f, RK_GRF, 0x100, 0xa5a5a5a5u);
		th_fill_pages(f, RK_PMU, 0x100, 0x5a5a5a5au);
		CHECK_ERR_UNCHANGED(f, fgpio_chip_set_func(c, lines[i], FGPIO_FUNC_ALT0), ENOTSUP);
		CHECK(strstr(fgpio_last_error(), "mux 0 is the GPIO") != NULL);
		CHECK(strstr(fgpio_last_error(), "use in or out") != NULL);
	}
	CHECK(strstr(fgpio_last_error(), "alt1-alt8") != NULL);	/* GPIO3_D0: a 4-bit field */
	th_fill_pages(f, RK_GRF, 0x100, 0);
	th_fill_pages(f, RK_PMU, 0x100, 0);
	fgpio_chip_close(c);
}

/* Checks one PMU-block write: @off holds @want, every other word of GRF, PMU and GPIO0 as before. */
static void rk_check_only(const char *f, uint64_t off, uint32_t want, const unsigned char *grf,
			  const unsigned char *pmu, const unsigned char *gpio0, const char *what)
{
	unsigned char *g = th_snapshot(f, RK_GRF, 4096), *p = th_snapshot(f, RK_PMU, 4096);
	unsigned char *d = th_snapshot(f, RK_GPIO(0), 4096);
	uint32_t got = th_peek(f, off);

	if (got != want)
		fprintf(stderr, "  %s: 0x%llx = 0x%08x, want 0x%08x\n", what, (unsigned long long)off,
			got, want);
	CHECK_EQ_U32(got, want);
	memcpy(p + (off - RK_PMU), pmu + (off - RK_PMU), 4);
	CHECK(memcmp(g, grf, 4096) == 0);
	CHECK(memcmp(p, pmu, 4096) == 0);
	CHECK(memcmp(d + RK_DR, gpio0 + RK_DR, 4) == 0 && memcmp(d + 8, gpio0 + 8, 4096 - 8) == 0);
	free(g);
	free(p);
	free(d);
}

/*
 * GPIO0's iomux and pull fields sit in the PMU, which u-boot says has no
 * write-enable bits and the kernel writes read-modify-write with bits n+16
 * set: whatever the pattern around them, only the field and its enable bits
 * change (the enable bits become 1), for every bank-0 line, every function
 * and every pull.
 */
static void test_pmu_field_writes(const char *f)
{
	static const uint32_t patterns[] = { 0x00000000u, 0xffffffffu, 0xa5a5a5a5u, 0x5a5a5a5au };
	static const enum fgpio_func funcs[] = { FGPIO_FUNC_IN, FGPIO_FUNC_OUT, FGPIO_FUNC_ALT1,
						 FGPIO_FUNC_ALT2, FGPIO_FUNC_ALT3 };
	static const enum fgpio_pull pulls[] = { FGPIO_PULL_OFF, FGPIO_PULL_UP, FGPIO_PULL_DOWN };
	struct fgpio_chip *c = rk_open(f, 0, NULL);

	CHECK(c != NULL);
	if (!c)
		return;
	for (unsigned pi = 0; pi < FGPIO_ARRAY_SIZE(patterns); pi++) {
		uint32_t pat = patterns[pi];

		for (unsigned line = 0; line < 24; line++) {
			uint64_t mux = RK_PMU + 0x84 + 4u * (line / 8u);
			uint64_t pull = RK_PMU + 0x64 + 4u * (line / 8u);
			unsigned sh = (line % 8u) * 2u;
			uint32_t keep = ~((3u << sh) | (3u << (sh + 16u)));
			uint32_t en = 3u << (sh + 16u);

			for (unsigned fi = 0; fi < FGPIO_ARRAY_SIZE(funcs); fi++) {
				uint32_t val = funcs[fi] <= FGPIO_FUNC_OUT ? 0u
								    : (uint32_t)(funcs[fi] - FGPIO_FUNC_ALT0);

				th_fill_pages(f, RK_PMU, 4096, pat);
				th_fill_pages(f, RK_GRF, 4096, ~pat);
				th_fill_pages(f, RK_GPIO(0), 4096, pat ^ 0x0f0f0f0fu);
				unsigned char *g = th_snapshot(f, RK_GRF, 4096), *p = th_snapshot(f, RK_PMU, 4096);
				unsigned char *d = th_snapshot(f, RK_GPIO(0), 4096);

				CHECK(fgpio_chip_set_func(c, line, funcs[fi]) == 0);
				rk_check_only(f, mux, (pat & keep) | en | (val << sh), g, p, d, "iomux");
				/* IN/OUT change just the line's direction bit */
				uint32_t ddr = pat ^ 0x0f0f0f0fu;

				if (funcs[fi] == FGPIO_FUNC_OUT)
					ddr |= 1u << line;
				else if (funcs[fi] == FGPIO_FUNC_IN)
					ddr &= ~(1u << line);
				CHECK_EQ_U32(th_peek(f, RK_GPIO(0) + RK_DDR), ddr);
				free(g);
				free(p);
				free(d);
			}
			for (unsigned k = 0; k < FGPIO_ARRAY_SIZE(pulls); k++) {
				th_fill_pages(f, RK_PMU, 4096, pat);
				th_fill_pages(f, RK_GRF, 4096, ~pat);
				th_fill_pages(f, RK_GPIO(0), 4096, pat ^ 0x0f0f0f0fu);
				unsigned char *g = th_snapshot(f, RK_GRF, 4096), *p = th_snapshot(f, RK_PMU, 4096);
				unsigned char *d = th_snapshot(f, RK_GPIO(0), 4096);

				CHECK(fgpio_chip_set_pull(c, line, pulls[k]) == 0);
				/* pull codes: off 0, up 1, down 2 */
				rk_check_only(f, pull, (pat & keep) | en | ((uint32_t)k << sh), g, p, d, "pull");
				CHECK_EQ_U32(th_peek(f, RK_GPIO(0) + RK_DDR), pat ^ 0x0f0f0f0fu);
				free(g);
				free(p);
				free(d);
			}
		}
	}
	th_fill_pages(f, RK_PMU, 4096, 0);
	th_fill_pages(f, RK_GRF, 4096, 0);
	th_fill_pages(f, RK_GPIO(0), 4096, 0);
	fgpio_chip_close(c);
}

static void test_pull(const char *f)
{
	struct fgpio_chip *c = rk_open(f, 0, NULL);

	CHECK(c != NULL);
	if (!c)
		return;
	/* GPIO5_B0 (160): GRF GPIO5B_P at 0x180 + 4 = 0x184, bits 1:0 */
	th_poke(f, RK_GRF + 0x184, 0xffffffffu);
	CHECK(fgpio_chip_set_pull(c, 160, FGPIO_PULL_UP) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x184), 0x00030001u);
	CHECK(fgpio_chip_set_pull(c, 163, FGPIO_PULL_DOWN) == 0);	/* B3: bits 7:6 */
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x184), 0x00c00080u);
	CHECK(fgpio_chip_set_pull(c, 167, FGPIO_PULL_OFF) == 0);	/* B7: bits 15:14 */
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x184), 0xc0000000u);
	th_poke(f, RK_GRF + 0x184, 0x0000e4e4u);	/* B0 0, B1 1, B2 2, B3 3 */
	CHECK(fgpio_chip_get_pull(c, 160) == FGPIO_PULL_OFF);
	CHECK(fgpio_chip_get_pull(c, 161) == FGPIO_PULL_UP);
	CHECK(fgpio_chip_get_pull(c, 162) == FGPIO_PULL_DOWN);
	CHECK(fgpio_chip_get_pull(c, 163) == FGPIO_PULL_KEEPER);
	CHECK_ERR_UNCHANGED(f, fgpio_chip_set_pull(c, 160, FGPIO_PULL_KEEPER), ENOTSUP);
	/* GPIO1_D0 (48): 0x140 + 3*4 = 0x14c; GPIO8_B1 (257): 0x1b0 + 4 = 0x1b4 */
	CHECK(fgpio_chip_set_pull(c, 48, FGPIO_PULL_DOWN) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x14c), 0x00030002u);
	CHECK(fgpio_chip_set_pull(c, 257, FGPIO_PULL_UP) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x1b4), 0x000c0004u);
	/* GPIO7_C6 (238): 0x1a0 + 8 = 0x1a8, bits 13:12 */
	CHECK(fgpio_chip_set_pull(c, 238, FGPIO_PULL_UP) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0x1a8), 0x30001000u);
	/* GPIO0 in the PMU: 0x64 + 8 = 0x6c for port C, read-modify-write */
	th_poke(f, RK_PMU + 0x6c, 0x00005555u);
	CHECK(fgpio_chip_set_pull(c, 17, FGPIO_PULL_DOWN) == 0);	/* C1: bits 3:2 */
	CHECK_EQ_U32(th_peek(f, RK_PMU + 0x6c), 0x000c5559u);
	CHECK(fgpio_chip_get_pull(c, 17) == FGPIO_PULL_DOWN);
	th_poke(f, RK_PMU + 0x64, 0x0000ffffu);
	CHECK(fgpio_chip_set_pull(c, 0, FGPIO_PULL_OFF) == 0);	/* A0 */
	CHECK_EQ_U32(th_peek(f, RK_PMU + 0x64), 0x0003fffcu);
	fgpio_chip_close(c);
}

static void test_clocks(const char *f)
{
	struct fgpio_chip *c;

	/* Nothing gated: open writes nothing to the CRU. */
	th_poke(f, RK_CON14, 0x0000f801u);	/* other gates set, GPIO bits 1..8 clear */
	th_poke(f, RK_CON17, 0x0000ffefu);
	c = rk_open(f, 0, NULL);
	CHECK(c != NULL);
	CHECK_EQ_U32(th_peek(f, RK_CON14), 0x0000f801u);
	CHECK_EQ_U32(th_peek(f, RK_CON17), 0x0000ffefu);
	fgpio_chip_close(c);

	/* GPIO5, GPIO8 and GPIO0 gated (and pclk_grf, bit 11, which is not ours). */
	th_poke(f, RK_CON14, 0x00000920u);
	th_poke(f, RK_CON17, 0x00000010u);
	c = rk_open(f, 0, NULL);
	CHECK(c != NULL);
	CHECK_EQ_U32(th_peek(f, RK_CON14), 0x01200000u);	/* one write: enable bits 5 and 8, value 0 */
	CHECK_EQ_U32(th_peek(f, RK_CON17), 0x00100000u);
	if (c) {
		th_poke(f, RK_GPIO(5) + RK_DR, 0);
		CHECK(fgpio_chip_set(c, 160) == 0);
		CHECK_EQ_U32(th_peek(f, RK_GPIO(5) + RK_DR), 0x00000100u);
		fgpio_chip_close(c);
	}

	/* FGPIO_OPEN_NO_CLOCK_ENABLE: gated banks are refused, the CRU is not touched. */
	th_poke(f, RK_CON14, 0x00000920u);
	th_poke(f, RK_CON17, 0x00000000u);
	th_poke(f, RK_GPIO(5) + RK_DR, 0x00000000u);
	th_poke(f, RK_GRF + 0x50, 0x00000000u);
	c = rk_open(f, FGPIO_OPEN_NO_CLOCK_ENABLE, NULL);
	CHECK(c != NULL);
	CHECK_EQ_U32(th_peek(f, RK_CON14), 0x00000920u);
	if (c) {
		uint32_t v = 0;
		struct fgpio_line l;

		CHECK_ERR_UNCHANGED(f, fgpio_chip_set(c, 160), EIO);
		CHECK(strstr(fgpio_last_error(), "gated") != NULL);
		CHECK(strstr(fgpio_last_error(), "FGPIO_OPEN_NO_CLOCK_ENABLE") != NULL);
		CHECK_ERR_UNCHANGED(f, fgpio_chip_bank_write(c, 5, 1u, 1u), EIO);
		CHECK_ERR_UNCHANGED(f, fgpio_chip_read(c, 160), EIO);
		CHECK_ERR_UNCHANGED(f, fgpio_chip_bank_read(c, 8, &v), EIO);
		CHECK_ERR_UNCHANGED(f, fgpio_line_init(c, 160, &l), EIO);
		/* IN/OUT touch the direction register: refused before the iomux is written */
		CHECK_ERR_UNCHANGED(f, fgpio_chip_set_func(c, 160, FGPIO_FUNC_OUT), EIO);
		CHECK_ERR_UNCHANGED(f, fgpio_chip_get_func(c, 160), EIO);
		/* pin function and pull live in the GRF: the bank clock does not matter */
		CHECK(fgpio_chip_set_func(c, 160, FGPIO_FUNC_ALT1) == 0);
		CHECK_EQ_U32(th_peek(f, RK_GRF + 0x50), 0x00030001u);
		CHECK(fgpio_chip_get_func(c, 160) == FGPIO_FUNC_ALT1);
		CHECK(fgpio_chip_set_pull(c, 160, FGPIO_PULL_UP) == 0);
		/* banks whose clock runs work normally */
		th_poke(f, RK_GPIO(6) + RK_DR, 0);
		CHECK(fgpio_chip_set(c, 184) == 0);
		CHECK_EQ_U32(th_peek(f, RK_GPIO(6) + RK_DR), 0x00000001u);
		CHECK_EQ_U32(th_peek(f, RK_CON14), 0x00000920u);
		fgpio_chip_close(c);
	}
	th_poke(f, RK_CON14, 0);
	th_poke(f, RK_CON17, 0);
}

/*
 * Blocks that are not mapped. A register file cannot make the CRU or GRF
 * mapping fail (GPIO8 lies above both), so the test drops the mapping from
 * an open chip and calls the family code directly.
 */
static void test_unmapped(const char *f)
{
	struct fgpio_chip *c = rk_open(f, 0, NULL);

	CHECK(c != NULL);
	if (!c)
		return;
	/* CRU not mapped: clock state unknown, assumed running (documented choice). */
	c->maps[11].base = NULL;
	th_poke(f, RK_CON14, 0x000001feu);	/* all gated, but invisible to us */
	CHECK(fgpio_rk3288_ops.attach(c) == 0);
	th_poke(f, RK_GPIO(5) + RK_DR, 0);
	CHECK(fgpio_chip_set(c, 160) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO(5) + RK_DR), 0x00000100u);
	CHECK_EQ_U32(th_peek(f, RK_CON14), 0x000001feu);
	th_poke(f, RK_CON14, 0);

	/* GRF not mapped: function and pull fail before any write (no DDR change). */
	c->maps[9].base = NULL;
	CHECK_ERR_UNCHANGED(f, fgpio_chip_set_func(c, 160, FGPIO_FUNC_OUT), ENOTSUP);
	CHECK(strstr(fgpio_last_error(), "grf") != NULL);
	CHECK_ERR_UNCHANGED(f, fgpio_chip_set_pull(c, 160, FGPIO_PULL_UP), ENOTSUP);
	CHECK_ERR(fgpio_chip_get_func(c, 160), ENOTSUP);
	/* GPIO0 uses the PMU, still mapped */
	CHECK(fgpio_chip_set_func(c, 17, FGPIO_FUNC_IN) == 0);
	fgpio_chip_close(c);
}

int main(void)
{
	char *dir = th_tmpdir();
	char *f = th_regfile(dir, "mem", RK_FILE_SIZE);

	test_layout(f);
	test_header(f, dir);
	test_data(f);
	test_func(f);
	test_alt_numbers(f);
	test_pmu_field_writes(f);
	test_pull(f);
	test_clocks(f);
	test_unmapped(f);
	char p[600];

	unlink(f);
	snprintf(p, sizeof(p), "%s/dt/compatible", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/dt", dir);
	rmdir(p);
	rmdir(dir);
	free(f);
	free(dir);
	return th_done("test_rk3288");
}
