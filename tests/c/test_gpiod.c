/* SPDX-License-Identifier: MIT */
/*
 * tests/c/test_gpiod.c - the gpiod backend without a kernel GPIO chip:
 * struct fgpio_config layout, picking a chip from a listing, the SoC labels,
 * the errors of fgpio_chip_open with backend gpiod and of the automatic
 * fallback, with and without a libgpiod loaded (meson runs it as is, which
 * loads what the host has, and with FASTGPIO_LIBGPIOD=none; and in a
 * -Dgpiod=disabled build).
 */
#include <stddef.h>
#include <stdlib.h>

#include "harness.h"
#include "gpiod_backend.h"

/* The layout of struct fgpio_config before gpiochip took reserved[0]. */
struct config_v0 {
	const char *soc;
	const char *dt_root;
	const char *gpiomem;
	const char *devmem;
	enum fgpio_backend backend;
	unsigned flags;
	void *reserved[7];
};

/* Why no libgpiod is loaded, as fgpio_gpiod_port_load says it (in the error of a gpiod open). */
static int says_why_none(const char *msg)
{
	const char *env = getenv("FASTGPIO_LIBGPIOD");

	if (strstr(msg, "built without libgpiod (-Dgpiod=disabled)"))
		return 1;
	if (env && strcmp(env, "none") == 0)
		return strstr(msg, "FASTGPIO_LIBGPIOD=none") && strstr(msg, "libgpiod3") &&
		       strstr(msg, "libgpiod2");
	return strstr(msg, "install libgpiod3") != NULL;
}

/* The generation loaded: a version of the one FASTGPIO_LIBGPIOD forces, none when disabled. */
static void test_generation(void)
{
	const char *env = getenv("FASTGPIO_LIBGPIOD");
	const char *v = fgpio_gpiod_version();

	if (fgpio_gpiod_port_load() != 0) {
		CHECK(v == NULL && fgpio_gpiod_port_libversion() == NULL);
		CHECK(errno == ENOTSUP && says_why_none(fgpio_last_error()));
		CHECK(fgpio_gpiod_port_kernel_debounce() == 0);
		CHECK(fgpio_gpiod_port_open("/dev/gpiochip0", (char[FGPIO_GPIOD_LABEL_MAX]){ 0 },
					    (unsigned[1]){ 0 }) == NULL && errno == ENOTSUP);
		return;
	}
	CHECK(v && (strncmp(v, "libgpiod 1.", 11) == 0 || strncmp(v, "libgpiod 2.", 11) == 0));
	CHECK(fgpio_gpiod_port_kernel_debounce() == (strncmp(v, "libgpiod 2.", 11) == 0));
	if (env && strcmp(env, "1") == 0)
		CHECK(strncmp(v, "libgpiod 1.", 11) == 0);
	if (env && strcmp(env, "2") == 0)
		CHECK(strncmp(v, "libgpiod 2.", 11) == 0);
	CHECK(!(env && strcmp(env, "none") == 0));
}

static void test_config_abi(void)
{
	CHECK(sizeof(struct fgpio_config) == sizeof(struct config_v0));
	CHECK(offsetof(struct fgpio_config, backend) == offsetof(struct config_v0, backend));
	CHECK(offsetof(struct fgpio_config, flags) == offsetof(struct config_v0, flags));
	CHECK(offsetof(struct fgpio_config, gpiochip) == offsetof(struct config_v0, reserved));
	CHECK(FGPIO_BACKEND_GPIOD == 3);
	struct fgpio_config cfg;

	memset(&cfg, 0xa5, sizeof(cfg));
	fgpio_config_init(&cfg);
	CHECK(cfg.gpiochip == NULL && cfg.backend == FGPIO_BACKEND_AUTO);
}

static struct fgpio_gpiod_chipdesc desc(const char *path, const char *label, unsigned n, int usable)
{
	struct fgpio_gpiod_chipdesc d;

	memset(&d, 0, sizeof(d));
	snprintf(d.path, sizeof(d.path), "%s", path);
	snprintf(d.label, sizeof(d.label), "%s", label);
	d.nlines = n;
	d.usable = usable;
	if (!usable)
		snprintf(d.error, sizeof(d.error), "Inappropriate ioctl for device");
	return d;
}

