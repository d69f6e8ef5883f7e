"""The optional extras (pandas, xarray, matplotlib), imported when first needed, with an error
that names the extra to install."""

from __future__ import annotations

import importlib
from typing import Any


def require(module: str, extra: str) -> Any:
    """``module`` imported, or an ImportError naming ``pip install afweging[extra]``."""
    try:
        return importlib.import_module(module)
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(f"{module} is needed for this; install it with `pip install afweging[{extra}]`") from err


def pandas() -> Any:
    return require("pandas", "pandas")


def xarray() -> Any:
    return require("xarray", "xarray")


def pyplot() -> Any:
    return require("matplotlib.pyplot", "plot")
