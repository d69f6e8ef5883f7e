"""Sequential decision trees from Python (afweging/sequential.py): a two-stage toy whose value of
waiting follows from Bayes' rule by hand, the one-stage case against today's decision tree, a
small tree over the replayed model (determinism, feasibility, signals) and bad inputs."""

import hashlib
import itertools
import pathlib

import numpy as np
import pytest

import afweging as af
from afweging import sequential as sq
from afweging.sequential import solve_table

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

P, Q = 0.3, 0.8  # prior of the bad state; accuracy of the signal, P(s = state)
LOSS = {("act", "strict"): (10, 12), ("act", "mild"): (6, 30), ("wait", "strict"): (11, 16), ("wait", "mild"): (2, 40)}
OPTIONS = [["act", "wait"], ["strict", "mild"]]


def toy():
    """Draws with exactly the toy's frequencies, each twice in a row (both halves of the
    cross-fit see the same frequencies): loss draws x paths and the stage-2 signal."""
    cases = [c for state, signal, n in [(1, 1, 24), (1, 0, 6), (0, 1, 14), (0, 0, 56)] for c in [(state, signal)] * (2 * n)]
    paths = list(itertools.product(*OPTIONS))
    loss = np.array([[LOSS[p][state] for p in paths] for state, _ in cases], dtype=float)
    signal = np.array([[[s], [s]] for _, s in cases], dtype=float)
    return loss, [np.zeros((len(cases), 1, 0)), signal]


def by_hand():
    p_s1 = P * Q + (1 - P) * (1 - Q)
    post = {0: P * (1 - Q) / (1 - p_s1), 1: P * Q / p_s1}  # P(bad | s)

    def expect(path, bad):
        good_loss, bad_loss = LOSS[path]
        return (1 - bad) * good_loss + bad * bad_loss

    def stage1(a):
        return sum(ps * min(expect((a, b), post[s]) for b in OPTIONS[1]) for s, ps in ((0, 1 - p_s1), (1, p_s1)))

    return min(stage1(a) for a in OPTIONS[0]), min(expect(p, P) for p in LOSS)


def test_two_stage_toy_value_of_waiting_is_bayes_rule():
    sequential, commit = by_hand()
    assert commit == pytest.approx(10.6) and commit - sequential > 1
    loss, features = toy()
    res = solve_table(OPTIONS, loss, features, [[], [1]], source_names=["reports", "test"], seed=2)
    assert res.sequential.value == pytest.approx(sequential, rel=1e-12)
    assert res.commit_now.value == pytest.approx(commit, rel=1e-12)
    assert res.value_of_waiting.value == pytest.approx(commit - sequential, rel=1e-12)
    assert res.evsi("test").value == pytest.approx(commit - sequential, rel=1e-12)
    low, high = res.value_of_waiting.low, res.value_of_waiting.high
    assert low <= res.value_of_waiting.value <= high
    # The rule: wait; then strict on a bad signal, mild on a good one.
    assert res.decide(0, {}) == "wait"
    assert res.decide(1, {"stage 2:x0": 1.0}, after=["wait"]) == "strict"
    assert res.decide(1, {"stage 2:x0": 0.0}, after=["wait"]) == "mild"
    assert res.best_fixed == "act → strict"
    policy = res.policy
    assert set(policy["option"]) == {"act", "wait", "strict", "mild"}
    with pytest.raises(af.errors.UnknownNameError, match="sequencing"):
        res.evsi("sequencing")


def test_one_stage_is_todays_decision_tree():
    values = np.array([[12.0, 30.0, 55.0, 7.5], [15.0, 22.0, 41.0, 9.0], [20.0, 21.0, 30.0, 16.0]])
    probabilities = [0.4, 0.3, 0.2, 0.1]
    tree = af.decision.decision_tree(values, probabilities, alternatives=["a", "b", "c"])
    res = solve_table([["a", "b", "c"]], values.T, weights=probabilities)
    np.testing.assert_array_equal(res.expected, tree.expected)
    assert res.best_fixed == tree.best
    assert res.evpi == tree.evpi
    assert res.sequential.value == tree.expected[["a", "b", "c"].index(tree.best)]
    assert res.value_of_waiting.value == 0.0


