# SPDX-License-Identifier: MIT
"""Generated bad (and good) inputs for every public Python entry point, on
every SoC table, with Hypothesis.

Each property draws arguments of the wrong type, shape, dtype and meaning
(numpy arrays of every dtype and ndim, array.array of every typecode, bytes,
bytearray, memoryview casts, NaN/inf, huge and negative numbers, bools, numpy
scalars, strings that look like numbers or names, None, containers) next to
valid ones, decides from the documented contract what the call must do, and
checks it through tests/propkit.py: a valid call leaves exactly the register
words the SoC documentation predicts; an invalid one raises the named
exception (a subclass of the documented builtin) and leaves the register file
byte-for-byte unchanged. The contract is the README's and the docstrings',
plus the hardening rules: a level is a bool, 0/1 or an ``__index__`` object
worth 0/1; lines, banks and masks take ``__index__`` objects (numpy
integers) but not bools; waves take bytes or 1-D byte buffers of 12*k bytes,
1-D uint32 buffers of 3*k items and C-contiguous (n, 3) uint32 arrays;
frequencies and duty cycles must be finite.

The seed is fixed (derandomized) and the example budget is set per property
(FASTGPIO_PROPS_SCALE=10, or ``--props-scale 10``, multiplies it); the
terminal summary prints how many cases ran, were refused or valid, and the
writes on refusal (always 0 when the suite passes).
"""

from __future__ import annotations

import asyncio
import decimal
import fractions
import math
import operator
import os
import struct
import sys
from array import array

import pytest

hypothesis = pytest.importorskip("hypothesis")
np = pytest.importorskip("numpy")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import fastgpio  # noqa: E402
from fastgpio import Function, NotSupportedError, Pull  # noqa: E402

from propkit import (FUNCS, PULLS, SOCS, STATS, Either, Ok, Refuse, Rig, as_int, budget,  # noqa: E402
                     check, describe, is_index, is_numpy_bool)

# A wchar_t array: "u" is deprecated from 3.13 on in favour of "w".
WCHAR_CODE = "w" if sys.version_info >= (3, 13) else "u"

pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning",
                                        "ignore:invalid value encountered:RuntimeWarning")

SETTINGS = dict(derandomize=True, deadline=None, database=None, print_blob=False,
                suppress_health_check=list(HealthCheck))


def props(n):
    return settings(max_examples=budget(n), **SETTINGS)


# --- rigs: one chip per SoC for the whole module ----------------------------------------

_RIGS = {}
_FACTORIES = {}  # gpiozero factories on the rigs' chips (closed before the chips)


@pytest.fixture(scope="module")
def rigs(tmp_path_factory):
    yield _RIGS
    for fac in _FACTORIES.values():
        fac.close()
    _FACTORIES.clear()
    for soc, rig in list(_RIGS.items()):
        outside = rig.extents_outside_tracked()
        rig.close()
        assert not outside, f"{soc}: registers written outside the tracked pages: {outside}"
    _RIGS.clear()


def rig_of(rigs, tmp_path_factory, soc) -> Rig:
    if soc not in rigs:
        rigs[soc] = Rig(soc, tmp_path_factory.mktemp(f"props-{soc}"))
    return rigs[soc]


@pytest.fixture(params=SOCS)
def rig(request, rigs, tmp_path_factory):
    return rig_of(rigs, tmp_path_factory, request.param)


def test_every_soc_table_has_a_rig():
    assert set(SOCS) == set(fastgpio.soc_names()), "a SoC table without a register model in propkit"


# --- values ---------------------------------------------------------------------------

NP_INTS = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64, np.intp]
NP_FLOATS = [np.float16, np.float32, np.float64]
ALL_DTYPES = NP_INTS + NP_FLOATS + [np.bool_, np.complex64, np.dtype(">u4").type, np.dtype("<u4").type]


class Indexable:
    """Not an int, but an integer by ``__index__`` (as operator.index takes it)."""

    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v

    def __repr__(self):
        return f"Indexable({self.v})"


class BadIndex:
    def __index__(self):
        raise ValueError("no index here")

    def __repr__(self):
        return "BadIndex()"


class IntOnly:
    """Has __int__ and __bool__ but no __index__: not an integer argument."""

    def __int__(self):
        return 1

    def __bool__(self):
        return True

    def __repr__(self):
        return "IntOnly()"


def np_int(values):
    def fits(t):
        info = np.iinfo(t[0])
        return info.min <= t[1] <= info.max
    return st.tuples(st.sampled_from(NP_INTS), values).filter(fits).map(lambda t: t[0](t[1]))


HUGE = st.sampled_from([2**31, 2**32, 2**32 + 1, 2**62, 2**63, 2**64, 2**100, -(2**31), -(2**63), -(2**64),
                        -1, -2])
FLOATS = st.one_of(st.sampled_from([0.0, 1.0, -0.0, 0.5, 1e300, float("nan"), float("inf"), float("-inf")]),
                   st.floats(allow_nan=True, allow_infinity=True))
NUMBERY = ["0", "1", "-1", "2", "17", "off", "on", "high", "low", "true", "false", "HIGH", "1.0", "0x1",
           " 1", "1 ", "", "None", "in", "out", "\0", "١", "１"]
CONTAINERS = st.sampled_from([[0], [1], (1,), (), [], {}, {1: 1}, {0}, [[1]], range(1)])
JUNK = st.one_of(
    st.none(), st.booleans(), st.sampled_from([np.True_, np.False_]), FLOATS, HUGE,
    st.sampled_from(NUMBERY), st.text(max_size=6), st.binary(max_size=4),
    st.binary(max_size=4).map(bytearray), CONTAINERS,
    st.sampled_from([object(), complex(1, 0), decimal.Decimal(1), fractions.Fraction(1, 1), BadIndex(),
                     IntOnly(), Ellipsis, NotImplemented, print, type]),
    st.tuples(st.sampled_from(NP_FLOATS), FLOATS).map(lambda t: t[0](t[1])),
    np_int(st.integers(-300, 300)),
    st.integers(-3, 3).map(Indexable),
    st.sampled_from([np.array(1), np.array([1]), np.zeros(2, np.uint32), np.array(1.0)]),
)


def level_values():
    return st.one_of(st.booleans(), st.sampled_from([0, 1]), np_int(st.sampled_from([0, 1])),
                     st.sampled_from([Indexable(0), Indexable(1), np.array(0), np.array(1)]),
                     st.integers(-3, 5), JUNK)


def classify_level(x):
    """The documented level contract: bool, 0/1, __index__ worth 0/1."""
    if isinstance(x, bool):
        return Ok(why="bool level"), int(x)
    if is_numpy_bool(x):
        return Either((TypeError,), why="numpy bool_ has no __index__; a bool by meaning"), int(bool(x))
    try:
        v = operator.index(x)
    except TypeError:
        return Refuse(TypeError, why="a level is not a str, float, container or None"), None
    except ValueError:
        return Refuse(TypeError, ValueError, why="__index__ raised"), None
    if v in (0, 1):
        return Ok(why="integer level 0/1"), v
    return Refuse(ValueError, why="an integer level other than 0/1"), None


def foreign_names(rig):
    fam = rig.lay.family
    if fam in ("bcm", "rp1"):
        return ["P9_12", "GPIO1_28", "GPIO5_B0", "P8_07"]
    if fam == "am335x":
        return ["GPIO5_B0", "GPIO4_0", "GPIO128", "GPIO1_32"]
    return ["P9_12", "GPIO1_32", "GPIO9_A0", "GPIO0_D0", "GPIO8_C0"]


def bad_names(rig):
    """Strings the docs make invalid on this chip (ValueError)."""
    good = sorted(rig.names())
    out = ["", "GPIO", "BOARD0", "BOARD", "-1", "+1", "0x11", "1.0", "1e1", "off", "on", "high", "true",
           str(rig.n), str(rig.n + 1), "99999999999999999999", "GPIO17\0", "\0", "é", "١٧", "１７",
           "%s%n", "x" * 300] + foreign_names(rig)
    if rig.lay.family in ("bcm", "rp1"):
        out += [f"GPIO{rig.n}", "BOARD41", "BOARD1", "BOARD2", "BOARD6"]  # past the header, power, ground
    for g in good[:6]:
        out += [g + " ", " " + g, g + "\0", g + "x", g + "\n"]
    return out


