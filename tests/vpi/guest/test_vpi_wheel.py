# SPDX-License-Identifier: MIT
"""The fastgpio the guest runs is the wheel the project publishes (wheels.sh):
tagged manylinux for aarch64, and its extension asks for no glibc symbol newer
than 2.31's, the glibc of Raspberry Pi OS bullseye."""
import importlib
import importlib.metadata
import re

import pytest

pytestmark = pytest.mark.vpi

fastgpio = pytest.importorskip("fastgpio")


def test_installed_wheel_is_manylinux():
    wheel = importlib.metadata.distribution("fastgpio").read_text("WHEEL") or ""
    tags = [line.split(":", 1)[1].strip() for line in wheel.splitlines() if line.startswith("Tag:")]
    assert tags, wheel
    assert all(re.fullmatch(r"cp311-cp311-manylinux\w*_aarch64", t) for t in tags), tags


def test_extension_needs_glibc_2_31_at_most():
    # The version names the extension's symbols ask for are strings of its
    # .dynstr (GLIBC_2.17, ...): the newest one is the glibc it needs.
    core = importlib.import_module("fastgpio._core")
    with open(core.__file__, "rb") as f:
        data = f.read()
    versions = {(int(a), int(b)) for a, b in re.findall(rb"GLIBC_(\d+)\.(\d+)", data)}
    assert versions, core.__file__
    assert max(versions) <= (2, 31), sorted(versions)
