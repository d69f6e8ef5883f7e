"""af.assess, af.Valuation and the acute-phase checklist on short runs."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import afweging as af

DAYS = 90


@pytest.fixture(scope="module")
def plans() -> af.SectorPlans:
    return af.SectorPlans.netherlands()


@pytest.fixture(scope="module")
def alternatives(plans):
    heavy = {s: 2 for s in ["horeca", "cultuur_evenementen", "sport", "detailhandel", "contactberoepen", "werk_kantoren"]}
    return {
        "open": None,
        "ladders": plans.policy("signal-values"),
        "lockdown": plans.package(heavy, general=["mondkapjes", "loonkostensubsidie_now", "vaste_lasten_tvl"]),
    }


@pytest.fixture(scope="module")
def assessment(alternatives) -> af.Assessment:
    return af.assess(af.Calibration.netherlands(), alternatives, {"centraal": 0.7, "ongunstig": 0.3}, days=DAYS)


def test_valuation_defaults_sources_and_round_trip():
    val = af.Valuation.netherlands()
    assert val.values["qaly_value_low"] == 20_000
    assert val.values["qaly_value_high"] == 80_000
    assert val.values["life_year_value"] == 80_000
    assert val.values["discount_rate"] == 0.0225
    table = val.table()
    assert (table["source"].str.len() > 0).all()
    assert table.loc["qaly_value_high", "used_by"] == ""  # no default rule uses the top tier
    assert "life_years_lost" in table.loc["life_year_value", "used_by"]
    back = af.Valuation.from_json(val.to_json())
    assert back == val
    assert pickle.loads(pickle.dumps(val)) == val
    assert "qaly_value_high" in repr(val) and "EUR/QALY" in val._repr_html_()


def test_valuation_overrides_are_validated_and_name_the_field():
    val = af.Valuation.netherlands()
    with pytest.raises(af.ValidationError) as err:
        val.with_values(qaly_value_high=-5)
    assert err.value.errors()[0]["field"] == "valuation.values.qaly_value_high.value"
    assert err.value.errors()[0]["value"] == "-5"
    with pytest.raises(af.ValidationError, match="valuation.values: unknown value"):
        val.with_values(qaly=1)
    with pytest.raises(af.ValidationError, match=r"valuation.rules\[\d+\].values\[0\]: unknown value"):
        val.with_rules(mental_health_qalys_lost="no_such_value")
    moved = val.with_rules(mental_health_qalys_lost="qaly_value_high")
    assert moved.rules["mental_health_qalys_lost"] == ["qaly_value_high"]
    dropped = val.with_rules(fiscal_cost=None)
    assert "fiscal_cost" not in dropped.rules and "fiscal_cost" in dropped.not_monetised


def test_one_value_changes_exactly_its_figures(alternatives):
    cal = af.Calibration.netherlands()
    run = af.Model(cal, af.Scenario.preset("ongunstig")).run(alternatives["lockdown"], days=DAYS)
    val = af.Valuation.netherlands()
    base = val.monetise(run, cal).set_index("indicator")
    for name, value in val.values.items():
        new = 0.04 if name == "discount_rate" else value * 1.5 + 1
        changed = val.with_values(**{name: new}).monetise(run, cal).set_index("indicator")
        for indicator, rule in val.rules.items():
            if indicator not in base.index:
                # An optional rule whose indicator this run does not make (a flanking programme's
                # cost without the programme): nothing to price.
                assert indicator not in run.impacts, indicator
                continue
            depends = name in rule or (name == "discount_rate" and indicator == "lifetime_earnings_lost")
            a, b = base.loc[indicator, "eur"], changed.loc[indicator, "eur"]
            if depends and base.loc[indicator, "quantity"] != 0:
                assert a != b, (name, indicator)
            else:
                assert a == b, (name, indicator)
    # Every euro: quantity x price, price = product of the named values.
    for indicator, row in base.iterrows():
        product = np.prod([val.values[v] for v in row["values"].split(" × ")]) * row["rediscount"]
        assert row["price_eur_per_unit"] == pytest.approx(product, rel=1e-15)
        assert row["eur"] == row["quantity"] * row["price_eur_per_unit"]


def test_scorecard_costs_and_tables(assessment):
    a = assessment
    assert a.alternatives == ["open", "ladders", "lockdown"]
    assert a.probabilities == {"centraal": 0.7, "ongunstig": 0.3}
    sc = a.scorecard
    assert set(sc.index.get_level_values("dimension")) == {"virus_spread", "societal", "socio_economic", "behavioural"}
    assert sc.shape[1] == 6
    deaths = sc.xs("deaths", level="indicator").iloc[0]
    assert (deaths > 0).all()
    costs = a.costs
    assert list(costs.columns) == ["virus_spread", "societal", "socio_economic", "behavioural", "total"]
    np.testing.assert_allclose(costs["total"], costs.iloc[:, :4].sum(axis=1), rtol=1e-12)
    exp = costs.xs("expected", level="scenario")["total"]
    np.testing.assert_allclose(exp.to_numpy(), a.decision_tree.expected, rtol=1e-12)
    lines = a.cost_lines
    assert {"indicator", "quantity", "unit", "values", "price_eur_per_unit", "eur"} <= set(lines.columns)
    by_dim = lines.groupby(["alternative", "scenario", "dimension"])["eur"].sum()
    for (alt, s, dim), eur in by_dim.items():
        assert costs.loc[(alt, s), dim] == pytest.approx(eur, rel=1e-12)
    tidy = a.to_pandas("scorecard")
    assert len(tidy) == 3 * 2 * len(a.indicators)
    ds = a.to_xarray()
    assert ds["deaths"].dims == ("alternative", "scenario") and ds["cost"].attrs["units"] == "EUR"
    assert a.cost_by_group("income_quintile").shape == (3, 6)
    assert "Assessment" in repr(a) and "expected" in a._repr_html_()


def test_opportunity_cost_and_decision_tree_by_hand(assessment):
    a = assessment
    t = a.total_cost_array
    p = np.array([0.7, 0.3])
    tree = a.decision_tree
    np.testing.assert_allclose(tree.expected, t @ p, rtol=1e-12)
    best = t.min(axis=0)
    assert tree.evpi == pytest.approx(float((t @ p).min() - best @ p), rel=1e-9, abs=1e-3)
    assert tree.evpi >= 0
    oc = a.opportunity_cost
    assert (oc.total >= 0).all() and (oc.by_dimension >= 0).all()
    for s in range(2):
        assert oc.total[:, s].min() == 0.0
        np.testing.assert_array_equal(oc.total[:, s], t[:, s] - best[s])
    import matplotlib

    matplotlib.use("Agg")
    assert tree.plot() is not None


def test_probabilities_must_add_up(alternatives):
    cal = af.Calibration.netherlands()
    with pytest.raises(af.ValidationError) as err:
        af.assess(cal, alternatives, {"centraal": 0.5, "ongunstig": 0.4}, days=30)
    assert err.value.errors()[0]["field"] == "scenarios"
    assert "must add up to 1" in str(err.value) and "0.9" in str(err.value)
    with pytest.raises(af.ValidationError) as err:
        af.assess(cal, alternatives, {"centraal": 1.5, "ongunstig": -0.5}, days=30)
    fields = {e["field"] for e in err.value.errors()}
    assert {"scenarios.centraal", "scenarios.ongunstig"} <= fields
    with pytest.raises(af.ValidationError, match="unknown preset"):
        af.assess(cal, alternatives, {"somber": 1.0}, days=30)
    with pytest.raises(af.ValidationError, match="alternatives.x"):
        af.assess(cal, {"x": "lockdown"}, {"centraal": 1.0}, days=30)


def test_scenario_objects_and_model_factory(alternatives):
    cal = af.Calibration.netherlands()
    calls = []

    def factory(sc: af.Scenario) -> af.Model:
        calls.append(sc.name)
        return af.Model(cal, sc)

    sc = af.Scenario.preset("centraal")
    a = af.assess(factory, {"open": None}, {"mijn": (sc, 0.5), "ander": ("gunstig", 0.5)}, days=30)
    assert a.scenarios == ["mijn", "ander"] and len(calls) == 2
    b = af.assess(cal, {"open": None}, {"centraal": 1.0}, days=30)
    np.testing.assert_array_equal(a.total_cost_array[:, 0], b.total_cost_array[:, 0])


def test_mcda_weight_sensitivity_and_pareto(assessment):
    a = assessment
    table, dirs = a.criteria()
    assert list(table.columns) == ["virus_spread", "societal", "socio_economic", "support"]
    assert dirs["support"] == "benefit"
    m = a.mcda(weights={"virus_spread": 1, "societal": 1, "socio_economic": 1, "support": 1})
    assert sorted(m.ranks.tolist())[0] == 1
    ws = a.weight_sensitivity(n=500, seed=3)
    np.testing.assert_allclose(ws.acceptability.sum(axis=1), 1.0)
    again = a.weight_sensitivity(n=500, seed=3)
    np.testing.assert_array_equal(ws.acceptability, again.acceptability)
    assert any(a.pareto.efficient)
    ws_total = a.mcda(method="weighted_sum", criteria={"total": "cost"})
    assert ws_total.best == [a.decision_tree.best]
    with pytest.raises(af.ValidationError, match="criteria.nope"):
        a.criteria({"nope": "cost"})


def test_checklist_matches_the_runs(assessment):
    a = assessment
    cal = af.Calibration.netherlands()
    for s, name in enumerate(a.scenarios):
        base = af.Model(cal, af.Scenario.preset(name)).run(days=DAYS)
        icu = base.icu_occupancy.sum(axis=1)
        scaled = base.icu_capacity[1]
        above = np.nonzero(icu > scaled)[0]
        t = a.checklist.table("ladders", name).set_index("id")
        if above.size:
            assert t.loc["icu_exceeded_14d", "evidence"] == above[0]
            assert t.loc["icu_exceeded_14d", "answer"] == ("yes" if above[0] < 14 else "no")
        else:
            assert np.isnan(t.loc["icu_exceeded_14d", "evidence"])
            assert t.loc["icu_exceeded_14d", "answer"] == "no"
        adm = base.admissions.sum(axis=1)
        assert t.loc["admissions_rising", "evidence"] == pytest.approx(adm[7:14].sum() / adm[0:7].sum(), rel=1e-12)
    frame = a.checklist.to_pandas()
    assert set(frame["dimension"]) == {"virus_spread", "societal", "socio_economic", "behavioural"}
    assert len(frame) == 3 * 2 * len(af.Checklist.netherlands().questions)


def test_analyst_answers_override_and_pickle(alternatives):
    a = af.assess(af.Calibration.netherlands(), alternatives, {"centraal": 1.0}, days=60)
    a.checklist.answer("who_bears_income", "self-employed in horeca (field visits)")
    a.checklist.answer("deaths", "see RIVM dashboard", alternative="open", scenario="centraal")
    t = a.checklist.table("open", "centraal").set_index("id")
    assert t.loc["who_bears_income", "answer"] == "self-employed in horeca (field visits)"
    assert t.loc["who_bears_income", "by"] == "analyst"
    assert t.loc["deaths", "by"] == "analyst"
    assert a.checklist.table("ladders", "centraal").set_index("id").loc["deaths", "by"] == "model"
    with pytest.raises(af.ValidationError, match="unknown question"):
        a.checklist.answer("no_such_question", "x")
    with pytest.raises(af.ValidationError, match="alternative"):
        a.checklist.answer("deaths", "x", alternative="nope")
    back = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(back.total_cost_array, a.total_cost_array)
    assert back.checklist.overrides == a.checklist.overrides
    assert "✎" in back.checklist._repr_html_()
    a.checklist.clear()
    assert a.checklist.overrides == {}


def test_checklist_questions_data():
    c = af.Checklist.netherlands()
    assert 10 <= len(c.questions) <= 20
    assert pickle.loads(pickle.dumps(c)) == c
    stricter = c.with_thresholds(learning_loss=0.0)
    assert [q for q in stricter.questions if q["id"] == "learning_loss"][0]["threshold"] == 0.0
    with pytest.raises(af.ValidationError, match="unknown question"):
        c.with_thresholds(nope=1.0)
    assert "checklist" in c._repr_html_().lower()
    data = c.to_dict()
    data["questions"][0]["metric"] = {"kind": "growth", "flow": "admissions", "day": 3}
    with pytest.raises(af.ValidationError, match=r"checklist.questions\[0\].metric.day"):
        af.Checklist.from_json(json.dumps(data))


@settings(max_examples=25, deadline=None)
@given(
    scales=st.lists(st.floats(0.0, 3.0), min_size=12, max_size=12),
    rate=st.floats(0.0, 0.2),
    p=st.floats(0.0, 1.0),
)
def test_opportunity_cost_never_negative_over_random_valuations(alternatives, scales, rate, p):
    base = af.Valuation.netherlands()
    changes = {k: v * s for (k, v), s in zip(base.values.items(), scales)}
    changes["discount_rate"] = rate
    val = base.with_values(**changes)
    a = af.assess(af.Calibration.netherlands(), alternatives, {"centraal": p, "ongunstig": 1 - p}, valuation=val, days=60)
    oc = a.opportunity_cost
    for s in range(2):
        assert oc.total[:, s].min() == 0.0
    assert (oc.total >= 0).all() and (oc.by_dimension >= 0).all()
    assert a.decision_tree.evpi >= 0


def test_every_figure_is_the_engines(assessment):
    """Expected values, totals, the tree and the MCDA table come from the engine, so the figures
    that mean the same agree bit for bit wherever they are shown."""
    a = assessment
    t = a.decision_tree
    p = np.array([a.probabilities[s] for s in a.scenarios])
    costs = a.costs
    assert np.array_equal(costs.xs("expected", level="scenario")["total"].to_numpy(), t.expected)
    for s, sc in enumerate(a.scenarios):
        assert np.array_equal(costs.xs(sc, level="scenario")["total"].to_numpy(), a.total_cost_array[:, s])
        table, _ = a.criteria({"virus_spread": "cost", "deaths": "cost"}, scenario=sc)
        assert np.array_equal(table["virus_spread"].to_numpy(), a.cost_array[:, s, 0])
    assert np.array_equal(a.criteria({"total": "cost"})[0]["total"].to_numpy(), t.expected)
    assert np.array_equal(t.values, a.total_cost_array)
    by_hand = af.decision.decision_tree(a.cost_array, p, alternatives=a.alternatives, scenarios=a.scenarios)
    for name in ("expected", "regret", "max_regret", "expected_regret"):
        assert np.array_equal(getattr(t, name), getattr(by_hand, name)), name
    assert np.array_equal(t.opportunity_cost.total, by_hand.opportunity_cost.total)
    expected = a.expected_scorecard
    assert list(expected.columns) == a.alternatives and expected.index.equals(a.scorecard.index)
    np.testing.assert_allclose(expected.to_numpy(), np.einsum("asi,s->ia", a.scorecard_array, p), rtol=1e-12)
    with pytest.raises(af.UnknownNameError, match="grouping"):
        a.cost_by_group("shoe_size")
    with pytest.raises(af.ValidationError, match="scenario"):
        a.criteria(scenario="nowhere")
