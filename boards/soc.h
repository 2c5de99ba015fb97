/*
 * boards/soc.h - descriptor types that the per-SoC register tables fill in.
 *
 * Data only: this header depends on nothing but <stdint.h>, and every
 * boards/<soc>.h includes nothing but this header. The generic code in src/
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

/* ---- BEGIN bcm2835 family ---- */
enum fgpio_bcm_pull_style {
	FGPIO_BCM_PULL_GPPUD = 0,	/* BCM2835/6/7: GPPUD + GPPUDCLKn sequence, not readable */
	FGPIO_BCM_PULL_PUP_PDN		/* BCM2711: 2-bit fields, readable */
};

struct fgpio_bcm_regs {
	uint32_t gpfsel0;		/* function select, 10 lines a word, 3 bits a line */
	uint32_t gpset0;
	uint32_t gpclr0;
	uint32_t gplev0;
	uint32_t gppud;			/* FGPIO_BCM_PULL_GPPUD */
	uint32_t gppudclk0;
	uint32_t pup_pdn0;		/* FGPIO_BCM_PULL_PUP_PDN: 16 lines a word, 2 bits a line */
	uint8_t pull_style;		/* enum fgpio_bcm_pull_style */
	uint8_t fsel_code[8];		/* 3-bit code for IN, OUT, ALT0..ALT5 (index = enum fgpio_func) */
	uint8_t pull_code[3];		/* register code for OFF, UP, DOWN */
	uint16_t pud_settle_us;		/* wait after GPPUD and after GPPUDCLK writes */
};
/* ---- END bcm2835 family ---- */

/* ---- BEGIN am335x family ---- */
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
/* ---- END am335x family ---- */

/* ---- BEGIN rk3288 family ---- */
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
/* ---- END rk3288 family ---- */

/* ---- BEGIN rp1 family ---- */
/*
 * RP1 (Raspberry Pi 5). Three register blocks (IO_BANK, SYS_RIO, PADS_BANK),
 * each holding the three banks at per-bank offsets; every register has
 * atomic XOR / SET / CLR aliases at fixed offsets.
 */
struct fgpio_rp1_regs {
	uint8_t io_block;		/* block of IO_BANK0..2 (STATUS/CTRL per line) */
	uint8_t rio_block;		/* block of SYS_RIO0..2 (OUT, OE, IN) */
	uint8_t pads_block;		/* block of PADS_BANK0..2 */
	uint32_t io_bank[3];		/* per bank: IO_BANKn offset in io_block */
	uint32_t rio_bank[3];		/* per bank: SYS_RIOn offset in rio_block */
	uint32_t pads_bank[3];		/* per bank: PADS_BANKn offset in pads_block */
	uint32_t status;		/* line 0's STATUS within IO_BANKn */
	uint32_t ctrl;			/* line 0's CTRL within IO_BANKn */
	uint32_t io_stride;		/* bytes between lines' STATUS/CTRL pairs */
	uint32_t rio_out, rio_oe, rio_in;	/* within SYS_RIOn */
	uint32_t alias_xor, alias_set, alias_clr;	/* atomic alias offsets */
	uint32_t pads_first;		/* line 0's pad register (after VOLTAGE_SELECT) */
	uint32_t pads_stride;
	uint32_t ctrl_funcsel_mask;	/* CTRL.FUNCSEL (shift 0) */
	uint32_t ctrl_outover_mask;	/* CTRL.OUTOVER, 0 = from peripheral */
	uint32_t ctrl_oeover_mask;	/* CTRL.OEOVER, 0 = from peripheral */
	uint32_t ctrl_inover_mask;	/* CTRL.INOVER (never written) */
	uint8_t fsel_count;		/* FUNCSEL values with a function: 0..count-1 = ALTn */
	uint8_t fsel_sys_rio;		/* FUNCSEL of software GPIO (SYS_RIO) */
	uint8_t fsel_null;		/* FUNCSEL "no function" */
	uint32_t pad_pde, pad_pue, pad_ie, pad_od;	/* pad register bits */
	const uint16_t *alt_valid;	/* per line: bit n = ALTn has a function */
	uint16_t nalt_valid;		/* entries in alt_valid */
};
/* ---- END rp1 family ---- */

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
};

#define FGPIO_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* FASTGPIO_BOARDS_SOC_H */
