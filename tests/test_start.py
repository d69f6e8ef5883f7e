"""Where a run starts, from Python: infected by age band, patients in hospital, daily imports."""

from __future__ import annotations

import numpy as np
import pytest

import afweging as af


@pytest.fixture
def empty() -> af.Scenario:
    """Nobody immune or infected, dated 1 March 2020, no behaviour or campaigns."""
    return af.Scenario.preset("centraal").starting_on("2020-03-01").replace(
        **{
            "behaviour": None,
            "campaigns": [],
            "initial.prevalence": 0.0,
            "initial.vaccinated": [0.0] * 9,
            "initial.recovered": [0.0] * 9,
            "initial.waned": [0.0] * 9,
            "initial.patients": {"ward": 0.0, "icu": 0.0},
        }
    )


def test_patients_at_day_zero_are_in_the_occupancy(empty: af.Scenario) -> None:
    sc = empty.replace(**{"initial.patients": {"ward": 800.0, "icu": 150.0}})
    run = af.Model(af.Calibration.netherlands(), sc).run(days=30)
    compartments = np.asarray(run.compartments)  # days + 1 x groups x compartments
    names = list(run.compartment_names)
    assert compartments[0, :, names.index("icu")].sum() == pytest.approx(150.0)
    assert compartments[0, :, names.index("hospital")].sum() == pytest.approx(800.0)
    # Nobody is infected, so occupancy only falls.
    icu = np.asarray(run.icu_occupancy).sum(axis=1)
    assert np.all(np.diff(icu) < 0)
    assert np.asarray(run.admissions).sum() == 0.0


def test_imports_by_date_and_age(empty: af.Scenario) -> None:
    shares = [0.0, 0.0, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0]
    sc = empty.replace(
        **{
            "variant.r0": 0.01,
            "imports": [
                {"from": "2020-03-03", "per_day": 200.0, "by_age": shares},
                {"from": "2020-03-08", "per_day": 0.0, "by_age": None},
            ],
        }
    )
    run = af.Model(af.Calibration.netherlands(), sc).run(days=20)
    infections = np.asarray(run.infections)
    by_day = infections.sum(axis=1)
    assert by_day[:2].sum() == 0.0
    assert by_day[2:7] == pytest.approx(np.full(5, 200.0), rel=0.01)
    assert infections[:, 2].sum() == pytest.approx(500.0, rel=0.01)
    assert infections[:, [0, 1, 4, 5, 6, 7, 8]].sum() < 20.0  # the few they infect at R0 0.01


def test_seeding_by_age_band(empty: af.Scenario) -> None:
    infected = [0.0] * 9
    infected[8] = 0.01
    sc = empty.replace(**{"variant.r0": 0.01, "initial.prevalence": None, "initial.infected": infected})
    run = af.Model(af.Calibration.netherlands(), sc).run(days=30)
    admissions = np.asarray(run.admissions)
    assert admissions[:, 8].sum() > 0 and admissions[:, :8].sum() < 0.01 * admissions[:, 8].sum()
    with pytest.raises(af.ValidationError, match=r"scenario\.initial\.prevalence: must be null"):
        sc.replace(**{"initial.prevalence": 0.001})


def test_a_regional_seed_beyond_a_regions_people_is_a_validation_error() -> None:
    cal = af.Calibration.netherlands(regions=True)
    data = cal.to_dict()
    codes = [r["code"] for r in data["regions"]["regions"]]
    seed = [1.0] * len(codes)
    seed[codes.index("VR13")] = 100.0
    data["regions"]["seed"] = seed
    with pytest.raises(af.ValidationError, match=rf"regions\.seed\[{codes.index('VR13')}\] \(VR13\)"):
        af.Model(af.Calibration.from_json(data), af.Scenario.preset("centraal"))


def test_the_presets_start_with_patients_and_grow_slowly_enough_to_act() -> None:
    """The re-based presets (issue 18): 300 on wards and 30 in ICU at the start, and the central
    scenario's admissions peak after six weeks, not within three (docs/model.md)."""
    run = af.Model(af.Calibration.netherlands(), af.Scenario.preset("centraal")).run(days=200)
    names = list(run.compartment_names)
    assert np.asarray(run.compartments)[0, :, names.index("icu")].sum() == pytest.approx(30.0)
    admissions = np.asarray(run.admissions).sum(axis=1)
    assert admissions.argmax() >= 42
