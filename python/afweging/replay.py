"""Fitting the model to what was observed, and forecasting from the fit.

The first Dutch wave in three lines::

    obs = af.observed.netherlands()
    fit = af.fit(obs.loc[:"2020-04-15"])
    fc = fit.forecast(until="2020-06-01", draws=200)

**What is fitted.** A dated run (:attr:`Scenario.start_date`) under the measures of a
:class:`~afweging.Timeline` (default: the Dutch national timeline), whose force of infection is
scaled, in each period between two entries of the timeline, by a transmission factor ``theta_k``
(dimensionless, 1 = the timeline's packages explain the period's contacts at the variant's R0),
on top of the scenario's own dated ``transmission`` (in the replay scenario: Alpha's advantage as it
replaced the wild type in 2021); the run's factor on a day is the product of the two in force. The
fitted factors absorb what the packages do not: voluntary distancing, compliance, the weather. Also fitted, by default: the seed (share infected on the
start date), a factor on P(admission | infection) (``severity``) and a factor on P(ICU |
admission) (``icu_ratio``). The result is a scenario (:attr:`Fit.scenario`): any run of it, with
the timeline or with other measures, replays what the fit estimated.

**Likelihood.** Each observed series (by default ``admissions`` and ``icu_occupancy``) is a
negative binomial count around the model's value of the day, ``y_t ~ NB(mean m_t, dispersion
k)`` with variance ``m_t + m_t^2 / k``; ``k`` is fitted per series. Days without an observation
(NaN) are left out.

**Priors.** The log transmission factors follow a random walk, ``log theta_0 ~ N(0, 0.5^2)``,
``log theta_k ~ N(log theta_{k-1}, smoothness^2)``, so that a period with few observations
borrows from its neighbours; ``log severity`` and ``log icu_ratio`` are ``N(0, 0.5^2)``; weak
priors keep the seed (``log seed ~ N(log 1e-4, 3^2)``) and the dispersions (``log k ~ N(log 20,
1^2)``, :data:`DISPERSION_PRIOR`) from drifting along flat directions.

**Estimation.** The posterior mode by L-BFGS-B (:func:`scipy.optimize.minimize`), from a start
chosen by a short Nelder-Mead search; intervals by the Laplace approximation: the inverse of the
curvature of the negative log posterior at the mode, on the log scale of every parameter: the
likelihood's Hessian by central differences, with directions of negative curvature set flat (they
carry no information; left in, a single one made every interval of a 2021 fit span e^500), plus
the prior's, so that no direction is wider than the prior. Forecast draws sample the parameters from that normal approximation
(``numpy.random.default_rng(seed)``) and the counts from the negative binomial, so a forecast is
reproducible with its seed.

Requires scipy and pandas (the ``test`` or ``fit`` extras).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Set, Tuple

import numpy as np

from . import observed
from .observation import ASCERTAINMENT_PRIOR, REPORTING, TESTING_REGIMES, Reporting, log_prior_ascertainment, regime_days
from ._dated import in_force
from ._inputs import Calibration, Scenario
from ._optional import require as _require
from .errors import SolverError, ValidationError, wrong_type
from .model import Model
from .run import Run
from .timeline import STORED_FITS, PROTECTION_DELAY_DAYS, Timeline, fitted_run, nursing_homes, replay_calibration, replay_scenario, stored_fit

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Observed columns the fit can use, and the model series each counts (national totals per day);
#: how each is reported (delays, ascertainment, capacity) is :data:`afweging.observation.REPORTING`.
SERIES: Dict[str, str] = {column: r.model for column, r in REPORTING.items()}

#: Parameters besides the transmission factors that ``free`` may name.
OPTIONAL = ("seed", "severity", "icu_ratio")

#: Prior of the negative binomial dispersions: ``log k ~ N(log DISPERSION_PRIOR[0],
#: DISPERSION_PRIOR[1]^2)``. Without it long windows find a basin where a small ``k`` explains
#: away a misfit (the first wave alone gives k about 20 for admissions).
DISPERSION_PRIOR = (20.0, 1.0)

#: The groups of bands whose relative susceptibility :func:`fit` frees when given ``age_mix``:
#: one factor each (``susceptibility_<name>``), ``log s ~ N(0, 1)``. Fitted to the first wave's
#: admissions by age, the old of the replay are otherwise infected too rarely (docs/replay.md).
AGE_GROUPS: Dict[str, Tuple[str, ...]] = {"60-79": ("60-69", "70-79"), "80+": ("80+",)}

#: Quantiles of a forecast.
QUANTILES = (0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975)


def _factor_on(steps: Sequence[Tuple[np.datetime64, float]], date: np.datetime64) -> float:
    """The factor of ``steps`` (date, factor; ascending) in force on ``date`` by the engine's rule
    (:func:`afweging._dated.in_force`), 1 before the first."""
    i = int(in_force([d for d, _ in steps], date))
    return steps[i][1] if i >= 0 else 1.0


def _fail(field: str, message: str, value: Any) -> ValidationError:
    return ValidationError(f"{field}: {message}, got {value}")


@dataclass(frozen=True)
class _Problem:
    """Everything an evaluation of the posterior needs."""

    calibration: Calibration
    scenario: Dict[str, Any]
    timeline: Optional[Timeline]
    start: np.datetime64
    days: int
    period_starts: Tuple[np.datetime64, ...]  # the first is the start date
    observed: Dict[str, np.ndarray]  # column -> days, NaN where not observed
    free: Tuple[str, ...]
    smoothness: float
    every: Optional[int]
    reporting: Dict[str, Reporting]
    regimes: Tuple[np.datetime64, ...]  # testing regimes in the window (when cases are fitted)
    capacity: Dict[str, np.ndarray]  # column -> capacity per fitted day, NaN where unknown
    # Admissions by age: counts per group of bands, the bands of each group (indices into the
    # calibration's bands), and the days of the run they cover; empty without ``age_mix``.
    age_counts: Tuple[float, ...] = ()
    age_bands: Tuple[Tuple[int, ...], ...] = ()
    age_days: int = 0
    # Groups of bands whose relative susceptibility is fitted (name, band indices).
    susceptibility: Tuple[Tuple[str, Tuple[int, ...]], ...] = ()

    @property
    def periods(self) -> int:
        return len(self.period_starts)

    def names(self) -> List[str]:
        return (
            [f"theta_{k}" for k in range(self.periods)]
            + list(self.free)
            + [f"ascertainment_{k}" for k in range(len(self.regimes))]
            + [f"susceptibility_{name}" for name, _ in self.susceptibility]
            + [f"dispersion_{c}" for c in self.observed]
        )

    def _susceptibility_x(self, x: np.ndarray) -> np.ndarray:
        first = self.periods + len(self.free) + len(self.regimes)
        return x[first : first + len(self.susceptibility)]

    def calibration_at(self, x: np.ndarray) -> Calibration:
        """The calibration with the fitted factors on the relative susceptibility of
        :attr:`susceptibility`'s bands (the calibration itself when none are fitted)."""
        if not self.susceptibility:
            return self.calibration
        cal = self.calibration.to_dict()
        relative = [float(v) for v in cal["relative_susceptibility"]]
        for (_, bands), log_factor in zip(self.susceptibility, self._susceptibility_x(x)):
            for b in bands:
                relative[b] *= float(np.exp(log_factor))
        cal["relative_susceptibility"] = relative
        return Calibration.from_json(cal)

    def expected(self, run: Run, column: str, x: np.ndarray) -> np.ndarray:
        """What the observation model expects of ``column`` on each day of ``run`` at ``x``."""
        reporting = self.reporting[column]
        days = run.infections.shape[0]
        ascertainment = None
        if self.regimes:
            first = self.periods + len(self.free)
            shares = np.exp(x[first : first + len(self.regimes)])
            ascertainment = shares[regime_days(self.start, days, self.regimes)]
        capacity = self.capacity.get(column)
        if capacity is not None and len(capacity) != days:
            capacity = np.concatenate([capacity, np.full(max(days - len(capacity), 0), np.nan)])[:days]
        return reporting.expected(run, ascertainment, capacity)

    def bounds(self) -> List[Tuple[float, float]]:
        """Bounds of the parameters on the log scale: transmission factors 0.007-20, the seed
        1e-9 to 10% infected, severity and ICU factors 1/20 to 2.7 (above, the calibration's
        probabilities would pass 1), ascertainments 1e-4 to 1, susceptibility factors 1/20 to 20,
        dispersions 0.1-20,000 (beyond,
        the negative binomial is a Poisson)."""
        limits = {"seed": (np.log(1e-9), np.log(0.1)), "severity": (-3.0, 1.0), "icu_ratio": (-3.0, 1.0)}
        return (
            [(-5.0, 3.0)] * self.periods
            + [limits[name] for name in self.free]
            + [(np.log(1e-4), 0.0)] * len(self.regimes)
            + [(-3.0, 3.0)] * len(self.susceptibility)
            + [(np.log(0.1), np.log(2e4))] * len(self.observed)
        )

    def scenario_at(self, x: np.ndarray, later: Sequence[Tuple[np.datetime64, float]] = ()) -> Dict[str, Any]:
        """The scenario (as a dict) with the parameters ``x`` (log scale), and transmission
        factors ``later`` (date, log factor) after the fitted window."""
        sc: Dict[str, Any] = json.loads(json.dumps(self.scenario))
        values = dict(zip(self.names(), np.exp(x)))
        fitted = [(d, float(values[f"theta_{k}"])) for k, d in enumerate(self.period_starts)]
        fitted += [(d, float(np.exp(v))) for d, v in later]
        known = [(np.datetime64(e["from"], "D"), float(e["factor"])) for e in sc.get("transmission", [])]
        sc["transmission"] = [
            {"from": str(d), "factor": _factor_on(fitted, d) * _factor_on(known, d)}
            for d in sorted({d for d, _ in fitted + known})
        ]
        if "seed" in values:
            sc["initial"]["prevalence"] = float(values["seed"])
        if "severity" in values:
            sc["variant"]["severity"] = sc["variant"]["severity"] * float(values["severity"])
        if "icu_ratio" in values:
            sc["variant"]["icu_ratio"] = sc["variant"]["icu_ratio"] * float(values["icu_ratio"])
        return sc

    def run(self, x: np.ndarray, days: int, later: Sequence[Tuple[np.datetime64, float]] = ()) -> Run:
        model = Model(self.calibration_at(x), Scenario.from_json(self.scenario_at(x, later)))
        return model.run(days=days, timeline=self.timeline)

    def later_periods(self, days: int) -> List[np.datetime64]:
        """The dates after the fitted window, within a run of ``days`` days, on which the
        transmission factor takes a step of its random walk: the timeline's later entries and
        every ``every`` days from the start."""
        start, end = self.start + self.days, self.start + days - 1
        if end < start:
            return []
        dates: Set[Any] = set()
        if self.timeline is not None:
            for d in self.timeline.to_pandas()["date"]:
                day = np.datetime64(str(d)[:10], "D")
                if start <= day <= end:
                    dates.add(day)
        if self.every is not None:
            steps = np.arange(self.every, days, self.every)
            dates |= {d for d in self.start + steps if d >= start}
        return sorted(np.datetime64(d, "D") for d in dates)

    def dispersion(self, x: np.ndarray) -> Dict[str, float]:
        k = np.exp(x[-len(self.observed) :])
        return dict(zip(self.observed, (float(v) for v in k)))

    def negative_log_posterior(self, x: np.ndarray) -> float:
        return self.negative_log_likelihood(x) + self.negative_log_prior(x)

    def negative_log_likelihood(self, x: np.ndarray) -> float:
        """Minus the log likelihood of the observations at ``x`` (one run of the fitted window)."""
        if not np.all(np.isfinite(x)):
            return np.inf
        try:
            run = self.run(x, self.days)
        except (ValidationError, SolverError):
            return np.inf
        total = 0.0
        for column, k in self.dispersion(x).items():
            y = self.observed[column]
            mean = np.maximum(self.expected(run, column, x), 1e-9)
            seen = ~np.isnan(y)
            total -= float(_nb_logpmf(y[seen], mean[seen], k).sum())
        if self.age_counts:
            total -= self.age_log_likelihood(run)
        return total if np.isfinite(total) else np.inf

    def age_log_likelihood(self, run: Run) -> float:
        """Multinomial log likelihood (up to a constant) of the observed admissions by age
        given the model's shares over the same days: ``sum_g n_g log p_g``."""
        admitted = np.asarray(run.admissions)[: self.age_days].sum(axis=0)
        model = np.array([admitted[list(bands)].sum() for bands in self.age_bands])
        shares = np.maximum(model / max(model.sum(), 1e-300), 1e-300)
        return float(np.dot(self.age_counts, np.log(shares)))

    def negative_log_prior(self, x: np.ndarray) -> float:
        """Minus the log prior density at ``x`` (up to a constant; no run)."""
        theta = x[: self.periods]
        steps = np.diff(theta)
        total = 0.5 * float(theta[0] / 0.5) ** 2 + 0.5 * float(((steps / self.smoothness) ** 2).sum())
        names = self.names()
        for name in ("severity", "icu_ratio"):
            if name in self.free:
                total += 0.5 * float(x[names.index(name)] / 0.5) ** 2
        if "seed" in self.free:
            total += 0.5 * float((x[names.index("seed")] - np.log(1e-4)) / 3.0) ** 2
        first = self.periods + len(self.free)
        total += log_prior_ascertainment(x[first : first + len(self.regimes)])
        total += 0.5 * float((self._susceptibility_x(x) ** 2).sum())
        dispersion = x[-len(self.observed) :]
        total += 0.5 * float((((dispersion - np.log(DISPERSION_PRIOR[0])) / DISPERSION_PRIOR[1]) ** 2).sum())
        return float(total)


