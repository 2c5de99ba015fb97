# SPDX-License-Identifier: MIT
"""Shapes and meanings of arguments, in register-file mode on every family:
wave step buffers of the documented shapes only, levels by type (never by
truth), numpy integers wherever a number is taken, Chip.pin checking the
function before it writes the pull or the level, and bank_sample/pack_steps
counts. Every refusal asserts its exception type and a byte-identical
register file (RegFile.digest)."""

from __future__ import annotations

import ctypes
import enum
import math
import sys
from array import array

import pytest

import fastgpio
from fastgpio import NotSupportedError
from helpers import LAYOUTS

np = pytest.importorskip("numpy")

G2711 = 0xFE200000
GPSET0, GPCLR0 = 0x1C, 0x28


@pytest.fixture
def pi4(regfile, no_dt):
    f = regfile(G2711 + 0x1000)
    f.fill(G2711, 0x100, 0x24924924)  # every line an output (FSEL 001), as a busy board has it
    with fastgpio.Chip("bcm2711", devmem=f, dt_root=no_dt) as chip:
        yield chip, f


# --- Chip.wave: the documented buffer shapes only ----------------------------------

def _u32(rows):
    return np.array(rows, dtype=np.uint32)


BAD_STEPS = [
    # wrong shape or length: ValueError
    ("(3, n) uint32", lambda: _u32([[1, 0], [0, 1], [10000, 10000]]), ValueError),
    ("(n, 4) uint32", lambda: np.zeros((3, 4), np.uint32), ValueError),
    ("(4, 3) uint8", lambda: np.zeros((4, 3), np.uint8), ValueError),
    ("(2, 12) bytes view", lambda: memoryview(bytearray(24)).cast("B", [2, 12]), ValueError),
    ("3-D uint32", lambda: np.zeros((1, 2, 3), np.uint32), ValueError),
    ("(n, 3, 1) uint32", lambda: np.zeros((2, 3, 1), np.uint32), ValueError),
    ("0-D uint32", lambda: np.array(5, np.uint32), ValueError),
    ("4 uint32 items", lambda: array("I", [1, 0, 0, 1]), ValueError),
    ("(3, 2) uint32 view", lambda: memoryview(bytes(24)).cast("I", [3, 2]), ValueError),
    ("non-contiguous rows", lambda: np.zeros((4, 3), np.uint32)[::2], ValueError),
    ("Fortran order", lambda: np.asfortranarray(np.zeros((2, 3), np.uint32)), ValueError),
    ("reversed 1-D", lambda: np.zeros(6, np.uint32)[::-1], ValueError),
    # wrong element type: TypeError
    ("int32", lambda: np.zeros((2, 3), np.int32), TypeError),
    ("int64", lambda: np.zeros((2, 3), np.int64), TypeError),
    ("uint64", lambda: np.zeros((2, 3), np.uint64), TypeError),
    ("uint16", lambda: np.zeros((4, 3), np.uint16), TypeError),
    ("float32", lambda: np.zeros((2, 3), np.float32), TypeError),
    ("float64", lambda: np.zeros(6, np.float64), TypeError),
    ("big-endian uint32", lambda: np.zeros((2, 3), ">u4"), TypeError),
    ("array('i')", lambda: array("i", [0] * 6), TypeError),
    ("array('f')", lambda: array("f", [0] * 6), TypeError),
    ("array('L') 8-byte", lambda: array("L", [0] * 6) if array("L").itemsize != 4 else array("q", [0] * 6),
     TypeError),
    ("array('Q')", lambda: array("Q", [0] * 6), TypeError),
    ("bool array", lambda: np.zeros((4, 3), np.bool_), TypeError),
    # ctypes exports explicit byte orders ('<I' on a little-endian host)
    ("ctypes foreign-order uint32", lambda: ((ctypes.c_uint32.__ctype_be__ if sys.byteorder == "little"
                                              else ctypes.c_uint32.__ctype_le__) * 6)(), TypeError),
    ("ctypes int32", lambda: (ctypes.c_int32 * 6)(), TypeError),
    ("ctypes (3, 2) uint32", lambda: ((ctypes.c_uint32 * 2) * 3)(), ValueError),
]


@pytest.mark.parametrize("name,make,exc", BAD_STEPS, ids=[c[0] for c in BAD_STEPS])
def test_wave_refuses_undocumented_buffers(any_chip, name, make, exc):  # noqa: F811
    chip, f, _ = any_chip
    before = f.digest()
    with pytest.raises(exc):
        chip.wave(0, make())
    assert f.digest() == before, f"{name} steps changed the registers"


