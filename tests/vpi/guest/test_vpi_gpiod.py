# SPDX-License-Identifier: MIT
"""The gpiod backend on the emulated Pi: fastgpio through the kernel's GPIO
character device (libgpiod), under Debian's kernel. Every effect is checked
outside fastgpio too: in the GPIO registers (a plain mmap of /dev/mem) and in
the kernel's view (gpioinfo, gpioget, gpioset from the libgpiod tools).
Without /dev/mem (a non-root process) `fastgpio.Chip()` falls back to it."""
import errno
import os
import re
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.vpi

fastgpio = pytest.importorskip("fastgpio")

PUP_PDN0 = 0xE4                 # BCM2711 only: 2 bits a line (00 off, 01 up, 10 down)
NOBODY = 65534


@pytest.fixture(autouse=True)
def need_gpiod():
    v = fastgpio.libgpiod_version()
    if v is None:
        pytest.fail("the guest's fastgpio loaded no libgpiod (libgpiod.so.2/.so.3 missing in the guest?)")
    want = os.environ.get("FASTGPIO_VPI_LIBGPIOD")   # the generation this pass forces
    if want:
        assert v.startswith(f"libgpiod {want}."), v


def test_one_wheel_loads_what_the_pass_asks_for():
    # The rig installs one wheel and runs these tests once per libgpiod
    # generation, choosing it with FASTGPIO_LIBGPIOD.
    want = os.environ.get("FASTGPIO_LIBGPIOD")
    assert want in ("1", "2"), want
    r = subprocess.run([sys.executable, "-c", "import fastgpio; print(fastgpio.libgpiod_version())"],
                       capture_output=True, text=True, env={**os.environ, "FASTGPIO_LIBGPIOD": "auto"})
    assert r.stdout.startswith("libgpiod 2."), r  # both are in the guest: auto prefers 2.x


def soc_chip():
    """(device, label) of the SoC's GPIO chip, found by label as fastgpio must."""
    out = subprocess.run(["gpiodetect"], capture_output=True, text=True, check=True).stdout
    for text in out.splitlines():
        if "pinctrl-bcm" in text:
            name, label = text.split()[0], text.split("[")[1].split("]")[0]
            return "/dev/" + name, label
    pytest.fail(f"no pinctrl-bcm* chip in gpiodetect output:\n{out}")


def tools_v2():
    """The libgpiod tools in PATH are 2.x (other options and output than 1.6's)."""
    out = subprocess.run(["gpioinfo", "--version"], capture_output=True, text=True).stdout
    return re.search(r"\(libgpiod\) v2\.", out) is not None  # not the "LGPLv2.1" of 1.6's licence line


def tool(name, dev, *args):
    """argv of a libgpiod tool on chip @dev for either generation."""
    chip = os.path.basename(dev)
    if tools_v2():
        extra = {"gpioget": ["--numeric"], "gpioset": [], "gpioinfo": []}[name]
        return [name, *extra, "-c", chip, *args]
    extra = {"gpioget": [], "gpioset": ["--mode=signal"], "gpioinfo": []}[name]
    return [name, *extra, chip, *args]


def gpioinfo_line(dev, line):
    """gpioinfo's view of @line: (consumer or "unused", "input"/"output").
    1.6: 'line  17:  "GPIO17" "fastgpio" output active-high [used]';
    2.x: 'line  17:  "GPIO17"  output consumer="fastgpio"'."""
    out = subprocess.run(tool("gpioinfo", dev), capture_output=True, text=True, check=True).stdout
    for text in out.splitlines():
        m = re.match(r"\s*line\s+(\d+):", text)
        if not m or int(m.group(1)) != line:
            continue
        direction = "output" if re.search(r"\boutput\b", text) else "input"
        m2 = re.search(r'consumer="([^"]*)"', text)                   # 2.x
        m1 = re.match(r'\s*line\s+\d+:\s+(?:"[^"]*"|unnamed)\s+"([^"]*)"', text)  # 1.6
        consumer = m2.group(1) if m2 else m1.group(1) if m1 else "unused"
        return consumer, direction
    pytest.fail(f"line {line} not in gpioinfo output:\n{out}")


