"""Timelines: packages of the sector plans scheduled by calendar date, such as the Dutch national
measures of 2020-2022 (``Timeline.netherlands()``)."""

from __future__ import annotations

import datetime as _dt
import json
from importlib import resources
from typing import Any, Dict, List, Optional, Tuple, Union

import numpy as np

from . import _core, observed
from ._display import details, esc, table
from ._inputs import Calibration, JsonSource, Scenario, _json_text
from ._optional import pandas as _require_pandas
from .errors import invalid, wrong_type
from .plans import SectorPlans
from .run import Run


DateLike = Union[str, _dt.date]


def _iso(value: Optional[DateLike], field: str) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    isoformat = getattr(value, "isoformat", None)  # pandas.Timestamp, numpy datetime64 via pandas
    if callable(isoformat):
        return str(isoformat())[:10]
    raise wrong_type(f"{field}", "an ISO date string or a date", value)


#: Days from a dose to the protection counted for it (vaccine effectiveness is measured from 14
#: days after a dose).
PROTECTION_DELAY_DAYS = 14


def _replay_data(name: str) -> Dict[str, Any]:
    text = resources.files("afweging").joinpath(f"data/replay/{name}.json").read_text("utf-8")
    data: Dict[str, Any] = json.loads(text)
    return data


def nursing_homes() -> Dict[str, Any]:
    """The nursing-home residents' figures (``data/replay/nursing_homes.json``): their number,
    contacts per setting, severity, life expectancy and vaccination uptake, each with its source."""
    return _replay_data("nursing_homes")


def replay_susceptibility(fitted: bool = True) -> Dict[str, float]:
    """Factors on the relative susceptibility of bands of the replay
    (``data/replay/susceptibility.json``, see its ``sources``): the young's from Davies et al.
    (2020, ``sourced``) and, unless ``fitted`` is false, the old at large's, calibrated on the
    first wave's admissions by age on top of those (``fitted``)."""
    data = _replay_data("susceptibility")
    factors: Dict[str, float] = {**data["sourced"], **(data["fitted"] if fitted else {})}
    return factors


def replay_calibration(group: Optional[Dict[str, Any]] = None, susceptibility: Optional[Dict[str, float]] = None) -> Calibration:
    """The calibration of the replay: :meth:`Calibration.netherlands` with the residents of
    nursing and care homes (:func:`nursing_homes`) taken out of the 80+ band as a group of their
    own, the last band (``"verpleeghuis"``). Its contact rows are the group's (co-residents and
    carers at home, visitors in the community); the other bands' contacts with residents follow by
    reciprocity; its severity sends few to hospital and lets most deaths happen in the home; those
    living at home die outside hospital in proportion to those who die in hospital (the
    group's ``outside_hospital_per_hospital_death``), not the default calibration's 13.8% of the
    80-plus, which were the nursing homes' deaths. Without impact
    data (the impacts of dated runs use :meth:`Calibration.netherlands`). Presets and the default
    calibration are unchanged: the group's contacts are assumptions for 2020. ``group`` replaces
    the figures of :func:`nursing_homes` (same keys). Children are less susceptible (Davies et al.
    2020) and the old at large are infected more often than the contact matrices say:
    ``susceptibility`` (band -> factor on its relative susceptibility, default
    :func:`replay_susceptibility`; ``{}`` for none)."""
    group = nursing_homes() if group is None else group
    factors = replay_susceptibility() if susceptibility is None else susceptibility
    cal = Calibration.netherlands().to_dict()
    bands: List[str] = cal["age_bands"]
    _check_group(group, bands, list(cal["contacts"]), list(cal["severity"]))
    source = bands.index(group["from_band"])
    residents = float(group["residents"])
    population = [float(n) for n in cal["population"]]
    population[source] -= residents
    cal["population"] = population + [residents]
    everyone = bands + [group["band"]]
    for setting, matrix in cal["contacts"].items():
        row = [group["contact_factor"] * float(group["contacts"].get(setting, {}).get(b, 0.0)) for b in everyone]
        # Reciprocity: all residents' contacts with band b equal all of b's contacts with residents.
        for b, contacts in enumerate(matrix):
            contacts.append(row[b] * residents / population[b])
        matrix.append(row)
    for band, factor in factors.items():
        if band not in bands or not float(factor) > 0:
            raise invalid(f"susceptibility.{band}", f"must be a band of {bands} with a factor > 0", factor)
        cal["relative_susceptibility"][bands.index(band)] *= float(factor)
    for field in ("relative_susceptibility", "asymptomatic_share", "life_expectancy"):
        cal[field] = cal[field] + [float(group[field])]
    severity = cal["severity"]
    for field in severity:
        if field != "p_death_icu_overflow":
            severity[field] = severity[field] + [float(group["severity"][field])]
    # Those living at home who die outside hospital (at home, in a hospice, in other care): in
    # each band a share of those who die in hospital (the residents' figure is their own).
    ratio = float(group["outside_hospital_per_hospital_death"])
    for b in range(len(bands)):
        severity["p_death_outside_hospital_given_infection"][b] = (
            ratio * severity["p_hospital_given_infection"][b] * severity["p_death_given_admission"][b]
        )
    cal["age_bands"] = everyone
    cal["name"] = f"{cal['name']}, nursing-home residents as a group (replay)"
    cal.pop("impacts", None)
    cal["sources"].update({f"nursing_homes.{k}": v for k, v in group["sources"].items()})
    # The data file's records for the parts of it in use (the sourced and the fitted factors).
    data = _replay_data("susceptibility")
    for part in ("sourced", "fitted"):
        if data[part] and all(factors.get(b) == v for b, v in data[part].items()):
            cal["sources"][f"replay.susceptibility.{part}"] = data["sources"][part]
    return Calibration.from_json(cal)


