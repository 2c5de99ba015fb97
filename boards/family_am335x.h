/* SPDX-License-Identifier: MIT */
/*
 * boards/family_am335x.h - the register family am335x: the layout its tables
 * fill in and its code reads. Used by TI AM335x (boards/am335x.h;
 * src/soc_am335x.c).
 */
#ifndef FASTGPIO_BOARDS_FAMILY_AM335X_H
#define FASTGPIO_BOARDS_FAMILY_AM335X_H

#include <stdint.h>

#define FGPIO_AM335X_NBANKS 4

/*
 * TI AM335x: four "ti,omap4-gpio" banks, each in its own 4 KiB block, each
 * with its own module clock (CLKCTRL register in the clock manager), and a
 * control module holding one pad configuration word per ball (mux mode and
 * pull; writable only from privileged mode, so this library only reads it).
 */
struct fgpio_am335x_regs {
	/* GPIO module registers (offsets inside each bank's block). */
	uint32_t ctrl;			/* GPIO_CTRL */
	uint32_t oe;			/* output enable, 1 = input */
	uint32_t datain;
	uint32_t dataout;		/* never written: outputs go through set/clear */
	uint32_t cleardataout;
	uint32_t setdataout;
	uint32_t ctrl_disablemodule;	/* GPIO_CTRL bit: 1 = module disabled, clocks gated */

	/* Module clocks (CM_PER / CM_WKUP CLKCTRL registers). */
	uint8_t clk_block;			/* block of the clock manager */
	uint32_t clkctrl[FGPIO_AM335X_NBANKS];	/* per bank: CLKCTRL offset inside clk_block */
	uint32_t clk_modulemode_mask;		/* MODULEMODE field */
	uint32_t clk_modulemode_enable;		/* MODULEMODE value: enabled by software */
	uint32_t clk_idlest_mask;		/* IDLEST field */
	uint8_t clk_idlest_shift;
	uint8_t clk_idlest_functional;		/* IDLEST: fully functional */
	uint8_t clk_idlest_interface_idle;	/* IDLEST: interface idle (still accessible) */
	uint32_t clk_optfclken;			/* optional debounce clock bit (never changed) */
	uint16_t clk_ready_timeout_us;		/* bounded wait for IDLEST after enabling */
	uint16_t clk_poll_us;			/* poll step of that wait */

	/* Pad configuration (control module). */
	uint8_t pad_block;			/* block of the control module */
	uint32_t pad_mux_mask;			/* MUXMODE field (bits 2:0) */
	uint8_t pad_mux_gpio;			/* MUXMODE value selecting gpioN_M */
	uint32_t pad_pull_disable;		/* PULLUDEN: 1 = pull disabled */
	uint32_t pad_pull_up;			/* PULLTYPESEL: 1 = pull-up, 0 = pull-down */
	uint32_t pad_rx_active;			/* RXACTIVE: input receiver enabled */
	const uint16_t *pad_offset;	/* per line: conf_<pad> offset in the control module; 0 = unknown */
	uint16_t npads;			/* entries in pad_offset */
};

#endif /* FASTGPIO_BOARDS_FAMILY_AM335X_H */
