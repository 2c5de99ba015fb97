# SPDX-License-Identifier: MIT
"""Every SoC table through the Python API: detection from a fake device tree,
the exact word an output writes, SoC-specific names, and the refusals that
must explain themselves (AM335x pad mux) with the register file unchanged."""

from __future__ import annotations

import pytest

import fastgpio
from fastgpio import Function


@pytest.fixture
def bbb(devtree, regfile):
    f = regfile(0x481AF000)
    with fastgpio.Chip(dt_root=devtree("bbb"), devmem=f) as chip:
        yield chip, f


@pytest.fixture
def tinker(devtree, regfile):
    f = regfile(0xFF800000)
    with fastgpio.Chip(dt_root=devtree("tinker"), devmem=f) as chip:
        yield chip, f


@pytest.fixture
def pi5(tmp_path, regfile):
    from helpers import DeviceTree
    dt = DeviceTree(tmp_path / "dt-pi5").compatible("raspberrypi,5-model-b", "brcm,bcm2712")
    f = regfile(0x30000)  # the whole /dev/gpiomem0 window
    with fastgpio.Chip(dt_root=dt, gpiomem=f) as chip:
        yield chip, f


def test_beaglebone_black(bbb):
    chip, f = bbb
    i = chip.info
    assert (i.soc, i.board, i.num_lines, i.num_banks) == ("am335x", "BeagleBone Black", 128, 4)
    assert chip.line("P9_12") == chip.line("GPIO1_28") == 60
    chip.set("P9_12")
    assert f.peek(0x4804C194) == 1 << 28  # GPIO1 SETDATAOUT
    chip.clear("P8_7")  # GPIO2_2 = 66
    assert chip.line("P8_7") == 66
    assert f.peek(0x481AC190) == 1 << 2  # GPIO2 CLEARDATAOUT
    chip.set_function("P9_12", "out")
    assert f.peek(0x4804C134) & (1 << 28) == 0  # OE: 0 = output
    with pytest.raises(ValueError, match="power or ground"):
        chip.line("P9_1")


@pytest.mark.parametrize("call", [lambda c: c.set_function("P9_12", "alt0"),
                                  lambda c: c.set_pull("P9_12", "up")])
def test_beaglebone_pad_mux_refused_with_the_fix(bbb, call):
    chip, f = bbb
    before = f.digest()
    with pytest.raises(fastgpio.NotSupportedError) as e:
        call(chip)
    assert "config-pin" in str(e.value)
    assert f.digest() == before


def test_beaglebone_gated_bank_never_sigbus(devtree, regfile):
    f = regfile(0x481AF000)
    before = f.digest()
    with fastgpio.Chip(dt_root=devtree("bbb"), devmem=f, enable_clocks=False) as chip:
        with pytest.raises(OSError) as e:
            chip.set("P9_12")  # the file's CLKCTRL words read 0: module disabled
        assert e.value.errno == 5 and "clock" in str(e.value)
    assert f.digest() == before


def test_tinker_board(tinker):
    chip, f = tinker
    i = chip.info
    assert (i.soc, i.board) == ("rk3288", "ASUS Tinker Board / Tinker Board S")
    assert chip.line("GPIO5_B0") == chip.line("PIN10") == 160
    f.poke(0xFF7C0000, 0x80000001)  # GPIO5 SWPORTA_DR: other bits set
    chip.set(160)
    assert f.peek(0xFF7C0000) == 0x80000101  # read-modify-write keeps neighbours
    chip.clear(160)
    assert f.peek(0xFF7C0000) == 0x80000001


def test_pi5_gpiomem0(pi5):
    chip, f = pi5
    i = chip.info
    assert (i.soc, i.board, i.backend, i.num_lines) == ("rp1", "Raspberry Pi 5 Model B", "gpiomem", 54)
    assert chip.line("BOARD11") == 17
    chip.set(17)
    assert f.peek(0x10000 + 0x2000) == 1 << 17  # SYS_RIO0 OUT, SET alias
    chip.clear(17)
    assert f.peek(0x10000 + 0x3000) == 1 << 17  # CLR alias
    assert f.peek(0x10000) == 0  # the plain OUT register is never read-modify-written


