"""Society held against the Dutch record of 2020-2021: postponed hospital care, admissions to
statutory debt restructuring (Wsnp), learning loss and strain, each model figure next to what was
observed, with whether it was a calibration target or held out.

>>> table = af.society.backtest()                       # doctest: +SKIP
>>> table[["target", "period", "observed", "model", "met"]]  # doctest: +SKIP

The runs are the Dutch epidemic as it happened (:func:`afweging.replay.fitted_run`: the timeline
under the replay scenario fitted to the record, from 27 February 2020): to 31 December 2021 for the
daily series (operations from 1 March 2020, strain, Wsnp), and to the dates of the learning
measurements for learning loss (an indicator is a total over its run). The
record below carries its sources; the parameters are documented in ``docs/societal.md``.

A target is met when the model lies within ``tolerance`` (a share) of the observed figure, or of
the observed range. The tolerance is the issue's 25% for counts; for learning loss and for the
excess prevalence of strain the same 25% of the observed figure.

Needs pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

import numpy as np

from ._inputs import Calibration
from ._optional import pandas as _pandas
from .observed import economy_netherlands
from .timeline import Timeline, fitted_run

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .run import Run

START, UNTIL = "2020-03-01", "2021-12-31"
TOLERANCE = 0.25

#: The record: target, the period (from ``START`` to the date, or a year), the observed figure
#: (low, high), its unit, its role and its source.
RECORD: List[Dict[str, Any]] = [
    {
        "target": "operations_postponed",
        "until": "2021-04-30",
        "observed": (230_000.0, 230_000.0),
        "unit": "operations",
        "role": "calibration",
        "source": "NZa weekly monitor via ANP (2021-05-02): 230,000 fewer operations than normal since March 2020",
    },
    {
        "target": "operations_postponed",
        "until": "2021-08-15",
        "observed": (340_000.0, 380_000.0),
        "unit": "operations",
        "role": "held out",
        "source": "NZa (2021-08-27, revised method): 340,000-380,000 fewer operations since March 2020",
    },
    {
        "target": "operations_postponed",
        "until": "2021-12-31",
        "observed": (305_000.0, 305_000.0),
        "unit": "operations",
        "role": "held out",
        "source": "RIVM (2022-07-05): 305,000 planned operations postponed or cancelled in 2020-2021",
    },
    {
        "target": "learning_loss_primary",
        "until": "2020-06-30",
        "observed": (0.08, 0.08),
        "unit": "SD",
        "role": "calibration",
        "source": "Engzell, Frey & Verhagen, PNAS 2021: 0.08 SD after the first closure (8 weeks), primary pupils",
    },
    {
        "target": "learning_loss_primary",
        "until": "2021-06-30",
        "observed": (0.07, 0.10),
        "unit": "SD",
        "role": "held out",
        "source": "NCO via the Minister of Education (NPO progress letter, 2021-10-28): primary pupils 7 weeks "
        "behind in reading comprehension, 10 in mathematics, after both closures (x 0.01 SD a school week: "
        "0.4 SD a 40-week school year)",
    },
    {
        "target": "loneliness_excess",
        "until": "2020-07-31",
        "observed": (0.08, 0.08),
        "unit": "share of persons 10+",
        "role": "calibration",
        "source": "SCP, Een jaar met corona (2021): emotional loneliness 21% before the epidemic, 29% in July 2020",
    },
    {
        "target": "mental_health_excess",
        "until": "2021-06-30",
        "observed": (0.04, 0.04),
        "unit": "share of persons 10+",
        "role": "held out",
        "source": "CBS (2021): psychologically unhealthy 11% in 2019, 15% in the first half of 2021 (persons 12+)",
    },
]


def _met(model: float, low: float, high: float, tolerance: float) -> bool:
    return bool(low * (1.0 - tolerance) <= model <= high * (1.0 + tolerance))


def _dates(run: "Run") -> np.ndarray:
    """The run's dates (the backtest's runs are dated replays)."""
    days = run.dates
    if days is None:
        raise ValueError("the societal backtest needs a dated run")
    return days


def _through(run: "Run", series: str, until: str) -> np.ndarray:
    """The days of a daily impacts series from ``START`` (or the run's start) to ``until``."""
    days = _dates(run)
    daily = np.asarray(run.impacts.daily[series])
    return daily[(days >= np.datetime64(START)) & (days <= np.datetime64(until))]


def _strain(run: "Run", series: str, month: Tuple[str, str], share_10_plus: float) -> float:
    """Mean excess share of persons aged 10+ over the days of ``month`` (the run's share is of the
    whole population, and the under-10s have no excess)."""
    days = _dates(run)
    daily = np.asarray(run.impacts.daily[series])
    inside = (days >= np.datetime64(month[0])) & (days <= np.datetime64(month[1]))
    return float(np.mean(daily[inside])) / share_10_plus


def backtest(timeline: Optional[Timeline] = None, calibration: Optional[Calibration] = None) -> "pd.DataFrame":
    """The societal record of 2020-2021 next to the model: one row per figure of :data:`RECORD`
    and per Wsnp year, with ``target``, ``period``, ``observed`` (the low end of a range),
    ``observed_high``, ``model``, ``unit``, ``role`` (calibration or held out), ``met`` (within
    :data:`TOLERANCE`) and ``source``. The runs are :func:`afweging.replay.fitted_run` of
    ``timeline`` (default: the Dutch one) on ``calibration`` (default: the Netherlands)."""
    pd = _pandas()
    calibration = calibration if calibration is not None else Calibration.netherlands()
    full = fitted_run(until=UNTIL, calibration=calibration, timeline=timeline)
    population = np.asarray(calibration.population, dtype=np.float64)
    share_10_plus = float(population[1:].sum() / population.sum())
    learning: Dict[str, float] = {}
    rows = []
    for r in RECORD:
        low, high = r["observed"]
        if r["target"] == "operations_postponed":
            model = float(_through(full, "operations_postponed", r["until"]).sum())
        elif r["target"] == "learning_loss_primary":
            if r["until"] not in learning:
                part = fitted_run(until=r["until"], calibration=calibration, timeline=timeline)
                by_age = part.impacts.by_group("age_band").loc["learning_loss"]
                learning[r["until"]] = float(by_age[calibration.age_bands[0]])  # primary pupils only
            model = learning[r["until"]]
        elif r["target"] == "loneliness_excess":
            model = _strain(full, "loneliness", (r["until"][:8] + "01", r["until"]), share_10_plus)
        else:  # mental_health_excess: the first half of the year
            model = _strain(full, "mental_health", (r["until"][:5] + "01-01", r["until"]), share_10_plus)
        period = f"{START[:7]} .. {r['until']}" if r["target"] == "operations_postponed" else r["until"][:7]
        if r["target"] == "mental_health_excess":
            period = "2021H1"
        rows.append({**{k: r[k] for k in ("target", "unit", "role", "source")}, "period": period,
                     "observed": low, "observed_high": high, "model": model,
                     "met": _met(model, low, high, TOLERANCE)})
    compared = full.impacts.compare(economy_netherlands())
    for _, w in compared[compared.series == "wsnp_admissions"].iterrows():
        role = "calibration" if w["period"] == "2020" else "held out"
        rows.append({"target": "wsnp_admissions", "unit": "persons", "role": role, "source": w["source"],
                     "period": w["period"], "observed": w["observed"], "observed_high": w["observed"],
                     "model": w["model"], "met": _met(w["model"], w["observed"], w["observed"], TOLERANCE)})
    columns = ["target", "period", "observed", "observed_high", "model", "unit", "role", "met", "source"]
    return pd.DataFrame(rows, columns=columns)
