/* SPDX-License-Identifier: MIT */
/*
 * boards/rk3288.h - Rockchip RK3288 (ASUS Tinker Board, Tinker Board S).
 *
 * Sources (torvalds/linux unless noted; commit = the stored version read):
 *  [DTSI]  arch/arm/boot/dts/rockchip/rk3288.dtsi @5dcf8655: node addresses.
 *  [PINC]  drivers/pinctrl/pinctrl-rockchip.c @0045028f: rk3288_pin_banks,
 *          rk3288_pin_ctrl (grf_mux_offset 0x0, pmu_mux_offset 0x84),
 *          rockchip_pinctrl_get_soc_data() (iomux offset walk),
 *          rockchip_get_mux()/rockchip_set_mux(), rk3288_calc_pull_reg_and_bit(),
 *          rockchip_pull_list[], rk3288_mux_route_data[].
 *  [GPIO]  drivers/gpio/gpio-rockchip.c @083b5eee: gpio_regs_v1.
 *  [CLK]   drivers/clk/rockchip/clk-rk3288.c @00c0cd9e (pclk_gpio gates, GFLAGS)
 *          and drivers/clk/rockchip/clk.h (RK3288_CLKGATE_CON(x) = x*4 + 0x160).
 *  [UGRF]  u-boot/u-boot arch/arm/include/asm/arch-rockchip/grf_rk3288.h
 *          @156d64fa: struct rk3288_grf (cross-check of every GRF offset).
 *  [UPIN]  u-boot/u-boot drivers/pinctrl/rockchip/pinctrl-rk3288.c @4a9146c2.
 *  [ASUS]  TinkerBoard/gpio_lib_c wiringPi/wiringTB.c (ASUS's own library):
 *          physToGpio table, PMU/GRF/CRU register use.
 *  [MRAA]  mraa src/arm/tinkerboard.c (bootsy52/mraa @82b7ca1f, Vamrs): pin table.
 *  [TDTS]  arch/arm/boot/dts/rk3288-tinker.dts @00ed905a and
 *          arch/arm/boot/dts/rockchip/rk3288-tinker-s.dts @b39955e3: compatibles.
 *
 * Verified at register level only (no RK3288 emulator exists).
 */
#ifndef FASTGPIO_BOARDS_RK3288_H
#define FASTGPIO_BOARDS_RK3288_H

#include "soc.h"
#include "family_rk3288.h"

/* Block indices of fgpio_rk3288_blocks[]. */
enum {
	FGPIO_RK3288_BLK_GPIO0 = 0,	/* GPIO0..GPIO8 are blocks 0..8 */
	FGPIO_RK3288_BLK_GRF = 9,
	FGPIO_RK3288_BLK_PMU = 10,
	FGPIO_RK3288_BLK_CRU = 11,
	FGPIO_RK3288_NBLOCKS
};

/*
 * Physical blocks. The device tree declares 0x100 bytes for each GPIO bank
 * and for the PMU; we map whole 4 KiB pages.
 */
static const struct fgpio_soc_block fgpio_rk3288_blocks[FGPIO_RK3288_NBLOCKS] = {
	{ "gpio0", 0xff750000u, 0x1000, 0, 0 },	/* [DTSI] gpio0: gpio@ff750000 (PMU domain) */
	{ "gpio1", 0xff780000u, 0x1000, 0, 0 },	/* [DTSI] gpio1: gpio@ff780000 */
	{ "gpio2", 0xff790000u, 0x1000, 0, 0 },	/* [DTSI] gpio2: gpio@ff790000 */
	{ "gpio3", 0xff7a0000u, 0x1000, 0, 0 },	/* [DTSI] gpio3: gpio@ff7a0000 */
	{ "gpio4", 0xff7b0000u, 0x1000, 0, 0 },	/* [DTSI] gpio4: gpio@ff7b0000 */
	{ "gpio5", 0xff7c0000u, 0x1000, 0, 0 },	/* [DTSI] gpio5: gpio@ff7c0000 */
	{ "gpio6", 0xff7d0000u, 0x1000, 0, 0 },	/* [DTSI] gpio6: gpio@ff7d0000 */
	{ "gpio7", 0xff7e0000u, 0x1000, 0, 0 },	/* [DTSI] gpio7: gpio@ff7e0000 */
	{ "gpio8", 0xff7f0000u, 0x1000, 0, 0 },	/* [DTSI] gpio8: gpio@ff7f0000 */
	{ "grf", 0xff770000u, 0x1000, 0, FGPIO_BLOCK_OPTIONAL },	/* [DTSI] grf: syscon@ff770000 */
	{ "pmu", 0xff730000u, 0x1000, 0, FGPIO_BLOCK_OPTIONAL },	/* [DTSI] pmu: power-management@ff730000 */
	{ "cru", 0xff760000u, 0x1000, 0, FGPIO_BLOCK_OPTIONAL },	/* [DTSI] cru: clock-controller@ff760000 */
};

