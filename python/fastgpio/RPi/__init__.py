# SPDX-License-Identifier: MIT
"""RPi.GPIO-compatible API on fastgpio: ``import fastgpio.RPi.GPIO as GPIO``.

See :mod:`fastgpio.RPi.GPIO` and the README's migration section.
"""
