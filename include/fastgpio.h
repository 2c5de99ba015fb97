/*
 * fastgpio.h - the public C API of libfastgpio.
 *
 * libfastgpio drives GPIO lines of Linux single-board computers by mapping the
 * SoC's GPIO register blocks (through /dev/gpiomem or /dev/mem) and writing
 * them with single volatile 32-bit accesses.  The register layout of each SoC
 * comes from a static table (boards/<soc>.h).
 *
 * Conventions:
 *  - Functions return -1 (or NULL) on error and set errno:
 *      ENODEV   unknown SoC (or no device tree to detect it from), or a device
 *               tree that contradicts the SoC asked for
 *      ENOTSUP  the operation is not possible on this SoC or backend (e.g. an
 *               alternate function on the gpiod backend)
 *      ENXIO    the line exists in its bank but has no pad (RK3288 ports that
 *               are not bonded out): no function, pull or level to set
 *      EBUSY    gpiod backend: the line is held by another consumer
 *      EINVAL   bad line number, bank, enum value or name
 *      EACCES / EPERM  no permission to open the memory device
 *      EIO      the hardware block is not usable (e.g. its clock is gated)
 *  - Line numbers are the SoC's global GPIO numbers (BCM numbers on a Raspberry
 *    Pi, 32*bank+bit on AM335x, the legacy Rockchip numbering on RK3288).
 *  - Bad input never writes a register.
 */
#ifndef FASTGPIO_H
#define FASTGPIO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(FGPIO_BUILDING_LIBRARY) && defined(__GNUC__)
#define FGPIO_API __attribute__((visibility("default")))
#else
#define FGPIO_API
#endif

#define FGPIO_VERSION_MAJOR 0
#define FGPIO_VERSION_MINOR 1
#define FGPIO_VERSION_PATCH 0

/** An opened GPIO controller (one SoC's GPIO blocks). Opaque. */
struct fgpio_chip;

/** How the lines are reached. */
enum fgpio_backend {
	FGPIO_BACKEND_AUTO = 0,	/**< gpiomem, then devmem, then gpiod (see fgpio_chip_open) */
	FGPIO_BACKEND_GPIOMEM,	/**< /dev/gpiomem (or a file standing in for it) */
	FGPIO_BACKEND_DEVMEM,	/**< /dev/mem (or a file standing in for it) */
	FGPIO_BACKEND_GPIOD	/**< the kernel's GPIO character device through libgpiod,
				     loaded at run time (libgpiod.so.3, else .so.2;
				     FASTGPIO_LIBGPIOD=2|1|none|auto); ENOTSUP when none is */
};

/**
 * Pin function. ALT numbers are the SoC's own mux numbers: ALTn selects the
 * mux value (BCM2835/BCM2711: the function its datasheet calls ALTn, not the
 * 3-bit code), pad mode (AM335x) or FUNCSEL value (RP1) n. On the RK3288,
 * ALTn is iomux value n (the device trees' RK_FUNC_n); value 0 is the GPIO
 * itself, selected with IN or OUT, so ALT0 fails there with ENOTSUP.
 */
enum fgpio_func {
	FGPIO_FUNC_IN = 0,
	FGPIO_FUNC_OUT = 1,
	FGPIO_FUNC_ALT0 = 2,
	FGPIO_FUNC_ALT1,
	FGPIO_FUNC_ALT2,
	FGPIO_FUNC_ALT3,
	FGPIO_FUNC_ALT4,
	FGPIO_FUNC_ALT5,
	FGPIO_FUNC_ALT6,
	FGPIO_FUNC_ALT7,
	FGPIO_FUNC_ALT8,
	FGPIO_FUNC_NONE,	/**< read only: no function selected (e.g. RP1 NULL) */
	FGPIO_FUNC_COUNT
};

/** Bias (pull) of a line. */
enum fgpio_pull {
	FGPIO_PULL_OFF = 0,
	FGPIO_PULL_UP,
	FGPIO_PULL_DOWN,
	FGPIO_PULL_KEEPER,	/**< bus keeper: reported (RK3288, RP1); setting it fails with ENOTSUP */
	FGPIO_PULL_COUNT
};

