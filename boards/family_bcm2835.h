/* SPDX-License-Identifier: MIT */
/*
 * boards/family_bcm2835.h - the register family bcm2835: the layout its tables
 * fill in and its code reads. Used by BCM2835/6/7 and BCM2711
 * (boards/bcm2835.h, boards/bcm2711.h; src/soc_bcm2835.c).
 */
#ifndef FASTGPIO_BOARDS_FAMILY_BCM2835_H
#define FASTGPIO_BOARDS_FAMILY_BCM2835_H

#include <stdint.h>

enum fgpio_bcm_pull_style {
	FGPIO_BCM_PULL_GPPUD = 0,	/* BCM2835/6/7: GPPUD + GPPUDCLKn sequence, not readable */
	FGPIO_BCM_PULL_PUP_PDN		/* BCM2711: 2-bit fields, readable */
};

struct fgpio_bcm_regs {
	uint32_t gpfsel0;		/* function select, 10 lines a word, 3 bits a line */
	uint32_t gpset0;
	uint32_t gpclr0;
	uint32_t gplev0;
	uint32_t gppud;			/* FGPIO_BCM_PULL_GPPUD */
	uint32_t gppudclk0;
	uint32_t pup_pdn0;		/* FGPIO_BCM_PULL_PUP_PDN: 16 lines a word, 2 bits a line */
	uint8_t pull_style;		/* enum fgpio_bcm_pull_style */
	uint8_t fsel_code[8];		/* 3-bit code for IN, OUT, ALT0..ALT5 (index = enum fgpio_func) */
	uint8_t pull_code[3];		/* register code for OFF, UP, DOWN */
	uint16_t pud_settle_us;		/* wait after GPPUD and after GPPUDCLK writes */
};

/*
 * The PWM blocks (two channels each, src/soc_bcm2835_pwm.c) and the clock
 * manager's PWM clock that drives all of them.
 */
struct fgpio_bcm_pwm_regs {
	uint32_t ctl;			/* control: one byte per channel */
	uint32_t rng[2];		/* range (period in ticks) of channel 0, 1 */
	uint32_t dat[2];		/* data (active ticks in mark-space mode) */
	uint32_t ctl_shift;		/* bits between the control bytes of two channels */
	uint32_t ctl_mask;		/* one channel's control field */
	uint32_t pwen, pola, msen;	/* enable, polarity, mark-space bits of channel 0 */
	uint32_t ticks_min;		/* shortest range the driver accepts */
	uint32_t cm_ctl, cm_div;	/* the PWM clock's control and divisor in the clock block */
	uint32_t cm_passwd;		/* written into bits 24-31 of every clock write */
	uint32_t cm_enab, cm_gate, cm_busy, cm_src_mask, cm_mash_mask;
	uint8_t cm_src_osc;		/* source number of the crystal oscillator */
	uint8_t cm_divi_shift;		/* integer divisor field: bits shift .. shift+11 */
	uint16_t div_min, div_max;	/* integer divisors used with MASH off */
	uint32_t busy_timeout_us;	/* how long to wait for BUSY to clear after disabling */
	const char *const *src_names;	/* source number -> name (16 entries) */
};

/* CM_SRC values of the PWM clock's control register, in the order of Linux
 * drivers/clk/bcm/clk-bcm2835.c bcm2835_clock_per_parents[] (index = source number). */
static const char *const fgpio_bcm_cm_src_names[16] = {
	"gnd", "oscillator", "testdebug0", "testdebug1", "plla_per", "pllc_per", "plld_per",
	"pllh_aux", "gnd", "gnd", "gnd", "gnd", "gnd", "gnd", "gnd", "gnd",
};

/*
 * The PWM programming model, the same on BCM2835/6/7 and BCM2711 (the
 * oscillator's rate differs: fgpio_pwm_desc.clock_hz of each table).
 *  [PK]  Linux drivers/pwm/pwm-bcm2835.c (torvalds/linux @ 03c601927b67): PWM_CONTROL 0x000,
 *        PWM_CONTROL_SHIFT(x) x*8, PWM_CONTROL_MASK 0xff, PWM_MODE 0x80, PWM_ENABLE bit 0,
 *        PWM_POLARITY bit 4, PERIOD(x) 0x10 + x*0x10, DUTY(x) 0x14 + x*0x10, PERIOD_MIN 2;
 *        request() sets PWM_MODE (mark-space) in the channel's byte; apply() rounds
 *        ns * rate / 1e9 to the nearest tick, writes PERIOD, DUTY, then polarity and enable.
 *  [CK]  Linux drivers/clk/bcm/clk-bcm2835.c (torvalds/linux @ 05a5b5d8a2cd): CM_PASSWORD
 *        0x5a000000, CM_PWMCTL 0x0a0, CM_PWMDIV 0x0a4, CM_ENABLE bit 4, CM_GATE bit 6, CM_BUSY
 *        bit 7, CM_FRAC bit 9, CM_SRC_MASK 0xf, CM_SRC_OSC 1, CM_DIV_FRAC_BITS 12; the PWM clock
 *        has int_bits 12, frac_bits 12 and is a MASH clock (divisor >= 2); clock on writes
 *        ENABLE | GATE; off clears ENABLE and waits for BUSY (LOCK_TIMEOUT_NS 100 ms);
 *        bcm2835_clock_per_parents[] gives the source numbers' names (below).
 *  [Q]   QEMU hw/misc/bcm2835_cprman.c (@ 06b40d250ecf): CM_PWMCTL/CM_PWMDIV modelled, MASH
 *        bits 9-10, writes without the 0x5a password dropped, BUSY follows ENABLE.
 */
static const struct fgpio_bcm_pwm_regs fgpio_bcm_pwm_regs = {
	.ctl = 0x00, .rng = { 0x10, 0x20 }, .dat = { 0x14, 0x24 },	/* [PK] */
	.ctl_shift = 8, .ctl_mask = 0xff,				/* [PK] */
	.pwen = 0x01, .pola = 0x10, .msen = 0x80,			/* [PK] */
	.ticks_min = 2,							/* PERIOD_MIN [PK] */
	.cm_ctl = 0xa0, .cm_div = 0xa4, .cm_passwd = 0x5a000000,	/* [CK] */
	/* CM_ENABLE | CM_GATE, as bcm2835_clock_on() writes them [CK] */
	.cm_enab = 0x10, .cm_gate = 0x40, .cm_busy = 0x80, .cm_src_mask = 0xf,
	.cm_mash_mask = 0x600,		/* MASH, bits 9-10 [Q]; bit 9 is the driver's CM_FRAC [CK] */
	.cm_src_osc = 1,		/* CM_SRC_OSC; bcm2835_clock_per_parents[1] "xosc" [CK] */
	.cm_divi_shift = 12,		/* CM_DIV_FRAC_BITS 12, int_bits 12 [CK] */
	/* Integer divisors only (no MASH); at least 2, the driver's floor for this clock [CK]. */
	.div_min = 2, .div_max = 4095,
	.busy_timeout_us = 100000,	/* LOCK_TIMEOUT_NS 100 ms [CK] */
	.src_names = fgpio_bcm_cm_src_names,
};

#endif /* FASTGPIO_BOARDS_FAMILY_BCM2835_H */
