/* SPDX-License-Identifier: MIT */
/*
 * tests/c/test_rk3399.c - golden register tests of the RK3399 table on the
 * RK3288 family code.
 *
 * The register file stands in for /dev/mem: every block sits at its
 * physical address. Expected addresses and words are literals here, worked
 * out from the kernel sources boards/rk3399.h cites, not read from that
 * table, so a wrong table entry fails a test. There is no RK3399 emulator:
 * these tests check the words the library stores, not what the silicon does
 * with them. A plain file does not emulate hiword masking either: after a
 * GRF or PMUGRF write the file holds exactly the word written.
 */
#include "harness.h"
#include "internal.h"

#define RK_FILE_SIZE 0xff791000ull	/* covers GPIO4 (0xff790000 + 4 KiB) */

#define RK_GPIO0 0xff720000ull
#define RK_GPIO1 0xff730000ull
#define RK_GPIO2 0xff780000ull
#define RK_GPIO3 0xff788000ull
#define RK_GPIO4 0xff790000ull
#define RK_GRF 0xff770000ull		/* 64 KiB */
#define RK_PMUGRF 0xff320000ull
#define RK_CRU 0xff760000ull
#define RK_PMUCRU 0xff750000ull
#define RK_DR 0x00
#define RK_DDR 0x04
#define RK_EXT 0x50

#define RK_CRU_CON31 (RK_CRU + 0x37c)		/* pclk_gpio2..4: bits 3..5 */
#define RK_PMUCRU_CON1 (RK_PMUCRU + 0x104)	/* pclk_gpio0/1_pmu: bits 3, 4 */

/* Every page the library maps: GPIO0..4, the 16 GRF pages, PMUGRF, CRU, PMUCRU. */
#define RK_NPAGES 24
static uint64_t rk_pages[RK_NPAGES];

static void rk_pages_init(void)
{
	static const uint64_t fixed[] = { RK_GPIO0, RK_GPIO1, RK_GPIO2, RK_GPIO3, RK_GPIO4,
					  RK_PMUGRF, RK_CRU, RK_PMUCRU };
	unsigned n = 0;

	for (unsigned i = 0; i < FGPIO_ARRAY_SIZE(fixed); i++)
		rk_pages[n++] = fixed[i];
	for (unsigned i = 0; i < 16; i++)
		rk_pages[n++] = RK_GRF + 0x1000ull * i;
}

/* Asserts that @call fails with @err and that no mapped register changed. */
#define CHECK_ERR_UNCHANGED(f, call, err)                                            \
	do {                                                                         \
		struct th_pages th_s;                                                \
		th_pages_take((f), rk_pages, RK_NPAGES, &th_s);                      \
		CHECK_ERR(call, err);                                                \
		CHECK(th_pages_same((f), &th_s));                                    \
	} while (0)

static struct fgpio_chip *rk_open(const char *file, unsigned flags, const char *dt)
{
	return th_open_soc("rk3399", file, flags, dt);
}

static void test_layout(const char *f)
{
	struct fgpio_chip *c = rk_open(f, 0, NULL);
	struct fgpio_soc_info si;
	unsigned first = 0, count = 0;

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_U32(fgpio_chip_num_lines(c), 160);
	CHECK_EQ_U32(fgpio_chip_num_banks(c), 5);
	CHECK(fgpio_chip_bank_lines(c, 0, &first, &count) == 0 && first == 0 && count == 32);
	CHECK(fgpio_chip_bank_lines(c, 3, &first, &count) == 0 && first == 96 && count == 32);
	CHECK(fgpio_chip_bank_lines(c, 4, &first, &count) == 0 && first == 128 && count == 32);
	/* pin_base = 32 * bank: RK_GPIO4_C2 = 146 in the kernel's pinctrl-rockchip.h */
	CHECK(fgpio_chip_find_line(c, "GPIO4_C2") == 146);
	CHECK(fgpio_chip_find_line(c, "GPIO0_D7") == 31);
	CHECK(fgpio_chip_find_line(c, "GPIO1_A0") == 32);
	CHECK(fgpio_chip_find_line(c, "GPIO3_C0") == 112);
	CHECK(fgpio_chip_find_line(c, "GPIO4_D7") == 159);
	CHECK(fgpio_chip_find_line(c, "GPIO5_A0") == -1);
	CHECK(fgpio_chip_get_soc_info(c, &si) == 0);
	CHECK(strcmp(si.family, "rk3288") == 0);
	CHECK(si.bench_line == NULL);
	CHECK(strcmp(si.bank_chip_label, "gpio{bank}") == 0);
	fgpio_chip_close(c);
}

