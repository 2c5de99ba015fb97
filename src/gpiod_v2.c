/*
 * src/gpiod_v2.c - the gpiod backend's port for libgpiod 2.x (Debian trixie,
 * Ubuntu 24.04, Raspberry Pi OS trixie, bookworm-backports). One line request
 * per line, reconfigured in place (gpiod_line_request_reconfigure_lines).
 */
#include <errno.h>
#include <gpiod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpiod_backend.h"

struct fgpio_gpiod_port {
	struct gpiod_chip *chip;
	unsigned nlines;
	char path[256];
	struct gpiod_line_request **req;	/* per line; NULL: not requested */
	struct evbuf **ev;			/* per watched line: events read, not yet taken */
	struct fgpio_gpiod_lines lines;		/* what this port holds */
};

#define EVBUF_CAP 16

struct evbuf {
	struct gpiod_edge_event_buffer *buf;
	size_t n, next;
};

struct fgpio_gpiod_port *fgpio_gpiod_port_open(const char *path, char *label, unsigned *nlines)
{
	struct fgpio_gpiod_port *p = calloc(1, sizeof(*p));
	struct gpiod_chip_info *info = NULL;

	if (!p) {
		fgpio_fail(ENOMEM, "out of memory");
		return NULL;
	}
	snprintf(p->path, sizeof(p->path), "%s", path);
	p->chip = gpiod_chip_open(path);
	if (!p->chip) {
		int e = errno;

		free(p);
		fgpio_gpiod_fail_open(e, path);
		return NULL;
	}
	info = gpiod_chip_get_info(p->chip);
	if (!info) {
		int e = errno;

		gpiod_chip_close(p->chip);
		free(p);
		fgpio_fail(e, "cannot read the chip info of %s: %s", path, strerror(e));
		return NULL;
	}
	p->nlines = (unsigned)gpiod_chip_info_get_num_lines(info);
	fgpio_gpiod_lines_init(&p->lines);
	snprintf(label, FGPIO_GPIOD_LABEL_MAX, "%s", gpiod_chip_info_get_label(info));
	gpiod_chip_info_free(info);
	p->req = calloc(p->nlines ? p->nlines : 1, sizeof(*p->req));
	p->ev = calloc(p->nlines ? p->nlines : 1, sizeof(*p->ev));
	if (!p->req || !p->ev) {
		free(p->req);
		free(p->ev);
		gpiod_chip_close(p->chip);
		free(p);
		fgpio_fail(ENOMEM, "out of memory");
		return NULL;
	}
	*nlines = p->nlines;
	return p;
}

void fgpio_gpiod_port_close(struct fgpio_gpiod_port *p)
{
	if (!p)
		return;
	for (unsigned i = 0; i < p->nlines; i++)
		fgpio_gpiod_port_release(p, i);
	free(p->req);
	free(p->ev);
	gpiod_chip_close(p->chip);
	free(p);
}

