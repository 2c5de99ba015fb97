/* SPDX-License-Identifier: MIT */
/*
 * src/soc_rk3288.c - register code of the Rockchip RK3288 family.
 *
 * Each of the nine banks is a DesignWare APB GPIO ("v1" in the kernel's
 * gpio-rockchip.c): a data register, a direction register and an input
 * register, no set/clear registers. Pin functions and pulls live in the GRF
 * (GPIO1..8) and in the PMU (GPIO0); each bank's APB clock can be gated in
 * the CRU. Offsets and encodings come from boards/rk3288.h, which cites the
 * sources. Verified against register files only: there is no RK3288 emulator.
 *
 * The RK3399 (boards/rk3399.h) has the same GPIO controller and programming
 * model; its table differs only in data this code reads: which blocks hold
 * the iomux and pull fields, a second pull code table for its 1.8 V-only
 * ports (FGPIO_RK3288_PULL_1V8), its banks' clock gates in two CRUs
 * (pmucru_banks) and no read-modify-write block (FGPIO_RK3288_NO_BLOCK).
 *
 * Concurrency: the data and direction registers can only be changed by
 * read-modify-write. We hold the chip lock for it, which serialises the
 * threads of this process; it cannot exclude the kernel or another process
 * writing the same bank, and such a concurrent write can be lost. GRF
 * writes are hiword-masked (bit n changes only where bit n+16 is written as
 * 1), so they touch nothing but their own field.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "../boards/family_rk3288.h"

_Static_assert(FGPIO_RK3288_NBANKS <= FGPIO_FAMILY_MAX_BANKS, "the banks fit the family state");

_Static_assert(FGPIO_RK3288_BIAS_OFF == FGPIO_PULL_OFF && FGPIO_RK3288_BIAS_UP == FGPIO_PULL_UP &&
	       FGPIO_RK3288_BIAS_DOWN == FGPIO_PULL_DOWN && FGPIO_RK3288_BIAS_KEEPER == FGPIO_PULL_KEEPER,
	       "pull_read_1v8 holds enum fgpio_pull values");

/* c->fam.rk.clk[bank]: what attach found out about the bank's clock. */
enum {
	FGPIO_RK_CLK_RUNNING = 0,	/* gate bit clear when we looked */
	FGPIO_RK_CLK_UNGATED,		/* was gated; we cleared the gate bit */
	FGPIO_RK_CLK_GATED,		/* gated and we may not ungate it: bank unusable */
	FGPIO_RK_CLK_UNKNOWN		/* CRU not mapped: state unknown, assumed running */
};

static const struct fgpio_rk3288_regs *rk_regs(const struct fgpio_chip *c)
{
	return (const struct fgpio_rk3288_regs *)c->soc->regs;
}

/* @s in capitals into @buf (for messages: "rk3399" -> "RK3399", "pmucru" -> "PMUCRU"). */
static const char *rk_upper(const char *s, char *buf, size_t len)
{
	size_t i = 0;

	for (; *s && i + 1 < len; s++)
		buf[i++] = (char)toupper((unsigned char)*s);
	buf[i] = 0;
	return buf;
}

/* The table's SoC name in capitals ("RK3399") for messages. */
static const char *rk_soc(const struct fgpio_chip *c, char *buf, size_t len)
{
	return rk_upper(c->soc->name, buf, len);
}

/* Block holding bank @b's clock gate register: the CRU, or the PMUCRU for pmucru_banks. */
static unsigned rk_clk_block(const struct fgpio_rk3288_regs *r, unsigned b)
{
	return (r->pmucru_banks >> b) & 1u ? r->pmucru_block : r->cru_block;
}

/* "GPIO5_B0" for messages. */
static const char *rk_name(unsigned bank, unsigned bit, char *buf, size_t len)
{
	snprintf(buf, len, "GPIO%u_%c%u", bank, (char)('A' + bit / 8u), bit % 8u);
	return buf;
}

static int rk_unmapped(const struct fgpio_chip *c, unsigned blk, const char *what)
{
	const char *name = blk < c->soc->nblocks ? c->soc->blocks[blk].name : "?";
	unsigned long long phys = blk < c->soc->nblocks ? (unsigned long long)c->soc->blocks[blk].phys : 0;
	char soc[16];

	return fgpio_fail(ENOTSUP, "cannot %s: the %s %s registers (0x%08llx) are not mapped; "
			  "this needs /dev/mem access to that page (root, and iomem=relaxed on kernels "
			  "with CONFIG_IO_STRICT_DEVMEM)", what, rk_soc(c, soc, sizeof(soc)), name, phys);
}

