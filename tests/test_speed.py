"""Structure that keeps the hot calls on CPython's specialised paths (the
speed itself is measured by benchmarks/, never asserted here)."""

from __future__ import annotations

import pytest

import fastgpio
from fastgpio import _core


@pytest.mark.parametrize("cls, names", [
    (fastgpio.Pin, ["on", "off", "toggle"]),
    (fastgpio.Chip, ["set", "clear", "read", "write", "bank_write", "bank_read", "close"]),
])
def test_subclasses_own_their_c_method_descriptors(cls, names):
    # A specialised call of a C method needs type(self) to be exactly the
    # descriptor's class; an inherited descriptor of _core.Pin is not.
    for name in names:
        d = cls.__dict__[name]
        assert d.__objclass__ is cls, name


def test_python_overrides_are_kept():
    assert fastgpio.Chip.__dict__["__init__"].__module__ == "fastgpio._chip"
    assert "pin" in fastgpio.Chip.__dict__ and callable(fastgpio.Chip.pin)


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
