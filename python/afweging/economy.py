"""The economy of a dated run by quarter, and the model held against what CBS observed.

>>> run = af.Timeline.netherlands().run(start="2020-03-01", until="2021-12-31")  # doctest: +SKIP
>>> run.impacts.economy.by_quarter()                           # doctest: +SKIP
>>> run.impacts.compare(af.observed.economy_netherlands())     # doctest: +SKIP

The engine (``src/impacts/dated_economy.rs``) records the economy day by day: value added per NACE
section, unemployment, bankruptcies of firms with employees (as CBS counts them), what each support
scheme paid (NOW, TOGS, TVL, Tozo; tax deferral as tax deferred, a loan) and the tax lost with the
value added lost. This module sums the days into quarters and years; days of a period before the run
count as normal days (normal value added and bankruptcies, no support).

**Changes against the year before.** The model's normal day is the 2019 level (the calibration
year of value added). CBS compares with the year before, which without the epidemic would have grown
by ``trend_growth`` a year (``economy.dated.trend_growth`` of the calibration, an assumption), so a
modelled change of a year ``y`` on ``y - 1`` is ``(1 + g) VA_y / VA_(y-1) - 1`` with ``VA_2019`` the
normal level, and a change on 2019 is ``(1 + g)^(y - 2019) VA_y / VA_2019 - 1`` (volumes).

**Money is counted once.** Support and deferred tax are transfers between the state and firms or
households: they change who bears the value added lost, not how much is lost; the welfare total
counts the value added lost and prices the fiscal cost at ``fiscal_cost_weight`` (0 by default, see
``docs/assessment.md``). Outlays here are budgetary figures, to be held against published outlays.

Needs pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Tuple

import numpy as np

from ._optional import pandas as _pandas

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Sections of the observed CBS aggregates, by observed series.
_SECTIONS: Dict[str, Tuple[str, ...]] = {
    "horeca_I": ("I",),
    "culture_recreation_other_services_R_U": ("R", "S", "T-U"),
    "trade_transport_horeca_G_I": ("G", "H", "I"),
    "industry_C": ("C",),
    "construction_F": ("F",),
}

#: Observed support series and the model's schemes that make them up.
_SCHEMES: Dict[str, Tuple[str, ...]] = {
    "NOW": ("NOW",),
    "Tozo": ("Tozo",),
    "TOGS_TVL": ("TOGS", "TVL"),
}

#: Stocks of persons of the labour market's flows (src/impacts/labour_market.rs), by day.
_LABOUR_STOCKS: Tuple[str, ...] = ("employed", "left_labour_force")


class EconomyByDay:
    """The economy of a dated national run by day (see :attr:`afweging.Impacts.economy`)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = dict(data)

    @property
    def trend_growth(self) -> float:
        """Volume growth a year without the epidemic (``economy.dated.trend_growth``)."""
        return float(self._data["trend_growth"])

    @property
    def sections(self) -> List[str]:
        """NACE codes of the sections."""
        return list(self._data["sections"])

    @property
    def size_classes(self) -> List[str]:
        """Names of the size classes of firms with employees (``economy.dated.firms.classes``)."""
        return list(self._data.get("bankruptcies_by_class", {}))

    @property
    def schemes(self) -> List[str]:
        """Names of the support schemes (tax deferral included)."""
        return list(self._data["schemes"])

    def by_day(self) -> "pd.DataFrame":
        """One row per day: value added per section (``va_<code>``, EUR/day) and in total
        (``value_added``), its normal level (``normal_value_added``), ``unemployment_rate``
        (share), ``unemployed_extra`` (persons), ``bankruptcies`` (firms/day) and per size class
        of firms ``bankruptcies_<class>`` (e.g. ``bankruptcies_employees_2_9``), each scheme's
        outlay (EUR/day; ``tax_deferral`` is tax deferred), ``lost_tax`` (EUR/day), ``fear``
        (voluntary contact reduction from fear of the run's deaths, 0-1; 0 in runs with a
        behaviour model, whose distancing is in the activity), per demand shock
        ``shock_<name>`` (its level: change of the exposed demand, 0 = normal; e.g.
        ``shock_foreign_demand``), with the labour market's flows (``economy.dated.labour_market``)
        ``employed`` and ``left_labour_force`` (persons who lost their job and left the labour
        force) and, when the calibration has ``society.debt_restructuring``, ``wsnp_admissions``
        (persons/day)."""
        pd = _pandas()
        d = self._data
        va = np.asarray(d["value_added"], dtype=np.float64).reshape(-1, len(d["sections"]))
        days = va.shape[0]
        index = pd.date_range(d["start_date"], periods=days, freq="D", name="date")
        # The columns are gathered first and framed once: inserting them one by one into a frame
        # cost most of a read.
        columns: Dict[str, Any] = {f"va_{s}": va[:, i] for i, s in enumerate(d["sections"])}
        columns["value_added"] = va.sum(axis=1)
        columns["normal_value_added"] = np.full(days, float(np.sum(d["normal_value_added"])))
        columns["unemployment_rate"] = d["unemployment_rate"]
        columns["unemployed_extra"] = d["unemployed"]
        for name in _LABOUR_STOCKS:
            if d.get(name):  # stocks of src/impacts/labour_market.rs
                columns[name] = d[name]
        columns["bankruptcies"] = d["bankruptcies"]
        for name, values in d.get("bankruptcies_by_class", {}).items():
            columns[f"bankruptcies_{name}"] = values
        for name, values in d["schemes"].items():
            columns[name] = values
        columns["lost_tax"] = d["lost_tax"]
        columns["fear"] = d.get("fear", np.zeros(days))
        for name, values in d.get("shocks", {}).items():
            columns[f"shock_{name}"] = values
        if "wsnp" in d:  # Wsnp admissions (src/impacts/debt_restructuring.rs)
            columns["wsnp_admissions"] = d["wsnp"]["admissions"]
        arrays = {k: np.asarray(v, dtype=np.float64) for k, v in columns.items()}
        frame = pd.DataFrame(arrays, index=index)
        return frame

    def _periods(self, freq: str) -> "pd.DataFrame":
        """Sums per period (``Q`` or ``Y``) of every period the run touches, days before the run
        and after it counted as normal days (so a period the run ends in is marked partial)."""
        pd = _pandas()
        daily = self.by_day()
        first = daily.index[0].to_period(freq).start_time
        last = daily.index[-1].to_period(freq).end_time.normalize()
        full = pd.date_range(first, last, freq="D", name="date")
        frame = daily.reindex(full)
        covered = frame["value_added"].notna()
        normal = np.asarray(self._data["normal_value_added"], dtype=np.float64)
        normal_days = {f"va_{code}": v for code, v in zip(self.sections, normal)}
        normal_days["value_added"] = float(normal.sum())
        normal_days["bankruptcies"] = float(self._data["normal_bankruptcies"])
        for name, normal_day in self._data.get("normal_bankruptcies_by_class", {}).items():
            normal_days[f"bankruptcies_{name}"] = float(normal_day)
        frame = frame.fillna(normal_days)
        frame["normal_value_added"] = float(normal.sum())
        if "wsnp" in self._data:  # society: days outside the run follow the Wsnp trend
            frame["wsnp_admissions"] = frame["wsnp_admissions"].fillna(_wsnp_normal(self._data["wsnp"], full))
        frame["unemployment_rate"] = frame["unemployment_rate"].ffill().bfill()
        stocks = ["unemployment_rate", "unemployed_extra"] + [c for c in _LABOUR_STOCKS if c in frame]
        frame[stocks] = frame[stocks].ffill().bfill()
        frame = frame.fillna(0.0)
        frame["days_in_run"] = covered.astype(int)
        grouped = frame.groupby(frame.index.to_period(freq))
        out = grouped.sum()
        out[stocks] = grouped[stocks].mean()
        out.index.name = "quarter" if freq == "Q" else "year"
        return out

    def _table(self, freq: str) -> "pd.DataFrame":
        sums = self._periods(freq)
        pd = _pandas()
        days = _days(sums.index)
        normal = np.asarray(self._data["normal_value_added"], dtype=np.float64)
        out: Dict[str, Any] = {}  # framed once (inserting columns one by one cost most of a read)
        out["value_added_bn"] = sums["value_added"] / 1e9
        out["value_added_vs_normal_pct"] = 100.0 * (sums["value_added"] / sums["normal_value_added"] - 1.0)
        for code, v in zip(self.sections, normal):
            out[f"va_{code}_vs_normal_pct"] = 100.0 * (sums[f"va_{code}"] / (float(v) * days) - 1.0)
        out["unemployment_rate_pct"] = 100.0 * sums["unemployment_rate"]
        for name in _LABOUR_STOCKS:
            if name in sums:  # the labour market's flows: mean persons over the period
                out[name] = sums[name]
        out["bankruptcies"] = sums["bankruptcies"]
        for name in self.size_classes:
            out[f"bankruptcies_{name}"] = sums[f"bankruptcies_{name}"]
        for name in self.schemes:
            out[f"{name}_bn"] = sums[name] / 1e9
        if "tax_deferral" in sums:  # the stock deferred since the run began (repaid from October 2022)
            out["tax_deferral_stock_bn"] = sums["tax_deferral"].cumsum() / 1e9
        out["lost_tax_bn"] = sums["lost_tax"] / 1e9
        if "wsnp_admissions" in sums:  # society
            out["wsnp_admissions"] = sums["wsnp_admissions"]
        out["days_in_run"] = sums["days_in_run"]
        return pd.DataFrame(out, index=sums.index)

    def by_quarter(self) -> "pd.DataFrame":
        """One row per quarter the run touches: ``value_added_bn`` (EUR bn), its change on the
        normal (2019) level in % in total and per section (``va_<code>_vs_normal_pct``), the mean
        ``unemployment_rate_pct``, with the labour market's flows the mean ``employed`` and
        ``left_labour_force`` (persons), ``bankruptcies`` (firms) and per size class
        ``bankruptcies_<class>``, each scheme's ``<name>_bn`` (EUR bn;
        ``tax_deferral_bn`` is tax deferred, a loan, and ``tax_deferral_stock_bn`` the stock deferred
        since the run began at the period's end), ``lost_tax_bn``, ``wsnp_admissions``
        (persons, when the run has them) and ``days_in_run``."""
        return self._table("Q")

    def by_year(self) -> "pd.DataFrame":
        """As :meth:`by_quarter`, per calendar year."""
        return self._table("Y")

    def _change(self, sums: "pd.DataFrame", period: Any, sections: Optional[Tuple[str, ...]], base: str) -> float:
        """Modelled volume change of value added (%) in ``period`` on the year before
        (``base="previous"``), on the quarter before (``base="quarter"``; the model has no
        seasons, CBS's quarter-on-quarter figures are seasonally adjusted) or on 2019
        (``base="2019"``), for some sections or all."""
        cols = [f"va_{s}" for s in sections] if sections else ["value_added"]
        normal = np.asarray(self._data["normal_value_added"], dtype=np.float64)
        per_day = float(sum(normal[self.sections.index(s)] for s in sections)) if sections else float(normal.sum())
        g = self.trend_growth
        year = period.year

        def level(p: Any) -> float:
            # Trend growth accrues by quarter within a year (changes on a year before are the
            # same either way; changes on the quarter before need it).
            years = int(p.year) - 2019 + ((int(p.quarter) - 1) / 4.0 if p.freqstr.startswith("Q") else 0.0)
            if p.year <= 2019:
                return float((1.0 + g) ** years)
            if p not in sums.index:
                return float("nan")
            ratio = float(sums.loc[p, cols].sum()) / (per_day * _days_one(p))
            return float(ratio * (1.0 + g) ** years)

        previous = period - (1 if base == "quarter" else 4 if period.freqstr.startswith("Q") else 1)
        if base == "2019":
            return 100.0 * (level(period) / 1.0 - 1.0) if year > 2019 else float("nan")
        return 100.0 * (level(period) / level(previous) - 1.0)

    def compare(self, observed: "pd.DataFrame") -> "pd.DataFrame":
        """The model next to what was observed (:func:`afweging.observed.economy_netherlands`),
        one row per observed figure the model gives: ``series``, ``period``, ``observed``,
        ``model``, ``difference`` (model minus observed), ``unit``, ``in_run`` (the period lies
        wholly within the run) and the observed row's ``source``."""
        pd = _pandas()
        quarters, years = self._periods("Q"), self._periods("Y")
        quarter_table, year_table = self._table("Q"), self._table("Y")
        rows = []
        for _, row in observed.iterrows():
            series, text = str(row["series"]), str(row["period"])
            found = _model_value(self, series, text, quarters, years, quarter_table, year_table)
            if found is None:
                continue
            value, in_run = found
            rows.append(
                {
                    "series": series,
                    "period": text,
                    "observed": float(row["value"]),
                    "model": value,
                    "difference": value - float(row["value"]),
                    "unit": row["unit"],
                    "in_run": in_run,
                    "source": row["source"],
                }
            )
        return pd.DataFrame(rows, columns=["series", "period", "observed", "model", "difference", "unit", "in_run", "source"])

    def __repr__(self) -> str:
        d = self._data
        return f"EconomyByDay(from {d['start_date']}, {len(d['unemployed'])} days, schemes {', '.join(d['schemes'])})"


