"""The result of a run: daily arrays by age band (numpy), the virus-spread summary, and tidy
pandas / named-dimension xarray views."""

from __future__ import annotations

import json
import datetime as _dt
from typing import TYPE_CHECKING, Any, Dict, List, NamedTuple, Optional, Tuple, Union

import numpy as np

from . import _core
from . import plot as _plot
from ._core import __version__
from ._display import esc, num, sparkline, table
from ._optional import require as _require
from .errors import NotAvailableError, invalid
from .impacts import Impacts

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import xarray as xr

#: Daily indicators by age band: (attribute, unit, long name), from the engine's catalogue.
INDICATORS: List[Tuple[str, str, str]] = [tuple(x) for x in _core.daily_series()]  # type: ignore[misc]

#: Units of the virus-spread summary, from the engine's catalogue.
SUMMARY_UNITS: Dict[str, str] = dict(_core.run_summary())


class Source(NamedTuple):
    """How a run was made (by :meth:`Model.run`), so that :meth:`Run.state` can take it again."""

    model: Any
    policy: Any
    timeline: Any
    contact_multipliers: Optional[np.ndarray]
    start: Optional[_core.Snapshot]


class Run:
    """A simulated course of the epidemic. Day ``d`` covers ``[d, d + 1)``; flows are totals over
    the day, occupancies are taken at its end. Arrays are ``days x age bands`` unless stated."""

    __slots__ = ("_inner", "scenario_name", "_records", "_source")

    def __init__(self, inner: _core.Run, scenario_name: str = "", source: Optional[Source] = None) -> None:
        self._inner = inner
        self.scenario_name = scenario_name
        self._source = source
        # Parsed policy and behaviour records, by kind: a run never changes, so each is read once.
        self._records: Dict[str, Any] = {}

    @property
    def days(self) -> int:
        return self._inner.days

    @property
    def age_bands(self) -> List[str]:
        return self._inner.age_bands

    @property
    def infections(self) -> np.ndarray:
        """New infections per day (persons/day), days x age bands."""
        return self._inner.infections

    @property
    def admissions(self) -> np.ndarray:
        """Hospital admissions per day, ward and ICU together (persons/day), days x age bands."""
        return self._inner.admissions

    @property
    def icu_admissions(self) -> np.ndarray:
        """ICU admissions per day (persons/day), days x age bands."""
        return self._inner.icu_admissions

    @property
    def deaths(self) -> np.ndarray:
        """Deaths per day, in hospital and outside it (persons/day), days x age bands."""
        return self._inner.deaths

    @property
    def deaths_outside_hospital(self) -> np.ndarray:
        """Deaths outside hospital per day (persons/day), days x age bands: the severely ill who
        were not admitted, mostly nursing-home residents; part of :attr:`deaths`."""
        return self._inner.deaths_outside_hospital

    @property
    def start_date(self) -> Optional[str]:
        """ISO date of day 0 for a dated run (the scenario's ``start_date``), else ``None``."""
        return self._inner.start_date

    @property
    def dates(self) -> Optional[np.ndarray]:
        """The calendar date of each day (``datetime64[D]``) of a dated run, else ``None``."""
        if self.start_date is None:
            return None
        return np.datetime64(self.start_date, "D") + np.arange(self.days)

    @property
    def hospital_occupancy(self) -> np.ndarray:
        """COVID-19 patients in clinical (non-ICU) beds at the end of each day (persons), days x age bands."""
        return self._inner.hospital_occupancy

    @property
    def icu_occupancy(self) -> np.ndarray:
        """COVID-19 patients in ICU at the end of each day (persons), days x age bands."""
        return self._inner.icu_occupancy

    @property
    def vaccinations(self) -> np.ndarray:
        """Persons vaccinated per day (persons/day), days x age bands."""
        return self._inner.vaccinations

    @property
    def regions(self) -> List[str]:
        """Safety regions of a regional run (empty for the national model)."""
        return self._inner.regions

    def by_region(self, name: str) -> np.ndarray:
        """A daily series by region, days x regions x age bands (the units of the attribute of the
        same name: ``infections``, ``admissions``, ``icu_admissions``, ``deaths``,
        ``hospital_occupancy``, ``icu_occupancy``, ``vaccinations``). National runs have one region."""
        return self._inner.region_series(name)

    @property
    def region_signals(self) -> np.ndarray:
        """Regional runs: the indicators of each region at the start of each day, days x regions x
        signals (columns as :attr:`signals`: per region its residents' admissions, and its
        patients against its own beds)."""
        return self._inner.region_signals

    @property
    def region_level(self) -> np.ndarray:
        """Regional runs under a policy: the level in force per day in each region (days x
        regions; under a national policy every region has the national level)."""
        levels = self._policy().get("region_level") or []
        return np.asarray(levels, dtype=np.int64).reshape(len(levels), len(self.regions) if levels else 0)

    @property
    def contact_multipliers(self) -> np.ndarray:
        """Contact multipliers in force per day (dimensionless), days x 4 settings
        (home, school, work, community)."""
        return self._inner.contact_multipliers

    @property
    def compartments(self) -> np.ndarray:
        """Persons per compartment, (days + 1) x age bands x compartments: the state at the start
        of day 0 and at the end of each day. Names in :attr:`compartment_names`."""
        return self._inner.compartments

    @property
    def compartment_names(self) -> List[str]:
        return self._inner.compartment_names

    @property
    def icu_capacity(self) -> Tuple[float, float]:
        """ICU beds for COVID-19 patients (persons): (normal, scaled-up)."""
        return self._inner.icu_capacity

    @property
    def hospital_capacity(self) -> Tuple[float, float]:
        """Clinical beds for COVID-19 patients (persons): (normal, scaled-up)."""
        return self._inner.hospital_capacity

    def _record(self, kind: str) -> Any:
        """The parsed ``policy``, ``behaviour`` or ``preparedness`` record (``None`` when the run
        has none)."""
        if kind not in self._records:
            if kind == "policy":
                text = self._inner.policy_record()
            elif kind == "preparedness":
                text = self._inner.preparedness_record()
            else:
                text = self._inner.behaviour_record()
            self._records[kind] = json.loads(text)
        return self._records[kind]

    @property
    def preparedness(self) -> "pd.DataFrame":
        """The preparedness levers the policy names, one row per lever: ``kind``, ``lead_time_days``
        (days), ``orders`` (setup costs paid), ``days_ordered`` and ``days_active`` (days),
        ``cost_eur`` (EUR, over the run). Empty when the policy names no lever."""
        pd = _require("pandas", "pandas")
        record = self._record("preparedness")
        columns = ["lever", "kind", "lead_time_days", "orders", "days_ordered", "days_active", "cost_eur"]
        if record is None:
            return pd.DataFrame(columns=columns).set_index("lever")
        outcome = json.loads(self._inner.impacts() or "null") or {}
        prep = outcome.get("preparedness") or {}
        rows = []
        for i, lever in enumerate(record["levers"]):
            rows.append(
                {
                    "lever": lever["name"],
                    "kind": lever["effect"]["kind"],
                    "lead_time_days": lever["lead_time_days"],
                    "orders": record["orders"][i],
                    "days_ordered": sum(1 for s in record["state"] if s[i] != 0),
                    "days_active": sum(1 for s in record["state"] if s[i] == 2),
                    "cost_eur": prep["cost"][i] if prep else float("nan"),
                }
            )
        return pd.DataFrame(rows, columns=columns).set_index("lever")

    @property
    def care_capacity(self) -> np.ndarray:
        """``days x 2``: ICU and clinical beds for COVID-19 patients (persons) in force each day,
        as preparedness levers scale them up (the calibrated scaled-up capacity without levers)."""
        record = self._record("preparedness")
        if record is None:
            icu, hospital = self.icu_capacity[1], self.hospital_capacity[1]
            return np.tile(np.array([icu, hospital], dtype=np.float64), (self.days, 1))
        return np.column_stack([record["icu_capacity"], record["hospital_capacity"]]).astype(np.float64)

    @property
    def impacts(self) -> "Impacts":
        """The four dimensions of the reference framework over this run, in natural units, each
        split by group (see :class:`afweging.Impacts`). Runs under a policy count the measures'
        cost; a run without one counts only what the epidemic and voluntary distancing cost."""
        if "impacts" not in self._records:
            data = json.loads(self._inner.impacts())
            if data is None:
                raise NotAvailableError(
                    "this run has no impacts: its calibration has no impact data (calibration.impacts)"
                )
            inner = self._inner
            self._records["impacts"] = Impacts(data, economy=lambda: json.loads(inner.economy()))
        return self._records["impacts"]  # type: ignore[no-any-return]

    def _policy(self) -> Dict[str, Any]:
        record = self._record("policy")
        if record is None:
            raise NotAvailableError("this run has no policy: pass one to Model.run(policy, ...)")
        return record  # type: ignore[no-any-return]

    @property
    def sectors(self) -> List[str]:
        """Sector keys, the columns of :attr:`rungs` (runs under a policy)."""
        return list(self._policy()["sectors"])

    @property
    def rungs(self) -> np.ndarray:
        """The rung in force per sector per day (0 = lowest) as the run applied it: days x sectors
        for the national model, days x regions x sectors for a regional run (each region's own
        rungs; runs under a policy)."""
        policy = self._policy()
        if self.regions and policy.get("region_level"):
            per_level = np.asarray(policy["level_rungs"], dtype=np.int64)
            return np.asarray(per_level[self.region_level], dtype=np.int64)
        return np.asarray(policy["rungs"], dtype=np.int64).reshape(self.days, -1)

    @property
    def stringency(self) -> np.ndarray:
        """The OxCGRT stringency index (0-100) of the package in force, per day."""
        return np.asarray(self._policy()["stringency"], dtype=np.float64)

    @property
    def policy_level(self) -> np.ndarray:
        """The trigger-policy level in force per day (0 = lowest); names in :attr:`policy_levels`."""
        return np.asarray(self._policy()["level"], dtype=np.int64)

    @property
    def policy_levels(self) -> List[str]:
        return list(self._policy()["levels"])

    @property
    def signals(self) -> np.ndarray:
        """Indicators read at the start of each day, days x signals (names and units in
        ``afweging.plans.SIGNALS``): 7-day mean admissions, ICU occupancy and shares of capacity."""
        return self._inner.signals

    def _behaviour(self) -> Dict[str, Any]:
        record = self._record("behaviour")
        if record is None:
            raise NotAvailableError("this run has no behavioural model: the scenario's behaviour is null")
        return record  # type: ignore[no-any-return]

    @property
    def compliance(self) -> np.ndarray:
        """Compliance with measures (0-1), days x age bands."""
        return np.asarray(self._behaviour()["record"]["compliance"], dtype=np.float64).reshape(self.days, -1)

    @property
    def support(self) -> np.ndarray:
        """Support for measures (0-1), days x age bands."""
        return np.asarray(self._behaviour()["record"]["support"], dtype=np.float64).reshape(self.days, -1)

    @property
    def fatigue(self) -> np.ndarray:
        """Pandemic fatigue (0-1), days x age bands."""
        return np.asarray(self._behaviour()["record"]["fatigue"], dtype=np.float64).reshape(self.days, -1)

    @property
    def risk_perception(self) -> np.ndarray:
        """Perceived risk (0-1) per day, following ICU pressure with a delay."""
        return np.asarray(self._behaviour()["record"]["risk"], dtype=np.float64)

    @property
    def voluntary_reduction(self) -> np.ndarray:
        """Voluntary contact reduction (0-1), days x age bands, before weighting by setting."""
        return np.asarray(self._behaviour()["record"]["voluntary"], dtype=np.float64).reshape(self.days, -1)

    def behaviour_summary(self) -> Dict[str, Any]:
        """The behavioural dimension over the run: mean compliance and support, days with support
        below one half, effectiveness lost through non-compliance and the part of it due to fatigue,
        peak voluntary reduction and the
        cost of behavioural levers (EUR)."""
        return dict(self._behaviour()["summary"])

    @property
    def decisions(self) -> List[Dict[str, Any]]:
        """Every change of level: day decided, day in force, from and to level, and the reason."""
        return list(self._policy()["decisions"])

    def virus_spread(self) -> Dict[str, Any]:
        """The virus-spread dimension over the run: totals, peaks and days above capacity (units in
        :data:`SUMMARY_UNITS`), plus per-age totals under ``infections``, ``admissions``,
        ``icu_admissions`` and ``deaths``."""
        return self._inner.virus_spread()

    def summary(self) -> "pd.DataFrame":
        """The virus-spread dimension as a frame: indicator, value, unit."""
        pd = _require("pandas", "pandas")
        vs = self.virus_spread()
        return pd.DataFrame(
            [{"indicator": k, "value": vs[k], "unit": u} for k, u in SUMMARY_UNITS.items()]
        )

    def to_pandas(self) -> "pd.DataFrame":
        """Tidy (long) frame: day, age_band, indicator, value, unit; dated runs add a ``date``
        column after ``day``."""
        pd = _require("pandas", "pandas")
        days = np.arange(self.days)
        dates = self.dates
        frames = []
        for name, unit, _ in INDICATORS:
            values = getattr(self, name)
            frames.append(
                pd.DataFrame(
                    {
                        "day": np.repeat(days, len(self.age_bands)),
                        **({} if dates is None else {"date": np.repeat(dates, len(self.age_bands))}),
                        "age_band": np.tile(self.age_bands, self.days),
                        "indicator": name,
                        "value": values.reshape(-1),
                        "unit": unit,
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)

    def to_xarray(self) -> "xr.Dataset":
        """Dataset with dims ``day`` and ``age_band`` (and ``setting`` for contact multipliers),
        ``units`` and ``long_name`` attributes on every variable. Regional runs add the dimension
        ``region`` to the daily indicators (national totals are their sum over ``region``). Dated
        runs carry a ``date`` coordinate along ``day`` (``ds.swap_dims(day="date")`` indexes by
        date)."""
        xr = _require("xarray", "xarray")
        coords: Dict[str, Any] = {"day": np.arange(self.days), "age_band": self.age_bands}
        if self.dates is not None:
            coords["date"] = ("day", self.dates.astype("datetime64[ns]"))
        if self.regions:
            coords["region"] = self.regions
            data: Dict[str, Any] = {
                name: (("day", "region", "age_band"), self.by_region(name), {"units": unit, "long_name": long})
                for name, unit, long in INDICATORS
            }
        else:
            data = {
                name: (("day", "age_band"), getattr(self, name), {"units": unit, "long_name": long})
                for name, unit, long in INDICATORS
            }
        data["contact_multipliers"] = (
            ("day", "setting"),
            self.contact_multipliers,
            {"units": "1", "long_name": "contact multiplier in force"},
        )
        coords["setting"] = ["home", "school", "work", "community"]
        if self._record("policy") is not None:
            coords["sector"] = self.sectors
            rung_dims = ("day", "region", "sector") if self.rungs.ndim == 3 else ("day", "sector")
            data["rung"] = (rung_dims, self.rungs, {"units": "1", "long_name": "rung in force (0 = lowest)"})
            data["stringency"] = (("day",), self.stringency, {"units": "1", "long_name": "OxCGRT stringency index (0-100)"})
            data["policy_level"] = (("day",), self.policy_level, {"units": "1", "long_name": "trigger-policy level in force"})
            if self.regions and self._policy().get("region_level"):
                data["region_level"] = (
                    ("day", "region"),
                    self.region_level,
                    {"units": "1", "long_name": "policy level in force in each region"},
                )
        if self._record("behaviour") is not None:
            for name, long in (
                ("compliance", "compliance with measures"),
                ("support", "support for measures"),
                ("fatigue", "pandemic fatigue"),
                ("voluntary_reduction", "voluntary contact reduction"),
            ):
                data[name] = (("day", "age_band"), getattr(self, name), {"units": "1", "long_name": long})
            data["risk_perception"] = (("day",), self.risk_perception, {"units": "1", "long_name": "perceived risk"})
        dataset = xr.Dataset(
            data,
            coords=coords,
            attrs={"scenario": self.scenario_name, "afweging_version": __version__},
        )
        return dataset  # type: ignore[no-any-return]

    def plot(self, kind: str = "care", ax: Optional[Any] = None) -> Any:
        """Plots the run (matplotlib, ``afweging[plot]``): ``"care"`` (ICU and clinical occupancy
        against capacity, policy levels shaded), ``"rungs"`` (rung per sector per day),
        ``"behaviour"`` (compliance, support, risk perception, voluntary distancing) each return
        the axes; ``"overview"`` stacks the three and returns the figure. See
        :mod:`afweging.plot`."""
        if kind not in _plot.KINDS:
            raise ValueError(f"kind: must be one of {', '.join(_plot.KINDS)}, got {kind!r}")
        return getattr(_plot, kind)(self, ax=ax)

    def state(self, date: Union[str, _dt.date, int]) -> _core.Snapshot:
        """A :class:`Snapshot` of everything the run carries at the start of ``date`` (ISO text or a
        date of a dated run, or a day number): the epidemic's compartments per group, behaviour,
        the policy's levels, counters and pending decisions, preparedness orders, the signal
        windows the triggers read and the record so far. ``model.run(start=snapshot, ...)``
        continues from it. The snapshot is taken by running the same inputs again up to the date
        (the engine is deterministic), so a run read back from JSON, which does not know its
        inputs, cannot give one."""
        source = self._source
        if source is None:
            raise invalid(
                "run.state",
                "needs a run made by Model.run in this session (a run read back from JSON does not "
                "know its model and measures)",
                str(date),
            )
        if isinstance(date, (int, np.integer)) and not isinstance(date, bool):
            day = int(date)
        else:
            if self.start_date is None:
                raise invalid("date", "needs a dated run (scenario.start_date); give a day number", str(date))
            try:
                day = int((np.datetime64(date, "D") - np.datetime64(self.start_date, "D")).astype(int))
            except ValueError:
                raise invalid("date", "must be an ISO date (YYYY-MM-DD), a date or a day number", str(date)) from None
        before = 0 if source.start is None else source.start.day
        if not before < day <= self.days:
            raise invalid(
                "date",
                f"must fall after day {before} (the run's first simulated day) and at most {self.days} "
                "days after its start",
                str(date),
            )
        multipliers = source.contact_multipliers
        if multipliers is not None:
            multipliers = np.ascontiguousarray(multipliers[: day - before])
        policy = None if source.policy is None else source.policy._inner
        timeline = None if source.timeline is None else source.timeline._inner
        snapshot: _core.Snapshot = source.model._inner.snapshot(day, multipliers, policy, timeline, source.start)
        return snapshot

    def to_json(self) -> str:
        return self._inner.to_json()

    @classmethod
    def from_json(cls, text: str, scenario_name: str = "") -> "Run":
        return cls(_core.Run.from_json(text), scenario_name)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Run.from_json, (self.to_json(), self.scenario_name))

    def __repr__(self) -> str:
        vs = self.virus_spread()
        return (
            f"Run({self.scenario_name!r}, {self.days} days: {vs['total_infections']:,.0f} infections, "
            f"{vs['total_admissions']:,.0f} admissions, {vs['total_deaths']:,.0f} deaths, "
            f"ICU peak {vs['peak_icu_occupancy']:,.0f})"
        )

    def _repr_html_(self) -> str:
        vs = self.virus_spread()
        rows = [
            ("infections", vs["total_infections"], "persons", f"attack rate {vs['attack_rate']:.2f}"),
            ("hospital admissions", vs["total_admissions"], "persons", ""),
            ("ICU admissions", vs["total_icu_admissions"], "persons", ""),
            ("deaths", vs["total_deaths"], "persons", f"{num(vs['life_years_lost'])} life years lost"),
            ("clinical beds, peak", vs["peak_hospital_occupancy"], "persons", f"day {vs['peak_hospital_day']:.0f}; above scaled-up capacity {vs['days_hospital_above_scaled']:.0f} d"),
            ("ICU, peak", vs["peak_icu_occupancy"], "persons", f"day {vs['peak_icu_day']:.0f}; above normal capacity {vs['days_icu_above_normal']:.0f} d, above scaled-up {vs['days_icu_above_scaled']:.0f} d"),
        ]
        body = table(["virus spread", "value", "unit", ""], ([k, num(v), u, f"<small>{n}</small>"] for k, v, u, n in rows), right=[1])
        policy = self._record("policy")
        shade = None
        extra = []
        if policy is not None:
            level = self.policy_level
            names = self.policy_levels
            shade = level / max(int(level.max()), 1)
            days_at = ", ".join(f"{esc(n)} {int((level == k).sum())} d" for k, n in enumerate(names) if (level == k).any())
            extra.append(
                f"measures: mean OxCGRT stringency {self.stringency.mean():.1f}; {len(self.decisions)} level changes; days per level: {days_at}"
            )
        if self._record("behaviour") is not None:
            b = self.behaviour_summary()
            extra.append(
                f"behaviour: mean compliance {b['mean_compliance']:.2f}, support {b['mean_support']:.2f}, "
                f"{b['days_support_below_half']} days with support below 1/2, peak voluntary reduction {b['peak_voluntary_reduction']:.2f}"
            )
        icu = self.icu_occupancy.sum(axis=1)
        normal, scaled = self.icu_capacity
        spark = sparkline([icu], ["#d62728"], lines=[normal, scaled], shade=shade)
        notes = "".join(f"<br><small>{e}</small>" for e in extra)
        return (
            f"<b>Run</b> scenario <i>{esc(self.scenario_name)}</i>, {self.days} days"
            f"<div style='display:flex;gap:1.5em;align-items:flex-start'><div>{body}</div>"
            f"<div><small>ICU patients per day against normal and scaled-up capacity"
            f"{' (grey: policy level)' if shade is not None else ''}</small><br>{spark}</div></div>"
            f"{notes}<br><small><code>run.impacts</code>: all four dimensions; <code>run.plot(\"overview\")</code>; "
            "<code>run.to_pandas()</code>, <code>run.to_xarray()</code></small>"
        )
