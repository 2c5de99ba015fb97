/* SPDX-License-Identifier: MIT */
/*
 * tests/c/test_stress.c - thread stress of the read-modify-write paths.
 *
 * 8 threads x 100 000 operations (FGPIO_STRESS_OPS overrides the count) on
 * registers every thread shares, in register-file mode:
 *   - BCM2711 GPFSEL1: lines 10-17 share one function-select word; thread t
 *     alternates line 10+t between out and in with fgpio_chip_set_func();
 *   - RK3288 GPIO5 data register: no set/clear registers, so every write is a
 *     read-modify-write of one word; thread t toggles line GPIO5_B<t> (160+t)
 *     with fgpio_chip_write().
 * A lost update (one thread's stale read written back over another's field)
 * shows in two ways, both counted: a thread reading back its own field right
 * after writing it finds another value (no other thread ever writes that
 * field on purpose), and the final word differs from the one computed from
 * each thread's last operation. Both counts must be zero; the fields of
 * lines 18/19 and the bits outside the 8 lines must keep their pattern.
 */
#include <pthread.h>

#include "harness.h"
#include "internal.h"

#define NTHREADS 8

#define BCM_GPIO 0xFE200000ull		/* BCM2711 GPIO: table default base 0xFE000000 + 0x200000 */
#define BCM_GPFSEL1 (BCM_GPIO + 0x04)	/* lines 10-19, 3 bits each */
#define RK_GPIO5 0xff7c0000ull		/* RK3288 GPIO5 (rk3288.dtsi gpio5@ff7c0000) */
#define RK_FILE_SIZE 0xff800000ull
#define RK_LINE0 160u			/* GPIO5_B0 = 24 + 32*4 + 8 */

static long nops = 100000;
/* All threads start together, so their operations overlap from the first one. */
static pthread_barrier_t start;

struct worker {
	pthread_t th;
	struct fgpio_chip *chip;
	unsigned idx;
	long mismatches;
	long errors;
	int last;	/* last value / function written */
	volatile uint32_t *word;	/* RK: the data register (read back directly) */
};

static void *bcm_worker(void *arg)
{
	struct worker *w = arg;
	unsigned line = 10 + w->idx;

	pthread_barrier_wait(&start);
	for (long i = 0; i < nops; i++) {
		/* Odd threads end on out, even ones on in: a varied final word. */
		enum fgpio_func f = ((i + w->idx) & 1) ? FGPIO_FUNC_IN : FGPIO_FUNC_OUT;

		if (fgpio_chip_set_func(w->chip, line, f)) {
			w->errors++;
			continue;
		}
		if (fgpio_chip_get_func(w->chip, line) != (int)f)
			w->mismatches++;
		w->last = (int)f;
	}
	return NULL;
}

static void *rk_worker(void *arg)
{
	struct worker *w = arg;
	unsigned line = RK_LINE0 + w->idx;
	uint32_t bit = 1u << (8 + w->idx);

	pthread_barrier_wait(&start);
	for (long i = 0; i < nops; i++) {
		int v = (int)((i + w->idx) & 1);

		if (fgpio_chip_write(w->chip, line, v)) {
			w->errors++;
			continue;
		}
		if (((*w->word & bit) != 0) != v)
			w->mismatches++;
		w->last = v;
	}
	return NULL;
}

static void run(struct fgpio_chip *c, void *(*fn)(void *), volatile uint32_t *word,
		struct worker *w)
{
	pthread_barrier_init(&start, NULL, NTHREADS);
	for (unsigned t = 0; t < NTHREADS; t++) {
		w[t].chip = c;
		w[t].idx = t;
		w[t].mismatches = w[t].errors = 0;
		w[t].last = -1;
		w[t].word = word;
		if (pthread_create(&w[t].th, NULL, fn, &w[t]) != 0) {
			perror("pthread_create");
			exit(2);
		}
	}
	for (unsigned t = 0; t < NTHREADS; t++)
		pthread_join(w[t].th, NULL);
	pthread_barrier_destroy(&start);
}

