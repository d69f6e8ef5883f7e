"""The four dimensions of the reference framework for one run, in natural units, and who bears
them: every indicator split by age band, income quintile, education level and (economic
indicators) NACE section, with inequality between groups."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional

import numpy as np

from ._optional import pandas as _pandas
from .economy import EconomyByDay
from .errors import unknown

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: The dimensions, in the order of the reference framework.
DIMENSIONS: List[str] = ["virus_spread", "societal", "socio_economic", "behavioural"]

_TITLES = {
    "virus_spread": "Virus spread",
    "societal": "Societal",
    "socio_economic": "Socio-economic",
    "behavioural": "Behavioural",
}


def _format(value: float, unit: str) -> str:
    if unit in ("share", "SD", "share of labour force"):
        return f"{value:.3f}"
    if abs(value) >= 1e9:
        return f"{value / 1e9:,.2f} bn"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.1f} mln"
    return f"{value:,.0f}"


class Impacts:
    """The impacts of a run (see :attr:`afweging.Run.impacts`).

    Indicators have a ``dimension``, ``name``, ``unit``, ``total`` and an ``aggregate``: ``sum``
    (the groups add up to the total), ``mean`` (each group holds its mean per person) or ``whole``
    (no split). ``impacts["deaths"]`` is a total; :meth:`to_pandas` and :meth:`by_group` give the
    splits.
    """

    __slots__ = ("_data", "_economy")

    def __init__(
        self,
        data: Mapping[str, Any],
        economy: Optional[Callable[[], Optional[Dict[str, Any]]]] = None,
    ) -> None:
        self._data = dict(data)
        # The economy by day is computed by the engine when first read (it costs about as much
        # as the other impacts together); ``economy`` gives it, or None when the run has none.
        self._economy = economy

    @property
    def indicators(self) -> List[Dict[str, Any]]:
        """Every indicator as a dict (dimension, name, unit, description, aggregate, total,
        by_group, inequality)."""
        return list(self._data["indicators"])

    @property
    def groupings(self) -> Dict[str, List[str]]:
        """Group labels per grouping."""
        return {g["name"]: list(g["labels"]) for g in self._data["groupings"]}

    def population(self, grouping: str) -> np.ndarray:
        """Persons per group of ``grouping`` (workers, for ``section``)."""
        return np.asarray(self._grouping(grouping)["population"], dtype=np.float64)

    @property
    def totals(self) -> Dict[str, float]:
        """Indicator name -> total over the run (natural units)."""
        return {i["name"]: float(i["total"]) for i in self._data["indicators"]}

    @property
    def units(self) -> Dict[str, str]:
        return {i["name"]: i["unit"] for i in self._data["indicators"]}

    @property
    def daily(self) -> Dict[str, np.ndarray]:
        """Daily series: ``value_added_lost`` (EUR/day), ``unemployed`` (persons),
        ``mental_health`` and ``loneliness`` (excess share of the population) and
        ``operations_postponed`` (planned operations not performed, operations/day)."""
        return {k: np.asarray(v, dtype=np.float64) for k, v in self._data["daily"].items()}

    def __getitem__(self, name: str) -> float:
        return self.totals[self._indicator(name)["name"]]

    def __contains__(self, name: object) -> bool:
        return any(i["name"] == name for i in self._data["indicators"])

    def _indicator(self, name: str) -> Dict[str, Any]:
        for i in self._data["indicators"]:
            if i["name"] == name:
                return i  # type: ignore[no-any-return]
        raise unknown("name", "indicator", name, [i["name"] for i in self._data["indicators"]])

    def _grouping(self, name: str) -> Dict[str, Any]:
        for g in self._data["groupings"]:
            if g["name"] == name:
                return g  # type: ignore[no-any-return]
        raise unknown("grouping", "grouping", name, [g["name"] for g in self._data["groupings"]])

    def to_pandas(self) -> "pd.DataFrame":
        """Tidy frame: one row per indicator and group, columns ``dimension, indicator, grouping,
        group, value, unit, aggregate``; the totals have grouping ``"total"`` and group ``"all"``."""
        pd = _pandas()
        rows = []
        labels = self.groupings
        for i in self._data["indicators"]:
            base = (i["dimension"], i["name"])
            rows.append((*base, "total", "all", i["total"], i["unit"], i["aggregate"]))
            for grouping, values in i["by_group"].items():
                for label, value in zip(labels[grouping], values):
                    rows.append((*base, grouping, label, value, i["unit"], i["aggregate"]))
        return pd.DataFrame(
            rows, columns=["dimension", "indicator", "grouping", "group", "value", "unit", "aggregate"]
        )

    def by_group(self, grouping: str, per_person: bool = False) -> "pd.DataFrame":
        """Indicators (rows) by the groups of ``grouping`` (columns: ``age_band``,
        ``income_quintile``, ``education`` or ``section``), with the unit, the ratio of the most to
        the least affected group's burden per person and the concentration index (ordered
        groupings; negative = the burden falls more on the lower groups).

        ``per_person=True`` divides summed indicators by the persons in each group (workers for
        ``section``), which is what the inequality measures compare."""
        pd = _pandas()
        info = self._grouping(grouping)
        population = np.asarray(info["population"], dtype=np.float64)
        rows, index = [], []
        for i in self._data["indicators"]:
            values = i["by_group"].get(grouping)
            if values is None:
                continue
            v = np.asarray(values, dtype=np.float64)
            if per_person and i["aggregate"] == "sum":
                v = np.divide(v, population, out=np.zeros_like(v), where=population > 0)
            ineq = i["inequality"].get(grouping, {})
            rows.append([*v, i["unit"], ineq.get("ratio"), ineq.get("concentration_index")])
            index.append(i["name"])
        columns = [*info["labels"], "unit", "ratio", "concentration_index"]
        frame = pd.DataFrame(rows, index=pd.Index(index, name="indicator"), columns=columns)
        frame.columns.name = grouping
        return frame

    def scorecard(self) -> "pd.DataFrame":
        """The compact scorecard: dimension, indicator, total and unit, dimensions in the order of
        the reference framework."""
        pd = _pandas()
        rows = [(i["dimension"], i["name"], i["total"], i["unit"], i["description"]) for i in self._ordered()]
        return pd.DataFrame(rows, columns=["dimension", "indicator", "total", "unit", "description"])

    def _ordered(self) -> List[Dict[str, Any]]:
        return sorted(self._data["indicators"], key=lambda i: DIMENSIONS.index(i["dimension"]))

    @property
    def economy(self) -> "EconomyByDay":
        """The economy by day and quarter of a dated national run (value added by section,
        unemployment, bankruptcies, support outlays per scheme, lost tax; see
        :class:`afweging.economy.EconomyByDay`). Raises :class:`AttributeError` for undated or
        regional runs, or a calibration without ``economy.dated``."""
        if "economy" not in self._data and self._economy is not None:
            computed = self._economy()
            if computed is not None:
                self._data["economy"] = computed
        data = self._data.get("economy")
        if data is None:
            raise AttributeError(
                "these impacts have no economy by day: it needs a dated national run "
                "(scenario.start_date) and a calibration with impacts.economy.dated"
            )
        return EconomyByDay(data)

    def compare(self, observed: "pd.DataFrame") -> "pd.DataFrame":
        """The economy of this run next to what was observed, e.g.
        ``run.impacts.compare(af.observed.economy_netherlands())``; see
        :meth:`afweging.economy.EconomyByDay.compare`."""
        return self.economy.compare(observed)

    def to_dict(self) -> Dict[str, Any]:
        return dict(self._data)

    def __repr__(self) -> str:
        parts = []
        for dim in DIMENSIONS:
            items = [i for i in self._data["indicators"] if i["dimension"] == dim][:3]
            shown = ", ".join(f"{i['name']} {_format(i['total'], i['unit'])} {i['unit']}" for i in items)
            parts.append(f"  {_TITLES[dim]}: {shown}")
        return "Impacts(\n" + "\n".join(parts) + "\n)"

    def _repr_html_(self) -> str:
        cells = []
        for dim in DIMENSIONS:
            rows = "".join(
                f"<tr title='{html.escape(i['description'])}'><td>{html.escape(i['name'].replace('_', ' '))}</td>"
                f"<td style='text-align:right'>{_format(i['total'], i['unit'])}</td>"
                f"<td>{html.escape(i['unit'])}</td></tr>"
                for i in self._data["indicators"]
                if i["dimension"] == dim
            )
            cells.append(
                f"<td style='vertical-align:top'><b>{_TITLES[dim]}</b><table>{rows}</table></td>"
            )
        return (
            "<b>Impacts</b> on the four dimensions (totals over the run; "
            "<code>.by_group(...)</code> for who bears them)"
            f"<table><tr>{''.join(cells)}</tr></table>"
        )
