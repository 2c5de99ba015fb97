/* SPDX-License-Identifier: MIT */
/*
 * src/gpiod_backend.h - the gpiod backend (private; not gpiod.h, which is libgpiod's).
 *
 * gpiod.c holds everything that does not depend on the libgpiod API
 * generation: the family ops, choosing a chip. It reaches the kernel only
 * through the "port" below. gpiod_port.c owns it: at first use it loads
 * libgpiod at run time (dlopen; no build-time dependency) and forwards each
 * fgpio_gpiod_port_* call to the ops of that generation, struct
 * fgpio_gpiod_gen: gpiod_v2.c for libgpiod 2.x (libgpiod.so.3), gpiod_v1.c
 * for 1.x (libgpiod.so.2), gpiod_none.c when none can be loaded (its
 * libversion is NULL and fgpio_gpiod_port_load() says why).
 *
 * The port owns its lines: it records which it holds, and as what
 * (struct fgpio_gpiod_line, kept by gpiod_lines.c for both libgpiod ports),
 * as it requests, reconfigures, watches and releases them. gpiod.c and
 * events.c both ask the port, so each calls only downward:
 *   chip.c -> gpiod.c, events.c;  gpiod.c, events.c -> gpiod_port.c ->
 *   gpiod_v1.c, gpiod_v2.c, gpiod_none.c -> gpiod_lines.c
 * chip.c takes the port events use from gpiod.c (fgpio_gpiod_chip_port, or
 * fgpio_gpiod_open_soc_port for an mmap chip) and hands it to
 * fgpio_events_attach; the gpiod backend closes its own port, the events
 * close one opened for them.
 * Port functions return -1 with errno and a fgpio_fail() message.
 */
#ifndef FASTGPIO_GPIOD_BACKEND_H
#define FASTGPIO_GPIOD_BACKEND_H

#include <stddef.h>

#include "internal.h"

#define FGPIO_GPIOD_CONSUMER "fastgpio"
#define FGPIO_GPIOD_LABEL_MAX 64

/* What the kernel reports about a line (line info). */
struct fgpio_gpiod_lineinfo {
	int used;		/* requested by someone (or claimed by pinctrl) */
	int output;		/* direction reported by the kernel */
	int bias;		/* enum fgpio_pull, or -1: not reported */
	char consumer[64];	/* "" when none or unnamed */
};

struct fgpio_gpiod_port;

/*
 * What a port holds of one of its lines. The port keeps it as it requests,
 * reconfigures, watches and releases the line (gpiod_lines.c); the gpiod
 * backend and edge events read it (fgpio_gpiod_port_line). Only @held lines
 * are the port's; the other fields of a released line keep their last values
 * (the latch, and the bias a later watch revives).
 */
struct fgpio_gpiod_line {
	uint8_t held;		/* requested by this port */
	uint8_t output;		/* held: configured as an output */
	uint8_t latch;		/* value driven, or to drive once made an output */
	uint8_t watched;	/* held as an edge request (fgpio_gpiod_port_watch) */
	int8_t bias;		/* bias set through this port (enum fgpio_pull), -1 none */
};

/* Opens @path; *label (>= FGPIO_GPIOD_LABEL_MAX bytes) and *nlines describe the chip. */
struct fgpio_gpiod_port *fgpio_gpiod_port_open(const char *path, char *label, unsigned *nlines);
/* Releases every request of the port and closes the chip. Accepts NULL. */
void fgpio_gpiod_port_close(struct fgpio_gpiod_port *p);
int fgpio_gpiod_port_info(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_gpiod_lineinfo *li);
/*
 * What the port holds of line @off (never NULL; a line it has not requested,
 * or beyond FGPIO_MAX_LINES, reads as not held). Valid until the next port
 * call on the line.
 */
const struct fgpio_gpiod_line *fgpio_gpiod_port_line(struct fgpio_gpiod_port *p, unsigned off);

/* The bias the port set on held line @off, or -1 (as is). */
static inline int fgpio_gpiod_port_bias(struct fgpio_gpiod_port *p, unsigned off)
{
	const struct fgpio_gpiod_line *l = fgpio_gpiod_port_line(p, off);

	return l->held ? l->bias : -1;
}

