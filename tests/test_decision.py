"""Decision analysis from Python: decision tree, opportunity cost, draws, Pareto, MCDA and weight
sensitivity, against hand-computed and published examples, with labelled inputs and plots."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import afweging as af
from afweging import decision as dec

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SCENARIOS = ["gunstig", "centraal", "ongunstig"]
PACKAGES = ["open", "mild", "lockdown"]


@pytest.fixture
def costs() -> pd.DataFrame:
    """Costs (billion euros) per package and scenario; see tests/decision.rs for the arithmetic."""
    return pd.DataFrame(
        [[10, 40, 120], [20, 35, 70], [50, 55, 60]],
        index=pd.Index(PACKAGES, name="package"),
        columns=SCENARIOS,
    )


def test_decision_tree_hand_computed_with_labels(costs):
    # Expected: open 0.2*10 + 0.5*40 + 0.3*120 = 58, mild 4 + 17.5 + 21 = 42.5,
    # lockdown 10 + 27.5 + 18 = 55.5. Regret (costs minus the scenario's best 10, 35, 60):
    # open (0, 5, 60), mild (10, 0, 10), lockdown (40, 20, 0). EVPI = 42.5 - 37.5 = 5.
    tree = dec.decision_tree(costs, {"ongunstig": 0.3, "gunstig": 0.2, "centraal": 0.5})
    assert tree.alternatives == PACKAGES and tree.scenarios == SCENARIOS
    np.testing.assert_allclose(tree.expected, [58, 42.5, 55.5])
    assert tree.best == "mild" and tree.minimax_regret == "mild"
    np.testing.assert_array_equal(tree.regret, [[0, 5, 60], [10, 0, 10], [40, 20, 0]])
    np.testing.assert_array_equal(tree.max_regret, [60, 10, 40])
    assert tree.evpi == pytest.approx(5.0)
    assert tree.expected_with_perfect_information == pytest.approx(37.5)
    assert tree.best_per_scenario == {"gunstig": "open", "centraal": "mild", "ongunstig": "lockdown"}
    summary = tree.to_pandas()
    assert list(summary.index) == PACKAGES
    assert summary.loc["mild", "best_expected"] and summary.loc["mild", "minimax_regret"]
    regret = tree.to_pandas("regret")
    assert regret.loc["open", "ongunstig"] == 60
    html = tree._repr_html_()
    assert "mild" in html and "EVPI 5" in html and "ongunstig (p=0.3)" in html
    assert "best 'mild'" in repr(tree)


def test_minimax_regret_differs_from_expected_value():
    # A: (0, 100), B: (30, 30), p = (0.9, 0.1): E = 10 vs 30 -> A; max regret 70 vs 30 -> B.
    tree = dec.decision_tree(np.array([[0.0, 100.0], [30.0, 30.0]]), [0.9, 0.1], alternatives=["A", "B"])
    assert tree.best == "A" and tree.minimax_regret == "B"
    assert tree.evpi == pytest.approx(7.0)


def test_benefit_orientation():
    tree = dec.decision_tree([[5.0, 1.0], [3.0, 4.0]], [0.5, 0.5], orientation="benefit")
    assert tree.best == "alternative 1"
    np.testing.assert_array_equal(tree.regret, [[0, 3], [2, 0]])
    assert tree.evpi == pytest.approx(1.0)


def test_three_dimensional_input_gives_opportunity_cost_per_dimension():
    # Two alternatives, one scenario, dimensions health and economy (euros):
    # A (1, 10), B (4, 5): totals 11 and 9 -> B best; by dimension A (0, 5), B (3, 0);
    # A's total regret 2 splits into (-3, +5).
    da = xr.DataArray(
        np.array([[[1.0, 10.0]], [[4.0, 5.0]]]),
        dims=("policy", "scenario", "dimension"),
        coords={"policy": ["A", "B"], "scenario": ["centraal"], "dimension": ["health", "economy"]},
    )
    tree = dec.decision_tree(da, [1.0])
    assert tree.best == "B"
    oc = tree.opportunity_cost
    assert oc is not None and oc.dimensions == ["health", "economy"]
    np.testing.assert_array_equal(oc.total, [[2.0], [0.0]])
    np.testing.assert_array_equal(oc.by_dimension[:, 0, :], [[0, 5], [3, 0]])
    np.testing.assert_array_equal(oc.decomposition[0, 0], [-3, 5])
    assert oc.best_total == ["B"] and oc.best_by_dimension[("centraal", "health")] == "A"
    tidy = oc.to_pandas()
    assert set(tidy["dimension"]) == {"health", "economy", "total"}
    assert "Opportunity cost" in oc._repr_html_()
    same = dec.opportunity_cost(da)
    np.testing.assert_array_equal(same.decomposition, oc.decomposition)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda a: st.integers(1, 5).flatmap(
            lambda s: st.tuples(
                arrays(np.float64, (a, s), elements=st.floats(-1e6, 1e6)),
                arrays(np.float64, (s,), elements=st.floats(0.0, 1.0)),
            )
        )
    )
)
def test_evpi_never_negative_and_regret_properties(data):
    values, p = data
    if p.sum() < 1e-3:
        p = np.ones_like(p)
    p = p / p.sum()
    tree = dec.decision_tree(values, p)
    assert tree.evpi >= 0.0
    assert (tree.regret >= 0).all()
    for s, best in enumerate(tree.best_per_scenario.values()):
        assert tree.regret[tree.alternatives.index(best), s] == 0.0
    # An extra alternative that is best in every scenario leaves nothing to learn.
    dominant = np.vstack([values, values.min(axis=0) - 1.0])
    assert dec.decision_tree(dominant, p).evpi == 0.0


def test_probability_best_and_evpi_from_draws_match_numpy():
    rng = np.random.default_rng(3)
    values = rng.normal(size=(3, 2, 4000)) + np.array([0.0, 0.1, 0.3])[:, None, None]
    da = xr.DataArray(
        values,
        dims=("policy", "scenario", "draw"),
        coords={"policy": ["p0", "p1", "p2"], "scenario": ["centraal", "ongunstig"]},
        attrs={"units": "EUR"},
    )
    pb = dec.prob_best(da, over="policy", dim="draw")
    assert pb.dims == ("scenario", "policy")
    for s in range(2):
        winners = values[:, s, :].argmin(axis=0)
        want = np.bincount(winners, minlength=3) / values.shape[2]
        np.testing.assert_allclose(pb.isel(scenario=s).values, want)
    ev = dec.evpi(da, over="policy", dim="draw")
    assert ev.dims == ("scenario",) and ev.attrs["units"] == "EUR"
    for s in range(2):
        v = values[:, s, :]
        assert ev.isel(scenario=s).item() == pytest.approx(v.mean(axis=1).min() - v.min(axis=0).mean(), rel=1e-12)
        assert ev.isel(scenario=s).item() >= 0
    # Plain arrays (alternatives x draws) work too, and dims can be in any order.
    assert dec.evpi(values[:, 0, :]) == pytest.approx(ev.isel(scenario=0).item())
    np.testing.assert_allclose(dec.prob_best(da.transpose("draw", "scenario", "policy")).values, pb.values)


def test_acceptability_curve():
    rng = np.random.default_rng(0)
    costs = np.vstack([np.zeros(500), 100 + rng.normal(0, 10, 500)])
    effects = np.vstack([np.zeros(500), 2 + rng.normal(0, 0.5, 500)])
    acc = dec.acceptability(costs, effects, np.linspace(0, 200, 21))
    assert acc.frontier[0] == "alternative 0" and acc.frontier[-1] == "alternative 1"
    np.testing.assert_allclose(acc.probability_best.sum(axis=1), 1.0)
    assert (acc.evpi >= 0).all()
    assert len(acc.to_pandas()) == 42
    ax = acc.plot()
    ax.figure.canvas.draw()
    plt.close("all")


def test_icers_like_dampack():
    # Hand-computed in tests/decision.rs: C dominated by B, E extendedly dominated, frontier A, B, D.
    costs = pd.Series({"A": 0.0, "B": 100.0, "C": 150.0, "D": 300.0, "E": 250.0})
    effects = {"E": 1.2, "D": 1.5, "C": 0.5, "B": 1.0, "A": 0.0}
    ce = dec.icers(costs, effects)
    assert ce.frontier == ["A", "B", "D"]
    assert ce.status == ["frontier", "frontier", "dominated", "frontier", "extendedly dominated"]
    assert ce.dominated_by["C"] == "B"
    table = ce.to_pandas()
    assert list(table.index) == ["A", "B", "C", "E", "D"]
    assert table.loc["D", "icer"] == 400.0 and np.isnan(table.loc["A", "icer"])
    assert "extendedly dominated" in ce._repr_html_()
    ax = ce.plot()
    ax.figure.canvas.draw()
    plt.close("all")
    _raises(lambda: dec.icers([1.0, np.inf], [1.0, 2.0]), "costs[1]", "inf")


def test_pareto_with_labels_and_ties():
    m = pd.DataFrame(
        {"deaths": [10, 8, 8, 12, 12], "value_added": [5, 5, 5, 9, 4]},
        index=["a", "b", "b2", "c", "d"],
    )
    p = dec.pareto(m, {"deaths": "cost", "value_added": "benefit"})
    assert p.frontier == ["b", "b2", "c"]
    assert p.dominated_by["a"] == ["b", "b2"]
    assert p.to_pandas().loc["d", "efficient"] == False  # noqa: E712
    assert "Pareto" in p._repr_html_()


# Roszkowska (2011), Example 1: see tests/decision.rs for the full citation.
ROSZKOWSKA = pd.DataFrame(
    [[7, 21, 4, 7], [7, 24, 6, 4], [14, 25, 3, 8], [14, 26, 9, 3], [21, 35, 4, 4]],
    index=["A1", "A2", "A3", "A4", "A5"],
    columns=["C1", "C2", "C3", "C4"],
)
ROSZKOWSKA_DIRECTIONS = ["benefit", "cost", "benefit", "benefit"]


def test_topsis_published_example():
    r = dec.mcda(ROSZKOWSKA, [0.175, 0.425, 0.175, 0.225], ROSZKOWSKA_DIRECTIONS, method="topsis")
    np.testing.assert_allclose(r.scores, [0.535497, 0.434945, 0.557491, 0.516961, 0.370633], atol=5e-7)
    np.testing.assert_allclose(r.details["ideal_distance"], [0.107805, 0.117942, 0.096981, 0.105379, 0.141766], atol=5e-7)
    assert list(r.to_pandas().index) == ["A3", "A1", "A4", "A2", "A5"]
    assert r.best == ["A3"]
    assert repr(r) == "MCDA(topsis: A3 > A1 > A4 > A2 > A5)"


def test_weighted_sum_fighter_aircraft():
    # Hwang & Yoon (1981) fighter aircraft; min-max arithmetic in tests/decision.rs.
    m = np.array(
        [
            [2.0, 1500, 20000, 5.5, 5, 9],
            [2.5, 2700, 18000, 6.5, 3, 5],
            [1.8, 2000, 21000, 4.5, 7, 7],
            [2.2, 1800, 20000, 5.0, 5, 5],
        ]
    )
    crit = ["speed", "range", "payload", "cost", "reliability", "manoeuvrability"]
    dirs = {c: ("cost" if c == "cost" else "benefit") for c in crit}
    weights = dict(zip(crit, [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]))
    r = dec.mcda(m, weights, dirs, method="weighted_sum", alternatives=["A1", "A2", "A3", "A4"], criteria=crit)
    np.testing.assert_allclose(r.scores, [0.4 / 7 + 0.2 / 3 + 0.45, 0.3, 0.5 / 12 + 0.55, 0.8 / 7 + 0.2 / 3 + 0.2], rtol=1e-12)
    np.testing.assert_array_equal(r.ranks, [2, 4, 1, 3])


def _promethee_reference(m, w, dirs, prefs):
    """Independent PROMETHEE II by the definition (all pairs, aggregated preference indices)."""
    n, k = m.shape
    w = np.asarray(w) / np.sum(w)

    def degree(kind, d):
        if d <= 0:
            return 0.0
        if kind[0] == "usual":
            return 1.0
        q, p = kind[1], kind[2]
        return 0.0 if d <= q else min((d - q) / (p - q), 1.0)

    pi = np.zeros((n, n))
    for a in range(n):
        for b in range(n):
            for j in range(k):
                d = (m[a, j] - m[b, j]) * (1 if dirs[j] == "benefit" else -1)
                pi[a, b] += w[j] * degree(prefs[j], d)
    return (pi.sum(axis=1) - pi.sum(axis=0)) / (n - 1)


def test_promethee_hand_computed_and_against_the_definition():
    # Hand-computed in tests/decision.rs: net flows (0.25, -0.2, -0.05).
    m = np.array([[10.0, 8.0], [7.0, 4.0], [7.0, 2.0]])
    r = dec.mcda(m, [0.6, 0.4], ["benefit", "cost"], method="promethee", preference=["usual", {"type": "linear", "q": 1, "p": 5}])
    np.testing.assert_allclose(r.scores, [0.25, -0.2, -0.05], atol=1e-12)
    np.testing.assert_allclose(r.details["positive_flow"] - r.details["negative_flow"], r.scores, atol=1e-12)
    rng = np.random.default_rng(11)
    for _ in range(5):
        m = rng.uniform(0, 10, size=(6, 4))
        w = rng.uniform(0, 1, size=4)
        dirs = ["benefit", "cost", "benefit", "cost"]
        prefs = [("usual",), ("linear", 0.5, 3.0), ("linear", 0.0, 2.0), ("usual",)]
        spec = [{"type": "usual"} if p[0] == "usual" else {"type": "linear", "q": p[1], "p": p[2]} for p in prefs]
        got = dec.mcda(m, w, dirs, method="promethee", preference=spec).scores
        np.testing.assert_allclose(got, _promethee_reference(m, w, dirs, prefs), atol=1e-12)


@pytest.mark.parametrize("method", ["topsis", "weighted_sum", "promethee"])
def test_weight_sensitivity_rows_sum_to_one_and_are_seeded(method):
    a = dec.weight_sensitivity(ROSZKOWSKA, ROSZKOWSKA_DIRECTIONS, n=3000, seed=5, method=method)
    np.testing.assert_allclose(a.acceptability.sum(axis=1), 1.0, atol=1e-12)
    b = dec.weight_sensitivity(ROSZKOWSKA, ROSZKOWSKA_DIRECTIONS, n=3000, seed=5, method=method)
    np.testing.assert_array_equal(a.acceptability, b.acceptability)
    np.testing.assert_array_equal(a.central_weights, b.central_weights)
    c = dec.weight_sensitivity(ROSZKOWSKA, ROSZKOWSKA_DIRECTIONS, n=3000, seed=6, method=method)
    assert not np.array_equal(a.acceptability, c.acceptability)
    frame = a.to_pandas()
    assert list(frame.columns)[:2] == ["rank 1", "rank 2"] and list(frame.index) == list(ROSZKOWSKA.index)
    assert a.central_weights_frame().shape == (5, 4)
    assert "Rank acceptability" in a._repr_html_()


@pytest.mark.parametrize("method", ["topsis", "weighted_sum", "promethee"])
def test_a_dominating_alternative_has_rank_one_acceptability_one(method):
    m = np.array([[5.0, 3.0, 2.0], [4.0, 3.0, 9.0], [6.0, 1.0, 5.0], [4.5, 2.0, 9.0]])
    dirs = ["cost", "benefit", "benefit"]
    assert dec.pareto(m, dirs).frontier == ["alternative 1"]
    a = dec.weight_sensitivity(m, dirs, n=2000, seed=1, method=method)
    assert a.acceptability[1, 0] == 1.0


def _raises(fn, field, value_text):
    with pytest.raises(af.ValidationError) as info:
        fn()
    errors = info.value.errors()
    assert any(e["field"] == field and value_text in e["value"] for e in errors), errors
    assert isinstance(info.value, ValueError)
    return info.value


def test_bad_input_raises_validation_error_naming_field_and_value(costs):
    _raises(lambda: dec.decision_tree(costs, [0.2, 0.5, 0.2]), "probabilities", "sum 0.8999")
    _raises(lambda: dec.decision_tree(costs, [1.2, -0.5, 0.3]), "probabilities[1]", "-0.5")
    bad = costs.astype(float).copy()
    bad.iloc[1, 2] = np.nan
    _raises(lambda: dec.decision_tree(bad, [0.2, 0.5, 0.3]), "values[1][2]", "NaN")
    _raises(lambda: dec.decision_tree(costs, [0.5, 0.5]), "probabilities", "2 elements")
    _raises(lambda: dec.decision_tree(costs, {"gunstig": 1.0}), "probabilities", "missing")
    _raises(lambda: dec.decision_tree(costs, [0.2, 0.5, 0.3], orientation="good"), "orientation", "good")
    _raises(lambda: dec.decision_tree(np.ones(3), [1.0]), "values", "shape (3,)")
    _raises(lambda: dec.mcda(ROSZKOWSKA, [1, -1, 1, 1], "cost"), "weights[1]", "-1")
    _raises(lambda: dec.mcda(ROSZKOWSKA, [1, 1, 1, 1], ["cost", "up", "cost", "cost"]), "directions[1]", "up")
    _raises(lambda: dec.mcda(ROSZKOWSKA, [1, 1, 1, 1], "cost", method="electre"), "method", "electre")
    _raises(
        lambda: dec.mcda(ROSZKOWSKA, [1, 1, 1, 1], "cost", method="promethee", preference={"type": "linear", "q": 3, "p": 1}),
        "method.preference[0].p",
        "1",
    )
    _raises(lambda: dec.weight_sensitivity(ROSZKOWSKA, "cost", n=-5), "n", "-5")
    da = xr.DataArray(np.zeros((2, 3)), dims=("policy", "draw"))
    _raises(lambda: dec.prob_best(da, over="alternative"), "over", "alternative")


def test_plots_render():
    tree = dec.decision_tree(
        [[10, 40, 120], [20, 35, 70], [50, 55, 60]], [0.2, 0.5, 0.3], alternatives=PACKAGES, scenarios=SCENARIOS
    )
    ax = tree.plot()
    ax.figure.canvas.draw()
    texts = [t.get_text() for t in ax.texts]
    assert "mild" in texts and any("ongunstig (p=0.3)" in t for t in texts) and any("E = 42.5" in t for t in texts)
    fig, given_ax = plt.subplots()
    assert tree.plot(ax=given_ax) is given_ax
    oc = dec.opportunity_cost(np.random.default_rng(1).uniform(0, 10, size=(3, 2, 4)), dimensions=["virus", "societal", "economic", "behaviour"])
    ax = oc.plot(scenario="scenario 1")
    ax.figure.canvas.draw()
    assert ax.has_data()
    r = dec.mcda(ROSZKOWSKA, [0.175, 0.425, 0.175, 0.225], ROSZKOWSKA_DIRECTIONS)
    ax = r.plot()
    ax.figure.canvas.draw()
    assert len(ax.patches) == 5
    a = dec.weight_sensitivity(ROSZKOWSKA, ROSZKOWSKA_DIRECTIONS, n=500)
    ax = a.plot()
    ax.figure.canvas.draw()
    assert len(ax.patches) == 25
    p = dec.pareto(ROSZKOWSKA, ROSZKOWSKA_DIRECTIONS)
    ax = p.plot(x="C2", y="C4")
    ax.figure.canvas.draw()
    assert ax.get_xlabel() == "C2 (cost)"
    plt.close("all")


def test_results_pickle_and_edge_cases():
    import pickle

    tree = dec.decision_tree([[1.0, 2.0], [2.0, 1.0]], [0.5, 0.5], alternatives=["a", "b"])
    back = pickle.loads(pickle.dumps(tree))
    assert back.best == tree.best and back.evpi == tree.evpi
    np.testing.assert_array_equal(back.regret, tree.regret)
    # One alternative, one scenario: nothing to choose, nothing to learn.
    one = dec.decision_tree([[3.0]], [1.0])
    assert one.evpi == 0.0 and one.best == "alternative 0"
    for method in ("topsis", "weighted_sum", "promethee"):
        r = dec.mcda([[1.0, 2.0]], [1, 1], "cost", method=method)
        assert list(r.ranks) == [1]
    # Identical alternatives tie: both rank first in every weight sample.
    a = dec.weight_sensitivity([[1.0, 2.0], [1.0, 2.0], [3.0, 0.0]], ["cost", "benefit"], n=200)
    np.testing.assert_array_equal(a.acceptability[:2, 0], [1.0, 1.0])
