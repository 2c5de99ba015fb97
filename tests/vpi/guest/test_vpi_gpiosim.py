# SPDX-License-Identifier: MIT
"""gpio-sim in the emulated Pi: the rig's own check that the module it builds
(tests/vpi/lib.sh ensure_gpiosim) does what the edge-event tests rely on,
proved without fastgpio's event code: libgpiod's gpiomon sees the edges the
`gpiosim` fixture drives, with kernel timestamps; gpioinfo shows a hogged
line as used; fastgpio's gpiod backend reads the driven level and its
outputs show in the simulator. QEMU's own GPIO models cannot drive an input
or raise an edge interrupt; this chip can. Runs with libgpiod 1.6 and, in the
init's second pass, with 2.x (whose tools take other options)."""
import errno
import functools
import os
import re
import select
import subprocess
import time

import pytest

pytestmark = pytest.mark.vpi

fastgpio = pytest.importorskip("fastgpio")


@functools.lru_cache(maxsize=None)
def tools_v2():
    """The libgpiod tools in PATH are 2.x (other options and output than 1.6's)."""
    out = subprocess.run(["gpioinfo", "--version"], capture_output=True, text=True).stdout
    return re.search(r"\(libgpiod\) v2\.", out) is not None


def gpioinfo_line(sim, line):
    """gpioinfo's view of @line of @sim: (consumer or "unused", "input"/"output").
    1.6: 'line   5:      unnamed     "vpi-hog"  output  active-high [used]';
    2.x: 'line   5:      "NAME"         output consumer="vpi-hog"', the consumer
    unquoted on an unnamed line: 'line   5:      unnamed        output consumer=vpi-hog'."""
    argv = ["gpioinfo", "-c", sim.chip_name] if tools_v2() else ["gpioinfo", sim.chip_name]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    for text in out.splitlines():
        m = re.match(r"\s*line\s+(\d+):", text)
        if not m or int(m.group(1)) != line:
            continue
        direction = "output" if re.search(r"\boutput\b", text) else "input"
        m2 = re.search(r'consumer=(?:"([^"]*)"|(\S+))', text)
        m1 = re.match(r'\s*line\s+\d+:\s+(?:"[^"]*"|unnamed)\s+"([^"]*)"', text)
        consumer = (m2.group(1) or m2.group(2)) if m2 else m1.group(1) if m1 else "unused"
        return consumer, direction
    pytest.fail(f"line {line} not in gpioinfo output:\n{out}")


class Gpiomon:
    """gpiomon watching @edges ("both", "rising", "falling") of @line, started and waited for until the
    kernel shows the line requested. Each event is read as gpiomon prints it
    (1.6: --line-buffered; 2.x flushes each one), so a test can wait for one
    edge before making the next: the kernel reads the level to name an edge
    of a both-edges request, and two pulls in a row could be named alike."""

    def __init__(self, sim, line, edges="both"):
        if tools_v2():
            argv = ["gpiomon", "-e", edges, "-F", "%E %o %S", "-c", sim.chip_name, str(line)]
        else:
            flags = {"both": [], "rising": ["-r"], "falling": ["-f"]}[edges]
            argv = ["gpiomon", "-b", *flags, "-F", "%e %o %s %n", sim.chip_name, str(line)]
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.buf = b""
        for _ in range(200):
            if gpioinfo_line(sim, line)[0] == "gpiomon" or self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if gpioinfo_line(sim, line)[0] != "gpiomon":
            self.close()
            pytest.fail(f"gpiomon never requested line {line}: {self.proc.communicate()}")

    def event(self, timeout=30):
        """(edge "rising"|"falling", offset, timestamp ns) of the next event, or
        None when none comes within @timeout s (a generous bound: not a timing check)."""
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buf:     # raw reads: nothing hides in a file buffer
            if not select.select([fd], [], [], timeout)[0]:
                return None
            chunk = os.read(fd, 4096)
            assert chunk, f"gpiomon ended: {self.proc.communicate()}"
            self.buf += chunk
        text, self.buf = self.buf.split(b"\n", 1)
        f = text.decode().split()
        if tools_v2():      # 'rising 3 1234.000056789'
            sec, frac = f[2].split(".")
            return f[0], int(f[1]), int(sec) * 10**9 + int(frac.ljust(9, "0"))
        # 1.6: '1 3 1234 56789' (1 rising, 0 falling)
        return {"1": "rising", "0": "falling"}[f[0]], int(f[1]), int(f[2]) * 10**9 + int(f[3])

    def close(self):
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture
def gpiomon():
    """gpiomon(sim, line, edges="both") -> Gpiomon, ended at the test's end."""
    mons = []

    def start(sim, line, edges="both"):
        mons.append(Gpiomon(sim, line, edges))
        return mons[-1]

    yield start
    for m in mons:
        m.close()


