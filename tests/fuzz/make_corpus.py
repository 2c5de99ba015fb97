#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/).

Seeds are real-shaped inputs in each target's record format (fuzz_dtdir.h:
[property index][length, 2 bytes LE][bytes]), so the fuzzer starts from trees
the parsers accept: the Raspberry Pi device trees (Linux bcm283x.dtsi,
bcm2711.dtsi, bcm2712.dtsi + rp1.dtsi, as tests/conftest.py and
tests/c/test_rp1.c lay them out) and pin names of every naming style.
Run it again after changing a target's property list.
"""
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def soc_indices():
    """{SoC name: its index in fgpio_socs[]} as src/socs.c lists them: the
    fuzz targets pick a chip by that index, the seeds name SoCs."""
    with open(os.path.join(HERE, "..", "..", "src", "socs.c")) as f:
        text = f.read()
    table = re.search(r"fgpio_socs\[\]\s*=\s*\{(.*?)\};", text, re.S).group(1)
    return {name: i for i, name in enumerate(re.findall(r"&fgpio_soc_(\w+)", table))}


SOC = soc_indices()


def cells(*v):
    return b"".join(struct.pack(">I", x) for x in v)


def rec(idx, data):
    return bytes([idx]) + struct.pack("<H", len(data)) + data


def strs(*s):
    return b"".join(x.encode() + b"\0" for x in s)


# fuzz_dt: 0 bus, 1 compatible, 2 #address-cells, 3 #size-cells, 4 soc/#address-cells,
# 5 soc/#size-cells, 6 soc/ranges, 7 model, 8 soc/gpio@7e200000/reg, 9 system/linux,revision.
# The index byte also picks the kind of file (fuzz_dtdir.h fz_build_kinds): idx + 10 * kind,
# kind 0 file, 1 directory, 2 FIFO, 3 dangling symlink, 4 1 MiB file, 5 socket.
DT_NPROPS = 10


def kind(idx, k, data=b""):
    return rec(idx + DT_NPROPS * k, data)


PI4 = (rec(1, strs("raspberrypi,4-model-b", "brcm,bcm2711")) + rec(7, strs("Raspberry Pi 4 Model B Rev 1.4"))
       + rec(2, cells(2)) + rec(3, cells(1)) + rec(4, cells(1)) + rec(5, cells(1))
       + rec(6, cells(0x7E000000, 0x0, 0xFE000000, 0x01800000)) + rec(8, cells(0x7E200000, 0xB4)))
DT = {
    # The refusals: unreadable properties, wrapping ranges, wrong cells, contradictions.
    "pi4-full": PI4,
    "pi4-compatible-fifo": PI4 + kind(1, 2),
    "pi4-compatible-dir": PI4 + kind(1, 1),
    "pi4-compatible-dangling": PI4 + kind(1, 3),
    "pi4-compatible-huge": PI4 + kind(1, 4, strs("brcm,bcm2711")),
    "pi4-model-socket": PI4 + kind(7, 5),
    "pi4-ranges-fifo": PI4 + kind(6, 2),
    "pi4-revision-dir": PI4 + kind(9, 1),
    "pi4-wrap": PI4 + rec(6, cells(0x7C000000, 0xFFFFFFFF, 0xFFFF0000, 0x04000000)),
    "pi4-root-cells-1": PI4 + rec(2, cells(1)) + rec(6, cells(0x7E000000, 0x0, 0xFE000000, 0x01800000,
                                                              0x7C000000, 0x0, 0xFC000000, 0x02000000)),
    "pi4-highperi": PI4 + rec(6, cells(0x7C000000, 0x4, 0x7C000000, 0x04000000)),
    "pi4-gpio-reg-moved": PI4 + rec(8, cells(0x7E300000, 0xB4)),
    "pi3-model-pi4": rec(1, strs("raspberrypi,3-model-b", "brcm,bcm2837")) + rec(7, strs("Raspberry Pi 4 Model B")),
    "bbb-model-tinker": rec(1, strs("ti,am335x-bone-black", "ti,am33xx"))
    + rec(7, strs("Rockchip RK3288 Asus Tinker Board")),
    "pi1": rec(1, strs("raspberrypi,model-b-plus", "brcm,bcm2835")) + rec(2, cells(1)) + rec(3, cells(1))
    + rec(4, cells(1)) + rec(5, cells(1)) + rec(6, cells(0x7E000000, 0x20000000, 0x02000000)),
    "pi3": rec(1, strs("raspberrypi,3-model-b", "brcm,bcm2837")) + rec(2, cells(1)) + rec(4, cells(1))
    + rec(5, cells(1)) + rec(6, cells(0x7E000000, 0x3F000000, 0x01000000, 0x40000000, 0x40000000, 0x1000)),
    "pi4": rec(1, strs("raspberrypi,4-model-b", "brcm,bcm2711")) + rec(2, cells(2)) + rec(3, cells(1))
    + rec(4, cells(1)) + rec(5, cells(1))
    + rec(6, cells(0x7E000000, 0x0, 0xFE000000, 0x01800000, 0x7C000000, 0x0, 0xFC000000, 0x02000000,
                   0x40000000, 0x0, 0xFF800000, 0x00800000)),
    "pi4-bus": rec(0, cells(0x7E200000)) + rec(1, strs("raspberrypi,4-model-b", "brcm,bcm2711"))
    + rec(2, cells(2)) + rec(6, cells(0x7E000000, 0x0, 0xFE000000, 0x01800000)),
    "empty-ranges": rec(1, strs("brcm,bcm2837")) + rec(6, b""),
    "bbb": rec(1, strs("ti,am335x-bone-black", "ti,am335x-bone", "ti,am33xx")),
    "tinker": rec(1, strs("asus,rk3288-tinker", "rockchip,rk3288")),
    "pi5": rec(1, strs("raspberrypi,5-model-b", "brcm,bcm2712")),
    "unknown": rec(1, strs("acme,widget-board", "acme,widget9000")),
}

# fuzz_rp1: 0 #address-cells, 1 #size-cells, 2 axi/#ac, 3 axi/#sc, 4 axi/ranges, 5 pcie/#ac,
# 6 pcie/#sc, 7 pcie/ranges, 8 rp1/#ac, 9 rp1/#sc, 10 rp1/ranges, 11 rp1/compatible,
# 12 gpio/compatible, 13 gpio/reg, 14 gpio/#address-cells
PI5 = (rec(0, cells(2)) + rec(1, cells(2)) + rec(2, cells(2)) + rec(3, cells(2))
       + rec(4, cells(0x00, 0x0, 0x00, 0x0, 0x10, 0x0, 0x10, 0x0, 0x10, 0x0, 0x01, 0x0,
                      0x1c, 0x0, 0x1c, 0x0, 0x04, 0x0))
       + rec(5, cells(3)) + rec(6, cells(2))
       + rec(7, cells(0x02000000, 0x00, 0x0, 0x1f, 0x0, 0x00, 0xfffffffc,
                      0x43000000, 0x04, 0x0, 0x1c, 0x0, 0x03, 0x0))
       + rec(8, cells(2)) + rec(9, cells(2))
       + rec(10, cells(0xc0, 0x40000000, 0x02000000, 0x00, 0x0, 0x00, 0x00410000))
       + rec(11, strs("simple-bus")) + rec(12, strs("raspberrypi,rp1-gpio"))
       + rec(13, cells(0xc0, 0x400d0000, 0x0, 0xc000, 0xc0, 0x400e0000, 0x0, 0xc000)))
RP1 = {
    "pi5": PI5,
    "pi5-identity-axi": PI5 + rec(4, b""),
    "pi5-no-pcie-ranges": PI5 + rec(7, b"\x00\x00\x00"),
}

NAMES = {}
for i, n in enumerate(["GPIO17", "gpio4", "17", "BOARD11", "PIN40", "P9_12", "P8_07", "GPIO1_28",
                       "GPIO5_B0", "GPIO5B0", "GPIO0_C7", "GPIO27", "BOARD1", "P9_1"]):
    NAMES[n] = bytes([(5 * i) % 24]) + n.encode()


# fuzz_wave: [chip][bank][repeat][flags][cpu][fifo][spin lo][spin hi] + (set, clr, delay) uint32 LE
# chip: the SoC's index in fgpio_socs (SOC[name])


def wave(chip, bank, repeat, steps, flags=0, cpu=0xFF, fifo=0, spin=0):
    head = bytes([chip, bank, repeat, flags, cpu, fifo, spin & 0xFF, spin >> 8])
    return head + b"".join(struct.pack("<III", *st) for st in steps)


WAVE = {
    "bcm2711-square": wave(SOC["bcm2711"], 0, 3, [(1 << 17, 0, 100), (0, 1 << 17, 100)]),
    "bcm2711-bank1": wave(SOC["bcm2711"], 1, 1, [(0x3FFFFFF, 0, 0), (0, 0x3FFFFFF, 0)], flags=1),
    "am335x-bank2": wave(SOC["am335x"], 2, 2, [(1 << 5, 0, 10), (0, 1 << 5, 10)]),
    "rk3288-gpio0": wave(SOC["rk3288"], 0, 1, [(0xFFFFFF, 0, 0), (0, 0xFFFFFF, 5)]),
    "rp1-bank0": wave(SOC["rp1"], 0, 2, [(1 << 27, 0, 50), (0, 1 << 27, 50)], spin=1000),
    "rk3399-gpio4": wave(SOC["rk3399"], 4, 1, [(1 << 18, 0, 0), (0, 1 << 18, 5)]),  # GPIO4_C2
    "both-masks": wave(SOC["bcm2711"], 0, 1, [(3, 1, 0)]),
    "bad-bank": wave(SOC["bcm2837"], 9, 1, [(1, 0, 0)]),
}


def write(target, seeds):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    write("fuzz_dt", DT)
    write("fuzz_rp1", RP1)
    write("fuzz_names", NAMES)
    write("fuzz_wave", WAVE)
    sys.exit(0)
