#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Add a Debian package source by copying the machine's own Debian source entry.

Reads /etc/apt/sources.list.d/debian.sources, takes the stanza whose Suites list
contains the plain release (e.g. "bookworm"), and writes the same stanza with
Suites replaced (and, if asked, Types) to a file of its own. No host name is
written by us: the URIs are copied from the machine's own entry.

Usage: add-backports.py [RELEASE]          RELEASE-backports, binary packages
       add-backports.py RELEASE SUITE TYPES e.g. bookworm trixie deb-src
"""
import pathlib
import sys

SRC = pathlib.Path("/etc/apt/sources.list.d/debian.sources")
release = sys.argv[1] if len(sys.argv) > 1 else "bookworm"
suite = sys.argv[2] if len(sys.argv) > 2 else f"{release}-backports"
types = sys.argv[3] if len(sys.argv) > 3 else None
if len(sys.argv) > 4:
    sys.exit(__doc__)
# The backports file keeps the name the rig has always used.
name = "vpi-backports" if len(sys.argv) <= 2 else f"fastgpio-{suite}-{types or 'deb'}"
DST = pathlib.Path(f"/etc/apt/sources.list.d/{name}.sources")

stanzas = [s for s in SRC.read_text().split("\n\n") if s.strip()]
for stanza in stanzas:
    fields = {}
    lines = []
    for line in stanza.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
        lines.append((key.strip(), value.strip()))
    if release in fields.get("Suites", "").split():
        out = []
        for key, value in lines:
            if key == "Suites":
                value = suite
            elif key == "Types" and types:
                value = types
            out.append(f"{key}: {value}")
        text = "\n".join(out) + "\n"
        if not DST.exists() or DST.read_text() != text:
            DST.write_text(text)
            print(f"wrote {DST}")
        sys.exit(0)
sys.exit(f"no stanza with suite {release} in {SRC}")
