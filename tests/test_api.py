"""The Python API as an analyst uses it: inputs, runs, conversions, errors, pickling, the CLI."""

import json
import pickle
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import afweging as af


def test_quick_start(cal, central, year_run):
    run = year_run
    assert run.days == 365
    assert run.age_bands == cal.age_bands
    for name in ("infections", "admissions", "icu_admissions", "deaths", "hospital_occupancy", "icu_occupancy", "vaccinations"):
        array = getattr(run, name)
        assert array.shape == (365, 9), name
        assert array.dtype == np.float64
        assert (array >= 0).all(), name
    vs = run.virus_spread()
    assert vs["total_admissions"] == pytest.approx(run.admissions.sum())
    assert vs["total_deaths"] == pytest.approx(run.deaths.sum())
    assert vs["peak_icu_occupancy"] == pytest.approx(run.icu_occupancy.sum(axis=1).max())
    assert "Run('centraal', 365 days" in repr(run)
    assert "<table" in run._repr_html_()


def test_people_are_conserved_in_python(year_run):
    people = year_run.compartments.sum(axis=2)
    np.testing.assert_allclose(people, np.broadcast_to(people[0], people.shape), rtol=1e-9)
    np.testing.assert_allclose(people[0], af.Calibration.netherlands().population, rtol=1e-12)


def test_to_pandas_is_tidy(year_run):
    pd = pytest.importorskip("pandas")
    df = year_run.to_pandas()
    assert list(df.columns) == ["day", "age_band", "indicator", "value", "unit"]
    assert len(df) == 365 * 9 * len(af.run.INDICATORS)
    admissions = df[df.indicator == "admissions"].pivot(index="day", columns="age_band", values="value")
    np.testing.assert_allclose(admissions[year_run.age_bands].to_numpy(), year_run.admissions)
    summary = year_run.summary()
    assert isinstance(summary, pd.DataFrame)
    assert set(summary.columns) == {"indicator", "value", "unit"}


def test_to_xarray_has_named_dims_and_units(year_run):
    pytest.importorskip("xarray")
    ds = year_run.to_xarray()
    assert ds["admissions"].dims == ("day", "age_band")
    assert ds["admissions"].attrs["units"] == "persons/day"
    assert ds["contact_multipliers"].dims == ("day", "setting")
    assert ds.attrs["scenario"] == "centraal"
    assert ds.attrs["afweging_version"] == af.__version__
    np.testing.assert_allclose(ds["icu_occupancy"].sel(age_band="80+").values, year_run.icu_occupancy[:, -1])


def test_inputs_from_path_string_and_dict(tmp_path, cal, central):
    path = tmp_path / "scenario.json"
    path.write_text(central.to_json())
    assert af.Scenario.from_json(path) == central
    assert af.Scenario.from_json(str(path)) == central
    assert af.Scenario.from_json(central.to_json()) == central
    assert af.Scenario.from_json(central.to_dict()) == central
    assert af.Calibration.from_json(cal.to_dict()) == cal
    with pytest.raises(af.ValidationError, match="not a JSON object and not an existing file"):
        af.Scenario.from_json("no/such/file.json")
    with pytest.raises(TypeError, match="expected a path, a JSON string or a dict"):
        af.Scenario.from_json(42)  # type: ignore[arg-type]


def test_presets_and_sources(cal):
    assert af.Scenario.presets() == ["gunstig", "centraal", "ongunstig", "zeer_ongunstig"]
    for name in af.Scenario.presets():
        sc = af.Scenario.preset(name)
        assert sc.name == name
        assert sc.to_dict()["description"]
        model = af.Model(cal, sc)
        assert model.r0() == pytest.approx(sc.to_dict()["variant"]["r0"], rel=1e-9)
    sources = cal.sources
    assert sources["population"]["year"] == 2020
    assert "Prem" in sources["contacts"]["source"]
    assert sources["severity.p_death_given_icu"]["assumption"] is True


def test_validation_error_names_field_and_value(central):
    data = central.to_dict()
    data["variant"]["r0"] = -1.5
    with pytest.raises(af.ValidationError) as info:
        af.Scenario.from_json(data)
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, af.AfwegingError)
    assert str(err) == "scenario.variant.r0: must be > 0, got -1.5"
    assert err.errors() == [{"field": "scenario.variant.r0", "message": "must be > 0", "value": "-1.5"}]


