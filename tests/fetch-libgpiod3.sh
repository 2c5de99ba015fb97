#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetches libgpiod 2.x (Debian package libgpiod3) for the host tests, without
# installing it: the host keeps libgpiod 1.x (libgpiod2) on its loader path
# and the tests put this copy there for the cases that want 2.x
# (tests/test_libgpiod_load.py reads FASTGPIO_TEST_LIBGPIOD3_DIR).
# On bookworm it comes from bookworm-backports, enabled (as root) by copying
# the machine's own Debian source entry with the suite changed
# (tests/vpi/add-backports.py). Prints the directory holding libgpiod.so.3.
# Usage: bash tests/fetch-libgpiod3.sh [CACHE_DIR]   (default .cache/libgpiod3)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${1:-$top/.cache/libgpiod3}
root="$cache/root"

found() { [ -d "$root" ] && find "$root" -name libgpiod.so.3 -printf '%h\n' | head -n 1; true; }

dir=$(found)
if [ -z "$dir" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "fetch-libgpiod3.sh: run as root (it enables a package source)" >&2
		exit 1
	fi
	. /etc/os-release
	release=${VERSION_CODENAME:-bookworm}
	suite=$release
	if [ "$release" = bookworm ]; then
		# bookworm itself has libgpiod 1.6 only; its backports carry 2.x.
		python3 "$top/tests/vpi/add-backports.py" "$release" >&2
		suite=$release-backports
	fi
	apt-get update -qq >&2
	rm -rf "$cache/debs" "$root"
	mkdir -p "$cache/debs" "$root"
	(cd "$cache/debs" && apt-get download -q "libgpiod3/$suite" >&2)
	for deb in "$cache/debs"/*.deb; do dpkg-deb -x "$deb" "$root"; done
	dir=$(found)
fi
if [ -z "$dir" ]; then
	echo "fetch-libgpiod3.sh: no libgpiod.so.3 in the libgpiod3 package" >&2
	exit 1
fi
echo "$dir"