/*
 * Requests line @off for FGPIO_GPIOD_CONSUMER (first call for the line) or
 * reconfigures the request. @dir: -1 as is (first request only: the line
 * keeps the direction the kernel reports, an output its level as the
 * latch), 0 input, 1 output driving @value. @bias: -1 leave, else
 * FGPIO_PULL_OFF/UP/DOWN (needs an explicit @dir). The port records the
 * line as held with that direction, latch @value and bias.
 */
int fgpio_gpiod_port_config(struct fgpio_gpiod_port *p, unsigned off, int dir, int value, int bias);
int fgpio_gpiod_port_get(struct fgpio_gpiod_port *p, unsigned off);
/*
 * Latches @value on held line @off and drives it when the line is an
 * output; an input drives it once made one (as a GPIO block's output
 * latch). EINVAL when the port does not hold the line.
 */
int fgpio_gpiod_port_set(struct fgpio_gpiod_port *p, unsigned off, int value);
/*
 * Requests @off for edge events (@edge FGPIO_EDGE_*), as an input with
 * @bias (-1 as is), replacing this port's request of the line if any (kernel
 * debounce @debounce_us: ENOTSUP when the port has none, see
 * fgpio_gpiod_port_kernel_debounce). Returns the request's file descriptor;
 * the line is then held, watched and an input (its recorded bias unchanged).
 */
int fgpio_gpiod_port_watch(struct fgpio_gpiod_port *p, unsigned off, int edge, int bias,
			   unsigned debounce_us);
/* 1 when the port passes a debounce period to the kernel (libgpiod 2.x). */
int fgpio_gpiod_port_kernel_debounce(void);
/* Releases this port's request of @off, if any: no longer held or watched. */
void fgpio_gpiod_port_release(struct fgpio_gpiod_port *p, unsigned off);
/*
 * Takes one event of watched @off without blocking: 1 (ev->timestamp_ns and
 * ev->edge filled), 0 when none is pending, -1 with errno. Callers wait by
 * polling the fd fgpio_gpiod_port_watch returned.
 */
int fgpio_gpiod_port_event(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_event *ev);
/*
 * ---- gpiod_lines.c: the record of held lines, kept alike by both libgpiod
 * ports (each embeds a table and answers fgpio_gpiod_port_line from it) ----
 */
struct fgpio_gpiod_lines {
	struct fgpio_gpiod_line line[FGPIO_MAX_LINES];
};

/* Every line not held, no bias set. */
void fgpio_gpiod_lines_init(struct fgpio_gpiod_lines *t);
/* The record of @off (a not-held one beyond the table). */
const struct fgpio_gpiod_line *fgpio_gpiod_lines_get(const struct fgpio_gpiod_lines *t, unsigned off);
/* fgpio_gpiod_port_config(@off, @dir, @value, @bias) succeeded. */
void fgpio_gpiod_lines_config(struct fgpio_gpiod_lines *t, unsigned off, int dir, int value,
			      int bias);
/* A line requested as is was reported to be an output at level @value. */
void fgpio_gpiod_lines_output(struct fgpio_gpiod_lines *t, unsigned off, int value);
/* Latches @value on @off; returns 1 when the line is held as an output (drive it), 0 when
   held as an input, -1 (no message) when not held. */
int fgpio_gpiod_lines_latch(struct fgpio_gpiod_lines *t, unsigned off, int value);
/* @off is now held as an input for edge events. */
void fgpio_gpiod_lines_watch(struct fgpio_gpiod_lines *t, unsigned off);
/* @off was released. */
void fgpio_gpiod_lines_release(struct fgpio_gpiod_lines *t, unsigned off);

/* ---- util.c: messages shared by both ports and gpiod.c ---- */
/* Fails with errno's message for @what ("cannot read") on line @off of @path;
   the kernel's "not supported" errnos become ENOTSUP. Returns -1. */
int fgpio_gpiod_fail_line(const char *what, unsigned off, const char *path);
/* Fails for a chip @path that could not be opened (errno @err), saying what to do. */
void fgpio_gpiod_fail_open(int err, const char *path);

/* libgpiod's own version string, "1.6.3" (static storage); NULL when none is loaded */
const char *fgpio_gpiod_port_libversion(void);
/*
 * Chooses the libgpiod generation once (thread-safe): FASTGPIO_LIBGPIOD=2
 * or 1 forces one, none disables libgpiod, unset or auto takes
 * libgpiod.so.3 (2.x), else libgpiod.so.2 (1.x). 0 when one is loaded; else
 * -1 with errno (ENOTSUP, EINVAL for a bad FASTGPIO_LIBGPIOD) and a message
 * saying why and what to install.
 */
