"""What is reported from what happens: the observation model of :func:`afweging.fit`.

An observed daily series ``y_t`` is a count around its expected value (negative binomial in the
fit), and the expected value is what the model gives, delayed and thinned as it was reported::

    x_t    = sum_d w_d m_(t-d)                      delayed model value
    E[y_t] = a_t x_t                                 no capacity known on day t
    E[y_t] = C_t (1 - exp(-a_t x_t / C_t))           capacity C_t known on day t

``m`` is the model's national daily value (persons/day, or persons for occupancy), ``w`` the
delay from the event in the model to its report (a gamma distribution of mean ``delay_mean`` and
standard deviation ``delay_sd`` days, discretised to whole days), ``a_t`` the ascertainment in
force on day ``t`` (the share of events that are reported: 1 for hospital series, fitted per
testing regime for cases) and ``C_t`` the capacity (tests performed that day). With tests to
spare the cases are ``a_t x_t``; as the demand nears the capacity they saturate at ``C_t``, as
cases did when test sites were the bottleneck (August-September 2020).

>>> from afweging.observation import REPORTING
>>> REPORTING["deaths"].delay_mean
4.25
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

import numpy as np

from ._dated import in_force
from ._optional import require as _require
from .errors import ValidationError
from .run import Run


@dataclass(frozen=True)
class Reporting:
    """How one observed series is reported from a model series (see the module's equations)."""

    #: The :class:`~afweging.Run` attribute it counts (summed over age bands and regions).
    model: str
    #: Mean delay from the event in the model to its report (days).
    delay_mean: float = 0.0
    #: Standard deviation of the delay (days); 0 with a mean of 0 for no delay.
    delay_sd: float = 0.0
    #: Thinned by the ascertainment of the testing regime in force (fitted per regime).
    ascertained: bool = False
    #: The observed column whose values cap the reports of a day (``None``: no cap).
    capacity: Optional[str] = None
    #: Where the delay and the choices come from.
    source: str = ""

    def __post_init__(self) -> None:
        for name in ("delay_mean", "delay_sd"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 60.0:
                raise ValidationError(f"reporting.{name}: must be a number of days in [0, 60], got {value!r}")
        if (self.delay_mean == 0.0) != (self.delay_sd == 0.0):
            raise ValidationError(
                f"reporting.delay_sd: must be 0 exactly when delay_mean is 0, got mean {self.delay_mean} and sd {self.delay_sd}"
            )

    def delay_weights(self) -> np.ndarray:
        """``w_d`` for d = 0, 1, ...: the gamma's mass on ``(d - 0.5, d + 0.5]`` (day 0 from 0),
        up to the day where 99.9% is reached, normalised to sum to 1. Read-only: computed once
        per delay, as the fit asks for them at every evaluation of the posterior."""
        return _delay_weights(self.delay_mean, self.delay_sd)

    def delayed(self, m: np.ndarray) -> np.ndarray:
        """``x_t = sum_d w_d m_(t-d)``: a daily series ``m`` as reported, day by day (``m`` may
        hold several series as columns, ``days x k``)."""
        w = self.delay_weights()
        m = np.asarray(m, dtype=float)
        if m.ndim == 1:
            out: np.ndarray = np.convolve(m, w)[: len(m)]
            return out
        return np.stack([np.convolve(c, w)[: len(c)] for c in m.T], axis=1)

    def expected(self, run: Run, ascertainment: Optional[np.ndarray] = None, capacity: Optional[np.ndarray] = None) -> np.ndarray:
        """``E[y_t]`` for every day of ``run``. ``ascertainment`` (per day) applies when the
        series is ascertained; ``capacity`` (per day, NaN where unknown) when it has one."""
        values = np.asarray(getattr(run, self.model), dtype=float)
        x = self.delayed(values.reshape(values.shape[0], -1).sum(axis=1))
        if self.ascertained:
            if ascertainment is None:
                raise ValidationError(f"reporting of {self.model}: needs the ascertainment per day")
            x = x * ascertainment
        if capacity is not None and self.capacity is not None:
            known = np.isfinite(capacity) & (capacity > 0)
            c = np.where(known, capacity, 1.0)
            x = np.where(known, c * -np.expm1(-x / c), x)
        return x


@functools.lru_cache(maxsize=64)
def _delay_weights(mean: float, sd: float) -> np.ndarray:
    """:meth:`Reporting.delay_weights` of a delay of this mean and standard deviation (days)."""
    if mean == 0.0:
        out: np.ndarray = np.ones(1)
    else:
        gamma = _gamma_cdf(mean, sd)
        cdf = gamma(np.arange(0.5, 10.0 * (mean + sd) + 2.0))
        last = int(np.searchsorted(cdf, 0.999)) + 1
        weights = np.diff(np.concatenate([[0.0], cdf[:last]]))
        out = weights / weights.sum()
    out.setflags(write=False)
    return out


def _gamma_cdf(mean: float, sd: float) -> Callable[[np.ndarray], np.ndarray]:
    """The CDF of the gamma distribution with this mean and standard deviation (scipy)."""
    gamma = _require("scipy.stats", "fit").gamma
    shape = (mean / sd) ** 2
    scale = sd**2 / mean
    return lambda t: np.asarray(gamma.cdf(t, shape, scale=scale), dtype=float)


#: How each column of :func:`afweging.observed.netherlands` is reported (the fit's defaults).
REPORTING: Dict[str, Reporting] = {
    "admissions": Reporting("admissions", source="NICE, by day of admission: no delay"),
    "icu_admissions": Reporting("icu_admissions", source="NICE, by day of ICU admission: no delay"),
    "icu_occupancy": Reporting("icu_occupancy", source="NICE, patients in ICU on the day: a stock, no delay"),
    "ward_occupancy": Reporting("hospital_occupancy", source="NICE, patients on the ward on the day: a stock, no delay"),
    "deaths": Reporting(
        "deaths",
        delay_mean=4.25,
        delay_sd=6.0,
        source=(
            "measured: RIVM deaths by day of publication (deaths_nl_by_day.csv) against RIVM deaths by week "
            "of death (excess_mortality_nl_weekly.csv: rivm_covid_deaths_week), March 2020 - May 2021: the "
            "gamma delay with the least weekly squared error (benches/python/reporting_delay.py); the first "
            "wave alone gives 4.0 days, the second 5.5"
        ),
    ),
    "cases": Reporting(
        "infections",
        delay_mean=9.0,
        delay_sd=4.0,
        ascertained=True,
        capacity="tests",
        source=(
            "infection to report: incubation 5.8 days in the mean (McAloon et al., BMJ Open 2020; median 5.1, "
            "Lauer et al., Ann Intern Med 2020) and about 3 days from onset to a reported test (project "
            "assumption); capacity: GGD tests performed that day (cases_nl_by_day.csv: ggd_tests_performed, "
            "June 2020 - July 2021; GGD sites only, so a lower bound of all tests)"
        ),
    ),
}

#: Testing regimes: the dates from which who could get a test changed (the observed data's
#: README): priority groups and hospitals only; from 2020-06-01 everyone with symptoms; from
#: 2020-12-01 contacts without symptoms too. Cases are thinned by one ascertainment per regime.
TESTING_REGIMES: Tuple[str, ...] = ("2020-02-27", "2020-06-01", "2020-12-01")

#: Prior of the log ascertainment: ``log a ~ N(log ASCERTAINMENT_PRIOR[0], ASCERTAINMENT_PRIOR[1]^2)``
#: (a share from about 0.5% to 100% within two standard deviations).
ASCERTAINMENT_PRIOR = (0.1, 1.5)


def regime_days(start: np.datetime64, days: int, regimes: Tuple[np.datetime64, ...]) -> np.ndarray:
    """Index of the regime in force on each day of a run of ``days`` days from ``start`` (the
    first regime also before its date)."""
    index: np.ndarray = np.maximum(in_force(regimes, start + np.arange(days)), 0)
    return index


def log_prior_ascertainment(log_a: np.ndarray) -> float:
    """The negative log prior density (up to a constant) of log ascertainments."""
    centre, sd = ASCERTAINMENT_PRIOR
    return 0.5 * float((((log_a - math.log(centre)) / sd) ** 2).sum())
