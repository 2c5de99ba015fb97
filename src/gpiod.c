/* SPDX-License-Identifier: MIT */
/*
 * src/gpiod.c - the gpiod backend: GPIO lines through the kernel's GPIO
 * character device (libgpiod), behind the same family ops as the mmap
 * backends. What does not depend on the libgpiod generation lives here; the
 * kernel is reached through the port of gpiod_backend.h (gpiod_v1.c / gpiod_v2.c).
 *
 * Semantics (the mmap backends' as far as the character device allows):
 *  - line numbers are the chip's line offsets, banks 32 consecutive lines;
 *  - a line is requested (consumer "fastgpio") on its first use and held
 *    until the chip is closed: a released line may be reset by its driver
 *    (pinctrl-bcm2835 switches a freed line to input), so outputs would not
 *    keep their level otherwise;
 *  - the first request keeps the line's direction ("as is"); writing an
 *    input line only latches the value, which the line drives once it is
 *    made an output, as the output latch of a GPIO block does;
 *  - set_func(IN/OUT) reconfigures the held request, alternate functions
 *    fail with ENOTSUP; a line held by another consumer fails with EBUSY.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gpiod_backend.h"

#define DEFAULT_DEV_DIR "/dev"
#define MAX_SCAN 64

/* Which lines the chip holds, and how, is the port's record (fgpio_gpiod_port_line). */
struct fgpio_gpiod {
	struct fgpio_gpiod_port *port;
	unsigned nlines;
	char label[FGPIO_GPIOD_LABEL_MAX];
};

/* The line layout a gpiod chip is given: a copy of the SoC table or a plain one. */
struct gpiod_layout {
	struct fgpio_soc soc;		/* first member: free(c->own_soc) frees the whole */
	struct fgpio_soc_bank banks[FGPIO_MAX_LINES / 32];
	char description[FGPIO_GPIOD_LABEL_MAX + 32];
};

/* The label of the kernel's gpio_chip carrying the SoC's numbering, or NULL. */
const char *fgpio_gpiod_soc_label(const struct fgpio_soc *soc)
{
	return soc ? soc->gpiochip_label : NULL;
}

static void list_chips(char *buf, size_t len, const struct fgpio_gpiod_chipdesc *chips, size_t n)
{
	buf[0] = 0;
	for (size_t i = 0; i < n; i++) {
		size_t u = strlen(buf);

		if (chips[i].usable)
			snprintf(buf + u, len - u, "%s%s (%s, %u lines)", i ? ", " : "", chips[i].path,
				 chips[i].label, chips[i].nlines);
		else
			snprintf(buf + u, len - u, "%s%s (unusable: %s)", i ? ", " : "", chips[i].path,
				 chips[i].error);
	}
}

int fgpio_gpiod_pick(const struct fgpio_gpiod_chipdesc *chips, size_t n, const char *want_label,
		     const char *dir)
{
	char list[1024];
	int found = -1;
	size_t usable = 0;

	for (size_t i = 0; i < n; i++) {
		if (!chips[i].usable)
			continue;
		usable++;
		if (want_label && strcmp(chips[i].label, want_label) == 0 && found < 0)
			found = (int)i;
		if (!want_label)
			found = (int)i;
	}
	if (want_label && found >= 0)
		return found;
	if (!want_label && usable == 1)
		return found;
	list_chips(list, sizeof(list), chips, n);
	if (!n)
		return fgpio_fail(ENODEV, "no GPIO character device (gpiochip*) in %s", dir);
	if (want_label)
		return fgpio_fail(ENODEV, "no GPIO chip labelled \"%s\" in %s (found: %s); name one "
				  "with gpiochip=", want_label, dir, list);
	if (!usable)
		return fgpio_fail(ENODEV, "no usable GPIO chip in %s (found: %s)", dir, list);
	return fgpio_fail(ENODEV, "%zu GPIO chips in %s and the SoC is unknown, so none is the "
			  "obvious one (found: %s); name one with gpiochip=", usable, dir, list);
}

