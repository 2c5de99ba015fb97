/* SPDX-License-Identifier: MIT */
/*
 * tests/c/test_badinput.c - the bad-input table of the C API.
 *
 * Every public function (each FGPIO_API prototype of include/fastgpio.h has a
 * COVER() entry below; tests/test_bad_inputs.py fails when one is missing) is
 * called with out-of-range lines and banks, huge and "negative" (wrapped)
 * numbers, bad enums, NULL pointers and names of another SoC's style, on a
 * chip of every register family, each in register-file mode. Each call must
 * fail with the documented errno, and the whole register file - every data
 * extent of the sparse file, hashed - must be byte-for-byte unchanged.
 * (The generic checks of tests/c/test_core.c are not repeated one by one;
 * this table runs the same classes of input on every family.)
 */
#define _GNU_SOURCE	/* SEEK_DATA, SEEK_HOLE */
#include <limits.h>

#include "harness.h"

/* ---- which public functions this table covers (checked against the header) ---- */
#define COVER(fn) #fn
static const char *const covered[] = {
	COVER(fgpio_config_init),	COVER(fgpio_chip_open),		COVER(fgpio_chip_close),
	COVER(fgpio_chip_get_info),	COVER(fgpio_chip_num_lines),	COVER(fgpio_chip_num_banks),
	COVER(fgpio_chip_bank_lines),	COVER(fgpio_chip_set),		COVER(fgpio_chip_clear),
	COVER(fgpio_chip_write),	COVER(fgpio_chip_read),		COVER(fgpio_chip_bank_write),
	COVER(fgpio_chip_bank_read),	COVER(fgpio_chip_set_func),	COVER(fgpio_chip_get_func),
	COVER(fgpio_chip_set_pull),	COVER(fgpio_chip_get_pull),	COVER(fgpio_chip_find_line),
	COVER(fgpio_last_error),	COVER(fgpio_soc_names),		COVER(fgpio_func_name),
	COVER(fgpio_pull_name),		COVER(fgpio_chip_num_header_pins), COVER(fgpio_chip_header_pin),
	COVER(fgpio_line_init),		COVER(fgpio_wave_opts_init),	COVER(fgpio_chip_wave_play),
	COVER(fgpio_chip_bank_sample),	COVER(fgpio_chip_watch),	COVER(fgpio_chip_unwatch),
	COVER(fgpio_chip_event_read),	COVER(fgpio_chip_event_cancel),	COVER(fgpio_chip_line_owner),
	COVER(fgpio_chip_check_func),	COVER(fgpio_chip_get_input_enable), COVER(fgpio_chip_wave_cancel),
	COVER(fgpio_chip_get_soc_info),	COVER(fgpio_chip_watching),	COVER(fgpio_version),	/* no arguments */
	COVER(fgpio_chip_pwm_find),	COVER(fgpio_chip_pwm_apply),	COVER(fgpio_chip_pwm_get_state),
};

/* FNV-1a over every data extent (offset and bytes) of a sparse file. */
static uint64_t file_digest(const char *path)
{
	uint64_t h = 1469598103934665603ull;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t size, off = 0;
	static unsigned char buf[1 << 16];

	if (fd < 0) {
		perror(path);
		exit(2);
	}
	size = lseek(fd, 0, SEEK_END);
	while (off < size) {
		off_t start = lseek(fd, off, SEEK_DATA);

		if (start < 0)
			break;
		off_t end = lseek(fd, start, SEEK_HOLE);

		for (off_t pos = start; pos < end;) {
			size_t want = (size_t)(end - pos) < sizeof(buf) ? (size_t)(end - pos) : sizeof(buf);
			ssize_t got = pread(fd, buf, want, pos);

			if (got <= 0)
				break;
			for (ssize_t i = 0; i < got; i++) {
				/* zero bytes hash with their offset only when non-zero: holes == zeros */
				if (buf[i]) {
					uint64_t o = (uint64_t)(pos + i);

					h = (h ^ (o & 0xff)) * 1099511628211ull;
					h = (h ^ ((o >> 8) & 0xffffffff)) * 1099511628211ull;
					h = (h ^ buf[i]) * 1099511628211ull;
				}
			}
			pos += got;
		}
		off = end;
	}
	close(fd);
	return h;
}

