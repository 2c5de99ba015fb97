/* SPDX-License-Identifier: MIT */
/*
 * src/gpiod_v2.c - the gpiod backend's port for libgpiod 2.x (Debian trixie,
 * Ubuntu 24.04, Raspberry Pi OS trixie, bookworm-backports). One line request
 * per line, reconfigured in place (gpiod_line_request_reconfigure_lines).
 *
 * libgpiod is not needed to build this file: libgpiod.so.3 is opened at run
 * time (fgpio_gpiod_v2_load) and the types, values and functions used are
 * declared below, copied from libgpiod 2.1's <gpiod.h> (the API and ABI of
 * soname libgpiod.so.3 are stable across 2.x; all of these exist in 2.0).
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpiod_backend.h"

/* ---- from libgpiod 2.1 <gpiod.h> ---- */
struct gpiod_chip;
struct gpiod_chip_info;
struct gpiod_line_info;
struct gpiod_line_settings;
struct gpiod_line_config;
struct gpiod_request_config;
struct gpiod_line_request;
struct gpiod_edge_event;
struct gpiod_edge_event_buffer;

enum gpiod_line_value {
	GPIOD_LINE_VALUE_ERROR = -1,
	GPIOD_LINE_VALUE_INACTIVE = 0,
	GPIOD_LINE_VALUE_ACTIVE = 1,
};

enum gpiod_line_direction {
	GPIOD_LINE_DIRECTION_AS_IS = 1,
	GPIOD_LINE_DIRECTION_INPUT,
	GPIOD_LINE_DIRECTION_OUTPUT,
};

enum gpiod_line_edge {
	GPIOD_LINE_EDGE_NONE = 1,
	GPIOD_LINE_EDGE_RISING,
	GPIOD_LINE_EDGE_FALLING,
	GPIOD_LINE_EDGE_BOTH,
};

enum gpiod_line_bias {
	GPIOD_LINE_BIAS_AS_IS = 1,
	GPIOD_LINE_BIAS_UNKNOWN,
	GPIOD_LINE_BIAS_DISABLED,
	GPIOD_LINE_BIAS_PULL_UP,
	GPIOD_LINE_BIAS_PULL_DOWN,
};

enum gpiod_line_clock {
	GPIOD_LINE_CLOCK_MONOTONIC = 1,
	GPIOD_LINE_CLOCK_REALTIME,
	GPIOD_LINE_CLOCK_HTE,
};

enum gpiod_edge_event_type {
	GPIOD_EDGE_EVENT_RISING_EDGE = 1,
	GPIOD_EDGE_EVENT_FALLING_EDGE,
};

