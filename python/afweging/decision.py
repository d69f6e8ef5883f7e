"""Decision analysis on a table of outcomes: the decision tree over scenarios (expected value,
regret = opportunity cost, minimax regret, expected value of perfect information), opportunity cost
per dimension, probability best and EVPI from parameter draws, acceptability curves, the
cost-effectiveness frontier with ICERs, Pareto dominance, and multi-criteria analysis (weighted sum, TOPSIS, PROMETHEE II) with a stochastic
weight-sensitivity analysis (SMAA rank acceptability).

The arithmetic is in Rust (``afweging._core``); this module only converts labelled inputs
(pandas DataFrames with alternatives as the index, xarray DataArrays, or numpy arrays with names)
and wraps the results with labels, ``to_pandas()``, ``_repr_html_`` and ``.plot()``.

Everything is **cost/loss oriented (lower is better)** unless ``orientation="benefit"`` is given
(MCDA takes a direction per criterion instead). Two figures are tied when they differ by at most
1e-12 of their magnitude (1e-12 absolute near zero; the engine's one rule, see
``docs/decision_analysis.md``), so the same value reached along two float paths is a tie. Ties
are resolved by input order: the first of the tied alternatives is named as "best" and every tied
one is listed in ``*_tied``; MCDA ranks are competition ranks (tied scores share the better rank).

>>> import afweging as af
>>> tree = af.decision.decision_tree(
...     [[10, 40, 120], [20, 35, 70], [50, 55, 60]], [0.2, 0.5, 0.3],
...     alternatives=["open", "mild", "lockdown"], scenarios=["gunstig", "centraal", "ongunstig"])
>>> tree.best, tree.minimax_regret, round(tree.evpi, 6)
('mild', 'mild', 5.0)
"""

from __future__ import annotations

import html
import json
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np
import numpy.typing as npt

from . import _core
from .errors import ValidationError, number, wrong_type
from .errors import invalid as _invalid
from ._display import num
from ._optional import pandas as _pandas
from ._optional import xarray as _xarray

Array = npt.NDArray[np.float64]

#: Methods of :func:`mcda` and :func:`weight_sensitivity`.
METHODS = ("topsis", "weighted_sum", "promethee")
#: Normalisations of the weighted sum.
NORMALISATIONS = ("min_max", "vector", "sum", "max")


# --------------------------------------------------------------------------------------------
# conversion helpers


def _axes(ax: Optional[Any], figsize: Tuple[float, float] = (8, 4)) -> Any:
    if ax is not None:
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError("matplotlib is needed for plots; install it with `pip install afweging[plot]`") from err
    _, ax = plt.subplots(figsize=figsize)
    return ax


def _is_frame(data: object) -> bool:
    return type(data).__name__ == "DataFrame" and hasattr(data, "index") and hasattr(data, "columns")


def _is_dataarray(data: object) -> bool:
    return type(data).__name__ == "DataArray" and hasattr(data, "dims") and hasattr(data, "coords")


def _names(given: Optional[Sequence[Any]], n: int, field: str, prefix: str) -> List[str]:
    if given is None:
        return [f"{prefix}{i}" for i in range(n)]
    names = [str(x) for x in given]
    if len(names) != n:
        raise _invalid(field, f"must have {n} names", len(names))
    return names


def _table(
    data: Any,
    field: str,
    axes: Sequence[Tuple[Optional[Sequence[Any]], str, str]],
) -> Tuple[Array, List[List[str]]]:
    """A float array with one list of labels per axis. ``axes`` gives, per axis, the names the
    caller passed, the argument name (for errors) and the prefix of default labels. Labels come
    from a DataFrame's index and columns or a DataArray's coordinates unless given."""
    labels: List[Optional[List[str]]] = [None] * len(axes)
    if _is_frame(data):
        if len(axes) != 2:
            raise _invalid(field, f"must be {len(axes)}-dimensional; a DataFrame is 2-dimensional", "DataFrame")
        labels = [[str(x) for x in data.index], [str(x) for x in data.columns]]
        values = data.to_numpy(dtype=float)
    elif _is_dataarray(data):
        values = np.asarray(data.values, dtype=float)
        if values.ndim == len(axes):
            labels = [
                [str(x) for x in data.coords[d].values] if d in data.coords else None for d in data.dims
            ]
    else:
        values = _floats(data, field)
    if values.ndim != len(axes):
        shape = " x ".join(a[1] for a in axes)
        raise _invalid(field, f"must be {len(axes)}-dimensional ({shape})", f"shape {values.shape}")
    out: List[List[str]] = []
    for k, (given, name, prefix) in enumerate(axes):
        found = labels[k]
        out.append(_names(given, values.shape[k], name, prefix) if given is not None or found is None else found)
    return np.ascontiguousarray(values, dtype=np.float64), out


def _vector(
    data: Any, labels: Sequence[str], field: str, what: str
) -> Array:
    """One number per label: a sequence in label order, or a mapping / Series keyed by label."""
    if isinstance(data, Mapping) or type(data).__name__ == "Series":
        mapping = dict(data.items())
        keys = {str(k): v for k, v in mapping.items()}
        missing = [lab for lab in labels if lab not in keys]
        extra = [k for k in keys if k not in labels]
        if missing or extra:
            problem = f"missing {missing}" if missing else f"unknown {extra}"
            raise _invalid(field, f"must give one value per {what} ({', '.join(labels)})", problem)
        return np.array([number(keys[lab], f"{field}.{lab}") for lab in labels], dtype=np.float64)
    if isinstance(data, (int, float)) and not isinstance(data, bool):
        return np.full(len(labels), number(data, field))
    return np.ascontiguousarray(_floats(data, field).reshape(-1), dtype=np.float64)


def _floats(data: Any, field: str) -> Array:
    """``data`` as a float array when it holds only numbers (strings and bools are not)."""
    try:
        values = np.asarray(data)
    except (TypeError, ValueError) as err:
        raise _invalid(field, "must be numbers", type(data).__name__) from err
    if values.dtype.kind not in "iuf":
        raise wrong_type(field, "numbers", data)
    return values.astype(np.float64)