_GROUP_KEYS = ("band", "from_band", "residents", "contacts", "contact_factor", "relative_susceptibility",
               "asymptomatic_share", "severity", "life_expectancy", "outside_hospital_per_hospital_death")


def _check_group(group: Dict[str, Any], bands: List[str], settings: List[str], severities: List[str]) -> None:
    """Errors name the group's field: missing keys, an unknown band or setting, a severity the
    calibration has no per-band vector for; values are checked by the calibration they build."""
    for key in _GROUP_KEYS:
        if key not in group:
            raise invalid(f"nursing_homes.{key}", "missing", None, shown="nothing")
    if group["from_band"] not in bands:
        raise invalid("nursing_homes.from_band", f"must be one of {bands}", group["from_band"])
    known = bands + [group["band"]]
    for setting, row in group["contacts"].items():
        if setting not in settings:
            raise invalid(f"nursing_homes.contacts.{setting}", f"unknown setting (known: {settings})", setting)
        for band in row:
            if band not in known:
                raise invalid(f"nursing_homes.contacts.{setting}.{band}", f"unknown band (known: {known})", band)
    for field in severities:
        if field != "p_death_icu_overflow" and field not in group["severity"]:
            raise invalid(f"nursing_homes.severity.{field}", "missing", None, shown="nothing")


def replay_scenario(calibration: Optional[Calibration] = None) -> Scenario:
    """The scenario the replay starts from (``nederland_2020``, dated 2020-02-27): the wild type in
    a population without immunity, and the first doses of 2021 as they were given (ECDC via OWID,
    :func:`afweging.observed.table`, counted from 14 days after the week's doses); every choice
    sourced in its ``sources``. With ``calibration`` :func:`replay_calibration` (or any whose last
    band is the nursing-home group), its bands have the group's entries too. Needs pandas."""
    data = _replay_data("nederland_2020")
    if calibration is not None and calibration.age_bands[-1] == nursing_homes()["band"]:
        group = nursing_homes()
        for field in ("vaccinated", "recovered", "waned"):
            data["initial"][field] = data["initial"][field] + [0.0]
        for campaign in data["campaigns"]:
            campaign["uptake"] = campaign["uptake"] + [float(group["vaccination_uptake"])]
    weeks = observed.table("vaccination")
    delay = np.timedelta64(PROTECTION_DELAY_DAYS - 6, "D")
    schedule = [
        {"from": str(np.datetime64(date, "D") + delay), "per_day": float(doses) / 7.0}
        for date, doses in zip(weeks["date"], weeks["first_dose_week"])
    ]
    data["campaigns"][0]["schedule"] = schedule
    return Scenario.from_json(data)


#: The stored fits of the replay (``data/replay/fit_<date>.json``, written by
#: ``scripts/fit_replay.py``, checksums in ``data/replay/SHA256SUMS``), by the last day fitted.
STORED_FITS = ("2020-09-30", "2021-12-31")