@pytest.fixture
def gchip():
    with fastgpio.Chip(backend="gpiod") as c:
        yield c


def test_info_and_names(gchip, expected):
    dev, label = soc_chip()
    i = gchip.info
    assert i.backend == "gpiod" and i.device == dev and i.base == 0
    assert i.soc == expected[0] and i.num_lines == expected[2]
    want = os.environ.get("FASTGPIO_VPI_LIBGPIOD")   # set by a run against another libgpiod
    if want:
        assert f"libgpiod {want}" in i.reason, i.reason
    assert i.num_banks == 2
    assert f"using gpiod on {dev} ({label}" in i.reason and "libgpiod" in i.reason
    # The SoC's names and the board header stay usable: offsets are BCM numbers.
    assert gchip.line("GPIO17") == 17 and gchip.line("BOARD11") == 17


def test_output_in_registers_and_kernel(gchip, regs):
    dev, _ = soc_chip()
    gchip.set_function(17, "out")
    assert regs.fsel(17) == 1 and gchip.get_function(17) == fastgpio.Function.OUT
    assert gpioinfo_line(dev, 17) == ("fastgpio", "output")
    for v in (1, 0, 1, 0):
        gchip.write(17, v)
        assert regs.level(17) == v and gchip.read(17) == v
    p = gchip.pin(22, "out", value=1)
    assert regs.fsel(22) == 1 and regs.level(22) == 1
    p.off()
    assert regs.level(22) == 0 and p.value == 0
    p.toggle()
    assert regs.level(22) == 1
    gchip.set_function(22, "in")
    assert regs.fsel(22) == 0 and gpioinfo_line(dev, 22) == ("fastgpio", "input")


def test_bank_write_and_read(gchip, regs):
    for line in (5, 6, 27):
        gchip.set_function(line, "out")
    mask = (1 << 5) | (1 << 6) | (1 << 27)
    gchip.bank_write(0, mask, (1 << 5) | (1 << 27))
    assert (regs.level(5), regs.level(6), regs.level(27)) == (1, 0, 1)
    assert gchip.bank_read(0) & mask == (1 << 5) | (1 << 27)
    # A wave on the gpiod backend goes through the slow path, but plays.
    stats = gchip.wave(0, [(1 << 6, 1 << 5, 1000), (1 << 5, 1 << 6, 0)])
    assert stats.steps == 2 and (regs.level(5), regs.level(6)) == (1, 0)


def test_write_to_an_input_latches_until_output(gchip, regs):
    gchip.set_function(6, "out")
    gchip.write(6, 0)
    gchip.set_function(6, "in")
    gchip.write(6, 1)               # an input: nothing driven yet
    assert regs.fsel(6) == 0
    gchip.set_function(6, "out")    # drives the latched 1, as GPSET on an input would
    assert regs.fsel(6) == 1 and regs.level(6) == 1


def test_pull(gchip, regs, expected):
    gchip.set_pull(27, "up")
    assert gchip.get_pull(27) == fastgpio.Pull.UP
    if expected[0] == "bcm2711":    # readable pull register
        assert (regs.read(PUP_PDN0 + 4) >> (2 * (27 - 16))) & 3 == 1
    gchip.set_pull(27, "down")
    assert gchip.get_pull(27) == fastgpio.Pull.DOWN
    if expected[0] == "bcm2711":
        assert (regs.read(PUP_PDN0 + 4) >> (2 * (27 - 16))) & 3 == 2
    with pytest.raises(fastgpio.NotSupportedError, match="gpiod backend"):
        gchip.set_pull(27, "keeper")


def test_alt_functions_not_supported(gchip, regs):
    before = regs.fsel(17)
    with pytest.raises(fastgpio.NotSupportedError, match="not supported on the gpiod backend") as e:
        gchip.set_function(17, "alt0")
    assert e.value.errno == errno.ENOTSUP and regs.fsel(17) == before