def _directions(directions: Any, criteria: Sequence[str]) -> List[str]:
    if isinstance(directions, str):
        return [directions] * len(criteria)
    if isinstance(directions, Mapping) or type(directions).__name__ == "Series":
        keys = {str(k): str(v) for k, v in dict(directions.items()).items()}
        missing = [c for c in criteria if c not in keys]
        if missing:
            raise _invalid("directions", f"must give a direction per criterion ({', '.join(criteria)})", f"missing {missing}")
        return [keys[c] for c in criteria]
    return [str(d) for d in directions]


def _html_table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]], note: str = "") -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = ""
    for row in rows:
        cells = []
        for v in row:
            if isinstance(v, (float, np.floating)):
                cells.append(f"<td style='text-align:right'>{num(float(v), 4)}</td>")
            else:
                cells.append(f"<td>{html.escape(str(v))}</td>")
        body += "<tr>" + "".join(cells) + "</tr>"
    foot = f"<br><small>{html.escape(note)}</small>" if note else ""
    return f"<b>{html.escape(title)}</b><table><tr>{head}</tr>{body}</table>{foot}"


# --------------------------------------------------------------------------------------------
# decision tree and opportunity cost


class OpportunityCost:
    """Opportunity cost of each alternative against the best alternative in each scenario, per
    dimension and in total (from a table alternatives x scenarios x dimensions).

    * ``by_dimension`` (alternatives x scenarios x dimensions): against the best alternative on
      *that dimension*; never negative.
    * ``total`` (alternatives x scenarios): the summed dimensions against the alternative with the
      best total; never negative, zero for the best. Only meaningful when the dimensions share a
      unit (monetised).
    * ``decomposition`` (alternatives x scenarios x dimensions): ``total`` split by dimension
      (own value minus that of the best-total alternative); adds up to ``total``; negative where
      the alternative does better than the best-total one on that dimension.
    """

    __slots__ = (
        "alternatives",
        "scenarios",
        "dimensions",
        "by_dimension",
        "total",
        "decomposition",
        "best_total",
        "best_by_dimension",
    )

    def __init__(
        self, raw: Dict[str, Any], alternatives: List[str], scenarios: List[str], dimensions: List[str]
    ) -> None:
        self.alternatives = alternatives
        self.scenarios = scenarios
        self.dimensions = dimensions
        self.by_dimension: Array = raw["by_dimension"]
        self.total: Array = raw["total"]
        self.decomposition: Array = raw["decomposition"]
        self.best_total: List[str] = [alternatives[i] for i in raw["best_total"]]
        self.best_by_dimension: Dict[Tuple[str, str], str] = {
            (s, d): alternatives[int(raw["best_by_dimension"][i, j])]
            for i, s in enumerate(scenarios)
            for j, d in enumerate(dimensions)
        }

    def to_pandas(self) -> Any:
        """Tidy frame: alternative, scenario, dimension (the dimensions and ``total``),
        ``opportunity_cost`` (against the best on that dimension; for ``total`` against the best
        total), ``contribution_to_total`` (the decomposition of the total's opportunity cost, in
        the values' unit: the contributions of the dimensions add up to the total) and
        ``share_of_total`` (that contribution as a share of the total; NaN where the total is 0,
        1 for the total itself)."""
        pd = _pandas()
        rows = []
        for a, alt in enumerate(self.alternatives):
            for s, sc in enumerate(self.scenarios):
                total = self.total[a, s]
                for d, dim in enumerate(self.dimensions):
                    part = self.decomposition[a, s, d]
                    rows.append((alt, sc, dim, self.by_dimension[a, s, d], part, part / total if total else np.nan))
                rows.append((alt, sc, "total", total, total, 1.0 if total else np.nan))
        columns = ["alternative", "scenario", "dimension", "opportunity_cost", "contribution_to_total", "share_of_total"]
        return pd.DataFrame(rows, columns=columns)

    def _repr_html_(self) -> str:
        rows = [[alt] + list(self.total[a]) for a, alt in enumerate(self.alternatives)]
        return _html_table(
            "Opportunity cost (total, against the best alternative per scenario)",
            ["alternative"] + self.scenarios,
            rows,
            "per dimension: .by_dimension, .decomposition, .to_pandas()",
        )

    def plot(self, scenario: Optional[str] = None, ax: Optional[Any] = None) -> Any:
        """Stacked bars: each alternative's total opportunity cost in ``scenario`` (default the
        first) split by dimension (the decomposition); a black tick marks the total."""
        s = 0 if scenario is None else self._scenario_index(scenario)
        ax = _axes(ax)
        x = np.arange(len(self.alternatives))
        pos = np.zeros(len(x))
        neg = np.zeros(len(x))
        for d, dim in enumerate(self.dimensions):
            v = self.decomposition[:, s, d]
            bottom = np.where(v >= 0, pos, neg)
            ax.bar(x, v, bottom=bottom, label=dim)
            pos += np.where(v >= 0, v, 0)
            neg += np.where(v < 0, v, 0)
        ax.scatter(x, self.total[:, s], marker="_", s=400, color="black", zorder=3, label="total")
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_xticks(x)
        ax.set_xticklabels(self.alternatives, rotation=20, ha="right")
        ax.set_ylabel("opportunity cost")
        ax.set_title(f"opportunity cost by dimension, scenario {self.scenarios[s]}")
        ax.legend(fontsize=8)
        return ax

    def _scenario_index(self, scenario: str) -> int:
        if scenario not in self.scenarios:
            raise _invalid("scenario", f"must be one of {', '.join(self.scenarios)}", scenario)
        return self.scenarios.index(scenario)


