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
	uint32_t osc_hz;		/* crystal oscillator rate */
	uint32_t busy_timeout_us;	/* how long to wait for BUSY to clear after disabling */
	const char *const *src_names;	/* source number -> name (16 entries) */
};

/* CM_SRC values of the PWM clock's control register, in the order of Linux
 * drivers/clk/bcm/clk-bcm2835.c bcm2835_clock_per_parents[] (index = source number). */
static const char *const fgpio_bcm_cm_src_names[16] = {
	"gnd", "oscillator", "testdebug0", "testdebug1", "plla_per", "pllc_per", "plld_per",
	"pllh_aux", "gnd", "gnd", "gnd", "gnd", "gnd", "gnd", "gnd", "gnd",
};

#endif /* FASTGPIO_BOARDS_FAMILY_BCM2835_H */
