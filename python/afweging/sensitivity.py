"""One-way sensitivity analysis: each uncertain parameter in turn at a low and a high value (by
default the 5% and 95% quantiles of its distribution), every other input at its base value, and the
change this makes to the sweep indicators. The result draws itself as a tornado chart.

The engine does all the work: the quantiles come from the distributions in
:class:`afweging.Uncertainty` (``Uncertainty.quantiles``, computed in Rust, truncation included),
and each low or high value is one run of a one-draw sweep in which that parameter alone is fixed
(the same path-based machinery, validation and indicators as :func:`afweging.sweep`).

>>> import afweging as af
>>> model = af.Model(af.Calibration.netherlands(), af.Scenario.preset("centraal"))
>>> ow = af.one_way(model, parameters=["scenario.variant.r0"], days=120)
>>> ow.to_pandas()["parameter"].tolist()
['scenario.variant.r0']
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _core
from . import plot as _plot
from ._inputs import Calibration, Scenario
from .errors import ValidationError, wrong_type
from ._display import num
from .errors import invalid as _invalid
from ._optional import require as _require
from .model import Model
from .plans import Policy
from .uncertainty import Uncertainty

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

RangeSpec = Union[Tuple[float, float], Sequence[float], Mapping[str, Any]]


def _fmt(x: float) -> str:
    return num(x, 3, missing="-")


class OneWay:
    """The result of :func:`one_way`: per parameter its low and high value and every sweep
    indicator at the base, at the low and at the high value.

    ``parameters``
        Rows in input order: ``path``, ``apply`` (``"set"`` or ``"scale"``: then the values are
        factors on the base input), ``low_value``, ``high_value`` and ``how`` (e.g.
        ``"quantiles 0.05, 0.95"`` or ``"range"``).
    ``base``
        Indicator name -> value at the base inputs (no parameter changed).
    ``low`` / ``high``
        Parameters x indicators arrays of the indicator values.
    ``indicator``
        The indicator shown by default (:meth:`to_pandas`, :meth:`plot`, the displays).
    """

    __slots__ = ("parameters", "indicators", "units", "base", "low", "high", "indicator", "policy", "scenario", "days")

    def __init__(
        self,
        parameters: List[Dict[str, Any]],
        indicators: List[Tuple[str, str, str, str]],
        base: np.ndarray,
        low: np.ndarray,
        high: np.ndarray,
        indicator: str,
        policy: str,
        scenario: str,
        days: int,
    ) -> None:
        self.parameters = parameters
        self.indicators = [name for name, *_ in indicators]
        self.units = {name: unit for name, unit, *_ in indicators}
        self.base = {name: float(v) for name, v in zip(self.indicators, base)}
        self.low = low
        self.high = high
        self.indicator = indicator
        self.policy = policy
        self.scenario = scenario
        self.days = days

    def _column(self, indicator: Optional[str]) -> Tuple[str, int]:
        name = self.indicator if indicator is None else indicator
        if name not in self.indicators:
            raise _invalid("indicator", f"must be one of {', '.join(self.indicators)}", name)
        return name, self.indicators.index(name)

    def rows(self, indicator: Optional[str] = None) -> List[Dict[str, Any]]:
        """The rows of :meth:`to_pandas` as dicts, largest swing first (no pandas needed)."""
        name, k = self._column(indicator)
        base = self.base[name]
        rows = []
        for i, p in enumerate(self.parameters):
            lo, hi = float(self.low[i, k]), float(self.high[i, k])
            rows.append(
                {
                    "parameter": p["path"],
                    "apply": p["apply"],
                    "how": p["how"],
                    "low_value": p["low_value"],
                    "high_value": p["high_value"],
                    "indicator": name,
                    "base": base,
                    "low": lo,
                    "high": hi,
                    "swing": abs(hi - lo),
                    "unit": self.units[name],
                }
            )
        rows.sort(key=lambda r: -r["swing"] if np.isfinite(r["swing"]) else 0.0)
        return rows

    def to_pandas(self, indicator: Optional[str] = None) -> "pd.DataFrame":
        """One row per parameter, largest swing first: ``parameter, apply, how, low_value,
        high_value, indicator, base, low, high, swing, unit`` (``low``/``high``: the indicator with
        the parameter at its low/high value; ``swing = |high - low|``)."""
        pd = _require("pandas", "pandas")
        return pd.DataFrame(self.rows(indicator))

    def plot(self, indicator: Optional[str] = None, ax: Optional[Any] = None, top: Optional[int] = None) -> Any:
        """The tornado chart (see :func:`afweging.plot.tornado`); returns the axes."""
        return _plot.tornado(self, indicator=indicator, ax=ax, top=top)

    def __repr__(self) -> str:
        rows = self.rows()
        name = self.indicator
        head = (
            f"OneWay({name}, policy {self.policy!r}, scenario {self.scenario!r}, {self.days} days: "
            f"base {_fmt(self.base[name])} {self.units[name]}"
        )
        lines = [head + ")" if not rows else head + "; largest swings:"]
        for r in rows[:5]:
            lines.append(
                f"  {r['parameter']}: {_fmt(r['low'])} .. {_fmt(r['high'])} "
                f"({r['apply']} {r['low_value']:.4g} .. {r['high_value']:.4g})"
            )
        if len(rows) > 5:
            lines.append(f"  ... {len(rows) - 5} more (.to_pandas())")
        return "\n".join(lines) + ("\n)" if rows else "")

    def _repr_html_(self) -> str:
        name = self.indicator
        unit = html.escape(self.units[name])
        body = "".join(
            f"<tr><td>{html.escape(r['parameter'])}</td><td>{r['apply']}</td>"
            f"<td style='text-align:right'>{r['low_value']:.4g}</td><td style='text-align:right'>{r['high_value']:.4g}</td>"
            f"<td style='text-align:right'>{_fmt(r['low'])}</td><td style='text-align:right'>{_fmt(r['high'])}</td>"
            f"<td style='text-align:right'>{_fmt(r['swing'])}</td></tr>"
            for r in self.rows()
        )
        return (
            f"<b>One-way sensitivity</b> of <i>{html.escape(name)}</i> ({unit}), policy "
            f"<i>{html.escape(self.policy)}</i>, scenario <i>{html.escape(self.scenario)}</i>, {self.days} days; "
            f"base {_fmt(self.base[name])} {unit}"
            "<table><tr><th>parameter</th><th>apply</th><th>low value</th><th>high value</th>"
            f"<th>{html.escape(name)} at low</th><th>at high</th><th>swing</th></tr>{body}</table>"
            "<small>largest swing first; <code>.plot()</code> draws the tornado, "
            "<code>.to_pandas(indicator)</code> gives any other indicator</small>"
        )


def _ranges(ranges: Mapping[str, RangeSpec], applies: Mapping[str, str]) -> List[Dict[str, Any]]:
    out = []
    for path, spec in ranges.items():
        field = f"ranges[{path!r}]"
        if isinstance(spec, Mapping):
            unknown = set(spec) - {"low", "high", "apply"}
            if unknown or "low" not in spec or "high" not in spec:
                raise _invalid(field, 'must be (low, high) or {"low": ..., "high": ..., "apply": "set" | "scale"}', dict(spec))
            low, high, apply = spec["low"], spec["high"], str(spec.get("apply", applies.get(path, "set")))
        else:
            values = list(spec)
            if len(values) != 2:
                raise _invalid(field, "must be (low, high)", spec)
            (low, high), apply = values, applies.get(path, "set")
        if apply not in ("set", "scale"):
            raise _invalid(f"{field}.apply", 'must be "set" or "scale"', apply)
        try:
            low, high = float(low), float(high)
        except (TypeError, ValueError) as err:
            raise _invalid(field, "must be numbers", spec) from err
        if not (np.isfinite(low) and np.isfinite(high)):
            raise _invalid(field, "must be finite numbers", spec)
        out.append({"path": str(path), "apply": apply, "low_value": low, "high_value": high, "how": "range"})
    return out


def one_way(
    model_or_calibration: Union[Model, Calibration],
    policy: Optional[Policy] = None,
    *,
    scenario: Optional[Scenario] = None,
    uncertainty: Optional[Uncertainty] = None,
    parameters: Optional[Sequence[str]] = None,
    ranges: Optional[Mapping[str, RangeSpec]] = None,
    quantiles: Tuple[float, float] = (0.05, 0.95),
    indicator: str = "deaths",
    days: int = 365,
    threads: Optional[int] = None,
) -> OneWay:
    """One-way sensitivity of the sweep indicators to each uncertain parameter.

    Each parameter is set in turn to a low and a high value while everything else stays at the
    base inputs (the calibration and scenario as given), and the run under ``policy`` (None: no
    measures) is repeated; every sweep indicator (``af.sweep`` variables: deaths, admissions,
    ICU peak, days above capacity, stringency, compliance, ...) is kept.

    ``model_or_calibration``
        A :class:`Model` (its scenario is used) or a :class:`Calibration` with ``scenario=``.
    ``uncertainty`` / ``parameters``
        The distributions (default :meth:`Uncertainty.netherlands`, unless only ``ranges`` are
        given) and which of their paths to vary (default all). Low and high are the
        ``quantiles`` (default 5% and 95%) of each distribution, truncation included; for
        parameters that scale, they are factors on the base value.
    ``ranges``
        Explicit values instead or in addition: ``{path: (low, high)}`` (applied as in the
        uncertainty when the path is there, else set) or
        ``{path: {"low": ..., "high": ..., "apply": "scale"}}``.
    ``indicator``
        The indicator :meth:`OneWay.plot` and the displays show by default (all are kept).

    Invalid values (a range outside what the model accepts) raise :class:`ValidationError`
    naming the field. Runs are deterministic; the cost is ``2 x parameters + 1`` runs.
    """
    if isinstance(model_or_calibration, Model):
        calibration = model_or_calibration.calibration
        scenario = model_or_calibration.scenario if scenario is None else scenario
    elif isinstance(model_or_calibration, Calibration):
        calibration = model_or_calibration
        if scenario is None:
            raise _invalid("scenario", "needed when a Calibration is given", None)
    else:
        raise wrong_type("model_or_calibration", "an afweging.Model or Calibration", model_or_calibration)
    if not isinstance(scenario, Scenario):
        raise wrong_type("scenario", "an afweging.Scenario", scenario)
    if policy is not None and not isinstance(policy, Policy):
        raise wrong_type("policy", "an afweging.Policy or None", policy)
    names = [name for name, *_ in _core.Sweep.indicators()]
    if indicator not in names:
        raise _invalid("indicator", f"must be one of {', '.join(names)}", indicator)
    q = [float(x) for x in quantiles]
    if len(q) != 2 or not q[0] < q[1]:
        raise _invalid("quantiles", "must be two probabilities (low, high) with low < high", quantiles)

    if uncertainty is None and ranges is None:
        uncertainty = Uncertainty.netherlands()
    rows: List[Dict[str, Any]] = []
    applies: Dict[str, str] = {}
    if uncertainty is not None:
        if not isinstance(uncertainty, Uncertainty):
            raise wrong_type("uncertainty", "an afweging.Uncertainty", uncertainty)
        all_params = uncertainty.parameters
        applies = {p["path"]: p.get("apply", "set") for p in all_params}
        wanted = list(applies) if parameters is None else [str(p) for p in parameters]
        unknown = [p for p in wanted if p not in applies]
        if unknown:
            raise _invalid("parameters", f"must be paths of the uncertainty ({', '.join(applies)})", unknown)
        values = uncertainty._inner.quantiles(q)
        for i, p in enumerate(all_params):
            if p["path"] in wanted and (ranges is None or p["path"] not in ranges):
                rows.append(
                    {
                        "path": p["path"],
                        "apply": applies[p["path"]],
                        "low_value": float(values[i, 0]),
                        "high_value": float(values[i, 1]),
                        "how": f"quantiles {q[0]:g}, {q[1]:g}",
                    }
                )
    elif parameters is not None:
        raise _invalid("parameters", "selects paths of an uncertainty; pass uncertainty= too (or only ranges=)", list(parameters))
    if ranges is not None:
        rows += _ranges(ranges, applies)
    if isinstance(days, bool) or not isinstance(days, (int, np.integer)):
        raise _invalid("days", "must be a whole number", days)

    policy_name = "none" if policy is None else policy.name
    policies = [(policy_name, None if policy is None else policy._inner)]
    scenarios = [(scenario.name, scenario._inner)]

    def fixed(row: Dict[str, Any], value: float, k: int) -> _core.Uncertainty:
        spec = {
            "name": "one-way",
            "parameters": [{"path": row["path"], "apply": row["apply"], "distribution": {"type": "fixed", "value": value}}],
        }
        try:
            return _core.Uncertainty.from_json(json.dumps(spec))
        except ValidationError as err:  # name the one-way row, not the temporary uncertainty
            raise _invalid(f"one_way.parameters[{k}] ({row['path']})", str(err), value) from None

    # The base and every low and high value, each a one-draw sweep with that parameter alone
    # fixed, run as one batch on the engine's grid. A value the uncertainty rejects is raised after
    # the rows before it ran (their errors first), as when the rows ran one at a time.
    uncertainties = [_core.Uncertainty.none()]
    unbuilt: Optional[ValidationError] = None
    try:
        for k, row in enumerate(rows):
            uncertainties.append(fixed(row, row["low_value"], k))
            uncertainties.append(fixed(row, row["high_value"], k))
    except ValidationError as err:
        unbuilt = err
    out = _core.one_way(calibration._inner, scenarios[0], policies[0], uncertainties, int(days), threads)
    if unbuilt is not None:
        raise unbuilt
    base, low, high = out[0], np.ascontiguousarray(out[1::2]), np.ascontiguousarray(out[2::2])
    return OneWay(rows, _core.Sweep.indicators(), base, low, high, indicator, policy_name, scenario.name, int(days))


__all__ = ["OneWay", "one_way"]
