/* SPDX-License-Identifier: MIT */
/*
 * tests/c/test_detect.c - device-tree parsing: soc/ranges with every cell
 * layout, malformed trees, SoC detection and the refusal paths.
 */
#define _GNU_SOURCE 1	/* nftw, SEEK_DATA, O_TMPFILE */
#include <ftw.h>
#include <stdarg.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "harness.h"
#include "internal.h"

static void test_ranges_layouts(const char *tmp)
{
	uint64_t base = 0;

	/* Pi 3 (bcm2837.dtsi): one address cell everywhere. */
	char *pi3 = th_dt_root(tmp, "pi3");
	uint32_t one = 1;
	const uint32_t pi3_ranges[] = { 0x7e000000, 0x3f000000, 0x01000000, 0x40000000, 0x40000000, 0x00001000 };

	th_dt_cells(pi3, "#address-cells", &one, 1);
	th_dt_cells(pi3, "soc/#address-cells", &one, 1);
	th_dt_cells(pi3, "soc/#size-cells", &one, 1);
	th_dt_cells(pi3, "soc/ranges", pi3_ranges, 6);
	CHECK(fgpio_dt_soc_base(pi3, 0x7e000000, &base) == 0);
	CHECK(base == 0x3f000000);

	/* Pi 4 (bcm2711.dtsi): root has two address cells; a naive read of word 1 gives 0. */
	char *pi4 = th_dt_root(tmp, "pi4");
	uint32_t two = 2;
	const uint32_t pi4_ranges[] = {
		0x7e000000, 0x0, 0xfe000000, 0x01800000,
		0x7c000000, 0x0, 0xfc000000, 0x02000000,
		0x40000000, 0x0, 0xff800000, 0x00800000,
	};

	th_dt_cells(pi4, "#address-cells", &two, 1);
	th_dt_cells(pi4, "soc/#address-cells", &one, 1);
	th_dt_cells(pi4, "soc/#size-cells", &one, 1);
	th_dt_cells(pi4, "soc/ranges", pi4_ranges, 12);
	CHECK(fgpio_dt_soc_base(pi4, 0x7e000000, &base) == 0);
	CHECK(base == 0xfe000000);
	/* An address inside a later entry translates through that entry. */
	CHECK(fgpio_dt_soc_base(pi4, 0x7e200000, &base) == 0);
	CHECK(base == 0xfe200000);
	CHECK(fgpio_dt_soc_base(pi4, 0x40000010, &base) == 0);
	CHECK(base == 0xff800010);

	/* A parent above 4 GiB needs both cells. */
	char *hi = th_dt_root(tmp, "hi");
	const uint32_t hi_ranges[] = { 0x7e000000, 0x10, 0x7c000000, 0x01800000 };

	th_dt_cells(hi, "#address-cells", &two, 1);
	th_dt_cells(hi, "soc/#address-cells", &one, 1);
	th_dt_cells(hi, "soc/#size-cells", &one, 1);
	th_dt_cells(hi, "soc/ranges", hi_ranges, 4);
	CHECK(fgpio_dt_soc_base(hi, 0x7e000000, &base) == 0);
	CHECK(base == 0x107c000000ull);

	/* Missing #address-cells files take the devicetree defaults (2 and 1). */
	char *def = th_dt_root(tmp, "defaults");
	const uint32_t def_ranges[] = { 0x0, 0x7e000000, 0x0, 0x20000000, 0x01000000 };

	th_dt_cells(def, "soc/ranges", def_ranges, 5);
	CHECK(fgpio_dt_soc_base(def, 0x7e000000, &base) == 0);
	CHECK(base == 0x20000000);

	/* Empty ranges: identity mapping. */
	char *id = th_dt_root(tmp, "identity");

	th_dt_cells(id, "#address-cells", &one, 1);
	th_dt_cells(id, "soc/#address-cells", &one, 1);
	th_dt_cells(id, "soc/#size-cells", &one, 1);
	th_dt_prop(id, "soc/ranges", "", 0);
	CHECK(fgpio_dt_soc_base(id, 0x7e000000, &base) == 0);
	CHECK(base == 0x7e000000);
}

