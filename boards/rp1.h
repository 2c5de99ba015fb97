/* SPDX-License-Identifier: MIT */
/*
 * boards/rp1.h - Raspberry Pi RP1 I/O controller (the GPIO of the Raspberry Pi 5).
 *
 * On the Pi 5 the 40-pin header is not wired to the BCM2712 SoC but to RP1,
 * a south bridge behind the SoC's PCIe controller "pcie2". RP1's GPIO unit
 * has 54 lines in three banks and three register regions: IO_BANKn (per-line
 * STATUS/CTRL, function select), SYS_RIOn ("registered IO": OUT, OE, IN of
 * the software GPIO function) and PADS_BANKn (pulls, input enable, output
 * disable, drive). Every RP1 register block has atomic aliases at +0x1000
 * (XOR), +0x2000 (SET) and +0x3000 (CLR).
 *
 * Sources (all facts below carry one of these tags):
 *  [K]  raspberrypi/linux drivers/pinctrl/pinctrl-rp1.c (blob 07ada0cb31,
 *       rpi-6.12.y era): register offsets, fields, rp1_iobanks[], function
 *       table rp1_gpio_pin_funcs[], and the sequences the driver writes.
 *  [U]  raspberrypi/utils pinctrl/gpiochip_rp1.c (blob 2bd898fecb): the same
 *       layout seen through /dev/gpiomem0 (RP1_IO_BANK0_OFFSET ...), window
 *       size 0x30000 (DECLARE_GPIO_CHIP), pad bits.
 *  [DT] raspberrypi/linux arch/arm64/boot/dts/broadcom/: rp1.dtsi (gpio@d0000
 *       reg <0xc0 0x400d0000 0x0 0xc000> x3 at 0x400d0000/0x400e0000/
 *       0x400f0000), bcm2712-rpi.dtsi (gpiomem@d0000: reg <0xc0 0x400d0000
 *       0x0 0x30000>, chardev-name "gpiomem0"), bcm2712-rpi-5-b.dts (root
 *       compatible; &rp1 ranges <0xc0 0x40000000  0x02000000 0x0 0x0
 *       0x0 0x00410000>), bcm2712.dtsi (pcie@1000120000 ranges
 *       <0x02000000 0x0 0x0  0x1f 0x0  0x0 0xfffffffc>; /axi ranges identity
 *       for 0x1c_00000000..0x1f_ffffffff).
 *  [GM] raspberrypi/linux drivers/char/raspberrypi-gpiomem.c: mmap ignores the
 *       file offset and fails (EINVAL) unless the mapping covers the whole
 *       concatenated window, so /dev/gpiomem0 is mapped whole (0x30000).
 *  [PIN] Raspberry Pi documentation, "GPIO and the 40-pin header": the Pi 5
 *       header is the same map as every 40-pin Pi (boards/rpi_header.h),
 *       cross-checked with gpio-line-names of &rp1_gpio in bcm2712-rpi-5-b.dts
 *       (GPIO0 = ID_SDA, GPIO1 = ID_SCL).
 *
 * No emulator models RP1: these values are verified against the kernel
 * driver and Raspberry Pi's own pinctrl tool, not against hardware.
 */
#ifndef FASTGPIO_BOARDS_RP1_H
#define FASTGPIO_BOARDS_RP1_H

#include "soc.h"
#include "family_rp1.h"
#include "rpi_header.h"

/*
 * RP1 bus address of its peripheral window: [DT] rp1.dtsi reg cells are
 * <0xc0 0x4xxxxxxx>, and &rp1 ranges map child 0xc0_40000000 (size 0x410000)
 * onto PCIe memory address 0.
 */
#define FGPIO_RP1_PERIPH_BUS 0xc040000000ull

/*
 * CPU physical address of that window on a Pi 5: PCIe 0x0 -> CPU
 * 0x1f_00000000 ([DT] bcm2712.dtsi pcie@1000120000 ranges, /axi identity).
 * locate() derives it from the running device tree; this default serves
 * register files (and is what the derivation gives on a stock Pi 5).
 */
#define FGPIO_RP1_PERIPH_CPU 0x1f00000000ull

