/* SPDX-License-Identifier: MIT */
/*
 * benchmarks/c_fastpath.c - store rates from C on one mapping:
 *   raw       a hand-written loop of volatile stores to the set/clear registers
 *   fastpath  fgpio_line_on()/fgpio_line_off() (the header's inline fast path)
 *   wave      fgpio_chip_wave_play() with zero delays (one store per step)
 * and the ratios fastpath/raw (target >= 0.95) and wave/raw (target >= 0.5).
 * Runs are interleaved (raw, fastpath, local, wave, raw, ...); medians are compared.
 *
 * Usage: c_fastpath [--soc NAME --regfile PATH | --hw] [--line N] [--n N] [--repeats N]
 *   --hw       open the real chip (device-tree detection, /dev/gpiomem or /dev/mem)
 *   default    a temporary BCM2711 register file (host: the "registers" are page cache,
 *              which is fine for the ratios, not for absolute rates)
 * The line is not switched to output: on hardware, set it up first (e.g.
 * `pinctrl set 17 op` or fastgpio) to see the toggling on a scope.
 * Prints numbers only; it asserts nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fastgpio.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Stores per second of each loop: n iterations of one on and one off. */
__attribute__((noinline)) static double run_raw(volatile uint32_t *set, volatile uint32_t *clr,
						uint32_t mask, uint64_t n)
{
	uint64_t t0 = now_ns();

	for (uint64_t i = 0; i < n; i++) {
		*set = mask;
		*clr = mask;
	}
	return 2.0 * (double)n * 1e9 / (double)(now_ns() - t0);
}

__attribute__((noinline)) static double run_fastpath(const struct fgpio_line *l, uint64_t n)
{
	uint64_t t0 = now_ns();

	for (uint64_t i = 0; i < n; i++) {
		fgpio_line_on(l);
		fgpio_line_off(l);
	}
	return 2.0 * (double)n * 1e9 / (double)(now_ns() - t0);
}

/* The same with the handle copied into a local: its fields then stay in registers. */
__attribute__((noinline)) static double run_fastpath_local(const struct fgpio_line *lp, uint64_t n)
{
	const struct fgpio_line l = *lp;
	uint64_t t0 = now_ns();

	for (uint64_t i = 0; i < n; i++) {
		fgpio_line_on(&l);
		fgpio_line_off(&l);
	}
	return 2.0 * (double)n * 1e9 / (double)(now_ns() - t0);
}