/**
 * Options for fgpio_chip_open(). Always initialise with fgpio_config_init().
 * Every pointer may be NULL (= default). Strings are copied by open.
 */
struct fgpio_config {
	const char *soc;	/**< SoC name ("bcm2837", "bcm2711", "am335x", "rk3288", "rp1"); NULL: detect */
	const char *dt_root;	/**< device-tree root; NULL: "/proc/device-tree" */
	const char *gpiomem;	/**< path mapped as /dev/gpiomem (offset 0 = GPIO block) */
	const char *devmem;	/**< path mapped as /dev/mem (physical offsets) */
	enum fgpio_backend backend;
	unsigned flags;		/**< FGPIO_OPEN_* */
	/**
	 * gpiod backend: a GPIO character device ("/dev/gpiochip0"), or a
	 * directory whose gpiochip* entries are searched as /dev is (a test
	 * seam). NULL: the chip whose label matches the SoC's GPIO controller,
	 * or the only chip in /dev. Added in 0.1 in place of reserved[0]: the
	 * struct's size and the offsets of the fields above are unchanged, and
	 * callers that zeroed reserved[] pass NULL here.
	 */
	const char *gpiochip;
	/**
	 * The board whose header names to use, instead of the one the device tree
	 * describes: its name ("Raspberry Pi 4 Model B", as fgpio_chip_info.board)
	 * or one of its device-tree compatibles ("raspberrypi,4-model-b"), in any
	 * case. Without @soc it also names the SoC (EINVAL when several SoCs have
	 * such a board). For dry runs in register-file mode without a device tree;
	 * mapping a real memory device still checks the device tree. EINVAL for a
	 * board the SoC does not have (the message lists those it has). Added in
	 * place of reserved[0], as gpiochip was.
	 */
	const char *board;
	void *reserved[5];	/**< NULL; open fails with EINVAL otherwise (room for future options) */
};

/** AM335x / RK3288: do not enable gated GPIO clocks; such banks fail with EIO. */
#define FGPIO_OPEN_NO_CLOCK_ENABLE 0x1u

/** Facts about an opened chip. Strings are owned by the chip. */
struct fgpio_chip_info {
	const char *soc;	/**< table name, e.g. "bcm2711" */
	const char *board;	/**< board name or "unknown" */
	const char *backend;	/**< "gpiomem", "devmem" or "gpiod" */
	const char *device;	/**< path that was opened (a /dev/gpiochipN for gpiod) */
	const char *reason;	/**< why this SoC and backend were chosen */
	uint64_t base;		/**< physical base the blocks were mapped from: the peripheral base
				     from the device tree (BCM283x/BCM2711: add 0x200000 for the GPIO
				     block; RP1: its peripheral window), bank 0's block (AM335x,
				     RK3288); 0 for gpiomem and gpiod */
	unsigned num_lines;
	unsigned num_banks;
};

/** Fills @cfg with defaults. */
FGPIO_API void fgpio_config_init(struct fgpio_config *cfg);

/**
 * Opens the GPIO controller. @cfg may be NULL (auto-detect everything).
 * Returns NULL and sets errno on error. Free with fgpio_chip_close().
 *
 * Backend choice: an explicit gpiomem/devmem path (register-file mode) or
 * backend maps exactly that and never falls back. FGPIO_BACKEND_AUTO tries
 * gpiomem, then devmem, and when neither works (or the SoC is unknown) the
 * gpiod backend: the GPIO character device whose label matches the SoC's GPIO
 * controller (e.g. "pinctrl-bcm2711"), or on an unknown SoC the only chip
 * in /dev. The info's reason says why each step failed. On the gpiod
 * backend line numbers are the chip's line offsets (BCM numbers on a
 * Raspberry Pi), banks are 32 consecutive lines, lines are requested from
 * the kernel (consumer "fastgpio") on first use and held until close;
 * alternate functions fail with ENOTSUP, a line held by another consumer
 * with EBUSY.
 */
FGPIO_API struct fgpio_chip *fgpio_chip_open(const struct fgpio_config *cfg);

