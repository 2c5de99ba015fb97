# SPDX-License-Identifier: MIT
"""Host-test fixtures: register files standing in for /dev/mem or /dev/gpiomem,
and directories standing in for /proc/device-tree.

A register file is a sparse regular file that the library maps through the
same mmap path it uses on hardware. Tests read it back with os.pread, never
through the library, so they see exactly the words the library stored.
"""

from __future__ import annotations

import os
from typing import Optional

import pytest

import fastgpio
from helpers import LAYOUTS, RegFile, DeviceTree, make_tree  # noqa: F401  (re-exported)


@pytest.fixture
def regfile(tmp_path):
    counter = iter(range(1000))

    def make(size: int, name: Optional[str] = None) -> RegFile:
        return RegFile(tmp_path / (name or f"regs{next(counter)}.bin"), size)

    return make


@pytest.fixture
def devtree(tmp_path):
    def make(board: str) -> DeviceTree:
        return make_tree(tmp_path, board)

    return make


@pytest.fixture
def no_dt(tmp_path) -> str:
    return str(tmp_path / "no-device-tree")


# --- generated-input properties (tests/test_properties.py) ------------------------------

def pytest_addoption(parser):
    parser.addoption("--props-scale", action="store", default=None, metavar="N",
                     help="multiply the example budget of tests/test_properties.py by N "
                          "(default 1, or FASTGPIO_PROPS_SCALE)")


def pytest_configure(config):
    scale = config.getoption("--props-scale")
    if scale is not None:
        os.environ["FASTGPIO_PROPS_SCALE"] = str(scale)
    try:
        from hypothesis import HealthCheck, settings
    except ImportError:  # test_properties.py skips itself
        return
    # A fixed seed and no example database: every run draws the same cases.
    # FASTGPIO_PROPS_SHRINK=0 reports failures unshrunk (faster when many fail).
    from hypothesis import Phase
    phases = [p for p in Phase if os.environ.get("FASTGPIO_PROPS_SHRINK", "1") != "0" or p != Phase.shrink]
    settings.register_profile("fastgpio", derandomize=True, deadline=None, database=None,
                              print_blob=False, suppress_health_check=list(HealthCheck), phases=phases)
    settings.load_profile("fastgpio")


def pytest_terminal_summary(terminalreporter):
    import sys
    kit = sys.modules.get("propkit")
    if kit is None or not kit.STATS["examples"]:
        return
    s = kit.STATS
    tr = terminalreporter
    tr.section("generated inputs (tests/test_properties.py)")
    tr.write_line(f"cases run: {s['examples']}  valid calls: {s['valid']}  refusals: {s['refusals']}  "
                  f"(contract-ambiguous: {s['ambiguous']})  writes on refusal: {s['writes_on_refusal']}  "
                  f"scale: {os.environ.get('FASTGPIO_PROPS_SCALE', '1')}")
    for name, per in sorted(s["tests"].items()):
        tr.write_line(f"  {name:18s} {per['examples']:6d} cases, {per['valid']:6d} valid, "
                      f"{per['refusals']:6d} refused")


@pytest.fixture(params=sorted(LAYOUTS))
def any_chip(request, regfile, no_dt):
    soc = request.param
    backend, size, pages, foreign = LAYOUTS[soc]
    f = regfile(size)
    for i, page in enumerate(pages):
        f.fill(page, 0x400, 0x5A5A5A5A ^ i)
    chip = fastgpio.Chip(soc, dt_root=no_dt, **{backend: f})
    yield chip, f, foreign
    chip.close()
