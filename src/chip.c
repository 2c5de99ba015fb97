/* SPDX-License-Identifier: MIT */
/*
 * src/chip.c - opening a chip (SoC choice, memory device, mappings) and the
 * generic, validating entry points of the public API.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "gpiod_backend.h"

#define DEFAULT_DT_ROOT "/proc/device-tree"
#define DEFAULT_DEVMEM "/dev/mem"


void fgpio_config_init(struct fgpio_config *cfg)
{
	if (cfg)
		memset(cfg, 0, sizeof(*cfg));
}

/*
 * fork() policy: the child inherits every mapping (MAP_SHARED: the same
 * registers) and may keep using its chips. A chip lock held by another thread
 * at the moment of fork() would stay locked forever in the child, whose copy
 * of that thread does not exist: the next read-modify-write there would hang.
 * So fork() takes every open chip's lock first (prepare) and releases them in
 * parent and child; a fork waits for read-modify-writes in progress. State
 * that counts other threads' calls (waves playing, edge readers and the
 * reader locks they hold) is reset in the child, where those threads do not
 * exist: its close would otherwise wait for them forever.
 */
static pthread_mutex_t open_chips_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fgpio_chip *open_chips;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void atfork_prepare(void)
{
	pthread_mutex_lock(&open_chips_lock);
	for (struct fgpio_chip *c = open_chips; c; c = c->next_open)
		pthread_mutex_lock(&c->lock);
}

static void atfork_release(void)
{
	for (struct fgpio_chip *c = open_chips; c; c = c->next_open)
		pthread_mutex_unlock(&c->lock);
	pthread_mutex_unlock(&open_chips_lock);
}

static void atfork_child(void)
{
	for (struct fgpio_chip *c = open_chips; c; c = c->next_open) {
		/* Keep the cancel generation, drop the count of running waves. */
		__atomic_and_fetch(&c->wave_ctl, ~(uint32_t)FGPIO_WAVE_RUNNING_MASK, __ATOMIC_SEQ_CST);
		fgpio_events_forked(c);
	}
	atfork_release();
}

static void atfork_install(void)
{
	(void)pthread_atfork(atfork_prepare, atfork_release, atfork_child);
}

static void register_chip(struct fgpio_chip *c)
{
	pthread_once(&atfork_once, atfork_install);
	pthread_mutex_lock(&open_chips_lock);
	c->next_open = open_chips;
	open_chips = c;
	pthread_mutex_unlock(&open_chips_lock);
}

static void unregister_chip(struct fgpio_chip *c)
{
	pthread_mutex_lock(&open_chips_lock);
	for (struct fgpio_chip **p = &open_chips; *p; p = &(*p)->next_open) {
		if (*p == c) {
			*p = c->next_open;
			break;
		}
	}
	pthread_mutex_unlock(&open_chips_lock);
}

static void unmap_all(struct fgpio_chip *c)
{
	for (unsigned i = 0; i < FGPIO_MAX_BLOCKS; i++) {
		if (c->maps[i].map_addr)
			munmap(c->maps[i].map_addr, c->maps[i].map_len);
		memset(&c->maps[i], 0, sizeof(c->maps[i]));
	}
}

/* Everything a chip holds, in the order it was taken; keeps errno. Open's failure path and close. */
static void chip_free(struct fgpio_chip *c)
{
	int e = errno;

	unmap_all(c);
	fgpio_events_detach(c);
	fgpio_gpiod_detach(c);
	free(c->own_soc);
	free(c->gpiochip);
	pthread_mutex_destroy(&c->lock);
	free(c->device);
	free(c->reason);
	free(c->dt_root);
	free(c);
	errno = e;
}

void fgpio_chip_close(struct fgpio_chip *chip)
{
	if (!chip)
		return;
	int saved = errno;

	/* A wave playing in another thread stops between two steps; then it is unmapped. */
	while (__atomic_load_n(&chip->wave_ctl, __ATOMIC_ACQUIRE) & FGPIO_WAVE_RUNNING_MASK) {
		struct timespec ts = { 0, 1000000 };

		(void)fgpio_chip_wave_cancel(chip);
		nanosleep(&ts, NULL);
	}
	unregister_chip(chip);
	chip_free(chip);
	errno = saved;
}

/* What to tell a user who lacks permission for @path. */
static int fail_access(int err, const char *path, int gpiomem)
{
	if (gpiomem)
		return fgpio_fail(err, "permission denied opening %s: add your user to the 'gpio' group "
				  "(sudo usermod -aG gpio $USER, then log in again) or run as root", path);
	return fgpio_fail(err, "permission denied opening %s: mapping physical memory needs root "
			  "(sudo) and CAP_SYS_RAWIO; on a Raspberry Pi use /dev/gpiomem instead", path);
}

/* What try_backend() opened: the descriptor and what fstat() said it is. */
struct mem_fd {
	int fd;
	int is_file;		/* regular file (register-file mode), else a character device */
	uint64_t size;		/* file size (register files) */
};

/*
 * Opens @path for mapping and fills @m from fstat() of the descriptor: every
 * later decision (device or register file) is about the file actually opened,
 * not about whatever the path names at another moment.
 */