/**
 * Unmaps and frees @chip. Accepts NULL. The pointer, and every fgpio_line
 * initialised from it, is invalid afterwards (the Python layer is what makes a
 * second close harmless). A fgpio_chip_wave_play() running in another thread
 * is cancelled and waited for (it returns with stats->cancelled set) before
 * anything is unmapped; every other call must have returned and none may
 * start: wake event readers with fgpio_chip_event_cancel() and wait for them
 * first.
 */
FGPIO_API void fgpio_chip_close(struct fgpio_chip *chip);

/** Copies the chip's facts into @info. */
FGPIO_API int fgpio_chip_get_info(const struct fgpio_chip *chip, struct fgpio_chip_info *info);

/** fgpio_soc_info.flags */
#define FGPIO_SOC_RASPBERRY_PI 0x1u	/**< a Raspberry Pi SoC: its boards' rules apply */
#define FGPIO_SOC_POSTED_WRITES 0x2u	/**< stores may be posted (RP1 behind PCIe) */

/**
 * What the library's table knows of a chip's SoC. Strings are static or
 * owned by the chip; NULL where the SoC has no such fact. On the gpiod
 * backend the table's facts stay when the chip is the SoC's own GPIO
 * controller; on any other chip name is "unknown", family "gpiod" and the
 * rest empty.
 */
struct fgpio_soc_info {
	const char *name;		/**< table name, as fgpio_chip_info.soc */
	const char *description;	/**< "Broadcom BCM2711 (Raspberry Pi 4 B, 400, CM4)" */
	const char *family;		/**< register code: "bcm2835", "am335x", "rk3288", "rp1", "gpiod" */
	/** Label of the kernel's GPIO chip holding every line (offsets = line
	    numbers), e.g. "pinctrl-bcm2711"; NULL when each bank is a chip. */
	const char *gpiochip_label;
	/** Each bank a chip: its label with {bank}, {first} and {last} (the
	    bank's number and its first and last line), e.g. "gpio{bank}". */
	const char *bank_chip_label;
	const char *bench_line;		/**< the line `fastgpio bench` toggles by default */
	unsigned flags;			/**< FGPIO_SOC_* */
	void *reserved[4];		/**< set to NULL (room for more facts) */
};

/** Copies what the table knows of @chip's SoC into @info. */
FGPIO_API int fgpio_chip_get_soc_info(const struct fgpio_chip *chip, struct fgpio_soc_info *info);

/** Number of lines / banks of the chip (0 with errno on error). */
FGPIO_API unsigned fgpio_chip_num_lines(const struct fgpio_chip *chip);
FGPIO_API unsigned fgpio_chip_num_banks(const struct fgpio_chip *chip);

/** First line and line count of @bank. */
FGPIO_API int fgpio_chip_bank_lines(const struct fgpio_chip *chip, unsigned bank,
				    unsigned *first, unsigned *count);

/** Drives @line high / low (through set/clear registers where the SoC has them). */
FGPIO_API int fgpio_chip_set(struct fgpio_chip *chip, unsigned line);
FGPIO_API int fgpio_chip_clear(struct fgpio_chip *chip, unsigned line);
FGPIO_API int fgpio_chip_write(struct fgpio_chip *chip, unsigned line, int value);

/**
 * Returns the level of @line (0 or 1), or -1. An output reads back the level
 * it drives where the SoC's input register does not show it (AM335x: DATAOUT
 * for outputs, DATAIN for inputs, as the kernel reads them); bank reads
 * choose the same way per line.
 */
FGPIO_API int fgpio_chip_read(struct fgpio_chip *chip, unsigned line);

/**
 * Writes @values to the lines of @bank selected by @mask (bit n = line
 * first+n). One register write per direction where the SoC allows.
 */
FGPIO_API int fgpio_chip_bank_write(struct fgpio_chip *chip, unsigned bank,
				    uint32_t mask, uint32_t values);
FGPIO_API int fgpio_chip_bank_read(struct fgpio_chip *chip, unsigned bank, uint32_t *values);

