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
import io
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

from . import _core
from . import plot as _plot
from ._display import details, esc, frame, num, table
from ._inputs import Calibration, JsonSource, Scenario, load_json
from .assess import assess
from .errors import ValidationError, invalid
from .model import Model
from .plans import Policy, SectorPlans
from ._optional import pyplot
from ._optional import require as _require
from .valuation import Valuation

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
    """A field error showing the bad input as the JSON it came from."""
    return invalid(field, message, value, value if isinstance(value, str) else json.dumps(value))


def _within(field: str, err: ValidationError) -> ValidationError:
    """``err`` located in the input ``field`` (e.g. ``alternatives.x``)."""
    errors = [{**e, "field": f"{field}.{e['field']}"} for e in err.errors()]
    return ValidationError(f"{field}: {err}", errors)  # type: ignore[arg-type]


def _load_object(source: JsonSource, field: str) -> Dict[str, Any]:
    data = load_json(source, field)
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
            try:
                out[name] = (Scenario.preset(name), float(spec))
            except ValidationError as err:
                raise _within(field, err) from None
            continue
        if not isinstance(spec, dict) or "probability" not in spec:
            raise _fail(field, "must be a probability or an object with a probability", spec)
        unknown_keys = sorted(set(spec) - {"probability", "preset", "scenario"})
        if unknown_keys or {"preset", "scenario"} <= set(spec):
            raise _fail(
                f"{field}.{unknown_keys[0]}" if unknown_keys else field,
                'unknown key; valid: "probability" with "preset" or "scenario"' if unknown_keys
                else 'must give "preset" or "scenario", not both',
                unknown_keys[0] if unknown_keys else spec,
            )
        p = spec["probability"]
        if isinstance(p, bool) or not isinstance(p, (int, float)):
            raise _fail(f"{field}.probability", "must be a number", p)
        try:
            if "scenario" in spec:
                scenario = Scenario.from_json(spec["scenario"])
            else:
                scenario = Scenario.preset(spec.get("preset", name))
        except ValidationError as err:
            raise _within(field, err) from None
        out[name] = (scenario, float(p))
    return out


def load_alternatives(plans: SectorPlans, source: Union[JsonSource, None] = None) -> Dict[str, Optional[Policy]]:
    """Alternatives by name, from JSON (see the module docs) or the defaults: no measures, the
    trigger policies of the plans, and ``lockdown``: the highest rung in every sector for the whole
    run, with the wage and fixed-cost subsidies."""
    if source is None:
        alternatives: Dict[str, Optional[Policy]] = {"no measures": None}
        for name in plans.policies:
            alternatives[name] = plans.policy(name)
        top = {s["name"]: len(s["rungs"]) - 1 for s in plans.to_dict()["sectors"]}
        # The Dutch trigger policies carry the wage and fixed-cost subsidies at every level; so does this.
        support = [g for g in ("loonkostensubsidie_now", "vaste_lasten_tvl") if g in plans.general_measures]
        alternatives["lockdown"] = plans.package(top, support)
        return alternatives
    out: Dict[str, Optional[Policy]] = {}
    for name, spec in _load_object(source, "alternatives").items():
        try:
            out[name] = _alternative(plans, f"alternatives.{name}", spec)
        except ValidationError as err:
            if err.errors() and err.errors()[0]["field"].startswith("alternatives."):
                raise
            raise _within(f"alternatives.{name}", err) from None
    return out


def _alternative(plans: SectorPlans, field: str, spec: Any) -> Optional[Policy]:
    if spec is None:
        return None
    if isinstance(spec, dict) and set(spec) == {"policy"}:
        return plans.policy(spec["policy"])
    if isinstance(spec, dict) and "package" in spec and set(spec) <= {"package", "general"}:
        rungs, general = spec["package"], spec.get("general", [])
        if not isinstance(rungs, dict):
            raise _fail(f"{field}.package", "must be an object of sector: rung", rungs)
        if not isinstance(general, list):
            raise _fail(f"{field}.general", "must be a list of general measure names", general)
        return plans.package(rungs, general)
    raise _fail(field, 'must be null, {"policy": ...} or {"package": {...}, "general": [...]}', spec)


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
    plt = pyplot()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<figure><img alt="{esc(alt)}" src="data:image/png;base64,{data}"></figure>'


def _bn(x: Any) -> str:
    """EUR as billions with two decimals."""
    return "&ndash;" if x != x else f"{float(x) / 1e9:,.2f}"


def _section(sid: str, body: str) -> str:
    title = dict(SECTIONS)[sid]
    return f'<section id="{sid}"><h2>{esc(title)}</h2>\n{body}\n</section>'