def _wsnp_normal(wsnp: Mapping[str, Any], dates: Any) -> Any:
    """Wsnp admissions per day by the trend alone on ``dates`` (society; as
    ``DebtRestructuring::normal_per_day`` in ``src/impacts/debt_restructuring.rs``)."""
    pd = _pandas()
    years = (dates - pd.Timestamp(wsnp["reference_date"])).days.to_numpy(dtype=np.float64) / 365.25
    values = float(wsnp["admissions_per_year"]) / 365.0 * (1.0 + float(wsnp["trend_per_year"])) ** years
    return pd.Series(values, index=dates)


def _days(index: Any) -> Any:
    """Days in each period of a PeriodIndex."""
    return np.asarray([_days_one(p) for p in index], dtype=np.float64)


def _days_one(period: Any) -> int:
    return int((period.end_time.normalize() - period.start_time.normalize()).days) + 1


def _model_value(
    economy: EconomyByDay,
    series: str,
    text: str,
    quarters: "pd.DataFrame",
    years: "pd.DataFrame",
    quarter_table: "pd.DataFrame",
    year_table: "pd.DataFrame",
) -> Optional[Tuple[float, bool]]:
    """The model's figure for one observed row, with whether the run covers the whole period
    (``None`` when the model has no such figure or the run does not reach the period)."""
    pd = _pandas()
    if len(text) == 4 and text.isdigit():
        period, sums, table = pd.Period(text, freq="Y"), years, year_table
    elif len(text) == 6 and text[4] == "Q":
        period, sums, table = pd.Period(text, freq="Q"), quarters, quarter_table
    elif len(text) == 7 and text[4] == "-":
        period, sums, table = pd.Period(text, freq="M"), None, None
    else:
        return None
    if series == "bankruptcies_companies_monthly_sessionday_corrected" and period.freqstr.startswith("M"):
        daily = economy.by_day()["bankruptcies"]
        days = daily[(daily.index >= period.start_time) & (daily.index <= period.end_time)]
        if len(days) == 0:
            return None
        # Days of the month before the run count as normal days.
        normal = float(economy._data["normal_bankruptcies"])
        return float(days.sum()) + normal * (_days_one(period) - len(days)), len(days) == _days_one(period)
    if sums is None or table is None or period not in sums.index:
        return None
    in_run = bool(sums.loc[period, "days_in_run"] == _days_one(period))
    if series == "gdp_volume_qoq" and period.freqstr.startswith("Q"):
        return economy._change(sums, period, None, "quarter"), in_run
    if series in ("gdp_volume_annual", "gdp_volume_yoy"):
        return economy._change(sums, period, None, "previous"), in_run
    if series == "gdp_volume_level_vs_2019":
        return economy._change(sums, period, None, "2019"), in_run
    if series.startswith("value_added_volume_"):
        key = series[len("value_added_volume_"):]
        base = "previous"
        if key.endswith("_vs_2019"):
            key, base = key[: -len("_vs_2019")], "2019"
        if key not in _SECTIONS:
            return None
        return economy._change(sums, period, _SECTIONS[key], base), in_run
    if series in ("unemployment_rate_sa", "unemployment_rate_annual"):
        return float(table.loc[period, "unemployment_rate_pct"]), in_run
    if series == "bankruptcies_companies":
        return float(table.loc[period, "bankruptcies"]), in_run
    if series == "wsnp_admissions" and "wsnp_admissions" in table:  # society
        return float(table.loc[period, "wsnp_admissions"]), in_run
    if series.startswith("support_outlays_"):
        key = series[len("support_outlays_"):]
        if key not in _SCHEMES or not all(f"{s}_bn" in table.columns for s in _SCHEMES[key]):
            return None
        return float(sum(table.loc[period, f"{s}_bn"] for s in _SCHEMES[key])), in_run
    return None
