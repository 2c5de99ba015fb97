/* SPDX-License-Identifier: MIT */
/*
 * tests/c/test_am335x.c - golden register tests of the TI AM335x family.
 *
 * A sparse register file stands in for /dev/mem (physical offsets). The
 * expected addresses below are written out independently of boards/am335x.h
 * (from the Linux sources it cites), so a wrong table entry fails here.
 * Verified at register level only: there is no AM335x emulator.
 */
#include <pthread.h>
#include <string.h>

#include "harness.h"
#include "internal.h"
#include "../../boards/am335x.h"

#define FILE_SIZE 0x481AF000ull		/* covers gpio3 (0x481AE000 + 4 KiB) */

#define CM 0x44E00000u
#define CTRLMOD 0x44E10000u
#define CTRLMOD_SIZE 0x2000u

#define R_CTRL 0x130u
#define R_OE 0x134u
#define R_DATAIN 0x138u
#define R_DATAOUT 0x13Cu
#define R_CLR 0x190u
#define R_SET 0x194u

#define SENTINEL 0xDEADBEEFu

static const uint32_t gpio_base[4] = { 0x44E07000u, 0x4804C000u, 0x481AC000u, 0x481AE000u };
static const uint32_t clk_addr[4] = { CM + 0x408u, CM + 0xACu, CM + 0xB0u, CM + 0xB4u };

static char *dir;

/* A fresh register file whose four CLKCTRL words hold @clk[b]. */
static char *regfile(const char *name, const uint32_t clk[4])
{
	char *p = th_regfile(dir, name, FILE_SIZE);

	for (unsigned b = 0; b < 4; b++)
		th_poke(p, clk_addr[b], clk[b]);
	return p;
}

static const uint32_t clk_ready[4] = { 0x2u, 0x2u, 0x2u, 0x2u };

static struct fgpio_chip *open_chip(const char *path, unsigned flags, const char *dt_root, const char *soc)
{
	return th_open_soc(soc, path, flags, dt_root);
}

/* Every region the library may map: CM page, four GPIO blocks, control module. */
struct snap {
	unsigned char *cm, *gpio[4], *ctl;
};

static void snap_take(const char *path, struct snap *s)
{
	s->cm = th_snapshot(path, CM, 0x1000);
	for (unsigned b = 0; b < 4; b++)
		s->gpio[b] = th_snapshot(path, gpio_base[b], 0x1000);
	s->ctl = th_snapshot(path, CTRLMOD, CTRLMOD_SIZE);
}

static int snap_same(const char *path, const struct snap *s)
{
	int same = th_unchanged(path, CM, 0x1000, s->cm) &&
		   th_unchanged(path, CTRLMOD, CTRLMOD_SIZE, s->ctl);

	for (unsigned b = 0; b < 4; b++)
		same = same && th_unchanged(path, gpio_base[b], 0x1000, s->gpio[b]);
	return same;
}

static void snap_free(struct snap *s)
{
	free(s->cm);
	free(s->ctl);
	for (unsigned b = 0; b < 4; b++)
		free(s->gpio[b]);
}

static void reset_setclr(const char *path)
{
	for (unsigned b = 0; b < 4; b++) {
		th_poke(path, gpio_base[b] + R_SET, SENTINEL);
		th_poke(path, gpio_base[b] + R_CLR, SENTINEL);
	}
}

/* No gpiomem device on AM335x: generic code refuses, nothing is written. */
static void test_gpiomem_refused(void)
{
	char *p = th_regfile(dir, "gpiomem", 0x2000);
	unsigned char *before = th_snapshot(p, 0, 0x2000);

	errno = 0;
	struct fgpio_chip *c = th_open_gpiomem("am335x", p);

	CHECK(c == NULL && errno == ENOTSUP);
	fgpio_chip_close(c);
	CHECK(th_unchanged(p, 0, 0x2000, before));
	free(before);
	free(p);
}

/* Clocks already running: no CLKCTRL write; DISABLEMODULE cleared, GATINGRATIO kept. */
static void test_open_clocked(void)
{
	char *p = regfile("clocked", clk_ready);

	th_poke(p, CM + 0x404u, 0x12345678u);	/* neighbour of CM_WKUP_GPIO0_CLKCTRL */
	th_poke(p, gpio_base[0] + R_CTRL, 0x7u);	/* DISABLEMODULE + GATINGRATIO bits */
	th_poke(p, gpio_base[1] + R_CTRL, 0x6u);
	th_poke(p, gpio_base[2] + R_CTRL, 0x1u);
	th_poke(p, gpio_base[3] + R_CTRL, 0x0u);

	struct fgpio_chip *c = open_chip(p, 0, NULL, "am335x");
	struct fgpio_chip_info info;

	CHECK(c != NULL);
	if (!c) {
		fprintf(stderr, "open: %s\n", fgpio_last_error());
		return;
	}
	CHECK(fgpio_chip_get_info(c, &info) == 0);
	CHECK(strcmp(info.soc, "am335x") == 0);
	CHECK_EQ_U32(info.num_lines, 128);
	CHECK_EQ_U32(info.num_banks, 4);
	for (unsigned b = 0; b < 4; b++)
		CHECK_EQ_U32(th_peek(p, clk_addr[b]), 0x2u);
	CHECK_EQ_U32(th_peek(p, CM + 0x404u), 0x12345678u);
	CHECK_EQ_U32(th_peek(p, gpio_base[0] + R_CTRL), 0x6u);
	CHECK_EQ_U32(th_peek(p, gpio_base[1] + R_CTRL), 0x6u);
	CHECK_EQ_U32(th_peek(p, gpio_base[2] + R_CTRL), 0x0u);
	CHECK_EQ_U32(th_peek(p, gpio_base[3] + R_CTRL), 0x0u);
	fgpio_chip_close(c);
	free(p);
}

