# SPDX-License-Identifier: MIT
"""Hardware PWM in register-file mode: the exact words of the PWM block, the
PWM clock and the pin's function select for each BCM SoC, the refusals
(every one leaves the file byte-identical), the kernel's ownership, the
shared clock, and the /sys/class/pwm route against a directory standing in
for sysfs.

The expected words are computed here from the documented rules (kernel's
pwm-bcm2835: ticks = ns * rate / 1e9 rounded to the nearest, mark-space mode
0x80, enable bit 0, polarity bit 4, channel byte 8*ch; clock manager:
password 0x5a in bits 24-31, source 1 = oscillator, ENABLE|GATE 0x50,
integer divisor in bits 12-23), not taken from the library."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fastgpio
from fastgpio import LineBusyError, NotSupportedError
from fastgpio._pwm import polarity_of
from helpers import LAYOUTS

# soc -> (peripheral base, oscillator Hz, PWM block offsets)
SOCS = {
    "bcm2835": (0x20000000, 19_200_000, (0x20C000,)),
    "bcm2836": (0x3F000000, 19_200_000, (0x20C000,)),
    "bcm2837": (0x3F000000, 19_200_000, (0x20C000,)),
    "bcm2711": (0xFE000000, 54_000_000, (0x20C000, 0x20C800)),
}
# line -> (block, channel, ALT number); BCM2711's GPIO40/41 are its PWM1 block
PINS = {12: (0, 0, 0), 13: (0, 1, 0), 18: (0, 0, 5), 19: (0, 1, 5), 40: (0, 0, 0), 41: (0, 1, 0),
        45: (0, 1, 0)}
PINS_2711 = {**PINS, 40: (1, 0, 0), 41: (1, 1, 0), 52: (0, 0, 1), 53: (0, 1, 1)}
FSEL_CODE = {0: 4, 1: 5, 2: 6, 3: 7, 4: 3, 5: 2}   # ALTn -> 3-bit code (BCM2835_FSEL_*)
CM_PWMCTL, CM_PWMDIV = 0x1010A0, 0x1010A4


def pins_of(soc):
    return PINS_2711 if soc == "bcm2711" else PINS


def rnd(n, d):
    return (n + d // 2) // d        # DIV_ROUND_CLOSEST


def expected_div(osc, period_ns):
    for div in range(2, 4096):
        if rnd(period_ns * osc, div * 10**9) <= 0xFFFFFFFF:
            return div
    raise AssertionError


@pytest.fixture(params=sorted(SOCS))
def soc(request):
    return request.param


@pytest.fixture
def regs(soc, regfile):
    base, _, blocks = SOCS[soc]
    return regfile(base + 0x20D000)


@pytest.fixture
def chip(soc, regs, no_dt):
    with fastgpio.Chip(soc, devmem=regs, dt_root=no_dt) as c:
        yield c


def words(regs, soc, block):
    base, _, blocks = SOCS[soc]
    b = base + blocks[block]
    return [regs.peek(b + o) for o in (0x00, 0x10, 0x14, 0x20, 0x24)]


CASES = [  # (period_ns, duty_ns, polarity)
    (20_000_000, 1_500_000, "normal"),      # a servo at 50 Hz, 1.5 ms
    (1_000_000, 250_000, "inversed"),       # 1 kHz, 25 %, inverted
    (26_316, 8_772, "normal"),              # an IR carrier near 38 kHz, a third
    (1_000, 0, "normal"),                   # 1 MHz, always off
    (500, 500, "inversed"),                 # 2 MHz, always on (inverted: always low)
    (300_000_000_000, 1_000_000_000, "normal"),  # the longest period: a larger divisor on BCM2711
]


@pytest.mark.parametrize("period,duty,pol", CASES)
@pytest.mark.parametrize("line", [18, 13, 41])
def test_exact_words(chip, regs, soc, line, period, duty, pol):
    base, osc, _ = SOCS[soc]
    block, ch, alt = pins_of(soc)[line]
    div = expected_div(osc, period)
    pwm = chip.pwm(line, period_ns=period, duty_ns=duty, polarity=pol)
    ctl, rng0, dat0, rng1, dat1 = words(regs, soc, block)
    byte = 0x80 | (0x10 if pol == "inversed" else 0) | 0x01
    assert ctl == byte << (8 * ch)
    rng, dat = (rng0, dat0) if ch == 0 else (rng1, dat1)
    other = (rng1, dat1) if ch == 0 else (rng0, dat0)
    assert other == (0, 0)
    assert rng == rnd(period * osc, div * 10**9)
    assert dat == rnd(duty * osc, div * 10**9)
    assert regs.peek(base + CM_PWMCTL) == 0x5A000051
    assert regs.peek(base + CM_PWMDIV) == 0x5A000000 | div << 12
    fsel = regs.peek(base + 0x200000 + 4 * (line // 10))
    assert (fsel >> (3 * (line % 10))) & 7 == FSEL_CODE[alt]
    s = pwm.state
    assert (s.period_ticks, s.duty_ticks, s.divisor, s.source) == (rng, dat, div << 12, "oscillator")
    assert s.enabled and s.muxed and s.polarity == pol
    # the achieved times, exactly: ticks * div / osc, to the nearest ns
    assert s.period_ns == rnd(rng * div * 10**9, osc)
    assert abs(s.period_ns - period) <= rnd(div * 10**9, 2 * osc) + 1
    assert s.frequency == pytest.approx(osc / div / rng)


def test_disable_keeps_settings_and_close_restores_the_function(chip, regs, soc):
    base, osc, _ = SOCS[soc]
    chip.set_function(18, "out")
    with chip.pwm(18, frequency=1000, duty=0.5) as pwm:
        assert chip.get_function(18) == fastgpio.Function.ALT5
        pwm.disable()
        ctl, rng, dat, _, _ = words(regs, soc, 0)
        assert ctl == 0x80 and dat * 2 == rng       # mark-space kept, enable cleared
        assert not pwm.enabled
        pwm.enable()
        assert words(regs, soc, 0)[0] == 0x81
        pwm.duty = 0.25                              # keeps the period
        assert words(regs, soc, 0)[2] * 4 == rng
        pwm.frequency = 2000                          # keeps the duty fraction
        assert words(regs, soc, 0)[1:3] == [rng // 2, rng // 8]
    assert words(regs, soc, 0)[0] == 0x80
    assert chip.get_function(18) == fastgpio.Function.OUT
    with pytest.raises(ValueError, match="closed PWM"):
        pwm.duty


def test_two_channels_share_the_clock(chip, regs, soc):
    base, osc, _ = SOCS[soc]
    a = chip.pwm(12, frequency=50, duty=0.1)
    before = (regs.peek(base + CM_PWMCTL), regs.peek(base + CM_PWMDIV))
    b = chip.pwm(13, frequency=1000, duty=0.5)       # fits the running clock: clock untouched
    assert (regs.peek(base + CM_PWMCTL), regs.peek(base + CM_PWMDIV)) == before
    assert words(regs, soc, 0)[0] == 0x8181
    assert b.state.period_ticks == osc // 2 // 1000
    if soc == "bcm2711":
        # 300 s needs divisor 4 at 54 MHz, which the running channel's clock does not have
        snap = regs.digest()
        with pytest.raises(ValueError, match="another running channel"):
            b.set(period_ns=300_000_000_000)
        assert regs.digest() == snap
    a.close()
    b.close()


def test_a_running_clock_of_unknown_rate_is_not_changed(chip, regs, soc):
    base, _, blocks = SOCS[soc]
    regs.poke(base + CM_PWMCTL, 0x16)                  # PLLD, enabled: set by someone else
    regs.poke(base + CM_PWMDIV, 50 << 12)
    regs.poke(base + blocks[0], 0x81)                 # channel 0 runs on it
    snap = regs.digest()
    with pytest.raises(LineBusyError, match="plld_per"):
        chip.pwm(13, frequency=1000, duty=0.5)
    assert regs.digest() == snap
    s = chip.pwm(12).state                           # reading it is fine
    assert (s.source, s.source_hz, s.period_ns, s.enabled) == ("plld_per", 0, 0, True)
    assert regs.digest() == snap


def test_a_clock_that_stays_busy_fails_with_eio(chip, regs, soc):
    base, _, _ = SOCS[soc]
    regs.poke(base + CM_PWMCTL, 0x91)                 # enabled and BUSY, another divisor
    regs.poke(base + CM_PWMDIV, 7 << 12)
    with pytest.raises(OSError, match="BUSY") as e:
        chip.pwm(18, frequency=50, duty=0.5)
    assert e.value.errno == 5
    assert regs.peek(base + CM_PWMDIV) == 7 << 12     # the divisor was not changed


def test_the_kernel_owns_an_enabled_block(regfile, devtree):
    dt = devtree("pi3")
    dt.compatible("brcm,bcm2835-pwm", node="soc/pwm@7e20c000")
    regs = regfile(0x3F20D000)
    snap = regs.digest()
    with fastgpio.Chip("bcm2837", devmem=regs, dt_root=dt) as chip:
        assert chip._pwm_find(18)["kernel"] is True
        with pytest.raises(LineBusyError, match="bcm2835-pwm") as e:
            chip.pwm(18, frequency=50, duty=0.5, backend="registers")
        assert "/sys/class/pwm" in str(e.value) and "force" in str(e.value)
        with pytest.raises(LineBusyError):      # auto: no sysfs channel to fall back on
            chip.pwm(18, frequency=50, duty=0.5)
        assert regs.digest() == snap
        pwm = chip.pwm(18, frequency=50, duty=0.5, force=True)
        assert pwm.backend == "registers" and pwm.state.enabled
    dt.prop("soc/pwm@7e20c000/status", b"disabled\0")
    with fastgpio.Chip("bcm2837", devmem=regs, dt_root=dt) as chip:
        assert chip._pwm_find(18)["kernel"] is False
        assert chip.pwm(18, frequency=50, duty=0.5).backend == "registers"


def fake_sysfs(tmp_path: Path, devname: str, node: str, channel: int) -> Path:
    root = tmp_path / "sys-class-pwm"
    dev = tmp_path / "devices" / devname
    (dev / "of_node").parent.mkdir(parents=True)
    (tmp_path / "dt" / node).mkdir(parents=True)
    os.symlink(tmp_path / "dt" / node, dev / "of_node")
    chipdir = root / "pwmchip0"
    chipdir.mkdir(parents=True)
    os.symlink(dev, chipdir / "device")
    (chipdir / "export").write_text("")
    (chipdir / "npwm").write_text("2\n")
    ch = chipdir / f"pwm{channel}"
    ch.mkdir()
    for name, v in (("period", "0"), ("duty_cycle", "0"), ("enable", "0"), ("polarity", "normal")):
        (ch / name).write_text(v + "\n")
    return root


def test_sysfs_route_for_a_gpiomem_chip(tmp_path, regfile, no_dt):
    regs = regfile(0x1000)
    root = fake_sysfs(tmp_path, "3f20c000.pwm", "pwm@7e20c000", 1)
    with fastgpio.Chip("bcm2837", gpiomem=regs, dt_root=no_dt) as chip:
        with pytest.raises(NotSupportedError, match="devmem"):
            chip.pwm(19, frequency=50, duty=0.5, backend="registers")
        pwm = fastgpio._pwm.PWM(chip, 19, 50, 0.075, sysfs_root=str(root))
        ch = root / "pwmchip0" / "pwm1"
        assert pwm.backend == "sysfs"
        assert [(ch / n).read_text() for n in ("period", "duty_cycle", "enable")] == \
            ["20000000", "1500000", "1"]
        assert chip.get_function(19) == fastgpio.Function.ALT5
        assert (pwm.period_ns, pwm.duty_ns, pwm.duty) == (20_000_000, 1_500_000, 0.075)
        pwm.set(polarity="inversed")
        assert (ch / "polarity").read_text() == "inversed"
        pwm.close()
        assert (ch / "enable").read_text() == "0"
        assert chip.get_function(19) == fastgpio.Function.IN


@pytest.mark.parametrize("soc", ["am335x", "rk3288", "rk3399"])
def test_other_socs_say_what_they_have(regfile, no_dt, soc):
    backend, size = LAYOUTS[soc][:2] if soc in LAYOUTS else ("devmem", 0xFF791000)
    regs = regfile(size)
    with fastgpio.Chip(soc, dt_root=no_dt, **{backend: regs}) as chip:
        snap = regs.digest()          # after open (AM335x/RK enable bank clocks at open)
        with pytest.raises(NotSupportedError, match="/sys/class/pwm"):
            chip.pwm(18, frequency=50, duty=0.5)
        assert regs.digest() == snap


# -- generated bad inputs ---------------------------------------------------------

try:
    import numpy as np
    numpy_values = st.sampled_from([np.float64(50.0), np.float32("nan"), np.int64(20_000_000),
                                    np.uint8(3), np.bool_(True), np.array([50.0])])
except ImportError:  # pragma: no cover - numpy is a test dependency
    numpy_values = st.nothing()

anything = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
                     st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
                     st.binary(max_size=4), st.lists(st.integers(), max_size=2), numpy_values)


# Arguments drawn three ways: all plausible (most calls are done: their words
# are checked), the same with the period in nanoseconds, and anything at all
# (mostly refusals, which must leave the register file as it was).
_plausible = dict(line=st.sampled_from([12, 13, 18, 19, 40, 41, 45, 52, 53, "GPIO18", "BOARD12"]),
                  duty=st.sampled_from([None, 0, 0.5, 1, 0.075]),
                  polarity=st.sampled_from(["normal", "inversed", " Inverted ", 0, 1]),
                  force=st.booleans(), backend=st.sampled_from(["auto", "registers"]))
pwm_requests = st.one_of(
    st.fixed_dictionaries({**_plausible, "frequency": st.sampled_from([50, 1000.0, 38_000, 0.5, 4e6]),
                           "period_ns": st.none(), "duty_ns": st.none()}),
    st.fixed_dictionaries({**_plausible, "frequency": st.none(), "duty": st.none(),
                           "period_ns": st.integers(1, 400 * 10**9),
                           "duty_ns": st.one_of(st.none(), st.integers(0, 10**9))}),
    st.fixed_dictionaries({
        "line": st.one_of(st.sampled_from([18, 19, 13, 17, 0, 53, 54, -1, "GPIO18", "BOARD12", "BOARD11"]),
                          anything),
        "frequency": st.one_of(st.sampled_from([None, 50, 1000.0, 38_000, 0.01, 4e6]), anything),
        "duty": st.one_of(st.sampled_from([None, 0, 0.5, 1, 0.075]), anything),
        "period_ns": st.one_of(st.none(), st.none(), anything), "duty_ns": st.one_of(st.none(), anything),
        "polarity": st.one_of(st.sampled_from(["normal", "inversed", " Inverted ", "up", 2]), anything),
        "force": st.one_of(st.booleans(), anything),
        "backend": st.sampled_from(["auto", "registers", "kernel", 3])}))


@pytest.mark.parametrize("gsoc", ["bcm2837", "bcm2711"])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(req=pwm_requests)
def test_generated_requests_are_done_exactly_or_refused_untouched(regfile, no_dt, gsoc, req):
    base, osc, blocks = SOCS[gsoc]
    regs = regfile(base + max(blocks) + 0x1000)
    with fastgpio.Chip(gsoc, devmem=regs, dt_root=no_dt) as chip:
        snap = regs.digest()
        try:
            pwm = chip.pwm(req["line"], req["frequency"], req["duty"], period_ns=req["period_ns"],
                           duty_ns=req["duty_ns"], polarity=req["polarity"], force=req["force"],
                           backend=req["backend"])
        except (TypeError, ValueError, NotSupportedError) as e:
            assert regs.digest() == snap, f"refused ({e}) but wrote"
            return
        frequency, period_ns = req["frequency"], req["period_ns"]
        if frequency is None and period_ns is None and req["duty"] is None and req["duty_ns"] is None:
            assert regs.digest() == snap           # only looked
            return
        s = pwm.state
        want_p = round(1e9 / float(frequency)) if frequency is not None else int(period_ns)
        ticks = rnd(want_p * osc, expected_div(osc, want_p) * 10**9)
        assert s.period_ticks == ticks and s.enabled and s.muxed
        assert s.duty_ticks <= s.period_ticks
        assert (s.polarity == "inversed") == (polarity_of(req["polarity"]) == 1)


# -- the CLI ------------------------------------------------------------------------

def test_cli_starts_shows_and_stops_and_leaves_it_so(regfile, no_dt, capsys):
    from fastgpio.__main__ import main
    regs = regfile(0xFE20D000)
    opts = ["--soc", "bcm2711", "--devmem", str(regs), "--dt-root", no_dt, "pwm"]
    assert main(opts + ["GPIO18", "50", "7.5%"]) == 0
    out = capsys.readouterr().out
    assert "50 Hz (period 20000000 ns), duty 0.075 (1500000 ns), normal, running" in out
    # the process has exited (the chip closed): the channel still runs
    assert [regs.peek(0xFE20C000 + o) for o in (0, 0x10, 0x14)] == [0x81, 540000, 40500]
    assert main(opts + ["18"]) == 0
    assert "running" in capsys.readouterr().out
    assert main(opts + ["18", "--off"]) == 0
    assert "stopped" in capsys.readouterr().out
    assert regs.peek(0xFE20C000) == 0x80
    assert main(opts + ["19", "1000", "0.5", "--polarity", "inversed"]) == 0
    assert regs.peek(0xFE20C000) == 0x80 | 0x9100
    capsys.readouterr()
    snap = regs.digest()
    assert main(opts + ["18", "1e9", "0.5"]) == 2       # beyond the clock: refused, untouched
    assert "does not fit the PWM clock" in capsys.readouterr().err   # GPIO19 runs on it
    assert regs.digest() == snap