/* Fails with EIO when attach found the bank's clock gated and left it so. */
static int rk_check_clock(const struct fgpio_chip *c, unsigned bank)
{
	unsigned blk = rk_clk_block(rk_regs(c), bank);
	char cru[16];

	if (c->fam.rk.clk[bank] != FGPIO_RK_CLK_GATED)
		return 0;
	rk_upper(blk < c->soc->nblocks ? c->soc->blocks[blk].name : "cru", cru, sizeof(cru));
	return fgpio_fail(EIO, "GPIO%u: its clock (pclk_gpio%u) is gated in the %s, so its registers "
			  "read as 0 and ignore writes; either open without FGPIO_OPEN_NO_CLOCK_ENABLE "
			  "so fastgpio ungates it, or have the kernel keep it running (hold a line of "
			  "the bank requested with edge events, e.g. gpiomon; current kernels enable "
			  "it at probe)", bank, bank, cru);
}

/*
 * Reads every bank's gate. A gated bank is ungated (one hiword-masked write
 * per CRU register, clearing only the gate bits of our banks) unless the
 * caller forbade it, in which case the bank is marked unusable and its GPIO
 * register operations fail with EIO.
 *
 * CRU not mapped: we cannot tell whether a bank is gated. We then assume it
 * runs (FGPIO_RK_CLK_UNKNOWN) rather than refuse every operation: current
 * kernels (drivers/gpio/gpio-rockchip.c, rockchip_get_bank_data) enable each
 * bank clock at probe and keep it on. On old vendor kernels that gate idle
 * banks, reads then return 0 and writes vanish without an error.
 *
 * The kernel does not know we ungated a clock: a kernel that gates idle banks
 * may gate it again when its own use of the bank ends.
 */
static int rk_attach(struct fgpio_chip *c)
{
	const struct fgpio_rk3288_regs *r = rk_regs(c);
	unsigned nb = c->soc->nbanks < FGPIO_RK3288_NBANKS ? c->soc->nbanks : FGPIO_RK3288_NBANKS;
	uint32_t want[FGPIO_RK3288_NBANKS] = { 0 };	/* per bank: gate bits to clear in its register */

	for (unsigned b = 0; b < nb; b++) {
		volatile uint32_t *g = fgpio_reg(c, rk_clk_block(r, b), r->clkgate[b]);
		uint32_t bit = 1u << r->clkgate_bit[b];

		if (!g)
			c->fam.rk.clk[b] = FGPIO_RK_CLK_UNKNOWN;
		else if (!(fgpio_rd(g) & bit))
			c->fam.rk.clk[b] = FGPIO_RK_CLK_RUNNING;
		else if (c->flags & FGPIO_OPEN_NO_CLOCK_ENABLE)
			c->fam.rk.clk[b] = FGPIO_RK_CLK_GATED;
		else
			want[b] = bit;
	}
	for (unsigned b = 0; b < nb; b++) {
		uint32_t bits = 0;

		if (!want[b])
			continue;
		/* Collect the banks sharing this gate register (same CRU, same offset), write it once. */
		unsigned blk = rk_clk_block(r, b);

		for (unsigned o = b; o < nb; o++) {
			if (want[o] && rk_clk_block(r, o) == blk && r->clkgate[o] == r->clkgate[b]) {
				bits |= want[o];
				if (o != b)
					want[o] = 0;
			}
		}
		volatile uint32_t *g = fgpio_reg(c, blk, r->clkgate[b]);

		fgpio_wr(g, bits << 16);	/* write-enable the gate bits, value 0 = clock on */
		uint32_t now = fgpio_rd(g);

		for (unsigned o = b; o < nb; o++) {
			if (rk_clk_block(r, o) != blk || r->clkgate[o] != r->clkgate[b] ||
			    !(bits & (1u << r->clkgate_bit[o])))
				continue;
			c->fam.rk.clk[o] = (now & (1u << r->clkgate_bit[o])) ? FGPIO_RK_CLK_GATED
								     : FGPIO_RK_CLK_UNGATED;
		}
		want[b] = 0;
	}
	return 0;
}

