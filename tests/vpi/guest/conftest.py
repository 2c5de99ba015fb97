# SPDX-License-Identifier: MIT
"""Guest-side pytest configuration: these tests run only inside the emulated Pi.

The rig's init script sets FASTGPIO_VPI to the machine's name; anywhere else (the
host's pytest collects this directory too) every test here is skipped,
reported as skipped, never silently passed. An autouse fixture, not a
collection hook: a hook here would see, and could skip, the host's tests too.
"""
import itertools
import mmap
import os
import struct
import time

import pytest

MACHINE = os.environ.get("FASTGPIO_VPI", "")
EXPECTED = {
    # machine: (soc, peripheral base from soc/ranges, GPIO lines, revision code)
    "raspi0": ("bcm2835", 0x20000000, 54, 0x900093),
    "raspi2b": ("bcm2836", 0x3F000000, 54, 0xA21041),
    "raspi2b-trixie": ("bcm2836", 0x3F000000, 54, 0xA21041),
    "raspi3b": ("bcm2837", 0x3F000000, 54, 0xA02082),
    "raspi4b": ("bcm2711", 0xFE000000, 58, 0xB03115),
    "raspi4b-trixie": ("bcm2711", 0xFE000000, 58, 0xB03115),
}
# gpiozero's model name for each revision code above (its PiBoardInfo.model)
BOARD_MODEL = {"raspi0": "Zero", "raspi2b": "2B", "raspi2b-trixie": "2B", "raspi3b": "3B", "raspi4b": "4B", "raspi4b-trixie": "4B"}


@pytest.fixture(autouse=True)
def _only_on_the_emulated_pi():
    if MACHINE not in EXPECTED:
        pytest.skip(f"needs the emulated Pi (FASTGPIO_VPI={'|'.join(EXPECTED)}, set by tests/vpi/run.sh)")


# A test that hangs (a wait no event ends, a stalled guest) would hold the
# whole machine until the rig's limit (15 min; 45 on raspi0) with nothing on
# the console. Past this many seconds faulthandler prints every thread's
# stack and ends pytest: the machine fails at once, saying where it stood.
TEST_LIMIT_S = 600 if MACHINE == "raspi0" else 300


