# SPDX-License-Identifier: MIT
"""The RPi.GPIO 0.7 API on fastgpio: change ``import RPi.GPIO as GPIO`` into
``import fastgpio.RPi.GPIO as GPIO`` and the rest of a script stays as it is.

Constants have RPi.GPIO 0.7.1's values, functions its argument names, checks,
exceptions and messages (scripts match on them), warnings its texts. What is
underneath is fastgpio: the SoC is detected from the device tree, registers
are written through fastgpio's tables (so the same script runs on every board
fastgpio supports; ``BOARD`` numbers map through the detected board's header,
e.g. the Tinker Board's 40-pin header), edge events come from the kernel's
GPIO character device, and software PWM runs on a Python thread.

Differences from RPi.GPIO are listed in the README ("Migrating from RPi.GPIO
and gpiozero"). The largest: arguments are all checked before the first
register write (RPi.GPIO sets up the channels of a list one by one and stops
at the first bad one), ``PWM.stop()`` returns once the line is low, and
``cleanup()`` also stops software PWM on the channels it resets.

Register-file mode (dry runs, tests): ``GPIO._use_chip(chip, dt_root=...)``
makes the module drive an already opened :class:`fastgpio.Chip`, e.g.
``Chip("bcm2711", devmem="regs.bin", dt_root="fake-dt")``, instead of opening
``Chip()`` on first use; ``RPI_INFO`` is then read from ``dt_root``.
"""

from __future__ import annotations

import atexit
import math
import operator
import os
import struct
import threading
import time
import traceback
import warnings
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .._chip import Chip, Function, Pin
from .. import _core
from .._core import NotSupportedError
from .._compat import pull_tolerated, within_bounce
from .._pwm import PercentPWM
from .._softpwm import SoftPWM

# --- constants (RPi.GPIO 0.7.1 source: common.h, c_gpio.h, constants.h, event_gpio.h) ---
VERSION = "0.7.1"  # the RPi.GPIO API level this module follows (fastgpio.__version__ is ours)

BOARD = 10
BCM = 11
OUT = 0
IN = 1
HIGH = 1
LOW = 0
PUD_OFF = 20
PUD_DOWN = 21
PUD_UP = 22
RISING = 31
FALLING = 32
BOTH = 33
SERIAL = 40
SPI = 41
I2C = 42
HARD_PWM = 43
UNKNOWN = -1

# Messages scripts and tests match on: RPi.GPIO 0.7.1's exact texts.
_MSG_NO_MODE = "Please set pin numbering mode using GPIO.setmode(GPIO.BOARD) or GPIO.setmode(GPIO.BCM)"
_MSG_BAD_CHANNEL = "The channel sent is invalid on a Raspberry Pi"
_MSG_CHANNEL_TYPE = "Channel must be an integer or list/tuple of integers"
_MSG_CHANNEL_ITEM = "Channel must be an integer"
_MSG_IN_USE = "This channel is already in use, continuing anyway.  Use GPIO.setwarnings(False) to disable warnings."
_MSG_PHYSICAL_PULL = "A physical pull up resistor is fitted on this channel!"
_MSG_NOTHING_TO_CLEAN = ("No channels have been set up yet - nothing to clean up!  "
                         "Try cleaning up at the end of your program instead!")
_MSG_NOT_INPUT = "You must setup() the GPIO channel as an input first"
_MSG_BAD_EDGE = "The edge must be set to RISING, FALLING or BOTH"
_MSG_BAD_BOUNCE = "Bouncetime must be greater than 0"
_MSG_CALLABLE = "Parameter must be callable"
_MSG_DUTY = "dutycycle must have a value from 0.0 to 100.0"
_MSG_FREQ = "frequency must be greater than 0.0"

_EDGE_NAMES = {RISING: "rising", FALLING: "falling", BOTH: "both"}
_PULL_NAMES = {PUD_OFF: "off", PUD_DOWN: "down", PUD_UP: "up"}


