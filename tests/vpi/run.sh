#!/bin/bash
# SPDX-License-Identifier: MIT
# Emulated Raspberry Pi test rig. For each machine it builds, in a Debian root
# of the machine's architecture and suite, the wheel a user of that board
# installs (from the sdist the host builds), boots QEMU with Debian's kernel
# and runs the guest tests (tests/vpi/guest) plus the project's C unit tests:
#   raspi0          Pi Zero (BCM2835, ARM1176)  bookworm armel, rpi kernel,    wheel built from the sdist
#   raspi2b         Pi 2 B  (BCM2836, Cortex-A7) bookworm armhf, armmp kernel, manylinux armv7l cp311
#   raspi2b-trixie  Pi 2 B  (BCM2836)           trixie armhf, bookworm kernel, manylinux armv7l cp313
#   raspi3b         Pi 3 B  (BCM2837)           bookworm arm64, arm64 kernel,  manylinux aarch64 cp311
#   raspi4b         Pi 4 B  (BCM2711)           bookworm arm64, arm64 kernel,  manylinux aarch64 cp311
#   raspi4b-trixie  Pi 4 B  (BCM2711)           trixie arm64, bookworm kernel, manylinux aarch64 cp313
#
# Usage (as root): tests/vpi/run.sh [--machine all|both|NAME[,NAME...]]
#                  [--jobs N] [--jobs-file FILE] [--timeout SECONDS]
#                  [--prepare-only] [-k EXPRESSION]
#   --machine       default all; both = raspi3b,raspi4b
#   --jobs          machines prepared and booted at once (default 2)
#   --jobs-file     read the number of machines booted at once from FILE each
#                   time one is about to start (tests/run.sh writes 1 while its
#                   host stages run beside the rig, then 2); --jobs while FILE
#                   does not exist; the preparation always takes --jobs
#   --timeout       per-machine limit for reaching the sentinel (default 900;
#                   raspi0, one emulated ARM1176 core, gets a third more: its
#                   guest takes 300-450 s, and a hang should not cost 45 minutes)
#   --prepare-only  build everything the machines need, boot none
#   --host-setup    only install the host's packages and tools (tests/run.sh
#                   does this before the background preparation: no two apt
#                   runs at once)
#   -k              only the guest pytest tests matching EXPRESSION (pytest -k,
#                   e.g. -k gpiosim); the C tests still run
# Logs of the last run: $VPI_CACHE/logs (default tests/vpi/cache/logs):
# prepare-TARGET.log, MACHINE.log (serial console).
# Prints "MACHINE: N passed, N failed, N skipped" per machine and
# "N passed, N failed" last; exits non-zero if anything failed.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MACHINE_ARG=all TIMEOUT=900 JOBS=2 JOBS_FILE= SELECT= PREPARE_ONLY=0
while [ $# -gt 0 ]; do
    case $1 in
        --machine) MACHINE_ARG=$2; shift 2 ;;
        --machine=*) MACHINE_ARG=${1#*=}; shift ;;
        --timeout) TIMEOUT=$2; shift 2 ;;
        --jobs) JOBS=$2; shift 2 ;;
        --jobs-file) JOBS_FILE=$2; shift 2 ;;
        --serial) JOBS=1; shift ;;
        --prepare-only) PREPARE_ONLY=1; shift ;;
        --host-setup) PREPARE_ONLY=2; shift ;;
        -k) SELECT=$2; shift 2 ;;
        -h|--help) sed -n '3,/^[^#]/{/^#/p}' "$0"; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done
case $JOBS in ''|*[!0-9]*|0) die "--jobs must be a positive number" ;; esac
# slots: how many machines may boot at once now; wait_below N S: polls every
# S seconds until fewer than N of this shell's jobs run
slots() {
    local n=$JOBS
    [ -z "$JOBS_FILE" ] || [ ! -r "$JOBS_FILE" ] || n=$(cat "$JOBS_FILE")
    case $n in ''|*[!0-9]*|0) n=$JOBS ;; esac
    echo "$n"
}
wait_below() { while [ "$(jobs -rp | wc -l)" -ge "$1" ]; do sleep "$2"; done; }
MACHINES=$(machines_of "$MACHINE_ARG")