/* Rock Pi 4 header names and SoC detection through fake device trees. */
static void test_header(const char *f, const char *dir)
{
	char dt[512], dt2[512];
	static const char rockpi[] = "radxa,rockpi4b\0radxa,rockpi4\0rockchip,rk3399";
	static const char pbp[] = "pine64,pinebook-pro\0rockchip,rk3399";
	const char *label = NULL;
	int line = 0;

	snprintf(dt, sizeof(dt), "%s/dt", dir);
	mkdir(dt, 0755);
	th_dt_compatible(dt, "compatible", rockpi, sizeof(rockpi));
	struct fgpio_chip *c = rk_open(f, 0, dt);

	CHECK(c != NULL);
	if (!c)
		return;
	/* mraa rockpi4.c: pin 11 = 146 (PWM0), 3 = 71, 8 = 148, 19 = 40, 32 = 112, 40 = 135 */
	CHECK(fgpio_chip_find_line(c, "PIN11") == 146);
	CHECK(fgpio_chip_find_line(c, "PIN3") == 71);
	CHECK(fgpio_chip_find_line(c, "PIN8") == 148);
	CHECK(fgpio_chip_find_line(c, "PIN19") == 40);
	CHECK(fgpio_chip_find_line(c, "PIN32") == 112);
	CHECK(fgpio_chip_find_line(c, "PIN40") == 135);
	CHECK_ERR(fgpio_chip_find_line(c, "PIN6"), ENOENT);	/* ground */
	CHECK(fgpio_chip_find_line(c, "PIN26") < 0);		/* ADC_IN0: no GPIO */
	CHECK_EQ_U32(fgpio_chip_num_header_pins(c), 40);
	CHECK(fgpio_chip_header_pin(c, 10, &label, &line) == 0 && line == 146 && label &&
	      strcmp(label, "PIN11") == 0);
	fgpio_chip_close(c);

	/* SoC detected from the root compatible, board from "radxa,rockpi4" */
	struct fgpio_config cfg;
	struct fgpio_chip_info info;

	fgpio_config_init(&cfg);
	cfg.devmem = f;
	cfg.dt_root = dt;
	c = fgpio_chip_open(&cfg);
	CHECK(c != NULL);
	if (c) {
		CHECK(fgpio_chip_get_info(c, &info) == 0);
		CHECK(strcmp(info.soc, "rk3399") == 0);
		CHECK(strstr(info.board, "Rock Pi 4") != NULL);
		fgpio_chip_close(c);
	}

	/* Pinebook Pro: an RK3399, no header map */
	snprintf(dt2, sizeof(dt2), "%s/dt2", dir);
	mkdir(dt2, 0755);
	th_dt_compatible(dt2, "compatible", pbp, sizeof(pbp));
	cfg.dt_root = dt2;
	c = fgpio_chip_open(&cfg);
	CHECK(c != NULL);
	if (c) {
		CHECK(fgpio_chip_get_info(c, &info) == 0);
		CHECK(strcmp(info.soc, "rk3399") == 0);
		CHECK_EQ_U32(fgpio_chip_num_header_pins(c), 0);
		CHECK(fgpio_chip_find_line(c, "PIN11") < 0);
		CHECK(fgpio_chip_find_line(c, "GPIO4_C2") == 146);
		fgpio_chip_close(c);
	}
}

