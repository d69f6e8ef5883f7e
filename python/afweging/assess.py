"""The assessment of the reference framework: alternatives x scenarios with probabilities.

:func:`assess` runs every alternative in every scenario (and each scenario once without measures,
for the checklist's "without escalation" questions) and hands the runs to the engine, which
builds the scorecard, monetises the impacts with a :class:`~afweging.Valuation`, answers the
acute-phase checklist, and computes the decision tree, the opportunity cost and every expected
value shown here (this module only labels them). MCDA, weight sensitivity and the Pareto front are
those of :mod:`afweging.decision`, applied to the engine's table of criteria.

>>> import afweging as af
>>> plans = af.SectorPlans.netherlands()
>>> a = af.assess(af.Calibration.netherlands(),
...               {"open": None, "ladders": plans.policy("signal-values")},
...               {"centraal": 0.6, "ongunstig": 0.4}, days=60)
>>> a.decision_tree.best in ("open", "ladders")
True
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _core, decision
from ._core import __version__
from ._inputs import Calibration, Scenario
from .errors import ValidationError, number, wrong_type
from .errors import invalid as _invalid
from .impacts import DIMENSIONS
from .model import Model
from .plans import Policy
from .valuation import Checklist, Valuation, lines_frame
from ._display import num as _eur
from ._optional import pandas as _pandas

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import xarray as xr

ModelSource = Union[Calibration, Callable[[Scenario], Model]]

#: Default MCDA criteria: the monetised dimensions (EUR, lower is better) and mean support
#: for measures (the behavioural dimension stays in natural units; higher is better).
DEFAULT_CRITERIA: Dict[str, str] = {
    "virus_spread": "cost",
    "societal": "cost",
    "socio_economic": "cost",
    "support": "benefit",
}


def _scenarios(scenarios: Mapping[str, Any]) -> Tuple[List[str], List[Scenario], List[float]]:
    if not isinstance(scenarios, Mapping) or not scenarios:
        raise _invalid("scenarios", "must be a non-empty mapping name -> probability or (Scenario, probability)", scenarios)
    names, objects, probs = [], [], []
    for name, spec in scenarios.items():
        if isinstance(spec, (tuple, list)):
            if len(spec) != 2:
                raise _invalid(f"scenarios.{name}", "must be a probability or (Scenario, probability)", spec)
            sc, p = spec
            if isinstance(sc, str):
                sc = Scenario.preset(sc)
            if not isinstance(sc, Scenario):
                raise _invalid(f"scenarios.{name}", "must hold an afweging.Scenario or a preset name", type(sc).__name__)
        else:
            sc, p = Scenario.preset(str(name)), spec
        p = number(p, f"scenarios.{name}")
        names.append(str(name))
        objects.append(sc)
        probs.append(p)
    return names, objects, probs


def _alternatives(alternatives: Mapping[str, Any]) -> Tuple[List[str], List[Optional[Policy]]]:
    if not isinstance(alternatives, Mapping) or not alternatives:
        raise _invalid("alternatives", "must be a non-empty mapping name -> package, trigger policy or None", alternatives)
    names, policies = [], []
    for name, pol in alternatives.items():
        if pol is not None and not isinstance(pol, Policy):
            raise _invalid(f"alternatives.{name}", "must be an afweging.Policy (package or trigger policy) or None", type(pol).__name__)
        names.append(str(name))
        policies.append(pol)
    return names, policies


def assess(
    model: ModelSource,
    alternatives: Mapping[str, Optional[Policy]],
    scenarios: Mapping[str, Any],
    valuation: Optional[Valuation] = None,
    days: int = 365,
    checklist: Optional[Checklist] = None,
) -> "Assessment":
    """Assesses ``alternatives`` in ``scenarios``.

    ``model``: a :class:`Calibration` (each scenario gets ``Model(calibration, scenario)``) or a
    callable ``scenario -> Model``. ``alternatives``: name -> package or trigger policy (from
    :class:`SectorPlans`), or ``None`` for no measures. ``scenarios``: name -> probability, where
    the name is a preset (``gunstig``, ``centraal``, ``ongunstig``, ``zeer_ongunstig``), or
    name -> ``(Scenario or preset name, probability)``; probabilities in [0, 1] adding up to one
    (within 1e-9), else :class:`ValidationError` naming ``scenarios``. ``valuation`` defaults to
    :meth:`Valuation.netherlands`, ``checklist`` to :meth:`Checklist.netherlands`. ``days``: the
    horizon of every run.
    """
    alt_names, policies = _alternatives(alternatives)
    sc_names, sc_objects, probs = _scenarios(scenarios)
    _core.check_assessment(alt_names, sc_names, probs)
    valuation = Valuation.netherlands() if valuation is None else valuation
    checklist = Checklist.netherlands() if checklist is None else checklist
    if not isinstance(valuation, Valuation):
        raise wrong_type("valuation", "an afweging.Valuation", valuation)
    if not isinstance(checklist, Checklist):
        raise wrong_type("checklist", "an afweging.Checklist", checklist)
    models: List[Model] = []
    for sc in sc_objects:
        if isinstance(model, Calibration):
            models.append(Model(model, sc))
        elif callable(model):
            m = model(sc)
            if not isinstance(m, Model):
                raise wrong_type("model", "a callable returning an afweging.Model", m)
            models.append(m)
        else:
            raise wrong_type("model", "an afweging.Calibration or a callable scenario -> Model", model)
    # Every alternative in every scenario, then each scenario without measures: one batch on all
    # cores (the engine's grid), each run the same as `m.run(pol, days=days)`.
    jobs = [(m._inner, None if pol is None else pol._inner) for pol in [*policies, None] for m in models]
    done = _core.run_batch(jobs, days)
    runs = [done[a * len(models) : (a + 1) * len(models)] for a in range(len(policies))]
    baselines = done[len(policies) * len(models) :]
    inner = _core.assess(
        runs,
        baselines,
        [m.calibration._inner for m in models],
        alt_names,
        sc_names,
        probs,
        valuation._inner,
        checklist._inner,
    )
    return Assessment(inner)


class ChecklistAnswers:
    """The acute-phase checklist answered for every alternative and scenario. Model answers come
    with the evidence figure, its unit and the threshold; :meth:`answer` records the analyst's
    answer, which then takes precedence (the model's stays in ``model_answer``)."""

    __slots__ = ("questions", "alternatives", "scenarios", "_answers", "_overrides", "_index")

    def __init__(
        self,
        questions: List[Dict[str, Any]],
        answers: List[List[List[Dict[str, Any]]]],
        alternatives: List[str],
        scenarios: List[str],
        index: Callable[[str], int],
        overrides: Optional[Dict[Tuple[str, Optional[str], Optional[str]], str]] = None,
    ) -> None:
        self.questions = questions
        self.alternatives = alternatives
        self.scenarios = scenarios
        self._answers = answers
        self._index = index
        self._overrides: Dict[Tuple[str, Optional[str], Optional[str]], str] = dict(overrides or {})

    def answer(self, id: str, text: str, alternative: Optional[str] = None, scenario: Optional[str] = None) -> None:
        """Records the analyst's answer to question ``id`` for one alternative and/or scenario, or
        for all (``None``). The most specific answer wins."""
        self._index(id)  # raises ValidationError naming the valid ids
        if alternative is not None and alternative not in self.alternatives:
            raise _invalid("alternative", f"must be one of {', '.join(self.alternatives)}", alternative)
        if scenario is not None and scenario not in self.scenarios:
            raise _invalid("scenario", f"must be one of {', '.join(self.scenarios)}", scenario)
        self._overrides[(id, alternative, scenario)] = str(text)

    def clear(self, id: Optional[str] = None) -> None:
        """Drops the analyst's answers (to one question, or all)."""
        self._overrides = {k: v for k, v in self._overrides.items() if id is not None and k[0] != id}

    @property
    def overrides(self) -> Dict[Tuple[str, Optional[str], Optional[str]], str]:
        """(id, alternative, scenario) -> analyst answer."""
        return dict(self._overrides)

    def _override(self, qid: str, alt: str, sc: str) -> Optional[str]:
        for key in ((qid, alt, sc), (qid, alt, None), (qid, None, sc), (qid, None, None)):
            if key in self._overrides:
                return self._overrides[key]
        return None

    def _rows(self, a: int, s: int) -> List[Dict[str, Any]]:
        rows = []
        for q, ans in zip(self.questions, self._answers[a][s]):
            mine = self._override(q["id"], self.alternatives[a], self.scenarios[s])
            rows.append(
                {
                    "dimension": q["dimension"],
                    "id": q["id"],
                    "question": q["question"],
                    "answer": ans["answer"] if mine is None else mine,
                    "by": "model" if mine is None else "analyst",
                    "evidence": np.nan if ans["evidence"] is None else float(ans["evidence"]),
                    "unit": q["unit"],
                    "threshold": np.nan if q.get("threshold") is None else float(q["threshold"]),
                    "yes_when": q.get("yes_when") or "",
                    "model_answer": ans["answer"],
                    "detail": ans["detail"],
                }
            )
        return rows

    def _cell(self, alternative: str, scenario: str) -> Tuple[int, int]:
        if alternative not in self.alternatives:
            raise _invalid("alternative", f"must be one of {', '.join(self.alternatives)}", alternative)
        if scenario not in self.scenarios:
            raise _invalid("scenario", f"must be one of {', '.join(self.scenarios)}", scenario)
        return self.alternatives.index(alternative), self.scenarios.index(scenario)

    def table(self, alternative: str, scenario: str) -> "pd.DataFrame":
        """The checklist of one alternative in one scenario: dimension, id, question, answer, by
        (model or analyst), evidence, unit, threshold, yes_when, model_answer, detail."""
        a, s = self._cell(alternative, scenario)
        return _pandas().DataFrame(self._rows(a, s))

    def to_pandas(self) -> "pd.DataFrame":
        """Tidy frame over every alternative and scenario (the columns of :meth:`table` plus
        ``alternative`` and ``scenario``)."""
        rows = []
        for a, alt in enumerate(self.alternatives):
            for s, sc in enumerate(self.scenarios):
                for r in self._rows(a, s):
                    rows.append({"alternative": alt, "scenario": sc, **r})
        return _pandas().DataFrame(rows)

    def __repr__(self) -> str:
        flagged = sum(
            1 for row in self._answers for cell in row for ans in cell if ans["flag"] is True
        )
        return (
            f"ChecklistAnswers({len(self.questions)} questions x {len(self.alternatives)} alternatives x "
            f"{len(self.scenarios)} scenarios; {flagged} answers 'yes'; {len(self._overrides)} analyst answers)"
        )

    def _repr_html_(self) -> str:
        head = "".join(
            f"<th>{html.escape(a)}<br><small>{html.escape(s)}</small></th>" for a in self.alternatives for s in self.scenarios
        )
        body = ""
        cells = {(a, s): self._rows(a, s) for a in range(len(self.alternatives)) for s in range(len(self.scenarios))}
        for k, q in enumerate(self.questions):
            tds = ""
            for a in range(len(self.alternatives)):
                for s in range(len(self.scenarios)):
                    r = cells[(a, s)][k]
                    text = html.escape(str(r["answer"]))
                    if r["by"] == "analyst":
                        text = f"<i>{text} ✎</i>"
                    elif r["answer"] == "yes":
                        text = f"<b style='color:#b00'>{text}</b>"
                    title = html.escape(f"{r['evidence']:.4g} {r['unit']}; {r['detail']}" if np.isfinite(r["evidence"]) else r["detail"])
                    tds += f"<td title='{title}'>{text}</td>"
            threshold = "" if q.get("threshold") is None else f"{q['yes_when']} {q['threshold']:g}"
            body += (
                f"<tr><td>{html.escape(q['dimension'])}</td><td>{html.escape(q['question'])}</td>"
                f"<td>{html.escape(q['unit'])}</td><td>{threshold}</td>{tds}</tr>"
            )
        return (
            "<b>Acute-phase checklist</b> (hover an answer for its evidence; ✎ analyst answer)"
            f"<table><tr><th>dimension</th><th>question</th><th>unit</th><th>yes when</th>{head}</tr>{body}</table>"
        )


class Assessment:
    """Alternatives x scenarios on the four dimensions: the scorecard (natural units), the costs
    (monetised with :attr:`valuation`, per dimension and in total, every euro traceable in
    :attr:`cost_lines`), the opportunity cost against the best alternative in each scenario, the
    decision tree over the scenarios, MCDA with weight sensitivity, the Pareto front and the
    acute-phase checklist. Made by :func:`assess`; pickles (analyst answers included)."""

    __slots__ = ("_inner", "_data", "_checklist", "_tree")

    def __init__(self, inner: _core.Assessment) -> None:
        self._inner = inner
        self._data: Dict[str, Any] = json.loads(inner.to_json())
        d = self._data
        self._checklist = ChecklistAnswers(
            d["questions"]["questions"],
            d["checklist"],
            list(d["alternatives"]),
            list(d["scenarios"]),
            _core.Checklist.from_json(json.dumps(d["questions"])).index,
        )
        self._tree: Optional[decision.DecisionTree] = None

    # -- labels and raw tables ------------------------------------------------------------

    @property
    def alternatives(self) -> List[str]:
        return list(self._data["alternatives"])

    @property
    def scenarios(self) -> List[str]:
        return list(self._data["scenarios"])

    @property
    def probabilities(self) -> Dict[str, float]:
        return dict(zip(self._data["scenarios"], self._data["probabilities"]))

    @property
    def days(self) -> int:
        return int(self._data["days"])

    @property
    def valuation(self) -> Valuation:
        """The valuation the costs were computed with."""
        return Valuation.from_json(self._data["valuation"])

    @property
    def indicators(self) -> List[Dict[str, str]]:
        """The scorecard's indicators: dimension, name, unit, description."""
        return [dict(c) for c in self._data["indicators"]]

    @staticmethod
    def _array(x: Mapping[str, Any]) -> np.ndarray:
        data = np.array([np.nan if v is None else v for v in x["data"]], dtype=np.float64)
        return data.reshape(x["dim"])

    @property
    def cost_array(self) -> np.ndarray:
        """Alternatives x scenarios x dimensions (virus_spread, societal, socio_economic,
        behavioural), EUR."""
        return self._array(self._data["cost_by_dimension"])

    @property
    def total_cost_array(self) -> np.ndarray:
        """Alternatives x scenarios, EUR."""
        return self._array(self._data["total_cost"])

    @property
    def scorecard_array(self) -> np.ndarray:
        """Alternatives x scenarios x indicators (natural units; NaN where a run lacks one)."""
        return self._array(self._data["scorecard"])

    # -- the tables analysts read ---------------------------------------------------------

    @property
    def scorecard(self) -> "pd.DataFrame":
        """Indicators (rows: dimension, indicator, unit) x (alternative, scenario) columns, in
        natural units. Tidy: ``to_pandas("scorecard")``; labelled arrays: :meth:`to_xarray`."""
        pd = _pandas()
        values = self.scorecard_array
        cols = pd.MultiIndex.from_product([self.alternatives, self.scenarios], names=["alternative", "scenario"])
        index = pd.MultiIndex.from_tuples(
            [(c["dimension"], c["name"], c["unit"]) for c in self._data["indicators"]], names=["dimension", "indicator", "unit"]
        )
        flat = values.reshape(len(self.alternatives) * len(self.scenarios), -1).T
        return pd.DataFrame(flat, index=index, columns=cols)

    @property
    def costs(self) -> "pd.DataFrame":
        """EUR per (alternative, scenario): the four dimensions and the total, plus the expected
        value over the scenarios (scenario ``expected``). The behavioural dimension holds only what
        the valuation prices (lever cost); the rest stays in the scorecard. Every figure is
        traced in :attr:`cost_lines`; the values in :attr:`valuation`."""
        pd = _pandas()
        c, total = self.cost_array, self.total_cost_array
        expected, expected_total = self._inner.expected_cost_by_dimension(), self.decision_tree.expected
        rows, index = [], []
        for a, alt in enumerate(self.alternatives):
            for s, sc in enumerate(self.scenarios):
                rows.append([*c[a, s], total[a, s]])
                index.append((alt, sc))
            rows.append([*expected[a], expected_total[a]])
            index.append((alt, "expected"))
        frame = pd.DataFrame(
            rows,
            index=pd.MultiIndex.from_tuples(index, names=["alternative", "scenario"]),
            columns=[*DIMENSIONS, "total"],
        )
        frame.columns.name = "EUR"
        return frame

    @property
    def cost_lines(self) -> "pd.DataFrame":
        """Every monetised figure: alternative, scenario, dimension, indicator, quantity, unit, the
        values multiplied (names), price (EUR per unit), re-discounting factor and EUR."""
        pd = _pandas()
        frames = []
        for a, alt in enumerate(self.alternatives):
            for s, sc in enumerate(self.scenarios):
                f = lines_frame(self._data["costs"][a][s]["lines"])
                f.insert(0, "scenario", sc)
                f.insert(0, "alternative", alt)
                frames.append(f)
        return pd.concat(frames, ignore_index=True)

    def cost_by_group(self, grouping: str = "income_quintile", scenario: Optional[str] = None) -> "pd.DataFrame":
        """Monetised cost per person by group (alternatives x groups), in one scenario or
        expected over the scenarios; ``covered`` is the share of the total cost that is split
        over the grouping."""
        pd = _pandas()
        g = self._inner.cost_by_group(grouping, self._scenario(scenario))
        frame = pd.DataFrame(g["per_person"], index=pd.Index(self.alternatives, name="alternative"), columns=list(g["labels"]))
        frame.columns.name = f"EUR per person by {grouping}"
        frame["covered"] = g["covered"]
        return frame

    def _scenario(self, scenario: Optional[str]) -> Optional[int]:
        """The index of ``scenario`` (None: expected over the scenarios)."""
        if scenario is None:
            return None
        if scenario not in self.scenarios:
            raise _invalid("scenario", f"must be one of {', '.join(self.scenarios)}", scenario)
        return self.scenarios.index(scenario)

    @property
    def expected_scorecard(self) -> "pd.DataFrame":
        """Indicators (rows: dimension, indicator, unit) x alternatives: each indicator expected
        over the scenarios with their probabilities, in natural units (NaN where a run lacks it)."""
        pd = _pandas()
        frame = pd.DataFrame(self._inner.expected_scorecard().T, index=self.scorecard.index, columns=self.alternatives)
        frame.columns.name = "expected over the scenarios"
        return frame

    # -- decision analysis (the engine's, labelled by afweging.decision) ------------------

    @property
    def decision_tree(self) -> decision.DecisionTree:
        """The decision tree on the total cost (EUR) with the scenario probabilities: expected cost,
        regret, minimax regret, EVPI; ``.plot()`` draws it, ``.opportunity_cost`` per dimension."""
        if self._tree is None:
            alts, scs = self.alternatives, self.scenarios
            self._tree = decision.DecisionTree(
                self._inner.decision_tree(),
                self.total_cost_array,
                np.asarray(self._data["probabilities"], dtype=np.float64),
                alts,
                scs,
                "cost",
                decision.OpportunityCost(self._inner.opportunity_cost(), alts, scs, list(DIMENSIONS)),
            )
        return self._tree

    @property
    def opportunity_cost(self) -> decision.OpportunityCost:
        """Per scenario, each alternative's cost minus that of the best alternative, per dimension
        and in total (EUR); zero for the best, never negative. The whole package counts."""
        oc = self.decision_tree.opportunity_cost
        assert oc is not None
        return oc

    def criteria(
        self, criteria: Optional[Mapping[str, str]] = None, scenario: Optional[str] = None
    ) -> Tuple["pd.DataFrame", Dict[str, str]]:
        """The MCDA table (alternatives x criteria) and the direction of each criterion. A
        criterion is a dimension (its monetised cost, EUR) or an indicator of the scorecard
        (natural units), mapped to ``"cost"`` or ``"benefit"``; default :data:`DEFAULT_CRITERIA`.
        Values are expected over the scenarios, or those of ``scenario``."""
        pd = _pandas()
        criteria = dict(DEFAULT_CRITERIA if criteria is None else criteria)
        names = [str(c) for c in criteria]
        table = self._inner.criteria(names, self._scenario(scenario))
        frame = pd.DataFrame(table, index=pd.Index(self.alternatives, name="alternative"), columns=names)
        return frame, criteria

    def mcda(
        self,
        weights: Any = None,
        method: str = "topsis",
        criteria: Optional[Mapping[str, str]] = None,
        scenario: Optional[str] = None,
        **options: Any,
    ) -> decision.MCDA:
        """Multi-criteria analysis of the alternatives on :meth:`criteria` (default: the three
        monetised dimensions and mean support) with ``weights`` (per criterion, mapping or
        sequence; default equal) and ``method`` ``"topsis"``, ``"weighted_sum"`` or
        ``"promethee"`` (options as in :func:`afweging.decision.mcda`)."""
        table, dirs = self.criteria(criteria, scenario)
        w = np.ones(table.shape[1]) if weights is None else weights
        return decision.mcda(table, w, dirs, method, **options)

    def weight_sensitivity(
        self,
        n: int = 10_000,
        seed: int = 1,
        method: str = "topsis",
        criteria: Optional[Mapping[str, str]] = None,
        scenario: Optional[str] = None,
        **options: Any,
    ) -> decision.RankAcceptability:
        """Rank acceptability over ``n`` seeded random weight vectors (SMAA-2) on :meth:`criteria`."""
        table, dirs = self.criteria(criteria, scenario)
        return decision.weight_sensitivity(table, dirs, n=n, seed=seed, method=method, **options)

    @property
    def pareto(self) -> decision.Pareto:
        """The alternatives no other beats on every default criterion (expected values)."""
        table, dirs = self.criteria()
        return decision.pareto(table, dirs)

    @property
    def checklist(self) -> ChecklistAnswers:
        """The acute-phase checklist per alternative and scenario; ``.answer(id, text)`` overrides."""
        return self._checklist

    # -- conversions --------------------------------------------------------------------

    def to_pandas(self, table: str = "scorecard") -> "pd.DataFrame":
        """Tidy frames: ``"scorecard"`` (alternative, scenario, dimension, indicator, value, unit),
        ``"costs"`` (alternative, scenario, dimension, eur), ``"lines"`` (:attr:`cost_lines`),
        ``"opportunity_cost"`` or ``"checklist"``."""
        pd = _pandas()
        if table == "scorecard":
            v = self.scorecard_array
            rows = [
                (alt, sc, c["dimension"], c["name"], v[a, s, k], c["unit"])
                for a, alt in enumerate(self.alternatives)
                for s, sc in enumerate(self.scenarios)
                for k, c in enumerate(self._data["indicators"])
            ]
            return pd.DataFrame(rows, columns=["alternative", "scenario", "dimension", "indicator", "value", "unit"])
        if table == "costs":
            c = self.cost_array
            cost_rows = [
                (alt, sc, dim, c[a, s, d])
                for a, alt in enumerate(self.alternatives)
                for s, sc in enumerate(self.scenarios)
                for d, dim in enumerate(DIMENSIONS)
            ]
            return pd.DataFrame(cost_rows, columns=["alternative", "scenario", "dimension", "eur"])
        if table == "lines":
            return self.cost_lines
        if table == "opportunity_cost":
            return self.opportunity_cost.to_pandas()
        if table == "checklist":
            return self.checklist.to_pandas()
        raise _invalid("table", "must be one of scorecard, costs, lines, opportunity_cost, checklist", table)

    def to_xarray(self) -> "xr.Dataset":
        """Dataset with dims ``alternative``, ``scenario`` (and ``dimension`` for costs): one
        variable per scorecard indicator (``units``, ``long_name`` and ``dimension`` attrs),
        ``cost`` (EUR by dimension), ``total_cost`` and ``opportunity_cost``; the probabilities as
        a coordinate on ``scenario``."""
        try:
            import xarray as xr
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise ImportError("xarray is needed for this; install it with `pip install afweging[xarray]`") from err
        v = self.scorecard_array
        data: Dict[str, Any] = {
            c["name"]: (("alternative", "scenario"), v[:, :, k], {"units": c["unit"], "long_name": c["description"], "dimension": c["dimension"]})
            for k, c in enumerate(self._data["indicators"])
        }
        data["cost"] = (("alternative", "scenario", "dimension"), self.cost_array, {"units": "EUR", "long_name": "monetised cost by dimension"})
        data["total_cost"] = (("alternative", "scenario"), self.total_cost_array, {"units": "EUR", "long_name": "monetised cost, all dimensions"})
        data["opportunity_cost"] = (
            ("alternative", "scenario"),
            self.opportunity_cost.total,
            {"units": "EUR", "long_name": "total cost minus that of the best alternative in the scenario"},
        )
        ds = xr.Dataset(
            data,
            coords={
                "alternative": self.alternatives,
                "scenario": self.scenarios,
                "dimension": DIMENSIONS,
                "probability": ("scenario", np.asarray(self._data["probabilities"])),
            },
            attrs={"days": self.days, "afweging_version": __version__, "valuation": self.valuation.to_json()},
        )
        return ds

    def to_json(self) -> str:
        return self._inner.to_json()

    @classmethod
    def _restore(cls, text: str, overrides: List[Tuple[str, Optional[str], Optional[str], str]]) -> "Assessment":
        a = cls(_core.Assessment.from_json(text))
        for qid, alt, sc, answer in overrides:
            a.checklist.answer(qid, answer, alt, sc)
        return a

    def __reduce__(self):  # type: ignore[no-untyped-def]
        overrides = [(k[0], k[1], k[2], v) for k, v in self.checklist.overrides.items()]
        return (Assessment._restore, (self.to_json(), overrides))

    def __repr__(self) -> str:
        t = self.decision_tree
        expected = ", ".join(f"{a} {_eur(e).replace('&ndash;', '-')}" for a, e in zip(self.alternatives, t.expected))
        return (
            f"Assessment({len(self.alternatives)} alternatives x {len(self.scenarios)} scenarios, {self.days} days; "
            f"expected cost EUR: {expected}; best {t.best!r}, minimax regret {t.minimax_regret!r}, EVPI EUR {_eur(t.evpi)})"
        )

    def _repr_html_(self) -> str:
        t = self.decision_tree
        total, expected = self.total_cost_array, self._inner.expected_cost_by_dimension()
        p = np.asarray(self._data["probabilities"])
        head = "".join(f"<th>{html.escape(s)}<br><small>p={p_:g}</small></th>" for s, p_ in zip(self.scenarios, p))
        rows = ""
        for a, alt in enumerate(self.alternatives):
            mark = " ★" if alt in t.best_tied else ""
            cells = "".join(f"<td style='text-align:right'>{_eur(total[a, s])}</td>" for s in range(len(self.scenarios)))
            dims = "".join(f"<td style='text-align:right'>{_eur(e)}</td>" for e in expected[a])
            rows += (
                f"<tr><td>{html.escape(alt)}{mark}</td>{cells}<td style='text-align:right'><b>{_eur(t.expected[a])}</b></td>"
                f"{dims}<td style='text-align:right'>{_eur(t.max_regret[a])}</td></tr>"
            )
        dim_head = "".join(f"<th>E[{d.replace('_', ' ')}]</th>" for d in DIMENSIONS)
        return (
            f"<b>Assessment</b>: {len(self.alternatives)} alternatives x {len(self.scenarios)} scenarios, {self.days} days "
            "&mdash; monetised cost (EUR)"
            f"<table><tr><th>alternative</th>{head}<th>expected</th>{dim_head}<th>max regret</th></tr>{rows}</table>"
            f"<small>★ lowest expected cost ({html.escape(t.best)}); minimax regret: {html.escape(t.minimax_regret)}; "
            f"EVPI EUR {_eur(t.evpi)}. Behavioural dimension in natural units in <code>.scorecard</code>; "
            "valuation in <code>.valuation</code>, every euro in <code>.cost_lines</code>, checklist in "
            "<code>.checklist</code>.</small>"
        )


__all__ = ["Assessment", "ChecklistAnswers", "DEFAULT_CRITERIA", "assess"]
