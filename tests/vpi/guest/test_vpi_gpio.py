# SPDX-License-Identifier: MIT
"""fastgpio on the emulated Pi: the installed package against QEMU's GPIO model
under Debian's kernel. Each effect is checked twice: in the registers, read
independently through a second /dev/mem mapping, and in the kernel's view
(pinctrl debugfs, libgpiod tools)."""
import glob
import os
import re
import struct
import subprocess
import sys

import pytest

pytestmark = pytest.mark.vpi

fastgpio = pytest.importorskip("fastgpio")

GPIO_OFFSET = 0x200000          # GPIO block inside the peripheral window
GPFSEL0, GPSET0, GPCLR0, GPLEV0 = 0x00, 0x1C, 0x28, 0x34
PUP_PDN0 = 0xE4                 # BCM2711 only: 2 bits per line, 16 lines per word
LINES = (17, 22, 27, 5, 6)      # header GPIOs no kernel driver uses in these DTs


@pytest.fixture
def chip():
    with fastgpio.Chip() as c:
        yield c


def kernel_pin(line):
    """The kernel's own view of a pin: pinctrl-bcm2835's debugfs 'pins' line,
    e.g. 'pin 17 (gpio17) 0:? function gpio_out out hi; irq 0 (none)' (reads
    GPFSEL and GPLEV through the kernel driver)."""
    for path in glob.glob("/sys/kernel/debug/pinctrl/*/pins"):
        with open(path) as f:
            for text in f:
                if re.match(rf"pin {line} \(gpio{line}\)", text):
                    m = re.search(r"function (\S+) .*?\b(hi|lo);", text)
                    assert m, text
                    return m.group(1), 1 if m.group(2) == "hi" else 0
    pytest.fail(f"no pinctrl debugfs entry for line {line}")


def soc_gpiochip():
    """The gpiochip of the SoC's GPIO block (not the firmware expander)."""
    out = subprocess.run(["gpiodetect"], capture_output=True, text=True, check=True).stdout
    for text in out.splitlines():
        if "pinctrl-bcm" in text:
            return text.split()[0]
    pytest.fail(f"no pinctrl-bcm* chip in gpiodetect output:\n{out}")




# -- detection from the real device tree -------------------------------------

def test_detects_soc_base_and_lines_from_device_tree(chip, expected):
    soc, base, lines, _ = expected
    info = chip.info
    assert info.soc == soc
    assert info.base in (base, base + GPIO_OFFSET)   # peripheral base or GPIO block
    assert info.num_lines == lines
    assert info.num_banks == 2
    assert "pi" in info.board.lower() or info.board != "unknown", info


def test_base_comes_from_soc_ranges(expected):
    # The same translation the library must do, done here from the raw cells.
    raw = open("/proc/device-tree/soc/ranges", "rb").read()
    acells = int.from_bytes(open("/proc/device-tree/#address-cells", "rb").read(), "big")
    first = struct.unpack(f">{len(raw) // 4}I", raw)
    child, parent = first[0], first[1:1 + acells]
    assert child == 0x7E000000
    assert int.from_bytes(b"".join(c.to_bytes(4, "big") for c in parent), "big") == expected[1]


def test_line_count_matches_kernel(chip):
    out = subprocess.run(["gpiodetect"], capture_output=True, text=True, check=True).stdout
    m = re.search(r"pinctrl-bcm\S*\] \((\d+) lines\)", out)
    assert m, out
    assert int(m.group(1)) == chip.info.num_lines


def test_auto_backend_falls_back_to_devmem_without_gpiomem(chip):
    # Debian's kernel has no bcm2835-gpiomem driver: auto must use /dev/mem.
    assert not os.path.exists("/dev/gpiomem")
    info = chip.info
    assert info.backend == "devmem"
    assert info.device == "/dev/mem"
    assert "gpiomem" in info.reason, info.reason


def test_explicit_devmem_backend_and_soc(expected):
    with fastgpio.Chip(expected[0], backend="devmem") as c:
        assert c.info.backend == "devmem" and c.info.soc == expected[0]
    with fastgpio.Chip(devmem="/dev/mem") as c:
        assert c.info.device == "/dev/mem" and c.info.num_lines == expected[2]


def test_gpiomem_backend_fails_clearly_without_gpiomem():
    with pytest.raises(OSError) as e:
        fastgpio.Chip(backend="gpiomem")
    assert "gpiomem" in str(e.value)


# -- outputs: level register and kernel view ---------------------------------

@pytest.mark.parametrize("line", LINES)
def test_set_clear_write_reach_level_register_and_kernel(chip, regs, line):
    chip.set_function(line, "out")
    assert regs.fsel(line) == 1
    chip.set(line)
    assert regs.level(line) == 1 and chip.read(line) == 1
    assert kernel_pin(line) == ("gpio_out", 1)
    chip.clear(line)
    assert regs.level(line) == 0 and chip.read(line) == 0
    assert kernel_pin(line) == ("gpio_out", 0)
    chip.write(line, 1)
    assert regs.level(line) == 1 and kernel_pin(line)[1] == 1
    chip.write(line, 0)
    assert regs.level(line) == 0 and kernel_pin(line)[1] == 0


