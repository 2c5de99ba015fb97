#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ThreadSanitizer on the free-threaded build: the extension and the C
# library compiled with -fsanitize=thread against CPython 3.13t (built by
# tests/fetch-python-ft.sh), libtsan preloaded into the interpreter, and the
# thread tests run through it: tests/test_free_threading.py and
# tests/test_torture.py (their child processes inherit the sanitizer).
# The interpreter itself is not instrumented; tests/tsan.supp lists the
# places where that makes its synchronisation invisible. Prints the reports
# whose first frame is in fastgpio's code and fails when there is one; reports
# wholly inside the interpreter are counted, not failed.
# tests/run.sh runs it in its free-threading stage (under a minute once built).
# Thread leaks are not reported: the torture tests exit with daemon threads running on purpose.
# Usage: bash tests/ft-tsan.sh [WORKDIR]   (default build-tsan)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$top/build-tsan}
ft_python=$(bash "$top/tests/fetch-python-ft.sh")
venv="$top/.venv-ft"
[ -x "$venv/bin/python" ] || "$ft_python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --only-binary :all: meson ninja meson-python pytest numpy hypothesis
export PATH="$venv/bin:$PATH"
rm -rf "$work"
mkdir -p "$work/py/fastgpio" "$work/log"
meson setup "$work/build" "$top" -Db_sanitize=thread -Db_lundef=false -Dpython=true \
	-Dc_args=-fno-omit-frame-pointer >"$work/setup.log" 2>&1 || { tail -20 "$work/setup.log"; exit 1; }
meson compile -C "$work/build" >"$work/compile.log" 2>&1 || { tail -20 "$work/compile.log"; exit 1; }
so=$(find "$work/build" -maxdepth 1 -name '_core*.so' | head -n 1)
[ -n "$so" ] || { echo "ft-tsan.sh: no extension was built" >&2; exit 1; }
cp -r "$top"/python/fastgpio/. "$work/py/fastgpio/"
find "$work/py" -name '*.c' -delete
cp "$so" "$work/py/fastgpio/"
tsan=$(gcc -print-file-name=libtsan.so)
# exitcode=0: the reports are counted from the logs (the tests' children
# would otherwise fail on their exit status before any report is read).
set +e
(cd /tmp && PYTHONPATH="$work/py" LD_PRELOAD="$tsan" \
	TSAN_OPTIONS="log_path=$work/log/tsan suppressions=$top/tests/tsan.supp exitcode=0 halt_on_error=0 report_thread_leaks=0" \
	FGPIO_FT_CHANGES=${FGPIO_FT_CHANGES:-20000} FGPIO_FT_ROUNDS=${FGPIO_FT_ROUNDS:-20} \
	"$venv/bin/python" -m pytest -q -p no:cacheprovider \
	"$top/tests/test_free_threading.py" "$top/tests/test_torture.py") >"$work/pytest.log" 2>&1
rc=$?
set -e
tail -n 1 "$work/pytest.log"
# Each access of each report, by its first frame outside the sanitizer's
# interceptors: fastgpio's own when it is under src/ or python/fastgpio/ext/.
# The rest lie inside the uninstrumented interpreter (its allocator reusing
# memory another thread freed, say), where TSan cannot see the ordering.
reports=$(cat "$work"/log/* 2>/dev/null | grep -c '^WARNING: ThreadSanitizer' || true)
ours=$(cat "$work"/log/* 2>/dev/null | awk '
	/^  (Read|Write|Atomic|Previous)/ { want = 1; next }
	want && /^    #[0-9]+ / && !/libsanitizer\// {
		want = 0
		if ($0 ~ /(^|[ \/])src\/[A-Za-z0-9_]+\.[ch]:|python\/fastgpio\/ext\//) { sub(/ \(.*/, ""); print }
	}' | sort | uniq -c | sort -rn || true)
echo "ft-tsan.sh: pytest rc $rc; $reports ThreadSanitizer reports after suppressions"
if [ -n "$ours" ]; then
	echo "ft-tsan.sh: accesses in fastgpio's code (count, first frame):"
	echo "$ours"
	echo "full reports: $work/log/"
	exit 1
fi
[ "$rc" -eq 0 ] || { tail -n 30 "$work/pytest.log"; exit 1; }
if [ "$reports" -gt 0 ]; then
	echo "ft-tsan.sh: 0 reports in fastgpio's code; $reports inside the interpreter only: $work/log/"
else
	echo "ft-tsan.sh: 0 reports"
fi
