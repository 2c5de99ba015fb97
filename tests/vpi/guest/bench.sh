#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs inside the emulated Pi (vpi.mode=bench, initramfs made by
# tests/vpi/bench.sh): every line of /vpi-bench/commands in /vpi-bench, its
# output between VPI-BENCH-BEGIN / VPI-BENCH-END lines that the host cuts out.
# Files the commands leave in /vpi-bench/out follow, base64-encoded between
# VPI-BENCH-FILE NAME and VPI-BENCH-FILE-END. Exits non-zero if a command failed.
cd /vpi-bench || exit 1
export PYTHONDONTWRITEBYTECODE=1
echo "VPI-BENCH-INFO model=$(tr -d '\0' < /proc/device-tree/model) kernel=$(uname -r) cpus=$(nproc)"
rc=0
while IFS= read -r cmd; do
    [ -n "$cmd" ] || continue
    echo "VPI-BENCH-BEGIN $cmd"
    t0=$(date +%s)
    sh -c "$cmd" 2>&1
    r=$?
    echo "VPI-BENCH-END rc=$r $(($(date +%s) - t0)) s"
    [ $r = 0 ] || rc=1
done < /vpi-bench/commands
for f in /vpi-bench/out/*; do
    [ -f "$f" ] || continue
    echo "VPI-BENCH-FILE ${f##*/}"
    base64 "$f"
    echo "VPI-BENCH-FILE-END"
done
exit $rc
