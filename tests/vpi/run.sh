#!/bin/bash
# Emulated Raspberry Pi test rig: builds the aarch64 package the user's way
# (pip wheel of the sdist inside an arm64 Debian root), boots QEMU raspi3b
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
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
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
# -k travels to the guest as a file in the initramfs (guest/init reads it)
EXTRA=$CACHE/run-extra; rm -rf "$EXTRA"; mkdir -p "$EXTRA"
[ -z "$SELECT" ] || printf '%s\n' "$SELECT" > "$EXTRA/vpi-pytest-k"
INITRD=$(make_initramfs initramfs "$EXTRA")
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
echo "vpi: total $((SECONDS - T0)) s"
printf '%s' "$SUMMARY"
echo "$TP passed, $TF failed"
[ $FAIL = 0 ] && [ $TF = 0 ]
