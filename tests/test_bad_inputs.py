# SPDX-License-Identifier: MIT
"""The bad-input table of the Python API and the CLI.

Every public call - the Chip constructor, every public Chip and Pin member,
every CLI subcommand - is fed out-of-range lines and banks, negative and huge
numbers, wrong types, bad enums, names of other SoCs, closed chips and pins
of closed chips, on a chip of every register family. Each call must raise the
named exception AND leave the whole register file byte-for-byte unchanged
(RegFile.digest hashes every data extent).

The table is checked against the API itself: a public member of Chip or Pin,
a CLI subcommand, or an FGPIO_API function of include/fastgpio.h that the
tables here (or tests/c/test_badinput.c for C) do not cover fails the suite.
tests/test_api.py::BAD_CALLS holds the first hand-picked cases on bcm2711;
this file runs the classes of input systematically on every family.
"""

from __future__ import annotations

import asyncio
import math
import re
from array import array
from pathlib import Path

import pytest

import fastgpio
from fastgpio import ChipClosedError, NotSupportedError, UnsupportedSoCError
from fastgpio.__main__ import _COMMANDS, main as cli_main

ROOT = Path(__file__).resolve().parent.parent


class BadBool:
    """A value whose truth cannot be taken."""

    def __bool__(self) -> bool:
        raise ZeroDivisionError("no truth here")




# --- line arguments ------------------------------------------------------------

def bad_lines(n: int):
    """(value, exception) for a line argument of a chip with n lines."""
    return [
        (n, ValueError), (n + 1, ValueError), (-1, ValueError), (-(2**63), ValueError),
        (2**31, ValueError), (2**32, ValueError), (2**64, ValueError), (2**1000, ValueError),
        (True, TypeError), (False, TypeError), (1.0, TypeError), (None, TypeError),
        (b"17", TypeError), ([17], TypeError), (object(), TypeError),
        ("", ValueError), ("GPIO", ValueError), ("GPIO999", ValueError), ("GPIO17\0", ValueError),
        ("\0", ValueError), ("é", ValueError), ("\ud800", ValueError), ("x" * 10000, ValueError),
        ("BOARD0", ValueError), ("-1", ValueError), (" 17", ValueError), ("0x11", ValueError),
        (str(n), ValueError), ("%s%n", ValueError),
    ]


LINE_METHODS = {
    "line": lambda c, x: c.line(x),
    "set": lambda c, x: c.set(x),
    "clear": lambda c, x: c.clear(x),
    "read": lambda c, x: c.read(x),
    "write": lambda c, x: c.write(x, 1),
    "set_function": lambda c, x: c.set_function(x, "out"),
    "get_function": lambda c, x: c.get_function(x),
    "set_pull": lambda c, x: c.set_pull(x, "up"),
    "get_pull": lambda c, x: c.get_pull(x),
    "pin": lambda c, x: c.pin(x, "out", pull="up", value=1),
    "owner": lambda c, x: c.owner(x),
    "pwm": lambda c, x: c.pwm(x, 50, 0.5),
}

BANK_METHODS = {
    "bank_read": lambda c, b: c.bank_read(b),
    "bank_lines": lambda c, b: c.bank_lines(b),
    "bank_write": lambda c, b: c.bank_write(b, 1, 1),
    "wave": lambda c, b: c.wave(b, [(1, 0, 0), (0, 1, 0)]),
    "bank_sample": lambda c, b: c.bank_sample(b, 4),
    "bank_sample_into": lambda c, b: c.bank_sample_into(b, array("I", [0] * 4)),
}


def _last_bank_extra_line(c):
    """A step naming the first line past the last bank's end (when it has < 32)."""
    first, count = c.bank_lines(c.num_banks - 1)
    if count >= 32:
        return c.wave(-1, [(1, 0, 0)])  # no such line: refuse the bank instead
    return c.wave(c.num_banks - 1, [(1, 0, 0), (1 << count, 0, 0)], repeat=1000)


def bad_banks(nb: int):
    return [(nb, ValueError), (nb + 7, ValueError), (-1, ValueError), (2**32, ValueError),
            (2**100, ValueError), (True, TypeError), (None, TypeError), ("0", TypeError),
            (0.0, TypeError)]


