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

#endif /* FASTGPIO_BOARDS_FAMILY_BCM2835_H */
