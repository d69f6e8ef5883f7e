"""Calibration (country data) and Scenario (the world the measures meet): thin wrappers around the
engine's validated, JSON round-tripping input types."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, List, Mapping, Union

from . import _core
from .errors import ValidationError

JsonSource = Union[str, "os.PathLike[str]", Mapping[str, Any]]


def _json_text(source: JsonSource, what: str) -> str:
    """JSON text from a path, a JSON string or a mapping."""
    if isinstance(source, Mapping):
        return json.dumps(source)
    if isinstance(source, os.PathLike):
        return Path(source).read_text(encoding="utf-8")
    if isinstance(source, str):
        if source.lstrip().startswith("{"):
            return source
        path = Path(source)
        if path.is_file():
            return path.read_text(encoding="utf-8")
        raise ValidationError(
            f"{what}: not a JSON object and not an existing file, got {source!r}",
            [{"field": what, "message": "not a JSON object and not an existing file", "value": repr(source)}],
        )
    raise TypeError(f"{what}: expected a path, a JSON string or a dict, got {type(source).__name__}")


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


def _sources_html(sources: Mapping[str, Mapping[str, Any]]) -> str:
    rows = "".join(
        f"<tr><td>{key}</td><td>{s.get('source', '')}</td><td>{s.get('year', '')}</td>"
        f"<td>{'yes' if s.get('assumption') else ''}</td></tr>"
        for key, s in sources.items()
    )
    return (
        "<details><summary>sources</summary><table><tr><th>field</th><th>source</th><th>year</th>"
        f"<th>assumption</th></tr>{rows}</table></details>"
    )


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
            raise TypeError(f"regions: expected True or False, got {regions!r}")
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
        sev = d["severity"]
        head = "".join(f"<th>{b}</th>" for b in d["age_bands"])

        def row(label: str, values: List[float], fmt: str) -> str:
            return f"<tr><td>{label}</td>" + "".join(f"<td>{v:{fmt}}</td>" for v in values) + "</tr>"

        return (
            f"<b>Calibration {d['name']}</b> &mdash; population {sum(d['population']):,.0f}"
            f"<table><tr><th></th>{head}</tr>"
            + row("population (persons)", d["population"], ",.0f")
            + row("P(admission | infection)", sev["p_hospital_given_infection"], ".4f")
            + row("P(ICU | admission)", sev["p_icu_given_admission"], ".3f")
            + row("P(death | admission)", sev["p_death_given_admission"], ".3f")
            + "</table>"
            + f"capacity (beds): clinical {d['capacity']['hospital_normal']:,.0f} normal / "
            f"{d['capacity']['hospital_scaled']:,.0f} scaled; ICU {d['capacity']['icu_normal']:,.0f} / "
            f"{d['capacity']['icu_scaled']:,.0f}"
            + _sources_html(d["sources"])
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
        v = d["variant"]
        rows = "".join(
            f"<tr><td>{k}</td><td>{val}</td></tr>" for k, val in v.items()
        )
        return (
            f"<b>Scenario {d['name']}</b><p>{d['description']}</p>"
            f"<table><tr><th>variant</th><th></th></tr>{rows}</table>"
            f"seasonality amplitude {d['seasonality']['amplitude']}, "
            f"{len(d['campaigns'])} vaccination campaign(s)" + _sources_html(d["sources"])
        )
