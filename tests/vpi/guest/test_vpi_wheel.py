# SPDX-License-Identifier: MIT
"""The fastgpio each guest runs is the file a user of that board installs
(tests/vpi/wheels.sh builds the same): on 64-bit and ARMv7 machines the
published manylinux wheel, for the guest's CPython, whose extension asks for no
glibc symbol newer than 2.31 (Raspberry Pi OS bullseye's) and, on ARMv7, no
instruction set beyond Debian armhf's baseline (ARMv7-A, VFPv3-D16, no NEON);
on the Pi Zero (ARMv6: no manylinux tag exists) the wheel pip builds there
from the sdist, with code an ARM1176 runs."""
import importlib
import importlib.metadata
import re
import struct
import sys

import pytest

pytestmark = pytest.mark.vpi

fastgpio = pytest.importorskip("fastgpio")

# machine: platform tag of the wheel installed there
PLATFORM = {
    "raspi0": r"linux_armv6l",
    "raspi2b": r"manylinux\w*_armv7l",
    "raspi2b-trixie": r"manylinux\w*_armv7l",
    "raspi3b": r"manylinux\w*_aarch64",
    "raspi4b": r"manylinux\w*_aarch64",
    "raspi4b-trixie": r"manylinux\w*_aarch64",
}
CPU_ARCH_V6KZ, CPU_ARCH_V7 = 7, 10     # Tag_CPU_arch values (ARM IHI 0045, "Addenda to the ABI")


def wheel_tags():
    wheel = importlib.metadata.distribution("fastgpio").read_text("WHEEL") or ""
    return [line.split(":", 1)[1].strip() for line in wheel.splitlines() if line.startswith("Tag:")]


def core_path():
    return importlib.import_module("fastgpio._core").__file__


def test_installed_wheel_tags(machine):
    tags = wheel_tags()
    py = f"cp{sys.version_info[0]}{sys.version_info[1]}"
    assert tags
    assert all(re.fullmatch(rf"{py}-{py}-{PLATFORM[machine]}", t) for t in tags), tags


def test_extension_needs_glibc_2_31_at_most(machine):
    if machine == "raspi0":
        pytest.skip("the Pi Zero's wheel is built there, against its own glibc")
    # The version names the extension's symbols ask for are strings of its
    # .dynstr (GLIBC_2.17, ...): the newest one is the glibc it needs.
    with open(core_path(), "rb") as f:
        data = f.read()
    versions = {(int(a), int(b)) for a, b in re.findall(rb"GLIBC_(\d+)\.(\d+)", data)}
    assert versions, core_path()
    assert max(versions) <= (2, 31), sorted(versions)


def arm_attributes(path):
    """{tag: value} of the 'aeabi' file attributes in a 32-bit ARM ELF file's
    .ARM.attributes section (ELF for the ARM Architecture, "Build attributes")."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"\x7fELF" and data[4] == 1 and data[5] == 1, "not a 32-bit little-endian ELF file"
    shoff, = struct.unpack_from("<I", data, 0x20)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x2E)
    sections = [struct.unpack_from("<IIIIII", data, shoff + i * shentsize) for i in range(shnum)]
    blob = next((data[s[4]:s[4] + s[5]] for s in sections if s[1] == 0x70000003), None)  # SHT_ARM_ATTRIBUTES
    assert blob and blob[:1] == b"A", "no .ARM.attributes section"

    def uleb(buf, i):
        v = shift = 0
        while True:
            b = buf[i]; i += 1
            v |= (b & 0x7F) << shift; shift += 7
            if b < 0x80:
                return v, i

    attrs, pos = {}, 1
    while pos < len(blob):
        length, = struct.unpack_from("<I", blob, pos)
        sub = blob[pos + 4:pos + length]
        pos += length
        vendor, _, body = sub.partition(b"\0")
        if vendor != b"aeabi":
            continue
        j = 0
        while j < len(body):
            tag, k = uleb(body, j)
            size, = struct.unpack_from("<I", body, k)
            if tag == 1:                       # Tag_File: the attributes of the whole file
                i, end = k + 4, j + size
                while i < end:
                    t, i = uleb(body, i)
                    if t in (4, 5, 67) or (t > 32 and t % 2):     # NTBS-valued tags
                        e = body.index(b"\0", i); attrs[t] = body[i:e].decode(); i = e + 1
                    elif t == 32:                                  # Tag_compatibility: ULEB, NTBS
                        attrs[t], i = uleb(body, i); i = body.index(b"\0", i) + 1
                    else:
                        attrs[t], i = uleb(body, i)
            j += size
    return attrs


def test_extension_instruction_set(machine):
    if machine not in ("raspi0", "raspi2b", "raspi2b-trixie"):
        pytest.skip("32-bit ARM only")
    attrs = arm_attributes(core_path())
    cpu_arch, simd = attrs.get(6, 0), attrs.get(12, 0)   # Tag_CPU_arch, Tag_Advanced_SIMD_arch
    if machine.startswith("raspi2b"):
        assert cpu_arch == CPU_ARCH_V7, attrs
        assert simd == 0, f"the armv7l wheel uses NEON (Tag_Advanced_SIMD_arch={simd}): not Debian armhf's baseline"
    else:
        assert cpu_arch <= CPU_ARCH_V6KZ, f"Tag_CPU_arch={cpu_arch}: code an ARM1176 (ARMv6KZ) cannot run"
