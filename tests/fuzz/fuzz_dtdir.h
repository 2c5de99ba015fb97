/*
 * tests/fuzz/fuzz_dtdir.h - turns a fuzz input into a device-tree directory.
 *
 * The parsers under test read /proc/device-tree as files, so the fuzz input
 * becomes files: a sequence of records
 *     [property index: 1 byte][length: 2 bytes little endian][length bytes]
 * each writing one property of the target's list (a later record for the same
 * property replaces it; a length past the end of the input is cut to what is
 * left). Properties without a record do not exist. The directory lives on
 * $FGPIO_FUZZ_TMPDIR, else /dev/shm when there is one (no disk I/O per run),
 * and is emptied before each input.
 */
#ifndef FASTGPIO_FUZZ_DTDIR_H
#define FASTGPIO_FUZZ_DTDIR_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fastgpio.h"

static char fz_root[256];

/* Creates the private directory once (tests/hardening.sh removes its parent afterwards). */
static inline const char *fz_dir(void)
{
	if (!fz_root[0]) {
		struct stat st;
		const char *base = getenv("FGPIO_FUZZ_TMPDIR");

		if (!base || !*base)
			base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";

		snprintf(fz_root, sizeof(fz_root), "%s/fgpio-fuzz-XXXXXX", base);
		if (!mkdtemp(fz_root)) {
			perror("mkdtemp");
			abort();
		}
	}
	return fz_root;
}

static inline void fz_mkdirs(const char *root, const char *prop)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/%s", root, prop);
	for (char *s = p + strlen(root) + 1; *s; s++) {
		if (*s == '/') {
			*s = 0;
			mkdir(p, 0755);
			*s = '/';
		}
	}
}

/* Removes every property of @props (the directories stay: they are the same each run). */
static inline void fz_clear(const char *root, const char *const *props, size_t n)
{
	char p[1024];

	for (size_t i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/%s", root, props[i]);
		unlink(p);
	}
}

static inline void fz_write(const char *root, const char *prop, const uint8_t *data, size_t len)
{
	char p[1024];

	fz_mkdirs(root, prop);
	snprintf(p, sizeof(p), "%s/%s", root, prop);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0) {
		perror(p);
		abort();
	}
	if (len && write(fd, data, len) != (ssize_t)len) {
		perror(p);
		abort();
	}
	close(fd);
}

/* Applies the records of @data to @props; returns how many were written. */
static inline size_t fz_build(const char *root, const char *const *props, size_t nprops,
		       const uint8_t *data, size_t size)
{
	size_t i = 0, n = 0;

	fz_clear(root, props, nprops);
	while (i + 3 <= size) {
		size_t idx = data[i] % nprops;
		size_t len = (size_t)data[i + 1] | ((size_t)data[i + 2] << 8);

		i += 3;
		if (len > size - i)
			len = size - i;
		fz_write(root, props[idx], data + i, len);
		i += len;
		n++;
	}
	return n;
}

/* The last error message must be a bounded, terminated string after any failure. */
static inline void fz_check_error_text(void)
{
	const char *m = fgpio_last_error();

	if (!m || strnlen(m, 512) >= 512)
		abort();
}

#endif
