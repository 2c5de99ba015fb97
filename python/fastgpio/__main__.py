# SPDX-License-Identifier: MIT
"""The ``fastgpio`` command: chip info, header table, get/set/func/pull, watch, bench.

Every subcommand accepts the register-file options (``--soc``, ``--board``, ``--devmem``,
``--gpiomem``, ``--dt-root``) so it can run against a file instead of hardware.
Exit status: 0 success, 1 hardware/permission error, 2 bad arguments,
128+signal when interrupted (130 for Ctrl-C).
"""

from __future__ import annotations

import argparse
import errno
import json
import math
import os
import sys
from typing import Any, List, NoReturn, Optional, Sequence

from . import _bench, _chip
from ._chip import Chip, Function
from ._core import ChipClosedError, NotSupportedError, UnsupportedSoCError


def _open(args: argparse.Namespace, **overrides: object) -> Chip:
    kw = dict(dt_root=args.dt_root, gpiomem=args.gpiomem, devmem=args.devmem,
              backend=args.backend, enable_clocks=not args.no_clock_enable,
              gpiochip=args.gpiochip, board=args.board)
    kw.update(overrides)
    return Chip(args.soc, **kw)  # type: ignore[arg-type]


class _Parser(argparse.ArgumentParser):
    """Argument errors in one line (plus where to look), exit status 2."""

    def error(self, message: str) -> "NoReturn":  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _cmd_info(chip: Chip, args: argparse.Namespace) -> int:
    i = chip.info
    rows = [
        ("SoC", i.soc),
        ("board", i.board),
        ("backend", i.backend),
        ("device", i.device),
        ("base", f"0x{i.base:x}" if i.base else
         "(none: GPIO character device)" if i.backend == "gpiod" else "(gpiomem window)"),
        ("lines", str(i.num_lines)),
        ("banks", str(i.num_banks)),
        ("why", i.reason),
        ("sysfs", _bench.sysfs_summary(chip, _bench.is_register_file(chip))),
    ]
    for k, v in rows:
        print(f"{k:8} {v}")
    return 0


def _pull_text(chip: Chip, line: int) -> str:
    try:
        return str(chip.get_pull(line))
    except NotSupportedError:
        return "-"


_RX_OFF_NOTE = ("* input with its pad's receiver off (AM335x RXACTIVE clear): the level read "
                "is not the pin's")


def _level_text(chip: Chip, line: int) -> str:
    """The level, marked '*' for an input whose pad receiver is off."""
    return f"{chip.read(line)}{'*' if chip._input_receiver_off(line) else ''}"


def _cmd_readall(chip: Chip, args: argparse.Namespace) -> int:
    header = chip.header()
    if not header:
        print(f"no header map for board {chip.info.board!r}; lines 0-{chip.num_lines - 1}")
        header = [_chip.HeaderPin(str(n), n) for n in range(chip.num_lines)]
    print(f"{'pin':>8}  {'line':>4}  {'func':<5} {'level':>5}  {'pull':<6}")
    marked = False
    for label, line in header:
        if line < 0:
            kind = "power/gnd" if line == -1 else "n.c."
            print(f"{label:>8}  {'':>4}  {kind}")
            continue
        try:
            func = str(chip.get_function(line))
        except NotSupportedError as e:
            if e.errno != errno.ENXIO:  # the line has no pad (RK3288 unrouted ports)
                raise
            # A line of the GPIO bank with no ball (RK3288 unrouted ports).
            print(f"{label:>8}  {line:>4}  not bonded out (no pad)")
            continue
        level = _level_text(chip, line)
        marked = marked or level.endswith("*")
        print(f"{label:>8}  {line:>4}  {func:<5} {level:>5}  {_pull_text(chip, line):<6}")
    if marked:
        print(_RX_OFF_NOTE)
    return 0


def _cmd_get(chip: Chip, args: argparse.Namespace) -> int:
    for name in args.pins:
        line = chip.line(name)
        print(f"{name}={chip.read(line)}")
        if chip._input_receiver_off(line):
            print(f"fastgpio: warning: {name} (line {line}) is an input whose pad has its "
                  "receiver off (AM335x RXACTIVE clear): the level read is not the pin's; "
                  "enable it with config-pin or a device-tree overlay", file=sys.stderr)
    return 0


