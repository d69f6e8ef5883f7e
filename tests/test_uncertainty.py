"""Uncertainty from Python: distributions against scipy, reproducible draws, validation naming the
field, pickling and display."""

import json
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import afweging as af


def single(distribution, path="scenario.variant.r0", **extra):
    return af.Uncertainty.from_json({"parameters": [{"path": path, "distribution": distribution, **extra}]})


# Each distribution as afweging names it and the same one in scipy (an independent parameterisation).
CASES = [
    ({"type": "normal", "mean": 2.0, "sd": 0.5}, stats.norm(loc=2.0, scale=0.5)),
    ({"type": "lognormal", "mu": 0.1, "sigma": 0.3}, stats.lognorm(s=0.3, scale=np.exp(0.1))),
    ({"type": "beta", "alpha": 2.0, "beta": 5.0}, stats.beta(2.0, 5.0)),
    ({"type": "gamma", "shape": 3.0, "scale": 0.5}, stats.gamma(a=3.0, scale=0.5)),
    ({"type": "uniform", "low": -1.0, "high": 3.0}, stats.uniform(loc=-1.0, scale=4.0)),
    ({"type": "triangular", "low": 0.0, "mode": 1.0, "high": 4.0}, stats.triang(c=0.25, loc=0.0, scale=4.0)),
]


@pytest.mark.parametrize("distribution,reference", CASES, ids=[c[0]["type"] for c in CASES])
def test_draws_follow_their_distributions(distribution, reference):
    n = 20_000
    x = single(distribution).sample(n, seed=2024)[:, 0]
    mean, var = reference.stats(moments="mv")
    assert abs(x.mean() - mean) < 5 * np.sqrt(var / n)
    assert abs(x.var(ddof=1) / var - 1) < 0.05
    # Kolmogorov-Smirnov distance below its 1% critical value (1.63 / sqrt(n)).
    assert stats.kstest(x, reference.cdf).statistic < 1.63 / np.sqrt(n)


def test_draws_are_reproducible_and_sliceable():
    unc = af.Uncertainty.netherlands()
    a = unc.sample(8, seed=7)
    assert a.shape == (8, len(unc.paths))
    assert np.array_equal(a, unc.sample(8, seed=7))
    assert np.array_equal(a[3:], unc.sample(5, seed=7, start=3))
    assert not np.array_equal(a, unc.sample(8, seed=8))
    # A parameter's draws do not depend on the other parameters.
    alone = af.Uncertainty.from_json({"parameters": [unc.parameters[4]]})
    assert np.array_equal(alone.sample(8, seed=7)[:, 0], a[:, 4])


def test_truncation_keeps_draws_inside():
    unc = single(
        {"type": "normal", "mean": 0.3, "sd": 0.3}, path="scenario.variant.immune_escape", truncate={"low": 0.0, "high": 1.0}
    )
    x = unc.sample(5000, seed=1)[:, 0]
    assert x.min() >= 0 and x.max() <= 1
    unc.check(af.Calibration.netherlands(), af.Scenario.preset("centraal"))


def test_default_uncertainty_has_a_source_for_every_parameter(cal):
    unc = af.Uncertainty.netherlands()
    sources = unc.sources
    for path in unc.paths:
        assert path in sources, path
        assert sources[path]["source"]
        assert sources[path].get("assumption") or sources[path].get("year")
    for name in af.Scenario.presets():
        unc.check(cal, af.Scenario.preset(name))
    assert "scenario.variant.r0" in unc._repr_html_()
    assert repr(unc) == "Uncertainty('netherlands', 16 parameters)"


def test_pickle_and_json_round_trip():
    unc = af.Uncertainty.netherlands()
    assert pickle.loads(pickle.dumps(unc)) == unc
    assert af.Uncertainty.from_json(unc.to_json()) == unc
    assert af.Uncertainty.from_json(json.loads(unc.to_json())) == unc


def fields(err):
    return {e["field"]: e["message"] for e in err.value.errors()}


