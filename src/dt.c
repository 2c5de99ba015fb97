/*
 * src/dt.c - reading a device tree's properties and cells (/proc/device-tree
 * or a directory a caller points us at), for detect.c and soc_rp1.c.
 * Outside data: a property is read only when it is a regular file of bounded
 * size, without following it into a FIFO or device, and whatever it holds is
 * checked by the caller.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* Why an existing property cannot be read: refused, never taken as "absent". */
static int dt_unreadable(const char *path, const char *why)
{
	return fgpio_fail(EINVAL, "device-tree property %s exists but %s: refusing to guess what it "
			  "says", path, why);
}

/*
 * Checks what @path is before anything opens it: 0 for a regular file of at
 * most @max bytes, -1 with errno ENOENT when there is no such entry (a
 * dangling symlink is an entry), EFBIG or EINVAL otherwise.
 */
static int dt_check_entry(const char *path, const struct stat *st, int stat_ok, size_t max)
{
	struct stat lst;

	if (!stat_ok) {
		int e = errno;

		if (e == ENOENT && lstat(path, &lst) == 0)
			return dt_unreadable(path, "is a symbolic link to nothing");
		if (e == ENOENT)
			return fgpio_fail(ENOENT, "%s does not exist", path);
		return dt_unreadable(path, strerror(e));
	}
	if (S_ISDIR(st->st_mode))
		return dt_unreadable(path, "is a directory");
	if (!S_ISREG(st->st_mode))
		return dt_unreadable(path, S_ISFIFO(st->st_mode) ? "is a FIFO" :
				     S_ISSOCK(st->st_mode) ? "is a socket" :
				     S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) ? "is a device" :
				     "is not a regular file");
	if (st->st_size < 0 || (uint64_t)st->st_size > max)
		return fgpio_fail(EFBIG, "device-tree property %s is %lld bytes, more than the %zu "
				  "a valid one can have: refusing it", path, (long long)st->st_size, max);
	return 0;
}

/* Reads at most @max + 1 bytes of the open regular file @fd into @buf. */
static ssize_t dt_read_fd(int fd, unsigned char *buf, size_t max)
{
	size_t got = 0;

	while (got <= max) {
		ssize_t r = read(fd, buf + got, max + 1 - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

unsigned char *fgpio_dt_read(const char *dt_root, const char *prop, size_t max, size_t *len)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/%s", dt_root, prop);
	struct stat st;

	if (n < 0 || (size_t)n >= sizeof(path)) {
		fgpio_fail(ENAMETOOLONG, "device-tree path %.64s.../%.64s is too long", dt_root, prop);
		return NULL;
	}
	/* stat first: a FIFO or a device is never opened (opening a FIFO blocks). */
	int ok = stat(path, &st) == 0;

	if (dt_check_entry(path, &st, ok, max))
		return NULL;
	/* O_NONBLOCK: should the entry have been swapped for a FIFO since, open() cannot block;
	   fstat() of what was opened decides. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd < 0) {
		ok = 0;
		dt_check_entry(path, &st, ok, max);
		return NULL;
	}
	if (fstat(fd, &st) != 0 || dt_check_entry(path, &st, 1, max)) {
		int e = errno == ENOENT ? EINVAL : errno;

		close(fd);
		errno = e;
		return NULL;
	}
	unsigned char *buf = malloc(max + 1);

	if (!buf) {
		close(fd);
		fgpio_fail(ENOMEM, "out of memory");
		return NULL;
	}
	ssize_t got = dt_read_fd(fd, buf, max);
	int e = errno;

	close(fd);
	if (got < 0 || (size_t)got > max) {
		free(buf);
		if (got < 0)
			dt_unreadable(path, strerror(e));
		else
			fgpio_fail(EFBIG, "device-tree property %s grew beyond %zu bytes while read: "
				   "refusing it", path, max);
		return NULL;
	}
	*len = (size_t)got;
	return buf;
}

/* The first of @wanted that equals one of the NUL-separated strings of a property. */

/* Reads a one-cell property (#address-cells...) with a default when absent. */
int fgpio_dt_cell(const char *dt_root, const char *prop, uint32_t def, uint32_t *out)
{
	size_t len = 0;
	unsigned char *b = fgpio_dt_read(dt_root, prop, 16, &len);

	if (!b) {
		if (errno == ENOENT) {
			*out = def;
			return 0;
		}
		return -1;
	}
	if (len != 4) {
		free(b);
		return fgpio_fail(EINVAL, "%s/%s is %zu bytes, not one 4-byte cell", dt_root, prop, len);
	}
	*out = fgpio_be32(b);
	free(b);
	return 0;
}

/* Reads @n big-endian cells as one number; more than 64 bits must be zero-extended. */
int fgpio_dt_cells_u64(const unsigned char *p, uint32_t n, uint64_t *out)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (v >> 32)
			return -1;
		v = (v << 32) | fgpio_be32(p + 4 * i);
	}
	*out = v;
	return 0;
}
