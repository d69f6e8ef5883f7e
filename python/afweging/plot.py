"""Plots (matplotlib, an optional extra: ``pip install afweging[plot]``).

Every function draws one figure element, has an ``ax`` argument to draw into (so a report or a
notebook can lay figures out itself) and returns what it drew on: the ``Axes`` for one-panel
plots, the ``Figure`` for small multiples (:func:`dimensions`, :func:`overview`). Nothing is
shown or saved here; ``ax.figure.savefig(...)`` is the caller's.

One run
    :func:`care` (care load against capacity, policy levels in force shaded), :func:`rungs`
    (rung per sector per day), :func:`behaviour` (compliance and support, perceived risk,
    voluntary distancing), :func:`overview` (the three stacked). ``run.plot(kind)`` calls these.
Alternatives
    :func:`dimensions` (the four dimensions side by side, one bar chart per indicator) and
    :func:`radar` (the same, normalised between the best and the worst alternative).
Decisions and uncertainty
    :func:`opportunity_cost` (bars from a decision tree or an opportunity-cost result),
    :func:`decision_tree` (the tree drawn), :func:`tornado` (one-way sensitivity),
    :func:`bands` (quantile bands over the draws of a trajectory-mode sweep), :func:`prob_best`
    (probability that each policy is best against a willingness to pay or weight).

This module sits below the objects it draws: it reads a run, a one-way result or a frame by its
attributes and imports none of the modules that make them (``afweging.run``,
``afweging.sensitivity``), so that those call it and not the other way round.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from . import decision as _decision
from ._optional import pyplot as _plt
from ._optional import require as _require
from .impacts import Impacts
from .errors import wrong_type

#: Kinds of :meth:`afweging.Run.plot`.
KINDS = ("care", "rungs", "behaviour", "overview")

#: The reference framework's dimensions, in order, with their titles.
DIMENSION_TITLES: Dict[str, str] = {
    "virus_spread": "virus spread",
    "societal": "societal",
    "socio_economic": "socio-economic",
    "behavioural": "behavioural",
    "policy": "measures",
}

#: Indicators :func:`dimensions` and :func:`radar` show by default, when the data has them (run
#: impacts and sweep variables use partly different names).
HEADLINES: List[str] = [
    "deaths",
    "peak_icu_occupancy",
    "school_years_lost",
    "mental_health_qalys_lost",
    "value_added_lost",
    "unemployment",
    "support",
    "days_support_below_half",
    # sweep variables
    "mean_stringency",
    "days_with_measures",
    "mean_support",
]

#: Indicators where higher is better (everything else is a cost or loss).
BENEFITS = frozenset({"compliance", "support", "mean_compliance", "mean_support"})

_DIM_COLOURS = {
    "virus_spread": "tab:red",
    "societal": "tab:purple",
    "socio_economic": "tab:blue",
    "behavioural": "tab:green",
    "policy": "tab:grey",
}


def _axes(ax: Optional[Any], figsize: Tuple[float, float] = (9, 3.5)) -> Any:
    if ax is not None:
        return ax
    _, ax = _plt().subplots(figsize=figsize, layout="constrained")
    return ax


def _panels(n: int, ax: Any, ncols: int, panel: Tuple[float, float], sharex: bool = False) -> Tuple[Any, List[Any]]:
    """``n`` axes: new ones in a grid, the given sequence, or a given Axes split into a grid
    (its place in the figure is reused)."""
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    if ax is None:
        fig, grid = _plt().subplots(
            nrows, ncols, figsize=(panel[0] * ncols, panel[1] * nrows), squeeze=False, sharex=sharex, layout="constrained"
        )
        axes = list(grid.ravel())
    elif isinstance(ax, (list, tuple, np.ndarray)):
        axes = list(np.asarray(ax, dtype=object).ravel())
        if len(axes) < n:
            raise ValueError(f"ax: needs {n} axes, got {len(axes)}")
        fig = axes[0].figure
    else:
        fig = ax.figure
        spec = ax.get_subplotspec()
        if spec is None:
            raise ValueError("ax: a single Axes to split must come from a grid (plt.subplots, fig.add_subplot)")
        ax.remove()
        sub = spec.subgridspec(nrows, ncols)
        axes = [fig.add_subplot(sub[i // ncols, i % ncols]) for i in range(nrows * ncols)]
    for extra in axes[n:]:
        extra.set_visible(False)
    return fig, axes[:n]


def _has(run: Any, attribute: str) -> bool:
    try:
        getattr(run, attribute)
    except AttributeError:
        return False
    return True


def _spans(values: np.ndarray) -> List[Tuple[int, int, int]]:
    """Runs of equal values: (start, stop, value)."""
    out = []
    start = 0
    for day in range(1, len(values) + 1):
        if day == len(values) or values[day] != values[start]:
            out.append((start, day, int(values[start])))
            start = day
    return out


# --------------------------------------------------------------------------------------------
# one run


def care(run: Any, ax: Optional[Any] = None) -> Any:
    """Care load against capacity: COVID-19 patients in ICU and in clinical beds per day
    (persons) against the normal (dotted) and scaled-up (dashed) capacity. Under a trigger policy
    the days each level was in force are shaded, darker for higher levels, with the level names in
    the legend. Returns the axes."""
    from matplotlib.patches import Patch

    ax = _axes(ax)
    days = np.arange(run.days)
    icu = run.icu_occupancy.sum(axis=1)
    ward = run.hospital_occupancy.sum(axis=1)
    ax.plot(days, ward, label="clinical beds", color="tab:blue")
    ax.plot(days, icu, label="ICU", color="tab:red")
    for (normal, scaled), color in ((run.hospital_capacity, "tab:blue"), (run.icu_capacity, "tab:red")):
        ax.axhline(normal, ls=":", lw=1, color=color)
        ax.axhline(scaled, ls="--", lw=1, color=color)
    handles, labels = ax.get_legend_handles_labels()
    if _has(run, "policy_level"):
        level = run.policy_level
        names = run.policy_levels
        top = max(int(level.max()), 1)
        shade = {k: 0.08 + 0.3 * k / top for k in range(len(names))}
        for start, stop, k in _spans(level):
            if k > 0:
                ax.axvspan(start, stop, color="grey", alpha=shade[k], lw=0)
        for k in sorted(set(int(x) for x in level)):
            if k > 0:
                handles.append(Patch(color="grey", alpha=shade[k], lw=0))
                labels.append(f"level {names[k]}")
    ax.set_xlim(0, max(run.days - 1, 1))
    ax.set_ylim(bottom=0)
    ax.set_xlabel("day")
    ax.set_ylabel("COVID-19 patients (persons)")
    ax.set_title("care load against capacity (dotted: normal, dashed: scaled up)", fontsize=10)
    ax.legend(handles, labels, loc="upper right", fontsize=8)
    return ax


def rungs(run: Any, ax: Optional[Any] = None) -> Any:
    """Rung timeline: the rung in force per sector per day (a run under a policy; 0 = the lowest
    rung, e.g. ``basis``; for a regional run the highest rung in force in any region). Returns
    the axes."""
    from matplotlib.colors import BoundaryNorm, ListedColormap

    ax = _axes(ax, (9, 4))
    r = run.rungs
    regional = r.ndim == 3
    if regional:
        r = r.max(axis=1)
    top = max(int(r.max()), 1)
    cmap = ListedColormap(_plt().get_cmap("Reds")(np.linspace(0.05, 0.9, top + 1)))
    norm = BoundaryNorm(np.arange(-0.5, top + 1.5), cmap.N)
    image = ax.imshow(r.T, aspect="auto", interpolation="nearest", cmap=cmap, norm=norm)
    ax.set_yticks(range(len(run.sectors)))
    ax.set_yticklabels(run.sectors, fontsize=7)
    ax.set_xlabel("day")
    where = " (highest over regions)" if regional else ""
    ax.set_title(f"rung in force per sector{where} (0 = lowest)", fontsize=10)
    bar = ax.figure.colorbar(image, ax=ax, fraction=0.03, ticks=range(top + 1))
    bar.set_label("rung", fontsize=8)
    return ax


def behaviour(run: Any, ax: Optional[Any] = None) -> Any:
    """Compliance and support (population-weighted means, 0-1), perceived risk and voluntary
    contact reduction per day; the share of days with support below one half is the behavioural
    dimension's warning sign. Returns the axes."""
    ax = _axes(ax)
    weights = run.compartments[0].sum(axis=1)
    weights = weights / weights.sum()
    ax.plot(run.compliance @ weights, label="compliance", color="tab:green")
    ax.plot(run.support @ weights, label="support", color="tab:orange")
    ax.plot(run.risk_perception, ls=":", label="perceived risk", color="tab:red")
    ax.plot(run.voluntary_reduction @ weights, ls="--", label="voluntary reduction", color="tab:grey")
    ax.axhline(0.5, color="black", lw=0.6, alpha=0.5)
    ax.set_ylim(0, 1)
    ax.set_xlim(0, max(run.days - 1, 1))
    ax.set_xlabel("day")
    ax.set_ylabel("share (0-1)")
    ax.set_title("compliance and support (population-weighted)", fontsize=10)
    ax.legend(loc="lower left", fontsize=8)
    return ax


