/* SPDX-License-Identifier: MIT */
/*
 * src/soc_am335x.c - register code of the TI AM335x GPIO family.
 *
 * Four "ti,omap4-gpio" banks, each with its own module clock. A bank whose
 * clock is gated answers every access with an external abort (SIGBUS in user
 * space), so attach() checks each bank's CLKCTRL register, enables the clock
 * when allowed, and every operation refuses (EIO) a bank not known to be
 * clocked. Pad mux and pulls live in the control module, which ignores
 * writes from user mode: they are reported, never written. Levels are read
 * as the kernel reads them: DATAOUT for outputs, DATAIN for inputs (which
 * follows the pin only while the pad's receiver, RXACTIVE, is on).
 *
 * Register offsets and encodings come from boards/am335x.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "internal.h"
#include "../boards/family_am335x.h"

_Static_assert(FGPIO_AM335X_NBANKS <= FGPIO_FAMILY_MAX_BANKS, "the banks fit the family state");

/* c->fam.am335x.bank[bank]: state of the bank found by attach (zero = never checked = unusable). */
#define AM335X_USABLE 0x01u		/* clock functional: registers may be touched */
#define AM335X_ENABLED 0x02u		/* we enabled its module clock */
#define AM335X_NO_CM 0x04u		/* clock manager not mapped: clock state unknown */
#define AM335X_GATED 0x08u		/* gated and FGPIO_OPEN_NO_CLOCK_ENABLE given */
#define AM335X_TIMEOUT 0x10u		/* enabled, but IDLEST never reported ready */
#define AM335X_NO_GPIO 0x20u		/* the bank's own block is not mapped */


static const struct fgpio_am335x_regs *am335x_regs(const struct fgpio_chip *c)
{
	return (const struct fgpio_am335x_regs *)c->soc->regs;
}

static unsigned am335x_line(const struct fgpio_chip *c, unsigned bank, unsigned bit)
{
	return c->soc->banks[bank].first_line + bit;
}

static uint64_t am335x_bank_phys(const struct fgpio_chip *c, unsigned bank)
{
	return c->soc->blocks[c->soc->banks[bank].block].phys;
}

/* Header label of @line on the detected board ("P9_12"), or NULL. */
static const char *am335x_label(const struct fgpio_chip *c, unsigned line)
{
	const struct fgpio_board_desc *b = c->board;

	if (!b)
		return NULL;
	for (unsigned i = 0; i < b->npins; i++)
		if (b->lines[i] >= 0 && (unsigned)b->lines[i] == line)
			return b->labels[i];
	return NULL;
}

/* Clocked and accessible: MODULEMODE enabled and IDLEST functional or interface-idle. */
static int am335x_clk_ready(const struct fgpio_am335x_regs *r, uint32_t v)
{
	uint32_t st = (v & r->clk_idlest_mask) >> r->clk_idlest_shift;

	if ((v & r->clk_modulemode_mask) != r->clk_modulemode_enable)
		return 0;
	return st == r->clk_idlest_functional || st == r->clk_idlest_interface_idle;
}

/* Checks (and, when allowed, enables) the clock of @bank; returns its state bits. */
static uint32_t am335x_bank_attach(struct fgpio_chip *c, unsigned bank)
{
	const struct fgpio_am335x_regs *r = am335x_regs(c);
	volatile uint32_t *clk = fgpio_reg(c, r->clk_block, r->clkctrl[bank]);
	volatile uint32_t *ctrl = fgpio_reg(c, c->soc->banks[bank].block, r->ctrl);
	uint32_t state = 0;

	if (!ctrl)
		return AM335X_NO_GPIO;
	if (!clk)
		return AM335X_NO_CM;	/* cannot tell: never touch the bank */

	uint32_t v = fgpio_rd(clk);

	c->fam.am335x.clkctrl[bank] = v;
	if (!am335x_clk_ready(r, v)) {
		if (c->flags & FGPIO_OPEN_NO_CLOCK_ENABLE)
			return AM335X_GATED;
		if ((v & r->clk_modulemode_mask) != r->clk_modulemode_enable) {
			/* Keep every other bit (OPTFCLKEN, the debounce clock, stays as it is). */
			v = (v & ~r->clk_modulemode_mask) | r->clk_modulemode_enable;
			fgpio_wr(clk, v);
		}
		state |= AM335X_ENABLED;
		/* Bounded wait for IDLEST, as the kernel's clkctrl driver does. */
		unsigned polls = r->clk_poll_us ? r->clk_ready_timeout_us / r->clk_poll_us : 0;

		for (;;) {
			fgpio_barrier();
			v = fgpio_rd(clk);
			c->fam.am335x.clkctrl[bank] = v;
			if (am335x_clk_ready(r, v))
				break;
			if (polls-- == 0)
				return state | AM335X_TIMEOUT;
			fgpio_udelay(r->clk_poll_us);
		}
	}
	if (!(c->flags & FGPIO_OPEN_NO_CLOCK_ENABLE)) {
		/* The kernel sets DISABLEMODULE when it frees the bank's last line. */
		uint32_t cv = fgpio_rd(ctrl);

		if (cv & r->ctrl_disablemodule)
			fgpio_wr(ctrl, cv & ~r->ctrl_disablemodule);
	}
	return state | AM335X_USABLE;
}

