"""Sequential decisions: decide now, or wait for more (noisy, late) information.

A tree of decision **stages** (dates), each with its **options** (packages of the sector plans, or
fragments of a timeline); the uncertain parameters (:class:`afweging.Uncertainty`) are chance
nodes the decision-maker never sees directly, only through **signals** simulated from the draw's
own run up to each stage date: reported hospital admissions (always), and optionally cases from
testing, a serological survey and the sequenced share of a new variant (:class:`Variant`). Solved in Rust (``src/decision/sequential.rs``) by backward
induction over simulated branches, with least-squares estimates of the conditional expected loss
(Longstaff & Schwartz 2001), fitted on one half of the draws and valued on the other. See
``docs/sequential_decisions.md`` for the method and what is assumed.

>>> import numpy as np
>>> from afweging.sequential import solve_table
>>> res = solve_table([["a", "b"]], np.array([[1.0, 2.0], [3.0, 1.0]]), weights=[0.5, 0.5])
>>> res.best_fixed, float(res.sequential.value)
('a → b', 1.5)
"""

from __future__ import annotations

import datetime as _dt
import functools
import itertools
import math
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union, cast

import numpy as np
import numpy.typing as npt

from . import _core
from ._display import esc, num, table
from ._inputs import Calibration, Scenario
from ._optional import pandas as _pandas
from ._optional import require as _require
from ._dated import in_force
from .errors import NotAvailableError, UnknownNameError, ValidationError, invalid, number, unknown, wrong_type
from .observation import REPORTING, TESTING_REGIMES, regime_days
from .run import Run
from .timeline import DateLike, Timeline, _day, stored_fit
from .uncertainty import Uncertainty
from .valuation import Valuation

Array = npt.NDArray[np.float64]

#: Dispersion ``k`` of the negative binomial reporting noise (variance ``m + m^2/k``): the centre
#: of the fit's prior (:data:`afweging.replay.DISPERSION_PRIOR`), an assumption until a fit of the
#: period gives one (``af.fit(...).dispersion``); override per source.
DEFAULT_DISPERSION = 20.0


class Estimate(NamedTuple):
    """An expected value (EUR) with its 95% bootstrap interval over draws."""

    value: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.value:.4g} [{self.low:.4g}, {self.high:.4g}]"


# --------------------------------------------------------------------------------------------
# information sources


class _Branch:
    """The national daily series of one simulated branch, as :class:`~afweging.observation.Reporting`
    reads them from a run (a run's attributes by name)."""

    def __init__(self, admissions: Array, infections: Array, share: Optional[Array] = None) -> None:
        self.admissions = admissions
        self.infections = infections
        #: Per day: the new variant's share of infections in this draw (None: no new variant).
        self.share = share


def _nb_counts(mean: Array, u: Array, k: float) -> Array:
    """Negative binomial counts of mean ``mean`` and dispersion ``k`` at the uniforms ``u``
    (inverse CDF: the same ``u`` of a day gives the same report on every branch that shares
    the day, common random numbers)."""
    nbinom = _require("scipy.stats", "fit").nbinom
    m = np.maximum(mean, 1e-9)
    return np.asarray(nbinom.ppf(u, k, k / (k + m)), dtype=float)


def _weekly(counts: Array, day: int, window: int) -> Tuple[float, float]:
    """``log(1 + last window)`` and the growth ``log((1 + last) / (1 + window before))`` of the
    reports before ``day``."""
    last = counts[max(day - window, 0) : day].sum()
    before = counts[max(day - 2 * window, 0) : max(day - window, 0)].sum()
    return math.log1p(last), math.log1p(last) - math.log1p(before)


def _check_source(source: Any, positive: Sequence[str] = (), whole: Sequence[str] = (), share: Sequence[str] = ()) -> None:
    """Validates a source's parameters, naming ``<source>.<field>``."""
    for field in positive:
        v = getattr(source, field)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
            raise invalid(f"{source.name}.{field}", "must be a finite number > 0", v)
    for field in whole:
        v = getattr(source, field)
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise invalid(f"{source.name}.{field}", "must be a whole number >= 1", v)
    for field in share:
        v = getattr(source, field)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v <= 1:
            raise invalid(f"{source.name}.{field}", "must be a share in (0, 1]", v)


@dataclass(frozen=True)
class Reports:
    """Hospital admissions as reported (NICE, :data:`afweging.observation.REPORTING` ``admissions``:
    by day of admission, no delay), with negative binomial noise of dispersion ``dispersion``,
    seen through the day before the stage. Features: ``log(1 + admissions of the last week)`` and
    the weekly growth. Always seen (the base of :meth:`SequentialResult.evsi`)."""

    dispersion: float = DEFAULT_DISPERSION
    window: int = 7
    name = "reports"
    features = ("admissions_week_log", "admissions_growth")

    def __post_init__(self) -> None:
        _check_source(self, positive=["dispersion"], whole=["window"])

    def expected(self, branch: _Branch, start: _dt.date) -> Array:
        return REPORTING["admissions"].expected(cast(Run, branch))

    def observe(self, expected: Array, u: Array, day: int, population: float) -> List[float]:
        counts = _nb_counts(expected[:day], u[:day], self.dispersion)
        return list(_weekly(counts, day, self.window))


@dataclass(frozen=True)
class Testing:
    """Cases as reported (:data:`afweging.observation.REPORTING` ``cases``: infection to report a
    gamma delay of 9 +- 4 days, thinned by the ascertainment, capped by the GGD tests of the
    day from the observed data), with negative binomial noise. ``ascertainment`` (the share of
    infections that became a reported case from 2020-06-01, when everyone with symptoms could
    be tested) is an **assumption** (0.3; the fit, :func:`afweging.fit`, estimates it per
    testing regime): override it. Features: ``log(1 + cases of the last week)`` and the weekly
    growth."""

    ascertainment: float = 0.3
    dispersion: float = DEFAULT_DISPERSION
    window: int = 7
    capacity: bool = True
    name = "testing"
    features = ("cases_week_log", "cases_growth")

    def __post_init__(self) -> None:
        _check_source(self, positive=["dispersion"], whole=["window"], share=["ascertainment"])

    def expected(self, branch: _Branch, start: _dt.date) -> Array:
        days = len(branch.infections)
        regimes = tuple(np.datetime64(r, "D") for r in TESTING_REGIMES)
        index = regime_days(np.datetime64(start.isoformat(), "D"), days, regimes)
        # Before 2020-06-01 only priority groups were tested: a tenth of the share (assumption).
        a = np.where(index >= 1, self.ascertainment, 0.1 * self.ascertainment)
        capacity = _tests_per_day(start, days) if self.capacity else None
        return REPORTING["cases"].expected(cast(Run, branch), a, capacity)

    def observe(self, expected: Array, u: Array, day: int, population: float) -> List[float]:
        counts = _nb_counts(expected[:day], u[:day], self.dispersion)
        return list(_weekly(counts, day, self.window))


