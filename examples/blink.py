# SPDX-License-Identifier: MIT
"""Blink GPIO17 (header pin 11 on a Raspberry Pi) five times."""
import time

import fastgpio

with fastgpio.Chip() as chip:
    print(chip.info)
    led = chip.pin("GPIO17", "out", value=0)
    for _ in range(10):
        led.toggle()
        time.sleep(0.25)