static void test_ranges_malformed(const char *tmp)
{
	uint64_t base = 0xdead;
	uint32_t one = 1, five = 5, two = 2;

	/* Truncated: 5 bytes is no whole entry. */
	char *t = th_dt_root(tmp, "trunc");

	th_dt_cells(t, "#address-cells", &one, 1);
	th_dt_cells(t, "soc/#address-cells", &one, 1);
	th_dt_cells(t, "soc/#size-cells", &one, 1);
	th_dt_prop(t, "soc/ranges", "\x7e\0\0\0\x3f", 5);
	CHECK_ERR(fgpio_dt_soc_base(t, 0x7e000000, &base), EINVAL);

	/* Absurd cell counts. */
	char *a = th_dt_root(tmp, "absurd");

	th_dt_cells(a, "#address-cells", &five, 1);
	th_dt_cells(a, "soc/#address-cells", &one, 1);
	th_dt_cells(a, "soc/#size-cells", &one, 1);
	th_dt_prop(a, "soc/ranges", "\0\0\0\0", 4);
	CHECK_ERR(fgpio_dt_soc_base(a, 0x7e000000, &base), EINVAL);

	/* A cell-count property of the wrong size. */
	char *w = th_dt_root(tmp, "wrongsize");

	th_dt_prop(w, "#address-cells", "\0\0", 2);
	th_dt_prop(w, "soc/ranges", "", 0);
	CHECK_ERR(fgpio_dt_soc_base(w, 0x7e000000, &base), EINVAL);

	/* No ranges at all. */
	char *m = th_dt_root(tmp, "missing");

	th_dt_cells(m, "#address-cells", &one, 1);
	CHECK_ERR(fgpio_dt_soc_base(m, 0x7e000000, &base), ENOENT);

	/* Ranges that do not cover the bus address. */
	char *n = th_dt_root(tmp, "nocover");
	const uint32_t r[] = { 0x40000000, 0x0, 0xff800000, 0x00800000 };

	th_dt_cells(n, "#address-cells", &two, 1);
	th_dt_cells(n, "soc/#address-cells", &one, 1);
	th_dt_cells(n, "soc/#size-cells", &one, 1);
	th_dt_cells(n, "soc/ranges", r, 4);
	CHECK_ERR(fgpio_dt_soc_base(n, 0x7e000000, &base), ERANGE);

	/* Huge property: larger than the reader accepts. */
	char *h = th_dt_root(tmp, "huge");
	static unsigned char big[8192];

	th_dt_cells(h, "#address-cells", &one, 1);
	th_dt_cells(h, "soc/#address-cells", &one, 1);
	th_dt_cells(h, "soc/#size-cells", &one, 1);
	th_dt_prop(h, "soc/ranges", big, sizeof(big));
	CHECK_ERR(fgpio_dt_soc_base(h, 0x7e000000, &base), EFBIG);
	CHECK(base == 0xdead);
}

static void test_detect_unknown(const char *tmp)
{
	char *u = th_dt_root(tmp, "unknown");
	const char compat[] = "acme,widget\0acme,soc9000";
	const struct fgpio_board_desc *b = NULL;
	char why[256];

	th_dt_compatible(u, "compatible", compat, sizeof(compat));
	errno = 0;
	CHECK(fgpio_detect_soc(u, &b, why, sizeof(why)) == NULL);
	CHECK(errno == ENODEV);
	CHECK(strstr(fgpio_last_error(), "acme,widget") != NULL);

	/* Opening without a SoC name on an unknown tree fails before any mapping. */
	char *regs = th_regfile(tmp, "unknown.bin", 4096);
	char *regs_owned = regs;
	struct fgpio_config cfg;

	fgpio_config_init(&cfg);
	cfg.dt_root = u;
	cfg.devmem = regs;
	errno = 0;
	CHECK(fgpio_chip_open(&cfg) == NULL);
	CHECK(errno == ENODEV);

	/* No device tree at all. */
	cfg.dt_root = "/nonexistent-device-tree";
	errno = 0;
	CHECK(fgpio_chip_open(&cfg) == NULL);
	CHECK(errno == ENODEV);

	/* Unknown SoC name: a bad argument. */
	cfg.soc = "z80";
	errno = 0;
	CHECK(fgpio_chip_open(&cfg) == NULL);
	CHECK(errno == EINVAL);
	CHECK(strstr(fgpio_last_error(), "z80") != NULL);

	/*
	 * An explicit SoC on a real memory device (any character device: /dev/zero
	 * here) is refused when the device tree names an unknown SoC: the caller's
	 * choice only stands where there is no device tree at all.
	 */
	fgpio_config_init(&cfg);
	cfg.soc = "bcm2837";
	cfg.gpiomem = "/dev/zero";	/* mapped at offset 0, like /dev/gpiomem */
	cfg.dt_root = u;
	errno = 0;
	CHECK(fgpio_chip_open(&cfg) == NULL);
	CHECK(errno == ENODEV);
	CHECK(strstr(fgpio_last_error(), "refusing") != NULL);
	cfg.dt_root = "/nonexistent-device-tree";
	struct fgpio_chip *c = fgpio_chip_open(&cfg);

	CHECK(c != NULL);
	fgpio_chip_close(c);
	/* Something that cannot be mapped at all is not an unknown SoC. */
	cfg.gpiomem = "/dev/null";
	errno = 0;
	CHECK(fgpio_chip_open(&cfg) == NULL);
	CHECK(errno == ENOTSUP);

	/* Bad enums and flags. */
	fgpio_config_init(&cfg);
	cfg.backend = (enum fgpio_backend)7;
	CHECK(fgpio_chip_open(&cfg) == NULL && errno == EINVAL);
	fgpio_config_init(&cfg);
	cfg.flags = 0x80;
	CHECK(fgpio_chip_open(&cfg) == NULL && errno == EINVAL);
	free(regs_owned);
}


/* ---- properties that exist but cannot be read ---- */

enum prop_kind { K_FILE, K_DIR, K_FIFO, K_DANGLING, K_HUGE, K_SOCKET, K_NOACCESS, K_NKINDS };

static const char *const kind_names[K_NKINDS] = {
	"regular file", "directory", "FIFO", "dangling symlink", "oversized", "socket", "mode 000",
};

