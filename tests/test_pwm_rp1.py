# SPDX-License-Identifier: MIT
"""Hardware PWM of RP1 (Raspberry Pi 5) in register-file mode: the exact words
of PWM0, of clk_pwm0 and of the line's FUNCSEL; the shared clock; the refusals
(each leaves the file byte-identical); the kernel's ownership as a Pi 5
device tree shows it.

The expected words are computed here from the documented rules, not taken
from the library: pwm-rp1.c (GLOBAL_CTRL 0x000 with channel n's enable in bit
n and SET_UPDATE bit 31; channel n's CTRL/RANGE/DUTY at 0x14/0x18/0x20 +
0x10n; CTRL 0x101 = FIFO_POP_MASK | trailing-edge mark-space, bit 3 inverts;
RANGE = period ticks - 1, the upstream driver's model), clk-rp1.c (clk_pwm0
CTRL/DIV_INT/DIV_FRAC at 0x74/0x78/0x7c of CLOCKS_MAIN; ENABLE bit 11, AUXSRC
bits 9:5, 2 = the 50 MHz crystal), rp1.dtsi (PWM0 at 0x40098000, CLOCKS_MAIN
at 0x40018000, IO_BANK0 at 0x400d0000), pinctrl-rp1.c (PWM0 CHAN0..3 on
GPIO12..15 at a0, CHAN2/3 on GPIO18/19 at a3). No emulator models RP1."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fastgpio
from fastgpio import LineBusyError, NotSupportedError
from fastgpio._pwm import polarity_of
from helpers import DeviceTree

RP1 = 0x1F00000000                 # RP1's window at CPU 0x1f_00000000 on a Pi 5
PWM0, CLOCKS, IO_BANK0 = RP1 + 0x98000, RP1 + 0x18000, RP1 + 0xD0000
CLK_CTRL, CLK_INT, CLK_FRAC = CLOCKS + 0x74, CLOCKS + 0x78, CLOCKS + 0x7C
XOSC = 50_000_000
# line -> (channel, FUNCSEL)
PINS = {12: (0, 0), 13: (1, 0), 14: (2, 0), 15: (3, 0), 18: (2, 3), 19: (3, 3)}


def rnd(n, d):
    return (n + d // 2) // d


def expected_div(period_ns):
    for div in range(1, 0x10000):
        if rnd(period_ns * XOSC, div * 10**9) <= 0xFFFFFFFF:
            return div
    raise AssertionError


def chan(regs, ch):
    return [regs.peek(PWM0 + o + 0x10 * ch) for o in (0x14, 0x18, 0x20)]


def funcsel(regs, line):
    return regs.peek(IO_BANK0 + 8 * line + 4) & 0x1F


@pytest.fixture
def regs(regfile):
    return regfile(RP1 + 0x100000)


@pytest.fixture
def chip(regs, no_dt):
    with fastgpio.Chip("rp1", devmem=regs, dt_root=no_dt) as c:
        yield c


CASES = [  # (period_ns, duty_ns, polarity)
    (20_000_000, 1_500_000, "normal"),      # a servo at 50 Hz, 1.5 ms
    (1_000_000, 250_000, "inversed"),       # 1 kHz, 25 %, inverted
    (26_316, 8_772, "normal"),              # an IR carrier near 38 kHz
    (1_000, 0, "normal"),                   # 1 MHz, always off
    (500, 500, "inversed"),                 # 2 MHz, always on
    (40, 20, "normal"),                     # the shortest period: 2 ticks
    (300_000_000_000, 1_000_000_000, "normal"),  # the longest: divisor 4
]


@pytest.mark.parametrize("period,duty,pol", CASES)
@pytest.mark.parametrize("line", [12, 15, 18, 19])
def test_exact_words(chip, regs, line, period, duty, pol):
    ch, fsel = PINS[line]
    div = expected_div(period)
    pwm = chip.pwm(line, period_ns=period, duty_ns=duty, polarity=pol)
    ticks = rnd(period * XOSC, div * 10**9)
    assert chan(regs, ch) == [0x101 | (0x8 if pol == "inversed" else 0), ticks - 1,
                              rnd(duty * XOSC, div * 10**9)]
    assert regs.peek(PWM0) == 0x80000000 | 1 << ch
    for other in set(range(4)) - {ch}:
        assert chan(regs, other) == [0, 0, 0]
    assert (regs.peek(CLK_CTRL), regs.peek(CLK_INT), regs.peek(CLK_FRAC)) == (0x840, div, 0)
    assert funcsel(regs, line) == fsel
    s = pwm.state
    assert (s.period_ticks, s.divisor, s.source, s.source_hz) == (ticks, div << 12, "oscillator", XOSC)
    assert s.enabled and s.muxed and s.polarity == pol and (s.block, s.channel) == (0, ch)
    assert s.period_ns == rnd(ticks * div * 10**9, XOSC)
    assert abs(s.period_ns - period) <= rnd(div * 10**9, 2 * XOSC) + 1
    assert s.frequency == pytest.approx(XOSC / div / ticks)


def test_too_short_and_a_pin_without_pwm_write_nothing(chip, regs):
    snap = regs.digest()
    with pytest.raises(ValueError, match="shorter than 2 ticks.*40 ns"):
        chip.pwm(18, period_ns=20, duty_ns=10)     # 1 tick at 50 MHz
    with pytest.raises(NotSupportedError, match="GPIO17 has no hardware PWM.*12, 13, 14, 15, 18, 19"):
        chip.pwm(17, frequency=50, duty=0.5)
    with pytest.raises(NotSupportedError, match="PWM1.*fan"):
        chip.pwm(45, frequency=50, duty=0.5)       # PWM1: the fan's, left to the kernel
    assert regs.digest() == snap


def test_disable_keeps_settings_and_close_restores_the_function(chip, regs):
    chip.set_function(18, "alt2")   # (a register file has no SET/CLR aliases: "out" reads as "in")
    with chip.pwm(18, frequency=1000, duty=0.5) as pwm:
        assert funcsel(regs, 18) == 3
        pwm.disable()
        ctrl, rng, duty = chan(regs, 2)
        assert ctrl == 0x101 and duty * 2 == rng + 1 and regs.peek(PWM0) == 0x80000000
        assert not pwm.enabled
        pwm.enable()
        assert regs.peek(PWM0) == 0x80000004
        pwm.duty = 0.25
        assert chan(regs, 2)[2] * 4 == rng + 1
    assert regs.peek(PWM0) == 0x80000000
    assert chip.get_function(18) == fastgpio.Function.ALT2 and funcsel(regs, 18) == 2


def test_four_channels_share_the_clock(chip, regs):
    a = chip.pwm(12, frequency=50, duty=0.1)
    clock = (regs.peek(CLK_CTRL), regs.peek(CLK_INT))
    b = chip.pwm(19, frequency=1000, duty=0.5)      # fits the running clock: untouched
    assert (regs.peek(CLK_CTRL), regs.peek(CLK_INT)) == clock
    assert regs.peek(PWM0) == 0x80000009
    assert b.state.period_ticks == XOSC // 1000
    snap = regs.digest()                            # 300 s needs divisor 4, the clock runs at 1
    with pytest.raises(ValueError, match="another running channel"):
        b.set(period_ns=300_000_000_000)
    assert regs.digest() == snap
    a.close()
    b.set(period_ns=300_000_000_000)                # alone now: the clock may change
    assert regs.peek(CLK_INT) == 4 and b.state.period_ns == 300_000_000_000
    b.close()


@pytest.mark.parametrize("ctrl, div_int, div_frac, name", [
    (0x800, 1, 0, "pll_audio_pri_ph"),              # AUXSRC 0: 30.72 MHz, not a board fact
    (0x840, 8, 0x23550000, "oscillator"),           # the crystal with a fractional divisor
])
def test_a_running_clock_of_unknown_rate_is_not_changed(chip, regs, ctrl, div_int, div_frac, name):
    regs.poke(CLK_CTRL, ctrl)
    regs.poke(CLK_INT, div_int)
    regs.poke(CLK_FRAC, div_frac)
    regs.poke(PWM0, 0x1)                            # channel 0 runs on it
    snap = regs.digest()
    with pytest.raises(LineBusyError, match=name):
        chip.pwm(13, frequency=1000, duty=0.5)
    assert regs.digest() == snap
    s = chip.pwm(12).state                          # reading is fine
    assert (s.source, s.period_ns, s.enabled) == (name, 0, True)
    assert s.divisor == div_int << 12 | div_frac >> 20
    assert regs.digest() == snap


def test_reads_what_the_kernel_programmed(chip, regs):
    # what pwm-rp1 leaves for 20 ms / 1.5 ms on channel 2 with clk_pwm0 at 50 MHz
    regs.poke(CLK_CTRL, 0x840)
    regs.poke(CLK_INT, 1)
    regs.poke(PWM0 + 0x34, 0x109)
    regs.poke(PWM0 + 0x38, 999_999)
    regs.poke(PWM0 + 0x40, 75_000)
    regs.poke(PWM0, 0x80000004)
    snap = regs.digest()
    s = chip.pwm(18).state
    assert (s.period_ns, s.duty_ns, s.polarity, s.enabled, s.period_ticks) == \
        (20_000_000, 1_500_000, "inversed", True, 1_000_000)
    assert regs.digest() == snap                    # looking writes nothing


# -- the kernel's ownership, from a Pi 5 device tree -----------------------------------

def pi5_tree(tmp_path, pcie="pcie@1000120000", pwm_reg=(0xC0, 0x40098000, 0x0, 0x100),
             pwm_node="pwm@98000", status=None) -> DeviceTree:
    """/proc/device-tree as bcm2712.dtsi + bcm2712-rpi-5-b.dts + rp1.dtsi compile."""
    dt = DeviceTree(tmp_path / f"dt-{pcie}-{pwm_node}-{status}")
    dt.compatible("raspberrypi,5-model-b", "brcm,bcm2712")
    dt.cells("#address-cells", 2).cells("#size-cells", 2)
    dt.cells("axi/#address-cells", 2).cells("axi/#size-cells", 2)
    dt.cells("axi/ranges", 0x1C, 0, 0x1C, 0, 0x04, 0)
    dt.cells(f"axi/{pcie}/#address-cells", 3).cells(f"axi/{pcie}/#size-cells", 2)
    dt.prop(f"axi/{pcie}/device_type", b"pci\0")
    dt.cells(f"axi/{pcie}/ranges", 0x02000000, 0, 0, 0x1F, 0, 0, 0xFFFFFFFC)
    rp1 = f"axi/{pcie}/rp1"
    dt.compatible("simple-bus", node=rp1)
    dt.cells(f"{rp1}/#address-cells", 2).cells(f"{rp1}/#size-cells", 2)
    dt.cells(f"{rp1}/ranges", 0xC0, 0x40000000, 0x02000000, 0, 0, 0, 0x00410000)
    dt.compatible("raspberrypi,rp1-gpio", node=f"{rp1}/gpio@d0000")
    dt.cells(f"{rp1}/gpio@d0000/reg", 0xC0, 0x400D0000, 0, 0xC000)
    # PWM1 (the fan's) enabled, as on every Pi 5: it must not make PWM0 the kernel's
    dt.compatible("raspberrypi,rp1-pwm", node=f"{rp1}/pwm@9c000")
    dt.cells(f"{rp1}/pwm@9c000/reg", 0xC0, 0x4009C000, 0, 0x100)
    dt.prop(f"{rp1}/pwm@9c000/status", b"okay\0")
    dt.compatible("raspberrypi,rp1-pwm", node=f"{rp1}/{pwm_node}")
    dt.cells(f"{rp1}/{pwm_node}/reg", *pwm_reg)
    if status is not None:
        dt.prop(f"{rp1}/{pwm_node}/status", status.encode() + b"\0")
    return dt


@pytest.mark.parametrize("pcie, reg, node", [
    ("pcie@1000120000", (0xC0, 0x40098000, 0, 0x100), "pwm@98000"),       # rp1.dtsi
    ("pcie@120000", (0xC0, 0x40098000, 0, 0x100), "pwm@98000"),           # early firmware
    ("pcie@1000120000", (0x0, 0x40098000, 0, 0x100), "pwm@40098000"),     # rp1-common.dtsi
])
def test_the_kernel_owns_pwm0_when_the_tree_enables_it(tmp_path, regs, pcie, reg, node):
    snap = regs.digest()
    dt = pi5_tree(tmp_path, pcie, reg, node, status="okay")       # dtoverlay=pwm-2chan
    with fastgpio.Chip("rp1", devmem=regs, dt_root=dt) as chip:
        assert chip.info.backend == "devmem"
        assert chip._pwm_find(18)["kernel"] is True
        with pytest.raises(LineBusyError, match=f"pwm-rp1.*rp1/{node}|rp1/{node}.*pwm-rp1") as e:
            chip.pwm(18, frequency=50, duty=0.5, backend="registers")
        assert "/sys/class/pwm" in str(e.value) and "force" in str(e.value)
        assert regs.digest() == snap
        assert chip.pwm(18, frequency=50, duty=0.5, force=True).state.enabled
    dt = pi5_tree(tmp_path, pcie, reg, node, status="disabled")   # stock: PWM0 disabled
    with fastgpio.Chip("rp1", devmem=regs, dt_root=dt) as chip:
        assert chip._pwm_find(18)["kernel"] is False
        assert chip.pwm(18, frequency=50, duty=0.5).backend == "registers"


def test_an_unreadable_pwm_node_counts_as_the_kernels(tmp_path, regs):
    dt = pi5_tree(tmp_path, status="disabled")
    reg = dt.root / "axi/pcie@1000120000/rp1/pwm@98000/reg"
    reg.unlink()
    reg.mkdir()                                  # a reg that cannot be read as a property
    snap = regs.digest()
    with fastgpio.Chip("rp1", devmem=regs, dt_root=dt) as chip:
        with pytest.raises(LineBusyError, match="cannot be read"):
            chip.pwm(18, frequency=50, duty=0.5, backend="registers")
    assert regs.digest() == snap


# -- generated requests -----------------------------------------------------------------

rp1_requests = st.fixed_dictionaries({
    "line": st.sampled_from([12, 13, 14, 15, 18, 19, "GPIO18", "BOARD12", 17, 45, 0, 54, -1]),
    "period_ns": st.one_of(st.integers(1, 400 * 10**9), st.sampled_from([20, 39, 40, 41, 85_899_345_900])),
    "duty": st.sampled_from([0, 0.5, 1, 0.075, 1.5, -0.1, float("nan")]),
    "polarity": st.sampled_from(["normal", "inversed", 0, 1, "up"]),
})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(req=rp1_requests)
def test_generated_requests_are_done_exactly_or_refused_untouched(regfile, no_dt, req):
    regs = regfile(RP1 + 0x100000)
    with fastgpio.Chip("rp1", devmem=regs, dt_root=no_dt) as chip:
        snap = regs.digest()
        period = req["period_ns"]
        try:
            pwm = chip.pwm(req["line"], None, req["duty"], period_ns=period, polarity=req["polarity"])
        except (TypeError, ValueError, NotSupportedError) as e:
            assert regs.digest() == snap, f"refused ({e}) but wrote"
            return
        line = chip.line(req["line"])
        ch, fsel = PINS[line]
        div = expected_div(period)
        ticks = rnd(period * XOSC, div * 10**9)
        assert chan(regs, ch) == [0x101 | (0x8 if polarity_of(req["polarity"]) else 0), ticks - 1,
                                  rnd(round(req["duty"] * period) * XOSC, div * 10**9)]
        assert (regs.peek(CLK_CTRL), regs.peek(CLK_INT)) == (0x840, div)
        assert funcsel(regs, line) == fsel and pwm.state.enabled


def test_a_pwm0_the_kernel_owns_is_driven_through_sysfs(tmp_path, regs):
    from test_pwm import fake_sysfs
    # dtoverlay=pwm-2chan on a Pi 5: pwm-rp1 bound to 1f00098000.pwm; GPIO18 is its channel 2
    dt = pi5_tree(tmp_path, status="okay")
    root = fake_sysfs(tmp_path, "1f00098000.pwm", "pwm@98000", 2)
    with fastgpio.Chip("rp1", devmem=regs, dt_root=dt) as chip:
        pwm = fastgpio._pwm.PWM(chip, 18, 50, 0.075, sysfs_root=str(root))
        ch = root / "pwmchip0" / "pwm2"
        assert pwm.backend == "sysfs"
        assert [(ch / n).read_text() for n in ("period", "duty_cycle", "enable")] == \
            ["20000000", "1500000", "1"]
        assert funcsel(regs, 18) == 3                  # muxed to PWM0 channel 2
        assert [regs.peek(PWM0 + 4 * i) for i in range(0x60 // 4)] == [0] * (0x60 // 4)
        assert (regs.peek(CLK_CTRL), regs.peek(CLK_INT)) == (0, 0)   # the kernel's registers
        pwm.close()
        assert (ch / "enable").read_text() == "0"
