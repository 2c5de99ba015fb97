# SPDX-License-Identifier: MIT
"""Public classes of fastgpio: thin Python over the ``_core`` extension types.

The hot calls (``Pin.on``, ``Pin.off``, ``Pin.value``, ``Chip.set``...) are
inherited unchanged from the C types; this module adds only what is not hot:
enums, info, context managers, reprs and name-friendly helpers.
"""

from __future__ import annotations

import asyncio
import atexit
import enum
import os
import threading
import time
import warnings
import weakref
from array import array
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, Iterator, List, NamedTuple, Optional, Tuple, Union

from . import _core
from ._args import index_arg as _index
from ._core import NotSupportedError
from ._events import (Dispatcher, Edge, EdgeArg, EdgeEvent, PinEvent, PinEventArg, busy, debounce_us, edge_of,
                      pin_event_of, timeout_ns)
from ._pwm import PWM

PinName = Union[int, str]
PathArg = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]


class Function(enum.IntEnum):
    """Pin function. ALT numbers are the SoC's own mux numbers: ALTn is mux
    value (BCM: datasheet ALTn; AM335x: pad mode; RP1: FUNCSEL) n. On the
    RK3288 ALTn is iomux value n (``RK_FUNC_n`` in device trees); value 0 is
    the GPIO itself (IN/OUT), so ALT0 raises NotSupportedError there."""

    # The values are the C library's (enum fgpio_func), as the extension exports them.
    IN = _core.FUNC_IN
    OUT = _core.FUNC_OUT
    ALT0 = _core.FUNC_ALT0
    ALT1 = _core.FUNC_ALT1
    ALT2 = _core.FUNC_ALT2
    ALT3 = _core.FUNC_ALT3
    ALT4 = _core.FUNC_ALT4
    ALT5 = _core.FUNC_ALT5
    ALT6 = _core.FUNC_ALT6
    ALT7 = _core.FUNC_ALT7
    ALT8 = _core.FUNC_ALT8
    NONE = _core.FUNC_NONE

    def __str__(self) -> str:
        return _core.FUNCTION_NAMES[self.value]


class Pull(enum.IntEnum):
    """Bias of a line. KEEPER (bus hold) is reported on RK3288, never set."""

    OFF = _core.PULL_OFF  # enum fgpio_pull's values
    UP = _core.PULL_UP
    DOWN = _core.PULL_DOWN
    KEEPER = _core.PULL_KEEPER

    def __str__(self) -> str:
        return _core.PULL_NAMES[self.value]


@dataclass(frozen=True)
class ChipInfo:
    """Facts about an opened chip. Those after ``num_banks`` come from the
    SoC's table (on the gpiod backend, when the chip is the SoC's own GPIO
    controller; otherwise ``soc`` is "unknown" and they are empty)."""

    soc: str
    board: str
    backend: str
    device: str
    reason: str
    base: int
    num_lines: int
    num_banks: int
    description: str = ""
    #: the register code: "bcm2835" (also BCM2836/7, BCM2711), "am335x", "rk3288", "rp1", "gpiod"
    family: str = ""
    #: label of the kernel's GPIO chip holding every line, offsets = line numbers
    gpiochip_label: Optional[str] = None
    #: each bank a kernel GPIO chip: its label, with {bank}, {first} and {last}
    bank_chip_label: Optional[str] = None
    #: the line ``fastgpio bench`` toggles when none is named
    bench_line: Optional[str] = None
    #: a Raspberry Pi SoC (BCM2835/6/7, BCM2711, RP1): the Pi boards' rules apply
    raspberry_pi: bool = False
    #: stores may be posted (RP1 behind PCIe): timed code reads back first
    posted_writes: bool = False


class HeaderPin(NamedTuple):
    """One pin of the board's header: its label and line (-1 power/ground, -2 n.c.)."""

    label: str
    line: int


@dataclass(frozen=True)
class WaveStats:
    """What one :meth:`Chip.wave` run did. Lateness is actual minus requested
    time (ns) of the edges that followed a non-zero delay; requested times are
    absolute (first edge + the sum of the delays before), so errors do not
    accumulate."""

    steps: int          #: steps executed (len(steps) * repeat, fewer when cancelled)
    elapsed_ns: int     #: first edge to the end of the last step's delay
    timed_edges: int    #: edges that followed a non-zero delay
    late_p50_ns: int    #: median lateness
    late_p99_ns: int    #: 99th percentile lateness
    late_max_ns: int    #: worst lateness
    cpu_pinned: bool    #: the run was pinned to the requested CPU
    fifo_applied: bool  #: the run had the requested SCHED_FIFO priority
    cpu: int            #: CPU the run ended on (-1 unknown)
    readback: bool      #: timed edges were read back before their timestamp (RP1)
    #: :meth:`Chip.stop_wave` or :meth:`Chip.close` ended the run early; the
    #: lines are as its last completed step (``steps``) left them
    cancelled: bool = False

    @property
    def steps_per_second(self) -> float:
        return self.steps * 1e9 / self.elapsed_ns if self.elapsed_ns else float("inf")