/* Makes <root>/<prop> a @kind (K_FILE: @data, K_HUGE: @data then 1 MiB of zeros). */
static void make_prop(const char *root, const char *prop, enum prop_kind kind, const void *data,
		      size_t len)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", root, prop);
	th_dt_prop(root, prop, data, len);	/* creates the directories */
	if (kind == K_FILE)
		return;
	unlink(p);
	switch (kind) {
	case K_DIR:
		mkdir(p, 0755);
		break;
	case K_FIFO:
		mkfifo(p, 0644);
		break;
	case K_DANGLING:
		if (symlink("no-such-target", p) != 0)
			perror(p);
		break;
	case K_HUGE:
	case K_NOACCESS:
		th_dt_prop(root, prop, data, len);
		if (kind == K_HUGE && truncate(p, 1 << 20) != 0)
			perror(p);
		if (kind == K_NOACCESS)
			chmod(p, 0);
		break;
	case K_SOCKET: {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (strlen(p) >= sizeof(sa.sun_path)) {
			fprintf(stderr, "%s: too long for a socket path\n", p);
			exit(2);
		}
		memcpy(sa.sun_path, p, strlen(p) + 1);
		if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) != 0)
			perror(p);
		if (s >= 0)
			close(s);
		break;
	}
	default:
		break;
	}
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(p);
}

static void rm_tree(const char *root)
{
	nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* 1 when no page of @path holds data: nothing was ever stored into the register file. */
static int regfile_untouched(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t d = fd < 0 ? 0 : lseek(fd, 0, SEEK_DATA);
	int e = errno;

	if (fd >= 0)
		close(fd);
	return fd >= 0 && d < 0 && e == ENXIO;
}

/* 1 when @path appears in this process's memory map. */
static int is_mapped(const char *path)
{
	char line[4608];
	FILE *f = fopen("/proc/self/maps", "re");
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, path) != NULL;
	fclose(f);
	return found;
}

/* A Raspberry Pi 4 tree (bcm2711.dtsi) with its GPIO node. */
static void pi4_tree(const char *root)
{
	const uint32_t one = 1, two = 2;
	const uint32_t ranges[] = {
		0x7e000000, 0x0, 0xfe000000, 0x01800000,
		0x7c000000, 0x0, 0xfc000000, 0x02000000,
		0x40000000, 0x0, 0xff800000, 0x00800000,
	};
	const uint32_t gpio_reg[] = { 0x7e200000, 0xb4 };
	const uint32_t rev = 0x00c03114;	/* new-style code: Pi 4 B 4GB */
	static const char compat[] = "raspberrypi,4-model-b\0brcm,bcm2711";
	static const char model[] = "Raspberry Pi 4 Model B Rev 1.4";

	mkdir(root, 0755);
	th_dt_compatible(root, "compatible", compat, sizeof(compat));
	th_dt_prop(root, "model", model, sizeof(model));
	th_dt_cells(root, "#address-cells", &two, 1);
	th_dt_cells(root, "#size-cells", &one, 1);
	th_dt_cells(root, "soc/#address-cells", &one, 1);
	th_dt_cells(root, "soc/#size-cells", &one, 1);
	th_dt_cells(root, "soc/ranges", ranges, 12);
	th_dt_cells(root, "soc/gpio@7e200000/reg", gpio_reg, 2);
	th_dt_cells(root, "system/linux,revision", &rev, 1);
}

static const char *const needed_props[] = {
	"compatible", "model", "system/linux,revision", "#address-cells", "soc/#address-cells",
	"soc/#size-cells", "soc/ranges", "soc/gpio@7e200000/reg",
};

/* Opens the tree at @root by detection on register file @rf; 1 when refused as it must be. */
static int refused_untouched(const char *root, const char *rf, int want_errno)
{
	struct fgpio_config cfg;

	fgpio_config_init(&cfg);
	cfg.dt_root = root;
	cfg.devmem = rf;
	errno = 0;
	struct fgpio_chip *c = fgpio_chip_open(&cfg);
	int e = errno;

	if (c) {
		fgpio_chip_close(c);
		return 0;
	}
	return e == want_errno && regfile_untouched(rf) && !is_mapped(rf);
}

/* An explicit SoC on a character device with the tree at @root: 1 when refused (ENODEV). */
static int device_refused(const char *root)
{
	struct fgpio_config cfg;

	fgpio_config_init(&cfg);
	cfg.soc = "bcm2711";
	cfg.gpiomem = "/dev/zero";	/* any character device: the tree must agree */
	cfg.dt_root = root;
	errno = 0;
	struct fgpio_chip *c = fgpio_chip_open(&cfg);
	int e = errno;

	if (c)
		fgpio_chip_close(c);
	return !c && e == ENODEV;
}

static void sigalrm_fail(int sig)
{
	(void)sig;
	static const char msg[] = "test_detect: a device-tree read blocked (120 s alarm)\n";

	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(3);
}