def test_line_held_by_another_process_is_ebusy(gchip, regs):
    dev, _ = soc_chip()
    # gpioset keeps the line requested until signalled (1.6: --mode=signal; 2.x: default).
    holder = subprocess.Popen(tool("gpioset", dev, "18=1"))
    try:
        for _ in range(100):
            if gpioinfo_line(dev, 18)[0] == "gpioset":
                break
            time.sleep(0.05)
        assert gpioinfo_line(dev, 18) == ("gpioset", "output")
        with pytest.raises(OSError, match='held by "gpioset"') as e:
            gchip.write(18, 0)
        assert e.value.errno == errno.EBUSY and regs.level(18) == 1
        with pytest.raises(OSError) as e:
            gchip.set_function(18, "in")
        assert e.value.errno == errno.EBUSY and regs.fsel(18) == 1
        # Another line of the same chip is still ours to drive.
        gchip.pin(17, "out", value=1)
        assert regs.level(17) == 1
    finally:
        holder.terminate()
        holder.wait(10)


def test_held_until_close_then_released(regs):
    dev, _ = soc_chip()
    with fastgpio.Chip(backend="gpiod") as c:
        c.pin(17, "out", value=1)
        assert gpioinfo_line(dev, 17)[0] == "fastgpio"
        r = subprocess.run(tool("gpioget", dev, "17"), capture_output=True, text=True)
        assert r.returncode != 0       # busy while fastgpio holds it
    assert gpioinfo_line(dev, 17)[0] == "unused"
    # Upstream pinctrl-bcm2835 (Debian's kernel) switches a freed line to input
    # (bcm2835_pmx_gpio_disable_free): why lines stay requested until close.
    assert regs.fsel(17) == 0
    # QEMU's level register keeps the last written level; the kernel reads it.
    r = subprocess.run(tool("gpioget", dev, "17"), capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == "1" and regs.level(17) == 1, r


CHILD = r"""
import sys, fastgpio
c = fastgpio.Chip()
i = c.info
print(i.backend, i.device, i.soc, i.num_lines, flush=True)
print(i.reason, flush=True)
c.pin(27, "out", value=1)
print(c.read(27), flush=True)
sys.stdin.readline()
c.write(27, 0)
print(c.read(27), flush=True)
sys.stdin.readline()
"""


def test_without_dev_mem_import_fastgpio_uses_gpiod(regs, expected):
    """A process that may not open /dev/mem (non-root) but may open the GPIO
    character device: Chip() falls back to gpiod with the same API."""
    dev, label = soc_chip()
    st = os.stat(dev)
    os.chmod(dev, 0o666)
    try:
        child = subprocess.Popen([sys.executable, "-c", CHILD], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 preexec_fn=lambda: (os.setgid(NOBODY), os.setuid(NOBODY)))
        try:
            first = child.stdout.readline().split()
            reason = child.stdout.readline().strip()
            assert first == ["gpiod", dev, expected[0], str(expected[2])], (first, child.stderr.read())
            assert "/dev/mem" in reason and "permission denied" in reason, reason
            assert f"using gpiod on {dev} ({label}" in reason, reason
            assert child.stdout.readline().strip() == "1"
            assert regs.fsel(27) == 1 and regs.level(27) == 1
            assert gpioinfo_line(dev, 27) == ("fastgpio", "output")
            child.stdin.write("\n")
            child.stdin.flush()
            assert child.stdout.readline().strip() == "0"
            assert regs.level(27) == 0
            child.stdin.write("\n")
            child.stdin.flush()
            assert child.wait(30) == 0, child.stderr.read()
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    finally:
        os.chmod(dev, st.st_mode & 0o7777)


def test_without_dev_mem_or_gpiochip_is_a_permission_error():
    """Neither /dev/mem nor the chip: the mmap error (with its fix) is raised,
    and the message says why gpiod could not help."""
    code = ("import fastgpio\ntry:\n fastgpio.Chip()\nexcept PermissionError as e:\n print('EPERM', e)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       preexec_fn=lambda: (os.setgid(NOBODY), os.setuid(NOBODY)))
    assert r.stdout.startswith("EPERM"), (r.stdout, r.stderr)
    assert "no gpiod fallback either" in r.stdout and "permission denied" in r.stdout
