#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every fastgpio test on a Debian machine (as root it installs what it needs):
#   1. the C library and C unit tests built with warnings as errors (meson test)
#   2. the Python package installed with pip into a fresh venv, then pytest
#   3. the same pytest suite on free-threaded CPython 3.13t with the GIL off
#      (tests/fetch-python-ft.sh builds the interpreter once per machine, as root),
#      then the thread tests through a ThreadSanitizer build (tests/ft-tsan.sh)
#   4. hardening (tests/hardening.sh): ASan+UBSan C tests and pytest, valgrind,
#      libFuzzer (60 s per target), thread stress; unless --quick
#   5. the emulated Raspberry Pis, Zero, 2, 3 and 4, and 2 and 4 on trixie (tests/vpi/run.sh),
#      unless --host-only: the whole rig (roots, kernels, wheels, then the guests)
#      runs in the background from the end of stage "prerequisites" on, one guest
#      at a time beside the host stages (which mostly keep one core busy), two
#      once they are done; stage 5 waits for it and prints its report
# Usage: bash tests/run.sh [--host-only] [--quick]
#   FASTGPIO_PROPS_SCALE=10  ten times the example budget of tests/test_properties.py
#                            (generated inputs; the default run draws >= 10 000 cases)
#   FASTGPIO_PROPS_SHRINK=0  report generated-input failures unshrunk (faster)
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
host_only=0
quick=0
for arg in "$@"; do
	case "$arg" in
	--host-only) host_only=1 ;;
	--quick) quick=1 ;;
	*) echo "usage: bash tests/run.sh [--host-only] [--quick]" >&2; exit 2 ;;
	esac
done

# Each stage's wall time, printed at the end whether the run passes or fails.
run_start=$SECONDS
stage_name=""
stage_start=$SECONDS
stage_times=()
stage_end() {
	[ -n "$stage_name" ] && stage_times+=("$(printf '%6ds  %s' $((SECONDS - stage_start)) "$stage_name")")
	stage_name=""
}
stage() {
	stage_end
	stage_name=$1
	stage_start=$SECONDS
	echo "== $1"
}
vpi_pid=
trap 'rc=$?; [ -z "$vpi_pid" ] || kill -- -"$vpi_pid" 2>/dev/null; stage_end; echo "== stage times (exit $rc)"; printf "%s\n" "${stage_times[@]}"; printf "%6ds  total\n" $((SECONDS - run_start))' EXIT

# --- prerequisites (Debian packages) ---------------------------------------
stage "prerequisites: Debian packages and the test venv"
pkgs=(gcc pkg-config python3-dev python3-venv libgpiod2 groff-base)  # libgpiod2: libgpiod 1.6, loaded at run time by the gpiod backend; groff-base: the man page check
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing packages: ${missing[*]} (run as root or install them)" >&2
		exit 1
	fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# libgpiod 2.x beside the installed 1.x, for the tests that load it by LD_LIBRARY_PATH.
if ! FASTGPIO_TEST_LIBGPIOD3_DIR=$(bash "$top/tests/fetch-libgpiod3.sh"); then
	[ "${CI:-}" = "true" ] && { echo "CI needs libgpiod 2.x for its tests" >&2; exit 1; }
	echo "libgpiod 2.x not fetched: the tests that load it are skipped" >&2
	FASTGPIO_TEST_LIBGPIOD3_DIR=
fi
export FASTGPIO_TEST_LIBGPIOD3_DIR

