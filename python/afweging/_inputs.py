"""Calibration (country data) and Scenario (the world the measures meet): thin wrappers around the
engine's validated, JSON round-tripping input types."""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Tuple, Union

from . import _core
from ._display import details, esc, num, pct, table
from .errors import ValidationError, invalid, wrong_type

JsonSource = Union[str, "os.PathLike[str]", Mapping[str, Any]]


def _read(path: Path, what: str) -> str:
    """The UTF-8 text of a file; a missing, unreadable or non-UTF-8 file is a ValidationError."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise invalid(what, "no such file", str(path)) from None
    except UnicodeDecodeError as err:
        raise invalid(what, f"is not UTF-8 text (byte {err.start})", str(path)) from None
    except OSError as err:
        raise invalid(what, f"cannot be read ({err.strerror or err})", str(path)) from None


def _json_text(source: JsonSource, what: str) -> str:
    """JSON text from a path, a JSON string or a mapping."""
    if isinstance(source, Mapping):
        try:
            return json.dumps(source)
        except (TypeError, ValueError, RecursionError) as err:
            raise invalid(what, f"cannot be written as JSON ({err})", type(source).__name__) from None
    if isinstance(source, os.PathLike):
        return _read(Path(source), what)
    if isinstance(source, str):
        if source.lstrip().startswith("{"):
            return source
        path = Path(source)
        if path.is_file():
            return _read(path, what)
        raise ValidationError(
            f"{what}: not a JSON object and not an existing file, got {source!r}",
            [{"field": what, "message": "not a JSON object and not an existing file", "value": repr(source)}],
        )
    raise wrong_type(what, "a path, a JSON string or a dict", source)


def _unique_keys(pairs: List[Tuple[str, Any]]) -> Dict[str, Any]:
    """``object_pairs_hook`` of :func:`load_json`: a key given twice in one object is an error."""
    out: Dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


class _DuplicateKey(ValueError):
    pass


def load_json(source: JsonSource, what: str) -> Any:
    """Parses JSON from a path, a JSON string or a mapping as the engine does: a key twice in one
    object, invalid syntax, NaN or nesting too deep for Python is a :class:`ValidationError`
    naming ``what``."""
    text = _json_text(source, what)

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=constant)
    except _DuplicateKey as err:
        raise invalid(what, "has a key given twice in one object (JSON keys must be unique)", str(err.args[0])) from None
    except json.JSONDecodeError as err:
        message = f"is not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})"
        raise invalid(what, message, text[:80]) from None
    except (ValueError, RecursionError) as err:
        raise invalid(what, f"is not valid JSON ({err or 'nested too deeply'})", text[:80]) from None


def _replaced(data: Dict[str, Any], changes: Mapping[str, Any], root: str) -> Dict[str, Any]:
    """``data`` with each dotted path in ``changes`` set to its value; unknown paths are errors."""
    for path, value in changes.items():
        node = data
        *parents, leaf = path.split(".")
        for key in parents:
            node = node.get(key) if isinstance(node, dict) else None  # type: ignore[assignment]
        if not isinstance(node, dict) or leaf not in node:
            field = f"{root}.{path}"
            raise ValidationError(
                f"{field}: no such field", [{"field": field, "message": "no such field", "value": ""}]
            )
        node[leaf] = value
    return data


def _sources_html(sources: Mapping[str, Mapping[str, Any]], summary: str = "sources") -> str:
    rows = (
        [esc(key), esc(s.get("source", "")), esc(s.get("year", "")), "yes" if s.get("assumption") else ""]
        for key, s in sources.items()
    )
    return details(summary, table(["field", "source", "year", "assumption"], rows))


def _start_state(initial: Mapping[str, Any]) -> str:
    """The state at day 0 in a few words: infected, and patients when there are any."""
    p = initial.get("prevalence")
    text = (
        f"infected by band {', '.join(f'{v:g}' for v in initial['infected'])}"
        if p is None
        else f"prevalence {pct(p)}" if p >= 0.01 else f"prevalence {p:g}"
    )
    patients = initial.get("patients") or {}
    if patients.get("ward") or patients.get("icu"):
        text += f"; {patients['ward']:,.0f} on the ward, {patients['icu']:,.0f} in ICU"
    return text


class Calibration:
    """Country data: population by age band, contacts by setting, severity by age, lengths of stay,
    care capacity and remaining life expectancy, every default figure with its source.

    >>> cal = Calibration.netherlands()
    >>> cal.age_bands[0], cal.age_bands[-1]
    ('0-9', '80+')
    """

    __slots__ = ("_inner",)

    def __init__(self, inner: _core.Calibration) -> None:
        self._inner = inner

    @classmethod
    def netherlands(cls, regions: bool = False) -> "Calibration":
        """The embedded default for the Netherlands (``data/netherlands/calibration.json``).

        ``regions=True`` adds the 25 safety regions (``data/netherlands/regions.json``: population,
        mixing between regions, capacity per region, national patient spreading); runs then have
        results by region. The national model (the default) is the one-region special case."""
        if not isinstance(regions, bool):
            raise wrong_type("regions", "True or False", regions)
        return cls(_core.Calibration.netherlands(regions))

    @property
    def regions(self) -> List[str]:
        """Names of the safety regions (empty for the national model)."""
        return self._inner.regions

    @classmethod
    def from_json(cls, source: JsonSource) -> "Calibration":
        """From a path, a JSON string or a dict; raises :class:`ValidationError` naming bad fields."""
        return cls(_core.Calibration.from_json(_json_text(source, "calibration")))

    def to_json(self) -> str:
        return self._inner.to_json()

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(self._inner.to_json())  # type: ignore[no-any-return]

    @property
    def age_bands(self) -> List[str]:
        return self._inner.age_bands

    @property
    def population(self) -> List[float]:
        """Persons per age band."""
        return list(self.to_dict()["population"])

    @property
    def sources(self) -> Dict[str, Dict[str, Any]]:
        """Provenance of every figure, keyed by field path: ``source``, ``year``, ``assumption``, ``note``."""
        return dict(self.to_dict()["sources"])

    def replace(self, **changes: Any) -> "Calibration":
        """A copy with fields replaced (validated); nested fields by dotted name:
        ``cal.replace(**{"capacity.icu_scaled": 1700})``."""
        return Calibration.from_json(_replaced(self.to_dict(), changes, "calibration"))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Calibration) and self.to_dict() == other.to_dict()

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Calibration.from_json, (self.to_json(),))

    def __repr__(self) -> str:
        d = self.to_dict()
        return (
            f"Calibration({d['name']!r}, {len(d['age_bands'])} age bands, "
            f"population {sum(d['population']):,.0f})"
        )

    def _repr_html_(self) -> str:
        d = self.to_dict()
        sev, cap, stays = d["severity"], d["capacity"], d["stays"]
        bands = d["age_bands"]
        contacts = [sum(sum(d["contacts"][k][i]) for k in ("home", "school", "work", "community")) for i in range(len(bands))]
        rows: List[Tuple[str, str, List[float], Callable[[float], str]]] = [
            ("population", "persons", d["population"], num),
            ("contacts", "per person per day", contacts, lambda x: f"{x:.1f}"),
            ("P(admission | infection)", "", sev["p_hospital_given_infection"], lambda x: f"{x:.4f}"),
            ("P(ICU | admission)", "", sev["p_icu_given_admission"], lambda x: f"{x:.3f}"),
            ("P(death | admission)", "", sev["p_death_given_admission"], lambda x: f"{x:.3f}"),
            ("life expectancy", "years", d["life_expectancy"], lambda x: f"{x:.1f}"),
        ]
        body = table(
            ["", "unit"] + [esc(b) for b in bands],
            ([esc(label), esc(unit)] + [fmt(v) for v in values] for label, unit, values, fmt in rows),
            right=range(2, 2 + len(bands)),
        )
        n_sources = len(d["sources"])
        assumed = sum(1 for v in d["sources"].values() if v.get("assumption"))
        return (
            f"<b>Calibration {esc(d['name'])}</b> &mdash; {len(bands)} age bands, population "
            f"{sum(d['population']):,.0f}"
            + body
            + f"<small>COVID-19 beds (persons): clinical {cap['hospital_normal']:,.0f} normal / "
            f"{cap['hospital_scaled']:,.0f} scaled up; ICU {cap['icu_normal']:,.0f} / {cap['icu_scaled']:,.0f}. "
            f"Mean stay: ward {stays['ward_days']:g} d, ICU {stays['icu_days']:g} d. "
            f"ICU overflow mortality {sev['p_death_icu_overflow']:g}.</small>"
            + _sources_html(d["sources"], f"sources ({n_sources} fields, {assumed} assumptions)")
        )


class Scenario:
    """A scenario: the variant (R0, periods, severity, immune escape), seasonality, immunity at the
    start, waning and vaccination campaigns.

    Presets mirror the Dutch long-term scenarios: ``gunstig`` (favourable), ``centraal`` (central),
    ``ongunstig`` (unfavourable), ``zeer_ongunstig`` (very unfavourable).
    """

    __slots__ = ("_inner",)

    def __init__(self, inner: _core.Scenario) -> None:
        self._inner = inner

    @classmethod
    def preset(cls, name: str) -> "Scenario":
        """A preset by name; an unknown name raises :class:`ValidationError` listing the valid ones."""
        return cls(_core.Scenario.preset(name))

    @staticmethod
    def presets() -> List[str]:
        """Names of the presets, from favourable to very unfavourable."""
        return _core.Scenario.preset_names()

    @classmethod
    def from_json(cls, source: JsonSource) -> "Scenario":
        """From a path, a JSON string or a dict; raises :class:`ValidationError` naming bad fields."""
        return cls(_core.Scenario.from_json(_json_text(source, "scenario")))

    def to_json(self) -> str:
        return self._inner.to_json()

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(self._inner.to_json())  # type: ignore[no-any-return]

    @property
    def name(self) -> str:
        return self._inner.name

    def starting_on(self, date: Union[str, "_dt.date"]) -> "Scenario":
        """The same scenario dated: day 0 is ``date`` (ISO text or a date), whose day of the year
        drives seasonality; timelines, stays by date, transmission factors and imports are placed
        by it."""
        day = _dt.date.fromisoformat(date) if isinstance(date, str) else date
        data = self.to_dict()
        data["start_date"] = day.isoformat()
        data["start_day_of_year"] = day.timetuple().tm_yday
        return Scenario.from_json(data)

    def replace(self, **changes: Any) -> "Scenario":
        """A copy with fields replaced (validated). Nested fields by dotted name in a dict:
        ``sc.replace(**{"variant.r0": 3.0, "seasonality.amplitude": 0})``."""
        return Scenario.from_json(_replaced(self.to_dict(), changes, "scenario"))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scenario) and self.to_dict() == other.to_dict()

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Scenario.from_json, (self.to_json(),))

    def __repr__(self) -> str:
        v = self.to_dict()["variant"]
        return (
            f"Scenario({self.name!r}: R0 {v['r0']}, severity x{v['severity']}, "
            f"immune escape {v['immune_escape']:.0%})"
        )

    def _repr_html_(self) -> str:
        d = self.to_dict()
        v, season, imm, vac = d["variant"], d["seasonality"], d["immunity"], d["vaccine"]
        facts = [
            ("variant", esc(v.get("name", "")), ""),
            ("R0", f"{v['r0']:g}", "basic reproduction number"),
            ("generation", f"{v['latent_days']:g} + {v['infectious_days']:g}", "days latent + infectious"),
            ("severity", f"x {v['severity']:g}", "admission risk per infection against the reference"),
            ("ICU ratio / fatality ratio", f"x {v['icu_ratio']:g} / x {v['fatality_ratio']:g}", "against the reference"),
            ("immune escape", pct(v["immune_escape"]), "of immunity from before the run"),
            ("seasonality", f"&plusmn;{pct(season['amplitude'])}", f"peak on day of year {season['peak_day_of_year']:g}"),
            ("start", str(d["start_date"]) if d.get("start_date") else f"day of year {d['start_day_of_year']:g}", _start_state(d["initial"])),
            ("immunity after infection", pct(imm["infection_protection"]), f"wanes in {imm['waning_days']:g} d on average"),
            ("vaccine", f"{pct(vac['infection_efficacy'])} / {pct(vac['severe_efficacy'])}", f"against infection / severe disease; wanes in {vac['waning_days']:g} d"),
        ]
        for c in d["campaigns"]:
            facts.append(
                ("campaign", esc(c["name"]), f"from day {c['start_day']:g}, {c['doses_per_day']:,.0f} doses/day, {esc(c['priority']).replace('_', ' ')}")
            )
        b = d.get("behaviour")
        if b:
            state = "coupled" if b["feedback"] else f"fixed compliance {b['fixed_compliance']:g}"
            facts.append(
                ("behaviour", state, f"baseline compliance {pct(b['baseline_compliance'])}, support {pct(b['baseline_support'])}, voluntary distancing up to {pct(b['voluntary_max'])}")
            )
        else:
            facts.append(("behaviour", "none", "no behavioural model"))
        body = table(None, ([f"<b>{a}</b>", b_, f"<small>{c}</small>"] for a, b_, c in facts))
        return (
            f"<b>Scenario {esc(d['name'])}</b><p style='max-width:60em'>{esc(d['description'])}</p>"
            + body
            + _sources_html(d["sources"], f"sources ({len(d['sources'])} fields)")
        )
