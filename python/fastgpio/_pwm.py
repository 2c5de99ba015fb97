# SPDX-License-Identifier: MIT
"""Hardware PWM: ``chip.pwm(pin, frequency, duty)``.

Two routes to one PWM channel:

* ``"registers"``: fastgpio programs the SoC's PWM block and clock itself
  (``_core``'s ``_pwm_apply``; the devmem backend, as root). No daemon, no
  kernel driver; the C library checks every argument before it writes.
* ``"sysfs"``: the kernel's PWM driver owns the block (the ``pwm`` or
  ``pwm-2chan`` overlay binds it) and fastgpio writes its
  ``/sys/class/pwm`` files; the line is muxed to the PWM function through
  the chip when it is not already.

``"auto"`` takes the registers unless the device tree gives the block to the
kernel (or the chip cannot map it: gpiomem, gpiod), then sysfs when the
kernel exposes the channel there.
"""

from __future__ import annotations

import math
import numbers
import operator
import os
from dataclasses import dataclass
from typing import Any, Dict, Optional, Union

from . import _core
from ._args import index_arg, is_index

#: the longest period either route accepts (FGPIO_PWM_MAX_PERIOD_NS)
MAX_PERIOD_NS = 300_000_000_000
SYSFS_ROOT = "/sys/class/pwm"

PolarityArg = Union[str, int]


@dataclass(frozen=True)
class PWMState:
    """A PWM channel as its registers (or the kernel's sysfs files) say it is.

    ``period_ticks``/``duty_ticks`` count ticks of the PWM clock, whose rate
    is ``source_hz * 4096 / divisor`` (0 on the sysfs route: the kernel does
    not tell)."""

    period_ns: int
    duty_ns: int
    enabled: bool
    polarity: str           #: "normal" or "inversed"
    muxed: bool             #: the line is on its PWM function
    backend: str            #: "registers" or "sysfs"
    period_ticks: int = 0
    duty_ticks: int = 0
    source: str = ""        #: the clock's source ("oscillator", ...)
    source_hz: int = 0
    divisor: int = 0        #: 12.12 fixed point
    block: int = 0
    channel: int = 0

    @property
    def clock_hz(self) -> float:
        """The PWM clock's rate (0.0 when unknown)."""
        return self.source_hz * 4096 / self.divisor if self.source_hz and self.divisor else 0.0

    @property
    def frequency(self) -> float:
        """Achieved frequency in Hz: from the ticks where the clock is known."""
        if self.clock_hz and self.period_ticks:
            return self.clock_hz / self.period_ticks
        return 1e9 / self.period_ns if self.period_ns else 0.0

    @property
    def duty(self) -> float:
        """Achieved duty fraction (0..1)."""
        if self.period_ticks:
            return self.duty_ticks / self.period_ticks
        return self.duty_ns / self.period_ns if self.period_ns else 0.0


