"""Entries that take effect from a date on: which one is in force on a date.

The engine's rule (``in_force`` in ``src/inputs/dated.rs``) for the dated values the Python side
composes itself (the fit's transmission factors, the testing regimes): on a date the last entry
whose date is on or before it is in force, none before the first. One rule for both sides.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def in_force(starts: Any, dates: Any) -> np.ndarray:
    """Index into ``starts`` (dates in ascending order) of the entry in force on each of ``dates``;
    -1 before the first.

    >>> in_force(["2020-03-01", "2020-06-01"], ["2020-02-29", "2020-03-01", "2020-05-31", "2021-01-01"])
    array([-1,  0,  0,  1])
    """
    index: np.ndarray = np.searchsorted(np.asarray(starts, dtype="datetime64[D]"), np.asarray(dates, dtype="datetime64[D]"), side="right") - 1
    return index
