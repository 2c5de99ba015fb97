# SPDX-License-Identifier: MIT
"""Edge events: the pure-Python half (enums, the event record, argument
checks and the per-chip callback thread). Waiting happens in ``_core``, with
the GIL released, on the kernel's GPIO character device."""

from __future__ import annotations

import enum
import errno
import math
import operator
import os
import select
import threading
import traceback
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Tuple, Union

from . import _core
from ._args import is_index
from ._core import ChipClosedError, LineBusyError


class Edge(enum.IntEnum):
    """Which edges to report (``"rising"``, ``"falling"``, ``"both"`` work too)."""

    RISING = _core.EDGE_RISING  # enum fgpio_edge's values
    FALLING = _core.EDGE_FALLING
    BOTH = _core.EDGE_BOTH

    def __str__(self) -> str:
        return self.name.lower()


EdgeArg = Union[Edge, int, str]


@dataclass(frozen=True)
class EdgeEvent:
    """One edge, as the kernel timestamped it."""

    edge: Edge          #: Edge.RISING or Edge.FALLING
    timestamp_ns: int   #: kernel timestamp, CLOCK_MONOTONIC (time.monotonic_ns's clock)
    line: int           #: line number of the chip
    seqno: int          #: events delivered on this line since it was watched, from 1

    @property
    def timestamp(self) -> float:
        """The timestamp in seconds (``time.monotonic()``'s clock)."""
        return self.timestamp_ns / 1e9

    @classmethod
    def _of(cls, t: Tuple[int, int, int, int]) -> "EdgeEvent":
        return cls(Edge(t[0]), t[1], t[2], t[3])


class PinEvent(enum.IntEnum):
    """What :meth:`Pin.wait` waits for: a level (``"low"``, ``"high"``), an
    edge (``"falling"``, ``"rising"``) or a whole pulse (``"pulse-low"``,
    ``"pulse-high"``: the line goes to that level and back)."""

    LOW = 1
    HIGH = 2
    FALLING = 3
    RISING = 4
    PULSE_LOW = 5
    PULSE_HIGH = 6

    def __str__(self) -> str:
        return self.name.lower().replace("_", "-")

    @property
    def level(self) -> int:
        """The level the event is about: the one waited for (LOW/HIGH), the
        one an edge goes into (FALLING/RISING), the one a pulse is at."""
        return 1 if self in (PinEvent.HIGH, PinEvent.RISING, PinEvent.PULSE_HIGH) else 0


PinEventArg = Union[PinEvent, Edge, int, str]


def pin_event_of(event: object) -> PinEvent:
    """A PinEvent from a PinEvent, its name (any case, ``-`` or ``_``), its
    number, or Edge.RISING / Edge.FALLING."""
    if isinstance(event, PinEvent):
        return event
    if isinstance(event, Edge):
        if event is Edge.BOTH:
            raise ValueError("Edge.BOTH is not one event: wait for 'rising' or 'falling' "
                             "(wait_for_edge() takes either)")
        return PinEvent.RISING if event is Edge.RISING else PinEvent.FALLING
    if isinstance(event, str):
        key = event.strip().upper().replace("-", "_")
        try:
            return PinEvent[key]
        except KeyError:
            raise ValueError(f"unknown pin event {event!r}: one of "
                             f"{', '.join(repr(str(e)) for e in PinEvent)}") from None
    if not is_index(event):
        raise TypeError(f"pin event must be a PinEvent, a name such as 'rising' or a number, "
                        f"not {type(event).__name__}")
    n = operator.index(event)  # type: ignore[call-overload]  # an int, or a numpy integer
    try:
        return PinEvent(n)
    except ValueError:
        raise ValueError(f"unknown pin event number {n}: 1 to 6 (PinEvent)") from None


def edge_of(edge: EdgeArg) -> Edge:
    """An Edge from a name (any case), a number or an Edge: the extension's conversion."""
    return Edge(_core._edge(edge))


def _seconds(x: object, what: str) -> float:
    if not (isinstance(x, float) or is_index(x)):
        raise TypeError(f"{what} must be a number of seconds, not {type(x).__name__}")
    if not isinstance(x, float):
        x = operator.index(x)  # type: ignore[arg-type]  # an int, or a numpy integer
    if math.isnan(x) or x < 0:
        raise ValueError(f"{what} must be >= 0 seconds, not {x!r}")
    return float(x)


