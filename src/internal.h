/* SPDX-License-Identifier: MIT */
/*
 * src/internal.h - private interfaces of libfastgpio.
 *
 * Generic code (chip.c, detect.c, names.c) validates every argument (line,
 * bank, enum range, open chip) before it calls a family operation, so family
 * code (soc_<family>.c) may assume: chip open, bank < nbanks, bit < nlines of
 * that bank, func < FGPIO_FUNC_COUNT, pull < FGPIO_PULL_COUNT.
 * Family code still rejects what its SoC cannot do (ENOTSUP) before touching
 * a register.
 */
#ifndef FASTGPIO_INTERNAL_H
#define FASTGPIO_INTERNAL_H

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stddef.h>
#include <time.h>

#include "fastgpio.h"
#include "../boards/soc.h"

#define FGPIO_MAX_BLOCKS 16
/* maps[] slots of the PWM blocks (pwm.c maps them on first use): after the SoC's own blocks. */
#define FGPIO_PWM_MAP_FIRST 12
#define FGPIO_MAX_LINES 512

struct fgpio_mapping {
	volatile uint32_t *base;	/* NULL: not mapped */
	size_t len;			/* bytes accessible from base */
	void *map_addr;			/* what mmap returned (page aligned) */
	size_t map_len;
};

struct fgpio_chip;

/* Operations of one register family. */
struct fgpio_family_ops {
	const char *name;	/* "bcm2835", ... (fgpio_soc_info.family) */
	/* Optional: after the blocks are mapped; checks clocks, module state. */
	int (*attach)(struct fgpio_chip *c);
	/* Masked write of bank; mask already restricted to the bank's lines. */
	int (*bank_write)(struct fgpio_chip *c, unsigned bank, uint32_t mask, uint32_t values);
	int (*bank_read)(struct fgpio_chip *c, unsigned bank, uint32_t *values);
	int (*set_func)(struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_func f);
	/* Whether set_func would accept f here: the same refusals (errno and message), run by
	   set_func itself before its first write, and no register written (reads allowed). */
	int (*check_func)(struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_func f);
	int (*get_func)(struct fgpio_chip *c, unsigned bank, unsigned bit);
	int (*set_pull)(struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_pull p);
	int (*get_pull)(struct fgpio_chip *c, unsigned bank, unsigned bit);
	/* Fill set_reg/clr_reg/in_reg/mask; leave NULL what has no direct register. */
	int (*line_init)(struct fgpio_chip *c, unsigned bank, unsigned bit, struct fgpio_line *l);
	/* Optional: physical base of the blocks when not FGPIO_BLOCK_RANGES/absolute (RP1 via PCIe). */
	int (*locate)(const struct fgpio_soc *soc, const char *dt_root, uint64_t *base);
	/* Optional: level of one line (0/1); NULL: bank_read. The gpiod backend
	   cannot read a whole bank when another consumer holds one of its lines;
	   on AM335x the register holding the level depends on the direction.
	   Handles from fgpio_line_init() of such a family have in_reg NULL, so
	   their reads come here too (line_init's in_reg still serves sampling). */
	int (*line_read)(struct fgpio_chip *c, unsigned bank, unsigned bit);
	/* Optional: 1 when the line's input receiver is on (its input register
	   follows the pin), 0 when off; NULL: ENOTSUP (the table cannot tell). */
	int (*get_input_enable)(struct fgpio_chip *c, unsigned bank, unsigned bit);
	/*
	 * Optional (soc->pwm set): programs @pin's channel as @cfg asks (checked by
	 * pwm.c: enums, reserved fields, duty <= period <= max) and fills *st.
	 * Every refusal (a period the clock cannot reach, a shared clock it may
	 * not change) comes before the first write. Blocks mapped, lock not held.
	 */
	int (*pwm_apply)(struct fgpio_chip *c, const struct fgpio_pwm_pin *pin,
			 const struct fgpio_pwm_config *cfg, struct fgpio_pwm_state *st);
	/* Optional (soc->pwm set): @pin's channel state, mark "muxed" excepted. */
	int (*pwm_read)(struct fgpio_chip *c, const struct fgpio_pwm_pin *pin, struct fgpio_pwm_state *st);
	/*
	 * Optional (soc->pwm set): PWM block @blk's node in the running device
	 * tree, below the root, into @out ("" when the tree has none); -1 when
	 * the tree cannot be read. NULL: the table's dt_nodes[blk], where the
	 * node's path is the same in every tree of the SoC.
	 */
	int (*pwm_node)(const struct fgpio_chip *c, unsigned blk, char *out, size_t len);
};

