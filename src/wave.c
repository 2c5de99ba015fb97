/* SPDX-License-Identifier: MIT */
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
_Static_assert(sizeof(struct fgpio_wave_stats) == 96, "the stats struct keeps its 0.1 size");

void fgpio_wave_opts_init(struct fgpio_wave_opts *opts)
{
	if (!opts)
		return;
	memset(opts, 0, sizeof(*opts));
	opts->cpu = -1;
}

/* Nonzero once fgpio_chip_wave_cancel() bumped the generation the run registered under. */
static inline int wave_cancelled(const uint32_t *ctl, uint32_t gen)
{
	return ((__atomic_load_n(ctl, __ATOMIC_RELAXED) ^ gen) & ~(uint32_t)FGPIO_WAVE_RUNNING_MASK) != 0;
}

/*
 * Waits until @deadline: sleeps until @spin ns before it (in slices of at
 * most FGPIO_WAVE_CANCEL_NS, so a cancel is seen), then busy-waits. Returns
 * 0 at the deadline with *now its time, or 1 (cancelled) before it.
 */
static int wave_wait(uint64_t deadline, uint64_t spin, const uint32_t *ctl, uint32_t gen,
		     uint64_t *now_out)
{
	uint64_t now = fgpio_now_ns();

	if (wave_cancelled(ctl, gen))
		return 1;
	if (now >= deadline) {
		*now_out = now;
		return 0;
	}
	while (deadline - now > spin) {
		uint64_t wake = deadline - spin;

		if (wake - now > FGPIO_WAVE_CANCEL_NS)
			wake = now + FGPIO_WAVE_CANCEL_NS;
		struct timespec ts = { .tv_sec = (time_t)(wake / 1000000000u),
				       .tv_nsec = (long)(wake % 1000000000u) };

		/* EINTR (a signal handler ran): go round, the handler may have cancelled. */
		(void)clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		if (wave_cancelled(ctl, gen))
			return 1;
		now = fgpio_now_ns();
		if (now >= deadline) {
			*now_out = now;
			return 0;
		}
	}
	do {
		if (wave_cancelled(ctl, gen))
			return 1;
		now = fgpio_now_ns();
	} while (now < deadline);
	*now_out = now;
	return 0;
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
	if (fgpio_check_bank(c, bank))
		return -1;
	count = c->soc->banks[bank].nlines;
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
	w->readback = (c->soc->flags & FGPIO_SOC_FLAG_POSTED_WRITES) && w->in != NULL;
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
			fgpio_wr(rs, set);
		if (clr)
			fgpio_wr(rc, clr);
	} else if (set | clr) {
		/* Validated bank and masks: this cannot fail for a reason we could report mid-run. */
		(void)c->ops->bank_write(c, bank, set | clr, set);
	}
}

/* Where a run stopped. */
struct wave_end {
	uint64_t steps;		/* steps executed */
	uint64_t elapsed;	/* first edge to the end (or to the cancel) */
	int cancelled;
};

/*
 * The loop. A run of zero-delay steps is a tight loop of two loads, two
 * tests and at most two stores per step; the clock is read only for edges
 * that follow a non-zero delay (the deadline moves only with those). The
 * cancel word is read in the waits and once per FGPIO_WAVE_CANCEL_STEPS
 * zero-delay steps (the inner loop's bound), never between the two stores of
 * a step: a cancelled run leaves the lines as its last completed step did.
 */
