/* SPDX-License-Identifier: MIT */
/*
 * examples/blink.c - blink a line from C with libfastgpio.
 *
 *   cc blink.c $(pkg-config --cflags --libs fastgpio) -o blink
 *   sudo ./blink 17                        # on a board (auto-detected)
 *   ./blink 17 bcm2711 regs.bin            # dry run on a register file
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <fastgpio.h>

int main(int argc, char **argv)
{
	struct fgpio_config cfg;

	if (argc != 2 && argc != 4) {
		fprintf(stderr, "usage: %s LINE [SOC REGISTER_FILE]\n", argv[0]);
		return 2;
	}
	fgpio_config_init(&cfg);
	if (argc == 4) {
		cfg.soc = argv[2];
		cfg.devmem = argv[3];
		cfg.dt_root = "/nonexistent";	/* register file: use the table's default base */
	}
	struct fgpio_chip *chip = fgpio_chip_open(&cfg);

	if (!chip) {
		fprintf(stderr, "blink: %s\n", fgpio_last_error());
		return 1;
	}
	int line = fgpio_chip_find_line(chip, argv[1]);
	struct fgpio_line led;

	if (line < 0 || fgpio_chip_set_func(chip, (unsigned)line, FGPIO_FUNC_OUT) ||
	    fgpio_line_init(chip, (unsigned)line, &led)) {
		fprintf(stderr, "blink: %s\n", fgpio_last_error());
		fgpio_chip_close(chip);
		return 1;
	}
	const struct timespec half = { 0, argc == 4 ? 0 : 250000000 };

	for (int i = 0; i < 6; i++) {
		if (i % 2)
			fgpio_line_off(&led);
		else
			fgpio_line_on(&led);
		nanosleep(&half, NULL);
	}
	fgpio_line_on(&led);	/* leave it on: a dry run can check GPSET */
	printf("blinked line %d on %s\n", line, argc == 4 ? argv[2] : "this board");
	fgpio_chip_close(chip);
	return 0;
}