/* The functions this port calls: X(return type, name without gpiod_, parameters). */
#define V2_FUNCS(X) \
	X(struct gpiod_chip *, chip_open, (const char *path)) \
	X(void, chip_close, (struct gpiod_chip *chip)) \
	X(struct gpiod_chip_info *, chip_get_info, (struct gpiod_chip *chip)) \
	X(size_t, chip_info_get_num_lines, (struct gpiod_chip_info *info)) \
	X(const char *, chip_info_get_label, (struct gpiod_chip_info *info)) \
	X(void, chip_info_free, (struct gpiod_chip_info *info)) \
	X(struct gpiod_line_info *, chip_get_line_info, (struct gpiod_chip *chip, unsigned int offset)) \
	X(bool, line_info_is_used, (struct gpiod_line_info *info)) \
	X(enum gpiod_line_direction, line_info_get_direction, (struct gpiod_line_info *info)) \
	X(enum gpiod_line_bias, line_info_get_bias, (struct gpiod_line_info *info)) \
	X(const char *, line_info_get_consumer, (struct gpiod_line_info *info)) \
	X(void, line_info_free, (struct gpiod_line_info *info)) \
	X(struct gpiod_line_settings *, line_settings_new, (void)) \
	X(void, line_settings_free, (struct gpiod_line_settings *settings)) \
	X(int, line_settings_set_direction, (struct gpiod_line_settings *settings, \
					     enum gpiod_line_direction direction)) \
	X(int, line_settings_set_output_value, (struct gpiod_line_settings *settings, \
						enum gpiod_line_value value)) \
	X(int, line_settings_set_bias, (struct gpiod_line_settings *settings, enum gpiod_line_bias bias)) \
	X(int, line_settings_set_edge_detection, (struct gpiod_line_settings *settings, \
						  enum gpiod_line_edge edge)) \
	X(int, line_settings_set_event_clock, (struct gpiod_line_settings *settings, \
					       enum gpiod_line_clock event_clock)) \
	X(void, line_settings_set_debounce_period_us, (struct gpiod_line_settings *settings, \
						       unsigned long period)) \
	X(struct gpiod_line_config *, line_config_new, (void)) \
	X(void, line_config_free, (struct gpiod_line_config *config)) \
	X(int, line_config_add_line_settings, (struct gpiod_line_config *config, \
					       const unsigned int *offsets, size_t num_offsets, \
					       struct gpiod_line_settings *settings)) \
	X(struct gpiod_request_config *, request_config_new, (void)) \
	X(void, request_config_free, (struct gpiod_request_config *config)) \
	X(void, request_config_set_consumer, (struct gpiod_request_config *config, \
					      const char *consumer)) \
	X(struct gpiod_line_request *, chip_request_lines, (struct gpiod_chip *chip, \
							    struct gpiod_request_config *req_cfg, \
							    struct gpiod_line_config *line_cfg)) \
	X(void, line_request_release, (struct gpiod_line_request *request)) \
	X(int, line_request_reconfigure_lines, (struct gpiod_line_request *request, \
						struct gpiod_line_config *config)) \
	X(enum gpiod_line_value, line_request_get_value, (struct gpiod_line_request *request, \
							  unsigned int offset)) \
	X(int, line_request_set_value, (struct gpiod_line_request *request, unsigned int offset, \
					enum gpiod_line_value value)) \
	X(int, line_request_get_fd, (struct gpiod_line_request *request)) \
	X(int, line_request_wait_edge_events, (struct gpiod_line_request *request, \
					       int64_t timeout_ns)) \
	X(int, line_request_read_edge_events, (struct gpiod_line_request *request, \
					       struct gpiod_edge_event_buffer *buffer, size_t max_events)) \
	X(struct gpiod_edge_event_buffer *, edge_event_buffer_new, (size_t capacity)) \
	X(void, edge_event_buffer_free, (struct gpiod_edge_event_buffer *buffer)) \
	X(struct gpiod_edge_event *, edge_event_buffer_get_event, \
	  (struct gpiod_edge_event_buffer *buffer, unsigned long index)) \
	X(uint64_t, edge_event_get_timestamp_ns, (struct gpiod_edge_event *event)) \
	X(enum gpiod_edge_event_type, edge_event_get_event_type, (struct gpiod_edge_event *event)) \
	X(const char *, api_version, (void))

#define V2_POINTER(ret, name, params) ret (*name) params;
/* libgpiod.so.3's functions, resolved once by fgpio_gpiod_v2_load. */
static struct {
	V2_FUNCS(V2_POINTER)
} lib;

struct fgpio_gpiod_port {
	struct gpiod_chip *chip;
	unsigned nlines;
	char path[256];
	struct gpiod_line_request **req;	/* per line; NULL: not requested */
	struct evbuf **ev;			/* per watched line: events read, not yet taken */
	struct fgpio_gpiod_lines lines;		/* what this port holds */
};

static int v2_get(struct fgpio_gpiod_port *p, unsigned off);
static void v2_release(struct fgpio_gpiod_port *p, unsigned off);

#define EVBUF_CAP 16

struct evbuf {
	struct gpiod_edge_event_buffer *buf;
	size_t n, next;
};

static struct fgpio_gpiod_port *v2_open(const char *path, char *label, unsigned *nlines)
{
	struct fgpio_gpiod_port *p = calloc(1, sizeof(*p));
	struct gpiod_chip_info *info = NULL;

	if (!p) {
		fgpio_fail(ENOMEM, "out of memory");
		return NULL;
	}
	snprintf(p->path, sizeof(p->path), "%s", path);
	p->chip = lib.chip_open(path);
	if (!p->chip) {
		int e = errno;

		free(p);
		fgpio_gpiod_fail_open(e, path);
		return NULL;
	}
	info = lib.chip_get_info(p->chip);
	if (!info) {
		int e = errno;

		lib.chip_close(p->chip);
		free(p);
		fgpio_fail(e, "cannot read the chip info of %s: %s", path, strerror(e));
		return NULL;
	}
	p->nlines = (unsigned)lib.chip_info_get_num_lines(info);
	fgpio_gpiod_lines_init(&p->lines);
	snprintf(label, FGPIO_GPIOD_LABEL_MAX, "%s", lib.chip_info_get_label(info));
	lib.chip_info_free(info);
	p->req = calloc(p->nlines ? p->nlines : 1, sizeof(*p->req));
	p->ev = calloc(p->nlines ? p->nlines : 1, sizeof(*p->ev));
	if (!p->req || !p->ev) {
		free(p->req);
		free(p->ev);
		lib.chip_close(p->chip);
		free(p);
		fgpio_fail(ENOMEM, "out of memory");
		return NULL;
	}
	*nlines = p->nlines;
	return p;
}

