/*
 * src/wave.c - the waveform engine and bank sampling: many register accesses
 * from one call, timed from CLOCK_MONOTONIC.
 *
 * The engine asks the family for the bank's set/clear/level registers once
 * (its line_init op for bit 0: the registers of a bank are shared by all its
 * bits), validates every step, then runs a loop of plain volatile stores.
 * A family without set/clear registers (RK3288) goes through its bank_write
 * op, which does the locked read-modify-write.
 */
#define _GNU_SOURCE	/* CPU_SET, sched_getcpu */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "internal.h"

_Static_assert(sizeof(struct fgpio_wave_step) == 12, "wave steps are packed 12-byte records");
_Static_assert(offsetof(struct fgpio_wave_step, clr_mask) == 4, "clr_mask at byte 4");
_Static_assert(offsetof(struct fgpio_wave_step, delay_ns) == 8, "delay_ns at byte 8");

void fgpio_wave_opts_init(struct fgpio_wave_opts *opts)
{
	if (!opts)
		return;
	memset(opts, 0, sizeof(*opts));
	opts->cpu = -1;
}

/* Waits until @deadline: sleeps until @spin ns before it, then busy-waits. */
static uint64_t wave_wait(uint64_t deadline, uint64_t spin)
{
	uint64_t now = fgpio_now_ns();

	if (now >= deadline)
		return now;
	if (deadline - now > spin) {
		uint64_t wake = deadline - spin;
		struct timespec ts = { .tv_sec = (time_t)(wake / 1000000000u),
				       .tv_nsec = (long)(wake % 1000000000u) };

		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
	}
	do
		now = fgpio_now_ns();
	while (now < deadline);
	return now;
}

/* The bank's registers and what the loop needs to know about them. */
struct wave_regs {
	volatile uint32_t *set;	/* NULL: go through ops->bank_write (RK3288) */
	volatile uint32_t *clr;
	volatile uint32_t *in;
	uint32_t valid;		/* mask of the bank's lines */
	int readback;		/* read back before timestamps (posted writes) */
};

static int wave_regs_get(struct fgpio_chip *c, unsigned bank, struct wave_regs *w)
{
	unsigned count;
	struct fgpio_line l;

	if (!c)
		return fgpio_fail(EINVAL, "chip is NULL");
	if (fgpio_chip_bank_lines(c, bank, NULL, &count))
		return -1;
	memset(&l, 0, sizeof(l));
	l.mask = 1u;
	l.chip = c;
	/* Bit 0 exists in every bank; the family checks clocks and mappings here. */
	if (c->ops->line_init(c, bank, 0, &l))
		return -1;
	w->set = l.set_reg;
	w->clr = l.clr_reg;
	if (!w->set || !w->clr)
		w->set = w->clr = NULL;
	w->in = l.in_reg;
	w->valid = count >= 32 ? 0xffffffffu : ((1u << count) - 1u);
	w->readback = c->soc->family == FGPIO_FAMILY_RP1 && w->in != NULL;
	return 0;
}

/* Sampled lateness values, reservoir-sampled beyond the buffer's capacity. */
struct wave_samples {
	uint32_t *v;
	size_t cap;
	size_t len;
	uint64_t seen;
	uint64_t max;
	uint64_t rng;
};

