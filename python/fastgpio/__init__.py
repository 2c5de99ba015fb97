"""fastgpio: fast memory-mapped GPIO for Linux single-board computers.

    import fastgpio
    with fastgpio.Chip() as chip:
        led = chip.pin("GPIO17", "out")
        led.on()
"""

from ._chip import (BankSamples, Chip, ChipInfo, Function, HeaderPin, Pin, Pull, WaveStats, libgpiod_version,
                    pack_steps, soc_names)
from ._core import ChipClosedError, LineBusyError, NotSupportedError, UnsupportedSoCError
from ._events import Edge, EdgeEvent

__version__ = "0.1.0"

__all__ = [
    "BankSamples",
    "Chip",
    "ChipClosedError",
    "ChipInfo",
    "Edge",
    "EdgeEvent",
    "Function",
    "HeaderPin",
    "LineBusyError",
    "NotSupportedError",
    "Pin",
    "Pull",
    "UnsupportedSoCError",
    "WaveStats",
    "libgpiod_version",
    "pack_steps",
    "soc_names",
    "__version__",
]