static void test_data(const char *f)
{
	struct fgpio_chip *c = rk_open(f, 0, NULL);

	CHECK(c != NULL);
	if (!c)
		return;
	/* GPIO4_C2 = 146 = bank 4 bit 18: read-modify-write of SWPORTA_DR */
	th_poke(f, RK_GPIO4 + RK_DR, 0x5a5a5a5au);
	CHECK(fgpio_chip_set(c, 146) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO4 + RK_DR), 0x5a5e5a5au);
	CHECK(fgpio_chip_clear(c, 146) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO4 + RK_DR), 0x5a5a5a5au);
	th_poke(f, RK_GPIO4 + RK_DR, 0xffffffffu);
	CHECK(fgpio_chip_write(c, 146, 0) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO4 + RK_DR), 0xfffbffffu);
	CHECK(fgpio_chip_write(c, 146, 1) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO4 + RK_DR), 0xffffffffu);
	CHECK_EQ_U32(th_peek(f, RK_GPIO4 + RK_DDR), 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO3 + RK_DR), 0);

	/* bank_write: one masked read-modify-write */
	th_poke(f, RK_GPIO4 + RK_DR, 0x12345678u);
	CHECK(fgpio_chip_bank_write(c, 4, 0x00ff0000u, 0x00a50000u) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO4 + RK_DR), 0x12a55678u);

	/* GPIO0 (PMU domain) at 0xff720000: GPIO0_A5 = line 5 */
	th_poke(f, RK_GPIO0 + RK_DR, 0x80000000u);
	CHECK(fgpio_chip_set(c, 5) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO0 + RK_DR), 0x80000020u);
	/* GPIO1_B0 = 40 = bit 8 at 0xff730000 */
	th_poke(f, RK_GPIO1 + RK_DR, 0);
	CHECK(fgpio_chip_set(c, 40) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO1 + RK_DR), 0x00000100u);
	/* GPIO3_C0 = 112 = bit 16 at 0xff788000 (half-page offset from GPIO2) */
	th_poke(f, RK_GPIO3 + RK_DR, 0);
	CHECK(fgpio_chip_set(c, 112) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO3 + RK_DR), 0x00010000u);
	CHECK_EQ_U32(th_peek(f, RK_GPIO2 + RK_DR), 0);
	/* GPIO2_A0 = 64 = bit 0 at 0xff780000 */
	CHECK(fgpio_chip_set(c, 64) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO2 + RK_DR), 0x00000001u);
	/* last line: 159 = GPIO4_D7 = bit 31 */
	th_poke(f, RK_GPIO4 + RK_DR, 0);
	CHECK(fgpio_chip_set(c, 159) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO4 + RK_DR), 0x80000000u);

	/* EXT_PORTA reads; all 32 bits are lines */
	th_poke(f, RK_GPIO4 + RK_EXT, 0x00040000u);
	CHECK(fgpio_chip_read(c, 146) == 1);
	CHECK(fgpio_chip_read(c, 147) == 0);
	uint32_t v = 0;

	th_poke(f, RK_GPIO3 + RK_EXT, 0xffffffffu);
	CHECK(fgpio_chip_bank_read(c, 3, &v) == 0);
	CHECK_EQ_U32(v, 0xffffffffu);
	th_poke(f, RK_GPIO0 + RK_EXT, 0x00000020u);
	CHECK(fgpio_chip_read(c, 5) == 1);

	/* line handle: no set/clear registers, input register cached */
	struct fgpio_line l;

	CHECK(fgpio_line_init(c, 146, &l) == 0);
	CHECK(l.set_reg == NULL && l.clr_reg == NULL && l.in_reg != NULL);
	CHECK_EQ_U32(l.mask, 0x00040000u);
	CHECK(fgpio_line_get(&l) == 1);
	th_poke(f, RK_GPIO4 + RK_DR, 0x00000001u);
	fgpio_line_on(&l);
	CHECK_EQ_U32(th_peek(f, RK_GPIO4 + RK_DR), 0x00040001u);
	fgpio_line_off(&l);
	CHECK_EQ_U32(th_peek(f, RK_GPIO4 + RK_DR), 0x00000001u);
	fgpio_chip_close(c);
}