static int am335x_attach(struct fgpio_chip *c)
{
	unsigned n = c->soc->nbanks < FGPIO_AM335X_NBANKS ? c->soc->nbanks : FGPIO_AM335X_NBANKS;

	fgpio_lock(c);
	for (unsigned b = 0; b < n; b++)
		c->fam.am335x.bank[b] = am335x_bank_attach(c, b);
	fgpio_unlock(c);
	return 0;
}

/* Fails with EIO (and says what to do) unless @bank was found clocked at open. */
static int am335x_bank_check(const struct fgpio_chip *c, unsigned bank, unsigned bit)
{
	uint32_t st = bank < FGPIO_AM335X_NBANKS ? c->fam.am335x.bank[bank] : 0;
	uint32_t word = bank < FGPIO_AM335X_NBANKS ? c->fam.am335x.clkctrl[bank] : 0;
	const struct fgpio_am335x_regs *r = am335x_regs(c);
	unsigned long long phys = (unsigned long long)am335x_bank_phys(c, bank);
	unsigned long long cm = (unsigned long long)c->soc->blocks[r->clk_block].phys;
	unsigned first = c->soc->banks[bank].first_line;
	unsigned last = first + c->soc->banks[bank].nlines - 1u;

	if (st & AM335X_USABLE) {
		/*
		 * The kernel may gate the module again after open (a line on the bank
		 * requested and freed by another process, then runtime PM): re-read
		 * CLKCTRL, one load from the always-clocked clock manager, so an access
		 * never raises SIGBUS. Cached line handles (fgpio_line_on) skip this check.
		 */
		volatile uint32_t *clk = fgpio_reg(c, r->clk_block, r->clkctrl[bank]);
		uint32_t now;

		if (!clk || am335x_clk_ready(r, now = fgpio_rd(clk)))
			return 0;
		return fgpio_fail(EIO, "GPIO bank %u (0x%08llx): its module clock was gated after the "
				  "chip was opened (CLKCTRL now 0x%08x); touching the bank would raise "
				  "SIGBUS. Reopen the chip to enable it again, or keep a line on that "
				  "bank requested through the kernel (e.g. `gpioget gpiochip%u %u`)",
				  bank, phys, now, bank, bit);
	}
	if (st & AM335X_GATED)
		return fgpio_fail(EIO, "GPIO bank %u (0x%08llx): its module clock is gated (CLKCTRL "
				  "0x%08x) and FGPIO_OPEN_NO_CLOCK_ENABLE forbids enabling it; touching "
				  "the bank would raise SIGBUS. Request a line on that bank through the "
				  "kernel (e.g. `gpioget gpiochip%u %u`; `gpiodetect` names it gpio-%u-%u; "
				  "a held request such as a sysfs export keeps the clock on) and reopen, "
				  "or open without that flag as root with /dev/mem access to the clock "
				  "manager (0x%08llx)",
				  bank, phys, word, bank, bit, first, last, cm);
	if (st & AM335X_TIMEOUT)
		return fgpio_fail(EIO, "GPIO bank %u (0x%08llx): its module clock was enabled but did "
				  "not report functional within %u us (CLKCTRL 0x%08x); the bank's "
				  "clock may be gated. Request a line on that bank through the kernel "
				  "(e.g. `gpioget gpiochip%u %u`; `gpiodetect` names it gpio-%u-%u) "
				  "and reopen",
				  bank, phys, (unsigned)r->clk_ready_timeout_us, word, bank, bit, first,
				  last);
	if (st & AM335X_NO_GPIO)
		return fgpio_fail(EIO, "GPIO bank %u (0x%08llx) is not mapped", bank, phys);
	return fgpio_fail(EIO, "GPIO bank %u (0x%08llx): the bank's clock may be gated and the "
			  "clock manager (0x%08llx) could not be mapped to check it, so the bank is "
			  "not touched (SIGBUS otherwise). Request a line on that bank through the "
			  "kernel (e.g. `gpioget gpiochip%u %u`; `gpiodetect` names it gpio-%u-%u), or "
			  "run as root with /dev/mem access to the clock manager",
			  bank, phys, cm, bank, bit, first, last);
}

