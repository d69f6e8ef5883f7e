"""Observed Dutch COVID-19 data (2020-2022) and the Dutch economy (2019-2021), embedded in the
package, to fit the model to and to backtest it against; and :func:`check`, which validates
observations before they go into a fit. Needs pandas (``pip install afweging[pandas]``).

>>> from afweging import observed
>>> obs = observed.netherlands()             # one row per day, 2020-02-27 .. 2022-12-31
>>> obs["admissions"].loc["2020-03-27"]      # NICE ward + ICU admissions, by admission date
676.0
>>> obs.attrs["sources"]["admissions"]       # where each column comes from  # doctest: +ELLIPSIS
'NICE ...'
>>> observed.table("hospital")               # a file as published (hospital, deaths, cases, ...)  # doctest: +SKIP
>>> observed.check(my_observations)          # raises ValidationError naming column, date and value  # doctest: +SKIP

The files are copies of a data pack in which every number has a named public source; they live
in ``afweging/data/observed/`` with their checksums (``SHA256SUMS``) and the pack's description
(``PROVENANCE.md``: sources, column meanings, quirks). Each file is checked against its checksum
the first time it is read; a file that does not match raises :class:`~afweging.errors.AfwegingError`
naming it. Tables are read once and cached; every function returns a copy, so changing what it
returns never changes what the next call returns.

The canonical daily frame, :func:`netherlands`, picks one series per quantity and names it as the
model does (``admissions``, ``icu_admissions``, ``deaths``, ...); which source each column is, and
why, is in its docstring and in ``docs/observed.md``. The registries differ (NICE counts by
admission date, LCPS and RIVM by report date) and are never spliced into one column.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import json
import math
import numbers
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

import numpy as np

from ._optional import pandas as _pandas
from .errors import AfwegingError, FieldError, UnknownNameError, ValidationError, invalid, unknown, wrong_type

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: The folder of the embedded files (read at call time, so tests can point it elsewhere).
_DATA_DIR: Path = Path(__file__).resolve().parent / "data" / "observed"

#: The files by table name, with how they are read (as the pack's description says to load them).
_TABLES: Dict[str, Tuple[str, Dict[str, Any]]] = {
    "hospital": ("hospital_nl_by_day.csv", {"parse_dates": ["date"], "index_col": "date"}),
    "deaths": ("deaths_nl_by_day.csv", {"parse_dates": ["date"], "index_col": "date"}),
    "cases": ("cases_nl_by_day.csv", {"parse_dates": ["date"], "index_col": "date"}),
    "excess_mortality": ("excess_mortality_nl_weekly.csv", {"parse_dates": ["week_start", "week_end"]}),
    "stringency": ("stringency_nl_oxcgrt.csv", {"parse_dates": ["date"], "index_col": "date"}),
    "measures": ("measures_nl_timeline.csv", {"parse_dates": ["date_announced", "date_in_force"]}),
    "vaccination": ("vaccination_nl_by_week.csv", {"parse_dates": ["date"]}),
    "economy": ("economy_nl_2019_2021.csv", {"dtype": {"period": str}}),
    "admissions_by_age": ("admissions_nl_by_age.csv", {"parse_dates": ["date_from", "date_to"]}),
    "now_applications": ("now_applications_nl_2020.csv", {"parse_dates": ["date_from", "date_to"]}),
}

#: The names :func:`table` knows.
TABLES: Tuple[str, ...] = tuple(_TABLES)

#: The days of :func:`netherlands`: from the first day of the hospital, deaths and cases files to
#: the last day of the deaths and cases files.
FIRST_DAY = "2020-02-27"
LAST_DAY = "2022-12-31"

#: ``nice_status`` of the NICE rows that are final in the 2021-07-15 snapshot (up to 2021-07-01);
#: later rows are still being filled in (reporting delay).
_NICE_FINAL = "final_snapshot_2021-07-15"

#: The columns of :func:`netherlands`: (column, table, source column, NICE (final rows only),
#: unit, source).
_COLUMNS: List[Tuple[str, str, str, bool, str, str]] = [
    (
        "admissions", "hospital", "nice_ward_plus_icu_adm_proven", True, "persons/day",
        "NICE, new admissions with proven COVID-19 to a clinical ward plus to an ICU, by admission date "
        "(hospital_nl_by_day.csv: nice_ward_plus_icu_adm_proven = nice_ward_adm_proven + nice_icu_adm_proven; "
        "2021-07-15 snapshot, final days to 2021-07-01). An upper bound on new hospital patients: a patient "
        "moved from the ward to the ICU counts twice, and from October 2020 the ward intake also counts "
        "re-admissions and transfers",
    ),
    (
        "icu_admissions", "hospital", "nice_icu_adm_proven", True, "persons/day",
        "NICE, new ICU admissions with proven COVID-19, by admission date "
        "(hospital_nl_by_day.csv: nice_icu_adm_proven; 2021-07-15 snapshot, final days to 2021-07-01)",
    ),
    (
        "icu_occupancy", "hospital", "nice_icu_occupancy", True, "persons",
        "NICE, COVID-19 patients in Dutch ICUs (hospital_nl_by_day.csv: nice_icu_occupancy, NICE IC_Current; "
        "2021-07-15 snapshot, final days to 2021-07-01)",
    ),
    (
        "ward_occupancy", "hospital", "nice_ward_occupancy", True, "persons",
        "NICE, COVID-19 patients on clinical (non-ICU) wards (hospital_nl_by_day.csv: nice_ward_occupancy, "
        "NICE Hospital_Currently; 2021-07-15 snapshot, final days to 2021-07-01)",
    ),
    (
        "lcps_icu_occupancy", "hospital", "lcps_icu_occupancy", False, "persons",
        "LCPS, COVID-19 patients in ICU by report date, 2021 vintage to 2021-07-15 "
        "(hospital_nl_by_day.csv: lcps_icu_occupancy, LCPS IC_Bedden_COVID); the later vintage "
        "(lcps_later_vintage_icu_occupancy) is not spliced on: its definition differs",
    ),
    (
        "lcps_ward_occupancy", "hospital", "lcps_ward_occupancy", False, "persons",
        "LCPS, COVID-19 patients in clinical (non-ICU) beds by report date, 2021 vintage to 2021-07-15 "
        "(hospital_nl_by_day.csv: lcps_ward_occupancy, LCPS Kliniek_Bedden); the later vintage "
        "(lcps_later_vintage_ward_occupancy) is not spliced on: its definition differs",
    ),
    (
        "deaths", "deaths", "deaths_new_reported", False, "persons/day",
        "RIVM reported deaths by publication date to 2021-07-15, JHU CSSE from 2021-07-16 "
        "(deaths_nl_by_day.csv: deaths_new_reported); all settings, not only hospital; the four "
        "negative source corrections (2020-07-10, 07-14, 07-18, 2022-05-26) are NaN here",
    ),
    (
        "nursing_home_deaths", "deaths", "nursing_home_deaths_new", False, "persons/day",
        "RIVM, deaths among nursing-home residents by report date, 2020-11-08 .. 2021-07-15 "
        "(deaths_nl_by_day.csv: nursing_home_deaths_new); the one negative correction (2021-05-09) is NaN here",
    ),
    (
        "icu_deaths", "deaths", "nice_icu_deaths_new", True, "persons/day",
        "NICE, deaths of COVID-19 ICU patients by date of registration (deaths_nl_by_day.csv: "
        "nice_icu_deaths_new; 2021-07-15 snapshot, final days to 2021-07-01)",
    ),
    (
        "cases", "cases", "cases_new_reported", False, "persons/day",
        "RIVM positive tests by publication date to 2021-07-15, JHU CSSE (shifted +1 day) from 2021-07-16 "
        "(cases_nl_by_day.csv: cases_new_reported); the meaning changes with the testing policy",
    ),
    (
        "tests", "cases", "ggd_tests_performed", False, "tests/day",
        "GGD test sites, tests performed by test date, 2020-06-01 .. 2021-07-13 "
        "(cases_nl_by_day.csv: ggd_tests_performed); not hospitals or private labs",
    ),
    (
        "stringency", "stringency", "stringency_index_average", False, "index 0-100",
        "OxCGRT v1 stringency_index_average, Netherlands national total "
        "(stringency_nl_oxcgrt.csv: stringency_index_average)",
    ),
]

#: Columns whose values are counts of people, beds or tests, which :func:`check` requires to be
#: ``>= 0``: those of :func:`netherlands` and the model's daily indicators by those names.
COUNT_COLUMNS: Tuple[str, ...] = tuple(c for c, *_ in _COLUMNS if c != "stringency") + (
    "hospital_occupancy",
    "infections",
    "vaccinations",
)


#: Each column's source, for ``attrs``.
_SOURCES: Dict[str, str] = {column: source for column, *_, source in _COLUMNS}


@functools.lru_cache(maxsize=None)
def _checksums(directory: str) -> Dict[str, str]:
    """The expected sha256 of each file of a data folder, from its ``SHA256SUMS``."""
    sums: Dict[str, str] = {}
    for line in (Path(directory) / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            sums[name.lstrip("*")] = digest.lower()
    return sums


def _verified(directory: str, filename: str) -> bytes:
    """The bytes of ``filename``, after checking them against ``SHA256SUMS``."""
    data = (Path(directory) / filename).read_bytes()
    expected = _checksums(directory).get(filename)
    actual = hashlib.sha256(data).hexdigest()
    if expected is None:
        field = f"observed.{filename}"
        raise AfwegingError(
            f"{field}: not listed in {directory}/SHA256SUMS",
            [{"field": field, "message": "not listed in SHA256SUMS", "value": actual}],
        )
    if actual != expected:
        field = f"observed.{filename}"
        message = f"sha256 does not match SHA256SUMS ({expected}); the embedded file was changed or damaged"
        raise AfwegingError(
            f"{field}: {message}, got {actual}", [{"field": field, "message": message, "value": actual}]
        )
    return data


@functools.lru_cache(maxsize=None)
def _read(directory: str, name: str) -> "pd.DataFrame":
    """Table ``name`` of ``directory``, checked and parsed once (callers copy it)."""
    pd = _pandas()
    filename, options = _TABLES[name]
    return pd.read_csv(io.BytesIO(_verified(directory, filename)), **options)


def _known(name: object) -> str:
    if isinstance(name, str) and name in _TABLES:
        return name
    shown = json.dumps(name) if isinstance(name, str) else repr(name)
    valid = ", ".join(_TABLES)
    raise UnknownNameError(
        f"observed.table: unknown table {shown}; valid: {valid}",
        [{"field": "observed.table", "message": "unknown table", "value": shown}],
    )


def _copy(frame: Any) -> Any:
    """A deep copy of a frame or series, its ``attrs`` included (older pandas copy them shallowly)."""
    out = frame.copy(deep=True)
    out.attrs = copy.deepcopy(frame.attrs)
    return out


def table(name: str) -> "pd.DataFrame":
    """A file of the data pack as published: the values and column names are those of the CSV
    (daily files indexed by ``date``; other date columns parsed as dates; integer columns with
    gaps read as float). ``name`` is one of ``hospital``, ``deaths``, ``cases``,
    ``excess_mortality``, ``stringency``, ``measures``, ``vaccination``, ``economy``,
    ``admissions_by_age``, ``now_applications``; any other
    name raises :class:`~afweging.errors.UnknownNameError` listing these. The meaning and source
    of every column is in ``afweging/data/observed/PROVENANCE.md``."""
    return _copy(_read(str(_DATA_DIR), _known(name)))


@functools.lru_cache(maxsize=None)
def _netherlands(directory: str) -> "pd.DataFrame":
    pd = _pandas()
    days = pd.date_range(FIRST_DAY, LAST_DAY, freq="D", name="date")
    hospital = _read(directory, "hospital")
    final = hospital.index[hospital["nice_status"].eq(_NICE_FINAL).to_numpy(dtype=bool)]
    nice_last = final.max()
    columns: Dict[str, Any] = {}
    for column, name, source_column, nice, _unit, _source in _COLUMNS:
        series = _read(directory, name)[source_column].astype("float64")
        if nice:
            series = series[series.index <= nice_last]
        if column in ("deaths", "nursing_home_deaths"):
            series = series.mask(series < 0)  # source corrections: not an observation of that day
        columns[column] = series.reindex(days)
    frame = pd.DataFrame(columns, index=days)
    frame.attrs["sources"] = dict(_SOURCES)
    frame.attrs["units"] = {column: unit for column, _n, _s, _f, unit, _src in _COLUMNS}
    return frame


def netherlands() -> "pd.DataFrame":
    """The observed Dutch epidemic, one row per calendar day from 2020-02-27 to 2022-12-31
    (a ``DatetimeIndex`` named ``date``), float columns named as the model's indicators; NaN where
    the source has no value. ``attrs["sources"]`` gives each column's source and
    ``attrs["units"]`` its unit.

    * ``admissions``: NICE new admissions with proven COVID-19 to a clinical ward **plus** to an
      ICU, by admission date (``nice_ward_plus_icu_adm_proven``). The model admits every patient
      once, to the ward or straight to the ICU, and counts admissions = ward + ICU admissions;
      NICE reports exactly these two entry flows, so ``admissions - icu_admissions`` is the ward
      intake and ``icu_admissions <= admissions`` holds as in a run. The series without the ICU
      part (``nice_ward_adm_proven``, or the patient count ``nice_ward_adm_from_cumulative_diff``)
      would leave out the patients who went straight to the ICU. The price: it is an upper bound
      on new hospital patients, because a patient moved from the ward to the ICU counts twice (a
      transfer the model does not have) and, from October 2020, NICE's ward intake also counts
      re-admissions and transfers (it runs 10-15 % above the ward patient count). Up to
      2021-07-01 it sums to 76,392 (63,698 ward + 12,694 ICU) against 57,777 ward patients by
      NICE's cumulative count: fit the scale of admissions with that in mind, or compare with the
      lower bound ``table("hospital")["nice_ward_adm_from_cumulative_diff"]`` (ward patients
      only, without those admitted straight to the ICU).
    * ``icu_admissions``: NICE new ICU admissions, proven COVID-19, by admission date.
    * ``icu_occupancy``, ``ward_occupancy``: NICE COVID-19 patients in ICU and on clinical wards.
    * ``lcps_icu_occupancy``, ``lcps_ward_occupancy``: the same stocks as reported by LCPS (by
      report date, 2021 vintage, to 2021-07-15). LCPS counts more than NICE in April 2020 (Dutch
      patients in German ICUs, reportedly) and its ward values before mid-April 2020 are
      reconstructions. The later LCPS vintage (2021-06-28 .. 2022-02-19, in ``table("hospital")``)
      is not spliced on: it counts far fewer patients for the same days (a definition change).
    * ``deaths``: reported COVID-19 deaths by publication date, all settings (RIVM to 2021-07-15,
      JHU from 2021-07-16), **not** the model's hospital deaths. The four negative source
      corrections (2020-07-10, 07-14, 07-18: -1, -2, -2; 2022-05-26: -1) are NaN here and kept in
      ``table("deaths")``.
    * ``nursing_home_deaths``: RIVM deaths among nursing-home residents, 2020-11-08 .. 2021-07-15
      (the series starts in November 2020); its one negative correction (2021-05-09: -1) is NaN.
    * ``icu_deaths``: NICE deaths of COVID-19 ICU patients, by date of registration.
    * ``cases``: positive tests by publication date (RIVM, then JHU); its meaning changes with
      the testing policy (only priority groups before 2020-06-01).
    * ``tests``: tests performed at GGD test sites, 2020-06-01 .. 2021-07-13, by test date.
    * ``stringency``: OxCGRT v1 ``stringency_index_average`` (0-100), as :func:`stringency`.

    All NICE columns (``admissions``, ``icu_admissions``, ``icu_occupancy``, ``ward_occupancy``,
    ``icu_deaths``) come from one snapshot taken on 2021-07-15 and stop at 2021-07-01, its last
    final day: the 14 days after it are still incomplete in the snapshot (reporting delay) and
    are NaN here, as is everything after 2021-07-15. No other registry is spliced on after that.
    """
    return _copy(_netherlands(str(_DATA_DIR)))


def stringency() -> "pd.Series":
    """The OxCGRT v1 stringency index of the Netherlands (``stringency_index_average``, 0-100,
    national total), one value per day from 2020-01-01 to 2022-12-31, indexed by ``date``."""
    frame = _read(str(_DATA_DIR), "stringency")
    series = frame["stringency_index_average"].astype("float64").rename("stringency")
    series.attrs = {"source": _SOURCES["stringency"], "unit": "index 0-100"}
    return _copy(series)


def measures() -> "pd.DataFrame":
    """The timeline of the 42 national measure packages, 2020-03 .. 2022-03: ``date_announced``,
    ``date_in_force``, ``direction`` (tighten/relax), ``name_nl``, ``description_en``,
    ``oxcgrt_level_change``, ``source``, ``certainty`` (confirmed/likely/unsure) and ``note``;
    the same as ``table("measures")``."""
    return table("measures")


def economy_netherlands() -> "pd.DataFrame":
    """The Dutch economy 2019-2021 in long format: ``series``, ``period`` (text: ``YYYY``,
    ``YYYYQn``, ``YYYY-MM`` or a span), ``value``, ``unit``, ``source``, ``vintage``, ``quality``
    (exact/approx/derived) and ``note``; GDP, sectors, unemployment, bankruptcies, support
    schemes, Wsnp and public finances. Vintages are mixed: each row names its own. The same as
    ``table("economy")``."""
    return table("economy")


#: The periods of :func:`admissions_by_age`.
AGE_PERIODS: Tuple[str, ...] = ("first_wave_to_2020-04-15", "first_wave", "second_wave_ward")


def admissions_by_age(period: str = "first_wave", bands: Tuple[str, ...] = ()) -> "pd.Series":
    """Hospital admissions by age over a ``period`` of :data:`AGE_PERIODS` (counts), summed from
    the source's 5-year groups into ``bands`` (labels ``"lo-hi"`` or ``"lo+"``, as the
    calibration's ``age_bands``; default the groups as published). A group that straddles a
    band's edge raises :class:`~afweging.errors.ValidationError` (the second wave's NICE groups
    start with ``0-19``: give ``0-19`` or join the bands below 20); an unknown period raises
    :class:`~afweging.errors.UnknownNameError` listing the known ones.

    - ``first_wave`` (2020-02-27 .. 2020-06-01) and ``first_wave_to_2020-04-15``: RIVM's daily
      report, cases notified by the GGDs as admitted to hospital, cumulative on the report date
      (11,744 by 1 June 2020, against 13,816 NICE admissions: notifications are incomplete);
    - ``second_wave_ward``: NICE, patients admitted to a clinical (non-ICU) ward from 4 November
      2020 to 16 January 2021 (the difference of two cumulative snapshots; none by age before
      November was found).

    Sources, commits and checksums in ``afweging/data/observed/PROVENANCE.md``; attrs ``source``,
    ``date_from``, ``date_to``."""
    if not isinstance(period, str) or period not in AGE_PERIODS:
        raise unknown("period", "period", period, list(AGE_PERIODS))
    frame = _read(str(_DATA_DIR), "admissions_by_age")
    rows = frame[frame["period"] == period]
    counts = rows.set_index("age_group")["admissions"].astype("float64")
    if bands:
        counts = _into_bands(counts, tuple(bands))
    counts.index.name = "age_group"
    counts.name = "admissions"
    counts.attrs = {
        "source": str(rows["source"].iloc[0]),
        "date_from": str(rows["date_from"].iloc[0].date()),
        "date_to": str(rows["date_to"].iloc[0].date()),
    }
    return _copy(counts)


def age_range(label: str) -> Optional[Tuple[float, float]]:
    """The ages an age-group label covers: ``"20-29"`` -> (20, 30), ``"80+"`` -> (80, inf);
    ``None`` for a label that is no age range (e.g. the replay's nursing-home residents)."""
    try:
        if label.endswith("+"):
            return float(label[:-1]), math.inf
        lo, hi = label.split("-")
        return float(lo), float(hi) + 1.0
    except ValueError:
        return None


def _into_bands(counts: "pd.Series", bands: Tuple[str, ...]) -> "pd.Series":
    pd = _pandas()
    ranges = [age_range(b) for b in bands]
    if any(r is None for r in ranges):
        raise invalid("bands", "labels must be 'lo-hi' or 'lo+'", list(bands))
    out = dict.fromkeys(bands, 0.0)
    for group, n in counts.items():
        lo, hi = age_range(str(group)) or (math.nan, math.nan)
        inside = [b for b, r in zip(bands, ranges) if r is not None and r[0] <= lo and hi <= r[1]]
        if not inside:
            raise invalid("bands", f"the age group {group} falls in no single band", list(bands))
        out[inside[0]] += float(n)
    return pd.Series(out, dtype="float64")


# --- check -----------------------------------------------------------------------------------


def _day(ts: Any) -> str:
    """A date as ``YYYY-MM-DD`` (with the time when it is not midnight)."""
    if ts.hour == 0 and ts.minute == 0 and ts.second == 0 and ts.microsecond == 0 and ts.nanosecond == 0:
        return str(ts.strftime("%Y-%m-%d"))
    return str(ts.isoformat())


def _shown(value: Any) -> str:
    """A value as text: whole floats without ``.0``, other values as ``repr``."""
    if isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, np.generic):
        return repr(value.item())
    return repr(value)


