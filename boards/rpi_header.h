/* SPDX-License-Identifier: MIT */
/*
 * boards/rpi_header.h - the Raspberry Pi 40-pin header (J8), shared by the
 * tables of every 40-pin Pi: bcm2835.h (A+, B+, Zero, 2, 3, Zero 2 W),
 * bcm2711.h (4, 400, CM4 IO board) and rp1.h (5). Data only; includes only soc.h.
 *
 * Sources:
 *  [GZ]  gpiozero gpiozero/pins/data.py (@ 00bce87d2937): PLUS_J8 and PI4_J8
 *        (pin -> GPIO / 3V3 / 5V / GND).
 *  [PIN] Raspberry Pi documentation, "GPIO and the 40-pin header": the same map for
 *        the Pi 5, whose header lines are RP1's GPIO 0-27.
 *  [DT]  gpio-line-names of bcm2837-rpi-zero-2-w.dts and bcm2711-rpi-cm4-io.dts:
 *        pins 27/28 are GPIO0/1, named ID_SDA/ID_SCL (ID_SD/ID_SC on the silkscreen).
 */
#ifndef FASTGPIO_BOARDS_RPI_HEADER_H
#define FASTGPIO_BOARDS_RPI_HEADER_H

#include "soc.h"

/* Header pin labels "BOARD1".."BOARD40"; the 26-pin P1 headers use the first 26. */
static const char *const fgpio_rpi_labels[40] = {
	"BOARD1", "BOARD2", "BOARD3", "BOARD4", "BOARD5", "BOARD6", "BOARD7", "BOARD8",
	"BOARD9", "BOARD10", "BOARD11", "BOARD12", "BOARD13", "BOARD14", "BOARD15", "BOARD16",
	"BOARD17", "BOARD18", "BOARD19", "BOARD20", "BOARD21", "BOARD22", "BOARD23", "BOARD24",
	"BOARD25", "BOARD26", "BOARD27", "BOARD28", "BOARD29", "BOARD30", "BOARD31", "BOARD32",
	"BOARD33", "BOARD34", "BOARD35", "BOARD36", "BOARD37", "BOARD38", "BOARD39", "BOARD40",
};

#define FGPIO_RPI_PWR FGPIO_PIN_POWER

/* [GZ PLUS_J8, PI4_J8] [PIN]: pins 1/17 3V3, 2/4 5V, 6/9/14/20/25/30/34/39 GND [DT]. */
static const int16_t fgpio_rpi_j8_lines[40] = {
	FGPIO_RPI_PWR, FGPIO_RPI_PWR,	/*  1 3V3,     2 5V      */
	2, FGPIO_RPI_PWR,		/*  3 GPIO2,   4 5V      */
	3, FGPIO_RPI_PWR,		/*  5 GPIO3,   6 GND     */
	4, 14,				/*  7 GPIO4,   8 GPIO14  */
	FGPIO_RPI_PWR, 15,		/*  9 GND,    10 GPIO15  */
	17, 18,				/* 11 GPIO17, 12 GPIO18  */
	27, FGPIO_RPI_PWR,		/* 13 GPIO27, 14 GND     */
	22, 23,				/* 15 GPIO22, 16 GPIO23  */
	FGPIO_RPI_PWR, 24,		/* 17 3V3,    18 GPIO24  */
	10, FGPIO_RPI_PWR,		/* 19 GPIO10, 20 GND     */
	9, 25,				/* 21 GPIO9,  22 GPIO25  */
	11, 8,				/* 23 GPIO11, 24 GPIO8   */
	FGPIO_RPI_PWR, 7,		/* 25 GND,    26 GPIO7   */
	0, 1,				/* 27 GPIO0 (ID_SD), 28 GPIO1 (ID_SC) */
	5, FGPIO_RPI_PWR,		/* 29 GPIO5,  30 GND     */
	6, 12,				/* 31 GPIO6,  32 GPIO12  */
	13, FGPIO_RPI_PWR,		/* 33 GPIO13, 34 GND     */
	19, 16,				/* 35 GPIO19, 36 GPIO16  */
	26, 20,				/* 37 GPIO26, 38 GPIO20  */
	FGPIO_RPI_PWR, 21,		/* 39 GND,    40 GPIO21  */
};

#endif /* FASTGPIO_BOARDS_RPI_HEADER_H */
