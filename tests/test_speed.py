# SPDX-License-Identifier: MIT
"""Structure that keeps the hot calls on CPython's specialised paths (the
speed itself is measured by benchmarks/, never asserted here)."""

from __future__ import annotations

import pytest

import fastgpio
from fastgpio import _core


@pytest.mark.parametrize("cls, names", [
    (fastgpio.Pin, ["on", "off", "toggle"]),
    (fastgpio.Chip, ["set", "clear", "read", "write", "bank_write", "bank_read"]),
])
def test_subclasses_own_their_c_method_descriptors(cls, names):
    # A specialised call of a C method needs type(self) to be exactly the
    # descriptor's class; an inherited descriptor of _core.Pin is not.
    for name in names:
        d = cls.__dict__[name]
        assert d.__objclass__ is cls, name


@pytest.mark.parametrize("cls, names", [
    (fastgpio.Pin, ["value", "line", "chip"]),
    (fastgpio.Chip, ["closed", "num_lines", "num_banks"]),
])
def test_subclasses_own_their_c_property_descriptors(cls, names):
    # A property read checks its object against the descriptor's class: an
    # exact match skips the walk of the MRO that an inherited one needs.
    for name in names:
        d = cls.__dict__[name]
        assert d.__objclass__ is cls, name
        assert type(d).__name__ == "getset_descriptor", name


def test_own_property_descriptors_keep_their_checks(regfile, no_dt):
    f = regfile(0xFE201000)
    with fastgpio.Chip("bcm2711", devmem=f, dt_root=no_dt) as chip:
        pin = chip.pin(17)
        pin.value = 1
        assert f.peek(0xFE200000 + 0x1C) == 1 << 17
        f.poke(0xFE200000 + 0x34, 1 << 17)
        assert pin.value == 1 and type(pin.value) is int
        f.poke(0xFE200000 + 0x34, 0)
        assert pin.value == 0 and type(pin.value) is int
        with pytest.raises(TypeError):
            fastgpio.Pin.value.__get__(_core.Pin(chip, 5))  # a base-class instance
        with pytest.raises(AttributeError):
            del pin.value
    with pytest.raises(fastgpio.ChipClosedError):
        pin.value


def test_python_overrides_are_kept():
    assert fastgpio.Chip.__dict__["__init__"].__module__ == "fastgpio._chip"
    assert fastgpio.Chip.__dict__["pin"].__module__ == "fastgpio._chip"


def test_own_methods_refuses_other_classes():
    with pytest.raises(TypeError):
        _core._own_methods(int)
    with pytest.raises(TypeError):
        _core._own_methods(1)


def test_rebound_methods_still_work(regfile, no_dt):
    f = regfile(0xFE201000)
    with fastgpio.Chip("bcm2711", devmem=f, dt_root=no_dt) as chip:
        pin = chip.pin(17)
        pin.on()
        assert f.peek(0xFE200000 + 0x1C) == 1 << 17
        pin.off()
        assert f.peek(0xFE200000 + 0x28) == 1 << 17
        chip.set(4)
        assert f.peek(0xFE200000 + 0x1C) == 1 << 4
        with pytest.raises(TypeError):
            fastgpio.Pin.on(_core.Pin(chip, 5))  # a base-class instance is not a fastgpio.Pin


def test_eight_threads_rmw_with_waves(regfile, no_dt):
    """RK3288 has no set/clear registers: waves (GIL released, running in
    parallel) and chip.write from 8 threads all read-modify-write one data
    register, serialised by the chip lock. A thread's bit must always read
    back as that thread last wrote it: an unlocked read-modify-write in another
    thread would revert it (this fails within a few writes without the lock)."""
    import threading

    f = regfile(0xFF800000)
    with fastgpio.Chip("rk3288", devmem=f, dt_root=no_dt) as chip:
        first = chip.bank_lines(5)[0]
        errors = []
        mismatches = []
        running = threading.Event()

        def checker(bit):
            try:
                running.wait()
                for i in range(2000):
                    chip.write(first + bit, i & 1)
                    if (f.peek(0xFF7C0000) >> bit) & 1 != i & 1:  # GPIO5 SWPORTA_DR
                        mismatches.append((bit, i))
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        def churner(bit):
            try:
                m = 1 << bit
                running.set()
                chip.wave(5, [(m, 0, 0), (0, m, 0)], repeat=3000000)
            except Exception as e:  # pragma: no cover
                errors.append(e)

        threads = [threading.Thread(target=churner, args=(b,)) for b in range(4, 8)]
        threads += [threading.Thread(target=checker, args=(b,)) for b in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert mismatches == []
