/* SPDX-License-Identifier: MIT */
/*
 * boards/am335x.h - TI AM335x (BeagleBone Black, BeagleBone, BeagleBone Green).
 *
 * Data only. Sources (cited below by the tag in brackets):
 *  [GPIOH]  Linux include/linux/platform_data/gpio-omap.h (torvalds/linux blob at
 *           commit 18bd49c4): OMAP4_GPIO_* register offsets (the AM335x GPIO module
 *           is the OMAP4 one: compatible "ti,omap4-gpio" in [DTSI]).
 *  [GPIOC]  Linux drivers/gpio/gpio-omap.c (torvalds/linux 00ece7e4): GPIO_MOD_CTRL_BIT
 *           BIT(0) ("Module is disabled, clocks are gated"), _set_gpio_direction()
 *           (OE bit set = input), _set_gpio_dataout_reg() (set/clear registers),
 *           gpio_get() (DATAIN for inputs, DATAOUT for outputs); current kernels
 *           (omap_gpio_get(), omap_gpio_get_multiple()) read the same way.
 *  [DTSI]   Linux arch/arm/boot/dts/am33xx.dtsi (torvalds/linux 002e1ec5): gpio0..3
 *           reg = <base 0x1000>, pinmux@44e10800 (pinctrl-single, size 0x238,
 *           function-mask 0x7f), root compatible "ti,am33xx".
 *  [CMH]    Linux arch/arm/mach-omap2/cm33xx.h (torvalds/linux 021b6ff0):
 *           AM33XX_CM_BASE 0x44e00000, CM_PER_MOD 0x0000, CM_WKUP_MOD 0x0400,
 *           CM_PER_GPIO1/2/3_CLKCTRL 0xac/0xb0/0xb4, CM_WKUP_GPIO0_CLKCTRL 0x08.
 *  [AM3H]   Linux include/dt-bindings/clock/am3.h (torvalds/linux 2cc2c3cb), same
 *           offsets in TI's 1-based naming: AM3_L4LS_GPIO2/3/4_CLKCTRL 0xac/0xb0/0xb4,
 *           AM3_L4_WKUP_GPIO1_CLKCTRL 0x8 (cross-check of [CMH]).
 *  [CMB]    Linux arch/arm/mach-omap2/cm-regbits-33xx.h (torvalds/linux 0588000e):
 *           MODULEMODE (0x3 << 0), IDLEST (0x3 << 16), OPTFCLKEN_GPIO*_GDBCLK (1 << 18).
 *  [CLKC]   Linux drivers/clk/ti/clkctrl.c (torvalds/linux 0ad902f6): MODULEMODE_SWCTRL
 *           0x2, CLKCTRL_IDLEST_FUNCTIONAL 0x0 / INTERFACE_IDLE 0x2 / DISABLED 0x3,
 *           "ready" = FUNCTIONAL or INTERFACE_IDLE, OMAP4_MAX_MODULE_READY_TIME 2000 us.
 *  [PINH]   Linux include/dt-bindings/pinctrl/am33xx.h (blob 17877e85980b) and omap.h:
 *           AM335X_PIN_* conf offsets from the control module base, PULL_DISABLE
 *           (1 << 3), PULL_UP (1 << 4), INPUT_EN (1 << 5), MUX_MODE0..7 (bits 2:0),
 *           AM33XX_PADCONF(pa, ...) = pa - 0x800 relative to pinmux@44e10800.
 *  [BBB]    Linux arch/arm/boot/dts/ti/omap/am335x-boneblack.dts (torvalds/linux
 *           a3a4be32): gpio-line-names of gpio0..3 naming the P8/P9 pin of each line,
 *           compatible "ti,am335x-bone-black", "ti,am335x-bone", "ti,am33xx".
 *  [BBIO]   adafruit/adafruit-beaglebone-io-python source/common.c (004530a9): pin
 *           table key -> gpio number (cross-check of [BBB]; its choice for P9_41/42).
 *  [BONEJS] jadonk/bonescript src/bone.js (034e55e3): per header pin "muxRegOffset"
 *           (offset from 0x44e10800) and mux mode names (cross-check of [PINH]).
 *
 * Not verified on hardware (no AM335x emulator exists); register-level tests only.
 */