def _nb_logpmf(y: np.ndarray, mean: np.ndarray, k: float) -> np.ndarray:
    """log NB(y; mean, dispersion k) (variance ``mean + mean^2 / k``), for real ``y >= 0``."""
    gammaln = _require("scipy.special", "fit").gammaln
    out: np.ndarray = (
        gammaln(y + k)
        - gammaln(k)
        - gammaln(y + 1.0)
        + k * np.log(k / (k + mean))
        + y * np.log(mean / (k + mean))
    )
    return out


def series(run: Run, column: str) -> np.ndarray:
    """The national daily model value an observed column counts (:data:`SERIES`), before the
    reporting delay and ascertainment (:mod:`afweging.observation`)."""
    if column not in SERIES:
        raise _fail("observations", f"no model series for column {column!r} (known: {', '.join(SERIES)})", column)
    values: np.ndarray = getattr(run, SERIES[column]).sum(axis=1)
    return values


#: Timeline dates closer than this (days) to the previous period's start join that period (a day
#: or two of data cannot tell two factors apart).
MIN_PERIOD_DAYS = 3
#: The regular dates of ``every`` are left out within this many days of a timeline date.
REGULAR_GAP_DAYS = 7


def _period_starts(start: np.datetime64, until: np.datetime64, dates: Sequence[Any], every: Optional[int]) -> List[np.datetime64]:
    """The start date; the dates of ``dates`` after it up to ``until`` (one of two dates less than
    :data:`MIN_PERIOD_DAYS` apart); and a date every ``every`` days from the start, unless within
    :data:`REGULAR_GAP_DAYS` of a date already chosen."""
    pd = _require("pandas", "fit")
    chosen = pd.to_datetime(pd.Series(list(dates), dtype=object), errors="raise")
    starts = [start]
    for d in sorted(set(np.datetime64(pd.Timestamp(v).date(), "D") for v in chosen)):
        if start < d <= until and _days_between(starts[-1], d) >= MIN_PERIOD_DAYS:
            starts.append(d)
    if every is not None:
        for d in start + np.arange(every, _days_between(start, until) + 1, every):
            if all(abs(_days_between(s, d)) >= REGULAR_GAP_DAYS for s in starts):
                starts.append(d)
    return sorted(starts)