def test_wave_issue_example_3x2_array_drives_nothing(pi4):
    """A (3, 2) uint32 array read as 12-byte records would clear lines 4, 8,
    9, 10 and 13 of a BCM2711 (words 0x2710 = 10000 as masks)."""
    chip, f = pi4
    bit = 1 << 17
    before = f.digest()
    with pytest.raises(ValueError, match=r"shape \(3, 2\)"):
        chip.wave(0, _u32([[bit, 0], [0, bit], [10000, 10000]]))
    assert f.digest() == before


GOOD_STEPS = [
    ("bytes", lambda s: bytes(array("I", s))),
    ("bytearray", lambda s: bytearray(array("I", s))),
    ("array('I')", lambda s: array("I", s)),
    ("1-D uint32", lambda s: np.array(s, np.uint32)),
    ("1-D little-endian uint32", lambda s: np.array(s, "<u4")),
    ("(n, 3) uint32", lambda s: np.array(s, np.uint32).reshape(-1, 3)),
    ("(n, 3) uint32 view", lambda s: memoryview(bytes(array("I", s))).cast("B").cast("I", [len(s) // 3, 3])),
    ("1-D uint8 of 12k", lambda s: np.frombuffer(bytes(array("I", s)), np.uint8)),
    ("ctypes 1-D uint32 (host-order prefix)", lambda s: (ctypes.c_uint32 * len(s))(*s)),
    ("ctypes (n, 3) uint32", lambda s: ((ctypes.c_uint32 * 3) * (len(s) // 3))(
        *[(ctypes.c_uint32 * 3)(*s[i:i + 3]) for i in range(0, len(s), 3)])),
    ("list of triples", lambda s: [tuple(s[i:i + 3]) for i in range(0, len(s), 3)]),
    ("numpy rows", lambda s: list(np.array(s, np.uint32).reshape(-1, 3))),
]


@pytest.mark.parametrize("name,make", GOOD_STEPS, ids=[c[0] for c in GOOD_STEPS])
def test_wave_documented_buffers_play_exact_words(pi4, name, make):
    chip, f = pi4
    a, b = 1 << 17, 1 << 27
    steps = [a | b, 0, 0, a, b, 0]  # set 17+27; then set 17, clear 27
    stats = chip.wave(0, make(steps))
    assert stats.steps == 2
    assert f.peek(G2711 + GPSET0) == a  # the last store to each register
    assert f.peek(G2711 + GPCLR0) == b


def test_wave_empty_buffers_of_every_shape(pi4):
    chip, f = pi4
    before = f.digest()
    for steps in (b"", array("I"), np.zeros((0, 3), np.uint32), np.zeros(0, np.uint32)):
        assert chip.wave(0, steps).steps == 0
    assert f.digest() == before


# --- levels: bool or 0/1, never by truth ----------------------------------------------

class Level(enum.IntEnum):
    LOW = 0
    HIGH = 1


BAD_LEVELS = [
    ("0", TypeError), ("off", TypeError), ("", TypeError), (b"\x01", TypeError),
    (0.0, TypeError), (1.0, TypeError), (math.nan, TypeError), (math.inf, TypeError),
    ([0], TypeError), ((1,), TypeError), ({}, TypeError), (object(), TypeError),
    (np.float64(1.0), TypeError), (np.bool_(True), TypeError), (np.array([1]), TypeError),
    (-1, ValueError), (2, ValueError), (2**64, ValueError), (-(2**70), ValueError),
    (np.int64(2), ValueError), (np.uint8(255), ValueError),
]
LEVEL_SETTERS = {
    "write": lambda c, v: c.write(17, v),
    "Pin.value": lambda c, v: setattr(c.pin(17), "value", v),
    "pin(value=)": lambda c, v: c.pin(17, "out", value=v),
    "pin(pull=, value=)": lambda c, v: c.pin(17, "out", pull="off", value=v),
}


@pytest.mark.parametrize("setter", sorted(LEVEL_SETTERS))
def test_levels_refused_by_type_on_every_family(any_chip, setter):  # noqa: F811
    chip, f, _ = any_chip
    before = f.digest()
    for value, exc in BAD_LEVELS + [(None, TypeError)] * (setter in ("write", "Pin.value")):
        with pytest.raises(exc):
            LEVEL_SETTERS[setter](chip, value)
        assert f.digest() == before, f"{setter}({value!r}) changed the registers"


@pytest.mark.parametrize("value,high", [
    (True, 1), (False, 0), (1, 1), (0, 0), (np.int64(1), 1), (np.uint8(0), 0), (np.int32(1), 1),
    (Level.HIGH, 1), (Level.LOW, 0), (np.array(1), 1),
])
def test_levels_accepted_exact_words(pi4, value, high):
    chip, f = pi4
    for setter in sorted(LEVEL_SETTERS):
        f.poke(G2711 + GPSET0, 0)
        f.poke(G2711 + GPCLR0, 0)
        LEVEL_SETTERS[setter](chip, value)
        assert (f.peek(G2711 + GPSET0), f.peek(G2711 + GPCLR0)) == \
            ((1 << 17, 0) if high else (0, 1 << 17)), (setter, value)


def test_pin_value_none_still_means_not_given(pi4):
    chip, f = pi4
    before = f.digest()
    chip.pin(17, value=None)
    assert f.digest() == before


# --- numpy integers wherever a number is taken; bools still refused --------------------

def test_numpy_integers_as_lines_banks_masks_counts(pi4):
    chip, f = pi4
    i64, u32 = np.int64, np.uint32
    assert chip.line(i64(5)) == 5 and type(chip.line(i64(5))) is int
    pin = chip.pin(i64(17))
    assert pin.line == 17
    assert fastgpio.Pin(chip, np.int16(18)).line == 18
    chip.set(np.int32(22))
    assert f.peek(G2711 + GPSET0) == 1 << 22
    chip.clear(np.uint8(23))
    assert f.peek(G2711 + GPCLR0) == 1 << 23
    chip.bank_write(np.uint8(0), u32(1 << 4), i64(1 << 4))
    assert f.peek(G2711 + GPSET0) == 1 << 4
    assert chip.bank_read(i64(0)) == chip.bank_read(0)
    assert chip.bank_lines(i64(1)) == (32, 26)
    chip.set_function(i64(17), i64(0))  # Function.IN
    assert chip.get_function(17) is fastgpio.Function.IN
    chip.set_pull(i64(17), np.int8(1))
    assert chip.get_pull(17) is fastgpio.Pull.UP
    assert chip.read(i64(17)) in (0, 1)
    stats = chip.wave(i64(0), [(u32(1 << 5), i64(0), np.uint16(0))], repeat=i64(2), spin_ns=i64(1000))
    assert stats.steps == 2 and f.peek(G2711 + GPSET0) == 1 << 5
    assert len(chip.bank_sample(i64(0), i64(4)).values) == 4
    assert chip.pin(i64(27), i64(1), pull=i64(2), value=i64(1)).line == 27  # out, pull down, high
    assert f.peek(G2711 + GPSET0) == 1 << 27


def test_bools_stay_refused_as_numbers(pi4):
    chip, f = pi4
    before = f.digest()
    calls = [
        lambda: chip.set(True), lambda: chip.set(np.bool_(True)), lambda: chip.line(False),
        lambda: chip.bank_write(True, 1, 1), lambda: chip.bank_write(0, np.bool_(True), 1),
        lambda: chip.set_function(17, True), lambda: chip.set_pull(17, True),
        lambda: chip.wave(0, [(1, 0, 0)], repeat=True), lambda: chip.bank_read(np.bool_(False)),
        lambda: fastgpio.Pin(chip, True), lambda: chip.pin(17, True),
        lambda: chip.pin(17).watch(True),
    ]
    for call in calls:
        with pytest.raises(TypeError):
            call()
    assert f.digest() == before


def test_numpy_integers_out_of_range_are_value_errors(pi4):
    chip, f = pi4
    before = f.digest()
    for call in (lambda: chip.set(np.int64(58)), lambda: chip.set(np.int64(-1)),
                 lambda: chip.bank_write(np.uint64(2**63), 1, 1),
                 lambda: chip.bank_write(0, np.uint64(2**40), 0),
                 lambda: chip.set_function(17, np.int64(11))):
        with pytest.raises(ValueError):
            call()
    assert f.digest() == before


# --- Chip.pin: the function is checked before the pull and the level are written -------

REFUSED = {"bcm2711": "alt6", "bcm2837": "alt6", "am335x": "alt6", "rk3288": "alt6", "rp1": "alt8"}


@pytest.mark.parametrize("kwargs", [dict(pull="up", value=1), dict(value=1), dict(value=0),
                                    dict(pull="down"), dict(pull="off", value=0)],
                         ids=["pull+value", "value1", "value0", "pull", "off+value0"])
def test_pin_refuses_a_missing_function_before_any_write(any_chip, kwargs):  # noqa: F811
    chip, f, _ = any_chip
    soc = chip.info.soc
    func = REFUSED[soc]
    with pytest.raises(NotSupportedError):
        chip.set_function(17, func)  # this SoC has no such function on line 17
    before = f.digest()
    with pytest.raises(NotSupportedError):
        chip.pin(17, func, **kwargs)
    assert f.digest() == before, f"{soc}: pin(17, {func!r}, **{kwargs}) wrote before refusing"


def test_check_function_agrees_with_set_function(any_chip):  # noqa: F811
    """_check_function answers what set_function does, line by line (the C
    side runs the same family check; tests/c/test_badinput.c compares them
    on every line and function)."""
    chip, f, _ = any_chip
    before = f.digest()
    verdicts = {}
    for line in range(0, chip.num_lines, 7):
        for func in fastgpio.Function:
            try:
                chip._check_function(line, func)
                verdicts[line, func] = None
            except (ValueError, OSError) as e:
                verdicts[line, func] = type(e)
    assert f.digest() == before
    for (line, func), exc in verdicts.items():
        if exc is None:
            chip.set_function(line, func)
        else:
            with pytest.raises(exc):
                chip.set_function(line, func)


def test_check_function_bad_arguments(any_chip):  # noqa: F811
    chip, f, _ = any_chip
    before = f.digest()
    for args, exc in [((chip.num_lines, "out"), ValueError), ((0, "alt9"), ValueError),
                      ((0, "none"), ValueError), ((0, None), TypeError), ((True, "out"), TypeError),
                      ((0,), TypeError)]:
        with pytest.raises(exc):
            chip._check_function(*args)
    assert f.digest() == before


# --- bank_sample counts and pack_steps numbers ------------------------------------------

def test_bank_sample_counts(any_chip):  # noqa: F811
    chip, f, _ = any_chip
    before = f.digest()
    limit = getattr(fastgpio._chip, "MAX_BANK_SAMPLES", 1 << 26)
    cases = [(2**62, ValueError, "outside"), (limit + 1, ValueError, "outside"),
             (-1, ValueError, "outside"), (1.5, TypeError, "sample count"), (True, TypeError, "sample count"),
             (np.bool_(True), TypeError, "sample count"), ("4", TypeError, "sample count"),
             (None, TypeError, "sample count"), (np.float64(4.0), TypeError, "sample count")]
    for n, exc, text in cases:
        with pytest.raises(exc, match=text):
            chip.bank_sample(0, n)
    assert f.digest() == before
    assert len(chip.bank_sample(0, np.int64(3)).values) == 3
    assert len(chip.bank_sample(0, 0).values) == 0


@pytest.mark.parametrize("step,exc", [
    ((True, 0, 0), TypeError), ((1, False, 0), TypeError), ((1, 0, True), TypeError),
    ((np.bool_(True), 0, 0), TypeError), ((1.0, 0, 0), TypeError), ((1, 0, math.nan), TypeError),
    (("1", 0, 0), TypeError), ((None, 0, 0), TypeError), (5, TypeError),
    ((1, 0), ValueError), ((1, 0, 0, 0), ValueError), ((-1, 0, 0), ValueError),
    ((2**32, 0, 0), ValueError), ((1, 0, np.int64(-1)), ValueError),
])
def test_pack_steps_refuses(step, exc):
    with pytest.raises(exc):
        fastgpio.pack_steps([step])


def test_pack_steps_takes_index_integers():
    got = fastgpio.pack_steps([(np.uint32(1), np.int64(2), Level.HIGH), np.array([4, 5, 6], np.uint32)])
    assert got == array("I", [1, 2, 1, 4, 5, 6])
    with pytest.raises(TypeError):
        fastgpio.pack_steps(5)


def test_wave_with_bool_steps_writes_nothing(pi4):
    chip, f = pi4
    before = f.digest()
    with pytest.raises(TypeError):
        chip.wave(0, [(True, 0, 0)])
    assert f.digest() == before


def test_numpy_integers_as_edges_and_seconds(pi4):
    """Edge numbers and whole seconds take numpy integers too: the argument
    checks pass, and the register file's lack of a kernel answers."""
    chip, f = pi4
    pin = chip.pin(17)
    before = f.digest()
    with pytest.raises(NotSupportedError):
        pin.watch(np.int64(1), np.int64(0))
    with pytest.raises(NotSupportedError):
        pin.wait_for_edge(np.uint8(2), timeout=np.int64(0))
    for call, exc in ((lambda: pin.watch(np.int64(4)), ValueError), (lambda: pin.watch(np.bool_(True)), TypeError),
                      (lambda: pin.wait_for_edge("both", np.int64(-1)), ValueError)):
        with pytest.raises(exc):
            call()
    assert f.digest() == before
