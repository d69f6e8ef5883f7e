"""Every object shows itself in a notebook: a readable repr and a compact HTML table with units
that contains its key fields (and no wall of numbers)."""

import pickle

import pytest

import afweging as af


@pytest.fixture(scope="module")
def plans() -> af.SectorPlans:
    return af.SectorPlans.netherlands()


@pytest.fixture(scope="module")
def policy_run(plans) -> af.Run:
    model = af.Model(af.Calibration.netherlands(), af.Scenario.preset("ongunstig"))
    return model.run(plans.policy("signal-values"), days=150)


def _check(obj, *needles, max_chars=40_000):
    text = obj._repr_html_()
    assert isinstance(text, str) and text.count("<table") >= 1
    for needle in needles:
        assert needle in text, needle
    assert len(text) < max_chars
    assert "\n" not in repr(obj).splitlines()[0]
    return text


def test_calibration_display(cal):
    text = _check(cal, "Calibration Netherlands", "population", "persons", "P(admission | infection)",
                  "life expectancy", "ICU", "sources (", "80+")
    assert "per person per day" in text
    assert repr(cal).startswith("Calibration('Netherlands', 9 age bands")


def test_scenario_display():
    sc = af.Scenario.preset("centraal")
    text = _check(sc, "Scenario centraal", "R0", "immune escape", "30%", "autumn booster 60+", "doses/day", "behaviour")
    assert "days latent + infectious" in text
    assert "R0 4.0" in repr(sc)
    no_behaviour = sc.replace(behaviour=None)
    assert "no behavioural model" in no_behaviour._repr_html_()
    for name in af.Scenario.presets():
        _check(af.Scenario.preset(name), f"Scenario {name}", "R0")


def test_sector_plans_and_ladder_display(plans):
    _check(plans, "Sector plans", "horeca", "noodrem", "contacts kept / activity kept", "signal-values")
    ladder = plans["horeca"]
    assert isinstance(ladder, af.Ladder)
    text = _check(ladder, "Ladder horeca", "interventie", "contacts kept", "capacity limit (persons)", "sluiting_horeca")
    assert "<b>sluiting_horeca</b>" in text  # new on the noodrem rung
    assert repr(ladder).startswith("Ladder('horeca': basis (100%/100%)")
    assert list(ladder.to_pandas().index) == ["basis", "preventie", "interventie", "noodrem"]
    with pytest.raises(KeyError, match="unknown sector 'bar'; valid: horeca"):
        plans.ladder("bar")


def test_package_display(plans):
    pkg = plans.package({"horeca": "interventie"}, general=["mondkapjes"])
    text = _check(pkg, "Package", "OxCGRT stringency", "horeca", "<b>interventie</b>", "mondkapjes")
    assert repr(pkg).startswith("Policy(package: horeca 2; general mondkapjes; stringency")
    assert pickle.loads(pickle.dumps(pkg))._repr_html_() == text


def test_trigger_policy_display(plans):
    pol = plans.policy("signal-values")
    text = _check(pol, "Trigger policy signal-values", "waakzaam", "zeer_ernstig", "hospital admissions per day &ge; 40",
                  "stringency", "description")
    assert "decision takes effect after 7 days" in text
    for name in plans.policies:
        _check(plans.policy(name), f"Trigger policy {name}")
    assert repr(pol).startswith("Policy('signal-values': levels waakzaam")


def test_run_display_with_policy(policy_run):
    text = _check(policy_run, "Run", "ongunstig", "hospital admissions", "persons", "<svg", "mean OxCGRT stringency",
                  "days per level", "mean compliance", "run.impacts")
    assert "polyline" in text
    assert repr(policy_run).startswith("Run('ongunstig', 150 days:")


def test_run_display_without_policy(year_run):
    text = _check(year_run, "Run", "deaths", "<svg")
    assert "policy level" not in text


def test_impacts_display(policy_run):
    _check(policy_run.impacts, "Virus spread", "Socio-economic", "Societal", "Behavioural", "value added lost", "EUR")


def test_uncertainty_display():
    unc = af.Uncertainty.netherlands()
    text = _check(unc, "Uncertainty netherlands", "scenario.variant.r0", "90% range", "median", "triangular")
    assert "0.897 &ndash; 1.1" in text  # triangular(0.85, 1, 1.15): 5% and 95% quantiles
    assert af.Uncertainty.none()._repr_html_().count("<tr>") == 1


def test_crash_test_display(plans):
    _check(plans.crash_test(), "Crash test")


def test_one_way_display():
    model = af.Model(af.Calibration.netherlands(), af.Scenario.preset("centraal"))
    ow = af.one_way(model, parameters=["scenario.variant.r0", "scenario.variant.severity"], days=60)
    text = _check(ow, "One-way sensitivity", "deaths", "scenario.variant.severity", "swing", "base")
    assert repr(ow).startswith("OneWay(deaths, policy 'none', scenario 'centraal', 60 days: base")