def test_pi5_window_must_be_whole(tmp_path, regfile):
    from helpers import DeviceTree
    dt = DeviceTree(tmp_path / "dt").compatible("raspberrypi,5-model-b", "brcm,bcm2712")
    with pytest.raises(ValueError, match="truncate"):
        fastgpio.Chip(dt_root=dt, gpiomem=regfile(0x2F000))


@pytest.mark.parametrize("soc,size", [("am335x", 0x481AF000), ("rk3288", 0xFF800000),
                                      ("bcm2835", 0x20201000), ("rp1", 0x1F00100000)])
def test_every_soc_rejects_bad_lines_without_writing(regfile, no_dt, soc, size):
    f = regfile(size)
    with fastgpio.Chip(soc, devmem=f, dt_root=no_dt) as chip:
        before = f.digest()
        func0 = chip.get_function(0)
        for bad in (chip.num_lines, -1, "GPIO999", "P10_1"):
            with pytest.raises(ValueError):
                chip.set(bad)
        with pytest.raises(ValueError):
            chip.set_function(0, "alt42")
        assert f.digest() == before
        assert chip.get_function(0) is func0


def test_mismatched_soc_refused_for_a_real_device(devtree):
    # /dev/null is a character device: the library treats it as a memory
    # device and must refuse it when the device tree names another SoC.
    with pytest.raises(fastgpio.UnsupportedSoCError, match="device tree says"):
        fastgpio.Chip("bcm2711", devmem="/dev/null", dt_root=devtree("tinker"))


# --- AM335x: outputs read DATAOUT, inputs DATAIN (as the kernel's omap_gpio_get) ---

GPIO1 = 0x4804C000
OE, DATAIN, DATAOUT, CLEAR, SET = 0x134, 0x138, 0x13C, 0x190, 0x194
CONF_GPMC_BEN1 = 0x44E10000 + 0x878  # P9_12 = gpio1_28 = line 60
CONF_GPMC_A2 = 0x44E10000 + 0x848    # P9_14 = gpio1_18 = line 50


def test_beaglebone_output_reads_dataout_not_datain(bbb):
    # The USR LEDs' pads have the receiver off: DATAIN reads 0 whatever the
    # line drives. An output's level is its DATAOUT latch.
    chip, f = bbb
    f.poke(GPIO1 + OE, ~(1 << 28) & 0xFFFFFFFF)  # line 60 output, the rest inputs
    f.poke(GPIO1 + DATAIN, 0x00000000)
    f.poke(GPIO1 + DATAOUT, 0xFFFFFFFF)
    pin = chip.pin("P9_12")
    assert pin.value == 1 and chip.read(60) == 1
    assert chip.read(61) == 0  # an input: DATAIN
    assert chip.bank_read(1) == 1 << 28
    f.poke(GPIO1 + DATAIN, 0xFFFFFFFF)
    f.poke(GPIO1 + DATAOUT, 0x00000000)
    assert pin.value == 0 and chip.read(61) == 1
    assert chip.bank_read(1) == ~(1 << 28) & 0xFFFFFFFF
    f.poke(GPIO1 + DATAIN, 0x0F0F0F0F)
    f.poke(GPIO1 + DATAOUT, 0xF0F0F0F0)
    assert chip.bank_read(1) == (0x0F0F0F0F & ~(1 << 28)) | (0xF0F0F0F0 & (1 << 28))


def test_beaglebone_toggle_turns_an_output_off(bbb):
    chip, f = bbb
    pin = chip.pin("P9_12")
    chip.set_function(60, "out")
    f.poke(GPIO1 + DATAIN, 0)             # receiver off
    f.poke(GPIO1 + DATAOUT, 1 << 28)      # driving 1
    f.poke(GPIO1 + SET, 0)
    f.poke(GPIO1 + CLEAR, 0)
    pin.toggle()
    assert f.peek(GPIO1 + CLEAR) == 1 << 28 and f.peek(GPIO1 + SET) == 0
    f.poke(GPIO1 + DATAOUT, 0)
    f.poke(GPIO1 + DATAIN, 1 << 28)
    f.poke(GPIO1 + CLEAR, 0)
    pin.toggle()
    assert f.peek(GPIO1 + SET) == 1 << 28 and f.peek(GPIO1 + CLEAR) == 0
    pin.function = "in"                   # the same handle now reads DATAIN
    assert pin.value == 1


