/* SPDX-License-Identifier: MIT */
/*
 * boards/rk3399.h - Rockchip RK3399 (Radxa Rock Pi 4, FriendlyElec NanoPi M4,
 * Pine64 Pinebook Pro).
 *
 * Same GPIO controller and programming model as the RK3288 (family code
 * src/soc_rk3288.c, struct fgpio_rk3288_regs); its own iomux/pull layout in
 * the GRF and PMUGRF, its own pull codes on the 1.8 V-only ports, and bank
 * clocks gated in two clock units (PMUCRU for GPIO0/1, CRU for GPIO2..4).
 *
 * Sources (torvalds/linux unless noted; commit = the stored version read):
 *  [DTSI]  arch/arm64/boot/dts/rockchip/rk3399.dtsi @00ed905a: root
 *          compatible, node addresses (gpio0..4, grf, pmugrf, cru, pmucru),
 *          each bank's clocks property, pin groups (cross-check of [MRAA]).
 *  [PINC]  drivers/pinctrl/pinctrl-rockchip.c @0045028f: rk3399_pin_banks,
 *          rk3399_pin_ctrl (grf_mux_offset 0xe000, pmu_mux_offset 0x0),
 *          rockchip_pinctrl_get_soc_data() (iomux offset walk, pin_base),
 *          rockchip_get_mux()/rockchip_set_mux(), rk3399_calc_pull_reg_and_bit(),
 *          rockchip_pull_list[], rockchip_get_pull()/rockchip_set_pull(),
 *          rk3399_mux_route_data[].
 *  [PINH]  drivers/pinctrl/pinctrl-rockchip.h @0e5d8cf3: enum
 *          rockchip_pin_pull_type (PULL_TYPE_IO_DEFAULT = 0, _1V8_ONLY = 1,
 *          the row of rockchip_pull_list[]).
 *  [UPIN]  u-boot/u-boot drivers/pinctrl/rockchip/pinctrl-rk3399.c @1d1f98c8:
 *          the same bank table, pull offsets and routes; rk3399_set_mux() and
 *          rk3399_set_pull() write PMUGRF and GRF alike with one
 *          hiword-masked regmap_write (no read-modify-write).
 *  [GPIO]  drivers/gpio/gpio-rockchip.c @083b5eee: gpio_regs_v1 (banks whose
 *          version register does not read GPIO_TYPE_V2/V2_1, as the RK3399's).
 *  [CLK]   drivers/clk/rockchip/clk-rk3399.c @000590a5 (pclk_gpio0..4 gates,
 *          GFLAGS) and drivers/clk/rockchip/clk.h @00fed375
 *          (RK3399_CLKGATE_CON(x) = x*4 + 0x300,
 *           RK3399_PMU_CLKGATE_CON(x) = x*4 + 0x100).
 *  [MRAA]  eclipse/mraa src/arm/rockpi4.c @13c7c1c2 (Vamrs, Radxa's maker of
 *          the Rock Pi 4): 40-pin header, sysfs numbers.
 *  [BDTS]  rk3399-rock-pi-4a.dts @34eb16de, rk3399-rock-pi-4b.dts @320424c7,
 *          rk3399-rock-pi-4c.dts @34eb16de, rk3399-nanopi-m4.dts @1a6e7411,
 *          rk3399-pinebook-pro.dts @03ab8e62: board compatibles.
 *
 * Verified at register level only: no RK3399 emulator exists, and no
 * hardware has run this table.
 */
#ifndef FASTGPIO_BOARDS_RK3399_H
#define FASTGPIO_BOARDS_RK3399_H

#include "soc.h"
#include "family_rk3288.h"

/* Block indices of fgpio_rk3399_blocks[]. */
enum {
	FGPIO_RK3399_BLK_GPIO0 = 0,	/* GPIO0..GPIO4 are blocks 0..4 */
	FGPIO_RK3399_BLK_GRF = 5,
	FGPIO_RK3399_BLK_PMUGRF = 6,
	FGPIO_RK3399_BLK_CRU = 7,
	FGPIO_RK3399_BLK_PMUCRU = 8,
	FGPIO_RK3399_NBLOCKS
};

#define FGPIO_RK3399_NBANKS 5

/*
 * Physical blocks. The device tree declares 0x100 bytes for each GPIO bank;
 * we map whole 4 KiB pages. The GRF is mapped whole (64 KiB) so that its
 * offsets are the kernel's (iomux at 0xe000, routes at 0xe21c).
 */
