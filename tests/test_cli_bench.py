# SPDX-License-Identifier: MIT
"""`fastgpio bench` on the host: register-file mode (BCM2711, AM335x), the JSON
schema, the line restored byte for byte, --plot with and without matplotlib,
--from-json, argument errors, and the sysfs export/unexport bookkeeping against
a fake /sys/class/gpio (FASTGPIO_SYSFS_ROOT) served by a fake kernel thread,
also when the run is interrupted by SIGINT or SIGTERM.

No timing is asserted: rates only have to be positive and ordered min <= median <= max.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional

import pytest

BCM = 0xFE200000            # BCM2711 GPIO block (physical)
BCM_SETCLR = [BCM + 0x1C, BCM + 0x20, BCM + 0x28, BCM + 0x2C]  # GPSET0/1, GPCLR0/1
AM_GPIO1 = 0x4804C000       # AM335x GPIO1: line 60 = GPIO1_28 = P9_12
AM_SETCLR = [AM_GPIO1 + 0x190, AM_GPIO1 + 0x194]  # CLEARDATAOUT, SETDATAOUT
AM_PAD_P9_12 = 0x44E10878   # conf_gpmc_ben1 (boards/am335x.h): mux mode 7 = gpio1_28
FAST = ["--repeat", "2", "--seconds", "0.005"]
AVAILABLE = ["pin", "bank", "wave", "c-loop"]


# Imported before a test child drops root: the interpreter may live under /root.
PRELOAD = ("import os, sys, gettext, locale, json, statistics, platform, signal\n"
           "import fastgpio.__main__\n"
           "fastgpio.__main__.build_parser().parse_args(['bench', '--seconds', '1'])\n"
           "gettext.gettext('x')\n")


def run(*args: str, env: Optional[Dict[str, str]] = None, timeout: float = 120) -> subprocess.CompletedProcess:
    e = dict(os.environ)
    e.pop("FASTGPIO_SYSFS_ROOT", None)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "fastgpio", *args], capture_output=True, text=True,
                          env=e, timeout=timeout)


@pytest.fixture
def pi4(regfile, tmp_path):
    f = regfile(BCM + 0x1000)
    return ["--soc", "bcm2711", "--devmem", str(f), "--dt-root", str(tmp_path / "none")], f


@pytest.fixture
def bbb(regfile, tmp_path):
    f = regfile(0x481AF000)
    opts = ["--soc", "am335x", "--devmem", str(f), "--dt-root", str(tmp_path / "none")]
    assert run(*opts, "info").returncode == 0  # ungates the bank clocks in the file once
    f.poke(AM_PAD_P9_12, 0x27)  # mux mode 7 (GPIO), receiver enabled: as the BeagleBone boots it
    return opts, f


def check_schema(res: dict, soc: str, line: int) -> None:
    assert res["schema"] == "fastgpio-bench/1"
    assert (res["soc"], res["line"], res["register_file"], res["repeat"]) == (soc, line, True, 2)
    assert "cached memory" in res["note"]
    names = [m["name"] for m in res["methods"]]
    assert names == ["sysfs", "gpiod", "pin", "bank", "wave", "c-loop"]
    for m in res["methods"]:
        if m["name"] in ("sysfs", "gpiod"):
            assert not m["available"] and "register-file mode" in m["reason"]
            assert "toggle" not in m and "read" not in m
            continue
        assert m["available"] and m["reason"] is None, m
        for kind in ("toggle", "read"):
            s = m[kind]
            assert len(s["runs"]) == 2 and all(r > 0 for r in s["runs"])
            assert s["min"] <= s["q1"] <= s["median"] <= s["q3"] <= s["max"]
            assert s["vs_sysfs"] is None  # sysfs did not run
            assert s["vs_ceiling"] > 0
            assert s["unit"] in ("level changes/s", "reads/s")
    ceiling = res["methods"][-1]
    assert ceiling["toggle"]["vs_ceiling"] == ceiling["read"]["vs_ceiling"] == 1.0
    assert res["restored"]["ok"] and res["restored"]["errors"] == []


def digest_without(f, offsets: List[int]) -> str:
    """Digest of the file with the given words zeroed (the toggled line's
    set/clear registers, which the bench writes by design)."""
    saved = {o: f.peek(o) for o in offsets}
    for o in offsets:
        f.poke(o, 0)
    try:
        return f.digest()
    finally:
        for o, v in saved.items():
            f.poke(o, v)


@pytest.mark.parametrize("func_word,level", [(0x09249249, 1), (0x00000000, 0), (0x09249249, 0)])
def test_bcm2711_json_and_restore(pi4, func_word, level):
    opts, f = pi4
    for i in range(6):  # function selects: pattern (every line out) or all in
        f.poke(BCM + 4 * i, func_word)
    f.fill(BCM + 0xE4, 16, 0x55AA55AA)  # pull registers
    f.poke(BCM + 0x34, 0xA5A5A5A5 & ~(1 << 17) | (level << 17))  # GPLEV0
    f.poke(BCM + 0x38, 0x005A5A5A)
    before = digest_without(f, BCM_SETCLR)
    r = run(*opts, "bench", "--json", *FAST)
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)  # stdout is the JSON document and nothing else
    check_schema(res, "bcm2711", 17)
    want = "out" if func_word else "in"
    assert res["initial"] == {"function": want, "level": level}
    assert res["restored"]["function"] == want
    assert res["pin"] == "GPIO17"
    assert "fastgpio bench: " in r.stderr  # progress went to stderr
    assert digest_without(f, BCM_SETCLR) == before
    assert f.peek(BCM + 0x1C) == f.peek(BCM + 0x28) == 1 << 17  # only line 17 was driven


@pytest.mark.parametrize("oe", [0xFFFFFFFF, 0xEFFFFFFF])  # line 60 input / output
def test_am335x_json_and_restore(bbb, oe):
    opts, f = bbb
    f.poke(AM_GPIO1 + 0x134, oe)          # OE (1 = input)
    f.poke(AM_GPIO1 + 0x138, 0x5A5A5A5A)  # DATAIN
    f.poke(AM_GPIO1 + 0x13C, 0x3C3C3C3C)  # DATAOUT
    before = digest_without(f, AM_SETCLR)
    r = run(*opts, "bench", "--json", "--line", "P9_12", *FAST)
    if r.returncode == 2 and "P9_12" in r.stderr:  # no header map without a device tree
        r = run(*opts, "bench", "--json", "--line", "GPIO1_28", *FAST)
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    check_schema(res, "am335x", 60)
    assert res["initial"]["function"] == ("in" if oe >> 28 & 1 else "out")
    assert digest_without(f, AM_SETCLR) == before
    assert f.peek(AM_SETCLR[0]) == f.peek(AM_SETCLR[1]) == 1 << 28


def test_default_line_per_soc_and_table(bbb):
    opts, f = bbb
    r = run(*opts, "bench", *FAST, "--methods", "pin,c-loop")
    assert r.returncode == 0, r.stderr
    assert "GPIO1_28" in r.stdout and "ceiling" in r.stdout and "restored to" in r.stdout
    assert "unavailable" not in r.stdout  # sysfs/gpiod were not asked for
    assert not r.stdout.lstrip().startswith("{")


def test_table_lists_unavailable_methods_with_reason(pi4):
    opts, f = pi4
    r = run(*opts, "bench", *FAST)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert any("sysfs value file" in ln and "unavailable: register-file mode" in ln for ln in lines)
    assert any("gpiod" in ln and "unavailable:" in ln for ln in lines)
    assert "note: register-file mode" in r.stdout


@pytest.mark.parametrize("args", [
    ["--line", "GPIO99"], ["--line", "BOARD1"], ["--line", "P9_12"], ["--repeat", "0"],
    ["--repeat", "x"], ["--seconds", "-1"], ["--seconds", "nan"], ["--methods", "pin,warp"],
    ["--methods", ","], ["--from-json", "/nonexistent.json"], ["--bogus"],
])
def test_bad_arguments_exit_2_one_line_nothing_written(pi4, args):
    opts, f = pi4
    before = f.digest()
    r = run(*opts, "bench", *args, *FAST)
    assert r.returncode == 2, (args, r.stdout, r.stderr)
    err = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(err) == 1 and err[0].startswith("fastgpio"), err
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert f.digest() == before


def test_alternate_function_pin_needs_force(pi4):
    opts, f = pi4
    f.poke(BCM + 0x04, 4 << 21)  # GPIO17 alt0 (FSEL 100)
    before = f.digest()
    r = run(*opts, "bench", *FAST)
    assert r.returncode == 2 and "alt0" in r.stderr and "--force" in r.stderr
    assert f.digest() == before
    r = run(*opts, "bench", "--force", "--methods", "pin", *FAST)
    assert r.returncode == 0, r.stderr
    assert (f.peek(BCM + 0x04) >> 21) & 7 == 4  # alt0 restored


def test_plot_png(pi4, tmp_path):
    pytest.importorskip("matplotlib", reason="matplotlib not installed in this environment")
    opts, f = pi4
    png = tmp_path / "bench.png"
    saved = tmp_path / "results.json"
    r = run(*opts, "bench", "--json", "--plot", str(png), *FAST)
    assert r.returncode == 0, r.stderr
    json.loads(r.stdout)  # still only JSON on stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # The guest's JSON plotted on the host: no chip options, no register file.
    saved.write_text(r.stdout)
    png2 = tmp_path / "again.png"
    r = run("bench", "--from-json", str(saved), "--plot", str(png2), "--title", "emulated Pi 4 (QEMU)")
    assert r.returncode == 0, r.stderr
    assert png2.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "c-loop" in r.stdout or "ceiling" in r.stdout  # the table is printed too


def test_from_json_table_and_bad_files(pi4, tmp_path):
    opts, f = pi4
    r = run(*opts, "bench", "--json", *FAST)
    saved = tmp_path / "results.json"
    saved.write_text(r.stdout)
    r2 = run("bench", "--from-json", str(saved))
    assert r2.returncode == 0, r2.stderr
    assert "ceiling" in r2.stdout and "GPIO17" in r2.stdout
    r3 = run("bench", "--from-json", str(saved), "--json")
    assert json.loads(r3.stdout) == json.loads(r.stdout)
    bad = tmp_path / "bad.json"
    for text in ("not json", "[1, 2]", '{"schema": "other/1"}'):
        bad.write_text(text)
        r4 = run("bench", "--from-json", str(bad))
        assert r4.returncode == 2 and r4.stderr.count("\n") == 1, r4.stderr


def test_plot_without_matplotlib(pi4, tmp_path):
    opts, f = pi4
    blocker = tmp_path / "no-mpl" / "matplotlib"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('matplotlib hidden by the test')\n")
    before = f.digest()
    r = run(*opts, "bench", "--plot", str(tmp_path / "x.png"), *FAST,
            env={"PYTHONPATH": os.pathsep.join(filter(None, [str(blocker.parent),
                                                              os.environ.get("PYTHONPATH")]))})
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "fastgpio: --plot needs matplotlib: pip install 'fastgpio[plot]' (or python3-matplotlib)"]
    assert not (tmp_path / "x.png").exists()
    assert f.digest() == before  # refused before the chip was touched


# ---- sysfs: a fake /sys/class/gpio and a fake kernel serving export/unexport ----

class FakeSysfs:
    """export and unexport are FIFOs; a thread per FIFO plays the kernel:
    export creates gpioN/{direction,value}, unexport removes it. ``log``
    records (what, number) in order; direction writes are read back from
    the files at unexport time."""

    def __init__(self, root: Path, label: str = "pinctrl-bcm2711", base: int = 512, ngpio: int = 58) -> None:
        self.root = root
        chip = root / f"gpiochip{base}"
        chip.mkdir(parents=True)
        (chip / "label").write_text(label + "\n")
        (chip / "base").write_text(f"{base}\n")
        (chip / "ngpio").write_text(f"{ngpio}\n")
        other = root / "gpiochip504"  # an expander that must not be picked
        other.mkdir()
        (other / "label").write_text("raspberrypi-exp-gpio\n")
        (other / "base").write_text("504\n")
        (other / "ngpio").write_text("8\n")
        self.log: List[tuple] = []
        self.directions: List[str] = []
        self.exported = threading.Event()
        self.stopping = False
        self.threads = []
        for name in ("export", "unexport"):
            os.mkfifo(root / name)
            t = threading.Thread(target=self._serve, args=(name,), daemon=True)
            t.start()
            self.threads.append(t)

    def _serve(self, name: str) -> None:
        while not self.stopping:
            with open(self.root / name) as f:
                text = f.read().strip()
            if self.stopping or not text:
                continue
            n = int(text)
            d = self.root / f"gpio{n}"
            if name == "export":
                # The kernel's gpioN appears with its files: built aside, then
                # renamed (a bench racing a half-made directory would create
                # 'direction' itself and find no 'value').
                tmp = self.root / f".gpio{n}.new"
                tmp.mkdir()
                (tmp / "direction").write_text("in\n")
                (tmp / "value").write_text("0\n")
                os.rename(tmp, d)
                self.log.append(("export", n))
                self.exported.set()
            else:
                self.log.append(("unexport", n))
                shutil.rmtree(d)

    def wait_log(self, n: int, timeout: float = 20.0) -> List[tuple]:
        """The log once it holds ``n`` entries (bounded wait): a FIFO write
        returns before this fake kernel's thread has acted on it, unlike the
        real sysfs, so the caller's process may exit first."""
        deadline = time.monotonic() + timeout
        while len(self.log) < n and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.log

    def stop(self) -> None:
        self.stopping = True
        for name in ("export", "unexport"):
            fd = os.open(self.root / name, os.O_WRONLY | os.O_NONBLOCK)  # wakes the reader
            os.close(fd)
        for t in self.threads:
            t.join(5)


