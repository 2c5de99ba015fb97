/* SPDX-License-Identifier: MIT */
/*
 * tests/c/test_wave.c - the waveform engine and bank sampling in register-file
 * mode on every family: the exact words a short wave leaves, zero masks not
 * stored, validation before the first store (file unchanged), repeat counts
 * and statistics that follow from the schedule, options restored; waves
 * cancelled from another thread (timed, zero-delay, read-modify-write, one
 * long sleep, one long busy-wait) stop between two steps, leave the words of
 * their last completed step and say so in their stats; non-NULL reserved
 * options are refused.
 *
 * The register addresses are written out here (from the families' own tests
 * and sources), not taken from the board tables.
 */
#define _GNU_SOURCE	/* sched_getcpu */
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <time.h>

#include "harness.h"
#include "internal.h"

/* BCM2711 in devmem mode (GPIO block at 0xFE200000) and BCM2837 in gpiomem mode. */
#define PI4_GPIO 0xFE200000ull
#define GPSET0 0x1Cu
#define GPCLR0 0x28u
#define GPLEV0 0x34u

/* AM335x: GPIO1 at 0x4804C000, CLKCTRL words in the clock manager. */
#define AM_FILE 0x481AF000ull
#define AM_GPIO1 0x4804C000ull
#define AM_DATAIN 0x138u
#define AM_CLR 0x190u
#define AM_SET 0x194u
static const uint64_t am_clk[4] = { 0x44E00408ull, 0x44E000ACull, 0x44E000B0ull, 0x44E000B4ull };

/* RK3288: GPIO0 (24 lines) at 0xff750000, GPIO5 at 0xff7c0000; DR 0x00, EXT 0x50. */
#define RK_FILE 0xff800000ull
#define RK_GPIO0 0xff750000ull
#define RK_GPIO5 0xff7c0000ull
#define RK_DR 0x00u
#define RK_EXT 0x50u

/* RP1 through /dev/gpiomem0: SYS_RIO at 0x10000, bank b at +0x4000*b, SET +0x2000, CLR +0x3000. */
#define RP1_WINDOW 0x30000u
#define RP1_RIO 0x10000u
#define RP1_SET 0x2000u
#define RP1_CLR 0x3000u
#define RP1_IN 0x08u

static char *dir;

#define STEP(s, c, d) { (s), (c), (d) }

/* A wave's final words in set/clear register families; zero masks are not stored. */
static void check_setclr(struct fgpio_chip *c, const char *f, unsigned bank, uint64_t set_at,
			 uint64_t clr_at, uint64_t lev_at, uint32_t hi_bit)
{
	const struct fgpio_wave_step w[] = {
		STEP(0x5u, 0, 0), STEP(0, 0x2u, 0), STEP(0, 0, 0), STEP(hi_bit, 0, 0),
		STEP(0, hi_bit | 0x1u, 0), STEP(0, 0, 0),
	};
	struct fgpio_wave_stats st;

	th_poke(f, set_at, 0xdeadbeef);
	th_poke(f, clr_at, 0xdeadbeef);
	th_poke(f, lev_at, 0x12345678);
	CHECK(fgpio_chip_wave_play(c, bank, w, 6, 1, NULL, &st) == 0);
	CHECK_EQ_U32(th_peek(f, set_at), hi_bit);	/* last non-zero set mask */
	CHECK_EQ_U32(th_peek(f, clr_at), hi_bit | 0x1u);
	CHECK_EQ_U32(th_peek(f, lev_at), 0x12345678);	/* never written */
	CHECK(st.steps == 6 && st.timed_edges == 0 && st.late_max_ns == 0);

	/* Only the first two steps: the zero clear mask of step 0 did not store. */
	th_poke(f, set_at, 0);
	th_poke(f, clr_at, 0xdeadbeef);
	CHECK(fgpio_chip_wave_play(c, bank, w, 1, 3, NULL, &st) == 0);
	CHECK_EQ_U32(th_peek(f, set_at), 0x5u);
	CHECK_EQ_U32(th_peek(f, clr_at), 0xdeadbeef);
	CHECK(st.steps == 3);

	/* Sampling reads the level register, limited to the bank's lines. */
	uint32_t buf[16];
	uint64_t ns = 1;

	th_poke(f, lev_at, 0xffffffffu);
	memset(buf, 0xa5, sizeof(buf));
	CHECK(fgpio_chip_bank_sample(c, bank, buf, 15, &ns) == 0);
	unsigned count = 0;

	CHECK(fgpio_chip_bank_lines(c, bank, NULL, &count) == 0);
	uint32_t valid = count >= 32 ? 0xffffffffu : (1u << count) - 1u;

	for (int i = 0; i < 15; i++)
		CHECK_EQ_U32(buf[i], valid);
	CHECK_EQ_U32(buf[15], 0xa5a5a5a5u);	/* past n: untouched */
	CHECK(fgpio_chip_bank_sample(c, bank, NULL, 0, NULL) == 0);
}