static int open_mem(const char *path, int gpiomem, struct mem_fd *m)
{
	int fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);

	if (fd < 0) {
		int e = errno;

		if (e == EACCES || e == EPERM)
			return fail_access(e, path, gpiomem);
		return fgpio_fail(e, "cannot open %s: %s", path, strerror(e));
	}
	struct stat st;

	if (fstat(fd, &st) != 0) {
		int e = errno;

		close(fd);
		return fgpio_fail(e, "cannot stat %s: %s", path, strerror(e));
	}
	if (S_ISREG(st.st_mode)) {
		m->is_file = 1;
		m->size = (uint64_t)st.st_size;
	} else if (S_ISCHR(st.st_mode)) {
		m->is_file = 0;
		m->size = 0;
	} else {
		close(fd);
		return fgpio_fail(EINVAL, "%s is neither a memory device nor a regular register file", path);
	}
	m->fd = fd;
	return 0;
}

static int map_range(struct fgpio_chip *c, unsigned blk, int fd, uint64_t offset, size_t size,
		     const char *path)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t page = (uint64_t)(pg > 0 ? pg : 4096);
	uint64_t start = offset & ~(page - 1);
	size_t delta = (size_t)(offset - start);
	size_t len = (size_t)((delta + size + page - 1) & ~(page - 1));

	if ((uint64_t)(off_t)start != start)
		return fgpio_fail(EOVERFLOW, "offset 0x%llx of %s does not fit off_t",
				  (unsigned long long)start, path);
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)start);

	if (p == MAP_FAILED) {
		int e = errno;

		if (e == ENODEV)
			return fgpio_fail(ENOTSUP, "%s cannot be memory-mapped (it is not a memory device)",
					  path);
		if (e == EPERM || e == EACCES)
			return fgpio_fail(e, "the kernel refused to map 0x%llx of %s: it blocks /dev/mem "
					  "access to ranges a driver owns (CONFIG_IO_STRICT_DEVMEM); boot "
					  "with iomem=relaxed, run as root, or use /dev/gpiomem",
					  (unsigned long long)offset, path);
		return fgpio_fail(e, "cannot map 0x%llx+0x%zx of %s: %s", (unsigned long long)offset,
				  size, path, strerror(e));
	}
	c->maps[blk].map_addr = p;
	c->maps[blk].map_len = len;
	c->maps[blk].base = (volatile uint32_t *)(void *)((unsigned char *)p + delta);
	c->maps[blk].len = size;
	return 0;
}

static int too_small(const char *path, uint64_t need, uint64_t have)
{
	return fgpio_fail(EINVAL, "register file %s is %llu bytes but must cover up to 0x%llx; "
			  "create it sparse with: truncate -s %llu %s", path,
			  (unsigned long long)have, (unsigned long long)need,
			  (unsigned long long)need, path);
}

static int soc_has_gpiomem(const struct fgpio_soc *soc)
{
	for (unsigned i = 0; i < soc->nblocks; i++)
		if (soc->blocks[i].flags & FGPIO_BLOCK_GPIOMEM)
			return 1;
	return 0;
}

/* Maps the gpiomem window (offset 0 = first GPIO block) and points the blocks into it. */
static int map_gpiomem(struct fgpio_chip *c, const struct mem_fd *m, const char *path)
{
	const struct fgpio_soc *soc = c->soc;
	uint64_t window = 0;

	if (!soc_has_gpiomem(soc))
		return fgpio_fail(ENOTSUP, "%s has no gpiomem device; use the devmem backend "
				  "(/dev/mem as root)", soc->name);
	for (unsigned i = 0; i < soc->nblocks; i++) {
		const struct fgpio_soc_block *b = &soc->blocks[i];

		if ((b->flags & FGPIO_BLOCK_GPIOMEM) && b->gpiomem_offset + (uint64_t)b->size > window)
			window = b->gpiomem_offset + (uint64_t)b->size;
	}
	if (m->is_file && m->size < window)
		return too_small(path, window, m->size);
	/* One mapping of the whole window (the Pi 5's /dev/gpiomem0 must be mapped whole). */
	if (map_range(c, 0, m->fd, 0, (size_t)window, path))
		return -1;
	unsigned char *wbase = (unsigned char *)(uintptr_t)c->maps[0].base;
	void *waddr = c->maps[0].map_addr;
	size_t wlen = c->maps[0].map_len;

	memset(&c->maps[0], 0, sizeof(c->maps[0]));
	for (unsigned i = 0; i < soc->nblocks; i++) {
		const struct fgpio_soc_block *b = &soc->blocks[i];

		if (!(b->flags & FGPIO_BLOCK_GPIOMEM))
			continue;
		c->maps[i].base = (volatile uint32_t *)(void *)(wbase + b->gpiomem_offset);
		c->maps[i].len = b->size;
	}
	/* The first slot owns the mapping for munmap; keep its view if it is a GPIOMEM block. */
	c->maps[0].map_addr = waddr;
	c->maps[0].map_len = wlen;
	return 0;
}

