/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_rp1.c - libFuzzer target: RP1's locate(), the walk from
 * /axi/pcie@1000120000/rp1 up through each ancestor's `ranges` (3-cell PCI
 * addresses, any cell counts) and the gpio@d0000 `reg` cross-check.
 *
 * Input: records (see fuzz_dtdir.h) for the properties below.
 * Checks beyond the sanitizers: failure sets errno to one of the documented
 * values (ENOENT no tree/ranges, EINVAL malformed, ERANGE not translated,
 * EFBIG oversized property) with a terminated message; success only when the
 * rp1 node exists.
 */
#include "fuzz_dtdir.h"
#include "internal.h"

#define PCIE "axi/pcie@1000120000"
#define RP1 PCIE "/rp1"

static const char *const props[] = {
	"#address-cells",
	"#size-cells",
	"axi/#address-cells",
	"axi/#size-cells",
	"axi/ranges",
	PCIE "/#address-cells",
	PCIE "/#size-cells",
	PCIE "/ranges",
	RP1 "/#address-cells",
	RP1 "/#size-cells",
	RP1 "/ranges",
	RP1 "/compatible",
	RP1 "/gpio@d0000/compatible",
	RP1 "/gpio@d0000/reg",
	RP1 "/gpio@d0000/#address-cells",
};

#define NPROPS (sizeof(props) / sizeof(props[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *root = fz_dir();
	const struct fgpio_soc *soc = fgpio_soc_by_name("rp1");
	uint64_t base = 0;

	if (!soc || !fgpio_rp1_ops.locate)
		abort();
	fz_build(root, props, NPROPS, data, size);
	int r = fgpio_rp1_ops.locate(soc, root, &base);

	if (r != 0) {
		if (r != -1)
			abort();
		if (errno != ENOENT && errno != EINVAL && errno != ERANGE && errno != EFBIG)
			abort();
		fz_check_error_text();
	}
	return 0;
}
