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
    with pytest.raises(af.errors.NotAvailableError, match="new variant"):
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


@pytest.mark.parametrize("through", af.replay.STORED_FITS)
def test_the_stored_fits_are_the_ones_recorded(through):
    """The stored fits of the replay (python/afweging/data/replay, written by
    scripts/fit_replay.py) match their checksums, and their scenarios carry the fitted
    transmission factors they list; the autumn tree's fit is the one through 2020-09-30."""
    data = pathlib.Path(af.__file__).parent / "data" / "replay"
    sums = dict(reversed(line.split()) for line in (data / "SHA256SUMS").read_text().splitlines() if line.strip())
    name = f"fit_{through}.json"
    assert hashlib.sha256((data / name).read_bytes()).hexdigest() == sums[name]
    scenario, params = af.replay.stored_fit(through)
    steps = scenario.to_dict()["transmission"]
    assert steps[0]["from"] == "2020-02-27"
    # Each step is a fitted factor times the replay scenario's own (Alpha's advantage from
    # December 2020): divided by the latter, the steps run through theta_0, theta_1, ... in order.
    known = af.replay.replay_scenario().to_dict()["transmission"]
    fitted = []
    for step in steps:
        own = [e["factor"] for e in known if e["from"] <= step["from"]]
        factor = step["factor"] / (own[-1] if own else 1.0)
        if not fitted or abs(factor / fitted[-1] - 1.0) > 1e-9:
            fitted.append(factor)
    thetas = sorted((n for n in params if n.startswith("theta_")), key=lambda n: int(n.split("_")[1]))
    assert len(fitted) == len(thetas) >= 10
    for factor, name in zip(fitted, thetas):
        assert factor == pytest.approx(params[name]["estimate"], rel=1e-9)
        assert params[name]["lower"] <= factor <= params[name]["upper"]
    assert params["dispersion_admissions"]["estimate"] > 0
    if through == "2020-09-30":
        assert sq.autumn_2020()[0].to_dict() == scenario.to_dict()


def test_a_missing_stored_fit_or_a_day_after_it_is_refused_naming_the_field():
    with pytest.raises(af.ValidationError, match="through: no stored fit"):
        af.replay.stored_fit("2021-06-30")
    with pytest.raises(af.ValidationError, match="until: must be on or before 2021-12-31"):
        af.replay.fitted_run(until="2022-01-15")
    with pytest.raises(TypeError, match="timeline"):
        af.replay.fitted_run(until="2020-06-30", timeline="netherlands")


# --- sequencing a new variant -----------------------------------------------------------------

START = __import__("datetime").date(2020, 10, 1)
UNSURE = sq.Variant(advantage={"type": "uniform", "low": 0.1, "high": 1.0}, midpoint="2020-11-15")


def sequenced(variant, draws, seed, source=sq.Sequencing(), day=45):
    """What the Sequencing source reports on ``day`` (from START) in each draw, the draws'
    advantages, through the source's own code (flat infections: the share of the days)."""
    values = variant.sample(draws, seed, generation_days=5.0)
    u = np.random.default_rng(seed).random((draws, 60))
    seen = []
    for v, ud in zip(values, u):
        branch = sq._Branch(np.zeros(60), np.full(60, 1000.0), variant.share(START, 60, v))
        seen.append(source.observe(source.expected(branch, START), ud, day, 17e6)[0])
    return np.array(seen), values[:, 0]


def variant_table(variant, draws=400, seed=5):
    """A toy where the best second-stage option depends on the advantage: 'strict' costs 10,
    'open' 20 x advantage (open is better below an advantage of 0.5); the first stage has one
    option and sees nothing, the second sees the sequenced share."""
    seen, advantage = sequenced(variant, draws, seed)
    loss = np.stack([np.full(draws, 10.0), 20.0 * advantage], axis=1)
    features = [np.zeros((draws, 1, 0)), seen.reshape(draws, 1, 1)]
    return solve_table([["wait"], ["strict", "open"]], loss, features, [[], [1]], source_names=["reports", "sequencing"], seed=seed)


def test_sequenced_share_reveals_an_uncertain_advantage_and_is_worth_it():
    # Without a scale the takeover's speed follows from the advantage (scale = 5 / ln(1 + a)
    # days): six weeks before the midpoint a larger advantage has a smaller share.
    seen, advantage = sequenced(UNSURE, 200, 1)
    assert np.corrcoef(advantage, seen)[0, 1] < -0.95
    res = variant_table(UNSURE)
    # res.evpi is what knowing each draw's advantage would gain over the best fixed option
    # (about 1.74 here); the held-out EVSI must be most of it and its interval must exclude zero.
    # It cannot pass by accident: the base strategy sees nothing, so only information about the
    # advantage can beat the best fixed option, on draws the rule was not fitted on.
    evsi = res.evsi("sequencing")
    assert evsi.low > 0 and evsi.value > 0.8 * res.evpi


def test_sequencing_a_certain_variant_is_worth_nothing():
    certain = sq.Variant(advantage=0.425, midpoint="2020-11-15", scale=12.9)
    seen, advantage = sequenced(certain, 400, 5)
    assert np.ptp(advantage) == 0 and np.std(seen) < 0.2  # sampling noise alone
    # The same toy with a certain advantage: nothing to learn; the held-out EVSI is zero within
    # its interval (the noise-fitted rule can only lose, never gain much).
    res = variant_table(certain)
    evsi = res.evsi("sequencing")
    assert res.evpi == 0.0
    assert evsi.low <= 0.0 <= evsi.high or evsi.value == 0.0
    assert abs(evsi.value) < 0.05


