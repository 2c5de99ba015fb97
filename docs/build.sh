#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the fastgpio documentation with every warning an error:
#   OUTDIR/html/       Sphinx HTML (Python API by autodoc, C API from
#                      include/fastgpio.h's comments, boards, migration,
#                      command line, testing), sphinx-build -W --keep-going -n
#   OUTDIR/man/fastgpio.1  the manual page, made from the CLI's parser by
#                      docs/make_manpage.py, checked with groff -ww and against
#                      the committed docs/fastgpio.1 (which meson installs)
#
# Usage: bash docs/build.sh [--no-install] [OUTDIR]      (default OUTDIR: build-docs/)
#   PYTHON=/path/to/venv/bin/python  the Python to use (default: python3 on PATH).
#     It must be a virtual environment's: what is missing is installed into it
#     with pip (Sphinx, gpiozero, and the checkout's fastgpio, which autodoc
#     imports), nothing anywhere else.
#   --no-install  document the fastgpio already installed in that Python
#     (e.g. after tests/run.sh's `pip install .`) instead of installing the
#     checkout first.
# Needs groff for the manual page check (Debian: groff-base, installed with
# man-db); without it that check is skipped with a note.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

install=1
out=""
for arg in "$@"; do
	case "$arg" in
	--no-install) install=0 ;;
	-h|--help) sed -n '3,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "usage: bash docs/build.sh [--no-install] [OUTDIR]" >&2; exit 2 ;;
	*) out=$arg ;;
	esac
done
out=${out:-$top/build-docs}
mkdir -p "$out"
out=$(cd "$out" && pwd)

py=${PYTHON:-$(command -v python3)}
# pip may install only into a virtual environment (never the system's Python).
if ! "$py" -c 'import sys; sys.exit(sys.prefix == sys.base_prefix)'; then
	echo "docs/build.sh: $py is not a virtual environment's Python; set PYTHON=VENV/bin/python" >&2
	exit 2
fi
# The venv's scripts (meson, ninja for the package build) come first on PATH.
export PATH="$(dirname "$py"):$PATH"

start=$SECONDS
# Sphinx, and gpiozero: the pages document fastgpio.gpiozero, which imports it.
need=()
"$py" -c 'import sphinx' 2>/dev/null || need+=('sphinx>=7')
"$py" -c 'import gpiozero' 2>/dev/null || need+=('gpiozero>=2.0')
if [ ${#need[@]} -gt 0 ]; then
	echo "== installing ${need[*]} into $("$py" -c 'import sys; print(sys.prefix)')"
	"$py" -m pip install -q "${need[@]}"
fi
if [ "$install" -eq 1 ]; then
	echo "== installing the checkout's fastgpio (autodoc imports it)"
	"$py" -m pip install -q --no-deps --force-reinstall "$top"
fi

# -E: read every page again. An incremental build would not repeat the
# warnings of pages it did not reread, and -W would pass over them.
echo "== sphinx-build -W --keep-going -n (HTML)"
(cd /tmp && "$py" -m sphinx -W --keep-going -n -q -E -b html \
	-d "$out/doctrees" "$top/docs" "$out/html")

echo "== manual page"
mkdir -p "$out/man"
man="$out/man/fastgpio.1"
(cd /tmp && "$py" "$top/docs/make_manpage.py" "$man")
if command -v groff >/dev/null; then
	# groff -ww reports every warning but still exits 0: any output fails the build.
	warnings=$(groff -man -ww -z "$man" 2>&1 || true)
	if [ -n "$warnings" ]; then
		echo "$warnings" >&2
		echo "docs/build.sh: groff warnings in $man" >&2
		exit 1
	fi
else
	echo "note: no groff, the manual page was not checked for roff warnings" >&2
	if [ "${CI:-}" = "true" ]; then
		echo "CI runs every check: install groff-base" >&2
		exit 1
	fi
fi
if ! cmp -s "$man" "$top/docs/fastgpio.1"; then
	diff -u "$top/docs/fastgpio.1" "$man" >&2 || true
	echo "docs/build.sh: docs/fastgpio.1 is stale: cp $man docs/fastgpio.1" >&2
	exit 1
fi

pages=$(find "$out/html" -name '*.html' ! -name 'genindex.html' ! -name 'search.html' | wc -l)
echo "== built in $((SECONDS - start)) s"
echo "html: $out/html/index.html ($pages pages, $(du -sh "$out/html" | cut -f1))"
echo "man:  $man ($(wc -c <"$man") bytes; view with: man -l $man)"