def test_neighbours_untouched(chip, regs):
    for line in (17, 18, 16):
        chip.set_function(line, "out")
        chip.clear(line)
    chip.set(17)
    assert (regs.level(16), regs.level(17), regs.level(18)) == (0, 1, 0)
    chip.clear(17)


def test_gpioget_sees_level(chip):
    # gpioget requests the line as input (pinctrl switches the function); QEMU's
    # model keeps the level, so the kernel reads it back. The tools in PATH are
    # the suite's: 1.6 on bookworm, 2.x (other options) on trixie.
    version = subprocess.run(["gpioinfo", "--version"], capture_output=True, text=True).stdout
    v2 = re.search(r"\(libgpiod\) v2\.", version) is not None   # not 1.6's "LGPLv2.1" licence line
    argv = ["gpioget", "--numeric", "-c", soc_gpiochip(), "27"] if v2 else ["gpioget", soc_gpiochip(), "27"]
    for v in (1, 0):
        chip.set_function(27, "out")
        chip.write(27, v)
        out = subprocess.run(argv, capture_output=True, text=True, check=True)
        assert out.stdout.strip() == str(v)


def test_bank_write_and_read(chip, regs):
    mask = (1 << 5) | (1 << 6) | (1 << 22)
    for line in (5, 6, 22):
        chip.set_function(line, "out")
    chip.bank_write(0, mask, 1 << 6)
    assert (regs.level(5), regs.level(6), regs.level(22)) == (0, 1, 0)
    assert chip.bank_read(0) & mask == 1 << 6
    assert regs.read(GPLEV0) & mask == 1 << 6
    chip.bank_write(0, mask, mask)
    assert chip.bank_read(0) & mask == mask
    chip.bank_write(0, mask, 0)
    assert chip.bank_read(0) & mask == 0


def test_pin_object(chip, regs):
    p = chip.pin(22)
    p.function = "out"
    p.on()
    assert p.value == 1 and regs.level(22) == 1
    p.toggle()
    assert p.value == 0 and regs.level(22) == 0
    p.value = 1
    assert kernel_pin(22) == ("gpio_out", 1)
    p.off()


# -- function select ---------------------------------------------------------

@pytest.mark.parametrize("func,fsel,kname", [
    ("out", 1, "gpio_out"),
    ("in", 0, "gpio_in"),
    ("alt0", 4, "alt0"),
    ("alt5", 2, "alt5"),   # ALT encoding is not in ALT order
    ("alt3", 7, "alt3"),
    ("in", 0, "gpio_in"),
])
def test_function_select_visible_to_kernel(chip, regs, func, fsel, kname):
    line = 17
    chip.set_function(line, func)
    assert str(chip.get_function(line)) == func
    assert regs.fsel(line) == fsel
    assert kernel_pin(line)[0] == kname
    # gpioinfo is NOT checked here: the kernel reports the direction it cached
    # when the chip registered (FLAG_IS_OUT), not GPFSEL, for unrequested lines.


# -- pulls -------------------------------------------------------------------

def pull_field(regs, line):
    return (regs.read(PUP_PDN0 + 4 * (line // 16)) >> (2 * (line % 16))) & 3


def test_pull_round_trip_bcm2711(chip, regs, expected):
    if expected[0] != "bcm2711":
        pytest.skip("readable pull registers are BCM2711 only")
    for line in (17, 22, 5):
        for name, field in (("up", 1), ("down", 2), ("off", 0)):
            chip.set_pull(line, name)
            assert pull_field(regs, line) == field, (line, name)
            assert str(chip.get_pull(line)) == name


def test_pull_neighbours_untouched_bcm2711(chip, regs, expected):
    if expected[0] != "bcm2711":
        pytest.skip("BCM2711 only")
    chip.set_pull(16, "off"); chip.set_pull(18, "off")
    chip.set_pull(17, "up")
    assert (pull_field(regs, 16), pull_field(regs, 17), pull_field(regs, 18)) == (0, 1, 0)
    chip.set_pull(17, "off")


def test_pull_not_readable_before_bcm2711(chip, expected):
    if expected[0] == "bcm2711":
        pytest.skip("BCM2835/6/7 only: the BCM2711's pull registers are readable")
    chip.set_pull(17, "up")          # the clocked sequence must not fail
    with pytest.raises(fastgpio.NotSupportedError):
        chip.get_pull(17)
    chip.set_pull(17, "off")


# -- permissions -------------------------------------------------------------

def test_non_root_gets_documented_permission_error():
    code = (
        "import fastgpio\n"
        "try:\n"
        "    fastgpio.Chip()\n"
        "except PermissionError as e:\n"
        "    print('PermissionError', e.errno, e)\n"
        "    raise SystemExit(0)\n"
        "raise SystemExit('no PermissionError')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], user=1000, group=1000, extra_groups=[],
                         capture_output=True, text=True, cwd="/tmp")
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("PermissionError")
    # the message says what to do
    assert re.search(r"root|sudo|gpio group|gpiomem", out.stdout), out.stdout
