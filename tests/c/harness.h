/* SPDX-License-Identifier: MIT */
/*
 * tests/c/harness.h - tiny test harness for the C unit tests (meson test).
 *
 * A register file is a sparse regular file standing in for /dev/mem (same
 * physical offsets) or /dev/gpiomem (offset 0 = GPIO block); the library maps
 * it through the same mmap path it uses on hardware. The harness reads and
 * writes words of that file with pread/pwrite (never through the library), so
 * a test sees exactly what the library stored.
 */
#ifndef FASTGPIO_TEST_HARNESS_H
#define FASTGPIO_TEST_HARNESS_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fastgpio.h"

static int th_failures;
static int th_checks;

#define CHECK(cond)                                                                  \
	do {                                                                         \
		th_checks++;                                                         \
		if (!(cond)) {                                                       \
			th_failures++;                                               \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                    \
	} while (0)

#define CHECK_EQ_U32(got, want)                                                      \
	do {                                                                         \
		uint32_t th_g = (uint32_t)(got), th_w = (uint32_t)(want);            \
		th_checks++;                                                         \
		if (th_g != th_w) {                                                  \
			th_failures++;                                               \
			fprintf(stderr, "%s:%d: %s = 0x%08x, want 0x%08x\n", __FILE__, __LINE__, \
				#got, th_g, th_w);                                   \
		}                                                                    \
	} while (0)

/* Asserts that expression @call returns -1 with errno @err. */
#define CHECK_ERR(call, err)                                                         \
	do {                                                                         \
		errno = 0;                                                           \
		long th_r = (long)(call);                                            \
		th_checks++;                                                         \
		if (th_r != -1 || errno != (err)) {                                  \
			th_failures++;                                               \
			fprintf(stderr, "%s:%d: %s returned %ld errno %d (%s), want -1 errno %d (%s)\n", \
				__FILE__, __LINE__, #call, th_r, errno, strerror(errno), (err), \
				strerror(err));                                      \
		}                                                                    \
	} while (0)

static inline int th_done(const char *name)
{
	printf("%s: %d checks, %d failures\n", name, th_checks, th_failures);
	return th_failures ? 1 : 0;
}

/* A fresh temporary directory (mkdtemp). Caller frees nothing; tests are short-lived. */
static inline char *th_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	char *p = malloc(4096);
	snprintf(p, 4096, "%s/fgpio-test-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(p)) {
		perror("mkdtemp");
		exit(2);
	}
	return p;
}

/* Creates (truncating) a sparse file of @size bytes; returns its malloc'd path. */
static inline char *th_regfile(const char *dir, const char *name, uint64_t size)
{
	char *p = malloc(4096);
	snprintf(p, 4096, "%s/%s", dir, name);
	int fd = open(p, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)size) != 0) {
		perror(p);
		exit(2);
	}
	close(fd);
	return p;
}

static inline uint32_t th_peek(const char *path, uint64_t off)
{
	uint32_t v = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || pread(fd, &v, 4, (off_t)off) != 4) {
		perror(path);
		exit(2);
	}
	close(fd);
	return v;
}

static inline void th_poke(const char *path, uint64_t off, uint32_t v)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 || pwrite(fd, &v, 4, (off_t)off) != 4) {
		perror(path);
		exit(2);
	}
	close(fd);
}

/* Fills [off, off+len) with @v words (e.g. to make every neighbour bit 1). */
static inline void th_fill(const char *path, uint64_t off, uint32_t len, uint32_t v)
{
	for (uint32_t i = 0; i < len; i += 4)
		th_poke(path, off + i, v);
}

/* Byte-for-byte snapshot of [off, off+len) for "nothing changed" checks. */
static inline unsigned char *th_snapshot(const char *path, uint64_t off, uint32_t len)
{
	unsigned char *b = malloc(len);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || pread(fd, b, len, (off_t)off) != (ssize_t)len) {
		perror(path);
		exit(2);
	}
	close(fd);
	return b;
}

static inline int th_unchanged(const char *path, uint64_t off, uint32_t len, const unsigned char *snap)
{
	unsigned char *now = th_snapshot(path, off, len);
	int same = memcmp(now, snap, len) == 0;
	free(now);
	return same;
}

/* Fills @len bytes at @off with the word @v, a page per write (th_fill writes word by word). */
static inline void th_fill_pages(const char *path, uint64_t off, uint32_t len, uint32_t v)
{
	uint32_t buf[1024];

	for (unsigned k = 0; k < 1024u; k++)
		buf[k] = v;
	int fd = open(path, O_RDWR | O_CLOEXEC);

	for (uint32_t i = 0; fd >= 0 && i < len; i += 4096) {
		uint32_t n = len - i < 4096 ? len - i : 4096;

		if (pwrite(fd, buf, n, (off_t)(off + i)) != (ssize_t)n)
			break;
	}
	if (fd < 0) {
		perror(path);
		exit(2);
	}
	close(fd);
}

