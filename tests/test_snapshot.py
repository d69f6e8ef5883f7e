"""Snapshots from Python: ``run.state(date)`` and ``model.run(start=...)`` give the uninterrupted
run bit for bit (the whole run, impacts included), through JSON and pickle; other measures take
over from the snapshot's date; tampered snapshots raise ValidationError."""

import json
import pickle

import numpy as np
import pytest

import afweging as af


@pytest.fixture(scope="module")
def plans():
    return af.SectorPlans.netherlands()


def dated(regions=False, scenario="centraal", start="2020-09-01"):
    cal = af.Calibration.netherlands(regions=regions)
    return af.Model(cal, af.Scenario.preset(scenario).starting_on(start))


def same(a, b):
    """Every number of both runs, impacts included, to the last bit (JSON keeps them exactly)."""
    assert a.to_json() == b.to_json()
    assert a.impacts.totals == b.impacts.totals


@pytest.mark.parametrize("regions", [False, True])
def test_continuation_equals_the_uninterrupted_run(plans, regions):
    model = dated(regions)
    policy = plans.policy("signal-values", regional=regions)
    whole = model.run(policy, until="2020-12-31")
    s = whole.state("2020-10-01")
    assert (s.day, s.date) == (30, "2020-10-01")
    cont = model.run(start=s, until="2020-12-31")
    same(cont, whole)
    # With days= (more days after the snapshot) and with the policy named again.
    same(model.run(policy, start=s, days=whole.days - s.day), whole)
    assert whole.decisions  # the trigger policy acted


def test_timeline_and_behaviour_continue_bit_for_bit(plans):
    model = dated()
    assert model.scenario.to_dict()["behaviour"] is not None
    tl = af.Timeline.netherlands()
    whole = model.run(timeline=tl, days=150)
    s = whole.state(45)
    same(model.run(start=s, days=105), whole)


def test_json_and_pickle_round_trip(plans):
    model = dated(True)
    whole = model.run(plans.policy("signal-values", regional=True), days=120)
    s = whole.state("2020-10-15")
    for back in (af.Snapshot.from_json(s.to_json()), pickle.loads(pickle.dumps(s))):
        assert back.to_json() == s.to_json()
        same(model.run(start=back, days=120 - back.day), whole)


def test_another_policy_takes_over_with_the_past_kept(plans):
    model = dated(True)
    whole = model.run(plans.policy("signal-values"), days=120)
    s = whole.state("2020-10-15")
    heavy = plans.regional_packages({"VR13": {"rungs": {"horeca": 3}}})
    other = model.run(heavy, start=s, days=60)
    np.testing.assert_array_equal(other.compartments[: s.day + 1], whole.compartments[: s.day + 1])
    assert not np.array_equal(other.compartments[s.day + 1 :], whole.compartments[s.day + 1 :])
    assert other.policy_levels[-1].startswith("from 2020-10-15")
    assert other.impacts.totals  # the merged record is a valid run


def test_tampered_snapshots_are_refused(plans):
    model = dated(True)
    s = model.run(plans.policy("signal-values", regional=True), days=40).state(20)
    data = json.loads(s.to_json())
    data["readers"][2]["admissions"] = [[1.0, 0.0]] * 9
    with pytest.raises(af.ValidationError, match=r"snapshot.readers\[2\].admissions"):
        af.Snapshot.from_json(json.dumps(data))
    data = json.loads(s.to_json())
    data["run"]["signals"].pop()
    with pytest.raises(af.ValidationError, match="run.signals"):
        af.Snapshot.from_json(json.dumps(data))
    data = json.loads(s.to_json())
    data["measures"]["governor"]["controllers"][3]["level"] = 42
    bad = af.Snapshot.from_json(json.dumps(data))
    with pytest.raises(af.ValidationError, match=r"controllers\[3\]"):
        model.run(start=bad, days=10)
    with pytest.raises(af.ValidationError, match="snapshot.run"):
        dated(False).run(start=s, days=10)


def test_state_needs_a_date_inside_the_run_and_its_inputs(plans):
    model = dated()
    run = model.run(days=30)
    with pytest.raises(af.ValidationError, match="date"):
        run.state("2021-01-01")
    with pytest.raises(af.ValidationError, match="ISO date"):
        run.state("1 October")
    with pytest.raises(af.ValidationError, match="run.state"):
        af.Run.from_json(run.to_json()).state(10)
    with pytest.raises(af.ValidationError, match="until"):
        model.run(start=run.state(10), until="2020-10-01", days=3)