class DecisionTree:
    """The decision tree over scenarios: decision node -> alternatives -> chance nodes ->
    scenarios with their probabilities. All figures are in the units of the input.

    ``expected``
        Expected value per alternative, ``E_s[x(a, s)]``.
    ``best`` / ``best_tied``
        The alternative with the best expected value (first in input order) / all tied ones
        (tied: within 1e-12 of the magnitude of the values, so an ulp apart is a tie).
    ``regret``
        Opportunity cost per scenario (alternatives x scenarios): how much worse the alternative
        does than the best alternative in that scenario. Never negative; exactly zero when tied
        with the best.
    ``max_regret`` / ``minimax_regret``
        Largest regret over the scenarios / the alternative that minimises it (Savage).
    ``expected_regret``
        Probability-weighted regret; its minimum is the EVPI.
    ``evpi``
        Expected value of perfect information ``E_s[min_a x] - min_a E_s[x]`` (costs): what
        knowing the scenario before choosing would be worth. Never negative; zero when one
        alternative is best (or tied for best) in every scenario.
    ``opportunity_cost``
        :class:`OpportunityCost` per dimension when the input had a dimension axis, else None.
    """

    __slots__ = (
        "alternatives",
        "scenarios",
        "values",
        "probabilities",
        "orientation",
        "expected",
        "regret",
        "max_regret",
        "expected_regret",
        "best",
        "best_tied",
        "minimax_regret",
        "minimax_regret_tied",
        "best_per_scenario",
        "evpi",
        "expected_with_perfect_information",
        "opportunity_cost",
    )

    def __init__(
        self,
        raw: Dict[str, Any],
        values: Array,
        probabilities: Array,
        alternatives: List[str],
        scenarios: List[str],
        orientation: str,
        opportunity_cost: Optional[OpportunityCost] = None,
    ) -> None:
        self.alternatives = alternatives
        self.scenarios = scenarios
        self.values = values
        self.probabilities = probabilities
        self.orientation = orientation
        self.expected: Array = raw["expected"]
        self.regret: Array = raw["regret"]
        self.max_regret: Array = raw["max_regret"]
        self.expected_regret: Array = raw["expected_regret"]
        self.best: str = alternatives[raw["best"]]
        self.best_tied: List[str] = [alternatives[i] for i in raw["best_tied"]]
        self.minimax_regret: str = alternatives[raw["minimax_regret"]]
        self.minimax_regret_tied: List[str] = [alternatives[i] for i in raw["minimax_regret_tied"]]
        self.best_per_scenario: Dict[str, str] = {
            s: alternatives[i] for s, i in zip(scenarios, raw["best_per_scenario"])
        }
        self.evpi: float = float(raw["evpi"])
        self.expected_with_perfect_information: float = float(raw["expected_with_perfect_information"])
        self.opportunity_cost = opportunity_cost

    def to_pandas(self, table: str = "summary") -> Any:
        """``"summary"``: per alternative expected value, maximum and expected regret, and flags
        for the expected-value and minimax-regret choices. ``"regret"``: the opportunity-cost
        table alternatives x scenarios. ``"values"``: the input table."""
        pd = _pandas()
        if table == "summary":
            return pd.DataFrame(
                {
                    "expected": self.expected,
                    "max_regret": self.max_regret,
                    "expected_regret": self.expected_regret,
                    "best_expected": [a in self.best_tied for a in self.alternatives],
                    "minimax_regret": [a in self.minimax_regret_tied for a in self.alternatives],
                },
                index=pd.Index(self.alternatives, name="alternative"),
            )
        if table in ("regret", "values"):
            data = self.regret if table == "regret" else self.values
            return pd.DataFrame(
                data,
                index=pd.Index(self.alternatives, name="alternative"),
                columns=pd.Index(self.scenarios, name="scenario"),
            )
        raise _invalid("table", "must be one of summary, regret, values", table)

    def __repr__(self) -> str:
        return (
            f"DecisionTree({len(self.alternatives)} alternatives x {len(self.scenarios)} scenarios; "
            f"best {self.best!r}, minimax regret {self.minimax_regret!r}, EVPI {self.evpi:.6g})"
        )

    def _repr_html_(self) -> str:
        header = ["alternative"] + [f"{s} (p={p:g})" for s, p in zip(self.scenarios, self.probabilities)]
        header += ["expected", "max regret"]
        rows = []
        for a, alt in enumerate(self.alternatives):
            mark = " ★" if alt in self.best_tied else ""
            mark += " ⚖" if alt in self.minimax_regret_tied else ""
            rows.append([alt + mark] + list(self.values[a]) + [self.expected[a], self.max_regret[a]])
        lower = "lower" if self.orientation == "cost" else "higher"
        note = (
            f"{lower} is better; ★ best expected value ({self.best}), ⚖ minimax regret "
            f"({self.minimax_regret}); EVPI {num(self.evpi, 4)}; with perfect information "
            f"{num(self.expected_with_perfect_information, 4)}"
        )
        return _html_table("Decision tree over scenarios", header, rows, note)

    def plot(self, ax: Optional[Any] = None) -> Any:
        """Draws the tree: the decision node (square) branches to the alternatives, each a chance
        node (circle) with its expected value that branches to the scenarios with their
        probabilities and outcomes. The branch of the best expected value is highlighted."""
        n_alt, n_sc = len(self.alternatives), len(self.scenarios)
        ax = _axes(ax, (9, max(3.0, 0.32 * n_alt * n_sc + 1)))
        leaves = n_alt * n_sc
        gap = 0.6
        ys: List[List[float]] = []
        y = 0.0
        for _ in range(n_alt):
            ys.append([-(y + k) for k in range(n_sc)])
            y += n_sc + gap
        centres = [float(np.mean(row)) for row in ys]
        root = float(np.mean(centres))
        best = self.alternatives.index(self.best)
        for a, alt in enumerate(self.alternatives):
            color = "tab:green" if a == best else "grey"
            lw = 2.2 if a == best else 1.0
            ax.plot([0, 1], [root, centres[a]], color=color, lw=lw)
            ax.text(
                0.5,
                (root + centres[a]) / 2,
                alt,
                ha="center",
                va="center",
                fontsize=9,
                color=color,
                bbox={"fc": "white", "ec": "none", "pad": 1.0},
            )
            ax.plot([1], [centres[a]], "o", ms=11, color=color, mec="black", zorder=3)
            ax.text(1.0, centres[a] - 0.35, f"E = {num(self.expected[a], 4)}", ha="center", va="top", fontsize=8)
            for s, sc in enumerate(self.scenarios):
                ax.plot([1, 2], [centres[a], ys[a][s]], color=color, lw=lw * 0.7)
                ax.text(1.55, ys[a][s] + 0.05, f"{sc} (p={self.probabilities[s]:g})", fontsize=7, va="bottom")
                ax.plot([2], [ys[a][s]], "<", ms=7, color=color)
                ax.text(2.08, ys[a][s], num(float(self.values[a, s]), 4), va="center", fontsize=8)
        ax.plot([0], [root], "s", ms=14, color="tab:blue", mec="black", zorder=3)
        ax.text(-0.05, root - 0.45, f"best: {self.best}\nE = {num(self.expected[best], 4)}", ha="center", va="top", fontsize=8)
        ax.set_xlim(-0.35, 2.6)
        ax.set_ylim(-(leaves + gap * (n_alt - 1)) + 0.2, 1.0)
        ax.axis("off")
        ax.set_title(f"decision tree (EVPI {num(self.evpi, 4)}, minimax regret: {self.minimax_regret})", fontsize=10)
        return ax