def overview(run: Any, ax: Optional[Any] = None) -> Any:
    """The run at a glance, stacked with a shared day axis: :func:`care`, then :func:`rungs`
    (runs under a policy) and :func:`behaviour` (runs with a behavioural model). ``ax``: a
    sequence of axes, or one Axes to split. Returns the figure."""
    kinds = [care]
    if _has(run, "rungs"):
        kinds.append(rungs)
    if _has(run, "compliance"):
        kinds.append(behaviour)
    fig, axes = _panels(len(kinds), ax, 1, (10, 3.0), sharex=ax is None)
    for draw, a in zip(kinds, axes):
        draw(run, ax=a)
    for a in axes[:-1]:
        a.set_xlabel("")
    return fig


# --------------------------------------------------------------------------------------------
# alternatives side by side


def _impacts_table(data: Any) -> Tuple[Any, Dict[str, str], Dict[str, str]]:
    """Alternatives x indicators (pandas), with units and dimensions per indicator, from
    ``{name: Run | Impacts | {indicator: value}}``, a wide or tidy DataFrame, or a sweep Dataset
    (mean over draws; one scenario)."""
    pd = _require("pandas", "pandas")
    units: Dict[str, str] = {}
    dims: Dict[str, str] = {}
    if type(data).__name__ == "Dataset":
        ds = data
        if "scenario" in ds.dims:
            if ds.sizes["scenario"] != 1:
                raise ValueError("data: select one scenario of the sweep first (ds.sel(scenario=...))")
            ds = ds.isel(scenario=0)
        names = [str(n) for n in ds.data_vars if "policy" in ds[n].dims and "day" not in ds[n].dims and "dimension" in ds[n].attrs]
        if "draw" in ds.dims:
            ds = ds[names].mean("draw")
        frame = pd.DataFrame({n: ds[n].to_pandas() for n in names})
        units = {n: str(data[n].attrs.get("units", "")) for n in names}
        dims = {n: str(data[n].attrs.get("dimension", "")) for n in names}
        return frame, units, dims
    if isinstance(data, Mapping):
        rows: Dict[str, Dict[str, float]] = {}
        for name, item in data.items():
            if not isinstance(item, (Impacts, Mapping)) and hasattr(type(item), "impacts"):
                item = item.impacts  # a Run (or anything else that has impacts)
            if isinstance(item, Impacts):
                rows[str(name)] = item.totals
                for i in item.indicators:
                    units[i["name"]] = i["unit"]
                    dims[i["name"]] = i["dimension"]
            elif isinstance(item, Mapping):
                rows[str(name)] = {str(k): float(v) for k, v in item.items()}
            else:
                raise wrong_type(f"data[{name!r}]", "a Run, Impacts or a dict of indicator values", item)
        return pd.DataFrame(rows).T, units, dims
    if type(data).__name__ == "DataFrame":
        frame = data
        cols = set(frame.columns)
        if {"indicator", "value"} <= cols:
            key = next((c for c in ("alternative", "policy") if c in cols), None)
            if key is None:
                raise ValueError("data: a tidy frame needs an 'alternative' or 'policy' column")
            if "grouping" in cols:
                frame = frame[frame["grouping"] == "total"]
            if "unit" in cols:
                units = dict(zip(frame["indicator"], frame["unit"]))
            if "dimension" in cols:
                dims = dict(zip(frame["indicator"], frame["dimension"]))
            frame = frame.pivot_table(index=key, columns="indicator", values="value", aggfunc="first", sort=False)
        return frame, units, dims
    raise wrong_type("data", "a dict of runs or impacts, a DataFrame or a sweep Dataset", data)