def test_several_errors_at_once(cal):
    data = cal.to_dict()
    data["stays"]["icu_days"] = 0
    data["asymptomatic_share"][2] = 1.5
    with pytest.raises(af.ValidationError) as info:
        af.Calibration.from_json(data)
    fields = [e["field"] for e in info.value.errors()]
    assert fields == ["calibration.asymptomatic_share[2]", "calibration.stays.icu_days"]


def test_type_errors_in_json_name_the_field(central):
    data = central.to_dict()
    data["seasonality"]["amplitude"] = "high"
    with pytest.raises(af.ValidationError, match=r"^scenario.seasonality.amplitude: invalid JSON: invalid type: string"):
        af.Scenario.from_json(data)


def test_replace_by_dotted_path(central):
    sc = central.replace(**{"variant.r0": 3.0, "seasonality.amplitude": 0.0})
    assert sc.to_dict()["variant"]["r0"] == 3.0
    assert central.to_dict()["variant"]["r0"] != 3.0
    with pytest.raises(af.ValidationError, match="scenario.variant.r1: no such field"):
        central.replace(**{"variant.r1": 3.0})
    with pytest.raises(af.ValidationError, match="scenario.variant.r0: must be > 0, got 0"):
        central.replace(**{"variant.r0": 0})


def test_calibration_and_scenario_must_agree(cal, central):
    data = central.to_dict()
    data["initial"]["waned"] = [0.0, 0.0]
    sc = af.Scenario.from_json(data)
    with pytest.raises(af.ValidationError, match=r"scenario.initial.waned: must have 9 elements \(one per age band\), got 2 elements"):
        af.Model(cal, sc)


def test_unknown_preset_lists_valid_ones():
    with pytest.raises(af.ValidationError, match="unknown preset \"rampzalig\"; valid: gunstig, centraal, ongunstig, zeer_ongunstig"):
        af.Scenario.preset("rampzalig")


def test_each_engine_error_has_its_own_exception():
    """src/python/error.rs maps each variant of the engine's Error to a class of afweging.errors:
    Validation -> ValidationError, UnknownName -> UnknownNameError (a ValidationError), Solver ->
    SolverError, Internal -> InternalError; every class it imports exists there, is documented and
    pickles."""
    with pytest.raises(af.ValidationError) as info:
        af.Scenario.preset("centraal").replace(**{"variant.r0": -1.0})
    assert type(info.value) is af.ValidationError
    with pytest.raises(af.UnknownNameError) as unknown:
        af.Scenario.preset("rampzalig")
    err = unknown.value
    assert isinstance(err, af.ValidationError) and isinstance(err, ValueError)
    assert err.errors() == [{"field": "scenario", "message": "unknown preset", "value": '"rampzalig"'}]
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is af.UnknownNameError and str(again) == str(err) and again.errors() == err.errors()
    assert issubclass(af.SolverError, af.AfwegingError) and issubclass(af.SolverError, RuntimeError)
    source = Path(__file__).resolve().parents[1] / "src" / "python" / "error.rs"
    if source.exists():
        imported = re.findall(r"import_exception!\(afweging\.errors, (\w+)\)", source.read_text())
        assert sorted(imported) == ["InternalError", "SolverError", "UnknownNameError", "ValidationError"]
        for name in imported:
            cls = getattr(af.errors, name)
            assert issubclass(cls, af.AfwegingError) and cls.__doc__ and name in af.errors.__all__


def test_run_arguments(cal, central):
    model = af.Model(cal, central)
    with pytest.raises(af.ValidationError, match="days: must be between 1 and 36525, got 0"):
        model.run(days=0)
    with pytest.raises(af.ValidationError, match="days: must be a whole number between 1 and 36525, got -3"):
        model.run(days=-3)
    with pytest.raises(TypeError, match="days: expected a whole number"):
        model.run(days=36.5)  # type: ignore[arg-type]
    with pytest.raises(af.ValidationError, match=r"contact_multipliers: must have shape \(10, 4\)"):
        model.run(days=10, contact_multipliers=np.ones((9, 4)))
    bad = np.ones((10, 4))
    bad[2, 3] = -0.5
    with pytest.raises(af.ValidationError, match=r"contact_multipliers\[2\].community: must be >= 0, got -0.5"):
        model.run(days=10, contact_multipliers=bad)
    with pytest.raises(TypeError, match="calibration: expected afweging.Calibration"):
        af.Model("nl", central)  # type: ignore[arg-type]