int fgpio_gpiod_port_info(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_gpiod_lineinfo *li)
{
	if (off >= p->nlines)
		return fgpio_fail(EINVAL, "line %u does not exist on %s (%u lines)", off, p->path,
				  p->nlines);
	struct gpiod_line_info *info = gpiod_chip_get_line_info(p->chip, off);

	if (!info)
		return fgpio_gpiod_fail_line("cannot read the info of", off, p->path);
	memset(li, 0, sizeof(*li));
	/* Our own request shows as used too: only someone else's counts. */
	li->used = gpiod_line_info_is_used(info) && !p->req[off];
	li->output = gpiod_line_info_get_direction(info) == GPIOD_LINE_DIRECTION_OUTPUT;
	switch (gpiod_line_info_get_bias(info)) {
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
	const char *cons = gpiod_line_info_get_consumer(info);

	snprintf(li->consumer, sizeof(li->consumer), "%s", cons ? cons : "");
	gpiod_line_info_free(info);
	return 0;
}

const struct fgpio_gpiod_line *fgpio_gpiod_port_line(struct fgpio_gpiod_port *p, unsigned off)
{
	return fgpio_gpiod_lines_get(&p->lines, off);
}

/* Records a request as is: the line keeps its direction, an output its level as the latch. */
static void note_as_is(struct fgpio_gpiod_port *p, unsigned off)
{
	struct fgpio_gpiod_lineinfo li;

	fgpio_gpiod_lines_config(&p->lines, off, -1, 0, -1);
	if (fgpio_gpiod_port_info(p, off, &li) == 0 && li.output)
		fgpio_gpiod_lines_output(&p->lines, off, fgpio_gpiod_port_get(p, off) > 0);
}

/* A line config for @off: @dir -1 as is, else input/output with @value and @bias. */
static struct gpiod_line_config *make_config(unsigned off, int dir, int value, int bias)
{
	struct gpiod_line_settings *s = gpiod_line_settings_new();
	struct gpiod_line_config *lc = gpiod_line_config_new();
	int r = (s && lc) ? 0 : -1;

	if (r == 0 && dir >= 0) {
		r |= gpiod_line_settings_set_direction(s, dir ? GPIOD_LINE_DIRECTION_OUTPUT :
						       GPIOD_LINE_DIRECTION_INPUT);
		if (dir)
			r |= gpiod_line_settings_set_output_value(s, value ? GPIOD_LINE_VALUE_ACTIVE :
								  GPIOD_LINE_VALUE_INACTIVE);
		if (bias >= 0)
			r |= gpiod_line_settings_set_bias(s, bias == FGPIO_PULL_UP ? GPIOD_LINE_BIAS_PULL_UP :
							  bias == FGPIO_PULL_DOWN ?
							  GPIOD_LINE_BIAS_PULL_DOWN :
							  GPIOD_LINE_BIAS_DISABLED);
	}
	if (r == 0)
		r = gpiod_line_config_add_line_settings(lc, &off, 1, s);
	gpiod_line_settings_free(s);
	if (r) {
		gpiod_line_config_free(lc);
		return NULL;
	}
	return lc;
}

int fgpio_gpiod_port_config(struct fgpio_gpiod_port *p, unsigned off, int dir, int value, int bias)
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
		if (gpiod_line_request_reconfigure_lines(p->req[off], lc))
			r = fgpio_gpiod_fail_line("cannot reconfigure", off, p->path);
	} else {
		struct gpiod_request_config *rc = gpiod_request_config_new();

		if (!rc) {
			r = fgpio_fail(ENOMEM, "out of memory");
		} else {
			gpiod_request_config_set_consumer(rc, FGPIO_GPIOD_CONSUMER);
			p->req[off] = gpiod_chip_request_lines(p->chip, rc, lc);
			if (!p->req[off])
				r = fgpio_gpiod_fail_line("cannot request", off, p->path);
			gpiod_request_config_free(rc);
		}
	}
	gpiod_line_config_free(lc);
	if (r == 0 && dir < 0)
		note_as_is(p, off);	/* a first request: a held line returned above */
	else if (r == 0)
		fgpio_gpiod_lines_config(&p->lines, off, dir, value, bias);
	return r;
}

int fgpio_gpiod_port_get(struct fgpio_gpiod_port *p, unsigned off)
{
	if (off >= p->nlines || !p->req[off])
		return fgpio_fail(EINVAL, "line %u of %s is not requested", off, p->path);
	enum gpiod_line_value v = gpiod_line_request_get_value(p->req[off], off);

	if (v == GPIOD_LINE_VALUE_ERROR)
		return fgpio_gpiod_fail_line("cannot read", off, p->path);
	return v == GPIOD_LINE_VALUE_ACTIVE;
}

int fgpio_gpiod_port_set(struct fgpio_gpiod_port *p, unsigned off, int value)
{
	int out = off < p->nlines && p->req[off] ? fgpio_gpiod_lines_latch(&p->lines, off, value) : -1;

	if (out < 0)
		return fgpio_fail(EINVAL, "line %u of %s is not requested", off, p->path);
	if (!out)
		return 0;	/* latched: an input drives it once made an output */
	if (gpiod_line_request_set_value(p->req[off], off, value ? GPIOD_LINE_VALUE_ACTIVE :
					 GPIOD_LINE_VALUE_INACTIVE))
		return fgpio_gpiod_fail_line("cannot drive", off, p->path);
	return 0;
}

static void drop_evbuf(struct fgpio_gpiod_port *p, unsigned off)
{
	if (!p->ev[off])
		return;
	gpiod_edge_event_buffer_free(p->ev[off]->buf);
	free(p->ev[off]);
	p->ev[off] = NULL;
}

void fgpio_gpiod_port_release(struct fgpio_gpiod_port *p, unsigned off)
{
	if (off >= p->nlines)
		return;
	drop_evbuf(p, off);
	if (p->req[off])
		gpiod_line_request_release(p->req[off]);
	p->req[off] = NULL;
	fgpio_gpiod_lines_release(&p->lines, off);
}

int fgpio_gpiod_port_kernel_debounce(void)
{
	return 1;
}

