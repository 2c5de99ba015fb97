# SPDX-License-Identifier: MIT
"""fastgpio.RPi.GPIO in the emulated Pi: one RPi.GPIO script run with Debian's real
RPi.GPIO 0.7.1 and with fastgpio.RPi.GPIO, each in its own process from the
same register state, must print the same lines, including GPFSEL/GPLEV (and
on the BCM2711 the pull registers) read at checkpoints through an
independent /dev/mem mapping. Then gpiozero's LED, DigitalOutputDevice and
Button run with GPIOZERO_PIN_FACTORY=fastgpio, checked in the registers.

The rig unpacks python3-rpi.gpio under /opt/rpi-gpio and the gpiozero and
colorzero wheels under /opt/gpiozero (tests/vpi/run.sh); QEMU raises no edge
interrupts, so events are exercised up to "nothing detected" / timeouts."""
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.vpi

RPI_GPIO = "/opt/rpi-gpio"
GPIOZERO = "/opt/gpiozero"

# The script both libraries run. It reads registers itself through its own
# /dev/mem mapping (neither library's), and prints every result and error.
SCRIPT = r'''
import mmap, os, struct, sys, time, warnings
if sys.argv[1] == "real":
    import RPi.GPIO as GPIO
else:
    import fastgpio.RPi.GPIO as GPIO
BASE = int(sys.argv[2], 0) + 0x200000
fd = os.open("/dev/mem", os.O_RDWR | os.O_SYNC)
m = mmap.mmap(fd, 4096, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE, offset=BASE)
os.close(fd)
word = lambda off: struct.unpack_from("<I", m, off)[0]
PULLS = sys.argv[3] == "bcm2711"

def regs(tag):
    fsel = " ".join("%08x" % word(4 * i) for i in range(6))
    lev = " ".join("%08x" % word(0x34 + 4 * i) for i in range(2))
    print(tag, "GPFSEL", fsel, "GPLEV", lev)
    if PULLS:
        print(tag, "PULL", " ".join("%08x" % word(0xE4 + 4 * i) for i in range(4)))

def attempt(what, f, *a, **k):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            r = f(*a, **k)
            out = repr(r)
        except Exception as e:
            out = "%s: %s" % (type(e).__name__, e)
    for x in w:
        print(what, "warning", x.category.__name__, str(x.message))
    print(what, "->", out)

print("info VERSION", GPIO.VERSION)  # Debian's says 0.7.1a4 (its package is 0.7.1~a4)
try:
    print("info sysfs", sorted(os.listdir("/sys/class/gpio")),
          [open("/sys/class/gpio/%s/base" % c).read().strip() for c in os.listdir("/sys/class/gpio") if c.startswith("gpiochip")])
except OSError as e:
    print("info sysfs", e)
print("RPI_INFO", sorted(GPIO.RPI_INFO.items()))
print("RPI_REVISION", GPIO.RPI_REVISION)
print("constants", [GPIO.BOARD, GPIO.BCM, GPIO.OUT, GPIO.IN, GPIO.HIGH, GPIO.LOW, GPIO.PUD_OFF,
                    GPIO.PUD_DOWN, GPIO.PUD_UP, GPIO.RISING, GPIO.FALLING, GPIO.BOTH, GPIO.SERIAL,
                    GPIO.SPI, GPIO.I2C, GPIO.HARD_PWM, GPIO.UNKNOWN])
attempt("getmode", GPIO.getmode)
attempt("setup-before-mode", GPIO.setup, 17, GPIO.OUT)
attempt("setmode", GPIO.setmode, GPIO.BCM)
attempt("setmode-other", GPIO.setmode, GPIO.BOARD)
attempt("setup-out-high", GPIO.setup, 17, GPIO.OUT, initial=GPIO.HIGH)
attempt("input-17", GPIO.input, 17)
attempt("setup-list", GPIO.setup, [22, 23], GPIO.OUT, initial=GPIO.LOW)
attempt("output-list", GPIO.output, [22, 23], [1, 0])
regs("after-outputs")
attempt("output-one", GPIO.output, 22, 0)
attempt("output-tuple", GPIO.output, (22, 23), (0, 1))
attempt("inputs-22-23", lambda: (GPIO.input(22), GPIO.input(23)))
attempt("setup-in-up", GPIO.setup, 27, GPIO.IN, pull_up_down=GPIO.PUD_UP)
attempt("setup-in-down", GPIO.setup, 24, GPIO.IN, pull_up_down=GPIO.PUD_DOWN)
attempt("setup-in-tuple", GPIO.setup, (5, 6), GPIO.IN)
attempt("input-27", GPIO.input, 27)
regs("after-inputs")
for ch in (17, 27, 14, 15, 2, 18, 40):
    attempt("gpio_function-%d" % ch, GPIO.gpio_function, ch)
attempt("bad-channel", GPIO.setup, 54, GPIO.OUT)
attempt("bad-direction", GPIO.setup, 17, 7)
attempt("pud-on-output", GPIO.setup, 17, GPIO.OUT, pull_up_down=GPIO.PUD_UP)
attempt("output-to-input", GPIO.output, 27, 1)
attempt("input-not-setup", GPIO.input, 26)
attempt("count-mismatch", GPIO.output, [22, 23], [1])
attempt("pwm-on-input", GPIO.PWM, 27, 100)
attempt("setup-pwm-pin", GPIO.setup, 18, GPIO.OUT)
p = GPIO.PWM(18, 200)
attempt("pwm-twice", GPIO.PWM, 18, 100)
attempt("pwm-bad-duty", p.start, 101)
attempt("pwm-start", p.start, 50)
seen = set()
end = time.monotonic() + 30
while len(seen) < 2 and time.monotonic() < end:  # the thread toggles the line
    seen.add((word(0x34) >> 18) & 1)
print("pwm levels seen", sorted(seen))
attempt("pwm-duty", p.ChangeDutyCycle, 100)
attempt("pwm-freq", p.ChangeFrequency, 100)
attempt("pwm-bad-freq", p.ChangeFrequency, 0)
time.sleep(0.1)
attempt("pwm-stop", p.stop)
end = time.monotonic() + 10     # RPi.GPIO's thread drives the line low after stop() returns
while (word(0x34) >> 18) & 1 and time.monotonic() < end:
    time.sleep(0.01)
attempt("input-18-after-stop", GPIO.input, 18)
regs("after-pwm")
attempt("event-not-input", GPIO.add_event_detect, 17, GPIO.RISING)
attempt("event-bad-bounce", GPIO.add_event_detect, 24, GPIO.RISING, bouncetime=0)
attempt("event-add", GPIO.add_event_detect, 24, GPIO.RISING, bouncetime=50)
attempt("event-conflict", GPIO.add_event_detect, 24, GPIO.FALLING)
attempt("event-detected", GPIO.event_detected, 24)
attempt("event-remove", GPIO.remove_event_detect, 24)
attempt("event-wait-timeout", GPIO.wait_for_edge, 24, GPIO.FALLING, timeout=200)
attempt("event-wait-bad-timeout", GPIO.wait_for_edge, 24, GPIO.FALLING, timeout=0)
attempt("cleanup-some", GPIO.cleanup, [22, 23])
regs("after-cleanup-some")
attempt("cleanup", GPIO.cleanup)
attempt("getmode-after", GPIO.getmode)
attempt("cleanup-again", GPIO.cleanup)
regs("after-cleanup")
'''

