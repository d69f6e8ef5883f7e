"""Sector plans and measure ladders, packages, trigger policies, the crash test and the OxCGRT
stringency index."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import _core
from ._inputs import JsonSource, _json_text
from .errors import ValidationError

#: Signals a trigger policy can watch, in the order of :attr:`Run.signals` columns, with units.
SIGNALS: List[Tuple[str, str]] = [
    ("hospital_admissions_per_day", "persons/day, 7-day mean"),
    ("icu_admissions_per_day", "persons/day, 7-day mean"),
    ("hospital_admissions_per_100k_per_week", "persons per 100,000 per 7 days"),
    ("icu_occupancy", "persons"),
    ("icu_occupancy_share", "share of scaled-up ICU capacity"),
    ("hospital_occupancy_share", "share of scaled-up clinical capacity"),
]


def _require_pandas() -> Any:
    try:
        import pandas as pd
    except ImportError as err:  # pragma: no cover
        raise ImportError("pandas is needed for this; install it with `pip install afweging[pandas]`") from err
    return pd


class Policy:
    """What governs a run: a static package (one rung per sector plus general measures) or a
    trigger policy (levels that escalate and de-escalate on signals). Made by
    :meth:`SectorPlans.package` and :meth:`SectorPlans.policy`."""

    __slots__ = ("_inner",)

    def __init__(self, inner: _core.Policy) -> None:
        self._inner = inner

    @property
    def name(self) -> str:
        return self._inner.name

    def to_json(self) -> str:
        return self._inner.to_json()

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(self._inner.to_json())  # type: ignore[no-any-return]

    def stringency(self) -> List[float]:
        """OxCGRT stringency index (0-100) of each level's package (one value for a package)."""
        return self._inner.stringency()

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Policy, (self._inner,))

    def __repr__(self) -> str:
        d = self.to_dict()
        if "package" in d:
            return f"Policy(package {d['package']}, stringency {self.stringency()[0]:.1f})"
        t = d["trigger"]
        names = ", ".join(level["name"] for level in t["levels"])
        return f"Policy({t['name']!r}: levels {names}; delay {t['decision_delay_days']} d, minimum {t['min_days_at_level']} d)"


class CrashTest:
    """Result of :meth:`SectorPlans.crash_test`: ``findings`` (incoherences) and ``table`` (what
    applies in each sector at each level of each policy)."""

    __slots__ = ("findings", "table")

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.findings: List[Dict[str, str]] = list(data["findings"])
        self.table: List[Dict[str, Any]] = list(data["table"])

    def findings_frame(self) -> Any:
        """Findings as a pandas frame: kind, location, message."""
        pd = _require_pandas()
        return pd.DataFrame(self.findings, columns=["kind", "location", "message"])

    def to_pandas(self) -> Any:
        """What applies where, as a frame indexed by (policy, level) with a column per sector
        holding the rung name."""
        pd = _require_pandas()
        df = pd.DataFrame(self.table)
        return df.pivot_table(index=["policy", "level"], columns="sector", values="rung_name", aggfunc="first", sort=False)

    def __repr__(self) -> str:
        lines = [f"CrashTest: {len(self.findings)} finding(s)"]
        lines += [f"  [{f['kind']}] {f['location']}: {f['message']}" for f in self.findings]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{f['kind']}</td><td>{f['location']}</td><td>{f['message']}</td></tr>" for f in self.findings
        ) or "<tr><td colspan=3>no incoherence found</td></tr>"
        return f"<b>Crash test</b><table><tr><th>kind</th><th>where</th><th>what</th></tr>{rows}</table>"