#ifndef FASTGPIO_BOARDS_AM335X_H
#define FASTGPIO_BOARDS_AM335X_H

#include "soc.h"
#include "family_am335x.h"

static const char *const fgpio_am335x_compatibles[] = {
	"ti,am33xx",		/* [DTSI] root compatible */
	NULL,
};

/* Block indices (order of fgpio_am335x_blocks). */
#define FGPIO_AM335X_BLK_GPIO0 0
#define FGPIO_AM335X_BLK_GPIO1 1
#define FGPIO_AM335X_BLK_GPIO2 2
#define FGPIO_AM335X_BLK_GPIO3 3
#define FGPIO_AM335X_BLK_CM 4
#define FGPIO_AM335X_BLK_CONTROL 5

/* No gpiomem device exists for this SoC: no block is FGPIO_BLOCK_GPIOMEM. */
static const struct fgpio_soc_block fgpio_am335x_blocks[] = {
	/* [DTSI] gpio0: gpio@44e07000, reg = <0x44e07000 0x1000> (L4_WKUP) */
	{ "gpio0", 0x44E07000u, 0x1000u, 0, 0 },
	/* [DTSI] gpio1: gpio@4804c000, reg = <0x4804c000 0x1000> (L4_PER) */
	{ "gpio1", 0x4804C000u, 0x1000u, 0, 0 },
	/* [DTSI] gpio2: gpio@481ac000 */
	{ "gpio2", 0x481AC000u, 0x1000u, 0, 0 },
	/* [DTSI] gpio3: gpio@481ae000 */
	{ "gpio3", 0x481AE000u, 0x1000u, 0, 0 },
	/*
	 * [CMH] AM33XX_CM_BASE 0x44e00000: CM_PER at +0x000, CM_WKUP at +0x400; one page
	 * holds all four GPIO CLKCTRL registers. Optional: without it the clock state of
	 * the banks is unknown and every bank is treated as unusable (EIO, never SIGBUS).
	 */
	{ "cm", 0x44E00000u, 0x1000u, 0, FGPIO_BLOCK_OPTIONAL },
	/*
	 * Control module 0x44e10000 ([DTSI] pinmux@44e10800 is its pad conf area,
	 * conf offsets 0x800..0xa34 [PINH]). Read only (mux/pull reporting); optional.
	 */
	{ "control", 0x44E10000u, 0x2000u, 0, FGPIO_BLOCK_OPTIONAL },
};

/* line = 32 * bank + bit ([BBB] gpio-line-names list 32 names per bank). */
static const struct fgpio_soc_bank fgpio_am335x_banks[] = {
	{ 0, 32, FGPIO_AM335X_BLK_GPIO0 },
	{ 32, 32, FGPIO_AM335X_BLK_GPIO1 },
	{ 64, 32, FGPIO_AM335X_BLK_GPIO2 },
	{ 96, 32, FGPIO_AM335X_BLK_GPIO3 },
};

/*
 * Pad conf offset (from the control module base 0x44e10000) of each line whose
 * ball is known, in mux mode 7 (gpioN_M). Offsets are [PINH] AM335X_PIN_<pad>;
 * the pad <-> line pairing is [BONEJS] (muxRegOffset + 0x800, mode-7 name
 * "gpioN_M") unless noted. 0 = pad not recorded here (get_func falls back to OE,
 * get_pull reports ENOTSUP).
 */
