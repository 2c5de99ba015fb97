#!/bin/bash
# SPDX-License-Identifier: MIT
# fastgpio on an emulated Raspberry Pi, for people without a board.
# Builds the aarch64 manylinux wheel the project publishes (from the sdist, inside
# an arm64 Debian root), boots QEMU's Pi 4 (or Pi 3) with Debian's kernel and
# runs `fastgpio info`, `fastgpio readall`, `fastgpio bench` and a short
# Python session (GPIO 17 toggled and read back) inside it.
#
# Usage (as root): tests/vpi/demo.sh [--machine raspi4b|raspi3b] [--shell]
#   --shell   instead, drop into an interactive shell on the guest console
#             (the package is installed; leave with Ctrl-A X)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MACHINE=raspi4b MODE=demo TIMEOUT=600
while [ $# -gt 0 ]; do
    case $1 in
        --machine) MACHINE=$2; shift 2 ;;
        --machine=*) MACHINE=${1#*=}; shift ;;
        --shell) MODE=shell; shift ;;
        --timeout) TIMEOUT=$2; shift 2 ;;
        -h|--help) sed -n '3,/^[^#]/{/^#/p}' "$0"; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done
case $MACHINE in raspi3b|raspi4b) ;; *) die "--machine must be raspi3b or raspi4b" ;; esac

need_root
host_setup
ensure_kernel
ensure_gpiosim
ensure_buildroot
ensure_guest_tree
INITRD=$(make_initramfs)
mkdir -p "$CACHE/logs"
log "booting the emulated $MACHINE ($MODE)"
boot_pi "$MACHINE" "$MODE" "$INITRD" "$CACHE/logs/demo-$MACHINE.log" "$TIMEOUT"
