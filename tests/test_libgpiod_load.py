# SPDX-License-Identifier: MIT
"""Which libgpiod the library loads at run time (src/gpiod_port.c), each case
in a fresh interpreter since the choice is made once per process:
FASTGPIO_LIBGPIOD=1, 2, none, auto and a bad value; with and without
libgpiod 2.x on the loader path. libgpiod 2.x comes from the directory named
by FASTGPIO_TEST_LIBGPIOD3_DIR (tests/fetch-libgpiod3.sh prints one; tests/run.sh
sets it), as the host's own loader path has libgpiod 1.x (libgpiod2) only."""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
import textwrap

import pytest

# Runs in the child: the version loaded, then opening a chip on the gpiod
# backend (a path that does not exist) and on a register file.
PROBE = textwrap.dedent("""
    import json, sys, fastgpio
    out = {"version": fastgpio.libgpiod_version()}
    def attempt(key, **kw):
        try:
            fastgpio.Chip("bcm2711", dt_root=sys.argv[1] + "/no-dt", **kw).close()
            out[key] = None
        except Exception as e:
            out[key] = [type(e).__name__, getattr(e, "errno", None), str(e)]
    attempt("gpiod", backend="gpiod", gpiochip=sys.argv[1] + "/no-such-gpiochip")
    open(sys.argv[1] + "/regs", "wb").truncate(0x1000)
    try:
        with fastgpio.Chip("bcm2837", gpiomem=sys.argv[1] + "/regs", dt_root=sys.argv[1] + "/x") as c:
            c.pin(17, "out").value = 1
            with open(sys.argv[1] + "/regs", "rb") as f:
                f.seek(0x1C)  # GPSET0: the write reached the register file
                out["mmap"] = int.from_bytes(f.read(4), "little") >> 17 & 1
            try:
                c.owner(17)
            except fastgpio.NotSupportedError as e:
                out["owner"] = str(e)
    except OSError as e:
        out["mmap"] = str(e)
    print(json.dumps(out))
""")


def lib_dir_v2() -> str:
    d = os.environ.get("FASTGPIO_TEST_LIBGPIOD3_DIR", "")
    if not d:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must set FASTGPIO_TEST_LIBGPIOD3_DIR (tests/fetch-libgpiod3.sh)")
        pytest.skip("FASTGPIO_TEST_LIBGPIOD3_DIR is not set: no libgpiod 2.x to load "
                    "(tests/fetch-libgpiod3.sh fetches one)")
    assert os.path.exists(os.path.join(d, "libgpiod.so.3")), f"no libgpiod.so.3 in {d}"
    return d


def have_v1() -> bool:
    try:
        ctypes.CDLL("libgpiod.so.2")
        return True
    except OSError:
        return False


def need_v1() -> None:
    if not have_v1():
        pytest.skip("libgpiod.so.2 (Debian package libgpiod2) is not installed")


def probe(tmp_path, mode, libdir=None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("FASTGPIO_LIBGPIOD", "LD_LIBRARY_PATH")}
    if mode is not None:
        env["FASTGPIO_LIBGPIOD"] = mode
    if libdir:
        env["LD_LIBRARY_PATH"] = libdir
    r = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def assert_mmap_works(out):
    assert out["mmap"] == 1
    assert "register file" in out["owner"]


def test_forced_1x(tmp_path):
    need_v1()
    out = probe(tmp_path, "1")
    assert out["version"].startswith("libgpiod 1.")
    # Even with libgpiod 2.x loadable, 1 means 1.x.
    if os.environ.get("FASTGPIO_TEST_LIBGPIOD3_DIR"):
        assert probe(tmp_path, "1", lib_dir_v2())["version"].startswith("libgpiod 1.")
    assert_mmap_works(out)


def test_forced_2x(tmp_path):
    out = probe(tmp_path, "2", lib_dir_v2())
    assert out["version"].startswith("libgpiod 2.")
    assert_mmap_works(out)


def test_forced_2x_missing_fails_clearly(tmp_path):
    out = probe(tmp_path, "2", str(tmp_path))  # libgpiod.so.3 nowhere on the path
    if out["version"] is not None:
        pytest.skip("libgpiod.so.3 is on this machine's own loader path")
    name, err, msg = out["gpiod"]
    assert name == "NotSupportedError" and err == 95  # ENOTSUP
    assert "FASTGPIO_LIBGPIOD=2" in msg and "libgpiod.so.3" in msg and "install libgpiod3" in msg
    assert_mmap_works(out)  # never a silent fallback, and the mmap backends still work


def test_none(tmp_path):
    out = probe(tmp_path, "none")
    assert out["version"] is None
    name, err, msg = out["gpiod"]
    assert name == "NotSupportedError" and err == 95
    assert "the gpiod backend is not available" in msg
    assert "FASTGPIO_LIBGPIOD=none" in msg and "libgpiod3" in msg and "libgpiod2" in msg
    assert_mmap_works(out)


@pytest.mark.parametrize("bad", ["bogus", "3", "2.x", "NONE"])
def test_bad_value_is_an_error(tmp_path, bad):
    out = probe(tmp_path, bad)
    assert out["version"] is None
    name, err, msg = out["gpiod"]
    assert name == "ValueError"  # EINVAL
    assert f"FASTGPIO_LIBGPIOD={bad} is not 1, 2, none or auto" in msg
    assert_mmap_works(out)


@pytest.mark.parametrize("mode", [None, "auto", ""])
def test_auto_prefers_2x(tmp_path, mode):
    out = probe(tmp_path, mode, lib_dir_v2())
    assert out["version"].startswith("libgpiod 2.")


def test_auto_takes_1x_without_2x(tmp_path):
    need_v1()
    out = probe(tmp_path, "auto", str(tmp_path))
    if out["version"].startswith("libgpiod 2."):
        pytest.skip("libgpiod.so.3 is on this machine's own loader path")
    assert out["version"].startswith("libgpiod 1.")


def test_missing_chip_same_error_either_generation(tmp_path):
    need_v1()
    errs = [probe(tmp_path, "1")["gpiod"], probe(tmp_path, "2", lib_dir_v2())["gpiod"]]
    for name, err, msg in errs:
        assert name == "FileNotFoundError" and err == 2, msg  # ENOENT, from opening the path
        assert "no-such-gpiochip as a GPIO character device" in msg
    assert errs[0] == errs[1]