static void test_pick(void)
{
	/* A Pi 5: the RP1 chip is not gpiochip0 on every kernel; never assume it. */
	struct fgpio_gpiod_chipdesc pi5[4] = {
		desc("/dev/gpiochip0", "gpio-brcmstb@107d508500", 32, 1),
		desc("/dev/gpiochip1", "gpio-brcmstb@107d508520", 4, 1),
		desc("/dev/gpiochip4", "pinctrl-rp1", 54, 1),
		desc("/dev/gpiochip10", "rpi-firmware-gpio", 8, 1),
	};
	CHECK(fgpio_gpiod_pick(pi5, 4, "pinctrl-rp1", "/dev") == 2);
	CHECK_ERR(fgpio_gpiod_pick(pi5, 4, "pinctrl-bcm2711", "/dev"), ENODEV);
	CHECK(strstr(fgpio_last_error(), "no GPIO chip labelled \"pinctrl-bcm2711\"") != NULL);
	CHECK(strstr(fgpio_last_error(), "/dev/gpiochip4 (pinctrl-rp1, 54 lines)") != NULL);
	/* Unknown SoC: several chips, none obvious. */
	CHECK_ERR(fgpio_gpiod_pick(pi5, 4, NULL, "/dev"), ENODEV);
	CHECK(strstr(fgpio_last_error(), "4 GPIO chips in /dev") != NULL);
	CHECK(strstr(fgpio_last_error(), "gpiochip=") != NULL);

	/* Unknown SoC with one usable chip (an unusable one does not count). */
	struct fgpio_gpiod_chipdesc one[2] = {
		desc("/x/gpiochip0", "", 0, 0),
		desc("/x/gpiochip1", "gpio-mockup-A", 8, 1),
	};
	CHECK(fgpio_gpiod_pick(one, 2, NULL, "/x") == 1);
	/* A label only an unusable chip could have had is not matched. */
	CHECK_ERR(fgpio_gpiod_pick(one, 1, NULL, "/x"), ENODEV);
	CHECK(strstr(fgpio_last_error(), "no usable GPIO chip in /x") != NULL);
	CHECK(strstr(fgpio_last_error(), "unusable: Inappropriate ioctl") != NULL);
	CHECK_ERR(fgpio_gpiod_pick(one, 0, NULL, "/empty"), ENODEV);
	CHECK(strstr(fgpio_last_error(), "no GPIO character device (gpiochip*) in /empty") != NULL);
	/* The first of two chips with the label wins (lowest number: the listing is sorted). */
	struct fgpio_gpiod_chipdesc two[2] = {
		desc("/dev/gpiochip0", "pinctrl-bcm2835", 54, 1),
		desc("/dev/gpiochip1", "pinctrl-bcm2835", 54, 1),
	};
	CHECK(fgpio_gpiod_pick(two, 2, "pinctrl-bcm2835", "/dev") == 0);
}

static void test_labels(void)
{
	static const struct {
		const char *soc, *label;
	} want[] = {
		{ "bcm2835", "pinctrl-bcm2835" }, { "bcm2836", "pinctrl-bcm2835" },
		{ "bcm2837", "pinctrl-bcm2835" }, { "bcm2711", "pinctrl-bcm2711" },
		{ "rp1", "pinctrl-rp1" }, { "am335x", NULL }, { "rk3288", NULL },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct fgpio_soc *soc = fgpio_soc_by_name(want[i].soc);
		const char *l;

		CHECK(soc != NULL);
		if (!soc)
			continue;
		l = fgpio_gpiod_soc_label(soc);
		CHECK(want[i].label ? (l && strcmp(l, want[i].label) == 0) : l == NULL);
	}
	CHECK(fgpio_gpiod_soc_label(NULL) == NULL);
}

static char *fake_dt(const char *compat, size_t len)
{
	char *root = th_tmpdir();

	th_dt_compatible(root, "compatible", compat, len);
	return root;
}

