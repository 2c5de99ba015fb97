/* SPDX-License-Identifier: MIT */
/*
 * boards/bcm2835.h - Broadcom BCM2835 / BCM2836 / BCM2837 GPIO tables
 * (Raspberry Pi 1, Zero, Zero W, 2, 3, Zero 2 W, CM1, CM3).
 *
 * Data only. Sources (facts and numbers, no code copied):
 *  [K]   Linux drivers/pinctrl/bcm/pinctrl-bcm2835.c (torvalds/linux @ d5984d29afdb):
 *        register macros GPFSEL0..GPPUDCLK0, FSEL_REG/FSEL_SHIFT, GPIO_REG_OFFSET/SHIFT,
 *        BCM2835_NUM_GPIOS 54, bcm2835_pull_config_set(), bcm2835_pinctrl_fsel_set().
 *  [KB]  Linux include/dt-bindings/pinctrl/bcm2835.h (@ 30c092337017): BCM2835_FSEL_* and
 *        BCM2835_PUD_* values.
 *  [Q]   QEMU hw/gpio/bcm2835_gpio.c (qemu/qemu @ 06b40d250ecf): same register offsets,
 *        GPSET1/GPCLR1 cover 22 lines (32..53), 0x1000-byte region.
 *  [U]   raspberrypi/utils pinctrl/gpiochip_bcm2835.c (@ 22d86fe17694): word indices
 *        GPFSEL0=0, GPSET0=7, GPCLR0=10, GPLEV0=13, GPPUD=37, GPPUDCLK0=38, fsel codes,
 *        bcm2835_gpio_set_pull() (GPPUD, wait, CLK, wait, GPPUD=0, CLK=0; usleep(10)).
 *  [DT]  Linux arch/arm/boot/dts/broadcom/: bcm283x.dtsi (@ 7051309819b2) gpio@7e200000
 *        reg <0x7e200000 0xb4>; bcm2835.dtsi (@ 0791faebfe75) soc ranges
 *        <0x7e000000 0x20000000 0x02000000>; bcm2836.dtsi (@ 908ae7e081bc) and
 *        bcm2837.dtsi (@ 44722ff7611c) ranges <0x7e000000 0x3f000000 0x1000000>.
 *  [YB]  Linux Documentation/devicetree/bindings/arm/bcm/bcm2835.yaml (@ 254a14200711):
 *        the board compatibles listed per SoC below.
 *  [GM]  raspberrypi/linux drivers/char/broadcom/bcm2835-gpiomem.c (@ 020873a95d8d):
 *        bcm2835_gpiomem_mmap() ignores the offset and maps one page at the GPIO block.
 *  [GZ]  gpiozero gpiozero/pins/data.py (@ 00bce87d2937): header maps REV1_P1, REV2_P1,
 *        PLUS_J8 (pin -> GPIO / 3V3 / 5V / GND).
 *  [RC]  raspberrypi/documentation revision-codes: old-style 0002/0003 = Model B 1.0,
 *        0007..0009 = Model A 2.0.
 */
#ifndef FASTGPIO_BOARDS_BCM2835_H
#define FASTGPIO_BOARDS_BCM2835_H

#include "soc.h"
#include "family_bcm2835.h"
#include "rpi_header.h"

/* One 4 KiB block: the GPIO controller at bus 0x7e200000 [DT bcm283x.dtsi]. The DT size is
 * 0xb4; we map the whole page (QEMU models 0x1000 bytes [Q], gpiomem maps one page [GM]). */
static const struct fgpio_soc_block fgpio_bcm283x_blocks[] = {
	{
		.name = "gpio",
		.phys = 0x200000,	/* 0x7e200000 - ranges child 0x7e000000 [DT] */
		.size = 4096,		/* one page [GM] */
		.gpiomem_offset = 0,	/* gpiomem maps the GPIO block at offset 0 [GM] */
		.flags = FGPIO_BLOCK_RANGES | FGPIO_BLOCK_GPIOMEM,
	},
};

/* 54 lines [K BCM2835_NUM_GPIOS]: bank 0 = GPIO0..31, bank 1 = GPIO32..53 (22 lines:
 * QEMU gpset(s, value, 32, 22, ...) [Q]; GPIO_REG_OFFSET(p) = p / 32 [K]). */
