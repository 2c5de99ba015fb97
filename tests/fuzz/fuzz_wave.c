/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_wave.c - libFuzzer target: the waveform step buffer
 * (fgpio_chip_wave_play) and bank sampling, on a chip of every SoC table in
 * register-file mode.
 *
 * Input: [chip][bank][repeat][flags][cpu][fifo][spin lo][spin hi] then packed
 * 12-byte steps (set_mask, clr_mask, delay_ns; host order), a trailing partial
 * record ignored. To keep each run short the harness caps the delays at 1023
 * ns and the repeat count at 15 (masks, step counts and options are used as
 * given; a SCHED_FIFO priority is only passed when it is out of range, so the
 * run never changes the scheduler, and a valid CPU is passed as is).
 * Checks beyond the sanitizers: a refused run (EINVAL) leaves every mapped
 * register word unchanged; an accepted run reports steps = n * repeat and
 * never sets a bit outside the bank's lines in any mapped word (every word
 * is restored to its state after open before each input, when the set/clear
 * and data words are zero).
 */
#include "fuzz_dtdir.h"
#include "internal.h"
#include "fuzz_regfile.h"

#define MAX_CHIPS 16

static struct fgpio_chip *chips[MAX_CHIPS];
static size_t nchips;
/* Every mapped word of each chip right after open (AM335x clocks enabled by attach). */
static uint32_t *pristine[MAX_CHIPS][FGPIO_MAX_BLOCKS];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t *copy_block(const struct fgpio_chip *c, unsigned b)
{
	uint32_t *p = malloc(c->maps[b].len ? c->maps[b].len : 4);

	if (!p)
		abort();
	for (size_t i = 0; i < c->maps[b].len / 4; i++)
		p[i] = c->maps[b].base[i];
	return p;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *root = fz_dir();

	(void)argc;
	(void)argv;
	for (size_t k = 0; fgpio_socs[k] && nchips < MAX_CHIPS; k++) {
		const struct fgpio_soc *soc = fgpio_socs[k];
		char p[512];
		struct fgpio_config cfg;

		snprintf(p, sizeof(p), "%s/%s.wave.regs", root, soc->name);
		int fd = open(p, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (fd < 0 || ftruncate(fd, (off_t)fz_devmem_size(soc)) != 0)
			abort();
		close(fd);
		fgpio_config_init(&cfg);
		cfg.soc = soc->name;
		cfg.devmem = p;
		cfg.dt_root = "/nonexistent-device-tree";
		struct fgpio_chip *c = fgpio_chip_open(&cfg);

		if (!c) {
			fprintf(stderr, "fuzz_wave: cannot open %s: %s\n", soc->name, fgpio_last_error());
			abort();
		}
		for (unsigned b = 0; b < FGPIO_MAX_BLOCKS; b++)
			if (c->maps[b].base)
				pristine[nchips][b] = copy_block(c, b);
		chips[nchips++] = c;
	}
	return 0;
}

static void restore(size_t k)
{
	const struct fgpio_chip *c = chips[k];

	for (unsigned b = 0; b < FGPIO_MAX_BLOCKS; b++)
		if (c->maps[b].base)
			for (size_t i = 0; i < c->maps[b].len / 4; i++)
				c->maps[b].base[i] = pristine[k][b][i];
}

/* Bits that differ from the pristine words anywhere; *words counts the words. */
static uint32_t changed_bits(size_t k, size_t *words)
{
	const struct fgpio_chip *c = chips[k];
	uint32_t bits = 0;

	*words = 0;
	for (unsigned b = 0; b < FGPIO_MAX_BLOCKS; b++) {
		if (!c->maps[b].base)
			continue;
		for (size_t i = 0; i < c->maps[b].len / 4; i++) {
			uint32_t d = pristine[k][b][i] ^ c->maps[b].base[i];

			if (d) {
				bits |= d;
				(*words)++;
			}
		}
	}
	return bits;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fgpio_wave_step steps[512];

	if (size < 8 || !nchips)
		return 0;
	size_t k = data[0] % nchips;
	struct fgpio_chip *c = chips[k];
	unsigned bank = data[1] % (fgpio_chip_num_banks(c) + 2u);	/* sometimes past the end */
	unsigned repeat = data[2] & 15u;
	size_t n = (size - 8) / sizeof(struct fgpio_wave_step);
	struct fgpio_wave_opts o;
	struct fgpio_wave_stats st;

	if (n > sizeof(steps) / sizeof(steps[0]))
		n = sizeof(steps) / sizeof(steps[0]);
	memcpy(steps, data + 8, n * sizeof(steps[0]));
	for (size_t i = 0; i < n; i++)
		steps[i].delay_ns &= 1023u;
	fgpio_wave_opts_init(&o);
	o.flags = data[3] & 0x81u;	/* the real flag, and an unknown one */
	o.cpu = (int8_t)data[4] < -2 ? -1 : (int8_t)data[4];	/* -2 invalid, -1 none, 0.. pin */
	o.fifo_priority = data[5] >= 128 ? 100 + (data[5] & 7) : 0;	/* only ever invalid */
	o.spin_ns = (uint32_t)data[6] | ((uint32_t)data[7] << 8);

	restore(k);
	errno = 0;
	int r = fgpio_chip_wave_play(c, bank, steps, n, repeat, &o, &st);
	size_t words;
	uint32_t bits = changed_bits(k, &words);

	if (r != 0) {
		if (r != -1 || (errno != EINVAL && errno != ENOTSUP && errno != EIO))
			abort();
		fz_check_error_text();
		if (words)
			abort();	/* a refused wave wrote a register */
	} else {
		unsigned first, count;

		if (fgpio_chip_bank_lines(c, bank, &first, &count))
			abort();	/* accepted a bank that does not exist */
		uint32_t valid = count >= 32 ? 0xffffffffu : ((1u << count) - 1u);

		if (st.steps != (uint64_t)n * repeat)
			abort();
		if (bits & ~valid)
			abort();	/* a bit outside the bank's lines was stored */
	}

	/* Sampling: a small buffer, any bank. */
	uint32_t samples[16];
	uint64_t ns = 1;

	r = fgpio_chip_bank_sample(c, bank, samples, data[3] % 17u, &ns);
	if (r != 0 && errno != EINVAL && errno != ENOTSUP && errno != EIO)
		abort();
	return 0;
}
