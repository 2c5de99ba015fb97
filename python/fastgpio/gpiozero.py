# SPDX-License-Identifier: MIT
"""A gpiozero pin factory on fastgpio: ``GPIOZERO_PIN_FACTORY=fastgpio``.

gpiozero finds it through the ``gpiozero_pin_factories`` entry point
(``fastgpio = "fastgpio.gpiozero:FastGPIOFactory"``); ``pip install
'fastgpio[gpiozero]'`` installs gpiozero too. Pins are fastgpio
:class:`~fastgpio.Pin` objects (states are single register accesses),
``when_changed`` runs on fastgpio's kernel edge events (ticks are the
events' CLOCK_MONOTONIC timestamps in seconds, the same clock as
``Factory.ticks()``), ``frequency`` starts hardware PWM on a pin with a PWM
output (GPIO12, 13, 18, 19 on the Pi's header, also 14 and 15 on a Pi 5: :meth:`fastgpio.Chip.pwm`,
through /dev/mem as root or the kernel's /sys/class/pwm), as gpiozero's
pigpio factory does, and software PWM on a thread elsewhere (or when the
PWM block cannot be reached, or its channel already drives another pin).

Board info: Raspberry Pis get gpiozero's own ``PiBoardInfo`` from the
firmware's revision code; the Tinker Board and BeagleBone Black get a
``BoardInfo`` built from fastgpio's header map (pins named ``GPIO<line>``
with the line numbers fastgpio uses, plus ``BOARD<n>`` and the header label).

Register-file mode (tests, dry runs): ``FastGPIOFactory(chip=Chip(...),
revision=0xB03115)``.
"""

from __future__ import annotations

import errno
import math
import re
import threading
import time
from typing import Any, Callable, Dict, Optional, Tuple

try:
    from gpiozero.exc import (PinFixedPull, PinInvalidBounce, PinInvalidEdges, PinInvalidFunction,
                              PinInvalidPull, PinInvalidState, PinPWMFixedValue, PinSetInput)
    from gpiozero.pins import BoardInfo, HeaderInfo, PinInfo
    from gpiozero.pins.local import LocalPiFactory, LocalPiPin
    from gpiozero.pins.pi import PiBoardInfo
except ImportError as e:  # pragma: no cover - exercised only without gpiozero
    raise ImportError("fastgpio.gpiozero needs gpiozero >= 2.0: pip install 'fastgpio[gpiozero]'") from e

from . import _core
from ._chip import Chip, Function
from ._core import NotSupportedError
from ._compat import pull_tolerated, within_bounce
from ._pwm import PercentPWM
from ._softpwm import MSG_FREQ, SoftPWM

_PULL_TO_ZERO = {"off": "floating", "up": "up", "down": "down"}
_PULL_FROM_ZERO = {"floating": "off", "up": "up", "down": "down"}
_EDGES = ("both", "rising", "falling", "none")