class Fit:
    """The result of :func:`fit`: estimates with intervals, and runs and forecasts from them."""

    def __init__(self, problem: _Problem, x: np.ndarray, covariance: np.ndarray, evaluations: int, converged: bool, message: str) -> None:
        self._problem = problem
        self._x = x
        self._cov = covariance
        #: Whether the optimiser reported convergence, and its message.
        self.converged = converged
        self.message = message
        #: Evaluations of the posterior used (each one a run of the fitted window).
        self.evaluations = evaluations

    @property
    def start(self) -> np.datetime64:
        return self._problem.start

    @property
    def params(self) -> "pd.DataFrame":
        """Estimates (posterior mode) with 95% Laplace intervals: one row per parameter,
        columns ``estimate``, ``lower``, ``upper`` (natural scale) and ``period_start`` for the
        transmission factors and the ascertainments (the start of their period or testing
        regime)."""
        pd = _require("pandas", "fit")
        sd = np.sqrt(np.maximum(np.diag(self._cov), 0.0))
        names = self._problem.names()
        starts: List[Optional[str]] = [str(d) for d in self._problem.period_starts]
        starts += [None] * len(self._problem.free) + [str(d) for d in self._problem.regimes]
        frame = pd.DataFrame(
            {
                "estimate": np.exp(self._x),
                "lower": np.exp(self._x - 1.959964 * sd),
                "upper": np.exp(self._x + 1.959964 * sd),
                "period_start": [starts[i] if i < len(starts) else None for i in range(len(names))],
            },
            index=pd.Index(names, name="parameter"),
        )
        return frame

    @property
    def scenario(self) -> Scenario:
        """The scenario at the estimates: dated, with the fitted seed, severity, ICU ratio and
        transmission per period (its ``transmission``)."""
        return Scenario.from_json(self._problem.scenario_at(self._x))

    @property
    def calibration(self) -> Calibration:
        """The calibration the fit's runs use: the one given, with the fitted factors on the
        relative susceptibility of the groups of bands when ``age_mix`` was fitted. Run
        :attr:`scenario` with it to replay the fit."""
        return self._problem.calibration_at(self._x)

    @property
    def timeline(self) -> Optional[Timeline]:
        """The measures the fit ran under."""
        return self._problem.timeline

    @property
    def log_posterior(self) -> float:
        return -self._problem.negative_log_posterior(self._x)

    def _days_until(self, until: Any) -> int:
        end = np.datetime64(str(until)[:10], "D")
        days = _days_between(self.start, end) + 1
        if days < 1:
            raise _fail("until", f"must be on or after the start date {self.start}", until)
        return days

    def run(self, until: Any) -> Run:
        """The dated run at the estimates under the fit's timeline, from the start date through
        ``until`` (inclusive); after the fitted window the measures follow the timeline and the
        last period's transmission factor goes on."""
        return self._problem.run(self._x, self._days_until(until))

    def forecast(self, until: Any, draws: int = 200, seed: int = 0) -> "Forecast":
        """Quantiles by date of every fitted series through ``until``: parameters drawn from the
        Laplace approximation; after the fitted window the transmission factor goes on as the
        prior's random walk (a step at each later timeline entry and every ``every`` days); counts
        drawn from the negative binomial. Prediction intervals, reproducible with ``seed``."""
        if isinstance(draws, bool) or not isinstance(draws, int) or draws < 2:
            raise _fail("draws", "must be a whole number >= 2", draws)
        days = self._days_until(until)
        rng = np.random.default_rng(seed)
        # The posterior lies within the bounds of the parameters; so do the draws.
        low, high = np.array(self._problem.bounds()).T
        xs = np.clip(rng.multivariate_normal(self._x, self._cov, size=draws, method="eigh"), low, high)
        later = self._problem.later_periods(days)
        steps = rng.normal(0.0, self._problem.smoothness, size=(draws, len(later))).cumsum(axis=1)
        columns = list(self._problem.observed)
        samples = {c: np.full((draws, days), np.nan) for c in columns}
        last = self._problem.periods - 1
        discarded = 0
        for i, x in enumerate(xs):
            walk = [(d, float(np.clip(x[last] + step, low[last], high[last]))) for d, step in zip(later, steps[i])]
            try:
                run = self._problem.run(x, days, walk)
            except (ValidationError, SolverError):
                discarded += 1
                continue
            for c, k in self._problem.dispersion(x).items():
                mean = np.maximum(self._problem.expected(run, c, x), 1e-9)
                samples[c][i] = rng.negative_binomial(k, k / (k + mean))
        dates = self.start + np.arange(days)
        return Forecast(dates, samples, self._problem.days, discarded)


