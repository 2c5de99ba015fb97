/* SPDX-License-Identifier: MIT */
/*
 * boards/bcm2711.h - Broadcom BCM2711 GPIO table (Raspberry Pi 4 B, 400, CM4).
 *
 * Data only. Same programming model as BCM2835 (src/soc_bcm2835.c) except the pulls.
 * Sources (facts and numbers, no code copied):
 *  [K]   Linux drivers/pinctrl/bcm/pinctrl-bcm2835.c (torvalds/linux @ d5984d29afdb):
 *        BCM2711_NUM_GPIOS 58, GPFSEL0..GPLEV0 macros, GP_GPIO_PUP_PDN_CNTRL_REG0 0xe4,
 *        PUD_2711_MASK 0x3, PUD_2711_REG_OFFSET(p) p/16, PUD_2711_REG_SHIFT(p) (p%16)*2,
 *        BCM2711_PULL_NONE 0 / _UP 1 / _DOWN 2, bcm2711_pull_config_set() (read-modify-write),
 *        bcm2711_pinconf_ops uses the same fsel code as BCM2835.
 *  [KB]  Linux include/dt-bindings/pinctrl/bcm2835.h (@ 30c092337017): BCM2835_FSEL_*.
 *  [Q]   QEMU hw/gpio/bcm2838_gpio.c (qemu/qemu @ 019fbfa4bcd2): GPIO_PUP_PDN_CNTRL_REG0..3 at
 *        0xE4/0xE8/0xEC/0xF0; reset value REG0 0xAAA95555 = GPIO0..8 field 1, GPIO9..15 field 2
 *        (consistent with 1 = up, 2 = down and the commonly documented reset pulls: GPIO0..8 up,
 *        9.. down; the BCM2711 datasheet itself was not checked); BCM2838_FSEL_* equal [KB].
 *  [U]   raspberrypi/utils pinctrl/gpiochip_bcm2835.c (@ 22d86fe17694): BCM2711_NUM_GPIOS 58,
 *        GPPUPPDN0 = word 57 (= 0xE4) "pins 15:0" .. GPPUPPDN3 "pins 57:48";
 *        bcm2711_gpio_get_pull/set_pull: 0 none, 1 up, 2 down.
 *  [DT]  Linux arch/arm/boot/dts/broadcom/bcm2711.dtsi (@ 0de09025f161): / #address-cells 2,
 *        soc ranges <0x7e000000 0x0 0xfe000000 0x01800000>; gpio@7e200000 from bcm283x.dtsi.
 *  [YB]  Linux Documentation/devicetree/bindings/arm/bcm/bcm2835.yaml (@ 254a14200711):
 *        "BCM2711 based Boards": raspberrypi,400 / 4-compute-module / 4-model-b.
 *  [GM]  raspberrypi/linux drivers/char/broadcom/bcm2835-gpiomem.c (@ 020873a95d8d).
 *  [GZ]  gpiozero gpiozero/pins/data.py (@ 00bce87d2937): PI4_J8 header map.
 *  [HP]  raspberrypi/linux arch/arm/boot/dts/overlays/highperi-overlay.dts (@ 2076c4ecaa4f):
 *        &soc ranges <0x7c000000 0x4 0x7c000000 0x04000000>, <0x40000000 0x4 0xc0000000 ...>.
 */
#ifndef FASTGPIO_BOARDS_BCM2711_H
#define FASTGPIO_BOARDS_BCM2711_H

#include "soc.h"
#include "family_bcm2835.h"
#include "rpi_header.h"

/* The GPIO block at bus 0x7e200000. The DT declares 0xb4 bytes, but the pull registers lie at
 * 0xE4..0xF3 [K][Q]: map the whole page (gpiomem maps one page too [GM]). */
static const struct fgpio_soc_block fgpio_bcm2711_blocks[] = {
	{
		.name = "gpio",
		.phys = 0x200000,	/* 0x7e200000 - ranges child 0x7e000000 [DT] */
		.size = 4096,
		.gpiomem_offset = 0,	/* gpiomem ignores the offset, maps the GPIO page [GM] */
		.flags = FGPIO_BLOCK_RANGES | FGPIO_BLOCK_GPIOMEM,
	},
};

/* 58 lines [K BCM2711_NUM_GPIOS][U]: bank 0 = GPIO0..31, bank 1 = GPIO32..57 (GPIO_REG_OFFSET
 * p / 32 [K]). */