# --- board revision -> RPI_INFO (decoding as RPi.GPIO 0.7.1's cpuinfo.c) ---
# New-style revision codes: type (bits 4-11) -> (TYPE, P1_REVISION); 0 = compute module.
_NEW_TYPES = {
    0x00: ("Model A", 2), 0x01: ("Model B", 2), 0x02: ("Model A+", 3), 0x03: ("Model B+", 3),
    0x04: ("Pi 2 Model B", 3), 0x05: ("Alpha", 3), 0x06: ("Compute Module 1", 0),
    0x08: ("Pi 3 Model B", 3), 0x09: ("Zero", 3), 0x0A: ("Compute Module 3", 0),
    0x0C: ("Zero W", 3), 0x0D: ("Pi 3 Model B+", 3), 0x0E: ("Pi 3 Model A+", 3),
    0x10: ("Compute Module 3+", 0), 0x11: ("Pi 4 Model B", 3), 0x12: ("Zero 2 W", 3),
    0x13: ("Pi 400", 3), 0x14: ("Compute Module 4", 0),
}
_NEW_PROCESSORS = {0: "BCM2835", 1: "BCM2836", 2: "BCM2837", 3: "BCM2711"}
_NEW_MAKERS = {0: "Sony UK", 1: "Egoman", 2: "Embest", 3: "Sony Japan", 4: "Embest", 5: "Stadium"}
_NEW_RAM = {0: "256M", 1: "512M", 2: "1G", 3: "2G", 4: "4G", 5: "8G"}
# Old-style codes (all BCM2835): code -> (TYPE, P1_REVISION, RAM, MANUFACTURER).
_OLD_CODES = {
    0x02: ("Model B", 1, "256M", "Egoman"), 0x03: ("Model B", 1, "256M", "Egoman"),
    0x04: ("Model B", 2, "256M", "Sony UK"), 0x05: ("Model B", 2, "256M", "Qisda"),
    0x06: ("Model B", 2, "256M", "Egoman"), 0x07: ("Model A", 2, "256M", "Egoman"),
    0x08: ("Model A", 2, "256M", "Sony UK"), 0x09: ("Model A", 2, "256M", "Qisda"),
    0x0D: ("Model B", 2, "512M", "Egoman"), 0x0E: ("Model B", 2, "512M", "Sony UK"),
    0x0F: ("Model B", 2, "512M", "Qisda"), 0x10: ("Model B+", 3, "512M", "Sony UK"),
    0x11: ("Compute Module 1", 0, "512M", "Sony UK"), 0x12: ("Model A+", 3, "256M", "Sony UK"),
    0x13: ("Model B+", 3, "512M", "Embest"), 0x14: ("Compute Module 1", 0, "512M", "Embest"),
    0x15: ("Model A+", 3, "Unknown", "Embest"),
}


def _decode_revision(revision: str) -> Dict[str, Any]:
    """RPI_INFO for a revision code given as hex text ("a02082", "000e")."""
    info: Dict[str, Any] = {"P1_REVISION": 3, "REVISION": revision, "TYPE": "Unknown",
                            "MANUFACTURER": "Unknown", "PROCESSOR": "Unknown", "RAM": "Unknown"}
    try:
        code = int(revision, 16)
    except ValueError:
        return info
    if len(revision) >= 6 and code & (1 << 23):
        info["TYPE"], info["P1_REVISION"] = _NEW_TYPES.get((code >> 4) & 0xFF, ("Unknown", 3))
        info["PROCESSOR"] = _NEW_PROCESSORS.get((code >> 12) & 0xF, "Unknown")
        info["MANUFACTURER"] = _NEW_MAKERS.get((code >> 16) & 0xF, "Unknown")
        info["RAM"] = _NEW_RAM.get((code >> 20) & 0x7, "Unknown")
    else:
        old = _OLD_CODES.get(code & 0xEFFFFFFF)  # bit 28: the overvolt flag
        if old is not None:
            info["TYPE"], info["P1_REVISION"], info["RAM"], info["MANUFACTURER"] = old
            info["PROCESSOR"] = "BCM2835"
    return info


