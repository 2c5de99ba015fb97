/* SPDX-License-Identifier: MIT */
/*
 * src/soc_rp1.c - the RP1 register family (Raspberry Pi 5).
 *
 * What is written, and in which order, follows the Raspberry Pi kernel driver
 * drivers/pinctrl/pinctrl-rp1.c (raspberrypi/linux, blob 07ada0cb31):
 *  - outputs and output enables only through the SYS_RIO SET/CLR aliases
 *    (rp1_set_value(), rp1_set_dir()), never a read-modify-write;
 *  - levels from SYS_RIO IN (rp1_get_value());
 *  - function select as rp1_gpio_direction_output()/_input() and
 *    rp1_pmx_set() do it: output enable (for in/out), then the pad's input
 *    enable and output-disable bits (rp1_input_enable(1), rp1_output_enable(1),
 *    each a read-modify-write of the pad register), then CTRL with OUTOVER and
 *    OEOVER back to "peripheral" and the new FUNCSEL (rp1_set_fsel(), a
 *    read-modify-write of CTRL);
 *  - pulls as rp1_pull_config_set(): read-modify-write of the pad's PUE/PDE.
 * The kernel does its read-modify-writes with plain writes (not the aliases);
 * so do we, under the chip lock. They touch per-line registers only, so they
 * race with the kernel only on a line the kernel itself is driving.
 *
 * Posted writes: RP1 sits behind PCIe. A store to its registers is posted:
 * the CPU moves on before it reaches RP1, and stores may arrive back to back
 * (the BCM2712 root complex even acknowledges them while the link wakes from
 * L1, which is why the kernel paces its writes with dummy root-complex writes
 * when pace_pin_updates is set - userspace cannot reach that register). A read
 * of an RP1 register cannot overtake earlier writes to RP1, so one read-back
 * guarantees that everything before it has landed. We read back where the API
 * promises the state has changed (set_func, set_pull). Single output writes
 * (bank_write, the line handle's set/clear stores) are not read back: a caller
 * that needs them on the pin at a known time (a waveform with microsecond
 * steps) must read back, e.g. fgpio_line_get() or fgpio_chip_bank_read(),
 * before it timestamps.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "soc_rp1_pwm.h"
#include "../boards/family_rp1.h"

static const struct fgpio_rp1_regs *rp1_regs(const struct fgpio_chip *c)
{
	return (const struct fgpio_rp1_regs *)c->soc->regs;
}

/* SYS_RIOn register @reg through alias @alias (0 = plain read/write). */
static volatile uint32_t *rp1_rio(const struct fgpio_chip *c, unsigned bank, uint32_t reg,
				  uint32_t alias)
{
	const struct fgpio_rp1_regs *r = rp1_regs(c);

	return fgpio_reg(c, r->rio_block, r->rio_bank[bank] + reg + alias);
}

static volatile uint32_t *rp1_ctrl(const struct fgpio_chip *c, unsigned bank, unsigned bit)
{
	const struct fgpio_rp1_regs *r = rp1_regs(c);

	return fgpio_reg(c, r->io_block, r->io_bank[bank] + r->ctrl + bit * r->io_stride);
}

static volatile uint32_t *rp1_pad(const struct fgpio_chip *c, unsigned bank, unsigned bit)
{
	const struct fgpio_rp1_regs *r = rp1_regs(c);

	return fgpio_reg(c, r->pads_block, r->pads_bank[bank] + r->pads_first + bit * r->pads_stride);
}

static int rp1_unmapped(const struct fgpio_chip *c, const char *what)
{
	return fgpio_fail(ENOTSUP, "the %s registers of %s are not mapped; open the chip through "
			  "/dev/gpiomem0, which maps the whole RP1 GPIO window", what, c->soc->name);
}

/* Waits until every earlier write to RP1 has reached it (see the header comment). */
static void rp1_flush(volatile uint32_t *reg)
{
	fgpio_barrier();
	(void)fgpio_rd(reg);
}