static int rk_bank_write(struct fgpio_chip *c, unsigned bank, uint32_t mask, uint32_t values)
{
	volatile uint32_t *dr = fgpio_reg(c, c->soc->banks[bank].block, rk_regs(c)->swporta_dr);

	if (rk_check_clock(c, bank))
		return -1;
	if (!dr)
		return rk_unmapped(c, c->soc->banks[bank].block, "write the data register");
	/*
	 * No atomic set/clear on this controller: read-modify-write of
	 * SWPORTA_DR under the chip lock. Safe between our threads, not against
	 * the kernel or other processes writing lines of the same bank.
	 */
	fgpio_lock(c);
	fgpio_wr(dr, (fgpio_rd(dr) & ~mask) | (values & mask));
	fgpio_unlock(c);
	return 0;
}

static uint32_t rk_bank_mask(const struct fgpio_chip *c, unsigned bank)
{
	unsigned n = c->soc->banks[bank].nlines;

	return n >= 32 ? 0xffffffffu : ((1u << n) - 1u);
}

static int rk_bank_read(struct fgpio_chip *c, unsigned bank, uint32_t *values)
{
	volatile uint32_t *in = fgpio_reg(c, c->soc->banks[bank].block, rk_regs(c)->ext_porta);

	if (rk_check_clock(c, bank))
		return -1;
	if (!in)
		return rk_unmapped(c, c->soc->banks[bank].block, "read the input register");
	*values = fgpio_rd(in) & rk_bank_mask(c, bank);
	return 0;
}

/* Location of a line's iomux field. */
struct rk_field {
	unsigned blk;
	uint32_t off;
	unsigned shift;
	uint32_t mask;		/* field mask before shifting */
};

/* Fills @f for the iomux field of bank/bit; fails (ENXIO) for unrouted ports. */
static int rk_mux_field(const struct fgpio_chip *c, unsigned bank, unsigned bit, struct rk_field *f)
{
	const struct fgpio_rk3288_port *p = &rk_regs(c)->port[bank][bit / 8u];
	char nm[16], soc[16];

	if (p->flags & FGPIO_RK3288_UNROUTED)
		return fgpio_fail(ENXIO, "%s is not routed to a pad on the %s (its port has no "
				  "iomux register)", rk_name(bank, bit, nm, sizeof(nm)),
				  rk_soc(c, soc, sizeof(soc)));
	f->blk = p->block;
	f->off = p->iomux;
	if (p->flags & FGPIO_RK3288_4BIT) {
		/* kernel rockchip_set_mux: lines 4-7 of the port in the next register */
		if (bit % 8u >= 4u)
			f->off += 4u;
		f->shift = (bit % 4u) * 4u;
		f->mask = 0xfu;
	} else {
		f->shift = (bit % 8u) * 2u;
		f->mask = 0x3u;
	}
	return 0;
}

/*
 * Writes @val into a field of a GRF/PMU register (chip lock held). GRF: one
 * write carrying the field's write-enable bits, nothing else changes. The
 * table's rmw_block (GPIO0's PMU registers): read-modify-write that also sets
 * the field's bits n+16, as the kernel's regmap_update_bits() call does.
 */
static void rk_field_write(const struct fgpio_chip *c, volatile uint32_t *reg, unsigned blk,
			   unsigned shift, uint32_t mask, uint32_t val)
{
	uint32_t en = mask << (shift + 16u);
	uint32_t field = (val & mask) << shift;

	if (blk == rk_regs(c)->rmw_block)
		fgpio_wr(reg, (fgpio_rd(reg) & ~(en | (mask << shift))) | en | field);
	else
		fgpio_wr(reg, en | field);
}

/*
 * The iomux value selecting @func into *val: ALTn is mux value n, as the
 * kernel's device trees number them (RK_FUNC_n); mux 0 (RK_FUNC_GPIO) is the
 * GPIO itself, reached with IN or OUT, so ALT0 does not exist here.
 */
static int rk_func_to_mux(const struct fgpio_chip *c, unsigned bank, unsigned bit,
			  const struct rk_field *f, enum fgpio_func func, uint32_t *val)
{
	unsigned top = f->mask > (uint32_t)(FGPIO_FUNC_ALT8 - FGPIO_FUNC_ALT0)
			       ? (unsigned)(FGPIO_FUNC_ALT8 - FGPIO_FUNC_ALT0) : (unsigned)f->mask;
	char nm[16], soc[16];

	if (func == FGPIO_FUNC_IN || func == FGPIO_FUNC_OUT) {
		*val = 0;	/* RK_FUNC_GPIO */
		return 0;
	}
	if (func == FGPIO_FUNC_ALT0)
		return fgpio_fail(ENOTSUP, "%s: alt0 does not exist on the %s: ALTn selects iomux "
				  "value n (RK_FUNC_n) and mux 0 is the GPIO itself; use in or out for "
				  "it, alt1-alt%u for the pin's other functions",
				  rk_name(bank, bit, nm, sizeof(nm)), rk_soc(c, soc, sizeof(soc)), top);
	if (func < FGPIO_FUNC_ALT1 || func > FGPIO_FUNC_ALT8)
		return fgpio_fail(EINVAL, "invalid function %d", (int)func);
	*val = (uint32_t)(func - FGPIO_FUNC_ALT0);
	if (*val > f->mask)
		return fgpio_fail(ENOTSUP, "%s has a %u-bit function field: alt1-alt%u only",
				  rk_name(bank, bit, nm, sizeof(nm)), f->mask == 0xfu ? 4u : 2u, top);
	return 0;
}

