# SPDX-License-Identifier: MIT
# The host's pytest (tests/run.sh collects tests/) must not descend into the
# rig's cache: it holds an arm64 Debian root and a copy of the source tree.
collect_ignore = ["cache"]
