"""Parameter uncertainty for probabilistic sensitivity analysis: named distributions on fields of
the calibration and the scenario, drawn reproducibly from a seed (the engine does the drawing)."""

from __future__ import annotations

import html
import json
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from . import _core
from ._inputs import Calibration, JsonSource, Scenario, _json_text


class Uncertainty:
    """Distributions of uncertain parameters, each on a field of the calibration or the scenario.

    Each parameter has a ``path`` (``"scenario.variant.r0"``,
    ``"calibration.severity.p_hospital_given_infection[8]"``), a ``distribution``
    (``normal`` mean/sd, ``lognormal`` mu/sigma of the log, ``beta`` alpha/beta, ``gamma``
    shape/scale, ``uniform`` low/high, ``triangular`` low/mode/high, ``fixed`` value), and
    ``"apply"``: ``"set"`` (the field becomes the draw; default) or ``"scale"`` (the draw is a
    factor on the number, or on every number of a vector such as an age profile). An optional
    ``"truncate": {"low": ..., "high": ...}`` keeps draws within bounds.

    Draw ``d`` of a parameter depends only on the seed, the parameter's path and ``d``, so sweeps
    give the same numbers on any number of threads or Dask workers, and every policy and
    scenario of a sweep meets the same draws (common random numbers).

    >>> unc = Uncertainty.netherlands()
    >>> unc.sample(draws=3, seed=7).shape == (3, len(unc.paths))
    True
    """

    __slots__ = ("_inner",)

    def __init__(self, inner: _core.Uncertainty) -> None:
        self._inner = inner

    @classmethod
    def netherlands(cls) -> "Uncertainty":
        """The Dutch defaults (``data/netherlands/uncertainty.json``): variant properties as
        factors on each scenario's own value, vaccine and immunity, seasonality and behaviour, each
        with its source or marked as an assumption."""
        return cls(_core.Uncertainty.netherlands())

    @classmethod
    def none(cls) -> "Uncertainty":
        """No uncertain parameter: every draw equals the base inputs."""
        return cls(_core.Uncertainty.none())

    @classmethod
    def from_json(cls, source: JsonSource) -> "Uncertainty":
        """From a path, a JSON string or a dict ``{"parameters": [...], "sources": {...}}``;
        raises :class:`ValidationError` naming bad fields (unknown distribution, negative sd,
        malformed path)."""
        return cls(_core.Uncertainty.from_json(_json_text(source, "uncertainty")))

    def to_json(self) -> str:
        return self._inner.to_json()

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(self._inner.to_json())  # type: ignore[no-any-return]

    @property
    def paths(self) -> List[str]:
        """The parameter paths, in order (the ``parameter`` axis of a sweep)."""
        return self._inner.paths

    @property
    def parameters(self) -> List[Dict[str, Any]]:
        return list(self.to_dict()["parameters"])

    @property
    def sources(self) -> Dict[str, Dict[str, Any]]:
        """Provenance of each distribution, keyed by parameter path."""
        return dict(self.to_dict()["sources"])

    def sample(self, draws: int, seed: int = 0, start: int = 0) -> np.ndarray:
        """``draws x parameters``: the values of draws ``start .. start + draws`` (for
        ``"scale"`` parameters the factor), exactly as a sweep with this seed uses them."""
        return self._inner.sample(draws, seed, start)

    def quantiles(self, probabilities: Sequence[float] = (0.05, 0.5, 0.95)) -> np.ndarray:
        """``parameters x probabilities``: the quantiles of each distribution (the factor for
        ``"scale"`` parameters), truncation included, computed exactly by the engine (closed
        forms, or bisection on the incomplete beta and gamma functions). Each probability must lie
        strictly between 0 and 1. :func:`afweging.one_way` uses them as low and high values."""
        return self._inner.quantiles([float(p) for p in probabilities])

    def check(self, calibration: Calibration, scenario: Scenario) -> None:
        """Raises :class:`ValidationError` unless every path exists in these inputs and every
        value a distribution can reach (beyond 5 sd for unbounded tails) gives valid inputs."""
        self._inner.check(calibration._inner, scenario._inner)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Uncertainty) and self.to_dict() == other.to_dict()

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Uncertainty.from_json, (self.to_json(),))

    def __repr__(self) -> str:
        return f"Uncertainty({self.to_dict()['name']!r}, {len(self.paths)} parameters)"

    def _repr_html_(self) -> str:
        d = self.to_dict()
        rows = ""
        ranges = self.quantiles((0.05, 0.5, 0.95)) if d["parameters"] else np.zeros((0, 3))
        for p, (q05, q50, q95) in zip(d["parameters"], ranges):
            dist = dict(p["distribution"])
            kind = dist.pop("type")
            args = ", ".join(f"{k} {v:g}" for k, v in dist.items())
            trunc = p.get("truncate")
            if trunc:
                args += f"; truncated to [{trunc.get('low', '-inf')}, {trunc.get('high', 'inf')}]"
            src: Optional[Dict[str, Any]] = d["sources"].get(p["path"])
            source = html.escape(src["source"]) if src else ""
            flag = "yes" if src and src.get("assumption") else ""
            rows += (
                f"<tr><td>{html.escape(p['path'])}</td><td>{p.get('apply', 'set')}</td>"
                f"<td>{kind}({args})</td><td style='text-align:right'>{q50:.3g}</td>"
                f"<td style='text-align:right'>{q05:.3g} &ndash; {q95:.3g}</td><td>{source}</td><td>{flag}</td></tr>"
            )
        return (
            f"<b>Uncertainty {html.escape(d['name'])}</b> &mdash; {len(d['parameters'])} parameters"
            "<table><tr><th>path</th><th>apply</th><th>distribution</th><th>median</th><th>90% range</th><th>source</th>"
            f"<th>assumption</th></tr>{rows}</table>"
        )


__all__ = ["Uncertainty"]