@pytest.fixture
def fake_sysfs(tmp_path):
    fs = FakeSysfs(tmp_path / "sys-class-gpio")
    yield fs
    fs.stop()


def test_sysfs_number_from_base_and_label_export_unexport(pi4, fake_sysfs):
    opts, f = pi4
    env = {"FASTGPIO_SYSFS_ROOT": str(fake_sysfs.root)}
    r = run(*opts, "bench", "--json", "--methods", "sysfs,pin,c-loop", *FAST, env=env)
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    sysfs = res["methods"][0]
    assert sysfs["name"] == "sysfs" and sysfs["available"], sysfs
    assert "gpio529" in sysfs["detail"] and "pinctrl-bcm2711" in sysfs["detail"]
    assert sysfs["toggle"]["vs_sysfs"] == 1.0
    assert res["methods"][1]["toggle"]["vs_sysfs"] > 0
    assert fake_sysfs.wait_log(2) == [("export", 529), ("unexport", 529)]
    assert not (fake_sysfs.root / "gpio529").exists()


def test_sysfs_line_exported_by_someone_else_stays_exported(pi4, fake_sysfs):
    opts, f = pi4
    d = fake_sysfs.root / "gpio529"
    d.mkdir()
    (d / "direction").write_text("in\n")
    (d / "value").write_text("0\n")
    r = run(*opts, "bench", "--methods", "sysfs", *FAST, env={"FASTGPIO_SYSFS_ROOT": str(fake_sysfs.root)})
    assert r.returncode == 0, r.stderr
    assert fake_sysfs.log == [] and d.is_dir()  # neither exported nor unexported by the bench


