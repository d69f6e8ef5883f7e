"""Sector plans, packages, trigger policies, the crash test and stringency from Python."""

import pickle

import numpy as np
import pytest

import afweging as af


@pytest.fixture(scope="module")
def plans() -> af.SectorPlans:
    return af.SectorPlans.netherlands()


@pytest.fixture(scope="module")
def model() -> af.Model:
    return af.Model(af.Calibration.netherlands(), af.Scenario.preset("ongunstig"))


def test_plans_show_sectors_and_rungs(plans):
    assert "horeca" in plans.sectors and "onderwijs_po" in plans.sectors
    assert set(plans.policies) >= {"signal-values", "occupancy"}
    html = plans._repr_html_()
    assert "horeca" in html and "noodrem" in html
    assert "SectorPlans(" in repr(plans)


def test_static_package_run(plans, model):
    pkg = plans.package({"horeca": 2, "onderwijs_po": 0, "cultuur_evenementen": "noodrem"})
    run = model.run(pkg, days=120)
    assert run.rungs.shape == (120, len(plans.sectors))
    col = plans.sectors.index("horeca")
    assert (run.rungs[:, col] == 2).all()
    assert (run.rungs[:, plans.sectors.index("cultuur_evenementen")] == 3).all()
    assert (run.rungs[:, plans.sectors.index("sport")] == 0).all()
    assert run.stringency.shape == (120,)
    assert np.allclose(run.stringency, pkg.stringency()[0])
    open_run = model.run(days=120)
    assert run.infections.sum() < open_run.infections.sum()


def test_trigger_policy_run(plans, model):
    pol = plans.policy("signal-values")
    run = model.run(pol, days=365)
    assert run.policy_level.max() >= 1
    assert run.decisions, "no decisions recorded"
    first = run.decisions[0]
    assert set(first) == {"day_decided", "day_effective", "from_level", "to_level", "reason"}
    assert run.policy_level[first["day_effective"]] == first["to_level"]
    assert run.signals.shape == (365, len(af.plans.SIGNALS))
    ds = run.to_xarray()
    assert ds["rung"].dims == ("day", "sector")
    assert ds["stringency"].attrs["long_name"].startswith("OxCGRT")


def test_run_without_policy_has_no_rungs(model):
    run = model.run(days=10)
    with pytest.raises(AttributeError, match="this run has no policy"):
        run.rungs


def test_bad_packages_name_the_field(plans):
    with pytest.raises(af.ValidationError, match=r"package.rungs.kroeg: unknown sector; valid: horeca"):
        plans.package({"kroeg": 1})
    with pytest.raises(af.ValidationError, match=r"package.rungs.horeca: must be between 0 and 3 \(rungs of horeca\), got 9"):
        plans.package({"horeca": 9})
    with pytest.raises(af.ValidationError, match=r"package.rungs.horeca: unknown rung 'dicht'; valid: basis, preventie, interventie, noodrem"):
        plans.package({"horeca": "dicht"})
    with pytest.raises(af.ValidationError, match=r"package.general\[0\]: unknown general measure"):
        plans.package({}, general=["feestverbod"])
    with pytest.raises(af.ValidationError, match=r"unknown policy \"lockdown\"; valid: signal-values"):
        plans.policy("lockdown")


def test_policy_and_multipliers_do_not_mix(plans, model):
    with pytest.raises(af.ValidationError, match="contact_multipliers: cannot be combined with a policy"):
        model.run(plans.package({}), days=5, contact_multipliers=np.ones((5, 4)))
    with pytest.raises(TypeError, match="pass the number of days as days="):
        model.run(365)  # type: ignore[arg-type]


def test_custom_trigger_policy_from_dict(plans, model):
    custom = {
        "name": "fast",
        "levels": [
            {"name": "open", "package": {}},
            {"name": "closed", "enter_at": {"icu_occupancy": 100}, "leave_below": {"icu_occupancy": 50},
             "package": {"rungs": {s: 3 for s in plans.sectors if not s.startswith("onderwijs")}}},
        ],
        "decision_delay_days": 2,
        "min_days_at_level": 21,
    }
    run = model.run(plans.policy(custom), days=300)
    levels = run.policy_level
    changes = np.flatnonzero(np.diff(levels)) + 1
    held = np.diff(np.concatenate([[0], changes]))
    assert (held >= 21).all()
    bad = dict(custom, min_days_at_level=-1)
    with pytest.raises(af.ValidationError, match="policy.min_days_at_level: invalid JSON"):
        plans.policy(bad)


def test_crash_test(plans):
    crash = plans.crash_test()
    assert all(f["kind"] == "out_of_step" for f in crash.findings), crash.findings
    table = crash.to_pandas()
    assert ("signal-values", "waakzaam") in table.index
    assert set(plans.sectors) <= set(table.columns)
    broken = plans.to_dict()
    broken["sectors"][0]["rungs"][3]["contacts_kept"] = 1.0
    crash = af.SectorPlans.from_json(broken).crash_test()
    assert any(f["kind"] == "not_monotone" for f in crash.findings)
    assert "not_monotone" in repr(crash)


def test_stringency_index_from_raw_levels():
    # Hand computed (OxCGRT v3.6): C1 3 general -> 100; C8 3 (no flag) -> 75; H1 2 general -> 100;
    # C2 2 targeted -> (2 - 0.5) / 3 = 50; mean over nine indicators = 325 / 9.
    value = af.stringency_index({"C1": (3, 1), "C8": (3, None), "H1": 2 and (2, 1), "C2": {"value": 2, "flag": 0}})
    assert value == pytest.approx(325 / 9)
    assert af.stringency_index({}) == 0
    with pytest.raises(af.ValidationError, match=r"stringency.C1.value: must be between 0 and 3, got 4"):
        af.stringency_index({"C1": (4, 1)})


def test_policies_and_plans_pickle(plans, model):
    pol = plans.policy("signal-values")
    again = pickle.loads(pickle.dumps(pol))
    assert again.to_dict() == pol.to_dict()
    assert pickle.loads(pickle.dumps(plans)).to_dict() == plans.to_dict()
    np.testing.assert_array_equal(model.run(again, days=60).rungs, model.run(pol, days=60).rungs)


def test_general_measures_must_be_a_list_of_names() -> None:
    # Issue 21, defect 13: a bare string was split into its characters.
    plans = af.SectorPlans.netherlands()
    with pytest.raises(af.ValidationError, match=r"package\.general: must be a list") as err:
        plans.package(general="mondkapjes")  # type: ignore[arg-type]
    assert err.value.errors()[0]["field"] == "package.general"
    with pytest.raises(af.ValidationError, match=r"package\.general"):
        plans.package(general=["mondkapjes", 3])  # type: ignore[list-item]
    assert plans.package(general=["mondkapjes"]).name