int fgpio_gpiod_port_watch(struct fgpio_gpiod_port *p, unsigned off, int edge, int bias,
			   unsigned debounce_us)
{
	if (off >= p->nlines)
		return fgpio_fail(EINVAL, "line %u does not exist on %s (%u lines)", off, p->path,
				  p->nlines);
	struct gpiod_line_settings *s = gpiod_line_settings_new();
	struct gpiod_line_config *lc = gpiod_line_config_new();
	struct gpiod_request_config *rc = gpiod_request_config_new();
	struct evbuf *eb = calloc(1, sizeof(*eb));
	int r = (s && lc && rc && eb) ? 0 : -1;

	if (eb && r == 0) {
		eb->buf = gpiod_edge_event_buffer_new(EVBUF_CAP);
		r = eb->buf ? 0 : -1;
	}
	if (r == 0) {
		r |= gpiod_line_settings_set_direction(s, GPIOD_LINE_DIRECTION_INPUT);
		r |= gpiod_line_settings_set_edge_detection(s, edge == FGPIO_EDGE_BOTH ? GPIOD_LINE_EDGE_BOTH :
							    edge == FGPIO_EDGE_RISING ? GPIOD_LINE_EDGE_RISING :
							    GPIOD_LINE_EDGE_FALLING);
		/* The kernel's default event clock is CLOCK_MONOTONIC; ask for it explicitly. */
		r |= gpiod_line_settings_set_event_clock(s, GPIOD_LINE_CLOCK_MONOTONIC);
		if (bias >= 0)
			r |= gpiod_line_settings_set_bias(s, bias == FGPIO_PULL_UP ? GPIOD_LINE_BIAS_PULL_UP :
							  bias == FGPIO_PULL_DOWN ? GPIOD_LINE_BIAS_PULL_DOWN :
							  GPIOD_LINE_BIAS_DISABLED);
		gpiod_line_settings_set_debounce_period_us(s, debounce_us);
		r |= gpiod_line_config_add_line_settings(lc, &off, 1, s);
		gpiod_request_config_set_consumer(rc, FGPIO_GPIOD_CONSUMER);
	}
	if (r == 0) {
		if (p->req[off]) {
			/* Reconfigured in place: the request (and its fd) stays. */
			if (gpiod_line_request_reconfigure_lines(p->req[off], lc))
				r = fgpio_gpiod_fail_line("cannot watch", off, p->path);
		} else {
			p->req[off] = gpiod_chip_request_lines(p->chip, rc, lc);
			if (!p->req[off])
				r = fgpio_gpiod_fail_line("cannot watch", off, p->path);
		}
	} else {
		r = fgpio_fail(ENOMEM, "cannot build the edge request of line %u of %s", off, p->path);
	}
	gpiod_line_settings_free(s);
	gpiod_line_config_free(lc);
	gpiod_request_config_free(rc);
	if (r == 0) {
		drop_evbuf(p, off);	/* events of the old configuration */
		p->ev[off] = eb;
		fgpio_gpiod_lines_watch(&p->lines, off);
		return gpiod_line_request_get_fd(p->req[off]);
	}
	if (eb)
		gpiod_edge_event_buffer_free(eb->buf);
	free(eb);
	return -1;
}

int fgpio_gpiod_port_event(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_event *ev)
{
	struct evbuf *eb = off < p->nlines ? p->ev[off] : NULL;

	if (!eb || !p->req[off])
		return fgpio_fail(EINVAL, "line %u of %s is not watched", off, p->path);
	if (eb->next >= eb->n) {
		int w = gpiod_line_request_wait_edge_events(p->req[off], 0);

		if (w < 0)
			return fgpio_gpiod_fail_line("cannot wait for events of", off, p->path);
		if (w == 0)
			return 0;
		int n = gpiod_line_request_read_edge_events(p->req[off], eb->buf, EVBUF_CAP);

		if (n < 0)
			return fgpio_gpiod_fail_line("cannot read events of", off, p->path);
		eb->n = (size_t)n;
		eb->next = 0;
		if (n == 0)
			return 0;
	}
	struct gpiod_edge_event *e = gpiod_edge_event_buffer_get_event(eb->buf, (unsigned long)eb->next++);

	ev->timestamp_ns = gpiod_edge_event_get_timestamp_ns(e);
	ev->edge = gpiod_edge_event_get_event_type(e) == GPIOD_EDGE_EVENT_RISING_EDGE ?
		   FGPIO_EDGE_RISING : FGPIO_EDGE_FALLING;
	return 1;
}

const char *fgpio_gpiod_port_libversion(void)
{
	return gpiod_api_version();
}