static const struct fgpio_soc_bank fgpio_bcm2711_banks[] = {
	{ .first_line = 0, .nlines = 32, .block = 0 },
	{ .first_line = 32, .nlines = 26, .block = 0 },
};

static const struct fgpio_bcm_regs fgpio_bcm2711_regs = {
	.gpfsel0 = 0x00,	/* GPFSEL0 0x0 [K][Q] */
	.gpset0 = 0x1c,		/* GPSET0 0x1c [K][Q] */
	.gpclr0 = 0x28,		/* GPCLR0 0x28 [K][Q] */
	.gplev0 = 0x34,		/* GPLEV0 0x34 [K][Q] */
	.gppud = 0,		/* no GPPUD mechanism: bcm2711_pinconf_ops never touches it [K] */
	.gppudclk0 = 0,
	.pup_pdn0 = 0xe4,	/* GP_GPIO_PUP_PDN_CNTRL_REG0 [K]; GPIO_PUP_PDN_CNTRL_REG0 [Q]; word 57 [U] */
	.pull_style = FGPIO_BCM_PULL_PUP_PDN,
	/* Index = enum fgpio_func (IN, OUT, ALT0..ALT5): [KB] 0, 1, 4, 5, 6, 7, 3, 2; [Q] same. */
	.fsel_code = { 0, 1, 4, 5, 6, 7, 3, 2 },
	/* Index = OFF, UP, DOWN: BCM2711_PULL_NONE 0, _UP 1, _DOWN 2 [K]; [U] get/set_pull. Note the
	 * encoding differs from BCM2835's GPPUD (down 1, up 2). Field value 3 is not produced by [K]
	 * or [U] (reserved). */
	.pull_code = { 0, 1, 2 },
	.pud_settle_us = 0,	/* no settle sequence: plain read-modify-write [K bcm2711_pull_config_set] */
};

#undef FGPIO_BCM_PWR

_Static_assert(FGPIO_ARRAY_SIZE(fgpio_rpi_labels) == FGPIO_ARRAY_SIZE(fgpio_rpi_j8_lines),
	       "one label per J8 pin");

/* Board compatibles [YB "BCM2711 based Boards"]. */
static const char *const fgpio_bcm2711_compat_4b[] = { "raspberrypi,4-model-b", 0 };
static const char *const fgpio_bcm2711_compat_400[] = { "raspberrypi,400", 0 };
/* CM4: the map is the 40-pin header J8 of the CM4 IO board ([GZ] CM4_BOARD shows J8). */
static const char *const fgpio_bcm2711_compat_cm4[] = { "raspberrypi,4-compute-module", 0 };
/* CM4S: SODIMM module without a 40-pin header; "raspberrypi,4-compute-module-s" in
 * raspberrypi/linux arch/arm/boot/dts/broadcom/bcm2711-rpi-cm4s.dts (@ 0221acdb8041). */
static const char *const fgpio_bcm2711_compat_cm4s[] = { "raspberrypi,4-compute-module-s", 0 };

static const struct fgpio_board_desc fgpio_bcm2711_boards[] = {
	{ "Raspberry Pi 4 Model B", fgpio_bcm2711_compat_4b, fgpio_rpi_labels,
	  fgpio_rpi_j8_lines, 40, 0 },
	{ "Raspberry Pi 400", fgpio_bcm2711_compat_400, fgpio_rpi_labels,
	  fgpio_rpi_j8_lines, 40, 0 },
	{ "Raspberry Pi Compute Module 4 (IO board 40-pin header)", fgpio_bcm2711_compat_cm4,
	  fgpio_rpi_labels, fgpio_rpi_j8_lines, 40, 0 },
	{ "Raspberry Pi Compute Module 4S (no header map)", fgpio_bcm2711_compat_cm4s, 0, 0, 0, 0 },
	{ "Raspberry Pi (40-pin header)", 0, fgpio_rpi_labels, fgpio_rpi_j8_lines, 40, 0 },
};

/* ---- Hardware PWM ----
 * The PWM0 and PWM1 blocks share one PWM clock; registers as BCM2835's
 * (boards/family_bcm2835.h). [DTP2] bcm2711.dtsi (@ 0de09025f161): pwm1@7e20c800 (reg
 * <0x7e20c800 0x28>, clocks BCM2835_CLOCK_PWM), pwm@7e20c000 from bcm283x.dtsi, clk_osc clock-frequency <54000000>, pin
 * groups pwm0_0_gpio12/18/52, pwm0_1_gpio13/19/45/53, pwm1_0_gpio40, pwm1_1_gpio41 (function
 * alt0, alt5 for 18/19, alt1 for 52/53). No emulator has this SoC's PWM: register level only. */