static char version[48];
static pthread_once_t version_once = PTHREAD_ONCE_INIT;

static void version_init(void)
{
	const char *v = fgpio_gpiod_port_libversion();

	if (v)
		snprintf(version, sizeof(version), "libgpiod %s", v);
}

const char *fgpio_gpiod_version(void)
{
	pthread_once(&version_once, version_init);
	return version[0] ? version : NULL;
}

/*
 * 0 when a libgpiod is loaded; else fails with fgpio_gpiod_port_load's errno
 * (ENOTSUP, or EINVAL for a bad FASTGPIO_LIBGPIOD), saying that @what needs one.
 */
static int need_libgpiod(const char *what)
{
	if (fgpio_gpiod_port_load() == 0)
		return 0;
	return fgpio_fail(errno, "%s: %s", what, fgpio_last_error());
}

static unsigned line_of(unsigned bank, unsigned bit)
{
	return bank * 32u + bit;
}

static int fail_busy(struct fgpio_chip *c, unsigned line, const char *consumer)
{
	if (consumer && consumer[0])
		return fgpio_fail(EBUSY, "line %u of %s (%s) is held by \"%s\": release it there first",
				  line, c->device, c->gpiod->label, consumer);
	return fgpio_fail(EBUSY, "line %u of %s (%s) is held by the kernel (a driver or a "
			  "peripheral function owns it)", line, c->device, c->gpiod->label);
}

/* A watched line's request is the event request: reconfiguring it would drop the watch. */
static int refuse_watched(struct fgpio_chip *c, unsigned line, const char *what)
{
	if (!fgpio_gpiod_port_line(c->gpiod->port, line)->watched)
		return 0;
	return fgpio_fail(EBUSY, "line %u is watched for edge events: unwatch it to %s on the gpiod "
			  "backend (or set the pull before watching)", line, what);
}

/*
 * Requests @line as is unless this chip already holds it (the port records
 * its direction and an output's level). Caller holds the lock.
 */
static int hold(struct fgpio_chip *c, unsigned line)
{
	struct fgpio_gpiod *g = c->gpiod;
	struct fgpio_gpiod_lineinfo li;

	if (fgpio_gpiod_port_line(g->port, line)->held)
		return 0;
	if (fgpio_gpiod_port_info(g->port, line, &li))
		return -1;
	if (li.used)
		return fail_busy(c, line, li.consumer);
	if (fgpio_gpiod_port_config(g->port, line, -1, 0, -1)) {
		if (errno == EBUSY) {
			/* Taken between the info and the request. */
			if (fgpio_gpiod_port_info(g->port, line, &li) == 0)
				return fail_busy(c, line, li.consumer);
			return fail_busy(c, line, NULL);
		}
		return -1;
	}
	return 0;
}

static int gpiod_bank_write(struct fgpio_chip *c, unsigned bank, uint32_t mask, uint32_t values)
{
	struct fgpio_gpiod *g = c->gpiod;
	int r = 0;

	fgpio_lock(c);
	/* Every line first: a busy line fails the call before anything is driven. */
	for (unsigned bit = 0; bit < 32 && r == 0; bit++)
		if (mask & (1u << bit))
			r = hold(c, line_of(bank, bit));
	/* The port drives outputs and latches inputs' values for when they become outputs. */
	for (unsigned bit = 0; bit < 32 && r == 0; bit++)
		if (mask & (1u << bit))
			r = fgpio_gpiod_port_set(g->port, line_of(bank, bit), (values >> bit) & 1u);
	fgpio_unlock(c);
	return r;
}