@functools.lru_cache(maxsize=8)
def _tests_per_day(start: _dt.date, days: int) -> Array:
    """GGD tests performed per day from ``start`` (the observed data; NaN where unknown): the
    capacity that caps reported cases."""
    from . import observed

    tests = observed.netherlands()["tests"]
    dates = np.datetime64(start.isoformat(), "ns") + np.arange(days) * np.timedelta64(1, "D")
    return np.asarray(tests.reindex(dates).to_numpy(dtype=float))


def _sampled_logit(u: float, sample: int, share: float) -> float:
    """What a survey of ``sample`` persons (or sequences) shows of a true ``share``: the binomial
    count at quantile ``u`` (the branch's common random number), as the logit of the observed share
    with 0.5 added to both counts. The share is held to [0, 1] only against rounding of sums."""
    binom = _require("scipy.stats", "fit").binom
    positive = float(binom.ppf(u, sample, min(max(share, 0.0), 1.0)))
    return math.log((positive + 0.5) / (sample - positive + 0.5))


@dataclass(frozen=True)
class Serology:
    """A serological survey: of ``sample`` persons drawn at random, those with antibodies
    (binomial sampling noise), where a person has antibodies ``lag_days`` after infection; the
    sample is taken ``result_days`` before the stage (the time to test and publish). Reinfection
    and waning of antibodies are ignored (autumn 2020: few). Defaults: ``sample`` 3,207, the
    participants of the first PIENTER Corona round (Vos et al., J Epidemiol Community Health
    2021;75:489-495); ``lag_days`` 21, about 5 days incubation plus a median seroconversion of
    about two weeks after onset (Long et al., Nat Med 2020;26:845-848); ``result_days`` 14 an
    **assumption**. Feature: the logit of the survey's share (with 0.5 added to both counts)."""

    sample: int = 3207
    lag_days: int = 21
    result_days: int = 14
    name = "serology"
    features = ("seroprevalence_logit",)

    def __post_init__(self) -> None:
        _check_source(self, whole=["sample", "lag_days", "result_days"])

    def expected(self, branch: _Branch, start: _dt.date) -> Array:
        return np.cumsum(branch.infections)

    def observe(self, expected: Array, u: Array, day: int, population: float) -> List[float]:
        at = day - self.result_days - self.lag_days
        share = float(expected[at - 1]) / population if at >= 1 else 0.0
        return [_sampled_logit(u[max(day - self.result_days, 0)], self.sample, share)]


@dataclass(frozen=True)
class Sequencing:
    """The share of a new variant (:class:`Variant`, passed to the tree as ``variant=``) among
    ``sample`` infections sequenced at random from the ``window`` days (7) that end ``result_days``
    before the stage, with binomial sampling noise. The true share of that week is the variant's share of
    each day weighted by the branch's infections of the day (the share among the week's
    infections). Defaults: ``sample`` 1,000 a week, RIVM's random sample of the national
    kiemsurveillance in early 2021 (600-900 sequences a week at RIVM plus 300-400 at Erasmus MC:
    answer of the minister of VWS to parliamentary questions, Aanhangsel Handelingen II
    2020/21, nr. 1930, 8 March 2021; the ECDC minimum is 500 a week); ``result_days`` 14, the
    weeks RIVM does not yet report because sequencing and its logistics take that long (RIVM,
    open data "varianten via de aselecte steekproef", data.overheid.nl, 2021). Feature: the
    logit of the observed share (with 0.5 added to both counts)."""

    sample: int = 1000
    result_days: int = 14
    window: int = 7
    name = "sequencing"
    features = ("variant_share_logit",)

    def __post_init__(self) -> None:
        _check_source(self, whole=["sample", "result_days", "window"])

    def expected(self, branch: _Branch, start: _dt.date) -> Array:
        if branch.share is None:
            raise NotAvailableError("sequencing: the tree has no new variant to sequence; pass variant=af.sequential.Variant(...)")
        return np.stack([branch.infections, branch.infections * branch.share[: len(branch.infections)], branch.share[: len(branch.infections)]])

    def observe(self, expected: Array, u: Array, day: int, population: float) -> List[float]:
        end = day - self.result_days
        if end < 1:
            share = 0.0
        else:
            infections, of_variant, daily = expected[:, max(end - self.window, 0) : end]
            total = float(infections.sum())
            share = float(of_variant.sum()) / total if total > 0 else float(daily.mean())
        return [_sampled_logit(u[max(end, 0)], self.sample, share)]


#: A number (certain) or a distribution in the uncertainty JSON form (``{"type": "normal",
#: "mean": ..., "sd": ...}``, optionally with ``"truncate"``).
Spec = Union[float, Mapping[str, Any]]