static void test_open_errors(void)
{
	struct fgpio_config cfg;
	char *empty = th_tmpdir();
	char *dt_unknown = fake_dt("acme,widget\0acme,w9000", sizeof("acme,widget\0acme,w9000"));
	char *regs = th_regfile(empty, "regs.bin", 0x1000);
	int have = fgpio_gpiod_version() != NULL;	/* a libgpiod is loaded */

	/* Unknown backend value. */
	fgpio_config_init(&cfg);
	cfg.backend = (enum fgpio_backend)(FGPIO_BACKEND_GPIOD + 1);
	CHECK(fgpio_chip_open(&cfg) == NULL && errno == EINVAL);

	/* gpiod with a register-file path: contradictory. */
	fgpio_config_init(&cfg);
	cfg.soc = "bcm2711";
	cfg.backend = FGPIO_BACKEND_GPIOD;
	cfg.devmem = regs;
	CHECK(fgpio_chip_open(&cfg) == NULL && errno == EINVAL);
	CHECK(strstr(fgpio_last_error(), "conflicts") != NULL);

	/* Register-file mode never falls back: an unknown SoC stays ENODEV. */
	fgpio_config_init(&cfg);
	cfg.dt_root = dt_unknown;
	cfg.devmem = regs;
	cfg.gpiochip = empty;
	CHECK(fgpio_chip_open(&cfg) == NULL && errno == ENODEV);
	CHECK(strstr(fgpio_last_error(), "gpiod") == NULL);

	/* Explicit gpiod, SoC named, chips searched in an empty directory. */
	fgpio_config_init(&cfg);
	cfg.soc = "bcm2711";
	cfg.dt_root = dt_unknown;
	cfg.backend = FGPIO_BACKEND_GPIOD;
	cfg.gpiochip = empty;
	errno = 0;
	CHECK(fgpio_chip_open(&cfg) == NULL);
	if (have) {
		CHECK(errno == ENODEV);
		CHECK(strstr(fgpio_last_error(), "no GPIO chip labelled \"pinctrl-bcm2711\"") != NULL ||
		      strstr(fgpio_last_error(), "no GPIO character device") != NULL);
	} else {
		CHECK(errno == ENOTSUP);
		CHECK(strstr(fgpio_last_error(), "the gpiod backend is not available: ") != NULL);
		CHECK(says_why_none(fgpio_last_error()));
	}

	/* AM335x: several kernel chips, none carries the SoC numbering: name one. */
	fgpio_config_init(&cfg);
	cfg.soc = "am335x";
	cfg.dt_root = dt_unknown;
	cfg.backend = FGPIO_BACKEND_GPIOD;
	cfg.gpiochip = empty;
	errno = 0;
	CHECK(fgpio_chip_open(&cfg) == NULL);
	if (have)
		CHECK(errno == ENODEV && strstr(fgpio_last_error(), "several GPIO chips") != NULL);
	else
		CHECK(errno == ENOTSUP);

	/* A directory whose gpiochip0 is a regular file: listed as unusable. */
	char *fakedev = th_tmpdir();
	char *fake0 = th_regfile(fakedev, "gpiochip0", 0);

	fgpio_config_init(&cfg);
	cfg.dt_root = dt_unknown;
	cfg.gpiochip = fakedev;
	errno = 0;
	CHECK(fgpio_chip_open(&cfg) == NULL && errno == ENODEV);
	/* Auto on an unknown SoC: UnsupportedSoC (ENODEV), saying why gpiod did not help either. */
	CHECK(strstr(fgpio_last_error(), "unknown SoC") != NULL);
	CHECK(strstr(fgpio_last_error(), "no gpiod fallback either") != NULL);
	if (have)
		CHECK(strstr(fgpio_last_error(), "gpiochip0 (unusable") != NULL);
	else
		CHECK(says_why_none(fgpio_last_error()));

	/* A regular file named as the chip: not a GPIO character device. */
	fgpio_config_init(&cfg);
	cfg.dt_root = dt_unknown;
	cfg.backend = FGPIO_BACKEND_GPIOD;
	cfg.gpiochip = fake0;
	errno = 0;
	CHECK(fgpio_chip_open(&cfg) == NULL && errno != 0);
	if (have)
		CHECK(strstr(fgpio_last_error(), "as a GPIO character device") != NULL);
	unlink(fake0);
	rmdir(fakedev);
	unlink(regs);
	free(fake0);
	free(fakedev);
	free(regs);
	free(empty);
	free(dt_unknown);
}

int main(void)
{
	test_config_abi();
	test_generation();
	test_pick();
	test_labels();
	test_open_errors();
	return th_done("gpiod");
}