static int needs_base(const struct fgpio_soc *soc)
{
	for (unsigned i = 0; i < soc->nblocks; i++)
		if (soc->blocks[i].flags & FGPIO_BLOCK_RANGES)
			return 1;
	return 0;
}

/*
 * The peripheral base of a FGPIO_BLOCK_RANGES SoC: derived from the device
 * tree and cross-checked with the table. A register file without a tree (or
 * without the ranges) takes the table's default; anything the tree says that
 * cannot be read, does not add up or disagrees with the table is refused,
 * for register files too, so what they show is what a device would get.
 */
static int find_base(struct fgpio_chip *c, const struct mem_fd *m, const char *path, char *note,
		     size_t notelen)
{
	const struct fgpio_soc *soc = c->soc;
	int r;

	if (c->ops->locate)
		r = c->ops->locate(soc, c->dt_root, &c->base);
	else
		r = fgpio_dt_peripheral_base(soc, c->dt_root, &c->base);
	if (r == 0)
		r = fgpio_soc_check_base(soc, c->base);
	if (r == 0) {
		snprintf(note, notelen, "; peripheral base 0x%llx from the device tree",
			 (unsigned long long)c->base);
		return 0;
	}
	if (m->is_file && errno == ENOENT) {
		/* Register-file mode: nothing physical is at stake, the table's default serves. */
		c->base = soc->default_base;
		snprintf(note, notelen, "; peripheral base 0x%llx (table default: %s)",
			 (unsigned long long)c->base, fgpio_last_error());
		return 0;
	}
	char why[400];

	snprintf(why, sizeof(why), "%s", fgpio_last_error());
	return fgpio_fail(ENODEV, "refusing to map %s: the peripheral base of %s cannot be "
			  "derived from the device tree (%s)", path, soc->name, why);
}

/* Maps every block at its physical address through @path (/dev/mem or a register file). */
static int map_devmem(struct fgpio_chip *c, const struct mem_fd *m, const char *path, char *note,
		      size_t notelen)
{
	const struct fgpio_soc *soc = c->soc;

	note[0] = 0;
	if (needs_base(soc) && find_base(c, m, path, note, notelen))
		return -1;
	for (unsigned i = 0; i < soc->nblocks && i < FGPIO_MAX_BLOCKS; i++) {
		const struct fgpio_soc_block *b = &soc->blocks[i];
		uint64_t phys = b->phys + ((b->flags & FGPIO_BLOCK_RANGES) ? c->base : 0);

		if (m->is_file && m->size < phys + b->size) {
			if (b->flags & FGPIO_BLOCK_OPTIONAL)
				continue;
			unmap_all(c);
			return too_small(path, phys + b->size, m->size);
		}
		if (map_range(c, i, m->fd, phys, b->size, path)) {
			if (b->flags & FGPIO_BLOCK_OPTIONAL)
				continue;
			int e = errno;

			unmap_all(c);
			errno = e;
			return -1;
		}
	}
	return 0;
}

/*
 * Refuses to map a real memory device for a SoC the device tree contradicts:
 * writing BCM registers into an RK3288's physical memory corrupts it.
 */
static int check_soc_matches(struct fgpio_chip *c)
{
	char why[256];
	const struct fgpio_board_desc *b;
	const struct fgpio_soc *found = fgpio_detect_soc(c->dt_root, &b, why, sizeof(why));

	if (!found && errno == ENOENT)
		return 0;	/* no device tree at all: the caller's explicit choice stands */
	if (!found) {
		char msg[400];

		snprintf(msg, sizeof(msg), "%s", fgpio_last_error());
		return fgpio_fail(ENODEV, "refusing to map a memory device for %s: %s", c->soc->name, msg);
	}
	if (found != c->soc)
		return fgpio_fail(ENODEV, "refusing to map a memory device for %s: the device tree "
				  "says this is %s (%s)", c->soc->name, found->name, why);
	return 0;
}

static int try_backend(struct fgpio_chip *c, enum fgpio_backend be, const char *path,
		       char *note, size_t notelen)
{
	struct mem_fd m = { .fd = -1, .is_file = 0, .size = 0 };

	if (open_mem(path, be == FGPIO_BACKEND_GPIOMEM, &m))
		return -1;
	/* A device (decided on the open descriptor) is mapped only for the SoC the tree names. */
	int r = m.is_file ? 0 : check_soc_matches(c);

	c->regfile = m.is_file;
	if (r == 0)
		r = be == FGPIO_BACKEND_GPIOMEM ? map_gpiomem(c, &m, path)
						: map_devmem(c, &m, path, note, notelen);
	int e = errno;

	close(m.fd);	/* the mappings stay valid without it */
	errno = e;
	if (r == 0) {
		c->backend = be;
		c->device = strdup(path);
		if (!c->device) {
			unmap_all(c);
			return fgpio_fail(ENOMEM, "out of memory");
		}
		if (be == FGPIO_BACKEND_GPIOMEM)
			c->base = 0;
	}
	return r;
}

