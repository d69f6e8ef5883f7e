"""The report: one self-contained HTML file that weighs alternatives over scenarios on the four
dimensions of the reference framework, from the embedded Dutch data or from JSON inputs.

``afweging report`` (or ``python -m afweging report``) writes it; :func:`write_report` does the same
from Python. The report is built from an :func:`afweging.assess` assessment and the runs behind it:
summary, scorecard, monetised costs with the valuation behind them, opportunity costs, the decision
tree, multi-criteria analysis with weight sensitivity, care load against capacity per alternative,
who bears the cost, the acute-phase checklist, and the inputs with their provenance. Figures are
embedded as PNG, so the file needs nothing else to be read or mailed.

Input files (JSON):

``--scenarios``
    ``{"centraal": 0.5, "ongunstig": 0.5}`` (presets with their probabilities), or per scenario
    ``{"probability": 0.5, "preset": "centraal"}`` or ``{"probability": 0.5, "scenario": {...}}``
    (a whole scenario, as ``Scenario.to_json`` writes it).
``--alternatives``
    per alternative: ``null`` (no measures), ``{"policy": "signal-values"}`` (a trigger policy of
    the plans by name, or the policy itself as an object), or ``{"package": {"horeca": 2}}`` with
    optional ``"general": ["mondkapjes"]`` (one rung per sector, by index or name).
``--calibration``, ``--plans``, ``--valuation``
    as written by ``Calibration.to_json``, ``SectorPlans.to_json`` and ``Valuation.to_json``.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import __version__
from ._inputs import Calibration, JsonSource, Scenario, _json_text
from .errors import ValidationError
from .plans import Policy, SectorPlans

#: The sections of a report, in order: (id, title).
SECTIONS: Tuple[Tuple[str, str], ...] = (
    ("summary", "Summary"),
    ("scorecard", "Scorecard: the four dimensions in natural units"),
    ("costs", "Costs: the dimensions in euros"),
    ("opportunity-cost", "Opportunity cost against the best alternative"),
    ("decision-tree", "Decision tree over the scenarios"),
    ("mcda", "Multi-criteria analysis and weight sensitivity"),
    ("care-load", "Care load against capacity"),
    ("groups", "Who bears the cost"),
    ("checklist", "Acute-phase checklist"),
    ("inputs", "Inputs and provenance"),
)

#: What the report weighs when no JSON says otherwise.
DEFAULT_SCENARIOS: Dict[str, float] = {"gunstig": 0.3, "centraal": 0.4, "ongunstig": 0.2, "zeer_ongunstig": 0.1}


def _fail(field: str, message: str, value: Any) -> ValidationError:
    shown = value if isinstance(value, str) else json.dumps(value)
    return ValidationError(f"{field}: {message}, got {shown}", [{"field": field, "message": message, "value": shown}])


def _load_object(source: JsonSource, field: str) -> Dict[str, Any]:
    try:
        data = json.loads(_json_text(source, field))
    except json.JSONDecodeError as err:
        raise _fail(field, f"is not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})", str(source)) from None
    if not isinstance(data, dict) or not data:
        raise _fail(field, "must be a non-empty JSON object", data)
    return data


def load_scenarios(source: Union[JsonSource, None] = None) -> Dict[str, Tuple[Scenario, float]]:
    """Scenarios with their probabilities, from JSON (see the module docs) or the defaults."""
    data: Mapping[str, Any] = DEFAULT_SCENARIOS if source is None else _load_object(source, "scenarios")
    out: Dict[str, Tuple[Scenario, float]] = {}
    for name, spec in data.items():
        field = f"scenarios.{name}"
        if isinstance(spec, (int, float)) and not isinstance(spec, bool):
            out[name] = (Scenario.preset(name), float(spec))
            continue
        if not isinstance(spec, dict) or "probability" not in spec:
            raise _fail(field, "must be a probability or an object with a probability", spec)
        p = spec["probability"]
        if isinstance(p, bool) or not isinstance(p, (int, float)):
            raise _fail(f"{field}.probability", "must be a number", p)
        if "scenario" in spec:
            scenario = Scenario.from_json(spec["scenario"])
        else:
            scenario = Scenario.preset(spec.get("preset", name))
        out[name] = (scenario, float(p))
    return out


def load_alternatives(plans: SectorPlans, source: Union[JsonSource, None] = None) -> Dict[str, Optional[Policy]]:
    """Alternatives by name, from JSON (see the module docs) or the defaults: no measures, the
    Dutch trigger policies, and a package with the highest rung in every sector."""
    if source is None:
        alternatives: Dict[str, Optional[Policy]] = {"no measures": None}
        for name in plans.policies:
            alternatives[name] = plans.policy(name)
        top = {s["name"]: len(s["rungs"]) - 1 for s in plans.to_dict()["sectors"]}
        alternatives["lockdown"] = plans.package(top)
        return alternatives
    out: Dict[str, Optional[Policy]] = {}
    for name, spec in _load_object(source, "alternatives").items():
        field = f"alternatives.{name}"
        if spec is None:
            out[name] = None
        elif isinstance(spec, dict) and set(spec) == {"policy"}:
            out[name] = plans.policy(spec["policy"])
        elif isinstance(spec, dict) and "package" in spec and set(spec) <= {"package", "general"}:
            rungs, general = spec["package"], spec.get("general", [])
            if not isinstance(rungs, dict):
                raise _fail(f"{field}.package", "must be an object of sector: rung", rungs)
            if not isinstance(general, list):
                raise _fail(f"{field}.general", "must be a list of general measure names", general)
            out[name] = plans.package(rungs, general)
        else:
            raise _fail(field, 'must be null, {"policy": ...} or {"package": {...}, "general": [...]}', spec)
    return out


class _Checker(HTMLParser):
    """Well-formedness of the report: every non-void element closed, in order."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: List[str] = []
        self.problems: List[str] = []
        self.ids: List[str] = []

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        self.ids += [v for k, v in attrs if k == "id" and v]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}> at {self.getpos()}")
        else:
            self.stack.pop()


def check_html(text: str) -> List[str]:
    """The problems found in a report's HTML (empty when it is well formed and has every section)."""
    checker = _Checker()
    checker.feed(text)
    checker.close()
    problems = list(checker.problems)
    if checker.stack:
        problems.append(f"unclosed elements: {checker.stack}")
    problems += [f"missing section {sid!r}" for sid, _ in SECTIONS if sid not in checker.ids]
    return problems


def _figure(fig: Any, alt: str) -> str:
    """A matplotlib figure as an embedded PNG (the figure is closed)."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"></figure>'


def _esc(x: Any) -> str:
    return html.escape(str(x))