def _choose(frame: Any, dims: Mapping[str, str], indicators: Optional[Sequence[str]]) -> List[str]:
    columns = [str(c) for c in frame.columns]
    if indicators is not None:
        missing = [i for i in indicators if i not in columns]
        if missing:
            raise ValueError(f"indicators: not in the data: {', '.join(missing)}; available: {', '.join(columns)}")
        return list(indicators)
    chosen = [i for i in HEADLINES if i in columns]
    order = list(DIMENSION_TITLES)
    chosen.sort(key=lambda i: order.index(dims[i]) if dims.get(i) in order else len(order))
    return chosen or columns[:8]


def dimensions(
    data: Any,
    indicators: Optional[Sequence[str]] = None,
    ax: Optional[Any] = None,
    ncols: int = 4,
) -> Any:
    """The four dimensions side by side for alternatives: one small bar chart per indicator
    (natural units, alternatives on the bars), coloured by dimension.

    ``data``: ``{alternative: Run}`` (their impacts), ``{alternative: Impacts}``, a DataFrame
    (alternatives x indicators, or tidy with ``alternative``/``policy``, ``indicator``, ``value``
    and optionally ``unit``, ``dimension``), or a sweep Dataset (one scenario; mean over the
    draws). ``indicators``: which to show (default: two headline indicators per dimension,
    :data:`HEADLINES`). ``ax``: a sequence of axes, or one Axes to split. Returns the figure."""
    frame, units, dims = _impacts_table(data)
    chosen = _choose(frame, dims, indicators)
    fig, axes = _panels(len(chosen), ax, ncols, (3.0, 2.6))
    alts = [str(a) for a in frame.index]
    x = np.arange(len(alts))
    for a, name in zip(axes, chosen):
        values = frame[name].to_numpy(dtype=float)
        unit = units.get(name, "")
        top = float(np.nanmax(np.abs(values))) if len(values) else 0.0
        for factor, word in ((1e9, "bn"), (1e6, "mln")):
            if top >= factor:
                values, unit = values / factor, f"{word} {unit}".strip()
                break
        a.bar(x, values, color=_DIM_COLOURS.get(dims.get(name, ""), "tab:grey"), alpha=0.85)
        a.set_xticks(x)
        a.set_xticklabels(alts, rotation=30, ha="right", fontsize=7)
        dim = DIMENSION_TITLES.get(dims.get(name, ""), "")
        better = " (higher is better)" if name in BENEFITS else ""
        a.set_title(f"{dim}\n{name.replace('_', ' ')}" if dim else name.replace("_", " "), fontsize=8)
        a.set_ylabel(unit + better, fontsize=7)
        a.tick_params(axis="y", labelsize=7)
    return fig


