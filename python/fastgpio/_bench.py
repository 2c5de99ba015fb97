# SPDX-License-Identifier: MIT
"""``fastgpio bench``: output-toggle and input-read rates of every method, side by side.

Methods (each one a row; the ones that cannot run here say why):

  sysfs    the kernel's /sys/class/gpio value file (its GPIO number from
           gpiochip*/base and label, never assumed; exported and unexported here)
  gpiod    fastgpio's libgpiod backend, ``Chip(backend="gpiod")``, per call
  pin      fastgpio mmap from Python, per call: ``Pin.on/off``, ``Pin.value``
  bank     fastgpio masked bank access from Python: ``bank_write``/``bank_read``
  wave     fastgpio's C batch paths: ``Chip.wave`` with zero delays,
           ``Chip.bank_sample``
  c-loop   a C loop over the library's line handle: the ceiling

A toggle rate counts level changes (one ``on()`` or one ``off()``) per second;
a read rate counts level reads per second. Each (method, kind) is calibrated
to last about ``--seconds`` and measured ``--repeat`` times; the table gives the
median, the spread (min-max) and the ratios to sysfs and to the ceiling.

The line is made an output for the toggles and an input for the reads; its
function and (for an output) its level are restored at the end, and sysfs
exports are undone, also on Ctrl-C, SIGTERM and SIGHUP.
"""

from __future__ import annotations

import json
import os
import platform
import signal
import stat
import statistics
import sys
import time
from array import array
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from ._chip import Chip, ChipInfo, Function, pack_steps
from . import _core
from ._core import NotSupportedError

SCHEMA = "fastgpio-bench/1"
KINDS = ("toggle", "read")
UNITS = {"toggle": "level changes/s", "read": "reads/s"}

# name, label; the order of the table and the plot
METHODS: Tuple[Tuple[str, str], ...] = (
    ("sysfs", "sysfs value file"),
    ("gpiod", "libgpiod (fastgpio gpiod backend), per call"),
    ("pin", "fastgpio Pin.on/off / Pin.value, per call"),
    ("bank", "fastgpio bank_write / bank_read, per call"),
    ("wave", "fastgpio Chip.wave / bank_sample (C batch)"),
    ("c-loop", "C loop over the line handle (ceiling)"),
)
METHOD_NAMES = tuple(m[0] for m in METHODS)
CEILING = "c-loop"
BASELINE = "sysfs"

# Hidden seam for tests: a directory laid out like /sys/class/gpio. When set,
# the sysfs method runs against it even in register-file mode.
SYSFS_ENV = "FASTGPIO_SYSFS_ROOT"
SYSFS_DEFAULT = "/sys/class/gpio"



class Unavailable(Exception):
    """A method that cannot run here; the message says why."""


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised like Ctrl-C so every finally block runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


# ---- sysfs ---------------------------------------------------------------------

def _read_text(path: str) -> str:
    with open(path) as f:
        return f.read().strip()


def sysfs_chip_label(info: ChipInfo, bank: int, first: int, count: int) -> Optional[str]:
    """The label the kernel gives the gpiochip holding ``bank`` (lines ``first``
    to ``first + count - 1``), from the SoC's table: its one GPIO controller's
    label, or the rule naming each bank's own chip. None: the table does not know."""
    if info.gpiochip_label is not None:
        return info.gpiochip_label
    if info.bank_chip_label is not None:
        return info.bank_chip_label.format(bank=bank, first=first, last=first + count - 1)
    return None


def sysfs_number(root: str, info: ChipInfo, line: int, bank: int, first: int, count: int) -> Tuple[int, str]:
    """(sysfs GPIO number, description) of ``line``, from the gpiochip whose
    label names our controller: base + offset within that chip."""
    want = sysfs_chip_label(info, bank, first, count)
    if want is None:
        raise Unavailable(f"the table of {info.soc} does not name its kernel GPIO chips")
    if not os.path.isdir(root):
        raise Unavailable(f"{root} does not exist (kernel without CONFIG_GPIO_SYSFS)")
    chips = sorted(d for d in os.listdir(root) if d.startswith("gpiochip"))
    for d in chips:
        try:
            label = _read_text(os.path.join(root, d, "label"))
            base = int(_read_text(os.path.join(root, d, "base")))
            ngpio = int(_read_text(os.path.join(root, d, "ngpio")))
        except (OSError, ValueError):
            continue
        if label != want:
            continue
        offset = line if info.gpiochip_label is not None else line - first
        if 0 <= offset < ngpio:
            return base + offset, f"{d} ({label}, base {base}): gpio{base + offset}"
    raise Unavailable(f"no gpiochip in {root} labelled {want!r} (the controller of {info.soc})")