/* @tried (may be NULL) receives what the automatic choice tried and why it failed. */
static int choose_and_map(struct fgpio_chip *c, const struct fgpio_config *cfg, char *note,
			  size_t notelen, char *tried, size_t triedlen)
{
	const struct fgpio_soc *soc = c->soc;

	if (cfg->gpiomem && cfg->devmem)
		return fgpio_fail(EINVAL, "give either a gpiomem or a devmem path, not both");
	if (cfg->gpiomem) {
		if (cfg->backend == FGPIO_BACKEND_DEVMEM)
			return fgpio_fail(EINVAL, "backend devmem conflicts with a gpiomem path");
		return try_backend(c, FGPIO_BACKEND_GPIOMEM, cfg->gpiomem, note, notelen);
	}
	if (cfg->devmem) {
		if (cfg->backend == FGPIO_BACKEND_GPIOMEM)
			return fgpio_fail(EINVAL, "backend gpiomem conflicts with a devmem path");
		return try_backend(c, FGPIO_BACKEND_DEVMEM, cfg->devmem, note, notelen);
	}
	if (cfg->backend == FGPIO_BACKEND_GPIOMEM) {
		if (!soc->gpiomem_path)
			return fgpio_fail(ENOTSUP, "%s has no gpiomem device; use the devmem backend "
					  "(/dev/mem as root)", soc->name);
		return try_backend(c, FGPIO_BACKEND_GPIOMEM, soc->gpiomem_path, note, notelen);
	}
	if (cfg->backend == FGPIO_BACKEND_DEVMEM)
		return try_backend(c, FGPIO_BACKEND_DEVMEM, DEFAULT_DEVMEM, note, notelen);

	/* Auto: gpiomem (no root needed), then /dev/mem. Keep the most useful error. */
	char first[512] = "";
	int first_err = 0;

	if (soc->gpiomem_path) {
		if (try_backend(c, FGPIO_BACKEND_GPIOMEM, soc->gpiomem_path, note, notelen) == 0)
			return 0;
		first_err = errno;
		snprintf(first, sizeof(first), "%s", fgpio_last_error());
		if (tried)
			snprintf(tried, triedlen, "%s: %s; ", soc->gpiomem_path,
				 first_err == ENOENT ? "no such device" : strerror(first_err));
	}
	if (try_backend(c, FGPIO_BACKEND_DEVMEM, DEFAULT_DEVMEM, note, notelen) == 0) {
		if (first_err) {
			size_t n = strlen(note);

			snprintf(note + n, notelen - n, "; %s unavailable: %s", soc->gpiomem_path,
				 first_err == ENOENT ? "no such device" : strerror(first_err));
		}
		return 0;
	}
	int e = errno;

	if (first_err == EACCES || first_err == EPERM) {
		/* gpiomem exists but is not ours: the gpio group is the fix. */
		return fgpio_fail(first_err, "%s", first);
	}
	if (first_err && first_err != ENOENT && e == ENOENT)
		return fgpio_fail(first_err, "%s", first);
	errno = e;	/* the devmem attempt's message is already the thread's last error */
	return -1;
}

/* line -> bank/bit map of c->soc */
static void fill_line_map(struct fgpio_chip *c)
{
	memset(c->line_bank, 0xff, sizeof(c->line_bank));
	for (unsigned b = 0; b < c->soc->nbanks; b++) {
		const struct fgpio_soc_bank *bk = &c->soc->banks[b];

		for (unsigned i = 0; i < bk->nlines && bk->first_line + i < FGPIO_MAX_LINES; i++) {
			c->line_bank[bk->first_line + i] = (uint16_t)b;
			c->line_bit[bk->first_line + i] = (uint8_t)i;
		}
	}
}

/* Auto backend without a register-file path: the gpiod backend may stand in for mmap. */
static int may_fall_back(const struct fgpio_config *cfg)
{
	return cfg->backend == FGPIO_BACKEND_AUTO && !cfg->gpiomem && !cfg->devmem;
}

static const char *backend_name(enum fgpio_backend be)
{
	switch (be) {
	case FGPIO_BACKEND_GPIOMEM:
		return "gpiomem";
	case FGPIO_BACKEND_DEVMEM:
		return "devmem";
	case FGPIO_BACKEND_GPIOD:
		return "gpiod";
	default:
		return "auto";
	}
}

int fgpio_chip_map_extra(struct fgpio_chip *c, unsigned slot, uint64_t phys, size_t size)
{
	struct mem_fd m = { .fd = -1, .is_file = 0, .size = 0 };

	if (slot >= FGPIO_MAX_BLOCKS || c->maps[slot].map_addr || c->backend != FGPIO_BACKEND_DEVMEM)
		return fgpio_fail(EINVAL, "internal: map slot %u of a %s chip", slot,
				  backend_name(c->backend));
	if (open_mem(c->device, 0, &m))
		return -1;
	int r = 0;

	/* The same kind of file as at open: a device may not replace a register file meanwhile. */
	if (m.is_file != c->regfile)
		r = fgpio_fail(ENODEV, "%s is no longer the %s it was when the chip was opened",
			       c->device, c->regfile ? "register file" : "memory device");
	else if (m.is_file && m.size < phys + size)
		r = too_small(c->device, phys + size, m.size);
	else
		r = map_range(c, slot, m.fd, phys, size, c->device);
	int e = errno;

	close(m.fd);
	errno = e;
	return r;
}