static void test_unreadable(const char *tmp)
{
	/* The Pi 4's GPIO block lies at 0xfe200000: a sparse file covering it. */
	char *rf = th_regfile(tmp, "unreadable.bin", 0xfe201000ull);
	char *good = th_dt_root(tmp, "pi4-good");

	pi4_tree(good);
	struct fgpio_config cfg;

	fgpio_config_init(&cfg);
	cfg.dt_root = good;
	cfg.devmem = rf;
	struct fgpio_chip *c = fgpio_chip_open(&cfg);
	struct fgpio_chip_info info;

	CHECK(c != NULL);
	if (c) {
		CHECK(fgpio_chip_get_info(c, &info) == 0 && info.base == 0xfe000000u);
		fgpio_chip_close(c);
	}
	free(rf);
	rf = th_regfile(tmp, "unreadable.bin", 0xfe201000ull);

	/*
	 * A FIFO would block a plain open() forever: the alarm turns a hang into a
	 * failure. 120 s, not less: an emulated Pi 2 under load needs over 10 s.
	 */
	signal(SIGALRM, sigalrm_fail);
	alarm(120);
	for (size_t p = 0; p < FGPIO_ARRAY_SIZE(needed_props); p++) {
		for (int k = K_DIR; k < K_NKINDS; k++) {
			if (k == K_NOACCESS && geteuid() == 0)
				continue;	/* root reads mode-000 files; see test_noaccess() */
			char name[64];

			snprintf(name, sizeof(name), "unread-%zu-%d", p, k);
			char *root = th_dt_root(tmp, name);

			pi4_tree(root);
			make_prop(root, needed_props[p], (enum prop_kind)k, "\0\0\0\1", 4);
			int ok = refused_untouched(root, rf, ENODEV);

			CHECK(ok);
			if (!ok)
				fprintf(stderr, "  %s as a %s was not refused: %s\n", needed_props[p],
					kind_names[k], fgpio_last_error());
			else if (!strstr(fgpio_last_error(), needed_props[p]))
				fprintf(stderr, "  note: message for %s does not name it: %s\n",
					needed_props[p], fgpio_last_error());
			CHECK(strstr(fgpio_last_error(), needed_props[p]) != NULL);
			if (p < 3)	/* detection's properties: an explicit SoC is refused too */
				CHECK(device_refused(root));
			rm_tree(root);
		}
	}
	alarm(0);

	/* The reader itself: errno says absent (only ENOENT), too large or unreadable. */
	char *r = th_dt_root(tmp, "reader");
	size_t len = 0;

	make_prop(r, "fifo", K_FIFO, "", 0);
	make_prop(r, "dir", K_DIR, "", 0);
	make_prop(r, "dangling", K_DANGLING, "", 0);
	make_prop(r, "huge", K_HUGE, "x", 1);
	make_prop(r, "sock", K_SOCKET, "", 0);
	make_prop(r, "ok", K_FILE, "abc", 3);
	CHECK(fgpio_dt_read(r, "missing", 16, &len) == NULL && errno == ENOENT);
	CHECK(fgpio_dt_read(r, "fifo", 16, &len) == NULL && errno == EINVAL);
	CHECK(strstr(fgpio_last_error(), "FIFO") != NULL);
	CHECK(fgpio_dt_read(r, "dir", 16, &len) == NULL && errno == EINVAL);
	CHECK(fgpio_dt_read(r, "dangling", 16, &len) == NULL && errno == EINVAL);
	CHECK(fgpio_dt_read(r, "sock", 16, &len) == NULL && errno == EINVAL);
	CHECK(fgpio_dt_read(r, "huge", 4096, &len) == NULL && errno == EFBIG);
	CHECK(fgpio_dt_read(r, "ok/sub", 16, &len) == NULL && errno == EINVAL);	/* ENOTDIR */
	unsigned char *b = fgpio_dt_read(r, "ok", 16, &len);

	CHECK(b && len == 3 && memcmp(b, "abc", 3) == 0);
	free(b);

	/* Only a missing root is "no device tree"; a root without compatible is refused. */
	char *empty = th_dt_root(tmp, "no-compatible");
	const struct fgpio_board_desc *bd = NULL;
	char why[256];

	CHECK(fgpio_detect_soc(empty, &bd, why, sizeof(why)) == NULL && errno == ENODEV);
	CHECK(fgpio_detect_soc("/nonexistent-device-tree", &bd, why, sizeof(why)) == NULL &&
	      errno == ENOENT);
	CHECK(refused_untouched(empty, rf, ENODEV));
	fgpio_config_init(&cfg);
	cfg.soc = "bcm2837";
	cfg.gpiomem = "/dev/zero";	/* a character device: the tree decides */
	cfg.dt_root = empty;
	errno = 0;
	c = fgpio_chip_open(&cfg);
	CHECK(c == NULL && errno == ENODEV);
	if (c)
		fgpio_chip_close(c);
	unlink(rf);
	free(rf);
}

/*
 * EACCES: as root, in a child that gives up root (mode 000 means nothing to
 * root). An unreadable compatible is not "no device tree": an explicit SoC
 * does not stand on its own there.
 */
static void test_noaccess(const char *tmp)
{
	char *root = th_dt_root(tmp, "noaccess");
	char *rf = th_regfile(tmp, "noaccess.bin", 0xfe201000ull);

	pi4_tree(root);
	make_prop(root, "compatible", K_NOACCESS, "brcm,bcm2711", 13);
	if (geteuid() != 0) {
		CHECK(refused_untouched(root, rf, ENODEV));
		CHECK(strstr(fgpio_last_error(), "compatible") != NULL);
		CHECK(device_refused(root));
		free(rf);
		return;
	}
	chmod(tmp, 0755);
	chmod(rf, 0666);
	pid_t pid = fork();

	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(2);
		alarm(120);
		int ok = refused_untouched(root, rf, ENODEV) &&
			 strstr(fgpio_last_error(), "Permission denied") != NULL &&
			 device_refused(root);

		if (!ok)
			fprintf(stderr, "noaccess: %s\n", fgpio_last_error());
		_exit(ok ? 0 : 1);
	}
	int st = 0;

	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	unlink(rf);
	free(rf);
}