struct layout {
	const char *soc;
	int gpiomem;
	uint64_t size;
	uint64_t fill_at[4];	/* register pages given a pattern before the calls */
	const char *foreign[4];	/* names of other SoCs' styles, invalid here */
};

static const struct layout layouts[] = {
	{ "bcm2711", 0, 0xFE201000ull, { 0xFE200000ull }, { "P9_12", "GPIO1_28", "GPIO5_B0", "GPIO58" } },
	{ "bcm2837", 1, 0x1000ull, { 0x0 }, { "P8_07", "GPIO0_C7", "GPIO54", "BOARD41" } },
	{ "am335x", 0, 0x481AF000ull, { 0x44E07000ull, 0x4804C000ull, 0x481AC000ull, 0x481AE000ull },
	  { "BOARD11", "GPIO5_B0", "GPIO4_0", "GPIO128" } },
	{ "rk3288", 0, 0xFF800000ull, { 0xFF750000ull, 0xFF780000ull, 0xFF7C0000ull, 0xFF770000ull },
	  { "P9_12", "GPIO1_32", "GPIO9_A0", "GPIO0_D0" } },
	{ "rp1", 1, 0x30000ull, { 0x0, 0x10000, 0x20000 }, { "P9_12", "GPIO5_B0", "GPIO54", "BOARD41" } },
};

#define EXPECT_UNCHANGED(f, h) CHECK(file_digest(f) == (h))

static void fill(const char *f, const struct layout *l)
{
	for (unsigned i = 0; i < 4; i++)
		if (l->fill_at[i] || i == 0)
			th_fill(f, l->fill_at[i], 0x400, 0x5a5a5a5au ^ (uint32_t)i);
}

/*
 * fgpio_chip_check_func answers what fgpio_chip_set_func then does, on every
 * line and function: the same result, errno and message (set_func writes).
 */
static void check_func_agrees(const struct layout *l, struct fgpio_chip *c)
{
	unsigned n = fgpio_chip_num_lines(c), refused = 0;

	for (unsigned line = 0; line < n; line++) {
		for (int fn = 0; fn < FGPIO_FUNC_COUNT; fn++) {
			char msg[512];

			errno = 0;
			int r1 = fgpio_chip_check_func(c, line, (enum fgpio_func)fn), e1 = errno;

			snprintf(msg, sizeof(msg), "%s", fgpio_last_error());
			errno = 0;
			int r2 = fgpio_chip_set_func(c, line, (enum fgpio_func)fn), e2 = errno;
			int same = r1 == r2 && (r1 == 0 || (e1 == e2 && strcmp(msg, fgpio_last_error()) == 0));

			if (!same)
				fprintf(stderr, "%s line %u func %d: check %d/%d \"%s\", set %d/%d \"%s\"\n",
					l->soc, line, fn, r1, e1, msg, r2, e2, fgpio_last_error());
			CHECK(same);
			refused += r1 != 0;
		}
	}
	CHECK(refused > 0);	/* every family refuses something (NONE at least) */
}