static void test_bcm_fsel(const char *dir)
{
	char *f = th_regfile(dir, "bcm2711.bin", BCM_GPIO + 0x1000);
	/* Lines 18 and 19 (bits 24-29) and the two spare bits hold a pattern. */
	const uint32_t pattern = 0xEDB6DB6Du;	/* 11 101 101 ... */

	th_poke(f, BCM_GPFSEL1, pattern);
	struct fgpio_chip *c = th_open_devmem("bcm2711", f);

	CHECK(c != NULL);
	if (!c)
		return;
	struct worker w[NTHREADS];

	run(c, bcm_worker, NULL, w);
	uint32_t want = pattern & ~0x00ffffffu;
	long lost = 0, errs = 0;

	for (unsigned t = 0; t < NTHREADS; t++) {
		/* fsel codes: in 000, out 001 (BCM2711 ARM peripherals 5.2 GPFSELn) */
		want |= (uint32_t)(w[t].last == FGPIO_FUNC_OUT ? 1u : 0u) << (3 * t);
		lost += w[t].mismatches;
		errs += w[t].errors;
	}
	uint32_t got = th_peek(f, BCM_GPFSEL1);

	printf("stress bcm2711 GPFSEL1: %d threads x %ld set_func, errors %ld, read-back mismatches "
	       "%ld, final 0x%08x (want 0x%08x)\n", NTHREADS, nops, errs, lost, got, want);
	printf("STRESS_LOST bcm2711 %ld\n", lost + (got != want));
	CHECK(errs == 0);
	CHECK(lost == 0);
	CHECK_EQ_U32(got, want);
	fgpio_chip_close(c);
	free(f);
}

static void test_rk_dr(const char *dir)
{
	char *f = th_regfile(dir, "rk3288.bin", RK_FILE_SIZE);
	const uint32_t pattern = 0xA5A5005Au;	/* bits 8-15 (the 8 lines) start at 0 */

	th_poke(f, RK_GPIO5, pattern);
	struct fgpio_config cfg;

	fgpio_config_init(&cfg);
	cfg.soc = "rk3288";
	cfg.devmem = f;
	cfg.dt_root = "/nonexistent-device-tree";
	struct fgpio_chip *c = fgpio_chip_open(&cfg);

	CHECK(c != NULL);
	if (!c) {
		fprintf(stderr, "rk3288 open: %s\n", fgpio_last_error());
		return;
	}
	unsigned bank = c->line_bank[RK_LINE0];
	volatile uint32_t *dr = fgpio_reg(c, c->soc->banks[bank].block, 0);

	CHECK(bank == 5 && c->line_bit[RK_LINE0] == 8 && dr != NULL);
	if (!dr) {
		fgpio_chip_close(c);
		return;
	}
	struct worker w[NTHREADS];

	run(c, rk_worker, dr, w);
	uint32_t want = pattern;
	long lost = 0, errs = 0;

	for (unsigned t = 0; t < NTHREADS; t++) {
		if (w[t].last == 1)
			want |= 1u << (8 + t);
		lost += w[t].mismatches;
		errs += w[t].errors;
	}
	uint32_t got = th_peek(f, RK_GPIO5);

	printf("stress rk3288 GPIO5 DR: %d threads x %ld write, errors %ld, read-back mismatches "
	       "%ld, final 0x%08x (want 0x%08x)\n", NTHREADS, nops, errs, lost, got, want);
	printf("STRESS_LOST rk3288 %ld\n", lost + (got != want));
	CHECK(errs == 0);
	CHECK(lost == 0);
	CHECK_EQ_U32(got, want);
	fgpio_chip_close(c);
	free(f);
}

int main(void)
{
	const char *e = getenv("FGPIO_STRESS_OPS");

	if (e && atol(e) > 0)
		nops = atol(e);
	char *dir = th_tmpdir();

	test_bcm_fsel(dir);
	test_rk_dr(dir);
	free(dir);
	return th_done("stress");
}
