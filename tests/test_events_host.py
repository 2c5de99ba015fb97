# SPDX-License-Identifier: MIT
"""Edge events on the host: everything above the kernel.

The kernel side of a Chip (``_watch``, ``_unwatch``, ``_event_read``: the
GPIO character device) is replaced by a script in helpers.ScriptedChip; the code
under test - Pin.wait_for_edge, edges, flush_events, wait_pulse,
add_callback and its thread, await pin.edge(), the watch bookkeeping and its
refusals - is the package's own. Real events from a real kernel are tested
in the emulated Pi with gpio-sim (tests/vpi/guest/test_vpi_events.py).
"""

from __future__ import annotations

import asyncio
import errno
import os
import threading
import time

import pytest

import fastgpio
from fastgpio import Edge, EdgeEvent, LineBusyError, NotSupportedError
from helpers import ScriptedChip

R, F = int(Edge.RISING), int(Edge.FALLING)


@pytest.fixture
def chip(regfile, no_dt):
    f = regfile(0x1000)
    c = ScriptedChip("bcm2837", dt_root=no_dt, gpiomem=f)
    yield c
    c.close()


class RefusingChip(ScriptedChip):
    """A re-request fails; ``keeps`` says whether the kernel side kept the old
    watch (a reader blocked in another thread) or dropped the line."""

    __slots__ = ("keeps",)

    def _watch(self, line, edge, debounce_us):
        if line in self.pipes:
            if not self.keeps:
                self._unwatch(line)
            raise LineBusyError(16, "refused (any message: the bookkeeping must not read it)")
        return super()._watch(line, edge, debounce_us)


@pytest.mark.parametrize("keeps", [True, False])
def test_a_refused_rewatch_keeps_the_watch_exactly_when_the_c_side_does(regfile, no_dt, keeps):
    c = RefusingChip("bcm2837", dt_root=no_dt, gpiomem=regfile(0x1000))
    c.keeps = keeps
    try:
        pin = c.pin(17)
        pin.watch("rising")
        with pytest.raises(LineBusyError):
            pin.watch("falling")
        assert pin.watching is keeps
        if keeps:
            c.queue(17, R, 5)  # the old watch still delivers
            assert pin.wait_for_edge(timeout=1).timestamp_ns == 5
    finally:
        c.close()


def test_real_register_file_chip_has_no_events(regfile, no_dt):
    f = regfile(0x1000)
    with fastgpio.Chip("bcm2837", dt_root=no_dt, gpiomem=f) as c:
        pin = c.pin(17)
        with pytest.raises(NotSupportedError, match="register file"):
            pin.watch()
        with pytest.raises(NotSupportedError):
            c.owner(17)
        assert not pin.watching


def test_edge_names_and_event_record():
    assert [str(e) for e in Edge] == ["rising", "falling", "both"]
    ev = EdgeEvent(Edge.RISING, 1_500_000_000, 17, 1)
    assert ev.timestamp == 1.5
    with pytest.raises(AttributeError):
        ev.edge = Edge.FALLING  # frozen


def test_wait_for_edge_returns_queued_events_in_order(chip):
    pin = chip.pin(17)
    pin.watch("rising", debounce=0.0025)
    assert chip.calls == [("watch", 17, R, 2500)]
    assert pin.watching
    chip.queue(17, R, 100)
    chip.queue(17, R, 250)
    a = pin.wait_for_edge("rising", timeout=0, debounce=0.0025)
    b = pin.wait_for_edge("rising", timeout=0, debounce=0.0025)
    assert (a.edge, a.timestamp_ns, a.line) == (Edge.RISING, 100, 17)
    assert isinstance(a.edge, Edge) and b.timestamp_ns == 250
    assert pin.wait_for_edge("rising", timeout=0.01, debounce=0.0025) is None
    # Same settings, or none given (the watch's own): no new request.
    assert list(pin.edges(timeout=0)) == [] and pin.wait_for_edge(timeout=0) is None
    assert chip.calls == [("watch", 17, R, 2500)]
    # Other settings: re-requested once; what is not given is kept.
    pin.wait_for_edge(Edge.BOTH, timeout=0)
    assert chip.calls[-1] == ("watch", 17, int(Edge.BOTH), 2500)
    pin.wait_for_edge(debounce=0, timeout=0)
    assert chip.calls[-1] == ("watch", 17, int(Edge.BOTH), 0) and len(chip.calls) == 3


