"""Sweeps from Python: bit-identical on 1 thread, all threads and a Dask cluster; modes agree;
a sweep run equals the plain model run with the drawn inputs; bad input names its field."""

import pickle

import numpy as np
import pytest

import afweging as af
from afweging import _core
from afweging import decision as dec

DAYS = 90


@pytest.fixture(scope="module")
def plans():
    return af.SectorPlans.netherlands()


@pytest.fixture(scope="module")
def setup(plans):
    return dict(
        policies={"none": None, "signal-values": plans.policy("signal-values"), "horeca": plans.package({"horeca": 2})},
        scenarios={"centraal": af.Scenario.preset("centraal"), "ongunstig": af.Scenario.preset("ongunstig")},
        uncertainty=af.Uncertainty.netherlands(),
        draws=6,
        seed=7,
        days=DAYS,
        progress=False,
    )


@pytest.fixture(scope="module")
def one_thread(setup):
    return af.sweep(af.Calibration.netherlands(), threads=1, **setup)


def identical(a, b):
    """Bit for bit, NaNs included."""
    assert list(a.data_vars) == list(b.data_vars)
    for name in a.data_vars:
        x, y = a[name].values, b[name].values
        assert x.shape == y.shape and x.dtype == y.dtype, name
        assert np.array_equal(x.view(np.uint64), y.view(np.uint64)), name
    assert a.attrs == b.attrs


def test_dataset_layout(one_thread, setup):
    ds = one_thread
    assert dict(ds.sizes) == {"policy": 3, "scenario": 2, "draw": 6, "parameter": 16}
    assert list(ds.policy.values) == ["none", "signal-values", "horeca"]
    assert ds["deaths"].dims == ("policy", "scenario", "draw")
    assert ds["deaths"].attrs["units"] == "persons"
    assert ds["mean_stringency"].attrs["dimension"] == "policy"
    assert ds.attrs["seed"] == "7" and ds.attrs["afweging_version"] == af.__version__
    assert af.Uncertainty.from_json(ds.attrs["uncertainty"]) == setup["uncertainty"]
    assert np.array_equal(ds["parameter_value"].values, setup["uncertainty"].sample(6, seed=7))
    q = ds["deaths"].sel(policy="signal-values").quantile([0.05, 0.5, 0.95], dim="draw")
    assert (np.diff(q.values, axis=0) >= 0).all()
    # Measures in force show in the policy indicators; no measures, no stringency.
    assert (ds["mean_stringency"].sel(policy="none") == 0).all()
    assert (ds["mean_stringency"].sel(policy="horeca") > 0).all()
    assert np.isfinite(ds["mean_compliance"]).all()


def test_same_result_on_all_threads(one_thread, setup):
    identical(one_thread, af.sweep(af.Calibration.netherlands(), threads=2, **setup))
    identical(one_thread, af.sweep(af.Calibration.netherlands(), threads=3, **setup))


def test_same_result_on_a_dask_cluster(one_thread, setup):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            on_dask = af.sweep(af.Calibration.netherlands(), client=client, chunk_draws=2, **setup)
            identical(one_thread, on_dask)
            # Other chunk sizes, and a second identical call (same keys), give the same result.
            identical(one_thread, af.sweep(af.Calibration.netherlands(), client=client, chunk_draws=4, **setup))
            identical(one_thread, af.sweep(af.Calibration.netherlands(), client=client, **setup))


def test_thread_count_knob(monkeypatch):
    monkeypatch.setenv("AFWEGING_THREADS", "1")
    assert _core.Sweep.thread_count() == 1
    assert _core.Sweep.thread_count(3) == 3
    monkeypatch.setenv("AFWEGING_THREADS", "many")
    with pytest.raises(af.ValidationError) as err:
        _core.Sweep.thread_count()
    assert err.value.errors()[0]["field"] == "AFWEGING_THREADS"
    monkeypatch.delenv("AFWEGING_THREADS")
    assert _core.Sweep.thread_count() >= 1