class BankSamples(NamedTuple):
    """Level samples of one bank (bit n = line first+n) and the time they took."""

    values: "array[int]"
    elapsed_ns: int


#: Most samples one :meth:`Chip.bank_sample` call takes (its array is 4 bytes
#: each: 256 MiB); fill your own buffer with :meth:`Chip.bank_sample_into` for more.
MAX_BANK_SAMPLES = 1 << 26


def pack_steps(steps: Iterable[Tuple[int, int, int]]) -> "array[int]":
    """Packs ``(set_mask, clear_mask, delay_ns)`` triples into the 12-byte
    records :meth:`Chip.wave` plays (an ``array('I')``). Each number is an
    int (or has ``__index__``, e.g. a numpy integer) in 0..0xffffffff;
    bools, floats and strings raise TypeError, other ints ValueError."""
    try:
        it = iter(steps)
    except TypeError:
        raise TypeError(f"wave steps must be a buffer or an iterable of (set_mask, clear_mask, "
                        f"delay_ns) triples, not {type(steps).__name__}") from None
    out = array("I")
    for step in it:
        try:
            n = len(step)
        except TypeError:
            raise TypeError(f"a wave step is a (set_mask, clear_mask, delay_ns) triple, not "
                            f"{type(step).__name__}") from None
        if n != 3:
            raise ValueError(f"a wave step is (set_mask, clear_mask, delay_ns), not {step!r}")
        words = [_index(x, what) for x, what in zip(step, ("set_mask", "clear_mask", "delay_ns"))]
        if not all(0 <= w <= 0xFFFFFFFF for w in words):
            raise ValueError(f"wave step {step!r}: masks and delay_ns must be within "
                             "0..0xffffffff")
        out.extend(words)
    return out


_open_chips: "weakref.WeakSet[Chip]" = weakref.WeakSet()


@atexit.register
def _close_open_chips() -> None:
    # Unmap at interpreter exit even if a Chip is still referenced somewhere.
    # A wave still playing in a (daemon) thread is cancelled and waited for:
    # it returns its stats there instead of running under an unmapped chip.
    for chip in list(_open_chips):
        chip.close()


def _after_fork_in_child() -> None:
    # Only the forking thread exists in the child: forget the parent's other
    # threads' waves, samples, waits, locks and callback thread, or the
    # child's close() (and so its interpreter exit) waits for them forever.
    for chip in list(_open_chips):
        chip._after_fork()


os.register_at_fork(after_in_child=_after_fork_in_child)