def test_bad_tables_name_the_field():
    loss, features = toy()
    bad = loss.copy()
    bad[3, 1] = np.nan
    with pytest.raises(af.ValidationError, match=r"loss\[3\]\[1\]"):
        solve_table(OPTIONS, bad, features, [[], [1]])
    with pytest.raises(af.ValidationError, match="weights"):
        solve_table(OPTIONS, loss, features, [[], [1]], weights=[1.0] * len(loss))
    with pytest.raises(af.ValidationError, match="feasible"):
        solve_table(OPTIONS, loss, features, [[], [1]], feasible=[False] * 4)


# --- over the model ------------------------------------------------------------------------

STRICT = af.Timeline.netherlands().to_dict()["entries"][14]["package"]  # 2020-10-14 partial lockdown
OPEN = {"rungs": {}, "general": []}


@pytest.fixture(scope="module")
def tree():
    return af.decision.Sequential(
        stages=["2020-10-01", "2020-10-15"],
        options=[{"as recorded": None, "strict": STRICT}, {"as recorded": None, "strict": STRICT, "open": OPEN}],
        uncertain={"scenario.variant.r0": {"apply": "scale", "distribution": {"type": "triangular", "low": 0.85, "mode": 1.0, "high": 1.15}}},
        signals=["testing", "serology"],
        min_days={"strict": 28},
        until="2020-11-30",
    )


@pytest.fixture(scope="module")
def solved(tree):
    return tree.solve(draws=8, seed=3)


def test_tree_over_the_model(tree, solved):
    # "strict" at 2020-10-01 must stay at 2020-10-15 (28 days): two of its three continuations go.
    assert tree.feasible() == [True, True, True, False, True, False]
    assert len(solved.paths) == 4 and "strict → open" not in solved.paths
    assert np.all(np.isfinite(solved.expected)) and np.all(solved.expected > 0)
    assert solved.chosen.shape == (8, 2)
    for row in solved.chosen:
        assert tuple(row) not in {(1, 0), (1, 2)}  # never an infeasible path
    # Every fixed path's expected loss is the mean of its branches: the best fixed path has the least.
    assert solved.best_fixed == solved.paths[int(np.argmin(solved.expected))]
    for source in ("testing", "serology"):
        est = solved.evsi(source)
        assert np.isfinite(est.value) and est.low <= est.high
    assert solved.to_pandas().shape[0] == 6
    assert "Sequential decision" in solved._repr_html_()
    assert solved.plot() is not None
    # The stricter package in October costs lives less and the economy more: the paths differ.
    assert np.ptp(solved.expected) > 0


def test_signals_come_from_the_draws_own_run(tree, solved):
    # Not an oracle: what is seen is the reports of the draw's run, and they tell the draws apart.
    # A more transmissible draw (the variant's R0 scale) has infected more people by 2020-10-01,
    # so the survey finds more antibodies; its reported admissions move with R0 too (in the
    # unfitted replay the bigger early waves leave fewer susceptibles for the autumn: the sign is
    # the model's, the strength is what matters for the decision).
    r0 = tree.uncertainty.sample(8, 3)[:, 0]
    seen = solved.features[0][:, 0, :]
    names = solved.feature_names[0]
    assert np.corrcoef(r0, seen[:, names.index("seroprevalence_logit")])[0, 1] > 0.7
    assert abs(np.corrcoef(r0, seen[:, names.index("admissions_week_log")])[0, 1]) > 0.7
    # At the second stage the branches differ after the first choice, the first stage's reports
    # (common random numbers) are the same for every earlier choice.
    assert solved.features[1].shape == (8, 2, len(names))
    assert not np.array_equal(solved.features[1][:, 0], solved.features[1][:, 1])


def test_same_seed_same_result(tree, solved):
    again = tree.solve(draws=8, seed=3)
    np.testing.assert_array_equal(again.held_out, solved.held_out)
    assert again.value_of_waiting == solved.value_of_waiting
    other = tree.solve(draws=8, seed=4)
    assert not np.array_equal(other.held_out, solved.held_out)