def _summary(a: Any) -> str:
    t = a.decision_tree
    p = a.probabilities
    total = a.total_cost_array
    header = ["alternative"] + [f"{esc(sc)}<br><small>p = {p[sc]:g}</small>" for sc in a.scenarios] + ["expected", "max regret"]
    rows = [
        [esc(alt) + (" ★" if alt in t.best_tied else "")]
        + [_bn(total[i, s]) for s in range(len(a.scenarios))]
        + [f"<b>{_bn(t.expected[i])}</b>", _bn(t.max_regret[i])]
        for i, alt in enumerate(a.alternatives)
    ]
    right = range(1, len(header))
    frontier = ", ".join(a.pareto.frontier)
    first = ", ".join(a.mcda().best)
    return (
        f"<p>{len(a.alternatives)} alternatives weighed over {len(a.scenarios)} scenarios for {a.days} days on the four "
        "dimensions of the reference framework (virus spread, societal, socio-economic, behavioural). Costs are in "
        "billion EUR after valuation (see <a href='#costs'>Costs</a>); lower is better.</p>"
        f"{table(header, rows, right)}"
        "<ul>"
        f"<li>Lowest expected cost: <b>{esc(t.best)}</b> (EUR {_bn(t.expected[a.alternatives.index(t.best)])} bn).</li>"
        f"<li>Minimax regret (the cautious choice): <b>{esc(t.minimax_regret)}</b>.</li>"
        f"<li>Expected value of perfect information on the scenario: EUR {_bn(t.evpi)} bn.</li>"
        f"<li>Not beaten on every criterion (Pareto): {esc(frontier)}.</li>"
        f"<li>TOPSIS with equal weights ranks first: {esc(first)}.</li>"
        "</ul><p class='note'>A model result under stated assumptions and values, not a recommendation: the valuation, "
        "the scenarios and their probabilities are choices, and every one of them is listed below.</p>"
    )


def _scorecard(a: Any) -> str:
    expected = a.expected_scorecard
    tidy = expected.rename_axis(columns="alternative").reset_index()
    tidy = tidy.melt(id_vars=["dimension", "indicator", "unit"], var_name="alternative", value_name="value")
    fig = _plot.dimensions(tidy)
    p = a.probabilities
    per_scenario = "".join(
        details(f"{esc(sc)} (p = {p[sc]:g})", frame(a.scorecard.xs(sc, axis=1, level="scenario"))) for sc in a.scenarios
    )
    return (
        "<p>Every indicator in its natural unit, expected over the scenarios; the headline indicators of each "
        "dimension are drawn below the table. Per scenario: unfold the tables at the end.</p>"
        f"{frame(expected)}{_figure(fig, 'headline indicators per alternative, by dimension')}{per_scenario}"
    )


def _costs(a: Any) -> str:
    costs = a.costs / 1e9
    costs.columns.name = "billion EUR"
    values = a.valuation.table()[["value", "unit", "description", "source", "year", "assumption", "used_by"]]
    values["assumption"] = values["assumption"].map({True: "yes", False: ""})
    not_priced = "".join(f"<li><b>{esc(k)}</b>: {esc(v)}</li>" for k, v in a.valuation.not_monetised.items())
    return (
        "<p>The dimensions in billion EUR per alternative and scenario, and expected over the scenarios. Each euro is "
        "an indicator times the values of the valuation below (<code>Assessment.cost_lines</code> lists every line). "
        "The behavioural dimension is priced only for the cost of behavioural levers; compliance and support stay in "
        "natural units in the scorecard.</p>"
        f"{frame(costs, lambda v: f'{v:,.2f}')}"
        f"<h3>Valuation</h3>{frame(values)}"
        f"{details('Indicators not monetised, and why', f'<ul>{not_priced}</ul>')}"
    )


def _opportunity_cost(a: Any) -> str:
    oc = a.opportunity_cost
    by_dimension = oc.to_pandas().pivot_table(
        index=["alternative", "scenario"], columns="dimension", values="opportunity_cost", sort=False
    )
    by_dimension = by_dimension / 1e9
    by_dimension.columns.name = "billion EUR"
    n = len(a.scenarios)
    fig, axes = pyplot().subplots(1, n, figsize=(3.6 * n, 3.2), squeeze=False)
    for ax, sc in zip(axes[0], a.scenarios):
        _plot.opportunity_cost(oc, scenario=sc, ax=ax)
        ax.set_title(sc, fontsize=10)
    fig.tight_layout()
    return (
        "<p>Per scenario, the cost of each alternative minus that of the best alternative in that scenario, split by "
        "dimension; zero for the best, never negative. The whole package counts, not its measures one by one.</p>"
        f"{_figure(fig, 'opportunity cost per scenario')}{frame(by_dimension, lambda v: f'{v:,.2f}')}"
    )