static void test_func(const char *f)
{
	struct fgpio_chip *c = rk_open(f, 0, NULL);

	CHECK(c != NULL);
	if (!c)
		return;
	/* GPIO4_C2 (146): GRF_GPIO4C_IOMUX 0xe028 (0xe000 + 4 * (3 * 4 + 2)), bits 5:4; DDR bit 18 */
	th_poke(f, RK_GRF + 0xe028, 0x0000ffffu);
	th_poke(f, RK_GPIO4 + RK_DDR, 0x00000001u);
	CHECK(fgpio_chip_set_func(c, 146, FGPIO_FUNC_OUT) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0xe028), 0x00300000u);	/* enable bits 21:20, value 0 */
	CHECK_EQ_U32(th_peek(f, RK_GPIO4 + RK_DDR), 0x00040001u);
	CHECK(fgpio_chip_get_func(c, 146) == FGPIO_FUNC_OUT);
	th_poke(f, RK_GPIO4 + RK_DDR, 0xffffffffu);
	CHECK(fgpio_chip_set_func(c, 146, FGPIO_FUNC_IN) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO4 + RK_DDR), 0xfffbffffu);
	CHECK(fgpio_chip_get_func(c, 146) == FGPIO_FUNC_IN);

	/* ALTn = mux n on a GRF port, DDR untouched; get_func reads it back */
	for (int n = 1; n <= 3; n++) {
		th_poke(f, RK_GRF + 0xe028, 0);
		th_poke(f, RK_GPIO4 + RK_DDR, 0x12345678u);
		CHECK(fgpio_chip_set_func(c, 146, (enum fgpio_func)(FGPIO_FUNC_ALT0 + n)) == 0);
		CHECK_EQ_U32(th_peek(f, RK_GRF + 0xe028), 0x00300000u | ((uint32_t)n << 4));
		CHECK_EQ_U32(th_peek(f, RK_GPIO4 + RK_DDR), 0x12345678u);
		th_poke(f, RK_GRF + 0xe028, (uint32_t)n << 4);
		CHECK(fgpio_chip_get_func(c, 146) == FGPIO_FUNC_ALT0 + n);
	}
	/* other GRF ports: GPIO2_A0 (64) 0xe000 bits 1:0, GPIO3_D7 (127) 0xe01c bits 15:14 */
	CHECK(fgpio_chip_set_func(c, 64, FGPIO_FUNC_ALT2) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0xe000), 0x00030002u);
	CHECK(fgpio_chip_set_func(c, 127, FGPIO_FUNC_ALT1) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0xe01c), 0xc0004000u);
	CHECK(fgpio_chip_set_func(c, 128, FGPIO_FUNC_ALT3) == 0);	/* GPIO4_A0: 0xe020 */
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0xe020), 0x00030003u);

	/*
	 * PMUGRF ports: one hiword-masked write, not read-modify-write. The
	 * file is filled with ones first: the word afterwards is exactly the
	 * write-enable bits and the value, nothing kept from before.
	 */
	static const struct { unsigned line; uint32_t reg; unsigned sh; } pmu[] = {
		{ 0, 0x00, 0 },		/* GPIO0_A0 */
		{ 12, 0x04, 8 },	/* GPIO0_B4 */
		{ 23, 0x08, 14 },	/* GPIO0_C7 */
		{ 25, 0x0c, 2 },	/* GPIO0_D1 */
		{ 32, 0x10, 0 },	/* GPIO1_A0 */
		{ 40, 0x14, 0 },	/* GPIO1_B0 */
		{ 50, 0x18, 4 },	/* GPIO1_C2 */
		{ 63, 0x1c, 14 },	/* GPIO1_D7 */
	};

	for (unsigned i = 0; i < FGPIO_ARRAY_SIZE(pmu); i++) {
		for (int n = 0; n <= 3; n++) {
			enum fgpio_func fn = n == 0 ? FGPIO_FUNC_IN : (enum fgpio_func)(FGPIO_FUNC_ALT0 + n);

			th_fill_pages(f, RK_PMUGRF, 0x100, 0xffffffffu);
			CHECK(fgpio_chip_set_func(c, pmu[i].line, fn) == 0);
			CHECK_EQ_U32(th_peek(f, RK_PMUGRF + pmu[i].reg),
				     (3u << (pmu[i].sh + 16)) | ((uint32_t)n << pmu[i].sh));
			if (pmu[i].reg != 0x00)
				CHECK_EQ_U32(th_peek(f, RK_PMUGRF + 0x00), 0xffffffffu);
			else
				CHECK_EQ_U32(th_peek(f, RK_PMUGRF + 0x04), 0xffffffffu);
			th_poke(f, RK_PMUGRF + pmu[i].reg, (uint32_t)n << pmu[i].sh);
			if (n)
				CHECK(fgpio_chip_get_func(c, pmu[i].line) == FGPIO_FUNC_ALT0 + n);
		}
	}
	th_fill_pages(f, RK_PMUGRF, 0x100, 0);

	/* 2-bit fields everywhere: ALT4..ALT8 refused, nothing written */
	th_fill_pages(f, RK_GRF + 0xe000, 0x100, 0xa5a5a5a5u);
	th_fill_pages(f, RK_PMUGRF, 0x100, 0x5a5a5a5au);
	static const unsigned lines[] = { 146, 12, 50, 64, 90, 159 };

	for (unsigned i = 0; i < FGPIO_ARRAY_SIZE(lines); i++) {
		for (int a = FGPIO_FUNC_ALT4; a <= FGPIO_FUNC_ALT8; a++)
			CHECK_ERR_UNCHANGED(f, fgpio_chip_set_func(c, lines[i], (enum fgpio_func)a), ENOTSUP);
		/* ALT0: mux 0 is the GPIO, as on the RK3288 */
		CHECK_ERR_UNCHANGED(f, fgpio_chip_set_func(c, lines[i], FGPIO_FUNC_ALT0), ENOTSUP);
		CHECK(strstr(fgpio_last_error(), "mux 0 is the GPIO") != NULL);
		CHECK(strstr(fgpio_last_error(), "RK3399") != NULL);
		CHECK(strstr(fgpio_last_error(), "alt1-alt3") != NULL);
		CHECK_ERR_UNCHANGED(f, fgpio_chip_set_func(c, lines[i], FGPIO_FUNC_NONE), EINVAL);
	}
	th_fill_pages(f, RK_GRF + 0xe000, 0x100, 0);
	th_fill_pages(f, RK_PMUGRF, 0x100, 0);

	/* mux routes (GRF 0xe21c), written before the iomux field */
	th_poke(f, RK_GRF + 0xe21c, 0);
	CHECK(fgpio_chip_set_func(c, 147, FGPIO_FUNC_ALT1) == 0);	/* GPIO4_C3 uart2dbgc_rx */
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0xe21c), 0x0c000800u);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0xe028), 0x00c00040u);
	CHECK(fgpio_chip_set_func(c, 136, FGPIO_FUNC_ALT2) == 0);	/* GPIO4_B0 uart2dbga_rx */
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0xe21c), 0x0c000000u);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0xe024), 0x00030002u);
	CHECK(fgpio_chip_set_func(c, 144, FGPIO_FUNC_ALT2) == 0);	/* GPIO4_C0 uart2dbgb_rx */
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0xe21c), 0x0c000400u);
	CHECK(fgpio_chip_set_func(c, 90, FGPIO_FUNC_ALT2) == 0);	/* GPIO2_D2 pcie_clkreqn */
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0xe21c), 0x40000000u);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0xe00c), 0x00300020u);
	CHECK(fgpio_chip_set_func(c, 152, FGPIO_FUNC_ALT1) == 0);	/* GPIO4_D0 pcie_clkreqnb */
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0xe21c), 0x40004000u);
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0xe02c), 0x00030001u);
	th_poke(f, RK_GRF + 0xe21c, 0xdeadbeefu);
	CHECK(fgpio_chip_set_func(c, 147, FGPIO_FUNC_ALT2) == 0);	/* mux 2 on C3: no route */
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0xe21c), 0xdeadbeefu);
	CHECK(fgpio_chip_set_func(c, 147, FGPIO_FUNC_OUT) == 0);	/* the GPIO: no route */
	CHECK_EQ_U32(th_peek(f, RK_GRF + 0xe21c), 0xdeadbeefu);
	th_poke(f, RK_GRF + 0xe21c, 0);
	fgpio_chip_close(c);
}