# Other argument errors: (member, call, exception).
OTHER_CALLS = [
    ("write", lambda c: c.write(0), TypeError),
    ("write", lambda c: c.write(0, 1, 2), TypeError),
    # A level is a bool or an int 0/1, never taken by its truth: no __bool__ is called.
    ("write", lambda c: c.write(0, BadBool()), TypeError),
    ("bank_write", lambda c: c.bank_write(0, 1), TypeError),
    ("bank_write", lambda c: c.bank_write(0, -1, 0), ValueError),
    ("bank_write", lambda c: c.bank_write(0, 2**32, 0), ValueError),
    ("bank_write", lambda c: c.bank_write(0, 1, -1), ValueError),
    ("bank_write", lambda c: c.bank_write(0, 1, 2**32), ValueError),
    ("bank_write", lambda c: c.bank_write(0, None, 0), TypeError),
    ("bank_write", lambda c: c.bank_write(0, 1, 1.5), TypeError),
    ("bank_write", lambda c: c.bank_write(0, True, 1), TypeError),
    ("bank_write", lambda c: c.bank_write(c.num_banks - 1, 0xFFFFFFFF, 0xFFFFFFFF)
     if c.bank_lines(c.num_banks - 1)[1] < 32 else c.bank_write(-1, 0, 0), ValueError),
    ("wave", lambda c: c.wave(0, [(1, 0, 0), (3, 1, 0)]), ValueError),  # a line in both masks
    ("wave", _last_bank_extra_line, ValueError),
    ("wave", lambda c: c.wave(0, b"\0" * 13), ValueError),
    ("wave", lambda c: c.wave(0, [(1, 0)]), ValueError),
    ("wave", lambda c: c.wave(0, [(-1, 0, 0)]), ValueError),
    ("wave", lambda c: c.wave(0, [(2**32, 0, 0)]), ValueError),
    ("wave", lambda c: c.wave(0, [(1, 0, 2**32)]), ValueError),
    ("wave", lambda c: c.wave(0, [(1, 0, 0.5)]), TypeError),
    ("wave", lambda c: c.wave(0, None), TypeError),
    ("wave", lambda c: c.wave(0, "abc"), ValueError),
    ("wave", lambda c: c.wave(0, [(1, 0, 0)], repeat=-1), ValueError),
    ("wave", lambda c: c.wave(0, [(1, 0, 0)], repeat=2**32), ValueError),
    ("wave", lambda c: c.wave(0, [(1, 0, 0)], repeat=True), TypeError),
    ("wave", lambda c: c.wave(0, [(1, 0, 0)], cpu=-1), ValueError),
    ("wave", lambda c: c.wave(0, [(1, 0, 0)], cpu=2**40), ValueError),
    ("wave", lambda c: c.wave(0, [(1, 0, 0)], cpu="0"), TypeError),
    ("wave", lambda c: c.wave(0, [(1, 0, 0)], fifo_priority=0), ValueError),
    ("wave", lambda c: c.wave(0, [(1, 0, 0)], fifo_priority=100), ValueError),
    ("wave", lambda c: c.wave(0, [(1, 0, 0)], fifo_priority=True), TypeError),
    ("wave", lambda c: c.wave(0, [(1, 0, 0)], spin_ns=-1), ValueError),
    ("wave", lambda c: c.wave(0, [(1, 0, 0)], catch_up=BadBool()), ZeroDivisionError),
    ("wave", lambda c: c.wave(0, [(1, 0, 0)], bogus=1), TypeError),
    ("bank_sample", lambda c: c.bank_sample(0, -1), ValueError),
    ("bank_sample", lambda c: c.bank_sample(0, "4"), TypeError),
    ("bank_sample", lambda c: c.bank_sample(0, 1.5), TypeError),
    ("bank_sample_into", lambda c: c.bank_sample_into(0, b"\0" * 8), BufferError),  # read-only
    ("bank_sample_into", lambda c: c.bank_sample_into(0, bytearray(3)), ValueError),
    ("bank_sample_into", lambda c: c.bank_sample_into(0, "x"), TypeError),
    ("set_function", lambda c: c.set_function(0), TypeError),
    ("set_function", lambda c: c.set_function(0, "alt9"), ValueError),
    ("set_function", lambda c: c.set_function(0, "ALT0"), ValueError),
    ("set_function", lambda c: c.set_function(0, "none"), ValueError),
    ("set_function", lambda c: c.set_function(0, fastgpio.Function.NONE), ValueError),
    ("set_function", lambda c: c.set_function(0, 99), ValueError),
    ("set_function", lambda c: c.set_function(0, -1), ValueError),
    ("set_function", lambda c: c.set_function(0, 2**70), ValueError),
    ("set_function", lambda c: c.set_function(0, None), TypeError),
    ("set_function", lambda c: c.set_function(0, True), TypeError),
    ("set_function", lambda c: c.set_function(0, 1.0), TypeError),
    ("set_function", lambda c: c.set_function(0, "out\0"), ValueError),
    ("set_pull", lambda c: c.set_pull(0), TypeError),
    ("set_pull", lambda c: c.set_pull(0, "sideways"), ValueError),
    ("set_pull", lambda c: c.set_pull(0, "UP"), ValueError),
    ("set_pull", lambda c: c.set_pull(0, 7), ValueError),
    ("set_pull", lambda c: c.set_pull(0, -1), ValueError),
    ("set_pull", lambda c: c.set_pull(0, None), TypeError),
    ("set_pull", lambda c: c.set_pull(0, "keeper"), NotSupportedError),
    ("set_pull", lambda c: c.set_pull(0, fastgpio.Pull.KEEPER), NotSupportedError),
    ("pin", lambda c: c.pin(0, "alt9", value=1), ValueError),
    ("pin", lambda c: c.pin(0, "out", pull="sideways", value=1), ValueError),
    ("pin", lambda c: c.pin(0, "out", pull="up", value=BadBool()), TypeError),
    ("pin", lambda c: c.pin(0, 1.5, value=1), TypeError),
    ("pin", lambda c: c.pin(0, "out", pull=None, value=1, bogus=1), TypeError),
    ("owner", lambda c: c.owner(0), NotSupportedError),  # a register file: no kernel to ask
    ("owner", lambda c: c.owner(), TypeError),
    # line 0 has no PWM output on any SoC; the option checks come before the line's
    ("pwm", lambda c: c.pwm(0, 50, 0.5), NotSupportedError),
    ("pwm", lambda c: c.pwm(0), NotSupportedError),
    ("pwm", lambda c: c.pwm(0, 50, 0.5, force=1), TypeError),
    ("pwm", lambda c: c.pwm(0, 50, 0.5, backend="kernel"), ValueError),
    ("pwm", lambda c: c.pwm(0, 50, 0.5, polarity="upside-down"), ValueError),
    ("pwm", lambda c: c.pwm(0, 50, 0.5, polarity=2), ValueError),
    ("pwm", lambda c: c.pwm(0, 50, 0.5, polarity=None), TypeError),
    ("pwm", lambda c: c.pwm(0, 50, 0.5, bogus=1), TypeError),
    ("line", lambda c: c.line(0, 1), TypeError),
    ("set", lambda c: c.set(), TypeError),
    ("clear", lambda c: c.clear(0, 1), TypeError),
    ("read", lambda c: c.read(), TypeError),
    ("get_function", lambda c: c.get_function(), TypeError),
    ("get_pull", lambda c: c.get_pull(0, 1), TypeError),
    ("bank_read", lambda c: c.bank_read(), TypeError),
    ("bank_lines", lambda c: c.bank_lines(0, 1), TypeError),
    ("header", lambda c: c.header(1), TypeError),
    ("close", lambda c: c.close(1), TypeError),
    ("stop_wave", lambda c: c.stop_wave(1), TypeError),
    ("info", lambda c: setattr(c, "info", None), AttributeError),
    ("closed", lambda c: setattr(c, "closed", True), AttributeError),
    ("num_lines", lambda c: setattr(c, "num_lines", 1), AttributeError),
    ("num_banks", lambda c: setattr(c, "num_banks", 1), AttributeError),
]