def _decision_tree(a: Any) -> str:
    t = a.decision_tree
    ax = _plot.decision_tree(t)
    regret = t.to_pandas("regret") / 1e9
    return (
        "<p>The decision node chooses an alternative; chance nodes weigh the scenarios with their probabilities. "
        f"Expected cost is lowest for <b>{esc(t.best)}</b>; the choice that minimises the largest regret is "
        f"<b>{esc(t.minimax_regret)}</b>; knowing the scenario before choosing would be worth EUR {_bn(t.evpi)} bn "
        "(EVPI).</p>"
        f"{_figure(ax.figure, 'decision tree')}<h3>Regret (billion EUR)</h3>{frame(regret, lambda v: f'{v:,.2f}')}"
    )


def _mcda(a: Any, n: int, seed: int) -> str:
    criteria, directions = a.criteria()
    topsis = a.mcda(method="topsis").to_pandas()
    promethee = a.mcda(method="promethee").to_pandas()
    pd = _require("pandas", "pandas")
    ranks = pd.concat({"TOPSIS": topsis[["score", "rank"]], "PROMETHEE II": promethee[["score", "rank"]]}, axis=1)
    smaa = a.weight_sensitivity(n=n, seed=seed, method="topsis")
    crit = criteria.copy()
    crit.columns = [f"{c} ({directions[c]})" for c in crit.columns]
    return (
        "<p>Criteria (expected over the scenarios): the monetised dimensions (EUR, lower is better) and mean support "
        "for measures (higher is better). Equal weights; then the ranks over "
        f"{n:,} random weight vectors (rank acceptability, SMAA-2, seed {seed}).</p>"
        f"{frame(crit)}<h3>Ranks with equal weights</h3>{frame(ranks)}"
        f"{_figure(smaa.plot().figure, 'rank acceptability')}{frame(smaa.to_pandas())}"
    )


def _care_load(runs: Mapping[str, Any], scenario: str) -> str:
    n = len(runs)
    cols = min(n, 2)
    rows = (n + cols - 1) // cols
    fig, axes = pyplot().subplots(rows, cols, figsize=(7.0 * cols, 3.3 * rows), squeeze=False, sharey=True)
    for ax, (name, run) in zip(axes.flat, runs.items()):
        _plot.care(run, ax=ax)
        ax.set_title(f"{name}: care load against capacity", fontsize=10)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.tight_layout()
    return (
        f"<p>Scenario <b>{esc(scenario)}</b> (the most likely): COVID-19 patients in ICU and clinical beds per day "
        "against normal (dotted) and scaled-up (dashed) capacity; under a trigger policy the days each level was in "
        "force are shaded.</p>"
        f"{_figure(fig, 'care load per alternative')}"
    )


def _groups(a: Any) -> str:
    parts = []
    for grouping in ("income_quintile", "education", "age_band"):
        try:
            by_group = a.cost_by_group(grouping)
        except ValidationError:  # the runs have no such grouping (an UnknownNameError)
            continue
        parts.append(f"<h3>{esc(grouping.replace('_', ' '))}</h3>{frame(by_group)}")
    return (
        "<p>Monetised cost per person by group, expected over the scenarios (EUR per person); <code>covered</code> is "
        "the share of the total cost that can be split over the grouping (fiscal cost is not split).</p>" + "".join(parts)
    )


def _checklist(a: Any, scenario: str) -> str:
    answers = a.checklist.to_pandas()
    answers = answers[answers["scenario"] == scenario]
    wide = answers.pivot_table(index=["dimension", "question"], columns="alternative", values="answer", aggfunc="first", sort=False)
    wide = wide[a.alternatives]
    evidence = answers[["alternative", "dimension", "id", "answer", "by", "detail"]].set_index(["alternative", "id"])
    return (
        f"<p>The acute-phase checklist in scenario <b>{esc(scenario)}</b>, answered from the model where it can be "
        "(analyst answers, given with <code>Assessment.checklist.answer(...)</code>, override them and are marked "
        "<code>by = analyst</code>).</p>"
        f"{frame(wide)}{details('evidence per answer', frame(evidence))}"
    )


def _inputs(a: Any, inputs: Mapping[str, Any]) -> str:
    given = table(None, [[esc(k), esc(v)] for k, v in inputs.items()])
    scenarios = table(["scenario", "probability"], [[esc(s), f"{a.probabilities[s]:g}"] for s in a.scenarios], right=[1])
    return (
        f"{given}<h3>Scenarios</h3>{scenarios}"
        "<p>Every default figure has its source and year in the data files of the package "
        "(<code>data/netherlands/*.json</code>, the <code>sources</code> map of each); estimates no source gives are "
        "marked as assumptions. See the README's <i>Data and sources</i> and <i>Citing</i> sections.</p>"
        f"{details('valuation (JSON)', f'<pre>{esc(a.valuation.to_json())}</pre>')}"
    )


