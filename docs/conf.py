# SPDX-License-Identifier: MIT
"""Sphinx configuration of the fastgpio documentation (docs/build.sh runs it).

autodoc imports the installed fastgpio package (not python/ of the checkout:
the C extension exists only once built); the C API page is read from
include/fastgpio.h by the local extension _ext/cheader.py.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "_ext"))

import fastgpio  # noqa: E402  (after the path change above, as Sphinx's own examples do)

project = "fastgpio"
author = "the fastgpio authors"
copyright = "the fastgpio authors"
release = fastgpio.__version__
version = release

extensions = ["sphinx.ext.autodoc", "cheader"]
exclude_patterns = ["_build", "_ext"]
html_theme = "alabaster"
html_theme_options = {"description": "Fast memory-mapped GPIO for Linux single-board computers"}
# No _static directory: the built-in theme's files are all the pages need.
templates_path = []

autodoc_member_order = "bysource"
autodoc_typehints = "signature"

# Nitpicky mode (sphinx-build -n) checks every reference. The C standard types
# are not declared anywhere in these pages, nor are the standard library's and
# gpiozero's classes that signatures name (no intersphinx: the build stays
# offline).
nitpick_ignore = [("c:identifier", t) for t in ("uint32_t", "uint64_t", "int64_t", "size_t")]
nitpick_ignore += [("py:class", t) for t in ("os.PathLike", "array")]
nitpick_ignore_regex = [("py:class", r"gpiozero\..*")]


# ---------------------------------------------------------------------------
# Every name fastgpio exports must be documented: a new export without an
# entry on the Python API page fails the build.

def _check_exports(app, env):
    from sphinx.util import logging
    documented = set(env.get_domain("py").objects)
    for name in fastgpio.__all__:
        if f"fastgpio.{name}" not in documented:
            logging.getLogger(__name__).warning(
                "fastgpio.%s is in fastgpio.__all__ but not documented (python-api.rst)", name)


def setup(app):
    app.connect("env-check-consistency", _check_exports)
