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
 *      ENOTSUP  the operation is not possible on this SoC or backend
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

/** How the registers are reached. */
enum fgpio_backend {
	FGPIO_BACKEND_AUTO = 0,	/**< gpiomem, then devmem */
	FGPIO_BACKEND_GPIOMEM,	/**< /dev/gpiomem (or a file standing in for it) */
	FGPIO_BACKEND_DEVMEM	/**< /dev/mem (or a file standing in for it) */
};

/** Pin function. ALT numbers are the SoC's own mux numbers. */
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
	void *reserved[7];	/**< zero; room for future options */
};

/** AM335x / RK3288: do not enable gated GPIO clocks; such banks fail with EIO. */
#define FGPIO_OPEN_NO_CLOCK_ENABLE 0x1u

/** Facts about an opened chip. Strings are owned by the chip. */
struct fgpio_chip_info {
	const char *soc;	/**< table name, e.g. "bcm2711" */
	const char *board;	/**< board name or "unknown" */
	const char *backend;	/**< "gpiomem" or "devmem" */
	const char *device;	/**< path that was opened */
	const char *reason;	/**< why this SoC and backend were chosen */
	uint64_t base;		/**< physical address of the GPIO block (0 if not known) */
	unsigned num_lines;
	unsigned num_banks;
};

/** Fills @cfg with defaults. */
FGPIO_API void fgpio_config_init(struct fgpio_config *cfg);

/**
 * Opens the GPIO controller. @cfg may be NULL (auto-detect everything).
 * Returns NULL and sets errno on error. Free with fgpio_chip_close().
 */
FGPIO_API struct fgpio_chip *fgpio_chip_open(const struct fgpio_config *cfg);

/**
 * Unmaps and frees @chip. Accepts NULL. The pointer, and every fgpio_line
 * initialised from it, is invalid afterwards (the Python layer is what makes a
 * second close harmless).
 */
FGPIO_API void fgpio_chip_close(struct fgpio_chip *chip);

/** Copies the chip's facts into @info. */
FGPIO_API int fgpio_chip_get_info(const struct fgpio_chip *chip, struct fgpio_chip_info *info);

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

/** Returns the level of @line (0 or 1), or -1. */
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

/** Sets / reports the bias of @line. get fails with ENOTSUP where not readable. */
FGPIO_API int fgpio_chip_set_pull(struct fgpio_chip *chip, unsigned line, enum fgpio_pull pull);
FGPIO_API int fgpio_chip_get_pull(struct fgpio_chip *chip, unsigned line);

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
	volatile uint32_t *in_reg;	/**< level register */
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

#ifdef __cplusplus
}
#endif

#endif /* FASTGPIO_H */
