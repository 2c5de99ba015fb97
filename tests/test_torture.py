# SPDX-License-Identifier: MIT
"""Torture tests of a Chip's life under threads and fork(): close() racing
waves, bank samples, edge waiters (the scripted kernel chip of
tests/helpers.py), BCM2835 pull sequences and pin calls from several threads;
fork() with each of those running in the parent; interpreter exit with all of
them running.

Every case runs in a child process bounded by a timeout (a hang fails the
test instead of hanging the suite; a crash is an exit status), and every
thread join inside it has a timeout too. A child that outlives its timeout is
asked for every thread's Python stack (faulthandler on SIGUSR1) before it is
killed, and the failure shows them: where it was stuck, or that it was only
slow. tests/hardening.sh runs this file through the ASan+UBSan build of the
extension: the children inherit its environment, so a sanitizer report in any
of them is counted there. Each case prints its figures (iterations,
operations, races survived).

FGPIO_TORTURE_ITERS scales the number of close races (default 30).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

TESTS = os.path.dirname(os.path.abspath(__file__))
ITERS = int(os.environ.get("FGPIO_TORTURE_ITERS", "30"))

# Shared by every child: a register-file chip whose kernel side is the script
# of tests/helpers.py, and the workers that hammer it. Each worker loops
# until the chip refuses it (ChipClosedError) and counts what it did.
COMMON = textwrap.dedent("""
    import faulthandler, signal
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # run_child's stacks on a hang
    import json, os, random, sys, threading, time, warnings
    from array import array
    warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork() of a threaded process
    sys.path.insert(0, sys.argv[1])
    import fastgpio
    from fastgpio import ChipClosedError
    from helpers import ScriptedChip

    REGS, NO_DT = sys.argv[2], sys.argv[3]
    BIT = 1 << 4
    SHORT = [(BIT, 0, 0), (0, BIT, 0)] * 64                 # plays inline
    LONG = [(BIT, 0, 1_000_000), (0, BIT, 1_000_000)]        # 2 ms a pass: the worker thread

    class Counts:
        def __init__(self):
            self.lock = threading.Lock()
            self.c = {}
        def add(self, k, n=1):
            with self.lock:
                self.c[k] = self.c.get(k, 0) + n

    def open_chip():
        return ScriptedChip("bcm2837", dt_root=NO_DT, gpiomem=REGS)

    def worker(kind, chip, counts, errors, forever=False):
        pin = None
        buf = array("I", bytes(4 * 512))
        try:
            pin = chip.pin(5 + KINDS.index(kind))
            n_samples = 200_000 if forever else 2000  # forever (fork): long calls, likely caught mid-call
            counts.add("started")
            while True:
                if kind == "wave":
                    st = chip.wave(0, SHORT)
                    counts.add("waves")
                    counts.add("waves cancelled" if st.cancelled else "waves whole")
                elif kind == "long wave":
                    st = chip.wave(0, LONG, repeat=100_000 if forever else 25)
                    counts.add("waves")
                    counts.add("waves cancelled" if st.cancelled else "waves whole")
                elif kind == "sample":
                    chip.bank_sample(0, n_samples)
                    counts.add("samples")
                elif kind == "sample into":
                    chip.bank_sample_into(0, buf)
                    counts.add("samples")
                elif kind == "pins":
                    pin.toggle()
                    pin.value = pin.value
                    chip.write(pin.line, 1)
                    chip.read(pin.line)
                    counts.add("pin calls", 4)
                elif kind == "edges":
                    if pin.watching:
                        chip.queue(pin.line, 1, time.monotonic_ns())
                    pin.wait_for_edge("both", timeout=0.002)
                    counts.add("edge waits")
                elif kind == "pulls":  # BCM2835-style: the GPPUD/GPPUDCLK sequence
                    chip.set_pull(pin.line, "up" if counts.c.get("pull calls", 0) & 1 else "down")
                    counts.add("pull calls")
                elif kind == "stop":
                    counts.add("stops that hit a wave" if chip.stop_wave() else "stops")
                    time.sleep(0.001)
        except ChipClosedError:
            counts.add("refused after close")
        except BaseException as e:
            errors.append(f"{kind}: {type(e).__name__}: {e}")

    KINDS = ["wave", "long wave", "sample", "sample into", "pins", "edges", "pulls", "stop"]

    def start(chip, counts, errors, kinds=KINDS, forever=False):
        ts = [threading.Thread(target=worker, args=(k, chip, counts, errors, forever),
                               name=k, daemon=True) for k in kinds]
        for t in ts:
            t.start()
        return ts

    def join_all(ts, errors, timeout=10.0):
        end = time.monotonic() + timeout
        for t in ts:
            t.join(max(0.0, end - time.monotonic()))
            if t.is_alive():
                errors.append(f"thread {t.name!r} still running {timeout} s after close")