/* Snapshots of whole pages, for "no mapped register changed" over many blocks. */
#define TH_MAX_PAGES 64
struct th_pages {
	const uint64_t *at;
	unsigned n;
	unsigned char *page[TH_MAX_PAGES];
};

static inline void th_pages_take(const char *path, const uint64_t *at, unsigned n, struct th_pages *s)
{
	s->at = at;
	s->n = n < TH_MAX_PAGES ? n : TH_MAX_PAGES;
	for (unsigned i = 0; i < s->n; i++)
		s->page[i] = th_snapshot(path, at[i], 4096);
}

/* 1 when every page is as taken (names those that changed); frees the snapshots. */
static inline int th_pages_same(const char *path, struct th_pages *s)
{
	int same = 1;

	for (unsigned i = 0; i < s->n; i++) {
		if (!th_unchanged(path, s->at[i], 4096, s->page[i])) {
			fprintf(stderr, "  page 0x%llx changed\n", (unsigned long long)s->at[i]);
			same = 0;
		}
		free(s->page[i]);
	}
	return same;
}

/* Opens @soc on @file (physical offsets) with open @flags and device tree @dt (NULL: none). */
static inline struct fgpio_chip *th_open_soc(const char *soc, const char *file, unsigned flags,
					     const char *dt)
{
	struct fgpio_config cfg;
	fgpio_config_init(&cfg);
	cfg.soc = soc;
	cfg.devmem = file;
	cfg.dt_root = dt ? dt : "/nonexistent-device-tree";
	cfg.flags = flags;
	return fgpio_chip_open(&cfg);
}

/* Device-tree roots made by th_dt_root(), freed by th_dt_free_roots(). */
static char *th_roots[512];
static unsigned th_nroots;

/* A fresh device-tree root directory @base/@name (malloc'd; kept until th_dt_free_roots()). */
static inline char *th_dt_root(const char *base, const char *name)
{
	char *p = malloc(2048);

	snprintf(p, 2048, "%s/%s", base, name);
	mkdir(p, 0755);
	if (th_nroots < sizeof(th_roots) / sizeof(th_roots[0]))
		th_roots[th_nroots++] = p;
	return p;
}

static inline void th_dt_free_roots(void)
{
	while (th_nroots)
		free(th_roots[--th_nroots]);
}

/* Writes a device-tree property file <root>/<prop> (creating directories). */
static inline void th_dt_prop(const char *root, const char *prop, const void *data, size_t len)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s", root, prop);
	for (char *s = p + strlen(root) + 1; *s; s++) {
		if (*s == '/') {
			*s = 0;
			mkdir(p, 0755);
			*s = '/';
		}
	}
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
		perror(p);
		exit(2);
	}
	close(fd);
}

/* A compatible property from NUL-separated strings, e.g. "raspberrypi,4-model-b\0brcm,bcm2711". */
static inline void th_dt_compatible(const char *root, const char *prop, const char *list, size_t len)
{
	th_dt_prop(root, prop, list, len);
}

/* Big-endian cells property. */
static inline void th_dt_cells(const char *root, const char *prop, const uint32_t *cells, size_t n)
{
	unsigned char b[256];
	for (size_t i = 0; i < n && i < 64; i++) {
		b[4 * i] = (unsigned char)(cells[i] >> 24);
		b[4 * i + 1] = (unsigned char)(cells[i] >> 16);
		b[4 * i + 2] = (unsigned char)(cells[i] >> 8);
		b[4 * i + 3] = (unsigned char)cells[i];
	}
	th_dt_prop(root, prop, b, n * 4);
}

/* Opens @soc on a register file in devmem (physical offsets) mode. */
static inline struct fgpio_chip *th_open_devmem(const char *soc, const char *path)
{
	struct fgpio_config cfg;
	fgpio_config_init(&cfg);
	cfg.soc = soc;
	cfg.devmem = path;
	cfg.dt_root = "/nonexistent-device-tree";
	return fgpio_chip_open(&cfg);
}

static inline struct fgpio_chip *th_open_gpiomem(const char *soc, const char *path)
{
	struct fgpio_config cfg;
	fgpio_config_init(&cfg);
	cfg.soc = soc;
	cfg.gpiomem = path;
	cfg.dt_root = "/nonexistent-device-tree";
	return fgpio_chip_open(&cfg);
}

#endif /* FASTGPIO_TEST_HARNESS_H */