static double run_wave(struct fgpio_chip *c, unsigned bank, const struct fgpio_wave_step *w,
		       size_t nsteps, unsigned repeat)
{
	struct fgpio_wave_stats st;

	if (fgpio_chip_wave_play(c, bank, w, nsteps, repeat, NULL, &st)) {
		fprintf(stderr, "wave: %s\n", fgpio_last_error());
		exit(1);
	}
	return (double)st.steps * 1e9 / (double)(st.elapsed_ns ? st.elapsed_ns : 1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void report(const char *name, double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	printf("%-34s median %9.2f M stores/s  (min %.2f, max %.2f, %d runs)\n", name,
	       v[n / 2] / 1e6, v[0] / 1e6, v[n - 1] / 1e6, n);
}

int main(int argc, char **argv)
{
	const char *soc = NULL, *regfile = NULL;
	int hw = 0, repeats = 11;
	unsigned line = 17;
	uint64_t n = 20000000;
	char tmp[] = "/tmp/fgpio-bench-XXXXXX";

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--soc") && i + 1 < argc)
			soc = argv[++i];
		else if (!strcmp(argv[i], "--regfile") && i + 1 < argc)
			regfile = argv[++i];
		else if (!strcmp(argv[i], "--hw"))
			hw = 1;
		else if (!strcmp(argv[i], "--line") && i + 1 < argc)
			line = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--n") && i + 1 < argc)
			n = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--repeats") && i + 1 < argc)
			repeats = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: %s [--soc NAME --regfile PATH | --hw] [--line N] [--n N] "
				"[--repeats N]\n", argv[0]);
			return 2;
		}
	}
	if (repeats < 1 || repeats > 99 || n < 1) {
		fprintf(stderr, "--repeats 1..99, --n >= 1\n");
		return 2;
	}
	struct fgpio_config cfg;

	fgpio_config_init(&cfg);
	if (!hw) {
		if (!regfile) {
			int fd = mkstemp(tmp);

			if (fd < 0 || ftruncate(fd, 0xFE201000) != 0) {
				perror(tmp);
				return 1;
			}
			close(fd);
			regfile = tmp;
			soc = "bcm2711";
		}
		cfg.soc = soc;
		cfg.devmem = regfile;
		cfg.dt_root = "/nonexistent-device-tree";
	}
	struct fgpio_chip *c = fgpio_chip_open(&cfg);

	if (!c) {
		fprintf(stderr, "open: %s\n", fgpio_last_error());
		if (regfile == tmp)
			unlink(tmp);
		return 1;
	}
	struct fgpio_chip_info info;
	struct fgpio_line l;

	fgpio_chip_get_info(c, &info);
	if (fgpio_line_init(c, line, &l)) {
		fprintf(stderr, "line %u: %s\n", line, fgpio_last_error());
		return 1;
	}
	printf("c_fastpath: soc %s, backend %s, device %s%s, line %u, %llu on/off pairs per run\n",
	       info.soc, info.backend, info.device, regfile ? " (register file: page cache)" : "",
	       line, (unsigned long long)n);
	if (!l.set_reg) {
		printf("%s has no set/clear registers: the fast path is a locked read-modify-write; "
		       "no raw store loop to compare with\n", info.soc);
		return 0;
	}
	/* Wave: alternate set/clear of the line's bit, 4096 steps per pass. */
	unsigned bank = 0, first = 0, count = 0;

	for (unsigned b = 0; b < info.num_banks; b++)
		if (fgpio_chip_bank_lines(c, b, &first, &count) == 0 && line >= first &&
		    line < first + count)
			bank = b;
	fgpio_chip_bank_lines(c, bank, &first, &count);
	enum { WSTEPS = 4096 };
	static struct fgpio_wave_step w[WSTEPS];

	for (unsigned i = 0; i < WSTEPS; i++) {
		w[i].set_mask = (i & 1) ? 0 : l.mask;
		w[i].clr_mask = (i & 1) ? l.mask : 0;
		w[i].delay_ns = 0;
	}
	unsigned wrepeat = (unsigned)((2 * n + WSTEPS - 1) / WSTEPS);
	double raw[99], fast[99], local[99], wave[99];

	/* One CPU for every run: migrations add noise, not information. */
	cpu_set_t one;
	int cpu = sched_getcpu();

	CPU_ZERO(&one);
	if (cpu >= 0) {
		CPU_SET((size_t)cpu, &one);
		(void)sched_setaffinity(0, sizeof(one), &one);
	}
	/* Warm up, then interleave so drift hits every method alike. */
	run_raw(l.set_reg, l.clr_reg, l.mask, n / 10 + 1);
	run_fastpath(&l, n / 10 + 1);
	for (int r = 0; r < repeats; r++) {
		raw[r] = run_raw(l.set_reg, l.clr_reg, l.mask, n);
		fast[r] = run_fastpath(&l, n);
		local[r] = run_fastpath_local(&l, n);
		wave[r] = run_wave(c, bank, w, WSTEPS, wrepeat);
	}
	double best_raw = 0, best_fast = 0, best_local = 0, best_wave = 0;

	for (int r = 0; r < repeats; r++) {
		best_raw = raw[r] > best_raw ? raw[r] : best_raw;
		best_fast = fast[r] > best_fast ? fast[r] : best_fast;
		best_local = local[r] > best_local ? local[r] : best_local;
		best_wave = wave[r] > best_wave ? wave[r] : best_wave;
	}
	report("raw volatile store loop", raw, repeats);
	report("fgpio_line_on/off (inline)", fast, repeats);
	report("fgpio_line_on/off (local handle)", local, repeats);
	report("fgpio_chip_wave_play, 0 delays", wave, repeats);
	printf("raw_stores_per_s %.0f\n", raw[repeats / 2]);
	printf("fastpath/raw ratio %.3f (target >= 0.95; handle through a pointer)\n",
	       fast[repeats / 2] / raw[repeats / 2]);
	printf("fastpath_local/raw ratio %.3f (handle copied to a local)\n",
	       local[repeats / 2] / raw[repeats / 2]);
	printf("wave/raw ratio %.3f (target >= 0.5)\n", wave[repeats / 2] / raw[repeats / 2]);
	printf("best-run ratios: fastpath %.3f, fastpath_local %.3f, wave %.3f\n", best_fast / best_raw,
	       best_local / best_raw, best_wave / best_raw);
	fgpio_chip_close(c);
	if (regfile == tmp)
		unlink(tmp);
	return 0;
}
