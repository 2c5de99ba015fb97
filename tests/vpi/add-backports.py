#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Add bookworm-backports by copying the machine's own Debian source entry.

Reads /etc/apt/sources.list.d/debian.sources, takes the stanza whose Suites list
contains the plain release (e.g. "bookworm"), and writes the same stanza with
Suites replaced by "<release>-backports" to vpi-backports.sources. No host name
is written by us: the URIs are copied from the machine's own entry.
"""
import pathlib
import sys

SRC = pathlib.Path("/etc/apt/sources.list.d/debian.sources")
DST = pathlib.Path("/etc/apt/sources.list.d/vpi-backports.sources")
release = sys.argv[1] if len(sys.argv) > 1 else "bookworm"

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
                value = f"{release}-backports"
            out.append(f"{key}: {value}")
        text = "\n".join(out) + "\n"
        if not DST.exists() or DST.read_text() != text:
            DST.write_text(text)
            print(f"wrote {DST}")
        sys.exit(0)
sys.exit(f"no stanza with suite {release} in {SRC}")