_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 1100px;
       color: #222; line-height: 1.4; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 2px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.85em; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f5f5f5; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 0.8em 0; } img { max-width: 100%; }
nav a { margin-right: 0.8em; } .note { color: #666; font-size: 0.9em; } pre { white-space: pre-wrap; font-size: 0.8em; }
"""


def build_report(
    assessment: Any,
    runs: Mapping[str, Any],
    scenario: str,
    inputs: Mapping[str, Any],
    title: str = "afweging: weighing packages of measures",
    weight_draws: int = 2000,
    seed: int = 1,
) -> str:
    """The HTML text of a report on ``assessment``; ``runs`` are the runs of each alternative in
    ``scenario`` (for the care-load figures); ``inputs`` are listed in the provenance section."""
    a = assessment
    body = [
        _section("summary", _summary(a)),
        _section("scorecard", _scorecard(a)),
        _section("costs", _costs(a)),
        _section("opportunity-cost", _opportunity_cost(a)),
        _section("decision-tree", _decision_tree(a)),
        _section("mcda", _mcda(a, weight_draws, seed)),
        _section("care-load", _care_load(runs, scenario)),
        _section("groups", _groups(a)),
        _section("checklist", _checklist(a, scenario)),
        _section("inputs", _inputs(a, inputs)),
    ]
    nav = "".join(f'<a href="#{sid}">{esc(t.split(":")[0])}</a>' for sid, t in SECTIONS)
    made = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{_STYLE}</style></head><body>"
        f"<header><h1>{esc(title)}</h1><p class='note'>afweging {_core.__version__}, {made}</p><nav>{nav}</nav></header>"
        + "\n".join(body)
        + "</body></html>\n"
    )


def write_report(
    output: Union[str, "Path"] = "afweging-report.html",
    *,
    calibration: Optional[Calibration] = None,
    plans: Optional[SectorPlans] = None,
    scenarios: Optional[Mapping[str, Tuple[Scenario, float]]] = None,
    alternatives: Optional[Mapping[str, Optional[Policy]]] = None,
    valuation: Any = None,
    days: int = 365,
    title: Optional[str] = None,
    inputs: Optional[Mapping[str, Any]] = None,
) -> Path:
    """Assesses ``alternatives`` over ``scenarios`` (defaults: the embedded Dutch data, see
    :func:`load_scenarios` and :func:`load_alternatives`) and writes the report to ``output``.
    Returns the path written."""
    _require("matplotlib", "plot")
    import matplotlib

    matplotlib.use("Agg")
    cal = Calibration.netherlands() if calibration is None else calibration
    plans = SectorPlans.netherlands() if plans is None else plans
    scenarios = load_scenarios() if scenarios is None else scenarios
    alternatives = load_alternatives(plans) if alternatives is None else alternatives
    valuation = Valuation.netherlands() if valuation is None else valuation
    a = assess(cal, alternatives, {name: sp for name, sp in scenarios.items()}, valuation=valuation, days=days)
    likely = max(a.scenarios, key=lambda s: a.probabilities[s])
    model = Model(cal, scenarios[likely][0])
    runs = {name: model.run(pol, days=days) for name, pol in alternatives.items()}
    shown = {
        "calibration": cal.to_dict().get("name", ""),
        "sector plans": f"{len(plans.sectors)} sectors, policies {', '.join(plans.policies)}",
        "alternatives": "; ".join(f"{k}: {'no measures' if v is None else v.name}" for k, v in alternatives.items()),
        "horizon": f"{days} days",
        **(inputs or {}),
    }
    text = build_report(a, runs, likely, shown, title=title or "afweging: weighing packages of measures")
    path = Path(output)
    path.write_text(text, encoding="utf-8")
    return path


def report_command(args: Any) -> int:
    """``afweging report``: reads the JSON inputs named in ``args`` and writes the report."""
    plans = SectorPlans.from_json(args.plans) if args.plans else SectorPlans.netherlands()
    inputs = {
        "inputs": ", ".join(
            f"--{k} {v}" for k, v in (("scenarios", args.scenarios), ("alternatives", args.alternatives),
                                      ("calibration", args.calibration), ("plans", args.plans),
                                      ("valuation", args.valuation)) if v
        )
        or "the embedded defaults"
    }
    path = write_report(
        args.output,
        calibration=Calibration.from_json(args.calibration) if args.calibration else None,
        plans=plans,
        scenarios=load_scenarios(args.scenarios),
        alternatives=load_alternatives(plans, args.alternatives),
        valuation=Valuation.from_json(args.valuation) if args.valuation else None,
        days=args.days,
        title=args.title,
        inputs=inputs,
    )
    print(f"afweging: wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


__all__ = ["SECTIONS", "DEFAULT_SCENARIOS", "build_report", "check_html", "load_alternatives", "load_scenarios", "write_report"]