/* ---- ranges arithmetic, cell counts and the table's bases ---- */

static void test_base_crosscheck(const char *tmp)
{
	uint64_t base = 0x1234;
	char *rf = th_regfile(tmp, "base.bin", 0x47e201000ull);	/* covers the high-peri base */
	const uint32_t one = 1;

	/* A parent near 2^64: 0xffffffff_ffff0000 + 0x2000000 must not wrap to 0x1ff0000. */
	char *wrap = th_dt_root(tmp, "wrap");
	const uint32_t wrap_ranges[] = { 0x7c000000, 0xffffffff, 0xffff0000, 0x04000000 };

	pi4_tree(wrap);
	th_dt_cells(wrap, "soc/ranges", wrap_ranges, 4);
	CHECK_ERR(fgpio_dt_soc_base(wrap, 0x7e000000, &base), ERANGE);
	CHECK(base == 0x1234);
	CHECK(strstr(fgpio_last_error(), "overflows") != NULL);
	CHECK(refused_untouched(wrap, rf, ENODEV));

	/*
	 * The Pi 4 tree with root #address-cells 1 instead of 2: the 48 bytes of
	 * ranges read as four 3-cell entries, the first (0x7e000000, 0x0, size
	 * 0xfe000000) gives base 0 and the GPIO block "at" 0x200000, in RAM.
	 */
	char *cells1 = th_dt_root(tmp, "pi4-cells1");

	pi4_tree(cells1);
	th_dt_cells(cells1, "#address-cells", &one, 1);
	CHECK(fgpio_dt_soc_base(cells1, 0x7e000000, &base) == 0 && base == 0);
	CHECK(refused_untouched(cells1, rf, ENODEV));
	CHECK(strstr(fgpio_last_error(), "knows only") != NULL);

	/* A base the table does not know (0xfd000000) is refused. */
	char *moved = th_dt_root(tmp, "pi4-moved");
	const uint32_t moved_ranges[] = { 0x7e000000, 0x0, 0xfd000000, 0x01800000 };

	pi4_tree(moved);
	th_dt_cells(moved, "soc/ranges", moved_ranges, 4);
	CHECK(refused_untouched(moved, rf, ENODEV));

	/* The high-peripheral mode (highperi overlay) base is known: it opens there. */
	char *high = th_dt_root(tmp, "pi4-highperi");
	const uint32_t high_ranges[] = { 0x7c000000, 0x4, 0x7c000000, 0x04000000 };

	pi4_tree(high);
	th_dt_cells(high, "soc/ranges", high_ranges, 4);
	struct fgpio_config cfg;
	struct fgpio_chip_info info;

	fgpio_config_init(&cfg);
	cfg.dt_root = high;
	cfg.devmem = rf;
	struct fgpio_chip *c = fgpio_chip_open(&cfg);

	CHECK(c != NULL);
	if (c) {
		CHECK(fgpio_chip_get_info(c, &info) == 0 && info.base == 0x47e000000ull);
		CHECK(fgpio_chip_set(c, 17) == 0);
		CHECK_EQ_U32(th_peek(rf, 0x47e200000ull + 0x1c), 1u << 17);
		fgpio_chip_close(c);
	}
	free(rf);
	rf = th_regfile(tmp, "base.bin", 0x47e201000ull);

	/* The GPIO node's reg read with a wrong /soc #address-cells (2) disagrees: refused. */
	char *soc2 = th_dt_root(tmp, "pi3-soc-cells2");
	const uint32_t two = 2;
	const uint32_t soc2_ranges[] = { 0x0, 0x7e000000, 0x3f000000, 0x01000000 };
	const uint32_t gpio_reg[] = { 0x7e200000, 0xb4 };
	static const char pi3[] = "raspberrypi,3-model-b\0brcm,bcm2837";

	th_dt_compatible(soc2, "compatible", pi3, sizeof(pi3));
	th_dt_cells(soc2, "#address-cells", &one, 1);
	th_dt_cells(soc2, "soc/#address-cells", &two, 1);
	th_dt_cells(soc2, "soc/#size-cells", &one, 1);
	th_dt_cells(soc2, "soc/ranges", soc2_ranges, 4);
	CHECK(fgpio_dt_soc_base(soc2, 0x7e000000, &base) == 0 && base == 0x3f000000);
	th_dt_cells(soc2, "soc/gpio@7e200000/reg", gpio_reg, 2);
	CHECK(refused_untouched(soc2, rf, ENODEV));
	CHECK(strstr(fgpio_last_error(), "gpio@7e200000/reg") != NULL);
	/* ... and agrees when the node says 0x0 0x7e200000. */
	const uint32_t gpio_reg2[] = { 0x0, 0x7e200000, 0xb4 };

	th_dt_cells(soc2, "soc/gpio@7e200000/reg", gpio_reg2, 3);
	cfg.dt_root = soc2;
	cfg.devmem = rf;	/* rf was made anew above */
	c = fgpio_chip_open(&cfg);
	CHECK(c != NULL);
	if (c) {
		CHECK(fgpio_chip_get_info(c, &info) == 0 && info.base == 0x3f000000u);
		fgpio_chip_close(c);
	}
	free(rf);
	rf = th_regfile(tmp, "base.bin", 0x47e201000ull);

	/* Malformed ranges in an existing tree: refused for a register file too (no default). */
	char *trunc = th_dt_root(tmp, "pi4-trunc");

	pi4_tree(trunc);
	th_dt_prop(trunc, "soc/ranges", "\x7e\0\0\0\0", 5);
	CHECK(refused_untouched(trunc, rf, ENODEV));
	/* No ranges at all: a register file takes the table default, as before. */
	char *noranges = th_dt_root(tmp, "pi4-noranges");

	pi4_tree(noranges);
	rm_tree(noranges);
	pi4_tree(noranges);
	{
		char p[4096];

		snprintf(p, sizeof(p), "%s/soc/ranges", noranges);
		unlink(p);
	}
	cfg.dt_root = noranges;
	cfg.devmem = rf;
	c = fgpio_chip_open(&cfg);
	CHECK(c != NULL);
	if (c) {
		CHECK(fgpio_chip_get_info(c, &info) == 0 && info.base == 0xfe000000u);
		fgpio_chip_close(c);
	}
	/* fgpio_soc_check_base(): the tables' bases, nothing else. */
	const struct fgpio_soc *s2711 = fgpio_soc_by_name("bcm2711");
	const struct fgpio_soc *s2837 = fgpio_soc_by_name("bcm2837");

	CHECK(fgpio_soc_check_base(s2711, 0xfe000000u) == 0);
	CHECK(fgpio_soc_check_base(s2711, 0x47e000000ull) == 0);
	CHECK_ERR(fgpio_soc_check_base(s2711, 0), ERANGE);
	CHECK(fgpio_soc_check_base(s2837, 0x3f000000u) == 0);
	CHECK_ERR(fgpio_soc_check_base(s2837, 0xfe000000u), ERANGE);
	unlink(rf);
	free(rf);
}