# A failure before the guests report (install, build) still ends with the
# closing summary line, so CI's log says what happened.
DONE=0
trap '[ $DONE = 1 ] || { echo "vpi: preparation failed (see above); no guest ran"; echo "0 passed, 1 failed"; }' EXIT

need_root
T0=$SECONDS
mkdir -p "$CACHE"
host_setup
if [ $PREPARE_ONLY = 2 ]; then DONE=1; log "host set up"; exit 0; fi
LOGS=$CACHE/logs
mkdir -p "$LOGS"

# The targets of the machines asked for, each with its machines (machines of
# one target share a root and are prepared one after the other).
declare -A GROUP=()
TARGETS=
for m in $MACHINES; do
    use_machine "$m"
    [ -n "${GROUP[$TARGET]:-}" ] || TARGETS="$TARGETS $TARGET"
    GROUP[$TARGET]="${GROUP[$TARGET]:-} $m"
    ensure_kernel     # downloads, once per kernel flavour: before the parallel part
done
ensure_sdist

# Prepare the targets, $JOBS at a time, each into its own log.
prepare_target() {
    local t=$1 m
    for m in ${GROUP[$t]}; do use_machine "$m"; prepare_machine; done
}
# Each writes its exit status to a file: bash may have forgotten a job
# reaped long before (seen: "wait: pid N is not a child of this shell" for
# the first of five targets prepared one at a time).
rm -f "$LOGS"/prepare-*.rc
for t in $TARGETS; do
    wait_below "$JOBS" 2   # --jobs, never the jobs file
    log "preparing $t (${GROUP[$t]# }): $LOGS/prepare-$t.log"
    { if ( set -euo pipefail; prepare_target "$t" ) > "$LOGS/prepare-$t.log" 2>&1; then echo 0; else echo $?; fi > "$LOGS/prepare-$t.rc"; } &
done
wait
PFAIL=0
for t in $TARGETS; do
    if [ "$(cat "$LOGS/prepare-$t.rc" 2>/dev/null)" = 0 ]; then
        grep -h -E '^wheel: |package step took|root built in|gpio-sim: built' "$LOGS/prepare-$t.log" | sed "s/^/[$t] /" || true
    else
        echo "vpi: preparing $t failed; its log:"; tail -n 60 "$LOGS/prepare-$t.log"; PFAIL=1
    fi
done
[ $PFAIL = 0 ] || exit 2
log "prepared in $((SECONDS - T0)) s: $MACHINES"
if [ $PREPARE_ONLY = 1 ]; then
    DONE=1
    echo "vpi: --prepare-only: nothing booted"
    exit 0
fi

# gpiozero's and colorzero's pure-Python wheels for the side-by-side tests
# (guest/test_vpi_rpigpio.py; downloaded here, the guest has no network),
# unpacked under /opt/gpiozero; Debian's RPi.GPIO is in each guest tree.
PEERS=$CACHE/peers-stage
WH=$CACHE/wheels-gpiozero
if ! ls "$WH"/gpiozero-*.whl "$WH"/colorzero-*.whl >/dev/null 2>&1; then
    log "downloading the gpiozero and colorzero wheels"
    rm -rf "$WH.tmp"; mkdir -p "$WH.tmp"
    "$HOST_TOOLS/bin/pip" download -q --only-binary :all: --no-deps -d "$WH.tmp" "gpiozero>=2.0" colorzero > "$LOGS/gpiozero.log" 2>&1 ||
        { cat "$LOGS/gpiozero.log"; die "cannot download gpiozero"; }
    rm -rf "$WH"; mv "$WH.tmp" "$WH"