def _orientation(orientation: str) -> str:
    o = str(orientation).lower()
    if o not in ("cost", "benefit"):
        raise _invalid("orientation", 'must be "cost" (lower is better) or "benefit" (higher is better)', orientation)
    return o


def decision_tree(
    values: Any,
    probabilities: Any,
    *,
    alternatives: Optional[Sequence[str]] = None,
    scenarios: Optional[Sequence[str]] = None,
    dimensions: Optional[Sequence[str]] = None,
    orientation: str = "cost",
) -> DecisionTree:
    """The decision tree over scenarios.

    ``values`` is alternatives x scenarios (a DataFrame with alternatives as the index and
    scenarios as the columns, a 2-D DataArray, or an array), or alternatives x scenarios x
    dimensions (a 3-D DataArray or array), in which case the tree is computed on the sum over
    the dimensions and :attr:`DecisionTree.opportunity_cost` gives the opportunity cost per
    dimension. ``probabilities`` is one per scenario (a sequence in order, or a mapping / Series
    keyed by scenario), non-negative and adding up to one within 1e-9. ``orientation`` is
    ``"cost"`` (lower is better, the default) or ``"benefit"``.
    """
    o = _orientation(orientation)
    ndim = values.ndim if hasattr(values, "ndim") else _floats(values, "values").ndim
    axes: List[Tuple[Optional[Sequence[Any]], str, str]] = [
        (alternatives, "alternatives", "alternative "),
        (scenarios, "scenarios", "scenario "),
    ]
    if ndim == 3:
        axes.append((dimensions, "dimensions", "dimension "))
    table, labels = _table(values, "values", axes)
    p = _vector(probabilities, labels[1], "probabilities", "scenario")
    oc = None
    if ndim == 3:
        oc = OpportunityCost(_core.opportunity_cost(table, o), labels[0], labels[1], labels[2])
        table = _core.dimension_totals(table)
    raw = _core.decision_tree(table, p, o)
    return DecisionTree(raw, table, p, labels[0], labels[1], o, oc)


def opportunity_cost(
    values: Any,
    *,
    alternatives: Optional[Sequence[str]] = None,
    scenarios: Optional[Sequence[str]] = None,
    dimensions: Optional[Sequence[str]] = None,
    orientation: str = "cost",
) -> OpportunityCost:
    """Opportunity cost per dimension and in total of ``values`` (alternatives x scenarios x
    dimensions: a 3-D DataArray or array); see :class:`OpportunityCost`."""
    o = _orientation(orientation)
    table, labels = _table(
        values,
        "values",
        [
            (alternatives, "alternatives", "alternative "),
            (scenarios, "scenarios", "scenario "),
            (dimensions, "dimensions", "dimension "),
        ],
    )
    return OpportunityCost(_core.opportunity_cost(table, o), labels[0], labels[1], labels[2])


# --------------------------------------------------------------------------------------------
# from parameter draws


def _draw_batches(values: Any, over: str, dim: str) -> Tuple[Array, Any, List[str], Any]:
    """(batch x alternatives x draws array, DataArray of the other dims or None, labels of
    ``over``, original for coordinates)."""
    if _is_dataarray(values):
        for name, field in ((over, "over"), (dim, "dim")):
            if name not in values.dims:
                raise _invalid(field, f"must be a dimension of the DataArray ({', '.join(map(str, values.dims))})", name)
        rest = [d for d in values.dims if d not in (over, dim)]
        da = values.transpose(*rest, over, dim)
        arr = np.asarray(da.values, dtype=float)
        shape = arr.shape
        batch = int(np.prod(shape[:-2])) if rest else 1
        labels = [str(x) for x in da.coords[over].values] if over in da.coords else [f"{over} {i}" for i in range(shape[-2])]
        template = da.isel({over: 0, dim: 0}, drop=True) if rest else None
        return np.ascontiguousarray(arr.reshape(batch, shape[-2], shape[-1])), template, labels, rest
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 2:
        raise _invalid("values", "must be a DataArray with dims (..., over, dim) or an array alternatives x draws", f"shape {arr.shape}")
    return np.ascontiguousarray(arr[None, :, :]), None, [f"alternative {i}" for i in range(arr.shape[0])], None


def _draws(values: Any, over: str, dim: str, orientation: str) -> Tuple[Dict[str, Any], Any, List[str], Any]:
    arr, template, labels, rest = _draw_batches(values, over, dim)
    return _core.draws_summary(arr, _orientation(orientation)), template, labels, rest


def prob_best(values: Any, over: str = "policy", dim: str = "draw", orientation: str = "cost") -> Any:
    """Probability that each alternative (along ``over``) is the best, as the share of equally
    likely draws (along ``dim``) in which it is best; a tie splits the draw equally. For a
    DataArray every other dimension (e.g. ``scenario``) is kept: the result has dims
    ``(*others, over)``. For an array (alternatives x draws) a 1-D array is returned."""
    raw, template, labels, rest = _draws(values, over, dim, orientation)
    p = raw["prob_best"]
    if not _is_dataarray(values):
        return p[0]
    xr = _xarray()
    if not rest:
        return xr.DataArray(p[0], dims=[over], coords={over: labels}, name="prob_best", attrs={"units": "1", "long_name": f"probability that the {over} is best over {dim}s"})
    shape = tuple(template.shape) + (len(labels),)
    coords = {d: template.coords[d] for d in template.coords}
    coords[over] = labels
    return xr.DataArray(
        p.reshape(shape),
        dims=list(template.dims) + [over],
        coords=coords,
        name="prob_best",
        attrs={"units": "1", "long_name": f"probability that the {over} is best over {dim}s"},
    )


