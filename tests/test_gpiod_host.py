# SPDX-License-Identifier: MIT
"""The gpiod backend on a host without a kernel GPIO chip (named apart from
tests/vpi/guest/test_vpi_gpiod.py: pytest collects both trees): arguments, the
automatic fallback's decisions and errors, the CLI options. Real lines are
exercised in the emulated Pi (tests/vpi/guest/test_vpi_gpiod.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

import fastgpio
from fastgpio import NotSupportedError, UnsupportedSoCError


# What the library says when it has no libgpiod loaded: none could be (install
# one), FASTGPIO_LIBGPIOD=none, or a -Dgpiod=disabled build.
NO_LIBGPIOD = r"install libgpiod3|FASTGPIO_LIBGPIOD=|built without libgpiod"


def built_with_libgpiod(tmp_path) -> bool:
    """Asks the library itself: backend gpiod fails with ENOTSUP only without libgpiod."""
    try:
        fastgpio.Chip("bcm2711", backend="gpiod", gpiochip=str(tmp_path), dt_root=str(tmp_path / "x"))
    except NotSupportedError as e:
        assert re.search(NO_LIBGPIOD, str(e)) and fastgpio.libgpiod_version() is None
        return False
    except UnsupportedSoCError:
        assert fastgpio.libgpiod_version().startswith("libgpiod ")
        return True
    pytest.fail("a gpiod chip opened from an empty directory")


@pytest.fixture
def empty_dev(tmp_path):
    d = tmp_path / "dev"
    d.mkdir()
    return d


@pytest.fixture
def fake_dev(tmp_path):
    """A /dev stand-in whose gpiochip entries are regular files, not GPIO devices."""
    d = tmp_path / "fakedev"
    d.mkdir()
    for n in (0, 1):
        (d / f"gpiochip{n}").write_bytes(b"")
    (d / "gpiomem").write_bytes(b"")  # not a gpiochip: never listed
    return d


def test_backend_name_accepted_and_checked(tmp_path, empty_dev):
    with pytest.raises(ValueError, match="'auto', 'gpiomem', 'devmem' or 'gpiod'"):
        fastgpio.Chip("bcm2711", backend="gpio-d")
    # Explicit gpiod and a register file contradict each other (EINVAL).
    f = tmp_path / "regs"
    f.write_bytes(b"")
    with pytest.raises(ValueError, match="backend gpiod conflicts with a devmem path"):
        fastgpio.Chip("bcm2711", backend="gpiod", devmem=f, gpiochip=empty_dev)
    with pytest.raises(ValueError, match="conflicts with a gpiomem path"):
        fastgpio.Chip("bcm2711", backend="gpiod", gpiomem=f, gpiochip=empty_dev)


@pytest.mark.parametrize("bad,exc", [(12, TypeError), ("a\0b", ValueError), ([], TypeError)])
def test_gpiochip_argument_types(bad, exc):
    with pytest.raises(exc):
        fastgpio.Chip("bcm2711", backend="gpiod", gpiochip=bad)


def test_explicit_gpiod_without_chip(tmp_path, empty_dev):
    if not built_with_libgpiod(tmp_path):
        with pytest.raises(NotSupportedError, match=NO_LIBGPIOD) as e:
            fastgpio.Chip("bcm2711", backend="gpiod", gpiochip=empty_dev)
        assert e.value.errno == 95  # ENOTSUP
        return
    with pytest.raises(UnsupportedSoCError, match="no GPIO character device") as e:
        fastgpio.Chip("bcm2711", backend="gpiod", gpiochip=os.fsencode(empty_dev))
    assert str(empty_dev) in str(e.value)


def test_chips_that_are_not_gpio_devices_are_listed(tmp_path, fake_dev):
    if not built_with_libgpiod(tmp_path):
        pytest.skip("no libgpiod loaded: no chip is ever opened")
    with pytest.raises(UnsupportedSoCError) as e:
        fastgpio.Chip("bcm2837", backend="gpiod", gpiochip=fake_dev, dt_root=str(tmp_path / "x"))
    msg = str(e.value)
    assert 'no GPIO chip labelled "pinctrl-bcm2835"' in msg
    assert "gpiochip0 (unusable" in msg and "gpiochip1 (unusable" in msg and "gpiomem" not in msg
    # Naming a regular file as the chip: not a GPIO character device.
    with pytest.raises(OSError, match="as a GPIO character device"):
        fastgpio.Chip("bcm2837", backend="gpiod", gpiochip=fake_dev / "gpiochip0")


def test_multi_chip_soc_needs_a_named_chip(tmp_path, empty_dev):
    if not built_with_libgpiod(tmp_path):
        pytest.skip("no libgpiod loaded")
    for soc in ("am335x", "rk3288"):
        with pytest.raises(UnsupportedSoCError, match="spread over several GPIO chips"):
            fastgpio.Chip(soc, backend="gpiod", gpiochip=empty_dev)


def test_unknown_soc_falls_back_to_gpiod_then_fails(devtree, tmp_path, fake_dev):
    # Auto on an unknown SoC: the GPIO character device is tried; with none
    # usable the error is still UnsupportedSoCError, and says both reasons.
    with pytest.raises(UnsupportedSoCError) as e:
        fastgpio.Chip(dt_root=devtree("unknown"), gpiochip=fake_dev)
    msg = str(e.value)
    assert "unknown SoC" in msg and "no gpiod fallback either" in msg
    if built_with_libgpiod(tmp_path):
        assert "no usable GPIO chip" in msg
    else:
        assert re.search(NO_LIBGPIOD, msg)


def test_register_file_mode_never_falls_back(devtree, regfile, fake_dev):
    f = regfile(0x1000)
    before = f.digest()
    for kw in (dict(devmem=str(f)), dict(gpiomem=str(f))):
        with pytest.raises(UnsupportedSoCError) as e:
            fastgpio.Chip(dt_root=devtree("unknown"), gpiochip=fake_dev, **kw)
        assert "gpiod" not in str(e.value)
    # Explicit mmap backends do not fall back either.
    for backend in ("gpiomem", "devmem"):
        with pytest.raises(UnsupportedSoCError) as e:
            fastgpio.Chip(dt_root=devtree("unknown"), backend=backend, gpiochip=fake_dev)
        assert "gpiod" not in str(e.value)
    assert f.digest() == before


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fastgpio", *args], capture_output=True, text=True)


def test_cli_options(tmp_path, empty_dev, regfile):
    r = run("--help")
    assert "--gpiochip PATH" in r.stdout and "gpiod" in r.stdout
    r = run("--soc", "bcm2711", "--backend", "gpiod", "--gpiochip", str(empty_dev), "info")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert ("no GPIO character device" in r.stderr) or re.search(NO_LIBGPIOD, r.stderr)
    f = regfile(0x1000)
    r = run("--soc", "bcm2711", "--backend", "gpiod", "--devmem", str(f.path), "info")
    assert r.returncode == 2 and "conflicts" in r.stderr
    r = run("--backend", "gpio-d", "info")
    assert r.returncode == 2
