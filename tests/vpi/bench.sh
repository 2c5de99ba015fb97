#!/bin/bash
# SPDX-License-Identifier: MIT
# The benchmarks (benchmarks/README.md) on the emulated Raspberry Pi 3 / 4 (QEMU raspi3b /
# raspi4b): boots each machine with the package (the same guest tree as
# run.sh), benchmarks/*.py, the arm64 c_fastpath from the build root's meson
# build, and Debian's python3-rpi.gpio and python3-libgpiod (arm64 .debs
# unpacked into the guest's Python path), then runs in /vpi-bench:
#   python3 benchmarks/toggle_rates.py --hw --out --line 17
#   python3 benchmarks/wave.py --hw --c-bench ./c_fastpath --line 17
#   ./c_fastpath --hw --line 17 --n 1000000
#   fastgpio bench --json --plot out/fastgpio-bench.png > out/fastgpio-bench.json
#   fastgpio bench --from-json out/fastgpio-bench.json
# (c_fastpath's default of 20 M pairs x 11 runs takes an hour at emulated MMIO
# speed). Rates are QEMU's (TCG), not hardware's: only the ratios measured
# side by side in one run mean something.
#
# Usage (as root): tests/vpi/bench.sh [--machine raspi3b|raspi4b|both]
#                  [--runs N] [--commands FILE] [--timeout SECONDS]
#   --runs     repeat the three commands N times in one boot (default 1)
#   --commands run FILE's lines (shell commands, in /vpi-bench) instead
#   --timeout  per-machine limit for reaching the sentinel (default 1800)
# The machines boot one after the other (parallel guests would share the
# host's CPUs and skew each other). Output of each machine:
# tests/vpi/cache/logs/bench-MACHINE.txt (printed at the end); serial log:
# tests/vpi/cache/logs/bench-MACHINE.log; files the commands leave in
# /vpi-bench/out (the bench's JSON and PNG): tests/vpi/cache/logs/bench-MACHINE-NAME.
# For --plot the guest gets Debian's python3-matplotlib and what it needs
# (arm64 .debs, ~24 MB; only in this bench initramfs, not in run.sh's).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MACHINE=both TIMEOUT=1800 RUNS=1 COMMANDS=
while [ $# -gt 0 ]; do
    case $1 in
        --machine) MACHINE=$2; shift 2 ;;
        --machine=*) MACHINE=${1#*=}; shift ;;
        --runs) RUNS=$2; shift 2 ;;
        --commands) COMMANDS=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
        --timeout) TIMEOUT=$2; shift 2 ;;
        -h|--help) sed -n '3,/^[^#]/{/^#/p}' "$0"; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done
case $MACHINE in
    both) MACHINES="raspi3b raspi4b" ;;
    raspi3b|raspi4b) MACHINES=$MACHINE ;;
    *) die "--machine must be raspi3b, raspi4b or both" ;;
esac
case $RUNS in ''|*[!0-9]*|0) die "--runs must be a positive number" ;; esac

