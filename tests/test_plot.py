"""Every plot renders (Agg backend), returns its axes or figure and draws into given axes."""

import numpy as np
import pytest

import afweging as af
from afweging import decision as dec

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

pd = pytest.importorskip("pandas")
xr = pytest.importorskip("xarray")


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def plans() -> af.SectorPlans:
    return af.SectorPlans.netherlands()


@pytest.fixture(scope="module")
def model() -> af.Model:
    return af.Model(af.Calibration.netherlands(), af.Scenario.preset("ongunstig"))


@pytest.fixture(scope="module")
def run(model, plans) -> af.Run:
    return model.run(plans.policy("signal-values"), days=200)


@pytest.fixture(scope="module")
def runs(model, plans, run):
    return {
        "none": model.run(days=200),
        "horeca": model.run(plans.package({"horeca": 2}), days=200),
        "signal values": run,
    }


@pytest.fixture(scope="module")
def trajectories(plans):
    cal = af.Calibration.netherlands()
    return af.sweep(
        cal,
        {"none": None, "signal values": plans.policy("signal-values")},
        {"ongunstig": af.Scenario.preset("ongunstig"), "centraal": af.Scenario.preset("centraal")},
        uncertainty=af.Uncertainty.netherlands(), draws=6, seed=3, days=120, mode="trajectory", progress=False,
    )


def _rendered(ax):
    ax.figure.canvas.draw()
    assert ax.has_data()


@pytest.mark.parametrize("kind", ["care", "rungs", "behaviour"])
def test_plot_kinds_render(run, kind):
    ax = run.plot(kind)
    _rendered(ax)
    fig, given = plt.subplots()
    assert run.plot(kind, ax=given) is given


def test_plot_rejects_unknown_kind(run):
    with pytest.raises(ValueError, match="kind: must be one of care, rungs, behaviour, overview, got 'pie'"):
        run.plot("pie")


def test_care_plot_without_policy():
    run = af.Model(af.Calibration.netherlands(), af.Scenario.preset("centraal")).run(days=60)
    ax = run.plot()
    assert len(ax.lines) >= 2


def test_care_plot_shades_and_names_levels(run):
    ax = af.plot.care(run)
    labels = ax.get_legend().get_texts()
    names = [t.get_text() for t in labels]
    reached = {run.policy_levels[k] for k in set(run.policy_level.tolist()) if k > 0}
    assert reached and all(f"level {n}" in names for n in reached)
    assert len(ax.patches) >= 1


def test_overview_stacks_panels(run, year_run):
    fig = run.plot("overview")
    fig.canvas.draw()
    assert len([a for a in fig.axes if a.get_visible() and a.has_data() and a.get_label() != "<colorbar>"]) == 3
    fig, axes = plt.subplots(3, 1)
    assert af.plot.overview(run, ax=axes) is fig
    # one Axes is split in place; a run without a policy gets care and behaviour only
    fig, ax = plt.subplots()
    out = af.plot.overview(year_run, ax=ax)
    assert out is fig and len([a for a in fig.axes if a.get_visible()]) == 2


def test_dimensions_from_runs_frame_and_sweep(runs, trajectories):
    fig = af.plot.dimensions(runs)
    fig.canvas.draw()
    titles = [a.get_title() for a in fig.axes if a.get_visible()]
    assert any(t.startswith("virus spread\ndeaths") for t in titles)
    assert any(t.startswith("socio-economic\n") for t in titles) and any(t.startswith("behavioural\n") for t in titles)
    assert fig.axes[0].patches and len(fig.axes[0].patches) == 3
    frame = pd.DataFrame({"deaths": [3, 2], "cost": [1, 4]}, index=["a", "b"])
    fig, axes = plt.subplots(1, 2)
    assert af.plot.dimensions(frame, ax=axes) is fig
    tidy = pd.concat([r.impacts.to_pandas().assign(alternative=k) for k, r in runs.items()])
    fig = af.plot.dimensions(tidy, indicators=["deaths", "value_added_lost"])
    assert len([a for a in fig.axes if a.get_visible()]) == 2
    fig = af.plot.dimensions(trajectories.sel(scenario=["ongunstig"]))
    assert any("mean stringency" in a.get_title() for a in fig.axes)
    with pytest.raises(ValueError, match="select one scenario"):
        af.plot.dimensions(trajectories)
    with pytest.raises(ValueError, match="indicators: not in the data: nope"):
        af.plot.dimensions(frame, indicators=["nope"])