def radar(
    data: Any,
    indicators: Optional[Sequence[str]] = None,
    ax: Optional[Any] = None,
    benefits: Optional[Sequence[str]] = None,
) -> Any:
    """Radar chart of alternatives over indicators, normalised per indicator between the best
    (0, centre) and the worst (1, rim) alternative, so outward is always worse; an indicator on
    which all alternatives are equal sits at 0. Higher-is-better indicators (``benefits``, default
    :data:`BENEFITS` such as support and compliance) are turned round. Same ``data`` and
    ``indicators`` as :func:`dimensions`. ``ax`` may be polar or not (a plain Axes is replaced by
    a polar one in its place). Returns the (polar) axes."""
    frame, units, dims = _impacts_table(data)
    chosen = _choose(frame, dims, indicators)
    better = BENEFITS if benefits is None else frozenset(benefits)
    if ax is None:
        _, ax = _plt().subplots(figsize=(5.5, 5.5), subplot_kw={"projection": "polar"})
    elif getattr(ax, "name", "") != "polar":
        fig, spec = ax.figure, ax.get_subplotspec()
        ax.remove()
        ax = fig.add_subplot(spec, projection="polar")
    values = frame[chosen].to_numpy(dtype=float)
    lo, hi = values.min(axis=0), values.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    norm = (values - lo) / span
    flip = np.array([c in better for c in chosen])
    norm[:, flip] = np.where(hi > lo, 1.0 - norm, 0.0)[:, flip]
    norm[:, ~(hi > lo)] = 0.0
    angles = np.linspace(0, 2 * np.pi, len(chosen), endpoint=False)
    closed = np.append(angles, angles[0])
    for k, alt in enumerate(frame.index):
        ring = np.append(norm[k], norm[k, 0])
        ax.plot(closed, ring, label=str(alt), lw=1.5)
        ax.fill(closed, ring, alpha=0.08)
    ax.set_xticks(angles)
    ax.set_xticklabels([c.replace("_", "\n") for c in chosen], fontsize=7)
    ax.set_ylim(0, 1.05)
    ax.set_yticks([0, 0.5, 1])
    ax.set_yticklabels(["best", "", "worst"], fontsize=7)
    ax.set_title("alternatives, each indicator from best (centre) to worst (rim)", fontsize=9)
    ax.legend(loc="upper right", bbox_to_anchor=(1.3, 1.1), fontsize=7)
    return ax