@pytest.fixture(autouse=True)
def _watchdog():
    import faulthandler
    faulthandler.dump_traceback_later(TEST_LIMIT_S, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture
def machine():
    return MACHINE


@pytest.fixture
def expected():
    return EXPECTED[MACHINE]


@pytest.fixture
def board_model():
    return BOARD_MODEL[MACHINE]


GPIO_OFFSET = 0x200000  # GPIO block inside the peripheral window (BCM2835 ARM Peripherals 6.1)
GPFSEL0, GPLEV0 = 0x00, 0x34


class Regs:
    """The GPIO block mapped independently of fastgpio (plain mmap of /dev/mem)."""

    def __init__(self, base):
        fd = os.open("/dev/mem", os.O_RDWR | os.O_SYNC)
        try:
            self.m = mmap.mmap(fd, 4096, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE,
                               offset=base + GPIO_OFFSET)
        finally:
            os.close(fd)

    def read(self, off):
        return struct.unpack_from("<I", self.m, off)[0]

    def write(self, off, val):
        struct.pack_into("<I", self.m, off, val)

    def level(self, line):
        return (self.read(GPLEV0 + 4 * (line // 32)) >> (line % 32)) & 1

    def fsel(self, line):
        return (self.read(GPFSEL0 + 4 * (line // 10)) >> (3 * (line % 10))) & 7


@pytest.fixture
def regs(expected):
    """The GPIO block through a second, independent /dev/mem mapping: what a
    test checks fastgpio's effects against."""
    r = Regs(expected[1])
    yield r
    r.m.close()


GPIOSIM_CONFIGFS = "/sys/kernel/config/gpio-sim"
# How late the kernel may stamp an edge after the pull write returned. irq_sim
# raises the interrupt through irq_work: an SMP kernel runs it at once (a
# self-IPI), a uniprocessor ARM kernel (the Pi Zero's rpi flavour, HZ=250) only
# at its next timer tick, so there the stamp can be up to one tick later.
# Bound: 10 ms (HZ >= 100).
IRQ_WORK_LAG_NS = 0 if "SMP" in os.uname().version else 10_000_000
_sim_names = itertools.count()


class SimChip:
    """One live gpio-sim chip (one bank), made through configfs.

    ``dev`` (/dev/gpiochipN), ``chip_name`` (gpiochipN), ``label``,
    ``num_lines``, ``dev_name`` (the platform device, gpio-sim.N).
    ``pull(line, 1|0)`` drives an input: the level a consumer reads, and an
    edge event (with the kernel's timestamp) when the line is requested for
    edges. ``value(line)`` is the line's level as the simulator sees it: what
    a consumer drives on an output, the pull on an input."""

    def __init__(self, name, num_lines, label, hogs, names):
        self.name, self.num_lines, self.label = name, num_lines, label
        self._dirs = []                 # created, in order: removed in reverse
        root = os.path.join(GPIOSIM_CONFIGFS, name)
        bank = os.path.join(root, "bank0")
        self._root = root
        try:
            self._mkdir(root)
            self._mkdir(bank)
            _write(os.path.join(bank, "num_lines"), num_lines)
            _write(os.path.join(bank, "label"), label)
            for line in sorted(set(names) | set(hogs)):
                if not 0 <= line < num_lines:
                    raise ValueError(f"line {line} not on a {num_lines}-line sim chip")
                ldir = os.path.join(bank, f"line{line}")
                self._mkdir(ldir)
                if line in names:
                    _write(os.path.join(ldir, "name"), names[line])
                if line in hogs:
                    consumer, direction = hogs[line]
                    self._mkdir(os.path.join(ldir, "hog"))
                    _write(os.path.join(ldir, "hog", "name"), consumer)
                    _write(os.path.join(ldir, "hog", "direction"), direction)
            _write(os.path.join(root, "live"), 1)
            self.chip_name = _read(os.path.join(bank, "chip_name"))
            self.dev_name = _read(os.path.join(root, "dev_name"))
        except BaseException:
            self.close()
            raise
        self.dev = "/dev/" + self.chip_name
        self._sysfs = f"/sys/devices/platform/{self.dev_name}/{self.chip_name}"

    def _mkdir(self, path):
        os.mkdir(path)
        self._dirs.append(path)

    def _line(self, line, attr):
        if not 0 <= line < self.num_lines:
            raise ValueError(f"line {line} not on {self.chip_name} ({self.num_lines} lines)")
        return os.path.join(self._sysfs, f"sim_gpio{line}", attr)

    def pull(self, line, level):
        _write(self._line(line, "pull"), "pull-up" if level else "pull-down")

    def drive(self, line, level):
        """pull(), timed: CLOCK_MONOTONIC ns just before and after (plus
        IRQ_WORK_LAG_NS), the window in which the kernel stamps the edge.
        Edges closer together than the kernel takes to handle one are merged
        (irq_sim coalesces a pending interrupt), and with both edges requested
        the kernel names an edge by reading the level when it handles it:
        tests that count edges wait for each before driving the next."""
        t0 = time.monotonic_ns()
        self.pull(line, level)
        return t0, time.monotonic_ns() + IRQ_WORK_LAG_NS

    def value(self, line):
        return int(_read(self._line(line, "value")))

    def close(self):
        if os.path.exists(os.path.join(self._root, "live")) and _read(os.path.join(self._root, "live")) == "1":
            _write(os.path.join(self._root, "live"), 0)
        while self._dirs:
            os.rmdir(self._dirs.pop())

    def __repr__(self):
        return f"<SimChip {self.name} {getattr(self, 'dev', '?')} lines={self.num_lines}>"


def _write(path, value):
    with open(path, "w") as f:
        f.write(f"{value}\n")


def _read(path):
    with open(path) as f:
        return f.read().strip()


@pytest.fixture
def gpiosim():
    """Factory of live gpio-sim chips (one bank each), removed again at the
    test's end:

        gpiosim(num_lines=8, *, label=None, hog=None, hogs=None, names=None) -> SimChip

    hog=(line, consumer[, direction]): one line the kernel itself holds
    (direction "input" by default, or "output-high"/"output-low");
    hogs={line: (consumer, direction)} for several; names={line: "name"}.

    Skips where the rig did not ship the module (FASTGPIO_VPI_GPIOSIM unset);
    fails where it did but the module is not loaded."""
    if not os.environ.get("FASTGPIO_VPI_GPIOSIM"):
        pytest.skip("needs gpio-sim (the rig's initramfs has no gpio-sim.ko: VPI_GPIOSIM=0?)")
    if not os.path.isdir(GPIOSIM_CONFIGFS):
        pytest.fail(f"the rig shipped gpio-sim.ko but {GPIOSIM_CONFIGFS} is missing: "
                    "the module did not load (see VPI-GPIOSIM on the console)")
    chips = []

    def make(num_lines=8, *, label=None, hog=None, hogs=None, names=None):
        hogs = dict(hogs or {})
        if hog is not None:
            line, consumer, *direction = hog
            hogs[line] = (consumer, direction[0] if direction else "input")
        name = f"vpi{os.getpid()}-{next(_sim_names)}"
        chip = SimChip(name, num_lines, label or name, hogs, dict(names or {}))
        chips.append(chip)
        return chip

    yield make
    for chip in reversed(chips):
        chip.close()


@pytest.fixture
def sim(gpiosim):
    """One live 8-line gpio-sim chip."""
    return gpiosim(num_lines=8)


@pytest.fixture
def simchip(sim):
    """A fastgpio Chip on @sim (gpiod backend)."""
    import fastgpio
    with fastgpio.Chip(backend="gpiod", gpiochip=sim.dev) as c:
        yield c


def pytest_configure(config):
    config.addinivalue_line("markers", "vpi: needs the emulated Raspberry Pi (skipped elsewhere)")


@pytest.fixture
def report(machine):
    """report(text): a 'VPI-MEASURE machine: text' line on the serial console,
    past pytest's capture, for figures a test measured (never asserted)."""
    def emit(text):
        try:
            with open("/dev/console", "w") as con:
                con.write(f"VPI-MEASURE {machine} libgpiod{os.environ.get('FASTGPIO_VPI_LIBGPIOD', '1')}: {text}\n")
        except OSError:
            pass
    return emit
