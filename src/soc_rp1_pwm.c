/* SPDX-License-Identifier: MIT */
/*
 * src/soc_rp1_pwm.c - hardware PWM of RP1 (Raspberry Pi 5): PWM0's four
 * channels, driven by RP1's clk_pwm0 clock generator.
 *
 * Programming model (facts from the kernel's pwm-rp1.c and clk-rp1.c, both
 * the Raspberry Pi tree's and the upstream submission; offsets, bits and
 * sources in the tables, boards/rp1.h):
 *  - GLOBAL_CTRL holds one enable bit per channel and SET_UPDATE, which
 *    latches the channels' settings into the PWM clock domain: every change
 *    ends with it, as in both drivers. Each channel has CTRL (mode, invert),
 *    RANGE (the period, minus the one tick the counter adds) and DUTY (the
 *    active ticks in trailing-edge mark-space mode, what both drivers select).
 *    Nanoseconds are rounded to the nearest tick, as on the BCM family.
 *  - clk_pwm0: CTRL (ENABLE, AUXSRC), a 16-bit integer divisor and a 16-bit
 *    fraction. This file runs it from the 50 MHz crystal (AUXSRC "xosc") with
 *    an integer divisor: the one source whose rate is a fact of the board.
 *    The clock is changed only while no other channel of PWM0 runs; it is
 *    stopped, given its divisor, then its source, then started (the kernel's
 *    order: divider, parent, enable); no source found names a busy flag.
 */
#include <errno.h>
#include <stdint.h>

#include "internal.h"
#include "soc_rp1_pwm.h"
#include "../boards/family_rp1.h"

static const struct fgpio_rp1_pwm_regs *pwm_regs(const struct fgpio_chip *c)
{
	return (const struct fgpio_rp1_pwm_regs *)c->soc->pwm->regs;
}

/* The crystal's rate: the clock source this file uses. */
static uint32_t xosc_hz(const struct fgpio_chip *c)
{
	return c->soc->pwm->clock_hz;
}

/* The registers of one channel, of its block and of the block's clock. */
struct rp1_pwm_io {
	volatile uint32_t *glb, *ctrl, *range, *duty, *clk_ctrl, *clk_int, *clk_frac;
	uint32_t enable;	/* the channel's bit in GLOBAL_CTRL */
};

static int pwm_io(const struct fgpio_chip *c, const struct fgpio_pwm_pin *pin, struct rp1_pwm_io *io)
{
	const struct fgpio_rp1_pwm_regs *R = pwm_regs(c);
	unsigned clk = c->soc->pwm->npwm;	/* the clock block follows the PWM blocks */
	uint32_t ch = R->chan_stride * pin->channel;

	io->enable = 1u << pin->channel;
	io->glb = fgpio_pwm_need(fgpio_pwm_reg(c, pin->block, R->global_ctrl), c, "PWM GLOBAL_CTRL");
	io->ctrl = fgpio_pwm_need(fgpio_pwm_reg(c, pin->block, R->chan_ctrl + ch), c, "PWM channel CTRL");
	io->range = fgpio_pwm_need(fgpio_pwm_reg(c, pin->block, R->chan_range + ch), c, "PWM RANGE");
	io->duty = fgpio_pwm_need(fgpio_pwm_reg(c, pin->block, R->chan_duty + ch), c, "PWM DUTY");
	io->clk_ctrl = fgpio_pwm_need(fgpio_pwm_reg(c, clk, R->clk_ctrl), c, "CLK_PWM0_CTRL");
	io->clk_int = fgpio_pwm_need(fgpio_pwm_reg(c, clk, R->clk_div_int), c, "CLK_PWM0_DIV_INT");
	io->clk_frac = fgpio_pwm_need(fgpio_pwm_reg(c, clk, R->clk_div_frac), c, "CLK_PWM0_DIV_FRAC");
	return io->glb && io->ctrl && io->range && io->duty && io->clk_ctrl && io->clk_int &&
	       io->clk_frac ? 0 : -1;
}

/* The integer divisor DIV_INT/DIV_FRAC hold, or 0 when it has a fraction. */
static uint32_t int_div(const struct fgpio_rp1_pwm_regs *R, uint32_t divi, uint32_t frac)
{
	if (frac >> R->clk_frac_shift)
		return 0;
	return divi & 0xffffu ? divi & 0xffffu : 0x10000u;	/* 0 is 65536 [CR] */
}

/* clk_pwm0 as its registers show it, for fgpio_pwm_plan. */
static int plan_clock(const struct fgpio_chip *c, const struct rp1_pwm_io *io, uint64_t period_ns,
		      uint32_t *div, int *reprogram)
{
	const struct fgpio_rp1_pwm_regs *R = pwm_regs(c);
	uint32_t cc = fgpio_rd(io->clk_ctrl), src = (cc & R->clk_auxsrc_mask) >> R->clk_auxsrc_shift;
	uint32_t cur = int_div(R, fgpio_rd(io->clk_int), fgpio_rd(io->clk_frac));
	uint32_t others = fgpio_rd(io->glb) & (((1u << c->soc->pwm->nchannels) - 1) & ~io->enable);
	struct fgpio_pwm_clock k = {
		.soc = c->soc->name, .name = "clk_pwm0", .source = R->src_names[src],
		.detail = cur ? "" : " with a fractional divisor", .hz = xosc_hz(c),
		.div_min = R->div_min, .div_max = R->div_max, .ticks_min = R->ticks_min, .div = cur,
		.on = !!(cc & R->clk_enable), .shared = !!others,
		.known = src == R->clk_auxsrc_xosc && cur >= R->div_min && cur <= R->div_max,
		.exact = 1,	/* int_div() is 0 (never chosen) when DIV_FRAC holds a fraction */
	};

	return fgpio_pwm_plan(&k, period_ns, div, reprogram);
}

