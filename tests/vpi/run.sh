#!/bin/bash
# SPDX-License-Identifier: MIT
# Emulated Raspberry Pi test rig: builds the aarch64 sdist and the manylinux
# wheel the project publishes (inside an arm64 Debian root), boots QEMU raspi3b
# (BCM2837) and raspi4b (BCM2711) with Debian's arm64 kernel, and runs the
# guest tests (tests/vpi/guest) plus the project's C unit tests inside each.
#
# Usage (as root): tests/vpi/run.sh [--machine raspi3b|raspi4b|both]
#                  [--timeout SECONDS] [--serial] [-k EXPRESSION]
#   --timeout  per-machine limit for reaching the sentinel (default 600)
#   --serial   boot the machines one after the other (default: in parallel)
#   -k         only the guest pytest tests matching EXPRESSION (pytest -k,
#              e.g. -k gpiosim); the C tests still run
# Serial console logs of the last run: tests/vpi/cache/logs/MACHINE.log
# Prints "MACHINE: N passed, N failed, N skipped" per machine and
# "N passed, N failed" last; exits non-zero if anything failed.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MACHINE=both TIMEOUT=600 PARALLEL=1 SELECT=
while [ $# -gt 0 ]; do
    case $1 in
        --machine) MACHINE=$2; shift 2 ;;
        --machine=*) MACHINE=${1#*=}; shift ;;
        --timeout) TIMEOUT=$2; shift 2 ;;
        --serial) PARALLEL=0; shift ;;
        -k) SELECT=$2; shift 2 ;;
        -h|--help) sed -n '3,/^[^#]/{/^#/p}' "$0"; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done
case $MACHINE in
    both) MACHINES="raspi3b raspi4b" ;;
    raspi3b|raspi4b) MACHINES=$MACHINE ;;
    *) die "--machine must be raspi3b, raspi4b or both" ;;
esac

# A failure before the guests report (install, build) still ends with the
# closing summary line, so CI's log says what happened.
DONE=0
trap '[ $DONE = 1 ] || { echo "vpi: preparation failed (see above); no guest ran"; echo "0 passed, 1 failed"; }' EXIT

need_root
T0=$SECONDS
host_setup
ensure_kernel
ensure_gpiosim
ensure_buildroot
ensure_gpiod2
ensure_guest_tree

