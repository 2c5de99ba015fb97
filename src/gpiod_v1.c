/* SPDX-License-Identifier: MIT */
/*
 * src/gpiod_v1.c - the gpiod backend's port for libgpiod 1.x (Debian and
 * Raspberry Pi OS bookworm ship 1.6). One request per line; the line objects
 * belong to the libgpiod chip and live until it is closed. Reconfiguring a
 * held line (gpiod_line_set_config) needs Linux 5.5 (GPIOHANDLE_SET_CONFIG).
 *
 * libgpiod is not needed to build this file: libgpiod.so.2 is opened at run
 * time (fgpio_gpiod_v1_load) and the types, values and functions used are
 * declared below, copied from libgpiod 1.6's <gpiod.h> (the API and ABI of
 * soname libgpiod.so.2 are stable; gpiod_line_bias and gpiod_line_set_config
 * arrived in 1.5).
 */
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gpiod_backend.h"

/* ---- from libgpiod 1.6 <gpiod.h> ---- */
struct gpiod_chip;
struct gpiod_line;

/* enum { GPIOD_LINE_DIRECTION_INPUT = 1, GPIOD_LINE_DIRECTION_OUTPUT } */
#define GPIOD_LINE_DIRECTION_OUTPUT 2
/* enum { GPIOD_LINE_BIAS_AS_IS = 1, _DISABLE, _PULL_UP, _PULL_DOWN } */
#define GPIOD_LINE_BIAS_DISABLE 2
#define GPIOD_LINE_BIAS_PULL_UP 3
#define GPIOD_LINE_BIAS_PULL_DOWN 4
/* enum { GPIOD_LINE_REQUEST_DIRECTION_AS_IS = 1, ..._INPUT, ..._OUTPUT,
 *        GPIOD_LINE_REQUEST_EVENT_FALLING_EDGE, ..._RISING_EDGE, ..._BOTH_EDGES } */
#define GPIOD_LINE_REQUEST_DIRECTION_AS_IS 1
#define GPIOD_LINE_REQUEST_DIRECTION_INPUT 2
#define GPIOD_LINE_REQUEST_DIRECTION_OUTPUT 3
#define GPIOD_LINE_REQUEST_EVENT_FALLING_EDGE 4
#define GPIOD_LINE_REQUEST_EVENT_RISING_EDGE 5
#define GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES 6
/* enum { GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE = GPIOD_BIT(3), _PULL_DOWN = GPIOD_BIT(4),
 *        _PULL_UP = GPIOD_BIT(5) } */
#define GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE (1 << 3)
#define GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN (1 << 4)
#define GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP (1 << 5)
/* enum { GPIOD_LINE_EVENT_RISING_EDGE = 1, GPIOD_LINE_EVENT_FALLING_EDGE } */
#define GPIOD_LINE_EVENT_RISING_EDGE 1

struct gpiod_line_request_config {
	const char *consumer;
	int request_type;
	int flags;
};

/*
 * The library's struct timespec, as it was built: libgpiod 1.x exists only on
 * systems from before the 64-bit time_t transition of 32-bit ARM (Debian
 * bookworm, Raspberry Pi OS bookworm), where both fields are a long. Spelled
 * out so that a build with _TIME_BITS=64 (the default of Debian trixie's gcc
 * on armhf/armel) still reads the library's layout.
 */
struct gpiod_line_event {
	struct {
		long tv_sec;
		long tv_nsec;
	} ts;
	int event_type;
};

/* The functions this port calls: X(return type, name without gpiod_, parameters). */
#define V1_FUNCS(X) \
	X(struct gpiod_chip *, chip_open, (const char *path)) \
	X(unsigned int, chip_num_lines, (struct gpiod_chip *chip)) \
	X(const char *, chip_label, (struct gpiod_chip *chip)) \
	X(void, chip_close, (struct gpiod_chip *chip)) \
	X(struct gpiod_line *, chip_get_line, (struct gpiod_chip *chip, unsigned int offset)) \
	X(int, line_update, (struct gpiod_line *line)) \
	X(bool, line_is_used, (struct gpiod_line *line)) \
	X(bool, line_is_requested, (struct gpiod_line *line)) \
	X(int, line_direction, (struct gpiod_line *line)) \
	X(int, line_bias, (struct gpiod_line *line)) \
	X(const char *, line_consumer, (struct gpiod_line *line)) \
	X(int, line_request, (struct gpiod_line *line, const struct gpiod_line_request_config *config, \
			      int default_val)) \
	X(int, line_set_config, (struct gpiod_line *line, int direction, int flags, int value)) \
	X(int, line_get_value, (struct gpiod_line *line)) \
	X(int, line_set_value, (struct gpiod_line *line, int value)) \
	X(void, line_release, (struct gpiod_line *line)) \
	X(int, line_event_get_fd, (struct gpiod_line *line)) \
	X(int, line_event_read, (struct gpiod_line *line, struct gpiod_line_event *event)) \
	X(const char *, version_string, (void))

#define V1_POINTER(ret, name, params) ret (*name) params;
/* libgpiod.so.2's functions, resolved once by fgpio_gpiod_v1_load. */
static struct {
	V1_FUNCS(V1_POINTER)
} lib;

