# SPDX-License-Identifier: MIT
"""Pin.wait / Pin.wait_async (the six pin events) and Pin.state on the host.

The kernel side is helpers.ScriptedChip (events with chosen timestamps, one
pipe per line as the request fd); the line's level is the register file's
GPLEV0 word, which the test writes as the kernel's level would be. Real
events from a real kernel are in tests/vpi/guest/test_vpi_events.py."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fastgpio
from fastgpio import Edge, EdgeEvent, Function, PinEvent
from helpers import ScriptedChip

R, F = int(Edge.RISING), int(Edge.FALLING)
GPFSEL1, GPSET0, GPCLR0, GPLEV0 = 0x04, 0x1C, 0x28, 0x34


@pytest.fixture
def regs(regfile):
    return regfile(0x1000)


@pytest.fixture
def chip(regs, no_dt):
    c = ScriptedChip("bcm2837", dt_root=no_dt, gpiomem=regs)
    yield c
    c.close()


def level(path, line, v):
    """The kernel's level of @line, as the GPLEV0 register shows it."""
    w = path.peek(GPLEV0)
    path.poke(GPLEV0, (w | 1 << line) if v else (w & ~(1 << line)))


def later(chip, delay, *events):
    """Queues (line, edge, ts) events from another thread, @delay s after
    their line is watched (so a slow start of the wait loses none of them)."""
    t = threading.Thread(target=chip.queue_when_watched, args=(delay, events))
    t.start()
    return t


# -- names and bad inputs -------------------------------------------------------

def test_event_names_numbers_and_edges():
    assert [str(e) for e in PinEvent] == ["low", "high", "falling", "rising", "pulse-low", "pulse-high"]
    assert [e.level for e in PinEvent] == [0, 1, 0, 1, 0, 1]
    from fastgpio._events import pin_event_of
    assert pin_event_of("Pulse_High") is PinEvent.PULSE_HIGH
    assert pin_event_of(" rising ") is PinEvent.RISING
    assert pin_event_of(Edge.FALLING) is PinEvent.FALLING
    assert pin_event_of(3) is PinEvent.FALLING


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=12), st.integers(), st.floats(allow_nan=True), st.none(),
                 st.booleans(), st.binary(max_size=4), st.lists(st.integers(), max_size=2),
                 st.just(Edge.BOTH)))
def test_bad_events_raise_before_any_watch(regs, no_dt, bad):
    if isinstance(bad, str) and bad.strip().upper().replace("-", "_") in PinEvent.__members__:
        return          # a valid name (in any case pin_event_of accepts)
    if type(bad) is int and 1 <= bad <= 6:
        return          # a valid number
    c = ScriptedChip("bcm2837", dt_root=no_dt, gpiomem=regs)
    before = open(regs, "rb").read()
    try:
        pin = c.pin(17)
        err = ValueError if isinstance(bad, (str, int, Edge)) and not isinstance(bad, bool) else TypeError
        with pytest.raises(err):
            pin.wait(bad, timeout=0)
        with pytest.raises(err):
            asyncio.run(pin.wait_async(bad, timeout=0))
        assert c.calls == [] and not pin.watching
    finally:
        c.close()
    assert open(regs, "rb").read() == before


@pytest.mark.parametrize("bad", [-1, float("nan"), "1", True])
def test_bad_timeouts_raise_before_any_watch(chip, bad):
    pin = chip.pin(17)
    with pytest.raises((TypeError, ValueError)):
        pin.wait("high", timeout=bad)
    assert chip.calls == []


# -- levels -----------------------------------------------------------------------

@pytest.mark.parametrize("ev,lvl", [("high", 1), ("low", 0)])
def test_level_already_held_returns_at_once_and_restores(chip, regs, ev, lvl):
    level(regs, 17, lvl)
    pin = chip.pin(17)
    assert pin.wait(ev, timeout=5) is True
    # watched for the wait (both edges), unwatched again after it
    assert [c[:2] for c in chip.calls] == [("watch", 17), ("unwatch", 17)]
    assert chip.calls[0][2] == Edge.BOTH
    assert not pin.watching