def _problem(problems: List[FieldError], field: str, message: str, value: str, more: int = 0) -> None:
    if more:
        message = f"{message} (also on {more} more {'day' if more == 1 else 'days'})"
    problems.append({"field": field, "message": message, "value": value})


def _text(problems: List[FieldError]) -> str:
    return "; ".join(f"{p['field']}: {p['message']}, got {p['value']}" for p in problems)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def check(observations: "pd.DataFrame") -> "pd.DataFrame":
    """``observations`` validated for a fit: a copy with float columns and a daily
    ``DatetimeIndex`` named ``date``, or a :class:`~afweging.errors.ValidationError` that lists
    every problem, each naming the column and the date, e.g.
    ``observations.admissions[2020-03-14]: counts must be >= 0, got -3``.

    The rules:

    * the dates are the index (a ``DatetimeIndex``) or a ``date`` column (datetime64; convert
      text with ``pd.to_datetime``), whole days, without time zone and without missing dates;
    * sorted, no date twice, and no day missing between the first and the last: a day that was
      not observed is a row of NaN, not a missing row;
    * every column holds numbers (NaN means not observed; infinities are refused);
    * the count columns (:data:`COUNT_COLUMNS`: ``admissions``, ``icu_admissions``, the
      occupancies, ``deaths``, ``cases``, ``tests``, ...) are ``>= 0``.

    ``attrs`` are kept. ``check(netherlands())`` passes. A ``TypeError`` if ``observations`` is
    not a pandas DataFrame."""
    pd = _pandas()
    if not isinstance(observations, pd.DataFrame):
        raise wrong_type("observations", "a pandas DataFrame", observations)
    problems: List[FieldError] = []
    data = observations
    if isinstance(observations.index, pd.DatetimeIndex):
        where, dates = "observations.index", observations.index
    elif "date" in observations.columns:
        where = "observations.date"
        column = observations["date"]
        if isinstance(column, pd.DataFrame):
            raise _invalid([{"field": where, "message": "must be one column", "value": f"{column.shape[1]} columns"}])
        if not pd.api.types.is_datetime64_any_dtype(column.dtype):
            first = _shown(column.iloc[0]) if len(column) else "no values"
            raise _invalid([{
                "field": where,
                "message": "must be dates (datetime64; convert with pd.to_datetime)",
                "value": f"{column.dtype} values such as {first}",
            }])
        dates = pd.DatetimeIndex(column)
        data = observations.drop(columns="date")
    else:
        index = observations.index
        first = _shown(index[0]) if len(index) else "an empty index"
        raise _invalid([{
            "field": "observations.index",
            "message": "must be dates: a DatetimeIndex (see pd.to_datetime), or a date column",
            "value": f"{type(index).__name__} with values such as {first}",
        }])
    if len(dates) == 0:
        raise _invalid([{"field": where, "message": "must have at least one day", "value": "no rows"}])
    if dates.tz is not None:
        raise _invalid([{"field": where, "message": "must be dates without a time zone", "value": str(dates.tz)}])
    missing = np.flatnonzero(dates.isna())
    if len(missing):
        raise _invalid([{
            "field": f"{where}[row {missing[0]}]",
            "message": "must be a date" + (f" (also {len(missing) - 1} more rows)" if len(missing) > 1 else ""),
            "value": "NaT",
        }])
    timed = np.flatnonzero(dates != dates.normalize())
    if len(timed):
        ts = dates[timed[0]]
        _problem(problems, f"{where}[{_day(ts)}]", "must be whole days (midnight)", _day(ts), len(timed) - 1)
    else:
        _check_days(pd, problems, where, dates)
    values = _check_values(pd, problems, data, dates)
    if problems:
        raise _invalid(problems)
    out = pd.DataFrame(values, index=pd.DatetimeIndex(dates, name="date", freq="D"), columns=data.columns)
    out.attrs = copy.deepcopy(observations.attrs)
    return out


