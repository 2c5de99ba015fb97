# SPDX-License-Identifier: MIT
"""Randomised (fuzz) tests of the CLI's argument parsing: pin/value lists
(``_parse_assignments``) and whole command lines through ``main()``.

Why not atheris: the parser under test is a few lines of pure Python, so
coverage guidance adds little over a seeded random generator, while atheris
would add a native dependency built against libFuzzer to every test run. This
way the fuzz runs inside the normal pytest suite, including the ASan pass of
tests/hardening.sh. The seed is fixed (reproducible failures); more cases or
another seed: FGPIO_FUZZ_CASES=100000 FGPIO_FUZZ_SEED=$RANDOM pytest tests/test_fuzz_cli.py
"""

from __future__ import annotations

import os
import random
import re

import pytest

from fastgpio.__main__ import _parse_assignments, main

SEED = int(os.environ.get("FGPIO_FUZZ_SEED", "20261121"))
CASES = int(os.environ.get("FGPIO_FUZZ_CASES", "3000"))
GPIO = 0xFE200000

# Pieces that matter to the parser and to name resolution, plus noise.
ATOMS = ["=", "==", "0", "1", "2", "01", "-1", " ", "\t", "\0", "GPIO", "GPIO17", "17", "BOARD11",
         "BOARD1", "P9_12", "GPIO5_B0", "_", "é", "\ud7ff", "x" * 40, "9" * 12, "%s", "\n", "+"]

ASSIGNMENT = re.compile(r"([^=]*)=([01])", re.S)


def random_item(rng: random.Random) -> str:
    return "".join(rng.choice(ATOMS) for _ in range(rng.randint(0, 5)))


def test_parse_assignments_matches_reference_model():
    rng = random.Random(SEED)
    for _ in range(CASES):
        items = [random_item(rng) for _ in range(rng.randint(0, 4))]
        want = []
        for item in items:
            m = ASSIGNMENT.fullmatch(item)
            want.append((m.group(1), int(m.group(2))) if m else None)
        try:
            got = _parse_assignments(items)
        except ValueError as e:
            assert None in want, (items, e)
            bad = items[want.index(None)]
            assert repr(bad) in str(e), (items, str(e))  # names the first bad item
            continue
        assert got == want, items


def cli(argv) -> int:
    try:
        return main(argv)
    except SystemExit as e:
        return e.code


def test_cli_random_command_lines(regfile, no_dt, capsys):
    """Whatever the command line: exit status 0, 1 or 2, never a traceback,
    a message on stderr for every refusal, and no register written by a
    refused command."""
    rng = random.Random(SEED + 1)
    f = regfile(GPIO + 0x1000)
    base = ["--soc", "bcm2711", "--devmem", str(f), "--dt-root", no_dt]
    commands = ["info", "readall", "get", "set", "func", "pull", "bogus", ""]
    words = ATOMS + ["in", "out", "alt0", "alt6", "alt9", "up", "down", "off", "keeper",
                     "GPIO17=1", "GPIO4=0", "17=1", "BOARD11=0", "--soc", "--backend", "-h"]
    n = max(CASES // 10, 50)
    for _ in range(n):
        cmd = rng.choice(commands)
        args = [rng.choice(words) if rng.random() < 0.7 else random_item(rng)
                for _ in range(rng.randint(0, 4))]
        argv = base + ([cmd] if cmd else []) + args
        if "\0" in "".join(argv):
            continue  # a real argv cannot hold NUL
        before = f.digest()
        code = cli(argv)
        out = capsys.readouterr()
        assert code in (0, 1, 2), (argv, code)
        assert "Traceback" not in out.err, argv
        if code != 0:
            assert out.err.strip(), argv
            assert f.digest() == before, f"refused command wrote registers: {argv}"
