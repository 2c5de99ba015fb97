/* SPDX-License-Identifier: MIT */
/*
 * boards/family_rk3288.h - the register family rk3288: the layout its tables
 * fill in and its code reads. Used by Rockchip RK3288 and RK3399
 * (boards/rk3288.h, boards/rk3399.h; src/soc_rk3288.c).
 */
#ifndef FASTGPIO_BOARDS_FAMILY_RK3288_H
#define FASTGPIO_BOARDS_FAMILY_RK3288_H

#include <stdint.h>

#define FGPIO_RK3288_NBANKS 9		/* GPIO0..GPIO8 */
#define FGPIO_RK3288_NPORTS 4		/* ports A..D, 8 lines each */

/* fgpio_rk3288_port.flags (the kernel's IOMUX_* types) */
#define FGPIO_RK3288_UNROUTED 0x1u	/* no pads and no iomux register for this port */
#define FGPIO_RK3288_4BIT 0x2u		/* 4-bit mux fields: lines 0-3 at iomux, 4-7 at iomux + 4 */
#define FGPIO_RK3288_PULL_1V8 0x4u	/* pull field coded as pull_code_1v8 / pull_read_1v8 (the
					   kernel's PULL_TYPE_IO_1V8_ONLY); else pull_code */

/* fgpio_rk3288_regs.rmw_block when no block needs read-modify-write */
#define FGPIO_RK3288_NO_BLOCK 0xffu

/* fgpio_rk3288_regs.pull_read_1v8 entries: the values of enum fgpio_pull (fastgpio.h) */
#define FGPIO_RK3288_BIAS_OFF 0u
#define FGPIO_RK3288_BIAS_UP 1u
#define FGPIO_RK3288_BIAS_DOWN 2u
#define FGPIO_RK3288_BIAS_KEEPER 3u

/* Where the iomux field of an 8-line port lives. */
struct fgpio_rk3288_port {
	uint8_t flags;			/* FGPIO_RK3288_* */
	uint8_t block;			/* index of the GRF or PMU block */
	uint16_t iomux;			/* register offset in that block */
};

/*
 * A mux value that also needs a routing bit elsewhere (the kernel's
 * rk3288_mux_route_data): @val is written to @reg of @block as is (it
 * carries its own hiword write-enable bits) before the iomux field.
 */
struct fgpio_rk3288_route {
	uint8_t bank;
	uint8_t bit;			/* line in the bank */
	uint8_t mux;			/* iomux value that needs the route */
	uint8_t block;
	uint16_t reg;
	uint32_t val;
};

struct fgpio_rk3288_regs {
	uint32_t swporta_dr;		/* output data, 1 bit a line (no set/clear registers) */
	uint32_t swporta_ddr;		/* direction, 1 = output */
	uint32_t ext_porta;		/* input level */
	struct fgpio_rk3288_port port[FGPIO_RK3288_NBANKS][FGPIO_RK3288_NPORTS];
	uint8_t pull_block[FGPIO_RK3288_NBANKS];	/* GRF or PMU */
	uint16_t pull_offset[FGPIO_RK3288_NBANKS];	/* port A pull register; B..D at +4 each */
	uint8_t pull_code[4];		/* 2-bit field code for OFF, UP, DOWN, KEEPER (enum fgpio_pull order) */
	/*
	 * Ports flagged FGPIO_RK3288_PULL_1V8: the code written for OFF, UP,
	 * DOWN (KEEPER is never written), and the enum fgpio_pull each 2-bit
	 * code reads back as (two codes may mean the same bias).
	 */
	uint8_t pull_code_1v8[4];
	uint8_t pull_read_1v8[4];
	/*
	 * Block whose mux/pull registers are updated by read-modify-write with
	 * the field's write-enable bits set too (GPIO0's PMU registers); every
	 * other block gets a single hiword-masked write. FGPIO_RK3288_NO_BLOCK:
	 * every block takes hiword-masked writes.
	 */
	uint8_t rmw_block;
	uint8_t cru_block;
	/*
	 * Banks (bit b = bank b) whose clock gate lives in pmucru_block instead
	 * of cru_block (RK3399: GPIO0/1 in the PMUCRU); 0 = none.
	 */
	uint16_t pmucru_banks;
	uint8_t pmucru_block;
	uint16_t clkgate[FGPIO_RK3288_NBANKS];		/* CLKGATEn_CON holding the bank's pclk gate */
	uint8_t clkgate_bit[FGPIO_RK3288_NBANKS];	/* its bit; 1 = gated, hiword-masked */
	const struct fgpio_rk3288_route *routes;
	uint8_t nroutes;
};

#endif /* FASTGPIO_BOARDS_FAMILY_RK3288_H */