@dataclass(frozen=True)
class Variant:
    """A new variant that takes over by a logistic in time, as the replay writes Alpha
    (``python/afweging/data/replay/nederland_2020.json``, ``transmission``): its share of
    infections on day ``t``

    ``share(t) = 1 / (1 + exp(-(t - midpoint - shift) / scale))``        (t, midpoint in days)

    and the force of infection multiplied by ``1 + advantage x share(t)`` (dimensionless), in
    weekly dated transmission factors from the scenario's start that multiply any already there.
    ``advantage`` (relative, > -1), ``shift`` (days added to ``midpoint``) and ``scale`` (days,
    > 0) are each a number or a distribution (uncertainty JSON form), drawn per draw by the
    engine's sampler independently of the tree's other uncertain parameters: the chance node a
    :class:`Sequencing` source observes. Alpha in the Netherlands (the replay's sources): advantage
    0.425 (RIVM, Feb 2021: 40-45%; Davies et al., Science 2021: 43-90%), midpoint 2021-02-14,
    scale 12.9 days (kiemsurveillance: 31% on 4 February; RIVM's model: 59% on 19 February).
    A variant whose share is given at a date instead of its midpoint: :meth:`through`.

    Without a ``scale`` it follows from the advantage: with equal generation times ``T_g`` the
    logit of the share grows by ``ln(1 + advantage) / T_g`` a day, so ``scale = T_g /
    ln(1 + advantage)`` (the model's ``T_g``: latent plus infectious days of the scenario's
    variant; 5 days gives 14.1 days for Alpha, against the 12.9 read from the kiemsurveillance).
    Then a faster share tells of a larger advantage, which :class:`Sequencing` can observe."""

    advantage: Spec
    midpoint: DateLike
    scale: Optional[Spec] = None
    shift: Spec = 0.0
    name = "variant"

    def __post_init__(self) -> None:
        _day(self.midpoint, "variant.midpoint")
        for field in ("advantage", "scale", "shift"):
            if getattr(self, field) is not None:
                self._parameter(field)

    @classmethod
    def through(cls, share: float, on: DateLike, scale: Spec, advantage: Spec, shift: Spec = 0.0) -> "Variant":
        """The variant whose share is ``share`` on ``on`` (at the centre of ``scale``):
        ``midpoint = on - scale_centre x logit(share)``, rounded to a day."""
        x = number(share, "variant.share")
        if not 0 < x < 1:
            raise invalid("variant.share", "must be a share in (0, 1)", share)
        centre = _centre(scale, "variant.scale")
        days = round(-centre * math.log(x / (1 - x)))
        return cls(advantage=advantage, midpoint=_day(on, "variant.on") + _dt.timedelta(days=days), scale=scale, shift=shift)

    def _parameter(self, field: str) -> Dict[str, Any]:
        """One parameter in the uncertainty JSON form (a number becomes a fixed distribution)."""
        spec = getattr(self, field)
        if isinstance(spec, Mapping):
            spec = dict(spec)
            truncate = spec.pop("truncate", None)
            out: Dict[str, Any] = {"path": f"scenario.new_variant.{field}", "apply": "set", "distribution": spec}
            if truncate is not None:
                out["truncate"] = truncate
        else:
            value = number(spec, f"variant.{field}")
            if field == "advantage" and value <= -1:
                raise invalid("variant.advantage", "must be > -1 (the factor 1 + advantage x share stays positive)", spec)
            if field == "scale" and value <= 0:
                raise invalid("variant.scale", "must be a number of days > 0", spec)
            out = {"path": f"scenario.new_variant.{field}", "apply": "set", "distribution": {"type": "fixed", "value": value}}
        return out

    def sample(self, draws: int, seed: int, generation_days: Optional[float] = None) -> Array:
        """``draws x 3``: advantage, shift and scale of draws ``0..draws`` of ``seed`` (the
        engine's sampler, a stream per parameter name, so they are independent of the tree's
        other uncertain parameters). Without a ``scale`` it follows from the advantage:
        ``generation_days / ln(1 + advantage)`` (days). Raises :class:`ValidationError` naming
        ``variant.<field>`` for a distribution that is invalid or reaches an advantage <= -1
        (<= 0 when the scale follows from it) or a scale <= 0."""
        derived = self.scale is None
        if derived and generation_days is None:
            raise invalid("variant.scale", "must be given when no generation time is known", None)
        specs = [self._parameter(f) for f in ("advantage", "shift")]
        specs.append(self._parameter("scale") if not derived else {"path": "scenario.new_variant.scale", "apply": "set", "distribution": {"type": "fixed", "value": 1.0}})
        try:
            u = Uncertainty.from_json({"name": "variant", "description": "a new variant's takeover", "parameters": specs})
        except ValidationError as e:
            raise invalid("variant", f"has an invalid distribution ({e})", {f: getattr(self, f) for f in ("advantage", "shift", "scale")}) from None
        values = np.asarray(u.sample(draws, seed), dtype=float)
        if derived:
            if (values[:, 0] <= 0).any():
                raise invalid("variant.advantage", "must be > 0 in every draw when the scale follows from it (no scale given)", self.advantage)
            values[:, 2] = float(cast(float, generation_days)) / np.log1p(values[:, 0])
        for field, bad in (("advantage", values[:, 0] <= -1), ("scale", values[:, 2] <= 0)):
            if bad.any():
                raise invalid(f"variant.{field}", "draws values out of range (advantage > -1, scale > 0): truncate the distribution", getattr(self, field))
        return values

    def share(self, start: _dt.date, days: int, advantage_shift_scale: Sequence[float]) -> Array:
        """The share of each of ``days`` days from ``start`` for one draw's parameters."""
        _, shift, scale = advantage_shift_scale
        mid = (_day(self.midpoint, "variant.midpoint") - start).days + shift
        t = np.arange(days, dtype=float)
        return np.asarray(0.5 * (1.0 + np.tanh((t - mid) / (2.0 * scale))))

    def scenario(self, scenario: Scenario, until: _dt.date, advantage_shift_scale: Sequence[float]) -> Scenario:
        """``scenario`` with the variant's weekly factors ``1 + advantage x share`` (the share
        on each step's date) multiplied into its transmission factors, by the engine's rule
        for which factor is in force on a date (:func:`afweging._dated.in_force`; 1 before
        the first)."""
        data = scenario.to_dict()
        start = _dt.date.fromisoformat(str(data["start_date"]))
        steps = data.get("transmission") or []
        weekly = [start + _dt.timedelta(days=7 * w) for w in range((until - start).days // 7 + 1)]
        dates = sorted({*weekly, *(_dt.date.fromisoformat(str(e["from"])) for e in steps)})
        share = self.share(start, (until - start).days + 1, advantage_shift_scale)
        variant = [1.0 + advantage_shift_scale[0] * float(share[(w - start).days]) for w in weekly]
        base = in_force([e["from"] for e in steps], dates) if steps else np.full(len(dates), -1)
        week = in_force(weekly, dates)
        data["transmission"] = [
            {"from": d.isoformat(), "factor": (float(steps[i]["factor"]) if i >= 0 else 1.0) * (variant[w] if w >= 0 else 1.0)}
            for d, i, w in zip(dates, base, week)
        ]
        return Scenario.from_json(data)


def _centre(spec: Spec, field: str) -> float:
    """A parameter's centre: the number, or its distribution's median (the engine's quantile)."""
    if isinstance(spec, Mapping):
        u = Uncertainty.from_json(
            {"name": "centre", "description": "", "parameters": [{"path": "scenario.new_variant.x", "apply": "set", "distribution": dict(spec)}]}
        )
        return float(u.quantiles([0.5])[0, 0])
    return number(spec, field)


#: The sources a tree can see.
Source = Union[Reports, Testing, Serology, Sequencing]
_SOURCES: Dict[str, Any] = {"reports": Reports, "testing": Testing, "serology": Serology, "sequencing": Sequencing}


def _source(value: Any, field: str) -> Source:
    """An optional information source from its name or object."""
    if isinstance(value, str):
        if value not in _SOURCES:
            raise UnknownNameError(f"{field}: unknown information source {value!r}; known: {', '.join(_SOURCES)}")
        value = _SOURCES[value]()
    if not isinstance(value, (Reports, Testing, Serology, Sequencing)):
        raise wrong_type(field, "an information source (Reports, Testing, Serology, Sequencing or its name)", value)
    return value


# --------------------------------------------------------------------------------------------
# the solver on a loss table


def _label(path: Sequence[str]) -> str:
    return " → ".join(path)


class SequentialResult:
    """What :meth:`Sequential.solve` (or :func:`solve_table`) finds. Losses in EUR (lower is
    better).

    ``sequential``
        Expected loss of the sequential strategy (each stage decides on what is seen by then),
        valued on draws its rules were not fitted on; :class:`Estimate` with a 95% interval.
    ``commit_now``
        Expected loss of choosing the whole path at the first stage (on what is seen then).
    ``value_of_waiting``
        ``commit_now - sequential``: what keeping later decisions open for the signals is worth.
    ``strategies``
        Expected loss per fixed path (the one-stage decision tree over all draws), with
        ``best_fixed`` and ``evpi`` (perfect information on the draw).
    ``policy``
        The rules (fitted on all draws), one row per stage, earlier choices and option: the
        share of draws that take it and the coefficients of its estimated loss on what is seen.
    """

    def __init__(
        self,
        raw: Dict[str, Any],
        stages: List[str],
        options: List[List[str]],
        feature_names: List[List[str]],
        source_names: List[str],
    ) -> None:
        self.stages = stages
        self.options = options
        self.feature_names = feature_names
        self.source_names = source_names
        all_paths = list(itertools.product(*options))
        self.paths: List[str] = [_label(all_paths[i]) for i in raw["paths"]]
        tree = raw["strategies"]
        self.expected: Array = np.asarray(tree["expected"], dtype=float)
        self.best_fixed: str = self.paths[tree["best"]]
        self.evpi: float = float(tree["evpi"])
        self.sequential = Estimate(*raw["sequential"])
        self.commit_now = Estimate(*raw["commit_now"])
        self.value_of_waiting = Estimate(*raw["value_of_waiting"])
        self._evsi = [Estimate(*e) for e in raw["evsi"]]
        self._rules: List[Tuple[int, int, int, List[float], float]] = raw["rules"]
        #: ``draws x stages``: the option the sequential strategy took in each draw (held out).
        self.chosen: npt.NDArray[np.int64] = raw["chosen"]
        #: Per draw: the held-out loss of the sequential strategy (EUR).
        self.held_out: Array = raw["held_out"]
        #: Per stage: ``draws x prefixes x features``, what was seen (see :attr:`feature_names`).
        self.features: List[Array] = []
        self.raw = raw

    def evsi(self, source: str) -> Estimate:
        """The expected value of sample information of ``source`` (EUR): the expected loss of
        the sequential strategy that sees the reports alone minus that of the one that also sees
        ``source``."""
        extra = self.source_names[1:]
        if source not in extra:
            raise UnknownNameError(f"source: {source!r} is not an optional source of this tree; it has: {', '.join(extra) or 'none'}")
        return self._evsi[extra.index(source)]

    def _prefix(self, stage: int, prefix: int) -> str:
        names: List[str] = []
        for k in reversed(range(stage)):
            n = len(self.options[k])
            names.append(self.options[k][prefix % n])
            prefix //= n
        return _label(list(reversed(names))) or "(start)"

    def _seen(self, stage: int) -> List[str]:
        return [f"{self.stages[j]}:{f}" for j in range(stage + 1) for f in self.feature_names[j]]

    @property
    def policy(self) -> Any:
        """The best choice at each stage given what is seen, as a table (pandas): one row per
        stage, earlier choices and open option: ``share`` of draws that take it there, and the
        estimated conditional expected loss ``intercept + sum coef * seen`` (the option with the
        lowest estimate is chosen)."""
        pd = _pandas()
        rows = []
        for stage, prefix, option, coef, share in self._rules:
            row: Dict[str, Any] = {
                "stage": self.stages[stage],
                "after": self._prefix(stage, prefix),
                "option": self.options[stage][option],
                "share": share,
                "intercept": coef[0],
            }
            row.update(dict(zip(self._seen(stage), coef[1:])))
            rows.append(row)
        return pd.DataFrame(rows)

    def decide(self, stage: Union[int, str], seen: Mapping[str, float], after: Sequence[str] = ()) -> str:
        """The option the rules choose at ``stage`` (index or date) after the choices ``after``
        when the features ``seen`` (names as in :attr:`policy`'s columns) are observed."""
        k = self.stages.index(stage) if isinstance(stage, str) else int(stage)
        if not 0 <= k < len(self.stages):
            raise invalid("stage", f"must be a stage of the tree ({', '.join(self.stages)})", stage)
        if len(after) != k:
            raise invalid("after", f"must name the {k} earlier choice(s)", list(after))
        prefix = 0
        for j, name in enumerate(after):
            if name not in self.options[j]:
                raise UnknownNameError(f"after[{j}]: unknown option {name!r}; known: {', '.join(self.options[j])}")
            prefix = prefix * len(self.options[j]) + self.options[j].index(name)
        names = self._seen(k)
        missing = [n for n in names if n not in seen]
        if missing:
            raise invalid("seen", f"must give every feature seen at this stage: missing {', '.join(missing)}", sorted(seen))
        x = np.array([1.0] + [float(seen[n]) for n in names])
        best: Optional[Tuple[float, str]] = None
        for stage_, prefix_, option, coef, _ in self._rules:
            if stage_ == k and prefix_ == prefix:
                q = float(np.dot(coef, x))
                if best is None or q < best[0]:
                    best = (q, self.options[k][option])
        if best is None:
            raise invalid("after", "leads to no feasible option", list(after))
        return best[1]

    def to_pandas(self, table: str = "strategies") -> Any:
        """``"strategies"``: expected loss per fixed path, plus the sequential and commit-now
        strategies, with intervals where held out; ``"policy"``: :attr:`policy`; ``"value"``:
        value of waiting and EVSI per source."""
        pd = _pandas()
        if table == "strategies":
            rows = [{"strategy": p, "expected": e, "low": np.nan, "high": np.nan} for p, e in zip(self.paths, self.expected)]
            for name, est in (("sequential", self.sequential), ("commit now", self.commit_now)):
                rows.append({"strategy": name, "expected": est.value, "low": est.low, "high": est.high})
            return pd.DataFrame(rows).set_index("strategy")
        if table == "policy":
            return self.policy
        if table == "value":
            rows = [{"quantity": "value of waiting", **self.value_of_waiting._asdict()}]
            rows += [{"quantity": f"EVSI {s}", **self.evsi(s)._asdict()} for s in self.source_names[1:]]
            return pd.DataFrame(rows).set_index("quantity")
        raise invalid("table", "must be one of strategies, policy, value", table)

    def __repr__(self) -> str:
        return (
            f"SequentialResult({len(self.stages)} stages, {len(self.paths)} paths; sequential {self.sequential}, "
            f"commit now {self.commit_now}, value of waiting {self.value_of_waiting})"
        )

    def _repr_html_(self) -> str:
        rows = [[esc(p) + (" ★" if p == self.best_fixed else ""), num(e, 4), "", ""] for p, e in zip(self.paths, self.expected)]
        for name, est in (("sequential", self.sequential), ("commit now", self.commit_now), ("value of waiting", self.value_of_waiting)):
            rows.append([f"<b>{name}</b>", num(est.value, 4), num(est.low, 4), num(est.high, 4)])
        for s in self.source_names[1:]:
            est = self.evsi(s)
            rows.append([f"<b>EVSI {esc(s)}</b>", num(est.value, 4), num(est.low, 4), num(est.high, 4)])
        return (
            f"<b>Sequential decision</b> &mdash; stages {esc(', '.join(self.stages))}; loss in EUR, lower is better; "
            f"★ best fixed path; held-out values with 95% bootstrap intervals"
            + table(["strategy", "expected", "low", "high"], rows, right=[1, 2, 3])
        )

    def plot(self, ax: Optional[Any] = None) -> Any:
        """Draws the tree: a square decision node per stage and earlier choices, a branch per
        option labelled with its expected loss when followed by the best continuation on average
        (fixed paths) and the share of draws the sequential strategy sends along it; the leaves
        show each path's expected loss. Needs matplotlib."""
        plt = _require("matplotlib.pyplot", "plot")
        if ax is None:
            _, ax = plt.subplots(figsize=(9, max(3.0, 0.45 * len(self.paths) + 1)))
        all_paths = list(itertools.product(*self.options))
        expected = {p: e for p, e in zip(self.paths, self.expected)}
        leaves = [p for p in all_paths if _label(p) in expected]
        y_of = {p: -i for i, p in enumerate(leaves)}
        stages = len(self.options)
        share: Dict[Tuple[str, ...], float] = {}
        for row in self.chosen:
            names = tuple(self.options[k][int(a)] for k, a in enumerate(row))
            for k in range(1, stages + 1):
                share[names[:k]] = share.get(names[:k], 0.0) + 1.0 / len(self.chosen)

        def centre(prefix: Tuple[str, ...]) -> float:
            ys = [y_of[p] for p in leaves if p[: len(prefix)] == prefix]
            return float(np.mean(ys))

        def best_below(prefix: Tuple[str, ...]) -> float:
            return float(min(expected[_label(p)] for p in leaves if p[: len(prefix)] == prefix))

        nodes: set[Tuple[str, ...]] = {()}
        for p in leaves:
            nodes.update(p[:k] for k in range(1, stages))
        for prefix in sorted(nodes, key=len):
            k = len(prefix)
            x0, y0 = float(k), centre(prefix)
            ax.plot([x0], [y0], "s", ms=12, color="tab:blue", mec="black", zorder=3)
            for option in self.options[k]:
                child = prefix + (option,)
                if not any(p[: k + 1] == child for p in leaves):
                    continue
                y1 = centre(child)
                s = share.get(child, 0.0)
                color = "tab:green" if s > 0 else "grey"
                ax.plot([x0, x0 + 1], [y0, y1], color=color, lw=1.0 + 3.0 * s)
                ax.text(
                    x0 + 0.5,
                    (y0 + y1) / 2,
                    f"{option}\nE≥{num(best_below(child), 3)} · {100 * s:.0f}%",
                    ha="center",
                    va="center",
                    fontsize=7,
                    bbox={"fc": "white", "ec": "none", "pad": 0.5},
                )
        for p in leaves:
            ax.plot([stages], [y_of[p]], "<", ms=7, color="black")
            ax.text(stages + 0.08, y_of[p], num(expected[_label(p)], 4), va="center", fontsize=8)
        ax.set_xlim(-0.3, stages + 0.9)
        ax.axis("off")
        ax.set_title(
            f"sequential {num(self.sequential.value, 4)}; commit now {num(self.commit_now.value, 4)}; "
            f"value of waiting {num(self.value_of_waiting.value, 3)} EUR",
            fontsize=9,
        )
        return ax


def solve_table(
    options: Sequence[Sequence[str]],
    loss: Any,
    features: Optional[Sequence[Any]] = None,
    sources: Optional[Sequence[Sequence[int]]] = None,
    weights: Optional[Sequence[float]] = None,
    feasible: Optional[Sequence[bool]] = None,
    *,
    stages: Optional[Sequence[str]] = None,
    feature_names: Optional[Sequence[Sequence[str]]] = None,
    source_names: Sequence[str] = ("reports",),
    seed: int = 0,
) -> SequentialResult:
    """Solves a sequential tree from a loss table: ``loss`` is draws x paths (paths in the order
    of ``itertools.product(*options)``), ``features[k]`` draws x prefixes x features (what is seen
    at stage ``k`` after each combination of earlier choices; default: nothing), ``sources[k]``
    the source of each feature (0: always seen), ``weights`` per draw (default equal; scenario
    probabilities give the one-stage decision tree), ``feasible`` per path (default all)."""
    names_of: List[List[str]] = [list(map(str, o)) for o in options]
    if not names_of:
        raise invalid("stages", "must have at least one stage", 0)
    loss = np.asarray(loss, dtype=float)
    if loss.ndim != 2:
        raise invalid("loss", "must be draws x paths (2-D)", loss.shape, shown=f"shape {loss.shape}")
    draws = loss.shape[0]
    prefixes = [int(np.prod([len(o) for o in names_of[:k]])) for k in range(len(names_of))]
    if features is None:
        features = [np.zeros((draws, p, 0)) for p in prefixes]
    feats = [np.ascontiguousarray(np.asarray(f, dtype=float)) for f in features]
    for k, f in enumerate(feats):
        if f.ndim != 3:
            raise invalid(f"features[{k}]", "must be draws x prefixes x features (3-D)", f.shape, shown=f"shape {f.shape}")
    if sources is None:
        sources = [[0] * f.shape[2] for f in feats]
    w = [1.0 / draws] * draws if weights is None else [float(x) for x in weights]
    ok = [True] * loss.shape[1] if feasible is None else [bool(x) for x in feasible]
    raw = _core.sequential_solve(
        [len(o) for o in names_of], ok, np.ascontiguousarray(loss), feats, [list(map(int, s)) for s in sources], w, int(seed)
    )
    names = [list(n) for n in feature_names] if feature_names is not None else [[f"x{j}" for j in range(f.shape[2])] for f in feats]
    labels = list(stages) if stages else [f"stage {k + 1}" for k in range(len(names_of))]
    result = SequentialResult(raw, labels, names_of, names, list(source_names))
    result.features = feats
    return result


# --------------------------------------------------------------------------------------------
# the tree over the model

def autumn_2020() -> Tuple[Scenario, Dict[str, Dict[str, float]]]:
    """The replay scenario fitted to what a crisis team knew on 1 October 2020: :func:`afweging.fit`
    with its defaults on the observed admissions and ICU occupancy from 2020-02-27 through
    2020-09-30 (transmission per period, seed, severity, ICU ratio), stored because the fit takes
    minutes (:func:`afweging.replay.stored_fit`, ``python/afweging/data/replay/fit_2020-09-30.json``,
    written by ``scripts/fit_replay.py``); and the fit's parameters, name -> estimate, lower, upper
    (e.g. ``dispersion_admissions``, the negative binomial dispersion of the admissions)."""
    return stored_fit("2020-09-30")



Option = Union[None, Mapping[str, Any], Sequence[Mapping[str, Any]]]


class Sequential:
    """A sequential decision tree over the replayed model.

    ``stages``
        The decision dates (ISO), increasing; at least one.
    ``options``
        One dict per stage (a list, or a dict keyed by stage date): option name -> a package of
        the sector plans (``{"rungs": {...}, "general": [...]}``, in force from the stage date),
        a timeline fragment (a list of timeline entries, each dated on or after its stage date
        and before the next stage: a lockdown cannot start before the decision), or ``None``:
        as recorded in ``timeline`` until the next stage.
    ``uncertain``
        The chance nodes: an :class:`afweging.Uncertainty`, or a dict path -> parameter
        (``{"apply": "scale", "distribution": {...}}``, as in the uncertainty JSON).
    ``signals``
        Optional information sources besides the always-seen reports: ``"testing"``,
        ``"serology"``, ``"sequencing"`` (or :class:`Testing`, :class:`Serology`,
        :class:`Sequencing` with their parameters); ``reports`` sets the reports' own parameters.
    ``variant``
        A new variant (:class:`Variant`, or a dict of its fields) whose uncertain takeover
        multiplies each draw's transmission factors; what :class:`Sequencing` observes. Draws
        then run one by one (each its own scenario).
    ``min_days``
        Option name -> minimum days in force: an option chosen at a stage must be chosen again
        (same name) at every later stage fewer than that many days after it (reopening only
        after a minimum duration). Paths that break it are infeasible.
    ``until``
        Last day of the runs (the horizon of the losses).
    ``scenario``
        A dated scenario; default :func:`afweging.timeline.replay_scenario`, which is *not*
        fitted (its epidemic is not 2020's): pass a fit's scenario (``af.fit(...).scenario``,
        or :func:`autumn_2020` for decisions from October 2020).

    Each branch is a full dated run from the scenario's start with the choice path as a timeline
    (the same past, then the chosen package from each stage date on): runs are deterministic, so
    this is what a continuation from a snapshot gives (``_simulate`` is the one place to switch).
    Losses are the monetised totals of :class:`afweging.Valuation` (EUR).
    """

    def __init__(
        self,
        stages: Sequence[DateLike],
        options: Union[Sequence[Mapping[str, Option]], Mapping[str, Mapping[str, Option]]],
        uncertain: Union[None, Uncertainty, Mapping[str, Mapping[str, Any]]] = None,
        signals: Sequence[Union[str, Source, Sequencing]] = (),
        *,
        until: DateLike = "2020-12-31",
        min_days: Optional[Mapping[str, int]] = None,
        reports: Optional[Reports] = None,
        timeline: Optional[Timeline] = None,
        scenario: Optional[Scenario] = None,
        calibration: Optional[Calibration] = None,
        valuation: Optional[Valuation] = None,
        variant: Union[None, Variant, Mapping[str, Any]] = None,
    ) -> None:
        if isinstance(stages, (str, _dt.date)) or not isinstance(stages, Sequence) or len(stages) == 0:
            raise invalid("stages", "must be a non-empty list of dates", stages)
        self.stages = [_day(s, f"stages[{k}]") for k, s in enumerate(stages)]
        for k in range(1, len(self.stages)):
            if self.stages[k] <= self.stages[k - 1]:
                raise invalid(f"stages[{k}]", f"must come after stages[{k - 1}] ({self.stages[k - 1]})", str(self.stages[k]))
        self.until = _day(until, "until")
        if self.until < self.stages[-1]:
            raise invalid("until", f"must be on or after the last stage ({self.stages[-1]})", str(self.until))
        self.timeline = timeline if timeline is not None else Timeline.netherlands()
        if scenario is None:
            from .timeline import replay_scenario

            scenario = replay_scenario()
        self.scenario = scenario
        start = scenario.to_dict().get("start_date")
        if start is None:
            raise invalid("scenario", "must be dated (scenario.starting_on(date))", scenario.name)
        self.start = _dt.date.fromisoformat(str(start))
        if self.stages[0] <= self.start:
            raise invalid("stages[0]", f"must come after the scenario's start ({self.start})", str(self.stages[0]))
        self.calibration = calibration if calibration is not None else Calibration.netherlands()
        self.valuation = valuation if valuation is not None else Valuation.netherlands()
        self.uncertainty = _uncertainty(uncertain)
        self.reports = reports if reports is not None else Reports()
        if not isinstance(self.reports, Reports):
            raise wrong_type("reports", "a Reports source", self.reports)
        self.variant = _variant(variant)
        if isinstance(signals, (str, Reports, Testing, Serology, Sequencing)):
            signals = [signals]
        extra = [_source(s, f"signals[{i}]") for i, s in enumerate(signals)]
        names = [s.name for s in extra]
        if "reports" in names or len(set(names)) != len(names):
            raise invalid("signals", "must name each optional source once (reports are always seen)", names)
        if "sequencing" in names and self.variant is None:
            raise NotAvailableError("signals: sequencing needs a new variant to sequence; pass variant=af.sequential.Variant(...)")
        self.sources: List[Source] = [self.reports, *extra]
        self.options, self._fragments = self._read_options(options)
        self.min_days = self._read_min_days(min_days)

    # -- options and rules -------------------------------------------------------------------

    def _read_options(self, options: Any) -> Tuple[List[List[str]], List[List[List[Dict[str, Any]]]]]:
        stages = [s.isoformat() for s in self.stages]
        if isinstance(options, Mapping):
            unknown = [k for k in options if _day(k, "options") not in self.stages]
            if unknown or len(options) != len(stages):
                raise invalid("options", f"must have one entry per stage ({', '.join(stages)})", sorted(map(str, options)))
            options = [options[k] for k in sorted(options, key=lambda d: _day(d, "options"))]
        if not isinstance(options, Sequence) or len(options) != len(stages):
            raise invalid("options", f"must have one dict of options per stage ({len(stages)})", options)
        names: List[List[str]] = []
        fragments: List[List[List[Dict[str, Any]]]] = []
        for k, stage_options in enumerate(options):
            if not isinstance(stage_options, Mapping) or not stage_options:
                raise invalid(f"options[{k}]", "must be a non-empty dict: option name -> package, fragment or None", stage_options)
            names.append([str(n) for n in stage_options])
            fragments.append([self._fragment(k, str(n), o) for n, o in stage_options.items()])
        return names, fragments

    def _fragment(self, k: int, name: str, option: Option) -> List[Dict[str, Any]]:
        """The timeline entries of one option, dated and checked against its stage."""
        field = f"options[{k}][{name!r}]"
        stage = self.stages[k]
        end = self.stages[k + 1] if k + 1 < len(self.stages) else None
        if option is None:
            entries = self.timeline.to_dict()["entries"]
            before = [e for e in entries if _dt.date.fromisoformat(e["date"]) <= stage]
            if not before:
                raise invalid(field, "has nothing recorded in force at its stage date", str(stage))
            first = dict(before[-1], date=stage.isoformat())
            later = [e for e in entries if stage < _dt.date.fromisoformat(e["date"]) and (end is None or _dt.date.fromisoformat(e["date"]) < end)]
            return [first, *later]
        if isinstance(option, Mapping):
            if "date" in option:
                raise invalid(field, "is a package (no date) or a list of entries; got one entry", dict(option))
            return [
                {
                    "date": stage.isoformat(),
                    "name": name,
                    "source": "option of a sequential decision tree",
                    "certainty": "unsure",
                    "package": dict(option),
                }
            ]
        if isinstance(option, Sequence) and not isinstance(option, str) and option:
            out = []
            for i, e in enumerate(option):
                if not isinstance(e, Mapping) or "date" not in e:
                    raise invalid(f"{field}[{i}]", "must be a timeline entry with a date", e)
                d = _day(e["date"], f"{field}[{i}].date")
                if d < stage:
                    raise invalid(f"{field}[{i}].date", f"is before its stage date {stage}: a measure cannot start before it is decided", str(d))
                if end is not None and d >= end:
                    raise invalid(f"{field}[{i}].date", f"is on or after the next stage ({end}), which decides from then on", str(d))
                out.append({"source": "option of a sequential decision tree", "certainty": "unsure", **dict(e), "date": d.isoformat()})
            return out
        raise wrong_type(field, "a package dict, a list of timeline entries or None (as recorded)", option)

    def _read_min_days(self, min_days: Optional[Mapping[str, int]]) -> Dict[str, int]:
        out: Dict[str, int] = {}
        known = {n for stage in self.options for n in stage}
        for name, days in (min_days or {}).items():
            if name not in known:
                raise UnknownNameError(f"min_days: unknown option {name!r}; known: {', '.join(sorted(known))}")
            if isinstance(days, bool) or not isinstance(days, int) or days < 1:
                raise invalid(f"min_days[{name!r}]", "must be a whole number of days >= 1", days)
            out[name] = days
        return out

    def paths(self) -> List[Tuple[str, ...]]:
        """Every combination of options, in path order (first stage most significant)."""
        return list(itertools.product(*self.options))

    def feasible(self) -> List[bool]:
        """Per path: whether it keeps every ``min_days`` rule."""
        out = []
        for path in self.paths():
            ok = True
            for k, name in enumerate(path):
                days = self.min_days.get(name)
                if days is None:
                    continue
                for j in range(k + 1, len(path)):
                    if (self.stages[j] - self.stages[k]).days < days and path[j] != name:
                        ok = False
            out.append(ok)
        if not any(out):
            raise invalid("min_days", "leaves no feasible path", self.min_days)
        return out

    def timeline_of(self, path: Sequence[str]) -> Timeline:
        """The timeline of one path: the recorded entries before the first stage, then the chosen
        option's entries from each stage date on."""
        base = self.timeline.to_dict()
        entries = [e for e in base["entries"] if _dt.date.fromisoformat(e["date"]) < self.stages[0]]
        for k, name in enumerate(path):
            entries += self._fragments[k][self.options[k].index(name)]
        data = dict(base, name=f"{base['name']}: {_label(path)}", entries=entries)
        return Timeline.from_json(data, self.timeline.plans)

    # -- solving ------------------------------------------------------------------------------

    def _simulate(self, draws: int, seed: int, threads: Optional[int], paths: List[Tuple[str, ...]]) -> Tuple[Array, Array, Array, float]:
        """Runs every path in every draw: the one place a snapshot continuation would replace the
        full run from the start. With a :attr:`variant` each draw has its own scenario, so the
        draws run one by one, each with the tree's uncertain parameters fixed at that draw's
        values (the engine's draw ``d`` of ``seed``)."""
        days = (self.until - self.start).days + 1
        observed = (self.stages[-1] - self.start).days
        timelines = [self.timeline_of(p)._inner for p in paths]

        def run(scenario: Scenario, uncertainty: Uncertainty, n: int) -> Tuple[Array, Array, Array, float]:
            return _core.sequential_branches(
                self.calibration._inner, scenario._inner, uncertainty._inner, seed, n, timelines, days, observed, self.valuation._inner, threads
            )

        if self.variant is None:
            return run(self.scenario, self.uncertainty, draws)
        values = self.uncertainty.sample(draws, seed)
        parts = [run(self.variant.scenario(self.scenario, self.until, v), _fixed(self.uncertainty, values[d]), 1) for d, v in enumerate(self._variant_draws(draws, seed))]
        loss, admissions, infections = (np.concatenate([p[j] for p in parts]) for j in range(3))
        return loss, admissions, infections, parts[0][3]

    def solve(self, draws: int = 200, seed: int = 0, threads: Optional[int] = None) -> SequentialResult:
        """Simulates every path in ``draws`` draws (the uncertainty's draws ``0..draws`` of
        ``seed``) on ``threads`` threads (default all cores), simulates what each stage sees, and
        solves the tree by backward induction. Needs pandas and scipy (the ``fit`` extra)."""
        if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 4:
            raise invalid("draws", "must be a whole number >= 4 (half the draws fit the rules, half value them)", draws)
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise invalid("seed", "must be a whole number >= 0", seed)
        if threads is not None and (isinstance(threads, bool) or not isinstance(threads, (int, np.integer)) or threads < 1):
            raise invalid("threads", "must be a whole number >= 1 (or None: all cores)", threads)
        paths = self.paths()
        feasible = self.feasible()
        open_paths = [p for p, ok in zip(paths, feasible) if ok]
        loss_open, admissions, infections, population = self._simulate(int(draws), int(seed), threads, open_paths)
        loss = np.full((draws, len(paths)), np.nan)
        column = {p: j for j, p in enumerate(open_paths)}
        for j, p in enumerate(paths):
            if p in column:
                loss[:, j] = loss_open[:, column[p]]
        rng = np.random.default_rng([int(seed), 20_201_001])
        days = admissions.shape[2]
        shares = None if self.variant is None else [self.variant.share(self.start, days, v) for v in self._variant_draws(int(draws), int(seed))]
        # Common random numbers: one uniform per draw, source and day, shared by every branch.
        uniforms = rng.random((len(self.sources), draws, days))
        features: List[Array] = []
        sources: List[List[int]] = []
        for k, stage in enumerate(self.stages):
            day = (stage - self.start).days
            n_prefix = int(np.prod([len(o) for o in self.options[:k]]))
            cols = sum(len(s.features) for s in self.sources)
            x = np.zeros((draws, n_prefix, cols))
            for prefix in range(n_prefix):
                rep = self._representative(k, prefix, open_paths, column)
                if rep is None:
                    continue
                for d in range(draws):
                    branch = _Branch(admissions[d, rep], infections[d, rep], None if shares is None else shares[d])
                    row: List[float] = []
                    for s, source in enumerate(self.sources):
                        row += source.observe(source.expected(branch, self.start), uniforms[s, d], day, population)
                    x[d, prefix] = row
            features.append(x)
            sources.append([s for s, source in enumerate(self.sources) for _ in source.features])
        return solve_table(
            self.options,
            loss,
            features,
            sources,
            None,
            feasible,
            stages=[s.isoformat() for s in self.stages],
            feature_names=[[f for source in self.sources for f in source.features] for _ in self.stages],
            source_names=[s.name for s in self.sources],
            seed=int(seed),
        )

    def _variant_draws(self, draws: int, seed: int) -> Array:
        """The new variant's advantage, shift and scale per draw; a scale that follows from the
        advantage uses the generation time of the scenario's variant (latent plus infectious
        days, the mean generation time of the model's SEIR)."""
        variant = self.scenario.to_dict()["variant"]
        return cast(Variant, self.variant).sample(draws, seed, float(variant["latent_days"]) + float(variant["infectious_days"]))

    def _representative(self, k: int, prefix: int, open_paths: List[Tuple[str, ...]], column: Dict[Tuple[str, ...], int]) -> Optional[int]:
        """A feasible path that starts with the prefix of stage ``k`` (its run up to the stage
        date is that of every such path), as its column in the simulated branches."""
        names: List[str] = []
        for j in reversed(range(k)):
            n = len(self.options[j])
            names.append(self.options[j][prefix % n])
            prefix //= n
        head = tuple(reversed(names))
        for p in open_paths:
            if p[:k] == head:
                return column[p]
        return None

    def __repr__(self) -> str:
        return (
            f"Sequential(stages {', '.join(s.isoformat() for s in self.stages)}; "
            f"options {' x '.join(str(len(o)) for o in self.options)}; sources {', '.join(s.name for s in self.sources)})"
        )


def _fixed(uncertainty: Uncertainty, values: Array) -> Uncertainty:
    """``uncertainty`` with each parameter fixed at ``values`` (one draw of :meth:`Uncertainty.sample`):
    a draw of its own, run alone."""
    data = uncertainty.to_dict()
    data["parameters"] = [
        {k: v for k, v in p.items() if k != "truncate"} | {"distribution": {"type": "fixed", "value": float(x)}}
        for p, x in zip(data["parameters"], values)
    ]
    return Uncertainty.from_json(data)


def _variant(value: Any) -> Optional[Variant]:
    """The tree's new variant from a :class:`Variant` or a dict of its fields."""
    if value is None or isinstance(value, Variant):
        return value
    if not isinstance(value, Mapping):
        raise wrong_type("variant", "a Variant or a dict (advantage, midpoint, scale, shift)", value)
    fields = ("advantage", "midpoint", "scale", "shift")
    for key in value:
        if key not in fields:
            raise unknown(f"variant.{key}", "field of a variant", key, list(fields))
    missing = [f for f in fields[:3] if f not in value]
    if missing:
        raise invalid("variant", f"must give {', '.join(missing)}", dict(value))
    return Variant(**value)


def _uncertainty(value: Any) -> Uncertainty:
    if value is None:
        return Uncertainty.none()
    if isinstance(value, Uncertainty):
        return value
    if isinstance(value, Mapping):
        parameters = []
        for path, spec in value.items():
            if not isinstance(spec, Mapping):
                raise wrong_type(f"uncertain[{path!r}]", "a parameter dict (apply, distribution)", spec)
            parameters.append({"path": path, **dict(spec)})
        return Uncertainty.from_json(
            {"name": "sequential", "description": "the chance nodes of a sequential tree", "parameters": parameters}
        )
    raise wrong_type("uncertain", "an Uncertainty or a dict path -> parameter", value)


__all__ = ["Estimate", "autumn_2020", "Reports", "Serology", "Sequencing", "Sequential", "SequentialResult", "Testing", "Variant", "solve_table"]