def stored_fit(through: str = "2021-12-31") -> Tuple[Scenario, Dict[str, Dict[str, float]]]:
    """A stored fit of the replay: :func:`afweging.fit` of the replay scenario on
    :meth:`Calibration.netherlands` (nine bands) to the observed admissions and ICU occupancy from
    2020-02-27 through ``through`` (one of :data:`STORED_FITS`), stored because such a fit takes
    minutes to an hour. Returns the fitted, dated scenario and the fit's parameters, name ->
    estimate, lower, upper (95%). ``"2021-12-31"``: the Dutch epidemic of 2020-2021 as it
    happened (NICE's admissions and ICU occupancy through 1 July 2021, then LCPS's admissions;
    ``data/replay/PROVENANCE.md``), which :func:`fitted_run` runs. ``"2020-09-30"``: what a crisis
    team knew on 1 October 2020 (:func:`afweging.sequential.autumn_2020`)."""
    if through not in STORED_FITS:
        raise invalid("through", f"no stored fit (stored: {', '.join(STORED_FITS)}; af.fit fits any window)", through)
    record = _replay_data(f"fit_{through}")
    return Scenario.from_json(record["scenario"]), record["params"]


def fitted_run(
    until: DateLike = "2021-12-31", calibration: Optional[Calibration] = None, timeline: Optional["Timeline"] = None
) -> Run:
    """The Dutch epidemic of 2020-2021 as it happened: the Dutch timeline run from 2020-02-27 to
    ``until`` (at most 2021-12-31) under the replay scenario fitted to the record
    (:func:`stored_fit`), on :meth:`Calibration.netherlands` unless ``calibration`` is given. The
    run the economy and society of 2020-2021 are held against the record on
    (``run.impacts.economy.by_quarter()``, docs/economy_2020_2021.md). With another
    ``timeline`` (e.g. the Dutch one without the curfew), the same fitted transmission factors
    (what the measures did not explain: behaviour, the weather) run under other measures: a
    counterfactual of the record.

    The fit holds for the epidemic of :meth:`Calibration.netherlands`: a ``calibration`` that
    changes the impacts (the economy's or society's parameters) replays the same epidemic; one
    that changes the epidemic's parameters runs the fitted transmission factors on it, which is
    no longer a fit.

    >>> run = fitted_run(until="2021-12-31")  # doctest: +SKIP
    >>> run.impacts.economy.by_quarter()  # doctest: +SKIP
    """
    scenario, _ = stored_fit(STORED_FITS[-1])
    start = _day(str(scenario.to_dict()["start_date"]), "scenario.start_date")
    last = _day(until, "until")
    if last > _day(STORED_FITS[-1], "through"):
        raise invalid("until", f"must be on or before {STORED_FITS[-1]}, the last day fitted", last.isoformat())
    if timeline is not None and not isinstance(timeline, Timeline):
        raise wrong_type("timeline", "an afweging.Timeline or None", timeline)
    timeline = timeline if timeline is not None else Timeline.netherlands()
    return timeline.run(start=start, until=last, scenario=scenario, calibration=calibration)


def _day(value: DateLike, field: str) -> _dt.date:
    """A date given as ISO text or a date; bad text raises :class:`ValidationError` naming ``field``."""
    text = _iso(value, field) or ""
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise invalid(field, "must be an ISO date (YYYY-MM-DD)", text) from None


