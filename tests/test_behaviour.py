"""The behavioural dimension from Python: outputs, indicators, levers and the feedback switch."""

import numpy as np
import pytest

import afweging as af

CAL = af.Calibration.netherlands()
PLANS = af.SectorPlans.netherlands()


def test_behaviour_outputs_under_a_trigger_policy():
    run = af.Model(CAL, af.Scenario.preset("ongunstig")).run(PLANS.policy("signal-values"), days=365)
    for name in ("compliance", "support", "fatigue"):
        values = getattr(run, name)
        assert values.shape == (365, 9), name
        assert ((values >= 0) & (values <= 1)).all(), name
    assert run.risk_perception.shape == (365,)
    assert run.fatigue[-1].max() > 0
    summary = run.behaviour_summary()
    assert set(summary) == {
        "mean_compliance",
        "mean_support",
        "days_support_below_half",
        "effectiveness_lost",
        "effectiveness_lost_to_fatigue",
        "peak_voluntary_reduction",
        "lever_cost",
    }
    assert 0 < summary["mean_compliance"] < 1
    assert 0 < summary["effectiveness_lost"] < 1
    ds = run.to_xarray()
    assert ds["compliance"].dims == ("day", "age_band")
    assert ds["voluntary_reduction"].attrs["long_name"] == "voluntary contact reduction"


def test_feedback_switch_and_fixed_compliance():
    sc = af.Scenario.preset("centraal").replace(**{"behaviour.feedback": False, "behaviour.fixed_compliance": 0.6})
    run = af.Model(CAL, sc).run(PLANS.package({"horeca": 3}), days=60)
    np.testing.assert_allclose(run.compliance, 0.6)
    assert run.voluntary_reduction.max() == 0
    no_model = af.Model(CAL, sc.replace(behaviour=None)).run(days=10)
    with pytest.raises(AttributeError, match="no behavioural model"):
        no_model.compliance


def test_levers_cost_and_raise_compliance():
    model = af.Model(CAL, af.Scenario.preset("ongunstig"))
    rungs = {s: 2 for s in PLANS.sectors}
    plain = model.run(PLANS.package(rungs), days=120).behaviour_summary()
    helped = model.run(PLANS.package(rungs, general=["communicatiecampagne", "lokale_initiatieven"]), days=120)
    summary = helped.behaviour_summary()
    assert summary["mean_compliance"] > plain["mean_compliance"]
    assert summary["mean_support"] > plain["mean_support"]
    assert summary["lever_cost"] == pytest.approx(120 * (50_000 + 20_000))


def test_behaviour_validation_names_the_field():
    with pytest.raises(af.ValidationError, match=r"scenario.behaviour.voluntary_max: must be between 0 and 1, got 2"):
        af.Scenario.preset("centraal").replace(**{"behaviour.voluntary_max": 2})
