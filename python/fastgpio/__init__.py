# SPDX-License-Identifier: MIT
"""fastgpio: fast memory-mapped GPIO for Linux single-board computers.

    import fastgpio
    with fastgpio.Chip() as chip:
        led = chip.pin("GPIO17", "out")
        led.on()
"""

from ._chip import (BankSamples, Chip, ChipInfo, Function, HeaderPin, Pin, Pull, WaveStats, libgpiod_version,
                    pack_steps, soc_names)
from ._core import ChipClosedError, LineBusyError, NotSupportedError, UnsupportedSoCError
from ._events import Edge, EdgeEvent, PinEvent
from ._pwm import PWM, PWMState



def __getattr__(name: str) -> str:
    # __version__ is the installed distribution's (meson's project version, as
    # is libfastgpio's fgpio_version()), read on first use: importlib.metadata
    # costs more than the rest of the import.
    if name == "__version__":
        from importlib.metadata import version
        v = version("fastgpio")
        globals()["__version__"] = v
        return v
    raise AttributeError(f"module 'fastgpio' has no attribute {name!r}")


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
    "PinEvent",
    "PWM",
    "PWMState",
    "Pull",
    "UnsupportedSoCError",
    "WaveStats",
    "libgpiod_version",
    "pack_steps",
    "soc_names",
    "__version__",
]