/* Bad input of any kind: EINVAL (or the given errno) and the file unchanged. */
static void check_refusals(struct fgpio_chip *c, const char *f, uint64_t off, uint32_t len,
			   unsigned bank, uint32_t outside)
{
	struct fgpio_wave_opts o;
	struct fgpio_wave_stats st;
	unsigned char *snap;
	/* Good steps first: a late bad step must still stop the first store. */
	const struct fgpio_wave_step bad_mask[] = { STEP(1, 0, 0), STEP(0, 1, 0), STEP(outside, 0, 0) };
	const struct fgpio_wave_step bad_clr[] = { STEP(1, 0, 0), STEP(0, outside, 0) };
	const struct fgpio_wave_step both[] = { STEP(1, 0, 0), STEP(0x6, 0x2, 0) };
	const struct fgpio_wave_step ok[] = { STEP(1, 0, 0) };
	uint32_t buf[4];

	th_fill(f, off, len, 0x5a5a5a5a);
	snap = th_snapshot(f, off, len);
	if (outside) {
		CHECK_ERR(fgpio_chip_wave_play(c, bank, bad_mask, 3, 1, NULL, &st), EINVAL);
		CHECK(strstr(fgpio_last_error(), "step 2") != NULL);
		CHECK_ERR(fgpio_chip_wave_play(c, bank, bad_clr, 2, 5, NULL, NULL), EINVAL);
	}
	CHECK_ERR(fgpio_chip_wave_play(c, bank, both, 2, 1, NULL, NULL), EINVAL);
	CHECK(strstr(fgpio_last_error(), "both") != NULL);
	CHECK_ERR(fgpio_chip_wave_play(c, 99, ok, 1, 1, NULL, NULL), EINVAL);
	CHECK_ERR(fgpio_chip_wave_play(c, bank, NULL, 1, 1, NULL, NULL), EINVAL);
	CHECK_ERR(fgpio_chip_wave_play(NULL, bank, ok, 1, 1, NULL, NULL), EINVAL);
	fgpio_wave_opts_init(&o);
	o.cpu = -2;
	CHECK_ERR(fgpio_chip_wave_play(c, bank, ok, 1, 1, &o, NULL), EINVAL);
	fgpio_wave_opts_init(&o);
	o.fifo_priority = 100;
	CHECK_ERR(fgpio_chip_wave_play(c, bank, ok, 1, 1, &o, NULL), EINVAL);
	fgpio_wave_opts_init(&o);
	o.flags = 2;
	CHECK_ERR(fgpio_chip_wave_play(c, bank, ok, 1, 1, &o, NULL), EINVAL);
	CHECK_ERR(fgpio_chip_bank_sample(c, 99, buf, 4, NULL), EINVAL);
	CHECK_ERR(fgpio_chip_bank_sample(c, bank, NULL, 4, NULL), EINVAL);
	/* Nothing to play is not an error, and stores nothing. */
	CHECK(fgpio_chip_wave_play(c, bank, ok, 1, 0, NULL, &st) == 0 && st.steps == 0);
	CHECK(fgpio_chip_wave_play(c, bank, NULL, 0, 7, NULL, &st) == 0 && st.steps == 0);
	CHECK(th_unchanged(f, off, len, snap));
	free(snap);
}