def _invalid(problems: List[FieldError]) -> ValidationError:
    return ValidationError(_text(problems), problems)


def _check_days(pd: Any, problems: List[FieldError], where: str, dates: Any) -> None:
    """Sorted, unique, no day missing."""
    duplicated = dates[dates.duplicated(keep="first")]
    if len(duplicated):
        first = duplicated[0]
        rows = int((dates == first).sum())
        _problem(problems, f"{where}[{_day(first)}]", "a date may occur once", f"{rows} rows",
                 len(duplicated.unique()) - 1)
    step = np.asarray(dates[1:] < dates[:-1])
    back = np.flatnonzero(step)
    if len(back):
        i = back[0] + 1
        _problem(problems, f"{where}[{_day(dates[i])}]", "dates must be in increasing order",
                 f"{_day(dates[i])} after {_day(dates[i - 1])}", len(back) - 1)
    every = pd.date_range(dates.min(), dates.max(), freq="D")
    absent = every.difference(dates)
    if len(absent):
        first = absent[0]
        before = dates[dates < first].max()
        after = dates[dates > first].min()
        _problem(
            problems,
            f"{where}[{_day(first)}]",
            "missing day: the daily index must have no gaps (a row of NaN marks a day not observed)",
            f"a gap from {_day(before)} to {_day(after)}",
            len(absent) - 1,
        )