@pytest.mark.parametrize("ev,lvl,edge,other", [("high", 1, R, F), ("low", 0, F, R)])
def test_level_not_yet_held_waits_for_the_edge_into_it(chip, regs, ev, lvl, edge, other):
    level(regs, 17, 1 - lvl)
    pin = chip.pin(17)
    t = later(chip, 0.05, (17, other, 10), (17, edge, 20))   # an edge out of it first: ignored
    assert pin.wait(ev, timeout=5) is True
    t.join()
    assert not pin.watching


def test_level_edge_queued_before_the_level_read_is_not_lost(chip, regs):
    # The edge into the level comes after the watch and is gone again (the
    # line is back out of the level) when the level is read: the queued edge
    # still ends the wait. (deferred: pending once a reader blocks, i.e. after
    # the wait's flush and level read.)
    pin = chip.pin(17)
    level(regs, 17, 0)
    chip.deferred[17] = [(R, 5, 17, 1), (F, 6, 17, 2)]
    assert pin.wait("high", timeout=5) is True


def test_level_timeout_returns_none_and_restores(chip, regs):
    level(regs, 17, 0)
    pin = chip.pin(17)
    t0 = time.monotonic()
    assert pin.wait("high", timeout=0.05) is None
    assert time.monotonic() - t0 >= 0.05
    assert not pin.watching


# -- edges ------------------------------------------------------------------------

@pytest.mark.parametrize("ev,edge,other", [("rising", R, F), (Edge.FALLING, F, R)])
def test_edge_wait_returns_the_event_of_that_edge(chip, ev, edge, other):
    pin = chip.pin(17)
    t = later(chip, 0.05, (17, other, 100), (17, edge, 200))
    got = pin.wait(ev, timeout=5)
    t.join()
    assert isinstance(got, EdgeEvent) and int(got.edge) == edge and got.timestamp_ns == 200


def test_edge_queued_before_the_call_does_not_count(chip):
    pin = chip.pin(17)
    pin.watch("both")
    chip.queue(17, R, 1)           # before the wait: flushed
    t = later(chip, 0.05, (17, R, 2))
    got = pin.wait("rising", timeout=5)
    t.join()
    assert got.timestamp_ns == 2
    # a line watched before the wait stays watched, with its settings
    assert pin.watching and chip._watches[17][0] == Edge.BOTH


def test_a_narrower_watch_is_widened_for_the_wait_and_restored(chip):
    pin = chip.pin(17)
    pin.watch("rising", debounce=0.001)
    t = later(chip, 0.05, (17, F, 7))
    assert pin.wait("falling", timeout=5).timestamp_ns == 7
    t.join()
    assert chip._watches[17][:2] == (Edge.RISING, 1000)
    assert [c[2] for c in chip.calls if c[0] == "watch"] == [R, int(Edge.BOTH), R]


# -- pulses -----------------------------------------------------------------------

@pytest.mark.parametrize("ev,into,out", [("pulse-high", R, F), (PinEvent.PULSE_LOW, F, R)])
def test_pulse_width_from_the_kernel_timestamps(chip, ev, into, out):
    pin = chip.pin(17)
    # an edge out first (ignored), then the pulse: 1.5 ms between its edges
    t = later(chip, 0.05, (17, out, 1_000), (17, into, 2_000_000), (17, out, 3_500_000))
    assert pin.wait(ev, timeout=5) == pytest.approx(0.0015)
    t.join()


def test_pulse_timeout_between_its_edges(chip):
    pin = chip.pin(17)
    t = later(chip, 0.05, (17, R, 1))
    assert pin.wait("pulse-high", timeout=0.2) is None
    t.join()
    assert not pin.watching


# -- asyncio ----------------------------------------------------------------------

