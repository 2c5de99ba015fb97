# SPDX-License-Identifier: MIT
"""Helpers of the generated-input properties (tests/test_properties.py).

A :class:`Rig` is one register-file chip of one SoC table together with a
model of that table's register words (where a line's set/clear/level bits
live, the BCM function-select and pull fields), written from the SoC
documentation the golden tests cite, not from the library. Each generated
case runs through :func:`check`:

* a call the contract calls valid must succeed and leave exactly the words
  the model predicts (every other word of every tracked page unchanged);
* a call the contract calls invalid must raise the named exception, a
  subclass of the documented builtin (never a bare SystemError or
  OverflowError), and leave the register file byte-for-byte unchanged
  (``RegFile.digest()``);
* an *ambiguous* case (the contract does not say which) may do either, but a
  refusal still writes nothing.

Before every case the tracked GPIO pages are refilled with a pattern that
changes from case to case, so a write of "the same value as last time"
cannot hide. The figures (cases, refusals, valid calls, writes on refusal)
are kept in :data:`STATS` and printed by tests/conftest.py's terminal summary.
"""

from __future__ import annotations

import math
import os
import struct
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import pytest

import fastgpio
from helpers import data_extents

# --- the figures ------------------------------------------------------------------

STATS: Dict[str, Any] = {"examples": 0, "valid": 0, "refusals": 0, "ambiguous": 0,
                         "writes_on_refusal": 0, "seconds": 0.0, "tests": {}}


def _count(key: str, test: str) -> None:
    STATS[key] += 1
    per = STATS["tests"].setdefault(test, {"examples": 0, "valid": 0, "refusals": 0, "ambiguous": 0})
    if key in per:
        per[key] += 1


def budget(n: int) -> int:
    """Examples of one property in the default run, times FASTGPIO_PROPS_SCALE
    (or pytest's --props-scale) for the long run."""
    try:
        scale = float(os.environ.get("FASTGPIO_PROPS_SCALE", "1") or "1")
    except ValueError:
        scale = 1.0
    return max(1, int(n * scale))


# --- outcomes the contract allows --------------------------------------------------

@dataclass
class Ok:
    """Valid: must succeed; ``check(before, after, result)`` asserts the words."""
    check: Optional[Callable[[Dict[int, int], Dict[int, int], Any], None]] = None
    why: str = ""


@dataclass
class Refuse:
    """Invalid: must raise one of ``exc`` (each a subclass of the documented
    builtin) and write nothing."""
    exc: Tuple[type, ...]
    why: str = ""

    def __init__(self, *exc: type, why: str = "") -> None:
        self.exc = exc
        self.why = why


@dataclass
class Either:
    """The contract leaves it open: success (then ``check`` applies) or one of
    ``exc`` with nothing written."""
    exc: Tuple[type, ...]
    check: Optional[Callable[[Dict[int, int], Dict[int, int], Any], None]] = None
    why: str = ""


# Exceptions that are never a "named error": the C layer leaking an internal
# failure, or an unconverted overflow where the docs promise ValueError.
NEVER = (SystemError, OverflowError, MemoryError, ZeroDivisionError, AssertionError)


# --- register-file rigs --------------------------------------------------------------

def _pages(start: int, size: int) -> List[int]:
    return list(range(start, start + size, 0x1000))


BCM_FSEL = {"in": 0, "out": 1, "alt0": 4, "alt1": 5, "alt2": 6, "alt3": 7, "alt4": 3, "alt5": 2}
FUNCS = ("in", "out") + tuple(f"alt{i}" for i in range(9))
PULLS = ("off", "up", "down")


@dataclass
class Layout:
    backend: str            # "devmem" or "gpiomem"
    size: int               # register file size
    board: Optional[str]    # conftest.BOARDS tree, or None (no device tree)
    banks: List[Tuple[int, int]]    # (first line, count), the SoC documentation's
    tracked: List[int]      # pages compared word by word
    filled: List[int]       # pages refilled with a pattern before each case
    family: str             # "bcm", "am335x", "rk3288", "rp1"
    gpio: int = 0           # BCM GPIO block / RP1 window offset in the file
    rk_gpio: List[int] = field(default_factory=list)   # rk3288 family: each bank's GPIO block
    rk_pads: Tuple[int, ...] = ()                      # rk3288 family: iomux/pull (GRF, PMU) pages


