"""fastgpio: fast memory-mapped GPIO for Linux single-board computers.

    import fastgpio
    with fastgpio.Chip() as chip:
        led = chip.pin("GPIO17", "out")
        led.on()
"""

from ._chip import Chip, ChipInfo, Function, HeaderPin, Pin, Pull, soc_names
from ._core import ChipClosedError, NotSupportedError, UnsupportedSoCError

__version__ = "0.1.0"

__all__ = [
    "Chip",
    "ChipClosedError",
    "ChipInfo",
    "Function",
    "HeaderPin",
    "NotSupportedError",
    "Pin",
    "Pull",
    "UnsupportedSoCError",
    "soc_names",
    "__version__",
]
