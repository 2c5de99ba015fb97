/* SPDX-License-Identifier: MIT */
/*
 * src/soc_bcm2835.c - family operations of the Broadcom BCM2835 GPIO block
 * (BCM2835/6/7 and BCM2711; tables in boards/bcm2835.h and boards/bcm2711.h).
 *
 * Programming model (facts from Linux drivers/pinctrl/bcm/pinctrl-bcm2835.c):
 *  - GPFSELn: 10 lines a word, 3 bits a line (FSEL_REG/FSEL_SHIFT); the kernel changes it by
 *    read-modify-write under its own lock and, when neither the old nor the new function is
 *    "input", writes "input" first (bcm2835_pinctrl_fsel_set "always transition through
 *    GPIO_IN").
 *  - GPSETn / GPCLRn: write-1-to-set / write-1-to-clear, one word per 32 lines, "NOT a
 *    read/modify/write cycle" (bcm2835_gpio_set_bit). GPLEVn: levels.
 *  - Pulls, BCM2835/6/7: GPPUD holds the control value, GPPUDCLKn clocks it into the selected
 *    pads; nothing reads it back (bcm2835_pinconf_get: "No way to read back config in HW").
 *    BCM2711: 2-bit fields in GPIO_PUP_PDN_CNTRL_REGn, 16 lines a word, readable.
 *
 * Every register pointer comes from fgpio_reg() and is checked before anything is written.
 */
#include <errno.h>
#include <stdint.h>

#include "internal.h"
#include "soc_bcm2835_pwm.h"
#include "../boards/family_bcm2835.h"

#define BCM_FSEL_PER_WORD 10u	/* FSEL_REG(p) = GPFSEL0 + (p / 10) * 4 */
#define BCM_FSEL_BITS 3u	/* FSEL_SHIFT(p) = (p % 10) * 3 */
#define BCM_FSEL_MASK 0x7u	/* BCM2835_FSEL_MASK */
#define BCM_PUD_PER_WORD 16u	/* PUD_2711_REG_OFFSET(p) = p / 16 */
#define BCM_PUD_BITS 2u		/* PUD_2711_REG_SHIFT(p) = (p % 16) * 2 */
#define BCM_PUD_MASK 0x3u	/* PUD_2711_MASK */
#define BCM_NUM_FSEL 8u		/* IN, OUT, ALT0..ALT5 */

static const struct fgpio_bcm_regs *bcm_regs(const struct fgpio_chip *c)
{
	return (const struct fgpio_bcm_regs *)c->soc->regs;
}

static unsigned bcm_line(const struct fgpio_chip *c, unsigned bank, unsigned bit)
{
	return (unsigned)c->soc->banks[bank].first_line + bit;
}

static unsigned bcm_block(const struct fgpio_chip *c, unsigned bank)
{
	return c->soc->banks[bank].block;
}

/* Register @off of the GPIO block, or NULL after recording the failure. */
static volatile uint32_t *bcm_reg(const struct fgpio_chip *c, unsigned bank, uint32_t off,
				  const char *what)
{
	volatile uint32_t *r = fgpio_reg(c, bcm_block(c, bank), off);

	if (!r)
		fgpio_fail(ENOTSUP, "%s register at offset 0x%x lies outside the mapped GPIO block "
			   "of %s; nothing was written", what, (unsigned)off, c->soc->name);
	return r;
}

static int bcm_bank_write(struct fgpio_chip *c, unsigned bank, uint32_t mask, uint32_t values)
{
	const struct fgpio_bcm_regs *rg = bcm_regs(c);
	uint32_t set = mask & values;
	uint32_t clr = mask & ~values;
	volatile uint32_t *rs = bcm_reg(c, bank, rg->gpset0 + 4u * bank, "GPSET");
	volatile uint32_t *rc;

	if (!rs)
		return -1;
	rc = bcm_reg(c, bank, rg->gpclr0 + 4u * bank, "GPCLR");
	if (!rc)
		return -1;
	/* Write-1 registers: a zero word is a no-op, so skip it (one store for one direction). */
	if (set)
		fgpio_wr(rs, set);
	if (clr)
		fgpio_wr(rc, clr);
	return 0;
}

static int bcm_bank_read(struct fgpio_chip *c, unsigned bank, uint32_t *values)
{
	volatile uint32_t *r = bcm_reg(c, bank, bcm_regs(c)->gplev0 + 4u * bank, "GPLEV");

	if (!r)
		return -1;
	*values = fgpio_rd(r);
	return 0;
}