static void test_bcm(void)
{
	char *f = th_regfile(dir, "pi4.bin", PI4_GPIO + 0x1000);
	struct fgpio_chip *c = th_open_devmem("bcm2711", f);

	CHECK(c != NULL);
	if (!c)
		return;
	check_setclr(c, f, 0, PI4_GPIO + GPSET0, PI4_GPIO + GPCLR0, PI4_GPIO + GPLEV0, 1u << 31);
	check_setclr(c, f, 1, PI4_GPIO + GPSET0 + 4, PI4_GPIO + GPCLR0 + 4, PI4_GPIO + GPLEV0 + 4,
		     1u << 25);
	check_refusals(c, f, PI4_GPIO, 0x1000, 1, 1u << 26);
	check_refusals(c, f, PI4_GPIO, 0x1000, 0, 0);
	fgpio_chip_close(c);

	char *g = th_regfile(dir, "gpiomem.bin", 0x1000);

	c = th_open_gpiomem("bcm2837", g);
	CHECK(c != NULL);
	if (c) {
		check_setclr(c, g, 1, GPSET0 + 4, GPCLR0 + 4, GPLEV0 + 4, 1u << 21);
		check_refusals(c, g, 0, 0x1000, 1, 1u << 22);
		fgpio_chip_close(c);
	}
	unlink(f);
	unlink(g);
	free(f);
	free(g);
}

static void test_am335x(void)
{
	char *f = th_regfile(dir, "am.bin", AM_FILE);

	for (unsigned b = 0; b < 4; b++)
		th_poke(f, am_clk[b], 0x2u);	/* MODULEMODE enabled, IDLEST functional */
	struct fgpio_chip *c = th_open_devmem("am335x", f);

	CHECK(c != NULL);
	if (!c)
		return;
	check_setclr(c, f, 1, AM_GPIO1 + AM_SET, AM_GPIO1 + AM_CLR, AM_GPIO1 + AM_DATAIN, 1u << 28);
	check_refusals(c, f, AM_GPIO1, 0x1000, 1, 0);
	fgpio_chip_close(c);
	unlink(f);
	free(f);
}

static void test_rp1(void)
{
	char *f = th_regfile(dir, "gpiomem0.bin", RP1_WINDOW);
	struct fgpio_chip *c = th_open_gpiomem("rp1", f);

	CHECK(c != NULL);
	if (!c)
		return;
	/* Bank 0 (28 lines) and bank 2 (20 lines, RIO at +0x8000). */
	check_setclr(c, f, 0, RP1_RIO + RP1_SET, RP1_RIO + RP1_CLR, RP1_RIO + RP1_IN, 1u << 27);
	check_setclr(c, f, 2, RP1_RIO + 0x8000 + RP1_SET, RP1_RIO + 0x8000 + RP1_CLR,
		     RP1_RIO + 0x8000 + RP1_IN, 1u << 19);
	check_refusals(c, f, 0, RP1_WINDOW, 1, 1u << 6);

	/* Timed edges are read back before their timestamp (posted PCIe writes). */
	const struct fgpio_wave_step w[] = { STEP(1, 0, 1000), STEP(0, 1, 1000) };
	struct fgpio_wave_stats st;

	CHECK(fgpio_chip_wave_play(c, 0, w, 2, 2, NULL, &st) == 0);
	CHECK(st.readback == 1 && st.timed_edges == 3);
	fgpio_chip_close(c);
	unlink(f);
	free(f);
}