static const struct fgpio_soc_block fgpio_rk3399_blocks[FGPIO_RK3399_NBLOCKS] = {
	{ "gpio0", 0xff720000u, 0x1000, 0, 0 },	/* [DTSI] gpio0: gpio0@ff720000 (PMU domain) */
	{ "gpio1", 0xff730000u, 0x1000, 0, 0 },	/* [DTSI] gpio1: gpio1@ff730000 (PMU domain) */
	{ "gpio2", 0xff780000u, 0x1000, 0, 0 },	/* [DTSI] gpio2: gpio2@ff780000 */
	{ "gpio3", 0xff788000u, 0x1000, 0, 0 },	/* [DTSI] gpio3: gpio3@ff788000 */
	{ "gpio4", 0xff790000u, 0x1000, 0, 0 },	/* [DTSI] gpio4: gpio4@ff790000 */
	{ "grf", 0xff770000u, 0x10000, 0, FGPIO_BLOCK_OPTIONAL },	/* [DTSI] grf: syscon@ff770000, reg size 0x10000 */
	{ "pmugrf", 0xff320000u, 0x1000, 0, FGPIO_BLOCK_OPTIONAL },	/* [DTSI] pmugrf: syscon@ff320000 */
	{ "cru", 0xff760000u, 0x1000, 0, FGPIO_BLOCK_OPTIONAL },	/* [DTSI] cru: clock-controller@ff760000 */
	{ "pmucru", 0xff750000u, 0x1000, 0, FGPIO_BLOCK_OPTIONAL },	/* [DTSI] pmucru: pmu-clock-controller@ff750000 */
};

/*
 * Banks and numbering: pin_base = sum of the previous banks' nr_pins
 * ([PINC] rockchip_pinctrl_get_soc_data), gpiochip base = pin_base ([GPIO]
 * rockchip_gpiolib_register). Every bank has nr_pins 32 ([PINC]
 * rk3399_pin_banks), so GPIOb_Xn = 32 * b + 8 * X + n (GPIO4_C2 = 146);
 * [PINH] RK_GPIO4_C2 is 146 too. 160 lines in all.
 */
static const struct fgpio_soc_bank fgpio_rk3399_banks[FGPIO_RK3399_NBANKS] = {
	{ 0, 32, 0 },		/* GPIO0_A0..D7 */
	{ 32, 32, 1 },		/* GPIO1 */
	{ 64, 32, 2 },		/* GPIO2 */
	{ 96, 32, 3 },		/* GPIO3 */
	{ 128, 32, 4 },		/* GPIO4: GPIO4_C2 = 146 */
};

/*
 * [PINC] rk3399_mux_route_data (RK_MUXROUTE_SAME: the pin's own iomux
 * regmap, the GRF for banks 2 and 4); [UPIN] has the same five entries.
 * RK_PB0 = line 8, RK_PC0 = 16, RK_PC3 = 19, RK_PD0 = 24, RK_PD2 = 26.
 */
static const struct fgpio_rk3288_route fgpio_rk3399_routes[] = {
	/* uart2dbga_rx: GPIO4_B0 mux 2 clears GRF 0xe21c bits 10, 11 */
	{ 4, 8, 2, FGPIO_RK3399_BLK_GRF, 0xe21c, (1u << (16 + 10)) | (1u << (16 + 11)) },
	/* uart2dbgb_rx: GPIO4_C0 mux 2 sets bit 10, clears bit 11 */
	{ 4, 16, 2, FGPIO_RK3399_BLK_GRF, 0xe21c, (1u << (16 + 10)) | (1u << (16 + 11)) | (1u << 10) },
	/* uart2dbgc_rx: GPIO4_C3 mux 1 sets bit 11, clears bit 10 */
	{ 4, 19, 1, FGPIO_RK3399_BLK_GRF, 0xe21c, (1u << (16 + 10)) | (1u << (16 + 11)) | (1u << 11) },
	/* pcie_clkreqn: GPIO2_D2 mux 2 clears bit 14 */
	{ 2, 26, 2, FGPIO_RK3399_BLK_GRF, 0xe21c, 1u << (16 + 14) },
	/* pcie_clkreqnb: GPIO4_D0 mux 1 sets bit 14 */
	{ 4, 24, 1, FGPIO_RK3399_BLK_GRF, 0xe21c, (1u << (16 + 14)) | (1u << 14) },
};

#define FGPIO_RK3399_PMU_PORT(off, fl) { (fl), FGPIO_RK3399_BLK_PMUGRF, (off) }
#define FGPIO_RK3399_GRF_PORT(off, fl) { (fl), FGPIO_RK3399_BLK_GRF, (off) }

