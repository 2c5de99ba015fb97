#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Waveform engine: throughput with zero delays against the raw C store loop,
and edge-time jitter (p50/p99/max lateness) for delays of 1, 10 and 100 µs.

Throughput: Chip.wave() plays a square wave on one line (alternating set and
clear steps, one store each, no delays) and reports steps per second; the
raw C store loop (benchmarks/c_fastpath.c: `*set = m; *clr = m;` on the same
kind of mapping) gives the reference stores per second. Target: >= 0.5x.
The C binary comes from --c-bench PATH, else a meson build dir next to the
sources (build*/c_fastpath), else it is compiled with cc from the sources.

Jitter: a square wave with every delay = D; lateness of each edge against
its deadline: plain (absolute schedule: after a stall every overdue edge
counts as late), no-catch (catch_up=False: a late edge re-anchors the
schedule, so only the edge after a stall is late), and with CPU pinning +
SCHED_FIFO (applied only where permitted; the output says whether it was).

Modes as in toggle_rates.py: --hw (the real chip) or --regfile (BCM2711
register file; default off-board; the stores then hit page cache).

Usage: python3 benchmarks/wave.py [--hw|--regfile] [--line 17] [--c-bench PATH]
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from array import array

import fastgpio

PI4_GPIO = 0xFE200000
HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)


def square(mask: int, delay_ns: int, pairs: int) -> array:
    a = array("I")
    for _ in range(pairs):
        a.extend((mask, 0, delay_ns, 0, mask, delay_ns))
    return a


def find_c_bench(explicit: str | None, tmp: str) -> str | None:
    if explicit:
        return explicit
    for p in sorted(glob.glob(os.path.join(TOP, "build*", "c_fastpath"))):
        if os.access(p, os.X_OK):
            return p
    cc = shutil.which("cc") or shutil.which("gcc")
    src = os.path.join(HERE, "c_fastpath.c")
    if not cc or not os.path.exists(src) or not os.path.isdir(os.path.join(TOP, "src")):
        return None
    out = os.path.join(tmp, "c_fastpath")
    cmd = [cc, "-O2", "-std=c11", "-D_DEFAULT_SOURCE", "-D_FILE_OFFSET_BITS=64",
           "-I" + os.path.join(TOP, "include"), "-I" + os.path.join(TOP, "src"), src,
           *sorted(glob.glob(os.path.join(TOP, "src", "*.c"))), "-lpthread", "-o", out]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        print("  could not compile c_fastpath:\n" + r.stdout[-1500:])
        return None
    return out


def c_raw_rate(binary: str, hw: bool, line: int) -> float | None:
    cmd = [binary, "--line", str(line), "--n", "5000000", "--repeats", "7"] + (["--hw"] if hw else [])
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    m = re.search(r"raw_stores_per_s (\d+)", r.stdout)
    if r.returncode != 0 or not m:
        print("  c_fastpath failed:\n" + r.stdout[-1500:])
        return None
    for ln in r.stdout.splitlines():
        if "median" in ln or "ratio" in ln:
            print("  c_fastpath: " + ln.strip())
    return float(m.group(1))


def main() -> int:
    ap = argparse.ArgumentParser(description="Waveform throughput and jitter")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--hw", action="store_true")
    mode.add_argument("--regfile", action="store_true")
    ap.add_argument("--line", type=int, default=17)
    ap.add_argument("--c-bench", help="path of the c_fastpath binary (raw C store loop)")
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    hw = args.hw or (not args.regfile and os.path.exists("/proc/device-tree/compatible"))
    tmp = tempfile.TemporaryDirectory()
    if hw:
        chip = fastgpio.Chip()
    else:
        regs = os.path.join(tmp.name, "regs.bin")
        with open(regs, "wb") as f:
            f.truncate(PI4_GPIO + 0x1000)
        chip = fastgpio.Chip("bcm2711", devmem=regs, dt_root=os.path.join(tmp.name, "no-dt"))
    info = chip.info
    line = args.line
    bank = next(b for b in range(chip.num_banks)
                if chip.bank_lines(b)[0] <= line < sum(chip.bank_lines(b)))
    mask = 1 << (line - chip.bank_lines(bank)[0])
    print(f"wave: python {sys.version.split()[0]}, {os.uname().machine}, soc {info.soc}, backend "
          f"{info.backend} ({info.device}{', register file: page cache' if not hw else ''}), "
          f"line {line} (bank {bank}, mask 0x{mask:08x}), {os.cpu_count()} CPUs")

    # ---- throughput, zero delays ----
    steps = square(mask, 0, 2048)  # 4096 steps = 48 KiB
    chip.wave(bank, steps, repeat=100)  # warm-up
    rates = [chip.wave(bank, steps, repeat=1000).steps_per_second for _ in range(args.repeats)]
    wave_rate = statistics.median(rates)
    print(f"Chip.wave, 0 delays: {wave_rate / 1e6:.2f} M steps/s (spread {min(rates) / 1e6:.2f}.."
          f"{max(rates) / 1e6:.2f}; one store per step, 4096 steps x 1000 per call)")
    binary = find_c_bench(args.c_bench, tmp.name)
    raw = c_raw_rate(binary, hw, line) if binary else None
    if raw:
        print(f"raw C store loop: {raw / 1e6:.2f} M stores/s")
        print(f"wave/raw ratio {wave_rate / raw:.3f} (target >= 0.5)")
    else:
        print("raw C store loop: not measured (give --c-bench PATH or install cc)")

    # ---- jitter ----
    print("jitter: square wave, every delay = D; lateness of each edge vs its absolute deadline (ns)")
    cpu = sorted(os.sched_getaffinity(0))[-1]
    for d_us, edges in ((1, 20000), (10, 10000), (100, 2000)):
        s = square(mask, d_us * 1000, edges // 2)
        for label, kw in (("plain", {}), ("no-catch", {"catch_up": False}),
                          ("cpu+fifo", {"cpu": cpu, "fifo_priority": 50})):
            st = chip.wave(bank, s, **kw)
            applied = ""
            if "cpu" in kw:
                applied = f" [pinned to {cpu}: {'yes' if st.cpu_pinned else 'no'}, SCHED_FIFO 50: " \
                          f"{'yes' if st.fifo_applied else 'no (not permitted)'}]"
            print(f"  D = {d_us:3d} us {label:8s}: p50 {st.late_p50_ns:7d}  p99 {st.late_p99_ns:8d}  "
                  f"max {st.late_max_ns:9d}  ({st.timed_edges} edges){applied}")
    chip.close()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