/* Outputs: exact SETDATAOUT / CLEARDATAOUT words; DATAOUT never written. */
static void test_outputs(void)
{
	char *p = regfile("outputs", clk_ready);
	struct fgpio_chip *c = open_chip(p, 0, NULL, "am335x");
	static const unsigned line[4] = { 7, 60, 65, 117 };	/* P9_42, P9_12, P8_18, P9_25 */
	static const unsigned bit[4] = { 7, 28, 1, 21 };

	CHECK(c != NULL);
	if (!c)
		return;
	for (unsigned b = 0; b < 4; b++)
		th_poke(p, gpio_base[b] + R_DATAOUT, 0xA5A5A5A5u);

	for (unsigned b = 0; b < 4; b++) {
		reset_setclr(p);
		CHECK(fgpio_chip_set(c, line[b]) == 0);
		CHECK_EQ_U32(th_peek(p, gpio_base[b] + R_SET), 1u << bit[b]);
		CHECK_EQ_U32(th_peek(p, gpio_base[b] + R_CLR), SENTINEL);
		reset_setclr(p);
		CHECK(fgpio_chip_clear(c, line[b]) == 0);
		CHECK_EQ_U32(th_peek(p, gpio_base[b] + R_CLR), 1u << bit[b]);
		CHECK_EQ_U32(th_peek(p, gpio_base[b] + R_SET), SENTINEL);
		reset_setclr(p);
		CHECK(fgpio_chip_write(c, line[b], 1) == 0);
		CHECK_EQ_U32(th_peek(p, gpio_base[b] + R_SET), 1u << bit[b]);
		CHECK_EQ_U32(th_peek(p, gpio_base[b] + R_CLR), SENTINEL);
		reset_setclr(p);
		CHECK(fgpio_chip_write(c, line[b], 0) == 0);
		CHECK_EQ_U32(th_peek(p, gpio_base[b] + R_CLR), 1u << bit[b]);
		CHECK_EQ_U32(th_peek(p, gpio_base[b] + R_SET), SENTINEL);
		/* The other banks saw nothing. */
		for (unsigned o = 0; o < 4; o++) {
			if (o == b)
				continue;
			CHECK_EQ_U32(th_peek(p, gpio_base[o] + R_SET), SENTINEL);
			CHECK_EQ_U32(th_peek(p, gpio_base[o] + R_CLR), SENTINEL);
		}
	}

	reset_setclr(p);
	CHECK(fgpio_chip_bank_write(c, 2, 0x00FF00F0u, 0x0F0F0F0Fu) == 0);
	CHECK_EQ_U32(th_peek(p, gpio_base[2] + R_SET), 0x000F0000u);
	CHECK_EQ_U32(th_peek(p, gpio_base[2] + R_CLR), 0x00F000F0u);
	reset_setclr(p);
	CHECK(fgpio_chip_bank_write(c, 0, 0xFFFFFFFFu, 0x12345678u) == 0);
	CHECK_EQ_U32(th_peek(p, gpio_base[0] + R_SET), 0x12345678u);
	CHECK_EQ_U32(th_peek(p, gpio_base[0] + R_CLR), 0xEDCBA987u);
	reset_setclr(p);
	CHECK(fgpio_chip_bank_write(c, 1, 0x0000000Fu, 0xFFFFFFFFu) == 0);	/* only highs */
	CHECK_EQ_U32(th_peek(p, gpio_base[1] + R_SET), 0x0000000Fu);
	CHECK_EQ_U32(th_peek(p, gpio_base[1] + R_CLR), SENTINEL);
	reset_setclr(p);
	CHECK(fgpio_chip_bank_write(c, 3, 0x80000003u, 0) == 0);		/* only lows */
	CHECK_EQ_U32(th_peek(p, gpio_base[3] + R_CLR), 0x80000003u);
	CHECK_EQ_U32(th_peek(p, gpio_base[3] + R_SET), SENTINEL);
	reset_setclr(p);
	CHECK(fgpio_chip_bank_write(c, 3, 0, 0xFFFFFFFFu) == 0);		/* empty mask */
	CHECK_EQ_U32(th_peek(p, gpio_base[3] + R_CLR), SENTINEL);
	CHECK_EQ_U32(th_peek(p, gpio_base[3] + R_SET), SENTINEL);

	/* Line handle: one store to SET / CLEAR, level from DATAIN as an input. */
	struct fgpio_line l;

	reset_setclr(p);
	CHECK(fgpio_line_init(c, 117, &l) == 0);
	fgpio_line_on(&l);
	CHECK_EQ_U32(th_peek(p, gpio_base[3] + R_SET), 1u << 21);
	CHECK_EQ_U32(th_peek(p, gpio_base[3] + R_CLR), SENTINEL);
	fgpio_line_off(&l);
	CHECK_EQ_U32(th_peek(p, gpio_base[3] + R_CLR), 1u << 21);
	th_poke(p, gpio_base[3] + R_OE, 1u << 21);	/* line 117 an input */
	th_poke(p, gpio_base[3] + R_DATAIN, 1u << 21);
	CHECK(fgpio_line_get(&l) == 1);
	th_poke(p, gpio_base[3] + R_DATAIN, ~(1u << 21));
	CHECK(fgpio_line_get(&l) == 0);
	th_poke(p, gpio_base[3] + R_OE, 0);
	th_poke(p, gpio_base[3] + R_DATAIN, 0);

	for (unsigned b = 0; b < 4; b++)
		CHECK_EQ_U32(th_peek(p, gpio_base[b] + R_DATAOUT), 0xA5A5A5A5u);
	fgpio_chip_close(c);
	free(p);
}