/* The families' operations are declared in boards/soc.h, beside the descriptors. */
extern const struct fgpio_family_ops fgpio_gpiod_ops;	/* src/gpiod.c */

struct fgpio_gpiod;	/* gpiod backend state, src/gpiod.c */
struct fgpio_events;	/* edge events state, src/events.c */

/* Each family's own state of an open chip (zeroed at open); a family touches only its member,
   and asserts that its banks fit. */
#define FGPIO_FAMILY_MAX_BANKS 16
union fgpio_family_state {
	struct {
		uint32_t bank[FGPIO_FAMILY_MAX_BANKS];	/* AM335X_* state bits found by attach */
		uint32_t clkctrl[FGPIO_FAMILY_MAX_BANKS];	/* the last CLKCTRL word read (messages) */
	} am335x;
	struct {
		uint8_t clk[FGPIO_FAMILY_MAX_BANKS];	/* FGPIO_RK_CLK_* found by attach */
	} rk;
};

struct fgpio_chip {
	const struct fgpio_soc *soc;
	const struct fgpio_family_ops *ops;
	const struct fgpio_board_desc *board;
	enum fgpio_backend backend;
	struct fgpio_mapping maps[FGPIO_MAX_BLOCKS];
	uint64_t base;			/* peripheral base (RANGES) or locate() result */
	pthread_mutex_t lock;		/* serialises read-modify-write sequences */
	/*
	 * Waves (wave.c), one atomic word so that a run's registration and the
	 * generation it watches are read together: bits 0-15 count the
	 * fgpio_chip_wave_play calls in progress, bits 16-31 are the generation
	 * fgpio_chip_wave_cancel bumps. A run ends when the generation differs
	 * from the one it registered under.
	 */
	uint32_t wave_ctl;
	struct fgpio_chip *next_open;	/* chip.c's list of open chips (fork handler) */
	unsigned flags;			/* FGPIO_OPEN_* */
	char *device;
	char *reason;
	char *dt_root;
	union fgpio_family_state fam;	/* family-private state, zeroed at open */
	struct fgpio_gpiod *gpiod;	/* gpiod backend state (NULL: an mmap backend) */
	struct fgpio_soc *own_soc;	/* gpiod: the line layout soc points to (freed at close) */
	struct fgpio_events *events;	/* edge events (NULL: none watched yet) */
	char *gpiochip;			/* fgpio_config.gpiochip (NULL: search /dev) */
	int regfile;			/* mapped a register file, not a device */
	int pwm_mapped;			/* the PWM blocks are in maps[FGPIO_PWM_MAP_FIRST..] */
	uint16_t line_bank[FGPIO_MAX_LINES];	/* line -> bank (0xffff: none) */
	uint8_t line_bit[FGPIO_MAX_LINES];
};

/*
 * Register address @off bytes into block @blk, or NULL when the block is not
 * mapped or the word lies outside it. Family code must treat NULL as ENOTSUP
 * (or EACCES) and touch nothing.
 */
static inline volatile uint32_t *fgpio_reg(const struct fgpio_chip *c, unsigned blk, uint32_t off)
{
	if (blk >= FGPIO_MAX_BLOCKS || !c->maps[blk].base || (off & 3u) ||
	    (size_t)off + 4u > c->maps[blk].len)
		return NULL;
	return c->maps[blk].base + off / 4u;
}

/*
 * One 32-bit access each. Relaxed atomics on the volatile pointer compile
 * to the same single load or store; they also say that other threads may
 * access the same register meanwhile (set/clear registers, a level read
 * beside a function change), which ThreadSanitizer then does not report.
 */
static inline uint32_t fgpio_rd(volatile uint32_t *r)
{
	return __atomic_load_n(r, __ATOMIC_RELAXED);
}

static inline void fgpio_wr(volatile uint32_t *r, uint32_t v)
{
	__atomic_store_n(r, v, __ATOMIC_RELAXED);
}