# Every public member with a valid call, for the closed-chip table.
CLOSED_CALLS = {
    "line": lambda c: c.line(0), "set": lambda c: c.set(0), "clear": lambda c: c.clear(0),
    "read": lambda c: c.read(0), "write": lambda c: c.write(0, 1),
    "bank_write": lambda c: c.bank_write(0, 1, 1), "bank_read": lambda c: c.bank_read(0),
    "bank_lines": lambda c: c.bank_lines(0), "set_function": lambda c: c.set_function(0, "out"),
    "get_function": lambda c: c.get_function(0), "set_pull": lambda c: c.set_pull(0, "up"),
    "get_pull": lambda c: c.get_pull(0), "pin": lambda c: c.pin(0), "header": lambda c: c.header(),
    "info": lambda c: c.info, "num_lines": lambda c: c.num_lines, "num_banks": lambda c: c.num_banks,
    "wave": lambda c: c.wave(0, [(1, 0, 0)]), "bank_sample": lambda c: c.bank_sample(0, 4),
    "stop_wave": lambda c: c.stop_wave(),
    "bank_sample_into": lambda c: c.bank_sample_into(0, array("I", [0] * 4)),
    "owner": lambda c: c.owner(0),
    "pwm": lambda c: c.pwm(18),
}
CLOSED_OK = {"close", "closed"}  # idempotent close; closed reports True