/* The function that iomux value @val selects (0: the GPIO, direction decides). */
static int rk_mux_to_func(unsigned bank, unsigned bit, uint32_t val)
{
	char nm[16];

	if (val > (uint32_t)(FGPIO_FUNC_ALT8 - FGPIO_FUNC_ALT0))
		return fgpio_fail(ENOTSUP, "%s has function value %u, beyond alt8",
				  rk_name(bank, bit, nm, sizeof(nm)), val);
	return FGPIO_FUNC_ALT0 + (int)val;	/* ALTn = mux value n */
}

/* What rk_set_func writes, decided (and every register found) before the first write. */
struct rk_func_plan {
	struct rk_field f;
	uint32_t val;				/* iomux value */
	const struct fgpio_rk3288_route *route;	/* extra routing write, or NULL */
	volatile uint32_t *mux, *ddr, *rreg;	/* ddr: only for in/out; rreg: only with route */
};

/*
 * set_func's refusals and plan: fills @p, or fails (errno and message) without
 * writing anything. check_func is this alone.
 */
static int rk_plan_func(const struct fgpio_chip *c, unsigned bank, unsigned bit,
			enum fgpio_func func, struct rk_func_plan *p)
{
	const struct fgpio_rk3288_regs *r = rk_regs(c);
	uint32_t val = 0;

	memset(p, 0, sizeof(*p));
	if (rk_mux_field(c, bank, bit, &p->f) || rk_func_to_mux(c, bank, bit, &p->f, func, &val))
		return -1;
	p->val = val;
	for (unsigned i = 0; i < r->nroutes; i++)
		if (r->routes[i].bank == bank && r->routes[i].bit == bit && r->routes[i].mux == val)
			p->route = &r->routes[i];

	/* Every register this call touches is checked before the first write. */
	if (val == 0 && rk_check_clock(c, bank))
		return -1;
	p->mux = fgpio_reg(c, p->f.blk, p->f.off);
	if (!p->mux)
		return rk_unmapped(c, p->f.blk, "select a pin function");
	if (p->route) {
		p->rreg = fgpio_reg(c, p->route->block, p->route->reg);
		if (!p->rreg)
			return rk_unmapped(c, p->route->block, "route the pin function");
	}
	if (val == 0) {
		p->ddr = fgpio_reg(c, c->soc->banks[bank].block, r->swporta_ddr);
		if (!p->ddr)
			return rk_unmapped(c, c->soc->banks[bank].block, "set the direction");
	}
	return 0;
}

static int rk_check_func(struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_func func)
{
	struct rk_func_plan p;

	return rk_plan_func(c, bank, bit, func, &p);
}

static int rk_set_func(struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_func func)
{
	struct rk_func_plan p;

	if (rk_plan_func(c, bank, bit, func, &p))
		return -1;
	fgpio_lock(c);
	if (p.rreg)
		fgpio_wr(p.rreg, p.route->val);	/* kernel order: route before the mux field */
	rk_field_write(c, p.mux, p.f.blk, p.f.shift, p.f.mask, p.val);
	if (p.ddr) {
		uint32_t m = 1u << bit;
		uint32_t d = fgpio_rd(p.ddr);

		fgpio_wr(p.ddr, func == FGPIO_FUNC_OUT ? (d | m) : (d & ~m));
	}
	fgpio_unlock(c);
	return 0;
}

