# SPDX-License-Identifier: MIT
"""Hardware PWM against the kernel's own driver, in the emulated Pi 3.

QEMU models the clock manager, and on raspi3b the PWM block's addresses are
plain RAM (no PWM model: no pin toggles, so no waveform is measured here, only
register words). The kernel's pwm-bcm2835 (Debian's module, shipped in the
initramfs by the rig) is bound to the device tree's pwm@7e20c000 and
programmed through /sys/class/pwm; its words are read back through /dev/mem.
Then fastgpio programs the same period, duty and polarity and the words must
be the same. The rig's DTB asks the kernel for a 9.6 MHz PWM clock (the
oscillator / 2, the source and divisor fastgpio takes), not Debian's 10 MHz
(PLLD / 50, a rate user space cannot derive): that is the one documented
difference, and with it every word must match."""

from __future__ import annotations

import mmap
import os
import struct
import subprocess
import time

import pytest

MODULE = "/vpi-kmods/pwm-bcm2835.ko"
PWM_PHYS, CM_PHYS = 0x3F20C000, 0x3F101000     # bus 0x7e20c000 / 0x7e101000 on BCM2837
CM_PWMCTL, CM_PWMDIV = 0xA0, 0xA4
CASES = [  # (period_ns, duty_ns, polarity, channel): a servo, inverted 1 kHz, IR carrier, 100 %
    (20_000_000, 1_500_000, "normal", 0),
    (1_000_000, 250_000, "inversed", 1),
    (26_316, 8_772, "normal", 0),
    (100_000, 100_000, "normal", 1),
    (7_777_777, 3_333_333, "inversed", 0),
]
LINE_OF_CHANNEL = {0: 18, 1: 19}


@pytest.fixture(autouse=True)
def _raspi3b_only(machine):
    if machine != "raspi3b":
        pytest.skip("the PWM kernel oracle runs on raspi3b (Debian's arm64 pwm-bcm2835.ko, QEMU's "
                    "clock manager, RAM at the PWM block); other machines: register-file tests only")


def words(channel):
    """(channel's control byte, range, data, CM_PWMCTL, CM_PWMDIV), read through /dev/mem."""
    fd = os.open("/dev/mem", os.O_RDONLY | os.O_SYNC)
    try:
        out = []
        for phys, offs in ((PWM_PHYS, (0, 0x10 + 0x10 * channel, 0x14 + 0x10 * channel)),
                           (CM_PHYS, (CM_PWMCTL, CM_PWMDIV))):
            m = mmap.mmap(fd, 4096, mmap.MAP_SHARED, mmap.PROT_READ, offset=phys)
            try:
                out += [struct.unpack_from("<I", m, o)[0] for o in offs]
            finally:
                m.close()
    finally:
        os.close(fd)
    out[0] = (out[0] >> (8 * channel)) & 0xFF
    return tuple(out)


def put(path, value):
    with open(path, "w") as f:
        f.write(str(value))


def get(path):
    with open(path) as f:
        return f.read().strip()


@pytest.fixture
def pwmchip():
    """The pwmchip of pwm@7e20c000, the kernel's driver bound to it."""
    from fastgpio._pwm import find_sysfs_channel
    assert os.path.exists(MODULE), "the rig ships pwm-bcm2835.ko for raspi3b (lib.sh kmods_dir)"
    if not os.path.isdir("/sys/module/pwm_bcm2835"):
        r = subprocess.run(["insmod", MODULE], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    out = {"dt_node": "soc/pwm@7e20c000"}
    d = None
    for _ in range(50):                       # the probe may lag the insmod
        d = find_sysfs_channel(out)
        if d:
            break
        time.sleep(0.1)
    assert d, f"no /sys/class/pwm chip for pwm@7e20c000: {os.listdir('/sys/class/pwm')}"
    return d


def kernel_program(chipdir, period, duty, polarity, channel):
    """The kernel's own way: through /sys/class/pwm. pwm-bcm2835 refuses every
    state (a disabled one too) whose period is under 2 ticks, so the period
    comes first on a fresh channel, and the duty never exceeds it."""
    ch = os.path.join(chipdir, f"pwm{channel}")
    if not os.path.isdir(ch):
        put(os.path.join(chipdir, "export"), channel)
    if get(os.path.join(ch, "enable")) == "1":
        put(os.path.join(ch, "enable"), 0)
    if int(get(os.path.join(ch, "period"))) != 0:
        put(os.path.join(ch, "duty_cycle"), 0)
    put(os.path.join(ch, "period"), period)
    put(os.path.join(ch, "duty_cycle"), duty)
    put(os.path.join(ch, "polarity"), polarity)
    put(os.path.join(ch, "enable"), 1)
    return ch


def kernel_release(ch, chipdir, channel):
    put(os.path.join(ch, "enable"), 0)
    put(os.path.join(chipdir, "unexport"), channel)


def test_the_device_tree_gives_the_block_to_the_kernel(pwmchip):
    import fastgpio
    with fastgpio.Chip(backend="devmem") as chip:
        out = chip._pwm_find(18)
        assert out["kernel"] and out["driver"] == "bcm2835-pwm"
        before = words(0)
        with pytest.raises(fastgpio.LineBusyError, match="bcm2835-pwm"):
            chip.pwm(18, frequency=50, duty=0.5, backend="registers")
        assert words(0) == before


@pytest.mark.parametrize("period,duty,polarity,channel", CASES)
def test_fastgpio_writes_the_kernels_words(pwmchip, report, period, duty, polarity, channel):
    import fastgpio
    ch = kernel_program(pwmchip, period, duty, polarity, channel)
    kernel = words(channel)
    line = LINE_OF_CHANNEL[channel]
    with fastgpio.Chip(backend="devmem") as chip:
        # what fastgpio reads of the kernel's programming
        seen = chip.pwm(line, backend="registers").state
        assert (seen.period_ticks, seen.duty_ticks, seen.enabled) == (kernel[1], kernel[2], True)
        assert seen.source == "oscillator" and seen.divisor == 2 << 12, \
            f"the kernel did not take the oscillator / 2 (CM_PWMCTL {kernel[3]:#x}, CM_PWMDIV {kernel[4]:#x})"
        assert abs(seen.period_ns - period) <= 53 and abs(seen.duty_ns - duty) <= 53
        kernel_release(ch, pwmchip, channel)
        pwm = chip.pwm(line, period_ns=period, duty_ns=duty, polarity=polarity, force=True)
        mine = words(channel)
        pwm.close()
    report(f"PWM oracle {period} ns / {duty} ns {polarity} channel {channel}: kernel "
           f"{' '.join(f'{w:#x}' for w in kernel)}, fastgpio {' '.join(f'{w:#x}' for w in mine)}")
    assert mine == kernel


def test_the_sysfs_route_drives_the_kernel(pwmchip):
    import fastgpio
    with fastgpio.Chip(backend="devmem") as chip:
        regs = chip.pwm(18, frequency=50, duty=0.075, force=True, backend="registers")
        want = words(0)
        regs.close()
        pwm = chip.pwm(18, frequency=50, duty=0.075)   # auto: the kernel owns it, sysfs it is
        try:
            assert pwm.backend == "sysfs"
            assert words(0) == want
            assert chip.get_function(18) == fastgpio.Function.ALT5
            assert (pwm.period_ns, pwm.duty_ns, pwm.enabled) == (20_000_000, 1_500_000, True)
        finally:
            pwm.close()
        assert get(os.path.join(pwmchip, "pwm0", "enable")) == "0"
        assert words(0)[0] & 1 == 0