/* Block indices (order of fgpio_rp1_blocks[]). */
#define FGPIO_RP1_BLK_IO 0u
#define FGPIO_RP1_BLK_RIO 1u
#define FGPIO_RP1_BLK_PADS 2u

/*
 * One block per register region, each the 64 KiB slot RP1 gives it: IO_BANK0
 * at 0x400d0000, SYS_RIO0 at 0x400e0000, PADS_BANK0 at 0x400f0000 [DT]
 * rp1.dtsi gpio@d0000 reg; banks 1 and 2 at +0x4000 / +0x8000 inside each
 * ([K] rp1_iobanks[]). Their gpiomem offsets 0x00000 / 0x10000 / 0x20000 are
 * [U] RP1_IO_BANK0_OFFSET / RP1_SYS_RIO_BANK0_OFFSET / RP1_PADS_BANK0_OFFSET,
 * i.e. the three slots concatenated as the /dev/gpiomem0 window of 0x30000
 * bytes [DT] bcm2712-rpi.dtsi gpiomem@d0000. Sizing the blocks as whole slots
 * makes the blocks end exactly at the window's end, so the whole window is
 * mapped ([GM] refuses a shorter mapping). Each bank uses +0x0000..+0x3fff of
 * its 16 KiB (RW, XOR, SET, CLR pages); the DT declares 0xc000 per region, the
 * rest of each slot is never accessed.
 * phys is an offset from the RP1 peripheral window (FGPIO_BLOCK_RANGES): the
 * base comes from locate() (or default_base for register files).
 */
static const struct fgpio_soc_block fgpio_rp1_blocks[] = {
	{ "io_bank", 0x000d0000u, 0x10000u, 0x00000u, FGPIO_BLOCK_RANGES | FGPIO_BLOCK_GPIOMEM },
	{ "sys_rio", 0x000e0000u, 0x10000u, 0x10000u, FGPIO_BLOCK_RANGES | FGPIO_BLOCK_GPIOMEM },
	{ "pads_bank", 0x000f0000u, 0x10000u, 0x20000u, FGPIO_BLOCK_RANGES | FGPIO_BLOCK_GPIOMEM },
};

/* [K] rp1_iobanks[]: { 0, 28 }, { 28, 6 }, { 34, 20 }; data registers in SYS_RIO. */
static const struct fgpio_soc_bank fgpio_rp1_banks[] = {
	{ 0, 28, FGPIO_RP1_BLK_RIO },
	{ 28, 6, FGPIO_RP1_BLK_RIO },
	{ 34, 20, FGPIO_RP1_BLK_RIO },
};

/* Bit n set: FUNCSEL n (ALTn) drives a peripheral on this line. */
#define FGPIO_RP1_ALL_ALTS 0x1ffu
#define FGPIO_RP1_NO(n) (FGPIO_RP1_ALL_ALTS & ~(1u << (n)))

/*
 * Valid ALT numbers per line: [K] rp1_gpio_pin_funcs[] entries "_" (no
 * function) removed; [U] rp1_gpio_fsel_names[] has 0 / missing entries in
 * the same places. ALT5 (SYS_RIO, software GPIO) and ALT6 (PROC_RIO) exist on
 * every line.
 */
