"""Preparedness levers from Python: named in packages and trigger policies like general measures,
visible in the run, the impacts and the valuation, and errors that name the field."""

from __future__ import annotations

import json
from typing import Dict, Sequence

import numpy as np
import pytest

import afweging as af

DAYS = 120


@pytest.fixture(scope="module")
def plans() -> af.SectorPlans:
    return af.SectorPlans.netherlands()


@pytest.fixture(scope="module")
def model() -> af.Model:
    return af.Model(af.Calibration.netherlands(), af.Scenario.preset("ongunstig"))


@pytest.fixture(scope="module")
def runs(plans: af.SectorPlans, model: af.Model) -> Dict[str, af.Run]:
    out = {}
    for name in ["none", "icu_opschaling_2400", "zorg_thuis", "testcapaciteit_opschaling", "vaccinatie_versnelling"]:
        general: Sequence[str] = [] if name == "none" else [name]
        out[name] = model.run(plans.package(general=general), days=DAYS)
    return out


def test_levers_are_listed_with_cost_lead_time_and_effect(plans: af.SectorPlans) -> None:
    assert plans.levers == [
        "icu_opschaling_1350",
        "icu_opschaling_1700",
        "icu_opschaling_2400",
        "kliniek_opschaling_4000",
        "zorg_thuis",
        "testcapaciteit_opschaling",
        "vaccinatie_versnelling",
    ]
    table = plans.preparedness()
    assert table.loc["icu_opschaling_2400", "beds"] == 2400
    assert table.loc["zorg_thuis", "kind"] == "home_care"
    assert (table["lead_time_days"] >= 0).all()
    sources = plans.to_dict()["preparedness"]["sources"]
    assert "Kretzschmar" in sources["levers.effect.days_earlier"]["source"]


def test_each_lever_has_the_right_sign(runs: Dict[str, af.Run]) -> None:
    base = runs["none"].impacts
    icu = runs["icu_opschaling_2400"].impacts
    assert icu["deaths"] < base["deaths"]
    assert icu["days_icu_above_scaled"] <= base["days_icu_above_scaled"]
    assert icu["postponed_care_qalys_lost"] > base["postponed_care_qalys_lost"]
    assert runs["zorg_thuis"].impacts["hospital_bed_days"] < base["hospital_bed_days"]
    assert runs["testcapaciteit_opschaling"].impacts["infections"] < base["infections"]
    vac = runs["vaccinatie_versnelling"].impacts
    assert vac["infections"] < base["infections"] and vac["deaths"] < base["deaths"]


def test_capacity_and_lever_table_of_a_run(runs: Dict[str, af.Run]) -> None:
    run = runs["icu_opschaling_2400"]
    cap = run.care_capacity
    assert cap.shape == (DAYS, 2)
    assert cap[20, 0] == 1150 and cap[21, 0] == 1850 and cap[0, 1] == 3000
    table = run.preparedness
    row = table.loc["icu_opschaling_2400"]
    assert row["days_active"] == DAYS - 21 and row["orders"] == 1
    # 700 extra COVID-19 beds x EUR 100,000 + 700 x EUR 500 per day acting.
    assert row["cost_eur"] == pytest.approx(700 * 100_000 + 700 * 500 * (DAYS - 21), rel=1e-12)
    assert run.impacts["preparedness_cost"] == pytest.approx(row["cost_eur"], rel=1e-12)
    assert runs["none"].preparedness.empty
    np.testing.assert_array_equal(runs["none"].care_capacity[:, 0], 1150.0)


def test_without_levers_the_run_is_unchanged(plans: af.SectorPlans, model: af.Model, runs: Dict[str, af.Run]) -> None:
    # A lever whose lead time is longer than the run changes nothing but its setup cost.
    short = model.run(plans.package(general=["testcapaciteit_opschaling"]), days=20)
    plain = model.run(plans.package(), days=20)
    np.testing.assert_array_equal(short.compartments, plain.compartments)
    assert short.impacts["preparedness_cost"] == 10_000_000
    assert runs["none"].impacts["preparedness_cost"] == 0.0


def test_the_valuation_prices_the_lever_cost(runs: Dict[str, af.Run]) -> None:
    run = runs["testcapaciteit_opschaling"]
    base = af.Valuation.netherlands()
    half = base.with_values(preparedness_cost_weight=0.5)
    cal = af.Calibration.netherlands()
    a, b = base.monetise(run, cal), half.monetise(run, cal)
    lines_a = a.set_index("indicator")["eur"]
    lines_b = b.set_index("indicator")["eur"]
    assert lines_a["preparedness_cost"] == run.impacts["preparedness_cost"]
    assert lines_b["preparedness_cost"] == 0.5 * lines_a["preparedness_cost"]
    others = lines_a.drop("preparedness_cost")
    assert (others == lines_b.drop("preparedness_cost")).all()


def test_levers_in_a_trigger_policy(plans: af.SectorPlans, model: af.Model) -> None:
    pol = plans.policy("signal-values", levers={"icu_opschaling_2400": "ernstig"})
    levels = pol.to_dict()["trigger"]["levels"]
    assert [("icu_opschaling_2400" in lv["package"]["general"]) for lv in levels] == [False, False, True, True]
    run = model.run(pol, days=DAYS)
    ordered = run.policy_level >= 2
    state = np.array(json.loads(run._inner.preparedness_record())["state"])[:, 0]
    np.testing.assert_array_equal(state != 0, ordered)


def test_bad_levers_name_the_field(plans: af.SectorPlans) -> None:
    with pytest.raises(af.ValidationError, match=r"package.general\[0\]: unknown general measure or preparedness lever"):
        plans.package(general=["icu_opschaling_9999"])
    with pytest.raises(af.ValidationError, match=r"levers.zorg_thuis: unknown level 'rood'"):
        plans.policy("signal-values", levers={"zorg_thuis": "rood"})
    data = plans.to_dict()
    data["preparedness"]["levers"][2]["lead_time_days"] = -3
    with pytest.raises(af.ValidationError) as err:
        af.SectorPlans.from_json(json.dumps(data))
    assert "plans.preparedness.levers[2].lead_time_days: must be >= 0, got -3" in str(err.value)
    assert any(e["field"] == "plans.preparedness.levers[2].lead_time_days" for e in err.value.errors())