static const uint16_t fgpio_am335x_pad_offset[128] = {
	[2] = 0x950,	/* gpio0_2  spi0_sclk        P9_22 */
	[3] = 0x954,	/* gpio0_3  spi0_d0          P9_21 */
	[4] = 0x958,	/* gpio0_4  spi0_d1          P9_18 */
	[5] = 0x95c,	/* gpio0_5  spi0_cs0         P9_17 */
	[7] = 0x964,	/* gpio0_7  ecap0_in_pwm0_out P9_42 */
	[8] = 0x8d0,	/* gpio0_8  lcd_data12       P8_35 */
	[9] = 0x8d4,	/* gpio0_9  lcd_data13       P8_33 */
	[10] = 0x8d8,	/* gpio0_10 lcd_data14       P8_31 */
	[11] = 0x8dc,	/* gpio0_11 lcd_data15       P8_32 */
	[12] = 0x978,	/* gpio0_12 uart1_ctsn       P9_20 */
	[13] = 0x97c,	/* gpio0_13 uart1_rtsn       P9_19 */
	[14] = 0x980,	/* gpio0_14 uart1_rxd        P9_26 */
	[15] = 0x984,	/* gpio0_15 uart1_txd        P9_24 */
	[19] = 0x9b0,	/* gpio0_19 xdma_event_intr0 (not on P8/P9) */
	[20] = 0x9b4,	/* gpio0_20 xdma_event_intr1 P9_41 (ball D14) */
	[22] = 0x820,	/* gpio0_22 gpmc_ad8         P8_19 */
	[23] = 0x824,	/* gpio0_23 gpmc_ad9         P8_13 */
	[26] = 0x828,	/* gpio0_26 gpmc_ad10        P8_14 */
	[27] = 0x82c,	/* gpio0_27 gpmc_ad11        P8_17 */
	[30] = 0x870,	/* gpio0_30 gpmc_wait0       P9_11 */
	[31] = 0x874,	/* gpio0_31 gpmc_wpn         P9_13 */
	[32] = 0x800,	/* gpio1_0  gpmc_ad0         P8_25 */
	[33] = 0x804,	/* gpio1_1  gpmc_ad1         P8_24 */
	[34] = 0x808,	/* gpio1_2  gpmc_ad2         P8_5 */
	[35] = 0x80c,	/* gpio1_3  gpmc_ad3         P8_6 */
	[36] = 0x810,	/* gpio1_4  gpmc_ad4         P8_23 */
	[37] = 0x814,	/* gpio1_5  gpmc_ad5         P8_22 */
	[38] = 0x818,	/* gpio1_6  gpmc_ad6         P8_3 */
	[39] = 0x81c,	/* gpio1_7  gpmc_ad7         P8_4 */
	[44] = 0x830,	/* gpio1_12 gpmc_ad12        P8_12 */
	[45] = 0x834,	/* gpio1_13 gpmc_ad13        P8_11 */
	[46] = 0x838,	/* gpio1_14 gpmc_ad14        P8_16 */
	[47] = 0x83c,	/* gpio1_15 gpmc_ad15        P8_15 */
	[48] = 0x840,	/* gpio1_16 gpmc_a0          P9_15 ([BONEJS] "mux" says mii1_rxd3: a typo,
			   its offset 0x040 and options list are gpmc_a0's) */
	[49] = 0x844,	/* gpio1_17 gpmc_a1          P9_23 */
	[50] = 0x848,	/* gpio1_18 gpmc_a2          P9_14 */
	[51] = 0x84c,	/* gpio1_19 gpmc_a3          P9_16 */
	[53] = 0x854,	/* gpio1_21 gpmc_a5          USR0 LED */
	[54] = 0x858,	/* gpio1_22 gpmc_a6          USR1 LED */
	[55] = 0x85c,	/* gpio1_23 gpmc_a7          USR2 LED */
	[56] = 0x860,	/* gpio1_24 gpmc_a8          USR3 LED */
	[60] = 0x878,	/* gpio1_28 gpmc_ben1        P9_12 */
	[61] = 0x87c,	/* gpio1_29 gpmc_csn0        P8_26 */
	[62] = 0x880,	/* gpio1_30 gpmc_csn1        P8_21 */
	[63] = 0x884,	/* gpio1_31 gpmc_csn2        P8_20 */
	[64] = 0x888,	/* gpio2_0  gpmc_csn3        second ball of P9_15 ([BBB] "P9_15B") */
	[65] = 0x88c,	/* gpio2_1  gpmc_clk         P8_18 */
	[66] = 0x890,	/* gpio2_2  gpmc_advn_ale    P8_7 */
	[67] = 0x894,	/* gpio2_3  gpmc_oen_ren     P8_8 */
	[68] = 0x898,	/* gpio2_4  gpmc_wen         P8_10 */
	[69] = 0x89c,	/* gpio2_5  gpmc_ben0_cle    P8_9 */
	[70] = 0x8a0,	/* gpio2_6  lcd_data0        P8_45 */
	[71] = 0x8a4,	/* gpio2_7  lcd_data1        P8_46 */
	[72] = 0x8a8,	/* gpio2_8  lcd_data2        P8_43 */
	[73] = 0x8ac,	/* gpio2_9  lcd_data3        P8_44 */
	[74] = 0x8b0,	/* gpio2_10 lcd_data4        P8_41 */
	[75] = 0x8b4,	/* gpio2_11 lcd_data5        P8_42 */
	[76] = 0x8b8,	/* gpio2_12 lcd_data6        P8_39 */
	[77] = 0x8bc,	/* gpio2_13 lcd_data7        P8_40 */
	[78] = 0x8c0,	/* gpio2_14 lcd_data8        P8_37 */
	[79] = 0x8c4,	/* gpio2_15 lcd_data9        P8_38 */
	[80] = 0x8c8,	/* gpio2_16 lcd_data10       P8_36 */
	[81] = 0x8cc,	/* gpio2_17 lcd_data11       P8_34 */
	[86] = 0x8e0,	/* gpio2_22 lcd_vsync        P8_27 */
	[87] = 0x8e4,	/* gpio2_23 lcd_hsync        P8_29 */
	[88] = 0x8e8,	/* gpio2_24 lcd_pclk         P8_28 */
	[89] = 0x8ec,	/* gpio2_25 lcd_ac_bias_en   P8_30 */
	[110] = 0x990,	/* gpio3_14 mcasp0_aclkx     P9_31 */
	[111] = 0x994,	/* gpio3_15 mcasp0_fsx       P9_29 */
	[112] = 0x998,	/* gpio3_16 mcasp0_axr0      P9_30 */
	[113] = 0x99c,	/* gpio3_17 mcasp0_ahclkr    P9_28 */
	/*
	 * gpio3_18 = mcasp0_aclkr: second ball of P9_42 ([BBB] "P9_42B"). Not in [BONEJS];
	 * inferred from the pad order: gpio3_14..21 <-> 0x990..0x9ac with every other
	 * entry of that run confirmed by [BONEJS].
	 */
	[114] = 0x9a0,
	[115] = 0x9a4,	/* gpio3_19 mcasp0_fsr       P9_27 */
	[116] = 0x9a8,	/* gpio3_20 mcasp0_axr1      second ball of P9_41 ([BBB] "P9_41A", ball D13) */
	[117] = 0x9ac,	/* gpio3_21 mcasp0_ahclkx    P9_25 */
};

