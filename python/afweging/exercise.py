"""Exercise mode: a crisis team plays an epidemic week by week, deciding per safety region on
what it could have seen, and reviews its decisions afterwards against hindsight and the triggers.

>>> ex = af.Exercise(scenario="zeer_ongunstig", start="2021-09-01", step="7D", seed=3)
>>> seen = ex.observe()                     # reported cases, admissions, ICU: delayed and noisy
>>> ex.decide({"national": "waakzaam", "VR13": "ernstig"}); ex.step()
>>> review = ex.review()                     # against the hindsight-best sequence and the triggers

The truth is a regional run of the model; each step continues it from a snapshot
(:meth:`afweging.Run.state`, bit for bit) under the packages decided, for one step. What the team
sees is the truth as reported (:mod:`afweging.observation`): cases are infections delayed by the
reporting delay of :data:`~afweging.observation.REPORTING` (``"cases"``) and thinned by an
ascertainment; hospital admissions are reported without delay; both carry negative binomial
noise. ICU occupancy is a count of beds, reported as it is. The noise of each step is drawn from
its own stream (``seed``, step), so an exercise replayed from its record sees what it saw.

The options are packages: ``"geen"`` (no measures) and the levels of the plans' trigger policy
(default ``"signal-values"``: waakzaam, zorgelijk, ernstig, zeer_ernstig), or packages given as
dicts (``{"rungs": {...}, "general": [...]}``). The review monetises each sequence with the
valuation on all four dimensions and compares three: the decisions played, the best sequence of
national options found in hindsight (coordinate descent over the steps, two passes from the played
sequence, every region on the option of the step: a small search, a bound on what hindsight could
do, not the optimum over regional sequences), and the trigger policy reading the model's own
signals without delay or noise.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import numpy as np

from . import _core
from ._inputs import Calibration, Scenario
from ._optional import require as _require
from .errors import invalid, wrong_type
from .model import Model
from .observation import REPORTING
from .plans import Policy, SectorPlans
from .replay import DISPERSION_PRIOR
from .run import Run
from .valuation import Valuation

#: Share of infections reported as cases (project assumption: about one in three when everyone with
#: symptoms could test; no source gives it for 2021, the replay fit estimates it per testing regime).
ASCERTAINMENT = 0.3

#: Dispersion ``k`` of the reporting noise (variance ``mean + mean^2 / k``): the centre of the replay
#: fit's prior, where the first wave alone puts admissions (:data:`afweging.replay.DISPERSION_PRIOR`).
DISPERSION = DISPERSION_PRIOR[0]

#: What is shown each step: (name, model series, reporting).
SHOWN = (
    ("cases", "infections", REPORTING["cases"]),
    ("admissions", "admissions", REPORTING["admissions"]),
    ("icu_occupancy", "icu_occupancy", REPORTING["icu_occupancy"]),
)

Decisions = Mapping[str, Union[str, Mapping[str, Any], Policy]]


@dataclass(frozen=True)
class Seen:
    """What the team sees at a step: per day of the window (``dates``), per series, the national
    total and the value of each region (``regions``, codes)."""

    dates: List[str]
    national: Dict[str, List[float]]
    regions: Dict[str, Dict[str, List[float]]]

    def to_dict(self) -> Dict[str, Any]:
        return {"dates": self.dates, "national": self.national, "regions": self.regions}

    def to_pandas(self) -> Any:
        """National series by date (a pandas DataFrame)."""
        pd = _require("pandas", "pandas")
        return pd.DataFrame(self.national, index=pd.to_datetime(self.dates))


def _days(step: Union[str, int]) -> int:
    """``"7D"`` or 7 -> 7."""
    if isinstance(step, (int, np.integer)) and not isinstance(step, bool):
        days = int(step)
    elif isinstance(step, str) and step.upper().endswith("D") and step[:-1].isdigit():
        days = int(step[:-1])
    else:
        raise invalid("step", "must be a number of days, e.g. 7 or \"7D\"", step)
    if not 1 <= days <= 91:
        raise invalid("step", "must be 1 to 91 days", step)
    return days


class Exercise:
    """A crisis exercise on the regional model (see the module documentation).

    ``scenario``: a preset of the scenario set (``"zeer_ongunstig"`` is the heaviest) or a
    :class:`Scenario`; dated ``lead_in`` days before ``start`` so that the first week has a past to
    show (run without measures). ``step``: days per step (``"7D"``). ``seed``: the reporting noise.
    ``window``: days shown by :meth:`observe`. ``plans``, ``trigger``: where the options and the
    trigger policy of the review come from. ``ascertainment``, ``dispersion``: the reporting
    assumptions above (override them here).
    """

    def __init__(
        self,
        scenario: Union[str, Scenario] = "zeer_ongunstig",
        start: str = "2021-09-01",
        step: Union[str, int] = "7D",
        seed: int = 3,
        *,
        lead_in: int = 28,
        window: int = 28,
        plans: Optional[SectorPlans] = None,
        trigger: str = "signal-values",
        calibration: Optional[Calibration] = None,
        ascertainment: float = ASCERTAINMENT,
        dispersion: float = DISPERSION,
    ) -> None:
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise invalid("seed", "must be a whole number >= 0", seed)
        for name, value, low in (("lead_in", lead_in, 1), ("window", window, 1)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= 365:
                raise invalid(name, f"must be a whole number of days, {low} to 365", value)
        if not 0.0 < ascertainment <= 1.0:
            raise invalid("ascertainment", "must be a share in (0, 1]", ascertainment)
        if not dispersion > 0.0:
            raise invalid("dispersion", "must be positive", dispersion)
        if isinstance(scenario, str):
            sc = Scenario.preset(scenario)
        elif isinstance(scenario, Scenario):
            sc = scenario
        else:
            raise wrong_type("scenario", "a preset name or an afweging.Scenario", scenario)
        try:
            first = _dt.date.fromisoformat(start)
        except (TypeError, ValueError):
            raise invalid("start", "must be an ISO date (YYYY-MM-DD)", start) from None
        self.config: Dict[str, Any] = {
            "scenario": scenario if isinstance(scenario, str) else sc.to_dict(),
            "start": start,
            "step": _days(step),
            "seed": int(seed),
            "lead_in": int(lead_in),
            "window": int(window),
            "trigger": trigger,
            "ascertainment": float(ascertainment),
            "dispersion": float(dispersion),
        }
        self.plans = plans if plans is not None else SectorPlans.netherlands()
        cal = calibration if calibration is not None else Calibration.netherlands(regions=True)
        self.model = Model(cal, sc.starting_on(first - _dt.timedelta(days=lead_in)))
        self.regions: List[str] = cal.regions
        self.codes: List[str] = [r["code"] for r in cal.to_dict()["regions"]["regions"]]
        policy = self.plans.policy(trigger)
        self.trigger = self.plans.policy(trigger, regional=True)
        self.options: Dict[str, Dict[str, Any]] = {"geen": {"rungs": {}, "general": []}}
        for level in policy.to_dict()["trigger"]["levels"]:
            self.options[level["name"]] = level["package"]
        # The past before the exercise: the lead-in without measures.
        self.run: Run = self.model.run(days=lead_in)
        self._begin = self.run.state(lead_in)
        self._snapshot = self._begin
        self._decided: Dict[str, Any] = {"national": "geen"}
        #: Per step: the date, what was seen, what was decided.
        self.record: List[Dict[str, Any]] = []

    @property
    def day(self) -> int:
        """Days simulated, the lead-in included."""
        return int(self._snapshot.day)

    @property
    def date(self) -> str:
        return str(self._snapshot.date)

    def observe(self) -> Seen:
        """What the team sees today: the last ``window`` days of reported cases and admissions
        (delayed, thinned and noisy as the module says) and ICU occupancy, national and per region."""
        step = len(self.record)
        rng = np.random.default_rng([self.config["seed"], step])
        k, share = self.config["dispersion"], self.config["ascertainment"]
        days = self.run.days
        first = max(0, days - self.config["window"])
        start = np.datetime64(self.run.start_date, "D")
        dates = [str(start + d) for d in range(first, days)]
        regions: Dict[str, Dict[str, List[float]]] = {code: {} for code in self.codes}
        national: Dict[str, List[float]] = {}
        for name, series, reporting in SHOWN:
            by_region = self.run.by_region(series).sum(axis=2)  # days x regions
            reported = reporting.delayed(by_region)
            if reporting.ascertained:
                reported = reported * share
            window = reported[first:]
            if name != "icu_occupancy":
                mean = np.maximum(window, 0.0)
                window = np.where(mean > 0, rng.negative_binomial(k, k / (k + np.maximum(mean, 1e-300))), 0.0)
            else:
                window = np.round(window)
            for r, code in enumerate(self.codes):
                regions[code][name] = [float(v) for v in window[:, r]]
            national[name] = [float(v) for v in window.sum(axis=1)]
        return Seen(dates, national, regions)

    def _package(self, choice: Union[str, Mapping[str, Any], Policy], field: str) -> Dict[str, Any]:
        if isinstance(choice, str):
            if choice not in self.options:
                raise invalid(field, f"must be one of the options {', '.join(self.options)} or a package dict", choice)
            return dict(self.options[choice])
        if isinstance(choice, Mapping):
            return dict(choice)
        if isinstance(choice, Policy) and "package" in choice.to_dict():
            return dict(choice.to_dict()["package"])
        raise wrong_type(field, "an option name, a package (SectorPlans.package) or a package dict", choice)

    def _policy(self, decisions: Mapping[str, Any]) -> Policy:
        default = self._package(decisions.get("national", "geen"), "decisions.national")
        regions = {}
        for key, choice in decisions.items():
            if key == "national":
                continue
            if key not in self.codes and key not in self.regions:
                raise invalid("decisions", f"keys must be 'national' or safety regions ({', '.join(self.codes)})", key)
            regions[key] = self._package(choice, f"decisions.{key}")
        return self.plans.regional_packages(regions, default=default)

    def decide(self, decisions: Decisions) -> None:
        """The packages from this step on: ``{"national": option, "VR13": option, ...}`` (an option
        name of :attr:`options`, a package of :meth:`SectorPlans.package` or a package dict); regions not named follow ``national``. The
        decisions stay until decided again."""
        if not isinstance(decisions, Mapping):
            raise wrong_type("decisions", "a dict of region -> option", decisions)
        self._policy(decisions)  # checked now, not at the step
        self._decided = dict(decisions)

    def step(self) -> Seen:
        """Plays one step under the decisions in force and returns what is seen afterwards."""
        seen = self.observe()
        policy = self._policy(self._decided)
        days = self.config["step"]
        decided = {k: self._package(v, k) if isinstance(v, Policy) else v for k, v in self._decided.items()}
        self.record.append({"date": self.date, "seen": seen.to_dict(), "decisions": decided})
        self.run = self.model.run(policy, start=self._snapshot, days=days)
        self._snapshot = self.run.state(self.run.days)
        return self.observe()

    def play(self, decisions: Union[str, Sequence[Decisions]]) -> "Exercise":
        """Plays a script: one set of decisions per step, as a list or as JSON text of one
        (headless; also what :meth:`replay` does)."""
        if isinstance(decisions, str):
            try:
                decisions = json.loads(decisions)
            except ValueError:
                raise invalid("decisions", "must be JSON of a list of decisions per step", decisions[:80]) from None
        if not isinstance(decisions, list):
            raise wrong_type("decisions", "a list of decisions per step", decisions)
        for d in decisions:
            self.decide(d)
            self.step()
        return self

    # -- review ------------------------------------------------------------------------------

    def _sequence_run(self, sequence: Sequence[Mapping[str, Any]]) -> Run:
        """The run of a sequence of decisions from the exercise's start (one entry per step)."""
        snapshot, run = self._begin, self.run
        for decisions in sequence:
            run = self.model.run(self._policy(decisions), start=snapshot, days=self.config["step"])
            snapshot = run.state(run.days)
        return run

    def _score(self, run: Run, valuation: Valuation) -> Dict[str, Any]:
        money = json.loads(valuation._inner.monetise(run._inner, self.model.calibration._inner))
        vs = run.virus_spread()
        names = ("virus_spread", "societal", "socio_economic", "behavioural")
        out: Dict[str, Any] = {f"eur_{n}": float(v) for n, v in zip(names, money["by_dimension"])}
        out["eur_total"] = float(money["total"])
        out["deaths"] = float(vs["total_deaths"])
        out["peak_icu_occupancy"] = float(vs["peak_icu_occupancy"])
        return out

    def review(self, valuation: Optional[Valuation] = None, passes: int = 2) -> Dict[str, Any]:
        """Scores the decisions played against the hindsight-best sequence of national options and
        the trigger policy, over the steps played, on all four dimensions (EUR by the valuation,
        default the Dutch one) with deaths and the ICU peak: ``{"played": ..., "hindsight": ...,
        "trigger": ..., "hindsight_sequence": [...]}``."""
        if not self.record:
            raise invalid("review", "needs at least one step played", 0)
        val = valuation if valuation is not None else Valuation.netherlands()
        steps = len(self.record)
        played = self._score(self.run, val)

        def cost(sequence: List[str]) -> float:
            return float(self._score(self._sequence_run([{"national": o} for o in sequence]), val)["eur_total"])

        # National options only: a package dict played nationally starts the search from "geen".
        played_national = [d["decisions"].get("national", "geen") for d in self.record]
        best = [o if isinstance(o, str) else "geen" for o in played_national]
        best_cost = cost(best)
        for _ in range(passes):
            for i in range(steps):
                for option in self.options:
                    if option == best[i]:
                        continue
                    trial = best[:i] + [option] + best[i + 1 :]
                    c = cost(trial)
                    if c < best_cost:
                        best, best_cost = trial, c
        hindsight = self._score(self._sequence_run([{"national": o} for o in best]), val)
        trigger_run = self.model.run(self.trigger, start=self._begin, days=steps * self.config["step"])
        return {
            "played": played,
            "hindsight": hindsight,
            "trigger": self._score(trigger_run, val),
            "hindsight_sequence": best,
        }

    # -- record --------------------------------------------------------------------------------

    def to_json(self) -> str:
        """The exercise's settings and record (per step: date, what was seen, decisions) and the
        outcome so far (deaths, ICU peak): replay it with :meth:`replay`."""
        vs = self.run.virus_spread()
        outcome = {"deaths": float(vs["total_deaths"]), "peak_icu_occupancy": float(vs["peak_icu_occupancy"]), "days": self.run.days}
        return json.dumps({"config": self.config, "record": self.record, "outcome": outcome})

    @classmethod
    def replay(cls, text: str, plans: Optional[SectorPlans] = None) -> "Exercise":
        """Plays a recorded exercise again from its JSON: the same settings, the decisions of each
        step; the outcome and what was seen are those of the record (checked: a mismatch raises
        :class:`ValidationError`)."""
        data = json.loads(text)
        config = dict(data["config"])
        scenario = config.pop("scenario")
        if isinstance(scenario, Mapping):
            scenario = Scenario.from_json(dict(scenario))
        config["step"] = int(config["step"])
        ex = cls(scenario, config.pop("start"), config.pop("step"), config.pop("seed"), plans=plans, **config)
        for i, entry in enumerate(data["record"]):
            if ex.observe().to_dict() != entry["seen"]:
                raise invalid(f"record[{i}].seen", "differs from what the replay sees", entry["date"])
            ex.decide(entry["decisions"])
            ex.step()
        if "outcome" in data:
            vs = ex.run.virus_spread()
            if float(vs["total_deaths"]) != data["outcome"]["deaths"]:
                raise invalid("outcome.deaths", "differs from the replay's", data["outcome"]["deaths"])
        return ex

    def widget(self) -> Any:
        """A small Jupyter front (needs ``ipywidgets``, extra ``widgets``): the week's dashboard, a
        choice for the nation and for one region, and a step button."""
        w = _require("ipywidgets", "widgets")
        options = list(self.options)
        national = w.Dropdown(options=options, value="geen", description="national")
        region = w.Dropdown(options=[""] + self.codes, value="", description="region")
        region_choice = w.Dropdown(options=options, value="geen", description="package")
        out = w.Output()
        button = w.Button(description="step")

        def show() -> None:
            out.clear_output()
            with out:
                seen = self.observe()
                print(f"{self.date}: last 7 days, national")
                for name, values in seen.national.items():
                    print(f"  {name:>14}: {', '.join(f'{v:,.0f}' for v in values[-7:])}")

        def on_step(_: Any) -> None:
            decisions: Dict[str, Any] = {"national": national.value}
            if region.value:
                decisions[region.value] = region_choice.value
            self.decide(decisions)
            self.step()
            show()

        button.on_click(on_step)
        show()
        return w.VBox([w.HBox([national, region, region_choice, button]), out])
