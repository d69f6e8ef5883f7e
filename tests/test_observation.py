"""The observation model (afweging.observation): delays, ascertainment and capacity."""

from __future__ import annotations

import numpy as np
import pytest

import afweging as af
from afweging import replay
from afweging.observation import REPORTING, TESTING_REGIMES, Reporting, regime_days


@pytest.fixture(scope="module")
def run() -> af.Run:
    model = af.Model(af.Calibration.netherlands(), af.Scenario.preset("centraal"))
    return model.run(days=120)


@pytest.mark.parametrize("mean, sd", [(4.25, 6.0), (9.0, 4.0), (2.0, 1.0)])
def test_delay_weights_are_a_distribution_with_the_stated_mean(mean: float, sd: float) -> None:
    w = Reporting("deaths", delay_mean=mean, delay_sd=sd).delay_weights()
    assert (w >= 0).all() and w.sum() == pytest.approx(1.0)
    # Whole days round the gamma to its nearest day: the mean moves by less than a tenth of a day.
    assert float(np.arange(len(w)) @ w) == pytest.approx(mean, abs=0.1)


def test_without_delay_or_ascertainment_the_model_value_is_reported(run: af.Run) -> None:
    for column in ("admissions", "icu_occupancy", "ward_occupancy"):
        assert np.array_equal(REPORTING[column].expected(run), replay.series(run, column))


def test_a_delay_moves_the_reports_later_and_keeps_them(run: af.Run) -> None:
    deaths = replay.series(run, "deaths")
    reported = REPORTING["deaths"].expected(run)
    assert np.argmax(reported) > np.argmax(deaths)
    # What is lost is only what would be reported after the run's last day.
    assert reported.sum() <= deaths.sum() and reported.sum() > 0.9 * deaths.sum()


def test_cases_are_thinned_and_saturate_at_the_capacity(run: af.Run) -> None:
    cases = REPORTING["cases"]
    days = run.infections.shape[0]
    plenty = cases.expected(run, np.full(days, 0.3), np.full(days, 1e12))
    thin = cases.expected(run, np.full(days, 0.3))
    assert plenty == pytest.approx(thin, rel=1e-6)
    capacity = np.full(days, 0.5 * thin.max())
    capped = cases.expected(run, np.full(days, 0.3), capacity)
    assert (capped <= capacity + 1e-9).all() and (capped <= thin + 1e-9).all()
    # Far below the capacity, the cap does not bind.
    low = thin < 0.01 * capacity
    assert capped[low] == pytest.approx(thin[low], rel=0.01)
    with pytest.raises(af.ValidationError, match="ascertainment"):
        cases.expected(run)


def test_testing_regimes_index_the_days() -> None:
    regimes = tuple(np.datetime64(r, "D") for r in TESTING_REGIMES)
    index = regime_days(np.datetime64("2020-05-30", "D"), 4, regimes)
    assert list(index) == [0, 0, 1, 1]


@pytest.mark.parametrize("field, mean, sd", [("delay_mean", -1.0, 1.0), ("delay_sd", 3.0, 0.0), ("delay_mean", True, 1.0)])
def test_bad_delays_are_refused_naming_the_field(field: str, mean: float, sd: float) -> None:
    with pytest.raises(af.ValidationError, match=f"reporting.{field}"):
        Reporting("deaths", delay_mean=mean, delay_sd=sd)


def test_a_fit_to_cases_recovers_a_known_ascertainment() -> None:
    """Cases made from a fitted run with ascertainment 0.05 (and no noise): fitting admissions and
    those cases finds the 0.05 again."""
    obs = af.observed.netherlands().loc[:"2020-04-15"]
    first = af.fit(obs, columns=("admissions",))
    synthetic = REPORTING["cases"].expected(first.run(until="2020-04-15"), np.full(len(obs), 0.05))
    data = obs[["admissions"]].copy()
    data["cases"] = np.round(synthetic[-len(obs) :])
    fitted = af.fit(data, columns=("admissions", "cases"))
    estimate = fitted.params.loc["ascertainment_0"]
    assert estimate["period_start"] == "2020-02-27"
    assert estimate["estimate"] == pytest.approx(0.05, rel=0.15)
    assert estimate["lower"] < 0.05 < estimate["upper"]