static const struct fgpio_am335x_regs fgpio_am335x_regs = {
	.ctrl = 0x130,			/* [GPIOH] OMAP4_GPIO_CTRL */
	.oe = 0x134,			/* [GPIOH] OMAP4_GPIO_OE; [GPIOC] bit set = input */
	.datain = 0x138,		/* [GPIOH] OMAP4_GPIO_DATAIN: level of inputs [GPIOC] */
	.dataout = 0x13c,		/* [GPIOH] OMAP4_GPIO_DATAOUT: level of outputs [GPIOC] */
	.cleardataout = 0x190,		/* [GPIOH] OMAP4_GPIO_CLEARDATAOUT */
	.setdataout = 0x194,		/* [GPIOH] OMAP4_GPIO_SETDATAOUT */
	.ctrl_disablemodule = 1u << 0,	/* [GPIOC] GPIO_MOD_CTRL_BIT */

	.clk_block = FGPIO_AM335X_BLK_CM,
	.clkctrl = {
		0x400 + 0x08,		/* [CMH] CM_WKUP_MOD + CM_WKUP_GPIO0_CLKCTRL = 0x44e00408 */
		0x000 + 0xac,		/* [CMH] CM_PER_GPIO1_CLKCTRL = 0x44e000ac ([AM3H] GPIO2) */
		0x000 + 0xb0,		/* [CMH] CM_PER_GPIO2_CLKCTRL = 0x44e000b0 ([AM3H] GPIO3) */
		0x000 + 0xb4,		/* [CMH] CM_PER_GPIO3_CLKCTRL = 0x44e000b4 ([AM3H] GPIO4) */
	},
	.clk_modulemode_mask = 0x3u,	/* [CMB] AM33XX_MODULEMODE_MASK (0x3 << 0) */
	.clk_modulemode_enable = 0x2u,	/* [CLKC] MODULEMODE_SWCTRL */
	.clk_idlest_mask = 0x3u << 16,	/* [CMB] AM33XX_IDLEST_MASK */
	.clk_idlest_shift = 16,		/* [CMB] AM33XX_IDLEST_SHIFT */
	.clk_idlest_functional = 0x0,	/* [CLKC] CLKCTRL_IDLEST_FUNCTIONAL */
	.clk_idlest_interface_idle = 0x2, /* [CLKC] CLKCTRL_IDLEST_INTERFACE_IDLE (counted ready) */
	.clk_optfclken = 1u << 18,	/* [CMB] OPTFCLKEN_GPIO*_GDBCLK (debounce clock, untouched) */
	/*
	 * One source each: the timeout rests on [CLKC]'s OMAP4_MAX_MODULE_READY_TIME
	 * alone (not cross-checked); the poll step is our choice, from no source.
	 */
	.clk_ready_timeout_us = 2000,	/* [CLKC] OMAP4_MAX_MODULE_READY_TIME */
	.clk_poll_us = 10,		/* our choice: 200 polls at most */

	.pad_block = FGPIO_AM335X_BLK_CONTROL,
	.pad_mux_mask = 0x7u,		/* [PINH] MUX_MODE0..MUX_MODE7 */
	.pad_mux_gpio = 7,		/* [PINH] MUX_MODE7; [BONEJS] options[7] = "gpioN_M" */
	.pad_pull_disable = 1u << 3,	/* [PINH] am33xx.h PULL_DISABLE */
	.pad_pull_up = 1u << 4,		/* [PINH] omap.h PULL_UP (kept by am33xx.h) */
	.pad_rx_active = 1u << 5,	/* [PINH] am33xx.h INPUT_EN (RXACTIVE): DATAIN follows the pin
					   only while it is set */
	.pad_offset = fgpio_am335x_pad_offset,
	.npads = 128,
};

