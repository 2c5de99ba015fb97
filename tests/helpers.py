# SPDX-License-Identifier: MIT
"""Shared test helpers (imported by conftest.py's fixtures and by test modules;
no test module imports another).

- RegFile: a sparse regular file standing in for /dev/mem or /dev/gpiomem, read
  back with os.pread (never through the library).
- DeviceTree, BOARDS, make_tree: directories standing in for /proc/device-tree.
- ScriptedChip: a register-file Chip whose GPIO character device (the kernel
  side of edge events) is a script.
- LAYOUTS: one register-file chip of every register family, for table tests.
"""

from __future__ import annotations

import hashlib
import os
import struct
import threading
import time
from pathlib import Path
from typing import Dict, Iterable, Optional, Sequence, Tuple

import fastgpio


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
            for start, end in data_extents(fd):
                pos = start
                while pos < end:
                    chunk = os.pread(fd, min(1 << 20, end - pos), pos)
                    # Zero pages count as holes: a write of zeros is not a change.
                    if chunk.strip(b"\0"):
                        h.update(struct.pack("<Q", pos))
                        h.update(chunk)
                    pos += len(chunk)
        finally:
            os.close(fd)
        return h.hexdigest()


def data_extents(fd: int) -> Iterable[Tuple[int, int]]:
    """(start, end) of each data extent of the open file @fd (SEEK_DATA/SEEK_HOLE)."""
    size, off = os.fstat(fd).st_size, 0
    while off < size:
        try:
            start = os.lseek(fd, off, os.SEEK_DATA)
        except OSError:  # ENXIO: no data after off
            return
        end = os.lseek(fd, start, os.SEEK_HOLE)
        yield start, end
        off = end


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


class ScriptedChip(fastgpio.Chip):
    """A register-file chip whose GPIO character device is a script.

    ``queue(line, edge, ts)`` makes an event pending now; ``later(line, ...)``
    makes it pending only once a reader blocks (timeout != 0), i.e. after a
    flush. Each pending event is one byte in the line's pipe, whose read end
    is the "request fd" the package polls.
    """

    __slots__ = ("calls", "pending", "deferred", "pipes", "cond")

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.calls = []
        self.pending = {}
        self.deferred = {}
        self.pipes = {}
        self.cond = threading.Condition()

    # --- the kernel ---
    def _watch(self, line, edge, debounce_us):
        with self.cond:
            self.calls.append(("watch", line, edge, debounce_us))
            if line not in self.pipes:
                self.pipes[line] = os.pipe2(os.O_CLOEXEC | os.O_NONBLOCK)
            self.cond.notify_all()
            return self.pipes[line][0]

    def _watching(self, line):
        return line in self.pipes

    def _unwatch(self, line):
        with self.cond:
            self.calls.append(("unwatch", line, threading.current_thread().name))
            rd, wr = self.pipes.pop(line)
            os.close(rd)
            os.close(wr)
            self.pending.pop(line, None)

    def _event_read(self, line, timeout_ns):
        with self.cond:
            if timeout_ns != 0 and self.deferred.get(line):
                for ev in self.deferred.pop(line):
                    self._push(line, ev)
            end = None if timeout_ns < 0 else time.monotonic() + timeout_ns / 1e9
            while not self.pending.get(line):
                left = None if end is None else end - time.monotonic()
                if left is not None and left <= 0:
                    return None
                self.cond.wait(left)
            os.read(self.pipes[line][0], 1)
            return self.pending[line].pop(0)

    # --- the test's side ---
    def _push(self, line, ev):
        self.pending.setdefault(line, []).append(ev)
        os.write(self.pipes[line][1], b"e")
        self.cond.notify_all()

    def queue(self, line, edge, ts):
        with self.cond:
            n = len([c for c in self.calls if c[0] == "watch" and c[1] == line])
            self._push(line, (edge, ts, line, n))

    def later(self, line, *events):
        with self.cond:
            self.deferred.setdefault(line, []).extend((e, ts, line, 0) for e, ts in events)

    def queue_when_watched(self, delay, events, limit=10.0):
        """From another thread: waits until each event's line is watched,
        then @delay s more, then queues the event if its line is still
        watched (a kernel drops edges on a line nobody has requested)."""
        for line, edge, ts in events:
            with self.cond:
                self.cond.wait_for(lambda: line in self.pipes, limit)
            time.sleep(delay)
            delay = 0
            with self.cond:
                if line in self.pipes:
                    self.queue(line, edge, ts)


# SoC -> (backend, file size, pages given a pattern, names of other SoCs' styles)
LAYOUTS = {
    "bcm2711": ("devmem", 0xFE201000, [0xFE200000], ["P9_12", "GPIO1_28", "GPIO5_B0", "GPIO58"]),
    "bcm2837": ("gpiomem", 0x1000, [0x0], ["P8_07", "GPIO0_C7", "GPIO54", "BOARD41"]),
    "am335x": ("devmem", 0x481AF000, [0x44E07000, 0x4804C000, 0x481AC000, 0x481AE000],
               ["BOARD11", "GPIO5_B0", "GPIO4_0", "GPIO128"]),
    "rk3288": ("devmem", 0xFF800000, [0xFF750000, 0xFF780000, 0xFF7C0000, 0xFF770000],
               ["P9_12", "GPIO1_32", "GPIO9_A0", "GPIO0_D0"]),
    "rp1": ("gpiomem", 0x30000, [0x0, 0x10000, 0x20000], ["P9_12", "GPIO5_B0", "GPIO54", "BOARD41"]),
}