static const struct fgpio_soc_bank fgpio_bcm283x_banks[] = {
	{ .first_line = 0, .nlines = 32, .block = 0 },
	{ .first_line = 32, .nlines = 22, .block = 0 },
};

static const struct fgpio_bcm_regs fgpio_bcm283x_regs = {
	.gpfsel0 = 0x00,	/* GPFSEL0 0x0 [K][Q]; word 0 [U] */
	.gpset0 = 0x1c,		/* GPSET0 0x1c [K][Q]; word 7 [U] */
	.gpclr0 = 0x28,		/* GPCLR0 0x28 [K][Q]; word 10 [U] */
	.gplev0 = 0x34,		/* GPLEV0 0x34 [K][Q]; word 13 [U] */
	.gppud = 0x94,		/* GPPUD 0x94 [K][Q]; word 37 [U] */
	.gppudclk0 = 0x98,	/* GPPUDCLK0 0x98 [K][Q]; word 38 [U] */
	.pup_pdn0 = 0,		/* not on BCM2835/6/7: no GP_GPIO_PUP_PDN_CNTRL in its DT match [K] */
	.pull_style = FGPIO_BCM_PULL_GPPUD,	/* bcm2835_pinconf_ops -> bcm2835_pull_config_set [K] */
	/* Index = enum fgpio_func (IN, OUT, ALT0..ALT5). [KB] BCM2835_FSEL_GPIO_IN 0, _GPIO_OUT 1,
	 * _ALT0 4, _ALT1 5, _ALT2 6, _ALT3 7, _ALT4 3, _ALT5 2; same in [U] set_fsel. */
	.fsel_code = { 0, 1, 4, 5, 6, 7, 3, 2 },
	/* Index = OFF, UP, DOWN. [KB] BCM2835_PUD_OFF 0, BCM2835_PUD_DOWN 1, BCM2835_PUD_UP 2;
	 * bcm2835_pull_config_set writes arg & 3 to GPPUD [K]. */
	.pull_code = { 0, 2, 1 },
	/* Datasheet: wait 150 cycles after GPPUD and after GPPUDCLK. The kernel waits udelay(1)
	 * (comment: 150 VPU cycles at 250 MHz) [K bcm2835_pull_config_set]; Raspberry Pi's own
	 * pinctrl waits usleep(10) [U bcm2835_gpio_set_pull]. We take the longer, 10 us: a pull
	 * change is not timing critical and a short wait risks the pad not latching. */
	.pud_settle_us = 10,
};

/* 26-pin P1, PCB revision 2.0 (Model B rev 2, Model A) [GZ REV2_P1]: the first 26 pins of J8. */
static const int16_t fgpio_bcm2835_p1_rev2_lines[26] = {
	FGPIO_RPI_PWR, FGPIO_RPI_PWR, 2, FGPIO_RPI_PWR, 3, FGPIO_RPI_PWR, 4, 14,
	FGPIO_RPI_PWR, 15, 17, 18, 27, FGPIO_RPI_PWR, 22, 23, FGPIO_RPI_PWR, 24,
	10, FGPIO_RPI_PWR, 9, 25, 11, 8, FGPIO_RPI_PWR, 7,
};

/* 26-pin P1, PCB revision 1.0 (Model B rev 1) [GZ REV1_P1]: as rev 2 except pin 3 = GPIO0,
 * pin 5 = GPIO1, pin 13 = GPIO21. (Early rev 1 documents mark pins 4/9/14/17/20/25 "DNC";
 * [GZ] lists them as 5V/GND/3V3, as here.) */
static const int16_t fgpio_bcm2835_p1_rev1_lines[26] = {
	FGPIO_RPI_PWR, FGPIO_RPI_PWR, 0, FGPIO_RPI_PWR, 1, FGPIO_RPI_PWR, 4, 14,
	FGPIO_RPI_PWR, 15, 17, 18, 21, FGPIO_RPI_PWR, 22, 23, FGPIO_RPI_PWR, 24,
	10, FGPIO_RPI_PWR, 9, 25, 11, 8, FGPIO_RPI_PWR, 7,
};