class SectorPlans:
    """The sector plans: a catalogue of measures, one ladder of rungs per sector (basis ->
    preventie -> interventie -> noodrem), general measures and named trigger policies.

    >>> plans = SectorPlans.netherlands()
    >>> pkg = plans.package({"horeca": 2})          # unnamed sectors stay at rung 0
    >>> pol = plans.policy("signal-values")
    """

    __slots__ = ("_inner",)

    def __init__(self, inner: _core.SectorPlans) -> None:
        self._inner = inner

    @classmethod
    def netherlands(cls) -> "SectorPlans":
        """The embedded Dutch plans (``data/netherlands/sector_plans.json``)."""
        return cls(_core.SectorPlans.netherlands())

    @classmethod
    def from_json(cls, source: JsonSource) -> "SectorPlans":
        """From a path, a JSON string or a dict; raises :class:`ValidationError` naming bad fields."""
        return cls(_core.SectorPlans.from_json(_json_text(source, "plans")))

    def to_json(self) -> str:
        return self._inner.to_json()

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(self._inner.to_json())  # type: ignore[no-any-return]

    @property
    def sectors(self) -> List[str]:
        return [s["name"] for s in self.to_dict()["sectors"]]

    @property
    def policies(self) -> List[str]:
        return [p["name"] for p in self.to_dict()["policies"]]

    @property
    def general_measures(self) -> List[str]:
        return [g["name"] for g in self.to_dict()["general"]]

    def package(self, rungs: Optional[Mapping[str, Union[int, str]]] = None, general: Sequence[str] = ()) -> Policy:
        """A static package: ``rungs`` maps sector to rung (index, or rung name such as
        ``"interventie"``); unnamed sectors stay at rung 0; ``general`` names general measures."""
        plans = self.to_dict()
        by_name = {s["name"]: [r["name"] for r in s["rungs"]] for s in plans["sectors"]}
        resolved: Dict[str, int] = {}
        for sector, rung in (rungs or {}).items():
            if isinstance(rung, str):
                names = by_name.get(sector)
                if names is None or rung not in names:
                    valid = ", ".join(names) if names else ", ".join(by_name)
                    field = f"package.rungs.{sector}"
                    raise ValidationError(
                        f"{field}: unknown rung {rung!r}; valid: {valid}",
                        [{"field": field, "message": f"unknown rung; valid: {valid}", "value": repr(rung)}],
                    )
                resolved[sector] = names.index(rung)
            elif isinstance(rung, bool) or not isinstance(rung, int) or rung < 0:
                field = f"package.rungs.{sector}"
                raise ValidationError(
                    f"{field}: must be a rung index >= 0 or a rung name, got {rung!r}",
                    [{"field": field, "message": "must be a rung index >= 0 or a rung name", "value": repr(rung)}],
                )
            else:
                resolved[sector] = rung
        text = json.dumps({"rungs": resolved, "general": list(general)})
        return Policy(self._inner.package(text))

    def policy(self, name: Union[str, Mapping[str, Any]], regional: bool = False) -> Policy:
        """A named trigger policy (``"signal-values"``, ``"occupancy"``), or one given as a dict.

        ``regional=True`` (for a calibration with regions): every safety region moves on its own
        indicators, with the same signal values per head (counts such as admissions per day are
        scaled by the region's share of the population); the default is one national level."""
        if not isinstance(regional, bool):
            raise TypeError(f"regional: expected True or False, got {regional!r}")
        if isinstance(name, Mapping):
            return Policy(self._inner.policy_from_json(json.dumps({**name, "regional": regional})))
        return Policy(self._inner.policy(name, regional))

    def regional_packages(
        self,
        regions: Mapping[str, Mapping[str, Any]],
        default: Optional[Mapping[str, Any]] = None,
    ) -> Policy:
        """A static package per safety region: ``regions`` maps a region (code ``"VR13"`` or name)
        to ``{"rungs": {...}, "general": [...]}`` (rung indices); other regions get ``default``
        (no measures when absent). Region names are checked when the model runs."""
        text = json.dumps({"default": dict(default or {}), "regions": {k: dict(v) for k, v in regions.items()}})
        return Policy(self._inner.regional_packages(text))

    def crash_test(self) -> CrashTest:
        """Checks the ladders for incoherence (a higher rung less strict, unknown measures, sectors
        out of step at one policy level) and tabulates what applies where."""
        return CrashTest(json.loads(self._inner.crash_test()))

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (SectorPlans.from_json, (self.to_json(),))

    def __repr__(self) -> str:
        d = self.to_dict()
        return f"SectorPlans({len(d['sectors'])} sectors, {len(d['general'])} general measures, policies {self.policies})"

    def _repr_html_(self) -> str:
        d = self.to_dict()
        width = max(len(s["rungs"]) for s in d["sectors"])
        head = "".join(f"<th>rung {i}</th>" for i in range(width))
        rows = ""
        for s in d["sectors"]:
            cells = "".join(
                f"<td><b>{r['name']}</b><br>contacts {r['contacts_kept']:.0%}, activity {r['activity_kept']:.0%}</td>"
                for r in s["rungs"]
            )
            rows += f"<tr><td>{s['name']}<br><small>{s['label']}</small></td>{cells}</tr>"
        return f"<b>Sector plans</b> (share of contacts and activity kept per rung)<table><tr><th>sector</th>{head}</tr>{rows}</table>"


def stringency_index(levels: Mapping[str, Union[int, Tuple[int, Optional[int]], Mapping[str, Any]]]) -> float:
    """The OxCGRT stringency index (0-100, methodology v3.6) of raw indicator levels, e.g.
    ``{"C1": (3, 1), "C8": (3, None), "H1": 2}``: a value, a (value, flag) pair or
    ``{"value": v, "flag": f}``; flag 1 = general, 0 = targeted; absent indicators count as 0."""
    converted: Dict[str, Dict[str, Any]] = {}
    for code, level in levels.items():
        if isinstance(level, Mapping):
            converted[code] = dict(level)
        elif isinstance(level, tuple):
            value, flag = level
            converted[code] = {"value": value} if flag is None else {"value": value, "flag": flag}
        else:
            converted[code] = {"value": level}
    return _core.stringency_index(json.dumps(converted))