static void run_layout(const char *dir, const struct layout *l)
{
	char *f = th_regfile(dir, l->soc, l->size);

	fill(f, l);
	uint64_t h0 = file_digest(f);
	struct fgpio_chip *c = l->gpiomem ? th_open_gpiomem(l->soc, f) : th_open_devmem(l->soc, f);

	CHECK(c != NULL);
	if (!c) {
		fprintf(stderr, "%s: %s\n", l->soc, fgpio_last_error());
		free(f);
		return;
	}
	/* Opening may legitimately write (AM335x/RK3288 clock enables): compare from here on. */
	uint64_t h = file_digest(f);

	(void)h0;
	unsigned n = fgpio_chip_num_lines(c), nb = fgpio_chip_num_banks(c);
	const unsigned bad_lines[] = { n, n + 1, 511, 512, 4096, 0x7fffffffu, 0x80000000u, UINT_MAX,
				       (unsigned)-1 };
	const int bad_funcs[] = { -1, FGPIO_FUNC_NONE, FGPIO_FUNC_COUNT, 99, INT_MAX, INT_MIN };
	const int bad_pulls[] = { -1, FGPIO_PULL_COUNT, 99, INT_MAX, INT_MIN };
	struct fgpio_line handle;
	uint32_t v;
	unsigned first, count;

	CHECK(n > 0 && nb > 0);
	for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		unsigned line = bad_lines[i];

		CHECK_ERR(fgpio_chip_set(c, line), EINVAL);
		CHECK_ERR(fgpio_chip_clear(c, line), EINVAL);
		CHECK_ERR(fgpio_chip_write(c, line, 1), EINVAL);
		CHECK_ERR(fgpio_chip_write(c, line, 0), EINVAL);
		CHECK_ERR(fgpio_chip_read(c, line), EINVAL);
		CHECK_ERR(fgpio_chip_set_func(c, line, FGPIO_FUNC_OUT), EINVAL);
		CHECK_ERR(fgpio_chip_check_func(c, line, FGPIO_FUNC_OUT), EINVAL);
		CHECK_ERR(fgpio_chip_get_func(c, line), EINVAL);
		CHECK_ERR(fgpio_chip_set_pull(c, line, FGPIO_PULL_UP), EINVAL);
		CHECK_ERR(fgpio_chip_get_pull(c, line), EINVAL);
		CHECK_ERR(fgpio_chip_get_input_enable(c, line), EINVAL);
		CHECK_ERR(fgpio_line_init(c, line, &handle), EINVAL);
		/* bank numbers reuse the same huge values */
		CHECK_ERR(fgpio_chip_bank_write(c, nb + line % 7, 1, 1), EINVAL);
		CHECK_ERR(fgpio_chip_bank_write(c, line, 1, 1), EINVAL);
		CHECK_ERR(fgpio_chip_bank_read(c, line, &v), EINVAL);
		CHECK_ERR(fgpio_chip_bank_lines(c, line, &first, &count), EINVAL);
		CHECK_ERR(fgpio_chip_header_pin(c, line, NULL, NULL), EINVAL);
	}
	for (size_t i = 0; i < sizeof(bad_funcs) / sizeof(bad_funcs[0]); i++) {
		CHECK_ERR(fgpio_chip_set_func(c, 0, (enum fgpio_func)bad_funcs[i]), EINVAL);
		CHECK_ERR(fgpio_chip_check_func(c, 0, (enum fgpio_func)bad_funcs[i]), EINVAL);
	}
	/* check_func on every line and function writes nothing, whatever it answers. */
	for (unsigned line = 0; line < n; line++)
		for (int fn = 0; fn < FGPIO_FUNC_COUNT; fn++)
			(void)fgpio_chip_check_func(c, line, (enum fgpio_func)fn);
	for (size_t i = 0; i < sizeof(bad_pulls) / sizeof(bad_pulls[0]); i++)
		CHECK_ERR(fgpio_chip_set_pull(c, 0, (enum fgpio_pull)bad_pulls[i]), EINVAL);
	/* Masks naming lines a bank does not have, NULL out-pointers. */
	for (unsigned b = 0; b < nb; b++) {
		CHECK(fgpio_chip_bank_lines(c, b, &first, &count) == 0);
		if (count < 32) {
			CHECK_ERR(fgpio_chip_bank_write(c, b, 1u << count, 0), EINVAL);
			CHECK_ERR(fgpio_chip_bank_write(c, b, 0xffffffffu, 0xffffffffu), EINVAL);
		}
		CHECK_ERR(fgpio_chip_bank_read(c, b, NULL), EINVAL);
		CHECK(fgpio_chip_bank_write(c, b, 0, 0xffffffffu) == 0);	/* empty mask: no access */
	}
	CHECK_ERR(fgpio_chip_get_info(c, NULL), EINVAL);
	CHECK_ERR(fgpio_chip_get_soc_info(c, NULL), EINVAL);
	CHECK_ERR(fgpio_line_init(c, 0, NULL), EINVAL);
	/* Edge events: bad lines and edges first; a register file has no kernel to ask. */
	{
		struct fgpio_event ev;
		char who[16];

		for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
			CHECK_ERR(fgpio_chip_watch(c, bad_lines[i], FGPIO_EDGE_BOTH, 0), EINVAL);
			CHECK_ERR(fgpio_chip_unwatch(c, bad_lines[i]), EINVAL);
			CHECK_ERR(fgpio_chip_watching(c, bad_lines[i]), EINVAL);
			CHECK_ERR(fgpio_chip_event_read(c, bad_lines[i], &ev, 0), EINVAL);
			CHECK_ERR(fgpio_chip_line_owner(c, bad_lines[i], who, sizeof(who)), EINVAL);
		}
		const int bad_edges[] = { 0, 4, -1, INT_MIN, INT_MAX };

		for (size_t i = 0; i < sizeof(bad_edges) / sizeof(bad_edges[0]); i++)
			CHECK_ERR(fgpio_chip_watch(c, 0, bad_edges[i], 0), EINVAL);
		CHECK_ERR(fgpio_chip_watch(c, 0, FGPIO_EDGE_RISING, 0), ENOTSUP);
		CHECK_ERR(fgpio_chip_line_owner(c, 0, who, sizeof(who)), ENOTSUP);
		CHECK_ERR(fgpio_chip_line_owner(c, 0, NULL, 4), EINVAL);
		CHECK_ERR(fgpio_chip_event_read(c, 0, NULL, 0), EINVAL);
		CHECK_ERR(fgpio_chip_event_read(c, 0, &ev, 0), ENOENT);	/* never watched */
		CHECK(fgpio_chip_unwatch(c, 0) == 0);			/* idempotent */
		CHECK(fgpio_chip_watching(c, 0) == 0);
		CHECK(fgpio_chip_event_cancel(c) == 0);
	}
	/* Hardware PWM: bad lines, configurations and chips, none writing. */
	{
		struct fgpio_pwm_config cfg;
		struct fgpio_pwm_state st;
		struct fgpio_pwm_output out;
		int is_bcm = strncmp(l->soc, "bcm", 3) == 0, has_pwm = is_bcm || strcmp(l->soc, "rp1") == 0;
		/* a line with a PWM output on the BCM SoCs and RP1, any line elsewhere (none has PWM) */
		unsigned pl = has_pwm ? 18 : 0;

		memset(&cfg, 0, sizeof(cfg));
		cfg.period_ns = 20000000;
		cfg.duty_ns = 1000000;
		cfg.enabled = 1;
		for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
			CHECK_ERR(fgpio_chip_pwm_find(c, bad_lines[i], &out), EINVAL);
			CHECK_ERR(fgpio_chip_pwm_get_state(c, bad_lines[i], &st), l->gpiomem ? ENOTSUP : EINVAL);
			CHECK_ERR(fgpio_chip_pwm_apply(c, bad_lines[i], &cfg, &st), l->gpiomem ? ENOTSUP : EINVAL);
		}
		CHECK_ERR(fgpio_chip_pwm_find(c, pl, NULL), EINVAL);
		CHECK_ERR(fgpio_chip_pwm_get_state(c, pl, NULL), EINVAL);
		if (!has_pwm) {
			CHECK_ERR(fgpio_chip_pwm_find(c, pl, &out), ENOTSUP);
			CHECK(strstr(fgpio_last_error(), "/sys/class/pwm") != NULL);
			CHECK_ERR(fgpio_chip_pwm_apply(c, pl, &cfg, &st), l->gpiomem ? ENOTSUP : ENOTSUP);
		} else if (l->gpiomem) {
			/* GPIO18: ALT5 on the BCM SoCs, FUNCSEL a3 (PWM0 channel 2) on RP1 */
			CHECK(fgpio_chip_pwm_find(c, pl, &out) == 0 &&
			      out.func == (is_bcm ? FGPIO_FUNC_ALT5 : FGPIO_FUNC_ALT3));
			CHECK_ERR(fgpio_chip_pwm_apply(c, pl, &cfg, &st), ENOTSUP);	/* gpiomem maps no PWM */
			CHECK(strstr(fgpio_last_error(), "devmem") != NULL);
		} else {
			struct fgpio_pwm_config bad;

			CHECK_ERR(fgpio_chip_pwm_apply(c, 17, &cfg, &st), ENOTSUP);	/* no PWM on GPIO17 */
			CHECK_ERR(fgpio_chip_pwm_apply(c, pl, NULL, &st), EINVAL);
			bad = cfg, bad.reserved[4] = 1;
			CHECK_ERR(fgpio_chip_pwm_apply(c, pl, &bad, &st), EINVAL);
			bad = cfg, bad.polarity = 2;
			CHECK_ERR(fgpio_chip_pwm_apply(c, pl, &bad, &st), EINVAL);
			bad = cfg, bad.polarity = -1;
			CHECK_ERR(fgpio_chip_pwm_apply(c, pl, &bad, &st), EINVAL);
			bad = cfg, bad.enabled = 2;
			CHECK_ERR(fgpio_chip_pwm_apply(c, pl, &bad, &st), EINVAL);
			bad = cfg, bad.flags = 0x80;
			CHECK_ERR(fgpio_chip_pwm_apply(c, pl, &bad, &st), EINVAL);
			bad = cfg, bad.period_ns = 0;
			CHECK_ERR(fgpio_chip_pwm_apply(c, pl, &bad, &st), EINVAL);
			bad = cfg, bad.period_ns = FGPIO_PWM_MAX_PERIOD_NS + 1;
			CHECK_ERR(fgpio_chip_pwm_apply(c, pl, &bad, &st), EINVAL);
			bad = cfg, bad.duty_ns = cfg.period_ns + 1;
			CHECK_ERR(fgpio_chip_pwm_apply(c, pl, &bad, &st), EINVAL);
			/* this register file ends before the PWM block: refused with the truncate hint */
			CHECK_ERR(fgpio_chip_pwm_apply(c, pl, &cfg, &st), EINVAL);
			CHECK(strstr(fgpio_last_error(), "truncate") != NULL);
		}
	}
	/* Waves: every step is checked before the first store, options too. */
	{
		struct fgpio_wave_step st[3] = { { 1, 0, 0 }, { 0, 1, 0 }, { 1, 0, 0 } };
		struct fgpio_wave_opts o;
		struct fgpio_wave_stats stats;
		uint32_t samples[4];

		CHECK(fgpio_chip_bank_lines(c, nb - 1, &first, &count) == 0);
		for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
			CHECK_ERR(fgpio_chip_wave_play(c, nb + bad_lines[i] % 5, st, 3, 1, NULL, NULL), EINVAL);
			CHECK_ERR(fgpio_chip_wave_play(c, bad_lines[i], st, 3, 1, NULL, NULL), EINVAL);
			CHECK_ERR(fgpio_chip_bank_sample(c, bad_lines[i], samples, 4, NULL), EINVAL);
		}
		CHECK_ERR(fgpio_chip_wave_play(c, 0, NULL, 3, 1, NULL, NULL), EINVAL);
		CHECK_ERR(fgpio_chip_bank_sample(c, 0, NULL, 4, NULL), EINVAL);
		st[2].set_mask = 3;	/* the last step names a line in both masks */
		st[2].clr_mask = 2;
		CHECK_ERR(fgpio_chip_wave_play(c, 0, st, 3, 1, NULL, &stats), EINVAL);
		st[2].clr_mask = 0;
		if (count < 32) {
			st[2].set_mask = 1u << count;	/* a line the bank does not have */
			CHECK_ERR(fgpio_chip_wave_play(c, nb - 1, st, 3, 1000, NULL, NULL), EINVAL);
			st[2].set_mask = 0xffffffffu;
			CHECK_ERR(fgpio_chip_wave_play(c, nb - 1, st, 3, 1, NULL, NULL), EINVAL);
		}
		st[2].set_mask = 1;
		const int bad_cpu[] = { -2, INT_MIN, 1 << 20, INT_MAX };
		const int bad_prio[] = { -1, 100, INT_MIN, INT_MAX };

		for (int i = 0; i < 4; i++) {
			fgpio_wave_opts_init(&o);
			o.cpu = bad_cpu[i];
			CHECK_ERR(fgpio_chip_wave_play(c, 0, st, 3, 1, &o, NULL), EINVAL);
			fgpio_wave_opts_init(&o);
			o.fifo_priority = bad_prio[i];
			CHECK_ERR(fgpio_chip_wave_play(c, 0, st, 3, 1, &o, NULL), EINVAL);
		}
		fgpio_wave_opts_init(&o);
		o.flags = 0x80000000u;
		CHECK_ERR(fgpio_chip_wave_play(c, 0, st, 3, 1, &o, NULL), EINVAL);
		fgpio_wave_opts_init(&o);
		if (sizeof(size_t) > 4) {	/* n * repeat beyond 64 bits: refused before any step is read */
			CHECK_ERR(fgpio_chip_wave_play(c, 0, st, (size_t)-1 / 2, 3, &o, NULL), EINVAL);
		}
		CHECK(fgpio_chip_wave_play(c, 0, st, 3, 0, &o, &stats) == 0 && stats.steps == 0);
		CHECK(fgpio_chip_wave_play(c, 0, NULL, 0, 5, &o, &stats) == 0 && stats.steps == 0);
	}
	/* Names: NULL, empty, too long, bad characters, other SoCs' styles, huge numbers. */
	static const char *const bad_names[] = {
		"", "GPIO", "GPIO-1", "-1", "+1", " 1", "1 ", "0x10", "GPIO99999", "99999", "4294967297",
		"GPIO17\n", "GPIO\xc3\xa9", "BOARD", "BOARD0", "PIN", "P9_", "P9_0", "P99_1", "GPIO_",
		"GPIO1__1", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "%s%s%s%n",
	};
	CHECK_ERR(fgpio_chip_find_line(c, NULL), EINVAL);
	for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		errno = 0;
		int r = fgpio_chip_find_line(c, bad_names[i]);

		if (r != -1 || (errno != EINVAL && errno != ENOENT))
			fprintf(stderr, "%s: name \"%s\" -> %d errno %d\n", l->soc, bad_names[i], r, errno);
		CHECK(r == -1 && (errno == EINVAL || errno == ENOENT));
	}
	for (unsigned i = 0; i < 4; i++) {
		if (!l->foreign[i])
			continue;
		errno = 0;
		int r = fgpio_chip_find_line(c, l->foreign[i]);

		if (r != -1)
			fprintf(stderr, "%s: foreign name \"%s\" -> %d\n", l->soc, l->foreign[i], r);
		CHECK(r == -1 && errno == EINVAL);
	}
	char longname[4096];

	memset(longname, 'A', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	CHECK_ERR(fgpio_chip_find_line(c, longname), EINVAL);
	/* Messages stay bounded and printable-terminated. */
	CHECK(strlen(fgpio_last_error()) < 512);

	EXPECT_UNCHANGED(f, h);
	check_func_agrees(l, c);
	fgpio_chip_close(c);
	/* The oracle itself: one changed word changes the digest. */
	th_poke(f, l->fill_at[0] + 8, 0x12345678u);
	CHECK(file_digest(f) != h);
	free(f);
}

