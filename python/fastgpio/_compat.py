# SPDX-License-Identifier: MIT
"""Rules the RPi.GPIO and gpiozero layers share, kept in one place so that the
two cannot drift apart."""

from __future__ import annotations

from typing import Optional


def within_bounce(window_ns: Optional[int], last_ns: int, ts_ns: int) -> bool:
    """Whether an edge at ``ts_ns`` falls inside the bounce window: at most
    ``window_ns`` after the last accepted edge (``last_ns``; 0: none yet).
    Such an edge is dropped. Kernel timestamps; an edge stamped before the
    last accepted one (a re-request reset the clock's reference) is kept."""
    return bool(window_ns) and last_ns != 0 and 0 <= ts_ns - last_ns <= window_ns  # type: ignore[operator]


def pull_tolerated(pull: str) -> bool:
    """Whether a ``set_pull(line, pull)`` refused with NotSupportedError is no
    error for a compat layer: "no pull" on a line whose pull cannot be set
    from user space (AM335x pads, whose pulls belong to the device tree; a
    kernel without bias control on the gpiod backend) leaves the line as it is."""
    return pull == "off"