static void test_pull(const char *f)
{
	static const enum fgpio_pull pulls[] = { FGPIO_PULL_OFF, FGPIO_PULL_UP, FGPIO_PULL_DOWN };
	/* Each case: line, pull register address, field shift, 1.8 V-only port. */
	static const struct { unsigned line; uint64_t reg; unsigned sh; int v18; } cs[] = {
		{ 5, RK_PMUGRF + 0x40, 10, 1 },		/* GPIO0_A5: 1.8 V-only */
		{ 14, RK_PMUGRF + 0x44, 12, 1 },	/* GPIO0_B6: 1.8 V-only */
		{ 17, RK_PMUGRF + 0x48, 2, 0 },		/* GPIO0_C1 */
		{ 31, RK_PMUGRF + 0x4c, 14, 0 },	/* GPIO0_D7 */
		{ 40, RK_PMUGRF + 0x54, 0, 0 },		/* GPIO1_B0 (PMU, bank 1 at 0x50) */
		{ 63, RK_PMUGRF + 0x5c, 14, 0 },	/* GPIO1_D7 */
		{ 73, RK_GRF + 0xe044, 2, 0 },		/* GPIO2_B1 */
		{ 80, RK_GRF + 0xe048, 0, 1 },		/* GPIO2_C0: 1.8 V-only */
		{ 95, RK_GRF + 0xe04c, 14, 1 },		/* GPIO2_D7: 1.8 V-only */
		{ 112, RK_GRF + 0xe058, 0, 0 },		/* GPIO3_C0 */
		{ 127, RK_GRF + 0xe05c, 14, 0 },	/* GPIO3_D7 */
		{ 146, RK_GRF + 0xe068, 4, 0 },		/* GPIO4_C2 */
	};
	/* kernel rockchip_pull_list: written code for off, up, down per pull type */
	static const uint32_t code_default[3] = { 0, 1, 2 }, code_1v8[3] = { 0, 3, 1 };
	/* and what each 2-bit code reads back as */
	static const int read_default[4] = { FGPIO_PULL_OFF, FGPIO_PULL_UP, FGPIO_PULL_DOWN,
					     FGPIO_PULL_KEEPER };
	static const int read_1v8[4] = { FGPIO_PULL_OFF, FGPIO_PULL_DOWN, FGPIO_PULL_OFF, FGPIO_PULL_UP };
	struct fgpio_chip *c = rk_open(f, 0, NULL);

	CHECK(c != NULL);
	if (!c)
		return;
	for (unsigned i = 0; i < FGPIO_ARRAY_SIZE(cs); i++) {
		const uint32_t *code = cs[i].v18 ? code_1v8 : code_default;
		const int *rd = cs[i].v18 ? read_1v8 : read_default;

		for (unsigned k = 0; k < FGPIO_ARRAY_SIZE(pulls); k++) {
			th_poke(f, cs[i].reg, 0xffffffffu);
			th_poke(f, cs[i].reg + 4, 0x13572468u);
			CHECK(fgpio_chip_set_pull(c, cs[i].line, pulls[k]) == 0);
			/* one hiword-masked write in GRF and PMUGRF alike */
			CHECK_EQ_U32(th_peek(f, cs[i].reg), (3u << (cs[i].sh + 16)) | (code[k] << cs[i].sh));
			CHECK_EQ_U32(th_peek(f, cs[i].reg + 4), 0x13572468u);
		}
		for (uint32_t v = 0; v < 4; v++) {
			th_poke(f, cs[i].reg, (v << cs[i].sh) | (~(3u << cs[i].sh) & 0x0000ffffu));
			CHECK(fgpio_chip_get_pull(c, cs[i].line) == rd[v]);
		}
		th_poke(f, cs[i].reg, 0);
		th_poke(f, cs[i].reg + 4, 0);
		CHECK_ERR_UNCHANGED(f, fgpio_chip_set_pull(c, cs[i].line, FGPIO_PULL_KEEPER), ENOTSUP);
		CHECK_ERR_UNCHANGED(f, fgpio_chip_set_pull(c, cs[i].line, (enum fgpio_pull)7), EINVAL);
	}
	fgpio_chip_close(c);
}

