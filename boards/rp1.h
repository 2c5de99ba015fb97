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


/* ---- Hardware PWM ----
 * Sources (facts and numbers, no code copied):
 *  [PR]  raspberrypi/linux drivers/pwm/pwm-rp1.c (blobs 0389832f, 8cdadfaf; the driver
 *        Raspberry Pi OS ships): PWM_GLOBAL_CTRL 0x000, PWM_CHANNEL_CTRL(x) 0x014 + 0x10x,
 *        PWM_RANGE(x) 0x018 + 0x10x, PWM_DUTY(x) 0x020 + 0x10x, PWM_CHANNEL_ENABLE(x)
 *        BIT(x), SET_UPDATE BIT(31), PWM_POLARITY BIT(3), PWM_CHANNEL_DEFAULT = BIT(8)
 *        FIFO_POP_MASK + 1 trailing-edge mark-space; npwm 4; every change ends with
 *        GLOBAL_CTRL |= SET_UPDATE; compatible "raspberrypi,rp1-pwm".
 *  [PU]  the upstream submission of pwm-rp1.c (Patuck, della Porta; intel-lab-lkp/linux
 *        blob 390a7523): the same offsets; RP1_PWM_CHAN_CTRL_MODE GENMASK(2, 0), mode 1
 *        TE_MS; RANGE = period ticks - 1 ("the extra tick at the end of the period"),
 *        period ticks clamped to 2 .. U32_MAX; the channel's PHASE register (0x01C +
 *        0x10x) is never written: on the Pi 5 the firmware reports the fan's speed in one.
 *        [PR] writes RANGE = period ticks (no -1); the model here is [PU]'s, so a period
 *        set by the Raspberry Pi OS driver reads back one tick (20 ns at 50 MHz) longer.
 *  [CR]  raspberrypi/linux drivers/clk/clk-rp1.c (blob 0fad6477): CLK_PWM0_CTRL 0x074,
 *        _DIV_INT 0x078, _DIV_FRAC 0x07c (CLK_PWM1_* 0x084..), CLK_CTRL_ENABLE BIT(11),
 *        CLK_CTRL_AUXSRC_MASK 0x3e0 (shift 5), clk_pwm0's parents pll_audio_pri_ph,
 *        pll_video_sec, xosc, clksrc_gp0..gp5 (AUXSRC 0..8), no standard parents;
 *        divider: 16-bit integer (0 = 65536), fraction in DIV_FRAC bits 31:16; set_rate
 *        writes the divider, then the source, and the clock is enabled after.
 *  [DTP] raspberrypi/linux arch/arm64/boot/dts/broadcom/rp1.dtsi (blob 09c8f7b8):
 *        rp1_pwm0 pwm@98000 reg <0xc0 0x40098000 0x0 0x100>, rp1_pwm1 pwm@9c000
 *        (0x4009c000), both "disabled", assigned-clock-rates <50000000>;
 *        rp1_clocks clocks@18000 reg <0xc0 0x40018000 ...>; clk_xosc 50 MHz. The pwm and
 *        pwm-2chan overlays enable rp1_pwm0 on a Pi 5 (bcm2712-rpi.dtsi &pwm0), GPIO18/19
 *        being its channels 2/3; the fan (bcm2712-rpi-5-b.dts) uses rp1_pwm1 channel 3.
 *  [K]/[U] above: PWM0_CHAN0..3 at FUNCSEL a0 on GPIO12..15 and CHAN2/3 at a3 on GPIO18/19
 *        (pinctrl-rp1.c rp1_gpio_pin_funcs[] "pwm0"; gpiochip_rp1.c names the channels).
 * Only PWM0 is programmed: PWM1's lines (GPIO34..48) are not on the header and its
 * channel 3 is the fan's, under the kernel's pwm-fan driver. No emulator models RP1:
 * register level only.
 */
static const struct fgpio_soc_block fgpio_rp1_pwm_blocks[] = {
	{ .name = "pwm0", .phys = 0x00098000u, .size = 0x100u,	/* 0x40098000 [DTP] */
	  .flags = FGPIO_BLOCK_RANGES },
	{ .name = "clocks", .phys = 0x00018000u, .size = 0x1000u,	/* 0x40018000 [DTP] */
	  .flags = FGPIO_BLOCK_RANGES },
};

