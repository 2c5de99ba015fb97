# SPDX-License-Identifier: MIT
"""The guest itself: the right emulated board, the kernel facilities the other tests use."""
import os
import pathlib

import pytest

pytestmark = pytest.mark.vpi

DT = pathlib.Path("/proc/device-tree")


def test_device_tree_compatible(expected):
    compat = (DT / "compatible").read_bytes().split(b"\0")
    assert b"brcm," + expected[0].encode() in compat


def test_revision_code_as_firmware_sets_it(expected):
    rev = int.from_bytes((DT / "system" / "linux,revision").read_bytes(), "big")
    assert rev == expected[3]


def test_devmem_present_and_relaxed():
    assert os.path.exists("/dev/mem")
    assert "iomem=relaxed" in pathlib.Path("/proc/cmdline").read_text()


def test_gpiochip_registered():
    chips = [p.name for p in pathlib.Path("/sys/bus/gpio/devices").iterdir()]
    assert any(c.startswith("gpiochip") for c in chips)
