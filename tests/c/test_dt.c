/* SPDX-License-Identifier: MIT */
/*
 * tests/c/test_dt.c - fgpio_dt_translate(): bus addresses walked up through
 * each level's `ranges` to a CPU address, on small hand-made trees: several
 * levels, identity (empty) ranges, a level without ranges, 64-bit overflow,
 * addresses no entry covers, malformed properties and cell counts, PCI space
 * codes, and the devicetree defaults.
 */
#include "harness.h"
#include "internal.h"

#define CELLS(root, prop, ...)                                                        \
	do {                                                                          \
		const uint32_t th_c[] = { __VA_ARGS__ };                              \
		th_dt_cells(root, prop, th_c, sizeof(th_c) / sizeof(th_c[0]));        \
	} while (0)

/* Marks "nothing written": a failing translation must leave *cpu alone. */
#define UNTOUCHED 0x5a5a5a5a5a5a5a5aull

static int err_has(const char *what)
{
	int ok = strstr(fgpio_last_error(), what) != NULL;

	if (!ok)
		fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", fgpio_last_error(), what);
	return ok;
}

/*
 * A 64-bit CPU (/ has 2 address cells) with bus /a (1 cell each) mapping its
 * 0x80000000-0x8fffffff to CPU 0xc0000000 and its 0x0-0xfff to CPU
 * 0x1_00000000, and bus /a/b (1 cell each) mapping its 0x1000-0x10ff to a's
 * 0x80001000.
 */
static char *two_levels(const char *tmp, const char *name)
{
	char *root = th_dt_root(tmp, name);

	CELLS(root, "#address-cells", 2);
	CELLS(root, "a/#address-cells", 1);
	CELLS(root, "a/#size-cells", 1);
	CELLS(root, "a/ranges", 0x80000000, 0x0, 0xc0000000, 0x10000000,
	      0x00000000, 0x1, 0x00000000, 0x00001000);
	CELLS(root, "a/b/#address-cells", 1);
	CELLS(root, "a/b/#size-cells", 1);
	CELLS(root, "a/b/ranges", 0x1000, 0x80001000, 0x100);
	return root;
}

static void test_walk(const char *tmp)
{
	char *t = two_levels(tmp, "walk");
	uint64_t cpu = 0;

	/* Two levels: b's 0x1010 is a's 0x80001010 is the CPU's 0xc0001010. */
	CHECK(fgpio_dt_translate(t, "a/b", 0x1010, &cpu) == 0 && cpu == 0xc0001010ull);
	/* The window's first and last byte; one past it is covered by no entry. */
	CHECK(fgpio_dt_translate(t, "a/b", 0x1000, &cpu) == 0 && cpu == 0xc0001000ull);
	CHECK(fgpio_dt_translate(t, "a/b", 0x10ff, &cpu) == 0 && cpu == 0xc00010ffull);
	cpu = UNTOUCHED;
	CHECK_ERR(fgpio_dt_translate(t, "a/b", 0x1100, &cpu), ERANGE);
	CHECK(cpu == UNTOUCHED);
	CHECK(err_has("a/b/ranges does not translate address 0x1100"));
	CHECK_ERR(fgpio_dt_translate(t, "a/b", 0xfff, &cpu), ERANGE);
	/* One level from /a, through its second entry, above 4 GiB. */
	CHECK(fgpio_dt_translate(t, "a", 0x10, &cpu) == 0 && cpu == 0x100000010ull);
	/* An address of a's that no entry of a's covers, reached from b: named at a. */
	CELLS(t, "a/b/ranges", 0x1000, 0x70000000, 0x100);
	CHECK_ERR(fgpio_dt_translate(t, "a/b", 0x1010, &cpu), ERANGE);
	CHECK(err_has("/a/ranges does not translate address 0x70000010"));
	/* The root is no bus to translate through: its addresses are the CPU's. */
	CHECK(fgpio_dt_translate(t, "", 0x1234, &cpu) == 0 && cpu == 0x1234);
}

