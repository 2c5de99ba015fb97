/* SPDX-License-Identifier: MIT */
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
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

/*
 * fz_build() with the kind of each property chosen by the record's index byte
 * too: kind = (index / nprops) % FZ_NKINDS, so index < nprops (the seeds) is
 * a plain file. The other kinds are what a tree may hold but a reader must
 * refuse without blocking: a directory, a FIFO, a dangling symlink, a file of
 * 1 MiB (over every read limit), a socket.
 */
enum { FZ_FILE, FZ_DIR, FZ_FIFO, FZ_DANGLING, FZ_HUGE, FZ_SOCKET, FZ_NKINDS };

static inline void fz_remove(const char *p)
{
	if (unlink(p) != 0)
		rmdir(p);	/* a directory left by the previous input */
}

static inline void fz_write_kind(const char *root, const char *prop, int kind, const uint8_t *data,
				 size_t len)
{
	char p[1024];

	fz_write(root, prop, data, len);
	if (kind == FZ_FILE)
		return;
	snprintf(p, sizeof(p), "%s/%s", root, prop);
	if (kind == FZ_HUGE) {
		if (truncate(p, 1 << 20) != 0)
			abort();
		return;
	}
	unlink(p);
	if (kind == FZ_DIR && mkdir(p, 0755) != 0)
		abort();
	if (kind == FZ_FIFO && mkfifo(p, 0644) != 0)
		abort();
	if (kind == FZ_DANGLING && symlink("no-such-target", p) != 0)
		abort();
	if (kind == FZ_SOCKET) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (s < 0 || strlen(p) >= sizeof(sa.sun_path))
			abort();
		memcpy(sa.sun_path, p, strlen(p) + 1);
		if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) != 0)
			abort();
		close(s);
	}
}

static inline size_t fz_build_kinds(const char *root, const char *const *props, size_t nprops,
				    const uint8_t *data, size_t size)
{
	size_t i = 0, n = 0;
	char p[1024];

	for (size_t k = 0; k < nprops; k++) {
		snprintf(p, sizeof(p), "%s/%s", root, props[k]);
		fz_remove(p);
	}
	while (i + 3 <= size) {
		size_t idx = data[i] % nprops;
		int kind = (int)((data[i] / nprops) % FZ_NKINDS);
		size_t len = (size_t)data[i + 1] | ((size_t)data[i + 2] << 8);

		i += 3;
		if (len > size - i)
			len = size - i;
		snprintf(p, sizeof(p), "%s/%s", root, props[idx]);
		fz_remove(p);
		fz_write_kind(root, props[idx], kind, data + i, len);
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
