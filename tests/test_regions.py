"""The 25 safety regions from Python: calibration, regional policies, results and impacts by
region, and errors that name the field."""

from __future__ import annotations

import numpy as np
import pytest

import afweging as af


@pytest.fixture(scope="module")
def regional() -> af.Run:
    cal = af.Calibration.netherlands(regions=True)
    plans = af.SectorPlans.netherlands()
    return af.Model(cal, af.Scenario.preset("ongunstig")).run(plans.policy("signal-values", regional=True), days=200)


def test_national_stays_the_default() -> None:
    assert af.Calibration.netherlands().regions == []
    regions = af.Calibration.netherlands(regions=True).regions
    assert len(regions) == 25 and "Amsterdam-Amstelland" in regions
    with pytest.raises(TypeError, match="regions"):
        af.Calibration.netherlands(regions="yes")  # type: ignore[arg-type]


def test_results_by_region_add_up_to_the_national_arrays(regional: af.Run) -> None:
    assert len(regional.regions) == 25
    by_region = regional.by_region("infections")
    assert by_region.shape == (200, 25, 9)
    np.testing.assert_allclose(by_region.sum(axis=1), regional.infections, rtol=1e-12, atol=1e-9)
    ds = regional.to_xarray()
    assert ds["icu_occupancy"].dims == ("day", "region", "age_band")
    np.testing.assert_allclose(ds["icu_occupancy"].sum("region").values, regional.icu_occupancy, atol=1e-9)
    assert ds["region_level"].dims == ("day", "region")
    assert regional.region_signals.shape == (200, 25, 6)
    assert regional.region_level.shape == (200, 25)


def test_impacts_by_region(regional: af.Run) -> None:
    frame = regional.impacts.by_group("region")
    assert list(frame.columns[:25]) == regional.regions
    deaths = regional.by_region("deaths").sum(axis=(0, 2))
    np.testing.assert_allclose(frame.loc["deaths"].iloc[:25].astype(float).values, deaths, rtol=1e-9)
    assert frame.loc["value_added_lost"].iloc[:25].astype(float).sum() == pytest.approx(
        regional.impacts["value_added_lost"], rel=1e-9
    )


def test_regional_packages_and_errors() -> None:
    plans = af.SectorPlans.netherlands()
    cal = af.Calibration.netherlands(regions=True)
    model = af.Model(cal, af.Scenario.preset("centraal"))
    pol = plans.regional_packages({"VR13": {"rungs": {"horeca": 3}}})
    run = model.run(pol, days=60)
    amsterdam = run.regions.index("Amsterdam-Amstelland")
    assert (run.region_level[:, amsterdam] == 1).all()
    assert (np.delete(run.region_level, amsterdam, axis=1) == 0).all()
    with pytest.raises(af.ValidationError, match=r"policy\.regions\.Atlantis"):
        model.run(plans.regional_packages({"Atlantis": {}}), days=10)
    with pytest.raises(af.ValidationError, match=r"policy\.regions\.VR13\.rungs\.horeca"):
        plans.regional_packages({"VR13": {"rungs": {"horeca": 99}}})
    with pytest.raises(TypeError, match="regional"):
        plans.policy("signal-values", regional=1)  # type: ignore[arg-type]


def test_pickle_round_trip(regional: af.Run) -> None:
    import pickle

    again = pickle.loads(pickle.dumps(regional))
    assert again.regions == regional.regions
    np.testing.assert_array_equal(again.by_region("deaths"), regional.by_region("deaths"))


def test_a_regional_closure_is_priced_and_recorded_where_it_applied() -> None:
    plans = af.SectorPlans.netherlands()
    cal = af.Calibration.netherlands(regions=True)
    scenario = af.Scenario.preset("centraal")
    model = af.Model(cal, scenario)
    run = model.run(plans.regional_packages({"VR13": {"rungs": {"onderwijs_po": 3}}}), days=60)
    amsterdam = run.regions.index("Amsterdam-Amstelland")
    school = run.sectors.index("onderwijs_po")
    # The rungs as applied, per day, region and sector.
    assert run.rungs.shape == (60, 25, len(run.sectors))
    assert (run.rungs[:, amsterdam, school] == 3).all()
    assert (np.delete(run.rungs[:, :, school], amsterdam, axis=1) == 0).all()
    assert run.to_xarray()["rung"].dims == ("day", "region", "sector")
    # Priced in VR13: far below a national closure, and borne there.
    national = model.run(plans.package(rungs={"onderwijs_po": 3}), days=60)
    lost, everywhere = run.impacts["school_years_lost"], national.impacts["school_years_lost"]
    assert 0 < lost < 0.10 * everywhere
    by_region = run.impacts.by_group("region").loc["school_years_lost"].iloc[:25].astype(float)
    assert by_region.iloc[amsterdam] >= 0.9 * lost