static void test_inputs(void)
{
	char *p = regfile("inputs", clk_ready);
	struct fgpio_chip *c = open_chip(p, 0, NULL, "am335x");
	uint32_t v = 0;

	CHECK(c != NULL);
	if (!c)
		return;
	for (unsigned b = 0; b < 4; b++)
		th_poke(p, gpio_base[b] + R_OE, 0xFFFFFFFFu);	/* every line an input */
	th_poke(p, gpio_base[3] + R_DATAIN, 0x80000001u);
	th_poke(p, gpio_base[3] + R_DATAOUT, 0x7FFFFFFEu);	/* must not be what is read */
	th_poke(p, gpio_base[0] + R_DATAIN, 0x00000080u);
	th_poke(p, gpio_base[1] + R_DATAIN, 0x10000000u);
	CHECK(fgpio_chip_read(c, 96) == 1);
	CHECK(fgpio_chip_read(c, 97) == 0);
	CHECK(fgpio_chip_read(c, 127) == 1);
	CHECK(fgpio_chip_read(c, 7) == 1);
	CHECK(fgpio_chip_read(c, 6) == 0);
	CHECK(fgpio_chip_read(c, 60) == 1);
	CHECK(fgpio_chip_bank_read(c, 3, &v) == 0);
	CHECK_EQ_U32(v, 0x80000001u);
	CHECK(fgpio_chip_bank_read(c, 1, &v) == 0);
	CHECK_EQ_U32(v, 0x10000000u);
	fgpio_chip_close(c);
	free(p);
}

/*
 * Levels as the kernel reads them (omap_gpio_get / omap_gpio_get_multiple):
 * DATAOUT for outputs (OE bit 0), DATAIN for inputs, with the two registers
 * disagreeing on every bit. On a pad with its receiver off DATAIN reads 0
 * whatever the output drives; reading it for outputs made toggle() stick.
 */
static void test_readback(void)
{
	char *p = regfile("readback", clk_ready);
	struct fgpio_chip *c = open_chip(p, 0, NULL, "am335x");
	struct fgpio_line l;
	uint32_t v = 0;

	CHECK(c != NULL);
	if (!c)
		return;
	/* bank 1: lines 53-56 (USR LEDs) and 60 outputs, the rest inputs */
	uint32_t oe = ~((0xFu << 21) | (1u << 28));

	th_poke(p, gpio_base[1] + R_OE, oe);
	th_poke(p, gpio_base[1] + R_DATAIN, 0x00000000u);	/* receiver off: reads 0 */
	th_poke(p, gpio_base[1] + R_DATAOUT, 0xFFFFFFFFu);
	CHECK(fgpio_chip_read(c, 53) == 1);	/* USR0 drives 1 */
	CHECK(fgpio_chip_read(c, 60) == 1);
	CHECK(fgpio_chip_read(c, 61) == 0);	/* input: DATAIN */
	CHECK(fgpio_chip_bank_read(c, 1, &v) == 0);
	CHECK_EQ_U32(v, ~oe);
	th_poke(p, gpio_base[1] + R_DATAIN, 0xFFFFFFFFu);
	th_poke(p, gpio_base[1] + R_DATAOUT, 0x00000000u);
	CHECK(fgpio_chip_read(c, 53) == 0);
	CHECK(fgpio_chip_read(c, 61) == 1);
	CHECK(fgpio_chip_bank_read(c, 1, &v) == 0);
	CHECK_EQ_U32(v, oe);
	th_poke(p, gpio_base[1] + R_DATAIN, 0x0F0F0F0Fu);
	th_poke(p, gpio_base[1] + R_DATAOUT, 0xF0F0F0F0u);
	CHECK(fgpio_chip_bank_read(c, 1, &v) == 0);
	CHECK_EQ_U32(v, (0x0F0F0F0Fu & oe) | (0xF0F0F0F0u & ~oe));

	/* The line handle reads through the direction too, also after it changes. */
	CHECK(fgpio_line_init(c, 53, &l) == 0);
	CHECK(l.set_reg != NULL && l.clr_reg != NULL && l.in_reg == NULL);
	th_poke(p, gpio_base[1] + R_DATAIN, 0);
	th_poke(p, gpio_base[1] + R_DATAOUT, 1u << 21);
	CHECK(fgpio_line_get(&l) == 1);
	/* toggle = read + the opposite store: an output driving 1 is cleared */
	reset_setclr(p);
	if (fgpio_line_get(&l))
		fgpio_line_off(&l);
	else
		fgpio_line_on(&l);
	CHECK_EQ_U32(th_peek(p, gpio_base[1] + R_CLR), 1u << 21);
	CHECK_EQ_U32(th_peek(p, gpio_base[1] + R_SET), SENTINEL);
	CHECK(fgpio_chip_set_func(c, 53, FGPIO_FUNC_IN) == 0);
	CHECK(fgpio_line_get(&l) == 0);	/* now an input: DATAIN */
	th_poke(p, gpio_base[1] + R_DATAIN, 1u << 21);
	th_poke(p, gpio_base[1] + R_DATAOUT, 0);
	CHECK(fgpio_line_get(&l) == 1);
	CHECK(fgpio_chip_set_func(c, 53, FGPIO_FUNC_OUT) == 0);
	CHECK(fgpio_line_get(&l) == 0);
	/* every register the reads touch stays as it was */
	struct snap s;

	snap_take(p, &s);
	CHECK(fgpio_chip_read(c, 53) == 0);
	CHECK(fgpio_chip_bank_read(c, 1, &v) == 0);
	CHECK(fgpio_line_get(&l) == 0);
	CHECK(snap_same(p, &s));
	snap_free(&s);
	fgpio_chip_close(c);
	free(p);
}