class Chip(_core.Chip):
    """An opened GPIO controller.

    ``Chip()`` detects the SoC from ``/proc/device-tree`` and maps its GPIO
    block through ``/dev/gpiomem`` (no root needed) or ``/dev/mem``.
    Register-file mode maps a regular file instead, through the same code:
    ``Chip(soc="bcm2711", devmem="regs.bin")`` (physical offsets) or
    ``Chip(soc="bcm2837", gpiomem="gpio.bin")`` (offset 0 = GPIO block).
    ``board`` names the board whose header names (``"BOARD11"``, ``"P9_12"``)
    to use instead of the device tree's: its name as ``info.board`` gives it
    or a device-tree compatible, in any case; without ``soc`` it names the
    SoC too (``Chip(board="BeagleBone Black", devmem="regs.bin")``).

    When neither memory device works (or the SoC has no table) and no
    register file is given, the lines are driven through the kernel's GPIO
    character device with libgpiod instead (``info.backend == "gpiod"``,
    ``info.reason`` says why); ``backend="gpiod"`` asks for it, and
    ``gpiochip="/dev/gpiochip0"`` names the chip (default: the one labelled
    as the SoC's GPIO controller, or the only one). On that backend line
    numbers are the chip's offsets, alternate functions raise
    :class:`NotSupportedError` and a line held by another program raises
    :class:`LineBusyError` (``OSError``, errno ``EBUSY``).

    Edge events (:meth:`Pin.wait_for_edge` and friends) come from the
    kernel's GPIO character device on every backend; on mmap backends writes
    stay on mmap.
    """

    __slots__ = ("__weakref__", "_watches", "_ev_lock", "_dispatcher")

    def __init__(
        self,
        soc: Optional[str] = None,
        *,
        dt_root: Optional[PathArg] = None,
        gpiomem: Optional[PathArg] = None,
        devmem: Optional[PathArg] = None,
        backend: str = "auto",
        enable_clocks: bool = True,
        gpiochip: Optional[PathArg] = None,
        board: Optional[str] = None,
    ) -> None:
        # The arguments were consumed by _core.Chip.__new__, which opened the chip.
        super().__init__()
        self._watches: Dict[int, Tuple[Edge, int, int]] = {}  # line -> (edge, debounce_us, fd)
        self._ev_lock = threading.RLock()
        self._dispatcher: Optional[Dispatcher] = None
        _open_chips.add(self)

    def close(self) -> None:
        """Stops the edge-callback thread, releases watched lines and unmaps. Idempotent.

        Safe from any thread: once it has begun, every new call on the chip
        or its pins raises :class:`ChipClosedError`; waves playing in other
        threads are cancelled (they return with ``WaveStats.cancelled``),
        threads waiting for edges are woken (``ChipClosedError``), and the
        registers are unmapped only after every such call has ended."""
        d = getattr(self, "_dispatcher", None)
        if d is not None:
            self._dispatcher = None
            d.stop()
        super().close()
        if hasattr(self, "_watches"):
            self._watches.clear()

    def _after_fork(self) -> None:
        self._forked()
        if hasattr(self, "_ev_lock"):
            self._ev_lock = threading.RLock()  # may have been held by a thread of the parent
        d = getattr(self, "_dispatcher", None)
        if d is not None:
            # Its thread stayed in the parent: the child's callbacks stop here
            # (the lines stay watched until unwatch() or close()).
            self._dispatcher = None
            for fd in (d.rd, d.wr):
                try:
                    os.close(fd)
                except OSError:
                    pass

    def stop_wave(self) -> bool:
        """Ends the waves playing on this chip in other threads within about
        10 ms: each stops between two steps, so the lines stay as its last
        completed step left them, and its :meth:`wave` call returns
        :class:`WaveStats` with ``cancelled`` set and ``steps`` = the steps
        that ran. Returns True when a wave was playing (False: none was; a
        wave started later plays normally)."""
        return self._stop_wave()

    # -- edge events: bookkeeping for Pin (one watch per line) --

    def _watch_line(self, line: int, edge: EdgeArg, debounce: float) -> int:
        e, us = edge_of(edge), debounce_us(debounce)
        with self._ev_lock:
            cur = self._watches.get(line)
            if cur is not None and cur[:2] == (e, us):
                return cur[2]
            d = self._dispatcher
            if cur is not None and d is not None and d.has(line):
                raise busy(line, f"has callbacks for {cur[0]} edges (debounce {cur[1]} us): "
                                 "remove them first, or use the same edge and debounce")
            try:
                fd = self._watch(line, int(e), us)
            except BaseException:
                # The C side drops the line on a failed (re)request, except
                # when a reader blocked in another thread keeps the old watch.
                if not self._watching(line):
                    self._watches.pop(line, None)
                raise
            self._watches[line] = (e, us, fd)
            return fd

    def _unwatch_now(self, line: int) -> None:
        with self._ev_lock:
            if self._watches.get(line) is not None:
                self._unwatch(line)
                del self._watches[line]

    def _callbacks(self) -> Dispatcher:
        with self._ev_lock:
            if self._dispatcher is None:
                if self.closed:
                    raise _core.ChipClosedError("operation on a closed Chip")
                self._dispatcher = Dispatcher(self)
            return self._dispatcher

    @property
    def info(self) -> ChipInfo:
        return ChipInfo(**self._info())

    def owner(self, line: PinName) -> Optional[str]:
        """Who holds ``line`` according to the kernel: the consumer's name
        (``""`` when it has none) or None when free (or held by this chip).
        Raises :class:`NotSupportedError` where the kernel cannot be asked
        (register files, SoCs whose lines span several GPIO chips, no
        libgpiod loaded)."""
        return self._line_owner(line)

    def pin(self, line: PinName, function: Union[Function, str, None] = None, *,
            pull: Union[Pull, str, None] = None, value: Optional[int] = None,
            force: bool = False) -> "Pin":
        """A :class:`Pin` for ``line`` (a number or a name such as ``"GPIO17"``,
        ``"BOARD11"``, ``"P9_12"``). Optionally sets its pull, then its output
        value (a bool or 0/1), then its function, in that order, so an output
        starts at the requested level without a glitch. Every argument is
        checked first, including whether this SoC has ``function`` on this
        line, so a refusal writes nothing.

        On mmap backends a line the kernel reports as held by another
        consumer (a driver such as an LED or SPI chip select, a device-tree
        hog, another program) raises :class:`LineBusyError` naming it, unless
        ``force=True``; where the kernel cannot be asked (see :meth:`owner`;
        also without permission for the character device) nothing is checked.
        Any other failure to ask the kernel raises that OSError, writing
        nothing, unless ``force=True``."""
        p = Pin(self, line)
        if not force and self._info()["backend"] != "gpiod":
            try:
                holder = self._line_owner(p.line)
            except (NotSupportedError, PermissionError):
                holder = None  # the kernel cannot be asked here: the pin works without it
            except OSError as e:  # it could be asked and failed: say so, write nothing
                raise OSError(e.errno, f"line {p.line}: cannot ask the kernel whether another "
                                       f"consumer holds it ({e.strerror or e}); pass force=True "
                                       "(fastgpio CLI: --force) to write without that check") from e
            if holder is not None:
                raise busy(p.line, f"is held by {holder or 'the kernel'!r} according to the "
                                   "kernel: writing its registers would fight that owner; pass "
                                   "force=True (fastgpio CLI: --force) to drive it anyway")
        # Check every argument before the first write: a bad function (also
        # one this SoC lacks on this line) must not leave the requested
        # value or pull already applied. A pull the SoC refuses is refused
        # by set_pull itself, which comes first.
        self._setup_line(p.line, function, pull, value)
        return p

    def pwm(self, line: PinName, frequency: Optional[float] = None, duty: Optional[float] = None, *,
            period_ns: Optional[int] = None, duty_ns: Optional[int] = None,
            polarity: Union[str, int] = "normal", force: bool = False,
            backend: str = "auto") -> PWM:
        """Hardware PWM on ``line``: ``frequency`` in Hz (or ``period_ns``) and
        ``duty`` as a fraction 0..1 (or ``duty_ns``), started at once when
        given; without them the :class:`PWM` shows the channel as it is. The
        period and duty are rounded to whole ticks of the PWM clock: read the
        achieved values back (``period_ns``, ``frequency``, ``duty``).

        ``backend``: ``"registers"`` (fastgpio programs the PWM block: the
        devmem backend, as root), ``"sysfs"`` (the kernel's driver through
        /sys/class/pwm), ``"auto"`` (registers, unless the device tree gives
        the block to the kernel or this chip cannot map it: then sysfs when
        the kernel exposes the channel). A block the device tree gives to the
        kernel raises :class:`LineBusyError` on the registers route unless
        ``force=True``. Bad values raise ValueError/TypeError, a line without
        PWM or an unsupported SoC :class:`NotSupportedError`; none writes a
        register."""
        return PWM(self, self.line(line), frequency, duty, period_ns=period_ns, duty_ns=duty_ns,
                   polarity=polarity, force=force, backend=backend)

    def _setup_line(self, line: int, function: Union[Function, str, int, None],
                    pull: Union[Pull, str, int, None], value: object,
                    pull_tolerated: Optional[Callable[[str], bool]] = None) -> None:
        """The one glitch-free sequence for a line (Chip.pin, RPi.GPIO's setup,
        the gpiozero factory): every argument checked first (the extension's
        conversions, the SoC's function check), then pull, output level,
        function, so an output starts at its level. None leaves a setting
        alone. ``pull_tolerated(pull)`` may excuse a NotSupportedError of
        the pull (the compat layers' rule for "off")."""
        if function is not None:
            self._check_function(line, function)
        if pull is not None:
            _core._pull(pull)
        level = None if value is None else _core._level(value, "value")
        if pull is not None:
            try:
                self.set_pull(line, pull)
            except NotSupportedError:
                if pull_tolerated is None or not pull_tolerated(str(pull)):
                    raise
        if level is not None:
            self.write(line, level)
        if function is not None:
            self.set_function(line, function)

    def set_function(self, line: PinName, function: Union[Function, str, int]) -> None:
        """Selects the function of ``line``. Selecting ``in`` on a pad whose
        input receiver is off (AM335x: RXACTIVE clear in the pad's
        configuration) warns (RuntimeWarning): such an input reads a level
        that is not the pin's."""
        super().set_function(line, function)
        self._warn_if_receiver_off(line, stacklevel=3)

    def _input_receiver_off(self, line: PinName) -> bool:
        """True when ``line`` is an input whose pad has its input receiver
        off (AM335x RXACTIVE clear), so its ``value`` is not the pin's level;
        False otherwise, and wherever the SoC table cannot tell."""
        try:
            on = self._get_input_enable(line)
        except NotSupportedError:
            return False
        return not on and self._get_function(line) == Function.IN

    def _warn_if_receiver_off(self, line: PinName, stacklevel: int) -> None:
        if self._input_receiver_off(line):
            warnings.warn(
                f"line {self.line(line)} is an input whose pad has its input receiver off "
                "(AM335x: RXACTIVE clear in the pad configuration): its value is not the "
                "pin's level until the receiver is enabled (config-pin <pin> gpio, or a "
                "device-tree overlay with INPUT_EN)", RuntimeWarning, stacklevel=stacklevel)

    def get_function(self, line: PinName) -> Function:
        return Function(self._get_function(line))

    def get_pull(self, line: PinName) -> Pull:
        """Pull of ``line``; raises :class:`NotSupportedError` where the SoC
        cannot read it back (BCM2835/6/7)."""
        return Pull(self._get_pull(line))

    def header(self) -> List[HeaderPin]:
        """The board's header pins, in order."""
        return [HeaderPin(label, line) for label, line in self._header()]

    def wave(self, bank: int, steps: Any, repeat: int = 1, *, cpu: Optional[int] = None,
             fifo_priority: Optional[int] = None, spin_ns: Optional[int] = None,
             catch_up: bool = True) -> WaveStats:
        """Plays a waveform on ``bank`` from one call, at C speed, with the GIL
        released (other Python threads run meanwhile).

        ``steps`` is a buffer of packed ``(set_mask, clear_mask, delay_ns)``
        uint32 records, 12 bytes each: ``bytes`` (or a 1-D byte buffer) of
        12*k bytes, a 1-D uint32 buffer of 3*k items (``array('I')``, numpy
        ``uint32``), a C-contiguous numpy ``uint32`` array of shape
        ``(n, 3)``, or any iterable of triples (see :func:`pack_steps`).
        Other buffers raise TypeError (element type) or ValueError (shape,
        non-contiguous) before the first store.
        Bit n of a mask is line ``first + n`` of the bank (see
        :meth:`bank_lines`). Each step drives its set lines high and its clear
        lines low, then waits ``delay_ns`` (ns) before the next; the whole
        sequence plays ``repeat`` times. Waits shorter than ``spin_ns``
        (default 50 µs) busy-wait on the monotonic clock; longer ones sleep,
        then busy-wait the last ``spin_ns``. ``cpu`` pins the run to a CPU and
        ``fifo_priority`` (1-99) runs it under SCHED_FIFO when the process may;
        otherwise the run goes on without and :class:`WaveStats` says so.
        Deadlines are absolute (first edge + the delays before), so timing
        errors do not add up; after a stall (e.g. a preemption) the overdue
        edges follow back to back. ``catch_up=False`` instead lets a late edge
        re-anchor the schedule: the phase slips, no burst.
        Every step is checked before the first store: a mask naming a line the
        bank lacks, or a line in both masks, raises ValueError and writes
        nothing.

        A running wave ends early, between two steps (the lines stay as the
        last completed step left them), on :meth:`stop_wave` or
        :meth:`close` from another thread (the result then has
        ``cancelled`` set) and on a signal whose handler raises, such as
        Ctrl-C's KeyboardInterrupt (a wave longer than ~20 ms plays on a
        helper thread while the calling thread handles signals)."""
        try:
            memoryview(steps).release()
        except TypeError:  # not a buffer: an iterable of triples (or a wrong type)
            steps = pack_steps(steps)
        r = self._wave(bank, steps, repeat, cpu, fifo_priority, spin_ns, catch_up)
        return WaveStats(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), bool(r[7]), r[8], bool(r[9]),
                         bool(r[10]))

    def bank_sample(self, bank: int, n: int) -> BankSamples:
        """Reads the levels of ``bank`` ``n`` times back to back (logic-analyser
        style, GIL released): an ``array('I')`` of samples (bit n = line
        first+n) and the nanoseconds the reads took. ``n`` is an int (or a
        numpy integer) from 0 to ``MAX_BANK_SAMPLES`` (2**26); TypeError for
        another type (bool included), ValueError beyond that range."""
        try:
            count = _index(n, "sample count n")
        except TypeError:
            raise TypeError(f"bank_sample(): the sample count n must be an int, not "
                            f"{type(n).__name__}") from None
        if not 0 <= count <= MAX_BANK_SAMPLES:
            raise ValueError(f"bank_sample(): sample count {count} is outside 0..{MAX_BANK_SAMPLES} "
                             "(use bank_sample_into() with your own buffer for more)")
        values = array("I", [0]) * count
        return BankSamples(values, self._bank_sample_into(bank, values))

    def bank_sample_into(self, bank: int, buffer: Any) -> int:
        """Fills a writable uint32 buffer (``array('I')``, numpy ``uint32``,
        ``bytearray``) with level samples of ``bank``; returns the
        nanoseconds the reads took."""
        return self._bank_sample_into(bank, buffer)

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

    # -- edge events --

    @property
    def watching(self) -> bool:
        """True while the line's edges are queued (see :meth:`watch`)."""
        return self.line in self._chip()._watches

    def _chip(self) -> Chip:
        chip = self.chip
        if chip is None or chip.closed:
            raise _core.ChipClosedError("operation on a pin of a closed Chip")
        return chip

    def watch(self, edge: EdgeArg = "both", debounce: float = 0.0) -> None:
        """Starts queuing ``edge`` events: the kernel takes the line as an
        input with edge detection (writes keep going to mmap on mmap
        backends). Calling it again with other settings reconfigures.
        ``debounce`` (seconds): an edge is reported once the line has kept its
        new level that long (by the kernel with libgpiod 2.x, timestamped at
        the end of the period; in software with libgpiod 1.x, timestamped at
        the last edge)."""
        self._chip()._watch_line(self.line, edge, debounce)

    def unwatch(self) -> None:
        """Stops watching (removing any callbacks); queued events are dropped."""
        chip = self._chip()
        d = chip._dispatcher
        if d is not None and d.has(self.line):
            d.remove(self.line, None)  # its thread unwatches the line
        else:
            chip._unwatch_now(self.line)

    def _own_events(self, edge: Optional[EdgeArg], debounce: Optional[float]) -> Chip:
        """Watches the line for a caller that reads its events itself. None
        keeps the current setting (or takes both edges / no debounce when
        the line is not watched yet), so a wait never re-requests by accident."""
        chip = self._chip()
        d = chip._dispatcher
        if d is not None and d.has(self.line):
            raise busy(self.line, "has callbacks: its events go to them (remove_callback first)")
        cur = chip._watches.get(self.line)
        if edge is None:
            edge = cur[0] if cur is not None else Edge.BOTH
        if debounce is None:
            debounce = cur[1] / 1e6 if cur is not None else 0.0
        chip._watch_line(self.line, edge, debounce)
        return chip

    def wait_for_edge(self, edge: Optional[EdgeArg] = None, timeout: Optional[float] = None,
                      debounce: Optional[float] = None) -> Optional[EdgeEvent]:
        """The oldest queued edge, waiting up to ``timeout`` seconds (None:
        forever) with the GIL released; None on timeout. Starts watching on
        first use and keeps watching, so no edge is lost between calls (call
        :meth:`flush_events` first to wait only for a new one). ``edge`` and
        ``debounce`` default to the line's current watch (both edges, no
        debounce when not watched); other values re-request the line, which
        may drop queued events (libgpiod 1.x re-requests the line)."""
        tns = timeout_ns(timeout)
        t = self._own_events(edge, debounce)._event_read(self.line, tns)
        return None if t is None else EdgeEvent._of(t)

    def flush_events(self) -> int:
        """Drops the queued events; returns how many there were."""
        chip = self._chip()
        n = 0
        if self.line in chip._watches:
            while chip._event_read(self.line, 0) is not None:
                n += 1
        return n

    def edges(self, edge: Optional[EdgeArg] = None, timeout: Optional[float] = None,
              debounce: Optional[float] = None) -> Iterator[EdgeEvent]:
        """Iterates over edges as they come; ends after ``timeout`` seconds
        without one (None: never). ``edge``/``debounce`` as for
        :meth:`wait_for_edge`."""
        tns = timeout_ns(timeout)
        chip = self._own_events(edge, debounce)
        line = self.line

        def gen() -> Iterator[EdgeEvent]:
            while True:
                t = chip._event_read(line, tns)
                if t is None:
                    return
                yield EdgeEvent._of(t)
        return gen()

    def wait_pulse(self, level: int = 1, timeout: Optional[float] = None,
                   debounce: Optional[float] = None) -> Optional[float]:
        """Width in seconds of the next pulse at ``level`` (like Arduino's
        pulseIn), from the kernel's timestamps of its two edges: drops queued
        events, waits for the edge into ``level``, then the edge out. None
        when ``timeout`` seconds pass first. Needs both edges: a line watched
        for one is re-requested for both (``debounce`` None keeps its own)."""
        want = _Want(PinEvent.PULSE_HIGH if _core._level(level, "level") else PinEvent.PULSE_LOW)
        tns = timeout_ns(timeout)
        chip = self._own_events("both", debounce)
        self.flush_events()
        return self._read_until(chip, want, tns)

    # -- waits for one pin event (level, edge, pulse), threads and asyncio --

    def _wait_begin(self, debounce: Optional[float]) -> Tuple[Chip, Optional[Tuple[Any, ...]]]:
        """Watches both edges for one wait; returns the chip and the line's
        watch before it (None: not watched), for :meth:`_wait_end`."""
        chip = self._chip()
        prev = chip._watches.get(self.line)
        chip = self._own_events("both", debounce)
        self.flush_events()
        return chip, prev

    def _wait_end(self, chip: Chip, prev: Optional[Tuple[Any, ...]]) -> None:
        """Leaves the watch as the wait found it: unwatched again, or back to
        its own edges and debounce. A line another thread is waiting on, or
        that got callbacks meanwhile, stays as it is."""
        if chip.closed:
            return
        cur = chip._watches.get(self.line)
        d = chip._dispatcher
        if cur is None or (d is not None and d.has(self.line)):
            return
        try:
            if prev is None:
                chip._unwatch_now(self.line)
            elif (cur[0], cur[1]) != (prev[0], prev[1]):
                chip._watch_line(self.line, prev[0], prev[1] / 1e6)
        except OSError:
            pass  # a reader in another thread holds the line: it stays watched for it

    def wait(self, event: PinEventArg, timeout: Optional[float] = None,
             debounce: Optional[float] = None) -> Union[bool, EdgeEvent, float, None]:
        """Waits for one pin event, with the GIL released (Ctrl-C ends the
        wait with KeyboardInterrupt at once):

        - ``"low"`` / ``"high"``: True as soon as the line is at that level:
          at once if it is already (the line is watched before its level is
          read, so an edge into the level cannot fall between the two);
        - ``"falling"`` / ``"rising"``: the :class:`EdgeEvent` of the next such
          edge (an edge queued before the call does not count);
        - ``"pulse-low"`` / ``"pulse-high"``: the width in seconds of the next
          whole pulse at that level, from the kernel's timestamps of its two
          edges (as :meth:`wait_pulse`).

        ``event`` may also be a :class:`PinEvent` or Edge.RISING / Edge.FALLING.
        None when ``timeout`` seconds (None: forever) pass first. The line is
        watched for both edges during the wait and left as it was found
        afterwards (unwatched, or watched with its own settings). ``debounce``
        as for :meth:`watch` (None: the line's own, or none)."""
        want = _Want(pin_event_of(event))
        tns = timeout_ns(timeout)
        chip, prev = self._wait_begin(debounce)
        try:
            if want.held(self):
                return True
            return self._read_until(chip, want, tns)
        finally:
            self._wait_end(chip, prev)

    def _read_until(self, chip: Chip, want: "_Want", tns: int) -> Any:
        """Feeds the line's events to ``want`` until it has its result; None
        once ``tns`` ns (< 0: never) have passed."""
        deadline = None if tns < 0 else time.monotonic_ns() + tns
        while True:
            left = -1 if deadline is None else max(0, deadline - time.monotonic_ns())
            t = chip._event_read(self.line, left)
            if t is None:
                return None
            r = want.feed(t)
            if r is not _MORE:
                return r

    async def wait_async(self, event: PinEventArg, timeout: Optional[float] = None,
                         debounce: Optional[float] = None) -> Union[bool, EdgeEvent, float, None]:
        """:meth:`wait` on the asyncio event loop: the loop watches the
        request's file descriptor, no thread is involved. Cancelling the task
        stops the watch it started and leaves the line as it was."""
        want = _Want(pin_event_of(event))
        limit = None if timeout is None else timeout_ns(timeout)
        loop = asyncio.get_running_loop()
        chip, prev = self._wait_begin(debounce)
        line = self.line
        fut = loop.create_future()
        fd = -1
        timer = None
        try:
            if want.held(self):
                return True
            fd = chip._watches[line][2]

            def ready() -> None:
                try:
                    while not fut.done():
                        t = chip._event_read(line, 0)
                        if t is None:
                            return
                        r = want.feed(t)
                        if r is not _MORE:
                            fut.set_result(r)
                except BaseException as exc:  # delivered to the awaiting task
                    if not fut.done():
                        fut.set_exception(exc)

            loop.add_reader(fd, ready)
            if limit is not None and limit >= 0:
                timer = loop.call_later(limit / 1e9, lambda: fut.done() or fut.set_result(None))
            return await fut
        finally:
            if timer is not None:
                timer.cancel()
            if fd >= 0:
                loop.remove_reader(fd)
            self._wait_end(chip, prev)

    @property
    def state(self) -> Optional[int]:
        """The line's three states: None (an input), 0 or 1 (an output driven
        low or high). Setting None makes the line an input; 0/1 (or a bool)
        make it an output at that level without a glitch: the level first,
        then the direction. Reading a line in another function (ALTn) raises
        ValueError."""
        f = self.function
        if f == Function.IN:
            return None
        if f == Function.OUT:
            return self.value
        raise ValueError(f"line {self.line} is in function {f}, neither an input nor an "
                         "output: it has no state")

    @state.setter
    def state(self, s: Optional[int]) -> None:
        if s is None:
            self._chip().set_function(self.line, Function.IN)
        else:
            self._chip()._setup_line(self.line, Function.OUT, None, s)

    def add_callback(self, func: Callable[[EdgeEvent], Any], edge: EdgeArg = "both",
                     debounce: float = 0.0) -> None:
        """Calls ``func(event)`` for each edge, on the chip's background
        thread (one per chip; callbacks run one at a time, in order; an
        exception is printed and the thread goes on). Several callbacks of a
        line share its edge and debounce settings."""
        if not callable(func):
            raise TypeError(f"callback must be callable, not {type(func).__name__}")
        chip = self._chip()
        chip._watch_line(self.line, edge, debounce)  # first: a refusal leaves no thread behind
        chip._callbacks().add(self.line, func)

    def remove_callback(self, func: Optional[Callable[[EdgeEvent], Any]] = None) -> None:
        """Removes ``func`` (None: every callback of the line); the line stops
        being watched when it has none left."""
        chip = self._chip()
        d = chip._dispatcher
        if d is None or not d.has(self.line):
            if func is None:
                return
            raise ValueError(f"{func!r} is not a callback of line {self.line}")
        d.remove(self.line, func)

    async def edge(self, edge: Optional[EdgeArg] = None,
                   debounce: Optional[float] = None) -> EdgeEvent:
        """Awaits the next queued edge (asyncio): the event loop watches the
        request's file descriptor, no thread is involved. ``edge``/``debounce``
        as for :meth:`wait_for_edge`."""
        chip = self._own_events(edge, debounce)
        line = self.line
        t = chip._event_read(line, 0)
        if t is not None:
            return EdgeEvent._of(t)
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        fd = chip._watches[line][2]

        def ready() -> None:
            if fut.done():
                return
            try:
                r = chip._event_read(line, 0)
            except BaseException as exc:  # delivered to the awaiting task
                fut.set_exception(exc)
                return
            if r is not None:
                fut.set_result(r)

        loop.add_reader(fd, ready)
        try:
            return EdgeEvent._of(await fut)
        finally:
            loop.remove_reader(fd)

    def __repr__(self) -> str:
        chip = self.chip
        if chip is None or chip.closed:
            return f"<fastgpio.Pin line={self.line} (chip closed)>"
        return f"<fastgpio.Pin line={self.line} value={self.value}>"


