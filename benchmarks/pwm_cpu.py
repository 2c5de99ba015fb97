# SPDX-License-Identifier: MIT
"""CPU time per second of a 50 Hz servo signal (1.5 ms pulses), three ways:

  hardware   fastgpio's chip.pwm(): the SoC's PWM block runs it
  fastgpio   fastgpio's software PWM (a Python thread, as RPi.GPIO.PWM and
             the gpiozero factory use on pins without a PWM output)
  RPi.GPIO   RPi.GPIO's software PWM (its C thread), when it is installed

Each runs for --seconds while this process sleeps; the figure is the
process's user + system CPU time (all threads, getrusage) over that window,
per second of signal. Needs root (/dev/mem). On a board with the pwm
overlay the hardware case goes through /sys/class/pwm (the kernel's CPU
time is then not the process's). In the emulated Pi the PWM block is RAM:
the figures are the emulator's, only their ratios mean something.

  sudo python3 benchmarks/pwm_cpu.py [--line 18] [--seconds 5] [--frequency 50] [--duty 0.075]
  python3 benchmarks/pwm_cpu.py --soc bcm2711 --devmem FILE   (a dry run on a register file)
"""

from __future__ import annotations

import argparse
import resource
import time


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def measure(seconds: float) -> float:
    c0, t0 = cpu(), time.monotonic()
    time.sleep(seconds)
    return (cpu() - c0) / (time.monotonic() - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--line", type=int, default=18, help="a line with a PWM output (default 18)")
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--frequency", type=float, default=50.0)
    ap.add_argument("--duty", type=float, default=0.075)
    ap.add_argument("--force", action="store_true",
                    help="program the PWM block although the device tree gives it to the kernel")
    ap.add_argument("--soc", help="dry run: this SoC's table over --devmem")
    ap.add_argument("--devmem", help="dry run: a register file standing in for /dev/mem")
    a = ap.parse_args()
    import fastgpio
    from fastgpio._softpwm import SoftPWM

    rows = []
    kw = dict(devmem=a.devmem, dt_root="/nonexistent") if a.devmem else dict(backend="devmem")
    with fastgpio.Chip(a.soc, **kw) as chip:
        idle = measure(a.seconds)
        rows.append(("idle (nothing running)", idle, ""))
        pwm = chip.pwm(a.line, a.frequency, a.duty, force=a.force)
        s = pwm.state
        rows.append(("hardware: fastgpio chip.pwm()", measure(a.seconds),
                     f"{s.backend}, achieved {s.frequency:.6g} Hz, duty {s.duty:.6g}"))
        pwm.close()
        pin = chip.pin(a.line, "out", value=0)
        soft = SoftPWM(pin, a.frequency, a.duty * 100)
        soft.start()
        rows.append(("software: fastgpio SoftPWM thread", measure(a.seconds), ""))
        soft.stop()
        chip.set_function(a.line, "in")
    try:
        import RPi.GPIO as GPIO  # type: ignore[import-not-found]
    except ImportError:
        rows.append(("software: RPi.GPIO.PWM", None, "RPi.GPIO is not installed"))
    else:
        GPIO.setwarnings(False)
        GPIO.setmode(GPIO.BCM)
        GPIO.setup(a.line, GPIO.OUT)
        p = GPIO.PWM(a.line, a.frequency)
        p.start(a.duty * 100)
        rows.append((f"software: RPi.GPIO {GPIO.VERSION} PWM", measure(a.seconds), ""))
        p.stop()
        GPIO.cleanup()
    print(f"CPU time per second of a {a.frequency:g} Hz, {a.duty:g} duty signal on GPIO{a.line} "
          f"({a.seconds:g} s each):")
    for name, v, note in rows:
        fig = "   n/a" if v is None else f"{v * 1000:8.2f} ms/s ({v * 100:5.2f} % of one CPU)"
        print(f"  {name:<38} {fig}  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