LINES = (2, 5, 6, 14, 15, 17, 18, 22, 23, 24, 27)


@pytest.fixture
def pristine(regs, expected):
    """Puts the lines the script uses back as the machine booted (functions,
    BCM2711 pulls, output latches low) before each run, and after."""
    fsel = [regs.read(4 * i) for i in range(6)]
    pulls = [regs.read(0xE4 + 4 * i) for i in range(4)]

    def restore():
        for i, w in enumerate(fsel):
            regs.write(4 * i, w)
        mask = sum(1 << n for n in LINES)
        regs.write(0x28, mask)  # GPCLR0
        if expected[0] == "bcm2711":
            for i, w in enumerate(pulls):
                regs.write(0xE4 + 4 * i, w)
    restore()
    yield restore
    restore()


def run_python(code, args, env_extra):
    """stdout lines of ``python3 -c code *args`` with @env_extra added to the environment."""
    env = dict(os.environ, **env_extra)
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                       timeout=300, env=env)
    assert r.returncode == 0, r.stderr + "\nstdout, last lines:\n" + "\n".join(r.stdout.splitlines()[-15:])
    return r.stdout.splitlines()


def run_script(which, expected, env_extra):
    return run_python(SCRIPT, [which, hex(expected[1]), expected[0]], env_extra)


