"""The societal burdens from Python: a measure aimed at one group moves that group's burden, and the
catch-up programme for pupils lowers their learning loss at a cost (issue 19, docs/societal.md)."""

from __future__ import annotations

import json

import pytest

import afweging as af

PLANS = af.SectorPlans.netherlands()
MODEL = af.Model(af.Calibration.netherlands(), af.Scenario.preset("centraal"))
DAYS = 120
AGES = ["10-19", "20-29", "80+"]


def _impacts(rungs: dict, general: tuple = ()) -> af.impacts.Impacts:
    base = {s: "basis" for s in PLANS.sectors}
    return MODEL.run(PLANS.package({**base, **rungs}, general=list(general)), days=DAYS).impacts


def test_a_care_home_visiting_ban_strains_the_80_plus_and_not_young_adults() -> None:
    open_ = _impacts({}).by_group("age_band", per_person=True)
    ban = _impacts({"verpleeghuizen": "noodrem"}).by_group("age_band", per_person=True)
    for name in ["loneliness_person_years", "mental_health_person_years"]:
        rise = ban.loc[name, ["20-29", "80+"]].astype(float) - open_.loc[name, ["20-29", "80+"]].astype(float)
        assert rise["80+"] > 0
        # The ban is no OxCGRT stringency indicator: only its driver moves, and it spares the young.
        assert rise["20-29"] == pytest.approx(0.0, abs=1e-12)


def test_the_catch_up_programme_lowers_school_years_lost_and_costs_money() -> None:
    closed = {"onderwijs_po": "noodrem", "onderwijs_vo_mbo_ho": "noodrem"}
    without = _impacts(closed)
    with_programme = _impacts(closed, ("nationaal_programma_onderwijs",))
    catch_up = json.loads(af.Calibration.netherlands().to_json())["impacts"]["society"]["learning"]["catch_up"]
    assert "catch_up_cost" not in without
    kept = 1 - catch_up["share_recovered"]
    assert with_programme["school_years_lost"] == pytest.approx(kept * without["school_years_lost"])
    pupils = sum(s["pupils"] or 0 for s in PLANS.to_dict()["sectors"] if "pupils" in s)
    assert pupils == pytest.approx(3_725_687)  # CBS, sector_plans.json sectors.pupils
    assert with_programme["catch_up_cost"] == pytest.approx(pupils * catch_up["cost_per_pupil"])


def test_the_youth_programme_relieves_the_young_at_its_cost_and_the_valuation_counts_it() -> None:
    closed = {"onderwijs_po": "noodrem", "onderwijs_vo_mbo_ho": "noodrem"}
    without = _impacts(closed)
    with_programme = _impacts(closed, ("steunpakket_jeugd",))
    society = json.loads(af.Calibration.netherlands().to_json())["impacts"]["society"]
    youth = next(k for k in society["flanking"] if k["name"] == "youth_wellbeing")
    assert "wellbeing_support_cost" not in without
    # In force on every day of the run.
    days = with_programme["wellbeing_support_cost"] / youth["cost_per_day"]
    assert days == pytest.approx(round(days)) and abs(round(days) - DAYS) <= 1
    relief = without.by_group("age_band", per_person=True).loc["mental_health_person_years", AGES].astype(float) - (
        with_programme.by_group("age_band", per_person=True).loc["mental_health_person_years", AGES].astype(float)
    )
    assert relief["10-19"] > 0 and relief["20-29"] > 0
    assert relief["80+"] == pytest.approx(0.0, abs=1e-15)

    cal = af.Calibration.netherlands()
    run = MODEL.run(
        PLANS.package({**{s: "basis" for s in PLANS.sectors}, **closed}, general=["steunpakket_jeugd"]), days=DAYS
    )
    full = af.Valuation.netherlands()
    free = full.with_values(flanking_cost_weight=0.0)
    a = full.monetise(run, cal).set_index("indicator")["eur"]
    b = free.monetise(run, cal).set_index("indicator")["eur"]
    assert a["wellbeing_support_cost"] == pytest.approx(run.impacts["wellbeing_support_cost"], rel=1e-12)
    assert b["wellbeing_support_cost"] == 0.0
    assert (a.drop("wellbeing_support_cost") == b.drop("wellbeing_support_cost")).all()


def test_a_bad_flanking_programme_names_its_field() -> None:
    doc = json.loads(af.Calibration.netherlands().to_json())
    doc["impacts"]["society"]["flanking"][1]["relief"]["loneliness"][8] = 1.5
    with pytest.raises(af.ValidationError, match=r"calibration\.impacts\.society\.flanking\[1\]\.relief\.loneliness\[8\]"):
        af.Calibration.from_json(json.dumps(doc))
