/* SPDX-License-Identifier: MIT */
/*
 * boards/soc.h - descriptor types that the per-SoC register tables fill in.
 *
 * Data only: this header depends on nothing but <stdint.h>. Each register
 * family's own types (register layout, encodings) are in
 * boards/family_<family>.h, beside the tables of its SoCs; a boards/<soc>.h
 * includes this header and its family's. The generic code in src/
 * reads these descriptors; the family code (src/soc_<family>.c) reads the
 * family-specific register layouts.
 */
#ifndef FASTGPIO_BOARDS_SOC_H
#define FASTGPIO_BOARDS_SOC_H

#include <stdint.h>

/*
 * A register family (SoCs sharing one programming model) is the code in
 * src/soc_<family>.c behind its operations; a descriptor points at them, so
 * adding a SoC of a known family is a table, and a family one file.
 */
struct fgpio_family_ops;
extern const struct fgpio_family_ops fgpio_bcm2835_ops;	/* BCM2835/6/7, BCM2711 */
extern const struct fgpio_family_ops fgpio_am335x_ops;
extern const struct fgpio_family_ops fgpio_rk3288_ops;
extern const struct fgpio_family_ops fgpio_rp1_ops;

/* fgpio_soc.flags (the same values as the public FGPIO_SOC_* of fastgpio.h) */
#define FGPIO_SOC_FLAG_RASPBERRY_PI 0x1u	/* used on Raspberry Pi boards (header, RPi.GPIO rules) */
#define FGPIO_SOC_FLAG_POSTED_WRITES 0x2u	/* stores may be posted: read back before a timestamp */

/* fgpio_soc_block.flags */
#define FGPIO_BLOCK_RANGES  0x1u	/* phys is an offset from the peripheral base found in soc/ranges */
#define FGPIO_BLOCK_GPIOMEM 0x2u	/* reachable through the SoC's gpiomem device at gpiomem_offset */
#define FGPIO_BLOCK_OPTIONAL 0x4u	/* the chip still opens when this block cannot be mapped */

/* A physically contiguous register block the chip maps. */
struct fgpio_soc_block {
	const char *name;		/* "gpio", "cm_per", "grf", ... */
	uint64_t phys;			/* CPU physical address (or offset, FGPIO_BLOCK_RANGES) */
	uint32_t size;			/* bytes mapped; a multiple of 4096 */
	uint32_t gpiomem_offset;	/* offset inside the gpiomem window (FGPIO_BLOCK_GPIOMEM) */
	uint32_t flags;
};

/* A bank: up to 32 lines sharing data registers. */
struct fgpio_soc_bank {
	uint16_t first_line;		/* global number of bit 0 */
	uint8_t nlines;			/* lines in the bank (bit 0 .. nlines-1) */
	uint8_t block;			/* index of the block holding its data registers */
};

/* How SoC-style line names are spelled (besides plain numbers). */
enum fgpio_name_style {
	FGPIO_NAMES_FLAT = 0,		/* "GPIO17" = line 17 */
	FGPIO_NAMES_BANK_BIT,		/* "GPIO1_28" = bank 1, bit 28 */
	FGPIO_NAMES_BANK_PORT		/* "GPIO5_B0" = bank 5, bit 8*('B'-'A')+0 */
};

/* Header pin line values besides a line number. */
#define FGPIO_PIN_POWER (-1)		/* power or ground */
#define FGPIO_PIN_NC (-2)		/* not connected / reserved */

/* A board: its header names. Lines are global line numbers or FGPIO_PIN_*. */
struct fgpio_board_desc {
	const char *name;		/* "Raspberry Pi 4 Model B" */
	const char *const *compatibles;	/* root compatibles selecting it, NULL-terminated; NULL = default */
	const char *const *labels;	/* "BOARD11", "P9_12", ... */
	const int16_t *lines;
	unsigned npins;
	/*
	 * Old-style Raspberry Pi revision codes (as in /system/linux,revision with
	 * bits 24+ masked off and bit 23 clear) that select this board before any
	 * compatible does; 0-terminated; NULL = none. Tells Model B PCB rev 1 from
	 * rev 2, which share a root compatible in the Raspberry Pi kernel.
	 */
	const uint32_t *revisions;
};

/* A line's hardware PWM output: its block, channel, and the ALT function muxing the line to it. */
struct fgpio_pwm_pin {
	uint16_t line;
	uint8_t block;			/* index into fgpio_pwm_desc.blocks */
	uint8_t channel;		/* channel of that block */
	uint8_t alt;			/* the ALT function number n (FGPIO_FUNC_ALT0 + n) */
};

/*
 * A SoC's PWM blocks. They are mapped through /dev/mem only when a PWM
 * call first needs them (FGPIO_BLOCK_RANGES as the GPIO blocks), never
 * through gpiomem.
 */
struct fgpio_pwm_desc {
	const char *driver;		/* the kernel driver binding these blocks ("bcm2835-pwm") */
	const struct fgpio_soc_block *blocks;	/* the PWM blocks, then the clock block */
	uint8_t npwm;			/* PWM blocks: blocks[0 .. npwm-1] */
	uint8_t nblocks;		/* npwm + the clock block(s) */
	uint8_t nchannels;		/* channels per PWM block */
	/* Per PWM block: its device-tree node below the tree root ("soc/pwm@7e20c000"). */
	const char *const *dt_nodes;
	const struct fgpio_pwm_pin *pins;
	unsigned npins;
	uint32_t clock_hz;		/* rate of the clock source the family's code uses */
	const void *regs;		/* the family's PWM layout (struct fgpio_<family>_pwm_regs) */
};

/* One SoC table. */
struct fgpio_soc {
	const char *name;		/* "bcm2711" */
	const char *description;	/* "Broadcom BCM2711 (Raspberry Pi 4)" */
	const char *const *compatibles;	/* root compatibles, NULL-terminated */
	const struct fgpio_family_ops *ops;	/* its family's register code */
	uint32_t flags;			/* FGPIO_SOC_FLAG_* */
	/* Label of the kernel's gpio_chip holding every line, offsets = line
	   numbers; NULL when each bank is a chip of its own (bank_chip_label). */
	const char *gpiochip_label;
	/* Per-bank chips: the label of bank {bank} (lines {first}..{last}). */
	const char *bank_chip_label;
	const char *bench_line;		/* the line `fastgpio bench` toggles by default, or NULL */
	uint8_t name_style;		/* enum fgpio_name_style */
	uint16_t nlines;
	uint64_t ranges_bus;		/* FGPIO_BLOCK_RANGES: bus address translated by soc/ranges */
	uint64_t default_base;		/* FGPIO_BLOCK_RANGES: base when ranges are missing */
	uint64_t alt_base;		/* FGPIO_BLOCK_RANGES: another base a device tree may give (0: none) */
	const char *gpiomem_path;	/* "/dev/gpiomem", or NULL */
	const struct fgpio_soc_block *blocks;
	unsigned nblocks;
	const struct fgpio_soc_bank *banks;
	unsigned nbanks;
	const void *regs;		/* struct fgpio_<family>_regs */
	const struct fgpio_board_desc *boards;	/* first entry with compatibles NULL is the default */
	unsigned nboards;
	const struct fgpio_pwm_desc *pwm;	/* hardware PWM; NULL: none supported */
	/* pwm NULL: what the SoC has, and the route that works today (the message of ENOTSUP);
	   pwm set: what of it fastgpio leaves out (added to the ENOTSUP of such a line). */
	const char *pwm_unsupported;
};

#define FGPIO_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* FASTGPIO_BOARDS_SOC_H */
