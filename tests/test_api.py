# SPDX-License-Identifier: MIT
"""The Python API in register-file mode on the Broadcom tables: exact words,
names, enums, info, lifecycle and every error path (with the file unchanged)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import pytest

import fastgpio
from fastgpio import Function, Pull

GPIO_2711 = 0xFE200000  # Pi 4: peripheral base 0xFE000000 + GPIO at 0x200000
GPIO_2837 = 0x3F200000
GPFSEL0, GPSET0, GPCLR0, GPLEV0, GPPUD, GPPUDCLK0, PUP_PDN0 = 0x00, 0x1C, 0x28, 0x34, 0x94, 0x98, 0xE4


@pytest.fixture
def pi4(regfile, no_dt):
    f = regfile(GPIO_2711 + 0x1000)
    with fastgpio.Chip("bcm2711", devmem=f, dt_root=no_dt) as chip:
        yield chip, f, GPIO_2711


@pytest.fixture
def pi3mem(regfile, no_dt):
    f = regfile(0x1000)
    with fastgpio.Chip("bcm2837", gpiomem=f, dt_root=no_dt) as chip:
        yield chip, f, 0


def test_set_clear_write_exact_words(pi4):
    chip, f, g = pi4
    chip.set(17)
    assert f.peek(g + GPSET0) == 1 << 17
    assert f.peek(g + GPCLR0) == 0
    chip.clear(17)
    assert f.peek(g + GPCLR0) == 1 << 17
    chip.write(40, 1)  # bank 1, bit 8
    assert f.peek(g + GPSET0 + 4) == 1 << 8
    chip.write("GPIO41", False)
    assert f.peek(g + GPCLR0 + 4) == 1 << 9


def test_read_from_level_register(pi3mem):
    chip, f, g = pi3mem
    f.poke(g + GPLEV0, 1 << 4)
    assert chip.read(4) == 1
    assert chip.read(5) == 0
    f.poke(g + GPLEV0 + 4, 1 << (53 - 32))
    assert chip.read(53) == 1
    assert chip.bank_read(1) == 1 << 21


def test_bank_write_one_store_each_way(pi4):
    chip, f, g = pi4
    chip.bank_write(0, 0b1111 << 4, 0b0101 << 4)
    assert f.peek(g + GPSET0) == 0b0101 << 4
    assert f.peek(g + GPCLR0) == 0b1010 << 4


def test_function_select_rmw_keeps_neighbours(pi4):
    chip, f, g = pi4
    f.poke(g + GPFSEL0 + 4, 0x3FFFFFFF)  # GPFSEL1: lines 10-19 all ALT3 (111)
    chip.set_function(17, "out")
    assert f.peek(g + GPFSEL0 + 4) == (0x3FFFFFFF & ~(7 << 21)) | (1 << 21)
    assert chip.get_function(17) is Function.OUT
    chip.set_function("GPIO17", Function.ALT5)  # ALT5 encodes as 010
    assert (f.peek(g + GPFSEL0 + 4) >> 21) & 7 == 0b010
    assert chip.get_function(17) == Function.ALT5
    assert str(chip.get_function(17)) == "alt5"


def test_pin_object_single_stores(pi4):
    chip, f, g = pi4
    pin = chip.pin("GPIO22", "out", value=1)
    assert (f.peek(g + GPFSEL0 + 8) >> 6) & 7 == 1  # GPFSEL2 bits 6-8
    assert f.peek(g + GPSET0) == 1 << 22  # value written before the function
    f.poke(g + GPSET0, 0)
    pin.off()
    assert f.peek(g + GPCLR0) == 1 << 22
    assert f.peek(g + GPSET0) == 0
    pin.on()
    assert f.peek(g + GPSET0) == 1 << 22
    f.poke(g + GPLEV0, 1 << 22)
    assert pin.value == 1
    f.poke(g + GPCLR0, 0)
    pin.toggle()  # level 1 -> drive low
    assert f.peek(g + GPCLR0) == 1 << 22
    pin.value = 1
    assert pin.line == 22 and pin.chip is chip
    assert pin.function is Function.OUT


def test_pulls_2711_readable(pi4):
    chip, f, g = pi4
    f.poke(g + PUP_PDN0 + 4, 0xFFFFFFFF)  # lines 16-31: all fields 11
    chip.set_pull(17, "up")
    assert f.peek(g + PUP_PDN0 + 4) == (0xFFFFFFFF & ~(3 << 2)) | (1 << 2)
    assert chip.get_pull(17) is Pull.UP
    chip.set_pull(17, Pull.DOWN)
    assert (f.peek(g + PUP_PDN0 + 4) >> 2) & 3 == 2
    chip.pin(17).pull = "off"
    assert chip.get_pull(17) is Pull.OFF


def test_pulls_2837_not_readable(pi3mem):
    chip, f, g = pi3mem
    chip.set_pull(4, "up")
    # The GPPUD/GPPUDCLK sequence ends with both registers cleared.
    assert f.peek(g + GPPUD) == 0 and f.peek(g + GPPUDCLK0) == 0
    with pytest.raises(fastgpio.NotSupportedError) as e:
        chip.get_pull(4)
    assert isinstance(e.value, OSError)
    assert "not readable" in str(e.value) or "cannot" in str(e.value)


def test_names(pi4):
    chip, _, _ = pi4
    assert chip.line("GPIO17") == 17
    assert chip.line("gpio17") == 17
    assert chip.line("BOARD11") == 17  # physical pin 11 of the 40-pin header
    assert chip.line("BOARD40") == 21
    assert chip.line(5) == 5
    assert chip.line("27") == 27
    with pytest.raises(ValueError, match="power or ground"):
        chip.line("BOARD1")
    with pytest.raises(ValueError, match="P9_12"):
        chip.line("P9_12")  # a BeagleBone name on a Pi
    hdr = chip.header()
    assert len(hdr) == 40 and hdr[10] == ("BOARD11", 17)


def test_info_register_file(pi4):
    chip, f, _ = pi4
    i = chip.info
    assert (i.soc, i.backend, i.num_lines, i.num_banks) == ("bcm2711", "devmem", 58, 2)
    assert i.device == str(f.path)
    assert i.base == 0xFE000000
    assert "default" in i.reason
    assert "bcm2711" in repr(chip)


@pytest.mark.parametrize(
    "board,soc,base,lines",
    [("pi1", "bcm2835", 0x20000000, 54), ("pi2", "bcm2836", 0x3F000000, 54),
     ("pi3", "bcm2837", 0x3F000000, 54), ("pi4", "bcm2711", 0xFE000000, 58)],
)
def test_detection_and_base_from_device_tree(devtree, regfile, board, soc, base, lines):
    dt = devtree(board)
    f = regfile(base + 0x201000)
    with fastgpio.Chip(dt_root=dt, devmem=f) as chip:
        i = chip.info
        assert (i.soc, i.base, i.num_lines) == (soc, base, lines)
        assert "device tree" in i.reason
        chip.set(3)
    # The store landed at the base the tree gave, through the same mmap path.
    assert f.peek(base + 0x200000 + GPSET0) == 1 << 3


def test_detection_board_names(devtree, regfile):
    f = regfile(0x3F201000)
    with fastgpio.Chip(dt_root=devtree("pi3"), devmem=f) as chip:
        assert chip.info.board == "Raspberry Pi 3 Model B"


def test_register_file_too_small(regfile, no_dt):
    f = regfile(0x1000)
    with pytest.raises(ValueError, match="truncate -s"):
        fastgpio.Chip("bcm2711", devmem=f, dt_root=no_dt)


BAD_CALLS = [
    ("set", (58,), ValueError),
    ("set", (-1,), ValueError),
    ("set", (2**70,), ValueError),
    ("set", (True,), TypeError),
    ("set", (1.0,), TypeError),
    ("set", ("GPIO58",), ValueError),
    ("set", ("BOARD99",), ValueError),
    ("set", ("",), ValueError),
    ("set", ("GPIO1\0",), ValueError),
    ("write", (1,), TypeError),
    ("read", (None,), TypeError),
    ("bank_write", (2, 1, 1), ValueError),
    ("bank_write", (1, 1 << 26, 0), ValueError),  # bank 1 has 26 lines
    ("bank_write", (0, -1, 0), ValueError),
    ("bank_write", (0, 1 << 32, 0), ValueError),
    ("bank_read", (5,), ValueError),
    ("set_function", (17, "alt6"), fastgpio.NotSupportedError),
    ("set_function", (17, "alt9"), ValueError),
    ("set_function", (17, 99), ValueError),
    ("set_function", (17, Function.NONE), ValueError),
    ("set_function", (17, None), TypeError),
    ("set_pull", (17, "sideways"), ValueError),
    ("set_pull", (17, 7), ValueError),
    ("set_pull", (17, "keeper"), fastgpio.NotSupportedError),
    ("set_pull", (99, "up"), ValueError),
]


@pytest.mark.parametrize("method,args,exc", BAD_CALLS, ids=[f"{m}{a}" for m, a, _ in BAD_CALLS])
def test_bad_input_raises_and_touches_nothing(pi4, method, args, exc):
    chip, f, g = pi4
    f.fill(g, 0x100, 0x24924924)  # a pattern in every register word
    before = f.digest()
    with pytest.raises(exc):
        getattr(chip, method)(*args)
    assert f.digest() == before


def test_closed_chip(regfile, no_dt):
    f = regfile(0x1000)
    chip = fastgpio.Chip("bcm2837", gpiomem=f, dt_root=no_dt)
    pin = chip.pin(17)
    chip.close()
    chip.close()  # idempotent
    assert chip.closed
    before = f.digest()
    for call in (lambda: chip.set(17), lambda: chip.read(1), lambda: chip.info,
                 pin.on, pin.off, lambda: pin.value, pin.toggle):
        with pytest.raises(fastgpio.ChipClosedError):
            call()
    assert issubclass(fastgpio.ChipClosedError, ValueError)
    assert f.digest() == before
    assert "closed" in repr(chip) and "closed" in repr(pin)


def test_pin_keeps_chip_alive(regfile, no_dt):
    f = regfile(0x1000)
    pin = fastgpio.Chip("bcm2837", gpiomem=f, dt_root=no_dt).pin(9)
    gc.collect()
    pin.on()
    assert f.peek(GPSET0) == 1 << 9


def test_backend_conflicts(regfile, no_dt):
    f = regfile(0x1000)
    with pytest.raises(ValueError):
        fastgpio.Chip("bcm2837", gpiomem=f, devmem=f, dt_root=no_dt)
    with pytest.raises(ValueError):
        fastgpio.Chip("bcm2837", gpiomem=f, backend="devmem", dt_root=no_dt)
    with pytest.raises(ValueError, match="backend"):
        fastgpio.Chip("bcm2837", gpiomem=f, backend="magic", dt_root=no_dt)


def test_enums_match_extension():
    assert [str(f) for f in Function] == list(fastgpio._core.FUNCTION_NAMES)
    assert [str(p) for p in Pull] == list(fastgpio._core.PULL_NAMES)
    assert {"bcm2835", "bcm2836", "bcm2837", "bcm2711"} <= set(fastgpio.soc_names())


def _open_as_unprivileged(path: str) -> str:
    """Opens a chip on @path in a forked child that dropped root (or, when not
    root, directly) and returns what happened as text."""
    def attempt() -> str:
        try:
            fastgpio.Chip("bcm2837", gpiomem=path, dt_root="/nonexistent")
        except PermissionError as e:
            return f"PermissionError {e.errno} {e}"
        except Exception as e:  # reported, not hidden: the assertion shows it
            return f"{type(e).__name__} {e}"
        return "opened"

    if os.geteuid() != 0:
        os.chmod(path, 0)
        return attempt()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: become nobody (root would bypass the file mode)
        try:
            os.close(r)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            os.write(w, attempt().encode())
        finally:
            os._exit(0)
    os.close(w)
    with os.fdopen(r) as f:
        out = f.read()
    os.waitpid(pid, 0)
    return out


def test_permission_error_says_what_to_do(regfile):
    f = regfile(0x1000)
    os.chmod(f.path, 0o600)
    out = _open_as_unprivileged(str(f.path))
    assert out.startswith("PermissionError 13"), out
    assert "gpio" in out and "group" in out


def test_reason_names_backend_gpiomem(pi3mem):
    chip, f, _ = pi3mem
    r = chip.info.reason
    assert r.isprintable() and r.endswith("backend gpiomem"), r
    assert chip.info.base == 0  # the gpiomem window has no physical address to report


@pytest.mark.parametrize("revision,board,pin3", [
    (0x0002, "Raspberry Pi Model B rev 1 (26-pin P1)", 0),
    (0x1000003, "Raspberry Pi Model B rev 1 (26-pin P1)", 0),  # over-voltage bit masked
    (0x000e, "Raspberry Pi Model B rev 2 (26-pin P1)", 2),
    (None, "Raspberry Pi Model B rev 2 (26-pin P1)", 2),
])
def test_pi1_model_b_revision_picks_header(devtree, regfile, revision, board, pin3):
    dt = devtree("pi1").compatible("raspberrypi,model-b", "brcm,bcm2835")
    if revision is not None:
        dt.cells("system/linux,revision", revision)
    f = regfile(0x20201000)
    with fastgpio.Chip(dt_root=dt, devmem=f) as chip:
        assert chip.info.board == board
        assert chip.line("BOARD3") == pin3


_RACE = """
import threading, fastgpio, sys
chip = fastgpio.Chip("bcm2837", gpiomem=sys.argv[1], dt_root="/nonexistent")
errors = []
def worker():
    try:
        while True:
            chip.set_pull(4, "up")
    except fastgpio.ChipClosedError:
        errors.append("closed")