static const uint16_t fgpio_rp1_alt_valid[54] = {
	FGPIO_RP1_NO(4), FGPIO_RP1_NO(4),			/* 0, 1: alt4 "_" */
	FGPIO_RP1_ALL_ALTS, FGPIO_RP1_ALL_ALTS, FGPIO_RP1_ALL_ALTS, /* 2-4 */
	FGPIO_RP1_ALL_ALTS, FGPIO_RP1_ALL_ALTS, FGPIO_RP1_ALL_ALTS, /* 5-7 */
	FGPIO_RP1_NO(4), FGPIO_RP1_NO(4), FGPIO_RP1_NO(4), FGPIO_RP1_NO(4), /* 8-11: alt4 "_" */
	FGPIO_RP1_ALL_ALTS, FGPIO_RP1_ALL_ALTS, FGPIO_RP1_ALL_ALTS, FGPIO_RP1_ALL_ALTS, /* 12-15 */
	FGPIO_RP1_NO(3) & FGPIO_RP1_NO(8), FGPIO_RP1_NO(3) & FGPIO_RP1_NO(8), /* 16, 17 */
	FGPIO_RP1_ALL_ALTS,					/* 18: alt8 gpclk1 */
	FGPIO_RP1_NO(8), FGPIO_RP1_NO(8), FGPIO_RP1_NO(8),	/* 19-21 */
	FGPIO_RP1_NO(8), FGPIO_RP1_NO(8),			/* 22, 23 */
	FGPIO_RP1_NO(3),					/* 24: alt3 "_" */
	FGPIO_RP1_ALL_ALTS, FGPIO_RP1_ALL_ALTS, FGPIO_RP1_ALL_ALTS, /* 25-27 */
	/* 28-37: alt7, alt8 "_" */
	FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8), FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8),
	FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8), FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8),
	FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8), FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8),
	FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8), FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8),
	FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8), FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8),
	FGPIO_RP1_NO(8), FGPIO_RP1_NO(8),			/* 38, 39: alt7 dsiN_te_ext */
	/* 40-45 */
	FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8), FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8),
	FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8), FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8),
	FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8), FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8),
	FGPIO_RP1_NO(8), FGPIO_RP1_NO(8),			/* 46, 47: alt7 dsiN_te_ext */
	/* 48-51 */
	FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8), FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8),
	FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8), FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8),
	FGPIO_RP1_NO(1) & FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8),	/* 52: alt1 "_" */
	FGPIO_RP1_NO(2) & FGPIO_RP1_NO(7) & FGPIO_RP1_NO(8),	/* 53: alt2 "_" */
};

static const struct fgpio_rp1_regs fgpio_rp1_regs = {
	.io_block = FGPIO_RP1_BLK_IO,
	.rio_block = FGPIO_RP1_BLK_RIO,
	.pads_block = FGPIO_RP1_BLK_PADS,
	/* [K] rp1_iobanks[] gpio / rio / pads columns; [U] *_BANKn_OFFSET. */
	.io_bank = { 0x0000u, 0x4000u, 0x8000u },
	.rio_bank = { 0x0000u, 0x4000u, 0x8000u },
	.pads_bank = { 0x0000u, 0x4000u, 0x8000u },
	/* [K] RP1_GPIO_STATUS 0x0, RP1_GPIO_CTRL 0x4, line n at n * 2 * sizeof(u32). */
	.status = 0x0u,
	.ctrl = 0x4u,
	.io_stride = 8u,
	/* [K] RP1_RIO_OUT 0x00, RP1_RIO_OE 0x04, RP1_RIO_IN 0x08 (read by
	 * rp1_get_value(); [U] calls the same word SYNC_IN). */
	.rio_out = 0x00u,
	.rio_oe = 0x04u,
	.rio_in = 0x08u,
	/* [K] RP1_XOR_OFFSET / RP1_SET_OFFSET / RP1_CLR_OFFSET. */
	.alias_xor = 0x1000u,
	.alias_set = 0x2000u,
	.alias_clr = 0x3000u,
	/* [K] rp1_iobanks[] pads column 0x0004: VOLTAGE_SELECT at 0, line n at
	 * 4 + 4n; [U] RP1_GPIO_PADS_REG_OFFSET. */
	.pads_first = 0x4u,
	.pads_stride = 4u,
	/* [K] RP1_GPIO_CTRL_FUNCSEL_MASK 0x1f, OUTOVER 13:12, OEOVER 15:14, INOVER 17:16. */
	.ctrl_funcsel_mask = 0x0000001fu,
	.ctrl_outover_mask = 0x00003000u,
	.ctrl_oeover_mask = 0x0000c000u,
	.ctrl_inover_mask = 0x00030000u,
	/* [K] RP1_FSEL_COUNT 9 (alt0..alt8), RP1_FSEL_GPIO 5, RP1_FSEL_NONE_HW 0x1f;
	 * [U] RP1_FSEL_SYS_RIO = ALT5, RP1_FSEL_NULL 0x1f. */
	.fsel_count = 9u,
	.fsel_sys_rio = 5u,
	.fsel_null = 0x1fu,
	/* [K] RP1_PAD_PULL_MASK 0x0c (PDE bit 2 = RP1_PUD_DOWN 1 << 2, PUE bit 3 =
	 * RP1_PUD_UP 2 << 2), RP1_PAD_IN_ENABLE_MASK 0x40, RP1_PAD_OUT_DISABLE_MASK
	 * 0x80; [U] RP1_PADS_PDE_SET / PUE_SET / IE_SET / OD_SET.
	 * Both PDE and PUE set is reported as KEEPER (src/soc_rp1.c): that row
	 * rests on no RP1 source ([K] and [U] name no such state); it is the
	 * RP2040 pad cell's meaning, carried over by analogy. */
	.pad_pde = 0x04u,
	.pad_pue = 0x08u,
	.pad_ie = 0x40u,
	.pad_od = 0x80u,
	.alt_valid = fgpio_rp1_alt_valid,
	.nalt_valid = 54u,
};