/*
 * BeagleBone Black header map. Lines: [BBB] gpio-line-names (bank/bit of each
 * "P8_n"/"P9_n" name), cross-checked against [BBIO] (identical for every pin).
 * Power, ground and the ADC pins (VDD_ADC, GNDA_ADC, AIN0-6) are FGPIO_PIN_POWER;
 * PWR_BUT (P9_9) and SYS_RESETn (P9_10) are FGPIO_PIN_NC (not GPIOs) [BBIO].
 *
 * Doubly wired pins: P9_41 connects balls D14 (gpio0_20, xdma_event_intr1) and D13
 * (gpio3_20 = line 116, mcasp0_axr1); P9_42 connects gpio0_7 (ecap0_in_pwm0_out)
 * and gpio3_18 (= line 114, mcasp0_aclkr) [BBB "P9_41A/B", "P9_42A/B"]. The map
 * uses 20 and 7 like [BBIO]; the other ball's line can be driven by number (keep
 * one of the two an input: both drive the same wire). Likewise P9_15 is gpio1_16
 * (48) with gpio2_0 (64) named "P9_15B" in [BBB]. P8_24 (gpio1_1) is labelled only
 * "[mmc1_dat1]" in [BBB] but is P8_24 in [BBIO] and [BONEJS].
 */