def test_beaglebone_input_with_receiver_off_warns(bbb):
    chip, f = bbb
    f.poke(CONF_GPMC_BEN1, 0x07)          # mode 7, RXACTIVE clear
    with pytest.warns(RuntimeWarning, match="receiver off"):
        chip.pin("P9_12", "in")
    assert f.peek(GPIO1 + OE) & (1 << 28)  # it is an input nonetheless
    with pytest.warns(RuntimeWarning, match="receiver off"):
        chip.set_function("P9_12", "in")
    f.poke(CONF_GPMC_BEN1, 0x37)          # receiver on: no warning
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        chip.set_function("P9_12", "in")
        chip.set_function("P9_12", "out")
        f.poke(CONF_GPMC_BEN1, 0x07)
        chip.set_function("P9_12", "out")  # outputs read DATAOUT: nothing to warn about
    assert chip._get_input_enable("P9_12") is False
    with pytest.raises(fastgpio.NotSupportedError):
        chip._get_input_enable(40)        # pad not in the table


# --- RK3288: ALTn is iomux value n (RK_FUNC_n); mux 0 is the GPIO ---

GRF = 0xFF770000


@pytest.mark.parametrize("alt,word", [("alt1", 0x00030001), ("alt2", 0x00030002),
                                      ("alt3", 0x00030003)])
def test_tinker_alt_numbers_are_the_socs(tinker, alt, word):
    chip, f = tinker
    chip.set_function("PIN10", alt)       # GPIO5_B0: GRF_GPIO5B_IOMUX bits 1:0
    assert f.peek(GRF + 0x50) == word
    f.poke(GRF + 0x50, word & 3)
    assert str(chip.get_function("PIN10")) == alt


def test_tinker_alt0_refused_mux0_is_the_gpio(tinker):
    chip, f = tinker
    f.fill(GRF, 0x100, 0xA5A5A5A5)
    before = f.digest()
    with pytest.raises(fastgpio.NotSupportedError, match="mux 0 is the GPIO.*use in or out"):
        chip.set_function("PIN10", "alt0")
    with pytest.raises(fastgpio.NotSupportedError, match="mux 0 is the GPIO"):
        chip.set_function("GPIO0_C1", 2)  # Function.ALT0 by number, a PMU port
    assert f.digest() == before


@pytest.mark.parametrize("line", [24, 80, 152, 240])  # GPIO1_A0, GPIO2_D0, GPIO5_A0, GPIO7_D0
def test_tinker_unbonded_lines_say_so_by_errno(tinker, line):
    import errno
    chip, f = tinker
    before = f.digest()
    for call in (lambda: chip.set_function(line, "out"), lambda: chip.get_function(line),
                 lambda: chip.set_pull(line, "up")):
        with pytest.raises(fastgpio.NotSupportedError, match="not routed to a pad") as e:
            call()
        assert e.value.errno == errno.ENXIO  # the CLI's readall tells "no pad" by this
    assert f.digest() == before


def test_board_option_picks_header_names_and_the_soc(regfile, no_dt):
    f = regfile(0xFF800000)
    with fastgpio.Chip(board="asus,rk3288-tinker", devmem=f, dt_root=no_dt) as chip:
        assert (chip.info.soc, chip.info.board) == ("rk3288", "ASUS Tinker Board / Tinker Board S")
        assert chip.line("BOARD10") == 160  # header pin 10 = GPIO5_B0
    with fastgpio.Chip("rk3288", devmem=f, dt_root=no_dt) as chip:
        with pytest.raises(ValueError):
            chip.line("BOARD10")  # no device tree, no board: no header names
    before = f.digest()
    for soc, board, msg in [("rk3288", "BeagleBone Black", "rk3288 has no board"),
                            (None, "Raspberry Pi (40-pin header)", "name the SoC too"),
                            (None, "no such board", "no SoC table has a board")]:
        with pytest.raises(ValueError, match=msg):
            fastgpio.Chip(soc, board=board, devmem=f, dt_root=no_dt)
    with pytest.raises(TypeError):
        fastgpio.Chip(board=7, devmem=f, dt_root=no_dt)
    assert f.digest() == before