static void test_identity_and_missing(const char *tmp)
{
	uint64_t cpu = UNTOUCHED;

	/* Empty ranges at the upper level: a's addresses are the CPU's. */
	char *id = two_levels(tmp, "identity");

	th_dt_prop(id, "a/ranges", "", 0);
	CHECK(fgpio_dt_translate(id, "a/b", 0x1010, &cpu) == 0 && cpu == 0x80001010ull);
	/* ... and at the lower level: b's addresses are a's. */
	th_dt_prop(id, "a/b/ranges", "", 0);
	CELLS(id, "a/ranges", 0x80000000, 0x0, 0xc0000000, 0x10000000);
	CHECK(fgpio_dt_translate(id, "a/b", 0x80000020, &cpu) == 0 && cpu == 0xc0000020ull);

	/* No ranges at the upper level: nothing below it has a CPU address. */
	char *up = two_levels(tmp, "missing-up");
	char p[4200];

	snprintf(p, sizeof(p), "%s/a/ranges", up);
	CHECK(unlink(p) == 0);
	cpu = UNTOUCHED;
	CHECK_ERR(fgpio_dt_translate(up, "a/b", 0x1010, &cpu), ENOENT);
	CHECK(cpu == UNTOUCHED);
	CHECK(err_has(p) && err_has("does not exist"));
	/* ... nor at the lower one (checked first: the walk goes upwards). */
	snprintf(p, sizeof(p), "%s/a/b/ranges", up);
	CHECK(unlink(p) == 0);
	CHECK_ERR(fgpio_dt_translate(up, "a/b", 0x1010, &cpu), ENOENT);
	CHECK(err_has(p));
	/* A bus node that is not there at all has no ranges either. */
	CHECK_ERR(fgpio_dt_translate(up, "nowhere", 0x1010, &cpu), ENOENT);

	/* Ranges that exist but cannot be read are refused, never taken as absent. */
	char *dir = two_levels(tmp, "dir-ranges");

	snprintf(p, sizeof(p), "%s/a/ranges", dir);
	CHECK(unlink(p) == 0 && mkdir(p, 0755) == 0);
	CHECK_ERR(fgpio_dt_translate(dir, "a/b", 0x1010, &cpu), EINVAL);
	CHECK(err_has(p) && err_has("is a directory"));
	CHECK(cpu == UNTOUCHED);
}

static void test_overflow(const char *tmp)
{
	char *t = two_levels(tmp, "overflow");
	uint64_t cpu = 0;

	/* a's window starts at CPU 0xffffffff_fffff000: its first 0x1000 bytes fit, no more. */
	CELLS(t, "a/ranges", 0x80000000, 0xffffffff, 0xfffff000, 0x10000000);
	CHECK(fgpio_dt_translate(t, "a", 0x80000fff, &cpu) == 0 && cpu == UINT64_MAX);
	cpu = UNTOUCHED;
	CHECK_ERR(fgpio_dt_translate(t, "a", 0x80001000, &cpu), ERANGE);
	CHECK(err_has("overflows 64 bits"));
	/* Reached from b (0x1010 -> 0x80001010): refused at the second level. */
	CHECK_ERR(fgpio_dt_translate(t, "a/b", 0x1010, &cpu), ERANGE);
	CHECK(err_has("a/ranges maps 0x80001010 to 0xfffffffffffff000 + 0x1010"));
	CHECK(cpu == UNTOUCHED);

	/* An entry whose size needs more than 64 bits covers nothing: the next one serves. */
	char *big = th_dt_root(tmp, "size-over-64");

	CELLS(big, "#address-cells", 1);
	CELLS(big, "s/#address-cells", 1);
	CELLS(big, "s/#size-cells", 3);
	CELLS(big, "s/ranges", 0x0, 0x10000000, 0x1, 0x0, 0x0,
	      0x0, 0x20000000, 0x0, 0x0, 0x1000);
	CHECK(fgpio_dt_translate(big, "s", 0x10, &cpu) == 0 && cpu == 0x20000010ull);
}

static void test_malformed(const char *tmp)
{
	char *t = two_levels(tmp, "malformed");
	uint64_t cpu = UNTOUCHED;

	/* 8 bytes are no whole 12-byte entry. */
	CELLS(t, "a/b/ranges", 0x1000, 0x80001000);
	CHECK_ERR(fgpio_dt_translate(t, "a/b", 0x1010, &cpu), EINVAL);
	CHECK(err_has("a/b/ranges is 8 bytes, not a multiple of 12"));
	CELLS(t, "a/b/ranges", 0x1000, 0x80001000, 0x100);

	/* Cell counts outside 1..3: no size cells, four address cells (b's parent). */
	CELLS(t, "a/b/#size-cells", 0);
	CHECK_ERR(fgpio_dt_translate(t, "a/b", 0x1010, &cpu), EINVAL);
	CHECK(err_has("a/b: unsupported cell counts (child 1, parent 1, size 0)"));
	CELLS(t, "a/b/#size-cells", 1);
	CELLS(t, "a/#address-cells", 4);
	CHECK_ERR(fgpio_dt_translate(t, "a/b", 0x1010, &cpu), EINVAL);
	CHECK(err_has("parent 4"));
	CELLS(t, "a/#address-cells", 1);

	/* A cell count of the wrong size names the property. */
	th_dt_prop(t, "#address-cells", "\0\0", 2);
	CHECK_ERR(fgpio_dt_translate(t, "a", 0x10, &cpu), EINVAL);
	CHECK(err_has("cannot read the cell counts") && err_has("#address-cells is 2 bytes"));
	CHECK(cpu == UNTOUCHED);

	/* A bus path longer than any node path. */
	static char longpath[2048];

	memset(longpath, 'x', sizeof(longpath) - 1);
	CHECK_ERR(fgpio_dt_translate(t, longpath, 0x10, &cpu), ENAMETOOLONG);
}

