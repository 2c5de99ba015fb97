#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Per-call GPIO toggle rates from Python, side by side in one run.

Methods (each loop iteration drives the line high, then low: two calls):
  fastgpio Pin.on/off      pin.on(); pin.off()
  fastgpio Chip.set/clear  chip.set(L); chip.clear(L)
  memoryview store         mv[7] = 1 << L; mv[10] = 1 << L   (mmap of the same block)
  mmap + struct            st.pack_into(mm, 0x1C, 1 << L) ...
  sysfs value file         os.pwrite(fd, b"1", 0) ...          (needs --out, root)
  RPi.GPIO                 GPIO.output(L, 1) ...               (needs --out, where importable)
  fastgpio.RPi.GPIO        the same calls through fastgpio's RPi.GPIO module (the one-import migration)
  libgpiod (python3-libgpiod) request.set_value(...)           (needs --out, where importable)

Modes: --hw maps the real chip (Chip() detection; the mmap methods map the
same device at the same offset and know the BCM283x/BCM2711 layout only); --regfile (default when
there is no /proc/device-tree) uses a sparse BCM2711 register file, where the
"registers" are page cache: fine for per-call costs, which is what this
measures. --out makes the line an output first (RPi.GPIO, sysfs and libgpiod
do that themselves, so they run only with --out).

Prints, for each method, the median rate of --repeats interleaved runs and
the spread (min..max), then the ratios the issue names:
  Pin.on/off vs RPi.GPIO (target >= 2.5x) and vs the memoryview store (>= 1.0x);
  also fastgpio.RPi.GPIO vs RPi.GPIO, what a script gains by changing its import.

Usage: python3 benchmarks/toggle_rates.py [--hw|--regfile] [--out] [--line 17]
                                          [--n 200000] [--repeats 7]
"""

from __future__ import annotations

import argparse
import glob
import mmap
import os
import statistics
import struct
import sys
import tempfile
import time
from typing import Callable, Dict, List, Optional, Tuple

import fastgpio
from fastgpio import _bench

GPSET0, GPCLR0 = 0x1C, 0x28
PI4_GPIO = 0xFE200000
BCM_GPIO_OFFSET = 0x200000  # GPIO block above the peripheral base (0x7e200000 - 0x7e000000)


# ---- the loops: locals only, same shape for every method ----------------------

def loop_pin(n: int, pin, _a=None, _b=None) -> None:
    for _ in range(n):
        pin.on()
        pin.off()


def loop_chip(n: int, chip, line, _b=None) -> None:
    for _ in range(n):
        chip.set(line)
        chip.clear(line)


def loop_memoryview(n: int, mv, m, _b=None) -> None:
    for _ in range(n):
        mv[7] = m
        mv[10] = m


def loop_struct(n: int, mm, m, st) -> None:
    pack = st.pack_into
    for _ in range(n):
        pack(mm, GPSET0, m)
        pack(mm, GPCLR0, m)


def loop_sysfs(n: int, fd, _a=None, _b=None) -> None:
    w = os.pwrite
    for _ in range(n):
        w(fd, b"1", 0)
        w(fd, b"0", 0)


def loop_rpigpio(n: int, GPIO, line, _b=None) -> None:
    out = GPIO.output
    for _ in range(n):
        out(line, 1)
        out(line, 0)


def loop_gpiod(n: int, setter, hi, lo) -> None:
    for _ in range(n):
        setter(hi)
        setter(lo)


# ---- optional methods ---------------------------------------------------------

def soc_chip_label(info) -> str:
    """The label of the kernel's GPIO chip holding every line of the SoC (the
    table's fact, as `fastgpio bench` uses it)."""
    if info.gpiochip_label is None:
        raise RuntimeError(f"{info.soc}: each bank is a kernel chip of its own; pass a Raspberry Pi")
    return info.gpiochip_label


def setup_sysfs(line: int, info):
    # `fastgpio bench`'s own sysfs code: the number from the labelled gpiochip's
    # base, export only when not exported yet, unexport only what it exported.
    root = os.environ.get(_bench.SYSFS_ENV, _bench.SYSFS_DEFAULT)  # the bench's test seam too
    number, detail = _bench.sysfs_number(root, info, line, 0, 0, info.num_lines)
    s = _bench.SysfsLine(root, number)
    try:
        s.open()
        s.direction("out")
    except BaseException:
        s.close()
        raise
    return (s.fd, None, None), s.close, detail


