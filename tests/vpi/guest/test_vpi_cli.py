# SPDX-License-Identifier: MIT
"""The installed `fastgpio` command inside the emulated Pi (what the README's
demo shows), run as a user would: the console script from the wheel."""
import glob
import json
import math
import os
import re
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.vpi

fastgpio_pkg = pytest.importorskip("fastgpio")


def fastgpio(*args):
    exe = shutil.which("fastgpio")
    cmd = [exe] if exe else ["python3", "-m", "fastgpio"]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=120)


def test_console_script_installed():
    assert shutil.which("fastgpio"), "the wheel's console script is not on PATH"


def test_info(expected):
    out = fastgpio("info")
    assert out.returncode == 0, out.stderr
    assert expected[0] in out.stdout
    assert "devmem" in out.stdout


def test_readall_lists_header(expected):
    out = fastgpio("readall")
    assert out.returncode == 0, out.stderr
    assert "17" in out.stdout
    assert len(out.stdout.splitlines()) >= 20   # a 40-pin header (or all lines)


# -- readall against the kernel's view -------------------------------------------

def kernel_pins():
    """{line: (function, level)} from pinctrl-bcm2835's debugfs 'pins' file, the
    kernel's own reading of GPFSEL and GPLEV, e.g.
    'pin 17 (gpio17) 0:? function gpio_out out hi; irq 0 (none)'."""
    pins = {}
    for path in glob.glob("/sys/kernel/debug/pinctrl/*/pins"):
        with open(path) as f:
            for text in f:
                m = re.match(r"pin (\d+) \(gpio\1\) .*?function (\S+) .*?\b(hi|lo);", text)
                if m:
                    pins[int(m.group(1))] = (m.group(2), 1 if m.group(3) == "hi" else 0)
    assert pins, "no pinctrl debugfs 'pins' entries for the SoC's GPIO lines"
    return pins


KERNEL_FUNC = {"in": "gpio_in", "out": "gpio_out", **{f"alt{i}": f"alt{i}" for i in range(6)}}


@pytest.fixture
def varied_header(regs):
    """Header lines in every kind of state (output high, output low, input,
    alternate functions), restored afterwards: readall must tell them apart."""
    lines = (17, 22, 27, 5, 6, 26)
    saved = [regs.read(off) for off in (0x00, 0x04, 0x08)] + [regs.level(n) for n in lines]
    with fastgpio_pkg.Chip() as chip:
        for line, (func, level) in zip(lines, [("out", 1), ("out", 0), ("in", None), ("alt3", None),
                                               ("alt5", None), ("out", 1)]):
            chip.set_function(line, "out")
            chip.write(line, 1 if level is None else level)  # inputs/alts read back a remembered 1
            chip.set_function(line, func)
        yield lines
        for line, level in zip(lines, saved[3:]):
            chip.set_function(line, "out")
            chip.write(line, level)
    for i, off in enumerate((0x00, 0x04, 0x08)):
        regs.write(off, saved[i])


def test_readall_matches_kernel_for_every_header_pin(varied_header):
    out = fastgpio("readall")
    assert out.returncode == 0, out.stderr
    kernel = kernel_pins()
    rows = {}
    power = 0
    for text in out.stdout.splitlines()[1:]:
        cols = text.split()
        if cols[1:] == ["power/gnd"]:
            power += 1
            continue
        assert len(cols) >= 4 and cols[1].isdigit(), text
        rows[cols[0]] = (int(cols[1]), cols[2], int(cols[3]))
    # the 40-pin header: 28 GPIO pins (BCM 0-27), 12 power and ground pins
    assert power == 12 and len(rows) == 28, out.stdout
    assert sorted(line for line, _, _ in rows.values()) == list(range(28))
    kinds = set()
    for label, (line, func, level) in rows.items():
        assert (KERNEL_FUNC.get(func), level) == kernel[line], (label, line, func, level, kernel[line])
        kinds.add((func, level))
    # the fixture's states are among them: a readall that printed one state everywhere fails
    assert {("out", 1), ("out", 0), ("in", 1), ("alt3", 1), ("alt5", 1)} <= kinds, kinds


# -- bench: every method, pins restored ------------------------------------------

GPIO_WORDS = (0x00, 0x04, 0x08, 0x0C, 0x10, 0x14, 0x34, 0x38)   # GPFSEL0-5, GPLEV0-1
PULL_WORDS = (0xE4, 0xE8, 0xEC, 0xF0)                             # BCM2711 GPIO_PUP_PDN_CNTRL0-3