def test_path_timeline_keeps_the_past_and_places_the_choices(tree):
    tl = tree.timeline_of(("strict", "strict")).to_dict()["entries"]
    dates = [e["date"] for e in tl]
    assert dates[-2:] == ["2020-10-01", "2020-10-15"]
    assert all(d < "2020-10-01" for d in dates[:-2])
    recorded = tree.timeline_of(("as recorded", "as recorded")).to_dict()["entries"]
    assert [e["date"] for e in recorded if e["date"] >= "2020-10-01"][:3] == ["2020-10-01", "2020-10-14", "2020-10-15"]


def test_bad_trees_name_the_field():
    Seq = af.decision.Sequential
    with pytest.raises(af.ValidationError, match=r"stages\[1\]"):
        Seq(stages=["2020-10-15", "2020-10-01"], options=[{"a": None}, {"a": None}])
    with pytest.raises(af.ValidationError, match=r"options\[0\]\['early'\]\[0\]\.date.*before its stage date"):
        Seq(stages=["2020-10-01"], options=[{"early": [{"date": "2020-09-20", "name": "x", "package": OPEN}]}])
    with pytest.raises(af.ValidationError, match="next stage"):
        Seq(
            stages=["2020-10-01", "2020-10-15"],
            options=[{"late": [{"date": "2020-10-20", "name": "x", "package": OPEN}]}, {"a": None}],
        )
    with pytest.raises(af.errors.UnknownNameError, match="min_days"):
        Seq(stages=["2020-10-01"], options=[{"a": None}], min_days={"b": 7})
    with pytest.raises(af.ValidationError, match="min_days"):
        Seq(stages=["2020-10-01"], options=[{"a": None}], min_days={"a": 0})
    with pytest.raises(af.errors.UnknownNameError, match="signals"):
        Seq(stages=["2020-10-01"], options=[{"a": None}], signals=["radar"])
    with pytest.raises(af.errors.NotAvailableError, match="one variant"):
        Seq(stages=["2020-10-01"], options=[{"a": None}], signals=["sequencing"])
    with pytest.raises(af.ValidationError, match="draws"):
        Seq(stages=["2020-10-01"], options=[{"a": None}]).solve(draws=2)
    with pytest.raises(af.ValidationError, match="threads"):
        Seq(stages=["2020-10-01"], options=[{"a": None}]).solve(draws=4, threads=0)
    with pytest.raises(af.ValidationError, match=r"package"):
        Seq(stages=["2020-10-01"], options=[{"bad": {"rungs": {"horeca": 99}}}]).timeline_of(("bad",))


def test_sources_carry_their_parameters():
    assert sq.Serology().sample == 3207 and sq.Testing(ascertainment=0.5).ascertainment == 0.5
    with pytest.raises(af.ValidationError, match=r"reports\.dispersion"):
        sq.Reports(dispersion=0.0)
    with pytest.raises(af.ValidationError, match=r"testing\.ascertainment"):
        sq.Testing(ascertainment=1.5)
    with pytest.raises(af.ValidationError, match=r"serology\.sample"):
        sq.Serology(sample=0)


def test_the_stored_autumn_fit_is_the_one_recorded():
    """The fitted replay of notebook 12 (python/afweging/data/replay, written by
    scripts/fit_autumn_2020.py) matches its checksum, and its scenario carries the fitted
    transmission factors it lists."""
    data = pathlib.Path(af.__file__).parent / "data" / "replay"
    sums = dict(reversed(line.split()) for line in (data / "SHA256SUMS").read_text().splitlines() if line.strip())
    name = "fit_2020-09-30.json"
    assert hashlib.sha256((data / name).read_bytes()).hexdigest() == sums[name]
    scenario, params = sq.autumn_2020()
    steps = scenario.to_dict()["transmission"]
    assert steps[0]["from"] == "2020-02-27"
    for k, step in enumerate(steps):
        if f"theta_{k}" not in params:
            break
        assert step["factor"] == pytest.approx(params[f"theta_{k}"]["estimate"], rel=1e-12)
        assert params[f"theta_{k}"]["lower"] <= step["factor"] <= params[f"theta_{k}"]["upper"]
    assert k >= 10 and params["dispersion_admissions"]["estimate"] > 0
