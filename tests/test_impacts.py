"""Impacts of a run from Python: the four dimensions, tidy frames, groups and inequality."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import afweging as af

PLANS = af.SectorPlans.netherlands()
MODEL = af.Model(af.Calibration.netherlands(), af.Scenario.preset("ongunstig"))


@pytest.fixture(scope="module")
def run() -> af.Run:
    return MODEL.run(PLANS.policy("signal-values"), days=200)


def test_every_dimension_is_there_with_units(run: af.Run) -> None:
    imp = run.impacts
    dims = {i["dimension"] for i in imp.indicators}
    assert dims == set(af.impacts.DIMENSIONS)
    for name in ["deaths", "value_added_lost", "unemployment", "bankruptcies", "households_in_debt",
                 "fiscal_cost", "school_years_lost", "learning_loss", "lifetime_earnings_lost",
                 "mental_health_qalys_lost", "loneliness_qalys_lost", "postponed_care_qalys_lost",
                 "compliance"]:
        assert name in imp
        assert imp.units[name]
    assert imp["deaths"] == pytest.approx(run.deaths.sum())
    assert imp["value_added_lost"] > 0 and imp["fiscal_cost"] > 0


def test_tidy_frame_groups_add_up(run: af.Run) -> None:
    df = run.impacts.to_pandas()
    assert list(df.columns) == ["dimension", "indicator", "grouping", "group", "value", "unit", "aggregate"]
    summed = df[(df.aggregate == "sum") & (df.grouping != "total")]
    totals = df[df.grouping == "total"].set_index("indicator")["value"]
    for (indicator, grouping), part in summed.groupby(["indicator", "grouping"]):
        assert part["value"].sum() == pytest.approx(totals[indicator], rel=1e-9, abs=1e-6), (indicator, grouping)


def test_by_group_shows_who_bears_it(run: af.Run) -> None:
    table = run.impacts.by_group("income_quintile", per_person=True)
    assert list(table.columns[:5]) == ["Q1", "Q2", "Q3", "Q4", "Q5"]
    # Severe disease falls more on the lowest incomes (CBS), so the concentration index is negative.
    assert table.loc["deaths", "Q1"] > table.loc["deaths", "Q5"]
    assert table.loc["deaths", "concentration_index"] < 0
    assert table.loc["deaths", "ratio"] > 1
    by_section = run.impacts.by_group("section")
    assert by_section.loc["value_added_lost", "I"] > 0
    with pytest.raises(KeyError, match="unknown grouping 'region'"):
        run.impacts.by_group("region")
    with pytest.raises(KeyError, match="unknown indicator"):
        run.impacts["nonsense"]


def test_display_and_pickle(run: af.Run) -> None:
    html = run.impacts._repr_html_()
    for title in ["Virus spread", "Societal", "Socio-economic", "Behavioural"]:
        assert title in html
    assert "Impacts(" in repr(run.impacts)
    again = pickle.loads(pickle.dumps(run))
    assert again.impacts.totals == run.impacts.totals
    card = run.impacts.scorecard()
    assert card["dimension"].iloc[0] == "virus_spread"
    assert set(run.impacts.daily) == {"value_added_lost", "unemployed", "mental_health", "loneliness", "operations_postponed"}


def test_flanking_policy_trades_jobs_for_fiscal_cost() -> None:
    closed = {s: "noodrem" for s in PLANS.sectors}
    without = MODEL.run(PLANS.package(closed), days=90).impacts
    with_support = MODEL.run(PLANS.package(closed, general=["loonkostensubsidie_now", "vaste_lasten_tvl"]), days=90).impacts
    assert with_support["unemployment"] < without["unemployment"]
    assert with_support["bankruptcies"] < without["bankruptcies"]
    assert without["fiscal_cost"] == 0 < with_support["fiscal_cost"]
    assert with_support["value_added_lost"] == pytest.approx(without["value_added_lost"])


def test_calibration_without_impact_data_says_so() -> None:
    doc = json.loads(af.Calibration.netherlands().to_json())
    del doc["impacts"]
    model = af.Model(af.Calibration.from_json(doc), af.Scenario.preset("centraal"))
    with pytest.raises(AttributeError, match="calibration.impacts"):
        model.run(days=5).impacts


def test_bad_impact_data_is_a_validation_error() -> None:
    with pytest.raises(af.ValidationError, match=r"calibration\.impacts\.economy\.wage_subsidy\.take_up"):
        af.Calibration.netherlands().replace(**{"impacts.economy.wage_subsidy.take_up": 1.5})


@settings(max_examples=8, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=10, max_size=10))
def test_stricter_never_lowers_learning_or_output_lost_to_measures(raise_by: list) -> None:
    base = {s: 1 for s in PLANS.sectors}
    stricter = {s: min(3, 1 + r) for s, r in zip(PLANS.sectors, raise_by)}
    a = MODEL.run(PLANS.package(base), days=60).impacts
    b = MODEL.run(PLANS.package(stricter), days=60).impacts
    for name in ["value_added_lost_to_measures", "school_years_lost"]:
        assert b[name] >= a[name] * (1 - 1e-12)
