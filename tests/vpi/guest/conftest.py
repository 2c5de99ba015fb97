"""Guest-side pytest configuration: these tests run only inside the emulated Pi.

The rig's init script sets FASTGPIO_VPI=raspi3b|raspi4b; anywhere else (the
host's pytest collects this directory too) every test here is skipped,
reported as skipped, never silently passed. An autouse fixture, not a
collection hook: a hook here would see, and could skip, the host's tests too.
"""
import os

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


def pytest_configure(config):
    config.addinivalue_line("markers", "vpi: needs the emulated Raspberry Pi (skipped elsewhere)")
