/* SPDX-License-Identifier: MIT */
/*
 * boards/family_rp1.h - the register family rp1: the layout its tables
 * fill in and its code reads. Used by Raspberry Pi RP1 (boards/rp1.h;
 * src/soc_rp1.c, src/soc_rp1_pwm.c).
 */
#ifndef FASTGPIO_BOARDS_FAMILY_RP1_H
#define FASTGPIO_BOARDS_FAMILY_RP1_H

#include <stdint.h>

/*
 * RP1 (Raspberry Pi 5). Three register blocks (IO_BANK, SYS_RIO, PADS_BANK),
 * each holding the three banks at per-bank offsets; every register has
 * atomic XOR / SET / CLR aliases at fixed offsets.
 */
struct fgpio_rp1_regs {
	uint8_t io_block;		/* block of IO_BANK0..2 (STATUS/CTRL per line) */
	uint8_t rio_block;		/* block of SYS_RIO0..2 (OUT, OE, IN) */
	uint8_t pads_block;		/* block of PADS_BANK0..2 */
	uint32_t io_bank[3];		/* per bank: IO_BANKn offset in io_block */
	uint32_t rio_bank[3];		/* per bank: SYS_RIOn offset in rio_block */
	uint32_t pads_bank[3];		/* per bank: PADS_BANKn offset in pads_block */
	uint32_t status;		/* line 0's STATUS within IO_BANKn */
	uint32_t ctrl;			/* line 0's CTRL within IO_BANKn */
	uint32_t io_stride;		/* bytes between lines' STATUS/CTRL pairs */
	uint32_t rio_out, rio_oe, rio_in;	/* within SYS_RIOn */
	uint32_t alias_xor, alias_set, alias_clr;	/* atomic alias offsets */
	uint32_t pads_first;		/* line 0's pad register (after VOLTAGE_SELECT) */
	uint32_t pads_stride;
	uint32_t ctrl_funcsel_mask;	/* CTRL.FUNCSEL (shift 0) */
	uint32_t ctrl_outover_mask;	/* CTRL.OUTOVER, 0 = from peripheral */
	uint32_t ctrl_oeover_mask;	/* CTRL.OEOVER, 0 = from peripheral */
	uint32_t ctrl_inover_mask;	/* CTRL.INOVER (never written) */
	uint8_t fsel_count;		/* FUNCSEL values with a function: 0..count-1 = ALTn */
	uint8_t fsel_sys_rio;		/* FUNCSEL of software GPIO (SYS_RIO) */
	uint8_t fsel_null;		/* FUNCSEL "no function" */
	uint32_t pad_pde, pad_pue, pad_ie, pad_od;	/* pad register bits */
	const uint16_t *alt_valid;	/* per line: bit n = ALTn has a function */
	uint16_t nalt_valid;		/* entries in alt_valid */
};

/*
 * RP1's PWM blocks (four channels each, src/soc_rp1_pwm.c) and the clock
 * generator driving each block (clk_pwm0 / clk_pwm1 in RP1's CLOCKS_MAIN).
 */
struct fgpio_rp1_pwm_regs {
	uint32_t global_ctrl;		/* GLOBAL_CTRL: channel n's enable is bit n */
	uint32_t set_update;		/* GLOBAL_CTRL bit latching the channels' settings */
	uint32_t chan_ctrl, chan_range, chan_duty;	/* channel 0's CTRL, RANGE, DUTY */
	uint32_t chan_stride;		/* bytes between two channels' registers */
	uint32_t ctrl_mode_mask;	/* CTRL.MODE */
	uint32_t ctrl_mode_ms;		/* MODE value: trailing-edge mark-space */
	uint32_t ctrl_invert;		/* CTRL bit inverting the output */
	uint32_t ctrl_fifo_pop_mask;	/* CTRL bit the drivers always set */
	uint32_t range_extra;		/* ticks a period has beyond RANGE */
	uint32_t ticks_min;		/* shortest period in ticks */
	uint32_t clk_ctrl, clk_div_int, clk_div_frac;	/* the PWM clock's registers (per block) */
	uint32_t clk_enable;		/* CTRL.ENABLE */
	uint32_t clk_auxsrc_mask;	/* CTRL.AUXSRC */
	uint8_t clk_auxsrc_shift;
	uint8_t clk_auxsrc_xosc;	/* AUXSRC value of the crystal oscillator */
	uint8_t clk_frac_shift;		/* DIV_FRAC: the 16-bit fraction's position */
	uint32_t div_min, div_max;	/* integer divisors used (DIV_INT 0 would mean 65536) */
	const char *const *src_names;	/* AUXSRC value -> name (32 entries) */
};

#endif /* FASTGPIO_BOARDS_FAMILY_RP1_H */