def _check_values(pd: Any, problems: List[FieldError], data: Any, dates: Any) -> Any:
    """The columns as a float array; numbers only, finite or NaN, counts >= 0."""
    values = np.full(data.shape, np.nan, dtype="float64")
    names = [str(c) for c in data.columns]
    seen: Dict[str, int] = {}
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        if seen[name] == 2:
            _problem(problems, f"observations.{name}", "a column may occur once", f"{names.count(name)} columns")
    for j, name in enumerate(names):
        if seen[name] > 1:
            continue
        field = f"observations.{name}"
        column = data.iloc[:, j]
        kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else None
        if pd.api.types.is_bool_dtype(column.dtype) or kind == "c":
            _problem(problems, field, "must be numbers", f"{column.dtype} values")
            continue
        if pd.api.types.is_numeric_dtype(column.dtype):
            floats = column.to_numpy(dtype="float64", na_value=np.nan)
        else:
            raw = column.to_numpy(dtype=object)
            missing = [pd.api.types.is_scalar(v) and bool(pd.isna(v)) for v in raw]
            bad = [i for i, v in enumerate(raw) if not (missing[i] or _is_number(v))]
            if bad:
                i = bad[0]
                _problem(problems, f"{field}[{_day(dates[i])}]", "must be a number (or NaN)", _shown(raw[i]), len(bad) - 1)
                continue
            floats = np.array([np.nan if gone else float(v) for v, gone in zip(raw, missing)], dtype="float64")
        infinite = np.flatnonzero(np.isinf(floats))
        if len(infinite):
            i = infinite[0]
            _problem(problems, f"{field}[{_day(dates[i])}]", "must be finite (NaN marks a day not observed)",
                     _shown(floats[i]), len(infinite) - 1)
        if name in COUNT_COLUMNS:
            negative = np.flatnonzero(floats < 0)
            if len(negative):
                i = negative[0]
                _problem(problems, f"{field}[{_day(dates[i])}]", "counts must be >= 0", _shown(floats[i]),
                         len(negative) - 1)
        values[:, j] = floats
    return values


__all__ = [
    "COUNT_COLUMNS",
    "FIRST_DAY",
    "LAST_DAY",
    "TABLES",
    "check",
    "economy_netherlands",
    "measures",
    "netherlands",
    "stringency",
    "table",
]