/* RK3288 has no set/clear registers: every step is a read-modify-write of DR. */
static void test_rk3288(void)
{
	char *f = th_regfile(dir, "rk.bin", RK_FILE);
	struct fgpio_chip *c = th_open_devmem("rk3288", f);

	CHECK(c != NULL);
	if (!c)
		return;
	const struct fgpio_wave_step w[] = {
		STEP(0x0000000fu, 0x00000000u, 0), STEP(0x00000000u, 0x00000005u, 0),
		STEP(0x00800000u, 0x00000000u, 0), STEP(0, 0, 0),
	};
	struct fgpio_wave_stats st;

	/* GPIO0: 24 lines; bits 24-31 of DR are not lines and survive. */
	th_poke(f, RK_GPIO0 + RK_DR, 0xa5000030u);
	th_poke(f, RK_GPIO0 + RK_EXT, 0xffffffffu);
	CHECK(fgpio_chip_wave_play(c, 0, w, 4, 3, NULL, &st) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO0 + RK_DR), 0xa580003au);
	CHECK_EQ_U32(th_peek(f, RK_GPIO0 + RK_EXT), 0xffffffffu);
	CHECK(st.steps == 12 && st.readback == 0);

	uint32_t buf[3];

	CHECK(fgpio_chip_bank_sample(c, 0, buf, 3, NULL) == 0);
	CHECK_EQ_U32(buf[2], 0x00ffffffu);

	const struct fgpio_wave_step hi[] = { STEP(0x80000001u, 0, 0), STEP(0, 0x80000000u, 0) };

	th_poke(f, RK_GPIO5 + RK_DR, 0x00000100u);
	CHECK(fgpio_chip_wave_play(c, 5, hi, 2, 1, NULL, &st) == 0);
	CHECK_EQ_U32(th_peek(f, RK_GPIO5 + RK_DR), 0x00000101u);
	check_refusals(c, f, RK_GPIO0, 0x100, 0, 1u << 24);
	fgpio_chip_close(c);
	unlink(f);
	free(f);
}

/*
 * Repeat counts and the schedule: with absolute deadlines the run cannot end
 * before the sum of its delays, and every delay but the last one's is a
 * timed edge. (A lower bound that follows from the design, not a speed test.)
 */
/* Whether a thread of this process may switch itself to SCHED_FIFO @prio. */
static void *try_fifo(void *arg)
{
	struct sched_param p = { .sched_priority = *(int *)arg };

	*(int *)arg = pthread_setschedparam(pthread_self(), SCHED_FIFO, &p) == 0;
	return NULL;
}

static int may_take_fifo(int prio)
{
	pthread_t th;
	int v = prio;

	if (pthread_create(&th, NULL, try_fifo, &v) != 0)
		return -1;
	pthread_join(th, NULL);
	return v;
}

static void test_schedule(void)
{
	char *f = th_regfile(dir, "sched.bin", 0x1000);
	struct fgpio_chip *c = th_open_gpiomem("bcm2837", f);

	CHECK(c != NULL);
	if (!c)
		return;
	const struct fgpio_wave_step w[] = { STEP(1, 0, 2000), STEP(0, 1, 0), STEP(2, 0, 30000) };
	struct fgpio_wave_stats st;

	CHECK(fgpio_chip_wave_play(c, 0, w, 3, 4, NULL, &st) == 0);
	CHECK(st.steps == 12);
	CHECK(st.timed_edges == 7);	/* 2 per pass, minus the one after the very last step */
	CHECK(st.elapsed_ns >= 4u * 32000u);
	CHECK(st.late_p50_ns <= st.late_p99_ns && st.late_p99_ns <= st.late_max_ns);
	CHECK(st.cpu_pinned == 0 && st.fifo_applied == 0 && st.readback == 0);
	CHECK_EQ_U32(th_peek(f, GPSET0), 2);
	CHECK_EQ_U32(th_peek(f, GPCLR0), 1);

	/* Options: pinning to the current CPU works unprivileged; FIFO may be refused. */
	struct fgpio_wave_opts o;
	int policy_before, policy_after;
	struct sched_param sp;
	cpu_set_t before, after;
	int slack_before = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);

	CHECK(pthread_getschedparam(pthread_self(), &policy_before, &sp) == 0);
	CHECK(sched_getaffinity(0, sizeof(before), &before) == 0);
	fgpio_wave_opts_init(&o);
	CHECK(o.cpu == -1 && o.fifo_priority == 0 && o.spin_ns == 0);
	o.cpu = sched_getcpu();
	o.fifo_priority = 10;
	o.spin_ns = 1;
	CHECK(fgpio_chip_wave_play(c, 0, w, 3, 1, &o, &st) == 0);
	CHECK(st.cpu_pinned == 1 && st.cpu == o.cpu);
	CHECK(st.fifo_applied == may_take_fifo(10));	/* refused without CAP_SYS_NICE */
	CHECK(pthread_getschedparam(pthread_self(), &policy_after, &sp) == 0);
	CHECK(policy_after == policy_before);
	CHECK(sched_getaffinity(0, sizeof(after), &after) == 0);
	CHECK(CPU_EQUAL(&before, &after));
	CHECK(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0) == slack_before);

	/* Without catch-up the run still lasts at least the sum of its delays. */
	fgpio_wave_opts_init(&o);
	o.flags = FGPIO_WAVE_NO_CATCH_UP;
	CHECK(fgpio_chip_wave_play(c, 0, w, 3, 2, &o, &st) == 0);
	CHECK(st.steps == 6 && st.timed_edges == 3 && st.elapsed_ns >= 2u * 32000u);
	fgpio_chip_close(c);
	unlink(f);
	free(f);
}