def public(cls) -> set:
    return {n for n in dir(cls) if not n.startswith("_")}


def test_tables_cover_every_public_chip_member():
    covered = set(LINE_METHODS) | set(BANK_METHODS) | {m for m, _, _ in OTHER_CALLS}
    missing = public(fastgpio.Chip) - covered
    assert not missing, f"Chip members without bad-input cases: {sorted(missing)}"
    missing = public(fastgpio.Chip) - set(CLOSED_CALLS) - CLOSED_OK
    assert not missing, f"Chip members without a closed-chip case: {sorted(missing)}"


@pytest.mark.parametrize("method", sorted(LINE_METHODS))
def test_bad_lines(any_chip, method):
    chip, f, foreign = any_chip
    before = f.digest()
    cases = bad_lines(chip.num_lines) + [(name, ValueError) for name in foreign]
    for value, exc in cases:
        with pytest.raises(exc):
            LINE_METHODS[method](chip, value)
        assert f.digest() == before, f"{method}({value!r}) changed the registers"


@pytest.mark.parametrize("method", sorted(BANK_METHODS))
def test_bad_banks(any_chip, method):
    chip, f, _ = any_chip
    before = f.digest()
    for value, exc in bad_banks(chip.num_banks):
        with pytest.raises(exc):
            BANK_METHODS[method](chip, value)
    assert f.digest() == before


@pytest.mark.parametrize("idx", range(len(OTHER_CALLS)),
                         ids=[f"{m}-{i}" for i, (m, _, _) in enumerate(OTHER_CALLS)])
def test_other_bad_arguments(any_chip, idx):
    chip, f, _ = any_chip
    _, call, exc = OTHER_CALLS[idx]
    before = f.digest()
    with pytest.raises(exc):
        call(chip)
    assert f.digest() == before


def test_closed_chip_every_member(any_chip):
    chip, f, _ = any_chip
    pin = chip.pin(0)
    chip.close()
    before = f.digest()
    for name, call in sorted(CLOSED_CALLS.items()):
        with pytest.raises(ChipClosedError):
            call(chip)
    chip.close()
    assert chip.closed is True
    assert f.digest() == before
    # A closed chip's pins, and new pins of it.
    for call in PIN_CLOSED_CALLS.values():
        with pytest.raises(ChipClosedError):
            call(pin)
    with pytest.raises(ChipClosedError):
        fastgpio.Pin(chip, 0)
    assert pin.line == 0 and pin.chip is chip
    assert f.digest() == before


# --- Pin ---------------------------------------------------------------------------

PIN_CLOSED_CALLS = {
    "on": lambda p: p.on(), "off": lambda p: p.off(), "toggle": lambda p: p.toggle(),
    "value": lambda p: p.value, "value=": lambda p: setattr(p, "value", 1),
    "function": lambda p: p.function, "function=": lambda p: setattr(p, "function", "out"),
    "pull": lambda p: p.pull, "pull=": lambda p: setattr(p, "pull", "up"),
    "watching": lambda p: p.watching, "watch": lambda p: p.watch(), "unwatch": lambda p: p.unwatch(),
    "wait_for_edge": lambda p: p.wait_for_edge(timeout=0), "flush_events": lambda p: p.flush_events(),
    "edges": lambda p: p.edges(timeout=0), "wait_pulse": lambda p: p.wait_pulse(timeout=0),
    "add_callback": lambda p: p.add_callback(print), "remove_callback": lambda p: p.remove_callback(),
    "edge": lambda p: asyncio.run(p.edge()),
    "wait": lambda p: p.wait("high", timeout=0),
    "wait_async": lambda p: asyncio.run(p.wait_async("rising", timeout=0)),
    "state": lambda p: p.state, "state=": lambda p: setattr(p, "state", 1),
}
PIN_CLOSED_OK = {"line", "chip"}