/* Below RP1's node (its path depends on the tree: src/soc_rp1_pwm.c finds the live one). */
static const char *const fgpio_rp1_pwm_nodes[] = { "axi/pcie@1000120000/rp1/pwm@98000" };

static const struct fgpio_pwm_pin fgpio_rp1_pwm_pins[] = {
	{ 12, 0, 0, 0 }, { 13, 0, 1, 0 }, { 14, 0, 2, 0 }, { 15, 0, 3, 0 },	/* a0 [K] */
	{ 18, 0, 2, 3 }, { 19, 0, 3, 3 },					/* a3 [K] */
};

/* AUXSRC values of clk_pwm0, in [CR]'s parent order; the crystal is "oscillator" as on BCM. */
static const char *const fgpio_rp1_pwm_src_names[32] = {
	"pll_audio_pri_ph", "pll_video_sec", "oscillator", "gp0", "gp1", "gp2", "gp3", "gp4",
	"gp5", "reserved", "reserved", "reserved", "reserved", "reserved", "reserved", "reserved",
	"reserved", "reserved", "reserved", "reserved", "reserved", "reserved", "reserved",
	"reserved", "reserved", "reserved", "reserved", "reserved", "reserved", "reserved",
	"reserved", "reserved",
};

static const struct fgpio_rp1_pwm_regs fgpio_rp1_pwm_regs = {
	.global_ctrl = 0x000u, .set_update = 0x80000000u,		/* [PR] */
	.chan_ctrl = 0x014u, .chan_range = 0x018u, .chan_duty = 0x020u,	/* [PR] */
	.chan_stride = 0x10u,						/* [PR] */
	.ctrl_mode_mask = 0x7u, .ctrl_mode_ms = 0x1u,			/* [PU] */
	.ctrl_invert = 0x8u, .ctrl_fifo_pop_mask = 0x100u,		/* [PR] */
	.range_extra = 1u, .ticks_min = 2u,				/* [PU] */
	.clk_ctrl = 0x074u, .clk_div_int = 0x078u, .clk_div_frac = 0x07cu,	/* clk_pwm0 [CR] */
	.clk_enable = 0x800u, .clk_auxsrc_mask = 0x3e0u, .clk_auxsrc_shift = 5u,	/* [CR] */
	.clk_auxsrc_xosc = 2u,						/* [CR] */
	.clk_frac_shift = 16u,						/* [CR] */
	/* Integer divisors only (no fraction): 1 (the driver's floor) .. 0xffff [CR]. */
	.div_min = 1u, .div_max = 0xffffu,
	.src_names = fgpio_rp1_pwm_src_names,
};

static const struct fgpio_pwm_desc fgpio_rp1_pwm = {
	.driver = "pwm-rp1",		/* [PR] (registered as "rpi-pwm") */
	.blocks = fgpio_rp1_pwm_blocks,
	.npwm = 1,
	.nblocks = FGPIO_ARRAY_SIZE(fgpio_rp1_pwm_blocks),
	.nchannels = 4,			/* npwm 4 [PR] */
	.dt_nodes = fgpio_rp1_pwm_nodes,
	.pins = fgpio_rp1_pwm_pins,
	.npins = FGPIO_ARRAY_SIZE(fgpio_rp1_pwm_pins),
	.clock_hz = 50000000u,		/* clk_xosc [DTP] */
	.regs = &fgpio_rp1_pwm_regs,
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
	.pwm = &fgpio_rp1_pwm,
	.pwm_unsupported = "RP1's PWM1 (GPIO34, 35, 40, 41, 44, 45, 48: not on the header; its channel 3 is the fan's) is left to the kernel's /sys/class/pwm",
};

_Static_assert(FGPIO_ARRAY_SIZE(fgpio_rp1_alt_valid) == 54, "one ALT mask per RP1 line");
_Static_assert(FGPIO_ARRAY_SIZE(fgpio_rpi_j8_lines) == FGPIO_ARRAY_SIZE(fgpio_rpi_labels),
	       "header labels and lines pair up");

#undef FGPIO_RP1_NO
#undef FGPIO_RP1_PWR

#endif /* FASTGPIO_BOARDS_RP1_H */
