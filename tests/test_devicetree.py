# SPDX-License-Identifier: MIT
"""Device trees that exist but cannot be read, do not add up or contradict
themselves: fastgpio.Chip() refuses them with UnsupportedSoCError before
anything is mapped, and the register file stays byte-for-byte the same.

The C side (tests/c/test_detect.c) covers the same refusals property by
property plus a generated set of trees; these tests hold the Python layer to
the same promise.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import fastgpio
from fastgpio import UnsupportedSoCError

from helpers import DeviceTree, RegFile, make_tree

PI4_GPIO = 0xFE200000
PI4_SIZE = 0xFE201000  # sparse: covers the Pi 4's GPIO block at its physical address


def pi4_tree(tmp_path: Path, name: str = "pi4") -> DeviceTree:
    """The conftest Pi 4 tree with the model, revision and GPIO node a real one has."""
    dt = make_tree(tmp_path / name, "pi4")
    dt.prop("model", b"Raspberry Pi 4 Model B Rev 1.4\0")
    dt.cells("system/linux,revision", 0x00C03114)
    dt.cells("soc/gpio@7e200000/reg", 0x7E200000, 0xB4)
    return dt


def mapped(path: os.PathLike) -> bool:
    with open("/proc/self/maps") as f:
        return os.fspath(path) in f.read()


def assert_refused(dt, regs: RegFile, match: str | None = None, **kw) -> UnsupportedSoCError:
    before = regs.digest()
    with pytest.raises(UnsupportedSoCError, match=match) as e:
        fastgpio.Chip(dt_root=str(dt), devmem=str(regs), **kw)
    assert regs.digest() == before
    assert not mapped(regs)
    return e.value


def make_unreadable(dt: DeviceTree, prop: str, kind: str) -> None:
    p = Path(dt.root) / prop
    p.parent.mkdir(parents=True, exist_ok=True)
    if p.exists() or p.is_symlink():
        p.unlink()
    if kind == "oversized":
        p.write_bytes(b"brcm,bcm2711\0")
        os.truncate(p, 1 << 20)
    elif kind == "directory":
        p.mkdir()
    elif kind == "fifo":
        os.mkfifo(p)
    elif kind == "socket":
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(p))
        s.close()
    elif kind == "dangling-symlink":
        p.symlink_to("no-such-target")
    else:
        raise AssertionError(kind)


def test_pi4_tree_opens(tmp_path, regfile):
    regs = regfile(PI4_SIZE)
    with fastgpio.Chip(dt_root=str(pi4_tree(tmp_path)), devmem=str(regs)) as chip:
        assert chip.info.soc == "bcm2711"
        assert chip.info.base == 0xFE000000
        chip.set(17)
    assert regs.peek(PI4_GPIO + 0x1C) == 1 << 17


PROPS = ["compatible", "model", "system/linux,revision", "#address-cells", "soc/#address-cells",
         "soc/#size-cells", "soc/ranges", "soc/gpio@7e200000/reg"]
KINDS = ["oversized", "directory", "socket", "dangling-symlink"]  # FIFOs: in a subprocess below


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("prop", PROPS)
def test_unreadable_property_refused(tmp_path, regfile, prop, kind):
    dt = pi4_tree(tmp_path)
    make_unreadable(dt, prop, kind)
    e = assert_refused(dt, regfile(PI4_SIZE))
    assert prop in str(e)


@pytest.mark.parametrize("kind", KINDS)
def test_unreadable_compatible_is_not_no_tree(tmp_path, kind):
    """An explicit SoC stands on its own only where there is no tree at all."""
    dt = pi4_tree(tmp_path)
    make_unreadable(dt, "compatible", kind)
    with pytest.raises(UnsupportedSoCError, match="refusing"):
        fastgpio.Chip("bcm2711", gpiomem="/dev/zero", dt_root=str(dt))
    # The same with no tree at all is the caller's choice, as before.
    with fastgpio.Chip("bcm2711", gpiomem="/dev/zero", dt_root=str(tmp_path / "none")):
        pass


def test_root_without_compatible_refused(tmp_path, regfile):
    dt = DeviceTree(tmp_path / "empty")
    assert_refused(dt, regfile(PI4_SIZE), match="no compatible")


_FIFO_CHILD = r"""
import json, sys, fastgpio
try:
    fastgpio.Chip(dt_root=sys.argv[1], **json.loads(sys.argv[2]))
except fastgpio.UnsupportedSoCError as e:
    print("refused:", e)
    sys.exit(0)
sys.exit(1)
"""


@pytest.mark.parametrize("prop", ["compatible", "model", "system/linux,revision", "soc/ranges"])
def test_fifo_property_refused_without_blocking(tmp_path, regfile, prop):
    """A plain open() of a FIFO blocks until a writer comes: bounded by a subprocess timeout.
    Detection (no SoC given), an explicit SoC on a character device (the tree must agree) and
    an explicit SoC on a register file (the base comes from the ranges) all refuse."""
    dt = pi4_tree(tmp_path)
    make_unreadable(dt, prop, "fifo")
    regs = regfile(PI4_SIZE)
    before = regs.digest()
    ways = [dict(devmem=str(regs))]
    if prop == "soc/ranges":
        ways.append(dict(soc="bcm2711", devmem=str(regs)))
    else:
        ways.append(dict(soc="bcm2711", gpiomem="/dev/zero"))
    for kw in ways:
        r = subprocess.run([sys.executable, "-c", _FIFO_CHILD, str(dt), json.dumps(kw)],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, (kw, r.stdout + r.stderr)
        assert prop in r.stdout and "FIFO" in r.stdout
    assert regs.digest() == before


_NOACCESS_CHILD = r"""
import os, sys, fastgpio
if os.geteuid() == 0:
    os.setgid(65534)
    os.setuid(65534)