/* Stops clk_pwm0, sets the integer divisor, selects the crystal, starts it. */
static void restart_clock(const struct fgpio_chip *c, const struct rp1_pwm_io *io, uint32_t div)
{
	const struct fgpio_rp1_pwm_regs *R = pwm_regs(c);
	uint32_t cc = fgpio_rd(io->clk_ctrl) & ~(R->clk_enable | R->clk_auxsrc_mask);

	fgpio_wr(io->clk_ctrl, cc);
	fgpio_wr(io->clk_int, div & 0xffffu);
	fgpio_wr(io->clk_frac, 0);
	cc |= (uint32_t)R->clk_auxsrc_xosc << R->clk_auxsrc_shift;
	fgpio_wr(io->clk_ctrl, cc);
	fgpio_wr(io->clk_ctrl, cc | R->clk_enable);
}

static void read_locked(const struct fgpio_chip *c, const struct fgpio_pwm_pin *pin,
			const struct rp1_pwm_io *io, struct fgpio_pwm_state *st)
{
	const struct fgpio_rp1_pwm_regs *R = pwm_regs(c);
	uint32_t ctrl = fgpio_rd(io->ctrl), cc = fgpio_rd(io->clk_ctrl);
	uint32_t divi = fgpio_rd(io->clk_int), frac = fgpio_rd(io->clk_frac);
	uint32_t src = (cc & R->clk_auxsrc_mask) >> R->clk_auxsrc_shift, div = int_div(R, divi, frac);
	uint64_t period = (uint64_t)fgpio_rd(io->range) + R->range_extra;

	st->block = pin->block;
	st->channel = pin->channel;
	st->period_ticks = period > UINT32_MAX ? UINT32_MAX : (uint32_t)period;
	st->duty_ticks = fgpio_rd(io->duty);
	st->enabled = (fgpio_rd(io->glb) & io->enable) && (cc & R->clk_enable);
	st->polarity = (ctrl & R->ctrl_invert) ? FGPIO_PWM_INVERSED : FGPIO_PWM_NORMAL;
	st->mark_space = (ctrl & R->ctrl_mode_mask) == R->ctrl_mode_ms;
	st->source = R->src_names[src];
	/* 16.16 in the registers, 12.12 in the state (as on every SoC) */
	st->divisor = ((divi & 0xffffu ? divi & 0xffffu : 0x10000u) << 12) |
		      ((frac >> R->clk_frac_shift) >> 4);
	st->source_hz = src == R->clk_auxsrc_xosc ? xosc_hz(c) : 0;
	if (st->source_hz && div) {
		st->period_ns = fgpio_pwm_ns(period, st->source_hz, div);
		st->duty_ns = fgpio_pwm_ns(st->duty_ticks, st->source_hz, div);
	}
}

int fgpio_rp1_pwm_read(struct fgpio_chip *c, const struct fgpio_pwm_pin *pin, struct fgpio_pwm_state *st)
{
	struct rp1_pwm_io io;

	if (pwm_io(c, pin, &io))
		return -1;
	fgpio_lock(c);
	fgpio_barrier();
	read_locked(c, pin, &io, st);
	fgpio_barrier();
	fgpio_unlock(c);
	return 0;
}

/* CTRL, RANGE, DUTY, the enable bit, then SET_UPDATE (the upstream driver's order). */
static void write_channel(const struct fgpio_chip *c, const struct rp1_pwm_io *io,
			  const struct fgpio_pwm_config *cfg, uint32_t div)
{
	const struct fgpio_rp1_pwm_regs *R = pwm_regs(c);
	uint32_t glb;

	fgpio_wr(io->ctrl, R->ctrl_fifo_pop_mask | R->ctrl_mode_ms |
			   (cfg->polarity == FGPIO_PWM_INVERSED ? R->ctrl_invert : 0));
	fgpio_wr(io->range, (uint32_t)(fgpio_pwm_ticks(cfg->period_ns, xosc_hz(c), div) - R->range_extra));
	fgpio_wr(io->duty, (uint32_t)fgpio_pwm_ticks(cfg->duty_ns, xosc_hz(c), div));
	glb = fgpio_rd(io->glb);
	glb = cfg->enabled ? glb | io->enable : glb & ~io->enable;
	fgpio_wr(io->glb, glb);
	fgpio_wr(io->glb, glb | R->set_update);
}

int fgpio_rp1_pwm_apply(struct fgpio_chip *c, const struct fgpio_pwm_pin *pin,
			const struct fgpio_pwm_config *cfg, struct fgpio_pwm_state *st)
{
	struct rp1_pwm_io io;
	uint32_t div = 0;
	int reprogram = 0;

	if (pwm_io(c, pin, &io))
		return -1;
	fgpio_lock(c);
	fgpio_barrier();
	if (plan_clock(c, &io, cfg->period_ns, &div, &reprogram)) {
		fgpio_unlock(c);
		return -1;
	}
	/* Decided: from here on the request is written. */
	if (reprogram)
		restart_clock(c, &io, div);
	write_channel(c, &io, cfg, div);
	read_locked(c, pin, &io, st);
	fgpio_barrier();
	fgpio_unlock(c);
	return 0;
}