def _parse_assignments(items: Sequence[str]) -> List[tuple]:
    out = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or value not in ("0", "1"):
            raise ValueError(f"expected PIN=0 or PIN=1, got {item!r}")
        out.append((name, int(value)))
    return out


def _claim(chip: Chip, lines: Sequence[int], force: bool) -> None:
    """Refuses (LineBusyError, exit 1) lines the kernel reports held by someone
    else, before anything is written, unless --force (Chip.pin's rule)."""
    for line in lines:
        chip.pin(line, force=force)


def _cmd_set(chip: Chip, args: argparse.Namespace) -> int:
    pairs = [(chip.line(n), v) for n, v in _parse_assignments(args.assignments)]
    _claim(chip, [line for line, _ in pairs], args.force)
    for line, value in pairs:  # every name resolved and claimed before the first write
        chip.write(line, value)
    return 0


def _cmd_func(chip: Chip, args: argparse.Namespace) -> int:
    line = chip.line(args.pin)
    if args.function is not None:
        _claim(chip, [line], args.force)
        chip.set_function(line, args.function)
    print(f"{args.pin}={chip.get_function(line)}")
    return 0


def _cmd_pull(chip: Chip, args: argparse.Namespace) -> int:
    line = chip.line(args.pin)
    if args.pull is not None:
        _claim(chip, [line], args.force)
        chip.set_pull(line, args.pull)
        return 0
    print(f"{args.pin}={chip.get_pull(line)}")
    return 0


def _event_text(ev: Any, pin: str, as_json: bool) -> str:
    """One output line for an EdgeEvent: 'SECONDS.NANOSECONDS EDGE PIN (line N)'
    (the kernel's CLOCK_MONOTONIC timestamp) or a JSON object."""
    ns, edge = ev.timestamp_ns, ev.edge.name.lower()
    if as_json:
        return json.dumps({"timestamp_ns": ns, "edge": edge, "pin": pin, "line": ev.line,
                           "seqno": ev.seqno})
    return f"{ns // 1_000_000_000}.{ns % 1_000_000_000:09d} {edge:<7} {pin} (line {ev.line})"


def _cmd_watch(chip: Chip, args: argparse.Namespace) -> int:
    """Edge events of one pin, one line each, until Ctrl-C, --count or --timeout."""
    line = chip.line(args.pin)  # a bad name: ValueError (exit 2) before the kernel is asked
    pin = chip.pin(line)
    seen = 0
    try:
        events = pin.edges(args.edge, timeout=args.timeout, debounce=args.debounce)
        if sys.stderr.isatty():
            print(f"watching {args.pin} (line {line}) for {args.edge} edges; Ctrl-C stops",
                  file=sys.stderr, flush=True)
        for ev in events:
            print(_event_text(ev, args.pin, args.json), flush=True)  # flushed: watchers pipe us
            seen += 1
            if args.count is not None and seen >= args.count:
                return 0
    except KeyboardInterrupt:  # the normal way to stop watching
        return 0
    finally:
        if pin.watching:
            pin.unwatch()  # the line goes back to the kernel before the chip closes
    # the iterator ended: --timeout seconds without an edge
    if args.count is not None:
        print(f"fastgpio: timed out: {seen} of {args.count} edges on {args.pin} "
              f"(none within {args.timeout:g} s)", file=sys.stderr)
        return 1
    return 0


def _duty(text: str) -> float:
    """A duty cycle: a fraction 0..1, or a percentage ("7.5%")."""
    t = text.strip()
    try:
        v = float(t[:-1]) / 100 if t.endswith("%") else float(t)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a duty fraction 0..1 or a percentage, got {text!r}") from None
    if not (math.isfinite(v) and 0.0 <= v <= 1.0):
        raise argparse.ArgumentTypeError(f"duty {text!r} is outside 0..1 (0%..100%)")
    return v