static inline __attribute__((always_inline)) void
wave_loop(int direct, struct fgpio_chip *c, unsigned bank, const struct wave_regs *w,
	  const struct fgpio_wave_step *steps, size_t n, unsigned repeat, uint64_t spin,
	  int catch_up, struct wave_samples *smp, uint32_t gen, struct wave_end *out)
{
	volatile uint32_t *const rs = w->set, *const rc = w->clr, *const in = w->in;
	const uint32_t *const ctl = &c->wave_ctl;
	const uint32_t valid = w->valid;
	const int readback = w->readback;
	uint64_t t0, deadline, now;
	int pending;
	size_t budget = FGPIO_WAVE_CANCEL_STEPS;

	out->cancelled = 0;
	/* First edge: the schedule's origin. */
	wave_store(direct, c, bank, rs, rc, steps[0].set_mask & valid, steps[0].clr_mask & valid);
	if (readback)
		(void)*in;
	t0 = fgpio_now_ns();
	deadline = t0 + steps[0].delay_ns;
	pending = steps[0].delay_ns != 0;
	size_t i = 1;
	unsigned r = 0;

	for (; r < repeat; r++, i = 0) {
		while (i < n) {
			if (pending) {
				/* A timed edge: wait for its deadline, store, time it. */
				if (wave_wait(deadline, spin, ctl, gen, &now))
					goto cancelled;
				wave_store(direct, c, bank, rs, rc, steps[i].set_mask & valid,
					   steps[i].clr_mask & valid);
				if (readback)
					(void)*in;
				now = fgpio_now_ns();
				wave_sample_add(smp, now > deadline ? now - deadline : 0);
				if (!catch_up && now > deadline)
					deadline = now;
				deadline += steps[i].delay_ns;
				pending = steps[i].delay_ns != 0;
				i++;
				continue;
			}
			/* Untimed edges until the next non-zero delay, at most @budget of them. */
			const size_t start = i, end = n - i > budget ? i + budget : n;

			for (; i < end; i++) {
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
			budget -= i - start;
			if (!budget) {
				if (wave_cancelled(ctl, gen))
					goto cancelled;
				budget = FGPIO_WAVE_CANCEL_STEPS;
			}
		}
	}
	out->steps = (uint64_t)n * repeat;
	if (pending) {
		if (wave_wait(deadline, spin, ctl, gen, &now)) {
			/* Every step ran; only the last delay was cut short. */
			out->cancelled = 1;
			now = fgpio_now_ns();
		}
	} else {
		if (readback)
			(void)*in;
		now = fgpio_now_ns();
	}
	out->elapsed = now - t0;
	return;
cancelled:
	if (readback)
		(void)*in;
	out->steps = (uint64_t)r * n + i;
	out->elapsed = fgpio_now_ns() - t0;
	out->cancelled = 1;
}

static void wave_run(struct fgpio_chip *c, unsigned bank, const struct wave_regs *w,
		     const struct fgpio_wave_step *steps, size_t n, unsigned repeat, uint64_t spin,
		     int catch_up, struct wave_samples *smp, uint32_t gen, struct wave_end *out)
{
	if (w->set)
		wave_loop(1, c, bank, w, steps, n, repeat, spin, catch_up, smp, gen, out);
	else
		wave_loop(0, c, bank, w, steps, n, repeat, spin, catch_up, smp, gen, out);
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

int fgpio_chip_wave_cancel(struct fgpio_chip *c)
{
	if (!c)
		return fgpio_fail(EINVAL, "chip is NULL");
	uint32_t old = __atomic_fetch_add(&c->wave_ctl, FGPIO_WAVE_GEN_ONE, __ATOMIC_SEQ_CST);

	return (int)(old & FGPIO_WAVE_RUNNING_MASK);
}

/* Registers a run; returns the generation it must watch, or fails (EAGAIN) when 65535 run. */
static int wave_register(struct fgpio_chip *c, uint32_t *gen)
{
	uint32_t old = __atomic_fetch_add(&c->wave_ctl, 1u, __ATOMIC_SEQ_CST);

	if ((old & FGPIO_WAVE_RUNNING_MASK) == FGPIO_WAVE_RUNNING_MASK) {
		__atomic_fetch_sub(&c->wave_ctl, 1u, __ATOMIC_SEQ_CST);
		return fgpio_fail(EAGAIN, "%u waves already play on this chip", FGPIO_WAVE_RUNNING_MASK);
	}
	*gen = old;
	return 0;
}

/* Its last access to the chip: fgpio_chip_close may free it right after. */
static void wave_unregister(struct fgpio_chip *c)
{
	__atomic_fetch_sub(&c->wave_ctl, 1u, __ATOMIC_RELEASE);
}

static int check_opts(const struct fgpio_wave_opts *opts)
{
	if (opts->cpu < -1 || opts->cpu >= CPU_SETSIZE)
		return fgpio_fail(EINVAL, "cpu %d out of range (-1 for no pinning, 0-%d)", opts->cpu,
				  CPU_SETSIZE - 1);
	if (opts->fifo_priority < 0 || opts->fifo_priority > 99)
		return fgpio_fail(EINVAL, "SCHED_FIFO priority %d out of range (0 for none, 1-99)",
				  opts->fifo_priority);
	if (opts->flags & ~FGPIO_WAVE_NO_CATCH_UP)
		return fgpio_fail(EINVAL, "unknown wave flags 0x%x", opts->flags & ~FGPIO_WAVE_NO_CATCH_UP);
	for (size_t k = 0; k < sizeof(opts->reserved) / sizeof(opts->reserved[0]); k++)
		if (opts->reserved[k])
			return fgpio_fail(EINVAL, "fgpio_wave_opts.reserved[%zu] is not NULL: initialise "
					  "the options with fgpio_wave_opts_init()", k);
	return 0;
}

/* Every step before the first store; *timed receives the non-zero delays of one pass. */
static int check_steps(const struct fgpio_chip *c, unsigned bank, const struct fgpio_wave_step *steps,
		       size_t n, size_t *timed)
{
	unsigned count;

	count = c->soc->banks[bank].nlines;	/* bank checked by the caller */
	const uint32_t valid = count >= 32 ? 0xffffffffu : ((1u << count) - 1u);

	*timed = 0;
	for (size_t i = 0; i < n; i++) {
		const struct fgpio_wave_step *s = &steps[i];

		if ((s->set_mask | s->clr_mask) & ~valid)
			return fgpio_fail(EINVAL, "wave step %zu: mask 0x%08x names lines bank %u of %s "
					  "does not have (valid mask 0x%08x)", i,
					  (s->set_mask | s->clr_mask) & ~valid, bank, c->soc->name, valid);
		if (s->set_mask & s->clr_mask)
			return fgpio_fail(EINVAL, "wave step %zu: lines 0x%08x are in both the set and "
					  "the clear mask", i, s->set_mask & s->clr_mask);
		*timed += s->delay_ns != 0;
	}
	return 0;
}

/* A registered, validated run of n > 0 steps repeat > 0 times. */
static int wave_play_checked(struct fgpio_chip *c, unsigned bank, const struct fgpio_wave_step *steps,
			     size_t n, unsigned repeat, const struct fgpio_wave_opts *opts,
			     size_t timed_per_pass, uint32_t gen, struct fgpio_wave_stats *stats)
{
	struct wave_regs w;

	if (wave_regs_get(c, bank, &w))
		return -1;
	if (wave_cancelled(&c->wave_ctl, gen)) {
		/* Cancelled before the first store: nothing ran. */
		if (stats)
			stats->cancelled = 1;
		return 0;
	}

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
	struct wave_end end;

	wave_env_apply(opts, &env);
	wave_run(c, bank, &w, steps, n, repeat, opts->spin_ns ? opts->spin_ns : FGPIO_WAVE_SPIN_NS,
		 !(opts->flags & FGPIO_WAVE_NO_CATCH_UP), &smp, gen, &end);
	int cpu = sched_getcpu();

	wave_env_restore(&env);

	if (stats) {
		stats->steps = end.steps;
		stats->elapsed_ns = end.elapsed;
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
		stats->cancelled = end.cancelled;
	}
	free(smp.v);
	return 0;
}

int fgpio_chip_wave_play(struct fgpio_chip *c, unsigned bank, const struct fgpio_wave_step *steps,
			 size_t n, unsigned repeat, const struct fgpio_wave_opts *opts,
			 struct fgpio_wave_stats *stats)
{
	struct fgpio_wave_opts defaults;
	size_t timed_per_pass;
	uint32_t gen = 0;

	if (!opts) {
		fgpio_wave_opts_init(&defaults);
		opts = &defaults;
	}
	if (stats)
		memset(stats, 0, sizeof(*stats));
	if (!c)
		return fgpio_fail(EINVAL, "chip is NULL");
	if (fgpio_check_bank(c, bank))
		return -1;
	if (n && !steps)
		return fgpio_fail(EINVAL, "steps is NULL");
	if (check_opts(opts))
		return -1;
	if (n && repeat && n > UINT64_MAX / repeat)
		return fgpio_fail(EINVAL, "%zu steps repeated %u times overflow the step count",
				  n, repeat);
	/* Registered from here: a cancel during the checks below counts. */
	if (wave_register(c, &gen))
		return -1;
	int r = check_steps(c, bank, steps, n, &timed_per_pass);

	if (r == 0 && n && repeat)
		r = wave_play_checked(c, bank, steps, n, repeat, opts, timed_per_pass, gen, stats);
	int e = errno;

	wave_unregister(c);
	errno = e;
	return r;
}

int fgpio_chip_bank_sample(struct fgpio_chip *c, unsigned bank, uint32_t *buf, size_t n,
			   uint64_t *elapsed_ns)
{
	struct wave_regs w;

	if (elapsed_ns)
		*elapsed_ns = 0;
	if (!c)
		return fgpio_fail(EINVAL, "chip is NULL");
	if (fgpio_check_bank(c, bank))
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