def test_variant_through_a_seen_share_gives_the_replays_alpha():
    # The replay's sources: 31% on 2021-02-04 with a scale of 12.9 days -> midpoint 2021-02-14.
    alpha = sq.Variant.through(share=0.31, on="2021-02-04", scale=12.9, advantage=0.425)
    assert str(alpha.midpoint) == "2021-02-14"
    share = alpha.share(START, 200, [0.425, 0.0, 12.9])
    assert share[(__import__("datetime").date(2021, 2, 14) - START).days] == pytest.approx(0.5)


def test_variant_multiplies_the_dated_transmission_factors():
    scenario = af.timeline.replay_scenario()  # starts 2020-02-27; its first factor is from 2020-12-07
    first = scenario.to_dict()["transmission"][0]
    assert first["from"] == "2020-12-07"
    v = sq.Variant(advantage=0.5, midpoint="2020-12-03", scale=10.0)  # 2020-12-03: a weekly step (40 weeks)
    until = __import__("datetime").date(2021, 3, 1)
    steps = {e["from"]: e["factor"] for e in v.scenario(scenario, until, [0.5, 0.0, 10.0]).to_dict()["transmission"]}
    # Before any existing factor: 1 + advantage x share on the weekly step's date (share 0.5).
    assert steps["2020-12-03"] == pytest.approx(1.25, rel=1e-12)
    # An existing factor's date: its factor times the variant's weekly factor in force (12-03).
    assert steps["2020-12-07"] == pytest.approx(first["factor"] * 1.25, rel=1e-12)
    assert steps["2020-02-27"] == pytest.approx(1 + 0.5 / (1 + np.exp(280 / 10)), rel=1e-12)


def test_bad_variants_and_sequencing_name_the_field():
    with pytest.raises(af.ValidationError, match=r"sequencing\.sample"):
        sq.Sequencing(sample=-5)
    with pytest.raises(af.ValidationError, match=r"variant\.share"):
        sq.Variant.through(share=1.2, on="2021-02-04", scale=12.9, advantage=0.4)
    with pytest.raises(af.ValidationError, match=r"variant\.speed"):
        af.decision.Sequential(stages=["2020-10-01"], options=[{"a": None}], variant={"advantage": 0.4, "midpoint": "2020-11-01", "speed": 3})
    with pytest.raises(af.ValidationError, match=r"variant\.scale"):
        sq.Variant(advantage=0.4, midpoint="2020-11-01", scale=-1.0)
    with pytest.raises(af.ValidationError, match=r"variant\.advantage"):
        sq.Variant(advantage={"type": "normal", "mean": 0.2, "sd": 0.3}, midpoint="2020-11-01").sample(50, 1, generation_days=5.0)
    with pytest.raises(af.errors.NotAvailableError, match="variant"):
        af.decision.Sequential(stages=["2020-10-01"], options=[{"a": None}], signals=["sequencing"])


@pytest.fixture(scope="module")
def variant_tree():
    return af.decision.Sequential(
        stages=["2020-10-01", "2020-11-01"],
        options=[{"as recorded": None}, {"as recorded": None, "open": OPEN}],
        variant=UNSURE,
        signals=["sequencing"],
        until="2020-11-30",
    )


def test_tree_sees_the_sequenced_share_of_each_draws_variant(variant_tree):
    res = variant_tree.solve(draws=8, seed=2)
    advantage = UNSURE.sample(8, 2, generation_days=5.0)[:, 0]
    seen = res.features[1][:, 0, res.feature_names[1].index("variant_share_logit")]
    assert np.corrcoef(advantage, seen)[0, 1] < -0.9
    est = res.evsi("sequencing")
    assert np.isfinite(est.value) and est.low <= est.value <= est.high
    # The variant's transmission reaches the runs: the infections of the draws (kept through the
    # last stage) move with the variant's mean factor 1 + a x share(t) over the weeks before.
    # (With the scale following from the advantage, a larger advantage has the smaller share
    # six weeks before the midpoint, so here the sign is not that of the advantage.)
    _, _, infections, _ = variant_tree._simulate(8, 2, None, variant_tree.paths())
    start = variant_tree.start
    values = UNSURE.sample(8, 2, generation_days=5.0)
    days = infections.shape[2]
    factor = [np.mean(1 + v[0] * UNSURE.share(start, days, v)[-28:]) for v in values]
    assert np.corrcoef(factor, infections[:, 0, -14:].sum(axis=1))[0, 1] > 0.9
    again = variant_tree.solve(draws=8, seed=2)
    np.testing.assert_array_equal(again.held_out, res.held_out)
    np.testing.assert_array_equal(again.features[1], res.features[1])


def test_a_variant_without_advantage_changes_no_run(tree):
    # Draws one by one (the tree's uncertain parameters fixed at each draw's values, the variant's
    # factors all 1) give the runs of the parallel draws without a variant.
    flat = af.decision.Sequential(
        stages=["2020-10-01", "2020-10-15"],
        options=[{"as recorded": None, "strict": STRICT}, {"as recorded": None, "strict": STRICT, "open": OPEN}],
        uncertain=tree.uncertainty,
        variant={"advantage": 0.0, "midpoint": "2020-11-01", "scale": 10.0},
        until="2020-11-30",
    )
    paths = tree.paths()
    with_variant = flat._simulate(6, 3, None, paths)
    without = tree._simulate(6, 3, None, paths)
    for a, b in zip(with_variant[:3], without[:3]):
        np.testing.assert_allclose(a, b, rtol=1e-12)