/*
 * Banks and legacy numbering: the kernel gives each bank pin_base = sum of
 * the previous banks' nr_pins and registers gpiochip base = pin_base
 * ([PINC] rockchip_pinctrl_get_soc_data, [GPIO] rockchip_gpiolib_register).
 * nr_pins: GPIO0 24, GPIO1..7 32, GPIO8 16 ([PINC] rk3288_pin_banks), so
 * bank b >= 1 starts at 24 + 32 * (b - 1); 264 lines in all ([PINC] nr_pins 264).
 */
static const struct fgpio_soc_bank fgpio_rk3288_banks[FGPIO_RK3288_NBANKS] = {
	{ 0, 24, 0 },		/* GPIO0_A0..C7 */
	{ 24, 32, 1 },		/* GPIO1 */
	{ 56, 32, 2 },		/* GPIO2 */
	{ 88, 32, 3 },		/* GPIO3 */
	{ 120, 32, 4 },		/* GPIO4 */
	{ 152, 32, 5 },		/* GPIO5: GPIO5_B0 = 160 */
	{ 184, 32, 6 },		/* GPIO6 */
	{ 216, 32, 7 },		/* GPIO7 */
	{ 248, 16, 8 },		/* GPIO8_A0..B7 (PIN_BANK(8, 16, "gpio8")) */
};

/*
 * [PINC] rk3288_mux_route_data (ROCKCHIP_ROUTE_SAME: the GRF); [UPIN] has
 * the same two entries. RK_PC0 = line 16, RK_PC7 = line 23.
 */
static const struct fgpio_rk3288_route fgpio_rk3288_routes[] = {
	/* edphdmi_cecinoutt1: GPIO7_C0 mux 2 sets GRF 0x264 bit 12 */
	{ 7, 16, 2, FGPIO_RK3288_BLK_GRF, 0x264, (1u << (16 + 12)) | (1u << 12) },
	/* edphdmi_cecinout: GPIO7_C7 mux 4 clears GRF 0x264 bit 12 */
	{ 7, 23, 4, FGPIO_RK3288_BLK_GRF, 0x264, 1u << (16 + 12) },
};

#define FGPIO_RK3288_GRF_PORT(off) { 0, FGPIO_RK3288_BLK_GRF, (off) }
#define FGPIO_RK3288_GRF_PORT4(off) { FGPIO_RK3288_4BIT, FGPIO_RK3288_BLK_GRF, (off) }
#define FGPIO_RK3288_PMU_PORT(off) { 0, FGPIO_RK3288_BLK_PMU, (off) }
#define FGPIO_RK3288_NO_PORT { FGPIO_RK3288_UNROUTED, FGPIO_RK3288_BLK_GRF, 0 }

/*
 * [PINC] computes each port's iomux offset by walking the ports in order
 * from grf_mux_offset 0x0 (GRF) / pmu_mux_offset 0x84 (PMU), adding 4 per
 * port (unrouted ones included) and 8 per 4-bit port. [UGRF] names the same
 * GRF offsets (gpio1d_iomux 0x0c ... gpio8b_iomux 0x84, reserved words where
 * a port is unrouted); [ASUS] uses PMU_GPIO0C_IOMUX for GPIO0_C1 (pin 7).
 */