static void v2_close(struct fgpio_gpiod_port *p)
{
	if (!p)
		return;
	for (unsigned i = 0; i < p->nlines; i++)
		v2_release(p, i);
	free(p->req);
	free(p->ev);
	lib.chip_close(p->chip);
	free(p);
}

static int v2_info(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_gpiod_lineinfo *li)
{
	if (off >= p->nlines)
		return fgpio_fail(EINVAL, "line %u does not exist on %s (%u lines)", off, p->path,
				  p->nlines);
	struct gpiod_line_info *info = lib.chip_get_line_info(p->chip, off);

	if (!info)
		return fgpio_gpiod_fail_line("cannot read the info of", off, p->path);
	memset(li, 0, sizeof(*li));
	/* Our own request shows as used too: only someone else's counts. */
	li->used = lib.line_info_is_used(info) && !p->req[off];
	li->output = lib.line_info_get_direction(info) == GPIOD_LINE_DIRECTION_OUTPUT;
	switch (lib.line_info_get_bias(info)) {
	case GPIOD_LINE_BIAS_DISABLED:
		li->bias = FGPIO_PULL_OFF;
		break;
	case GPIOD_LINE_BIAS_PULL_UP:
		li->bias = FGPIO_PULL_UP;
		break;
	case GPIOD_LINE_BIAS_PULL_DOWN:
		li->bias = FGPIO_PULL_DOWN;
		break;
	default:
		li->bias = -1;	/* GPIOD_LINE_BIAS_UNKNOWN / AS_IS: not reported */
		break;
	}
	const char *cons = lib.line_info_get_consumer(info);

	snprintf(li->consumer, sizeof(li->consumer), "%s", cons ? cons : "");
	lib.line_info_free(info);
	return 0;
}

static const struct fgpio_gpiod_line *v2_line(struct fgpio_gpiod_port *p, unsigned off)
{
	return fgpio_gpiod_lines_get(&p->lines, off);
}

/* Records a request as is: the line keeps its direction, an output its level as the latch. */
static void note_as_is(struct fgpio_gpiod_port *p, unsigned off)
{
	struct fgpio_gpiod_lineinfo li;

	fgpio_gpiod_lines_config(&p->lines, off, -1, 0, -1);
	if (v2_info(p, off, &li) == 0 && li.output)
		fgpio_gpiod_lines_output(&p->lines, off, v2_get(p, off) > 0);
}

/* A line config for @off: @dir -1 as is, else input/output with @value and @bias. */
static struct gpiod_line_config *make_config(unsigned off, int dir, int value, int bias)
{
	struct gpiod_line_settings *s = lib.line_settings_new();
	struct gpiod_line_config *lc = lib.line_config_new();
	int r = (s && lc) ? 0 : -1;

	if (r == 0 && dir >= 0) {
		r |= lib.line_settings_set_direction(s, dir ? GPIOD_LINE_DIRECTION_OUTPUT :
						       GPIOD_LINE_DIRECTION_INPUT);
		if (dir)
			r |= lib.line_settings_set_output_value(s, value ? GPIOD_LINE_VALUE_ACTIVE :
								  GPIOD_LINE_VALUE_INACTIVE);
		if (bias >= 0)
			r |= lib.line_settings_set_bias(s, bias == FGPIO_PULL_UP ? GPIOD_LINE_BIAS_PULL_UP :
							  bias == FGPIO_PULL_DOWN ?
							  GPIOD_LINE_BIAS_PULL_DOWN :
							  GPIOD_LINE_BIAS_DISABLED);
	}
	if (r == 0)
		r = lib.line_config_add_line_settings(lc, &off, 1, s);
	lib.line_settings_free(s);
	if (r) {
		lib.line_config_free(lc);
		return NULL;
	}
	return lc;
}