def test_fewer_contacts_fewer_infections(cal, central):
    model = af.Model(cal, central.replace(behaviour=None))
    totals = []
    for level in (1.0, 0.7, 0.4):
        m = np.tile([1.0, level, level, level], (200, 1))
        run = model.run(days=200, contact_multipliers=m)
        np.testing.assert_array_equal(run.contact_multipliers, m)
        totals.append(run.infections.sum())
    assert totals[0] > totals[1] > totals[2]


def test_behaviour_scales_requested_multipliers(cal, central):
    # Compliance below one leaves more contacts than asked for; voluntary distancing removes some.
    m = np.tile([1.0, 0.5, 0.5, 0.5], (120, 1))
    run = af.Model(cal, central).run(days=120, contact_multipliers=m)
    in_force = run.contact_multipliers
    assert (in_force[:, 1] > 0.5).all()  # school: no voluntary distancing, compliance < 1
    assert (in_force <= 1.0).all()
    assert run.voluntary_reduction.max() > 0
    assert run.compliance.shape == (120, 9)
    assert ((run.compliance > 0) & (run.compliance < 1)).all()


def test_runs_are_deterministic_across_threads(cal, central):
    model = af.Model(cal, central)
    reference = model.run(days=120).admissions
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: model.run(days=120).admissions, range(8)))
    for r in results:
        np.testing.assert_array_equal(r, reference)


def test_pickle_round_trips(cal, central, year_run):
    assert pickle.loads(pickle.dumps(cal)) == cal
    assert pickle.loads(pickle.dumps(central)) == central
    model = af.Model(cal, central)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.run(days=30).deaths, model.run(days=30).deaths)
    run = pickle.loads(pickle.dumps(year_run))
    np.testing.assert_array_equal(run.icu_occupancy, year_run.icu_occupancy)
    assert run.scenario_name == "centraal"
    err = pickle.loads(pickle.dumps(af.ValidationError("x: bad", [{"field": "x", "message": "bad", "value": "1"}])))
    assert isinstance(err, af.ValidationError) and err.errors()[0]["field"] == "x"
    # The engine's own objects pickle too.
    core = af._core.Scenario.preset("gunstig")
    assert pickle.loads(pickle.dumps(core)).to_json() == core.to_json()


def test_run_json_round_trip(year_run):
    again = af.Run.from_json(year_run.to_json(), "centraal")
    np.testing.assert_array_equal(again.compartments, year_run.compartments)


def test_parameters_expose_prepared_rates(cal, central):
    p = af.Model(cal, central).parameters()
    assert p["contacts"].shape == (4, 9, 9)
    assert p["p_severe"].shape == (9, 4)
    assert p["initial_state"].shape == (9, 21)
    assert p["latent_rate"] == pytest.approx(1 / central.to_dict()["variant"]["latent_days"])
    # Reciprocity of the prepared contact matrices.
    total = p["contacts"].sum(axis=0) * p["population"][:, None]
    np.testing.assert_allclose(total, total.T, rtol=1e-12)


def test_cli_prints_the_virus_spread_table():
    out = subprocess.run([sys.executable, "-m", "afweging", "run", "--days", "60"], capture_output=True, text=True, check=True)
    assert "total admissions" in out.stdout
    assert "80+" in out.stdout


def test_cli_bad_input_is_one_line_and_non_zero(tmp_path, central):
    data = central.to_dict()
    data["variant"]["r0"] = -1
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    out = subprocess.run([sys.executable, "-m", "afweging", "run", "--scenario-json", str(path)], capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.strip() == "afweging: error: scenario.variant.r0: must be > 0, got -1"
    out = subprocess.run([sys.executable, "-m", "afweging", "run", "--scenario", "nope"], capture_output=True, text=True)
    assert out.returncode == 2
    assert "unknown preset \"nope\"; valid: gunstig" in out.stderr