static void test_defaults(const char *tmp)
{
	char *t = th_dt_root(tmp, "defaults");
	uint64_t cpu = 0;
	uint32_t v = 0;

	/* No cell counts anywhere: child 2, parent 2, size 1 (devicetree specification). */
	CELLS(t, "d/ranges", 0x0, 0x7e000000, 0x0, 0x3f000000, 0x01000000);
	CHECK(fgpio_dt_translate(t, "d", 0x7e200000, &cpu) == 0 && cpu == 0x3f200000ull);
	CHECK(fgpio_dt_node_cell(t, "d", "#address-cells", 2, &v) == 0 && v == 2);
	CHECK(fgpio_dt_node_cell(t, "", "#size-cells", 1, &v) == 0 && v == 1);
	CELLS(t, "#size-cells", 2);
	CELLS(t, "d/e/#address-cells", 3);
	CHECK(fgpio_dt_node_cell(t, "", "#size-cells", 1, &v) == 0 && v == 2);
	CHECK(fgpio_dt_node_cell(t, "d/e", "#address-cells", 2, &v) == 0 && v == 3);
}

/*
 * A PCI bridge /p (3 address cells, 2 size cells) with an I/O window at CPU
 * 0x10000000 and a 32-bit memory window at CPU 0x1f_00000000, both from PCI
 * address 0; below it /p/dev (2 cells each) whose 0x1000 is PCI address 0 in
 * the space @space of its ranges' parent address.
 */
static char *pci_tree(const char *tmp, const char *name, uint32_t space)
{
	char *root = th_dt_root(tmp, name);

	CELLS(root, "#address-cells", 2);
	CELLS(root, "p/#address-cells", 3);
	CELLS(root, "p/#size-cells", 2);
	th_dt_prop(root, "p/device_type", "pci", 4);
	CELLS(root, "p/ranges", 0x01000000, 0x0, 0x0, 0x0, 0x10000000, 0x0, 0x00010000,
	      0x02000000, 0x0, 0x0, 0x1f, 0x00000000, 0x0, 0x80000000);
	CELLS(root, "p/dev/#address-cells", 2);
	CELLS(root, "p/dev/#size-cells", 2);
	CELLS(root, "p/dev/ranges", 0x0, 0x1000, space, 0x0, 0x0, 0x0, 0x10000);
	return root;
}

static void test_pci_space(const char *tmp)
{
	uint64_t cpu = 0;

	/* Memory space: the I/O entry, first and covering the same numbers, is passed over. */
	char *mem = pci_tree(tmp, "pci-mem", 0x02000000);

	CHECK(fgpio_dt_translate(mem, "p/dev", 0x1010, &cpu) == 0 && cpu == 0x1f00000010ull);
	/* phys.hi's other bits (relocatable, prefetchable, bus/device numbers) do not matter. */
	char *bits = pci_tree(tmp, "pci-bits", 0x82000000 | 0x00010800);

	CHECK(fgpio_dt_translate(bits, "p/dev", 0x1010, &cpu) == 0 && cpu == 0x1f00000010ull);
	/* I/O space: the I/O window. */
	char *io = pci_tree(tmp, "pci-io", 0x01000000);

	CHECK(fgpio_dt_translate(io, "p/dev", 0x1010, &cpu) == 0 && cpu == 0x10000010ull);
	/* 64-bit memory space: the bridge has no such window. */
	char *m64 = pci_tree(tmp, "pci-mem64", 0x03000000);

	cpu = UNTOUCHED;
	CHECK_ERR(fgpio_dt_translate(m64, "p/dev", 0x1010, &cpu), ERANGE);
	CHECK(err_has("p/ranges does not translate address 0x10"));
	CHECK(cpu == UNTOUCHED);
}

int main(void)
{
	char *dir = th_tmpdir();

	test_walk(dir);
	test_identity_and_missing(dir);
	test_overflow(dir);
	test_malformed(dir);
	test_defaults(dir);
	test_pci_space(dir);
	th_dt_free_roots();

	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(dir);
	return th_done("test_dt");
}