/* ---- model against compatible ---- */

static void test_model(const char *tmp)
{
	static const struct {
		const char *compat;	/* NUL-separated, ends with an extra NUL */
		size_t compat_len;
		const char *model;
		int refused;
	} cases[] = {
#define C(s) s, sizeof(s)
		/* The cases: boards of another SoC. */
		{ C("ti,am335x-bone-black\0ti,am335x-bone\0ti,am33xx"), "Rockchip RK3288 Asus Tinker Board", 1 },
		{ C("raspberrypi,3-model-b\0brcm,bcm2837"), "Raspberry Pi 4 Model B Rev 1.4", 1 },
		{ C("raspberrypi,4-model-b\0brcm,bcm2711"), "Raspberry Pi 5 Model B Rev 1.0", 1 },
		{ C("asus,rk3288-tinker\0rockchip,rk3288"), "TI AM335x BeagleBone Black", 1 },
		{ C("raspberrypi,model-b-plus\0brcm,bcm2835"), "Raspberry Pi Compute Module 4 Rev 1.0", 1 },
		{ C("raspberrypi,5-model-b\0brcm,bcm2712"), "Raspberry Pi 3 Model B Rev 1.2", 1 },
		/* Real model strings of each board: accepted. */
		{ C("raspberrypi,4-model-b\0brcm,bcm2711"), "Raspberry Pi 4 Model B Rev 1.4", 0 },
		{ C("raspberrypi,4-compute-module\0brcm,bcm2711"), "Raspberry Pi Compute Module 4 Rev 1.0", 0 },
		{ C("raspberrypi,400\0brcm,bcm2711"), "Raspberry Pi 400 Rev 1.0", 0 },
		{ C("raspberrypi,3-model-b-plus\0brcm,bcm2837"), "Raspberry Pi 3 Model B Plus Rev 1.3", 0 },
		{ C("raspberrypi,model-zero-2-w\0brcm,bcm2837"), "Raspberry Pi Zero 2 W Rev 1.0", 0 },
		{ C("raspberrypi,model-zero-w\0brcm,bcm2835"), "Raspberry Pi Zero W Rev 1.1", 0 },
		{ C("raspberrypi,model-b\0brcm,bcm2835"), "Raspberry Pi Model B Rev 2", 0 },
		/* The Pi 2 B v1.2 is a BCM2837 with the BCM2836 board's name: a shared name. */
		{ C("raspberrypi,2-model-b-rev2\0brcm,bcm2837"), "Raspberry Pi 2 Model B rev 1.2", 0 },
		{ C("raspberrypi,2-model-b\0brcm,bcm2836"), "Raspberry Pi 2 Model B Rev 1.1", 0 },
		{ C("raspberrypi,5-model-b\0brcm,bcm2712"), "Raspberry Pi 5 Model B Rev 1.0", 0 },
		{ C("asus,rk3288-tinker-s\0rockchip,rk3288"), "Rockchip RK3288 Asus Tinker Board S", 0 },
		{ C("ti,am335x-bone-black\0ti,am335x-bone\0ti,am33xx"), "TI AM335x BeagleBone Black", 0 },
		/* A model naming no table's board says nothing. */
		{ C("raspberrypi,4-model-b\0brcm,bcm2711"), "Acme Industrial Controller", 0 },
		{ C("ti,am335x-bone-black\0ti,am335x-bone\0ti,am33xx"), "", 0 },
#undef C
	};
	char *rf = th_regfile(tmp, "model.bin", 0x1000);

	for (size_t i = 0; i < FGPIO_ARRAY_SIZE(cases); i++) {
		char name[32];
		const struct fgpio_board_desc *b = NULL;
		char why[256];

		snprintf(name, sizeof(name), "model-%zu", i);
		char *root = th_dt_root(tmp, name);

		th_dt_compatible(root, "compatible", cases[i].compat, cases[i].compat_len);
		th_dt_prop(root, "model", cases[i].model, strlen(cases[i].model) + 1);
		errno = 0;
		const struct fgpio_soc *soc = fgpio_detect_soc(root, &b, why, sizeof(why));
		int refused = soc == NULL && errno == ENODEV;

		CHECK(refused == cases[i].refused);
		if (refused != cases[i].refused)
			fprintf(stderr, "  model \"%s\": %s\n", cases[i].model,
				refused ? fgpio_last_error() : "accepted");
		if (cases[i].refused) {
			CHECK(strstr(fgpio_last_error(), "model") != NULL);
			CHECK(refused_untouched(root, rf, ENODEV));
		}
		rm_tree(root);
	}
	unlink(rf);
	free(rf);
}