def _read_board_info(dt_root: str = "/proc/device-tree", cpuinfo: Optional[str] = "/proc/cpuinfo") -> Dict[str, Any]:
    """RPI_INFO of this machine: the firmware's revision code from the device
    tree, else /proc/cpuinfo's Revision line. A board without one (Tinker
    Board, BeagleBone...) gets the device tree's model as TYPE, the 40-pin
    header's P1_REVISION 3 and "Unknown" elsewhere."""
    try:
        with open(os.path.join(dt_root, "system", "linux,revision"), "rb") as f:
            return _decode_revision("%x" % struct.unpack(">I", f.read(4))[0])
    except (OSError, struct.error):
        pass
    if cpuinfo:
        try:
            with open(cpuinfo) as f:
                for text in f:
                    key, _, value = text.partition(":")
                    if key.strip() == "Revision" and value.strip():
                        return _decode_revision(value.strip())
        except OSError:
            pass
    info = _decode_revision("")
    try:
        with open(os.path.join(dt_root, "model"), "rb") as f:
            info["TYPE"] = f.read().rstrip(b"\0").decode("ascii", "replace") or "Unknown"
    except OSError:
        pass
    return info


RPI_INFO: Dict[str, Any] = _read_board_info()
RPI_REVISION: int = RPI_INFO["P1_REVISION"]  # deprecated in RPi.GPIO too; kept for old scripts


# --- module state ---------------------------------------------------------------
_lock = threading.RLock()
_chip: Optional[Chip] = None
_own_chip = False               # opened here (closed by _use_chip), not handed in
_module_setup = False           # RPi.GPIO's "registers mapped" flag: setup()/gpio_function() ran
_mode: Optional[int] = None
_warnings = True
_directions: Dict[int, int] = {}     # line -> IN/OUT, channels set up by this program
_pins: Dict[int, Pin] = {}           # line -> Pin
# output()'s and input()'s hot path is C (_core.ChannelTable, made below once
# _output/_input exist): an int channel found in its two dicts is one register
# access; every other call goes to _output/_input.
_out_fast: Dict[int, Pin]            # channel -> Pin of outputs (output()'s fast path)
_in_fast: Dict[int, Pin]             # channel -> Pin of set-up channels (input()'s fast path)
_header_lines: Optional[List[int]] = None
_bcm_limit = 0
_detects: Dict[int, "_Detect"] = {}  # line -> edge detection added by add_event_detect
_last_edge_ns: Dict[int, int] = {}   # line -> timestamp of wait_for_edge's last accepted edge
_pwms: Dict[int, "PWM"] = {}         # line -> PWM object that owns it


def _index(x: Any) -> int:
    """An int argument the way RPi.GPIO's "i" parsing takes it (bool and
    __index__ types too; float and str raise TypeError)."""
    return operator.index(x)


def _int_or_none(x: Any) -> Optional[int]:
    """A channel or value where RPi.GPIO tests PyLong_Check (int and bool),
    also taking other __index__ types (numpy integers) as fastgpio does
    everywhere; None for anything else (str, float, containers...)."""
    if isinstance(x, int):
        return int(x)
    if isinstance(x, (str, bytes, float)) or not hasattr(type(x), "__index__"):
        return None
    try:
        return operator.index(x)
    except TypeError:  # e.g. numpy.bool_, whose __index__ refuses
        return None


def _open() -> Chip:
    """The chip, opened on first use (RPi.GPIO maps its registers lazily too)."""
    global _chip, _own_chip, _bcm_limit
    if _chip is None:
        try:
            chip = Chip()
        except OSError as e:
            raise RuntimeError(f"fastgpio cannot open the GPIO controller: {e}") from e
        _chip, _own_chip = chip, True
    if not _bcm_limit:
        # RPi.GPIO accepts BCM 0..53 on every Pi; elsewhere every line of the chip.
        _bcm_limit = min(54, _chip.num_lines) if _chip.info.raspberry_pi else _chip.num_lines
    return _chip


def _mark_setup() -> Chip:
    global _module_setup
    chip = _open()
    _module_setup = True
    return chip


def _line(channel: int) -> int:
    """RPi.GPIO's channel -> SoC line conversion, with its errors."""
    if _mode is None:
        raise RuntimeError(_MSG_NO_MODE)
    chip = _open()
    if _mode == BCM:
        if not 0 <= channel < _bcm_limit:
            raise ValueError(_MSG_BAD_CHANNEL)
        try:
            chip.line(channel)
        except ValueError:  # a gap in the numbering (RK3288 bank 0 has 24 lines)
            raise ValueError(_MSG_BAD_CHANNEL) from None
        return channel
    global _header_lines
    if _header_lines is None:
        _header_lines = [p.line for p in chip.header()]
    if not 1 <= channel <= len(_header_lines) or _header_lines[channel - 1] < 0:
        raise ValueError(_MSG_BAD_CHANNEL)
    return _header_lines[channel - 1]