def register_words(regs, expected):
    return {off: regs.read(off) for off in GPIO_WORDS + (PULL_WORDS if expected[0] == "bcm2711" else ())}


def sysfs_exports():
    return sorted(d for d in os.listdir("/sys/class/gpio") if re.fullmatch(r"gpio\d+", d))


def requested_lines():
    """Lines of every gpiochip the kernel reports as requested, with their consumer
    (libgpiod 1.6: 'line  17:  "GPIO17" "fastgpio" output active-high [used]')."""
    out = subprocess.run(["gpioinfo"], capture_output=True, text=True, check=True).stdout
    used, chip = [], None
    for text in out.splitlines():
        if not text.startswith((" ", "\t")):
            chip = text.split()[0]
        elif "[used]" in text or "consumer=" in text:
            used.append((chip, " ".join(text.split())))
    return used


@pytest.fixture
def bench_line(regs):
    """GPIO17 as an output driven high: the bench must put back the function and the level."""
    with fastgpio_pkg.Chip() as chip:
        chip.set_function(17, "out")
        chip.write(17, 1)
    assert regs.fsel(17) == 1 and regs.level(17) == 1
    return 17


def sane(stats, repeat):
    assert len(stats["runs"]) == repeat
    assert all(math.isfinite(r) and r > 0 for r in stats["runs"])
    assert stats["min"] <= stats["median"] <= stats["max"]
    # plausible for any machine: more than 100 operations a second, fewer than 10 G
    assert 1e2 < stats["median"] < 1e10, stats


def test_bench_runs_every_method_and_restores_pins(regs, expected, bench_line):
    from fastgpio import _bench
    before = register_words(regs, expected)
    exports, used = sysfs_exports(), requested_lines()
    assert exports == [], exports
    out = fastgpio("bench", "--json", "--repeat", "3", "--seconds", "0.05", "--line", "GPIO17")
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    assert res["schema"] == _bench.SCHEMA and res["line"] == 17 and not res["register_file"]
    by = {m["name"]: m for m in res["methods"]}
    assert list(by) == list(_bench.METHOD_NAMES)
    missing = {n: m["reason"] for n, m in by.items() if not m["available"]}
    assert not missing, missing          # sysfs, gpiod, mmap per call, bank, C batch, C ceiling
    for name, m in by.items():
        for kind in _bench.KINDS:
            s = m[kind]
            sane(s, 3)
            sysfs, ceiling = by["sysfs"][kind]["median"], by["c-loop"][kind]["median"]
            assert s["vs_sysfs"] == pytest.approx(s["median"] / sysfs)
            assert s["vs_ceiling"] == pytest.approx(s["median"] / ceiling)
    assert "gpiochip" in by["sysfs"]["detail"] and by["gpiod"]["detail"].startswith("/dev/gpiochip")
    # restored: function and level of GPIO17, every other word, no export, no request
    assert res["restored"] == {"function": "out", "ok": True, "errors": []}
    assert register_words(regs, expected) == before
    assert regs.fsel(17) == 1 and regs.level(17) == 1
    assert sysfs_exports() == []
    assert requested_lines() == used and not any('"fastgpio"' in u or "sysfs" in u for _, u in used)


def has_matplotlib():
    return subprocess.run(["python3", "-c", "import matplotlib"], capture_output=True).returncode == 0


def test_bench_plot(regs, expected, bench_line, tmp_path):
    """With matplotlib (the bench initramfs, tests/vpi/bench.sh) the PNG is
    written; without it (this test run's guest) --plot refuses before
    measuring, in one line naming the extra, and touches nothing."""
    before = register_words(regs, expected)
    png = tmp_path / "bench.png"
    out = fastgpio("bench", "--json", "--plot", str(png), "--repeat", "1", "--seconds", "0.02")
    if has_matplotlib():
        assert out.returncode == 0, out.stderr
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
        assert json.loads(out.stdout)["restored"]["ok"]
    else:
        assert out.returncode == 2 and out.stdout == ""
        assert out.stderr.strip() == ("fastgpio: --plot needs matplotlib: pip install 'fastgpio[plot]' "
                                      "(or python3-matplotlib)")
        assert not png.exists()
    assert register_words(regs, expected) == before
    assert sysfs_exports() == []