def setup_rpigpio(line: int, info=None):
    import RPi.GPIO as GPIO  # noqa: N814
    GPIO.setwarnings(False)
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(line, GPIO.OUT)
    return (GPIO, line, None), GPIO.cleanup, f"RPi.GPIO {getattr(GPIO, 'VERSION', '?')}"


def setup_compat(line: int, chip, hw: bool):
    import fastgpio.RPi.GPIO as GPIO  # noqa: N814
    if not hw:
        GPIO._use_chip(chip)          # the register file, not Chip() of this machine
    GPIO.setwarnings(False)
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(line, GPIO.OUT)

    def cleanup() -> None:
        GPIO.cleanup()
        GPIO._use_chip(None)
    return (GPIO, line, None), cleanup, f"fastgpio.RPi.GPIO (API {GPIO.VERSION})"


def setup_gpiod(line: int, info):
    import gpiod
    for path in sorted(glob.glob("/dev/gpiochip*")):
        if hasattr(gpiod, "request_lines"):  # libgpiod 2.x bindings
            with gpiod.Chip(path) as c:
                label = c.get_info().label
            if label != soc_chip_label(info):
                continue
            from gpiod.line import Direction, Value
            req = gpiod.request_lines(path, consumer="toggle_rates",
                                      config={line: gpiod.LineSettings(direction=Direction.OUTPUT)})

            def setter(v, _r=req, _l=line):
                _r.set_value(_l, v)
            return (setter, Value.ACTIVE, Value.INACTIVE), req.release, f"libgpiod 2 {path} ({label})"
        c = gpiod.Chip(path)  # libgpiod 1.x bindings
        if c.label() != soc_chip_label(info):
            c.close()
            continue
        ln = c.get_line(line)
        ln.request(consumer="toggle_rates", type=gpiod.LINE_REQ_DIR_OUT)

        def cleanup(_ln=ln, _c=c) -> None:
            _ln.release()
            _c.close()
        return (ln.set_value, 1, 0), cleanup, f"libgpiod 1 {path} ({c.label()})"
    raise RuntimeError("no /dev/gpiochip* of the SoC")


# ---- main ---------------------------------------------------------------------

