# SPDX-License-Identifier: MIT
"""`fastgpio watch`: argument and pin errors through the real command (register
file, nothing may be written), and the event loop against a register-file chip whose
GPIO character device is a script under the package's own Pin.edges: output
format, --count, --json, Ctrl-C, --timeout, a busy line, and the line released
(unwatch) on every way out.

Real edges come from the kernel: the gpio-sim and emulated-Pi tests cover them.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from typing import Any, List, Optional

import pytest

import fastgpio
import fastgpio.__main__ as cli
from fastgpio import Edge

GPIO = 0xFE200000


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fastgpio", *args], capture_output=True, text=True,
                          timeout=60)


@pytest.fixture
def pi4(regfile, tmp_path):
    f = regfile(GPIO + 0x1000)
    return ["--soc", "bcm2711", "--devmem", str(f), "--dt-root", str(tmp_path / "none")], f


@pytest.mark.parametrize("argv", [
    ["watch"],
    ["watch", "17", "--edge", "up"],
    ["watch", "17", "--count", "0"],
    ["watch", "17", "--count", "two"],
    ["watch", "17", "--debounce", "-0.1"],
    ["watch", "17", "--debounce", "nan"],
    ["watch", "17", "--timeout", "0"],
    ["watch", "17", "--timeout", "inf"],
    ["watch", "17", "--timeout", "soon"],
])
def test_bad_arguments_exit_2_one_line_nothing_written(pi4, argv):
    opts, f = pi4
    before = f.digest()
    r = run(*opts, *argv)
    assert r.returncode == 2, (argv, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fastgpio") and "--help" in lines[0], r.stderr
    assert r.stdout == ""
    assert f.digest() == before


@pytest.mark.parametrize("name", ["GPIO99", "P9_12", "BOARD1", "-3"])
def test_bad_pin_exit_2_one_line_nothing_written(pi4, name):
    opts, f = pi4
    before = f.digest()
    r = run(*opts, "watch", "--", name) if name.startswith("-") else run(*opts, "watch", name)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fastgpio: "), r.stderr
    assert f.digest() == before


def test_help_documents_exit_status_and_options():
    r = run("watch", "--help")
    assert r.returncode == 0
    text = " ".join(r.stdout.split())
    for word in ("--edge", "--count", "--debounce", "--timeout", "--json", "Ctrl-C", "exit 0"):
        assert word in text, word


# ---- the event loop: the package's own Pin.edges over a scripted kernel --------

class ScriptedChip(fastgpio.Chip):
    """A register-file chip whose GPIO character device is a script: each
    ``_event_read`` takes the next item (an event tuple; an exception instance
    is raised; the end of the script is a timeout)."""

    __slots__ = ("script", "calls", "pipes", "refuse")

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.script, self.calls, self.pipes, self.refuse = [], [], {}, None

    def _watch(self, line, edge, debounce_us):
        self.calls.append(("watch", line, int(edge), debounce_us))
        if self.refuse is not None:
            raise self.refuse
        self.pipes[line] = os.pipe2(os.O_CLOEXEC | os.O_NONBLOCK)
        return self.pipes[line][0]

    def _unwatch(self, line):
        self.calls.append(("unwatch", line))
        for fd in self.pipes.pop(line):
            os.close(fd)

    def _event_read(self, line, timeout_ns):
        self.calls.append(("read", line, timeout_ns))
        if not self.script:
            return None
        item = self.script.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item


def events(n: int, line: int = 17) -> List[tuple]:
    return [(int(Edge.RISING if i % 2 == 0 else Edge.FALLING), 5_000_000_000 * (i + 1) + 42, line, i + 1)
            for i in range(n)]


@pytest.fixture
def scripted(monkeypatch, regfile, no_dt):
    def make(script: List[Any], refuse: Optional[BaseException] = None) -> ScriptedChip:
        chip = ScriptedChip("bcm2837", dt_root=no_dt, gpiomem=regfile(0x1000))
        chip.script, chip.refuse = list(script), refuse
        monkeypatch.setattr(cli, "_open", lambda args, **kw: chip)
        return chip
    return make


def kernel_calls(chip: ScriptedChip) -> List[tuple]:
    return [c for c in chip.calls if c[0] != "read"]


def test_count_stops_after_n_events_and_releases_line(scripted, capsys):
    chip = scripted(events(5))
    rc = cli.main(["watch", "GPIO17", "--edge", "rising", "--count", "2", "--debounce", "0.01"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert out.splitlines() == ["5.000000042 rising  GPIO17 (line 17)",
                                "10.000000042 falling GPIO17 (line 17)"]
    assert kernel_calls(chip) == [("watch", 17, int(Edge.RISING), 10_000), ("unwatch", 17)]
    assert chip.closed and len(chip.script) == 3  # no event read past the count


def test_json_lines(scripted, capsys):
    scripted(events(3))
    rc = cli.main(["watch", "BOARD11", "--json", "--count", "3"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    rows = [json.loads(x) for x in out.splitlines()]
    assert rows == [{"timestamp_ns": 5_000_000_042, "edge": "rising", "pin": "BOARD11", "line": 17, "seqno": 1},
                    {"timestamp_ns": 10_000_000_042, "edge": "falling", "pin": "BOARD11", "line": 17, "seqno": 2},
                    {"timestamp_ns": 15_000_000_042, "edge": "rising", "pin": "BOARD11", "line": 17, "seqno": 3}]


def test_ctrl_c_exits_0_after_printing_what_came_and_releases_line(scripted, capsys):
    chip = scripted([*events(2), KeyboardInterrupt()])
    rc = cli.main(["watch", "17"])
    out, err = capsys.readouterr()
    assert rc == 0
    assert len(out.splitlines()) == 2 and err == ""
    assert kernel_calls(chip) == [("watch", 17, int(Edge.BOTH), 0), ("unwatch", 17)]
    assert all(c[2] == -1 for c in chip.calls if c[0] == "read")  # no --timeout: wait forever


def test_timeout_without_count_exits_0(scripted, capsys):
    chip = scripted(events(1))
    rc = cli.main(["watch", "17", "--timeout", "0.5"])
    out, err = capsys.readouterr()
    assert rc == 0 and len(out.splitlines()) == 1 and err == ""
    assert {c[2] for c in chip.calls if c[0] == "read"} == {500_000_000}
    assert kernel_calls(chip)[-1] == ("unwatch", 17)


def test_timeout_before_count_exits_1_with_message(scripted, capsys):
    chip = scripted(events(1))
    rc = cli.main(["watch", "17", "--count", "3", "--timeout", "2"])
    out, err = capsys.readouterr()
    assert rc == 1 and len(out.splitlines()) == 1
    assert err.strip() == "fastgpio: timed out: 1 of 3 edges on 17 (none within 2 s)"
    assert kernel_calls(chip)[-1] == ("unwatch", 17)


def test_busy_line_exits_1_one_line(scripted, capsys):
    busy = fastgpio.LineBusyError(errno.EBUSY, "line 17 is used by another consumer ('gpiomon')")
    chip = scripted([], refuse=busy)
    rc = cli.main(["watch", "17"])
    out, err = capsys.readouterr()
    assert rc == 1 and out == ""
    assert err.strip() == "fastgpio: line 17 is used by another consumer ('gpiomon')"
    assert not chip.pipes and chip.closed


def test_unknown_name_on_the_chip_exits_2_before_watching(scripted, capsys):
    chip = scripted(events(1))
    rc = cli.main(["watch", "GPIO99"])
    out, err = capsys.readouterr()
    assert rc == 2 and out == "" and "GPIO99" in err
    assert chip.calls == []


def test_register_file_has_no_events_exit_1(pi4):
    opts, f = pi4
    before = f.digest()
    r = run(*opts, "watch", "17", "--count", "1")
    assert r.returncode == 1 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fastgpio: ") and "register file" in lines[0], r.stderr
    assert f.digest() == before