#undef FGPIO_RPI_PWR

_Static_assert(FGPIO_ARRAY_SIZE(fgpio_rpi_labels) == FGPIO_ARRAY_SIZE(fgpio_rpi_j8_lines),
	       "one label per J8 pin");

/* ---- board compatibles (root "compatible", first string) ---- */

/* BCM2835 [YB "BCM2835 based Boards"]. */
static const char *const fgpio_bcm2835_compat_40pin_a_plus[] = { "raspberrypi,model-a-plus", 0 };
static const char *const fgpio_bcm2835_compat_40pin_b_plus[] = { "raspberrypi,model-b-plus", 0 };
static const char *const fgpio_bcm2835_compat_zero[] = { "raspberrypi,model-zero", 0 };
static const char *const fgpio_bcm2835_compat_zero_w[] = { "raspberrypi,model-zero-w", 0 };
/*
 * Model B: mainline uses "raspberrypi,model-b" for PCB rev 1 (bcm2835-rpi-b.dts, "Taken from
 * Raspberry-Pi-Rev-1.0-Model-AB-Schematics.pdf") and "raspberrypi,model-b-rev2" for rev 2
 * (bcm2835-rpi-b-rev2.dts). The Raspberry Pi kernel uses "raspberrypi,model-b" for BOTH
 * (raspberrypi/linux bcm2708-rpi-b.dts @ 3f3fe4839ba2 is rev 2.0, bcm2708-rpi-b-rev1.dts
 * @ 2aae6b55d28a is rev 1.0). Rev 2 boards vastly outnumber rev 1 and most Pis run the
 * Raspberry Pi kernel, so "raspberrypi,model-b" selects the rev 2 map here; rev 1 is told apart
 * by /system/linux,revision (0002/0003 [RC]), which detection reads before the compatibles.
 * "raspberrypi,model-b-i2c0" is "Raspberry Pi Model B (no P5)" [YB]: P5 came with rev 2, so
 * this is rev 1.
 */
static const char *const fgpio_bcm2835_compat_b_rev1[] = { "raspberrypi,model-b-i2c0", 0 };
/* Old-style revision codes 0002 and 0003 are Model B PCB rev 1.0 [RC]. */
static const uint32_t fgpio_bcm2835_revisions_b_rev1[] = { 0x0002, 0x0003, 0 };
static const char *const fgpio_bcm2835_compat_b_rev2[] = {
	"raspberrypi,model-b-rev2", "raspberrypi,model-b", 0
};
/* Model A boards are all PCB rev 2.0 (0007..0009 [RC]). */
static const char *const fgpio_bcm2835_compat_a[] = { "raspberrypi,model-a", 0 };
/* Compute Module 1 [YB]: a SODIMM module with no 40-pin header. */
static const char *const fgpio_bcm2835_compat_cm1[] = { "raspberrypi,compute-module", 0 };

static const struct fgpio_board_desc fgpio_bcm2835_boards[] = {
	{ "Raspberry Pi Model A+", fgpio_bcm2835_compat_40pin_a_plus, fgpio_rpi_labels,
	  fgpio_rpi_j8_lines, 40, 0 },
	{ "Raspberry Pi Model B+", fgpio_bcm2835_compat_40pin_b_plus, fgpio_rpi_labels,
	  fgpio_rpi_j8_lines, 40, 0 },
	{ "Raspberry Pi Zero", fgpio_bcm2835_compat_zero, fgpio_rpi_labels,
	  fgpio_rpi_j8_lines, 40, 0 },
	{ "Raspberry Pi Zero W", fgpio_bcm2835_compat_zero_w, fgpio_rpi_labels,
	  fgpio_rpi_j8_lines, 40, 0 },
	{ "Raspberry Pi Model B rev 1 (26-pin P1)", fgpio_bcm2835_compat_b_rev1,
	  fgpio_rpi_labels, fgpio_bcm2835_p1_rev1_lines, 26, fgpio_bcm2835_revisions_b_rev1 },
	{ "Raspberry Pi Model B rev 2 (26-pin P1)", fgpio_bcm2835_compat_b_rev2,
	  fgpio_rpi_labels, fgpio_bcm2835_p1_rev2_lines, 26, 0 },
	{ "Raspberry Pi Model A (26-pin P1)", fgpio_bcm2835_compat_a, fgpio_rpi_labels,
	  fgpio_bcm2835_p1_rev2_lines, 26, 0 },
	{ "Raspberry Pi Compute Module (no header map)", fgpio_bcm2835_compat_cm1, 0, 0, 0, 0 },
	{ "Raspberry Pi (40-pin header)", 0, fgpio_rpi_labels, fgpio_rpi_j8_lines, 40, 0 },
};