/** Selects / reports the function of @line. get returns an enum fgpio_func or -1. */
FGPIO_API int fgpio_chip_set_func(struct fgpio_chip *chip, unsigned line, enum fgpio_func func);
FGPIO_API int fgpio_chip_get_func(struct fgpio_chip *chip, unsigned line);

/**
 * Whether fgpio_chip_set_func(@chip, @line, @func) would accept its arguments,
 * decided without writing a register: returns 0, or -1 with the errno and
 * fgpio_last_error() message set_func would give: EINVAL (bad line or
 * function), ENOTSUP (this SoC or backend has no such function on that line,
 * or its registers are not mapped), EIO (the line's bank is clock-gated),
 * EBUSY (gpiod backend: the line is watched for events). set_func runs the
 * same family check before its first write, so the two agree; what can
 * change in between (a clock the kernel gates, another consumer requesting
 * the line on the gpiod backend) can still make a later set_func fail. Lets
 * a caller check a function before writing anything else for the line (its
 * pull, its output level).
 */
FGPIO_API int fgpio_chip_check_func(struct fgpio_chip *chip, unsigned line, enum fgpio_func func);

/** Sets / reports the bias of @line. get fails with ENOTSUP where not readable. */
FGPIO_API int fgpio_chip_set_pull(struct fgpio_chip *chip, unsigned line, enum fgpio_pull pull);
FGPIO_API int fgpio_chip_get_pull(struct fgpio_chip *chip, unsigned line);

/**
 * Whether @line's input receiver is on, i.e. whether a read of the line as an
 * input follows the pin: 1 on, 0 off, -1 with errno (EINVAL bad line;
 * ENOTSUP where the table cannot tell: every SoC but the AM335x, an AM335x
 * pad not in the table or a control module that could not be mapped). On the
 * AM335x it is the pad's RXACTIVE bit: with it clear, DATAIN does not follow
 * the pin, so an input reads a level that is not the pin's (outputs read
 * their DATAOUT latch and are not affected). Changing it needs a pad
 * configuration (config-pin, a device-tree overlay).
 */
FGPIO_API int fgpio_chip_get_input_enable(struct fgpio_chip *chip, unsigned line);

/**
 * Resolves a line name: a plain number ("17"), a SoC name ("GPIO17",
 * "GPIO1_28", "GPIO5_B0") or a header name of the chip's board ("BOARD11",
 * "P9_12", "PIN7"). Returns the line or -1 (EINVAL; ENOENT for a header pin
 * that is power or ground).
 */
FGPIO_API int fgpio_chip_find_line(const struct fgpio_chip *chip, const char *name);

/**
 * A human-readable description of the last error of a libfastgpio call in
 * the calling thread (what failed and, where there is one, what to do about
 * it). Valid until the next failing call in this thread. Never NULL.
 */
FGPIO_API const char *fgpio_last_error(void);

/** Names of the supported SoC tables, NULL-terminated. */
FGPIO_API const char *const *fgpio_soc_names(void);

/** Short names of enum values ("in", "out", "alt0".., "off", "up", ..). NULL if out of range. */
FGPIO_API const char *fgpio_func_name(enum fgpio_func func);
FGPIO_API const char *fgpio_pull_name(enum fgpio_pull pull);

/** Number of header pins of the chip's board (0 when the board is unknown). */
FGPIO_API unsigned fgpio_chip_num_header_pins(const struct fgpio_chip *chip);

/**
 * Header pin @index (0-based) of the chip's board: *label receives its name
 * ("BOARD11", "P9_12"; owned by the library), *line its line number, or -1 for
 * power/ground, -2 for not connected. Returns 0, or -1 with EINVAL past the end.
 */
FGPIO_API int fgpio_chip_header_pin(const struct fgpio_chip *chip, unsigned index,
				    const char **label, int *line);

/* ------------------------------------------------------------------------ */
/* Fast path: a line handle whose toggle is one store.                      */

/**
 * A line handle caching register addresses. Filled by fgpio_line_init(); valid
 * while the chip stays open. Fields are public so the inline functions below
 * compile to single accesses; do not change them.
 */