PIN_BAD_CALLS = [
    ("value", lambda p: setattr(p, "value", BadBool()), TypeError),
    ("value", lambda p: delattr(p, "value"), AttributeError),
    ("function", lambda p: setattr(p, "function", "alt9"), ValueError),
    ("function", lambda p: setattr(p, "function", None), TypeError),
    ("pull", lambda p: setattr(p, "pull", 7), ValueError),
    ("pull", lambda p: setattr(p, "pull", "keeper"), NotSupportedError),
    ("line", lambda p: setattr(p, "line", 3), AttributeError),
    ("chip", lambda p: setattr(p, "chip", None), AttributeError),
    ("on", lambda p: p.on(1), TypeError),
    ("off", lambda p: p.off(1), TypeError),
    ("toggle", lambda p: p.toggle(1), TypeError),
    # edge events: argument errors first, then the register file's lack of a kernel
    ("watch", lambda p: p.watch("sideways"), ValueError),
    ("watch", lambda p: p.watch(Ellipsis), TypeError),
    ("watch", lambda p: p.watch(True), TypeError),
    ("watch", lambda p: p.watch(0), ValueError),
    ("watch", lambda p: p.watch("both", -0.001), ValueError),
    ("watch", lambda p: p.watch("both", math.nan), ValueError),
    ("watch", lambda p: p.watch("both", 1e9), ValueError),
    ("watch", lambda p: p.watch("both", "1"), TypeError),
    ("watch", lambda p: p.watch(), NotSupportedError),
    ("watching", lambda p: setattr(p, "watching", True), AttributeError),
    ("unwatch", lambda p: p.unwatch(1), TypeError),
    ("wait_for_edge", lambda p: p.wait_for_edge("both", -1), ValueError),
    ("wait_for_edge", lambda p: p.wait_for_edge("both", "1"), TypeError),
    ("wait_for_edge", lambda p: p.wait_for_edge(4, 0), ValueError),
    ("wait_for_edge", lambda p: p.wait_for_edge("rising", 0), NotSupportedError),
    ("flush_events", lambda p: p.flush_events(1), TypeError),
    ("edges", lambda p: p.edges("both", math.nan), ValueError),
    ("edges", lambda p: p.edges("down"), ValueError),
    ("edges", lambda p: p.edges(), NotSupportedError),
    ("wait_pulse", lambda p: p.wait_pulse(1, -5), ValueError),
    ("wait_pulse", lambda p: p.wait_pulse(1, 0, debounce=-1), ValueError),
    ("wait_pulse", lambda p: p.wait_pulse(1, 0), NotSupportedError),
    ("add_callback", lambda p: p.add_callback(None), TypeError),
    ("add_callback", lambda p: p.add_callback(print, "up"), ValueError),
    ("add_callback", lambda p: p.add_callback(print), NotSupportedError),
    ("remove_callback", lambda p: p.remove_callback(print), ValueError),
    ("edge", lambda p: asyncio.run(p.edge("both", -1)), ValueError),
    ("edge", lambda p: asyncio.run(p.edge()), NotSupportedError),
    # one pin event: the event and the timeout checked before any watch
    ("wait", lambda p: p.wait("sideways"), ValueError),
    ("wait", lambda p: p.wait(None), TypeError),
    ("wait", lambda p: p.wait(True), TypeError),
    ("wait", lambda p: p.wait(7), ValueError),
    ("wait", lambda p: p.wait(fastgpio.Edge.BOTH), ValueError),
    ("wait", lambda p: p.wait("high", -1), ValueError),
    ("wait", lambda p: p.wait("high", math.nan), ValueError),
    ("wait", lambda p: p.wait("pulse-high", "1"), TypeError),
    ("wait", lambda p: p.wait("high", 0, debounce=-1), ValueError),
    ("wait", lambda p: p.wait("high", 0), NotSupportedError),
    ("wait_async", lambda p: asyncio.run(p.wait_async("pulse")), ValueError),
    ("wait_async", lambda p: asyncio.run(p.wait_async(1.0)), TypeError),
    ("wait_async", lambda p: asyncio.run(p.wait_async("low", -1)), ValueError),
    ("wait_async", lambda p: asyncio.run(p.wait_async("low", 0)), NotSupportedError),
    ("state", lambda p: setattr(p, "state", 2), ValueError),
    ("state", lambda p: setattr(p, "state", "1"), TypeError),
    ("state", lambda p: setattr(p, "state", BadBool()), TypeError),
    ("state", lambda p: delattr(p, "state"), AttributeError),
]


