"""`fastgpio watch`: argument and pin errors through the real command (register
file, nothing may be written), and the event loop against a stand-in chip whose
pin yields scripted events: output format, --count, --json, Ctrl-C, --timeout,
a busy line, and the line released (unwatch) on every way out.

Real edges come from the kernel: the gpio-sim and emulated-Pi tests cover them.
"""

from __future__ import annotations

import enum
import errno
import json
import subprocess
import sys
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional

import pytest

import fastgpio.__main__ as cli

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


# ---- the event loop, against a stand-in chip ------------------------------------

class Edge(enum.IntEnum):  # the shape of fastgpio.Edge
    RISING = 1
    FALLING = 2


@dataclass(frozen=True)
class Event:  # the shape of fastgpio.EdgeEvent
    edge: Edge
    timestamp_ns: int
    line: int
    seqno: int


class FakePin:
    def __init__(self, script: List[Any]) -> None:
        self.script = script  # events; an exception instance is raised where it stands
        self.watching = False
        self.calls: List[Dict[str, Any]] = []
        self.unwatched = 0

    def edges(self, edge: str = "both", timeout: Optional[float] = None,
              debounce: float = 0.0) -> Iterator[Event]:
        self.calls.append({"edge": edge, "timeout": timeout, "debounce": debounce})
        self.watching = True
        for item in self.script:
            if isinstance(item, BaseException):
                raise item
            yield item
        # the real iterator ends after `timeout` seconds without an event

    def unwatch(self) -> None:
        self.watching = False
        self.unwatched += 1


class FakeChip:
    NAMES = {"GPIO17": 17, "17": 17, "BOARD11": 17}

    def __init__(self, pin: FakePin) -> None:
        self.fake_pin = pin
        self.closed = False

    def __enter__(self) -> "FakeChip":
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed = True

    def line(self, name: str) -> int:
        if name not in self.NAMES:
            raise ValueError(f"unknown pin name {name!r}")
        return self.NAMES[name]

    def pin(self, line: int) -> FakePin:
        return self.fake_pin


def events(n: int) -> List[Event]:
    return [Event(Edge.RISING if i % 2 == 0 else Edge.FALLING, 5_000_000_000 * (i + 1) + 42, 17, i + 1)
            for i in range(n)]


@pytest.fixture
def fake(monkeypatch):
    def make(script: List[Any]) -> FakeChip:
        chip = FakeChip(FakePin(script))
        monkeypatch.setattr(cli, "_open", lambda args, **kw: chip)
        return chip
    return make


def test_count_stops_after_n_events_and_releases_line(fake, capsys):
    chip = fake(events(5))
    rc = cli.main(["watch", "GPIO17", "--edge", "rising", "--count", "2", "--debounce", "0.01"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert out.splitlines() == ["5.000000042 rising  GPIO17 (line 17)",
                                "10.000000042 falling GPIO17 (line 17)"]
    assert chip.fake_pin.calls == [{"edge": "rising", "timeout": None, "debounce": 0.01}]
    assert chip.fake_pin.unwatched == 1 and not chip.fake_pin.watching and chip.closed


def test_json_lines(fake, capsys):
    fake(events(3))
    rc = cli.main(["watch", "BOARD11", "--json", "--count", "3"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    rows = [json.loads(x) for x in out.splitlines()]
    assert rows == [{"timestamp_ns": 5_000_000_042, "edge": "rising", "pin": "BOARD11", "line": 17, "seqno": 1},
                    {"timestamp_ns": 10_000_000_042, "edge": "falling", "pin": "BOARD11", "line": 17, "seqno": 2},
                    {"timestamp_ns": 15_000_000_042, "edge": "rising", "pin": "BOARD11", "line": 17, "seqno": 3}]


def test_ctrl_c_exits_0_after_printing_what_came_and_releases_line(fake, capsys):
    chip = fake([*events(2), KeyboardInterrupt()])
    rc = cli.main(["watch", "17"])
    out, err = capsys.readouterr()
    assert rc == 0
    assert len(out.splitlines()) == 2 and err == ""
    assert chip.fake_pin.calls[0]["edge"] == "both" and chip.fake_pin.unwatched == 1


def test_timeout_without_count_exits_0(fake, capsys):
    chip = fake(events(1))
    rc = cli.main(["watch", "17", "--timeout", "0.5"])
    out, err = capsys.readouterr()
    assert rc == 0 and len(out.splitlines()) == 1 and err == ""
    assert chip.fake_pin.calls[0]["timeout"] == 0.5 and chip.fake_pin.unwatched == 1


def test_timeout_before_count_exits_1_with_message(fake, capsys):
    chip = fake(events(1))
    rc = cli.main(["watch", "17", "--count", "3", "--timeout", "2"])
    out, err = capsys.readouterr()
    assert rc == 1 and len(out.splitlines()) == 1
    assert err.strip() == "fastgpio: timed out: 1 of 3 edges on 17 (none within 2 s)"
    assert chip.fake_pin.unwatched == 1


def test_busy_line_exits_1_one_line(fake, capsys):
    busy = OSError(errno.EBUSY, "line 17 is used by another consumer ('gpiomon')")
    chip = fake([busy])
    rc = cli.main(["watch", "17"])
    out, err = capsys.readouterr()
    assert rc == 1 and out == ""
    assert err.strip() == "fastgpio: line 17 is used by another consumer ('gpiomon')"
    assert chip.fake_pin.unwatched == 1


def test_unknown_name_on_the_chip_exits_2_before_watching(fake, capsys):
    chip = fake(events(1))
    rc = cli.main(["watch", "GPIO99"])
    out, err = capsys.readouterr()
    assert rc == 2 and out == "" and "GPIO99" in err
    assert chip.fake_pin.calls == []