class Forecast:
    """Quantiles by date of a :meth:`Fit.forecast`."""

    def __init__(self, dates: np.ndarray, samples: Dict[str, np.ndarray], fitted_days: int, discarded: int) -> None:
        self.dates = dates
        self.samples = samples
        #: Days of the forecast that were in the fitted window.
        self.fitted_days = fitted_days
        #: Draws whose parameters the model refused or could not integrate (left out of the
        #: quantiles; a forecast with many of them rests on a poorly determined fit).
        self.discarded = discarded

    def quantiles(self, column: str) -> np.ndarray:
        """``len(QUANTILES) x days``."""
        out: np.ndarray = np.nanquantile(self.samples[column], QUANTILES, axis=0)
        return out

    def to_pandas(self) -> "pd.DataFrame":
        """Tidy: columns ``date``, ``quantile`` and one per fitted series."""
        pd = _require("pandas", "fit")
        frames = []
        for i, q in enumerate(QUANTILES):
            frame = pd.DataFrame({"date": self.dates.astype("datetime64[ns]"), "quantile": q})
            for c in self.samples:
                frame[c] = self.quantiles(c)[i]
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)

    def plot(self, observed: Optional["pd.DataFrame"] = None, ax: Any = None) -> Any:
        """The median and the 50% and 95% prediction bands per series, with ``observed`` (a
        frame by date) as points; the end of the fitted window is marked."""
        plt = _require("matplotlib.pyplot", "plot")
        columns = list(self.samples)
        if ax is None:
            _, axes = plt.subplots(len(columns), 1, figsize=(8, 3 * len(columns)), sharex=True, squeeze=False)
            axes = axes[:, 0]
        else:
            axes = np.atleast_1d(ax)
        x = self.dates.astype("datetime64[ns]")
        for a, c in zip(axes, columns):
            q = self.quantiles(c)
            a.fill_between(x, q[0], q[-1], alpha=0.2, label="95%")
            a.fill_between(x, q[2], q[4], alpha=0.4, label="50%")
            a.plot(x, q[3], label="median")
            if observed is not None and c in observed:
                seen = observed[c].loc[str(self.dates[0]) : str(self.dates[-1])]
                a.plot(seen.index, seen.values, "k.", markersize=3, label="observed")
            a.axvline(x[min(self.fitted_days, len(x) - 1)], color="grey", linestyle=":")
            a.set_ylabel(c)
        axes[0].legend(loc="upper right")
        return axes


