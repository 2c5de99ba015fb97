/*
 * src/gpiod_none.c - the libgpiod port of a build without libgpiod: there is
 * no kernel chip to reach. fgpio_gpiod_port_libversion() is NULL, which
 * gpiod.c reads as "no libgpiod" before it opens anything, so the gpiod
 * backend, edge events and line ownership fail with ENOTSUP and say why.
 * The other functions are never reached; they fail the same way.
 */
#include <errno.h>

#include "gpiod_backend.h"

static int none(void)
{
	return fgpio_fail(ENOTSUP, "this libfastgpio was built without libgpiod");
}

struct fgpio_gpiod_port *fgpio_gpiod_port_open(const char *path, char *label, unsigned *nlines)
{
	(void)path;
	(void)label;
	(void)nlines;
	none();
	return NULL;
}

void fgpio_gpiod_port_close(struct fgpio_gpiod_port *p)
{
	(void)p;
}

int fgpio_gpiod_port_info(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_gpiod_lineinfo *li)
{
	(void)p;
	(void)off;
	(void)li;
	return none();
}

const struct fgpio_gpiod_line *fgpio_gpiod_port_line(struct fgpio_gpiod_port *p, unsigned off)
{
	static const struct fgpio_gpiod_line not_held = { .bias = -1 };

	(void)p;
	(void)off;
	return &not_held;	/* no port, so no line it holds */
}

int fgpio_gpiod_port_config(struct fgpio_gpiod_port *p, unsigned off, int dir, int value, int bias)
{
	(void)p;
	(void)off;
	(void)dir;
	(void)value;
	(void)bias;
	return none();
}

int fgpio_gpiod_port_get(struct fgpio_gpiod_port *p, unsigned off)
{
	(void)p;
	(void)off;
	return none();
}

int fgpio_gpiod_port_set(struct fgpio_gpiod_port *p, unsigned off, int value)
{
	(void)p;
	(void)off;
	(void)value;
	return none();
}

int fgpio_gpiod_port_watch(struct fgpio_gpiod_port *p, unsigned off, int edge, int bias,
			   unsigned debounce_us)
{
	(void)p;
	(void)off;
	(void)edge;
	(void)bias;
	(void)debounce_us;
	return none();
}

int fgpio_gpiod_port_kernel_debounce(void)
{
	return 0;
}

void fgpio_gpiod_port_release(struct fgpio_gpiod_port *p, unsigned off)
{
	(void)p;
	(void)off;
}

int fgpio_gpiod_port_event(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_event *ev)
{
	(void)p;
	(void)off;
	(void)ev;
	return none();
}

const char *fgpio_gpiod_port_libversion(void)
{
	return NULL;	/* no libgpiod: see gpiod.c's need_libgpiod() */
}