def sysfs_summary(chip: Chip, register_file: bool) -> str:
    """Where the kernel's sysfs numbers this chip's lines (for ``fastgpio info``)."""
    root = os.environ.get(SYSFS_ENV)
    if root is None:
        if register_file:
            return "n/a (register-file mode)"
        root = SYSFS_DEFAULT
    info = chip.info
    parts = []
    try:
        for b in range(chip.num_banks):
            first, count = chip.bank_lines(b)
            number, _ = sysfs_number(root, info, first, b, first, count)
            parts.append(f"line {first} = gpio{number}")
            if info.gpiochip_label is not None:  # one gpiochip for every bank
                return f"line N = gpio{number - first}+N"
    except Unavailable as e:
        return f"unavailable: {e}"
    return ", ".join(parts)


def is_register_file(chip: Chip) -> bool:
    try:
        return stat.S_ISREG(os.stat(chip.info.device).st_mode)
    except OSError:
        return False


class SysfsLine:
    """One exported sysfs GPIO. Unexports on close() only what it exported,
    and only once; close() is safe after a partial open()."""

    def __init__(self, root: str, number: int) -> None:
        self.root = root
        self.number = number
        self.dir = os.path.join(root, f"gpio{number}")
        self.exporting = False  # set before the export write: an interrupt right after still unexports
        self.fd = -1

    def _write(self, name: str, text: str) -> None:
        with open(os.path.join(self.root, name) if "/" not in name else name, "w") as f:
            f.write(text)

    def open(self) -> None:
        if not os.path.exists(self.dir):
            self.exporting = True
            try:
                self._write("export", str(self.number))
            except PermissionError:
                self.exporting = False
                raise Unavailable(f"no permission to write {self.root}/export "
                                  "(run as root or as a member of group gpio)") from None
            except OSError as e:
                self.exporting = False
                raise Unavailable(f"export of gpio{self.number} failed: {e.strerror} "
                                  "(line already requested by another user?)") from None
        self.direction("in")  # waits for udev to give the files their permissions
        try:
            self.fd = os.open(os.path.join(self.dir, "value"), os.O_RDWR | os.O_CLOEXEC)
        except OSError as e:
            raise Unavailable(f"cannot open {self.dir}/value: {e.strerror}") from None

    def direction(self, d: str) -> None:
        path = os.path.join(self.dir, "direction")
        deadline = time.monotonic() + 5.0  # udev is slow on a loaded Pi Zero
        while True:
            try:
                self._write(path, d)
                return
            except (PermissionError, FileNotFoundError) as e:
                if time.monotonic() > deadline:  # udev never made it writable
                    raise Unavailable(f"cannot write {path}: {e.strerror}") from None
                time.sleep(0.01)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.exporting:
            self.exporting = False
            if os.path.exists(self.dir):
                self._write("unexport", str(self.number))


# ---- the measured loops: locals only, same shape for every per-call method -------

def _loop_pin_toggle(pin: Any, pairs: int) -> int:
    t0 = time.perf_counter_ns()
    for _ in range(pairs):
        pin.on()
        pin.off()
    return time.perf_counter_ns() - t0


def _loop_pin_read(pin: Any, n: int) -> int:
    t0 = time.perf_counter_ns()
    for _ in range(n):
        pin.value
    return time.perf_counter_ns() - t0


def _loop_bank_toggle(chip: Chip, bank: int, mask: int, pairs: int) -> int:
    t0 = time.perf_counter_ns()
    for _ in range(pairs):
        chip.bank_write(bank, mask, mask)
        chip.bank_write(bank, mask, 0)
    return time.perf_counter_ns() - t0


def _loop_bank_read(chip: Chip, bank: int, n: int) -> int:
    t0 = time.perf_counter_ns()
    for _ in range(n):
        chip.bank_read(bank)
    return time.perf_counter_ns() - t0