static void wave_sample_add(struct wave_samples *s, uint64_t late)
{
	uint32_t v = late > 0xffffffffu ? 0xffffffffu : (uint32_t)late;

	if (late > s->max)
		s->max = late;
	s->seen++;
	if (s->len < s->cap) {
		s->v[s->len++] = v;
		return;
	}
	if (!s->cap)
		return;
	/* xorshift64: deterministic, no libc state touched. */
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	uint64_t j = s->rng % s->seen;

	if (j < s->cap)
		s->v[j] = v;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile @p (0..100) of the sorted samples. */
static uint64_t percentile(const uint32_t *v, size_t n, unsigned p)
{
	if (!n)
		return 0;
	size_t rank = (n * p + 99u) / 100u;

	if (rank == 0)
		rank = 1;
	return v[rank - 1];
}

/*
 * Stores of one step; @set and @clr are already limited to the bank's lines.
 * @direct is a compile-time constant in each instance of the loop below.
 */
static inline __attribute__((always_inline)) void
wave_store(int direct, struct fgpio_chip *c, unsigned bank, volatile uint32_t *rs,
	   volatile uint32_t *rc, uint32_t set, uint32_t clr)
{
	if (direct) {
		if (set)
			*rs = set;
		if (clr)
			*rc = clr;
	} else if (set | clr) {
		/* Validated bank and masks: this cannot fail for a reason we could report mid-run. */
		(void)c->ops->bank_write(c, bank, set | clr, set);
	}
}

/*
 * The loop. A run of zero-delay steps is a tight loop of two loads, two
 * tests and at most two stores per step; the clock is read only for edges
 * that follow a non-zero delay (the deadline moves only with those).
 */
static inline __attribute__((always_inline)) void
wave_loop(int direct, struct fgpio_chip *c, unsigned bank, const struct wave_regs *w,
	  const struct fgpio_wave_step *steps, size_t n, unsigned repeat, uint64_t spin,
	  int catch_up, struct wave_samples *smp, uint64_t *elapsed)
{
	volatile uint32_t *const rs = w->set, *const rc = w->clr, *const in = w->in;
	const uint32_t valid = w->valid;
	const int readback = w->readback;
	uint64_t t0, deadline;
	int pending;

	/* First edge: the schedule's origin. */
	wave_store(direct, c, bank, rs, rc, steps[0].set_mask & valid, steps[0].clr_mask & valid);
	if (readback)
		(void)*in;
	t0 = fgpio_now_ns();
	deadline = t0 + steps[0].delay_ns;
	pending = steps[0].delay_ns != 0;
	size_t i = 1;

	for (unsigned r = 0; r < repeat; r++, i = 0) {
		while (i < n) {
			if (pending) {
				/* A timed edge: wait for its deadline, store, time it. */
				wave_wait(deadline, spin);
				wave_store(direct, c, bank, rs, rc, steps[i].set_mask & valid,
					   steps[i].clr_mask & valid);
				if (readback)
					(void)*in;
				uint64_t now = fgpio_now_ns();

				wave_sample_add(smp, now > deadline ? now - deadline : 0);
				if (!catch_up && now > deadline)
					deadline = now;
				deadline += steps[i].delay_ns;
				pending = steps[i].delay_ns != 0;
				i++;
				continue;
			}
			/* Untimed edges until the next non-zero delay. */
			for (; i < n; i++) {
				const uint32_t d = steps[i].delay_ns;

				wave_store(direct, c, bank, rs, rc, steps[i].set_mask & valid,
					   steps[i].clr_mask & valid);
				if (d) {
					deadline += d;
					pending = 1;
					i++;
					break;
				}
			}
		}
	}
	uint64_t end;

	if (pending) {
		end = wave_wait(deadline, spin);
	} else {
		if (readback)
			(void)*in;
		end = fgpio_now_ns();
	}
	*elapsed = end - t0;
}

static void wave_run(struct fgpio_chip *c, unsigned bank, const struct wave_regs *w,
		     const struct fgpio_wave_step *steps, size_t n, unsigned repeat, uint64_t spin,
		     int catch_up, struct wave_samples *smp, uint64_t *elapsed)
{
	if (w->set)
		wave_loop(1, c, bank, w, steps, n, repeat, spin, catch_up, smp, elapsed);
	else
		wave_loop(0, c, bank, w, steps, n, repeat, spin, catch_up, smp, elapsed);
}

/* Thread settings changed for the run, to be restored after it. */
struct wave_env {
	int pinned;
	cpu_set_t old_cpus;
	int fifo;
	int old_policy;
	struct sched_param old_param;
	int slack_set;
	int old_slack;
};

static void wave_env_apply(const struct fgpio_wave_opts *o, struct wave_env *e)
{
	memset(e, 0, sizeof(*e));
	if (o->cpu >= 0 && sched_getaffinity(0, sizeof(e->old_cpus), &e->old_cpus) == 0) {
		cpu_set_t one;

		CPU_ZERO(&one);
		CPU_SET((size_t)o->cpu, &one);
		e->pinned = sched_setaffinity(0, sizeof(one), &one) == 0;
	}
	if (o->fifo_priority > 0 &&
	    pthread_getschedparam(pthread_self(), &e->old_policy, &e->old_param) == 0) {
		struct sched_param p;

		memset(&p, 0, sizeof(p));
		p.sched_priority = o->fifo_priority;
		e->fifo = pthread_setschedparam(pthread_self(), SCHED_FIFO, &p) == 0;
	}
	/* Sleeps end up to the timer slack (50 µs by default) late: ask for 1 ns. */
	int slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);

	if (slack > 1 && prctl(PR_SET_TIMERSLACK, 1ul, 0, 0, 0) == 0) {
		e->slack_set = 1;
		e->old_slack = slack;
	}
}

static void wave_env_restore(struct wave_env *e)
{
	if (e->slack_set)
		(void)prctl(PR_SET_TIMERSLACK, (unsigned long)e->old_slack, 0, 0, 0);
	if (e->fifo)
		(void)pthread_setschedparam(pthread_self(), e->old_policy, &e->old_param);
	if (e->pinned)
		(void)sched_setaffinity(0, sizeof(e->old_cpus), &e->old_cpus);
}

int fgpio_chip_wave_play(struct fgpio_chip *c, unsigned bank, const struct fgpio_wave_step *steps,
			 size_t n, unsigned repeat, const struct fgpio_wave_opts *opts,
			 struct fgpio_wave_stats *stats)
{
	struct fgpio_wave_opts defaults;
	struct wave_regs w;

