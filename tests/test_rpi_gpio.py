# SPDX-License-Identifier: MIT
"""fastgpio.RPi.GPIO (the RPi.GPIO 0.7 API) in register-file mode: constants,
numbering modes, the exact register words of setup/output/input/cleanup on
the BCM2711 and BCM2837, RPi.GPIO's errors and warnings (with nothing
written), software PWM on a register file, and BOARD numbering through the
Pi's and the Tinker Board's headers.

Expected constants, messages and RPI_INFO decodings are RPi.GPIO 0.7.1's
(its source: common.h, c_gpio.h, constants.h, py_gpio.c, py_pwm.c,
cpuinfo.c); register words are the BCM2835 ARM Peripherals / BCM2711
datasheets' layouts."""

from __future__ import annotations

import math
import warnings

import pytest

import fastgpio
import fastgpio.RPi.GPIO as GPIO

# GPIO block offsets (BCM2835 ARM Peripherals 6.1; BCM2711 5.2 for the pull registers)
GPFSEL0, GPSET0, GPCLR0, GPLEV0, GPPUD, GPPUDCLK0, PUP_PDN0 = 0x00, 0x1C, 0x28, 0x34, 0x94, 0x98, 0xE4
FSEL = {"in": 0, "out": 1, "alt0": 4, "alt1": 5, "alt2": 6, "alt3": 7, "alt4": 3, "alt5": 2}

BOARDS = {
    # name: (device tree, soc, peripheral base, register file size, revision code)
    "pi4": ("pi4", "bcm2711", 0xFE000000, 0xFE201000, 0xB03115),
    "pi3": ("pi3", "bcm2837", 0x3F000000, 0x3F201000, 0xA02082),
}


