/* SPDX-License-Identifier: MIT */
/*
 * src/gpiod_port.c - the gpiod port's dispatcher: which libgpiod this
 * process uses, chosen once at first use, and the fgpio_gpiod_port_*
 * functions of gpiod_backend.h, each forwarding to that generation's ops.
 *
 * libgpiod is loaded at run time (gpiod_v2.c, gpiod_v1.c open it with
 * dlopen), so one build serves machines with libgpiod 2.x, 1.x or none; the
 * choice follows FASTGPIO_LIBGPIOD (see fgpio_gpiod_port_load). A build
 * configured with -Dgpiod=disabled (FGPIO_GPIOD_DISABLED) compiles neither
 * loader and never loads libgpiod.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpiod_backend.h"

/* The generation in use (the none one when no libgpiod is), and why none is. */
static const struct fgpio_gpiod_gen *gen = &fgpio_gpiod_none_gen;
static char why[640];
static int why_err;
static pthread_once_t gen_once = PTHREAD_ONCE_INIT;

#define INSTALL_HINT "install libgpiod3 (libgpiod 2.x) or libgpiod2 (libgpiod 1.x)"

/* Keeps the reason no libgpiod is used, for every later fgpio_gpiod_port_load(). */
static void note_none(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note_none(int err, const char *fmt, ...)
{
	va_list ap;

	why_err = err;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
}

#ifndef FGPIO_GPIOD_DISABLED
/* Auto: libgpiod 2.x first (the kernel's uAPI v2, kernel debounce), then 1.x. */
static void choose_auto(void)
{
	char err3[300];
	const struct fgpio_gpiod_gen *g = fgpio_gpiod_v2_load();

	if (g) {
		gen = g;
		return;
	}
	snprintf(err3, sizeof(err3), "%s", fgpio_last_error());
	g = fgpio_gpiod_v1_load();
	if (g) {
		gen = g;
		return;
	}
	note_none(ENOTSUP, "no libgpiod could be loaded (%s; %s): " INSTALL_HINT, err3,
		  fgpio_last_error());
}

/* FASTGPIO_LIBGPIOD=1 or 2: that generation or an error, never the other one. */
static void choose_forced(const struct fgpio_gpiod_gen *g, const char *want, const char *pkg)
{
	if (g) {
		gen = g;
		return;
	}
	char err[300];

	snprintf(err, sizeof(err), "%s", fgpio_last_error());
	note_none(ENOTSUP, "FASTGPIO_LIBGPIOD=%s but that libgpiod cannot be loaded (%s): install "
		  "%s, or unset FASTGPIO_LIBGPIOD", want, err, pkg);
}
#endif

static void choose(void)
{
#ifdef FGPIO_GPIOD_DISABLED
	note_none(ENOTSUP, "this libfastgpio was built without libgpiod (-Dgpiod=disabled)");
#else
	const char *want = getenv("FASTGPIO_LIBGPIOD");

	if (!want || !*want || strcmp(want, "auto") == 0)
		choose_auto();
	else if (strcmp(want, "2") == 0)
		choose_forced(fgpio_gpiod_v2_load(), want, "libgpiod3");
	else if (strcmp(want, "1") == 0)
		choose_forced(fgpio_gpiod_v1_load(), want, "libgpiod2");
	else if (strcmp(want, "none") == 0)
		note_none(ENOTSUP, "libgpiod is disabled by FASTGPIO_LIBGPIOD=none (unset it to "
			  "load libgpiod; " INSTALL_HINT ")");
	else
		note_none(EINVAL, "FASTGPIO_LIBGPIOD=%.64s is not 1, 2, none or auto", want);
#endif
}

int fgpio_gpiod_port_load(void)
{
	pthread_once(&gen_once, choose);
	if (gen != &fgpio_gpiod_none_gen)
		return 0;
	return fgpio_fail(why_err, "%s", why);
}

static const struct fgpio_gpiod_gen *ops(void)
{
	pthread_once(&gen_once, choose);
	return gen;
}

struct fgpio_gpiod_port *fgpio_gpiod_port_open(const char *path, char *label, unsigned *nlines)
{
	return ops()->open(path, label, nlines);
}

void fgpio_gpiod_port_close(struct fgpio_gpiod_port *p)
{
	if (p)
		ops()->close(p);
}

int fgpio_gpiod_port_info(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_gpiod_lineinfo *li)
{
	return ops()->info(p, off, li);
}

const struct fgpio_gpiod_line *fgpio_gpiod_port_line(struct fgpio_gpiod_port *p, unsigned off)
{
	return ops()->line(p, off);
}

int fgpio_gpiod_port_config(struct fgpio_gpiod_port *p, unsigned off, int dir, int value, int bias)
{
	return ops()->config(p, off, dir, value, bias);
}

int fgpio_gpiod_port_get(struct fgpio_gpiod_port *p, unsigned off)
{
	return ops()->get(p, off);
}

int fgpio_gpiod_port_set(struct fgpio_gpiod_port *p, unsigned off, int value)
{
	return ops()->set(p, off, value);
}

int fgpio_gpiod_port_watch(struct fgpio_gpiod_port *p, unsigned off, int edge, int bias,
			   unsigned debounce_us)
{
	return ops()->watch(p, off, edge, bias, debounce_us);
}

int fgpio_gpiod_port_kernel_debounce(void)
{
	return ops()->kernel_debounce;
}

void fgpio_gpiod_port_release(struct fgpio_gpiod_port *p, unsigned off)
{
	ops()->release(p, off);
}

int fgpio_gpiod_port_event(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_event *ev)
{
	return ops()->event(p, off, ev);
}

const char *fgpio_gpiod_port_libversion(void)
{
	return ops()->libversion();
}