struct fgpio_line {
	volatile uint32_t *set_reg;	/**< write mask to drive high (NULL: no set register) */
	volatile uint32_t *clr_reg;	/**< write mask to drive low */
	volatile uint32_t *in_reg;	/**< level register (NULL: fgpio_line_get() calls
					     fgpio_chip_read(), e.g. on AM335x, whose level
					     register depends on the line's direction) */
	uint32_t mask;			/**< 1 << bit */
	unsigned line;
	struct fgpio_chip *chip;
};

FGPIO_API int fgpio_line_init(struct fgpio_chip *chip, unsigned line, struct fgpio_line *handle);

static inline void fgpio_line_on(const struct fgpio_line *l)
{
	if (l->set_reg)
		*l->set_reg = l->mask;
	else
		(void)fgpio_chip_set(l->chip, l->line);
}

static inline void fgpio_line_off(const struct fgpio_line *l)
{
	if (l->clr_reg)
		*l->clr_reg = l->mask;
	else
		(void)fgpio_chip_clear(l->chip, l->line);
}

static inline int fgpio_line_get(const struct fgpio_line *l)
{
	if (l->in_reg)
		return (*l->in_reg & l->mask) != 0;
	return fgpio_chip_read(l->chip, l->line);
}

/* ------------------------------------------------------------------------ */
/* Waveforms and sampling: many register accesses from one call.            */

/**
 * One step of a waveform on one bank: drive the lines of @set_mask high and
 * those of @clr_mask low (bit n = line first+n of the bank), then wait
 * @delay_ns before the next step. Layout: three packed native-endian uint32
 * (little-endian on every supported SoC), 12 bytes, no padding, so a Python
 * bytes / array('I') / numpy uint32 (n, 3) buffer is an array of these.
 * A step may not name a line in both masks; zero masks are allowed (a pure
 * delay).
 */
struct fgpio_wave_step {
	uint32_t set_mask;
	uint32_t clr_mask;
	uint32_t delay_ns;	/**< from this step's edge to the next step's edge */
};

/** Options of fgpio_chip_wave_play(). Always initialise with fgpio_wave_opts_init(). */
struct fgpio_wave_opts {
	int cpu;		/**< pin the calling thread to this CPU for the run; -1: do not */
	int fifo_priority;	/**< SCHED_FIFO priority 1..99 for the run; 0: leave the policy */
	uint32_t spin_ns;	/**< busy-wait the last spin_ns of every wait (sleep before);
				     0: FGPIO_WAVE_SPIN_NS */
	unsigned flags;		/**< FGPIO_WAVE_* */
	void *reserved[4];	/**< NULL; the run fails with EINVAL otherwise (room for options) */
};

/**
 * Flag: a late edge re-anchors the schedule (later deadlines count from its
 * actual time), so the phase slips instead of the default catch-up, where
 * the edges due during a stall (e.g. a preemption) follow back to back.
 */
#define FGPIO_WAVE_NO_CATCH_UP 0x1u

/**
 * Default busy-wait window: waits shorter than this never sleep, longer ones
 * sleep until this long before the deadline. A sleeping thread wakes some
 * microseconds late even with 1 ns timer slack (about 7 µs median on an idle
 * x86 VM, more on a Pi): 10 µs left that lateness in every long delay, 50 µs
 * hides it at the price of 50 µs of spinning per long delay.
 */
#define FGPIO_WAVE_SPIN_NS 50000u

/**
 * What a run did. Lateness is (actual - requested) time of an edge that
 * followed a non-zero delay; the requested time of an edge is the first
 * edge's time plus the sum of the delays before it (absolute schedule, so
 * errors do not accumulate; with FGPIO_WAVE_NO_CATCH_UP, a late edge's
 * actual time replaces its deadline in that sum). Percentiles come from up to
 * FGPIO_WAVE_MAX_SAMPLES samples (reservoir sampling beyond that).
 */