static void test_clocks(const char *f)
{
	struct fgpio_chip *c;

	/* Nothing gated: open writes nothing to either clock unit. */
	th_poke(f, RK_CRU_CON31, 0x0000ffc7u);		/* other gates set, bits 3..5 clear */
	th_poke(f, RK_PMUCRU_CON1, 0x0000ffe7u);	/* other gates set, bits 3, 4 clear */
	c = rk_open(f, 0, NULL);
	CHECK(c != NULL);
	CHECK_EQ_U32(th_peek(f, RK_CRU_CON31), 0x0000ffc7u);
	CHECK_EQ_U32(th_peek(f, RK_PMUCRU_CON1), 0x0000ffe7u);
	fgpio_chip_close(c);

	/* GPIO1 (PMUCRU bit 4), GPIO2 and GPIO4 (CRU bits 3, 5) gated, plus bit 1 (not ours) in each. */
	th_poke(f, RK_CRU_CON31, 0x0000002au);
	th_poke(f, RK_PMUCRU_CON1, 0x00000012u);
	c = rk_open(f, 0, NULL);
	CHECK(c != NULL);
	CHECK_EQ_U32(th_peek(f, RK_CRU_CON31), 0x00280000u);	/* one write: enable bits 3, 5, value 0 */
	CHECK_EQ_U32(th_peek(f, RK_PMUCRU_CON1), 0x00100000u);	/* enable bit 4, value 0 */
	if (c) {
		th_poke(f, RK_GPIO1 + RK_DR, 0);
		CHECK(fgpio_chip_set(c, 40) == 0);
		CHECK_EQ_U32(th_peek(f, RK_GPIO1 + RK_DR), 0x00000100u);
		fgpio_chip_close(c);
	}
	/* GPIO0 alone gated: PMUCRU bit 3, the CRU untouched */
	th_poke(f, RK_CRU_CON31, 0x0000ffc7u);
	th_poke(f, RK_PMUCRU_CON1, 0x00000008u);
	c = rk_open(f, 0, NULL);
	CHECK(c != NULL);
	CHECK_EQ_U32(th_peek(f, RK_PMUCRU_CON1), 0x00080000u);
	CHECK_EQ_U32(th_peek(f, RK_CRU_CON31), 0x0000ffc7u);
	fgpio_chip_close(c);

	/* FGPIO_OPEN_NO_CLOCK_ENABLE: gated banks refused, neither clock unit touched. */
	th_poke(f, RK_CRU_CON31, 0x00000010u);		/* GPIO3 */
	th_poke(f, RK_PMUCRU_CON1, 0x00000010u);	/* GPIO1 */
	c = rk_open(f, FGPIO_OPEN_NO_CLOCK_ENABLE, NULL);
	CHECK(c != NULL);
	if (c) {
		uint32_t v = 0;
		struct fgpio_line l;

		CHECK_EQ_U32(th_peek(f, RK_CRU_CON31), 0x00000010u);
		CHECK_EQ_U32(th_peek(f, RK_PMUCRU_CON1), 0x00000010u);
		CHECK_ERR_UNCHANGED(f, fgpio_chip_set(c, 40), EIO);
		CHECK(strstr(fgpio_last_error(), "gated in the PMUCRU") != NULL);
		CHECK(strstr(fgpio_last_error(), "FGPIO_OPEN_NO_CLOCK_ENABLE") != NULL);
		CHECK_ERR_UNCHANGED(f, fgpio_chip_set(c, 112), EIO);
		CHECK(strstr(fgpio_last_error(), "gated in the CRU") != NULL);
		CHECK_ERR_UNCHANGED(f, fgpio_chip_bank_write(c, 3, 1u, 1u), EIO);
		CHECK_ERR_UNCHANGED(f, fgpio_chip_read(c, 40), EIO);
		CHECK_ERR_UNCHANGED(f, fgpio_chip_bank_read(c, 1, &v), EIO);
		CHECK_ERR_UNCHANGED(f, fgpio_line_init(c, 112, &l), EIO);
		CHECK_ERR_UNCHANGED(f, fgpio_chip_set_func(c, 40, FGPIO_FUNC_OUT), EIO);
		CHECK_ERR_UNCHANGED(f, fgpio_chip_get_func(c, 112), EIO);
		/* pin function and pull live in the GRF/PMUGRF: the bank clock does not matter */
		th_poke(f, RK_PMUGRF + 0x14, 0);
		CHECK(fgpio_chip_set_func(c, 40, FGPIO_FUNC_ALT1) == 0);
		CHECK_EQ_U32(th_peek(f, RK_PMUGRF + 0x14), 0x00030001u);
		CHECK(fgpio_chip_set_pull(c, 112, FGPIO_PULL_UP) == 0);
		/* banks whose clock runs work normally */
		th_poke(f, RK_GPIO4 + RK_DR, 0);
		CHECK(fgpio_chip_set(c, 146) == 0);
		CHECK_EQ_U32(th_peek(f, RK_GPIO4 + RK_DR), 0x00040000u);
		CHECK_EQ_U32(th_peek(f, RK_CRU_CON31), 0x00000010u);
		CHECK_EQ_U32(th_peek(f, RK_PMUCRU_CON1), 0x00000010u);
		fgpio_chip_close(c);
	}
	th_poke(f, RK_CRU_CON31, 0);
	th_poke(f, RK_PMUCRU_CON1, 0);
	th_poke(f, RK_PMUGRF + 0x14, 0);
}