/* The pad's RXACTIVE bit tells whether an input's DATAIN follows the pin. */
static void test_input_enable(void)
{
	char *p = regfile("rxactive", clk_ready);
	struct fgpio_chip *c = open_chip(p, 0, NULL, "am335x");
	struct snap s;

	CHECK(c != NULL);
	if (!c)
		return;
	th_poke(p, CTRLMOD + 0x878u, 0x37u);	/* P9_12 (60): mode 7, RXACTIVE, pull-up */
	th_poke(p, CTRLMOD + 0x854u, 0x07u);	/* USR0 (53): mode 7, receiver off */
	snap_take(p, &s);
	CHECK(fgpio_chip_get_input_enable(c, 60) == 1);
	CHECK(fgpio_chip_get_input_enable(c, 53) == 0);
	CHECK_ERR(fgpio_chip_get_input_enable(c, 40), ENOTSUP);	/* pad not in the table */
	CHECK(strstr(fgpio_last_error(), "not in the am335x table") != NULL);
	CHECK_ERR(fgpio_chip_get_input_enable(c, 128), EINVAL);
	CHECK_ERR(fgpio_chip_get_input_enable(NULL, 0), EINVAL);
	CHECK(snap_same(p, &s));
	snap_free(&s);
	fgpio_chip_close(c);
	free(p);

	/* Other SoCs: the table cannot tell. */
	p = th_regfile(dir, "bcm", 0x1000);
	c = th_open_gpiomem("bcm2837", p);
	CHECK(c != NULL);
	if (c) {
		CHECK_ERR(fgpio_chip_get_input_enable(c, 17), ENOTSUP);
		fgpio_chip_close(c);
	}
	free(p);
}

/* Direction: OE read-modify-write (1 = input), neighbours intact, pad never written. */
static void test_direction(void)
{
	char *p = regfile("direction", clk_ready);
	struct fgpio_chip *c = open_chip(p, 0, NULL, "am335x");

	CHECK(c != NULL);
	if (!c)
		return;
	th_poke(p, gpio_base[1] + R_OE, 0xFFFFFFFFu);
	th_poke(p, gpio_base[2] + R_OE, 0x00000000u);
	th_poke(p, gpio_base[0] + R_OE, 0x5A5A5A5Au);
	th_poke(p, CTRLMOD + 0x878u, 0x37u);	/* P9_12 pad: mode 7, rx, pull-up */
	unsigned char *ctl = th_snapshot(p, CTRLMOD, CTRLMOD_SIZE);

	CHECK(fgpio_chip_set_func(c, 60, FGPIO_FUNC_OUT) == 0);
	CHECK_EQ_U32(th_peek(p, gpio_base[1] + R_OE), 0xEFFFFFFFu);
	CHECK(fgpio_chip_get_func(c, 60) == FGPIO_FUNC_OUT);
	CHECK(fgpio_chip_set_func(c, 60, FGPIO_FUNC_IN) == 0);
	CHECK_EQ_U32(th_peek(p, gpio_base[1] + R_OE), 0xFFFFFFFFu);
	CHECK(fgpio_chip_get_func(c, 60) == FGPIO_FUNC_IN);
	CHECK(fgpio_chip_set_func(c, 65, FGPIO_FUNC_IN) == 0);
	CHECK_EQ_U32(th_peek(p, gpio_base[2] + R_OE), 0x00000002u);
	CHECK(fgpio_chip_set_func(c, 95, FGPIO_FUNC_IN) == 0);
	CHECK_EQ_U32(th_peek(p, gpio_base[2] + R_OE), 0x80000002u);
	CHECK(fgpio_chip_set_func(c, 65, FGPIO_FUNC_OUT) == 0);
	CHECK_EQ_U32(th_peek(p, gpio_base[2] + R_OE), 0x80000000u);
	CHECK_EQ_U32(th_peek(p, gpio_base[0] + R_OE), 0x5A5A5A5Au);
	CHECK(th_unchanged(p, CTRLMOD, CTRLMOD_SIZE, ctl));
	free(ctl);
	fgpio_chip_close(c);
	free(p);
}