void fgpio_chip_unmap_extra(struct fgpio_chip *c, unsigned slot)
{
	if (slot < FGPIO_MAX_BLOCKS && c->maps[slot].map_addr) {
		munmap(c->maps[slot].map_addr, c->maps[slot].map_len);
		memset(&c->maps[slot], 0, sizeof(c->maps[slot]));
	}
}

/* The configuration's own checks, before anything is allocated or opened. */
static int check_config(const struct fgpio_config *cfg)
{
	if ((unsigned)cfg->backend > FGPIO_BACKEND_GPIOD)
		return fgpio_fail(EINVAL, "unknown backend %d", (int)cfg->backend);
	if (cfg->flags & ~FGPIO_OPEN_NO_CLOCK_ENABLE)
		return fgpio_fail(EINVAL, "unknown open flags 0x%x", cfg->flags);
	for (size_t k = 0; k < sizeof(cfg->reserved) / sizeof(cfg->reserved[0]); k++)
		if (cfg->reserved[k])
			return fgpio_fail(EINVAL, "fgpio_config.reserved[%zu] is not NULL: initialise "
					  "the configuration with fgpio_config_init()", k);
	if (cfg->backend == FGPIO_BACKEND_GPIOD && (cfg->gpiomem || cfg->devmem))
		return fgpio_fail(EINVAL, "backend gpiod conflicts with a %s path",
				  cfg->gpiomem ? "gpiomem" : "devmem");
	return 0;
}

/* An empty chip holding copies of @cfg's strings; NULL with errno ENOMEM. */
static struct fgpio_chip *chip_new(const struct fgpio_config *cfg)
{
	struct fgpio_chip *c = calloc(1, sizeof(*c));

	if (!c) {
		fgpio_fail(ENOMEM, "out of memory");
		return NULL;
	}
	if (pthread_mutex_init(&c->lock, NULL) != 0) {
		free(c);
		fgpio_fail(ENOMEM, "cannot create the chip lock");
		return NULL;
	}
	c->flags = cfg->flags;
	c->dt_root = strdup(cfg->dt_root ? cfg->dt_root : DEFAULT_DT_ROOT);
	c->gpiochip = cfg->gpiochip ? strdup(cfg->gpiochip) : NULL;
	if (!c->dt_root || (cfg->gpiochip && !c->gpiochip)) {
		chip_free(c);
		fgpio_fail(ENOMEM, "out of memory");
		return NULL;
	}
	return c;
}

static int fail_unknown_soc(const char *name)
{
	char list[256] = "";
	const char *const *names = fgpio_soc_names();

	for (size_t i = 0; names[i]; i++) {
		size_t n = strlen(list);

		snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "", names[i]);
	}
	return fgpio_fail(EINVAL, "unknown SoC name \"%.64s\" (supported: %s)", name, list);
}

/* c->soc = the table called @name, or EINVAL listing the tables there are. */
static int use_soc_named(struct fgpio_chip *c, const char *name)
{
	c->soc = fgpio_soc_by_name(name);
	return c->soc ? 0 : fail_unknown_soc(name);
}

/* The board @cfg names (on its SoC, or the SoC that has it) instead of the device tree's. */
static int choose_board(struct fgpio_chip *c, const struct fgpio_config *cfg)
{
	if (!cfg->soc) {
		c->soc = fgpio_soc_by_board(cfg->board, &c->board);
		return c->soc ? 0 : -1;
	}
	if (use_soc_named(c, cfg->soc))
		return -1;
	c->board = fgpio_soc_board_by_name(c->soc, cfg->board);
	if (c->board)
		return 0;
	char list[512] = "";

	for (unsigned i = 0; i < c->soc->nboards; i++) {
		size_t n = strlen(list);

		snprintf(list + n, sizeof(list) - n, "%s\"%s\"", i ? ", " : "", c->soc->boards[i].name);
	}
	return fgpio_fail(EINVAL, "%s has no board \"%.64s\" (its boards: %s)", c->soc->name,
			  cfg->board, c->soc->nboards ? list : "none");
}

/*
 * Sets c->soc and c->board: the table @cfg names, or the one the device tree
 * describes. An unknown SoC leaves c->soc NULL (only the gpiod backend can
 * serve it) with the detection's error in @detect_err; @why says what was chosen.
 */