def test_tables_cover_every_public_pin_member():
    covered = {k.rstrip("=") for k in PIN_CLOSED_CALLS} | PIN_CLOSED_OK
    assert public(fastgpio.Pin) <= covered, sorted(public(fastgpio.Pin) - covered)
    assert public(fastgpio.Pin) <= {m for m, _, _ in PIN_BAD_CALLS} | {"value"}


def test_pin_bad_arguments(any_chip):
    chip, f, _ = any_chip
    pin = chip.pin(0)
    before = f.digest()
    for _, call, exc in PIN_BAD_CALLS:
        with pytest.raises(exc):
            call(pin)
    for value, exc in bad_lines(chip.num_lines):
        with pytest.raises(exc):
            fastgpio.Pin(chip, value)
    for args, exc in [((), TypeError), ((chip,), TypeError), (("chip", 0), TypeError),
                      ((None, 0), TypeError), ((chip, 0, 1), TypeError)]:
        with pytest.raises(exc):
            fastgpio.Pin(*args)
    assert f.digest() == before


# --- Chip constructor ----------------------------------------------------------------

def test_constructor_bad_arguments(regfile, no_dt, tmp_path):
    f = regfile(0xFE201000)
    f.fill(0xFE200000, 0x100, 0x24924924)
    small = regfile(0x1000)
    before, before_small = f.digest(), small.digest()
    cases = [
        (dict(soc=123), TypeError),
        (dict(soc=b"bcm2711"), TypeError),
        (dict(soc="bcm2711\0"), ValueError),
        (dict(soc="z80"), ValueError),  # an unknown table name is a bad argument
        (dict(soc=""), ValueError),
        (dict(soc="x" * 100000), ValueError),
        (dict(soc="bcm2711", backend="magic"), ValueError),
        (dict(soc="bcm2711", backend=None), TypeError),
        (dict(soc="bcm2711", backend=1), TypeError),
        (dict(soc="bcm2711", dt_root=[]), TypeError),
        (dict(soc="bcm2711", devmem=12), TypeError),
        (dict(soc="bcm2711", devmem="a\0b"), ValueError),
        (dict(soc="bcm2711", enable_clocks=BadBool()), ZeroDivisionError),
        (dict(soc="bcm2711", bogus=1), TypeError),
        (dict(soc="bcm2711", gpiomem=str(f)), None),  # both paths: set below
        (dict(soc="bcm2711", backend="gpiomem"), ValueError),  # conflicts with devmem
        (dict(soc="bcm2711", backend="gpiod"), ValueError),  # conflicts with devmem
        (dict(soc="bcm2711", gpiochip=12), TypeError),
        (dict(soc="bcm2711", gpiochip="a\0b"), ValueError),
        (dict(soc="rk3288"), ValueError),  # blocks beyond the file: "truncate -s"
        (dict(soc="am335x", devmem=None, gpiomem=str(small)), NotSupportedError),
        (dict(soc="bcm2711", devmem=str(tmp_path / "missing")), FileNotFoundError),
        (dict(soc="bcm2711", devmem=str(tmp_path)), OSError),
        (dict(soc=None, dt_root=str(tmp_path / ("x" * 5000))), UnsupportedSoCError),
    ]
    for kwargs, exc in cases:
        kw = dict(dt_root=no_dt, devmem=str(f))
        kw.update(kwargs)
        if exc is None:
            exc = ValueError
        with pytest.raises(exc):
            fastgpio.Chip(**kw)
        assert f.digest() == before, kwargs
        assert small.digest() == before_small, kwargs
    with pytest.raises(TypeError):
        fastgpio.Chip("bcm2711", no_dt)  # dt_root is keyword-only