static int bcm_line_init(struct fgpio_chip *c, unsigned bank, unsigned bit, struct fgpio_line *l)
{
	const struct fgpio_bcm_regs *rg = bcm_regs(c);
	volatile uint32_t *rs = bcm_reg(c, bank, rg->gpset0 + 4u * bank, "GPSET");
	volatile uint32_t *rc;
	volatile uint32_t *rl;

	if (!rs)
		return -1;
	rc = bcm_reg(c, bank, rg->gpclr0 + 4u * bank, "GPCLR");
	if (!rc)
		return -1;
	rl = bcm_reg(c, bank, rg->gplev0 + 4u * bank, "GPLEV");
	if (!rl)
		return -1;
	l->set_reg = rs;
	l->clr_reg = rc;
	l->in_reg = rl;
	l->mask = UINT32_C(1) << bit;
	return 0;
}

/*
 * set_func's refusals: the GPFSEL register of a function this SoC has, or NULL
 * after recording why not. Writes nothing (check_func is this alone).
 */
static volatile uint32_t *bcm_fsel_reg(const struct fgpio_chip *c, unsigned bank, unsigned bit,
				       enum fgpio_func f)
{
	unsigned line = bcm_line(c, bank, bit);

	if ((unsigned)f >= BCM_NUM_FSEL) {
		fgpio_fail(ENOTSUP, "%s GPIO%u: function %s does not exist on this SoC "
			   "(it has in, out and alt0..alt5)", c->soc->name, line,
			   fgpio_func_name(f) ? fgpio_func_name(f) : "?");
		return NULL;
	}
	return bcm_reg(c, bank, bcm_regs(c)->gpfsel0 + 4u * (line / BCM_FSEL_PER_WORD), "GPFSEL");
}

static int bcm_check_func(struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_func f)
{
	return bcm_fsel_reg(c, bank, bit, f) ? 0 : -1;
}

static int bcm_set_func(struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_func f)
{
	const struct fgpio_bcm_regs *rg = bcm_regs(c);
	unsigned line = bcm_line(c, bank, bit);
	unsigned shift = (line % BCM_FSEL_PER_WORD) * BCM_FSEL_BITS;
	uint32_t field = BCM_FSEL_MASK << shift;
	uint32_t want, cur, v;
	volatile uint32_t *r = bcm_fsel_reg(c, bank, bit, f);

	if (!r)
		return -1;
	want = rg->fsel_code[f];

	fgpio_lock(c);
	fgpio_barrier();
	v = fgpio_rd(r);
	cur = (v >> shift) & BCM_FSEL_MASK;
	if (cur != want) {
		uint32_t in = (uint32_t)rg->fsel_code[FGPIO_FUNC_IN];

		/* Like the kernel: between two non-input functions, pass through input so two
		 * peripherals never drive the pad at once. */
		if (cur != in && want != in) {
			v = (v & ~field) | (in << shift);
			fgpio_wr(r, v);
		}
		v = (v & ~field) | (want << shift);
		fgpio_wr(r, v);
	}
	fgpio_barrier();
	fgpio_unlock(c);
	return 0;
}

static int bcm_get_func(struct fgpio_chip *c, unsigned bank, unsigned bit)
{
	const struct fgpio_bcm_regs *rg = bcm_regs(c);
	unsigned line = bcm_line(c, bank, bit);
	uint32_t code;
	volatile uint32_t *r = bcm_reg(c, bank, rg->gpfsel0 + 4u * (line / BCM_FSEL_PER_WORD),
				       "GPFSEL");

	if (!r)
		return -1;
	fgpio_barrier();
	code = (fgpio_rd(r) >> ((line % BCM_FSEL_PER_WORD) * BCM_FSEL_BITS)) & BCM_FSEL_MASK;
	fgpio_barrier();
	for (unsigned i = 0; i < BCM_NUM_FSEL; i++)
		if (rg->fsel_code[i] == code)
			return (int)i;	/* index = enum fgpio_func */
	/* Unreachable with a complete table (the 8 codes are a permutation of 0..7). */
	return fgpio_fail(EIO, "%s GPIO%u: function select code %u is not in the table",
			  c->soc->name, line, (unsigned)code);
}

