"""Sector plans and measure ladders, packages, trigger policies, the crash test and the OxCGRT
stringency index."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple, Union

from . import _core
from ._display import details, esc, num, pct, table
from ._inputs import JsonSource, _json_text
from .errors import ValidationError, unknown, wrong_type
from ._optional import pandas as _require_pandas

#: Signals a trigger policy can watch, in the order of :attr:`Run.signals` columns, with units
#: (from the engine's catalogue).
SIGNALS: List[Tuple[str, str]] = list(_core.signals())


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

    def _plans(self) -> Dict[str, Any]:
        return json.loads(self._inner.plans_json())  # type: ignore[no-any-return]

    def _package_cells(self, package: Mapping[str, Any], plans: Mapping[str, Any]) -> List[str]:
        """One cell per sector of the plans: the rung's name (bold above the lowest rung)."""
        cells = []
        for sector in plans["sectors"]:
            k = int(package["rungs"].get(sector["name"], 0))
            name = esc(sector["rungs"][k]["name"]) if k < len(sector["rungs"]) else str(k)
            cells.append(f"<b>{name}</b>" if k > 0 else f"<span style='color:#888'>{name}</span>")
        return cells

    def _repr_html_(self) -> str:
        d = self.to_dict()
        plans = self._plans()
        sectors = [esc(s["name"]) for s in plans["sectors"]]
        labels = {g["name"]: g.get("label", g["name"]) for g in plans["general"]}

        def general(names: Sequence[str]) -> str:
            return ", ".join(f"<span title='{esc(labels.get(n, n))}'>{esc(n)}</span>" for n in names) or "&ndash;"

        stringency = self.stringency()
        if "package" in d:
            pkg = d["package"]
            rows = [[sec, cell] for sec, cell in zip(sectors, self._package_cells(pkg, plans))]
            return (
                f"<b>Package</b> &mdash; OxCGRT stringency {stringency[0]:.1f} (0-100)"
                + table(["sector", "rung"], rows)
                + f"<small>general measures: {general(pkg.get('general', []))}</small>"
            )
        if "regional" in d:
            packages = {"default": d["regional"].get("default", {}), **d["regional"].get("regions", {})}
            rows = [
                [f"<b>{esc(name)}</b>", f"{sv:.1f}"]
                + self._package_cells({"rungs": {}, **pkg}, plans)
                + [f"<small>{general(pkg.get('general', []))}</small>"]
                for (name, pkg), sv in zip(packages.items(), stringency)
            ]
            return "<b>Packages by region</b>" + table(["region", "stringency"] + sectors + ["general measures"], rows, right=[1])
        t = d["trigger"]

        def signals(values: Mapping[str, float]) -> str:
            return "<br>".join(f"{esc(k).replace('_', ' ')} &ge; {v:g}" for k, v in values.items()) or "&ndash;"

        header = ["level", "enter when", "stringency"] + sectors + ["general measures"]
        rows = []
        for level, sv in zip(t["levels"], stringency):
            rows.append(
                [f"<b>{esc(level['name'])}</b>", f"<small>{signals(level['enter_at'])}</small>", f"{sv:.1f}"]
                + self._package_cells(level["package"], plans)
                + [f"<small>{general(level['package'].get('general', []))}</small>"]
            )
        return (
            f"<b>Trigger policy {esc(t['name'])}</b> &mdash; {len(t['levels'])} levels; a decision takes effect after "
            f"{t['decision_delay_days']} days, a level stays at least {t['min_days_at_level']} days; the worst signal "
            "decides; stepping down needs every signal below the level's <i>leave below</i> values"
            + table(header, rows, right=[2])
            + details("description", f"<p style='max-width:60em'>{esc(t.get('description', ''))}</p>")
        )

    def __repr__(self) -> str:
        d = self.to_dict()
        if "package" in d:
            pkg = d["package"]
            raised = ", ".join(f"{k} {v}" for k, v in pkg["rungs"].items() if v) or "every sector at rung 0"
            extra = f"; general {', '.join(pkg.get('general', []))}" if pkg.get("general") else ""
            return f"Policy(package: {raised}{extra}; stringency {self.stringency()[0]:.1f})"
        if "regional" in d:
            named = ", ".join(d["regional"].get("regions", {})) or "none"
            return f"Policy(regional packages: default and {named})"
        t = d["trigger"]
        names = ", ".join(level["name"] for level in t["levels"])
        return f"Policy({t['name']!r}: levels {names}; delay {t['decision_delay_days']} d, minimum {t['min_days_at_level']} d)"