static int gpiod_bank_read(struct fgpio_chip *c, unsigned bank, uint32_t *values)
{
	struct fgpio_gpiod *g = c->gpiod;
	unsigned first = 0, count = 0;
	uint32_t v = 0;
	int r = 0;

	first = c->soc->banks[bank].first_line;	/* bank checked by chip.c */
	count = c->soc->banks[bank].nlines;
	fgpio_lock(c);
	for (unsigned bit = 0; bit < count && r == 0; bit++)
		r = hold(c, first + bit);
	for (unsigned bit = 0; bit < count && r == 0; bit++) {
		int x = fgpio_gpiod_port_get(g->port, first + bit);

		if (x < 0)
			r = -1;
		else if (x)
			v |= 1u << bit;
	}
	fgpio_unlock(c);
	if (r == 0)
		*values = v;
	return r;
}

static int gpiod_line_read(struct fgpio_chip *c, unsigned bank, unsigned bit)
{
	unsigned line = line_of(bank, bit);
	int r;

	fgpio_lock(c);
	r = hold(c, line);
	if (r == 0)
		r = fgpio_gpiod_port_get(c->gpiod->port, line);
	fgpio_unlock(c);
	return r < 0 ? -1 : r != 0;
}

/*
 * set_func's refusals that need no request to the kernel (check_func is this
 * alone; a line another consumer holds is only found by requesting it).
 * Caller holds the lock.
 */
static int func_refused(struct fgpio_chip *c, unsigned line, enum fgpio_func f)
{
	if (f != FGPIO_FUNC_IN && f != FGPIO_FUNC_OUT)
		return fgpio_fail(ENOTSUP, "%s is not supported on the gpiod backend (the GPIO "
				  "character device only sets in and out); use the gpiomem or devmem "
				  "backend, or a device-tree overlay", fgpio_func_name(f));
	return refuse_watched(c, line, "change its direction");
}

static int gpiod_check_func(struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_func f)
{
	int r;

	fgpio_lock(c);
	r = func_refused(c, line_of(bank, bit), f);
	fgpio_unlock(c);
	return r;
}

static int gpiod_set_func(struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_func f)
{
	struct fgpio_gpiod *g = c->gpiod;
	unsigned line = line_of(bank, bit);
	int out = f == FGPIO_FUNC_OUT;
	int r;

	fgpio_lock(c);
	r = func_refused(c, line, f);
	if (r == 0)
		r = hold(c, line);
	const struct fgpio_gpiod_line *l = fgpio_gpiod_port_line(g->port, line);

	if (r == 0 && l->output != out)
		r = fgpio_gpiod_port_config(g->port, line, out, l->latch, l->bias);
	fgpio_unlock(c);
	return r;
}

static int gpiod_get_func(struct fgpio_chip *c, unsigned bank, unsigned bit)
{
	struct fgpio_gpiod *g = c->gpiod;
	unsigned line = line_of(bank, bit);
	struct fgpio_gpiod_lineinfo li;
	int r;

	fgpio_lock(c);
	const struct fgpio_gpiod_line *l = fgpio_gpiod_port_line(g->port, line);

	if (l->held) {
		r = l->output ? FGPIO_FUNC_OUT : FGPIO_FUNC_IN;
	} else if (fgpio_gpiod_port_info(g->port, line, &li)) {
		r = -1;
	} else if (li.used && !li.consumer[0]) {
		/* Claimed without a consumer name: pinctrl muxed it to a peripheral. */
		r = FGPIO_FUNC_NONE;
	} else {
		r = li.output ? FGPIO_FUNC_OUT : FGPIO_FUNC_IN;
	}
	fgpio_unlock(c);
	return r;
}

static int gpiod_set_pull(struct fgpio_chip *c, unsigned bank, unsigned bit, enum fgpio_pull p)
{
	struct fgpio_gpiod *g = c->gpiod;
	unsigned line = line_of(bank, bit);
	int r;

	if (p != FGPIO_PULL_OFF && p != FGPIO_PULL_UP && p != FGPIO_PULL_DOWN)
		return fgpio_fail(ENOTSUP, "pull %s is not supported on the gpiod backend (use off, "
				  "up or down)", fgpio_pull_name(p));
	fgpio_lock(c);
	r = refuse_watched(c, line, "change its pull");
	if (r == 0)
		r = hold(c, line);
	const struct fgpio_gpiod_line *l = fgpio_gpiod_port_line(g->port, line);

	if (r == 0)
		r = fgpio_gpiod_port_config(g->port, line, l->output, l->latch, (int)p);
	fgpio_unlock(c);
	return r;
}