/*
 * Iomux: [PINC] rk3399_pin_banks gives GPIO0 and GPIO1 IOMUX_SOURCE_PMU on
 * all four ports and GPIO2..4 no iomux flags at all: every port is routed
 * and 2 bits a line (no IOMUX_WIDTH_*, no IOMUX_UNROUTED). The offset walk
 * starts at pmu_mux_offset 0x0 and grf_mux_offset 0xe000 and adds 4 per
 * port in each. Pull types: [PINC] rk3399_pin_banks sets
 * PULL_TYPE_IO_1V8_ONLY on GPIO0 A/B and GPIO2 C/D, PULL_TYPE_IO_DEFAULT
 * elsewhere (GPIO1, 3, 4 set none: 0 = default, [PINH]).
 */
static const struct fgpio_rk3288_regs fgpio_rk3399_regs_table = {
	.swporta_dr = 0x00,	/* [GPIO] gpio_regs_v1.port_dr */
	.swporta_ddr = 0x04,	/* [GPIO] gpio_regs_v1.port_ddr (1 = output: rockchip_gpio_get_direction) */
	.ext_porta = 0x50,	/* [GPIO] gpio_regs_v1.ext_port */
	.port = {
		/* GPIO0: PMUGRF 0x00..0x0c; A, B 1.8 V-only pulls */
		{ FGPIO_RK3399_PMU_PORT(0x00, FGPIO_RK3288_PULL_1V8),
		  FGPIO_RK3399_PMU_PORT(0x04, FGPIO_RK3288_PULL_1V8),
		  FGPIO_RK3399_PMU_PORT(0x08, 0), FGPIO_RK3399_PMU_PORT(0x0c, 0) },
		/* GPIO1: PMUGRF 0x10..0x1c */
		{ FGPIO_RK3399_PMU_PORT(0x10, 0), FGPIO_RK3399_PMU_PORT(0x14, 0),
		  FGPIO_RK3399_PMU_PORT(0x18, 0), FGPIO_RK3399_PMU_PORT(0x1c, 0) },
		/* GPIO2: GRF 0xe000..0xe00c; C, D 1.8 V-only pulls */
		{ FGPIO_RK3399_GRF_PORT(0xe000, 0), FGPIO_RK3399_GRF_PORT(0xe004, 0),
		  FGPIO_RK3399_GRF_PORT(0xe008, FGPIO_RK3288_PULL_1V8),
		  FGPIO_RK3399_GRF_PORT(0xe00c, FGPIO_RK3288_PULL_1V8) },
		/* GPIO3: GRF 0xe010..0xe01c */
		{ FGPIO_RK3399_GRF_PORT(0xe010, 0), FGPIO_RK3399_GRF_PORT(0xe014, 0),
		  FGPIO_RK3399_GRF_PORT(0xe018, 0), FGPIO_RK3399_GRF_PORT(0xe01c, 0) },
		/* GPIO4: GRF 0xe020..0xe02c */
		{ FGPIO_RK3399_GRF_PORT(0xe020, 0), FGPIO_RK3399_GRF_PORT(0xe024, 0),
		  FGPIO_RK3399_GRF_PORT(0xe028, 0), FGPIO_RK3399_GRF_PORT(0xe02c, 0) },
	},
	/*
	 * [PINC] rk3399_calc_pull_reg_and_bit: banks 0 and 1 in the PMUGRF at
	 * RK3399_PULL_PMU_OFFSET 0x40 + 0x10 * bank; banks 2..4 in the GRF at
	 * RK3399_PULL_GRF_OFFSET 0xe040 - 0x20 + 0x10 * bank; 8 lines a
	 * register, 2 bits a line. [UPIN] has the same constants.
	 */
	.pull_block = { FGPIO_RK3399_BLK_PMUGRF, FGPIO_RK3399_BLK_PMUGRF, FGPIO_RK3399_BLK_GRF,
			FGPIO_RK3399_BLK_GRF, FGPIO_RK3399_BLK_GRF },
	.pull_offset = { 0x40, 0x50, 0xe040, 0xe050, 0xe060 },
	/* [PINC] rockchip_pull_list[PULL_TYPE_IO_DEFAULT]: 0 disable, 1 up, 2 down, 3 bus-hold */
	.pull_code = { 0, 1, 2, 3 },
	/*
	 * [PINC] rockchip_pull_list[PULL_TYPE_IO_1V8_ONLY]: 0 disable, 1 down,
	 * 2 disable, 3 up (no bus-hold). rockchip_set_pull() writes the first
	 * code that matches, so off is 0; rockchip_get_pull() reads 0 and 2 as
	 * disable.
	 */
	.pull_code_1v8 = { 0, 3, 1, 0xff },	/* off, up, down; keeper: none */
	.pull_read_1v8 = { FGPIO_RK3288_BIAS_OFF, FGPIO_RK3288_BIAS_DOWN, FGPIO_RK3288_BIAS_OFF,
			   FGPIO_RK3288_BIAS_UP },
	/*
	 * No read-modify-write block: [UPIN] rk3399_set_mux()/rk3399_set_pull()
	 * write the PMUGRF with one hiword-masked word like the GRF. The kernel
	 * ([PINC] rockchip_set_mux()/rockchip_set_pull()) uses
	 * regmap_update_bits() with the field's bits n+16 set on both, which
	 * gives the field the same value. Neither source needs the RK3288 PMU's
	 * plain read-modify-write here.
	 */
	.rmw_block = FGPIO_RK3288_NO_BLOCK,
	/*
	 * [CLK]: pclk_gpio0_pmu / pclk_gpio1_pmu = RK3399_PMU_CLKGATE_CON(1)
	 * bits 3, 4 (PMUCRU 0x104); pclk_gpio2..4 = RK3399_CLKGATE_CON(31)
	 * bits 3..5 (CRU 0x37c). [DTSI] gpio0/1 take their clock from &pmucru,
	 * gpio2..4 from &cru. GFLAGS = CLK_GATE_HIWORD_MASK |
	 * CLK_GATE_SET_TO_DISABLE: 1 = gated, bit n+16 enables the write.
	 */
	.cru_block = FGPIO_RK3399_BLK_CRU,
	.pmucru_banks = 0x3u,		/* GPIO0, GPIO1 */
	.pmucru_block = FGPIO_RK3399_BLK_PMUCRU,
	.clkgate = { 0x104, 0x104, 0x37c, 0x37c, 0x37c },
	.clkgate_bit = { 3, 4, 3, 4, 5 },
	.routes = fgpio_rk3399_routes,
	.nroutes = FGPIO_ARRAY_SIZE(fgpio_rk3399_routes),
};

