#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Instructions per call of fastgpio's hot calls against a no-op builtin call
(``abs(1)``) in the same loop, counted by valgrind's callgrind (repeatable,
unlike timings on a shared host).

Each body runs in ``for _ in range(n): BODY`` inside a function, once with a
short and once with a long loop; the difference of the two instruction totals
divided by the difference of the loop lengths is the cost of one iteration
with interpreter start-up, imports and chip opening cancelled out.

The chip is a BCM2711 in register-file mode (a sparse file standing in for
/dev/mem), so this runs on any Linux host with valgrind. Target:
``pin.on()`` costs at most 1.3x ``abs(1)``.

Usage: python3 benchmarks/callgrind_ratio.py [--n1 20000] [--n2 220000] [--python PY] [--only BODIES]
(PY must import fastgpio: an installed package or PYTHONPATH). Prints numbers.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

BODIES = {
    "abs(1)": "abs(1)",
    "pin.on()": "pin.on()",
    "pin.off()": "pin.off()",
    "pin.value = 1": "pin.value = 1",
    "pin.value (read)": "pin.value",
    "pin.toggle()": "pin.toggle()",
    "chip.set(17)": "chip.set(17)",
    "chip.read(17)": "chip.read(17)",
    "mv[7] = 1 << 17": "mv[7] = 131072",
}

CHILD = r"""
import mmap, os, sys
import fastgpio
body, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
chip = fastgpio.Chip("bcm2711", devmem=path, dt_root="/nonexistent-device-tree")
pin = chip.pin(17)
fd = os.open(path, os.O_RDWR)
mm = mmap.mmap(fd, 4096, offset=0xFE200000)
mv = memoryview(mm).cast("I")
src = "def loop(n, pin, chip, mv):\n    for _ in range(n):\n        " + body + "\n"
ns = {}
exec(src, ns)
ns["loop"](n, pin, chip, mv)
"""


def instructions(python: str, valgrind: str, body: str, n: int, regs: str, child: str, tmp: str) -> int:
    out = os.path.join(tmp, "cg.out")
    cmd = [valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", python, child, body, str(n), regs]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"callgrind run failed ({body!r}, n={n}):\n{r.stderr[-2000:]}")
    with open(out) as f:
        for line in f:
            m = re.match(r"(?:summary|totals):\s+(\d+)", line)
            if m:
                return int(m.group(1))
    sys.exit(f"no instruction total in {out}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n1", type=int, default=20000)
    ap.add_argument("--n2", type=int, default=220000)
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--only", default="", help="comma-separated bodies to count besides abs(1), "
                    "e.g. 'pin.on(),pin.value (read)'")
    args = ap.parse_args()
    valgrind = shutil.which("valgrind")
    if not valgrind:
        print("valgrind not found (apt-get install valgrind)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        regs = os.path.join(tmp, "regs.bin")
        with open(regs, "wb") as f:
            f.truncate(0xFE201000)
        child = os.path.join(tmp, "child.py")
        with open(child, "w") as f:
            f.write(CHILD)
        ver = subprocess.run([args.python, "-c", "import sys, fastgpio; print(sys.version.split()[0], fastgpio.__file__)"],
                             stdout=subprocess.PIPE, text=True, check=True).stdout.strip()
        print(f"callgrind_ratio: python {ver}; loops of {args.n1} and {args.n2}; register-file BCM2711")
        per = {}
        wanted = {"abs(1)", "pin.on()"} | {b for b in args.only.split(",") if b}
        unknown = wanted - set(BODIES)
        if unknown:
            sys.exit(f"unknown bodies {sorted(unknown)}; known: {list(BODIES)}")
        for name, body in BODIES.items():
            if args.only and name not in wanted:
                continue
            a = instructions(args.python, valgrind, body, args.n1, regs, child, tmp)
            b = instructions(args.python, valgrind, body, args.n2, regs, child, tmp)
            per[name] = (b - a) / (args.n2 - args.n1)
        base = per["abs(1)"]
        for name, v in per.items():
            print(f"{name:18s} {v:8.1f} instructions per iteration   {v / base:5.2f}x abs(1)")
        print(f"pin.on() / abs(1) ratio {per['pin.on()'] / base:.3f} (target <= 1.3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