# --------------------------------------------------------------------------------------------
# decisions


def opportunity_cost(result: Any, scenario: Optional[str] = None, ax: Optional[Any] = None) -> Any:
    """Opportunity cost bars: how much each alternative gives up against the best alternative.

    ``result``: an :class:`afweging.decision.OpportunityCost` or a
    :class:`~afweging.decision.DecisionTree` that has one (stacked by dimension, in ``scenario``,
    default the first: :meth:`OpportunityCost.plot`); a DecisionTree without dimensions, or a
    regret DataFrame (alternatives x scenarios, ``tree.to_pandas("regret")``): grouped bars per
    scenario with the probability-weighted (expected) regret marked. Returns the axes."""
    if isinstance(result, _decision.DecisionTree) and result.opportunity_cost is not None:
        result = result.opportunity_cost
    if isinstance(result, _decision.OpportunityCost):
        return result.plot(scenario=scenario, ax=ax)
    expected: Optional[np.ndarray] = None
    if isinstance(result, _decision.DecisionTree):
        regret = np.asarray(result.regret, dtype=float)
        alts, scs = result.alternatives, result.scenarios
        expected = np.asarray(result.expected_regret, dtype=float)
    elif type(result).__name__ == "DataFrame":
        regret = result.to_numpy(dtype=float)
        alts, scs = [str(a) for a in result.index], [str(c) for c in result.columns]
    else:
        raise wrong_type("result", "an OpportunityCost, a DecisionTree or a regret DataFrame", result)
    ax = _axes(ax, (8, 3.8))
    x = np.arange(len(alts))
    width = 0.8 / max(len(scs), 1)
    for s, sc in enumerate(scs):
        ax.bar(x - 0.4 + width * (s + 0.5), regret[:, s], width, label=sc)
    if expected is not None:
        ax.scatter(x, expected, marker="D", color="black", zorder=3, label="expected (probability-weighted)")
    ax.set_xticks(x)
    ax.set_xticklabels(alts, rotation=20, ha="right")
    ax.set_ylabel("opportunity cost (regret)")
    ax.set_title("opportunity cost against the best alternative in each scenario", fontsize=10)
    ax.legend(fontsize=8)
    return ax


def decision_tree(tree: Any, ax: Optional[Any] = None) -> Any:
    """The decision tree over scenarios drawn (:meth:`afweging.decision.DecisionTree.plot`):
    decision node, alternatives with their expected values, scenarios with probabilities and
    outcomes; the best branch highlighted. Returns the axes."""
    return tree.plot(ax=ax)


# --------------------------------------------------------------------------------------------
# uncertainty