	if (!opts) {
		fgpio_wave_opts_init(&defaults);
		opts = &defaults;
	}
	if (stats)
		memset(stats, 0, sizeof(*stats));
	if (!c)
		return fgpio_fail(EINVAL, "chip is NULL");
	if (fgpio_chip_bank_lines(c, bank, NULL, NULL))
		return -1;
	if (n && !steps)
		return fgpio_fail(EINVAL, "steps is NULL");
	if (opts->cpu < -1 || opts->cpu >= CPU_SETSIZE)
		return fgpio_fail(EINVAL, "cpu %d out of range (-1 for no pinning, 0-%d)", opts->cpu,
				  CPU_SETSIZE - 1);
	if (opts->fifo_priority < 0 || opts->fifo_priority > 99)
		return fgpio_fail(EINVAL, "SCHED_FIFO priority %d out of range (0 for none, 1-99)",
				  opts->fifo_priority);
	if (opts->flags & ~FGPIO_WAVE_NO_CATCH_UP)
		return fgpio_fail(EINVAL, "unknown wave flags 0x%x", opts->flags & ~FGPIO_WAVE_NO_CATCH_UP);
	if (n && repeat && n > UINT64_MAX / repeat)
		return fgpio_fail(EINVAL, "%zu steps repeated %u times overflow the step count",
				  n, repeat);

	unsigned count;

	(void)fgpio_chip_bank_lines(c, bank, NULL, &count);
	const uint32_t valid = count >= 32 ? 0xffffffffu : ((1u << count) - 1u);
	size_t timed_per_pass = 0;

	for (size_t i = 0; i < n; i++) {
		const struct fgpio_wave_step *s = &steps[i];

		if ((s->set_mask | s->clr_mask) & ~valid)
			return fgpio_fail(EINVAL, "wave step %zu: mask 0x%08x names lines bank %u of %s "
					  "does not have (valid mask 0x%08x)", i,
					  (s->set_mask | s->clr_mask) & ~valid, bank, c->soc->name, valid);
		if (s->set_mask & s->clr_mask)
			return fgpio_fail(EINVAL, "wave step %zu: lines 0x%08x are in both the set and "
					  "the clear mask", i, s->set_mask & s->clr_mask);
		timed_per_pass += s->delay_ns != 0;
	}
	if (!n || !repeat)
		return 0;
	if (wave_regs_get(c, bank, &w))
		return -1;

	/* Timed edges: one per non-zero delay, except after the very last step. */
	uint64_t timed = (uint64_t)timed_per_pass * repeat - (steps[n - 1].delay_ns != 0);
	struct wave_samples smp;

	memset(&smp, 0, sizeof(smp));
	smp.rng = 0x9e3779b97f4a7c15ull;
	smp.cap = (size_t)(timed < FGPIO_WAVE_MAX_SAMPLES ? timed : FGPIO_WAVE_MAX_SAMPLES);
	if (smp.cap) {
		smp.v = malloc(smp.cap * sizeof(*smp.v));
		if (!smp.v)
			return fgpio_fail(ENOMEM, "out of memory for %zu jitter samples", smp.cap);
	}

	struct wave_env env;
	uint64_t elapsed = 0;

	wave_env_apply(opts, &env);
	wave_run(c, bank, &w, steps, n, repeat, opts->spin_ns ? opts->spin_ns : FGPIO_WAVE_SPIN_NS,
		 !(opts->flags & FGPIO_WAVE_NO_CATCH_UP), &smp, &elapsed);
	int cpu = sched_getcpu();

	wave_env_restore(&env);

	if (stats) {
		stats->steps = (uint64_t)n * repeat;
		stats->elapsed_ns = elapsed;
		stats->timed_edges = smp.seen;
		if (smp.len) {
			qsort(smp.v, smp.len, sizeof(*smp.v), cmp_u32);
			stats->late_p50_ns = percentile(smp.v, smp.len, 50);
			stats->late_p99_ns = percentile(smp.v, smp.len, 99);
		}
		stats->late_max_ns = smp.max;
		stats->cpu_pinned = env.pinned;
		stats->fifo_applied = env.fifo;
		stats->cpu = cpu;
		stats->readback = w.readback;
	}
	free(smp.v);
	return 0;
}

int fgpio_chip_bank_sample(struct fgpio_chip *c, unsigned bank, uint32_t *buf, size_t n,
			   uint64_t *elapsed_ns)
{
	struct wave_regs w;

	if (elapsed_ns)
		*elapsed_ns = 0;
	if (!c)
		return fgpio_fail(EINVAL, "chip is NULL");
	if (fgpio_chip_bank_lines(c, bank, NULL, NULL))
		return -1;
	if (n && !buf)
		return fgpio_fail(EINVAL, "sample buffer is NULL");
	if (wave_regs_get(c, bank, &w))
		return -1;
	if (!w.in)
		return fgpio_fail(ENOTSUP, "bank %u of %s has no level register mapped", bank,
				  c->soc->name);
	volatile uint32_t *in = w.in;
	const uint32_t valid = w.valid;

	/* Let earlier (possibly posted) writes land before the first sample. */
	fgpio_barrier();
	uint64_t t0 = fgpio_now_ns();

	for (size_t i = 0; i < n; i++)
		buf[i] = *in & valid;
	uint64_t t1 = fgpio_now_ns();

	if (elapsed_ns)
		*elapsed_ns = t1 - t0;
	return 0;
}
