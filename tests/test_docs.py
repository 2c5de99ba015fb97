# SPDX-License-Identifier: MIT
"""What the documentation is made from stays in step with the code.

Not the docs build (docs/build.sh, a stage of its own): these checks are
fast and need neither Sphinx nor groff.
  - docs/fastgpio.1, the manual page meson installs, is what
    docs/make_manpage.py makes from the installed CLI's parser now;
  - every function, struct and enum of include/fastgpio.h has the comment
    the C API page is generated from.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


def test_manpage_is_current(tmp_path):
    fresh = tmp_path / "fastgpio.1"
    _load(TOP / "docs" / "make_manpage.py").main([str(fresh)])
    committed = (TOP / "docs" / "fastgpio.1").read_text(encoding="utf-8")
    assert fresh.read_text(encoding="utf-8") == committed, (
        "docs/fastgpio.1 is stale: the CLI changed. Regenerate it with the package installed:\n"
        "    python docs/make_manpage.py docs/fastgpio.1")


def test_manpage_covers_every_subcommand():
    from fastgpio.__main__ import build_parser

    page = (TOP / "docs" / "fastgpio.1").read_text(encoding="utf-8")
    subs = next(a for a in build_parser()._actions if a.dest == "command")
    for name in subs.choices:
        assert f'.SS "{name}"' in page, name
    assert ".SH EXIT STATUS" in page


def test_c_header_is_documented():
    cheader = _load(TOP / "docs" / "_ext" / "cheader.py")
    text = (TOP / "include" / "fastgpio.h").read_text(encoding="utf-8")
    _, sections = cheader.parse(text)
    assert [f"{it.kind} {it.name} (line {it.line})" for it in cheader.undocumented(sections)] == []
    # the parser saw every exported function (each declaration starts its line with FGPIO_API)
    exported = set(re.findall(r"^FGPIO_API\s[^(]*?\b(fgpio_\w+)\s*\(", text, re.M))
    assert exported <= set(cheader.function_names(sections))
    assert len(exported) == len(re.findall(r"^FGPIO_API\s", text, re.M))


def test_every_source_file_names_its_licence():
    """Each C, Python and shell source (and the build files) starts with an
    SPDX-License-Identifier line naming the MIT licence of LICENSE."""
    exts = {".c", ".h", ".py", ".pyi", ".sh", ".in", ".supp"}
    named = {"meson.build", "meson.options", "pyproject.toml", "init", "run"}
    skip_dirs = {".git", "corpus", "cache", "build-test", "build-test-nogpiod", "build-docs", "build-tsan",
                 ".venv-test", ".venv-ft", ".cache", "__pycache__"}
    missing, seen = [], 0
    for d, dirs, files in os.walk(TOP):
        dirs[:] = [x for x in dirs if x not in skip_dirs and not x.startswith((".mesonpy", "build"))]
        for f in files:
            if Path(f).suffix not in exts and f not in named:
                continue
            p = Path(d) / f
            seen += 1
            head = p.read_text(errors="replace").splitlines()[:3]
            if not any("SPDX-License-Identifier: MIT" in line for line in head):
                missing.append(str(p.relative_to(TOP)))
    assert seen > 100, seen
    assert not missing, missing