def tornado(result: Any, indicator: Optional[str] = None, ax: Optional[Any] = None, top: Optional[int] = None) -> Any:
    """Tornado chart of a one-way sensitivity analysis (:func:`afweging.one_way`): per parameter a
    bar from the indicator at the parameter's low value to its value at the high value, largest
    swing on top, around a line at the base case; the parameter values are written at the bar
    ends. ``top``: show only the largest swings. Returns the axes."""
    rows = result.rows(indicator)
    if top is not None:
        rows = rows[:top]
    ax = _axes(ax, (8, 0.45 * len(rows) + 1.4))
    name = rows[0]["indicator"] if rows else (indicator or result.indicator)
    base = result.base[name]
    y = np.arange(len(rows))[::-1]
    for yi, r in zip(y, rows):
        for end, value, colour in (("low", r["low_value"], "tab:blue"), ("high", r["high_value"], "tab:orange")):
            v = r[end]
            ax.barh(yi, v - base, left=base, color=colour, height=0.6, label=f"{end} value" if yi == y[0] else None)
            ax.text(v, yi, f" {value:.3g} ", va="center", ha="left" if v >= base else "right", fontsize=7)
    ax.axvline(base, color="black", lw=1)
    ax.set_yticks(y)
    ax.set_yticklabels([r["parameter"].replace("calibration.", "cal.").replace("scenario.", "") for r in rows], fontsize=8)
    unit = result.units.get(name, "")
    ax.set_xlabel(f"{name} ({unit})" if unit else name)
    ax.set_title(
        f"one-way sensitivity of {name} (base {base:,.0f}; {result.policy}, {result.scenario})"
        if abs(base) >= 100
        else f"one-way sensitivity of {name} (base {base:.3g}; {result.policy}, {result.scenario})",
        fontsize=10
    )
    if rows:
        ax.legend(fontsize=8, loc="lower right")
        lo = min(min(r["low"], r["high"]) for r in rows)
        hi = max(max(r["low"], r["high"]) for r in rows)
        pad = 0.15 * max(hi - lo, abs(base) * 1e-3, 1e-12)
        ax.set_xlim(min(lo, base) - pad, max(hi, base) + pad)
    return ax


def bands(
    ds: Any,
    variable: str = "icu_occupancy",
    scenario: Optional[str] = None,
    policies: Optional[Sequence[str]] = None,
    quantiles: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95),
    capacity: Optional[Any] = None,
    ax: Optional[Any] = None,
) -> Any:
    """Uncertainty bands: per policy the median over the draws of a daily series from a
    trajectory-mode sweep (``af.sweep(..., mode="trajectory")``), with the outer (default 5-95%)
    and inner (25-75%) quantile bands shaded. ``variable``: a daily series
    (``afweging.sweep.series()``: ``icu_occupancy``, ``hospital_occupancy``, ``admissions_per_day``,
    ``stringency``, ``compliance``, ...); ``scenario``: which one (default the first);
    ``policies``: which (default all); ``quantiles``: an odd number of probabilities, symmetric
    pairs around the middle one; ``capacity``: a number or (normal, scaled-up) pair drawn as
    horizontal lines. Returns the axes."""
    if variable not in ds.data_vars or "day" not in ds[variable].dims:
        series = [str(n) for n in ds.data_vars if "day" in ds[n].dims]
        hint = ", ".join(series) if series else "none: run the sweep with mode='trajectory'"
        raise ValueError(f"variable: must be a daily series of the sweep ({hint}), got {variable!r}")
    q = sorted(float(x) for x in quantiles)
    if len(q) % 2 != 1:
        raise ValueError(f"quantiles: need an odd number (pairs around the median), got {list(quantiles)}")
    da = ds[variable]
    if "scenario" in da.dims:
        scen = str(ds.scenario.values[0]) if scenario is None else scenario
        da = da.sel(scenario=scen)
    else:
        scen = scenario or ""
    chosen = [str(p) for p in ds.policy.values] if policies is None else list(policies)
    ax = _axes(ax, (9, 3.5))
    days = ds.day.values
    mid = len(q) // 2
    for p in chosen:
        values = da.sel(policy=p).transpose("draw", "day").values
        qs = np.quantile(values, q, axis=0)
        line = ax.plot(days, qs[mid], label=p, lw=1.6)[0]
        for k in range(mid):
            ax.fill_between(days, qs[k], qs[-1 - k], color=line.get_color(), alpha=0.12 + 0.12 * k, lw=0)
    if capacity is not None:
        caps = np.atleast_1d(np.asarray(capacity, dtype=float))
        for c, style in zip(caps, (":", "--")):
            ax.axhline(c, color="black", ls=style, lw=1)
    ax.set_xlim(days[0], days[-1])
    ax.set_ylim(bottom=0)
    unit = ds[variable].attrs.get("units", "")
    ax.set_xlabel("day")
    ax.set_ylabel(f"{variable.replace('_', ' ')} ({unit})" if unit else variable)
    outer = f"{q[0]:.0%}-{q[-1]:.0%}"
    inner = f", {q[mid - 1]:.0%}-{q[mid + 1]:.0%}" if mid >= 2 else ""
    ax.set_title(
        f"{ds[variable].attrs.get('long_name', variable)}: median and {outer}{inner} over {ds.sizes['draw']} draws"
        + (f" ({scen})" if scen else ""),
        fontsize=10,
    )
    ax.legend(fontsize=8, loc="upper right")
    return ax


