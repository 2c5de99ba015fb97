/* SPDX-License-Identifier: MIT */
/*
 * src/soc_bcm2835_pwm.c - hardware PWM of the BCM2835 family (BCM2835/6/7:
 * one PWM block; BCM2711: two), driven by the clock manager's PWM clock.
 *
 * Programming model (facts from Linux drivers/pwm/pwm-bcm2835.c,
 * drivers/clk/bcm/clk-bcm2835.c and the BCM2835 ARM Peripherals manual,
 * chapters 6.3 and 9; offsets and bits in the tables, boards/bcm2835.h):
 *  - Each channel has a byte of the control register, a range register (the
 *    period in clock ticks) and a data register. In mark-space mode (MSEN)
 *    the output is active for "data" ticks of every "range" ticks; POLA
 *    inverts it; PWEN starts it. The kernel's driver selects mark-space
 *    mode when a channel is requested and rounds nanoseconds to the nearest
 *    tick; so does this file.
 *  - The PWM clock: a control word (source, MASH, ENAB, BUSY) and a divisor
 *    word (12-bit integer part, 12-bit fraction), each written with the
 *    password in bits 24-31. A running clock is disabled and BUSY waited for
 *    before source or divisor change. This file uses the crystal oscillator
 *    with an integer divisor (MASH off), the one source whose rate is a
 *    fixed fact of the board; the PLLs' rates depend on the firmware.
 *  - All channels share the one clock: it is changed only while no other
 *    channel runs.
 */
#include <errno.h>
#include <stdint.h>

#include "internal.h"
#include "soc_bcm2835_pwm.h"
#include "../boards/family_bcm2835.h"

static const struct fgpio_bcm_pwm_regs *pwm_regs(const struct fgpio_chip *c)
{
	return (const struct fgpio_bcm_pwm_regs *)c->soc->pwm->regs;
}

/* The crystal oscillator's rate: the clock source this file uses. */
static uint32_t osc_hz(const struct fgpio_chip *c)
{
	return c->soc->pwm->clock_hz;
}

/* The registers of one channel and of the clock. */
struct bcm_pwm_io {
	volatile uint32_t *ctl, *rng, *dat, *cm_ctl, *cm_div;
	unsigned shift;		/* the channel's byte in ctl */
};

static int pwm_io(const struct fgpio_chip *c, const struct fgpio_pwm_pin *pin, struct bcm_pwm_io *io)
{
	const struct fgpio_bcm_pwm_regs *R = pwm_regs(c);
	unsigned clk = c->soc->pwm->npwm;	/* the clock block follows the PWM blocks */

	io->shift = R->ctl_shift * pin->channel;
	io->ctl = fgpio_pwm_need(fgpio_pwm_reg(c, pin->block, R->ctl), c, "PWM control");
	io->rng = fgpio_pwm_need(fgpio_pwm_reg(c, pin->block, R->rng[pin->channel]), c, "PWM range");
	io->dat = fgpio_pwm_need(fgpio_pwm_reg(c, pin->block, R->dat[pin->channel]), c, "PWM data");
	io->cm_ctl = fgpio_pwm_need(fgpio_pwm_reg(c, clk, R->cm_ctl), c, "CM_PWMCTL");
	io->cm_div = fgpio_pwm_need(fgpio_pwm_reg(c, clk, R->cm_div), c, "CM_PWMDIV");
	return io->ctl && io->rng && io->dat && io->cm_ctl && io->cm_div ? 0 : -1;
}

/* 1 when a channel other than @pin's has its enable bit set. */
static int others_running(const struct fgpio_chip *c, const struct fgpio_pwm_pin *pin)
{
	const struct fgpio_bcm_pwm_regs *R = pwm_regs(c);
	const struct fgpio_pwm_desc *d = c->soc->pwm;

	for (unsigned b = 0; b < d->npwm; b++) {
		volatile uint32_t *r = fgpio_pwm_reg(c, b, R->ctl);
		uint32_t v = r ? fgpio_rd(r) : 0;

		for (unsigned ch = 0; ch < d->nchannels; ch++)
			if (!(b == pin->block && ch == pin->channel) &&
			    ((v >> (R->ctl_shift * ch)) & R->pwen))
				return 1;
	}
	return 0;
}

/* The PWM clock as CM_PWMCTL/CM_PWMDIV show it, for fgpio_pwm_plan. */
static int plan_clock(const struct fgpio_chip *c, const struct fgpio_pwm_pin *pin,
		      const struct bcm_pwm_io *io, uint64_t period_ns, uint32_t *div, int *reprogram)
{
	const struct fgpio_bcm_pwm_regs *R = pwm_regs(c);
	uint32_t cm = fgpio_rd(io->cm_ctl), dv = fgpio_rd(io->cm_div);
	uint32_t src = cm & R->cm_src_mask, divi = (dv >> R->cm_divi_shift) & 0xfffu;
	/* MASH 0 ignores DIVF: the rate is osc / DIVI whatever the fraction holds */
	struct fgpio_pwm_clock k = {
		.soc = c->soc->name, .name = "the PWM clock", .source = R->src_names[src],
		.detail = (cm & R->cm_mash_mask) ? " with MASH" : "", .hz = osc_hz(c),
		.div_min = R->div_min, .div_max = R->div_max, .ticks_min = R->ticks_min, .div = divi,
		.on = !!(cm & R->cm_enab), .shared = (cm & R->cm_enab) && others_running(c, pin),
		.known = src == R->cm_src_osc && !(cm & R->cm_mash_mask) && divi >= R->div_min,
		.exact = (dv & 0xfffu) == 0,
	};

	return fgpio_pwm_plan(&k, period_ns, div, reprogram);
}