static int rk_get_func(struct fgpio_chip *c, unsigned bank, unsigned bit)
{
	const struct fgpio_rk3288_regs *r = rk_regs(c);
	volatile uint32_t *mux, *ddr;
	struct rk_field f = { 0 };
	uint32_t val;

	if (rk_mux_field(c, bank, bit, &f))
		return -1;
	mux = fgpio_reg(c, f.blk, f.off);
	if (!mux)
		return rk_unmapped(c, f.blk, "read the pin function");
	val = (fgpio_rd(mux) >> f.shift) & f.mask;
	if (val != 0)
		return rk_mux_to_func(bank, bit, val);
	if (rk_check_clock(c, bank))
		return -1;
	ddr = fgpio_reg(c, c->soc->banks[bank].block, r->swporta_ddr);
	if (!ddr)
		return rk_unmapped(c, c->soc->banks[bank].block, "read the direction");
	return (fgpio_rd(ddr) >> bit) & 1u ? FGPIO_FUNC_OUT : FGPIO_FUNC_IN;
}

/* Pull register of bank/bit: 8 lines a register, 2 bits a line. */
static int rk_pull_reg(const struct fgpio_chip *c, unsigned bank, unsigned bit, unsigned *blk,
		       volatile uint32_t **reg)
{
	const struct fgpio_rk3288_regs *r = rk_regs(c);
	char nm[16], soc[16];

	if (r->port[bank][bit / 8u].flags & FGPIO_RK3288_UNROUTED)
		return fgpio_fail(ENXIO, "%s is not routed to a pad on the %s: it has no pull",
				  rk_name(bank, bit, nm, sizeof(nm)), rk_soc(c, soc, sizeof(soc)));
	*blk = r->pull_block[bank];
	*reg = fgpio_reg(c, *blk, r->pull_offset[bank] + 4u * (bit / 8u));
	if (!*reg)
		return rk_unmapped(c, *blk, "access the pull setting");
	return 0;
}

static int rk_set_pull(struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_pull pull)
{
	volatile uint32_t *reg;
	unsigned blk = 0;

	if (pull != FGPIO_PULL_OFF && pull != FGPIO_PULL_UP && pull != FGPIO_PULL_DOWN)
		return fgpio_fail(ENOTSUP, "the bias can be set to off, up or down (keeper is reported, "
				  "not set)");
	const struct fgpio_rk3288_regs *r = rk_regs(c);
	const uint8_t *code = (r->port[bank][bit / 8u].flags & FGPIO_RK3288_PULL_1V8) ? r->pull_code_1v8
										    : r->pull_code;

	if (rk_pull_reg(c, bank, bit, &blk, &reg))
		return -1;
	fgpio_lock(c);
	rk_field_write(c, reg, blk, (bit % 8u) * 2u, 0x3u, code[pull]);
	fgpio_unlock(c);
	return 0;
}

static int rk_get_pull(struct fgpio_chip *c, unsigned bank, unsigned bit)
{
	const struct fgpio_rk3288_regs *r = rk_regs(c);
	volatile uint32_t *reg;
	unsigned blk;

	if (rk_pull_reg(c, bank, bit, &blk, &reg))
		return -1;
	uint32_t code = (fgpio_rd(reg) >> ((bit % 8u) * 2u)) & 0x3u;

	if (r->port[bank][bit / 8u].flags & FGPIO_RK3288_PULL_1V8)
		return r->pull_read_1v8[code];
	for (int p = FGPIO_PULL_OFF; p <= FGPIO_PULL_KEEPER; p++)
		if (r->pull_code[p] == code)
			return p;
	return fgpio_fail(EIO, "unexpected pull code %u", code);	/* table covers all 4 codes */
}

static int rk_line_init(struct fgpio_chip *c, unsigned bank, unsigned bit, struct fgpio_line *l)
{
	volatile uint32_t *in = fgpio_reg(c, c->soc->banks[bank].block, rk_regs(c)->ext_porta);

	if (rk_check_clock(c, bank))
		return -1;
	if (!in)
		return rk_unmapped(c, c->soc->banks[bank].block, "read the input register");
	/* No set/clear registers: the inline on/off fall back to fgpio_chip_set/clear. */
	l->set_reg = NULL;
	l->clr_reg = NULL;
	l->in_reg = in;
	l->mask = 1u << bit;
	return 0;
}

const struct fgpio_family_ops fgpio_rk3288_ops = {
	.name = "rk3288",
	.attach = rk_attach,
	.bank_write = rk_bank_write,
	.bank_read = rk_bank_read,
	.set_func = rk_set_func,
	.check_func = rk_check_func,
	.get_func = rk_get_func,
	.set_pull = rk_set_pull,
	.get_pull = rk_get_pull,
	.line_init = rk_line_init,
	.locate = NULL,
};
