/* SPDX-License-Identifier: MIT */
/*
 * src/gpiod_lines.c - the record of the lines a libgpiod port holds, kept
 * alike by gpiod_v1.c and gpiod_v2.c as they request, reconfigure, watch and
 * release lines (see struct fgpio_gpiod_line in gpiod_backend.h). It only
 * records: the ports make the requests and call here once they succeeded.
 *
 * A released line forgets that it was held, watched or an output, but keeps
 * its latch (the next output drives it) and the bias last set through the
 * port (which a later watch of the line passes on again).
 */
#include "gpiod_backend.h"

/* What a line the port has never requested reads as. */
static const struct fgpio_gpiod_line not_held = { .bias = -1 };

static struct fgpio_gpiod_line *line_of(struct fgpio_gpiod_lines *t, unsigned off)
{
	return off < FGPIO_MAX_LINES ? &t->line[off] : NULL;
}

void fgpio_gpiod_lines_init(struct fgpio_gpiod_lines *t)
{
	for (unsigned i = 0; i < FGPIO_MAX_LINES; i++)
		t->line[i] = not_held;
}

const struct fgpio_gpiod_line *fgpio_gpiod_lines_get(const struct fgpio_gpiod_lines *t, unsigned off)
{
	return off < FGPIO_MAX_LINES ? &t->line[off] : &not_held;
}

void fgpio_gpiod_lines_config(struct fgpio_gpiod_lines *t, unsigned off, int dir, int value,
			      int bias)
{
	struct fgpio_gpiod_line *l = line_of(t, off);

	if (!l)
		return;
	if (dir < 0) {
		/* As is: a first request (a held line was left alone). Input until reported otherwise. */
		if (!l->held)
			l->bias = -1;
		l->held = 1;
		return;
	}
	l->held = 1;
	l->output = (uint8_t)(dir != 0);
	l->latch = (uint8_t)(value != 0);
	if (bias >= 0)
		l->bias = (int8_t)bias;
}

void fgpio_gpiod_lines_output(struct fgpio_gpiod_lines *t, unsigned off, int value)
{
	struct fgpio_gpiod_line *l = line_of(t, off);

	if (!l)
		return;
	l->output = 1;
	l->latch = (uint8_t)(value != 0);
}

int fgpio_gpiod_lines_latch(struct fgpio_gpiod_lines *t, unsigned off, int value)
{
	struct fgpio_gpiod_line *l = line_of(t, off);

	if (!l || !l->held)
		return -1;
	l->latch = (uint8_t)(value != 0);
	return l->output;
}

void fgpio_gpiod_lines_watch(struct fgpio_gpiod_lines *t, unsigned off)
{
	struct fgpio_gpiod_line *l = line_of(t, off);

	if (!l)
		return;
	l->held = 1;
	l->watched = 1;
	l->output = 0;
}

void fgpio_gpiod_lines_release(struct fgpio_gpiod_lines *t, unsigned off)
{
	struct fgpio_gpiod_line *l = line_of(t, off);

	if (!l)
		return;
	l->held = 0;
	l->watched = 0;
	l->output = 0;
}
