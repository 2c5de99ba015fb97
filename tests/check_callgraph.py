#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fails when the files of src/ call each other in a circle.

Reads the objects of a static archive with nm: file A depends on file B when
A has an undefined symbol that B defines (a call, or a table's pointer to
B's data). Prints that graph, each file with what it uses, then exits 1 with
every cycle it finds, 0 when there is none.

Usage: check_callgraph.py ARCHIVE.a [NM]
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import defaultdict
from typing import Dict, List, Set


def read_archive(archive: str, nm: str) -> Dict[str, Dict[str, Set[str]]]:
    """{object: {"def": symbols it defines, "undef": symbols it needs}}."""
    out = subprocess.run([nm, "-A", archive], capture_output=True, text=True, check=True).stdout
    objs: Dict[str, Dict[str, Set[str]]] = defaultdict(lambda: {"def": set(), "undef": set()})
    for line in out.splitlines():
        # "lib.a:member.o:0000000000000000 T name" or "lib.a:member.o:                 U name"
        m = re.match(r"^[^:]*:([^:]+):\s*(?:[0-9a-fA-F]+\s+)?([A-Za-z])\s+(\S+)$", line)
        if not m:
            continue
        obj, kind, sym = m.groups()
        if kind == "U":
            objs[obj]["undef"].add(sym)
        elif kind in "TDRBCV":
            objs[obj]["def"].add(sym)
    return objs


def file_name(obj: str) -> str:
    """meson's '.../src_chip.c.o' (thin archives name whole paths) -> 'chip.c'."""
    return re.sub(r"^src_", "", os.path.basename(obj)).removesuffix(".o")


def graph(objs: Dict[str, Dict[str, Set[str]]]) -> Dict[str, Set[str]]:
    owner = {s: file_name(o) for o, d in objs.items() for s in d["def"]}
    g: Dict[str, Set[str]] = {file_name(o): set() for o in objs}
    for o, d in objs.items():
        a = file_name(o)
        for s in d["undef"]:
            b = owner.get(s)
            if b is not None and b != a:
                g[a].add(b)
    return g


def cycles(g: Dict[str, Set[str]]) -> List[List[str]]:
    """The strongly connected components with more than one file (Tarjan)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on: Set[str] = set()
    found: List[List[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(g[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return found


def main(argv: List[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    g = graph(read_archive(argv[1], argv[2] if len(argv) == 3 else "nm"))
    if len(g) < 2:
        print(f"{argv[1]}: fewer than two objects, nothing to check", file=sys.stderr)
        return 1
    for a in sorted(g):
        print(f"{a:16s} -> {', '.join(sorted(g[a])) or '(nothing)'}")
    found = cycles(g)
    for comp in found:
        print("cycle: " + " <-> ".join(comp))
    print(f"{len(g)} files, {sum(len(v) for v in g.values())} dependencies, {len(found)} cycles")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