def test_radar_normalises_best_to_worst(runs):
    ax = af.plot.radar(runs)
    _rendered(ax)
    assert ax.name == "polar"
    frame = pd.DataFrame({"deaths": [3.0, 1.0], "support": [0.5, 0.9], "same": [2.0, 2.0]}, index=["a", "b"])
    fig, plain = plt.subplots()
    ax = af.plot.radar(frame, indicators=["deaths", "support", "same"], ax=plain)
    assert ax.name == "polar" and ax.figure is fig
    a_line = ax.lines[0].get_ydata()
    b_line = ax.lines[1].get_ydata()
    # a is worst on deaths and (lower support) on support; both equal on "same"
    assert list(a_line[:3]) == [1.0, 1.0, 0.0] and list(b_line[:3]) == [0.0, 0.0, 0.0]


@pytest.fixture(scope="module")
def tree():
    costs = pd.DataFrame([[10, 40, 120], [20, 35, 70], [50, 55, 60]], index=["open", "mild", "lockdown"],
                         columns=["gunstig", "centraal", "ongunstig"])
    return dec.decision_tree(costs, {"gunstig": 0.2, "centraal": 0.5, "ongunstig": 0.3})


def test_opportunity_cost_bars(tree):
    ax = af.plot.opportunity_cost(tree)
    _rendered(ax)
    assert len(ax.patches) == 9
    fig, given = plt.subplots()
    assert af.plot.opportunity_cost(tree.to_pandas("regret"), ax=given) is given
    values = np.arange(24, dtype=float).reshape(2, 3, 4)
    by_dim = dec.decision_tree(values, [0.2, 0.5, 0.3], alternatives=["a", "b"])
    ax = af.plot.opportunity_cost(by_dim, scenario=by_dim.scenarios[1])
    assert "scenario" in ax.get_title()
    with pytest.raises(TypeError, match="result: expected"):
        af.plot.opportunity_cost([1, 2])


def test_decision_tree_drawn(tree):
    ax = af.plot.decision_tree(tree)
    ax.figure.canvas.draw()
    assert any("best: mild" in t.get_text() for t in ax.texts)
    fig, given = plt.subplots()
    assert af.plot.decision_tree(tree, ax=given) is given


def test_tornado(model, plans):
    ow = af.one_way(model, plans.policy("signal-values"),
                    parameters=["scenario.variant.r0", "scenario.variant.severity", "scenario.seasonality.amplitude"], days=120)
    ax = ow.plot()
    _rendered(ax)
    assert len(ax.patches) == 6
    ticks = sorted(zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()]))
    assert ticks[-1][1] == ow.to_pandas()["parameter"].iloc[0].replace("scenario.", "")  # largest swing on top
    fig, given = plt.subplots()
    assert af.plot.tornado(ow, indicator="admissions", ax=given, top=2) is given
    assert len(given.patches) == 4


def test_bands(trajectories):
    ax = af.plot.bands(trajectories, capacity=(650, 1350))
    _rendered(ax)
    assert len(ax.lines) == 4  # two medians, two capacity lines
    assert len(ax.collections) == 4  # outer and inner band per policy
    fig, given = plt.subplots()
    out = af.plot.bands(trajectories, "compliance", scenario="centraal", policies=["signal values"],
                        quantiles=(0.1, 0.5, 0.9), ax=given)
    assert out is given and len(given.collections) == 1
    with pytest.raises(ValueError, match="variable: must be a daily series"):
        af.plot.bands(trajectories, "deaths")


def test_prob_best_curves(trajectories):
    wtp = np.linspace(0, 5, 11)
    ax = af.plot.prob_best(trajectories, cost="days_with_measures", effect="deaths", wtp=wtp)
    _rendered(ax)
    ys = np.array([line.get_ydata() for line in ax.lines])
    assert ys.shape == (2, 11)
    np.testing.assert_allclose(ys.sum(axis=0), 1.0)
    # without weight on deaths, no measures is always best (no days with measures)
    assert ys[0, 0] == pytest.approx(1.0)
    costs = xr.DataArray(np.random.default_rng(1).normal(size=(2, 50)), dims=("policy", "draw"), coords={"policy": ["a", "b"]})
    effects = xr.DataArray(np.random.default_rng(2).normal(size=(2, 50)), dims=("policy", "draw"), coords={"policy": ["a", "b"]})
    fig, given = plt.subplots()
    assert af.plot.prob_best(dec.acceptability(costs, effects, wtp=wtp), ax=given) is given
    with pytest.raises(ValueError, match="cost, effect and wtp"):
        af.plot.prob_best(trajectories)