static int bcm_set_pull_gppud(struct fgpio_chip *c, unsigned bank, unsigned bit, uint32_t code)
{
	const struct fgpio_bcm_regs *rg = bcm_regs(c);
	volatile uint32_t *pud = bcm_reg(c, bank, rg->gppud, "GPPUD");
	volatile uint32_t *clk;

	if (!pud)
		return -1;
	clk = bcm_reg(c, bank, rg->gppudclk0 + 4u * bank, "GPPUDCLK");
	if (!clk)
		return -1;

	/* Set GPPUD, wait, clock the pad, wait, then remove the control signal and the clock.
	 * The waits: the kernel's bcm2835_pull_config_set() cites the datasheet's 150 cycles and
	 * uses udelay(1); Raspberry Pi's pinctrl (bcm2835_gpio_set_pull) uses usleep(10) and also
	 * writes GPPUD back to 0 before clearing the clock (the kernel clears only the clock).
	 * Leaving both at 0 means a later clock pulse by anyone cannot latch a stale control value.
	 * GPPUD is global: the lock keeps two threads of this process from interleaving. */
	fgpio_lock(c);
	fgpio_barrier();
	fgpio_wr(pud, code);
	fgpio_udelay(rg->pud_settle_us);
	fgpio_wr(clk, UINT32_C(1) << bit);
	fgpio_udelay(rg->pud_settle_us);
	fgpio_wr(pud, 0);
	fgpio_wr(clk, 0);
	fgpio_barrier();
	fgpio_unlock(c);
	return 0;
}

static int bcm_set_pull_pup_pdn(struct fgpio_chip *c, unsigned bank, unsigned bit, uint32_t code)
{
	const struct fgpio_bcm_regs *rg = bcm_regs(c);
	unsigned line = bcm_line(c, bank, bit);
	unsigned shift = (line % BCM_PUD_PER_WORD) * BCM_PUD_BITS;
	volatile uint32_t *r = bcm_reg(c, bank, rg->pup_pdn0 + 4u * (line / BCM_PUD_PER_WORD),
				       "GPIO_PUP_PDN_CNTRL");
	uint32_t v;

	if (!r)
		return -1;
	fgpio_lock(c);
	fgpio_barrier();
	v = fgpio_rd(r);
	v = (v & ~(BCM_PUD_MASK << shift)) | (code << shift);
	fgpio_wr(r, v);
	fgpio_barrier();
	fgpio_unlock(c);
	return 0;
}

static int bcm_set_pull(struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_pull p)
{
	const struct fgpio_bcm_regs *rg = bcm_regs(c);

	if ((unsigned)p >= FGPIO_ARRAY_SIZE(rg->pull_code))
		return fgpio_fail(ENOTSUP, "%s GPIO%u: pull '%s' is not available on this SoC "
				  "(use off, up or down)", c->soc->name, bcm_line(c, bank, bit),
				  fgpio_pull_name(p) ? fgpio_pull_name(p) : "?");
	if (rg->pull_style == FGPIO_BCM_PULL_PUP_PDN)
		return bcm_set_pull_pup_pdn(c, bank, bit, rg->pull_code[p]);
	return bcm_set_pull_gppud(c, bank, bit, rg->pull_code[p]);
}

static int bcm_get_pull(struct fgpio_chip *c, unsigned bank, unsigned bit)
{
	const struct fgpio_bcm_regs *rg = bcm_regs(c);
	unsigned line = bcm_line(c, bank, bit);
	volatile uint32_t *r;
	uint32_t code;

	if (rg->pull_style != FGPIO_BCM_PULL_PUP_PDN)
		return fgpio_fail(ENOTSUP, "%s GPIO%u: the pull state is not readable on this SoC "
				  "(its GPPUD/GPPUDCLK mechanism is write-only); set it explicitly "
				  "with set_pull if you need a known state", c->soc->name, line);
	r = bcm_reg(c, bank, rg->pup_pdn0 + 4u * (line / BCM_PUD_PER_WORD), "GPIO_PUP_PDN_CNTRL");
	if (!r)
		return -1;
	code = (fgpio_rd(r) >> ((line % BCM_PUD_PER_WORD) * BCM_PUD_BITS)) & BCM_PUD_MASK;
	for (unsigned i = 0; i < FGPIO_ARRAY_SIZE(rg->pull_code); i++)
		if (rg->pull_code[i] == code)
			return (int)i;	/* index = enum fgpio_pull */
	return fgpio_fail(EIO, "%s GPIO%u: pull field holds the reserved value %u",
			  c->soc->name, line, (unsigned)code);
}

const struct fgpio_family_ops fgpio_bcm2835_ops = {
	.name = "bcm2835",
	.attach = 0,
	.bank_write = bcm_bank_write,
	.bank_read = bcm_bank_read,
	.set_func = bcm_set_func,
	.check_func = bcm_check_func,
	.get_func = bcm_get_func,
	.set_pull = bcm_set_pull,
	.get_pull = bcm_get_pull,
	.line_init = bcm_line_init,
	.locate = 0,
	.pwm_apply = fgpio_bcm_pwm_apply,
	.pwm_read = fgpio_bcm_pwm_read,
};
