/* SPDX-License-Identifier: MIT */
/*
 * src/dt.c - reading a device tree's properties and cells (/proc/device-tree
 * or a directory a caller points us at) and translating bus addresses to CPU
 * addresses through the `ranges` of the nodes above them, for detect.c and
 * soc_rp1.c.
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

/* ---- address translation through `ranges` ---- */

/*
 * Node paths are relative to the tree root, "" being the root itself; every
 * path built here fits in DT_NODE_MAX. A ranges property of 4096 bytes holds
 * over 100 entries, far more than any real bus has.
 */
#define DT_NODE_MAX 1024
#define DT_RANGES_MAX 4096
/* phys.hi of a 3-cell PCI address: bits 24-25 are the space code (IEEE 1275 PCI binding). */
#define DT_PCI_SPACE 0x03000000u

int fgpio_dt_node_cell(const char *dt_root, const char *node, const char *prop, uint32_t def,
		       uint32_t *out)
{
	char p[DT_NODE_MAX + 32];
	int n = snprintf(p, sizeof(p), "%s%s%s", node, *node ? "/" : "", prop);

	if (n < 0 || (size_t)n >= sizeof(p))
		return fgpio_fail(ENAMETOOLONG, "device-tree path %.64s.../%s is too long", node, prop);
	return fgpio_dt_cell(dt_root, p, def, out);
}

/* Cuts the last component off @node ("a/b/c" -> "a/b", "a" -> ""); @out holds DT_NODE_MAX. */
static void dt_parent(const char *node, char *out)
{
	const char *slash = strrchr(node, '/');
	size_t n = slash ? (size_t)(slash - node) : 0;

	memcpy(out, node, n);
	out[n] = 0;
}

/* The cells of one `ranges` entry of @node: its own address and size cells, its parent's address cells. */
struct dt_cells {
	uint32_t child, parent, size;
};

/*
 * Reads the cell counts that shape @node's ranges, with the devicetree
 * specification's defaults (#address-cells 2, #size-cells 1). Addresses of
 * more than 3 cells and sizes of none or more than 3 are refused: neither
 * fits the 64-bit (plus PCI space code) arithmetic below.
 */
static int dt_ranges_cells(const char *dt_root, const char *node, const char *parent,
			   struct dt_cells *c)
{
	if (fgpio_dt_node_cell(dt_root, node, "#address-cells", 2, &c->child) ||
	    fgpio_dt_node_cell(dt_root, node, "#size-cells", 1, &c->size) ||
	    fgpio_dt_node_cell(dt_root, parent, "#address-cells", 2, &c->parent)) {
		char msg[400];

		snprintf(msg, sizeof(msg), "%s", fgpio_last_error());
		return fgpio_fail(errno, "cannot read the cell counts of %s/%s or its parent: %s",
				  dt_root, node, msg);
	}
	if (c->child < 1 || c->child > 3 || c->parent < 1 || c->parent > 3 || c->size < 1 ||
	    c->size > 3)
		return fgpio_fail(EINVAL, "%s/%s: unsupported cell counts (child %u, parent %u, size %u)",
				  dt_root, node, c->child, c->parent, c->size);
	return 0;
}

/*
 * An address of @n cells. Three cells are a PCI address: *space gets the
 * space code of phys.hi, the number is phys.mid/phys.lo. Otherwise the cells
 * are one number (space 0). -1 when that number needs more than 64 bits.
 */
static int dt_addr(const unsigned char *p, uint32_t n, uint32_t *space, uint64_t *addr)
{
	*space = 0;
	if (n == 3) {
		*space = fgpio_be32(p) & DT_PCI_SPACE;
		return fgpio_dt_cells_u64(p + 4, 2, addr);
	}
	return fgpio_dt_cells_u64(p, n, addr);
}