t = threading.Thread(target=worker)
t.start()
for _ in range(2000):
    pass
chip.close()
t.join()
print(errors)
"""


def test_close_while_another_thread_sets_pulls(regfile):
    # Found in review: set_pull released the GIL, so close() freed the chip
    # under it (segfault). Run in a subprocess so a crash fails the test.
    f = regfile(0x1000)
    for _ in range(5):
        r = subprocess.run([sys.executable, "-c", _RACE, str(f.path)], capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 0, r.stderr
        assert r.stdout.strip() == "['closed']"


def test_enums_are_the_c_librarys():
    # One truth: every name the C library has is a member with its value, and
    # nothing else is.
    from fastgpio import Edge, Function, Pull, _core
    assert [(str(f), f.value) for f in Function] == [(n, i) for i, n in enumerate(_core.FUNCTION_NAMES)]
    assert [(str(p), p.value) for p in Pull] == [(n, i) for i, n in enumerate(_core.PULL_NAMES)]
    assert {e.name: e.value for e in Edge} == {n[5:]: getattr(_core, n) for n in dir(_core)
                                                 if n.startswith("EDGE_")}


@pytest.mark.parametrize("conv,good,bad_value,bad_type", [
    ("_function", {"in": 0, "alt8": 10, 3: 3}, ["none", "IN", "out\0x", 11, -1, 2**70], [1.0, True, None, b"in"]),
    ("_pull", {"off": 0, "keeper": 3, 2: 2}, ["Up", "", 4, -1], [0.0, False, ["up"]]),
    ("_edge", {"rising": 1, "BOTH": 3, "Falling": 2, 3: 3}, ["none", 0, 4, "both\0"], [1.5, True, None]),
])
def test_enum_conversions_live_in_the_extension(conv, good, bad_value, bad_type):
    import numpy as np
    from fastgpio import _core
    fn = getattr(_core, conv)
    for x, v in good.items():
        assert fn(x) == v
    assert fn(np.int64(next(v for v in good.values()))) == next(v for v in good.values())
    for x in bad_value:
        with pytest.raises(ValueError):
            fn(x)
    for x in bad_type:
        with pytest.raises(TypeError):
            fn(x)


@pytest.mark.parametrize("window,last,ts,inside", [
    (None, 10, 11, False), (0, 10, 11, False), (5, 0, 3, False),      # no window, no edge yet
    (5, 10, 10, True), (5, 10, 15, True), (5, 10, 16, False),         # the window is closed
    (5, 10, 9, False),                                               # stamped before the last
])
def test_the_compat_layers_bounce_window(window, last, ts, inside):
    # One rule behind RPi.GPIO's bouncetime and gpiozero's bounce.
    from fastgpio import _compat
    from fastgpio.RPi import GPIO
    assert _compat.within_bounce(window, last, ts) is inside
    if window:  # RPi.GPIO's bouncetime is in ms
        assert GPIO._bounce_ok(window, last * 10**6, ts * 10**6) is not inside


def test_pull_off_is_tolerated_only_for_off(regfile, no_dt):
    from fastgpio import _compat
    from fastgpio._core import NotSupportedError
    assert _compat.pull_tolerated("off") and not _compat.pull_tolerated("up")
    # AM335x: pulls are the device tree's; a compat layer's "off" leaves the pad alone.
    f = regfile(0x481AF000)
    with fastgpio.Chip("am335x", devmem=f, dt_root=no_dt) as chip:
        before = f.digest()
        chip._setup_line(60, None, "off", None, _compat.pull_tolerated)
        with pytest.raises(NotSupportedError):
            chip._setup_line(60, None, "up", None, _compat.pull_tolerated)
        with pytest.raises(NotSupportedError):
            chip._setup_line(60, None, "off", None)   # Chip.pin's own use: no excuse
        assert f.digest() == before


def test_one_version_everywhere():
    # meson's project version reaches the distribution's metadata (pyproject's
    # dynamic version) and the C library's fgpio_version() alike.
    import re
    from importlib.metadata import version
    assert re.fullmatch(r"\d+\.\d+\.\d+", fastgpio.__version__), fastgpio.__version__
    assert fastgpio.__version__ == version("fastgpio") == fastgpio._core._version()
    assert "__version__" in fastgpio.__all__
    with pytest.raises(AttributeError):
        fastgpio.no_such_attribute