def test_not_watched_means_both_edges_without_debounce(chip):
    pin = chip.pin(18)
    assert pin.wait_for_edge(timeout=0) is None
    assert chip.calls == [("watch", 18, int(Edge.BOTH), 0)]


def test_flush_and_edges_iterator(chip):
    pin = chip.pin(4)
    assert pin.flush_events() == 0  # not watching: nothing, no request
    assert chip.calls == []
    pin.watch()
    for ts in (1, 2, 3):
        chip.queue(4, R if ts % 2 else F, ts)
    assert pin.flush_events() == 3
    for ts in (10, 20):
        chip.queue(4, F, ts)
    got = [e.timestamp_ns for e in pin.edges(timeout=0.01)]
    assert got == [10, 20]


def test_wait_pulse_measures_between_kernel_timestamps(chip):
    pin = chip.pin(5)
    pin.watch()
    chip.queue(5, R, 1)            # stale: dropped by wait_pulse
    chip.queue(5, F, 2)
    chip.later(5, (F, 10), (R, 1_000), (F, 251_000), (R, 400_000))
    assert pin.wait_pulse(1, timeout=1) == pytest.approx(250e-6)
    chip.later(5, (F, 500_000), (F, 500_100), (R, 590_000))
    assert pin.wait_pulse(0, timeout=1) == pytest.approx(90e-6)
    chip.later(5, (R, 700_000))    # a pulse that never ends
    assert pin.wait_pulse(1, timeout=0.05) is None


def test_callbacks_run_on_a_thread_in_order(chip, capsys):
    pin = chip.pin(6)
    seen, threads = [], set()
    done = threading.Event()

    def first(ev):
        threads.add(threading.current_thread().name)
        seen.append(("first", ev.timestamp_ns, ev.edge))

    def broken(ev):
        raise RuntimeError("callback bug")

    def last(ev):
        seen.append(("last", ev.timestamp_ns))
        if ev.timestamp_ns == 30:
            done.set()

    pin.add_callback(first, "both")
    pin.add_callback(broken, "both")
    pin.add_callback(last, "both")
    assert chip.calls == [("watch", 6, 3, 0)]
    for ts in (10, 20, 30):
        chip.queue(6, R if ts != 20 else F, ts)
    assert done.wait(5)
    assert seen == [("first", 10, Edge.RISING), ("last", 10), ("first", 20, Edge.FALLING),
                    ("last", 20), ("first", 30, Edge.RISING), ("last", 30)]
    assert threads == {"fastgpio-edges"}
    assert capsys.readouterr().err.count("RuntimeError: callback bug") == 3  # printed; went on
    # The line's events belong to its callbacks.
    with pytest.raises(LineBusyError, match="callbacks"):
        pin.wait_for_edge(timeout=0)
    with pytest.raises(LineBusyError, match="callbacks"):
        pin.add_callback(first, "rising")
    pin.remove_callback(broken)
    pin.remove_callback(first)
    with pytest.raises(ValueError):
        pin.remove_callback(first)
    assert pin.watching
    pin.remove_callback()          # the last one: the thread unwatches the line
    assert chip.calls[-1] == ("unwatch", 6, "fastgpio-edges")
    assert not pin.watching
    t = chip._dispatcher.thread
    chip.close()
    assert not t.is_alive()


def test_remove_callback_from_inside_a_callback(chip):
    pin = chip.pin(7)
    calls = []

    def once(ev):
        calls.append(ev.timestamp_ns)
        pin.remove_callback(once)

    pin.add_callback(once)
    chip.queue(7, R, 1)
    deadline = time.monotonic() + 5
    while pin.watching and time.monotonic() < deadline:
        time.sleep(0.01)
    assert calls == [1] and not pin.watching


def test_unwatch_removes_callbacks(chip):
    pin = chip.pin(8)
    pin.add_callback(print)
    pin.unwatch()
    assert not pin.watching and ("unwatch", 8, "fastgpio-edges") in chip.calls
    pin.unwatch()                  # idempotent


def test_asyncio_edge_uses_the_request_fd(chip):
    pin = chip.pin(9)

    async def main():
        loop = asyncio.get_running_loop()
        pin.watch()
        loop.call_later(0.02, chip.queue, 9, F, 77)
        ev = await asyncio.wait_for(pin.edge(), 5)
        chip.queue(9, R, 78)       # already pending: returned without waiting
        ev2 = await pin.edge()
        return ev, ev2

    ev, ev2 = asyncio.run(main())
    assert (ev.edge, ev.timestamp_ns, ev2.timestamp_ns) == (Edge.FALLING, 77, 78)
    assert chip.calls == [("watch", 9, 3, 0)]


