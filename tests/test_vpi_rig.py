# SPDX-License-Identifier: MIT
"""The emulated-Pi rig's boot control (tests/vpi/lib.sh boot_pi/boot_once),
with a scripted stand-in for qemu-system: a guest that wedges in the kernel's
boot is booted again up to BOOT_ATTEMPTS times, keeping each wedged attempt's
console; a panic, an early QEMU exit, a missing sentinel and the guest's own
status each come back as their documented code. Runs in seconds on any host:
no QEMU, no cache."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parent / "vpi" / "lib.sh"

# Each call plays the next word of FAKE_PLAN: "wedge" (prints nothing),
# "boot:N" (VPI-BOOTED, then the sentinel with status N), "hang" (VPI-BOOTED,
# no sentinel), "panic", "exit" (QEMU ends at once).
FAKE_QEMU = r"""#!/bin/bash
log=
for a in "$@"; do case $a in file:*) log=${a#file:} ;; esac; done
n=$(($(cat "$FAKE_COUNT" 2>/dev/null || echo 0) + 1)); echo $n > "$FAKE_COUNT"
set -- $FAKE_PLAN; shift $((n - 1)); step=${1:-wedge}
echo "fake qemu: call $n: $step" >> "$log"
case $step in
wedge) ;;
boot:*) printf 'VPI-BOOTED\nVPI-SENTINEL rc=%s\n' "${step#boot:}" >> "$log" ;;
hang) echo VPI-BOOTED >> "$log" ;;
panic) echo "Kernel panic - not syncing: test" >> "$log" ;;
exit) exit 1 ;;
esac
exec sleep 60
"""


def boot(tmp_path: Path, plan: str, attempts: int = 3, limit: int = 30) -> subprocess.Popen:
    d = tmp_path / plan.replace(" ", "_").replace(":", "")
    d.mkdir()
    qemu = d / "qemu"
    qemu.write_text(FAKE_QEMU)
    qemu.chmod(0o755)
    script = f"""
set -eu
source {LIB}
use_machine() {{ QEMU_M=raspi0 QEMU_SYS={qemu} MEM=512M EARLYCON=0x20201000 QEMU_EXTRA=(); }}
make_dtb() {{ echo /dev/null; }}
kernel_image() {{ echo /dev/null; }}
rc=0; boot_pi raspi0 test /dev/null {d}/console.log {limit} || rc=$?
echo "RC=$rc"
"""
    env = dict(os.environ, FAKE_PLAN=plan, FAKE_COUNT=str(d / "count"), BOOT_LIMIT="2",
               BOOT_ATTEMPTS=str(attempts), VPI_CACHE=str(d / "cache"))
    p = subprocess.Popen(["bash", "-c", script], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    p.dir = d  # type: ignore[attr-defined]
    return p


def result(p: subprocess.Popen) -> tuple:
    out, err = p.communicate(timeout=60)
    rc = [line for line in out.splitlines() if line.startswith("RC=")]
    assert rc, (out, err)
    calls = int((p.dir / "count").read_text())  # type: ignore[attr-defined]
    return int(rc[-1][3:]), calls, err


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_boot_retries_a_wedged_kernel_and_reports_each_outcome(tmp_path):
    # all at once: each waits out BOOT_LIMIT (2 s) or the 1 s polls
    runs = {
        "retried": boot(tmp_path, "wedge wedge boot:0"),
        "status": boot(tmp_path, "boot:3"),
        "wedged": boot(tmp_path, "wedge wedge wedge", attempts=2),
        "panic": boot(tmp_path, "panic"),
        "exited": boot(tmp_path, "exit"),
        "no-sentinel": boot(tmp_path, "hang", limit=3),
    }
    got = {k: result(p) for k, p in runs.items()}
    d = {k: p.dir for k, p in runs.items()}  # type: ignore[attr-defined]

    rc, calls, err = got["retried"]
    assert (rc, calls) == (0, 3)
    assert "booted on attempt 3" in err and "attempt 2 of 3" in err and "attempt 3 of 3" in err
    for n in (1, 2):  # each wedged console kept, the last one is the log
        assert "call %d: wedge" % n in (d["retried"] / f"console.log.attempt{n}").read_text()
    assert "VPI-SENTINEL rc=0" in (d["retried"] / "console.log").read_text()

    assert got["status"][:2] == (3, 1)                  # the guest's own status, first boot
    assert "booted on attempt" not in got["status"][2]
    assert got["wedged"][:2] == (127, 2)                # BOOT_ATTEMPTS=2: two boots, then 127
    assert "wedged in all 2 boots" in got["wedged"][2] and "booted on" not in got["wedged"][2]
    assert (d["wedged"] / "console.log.attempt1").exists()
    assert not (d["wedged"] / "console.log.attempt2").exists()
    assert got["panic"][:2] == (125, 1) and "kernel panic" in got["panic"][2]
    assert got["exited"][:2] == (126, 1) and "QEMU exited early" in got["exited"][2]
    assert got["no-sentinel"][:2] == (124, 1)           # booted, but no sentinel in time
    assert "no sentinel within 3 s" in got["no-sentinel"][2]
