# SPDX-License-Identifier: MIT
"""Software PWM on a Python thread, shared by fastgpio.RPi.GPIO.PWM and the
gpiozero pin factory. Each period drives the line high for ``duty`` percent
of ``1/frequency`` seconds, then low; deadlines are kept on the monotonic
clock. Jitter is a sleeping Python thread's (tens of µs or more): for exact
waveforms use :meth:`fastgpio.Chip.wave`."""

from __future__ import annotations

import math
import threading
import time
from typing import Any, Optional

# RPi.GPIO 0.7.1's messages (py_pwm.c), which its drop-in shows too.
MSG_FREQ = "frequency must be greater than 0.0"
MSG_DUTY = "dutycycle must have a value from 0.0 to 100.0"


class SoftPWM:
    """PWM on one :class:`fastgpio.Pin`. ``frequency`` (Hz, > 0, finite) and
    ``duty`` (percent, 0-100) may change while running; they apply from the
    next period; other values (NaN, inf, negative) raise ValueError and
    leave the running values as they were. :meth:`stop` returns once the
    thread has left the line low."""

    def __init__(self, pin: Any, frequency: float, duty: float = 0.0) -> None:
        self.pin = pin
        self.frequency = frequency
        self.duty = duty
        self._thread: Optional[threading.Thread] = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    @property
    def frequency(self) -> float:
        return self._frequency

    @frequency.setter
    def frequency(self, hz: float) -> None:
        hz = float(hz)
        if not (hz > 0.0 and math.isfinite(hz)):  # NaN/inf: a thread toggling flat out
            raise ValueError(MSG_FREQ)
        self._frequency = hz

    @property
    def duty(self) -> float:
        return self._duty

    @duty.setter
    def duty(self, percent: float) -> None:
        percent = float(percent)
        if not 0.0 <= percent <= 100.0:  # NaN fails this too
            raise ValueError(MSG_DUTY)
        self._duty = percent

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, daemon=True,
                                            name=f"fastgpio-pwm-{self.pin.line}")
            self._thread.start()

    def stop(self) -> None:
        with self._lock:
            t, self._thread = self._thread, None
        if t is not None:
            self._stopping.set()
            if t is not threading.current_thread():
                t.join()

    def _run(self) -> None:
        pin, stopping = self.pin, self._stopping
        due = time.monotonic()
        try:
            while not stopping.is_set():
                duty, period = self.duty, 1.0 / self.frequency
                high = period * duty / 100.0
                if duty > 0.0:
                    pin.on()
                    due = self._sleep_until(due + high, period)
                if duty < 100.0 and not stopping.is_set():
                    pin.off()
                    due = self._sleep_until(due + period - high, period)
        finally:
            try:
                pin.off()
            except (OSError, ValueError):
                pass  # the chip was closed under us

    def _sleep_until(self, due: float, period: float) -> float:
        left = due - time.monotonic()
        if left > 0:
            self._stopping.wait(left)
            return due
        # Late by more than a period (a stall): count from now instead of
        # catching up with a burst of short pulses.
        return time.monotonic() if left < -period else due