def _pin(line: int) -> Pin:
    p = _pins.get(line)
    if p is None:
        p = _pins[line] = Pin(_open(), line)
    return p


def _channels(channel: Any) -> List[int]:
    """An int, or a list/tuple of ints, as a list; RPi.GPIO's ValueErrors otherwise."""
    one = _int_or_none(channel)
    if one is not None:
        return [one]
    if isinstance(channel, (list, tuple)):
        out = [_int_or_none(c) for c in channel]
        if any(c is None for c in out):
            raise ValueError(_MSG_CHANNEL_ITEM)
        return out  # type: ignore[return-value]
    raise ValueError(_MSG_CHANNEL_TYPE)


def _set_pull(line: int, pud: int) -> None:
    _open()._setup_line(line, None, _PULL_NAMES[pud], None, pull_tolerated)


def _forget_fast(line: int) -> None:
    for table in (_out_fast, _in_fast):
        for ch in [c for c, p in table.items() if p.line == line]:
            del table[ch]


def _reset_line(line: int) -> None:
    """cleanup() of one line: input, no pull, as RPi.GPIO leaves it."""
    _set_pull(line, PUD_OFF)
    _open().set_function(line, "in")
    del _directions[line]
    _forget_fast(line)


# --- numbering mode and warnings --------------------------------------------------
def setmode(mode: int, /) -> None:
    """Selects channel numbering: BOARD (header pin numbers of the detected
    board) or BCM (the SoC's GPIO numbers)."""
    global _mode
    mode = _index(mode)
    if _mode is not None and mode != _mode:
        raise ValueError("A different mode has already been set!")
    if mode not in (BOARD, BCM):
        raise ValueError("An invalid mode was passed to setmode()")
    if mode == BOARD and RPI_INFO["P1_REVISION"] == 0:
        raise RuntimeError("BOARD numbering system not applicable on compute module")
    _mode = mode


def getmode() -> Optional[int]:
    """BOARD, BCM, or None before setmode()."""
    return _mode


def setwarnings(flag: int, /) -> None:
    """Turns RPi.GPIO's RuntimeWarnings (channel in use, nothing to clean up...) on or off."""
    global _warnings
    _warnings = bool(_index(flag))


# --- setup / output / input / cleanup ----------------------------------------------
def setup(channel: Any, direction: int, pull_up_down: int = PUD_OFF, initial: Optional[int] = -1) -> None:
    """Makes a channel (or each of a list/tuple of channels) an input with
    ``pull_up_down`` or an output starting at ``initial`` (LOW/HIGH)."""
    chans = _channels(channel)
    direction = _index(direction)
    pud = _index(pull_up_down)
    initial = -1 if initial is None else _index(initial)
    with _lock:
        chip = _mark_setup()
        if direction not in (IN, OUT):
            raise ValueError("An invalid direction was passed to setup()")
        if direction == OUT and pud != PUD_OFF:
            raise ValueError("pull_up_down parameter is not valid for outputs")
        if direction == IN and initial != -1:
            raise ValueError("initial parameter is not valid for inputs")
        if pud not in _PULL_NAMES:
            raise ValueError("Invalid value for pull_up_down - should be either PUD_OFF, PUD_UP or PUD_DOWN")
        lines = [_line(c) for c in chans]  # every channel checked before the first write
        pi = chip.info.raspberry_pi  # GPIO2/3 carry 1.8 kOhm pull-ups on every Pi
        for c, line in zip(chans, lines):
            if _warnings:
                try:
                    func = chip.get_function(line)
                except OSError:  # gpiod backend: a line not requested yet
                    func = Function.IN
                try:  # a driver, hog or other program holding the line (fastgpio's check)
                    held = chip.owner(line) is not None
                except OSError:  # register files, kernels that cannot say
                    held = False
                if (held or func not in (Function.IN, Function.OUT)
                        or (func == Function.OUT and line not in _directions)):
                    warnings.warn(_MSG_IN_USE, RuntimeWarning, stacklevel=2)
                p1 = RPI_INFO["P1_REVISION"]
                if (pi and p1 != 0 and pud != PUD_OFF
                        and (line in (2, 3) or (p1 == 1 and line in (0, 1)))):
                    warnings.warn(_MSG_PHYSICAL_PULL, RuntimeWarning, stacklevel=2)
            pin = _pin(line)
            # pull, the latch, then the function: no glitch when the line turns output
            chip._setup_line(line, "out" if direction == OUT else "in", _PULL_NAMES[pud],
                             initial if direction == OUT and initial in (LOW, HIGH) else None,
                             pull_tolerated)
            _directions[line] = direction
            _forget_fast(line)
            _in_fast[c] = pin
            if direction == OUT:
                _out_fast[c] = pin