/* Functions on no chip at all, and bad open configurations. */
static void test_null_and_open(const char *dir)
{
	struct fgpio_chip_info info;
	struct fgpio_line handle;
	uint32_t v;
	unsigned first, count;
	const char *label;
	int line;

	fgpio_config_init(NULL);
	fgpio_chip_close(NULL);
	CHECK_ERR(fgpio_chip_get_info(NULL, &info), EINVAL);
	struct fgpio_soc_info si;

	CHECK_ERR(fgpio_chip_get_soc_info(NULL, &si), EINVAL);
	CHECK(fgpio_chip_num_lines(NULL) == 0 && fgpio_chip_num_banks(NULL) == 0);
	CHECK_ERR(fgpio_chip_bank_lines(NULL, 0, &first, &count), EINVAL);
	CHECK_ERR(fgpio_chip_set(NULL, 0), EINVAL);
	CHECK_ERR(fgpio_chip_clear(NULL, 0), EINVAL);
	CHECK_ERR(fgpio_chip_write(NULL, 0, 1), EINVAL);
	CHECK_ERR(fgpio_chip_read(NULL, 0), EINVAL);
	CHECK_ERR(fgpio_chip_bank_write(NULL, 0, 1, 1), EINVAL);
	CHECK_ERR(fgpio_chip_bank_read(NULL, 0, &v), EINVAL);
	CHECK_ERR(fgpio_chip_set_func(NULL, 0, FGPIO_FUNC_OUT), EINVAL);
	CHECK_ERR(fgpio_chip_check_func(NULL, 0, FGPIO_FUNC_OUT), EINVAL);
	CHECK_ERR(fgpio_chip_get_func(NULL, 0), EINVAL);
	CHECK_ERR(fgpio_chip_set_pull(NULL, 0, FGPIO_PULL_UP), EINVAL);
	CHECK_ERR(fgpio_chip_get_pull(NULL, 0), EINVAL);
	CHECK_ERR(fgpio_chip_get_input_enable(NULL, 0), EINVAL);
	CHECK_ERR(fgpio_chip_find_line(NULL, "GPIO1"), EINVAL);
	CHECK(fgpio_chip_num_header_pins(NULL) == 0);
	CHECK_ERR(fgpio_chip_header_pin(NULL, 0, &label, &line), EINVAL);
	CHECK_ERR(fgpio_line_init(NULL, 0, &handle), EINVAL);
	fgpio_wave_opts_init(NULL);
	struct fgpio_wave_step step = { 1, 0, 0 };

	CHECK_ERR(fgpio_chip_wave_play(NULL, 0, &step, 1, 1, NULL, NULL), EINVAL);
	CHECK_ERR(fgpio_chip_bank_sample(NULL, 0, &v, 1, NULL), EINVAL);
	struct fgpio_event ev;

	CHECK_ERR(fgpio_chip_watch(NULL, 0, FGPIO_EDGE_BOTH, 0), EINVAL);
	CHECK_ERR(fgpio_chip_unwatch(NULL, 0), EINVAL);
	CHECK_ERR(fgpio_chip_watching(NULL, 0), EINVAL);
	CHECK_ERR(fgpio_chip_event_read(NULL, 0, &ev, 0), EINVAL);
	CHECK_ERR(fgpio_chip_event_cancel(NULL), EINVAL);
	CHECK_ERR(fgpio_chip_wave_cancel(NULL), EINVAL);
	CHECK_ERR(fgpio_chip_line_owner(NULL, 0, NULL, 0), EINVAL);
	{
		struct fgpio_pwm_config cfg;
		struct fgpio_pwm_state pst;
		struct fgpio_pwm_output out;

		memset(&cfg, 0, sizeof(cfg));
		CHECK_ERR(fgpio_chip_pwm_find(NULL, 18, &out), EINVAL);
		CHECK_ERR(fgpio_chip_pwm_apply(NULL, 18, &cfg, &pst), EINVAL);
		CHECK_ERR(fgpio_chip_pwm_get_state(NULL, 18, &pst), EINVAL);
	}
	CHECK(fgpio_last_error() != NULL);
	CHECK(fgpio_soc_names() != NULL && fgpio_soc_names()[0] != NULL);
	CHECK(fgpio_func_name((enum fgpio_func)-1) == NULL);
	CHECK(fgpio_func_name((enum fgpio_func)INT_MAX) == NULL);
	CHECK(fgpio_pull_name((enum fgpio_pull)-1) == NULL);
	CHECK(fgpio_pull_name(FGPIO_PULL_COUNT) == NULL);

	/* Bad configurations: refused before anything is opened or written. */
	char *f = th_regfile(dir, "open.bin", 0xFE201000ull);

	th_fill(f, 0xFE200000ull, 0x100, 0xa5a5a5a5u);
	uint64_t h = file_digest(f);
	struct fgpio_config cfg;

	fgpio_config_init(&cfg);
	cfg.soc = "bcm2711";
	cfg.devmem = f;
	cfg.dt_root = "/nonexistent-device-tree";
	cfg.backend = (enum fgpio_backend)(FGPIO_BACKEND_GPIOD + 1);
	CHECK(fgpio_chip_open(&cfg) == NULL && errno == EINVAL);
	CHECK(strstr(fgpio_last_error(), "unknown backend") != NULL);
	cfg.backend = FGPIO_BACKEND_GPIOD;	/* conflicts with a devmem path */
	CHECK(fgpio_chip_open(&cfg) == NULL && errno == EINVAL);
	CHECK(strstr(fgpio_last_error(), "conflicts") != NULL);
	cfg.backend = (enum fgpio_backend)-1;
	CHECK(fgpio_chip_open(&cfg) == NULL && errno == EINVAL);
	cfg.backend = FGPIO_BACKEND_AUTO;
	cfg.flags = 0x80000000u;
	CHECK(fgpio_chip_open(&cfg) == NULL && errno == EINVAL);
	cfg.flags = 0;
	cfg.gpiomem = f;	/* both paths */
	CHECK(fgpio_chip_open(&cfg) == NULL && errno == EINVAL);
	cfg.gpiomem = NULL;
	cfg.backend = FGPIO_BACKEND_GPIOMEM;	/* conflicts with a devmem path */
	CHECK(fgpio_chip_open(&cfg) == NULL && errno == EINVAL);
	cfg.backend = FGPIO_BACKEND_AUTO;
	const char *bad_socs[] = { "", "bcm", "BCM2711 ", "bcm2711\n", "rk3399", "am335x-evm" };

	for (size_t i = 0; i < sizeof(bad_socs) / sizeof(bad_socs[0]); i++) {
		cfg.soc = bad_socs[i];
		CHECK(fgpio_chip_open(&cfg) == NULL && errno == EINVAL);	/* a bad argument */
	}
	char longsoc[8192];

	memset(longsoc, 'x', sizeof(longsoc) - 1);
	longsoc[sizeof(longsoc) - 1] = 0;
	cfg.soc = longsoc;
	CHECK(fgpio_chip_open(&cfg) == NULL && errno == EINVAL);
	CHECK(strlen(fgpio_last_error()) < 512);
	/* A SoC whose blocks lie beyond the file: refused, nothing mapped. */
	cfg.soc = "rk3288";
	CHECK(fgpio_chip_open(&cfg) == NULL && errno == EINVAL);
	cfg.soc = "am335x";	/* no gpiomem device */
	cfg.devmem = NULL;
	cfg.gpiomem = f;
	CHECK(fgpio_chip_open(&cfg) == NULL && errno == ENOTSUP);
	cfg.soc = "bcm2711";
	cfg.gpiomem = NULL;
	cfg.devmem = dir;	/* a directory */
	CHECK(fgpio_chip_open(&cfg) == NULL && errno != 0);
	cfg.devmem = "/nonexistent/mem";
	CHECK(fgpio_chip_open(&cfg) == NULL && errno == ENOENT);
	cfg.devmem = f;
	cfg.dt_root = longsoc;	/* a device-tree path longer than PATH_MAX: no detection */
	cfg.soc = NULL;
	CHECK(fgpio_chip_open(&cfg) == NULL && errno == ENODEV);
	EXPECT_UNCHANGED(f, h);
	free(f);
}

int main(void)
{
	char *dir = th_tmpdir();

	CHECK(sizeof(covered) / sizeof(covered[0]) == 42);
	test_null_and_open(dir);
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		run_layout(dir, &layouts[i]);
	free(dir);
	return th_done("badinput");
}