/* get_func / get_pull decode pad words; the control module is never written. */
static void test_pad_decode(void)
{
	char *p = regfile("pads", clk_ready);
	struct fgpio_chip *c = open_chip(p, 0, NULL, "am335x");

	CHECK(c != NULL);
	if (!c)
		return;
	th_poke(p, gpio_base[1] + R_OE, 1u << 28);	/* line 60 input, line 40 output */
	/* P9_12 = line 60 = gpio1_28: conf_gpmc_ben1 at 0x878. */
	th_poke(p, CTRLMOD + 0x878u, 0x37u);
	unsigned char *ctl = th_snapshot(p, CTRLMOD, CTRLMOD_SIZE);

	CHECK(fgpio_chip_get_func(c, 60) == FGPIO_FUNC_IN);
	CHECK(fgpio_chip_get_pull(c, 60) == FGPIO_PULL_UP);	/* PULLUDEN 0, PULLTYPESEL 1 */
	CHECK(th_unchanged(p, CTRLMOD, CTRLMOD_SIZE, ctl));
	free(ctl);

	th_poke(p, CTRLMOD + 0x878u, 0x30u);		/* mode 0: gpmc_ben1 */
	CHECK(fgpio_chip_get_func(c, 60) == FGPIO_FUNC_ALT0);
	th_poke(p, CTRLMOD + 0x878u, 0x22u);		/* mode 2 */
	CHECK(fgpio_chip_get_func(c, 60) == FGPIO_FUNC_ALT2);
	th_poke(p, CTRLMOD + 0x878u, 0x2Cu);		/* mode 4, pull disabled */
	CHECK(fgpio_chip_get_func(c, 60) == FGPIO_FUNC_ALT4);
	CHECK(fgpio_chip_get_pull(c, 60) == FGPIO_PULL_OFF);
	th_poke(p, CTRLMOD + 0x878u, 0x27u);		/* mode 7, pull-down */
	CHECK(fgpio_chip_get_func(c, 60) == FGPIO_FUNC_IN);
	CHECK(fgpio_chip_get_pull(c, 60) == FGPIO_PULL_DOWN);
	th_poke(p, CTRLMOD + 0x878u, 0x1Fu);		/* mode 7, pull disabled (bit 4 ignored) */
	CHECK(fgpio_chip_get_pull(c, 60) == FGPIO_PULL_OFF);
	th_poke(p, gpio_base[1] + R_OE, 0);
	CHECK(fgpio_chip_get_func(c, 60) == FGPIO_FUNC_OUT);

	/* More pads of the table, each at its [PINH] offset. */
	th_poke(p, CTRLMOD + 0x964u, 0x03u);		/* P9_42 gpio0_7: ecap0_in_pwm0_out */
	CHECK(fgpio_chip_get_func(c, 7) == FGPIO_FUNC_ALT3);
	th_poke(p, CTRLMOD + 0x9B4u, 0x06u);		/* P9_41 gpio0_20: xdma_event_intr1 */
	CHECK(fgpio_chip_get_func(c, 20) == FGPIO_FUNC_ALT6);
	th_poke(p, CTRLMOD + 0x818u, 0x01u);		/* P8_3 gpio1_6: gpmc_ad6 */
	CHECK(fgpio_chip_get_func(c, 38) == FGPIO_FUNC_ALT1);
	th_poke(p, CTRLMOD + 0x9ACu, 0x05u);		/* P9_25 gpio3_21: mcasp0_ahclkx */
	CHECK(fgpio_chip_get_func(c, 117) == FGPIO_FUNC_ALT5);
	th_poke(p, CTRLMOD + 0x8E8u, 0x00u);		/* P8_28 gpio2_24: lcd_pclk */
	CHECK(fgpio_chip_get_func(c, 88) == FGPIO_FUNC_ALT0);

	/* A line without a recorded pad: direction from OE, pull not readable. */
	th_poke(p, gpio_base[1] + R_OE, 1u << 8);
	CHECK(fgpio_chip_get_func(c, 40) == FGPIO_FUNC_IN);
	unsigned char *all = th_snapshot(p, CTRLMOD, CTRLMOD_SIZE);

	CHECK_ERR(fgpio_chip_get_pull(c, 40), ENOTSUP);
	CHECK(th_unchanged(p, CTRLMOD, CTRLMOD_SIZE, all));
	free(all);
	fgpio_chip_close(c);
	free(p);
}

/* Every refusal: errno, a helpful message, and a byte-for-byte unchanged file. */
static void test_refusals(void)
{
	char *p = regfile("refusals", clk_ready);
	struct fgpio_chip *c = open_chip(p, 0, NULL, "am335x");
	struct snap s;

	CHECK(c != NULL);
	if (!c)
		return;
	th_poke(p, CTRLMOD + 0x878u, 0x37u);
	th_poke(p, gpio_base[1] + R_OE, 0x12345678u);
	snap_take(p, &s);
	for (int f = FGPIO_FUNC_ALT0; f <= FGPIO_FUNC_ALT8; f++) {
		CHECK_ERR(fgpio_chip_set_func(c, 60, (enum fgpio_func)f), ENOTSUP);
		CHECK(strstr(fgpio_last_error(), "config-pin") != NULL);
	}
	CHECK_ERR(fgpio_chip_set_func(c, 60, FGPIO_FUNC_NONE), EINVAL);
	CHECK_ERR(fgpio_chip_set_pull(c, 60, FGPIO_PULL_UP), ENOTSUP);
	CHECK(strstr(fgpio_last_error(), "gpio_pu") != NULL);
	CHECK_ERR(fgpio_chip_set_pull(c, 60, FGPIO_PULL_DOWN), ENOTSUP);
	CHECK(strstr(fgpio_last_error(), "gpio_pd") != NULL);
	CHECK_ERR(fgpio_chip_set_pull(c, 60, FGPIO_PULL_OFF), ENOTSUP);
	CHECK_ERR(fgpio_chip_set_pull(c, 60, FGPIO_PULL_KEEPER), ENOTSUP);
	CHECK_ERR(fgpio_chip_set(c, 128), EINVAL);
	CHECK_ERR(fgpio_chip_bank_write(c, 4, 1, 1), EINVAL);
	CHECK(snap_same(p, &s));
	snap_free(&s);
	fgpio_chip_close(c);
	free(p);
}