static const struct fgpio_rk3288_regs fgpio_rk3288_regs_table = {
	.swporta_dr = 0x00,	/* [GPIO] gpio_regs_v1.port_dr */
	.swporta_ddr = 0x04,	/* [GPIO] gpio_regs_v1.port_ddr (1 = output: rockchip_gpio_get_direction) */
	.ext_porta = 0x50,	/* [GPIO] gpio_regs_v1.ext_port */
	.port = {
		/* GPIO0: PMU, PMU, PMU, unrouted (24 lines) */
		{ FGPIO_RK3288_PMU_PORT(0x84), FGPIO_RK3288_PMU_PORT(0x88),
		  FGPIO_RK3288_PMU_PORT(0x8c), FGPIO_RK3288_NO_PORT },
		/* GPIO1: unrouted (0x00, 0x04, 0x08 reserved), D at 0x0c */
		{ FGPIO_RK3288_NO_PORT, FGPIO_RK3288_NO_PORT, FGPIO_RK3288_NO_PORT,
		  FGPIO_RK3288_GRF_PORT(0x0c) },
		/* GPIO2: 0x10, 0x14, 0x18, D unrouted (0x1c) */
		{ FGPIO_RK3288_GRF_PORT(0x10), FGPIO_RK3288_GRF_PORT(0x14),
		  FGPIO_RK3288_GRF_PORT(0x18), FGPIO_RK3288_NO_PORT },
		/* GPIO3: 0x20, 0x24, 0x28, D 4-bit at 0x2c/0x30 */
		{ FGPIO_RK3288_GRF_PORT(0x20), FGPIO_RK3288_GRF_PORT(0x24),
		  FGPIO_RK3288_GRF_PORT(0x28), FGPIO_RK3288_GRF_PORT4(0x2c) },
		/* GPIO4: A 4-bit 0x34/0x38, B 4-bit 0x3c/0x40, C 0x44, D 0x48 */
		{ FGPIO_RK3288_GRF_PORT4(0x34), FGPIO_RK3288_GRF_PORT4(0x3c),
		  FGPIO_RK3288_GRF_PORT(0x44), FGPIO_RK3288_GRF_PORT(0x48) },
		/* GPIO5: A unrouted (0x4c), B 0x50, C 0x54, D unrouted (0x58) */
		{ FGPIO_RK3288_NO_PORT, FGPIO_RK3288_GRF_PORT(0x50),
		  FGPIO_RK3288_GRF_PORT(0x54), FGPIO_RK3288_NO_PORT },
		/* GPIO6: 0x5c, 0x60, 0x64 (= RK3288_GRF_GPIO6C_IOMUX in [PINC]), D unrouted */
		{ FGPIO_RK3288_GRF_PORT(0x5c), FGPIO_RK3288_GRF_PORT(0x60),
		  FGPIO_RK3288_GRF_PORT(0x64), FGPIO_RK3288_NO_PORT },
		/* GPIO7: 0x6c, 0x70, C 4-bit 0x74/0x78, D unrouted (0x7c) */
		{ FGPIO_RK3288_GRF_PORT(0x6c), FGPIO_RK3288_GRF_PORT(0x70),
		  FGPIO_RK3288_GRF_PORT4(0x74), FGPIO_RK3288_NO_PORT },
		/* GPIO8: 0x80, 0x84 (16 lines: no C, D) */
		{ FGPIO_RK3288_GRF_PORT(0x80), FGPIO_RK3288_GRF_PORT(0x84),
		  FGPIO_RK3288_NO_PORT, FGPIO_RK3288_NO_PORT },
	},
	/*
	 * [PINC] rk3288_calc_pull_reg_and_bit: bank 0 in the PMU at
	 * RK3188_PULL_PMU_OFFSET 0x64; bank b in the GRF at RK3288_PULL_OFFSET
	 * 0x140 - 0x10 + 0x10 * b; 8 lines a register, 2 bits a line. [UPIN] has
	 * the same constants; [UGRF] places gpio1_p[8][4] at 0x140.
	 */
	.pull_block = { FGPIO_RK3288_BLK_PMU, FGPIO_RK3288_BLK_GRF, FGPIO_RK3288_BLK_GRF,
			FGPIO_RK3288_BLK_GRF, FGPIO_RK3288_BLK_GRF, FGPIO_RK3288_BLK_GRF,
			FGPIO_RK3288_BLK_GRF, FGPIO_RK3288_BLK_GRF, FGPIO_RK3288_BLK_GRF },
	.pull_offset = { 0x64, 0x140, 0x150, 0x160, 0x170, 0x180, 0x190, 0x1a0, 0x1b0 },
	/*
	 * [PINC] rockchip_pull_list[PULL_TYPE_IO_DEFAULT] (rk3288 banks set no
	 * pull_type): 0 bias-disable, 1 pull-up, 2 pull-down, 3 bus-hold.
	 * [ASUS] asus_pullUpDnControl agrees (up = bit 0, down = bit 1).
	 */
	.pull_code = { 0, 1, 2, 3 },
	/*
	 * GPIO0's PMU registers (iomux 0x84-0x8c, pull 0x64-0x6c). The sources
	 * disagree on whether they honour the hiword write-enable bits:
	 *  - [UPIN] rk3288_set_mux() and rk3288_set_pull(): "bank0 is special,
	 *    there are no higher 16 bit writing bits": regmap_read, clear the
	 *    field, OR the value in, regmap_write (plain read-modify-write).
	 *  - [PINC] (the kernel) rockchip_set_mux() and rockchip_set_pull():
	 *    data = field mask << (bit + 16) | value, rmask = data | data >> 16,
	 *    regmap_update_bits(rmask, data) on the PMU regmap too, i.e. a
	 *    read-modify-write that also sets the field's bits n+16.
	 *  - [ASUS] does one of each for GPIO0_C1: its iomux read-modify-written
	 *    without the enable bits, its pull with them.
	 * We do what the kernel does: the field gets its value under either
	 * reading, and nothing outside the field and its enable bits changes
	 * (tests/c/test_rk3288.c test_pmu_field_writes). GRF writes are single
	 * hiword-masked writes, which has the same effect as the kernel's
	 * update_bits there.
	 */
	.rmw_block = FGPIO_RK3288_BLK_PMU,
	.cru_block = FGPIO_RK3288_BLK_CRU,
	/*
	 * [CLK]: pclk_gpio0 = RK3288_CLKGATE_CON(17) bit 4 (0x1a4);
	 * pclk_gpio1..8 = RK3288_CLKGATE_CON(14) bits 1..8 (0x198). GFLAGS =
	 * CLK_GATE_HIWORD_MASK | CLK_GATE_SET_TO_DISABLE: 1 = gated, bit n+16
	 * enables the write. [ASUS] gpio_clk_disable() uses the same registers.
	 */
	.clkgate = { 0x1a4, 0x198, 0x198, 0x198, 0x198, 0x198, 0x198, 0x198, 0x198 },
	.clkgate_bit = { 4, 1, 2, 3, 4, 5, 6, 7, 8 },
	.routes = fgpio_rk3288_routes,
	.nroutes = FGPIO_ARRAY_SIZE(fgpio_rk3288_routes),
};