def gpfsel_and_gplev(regs):
    """GPFSEL0-5, GPLEV0-1: the words both libraries must leave alike."""
    return [regs.read(4 * i) for i in range(6)] + [regs.read(0x34), regs.read(0x38)]


@pytest.fixture
def have_rpi_gpio():
    if not os.path.isdir(os.path.join(RPI_GPIO, "RPi")):
        pytest.skip("Debian's python3-rpi.gpio is not in this initramfs (tests/vpi/run.sh adds it)")
    # RPi.GPIO maps /dev/mem with MAP_SHARED | MAP_FIXED at an address of its
    # heap. QEMU's ARM1176 (raspi0) reports a data cache with the page-colouring
    # restriction (the P bit of its cache type register; the Pi Zero's own core
    # has none), so the kernel takes the cache as VIPT aliasing and refuses such
    # a mapping unless it is SHMLBA-aligned (arch/arm/mm/mmap.c): RPi.GPIO's
    # setup() fails there with "Mmap of GPIO registers failed".
    log = subprocess.run(["dmesg"], capture_output=True, text=True).stdout
    if "VIPT aliasing data cache" in log:
        pytest.skip("the emulated CPU reports an aliasing VIPT data cache, where RPi.GPIO's "
                    "MAP_FIXED mapping of /dev/mem is refused: RPi.GPIO cannot run here")


def compared(lines):
    """The lines both libraries must print alike: all but information and
    edge detection (RPi.GPIO 0.7.1 goes through sysfs, which may not work
    where fastgpio's character-device events do)."""
    return [x for x in lines if not x.startswith(("info ", "event-"))]


def test_same_script_same_output_and_registers(have_rpi_gpio, pristine, expected, regs):
    real = run_script("real", expected, {"PYTHONPATH": RPI_GPIO})
    after_real = gpfsel_and_gplev(regs)
    pristine()
    ours = run_script("fastgpio", expected, {})
    after_ours = gpfsel_and_gplev(regs)
    print("\n".join("real: " + x for x in real if x.startswith(("info ", "event-"))))
    assert compared(ours) == compared(real), "\n".join(
        f"{'=' if a == b else '!'} real: {a}\n  ours: {b}" for a, b in zip(compared(real), compared(ours)))
    assert after_ours == after_real
    out = dict(line.split(" -> ", 1) for line in real if " -> " in line)
    # The script did what it says (not two libraries failing alike).
    assert out["input-17"] == "1" and out["inputs-22-23"] == "(0, 1)"
    assert out["setup-before-mode"].startswith("RuntimeError: Please set pin numbering mode")
    assert out["gpio_function-17"] == "0" and out["gpio_function-27"] == "1"
    assert out["input-18-after-stop"] == "0"
    assert "pwm levels seen [0, 1]" in real
    assert regs.fsel(17) == 0 and regs.fsel(22) == 0  # cleaned up
    # Edge detection: where RPi.GPIO's agrees, identical; ours as RPi.GPIO documents it
    # (QEMU raises no edge interrupts, so nothing is detected).
    ev = [x for x in ours if x.startswith("event-")]
    assert ev == [
        "event-not-input -> RuntimeError: You must setup() the GPIO channel as an input first",
        "event-bad-bounce -> ValueError: Bouncetime must be greater than 0",
        "event-add -> None",
        "event-conflict -> RuntimeError: Conflicting edge detection already enabled for this GPIO channel",
        "event-detected -> False",
        "event-remove -> None",
        "event-wait-timeout -> None",
        "event-wait-bad-timeout -> ValueError: Timeout must be greater than 0",
    ]
    real_ev = [x for x in real if x.startswith("event-")]
    if "Failed to add edge detection" not in " ".join(real_ev):
        assert real_ev == ev