struct fgpio_gpiod_port {
	struct gpiod_chip *chip;
	unsigned nlines;
	char path[256];
	struct fgpio_gpiod_lines lines;	/* what this port holds */
};

static int v1_get(struct fgpio_gpiod_port *p, unsigned off);

static struct fgpio_gpiod_port *v1_open(const char *path, char *label, unsigned *nlines)
{
	struct fgpio_gpiod_port *p = calloc(1, sizeof(*p));

	if (!p) {
		fgpio_fail(ENOMEM, "out of memory");
		return NULL;
	}
	p->chip = lib.chip_open(path);
	if (!p->chip) {
		int e = errno;

		free(p);
		fgpio_gpiod_fail_open(e, path);
		return NULL;
	}
	p->nlines = lib.chip_num_lines(p->chip);
	fgpio_gpiod_lines_init(&p->lines);
	snprintf(p->path, sizeof(p->path), "%s", path);
	snprintf(label, FGPIO_GPIOD_LABEL_MAX, "%s", lib.chip_label(p->chip));
	*nlines = p->nlines;
	return p;
}

static void v1_close(struct fgpio_gpiod_port *p)
{
	if (!p)
		return;
	/* Closing the chip releases every line it requested. */
	lib.chip_close(p->chip);
	free(p);
}

static struct gpiod_line *get_line(struct fgpio_gpiod_port *p, unsigned off)
{
	struct gpiod_line *l = off < p->nlines ? lib.chip_get_line(p->chip, off) : NULL;

	if (!l)
		fgpio_gpiod_fail_line("cannot get", off, p->path);
	return l;
}

static int v1_info(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_gpiod_lineinfo *li)
{
	struct gpiod_line *l = get_line(p, off);

	if (!l)
		return -1;
	if (lib.line_update(l))
		return fgpio_gpiod_fail_line("cannot read the info of", off, p->path);
	memset(li, 0, sizeof(*li));
	li->used = lib.line_is_used(l) && !lib.line_is_requested(l);
	li->output = lib.line_direction(l) == GPIOD_LINE_DIRECTION_OUTPUT;
	switch (lib.line_bias(l)) {
	case GPIOD_LINE_BIAS_DISABLE:
		li->bias = FGPIO_PULL_OFF;
		break;
	case GPIOD_LINE_BIAS_PULL_UP:
		li->bias = FGPIO_PULL_UP;
		break;
	case GPIOD_LINE_BIAS_PULL_DOWN:
		li->bias = FGPIO_PULL_DOWN;
		break;
	default:
		li->bias = -1;	/* GPIOD_LINE_BIAS_AS_IS: not reported */
		break;
	}
	const char *cons = lib.line_consumer(l);

	snprintf(li->consumer, sizeof(li->consumer), "%s", cons ? cons : "");
	return 0;
}

static const struct fgpio_gpiod_line *v1_line(struct fgpio_gpiod_port *p, unsigned off)
{
	return fgpio_gpiod_lines_get(&p->lines, off);
}

/* Records a request as is: the line keeps its direction, an output its level as the latch. */
static void note_as_is(struct fgpio_gpiod_port *p, unsigned off)
{
	struct fgpio_gpiod_lineinfo li;

	fgpio_gpiod_lines_config(&p->lines, off, -1, 0, -1);
	if (v1_info(p, off, &li) == 0 && li.output)
		fgpio_gpiod_lines_output(&p->lines, off, v1_get(p, off) > 0);
}

static int bias_flags(int bias)
{
	switch (bias) {
	case FGPIO_PULL_OFF:
		return GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE;
	case FGPIO_PULL_UP:
		return GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP;
	case FGPIO_PULL_DOWN:
		return GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN;
	default:
		return 0;
	}
}

static int v1_config(struct fgpio_gpiod_port *p, unsigned off, int dir, int value, int bias)
{
	struct gpiod_line *l = get_line(p, off);

	if (!l)
		return -1;
	if (!lib.line_is_requested(l)) {
		struct gpiod_line_request_config rc;

		memset(&rc, 0, sizeof(rc));
		rc.consumer = FGPIO_GPIOD_CONSUMER;
		rc.request_type = dir < 0 ? GPIOD_LINE_REQUEST_DIRECTION_AS_IS :
				  dir ? GPIOD_LINE_REQUEST_DIRECTION_OUTPUT :
				  GPIOD_LINE_REQUEST_DIRECTION_INPUT;
		rc.flags = dir < 0 ? 0 : bias_flags(bias);
		if (lib.line_request(l, &rc, value))
			return fgpio_gpiod_fail_line("cannot request", off, p->path);
		if (dir < 0)
			note_as_is(p, off);
		else
			fgpio_gpiod_lines_config(&p->lines, off, dir, value, bias);
		return 0;
	}
	if (dir < 0)
		return 0;
	if (lib.line_set_config(l, dir ? GPIOD_LINE_REQUEST_DIRECTION_OUTPUT :
				  GPIOD_LINE_REQUEST_DIRECTION_INPUT, bias_flags(bias), value))
		return fgpio_gpiod_fail_line("cannot reconfigure", off, p->path);
	fgpio_gpiod_lines_config(&p->lines, off, dir, value, bias);
	return 0;
}