def test_asyncio_edge_cancellation_leaves_no_reader(chip):
    pin = chip.pin(10)

    async def main():
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(pin.edge("falling"), 0.02)
        loop = asyncio.get_running_loop()
        assert not loop.remove_reader(chip.pipes[10][0])  # already removed

    asyncio.run(main())


def test_close_stops_the_callback_thread_and_forgets_watches(chip):
    pin = chip.pin(11)
    pin.add_callback(print)
    t = chip._dispatcher.thread
    chip.close()
    assert not t.is_alive()
    with pytest.raises(fastgpio.ChipClosedError):
        pin.watch()


class OwnerChip(fastgpio.Chip):
    """A register-file chip whose kernel line-info answer is scripted: a
    consumer name, None (free) or an exception."""

    __slots__ = ("answer", "asked")

    def _line_owner(self, line):
        self.asked.append(line)
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer


@pytest.mark.parametrize("answer, refusal", [
    ("gpiomon", LineBusyError),                       # held by another program
    ("", LineBusyError),                              # held, consumer unnamed
    (OSError(5, "Input/output error"), OSError),      # asked and failed: not "free"
    (FileNotFoundError(2, "No such file"), FileNotFoundError),
    (None, None),                                     # free
    (NotSupportedError(95, "a register file"), None),  # cannot be asked here
    (PermissionError(13, "Permission denied"), None),  # no access to the device
])
def test_pin_writes_nothing_unless_the_kernel_said_free_or_cannot_be_asked(regfile, no_dt,
                                                                            answer, refusal):
    f = regfile(0x1000)
    before = open(f, "rb").read()
    c = OwnerChip("bcm2837", dt_root=no_dt, gpiomem=f)
    c.answer, c.asked = answer, []
    try:
        if refusal is None:
            c.pin(17, "out", value=1)
            assert open(f, "rb").read() != before
            return
        with pytest.raises(refusal) as e:
            c.pin(17, "out", value=1)
        assert "line 17" in str(e.value) and "force=True" in str(e.value)
        if not isinstance(e.value, LineBusyError):
            assert e.value.errno == answer.errno and e.value.__cause__ is answer
        assert open(f, "rb").read() == before
        c.pin(17, "out", value=1, force=True)  # force skips the question entirely
        assert c.asked == [17] and open(f, "rb").read() != before
    finally:
        c.close()


def _expected_refusal(answer):
    """What Chip.pin must do with a scripted kernel answer: None (write) or
    the exception class it must raise."""
    if isinstance(answer, str):
        return LineBusyError
    if answer is None or isinstance(answer, (NotSupportedError, PermissionError)):
        return None
    return type(answer)


def _kernel_answers():
    from hypothesis import strategies as st
    errnos = st.sampled_from(sorted(errno.errorcode))
    # OSError(n, ...) becomes the builtin subclass for n (ENOENT: FileNotFoundError,
    # EPERM and EACCES: PermissionError, ...), as an answer from the kernel would.
    return st.one_of(st.none(), st.text(max_size=16),
                     st.builds(lambda n: OSError(n, os.strerror(n)), errnos),
                     st.builds(lambda n: NotSupportedError(n, "cannot ask"), errnos))


def test_pin_ownership_answers_generated(regfile, no_dt):
    """Generated kernel answers x lines x output levels: a refusal writes
    nothing and keeps the errno; only "free" or "cannot be asked" writes."""
    hyp = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    @hyp.settings(max_examples=300)  # the rest from conftest.py's "fastgpio" profile
    @hyp.given(answer=_kernel_answers(), line=st.integers(0, 53), value=st.integers(0, 1))
    def check(answer, line, value):
        f = regfile(0x1000)
        before = open(f, "rb").read()
        c = OwnerChip("bcm2837", dt_root=no_dt, gpiomem=f)
        c.answer, c.asked = answer, []
        try:
            refusal = _expected_refusal(answer)
            if refusal is None:
                c.pin(line, "out", value=value)
                assert c.asked == [line] and open(f, "rb").read() != before
                return
            with pytest.raises(OSError) as e:
                c.pin(line, "out", value=value)
            assert type(e.value) is refusal, (answer, e.value)
            assert f"line {line}" in str(e.value) and "force=True" in str(e.value)
            if refusal is not LineBusyError:
                assert e.value.errno == answer.errno and e.value.__cause__ is answer
            assert c.asked == [line] and open(f, "rb").read() == before
        finally:
            c.close()

    check()
