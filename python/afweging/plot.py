"""Plots of a run (matplotlib, an optional extra: ``pip install afweging[plot]``). Every function
returns the axes it drew on and accepts an ``ax`` to draw into."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Tuple

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from .run import Run

KINDS = ("care", "rungs", "behaviour")


def _axes(ax: Optional[Any], figsize: Tuple[float, float] = (9, 3.5)) -> Any:
    if ax is not None:
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError as err:  # pragma: no cover
        raise ImportError("matplotlib is needed for plots; install it with `pip install afweging[plot]`") from err
    _, ax = plt.subplots(figsize=figsize)
    return ax


def _has(run: "Run", attribute: str) -> bool:
    try:
        getattr(run, attribute)
    except AttributeError:
        return False
    return True


def care(run: "Run", ax: Optional[Any] = None) -> Any:
    """COVID-19 patients in ICU and in clinical beds against normal and scaled-up capacity; the
    days of each trigger-policy level are shaded (darker = higher level)."""
    ax = _axes(ax)
    days = np.arange(run.days)
    icu = run.icu_occupancy.sum(axis=1)
    ward = run.hospital_occupancy.sum(axis=1)
    ax.plot(days, ward, label="clinical beds", color="tab:blue")
    ax.plot(days, icu, label="ICU", color="tab:red")
    for (normal, scaled), color in ((run.hospital_capacity, "tab:blue"), (run.icu_capacity, "tab:red")):
        ax.axhline(normal, ls=":", lw=1, color=color)
        ax.axhline(scaled, ls="--", lw=1, color=color)
    if _has(run, "policy_level"):
        level = run.policy_level
        top = max(int(level.max()), 1)
        start = 0
        for day in range(1, run.days + 1):
            if day == run.days or level[day] != level[start]:
                if level[start] > 0:
                    ax.axvspan(start, day, color="grey", alpha=0.12 + 0.25 * level[start] / top, lw=0)
                start = day
    ax.set_xlabel("day")
    ax.set_ylabel("COVID-19 patients (persons)")
    ax.set_title("care load against capacity (dotted: normal, dashed: scaled up)")
    ax.legend(loc="upper right", fontsize=8)
    return ax


def rungs(run: "Run", ax: Optional[Any] = None) -> Any:
    """The rung in force per sector per day (a run under a policy)."""
    ax = _axes(ax, (9, 4))
    image = ax.imshow(run.rungs.T, aspect="auto", interpolation="nearest", cmap="Reds", vmin=0)
    ax.set_yticks(range(len(run.sectors)))
    ax.set_yticklabels(run.sectors, fontsize=7)
    ax.set_xlabel("day")
    ax.set_title("rung in force per sector (0 = lowest)")
    ax.figure.colorbar(image, ax=ax, fraction=0.03)
    return ax


def behaviour(run: "Run", ax: Optional[Any] = None) -> Any:
    """Population-weighted compliance and support, perceived risk and voluntary contact reduction."""
    ax = _axes(ax)
    weights = run.compartments[0].sum(axis=1)
    weights = weights / weights.sum()
    ax.plot(run.compliance @ weights, label="compliance")
    ax.plot(run.support @ weights, label="support")
    ax.plot(run.risk_perception, ls=":", label="perceived risk")
    ax.plot(run.voluntary_reduction @ weights, ls="--", label="voluntary reduction")
    ax.set_ylim(0, 1)
    ax.set_xlabel("day")
    ax.set_title("behaviour (population-weighted)")
    ax.legend(loc="lower left", fontsize=8)
    return ax