static int gpiod_get_pull(struct fgpio_chip *c, unsigned bank, unsigned bit)
{
	struct fgpio_gpiod *g = c->gpiod;
	unsigned line = line_of(bank, bit);
	struct fgpio_gpiod_lineinfo li;
	int r;

	fgpio_lock(c);
	int bias = fgpio_gpiod_port_bias(g->port, line);

	if (bias >= 0)
		r = bias;
	else if (fgpio_gpiod_port_info(g->port, line, &li))
		r = -1;
	else if (li.bias >= 0)
		r = li.bias;
	else
		r = fgpio_fail(ENOTSUP, "the kernel does not report the bias of line %u of %s: it "
			       "reports only a bias set through the GPIO character device (set one "
			       "with set_pull)", line, c->device);
	fgpio_unlock(c);
	return r;
}

static int gpiod_line_init(struct fgpio_chip *c, unsigned bank, unsigned bit, struct fgpio_line *l)
{
	/* No register to cache: the inline fast path falls back to fgpio_chip_set/clear/read. */
	(void)c;
	(void)bank;
	(void)bit;
	l->set_reg = l->clr_reg = l->in_reg = NULL;
	return 0;
}

const struct fgpio_family_ops fgpio_gpiod_ops = {
	.name = "gpiod",
	.attach = NULL,
	.bank_write = gpiod_bank_write,
	.bank_read = gpiod_bank_read,
	.set_func = gpiod_set_func,
	.check_func = gpiod_check_func,
	.get_func = gpiod_get_func,
	.set_pull = gpiod_set_pull,
	.get_pull = gpiod_get_pull,
	.line_init = gpiod_line_init,
	.locate = NULL,
	.line_read = gpiod_line_read,
};

