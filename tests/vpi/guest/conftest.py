"""Guest-side pytest configuration: these tests run only inside the emulated Pi.

The rig's init script sets FASTGPIO_VPI=raspi3b|raspi4b; anywhere else every
test here is skipped (reported as skipped, never silently passed).
"""
import os

import pytest

MACHINE = os.environ.get("FASTGPIO_VPI", "")
EXPECTED = {
    # machine: (soc, peripheral base from soc/ranges, GPIO lines, revision code)
    "raspi3b": ("bcm2837", 0x3F000000, 54, 0xA02082),
    "raspi4b": ("bcm2711", 0xFE000000, 58, 0xB03115),
}


def pytest_collection_modifyitems(config, items):
    if MACHINE in EXPECTED:
        return
    skip = pytest.mark.skip(reason="needs the emulated Pi (FASTGPIO_VPI=raspi3b|raspi4b, set by tests/vpi/run.sh)")
    for item in items:
        item.add_marker(skip)


@pytest.fixture
def machine():
    return MACHINE


@pytest.fixture
def expected():
    return EXPECTED[MACHINE]