static const char *const fgpio_am335x_bbb_labels[] = {
	"P8_1", "P8_2", "P8_3", "P8_4", "P8_5", "P8_6", "P8_7", "P8_8", "P8_9", "P8_10",
	"P8_11", "P8_12", "P8_13", "P8_14", "P8_15", "P8_16", "P8_17", "P8_18", "P8_19", "P8_20",
	"P8_21", "P8_22", "P8_23", "P8_24", "P8_25", "P8_26", "P8_27", "P8_28", "P8_29", "P8_30",
	"P8_31", "P8_32", "P8_33", "P8_34", "P8_35", "P8_36", "P8_37", "P8_38", "P8_39", "P8_40",
	"P8_41", "P8_42", "P8_43", "P8_44", "P8_45", "P8_46",
	"P9_1", "P9_2", "P9_3", "P9_4", "P9_5", "P9_6", "P9_7", "P9_8", "P9_9", "P9_10",
	"P9_11", "P9_12", "P9_13", "P9_14", "P9_15", "P9_16", "P9_17", "P9_18", "P9_19", "P9_20",
	"P9_21", "P9_22", "P9_23", "P9_24", "P9_25", "P9_26", "P9_27", "P9_28", "P9_29", "P9_30",
	"P9_31", "P9_32", "P9_33", "P9_34", "P9_35", "P9_36", "P9_37", "P9_38", "P9_39", "P9_40",
	"P9_41", "P9_42", "P9_43", "P9_44", "P9_45", "P9_46",
};

#define FGPIO_AM335X_PWR FGPIO_PIN_POWER
#define FGPIO_AM335X_NC FGPIO_PIN_NC

static const int16_t fgpio_am335x_bbb_lines[] = {
	/* P8_1..P8_10: DGND, DGND, gpio1_6, gpio1_7, gpio1_2, gpio1_3, gpio2_2, gpio2_3, gpio2_5, gpio2_4 */
	FGPIO_AM335X_PWR, FGPIO_AM335X_PWR, 38, 39, 34, 35, 66, 67, 69, 68,
	/* P8_11..P8_20: gpio1_13, gpio1_12, gpio0_23, gpio0_26, gpio1_15, gpio1_14, gpio0_27,
	   gpio2_1, gpio0_22, gpio1_31 */
	45, 44, 23, 26, 47, 46, 27, 65, 22, 63,
	/* P8_21..P8_30: gpio1_30, gpio1_5, gpio1_4, gpio1_1, gpio1_0, gpio1_29, gpio2_22,
	   gpio2_24, gpio2_23, gpio2_25 */
	62, 37, 36, 33, 32, 61, 86, 88, 87, 89,
	/* P8_31..P8_40: gpio0_10, gpio0_11, gpio0_9, gpio2_17, gpio0_8, gpio2_16, gpio2_14,
	   gpio2_15, gpio2_12, gpio2_13 */
	10, 11, 9, 81, 8, 80, 78, 79, 76, 77,
	/* P8_41..P8_46: gpio2_10, gpio2_11, gpio2_8, gpio2_9, gpio2_6, gpio2_7 */
	74, 75, 72, 73, 70, 71,
	/* P9_1..P9_10: DGND x2, VDD_3V3 x2, VDD_5V x2, SYS_5V x2, PWR_BUT, SYS_RESETn */
	FGPIO_AM335X_PWR, FGPIO_AM335X_PWR, FGPIO_AM335X_PWR, FGPIO_AM335X_PWR,
	FGPIO_AM335X_PWR, FGPIO_AM335X_PWR, FGPIO_AM335X_PWR, FGPIO_AM335X_PWR,
	FGPIO_AM335X_NC, FGPIO_AM335X_NC,
	/* P9_11..P9_20: gpio0_30, gpio1_28, gpio0_31, gpio1_18, gpio1_16, gpio1_19, gpio0_5,
	   gpio0_4, gpio0_13, gpio0_12 */
	30, 60, 31, 50, 48, 51, 5, 4, 13, 12,
	/* P9_21..P9_31: gpio0_3, gpio0_2, gpio1_17, gpio0_15, gpio3_21, gpio0_14, gpio3_19,
	   gpio3_17, gpio3_15, gpio3_16, gpio3_14 */
	3, 2, 49, 15, 117, 14, 115, 113, 111, 112, 110,
	/* P9_32..P9_40: VDD_ADC, AIN4, GNDA_ADC, AIN6, AIN5, AIN2, AIN3, AIN0, AIN1 */
	FGPIO_AM335X_PWR, FGPIO_AM335X_PWR, FGPIO_AM335X_PWR, FGPIO_AM335X_PWR,
	FGPIO_AM335X_PWR, FGPIO_AM335X_PWR, FGPIO_AM335X_PWR, FGPIO_AM335X_PWR,
	FGPIO_AM335X_PWR,
	/* P9_41: gpio0_20 (also gpio3_20); P9_42: gpio0_7 (also gpio3_18) */
	20, 7,
	/* P9_43..P9_46: DGND */
	FGPIO_AM335X_PWR, FGPIO_AM335X_PWR, FGPIO_AM335X_PWR, FGPIO_AM335X_PWR,
};