class CrashTest:
    """Result of :meth:`SectorPlans.crash_test`: ``findings`` (incoherences, each a dict with
    ``kind``, ``location`` and ``message``; kinds ``not_monotone``, ``unknown_measure``,
    ``out_of_step`` and ``level_regression``, a policy level milder than the one below) and
    ``table`` (what applies in each sector at each level of each policy)."""

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


class Ladder:
    """One sector's measure ladder (``plans["horeca"]`` or :meth:`SectorPlans.ladder`): rungs from
    prevention to intervention, each with its measures, the share of the sector's contacts and
    activity kept, and an optional capacity limit (persons)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = dict(data)

    @property
    def name(self) -> str:
        return str(self._data["name"])

    @property
    def label(self) -> str:
        return str(self._data.get("label", ""))

    @property
    def rungs(self) -> List[Dict[str, Any]]:
        """The rungs, lowest first: ``name``, ``measures``, ``contacts_kept``, ``activity_kept`` (0-1)
        and ``capacity_limit`` (persons) where set."""
        return [dict(r) for r in self._data["rungs"]]

    def to_dict(self) -> Dict[str, Any]:
        return dict(self._data)

    def to_pandas(self) -> Any:
        """One row per rung: rung, contacts_kept, activity_kept, capacity_limit, measures."""
        pd = _require_pandas()
        return pd.DataFrame(
            [
                {
                    "rung": r["name"],
                    "contacts_kept": r["contacts_kept"],
                    "activity_kept": r["activity_kept"],
                    "capacity_limit": r.get("capacity_limit"),
                    "measures": ", ".join(r["measures"]),
                }
                for r in self._data["rungs"]
            ]
        ).set_index("rung")

    def __repr__(self) -> str:
        steps = ", ".join(f"{r['name']} ({r['contacts_kept']:.0%}/{r['activity_kept']:.0%})" for r in self._data["rungs"])
        return f"Ladder({self.name!r}: {steps}; contacts/activity kept)"

    def _repr_html_(self) -> str:
        d = self._data
        previous: Set[str] = set()
        rows = []
        for k, r in enumerate(d["rungs"]):
            new = [m for m in r["measures"] if m not in previous]
            kept = [m for m in r["measures"] if m in previous]
            measures = ", ".join(f"<b>{esc(m)}</b>" for m in new) + (f" <span style='color:#888'>+ {len(kept)} from below</span>" if kept else "")
            previous = set(r["measures"])
            limit = r.get("capacity_limit")
            rows.append([str(k), f"<b>{esc(r['name'])}</b>", pct(r["contacts_kept"]), pct(r["activity_kept"]), "" if limit is None else f"{limit:g}", measures])
        where = f"{pct(d.get('contact_share', 0))} of {esc(d.get('setting', ''))} contacts"
        if d.get("ages"):
            where = f"the pupils' age bands {', '.join(esc(a) for a in d['ages'])}"
        return (
            f"<b>Ladder {esc(d['name'])}</b> &mdash; {esc(d.get('label', ''))}; holds {where}"
            + table(["", "rung", "contacts kept", "activity kept", "capacity limit (persons)", "measures (new on this rung in bold)"], rows, right=[2, 3, 4])
        )


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
        names = None if isinstance(general, (str, bytes)) else list(general)
        if names is None or not all(isinstance(g, str) for g in names):
            field = "package.general"
            raise ValidationError(
                f"{field}: must be a list of general measure names, got {general!r}",
                [{"field": field, "message": "must be a list of general measure names", "value": repr(general)}],
            )
        text = json.dumps({"rungs": resolved, "general": names})
        return Policy(self._inner.package(text))

    def policy(
        self,
        name: Union[str, Mapping[str, Any]],
        regional: bool = False,
        levers: Optional[Mapping[str, str]] = None,
    ) -> Policy:
        """A named trigger policy (``"signal-values"``, ``"occupancy"``), or one given as a dict.

        ``regional=True`` (for a calibration with regions): every safety region moves on its own
        indicators, with the same signal values per head (counts such as admissions per day are
        scaled by the region's share of the population); the default is one national level.

        ``levers`` maps a preparedness lever (see :attr:`levers`) to the level from which it is in
        force, e.g. ``{"icu_opschaling_2400": "ernstig"}``: the lever is ordered when the policy
        first reaches that level and acts after its lead time; name the first level to order it
        at the start of the run."""
        if not isinstance(regional, bool):
            raise wrong_type("regional", "True or False", regional)
        if isinstance(name, Mapping):
            data = dict(name)
        elif not levers:
            return Policy(self._inner.policy(name, regional))
        else:
            found = [p for p in self.to_dict()["policies"] if p["name"] == name]
            if not found:
                self._inner.policy(name, regional)  # raises the engine's error naming the valid policies
            data = found[0]
        for lever, from_level in (levers or {}).items():
            names = [level["name"] for level in data["levels"]]
            if from_level not in names:
                field = f"levers.{lever}"
                valid = ", ".join(names)
                raise ValidationError(
                    f"{field}: unknown level {from_level!r}; valid: {valid}",
                    [{"field": field, "message": f"unknown level; valid: {valid}", "value": repr(from_level)}],
                )
            for level in data["levels"][names.index(from_level) :]:
                general = level["package"].setdefault("general", [])
                if lever not in general:
                    general.append(lever)
        return Policy(self._inner.policy_from_json(json.dumps({**data, "regional": regional})))

    @property
    def levers(self) -> List[str]:
        """Names of the preparedness levers (ICU and ward scale-up steps, care at home, testing,
        faster vaccination), usable in ``general`` of a package like general measures."""
        prep = self.to_dict().get("preparedness") or {}
        return [lever["name"] for lever in prep.get("levers", [])]

    def preparedness(self) -> Any:
        """The preparedness levers as a frame, one row per lever: ``label``, ``kind``,
        ``lead_time_days`` (days), ``setup_cost`` (EUR per order) and the kind's effect and cost
        figures (beds; EUR per extra bed and per extra bed-day; eligible share and days saved;
        EUR per patient; detected share and days earlier; tests/day and EUR per test; doses/day and
        EUR per dose). The sources are in ``to_dict()["preparedness"]["sources"]``."""
        pd = _require_pandas()
        prep = self.to_dict().get("preparedness") or {}
        rows = []
        for lever in prep.get("levers", []):
            effect = dict(lever["effect"])
            rows.append(
                {
                    "lever": lever["name"],
                    "label": lever["label"],
                    "kind": effect.pop("kind"),
                    "lead_time_days": lever["lead_time_days"],
                    "setup_cost": lever["setup_cost"],
                    **effect,
                }
            )
        return pd.DataFrame(rows).set_index("lever") if rows else pd.DataFrame()

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

    def ladder(self, sector: str) -> Ladder:
        """The measure ladder of one sector (also ``plans[sector]``)."""
        for sec in self.to_dict()["sectors"]:
            if sec["name"] == sector:
                return Ladder(sec)
        raise unknown("sector", "sector", sector, self.sectors)

    def __getitem__(self, sector: str) -> Ladder:
        return self.ladder(sector)

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
        rows = []
        for sec in d["sectors"]:
            cells = [
                f"<b>{esc(r['name'])}</b> {pct(r['contacts_kept'])} / {pct(r['activity_kept'])}"
                for r in sec["rungs"]
            ] + [""] * (width - len(sec["rungs"]))
            where = f"{esc(sec.get('setting', ''))} {pct(sec.get('contact_share', 0))}" if not sec.get("ages") else "pupils"
            rows.append([f"<span title='{esc(sec.get('label', ''))}'>{esc(sec['name'])}</span>", where] + cells)
        policies = ", ".join(esc(p["name"]) for p in d["policies"]) or "&ndash;"
        return (
            f"<b>Sector plans</b> &mdash; {len(d['sectors'])} sectors, {len(d['general'])} general measures, "
            f"{len(d['measures'])} measures in the catalogue; policies: {policies}"
            + table(["sector", "contacts held"] + [f"rung {i}" for i in range(width)], rows)
            + "<small>per rung: contacts kept / activity kept (share of normal). <code>plans[sector]</code> "
            "shows one ladder with its measures; <code>plans.policy(name)</code> a policy; "
            "<code>plans.crash_test()</code> checks the ladders.</small>"
        )


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