static int choose_soc(struct fgpio_chip *c, const struct fgpio_config *cfg, char *why, size_t whylen,
		      char *detect_err, size_t errlen)
{
	char dwhy[300];

	if (cfg->board) {
		if (choose_board(c, cfg))
			return -1;
		snprintf(why, whylen, "SoC %s, board %s chosen by the caller", c->soc->name, c->board->name);
	} else if (cfg->soc) {
		if (use_soc_named(c, cfg->soc) || fgpio_detect_board(c->soc, c->dt_root, &c->board))
			return -1;
		snprintf(why, whylen, "SoC %s chosen by the caller", c->soc->name);
	} else if ((c->soc = fgpio_detect_soc(c->dt_root, &c->board, dwhy, sizeof(dwhy)))) {
		snprintf(why, whylen, "SoC %s detected: %s", c->soc->name, dwhy);
	} else {
		/* No device tree, or an unknown one: unsupported hardware for mmap. */
		if (cfg->backend != FGPIO_BACKEND_GPIOD && !may_fall_back(cfg)) {
			errno = ENODEV;
			return -1;
		}
		snprintf(detect_err, errlen, "%s", fgpio_last_error());
		snprintf(why, whylen, "SoC unknown (%s)", detect_err);
		return 0;
	}
	c->ops = c->soc->ops;
	if (!c->ops)
		return fgpio_fail(ENODEV, "%s: this build has no register code for its family",
				  c->soc->name);
	if (c->soc->nlines > FGPIO_MAX_LINES || c->soc->nblocks > FGPIO_MAX_BLOCKS)
		return fgpio_fail(EINVAL, "%s: table exceeds the library's limits", c->soc->name);
	fill_line_map(c);
	return 0;
}

/* The gpiod backend in place of mmap, whose failure @first explains (errno @err). */
static int gpiod_instead(struct fgpio_chip *c, const struct fgpio_config *cfg, int err,
			 const char *first, char *note, size_t notelen)
{
	char gerr[512];

	if (fgpio_gpiod_attach(c, cfg->gpiochip, note, notelen) == 0)
		return 0;
	snprintf(gerr, sizeof(gerr), "%s", fgpio_last_error());
	return fgpio_fail(err, "%s; no gpiod fallback either: %s", first, gerr);
}

/*
 * Maps the SoC's registers, or attaches the gpiod backend when asked to, when
 * the SoC is unknown, or when mapping fails and @cfg allows the fallback; then
 * runs the family's attach. @note receives what the backend choice found.
 */
static int attach_backend(struct fgpio_chip *c, const struct fgpio_config *cfg,
			  const char *detect_err, char *note, size_t notelen)
{
	char tried[256] = "";
	int r;

	if (cfg->backend == FGPIO_BACKEND_GPIOD) {
		r = fgpio_gpiod_attach(c, cfg->gpiochip, note, notelen);
	} else if (!c->soc) {
		/* Unknown SoC, auto backend: the GPIO character device is the only way. */
		r = gpiod_instead(c, cfg, ENODEV, detect_err, note, notelen);
	} else if ((r = choose_and_map(c, cfg, note, notelen, tried, sizeof(tried))) != 0) {
		/* ENODEV: the device tree contradicts the SoC asked for; no fallback for that. */
		if (!may_fall_back(cfg) || errno == ENODEV)
			return -1;
		int merr = errno;
		char mmsg[512];

		snprintf(mmsg, sizeof(mmsg), "%s", fgpio_last_error());
		unmap_all(c);
		snprintf(note, notelen, "; mmap unavailable (%s%s)", tried, mmsg);
		r = gpiod_instead(c, cfg, merr, mmsg, note, notelen);
	} else {
		r = 1;	/* mapped: the line map stands */
	}
	if (r < 0)
		return -1;
	if (r == 0)
		fill_line_map(c);	/* the gpiod backend's own layout */
	if (c->ops->attach && c->ops->attach(c))
		return -1;
	return 0;
}

static int set_reason(struct fgpio_chip *c, const char *why, const char *note)
{
	size_t rl = strlen(why) + strlen(note) + 64;

	c->reason = malloc(rl);
	if (!c->reason)
		return fgpio_fail(ENOMEM, "out of memory");
	snprintf(c->reason, rl, "%s; backend %s%s", why, backend_name(c->backend), note);
	return 0;
}

struct fgpio_chip *fgpio_chip_open(const struct fgpio_config *cfg_in)
{
	struct fgpio_config defaults;
	const struct fgpio_config *cfg = cfg_in;
	char why[512], detect_err[512] = "", note[1536] = "";

	if (!cfg) {
		fgpio_config_init(&defaults);
		cfg = &defaults;
	}
	if (check_config(cfg))
		return NULL;
	struct fgpio_chip *c = chip_new(cfg);

	if (!c)
		return NULL;
	if (choose_soc(c, cfg, why, sizeof(why), detect_err, sizeof(detect_err)) ||
	    attach_backend(c, cfg, detect_err, note, sizeof(note)) || set_reason(c, why, note)) {
		chip_free(c);	/* keeps errno */
		return NULL;
	}
	register_chip(c);
	return c;
}

static int check_chip(const struct fgpio_chip *c)
{
	if (!c)
		return fgpio_fail(EINVAL, "chip is NULL");
	return 0;
}

static int check_line(const struct fgpio_chip *c, unsigned line, unsigned *bank, unsigned *bit)
{
	*bank = *bit = 0;	/* set on every path: the compiler cannot see that a failure returns -1 */
	if (check_chip(c))
		return -1;
	if (fgpio_check_line(c, line))
		return -1;
	*bank = c->line_bank[line];
	*bit = c->line_bit[line];
	return 0;
}

