"""Exercise mode: weekly steps on the regional model, observations with reporting delay and noise,
decisions per region, a review against hindsight and the trigger policy, and a record that replays
to the same outcome."""

import json
import sys

import numpy as np
import pytest

import afweging as af
from afweging.exercise import Exercise
from afweging.observation import REPORTING


@pytest.fixture(scope="module")
def played():
    ex = af.Exercise(scenario="zeer_ongunstig", start="2021-09-01", step="7D", seed=3)
    ernstig = af.SectorPlans.netherlands().policy("signal-values").to_dict()["trigger"]["levels"][2]["package"]
    package = af.SectorPlans.netherlands().package(ernstig["rungs"], ernstig["general"])
    ex.play([{"national": "geen"}, {"national": "waakzaam", "VR13": package}, {"national": "zorgelijk"}])
    return ex


def test_a_step_is_a_week_and_decisions_act_per_region(played):
    assert played.day == 28 + 21
    assert played.date == "2021-09-22"
    levels = played.run.region_level
    vr13 = played.codes.index("VR13")
    day = 28 + 7
    names = played.run.policy_levels
    # The second week: VR13 on its own package, the others on the national one; the third week
    # names no region, so VR13 follows the nation again.
    assert names[levels[day, vr13]] == "from 2021-09-08: VR13"
    assert names[levels[day, 0]] == "from 2021-09-08: default"
    assert names[levels[-1, vr13]] == "from 2021-09-15: default"
    stringency = played.run.stringency
    assert stringency[day - 1] < stringency[day] < stringency[-1]


def test_what_is_seen_is_the_truth_reported(played):
    seen = played.observe()
    assert len(seen.dates) == 28 and seen.dates[-1] == "2021-09-21"
    # ICU occupancy is the model's count of beds; admissions are noisy around the truth.
    truth = played.run.icu_occupancy.sum(axis=1)[-28:]
    np.testing.assert_allclose(seen.national["icu_occupancy"], np.round(played.run.by_region("icu_occupancy").sum(axis=2)).sum(axis=1)[-28:])
    assert abs(sum(seen.national["icu_occupancy"]) / truth.sum() - 1) < 0.01
    admissions = played.run.admissions.sum(axis=1)[-28:]
    ratio = sum(seen.national["admissions"]) / admissions.sum()
    assert 0.8 < ratio < 1.2 and ratio != 1.0
    # Cases lag infections by the reporting delay: reported cases follow delayed, thinned infections.
    infections = played.run.infections.sum(axis=1)
    expected = REPORTING["cases"].delayed(infections)[-28:] * 0.3
    assert abs(sum(seen.national["cases"]) / expected.sum() - 1) < 0.1
    # The same step sees the same noise; the seed changes it.
    assert played.observe() == seen


def test_the_record_replays_to_the_same_outcome(played):
    text = played.to_json()
    again = Exercise.replay(text)
    assert again.run.to_json() == played.run.to_json()
    assert again.record == json.loads(text)["record"]
    tampered = json.loads(text)
    tampered["outcome"]["deaths"] += 1
    with pytest.raises(af.ValidationError, match="outcome.deaths"):
        Exercise.replay(json.dumps(tampered))


def test_review_scores_against_hindsight_and_triggers(played):
    r = played.review(passes=1)
    for key in ("played", "hindsight", "trigger"):
        assert set(r[key]) >= {"eur_virus_spread", "eur_societal", "eur_socio_economic", "eur_behavioural", "eur_total", "deaths"}
    # The search starts from the played sequence, so hindsight is never worse than it.
    assert r["hindsight"]["eur_total"] <= played.review(passes=0)["hindsight"]["eur_total"]
    assert len(r["hindsight_sequence"]) == 3


def test_a_script_of_decisions_plays_from_json(played):
    script = json.dumps([entry["decisions"] for entry in played.record])
    again = af.Exercise(scenario="zeer_ongunstig", start="2021-09-01", step="7D", seed=3).play(script)
    assert again.run.to_json() == played.run.to_json()


def test_bad_decisions_and_settings_are_refused():
    ex = Exercise(scenario="centraal", start="2021-09-01", lead_in=7)
    with pytest.raises(af.ValidationError, match="decisions.national"):
        ex.decide({"national": "lockdown-ish"})
    with pytest.raises(af.ValidationError, match="decisions"):
        ex.decide({"VR99": "ernstig"})
    with pytest.raises(af.ValidationError, match="step"):
        Exercise(step="week")
    with pytest.raises(af.ValidationError, match="review"):
        ex.review()
    with pytest.raises(af.ValidationError, match="JSON"):
        ex.play("[{national: geen}]")


def test_the_widget_needs_ipywidgets_only_when_asked(monkeypatch):
    ex = Exercise(scenario="centraal", start="2021-09-01", lead_in=7)
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # as if not installed
    with pytest.raises(ImportError, match="widgets"):
        ex.widget()


def test_the_widget_steps_the_exercise_with_the_choices_made():
    # The Jupyter front driven as a user would: choose for the nation and one region, press step.
    pytest.importorskip("ipywidgets")
    ex = Exercise(scenario="centraal", start="2021-09-01", lead_in=7)
    controls, _output = ex.widget().children
    national, region, package, button = controls.children
    national.value = "zorgelijk"
    region.value = ex.codes[0]
    package.value = "ernstig"
    button.click()
    assert ex.date == "2021-09-08"
    decided = json.loads(ex.to_json())["record"][0]["decisions"]
    assert decided == {"national": "zorgelijk", ex.codes[0]: "ernstig"}