int fgpio_gpiod_port_load(void);

/*
 * ---- one libgpiod generation's port, forwarded to by gpiod_port.c; the
 * members do what the fgpio_gpiod_port_* function of the same name does ----
 */
struct fgpio_gpiod_gen {
	struct fgpio_gpiod_port *(*open)(const char *path, char *label, unsigned *nlines);
	void (*close)(struct fgpio_gpiod_port *p);
	int (*info)(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_gpiod_lineinfo *li);
	const struct fgpio_gpiod_line *(*line)(struct fgpio_gpiod_port *p, unsigned off);
	int (*config)(struct fgpio_gpiod_port *p, unsigned off, int dir, int value, int bias);
	int (*get)(struct fgpio_gpiod_port *p, unsigned off);
	int (*set)(struct fgpio_gpiod_port *p, unsigned off, int value);
	int (*watch)(struct fgpio_gpiod_port *p, unsigned off, int edge, int bias,
		     unsigned debounce_us);
	void (*release)(struct fgpio_gpiod_port *p, unsigned off);
	int (*event)(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_event *ev);
	const char *(*libversion)(void);
	int kernel_debounce;	/* 1: watch passes debounce_us to the kernel */
};

/*
 * Load libgpiod 2.x (libgpiod.so.3) or 1.x (libgpiod.so.2) with dlopen and
 * resolve every function their port calls: the generation's ops, or NULL
 * with errno ENOTSUP and a message (dlerror's). Called once, by gpiod_port.c.
 */
const struct fgpio_gpiod_gen *fgpio_gpiod_v2_load(void);
const struct fgpio_gpiod_gen *fgpio_gpiod_v1_load(void);
/* No libgpiod: nothing opens (gpiod.c asks fgpio_gpiod_port_load first). */
extern const struct fgpio_gpiod_gen fgpio_gpiod_none_gen;

/* ---- gpiod.c, used by chip.c ---- */

/* A gpiochip found while scanning a directory. */
struct fgpio_gpiod_chipdesc {
	char path[256];
	char label[FGPIO_GPIOD_LABEL_MAX];
	unsigned nlines;
	int usable;		/* 0: could not be opened (see error) */
	char error[96];
};

/*
 * GPIO controller label of @soc's chip (e.g. "pinctrl-bcm2711"), or NULL
 * when its lines are spread over several kernel chips (AM335x, RK3288) and
 * the caller must name one.
 */
const char *fgpio_gpiod_soc_label(const struct fgpio_soc *soc);

/*
 * Picks a chip from @chips: the one labelled @want_label when it is not NULL,
 * else the only usable chip. Returns its index, or -1 with errno ENODEV and a
 * message listing the chips.
 */
int fgpio_gpiod_pick(const struct fgpio_gpiod_chipdesc *chips, size_t n, const char *want_label,
		     const char *dir);

/*
 * The port of a chip on the gpiod backend (NULL on an mmap backend): chip.c
 * hands it to the events, the backend keeps and closes it.
 */
struct fgpio_gpiod_port *fgpio_gpiod_chip_port(const struct fgpio_chip *c);
/*
 * Opens the GPIO chip carrying @c's SoC numbering for an mmap chip (by
 * label in @gpiochip or /dev): the port, or NULL with errno (ENOTSUP when
 * the SoC's lines span several chips or no libgpiod is loaded). The
 * caller closes it (chip.c hands it to the events, which do).
 */
struct fgpio_gpiod_port *fgpio_gpiod_open_soc_port(const struct fgpio_chip *c);

/*
 * Attaches the gpiod backend to @c: opens @gpiochip (a device, a directory
 * to scan, or NULL = /dev), sets c->ops, c->gpiod, c->own_soc/c->soc (the
 * layout: @c->soc's line count when known and its label matched, else the
 * chip's), c->device; appends what it did to @note. ENOTSUP when no
 * libgpiod is loaded.
 */
int fgpio_gpiod_attach(struct fgpio_chip *c, const char *gpiochip, char *note, size_t notelen);
void fgpio_gpiod_detach(struct fgpio_chip *c);
/* "libgpiod 2.1.3", the one loaded, or NULL when none is (fgpio_gpiod_port_load). */
const char *fgpio_gpiod_version(void);

#endif /* FASTGPIO_GPIOD_BACKEND_H */