#: Use the Dutch national timeline (the default of :func:`fit`'s ``timeline``).
NETHERLANDS = "netherlands"


def fit(
    observations: "pd.DataFrame",
    calibration: Optional[Calibration] = None,
    scenario: Optional[Scenario] = None,
    timeline: Any = NETHERLANDS,
    columns: Sequence[str] = ("admissions", "icu_occupancy"),
    period_starts: Optional[Sequence[Any]] = None,
    every: Optional[int] = 14,
    free: Sequence[str] = OPTIONAL,
    smoothness: float = 0.3,
    reporting: Optional[Dict[str, Reporting]] = None,
    age_mix: Optional["pd.Series"] = None,
    susceptibility: Optional[Dict[str, Sequence[str]]] = None,
) -> Fit:
    """Fits transmission per period (and ``free``: ``seed``, ``severity``, ``icu_ratio``) to
    ``observations`` (a daily frame by date, e.g. a window of :func:`afweging.observed.netherlands`).

    ``scenario`` must be dated (``start_date``); default :func:`replay_scenario` (2020-02-27).
    ``calibration`` defaults to :func:`replay_calibration`: the Netherlands with nursing-home
    residents as a group of their own and factors on the susceptibility of the young (sourced) and
    of the old at large (fitted, :func:`afweging.timeline.replay_susceptibility`). ``timeline``: the measures in force (a
    :class:`Timeline`, default the Dutch national one, or ``None`` for none). The fitted window
    runs from the scenario's start date to the last date of ``observations``; days before the
    first observation count as unobserved. ``period_starts``: dates on which transmission may
    change (default: the timeline's dates), and also every ``every`` days from the start (``None``:
    only on those dates): behaviour drifts between changes of the measures. ``smoothness``: the
    standard deviation of each step of the random walk of the log transmission factors.
    ``reporting``: how a column is reported, by column, replacing the defaults of
    :data:`afweging.observation.REPORTING` (delays, ascertainment, capacity). Fitting ``cases``
    adds one ascertainment per testing regime in the window
    (:data:`afweging.observation.TESTING_REGIMES`), capped by the observations' ``tests`` column
    where it has values. ``age_mix``: observed admissions by age over the window (a Series of
    counts by age group, ``"lo-hi"`` or ``"lo+"``, ending on ``attrs["date_to"]``, e.g.
    :func:`afweging.observed.admissions_by_age`), held against the model's admissions by band
    over the same days by a multinomial likelihood; it frees one factor on the relative
    susceptibility of each group of bands of ``susceptibility`` (default :data:`AGE_GROUPS`),
    ``log s ~ N(0, 1)``, so the fitted calibration is :attr:`Fit.calibration`. A group of the
    calibration that is not an age range (the nursing-home residents) counts with the band it was
    taken from. Leave ``severity`` out of ``free`` with ``age_mix``: with both free, the first
    wave's fit went to a mode where most of the country was infected by June 2020
    (docs/replay.md). The result is deterministic.
    """
    pd = _require("pandas", "fit")
    minimize = _require("scipy.optimize", "fit").minimize

    cal = calibration if calibration is not None else replay_calibration()
    sc = scenario if scenario is not None else replay_scenario(cal)
    if isinstance(timeline, str) and timeline == NETHERLANDS:
        timeline = Timeline.netherlands()
    if timeline is not None and not isinstance(timeline, Timeline):
        raise wrong_type("timeline", "an afweging.Timeline or None", timeline)
    if period_starts is None:
        period_starts = [] if timeline is None else list(timeline.to_pandas()["date"])
    sc_dict = sc.to_dict()
    if not sc_dict.get("start_date"):
        raise _fail("scenario.start_date", "the scenario of a fit must be dated", None)
    for name in free:
        if name not in OPTIONAL:
            raise _fail("free", f"unknown parameter (known: {', '.join(OPTIONAL)})", repr(name))
    if not smoothness > 0:
        raise _fail("smoothness", "must be > 0", smoothness)
    if every is not None and (isinstance(every, bool) or not isinstance(every, int) or every < 1):
        raise _fail("every", "must be a whole number of days >= 1, or None", every)
    columns = list(columns)
    how = dict(REPORTING)
    for c, r in (reporting or {}).items():
        if not isinstance(r, Reporting):
            raise TypeError(f"reporting[{c!r}]: expected an afweging.observation.Reporting, got {type(r).__name__}")
        how[c] = r
    for c in columns:
        if c not in how:
            raise _fail("columns", f"no model series for {c!r} (known: {', '.join(how)})", c)
        if c not in observations:
            raise _fail("columns", f"{c!r} is not a column of the observations", c)
    obs = observed.check(observations[columns])
    start = np.datetime64(sc_dict["start_date"], "D")
    first = np.datetime64(obs.index[0].date(), "D")
    last = np.datetime64(obs.index[-1].date(), "D")
    if first < start:
        raise _fail("observations", f"start before the scenario's start_date {start}", str(first))
    days = _days_between(start, last) + 1
    index = pd.date_range(str(start), str(last), freq="D")
    aligned = obs.reindex(index)
    ascertained = any(how[c].ascertained for c in columns)
    regimes = sorted({max(start, np.datetime64(r, "D")) for r in TESTING_REGIMES if np.datetime64(r, "D") <= last})
    capacity: Dict[str, np.ndarray] = {}
    for c in columns:
        cap = how[c].capacity
        if cap is not None and cap in observations:
            values = observed.check(observations[[cap]]).reindex(index)[cap].to_numpy(dtype=float)
            capacity[c] = values
    problem = _Problem(
        calibration=cal,
        scenario=sc_dict,
        timeline=timeline,
        start=start,
        days=days,
        period_starts=tuple(_period_starts(start, last, period_starts, every)),
        every=every,
        observed={c: aligned[c].to_numpy(dtype=float) for c in columns},
        free=tuple(free),
        smoothness=float(smoothness),
        reporting={c: how[c] for c in columns},
        regimes=tuple(regimes) if ascertained else (),
        capacity=capacity,
    )
    daily = problem
    if age_mix is not None:
        groups: Dict[str, Sequence[str]] = dict(AGE_GROUPS) if susceptibility is None else susceptibility
        counts, bands, age_days = _age_mix(age_mix, cal, start, days)
        problem = replace(
            problem,
            age_counts=counts,
            age_bands=bands,
            age_days=age_days,
            susceptibility=_susceptibility_groups(groups, cal),
        )
    names = daily.names()
    x0 = np.zeros(len(names))
    if "seed" in free:
        prevalence = sc_dict["initial"].get("prevalence")
        if prevalence is None or prevalence <= 0:
            raise _fail("scenario.initial.prevalence", "must be a share above 0 to free 'seed' (one share for every band)", repr(prevalence))
        x0[names.index("seed")] = np.log(float(prevalence))
    x0[-len(columns) :] = np.log(10.0)
    shares = problem.periods + len(problem.free)
    x0[shares : shares + len(problem.regimes)] = np.log(ASCERTAINMENT_PRIOR[0])
    count = [0]

    def objective(x: np.ndarray, of: _Problem = problem) -> float:
        count[0] += 1
        return of.negative_log_posterior(x)

    # A short simplex search finds the basin of the daily series (the seed and the first period's
    # growth trade off); L-BFGS-B then climbs to the mode, the susceptibility factors of
    # ``age_mix`` (if any) starting at 1 from that basin.
    rough = minimize(
        objective,
        x0,
        args=(daily,),
        method="Nelder-Mead",
        bounds=daily.bounds(),
        options={"maxfev": 60 * len(x0), "xatol": 1e-2, "fatol": 1e-2},
    )
    start_x = np.insert(rough.x, daily.periods + len(daily.free) + len(daily.regimes), np.zeros(len(problem.susceptibility)))
    start_fun = objective(start_x) if problem.susceptibility else float(rough.fun)
    bounds = problem.bounds()
    best = minimize(objective, start_x, method="L-BFGS-B", bounds=bounds, options={"maxiter": 2000, "maxfun": 200_000})
    x = best.x if best.fun <= start_fun else start_x

    def likelihood(x: np.ndarray) -> float:
        count[0] += 1
        return problem.negative_log_likelihood(x)

    # Laplace: the likelihood's curvature, without directions of negative curvature (where the
    # optimiser stopped short of a mode or the likelihood is not convex there: they carry no
    # information), plus the prior's, so no direction is wider than the prior lets it be.
    curvature = _nonnegative(_hessian(likelihood, x)) + _hessian(problem.negative_log_prior, x)
    covariance = np.linalg.inv(curvature)
    return Fit(problem, x, covariance, count[0], bool(best.success), str(best.message))


