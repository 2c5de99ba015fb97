/* SPDX-License-Identifier: MIT */
/*
 * src/util.c - error messages, delays, enum names, PWM arithmetic.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "gpiod_backend.h"

static _Thread_local char last_error[512] = "no error";

int fgpio_fail(int err, const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof(last_error)];

	/* Via a copy: callers may pass fgpio_last_error() itself as an argument. */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memcpy(last_error, msg, sizeof(last_error));
	errno = err;
	return -1;
}

const char *fgpio_last_error(void)
{
	return last_error;
}

const char *fgpio_version(void)
{
	return FGPIO_VERSION_STRING;
}

void fgpio_udelay(unsigned us)
{
	if (us >= 100) {
		struct timespec ts = { .tv_sec = us / 1000000u, .tv_nsec = (long)(us % 1000000u) * 1000 };

		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		return;
	}
	/* Short waits: sleeping would cost 50 µs or more of scheduler latency. */
	uint64_t end = fgpio_now_ns() + (uint64_t)us * 1000u;

	while (fgpio_now_ns() < end)
		;
}

static const char *const func_names[FGPIO_FUNC_COUNT] = {
	[FGPIO_FUNC_IN] = "in",     [FGPIO_FUNC_OUT] = "out",   [FGPIO_FUNC_ALT0] = "alt0",
	[FGPIO_FUNC_ALT1] = "alt1", [FGPIO_FUNC_ALT2] = "alt2", [FGPIO_FUNC_ALT3] = "alt3",
	[FGPIO_FUNC_ALT4] = "alt4", [FGPIO_FUNC_ALT5] = "alt5", [FGPIO_FUNC_ALT6] = "alt6",
	[FGPIO_FUNC_ALT7] = "alt7", [FGPIO_FUNC_ALT8] = "alt8", [FGPIO_FUNC_NONE] = "none",
};

static const char *const pull_names[FGPIO_PULL_COUNT] = {
	[FGPIO_PULL_OFF] = "off",
	[FGPIO_PULL_UP] = "up",
	[FGPIO_PULL_DOWN] = "down",
	[FGPIO_PULL_KEEPER] = "keeper",
};

const char *fgpio_func_name(enum fgpio_func func)
{
	if ((unsigned)func >= FGPIO_FUNC_COUNT)
		return NULL;
	return func_names[func];
}

const char *fgpio_pull_name(enum fgpio_pull pull)
{
	if ((unsigned)pull >= FGPIO_PULL_COUNT)
		return NULL;
	return pull_names[pull];
}

/* ---- error messages of the libgpiod ports and the gpiod backend (gpiod_backend.h) ---- */

int fgpio_gpiod_fail_line(const char *what, unsigned off, const char *path)
{
	int e = errno;

	if (e == ENOTTY || e == EOPNOTSUPP || e == 524 /* kernel ENOTSUPP */)
		return fgpio_fail(ENOTSUP, "%s line %u of %s: not supported by the kernel or its GPIO "
				  "driver (%s)", what, off, path, strerror(e));
	return fgpio_fail(e, "%s line %u of %s: %s", what, off, path, strerror(e));
}

void fgpio_gpiod_fail_open(int err, const char *path)
{
	if (err == EACCES || err == EPERM)
		fgpio_fail(err, "permission denied opening %s: add your user to the group owning "
			   "it (often 'gpio': sudo usermod -aG gpio $USER) or run as root", path);
	else
		fgpio_fail(err, "cannot open %s as a GPIO character device: %s", path, strerror(err));
}

/* ---- PWM arithmetic, shared by the families' PWM code ---- */

#define NS_PER_S 1000000000ull

uint64_t fgpio_pwm_ticks(uint64_t ns, uint32_t hz, uint32_t div)
{
	uint64_t d = (uint64_t)div * NS_PER_S;

	return (ns * hz + d / 2) / d;
}

uint64_t fgpio_pwm_ns(uint64_t ticks, uint32_t hz, uint32_t div)
{
	uint64_t t = ticks * div;

	return t / hz * NS_PER_S + ((t % hz) * NS_PER_S + hz / 2) / hz;
}

volatile uint32_t *fgpio_pwm_need(volatile uint32_t *r, const struct fgpio_chip *c, const char *what)
{
	if (!r)
		fgpio_fail(ENOTSUP, "%s: the %s register lies outside the mapped PWM blocks; nothing "
			   "was written", c->soc->name, what);
	return r;
}

/*
 * The smallest integer divisor in @div_min..@div_max at which @period_ns at
 * @hz is at least @ticks_min ticks and fits a 32-bit tick count; -1 with
 * EINVAL saying why there is none.
 */
static int choose_div(uint32_t hz, uint32_t div_min, uint32_t div_max, uint32_t ticks_min,
		      uint64_t period_ns, uint32_t *div)
{
	if (fgpio_pwm_ticks(period_ns, hz, div_min) < ticks_min)
		return fgpio_fail(EINVAL, "period %llu ns is shorter than %u ticks of the fastest PWM "
				  "clock (%u Hz): the shortest is %llu ns", (unsigned long long)period_ns,
				  ticks_min, hz / div_min,
				  (unsigned long long)fgpio_pwm_ns(ticks_min, hz, div_min));
	for (uint32_t d = div_min; d <= div_max; d++) {
		if (fgpio_pwm_ticks(period_ns, hz, d) <= UINT32_MAX) {
			*div = d;
			return 0;
		}
	}
	return fgpio_fail(EINVAL, "period %llu ns is longer than the PWM clock reaches",
			  (unsigned long long)period_ns);
}

/* 0 when @period_ns at @hz / @div is ticks_min .. 2^32-1 ticks, else -1 with EINVAL naming @clock. */
static int fits(uint32_t hz, uint32_t div, uint32_t ticks_min, uint64_t period_ns, const char *clock)
{
	uint64_t t = fgpio_pwm_ticks(period_ns, hz, div);

	if (t >= ticks_min && t <= UINT32_MAX)
		return 0;
	return fgpio_fail(EINVAL, "period %llu ns does not fit %s (%u Hz), which another running "
			  "channel uses: %llu .. %llu ns fit", (unsigned long long)period_ns, clock,
			  hz / div, (unsigned long long)fgpio_pwm_ns(ticks_min, hz, div),
			  (unsigned long long)fgpio_pwm_ns(UINT32_MAX, hz, div));
}

int fgpio_pwm_plan(const struct fgpio_pwm_clock *k, uint64_t period_ns, uint32_t *div, int *reprogram)
{
	if (k->on && k->shared) {
		if (!k->known)
			return fgpio_fail(EBUSY, "%s: another PWM channel runs on %s, whose source is "
					  "%s%s, at a rate fastgpio cannot derive; stop that channel first",
					  k->soc, k->name, k->source, k->detail);
		if (fits(k->hz, k->div, k->ticks_min, period_ns, k->name))
			return -1;
		*div = k->div;
		*reprogram = 0;
		return 0;
	}
	if (choose_div(k->hz, k->div_min, k->div_max, k->ticks_min, period_ns, div))
		return -1;
	*reprogram = !(k->on && k->known && k->exact && k->div == *div);
	return 0;
}