def _loop_sysfs_toggle(fd: int, pairs: int) -> int:
    w = os.pwrite
    t0 = time.perf_counter_ns()
    for _ in range(pairs):
        w(fd, b"1", 0)
        w(fd, b"0", 0)
    return time.perf_counter_ns() - t0


def _loop_sysfs_read(fd: int, n: int) -> int:
    r = os.pread
    t0 = time.perf_counter_ns()
    for _ in range(n):
        r(fd, 2, 0)
    return time.perf_counter_ns() - t0


class Runner:
    """One method: ``run(kind, n)`` performs about n operations and returns
    (operations done, elapsed ns); ``prepare(kind)`` sets the line up."""

    detail = ""

    def prepare(self, kind: str) -> None:
        pass

    def run(self, kind: str, n: int) -> Tuple[int, int]:
        raise NotImplementedError

    def close(self) -> None:
        pass


class PinRunner(Runner):
    """Per-call Python over a Chip (mmap, or the gpiod backend)."""

    def __init__(self, chip: Chip, line: int, detail: str = "", own: bool = False) -> None:
        self.chip, self.line, self.own, self.detail = chip, line, own, detail
        self.pin = chip.pin(line)

    def prepare(self, kind: str) -> None:
        if self.own:  # the main chip's function is set by the bench itself
            self.chip.set_function(self.line, "out" if kind == "toggle" else "in")

    def run(self, kind: str, n: int) -> Tuple[int, int]:
        if kind == "toggle":
            pairs = max(1, n // 2)
            return 2 * pairs, _loop_pin_toggle(self.pin, pairs)
        return n, _loop_pin_read(self.pin, n)

    def close(self) -> None:
        self.pin = None
        if self.own:
            self.chip.close()


class BankRunner(Runner):
    def __init__(self, chip: Chip, bank: int, mask: int) -> None:
        self.chip, self.bank, self.mask = chip, bank, mask

    def run(self, kind: str, n: int) -> Tuple[int, int]:
        if kind == "toggle":
            pairs = max(1, n // 2)
            return 2 * pairs, _loop_bank_toggle(self.chip, self.bank, self.mask, pairs)
        return n, _loop_bank_read(self.chip, self.bank, n)


class WaveRunner(Runner):
    BATCH = 1 << 16  # samples per bank_sample_into call (256 KiB buffer)

    def __init__(self, chip: Chip, bank: int, mask: int) -> None:
        self.chip, self.bank = chip, bank
        self.steps = pack_steps([(mask, 0, 0), (0, mask, 0)])
        self.buf = array("I", bytes(4 * self.BATCH))

    def run(self, kind: str, n: int) -> Tuple[int, int]:
        if kind == "toggle":
            pairs = min(max(1, n // 2), 0xFFFFFFFF)
            t0 = time.perf_counter_ns()
            self.chip.wave(self.bank, self.steps, pairs)
            return 2 * pairs, time.perf_counter_ns() - t0
        calls = max(1, -(-n // self.BATCH))
        fill = self.chip.bank_sample_into
        t0 = time.perf_counter_ns()
        for _ in range(calls):
            fill(self.bank, self.buf)
        return calls * self.BATCH, time.perf_counter_ns() - t0


class CLoopRunner(Runner):
    def __init__(self, chip: Chip, line: int) -> None:
        self.chip, self.line = chip, line

    def run(self, kind: str, n: int) -> Tuple[int, int]:
        t0 = time.perf_counter_ns()
        if kind == "toggle":
            pairs = min(max(1, n // 2), 0xFFFFFFFF)
            _core._bench_store_loop(self.chip, self.line, pairs)
            return 2 * pairs, time.perf_counter_ns() - t0
        n = min(max(1, n), 0xFFFFFFFF)
        _core._bench_load_loop(self.chip, self.line, n)
        return n, time.perf_counter_ns() - t0


class SysfsRunner(Runner):
    def __init__(self, sysfs: SysfsLine, detail: str) -> None:
        self.sysfs, self.detail = sysfs, detail

    def prepare(self, kind: str) -> None:
        self.sysfs.direction("out" if kind == "toggle" else "in")

    def run(self, kind: str, n: int) -> Tuple[int, int]:
        if kind == "toggle":
            pairs = max(1, n // 2)
            return 2 * pairs, _loop_sysfs_toggle(self.sysfs.fd, pairs)
        return n, _loop_sysfs_read(self.sysfs.fd, n)

    def close(self) -> None:
        self.sysfs.close()


# ---- the bench ---------------------------------------------------------------

class Context:
    """What the method set-ups need to know."""

    def __init__(self, chip: Chip, line: int, open_chip: Callable[..., Chip], register_file: bool) -> None:
        self.chip, self.line, self.open_chip, self.register_file = chip, line, open_chip, register_file
        self.info = chip.info
        self.soc = self.info.soc
        for b in range(chip.num_banks):
            first, count = chip.bank_lines(b)
            if first <= line < first + count:
                self.bank, self.first, self.count = b, first, count
                break
        self.mask = 1 << (line - self.first)
        self.cleanups: List[Runner] = []


def _setup(name: str, ctx: Context) -> Runner:
    if name == "sysfs":
        root = os.environ.get(SYSFS_ENV)
        if root is None:
            if ctx.register_file:
                raise Unavailable("register-file mode (sysfs drives the real chip, not the file)")
            root = SYSFS_DEFAULT
        number, detail = sysfs_number(root, ctx.info, ctx.line, ctx.bank, ctx.first, ctx.count)
        s = SysfsLine(root, number)
        ctx.cleanups.append(SysfsRunner(s, detail))  # registered before open: a partial open is undone
        s.open()
        return ctx.cleanups[-1]
    if name == "gpiod":
        if ctx.register_file:
            raise Unavailable("register-file mode (the gpio character device drives the real chip)")
        try:
            g = ctx.open_chip(backend="gpiod")
        except (ValueError, OSError) as e:
            raise Unavailable(f"Chip(backend='gpiod') failed: {e.strerror if isinstance(e, OSError) and e.strerror else e}") from None
        try:
            r = PinRunner(g, ctx.line, f"{g.info.device}", own=True)
        except BaseException:
            g.close()
            raise
        ctx.cleanups.append(r)
        return r
    if name == "pin":
        return PinRunner(ctx.chip, ctx.line)
    if name == "bank":
        return BankRunner(ctx.chip, ctx.bank, ctx.mask)
    if name == "wave":
        return WaveRunner(ctx.chip, ctx.bank, ctx.mask)
    if name == "c-loop":
        return CLoopRunner(ctx.chip, ctx.line)
    raise ValueError(name)


def _measure(runner: Runner, kind: str, seconds: float, repeat: int,
             progress: Callable[[str], None], what: str) -> List[float]:
    """Calibrates n to about ``seconds`` per run, then ``repeat`` runs: rates."""
    n = 16
    while True:
        done, ns = runner.run(kind, n)
        if ns >= 20e6 or ns >= seconds * 1e9 / 4:
            break
        n = n * 2 if ns <= 0 else max(n * 2, int(n * min(50.0, 25e6 / ns)))
    n = max(1, int(done * seconds * 1e9 / max(ns, 1)))
    rates = []
    for i in range(repeat):
        progress(f"{what}: run {i + 1}/{repeat}")
        done, ns = runner.run(kind, n)
        rates.append(done * 1e9 / max(ns, 1))
    return rates


def _stats(rates: Sequence[float]) -> Dict[str, Any]:
    s = sorted(rates)
    q = statistics.quantiles(s, n=4, method="inclusive") if len(s) > 1 else [s[0]] * 3
    return {"median": statistics.median(s), "min": s[0], "max": s[-1], "q1": q[0], "q3": q[2],
            "runs": list(rates)}


class _Progress:
    def __init__(self, enabled: bool) -> None:
        self.tty = enabled and sys.stderr.isatty()
        self.enabled = enabled
        self.last = ""

    def __call__(self, text: str) -> None:
        if not self.enabled:
            return
        if self.tty:
            sys.stderr.write("\r\033[K" + "fastgpio bench: " + text)
            sys.stderr.flush()
        elif text.endswith("run 1/" + text.rsplit("/", 1)[-1]):  # one line per (method, kind)
            print("fastgpio bench: " + text.rsplit(":", 1)[0], file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.enabled and self.tty:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _signal_to_interrupt(signum: int, frame: Any) -> None:
    raise Interrupted(signum)


def run_bench(chip: Chip, line: int, open_chip: Callable[..., Chip], methods: Sequence[str],
              repeat: int, seconds: float, progress_on: bool) -> Dict[str, Any]:
    """Runs the bench on ``line`` of an open ``chip``; returns the results dict
    (schema fastgpio-bench/1). Restores the line's function and output level and
    undoes sysfs exports before returning or raising."""
    info = chip.info
    register_file = is_register_file(chip)
    ctx = Context(chip, line, open_chip, register_file)
    func0 = chip.get_function(line)
    level0 = chip.read(line)
    progress = _Progress(progress_on)
    results: Dict[str, Any] = {
        "schema": SCHEMA,
        "fastgpio": _version(),
        "soc": info.soc, "board": info.board, "backend": info.backend, "device": info.device,
        "register_file": register_file,
        "line": line, "bank": ctx.bank, "repeat": repeat, "seconds": seconds,
        "initial": {"function": str(func0), "level": level0},
        "host": {"machine": platform.machine(), "kernel": platform.release(),
                 "python": platform.python_version(), "cpus": os.cpu_count()},
        "note": ("register-file mode: the registers are page cache, so rates are those of cached "
                 "memory, not MMIO" if register_file else ""),
        "methods": [],
    }
    cleanup_errors: List[str] = []
    old = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, _signal_to_interrupt)
    try:
        chosen = [(n, lb) for n, lb in METHODS if n in methods]
        for idx, (name, label) in enumerate(chosen, 1):
            step = f"[{idx}/{len(chosen)}] "
            entry: Dict[str, Any] = {"name": name, "label": label, "available": False,
                                     "reason": None, "detail": ""}
            results["methods"].append(entry)
            progress(f"{step}{name}: setting up")
            try:
                runner = _setup(name, ctx)
            except Unavailable as e:
                entry["reason"] = str(e)
                continue
            entry["available"] = True
            entry["detail"] = runner.detail
            try:
                for kind in KINDS:
                    chip.set_function(line, "out" if kind == "toggle" else "in")
                    runner.prepare(kind)
                    entry[kind] = _stats(_measure(runner, kind, seconds, repeat, progress,
                                                  f"{step}{name} {kind}s"))
                    entry[kind]["unit"] = UNITS[kind]
            except NotSupportedError as e:  # e.g. no batch path on this backend
                for kind in KINDS:
                    entry.pop(kind, None)
                entry.update(available=False, reason=f"not supported here: {e.strerror or e}")
            finally:
                if runner in ctx.cleanups:
                    ctx.cleanups.remove(runner)
                    try:
                        runner.close()
                    except OSError as e:  # reported in "restored", the bench goes on
                        cleanup_errors.append(f"{name}: {e}")
        _ratios(results)
    finally:
        # No second Ctrl-C may cut the clean-up short.
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        try:
            progress.done()
            errors = cleanup_errors
            for r in reversed(ctx.cleanups):  # kernel owners first: unexport may reset the function
                try:
                    r.close()
                except OSError as e:
                    errors.append(f"{type(r).__name__}: {e}")
            if func0 == Function.OUT:
                chip.write(line, level0)
            if func0 != Function.NONE:
                chip.set_function(line, func0)
            results["restored"] = {"function": str(chip.get_function(line)), "ok": not errors
                                   and chip.get_function(line) == func0, "errors": errors}
        finally:
            for s, h in old.items():
                signal.signal(s, h if h is not None else signal.SIG_DFL)
    return results


def _ratios(results: Dict[str, Any]) -> None:
    by = {m["name"]: m for m in results["methods"] if m["available"]}
    for m in by.values():
        for kind in KINDS:
            med = m[kind]["median"]
            for key, ref in (("vs_sysfs", BASELINE), ("vs_ceiling", CEILING)):
                r = by.get(ref)
                m[kind][key] = med / r[kind]["median"] if r and r[kind]["median"] else None


def _version() -> str:
    from . import __version__
    return __version__


# ---- output --------------------------------------------------------------------

def human_rate(r: float) -> str:
    for div, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if r >= div:
            return f"{r / div:.3g} {unit}/s"
    return f"{r:.3g} /s"


def _ratio(x: Optional[float]) -> str:
    if x is None:
        return "-"
    return f"{x:.3g}x" if x >= 1 else f"{x:.2g}x" if x >= 1e-4 else f"{x:.1e}x"


def format_table(results: Dict[str, Any]) -> str:
    out = []
    pin = results.get("pin") or f"line {results['line']}"
    out.append(f"fastgpio bench: {results['soc']} ({results['board']}), {pin}, backend "
               f"{results['backend']} on {results['device']}; median of {results['repeat']} runs "
               f"of ~{results['seconds']:g} s [min-max]")
    if results.get("note"):
        out.append(f"note: {results['note']}")
    w = max(len(m["label"]) for m in results["methods"]) if results["methods"] else 10
    for kind, title in (("toggle", "output toggles (level changes/s)"), ("read", "input reads (reads/s)")):
        out.append("")
        out.append(f"{title:<{w}}  {'median':>10}  {'spread':>21}  {'x sysfs':>8}  {'x ceiling':>9}")
        for m in results["methods"]:
            if not m["available"]:
                if kind == "toggle":
                    out.append(f"{m['label']:<{w}}  unavailable: {m['reason']}")
                continue
            s = m[kind]
            spread = f"[{human_rate(s['min'])}-{human_rate(s['max'])}]".replace(" /s", "").replace("/s", "")
            out.append(f"{m['label']:<{w}}  {human_rate(s['median']):>10}  {spread:>21}  "
                       f"{_ratio(s.get('vs_sysfs')):>8}  {_ratio(s.get('vs_ceiling')):>9}")
    for m in results["methods"]:
        if m["available"] and m.get("detail"):
            out.append(f"{m['name']}: {m['detail']}")
    r = results.get("restored")
    if r is not None:
        out.append(f"line {results['line']} restored to {r['function']}"
                   + ("" if r["ok"] else f" (problems: {'; '.join(r['errors']) or 'function differs'})"))
    return "\n".join(out)


def check_matplotlib() -> Optional[str]:
    """None when matplotlib imports, else the one-line message for the user."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return "--plot needs matplotlib: pip install 'fastgpio[plot]' (or python3-matplotlib)"
    return None


def plot(results: Dict[str, Any], path: str, title: Optional[str] = None) -> None:
    """A log-scale horizontal bar chart: toggles and reads of every method that ran."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    methods = [m for m in results["methods"] if m["available"]]
    fig, axes = plt.subplots(1, 2, figsize=(12, 1.2 + 0.55 * max(1, len(methods))), sharey=True)
    labels = [m["label"] for m in methods][::-1]
    for ax, kind, name in zip(axes, KINDS, ("output toggles (level changes/s)", "input reads (reads/s)")):
        med = [m[kind]["median"] for m in methods][::-1]
        lo = [m[kind]["median"] - m[kind]["min"] for m in methods][::-1]
        hi = [m[kind]["max"] - m[kind]["median"] for m in methods][::-1]
        colors = ["tab:gray" if m["name"] in (BASELINE, CEILING) else "tab:blue" for m in methods][::-1]
        ax.barh(range(len(med)), med, xerr=[lo, hi], color=colors, capsize=3)
        ax.set_xscale("log")
        ax.set_xlabel(name + ", log scale")
        ax.grid(axis="x", which="both", alpha=0.3)
        tops = [m[kind]["max"] for m in methods][::-1]
        for y, (v, top) in enumerate(zip(med, tops)):  # right of the error bar, not on it
            ax.text(top * 1.15, y, human_rate(v), va="center", fontsize=8)
        if med:
            ax.set_xlim(min(med) / 3, max(m[kind]["max"] for m in methods) * 20)
    axes[0].set_yticks(range(len(labels)))
    axes[0].set_yticklabels(labels)
    if title is None:
        title = f"fastgpio bench: {results['soc']}, line {results['line']}, {results['backend']}"
        if results.get("register_file"):
            title += " (register file: cached memory, not MMIO)"
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


# ---- the subcommand ----------------------------------------------------------

def add_parser(sub: Any) -> None:
    b = sub.add_parser("bench", help="toggle and read rates: sysfs, gpiod, mmap, C (see --help)",
                       description="Rates of output toggles and input reads on one pin for every "
                       "method: " + ", ".join(METHOD_NAMES) + ". The pin is driven as an output "
                       "during the toggles; its function and level are restored at the end.")
    b.add_argument("--line", metavar="PIN", help="pin to bench (default GPIO17 on a Pi, P9_12 on a BeagleBone)")
    b.add_argument("--repeat", type=_positive_int, default=5, metavar="N", help="runs per measurement (default 5)")
    b.add_argument("--seconds", type=_positive_float, default=0.2, metavar="S",
                   help="length of one run (default 0.2)")
    b.add_argument("--methods", type=_method_list, default=list(METHOD_NAMES), metavar="M1,M2",
                   help="subset of: " + ",".join(METHOD_NAMES))
    b.add_argument("--json", action="store_true", help="print the results as JSON only")
    b.add_argument("--plot", metavar="FILE.png", help="draw a log-scale bar chart (needs matplotlib)")
    b.add_argument("--title", help="title of the plot")
    b.add_argument("--from-json", metavar="RESULTS.json",
                   help="do not measure: print/plot results saved with --json")
    b.add_argument("--force", action="store_true",
                   help="bench a pin that is in an alternate function (used by a peripheral?)")


def _positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise _arg_error(f"expected a positive integer, got {text!r}")
    if v < 1:
        raise _arg_error(f"expected a positive integer, got {text!r}")
    return v


def _positive_float(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise _arg_error(f"expected a positive number, got {text!r}")
    if not 0 < v < 3600:
        raise _arg_error(f"expected a number of seconds in (0, 3600), got {text!r}")
    return v


def _method_list(text: str) -> List[str]:
    names = [t.strip() for t in text.split(",") if t.strip()]
    bad = [n for n in names if n not in METHOD_NAMES]
    if bad or not names:
        raise _arg_error(f"unknown method {', '.join(bad) or repr(text)} (use {','.join(METHOD_NAMES)})")
    return names


def _arg_error(msg: str) -> Exception:
    import argparse
    return argparse.ArgumentTypeError(msg)


def command(args: Any, open_chip: Callable[..., Chip]) -> int:
    """``fastgpio bench``; ``open_chip(**overrides)`` opens a Chip with the global options."""
    if args.plot:
        msg = check_matplotlib()
        if msg:
            print(f"fastgpio: {msg}", file=sys.stderr)
            return 2
    if args.from_json:
        try:
            with open(args.from_json) as f:
                results = json.load(f)
        except OSError as e:
            print(f"fastgpio: cannot read {args.from_json}: {e.strerror}", file=sys.stderr)
            return 2
        except ValueError as e:
            print(f"fastgpio: {args.from_json} is not JSON: {e}", file=sys.stderr)
            return 2
        if not isinstance(results, dict) or results.get("schema") != SCHEMA:
            print(f"fastgpio: {args.from_json} is not fastgpio bench output (schema {SCHEMA})",
                  file=sys.stderr)
            return 2
    else:
        with open_chip() as chip:
            name = args.line or chip.info.bench_line  # the SoC table's default
            if name is None:
                raise ValueError(f"no default bench pin for SoC {chip.info.soc}: pass --line PIN")
            line = chip.line(name)
            func = chip.get_function(line)
            if func not in (Function.IN, Function.OUT) and not args.force:
                raise ValueError(f"{name} is {func} (in use by a peripheral?): choose another --line "
                                 "or pass --force")
            try:
                results = run_bench(chip, line, open_chip, args.methods, args.repeat, args.seconds,
                                    progress_on=True)
            except KeyboardInterrupt as e:
                signum = e.signum if isinstance(e, Interrupted) else signal.SIGINT
                print(f"\nfastgpio: interrupted; line {name} restored, sysfs exports undone",
                      file=sys.stderr)
                return 128 + int(signum)
            results["pin"] = name
    if args.json:
        json.dump(results, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print(format_table(results))
    if args.plot:
        plot(results, args.plot, args.title)
        if not args.json:
            print(f"plot written to {args.plot}")
    restored = results.get("restored")
    return 0 if restored is None or restored.get("ok", True) else 1