static const char *const fgpio_rp1_pi5_compatibles[] = { "raspberrypi,5-model-b", 0 };

static const struct fgpio_board_desc fgpio_rp1_boards[] = {
	{ "Raspberry Pi 5 Model B", fgpio_rp1_pi5_compatibles, fgpio_rpi_labels,
	  fgpio_rpi_j8_lines, 40u, 0 },
	/* Other BCM2712 + RP1 boards with the 40-pin header (Pi 500, CM5 IO board). */
	{ "Raspberry Pi 5 family (BCM2712 + RP1)", 0, fgpio_rpi_labels,
	  fgpio_rpi_j8_lines, 40u, 0 },
};

/* [DT] bcm2712-rpi-5-b.dts: compatible = "raspberrypi,5-model-b", "brcm,bcm2712". */
static const char *const fgpio_rp1_compatibles[] = { "raspberrypi,5-model-b", "brcm,bcm2712", 0 };

static const struct fgpio_soc fgpio_soc_rp1 = {
	.name = "rp1",
	.description = "Raspberry Pi RP1 I/O controller (Raspberry Pi 5, BCM2712 over PCIe)",
	.compatibles = fgpio_rp1_compatibles,
	.ops = &fgpio_rp1_ops,
	/* Behind PCIe: stores are posted and can still be in flight when the
	   CPU reads its clock, so timed code reads the block back first. */
	.flags = FGPIO_SOC_FLAG_RASPBERRY_PI | FGPIO_SOC_FLAG_POSTED_WRITES,
	/* gpio_chip .label = MODULE_NAME "pinctrl-rp1", pinctrl-rp1.c
	   (raspberrypi/linux rpi-6.6.y) [K] */
	.gpiochip_label = "pinctrl-rp1",
	.bench_line = "GPIO17",		/* header pin 11 */
	.name_style = FGPIO_NAMES_FLAT,
	.nlines = 54,			/* [K] RP1_NUM_GPIOS */
	.ranges_bus = FGPIO_RP1_PERIPH_BUS,
	.default_base = FGPIO_RP1_PERIPH_CPU,
	.gpiomem_path = "/dev/gpiomem0",	/* [DT] gpiomem@d0000 chardev-name */
	.blocks = fgpio_rp1_blocks,
	.nblocks = FGPIO_ARRAY_SIZE(fgpio_rp1_blocks),
	.banks = fgpio_rp1_banks,
	.nbanks = FGPIO_ARRAY_SIZE(fgpio_rp1_banks),
	.regs = &fgpio_rp1_regs,
	.boards = fgpio_rp1_boards,
	.nboards = FGPIO_ARRAY_SIZE(fgpio_rp1_boards),
	.pwm_unsupported = "RP1 (Raspberry Pi 5): its PWM blocks are not programmed by fastgpio yet; add dtoverlay=pwm-2chan (GPIO18/19) or pwm (GPIO18) to config.txt and use the kernel's /sys/class/pwm (backend='sysfs' in Python)",
};

_Static_assert(FGPIO_ARRAY_SIZE(fgpio_rp1_alt_valid) == 54, "one ALT mask per RP1 line");
_Static_assert(FGPIO_ARRAY_SIZE(fgpio_rpi_j8_lines) == FGPIO_ARRAY_SIZE(fgpio_rpi_labels),
	       "header labels and lines pair up");

#undef FGPIO_RP1_NO
#undef FGPIO_RP1_PWR

#endif /* FASTGPIO_BOARDS_RP1_H */