def test_summary_and_trajectory_modes_agree(one_thread, setup):
    traj = af.sweep(af.Calibration.netherlands(), mode="trajectory", **setup)
    for name, *_ in _core.Sweep.indicators():
        assert np.array_equal(traj[name].values, one_thread[name].values, equal_nan=True), name
    assert traj["deaths_per_day"].dims == ("policy", "scenario", "draw", "day")
    np.testing.assert_allclose(traj["deaths_per_day"].sum("day"), one_thread["deaths"], rtol=1e-9)
    np.testing.assert_allclose(traj["admissions_per_day"].sum("day"), one_thread["admissions"], rtol=1e-9)
    assert np.array_equal(traj["icu_occupancy"].max("day"), one_thread["peak_icu_occupancy"])
    np.testing.assert_allclose(traj["stringency"].mean("day"), one_thread["mean_stringency"], rtol=1e-12)
    wide = af.sweep_frame(one_thread, parameters=True)
    assert list(wide.columns[:6]) == ["policy", "scenario", "draw", "indicator", "value", "unit"]
    assert len(wide) == 3 * 2 * 6 * len(_core.Sweep.indicators())
    row = wide[(wide.draw == 4) & (wide.indicator == "deaths") & (wide.policy == "none") & (wide.scenario == "centraal")]
    assert row["scenario.variant.r0"].item() == one_thread["parameter_value"].sel(draw=4, parameter="scenario.variant.r0").item()
    assert row["value"].item() == one_thread["deaths"].sel(draw=4, policy="none", scenario="centraal").item()
    frame = af.sweep_frame(traj, series=True)
    assert list(frame.columns) == ["policy", "scenario", "draw", "day", "indicator", "value", "unit"]
    assert len(frame) == 3 * 2 * 6 * DAYS * len(_core.Sweep.series())


def test_a_sweep_run_is_the_model_run_with_the_drawn_inputs(cal, central, plans):
    """Common random numbers, and no logic of its own: each cell is Model.run on the draw's inputs."""
    unc = af.Uncertainty.from_json(
        {
            "parameters": [
                {"path": "scenario.variant.r0", "apply": "scale", "distribution": {"type": "uniform", "low": 0.9, "high": 1.1}},
                {"path": "calibration.severity.p_death_icu_overflow", "distribution": {"type": "uniform", "low": 0.7, "high": 1.0}},
            ]
        }
    )
    policy = plans.policy("signal-values")
    ds = af.sweep(af.Model(cal, central), policies={"none": None, "sv": policy}, uncertainty=unc, draws=3, seed=11, days=60, progress=False)
    factors = unc.sample(3, seed=11)
    for d in range(3):
        sc = central.replace(**{"variant.r0": central.to_dict()["variant"]["r0"] * factors[d, 0]})
        c = cal.replace(**{"severity.p_death_icu_overflow": factors[d, 1]})
        model = af.Model(c, sc)
        for name, pol in [("none", None), ("sv", policy)]:
            expected = model.run(pol, days=60).virus_spread()
            cell = ds.sel(policy=name, scenario="centraal", draw=d)
            assert cell["deaths"].item() == expected["total_deaths"]
            assert cell["peak_icu_occupancy"].item() == expected["peak_icu_occupancy"]
            impacts = model.run(pol, days=60).impacts.totals
            for v in ["value_added_lost", "fiscal_cost", "school_years_lost", "postponed_care_qalys_lost"]:
                assert cell[v].item() == impacts[v], v


def test_impact_indicators_and_probability_best_from_the_draws(one_thread):
    """The socio-economic and societal totals are in the Dataset; decision analysis reads the draws."""
    ds = one_thread
    assert ds["value_added_lost"].attrs["units"] == "EUR"
    assert ds["value_added_lost"].attrs["dimension"] == "socio_economic"
    assert ds["school_years_lost"].attrs["dimension"] == "societal"
    assert (ds["value_added_lost_to_measures"].sel(policy="none") == 0).all()
    assert (ds["value_added_lost_to_measures"].sel(policy="horeca") > 0).all()
    # A loss that weighs deaths against output: which policy is best, draw by draw?
    loss = ds["deaths"] * 1e6 + ds["value_added_lost"]
    pb = dec.prob_best(loss, over="policy", dim="draw")
    values = loss.transpose("scenario", "draw", "policy").values
    best = values.argmin(axis=-1)
    for s, scenario in enumerate(ds.scenario.values):
        for p, policy in enumerate(ds.policy.values):
            assert pb.sel(scenario=scenario, policy=policy).item() == pytest.approx((best[s] == p).mean())
    ev = dec.evpi(loss, over="policy", dim="draw")
    # min over policies of the expected loss, less the expected loss of the best policy per draw
    expected = values.mean(axis=1).min(axis=-1) - values.min(axis=-1).mean(axis=-1)
    np.testing.assert_allclose(ev.values, expected, rtol=1e-12)
    assert (ev.values >= 0).all()