/* Bits of @bank that name lines. */
static uint32_t rp1_bank_mask(const struct fgpio_chip *c, unsigned bank)
{
	unsigned n = c->soc->banks[bank].nlines;

	return n >= 32 ? 0xffffffffu : (1u << n) - 1u;
}

static int rp1_bank_write(struct fgpio_chip *c, unsigned bank, uint32_t mask, uint32_t values)
{
	const struct fgpio_rp1_regs *r = rp1_regs(c);
	volatile uint32_t *set = rp1_rio(c, bank, r->rio_out, r->alias_set);
	volatile uint32_t *clr = rp1_rio(c, bank, r->rio_out, r->alias_clr);

	if (!set || !clr)
		return rp1_unmapped(c, "SYS_RIO");
	/* Atomic aliases: no lock, no read; a zero mask would be a wasted PCIe write. */
	if (mask & values)
		fgpio_wr(set, mask & values);
	if (mask & ~values)
		fgpio_wr(clr, mask & ~values);
	return 0;
}

static int rp1_bank_read(struct fgpio_chip *c, unsigned bank, uint32_t *values)
{
	const struct fgpio_rp1_regs *r = rp1_regs(c);
	volatile uint32_t *in = rp1_rio(c, bank, r->rio_in, 0);

	if (!in)
		return rp1_unmapped(c, "SYS_RIO");
	/* rp1_pin_readl(): let earlier posted writes out before the read. */
	fgpio_barrier();
	*values = fgpio_rd(in) & rp1_bank_mask(c, bank);
	return 0;
}

/* What rp1_set_func writes, decided (and every register found) before the first write. */
struct rp1_func_plan {
	uint32_t fsel;
	volatile uint32_t *oe;		/* OE alias (in/out only), else NULL */
	volatile uint32_t *ctrl, *pad;
};

/*
 * set_func's refusals and plan: fills @p, or fails (errno and message) without
 * touching a register. check_func is this alone.
 */
static int rp1_plan_func(const struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_func f,
			 struct rp1_func_plan *p)
{
	const struct fgpio_rp1_regs *r = rp1_regs(c);
	unsigned line = c->soc->banks[bank].first_line + bit;

	p->oe = NULL;
	switch (f) {
	case FGPIO_FUNC_IN:
		p->fsel = r->fsel_sys_rio;
		p->oe = rp1_rio(c, bank, r->rio_oe, r->alias_clr);
		break;
	case FGPIO_FUNC_OUT:
		p->fsel = r->fsel_sys_rio;
		p->oe = rp1_rio(c, bank, r->rio_oe, r->alias_set);
		break;
	default:
		if (f < FGPIO_FUNC_ALT0 || f > FGPIO_FUNC_ALT8)
			return fgpio_fail(EINVAL, "invalid function %d for %s", (int)f, c->soc->name);
		p->fsel = (uint32_t)(f - FGPIO_FUNC_ALT0);
		if (p->fsel >= r->fsel_count || line >= r->nalt_valid ||
		    !(r->alt_valid[line] & (1u << p->fsel)))
			return fgpio_fail(ENOTSUP, "GPIO%u of %s has no alt%u function (see the "
					  "function table of pinctrl-rp1.c or `pinctrl funcs %u`)",
					  line, c->soc->name, (unsigned)p->fsel, line);
		break;
	}
	p->ctrl = rp1_ctrl(c, bank, bit);
	p->pad = rp1_pad(c, bank, bit);
	if (!p->ctrl || !p->pad || ((f == FGPIO_FUNC_IN || f == FGPIO_FUNC_OUT) && !p->oe))
		return rp1_unmapped(c, "GPIO");
	return 0;
}

static int rp1_check_func(struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_func f)
{
	struct rp1_func_plan p = { 0 };

	return rp1_plan_func(c, bank, bit, f, &p);
}

