#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Hardening run of fastgpio: everything below must come out clean.
#   1. library + C tests built with ASan+UBSan (gcc), meson test (leak check on)
#   2. the Python extension built with ASan+UBSan, the whole pytest suite through it
#   3. the C tests under valgrind memcheck (plain build): zero errors, no definite leaks
#   4. libFuzzer targets (clang) for every parser of outside data, FUZZ_SECONDS each
#   5. the thread-stress test (8 threads x 100k read-modify-writes): zero lost updates
#  2b. (run right after 2) the torture tests (tests/test_torture.py: close racing
#      waves, samples, edge waiters, pulls and pin calls; fork and interpreter exit with
#      each running) through the ASan+UBSan extension, FGPIO_TORTURE_ITERS
#      (default 200) close races, every child process sanitized too
# then prints the figures. Exit status 0 only when every stage found nothing.
#
# Usage: bash tests/hardening.sh [--skip-fuzz | --fuzz-only]
#   FUZZ_SECONDS=60    seconds per fuzz target (the targets run side by side)
#   Long run:          FUZZ_SECONDS=3600 bash tests/hardening.sh --fuzz-only
#   FUZZ_SAVE_CORPUS=1 copy new corpus entries back into tests/fuzz/corpus/<target>/
#   HARDEN_WORK=dir    keep builds and logs there (default: a temp dir, removed)
# As root on Debian it installs what is missing: valgrind, clang-14, libclang-rt-14-dev.
#
# Sanitizer notes (the only exemptions):
#   - pytest runs CPython with LD_PRELOAD=libasan and ASAN_OPTIONS=detect_leaks=0:
#     CPython does not free everything at exit (interned objects, static types),
#     and LeakSanitizer suppressions cannot tell those from our leaks (a
#     suppression matches when any frame of the stack matches). Leaks of the C
#     code are checked instead by stage 1 (ASan leak check on) and stage 3.
#   - PYTHONMALLOC=malloc so ASan sees every Python object allocation.
#   - Under valgrind the stress test runs FGPIO_STRESS_OPS=10000 per thread
#     (valgrind serialises threads; the full count runs in stages 1 and 5).
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
fuzz_seconds=${FUZZ_SECONDS:-60}
do_fuzz=1
do_rest=1
for arg in "$@"; do
	case "$arg" in
	--skip-fuzz) do_fuzz=0 ;;
	--fuzz-only) do_rest=0 ;;
	*) echo "usage: bash tests/hardening.sh [--skip-fuzz | --fuzz-only]" >&2; exit 2 ;;
	esac
done
start=$(date +%s)

shm=""
if [ -n "${HARDEN_WORK:-}" ]; then
	work=$HARDEN_WORK
	mkdir -p "$work"
	trap 'rm -rf "$shm"' EXIT
else
	work=$(mktemp -d /tmp/fastgpio-hardening.XXXXXX)
	trap 'rm -rf "$work" "$shm"' EXIT
fi

# --- prerequisites ----------------------------------------------------------
need=()
[ "$do_rest" -eq 1 ] && { command -v valgrind >/dev/null || need+=(valgrind); }
[ "$do_rest" -eq 1 ] && { dpkg -s python3-dev >/dev/null 2>&1 || need+=(python3-dev); }
if [ "$do_fuzz" -eq 1 ]; then
	command -v clang-14 >/dev/null || command -v clang >/dev/null || need+=(clang-14)
	dpkg -s libclang-rt-14-dev >/dev/null 2>&1 || need+=(libclang-rt-14-dev)