class Timeline:
    """Packages of the sector plans by date: on each date the package of the last entry dated on
    or before it is in force, and after the last entry its package stays in force.

    >>> tl = Timeline.netherlands()
    >>> len(tl)
    43
    >>> model.run(days=120, timeline=tl)  # doctest: +SKIP

    A run with a timeline needs a dated scenario (``scenario.start_date``) on or after the first
    entry. With a policy as well, each sector takes the stricter (higher) rung of the two and the
    general measures of both apply; contact multipliers cannot be combined with a timeline.
    """

    __slots__ = ("_inner",)

    def __init__(self, inner: _core.Timeline) -> None:
        self._inner = inner

    @classmethod
    def netherlands(cls) -> "Timeline":
        """The Dutch national measures from 2020-02-27 to 2022-03-23 (``data/netherlands/timeline.json``),
        43 dated packages of :meth:`SectorPlans.netherlands`."""
        return cls(_core.Timeline.netherlands())

    @classmethod
    def from_json(cls, source: JsonSource, plans: Optional[SectorPlans] = None) -> "Timeline":
        """A timeline from a path, JSON text or a dict, checked against ``plans`` (default: the
        Dutch plans). Errors are :class:`afweging.ValidationError` naming the entry and its date."""
        return cls(_core.Timeline.from_json(_json_text(source, "timeline"), None if plans is None else plans.to_json()))

    def run(
        self,
        start: DateLike,
        until: DateLike,
        scenario: Optional[Scenario] = None,
        calibration: Optional[Calibration] = None,
    ) -> Run:
        """A run of this timeline from ``start`` to ``until`` (both included): the replay
        scenario (:func:`afweging.replay.replay_scenario`, needs pandas) dated ``start`` unless
        ``scenario`` is given, and :meth:`Calibration.netherlands` unless ``calibration`` is.

        >>> run = Timeline.netherlands().run(start="2020-03-01", until="2021-12-31")  # doctest: +SKIP
        >>> run.impacts.economy.by_quarter()  # doctest: +SKIP
        """
        first, last = _day(start, "start"), _day(until, "until")
        days = (last - first).days + 1
        if days < 1:
            raise invalid("until", f"must be on or after start ({first})", str(last))
        sc = (scenario if scenario is not None else replay_scenario()).starting_on(first.isoformat())
        cal = calibration if calibration is not None else Calibration.netherlands()
        return Run(_core.Model(cal._inner, sc._inner).run(days, None, None, self._inner), sc.name)

    def to_json(self) -> str:
        return self._inner.to_json()

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(self._inner.to_json())  # type: ignore[no-any-return]

    @property
    def name(self) -> str:
        return self._inner.name

    @property
    def plans(self) -> SectorPlans:
        """The sector plans the timeline's packages were checked against."""
        return SectorPlans.from_json(self._inner.plans_json())

    def _summaries(self) -> List[str]:
        plans = json.loads(self._inner.plans_json())
        rung_names = {s["name"]: [r["name"] for r in s["rungs"]] for s in plans["sectors"]}
        out = []
        for entry in self.to_dict()["entries"]:
            pkg = entry["package"]
            rungs = [f"{s} {rung_names[s][k]}" for s, k in pkg.get("rungs", {}).items() if k]
            general = pkg.get("general", [])
            out.append("; ".join(x for x in [", ".join(rungs), ", ".join(general)] if x) or "every sector on basis")
        return out

    def to_pandas(self) -> Any:
        """One row per entry (pandas): ``date`` in force, ``name``, ``package`` (rungs above basis,
        then general measures), ``stringency`` (OxCGRT index of the package, 0-100), ``source``,
        ``certainty``, ``regional`` and ``reading`` (how the package was read, where it is the
        project's reading)."""
        pd = _require_pandas()
        entries = self.to_dict()["entries"]
        return pd.DataFrame(
            {
                "date": pd.to_datetime([e["date"] for e in entries]),
                "name": [e["name"] for e in entries],
                "package": self._summaries(),
                "stringency": self._inner.entry_stringency(),
                "source": [e["source"] for e in entries],
                "certainty": [e["certainty"] for e in entries],
                "regional": [bool(e.get("regional", False)) for e in entries],
                "reading": [e.get("reading", "") for e in entries],
            }
        )

    def stringency(self, start: Optional[DateLike] = None, until: Optional[DateLike] = None) -> Any:
        """The OxCGRT stringency index (0-100) of the package in force on each day from ``start``
        through ``until`` (defaults: the first and the last entry's date), as a pandas Series with
        a daily DatetimeIndex."""
        pd = _require_pandas()
        first, values = self._inner.stringency(_iso(start, "start"), _iso(until, "until"))
        index = pd.date_range(first, periods=len(values), freq="D", name="date")
        return pd.Series(values, index=index, name="stringency")

    def __len__(self) -> int:
        return len(self._inner)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Timeline, (self._inner,))

    def __repr__(self) -> str:
        entries = self.to_dict()["entries"]
        span = f"{entries[0]['date']} .. {entries[-1]['date']}" if entries else "empty"
        return f"Timeline({self.name!r}: {len(entries)} entries, {span})"

    def _repr_html_(self) -> str:
        entries = self.to_dict()["entries"]
        stringency = self._inner.entry_stringency()
        rows = [
            [
                esc(e["date"]),
                esc(e["name"]) + (" <small>(regional)</small>" if e.get("regional") else ""),
                f"{s:.1f}",
                f"<small>{esc(summary)}</small>",
                esc(e["certainty"]),
            ]
            for e, s, summary in zip(entries, stringency, self._summaries())
        ]
        return (
            f"<b>Timeline {esc(self.name)}</b> &mdash; {len(entries)} entries; the last entry's package stays in force"
            + table(["in force from", "name", "stringency", "package", "certainty"], rows, right=[2])
            + details("description", f"<p style='max-width:60em'>{esc(self.to_dict().get('description', ''))}</p>")
        )