struct fgpio_wave_stats {
	uint64_t steps;		/**< steps executed (n * repeat) */
	uint64_t elapsed_ns;	/**< first edge to the end of the last step's delay */
	uint64_t timed_edges;	/**< edges that followed a non-zero delay */
	uint64_t late_p50_ns;	/**< median lateness of timed edges */
	uint64_t late_p99_ns;	/**< 99th percentile lateness */
	uint64_t late_max_ns;	/**< worst lateness */
	int cpu_pinned;		/**< 1: the run was pinned to opts->cpu */
	int fifo_applied;	/**< 1: the run had SCHED_FIFO opts->fifo_priority */
	int cpu;		/**< CPU the run ended on (-1 unknown) */
	int readback;		/**< 1: each timed edge was read back (posted writes, RP1) */
	int cancelled;		/**< 1: fgpio_chip_wave_cancel() (or close) ended the run early:
				     @steps says how many steps ran, the lines are as the last of
				     them left them, @elapsed_ns runs to the cancellation */
	int reserved_int;	/**< 0 */
	uint64_t reserved[3];	/**< 0 */
};

#define FGPIO_WAVE_MAX_SAMPLES (1u << 20)

/** Fills @opts with defaults (no pinning, no priority change). */
FGPIO_API void fgpio_wave_opts_init(struct fgpio_wave_opts *opts);

/**
 * Plays @n steps on @bank @repeat times (0 = nothing), holding the calling
 * thread; @opts and @stats may be NULL. Every step is validated before the
 * first store (EINVAL: a mask names a line the bank does not have, or a line
 * in both masks; repeat * n overflowing; bad options) and nothing is written
 * then. Waits are absolute deadlines on CLOCK_MONOTONIC: sleep until
 * spin_ns before a deadline, then busy-wait. Set/clear registers are written
 * directly (one store per non-zero mask); on RK3288, which has none, each
 * step is a locked read-modify-write of the data register. On RP1 every
 * timed edge is read back before its timestamp (its writes cross PCIe and
 * may be posted), and the run ends with a read-back. CPU pinning and
 * SCHED_FIFO are applied when permitted and restored afterwards; refusals are
 * silent and shown in @stats. Returns 0, or -1 with errno (EINVAL, EIO,
 * ENOTSUP as the chip's other calls, ENOMEM).
 */
FGPIO_API int fgpio_chip_wave_play(struct fgpio_chip *chip, unsigned bank,
				   const struct fgpio_wave_step *steps, size_t n, unsigned repeat,
				   const struct fgpio_wave_opts *opts, struct fgpio_wave_stats *stats);

/**
 * Ends every fgpio_chip_wave_play() of @chip running in other threads (or
 * interrupted by the signal handler this is called from) within
 * FGPIO_WAVE_CANCEL_NS: each stops between two steps, never inside one, so
 * the lines stay as the last completed step left them, and returns 0 with
 * stats->cancelled = 1 and stats->steps = the steps that ran. Waves that
 * start after the call play normally. Async-signal-safe (one atomic
 * operation). Returns how many waves were running (0: none; a wave entering
 * fgpio_chip_wave_play at the same moment is counted exactly when it is
 * cancelled), or -1 with EINVAL for a NULL chip.
 */
FGPIO_API int fgpio_chip_wave_cancel(struct fgpio_chip *chip);

/**
 * Longest time from fgpio_chip_wave_cancel() to the run noticing it, on an
 * idle CPU: sleeps are cut into slices this long, busy-waits and runs of
 * zero-delay steps look at the cancel word as they go (every
 * FGPIO_WAVE_CANCEL_STEPS steps).
 */
#define FGPIO_WAVE_CANCEL_NS 10000000u
#define FGPIO_WAVE_CANCEL_STEPS 1024u

/**
 * Logic-analyser style sampling: reads the level register of @bank @n times
 * back to back into @buf (bits beyond the bank's lines are 0). *elapsed_ns
 * (may be NULL) receives the time from before the first read to after the
 * last. Returns 0 or -1 with errno.
 */
FGPIO_API int fgpio_chip_bank_sample(struct fgpio_chip *chip, unsigned bank, uint32_t *buf,
				     size_t n, uint64_t *elapsed_ns);