def test_sim_chip_is_a_gpio_chip(gpiosim):
    sim = gpiosim(6, label="vpi-sim-check")
    assert os.path.exists(sim.dev) and re.fullmatch(r"gpiochip\d+", sim.chip_name)
    out = subprocess.run(["gpiodetect"], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"^{sim.chip_name} \[vpi-sim-check\] \(6 lines\)$", out, re.M), out
    # Nobody holds the lines: the simulated level follows the pull.
    assert [sim.value(n) for n in range(6)] == [0] * 6
    sim.pull(4, 1)
    assert [sim.value(n) for n in range(6)] == [0, 0, 0, 0, 1, 0]
    sim.pull(4, 0)
    assert sim.value(4) == 0
    with pytest.raises(ValueError):
        sim.pull(6, 1)


def test_gpiomon_sees_the_edges_pull_drives(gpiosim, gpiomon):
    sim = gpiosim()
    mon = gpiomon(sim, 3)
    events = []
    before = time.monotonic_ns()
    for level in (1, 0, 1, 0):
        sim.pull(3, level)
        events.append(mon.event())
    after = time.monotonic_ns()
    assert None not in events, events
    assert [(e, o) for e, o, _ in events] == [("rising", 3), ("falling", 3), ("rising", 3), ("falling", 3)]
    stamps = [t for _, _, t in events]
    # CLOCK_MONOTONIC stamps the kernel took as each edge happened
    assert stamps == sorted(stamps) and before <= stamps[0] and stamps[-1] <= after, (before, stamps, after)
    assert sim.value(3) == 0


def test_no_event_without_a_level_change(gpiosim, gpiomon):
    sim = gpiosim()
    mon = gpiomon(sim, 1)
    sim.pull(2, 1)                  # a neighbour
    sim.pull(1, 0)                  # already pulled down: no edge
    sim.pull(1, 1)
    e = mon.event()
    assert e is not None and e[:2] == ("rising", 1)
    assert mon.event(timeout=0.5) is None   # and nothing else was queued before it


@pytest.mark.parametrize("edges", ["rising", "falling"])
def test_gpiomon_gets_only_the_requested_edge(gpiosim, gpiomon, edges):
    sim = gpiosim()
    mon = gpiomon(sim, 4, edges)
    got = []
    for level in (1, 0, 1, 0):
        sim.pull(4, level)
        if (level == 1) == (edges == "rising"):
            got.append(mon.event())
    assert [e[:2] if e else e for e in got] == [(edges, 4), (edges, 4)]
    assert mon.event(timeout=0.5) is None   # the other edges were never queued


def test_hogged_line_is_used_by_the_kernel(gpiosim):
    sim = gpiosim(8, hog=(5, "vpi-hog", "output-high"), names={5: "HOGGED"})
    assert gpioinfo_line(sim, 5) == ("vpi-hog", "output")
    assert gpioinfo_line(sim, 4) == ("unused", "input")
    assert sim.value(5) == 1
    with fastgpio.Chip(backend="gpiod", gpiochip=sim.dev) as c:
        with pytest.raises(OSError, match="vpi-hog") as e:
            c.write(5, 0)
        assert e.value.errno == errno.EBUSY and sim.value(5) == 1
        c.pin(4, "out", value=1)    # the other lines stay free
        assert sim.value(4) == 1


def test_fastgpio_gpiod_reads_the_pulled_input(gpiosim):
    sim = gpiosim()
    with fastgpio.Chip(backend="gpiod", gpiochip=sim.dev) as c:
        assert c.info.device == sim.dev and c.info.num_lines == 8
        p = c.pin(6, "in")
        assert gpioinfo_line(sim, 6) == ("fastgpio", "input")
        seen = []
        for level in (1, 0, 1):
            sim.pull(6, level)
            seen.append(p.value)
        assert seen == [1, 0, 1]
        assert c.read(7) == 0       # a neighbour keeps its own pull


def test_fastgpio_gpiod_output_shows_in_the_simulator(gpiosim):
    sim = gpiosim()
    with fastgpio.Chip(backend="gpiod", gpiochip=sim.dev) as c:
        p = c.pin(2, "out", value=1)
        assert gpioinfo_line(sim, 2) == ("fastgpio", "output")
        assert sim.value(2) == 1
        p.off()
        assert sim.value(2) == 0
        p.toggle()
        assert sim.value(2) == 1
        sim.pull(2, 0)              # an output ignores the pull
        assert sim.value(2) == 1 and p.value == 1
    assert gpioinfo_line(sim, 2)[0] == "unused"