def debounce_us(debounce: object) -> int:
    """Debounce seconds -> whole microseconds (what the kernel takes)."""
    d = _seconds(debounce, "debounce")
    if d > 4294.0:
        raise ValueError(f"debounce {debounce!r} s is longer than the kernel's limit (4294 s)")
    return int(round(d * 1e6))


def timeout_ns(timeout: object) -> int:
    """Timeout seconds (None: forever) -> ns, -1 for forever."""
    if timeout is None:
        return -1
    t = _seconds(timeout, "timeout")
    if math.isinf(t):
        return -1
    return int(min(t, 2**62 / 1e9) * 1e9)  # a huge finite timeout is 146 years, not OverflowError


Callback = Callable[[EdgeEvent], object]


class Dispatcher:
    """The background thread of one chip that runs edge callbacks.

    It alone polls the event fds of lines with callbacks (plus a wake pipe),
    reads their events without blocking and calls the callbacks in order;
    lines are unwatched by it too, so no fd is closed under its poll.
    """

    def __init__(self, chip) -> None:
        self.chip = chip
        self.lock = threading.Lock()
        self.callbacks: Dict[int, List[Callback]] = {}
        self.to_unwatch: List[int] = []
        self.changed = threading.Condition(self.lock)
        self.generation = 0     # bumped by the thread each time it took the changes
        self.stopping = False
        self.rd, self.wr = os.pipe2(os.O_CLOEXEC | os.O_NONBLOCK)
        self.thread = threading.Thread(target=self._run, name="fastgpio-edges", daemon=True)
        self.thread.start()

    def _poke(self) -> None:
        try:
            os.write(self.wr, b"x")
        except BlockingIOError:
            pass  # already awake

    def _sync(self) -> None:
        """Waits until the thread has taken the current changes (not from itself)."""
        if threading.current_thread() is self.thread:
            return
        with self.lock:
            gen = self.generation
            self._poke()
            while self.generation == gen and self.thread.is_alive():
                self.changed.wait(0.05)

    def add(self, line: int, func: Callback) -> None:
        with self.lock:
            self.callbacks.setdefault(line, []).append(func)
            if line in self.to_unwatch:
                self.to_unwatch.remove(line)
        self._sync()

    def remove(self, line: int, func: Optional[Callback]) -> bool:
        """Removes ``func`` (None: all) of ``line``; True when the line has none left
        (the thread then unwatches it)."""
        with self.lock:
            funcs = self.callbacks.get(line, [])
            if func is None:
                funcs.clear()
            else:
                try:
                    funcs.remove(func)
                except ValueError:
                    raise ValueError(f"{func!r} is not a callback of line {line}") from None
            left = bool(funcs)
            if not left:
                self.callbacks.pop(line, None)
                self.to_unwatch.append(line)
        self._sync()
        return not left

    def has(self, line: int) -> bool:
        with self.lock:
            return line in self.callbacks

    def stop(self) -> None:
        with self.lock:
            self.stopping = True
        self._poke()
        if threading.current_thread() is not self.thread:
            self.thread.join()
        os.close(self.rd)
        os.close(self.wr)

    def _run(self) -> None:
        chip = self.chip
        while True:
            with self.lock:
                if self.stopping:
                    return
                pending, self.to_unwatch = self.to_unwatch, []
                lines = list(self.callbacks)
            for line in pending:
                if not self.has(line):  # not re-added meanwhile
                    try:
                        chip._unwatch_now(line)
                    except (OSError, ValueError):
                        pass
            fds = {}
            for line in lines:
                w = chip._watches.get(line)
                if w is not None:
                    fds[w[2]] = line
            with self.lock:
                self.generation += 1
                self.changed.notify_all()
            poller = select.poll()
            poller.register(self.rd, select.POLLIN)
            for fd in fds:
                poller.register(fd, select.POLLIN)
            for fd, _ in poller.poll():
                if fd == self.rd:
                    try:
                        while os.read(self.rd, 64):
                            pass
                    except OSError:
                        pass
                    continue
                line = fds[fd]
                try:
                    while True:
                        t = chip._event_read(line, 0)
                        if t is None:
                            break
                        ev = EdgeEvent._of(t)
                        with self.lock:
                            funcs = list(self.callbacks.get(line, ()))
                        for f in funcs:
                            try:
                                f(ev)
                            except Exception:
                                traceback.print_exc()
                except ChipClosedError:
                    return
                except OSError:
                    traceback.print_exc()


def busy(line: int, why: str) -> LineBusyError:
    return LineBusyError(errno.EBUSY, f"line {line} {why}")
