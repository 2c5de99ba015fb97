"""Edge events against a real kernel (issue 4): the emulated Pi's kernel
with the gpio-sim module (built out of tree by the rig; QEMU's GPIO model
raises no interrupts and cannot drive inputs). A test drives an input line
through gpio-sim's sysfs 'pull' attribute and fastgpio receives the kernel's
events. The rig runs this file twice: fastgpio built against libgpiod 1.6
(bookworm; software debounce) and 2.x (backports; kernel debounce).

On the SoC's own chip (mmap backend) QEMU raises no edge interrupts, so there
the test checks what can be seen: the kernel programs the BCM283x
edge-detect registers for a watched line, and a line another process holds
is refused unless force=True."""
import asyncio
import os
import subprocess
import threading
import time

import pytest

pytestmark = pytest.mark.vpi

fastgpio = pytest.importorskip("fastgpio")
from fastgpio import Edge  # noqa: E402

GPREN0, GPFEN0 = 0x4C, 0x58     # rising / falling edge detect enable (BCM2835 ARM Peripherals 6.1)


@pytest.fixture
def sim(gpiosim):
    return gpiosim(num_lines=8)


@pytest.fixture
def simchip(sim):
    with fastgpio.Chip(backend="gpiod", gpiochip=sim.dev) as c:
        yield c


def drive(sim, line, level):
    """Drives the sim line; returns CLOCK_MONOTONIC ns just before and after."""
    t0 = time.monotonic_ns()
    sim.pull(line, level)
    return t0, time.monotonic_ns()


def test_rising_and_falling_events_with_kernel_timestamps(sim, simchip):
    pin = simchip.pin(3)
    pin.watch("both")
    assert pin.value == 0
    a0, a1 = drive(sim, 3, 1)
    up = pin.wait_for_edge(timeout=5)
    b0, b1 = drive(sim, 3, 0)
    down = pin.wait_for_edge(timeout=5)
    assert up is not None and down is not None
    assert (up.edge, down.edge) == (Edge.RISING, Edge.FALLING)
    assert (up.line, up.seqno, down.seqno) == (3, 1, 2)
    # The kernel stamped each edge while the pull was being written, on our clock.
    assert a0 <= up.timestamp_ns <= a1, (a0, up.timestamp_ns, a1)
    assert b0 <= down.timestamp_ns <= b1
    assert pin.value == 0
    assert pin.wait_for_edge(timeout=0.2) is None


def test_edge_filter_and_iterator(sim, simchip):
    pin = simchip.pin(1)
    pin.watch("rising")
    for level in (1, 0, 1, 0):
        drive(sim, 1, level)
    got = [e.edge for e in pin.edges(timeout=0.5)]
    assert got == [Edge.RISING, Edge.RISING]
    pin.watch("falling")
    drive(sim, 1, 1)
    drive(sim, 1, 0)
    assert [e.edge for e in pin.edges("falling", timeout=0.5)] == [Edge.FALLING]


@pytest.mark.parametrize("level", [1, 0])
def test_pulse_width_within_ten_percent(sim, simchip, level):
    width = 0.2
    pin = simchip.pin(2)
    sim.pull(2, 1 - level)
    pin.watch("both")
    driven = {}

    def driver():
        time.sleep(0.3)             # after wait_pulse has flushed and blocks
        driven["start"] = drive(sim, 2, level)[1]
        time.sleep(width)
        driven["end"] = drive(sim, 2, 1 - level)[0]

    t = threading.Thread(target=driver)
    t.start()
    measured = pin.wait_pulse(level, timeout=10)
    t.join()
    assert measured is not None
    actual = (driven["end"] - driven["start"]) / 1e9
    print(f"pulse at {level}: driven {width} s (writes {actual:.4f} s apart), measured {measured:.4f} s")
    assert abs(measured - width) <= 0.10 * width
    assert abs(measured - actual) <= 0.10 * actual


def test_callback_runs_on_the_background_thread(sim, simchip):
    pin = simchip.pin(4)
    got, done = [], threading.Event()

    def cb(ev):
        got.append((ev.edge, ev.seqno, threading.current_thread().name))
        if len(got) == 2:
            done.set()

    pin.add_callback(cb, "both")
    drive(sim, 4, 1)
    drive(sim, 4, 0)
    assert done.wait(10), got
    assert got == [(Edge.RISING, 1, "fastgpio-edges"), (Edge.FALLING, 2, "fastgpio-edges")]
    pin.remove_callback(cb)
    assert not pin.watching