static int chip_number(const char *name)
{
	if (strncmp(name, "gpiochip", 8) != 0 || !name[8])
		return -1;
	for (const char *p = name + 8; *p; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	return atoi(name + 8);
}

static int cmp_desc(const void *a, const void *b)
{
	const struct fgpio_gpiod_chipdesc *x = a, *y = b;
	const char *nx = strrchr(x->path, '/'), *ny = strrchr(y->path, '/');
	int ix = chip_number(nx ? nx + 1 : x->path), iy = chip_number(ny ? ny + 1 : y->path);

	return (ix > iy) - (ix < iy);
}

/* Lists and describes the gpiochip* entries of @dir; *n receives their count. */
static int scan_dir(const char *dir, struct fgpio_gpiod_chipdesc *chips, size_t max, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	*n = 0;
	if (!d)
		return fgpio_fail(errno == ENOENT ? ENODEV : errno, "cannot list %s: %s", dir,
				  strerror(errno));
	while ((e = readdir(d)) != NULL && *n < max) {
		if (chip_number(e->d_name) < 0)
			continue;
		struct fgpio_gpiod_chipdesc *cd = &chips[*n];

		memset(cd, 0, sizeof(*cd));
		if (strlen(dir) + 1 + strlen(e->d_name) >= sizeof(cd->path))
			continue;	/* cannot be opened by name anyway */
		memcpy(cd->path, dir, strlen(dir));
		cd->path[strlen(dir)] = '/';
		memcpy(cd->path + strlen(dir) + 1, e->d_name, strlen(e->d_name) + 1);
		(*n)++;
	}
	closedir(d);
	qsort(chips, *n, sizeof(*chips), cmp_desc);
	for (size_t i = 0; i < *n; i++) {
		struct fgpio_gpiod_port *p = fgpio_gpiod_port_open(chips[i].path, chips[i].label,
								   &chips[i].nlines);

		if (p) {
			chips[i].usable = 1;
			fgpio_gpiod_port_close(p);
		} else {
			snprintf(chips[i].error, sizeof(chips[i].error), "%s", strerror(errno));
		}
	}
	return 0;
}

/*
 * The character device to attach: @gpiochip when it names one, else the chip
 * in @gpiochip's directory (or /dev) labelled @want, or with no @want the only
 * chip there. An SoC whose lines are spread over several chips (no @want)
 * needs @gpiochip.
 */
static int find_chip_path(const struct fgpio_chip *c, const char *gpiochip, const char *want,
			  char *path, size_t pathlen)
{
	const char *dir = DEFAULT_DEV_DIR;
	struct stat st;

	if (gpiochip && stat(gpiochip, &st) == 0 && S_ISDIR(st.st_mode))
		dir = gpiochip;
	else if (gpiochip)
		dir = NULL;
	if (!dir) {
		if (strlen(gpiochip) >= pathlen)
			return fgpio_fail(EINVAL, "gpiochip path too long (%zu bytes)", strlen(gpiochip));
		memcpy(path, gpiochip, strlen(gpiochip) + 1);
		return 0;
	}
	if (c->soc && !want)
		return fgpio_fail(ENODEV, "the GPIO lines of %s are spread over several GPIO chips: "
				  "name one with gpiochip= (its line offsets become the line numbers)",
				  c->soc->name);
	struct fgpio_gpiod_chipdesc *chips = calloc(MAX_SCAN, sizeof(*chips));
	size_t n = 0;

	if (!chips)
		return fgpio_fail(ENOMEM, "out of memory");
	int i = scan_dir(dir, chips, MAX_SCAN, &n) ? -1 : fgpio_gpiod_pick(chips, n, want, dir);

	if (i >= 0)
		snprintf(path, pathlen, "%s", chips[i].path);
	free(chips);
	return i < 0 ? -1 : 0;
}

/*
 * The line layout of a chip of @nlines lines: the SoC table's names, boards
 * and facts when the chip is the SoC's own controller (@matched), else plain
 * offsets; banks of 32 lines, no register blocks.
 */
static void fill_layout(struct gpiod_layout *lay, const struct fgpio_soc *soc, int matched,
			const char *label, unsigned nlines)
{
	unsigned n = nlines;

	if (matched) {
		lay->soc = *soc;
		if (soc->nlines < n)
			n = soc->nlines;
	} else {
		lay->soc.name = "unknown";
		lay->soc.name_style = FGPIO_NAMES_FLAT;	/* and no facts of a SoC (flags, labels) */
	}
	if (n > FGPIO_MAX_LINES)
		n = FGPIO_MAX_LINES;
	snprintf(lay->description, sizeof(lay->description), "GPIO chip %s", label);
	lay->soc.description = lay->description;
	lay->soc.nlines = (uint16_t)n;
	lay->soc.ranges_bus = lay->soc.default_base = 0;
	lay->soc.gpiomem_path = NULL;
	lay->soc.blocks = NULL;
	lay->soc.nblocks = 0;
	lay->soc.regs = NULL;
	lay->soc.ops = &fgpio_gpiod_ops;
	for (unsigned b = 0; b * 32u < n; b++) {
		lay->banks[b].first_line = (uint16_t)(b * 32u);
		lay->banks[b].nlines = (uint8_t)(n - b * 32u < 32u ? n - b * 32u : 32u);
		lay->banks[b].block = 0;
		lay->soc.nbanks = b + 1;
	}
	lay->soc.banks = lay->banks;
}

int fgpio_gpiod_attach(struct fgpio_chip *c, const char *gpiochip, char *note, size_t notelen)
{
	const char *want = c->soc ? fgpio_gpiod_soc_label(c->soc) : NULL;
	char path[256];

	if (need_libgpiod("the gpiod backend is not available") ||
	    find_chip_path(c, gpiochip, want, path, sizeof(path)))
		return -1;
	struct fgpio_gpiod *g = calloc(1, sizeof(*g));
	struct gpiod_layout *lay = calloc(1, sizeof(*lay));
	char *dev = strdup(path);

	if (g && lay && dev)
		g->port = fgpio_gpiod_port_open(path, g->label, &g->nlines);
	else
		fgpio_fail(ENOMEM, "out of memory");
	if (!g || !lay || !dev || !g->port) {
		int e = errno;

		free(g);
		free(lay);
		free(dev);
		errno = e;
		return -1;
	}
	int matched = want && strcmp(g->label, want) == 0;

	fill_layout(lay, c->soc, matched, g->label, g->nlines);
	if (!matched)
		c->board = NULL;
	size_t u = strlen(note);

	snprintf(note + u, notelen - u, "; using gpiod on %s (%s, %u lines%s, %s)", path, g->label,
		 g->nlines, matched ? ", offsets = the SoC's line numbers" :
		 c->soc ? ", not the SoC's GPIO controller: plain offsets" : "",
		 fgpio_gpiod_version());
	c->gpiod = g;
	c->own_soc = &lay->soc;
	c->soc = &lay->soc;
	c->ops = &fgpio_gpiod_ops;
	c->backend = FGPIO_BACKEND_GPIOD;
	free(c->device);
	c->device = dev;
	return 0;
}

struct fgpio_gpiod_port *fgpio_gpiod_chip_port(const struct fgpio_chip *c)
{
	return c->gpiod ? c->gpiod->port : NULL;
}

struct fgpio_gpiod_port *fgpio_gpiod_open_soc_port(const struct fgpio_chip *c)
{
	const char *want = c->soc ? fgpio_gpiod_soc_label(c->soc) : NULL;
	const char *dir = DEFAULT_DEV_DIR;
	char path[256], label[FGPIO_GPIOD_LABEL_MAX];
	unsigned nlines = 0;
	struct stat st;

	if (need_libgpiod("edge events and the kernel's line info need libgpiod"))
		return NULL;
	if (!want) {
		fgpio_fail(ENOTSUP, "the GPIO lines of %s are spread over several kernel GPIO chips, "
			   "so an mmap chip cannot take events or line info from one: open "
			   "Chip(backend=\"gpiod\", gpiochip=...) on the bank's chip for that",
			   c->soc ? c->soc->name : "this SoC");
		return NULL;
	}
	if (c->gpiochip && !(stat(c->gpiochip, &st) == 0 && S_ISDIR(st.st_mode))) {
		snprintf(path, sizeof(path), "%s", c->gpiochip);	/* named by the caller */
	} else {
		struct fgpio_gpiod_chipdesc *chips = calloc(MAX_SCAN, sizeof(*chips));
		size_t n = 0;
		int i;

		if (c->gpiochip)
			dir = c->gpiochip;
		if (!chips) {
			fgpio_fail(ENOMEM, "out of memory");
			return NULL;
		}
		i = scan_dir(dir, chips, MAX_SCAN, &n) ? -1 : fgpio_gpiod_pick(chips, n, want, dir);
		if (i >= 0)
			snprintf(path, sizeof(path), "%s", chips[i].path);
		free(chips);
		if (i < 0) {
			char why[768];

			snprintf(why, sizeof(why), "%s", fgpio_last_error());
			fgpio_fail(ENOTSUP, "no kernel GPIO chip for the lines of %s, so no edge events "
				   "or line info: %s", c->soc->name, why);
			return NULL;
		}
	}
	struct fgpio_gpiod_port *p = fgpio_gpiod_port_open(path, label, &nlines);

	if (p && nlines < c->soc->nlines) {
		fgpio_gpiod_port_close(p);
		fgpio_fail(ENOTSUP, "%s (%s) has %u lines, fewer than the %u of %s: not its GPIO "
			   "controller", path, label, nlines, c->soc->nlines, c->soc->name);
		return NULL;
	}
	return p;
}

void fgpio_gpiod_detach(struct fgpio_chip *c)
{
	if (!c || !c->gpiod)
		return;
	fgpio_gpiod_port_close(c->gpiod->port);
	free(c->gpiod);
	c->gpiod = NULL;
}

