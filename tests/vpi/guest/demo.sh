#!/bin/sh
# Runs inside the emulated Pi (vpi.mode=demo): what a user would try first.
echo "== $(tr -d '\0' < /proc/device-tree/model)"
step() { echo; echo "\$ $*"; "$@"; echo "(exit status $?)"; }
if command -v fastgpio >/dev/null; then
    step fastgpio info
    step fastgpio readall
    step fastgpio bench
else
    step python3 -m fastgpio info
    step python3 -m fastgpio readall
    step python3 -m fastgpio bench
fi
echo
echo '$ python3 (fastgpio.Chip(): info, GPIO 17 toggled and read back)'
python3 - <<'PY'
import fastgpio
with fastgpio.Chip() as chip:
    print(chip.info)
    chip.set_function(17, "out")
    for v in (1, 0, 1, 0):
        chip.write(17, v)
        print(f"GPIO17 <- {v}, reads {chip.read(17)}")
PY
rc=$?
echo "(exit status $rc)"
exit $rc