def test_awaited_edge(sim, simchip):
    pin = simchip.pin(5)

    async def main():
        loop = asyncio.get_running_loop()
        pin.watch("rising")
        loop.call_later(0.2, sim.pull, 5, 1)
        return await asyncio.wait_for(pin.edge("rising"), 10)

    ev = asyncio.run(main())
    assert ev.edge == Edge.RISING and ev.line == 5


def test_debounce_reports_one_edge_per_settled_change(sim, simchip):
    pin = simchip.pin(6)
    pin.watch("both", debounce=0.08)
    for level in (1, 0, 1, 0, 1):   # a bouncing switch: writes ~1 ms apart, settles high
        sim.pull(6, level)
    time.sleep(0.4)
    sim.pull(6, 0)
    sim.pull(6, 1)                  # a glitch shorter than the period: no event
    time.sleep(0.4)
    sim.pull(6, 0)                  # settles low
    got = [e.edge for e in pin.edges(timeout=1.0)]
    assert got == [Edge.RISING, Edge.FALLING], got


def test_close_wakes_a_waiting_thread(sim):
    chip = fastgpio.Chip(backend="gpiod", gpiochip=sim.dev)
    pin = chip.pin(7)
    pin.watch()
    result = {}

    def waiter():
        try:
            result["ev"] = pin.wait_for_edge()      # forever
        except fastgpio.ChipClosedError as e:
            result["exc"] = e

    t = threading.Thread(target=waiter)
    t.start()
    time.sleep(0.3)
    chip.close()
    t.join(10)
    assert not t.is_alive() and "exc" in result, result


def test_watch_refuses_a_line_held_by_the_kernel(gpiosim):
    sim = gpiosim(num_lines=4, hog=(2, "sim-hog"))
    with fastgpio.Chip(backend="gpiod", gpiochip=sim.dev) as c:
        with pytest.raises(fastgpio.LineBusyError, match="sim-hog"):
            c.pin(2).watch()
        c.pin(1).watch()            # the others are free


# --- the SoC's chip: mmap backend, events through the character device -------------

def test_mmap_watch_programs_the_edge_detect_registers(regs):
    with fastgpio.Chip() as chip:
        assert chip.info.backend == "devmem"
        pin = chip.pin(22)
        before = regs.read(GPREN0), regs.read(GPFEN0)
        pin.watch("rising")
        assert regs.read(GPREN0) >> 22 & 1 == 1 and regs.read(GPFEN0) >> 22 & 1 == 0
        assert regs.fsel(22) == 0   # the kernel made it an input
        pin.watch("both")
        assert regs.read(GPREN0) >> 22 & 1 == 1 and regs.read(GPFEN0) >> 22 & 1 == 1
        assert pin.wait_for_edge(timeout=0.1) is None
        pin.unwatch()
        assert (regs.read(GPREN0), regs.read(GPFEN0)) == before
        # Writes never went through the character device: mmap still drives it.
        pin.function = "out"
        pin.on()
        assert regs.level(22) == 1
        pin.off()
        pin.function = "in"


def test_mmap_pin_refuses_a_line_another_process_holds(regs):
    v2 = b"v2." in subprocess.run(["gpioinfo", "--version"], capture_output=True).stdout
    argv = ["gpiomon", "-c", "gpiochip0", "23"] if v2 else ["gpiomon", "gpiochip0", "23"]
    holder = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    try:
        with fastgpio.Chip() as chip:
            for _ in range(100):
                if chip.owner(23) is not None:
                    break
                time.sleep(0.05)
            assert chip.owner(23) == "gpiomon"
            assert chip.owner(24) is None
            with pytest.raises(fastgpio.LineBusyError, match="gpiomon.*force=True"):
                chip.pin(23)
            with pytest.raises(fastgpio.LineBusyError):   # the kernel refuses a second request
                chip.pin(23, force=True).watch()
            pin = chip.pin(23, "out", value=1, force=True)
            assert regs.level(23) == 1
            pin.off()
            pin.function = "in"
    finally:
        holder.terminate()
        holder.wait(10)