/* Gated banks are enabled: MODULEMODE = 2 with every other bit kept, DISABLEMODULE cleared. */
static void test_clock_enable(void)
{
	/*
	 * bank 0: 0 (disabled); bank 1: OPTFCLKEN set, module disabled; bank 2: IDLEST
	 * "interface idle" with MODULEMODE 0; bank 3: already enabled (must not be written).
	 */
	static const uint32_t clk[4] = { 0x00000000u, 0x00040000u, 0x00020000u, 0x00000002u };
	char *p = regfile("enable", clk);

	th_poke(p, CM + 0xA8u, 0x11111111u);	/* neighbours inside CM_PER / CM_WKUP */
	th_poke(p, CM + 0xB8u, 0x22222222u);
	th_poke(p, CM + 0x40Cu, 0x33333333u);
	for (unsigned b = 0; b < 4; b++)
		th_poke(p, gpio_base[b] + R_CTRL, 0x1u);

	struct fgpio_chip *c = open_chip(p, 0, NULL, "am335x");

	CHECK(c != NULL);
	if (!c) {
		fprintf(stderr, "open: %s\n", fgpio_last_error());
		return;
	}
	CHECK_EQ_U32(th_peek(p, clk_addr[0]), 0x00000002u);
	CHECK_EQ_U32(th_peek(p, clk_addr[1]), 0x00040002u);
	CHECK_EQ_U32(th_peek(p, clk_addr[2]), 0x00020002u);
	CHECK_EQ_U32(th_peek(p, clk_addr[3]), 0x00000002u);
	CHECK_EQ_U32(th_peek(p, CM + 0xA8u), 0x11111111u);
	CHECK_EQ_U32(th_peek(p, CM + 0xB8u), 0x22222222u);
	CHECK_EQ_U32(th_peek(p, CM + 0x40Cu), 0x33333333u);
	for (unsigned b = 0; b < 4; b++)
		CHECK_EQ_U32(th_peek(p, gpio_base[b] + R_CTRL), 0x0u);
	reset_setclr(p);
	CHECK(fgpio_chip_set(c, 7) == 0);
	CHECK_EQ_U32(th_peek(p, gpio_base[0] + R_SET), 1u << 7);
	CHECK(fgpio_chip_set(c, 65) == 0);
	CHECK_EQ_U32(th_peek(p, gpio_base[2] + R_SET), 1u << 1);
	fgpio_chip_close(c);
	free(p);
}

/* IDLEST stuck at "disabled": bounded wait, bank refused with EIO, others work. */
static void test_clock_timeout(void)
{
	static const uint32_t clk[4] = { 0x2u, 0x2u, 0x00030000u, 0x2u };
	char *p = regfile("timeout", clk);
	struct fgpio_line l;
	uint32_t v;
	struct snap s;

	th_poke(p, gpio_base[2] + R_CTRL, 0x1u);
	th_poke(p, CTRLMOD + 0x88Cu, 0x37u);	/* P8_18 gpio2_1 pad in GPIO mode */

	struct fgpio_chip *c = open_chip(p, 0, NULL, "am335x");

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_U32(th_peek(p, clk_addr[2]), 0x00030002u);	/* enable was attempted */
	CHECK_EQ_U32(th_peek(p, gpio_base[2] + R_CTRL), 0x1u);	/* bank not touched */
	snap_take(p, &s);
	CHECK_ERR(fgpio_chip_set(c, 65), EIO);
	CHECK(strstr(fgpio_last_error(), "gpioget gpiochip2 1") != NULL);
	CHECK_ERR(fgpio_chip_clear(c, 65), EIO);
	CHECK_ERR(fgpio_chip_bank_write(c, 2, 0xFFu, 0x0Fu), EIO);
	CHECK_ERR(fgpio_chip_bank_read(c, 2, &v), EIO);
	CHECK_ERR(fgpio_chip_read(c, 65), EIO);
	CHECK_ERR(fgpio_chip_set_func(c, 65, FGPIO_FUNC_OUT), EIO);
	CHECK_ERR(fgpio_chip_get_func(c, 65), EIO);
	CHECK_ERR(fgpio_line_init(c, 65, &l), EIO);
	CHECK(snap_same(p, &s));
	snap_free(&s);
	CHECK(fgpio_chip_set(c, 60) == 0);	/* bank 1 is fine */
	CHECK_EQ_U32(th_peek(p, gpio_base[1] + R_SET), 1u << 28);
	fgpio_chip_close(c);
	free(p);
}