fi
if [ ${#need[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing packages: ${need[*]} (run as root or install them)" >&2
		exit 1
	fi
	apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null || exit 1
fi
venv="$top/.venv-test"
if [ ! -x "$venv/bin/python" ]; then
	python3 -m venv "$venv" || exit 1
fi
# The test dependencies tests/run.sh installs too (numpy: wave buffers; gpiozero: the
# pin factory; hypothesis: tests/test_properties.py), so this script runs alone.
"$venv/bin/python" -m pip install -q meson ninja pytest numpy "gpiozero>=2.0" hypothesis >/dev/null 2>&1 || {
	echo "pip install meson ninja pytest numpy gpiozero hypothesis failed" >&2; exit 1; }
export PATH="$venv/bin:$PATH"
# The one version, meson's project version: for the sanitized package's metadata
# (pyproject.toml declares it dynamic) and the fuzz targets' fastgpio_version.h.
version=$(meson introspect --projectinfo "$top/meson.build" |
	"$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["version"])') || exit 1

declare -a summary
failed=0
note() { summary+=("$1"); }
fail() { summary+=("FAIL  $1"); failed=1; }

asan_lib=$(gcc -print-file-name=libasan.so)
san_args="-fno-sanitize-recover=all -fno-omit-frame-pointer"

# --- 1. C tests under ASan + UBSan -------------------------------------------
if [ "$do_rest" -eq 1 ]; then
	echo "== 1. ASan+UBSan build, meson test"
	b="$work/build-asan"
	mkdir -p "$work/san-c"
	if meson setup "$b" "$top" -Db_sanitize=address,undefined -Db_lundef=false \
		-Dwerror=true -Dpython=true -Dc_args="$san_args" >"$work/setup-asan.log" 2>&1 &&
		meson compile -C "$b" >"$work/compile-asan.log" 2>&1; then
		ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:log_path=$work/san-c/asan" \
		UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$work/san-c/ubsan" \
			meson test -C "$b" --print-errorlogs >"$work/test-asan.log" 2>&1
		rc=$?
		ok=$(grep -c " OK " "$work/test-asan.log")
		reports=$(find "$work/san-c" -type f | wc -l)
		if [ $rc -eq 0 ] && [ "$reports" -eq 0 ]; then
			note "ASan+UBSan C tests:       $ok tests OK, 0 sanitizer reports"
		else
			fail "ASan+UBSan C tests: meson test rc $rc, $reports sanitizer reports"
			tail -30 "$work/test-asan.log"; cat "$work"/san-c/* 2>/dev/null | head -60
		fi
	else
		fail "ASan+UBSan build failed"; tail -30 "$work"/*-asan.log
	fi

	# --- 2. pytest through the sanitized extension ---------------------------
	echo "== 2. pytest through the ASan+UBSan extension"
	so=$(find "$b" -maxdepth 1 -name '_core*.so' | head -1)
	if [ -n "$so" ]; then
		py="$work/py/fastgpio"
		mkdir -p "$py" "$work/san-py"
		# The whole package tree (subpackages such as fastgpio.RPi too), without the C source.
		cp -r "$top"/python/fastgpio/. "$py"/
		find "$py" -name '*.c' -delete
		cp "$so" "$py"/
		# The package's metadata as pip would install it (name, version, entry points):
		# gpiozero finds the factory through importlib.metadata's gpiozero_pin_factories.
		"$venv/bin/python" - "$top/pyproject.toml" "$work/py" "$version" <<-'EOF' || fail "writing the package metadata failed"
			import os, sys, tomllib
			proj = tomllib.load(open(sys.argv[1], "rb"))["project"]
			proj["version"] = sys.argv[3]
			d = os.path.join(sys.argv[2], f"{proj['name']}-{proj['version']}.dist-info")
			os.makedirs(d, exist_ok=True)
			with open(os.path.join(d, "METADATA"), "w") as f:
			    f.write(f"Metadata-Version: 2.1\nName: {proj['name']}\nVersion: {proj['version']}\n")
			groups = dict(proj.get("entry-points", {}))
			if "scripts" in proj:
			    groups["console_scripts"] = proj["scripts"]
			with open(os.path.join(d, "entry_points.txt"), "w") as f:
			    for group, eps in groups.items():
			        f.write(f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in eps.items()) + "\n")
		EOF
		# libstdc++ right after libasan: C++ extensions the tests load (matplotlib's)
		# throw exceptions, and ASan's __cxa_throw interceptor must find the real one
		# at start-up or it aborts ("real___cxa_throw != 0").
		stdcxx=$(g++ -print-file-name=libstdc++.so.6 2>/dev/null || gcc -print-file-name=libstdc++.so.6)
		export_env=(env PYTHONPATH="$work/py" PYTHONMALLOC=malloc LD_PRELOAD="$asan_lib $stdcxx"
			ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:log_path=$work/san-py/asan"
			UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$work/san-py/ubsan")
		where=$(cd /tmp && "${export_env[@]}" python -c 'import fastgpio._core as c; print(c.__file__)')
		if [ "$where" != "$py/$(basename "$so")" ]; then
			fail "pytest would not import the sanitized extension (got '$where')"
		else
			# The generated-input tests at a quarter of their budget (ASAN_PROPS_SCALE):
			# the plain pytest stage runs them whole, and here each case costs ~10x.
			(cd /tmp && "${export_env[@]}" FASTGPIO_PROPS_SCALE="${ASAN_PROPS_SCALE:-0.25}" \
				timeout --kill-after=10 "${ASAN_PYTEST_TIMEOUT:-1500}" \
				python -m pytest -q -p no:cacheprovider "$top/tests") \
				>"$work/pytest-asan.log" 2>&1
			rc=$?
			line=$(grep -E "passed|failed|error" "$work/pytest-asan.log" | tail -1)
			reports=$(find "$work/san-py" -type f | wc -l)
			if [ $rc -eq 0 ] && [ "$reports" -eq 0 ]; then
				note "ASan+UBSan pytest:        $line, 0 sanitizer reports"
			else
				fail "ASan+UBSan pytest: rc $rc ($line), $reports sanitizer reports"
				tail -40 "$work/pytest-asan.log"; cat "$work"/san-py/* 2>/dev/null | head -60
			fi
		fi
	else
		fail "the sanitized Python extension was not built"
	fi
fi

# --- 2b. torture under ASan (stage 2's extension and environment) -------------
if [ "$do_rest" -eq 1 ] && [ -n "${so:-}" ] && [ "${where:-}" = "$py/$(basename "$so")" ]; then
	echo "== 2b. torture tests through the ASan+UBSan extension"
	mkdir -p "$work/san-torture"
	torture_env=("${export_env[@]}"
		ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:log_path=$work/san-torture/asan"
		UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$work/san-torture/ubsan"
		FGPIO_TORTURE_ITERS="${FGPIO_TORTURE_ITERS:-200}")
	(cd /tmp && "${torture_env[@]}" timeout --kill-after=10 "${TORTURE_TIMEOUT:-600}" \
		python -m pytest -q -s -p no:cacheprovider \
		"$top/tests/test_torture.py") >"$work/torture-asan.log" 2>&1
	rc=$?
	line=$(grep -E "passed|failed|error" "$work/torture-asan.log" | tail -1)
	reports=$(find "$work/san-torture" -type f | wc -l)
	races=$(sed -n 's/^\.*close races: \([0-9]*\) closes.*close p50 \(.*\)$/\1 close races (close p50 \2)/p' \
		"$work/torture-asan.log" | head -1)
	forks=$(grep -c "fork with" "$work/torture-asan.log")
	busy=$(sed -n 's/^.*exit with \([0-9]*\) threads busy.*/\1/p' "$work/torture-asan.log" | head -1)
	if [ $rc -eq 0 ] && [ "$reports" -eq 0 ]; then
		note "torture (ASan+UBSan):     $line; $races, $forks forks with a thread busy, exit with ${busy:-?} busy; 0 sanitizer reports"
	else
		fail "torture (ASan+UBSan): rc $rc ($line), $reports sanitizer reports"
		tail -40 "$work/torture-asan.log"; cat "$work"/san-torture/* 2>/dev/null | head -60
	fi
fi

if [ "$do_rest" -eq 1 ]; then
	# --- 3. valgrind memcheck -------------------------------------------------
	echo "== 3. valgrind memcheck of the C tests"
	bp="$work/build-plain"
	mkdir -p "$work/vg"
	if meson setup "$bp" "$top" -Dwerror=true >"$work/setup-plain.log" 2>&1 &&
		meson compile -C "$bp" >"$work/compile-plain.log" 2>&1; then
		vg_fail=0
		vg_bad=()
		ntests=0
		vg_timeout=${VG_TIMEOUT:-300}	# seconds per program; the slowest takes ~10 s
		for exe in "$bp"/test_*; do
			[ -f "$exe" ] && [ -x "$exe" ] || continue
			ntests=$((ntests + 1))
			name=$(basename "$exe")
			# --fair-sched=yes: valgrind runs one thread at a time, and its default
			# lock lets a spinning thread (a zero-delay wave) take it straight
			# back, so a test that cancels that wave from another thread never
			# got to run (test_wave hung for the whole CI budget). timeout turns
			# any other hang into a named failure.
			FGPIO_STRESS_OPS=10000 timeout --kill-after=10 "$vg_timeout" \
				valgrind --fair-sched=yes --error-exitcode=99 --leak-check=full \
				--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
				--child-silent-after-fork=no --suppressions="$top/tests/valgrind.supp" \
				--log-file="$work/vg/$name.%p" "$exe" \
				>"$work/vg/$name.out" 2>&1
			rc=$?
			if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
				vg_fail=1; vg_bad+=("$name (timeout)")
				echo "valgrind: $name did not finish within ${vg_timeout}s"; tail -20 "$work/vg/$name.out"
			elif [ $rc -ne 0 ]; then
				vg_fail=1; vg_bad+=("$name (rc $rc)")
				echo "valgrind: $name exited $rc"; tail -20 "$work/vg/$name.out"
			fi
		done
		errors=$(cat "$work"/vg/*.[0-9]* | sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' |
			awk '{s += $1} END {print s + 0}')
		if [ "$vg_fail" -eq 0 ] && [ "$errors" -eq 0 ]; then
			note "valgrind memcheck:        $ntests C test programs, 0 errors, 0 definite/indirect leaks"
		else
			fail "valgrind memcheck: $errors errors; failed: ${vg_bad[*]:-none}"
			grep -l "ERROR SUMMARY: [1-9]" "$work"/vg/*.[0-9]* | head -3 | xargs -r cat | head -80
		fi
	else
		fail "plain build failed"; tail -30 "$work"/*-plain.log
	fi
fi

# --- 4. libFuzzer -------------------------------------------------------------
if [ "$do_fuzz" -eq 1 ]; then
	echo "== 4. libFuzzer targets, ${fuzz_seconds}s each (side by side)"
	cc=$(command -v clang-14 || command -v clang)
	fz="$work/fuzz"
	mkdir -p "$fz"
	targets=()
	# The library's sources, the libgpiod ports too (they load libgpiod at run
	# time, so they build without it): the targets map register files only.
	lib_srcs=("$top"/src/*.c)
	# fastgpio.h includes the meson-generated fastgpio_version.h: made here the same way.
	IFS=. read -r vmaj vmin vpat <<<"$version"
	sed -e "s/@MAJOR@/$vmaj/" -e "s/@MINOR@/$vmin/" -e "s/@PATCH@/$vpat/" -e "s/@VERSION@/$version/" \
		"$top/include/fastgpio_version.h.in" >"$fz/fastgpio_version.h"
	for src in "$top"/tests/fuzz/fuzz_*.c; do
		t=$(basename "$src" .c)
		if "$cc" -std=c11 -g -O1 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 \
			-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
			-I"$top/include" -I"$top/src" -I"$fz" "${lib_srcs[@]}" "$src" -o "$fz/$t" -lpthread -ldl \
			>"$fz/$t.build.log" 2>&1; then
			targets+=("$t")
		else
			fail "fuzz target $t does not build"; cat "$fz/$t.build.log"
		fi
	done
	# The targets write device-tree files per input: on tmpfs when there is one.
	shm=$(mktemp -d /dev/shm/fastgpio-fuzz.XXXXXX 2>/dev/null || mktemp -d "$fz/tmp.XXXXXX")
	for t in "${targets[@]}"; do
		mkdir -p "$fz/corpus-$t" "$fz/art-$t"
		(cd "$fz" && FGPIO_FUZZ_TMPDIR="$shm" ASAN_OPTIONS=detect_leaks=1 "./$t" -max_total_time="$fuzz_seconds" \
			-timeout=10 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
			-artifact_prefix="$fz/art-$t/" "$fz/corpus-$t" "$top/tests/fuzz/corpus/$t" \
			>"$fz/$t.log" 2>&1; echo $? >"$fz/$t.rc") &
	done
	wait
	for t in "${targets[@]}"; do
		rc=$(cat "$fz/$t.rc")
		execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$fz/$t.log" | tail -1)
		crashes=$(find "$fz/art-$t" -type f | wc -l)
		cov=$(grep -oE "cov: [0-9]+" "$fz/$t.log" | tail -1)
		if [ "$rc" -eq 0 ] && [ "$crashes" -eq 0 ]; then
			note "fuzz $t: ${execs:-?} execs in ${fuzz_seconds}s, $cov, 0 crashes"
		else
			fail "fuzz $t: rc $rc, $crashes crash inputs (in $fz/art-$t; set HARDEN_WORK to keep them)"
			grep -A30 "ERROR\|==ERROR\|deadly signal" "$fz/$t.log" | head -50
		fi
		if [ "${FUZZ_SAVE_CORPUS:-0}" = 1 ]; then
			"$fz/$t" -merge=1 "$top/tests/fuzz/corpus/$t" "$fz/corpus-$t" >/dev/null 2>&1
		fi
	done
	rm -rf "$shm"
fi

# --- 5. thread stress ---------------------------------------------------------
if [ "$do_rest" -eq 1 ]; then
	echo "== 5. thread stress (8 threads x 100k read-modify-writes)"
	for b in "$work/build-plain" "$work/build-asan"; do
		[ -x "$b/test_stress" ] || continue
		kind=$([ "$b" = "$work/build-plain" ] && echo plain || echo ASan)
		out=$(ASAN_OPTIONS=detect_leaks=1 "$b/test_stress" 2>&1)
		rc=$?
		lost=$(echo "$out" | awk '/^STRESS_LOST/ {printf "%s %s lost, ", $2, $3}')
		if [ $rc -eq 0 ]; then
			note "stress ($kind build):     ${lost%, }"
		else
			fail "stress ($kind build): rc $rc: ${lost%, }"; echo "$out"
		fi
	done
fi

end=$(date +%s)
echo
echo "== hardening figures ($((end - start)) s)"
for s in "${summary[@]}"; do echo "  $s"; done
if [ "$failed" -ne 0 ]; then
	echo "hardening: FINDINGS (see above)"
	exit 1
fi
echo "hardening: clean"