#undef FGPIO_AM335X_PWR
#undef FGPIO_AM335X_NC

_Static_assert(FGPIO_ARRAY_SIZE(fgpio_am335x_bbb_labels) == 92, "P8 + P9 = 92 pins");
_Static_assert(FGPIO_ARRAY_SIZE(fgpio_am335x_bbb_lines) == FGPIO_ARRAY_SIZE(fgpio_am335x_bbb_labels),
	       "one line per label");
_Static_assert(FGPIO_ARRAY_SIZE(fgpio_am335x_banks) == FGPIO_AM335X_NBANKS, "four banks");

static const char *const fgpio_am335x_bbb_compatibles[] = {
	"ti,am335x-bone-black",		/* [BBB] */
	"ti,am335x-bone-green",		/* am335x-bonegreen.dts: "ti,am335x-bone-green",
					   "ti,am335x-bone-black", "ti,am335x-bone", "ti,am33xx" */
	"ti,am335x-bone",		/* [BBB]; am335x-bone.dts (original BeagleBone, same P8/P9) */
	/*
	 * One source only: proposed renames seen in 2023 kernel DT patch threads,
	 * not verified as merged and not cross-checked. They only pick this
	 * header map; the SoC itself is detected from "ti,am33xx".
	 */
	"beagle,am335x-bone",
	"seeed,am335x-bone-green",
	"seeed,am335x-bone-green-wireless",
	NULL,
};

static const struct fgpio_board_desc fgpio_am335x_boards[] = {
	{
		"BeagleBone Black",
		fgpio_am335x_bbb_compatibles,
		fgpio_am335x_bbb_labels,
		fgpio_am335x_bbb_lines,
		FGPIO_ARRAY_SIZE(fgpio_am335x_bbb_labels),
		0,
	},
};

static const struct fgpio_soc fgpio_soc_am335x = {
	.name = "am335x",
	.description = "TI AM335x (BeagleBone Black)",
	.compatibles = fgpio_am335x_compatibles,
	.ops = &fgpio_am335x_ops,
	/* One chip per bank: omap_gpio_chip_init() labels it "gpio-%d-%d" with
	   the bank's first and last global numbers (drivers/gpio/gpio-omap.c). */
	.bank_chip_label = "gpio-{first}-{last}",
	.bench_line = "GPIO1_28",	/* P9_12 on the BeagleBone Black */
	.name_style = FGPIO_NAMES_BANK_BIT,	/* "GPIO1_28" = 32 * 1 + 28 = 60 */
	.nlines = 128,
	.ranges_bus = 0,
	.default_base = 0,
	.gpiomem_path = NULL,			/* no /dev/gpiomem driver for AM335x */
	.blocks = fgpio_am335x_blocks,
	.nblocks = FGPIO_ARRAY_SIZE(fgpio_am335x_blocks),
	.banks = fgpio_am335x_banks,
	.nbanks = FGPIO_ARRAY_SIZE(fgpio_am335x_banks),
	.regs = &fgpio_am335x_regs,
	.boards = fgpio_am335x_boards,
	.nboards = FGPIO_ARRAY_SIZE(fgpio_am335x_boards),
	.pwm_unsupported = "AM335x: its eHRPWM modules (ePWM0-2) are not programmed by fastgpio; pin muxing needs the kernel anyway (config-pin P9_14 pwm, or a BB-PWM overlay), after which the kernel's /sys/class/pwm drives them (backend='sysfs' in Python)",
};

#endif /* FASTGPIO_BOARDS_AM335X_H */