def line_values(rig):
    names = sorted(rig.names())
    return st.one_of(
        st.integers(0, rig.n - 1), st.integers(rig.n, rig.n + 40), HUGE,
        np_int(st.integers(0, rig.n - 1)), np_int(st.integers(-5, rig.n + 5)),
        st.integers(0, rig.n - 1).map(Indexable), st.sampled_from(list(Function)),
        st.sampled_from(names), st.sampled_from(bad_names(rig)),
        st.sampled_from(names).map(str.swapcase), st.sampled_from(names).map(lambda s: "0" + s),
        JUNK)


KNOWN_BAD = {}


def classify_line(rig, x):
    """(expectation, line): the line argument contract."""
    if isinstance(x, bool) or is_numpy_bool(x):
        return Refuse(TypeError, why="a bool is not a line"), None
    if isinstance(x, str):
        names = rig.names()
        if x in names:
            return Ok(why="documented name"), names[x]
        bad = KNOWN_BAD.get(rig.soc)
        if bad is None:
            bad = KNOWN_BAD[rig.soc] = set(bad_names(rig))
        if x in bad:
            return Refuse(ValueError, why="not a name of this chip"), None
        # Undocumented spellings (leading zeros, case): whatever line() says,
        # every other call must agree with it.
        try:
            line = rig.chip.line(x)
        except ValueError:
            return Refuse(ValueError, why=f"line({x!r}) refuses it"), None
        assert 0 <= line < rig.n
        return Ok(why=f"line({x!r}) accepts it"), line
    try:
        v = operator.index(x)
    except TypeError:
        return Refuse(TypeError, why="a line is an int or a str"), None
    except ValueError:
        return Refuse(TypeError, ValueError, why="__index__ raised"), None
    if 0 <= v < rig.n:
        return Ok(why="an integer line (int or __index__)"), v
    return Refuse(ValueError, why="no such line"), None


def _what(name, *args):
    return f"{name}(" + ", ".join(describe(a) for a in args) + ")"


# --- lines and names ----------------------------------------------------------------

LINE_CALLS = ["line", "set", "clear", "read", "get_function", "get_pull", "Pin", "toggle", "owner"]


@props(140)
@given(data=st.data())
def test_line_arguments(rig, data):
    x = data.draw(line_values(rig), label="line")
    method = data.draw(st.sampled_from(LINE_CALLS), label="method")
    exp, line = classify_line(rig, x)
    chip = rig.chip
    calls = {
        "line": lambda: chip.line(x), "set": lambda: chip.set(x), "clear": lambda: chip.clear(x),
        "read": lambda: chip.read(x), "get_function": lambda: chip.get_function(x),
        "get_pull": lambda: chip.get_pull(x), "Pin": lambda: fastgpio.Pin(chip, x),
        "toggle": lambda: fastgpio.Pin(chip, x).toggle(), "owner": lambda: chip.owner(x),
    }
    if isinstance(exp, Ok):
        def nothing_and(result_check):
            def chk(before, after, result):
                rig.expect_nothing(before, after)
                result_check(before, result)
            return chk
        if method == "line":
            exp.check = nothing_and(lambda b, r: _eq(r, line))
        elif method in ("set", "clear"):
            exp.check = rig.expect_write(line, method == "set")
        elif method == "read":
            exp.check = nothing_and(lambda b, r: _eq(r, rig.level_of(b, line)))
        elif method == "get_function":
            # The refilled pattern may hold an encoding the table calls reserved (EIO).
            exp = Either((OSError,), why="a reserved encoding in the register",
                         check=nothing_and(lambda b, r: _eq(type(r), Function)))
        elif method == "get_pull":
            exp = Either((NotSupportedError, OSError), why="pulls not readable here, or a reserved encoding",
                         check=nothing_and(lambda b, r: _eq(type(r), Pull)))
        elif method == "Pin":
            exp.check = nothing_and(lambda b, r: _eq(r.line, line))
        elif method == "toggle":
            def chk(before, after, result):
                rig.expect_write(line, 1 - rig.level_of(before, line))(before, after)
            exp.check = chk
        elif method == "owner":
            exp = Refuse(NotSupportedError, why="a register file has no kernel to ask")
    check("lines", rig, calls[method], exp, _what(method, x))


def _eq(got, want):
    assert got == want, f"got {got!r}, want {want!r}"


# --- levels -----------------------------------------------------------------------------

LEVEL_CALLS = ["write", "Pin.value", "pin(value=)"]


@props(140)
@given(data=st.data())
def test_levels(rig, data):
    line = data.draw(st.integers(0, rig.n - 1), label="line")
    v = data.draw(level_values(), label="level")
    method = data.draw(st.sampled_from(LEVEL_CALLS), label="method")
    exp, level = classify_level(v)
    if method == "pin(value=)" and v is None:
        exp = Ok(why="value=None is pin()'s default: no level is written")
        exp.check = rig.expect_nothing
    elif level is not None:
        exp.check = rig.expect_write(line, level)
    chip = rig.chip
    pin = fastgpio.Pin(chip, line)
    calls = {"write": lambda: chip.write(line, v), "Pin.value": lambda: setattr(pin, "value", v),
             "pin(value=)": lambda: chip.pin(line, value=v)}
    check("levels", rig, calls[method], exp, _what(method, line, v))


# --- functions and pulls -------------------------------------------------------------------

def func_values():
    return st.one_of(st.sampled_from(FUNCS), st.sampled_from(list(Function)), st.integers(-2, 13),
                     np_int(st.integers(0, 11)),
                     st.sampled_from(["OUT", "Out", "out ", " in", "none", "alt9", "alt", "output", "input",
                                      "alt0\0", "ALT0", "1"]), JUNK)


def pull_values():
    return st.one_of(st.sampled_from(PULLS), st.sampled_from(list(Pull)), st.integers(-2, 5),
                     np_int(st.integers(0, 3)),
                     st.sampled_from(["UP", "Up", "up ", "floating", "keeper", "none", "pullup", "1", "off\0"]),
                     JUNK)


def _address(buf) -> int:
    """Where a writable buffer's first byte lies."""
    import ctypes
    mv = memoryview(buf).cast("B")
    return ctypes.addressof(ctypes.c_char.from_buffer(mv))


def classify_enum(x, names, limit, what):
    """(expectation kind, name): 'ok' / 'either' (numpy scalars) / 'bad' with exception."""
    if isinstance(x, bool) or is_numpy_bool(x):
        return ("bad", (TypeError,)), None
    if isinstance(x, str):
        return (("ok", None), x) if x in names[:limit] else (("bad", (ValueError,)), None)
    if isinstance(x, int):
        return (("ok", None), names[x]) if 0 <= x < limit else (("bad", (ValueError,)), None)
    if is_index(x):  # the contract names lines, banks and masks only: either is fine
        try:
            v = as_int(x)
        except ValueError:
            return ("bad", (TypeError, ValueError)), None
        if 0 <= v < limit:
            return ("either", (TypeError,)), names[v]
        return ("bad", (TypeError, ValueError)), None
    if hasattr(type(x), "__index__"):  # an __index__ that raises: its error propagates
        return ("bad", (TypeError, ValueError)), None
    return ("bad", (TypeError,)), None


def function_expectation(rig, line, f):
    (kind, exc), name = classify_enum(f, FUNCS, len(FUNCS), "function")
    if kind == "bad":
        return Refuse(*exc, why=f"not a function name or number"), None
    unsupported = (NotSupportedError,) if name not in ("in", "out") or rig.lay.family == "rk3288" else ()
    excs = unsupported + (exc or ())
    chk = rig.expect_function(line, name)
    if excs:
        return Either(excs, check=chk, why=f"{name} may not exist on this line"), name
    return Ok(check=chk, why="in/out exist on every line"), name


def pull_expectation(rig, line, p):
    (kind, exc), name = classify_enum(p, PULLS + ("keeper",), 4, "pull")
    if kind == "bad":
        return Refuse(*exc, why="not a pull name or number"), None
    if name == "keeper":
        return Refuse(NotSupportedError, *(exc or ()), why="keeper is reported, never set"), None
    chk = rig.expect_pull(line, name)
    if rig.lay.family == "am335x":
        return Refuse(NotSupportedError, *(exc or ()), why="AM335x pads are not writable from user space"), None
    if rig.lay.family == "rk3288":  # lines not bonded out have no pull
        return Either((NotSupportedError,) + (exc or ()), check=chk, why="a line without a pad"), name
    if exc:
        return Either(exc, check=chk, why="numpy scalar pull"), name
    return Ok(check=chk, why="a pull name"), name