# --- CLI -------------------------------------------------------------------------

def cli(argv) -> int:
    try:
        return cli_main(argv)
    except SystemExit as e:  # argparse: bad usage
        return e.code


CLI_BAD = {
    "info": [(["--backend", "magic"], 2), (["--soc", "z80"], 2), (["--backend", "gpiod"], 2)],
    "readall": [(["--backend", "magic"], 2), (["--soc", "z80"], 2)],
    "get": [(["GPIO999"], 2), (["P9_12"], 2), ([""], 2), (["GPIO17\x01"], 2), ([], 2),
            (["BOARD1"], 2), (["17", "GPIO999"], 2)],
    "set": [(["GPIO17=2"], 2), (["GPIO17"], 2), (["=1"], 2), (["GPIO17=1=1"], 2),
            (["GPIO17= 1"], 2), (["GPIO17=01"], 2), (["GPIO999=1"], 2), (["GPIO17=1", "GPIO999=0"], 2),
            (["GPIO17=1", "BOARD1=1"], 2), ([], 2), (["GPIO17=-1"], 2), (["GPIO17=1\0"], 2)],
    "func": [(["17", "alt9"], 2), (["17", "alt6"], 1), (["999"], 2), ([], 2), (["17", "none"], 2),
             (["17", "out", "in"], 2), (["P9_12", "out"], 2)],
    "pull": [(["17", "keeper"], 2), (["999", "up"], 2), (["17", "sideways"], 2), ([], 2)],
    "watch": [([], 2), (["GPIO999"], 2), (["P9_12"], 2), (["17", "--edge", "up"], 2),
              (["17", "--count", "0"], 2), (["17", "--debounce", "-1"], 2), (["17", "--timeout", "0"], 2),
              (["17", "18"], 2)],
    "pwm": [([], 2), (["GPIO999"], 2), (["P9_12"], 2), (["18", "50"], 2), (["18", "50", "150%"], 2),
            (["18", "0", "0.5"], 2), (["18", "nan", "0.5"], 2), (["18", "-50", "0.5"], 2),
            (["18", "50", "half"], 2), (["18", "50", "0.5", "--polarity", "up"], 2),
            (["18", "50", "0.5", "--off"], 2), (["18", "50", "0.5", "1"], 2),
            (["17", "50", "0.5"], 1), (["17"], 1)],
}


def test_cli_table_covers_every_subcommand():
    assert set(_COMMANDS) <= set(CLI_BAD), sorted(set(_COMMANDS) - set(CLI_BAD))


@pytest.mark.parametrize("command", sorted(CLI_BAD))
def test_cli_bad_arguments(regfile, no_dt, capsys, command):
    f = regfile(0xFE201000)
    f.fill(0xFE200000, 0x100, 0x24924924)
    before = f.digest()
    opts = ["--soc", "bcm2711", "--devmem", str(f), "--dt-root", no_dt]
    for args, code in CLI_BAD[command]:
        if args[:1] == ["--soc"] or args[:1] == ["--backend"]:
            argv = ["--devmem", str(f), "--dt-root", no_dt] + args + [command]
        else:
            argv = opts + [command] + args
        got = cli(argv)
        err = capsys.readouterr().err
        assert got == code, (argv, got, err)
        assert err.strip(), argv  # every refusal says why
        assert "Traceback" not in err
        assert f.digest() == before, argv
    assert cli(["--devmem", str(f), "--dt-root", no_dt]) == 2  # no subcommand


# --- C: every FGPIO_API function is in tests/c/test_badinput.c's table -----------------

def test_c_table_covers_every_public_function():
    header = (ROOT / "include" / "fastgpio.h").read_text()
    api = set()
    for line in header.splitlines():
        if line.startswith("FGPIO_API"):
            api.update(re.findall(r"\b(fgpio_\w+)\s*\(", line))
    table = (ROOT / "tests" / "c" / "test_badinput.c").read_text()
    covered = set(re.findall(r"COVER\((fgpio_\w+)\)", table))
    assert len(api) >= 28
    assert not api - covered, f"C functions missing from test_badinput.c: {sorted(api - covered)}"