@pytest.mark.parametrize(
    "parameter,field,message",
    [
        ({"path": "scenario.variant.r0", "distribution": {"type": "normal", "mean": 4, "sd": -1}}, "uncertainty.parameters[0].distribution.sd", "must be >= 0"),
        ({"path": "scenario.variant.r0", "distribution": {"type": "gaussian", "mean": 4, "sd": 1}}, "uncertainty.parameters[0].distribution.type", "unknown variant"),
        ({"path": "scenario.variant.r0", "distribution": {"type": "gamma", "shape": 0, "scale": 1}}, "uncertainty.parameters[0].distribution.shape", "must be > 0"),
        ({"path": "scenario.variant.r0", "distribution": {"type": "uniform", "low": 2, "high": 1}}, "uncertainty.parameters[0].distribution.high", "must be >= low"),
        ({"path": "scenario.variant.r0", "distribution": {"type": "normal", "mean": 4}}, "uncertainty.parameters[0].distribution", "missing field `sd`"),
        ({"path": "variant.r0", "distribution": {"type": "fixed", "value": 4}}, "uncertainty.parameters[0].path", "must start with"),
        ({"path": "scenario.variant.r0", "apply": "add", "distribution": {"type": "fixed", "value": 4}}, "uncertainty.parameters[0].apply", "unknown variant"),
        ({"path": "scenario.variant.r0", "distribution": {"type": "normal", "mean": 4, "sd": 1}, "truncate": {"low": 9, "high": 3}}, "uncertainty.parameters[0].truncate", "low < high"),
    ],
)
def test_bad_distributions_name_the_field(parameter, field, message):
    with pytest.raises(af.ValidationError) as err:
        af.Uncertainty.from_json({"parameters": [parameter]})
    assert field in fields(err), err.value.errors()
    assert message in fields(err)[field]


@pytest.mark.parametrize(
    "parameter,field,message",
    [
        ({"path": "scenario.variant.rr0", "distribution": {"type": "fixed", "value": 4}}, "uncertainty.parameters[0].path", "no such field"),
        ({"path": "calibration.severity.p_icu_given_admission[12]", "distribution": {"type": "fixed", "value": 0.1}}, "uncertainty.parameters[0].path", "no such field"),
        ({"path": "scenario.variant.name", "apply": "scale", "distribution": {"type": "fixed", "value": 1}}, "uncertainty.parameters[0].path", "not a number"),
        # A beta draws shares; R0 (4) is not one.
        ({"path": "scenario.variant.r0", "distribution": {"type": "beta", "alpha": 2, "beta": 2}}, "uncertainty.parameters[0].distribution", "not a share"),
        # Reaching outside the field's valid range is reported under the field itself.
        ({"path": "scenario.variant.immune_escape", "distribution": {"type": "uniform", "low": 0.5, "high": 1.5}}, "scenario.variant.immune_escape", "must be between 0 and 1"),
        ({"path": "scenario.variant.r0", "distribution": {"type": "normal", "mean": 4, "sd": 1}}, "scenario.variant.r0", "must be > 0"),
        ({"path": "calibration.severity.p_hospital_given_infection", "apply": "scale", "distribution": {"type": "uniform", "low": 0.5, "high": 30}}, "calibration.severity.p_hospital_given_infection[7]", "must be between 0 and 1"),
    ],
)
def test_paths_and_ranges_are_checked_against_the_inputs(cal, central, parameter, field, message):
    unc = af.Uncertainty.from_json({"parameters": [parameter]})
    with pytest.raises(af.ValidationError) as err:
        unc.check(cal, central)
    assert field in fields(err), err.value.errors()
    assert message in fields(err)[field]


def test_sample_arguments_are_validated():
    unc = af.Uncertainty.netherlands()
    for kwargs, field in [({"draws": -1, "seed": 0}, "draws"), ({"draws": 2, "seed": -5}, "seed"), ({"draws": 2, "seed": True}, "seed")]:
        with pytest.raises(af.ValidationError) as err:
            unc.sample(**kwargs)
        assert err.value.errors()[0]["field"] == field


def test_the_readme_example_is_valid_in_every_preset(cal):
    mine = af.Uncertainty.from_json(
        {
            "name": "mine",
            "parameters": [
                {"path": "scenario.variant.r0", "apply": "scale", "distribution": {"type": "triangular", "low": 0.85, "mode": 1.0, "high": 1.15}},
                {"path": "calibration.severity.p_hospital_given_infection[8]", "distribution": {"type": "beta", "alpha": 4.6, "beta": 95}, "truncate": {"high": 0.12}},
                {
                    "path": "scenario.vaccine.infection_efficacy",
                    "distribution": {"type": "normal", "mean": 0.8, "sd": 0.05},
                    "truncate": {"low": 0.5, "high": 0.95},
                },
            ],
            "sources": {"scenario.variant.r0": {"source": "...", "year": 2022, "assumption": True}},
        }
    )
    for name in af.Scenario.presets():
        mine.check(cal, af.Scenario.preset(name))


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**64 - 1),
    start=st.integers(0, 2**40),
    low=st.floats(-2.0, 1.0),
    width=st.floats(0.5, 5.0),
)
def test_truncated_draws_stay_inside_and_slices_agree(seed, start, low, width):
    unc = single({"type": "normal", "mean": 0.0, "sd": 1.0}, truncate={"low": low, "high": low + width})
    x = unc.sample(20, seed=seed, start=start)[:, 0]
    assert ((x >= low) & (x <= low + width)).all()
    assert np.array_equal(x[5:], unc.sample(15, seed=seed, start=start + 5)[:, 0])
