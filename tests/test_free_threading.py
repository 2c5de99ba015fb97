# SPDX-License-Identifier: MIT
"""Threads without the GIL: what fastgpio promises on free-threaded CPython
(3.13t), tested on every build.

- Importing fastgpio leaves the GIL off (free-threaded builds only).
- Read-modify-writes from many threads lose no update: 8 threads each change
  the function of its own line, all eight lines sharing one function-select
  word, and read it back after every change.
- close() racing pin and chip calls from many threads: every thread ends
  with ChipClosedError, nothing crashes, and no register changes once close()
  has returned (a store after close() would also fault: the block is unmapped).

The same tests run with the GIL, where they must pass too. tests/run.sh runs
this file (and the whole suite) under a 3.13t interpreter with
FASTGPIO_REQUIRE_FREE_THREADING=1, which turns the free-threaded-only skips
into failures. FGPIO_FT_CHANGES scales the read-modify-write test (default
100 000 changes per thread), FGPIO_FT_ROUNDS the close races (default 40).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap

import pytest

from test_torture import run_child

FREE_THREADED = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
REQUIRED = os.environ.get("FASTGPIO_REQUIRE_FREE_THREADING") == "1"
CHANGES = int(os.environ.get("FGPIO_FT_CHANGES", "100000"))
ROUNDS = int(os.environ.get("FGPIO_FT_ROUNDS", "40"))


def test_the_interpreter_is_what_the_stage_asked_for():
    # The free-threading stage must not pass on an interpreter with the GIL.
    if REQUIRED:
        assert FREE_THREADED, f"{sys.executable} is not a free-threaded build"


def test_import_leaves_the_gil_disabled():
    if not FREE_THREADED:
        pytest.skip("a build with the GIL (the free-threading stage of tests/run.sh runs this)")
    # A fresh interpreter: importing fastgpio and everything it imports (the
    # RPi.GPIO and gpiozero layers too) must not turn the GIL back on.
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_GIL"}
    code = ("import sys, warnings; warnings.simplefilter('error'); import fastgpio, fastgpio.RPi.GPIO; "
            "import fastgpio.gpiozero; print(sys._is_gil_enabled())")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "False", out.stderr[-2000:]


RMW = textwrap.dedent("""
    import json, sys, threading
    import fastgpio
    regs, no_dt, changes = sys.argv[2], sys.argv[3], int(sys.argv[4])
    chip = fastgpio.Chip("bcm2837", dt_root=no_dt, gpiomem=regs)
    LINES = range(10, 18)                      # GPFSEL1: lines 10-19, 3 bits each
    FUNCS = ["in", "out", "alt0", "alt1", "alt2", "alt3", "alt4", "alt5"]
    lost, done = [0] * 8, [0] * 8
    start = threading.Barrier(8)

    def worker(i):
        line = LINES[i]
        start.wait()
        for k in range(changes):
            want = FUNCS[(i + k) % 8]                # every thread changes its field every time
            chip.set_function(line, want)
            if chip.get_function(line).name.lower() != want:
                lost[i] += 1
        done[i] = changes

    ts = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(120)
    alive = sum(t.is_alive() for t in ts)
    final = {line: chip.get_function(line).name.lower() for line in LINES}
    want = {LINES[i]: FUNCS[(i + changes - 1) % 8] for i in range(8)}
    with open(regs, "rb") as fh:
        fh.seek(4)
        word = int.from_bytes(fh.read(4), "little")
    print(json.dumps(dict(lost=lost, done=done, alive=alive, final_ok=final == want,
                          final=final, want=want, word=word,
                          gil=getattr(sys, "_is_gil_enabled", lambda: True)())))
""")


def child_result(script, regfile, no_dt, n):
    """Runs @script in a child on a fresh register file; its last line, parsed."""
    r = run_child(script, str(regfile(0x1000)), no_dt, n, timeout=600)
    assert r.returncode == 0 and r.stderr == "", r.stderr[-3000:]
    return json.loads(r.stdout.splitlines()[-1])


def test_read_modify_writes_from_8_threads_lose_no_update(regfile, no_dt):
    res = child_result(RMW, regfile, no_dt, CHANGES)
    print(f"8 threads x {CHANGES} function changes on GPFSEL1 (GIL {'on' if res['gil'] else 'off'}): "
          f"lost {sum(res['lost'])}, final word {res['word']:#010x}")
    assert res["alive"] == 0
    assert res["done"] == [CHANGES] * 8
    assert res["lost"] == [0] * 8
    assert res["final_ok"], (res["final"], res["want"])
    # The word itself: each line's 3-bit field holds its last function's code.
    codes = {"in": 0, "out": 1, "alt0": 4, "alt1": 5, "alt2": 6, "alt3": 7, "alt4": 3, "alt5": 2}
    want = 0
    for line, f in res["want"].items():
        want |= codes[f] << (3 * (int(line) - 10))
    assert res["word"] == want
    if FREE_THREADED:
        assert not res["gil"]


CLOSE = textwrap.dedent("""
    import json, os, random, sys, threading, time
    import fastgpio
    from fastgpio import ChipClosedError
    regs, no_dt, rounds = sys.argv[2], sys.argv[3], int(sys.argv[4])
    rng = random.Random(7)
    counts = dict(calls=0, refused=0, rounds=0, late_changes=0)
    errors = []
    lock = threading.Lock()

    def snapshot():
        with open(regs, "rb") as fh:
            return fh.read()

    def worker(chip, shared, i, go):
        n = 0
        try:
            # Half the threads use their own pin, half share one: both are counted.
            pin = shared if i % 2 else chip.pin(4 + i, "out")
            go.wait()
            while True:
                pin.on(); pin.off(); pin.value; pin.toggle(); pin.value = 0
                chip.set(pin.line); chip.clear(pin.line); chip.read(pin.line)
                n += 8
        except ChipClosedError:
            with lock:
                counts["refused"] += 1
        except BaseException as e:
            errors.append(f"thread {i}: {type(e).__name__}: {e}")
        with lock:
            counts["calls"] += n

    for r in range(rounds):
        chip = fastgpio.Chip("bcm2837", dt_root=no_dt, gpiomem=regs)
        shared = chip.pin(20, "out")
        go = threading.Barrier(9)
        ts = [threading.Thread(target=worker, args=(chip, shared, i, go)) for i in range(8)]
        for t in ts:
            t.start()
        go.wait()
        time.sleep(rng.uniform(0, 0.01))
        chip.close()
        after = snapshot()
        for t in ts:
            t.join(30)
            if t.is_alive():
                errors.append(f"round {r}: a thread still runs 30 s after close")
        if snapshot() != after:
            counts["late_changes"] += 1
        counts["rounds"] += 1
        if errors:
            break
    print(json.dumps(dict(counts=counts, errors=errors[:5],
                          gil=getattr(sys, "_is_gil_enabled", lambda: True)())))
""")


def test_close_while_8_threads_call_pins_and_the_chip(regfile, no_dt):
    res = child_result(CLOSE, regfile, no_dt, ROUNDS)
    c = res["counts"]
    print(f"close races (GIL {'on' if res['gil'] else 'off'}): {c['rounds']} rounds x 8 threads, "
          f"{c['calls']} calls, {c['refused']} refused after close, "
          f"{c['late_changes']} register changes after close()")
    assert res["errors"] == []
    assert c["rounds"] == ROUNDS
    assert c["refused"] == 8 * ROUNDS
    assert c["late_changes"] == 0
    assert c["calls"] > 0
    if FREE_THREADED:
        assert not res["gil"]