/*
 * 40-pin header of the Tinker Board and Tinker Board S (Pi-compatible
 * layout). Cross-checked: [ASUS] asus_get_physToGpio() (GPIOx_yz names) and
 * [MRAA] mraa_tinkerboard() (sysfs numbers) agree on every pin.
 */
static const char *const fgpio_rk3288_tinker_labels[40] = {
	"PIN1", "PIN2", "PIN3", "PIN4", "PIN5", "PIN6", "PIN7", "PIN8", "PIN9", "PIN10",
	"PIN11", "PIN12", "PIN13", "PIN14", "PIN15", "PIN16", "PIN17", "PIN18", "PIN19", "PIN20",
	"PIN21", "PIN22", "PIN23", "PIN24", "PIN25", "PIN26", "PIN27", "PIN28", "PIN29", "PIN30",
	"PIN31", "PIN32", "PIN33", "PIN34", "PIN35", "PIN36", "PIN37", "PIN38", "PIN39", "PIN40",
};

static const int16_t fgpio_rk3288_tinker_lines[40] = {
	FGPIO_PIN_POWER,	/* 1  3.3 V */
	FGPIO_PIN_POWER,	/* 2  5 V */
	252,			/* 3  GPIO8_A4 (I2C1_SDA) */
	FGPIO_PIN_POWER,	/* 4  5 V */
	253,			/* 5  GPIO8_A5 (I2C1_SCL) */
	FGPIO_PIN_POWER,	/* 6  GND */
	17,			/* 7  GPIO0_C1 (CLKOUT) */
	161,			/* 8  GPIO5_B1 (UART1_TX) */
	FGPIO_PIN_POWER,	/* 9  GND */
	160,			/* 10 GPIO5_B0 (UART1_RX) */
	164,			/* 11 GPIO5_B4 (SPI0_CLK / UART4_CTS) */
	184,			/* 12 GPIO6_A0 (I2S_SCLK) */
	166,			/* 13 GPIO5_B6 (SPI0_TXD / UART4_TX) */
	FGPIO_PIN_POWER,	/* 14 GND */
	167,			/* 15 GPIO5_B7 (SPI0_RXD / UART4_RX) */
	162,			/* 16 GPIO5_B2 (UART1_CTS) */
	FGPIO_PIN_POWER,	/* 17 3.3 V */
	163,			/* 18 GPIO5_B3 (UART1_RTS) */
	257,			/* 19 GPIO8_B1 (SPI2_TXD) */
	FGPIO_PIN_POWER,	/* 20 GND */
	256,			/* 21 GPIO8_B0 (SPI2_RXD) */
	171,			/* 22 GPIO5_C3 */
	254,			/* 23 GPIO8_A6 (SPI2_CLK) */
	255,			/* 24 GPIO8_A7 (SPI2_CSN0) */
	FGPIO_PIN_POWER,	/* 25 GND */
	251,			/* 26 GPIO8_A3 (SPI2_CSN1) */
	233,			/* 27 GPIO7_C1 (I2C4_SDA) */
	234,			/* 28 GPIO7_C2 (I2C4_SCL) */
	165,			/* 29 GPIO5_B5 (SPI0_CSN0 / UART4_RTS) */
	FGPIO_PIN_POWER,	/* 30 GND */
	168,			/* 31 GPIO5_C0 (SPI0_CSN1) */
	239,			/* 32 GPIO7_C7 (UART2_TX / PWM3) */
	238,			/* 33 GPIO7_C6 (UART2_RX / PWM2) */
	FGPIO_PIN_POWER,	/* 34 GND */
	185,			/* 35 GPIO6_A1 (I2S_LRCK) */
	223,			/* 36 GPIO7_A7 (UART3_RX) */
	224,			/* 37 GPIO7_B0 (UART3_TX) */
	187,			/* 38 GPIO6_A3 (I2S_SDI) */
	FGPIO_PIN_POWER,	/* 39 GND */
	188,			/* 40 GPIO6_A4 (I2S_SDO) */
};