/* FGPIO_OPEN_NO_CLOCK_ENABLE: nothing is written at open; gated banks fail with EIO. */
static void test_no_clock_enable(void)
{
	static const uint32_t clk[4] = { 0x0u, 0x2u, 0x0u, 0x00030000u };
	char *p = regfile("noenable", clk);
	struct fgpio_line l;
	uint32_t v;
	struct snap s;

	for (unsigned b = 0; b < 4; b++)
		th_poke(p, gpio_base[b] + R_CTRL, 0x1u);
	th_poke(p, CTRLMOD + 0x964u, 0x27u);	/* P9_42 gpio0_7: GPIO mode */
	th_poke(p, CTRLMOD + 0x9B4u, 0x20u);	/* P9_41 gpio0_20: mode 0 */
	snap_take(p, &s);

	struct fgpio_chip *c = open_chip(p, FGPIO_OPEN_NO_CLOCK_ENABLE, NULL, "am335x");

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK(snap_same(p, &s));	/* open wrote nothing, not even DISABLEMODULE */
	CHECK_ERR(fgpio_chip_set(c, 7), EIO);
	CHECK(strstr(fgpio_last_error(), "FGPIO_OPEN_NO_CLOCK_ENABLE") != NULL);
	CHECK(strstr(fgpio_last_error(), "gpioget gpiochip0 7") != NULL);
	CHECK_ERR(fgpio_chip_bank_write(c, 0, 1u, 1u), EIO);
	CHECK_ERR(fgpio_chip_bank_read(c, 0, &v), EIO);
	CHECK_ERR(fgpio_chip_read(c, 7), EIO);
	CHECK_ERR(fgpio_chip_set_func(c, 7, FGPIO_FUNC_IN), EIO);
	CHECK_ERR(fgpio_chip_get_func(c, 7), EIO);	/* GPIO mode: needs OE */
	CHECK_ERR(fgpio_line_init(c, 7, &l), EIO);
	CHECK_ERR(fgpio_chip_set(c, 70), EIO);		/* bank 2 */
	CHECK_ERR(fgpio_chip_set(c, 117), EIO);		/* bank 3: IDLEST 3 */
	/* Pad reads need no bank access. */
	CHECK(fgpio_chip_get_func(c, 20) == FGPIO_FUNC_ALT0);
	CHECK(fgpio_chip_get_pull(c, 7) == FGPIO_PULL_DOWN);
	CHECK(snap_same(p, &s));
	snap_free(&s);

	CHECK(fgpio_chip_set(c, 60) == 0);	/* bank 1 runs: usable, CTRL left alone */
	CHECK_EQ_U32(th_peek(p, gpio_base[1] + R_SET), 1u << 28);
	CHECK_EQ_U32(th_peek(p, gpio_base[1] + R_CTRL), 0x1u);
	fgpio_chip_close(c);
	free(p);
}

/*
 * Clock manager not mappable (in a register file it always is, so drive the
 * family ops on a chip whose CM slot is empty): every bank is refused.
 */