/* ---- the memory device is judged on the descriptor opened (no stat-then-open race) ---- */

static const char *swap_path;	/* when opened: first replaced by swap_link */
static const char *swap_link;
static int swaps;

/*
 * The library's open() of the memory device (glibc's open64 under
 * _FILE_OFFSET_BITS=64) comes here: replacing the path just before the real
 * open is the race a check on stat(path) loses, made deterministic.
 */
int open64(const char *path, int flags, ...);
int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;

		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (swap_path && strcmp(path, swap_path) == 0) {
		if (rename(swap_link, swap_path) == 0)
			swaps++;
		swap_path = NULL;
	}
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

static void test_toctou(const char *tmp)
{
	char *u = th_dt_root(tmp, "toctou-unknown");
	const char compat[] = "acme,widget\0acme,soc9000";

	th_dt_compatible(u, "compatible", compat, sizeof(compat));
	char *rf = th_regfile(tmp, "toctou.bin", 4096);
	char link[4096];

	snprintf(link, sizeof(link), "%s/toctou-link", tmp);
	struct fgpio_config cfg;

	fgpio_config_init(&cfg);
	cfg.soc = "bcm2837";
	cfg.gpiomem = rf;
	cfg.dt_root = u;
	/* A register file is still accepted with any tree, as before. */
	struct fgpio_chip *c = fgpio_chip_open(&cfg);

	CHECK(c != NULL);
	if (c)
		fgpio_chip_close(c);
	/* The path becomes a character device between any check on the path and the open. */
	unlink(link);
	CHECK(symlink("/dev/zero", link) == 0);
	swap_link = link;
	swap_path = rf;
	swaps = 0;
	errno = 0;
	c = fgpio_chip_open(&cfg);
	CHECK(swaps == 1);	/* the hook ran: the test tests something */
	CHECK(c == NULL && errno == ENODEV);
	CHECK(strstr(fgpio_last_error(), "refusing") != NULL);
	if (c)
		fgpio_chip_close(c);
	swap_path = NULL;
	unlink(rf);
	free(rf);
}

/* ---- generated trees: refused, or mapped at the table's base ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;	/* fixed seed: the same trees every run */

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

#define PICK(a) ((a)[rng() % FGPIO_ARRAY_SIZE(a)])

/* Cell values that matter: the tables' addresses, their neighbours, the edges of 32 bits. */
static const uint32_t gen_cells[] = {
	0x0, 0x1, 0x2, 0x3, 0x4, 0x10, 0x1f, 0x7e000000, 0x7c000000, 0x7e200000, 0x20000000,
	0x3f000000, 0xfe000000, 0xfc000000, 0xff800000, 0x40000000, 0x01000000, 0x01800000,
	0x02000000, 0x04000000, 0x00200000, 0xfffff000, 0xffffffff, 0x80000000, 0xb4,
};

/* Root compatibles: every table, an unknown SoC, and one board of each SoC. */
static const char *const gen_compat[] = {
	"raspberrypi,model-b-plus\0brcm,bcm2835\0", "raspberrypi,2-model-b\0brcm,bcm2836\0",
	"raspberrypi,3-model-b\0brcm,bcm2837\0", "raspberrypi,4-model-b\0brcm,bcm2711\0",
	"raspberrypi,5-model-b\0brcm,bcm2712\0", "ti,am335x-bone-black\0ti,am33xx\0",
	"asus,rk3288-tinker\0rockchip,rk3288\0", "acme,widget\0acme,soc9000\0", "brcm,bcm2711\0",
};

static const char *const gen_models[] = {
	"Raspberry Pi Model B Plus Rev 1.2", "Raspberry Pi 2 Model B Rev 1.1",
	"Raspberry Pi 3 Model B Rev 1.2", "Raspberry Pi 4 Model B Rev 1.4",
	"Raspberry Pi 5 Model B Rev 1.0", "TI AM335x BeagleBone Black",
	"Rockchip RK3288 Asus Tinker Board", "Acme Widget", "",
};

static size_t compat_len(const char *c)
{
	size_t n = 0;

	while (c[n])
		n += strlen(c + n) + 1;
	return n;
}

/* One property: usually a plain file, sometimes absent or something that cannot be read. */
static void gen_prop(const char *root, const char *prop, const void *data, size_t len)
{
	uint32_t r = rng() % 16;

	if (r < 2)
		return;	/* absent */
	enum prop_kind k = r < 12 ? K_FILE : (enum prop_kind)(K_DIR + rng() % (K_SOCKET - K_DIR + 1));

	make_prop(root, prop, k, data, len);
}