int fgpio_chip_get_info(const struct fgpio_chip *c, struct fgpio_chip_info *info)
{
	if (check_chip(c))
		return -1;
	if (!info)
		return fgpio_fail(EINVAL, "info is NULL");
	memset(info, 0, sizeof(*info));
	info->soc = c->soc->name;
	info->board = c->board ? c->board->name : "unknown";
	info->backend = backend_name(c->backend);
	info->device = c->device;
	info->reason = c->reason;
	info->num_lines = c->soc->nlines;
	info->num_banks = c->soc->nbanks;
	if (c->backend == FGPIO_BACKEND_GPIOD)
		return 0;	/* no physical address involved */
	if (needs_base(c->soc))
		info->base = c->base;
	else if (c->soc->nbanks)
		info->base = c->soc->blocks[c->soc->banks[0].block].phys;
	if (c->backend == FGPIO_BACKEND_GPIOMEM && needs_base(c->soc))
		info->base = 0;
	return 0;
}

_Static_assert(FGPIO_SOC_RASPBERRY_PI == FGPIO_SOC_FLAG_RASPBERRY_PI &&
	       FGPIO_SOC_POSTED_WRITES == FGPIO_SOC_FLAG_POSTED_WRITES,
	       "public SoC flags are the tables' flags");

int fgpio_chip_get_soc_info(const struct fgpio_chip *c, struct fgpio_soc_info *info)
{
	if (check_chip(c))
		return -1;
	if (!info)
		return fgpio_fail(EINVAL, "info is NULL");
	memset(info, 0, sizeof(*info));
	info->name = c->soc->name;
	info->description = c->soc->description;
	info->family = c->ops->name;
	info->gpiochip_label = c->soc->gpiochip_label;
	info->bank_chip_label = c->soc->bank_chip_label;
	info->bench_line = c->soc->bench_line;
	info->flags = c->soc->flags;
	return 0;
}

unsigned fgpio_chip_num_lines(const struct fgpio_chip *c)
{
	return check_chip(c) ? 0 : c->soc->nlines;
}

unsigned fgpio_chip_num_banks(const struct fgpio_chip *c)
{
	return check_chip(c) ? 0 : c->soc->nbanks;
}

int fgpio_chip_bank_lines(const struct fgpio_chip *c, unsigned bank, unsigned *first, unsigned *count)
{
	if (check_chip(c) || fgpio_check_bank(c, bank))
		return -1;
	if (first)
		*first = c->soc->banks[bank].first_line;
	if (count)
		*count = c->soc->banks[bank].nlines;
	return 0;
}

int fgpio_chip_bank_write(struct fgpio_chip *c, unsigned bank, uint32_t mask, uint32_t values)
{
	unsigned count = 0;

	if (fgpio_chip_bank_lines(c, bank, NULL, &count))
		return -1;
	uint32_t valid = count >= 32 ? 0xffffffffu : ((1u << count) - 1u);

	if (mask & ~valid)
		return fgpio_fail(EINVAL, "mask 0x%08x names lines bank %u of %s does not have "
				  "(valid mask 0x%08x)", mask, bank, c->soc->name, valid);
	if (!mask)
		return 0;
	return c->ops->bank_write(c, bank, mask, values & mask);
}

int fgpio_chip_bank_read(struct fgpio_chip *c, unsigned bank, uint32_t *values)
{
	if (fgpio_chip_bank_lines(c, bank, NULL, NULL))
		return -1;
	if (!values)
		return fgpio_fail(EINVAL, "values is NULL");
	return c->ops->bank_read(c, bank, values);
}

int fgpio_chip_write(struct fgpio_chip *c, unsigned line, int value)
{
	unsigned bank, bit;

	if (check_line(c, line, &bank, &bit))
		return -1;
	return c->ops->bank_write(c, bank, 1u << bit, value ? 1u << bit : 0);
}

int fgpio_chip_set(struct fgpio_chip *c, unsigned line)
{
	return fgpio_chip_write(c, line, 1);
}

int fgpio_chip_clear(struct fgpio_chip *c, unsigned line)
{
	return fgpio_chip_write(c, line, 0);
}

int fgpio_chip_read(struct fgpio_chip *c, unsigned line)
{
	unsigned bank, bit;
	uint32_t v;

	if (check_line(c, line, &bank, &bit))
		return -1;
	if (c->ops->line_read)
		return c->ops->line_read(c, bank, bit);
	if (c->ops->bank_read(c, bank, &v))
		return -1;
	return (v >> bit) & 1u;
}

/* The generic checks of set_func and check_func: line and enum range. */
static int check_func_args(const struct fgpio_chip *c, unsigned line, enum fgpio_func func,
			   unsigned *bank, unsigned *bit)
{
	if (check_line(c, line, bank, bit))
		return -1;
	if ((unsigned)func >= FGPIO_FUNC_COUNT || func == FGPIO_FUNC_NONE)
		return fgpio_fail(EINVAL, "invalid function %d (use in, out or alt0-alt8)", (int)func);
	return 0;
}

