# SPDX-License-Identifier: MIT
"""The safety rules as seen from Python: no memory device is mapped for
an unknown or contradicted SoC, no use of a chip after close (from another
thread, from pins), the fork() policy, no descriptor leaks, and the documented
PermissionError (with its fix) from every entry point for a user without
access. Tests that could crash the interpreter if the rule broke (SIGBUS,
use after free) run in a child interpreter and check its exit status.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

import fastgpio
from fastgpio.__main__ import _COMMANDS

GPIO_2711 = 0xFE200000


def run_child(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=120)


def _tree_of_another_soc(soc: str) -> str:
    """A board whose device tree names a SoC other than @soc."""
    return "tinker" if soc != "rk3288" else "pi4"


# Every table, found by name: neither an unknown tree nor one naming another
# SoC maps a memory device, whatever SoC and backend the caller asks for.
# /dev/zero is a character device that can be mapped (before the checks, an
# explicit SoC on an unknown board was mapped, and the AM335x clock set-up
# died of SIGBUS on it).
@pytest.mark.parametrize("soc", sorted(fastgpio.soc_names()))
def test_unknown_or_contradicted_device_tree_never_maps(devtree, soc):
    trees = {"unknown": os.fspath(devtree("unknown")),
             "other": os.fspath(devtree(_tree_of_another_soc(soc)))}
    r = run_child(f"""
        import fastgpio
        for tree, root in {trees!r}.items():
            for backend in ("devmem", "gpiomem"):
                try:
                    fastgpio.Chip({soc!r}, dt_root=root, **{{backend: "/dev/zero"}})
                except fastgpio.UnsupportedSoCError as e:
                    print(tree, backend, "refused:", e)
                else:
                    print(tree, backend, "MAPPED")
    """)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 4 and all(" refused: " in x for x in lines), r.stdout
    assert all("acme,widget-board" in x for x in lines[:2]), r.stdout
    assert all("the device tree says this is" in x for x in lines[2:]), r.stdout


def test_auto_detection_of_an_unknown_soc_maps_nothing(devtree, regfile):
    f = regfile(0x1000)
    before = f.digest()
    with pytest.raises(fastgpio.UnsupportedSoCError) as e:
        fastgpio.Chip(dt_root=devtree("unknown"), devmem=f)
    assert isinstance(e.value, OSError) and "acme,widget-board" in str(e.value)
    with pytest.raises(ValueError, match="z80"):
        fastgpio.Chip("z80", devmem=f)
    assert f.digest() == before


def test_close_from_another_thread_during_set_pull(regfile, no_dt):
    # BCM2835-style pulls wait between register writes. With the GIL released
    # there, close() in another thread freed and unmapped the chip mid-call.
    f = regfile(0x1000)
    r = run_child(f"""
        import threading, fastgpio
        for round in range(30):
            chip = fastgpio.Chip("bcm2837", gpiomem={str(f)!r}, dt_root={no_dt!r})
            started = threading.Event()
            def work():
                started.set()
                try:
                    for i in range(200):
                        chip.set_pull(4, "up" if i & 1 else "down")
                except fastgpio.ChipClosedError:
                    pass
            t = threading.Thread(target=work)
            t.start()
            started.wait()
            chip.close()
            t.join()
        print("ok")
    """)
    assert r.returncode == 0 and r.stdout.strip() == "ok", (r.returncode, r.stderr[-2000:])


def test_pins_outlive_their_chip_safely(regfile, no_dt):
    import gc
    f = regfile(0x1000)
    chip = fastgpio.Chip("bcm2837", gpiomem=f, dt_root=no_dt)
    pins = [chip.pin(n) for n in range(0, 54, 7)]
    chip.close()
    del chip
    gc.collect()
    before = f.digest()
    for p in pins:
        for call in (p.on, p.off, p.toggle, lambda: p.value, lambda: setattr(p, "value", 1)):
            with pytest.raises(fastgpio.ChipClosedError):
                call()
        assert "closed" in repr(p)
    assert f.digest() == before


def test_fork_child_shares_the_registers(regfile, no_dt):
    # Policy: after fork() the child keeps the parent's chips; both map the
    # same registers (MAP_SHARED). Each process closes its own copy.
    f = regfile(GPIO_2711 + 0x1000)
    chip = fastgpio.Chip("bcm2711", devmem=f, dt_root=no_dt)
    pin = chip.pin(17, "out")
    pid = os.fork()
    if pid == 0:
        try:
            pin.on()
            chip.set_function(18, "out")
            chip.close()
            os._exit(0)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    assert f.peek(GPIO_2711 + 0x1C) == 1 << 17  # the child's store
    assert (f.peek(GPIO_2711 + 0x04) >> 21) & 0o77 == 0o11  # 17 and 18 out
    pin.off()  # the child's close did not unmap the parent's chip
    assert f.peek(GPIO_2711 + 0x28) == 1 << 17
    chip.close()


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_no_descriptor_leaks(regfile, no_dt, devtree):
    f = regfile(GPIO_2711 + 0x1000)
    small = regfile(0x1000)
    dt = devtree("pi4")
    unknown = devtree("unknown")
    before = _fds()
    for _ in range(100):
        with fastgpio.Chip("bcm2711", devmem=f, dt_root=no_dt) as c:
            c.pin(4).on()
        fastgpio.Chip(dt_root=dt, devmem=f).close()
        for kwargs in (dict(soc="bcm2711", devmem=small), dict(soc="z80", devmem=f),
                       dict(dt_root=unknown, devmem=f), dict(soc="bcm2711", devmem="/nonexistent"),
                       dict(soc="am335x", gpiomem=small)):
            kwargs.setdefault("dt_root", no_dt)
            with pytest.raises(OSError if "nonexistent" in str(kwargs) else Exception):
                fastgpio.Chip(**kwargs)
    assert _fds() == before


# --- permissions -------------------------------------------------------------

def _as_nobody(path: str, fn) -> str:
    """Runs fn() in a forked child that dropped root after import (the
    interpreter itself may not be executable for 'nobody'), or, when not root,
    with @path made unreadable. Returns what fn returned plus its stderr."""
    if os.geteuid() != 0:
        os.chmod(path, 0)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            sys.stderr = os.fdopen(os.dup(w), "w")  # the CLI reports on stderr
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            out = fn()
            sys.stderr.flush()
            os.write(w, f"\nRESULT {out}".encode())
        except BaseException as e:  # reported, not hidden: the assertion shows it
            os.write(w, f"\nRESULT {type(e).__name__} {e}".encode())
        finally:
            os._exit(0)
    os.close(w)
    with os.fdopen(r, errors="replace") as f:
        text = f.read()
    os.waitpid(pid, 0)
    return text


@pytest.fixture
def private_regs(tmp_path_factory):
    # A directory 'nobody' may enter, holding a register file only root may open.
    d = tmp_path_factory.mktemp("perm")
    os.chmod(d, 0o755)
    os.chmod(d.parent, 0o755)
    p = d / "regs.bin"
    with open(p, "wb") as fh:
        fh.truncate(GPIO_2711 + 0x1000)
    os.chmod(p, 0o600)
    return str(p)


@pytest.mark.parametrize("backend,fix", [("gpiomem", "gpio' group"), ("devmem", "needs root")])
def test_permission_error_from_chip(private_regs, backend, fix):
    def attempt() -> str:
        try:
            fastgpio.Chip("bcm2711", dt_root="/nonexistent", **{backend: private_regs})
        except PermissionError as e:
            return f"PermissionError {e.errno} {e}"
        return "opened"

    out = _as_nobody(private_regs, attempt)
    assert "RESULT PermissionError 13" in out, out
    assert fix in out, out


@pytest.mark.parametrize("command", sorted(_COMMANDS))
def test_permission_error_from_every_cli_subcommand(private_regs, command):
    from fastgpio.__main__ import main

    args = {"get": ["17"], "set": ["17=1"], "func": ["17"], "pull": ["17"], "watch": ["17"],
            "pwm": ["18"]}.get(command, [])
    argv = ["--soc", "bcm2711", "--gpiomem", private_regs, "--dt-root", "/nonexistent", command, *args]
    out = _as_nobody(private_regs, lambda: main(argv))
    assert out.rstrip().endswith("RESULT 1"), out
    assert "permission denied" in out and "gpio' group" in out, out
    assert "Traceback" not in out
