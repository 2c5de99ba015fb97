# SPDX-License-Identifier: MIT
"""The gpiozero pin factory (fastgpio.gpiozero) in register-file mode:
registration through the entry point, gpiozero devices (LED,
DigitalOutputDevice, Button, PWMLED) leaving the exact register words,
functions, pulls and their errors, board info for a Pi and the Tinker Board.
Skipped where gpiozero is not installed (tests/run.sh installs it)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from importlib.metadata import entry_points

import pytest

gpiozero = pytest.importorskip("gpiozero")
from gpiozero import exc as gzexc  # noqa: E402

import fastgpio  # noqa: E402
from fastgpio.gpiozero import FastGPIOFactory  # noqa: E402

G = 0xFE200000  # BCM2711 GPIO block in the Pi 4's physical address space
GPFSEL0, GPSET0, GPCLR0, GPLEV0, PUP_PDN0 = 0x00, 0x1C, 0x28, 0x34, 0xE4


class Pi4:
    def __init__(self, f):
        self.f = f

    def peek(self, off):
        return self.f.peek(G + off)

    def poke(self, off, val):
        self.f.poke(G + off, val)

    def fsel(self, line):
        return (self.peek(GPFSEL0 + 4 * (line // 10)) >> (3 * (line % 10))) & 7

    def pull(self, line):
        return (self.peek(PUP_PDN0 + 4 * (line // 16)) >> (2 * (line % 16))) & 3

    def clear_outputs(self):
        self.poke(GPSET0, 0)
        self.poke(GPCLR0, 0)


@pytest.fixture
def pi4(devtree, regfile):
    f = regfile(G + 0x1000)
    chip = fastgpio.Chip("bcm2711", devmem=f, dt_root=devtree("pi4"))
    factory = FastGPIOFactory(chip=chip, revision=0xB03115)
    gpiozero.Device.pin_factory = factory
    yield factory, Pi4(f)
    gpiozero.Device.pin_factory = None
    factory.close()
    chip.close()


def test_registered_as_entry_point():
    eps = [ep for ep in entry_points(group="gpiozero_pin_factories") if ep.name == "fastgpio"]
    assert len(eps) == 1
    assert eps[0].load() is FastGPIOFactory


def test_selected_by_environment_variable():
    # Off a board, Chip() cannot detect a SoC: gpiozero reaching fastgpio's
    # error shows GPIOZERO_PIN_FACTORY=fastgpio picked this factory.
    code = ("import gpiozero, fastgpio\n"
            "try:\n"
            "    gpiozero.Device._default_pin_factory()\n"
            "except fastgpio.UnsupportedSoCError as e:\n"
            "    print('fastgpio:', type(e).__name__)\n")
    env = dict(os.environ, GPIOZERO_PIN_FACTORY="fastgpio")
    if os.path.exists("/proc/device-tree/compatible"):
        pytest.skip("this machine has a device tree: Chip() might open a real SoC")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "fastgpio: UnsupportedSoCError", out.stderr


def test_import_fastgpio_does_not_need_gpiozero():
    code = ("import sys\nsys.modules['gpiozero'] = None\n"  # any import of gpiozero now fails
            "import fastgpio, fastgpio.RPi.GPIO\n"
            "try:\n    import fastgpio.gpiozero\nexcept ImportError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "fastgpio.gpiozero needs gpiozero >= 2.0: pip install 'fastgpio[gpiozero]'", out.stderr


def test_board_info_pi4(pi4):
    factory, _ = pi4
    info = factory.board_info
    assert (info.model, info.soc, info.revision) == ("4B", "BCM2711", "b03115")
    assert factory.pin("BOARD11") is factory.pin(17) is factory.pin("GPIO17")


def test_led_on_off(pi4):
    factory, regs = pi4
    led = gpiozero.LED(17)
    assert regs.fsel(17) == 1
    regs.clear_outputs()
    led.on()
    assert (regs.peek(GPSET0), regs.peek(GPCLR0)) == (1 << 17, 0)
    led.off()
    assert regs.peek(GPCLR0) == 1 << 17
    regs.poke(GPLEV0, 1 << 17)
    assert led.value == 1 and led.is_lit
    led.close()
    assert regs.fsel(17) == 0  # closing returns the pin to input


def test_led_blink_thread(pi4):
    factory, regs = pi4
    led = gpiozero.LED(17)
    regs.clear_outputs()
    led.blink(on_time=0.001, off_time=0.001, n=3, background=False)
    assert (regs.peek(GPSET0), regs.peek(GPCLR0)) == (1 << 17, 1 << 17)
    led.close()


def test_digital_output_initial_value(pi4):
    factory, regs = pi4
    dev = gpiozero.DigitalOutputDevice(27, initial_value=True)
    assert regs.peek(GPSET0) == 1 << 27 and regs.fsel(27) == 1
    dev.close()
    dev = gpiozero.DigitalOutputDevice(27, active_high=False, initial_value=True)
    assert regs.peek(GPCLR0) == 1 << 27  # active low: "on" drives the line low
    dev.close()


def test_button_pull_up(pi4):
    factory, regs = pi4
    btn = gpiozero.Button(22, pull_up=True)
    assert regs.fsel(22) == 0 and regs.pull(22) == 1  # BCM2711: 1 = up
    assert btn.pin.pull == "up"
    regs.poke(GPLEV0, 1 << 22)
    assert not btn.is_pressed
    regs.poke(GPLEV0, 0)
    assert btn.is_pressed
    btn.close()
    btn = gpiozero.Button(22, pull_up=False)
    assert regs.pull(22) == 2 and btn.pin.pull == "down"
    btn.close()


def test_functions_and_errors(pi4):
    factory, regs = pi4
    pin = factory.pin(14)
    pin.function = "alt0"
    assert regs.fsel(14) == 4 and pin.function == "alt0"
    pin.function = "alt5"
    assert regs.fsel(14) == 2 and pin.function == "alt5"
    before = regs.f.digest()
    with pytest.raises(gzexc.PinInvalidFunction):
        pin.function = "uart"
    with pytest.raises(gzexc.PinFixedPull):
        pin.pull = "up"  # not an input
    pin.function = "input"
    with pytest.raises(gzexc.PinSetInput):
        pin.state = 1
    with pytest.raises(gzexc.PinInvalidPull):
        pin.pull = "sideways"
    with pytest.raises(gzexc.PinFixedPull):
        factory.pin(2).pull = "down"  # GPIO2 has a physical pull-up
    with pytest.raises(gzexc.PinInvalidEdges):
        pin.edges = "up"
    with pytest.raises(gzexc.PinInvalidBounce):
        pin.bounce = -1
    assert regs.fsel(14) == 0
    pin.bounce = 0.01
    pin.edges = "rising"
    assert (pin.bounce, pin.edges) == (0.01, "rising")
    assert regs.f.digest() != before  # the one allowed change: 14 back to input


def test_pwmled_software_pwm(pi4):
    factory, regs = pi4
    led = gpiozero.PWMLED(18, frequency=500)
    regs.clear_outputs()
    led.value = 0.5
    end = time.monotonic() + 20
    while not (regs.peek(GPSET0) == 1 << 18 and regs.peek(GPCLR0) == 1 << 18):
        assert time.monotonic() < end, "the PWM thread made no progress"
        time.sleep(0.001)
    assert led.value == 0.5
    led.close()  # stops the PWM thread (line low) and returns the pin to input
    assert regs.peek(GPCLR0) == 1 << 18 and regs.fsel(18) == 0


def test_pwmled_hardware_pwm_on_pwm_pins(devtree, regfile):
    # a register file that reaches the PWM block and the clock manager
    f = regfile(0xFE000000 + 0x20D000)
    chip = fastgpio.Chip("bcm2711", devmem=f, dt_root=devtree("pi4"))
    factory = FastGPIOFactory(chip=chip, revision=0xB03115)
    gpiozero.Device.pin_factory = factory
    try:
        led = gpiozero.PWMLED(18, frequency=1000)
        assert factory.pin(18).hardware_pwm
        led.value = 0.25
        pwm0 = 0xFE20C000
        assert [f.peek(pwm0 + o) for o in (0, 0x10, 0x14)] == [0x81, 27000, 6750]
        assert (f.peek(0xFE1010A0), f.peek(0xFE1010A4)) == (0x5A000051, 0x5A002000)
        assert led.value == 0.25
        other = gpiozero.PWMLED(12, frequency=1000)   # channel 0 again: software PWM
        assert not factory.pin(12).hardware_pwm
        soft = gpiozero.PWMLED(17, frequency=1000)    # no PWM output: software PWM
        assert not factory.pin(17).hardware_pwm
        other.close()
        soft.close()
        led.close()                                   # stopped, the line an input again
        assert f.peek(pwm0) == 0x80
        assert chip.get_function(18) == fastgpio.Function.IN
        led = gpiozero.PWMLED(12, frequency=50)       # the channel is free again
        assert factory.pin(12).hardware_pwm
        led.close()
    finally:
        gpiozero.Device.pin_factory = None
        factory.close()
    # hardware_pwm=False: software PWM on a PWM pin too
    factory = FastGPIOFactory(chip=chip, revision=0xB03115, hardware_pwm=False)
    gpiozero.Device.pin_factory = factory
    try:
        led = gpiozero.PWMLED(18, frequency=1000)
        assert not factory.pin(18).hardware_pwm
        led.close()
    finally:
        gpiozero.Device.pin_factory = None
        factory.close()
        chip.close()


def test_tinker_board_info_and_led(devtree, regfile):
    f = regfile(0xFF800000)
    with fastgpio.Chip(dt_root=devtree("tinker"), devmem=f) as chip:
        factory = FastGPIOFactory(chip=chip)
        try:
            info = factory.board_info
            assert info.model == "ASUS Tinker Board / Tinker Board S" and info.soc == "RK3288"
            pin = factory.pin("BOARD10")
            assert pin.info.name == "GPIO160" and pin is factory.pin("PIN10") is factory.pin(160)
            led = gpiozero.LED("BOARD10", pin_factory=factory)
            led.on()
            assert f.peek(0xFF7C0000) == 1 << 8 and f.peek(0xFF7C0004) == 1 << 8  # GPIO5 DR, DDR
            led.close()
            with pytest.raises(gzexc.PinInvalidPin):
                factory.pin("BOARD2")  # 5 V
        finally:
            factory.close()


def test_when_changed_edges_and_ticks(pi4):
    # A register file has no kernel events behind it: the factory falls back
    # to polling the level register, which the test drives.
    factory, regs = pi4
    pin = factory.pin(23)
    pin.function = "input"
    pin.edges = "falling"
    got = []
    t0 = factory.ticks()

    def changed(ticks, state):  # the pin keeps only a weak reference
        got.append((ticks, state))

    pin.when_changed = changed
    regs.poke(GPLEV0, 1 << 23)  # rising: not reported
    _wait_for(lambda: pin.state == 1)
    time.sleep(0.01)
    regs.poke(GPLEV0, 0)        # falling
    _wait_for(lambda: got)
    time.sleep(0.01)
    assert [s for _, s in got] == [0]
    assert factory.ticks_diff(got[0][0], t0) >= 0 and factory.ticks_diff(factory.ticks(), got[0][0]) >= 0
    pin.when_changed = None
    regs.poke(GPLEV0, 1 << 23)
    regs.poke(GPLEV0, 0)
    assert len(got) == 1


def test_button_when_pressed(pi4):
    factory, regs = pi4
    regs.poke(GPLEV0, 1 << 22)  # released (pulled up)
    btn = gpiozero.Button(22, pull_up=True, bounce_time=None)
    presses = []
    btn.when_pressed = lambda: presses.append(1)
    regs.poke(GPLEV0, 0)
    _wait_for(lambda: presses)
    btn.close()


def _wait_for(cond, limit=20.0):
    end = time.monotonic() + limit
    while not cond():
        assert time.monotonic() < end, "no progress"
        time.sleep(0.001)


def test_when_changed_on_kernel_events(regfile, no_dt):
    from helpers import ScriptedChip
    chip = ScriptedChip("bcm2837", dt_root=no_dt, gpiomem=regfile(0x1000))
    factory = FastGPIOFactory(chip=chip, revision=0xA02082)
    try:
        assert factory.board_info.model == "3B"
        pin = factory.pin(17)
        pin.edges = "rising"
        pin.bounce = 0.1
        got = []

        def changed(ticks, state):
            got.append((ticks, state))

        pin.when_changed = changed
        assert chip.calls[-1] == ("watch", 17, int(fastgpio.Edge.RISING), 0)
        for ts in (2_000_000_000, 2_050_000_000, 2_150_000_000):  # the second within the 0.1 s bounce
            chip.queue(17, int(fastgpio.Edge.RISING), ts)
        chip.queue(17, int(fastgpio.Edge.FALLING), 9_000_000_000)  # the kernel would not send it; marker
        _wait_for(lambda: len(got) == 3)
        assert got == [(2.0, 1), (2.15, 1), (9.0, 0)]  # ticks: the kernel's timestamps in seconds
        pin.edges = "falling"  # re-watches with the new edge
        assert chip.calls[-1] == ("watch", 17, int(fastgpio.Edge.FALLING), 0)
        pin.when_changed = None
        assert chip.calls[-1][:2] == ("unwatch", 17)
    finally:
        factory.close()
        chip.close()


def test_state_is_a_level_not_a_truth(pi4):
    """state = "0" (or NaN, [0], -1) used to drive the line high: the factory
    takes a bool or an int 0/1 (numpy integers too), like fastgpio's Pin."""
    import math
    np = pytest.importorskip("numpy")
    factory, regs = pi4
    pin = factory.pin(17)
    pin.function = "output"
    regs.clear_outputs()
    before = regs.f.digest()
    for bad, exc in (("0", TypeError), ("1", TypeError), (math.nan, TypeError), (0.0, TypeError),
                     ([0], TypeError), (None, TypeError), (-1, gzexc.PinInvalidState),
                     (2, gzexc.PinInvalidState), (np.int64(2), gzexc.PinInvalidState)):
        with pytest.raises(exc):
            pin.state = bad
        with pytest.raises(exc):
            pin.output_with_state(bad)
    assert issubclass(gzexc.PinInvalidState, ValueError)
    assert regs.f.digest() == before
    for good, high in ((True, 1), (0, 0), (np.int64(1), 1), (np.uint8(0), 0)):
        regs.clear_outputs()
        pin.state = good
        assert (regs.peek(GPSET0), regs.peek(GPCLR0)) == ((1 << 17, 0) if high else (0, 1 << 17))
    pin.close()
    inp = factory.pin(22)  # an input: output_with_state refuses before it changes the function
    before = regs.f.digest()
    with pytest.raises(TypeError):
        inp.output_with_state("1")
    assert regs.fsel(22) == 0 and regs.f.digest() == before


def test_pwm_frequency_and_value_must_be_finite(pi4):
    import math
    factory, regs = pi4
    pin = factory.pin(18)
    pin.function = "output"
    regs.clear_outputs()
    before = regs.f.digest()
    for bad in (math.nan, math.inf, -math.inf, 10**400, -1):
        with pytest.raises(gzexc.PinInvalidState):
            pin.frequency = bad
        assert pin.frequency is None  # no PWM thread started
    for bad in ("100", b"1", [100], object()):
        with pytest.raises(TypeError):
            pin.frequency = bad
    assert regs.f.digest() == before
    pin.frequency = 100
    for bad in (math.nan, math.inf):
        with pytest.raises(gzexc.PinInvalidState):
            pin.frequency = bad
        with pytest.raises(gzexc.PinInvalidState):
            pin.state = bad  # the duty cycle
    with pytest.raises(TypeError):
        pin.state = "0.5"
    assert pin.frequency == 100.0 and pin.state == 0.0
    pin.frequency = None
    pin.close()