/* Register @off of @bank's block, or NULL (then fail, touching nothing). */
static volatile uint32_t *am335x_gpio_reg(const struct fgpio_chip *c, unsigned bank, uint32_t off)
{
	return fgpio_reg(c, c->soc->banks[bank].block, off);
}

static int am335x_unmapped(const struct fgpio_chip *c, unsigned bank)
{
	return fgpio_fail(ENOTSUP, "GPIO bank %u (0x%08llx): register outside the mapped block", bank,
			  (unsigned long long)am335x_bank_phys(c, bank));
}

static unsigned am335x_lowest_bit(uint32_t mask)
{
	unsigned b = 0;

	while (b < 31 && !(mask & (1u << b)))
		b++;
	return b;
}

static int am335x_bank_write(struct fgpio_chip *c, unsigned bank, uint32_t mask, uint32_t values)
{
	const struct fgpio_am335x_regs *r = am335x_regs(c);

	if (am335x_bank_check(c, bank, am335x_lowest_bit(mask)))
		return -1;
	volatile uint32_t *set = am335x_gpio_reg(c, bank, r->setdataout);
	volatile uint32_t *clr = am335x_gpio_reg(c, bank, r->cleardataout);

	if (!set || !clr)
		return am335x_unmapped(c, bank);
	uint32_t hi = mask & values;
	uint32_t lo = mask & ~values;

	/* Write-one-to-act registers: no read-modify-write of DATAOUT. */
	if (hi)
		fgpio_wr(set, hi);
	if (lo)
		fgpio_wr(clr, lo);
	return 0;
}

/*
 * Levels as the kernel's omap_gpio_get()/omap_gpio_get_multiple() read them:
 * DATAIN for inputs (OE bit 1), DATAOUT for outputs. DATAIN follows the pin
 * only while the pad's receiver is on (RXACTIVE in its conf register); the
 * BeagleBone Black's device tree muxes outputs such as the USR LEDs with the
 * receiver off, where DATAIN says nothing about what the line drives.
 */
static int am335x_bank_read(struct fgpio_chip *c, unsigned bank, uint32_t *values)
{
	const struct fgpio_am335x_regs *r = am335x_regs(c);

	if (am335x_bank_check(c, bank, 0))
		return -1;
	volatile uint32_t *oe = am335x_gpio_reg(c, bank, r->oe);
	volatile uint32_t *in = am335x_gpio_reg(c, bank, r->datain);
	volatile uint32_t *out = am335x_gpio_reg(c, bank, r->dataout);

	if (!oe || !in || !out)
		return am335x_unmapped(c, bank);
	uint32_t inputs = fgpio_rd(oe);

	*values = (fgpio_rd(in) & inputs) | (fgpio_rd(out) & ~inputs);
	return 0;
}