/*
 * Maps *@addr (in space *@space) through the @len bytes of ranges @r read
 * from @path: the first entry whose child window covers it, in the same PCI
 * space when the child addresses are PCI ones. Entries whose numbers exceed
 * 64 bits cover nothing. -1 with ERANGE when no entry covers it or the
 * parent address would wrap past 2^64.
 */
static int dt_ranges_map(const char *path, const unsigned char *r, size_t len,
			 const struct dt_cells *c, uint32_t *space, uint64_t *addr)
{
	size_t entry = 4u * (c->child + c->parent + c->size);

	for (size_t off = 0; off + entry <= len; off += entry) {
		uint32_t cspace, pspace;
		uint64_t child, parent, size;

		if (dt_addr(r + off, c->child, &cspace, &child) ||
		    dt_addr(r + off + 4 * c->child, c->parent, &pspace, &parent) ||
		    fgpio_dt_cells_u64(r + off + 4 * (c->child + c->parent), c->size, &size))
			continue;
		if (cspace != *space || *addr < child || *addr - child >= size)
			continue;
		/* A parent address near 2^64 must not wrap round to a low CPU address. */
		if (parent > UINT64_MAX - (*addr - child))
			return fgpio_fail(ERANGE, "%s maps 0x%llx to 0x%llx + 0x%llx, which overflows "
					  "64 bits", path, (unsigned long long)*addr,
					  (unsigned long long)parent, (unsigned long long)(*addr - child));
		*addr = parent + (*addr - child);
		*space = pspace;
		return 0;
	}
	return fgpio_fail(ERANGE, "%s does not translate address 0x%llx", path,
			  (unsigned long long)*addr);
}

/*
 * One step up: maps *@addr from @node's child address space into its
 * parent's through @node's ranges. Empty ranges are the identity; absent
 * ranges mean the bus has no CPU-visible window (ENOENT).
 */
static int dt_translate_one(const char *dt_root, const char *node, const char *parent,
			    uint32_t *space, uint64_t *addr)
{
	struct dt_cells c;
	char prop[DT_NODE_MAX + 8], path[4096];
	size_t len = 0;

	if (dt_ranges_cells(dt_root, node, parent, &c))
		return -1;
	snprintf(prop, sizeof(prop), "%s%sranges", node, *node ? "/" : "");
	snprintf(path, sizeof(path), "%s/%s", dt_root, prop);
	unsigned char *r = fgpio_dt_read(dt_root, prop, DT_RANGES_MAX, &len);

	if (!r && errno == ENOENT)
		return fgpio_fail(ENOENT, "%s does not exist: addresses below %s/%s cannot be "
				  "translated to CPU addresses", path, dt_root, node);
	if (!r)
		return -1;	/* exists but unreadable: fgpio_dt_read() said why */
	size_t entry = 4u * (c.child + c.parent + c.size);
	int ret = 0;

	if (len % entry)
		ret = fgpio_fail(EINVAL, "%s is %zu bytes, not a multiple of %zu (cells: child %u, "
				 "parent %u, size %u)", path, len, entry, c.child, c.parent, c.size);
	else if (len > 0)
		ret = dt_ranges_map(path, r, len, &c, space, addr);
	free(r);
	return ret;
}

int fgpio_dt_translate(const char *dt_root, const char *bus, uint64_t addr, uint64_t *cpu)
{
	char node[DT_NODE_MAX], parent[DT_NODE_MAX];
	uint32_t space = 0;	/* @addr is a plain address, not a PCI one */

	if (strlen(bus) >= sizeof(node))
		return fgpio_fail(ENAMETOOLONG, "device-tree node %.64s... is too long", bus);
	snprintf(node, sizeof(node), "%s", bus);
	/* Each step's node is a prefix of the one before: the walk ends at the root. */
	while (node[0]) {
		dt_parent(node, parent);
		if (dt_translate_one(dt_root, node, parent, &space, &addr))
			return -1;
		memcpy(node, parent, strlen(parent) + 1);
	}
	*cpu = addr;
	return 0;
}