def _generic_board_info(chip: Chip) -> BoardInfo:
    """A gpiozero BoardInfo from fastgpio's header map, for boards gpiozero
    does not know (Tinker Board: one 40-pin header; BeagleBone: P8 and P9)."""
    info = chip.info
    headers: Dict[str, Dict[int, PinInfo]] = {}
    for index, hp in enumerate(chip.header(), 1):
        m = re.fullmatch(r"(P\d+)_(\d+)", hp.label)
        header, number = (m.group(1), int(m.group(2))) if m else ("HEADER", index)
        names = {f"{header}:{number}", hp.label}
        if header == "HEADER":
            names.add(f"BOARD{number}")
        if hp.line >= 0:
            name = f"GPIO{hp.line}"
            names |= {name, hp.line, str(hp.line)}
            interfaces = frozenset({"gpio"})
        else:
            name = "GND/power" if hp.line == -1 else "NC"
            interfaces = frozenset({""})
        headers.setdefault(header, {})[number] = PinInfo(
            number=number, name=name, names=frozenset(names), pull="",
            row=(number + 1) // 2, col=2 - number % 2, interfaces=interfaces)
    return BoardInfo(
        revision="-", model=info.board, pcb_revision="-", released="-", soc=info.soc.upper(),
        manufacturer="-", memory=None, storage="-", usb=None, usb3=None, ethernet=None,
        eth_speed=None, wifi=None, bluetooth=None, csi=None, dsi=None,
        headers={name: HeaderInfo(name=name, rows=(max(pins) + 1) // 2, columns=2, pins=pins)
                 for name, pins in headers.items()},
        board="")


def _real(value: Any, what: str) -> float:
    """A PWM state or frequency: a real number (int, float, numpy scalar);
    TypeError for str, bytes, None and other objects."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{what} must be a number, not {type(value).__name__}")
    try:
        return float(value)
    except OverflowError:  # an int beyond float: out of range like inf
        return math.inf if value > 0 else -math.inf
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a number, not {type(value).__name__}") from None


class FastGPIOFactory(LocalPiFactory):
    """gpiozero pin factory driving pins through fastgpio.

    ``chip``: an opened :class:`fastgpio.Chip` to use (default: ``Chip()``,
    closed with the factory). ``revision``: the Pi's revision code, for a
    chip that is not this machine's (register files); default: read from
    the device tree like gpiozero's other local factories."""

    def __init__(self, chip: Optional[Chip] = None, *, revision: Optional[int] = None,
                 hardware_pwm: bool = True) -> None:
        super().__init__()
        self._own_chip = chip is None
        self._chip = Chip() if chip is None else chip
        self._revision = revision
        self.hardware_pwm = hardware_pwm
        self._pwm_channels: Dict[Tuple[int, int], int] = {}   # (block, channel) -> line using it
        self.pin_class = FastGPIOPin

    @property
    def chip(self) -> Chip:
        return self._chip

    def close(self) -> None:
        super().close()
        if self._own_chip:
            self._chip.close()

    def _get_revision(self) -> int:
        return self._revision if self._revision is not None else super()._get_revision()

    def _get_board_info(self) -> BoardInfo:
        if self._info is None:
            if self._chip.info.raspberry_pi:
                self._info = PiBoardInfo.from_revision(self._get_revision())
            else:
                self._info = _generic_board_info(self._chip)
        return self._info


class FastGPIOPin(LocalPiPin):
    """A gpiozero pin on a fastgpio :class:`~fastgpio.Pin`."""

    def __init__(self, factory: FastGPIOFactory, info: PinInfo) -> None:
        super().__init__(factory, info)
        self._pin = factory.chip.pin(self._number)  # refuses a line the kernel gives to a driver
        self._pull = "floating"   # last pull set (BCM2835-7 cannot read pulls back)
        self._bounce: Optional[float] = None
        self._edges = "both"
        self._last_ns = 0
        self._pwm: Optional[SoftPWM] = None
        self._watching = False
        self._poller: Optional[_Poller] = None
        self._handler = self._on_event  # one bound method: add and remove the same object
        self.input_with_pull(info.pull or "floating")

    def close(self) -> None:
        """Stops PWM and edge callbacks and leaves the line an input with its default pull."""
        self.frequency = None
        self.when_changed = None
        self.function = "input"
        self.pull = self.info.pull or "floating"

    # function ----------------------------------------------------------------------
    def _get_function(self) -> str:
        f = self.factory.chip.get_function(self._number)
        if f == Function.IN:
            return "input"
        if f == Function.OUT:
            return "output"
        return str(f)  # "alt0".."alt8" (the SoC's mux numbers), "none"

    def _set_function(self, value: str) -> None:
        if value == "input":
            func = "in"
        elif value == "output":
            func = "out"
        elif isinstance(value, str) and re.fullmatch(r"alt[0-8]", value):
            func = value
        else:
            raise PinInvalidFunction(f'invalid function "{value}" for pin {self!r}')
        if func != "out":
            self.frequency = None
        try:
            self.factory.chip.set_function(self._number, func)
        except (NotSupportedError, ValueError) as e:
            raise PinInvalidFunction(f'invalid function "{value}" for pin {self!r}: {e}') from e

    def _level(self, state: Any) -> int:
        """A digital state as fastgpio takes a level: bool, or an int (numpy
        integers too) 0/1. TypeError for str, float, None, containers;
        PinInvalidState (a ValueError) for other ints. Never by truth: "0"
        and NaN are true."""
        try:
            return _core._level(state, "state")
        except ValueError as e:
            raise PinInvalidState(f'invalid state "{state!r}" for pin {self!r}: {e}') from None

    def output_with_state(self, state: Any) -> None:
        level = self._level(state)   # checked before anything changes
        self.frequency = None
        self.factory.chip._setup_line(self._number, "out", None, level)  # the latch, then "out"

    def input_with_pull(self, pull: str) -> None:
        self.function = "input"
        self.pull = pull

    # state -------------------------------------------------------------------------
    def _get_state(self) -> Any:
        if self._pwm is not None:
            return self._pwm.duty / 100.0
        return self._pin.value

    def _set_state(self, value: Any) -> None:
        if self._pwm is not None:
            duty = _real(value, "state")
            if not 0.0 <= duty <= 1.0:  # NaN and inf fail this too
                raise PinInvalidState(f'invalid state "{value}" for pin {self!r}')
            self._pwm.duty = duty * 100.0
            return
        level = self._level(value)
        if self.factory.chip.get_function(self._number) != Function.OUT:
            raise PinSetInput(f"cannot set state of pin {self!r}")
        self._pin.value = level

    # pull --------------------------------------------------------------------------
    def _get_pull(self) -> str:
        try:
            return _PULL_TO_ZERO.get(str(self.factory.chip.get_pull(self._number)), "floating")
        except NotSupportedError:
            return self._pull

    def _set_pull(self, value: str) -> None:
        if self.factory.chip.get_function(self._number) != Function.IN:
            raise PinFixedPull(f"cannot set pull on non-input pin {self!r}")
        if self.info.pull not in (value, ""):
            raise PinFixedPull(f"{self!r} has a physical pull-{self.info.pull} resistor")
        try:
            pull = _PULL_FROM_ZERO[value]
        except (KeyError, TypeError):
            raise PinInvalidPull(f'invalid pull "{value}" for pin {self!r}') from None
        self.factory.chip._setup_line(self._number, None, pull, None, pull_tolerated)
        self._pull = value

    # software PWM ------------------------------------------------------------------
    def _get_frequency(self) -> Optional[float]:
        return None if self._pwm is None else self._pwm.frequency

    def _set_frequency(self, value: Optional[float]) -> None:
        hz = None if value is None else _real(value, "frequency")
        if hz is None or hz == 0:
            if self._pwm is not None:
                self._pwm.stop()
                self._pwm = None
            return
        if not (hz > 0 and math.isfinite(hz)):  # NaN/inf: a thread toggling flat out
            raise PinInvalidState(f'invalid frequency "{value}" for pin {self!r}: {MSG_FREQ} '
                                  "and finite")
        if self._pwm is None:
            if self.factory.chip.get_function(self._number) != Function.OUT:
                raise PinPWMFixedValue(f"cannot start PWM on pin {self!r}")
            self._pwm = self._hardware_pwm(hz)
            if self._pwm is None:
                self._pwm = SoftPWM(self._pin, hz, 0.0)
                self._pwm.start()
        else:
            try:
                self._pwm.frequency = hz
            except ValueError as e:  # beyond what the PWM clock reaches
                raise PinInvalidState(f'invalid frequency "{value}" for pin {self!r}: {e}') from None

    def _hardware_pwm(self, hz: float) -> Optional[PercentPWM]:
        """The pin's hardware PWM channel started at @hz with duty 0, or None
        (no PWM output, its channel in use by another pin, the block not
        reachable from here): then software PWM does it."""
        factory = self.factory
        if not factory.hardware_pwm:
            return None
        try:
            out = factory.chip._pwm_find(self._number)
        except NotSupportedError:
            return None
        key = (out["block"], out["channel"])
        if factory._pwm_channels.get(key, self._number) != self._number:
            return None
        try:
            pwm = PercentPWM(factory.chip, self._number, hz, 0.0,
                             on_stop=lambda: factory._pwm_channels.pop(key, None))
            pwm.start()
        except (OSError, ValueError):  # unreachable block, kernel-owned, a rate beyond its clock
            return None
        factory._pwm_channels[key] = self._number
        return pwm

    @property
    def hardware_pwm(self) -> bool:
        """True while ``frequency`` runs on the SoC's PWM block, not a thread."""
        return isinstance(self._pwm, PercentPWM)

    # edges -------------------------------------------------------------------------
    def _get_bounce(self) -> Optional[float]:
        return self._bounce

    def _set_bounce(self, value: Optional[float]) -> None:
        if value is not None and value < 0:
            raise PinInvalidBounce("bounce must be 0 or greater")
        self._bounce = value or None

    def _get_edges(self) -> str:
        return self._edges

    def _set_edges(self, value: str) -> None:
        if value not in _EDGES:
            raise PinInvalidEdges(f'invalid edge specification "{value}" for pin {self!r}')
        f = self.when_changed
        self.when_changed = None
        try:
            self._edges = value
        finally:
            self.when_changed = f

    def _on_event(self, event: Any) -> None:
        # fastgpio's event thread. bounce as gpiozero describes it: an edge
        # within `bounce` seconds of the last reported one is dropped.
        ts = event.timestamp_ns
        if within_bounce(round(self._bounce * 1e9) if self._bounce else None, self._last_ns, ts):
            return
        self._last_ns = ts
        self._call_when_changed(ts / 1e9, 1 if int(event.edge) == 1 else 0)

    def _enable_event_detect(self) -> None:
        if self._edges == "none":
            return
        self._last_ns = 0
        try:
            self._pin.add_callback(self._handler, edge=self._edges)
            self._watching = True
        except (AttributeError, OSError) as e:
            if getattr(e, "errno", None) == errno.EBUSY:
                raise  # another program holds the line: say so, do not poll behind its back
            # No kernel events here (a register file, a kernel without the
            # SoC's gpiochip): poll the level instead, as gpiozero's native
            # factory does.
            self._poller = _Poller(self)

    def _disable_event_detect(self) -> None:
        if self._watching:
            self._watching = False
            self._pin.remove_callback(self._handler)
        if self._poller is not None:
            self._poller.stop()
            self._poller = None


class _Poller:
    """Fallback edge detection: reads the level every millisecond on a
    thread and reports changes with monotonic ticks (ns resolution lost;
    pulses shorter than the poll interval are missed)."""

    INTERVAL = 0.001

    def __init__(self, pin: FastGPIOPin) -> None:
        self._pin = pin
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"fastgpio-poll-{pin._number}")
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not threading.current_thread():
            self._thread.join()

    def _run(self) -> None:
        pin, hw = self._pin, self._pin._pin
        try:
            last = hw.value
            while not self._stopping.wait(self.INTERVAL):
                level = hw.value
                if level != last:
                    last = level
                    if pin._edges == "both" or (pin._edges == "rising") == (level == 1):
                        pin._on_event(_PolledEdge(time.monotonic_ns(), level))
        except (OSError, ValueError):
            pass  # the chip was closed


class _PolledEdge:
    __slots__ = ("timestamp_ns", "edge")

    def __init__(self, timestamp_ns: int, level: int) -> None:
        self.timestamp_ns = timestamp_ns
        self.edge = 1 if level else 2  # fastgpio.Edge.RISING / FALLING