static int v2_config(struct fgpio_gpiod_port *p, unsigned off, int dir, int value, int bias)
{
	if (off >= p->nlines)
		return fgpio_fail(EINVAL, "line %u does not exist on %s (%u lines)", off, p->path,
				  p->nlines);
	if (p->req[off] && dir < 0)
		return 0;
	struct gpiod_line_config *lc = make_config(off, dir, value, bias);

	if (!lc)
		return fgpio_fail(ENOMEM, "cannot build the line config of line %u of %s", off, p->path);
	int r = 0;

	if (p->req[off]) {
		if (lib.line_request_reconfigure_lines(p->req[off], lc))
			r = fgpio_gpiod_fail_line("cannot reconfigure", off, p->path);
	} else {
		struct gpiod_request_config *rc = lib.request_config_new();

		if (!rc) {
			r = fgpio_fail(ENOMEM, "out of memory");
		} else {
			lib.request_config_set_consumer(rc, FGPIO_GPIOD_CONSUMER);
			p->req[off] = lib.chip_request_lines(p->chip, rc, lc);
			if (!p->req[off])
				r = fgpio_gpiod_fail_line("cannot request", off, p->path);
			lib.request_config_free(rc);
		}
	}
	lib.line_config_free(lc);
	if (r == 0 && dir < 0)
		note_as_is(p, off);	/* a first request: a held line returned above */
	else if (r == 0)
		fgpio_gpiod_lines_config(&p->lines, off, dir, value, bias);
	return r;
}

static int v2_get(struct fgpio_gpiod_port *p, unsigned off)
{
	if (off >= p->nlines || !p->req[off])
		return fgpio_fail(EINVAL, "line %u of %s is not requested", off, p->path);
	enum gpiod_line_value v = lib.line_request_get_value(p->req[off], off);

	if (v == GPIOD_LINE_VALUE_ERROR)
		return fgpio_gpiod_fail_line("cannot read", off, p->path);
	return v == GPIOD_LINE_VALUE_ACTIVE;
}

static int v2_set(struct fgpio_gpiod_port *p, unsigned off, int value)
{
	int out = off < p->nlines && p->req[off] ? fgpio_gpiod_lines_latch(&p->lines, off, value) : -1;

	if (out < 0)
		return fgpio_fail(EINVAL, "line %u of %s is not requested", off, p->path);
	if (!out)
		return 0;	/* latched: an input drives it once made an output */
	if (lib.line_request_set_value(p->req[off], off, value ? GPIOD_LINE_VALUE_ACTIVE :
					 GPIOD_LINE_VALUE_INACTIVE))
		return fgpio_gpiod_fail_line("cannot drive", off, p->path);
	return 0;
}

static void drop_evbuf(struct fgpio_gpiod_port *p, unsigned off)
{
	if (!p->ev[off])
		return;
	lib.edge_event_buffer_free(p->ev[off]->buf);
	free(p->ev[off]);
	p->ev[off] = NULL;
}

static void v2_release(struct fgpio_gpiod_port *p, unsigned off)
{
	if (off >= p->nlines)
		return;
	drop_evbuf(p, off);
	if (p->req[off])
		lib.line_request_release(p->req[off]);
	p->req[off] = NULL;
	fgpio_gpiod_lines_release(&p->lines, off);
}