def _hertz(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a frequency in Hz, got {text!r}") from None
    if not (math.isfinite(v) and v > 0):
        raise argparse.ArgumentTypeError(f"expected a frequency > 0 Hz, got {text!r}")
    return v


def _pwm_text(pin: str, line: int, s: Any) -> str:
    clock = (f", clock {s.source} {s.source_hz} Hz / {s.divisor / 4096:g}" if s.source_hz else
             f", clock {s.source}" if s.source else "")
    if not s.period_ns:
        timing = "period unknown" if s.period_ticks else "not configured"
        return (f"{pin} (line {line}): {timing}, {'running' if s.enabled else 'stopped'}, "
                f"{s.backend}{clock}")
    return (f"{pin} (line {line}): {s.frequency:.6g} Hz (period {s.period_ns} ns), duty {s.duty:.6g} "
            f"({s.duty_ns} ns), {s.polarity}, {'running' if s.enabled else 'stopped'}"
            f"{'' if s.muxed or not s.enabled else ' (line not on its PWM function)'}, {s.backend}{clock}")


def _cmd_pwm(chip: Chip, args: argparse.Namespace) -> int:
    """Starts, changes, stops or shows a hardware PWM channel, and leaves it so."""
    line = chip.line(args.pin)
    if args.frequency is not None and args.duty is None:
        raise ValueError("give FREQUENCY and DUTY, e.g. fastgpio pwm GPIO18 50 7.5%")
    if args.off and args.frequency is not None:
        raise ValueError("--off takes no FREQUENCY or DUTY")
    pwm = chip.pwm(line, args.frequency, args.duty, polarity=args.polarity, force=args.force)
    try:
        if args.off:
            pwm.disable()
        print(_pwm_text(args.pin, line, pwm.state))
    finally:
        pwm.detach()  # the channel keeps running (or stays stopped) after we exit
    return 0


def _seconds(text: str, allow_zero: bool) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not math.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        raise argparse.ArgumentTypeError(
            f"expected a number of seconds {'>= 0' if allow_zero else '> 0'}, got {text!r}")
    return v


def _count(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        v = 0
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number of events, got {text!r}")
    return v


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="fastgpio", description="Fast memory-mapped GPIO.",
                epilog="Exit status: 0 ok, 1 hardware or permission error, 2 bad arguments, "
                "130 interrupted.")
    from . import __version__
    p.add_argument("--version", action="version", version=f"fastgpio {__version__}")
    p.add_argument("--soc", help="SoC table to use instead of detecting it")
    p.add_argument("--board", help="board whose header names to use (its name as 'fastgpio info' "
                                   "shows it, or a device-tree compatible); without --soc it "
                                   "names the SoC too")
    p.add_argument("--dt-root", help="device-tree directory (default /proc/device-tree)")
    p.add_argument("--devmem", help="map this file/device as /dev/mem (physical offsets)")
    p.add_argument("--gpiomem", help="map this file/device as /dev/gpiomem (offset 0 = GPIO block)")
    p.add_argument("--backend", default="auto", choices=["auto", "gpiomem", "devmem", "gpiod"])
    p.add_argument("--gpiochip", metavar="PATH",
                   help="gpiod backend: this GPIO character device (default: the SoC's GPIO "
                        "controller, or the only chip)")
    p.add_argument("--no-clock-enable", action="store_true",
                   help="AM335x/RK3288: do not ungate bank clocks; gated banks fail instead")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sub.add_parser("info", help="SoC, board, backend and why")
    sub.add_parser("readall", help="table of the board header: function, level, pull")
    g = sub.add_parser("get", help="print levels")
    g.add_argument("pins", nargs="+", metavar="PIN")
    s = sub.add_parser("set", help="drive lines: PIN=0|1 ...")
    s.add_argument("assignments", nargs="+", metavar="PIN=VALUE")
    force = "write even when the kernel reports the line held by a driver or program"
    s.add_argument("--force", action="store_true", help=force)
    f = sub.add_parser("func", help="print or set a pin's function")
    f.add_argument("pin", metavar="PIN")
    f.add_argument("function", nargs="?", choices=[str(x) for x in Function if x != Function.NONE])
    f.add_argument("--force", action="store_true", help=force)
    u = sub.add_parser("pull", help="print or set a pin's pull")
    u.add_argument("pin", metavar="PIN")
    u.add_argument("pull", nargs="?", choices=["off", "up", "down"])
    u.add_argument("--force", action="store_true", help=force)
    w = sub.add_parser("watch", help="print edge events with kernel timestamps",
                       description="Prints one line per edge on PIN: the kernel's timestamp "
                       "(CLOCK_MONOTONIC, seconds), the edge and the line; until Ctrl-C (exit 0), "
                       "--count events (exit 0) or --timeout seconds without an edge (exit 0, or 1 "
                       "if --count events were not seen). The line is requested from the kernel as "
                       "an input with edge detection while watching and released on exit.")
    w.add_argument("pin", metavar="PIN")
    w.add_argument("--edge", default="both", choices=["rising", "falling", "both"])
    w.add_argument("--count", type=_count, metavar="N", help="stop after N events")
    w.add_argument("--debounce", type=lambda t: _seconds(t, True), default=0.0, metavar="SECONDS",
                   help="report an edge only once the line has been stable this long (default 0)")
    w.add_argument("--timeout", type=lambda t: _seconds(t, False), metavar="SECONDS",
                   help="stop after this long without an edge")
    w.add_argument("--json", action="store_true",
                   help="one JSON object per event: timestamp_ns, edge, pin, line, seqno")
    m = sub.add_parser("pwm", help="start, stop or show hardware PWM on a pin",
                       description="With FREQUENCY (Hz) and DUTY (0..1 or a percentage) starts the "
                       "PWM channel of PIN and exits leaving it running; with --off stops it; with "
                       "PIN alone shows it. The period and duty are rounded to whole ticks of the "
                       "PWM clock and the achieved values are printed. Programs the PWM block "
                       "through /dev/mem (as root); when the device tree gives the block to the "
                       "kernel's driver (the pwm overlays) it uses /sys/class/pwm instead.")
    m.add_argument("pin", metavar="PIN")
    m.add_argument("frequency", nargs="?", type=_hertz, metavar="FREQUENCY")
    m.add_argument("duty", nargs="?", type=_duty, metavar="DUTY")
    m.add_argument("--off", action="store_true", help="stop the channel (its settings stay)")
    m.add_argument("--polarity", default="normal", choices=["normal", "inversed"])
    m.add_argument("--force", action="store_true",
                   help="program the block even though the device tree gives it to the kernel")
    _bench.add_parser(sub)
    return p


_COMMANDS = {
    "info": _cmd_info,
    "readall": _cmd_readall,
    "get": _cmd_get,
    "set": _cmd_set,
    "func": _cmd_func,
    "pull": _cmd_pull,
    "watch": _cmd_watch,
    "pwm": _cmd_pwm,
}


def _open_for_pwm(args: argparse.Namespace) -> Chip:
    """The PWM registers need /dev/mem: try it first when nothing names a
    backend or file, then the usual choice (its PWM may go through sysfs)."""
    if args.backend == "auto" and not args.gpiomem and not args.devmem:
        try:
            return _open(args, backend="devmem")
        except OSError:
            pass
    return _open(args)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "bench":
            return _bench.command(args, lambda **kw: _open(args, **kw))
        with (_open_for_pwm(args) if args.command == "pwm" else _open(args)) as chip:
            return _COMMANDS[args.command](chip, args)
    except KeyboardInterrupt:
        print("fastgpio: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `fastgpio readall | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes stdout at exit
        return 0
    except ChipClosedError as e:  # a ValueError, but not the user's argument: a bug
        print(f"fastgpio: internal error: {e}", file=sys.stderr)
        return 1
    except (ValueError, TypeError) as e:
        print(f"fastgpio: {e}", file=sys.stderr)
        return 2
    except (PermissionError, UnsupportedSoCError, NotSupportedError, OSError) as e:
        print(f"fastgpio: {e.strerror if isinstance(e, OSError) and e.strerror else e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