/* BCM2836 [YB "BCM2836 based Boards"]. */
static const char *const fgpio_bcm2836_compat_2b[] = { "raspberrypi,2-model-b", 0 };

static const struct fgpio_board_desc fgpio_bcm2836_boards[] = {
	{ "Raspberry Pi 2 Model B", fgpio_bcm2836_compat_2b, fgpio_rpi_labels,
	  fgpio_rpi_j8_lines, 40, 0 },
	{ "Raspberry Pi (40-pin header)", 0, fgpio_rpi_labels, fgpio_rpi_j8_lines, 40, 0 },
};

/* BCM2837 [YB "BCM2837 based Boards"]; the Pi 2 B v1.2 (BCM2837) is "raspberrypi,2-model-b-rev2"
 * in mainline bcm2837-rpi-2-b.dts (@ f088104d837a). */
static const char *const fgpio_bcm2837_compat_2b[] = {
	"raspberrypi,2-model-b-rev2", "raspberrypi,2-model-b", 0
};
static const char *const fgpio_bcm2837_compat_3b[] = { "raspberrypi,3-model-b", 0 };
static const char *const fgpio_bcm2837_compat_3b_plus[] = { "raspberrypi,3-model-b-plus", 0 };
static const char *const fgpio_bcm2837_compat_3a_plus[] = { "raspberrypi,3-model-a-plus", 0 };
/* "raspberrypi,model-zero-2-w" [YB]; bcm2837-rpi-zero-2-w.dts (@ 61b7369483ef). */
static const char *const fgpio_bcm2837_compat_zero_2_w[] = { "raspberrypi,model-zero-2-w", 0 };
/* Compute Module 3 / 3 Lite [YB]: SODIMM modules with no 40-pin header. */
static const char *const fgpio_bcm2837_compat_cm3[] = {
	"raspberrypi,3-compute-module", "raspberrypi,3-compute-module-lite", 0
};

static const struct fgpio_board_desc fgpio_bcm2837_boards[] = {
	{ "Raspberry Pi 2 Model B v1.2", fgpio_bcm2837_compat_2b, fgpio_rpi_labels,
	  fgpio_rpi_j8_lines, 40, 0 },
	{ "Raspberry Pi 3 Model B", fgpio_bcm2837_compat_3b, fgpio_rpi_labels,
	  fgpio_rpi_j8_lines, 40, 0 },
	{ "Raspberry Pi 3 Model B+", fgpio_bcm2837_compat_3b_plus, fgpio_rpi_labels,
	  fgpio_rpi_j8_lines, 40, 0 },
	{ "Raspberry Pi 3 Model A+", fgpio_bcm2837_compat_3a_plus, fgpio_rpi_labels,
	  fgpio_rpi_j8_lines, 40, 0 },
	{ "Raspberry Pi Zero 2 W", fgpio_bcm2837_compat_zero_2_w, fgpio_rpi_labels,
	  fgpio_rpi_j8_lines, 40, 0 },
	{ "Raspberry Pi Compute Module 3 (no header map)", fgpio_bcm2837_compat_cm3, 0, 0, 0, 0 },
	{ "Raspberry Pi (40-pin header)", 0, fgpio_rpi_labels, fgpio_rpi_j8_lines, 40, 0 },
};

