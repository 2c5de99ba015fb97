/*
 * src/gpiod_v1.c - the gpiod backend's port for libgpiod 1.x (Debian and
 * Raspberry Pi OS bookworm ship 1.6). One request per line; the line objects
 * belong to the libgpiod chip and live until it is closed. Reconfiguring a
 * held line (gpiod_line_set_config) needs Linux 5.5 (GPIOHANDLE_SET_CONFIG).
 */
#include <errno.h>
#include <gpiod.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpiod_backend.h"

struct fgpio_gpiod_port {
	struct gpiod_chip *chip;
	unsigned nlines;
	char path[256];
	struct fgpio_gpiod_lines lines;	/* what this port holds */
};

struct fgpio_gpiod_port *fgpio_gpiod_port_open(const char *path, char *label, unsigned *nlines)
{
	struct fgpio_gpiod_port *p = calloc(1, sizeof(*p));

	if (!p) {
		fgpio_fail(ENOMEM, "out of memory");
		return NULL;
	}
	p->chip = gpiod_chip_open(path);
	if (!p->chip) {
		int e = errno;

		free(p);
		fgpio_gpiod_fail_open(e, path);
		return NULL;
	}
	p->nlines = gpiod_chip_num_lines(p->chip);
	fgpio_gpiod_lines_init(&p->lines);
	snprintf(p->path, sizeof(p->path), "%s", path);
	snprintf(label, FGPIO_GPIOD_LABEL_MAX, "%s", gpiod_chip_label(p->chip));
	*nlines = p->nlines;
	return p;
}

void fgpio_gpiod_port_close(struct fgpio_gpiod_port *p)
{
	if (!p)
		return;
	/* Closing the chip releases every line it requested. */
	gpiod_chip_close(p->chip);
	free(p);
}

static struct gpiod_line *get_line(struct fgpio_gpiod_port *p, unsigned off)
{
	struct gpiod_line *l = off < p->nlines ? gpiod_chip_get_line(p->chip, off) : NULL;

	if (!l)
		fgpio_gpiod_fail_line("cannot get", off, p->path);
	return l;
}