# The emulated Pis (tests/vpi/run.sh: Debian roots through qemu-user, kernels,
# gpio-sim, the sdist and the wheels, then the guests) need none of the host
# stages: the rig runs in its own process group beside them, and stage 5 waits
# for it. It reads how many guests may run at once from $vpi_jobs: 1 while the
# host stages run, 2 after.
# (the log lives in an ignored directory: an untracked file would change the
# source hash the rig keys its wheels on, and it would build them again)
vpi_log="$top/build-vpi/vpi.log"
vpi_jobs="$top/build-vpi/jobs"
mkdir -p "$top/build-vpi"
if [ "$host_only" -eq 0 ] && [ "$(id -u)" -eq 0 ]; then
	# its Debian packages first, here: apt must not run twice at once
	bash "$top/tests/vpi/run.sh" --host-setup
	echo 1 > "$vpi_jobs"
	setsid bash "$top/tests/vpi/run.sh" --jobs-file "$vpi_jobs" > "$vpi_log" 2>&1 &
	vpi_pid=$!
	vpi_start=$SECONDS
	echo "emulated Pis: running in the background (pid $vpi_pid, log $vpi_log)"
fi

# --- Python tooling in a private venv -------------------------------------
venv="$top/.venv-test"
if [ ! -x "$venv/bin/python" ]; then
	python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
"$venv/bin/python" -m pip install -q meson ninja meson-python pytest numpy matplotlib "gpiozero>=2.0" hypothesis sphinx  # numpy: wave buffers; matplotlib: bench --plot; gpiozero: the pin factory tests; hypothesis: generated inputs; sphinx: docs/
export PATH="$venv/bin:$PATH"

# --- 1. C library and C unit tests ----------------------------------------
stage "C: build with -Werror and run meson test"
rm -rf "$top/build-test"
stage="$top/build-test/stage"
meson setup "$top/build-test" "$top" -Dwerror=true --prefix "$stage" --libdir lib >/dev/null
meson compile -C "$top/build-test" >/dev/null
meson test -C "$top/build-test" --print-errorlogs
# test_gpiod again with each libgpiod generation forced (it checks the version loaded).
FASTGPIO_LIBGPIOD=1 meson test -C "$top/build-test" --print-errorlogs gpiod
if [ -n "$FASTGPIO_TEST_LIBGPIOD3_DIR" ]; then
	FASTGPIO_LIBGPIOD=2 LD_LIBRARY_PATH="$FASTGPIO_TEST_LIBGPIOD3_DIR" \
		meson test -C "$top/build-test" --print-errorlogs gpiod
fi
# The same library never loading libgpiod: the gpiod backend must refuse with
# ENOTSUP and say so (test_gpiod checks the message in both builds).
stage "C: build without libgpiod (-Dgpiod=disabled): gpiod and bad-input tests"
rm -rf "$top/build-test-nogpiod"
meson setup "$top/build-test-nogpiod" "$top" -Dwerror=true -Dgpiod=disabled -Dclib=false >/dev/null
meson test -C "$top/build-test-nogpiod" --print-errorlogs gpiod badinput core

# A C user's view: install, then build and run an example through pkg-config.
stage "C: meson install, build examples/blink.c with pkg-config, dry run"
meson install -C "$top/build-test" --quiet
export PKG_CONFIG_PATH="$stage/lib/pkgconfig"
cc -std=c11 -Wall -Wextra -Werror "$top/examples/blink.c" $(pkg-config --cflags --libs fastgpio) \
	-o "$top/build-test/blink"
regs="$top/build-test/blink-regs.bin"
truncate -s 0 "$regs" && truncate -s $((0xFE201000)) "$regs"
LD_LIBRARY_PATH="$stage/lib" "$top/build-test/blink" GPIO17 bcm2711 "$regs"
gpset0=$(od -A n -t x4 -j $((0xFE20001C)) -N 4 "$regs" | tr -d ' ')
fsel1=$(od -A n -t x4 -j $((0xFE200004)) -N 4 "$regs" | tr -d ' ')
if [ "$gpset0" != "00020000" ] || [ "$fsel1" != "00200000" ]; then
	echo "blink dry run: GPSET0=$gpset0 GPFSEL1=$fsel1, want 00020000 and 00200000" >&2
	exit 1
fi
echo "blink dry run: GPSET0=0x$gpset0 GPFSEL1=0x$fsel1 as expected"

