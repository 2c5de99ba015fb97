/*
 * tests/c/test_detect.c - device-tree parsing: soc/ranges with every cell
 * layout, malformed trees, SoC detection and the refusal paths.
 */
#include "harness.h"
#include "internal.h"

static char *roots[32];
static unsigned nroots;

/* A fresh device-tree root under @base; freed by free_roots(). */
static char *mkroot(const char *base, const char *name)
{
	char *p = malloc(2048);

	snprintf(p, 2048, "%s/%s", base, name);
	mkdir(p, 0755);
	if (nroots < 32)
		roots[nroots++] = p;
	return p;
}

static void free_roots(void)
{
	while (nroots)
		free(roots[--nroots]);
}

static void test_ranges_layouts(const char *tmp)
{
	uint64_t base = 0;

	/* Pi 3 (bcm2837.dtsi): one address cell everywhere. */
	char *pi3 = mkroot(tmp, "pi3");
	uint32_t one = 1;
	const uint32_t pi3_ranges[] = { 0x7e000000, 0x3f000000, 0x01000000, 0x40000000, 0x40000000, 0x00001000 };

	th_dt_cells(pi3, "#address-cells", &one, 1);
	th_dt_cells(pi3, "soc/#address-cells", &one, 1);
	th_dt_cells(pi3, "soc/#size-cells", &one, 1);
	th_dt_cells(pi3, "soc/ranges", pi3_ranges, 6);
	CHECK(fgpio_dt_soc_base(pi3, 0x7e000000, &base) == 0);
	CHECK(base == 0x3f000000);

	/* Pi 4 (bcm2711.dtsi): root has two address cells; a naive read of word 1 gives 0. */
	char *pi4 = mkroot(tmp, "pi4");
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
	char *hi = mkroot(tmp, "hi");
	const uint32_t hi_ranges[] = { 0x7e000000, 0x10, 0x7c000000, 0x01800000 };

	th_dt_cells(hi, "#address-cells", &two, 1);
	th_dt_cells(hi, "soc/#address-cells", &one, 1);
	th_dt_cells(hi, "soc/#size-cells", &one, 1);
	th_dt_cells(hi, "soc/ranges", hi_ranges, 4);
	CHECK(fgpio_dt_soc_base(hi, 0x7e000000, &base) == 0);
	CHECK(base == 0x107c000000ull);

	/* Missing #address-cells files take the devicetree defaults (2 and 1). */
	char *def = mkroot(tmp, "defaults");
	const uint32_t def_ranges[] = { 0x0, 0x7e000000, 0x0, 0x20000000, 0x01000000 };

	th_dt_cells(def, "soc/ranges", def_ranges, 5);
	CHECK(fgpio_dt_soc_base(def, 0x7e000000, &base) == 0);
	CHECK(base == 0x20000000);

	/* Empty ranges: identity mapping. */
	char *id = mkroot(tmp, "identity");

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
	char *t = mkroot(tmp, "trunc");

	th_dt_cells(t, "#address-cells", &one, 1);
	th_dt_cells(t, "soc/#address-cells", &one, 1);
	th_dt_cells(t, "soc/#size-cells", &one, 1);
	th_dt_prop(t, "soc/ranges", "\x7e\0\0\0\x3f", 5);
	CHECK_ERR(fgpio_dt_soc_base(t, 0x7e000000, &base), EINVAL);

	/* Absurd cell counts. */
	char *a = mkroot(tmp, "absurd");

	th_dt_cells(a, "#address-cells", &five, 1);
	th_dt_cells(a, "soc/#address-cells", &one, 1);
	th_dt_cells(a, "soc/#size-cells", &one, 1);
	th_dt_prop(a, "soc/ranges", "\0\0\0\0", 4);
	CHECK_ERR(fgpio_dt_soc_base(a, 0x7e000000, &base), EINVAL);

	/* A cell-count property of the wrong size. */
	char *w = mkroot(tmp, "wrongsize");

	th_dt_prop(w, "#address-cells", "\0\0", 2);
	th_dt_prop(w, "soc/ranges", "", 0);
	CHECK_ERR(fgpio_dt_soc_base(w, 0x7e000000, &base), EINVAL);

	/* No ranges at all. */
	char *m = mkroot(tmp, "missing");

	th_dt_cells(m, "#address-cells", &one, 1);
	CHECK_ERR(fgpio_dt_soc_base(m, 0x7e000000, &base), ENOENT);

	/* Ranges that do not cover the bus address. */
	char *n = mkroot(tmp, "nocover");
	const uint32_t r[] = { 0x40000000, 0x0, 0xff800000, 0x00800000 };

	th_dt_cells(n, "#address-cells", &two, 1);
	th_dt_cells(n, "soc/#address-cells", &one, 1);
	th_dt_cells(n, "soc/#size-cells", &one, 1);
	th_dt_cells(n, "soc/ranges", r, 4);
	CHECK_ERR(fgpio_dt_soc_base(n, 0x7e000000, &base), ERANGE);

	/* Huge property: larger than the reader accepts. */
	char *h = mkroot(tmp, "huge");
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
	char *u = mkroot(tmp, "unknown");
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

int main(void)
{
	char *tmp = th_tmpdir();

	test_ranges_layouts(tmp);
	test_ranges_malformed(tmp);
	test_detect_unknown(tmp);
	free_roots();
	free(tmp);
	return th_done("detect");
}
