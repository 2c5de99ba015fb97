#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs inside the emulated Pi (vpi.mode=demo): what a user would try first.
echo "== $(tr -d '\0' < /proc/device-tree/model), emulated by QEMU (timings are not hardware's)"
rc=0
for sub in info readall bench; do
    echo
    echo "\$ fastgpio $sub"
    if fastgpio --help 2>/dev/null | grep -q "[{,]$sub[,}]"; then
        # progress lines (\r, erase-line) go to stderr on a console: drop them
        fastgpio $sub 2>/tmp/demo.err || rc=$?
        tr '\r' '\n' < /tmp/demo.err | sed 's/\x1b\[K//g' | grep -v '^fastgpio [a-z]*: \[[0-9]' | grep -v '^$' >&2
    else
        echo "(this version of fastgpio has no '$sub' command yet)"
    fi
done
echo
echo '$ python3   # fastgpio.Chip(): info, GPIO 17 toggled and read back, toggles per second'
python3 - <<'PY' || rc=$?
import time
import fastgpio
with fastgpio.Chip() as chip:
    print(chip.info)
    chip.set_function(17, "out")
    for v in (1, 0, 1, 0):
        chip.write(17, v)
        print(f"GPIO17 <- {v}, reads {chip.read(17)}")
    pin = chip.pin(17)
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 1.0:
        for _ in range(1000):
            pin.on(); pin.off()
        n += 1000
    dt = time.perf_counter() - t0
    print(f"Pin.on()+Pin.off(): {n / dt:,.0f} pulses/s in the emulator")
PY
exit $rc
