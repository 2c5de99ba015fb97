/* SPDX-License-Identifier: MIT */
/*
 * src/gpiod_none.c - the port's generation when no libgpiod is loaded (none
 * could be, FASTGPIO_LIBGPIOD=none, or a -Dgpiod=disabled build): there is
 * no kernel chip to reach. Its libversion is NULL, and gpiod.c asks
 * fgpio_gpiod_port_load() before it opens anything, so the gpiod backend,
 * edge events and line ownership fail with ENOTSUP saying why. The other
 * functions are never reached; they fail the same way.
 */
#include <errno.h>

#include "gpiod_backend.h"

static int none(void)
{
	return fgpio_fail(ENOTSUP, "no libgpiod is loaded");
}

static struct fgpio_gpiod_port *none_open(const char *path, char *label, unsigned *nlines)
{
	(void)path;
	(void)label;
	(void)nlines;
	none();
	return NULL;
}

static void none_close(struct fgpio_gpiod_port *p)
{
	(void)p;
}

static int none_info(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_gpiod_lineinfo *li)
{
	(void)p;
	(void)off;
	(void)li;
	return none();
}

static const struct fgpio_gpiod_line *none_line(struct fgpio_gpiod_port *p, unsigned off)
{
	static const struct fgpio_gpiod_line not_held = { .bias = -1 };

	(void)p;
	(void)off;
	return &not_held;	/* no port, so no line it holds */
}

static int none_config(struct fgpio_gpiod_port *p, unsigned off, int dir, int value, int bias)
{
	(void)p;
	(void)off;
	(void)dir;
	(void)value;
	(void)bias;
	return none();
}

static int none_get(struct fgpio_gpiod_port *p, unsigned off)
{
	(void)p;
	(void)off;
	return none();
}

static int none_set(struct fgpio_gpiod_port *p, unsigned off, int value)
{
	(void)p;
	(void)off;
	(void)value;
	return none();
}

static int none_watch(struct fgpio_gpiod_port *p, unsigned off, int edge, int bias,
		      unsigned debounce_us)
{
	(void)p;
	(void)off;
	(void)edge;
	(void)bias;
	(void)debounce_us;
	return none();
}

static void none_release(struct fgpio_gpiod_port *p, unsigned off)
{
	(void)p;
	(void)off;
}

static int none_event(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_event *ev)
{
	(void)p;
	(void)off;
	(void)ev;
	return none();
}

static const char *none_libversion(void)
{
	return NULL;	/* no libgpiod: see gpiod.c's need_libgpiod() */
}

const struct fgpio_gpiod_gen fgpio_gpiod_none_gen = {
	.open = none_open,
	.close = none_close,
	.info = none_info,
	.line = none_line,
	.config = none_config,
	.get = none_get,
	.set = none_set,
	.watch = none_watch,
	.release = none_release,
	.event = none_event,
	.libversion = none_libversion,
	.kernel_debounce = 0,
};
