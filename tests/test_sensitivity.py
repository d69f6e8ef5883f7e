"""One-way sensitivity: low and high values from the distributions' quantiles or explicit
ranges, every other input at its base, results equal to runs with the value set by hand."""

import numpy as np
import pytest

import afweging as af


@pytest.fixture(scope="module")
def model() -> af.Model:
    return af.Model(af.Calibration.netherlands(), af.Scenario.preset("centraal"))


def test_quantiles_match_the_sampler():
    unc = af.Uncertainty.netherlands()
    q = unc.quantiles((0.05, 0.5, 0.95))
    draws = unc.sample(20_000, seed=11)
    empirical = np.quantile(draws, [0.05, 0.5, 0.95], axis=0).T
    spread = q[:, 2] - q[:, 0]
    assert np.all(np.abs(empirical - q) <= 0.03 * spread[:, None]), np.abs(empirical - q) / spread[:, None]


def test_quantiles_against_scipy():
    stats = pytest.importorskip("scipy.stats")
    unc = af.Uncertainty.from_json({"parameters": [
        {"path": "scenario.variant.r0", "distribution": {"type": "normal", "mean": 4, "sd": 0.3}},
        {"path": "scenario.variant.severity", "distribution": {"type": "lognormal", "mu": -0.9, "sigma": 0.25}},
        {"path": "scenario.vaccine.infection_efficacy", "distribution": {"type": "beta", "alpha": 32, "beta": 8}},
        {"path": "scenario.behaviour.fatigue_rate", "apply": "scale", "distribution": {"type": "gamma", "shape": 9, "scale": 1 / 9}},
        {"path": "scenario.seasonality.amplitude", "distribution": {"type": "uniform", "low": 0.1, "high": 0.4}},
        {"path": "scenario.behaviour.voluntary_max", "distribution": {"type": "triangular", "low": 0.1, "mode": 0.3, "high": 0.5}},
        {"path": "scenario.immunity.infection_protection", "distribution": {"type": "normal", "mean": 0.8, "sd": 0.1},
         "truncate": {"low": 0.5, "high": 0.9}},
    ]})
    p = [0.01, 0.05, 0.5, 0.95, 0.99]
    ours = unc.quantiles(p)
    tn = stats.truncnorm((0.5 - 0.8) / 0.1, (0.9 - 0.8) / 0.1, loc=0.8, scale=0.1)
    expected = [
        stats.norm(4, 0.3).ppf(p),
        stats.lognorm(0.25, scale=np.exp(-0.9)).ppf(p),
        stats.beta(32, 8).ppf(p),
        stats.gamma(9, scale=1 / 9).ppf(p),
        stats.uniform(0.1, 0.3).ppf(p),
        stats.triang(0.5, loc=0.1, scale=0.4).ppf(p),
        tn.ppf(p),
    ]
    np.testing.assert_allclose(ours, np.array(expected), rtol=1e-9)
    with pytest.raises(af.ValidationError, match=r"quantiles\[0\]: must lie strictly between 0 and 1"):
        unc.quantiles([0.0])


def test_one_way_values_equal_runs_by_hand(model):
    ow = af.one_way(model, parameters=["scenario.variant.r0", "scenario.seasonality.amplitude"], days=150)
    unc = af.Uncertainty.netherlands()
    q = unc.quantiles((0.05, 0.95))
    frame = ow.to_pandas()
    assert set(frame["parameter"]) == {"scenario.variant.r0", "scenario.seasonality.amplitude"}
    assert list(frame.columns) == ["parameter", "apply", "how", "low_value", "high_value", "indicator", "base", "low",
                                   "high", "swing", "unit"]
    assert frame["swing"].is_monotonic_decreasing
    r0 = frame.set_index("parameter").loc["scenario.variant.r0"]
    assert r0["apply"] == "scale" and r0["low_value"] == q[unc.paths.index("scenario.variant.r0"), 0]
    sc = model.scenario
    by_hand = af.Model(model.calibration, sc.replace(**{"variant.r0": 4.0 * r0["high_value"]})).run(days=150)
    assert r0["high"] == pytest.approx(by_hand.virus_spread()["total_deaths"], rel=1e-12)
    base = model.run(days=150).virus_spread()["total_deaths"]
    assert ow.base["deaths"] == pytest.approx(base, rel=1e-12)
    assert r0["low"] < base < r0["high"]
    amp = frame.set_index("parameter").loc["scenario.seasonality.amplitude"]
    by_hand = af.Model(model.calibration, sc.replace(**{"seasonality.amplitude": amp["low_value"]})).run(days=150)
    assert amp["low"] == pytest.approx(by_hand.virus_spread()["total_deaths"], rel=1e-12)
    # every sweep indicator is kept
    assert ow.to_pandas("mean_compliance")["unit"].iloc[0] == "1"


def test_one_way_explicit_ranges_and_policy(model):
    plans = af.SectorPlans.netherlands()
    cal = af.Calibration.netherlands()
    ow = af.one_way(cal, plans.policy("signal-values"), scenario=model.scenario,
                    ranges={"scenario.variant.r0": (3.5, 4.5),
                            "calibration.severity.p_death_icu_overflow": {"low": 0.7, "high": 1.0}},
                    indicator="admissions", days=120)
    frame = ow.to_pandas()
    assert set(frame["how"]) == {"range"} and set(frame["apply"]) == {"set"}
    assert ow.policy == "signal-values" and frame["indicator"].iloc[0] == "admissions"
    # overflow mortality changes deaths only, not admissions
    overflow = frame.set_index("parameter").loc["calibration.severity.p_death_icu_overflow"]
    assert overflow["low"] == overflow["high"] == overflow["base"]


def test_one_way_errors_name_the_field(model):
    with pytest.raises(af.ValidationError, match="indicator: must be one of infections"):
        af.one_way(model, indicator="happiness")
    with pytest.raises(af.ValidationError, match="parameters: must be paths of the uncertainty"):
        af.one_way(model, parameters=["scenario.variant.nope"])
    with pytest.raises(af.ValidationError, match="scenario.variant.r0"):
        af.one_way(model, ranges={"scenario.variant.r0": (-1.0, 4.0)}, days=30)
    with pytest.raises(af.ValidationError, match=r"ranges\['scenario.variant.r0'\]: must be \(low, high\)"):
        af.one_way(model, ranges={"scenario.variant.r0": (1.0, 2.0, 3.0)})
    with pytest.raises(af.ValidationError, match="scenario: needed when a Calibration is given"):
        af.one_way(af.Calibration.netherlands())
    with pytest.raises(af.ValidationError, match="quantiles: must be two probabilities"):
        af.one_way(model, quantiles=(0.9, 0.1))