def _output(channel: Any, value: Any) -> None:
    # Values as RPi.GPIO 0.7.1's output() takes them: an int or bool (and here
    # any __index__ integer), any non-zero one HIGH; str, float (NaN too),
    # None and other containers are refused with its ValueErrors.
    one = _int_or_none(channel)
    single = one is not None
    if not single and not isinstance(channel, (list, tuple)):
        raise ValueError(_MSG_CHANNEL_TYPE)
    level = _int_or_none(value)
    if level is not None:
        values: Optional[Sequence[Any]] = None
    elif isinstance(value, (list, tuple)):
        values = value
    else:
        raise ValueError("Value must be an integer/boolean or a list/tuple of integers/booleans")
    if (single and values is not None) or (not single and values is not None and len(values) != len(channel)):
        raise RuntimeError("Number of channels != number of values")
    chans = [one] if single else list(channel)
    plan: List[Tuple[Pin, bool]] = []
    for i, c in enumerate(chans):
        c = _int_or_none(c)
        if c is None:
            raise ValueError(_MSG_CHANNEL_ITEM)
        v = level
        if values is not None:
            v = _int_or_none(values[i])
            if v is None:
                raise ValueError("Value must be an integer or boolean")
        line = _line(c)
        if _directions.get(line) != OUT:
            raise RuntimeError("The GPIO channel has not been set up as an OUTPUT")
        plan.append((_pin(line), bool(v)))
    for pin, v in plan:  # all checked: now write
        pin.value = v


def _input(channel: Any) -> int:
    """input() of a channel not on the fast path: checks and RPi.GPIO's errors."""
    line = _line(_index(channel))
    if line not in _directions:
        raise RuntimeError("You must setup() the GPIO channel first")
    return HIGH if _pin(line).value else LOW


_table = _core.ChannelTable(_output, _input)
_out_fast = _table.outputs
_in_fast = _table.inputs

output: Callable[[Any, Any], None] = _table.output
"""output(channel, value): drives an output channel (or a list/tuple of them)
to ``value`` (0/1, LOW/HIGH, False/True; one value or one per channel)."""

input: Callable[[Any], int] = _table.input  # noqa: A001
"""input(channel): the level of a channel set up as an input or output: HIGH (1) or LOW (0)."""


def cleanup(channel: Any = None) -> None:
    """Returns the channels this program set up (all, or the ones given) to
    inputs without pull, removes their edge detection and stops their
    software PWM. Without an argument it also forgets the numbering mode."""
    global _mode
    if channel is None:
        chans: Optional[List[int]] = None
    else:
        chans = _channels(channel)
    found = False
    with _lock:
        if _module_setup:
            if chans is None:
                for line in list(_detects):
                    _remove_detect(line)
                _last_edge_ns.clear()
                for line in list(_pwms):
                    _pwms[line].stop()
                for line in list(_directions):
                    _reset_line(line)
                    found = True
                _mode = None
                _out_fast.clear()
                _in_fast.clear()
            else:
                lines = [_line(c) for c in chans]
                for line in lines:
                    _remove_detect(line)
                    _last_edge_ns.pop(line, None)
                    if line in _pwms:
                        _pwms[line].stop()
                    if line in _directions:
                        _reset_line(line)
                        found = True
    if not found and _warnings:
        warnings.warn(_MSG_NOTHING_TO_CLEAN, RuntimeWarning, stacklevel=2)