/* ---- Hardware PWM ----
 * Sources (facts and numbers, no code copied):
 *  Registers, bits and rounding: boards/family_bcm2835.h ([PK] pwm-bcm2835.c, [CK]
 *  clk-bcm2835.c, [Q] QEMU's clock manager).
 *  [DTP] Linux arch/arm/boot/dts/broadcom/bcm283x.dtsi (@ 7051309819b2): pwm@7e20c000 reg
 *        <0x7e20c000 0x28>, status "disabled", assigned-clock-rates <10000000>;
 *        cprman@7e101000 reg <0x7e101000 0x2000>; clk_osc clock-frequency <19200000>.
 *  [DTG] bcm2835-common.dtsi (@ 6cc0d5f4a9a5) pin groups pwm0_gpio12/18/40 (channel 0) and
 *        pwm1_gpio13/19/41/45 (channel 1) with their BCM2835_FSEL_ALTn.
 *  QEMU (hw/arm/bcm2835_peripherals.c) maps no PWM device at 0x20c000: RAM on raspi2b/3b.
 */
static const struct fgpio_soc_block fgpio_bcm283x_pwm_blocks[] = {
	{ .name = "pwm0", .phys = 0x20c000, .size = 0x28,	/* 0x7e20c000, 0x28 bytes [DTP] */
	  .flags = FGPIO_BLOCK_RANGES },
	{ .name = "cprman", .phys = 0x101000, .size = 0x2000,	/* 0x7e101000 [DTP] */
	  .flags = FGPIO_BLOCK_RANGES },
};

static const char *const fgpio_bcm283x_pwm_nodes[] = { "soc/pwm@7e20c000" };	/* [DTP] */

/* Channel 0 is the output the pin groups call "pwm0", channel 1 "pwm1" [DTG]. */
static const struct fgpio_pwm_pin fgpio_bcm283x_pwm_pins[] = {
	{ 12, 0, 0, 0 }, { 13, 0, 1, 0 },
	{ 18, 0, 0, 5 }, { 19, 0, 1, 5 },
	{ 40, 0, 0, 0 }, { 41, 0, 1, 0 },
	{ 45, 0, 1, 0 },
};

static const struct fgpio_pwm_desc fgpio_bcm283x_pwm = {
	.driver = "bcm2835-pwm",	/* platform driver name [PK] */
	.blocks = fgpio_bcm283x_pwm_blocks,
	.npwm = 1,
	.nblocks = FGPIO_ARRAY_SIZE(fgpio_bcm283x_pwm_blocks),
	.nchannels = 2,
	.dt_nodes = fgpio_bcm283x_pwm_nodes,
	.pins = fgpio_bcm283x_pwm_pins,
	.npins = FGPIO_ARRAY_SIZE(fgpio_bcm283x_pwm_pins),
	.clock_hz = 19200000,		/* the oscillator: clk_osc clock-frequency [DTP] */
	.regs = &fgpio_bcm_pwm_regs,	/* the family's layout (boards/family_bcm2835.h) */
};

/* ---- SoC tables ---- */

static const char *const fgpio_bcm2835_compat[] = { "brcm,bcm2835", 0 };	/* bcm2835.dtsi */
static const char *const fgpio_bcm2836_compat[] = { "brcm,bcm2836", 0 };	/* bcm2836.dtsi */
static const char *const fgpio_bcm2837_compat[] = { "brcm,bcm2837", 0 };	/* bcm2837.dtsi */

static const struct fgpio_soc fgpio_soc_bcm2835 = {
	.name = "bcm2835",
	.description = "Broadcom BCM2835 (Raspberry Pi 1, Zero, Zero W, CM1)",
	.compatibles = fgpio_bcm2835_compat,
	.ops = &fgpio_bcm2835_ops,
	.flags = FGPIO_SOC_FLAG_RASPBERRY_PI,
	/* bcm2835_gpio_chip .label = MODULE_NAME "pinctrl-bcm2835" [K] */
	.gpiochip_label = "pinctrl-bcm2835",
	.bench_line = "GPIO17",		/* header pin 11 on every 26- and 40-pin Pi */
	.name_style = FGPIO_NAMES_FLAT,	/* pins "gpio0".."gpio53" [K bcm2835_gpio_pins] */
	.nlines = 54,			/* BCM2835_NUM_GPIOS [K] */
	.ranges_bus = 0x7e000000,	/* soc ranges child address [DT bcm2835.dtsi] */
	.default_base = 0x20000000,	/* soc ranges parent address [DT bcm2835.dtsi] */
	.gpiomem_path = "/dev/gpiomem",	/* DEVICE_NAME "gpiomem" device node [GM] */
	.blocks = fgpio_bcm283x_blocks,
	.nblocks = FGPIO_ARRAY_SIZE(fgpio_bcm283x_blocks),
	.banks = fgpio_bcm283x_banks,
	.nbanks = FGPIO_ARRAY_SIZE(fgpio_bcm283x_banks),
	.regs = &fgpio_bcm283x_regs,
	.boards = fgpio_bcm2835_boards,
	.nboards = FGPIO_ARRAY_SIZE(fgpio_bcm2835_boards),
	.pwm = &fgpio_bcm283x_pwm,
};

