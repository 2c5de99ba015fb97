# SPDX-License-Identifier: MIT
# Shared by run.sh and demo.sh: prepare the host, the arm64 build root, the
# kernel, the device trees and the guest initramfs; boot one emulated Pi.
# Everything downloaded or built lives in $CACHE (git-ignored).
VPI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# VPI_SOURCE: build another checkout than the one holding this script (rig development).
REPO=${VPI_SOURCE:-$(cd "$VPI_DIR/../.." && pwd)}
CACHE=${VPI_CACHE:-$VPI_DIR/cache}
ROOT=$CACHE/buildroot
SUITE=bookworm
ROOT_PACKAGES=python3-dev,python3-pip,python3-venv,python3-build,gcc,libc6-dev,pkg-config,libgpiod-dev,gpiod,busybox-static,git
# VPI_GPIOSIM=0: no gpio-sim module in the guest (its tests then skip).
GPIOSIM=${VPI_GPIOSIM:-1}
# The gpio-sim module is compiled on this host for the arm64 kernel.
if [ "$(dpkg --print-architecture 2>/dev/null)" = arm64 ]; then KCROSS= KCC_PKG=gcc; else KCROSS=aarch64-linux-gnu- KCC_PKG=gcc-aarch64-linux-gnu; fi

log() { printf '[vpi %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 2; }

need_root() { [ "$(id -u)" = 0 ] || die "run as root (apt-get, binfmt_misc, chroot)"; }

qemu_ok() {
    command -v qemu-system-aarch64 >/dev/null || return 1
    local v; v=$(qemu-system-aarch64 --version | sed -n 's/^QEMU emulator version \([0-9]*\).*/\1/p')
    [ "${v:-0}" -ge 9 ]
}

host_setup() {
    local missing=0
    qemu_ok || missing=1
    for c in qemu-aarch64-static mmdebstrap dtc fdtput cpio zstd xz make ${KCROSS}gcc; do command -v $c >/dev/null || missing=1; done
    dpkg --print-foreign-architectures | grep -x arm64 >/dev/null || missing=1
    if [ $missing = 1 ]; then
        log "installing host packages (QEMU from $SUITE-backports, qemu-user-static, mmdebstrap, dtc, $KCC_PKG)"
        python3 "$VPI_DIR/add-backports.py" "$SUITE"
        dpkg --add-architecture arm64
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q -t $SUITE-backports qemu-system-arm
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            qemu-user-static mmdebstrap device-tree-compiler cpio zstd arch-test uidmap \
            xz-utils make $KCC_PKG
        qemu_ok || die "qemu-system-aarch64 >= 9 not installed"
    fi
    # arm64 binaries run here through qemu-user (for the build root)
    [ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
    if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
        grep -v '^#' /usr/lib/binfmt.d/qemu-aarch64.conf > /proc/sys/fs/binfmt_misc/register
    fi
}

# The arm64 Debian root in which the package is built the user's way.
ensure_buildroot() {
    [ -f "$ROOT/.vpi-complete" ] && return 0
    log "building the arm64 $SUITE root with mmdebstrap (about 3-5 minutes, once)"
    rm -rf "$ROOT" "$ROOT.tmp"
    mmdebstrap --quiet --architectures=arm64 --variant=apt --include=$ROOT_PACKAGES $SUITE "$ROOT.tmp"
    touch "$ROOT.tmp/.vpi-complete"
    mv "$ROOT.tmp" "$ROOT"
}

# libgpiod 2.x from $SUITE-backports (arm64 debs) unpacked into $ROOT/opt/gpiod2:
# build-in-root.sh copies its libgpiod.so.3 and tools into the guest, which runs
# the gpiod tests of the one wheel with both generations.
ensure_gpiod2() {
    [ -f "$ROOT/opt/gpiod2/.complete" ] && return 0
    local d=$CACHE/debs/gpiod2; rm -rf "$d"; mkdir -p "$d"
    (cd "$d" && apt-get download -q libgpiod-dev:arm64/$SUITE-backports libgpiod3:arm64/$SUITE-backports \
        gpiod:arm64/$SUITE-backports 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
    rm -rf "$ROOT/opt/gpiod2"; mkdir -p "$ROOT/opt/gpiod2"
    for f in "$d"/*.deb; do dpkg-deb -x "$f" "$ROOT/opt/gpiod2"; done
    sed -i 's|^prefix=.*|prefix=/opt/gpiod2/usr|' "$ROOT/opt/gpiod2/usr/lib/aarch64-linux-gnu/pkgconfig/libgpiod.pc"
    touch "$ROOT/opt/gpiod2/.complete"
}

# Debian's arm64 kernel (Image + broadcom DTBs), downloaded once.
ensure_kernel() {
    [ -f "$CACHE/kernel/.vpi-complete" ] && return 0
    log "downloading Debian's arm64 kernel"
    mkdir -p "$CACHE/debs"
    local pkg
    pkg=$(apt-cache depends linux-image-arm64:arm64 | sed -n 's/.*Depends: \(linux-image-[0-9].*-arm64\).*/\1/p' | head -1)
    [ -n "$pkg" ] || die "cannot resolve linux-image-arm64:arm64 (apt-get update?)"
    (cd "$CACHE/debs" && apt-get download -q "$pkg:arm64" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
    rm -rf "$CACHE/kernel"; mkdir -p "$CACHE/kernel"
    # only the Image and the Pi device trees (the modules are not needed)
    dpkg-deb --fsys-tarfile "$CACHE"/debs/"$pkg"_*_arm64.deb |
        tar -x -C "$CACHE/kernel" --wildcards './boot/vmlinuz-*' './usr/lib/linux-image-*/broadcom/*'
    kernel_image >/dev/null
    touch "$CACHE/kernel/.vpi-complete"
}

kernel_image() { ls "$CACHE"/kernel/boot/vmlinuz-* | head -1; }

# gpio-sim (drivers/gpio/gpio-sim.c): simulated GPIO chips made through
# configfs, whose input lines the guest tests drive (sim_gpioN/pull) and which
# raise real edge interrupts. Debian's kernel has CONFIG_GPIO_SIM and
# CONFIG_IRQ_SIM off, so the module is built here, out of tree, for exactly the
# kernel package in $CACHE/debs: gpio-sim.c and irq_sim.c from linux-source of
# the same version linked into one gpio-sim.ko, against that version's arm64
# headers (Module.symvers: matching modversion CRCs) and kbuild, unpacked into
# a scratch dir (nothing installed). irq_to_desc() is not exported to modules:
# irq_sim's handle_simple_irq(irq_to_desc(n)) becomes generic_handle_irq(n),
# which runs the same flow handler. configfs.ko comes from the kernel package.
# Result: $CACHE/gpiosim/KVER_VERSION/{gpio-sim.ko,configfs.ko}, rebuilt only
# when this recipe changes; GPIOSIM_DIR names it for make_initramfs.
GPIOSIM_DIR=
ensure_gpiosim() {
    [ "$GPIOSIM" = 1 ] || { log "gpio-sim: left out (VPI_GPIOSIM=$GPIOSIM)"; return 0; }
    local kver deb ver abi series out recipe
    kver=$(basename "$(kernel_image)"); kver=${kver#vmlinuz-}        # 6.1.0-56-arm64
    deb=$(ls "$CACHE"/debs/linux-image-"$kver"_*_arm64.deb 2>/dev/null)
    [ "$(echo "$deb" | grep -c .)" = 1 ] || die "gpio-sim: want one linux-image-${kver}_*_arm64.deb in $CACHE/debs, found: ${deb:-none}"
    ver=$(dpkg-deb -f "$deb" Version)                                   # 6.1.192-2
    abi=${kver%-arm64}; series=$(echo "$abi" | cut -d. -f1,2)           # 6.1.0-56, 6.1
    out=$CACHE/gpiosim/${kver}_$ver
    recipe=$(declare -f ensure_gpiosim | sha256sum | cut -c1-16)
    if [ "$(cat "$out/.vpi-complete" 2>/dev/null)" = "$recipe" ]; then GPIOSIM_DIR=$out; return 0; fi
    log "gpio-sim: building the module for $kver ($ver), once"
    local t0=$SECONDS w=$CACHE/gpiosim/.work-$$ hdr
    rm -rf "$w"; mkdir -p "$w/debs" "$w/root" "$w/src" "$w/mod"
    local pkgs=("linux-headers-$abi-arm64:arm64=$ver" "linux-headers-$abi-common=$ver"
                "linux-kbuild-$series=$ver" "linux-source-$series=$ver")
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
    printf 'obj-m := gpio-sim.o\ngpio-sim-y := gpio-sim-main.o irq_sim.o\n' > "$w/mod/Kbuild"
    make -C "$hdr" M="$w/mod" ARCH=arm64 CROSS_COMPILE="$KCROSS" modules > "$w/build.log" 2>&1 ||
        { cat "$w/build.log" >&2; die "gpio-sim: module build failed"; }
    mkdir -p "$w/out"
    "${KCROSS}strip" --strip-debug -o "$w/out/gpio-sim.ko" "$w/mod/gpio-sim.ko"
    # read the whole strings output: grep -q would close the pipe early and,
    # under pipefail, strings' SIGPIPE would fail a module that is right
    local vermagic
    vermagic=$("${KCROSS}strings" "$w/out/gpio-sim.ko" | grep '^vermagic=' || true)
    [[ "$vermagic" == "vermagic=$kver "* ]] || die "gpio-sim: module vermagic is '${vermagic:-none}', not $kver"
    dpkg-deb --fsys-tarfile "$deb" | tar -xO "./lib/modules/$kver/kernel/fs/configfs/configfs.ko" > "$w/out/configfs.ko" ||
        die "gpio-sim: no configfs.ko in $deb"
    cp "$w/build.log" "$w/out/"
    echo "$recipe" > "$w/out/.vpi-complete"
    # a concurrent run may have finished first: then keep its (same) result
    rm -rf "$out"; mv -T "$w/out" "$out" 2>/dev/null || true; rm -rf "$w"
    [ "$(cat "$out/.vpi-complete" 2>/dev/null)" = "$recipe" ] || die "gpio-sim: no complete build in $out"
    log "gpio-sim: built in $((SECONDS - t0)) s: $out"
    GPIOSIM_DIR=$out
}

# DTBs as the Pi firmware would hand them over: /system/linux,revision added;
# raspi4b: the 0x7ef..... nodes (HDMI, DVP clock, L2 interrupt controller,
# HDMI I2C) QEMU does not model are disabled, or the kernel panics.
make_dtb() {  # machine -> path
    local m=$1 src out dtbdir
    dtbdir=$(ls -d "$CACHE"/kernel/usr/lib/linux-image-*/broadcom | head -1)
    out=$CACHE/dtb/$m.dtb; mkdir -p "$CACHE/dtb"
    case $m in
    raspi3b) cp "$dtbdir/bcm2837-rpi-3-b.dtb" "$out"; rev=0xa02082 ;;   # Pi 3 B rev 1.2, 1 GB
    raspi4b) cp "$dtbdir/bcm2711-rpi-4-b.dtb" "$out"; rev=0xb03115 ;;   # Pi 4 B rev 1.5, 2 GB
    *) die "unknown machine $m" ;;
    esac
    fdtput -c "$out" /system 2>/dev/null || true
    fdtput -t x "$out" /system linux,revision $rev
    # The PL011 (console) carries a Bluetooth child: serdev then owns the
    # port and /dev/ttyAMA0 never appears, so the console cannot take input.
    local bt
    for bt in $(fdtget -l "$out" /soc/serial@7e201000 2>/dev/null); do
        fdtput -r "$out" "/soc/serial@7e201000/$bt"
    done
    if [ $m = raspi4b ]; then
        local n
        for n in $(fdtget -l "$out" /soc); do
            case $n in *@7ef*) fdtput -t s "$out" "/soc/$n" status disabled ;; esac
        done
    fi
    echo "$out"
}

# Hash of what the wheel and the C tests are built from (the work tree as it
# is, uncommitted edits included, minus tests/vpi which does not go in them).
source_files() { (cd "$REPO" && git ls-files -z -co --exclude-standard | tr '\0' '\n' | grep -v '^tests/vpi/' | while read -r f; do [ -f "$f" ] && echo "$f"; done | LC_ALL=C sort); }
source_hash() { (cd "$REPO" && source_files | tr '\n' '\0' | xargs -0 sha256sum; sha256sum "$VPI_DIR/build-in-root.sh") | sha256sum | cut -c1-16; }

in_root() {  # run build-in-root.sh STEP inside the build root, private mounts
    # The root reaches PyPI like this machine does: same resolver, same trust
    # store (a TLS-intercepting proxy's CA may be in it), same proxy variables.
    cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
    if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
        mkdir -p "$ROOT/etc/ssl/certs"
        cp -L /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/ca-certificates.crt"
    fi
    cp "$VPI_DIR/build-in-root.sh" "$ROOT/vpi/build-in-root.sh"
    local envs=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8)
    local v
    for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY PIP_INDEX_URL PIP_DEFAULT_TIMEOUT; do
        [ -n "${!v:-}" ] && envs+=("$v=${!v}")
    done
    if [ -f "$ROOT/etc/ssl/certs/ca-certificates.crt" ]; then
        envs+=(PIP_CERT=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
               REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt)
    fi
    unshare --mount --propagation private sh -c '
        root=$1 step=$2; shift 2
        mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" &&
        exec env -i "$@" chroot "$root" /bin/sh /vpi/build-in-root.sh "$step"' sh "$ROOT" "$1" "${envs[@]}"
}