def gpio_function(channel: int, /) -> int:
    """What a channel is used for: IN, OUT, I2C, SPI, HARD_PWM, SERIAL or
    UNKNOWN (RPi.GPIO's table of the Pi's ALT functions; on other SoCs every
    alternate function is UNKNOWN)."""
    channel = _index(channel)
    line = _line(channel)
    chip = _mark_setup()
    try:
        f = chip.get_function(line)
    except NotSupportedError:
        return UNKNOWN
    if f == Function.IN:
        return IN
    if f == Function.OUT:
        return OUT
    if chip.info.family != "bcm2835":  # the ALT meanings below are the BCM283x's
        return UNKNOWN
    if f == Function.ALT0:
        if line in (0, 1, 2, 3, 28, 29):
            return I2C
        if 7 <= line <= 11:
            return SPI
        if line in (12, 13):
            return HARD_PWM
        if line in (14, 15):
            return SERIAL
    elif f == Function.ALT5 and line in (18, 19):
        return HARD_PWM
    elif f == Function.ALT4 and 16 <= line <= 21:
        return SPI
    return UNKNOWN


# --- edge events (on fastgpio's Pin.add_callback / Pin.wait_for_edge) ---------------
class _Detect:
    """Edge detection on one line added by add_event_detect()."""

    def __init__(self, channel: int, line: int, edge: int, bouncetime: Optional[int]) -> None:
        self.channel = channel
        self.line = line
        self.edge = edge
        self.bouncetime = bouncetime
        self.callbacks: List[Callable[[int], Any]] = []
        self.detected = False
        self.last_ns = 0
        self.count = 0
        self.cond = threading.Condition()

    def on_event(self, event: Any) -> None:
        # Runs on fastgpio's event thread. bouncetime as RPi.GPIO applies it:
        # an edge within bouncetime ms of the last accepted one is dropped;
        # times are the kernel's event timestamps.
        ts = event.timestamp_ns
        if not _bounce_ok(self.bouncetime, self.last_ns, ts):
            return
        self.last_ns = ts
        with self.cond:
            self.detected = True
            self.count += 1
            self.cond.notify_all()
        for cb in list(self.callbacks):
            try:
                cb(self.channel)
            except Exception:  # RPi.GPIO prints a callback's exception and goes on
                traceback.print_exc()


def _bounce_ok(bouncetime: Optional[int], last_ns: int, ts: int) -> bool:
    """RPi.GPIO's bouncetime (ms) as the shared bounce window."""
    return not within_bounce(None if bouncetime is None else bouncetime * 1_000_000, last_ns, ts)


def _remove_detect(line: int) -> None:
    d = _detects.pop(line, None)
    if d is None:
        return
    d.callbacks.clear()
    try:
        _pin(line).remove_callback(d.on_event)
    except (OSError, ValueError):
        pass  # the chip was closed, or the watch is already gone


def _event_args(channel: Any, edge: Any, bouncetime: Any) -> Tuple[int, int, Optional[int]]:
    channel = _index(channel)
    edge = _index(edge)
    bouncetime = None if bouncetime is None else _index(bouncetime)
    return channel, edge, bouncetime


def _check_edge(line: int, edge: int, bouncetime: Optional[int]) -> None:
    if _directions.get(line) != IN:
        raise RuntimeError(_MSG_NOT_INPUT)
    if edge not in _EDGE_NAMES:
        raise ValueError(_MSG_BAD_EDGE)
    if bouncetime is not None and bouncetime <= 0:
        raise ValueError(_MSG_BAD_BOUNCE)


def add_event_detect(gpio: int, edge: int, callback: Optional[Callable[[int], Any]] = None,
                     bouncetime: Optional[int] = None) -> None:
    """Starts detecting ``edge`` (RISING, FALLING, BOTH) on an input channel;
    ``callback(channel)`` runs on fastgpio's event thread for each edge;
    ``bouncetime`` (ms) drops edges that follow an accepted one too soon."""
    channel, edge, bouncetime = _event_args(gpio, edge, bouncetime)
    if callback is not None and not callable(callback):
        raise TypeError(_MSG_CALLABLE)
    with _lock:
        line = _line(channel)
        _check_edge(line, edge, bouncetime)
        if line in _detects:
            raise RuntimeError("Conflicting edge detection already enabled for this GPIO channel")
        d = _Detect(channel, line, edge, bouncetime)
        if callback is not None:
            d.callbacks.append(callback)
        try:
            _pin(line).add_callback(d.on_event, edge=_EDGE_NAMES[edge])
        except (OSError, AttributeError) as e:
            raise RuntimeError("Failed to add edge detection") from e
        _detects[line] = d