# --- 2. Python package from a clean install, then pytest ------------------
stage "Python: pip install . and pytest"
"$venv/bin/python" -m pip install -q --force-reinstall --no-deps "$top"
# Run from outside the source tree so the installed package is what is imported.
(cd /tmp && "$venv/bin/python" -m pytest -q -p no:cacheprovider "$top/tests")

# --- 3. free-threaded CPython: the whole host suite without the GIL ----------
# A stage left out says why; in CI (CI=true) leaving one out fails the run.
skipped() {
	echo "== SKIPPED: $1" >&2
	if [ "${CI:-}" = "true" ]; then
		echo "CI runs every stage: a skipped stage hides tests" >&2
		exit 1
	fi
}

stage "free-threaded CPython 3.13t: pip install . and pytest with the GIL off"
if ft_python=$(bash "$top/tests/fetch-python-ft.sh"); then
	ft_venv="$top/.venv-ft"
	[ -x "$ft_venv/bin/python" ] || "$ft_python" -m venv "$ft_venv"
	# Wheels only: a dependency without a cp313t wheel must not turn into a long source build.
	"$ft_venv/bin/python" -m pip install -q --only-binary :all: meson ninja meson-python pytest numpy \
		matplotlib "gpiozero>=2.0" hypothesis
	"$ft_venv/bin/python" -m pip install -q --force-reinstall --no-deps --no-build-isolation "$top"
	# PYTHON_GIL unset: the GIL stays off only if fastgpio declares it may
	# (test_free_threading.py checks, and fails on an interpreter with a GIL).
	(cd /tmp && env -u PYTHON_GIL FASTGPIO_REQUIRE_FREE_THREADING=1 \
		"$ft_venv/bin/python" -m pytest -q -p no:cacheprovider "$top/tests")
	if [ -e "$(gcc -print-file-name=libtsan.so)" ]; then
		stage "free-threaded CPython 3.13t: ThreadSanitizer on the thread tests"
		bash "$top/tests/ft-tsan.sh" "$top/build-tsan"
	else
		skipped "ThreadSanitizer on 3.13t: gcc has no libtsan.so here"
	fi
else
	skipped "free-threaded CPython: tests/fetch-python-ft.sh could not build 3.13t (see above)"
fi

# --- the documentation: Sphinx with warnings as errors, the man page checked by groff
stage "docs: Sphinx (-W -n), the C API page from fastgpio.h, the man page"
PYTHON="$venv/bin/python" bash "$top/docs/build.sh" --no-install "$top/build-docs"

# --- 4. hardening -----------------------------------------------------------

if [ "$quick" -eq 0 ]; then
	stage "hardening: sanitizers, valgrind, fuzzing, stress"
	bash "$top/tests/hardening.sh"
else
	skipped "hardening (sanitizers, valgrind, fuzzing, stress, torture): --quick was given"
fi

# --- 5. the emulated Raspberry Pi -----------------------------------------
if [ "$host_only" -eq 0 ]; then
	stage "emulated Raspberry Pi (QEMU raspi0, raspi2b, raspi3b, raspi4b; raspi2b and raspi4b on trixie): the rest of its run"
	if [ -n "$vpi_pid" ]; then
		echo 2 > "$vpi_jobs"   # the host stages are done: both cores are the guests'
		vpi_rc=0; wait "$vpi_pid" || vpi_rc=$?
		vpi_pid=
		# its report without the guests' console streams ("[MACHINE] ...", in
		# $VPI_CACHE/logs/MACHINE.log; a failed guest's last lines are in the report)
		grep -v -e '^\[raspi[^] ]*\] ' -e '^\[vpi [0-9:]*\] \(wheels up to date\|package and guest\)' "$vpi_log" || true
		echo "emulated Pis: exit $vpi_rc after $((SECONDS - vpi_start)) s in all (started beside the host stages; full log $vpi_log)"
		[ "$vpi_rc" -eq 0 ] || exit 1
	else
		skipped "the emulated Raspberry Pi: it needs root (apt-get, binfmt_misc, chroot)"
	fi
else
	skipped "the emulated Raspberry Pi (tests/vpi/run.sh): --host-only was given"
fi