static const struct fgpio_soc fgpio_soc_bcm2836 = {
	.name = "bcm2836",
	.description = "Broadcom BCM2836 (Raspberry Pi 2 Model B)",
	.compatibles = fgpio_bcm2836_compat,
	.ops = &fgpio_bcm2835_ops,
	.flags = FGPIO_SOC_FLAG_RASPBERRY_PI,
	/* bcm2835_gpio_chip .label = MODULE_NAME "pinctrl-bcm2835" [K] */
	.gpiochip_label = "pinctrl-bcm2835",
	.bench_line = "GPIO17",		/* header pin 11 on every 26- and 40-pin Pi */
	.name_style = FGPIO_NAMES_FLAT,
	.nlines = 54,			/* same GPIO block, brcm,bcm2835-gpio [DT bcm283x.dtsi] */
	.ranges_bus = 0x7e000000,	/* [DT bcm2836.dtsi] */
	.default_base = 0x3f000000,	/* [DT bcm2836.dtsi] */
	.gpiomem_path = "/dev/gpiomem",
	.blocks = fgpio_bcm283x_blocks,
	.nblocks = FGPIO_ARRAY_SIZE(fgpio_bcm283x_blocks),
	.banks = fgpio_bcm283x_banks,
	.nbanks = FGPIO_ARRAY_SIZE(fgpio_bcm283x_banks),
	.regs = &fgpio_bcm283x_regs,
	.boards = fgpio_bcm2836_boards,
	.nboards = FGPIO_ARRAY_SIZE(fgpio_bcm2836_boards),
	.pwm = &fgpio_bcm283x_pwm,
};

static const struct fgpio_soc fgpio_soc_bcm2837 = {
	.name = "bcm2837",
	.description = "Broadcom BCM2837 (Raspberry Pi 3, Zero 2 W, 2 B v1.2, CM3)",
	.compatibles = fgpio_bcm2837_compat,
	.ops = &fgpio_bcm2835_ops,
	.flags = FGPIO_SOC_FLAG_RASPBERRY_PI,
	/* bcm2835_gpio_chip .label = MODULE_NAME "pinctrl-bcm2835" [K] */
	.gpiochip_label = "pinctrl-bcm2835",
	.bench_line = "GPIO17",		/* header pin 11 on every 26- and 40-pin Pi */
	.name_style = FGPIO_NAMES_FLAT,
	.nlines = 54,			/* same GPIO block, brcm,bcm2835-gpio [DT bcm283x.dtsi] */
	.ranges_bus = 0x7e000000,	/* [DT bcm2837.dtsi] */
	.default_base = 0x3f000000,	/* [DT bcm2837.dtsi] */
	.gpiomem_path = "/dev/gpiomem",
	.blocks = fgpio_bcm283x_blocks,
	.nblocks = FGPIO_ARRAY_SIZE(fgpio_bcm283x_blocks),
	.banks = fgpio_bcm283x_banks,
	.nbanks = FGPIO_ARRAY_SIZE(fgpio_bcm283x_banks),
	.regs = &fgpio_bcm283x_regs,
	.boards = fgpio_bcm2837_boards,
	.nboards = FGPIO_ARRAY_SIZE(fgpio_bcm2837_boards),
	.pwm = &fgpio_bcm283x_pwm,
};

#endif /* FASTGPIO_BOARDS_BCM2835_H */