/* Stops the clock (waiting for BUSY to clear), sets the divisor, starts it from the oscillator. */
static int restart_clock(const struct fgpio_chip *c, const struct bcm_pwm_io *io, uint32_t div)
{
	const struct fgpio_bcm_pwm_regs *R = pwm_regs(c);
	uint32_t cm = fgpio_rd(io->cm_ctl) & 0x00ffffffu;

	if (cm & R->cm_enab) {
		fgpio_wr(io->cm_ctl, R->cm_passwd | (cm & ~R->cm_enab));
		for (uint32_t us = 0; fgpio_rd(io->cm_ctl) & R->cm_busy; us++) {
			if (us >= R->busy_timeout_us)
				return fgpio_fail(EIO, "%s: the PWM clock stays BUSY %u us after it was "
						  "disabled; its divisor was not changed", c->soc->name,
						  R->busy_timeout_us);
			fgpio_udelay(1);
		}
	}
	fgpio_wr(io->cm_div, R->cm_passwd | (div << R->cm_divi_shift));
	fgpio_wr(io->cm_ctl, R->cm_passwd | R->cm_src_osc);
	fgpio_wr(io->cm_ctl, R->cm_passwd | R->cm_src_osc | R->cm_enab | R->cm_gate);
	return 0;
}

static int read_locked(const struct fgpio_chip *c, const struct fgpio_pwm_pin *pin,
		       const struct bcm_pwm_io *io, struct fgpio_pwm_state *st)
{
	const struct fgpio_bcm_pwm_regs *R = pwm_regs(c);
	uint32_t ctl = (fgpio_rd(io->ctl) >> io->shift) & R->ctl_mask;
	uint32_t cm = fgpio_rd(io->cm_ctl), dv = fgpio_rd(io->cm_div) & 0x00ffffffu;
	uint32_t src = cm & R->cm_src_mask, divi = dv >> R->cm_divi_shift;

	st->block = pin->block;
	st->channel = pin->channel;
	st->period_ticks = fgpio_rd(io->rng);
	st->duty_ticks = fgpio_rd(io->dat);
	st->enabled = (ctl & R->pwen) && (cm & R->cm_enab);
	st->polarity = (ctl & R->pola) ? FGPIO_PWM_INVERSED : FGPIO_PWM_NORMAL;
	st->mark_space = !!(ctl & R->msen);
	st->source = R->src_names[src];
	st->divisor = dv;
	st->source_hz = src == R->cm_src_osc ? osc_hz(c) : 0;
	if (st->source_hz && divi && !(cm & R->cm_mash_mask)) {
		st->period_ns = fgpio_pwm_ns(st->period_ticks, st->source_hz, divi);
		st->duty_ns = fgpio_pwm_ns(st->duty_ticks, st->source_hz, divi);
	}
	return 0;
}

int fgpio_bcm_pwm_read(struct fgpio_chip *c, const struct fgpio_pwm_pin *pin, struct fgpio_pwm_state *st)
{
	struct bcm_pwm_io io;

	if (pwm_io(c, pin, &io))
		return -1;
	fgpio_lock(c);
	fgpio_barrier();
	read_locked(c, pin, &io, st);
	fgpio_barrier();
	fgpio_unlock(c);
	return 0;
}

int fgpio_bcm_pwm_apply(struct fgpio_chip *c, const struct fgpio_pwm_pin *pin,
			const struct fgpio_pwm_config *cfg, struct fgpio_pwm_state *st)
{
	const struct fgpio_bcm_pwm_regs *R = pwm_regs(c);
	struct bcm_pwm_io io;
	uint32_t div = 0, byte;
	int reprogram = 0, r = 0;

	if (pwm_io(c, pin, &io))
		return -1;
	fgpio_lock(c);
	fgpio_barrier();
	if (plan_clock(c, pin, &io, cfg->period_ns, &div, &reprogram)) {
		fgpio_unlock(c);
		return -1;
	}
	/* Decided: from here on the request is written. */
	if (reprogram)
		r = restart_clock(c, &io, div);
	if (r == 0) {
		fgpio_wr(io.rng, (uint32_t)fgpio_pwm_ticks(cfg->period_ns, osc_hz(c), div));
		fgpio_wr(io.dat, (uint32_t)fgpio_pwm_ticks(cfg->duty_ns, osc_hz(c), div));
		byte = R->msen | (cfg->polarity == FGPIO_PWM_INVERSED ? R->pola : 0) |
		       (cfg->enabled ? R->pwen : 0);
		fgpio_wr(io.ctl, (fgpio_rd(io.ctl) & ~(R->ctl_mask << io.shift)) | (byte << io.shift));
		read_locked(c, pin, &io, st);
	}
	fgpio_barrier();
	fgpio_unlock(c);
	return r;
}