for kw in (dict(devmem=sys.argv[2]), dict(soc="bcm2711", gpiomem="/dev/zero")):
    try:
        fastgpio.Chip(dt_root=sys.argv[1], **kw).close()
    except fastgpio.UnsupportedSoCError as e:
        assert "Permission denied" in str(e), e
        continue
    sys.exit(1)
print("refused")
"""


def test_unreadable_compatible_eacces_refused():
    """EACCES: root reads mode-000 files, so the child gives up root first."""
    with tempfile.TemporaryDirectory() as d:
        os.chmod(d, 0o755)
        dt = pi4_tree(Path(d))
        (Path(d) / "pi4" / "dt-pi4").chmod(0o755)
        comp = Path(str(dt)) / "compatible"
        comp.chmod(0)
        regs = RegFile(Path(d) / "regs.bin", PI4_SIZE)
        os.chmod(regs.path, 0o666)
        before = regs.digest()
        r = subprocess.run([sys.executable, "-c", _NOACCESS_CHILD, str(dt), str(regs)],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stdout + r.stderr
        assert regs.digest() == before


def test_ranges_wrapping_refused(tmp_path, regfile):
    """Parent 0xffffffff_ffff0000 + 0x2000000 must not wrap to physical 0x1ff0000."""
    dt = pi4_tree(tmp_path)
    dt.cells("soc/ranges", 0x7C000000, 0xFFFFFFFF, 0xFFFF0000, 0x04000000)
    assert_refused(dt, regfile(PI4_SIZE), match="overflows")


def test_pi4_with_one_root_address_cell_refused(tmp_path, regfile):
    """Root #address-cells 1 instead of 2: the ranges give base 0 (GPIO 'found' at 0x200000)."""
    dt = pi4_tree(tmp_path)
    dt.cells("#address-cells", 1)
    assert_refused(dt, regfile(PI4_SIZE), match="knows only")


def test_untabled_base_refused(tmp_path, regfile):
    dt = pi4_tree(tmp_path)
    dt.cells("soc/ranges", 0x7E000000, 0x0, 0xFD000000, 0x01800000)
    assert_refused(dt, regfile(PI4_SIZE), match="0xfd000000")


def test_high_peripheral_base_opens(tmp_path, regfile):
    """The highperi overlay's ranges: the table knows 0x4_7e000000 too."""
    dt = pi4_tree(tmp_path)
    dt.cells("soc/ranges", 0x7C000000, 0x4, 0x7C000000, 0x04000000)
    regs = regfile(0x47E201000)
    with fastgpio.Chip(dt_root=str(dt), devmem=str(regs)) as chip:
        assert chip.info.base == 0x47E000000
        chip.set(17)
    assert regs.peek(0x47E200000 + 0x1C) == 1 << 17


def test_gpio_node_reg_disagreeing_refused(tmp_path, regfile):
    dt = pi4_tree(tmp_path)
    dt.cells("soc/gpio@7e200000/reg", 0x7E300000, 0xB4)
    assert_refused(dt, regfile(PI4_SIZE), match="gpio@7e200000/reg")


def test_malformed_ranges_refused_for_register_files_too(tmp_path, regfile):
    dt = pi4_tree(tmp_path)
    dt.prop("soc/ranges", b"\x7e\0\0\0\0")
    assert_refused(dt, regfile(PI4_SIZE))


@pytest.mark.parametrize("board,model", [
    ("bbb", "Rockchip RK3288 Asus Tinker Board"),
    ("pi3", "Raspberry Pi 4 Model B Rev 1.4"),
    ("pi4", "Raspberry Pi 5 Model B Rev 1.0"),
    ("tinker", "TI AM335x BeagleBone Black"),
    ("pi1", "Raspberry Pi Compute Module 4 Rev 1.0"),
])
def test_model_contradicting_compatible_refused(tmp_path, regfile, board, model):
    dt = make_tree(tmp_path, board)
    dt.prop("model", model.encode() + b"\0")
    assert_refused(dt, regfile(PI4_SIZE), match="contradicts")


@pytest.mark.parametrize("board,model", [
    ("pi3", "Raspberry Pi 3 Model B Plus Rev 1.3"),
    ("pi2", "Raspberry Pi 2 Model B Rev 1.1"),
    ("pi4", "Raspberry Pi 4 Model B Rev 1.4"),
    ("pi4", "Acme Industrial Controller"),
])
def test_model_agreeing_or_silent_accepted(tmp_path, regfile, board, model):
    dt = make_tree(tmp_path, board)
    dt.prop("model", model.encode() + b"\0")
    with fastgpio.Chip(dt_root=str(dt), devmem=str(regfile(PI4_SIZE))) as chip:
        assert chip.info.soc == {"pi2": "bcm2836", "pi3": "bcm2837", "pi4": "bcm2711"}[board]


def test_register_file_accepted_as_before(tmp_path, regfile):
    """The memory-device check is about character devices: a register file with an explicit
    SoC opens whatever the tree says, as it did."""
    regs = regfile(0x1000)
    with fastgpio.Chip("bcm2837", gpiomem=str(regs), dt_root=str(make_tree(tmp_path, "unknown"))):
        pass
    assert stat.S_ISREG(os.stat(regs).st_mode)