static int v1_get(struct fgpio_gpiod_port *p, unsigned off)
{
	struct gpiod_line *l = get_line(p, off);

	if (!l)
		return -1;
	int v = lib.line_get_value(l);

	if (v < 0)
		return fgpio_gpiod_fail_line("cannot read", off, p->path);
	return v;
}

static int v1_set(struct fgpio_gpiod_port *p, unsigned off, int value)
{
	struct gpiod_line *l = get_line(p, off);

	if (!l)
		return -1;
	int out = fgpio_gpiod_lines_latch(&p->lines, off, value);

	if (out < 0)
		return fgpio_fail(EINVAL, "line %u of %s is not requested", off, p->path);
	if (!out)
		return 0;	/* latched: an input drives it once made an output */
	if (lib.line_set_value(l, value))
		return fgpio_gpiod_fail_line("cannot drive", off, p->path);
	return 0;
}

static void v1_release(struct fgpio_gpiod_port *p, unsigned off)
{
	struct gpiod_line *l = off < p->nlines ? lib.chip_get_line(p->chip, off) : NULL;

	if (l && lib.line_is_requested(l))
		lib.line_release(l);
	fgpio_gpiod_lines_release(&p->lines, off);
}

static int v1_watch(struct fgpio_gpiod_port *p, unsigned off, int edge, int bias,
			   unsigned debounce_us)
{
	struct gpiod_line *l = get_line(p, off);
	struct gpiod_line_request_config rc;

	if (!l)
		return -1;
	if (debounce_us)
		return fgpio_fail(ENOTSUP, "libgpiod 1.x cannot ask the kernel to debounce");
	/* An event request cannot be reconfigured in uAPI v1: release, request again. */
	v1_release(p, off);
	memset(&rc, 0, sizeof(rc));
	rc.consumer = FGPIO_GPIOD_CONSUMER;
	rc.request_type = edge == FGPIO_EDGE_BOTH ? GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES :
			  edge == FGPIO_EDGE_RISING ? GPIOD_LINE_REQUEST_EVENT_RISING_EDGE :
			  GPIOD_LINE_REQUEST_EVENT_FALLING_EDGE;
	rc.flags = bias_flags(bias);
	if (lib.line_request(l, &rc, 0))
		return fgpio_gpiod_fail_line("cannot watch", off, p->path);
	fgpio_gpiod_lines_watch(&p->lines, off);
	return lib.line_event_get_fd(l);
}

static int v1_event(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_event *ev)
{
	struct gpiod_line *l = get_line(p, off);
	struct gpiod_line_event e;

	if (!l)
		return -1;
	int fd = lib.line_event_get_fd(l);

	if (fd < 0)
		return fgpio_fail(EINVAL, "line %u of %s is not watched", off, p->path);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int w = poll(&pfd, 1, 0);

	if (w < 0)
		return fgpio_gpiod_fail_line("cannot wait for events of", off, p->path);
	if (w == 0)
		return 0;
	if (lib.line_event_read(l, &e))
		return fgpio_gpiod_fail_line("cannot read events of", off, p->path);
	ev->timestamp_ns = (uint64_t)e.ts.tv_sec * 1000000000u + (uint64_t)e.ts.tv_nsec;
	ev->edge = e.event_type == GPIOD_LINE_EVENT_RISING_EDGE ? FGPIO_EDGE_RISING : FGPIO_EDGE_FALLING;
	return 1;
}

static const char *v1_libversion(void)
{
	return lib.version_string();
}

static const struct fgpio_gpiod_gen v1_gen = {
	.open = v1_open,
	.close = v1_close,
	.info = v1_info,
	.line = v1_line,
	.config = v1_config,
	.get = v1_get,
	.set = v1_set,
	.watch = v1_watch,
	.release = v1_release,
	.event = v1_event,
	.libversion = v1_libversion,
	.kernel_debounce = 0,	/* uAPI v1, which libgpiod 1.x speaks, has no debounce */
};

/* dlsym's object pointer into a function pointer, as POSIX allows (memcpy: no pedantic cast). */
#define V1_RESOLVE(ret, name, params) \
	if (!(sym = dlsym(h, "gpiod_" #name))) \
		goto missing; \
	memcpy(&lib.name, &sym, sizeof(sym));

const struct fgpio_gpiod_gen *fgpio_gpiod_v1_load(void)
{
	void *h = dlopen("libgpiod.so.2", RTLD_NOW | RTLD_LOCAL);
	void *sym;

	if (!h) {
		fgpio_fail(ENOTSUP, "cannot load libgpiod.so.2 (libgpiod 1.x): %s", dlerror());
		return NULL;
	}
	V1_FUNCS(V1_RESOLVE)
	return &v1_gen;
missing:
	fgpio_fail(ENOTSUP, "libgpiod.so.2 is not a usable libgpiod 1.x (1.5 or later): %s",
		   dlerror());
	dlclose(h);
	return NULL;
}