# Debian's arm64 packages of the peers the benchmarks compare with, unpacked
# into the guest's dist-packages (their C libraries, libc and libgpiod2, are
# in the guest tree already).
PEER_DEBS="python3-rpi.gpio python3-libgpiod"
ensure_peer_debs() {
    local p
    mkdir -p "$CACHE/debs"
    for p in $PEER_DEBS; do
        ls "$CACHE"/debs/"${p}"_*_arm64.deb >/dev/null 2>&1 && continue
        log "downloading Debian's $p (arm64)"
        (cd "$CACHE/debs" && apt-get download -q "$p:arm64" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
        ls "$CACHE"/debs/"${p}"_*_arm64.deb >/dev/null 2>&1 || die "cannot download $p:arm64 (apt-get update?)"
    done
}

# Debian's matplotlib for `fastgpio bench --plot` in the guest: the package,
# its Python dependencies and the shared libraries they load that the guest
# tree lacks (listed, not resolved by apt: the full closure drags in Tk and X).
# Checked by the guest itself: the bench command fails if the import does.
PLOT_DEBS="python3-matplotlib python-matplotlib-data fonts-dejavu-core python3-numpy python3-dateutil
 python3-pyparsing python3-six python3-contourpy python3-cycler python3-fonttools python3-kiwisolver
 python3-packaging python3-pil libblas3 liblapack3 libgfortran5 libgomp1 libfreetype6 libpng16-16
 libqhull-r8.0 libstdc++6 libgcc-s1 libbrotli1 libjpeg62-turbo libopenjp2-7 libimagequant0 libtiff6
 libdeflate0 libjbig0 liblerc4 libwebp7 libzstd1 libxcb1 libxau6 libxdmcp6 libbsd0 libmd0"
ensure_plot_debs() {
    local p d=$CACHE/debs/plot
    mkdir -p "$d"
    for p in $PLOT_DEBS; do
        ls "$d"/"${p}"_*.deb >/dev/null 2>&1 && continue
        # arm64 for compiled packages; Architecture: all ones have no :arm64 candidate
        (cd "$d" && { apt-get download -q "$p:arm64" 2>/dev/null || apt-get download -q "$p"; } 2>&1 |
            grep -v '^W: Download is performed unsandboxed' || true)
        ls "$d"/"${p}"_*.deb >/dev/null 2>&1 || die "cannot download $p (arm64 or all; apt-get update?)"
    done
}

# The arm64 c_fastpath that meson built next to the C tests (build-in-root.sh
# `package` step), located through meson's introspection data.
c_fastpath_path() {
    python3 - "$ROOT/vpi/build-c/meson-info/intro-targets.json" <<'PY'
import json, sys
for t in json.load(open(sys.argv[1])):
    if t["name"] == "c_fastpath":
        print(t["filename"][0])
        break
else:
    sys.exit("no c_fastpath target in the build root's meson build (tests option off?)")
PY
}

need_root
T0=$SECONDS
host_setup
# both machines boot the bookworm arm64 guest (the peers' .debs are arm64)
use_machine raspi3b
prepare_machine
ensure_peer_debs
ensure_plot_debs

STAGE=$CACHE/bench-stage
rm -rf "$STAGE"; mkdir -p "$STAGE/vpi-bench/benchmarks" "$STAGE/vpi-bench/out" "$STAGE/usr/lib/python3/dist-packages"
install -m 755 "$VPI_DIR/guest/bench.sh" "$STAGE/vpi-bench/run.sh"
cp "$REPO"/benchmarks/*.py "$STAGE/vpi-bench/benchmarks/"
CFP=$(c_fastpath_path)
install -m 755 "$ROOT$CFP" "$STAGE/vpi-bench/c_fastpath"
for p in $PEER_DEBS; do
    d=$(ls "$CACHE"/debs/"${p}"_*_arm64.deb | head -1)
    dpkg-deb --fsys-tarfile "$d" | tar -x -C "$STAGE" --wildcards './usr/lib/python3/dist-packages/*'
done
for d in "$CACHE"/debs/plot/*.deb; do
    dpkg-deb --fsys-tarfile "$d" | tar -x -C "$STAGE" \
        --exclude='./usr/share/doc*' --exclude='./usr/share/man*' --exclude='./usr/share/lintian*' \
        --exclude='*/tests/*'
done
# The guest's /lib is a link to usr/lib: a directory of that name in the
# initramfs would replace the link (and with it the ELF loader's path).
if [ -d "$STAGE/lib" ]; then
    cp -a "$STAGE/lib/." "$STAGE/usr/lib/"
    rm -rf "$STAGE/lib"
fi
# what update-alternatives would have made
ln -sf blas/libblas.so.3 "$STAGE/usr/lib/aarch64-linux-gnu/libblas.so.3"
ln -sf lapack/liblapack.so.3 "$STAGE/usr/lib/aarch64-linux-gnu/liblapack.so.3"
: > "$STAGE/vpi-bench/commands"
for _ in $(seq "$RUNS"); do
    if [ -n "$COMMANDS" ]; then
        cat "$COMMANDS" >> "$STAGE/vpi-bench/commands"
    else
        cat >> "$STAGE/vpi-bench/commands" <<'EOF'
python3 benchmarks/toggle_rates.py --hw --out --line 17
python3 benchmarks/wave.py --hw --c-bench ./c_fastpath --line 17
./c_fastpath --hw --line 17 --n 1000000
fastgpio bench --json --plot out/fastgpio-bench.png --title "fastgpio bench: $(tr -d '\0' < /proc/device-tree/model), emulated by QEMU (not hardware)" > out/fastgpio-bench.json
fastgpio bench --from-json out/fastgpio-bench.json
EOF
    fi
done
INITRD=$(make_initramfs initramfs-bench "$STAGE")
log "prepared in $((SECONDS - T0)) s; benchmarking: $MACHINES"

LOGS=$CACHE/logs
mkdir -p "$LOGS"
QEMU_VERSION=$(qemu-system-aarch64 --version | head -1 | sed 's/^QEMU emulator version //')
HOST_CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
FAIL=0
for m in $MACHINES; do
    rm -f "$LOGS/bench-$m.log" "$LOGS/bench-$m.txt"
    set +e
    boot_pi "$m" bench "$INITRD" "$LOGS/bench-$m.log" "$TIMEOUT" >&2
    rc=$?
    set -e
    [ $rc = 0 ] || FAIL=1
    {
        echo "== $m: $(date -u '+%Y-%m-%d %H:%M UTC'), QEMU $QEMU_VERSION (TCG) on $HOST_CPU," \
             "$(nproc) host CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
        tr -d '\r' < "$LOGS/bench-$m.log" | sed -n 's/^VPI-BENCH-INFO /guest: /p'
        tr -d '\r' < "$LOGS/bench-$m.log" | sed -n '/^VPI-BENCH-BEGIN /,/^VPI-BENCH-END /{
            s/^VPI-BENCH-BEGIN /$ /; s/^VPI-BENCH-END /(/; /^(rc=/s/$/)/; p; }'
        [ $rc = 0 ] || echo "$m: guest status $rc (124: no sentinel within $TIMEOUT s); serial log $LOGS/bench-$m.log"
    } > "$LOGS/bench-$m.txt"
    # files from /vpi-bench/out, base64 between VPI-BENCH-FILE NAME / VPI-BENCH-FILE-END
    rm -f "$LOGS/bench-$m"-*.json "$LOGS/bench-$m"-*.png
    for f in $(tr -d '\r' < "$LOGS/bench-$m.log" | sed -n 's/^VPI-BENCH-FILE \([A-Za-z0-9._-]*\)$/\1/p'); do
        tr -d '\r' < "$LOGS/bench-$m.log" | sed -n "/^VPI-BENCH-FILE $f\$/,/^VPI-BENCH-FILE-END/{/^VPI-BENCH-FILE/d; p; }" |
            base64 -d > "$LOGS/bench-$m-$f" && echo "$m: $LOGS/bench-$m-$f" >> "$LOGS/bench-$m.txt"
    done
done
log "total $((SECONDS - T0)) s"
for m in $MACHINES; do cat "$LOGS/bench-$m.txt"; echo; done
exit $FAIL