/* ------------------------------------------------------------------------ */
/* Edge events                                                              */
/*
 * Events always come from the kernel's GPIO character device, whatever the
 * backend: on the gpiod backend from the chip's own lines; on an mmap backend
 * from the SoC's GPIO controller chip (found by its label in /dev, or the
 * fgpio_config.gpiochip given at open), while writes stay on mmap. Watching
 * requests the line from the kernel as an input with edge detection (the
 * kernel makes it an input) until fgpio_chip_unwatch() or close. Needs
 * libgpiod, loaded at run time (else ENOTSUP); a register file has no
 * events (ENOTSUP).
 */

/** Edges to report. */
enum fgpio_edge {
	FGPIO_EDGE_RISING = 1,
	FGPIO_EDGE_FALLING = 2,
	FGPIO_EDGE_BOTH = 3,
};

/** One edge. */
struct fgpio_event {
	uint64_t timestamp_ns;	/**< kernel timestamp of the edge, CLOCK_MONOTONIC */
	uint64_t seqno;		/**< events delivered on this line since it was watched, from 1 */
	unsigned int line;	/**< line number of the chip */
	int edge;		/**< FGPIO_EDGE_RISING or FGPIO_EDGE_FALLING */
};

/**
 * Starts queuing @edge events of @line (a second call reconfigures). With
 * @debounce_us > 0 an edge is reported only once the line has kept its new
 * level for @debounce_us: done by the kernel with libgpiod 2.x, in software
 * (while reading) with libgpiod 1.x. Returns a file descriptor owned by the
 * chip that polls readable when an event may be pending (for poll/epoll/
 * asyncio; valid until unwatch or close), or -1 with errno: EINVAL (bad line
 * or edge), ENOTSUP (no character device for these lines), EBUSY (held by
 * another consumer; fgpio_last_error() names it, or a reader of this line
 * is blocked in another thread), EACCES.
 */
FGPIO_API int fgpio_chip_watch(struct fgpio_chip *chip, unsigned int line, int edge,
			       unsigned int debounce_us);

/** Stops watching @line and drops its queued events. EBUSY while another thread reads it. */
FGPIO_API int fgpio_chip_unwatch(struct fgpio_chip *chip, unsigned int line);

/**
 * 1 while @line is watched (after a failed fgpio_chip_watch() too: a refused
 * reconfiguration with a reader blocked keeps the old watch, any other
 * failure drops the line), 0 when not, -1 with errno EINVAL for a bad line.
 */
FGPIO_API int fgpio_chip_watching(struct fgpio_chip *chip, unsigned int line);

/**
 * Takes the oldest queued event of watched @line into *ev, waiting up to
 * @timeout_ns (< 0: forever; 0: do not wait; software debounce may still wait
 * up to the debounce time after an edge). Returns 1 (event), 0 (timeout) or
 * -1 with errno (ENOENT: not watched; ECANCELED: fgpio_chip_event_cancel).
 * Safe to call from several threads (they take events in turn).
 */
FGPIO_API int fgpio_chip_event_read(struct fgpio_chip *chip, unsigned int line,
				    struct fgpio_event *ev, int64_t timeout_ns);

/**
 * Wakes every fgpio_chip_event_read() of @chip, now and later, with
 * ECANCELED: call it before closing a chip other threads may be waiting on,
 * wait for them to return, then close. Async-signal-safe. Returns 0 or -1.
 */
FGPIO_API int fgpio_chip_event_cancel(struct fgpio_chip *chip);

/**
 * Whether another consumer holds @line according to the kernel (a driver,
 * a device-tree hog, another program's request). Returns 1 and copies its
 * name into @consumer (@len bytes, may be 0; "" when it has none), 0 when
 * free or held by this chip, -1 with errno: ENOTSUP when the kernel cannot
 * be asked (no libgpiod loaded, a register file, no GPIO chip for
 * these lines).
 */
FGPIO_API int fgpio_chip_line_owner(struct fgpio_chip *chip, unsigned int line, char *consumer,
				    size_t len);

#ifdef __cplusplus
}
#endif

#endif /* FASTGPIO_H */