/* ---- cancellation ---- */

struct player {
	pthread_t th;
	struct fgpio_chip *c;
	unsigned bank;
	const struct fgpio_wave_step *w;
	size_t n;
	unsigned repeat;
	struct fgpio_wave_opts o;
	struct fgpio_wave_stats st;
	int r;
	int walking;	/* w is one of the walking-one patterns below */
};

static void *play(void *arg)
{
	struct player *p = arg;

	p->r = fgpio_chip_wave_play(p->c, p->bank, p->w, p->n, p->repeat, &p->o, &p->st);
	return NULL;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Starts @p in a thread, waits for its first store (the word at @first_at
 * changes), lets it run ~@run_ms, cancels it (fgpio_chip_wave_cancel
 * returns 1 once the run is registered) and joins it. Step k of the 8-step
 * walking-one patterns below sets bit k and clears bit k-1 (mod 8), so the
 * set and clear words (or the data register) name the last completed step:
 * steps ran = stats.steps, last = (steps-1) % 8.
 * Returns the ns from the cancel to the join (printed, checked loosely).
 */
static uint64_t cancel_after(struct player *p, const char *f, uint64_t set_at, uint64_t clr_at,
			     uint64_t first_at, unsigned run_ms)
{
	struct timespec ts = { 0, (long)run_ms * 1000000L };
	int seen;

	th_poke(f, set_at, 0xdeadbeef);
	th_poke(f, clr_at, 0xdeadbeef);
	uint32_t before = th_peek(f, first_at);

	CHECK(pthread_create(&p->th, NULL, play, p) == 0);
	/* The clock starts at the first store: on a loaded machine (sanitizers,
	 * another job on the cores) the thread may start more than run_ms late,
	 * and a cancel before its first step would test nothing. */
	for (int i = 0; i < 200000 && th_peek(f, first_at) == before; i++)
		nanosleep(&(struct timespec){ 0, 50000 }, NULL);
	nanosleep(&ts, NULL);
	while ((seen = fgpio_chip_wave_cancel(p->c)) == 0)
		sched_yield();	/* not registered yet */
	uint64_t t0 = now_ns();

	pthread_join(p->th, NULL);
	uint64_t dt = now_ns() - t0;

	CHECK(seen == 1);
	CHECK(p->r == 0);
	CHECK(p->st.cancelled == 1);
	CHECK(p->st.steps < (uint64_t)p->n * p->repeat);	/* it did not play to the end */
	if (p->st.steps == 0) {
		CHECK_EQ_U32(th_peek(f, set_at), 0xdeadbeef);	/* cancelled before its first store */
	} else if (p->walking) {
		unsigned last = (unsigned)((p->st.steps - 1) % 8u);

		CHECK_EQ_U32(th_peek(f, set_at), 1u << last);
		CHECK_EQ_U32(th_peek(f, clr_at), 1u << ((last + 7) % 8u));
	}
	CHECK(dt < 2000000000ull);	/* loose: the design bound is FGPIO_WAVE_CANCEL_NS */
	return dt;
}

#define WALK(k, d) STEP(1u << (k), 1u << (((k) + 7) % 8), (d))
static const struct fgpio_wave_step pattern_timed[8] = {
	WALK(0, 2000000), WALK(1, 2000000), WALK(2, 2000000), WALK(3, 2000000),
	WALK(4, 2000000), WALK(5, 2000000), WALK(6, 2000000), WALK(7, 2000000),
};
static const struct fgpio_wave_step pattern_fast[8] = {
	WALK(0, 0), WALK(1, 0), WALK(2, 0), WALK(3, 0), WALK(4, 0), WALK(5, 0), WALK(6, 0), WALK(7, 0),
};

static void test_cancel(void)
{
	char *f = th_regfile(dir, "cancel.bin", PI4_GPIO + 0x1000);
	struct fgpio_chip *c = th_open_devmem("bcm2711", f);
	struct player p;
	uint64_t dt[5] = { 0 };

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_ERR(fgpio_chip_wave_cancel(NULL), EINVAL);
	CHECK(fgpio_chip_wave_cancel(c) == 0);	/* nothing running */

	/* Timed steps (2 ms each, 16 s in all): cut in a sleep or a busy-wait. */
	memset(&p, 0, sizeof(p));
	p.c = c;
	p.w = pattern_timed;
	p.n = 8;
	p.repeat = 1000;
	p.walking = 1;
	fgpio_wave_opts_init(&p.o);
	dt[0] = cancel_after(&p, f, PI4_GPIO + GPSET0, PI4_GPIO + GPCLR0, PI4_GPIO + GPSET0, 30);
	CHECK(p.st.steps >= 1 && p.st.timed_edges + 1 == p.st.steps);

	/* Zero delays, repeat up to UINT_MAX: cut in the store loop, between two steps. */
	p.w = pattern_fast;
	p.repeat = UINT_MAX;
	dt[1] = cancel_after(&p, f, PI4_GPIO + GPSET0, PI4_GPIO + GPCLR0, PI4_GPIO + GPSET0, 30);
	CHECK(p.st.timed_edges == 0);

	/* One 30 s delay: sleeps are sliced, so the cancel is seen well before. */
	static const struct fgpio_wave_step one[2] = { STEP(1u, 0, 30000000u * 100u), STEP(0, 1u, 0) };

	p.w = one;
	p.n = 2;
	p.repeat = 1;
	p.walking = 0;
	dt[2] = cancel_after(&p, f, PI4_GPIO + GPSET0, PI4_GPIO + GPCLR0, PI4_GPIO + GPSET0, 30);
	CHECK(p.st.steps == 1);
	CHECK_EQ_U32(th_peek(f, PI4_GPIO + GPSET0), 1u);
	CHECK_EQ_U32(th_peek(f, PI4_GPIO + GPCLR0), 0xdeadbeef);	/* step 1 never ran */

	/* The same delay busy-waited whole (spin_ns covers it). */
	p.o.spin_ns = 0xffffffffu;
	dt[3] = cancel_after(&p, f, PI4_GPIO + GPSET0, PI4_GPIO + GPCLR0, PI4_GPIO + GPSET0, 30);
	CHECK(p.st.steps == 1);
	CHECK_EQ_U32(th_peek(f, PI4_GPIO + GPCLR0), 0xdeadbeef);

	/* A cancel is not sticky: the next wave plays whole. */
	struct fgpio_wave_stats st;

	CHECK(fgpio_chip_wave_play(c, 0, pattern_fast, 8, 3, NULL, &st) == 0);
	CHECK(st.cancelled == 0 && st.steps == 24);
	CHECK_EQ_U32(th_peek(f, PI4_GPIO + GPSET0), 1u << 7);
	CHECK_EQ_U32(th_peek(f, PI4_GPIO + GPCLR0), 1u << 6);

	/* close() from another thread's point of view: it cancels the run, then unmaps. */
	fgpio_wave_opts_init(&p.o);
	p.w = pattern_timed;
	p.n = 8;
	p.repeat = 1000;
	CHECK(pthread_create(&p.th, NULL, play, &p) == 0);
	while (!(__atomic_load_n(&c->wave_ctl, __ATOMIC_SEQ_CST) & FGPIO_WAVE_RUNNING_MASK))
		sched_yield();
	uint64_t t0 = now_ns();

	fgpio_chip_close(c);
	pthread_join(p.th, NULL);
	uint64_t close_ns = now_ns() - t0;

	CHECK(p.r == 0 && p.st.cancelled == 1 && p.st.steps < 8000u);
	CHECK(close_ns < 2000000000ull);

	/* RK3288: every step a locked read-modify-write of DR, cut the same way. */
	char *g = th_regfile(dir, "cancel-rk.bin", RK_FILE);

	c = th_open_devmem("rk3288", g);
	CHECK(c != NULL);
	if (c) {
		memset(&p, 0, sizeof(p));
		p.c = c;
		p.bank = 5;
		p.w = pattern_fast;
		p.n = 8;
		p.repeat = UINT_MAX;
		p.walking = 0;	/* no set/clear words: the data register tells */
		fgpio_wave_opts_init(&p.o);
		th_poke(g, RK_GPIO5 + RK_DR, 0xa5a50000u);
		dt[4] = cancel_after(&p, g, RK_GPIO5 + 0x1000, RK_GPIO5 + 0x1004,	/* unused words */
				     RK_GPIO5 + RK_DR, 30);
		CHECK(p.st.steps > 0);
		if (p.st.steps > 0) {
			unsigned last = (unsigned)((p.st.steps - 1) % 8u);

			/* One lit bit, the last step's; bits beyond the pattern untouched. */
			CHECK_EQ_U32(th_peek(g, RK_GPIO5 + RK_DR), 0xa5a50000u | (1u << last));
		}
		fgpio_chip_close(c);
	}
	printf("cancel to return: timed %.3f ms, zero-delay %.3f ms, long sleep %.3f ms, long spin "
	       "%.3f ms, rk3288 %.3f ms; close with a wave %.3f ms\n", dt[0] / 1e6, dt[1] / 1e6,
	       dt[2] / 1e6, dt[3] / 1e6, dt[4] / 1e6, close_ns / 1e6);
	unlink(f);
	unlink(g);
	free(f);
	free(g);
}

/* Reserved options must be NULL: the run fails before anything is stored. */
static void test_reserved_opts(void)
{
	char *f = th_regfile(dir, "reserved.bin", 0x1000);
	struct fgpio_chip *c = th_open_gpiomem("bcm2837", f);
	const struct fgpio_wave_step ok[] = { STEP(1, 0, 0), STEP(0, 1, 0) };
	struct fgpio_wave_opts o;
	struct fgpio_wave_stats st;

	CHECK(c != NULL);
	if (!c)
		return;
	th_fill(f, 0, 0x1000, 0x5a5a5a5a);
	unsigned char *snap = th_snapshot(f, 0, 0x1000);

	for (int k = 0; k < 4; k++) {
		fgpio_wave_opts_init(&o);
		o.reserved[k] = &o;
		CHECK_ERR(fgpio_chip_wave_play(c, 0, ok, 2, 1, &o, &st), EINVAL);
		CHECK(strstr(fgpio_last_error(), "reserved") != NULL);
		CHECK(st.steps == 0 && st.cancelled == 0);
	}
	CHECK(th_unchanged(f, 0, 0x1000, snap));
	fgpio_wave_opts_init(&o);
	CHECK(fgpio_chip_wave_play(c, 0, ok, 2, 1, &o, &st) == 0 && st.steps == 2);
	free(snap);
	fgpio_chip_close(c);
	unlink(f);
	free(f);
}

int main(void)
{
	dir = th_tmpdir();
	test_reserved_opts();
	test_cancel();
	test_bcm();
	test_am335x();
	test_rp1();
	test_rk3288();
	test_schedule();
	rmdir(dir);
	free(dir);
	return th_done("test_wave");
}
