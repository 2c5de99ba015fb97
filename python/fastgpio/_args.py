# SPDX-License-Identifier: MIT
"""The Python layer's rule for integer arguments, in one place: an int or
any object with ``__index__`` (numpy integer scalars), never a bool (True is
an int to Python, but ``pin(True)`` is a mistake, not pin 1)."""
from __future__ import annotations

import operator


def is_index(x: object) -> bool:
    """True for an int or an ``__index__`` type other than bool."""
    return not isinstance(x, bool) and hasattr(type(x), "__index__")


def index_arg(x: object, what: str, unit: str = "") -> int:
    """``x`` as an int; TypeError naming ``what`` (and its unit) otherwise."""
    if not is_index(x):
        raise TypeError(f"{what} must be an int{f' ({unit})' if unit else ''}, not {type(x).__name__}")
    return operator.index(x)  # type: ignore[arg-type]