def test_one_run_without_uncertainty(cal, central):
    ds = af.sweep(af.Model(cal, central), days=30, progress=False)
    assert dict(ds.sizes) == {"policy": 1, "scenario": 1, "draw": 1, "parameter": 0}
    assert ds["deaths"].item() == af.Model(cal, central).run(days=30).virus_spread()["total_deaths"]


def test_progress_reporting(cal, central, capsys):
    calls = []
    af.sweep(af.Model(cal, central), days=20, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (1, 1)
    af.sweep(af.Model(cal, central), days=20, progress=False)
    assert capsys.readouterr().err == ""
    # On request: tqdm when installed, else one line on stderr; never a warning (warnings are errors here).
    af.sweep(af.Model(cal, central), days=20, progress=True)
    assert "afweging sweep" in capsys.readouterr().err


def test_an_error_in_the_progress_callback_stops_the_sweep(cal, central):
    def stop(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        af.sweep(af.Model(cal, central), uncertainty=af.Uncertainty.netherlands(), draws=400, days=365, threads=1, progress=stop)


def bad(field, **kwargs):
    with pytest.raises(af.ValidationError) as err:
        af.sweep(**kwargs)
    found = [e["field"] for e in err.value.errors()]
    assert field in found, err.value.errors()
    return err.value


def test_bad_arguments_name_the_field(cal, central):
    model = af.Model(cal, central)
    unc = af.Uncertainty.netherlands()
    bad("draws", model_or_calibration=model, draws=10, progress=False)
    bad("draws", model_or_calibration=model, uncertainty=unc, draws=-1, progress=False)
    bad("sweep.draws", model_or_calibration=model, uncertainty=unc, draws=0, progress=False)
    bad("seed", model_or_calibration=model, seed=-1, progress=False)
    bad("sweep.days", model_or_calibration=model, days=0, progress=False)
    bad("mode", model_or_calibration=model, mode="full", progress=False)
    bad("threads", model_or_calibration=model, threads=0, progress=False)
    bad("threads", model_or_calibration=model, threads=5000, progress=False)
    bad("scenarios", model_or_calibration=cal, progress=False)
    bad("sweep.policies[0].name", model_or_calibration=model, policies={"": None}, progress=False)
    # An uncertainty path the gunstig scenario lacks (it has no vaccination campaign).
    campaign = af.Uncertainty.from_json(
        {"parameters": [{"path": "scenario.campaigns[0].doses_per_day", "apply": "scale", "distribution": {"type": "uniform", "low": 0.5, "high": 1.5}}]}
    )
    err = bad(
        "uncertainty.parameters[0].path",
        model_or_calibration=cal,
        scenarios=[af.Scenario.preset("centraal"), af.Scenario.preset("gunstig")],
        uncertainty=campaign,
        draws=2,
        progress=False,
    )
    assert '"gunstig"' in str(err)
    with pytest.raises(TypeError):
        af.sweep(model, policies={"x": "signal-values"}, progress=False)


def test_core_sweep_pickles(cal, central):
    core = _core.Sweep(cal._inner, [("c", central._inner)], [("none", None)], af.Uncertainty.netherlands()._inner, 2, 5, 10, "summary")
    again = pickle.loads(pickle.dumps(core))
    assert again.to_json() == core.to_json()
    a, b = core.run(0, 2, 1), again.run(0, 2, 2)
    assert np.array_equal(a["indicators"], b["indicators"], equal_nan=True)
    with pytest.raises(af.ValidationError):
        core.run(1, 5)