def test_sysfs_without_matching_chip_is_unavailable(pi4, tmp_path):
    opts, f = pi4
    root = tmp_path / "gpio"
    (root / "gpiochip0").mkdir(parents=True)
    (root / "gpiochip0" / "label").write_text("some-expander\n")
    (root / "gpiochip0" / "base").write_text("0\n")
    (root / "gpiochip0" / "ngpio").write_text("8\n")
    r = run(*opts, "bench", "--json", "--methods", "sysfs,pin", *FAST, env={"FASTGPIO_SYSFS_ROOT": str(root)})
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)["methods"][0]
    assert not m["available"] and "no gpiochip" in m["reason"] and "bcm2711" in m["reason"]
    assert sorted(os.listdir(root)) == ["gpiochip0"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_during_sysfs_unexports_and_restores(pi4, fake_sysfs, sig):
    opts, f = pi4
    f.poke(BCM + 0x04, 0x09249249)  # GPIO17 (and its word neighbours) out
    before = digest_without(f, BCM_SETCLR)
    env = dict(os.environ, FASTGPIO_SYSFS_ROOT=str(fake_sysfs.root))
    # SIGINT as an interactive terminal delivers it: a test runner started as a
    # background job (cmd &) inherits SIGINT ignored, and Python keeps that.
    p = subprocess.Popen([sys.executable, "-m", "fastgpio", *opts, "bench", "--methods", "sysfs,pin",
                          "--seconds", "2", "--repeat", "5"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert fake_sysfs.exported.wait(30), "the bench never exported the line"
        time.sleep(0.3)  # inside the measured loop by now
        p.send_signal(sig)
        out, err = p.communicate(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 128 + sig, (p.returncode, err)
    assert "interrupted" in err and "Traceback" not in err
    assert fake_sysfs.wait_log(2) == [("export", 529), ("unexport", 529)]
    assert not (fake_sysfs.root / "gpio529").exists()
    assert digest_without(f, BCM_SETCLR) == before  # function restored to out


@pytest.fixture
def open_dir():
    """A directory every user may enter (pytest's own tmp dirs are root-only)."""
    d = Path(tempfile.mkdtemp(prefix="fastgpio-bench-"))
    os.chmod(d, 0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


def test_sysfs_without_permission_is_unavailable_not_fatal(open_dir):
    """A user who may map the chip but not write export: the sysfs row says
    why and the other methods still run (as 'nobody' when root)."""
    regs = open_dir / "regs.bin"
    with open(regs, "wb") as fh:
        fh.truncate(BCM + 0x1000)
    os.chmod(regs, 0o666)
    opts = ["--soc", "bcm2711", "--devmem", str(regs), "--dt-root", "/nonexistent"]
    root = open_dir / "gpio"
    chip = root / "gpiochip512"
    chip.mkdir(parents=True)
    (chip / "label").write_text("pinctrl-bcm2711\n")
    (chip / "base").write_text("512\n")
    (chip / "ngpio").write_text("58\n")
    (root / "export").write_text("")
    os.chmod(root / "export", 0o444)
    for p in (root, chip):
        os.chmod(p, 0o755)
    code = (
        PRELOAD +
        "if os.geteuid() == 0:\n"
        "    os.setgroups([]); os.setgid(65534); os.setuid(65534)\n"
        f"sys.exit(fastgpio.__main__.main({opts + ['bench', '--json', '--methods', 'sysfs,pin'] + FAST!r}))\n"
    )
    # Import fastgpio first (the interpreter may sit in /root), then drop privileges.
    r = subprocess.run([sys.executable, "-c", code],
                       capture_output=True, text=True, env=dict(os.environ, FASTGPIO_SYSFS_ROOT=str(root)),
                       timeout=120)
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)["methods"]
    assert not m[0]["available"] and "no permission" in m[0]["reason"] and "gpio" in m[0]["reason"]
    assert m[1]["available"]
    assert (root / "export").read_text() == ""


def test_permission_denied_on_the_chip_exits_1_with_hint(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root to create a file 'nobody' cannot open")
    d = tmp_path / "perm"
    d.mkdir()
    for p in (tmp_path, d, tmp_path.parent):
        os.chmod(p, 0o755)
    regs = d / "regs.bin"
    with open(regs, "wb") as fh:
        fh.truncate(BCM + 0x1000)
    os.chmod(regs, 0o600)
    code = (
        PRELOAD +
        "os.setgroups([]); os.setgid(65534); os.setuid(65534)\n"
        f"sys.exit(fastgpio.__main__.main(['--soc', 'bcm2711', '--gpiomem', {str(regs)!r}, "
        "'--dt-root', '/nonexistent', 'bench', '--seconds', '0.01']))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1, r.stderr
    assert "permission denied" in r.stderr and "gpio' group" in r.stderr
    assert "Traceback" not in r.stderr
    assert stat.S_IMODE(os.stat(regs).st_mode) == 0o600


def test_info_shows_sysfs_numbering(pi4, fake_sysfs):
    opts, f = pi4
    r = run(*opts, "info")
    assert r.returncode == 0 and "sysfs    n/a (register-file mode)" in r.stdout, r.stdout
    r = run(*opts, "info", env={"FASTGPIO_SYSFS_ROOT": str(fake_sysfs.root)})
    assert r.returncode == 0 and "sysfs    line N = gpio512+N" in r.stdout, r.stdout
    assert fake_sysfs.log == []  # info exports nothing


def test_info_sysfs_per_bank_am335x(bbb, tmp_path):
    opts, f = bbb
    root = tmp_path / "gpio"
    for base, bank in ((512, 0), (544, 1), (576, 2), (608, 3)):
        d = root / f"gpiochip{base}"
        d.mkdir(parents=True)
        (d / "label").write_text(f"gpio-{32 * bank}-{32 * bank + 31}\n")
        (d / "base").write_text(f"{base}\n")
        (d / "ngpio").write_text("32\n")
    r = run(*opts, "info", env={"FASTGPIO_SYSFS_ROOT": str(root)})
    assert r.returncode == 0, r.stderr
    assert "line 0 = gpio512, line 32 = gpio544, line 64 = gpio576, line 96 = gpio608" in r.stdout


def test_gpiod_row_runs_once_chip_backend_gpiod_opens(pi4, tmp_path, monkeypatch):
    """The gpiod row is Chip(backend="gpiod") driven per call: here a second
    register-file Chip stands in for it (as if not in register-file mode), to
    show the row runs, is closed afterwards and the line is restored."""
    import fastgpio
    from fastgpio import _bench

    opts, f = pi4
    f.poke(BCM + 0x04, 1 << 21)  # GPIO17 out
    before = digest_without(f, BCM_SETCLR)
    opened = []

    def open_chip(**kw):
        if kw.get("backend") == "gpiod":
            c = fastgpio.Chip("bcm2711", devmem=str(f), dt_root=str(tmp_path / "none"))
            opened.append(c)
            return c
        return fastgpio.Chip("bcm2711", devmem=str(f), dt_root=str(tmp_path / "none"), **kw)

    monkeypatch.setattr(_bench, "is_register_file", lambda chip: False)
    monkeypatch.setenv(_bench.SYSFS_ENV, str(tmp_path / "no-sysfs"))
    with open_chip() as chip:
        res = _bench.run_bench(chip, 17, open_chip, ["sysfs", "gpiod", "c-loop"], 2, 0.005, False)
    by = {m["name"]: m for m in res["methods"]}
    assert not by["sysfs"]["available"] and "does not exist" in by["sysfs"]["reason"]
    assert by["gpiod"]["available"] and by["gpiod"]["toggle"]["median"] > 0
    assert by["gpiod"]["read"]["vs_ceiling"] > 0
    assert len(opened) == 1 and opened[0].closed  # released after its row
    assert res["restored"]["ok"] and res["restored"]["function"] == "out"
    assert digest_without(f, BCM_SETCLR) == before


# ---- CLI polish that came with the bench ----------------------------------------

def test_version_and_one_line_usage_errors(pi4):
    opts, f = pi4
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("fastgpio ")
    for argv in (["func", "17", "sideways"], ["frobnicate"], ["get"], []):
        r = run(*opts, *argv)
        assert r.returncode == 2, argv
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "--help" in lines[0], (argv, r.stderr)


def test_closed_pipe_is_quiet(pi4):
    opts, f = pi4
    p = subprocess.Popen([sys.executable, "-m", "fastgpio", *opts, "readall"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    p.stdout.close()  # like `fastgpio readall | head -0`
    err = p.stderr.read().decode()
    assert p.wait(60) == 0 and "Traceback" not in err and "Broken pipe" not in err, err
