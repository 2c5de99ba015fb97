# SPDX-License-Identifier: MIT
"""The fastgpio command in register-file mode: output, exit codes, errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

GPIO = 0xFE200000


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fastgpio", *args], capture_output=True, text=True)


@pytest.fixture
def pi4(regfile, tmp_path):
    f = regfile(GPIO + 0x1000)
    return ["--soc", "bcm2711", "--devmem", str(f), "--dt-root", str(tmp_path / "none")], f


def test_info(pi4):
    opts, f = pi4
    r = run(*opts, "info")
    assert r.returncode == 0, r.stderr
    assert "bcm2711" in r.stdout and "devmem" in r.stdout and "0xfe000000" in r.stdout


def test_set_get_func_pull(pi4):
    opts, f = pi4
    assert run(*opts, "func", "BOARD11", "out").returncode == 0
    assert (f.peek(GPIO + 0x04) >> 21) & 7 == 1
    r = run(*opts, "set", "GPIO17=1", "GPIO27=0")
    assert r.returncode == 0, r.stderr
    assert f.peek(GPIO + 0x1C) == 1 << 17 and f.peek(GPIO + 0x28) == 1 << 27
    f.poke(GPIO + 0x34, 1 << 17)
    assert run(*opts, "get", "GPIO17", "4").stdout.split() == ["GPIO17=1", "4=0"]
    assert run(*opts, "pull", "17", "down").returncode == 0
    assert run(*opts, "pull", "17").stdout.strip() == "17=down"
    assert run(*opts, "func", "17").stdout.strip() == "17=out"


def test_force_is_accepted_where_the_kernel_cannot_be_asked(pi4):
    # A register file has no kernel to ask who holds a line: nothing to refuse,
    # --force changes nothing (the refusal itself is tested in the emulated Pi).
    opts, f = pi4
    assert run(*opts, "func", "--force", "GPIO22", "out").returncode == 0
    assert run(*opts, "set", "--force", "GPIO22=1").returncode == 0
    assert f.peek(GPIO + 0x1C) == 1 << 22 and (f.peek(GPIO + 0x08) >> 6) & 7 == 1
    assert run(*opts, "pull", "GPIO22", "up", "--force").returncode == 0
    assert run(*opts, "get", "--force", "GPIO22").returncode == 2  # get writes nothing: no option


def test_readall_lists_header(pi4):
    opts, f = pi4
    f.poke(GPIO + 0x04, 1 << 21)  # GPIO17 output
    f.poke(GPIO + 0x34, 1 << 17)
    r = run(*opts, "readall")
    assert r.returncode == 0, r.stderr
    row = [line.split() for line in r.stdout.splitlines() if line.split()[:1] == ["BOARD11"]][0]
    assert row[:4] == ["BOARD11", "17", "out", "1"]
    assert sum("power/gnd" in line for line in r.stdout.splitlines()) == 12


@pytest.mark.parametrize("args", [["set", "GPIO99=1"], ["set", "GPIO17=2"], ["set", "GPIO17"],
                                  ["get", "P9_12"], ["func", "17", "alt6"]])
def test_bad_input_exit_codes(pi4, args):
    opts, f = pi4
    before = f.digest()
    r = run(*opts, *args)
    assert r.returncode in (1, 2) and "fastgpio: " in r.stderr
    assert f.digest() == before


def test_set_is_all_or_nothing(pi4):
    opts, f = pi4
    before = f.digest()
    assert run(*opts, "set", "GPIO17=1", "GPIO99=1").returncode == 2
    assert f.digest() == before  # the valid first name was not written either


def test_unknown_soc_name_is_a_bad_argument(tmp_path, regfile):
    f = regfile(0x1000)
    r = run("--soc", "z80", "--devmem", str(f), "info")
    assert r.returncode == 2 and "unknown SoC" in r.stderr


def test_unknown_hardware_exit_1(devtree, regfile):
    f = regfile(0x1000)
    r = run("--dt-root", str(devtree("unknown")), "--devmem", str(f), "info")
    assert r.returncode == 1 and "unknown SoC" in r.stderr


def rows(stdout: str) -> dict:
    """readall rows by pin label."""
    return {r.split()[0]: r.split() for r in stdout.splitlines()[2:] if r.split()}


def test_readall_rk3288_without_header_map_completes(regfile, tmp_path):
    # No device tree: no board, so readall lists all 264 lines, and the lines
    # of unrouted ports (GPIO1_A0..C7 = 24-47, GPIO2_D, GPIO5_A and D, GPIO6_D,
    # GPIO7_D) have no pad: shown as such, and the table goes on.
    f = regfile(0xFF800000)
    r = run("--soc", "rk3288", "--devmem", str(f), "--dt-root", str(tmp_path / "none"), "readall")
    assert r.returncode == 0, r.stderr
    t = rows(r.stdout)
    assert len(t) == 264
    for line in list(range(24, 48)) + [80, 152, 176, 208, 240, 247]:
        assert t[str(line)][1:] == [str(line), "not", "bonded", "out", "(no", "pad)"], t[str(line)]
    assert t["48"][:4] == ["48", "48", "in", "0"]      # GPIO1_D0: the first routed GPIO1 line
    assert t["160"][:4] == ["160", "160", "in", "0"]   # GPIO5_B0
    assert t["263"][:4] == ["263", "263", "in", "0"]   # GPIO8_B7, the last line
    assert sum("not bonded out" in x for x in r.stdout.splitlines()) == 24 + 8 + 16 + 8 + 8


BBB_GPIO1 = 0x4804C000
BBB_PAD_P9_12 = 0x44E10000 + 0x878   # gpio1_28 = line 60
BBB_PAD_P9_14 = 0x44E10000 + 0x848   # gpio1_18 = line 50


@pytest.fixture
def bbb(regfile, devtree):
    f = regfile(0x481AF000)
    f.poke(BBB_GPIO1 + 0x134, ~(1 << 28) & 0xFFFFFFFF)  # OE: P9_12 output, the rest inputs
    f.poke(BBB_GPIO1 + 0x138, 1 << 18)                  # DATAIN: only P9_14 reads 1
    f.poke(BBB_GPIO1 + 0x13C, (1 << 28) | (1 << 19))    # DATAOUT: P9_12 drives 1
    f.poke(BBB_PAD_P9_12, 0x07)                         # mode 7, receiver off
    f.poke(BBB_PAD_P9_14, 0x07)                         # mode 7, receiver off
    return ["--devmem", str(f), "--dt-root", str(devtree("bbb"))], f


def test_get_reads_an_am335x_output_from_dataout(bbb):
    opts, f = bbb
    r = run(*opts, "get", "P9_12", "P9_16", "P9_14")   # P9_16 = line 51: input, DATAIN 0
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["P9_12=1", "P9_16=0", "P9_14=1"]
    # only the input whose receiver is off is warned about (P9_16's pad: 0 = mode 0)
    assert "P9_14 (line 50)" in r.stderr and "receiver off" in r.stderr
    assert "P9_12" not in r.stderr


def test_readall_am335x_levels_and_receiver_off_mark(bbb):
    opts, f = bbb
    r = run(*opts, "readall")
    assert r.returncode == 0, r.stderr
    t = rows(r.stdout)
    assert t["P9_12"][:4] == ["P9_12", "60", "out", "1"]   # DATAOUT, though DATAIN is 0
    assert t["P9_14"][:4] == ["P9_14", "50", "in", "1*"]
    assert r.stdout.rstrip().endswith("the level read is not the pin's")


def test_func_and_readall_show_rockchip_alt_numbers(regfile, devtree):
    f = regfile(0xFF800000)
    opts = ["--devmem", str(f), "--dt-root", str(devtree("tinker"))]
    grf_gpio5b_iomux = 0xFF770000 + 0x50   # PIN10 = GPIO5_B0: bits 1:0
    f.poke(grf_gpio5b_iomux, 2)            # mux 2 = RK_FUNC_2
    r = run(*opts, "func", "PIN10")
    assert (r.returncode, r.stdout.strip()) == (0, "PIN10=alt2"), r.stderr
    r = run(*opts, "readall")
    assert r.returncode == 0, r.stderr
    assert rows(r.stdout)["PIN10"][:3] == ["PIN10", "160", "alt2"]
    assert run(*opts, "func", "PIN10", "alt1").returncode == 0
    assert f.peek(grf_gpio5b_iomux) == 0x00030001  # write-enable bits 17:16, mux 1
    before = f.digest()
    r = run(*opts, "func", "PIN10", "alt0")
    assert r.returncode == 1 and "mux 0 is the GPIO" in r.stderr
    assert f.digest() == before


def test_board_names_the_header_without_a_device_tree(regfile, tmp_path):
    # A BeagleBone dry run: the AM335x table has no default board, so its
    # header names need --board when there is no device tree.
    f = regfile(0x481AF000)
    opts = ["--devmem", str(f), "--dt-root", str(tmp_path / "none")]
    r = run("--soc", "am335x", *opts, "set", "P9_12=1")
    assert r.returncode == 2 and "P9_12" in r.stderr
    r = run("--board", "BeagleBone Black", *opts, "set", "P9_12=1")
    assert r.returncode == 0, r.stderr
    assert f.peek(0x4804C194) == 1 << 28  # GPIO1 SETDATAOUT: P9_12 = GPIO1_28
    r = run("--board", "BeagleBone Black", *opts, "info")
    assert "am335x" in r.stdout and "BeagleBone Black" in r.stdout
    r = run("--soc", "bcm2711", "--board", "BeagleBone Black", *opts, "info")
    assert r.returncode == 2 and "bcm2711 has no board" in r.stderr, r.stderr
