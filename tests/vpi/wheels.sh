#!/bin/bash
# SPDX-License-Identifier: MIT
# The files the project publishes, built the way the rig builds and tests them:
# the sdist (built on this host, `twine check`ed) and, from it, one manylinux
# wheel per target (zig cc against glibc 2.31's symbols, `auditwheel repair`,
# `twine check`), each made in a Debian root of its architecture and suite
# (tests/vpi/README.md), copied into dist/ of the checkout. The rig's run.sh
# boots exactly these wheels; a build this script did is reused by run.sh, and
# the other way round.
#
# Usage (as root): tests/vpi/wheels.sh [--target T[,T...]] [--gcc]
#   --target  default bookworm-arm64,trixie-arm64,bookworm-armhf,trixie-armhf:
#             the aarch64 and armv7l wheels for cp311 and cp313
#   --gcc     also copy the wheel built from the sdist with bookworm-arm64's
#             gcc (tagged linux_aarch64: what pip builds where no wheel fits;
#             not for upload)
# Prints the name, tags and size of each file copied.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

GCC=0 WTARGETS=bookworm-arm64,trixie-arm64,bookworm-armhf,trixie-armhf
while [ $# -gt 0 ]; do
    case $1 in
        --gcc) GCC=1; shift ;;
        --target) WTARGETS=$2; shift 2 ;;
        -h|--help) sed -n '3,/^[^#]/{/^#/p}' "$0"; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done

need_root
T0=$SECONDS
host_setup
ensure_sdist
files=("$SDIST")
for t in ${WTARGETS//,/ }; do
    use_target "$t"
    [ "$WHEEL" = zig ] || die "$t has no published wheel (its users build the sdist)"
    ensure_buildroot
    ensure_package
    files+=("$ROOT"/vpi/dist/*-manylinux*.whl)
    [ $GCC = 0 ] || [ "$t" != bookworm-arm64 ] || files+=("$ROOT"/vpi/dist-gcc/*.whl)
done

OUT=$REPO/dist
mkdir -p "$OUT"
for f in "${files[@]}"; do
    [ -f "$f" ] || die "missing in the build root: $f"
    cp "$f" "$OUT/"
done
# dist/ belongs to whoever owns the checkout, not to root (sudo)
chown -R --reference="$REPO" "$OUT"
python3 - "${files[@]}" <<'PY'
import os, sys, zipfile
for f in sys.argv[1:]:
    tags = ""
    if f.endswith(".whl"):
        with zipfile.ZipFile(f) as z:
            meta = next(n for n in z.namelist() if n.endswith(".dist-info/WHEEL"))
            tags = " ".join(l.split(":", 1)[1].strip() for l in z.read(meta).decode().splitlines()
                            if l.startswith("Tag:"))
        tags = f"  tags: {tags}"
    print(f"dist/{os.path.basename(f)}{tags}  size: {os.path.getsize(f)} bytes")
PY
log "done in $((SECONDS - T0)) s: $OUT"