static const struct fgpio_soc_block fgpio_bcm2711_pwm_blocks[] = {
	{ .name = "pwm0", .phys = 0x20c000, .size = 0x28, .flags = FGPIO_BLOCK_RANGES },
	{ .name = "pwm1", .phys = 0x20c800, .size = 0x28, .flags = FGPIO_BLOCK_RANGES },	/* [DTP2] */
	{ .name = "cprman", .phys = 0x101000, .size = 0x2000, .flags = FGPIO_BLOCK_RANGES },
};

static const char *const fgpio_bcm2711_pwm_nodes[] = { "soc/pwm@7e20c000", "soc/pwm@7e20c800" };

static const struct fgpio_pwm_pin fgpio_bcm2711_pwm_pins[] = {
	{ 12, 0, 0, 0 }, { 13, 0, 1, 0 },
	{ 18, 0, 0, 5 }, { 19, 0, 1, 5 },
	{ 40, 1, 0, 0 }, { 41, 1, 1, 0 },
	{ 45, 0, 1, 0 },
	{ 52, 0, 0, 1 }, { 53, 0, 1, 1 },
};

static const struct fgpio_pwm_desc fgpio_bcm2711_pwm = {
	.driver = "bcm2835-pwm",
	.blocks = fgpio_bcm2711_pwm_blocks,
	.npwm = 2,
	.nblocks = FGPIO_ARRAY_SIZE(fgpio_bcm2711_pwm_blocks),
	.nchannels = 2,
	.dt_nodes = fgpio_bcm2711_pwm_nodes,
	.pins = fgpio_bcm2711_pwm_pins,
	.npins = FGPIO_ARRAY_SIZE(fgpio_bcm2711_pwm_pins),
	.clock_hz = 54000000,		/* the oscillator: clk_osc clock-frequency [DTP2] */
	.regs = &fgpio_bcm_pwm_regs,
};

static const char *const fgpio_bcm2711_compat[] = { "brcm,bcm2711", 0 };	/* bcm2711.dtsi */

static const struct fgpio_soc fgpio_soc_bcm2711 = {
	.name = "bcm2711",
	.description = "Broadcom BCM2711 (Raspberry Pi 4 B, 400, CM4)",
	.compatibles = fgpio_bcm2711_compat,
	.ops = &fgpio_bcm2835_ops,
	.flags = FGPIO_SOC_FLAG_RASPBERRY_PI,
	/* bcm2711_gpio_chip .label = "pinctrl-bcm2711", pinctrl-bcm2835.c [K] */
	.gpiochip_label = "pinctrl-bcm2711",
	.bench_line = "GPIO17",		/* header pin 11 */
	.name_style = FGPIO_NAMES_FLAT,	/* pins "gpio0".."gpio57" [K bcm2835_gpio_pins] */
	.nlines = 58,			/* BCM2711_NUM_GPIOS [K][U] */
	.ranges_bus = 0x7e000000,	/* soc ranges child address [DT] */
	.default_base = 0xfe000000,	/* soc ranges parent address (0x0 0xfe000000) [DT] */
	/* "High peripheral" mode (arm_peri_high): soc ranges <0x7c000000 0x4 0x7c000000 0x04000000>
	 * [HP], so bus 0x7e000000 is CPU 0x4_7e000000. */
	.alt_base = 0x47e000000ull,
	.gpiomem_path = "/dev/gpiomem",	/* [GM] */
	.blocks = fgpio_bcm2711_blocks,
	.nblocks = FGPIO_ARRAY_SIZE(fgpio_bcm2711_blocks),
	.banks = fgpio_bcm2711_banks,
	.nbanks = FGPIO_ARRAY_SIZE(fgpio_bcm2711_banks),
	.regs = &fgpio_bcm2711_regs,
	.boards = fgpio_bcm2711_boards,
	.nboards = FGPIO_ARRAY_SIZE(fgpio_bcm2711_boards),
	.pwm = &fgpio_bcm2711_pwm,
};

#endif /* FASTGPIO_BOARDS_BCM2711_H */