def evpi(values: Any, over: str = "policy", dim: str = "draw", orientation: str = "cost") -> Any:
    """Expected value of perfect (parameter) information from equally likely draws:
    ``mean_draw(min_over x) - min_over(mean_draw x)`` for costs, the same decision-tree core as
    :func:`decision_tree` with the draws as scenarios. For a DataArray the other dimensions are
    kept (a 0-d DataArray when there are none); for an array (alternatives x draws) a float."""
    raw, template, _labels, rest = _draws(values, over, dim, orientation)
    e = raw["evpi"]
    if not _is_dataarray(values):
        return float(e[0])
    xr = _xarray()
    attrs = {"long_name": f"expected value of perfect information over {dim}s, choosing the {over}"}
    if "units" in values.attrs:
        attrs["units"] = values.attrs["units"]
    if not rest:
        return xr.DataArray(float(e[0]), name="evpi", attrs=attrs)
    return xr.DataArray(e.reshape(template.shape), dims=template.dims, coords=template.coords, name="evpi", attrs=attrs)


class Acceptability:
    """Cost-effectiveness acceptability over willingness-to-pay values (dampack's CEAC):
    ``probability_best`` (wtp x alternatives), ``expected_nmb``, ``frontier`` (the alternative
    with the highest expected net monetary benefit per wtp) and ``evpi`` per wtp."""

    __slots__ = ("wtp", "alternatives", "probability_best", "expected_nmb", "frontier", "evpi")

    def __init__(self, raw: Dict[str, Any], wtp: Array, alternatives: List[str]) -> None:
        self.wtp = wtp
        self.alternatives = alternatives
        self.probability_best: Array = raw["probability_best"]
        self.expected_nmb: Array = raw["expected_nmb"]
        self.frontier: List[str] = [alternatives[i] for i in raw["frontier"]]
        self.evpi: Array = raw["evpi"]

    def to_pandas(self) -> Any:
        """Tidy frame: wtp, alternative, probability_best, expected_nmb, on_frontier."""
        pd = _pandas()
        rows = [
            (w, alt, self.probability_best[k, a], self.expected_nmb[k, a], self.frontier[k] == alt)
            for k, w in enumerate(self.wtp)
            for a, alt in enumerate(self.alternatives)
        ]
        return pd.DataFrame(rows, columns=["wtp", "alternative", "probability_best", "expected_nmb", "on_frontier"])

    def _repr_html_(self) -> str:
        rows = [[float(w)] + list(self.probability_best[k]) + [self.frontier[k], float(self.evpi[k])] for k, w in enumerate(self.wtp)]
        return _html_table("Acceptability (probability best by willingness to pay)", ["wtp"] + self.alternatives + ["frontier", "EVPI"], rows)

    def plot(self, ax: Optional[Any] = None) -> Any:
        """Acceptability curves; the frontier (highest expected NMB) drawn with markers."""
        ax = _axes(ax)
        for a, alt in enumerate(self.alternatives):
            line = ax.plot(self.wtp, self.probability_best[:, a], label=alt)[0]
            on = np.array([f == alt for f in self.frontier])
            ax.plot(self.wtp[on], self.probability_best[on, a], "o", ms=4, color=line.get_color())
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("willingness to pay per unit of effect")
        ax.set_ylabel("probability best (highest NMB)")
        ax.set_title("cost-effectiveness acceptability (dots: frontier)")
        ax.legend(fontsize=8)
        return ax


def acceptability(costs: Any, effects: Any, wtp: Any, over: str = "policy", dim: str = "draw") -> Acceptability:
    """Net monetary benefit ``wtp * effect - cost`` over draws, for each willingness-to-pay
    value: probability best, expected NMB, the frontier and EVPI. ``costs`` and ``effects`` are
    2-D DataArrays with dims (``over``, ``dim``) or arrays alternatives x draws."""
    arrays = []
    labels: List[str] = []
    for data, field in ((costs, "costs"), (effects, "effects")):
        if _is_dataarray(data):
            data = data.transpose(over, dim)
            labels = [str(x) for x in data.coords[over].values] if over in data.coords else labels
        arrays.append(np.ascontiguousarray(np.asarray(data, dtype=float)))
        if arrays[-1].ndim != 2:
            raise _invalid(field, "must be 2-dimensional (alternatives x draws)", f"shape {arrays[-1].shape}")
    w = np.ascontiguousarray(np.asarray(wtp, dtype=float).reshape(-1))
    raw = _core.acceptability(arrays[0], arrays[1], w)
    if not labels:
        labels = [f"alternative {i}" for i in range(arrays[0].shape[0])]
    return Acceptability(raw, w, labels)


def _series(data: Any, field: str) -> Tuple[Array, Optional[List[str]]]:
    labels = [str(x) for x in data.index] if type(data).__name__ == "Series" else None
    if isinstance(data, Mapping):
        labels = [str(k) for k in data]
        data = list(data.values())
    values = np.ascontiguousarray(np.asarray(data, dtype=float), dtype=np.float64)
    if values.ndim != 1:
        raise _invalid(field, "must be 1-dimensional (one value per alternative)", f"shape {values.shape}")
    return values, labels