class Regs:
    """The GPIO block of a register file, read back with pread (not through fastgpio)."""

    def __init__(self, f, base):
        self.f = f
        self.g = base + 0x200000

    def peek(self, off):
        return self.f.peek(self.g + off)

    def poke(self, off, val):
        self.f.poke(self.g + off, val)

    def fsel(self, line):
        return (self.peek(GPFSEL0 + 4 * (line // 10)) >> (3 * (line % 10))) & 7

    def set_fsel(self, line, func):
        off = GPFSEL0 + 4 * (line // 10)
        shift = 3 * (line % 10)
        self.poke(off, (self.peek(off) & ~(7 << shift)) | (FSEL[func] << shift))

    def pull2711(self, line):
        return (self.peek(PUP_PDN0 + 4 * (line // 16)) >> (2 * (line % 16))) & 3

    def clear_outputs(self):
        self.poke(GPSET0, 0)
        self.poke(GPCLR0, 0)
        self.poke(GPSET0 + 4, 0)
        self.poke(GPCLR0 + 4, 0)

    def digest(self):
        return self.f.digest()


def use(devtree, regfile, board):
    tree, soc, base, size, rev = BOARDS[board]
    dt = devtree(tree)
    dt.cells("system/linux,revision", rev)
    f = regfile(size)
    chip = fastgpio.Chip(soc, devmem=f, dt_root=dt)
    GPIO._use_chip(chip, dt_root=str(dt))
    return chip, Regs(f, base)


@pytest.fixture(params=["pi4", "pi3"])
def pi(request, devtree, regfile):
    chip, regs = use(devtree, regfile, request.param)
    yield regs
    GPIO._use_chip(None)
    chip.close()


@pytest.fixture
def pi4(devtree, regfile):
    chip, regs = use(devtree, regfile, "pi4")
    yield regs
    GPIO._use_chip(None)
    chip.close()


def test_constants_are_rpi_gpio_0_7_1s():
    got = {n: getattr(GPIO, n) for n in (
        "BOARD", "BCM", "OUT", "IN", "HIGH", "LOW", "PUD_OFF", "PUD_DOWN", "PUD_UP",
        "RISING", "FALLING", "BOTH", "SERIAL", "SPI", "I2C", "HARD_PWM", "UNKNOWN")}
    assert got == dict(BOARD=10, BCM=11, OUT=0, IN=1, HIGH=1, LOW=0, PUD_OFF=20, PUD_DOWN=21,
                       PUD_UP=22, RISING=31, FALLING=32, BOTH=33, SERIAL=40, SPI=41, I2C=42,
                       HARD_PWM=43, UNKNOWN=-1)
    assert GPIO.VERSION == "0.7.1"
    for name in ("setmode", "getmode", "setwarnings", "setup", "output", "input", "cleanup",
                 "gpio_function", "add_event_detect", "remove_event_detect", "event_detected",
                 "add_event_callback", "wait_for_edge", "PWM", "RPI_INFO", "RPI_REVISION"):
        assert hasattr(GPIO, name), name


@pytest.mark.parametrize("code,info", [
    ("b03115", ("Pi 4 Model B", 3, "BCM2711", "Sony UK", "2G")),
    ("a02082", ("Pi 3 Model B", 3, "BCM2837", "Sony UK", "1G")),
    ("a22082", ("Pi 3 Model B", 3, "BCM2837", "Embest", "1G")),
    ("902120", ("Zero 2 W", 3, "BCM2837", "Sony UK", "512M")),
    ("a020a0", ("Compute Module 3", 0, "BCM2837", "Sony UK", "1G")),
    ("c03130", ("Pi 400", 3, "BCM2711", "Sony UK", "4G")),
    ("d04170", ("Unknown", 3, "Unknown", "Sony UK", "8G")),       # Pi 5: RPi.GPIO 0.7.1 predates it
    ("2", ("Model B", 1, "BCM2835", "Egoman", "256M")),           # old scheme, P1 rev 1
    ("e", ("Model B", 2, "BCM2835", "Sony UK", "512M")),
    ("10000002", ("Model B", 1, "BCM2835", "Egoman", "256M")),    # bit 28 (overvolt) masked
    ("0015", ("Model A+", 3, "BCM2835", "Embest", "Unknown")),
    ("beef", ("Unknown", 3, "Unknown", "Unknown", "Unknown")),
])
def test_rpi_info_decoding(code, info):
    d = GPIO._decode_revision(code)
    assert (d["TYPE"], d["P1_REVISION"], d["PROCESSOR"], d["MANUFACTURER"], d["RAM"]) == info
    assert d["REVISION"] == code


def test_rpi_info_from_device_tree(pi4):
    assert GPIO.RPI_INFO == {"P1_REVISION": 3, "REVISION": "b03115", "TYPE": "Pi 4 Model B",
                             "MANUFACTURER": "Sony UK", "PROCESSOR": "BCM2711", "RAM": "2G"}
    assert GPIO.RPI_REVISION == 3


def test_modes(pi):
    assert GPIO.getmode() is None
    GPIO.setmode(GPIO.BCM)
    GPIO.setmode(GPIO.BCM)  # the same mode again is fine
    assert GPIO.getmode() == GPIO.BCM
    with pytest.raises(ValueError, match="^A different mode has already been set!$"):
        GPIO.setmode(GPIO.BOARD)
    GPIO.setup(17, GPIO.IN)
    GPIO.cleanup()
    assert GPIO.getmode() is None  # cleanup() forgets the mode
    with pytest.raises(ValueError, match="^An invalid mode was passed to setmode\\(\\)$"):
        GPIO.setmode(12)
    with pytest.raises(TypeError):
        GPIO.setmode("BCM")


def test_compute_module_has_no_board_numbering(devtree, regfile):
    dt = devtree("pi3")
    dt.cells("system/linux,revision", 0xA020A0)  # Compute Module 3
    f = regfile(0x3F201000)
    with fastgpio.Chip("bcm2837", devmem=f, dt_root=dt) as chip:
        GPIO._use_chip(chip, dt_root=str(dt))
        try:
            with pytest.raises(RuntimeError, match="^BOARD numbering system not applicable on compute module$"):
                GPIO.setmode(GPIO.BOARD)
            GPIO.setmode(GPIO.BCM)
        finally:
            GPIO._use_chip(None)


@pytest.mark.parametrize("call", [
    lambda: GPIO.setup(17, GPIO.OUT),
    lambda: GPIO.output(17, 1),
    lambda: GPIO.input(17),
    lambda: GPIO.gpio_function(17),
    lambda: GPIO.PWM(17, 50),
    lambda: GPIO.add_event_detect(17, GPIO.RISING),
    lambda: GPIO.wait_for_edge(17, GPIO.RISING, timeout=1),
    lambda: GPIO.event_detected(17),
])
def test_no_mode_is_rpi_gpios_runtime_error(pi, call):
    before = pi.digest()
    with pytest.raises(RuntimeError) as e:
        call()
    assert str(e.value) == ("Please set pin numbering mode using GPIO.setmode(GPIO.BOARD) "
                            "or GPIO.setmode(GPIO.BCM)")
    assert pi.digest() == before


@pytest.mark.parametrize("mode,channel", [
    (GPIO.BCM, 54), (GPIO.BCM, -1), (GPIO.BOARD, 0), (GPIO.BOARD, 41),
    (GPIO.BOARD, 1), (GPIO.BOARD, 6), (GPIO.BOARD, 39),   # 3V3, GND, GND
])
def test_invalid_channel(pi, mode, channel):
    GPIO.setmode(mode)
    before = pi.digest()
    for call in (lambda: GPIO.setup(channel, GPIO.OUT), lambda: GPIO.gpio_function(channel),
                 lambda: GPIO.input(channel), lambda: GPIO.setup([7, channel], GPIO.IN)):
        with pytest.raises(ValueError, match="^The channel sent is invalid on a Raspberry Pi$"):
            call()
    assert pi.digest() == before  # a list with one bad channel writes nothing


def test_setup_output_initial_exact_words(pi4):
    neighbours = 0x3FFFFFFF & ~(7 << 21)  # lines 10-19 all ALT3, except 17 (input)
    pi4.poke(GPFSEL0 + 4, neighbours)
    pi4.poke(PUP_PDN0 + 4, 1 << 2)  # line 17 pulled up before
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(17, GPIO.OUT, initial=GPIO.HIGH)
    assert pi4.peek(GPSET0) == 1 << 17
    assert pi4.peek(GPCLR0) == 0
    assert pi4.peek(GPFSEL0 + 4) == neighbours | (1 << 21)  # only 17's field changed
    assert pi4.pull2711(17) == 0  # RPi.GPIO writes "no pull" for outputs
    assert pi4.peek(PUP_PDN0 + 4) == 0


def test_setup_inputs_with_pulls_2711(pi4):
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(22, GPIO.IN, pull_up_down=GPIO.PUD_UP)
    GPIO.setup((23, 24), GPIO.IN, pull_up_down=GPIO.PUD_DOWN)
    GPIO.setup([25], GPIO.IN)
    assert [pi4.pull2711(n) for n in (22, 23, 24, 25)] == [1, 2, 2, 0]  # BCM2711: 1 up, 2 down
    assert [pi4.fsel(n) for n in (22, 23, 24, 25)] == [0, 0, 0, 0]


def test_setup_2837_pull_sequence_leaves_registers_idle(pi):
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(27, GPIO.IN, pull_up_down=GPIO.PUD_UP)
    assert pi.fsel(27) == 0
    # BCM2835-7: GPPUD / GPPUDCLK are written back to 0 at the end of the sequence
    assert pi.peek(GPPUD) == 0 and pi.peek(GPPUDCLK0) == 0


def test_setup_list_and_initial_low(pi):
    GPIO.setmode(GPIO.BCM)
    GPIO.setup([5, 6, 13], GPIO.OUT, initial=GPIO.LOW)
    assert pi.peek(GPCLR0) == 1 << 13  # a write-only register: the file keeps the last store
    assert pi.peek(GPSET0) == 0
    assert [pi.fsel(n) for n in (5, 6, 13)] == [1, 1, 1]
    pi.clear_outputs()
    GPIO.setup(19, GPIO.OUT)  # no initial: the latch is left alone
    assert pi.peek(GPSET0) == 0 and pi.peek(GPCLR0) == 0
    assert pi.fsel(19) == 1


@pytest.mark.parametrize("args,kwargs,exc,msg", [
    (("x", 1), {}, ValueError, "Channel must be an integer or list/tuple of integers"),
    (([17, "x"], 1), {}, ValueError, "Channel must be an integer"),
    ((17, 2), {}, ValueError, "An invalid direction was passed to setup()"),
    ((17, 0), {"pull_up_down": 22}, ValueError, "pull_up_down parameter is not valid for outputs"),
    ((17, 1), {"initial": 1}, ValueError, "initial parameter is not valid for inputs"),
    ((17, 1), {"pull_up_down": 23}, ValueError,
     "Invalid value for pull_up_down - should be either PUD_OFF, PUD_UP or PUD_DOWN"),
])
def test_setup_errors_write_nothing(pi, args, kwargs, exc, msg):
    GPIO.setmode(GPIO.BCM)
    before = pi.digest()
    with pytest.raises(exc) as e:
        GPIO.setup(*args, **kwargs)
    assert str(e.value) == msg
    assert pi.digest() == before


def test_output_single_list_tuple(pi):
    GPIO.setmode(GPIO.BCM)
    GPIO.setup([17, 27, 40], GPIO.OUT)
    pi.clear_outputs()
    GPIO.output(17, GPIO.HIGH)
    assert (pi.peek(GPSET0), pi.peek(GPCLR0)) == (1 << 17, 0)
    GPIO.output(17, False)
    assert pi.peek(GPCLR0) == 1 << 17
    pi.clear_outputs()
    GPIO.output([17, 27], [1, 0])
    assert (pi.peek(GPSET0), pi.peek(GPCLR0)) == (1 << 17, 1 << 27)
    pi.clear_outputs()
    GPIO.output((17, 40), 1)  # one value for every channel
    assert (pi.peek(GPSET0), pi.peek(GPSET0 + 4)) == (1 << 17, 1 << 8)
    pi.clear_outputs()
    GPIO.output((27,), (True,))
    assert pi.peek(GPSET0) == 1 << 27


@pytest.mark.parametrize("channel,value,exc,msg", [
    (17, [1, 0], RuntimeError, "Number of channels != number of values"),
    ([17, 27], [1], RuntimeError, "Number of channels != number of values"),
    (17, "1", ValueError, "Value must be an integer/boolean or a list/tuple of integers/booleans"),
    ([17, 27], [1, "0"], ValueError, "Value must be an integer or boolean"),
    ("17", 1, ValueError, "Channel must be an integer or list/tuple of integers"),
    ([17, 22], [1, 1], RuntimeError, "The GPIO channel has not been set up as an OUTPUT"),
    (22, 1, RuntimeError, "The GPIO channel has not been set up as an OUTPUT"),
])
def test_output_errors_write_nothing(pi, channel, value, exc, msg):
    GPIO.setmode(GPIO.BCM)
    GPIO.setup([17, 27], GPIO.OUT)
    GPIO.setup(22, GPIO.IN)
    pi.clear_outputs()
    before = pi.digest()
    with pytest.raises(exc) as e:
        GPIO.output(channel, value)
    assert str(e.value) == msg
    assert pi.digest() == before


class Level(int):
    """An int subclass (like an IntEnum member): not the C hot path, same result."""


def test_output_input_hot_path_matches_the_checked_path(pi):
    """output()/input() serve a set-up int channel in C (_core.ChannelTable);
    every other form goes to the Python checks. Both give the same words, and
    the table follows setup() and cleanup()."""
    assert type(GPIO.output).__name__ == "builtin_function_or_method"
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(17, GPIO.OUT)
    GPIO.setup(27, GPIO.IN)
    for value, reg in ((1, GPSET0), (0, GPCLR0), (True, GPSET0), (False, GPCLR0), (2, GPSET0),
                       (-1, GPSET0), (Level(1), GPSET0), (Level(0), GPCLR0)):
        for channel in (17, Level(17)):
            pi.clear_outputs()
            GPIO.output(channel, value)
            assert (pi.peek(GPSET0), pi.peek(GPCLR0)) == ((1 << 17, 0) if reg == GPSET0 else (0, 1 << 17)), \
                (channel, value)
    pi.clear_outputs()
    before = pi.digest()
    for channel, value, exc in ((27, 1, RuntimeError), (17, 1.0, ValueError), (17, None, ValueError),
                                (4, 1, RuntimeError), (17.0, 1, ValueError)):
        with pytest.raises(exc):
            GPIO.output(channel, value)
    with pytest.raises(TypeError):
        GPIO.output(17, value=1)
    with pytest.raises(TypeError):
        GPIO.output(17)
    with pytest.raises(TypeError):
        GPIO.input()
    assert pi.digest() == before
    pi.poke(GPLEV0, 1 << 27)
    got = [GPIO.input(27), GPIO.input(Level(27)), GPIO.input(17)]
    assert got == [1, 1, 0] and all(type(v) is int for v in got)
    GPIO.cleanup(17)            # gone from the table: the checks answer again
    with pytest.raises(RuntimeError, match="not been set up as an OUTPUT"):
        GPIO.output(17, 1)
    with pytest.raises(RuntimeError, match="setup"):
        GPIO.input(17)
    GPIO.setup(27, GPIO.OUT)    # an input turned output joins the output table
    pi.clear_outputs()
    GPIO.output(27, 1)
    assert pi.peek(GPSET0) == 1 << 27
    GPIO.cleanup()
    with pytest.raises(RuntimeError):
        GPIO.output(27, 1)


def test_channel_table_bad_arguments():
    from fastgpio import _core
    with pytest.raises(TypeError):
        _core.ChannelTable(1, 2)
    with pytest.raises(TypeError):
        _core.ChannelTable(print)
    t = _core.ChannelTable(lambda c, v: ("out", c, v), lambda c: ("in", c))
    t.outputs[3] = "not a Pin"  # only Pins are served in C; anything else goes to the fallback
    assert t.output(3, 1) == ("out", 3, 1) and t.input(3) == ("in", 3)
    assert t.outputs == {3: "not a Pin"} and t.inputs == {}


def test_input_reads_level_register(pi):
    GPIO.setmode(GPIO.BOARD)
    GPIO.setup(13, GPIO.IN)   # BOARD13 = GPIO27
    GPIO.setup(40, GPIO.OUT)  # BOARD40 = GPIO21: outputs can be read too
    pi.poke(GPLEV0, 1 << 27)
    assert GPIO.input(13) == GPIO.HIGH and GPIO.input(40) == GPIO.LOW
    pi.poke(GPLEV0, 1 << 21)
    assert GPIO.input(13) == GPIO.LOW and GPIO.input(40) == GPIO.HIGH
    with pytest.raises(RuntimeError, match="^You must setup\\(\\) the GPIO channel first$"):
        GPIO.input(11)


def test_board_numbering_pi(pi):
    GPIO.setmode(GPIO.BOARD)
    GPIO.setup([11, 12, 40], GPIO.OUT)  # GPIO17, GPIO18, GPIO21
    assert [pi.fsel(n) for n in (17, 18, 21)] == [1, 1, 1]
    for channel, line in ((11, 17), (12, 18), (40, 21), (3, 2), (29, 5), (37, 26)):
        GPIO.setup(channel, GPIO.OUT)
        GPIO.output(channel, 1)
        assert pi.peek(GPSET0) == 1 << line


def test_board_numbering_tinker_board(devtree, regfile):
    f = regfile(0xFF800000)
    dt = devtree("tinker")
    with fastgpio.Chip(dt_root=dt, devmem=f) as chip:
        GPIO._use_chip(chip, dt_root=str(dt))
        try:
            assert GPIO.RPI_INFO["P1_REVISION"] == 3
            GPIO.setmode(GPIO.BOARD)
            GPIO.setup(10, GPIO.OUT, initial=GPIO.HIGH)  # header pin 10 = GPIO5_B0 (Linux 160)
            gpio5 = 0xFF7C0000  # GPIO5: SWPORTA_DR +0, SWPORTA_DDR +4 (1 = output)
            assert f.peek(gpio5) == 1 << 8
            assert f.peek(gpio5 + 4) == 1 << 8
            GPIO.output(10, 0)
            assert f.peek(gpio5) == 0
            f.poke(gpio5 + 0x50, 1 << 8)  # EXT_PORTA: the level
            assert GPIO.input(10) == 1
            with pytest.raises(ValueError, match="invalid on a Raspberry Pi"):
                GPIO.setup(2, GPIO.IN)  # 5 V
            GPIO.cleanup()
            assert f.peek(gpio5 + 4) == 0
        finally:
            GPIO._use_chip(None)


def test_cleanup_all_and_some(pi4):
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(17, GPIO.OUT, initial=1)
    GPIO.setup(27, GPIO.IN, pull_up_down=GPIO.PUD_UP)
    GPIO.setup([5, 6], GPIO.OUT)
    GPIO.cleanup(17)
    assert pi4.fsel(17) == 0 and pi4.fsel(5) == 1
    with pytest.raises(RuntimeError, match="not been set up as an OUTPUT"):
        GPIO.output(17, 1)
    GPIO.cleanup([5, 6])
    assert (pi4.fsel(5), pi4.fsel(6), pi4.pull2711(27)) == (0, 0, 1)
    GPIO.cleanup()
    assert pi4.fsel(27) == 0 and pi4.pull2711(27) == 0
    assert GPIO.getmode() is None


def test_cleanup_warnings_and_errors(pi):
    with pytest.warns(RuntimeWarning, match="^No channels have been set up yet - nothing to clean up!  "
                      "Try cleaning up at the end of your program instead!$"):
        GPIO.cleanup()
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(17, GPIO.IN)
    with pytest.warns(RuntimeWarning, match="nothing to clean up"):
        GPIO.cleanup(18)  # not set up by this program
    with pytest.raises(ValueError, match="^Channel must be an integer or list/tuple of integers$"):
        GPIO.cleanup("17")
    GPIO.setwarnings(False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        GPIO.cleanup(18)
    assert pi.fsel(17) == 0


def test_in_use_warnings(pi):
    GPIO.setmode(GPIO.BCM)
    pi.set_fsel(14, "alt0")  # UART
    pi.set_fsel(4, "out")    # an output this program did not set up
    for line in (14, 4):
        with pytest.warns(RuntimeWarning) as w:
            GPIO.setup(line, GPIO.IN)
        assert [str(x.message) for x in w] == [
            "This channel is already in use, continuing anyway.  Use GPIO.setwarnings(False) to disable warnings."]
        assert w[0].filename == __file__  # attributed to the caller, as RPi.GPIO's are
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        GPIO.setup(17, GPIO.OUT)
        GPIO.setup(17, GPIO.OUT)  # our own output: no warning
    with pytest.warns(RuntimeWarning, match="^A physical pull up resistor is fitted on this channel!$"):
        GPIO.setup(2, GPIO.IN, pull_up_down=GPIO.PUD_UP)
    GPIO.setwarnings(False)
    pi.set_fsel(15, "alt0")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        GPIO.setup(15, GPIO.IN)


@pytest.mark.parametrize("line,func,expected", [
    (17, "in", GPIO.IN), (17, "out", GPIO.OUT),
    (2, "alt0", GPIO.I2C), (28, "alt0", GPIO.I2C), (9, "alt0", GPIO.SPI), (13, "alt0", GPIO.HARD_PWM),
    (14, "alt0", GPIO.SERIAL), (18, "alt5", GPIO.HARD_PWM), (20, "alt4", GPIO.SPI),
    (22, "alt3", GPIO.UNKNOWN), (17, "alt0", GPIO.UNKNOWN), (14, "alt5", GPIO.UNKNOWN),
])
def test_gpio_function(pi, line, func, expected):
    pi.set_fsel(line, func)
    GPIO.setmode(GPIO.BCM)
    before = pi.digest()
    assert GPIO.gpio_function(line) == expected
    assert pi.digest() == before  # reading the function writes nothing


def test_pwm_toggles_and_stops_low(pi):
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(18, GPIO.OUT, initial=GPIO.LOW)
    pi.clear_outputs()
    p = GPIO.PWM(18, 500)
    p.start(100)  # 100 %: only ever driven high
    _wait_for(lambda: pi.peek(GPSET0) == 1 << 18)
    assert pi.peek(GPCLR0) == 0
    p.ChangeDutyCycle(0)  # 0 %: only ever driven low, from the next period on
    _wait_for(lambda: pi.peek(GPCLR0) == 1 << 18)
    pi.clear_outputs()
    _wait_for(lambda: pi.peek(GPCLR0) == 1 << 18)  # at least one whole period at 0 %
    pi.poke(GPCLR0, 0)
    _wait_for(lambda: pi.peek(GPCLR0) == 1 << 18)
    assert pi.peek(GPSET0) == 0
    p.ChangeFrequency(2000)
    p.ChangeDutyCycle(50)
    pi.clear_outputs()
    _wait_for(lambda: pi.peek(GPSET0) == 1 << 18 and pi.peek(GPCLR0) == 1 << 18)  # toggling
    p.ChangeDutyCycle(100)
    _wait_for(lambda: pi.peek(GPSET0) == 1 << 18)
    pi.clear_outputs()
    _wait_for(lambda: pi.peek(GPSET0) == 1 << 18)
    pi.clear_outputs()
    _wait_for(lambda: pi.peek(GPSET0) == 1 << 18)
    assert pi.peek(GPCLR0) == 0
    p.stop()  # returns once the thread has driven the line low
    assert pi.peek(GPCLR0) == 1 << 18
    pi.clear_outputs()
    before = pi.digest()
    p.stop()  # again: nothing
    assert pi.digest() == before
    assert pi.fsel(18) == 1  # still an output, as RPi.GPIO leaves it
    GPIO.PWM(18, 100).stop()  # a new PWM may take the channel once the old one stopped


def test_pwm_hardware_when_asked(devtree, regfile):
    tree, soc, base, size, rev = BOARDS["pi4"]
    dt = devtree(tree)
    dt.cells("system/linux,revision", rev)
    f = regfile(base + 0x20D000)              # reaches the PWM block and the clock manager
    chip = fastgpio.Chip(soc, devmem=f, dt_root=dt)
    GPIO._use_chip(chip, dt_root=str(dt))
    try:
        GPIO.setmode(GPIO.BCM)
        GPIO.setup(18, GPIO.OUT)
        with pytest.raises(TypeError):
            GPIO.PWM(18, 100, hardware="yes")
        p = GPIO.PWM(18, 100, hardware=True)
        assert f.peek(base + 0x20C000) == 0          # nothing runs before start()
        p.start(25)
        assert [f.peek(base + 0x20C000 + o) for o in (0, 0x10, 0x14)] == [0x81, 270000, 67500]
        p.ChangeDutyCycle(50)
        p.ChangeFrequency(1000)                   # keeps 50 %
        assert [f.peek(base + 0x20C000 + o) for o in (0x10, 0x14)] == [27000, 13500]
        p.stop()
        assert f.peek(base + 0x20C000) == 0x80 and chip.get_function(18) == fastgpio.Function.OUT
        GPIO.setup(17, GPIO.OUT)
        with pytest.raises(fastgpio.NotSupportedError):
            GPIO.PWM(17, 100, hardware=True)       # no PWM output on GPIO17
        GPIO.cleanup()
    finally:
        GPIO._use_chip(None)
        chip.close()


def test_pwm_errors(pi):
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(12, GPIO.IN)
    with pytest.raises(RuntimeError, match="^You must setup\\(\\) the GPIO channel as an output first$"):
        GPIO.PWM(12, 100)
    GPIO.setup(13, GPIO.OUT)
    with pytest.raises(ValueError, match="^frequency must be greater than 0.0$"):
        GPIO.PWM(13, 0)
    p = GPIO.PWM(13, 100)
    with pytest.raises(RuntimeError, match="^A PWM object already exists for this GPIO channel$"):
        GPIO.PWM(13, 100)
    before = pi.digest()
    for bad in (-0.1, 100.5):
        with pytest.raises(ValueError, match="^dutycycle must have a value from 0.0 to 100.0$"):
            p.start(bad)
        with pytest.raises(ValueError, match="^dutycycle must have a value from 0.0 to 100.0$"):
            p.ChangeDutyCycle(bad)
    with pytest.raises(ValueError, match="^frequency must be greater than 0.0$"):
        p.ChangeFrequency(-1)
    with pytest.raises(TypeError):
        p.start("50")
    assert pi.digest() == before
    p.stop()


def test_cleanup_stops_pwm(pi):
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(18, GPIO.OUT)
    p = GPIO.PWM(18, 1000)
    p.start(100)
    _wait_for(lambda: pi.peek(GPSET0) == 1 << 18)
    GPIO.cleanup()
    assert pi.peek(GPCLR0) == 1 << 18 and pi.fsel(18) == 0
    pi.clear_outputs()
    before = pi.digest()
    p.stop()
    assert pi.digest() == before


def test_event_argument_errors_touch_nothing(pi):
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(17, GPIO.OUT)
    GPIO.setup(27, GPIO.IN)
    before = pi.digest()
    cases = [
        (lambda: GPIO.add_event_detect(17, GPIO.RISING), RuntimeError,
         "You must setup() the GPIO channel as an input first"),
        (lambda: GPIO.add_event_detect(27, 30), ValueError, "The edge must be set to RISING, FALLING or BOTH"),
        (lambda: GPIO.add_event_detect(27, GPIO.BOTH, bouncetime=0), ValueError,
         "Bouncetime must be greater than 0"),
        (lambda: GPIO.add_event_detect(27, GPIO.BOTH, callback=5), TypeError, "Parameter must be callable"),
        (lambda: GPIO.add_event_callback(27, print), RuntimeError,
         "Add event detection using add_event_detect first before adding a callback"),
        (lambda: GPIO.add_event_callback(27, None), TypeError, "Parameter must be callable"),
        (lambda: GPIO.wait_for_edge(17, GPIO.RISING), RuntimeError,
         "You must setup() the GPIO channel as an input first"),
        (lambda: GPIO.wait_for_edge(27, GPIO.FALLING, timeout=0), ValueError, "Timeout must be greater than 0"),
        (lambda: GPIO.wait_for_edge(27, GPIO.FALLING, bouncetime=-5), ValueError,
         "Bouncetime must be greater than 0"),
        (lambda: GPIO.wait_for_edge(27, 3), ValueError, "The edge must be set to RISING, FALLING or BOTH"),
    ]
    for call, exc, msg in cases:
        with pytest.raises(exc) as e:
            call()
        assert str(e.value) == msg
    assert GPIO.event_detected(27) is False
    GPIO.remove_event_detect(27)  # nothing to remove: no error, as in RPi.GPIO
    assert pi.digest() == before


def test_use_chip_resets_state(pi):
    GPIO.setmode(GPIO.BCM)
    GPIO.setwarnings(False)
    GPIO.setup(17, GPIO.OUT)
    chip = GPIO._chip
    GPIO._use_chip(chip)
    assert GPIO.getmode() is None and GPIO._warnings is True
    GPIO.setmode(GPIO.BCM)
    with pytest.raises(RuntimeError, match="not been set up as an OUTPUT"):
        GPIO.output(17, 1)


def _wait_for(cond, limit=20.0):
    """Polls until cond() holds (a PWM thread's progress); fails only if it
    never does within a generous limit: not a timing assertion."""
    import time
    end = time.monotonic() + limit
    while not cond():
        assert time.monotonic() < end, "the PWM thread made no progress"
        time.sleep(0.0005)


# --- events, with the kernel side scripted (tests/helpers.py's ScriptedChip) ---
R, F = int(fastgpio.Edge.RISING), int(fastgpio.Edge.FALLING)


@pytest.fixture
def scripted(regfile, no_dt):
    from helpers import ScriptedChip
    chip = ScriptedChip("bcm2837", dt_root=no_dt, gpiomem=regfile(0x1000))
    GPIO._use_chip(chip, dt_root=no_dt)
    yield chip
    GPIO._use_chip(None)
    chip.close()


def test_register_file_has_no_events_rpi_message(pi):
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(17, GPIO.IN)
    before = pi.digest()
    with pytest.raises(RuntimeError, match="^Failed to add edge detection$") as e:
        GPIO.add_event_detect(17, GPIO.RISING)
    assert isinstance(e.value.__cause__, fastgpio.NotSupportedError)  # fastgpio's reason is kept
    assert pi.digest() == before
    assert GPIO.event_detected(17) is False


def _until(cond):
    _wait_for(cond)


def test_event_detect_callbacks_and_flag(scripted):
    GPIO.setmode(GPIO.BOARD)
    GPIO.setup(11, GPIO.IN, pull_up_down=GPIO.PUD_DOWN)  # BOARD11 = GPIO17
    got = []
    GPIO.add_event_detect(11, GPIO.RISING, callback=lambda ch: got.append(("a", ch)))
    assert scripted.calls[-1] == ("watch", 17, R, 0)  # RPi.GPIO's bouncetime is not kernel debounce
    GPIO.add_event_callback(11, lambda ch: got.append(("b", ch)))
    with pytest.raises(RuntimeError, match="^Conflicting edge detection already enabled for this GPIO channel$"):
        GPIO.add_event_detect(11, GPIO.RISING)
    assert GPIO.event_detected(11) is False
    scripted.queue(17, R, 1_000_000_000)
    _until(lambda: len(got) == 2)
    assert got == [("a", 11), ("b", 11)]  # the channel in the caller's numbering, callbacks in order
    assert GPIO.event_detected(11) is True
    assert GPIO.event_detected(11) is False  # the flag is cleared by reading it
    with pytest.raises(RuntimeError, match="^Conflicting edge detection events already exist for this GPIO channel$"):
        GPIO.wait_for_edge(11, GPIO.RISING, timeout=10)
    GPIO.remove_event_detect(11)
    assert scripted.calls[-1][:2] == ("unwatch", 17)
    assert GPIO.event_detected(11) is False
    GPIO.add_event_detect(11, GPIO.FALLING)  # removed: can be added again, other edge
    assert scripted.calls[-1] == ("watch", 17, F, 0)
    GPIO.cleanup()
    assert scripted.calls[-1][:2] == ("unwatch", 17)


def test_bouncetime_drops_edges_within_it(scripted):
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(4, GPIO.IN)
    got = []
    GPIO.add_event_detect(4, GPIO.BOTH, callback=got.append, bouncetime=200)
    t = 5_000_000_000
    for dt_ms in (0, 50, 199, 201, 300, 402):  # kernel timestamps, ms after the first
        scripted.queue(4, R, t + dt_ms * 1_000_000)
    scripted.queue(4, F, t + 10_000_000_000)  # a marker: accepted, and the last
    _until(lambda: len(got) == 4)
    # 0 accepted; 50 and 199 within 200 ms of it; 201 accepted; 300 within; 402 accepted
    assert got == [4, 4, 4, 4]
    GPIO.remove_event_detect(4)


def test_wait_for_edge_new_edge_timeout_and_bounce(scripted):
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(22, GPIO.IN)
    assert GPIO.wait_for_edge(22, GPIO.FALLING, timeout=5) is None
    assert scripted.calls[-2:] == [("watch", 22, F, 0), scripted.calls[-1]]
    assert scripted.calls[-1][:2] == ("unwatch", 22)  # not left watching, as RPi.GPIO leaves nothing queued
    # Edges become pending only once the wait has begun (after its flush).
    scripted.later(22, (F, 1_000_000_000))
    assert GPIO.wait_for_edge(22, GPIO.FALLING) == 22
    scripted.later(22, (F, 1_100_000_000), (F, 1_400_000_000))
    assert GPIO.wait_for_edge(22, GPIO.FALLING, bouncetime=300, timeout=5000) == 22
    assert GPIO._last_edge_ns[22] == 1_400_000_000  # 1.1 s was within 300 ms of 1.0 s: dropped
    scripted.later(22, (F, 1_500_000_000))
    assert GPIO.wait_for_edge(22, GPIO.FALLING, bouncetime=300, timeout=100) is None  # dropped, then timeout


def test_wait_for_edge_on_detection_without_callbacks(scripted):
    import threading
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(5, GPIO.IN)
    GPIO.add_event_detect(5, GPIO.RISING)
    result = []
    t = threading.Thread(target=lambda: result.append(GPIO.wait_for_edge(5, GPIO.RISING, timeout=20000)))
    t.start()
    d = GPIO._detects[5]
    _until(lambda: d.cond._waiters)  # the waiter is blocked on the detection's condition
    scripted.queue(5, R, 7)
    t.join()
    assert result == [5] and GPIO.event_detected(5) is True


def test_wait_for_edge_conflicts_as_rpi_gpio_0_7_1(scripted):
    """event_gpio.c blocking_wait_for_edge: with a detection of the same edge
    whose bouncetime is set, another bouncetime (None included) conflicts; the
    same one waits. A detection without bouncetime takes any. Every wait here
    has a timeout, so a missing refusal returns None instead of hanging."""
    msg = "^Conflicting edge detection events already exist for this GPIO channel$"
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(6, GPIO.IN)
    GPIO.add_event_detect(6, GPIO.RISING, bouncetime=123)
    calls = len(scripted.calls)
    for kwargs in (dict(bouncetime=321), dict(), dict(bouncetime=None)):
        with pytest.raises(RuntimeError, match=msg):
            GPIO.wait_for_edge(6, GPIO.RISING, timeout=50, **kwargs)
    with pytest.raises(RuntimeError, match=msg):  # another edge (RPi.GPIO would re-edge the detection)
        GPIO.wait_for_edge(6, GPIO.FALLING, bouncetime=123, timeout=50)
    assert scripted.calls[calls:] == []  # refused without touching the line's request
    assert GPIO.wait_for_edge(6, GPIO.RISING, bouncetime=123, timeout=20) is None  # same: waits
    GPIO.remove_event_detect(6)
    GPIO.add_event_detect(6, GPIO.RISING)  # no bouncetime: any wait of that edge may share it
    assert GPIO.wait_for_edge(6, GPIO.RISING, bouncetime=321, timeout=20) is None
    assert GPIO.wait_for_edge(6, GPIO.RISING, timeout=20) is None
    GPIO.remove_event_detect(6)


def test_pwm_refuses_non_finite_numbers(pi):
    """RPi.GPIO 0.7.1 takes NaN and inf (its checks are `<= 0.0` and
    `< 0.0 || > 100.0`), and its thread then toggles flat out; fastgpio
    refuses them with RPi.GPIO's messages."""
    freq_msg = "^frequency must be greater than 0.0$"
    duty_msg = "^dutycycle must have a value from 0.0 to 100.0$"
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(13, GPIO.OUT)
    pi.clear_outputs()
    before = pi.digest()
    for bad in (math.nan, math.inf, -math.inf, 10**400, -(10**400), float("-nan")):
        with pytest.raises(ValueError, match=freq_msg):
            GPIO.PWM(13, bad)
    p = GPIO.PWM(13, 100)
    for bad in (math.nan, math.inf, -math.inf, 10**400):
        with pytest.raises(ValueError, match=freq_msg):
            p.ChangeFrequency(bad)
        with pytest.raises(ValueError, match=duty_msg):
            p.ChangeDutyCycle(bad)
        with pytest.raises(ValueError, match=duty_msg):
            p.start(bad)
    assert p._pwm.frequency == 100.0 and not p._pwm.running
    assert pi.digest() == before
    p.stop()


def test_numpy_channels_and_values(pi):
    """numpy integers are channels and values wherever RPi.GPIO takes an int
    (its PyLong_Check refuses them; fastgpio takes any __index__ integer);
    floats (NaN too), strings and numpy bools keep RPi.GPIO's ValueErrors."""
    np = pytest.importorskip("numpy")
    GPIO.setmode(GPIO.BCM)
    GPIO.setup(np.int64(17), GPIO.OUT)
    GPIO.setup([np.int32(27)], GPIO.OUT, initial=np.int64(0))
    assert pi.fsel(17) == 1 and pi.fsel(27) == 1
    pi.clear_outputs()
    GPIO.output(np.int64(17), np.int64(1))
    assert (pi.peek(GPSET0), pi.peek(GPCLR0)) == (1 << 17, 0)
    pi.clear_outputs()
    GPIO.output([np.uint8(17), 27], (np.uint8(0), np.int64(1)))
    assert (pi.peek(GPSET0), pi.peek(GPCLR0)) == (1 << 27, 1 << 17)
    assert GPIO.input(np.int64(17)) in (0, 1)
    pi.clear_outputs()
    before = pi.digest()
    for value, msg in ((math.nan, "Value must be an integer/boolean or a list/tuple of integers/booleans"),
                       (np.float64(1.0), "Value must be an integer/boolean or a list/tuple of integers/booleans"),
                       (np.bool_(True), "Value must be an integer/boolean or a list/tuple of integers/booleans"),
                       ("1", "Value must be an integer/boolean or a list/tuple of integers/booleans"),
                       ([math.nan], "Number of channels != number of values")):
        with pytest.raises((ValueError, RuntimeError)) as e:
            GPIO.output(17, value)
        assert str(e.value) == msg
    with pytest.raises(ValueError, match="^Value must be an integer or boolean$"):
        GPIO.output([17], [np.float32(0)])
    with pytest.raises(ValueError, match="^Channel must be an integer$"):
        GPIO.output([np.float64(17)], [1])
    assert pi.digest() == before


def test_soft_pwm_refuses_non_finite_settings():
    import math
    from fastgpio._softpwm import SoftPWM

    class NoPin:
        line = 0

    for bad in (math.nan, math.inf, -math.inf, 0.0, -5.0):
        with pytest.raises(ValueError, match="^frequency must be greater than 0.0$"):
            SoftPWM(NoPin(), bad)
    pwm = SoftPWM(NoPin(), 50.0, 10.0)
    for bad in (math.nan, math.inf, -0.5, 100.5):
        with pytest.raises(ValueError, match="^dutycycle must have a value from 0.0 to 100.0$"):
            pwm.duty = bad
    with pytest.raises(ValueError):
        pwm.frequency = math.inf
    assert (pwm.frequency, pwm.duty) == (50.0, 10.0)