def rate(fn: Callable, n: int, args: Tuple) -> float:
    t0 = time.perf_counter_ns()
    fn(n, *args)
    return 2 * n * 1e9 / (time.perf_counter_ns() - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description="Per-call GPIO toggle rates from Python")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--hw", action="store_true", help="the real chip (/dev/gpiomem)")
    mode.add_argument("--regfile", action="store_true", help="a BCM2711 register file (default off-board)")
    ap.add_argument("--out", action="store_true", help="make the line an output; enables sysfs, RPi.GPIO, libgpiod")
    ap.add_argument("--line", type=int, default=17)
    ap.add_argument("--n", type=int, default=200000, help="on/off pairs per run")
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    hw = args.hw or (not args.regfile and os.path.exists("/proc/device-tree/compatible"))
    line, m = args.line, 1 << (args.line % 32)
    cleanups: List[Callable[[], None]] = []
    tmp = None
    methods: Dict[str, Tuple[Callable, Tuple]] = {}
    notes: List[str] = []

    if hw:
        chip = fastgpio.Chip()
    else:
        tmp = tempfile.TemporaryDirectory()
        regs = os.path.join(tmp.name, "regs.bin")
        with open(regs, "wb") as f:
            f.truncate(PI4_GPIO + 0x1000)
        chip = fastgpio.Chip("bcm2711", devmem=regs, dt_root=os.path.join(tmp.name, "no-dt"))
    info = chip.info
    if args.out:
        chip.set_function(line, "out")
    pin = chip.pin(line)
    methods["fastgpio Pin.on/off"] = (loop_pin, (pin,))
    methods["fastgpio Chip.set/clear"] = (loop_chip, (chip, line))
    if info.soc.startswith("bcm") or info.soc == "rp1":
        a, cleanup, what = setup_compat(line, chip, hw)
        cleanups.append(cleanup)
        methods["fastgpio.RPi.GPIO output()"] = (loop_rpigpio, a)
        notes.append(f"fastgpio.RPi.GPIO output(): {what}")

    mm = None
    if info.soc.startswith("bcm") and line < 32:
        # The same device and offset the chip mapped: /dev/gpiomem at 0, or
        # /dev/mem (or the register file) at the GPIO block's physical base.
        # ChipInfo.base of a BCM chip is the peripheral base (16 MiB aligned,
        # from the device tree's soc ranges); the GPIO block is 0x200000 above
        # it (bus address 0x7e200000). Mapping the base itself hits whatever
        # sits there (the emulated Pi 4 raises SIGBUS).
        phys = info.base if info.base & 0xFFFFFF else info.base + BCM_GPIO_OFFSET
        fd = os.open(info.device, os.O_RDWR | os.O_SYNC)
        mm = mmap.mmap(fd, 4096, offset=0 if info.backend == "gpiomem" else phys)
        os.close(fd)
        mv = memoryview(mm).cast("I")
        methods["memoryview store mv[7]=m"] = (loop_memoryview, (mv, m))
        methods["mmap + struct.pack_into"] = (loop_struct, (mm, m, struct.Struct("<I")))
    else:
        notes.append("memoryview/struct: only the BCM283x/BCM2711 layout (bank 0) is known here")

    # sysfs and libgpiod request the line from the kernel, which lends it to
    # one requester at a time: they hold it only during their own runs
    # (per_run); the kernel then hands it back as an input, so it is made an
    # output again for the methods that store to the registers.
    def give_back() -> None:
        chip.set_function(line, "out")

    per_run: Dict[str, Callable] = {}
    for name, setup, fn, exclusive in (("sysfs value file", setup_sysfs, loop_sysfs, True),
                                       ("RPi.GPIO output()", setup_rpigpio, loop_rpigpio, False),
                                       ("libgpiod set_value", setup_gpiod, loop_gpiod, True)):
        if not hw or not args.out:
            notes.append(f"{name}: skipped ({'register-file mode' if not hw else 'needs --out'})")
            continue
        try:
            a, cleanup, what = setup(line, info)
        except Exception as e:  # not installed, no permission, no such interface
            notes.append(f"{name}: skipped ({type(e).__name__}: {e})")
            continue
        notes.append(f"{name}: {what}")
        if exclusive:
            cleanup()
            give_back()
            per_run[name] = setup
        else:
            cleanups.append(cleanup)
        methods[name] = (fn, a)

    def timed(name: str, n: int) -> float:
        fn, a = methods[name]
        if name not in per_run:
            return rate(fn, n, a)
        a, cleanup, _ = per_run[name](line, info)
        try:
            return rate(fn, n, a)
        finally:
            cleanup()
            give_back()

    print(f"toggle_rates: python {sys.version.split()[0]}, {os.uname().machine}, soc {info.soc}, "
          f"backend {info.backend} ({info.device}{', register file: page cache' if not hw else ''}), "
          f"line {line}, {args.n} on/off pairs x {args.repeats} runs")
    for note in notes:
        print("  " + note)
    results: Dict[str, List[float]] = {k: [] for k in methods}
    try:
        for name in methods:  # warm-up (specialisation, caches)
            timed(name, min(args.n, 2000))
        for _ in range(args.repeats):
            for name in methods:
                results[name].append(timed(name, args.n))
    finally:
        for c in reversed(cleanups):
            try:
                c()
            except Exception:
                pass
    med = {k: statistics.median(v) for k, v in results.items()}
    for name, v in results.items():
        print(f"{name:28s} {med[name] / 1e6:8.3f} M calls/s  (spread {min(v) / 1e6:.3f}..{max(v) / 1e6:.3f})")
    base = med["fastgpio Pin.on/off"]
    for name in med:
        if name != "fastgpio Pin.on/off":
            print(f"Pin.on/off vs {name:28s} {base / med[name]:6.2f}x")
    if "memoryview store mv[7]=m" in med:
        print(f"ratio Pin.on/off / memoryview store: {base / med['memoryview store mv[7]=m']:.2f} (target >= 1.0)")
    if "RPi.GPIO output()" in med:
        print(f"ratio Pin.on/off / RPi.GPIO: {base / med['RPi.GPIO output()']:.2f} (target >= 2.5)")
        if "fastgpio.RPi.GPIO output()" in med:
            print("ratio fastgpio.RPi.GPIO / RPi.GPIO output(): "
                  f"{med['fastgpio.RPi.GPIO output()'] / med['RPi.GPIO output()']:.2f}")
    chip.close()
    if mm is not None:
        mv.release()
        mm.close()
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