fi
rm -rf "$PEERS"; mkdir -p "$PEERS/opt/gpiozero"
python3 -c 'import sys, zipfile; [zipfile.ZipFile(w).extractall(sys.argv[1]) for w in sys.argv[2:]]' \
    "$PEERS/opt/gpiozero" "$WH"/*.whl
# -k travels to the guest as a file in the initramfs (guest/init reads it)
[ -z "$SELECT" ] || printf '%s\n' "$SELECT" > "$PEERS/vpi-pytest-k"

declare -A INITRD=()
for m in $MACHINES; do
    use_machine "$m"; GPIOSIM_DIR=; ensure_gpiosim >/dev/null
    INITRD[$m]=$(make_initramfs initramfs "$PEERS")
done
rm -f "$LOGS"/*.rc
for m in $MACHINES; do rm -f "$LOGS/$m.log" "$LOGS/$m.log.qemu"; done
limit_of() { if [ "$1" = raspi0 ]; then echo $((4 * TIMEOUT / 3)); else echo "$TIMEOUT"; fi; }
run_one() {
    local m=$1; set +e
    boot_pi "$m" test "${INITRD[$m]}" "$LOGS/$m.log" "$(limit_of "$m")" 2> >(tee "$LOGS/$m.time" >&2)
    echo $? > "$LOGS/$m.rc"
}
# In the order of $ALL_MACHINES (raspi0, the longest, first), as many at a
# time as slots says. raspi0 no longer needs to run alone: the module
# kmod/vpi-systimer.c keeps its timer from being lost when its vCPU thread
# waits for a host CPU (lib.sh use_machine).
log "booting, $(slots) at a time${JOBS_FILE:+ (from $JOBS_FILE)}: $MACHINES"
for m in $MACHINES; do
    wait_below "$(slots)" 1
    log "booting $m"
    run_one "$m" &
done
wait

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
    # Where the suite has both libgpiod generations, the 2.x pass is part of
    # every run: a guest without it is a failure, never a quiet skip.
    use_machine "$m"
    if [ "$GPIOD" = "1 2" ] && [ -n "$res" ] && ! tr -d '\r' < "$LOGS/$m.log" | grep '^VPI: the libgpiod tests again' >/dev/null; then
        echo "$m: the libgpiod 2.x pass (FASTGPIO_LIBGPIOD=2) did not run in the guest (its log has no second pass)"
        FAIL=1; f=$((f + 1))
    fi
    if [ "$rc" != 0 ]; then
        FAIL=1
        # a guest that never reported counts as one failure
        if [ -z "$res" ] || [ "$f" = 0 ]; then f=$((f + 1)); fi
        case $rc in
            124) why="no sentinel within $(limit_of "$m") s" ;;
            125) why="kernel panic" ;;
            126) why="QEMU exited before the sentinel" ;;
            127) why="wedged in the kernel's boot ${BOOT_ATTEMPTS:-3} times (no VPI-BOOTED within ${BOOT_LIMIT:-120} s)" ;;
            *) why="guest tests failed (status $rc)" ;;
        esac
        echo "$m: $why; the end of its serial log ($LOGS/$m.log):"
        tr -d '\r' < "$LOGS/$m.log" | tail -n 80 | sed "s/^/[$m tail] /"
    fi
    secs=$(sed -n "s/.*$m: guest finished with status .* after \([0-9]*\) s.*/\1/p" "$LOGS/$m.time" 2>/dev/null | tail -1)
    boots=$(sed -n "s/.*$m: guest finished .*(booted on attempt \([0-9]*\)).*/, booted on attempt \1/p" "$LOGS/$m.time" 2>/dev/null | tail -1)
    SUMMARY+="$m: $p passed, $f failed, $s skipped${secs:+ (guest ran $secs s$boots)}"$'\n'
    TP=$((TP + p)); TF=$((TF + f))
done
DONE=1
# Figures the guest tests measured (reported, never asserted): tests' report fixture.
for m in $MACHINES; do tr -d '\r' < "$LOGS/$m.log" | sed -n 's/^.*VPI-MEASURE /measured: /p'; done
echo "vpi: total $((SECONDS - T0)) s"
printf '%s' "$SUMMARY"
echo "$TP passed, $TF failed"
[ $FAIL = 0 ] && [ $TF = 0 ]
