# SPDX-License-Identifier: MIT
"""The facts a SoC's table holds (chip.info) and the layers that read them
instead of testing SoC names: RPi.GPIO's Raspberry Pi rules, the bench's
default pin and its sysfs numbering."""
from __future__ import annotations

import warnings

import pytest

import fastgpio
from fastgpio import _bench
from fastgpio.RPi import GPIO

from helpers import DeviceTree

# soc: (register file size, family, Raspberry Pi, posted writes, chip label, bank label, bench line)
FACTS = {
    "bcm2835": (0x20201000, "bcm2835", True, False, "pinctrl-bcm2835", None, "GPIO17"),
    "bcm2836": (0x3F201000, "bcm2835", True, False, "pinctrl-bcm2835", None, "GPIO17"),
    "bcm2837": (0x3F201000, "bcm2835", True, False, "pinctrl-bcm2835", None, "GPIO17"),
    "bcm2711": (0xFE201000, "bcm2835", True, False, "pinctrl-bcm2711", None, "GPIO17"),
    "rp1": (0x1F00100000, "rp1", True, True, "pinctrl-rp1", None, "GPIO17"),
    "am335x": (0x481AF000, "am335x", False, False, None, "gpio-{first}-{last}", "GPIO1_28"),
    "rk3288": (0xFF800000, "rk3288", False, False, None, "gpio{bank}", None),
    "rk3399": (0xFF791000, "rk3288", False, False, None, "gpio{bank}", None),
}


def test_every_table_has_its_facts():
    assert set(fastgpio.soc_names()) == set(FACTS)  # a new table needs its row here


@pytest.mark.parametrize("soc", sorted(FACTS))
def test_chip_info_carries_the_tables_facts(regfile, no_dt, soc):
    size, family, pi, posted, label, bank_label, bench = FACTS[soc]
    with fastgpio.Chip(soc, devmem=regfile(size), dt_root=no_dt) as chip:
        i = chip.info
        assert (i.family, i.raspberry_pi, i.posted_writes) == (family, pi, posted)
        assert (i.gpiochip_label, i.bank_chip_label, i.bench_line) == (label, bank_label, bench)
        assert soc.upper() in i.description.upper()


@pytest.fixture
def pi5_rpi_gpio(tmp_path, regfile):
    dt = DeviceTree(tmp_path / "dt-pi5").compatible("raspberrypi,5-model-b", "brcm,bcm2712")
    dt.cells("system/linux,revision", 0xC04170)  # Pi 5 Model B, 4 GB
    chip = fastgpio.Chip(dt_root=dt, gpiomem=regfile(0x30000))
    GPIO._use_chip(chip, dt_root=str(dt))
    yield chip
    GPIO._use_chip(None)
    chip.close()


def test_rpi_gpio_warns_of_the_i2c_pull_ups_on_a_pi5(pi5_rpi_gpio):
    # GPIO2/3 carry the board's 1.8 kOhm pull-ups on the Pi 5 as on every Pi.
    assert pi5_rpi_gpio.info.soc == "rp1"
    for line in (2, 17):
        pi5_rpi_gpio.set_function(line, "in")  # free inputs: no "in use" warning
    GPIO.setmode(GPIO.BCM)
    with pytest.warns(RuntimeWarning, match="^A physical pull up resistor is fitted on this channel!$"):
        GPIO.setup(2, GPIO.IN, pull_up_down=GPIO.PUD_UP)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        GPIO.setup(17, GPIO.IN, pull_up_down=GPIO.PUD_UP)  # no fitted pull-up there
    GPIO.cleanup()


def test_rpi_gpio_function_names_bcm_alts_only(pi5_rpi_gpio):
    # ALT0 on GPIO2 is I2C on a BCM283x; the RP1's ALT numbers mean other
    # things, so gpio_function cannot name them.
    GPIO.setmode(GPIO.BCM)
    pi5_rpi_gpio.set_function(2, "alt3")
    assert GPIO.gpio_function(2) == GPIO.UNKNOWN


def _sysfs_chip(root, name, label, base, ngpio):
    d = root / name
    d.mkdir(parents=True)
    (d / "label").write_text(label + "\n")
    (d / "base").write_text(f"{base}\n")
    (d / "ngpio").write_text(f"{ngpio}\n")


@pytest.mark.parametrize("soc,bank,first,count,label", [
    ("am335x", 1, 32, 32, "gpio-32-63"), ("rk3288", 5, 152, 32, "gpio5"),  # GPIO0 has 24 lines
])
def test_sysfs_numbers_per_bank_chips_by_the_tables_rule(tmp_path, regfile, no_dt, soc, bank, first,
                                                         count, label):
    root = tmp_path / "gpio"
    _sysfs_chip(root, "gpiochip0", "gpio-0-31" if soc == "am335x" else "gpio0", 0, 32)
    _sysfs_chip(root, "gpiochip480", label, 480, count)
    with fastgpio.Chip(soc, devmem=regfile(FACTS[soc][0]), dt_root=no_dt) as chip:
        assert chip.bank_lines(bank) == (first, count)
        assert _bench.sysfs_chip_label(chip.info, bank, first, count) == label
        number, detail = _bench.sysfs_number(str(root), chip.info, first + 3, bank, first, count)
        assert number == 483 and label in detail  # the bank chip's base + the bit


def test_sysfs_number_unknown_without_a_label(tmp_path):
    info = fastgpio.ChipInfo(soc="unknown", board="unknown", backend="gpiod", device="/dev/gpiochip9",
                             reason="", base=0, num_lines=8, num_banks=1, family="gpiod")
    with pytest.raises(_bench.Unavailable, match="does not name its kernel GPIO chips"):
        _bench.sysfs_number(str(tmp_path), info, 3, 0, 0, 8)