_MORE = object()  # _Want.feed: not yet


class _Want:
    """One wait of :meth:`Pin.wait`: turns the line's edge events, in order,
    into its result."""

    __slots__ = ("event", "into", "start")

    def __init__(self, event: PinEvent) -> None:
        self.event = event
        self.into = Edge.RISING if event.level else Edge.FALLING  # the edge into its level
        self.start: Optional[int] = None

    def held(self, pin: "Pin") -> bool:
        """A level wait whose level the line is at already (only a level
        wait reads the line)."""
        return self.event in (PinEvent.LOW, PinEvent.HIGH) and pin.value == self.event.level

    def feed(self, t: Tuple[int, int, int, int]) -> Any:
        edge, ts = t[0], t[1]
        if self.event in (PinEvent.LOW, PinEvent.HIGH):
            return True if edge == self.into else _MORE
        if self.event in (PinEvent.FALLING, PinEvent.RISING):
            return EdgeEvent._of(t) if edge == self.into else _MORE
        if self.start is None:          # a pulse: its first edge, then the edge out
            if edge == self.into:
                self.start = ts
            return _MORE
        return (ts - self.start) / 1e9 if edge != self.into else _MORE


# The subclasses get their own descriptors of the inherited C methods, so
# CPython's specialised call of a C method (which wants type(self) to be
# exactly the descriptor's class) applies to pin.on(), chip.set(17), ...
_core._own_methods(Chip)
_core._own_methods(Pin)


def soc_names() -> tuple:
    """Names of the SoC tables this build supports."""
    return _core.soc_names()


def libgpiod_version() -> Optional[str]:
    """The libgpiod this process loaded for the gpiod backend and edge events,
    as "libgpiod 2.1.3", or None when none could be (or FASTGPIO_LIBGPIOD=none).
    It is chosen once, at first use: libgpiod.so.3 (2.x), else libgpiod.so.2
    (1.x); FASTGPIO_LIBGPIOD=2 or 1 forces one."""
    return _core.libgpiod_version()