""")

CLOSE_RACE = COMMON + textwrap.dedent("""
    iters = int(sys.argv[4])
    counts, errors = Counts(), []
    rng = random.Random(1234)
    close_ns = []
    for i in range(iters):
        chip = open_chip()
        ts = start(chip, counts, errors)
        time.sleep(rng.uniform(0, 0.02))
        t0 = time.monotonic_ns()
        chip.close()
        close_ns.append(time.monotonic_ns() - t0)
        if not chip.closed:
            errors.append("closed is False after close()")
        join_all(ts, errors)
        try:
            chip.wave(0, SHORT)
            errors.append("a wave started on a closed chip")
        except ChipClosedError:
            pass
        if errors:
            break
    close_ns.sort()
    print(json.dumps(dict(iterations=i + 1, kinds=len(KINDS), counts=counts.c, errors=errors,
                          close_ms_p50=close_ns[len(close_ns) // 2] / 1e6,
                          close_ms_max=close_ns[-1] / 1e6)))
""")

FORK = COMMON + textwrap.dedent("""
    kind, child_closes = sys.argv[4], sys.argv[5] == "close"
    counts, errors = Counts(), []
    chip = open_chip()
    ts = start(chip, counts, errors, kinds=[kind], forever=True)
    deadline = time.monotonic() + 10
    while not counts.c.get("started") and time.monotonic() < deadline:   # the operation runs
        time.sleep(0.005)
    time.sleep(0.02)
    pid = os.fork()
    if pid == 0:
        # The child: only this thread exists. Its chip works and closes.
        try:
            def gpset1():  # bank 1: the parent's threads drive bank 0 meanwhile
                fd = os.open(REGS, os.O_RDONLY)
                try:
                    return int.from_bytes(os.pread(fd, 4, 0x20), "little")
                finally:
                    os.close(fd)
            pin = chip.pin(40, "out", value=0)
            pin.on()
            ok = gpset1() == 1 << 8
            st = chip.wave(1, [(1 << 9, 0, 0)])
            ok = ok and st.steps == 1 and not st.cancelled and gpset1() == 1 << 9
            ok = ok and not chip.stop_wave()
            ok = ok and len(chip.bank_sample(1, 10).values) == 10
            if child_closes:
                chip.close()
                ok = ok and chip.closed
        except BaseException as e:
            print("child:", type(e).__name__, e, file=sys.stderr, flush=True)
            ok = False
        if not ok:
            print("child: the chip did not work", file=sys.stderr, flush=True)
        sys.exit(0 if ok else 1)          # the normal interpreter exit (atexit closes)
    status, waited = None, time.monotonic() + 20
    while time.monotonic() < waited:
        r, status = os.waitpid(pid, os.WNOHANG)
        if r == pid:
            break
        time.sleep(0.01)
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        errors.append("the child hung (close or interpreter exit)")
    if not errors and os.waitstatus_to_exitcode(status) != 0:
        errors.append(f"child exit status {os.waitstatus_to_exitcode(status)}")
    chip.close()
    join_all(ts, errors)
    print(json.dumps(dict(kind=kind, counts=counts.c, errors=errors)))
""")

ATEXIT = COMMON + textwrap.dedent("""
    counts, errors = Counts(), []
    chip = open_chip()
    ts = start(chip, counts, errors, forever=True)
    time.sleep(0.2)
    print(json.dumps(dict(kinds=len(KINDS), counts=counts.c)), flush=True)
    # No close: interpreter exit (atexit) closes the chip under every thread.
""")


def run_child(script, *args, timeout=120):
    argv = [sys.executable, "-c", script, TESTS, *map(str, args)]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as p:
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            # faulthandler writes the stacks from its signal handler, GIL or not.
            p.send_signal(signal.SIGUSR1)
            time.sleep(2)
            p.kill()
            out, err = p.communicate()
            pytest.fail(f"the child hung for {timeout} s; its threads then:\n{err[-8000:]}")
    return subprocess.CompletedProcess(argv, p.returncode, out, err)


@pytest.fixture
def files(regfile, no_dt):
    return str(regfile(0x1000)), no_dt


def test_close_races_every_kind_of_call(files):
    # 200 rounds take 15-66 s on 2 loaded cores (mostly thread start-up under
    # GIL contention); a hang still fails, with every thread's stack.
    r = run_child(CLOSE_RACE, *files, ITERS, timeout=300)
    assert r.returncode == 0 and r.stderr == "", r.stderr[-3000:]
    res = json.loads(r.stdout.splitlines()[-1])
    print(f"close races: {res['iterations']} closes against {len(res['counts'])} kinds of "
          f"counts {res['counts']}; close p50 {res['close_ms_p50']:.2f} ms, "
          f"max {res['close_ms_max']:.2f} ms")
    assert res["errors"] == []
    assert res["iterations"] == ITERS
    c = res["counts"]
    # Every thread of every round was refused by the closed chip, none crashed.
    assert c["refused after close"] == res["kinds"] * ITERS
    assert c.get("waves", 0) and c.get("samples", 0) and c.get("pin calls", 0)
    assert c.get("edge waits", 0) and c.get("pull calls", 0)


@pytest.mark.parametrize("kind", ["long wave", "sample", "edges", "pins"])
@pytest.mark.parametrize("child", ["close", "exit"])
def test_fork_while_a_thread_is_busy(files, kind, child):
    r = run_child(FORK, *files, kind, child, timeout=60)
    assert r.returncode == 0 and r.stderr == "", r.stderr[-3000:]
    res = json.loads(r.stdout.splitlines()[-1])
    print(f"fork with {kind!r} running, child {child}s: parent counts {res['counts']}")
    assert res["errors"] == []


def test_interpreter_exit_with_every_call_running(files):
    r = run_child(ATEXIT, *files, timeout=60)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stderr == ""  # no traceback: atexit cancelled the waves, refused the rest
    res = json.loads(r.stdout.splitlines()[-1])
    print(f"exit with {res['kinds']} threads busy: counts before exit {res['counts']}")
    assert res["counts"].get("waves", 0) and res["counts"].get("samples", 0)