def _age_mix(
    age_mix: Any, cal: Calibration, start: np.datetime64, days: int
) -> Tuple[Tuple[float, ...], Tuple[Tuple[int, ...], ...], int]:
    """The counts of ``age_mix`` by group of the calibration's bands, the bands of each group,
    and the days of the run through its ``attrs["date_to"]``."""
    pd = _require("pandas", "fit")
    if not isinstance(age_mix, pd.Series):
        raise wrong_type("age_mix", "a pandas Series of counts by age group", age_mix)
    bands = list(cal.age_bands)
    ranges = [observed.age_range(b) for b in bands]
    merged: Dict[Tuple[int, ...], float] = {}
    for label, n in age_mix.items():
        r = observed.age_range(str(label))
        if r is None or not np.isfinite(n) or n < 0:
            raise _fail(f"age_mix[{label}]", "must be an age group ('lo-hi' or 'lo+') with a count >= 0", n)
        inside = tuple(i for i, b in enumerate(ranges) if b is not None and r[0] <= b[0] and b[1] <= r[1])
        holding = tuple(i for i, b in enumerate(ranges) if b is not None and b[0] <= r[0] and r[1] <= b[1])
        group = inside or holding
        if not group:
            raise _fail(f"age_mix[{label}]", f"covers no whole band and lies in no single band of {bands}", label)
        merged[group] = merged.get(group, 0.0) + float(n)
    groups = list(merged)
    for i, a in enumerate(groups):
        for b in groups[i + 1 :]:
            if set(a) & set(b):
                raise _fail("age_mix", f"age groups overlap on bands {[bands[k] for k in sorted(set(a) & set(b))]}", list(age_mix.index))
    # A group that is no age range (the residents) counts with the band it was taken from.
    homes = nursing_homes()
    if bands[-1] == homes["band"] and homes["from_band"] in bands:
        source = bands.index(homes["from_band"])
        groups = [g + (len(bands) - 1,) if source in g else g for g in groups]
    until = age_mix.attrs.get("date_to")
    if until is None:
        raise _fail("age_mix.attrs['date_to']", "the last day the counts cover is needed", None)
    age_days = _days_between(start, np.datetime64(str(until)[:10], "D")) + 1
    if not 1 <= age_days <= days:
        raise _fail("age_mix.attrs['date_to']", f"must lie in the fitted window {start} .. {start + days - 1}", until)
    return tuple(merged.values()), tuple(groups), age_days


