"""Public classes of fastgpio: thin Python over the ``_core`` extension types.

The hot calls (``Pin.on``, ``Pin.off``, ``Pin.value``, ``Chip.set``...) are
inherited unchanged from the C types; this module adds only what is not hot:
enums, info, context managers, reprs and name-friendly helpers.
"""

from __future__ import annotations

import atexit
import enum
import os
import weakref
from dataclasses import dataclass
from typing import List, NamedTuple, Optional, Union

from . import _core

PinName = Union[int, str]
PathArg = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]


class Function(enum.IntEnum):
    """Pin function. ALT numbers are the SoC's own mux numbers."""

    IN = 0
    OUT = 1
    ALT0 = 2
    ALT1 = 3
    ALT2 = 4
    ALT3 = 5
    ALT4 = 6
    ALT5 = 7
    ALT6 = 8
    ALT7 = 9
    ALT8 = 10
    NONE = 11

    def __str__(self) -> str:
        return _core.FUNCTION_NAMES[self.value]


class Pull(enum.IntEnum):
    """Bias of a line. KEEPER (bus hold) is reported on RK3288, never set."""

    OFF = 0
    UP = 1
    DOWN = 2
    KEEPER = 3

    def __str__(self) -> str:
        return _core.PULL_NAMES[self.value]


@dataclass(frozen=True)
class ChipInfo:
    """Facts about an opened chip."""

    soc: str
    board: str
    backend: str
    device: str
    reason: str
    base: int
    num_lines: int
    num_banks: int


class HeaderPin(NamedTuple):
    """One pin of the board's header: its label and line (-1 power/ground, -2 n.c.)."""

    label: str
    line: int


def _check_enum(x: object, names: tuple, limit: int, what: str) -> None:
    """The argument checks of _core's function/pull conversion, without the write."""
    if isinstance(x, str):
        if x not in names[:limit]:
            raise ValueError(f"unknown {what} {x!r} (use one of {', '.join(names[:limit])})")
    elif isinstance(x, int) and not isinstance(x, bool):
        if not 0 <= x < limit:
            raise ValueError(f"unknown {what} {x!r}")
    else:
        raise TypeError(f"{what} must be an int or a str, not {type(x).__name__}")


_open_chips: "weakref.WeakSet[Chip]" = weakref.WeakSet()


@atexit.register
def _close_open_chips() -> None:
    # Unmap at interpreter exit even if a Chip is still referenced somewhere.
    for chip in list(_open_chips):
        chip.close()


class Chip(_core.Chip):
    """An opened GPIO controller.

    ``Chip()`` detects the SoC from ``/proc/device-tree`` and maps its GPIO
    block through ``/dev/gpiomem`` (no root needed) or ``/dev/mem``.
    Register-file mode maps a regular file instead, through the same code:
    ``Chip(soc="bcm2711", devmem="regs.bin")`` (physical offsets) or
    ``Chip(soc="bcm2837", gpiomem="gpio.bin")`` (offset 0 = GPIO block).
    """

    __slots__ = ("__weakref__",)

    def __init__(
        self,
        soc: Optional[str] = None,
        *,
        dt_root: Optional[PathArg] = None,
        gpiomem: Optional[PathArg] = None,
        devmem: Optional[PathArg] = None,
        backend: str = "auto",
        enable_clocks: bool = True,
    ) -> None:
        # The arguments were consumed by _core.Chip.__new__, which opened the chip.
        super().__init__()
        _open_chips.add(self)

    @property
    def info(self) -> ChipInfo:
        return ChipInfo(**self._info())

    def pin(self, line: PinName, function: Union[Function, str, None] = None, *,
            pull: Union[Pull, str, None] = None, value: Optional[int] = None) -> "Pin":
        """A :class:`Pin` for ``line`` (a number or a name such as ``"GPIO17"``,
        ``"BOARD11"``, ``"P9_12"``). Optionally sets its pull, then its output
        value, then its function, in that order, so an output starts at the
        requested level without a glitch."""
        p = Pin(self, line)
        # Check every argument before the first write: a bad function name
        # must not leave the requested value (or pull) already applied.
        if function is not None:
            _check_enum(function, _core.FUNCTION_NAMES, Function.NONE, "function")
        if pull is not None:
            _check_enum(pull, _core.PULL_NAMES, len(_core.PULL_NAMES), "pull")
        if value is not None:
            value = 1 if value else 0
        if pull is not None:
            self.set_pull(p.line, pull)
        if value is not None:
            self.write(p.line, value)
        if function is not None:
            self.set_function(p.line, function)
        return p

    def get_function(self, line: PinName) -> Function:
        return Function(self._get_function(line))

    def get_pull(self, line: PinName) -> Pull:
        """Pull of ``line``; raises :class:`NotSupportedError` where the SoC
        cannot read it back (BCM2835/6/7)."""
        return Pull(self._get_pull(line))

    def header(self) -> List[HeaderPin]:
        """The board's header pins, in order."""
        return [HeaderPin(label, line) for label, line in self._header()]

    def __enter__(self) -> "Chip":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        if self.closed:
            return "<fastgpio.Chip closed>"
        i = self.info
        return f"<fastgpio.Chip soc={i.soc!r} backend={i.backend!r} device={i.device!r} lines={i.num_lines}>"


class Pin(_core.Pin):
    """One GPIO line. ``on()``, ``off()``, ``toggle()`` and ``value`` go
    straight to the cached set/clear/level registers."""

    __slots__ = ()

    @property
    def function(self) -> Function:
        return self.chip.get_function(self.line)

    @function.setter
    def function(self, f: Union[Function, str]) -> None:
        self.chip.set_function(self.line, f)

    @property
    def pull(self) -> Pull:
        return self.chip.get_pull(self.line)

    @pull.setter
    def pull(self, p: Union[Pull, str]) -> None:
        self.chip.set_pull(self.line, p)

    def __repr__(self) -> str:
        chip = self.chip
        if chip is None or chip.closed:
            return f"<fastgpio.Pin line={self.line} (chip closed)>"
        return f"<fastgpio.Pin line={self.line} value={self.value}>"


def soc_names() -> tuple:
    """Names of the SoC tables this build supports."""
    return _core.soc_names()
