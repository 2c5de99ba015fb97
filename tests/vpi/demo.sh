#!/bin/bash
# SPDX-License-Identifier: MIT
# fastgpio on an emulated Raspberry Pi, for people without a board.
# Builds the wheel a user of the board installs (from the sdist, inside a
# Debian root of the board's architecture), boots QEMU's Pi 4 (or another
# machine of tests/vpi/run.sh) with Debian's kernel and runs `fastgpio info`,
# `fastgpio readall`, `fastgpio bench` and a short Python session (GPIO 17
# toggled and read back) inside it.
#
# Usage (as root): tests/vpi/demo.sh [--machine raspi4b|raspi3b|raspi2b|raspi0|raspi4b-trixie|raspi2b-trixie] [--shell]
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
[ "$(machines_of "$MACHINE")" = "$MACHINE" ] || die "--machine takes one of: $ALL_MACHINES"

need_root
host_setup
use_machine "$MACHINE"
prepare_machine
INITRD=$(make_initramfs)
mkdir -p "$CACHE/logs"
log "booting the emulated $MACHINE ($MODE)"
boot_pi "$MACHINE" "$MODE" "$INITRD" "$CACHE/logs/demo-$MACHINE.log" "$TIMEOUT"