_BCM_BANKS = [(0, 32), (32, 22)]
_AM_GPIO = [0x44E07000, 0x4804C000, 0x481AC000, 0x481AE000]
_RK_GPIO = [0xFF750000] + [0xFF780000 + 0x10000 * (b - 1) for b in range(1, 9)]
_RK_GRF, _RK_PMU, _RK_CRU = 0xFF770000, 0xFF730000, 0xFF760000
# RK3399 (rk3399.dtsi): GPIO0..4, the 64 KiB GRF, PMUGRF, CRU, PMUCRU.
_RK99_GPIO = [0xFF720000, 0xFF730000, 0xFF780000, 0xFF788000, 0xFF790000]
_RK99_GRF = _pages(0xFF770000, 0x10000)
_RK99_PMUGRF, _RK99_CRU, _RK99_PMUCRU = 0xFF320000, 0xFF760000, 0xFF750000

LAYOUTS: Dict[str, Layout] = {
    # BCM2835 ARM Peripherals 6.1 (GPIO at peripheral base + 0x200000); BCM2711 adds 4 lines.
    "bcm2835": Layout("devmem", 0x20201000, None, _BCM_BANKS, [0x20200000], [0x20200000], "bcm", 0x20200000),
    "bcm2836": Layout("devmem", 0x3F201000, None, _BCM_BANKS, [0x3F200000], [0x3F200000], "bcm", 0x3F200000),
    "bcm2837": Layout("gpiomem", 0x1000, None, _BCM_BANKS, [0x0], [0x0], "bcm", 0x0),
    "bcm2711": Layout("devmem", 0xFE201000, None, [(0, 32), (32, 26)], [0xFE200000], [0xFE200000], "bcm",
                      0xFE200000),
    # AM335x TRM 25.4: four GPIO modules of 32 lines; CM_PER/CM_WKUP and the control module are
    # tracked (the clock words must not change) but not refilled (a pattern would gate banks).
    "am335x": Layout("devmem", 0x481AF000, "bbb", [(0, 32), (32, 32), (64, 32), (96, 32)],
                     _AM_GPIO + [0x44E00000] + _pages(0x44E10000, 0x2000), _AM_GPIO, "am335x"),
    # RK3288 TRM / Linux legacy numbering: GPIO0 has 24 lines, GPIO1..7 32, GPIO8 16.
    "rk3288": Layout("devmem", 0xFF800000, "tinker",
                     [(0, 24)] + [(24 + 32 * b, 32) for b in range(7)] + [(248, 16)],
                     _RK_GPIO + [_RK_GRF, _RK_PMU, _RK_CRU], _RK_GPIO + [_RK_GRF, _RK_PMU], "rk3288",
                     rk_gpio=_RK_GPIO, rk_pads=(_RK_GRF, _RK_PMU)),
    # RK3399: five banks of 32 (pinctrl-rockchip.c rk3399_pin_banks); the clock units are
    # tracked, not refilled.
    "rk3399": Layout("devmem", 0xFF791000, "rockpi4", [(32 * b, 32) for b in range(5)],
                     _RK99_GPIO + _RK99_GRF + [_RK99_PMUGRF, _RK99_CRU, _RK99_PMUCRU],
                     _RK99_GPIO + _RK99_GRF + [_RK99_PMUGRF], "rk3288",
                     rk_gpio=_RK99_GPIO, rk_pads=tuple(_RK99_GRF) + (_RK99_PMUGRF,)),
    # RP1 peripherals doc: IO_BANK0/SYS_RIO0/PADS_BANK0 slots of /dev/gpiomem0; banks of 28, 6, 20.
    "rp1": Layout("gpiomem", 0x30000, "pi5", [(0, 28), (28, 6), (34, 20)], _pages(0, 0x30000),
                  _pages(0, 0x30000), "rp1"),
}

SOCS = sorted(LAYOUTS)