/*
 * 40-pin header of the Rock Pi 4 (A, B, C), from [MRAA] mraa_rockpi4(): its
 * sysfs numbers are the kernel's line numbers above, and its own names
 * (GPIO4_A3 = 131, GPIO4_D6 = 158, ...) agree with them. Cross-checked
 * against [DTSI] pin groups: i2c7_xfer <2 7>, <2 8>; i2c2_xfer <2 0>, <2 1>;
 * i2c6_xfer <2 9>, <2 10>; spi1 <1 7..10>; spi2 <2 9..12>; uart2c_xfer
 * <4 19>, <4 20>; uart4_xfer <1 7>, <1 8>; pwm0 <4 18>; pwm1 <4 22>.
 * Only one source gives the pin order itself. Pin 26 is the SoC's ADC_IN0,
 * not a GPIO.
 */
static const char *const fgpio_rk3399_rockpi4_labels[40] = {
	"PIN1", "PIN2", "PIN3", "PIN4", "PIN5", "PIN6", "PIN7", "PIN8", "PIN9", "PIN10",
	"PIN11", "PIN12", "PIN13", "PIN14", "PIN15", "PIN16", "PIN17", "PIN18", "PIN19", "PIN20",
	"PIN21", "PIN22", "PIN23", "PIN24", "PIN25", "PIN26", "PIN27", "PIN28", "PIN29", "PIN30",
	"PIN31", "PIN32", "PIN33", "PIN34", "PIN35", "PIN36", "PIN37", "PIN38", "PIN39", "PIN40",
};