def test_async_waits_each_kind(chip, regs):
    pin = chip.pin(17)
    level(regs, 17, 1)

    async def main():
        assert await pin.wait_async("high") is True           # held: at once
        t = later(chip, 0.05, (17, F, 10), (17, R, 20), (17, F, 50))
        got = await pin.wait_async("rising", timeout=5)
        t.join()
        assert got.timestamp_ns == 20
        t = later(chip, 0.05, (17, R, 100), (17, F, 1_100))
        width = await pin.wait_async("pulse-high", timeout=5)
        t.join()
        return width

    assert asyncio.run(main()) == pytest.approx(1e-6)
    assert not pin.watching


def test_async_timeout_and_cancellation_leave_the_line_as_it_was(chip, regs):
    pin = chip.pin(17)
    level(regs, 17, 0)

    async def main():
        assert await pin.wait_async("high", timeout=0.05) is None
        task = asyncio.create_task(pin.wait_async("rising"))
        await asyncio.sleep(0.05)
        assert pin.watching                      # the task's watch
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert not pin.watching
    watches = [c for c in chip.calls if c[0] == "watch"]
    unwatches = [c for c in chip.calls if c[0] == "unwatch"]
    assert len(watches) == len(unwatches) == 2


def test_async_cancel_keeps_a_watch_the_task_did_not_start(chip):
    pin = chip.pin(17)
    pin.watch("both")

    async def main():
        task = asyncio.create_task(pin.wait_async("falling"))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert pin.watching


# -- state --------------------------------------------------------------------------

class RecordingChip(ScriptedChip):
    """Records the order of the level and function writes."""

    __slots__ = ("order",)

    def write(self, line, value):
        self.order.append(("level", line, value))
        super().write(line, value)

    def set_function(self, line, function):
        self.order.append(("function", line, function))
        super().set_function(line, function)


def test_state_sets_level_then_direction_and_reads_back(regs, no_dt):
    chip = RecordingChip("bcm2837", dt_root=no_dt, gpiomem=regs)
    chip.order = []
    try:
        pin = chip.pin(17)
        assert pin.state is None                       # reset: an input
        pin.state = 1
        assert chip.order == [("level", 17, 1), ("function", 17, Function.OUT)]
        assert regs.peek(GPSET0) == 1 << 17 and (regs.peek(GPFSEL1) >> 21) & 7 == 1
        level(regs, 17, 1)
        assert pin.state == 1
        chip.order.clear()
        pin.state = False
        assert chip.order == [("level", 17, 0), ("function", 17, Function.OUT)]
        assert regs.peek(GPCLR0) == 1 << 17
        level(regs, 17, 0)
        assert pin.state == 0
        pin.state = None
        assert (regs.peek(GPFSEL1) >> 21) & 7 == 0 and pin.state is None
    finally:
        chip.close()


@pytest.mark.parametrize("bad", [2, -1, 0.5, "1", float("nan"), b"\x01", [1]])
def test_state_bad_values_write_nothing(chip, regs, bad):
    pin = chip.pin(17)
    before = open(regs, "rb").read()
    with pytest.raises((TypeError, ValueError)):
        pin.state = bad
    assert open(regs, "rb").read() == before
    assert pin.state is None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.integers(), st.floats(allow_nan=True), st.text(max_size=3), st.binary(max_size=2),
                 st.lists(st.integers(0, 1), max_size=2), st.complex_numbers()))
def test_state_generated_bad_values_write_nothing(regs, no_dt, bad):
    if type(bad) is int and bad in (0, 1):
        return          # a valid level
    c = ScriptedChip("bcm2837", dt_root=no_dt, gpiomem=regs)
    before = open(regs, "rb").read()
    try:
        with pytest.raises((TypeError, ValueError)):
            c.pin(17).state = bad
    finally:
        c.close()
    assert open(regs, "rb").read() == before


def test_state_of_an_alt_function_line_raises(chip):
    chip.set_function(14, "alt0")
    with pytest.raises(ValueError, match="alt0"):
        chip.pin(14).state