def run_gpiozero(code, expected):
    return run_python(code, [hex(expected[1])], {"PYTHONPATH": GPIOZERO, "GPIOZERO_PIN_FACTORY": "fastgpio"})


@pytest.fixture
def have_gpiozero():
    if not os.path.isdir(os.path.join(GPIOZERO, "gpiozero")):
        pytest.skip("gpiozero is not in this initramfs (tests/vpi/run.sh adds it)")


GZ_PRELUDE = r'''
import mmap, os, struct, sys, time
fd = os.open("/dev/mem", os.O_RDWR | os.O_SYNC)
m = mmap.mmap(fd, 4096, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE, offset=int(sys.argv[1], 0) + 0x200000)
os.close(fd)
level = lambda n: (struct.unpack_from("<I", m, 0x34)[0] >> n) & 1
fsel = lambda n: (struct.unpack_from("<I", m, 4 * (n // 10))[0] >> (3 * (n % 10))) & 7
import gpiozero
from gpiozero import Device, LED, DigitalOutputDevice, Button
Device.ensure_pin_factory()
print("factory", type(Device.pin_factory).__module__, type(Device.pin_factory).__name__)
'''


def test_gpiozero_led_blinks_through_the_factory(have_gpiozero, pristine, expected, board_model):
    out = run_gpiozero(GZ_PRELUDE + r'''
led = LED(17)
print("fsel", fsel(17))
led.on(); print("on", level(17), led.is_lit)
led.off(); print("off", level(17), led.is_lit)
led.blink(on_time=0.02, off_time=0.02)
seen = set(); end = time.monotonic() + 60
while len(seen) < 2 and time.monotonic() < end:
    seen.add(level(17))
led.off()
print("blink levels", sorted(seen), "after", level(17))
led.close(); print("closed fsel", fsel(17))
print("board", Device.pin_factory.board_info.model)
''', expected)
    assert out[0] == "factory fastgpio.gpiozero FastGPIOFactory"
    assert out[1:6] == ["fsel 1", "on 1 True", "off 0 False", "blink levels [0, 1] after 0", "closed fsel 0"]
    assert out[6] == "board " + board_model


def test_gpiozero_output_device_and_button(have_gpiozero, pristine, expected):
    out = run_gpiozero(GZ_PRELUDE + r'''
dev = DigitalOutputDevice(27, initial_value=True)
print("dod", fsel(27), level(27), dev.value)
dev.off(); print("dod off", level(27), dev.value)
dev.close()
btn = Button(22, pull_up=True)
print("button", fsel(22), btn.pin.pull)
print("pullreg", (struct.unpack_from("<I", m, 0xE8)[0] >> 12) & 3)  # BCM2711 field of line 22
struct.pack_into("<I", m, 0x28, 1 << 22)   # GPCLR0: QEMU's level follows the latch
print("pressed", btn.is_pressed)
struct.pack_into("<I", m, 0x1C, 1 << 22)   # GPSET0
print("released", btn.is_pressed)
struct.pack_into("<I", m, 0x28, 1 << 22)
btn.close()
''', expected)
    pull = out.pop(4)
    assert out[1:] == ["dod 1 1 1", "dod off 0 0", "button 0 up", "pressed True", "released False"]
    if expected[0] == "bcm2711":  # pulls are readable there: 1 = up
        assert pull == "pullreg 1"