def prob_best(
    data: Any,
    cost: Optional[str] = None,
    effect: Optional[str] = None,
    wtp: Optional[Any] = None,
    scenario: Optional[str] = None,
    ax: Optional[Any] = None,
) -> Any:
    """Probability-best curves: for each policy the share of parameter draws in which it is best
    (:func:`afweging.decision.prob_best`), against a willingness to pay (or weight) ``wtp``.

    With a sweep Dataset, each draw's loss is ``ds[cost] + wtp * ds[effect]`` (both losses, e.g.
    ``cost="days_with_measures", effect="deaths"`` with ``wtp`` in days of measures one would
    accept per death avoided, or a monetised cost and ``effect="life_years_lost"`` in EUR per
    life year); ``scenario`` picks one (default the first). An
    :class:`afweging.decision.Acceptability` (cost-effectiveness acceptability curves) is drawn by
    its own ``plot``. Returns the axes."""
    if isinstance(data, _decision.Acceptability):
        return data.plot(ax=ax)
    if cost is None or effect is None or wtp is None:
        raise ValueError("cost, effect and wtp: needed with a sweep Dataset (see the docstring)")
    for name in (cost, effect):
        if name not in data.data_vars:
            raise ValueError(f"{name!r}: not a variable of the sweep")
    ds = data
    if "scenario" in ds.dims:
        scen = str(ds.scenario.values[0]) if scenario is None else scenario
        ds = ds.sel(scenario=scen)
    else:
        scen = scenario or ""
    w = np.asarray(wtp, dtype=float).reshape(-1)
    policies = [str(p) for p in ds.policy.values]
    curves = np.empty((len(w), len(policies)))
    for k, x in enumerate(w):
        loss = (ds[cost] + x * ds[effect]).transpose("policy", "draw")
        curves[k] = np.asarray(_decision.prob_best(loss.values, over="policy", dim="draw"))
    ax = _axes(ax, (8, 3.5))
    for j, p in enumerate(policies):
        ax.plot(w, curves[:, j], label=p, lw=1.6)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlim(w[0], w[-1])
    cu, eu = ds[cost].attrs.get("units", ""), ds[effect].attrs.get("units", "")
    ax.set_xlabel(f"willingness to pay: {cost} ({cu}) per {effect} ({eu})" if cu or eu else "willingness to pay")
    ax.set_ylabel("probability best")
    ax.set_title(
        f"probability best over {ds.sizes['draw']} draws: loss = {cost} + wtp x {effect}" + (f" ({scen})" if scen else ""),
        fontsize=10,
    )
    ax.legend(fontsize=8)
    return ax


__all__ = [
    "KINDS",
    "HEADLINES",
    "BENEFITS",
    "care",
    "rungs",
    "behaviour",
    "overview",
    "dimensions",
    "radar",
    "opportunity_cost",
    "decision_tree",
    "tornado",
    "bands",
    "prob_best",
]