static int rp1_set_func(struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_func f)
{
	const struct fgpio_rp1_regs *r = rp1_regs(c);
	struct rp1_func_plan p = { 0 };

	if (rp1_plan_func(c, bank, bit, f, &p))
		return -1;
	fgpio_lock(c);
	/* 1. Direction through the OE alias (rp1_set_dir); the OUT value is left as it is. */
	if (p.oe)
		fgpio_wr(p.oe, 1u << bit);
	/* 2. Pad: input enable on, then output disable off (two updates, as the kernel). */
	fgpio_barrier();
	fgpio_wr(p.pad, fgpio_rd(p.pad) | r->pad_ie);
	fgpio_barrier();
	fgpio_wr(p.pad, fgpio_rd(p.pad) & ~r->pad_od);
	/* 3. CTRL: overrides back to "from peripheral", then the function. INOVER and
	 *    the interrupt bits are kept. */
	fgpio_barrier();
	uint32_t v = fgpio_rd(p.ctrl);

	v &= ~(r->ctrl_funcsel_mask | r->ctrl_outover_mask | r->ctrl_oeover_mask);
	v |= p.fsel & r->ctrl_funcsel_mask;
	fgpio_wr(p.ctrl, v);
	rp1_flush(p.ctrl);
	fgpio_unlock(c);
	return 0;
}

static int rp1_get_func(struct fgpio_chip *c, unsigned bank, unsigned bit)
{
	const struct fgpio_rp1_regs *r = rp1_regs(c);
	volatile uint32_t *ctrl = rp1_ctrl(c, bank, bit);
	volatile uint32_t *oe = rp1_rio(c, bank, r->rio_oe, 0);

	if (!ctrl || !oe)
		return rp1_unmapped(c, "GPIO");
	fgpio_barrier();
	uint32_t v = fgpio_rd(ctrl);
	uint32_t fsel = v & r->ctrl_funcsel_mask;

	/* rp1_get_fsel(): an overridden output enable or FUNCSEL >= 9 (0x1f = NULL) is "none". */
	if ((v & r->ctrl_oeover_mask) || fsel >= r->fsel_count)
		return FGPIO_FUNC_NONE;
	if (fsel == r->fsel_sys_rio)	/* rp1_get_dir(): RIO OE bit set = output */
		return (fgpio_rd(oe) >> bit) & 1u ? FGPIO_FUNC_OUT : FGPIO_FUNC_IN;
	return FGPIO_FUNC_ALT0 + (int)fsel;
}

static int rp1_set_pull(struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_pull p)
{
	const struct fgpio_rp1_regs *r = rp1_regs(c);
	uint32_t bits;

	switch (p) {
	case FGPIO_PULL_OFF:
		bits = 0;
		break;
	case FGPIO_PULL_UP:
		bits = r->pad_pue;
		break;
	case FGPIO_PULL_DOWN:
		bits = r->pad_pde;
		break;
	default:
		return fgpio_fail(ENOTSUP, "%s pads offer pull off, up or down only", c->soc->name);
	}
	volatile uint32_t *pad = rp1_pad(c, bank, bit);

	if (!pad)
		return rp1_unmapped(c, "PADS");
	fgpio_lock(c);
	fgpio_barrier();
	fgpio_wr(pad, (fgpio_rd(pad) & ~(r->pad_pue | r->pad_pde)) | bits);
	rp1_flush(pad);
	fgpio_unlock(c);
	return 0;
}

static int rp1_get_pull(struct fgpio_chip *c, unsigned bank, unsigned bit)
{
	const struct fgpio_rp1_regs *r = rp1_regs(c);
	volatile uint32_t *pad = rp1_pad(c, bank, bit);

	if (!pad)
		return rp1_unmapped(c, "PADS");
	fgpio_barrier();
	uint32_t v = fgpio_rd(pad) & (r->pad_pue | r->pad_pde);

	if (v == 0)
		return FGPIO_PULL_OFF;
	if (v == r->pad_pue)
		return FGPIO_PULL_UP;
	if (v == r->pad_pde)
		return FGPIO_PULL_DOWN;
	/*
	 * Both enables: the kernel reports none of off/up/down. In the RP2040 pad
	 * cell, which has the same bit layout, this is the bus keeper; reported as
	 * such, and never set by this library. Unsourced for RP1: neither the
	 * kernel driver nor Raspberry Pi's pinctrl names this state, so this row
	 * rests on an analogy with another chip, not on a second source.
	 */
	return FGPIO_PULL_KEEPER;
}

