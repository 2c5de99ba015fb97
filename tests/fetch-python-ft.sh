#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds a free-threaded CPython 3.13 ("3.13t", --disable-gil) for the
# free-threading stage of tests/run.sh, once per machine, and prints the path
# of its python3 executable.
# The source is Debian trixie's python3.13 source package, which carries the
# unmodified upstream tarball: fetched with apt-get source after a deb-src
# trixie entry is added by copying the machine's own Debian source entry with
# the suite and type changed (tests/vpi/add-backports.py). pyenv's
# python-build builds it (offline, from PYTHON_BUILD_CACHE_PATH, so it checks
# the tarball against the checksum it knows); without pyenv, ./configure
# --disable-gil directly. About 2-3 minutes on 2 cores.
# --gil builds the same release with the GIL instead (python3.13), for
# benchmarks/threads.py's comparison; the tests never need it.
# Usage: bash tests/fetch-python-ft.sh [--gil] [CACHE_DIR]   (default /var/cache/fastgpio-ft)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
gil=0
if [ "${1:-}" = "--gil" ]; then
	gil=1
	shift
fi
cache=${1:-/var/cache/fastgpio-ft}
if [ "$gil" -eq 1 ]; then
	prefix="$cache/python3.13" suffix="" want=0 configure_flags=()
else
	prefix="$cache/python3.13t" suffix="t" want=1 configure_flags=(--disable-gil)
fi
py="$prefix/bin/python3"

ready() {
	[ -x "$py" ] && [ "$("$py" -c 'import sysconfig; print(sysconfig.get_config_var("Py_GIL_DISABLED") or 0)' 2>/dev/null)" = "$want" ]
}
if ready; then
	echo "$py"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "fetch-python-ft.sh: run as root (it enables a package source and installs build packages)" >&2
	exit 1
fi
# What CPython's build needs for the modules the tests use (ssl for pip, zlib,
# ctypes' libffi, lzma, bz2, sqlite3 for hypothesis' example database).
build_pkgs=(gcc make xz-utils libssl-dev zlib1g-dev libffi-dev liblzma-dev libbz2-dev libsqlite3-dev)
missing=()
for p in "${build_pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done

. /etc/os-release
release=${VERSION_CODENAME:-bookworm}
python3 "$top/tests/vpi/add-backports.py" "$release" trixie deb-src >&2
apt-get update -qq >&2
if [ ${#missing[@]} -gt 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
src="$cache/src$suffix"
rm -rf "$src" "$prefix"
mkdir -p "$src"
(cd "$src" && apt-get source -q --download-only python3.13/trixie 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true)
orig=$(find "$src" -maxdepth 1 -name 'python3.13_3.13.*.orig.tar.xz' | head -n 1)
if [ -z "$orig" ]; then
	echo "fetch-python-ft.sh: no python3.13 orig tarball in trixie's source package" >&2
	exit 1
fi
ver=${orig##*/python3.13_}
ver=${ver%.orig.tar.xz}
cp "$orig" "$src/Python-$ver.tar.xz"
echo "fetch-python-ft.sh: building CPython ${ver}$suffix into $prefix" >&2
start=$SECONDS
pybuild=$(command -v python-build || true)
[ -z "$pybuild" ] && [ -x "${PYENV_ROOT:-$HOME/.pyenv}/plugins/python-build/bin/python-build" ] &&
	pybuild="${PYENV_ROOT:-$HOME/.pyenv}/plugins/python-build/bin/python-build"
defs=$([ -n "$pybuild" ] && "$pybuild" --definitions || true)
log="$cache/build$suffix.log"
if grep -qx "${ver}$suffix" <<<"$defs"; then
	PYTHON_BUILD_CACHE_PATH="$src" MAKE_OPTS="-j$(nproc)" "$pybuild" "${ver}$suffix" "$prefix" >"$log" 2>&1 ||
		{ tail -n 30 "$log" >&2; exit 1; }
else
	echo "fetch-python-ft.sh: no python-build definition for ${ver}$suffix; configure ${configure_flags[*]} directly" >&2
	tar -C "$src" -xf "$src/Python-$ver.tar.xz"
	(cd "$src/Python-$ver" && ./configure -q "${configure_flags[@]}" --prefix="$prefix" --with-ensurepip=install &&
		make -s -j"$(nproc)" && make -s install) >"$log" 2>&1 ||
		{ tail -n 30 "$log" >&2; exit 1; }
fi
rm -rf "$src"
if ! ready; then
	echo "fetch-python-ft.sh: $py is not the build asked for (Py_GIL_DISABLED should be $want)" >&2
	exit 1
fi
echo "fetch-python-ft.sh: built in $((SECONDS - start)) s" >&2
echo "$py"