/*
 * One source each: every compatible below is read from its board's single
 * .dts [TDTS] and is not cross-checked against a second source. They only
 * pick this header map; the SoC is detected from "rockchip,rk3288".
 */
static const char *const fgpio_rk3288_tinker_compatibles[] = {
	"asus,rk3288-tinker",	/* [TDTS] rk3288-tinker.dts */
	"asus,rk3288-tinker-s",	/* [TDTS] rk3288-tinker-s.dts */
	0			/* NULL (this header includes only soc.h) */
};

/* No default board: an unknown RK3288 board gets no header names. */
static const struct fgpio_board_desc fgpio_rk3288_boards[] = {
	{ "ASUS Tinker Board / Tinker Board S", fgpio_rk3288_tinker_compatibles,
	  fgpio_rk3288_tinker_labels, fgpio_rk3288_tinker_lines, 40, 0 },
};

static const char *const fgpio_rk3288_compatibles[] = {
	"rockchip,rk3288",	/* [DTSI] root compatible */
	0			/* NULL (this header includes only soc.h) */
};

static const struct fgpio_soc fgpio_soc_rk3288 = {
	.name = "rk3288",
	.description = "Rockchip RK3288 (ASUS Tinker Board / Tinker Board S)",
	.compatibles = fgpio_rk3288_compatibles,
	.ops = &fgpio_rk3288_ops,
	/* One chip per bank: rockchip_gpiolib_register() labels it bank->name,
	   the bank's node name "gpio0".."gpio8" (drivers/gpio/gpio-rockchip.c). */
	.bank_chip_label = "gpio{bank}",
	.name_style = FGPIO_NAMES_BANK_PORT,
	.nlines = 264,
	.ranges_bus = 0,
	.default_base = 0,
	.gpiomem_path = 0,		/* no gpiomem device in mainline for RK3288 */
	.blocks = fgpio_rk3288_blocks,
	.nblocks = FGPIO_RK3288_NBLOCKS,
	.banks = fgpio_rk3288_banks,
	.nbanks = FGPIO_RK3288_NBANKS,
	.regs = &fgpio_rk3288_regs_table,
	.boards = fgpio_rk3288_boards,
	.nboards = FGPIO_ARRAY_SIZE(fgpio_rk3288_boards),
	.pwm_unsupported = "RK3288: its PWM controller (pwm0-3) is not programmed by fastgpio; enable the pwm nodes in the device tree and use the kernel's /sys/class/pwm (backend='sysfs' in Python)",
};

#endif /* FASTGPIO_BOARDS_RK3288_H */