def _susceptibility_groups(groups: Dict[str, Sequence[str]], cal: Calibration) -> Tuple[Tuple[str, Tuple[int, ...]], ...]:
    bands = list(cal.age_bands)
    out = []
    for name, members in groups.items():
        for b in members:
            if b not in bands:
                raise _fail(f"susceptibility[{name!r}]", f"unknown band (known: {', '.join(bands)})", repr(b))
        out.append((str(name), tuple(bands.index(b) for b in members)))
    return tuple(out)


def _days_between(a: np.datetime64, b: np.datetime64) -> int:
    """Whole days from ``a`` to ``b`` (both ``datetime64[D]``)."""
    return int((b - a) // np.timedelta64(1, "D"))


def _hessian(f: Any, x: np.ndarray, step: float = 1e-3) -> np.ndarray:
    """Central-difference Hessian of ``f`` at ``x``."""
    n = len(x)
    h = np.zeros((n, n))
    f0 = f(x)
    for i in range(n):
        for j in range(i, n):
            ei = np.zeros(n)
            ej = np.zeros(n)
            ei[i] = step
            ej[j] = step
            if i == j:
                value = (f(x + ei) - 2 * f0 + f(x - ei)) / step**2
            else:
                value = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (4 * step**2)
            h[i, j] = h[j, i] = value
    return h


def _nonnegative(h: np.ndarray) -> np.ndarray:
    """``h`` with its negative eigenvalues set to 0 (the nearest positive semi-definite matrix)."""
    w, v = np.linalg.eigh(0.5 * (h + h.T))
    out: np.ndarray = (v * np.maximum(w, 0.0)) @ v.T
    return out
