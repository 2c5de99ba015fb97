"""Guest-side pytest configuration: these tests run only inside the emulated Pi.

The rig's init script sets FASTGPIO_VPI=raspi3b|raspi4b; anywhere else (the
host's pytest collects this directory too) every test here is skipped,
reported as skipped, never silently passed. An autouse fixture, not a
collection hook: a hook here would see, and could skip, the host's tests too.
"""
import mmap
import os
import struct

import pytest

MACHINE = os.environ.get("FASTGPIO_VPI", "")
EXPECTED = {
    # machine: (soc, peripheral base from soc/ranges, GPIO lines, revision code)
    "raspi3b": ("bcm2837", 0x3F000000, 54, 0xA02082),
    "raspi4b": ("bcm2711", 0xFE000000, 58, 0xB03115),
}


@pytest.fixture(autouse=True)
def _only_on_the_emulated_pi():
    if MACHINE not in EXPECTED:
        pytest.skip("needs the emulated Pi (FASTGPIO_VPI=raspi3b|raspi4b, set by tests/vpi/run.sh)")


@pytest.fixture
def machine():
    return MACHINE


@pytest.fixture
def expected():
    return EXPECTED[MACHINE]


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


def pytest_configure(config):
    config.addinivalue_line("markers", "vpi: needs the emulated Raspberry Pi (skipped elsewhere)")
