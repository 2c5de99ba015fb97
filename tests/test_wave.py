"""Chip.wave and Chip.bank_sample in register-file mode: every buffer type,
the exact words a wave leaves, refusals that write nothing, the GIL released
during a run, and close() refused while a run is in progress."""

from __future__ import annotations

import struct
import threading
import time
from array import array

import pytest

import fastgpio

GPIO_2711 = 0xFE200000
GPSET0, GPCLR0, GPLEV0 = 0x1C, 0x28, 0x34


@pytest.fixture
def pi4(regfile, no_dt):
    f = regfile(GPIO_2711 + 0x1000)
    with fastgpio.Chip("bcm2711", devmem=f, dt_root=no_dt) as chip:
        yield chip, f, GPIO_2711


def _records(*steps):
    return b"".join(struct.pack("<III", *s) for s in steps)


STEPS = [(1 << 17, 0, 0), (0, 1 << 17, 0), (1 << 4, 1 << 5, 0), (0, 0, 0)]


def _check_words(f, g, bank=0):
    assert f.peek(g + GPSET0 + 4 * bank) == 1 << 4
    assert f.peek(g + GPCLR0 + 4 * bank) == 1 << 5


@pytest.mark.parametrize("kind", ["bytes", "bytearray", "array", "memoryview", "list", "tuple-gen"])
def test_buffer_types_exact_words(pi4, kind):
    chip, f, g = pi4
    raw = _records(*STEPS)
    steps = {
        "bytes": lambda: raw,
        "bytearray": lambda: bytearray(raw),
        "array": lambda: array("I", [w for s in STEPS for w in s]),
        "memoryview": lambda: memoryview(raw),
        "list": lambda: list(STEPS),
        "tuple-gen": lambda: (s for s in STEPS),
    }[kind]()
    stats = chip.wave(0, steps, repeat=3)
    _check_words(f, g)
    assert stats.steps == 12
    assert stats.timed_edges == 0
    assert f.peek(g + GPLEV0) == 0  # the level register is never written


def test_numpy_n_by_3(pi4):
    np = pytest.importorskip("numpy")
    chip, f, g = pi4
    a = np.array(STEPS, dtype=np.uint32)
    assert a.shape == (4, 3)
    chip.wave(0, a)
    _check_words(f, g)
    # A non-contiguous view and a wrong dtype are refused before anything is written.
    f.poke(g + GPSET0, 0)
    before = f.digest()
    with pytest.raises((BufferError, TypeError, ValueError)):
        chip.wave(0, np.asfortranarray(np.array(STEPS * 2, dtype=np.uint32))[::2])
    with pytest.raises(TypeError, match="uint32"):
        chip.wave(0, a.astype(np.int64))
    assert f.digest() == before


def test_misaligned_memoryview_is_copied(pi4):
    chip, f, g = pi4
    raw = b"\0" + _records(*STEPS)
    chip.wave(0, memoryview(raw)[1:])
    _check_words(f, g)


def test_second_bank(pi4):
    chip, f, g = pi4
    chip.wave(1, [(1 << 25, 0, 0), (0, 1 << 3, 0)])
    assert f.peek(g + GPSET0 + 4) == 1 << 25
    assert f.peek(g + GPCLR0 + 4) == 1 << 3


def test_refusals_write_nothing(pi4):
    chip, f, g = pi4
    f.fill(g, 0x100, 0x5A5A5A5A)
    before = f.digest()
    good = (1, 0, 0)
    with pytest.raises(ValueError, match="step 2"):
        chip.wave(1, [good, good, (1 << 26, 0, 0)])  # bank 1 of BCM2711 has 26 lines
    with pytest.raises(ValueError, match="both"):
        chip.wave(0, [good, (3, 1, 0)])
    with pytest.raises(ValueError, match="12-byte"):
        chip.wave(0, b"\0" * 13)
    with pytest.raises(ValueError):
        chip.wave(2, [good])
    with pytest.raises(ValueError):
        chip.wave(0, [good], repeat=-1)
    with pytest.raises(ValueError):
        chip.wave(0, [good], fifo_priority=0)
    with pytest.raises(ValueError):
        chip.wave(0, [good], cpu=-1)
    with pytest.raises(TypeError):
        chip.wave(0, [good], cpu="0")
    with pytest.raises(ValueError, match="not"):
        chip.wave(0, [(1, 2)])
    with pytest.raises(ValueError):
        chip.bank_sample(2, 4)
    with pytest.raises(BufferError):
        chip.bank_sample_into(0, b"\0" * 8)  # read-only
    assert chip.wave(0, [good], repeat=0).steps == 0
    assert chip.wave(0, b"").steps == 0
    assert f.digest() == before


