"""Host-test fixtures: register files standing in for /dev/mem or /dev/gpiomem,
and directories standing in for /proc/device-tree.

A register file is a sparse regular file that the library maps through the
same mmap path it uses on hardware. Tests read it back with os.pread, never
through the library, so they see exactly the words the library stored.
"""

from __future__ import annotations

import hashlib
import os
import struct
from pathlib import Path
from typing import Dict, Iterable, Optional, Sequence

import pytest


class RegFile:
    """A sparse file standing in for a memory device."""

    def __init__(self, path: Path, size: int) -> None:
        self.path = path
        with open(path, "wb") as f:
            f.truncate(size)

    def __fspath__(self) -> str:
        return str(self.path)

    __str__ = __fspath__

    def peek(self, off: int) -> int:
        fd = os.open(self.path, os.O_RDONLY)
        try:
            return struct.unpack("<I", os.pread(fd, 4, off))[0]
        finally:
            os.close(fd)

    def poke(self, off: int, value: int) -> None:
        fd = os.open(self.path, os.O_RDWR)
        try:
            os.pwrite(fd, struct.pack("<I", value), off)
        finally:
            os.close(fd)

    def fill(self, off: int, length: int, value: int) -> None:
        fd = os.open(self.path, os.O_RDWR)
        try:
            os.pwrite(fd, struct.pack("<I", value) * (length // 4), off)
        finally:
            os.close(fd)

    def digest(self) -> str:
        """Hash of every data extent (offsets and bytes): a byte-for-byte
        'nothing changed' check that stays cheap on a 100 GiB sparse file."""
        h = hashlib.sha256()
        fd = os.open(self.path, os.O_RDONLY)
        try:
            size = os.fstat(fd).st_size
            off = 0
            while off < size:
                try:
                    start = os.lseek(fd, off, os.SEEK_DATA)
                except OSError:
                    break
                end = os.lseek(fd, start, os.SEEK_HOLE)
                pos = start
                while pos < end:
                    chunk = os.pread(fd, min(1 << 20, end - pos), pos)
                    # Zero pages count as holes: a write of zeros is not a change.
                    if chunk.strip(b"\0"):
                        h.update(struct.pack("<Q", pos))
                        h.update(chunk)
                    pos += len(chunk)
                off = end
        finally:
            os.close(fd)
        return h.hexdigest()


def _cells(values: Sequence[int]) -> bytes:
    return b"".join(struct.pack(">I", v) for v in values)


class DeviceTree:
    """A directory laid out like /proc/device-tree."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def __fspath__(self) -> str:
        return str(self.root)

    __str__ = __fspath__

    def prop(self, name: str, data: bytes) -> "DeviceTree":
        p = self.root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        return self

    def compatible(self, *names: str, node: str = "") -> "DeviceTree":
        return self.prop(f"{node}/compatible".lstrip("/"), b"".join(n.encode() + b"\0" for n in names))

    def cells(self, name: str, *values: int) -> "DeviceTree":
        return self.prop(name, _cells(values))


# Root compatibles and soc/ranges as the boards' real device trees have them
# (Linux arch/arm/boot/dts/broadcom/bcm283*.dtsi, bcm2711.dtsi; the others only
# need their compatible for detection).
BOARDS: Dict[str, dict] = {
    "pi1": dict(compatible=("raspberrypi,model-b-plus", "brcm,bcm2835"),
                root_ac=1, ranges=(0x7E000000, 0x20000000, 0x02000000)),
    "pi2": dict(compatible=("raspberrypi,2-model-b", "brcm,bcm2836"),
                root_ac=1, ranges=(0x7E000000, 0x3F000000, 0x01000000)),
    "pi3": dict(compatible=("raspberrypi,3-model-b", "brcm,bcm2837"),
                root_ac=1, ranges=(0x7E000000, 0x3F000000, 0x01000000, 0x40000000, 0x40000000, 0x00001000)),
    "pi4": dict(compatible=("raspberrypi,4-model-b", "brcm,bcm2711"),
                root_ac=2, ranges=(0x7E000000, 0x0, 0xFE000000, 0x01800000,
                                   0x7C000000, 0x0, 0xFC000000, 0x02000000,
                                   0x40000000, 0x0, 0xFF800000, 0x00800000)),
    "bbb": dict(compatible=("ti,am335x-bone-black", "ti,am335x-bone", "ti,am33xx")),
    "tinker": dict(compatible=("asus,rk3288-tinker", "rockchip,rk3288")),
    "rockpi4": dict(compatible=("radxa,rockpi4b", "radxa,rockpi4", "rockchip,rk3399")),
    "unknown": dict(compatible=("acme,widget-board", "acme,widget9000")),
}


def make_tree(tmp_path: Path, board: str) -> DeviceTree:
    spec = BOARDS[board]
    dt = DeviceTree(tmp_path / f"dt-{board}")
    dt.compatible(*spec["compatible"])
    if "ranges" in spec:
        dt.cells("#address-cells", spec["root_ac"])
        dt.cells("#size-cells", 1)
        dt.cells("soc/#address-cells", 1)
        dt.cells("soc/#size-cells", 1)
        dt.cells("soc/ranges", *spec["ranges"])
    return dt


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