/* Full-system barrier around peripheral switches (BCM283x ordering). */
static inline void fgpio_barrier(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#if defined(__aarch64__)
	__asm__ volatile("dsb sy" ::: "memory");
#elif defined(__arm__) && defined(__ARM_ARCH) && __ARM_ARCH >= 7
	__asm__ volatile("dsb" ::: "memory");
#endif
}

/*
 * Records a failure: sets errno to @err and the thread's fgpio_last_error()
 * message (printf format). Returns -1, so family code can `return fgpio_fail(..)`.
 * Messages say what failed and, where possible, what the user can do.
 */
int fgpio_fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* CLOCK_MONOTONIC in ns (the clock of the kernel's GPIO event timestamps). */
static inline uint64_t fgpio_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Sleeps @us microseconds (busy-waits below 100 µs). */
void fgpio_udelay(unsigned us);

/* Lock helpers for read-modify-write sequences. */
static inline void fgpio_lock(struct fgpio_chip *c)
{
	pthread_mutex_lock(&c->lock);
}

static inline void fgpio_unlock(struct fgpio_chip *c)
{
	pthread_mutex_unlock(&c->lock);
}

/*
 * 0 when @bank exists on the open chip @c; -1 with EINVAL otherwise. The
 * check of fgpio_chip_bank_lines(), inline so that every module can run it
 * without calling up into chip.c.
 */
static inline int fgpio_check_bank(const struct fgpio_chip *c, unsigned bank)
{
	if (bank >= c->soc->nbanks)
		return fgpio_fail(EINVAL, "bank %u does not exist on %s (banks 0-%u)", bank, c->soc->name,
				  c->soc->nbanks - 1u);
	return 0;
}

/*
 * 0 when @line exists on the open chip @c; -1 with EINVAL otherwise. The
 * line check of every per-line call (chip.c, pwm.c).
 */
static inline int fgpio_check_line(const struct fgpio_chip *c, unsigned line)
{
	if (line >= c->soc->nlines || line >= FGPIO_MAX_LINES || c->line_bank[line] == 0xffff)
		return fgpio_fail(EINVAL, "line %u does not exist on %s (lines 0-%u)", line,
				  c->soc->name, c->soc->nlines - 1u);
	return 0;
}

/* ---- wave.c ---- */
#define FGPIO_WAVE_RUNNING_MASK 0xffffu
#define FGPIO_WAVE_GEN_ONE 0x10000u

/* ---- socs.c ---- */

/* Table of all SoCs, NULL-terminated. */
extern const struct fgpio_soc *const fgpio_socs[];

const struct fgpio_soc *fgpio_soc_by_name(const char *name);

/* The board of @soc called @name (its name or a compatible, any case), or NULL. */
const struct fgpio_board_desc *fgpio_soc_board_by_name(const struct fgpio_soc *soc, const char *name);

/* The one SoC with a board called @name, and that board; NULL with EINVAL and a message. */
const struct fgpio_soc *fgpio_soc_by_board(const char *name, const struct fgpio_board_desc **board);

/* ---- detect.c ---- */

/*
 * Reads <dt_root>/compatible and picks a SoC table. Returns NULL with errno
 * ENOENT only when the tree root @dt_root does not exist ("no device tree");
 * ENODEV for an unknown SoC, a root without compatible, a property detection
 * needs (compatible, model, system/linux,revision) that exists but cannot be
 * read, or a model that names another SoC's board. On success *board is the
 * matching board (or the SoC's default) and @why describes the match.
 */
const struct fgpio_soc *fgpio_detect_soc(const char *dt_root, const struct fgpio_board_desc **board,
					 char *why, size_t whylen);

/*
 * Picks the board of @soc matching the device tree (the SoC's default board
 * when none matches, NULL when it has none). -1 with errno ENODEV when a
 * property it needs (compatible, system/linux,revision) exists but cannot be
 * read.
 */
int fgpio_detect_board(const struct fgpio_soc *soc, const char *dt_root,
		       const struct fgpio_board_desc **board);

/*
 * Peripheral base from <dt_root>/soc/ranges for @bus (e.g. 0x7e000000),
 * honouring #address-cells of / and /soc and #size-cells of /soc: the
 * fgpio_dt_translate() of @bus on node "soc", with its errors (ENOENT no
 * ranges, EINVAL malformed or unreadable, EFBIG oversized, ERANGE bus
 * address not covered or the translation overflows 64 bits).
 */
int fgpio_dt_soc_base(const char *dt_root, uint64_t bus, uint64_t *base);

/*
 * fgpio_dt_soc_base() for the table's ranges_bus, cross-checked with the
 * tree's GPIO node (soc/gpio@<bus>/reg) where it has one (EINVAL when that
 * disagrees). Errors as fgpio_dt_soc_base().
 */
int fgpio_dt_peripheral_base(const struct fgpio_soc *soc, const char *dt_root, uint64_t *base);

/*
 * 0 when @base (derived from a device tree) is one the table knows
 * (default_base or alt_base) and every FGPIO_BLOCK_RANGES block above it fits
 * in 64 bits; -1 with ERANGE otherwise.
 */
int fgpio_soc_check_base(const struct fgpio_soc *soc, uint64_t base);

/* ---- dt.c ---- */
/*
 * Reads a whole device-tree property file (at most @max bytes) into a malloc'd
 * buffer of @max + 1 bytes; *len receives its size. Never blocks: anything but
 * a regular file is refused unopened (and re-checked with fstat() after the
 * O_NONBLOCK open). NULL with errno ENOENT only when the property does not
 * exist; EFBIG when it is larger than @max; EINVAL when it exists but is not a
 * readable regular file (directory, FIFO, socket, device, dangling symlink, no
 * permission, read error); ENAMETOOLONG. Every failure sets the message.
 */
unsigned char *fgpio_dt_read(const char *dt_root, const char *prop, size_t max, size_t *len);

/* A one-cell property (#address-cells, ...) of @dt_root, @def when absent; -1 (EINVAL, message) when not 4 bytes. */
int fgpio_dt_cell(const char *dt_root, const char *prop, uint32_t def, uint32_t *out);

/* @n big-endian cells at @p as one number; -1 when it needs more than 64 bits. */
int fgpio_dt_cells_u64(const unsigned char *p, uint32_t n, uint64_t *out);

/*
 * fgpio_dt_cell() of property @prop of node @node (a path below @dt_root, ""
 * for the root); also ENAMETOOLONG when the path is too long.
 */
int fgpio_dt_node_cell(const char *dt_root, const char *node, const char *prop, uint32_t def,
		       uint32_t *out);

/*
 * Translates @addr, an address on bus node @bus (as @bus's children's `reg`
 * give it, e.g. "soc" or ".../rp1"), to a CPU physical address: through the
 * `ranges` of @bus, then of each ancestor up to (not including) the root, as
 * IEEE 1275 / devicetree specification 2.3.8 define them. At each level the
 * child cells are the node's #address-cells, the size cells its #size-cells
 * and the parent cells its parent's #address-cells (defaults 2, 1 and 2).
 * Three address cells are a PCI address: an entry matches only in the PCI
 * space (phys.hi bits 24-25) the address came out of the level below; @addr
 * itself is a plain address. Empty ranges are the identity.
 * Returns 0 and sets *cpu, or -1 with a message naming the property and
 * errno ENOENT (a level has no ranges: nothing below it has a CPU address),
 * EINVAL (malformed or unreadable property, cell counts outside 1..3 for
 * addresses or sizes), EFBIG (oversized property), ERANGE (no entry covers
 * the address, or the parent address overflows 64 bits) or ENAMETOOLONG.
 */
int fgpio_dt_translate(const char *dt_root, const char *bus, uint64_t addr, uint64_t *cpu);

/* Big-endian cell helpers. */
static inline uint32_t fgpio_be32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* ---- events.c (chip.c attaches it and calls in; it calls only the port) ---- */
struct fgpio_gpiod_port;	/* a libgpiod port, src/gpiod_backend.h */

/*
 * Attaches the edge-events state to @c over @port, the port of the GPIO chip
 * carrying @c's lines. @own_port: the events own it and close it at detach
 * (a port chip.c opened for an mmap chip), else it stays the gpiod
 * backend's; an owned port is closed on failure too. Caller holds the lock.
 */
int fgpio_events_attach(struct fgpio_chip *c, struct fgpio_gpiod_port *port, int own_port);
/* fgpio_chip_watch's argument checks (EINVAL), made before anything is attached. */
int fgpio_events_check_watch(const struct fgpio_chip *c, unsigned line, int edge);
/* fgpio_chip_line_owner's argument checks (EINVAL), made before anything is attached. */
int fgpio_events_check_owner(const struct fgpio_chip *c, unsigned line, const char *consumer,
			     size_t len);
/* fgpio_chip_watch and fgpio_chip_line_owner once checked and attached. Caller holds the lock. */
int fgpio_events_watch(struct fgpio_chip *c, unsigned line, int edge, unsigned debounce_us);
int fgpio_events_line_owner(struct fgpio_chip *c, unsigned line, char *consumer, size_t len);
/* Releases every watch and the event port it owns; called by fgpio_chip_close. */
void fgpio_events_detach(struct fgpio_chip *c);
/*
 * fork() child, chip lock held: forgets the readers of other threads (they
 * do not exist in the child) and re-creates the per-line reader locks they
 * may have held.
 */
void fgpio_events_forked(struct fgpio_chip *c);

/* ---- chip.c (for pwm.c) ---- */
/*
 * Maps @size bytes at physical address @phys of the devmem chip @c's device
 * (its /dev/mem or register file, opened again) into c->maps[@slot]. Caller
 * holds the lock. EINVAL for a slot in use or a chip of another backend.
 */
int fgpio_chip_map_extra(struct fgpio_chip *c, unsigned slot, uint64_t phys, size_t size);
/* Undoes fgpio_chip_map_extra() of @slot (nothing when it is not mapped). */
void fgpio_chip_unmap_extra(struct fgpio_chip *c, unsigned slot);

/* ---- util.c: PWM arithmetic (the families' PWM code) ---- */
/* Ticks of @ns at @hz / @div, rounded to the nearest: ns * hz < 2^64 (FGPIO_PWM_MAX_PERIOD_NS). */
uint64_t fgpio_pwm_ticks(uint64_t ns, uint32_t hz, uint32_t div);
/* Nanoseconds of @ticks at @hz / @div, rounded to the nearest: ticks * div < 2^49. */
uint64_t fgpio_pwm_ns(uint64_t ticks, uint32_t hz, uint32_t div);
/* @r, or NULL after recording that the @what register lies outside the mapped PWM blocks. */
volatile uint32_t *fgpio_pwm_need(volatile uint32_t *r, const struct fgpio_chip *c, const char *what);
/* A PWM clock as its registers show it, and the divisors it can take: fgpio_pwm_plan's input. */
struct fgpio_pwm_clock {
	const char *soc;	/* the SoC's name, for errors */
	const char *name;	/* for errors: "clk_pwm0", "the PWM clock" */
	const char *source;	/* the source it runs from, and @detail (" with MASH", ""): */
	const char *detail;	/*   named when a running clock's rate cannot be derived */
	uint32_t hz;		/* the oscillator fastgpio runs it from */
	uint32_t div_min, div_max, ticks_min;
	uint32_t div;		/* the integer divisor it runs with now */
	int on;			/* it is enabled */
	int shared;		/* another channel of the block runs on it */
	int known;		/* from the oscillator at an integer divisor: its rate is hz / div */
	int exact;		/* the divisor registers hold div and nothing else */
};
/*
 * The divisor for @period_ns on @k: when another channel runs on it, its own
 * (EBUSY when its rate is unknown, EINVAL when the period does not fit it),
 * else the smallest in div_min..div_max (the finest duty steps) giving at
 * least ticks_min ticks in 32 bits (EINVAL saying why there is none).
 * *reprogram: the clock must be (re)started at *div. -1 + errno, nothing read or written.
 */
int fgpio_pwm_plan(const struct fgpio_pwm_clock *k, uint64_t period_ns, uint32_t *div, int *reprogram);

/* ---- pwm.c ---- */
/* Register @off of PWM block @blk (index into soc->pwm->blocks), NULL when not mapped. */
static inline volatile uint32_t *fgpio_pwm_reg(const struct fgpio_chip *c, unsigned blk, uint32_t off)
{
	return fgpio_reg(c, FGPIO_PWM_MAP_FIRST + blk, off);
}

/* ---- names.c ---- */
int fgpio_parse_line_name(const struct fgpio_chip *c, const char *name);

#endif /* FASTGPIO_INTERNAL_H */