@props(140)
@given(data=st.data())
def test_functions_and_pulls(rig, data):
    line = data.draw(st.integers(0, rig.n - 1), label="line")
    method = data.draw(st.sampled_from(["set_function", "Pin.function", "set_pull", "Pin.pull"]), label="m")
    chip = rig.chip
    pin = fastgpio.Pin(chip, line)
    if method in ("set_function", "Pin.function"):
        x = data.draw(func_values(), label="function")
        exp, _ = function_expectation(rig, line, x)
        call = (lambda: chip.set_function(line, x)) if method == "set_function" else \
            (lambda: setattr(pin, "function", x))
    else:
        x = data.draw(pull_values(), label="pull")
        exp, _ = pull_expectation(rig, line, x)
        call = (lambda: chip.set_pull(line, x)) if method == "set_pull" else (lambda: setattr(pin, "pull", x))
    check("functions/pulls", rig, call, exp, _what(method, line, x))


# --- Chip.pin with every argument: all checked before the first write ----------------------

@props(200)
@given(data=st.data())
def test_pin_checks_everything_before_writing(rig, data):
    chip = rig.chip
    x = data.draw(st.one_of(st.integers(0, rig.n - 1), line_values(rig)), label="line")
    f = data.draw(st.one_of(st.none(), st.sampled_from(FUNCS), func_values()), label="function")
    p = data.draw(st.one_of(st.none(), st.sampled_from(PULLS), pull_values()), label="pull")
    v = data.draw(st.one_of(st.none(), st.sampled_from([0, 1, True, False]), level_values()), label="value")
    what = f"pin({describe(x)}, {describe(f)}, pull={describe(p)}, value={describe(v)})"
    lexp, line = classify_line(rig, x)
    bad, loose = [], set()  # refusals the contract demands; exceptions it leaves open
    if not isinstance(lexp, Ok):
        bad.append(lexp.exc)
    else:
        exps = []
        if f is not None:
            exps.append(function_expectation(rig, line, f)[0])
        if p is not None:
            exps.append(pull_expectation(rig, line, p)[0])
        if v is not None:
            exps.append(classify_level(v)[0])
        for e in exps:
            if isinstance(e, Refuse):
                bad.append(e.exc)
            elif isinstance(e, Either):
                loose |= set(e.exc)
    if bad:
        excs = tuple({e for b in bad for e in b} | loose) + (NotSupportedError,)
        check("pin(...)", rig, lambda: chip.pin(x, f, pull=p, value=v), Refuse(*excs, why="a bad argument"),
              what)
        return
    # Every argument is valid by its shape: pin() must do what the separate
    # documented calls do, in the documented order (pull, value, function),
    # and refuse - writing nothing - exactly when one of them refuses.
    state = {}

    def replay(before, after, result):
        rig.restore(before)
        try:
            if p is not None:
                chip.set_pull(line, p)
            if v is not None:
                chip.write(line, v)
            if f is not None:
                chip.set_function(line, f)
        except (NotSupportedError,) + tuple(loose) as e:
            raise AssertionError(f"{what} succeeded but the separate calls refuse: {e!r}")
        want = rig.image()
        d = Rig.diff(want, after)
        assert not d, f"{what} differs from set_pull/write/set_function: " + \
            ", ".join(f"{o:#x}: want {a:#x} got {b:#x}" for o, (a, b) in sorted(d.items())[:6])

    result = check("pin(...)", rig, lambda: chip.pin(x, f, pull=p, value=v),
                   Either((NotSupportedError,) + tuple(loose), check=replay,
                          why="every argument valid: only a function this line lacks may refuse"),
                   what)
    if isinstance(result, BaseException):
        # pin() refused (and wrote nothing): one of the separate calls must refuse too.
        rig.refill()
        try:
            if p is not None:
                chip.set_pull(line, p)
            if v is not None:
                chip.write(line, v)
            if f is not None:
                chip.set_function(line, f)
        except (NotSupportedError,) + tuple(loose):
            state["refused"] = True
        assert state.get("refused"), f"{what} refused with {result!r} but every separate call succeeds"


# --- banks ----------------------------------------------------------------------------------

def bank_values(rig):
    return st.one_of(st.integers(0, rig.nbanks - 1), st.integers(rig.nbanks, rig.nbanks + 3), HUGE,
                     np_int(st.integers(0, rig.nbanks - 1)), st.integers(0, rig.nbanks - 1).map(Indexable),
                     st.sampled_from(["0", "1", "bank0"]), JUNK)


def mask_values():
    return st.one_of(st.integers(0, 2**32 - 1), st.integers(0, 255), st.sampled_from([0, 1, 2**31, 2**32 - 1]),
                     HUGE, np_int(st.integers(0, 2**32 - 1)), st.integers(0, 2**16).map(Indexable),
                     st.sampled_from(["1", "0x1", 1.0]), JUNK)


def classify_u32(x, what):
    if isinstance(x, bool) or is_numpy_bool(x):
        return Refuse(TypeError, why=f"a bool is not a {what}"), None
    try:
        v = operator.index(x)
    except TypeError:
        return Refuse(TypeError, why=f"a {what} is an integer"), None
    except ValueError:
        return Refuse(TypeError, ValueError, why="__index__ raised"), None
    if 0 <= v <= 0xFFFFFFFF:
        return Ok(why=f"an integer {what}"), v
    return Refuse(ValueError, why=f"{what} outside 0..0xffffffff"), None


def classify_bank(rig, b):
    exp, v = classify_u32(b, "bank")
    if isinstance(exp, Ok) and not v < rig.nbanks:
        return Refuse(ValueError, why="no such bank"), None
    if isinstance(exp, Refuse) and exp.exc == (ValueError,):
        return exp, None
    return exp, v


@props(200)
@given(data=st.data())
def test_bank_calls(rig, data):
    chip = rig.chip
    b = data.draw(bank_values(rig), label="bank")
    method = data.draw(st.sampled_from(["bank_read", "bank_lines", "bank_write"]), label="method")
    bexp, bank = classify_bank(rig, b)
    if method != "bank_write":
        if isinstance(bexp, Ok):
            def chk(before, after, result):
                rig.expect_nothing(before, after)
                if method == "bank_lines":
                    _eq(tuple(result), rig.lay.banks[bank])
                else:
                    word = Rig.word(before, rig.level_reg(bank))
                    assert result in (word, word & rig.bank_mask(bank)), f"{result:#x} vs level {word:#x}"
            bexp.check = chk
        call = (lambda: chip.bank_read(b)) if method == "bank_read" else (lambda: chip.bank_lines(b))
        check("banks", rig, call, bexp, _what(method, b))
        return
    m = data.draw(mask_values(), label="mask")
    val = data.draw(mask_values(), label="values")
    mexp, mask = classify_u32(m, "mask")
    vexp, values = classify_u32(val, "values")
    refusals = [e for e in (bexp, mexp, vexp) if not isinstance(e, Ok)]
    if refusals:
        exp = Refuse(*{x for e in refusals for x in e.exc}, why="; ".join(e.why for e in refusals))
    elif mask & ~rig.bank_mask(bank):
        exp = Refuse(ValueError, why="mask names a line the bank lacks")
    elif values & ~rig.bank_mask(bank):
        exp = Either((ValueError,), check=rig.expect_bank_write(bank, mask, values),
                     why="values has bits outside the bank (masked out)")
    else:
        exp = Ok(check=rig.expect_bank_write(bank, mask, values), why="valid bank write")
    check("banks", rig, lambda: chip.bank_write(b, m, val), exp, _what("bank_write", b, m, val))


# --- waveform buffers -------------------------------------------------------------------------

def _good_steps(rig, bank, n):
    mask = rig.bank_mask(bank)
    step = st.tuples(st.integers(0, mask), st.integers(0, mask)).map(lambda t: (t[0], t[1] & ~t[0] & mask, 0))
    return st.lists(step, min_size=0, max_size=n)