class CostEffectiveness:
    """The cost-effectiveness frontier with incremental cost-effectiveness ratios, as dampack's
    ``calculate_icers``: ``status`` per alternative (``frontier``, ``dominated`` = another costs
    no more and gives at least as much effect, ``extendedly dominated`` = its ICER exceeds the
    next more effective alternative's), ``frontier`` (cheapest first), and for frontier
    alternatives after the first ``incremental_cost``, ``incremental_effect`` and ``icer`` against
    the previous one (NaN elsewhere). Exact duplicates share the first one's figures."""

    __slots__ = ("alternatives", "costs", "effects", "status", "frontier", "incremental_cost", "incremental_effect", "icer", "dominated_by")

    def __init__(self, raw: Dict[str, Any], costs: Array, effects: Array, alternatives: List[str]) -> None:
        self.alternatives = alternatives
        self.costs = costs
        self.effects = effects
        self.status: List[str] = list(raw["status"])
        self.frontier: List[str] = [alternatives[i] for i in raw["frontier"]]
        self.incremental_cost: Array = raw["incremental_cost"]
        self.incremental_effect: Array = raw["incremental_effect"]
        self.icer: Array = raw["icer"]
        self.dominated_by: Dict[str, Optional[str]] = {
            a: (alternatives[d] if d is not None else None) for a, d in zip(alternatives, raw["dominated_by"])
        }

    def to_pandas(self) -> Any:
        """dampack's table: cost, effect, incremental cost and effect, ICER and status, sorted
        by cost (then effect)."""
        pd = _pandas()
        frame = pd.DataFrame(
            {
                "cost": self.costs,
                "effect": self.effects,
                "incremental_cost": self.incremental_cost,
                "incremental_effect": self.incremental_effect,
                "icer": self.icer,
                "status": self.status,
            },
            index=pd.Index(self.alternatives, name="alternative"),
        )
        return frame.sort_values(["cost", "effect"], kind="stable")

    def __repr__(self) -> str:
        return f"CostEffectiveness(frontier {self.frontier})"

    def _repr_html_(self) -> str:
        order = sorted(range(len(self.alternatives)), key=lambda i: (self.costs[i], self.effects[i], i))
        rows = [
            [self.alternatives[i], float(self.costs[i]), float(self.effects[i]), float(self.incremental_cost[i]),
             float(self.incremental_effect[i]), float(self.icer[i]), self.status[i]]
            for i in order
        ]
        return _html_table("Cost-effectiveness frontier", ["alternative", "cost", "effect", "Δ cost", "Δ effect", "ICER", "status"], rows)

    def plot(self, ax: Optional[Any] = None) -> Any:
        """The cost-effectiveness plane (effect on x, cost on y) with the frontier drawn."""
        ax = _axes(ax, (7, 5))
        idx = [self.alternatives.index(a) for a in self.frontier]
        ax.plot(self.effects[idx], self.costs[idx], "-", color="tab:green", lw=1.5, label="frontier")
        for status, style in (("frontier", ("D", "tab:green")), ("extendedly dominated", ("s", "tab:orange")), ("dominated", ("o", "grey"))):
            sel = np.array([s == status for s in self.status])
            if sel.any():
                ax.scatter(self.effects[sel], self.costs[sel], marker=style[0], color=style[1], label=status, zorder=3)
        for i, a in enumerate(self.alternatives):
            ax.annotate(a, (self.effects[i], self.costs[i]), fontsize=8, xytext=(4, 4), textcoords="offset points")
        ax.set_xlabel("effect")
        ax.set_ylabel("cost")
        ax.set_title("cost-effectiveness plane")
        ax.legend(fontsize=8)
        return ax


def icers(costs: Any, effects: Any, *, alternatives: Optional[Sequence[str]] = None) -> CostEffectiveness:
    """The cost-effectiveness frontier and ICERs of alternatives with ``costs`` (lower is
    better) and ``effects`` (higher is better, e.g. QALYs gained or deaths averted): sequences,
    mappings or Series keyed by alternative. See :class:`CostEffectiveness`."""
    c, labels = _series(costs, "costs")
    e, labels_e = _series(effects, "effects")
    if labels is not None and labels_e is not None and labels_e != labels:
        if sorted(labels_e) != sorted(labels):
            raise _invalid("effects", f"must have the alternatives of costs ({', '.join(labels)})", labels_e)
        e = e[[labels_e.index(a) for a in labels]]
    found = labels if labels is not None else labels_e
    if alternatives is None and found is not None:
        names = found
    else:
        names = _names(alternatives, len(c), "alternatives", "alternative ")
    return CostEffectiveness(_core.icers(c, e), c, e, names)


# --------------------------------------------------------------------------------------------
# Pareto and MCDA


def _matrix(matrix: Any, alternatives: Optional[Sequence[str]], criteria: Optional[Sequence[str]]) -> Tuple[Array, List[str], List[str]]:
    table, labels = _table(matrix, "matrix", [(alternatives, "alternatives", "alternative "), (criteria, "criteria", "criterion ")])
    return table, labels[0], labels[1]


class Pareto:
    """Pareto dominance: ``efficient`` (bool per alternative), ``frontier`` (the efficient
    alternatives' names) and ``dominated_by`` (who dominates whom). ``a`` dominates ``b`` when
    it is at least as good on every criterion and strictly better on one; identical
    alternatives do not dominate each other."""

    __slots__ = ("alternatives", "criteria", "matrix", "directions", "efficient", "dominated_by")

    def __init__(self, raw: Dict[str, Any], matrix: Array, alternatives: List[str], criteria: List[str], directions: List[str]) -> None:
        self.alternatives = alternatives
        self.criteria = criteria
        self.matrix = matrix
        self.directions = directions
        self.efficient: npt.NDArray[np.bool_] = np.array(raw["efficient"], dtype=bool)
        self.dominated_by: Dict[str, List[str]] = {
            alt: [alternatives[i] for i in by] for alt, by in zip(alternatives, raw["dominated_by"])
        }

    @property
    def frontier(self) -> List[str]:
        return [a for a, e in zip(self.alternatives, self.efficient) if e]

    def to_pandas(self) -> Any:
        pd = _pandas()
        return pd.DataFrame(
            {"efficient": self.efficient, "dominated_by": [", ".join(self.dominated_by[a]) for a in self.alternatives]},
            index=pd.Index(self.alternatives, name="alternative"),
        )

    def __repr__(self) -> str:
        return f"Pareto(frontier {self.frontier})"

    def _repr_html_(self) -> str:
        rows = [[a, "yes" if e else "no", ", ".join(self.dominated_by[a])] for a, e in zip(self.alternatives, self.efficient)]
        return _html_table("Pareto dominance", ["alternative", "efficient", "dominated by"], rows)

    def plot(self, x: Optional[str] = None, y: Optional[str] = None, ax: Optional[Any] = None) -> Any:
        """Scatter of two criteria (default the first two) with the efficient alternatives
        highlighted (efficiency is over all criteria, not just the two shown)."""
        ax = _axes(ax, (6, 5))
        if len(self.criteria) < 2 and (x is None or y is None):
            raise _invalid("criteria", "a Pareto plot needs two criteria", len(self.criteria))
        cx = self.criteria.index(x) if x is not None else 0
        cy = self.criteria.index(y) if y is not None else 1
        for ok, style in ((False, dict(color="grey", marker="o")), (True, dict(color="tab:green", marker="D"))):
            sel = self.efficient == ok
            ax.scatter(self.matrix[sel, cx], self.matrix[sel, cy], label="efficient" if ok else "dominated", **style)
        for a, alt in enumerate(self.alternatives):
            ax.annotate(alt, (self.matrix[a, cx], self.matrix[a, cy]), fontsize=8, xytext=(4, 4), textcoords="offset points")
        ax.set_xlabel(f"{self.criteria[cx]} ({self.directions[cx]})")
        ax.set_ylabel(f"{self.criteria[cy]} ({self.directions[cy]})")
        ax.set_title("Pareto dominance")
        ax.legend(fontsize=8)
        return ax