# The RPi.GPIO side-by-side tests (guest/test_vpi_rpigpio.py): Debian's RPi.GPIO
# 0.7.1 (arm64 .deb, unpacked under /opt/rpi-gpio so it shadows nothing) and
# gpiozero's pure-Python wheels (downloaded here: the guest has no network)
# under /opt/gpiozero. Both are added to $CACHE idempotently.
PEERS=$CACHE/rpigpio-stage
ensure_rpigpio_peers() {
    local deb wh=$CACHE/wheels-gpiozero
    mkdir -p "$CACHE/debs"
    if ! ls "$CACHE"/debs/python3-rpi.gpio_*_arm64.deb >/dev/null 2>&1; then
        log "downloading Debian's python3-rpi.gpio (arm64)"
        (cd "$CACHE/debs" && apt-get download -q python3-rpi.gpio:arm64 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
    fi
    if ! ls "$wh"/gpiozero-*.whl "$wh"/colorzero-*.whl >/dev/null 2>&1; then
        log "downloading the gpiozero and colorzero wheels"
        mkdir -p "$wh.tmp"
        python3 -m pip download -q --only-binary :all: --no-deps -d "$wh.tmp" "gpiozero>=2.0" colorzero \
            || "$REPO/.venv-test/bin/python" -m pip download -q --only-binary :all: --no-deps -d "$wh.tmp" "gpiozero>=2.0" colorzero
        rm -rf "$wh"; mv "$wh.tmp" "$wh"
    fi
    rm -rf "$PEERS"; mkdir -p "$PEERS/opt/rpi-gpio" "$PEERS/opt/gpiozero"
    deb=$(ls "$CACHE"/debs/python3-rpi.gpio_*_arm64.deb 2>/dev/null | head -1)
    if [ -n "$deb" ]; then
        dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$PEERS/opt/rpi-gpio" --strip-components=5 \
            --wildcards './usr/lib/python3/dist-packages/*'
    else
        log "WARNING: no python3-rpi.gpio arm64 package: the side-by-side tests will be skipped"
    fi
    # RPi.GPIO's PWM thread ends with pthread_exit, for which glibc loads libgcc_s at run time
    # (ldd does not list it, so the guest tree may lack it).
    mkdir -p "$PEERS/usr/lib/aarch64-linux-gnu"
    cp -L "$ROOT/usr/lib/aarch64-linux-gnu/libgcc_s.so.1" "$PEERS/usr/lib/aarch64-linux-gnu/"
    python3 -c 'import sys, zipfile; [zipfile.ZipFile(w).extractall(sys.argv[1]) for w in sys.argv[2:]]' \
        "$PEERS/opt/gpiozero" "$CACHE"/wheels-gpiozero/*.whl
}
ensure_rpigpio_peers
# -k travels to the guest as a file in the initramfs (guest/init reads it)
[ -z "$SELECT" ] || printf '%s\n' "$SELECT" > "$PEERS/vpi-pytest-k"
INITRD=$(make_initramfs initramfs "$PEERS")
log "prepared in $((SECONDS - T0)) s; booting: $MACHINES"

LOGS=$CACHE/logs
mkdir -p "$LOGS"; rm -f "$LOGS"/*
run_one() { local m=$1; set +e; boot_pi "$m" test "$INITRD" "$LOGS/$m.log" "$TIMEOUT"; echo $? > "$LOGS/$m.rc"; }
if [ $PARALLEL = 1 ]; then
    for m in $MACHINES; do run_one "$m" & done
    wait
else
    for m in $MACHINES; do run_one "$m"; done
fi

TP=0 TF=0 FAIL=0
for m in $MACHINES; do
    rc=$(cat "$LOGS/$m.rc")
    res=$(tr -d '\r' < "$LOGS/$m.log" | sed -n 's/^VPI-RESULT //p' | tail -1)
    p=0 f=0 s=0
    if [ -n "$res" ]; then
        p=$(echo "$res" | sed -n 's/.*passed=\([0-9]*\).*/\1/p')
        f=$(echo "$res" | sed -n 's/.*failed=\([0-9]*\).*/\1/p')
        s=$(echo "$res" | sed -n 's/.*skipped=\([0-9]*\).*/\1/p')
    fi
    # The libgpiod 2.x pass is part of every run: a guest without it (no second
    # wheel in its initramfs, a stale cache) is a failure, never a quiet skip.
    if [ -n "$res" ] && ! tr -d '\r' < "$LOGS/$m.log" | grep '^VPI: the libgpiod tests again' >/dev/null; then
        echo "$m: the libgpiod 2.x pass (FASTGPIO_LIBGPIOD=2) did not run in the guest (its log has no second pass)"
        FAIL=1; f=$((f + 1))
    fi
    if [ "$rc" != 0 ]; then
        FAIL=1
        # a guest that never reported counts as one failure
        if [ -z "$res" ] || [ "$f" = 0 ]; then f=$((f + 1)); fi
        case $rc in
            124) why="no sentinel within $TIMEOUT s" ;;
            125) why="kernel panic" ;;
            126) why="QEMU exited before the sentinel" ;;
            *) why="guest tests failed (status $rc)" ;;
        esac
        echo "$m: $why; serial log: $LOGS/$m.log"
    fi
    SUMMARY+="$m: $p passed, $f failed, $s skipped"$'\n'
    TP=$((TP + p)); TF=$((TF + f))
done
DONE=1
# Figures the guest tests measured (reported, never asserted): tests' report fixture.
for m in $MACHINES; do tr -d '\r' < "$LOGS/$m.log" | sed -n 's/^.*VPI-MEASURE /measured: /p'; done
echo "vpi: total $((SECONDS - T0)) s"
printf '%s' "$SUMMARY"
echo "$TP passed, $TF failed"
[ $FAIL = 0 ] && [ $TF = 0 ]