def test_schedule_and_stats(pi4):
    chip, f, g = pi4
    stats = chip.wave(0, [(1, 0, 2000), (0, 1, 0), (2, 0, 20000)], repeat=5)
    assert stats.steps == 15
    assert stats.timed_edges == 9  # two per pass, none after the very last step
    assert stats.elapsed_ns >= 5 * 22000  # absolute deadlines: never early
    assert stats.late_p50_ns <= stats.late_p99_ns <= stats.late_max_ns
    assert not stats.readback
    assert stats.steps_per_second > 0


def test_no_catch_up(pi4):
    chip, f, g = pi4
    stats = chip.wave(0, [(1, 0, 5000), (0, 1, 5000)], repeat=10, catch_up=False)
    assert stats.steps == 20 and stats.timed_edges == 19
    assert stats.elapsed_ns >= 20 * 5000


def test_options_reported(pi4):
    chip, f, g = pi4
    import os

    cpu = sorted(os.sched_getaffinity(0))[0]
    before = os.sched_getaffinity(0)
    stats = chip.wave(0, [(1, 0, 1000), (0, 1, 1000)], repeat=10, cpu=cpu, fifo_priority=5)
    assert stats.cpu_pinned and stats.cpu == cpu
    assert stats.fifo_applied in (True, False)  # refused without CAP_SYS_NICE: reported, not raised
    assert os.sched_getaffinity(0) == before
    assert os.sched_getscheduler(0) == os.SCHED_OTHER


def test_bank_sample(pi4):
    chip, f, g = pi4
    f.poke(g + GPLEV0 + 4, 0xFFFFFFFF)
    values, ns = chip.bank_sample(1, 100)
    assert isinstance(values, array) and values.typecode == "I" and len(values) == 100
    assert set(values) == {(1 << 26) - 1}  # bits beyond the bank's 26 lines read 0
    assert ns >= 0
    buf = bytearray(16)
    chip.bank_sample_into(1, buf)
    assert struct.unpack("<4I", buf) == ((1 << 26) - 1,) * 4
    assert chip.bank_sample(0, 0).values == array("I")


def test_gil_released_during_wave(pi4):
    """Another Python thread runs while a 400 ms wave plays: its timestamps
    (taken holding the GIL) fall inside the wave's middle."""
    chip, f, g = pi4
    stamps = []
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            stamps.append(time.monotonic_ns())
            time.sleep(0.001)

    t = threading.Thread(target=spin)
    t.start()
    try:
        t0 = time.monotonic_ns()
        stats = chip.wave(0, [(1, 0, 1_000_000), (0, 1, 1_000_000)], repeat=200)
        t1 = time.monotonic_ns()
    finally:
        stop.set()
        t.join()
    assert stats.elapsed_ns >= 400_000_000
    lo, hi = t0 + 100_000_000, t1 - 100_000_000
    assert any(lo <= s <= hi for s in stamps)


def test_close_refused_while_wave_runs(pi4):
    chip, f, g = pi4
    started = threading.Event()
    result = []

    def run():
        started.set()
        result.append(chip.wave(0, [(1, 0, 1_000_000), (0, 1, 1_000_000)], repeat=500))

    t = threading.Thread(target=run)
    t.start()
    started.wait()
    time.sleep(0.2)
    try:
        with pytest.raises(RuntimeError, match="another thread"):
            chip.close()
        assert not chip.closed
    finally:
        t.join()
    assert result[0].steps == 1000
    chip.close()
    assert chip.closed
    with pytest.raises(fastgpio.ChipClosedError):
        chip.wave(0, [(1, 0, 0)])


def test_other_families(regfile, no_dt):
    """RK3288 (read-modify-write under the lock) and RP1 (read-back) from Python."""
    f = regfile(0xFF800000)
    with fastgpio.Chip("rk3288", devmem=f, dt_root=no_dt) as chip:
        f.poke(0xFF7C0000, 0x100)  # GPIO5 DR
        chip.wave(5, [(0x80000001, 0, 0), (0, 0x80000000, 0)])
        assert f.peek(0xFF7C0000) == 0x101
    f = regfile(0x30000)
    with fastgpio.Chip("rp1", gpiomem=f, dt_root=no_dt) as chip:
        stats = chip.wave(0, [(1 << 27, 0, 1000), (0, 1 << 27, 1000)], repeat=2)
        assert stats.readback and stats.timed_edges == 3
        assert f.peek(0x10000 + 0x2000) == 1 << 27
        assert f.peek(0x10000 + 0x3000) == 1 << 27