static int rp1_line_init(struct fgpio_chip *c, unsigned bank, unsigned bit, struct fgpio_line *l)
{
	const struct fgpio_rp1_regs *r = rp1_regs(c);
	volatile uint32_t *set = rp1_rio(c, bank, r->rio_out, r->alias_set);
	volatile uint32_t *clr = rp1_rio(c, bank, r->rio_out, r->alias_clr);
	volatile uint32_t *in = rp1_rio(c, bank, r->rio_in, 0);

	if (!set || !clr || !in)
		return rp1_unmapped(c, "SYS_RIO");
	l->set_reg = set;
	l->clr_reg = clr;
	l->in_reg = in;
	l->mask = 1u << bit;
	return 0;
}

/* ---- locate(): RP1's CPU address from the device tree's PCIe ranges ---- */

#define RP1_DT_PATH 1024

static int rp1_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int rp1_node_name(const char *name)
{
	return strcmp(name, "rp1") == 0 || strncmp(name, "rp1@", 4) == 0;
}

/* Keeps the lexically first candidate, so the answer does not depend on readdir order. */
static void rp1_keep_first(const char *cand, char *out, size_t outlen, int *found)
{
	if (!*found || strcmp(cand, out) < 0)
		snprintf(out, outlen, "%s", cand);
	*found = 1;
}

/* Looks for <@top>/<any node>/rp1, @top being a node just below the root. */
static void rp1_find_below(const char *dt_root, const char *top, char *out, size_t outlen,
			   int *found)
{
	char path[RP1_DT_PATH];

	snprintf(path, sizeof(path), "%s/%s", dt_root, top);
	DIR *sub = opendir(path);

	if (!sub)
		return;
	struct dirent *e;

	while ((e = readdir(sub)) != NULL) {
		char cand[RP1_DT_PATH], full[2 * RP1_DT_PATH + 2];

		if (e->d_name[0] == '.')
			continue;
		int n = snprintf(cand, sizeof(cand), "%s/%s/rp1", top, e->d_name);

		if (n < 0 || (size_t)n >= sizeof(cand))
			continue;
		snprintf(full, sizeof(full), "%s/%s", dt_root, cand);
		if (rp1_is_dir(full))
			rp1_keep_first(cand, out, outlen, found);
	}
	closedir(sub);
}

/*
 * Finds RP1's node (named "rp1", as in rp1.dtsi) one or three levels below
 * the root: /axi/pcie@1000120000/rp1 on a Pi 5 (/axi/pcie@120000/rp1 on early
 * firmware trees), /rp1 or /rp1@... directly. Writes its path relative to
 * @dt_root; the lexically first match wins.
 */