class Rig:
    """One open chip on a register file, plus the words model of its table."""

    def __init__(self, soc: str, tmp: "os.PathLike[str]") -> None:
        from helpers import DeviceTree, RegFile, make_tree
        self.soc = soc
        self.lay = LAYOUTS[soc]
        tmp = os.fspath(tmp)
        self.f = RegFile(Path(tmp) / f"{soc}.bin", self.lay.size)
        if self.lay.board == "pi5":
            dt = DeviceTree(Path(tmp) / "dt-pi5")
            dt.compatible("raspberrypi,5-model-b", "brcm,bcm2712")
            self.dt_root = str(dt)
        elif self.lay.board:
            self.dt_root = str(make_tree(Path(tmp), self.lay.board))
        else:
            self.dt_root = os.path.join(tmp, "no-device-tree")
        self.chip = fastgpio.Chip(soc, dt_root=self.dt_root, **{self.lay.backend: str(self.f)})
        self.n = self.chip.num_lines
        self.nbanks = self.chip.num_banks
        self.case = 0
        self.header = self.chip.header()
        self._fd = os.open(self.f.path, os.O_RDWR | os.O_CLOEXEC)

    def close(self) -> None:
        self.chip.close()
        os.close(self._fd)

    # -- the file ----------------------------------------------------------------
    def refill(self) -> None:
        """A new pattern in every refilled page: low byte 0x5A (no AM335x
        module-disable bit), upper bits changing per case."""
        self.case += 1
        word = 0x5A5A5A5A ^ ((self.case * 0x9E3779B1) & 0xFFFFFF00)
        blob = struct.pack("<I", word) * 1024
        for page in self.lay.filled:
            os.pwrite(self._fd, blob, page)

    def image(self) -> Dict[int, bytes]:
        return {page: os.pread(self._fd, 0x1000, page) for page in self.lay.tracked}

    def restore(self, img: Dict[int, bytes]) -> None:
        for page, data in img.items():
            os.pwrite(self._fd, data, page)

    @staticmethod
    def diff(before: Dict[int, bytes], after: Dict[int, bytes]) -> Dict[int, Tuple[int, int]]:
        """{offset: (old word, new word)} of every changed word."""
        out = {}
        for page, old in before.items():
            new = after[page]
            if old == new:
                continue
            a, b = array("I", old), array("I", new)
            for i in range(1024):
                if a[i] != b[i]:
                    out[page + 4 * i] = (a[i], b[i])
        return out

    @staticmethod
    def word(img: Dict[int, bytes], off: int) -> int:
        page = off & ~0xFFF
        return struct.unpack_from("<I", img[page], off - page)[0]

    def extents_outside_tracked(self) -> List[int]:
        """Data extents of the file that lie outside the tracked pages (must be none)."""
        bad = []
        fd = os.open(self.f.path, os.O_RDONLY)
        try:
            tracked = set(self.lay.tracked)
            for start, end in data_extents(fd):
                for page in range(start & ~0xFFF, end, 0x1000):
                    if page not in tracked and os.pread(fd, 0x1000, page).strip(b"\0"):
                        bad.append(page)
        finally:
            os.close(fd)
        return bad

    # -- the model -----------------------------------------------------------------
    def bank_of(self, line: int) -> Tuple[int, int]:
        for b, (first, count) in enumerate(self.lay.banks):
            if first <= line < first + count:
                return b, line - first
        raise AssertionError(f"line {line} in no bank")

    def bank_mask(self, bank: int) -> int:
        return (1 << self.lay.banks[bank][1]) - 1

    def out_regs(self, bank: int) -> Tuple[str, int, int]:
        """("sc", set word, clear word) or ("rmw", data word, 0) of a bank."""
        fam = self.lay.family
        if fam == "bcm":
            return "sc", self.lay.gpio + 0x1C + 4 * bank, self.lay.gpio + 0x28 + 4 * bank
        if fam == "am335x":  # SETDATAOUT 0x194, CLEARDATAOUT 0x190
            return "sc", _AM_GPIO[bank] + 0x194, _AM_GPIO[bank] + 0x190
        if fam == "rp1":  # SYS_RIO OUT through its SET (+0x2000) and CLR (+0x3000) aliases
            rio = 0x10000 + 0x4000 * bank
            return "sc", rio + 0x2000, rio + 0x3000
        return "rmw", self.lay.rk_gpio[bank] + 0x00, 0  # GPIO_SWPORTA_DR

    def level_reg(self, bank: int) -> int:
        fam = self.lay.family
        if fam == "bcm":
            return self.lay.gpio + 0x34 + 4 * bank   # GPLEV
        if fam == "am335x":
            return _AM_GPIO[bank] + 0x138            # GPIO_DATAIN
        if fam == "rp1":
            return 0x10000 + 0x4000 * bank + 0x08    # RIO SYNC_IN
        return self.lay.rk_gpio[bank] + 0x50         # GPIO_EXT_PORTA

    def output_registers(self) -> set:
        """Every word through which an output level can change."""
        out = set()
        for b in range(len(self.lay.banks)):
            kind, a, c = self.out_regs(b)
            out.add(a)
            if kind == "sc":
                out.add(c)
            if self.lay.family == "rp1":
                rio = 0x10000 + 0x4000 * b
                out |= {rio, rio + 0x1000}
        return out

    def expect_bank_write(self, bank: int, mask: int, values: int):
        """The words a bank write (or one wave step) leaves: a check function."""
        kind, a, c = self.out_regs(bank)

        def check(before, after, _result=None):
            d = Rig.diff(before, after)
            if kind == "sc":
                want = {}
                if mask & values:
                    want[a] = mask & values
                if mask & ~values:
                    want[c] = mask & ~values
                for off, (_, new) in d.items():
                    assert off in want, f"word {off:#x} changed, only {sorted(map(hex, want))} may"
                for off, w in want.items():
                    got = Rig.word(after, off)
                    assert got == w, f"word {off:#x} is {got:#x}, want {w:#x}"
            else:
                old = Rig.word(before, a)
                w = (old & ~mask) | (values & mask)
                assert set(d) <= {a}, f"words {sorted(map(hex, d))} changed, only {a:#x} may"
                assert Rig.word(after, a) == w, f"data word {Rig.word(after, a):#x}, want {w:#x}"
        return check

    def expect_write(self, line: int, level: int):
        bank, bit = self.bank_of(line)
        return self.expect_bank_write(bank, 1 << bit, (1 << bit) if level else 0)

    def expect_nothing(self, before, after, _result=None):
        d = Rig.diff(before, after)
        assert not d, f"words changed: {[(hex(o), hex(a), hex(b)) for o, (a, b) in d.items()]}"

    def level_of(self, img, line: int) -> int:
        bank, bit = self.bank_of(line)
        return (Rig.word(img, self.level_reg(bank)) >> bit) & 1

    def expect_function(self, line: int, func: str):
        """set_function's words: exact for BCM, otherwise the words allowed to
        change (never an output level)."""
        fam = self.lay.family
        outs = self.output_registers()

        def check(before, after, _result=None):
            d = Rig.diff(before, after)
            if fam == "bcm":
                off = self.lay.gpio + 4 * (line // 10)
                sh = 3 * (line % 10)
                w = (Rig.word(before, off) & ~(7 << sh)) | (BCM_FSEL[func] << sh)
                assert set(d) <= {off}, f"words {sorted(map(hex, d))} changed, only GPFSEL {off:#x} may"
                assert Rig.word(after, off) == w, f"GPFSEL {Rig.word(after, off):#x}, want {w:#x}"
                return
            bank, bit = self.bank_of(line)
            if fam == "am335x":  # GPIO_OE: 1 = input
                off = _AM_GPIO[bank] + 0x134
                old = Rig.word(before, off)
                w = old | (1 << bit) if func == "in" else old & ~(1 << bit)
                assert set(d) <= {off}, f"words {sorted(map(hex, d))} changed, only GPIO_OE may"
                assert Rig.word(after, off) == w
                return
            if fam == "rk3288":  # GPIO_SWPORTA_DDR (1 = output) and the GRF/PMU iomux
                ddr = self.lay.rk_gpio[bank] + 0x04
                for off in d:
                    assert off == ddr or off & ~0xFFF in self.lay.rk_pads, f"word {off:#x} changed"
                if func in ("in", "out"):
                    got = (Rig.word(after, ddr) >> bit) & 1
                    assert got == (func == "out"), f"DDR bit {got} after {func}"
                    rest = ~(1 << bit) & 0xFFFFFFFF
                    assert Rig.word(after, ddr) & rest == Rig.word(before, ddr) & rest
                else:
                    assert ddr not in d, "an alternate function changed the direction register"
                return
            # rp1: IO_BANK CTRL, PADS and the RIO OE aliases; never RIO OUT
            for off in d:
                assert off not in outs, f"set_function wrote output word {off:#x}"
        return check

    def expect_pull(self, line: int, pull: str):
        fam = self.lay.family
        outs = self.output_registers()

        def check(before, after, _result=None):
            d = Rig.diff(before, after)
            if fam == "bcm" and self.soc == "bcm2711":
                off = self.lay.gpio + 0xE4 + 4 * (line // 16)
                sh = 2 * (line % 16)
                w = (Rig.word(before, off) & ~(3 << sh)) | ({"off": 0, "up": 1, "down": 2}[pull] << sh)
                assert set(d) <= {off}, f"words {sorted(map(hex, d))} changed, only PUP_PDN {off:#x} may"
                assert Rig.word(after, off) == w
                return
            if fam == "bcm":  # GPPUD / GPPUDCLK0/1 sequence, both left 0
                allowed = {self.lay.gpio + 0x94, self.lay.gpio + 0x98, self.lay.gpio + 0x9C}
                assert set(d) <= allowed, f"words {sorted(map(hex, d))} changed"
                for off in d:
                    assert Rig.word(after, off) == 0, f"pull sequence left {off:#x} non-zero"
                return
            if fam == "rk3288":
                for off in d:
                    assert off & ~0xFFF in self.lay.rk_pads, f"set_pull wrote {off:#x}"
                return
            for off in d:  # rp1: pads only
                assert 0x20000 <= off < 0x30000, f"set_pull wrote {off:#x}"
        return check

    def names(self) -> Dict[str, int]:
        """Names the docs promise for this chip, with their lines."""
        out = {}
        for label, line in self.header:
            if line >= 0:
                out[label] = line
        fam = self.lay.family
        for n in (0, 1, 17, self.n - 1):
            out[str(n)] = n
            if fam in ("bcm", "rp1"):
                out[f"GPIO{n}"] = n
                out[f"gpio{n}"] = n
        if fam == "am335x":
            out.update({"GPIO1_28": 60, "P9_12": 60, "P8_7": 66, "GPIO0_0": 0, "GPIO3_31": 127})
        if self.soc == "rk3288":
            out.update({"GPIO5_B0": 160, "PIN10": 160, "GPIO0_A0": 0, "GPIO8_B7": 263})
        if self.soc == "rk3399":  # 32 lines a bank; Rock Pi 4 pin 11 (mraa rockpi4.c)
            out.update({"GPIO4_C2": 146, "PIN11": 146, "GPIO0_A0": 0, "GPIO4_D7": 159})
        return out


# --- values -----------------------------------------------------------------------

def is_index(x: Any) -> bool:
    """An integer by the contract: int or __index__, not bool (numpy bool_ has
    no __index__)."""
    if isinstance(x, bool):
        return False
    try:
        import operator
        operator.index(x)
        return True
    except (TypeError, ValueError):
        return False


def as_int(x: Any) -> int:
    import operator
    return operator.index(x)


def is_numpy_bool(x: Any) -> bool:
    return type(x).__name__ in ("bool_", "bool") and type(x).__module__ == "numpy"


def is_real(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def finite(x: float) -> bool:
    return not (math.isnan(x) or math.isinf(x))


def describe(x: Any) -> str:
    r = repr(x)
    if len(r) > 120:
        r = r[:117] + "..."
    t = type(x)
    extra = ""
    if hasattr(x, "dtype") and hasattr(x, "shape"):
        extra = f" dtype={x.dtype} shape={x.shape}"
    return f"{t.__module__}.{t.__qualname__}{extra}: {r}"


# --- running one case -----------------------------------------------------------------

def check(test: str, rig: Optional[Rig], call: Callable[[], Any], expect, what: str,
          prep: Optional[Callable[[], Any]] = None) -> Any:
    """Runs one generated case against its expected outcome (see the module
    doc). ``prep`` runs after the refill, before the snapshot (e.g. making the
    line an output for a call that needs one)."""
    _count("examples", test)
    if rig is not None:
        rig.refill()
        if prep is not None:
            prep()
        before = rig.image()
        digest = rig.f.digest()
    else:
        before = digest = None
    try:
        result = call()
    except BaseException as e:  # noqa: B902 - KeyboardInterrupt etc. are re-raised below
        if isinstance(e, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        if isinstance(e, pytest.fail.Exception):
            raise
        _count("refusals", test)
        wrote = rig is not None and rig.f.digest() != digest
        if wrote:
            STATS["writes_on_refusal"] += 1
            changed = Rig.diff(before, rig.image())
            words = ", ".join(f"{o:#x}: {a:#x}->{b:#x}" for o, (a, b) in sorted(changed.items())[:6])
        if isinstance(expect, Ok):
            raise AssertionError(f"{what}: valid by the contract ({expect.why}) but raised "
                                 f"{type(e).__name__}: {e}") from e
        allowed = expect.exc
        if not isinstance(e, allowed):
            bare = " (never a named error)" if isinstance(e, NEVER) else ""
            raise AssertionError(f"{what}: raised {type(e).__name__}{bare}: {e}; want "
                                 f"{'/'.join(a.__name__ for a in allowed)} ({expect.why})") from e
        if wrote:
            raise AssertionError(f"{what}: refused with {type(e).__name__} ({e}) but wrote "
                                 f"registers: {words}")
        if isinstance(expect, Either):
            _count("ambiguous", test)
        return e
    _count("valid", test)
    if isinstance(expect, Refuse):
        raise AssertionError(f"{what}: accepted (returned {result!r}); the contract wants "
                             f"{'/'.join(a.__name__ for a in expect.exc)} ({expect.why})")
    if isinstance(expect, Either):
        _count("ambiguous", test)
    chk = expect.check
    if chk is not None and rig is not None:
        chk(before, rig.image(), result)
    return result
