#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Thread scaling of ``pin.on(); pin.off()``: N threads, each toggling its own
line, aggregate calls per second for each N, on each interpreter given.

Run it on a free-threaded build (3.13t: the GIL stays off once fastgpio is
imported) and on the same release with the GIL to compare: with the GIL two
threads cannot beat one; without it they should approach 2x on 2 cores.

Register-file mode (BCM2711, a sparse file standing in for /dev/mem), two
layouts:
- "own chips": each thread opens its own chip on its own file. Real MMIO
  stores are uncached, but stores into a file's page are cached: two threads
  storing to one GPSET word of one file fight over its cache line, which no
  Pi's registers do. This layout is the one that predicts hardware.
- "one chip": all threads on one chip and file (lines 17, 18, ...): the shared
  cache line included, so a lower bound.
Every figure is the median of --runs interleaved runs (1 thread, 2 threads,
... then again), with the spread, and the CPU time per call (the threads'
own CPU time, time.thread_time): on a shared machine wall-clock scaling
also measures the neighbours, while CPU time per call rising with N means
the threads slow each other down (a contended word). With the GIL the
threads take turns, so their CPU time is not the measure there.

Usage: python3 benchmarks/threads.py [--python PY ...] [--threads 1,2] [--calls N] [--runs 7]
       [--force-gil-off] [--json]
Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = r"""
import json, os, sys, threading, time
import fastgpio
n_threads, calls, layout, tmp = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]

def chip_on(i):
    path = os.path.join(tmp, f"regs{i}.bin")
    with open(path, "wb") as f:
        f.truncate(0xFE201000)
    return fastgpio.Chip("bcm2711", devmem=path, dt_root="/nonexistent-device-tree")

chips = [chip_on(i) for i in range(n_threads if layout == "own chips" else 1)]
start = threading.Barrier(n_threads + 1)
cpu = [0] * n_threads
done = threading.Barrier(n_threads + 1)

# The main thread makes the pins, one after the other, and hands one to each
# thread (as a program that sets up its lines first would).
pins = [chips[i % len(chips)].pin(17 + (i if layout == "one chip" else 0), "out")
        for i in range(n_threads)]

def worker(i):
    pin = pins[i]
    start.wait()
    c0 = time.thread_time_ns()
    for _ in range(calls // 2):
        pin.on()
        pin.off()
    cpu[i] = time.thread_time_ns() - c0
    done.wait()

ts = [threading.Thread(target=worker, args=(i,)) for i in range(n_threads)]
for t in ts:
    t.start()
start.wait()
t0 = time.perf_counter()
done.wait()
dt = time.perf_counter() - t0
for t in ts:
    t.join()
gil = getattr(sys, "_is_gil_enabled", lambda: True)()
print(json.dumps(dict(rate=n_threads * (calls // 2) * 2 / dt, cpu_ns_per_call=sum(cpu) / (n_threads * (calls // 2) * 2),
                      gil=gil, version=sys.version.split()[0])))
"""


def one_run(python: str, n: int, calls: int, layout: str, tmp: str, gil_off: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_GIL"}
    if gil_off:
        env["PYTHON_GIL"] = "0"
    out = subprocess.run([python, "-c", CHILD, str(n), str(calls), layout, tmp], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--python", action="append", help="interpreter(s) to run (default: this one)")
    ap.add_argument("--threads", default="1,2", help="thread counts, comma-separated (default 1,2)")
    ap.add_argument("--calls", type=int, default=2_000_000, help="calls per thread and run")
    ap.add_argument("--runs", type=int, default=7, help="interleaved runs per figure (median)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON too")
    ap.add_argument("--force-gil-off", action="store_true",
                    help="PYTHON_GIL=0: for a fastgpio that does not declare it runs without the GIL "
                         "(an older build, to compare); by default PYTHON_GIL is unset")
    a = ap.parse_args()
    pythons = a.python or [sys.executable]
    counts = [int(x) for x in a.threads.split(",")]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for layout in ("own chips", "one chip"):
            for py in pythons:
                rates: dict[int, list[float]] = {n: [] for n in counts}
                cpus: dict[int, list[float]] = {n: [] for n in counts}
                info: dict = {}
                for _ in range(a.runs):
                    for n in counts:
                        r = one_run(py, n, a.calls, layout, tmp, a.force_gil_off)
                        rates[n].append(r["rate"])
                        cpus[n].append(r["cpu_ns_per_call"])
                        info = r
                base = statistics.median(rates[counts[0]])
                base_cpu = statistics.median(cpus[counts[0]])
                label = f"{info['version']} GIL {'on' if info['gil'] else 'off'}"
                for n in counts:
                    med = statistics.median(rates[n])
                    lo, hi = min(rates[n]), max(rates[n])
                    cpu = statistics.median(cpus[n])
                    print(f"{layout:9s}  {label:18s}  {n} thread{'s' if n > 1 else ' '}  "
                          f"{med / 1e6:7.2f} M calls/s  (spread {lo / 1e6:.2f}-{hi / 1e6:.2f})  "
                          f"x{med / base:.2f} of {counts[0]};  CPU {cpu:5.1f} ns/call "
                          f"(x{cpu / base_cpu:.2f})", flush=True)
                    results.append(dict(layout=layout, python=py, version=info["version"],
                                        gil=info["gil"], threads=n, median=med, min=lo, max=hi,
                                        scaling=med / base, cpu_ns_per_call=cpu,
                                        cpu_ratio=cpu / base_cpu))
    if len(pythons) > 1:
        # Single-thread speed of each interpreter against the first.
        for layout in ("own chips",):
            one = [r for r in results if r["layout"] == layout and r["threads"] == counts[0]]
            for r in one[1:]:
                print(f"single thread, {layout}: {r['version']} GIL {'on' if r['gil'] else 'off'} "
                      f"at x{r['median'] / one[0]['median']:.2f} of {one[0]['version']} "
                      f"GIL {'on' if one[0]['gil'] else 'off'}")
    if a.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