static void test_no_clock_manager(void)
{
	static uint32_t gpio[4][1024], ctl[CTRLMOD_SIZE / 4], copy[4][1024];
	struct fgpio_chip *c = calloc(1, sizeof(*c));
	const struct fgpio_family_ops *ops = &fgpio_am335x_ops;

	c->soc = &fgpio_soc_am335x;
	c->ops = ops;
	pthread_mutex_init(&c->lock, NULL);
	for (unsigned b = 0; b < 4; b++) {
		for (unsigned i = 0; i < 1024; i++)
			gpio[b][i] = 0x01010101u * (b + 1) + i;
		c->maps[FGPIO_AM335X_BLK_GPIO0 + b].base = gpio[b];
		c->maps[FGPIO_AM335X_BLK_GPIO0 + b].len = sizeof(gpio[b]);
	}
	c->maps[FGPIO_AM335X_BLK_CONTROL].base = ctl;
	c->maps[FGPIO_AM335X_BLK_CONTROL].len = sizeof(ctl);
	ctl[0x878 / 4] = 0x32u;		/* line 60 pad: mode 2 */
	ctl[0x964 / 4] = 0x37u;		/* line 7 pad: GPIO mode */
	memcpy(copy, gpio, sizeof(gpio));

	uint32_t v;

	CHECK(ops->attach(c) == 0);
	for (unsigned b = 0; b < 4; b++)
		CHECK_EQ_U32(c->fam.am335x.bank[b] & 1u, 0);
	CHECK_ERR(ops->bank_write(c, 1, 1u << 28, 1u << 28), EIO);
	CHECK(strstr(fgpio_last_error(), "clock manager") != NULL);
	CHECK(strstr(fgpio_last_error(), "gpioget gpiochip1 28") != NULL);
	CHECK_ERR(ops->bank_read(c, 0, &v), EIO);
	CHECK_ERR(ops->set_func(c, 3, 0, FGPIO_FUNC_OUT), EIO);
	CHECK(ops->get_func(c, 1, 28) == FGPIO_FUNC_ALT2);
	CHECK_ERR(ops->get_func(c, 0, 7), EIO);
	CHECK(memcmp(copy, gpio, sizeof(gpio)) == 0);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* The board map and names, through a fake device tree. */
static void test_board(void)
{
	static const char bbb[] = "ti,am335x-bone-black\0ti,am335x-bone\0ti,am33xx";
	static const char green[] = "ti,am335x-bone-green\0ti,am335x-bone-black\0ti,am335x-bone\0ti,am33xx";
	static const char evm[] = "ti,am335x-evm\0ti,am33xx";
	char *root = th_tmpdir();
	char *p = regfile("board", clk_ready);
	struct fgpio_chip_info info;

	th_dt_compatible(root, "compatible", bbb, sizeof(bbb));
	struct fgpio_chip *c = open_chip(p, 0, root, NULL);	/* SoC detected from "ti,am33xx" */

	CHECK(c != NULL);
	if (!c) {
		fprintf(stderr, "open: %s\n", fgpio_last_error());
		return;
	}
	CHECK(fgpio_chip_get_info(c, &info) == 0);
	CHECK(strcmp(info.soc, "am335x") == 0);
	CHECK(strcmp(info.board, "BeagleBone Black") == 0);
	CHECK(fgpio_chip_find_line(c, "P9_12") == 60);
	CHECK(fgpio_chip_find_line(c, "GPIO1_28") == 60);
	CHECK(fgpio_chip_find_line(c, "P8_3") == 38);
	CHECK(fgpio_chip_find_line(c, "P8_24") == 33);
	CHECK(fgpio_chip_find_line(c, "P8_46") == 71);
	CHECK(fgpio_chip_find_line(c, "P9_15") == 48);
	CHECK(fgpio_chip_find_line(c, "P9_41") == 20);
	CHECK(fgpio_chip_find_line(c, "P9_42") == 7);
	CHECK(fgpio_chip_find_line(c, "P9_25") == 117);
	CHECK(fgpio_chip_find_line(c, "GPIO3_21") == 117);
	CHECK_ERR(fgpio_chip_find_line(c, "P9_1"), ENOENT);
	CHECK_ERR(fgpio_chip_find_line(c, "P9_39"), ENOENT);	/* AIN0 */
	CHECK_ERR(fgpio_chip_find_line(c, "P9_9"), ENOENT);	/* PWR_BUT */
	CHECK_ERR(fgpio_chip_set_pull(c, 60, FGPIO_PULL_UP), ENOTSUP);
	CHECK(strstr(fgpio_last_error(), "config-pin P9_12 gpio_pu") != NULL);
	CHECK_ERR(fgpio_chip_set_func(c, 50, FGPIO_FUNC_ALT6), ENOTSUP);
	CHECK(strstr(fgpio_last_error(), "config-pin P9_14") != NULL);
	fgpio_chip_close(c);

	th_dt_compatible(root, "compatible", green, sizeof(green));
	c = open_chip(p, 0, root, NULL);
	CHECK(c != NULL);
	if (c) {
		CHECK(fgpio_chip_get_info(c, &info) == 0);
		CHECK(strcmp(info.board, "BeagleBone Black") == 0);
		fgpio_chip_close(c);
	}
	th_dt_compatible(root, "compatible", evm, sizeof(evm));
	c = open_chip(p, 0, root, NULL);
	CHECK(c != NULL);
	if (c) {
		CHECK(fgpio_chip_get_info(c, &info) == 0);
		CHECK(strcmp(info.soc, "am335x") == 0);
		CHECK(strcmp(info.board, "unknown") == 0);
		fgpio_chip_close(c);
	}
	free(root);
	free(p);
}

/* Table invariants: every header GPIO has a pad; pads and lines are unique. */
static void test_table(void)
{
	const struct fgpio_board_desc *b = &fgpio_soc_am335x.boards[0];
	const struct fgpio_am335x_regs *r = fgpio_soc_am335x.regs;
	unsigned gpios = 0;

	CHECK_EQ_U32(b->npins, 92);
	for (unsigned i = 0; i < b->npins; i++) {
		char want[8];

		snprintf(want, sizeof(want), "P%u_%u", i < 46 ? 8u : 9u, i % 46 + 1);
		CHECK(strcmp(b->labels[i], want) == 0);
		if (b->lines[i] < 0)
			continue;
		gpios++;
		CHECK(b->lines[i] < 128);
		uint16_t pad = r->pad_offset[b->lines[i]];

		CHECK(pad >= 0x800 && pad <= 0xA34 && (pad & 3) == 0);
		for (unsigned j = 0; j < i; j++)
			CHECK(b->lines[j] != b->lines[i]);
	}
	CHECK_EQ_U32(gpios, 44 + 21 + 2);	/* P8_3..P8_46, P9_11..P9_31, P9_41/42 */
	for (unsigned i = 0; i < 128; i++)
		for (unsigned j = 0; j < i && r->pad_offset[i]; j++)
			CHECK(r->pad_offset[j] != r->pad_offset[i]);
}

/* The kernel gates bank 1 after open: the next access fails with EIO, never SIGBUS. */
static void test_gated_after_open(void)
{
	char *p = regfile("regated.bin", clk_ready);
	struct fgpio_chip *c = open_chip(p, 0, NULL, "am335x");

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK(fgpio_chip_set(c, 60) == 0);	/* GPIO1_28 while clocked */
	CHECK_EQ_U32(th_peek(p, gpio_base[1] + R_SET), 1u << 28);
	th_poke(p, gpio_base[1] + R_SET, 0);
	th_poke(p, clk_addr[1], 0x00030000u);	/* MODULEMODE 0, IDLEST 3: disabled */

	struct snap s;

	snap_take(p, &s);
	CHECK_ERR(fgpio_chip_set(c, 60), EIO);
	CHECK(strstr(fgpio_last_error(), "gated after") != NULL);
	CHECK_ERR(fgpio_chip_read(c, 60), EIO);
	CHECK_ERR(fgpio_chip_set_func(c, 60, FGPIO_FUNC_OUT), EIO);
	CHECK(snap_same(p, &s));
	snap_free(&s);
	CHECK(fgpio_chip_set(c, 2) == 0);	/* bank 0 is still clocked */
	fgpio_chip_close(c);
	free(p);
}

int main(void)
{
	dir = th_tmpdir();
	test_gated_after_open();
	test_gpiomem_refused();
	test_open_clocked();
	test_outputs();
	test_inputs();
	test_readback();
	test_input_enable();
	test_direction();
	test_pad_decode();
	test_refusals();
	test_clock_enable();
	test_clock_timeout();
	test_no_clock_enable();
	test_no_clock_manager();
	test_board();
	test_table();
	return th_done("test_am335x");
}