static int rp1_find_node(const char *dt_root, char *out, size_t outlen)
{
	char path[RP1_DT_PATH];
	DIR *top = opendir(dt_root);
	int found = 0;

	if (!top)
		return -1;
	out[0] = 0;
	struct dirent *d;

	while ((d = readdir(top)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dt_root, d->d_name);
		if (!rp1_is_dir(path))
			continue;
		if (rp1_node_name(d->d_name))
			rp1_keep_first(d->d_name, out, outlen, &found);
		else
			rp1_find_below(dt_root, d->d_name, out, outlen, &found);
	}
	closedir(top);
	if (!found) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

/*
 * 1 when child @name of @rp1node is a node whose compatible lists @want
 * ("raspberrypi,rp1-gpio"), 0 when it is a property, has no compatible or
 * another one, -1 when its compatible exists but cannot be read (then nothing
 * can be told: fgpio_dt_read() said why).
 */
static int rp1_child_is(const char *dt_root, const char *rp1node, const char *name, const char *want)
{
	char prop[RP1_DT_PATH * 2];
	size_t len = 0;
	int is_gpio = 0;

	snprintf(prop, sizeof(prop), "%s/%s/%s", dt_root, rp1node, name);
	if (!rp1_is_dir(prop))
		return 0;	/* a property of the rp1 node, not a child node */
	snprintf(prop, sizeof(prop), "%s/%s/compatible", rp1node, name);
	unsigned char *comp = fgpio_dt_read(dt_root, prop, 256, &len);

	if (!comp)
		return errno == ENOENT ? 0 : -1;
	comp[len] = 0;	/* fgpio_dt_read() leaves room for it */
	for (size_t i = 0; i < len; i += strlen((char *)comp + i) + 1) {
		if (strcmp((char *)comp + i, want) == 0)
			is_gpio = 1;
	}
	free(comp);
	return is_gpio;
}

/*
 * The first address of child @name's reg, read with @ca address cells; 0
 * when it has none, -1 when it exists but cannot be read.
 */
static int rp1_child_addr(const char *dt_root, const char *rp1node, const char *name, uint32_t ca,
			  uint64_t *addr)
{
	char prop[RP1_DT_PATH * 2];
	size_t len = 0;

	snprintf(prop, sizeof(prop), "%s/%s/reg", rp1node, name);
	unsigned char *reg = fgpio_dt_read(dt_root, prop, 256, &len);

	if (!reg)
		return errno == ENOENT ? 0 : -1;
	int r = len >= 4u * ca && fgpio_dt_cells_u64(reg, ca, addr) == 0;

	free(reg);
	return r;
}

/*
 * The reg of RP1's GPIO node @name, read with RP1's @ca address cells, must
 * start at @want; an absent or short reg proves nothing. -1 (EINVAL) when it
 * disagrees or exists but cannot be read.
 */
static int rp1_check_gpio_reg(const char *dt_root, const char *rp1node, const char *name,
			      uint32_t ca, uint64_t want)
{
	uint64_t got = 0;
	int r = rp1_child_addr(dt_root, rp1node, name, ca, &got);

	if (r == 1 && got != want)
		return fgpio_fail(EINVAL, "%s/%s/%s/reg places RP1's GPIO at 0x%llx, but the rp1 "
				  "table expects 0x%llx; this RP1 layout is unknown to fastgpio",
				  dt_root, rp1node, name, (unsigned long long)got,
				  (unsigned long long)want);
	return r < 0 ? -1 : 0;
}

/*
 * Cross-check: where RP1's node has a "raspberrypi,rp1-gpio" child with a reg,
 * its first region must be the table's IO_BANK0 (0xc0_400d0000 in rp1.dtsi).
 */
static int rp1_check_gpio_node(const struct fgpio_soc *soc, const char *dt_root, const char *rp1node)
{
	const struct fgpio_rp1_regs *rr = (const struct fgpio_rp1_regs *)soc->regs;
	uint64_t want = soc->ranges_bus + soc->blocks[rr->io_block].phys + rr->io_bank[0];
	char path[RP1_DT_PATH + 8];
	uint32_t ca;

	snprintf(path, sizeof(path), "%s/%s", dt_root, rp1node);
	DIR *d = opendir(path);

	if (!d)
		return 0;
	if (fgpio_dt_node_cell(dt_root, rp1node, "#address-cells", 2, &ca) || ca < 1 || ca > 2) {
		closedir(d);
		return 0;	/* fgpio_dt_translate() has judged the cells already */
	}
	struct dirent *e;
	int r = 0;

	while (r == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		r = rp1_child_is(dt_root, rp1node, e->d_name, "raspberrypi,rp1-gpio");
		if (r == 1)
			r = rp1_check_gpio_reg(dt_root, rp1node, e->d_name, ca, want);
	}
	closedir(d);
	return r;
}

static int rp1_locate(const struct fgpio_soc *soc, const char *dt_root, uint64_t *base)
{
	char node[RP1_DT_PATH];

	if (!dt_root)
		return fgpio_fail(ENOENT, "no device tree to find RP1's address in; use /dev/gpiomem0");
	if (rp1_find_node(dt_root, node, sizeof(node)))
		return fgpio_fail(ENOENT, "no rp1 node under %s (expected /axi/pcie@1000120000/rp1 "
				  "on a Raspberry Pi 5): RP1's CPU address cannot be derived; use "
				  "/dev/gpiomem0", dt_root);
	uint64_t cpu = 0;

	if (fgpio_dt_translate(dt_root, node, soc->ranges_bus, &cpu)) {
		char msg[400];

		if (errno != ENOENT)
			return -1;	/* fgpio_dt_translate() said what is wrong */
		/* A bridge without ranges: what the kernel maps there is not in the tree. */
		snprintf(msg, sizeof(msg), "%s", fgpio_last_error());
		return fgpio_fail(ENOENT, "%s, so RP1's registers have no fixed CPU address in this "
				  "device tree; use /dev/gpiomem0", msg);
	}
	if (rp1_check_gpio_node(soc, dt_root, node))
		return -1;
	*base = cpu;
	return 0;
}

/*
 * PWM block @blk's node: the child of RP1's node compatible with
 * "raspberrypi,rp1-pwm" whose reg starts at the block's RP1 address (the
 * low 32 bits: Raspberry Pi's trees give it as <0xc0 0x40098000>, newer
 * ones as <0x0 0x40098000>), below the root; "" when there is none.
 */
static int rp1_pwm_node(const struct fgpio_chip *c, unsigned blk, char *out, size_t len)
{
	uint32_t want = (uint32_t)(c->soc->ranges_bus + c->soc->pwm->blocks[blk].phys);
	char node[RP1_DT_PATH], path[RP1_DT_PATH + 8];
	uint32_t ca;
	int r = 0;

	out[0] = 0;
	if (!c->dt_root || rp1_find_node(c->dt_root, node, sizeof(node)))
		return 0;	/* no tree, or no RP1 in it: nothing of RP1 is the kernel's */
	if (fgpio_dt_node_cell(c->dt_root, node, "#address-cells", 2, &ca) || ca < 1 || ca > 2)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", c->dt_root, node);
	DIR *d = opendir(path);

	if (!d)
		return fgpio_fail(errno, "cannot list %s: %s", path, strerror(errno));
	struct dirent *e;

	while (r == 0 && (e = readdir(d)) != NULL) {
		uint64_t addr = 0;

		if (e->d_name[0] == '.')
			continue;
		r = rp1_child_is(c->dt_root, node, e->d_name, "raspberrypi,rp1-pwm");
		if (r == 1)
			r = rp1_child_addr(c->dt_root, node, e->d_name, ca, &addr);
		if (r == 1 && (uint32_t)addr != want)
			r = 0;
	}
	if (r == 1)
		snprintf(out, len, "%s/%s", node, e->d_name);
	closedir(d);
	return r < 0 ? -1 : 0;
}

const struct fgpio_family_ops fgpio_rp1_ops = {
	.name = "rp1",
	.attach = NULL,
	.bank_write = rp1_bank_write,
	.bank_read = rp1_bank_read,
	.set_func = rp1_set_func,
	.check_func = rp1_check_func,
	.get_func = rp1_get_func,
	.set_pull = rp1_set_pull,
	.get_pull = rp1_get_pull,
	.line_init = rp1_line_init,
	.locate = rp1_locate,
	.pwm_apply = fgpio_rp1_pwm_apply,
	.pwm_read = fgpio_rp1_pwm_read,
	.pwm_node = rp1_pwm_node,
};