/*
 * Blocks that are not mapped: the test drops a mapping from an open chip
 * and calls the family code directly (a register file cannot make a mapping
 * below GPIO4 fail).
 */
static void test_unmapped(const char *f)
{
	struct fgpio_chip *c = rk_open(f, 0, NULL);

	CHECK(c != NULL);
	if (!c)
		return;
	/* PMUCRU (block 8) not mapped: GPIO0/1 assumed running; the CRU still ungates GPIO2. */
	c->maps[8].base = NULL;
	th_poke(f, RK_PMUCRU_CON1, 0x00000018u);	/* gated, but invisible to us */
	th_poke(f, RK_CRU_CON31, 0x00000008u);		/* GPIO2 gated */
	CHECK(fgpio_rk3288_ops.attach(c) == 0);
	CHECK_EQ_U32(th_peek(f, RK_PMUCRU_CON1), 0x00000018u);
	CHECK_EQ_U32(th_peek(f, RK_CRU_CON31), 0x00080000u);
	th_poke(f, RK_GPIO1 + RK_DR, 0);
	CHECK(fgpio_chip_set(c, 40) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO1 + RK_DR), 0x00000100u);
	th_poke(f, RK_PMUCRU_CON1, 0);
	th_poke(f, RK_CRU_CON31, 0);

	/* PMUGRF (block 6) not mapped: GPIO0/1 function and pull fail before any write. */
	c->maps[6].base = NULL;
	CHECK_ERR_UNCHANGED(f, fgpio_chip_set_func(c, 40, FGPIO_FUNC_OUT), ENOTSUP);
	CHECK(strstr(fgpio_last_error(), "pmugrf") != NULL);
	CHECK(strstr(fgpio_last_error(), "RK3399") != NULL);
	CHECK_ERR_UNCHANGED(f, fgpio_chip_set_pull(c, 5, FGPIO_PULL_UP), ENOTSUP);
	CHECK_ERR(fgpio_chip_get_func(c, 5), ENOTSUP);
	/* GPIO2..4 use the GRF, still mapped */
	CHECK(fgpio_chip_set_func(c, 146, FGPIO_FUNC_IN) == 0);
	/* GRF (block 5) not mapped either: routes and GRF ports fail before any write */
	c->maps[5].base = NULL;
	CHECK_ERR_UNCHANGED(f, fgpio_chip_set_func(c, 147, FGPIO_FUNC_ALT1), ENOTSUP);
	CHECK(strstr(fgpio_last_error(), "grf") != NULL);
	fgpio_chip_close(c);
}

int main(void)
{
	char *dir = th_tmpdir();
	char *f = th_regfile(dir, "mem", RK_FILE_SIZE);
	char p[600];

	rk_pages_init();
	test_layout(f);
	test_header(f, dir);
	test_data(f);
	test_func(f);
	test_pull(f);
	test_clocks(f);
	test_unmapped(f);

	unlink(f);
	for (int i = 0; i < 2; i++) {
		snprintf(p, sizeof(p), "%s/%s/compatible", dir, i ? "dt2" : "dt");
		unlink(p);
		snprintf(p, sizeof(p), "%s/%s", dir, i ? "dt2" : "dt");
		rmdir(p);
	}
	rmdir(dir);
	free(f);
	free(dir);
	return th_done("test_rk3399");
}