@st.composite
def wave_buffers(draw, rig, bank):
    """(buffer, kind): every container a wave might be handed."""
    steps = draw(_good_steps(rig, bank, 5))
    if draw(st.integers(0, 9)) == 0 and steps:  # a step the bank cannot play
        count = rig.lay.banks[bank][1]
        bad = [(3, 1, 0), (1, 1, 0)] + ([(1 << count, 0, 0), (0, 1 << count, 0)] if count < 32 else [])
        steps[draw(st.integers(0, len(steps) - 1))] = draw(st.sampled_from(bad))
    flat = [w for s in steps for w in s]
    raw = struct.pack(f"<{len(flat)}I", *flat)
    kind = draw(st.sampled_from(["bytes", "bytearray", "array", "memoryview", "mv-cast", "list", "numpy",
                                 "numpy-any", "array-any", "bytes-ragged", "mv-shape", "noncontig",
                                 "iterable-junk"]))
    if kind == "bytes":
        return raw, kind
    if kind == "bytearray":
        return bytearray(raw), kind
    if kind == "array":
        return array("I", flat), kind
    if kind == "memoryview":
        return memoryview(raw), kind
    if kind == "mv-cast":
        fmt = draw(st.sampled_from(["B", "b", "c", "I", "i", "H", "h", "Q", "L", "f"]))
        try:
            return memoryview(raw).cast(fmt), kind
        except TypeError:
            return memoryview(raw), "memoryview"
    if kind == "mv-shape":
        shape = draw(st.sampled_from([(len(flat) // 3 or 1, 3), (3, len(flat) // 3 or 1), (1, len(flat))]))
        fmt = draw(st.sampled_from(["I", "B"]))
        if fmt == "B":
            shape = (shape[0], shape[1] * 4)
        try:
            return memoryview(raw).cast(fmt, shape), kind
        except (TypeError, ValueError):
            return memoryview(raw), "memoryview"
    if kind == "list":
        return list(steps), kind
    if kind == "numpy":
        a = np.array(steps, dtype=np.uint32).reshape(-1, 3)
        return a, kind
    if kind == "numpy-any":
        dtype = draw(st.sampled_from(ALL_DTYPES))
        a = np.frombuffer(raw, dtype=np.uint8).copy() if dtype is np.uint8 else np.array(flat).astype(dtype)
        shapes = [a.shape, (a.size,), (a.size // 3, 3) if a.size % 3 == 0 else (a.size,),
                  (3, a.size // 3) if a.size % 3 == 0 else (a.size,),
                  (a.size // 4, 4) if a.size % 4 == 0 else (a.size,),
                  (1, a.size), (a.size, 1), (1, 1, a.size)]
        return a.reshape(draw(st.sampled_from(shapes))), kind
    if kind == "array-any":
        tc = draw(st.sampled_from([t for t in "bBuhHiIlLqQfd"]))
        if tc == "u":
            return array(WCHAR_CODE, "a" * (len(raw) // 4)), kind
        if tc in "bB":
            return array(tc, [b if tc == "B" else b - 256 * (b > 127) for b in raw]), kind
        try:
            return array(tc, flat), kind
        except OverflowError:
            return array("I", flat), "array"
    if kind == "bytes-ragged":
        return raw + b"\0" * draw(st.integers(1, 11)), kind
    if kind == "noncontig":
        a = np.array(steps * 2, dtype=np.uint32).reshape(-1, 3)
        return (a[::2] if len(a) > 1 else a.T), kind
    junk = draw(st.sampled_from([[(1, 0)], [(1, 0, 0, 0)], [(True, 0, 0)], [(1.0, 0, 0)], [(-1, 0, 0)],
                                 [(2**32, 0, 0)], [("1", 0, 0)], [None], "abc", None, 5, 1.5,
                                 [(np.uint32(1), 0, 0)], [(0, 0, np.int64(0))], [np.array([1, 0, 0])]]))
    return junk, kind


def wave_contract(rig, bank, buf, kind):
    """(expectation, steps or None)."""
    def decode(raw):
        n = len(raw) // 12
        return [struct.unpack_from("<III", raw, 12 * i) for i in range(n)]

    if kind == "iterable-junk" or kind == "list":
        if isinstance(buf, (str, bytes)) or buf is None or isinstance(buf, (int, float)):
            return Refuse(TypeError, ValueError, why="not steps"), None
        steps = []
        for s in buf:
            try:
                t = tuple(s)
            except TypeError:
                return Refuse(TypeError, ValueError, why="a step is not a triple"), None
            if len(t) != 3:
                return Refuse(ValueError, why="a step is a triple"), None
            for w in t:
                if isinstance(w, bool) or is_numpy_bool(w):
                    return Refuse(TypeError, why="a bool is not a mask"), None
                if not is_index(w):
                    return Refuse(TypeError, why="masks and delays are integers"), None
                if not 0 <= as_int(w) <= 0xFFFFFFFF:
                    return Refuse(ValueError, why="outside 0..0xffffffff"), None
            steps.append(tuple(as_int(w) for w in t))
        return None, steps
    try:
        mv = memoryview(buf)
    except TypeError:
        return Refuse(TypeError, why="not a buffer"), None
    fmt = mv.format.lstrip("@=<")
    native = not mv.format.startswith((">", "!"))
    if not mv.c_contiguous:
        return Refuse(TypeError, ValueError, BufferError, why="not C-contiguous"), None
    raw = mv.tobytes()
    if fmt in ("B",) and mv.ndim == 1 or isinstance(buf, (bytes, bytearray)):
        if len(raw) % 12:
            return Refuse(ValueError, why="not whole 12-byte records"), None
        return None, decode(raw)
    if fmt in ("b", "c") and mv.ndim == 1:
        if len(raw) % 12:
            return Refuse(ValueError, TypeError, why="not whole 12-byte records"), None
        return "either-bytes", decode(raw)
    if fmt in ("I", "L") and mv.itemsize == 4 and native:
        if mv.ndim == 1:
            if mv.shape[0] % 3:
                return Refuse(ValueError, why="not whole (set, clear, delay) triples"), None
            return None, decode(raw)
        if mv.ndim == 2 and mv.shape[1] == 3:
            return None, decode(raw)
        return Refuse(TypeError, ValueError, why=f"a uint32 array of shape {mv.shape} is not (n, 3)"), None
    return Refuse(TypeError, ValueError, why=f"format {mv.format!r} ndim {mv.ndim} is not a step buffer"), None


def expect_wave(rig, bank, steps, repeat):
    kind, a, c = rig.out_regs(bank)

    def chk(before, after, stats):
        assert stats.steps == len(steps) * repeat, f"stats.steps {stats.steps}"
        if not steps or not repeat:
            rig.expect_nothing(before, after)
            return
        d = Rig.diff(before, after)
        if kind == "sc":
            want = {}
            for s, cl, _ in steps:
                if s:
                    want[a] = s
                if cl:
                    want[c] = cl
            assert set(d) <= set(want), f"words {sorted(map(hex, d))} changed, only {sorted(map(hex, want))}"
            for off, w in want.items():
                assert Rig.word(after, off) == w, f"{off:#x}: {Rig.word(after, off):#x}, want {w:#x}"
        else:
            w = Rig.word(before, a)
            for _ in range(repeat):
                for s, cl, _ in steps:
                    w = (w | s) & ~cl
            assert set(d) <= {a}
            assert Rig.word(after, a) == w, f"data {Rig.word(after, a):#x}, want {w:#x}"
    return chk


@props(300)
@given(data=st.data())
def test_wave_buffers(rig, data):
    bank = data.draw(st.integers(0, rig.nbanks - 1), label="bank")
    buf, kind = data.draw(wave_buffers(rig, bank), label="steps")
    repeat = data.draw(st.integers(0, 2), label="repeat")
    exp, steps = wave_contract(rig, bank, buf, kind)
    if steps is not None:
        mask = rig.bank_mask(bank)
        bad = [i for i, (s, c, _) in enumerate(steps) if s & ~mask or c & ~mask or s & c]
        delay = any(dl for _, _, dl in steps)
        if bad:
            exp = Refuse(ValueError, why=f"step {bad[0]} names a line the bank lacks or both masks")
        elif delay:
            return  # generated steps have no delay; a decoded junk delay would only slow the run
        elif exp == "either-bytes":
            exp = Either((TypeError, ValueError), check=expect_wave(rig, bank, steps, repeat),
                         why="a signed-byte buffer")
        else:
            exp = Ok(check=expect_wave(rig, bank, steps, repeat), why="a documented step buffer")
    check("wave buffers", rig, lambda: rig.chip.wave(bank, buf, repeat=repeat), exp,
          f"wave({bank}, {describe(buf)} [{kind}], repeat={repeat})")


def count_values():
    return st.one_of(st.integers(0, 64), st.sampled_from([0, 1, 2**62, 2**63, 2**64, 2**100, -1, -(2**63)]),
                     np_int(st.integers(0, 64)), st.integers(0, 8).map(Indexable), JUNK)


@props(200)
@given(data=st.data())
def test_wave_options(rig, data):
    """repeat, cpu, fifo_priority, spin_ns of a valid two-step wave."""
    chip = rig.chip
    opt = data.draw(st.sampled_from(["repeat", "cpu", "fifo_priority", "spin_ns"]), label="option")
    x = data.draw(st.one_of(st.sampled_from([None, 0, 1, 2, 99, 100, 65535, 65536, 2**32 - 1, 2**32]),
                            count_values()), label="value")
    steps = [(1, 0, 0), (0, 1, 0)]
    kw = {opt: x}
    if opt == "repeat":
        if x is None:
            exp = Refuse(TypeError, why="repeat is an int")
        else:
            exp, v = classify_u32(x, "repeat")
            if isinstance(exp, Refuse) and not isinstance(x, int) and is_index(x):
                exp = Refuse(TypeError, ValueError, why="a numpy repeat count out of range")
            if isinstance(exp, Ok):
                if v > 64:
                    return  # a valid but long run (up to 2^32-1 repeats): not generated
                if not isinstance(x, int):
                    exp = Either((TypeError,), why="numpy repeat count (contract names lines/banks/masks)")
                exp.check = expect_wave(rig, 0, steps, v)
    else:
        lo, hi = {"cpu": (0, 1023), "fifo_priority": (1, 99), "spin_ns": (0, 2**32 - 1)}[opt]
        if x is None:
            exp = Ok(check=expect_wave(rig, 0, steps, 1), why="None: the default")
        elif isinstance(x, bool) or is_numpy_bool(x):
            exp = Refuse(TypeError, why="a bool is not a number")
        elif is_index(x):
            try:
                v = as_int(x)
            except ValueError:
                v = None
            if v is None:
                exp = Refuse(TypeError, ValueError, why="__index__ raised")
            elif opt == "cpu" and 1024 <= v <= 65535:
                exp = Either((ValueError,), why="a CPU number past CPU_SETSIZE")
            elif not lo <= v <= hi:
                exp = Refuse(ValueError, *(() if isinstance(x, int) else (TypeError,)),
                             why=f"{opt} outside {lo}..{hi}")
            elif opt == "fifo_priority" or (opt == "spin_ns" and v > 10**6):
                return  # valid: SCHED_FIFO as root / long spins are not generated
            elif isinstance(x, int):
                exp = Ok(check=expect_wave(rig, 0, steps, 1), why="in range")
            else:
                exp = Either((TypeError,), check=expect_wave(rig, 0, steps, 1), why="numpy option")
        else:
            exp = Refuse(TypeError, why=f"{opt} is an int or None")
    check("wave options", rig, lambda: chip.wave(0, steps, **kw), exp, _what(f"wave({opt}=)", x))


@props(300)
@given(data=st.data())
def test_pack_steps(data):
    one_bad = st.tuples(st.lists(st.integers(0, 2**32 - 1), min_size=3, max_size=3), st.integers(0, 2),
                        st.sampled_from([True, False, np.True_, 1.0, "1", None, -1, 2**32])).map(
        lambda t: tuple(t[2] if i == t[1] else w for i, w in enumerate(t[0])))
    steps = data.draw(st.lists(st.one_of(
        st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1)), one_bad,
        st.tuples(mask_values(), mask_values(), mask_values()),
        st.lists(st.integers(0, 9), max_size=5).map(tuple), JUNK), max_size=4), label="steps")
    exp, flat = None, []
    for s in steps:
        try:
            t = tuple(s)
        except TypeError:
            exp = Refuse(TypeError, ValueError, why="a step is a triple")
            break
        if len(t) != 3:
            exp = Refuse(ValueError, TypeError, why="a step is a triple")
            break
        for w in t:
            e, v = classify_u32(w, "mask")
            if not isinstance(e, Ok):
                exp = e
                break
            flat.append(v)
        if exp:
            break
    if exp is None:
        def chk(before, after, result):
            assert isinstance(result, array) and result.typecode == "I" and list(result) == flat, result
        exp = Ok(check=chk, why="triples of integers")
        # no rig: the check needs the result only
        result = check("pack_steps", None, lambda: fastgpio.pack_steps(steps), exp, _what("pack_steps", steps))
        chk(None, None, result)
        return
    check("pack_steps", None, lambda: fastgpio.pack_steps(steps), exp, _what("pack_steps", steps))


# --- bank sampling ------------------------------------------------------------------------------

@props(200)
@given(data=st.data())
def test_bank_sample(rig, data):
    chip = rig.chip
    bank = data.draw(st.integers(0, rig.nbanks - 1), label="bank")
    if data.draw(st.booleans(), label="into"):
        buf = data.draw(st.one_of(
            st.integers(0, 16).map(lambda n: array("I", [0] * n)),
            st.integers(0, 16).map(lambda n: bytearray(4 * n)),
            st.integers(0, 16).map(lambda n: bytearray(n)),
            st.tuples(st.sampled_from(ALL_DTYPES), st.integers(0, 8),
                      st.sampled_from([(-1,), (-1, 2), (2, -1, 1)])).map(
                lambda t: np.zeros(t[1] * 4, dtype=t[0]).reshape(t[2]) if t[1] else np.zeros(0, dtype=t[0])),
            st.sampled_from([lambda: "abc", lambda: b"\0" * 8, lambda: None, lambda: 5, lambda: [0, 0],
                             lambda: memoryview(bytearray(8)).cast("I"),
                             lambda: memoryview(bytearray(8)).cast("B", (2, 4)),
                             lambda: np.zeros((4, 2), np.uint32).T, lambda: array("L", [0, 0]),
                             lambda: array("i", [0, 0]), lambda: array(WCHAR_CODE, "ab"),
                             lambda: memoryview(bytearray(9))[1:]]).map(lambda f: f())), label="buffer")
        try:
            mv = memoryview(buf)
        except TypeError:
            mv = None
        if mv is None:
            exp = Refuse(TypeError, why="not a buffer")
        elif mv.readonly:
            exp = Refuse(BufferError, TypeError, why="read-only buffer")
        elif not mv.c_contiguous:
            exp = Refuse(BufferError, TypeError, ValueError, why="not contiguous")
        else:
            fmt = mv.format.lstrip("@=<")
            if fmt in ("I", "L") and mv.itemsize == 4 or fmt in ("B", "b", "c"):
                if mv.nbytes % 4:
                    exp = Refuse(ValueError, why="not whole uint32 words")
                elif mv.nbytes and _address(buf) % 4:
                    exp = Refuse(ValueError, why="uint32 samples need a 4-byte aligned buffer")
                elif mv.ndim > 1:
                    exp = Either((TypeError, ValueError), why="a multi-dimensional sample buffer")
                else:
                    exp = Ok(why="a writable uint32 or byte buffer")
            else:
                exp = Refuse(TypeError, why=f"format {mv.format!r} is not uint32")
        if not isinstance(exp, Refuse):
            def chk(before, after, result):
                rig.expect_nothing(before, after)
                words = array("I", memoryview(buf).tobytes())
                level = Rig.word(before, rig.level_reg(bank))
                for w in words:
                    assert w in (level, level & rig.bank_mask(bank)), f"sample {w:#x}, level {level:#x}"
            exp.check = chk
        check("bank_sample", rig, lambda: chip.bank_sample_into(bank, buf), exp,
              _what("bank_sample_into", bank, buf))
        return
    n = data.draw(count_values(), label="n")
    if isinstance(n, bool) or is_numpy_bool(n):
        exp = Refuse(TypeError, why="a bool is not a count")
    else:
        try:
            v = operator.index(n)
        except TypeError:
            v = None
        except ValueError:  # the object's own __index__ failed: its error propagates
            v = ValueError
        if v is ValueError:
            exp = Refuse(TypeError, ValueError, why="__index__ raised")
        elif v is None:
            exp = Refuse(TypeError, why="a count is an integer")
        elif v < 0 or v >= 2**61:
            exp = Refuse(ValueError, why="a count is 0..a buffer's size (documented: ValueError)")
        elif v > 10**6:
            return
        else:
            def chk(before, after, result):
                rig.expect_nothing(before, after)
                assert len(result.values) == v
                level = Rig.word(before, rig.level_reg(bank))
                assert all(w in (level, level & rig.bank_mask(bank)) for w in result.values)
            exp = Ok(check=chk, why="an integer count") if isinstance(n, int) else \
                Either((TypeError,), check=chk, why="numpy count")
    check("bank_sample", rig, lambda: chip.bank_sample(bank, n), exp, _what("bank_sample", bank, n))


# --- edge events: argument checks on a chip without events --------------------------------------

def edge_values():
    return st.one_of(st.sampled_from(["rising", "falling", "both"]), st.sampled_from(list(fastgpio.Edge)),
                     st.integers(-1, 5), st.sampled_from(["RISING", "Both", "up", "down", "none", "rising ", ""]),
                     np_int(st.integers(0, 4)), JUNK)


def seconds_values():
    return st.one_of(st.sampled_from([0, 0.0, 0.001, 1, 4294, 4294.0, 4295, 1e9, -0.0, -1, -1e-9]),
                     st.floats(min_value=0, max_value=5000), FLOATS, np_int(st.integers(0, 5)),
                     st.sampled_from([np.float64(0.5), np.float32(0.5)]), JUNK)


def classify_edge(e, allow_none):
    if e is None and allow_none:
        return "ok"
    if isinstance(e, bool) or is_numpy_bool(e):
        return (TypeError,)
    if isinstance(e, str):
        if e in ("rising", "falling", "both"):
            return "ok"
        if e.lower() in ("rising", "falling", "both"):
            return "either"  # the docs spell them in lower case; upper case is taken today
        return (ValueError,)
    if isinstance(e, int):
        return "ok" if 1 <= e <= 3 else (ValueError,)
    if is_index(e):
        return "either-num"
    if hasattr(type(e), "__index__"):  # an __index__ that raises: a number that is not an edge
        return (TypeError, ValueError)
    return (TypeError,)


def classify_seconds(x, what, allow_none, limit=None):
    if x is None:
        return "ok" if allow_none else (TypeError,)
    if isinstance(x, bool) or is_numpy_bool(x):
        return (TypeError,)
    if isinstance(x, (int, float)):
        if math.isnan(x) or x < 0:
            return (ValueError,)
        if limit is not None and x > limit:
            return (ValueError,)
        return "ok"
    if is_index(x) or type(x).__module__ == "numpy":
        return "either-num"
    return (TypeError,)


EVENT_CALLS = ["watch", "wait_for_edge", "edges", "wait_pulse", "add_callback", "edge"]


@props(120)
@given(data=st.data())
def test_event_arguments(rig, data):
    """Bad arguments raise their named error; good ones the documented
    NotSupportedError (a register file has no kernel): never a write."""
    pin = fastgpio.Pin(rig.chip, data.draw(st.integers(0, rig.n - 1), label="line"))
    method = data.draw(st.sampled_from(EVENT_CALLS), label="method")
    e = data.draw(edge_values(), label="edge")
    d = data.draw(seconds_values(), label="debounce")
    t = data.draw(seconds_values(), label="timeout")
    level = data.draw(level_values(), label="level")
    verdicts = []
    if method in ("watch", "add_callback"):
        verdicts += [classify_edge(e, False), classify_seconds(d, "debounce", False, 4294)]
    else:
        verdicts += [classify_edge(e, True) if method != "wait_pulse" else "ok",
                     classify_seconds(d, "debounce", True, 4294)]
        if method != "edge":
            verdicts.append(classify_seconds(t, "timeout", True))
    if method == "wait_pulse":
        lexp, _ = classify_level(level)
        verdicts.append("ok" if isinstance(lexp, Ok) else "either" if isinstance(lexp, Either) else lexp.exc)
    calls = {
        "watch": lambda: pin.watch(e, d),
        "wait_for_edge": lambda: pin.wait_for_edge(e, t, d),
        "edges": lambda: pin.edges(e, t, d),
        "wait_pulse": lambda: pin.wait_pulse(level, t, d),
        "add_callback": lambda: pin.add_callback(print, e, d),
        "edge": lambda: asyncio.run(pin.edge(e, d)),
    }
    bad = [v for v in verdicts if isinstance(v, tuple)]
    loose = {TypeError, ValueError} if any(v in ("either", "either-num") for v in verdicts) else set()
    if bad:
        exp = Refuse(*({x for b in bad for x in b} | loose), why="a bad event argument")
    elif any(v != "ok" for v in verdicts):
        exp = Refuse(TypeError, ValueError, NotSupportedError, why="an undocumented spelling or numpy number")
    else:
        exp = Refuse(NotSupportedError, why="valid arguments on a register file: no events")
    what = f"{method}(edge={describe(e)}, debounce={describe(d)}, timeout={describe(t)}" + \
        (f", level={describe(level)})" if method == "wait_pulse" else ")")
    check("events", rig, calls[method], exp, what)
    assert not pin.watching


# --- Chip(board=...) ----------------------------------------------------------------------------

# (board name, a compatible of it) per SoC table, from boards/*.h; None: a board
# without compatibles (the default).
BOARD_NAMES = {
    "bcm2835": [("Raspberry Pi Zero W", "raspberrypi,model-zero-w"), ("Raspberry Pi (40-pin header)", None)],
    "bcm2836": [("Raspberry Pi 2 Model B", "raspberrypi,2-model-b"), ("Raspberry Pi (40-pin header)", None)],
    "bcm2837": [("Raspberry Pi 3 Model B", "raspberrypi,3-model-b"),
                ("Raspberry Pi 2 Model B v1.2", "raspberrypi,2-model-b-rev2"),
                ("Raspberry Pi 2 Model B v1.2", "raspberrypi,2-model-b"),
                ("Raspberry Pi (40-pin header)", None)],
    "bcm2711": [("Raspberry Pi 4 Model B", "raspberrypi,4-model-b"), ("Raspberry Pi (40-pin header)", None)],
    "am335x": [("BeagleBone Black", "ti,am335x-bone-green")],
    "rk3288": [("ASUS Tinker Board / Tinker Board S", "asus,rk3288-tinker-s")],
    "rk3399": [("Radxa Rock Pi 4", "radxa,rockpi4")],
    "rp1": [("Raspberry Pi 5 Model B", "raspberrypi,5-model-b")],
}
# Names more than one table has: Chip(board=) without a SoC must refuse them.
AMBIGUOUS_BOARDS = {"raspberry pi (40-pin header)", "raspberrypi,2-model-b"}


def test_every_soc_table_has_board_names():
    assert sorted(BOARD_NAMES) == SOCS


def board_values(names):
    spelled = [n for pair in names for n in pair if n]
    recased = st.tuples(st.sampled_from(spelled), st.sampled_from([str.upper, str.lower, str.swapcase]))
    return st.one_of(
        st.sampled_from(spelled), st.sampled_from(spelled), recased.map(lambda t: t[1](t[0])),
        st.sampled_from(spelled).map(lambda n: n + " "),      # not trimmed: another name
        st.sampled_from(spelled).map(lambda n: n[:-1]),       # not a prefix match
        st.sampled_from(spelled).map(lambda n: n[:3] + "\0" + n[3:]),
        st.sampled_from(spelled).map(np.str_),                # a str subclass: taken
        st.sampled_from(spelled).map(str.encode),             # bytes: not a str
        st.sampled_from(sorted(AMBIGUOUS_BOARDS)),
        st.sampled_from(["", "unknown", "\ud800", "x" * 300]),
        JUNK,
    )


def board_owner(soc, x):
    """The (SoC, board name) Chip(soc, board=x) must open, or None: refused."""
    key = x.lower()
    for name, compat in BOARD_NAMES[soc]:
        if key == name.lower() or (compat is not None and key == compat.lower()):
            return soc, name
    return None


def classify_board(rig, soc, x):
    if x is None and soc is None:
        return Refuse(fastgpio.UnsupportedSoCError, why="no SoC, no board, no device tree"), None
    if x is None:
        return Ok(why="no board: the SoC's default board"), (soc, None)
    if not isinstance(x, str):
        return Refuse(TypeError, why="board is a str or None"), None
    if "\0" in x or any(0xD800 <= ord(c) <= 0xDFFF for c in x):
        return Refuse(ValueError, why="an embedded NUL or a lone surrogate"), None
    if soc is None and x.lower() in AMBIGUOUS_BOARDS:
        return Refuse(ValueError, why="a board of several SoC tables without the SoC"), None
    owner = board_owner(rig.soc, x)
    if owner is None:
        return Refuse(ValueError, why=f"no board {x!r} on {soc or 'any table'}"), None
    return Ok(why="a board of this SoC, by name or compatible, in any case"), owner


@props(120)
@given(data=st.data())
def test_board_argument(rig, data):
    soc = data.draw(st.sampled_from([rig.soc, None]), label="soc")
    # Without a SoC only this table's names are drawn next to the refused ones:
    # another table's board would open that SoC on this SoC's register file.
    names = BOARD_NAMES[rig.soc] if soc is None else [p for ps in BOARD_NAMES.values() for p in ps]
    x = data.draw(board_values(names), label="board")
    exp, owner = classify_board(rig, soc, x)
    kw = {rig.lay.backend: str(rig.f), "dt_root": str(rig.f.path) + ".no-device-tree", "board": x}

    def call():
        with fastgpio.Chip(soc, **kw) as chip:
            return chip.info.soc, chip.info.board

    if isinstance(exp, Ok):
        def opened(before, after, result):
            _eq(result[0], owner[0])
            if owner[1] is not None:    # None: the SoC's default board
                _eq(result[1], owner[1])
        exp.check = opened
    check("board", rig, call, exp, _what("Chip", soc, x))


# --- fastgpio.RPi.GPIO -------------------------------------------------------------------------

RPI_SOCS = ["bcm2711", "bcm2837", "bcm2835", "rp1", "rk3288"]


@pytest.fixture(params=RPI_SOCS)
def gpio(request, rigs, tmp_path_factory):
    import fastgpio.RPi.GPIO as GPIO
    r = rig_of(rigs, tmp_path_factory, request.param)
    yield GPIO, r
    GPIO._use_chip(None)


def rpi_lines(r):
    """Lines of the board's header (bonded out, so every function exists)."""
    return sorted({line for _, line in r.header if line >= 0})[:6]


def rpi_channel(GPIO, r):
    lines = rpi_lines(r)
    return st.one_of(st.sampled_from(lines), st.integers(-2, 60), np_int(st.sampled_from(lines[:2])), JUNK)


def rpi_classify_channel(GPIO, r, ch):
    """RPi.GPIO's "i" parsing: bool and __index__ are integers; then the BCM range."""
    if isinstance(ch, (str, bytes, float)) or ch is None:
        return (TypeError, ValueError), None
    try:
        v = operator.index(ch)
    except (TypeError, ValueError):
        return (TypeError, ValueError), None
    limit = min(54, r.n) if r.soc.startswith("bcm") else r.n
    if not 0 <= v < limit:
        return (ValueError,), None
    return None, v


@props(120)
@given(data=st.data())
def test_rpi_gpio_outputs(gpio, data):
    GPIO, r = gpio
    GPIO._use_chip(r.chip, dt_root=r.dt_root)
    GPIO.setwarnings(False)
    GPIO.setmode(GPIO.BCM)
    line = data.draw(st.sampled_from(rpi_lines(r)), label="line")
    GPIO.setup(line, GPIO.OUT)
    op = data.draw(st.sampled_from(["output", "setup-initial", "input"]), label="op")
    if op == "input":
        ch = data.draw(rpi_channel(GPIO, r), label="channel")
        bad, v = rpi_classify_channel(GPIO, r, ch)
        if bad or v != line:
            exp = Refuse(RuntimeError, *(bad or (ValueError,)), why="not a set-up channel")
        else:
            exp = Ok(check=lambda b, a, res: (r.expect_nothing(b, a), _eq(res, r.level_of(b, line))))
        check("RPi.GPIO", r, lambda: GPIO.input(ch), exp, _what("GPIO.input", ch))
        return
    val = data.draw(st.one_of(st.sampled_from([0, 1, True, False, GPIO.HIGH, GPIO.LOW]), level_values()),
                    label="value")
    if isinstance(val, bool) or (isinstance(val, int) and val in (0, 1)):
        exp = Ok(check=r.expect_write(line, int(val)), why="LOW/HIGH")
    elif isinstance(val, int):
        # RPi.GPIO 0.7.1 drives any non-zero int high; refusing it is fine too.
        exp = Either((ValueError,), check=r.expect_write(line, 1), why="a non-0/1 int (RPi.GPIO: high)")
    elif is_index(val) or is_numpy_bool(val):
        try:
            lv = bool(operator.index(val)) if not is_numpy_bool(val) else bool(val)
        except (TypeError, ValueError):
            lv = None
        exp = Either((ValueError, TypeError), check=None if lv is None else r.expect_write(line, lv),
                     why="a numpy level")
    else:
        exp = Refuse(ValueError, TypeError, RuntimeError, why="a str/float/None/container is not a level "
                     "(a list for one channel: RPi.GPIO's 'Number of channels != number of values')")
    if op == "output":
        check("RPi.GPIO", r, lambda: GPIO.output(line, val), exp, _what("GPIO.output", line, val))
    else:
        kind, a, c = r.out_regs(r.bank_of(line)[0])
        bit = 1 << r.bank_of(line)[1]
        try:
            iv = operator.index(val) if not is_numpy_bool(val) else int(bool(val))
        except (TypeError, ValueError):
            iv = None

        def chk(before, after, result):
            # the latch first (RPi.GPIO writes initial only when it is LOW or HIGH), then the direction
            touched = {o for o in Rig.diff(before, after) if o in r.output_registers()}
            if kind == "sc":
                want = {a: bit} if iv == 1 else {c: bit} if iv == 0 else {}
                assert touched <= set(want), f"setup wrote {sorted(map(hex, touched))}"
                for o, w in want.items():
                    assert Rig.word(after, o) == w, f"{o:#x}: {Rig.word(after, o):#x}"
        if val is None:
            exp = Ok(why="initial=None: not given (no level written)")
        elif isinstance(val, int) and not isinstance(val, bool) and val not in (0, 1):
            exp = Either((ValueError,), why="RPi.GPIO ignores an initial other than LOW/HIGH")
        if not isinstance(exp, Refuse):
            exp.check = chk
        check("RPi.GPIO", r, lambda: GPIO.setup(line, GPIO.OUT, initial=val), exp,
              _what("GPIO.setup(OUT, initial=)", line, val))


@props(120)
@given(data=st.data())
def test_rpi_gpio_pwm_and_modes(gpio, data):
    GPIO, r = gpio
    GPIO._use_chip(r.chip, dt_root=r.dt_root)
    GPIO.setwarnings(False)
    op = data.draw(st.sampled_from(["setmode", "PWM", "ChangeFrequency", "ChangeDutyCycle", "start"]), label="op")
    if op == "setmode":
        m = data.draw(st.one_of(st.sampled_from([GPIO.BCM, GPIO.BOARD, 12, 0, -1]), np_int(st.just(11)), JUNK),
                      label="mode")
        try:
            mv = operator.index(m)
            exp = Ok(check=r.expect_nothing) if mv in (GPIO.BCM, GPIO.BOARD) else \
                Refuse(ValueError, why="not BOARD or BCM")
        except (TypeError, ValueError):
            exp = Refuse(TypeError, ValueError, why="a mode is an int")
        check("RPi.GPIO", r, lambda: GPIO.setmode(m), exp, _what("GPIO.setmode", m))
        return
    GPIO.setmode(GPIO.BCM)
    ch = rpi_lines(r)[0]
    GPIO.setup(ch, GPIO.OUT)
    x = data.draw(st.one_of(st.sampled_from([0.0, 0.5, 50, 100, 100.5, 1000, 1e6, -1]), FLOATS,
                            np_int(st.integers(0, 100)), JUNK), label="number")
    # RPi.GPIO parses numbers with "f": anything float() takes but str and bytes.
    num, exp = None, Refuse(TypeError, ValueError, why="not a real number")
    if not isinstance(x, (str, bytes, bytearray)):
        try:
            num = float(x)
        except (TypeError, ValueError, OverflowError):
            pass
    pwms = []
    if op in ("PWM", "ChangeFrequency"):
        if num is not None:
            if not math.isfinite(num) or num <= 0:
                exp = Refuse(ValueError, why="frequency must be finite and > 0 (RPi.GPIO's message)")
            else:
                exp = Ok(check=r.expect_nothing, why="a frequency")
        if op == "PWM":
            call = lambda: pwms.append(GPIO.PWM(ch, x))  # noqa: E731
        else:
            p = GPIO.PWM(ch, 100)
            pwms.append(p)
            call = lambda: p.ChangeFrequency(x)  # noqa: E731
    else:
        if num is not None:
            if not math.isfinite(num) or not 0 <= num <= 100:
                exp = Refuse(ValueError, why="duty cycle 0.0-100.0 (RPi.GPIO's message)")
            else:
                exp = Ok(check=r.expect_nothing, why="a duty cycle")
        p = GPIO.PWM(ch, 100)
        pwms.append(p)
        if op == "start":
            if isinstance(exp, Ok):
                return  # a running PWM thread writes: tested in test_rpi_gpio.py
            call = lambda: p.start(x)  # noqa: E731
        else:
            call = lambda: p.ChangeDutyCycle(x)  # noqa: E731
    try:
        check("RPi.GPIO", r, call, exp, _what(f"GPIO {op}", x))
    finally:
        for p in pwms:
            p.stop()


@pytest.fixture
def scripted(rigs, tmp_path_factory):
    """RPi.GPIO on a chip whose kernel side is scripted (tests/helpers.py's ScriptedChip)."""
    from helpers import RegFile, ScriptedChip
    import fastgpio.RPi.GPIO as GPIO
    d = tmp_path_factory.mktemp("props-scripted")
    f = RegFile(d / "regs.bin", 0x1000)
    chip = ScriptedChip("bcm2837", dt_root=str(d / "no-dt"), gpiomem=str(f))
    GPIO._use_chip(chip, dt_root=str(d / "no-dt"))
    yield GPIO, chip
    GPIO._use_chip(None)
    chip.close()


@props(60)
@given(data=st.data())
def test_rpi_gpio_wait_for_edge_against_detection(scripted, data):
    """wait_for_edge on a channel with add_event_detect active: RPi.GPIO 0.7.1
    raises "Conflicting edge detection events already exist for this GPIO
    channel" when the edge or the bouncetime differ or callbacks exist;
    otherwise it waits for the detection's next edge (here: times out)."""
    GPIO, chip = scripted
    GPIO._use_chip(chip, dt_root="/nonexistent")
    GPIO.setwarnings(False)
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(5, GPIO.IN)
    e1 = data.draw(st.sampled_from([GPIO.RISING, GPIO.FALLING, GPIO.BOTH]), label="detect edge")
    b1 = data.draw(st.sampled_from([None, 100, 123, 321]), label="detect bouncetime")
    cb = data.draw(st.booleans(), label="callback")
    GPIO.add_event_detect(5, e1, callback=(lambda ch: None) if cb else None, bouncetime=b1)
    e2 = data.draw(st.sampled_from([GPIO.RISING, GPIO.FALLING, GPIO.BOTH]), label="wait edge")
    b2 = data.draw(st.sampled_from([None, 100, 123, 321]), label="wait bouncetime")
    try:
        if cb or e1 != e2 or (b1 is not None and b2 is not None and b1 != b2):
            exp = Refuse(RuntimeError, why="conflicting edge detection (RPi.GPIO 0.7.1)")
        elif b1 != b2:
            exp = Either((RuntimeError,), why="one bouncetime given, the other not")
        else:
            exp = Ok(check=lambda b, a, res: _eq(res, None), why="same detection: wait, time out")
        res = check("RPi.GPIO events", None, lambda: GPIO.wait_for_edge(5, e2, bouncetime=b2, timeout=1), exp,
                    f"add_event_detect(5, {e1}, callback={cb}, bouncetime={b1}); "
                    f"wait_for_edge(5, {e2}, bouncetime={b2}, timeout=1)")
        if isinstance(exp, Ok):
            _eq(res, None)
        if isinstance(res, RuntimeError):
            assert str(res) == "Conflicting edge detection events already exist for this GPIO channel", res
    finally:
        GPIO.remove_event_detect(5)


# --- the gpiozero pin factory --------------------------------------------------------------------

GZ_SOCS = {"bcm2711": 0xB03115, "bcm2837": 0xA02082, "rk3288": None}


@pytest.fixture(params=sorted(GZ_SOCS))
def gz(request, rigs, tmp_path_factory):
    gpiozero = pytest.importorskip("gpiozero")
    from fastgpio.gpiozero import FastGPIOFactory
    r = rig_of(rigs, tmp_path_factory, request.param)
    fac = _FACTORIES.get(request.param)
    if fac is None:
        # gpiozero's local factories share one pin registry between instances:
        # a second factory's pin(17) would be the first one's (on its chip).
        for other in _FACTORIES.values():
            other.close()
        _FACTORIES.clear()
        fac = _FACTORIES[request.param] = FastGPIOFactory(chip=r.chip, revision=GZ_SOCS[request.param])
    yield gpiozero, fac, r


@props(120)
@given(data=st.data())
def test_gpiozero_factory(gz, data):
    gpiozero, fac, r = gz
    from gpiozero import exc as gzexc
    line = 17 if r.soc.startswith("bcm") else 160  # GPIO17 / GPIO5_B0
    op = data.draw(st.sampled_from(["pin", "state", "function", "pull", "frequency"]), label="op")
    if op == "pin":
        spec = data.draw(st.one_of(st.sampled_from([line, f"GPIO{line}", str(line), f"BCM{line}", "BOARD11"]),
                                   st.integers(-5, 300), JUNK), label="spec")
        def no_levels(before, after, result):
            # a new gpiozero pin starts as an input with its default pull: no output word changes
            touched = set(Rig.diff(before, after)) & r.output_registers()
            assert not touched, f"factory.pin wrote output words {sorted(map(hex, touched))}"
        check("gpiozero", r, lambda: fac.pin(spec),
              Either((gzexc.PinInvalidPin, gzexc.PinError, ValueError, TypeError), check=no_levels,
                     why="gpiozero's pin spec parsing"),
              _what("factory.pin", spec))
        return
    pin = fac.pin(line)
    x = data.draw({"state": level_values(), "function": st.one_of(st.sampled_from(["input", "output", "alt0",
                                                                                    "alt9", "in"]), JUNK),
                   "pull": st.one_of(st.sampled_from(["up", "down", "floating", "off"]), JUNK),
                   "frequency": st.one_of(st.sampled_from([None, 0, 50, 1000, -1]), FLOATS, JUNK)}[op],
                  label="value")
    if op == "state":
        exp, level = classify_level(x)
        if level is not None:
            exp.check = r.expect_write(line, level)
        if isinstance(exp, Refuse):
            exp = Refuse(*exp.exc, gzexc.PinInvalidState, why=exp.why)
        check("gpiozero", r, lambda: setattr(pin, "state", x), exp, _what("pin.state =", x),
              prep=lambda: setattr(pin, "function", "output"))
        return
    if op == "function":
        if x in ("input", "output"):
            exp = Ok(check=r.expect_function(line, "in" if x == "input" else "out"), why="gpiozero function")
        elif isinstance(x, str) and x.startswith("alt") and x[3:].isdigit() and int(x[3:]) <= 8:
            exp = Either((gzexc.PinInvalidFunction,), check=r.expect_function(line, x), why="an alt function")
        else:
            exp = Refuse(gzexc.PinInvalidFunction, TypeError, ValueError, why="not a gpiozero function")
        check("gpiozero", r, lambda: setattr(pin, "function", x), exp, _what("pin.function =", x))
        return
    if op == "pull":
        if x in ("up", "down", "floating"):
            exp = Ok(check=r.expect_pull(line, {"floating": "off"}.get(x, x)), why="a gpiozero pull")
        else:
            exp = Refuse(gzexc.PinInvalidPull, TypeError, ValueError, why="not a gpiozero pull")
        check("gpiozero", r, lambda: setattr(pin, "pull", x), exp, _what("pin.pull =", x),
              prep=lambda: setattr(pin, "function", "input"))
        return
    if is_index(x) and not isinstance(x, int) and type(x).__module__ != "numpy":
        x_num = operator.index(x)  # an __index__ object is the integer it stands for
    else:
        x_num = x
    if x is None or (isinstance(x_num, (int, float)) and not isinstance(x, bool) and x_num == 0):
        exp = Ok(check=r.expect_nothing, why="no PWM")
    elif isinstance(x, bool) or is_numpy_bool(x):
        exp = Either((TypeError, ValueError), why="a bool frequency")
    elif isinstance(x_num, (int, float)) and not isinstance(x, bool):
        if math.isfinite(x_num) and x_num > 0:
            return  # a running PWM thread writes by design: test_gpiozero_factory.py covers it
        exp = Refuse(ValueError, gzexc.PinInvalidState, why="frequency must be finite and > 0")
    elif type(x).__module__ == "numpy" or isinstance(x, (decimal.Decimal, fractions.Fraction)):
        return  # numbers of other types: the contract says nothing
    else:
        exp = Refuse(TypeError, ValueError, why="a frequency is a number")
    try:
        check("gpiozero", r, lambda: setattr(pin, "frequency", x), exp, _what("pin.frequency =", x),
              prep=lambda: setattr(pin, "function", "output"))
    finally:
        try:
            pin.frequency = None  # an accepted NaN/inf starts a thread spinning at 100 % CPU
        except Exception:
            pass