def pareto(
    matrix: Any,
    directions: Any = "cost",
    *,
    alternatives: Optional[Sequence[str]] = None,
    criteria: Optional[Sequence[str]] = None,
) -> Pareto:
    """The alternatives that no other beats on every criterion. ``matrix`` is alternatives x
    criteria (a DataFrame with alternatives as the index, a 2-D DataArray, or an array);
    ``directions`` is ``"cost"``/``"benefit"`` per criterion (a sequence, a mapping by criterion,
    or one string for all)."""
    m, alts, crits = _matrix(matrix, alternatives, criteria)
    dirs = _directions(directions, crits)
    return Pareto(_core.pareto(m, dirs), m, alts, crits, dirs)


def _preference(p: Any) -> Dict[str, Any]:
    return {"type": p} if isinstance(p, str) else dict(p)


def _method_json(method: str, normalisation: str, preference: Any, criteria: Sequence[str]) -> str:
    if method not in METHODS:
        raise _invalid("method", f"must be one of {', '.join(METHODS)}", method)
    spec: Dict[str, Any] = {"method": method}
    if method == "weighted_sum":
        if normalisation not in NORMALISATIONS:
            raise _invalid("normalisation", f"must be one of {', '.join(NORMALISATIONS)}", normalisation)
        spec["normalisation"] = normalisation
    if method == "promethee" and preference is not None:
        if isinstance(preference, Mapping) and "type" not in preference:
            missing = [c for c in criteria if c not in preference]
            if missing:
                raise _invalid("preference", "must give a preference function per criterion", f"missing {missing}")
            spec["preference"] = [_preference(preference[c]) for c in criteria]
        elif isinstance(preference, Mapping):
            spec["preference"] = [dict(preference)]
        elif isinstance(preference, str):
            spec["preference"] = [{"type": preference}]
        else:
            spec["preference"] = [_preference(p) for p in preference]
    return json.dumps(spec)


class MCDA:
    """Scores and ranks of a multi-criteria analysis. ``scores`` are higher-is-better (weighted
    sum on normalised criteria; TOPSIS closeness in [0, 1]; PROMETHEE II net flow in [-1, 1]);
    ``ranks`` are competition ranks (1 = best, ties share a rank). ``weights`` are the weights
    used (divided by their sum); ``normalised`` the normalised matrix (PROMETHEE: unicriterion net
    flows); ``details`` holds TOPSIS distances or PROMETHEE positive/negative flows."""

    __slots__ = ("alternatives", "criteria", "method", "scores", "ranks", "weights", "normalised", "details")

    def __init__(self, raw: Dict[str, Any], alternatives: List[str], criteria: List[str], method: str) -> None:
        self.alternatives = alternatives
        self.criteria = criteria
        self.method = method
        self.scores: Array = raw["scores"]
        self.ranks: npt.NDArray[np.int64] = raw["ranks"]
        self.weights: Array = raw["weights"]
        self.normalised: Array = raw["normalised"]
        self.details: Dict[str, Array] = {
            k: raw[k] for k in ("ideal_distance", "anti_ideal_distance", "positive_flow", "negative_flow") if k in raw
        }

    @property
    def best(self) -> List[str]:
        """The alternatives ranked first (more than one when tied)."""
        return [a for a, r in zip(self.alternatives, self.ranks) if r == 1]

    def to_pandas(self) -> Any:
        """Frame indexed by alternative: score, rank and the method's details, sorted by rank."""
        pd = _pandas()
        data: Dict[str, Any] = {"score": self.scores, "rank": self.ranks}
        data.update(self.details)
        return pd.DataFrame(data, index=pd.Index(self.alternatives, name="alternative")).sort_values("rank", kind="stable")

    def __repr__(self) -> str:
        order = sorted(range(len(self.alternatives)), key=lambda a: (self.ranks[a], a))
        return f"MCDA({self.method}: " + " > ".join(self.alternatives[a] for a in order) + ")"

    def _repr_html_(self) -> str:
        order = sorted(range(len(self.alternatives)), key=lambda a: (self.ranks[a], a))
        keys = list(self.details)
        rows = [[int(self.ranks[a]), self.alternatives[a], float(self.scores[a])] + [float(self.details[k][a]) for k in keys] for a in order]
        weights = ", ".join(f"{c} {w:.3g}" for c, w in zip(self.criteria, self.weights))
        return _html_table(f"MCDA ({self.method})", ["rank", "alternative", "score"] + [k.replace("_", " ") for k in keys], rows, f"weights: {weights}")

    def plot(self, ax: Optional[Any] = None) -> Any:
        """Horizontal bars of the scores, best on top."""
        ax = _axes(ax, (7, max(2.5, 0.4 * len(self.alternatives) + 1)))
        order = sorted(range(len(self.alternatives)), key=lambda a: (self.ranks[a], a))[::-1]
        colors = ["tab:green" if self.ranks[a] == 1 else "tab:blue" for a in order]
        ax.barh([self.alternatives[a] for a in order], [self.scores[a] for a in order], color=colors)
        ax.axvline(0, color="grey", lw=0.8)
        label = {"topsis": "closeness to the ideal", "promethee": "net outranking flow", "weighted_sum": "weighted sum"}[self.method]
        ax.set_xlabel(label)
        ax.set_title(f"MCDA ({self.method})")
        return ax