static const int16_t fgpio_rk3399_rockpi4_lines[40] = {
	FGPIO_PIN_POWER,	/* 1  3.3 V */
	FGPIO_PIN_POWER,	/* 2  5 V */
	71,			/* 3  GPIO2_A7 (I2C7_SDA) */
	FGPIO_PIN_POWER,	/* 4  5 V */
	72,			/* 5  GPIO2_B0 (I2C7_SCL) */
	FGPIO_PIN_POWER,	/* 6  GND */
	75,			/* 7  GPIO2_B3 (SPI2_CLK) */
	148,			/* 8  GPIO4_C4 (UART2_TX) */
	FGPIO_PIN_POWER,	/* 9  GND */
	147,			/* 10 GPIO4_C3 (UART2_RX) */
	146,			/* 11 GPIO4_C2 (PWM0) */
	131,			/* 12 GPIO4_A3 */
	150,			/* 13 GPIO4_C6 (PWM1) */
	FGPIO_PIN_POWER,	/* 14 GND */
	149,			/* 15 GPIO4_C5 */
	154,			/* 16 GPIO4_D2 */
	FGPIO_PIN_POWER,	/* 17 3.3 V */
	156,			/* 18 GPIO4_D4 */
	40,			/* 19 GPIO1_B0 (SPI1_TXD / UART4_TX) */
	FGPIO_PIN_POWER,	/* 20 GND */
	39,			/* 21 GPIO1_A7 (SPI1_RXD / UART4_RX) */
	157,			/* 22 GPIO4_D5 */
	41,			/* 23 GPIO1_B1 (SPI1_CLK) */
	42,			/* 24 GPIO1_B2 (SPI1_CSN0) */
	FGPIO_PIN_POWER,	/* 25 GND */
	FGPIO_PIN_NC,		/* 26 ADC_IN0 (no GPIO) */
	64,			/* 27 GPIO2_A0 (I2C2_SDA) */
	65,			/* 28 GPIO2_A1 (I2C2_SCL) */
	74,			/* 29 GPIO2_B2 (I2C6_SCL / SPI2_TXD) */
	FGPIO_PIN_POWER,	/* 30 GND */
	73,			/* 31 GPIO2_B1 (I2C6_SDA / SPI2_RXD) */
	112,			/* 32 GPIO3_C0 */
	76,			/* 33 GPIO2_B4 (SPI2_CSN0) */
	FGPIO_PIN_POWER,	/* 34 GND */
	133,			/* 35 GPIO4_A5 */
	132,			/* 36 GPIO4_A4 */
	158,			/* 37 GPIO4_D6 */
	134,			/* 38 GPIO4_A6 */
	FGPIO_PIN_POWER,	/* 39 GND */
	135,			/* 40 GPIO4_A7 */
};

/*
 * [BDTS] rk3399-rock-pi-4a/4b/4c.dts all list "radxa,rockpi4". Each board
 * compatible is read from its one .dts, not cross-checked against a second
 * source; it only picks this header map. The NanoPi M4
 * ("friendlyarm,nanopi-m4") and the Pinebook Pro ("pine64,pinebook-pro",
 * no GPIO header) get no header map: none is sourced here. Every RK3399 is
 * detected from "rockchip,rk3399".
 */
static const char *const fgpio_rk3399_rockpi4_compatibles[] = {
	"radxa,rockpi4",	/* [BDTS] rk3399-rock-pi-4{a,b,c}.dts */
	0			/* NULL (this header includes only soc.h) */
};

/* No default board: an RK3399 board other than a Rock Pi 4 gets no header names. */
static const struct fgpio_board_desc fgpio_rk3399_boards[] = {
	{ "Radxa Rock Pi 4", fgpio_rk3399_rockpi4_compatibles,
	  fgpio_rk3399_rockpi4_labels, fgpio_rk3399_rockpi4_lines, 40, 0 },
};

static const char *const fgpio_rk3399_compatibles[] = {
	"rockchip,rk3399",	/* [DTSI] root compatible */
	0			/* NULL (this header includes only soc.h) */
};

static const struct fgpio_soc fgpio_soc_rk3399 = {
	.name = "rk3399",
	.description = "Rockchip RK3399 (Rock Pi 4 / NanoPi M4 / Pinebook Pro)",
	.compatibles = fgpio_rk3399_compatibles,
	.ops = &fgpio_rk3288_ops,	/* same controller generation as the RK3288 */
	/* One chip per bank: rockchip_gpiolib_register() labels it bank->name,
	   "gpio0".."gpio4" ([PINC] rk3399_pin_banks, [GPIO]). */
	.bank_chip_label = "gpio{bank}",
	/* No default bench line: the table spans boards with different headers
	   (the Pinebook Pro has none), so no one line is safe to toggle on all. */
	.bench_line = 0,
	.name_style = FGPIO_NAMES_BANK_PORT,
	.nlines = 160,
	.ranges_bus = 0,
	.default_base = 0,
	.gpiomem_path = 0,		/* no gpiomem device in mainline for RK3399 */
	.blocks = fgpio_rk3399_blocks,
	.nblocks = FGPIO_RK3399_NBLOCKS,
	.banks = fgpio_rk3399_banks,
	.nbanks = FGPIO_RK3399_NBANKS,
	.regs = &fgpio_rk3399_regs_table,
	.boards = fgpio_rk3399_boards,
	.nboards = FGPIO_ARRAY_SIZE(fgpio_rk3399_boards),
	.pwm_unsupported = "RK3399: its PWM controllers (pwm0-3) are not programmed by fastgpio; enable the pwm nodes in the device tree and use the kernel's /sys/class/pwm (backend='sysfs' in Python)",
};

#endif /* FASTGPIO_BOARDS_RK3399_H */