static void gen_cells_prop(const char *root, const char *prop, size_t maxcells, int small)
{
	uint32_t v[16];
	size_t n = maxcells ? 1 + rng() % maxcells : 1;

	for (size_t i = 0; i < n && i < 16; i++)
		v[i] = small ? rng() % 5 : PICK(gen_cells);
	unsigned char b[64];

	for (size_t i = 0; i < n; i++) {
		b[4 * i] = (unsigned char)(v[i] >> 24);
		b[4 * i + 1] = (unsigned char)(v[i] >> 16);
		b[4 * i + 2] = (unsigned char)(v[i] >> 8);
		b[4 * i + 3] = (unsigned char)v[i];
	}
	gen_prop(root, prop, b, 4 * n);
}

/* A tree of the shape of a real board's, with each part possibly wrong. */
static void gen_tree(const char *root)
{
	const char *compat = PICK(gen_compat);
	const char *model = PICK(gen_models);

	mkdir(root, 0755);
	gen_prop(root, "compatible", compat, compat_len(compat));
	gen_prop(root, "model", model, strlen(model) + 1);
	/* Cell counts: mostly 1 or 2, sometimes 0, 3, 4 or of the wrong size. */
	gen_cells_prop(root, "#address-cells", rng() % 8 ? 1 : 2, 1);
	gen_cells_prop(root, "soc/#address-cells", rng() % 8 ? 1 : 2, 1);
	gen_cells_prop(root, "soc/#size-cells", rng() % 8 ? 1 : 2, 1);
	gen_cells_prop(root, "soc/ranges", 12, 0);
	if (rng() % 2)
		gen_cells_prop(root, "soc/gpio@7e200000/reg", 3, 0);
	if (rng() % 4 == 0)
		gen_cells_prop(root, "system/linux,revision", 1, 0);
}

static int known_base(const struct fgpio_soc *soc, uint64_t base)
{
	return base == soc->default_base || (soc->alt_base && base == soc->alt_base);
}

static void test_generated(const char *disk_tmp)
{
	/* Thousands of small files: on tmpfs when there is one (10x faster than a disk). */
	char shm[] = "/dev/shm/fgpio-gen-XXXXXX";
	struct stat st;
	const char *tmp = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && mkdtemp(shm) ? shm
											: disk_tmp;
	/* Sparse: covers the BCM2711 high-peripheral base, RP1's window and every absolute block. */
	const uint64_t size = 0x1f00100000ull;
	char *rf = th_regfile(tmp, "generated.bin", size);
	char root[4096];
	unsigned opened = 0, refused = 0, bad = 0, ntrees = 3000;

	signal(SIGALRM, sigalrm_fail);
	alarm(120);	/* a read that blocks fails the test instead of hanging it */
	for (unsigned t = 0; t < ntrees; t++) {
		snprintf(root, sizeof(root), "%s/gen", tmp);
		rm_tree(root);
		gen_tree(root);
		struct fgpio_config cfg;

		fgpio_config_init(&cfg);
		cfg.dt_root = root;
		cfg.devmem = rf;
		cfg.flags = FGPIO_OPEN_NO_CLOCK_ENABLE;	/* opening alone then writes nothing */
		errno = 0;
		struct fgpio_chip *c = fgpio_chip_open(&cfg);

		if (!c) {
			refused++;
			if (errno == 0 || !regfile_untouched(rf) || is_mapped(rf)) {
				bad++;
				fprintf(stderr, "  tree %u: refusal left a trace (errno %d): %s\n", t,
					errno, fgpio_last_error());
			}
			continue;
		}
		opened++;
		struct fgpio_chip_info info;
		int needs = 0;
		const struct fgpio_soc *soc = fgpio_chip_get_info(c, &info) ? NULL
								: fgpio_soc_by_name(info.soc);

		for (unsigned i = 0; soc && i < soc->nblocks; i++)
			needs |= (soc->blocks[i].flags & FGPIO_BLOCK_RANGES) != 0;
		if (!soc || (needs && !known_base(soc, info.base))) {
			bad++;
			fprintf(stderr, "  tree %u: %s opened at base 0x%llx: %s\n", t, info.soc,
				(unsigned long long)info.base, info.reason);
		}
		fgpio_chip_close(c);
		if (!regfile_untouched(rf)) {
			free(rf);
			rf = th_regfile(tmp, "generated.bin", size);
		}
	}
	alarm(0);
	rm_tree(root);
	printf("generated trees: %u, opened %u (every base the table's), refused %u (no write, "
	       "nothing mapped), violations %u\n", ntrees, opened, refused, bad);
	CHECK(bad == 0);
	CHECK(opened > 100 && refused > 100);	/* both outcomes exercised */
	unlink(rf);
	free(rf);
	if (tmp == shm)
		rmdir(shm);
}

int main(void)
{
	char *tmp = th_tmpdir();

	test_ranges_layouts(tmp);
	test_ranges_malformed(tmp);
	test_detect_unknown(tmp);
	test_unreadable(tmp);
	test_noaccess(tmp);
	test_base_crosscheck(tmp);
	test_model(tmp);
	test_toctou(tmp);
	test_generated(tmp);
	th_dt_free_roots();
	free(tmp);
	return th_done("detect");
}
