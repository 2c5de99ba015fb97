# SPDX-License-Identifier: MIT
"""Pin.wait / wait_async (the six pin events), Ctrl-C and close() ending a
blocking wait, and Pin.state, against a real kernel: gpio-sim lines driven
through sysfs raise real edge interrupts with kernel timestamps (guest/init
runs this file with libgpiod 1.6 and again with 2.x)."""
import asyncio
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

pytestmark = pytest.mark.vpi

fastgpio = pytest.importorskip("fastgpio")
from fastgpio import Edge, EdgeEvent  # noqa: E402

def kernel_owner(sim, line):
    """Who holds the sim line according to the kernel, asked by another Chip
    (a chip's owner() does not name its own lines)."""
    with fastgpio.Chip(backend="gpiod", gpiochip=sim.dev) as probe:
        return probe.owner(line)


def later(delay, f, *args):
    t = threading.Timer(delay, f, args)
    t.start()
    return t


@pytest.mark.parametrize("event,lvl", [("high", 1), ("low", 0)])
def test_level_already_held_returns_at_once(sim, simchip, event, lvl):
    sim.pull(2, lvl)
    pin = simchip.pin(2)
    assert pin.wait(event, timeout=5) is True
    assert not pin.watching and kernel_owner(sim, 2) is None    # the line left as it was


@pytest.mark.parametrize("event,lvl", [("high", 1), ("low", 0)])
def test_level_not_yet_held_waits_for_it(sim, simchip, event, lvl):
    sim.pull(2, 1 - lvl)
    pin = simchip.pin(2)
    t0 = time.monotonic()
    t = later(0.3, sim.pull, 2, lvl)
    assert pin.wait(event, timeout=10) is True
    t.join()
    assert time.monotonic() - t0 >= 0.3
    assert pin.value == lvl and not pin.watching


@pytest.mark.parametrize("event,edge", [("rising", Edge.RISING), ("falling", Edge.FALLING)])
def test_edge_wait_returns_the_kernels_event(sim, simchip, event, edge):
    into = 1 if edge == Edge.RISING else 0
    sim.pull(3, 1 - into)
    pin = simchip.pin(3)
    window = {}

    def driver():
        window["w"] = sim.drive(3, into)

    t = later(0.3, driver)
    got = pin.wait(event, timeout=10)
    t.join()
    assert isinstance(got, EdgeEvent) and got.edge == edge and got.line == 3
    a, b = window["w"]
    assert a <= got.timestamp_ns <= b, (a, got.timestamp_ns, b)


@pytest.mark.parametrize("event,lvl,width", [("pulse-high", 1, 0.1), ("pulse-low", 0, 0.3)])
def test_pulse_width_within_ten_percent(sim, simchip, report, event, lvl, width):
    sim.pull(4, 1 - lvl)
    pin = simchip.pin(4)
    driven = {}

    def driver():
        driven["start"] = sim.drive(4, lvl)
        time.sleep(width)
        driven["end"] = sim.drive(4, 1 - lvl)

    t = later(0.3, driver)
    measured = pin.wait(event, timeout=10)
    t.join()
    assert measured is not None
    (s0, s1), (e0, e1) = driven["start"], driven["end"]
    shortest, longest = (e0 - s1) / 1e9, (e1 - s0) / 1e9
    known = (shortest + longest) / 2        # the width the driver produced
    assert shortest <= measured <= longest, (shortest, measured, longest)
    assert abs(measured / known - 1) <= 0.10, (measured, known)
    report(f"wait({event!r}): driven {width} s (kernel window {shortest:.4f}..{longest:.4f} s), "
           f"measured {measured:.4f} s ({(measured / width - 1) * 100:+.1f} % of {width} s)")


@pytest.mark.parametrize("event", ["high", "rising", "pulse-low"])
def test_timeout_returns_none_and_releases_the_line(sim, simchip, event):
    sim.pull(5, 0)
    pin = simchip.pin(5)
    t0 = time.monotonic()
    assert pin.wait(event, timeout=0.2) is None
    assert time.monotonic() - t0 >= 0.2
    assert not pin.watching and kernel_owner(sim, 5) is None