def add_event_callback(gpio: int, callback: Callable[[int], Any]) -> None:
    """Adds another ``callback(channel)`` to a channel's edge detection."""
    channel = _index(gpio)
    if not callable(callback):
        raise TypeError(_MSG_CALLABLE)
    with _lock:
        line = _line(channel)
        if _directions.get(line) != IN:
            raise RuntimeError(_MSG_NOT_INPUT)
        d = _detects.get(line)
        if d is None:
            raise RuntimeError("Add event detection using add_event_detect first before adding a callback")
        d.callbacks.append(callback)


def remove_event_detect(gpio: int, /) -> None:
    """Stops edge detection on a channel and drops its callbacks."""
    line = _line(_index(gpio))
    with _lock:
        _remove_detect(line)


def event_detected(channel: int, /) -> bool:
    """True once if an edge was detected on the channel since the last call."""
    line = _line(_index(channel))
    d = _detects.get(line)
    if d is None:
        return False
    with d.cond:
        hit, d.detected = d.detected, False
    return hit


def wait_for_edge(channel: int, edge: int, bouncetime: Optional[int] = None,
                  timeout: Optional[int] = None) -> Optional[int]:
    """Blocks until a new ``edge`` on an input channel (edges from before the
    call do not count) and returns the channel, or None after ``timeout`` ms."""
    channel, edge, bouncetime = _event_args(channel, edge, bouncetime)
    timeout = None if timeout is None else _index(timeout)
    line = _line(channel)
    _check_edge(line, edge, bouncetime)
    if timeout is not None and timeout <= 0:
        raise ValueError("Timeout must be greater than 0")
    deadline = None if timeout is None else time.monotonic() + timeout / 1000.0
    d = _detects.get(line)
    if d is not None:
        # RPi.GPIO 0.7.1's blocking_wait_for_edge: a callback, or a detection
        # of the same edge whose bouncetime is set and differs from this one
        # (None included), conflict. A detection of another edge conflicts
        # here too (RPi.GPIO would change that detection's edge instead).
        if (d.callbacks or d.edge != edge
                or (d.bouncetime is not None and d.bouncetime != bouncetime)):
            raise RuntimeError("Conflicting edge detection events already exist for this GPIO channel")
        # Detection without callbacks is on: wait for its next accepted edge.
        with d.cond:
            start = d.count
            while d.count == start:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return None
                d.cond.wait(left)
        return channel
    pin = _pin(line)
    name = _EDGE_NAMES[edge]
    try:
        pin.watch(name)
        pin.flush_events()  # a NEW edge, as RPi.GPIO waits for
    except (OSError, AttributeError) as e:
        raise RuntimeError("Error waiting for edge") from e
    try:
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            ev = pin.wait_for_edge(name, timeout=left)
            if ev is None:
                return None
            if _bounce_ok(bouncetime, _last_edge_ns.get(line, 0), ev.timestamp_ns):
                _last_edge_ns[line] = ev.timestamp_ns
                return channel
    finally:
        try:
            pin.unwatch()
        except (OSError, ValueError):
            pass