def mcda(
    matrix: Any,
    weights: Any,
    directions: Any = "cost",
    method: str = "topsis",
    *,
    normalisation: str = "min_max",
    preference: Any = None,
    alternatives: Optional[Sequence[str]] = None,
    criteria: Optional[Sequence[str]] = None,
) -> MCDA:
    """Multi-criteria analysis of ``matrix`` (alternatives x criteria: a DataFrame with the
    alternatives as the index, a DataArray, or an array with ``alternatives`` / ``criteria``).

    ``weights``: one per criterion (sequence or mapping by criterion), non-negative, divided by
    their sum. ``directions``: ``"cost"`` or ``"benefit"`` per criterion (or one for all).
    ``method``: ``"topsis"`` (vector normalisation; Hwang & Yoon 1981), ``"weighted_sum"``
    (``normalisation`` ``"min_max"`` (default), ``"vector"``, ``"sum"`` or ``"max"``), or
    ``"promethee"`` (PROMETHEE II; Brans & Vincke 1985) with ``preference`` one function for all
    criteria or one per criterion (list or mapping), each ``"usual"`` or a dict such as
    ``{"type": "linear", "q": 1, "p": 5}`` (types usual, u_shape (q), v_shape (p), level (q, p),
    linear (q, p), gaussian (s); thresholds in the criterion's units)."""
    m, alts, crits = _matrix(matrix, alternatives, criteria)
    w = _vector(weights, crits, "weights", "criterion")
    dirs = _directions(directions, crits)
    spec = _method_json(method, normalisation, preference, crits)
    return MCDA(_core.mcda(m, w, dirs, spec), alts, crits, method)


class RankAcceptability:
    """SMAA rank acceptability: ``acceptability[a, r]`` is the share of weight samples (uniform
    on the simplex) in which alternative ``a`` gets rank ``r + 1`` (competition ranks: a tie for a
    rank counts as that rank for each tied alternative); each row adds up to one.
    ``central_weights`` (alternatives x criteria) is the mean weight vector of the samples that
    rank the alternative first (NaN if it never does)."""

    __slots__ = ("alternatives", "criteria", "method", "acceptability", "central_weights", "samples", "seed")

    def __init__(self, raw: Dict[str, Any], alternatives: List[str], criteria: List[str], method: str) -> None:
        self.alternatives = alternatives
        self.criteria = criteria
        self.method = method
        self.acceptability: Array = raw["acceptability"]
        self.central_weights: Array = raw["central_weights"]
        self.samples: int = int(raw["samples"])
        self.seed: int = int(raw["seed"])

    def to_pandas(self) -> Any:
        """Frame alternatives x ranks (``rank 1`` ...) of rank acceptability indices."""
        pd = _pandas()
        return pd.DataFrame(
            self.acceptability,
            index=pd.Index(self.alternatives, name="alternative"),
            columns=[f"rank {r + 1}" for r in range(len(self.alternatives))],
        )

    def central_weights_frame(self) -> Any:
        """Frame alternatives x criteria of central weight vectors."""
        pd = _pandas()
        return pd.DataFrame(self.central_weights, index=pd.Index(self.alternatives, name="alternative"), columns=self.criteria)

    def __repr__(self) -> str:
        first = ", ".join(f"{a} {p:.2f}" for a, p in zip(self.alternatives, self.acceptability[:, 0]))
        return f"RankAcceptability({self.method}, n={self.samples}, seed={self.seed}; rank 1: {first})"

    def _repr_html_(self) -> str:
        rows = [[alt] + list(self.acceptability[a]) for a, alt in enumerate(self.alternatives)]
        return _html_table(
            f"Rank acceptability ({self.method}, {self.samples} weight samples, seed {self.seed})",
            ["alternative"] + [f"rank {r + 1}" for r in range(len(self.alternatives))],
            rows,
        )

    def plot(self, ax: Optional[Any] = None) -> Any:
        """Stacked bars per alternative: the share of weight samples giving each rank."""
        ax = _axes(ax, (8, max(2.5, 0.45 * len(self.alternatives) + 1)))
        n = len(self.alternatives)
        left = np.zeros(n)
        try:
            import matplotlib

            cmap = matplotlib.colormaps["RdYlGn_r"]
        except (ImportError, KeyError, AttributeError):  # pragma: no cover
            cmap = None
        for r in range(n):
            color = cmap(r / max(n - 1, 1)) if cmap is not None else None
            ax.barh(self.alternatives, self.acceptability[:, r], left=left, color=color, label=f"rank {r + 1}")
            left += self.acceptability[:, r]
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xlabel("share of weight samples")
        ax.set_title(f"rank acceptability ({self.method}, n={self.samples})")
        ax.legend(fontsize=7, ncol=min(n, 6), loc="upper center", bbox_to_anchor=(0.5, -0.18))
        return ax


def weight_sensitivity(
    matrix: Any,
    directions: Any = "cost",
    n: int = 10_000,
    seed: int = 1,
    method: str = "topsis",
    *,
    normalisation: str = "min_max",
    preference: Any = None,
    alternatives: Optional[Sequence[str]] = None,
    criteria: Optional[Sequence[str]] = None,
) -> RankAcceptability:
    """Stochastic weight sensitivity (SMAA-2, Lahdelma & Salminen 2001): ``n`` weight vectors
    uniform on the simplex (Dirichlet(1, ..., 1)) from a seeded ChaCha8 generator, each ranked
    with ``method`` (as in :func:`mcda`). Same seed, same result, bit for bit."""
    m, alts, crits = _matrix(matrix, alternatives, criteria)
    dirs = _directions(directions, crits)
    spec = _method_json(method, normalisation, preference, crits)
    return RankAcceptability(_core.rank_acceptability(m, dirs, spec, int(n), int(seed)), alts, crits, method)


__all__ = [
    "Acceptability",
    "CostEffectiveness",
    "DecisionTree",
    "MCDA",
    "OpportunityCost",
    "Pareto",
    "RankAcceptability",
    "acceptability",
    "decision_tree",
    "evpi",
    "icers",
    "mcda",
    "opportunity_cost",
    "pareto",
    "prob_best",
    "weight_sensitivity",
]