ASYNC_SCRIPT = r"""
import asyncio, faulthandler, sys
import fastgpio
from fastgpio import Edge
dev, pull = sys.argv[1], sys.argv[2]
faulthandler.dump_traceback_later(float(sys.argv[3]), exit=True)   # a hang prints every stack

def put(level):
    with open(pull, "w") as f:
        f.write("pull-up" if level else "pull-down")

def owner():
    with fastgpio.Chip(backend="gpiod", gpiochip=dev) as probe:
        return probe.owner(6)

put(0)
chip = fastgpio.Chip(backend="gpiod", gpiochip=dev)
pin = chip.pin(6)

async def main():
    loop = asyncio.get_running_loop()
    assert await pin.wait_async("low") is True
    loop.call_later(0.3, put, 1)
    ev = await pin.wait_async("rising", timeout=10)
    assert ev.edge == Edge.RISING
    loop.call_later(0.3, put, 0)
    loop.call_later(0.6, put, 1)
    width = await pin.wait_async("pulse-low", timeout=10)
    assert await pin.wait_async("low", timeout=0.2) is None
    task = asyncio.create_task(pin.wait_async("falling"))
    await asyncio.sleep(0.3)
    assert owner() == "fastgpio"      # the task's watch, in the kernel
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    else:
        raise AssertionError("the cancelled wait returned")
    return width

width = asyncio.run(asyncio.wait_for(main(), 60))
assert 0.2 <= width <= 0.6, width
assert not pin.watching and owner() is None
chip.close()
print("OK", width)
"""


def test_async_waits_timeout_and_cancellation(sim, machine):
    # In a child process: a wait that never ends there prints its stack
    # (faulthandler) and fails this test, instead of holding the machine.
    limit = 240 if machine == "raspi0" else 90
    r = subprocess.run([sys.executable, "-c", ASYNC_SCRIPT, sim.dev, sim._line(6, "pull"), str(limit)],
                       capture_output=True, text=True, timeout=limit + 60)
    assert r.returncode == 0 and r.stdout.startswith("OK"), r.stdout + r.stderr


def test_close_from_another_thread_wakes_a_wait(sim):
    chip = fastgpio.Chip(backend="gpiod", gpiochip=sim.dev)
    pin = chip.pin(7)
    res = {}

    def waiter():
        try:
            res["r"] = pin.wait("rising")
        except BaseException as e:  # noqa: BLE001  # what close() makes of the wait
            res["exc"] = e

    t = threading.Thread(target=waiter)
    t.start()
    time.sleep(0.3)
    chip.close()
    t.join(10)
    assert not t.is_alive() and isinstance(res.get("exc"), fastgpio.ChipClosedError), res


# Each blocking wait, in a child process, ended by SIGINT (what Ctrl-C sends).
# Nothing else ends them: no timeout, no edge (the gpio-sim line stays put; the
# SoC's own lines never raise an interrupt under QEMU).
WAITS = {
    "wait-high": "pin.wait('high')",
    "wait-rising": "pin.wait('rising')",
    "wait-pulse-high": "pin.wait('pulse-high')",
    "wait_for_edge": "pin.wait_for_edge()",
    "wait_pulse": "pin.wait_pulse(1)",
    "edges": "next(pin.edges())",
    "RPi.GPIO.wait_for_edge": "GPIO.wait_for_edge(23, GPIO.RISING)",
}
CHILD = r'''
import sys, time
import fastgpio
import fastgpio.RPi.GPIO as GPIO
GPIO.setwarnings(False)
chip = fastgpio.Chip(backend="gpiod", gpiochip=sys.argv[1])
pin = chip.pin(1)
GPIO.setmode(GPIO.BCM)
GPIO.setup(23, GPIO.IN)
print("waiting", flush=True)
try:
    {call}
except KeyboardInterrupt:
    print("interrupted", time.monotonic_ns(), flush=True)
    raise SystemExit(0)
print("returned", flush=True)
raise SystemExit(1)
'''


@pytest.mark.parametrize("name", list(WAITS))
def test_ctrl_c_ends_a_blocking_wait(sim, report, name):
    sim.pull(1, 0)
    proc = subprocess.Popen([sys.executable, "-c", CHILD.replace("{call}", WAITS[name]), sim.dev],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "waiting", proc.stderr.read()
        time.sleep(0.5)                 # well inside the wait
        t_kill = time.monotonic_ns()
        os.kill(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, (out, err)
    words = out.split()
    assert words[0] == "interrupted", out
    latency_ms = (int(words[1]) - t_kill) / 1e6
    # the wait ended because of the signal, not long after it (a wait that
    # ignored it would have gone on forever: there is no timeout)
    assert latency_ms < 2000, latency_ms
    report(f"Ctrl-C during {name}: KeyboardInterrupt {latency_ms:.1f} ms after SIGINT")


def test_state_on_the_socs_lines(regs, expected):
    with fastgpio.Chip() as chip:
        pin = chip.pin(24)
        pin.state = None
        assert regs.fsel(24) == 0 and pin.state is None
        pin.state = 1
        assert regs.fsel(24) == 1 and regs.level(24) == 1 and pin.state == 1
        pin.state = 0
        assert regs.fsel(24) == 1 and regs.level(24) == 0 and pin.state == 0
        with pytest.raises(ValueError):
            pin.state = 2
        assert regs.fsel(24) == 1 and regs.level(24) == 0
        pin.state = None
        assert regs.fsel(24) == 0