/* One line's level: OE picks DATAIN (input) or DATAOUT (output), as omap_gpio_get(). */
static int am335x_line_read(struct fgpio_chip *c, unsigned bank, unsigned bit)
{
	const struct fgpio_am335x_regs *r = am335x_regs(c);

	if (am335x_bank_check(c, bank, bit))
		return -1;
	volatile uint32_t *oe = am335x_gpio_reg(c, bank, r->oe);
	volatile uint32_t *in = am335x_gpio_reg(c, bank, r->datain);
	volatile uint32_t *out = am335x_gpio_reg(c, bank, r->dataout);

	if (!oe || !in || !out)
		return am335x_unmapped(c, bank);
	volatile uint32_t *level = (fgpio_rd(oe) >> bit) & 1u ? in : out;

	return (fgpio_rd(level) >> bit) & 1u;
}

static int am335x_line_init(struct fgpio_chip *c, unsigned bank, unsigned bit, struct fgpio_line *l)
{
	const struct fgpio_am335x_regs *r = am335x_regs(c);

	if (am335x_bank_check(c, bank, bit))
		return -1;
	volatile uint32_t *set = am335x_gpio_reg(c, bank, r->setdataout);
	volatile uint32_t *clr = am335x_gpio_reg(c, bank, r->cleardataout);
	volatile uint32_t *in = am335x_gpio_reg(c, bank, r->datain);

	if (!set || !clr || !in)
		return am335x_unmapped(c, bank);
	l->set_reg = set;
	l->clr_reg = clr;
	/*
	 * The bank's input register, for bank sampling (wave.c). Which register
	 * holds a line's level depends on its direction, which can change after
	 * the handle is made, so fgpio_line_init() drops this pointer and line
	 * handles read through am335x_line_read() (the family has a line_read).
	 */
	l->in_reg = in;
	l->mask = 1u << bit;
	return 0;
}

/*
 * set_func's refusals: the OE register for in/out on a clocked, mapped bank,
 * or NULL after recording why not. Writes nothing (check_func is this alone).
 */
static volatile uint32_t *am335x_oe_reg(const struct fgpio_chip *c, unsigned bank, unsigned bit,
					enum fgpio_func f)
{
	unsigned line = am335x_line(c, bank, bit);
	const char *label = am335x_label(c, line);

	if (f >= FGPIO_FUNC_ALT0 && f <= FGPIO_FUNC_ALT8) {
		int mode = (int)f - (int)FGPIO_FUNC_ALT0;

		fgpio_fail(ENOTSUP, "line %u%s%s: the pad mux (alt%d) cannot be written from "
			   "user space: the AM335x control module ignores user-mode writes%s. "
			   "Use `config-pin %s <mode>` (e.g. `config-pin %s pwm`) or a "
			   "device-tree overlay, then use in/out here",
			   line, label ? " " : "", label ? label : "", mode,
			   mode > 7 ? " (and pads only have modes 0-7)" : "",
			   label ? label : "<pin>", label ? label : "<pin>");
		return NULL;
	}
	if (f != FGPIO_FUNC_IN && f != FGPIO_FUNC_OUT) {
		fgpio_fail(EINVAL, "invalid function %d for line %u (use in or out)", (int)f, line);
		return NULL;
	}
	if (am335x_bank_check(c, bank, bit))
		return NULL;
	volatile uint32_t *oe = am335x_gpio_reg(c, bank, am335x_regs(c)->oe);

	if (!oe)
		am335x_unmapped(c, bank);
	return oe;
}

static int am335x_check_func(struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_func f)
{
	return am335x_oe_reg(c, bank, bit, f) ? 0 : -1;
}

static int am335x_set_func(struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_func f)
{
	volatile uint32_t *oe = am335x_oe_reg(c, bank, bit, f);

	if (!oe)
		return -1;
	uint32_t m = 1u << bit;

	fgpio_lock(c);
	uint32_t v = fgpio_rd(oe);

	fgpio_wr(oe, f == FGPIO_FUNC_IN ? (v | m) : (v & ~m));	/* OE: 1 = input */
	fgpio_unlock(c);
	return 0;
}

/* Pad conf register of @line when its offset is known and the control module is mapped. */
static volatile uint32_t *am335x_pad_reg(const struct fgpio_chip *c, unsigned line)
{
	const struct fgpio_am335x_regs *r = am335x_regs(c);

	if (!r->pad_offset || line >= r->npads || !r->pad_offset[line])
		return NULL;
	return fgpio_reg(c, r->pad_block, r->pad_offset[line]);
}