# Build the sdist and the wheels inside the arm64 root (build-in-root.sh
# `package`: $ROOT/vpi/dist holds the sdist and the manylinux wheel), unless
# this exact source was built already. The build requirements and publishing
# tools are downloaded first when pyproject.toml or build-in-root.sh changed.
ensure_package() {
    local h; h=$(source_hash)
    if [ "$(cat "$ROOT/vpi/package.hash" 2>/dev/null)" = "$h" ] && ls "$ROOT"/vpi/dist/*-manylinux*.whl >/dev/null 2>&1; then
        log "sdist and wheels up to date ($h)"
        return 0
    fi
    log "building the sdist, the manylinux wheel (zig cc, auditwheel, twine check), the gcc wheel and the C tests inside the arm64 root"
    mkdir -p "$ROOT/vpi"; rm -rf "$ROOT/vpi/src" "$ROOT/vpi/package.hash" "$ROOT/vpi/guest.hash"; mkdir -p "$ROOT/vpi/src"
    (cd "$REPO" && source_files | tar -cf - -T -) | tar -C "$ROOT/vpi/src" -xf -
    local rh; rh=$(cat "$ROOT/vpi/src/pyproject.toml" "$VPI_DIR/build-in-root.sh" | sha256sum | cut -c1-16)
    if [ "$(cat "$ROOT/vpi/deps.hash" 2>/dev/null)" != "$rh" ]; then
        log "downloading build requirements, publishing tools and pytest (once per pyproject.toml and build-in-root.sh)"
        in_root deps
        echo "$rh" > "$ROOT/vpi/deps.hash"
    fi
    local t0=$SECONDS
    in_root package
    log "package step took $((SECONDS - t0)) s"
    echo "$h" > "$ROOT/vpi/package.hash"
}

# The guest tree (build-in-root.sh `guest`) around the manylinux wheel of
# ensure_package, unless this exact source was assembled already.
ensure_guest_tree() {
    local h; h=$(source_hash)
    if [ -f "$ROOT/vpi/guest.hash" ] && [ "$(cat "$ROOT/vpi/guest.hash")" = "$h" ] && [ -d "$ROOT/vpi/guest" ]; then
        log "package and guest tree up to date ($h)"
        return 0
    fi
    ensure_package
    in_root guest
    echo "$h" > "$ROOT/vpi/guest.hash"
}

# initramfs = guest tree + init + guest tests + demo script (cheap, every run)
# make_initramfs [NAME [EXTRA_DIR]]: $CACHE/NAME.cpio.zst (default NAME
# initramfs); the files under EXTRA_DIR are added at the same paths (bench.sh).
make_initramfs() {
    local name=${1:-initramfs} extra=${2:-}
    local out=$CACHE/$name.cpio.zst stage=$CACHE/$name-extra
    rm -rf "$stage"; mkdir -p "$stage/vpi-tests"
    install -m 755 "$VPI_DIR/guest/init" "$stage/init"
    cp "$VPI_DIR"/guest/conftest.py "$VPI_DIR"/guest/test_*.py "$stage/vpi-tests/"
    install -m 755 "$VPI_DIR/guest/demo.sh" "$stage/vpi-demo.sh"
    if [ -n "$GPIOSIM_DIR" ]; then   # loaded by guest/init
        mkdir -p "$stage/vpi-modules"; cp "$GPIOSIM_DIR"/*.ko "$stage/vpi-modules/"
    fi
    [ -z "$extra" ] || cp -a "$extra"/. "$stage"/
    ( (cd "$ROOT/vpi/guest" && find . | cpio -o -H newc --quiet) ;
      (cd "$stage" && find . ! -name . | cpio -o -H newc --quiet -R +0:+0) ) > "$out.cpio"
    zstd -q -3 -T0 -f "$out.cpio" -o "$out"; rm -f "$out.cpio"
    echo "$out"
}

# Boot one emulated Pi. boot_pi MACHINE MODE INITRD LOG TIMEOUT
# MODE test|demo|bench: serial console to LOG (streamed to stdout with a prefix),
# QEMU is killed once the sentinel appears; returns the guest's status, or
# 124 on timeout. MODE shell: interactive console on this terminal.
boot_pi() {
    local m=$1 mode=$2 initrd=$3 logf=$4 limit=$5 dtb mem earlycon
    dtb=$(make_dtb "$m")
    case $m in
    raspi3b) mem=1G; earlycon=0x3f201000 ;;
    raspi4b) mem=2G; earlycon=0xfe201000 ;;
    esac
    local append="console=ttyAMA0 earlycon=pl011,$earlycon iomem=relaxed rdinit=/init vpi.machine=$m vpi.mode=$mode quiet"
    # the demo and the shell are for people: no kernel chatter on the console
    [ "$mode" = test ] || append="$append loglevel=1"
    local args=(-M "$m" -m "$mem" -kernel "$(kernel_image)" -dtb "$dtb" -initrd "$initrd" -append "$append" -no-reboot)
    if [ "$mode" = shell ]; then
        qemu-system-aarch64 "${args[@]}" -nographic -serial mon:stdio
        return $?
    fi
    : > "$logf"
    qemu-system-aarch64 "${args[@]}" -display none -monitor none -serial "file:$logf" 2>"$logf.qemu" &
    local qpid=$! start=$SECONDS rc=124
    tail -n +1 -F --pid=$qpid "$logf" 2>/dev/null | sed -u "s/^/[$m] /" &
    local tpid=$!
    while :; do
        if grep -q '^VPI-SENTINEL rc=' "$logf"; then
            rc=$(sed -n 's/^VPI-SENTINEL rc=\([0-9]*\).*/\1/p' "$logf" | head -1); break
        fi
        if grep -q 'Kernel panic' "$logf"; then sleep 2; log "$m: kernel panic"; rc=125; break; fi
        if ! kill -0 $qpid 2>/dev/null; then log "$m: QEMU exited early"; rc=126; break; fi
        if [ $((SECONDS - start)) -ge "$limit" ]; then log "$m: no sentinel within $limit s"; rc=124; break; fi
        sleep 1
    done
    kill $qpid 2>/dev/null || true; wait $qpid 2>/dev/null || true
    sleep 0.2; kill $tpid 2>/dev/null || true; wait $tpid 2>/dev/null || true
    log "$m: guest finished with status $rc after $((SECONDS - start)) s"
    return $rc
}