static int v2_watch(struct fgpio_gpiod_port *p, unsigned off, int edge, int bias,
			   unsigned debounce_us)
{
	if (off >= p->nlines)
		return fgpio_fail(EINVAL, "line %u does not exist on %s (%u lines)", off, p->path,
				  p->nlines);
	struct gpiod_line_settings *s = lib.line_settings_new();
	struct gpiod_line_config *lc = lib.line_config_new();
	struct gpiod_request_config *rc = lib.request_config_new();
	struct evbuf *eb = calloc(1, sizeof(*eb));
	int r = (s && lc && rc && eb) ? 0 : -1;

	if (eb && r == 0) {
		eb->buf = lib.edge_event_buffer_new(EVBUF_CAP);
		r = eb->buf ? 0 : -1;
	}
	if (r == 0) {
		r |= lib.line_settings_set_direction(s, GPIOD_LINE_DIRECTION_INPUT);
		r |= lib.line_settings_set_edge_detection(s, edge == FGPIO_EDGE_BOTH ? GPIOD_LINE_EDGE_BOTH :
							    edge == FGPIO_EDGE_RISING ? GPIOD_LINE_EDGE_RISING :
							    GPIOD_LINE_EDGE_FALLING);
		/* The kernel's default event clock is CLOCK_MONOTONIC; ask for it explicitly. */
		r |= lib.line_settings_set_event_clock(s, GPIOD_LINE_CLOCK_MONOTONIC);
		if (bias >= 0)
			r |= lib.line_settings_set_bias(s, bias == FGPIO_PULL_UP ? GPIOD_LINE_BIAS_PULL_UP :
							  bias == FGPIO_PULL_DOWN ? GPIOD_LINE_BIAS_PULL_DOWN :
							  GPIOD_LINE_BIAS_DISABLED);
		lib.line_settings_set_debounce_period_us(s, debounce_us);
		r |= lib.line_config_add_line_settings(lc, &off, 1, s);
		lib.request_config_set_consumer(rc, FGPIO_GPIOD_CONSUMER);
	}
	if (r == 0) {
		if (p->req[off]) {
			/* Reconfigured in place: the request (and its fd) stays. */
			if (lib.line_request_reconfigure_lines(p->req[off], lc))
				r = fgpio_gpiod_fail_line("cannot watch", off, p->path);
		} else {
			p->req[off] = lib.chip_request_lines(p->chip, rc, lc);
			if (!p->req[off])
				r = fgpio_gpiod_fail_line("cannot watch", off, p->path);
		}
	} else {
		r = fgpio_fail(ENOMEM, "cannot build the edge request of line %u of %s", off, p->path);
	}
	lib.line_settings_free(s);
	lib.line_config_free(lc);
	lib.request_config_free(rc);
	if (r == 0) {
		drop_evbuf(p, off);	/* events of the old configuration */
		p->ev[off] = eb;
		fgpio_gpiod_lines_watch(&p->lines, off);
		return lib.line_request_get_fd(p->req[off]);
	}
	if (eb)
		lib.edge_event_buffer_free(eb->buf);
	free(eb);
	return -1;
}

static int v2_event(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_event *ev)
{
	struct evbuf *eb = off < p->nlines ? p->ev[off] : NULL;

	if (!eb || !p->req[off])
		return fgpio_fail(EINVAL, "line %u of %s is not watched", off, p->path);
	if (eb->next >= eb->n) {
		int w = lib.line_request_wait_edge_events(p->req[off], 0);

		if (w < 0)
			return fgpio_gpiod_fail_line("cannot wait for events of", off, p->path);
		if (w == 0)
			return 0;
		int n = lib.line_request_read_edge_events(p->req[off], eb->buf, EVBUF_CAP);

		if (n < 0)
			return fgpio_gpiod_fail_line("cannot read events of", off, p->path);
		eb->n = (size_t)n;
		eb->next = 0;
		if (n == 0)
			return 0;
	}
	struct gpiod_edge_event *e = lib.edge_event_buffer_get_event(eb->buf, (unsigned long)eb->next++);

	ev->timestamp_ns = lib.edge_event_get_timestamp_ns(e);
	ev->edge = lib.edge_event_get_event_type(e) == GPIOD_EDGE_EVENT_RISING_EDGE ?
		   FGPIO_EDGE_RISING : FGPIO_EDGE_FALLING;
	return 1;
}

static const char *v2_libversion(void)
{
	return lib.api_version();
}

static const struct fgpio_gpiod_gen v2_gen = {
	.open = v2_open,
	.close = v2_close,
	.info = v2_info,
	.line = v2_line,
	.config = v2_config,
	.get = v2_get,
	.set = v2_set,
	.watch = v2_watch,
	.release = v2_release,
	.event = v2_event,
	.libversion = v2_libversion,
	.kernel_debounce = 1,	/* gpiod_line_settings_set_debounce_period_us */
};

/* dlsym's object pointer into a function pointer, as POSIX allows (memcpy: no pedantic cast). */
#define V2_RESOLVE(ret, name, params) \
	if (!(sym = dlsym(h, "gpiod_" #name))) \
		goto missing; \
	memcpy(&lib.name, &sym, sizeof(sym));

const struct fgpio_gpiod_gen *fgpio_gpiod_v2_load(void)
{
	void *h = dlopen("libgpiod.so.3", RTLD_NOW | RTLD_LOCAL);
	void *sym;

	if (!h) {
		fgpio_fail(ENOTSUP, "cannot load libgpiod.so.3 (libgpiod 2.x): %s", dlerror());
		return NULL;
	}
	V2_FUNCS(V2_RESOLVE)
	return &v2_gen;
missing:
	fgpio_fail(ENOTSUP, "libgpiod.so.3 is not a usable libgpiod 2.x: %s", dlerror());
	dlclose(h);
	return NULL;
}