static int am335x_get_func(struct fgpio_chip *c, unsigned bank, unsigned bit)
{
	const struct fgpio_am335x_regs *r = am335x_regs(c);
	volatile uint32_t *pad = am335x_pad_reg(c, am335x_line(c, bank, bit));

	if (pad) {
		uint32_t mode = fgpio_rd(pad) & r->pad_mux_mask;

		/* Another function owns the ball: the GPIO direction is irrelevant. */
		if (mode != r->pad_mux_gpio)
			return (int)FGPIO_FUNC_ALT0 + (int)mode;
	}
	if (am335x_bank_check(c, bank, bit))
		return -1;
	volatile uint32_t *oe = am335x_gpio_reg(c, bank, r->oe);

	if (!oe)
		return am335x_unmapped(c, bank);
	return (fgpio_rd(oe) >> bit) & 1u ? FGPIO_FUNC_IN : FGPIO_FUNC_OUT;
}

static int am335x_set_pull(struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_pull p)
{
	unsigned line = am335x_line(c, bank, bit);
	const char *label = am335x_label(c, line);
	const char *mode = p == FGPIO_PULL_UP ? "gpio_pu" : p == FGPIO_PULL_DOWN ? "gpio_pd" : "gpio";

	return fgpio_fail(ENOTSUP, "line %u%s%s: the pull is part of the pad configuration, which "
			  "the AM335x control module does not let user space write; use `config-pin "
			  "%s %s` (gpio_pu = pull-up, gpio_pd = pull-down, gpio = no pull) or a "
			  "device-tree overlay",
			  line, label ? " " : "", label ? label : "", label ? label : "<pin>", mode);
}

static int am335x_get_pull(struct fgpio_chip *c, unsigned bank, unsigned bit)
{
	const struct fgpio_am335x_regs *r = am335x_regs(c);
	unsigned line = am335x_line(c, bank, bit);
	volatile uint32_t *pad = am335x_pad_reg(c, line);

	if (!pad) {
		if (line < r->npads && r->pad_offset && r->pad_offset[line])
			return fgpio_fail(ENOTSUP, "the pull of line %u cannot be read: the control "
					  "module (0x%08llx) could not be mapped; see "
					  "/sys/kernel/debug/pinctrl/*/pins", line,
					  (unsigned long long)c->soc->blocks[r->pad_block].phys);
		return fgpio_fail(ENOTSUP, "the pull of line %u cannot be read: its pad is not in the "
				  "am335x table; see /sys/kernel/debug/pinctrl/*/pins", line);
	}
	uint32_t v = fgpio_rd(pad);

	if (v & r->pad_pull_disable)
		return FGPIO_PULL_OFF;
	return (v & r->pad_pull_up) ? FGPIO_PULL_UP : FGPIO_PULL_DOWN;
}

/*
 * Whether the pad's input receiver is on (RXACTIVE): only then does DATAIN
 * follow the pin. With it off, an input reads a level that is not the pin's.
 */
static int am335x_get_input_enable(struct fgpio_chip *c, unsigned bank, unsigned bit)
{
	const struct fgpio_am335x_regs *r = am335x_regs(c);
	unsigned line = am335x_line(c, bank, bit);
	volatile uint32_t *pad = am335x_pad_reg(c, line);

	if (!pad)
		return fgpio_fail(ENOTSUP, "whether the input receiver of line %u is on cannot be "
				  "read: %s", line,
				  r->pad_offset && line < r->npads && r->pad_offset[line]
					  ? "the control module could not be mapped"
					  : "its pad is not in the am335x table");
	return (fgpio_rd(pad) & r->pad_rx_active) != 0;
}

const struct fgpio_family_ops fgpio_am335x_ops = {
	.name = "am335x",
	.attach = am335x_attach,
	.bank_write = am335x_bank_write,
	.bank_read = am335x_bank_read,
	.set_func = am335x_set_func,
	.check_func = am335x_check_func,
	.get_func = am335x_get_func,
	.set_pull = am335x_set_pull,
	.get_pull = am335x_get_pull,
	.line_init = am335x_line_init,
	.locate = NULL,
	.line_read = am335x_line_read,
	.get_input_enable = am335x_get_input_enable,
};