int fgpio_gpiod_port_info(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_gpiod_lineinfo *li)
{
	struct gpiod_line *l = get_line(p, off);

	if (!l)
		return -1;
	if (gpiod_line_update(l))
		return fgpio_gpiod_fail_line("cannot read the info of", off, p->path);
	memset(li, 0, sizeof(*li));
	li->used = gpiod_line_is_used(l) && !gpiod_line_is_requested(l);
	li->output = gpiod_line_direction(l) == GPIOD_LINE_DIRECTION_OUTPUT;
	switch (gpiod_line_bias(l)) {
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
	const char *cons = gpiod_line_consumer(l);

	snprintf(li->consumer, sizeof(li->consumer), "%s", cons ? cons : "");
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

int fgpio_gpiod_port_config(struct fgpio_gpiod_port *p, unsigned off, int dir, int value, int bias)
{
	struct gpiod_line *l = get_line(p, off);

	if (!l)
		return -1;
	if (!gpiod_line_is_requested(l)) {
		struct gpiod_line_request_config rc;

		memset(&rc, 0, sizeof(rc));
		rc.consumer = FGPIO_GPIOD_CONSUMER;
		rc.request_type = dir < 0 ? GPIOD_LINE_REQUEST_DIRECTION_AS_IS :
				  dir ? GPIOD_LINE_REQUEST_DIRECTION_OUTPUT :
				  GPIOD_LINE_REQUEST_DIRECTION_INPUT;
		rc.flags = dir < 0 ? 0 : bias_flags(bias);
		if (gpiod_line_request(l, &rc, value))
			return fgpio_gpiod_fail_line("cannot request", off, p->path);
		if (dir < 0)
			note_as_is(p, off);
		else
			fgpio_gpiod_lines_config(&p->lines, off, dir, value, bias);
		return 0;
	}
	if (dir < 0)
		return 0;
	if (gpiod_line_set_config(l, dir ? GPIOD_LINE_REQUEST_DIRECTION_OUTPUT :
				  GPIOD_LINE_REQUEST_DIRECTION_INPUT, bias_flags(bias), value))
		return fgpio_gpiod_fail_line("cannot reconfigure", off, p->path);
	fgpio_gpiod_lines_config(&p->lines, off, dir, value, bias);
	return 0;
}

int fgpio_gpiod_port_get(struct fgpio_gpiod_port *p, unsigned off)
{
	struct gpiod_line *l = get_line(p, off);

	if (!l)
		return -1;
	int v = gpiod_line_get_value(l);

	if (v < 0)
		return fgpio_gpiod_fail_line("cannot read", off, p->path);
	return v;
}

int fgpio_gpiod_port_set(struct fgpio_gpiod_port *p, unsigned off, int value)
{
	struct gpiod_line *l = get_line(p, off);

	if (!l)
		return -1;
	int out = fgpio_gpiod_lines_latch(&p->lines, off, value);

	if (out < 0)
		return fgpio_fail(EINVAL, "line %u of %s is not requested", off, p->path);
	if (!out)
		return 0;	/* latched: an input drives it once made an output */
	if (gpiod_line_set_value(l, value))
		return fgpio_gpiod_fail_line("cannot drive", off, p->path);
	return 0;
}

void fgpio_gpiod_port_release(struct fgpio_gpiod_port *p, unsigned off)
{
	struct gpiod_line *l = off < p->nlines ? gpiod_chip_get_line(p->chip, off) : NULL;

	if (l && gpiod_line_is_requested(l))
		gpiod_line_release(l);
	fgpio_gpiod_lines_release(&p->lines, off);
}

int fgpio_gpiod_port_kernel_debounce(void)
{
	return 0;	/* uAPI v1, which libgpiod 1.x speaks, has no debounce */
}

int fgpio_gpiod_port_watch(struct fgpio_gpiod_port *p, unsigned off, int edge, int bias,
			   unsigned debounce_us)
{
	struct gpiod_line *l = get_line(p, off);
	struct gpiod_line_request_config rc;

	if (!l)
		return -1;
	if (debounce_us)
		return fgpio_fail(ENOTSUP, "libgpiod 1.x cannot ask the kernel to debounce");
	/* An event request cannot be reconfigured in uAPI v1: release, request again. */
	fgpio_gpiod_port_release(p, off);
	memset(&rc, 0, sizeof(rc));
	rc.consumer = FGPIO_GPIOD_CONSUMER;
	rc.request_type = edge == FGPIO_EDGE_BOTH ? GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES :
			  edge == FGPIO_EDGE_RISING ? GPIOD_LINE_REQUEST_EVENT_RISING_EDGE :
			  GPIOD_LINE_REQUEST_EVENT_FALLING_EDGE;
	rc.flags = bias_flags(bias);
	if (gpiod_line_request(l, &rc, 0))
		return fgpio_gpiod_fail_line("cannot watch", off, p->path);
	fgpio_gpiod_lines_watch(&p->lines, off);
	return gpiod_line_event_get_fd(l);
}

int fgpio_gpiod_port_event(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_event *ev)
{
	struct gpiod_line *l = get_line(p, off);
	struct gpiod_line_event e;

	if (!l)
		return -1;
	int fd = gpiod_line_event_get_fd(l);

	if (fd < 0)
		return fgpio_fail(EINVAL, "line %u of %s is not watched", off, p->path);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int w = poll(&pfd, 1, 0);

	if (w < 0)
		return fgpio_gpiod_fail_line("cannot wait for events of", off, p->path);
	if (w == 0)
		return 0;
	if (gpiod_line_event_read(l, &e))
		return fgpio_gpiod_fail_line("cannot read events of", off, p->path);
	ev->timestamp_ns = (uint64_t)e.ts.tv_sec * 1000000000u + (uint64_t)e.ts.tv_nsec;
	ev->edge = e.event_type == GPIOD_LINE_EVENT_RISING_EDGE ? FGPIO_EDGE_RISING : FGPIO_EDGE_FALLING;
	return 1;
}

const char *fgpio_gpiod_port_libversion(void)
{
	return gpiod_version_string();
}