def _real(x: object, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{what} must be a real number, not {type(x).__name__}")
    v = float(x)  # type: ignore[arg-type]
    if not math.isfinite(v):
        raise ValueError(f"{what} must be finite, not {v!r}")
    return v


def _ns(x: object, what: str) -> int:
    return index_arg(x, what, "nanoseconds")


def polarity_of(p: PolarityArg) -> int:
    """0 (normal) or 1 (inversed) from a name ("normal", "inversed",
    "inverted") or that number; ValueError / TypeError otherwise."""
    if isinstance(p, str):
        key = p.strip().lower()
        if key == "normal":
            return 0
        if key in ("inversed", "inverted"):
            return 1
        raise ValueError(f"polarity must be 'normal' or 'inversed', not {p!r}")
    if not is_index(p):
        raise TypeError(f"polarity must be a str or 0/1, not {type(p).__name__}")
    v = operator.index(p)  # type: ignore[arg-type]
    if v not in (0, 1):
        raise ValueError(f"polarity must be 0 (normal) or 1 (inversed), not {v}")
    return v


def request_ns(frequency: object = None, duty: object = None, period_ns: object = None,
               duty_ns: object = None, current: Optional[PWMState] = None) -> tuple:
    """(period_ns, duty_ns) asked for: a frequency (Hz) or a period (ns), and
    a duty fraction (0..1) or a duty time (ns). What is not given keeps the
    @current channel's value (its duty fraction when only the period
    changes), else duty 0."""
    if frequency is not None and period_ns is not None:
        raise ValueError("give frequency or period_ns, not both")
    if duty is not None and duty_ns is not None:
        raise ValueError("give duty or duty_ns, not both")
    if frequency is not None:
        f = _real(frequency, "frequency")
        if f <= 0:
            raise ValueError(f"frequency must be > 0 Hz, not {f!r}")
        pf = 1e9 / f
        if not 0.5 <= pf <= MAX_PERIOD_NS:
            raise ValueError(f"frequency {f!r} Hz is outside {1e9 / MAX_PERIOD_NS:g} Hz .. 1 GHz")
        p = max(1, round(pf))
    elif period_ns is not None:
        p = _ns(period_ns, "period_ns")
        if not 1 <= p <= MAX_PERIOD_NS:
            raise ValueError(f"period_ns {p} is outside 1 .. {MAX_PERIOD_NS}")
    elif current is not None and current.period_ns:
        p = current.period_ns
    else:
        raise ValueError("give a frequency (Hz) or a period_ns")
    if duty is not None:
        d = _real(duty, "duty")
        if not 0.0 <= d <= 1.0:
            raise ValueError(f"duty must be a fraction within 0..1, not {d!r}")
        dn = round(d * p)
    elif duty_ns is not None:
        dn = _ns(duty_ns, "duty_ns")
        if not 0 <= dn <= p:
            raise ValueError(f"duty_ns {dn} is outside 0 .. period ({p} ns)")
    elif current is not None and current.period_ns:
        dn = round(current.duty * p)
    else:
        dn = 0
    return p, dn


class _Registers:
    """The channel programmed through the chip's own mapping of the blocks."""

    name = "registers"

    def __init__(self, chip: Any, line: int, force: bool) -> None:
        self.chip, self.line, self.force = chip, line, force

    def apply(self, period: int, duty: int, polarity: int, enabled: bool) -> None:
        self.chip._pwm_apply(self.line, period, duty, polarity, enabled, self.force)

    def state(self) -> PWMState:
        s = self.chip._pwm_state(self.line)
        return PWMState(period_ns=s["period_ns"], duty_ns=s["duty_ns"], enabled=s["enabled"],
                        polarity=("normal", "inversed")[s["polarity"]], muxed=s["muxed"],
                        backend=self.name, period_ticks=s["period_ticks"],
                        duty_ticks=s["duty_ticks"], source=s["source"], source_hz=s["source_hz"],
                        divisor=s["divisor"], block=s["block"], channel=s["channel"])


def find_sysfs_channel(output: Dict[str, Any], root: str = SYSFS_ROOT) -> Optional[str]:
    """The pwmchip directory under @root whose device is @output's block (its
    device-tree node's name, e.g. ``pwm@7e20c000``, or a device name ending
    in the node's unit address and ``.pwm``), or None."""
    node = output["dt_node"].rsplit("/", 1)[-1]
    unit = node.split("@", 1)[-1][-6:]
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return None
    for name in names:
        if not name.startswith("pwmchip"):
            continue
        d = os.path.join(root, name)
        of_node = os.path.realpath(os.path.join(d, "device", "of_node"))
        dev = os.path.basename(os.path.realpath(os.path.join(d, "device")))
        if os.path.basename(of_node) == node or dev.endswith(unit + ".pwm"):
            return d
    return None


class _Sysfs:
    """The channel as the kernel's PWM driver exposes it under /sys/class/pwm."""

    name = "sysfs"

    def __init__(self, chip: Any, line: int, output: Dict[str, Any], chipdir: str) -> None:
        self.chip, self.line, self.output = chip, line, output
        self.dir = os.path.join(chipdir, f"pwm{output['channel']}")
        if not os.path.isdir(self.dir):
            with open(os.path.join(chipdir, "export"), "w") as f:
                f.write(str(output["channel"]))
        if not os.path.isdir(self.dir):
            raise OSError(f"exporting channel {output['channel']} of {chipdir} made no {self.dir}")

    def _get(self, name: str) -> str:
        with open(os.path.join(self.dir, name)) as f:
            return f.read().strip()

    def _put(self, name: str, value: Any) -> None:
        with open(os.path.join(self.dir, name), "w") as f:
            f.write(str(value))

    def apply(self, period: int, duty: int, polarity: int, enabled: bool) -> None:
        # The kernel applies every file write as a whole state and refuses one
        # with a duty above the period, or (pwm-bcm2835) a period under 2
        # ticks even when disabled, and a polarity change while enabled: so the
        # period comes before anything on a fresh channel, the duty never
        # passes it, and the polarity changes while the output is off.
        cur = self.state()
        pol = ("normal", "inversed")[polarity]
        if pol != cur.polarity and cur.enabled:
            self._put("enable", 0)
        if duty > cur.period_ns or cur.period_ns == 0:
            self._put("period", period)
            self._put("duty_cycle", duty)
        else:
            self._put("duty_cycle", duty)
            self._put("period", period)
        if pol != cur.polarity:
            self._put("polarity", pol)
        self._put("enable", int(enabled))
        if enabled:
            self.chip.set_function(self.line, self.output["function"])

    def state(self) -> PWMState:
        func = self.chip._get_function(self.line)
        return PWMState(period_ns=int(self._get("period") or 0),
                        duty_ns=int(self._get("duty_cycle") or 0),
                        enabled=self._get("enable") == "1", polarity=self._get("polarity"),
                        muxed=func == self.output["function"], backend=self.name,
                        block=self.output["block"], channel=self.output["channel"])


class PWM:
    """A hardware PWM output on one line (``chip.pwm(...)``).

    The signal runs in the SoC's PWM block: no CPU time, no jitter from the
    scheduler. ``close()`` (or leaving the ``with`` block) stops it and gives
    the line back the function it had; ``detach()`` leaves it running."""

    def __init__(self, chip: Any, line: int, frequency: object = None, duty: object = None, *,
                 period_ns: object = None, duty_ns: object = None,
                 polarity: PolarityArg = "normal", force: bool = False, backend: str = "auto",
                 sysfs_root: str = SYSFS_ROOT) -> None:
        if not isinstance(force, bool):
            raise TypeError(f"force must be a bool, not {type(force).__name__}")
        if backend not in ("auto", "registers", "sysfs"):
            raise ValueError(f"backend must be 'auto', 'registers' or 'sysfs', not {backend!r}")
        pol = polarity_of(polarity)
        self._chip = chip
        self.line = line
        self.output: Dict[str, Any] = chip._pwm_find(line)
        want = None
        if frequency is not None or period_ns is not None or duty is not None or duty_ns is not None:
            want = request_ns(frequency, duty, period_ns, duty_ns)
        self._route = self._choose(backend, force, sysfs_root)
        self._prev_function = chip._get_function(line)
        self._closed = False
        if want is not None:
            self._route.apply(want[0], want[1], pol, True)

    def _choose(self, backend: str, force: bool, root: str) -> Any:
        if backend == "sysfs":
            d = find_sysfs_channel(self.output, root)
            if d is None:
                raise _core.NotSupportedError(
                    f"no {root}/pwmchip* is the {self.output['block_name']} block "
                    f"({self.output['dt_node']}): the kernel's {self.output['driver']} driver "
                    f"is not bound (add dtoverlay=pwm or pwm-2chan to config.txt)")
            return _Sysfs(self._chip, self.line, self.output, d)
        regs = _Registers(self._chip, self.line, force)
        if backend == "registers":
            return regs
        if self.output["kernel"] and not force:
            d = find_sysfs_channel(self.output, root)
            if d is not None:
                return _Sysfs(self._chip, self.line, self.output, d)
            # the C library's refusal (LineBusyError naming the driver); writes nothing
            self._chip._pwm_apply(self.line, 1_000_000, 0, 0, False, False)
        try:
            regs.state()          # maps the blocks: gpiomem and gpiod chips refuse here
        except (_core.NotSupportedError, PermissionError):
            d = find_sysfs_channel(self.output, root)
            if d is None:
                raise
            return _Sysfs(self._chip, self.line, self.output, d)
        return regs

    # -- state ---------------------------------------------------------------
    @property
    def backend(self) -> str:
        """"registers" (fastgpio programs the block) or "sysfs" (the kernel's driver does)."""
        return self._route.name

    @property
    def state(self) -> PWMState:
        self._check()
        return self._route.state()

    @property
    def period_ns(self) -> int:
        return self.state.period_ns

    @property
    def duty_ns(self) -> int:
        return self.state.duty_ns

    @property
    def frequency(self) -> float:
        return self.state.frequency

    @frequency.setter
    def frequency(self, f: float) -> None:
        self.set(frequency=f)

    @property
    def duty(self) -> float:
        return self.state.duty

    @duty.setter
    def duty(self, d: float) -> None:
        self.set(duty=d)

    @property
    def polarity(self) -> str:
        return self.state.polarity

    @property
    def enabled(self) -> bool:
        return self.state.enabled

    # -- changes -------------------------------------------------------------
    def set(self, frequency: object = None, duty: object = None, *, period_ns: object = None,
            duty_ns: object = None, polarity: Optional[PolarityArg] = None,
            enabled: Optional[bool] = None) -> PWMState:
        """Changes what is given and keeps the rest (a new frequency keeps the
        duty fraction); returns the state the registers hold afterwards."""
        cur = self.state
        p, d = request_ns(frequency, duty, period_ns, duty_ns, current=cur)
        pol = polarity_of(cur.polarity if polarity is None else polarity)
        if enabled is not None and not isinstance(enabled, bool):
            raise TypeError(f"enabled must be a bool, not {type(enabled).__name__}")
        self._route.apply(p, d, pol, cur.enabled if enabled is None else enabled)
        return self._route.state()

    def enable(self) -> None:
        self.set(enabled=True)

    def disable(self) -> None:
        """Stops the output (the settings stay; ``enable()`` restarts it)."""
        cur = self.state
        if cur.period_ns:
            self._route.apply(cur.period_ns, cur.duty_ns, polarity_of(cur.polarity), False)

    def detach(self) -> None:
        """Forgets the channel and leaves it running as it is (what ``fastgpio pwm`` does)."""
        self._closed = True

    def close(self) -> None:
        """Stops the output and gives the line back the function it had. Idempotent."""
        if self._closed or self._chip.closed:
            self._closed = True
            return
        try:
            self.disable()
            if self._chip._get_function(self.line) != self._prev_function:
                self._chip.set_function(self.line, self._prev_function)
        finally:
            self._closed = True

    def _check(self) -> None:
        if self._closed:
            raise ValueError("operation on a closed PWM")

    def __enter__(self) -> "PWM":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._closed:
            return f"<fastgpio.PWM line={self.line} closed>"
        s = self.state
        return (f"<fastgpio.PWM line={self.line} {self.backend} {s.frequency:g} Hz "
                f"duty={s.duty:.4g} {'on' if s.enabled else 'off'}>")


class PercentPWM:
    """SoftPWM's interface over a hardware :class:`PWM`: ``frequency`` (Hz),
    ``duty`` in percent, ``start()``, ``stop()``; what ``fastgpio.RPi.GPIO.PWM
    (hardware=True)`` and the gpiozero factory use. Nothing runs before
    ``start()``; ``stop()`` stops the output and gives the line back its
    function, then calls @on_stop."""

    def __init__(self, chip: Any, line: int, frequency: float, duty: float = 0.0,
                 on_stop: Any = None) -> None:
        self._pwm = chip.pwm(line)        # NotSupportedError: no PWM output on this line
        self._frequency, self._duty, self._running = frequency, duty, False
        self._on_stop = on_stop

    @property
    def frequency(self) -> float:
        return self._pwm.frequency if self._running else self._frequency

    @frequency.setter
    def frequency(self, hz: float) -> None:
        if self._running:
            self._pwm.set(frequency=hz)
        self._frequency = hz

    @property
    def duty(self) -> float:
        return self._pwm.duty * 100.0 if self._running else self._duty

    @duty.setter
    def duty(self, percent: float) -> None:
        if self._running:
            self._pwm.set(duty=percent / 100.0)
        self._duty = percent

    def start(self) -> None:
        self._pwm.set(frequency=self._frequency, duty=self._duty / 100.0, enabled=True)
        self._running = True

    def stop(self) -> None:
        try:
            if self._running:
                self._pwm.close()
        finally:
            self._running = False
            if self._on_stop is not None:
                self._on_stop()
