"""The valuation that monetises impacts (named, sourced values and the rules that use them) and
the questions of the acute-phase checklist. Both are engine types (``afweging._core``) with JSON
round trips; this module adds overrides, tables and display."""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Union

from . import _core
from ._inputs import Calibration, JsonSource, _json_text
from .errors import ValidationError
from ._optional import pandas as _pandas

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .run import Run


def _number(value: float, unit: str) -> str:
    if unit.startswith("EUR/") and unit != "EUR/EUR":
        return f"{value:,.2f}" if value < 10_000 else f"{value:,.0f}"
    return f"{value:g}"


class Valuation:
    """Named values with units and sources (EUR per QALY by severity tier, per healthy life year,
    per bed-day; weights on euros such as value added and subsidies; the discount rate) and the
    rules that price each impact indicator with them::

        EUR(indicator) = quantity x product of the rule's values  (x re-discounting)

    >>> val = Valuation.netherlands()
    >>> val.values["qaly_value_high"]
    80000.0
    >>> val.with_values(fiscal_cost_weight=1.0).values["fiscal_cost_weight"]
    1.0
    """

    __slots__ = ("_inner",)

    def __init__(self, inner: _core.Valuation) -> None:
        self._inner = inner

    @classmethod
    def netherlands(cls) -> "Valuation":
        """The embedded Dutch valuation (``data/netherlands/valuation.json``)."""
        return cls(_core.Valuation.netherlands())

    @classmethod
    def from_json(cls, source: JsonSource) -> "Valuation":
        """From a path, a JSON string or a dict; raises :class:`ValidationError` naming bad fields."""
        return cls(_core.Valuation.from_json(_json_text(source, "valuation")))

    def to_json(self) -> str:
        return self._inner.to_json()

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(self._inner.to_json())  # type: ignore[no-any-return]

    @property
    def values(self) -> Dict[str, float]:
        """Value name -> number (in its unit, see :meth:`table`)."""
        return {k: float(v["value"]) for k, v in self.to_dict()["values"].items()}

    @property
    def rules(self) -> Dict[str, List[str]]:
        """Indicator -> the value names whose product prices it."""
        return {r["indicator"]: list(r["values"]) for r in self.to_dict()["rules"]}

    @property
    def not_monetised(self) -> Dict[str, str]:
        """Indicator -> why it stays in natural units."""
        return dict(self.to_dict()["not_monetised"])

    def with_values(self, **changes: float) -> "Valuation":
        """A copy with values replaced by name, validated:
        ``val.with_values(qaly_value_high=100_000, discount_rate=0.04)``."""
        return Valuation(self._inner.with_values({k: float(v) for k, v in changes.items()}))

    def with_rules(self, **rules: Union[str, Sequence[str], None]) -> "Valuation":
        """A copy with the rule of each named indicator replaced: a value name, a list of value
        names (multiplied), or ``None`` to leave the indicator unmonetised. Tiers are overridden
        this way: ``val.with_rules(mental_health_qalys_lost="qaly_value_high")``."""
        data = self.to_dict()
        known = {r["indicator"]: r for r in data["rules"]}
        for indicator, values in rules.items():
            if values is None:
                if indicator not in known:
                    field = f"valuation.rules.{indicator}"
                    raise ValidationError(
                        f"{field}: no rule to remove", [{"field": field, "message": "no rule to remove", "value": ""}]
                    )
                data["rules"] = [r for r in data["rules"] if r["indicator"] != indicator]
                data["not_monetised"][indicator] = "left out by the analyst"
                continue
            names = [values] if isinstance(values, str) else list(values)
            if indicator in known:
                known[indicator]["values"] = names
            else:
                data["rules"].append({"indicator": indicator, "values": names})
                data["not_monetised"].pop(indicator, None)
        return Valuation.from_json(data)

    def monetise(self, run: "Run", calibration: Calibration) -> "pd.DataFrame":
        """The monetised figures of one run (its calibration re-discounts earnings): one row per
        indicator with quantity, unit, the values used, the price (EUR per unit) and EUR."""
        data = json.loads(self._inner.monetise(run._inner, calibration._inner))
        return lines_frame(data["lines"])

    def table(self) -> "pd.DataFrame":
        """The values: name, value, unit, description, source, year, assumption, used by (the
        indicators whose rule uses the value)."""
        pd = _pandas()
        d = self.to_dict()
        used: Dict[str, List[str]] = {}
        for r in d["rules"]:
            for v in r["values"]:
                used.setdefault(v, []).append(r["indicator"])
            if r.get("rediscount"):
                used.setdefault("discount_rate", []).append(r["indicator"])
        rows = [
            (
                name,
                v["value"],
                v["unit"],
                v["description"],
                v["source"]["source"],
                v["source"].get("year"),
                bool(v["source"].get("assumption", False)),
                ", ".join(used.get(name, [])),
            )
            for name, v in d["values"].items()
        ]
        return pd.DataFrame(
            rows, columns=["name", "value", "unit", "description", "source", "year", "assumption", "used_by"]
        ).set_index("name")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Valuation) and self.to_dict() == other.to_dict()

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Valuation.from_json, (self.to_json(),))

    def __repr__(self) -> str:
        d = self.to_dict()
        lines = [f"Valuation({d['currency']}: {len(d['values'])} values, {len(d['rules'])} rules)"]
        for name, v in d["values"].items():
            lines.append(f"  {name:<20} {_number(v['value'], v['unit']):>10} {v['unit']}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        d = self.to_dict()
        rows = "".join(
            f"<tr title='{html.escape(v['source']['source'])}'><td>{html.escape(name)}</td>"
            f"<td style='text-align:right'>{_number(v['value'], v['unit'])}</td><td>{html.escape(v['unit'])}</td>"
            f"<td>{html.escape(v['description'])}</td><td>{v['source'].get('year', '')}"
            f"{' (assumption)' if v['source'].get('assumption') else ''}</td></tr>"
            for name, v in d["values"].items()
        )
        rules = "".join(
            f"<tr><td>{html.escape(r['indicator'])}</td><td>{html.escape(' × '.join(r['values']))}"
            f"{' × re-discounting' if r.get('rediscount') else ''}</td></tr>"
            for r in d["rules"]
        )
        return (
            "<b>Valuation</b> (hover a value for its source)"
            "<table><tr><th>value</th><th></th><th>unit</th><th>what</th><th>year</th></tr>"
            f"{rows}</table><details><summary>rules: indicator → values</summary><table>{rules}</table></details>"
        )


def lines_frame(lines: Sequence[Mapping[str, Any]]) -> "pd.DataFrame":
    """Monetised lines as a frame (one row per line)."""
    pd = _pandas()
    return pd.DataFrame(
        [
            (l["dimension"], l["indicator"], l["quantity"], l["unit"], " × ".join(l["values"]), l["price"], l["rediscount"], l["eur"])
            for l in lines
        ],
        columns=["dimension", "indicator", "quantity", "unit", "values", "price_eur_per_unit", "rediscount", "eur"],
    )


class Checklist:
    """The questions of the acute-phase checklist, grouped by the four dimensions: how each is
    answered from a run (``metric``), the unit of the evidence and the threshold that makes the
    answer "yes", with its source. Filled by :func:`afweging.assess` (see
    :class:`afweging.assess.ChecklistAnswers`)."""

    __slots__ = ("_inner",)

    def __init__(self, inner: _core.Checklist) -> None:
        self._inner = inner

    @classmethod
    def netherlands(cls) -> "Checklist":
        """The embedded checklist (``data/netherlands/checklist.json``)."""
        return cls(_core.Checklist.netherlands())

    @classmethod
    def from_json(cls, source: JsonSource) -> "Checklist":
        return cls(_core.Checklist.from_json(_json_text(source, "checklist")))

    def to_json(self) -> str:
        return self._inner.to_json()

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(self._inner.to_json())  # type: ignore[no-any-return]

    @property
    def questions(self) -> List[Dict[str, Any]]:
        return list(self.to_dict()["questions"])

    @property
    def ids(self) -> List[str]:
        return [q["id"] for q in self.questions]

    def with_thresholds(self, **thresholds: Optional[float]) -> "Checklist":
        """A copy with thresholds replaced by question id (``None`` drops the threshold, so the
        answer becomes the figure)."""
        data = self.to_dict()
        for qid, value in thresholds.items():
            q = data["questions"][self._inner.index(qid)]
            if value is None:
                q.pop("threshold", None)
                q.pop("yes_when", None)
            else:
                q["threshold"] = float(value)
                q.setdefault("yes_when", "above")
        return Checklist.from_json(data)

    def to_pandas(self) -> "pd.DataFrame":
        """One row per question: dimension, id, question, metric, unit, threshold, yes_when, source."""
        pd = _pandas()
        rows = [
            (
                q["dimension"],
                q["id"],
                q["question"],
                q["metric"]["kind"],
                q["unit"],
                q.get("threshold"),
                q.get("yes_when"),
                (q.get("source") or {}).get("source", ""),
            )
            for q in self.questions
        ]
        return pd.DataFrame(rows, columns=["dimension", "id", "question", "metric", "unit", "threshold", "yes_when", "source"])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Checklist) and self.to_dict() == other.to_dict()

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Checklist.from_json, (self.to_json(),))

    def __repr__(self) -> str:
        lines = [f"Checklist({len(self.questions)} questions)"]
        lines += [f"  [{q['dimension']}] {q['id']}: {q['question']}" for q in self.questions]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(q['dimension'])}</td><td>{html.escape(q['question'])}</td>"
            f"<td>{html.escape(q['unit'])}</td><td>{'' if q.get('threshold') is None else q['yes_when'] + ' ' + format(q['threshold'], 'g')}</td></tr>"
            for q in self.questions
        )
        return (
            "<b>Acute-phase checklist</b><table><tr><th>dimension</th><th>question</th><th>unit</th>"
            f"<th>yes when</th></tr>{rows}</table>"
        )


__all__ = ["Checklist", "Valuation", "lines_frame"]