int fgpio_chip_set_func(struct fgpio_chip *c, unsigned line, enum fgpio_func func)
{
	unsigned bank, bit;

	if (check_func_args(c, line, func, &bank, &bit))
		return -1;
	return c->ops->set_func(c, bank, bit, func);
}

int fgpio_chip_check_func(struct fgpio_chip *c, unsigned line, enum fgpio_func func)
{
	unsigned bank, bit;

	if (check_func_args(c, line, func, &bank, &bit))
		return -1;
	return c->ops->check_func(c, bank, bit, func);
}

int fgpio_chip_get_func(struct fgpio_chip *c, unsigned line)
{
	unsigned bank, bit;

	if (check_line(c, line, &bank, &bit))
		return -1;
	return c->ops->get_func(c, bank, bit);
}

int fgpio_chip_set_pull(struct fgpio_chip *c, unsigned line, enum fgpio_pull pull)
{
	unsigned bank, bit;

	if (check_line(c, line, &bank, &bit))
		return -1;
	if ((unsigned)pull >= FGPIO_PULL_COUNT)
		return fgpio_fail(EINVAL, "invalid pull %d (use off, up or down)", (int)pull);
	return c->ops->set_pull(c, bank, bit, pull);
}

int fgpio_chip_get_pull(struct fgpio_chip *c, unsigned line)
{
	unsigned bank, bit;

	if (check_line(c, line, &bank, &bit))
		return -1;
	return c->ops->get_pull(c, bank, bit);
}

int fgpio_line_init(struct fgpio_chip *c, unsigned line, struct fgpio_line *l)
{
	unsigned bank, bit;

	if (check_line(c, line, &bank, &bit))
		return -1;
	if (!l)
		return fgpio_fail(EINVAL, "line handle is NULL");
	struct fgpio_line tmp;

	memset(&tmp, 0, sizeof(tmp));
	tmp.mask = 1u << bit;
	tmp.line = line;
	tmp.chip = c;
	if (c->ops->line_init(c, bank, bit, &tmp))
		return -1;
	if (c->ops->line_read)
		tmp.in_reg = NULL;	/* the level is not one fixed register: fgpio_chip_read */
	*l = tmp;
	return 0;
}

int fgpio_chip_get_input_enable(struct fgpio_chip *c, unsigned line)
{
	unsigned bank, bit;

	if (check_line(c, line, &bank, &bit))
		return -1;
	if (!c->ops->get_input_enable)
		return fgpio_fail(ENOTSUP, "%s: fastgpio cannot tell whether the input receiver of "
				  "line %u is on", c->soc->name, line);
	return c->ops->get_input_enable(c, bank, bit);
}

int fgpio_chip_find_line(const struct fgpio_chip *c, const char *name)
{
	if (check_chip(c))
		return -1;
	return fgpio_parse_line_name(c, name);
}

unsigned fgpio_chip_num_header_pins(const struct fgpio_chip *c)
{
	if (check_chip(c) || !c->board)
		return 0;
	return c->board->npins;
}

int fgpio_chip_header_pin(const struct fgpio_chip *c, unsigned index, const char **label, int *line)
{
	if (check_chip(c))
		return -1;
	if (!c->board || index >= c->board->npins)
		return fgpio_fail(EINVAL, "header pin index %u out of range", index);
	if (label)
		*label = c->board->labels[index];
	if (line)
		*line = c->board->lines[index];
	return 0;
}

/*
 * Attaches edge events to @c on first use, over the port of the GPIO chip
 * carrying its lines: the gpiod backend's own (which keeps and closes it),
 * else one opened for the SoC's chip, handed to the events to own and
 * close. Caller holds the lock.
 */
static int events_ready(struct fgpio_chip *c)
{
	struct fgpio_gpiod_port *p;

	if (c->events)
		return 0;
	if (c->regfile)
		return fgpio_fail(ENOTSUP, "a register file has no edge events or kernel line info: "
				  "they come from the kernel's GPIO character device");
	p = fgpio_gpiod_chip_port(c);
	if (p)
		return fgpio_events_attach(c, p, 0);
	p = fgpio_gpiod_open_soc_port(c);
	return p ? fgpio_events_attach(c, p, 1) : -1;
}

int fgpio_chip_watch(struct fgpio_chip *c, unsigned line, int edge, unsigned debounce_us)
{
	int fd;

	if (fgpio_events_check_watch(c, line, edge))
		return -1;
	fgpio_lock(c);
	fd = events_ready(c) ? -1 : fgpio_events_watch(c, line, edge, debounce_us);
	fgpio_unlock(c);
	return fd;
}

int fgpio_chip_line_owner(struct fgpio_chip *c, unsigned line, char *consumer, size_t len)
{
	int r;

	if (fgpio_events_check_owner(c, line, consumer, len))
		return -1;
	fgpio_lock(c);
	r = events_ready(c) ? -1 : fgpio_events_line_owner(c, line, consumer, len);
	fgpio_unlock(c);
	return r;
}