# --- software PWM --------------------------------------------------------------------
class PWM:
    """Software PWM on an output channel, on a Python thread: ``start(dc)``,
    ``ChangeDutyCycle(dc)`` (0.0-100.0), ``ChangeFrequency(hz)``, ``stop()``.
    Timing is that of a sleeping Python thread (jitter of tens of µs or more;
    for exact waveforms use :meth:`fastgpio.Chip.wave`).

    ``hardware=True`` (not in RPi.GPIO) runs it on the SoC's PWM block
    instead (:meth:`fastgpio.Chip.pwm`: a pin with a PWM output, the
    devmem backend as root or the kernel's /sys/class/pwm); the frequency
    and duty are then rounded to whole ticks of the PWM clock."""

    def __init__(self, channel: int, frequency: float, /, *, hardware: bool = False) -> None:
        self._line = -1
        channel = _index(channel)
        frequency = _float(frequency)
        with _lock:
            line = _line(channel)
            if line in _pwms:
                raise RuntimeError("A PWM object already exists for this GPIO channel")
            if _directions.get(line) != OUT:
                raise RuntimeError("You must setup() the GPIO channel as an output first")
            frequency = _frequency(frequency)
            if not isinstance(hardware, bool):
                raise TypeError(f"hardware must be a bool, not {type(hardware).__name__}")
            self._pwm: Any = PercentPWM(_open(), line, frequency) if hardware else SoftPWM(_pin(line), frequency)
            self._line = line
            _pwms[line] = self

    def start(self, dutycycle: float, /) -> None:
        """Starts the PWM thread at ``dutycycle`` percent (only the duty cycle changes if running)."""
        dc = _duty(dutycycle)
        with _lock:
            self._pwm.duty = dc
            _pwms.setdefault(self._line, self)
            self._pwm.start()

    def ChangeDutyCycle(self, dutycycle: float, /) -> None:  # noqa: N802 (RPi.GPIO's name)
        """New duty cycle in percent, from the next period on."""
        self._pwm.duty = _duty(dutycycle)

    def ChangeFrequency(self, frequency: float, /) -> None:  # noqa: N802
        """New frequency in Hz, from the next period on."""
        self._pwm.frequency = _frequency(frequency)

    def stop(self) -> None:
        """Stops the thread; returns once it has left the line low."""
        with _lock:
            if _pwms.get(self._line) is self:
                del _pwms[self._line]
        self._pwm.stop()

    def __del__(self) -> None:
        try:
            if self._line >= 0:
                self.stop()
        except Exception:
            pass


def _float(x: Any) -> float:
    if isinstance(x, (str, bytes)):
        raise TypeError(f"must be real number, not {type(x).__name__}")
    try:
        return float(x)
    except OverflowError:  # an int beyond float: refused by the range checks, as inf is
        return math.inf if x > 0 else -math.inf


def _frequency(x: Any) -> float:
    """A PWM frequency: a real number > 0, finite (RPi.GPIO 0.7.1 takes NaN
    and inf, whose thread then toggles as fast as it can), with its message."""
    f = _float(x)
    if not (f > 0.0 and math.isfinite(f)):
        raise ValueError(_MSG_FREQ)
    return f


def _duty(x: Any) -> float:
    dc = _float(x)
    if not 0.0 <= dc <= 100.0:  # NaN fails this too
        raise ValueError(_MSG_DUTY)
    return dc


# --- register-file mode and exit ------------------------------------------------------
def _shutdown() -> None:
    """Stops PWM threads and edge detection (at exit, before fastgpio unmaps)."""
    with _lock:
        for p in list(_pwms.values()):
            p.stop()
        for line in list(_detects):
            _remove_detect(line)


atexit.register(_shutdown)


def _use_chip(chip: Optional[Chip], *, dt_root: Optional[str] = None) -> None:
    """Resets the module (mode, warnings, set-up channels, events, PWM) and
    makes it drive ``chip``, e.g. a register-file ``Chip(soc, devmem=...,
    dt_root=...)``, instead of opening ``Chip()`` on first use; ``None`` goes
    back to that. ``RPI_INFO`` and ``RPI_REVISION`` are re-read from
    ``dt_root`` (default: this machine's). For tests and dry runs; nothing
    is written to the old or the new chip."""
    global _chip, _own_chip, _module_setup, _mode, _warnings, _header_lines, _bcm_limit
    global RPI_INFO, RPI_REVISION
    with _lock:
        _shutdown()
        if _own_chip and _chip is not None:
            _chip.close()
        _chip, _own_chip = chip, False
        _module_setup = False
        _mode = None
        _warnings = True
        _header_lines = None
        _bcm_limit = 0
        for table in (_directions, _pins, _out_fast, _in_fast, _detects, _last_edge_ns, _pwms):
            table.clear()
        if dt_root is None:
            RPI_INFO = _read_board_info()
        else:
            RPI_INFO = _read_board_info(os.fspath(dt_root), cpuinfo=None)
        RPI_REVISION = RPI_INFO["P1_REVISION"]
