"""The economy of the Dutch timeline 2020-2021 held against CBS (issue 19): calibrated on 2020
(scripts/calibrate_economy.py), 2021 held out. Tolerances are the issue's; a target the model
misses is a strict xfail naming the measured value, never a looser tolerance."""

import copy

import numpy as np
import pytest

pd = pytest.importorskip("pandas")

import afweging as af  # noqa: E402

START, UNTIL = "2020-03-01", "2021-12-31"
#: The first day of the fitted replay (af.replay.fitted_run), the record's epidemic.
FITTED_FROM = "2020-02-27"


@pytest.fixture(scope="module")
def run() -> af.Run:
    return af.replay.fitted_run(until=UNTIL)


@pytest.fixture(scope="module")
def table(run: af.Run) -> "pd.DataFrame":
    return run.impacts.compare(af.observed.economy_netherlands())


@pytest.fixture(scope="module")
def without_support() -> af.Run:
    data = af.Calibration.netherlands().to_dict()
    data["impacts"]["economy"]["dated"]["schemes"] = []  # no NOW, TOGS, TVL, Tozo or tax deferral
    return af.replay.fitted_run(until=UNTIL, calibration=af.Calibration.from_json(data))


def figure(table: "pd.DataFrame", series: str, period: str) -> "pd.Series":
    rows = table[(table.series == series) & (table.period == period)]
    assert len(rows) == 1, (series, period)
    return rows.iloc[0]


# --- shape of what a user gets ------------------------------------------------------------------


def test_by_quarter_has_sectors_labour_firms_and_schemes(run):
    q = run.impacts.economy.by_quarter()
    assert [str(p) for p in q.index] == [f"{y}Q{k}" for y in (2020, 2021) for k in (1, 2, 3, 4)]
    for column in ["value_added_bn", "va_I_vs_normal_pct", "unemployment_rate_pct", "bankruptcies",
                   "NOW_bn", "Tozo_bn", "TOGS_bn", "TVL_bn", "tax_deferral_bn", "lost_tax_bn"]:
        assert column in q.columns, column
    # Days before the run (1 January to 26 February 2020) are normal days.
    assert q.loc["2020Q1", "days_in_run"] == 34
    daily = run.impacts.economy.by_day()
    assert daily.index[0] == pd.Timestamp(FITTED_FROM) and daily.index[-1] == pd.Timestamp(UNTIL)
    assert q["bankruptcies"].sum() == pytest.approx(
        daily["bankruptcies"].sum() + 57 * run.impacts.economy._data["normal_bankruptcies"]
    )


def test_compare_lists_model_and_observed_side_by_side(table):
    assert list(table.columns) == ["series", "period", "observed", "model", "difference", "unit", "in_run", "source"]
    assert np.allclose(table["difference"], table["model"] - table["observed"])
    for series in ["gdp_volume_annual", "value_added_volume_horeca_I", "bankruptcies_companies",
                   "support_outlays_NOW", "unemployment_rate_sa"]:
        assert series in set(table.series), series


def test_undated_runs_have_no_economy_by_day():
    run = af.Model(af.Calibration.netherlands(), af.Scenario.preset("centraal")).run(days=30)
    with pytest.raises(AttributeError, match="dated national run"):
        run.impacts.economy


def test_economy_is_computed_when_read_and_kept_through_json_and_pickle():
    """The economy by day is computed when ``run.impacts.economy`` is first read, not with the run
    (it costs about as much as the other impacts): the run's impacts record has none, the first
    read computes it, and a run's JSON and pickle carry it, so a run read back (which has no model
    to compute it from) gives the same tables."""
    import json
    import pickle

    run = af.Timeline.netherlands().run(start=START, until="2020-06-30")
    assert "economy" not in json.loads(run._inner.impacts())
    by_quarter = run.impacts.economy.by_quarter()
    for back in (af.Run.from_json(run.to_json()), pickle.loads(pickle.dumps(run))):
        assert "economy" in json.loads(back._inner.impacts())
        pd.testing.assert_frame_equal(back.impacts.economy.by_quarter(), by_quarter)
    undated = af.Model(af.Calibration.netherlands(), af.Scenario.preset("centraal")).run(days=30)
    assert "economy" not in json.loads(undated.to_json())["impacts"]


def test_bad_dates_and_rules_are_refused_naming_the_field():
    tl = af.Timeline.netherlands()
    with pytest.raises(af.ValidationError, match="until: must be on or after start"):
        tl.run(start="2020-03-01", until="2020-02-01")
    with pytest.raises(af.ValidationError, match="start: must be an ISO date"):
        tl.run(start="1 March 2020", until="2020-04-01")
    data = af.Calibration.netherlands().to_dict()
    bad = copy.deepcopy(data)
    bad["impacts"]["economy"]["dated"]["schemes"][0]["periods"][1]["rate"] = 1.5
    with pytest.raises(af.ValidationError, match=r"impacts\.economy\.dated\.schemes\[0\]\.periods\[1\]\.rate"):
        af.Calibration.from_json(bad)
    bad = copy.deepcopy(data)
    periods = bad["impacts"]["economy"]["dated"]["schemes"][0]["periods"]
    periods[0], periods[1] = periods[1], periods[0]
    with pytest.raises(af.ValidationError, match=r"schemes\[0\]\.periods\[1\]\.from"):
        af.Calibration.from_json(bad)


# --- adaptation to closures -----------------------------------------------------------------------


def test_adaptation_lowers_the_loss_of_later_closures_more_than_of_the_first():
    """Sections learn to trade under the measures with the closure behind them
    (src/impacts/adaptation.rs): the lockdown of 2021Q1 loses less with adaptation than without,
    by more than the first lockdown of 2020Q2 does; share 0 is the model without it, bit for bit."""
    data = af.Calibration.netherlands().to_dict()
    dated = data["impacts"]["economy"]["dated"]

    def horeca(share=None):
        trial = copy.deepcopy(data)
        if share is None:
            del trial["impacts"]["economy"]["dated"]["adaptation"]
        else:
            trial["impacts"]["economy"]["dated"]["adaptation"].update(share=share, sections={})
        run = af.replay.fitted_run(until="2021-03-31", calibration=af.Calibration.from_json(trial))
        return run.impacts.economy.by_quarter()["va_I_vs_normal_pct"]

    without, off, on = horeca(), horeca(0.0), horeca(0.5)
    pd.testing.assert_series_equal(without, off, check_exact=True)
    assert dated["adaptation"]["closure_days"] > 0
    gain = on - off
    assert (gain >= -1e-9).all()
    assert gain["2021Q1"] > gain["2020Q2"] + 5.0, gain.round(2).to_dict()


def test_a_section_of_its_own_learns_its_own_share():
    """``adaptation.sections`` gives a section its own share: horeca at 0 learns nothing (its
    value added is that of the model without adaptation, bit for bit, up to its suppliers'
    spill-overs, switched off here), while trade learns the common share."""
    data = af.Calibration.netherlands().to_dict()
    del data["impacts"]["economy"]["dated"]["input_output"]

    def quarters(adaptation=None):
        trial = copy.deepcopy(data)
        if adaptation is None:
            del trial["impacts"]["economy"]["dated"]["adaptation"]
        else:
            trial["impacts"]["economy"]["dated"]["adaptation"].update(adaptation)
        run = af.replay.fitted_run(until="2021-03-31", calibration=af.Calibration.from_json(trial))
        return run.impacts.economy.by_quarter()

    without = quarters()
    own = quarters({"share": 0.8, "closure_days": 60.0, "sections": {"I": 0.0}})
    pd.testing.assert_series_equal(own["va_I_vs_normal_pct"], without["va_I_vs_normal_pct"], check_exact=True)
    assert own.loc["2021Q1", "va_G_vs_normal_pct"] > without.loc["2021Q1", "va_G_vs_normal_pct"] + 0.01


def test_adaptation_is_checked_naming_the_field():
    data = af.Calibration.netherlands().to_dict()
    data["impacts"]["economy"]["dated"]["adaptation"]["share"] = 1.5
    with pytest.raises(af.ValidationError, match=r"impacts\.economy\.dated\.adaptation\.share"):
        af.Calibration.from_json(data)
    data["impacts"]["economy"]["dated"]["adaptation"].update(share=0.5, closure_days=0.0)
    with pytest.raises(af.ValidationError, match=r"impacts\.economy\.dated\.adaptation\.closure_days"):
        af.Calibration.from_json(data)
    data["impacts"]["economy"]["dated"]["adaptation"].update(closure_days=60.0, sections={"I": -0.1})
    with pytest.raises(af.ValidationError, match=r"impacts\.economy\.dated\.adaptation\.sections\.I\b.*-0\.1"):
        af.Calibration.from_json(data)
    data["impacts"]["economy"]["dated"]["adaptation"].update(sections={"Z": 0.1})
    with pytest.raises(af.ValidationError, match=r"impacts\.economy\.dated\.adaptation\.sections\.Z: is not a section"):
        af.Calibration.from_json(data)


# --- demand: fear of the run's epidemic, catch-up after reopening ----------------------------------


def _with_dated(table: bool = True, **values: object) -> af.Calibration:
    data = af.Calibration.netherlands().to_dict() if table else _without_table()
    data["impacts"]["economy"]["dated"].update(values)
    return af.Calibration.from_json(data)


def _economy(cal: af.Calibration) -> "pd.DataFrame":
    return af.Timeline.netherlands().run(start=START, until="2020-12-31", calibration=cal).impacts.economy.by_day()


def test_fear_follows_the_runs_deaths_and_lowers_demand_in_exposed_sections():
    # Without the input-output table, so that fear stays in the sections it touches (with it,
    # their suppliers lose too: tests of the spill-overs below).
    run = af.Timeline.netherlands().run(
        start=START, until="2020-12-31",
        calibration=_with_dated(False, fear_max=0.6, fear_deaths_scale=2.0, fear_habituation=None),
    )
    fear = run.impacts.economy.by_day()["fear"].to_numpy()
    deaths = np.asarray(run.deaths).reshape(len(fear), -1).sum(axis=1)
    assert fear.min() >= 0.0 and fear.max() <= 0.6
    # Fear rises with the last week's deaths per million: v = 0.6 (1 - exp(-x / 2)).
    week = np.convolve(deaths, np.ones(7))[: len(fear)] / np.minimum(np.arange(1, len(fear) + 1), 7)
    per_million = sum(af.Calibration.netherlands().to_dict()["population"]) / 1e6
    x = week / per_million
    assert np.allclose(fear, 0.6 * (1.0 - np.exp(-x / 2.0)), rtol=1e-9, atol=1e-12)
    with_fear = run.impacts.economy.by_day()
    without = _economy(_with_dated(False, fear_max=0.0, fear_deaths_scale=2.0))
    # Horeca (fear_sensitivity 0.5) loses more with fear; public administration (0) nothing.
    assert with_fear["va_I"].sum() < without["va_I"].sum()
    assert np.allclose(with_fear["va_O"], without["va_O"])


def test_people_get_used_to_the_epidemic():
    """With ``fear_habituation`` fear weighs less with the fear lived through
    (src/impacts/adaptation.rs): never more than without it, the same on the first day, and the
    same deaths frighten less in the second wave than in the first."""
    curve = {"source": "test", "share": 0.8, "days": 20.0}
    used = af.replay.fitted_run(
        until="2020-12-31", calibration=_with_dated(fear_max=0.5, fear_deaths_scale=2.0, fear_habituation=curve)
    ).impacts.economy.by_day()["fear"]
    fresh = af.replay.fitted_run(
        until="2020-12-31", calibration=_with_dated(fear_max=0.5, fear_deaths_scale=2.0, fear_habituation=None)
    ).impacts.economy.by_day()["fear"]
    assert (used <= fresh + 1e-15).all() and used.iloc[0] == fresh.iloc[0]
    # Late November 2020 (about 70 deaths a day in the record) against mid-April 2020: fear falls
    # by more than the deaths do.
    assert used.loc["2020-11-15":"2020-11-30"].mean() / used.loc["2020-04-01":"2020-04-15"].mean() < (
        fresh.loc["2020-11-15":"2020-11-30"].mean() / fresh.loc["2020-04-01":"2020-04-15"].mean() - 0.1
    )
    data = af.Calibration.netherlands().to_dict()
    data["impacts"]["economy"]["dated"]["fear_habituation"] = {**curve, "share": 1.2}
    with pytest.raises(af.ValidationError, match=r"impacts\.economy\.dated\.fear_habituation\.share"):
        af.Calibration.from_json(data)


def test_catch_up_makes_up_part_of_the_lost_sales_of_goods_only():
    lost = _economy(_with_dated(fear_max=0.0, catch_up_share=0.0))
    caught = _economy(_with_dated(fear_max=0.0, catch_up_share=0.5, catch_up_days=30.0))
    sections = {s["code"]: s for s in af.Calibration.netherlands().to_dict()["impacts"]["economy"]["sections"]}
    for code in ("C", "F", "G"):
        normal = sections[code]["value_added"] * 1e6 / 365.0  # EUR/day (exports fall below it all year)
        shortfall = (normal - lost[f"va_{code}"]).sum()
        made_up = (caught[f"va_{code}"] - lost[f"va_{code}"]).sum()
        assert 0.0 <= made_up <= 0.5 * shortfall + 1e-6 * normal
    assert np.allclose(caught["va_I"], lost["va_I"])  # services are not postponed


def test_catch_up_sections_must_exist():
    data = af.Calibration.netherlands().to_dict()
    data["impacts"]["economy"]["dated"]["catch_up_sections"] = ["C", "ZZ"]
    with pytest.raises(af.ValidationError, match=r"impacts\.economy\.dated\.catch_up_sections\[1\]"):
        af.Calibration.from_json(data)


# --- demand that moves by date: foreign demand, scaled-down care ----------------------------------


def exposure_of(shocks: dict, name: str, code: str) -> float:
    return float(shocks[name]["exposure"].get(code, 0.0))


def _shocks_alone() -> "dict[str, object]":
    # Without the input-output table and without catch-up (the shocks as they hit the exposed
    # sections themselves; the spill-overs to suppliers are tested below, catch-up further up).
    data = _without_table()
    data["impacts"]["economy"]["dated"]["catch_up_share"] = 0.0
    return data


def test_demand_shocks_lower_the_exposed_share_of_each_section_by_their_level():
    data = _shocks_alone()
    dated = data["impacts"]["economy"]["dated"]
    shocks = {s["name"]: s for s in dated["demand_shocks"]}
    assert set(shocks) == {"foreign_demand", "care_scaled_down", "international_travel"}
    dated["demand_shocks"] = []
    without = _economy(af.Calibration.from_json(data))
    with_ = _economy(af.Calibration.from_json(_shocks_alone()))
    # Exports fell most in April 2020 (CBS): manufacturing (no measures close it) loses its
    # exposed share times the level of the day, exactly.
    day = "2020-04-15"
    level = float(with_.loc[day, "shock_foreign_demand"])
    assert level == next(p["level"] for p in shocks["foreign_demand"]["periods"] if p["from"] == "2020-04-01")
    exposure = shocks["foreign_demand"]["exposure"]["C"]
    assert with_.loc[day, "va_C"] == pytest.approx(without.loc[day, "va_C"] * (1.0 + exposure * level), rel=1e-12)
    # Care: section Q loses its curative share of the care not given that day (which follows the
    # run's beds and measures: tests below).
    care = float(with_.loc[day, "shock_care_scaled_down"])
    assert care < 0.0
    q = 1.0 + shocks["care_scaled_down"]["exposure"]["Q"] * care + shocks["foreign_demand"]["exposure"]["Q"] * level
    assert with_.loc[day, "va_Q"] == pytest.approx(without.loc[day, "va_Q"] * q, rel=1e-12)
    # International travel: in August 2020 horeca loses its exposed shares of exports and travel.
    day = "2020-08-15"
    travel = float(with_.loc[day, "shock_international_travel"])
    assert travel == next(p["level"] for p in shocks["international_travel"]["periods"] if p["from"] == "2020-07-01")
    i = 1.0 + exposure_of(shocks, "foreign_demand", "I") * float(with_.loc[day, "shock_foreign_demand"])
    i += exposure_of(shocks, "international_travel", "I") * travel
    assert with_.loc[day, "va_I"] == pytest.approx(without.loc[day, "va_I"] * i, rel=1e-12)
    # Sections with no exposure do not move (T-U: households as employers).
    assert np.allclose(with_["va_T-U"], without["va_T-U"])
    assert "shock_foreign_demand" not in without.columns


def test_demand_shocks_are_checked_naming_the_field():
    data = af.Calibration.netherlands().to_dict()
    bad = copy.deepcopy(data)
    bad["impacts"]["economy"]["dated"]["demand_shocks"][0]["exposure"]["ZZ"] = 0.5
    with pytest.raises(af.ValidationError, match=r"demand_shocks\[0\]\.exposure\.ZZ"):
        af.Calibration.from_json(bad)
    bad = copy.deepcopy(data)
    bad["impacts"]["economy"]["dated"]["demand_shocks"][1]["periods"][0]["level"] = -1.5
    with pytest.raises(af.ValidationError, match=r"demand_shocks\[1\]\.periods\[0\]\.level"):
        af.Calibration.from_json(bad)
    bad = copy.deepcopy(data)
    bad["impacts"]["economy"]["dated"]["demand_shocks"][0]["exposure"]["C"] = 1.2
    with pytest.raises(af.ValidationError, match=r"demand_shocks\[0\]\.exposure\.C"):
        af.Calibration.from_json(bad)


# --- scaled-down care follows the run's hospital pressure and measures ---------------------------


def _care(data: "dict[str, object]") -> dict:
    return next(s for s in data["impacts"]["economy"]["dated"]["demand_shocks"] if s["name"] == "care_scaled_down")


def _care_level(from_run: dict, operations: np.ndarray, stringency: np.ndarray) -> np.ndarray:
    """The care shock's level (src/inputs/economy.rs FromRun::level) from the operations displaced
    per day and the stringency in force, less as the hospitals learn (src/impacts/adaptation.rs:
    the share learned grows with the days of full scale-down behind them)."""
    displaced = np.clip(operations / (from_run["planned_operations_per_year"] / 365.0), 0.0, 1.0)
    s0 = from_run["stringency_from"]
    beyond = np.clip((stringency - s0) / (100.0 - s0), 0.0, 1.0)
    lost = np.minimum(1.0, from_run["per_operation_share"] * displaced + from_run["at_full_stringency"] * beyond)
    learning = from_run.get("learning")
    if learning:
        behind = np.cumsum(lost) - lost
        lost = lost * (1.0 - learning["share"] * (1.0 - np.exp(-behind / learning["days"])))
    return -lost


def test_care_follows_the_same_operations_as_the_societal_postponed_care(run):
    """The economy's care not given comes from the operations the run's COVID-19 patients displace,
    the very series the societal module counts (``run.impacts.daily["operations_postponed"]``), and
    the stringency in force; NZa's dated levels are the record, not used by the run."""
    from_run = _care(af.Calibration.netherlands().to_dict())["from_run"]
    operations = np.asarray(run.impacts.daily["operations_postponed"], dtype=float)
    stringency = np.asarray(run.stringency, dtype=float)[: len(operations)]
    level = run.impacts.economy.by_day()["shock_care_scaled_down"].to_numpy()
    assert np.allclose(level, _care_level(from_run, operations, stringency), rtol=1e-12, atol=1e-15)
    assert operations.sum() == pytest.approx(run.impacts["operations_postponed"], rel=1e-9)
    assert level.min() < 0.0  # the replay's waves lose care


def test_more_hospital_pressure_loses_more_care():
    """Twice the operations displaced per COVID-19 bed-day (more pressure from the same patients):
    the care not given is as large or larger every day and larger on some, and section Q loses more
    (without the hospitals' learning, which would let the harder first wave teach them more)."""
    data = af.Calibration.netherlands().to_dict()
    _care(data)["from_run"].pop("learning", None)
    calm = _economy(af.Calibration.from_json(copy.deepcopy(data)))
    care = data["impacts"]["society"]["postponed_care"]
    care["operations_per_ward_bed_day"] *= 2.0
    care["operations_per_icu_bed_day"] *= 2.0
    pressed = _economy(af.Calibration.from_json(data))
    a, b = calm["shock_care_scaled_down"].to_numpy(), pressed["shock_care_scaled_down"].to_numpy()
    assert (b <= a + 1e-15).all() and (b < a - 1e-6).any()
    assert pressed["va_Q"].sum() < calm["va_Q"].sum()


def test_hospitals_keep_more_care_going_in_later_waves():
    """With the hospitals' learning (``from_run.learning``) the autumn of 2020 loses less
    care than without it, the first weeks of the first wave the same (nothing is behind them yet)."""
    data = af.Calibration.netherlands().to_dict()
    learning = _care(data)["from_run"].get("learning")
    assert learning and learning["share"] > 0.0
    with_ = _economy(af.Calibration.from_json(copy.deepcopy(data)))["shock_care_scaled_down"]
    del _care(data)["from_run"]["learning"]
    without = _economy(af.Calibration.from_json(data))["shock_care_scaled_down"]
    assert with_.iloc[0] == without.iloc[0]  # nothing behind the hospitals yet
    assert np.allclose(with_.loc[:"2020-03-10"], without.loc[:"2020-03-10"], rtol=1e-3, atol=0.0)
    assert with_.loc["2020-10-01":"2020-12-31"].mean() > without.loc["2020-10-01":"2020-12-31"].mean() + 0.01


def test_no_patients_and_no_measures_lose_no_care():
    """A run with no COVID-19 patients in hospital (nobody infected) under the basic rules alone
    (the timeline's first entry, 'Geen maatregelen', all year) loses no care; the care shock's
    parameters are checked naming the field."""
    timeline = af.Timeline.netherlands().to_dict()
    timeline["entries"] = timeline["entries"][:1]
    scenario = af.replay.replay_scenario().to_dict()
    scenario["initial"]["prevalence"] = 0.0
    scenario["imports"] = []
    run = af.Timeline.from_json(timeline).run(
        start=START, until="2020-12-31", scenario=af.Scenario.from_json(scenario)
    )
    assert float(np.sum(run.impacts.daily["operations_postponed"])) == 0.0
    assert (run.impacts.economy.by_day()["shock_care_scaled_down"] == 0.0).all()
    data = af.Calibration.netherlands().to_dict()
    _care(data)["from_run"]["per_operation_share"] = 1.5
    with pytest.raises(af.ValidationError, match=r"demand_shocks\[1\]\.from_run\.per_operation_share"):
        af.Calibration.from_json(data)
    _care(data)["from_run"].update(per_operation_share=0.1, learning={"source": "test", "share": 0.5, "days": 0.0})
    with pytest.raises(af.ValidationError, match=r"demand_shocks\[1\]\.from_run\.learning\.days"):
        af.Calibration.from_json(data)


#: NZa's care not given by quarter is held against the run's within this many points of curative care
#: (a tolerance set here, not by the issue: NZa's levels between its published figures are assumptions
#: of about that size). 2020 is the calibration (on the record's beds), 2021 held out. The run is the
#: replay fitted to the record, so its beds are the record's; the hospitals' learning
#: (``from_run.learning``) lets the later waves lose less care per bed than the first.
CARE_TOLERANCE = 0.05
CARE_MISSES = {
    "2021Q1": "measured 0.9% against 6.0% (held out): the hospitals' learning, fitted on 2020 at its grid's end (share 1), "
    "has learned almost the whole loss away by 2021, while NZa saw care fall again with the third wave",
    "2021Q2": "measured 0.2% against 6.7% (held out; as 2021Q1)",
}


def _care_by_quarter(run: af.Run) -> "pd.DataFrame":
    """The run's care not given and NZa's (the care shock's dated periods) by quarter, as shares."""
    shock = _care(af.Calibration.netherlands().to_dict())
    daily = run.impacts.economy.by_day()
    starts = pd.to_datetime([p["from"] for p in shock["periods"]])
    levels = [p["level"] for p in shock["periods"]]
    at = np.searchsorted(starts.values, daily.index.values, side="right") - 1
    record = np.where(at >= 0, np.asarray(levels)[np.clip(at, 0, None)], 0.0)
    frame = pd.DataFrame({"model": -daily["shock_care_scaled_down"], "nza": -record}, index=daily.index)
    out = frame.groupby(frame.index.to_period("Q")).mean()
    out.index = out.index.astype(str)
    return out


def _care_params():
    for quarter in [f"{y}Q{k}" for y in (2020, 2021) for k in (1, 2, 3, 4)]:
        reason = CARE_MISSES.get(quarter)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(quarter, marks=marks, id=quarter)


@pytest.mark.parametrize("quarter", list(_care_params()))
def test_care_not_given_against_nza_by_quarter(run, quarter):
    row = _care_by_quarter(run).loc[quarter]
    assert abs(row["model"] - row["nza"]) <= CARE_TOLERANCE, f"{quarter}: model {row['model']:.3f}, NZa {row['nza']:.3f}"


# --- input-output spill-overs to suppliers ------------------------------------------------------


def _without_table() -> "dict[str, object]":
    data = af.Calibration.netherlands().to_dict()
    del data["impacts"]["economy"]["dated"]["input_output"]
    return data


def test_the_input_output_table_is_sourced_and_foreign_demand_alone_does_not_spill_over():
    dated = af.Calibration.netherlands().to_dict()["impacts"]["economy"]["dated"]
    io = dated["input_output"]
    assert "WIOD" in io["source"] and "bquast/wiod@" in io["source"]
    assert len(io["flows"]) == len(io["sections"]) == len(io["output"]) == 20
    # Foreign demand's exposure counts the suppliers of exporters already: it must not spill over.
    assert {s["name"]: s["spills_over"] for s in dated["demand_shocks"]} == {
        "foreign_demand": False,
        "care_scaled_down": True,
        "international_travel": True,
    }


def test_a_closed_section_hits_the_suppliers_the_table_names_and_no_one_else():
    """A table in which only horeca (I) buys, from manufacturing (C, food) and real estate (L, rent):
    with the demand shocks off, C and L lose what horeca no longer buys, `Z_iI / x_i` per unit of
    horeca's lost output (the Leontief inverse is I + A when horeca is nobody's supplier), and
    every other section is as without the table (catch-up off: it would make up part of C's loss)."""
    data = _shocks_alone()
    data["impacts"]["economy"]["dated"]["demand_shocks"] = []
    without = _economy(af.Calibration.from_json(copy.deepcopy(data)))
    codes = [s["code"] for s in data["impacts"]["economy"]["sections"]]
    n = len(codes)
    flows = [[0.0] * n for _ in codes]
    flows[codes.index("C")][codes.index("I")] = 10.0
    flows[codes.index("L")][codes.index("I")] = 15.0
    output = [100.0] * n
    output[codes.index("C")], output[codes.index("L")] = 400.0, 300.0
    data["impacts"]["economy"]["dated"]["input_output"] = {
        "source": "test", "sections": codes, "flows": flows, "output": output,
    }
    with_ = _economy(af.Calibration.from_json(data))
    normal = {s["code"]: s["value_added"] * 1e6 / 365.0 for s in data["impacts"]["economy"]["sections"]}
    horeca_lost = 1.0 - without["va_I"] / normal["I"]
    assert horeca_lost.max() > 0.5  # the lockdowns close horeca
    for code, used in (("C", 10.0 / 400.0), ("L", 15.0 / 300.0)):
        expected = without[f"va_{code}"] - normal[code] * used * horeca_lost
        assert np.allclose(with_[f"va_{code}"], expected, rtol=1e-12, atol=1e-6), code
    for code in codes:
        if code not in ("C", "L"):
            assert np.allclose(with_[f"va_{code}"], without[f"va_{code}"], rtol=1e-12), code


def test_spill_overs_lose_at_least_the_direct_loss_in_every_section():
    """With the WIOD table, every section loses at least what it lost without spill-overs (all
    coefficients are non-negative), and the economy loses more. Catch-up is off in both: a
    catch-up section that loses more also makes up more later."""
    data = af.Calibration.netherlands().to_dict()
    data["impacts"]["economy"]["dated"]["catch_up_share"] = 0.0
    with_ = _economy(af.Calibration.from_json(data))
    without = _economy(af.Calibration.from_json(_shocks_alone()))
    codes = [c[3:] for c in with_.columns if c.startswith("va_")]
    for code in codes:
        assert (with_[f"va_{code}"] <= without[f"va_{code}"] * (1.0 + 1e-12)).all(), code
    assert with_["value_added"].sum() < without["value_added"].sum()
    # Suppliers of horeca and culture lose on the days they are closed: real estate (L) sells
    # nothing abroad in the model's exposure and is not closed, yet loses.
    assert (with_["va_L"] < without["va_L"]).any()


def test_an_input_output_table_is_checked_naming_the_field():
    data = af.Calibration.netherlands().to_dict()
    bad = copy.deepcopy(data)
    io = bad["impacts"]["economy"]["dated"]["input_output"]
    io["flows"][2][2] = 2.0 * io["output"][2]  # manufacturing would use more than its output
    with pytest.raises(af.ValidationError, match=r"input_output\.flows.*column 2 \(C\)"):
        af.Calibration.from_json(bad)
    bad = copy.deepcopy(data)
    bad["impacts"]["economy"]["dated"]["input_output"]["sections"][0] = "ZZ"
    with pytest.raises(af.ValidationError, match=r"input_output\.sections\[0\]"):
        af.Calibration.from_json(bad)
    bad = copy.deepcopy(data)
    bad["impacts"]["economy"]["dated"]["input_output"]["output"].pop()
    with pytest.raises(af.ValidationError, match=r"input_output\.output"):
        af.Calibration.from_json(bad)


# --- support: what it does and how it is counted --------------------------------------------------


def test_support_lowers_bankruptcies_and_raises_fiscal_cost(run, without_support):
    with_, without = run.impacts.economy.by_year(), without_support.impacts.economy.by_year()
    for year in ("2020", "2021"):
        assert with_.loc[year, "bankruptcies"] < without.loc[year, "bankruptcies"]
        outlays = [f"{s}_bn" for s in ("NOW", "TOGS", "TVL", "Tozo")]
        assert with_.loc[year, outlays].sum() > 0.0
        assert not any(column in without.columns for column in outlays)
    # NOW keeps workers on the payroll.
    assert run.impacts.economy.by_day()["unemployment_rate"].max() < without_support.impacts.economy.by_day()[
        "unemployment_rate"
    ].max()


# --- NOW's applicants against UWV (a check of the take-up, which is fitted on the outlays alone) ---


def _now_applicants(run: af.Run, date_from: str, date_to: str) -> "tuple[float, float]":
    """The model's NOW applicants over a tranche's days, and their mean expected revenue loss (%).

    Written out from the module docs of src/impacts/dated_economy.rs, as the engine's `Reach`
    computes it (replicated here on purpose, as an independent check): a firm of section `s`
    expects a loss `l ~ N(r L_s,d, sigma)` and applies, at the scheme's take-up, when `l >= theta`;
    its expected loss counts up to 1. Firms with employees are split over sections as the engine
    splits them (by the sections' enterprises). Applicants are the mean over the tranche's days."""
    from scipy.stats import norm

    data = af.Calibration.netherlands().to_dict()["impacts"]["economy"]
    dated = data["dated"]
    now = next(s for s in dated["schemes"] if s["name"] == "NOW")
    sigma, r, take_up = dated["loss_spread"], now["expected_loss_factor"], now["take_up"]
    theta = now["periods"][0]["min_revenue_loss"]  # the same in every period (tested below)
    employers = sum(c["firms"] for c in dated["firms"]["classes"])
    enterprises = sum(sec["firms"] for sec in data["sections"])
    daily = run.impacts.economy.by_day().loc[date_from:date_to]
    applicants = lost = 0.0
    for sec in data["sections"]:
        mean = r * (1.0 - daily[f"va_{sec['code']}"].to_numpy() / (sec["value_added"] * 1e6 / 365.0))
        a, b = (theta - mean) / sigma, (1.0 - mean) / sigma
        share = norm.sf(a)
        expected = mean * (norm.cdf(b) - norm.cdf(a)) + sigma * (norm.pdf(a) - norm.pdf(b)) + norm.sf(b)
        firms = take_up * employers * sec["firms"] / enterprises
        applicants += firms * share.mean()
        lost += firms * expected.mean()
    return applicants, 100.0 * lost / applicants


def _uwv(tranche: str) -> "pd.Series":
    table = af.observed.table("now_applications").set_index("tranche")
    return table.loc[tranche]


def test_now_thresholds_are_the_same_in_every_period():
    # _now_applicants reads the first period's threshold: the rule kept 20% throughout.
    data = af.Calibration.netherlands().to_dict()["impacts"]["economy"]["dated"]
    now = next(s for s in data["schemes"] if s["name"] == "NOW")
    assert {p["min_revenue_loss"] for p in now["periods"]} == {0.2}


@pytest.mark.parametrize(
    "tranche",
    [
        pytest.param("NOW 1", marks=pytest.mark.xfail(strict=True, reason=(
            "measured 89,800 applicants against about 149,000 (-40%): on an average day of March-May 2020 "
            "the model's losses reach fewer employers than applied on a three-month window that most expected "
            "to be bad"))),
        "NOW 2",
        "NOW 3.1",
    ],
)
def test_now_applicants_are_uwvs_within_25_percent(run, tranche):
    uwv = _uwv(tranche)
    applicants, _ = _now_applicants(run, str(uwv["date_from"].date()), str(uwv["date_to"].date()))
    assert applicants == pytest.approx(float(uwv["applications"]), rel=0.25), applicants


def test_now_applicants_expect_the_loss_uwv_reported_in_the_fourth_quarter(run):
    # NOW 3.1 (October-December 2020): UWV's mean over the applications, 53%. With a uniform take-up
    # the applicants' mean is that of every eligible firm; had the take-up been concentrated on the
    # hardest hit (an application threshold of 0.4-0.5 with full take-up), it would be 76-88%.
    # NOW 1's 73% was the mean of the first 81,000 employers paid, the hardest hit first: not compared.
    uwv = _uwv("NOW 3.1")
    _, mean_loss = _now_applicants(run, "2020-10-01", "2020-12-31")
    assert mean_loss == pytest.approx(float(uwv["mean_expected_loss_pct"]), abs=5.0), mean_loss


# --- firms by size class: buffers that drain and refill (src/impacts/firms.rs) --------------------


def test_bankruptcies_by_size_class_add_up_to_the_total(run):
    economy = run.impacts.economy
    assert economy.size_classes == ["employees_10_49", "employees_2_9", "employees_50_plus"]
    columns = [f"bankruptcies_{c}" for c in economy.size_classes]
    for table in (economy.by_day(), economy.by_quarter(), economy.by_year()):
        assert np.allclose(table[columns].sum(axis=1), table["bankruptcies"], rtol=1e-12)
    # The smallest firms, with the thinnest buffers, make most bankruptcies.
    year = economy.by_year().loc["2020"]
    assert year["bankruptcies_employees_2_9"] > year["bankruptcies_employees_10_49"] > year[
        "bankruptcies_employees_50_plus"]


def _two_classes(thin: float, thick: float) -> af.Calibration:
    """Two classes alike but for their buffers, no support."""
    data = af.Calibration.netherlands().to_dict()
    dated = data["impacts"]["economy"]["dated"]
    dated["schemes"] = []
    dated["firms"]["classes"] = [
        {"name": name, "firms": 200_000.0, "value_added_share": 0.45, "buffer_factor": factor}
        for name, factor in (("thin", thin), ("thick", thick))
    ]
    return af.Calibration.from_json(data)


def test_a_class_with_thinner_buffers_fails_sooner():
    daily = _economy(_two_classes(0.5, 1.5))
    first = daily.index[0]
    extra = {c: daily[f"bankruptcies_{c}"] - daily.loc[first, f"bankruptcies_{c}"] for c in ("thin", "thick")}
    # The same losses drain both; more of the thin class's firms run out, and earlier.
    assert extra["thin"].sum() > extra["thick"].sum() > 0.0
    spring = slice("2020-03-15", "2020-05-31")
    assert extra["thin"][spring].sum() > 2.0 * extra["thick"][spring].sum()


def test_support_refills_buffers_and_lowers_bankruptcies_without_the_petitions(run, without_support):
    """Support beyond the loss fills buffers (CPB and DNB found many supported firms held more cash
    than before): bankruptcies fall below the run without support even with the tax office's stop
    of petitions switched off, so the buffers, not only the petitions, lower them."""
    data = af.Calibration.netherlands().to_dict()
    data["impacts"]["economy"]["dated"]["deferral_petition_share"] = 0.0
    cal = af.Calibration.from_json(data)
    petitions_off = af.replay.fitted_run(until=UNTIL, calibration=cal)
    with_, without = petitions_off.impacts.economy.by_year(), without_support.impacts.economy.by_year()
    for year in ("2020", "2021"):
        assert with_.loc[year, "bankruptcies"] < without.loc[year, "bankruptcies"]


# The deferred tax outstanding, not in the observed data pack (a byte-for-byte copy): EUR 10 bn by
# mid-June 2020 (Ministry of Finance via rd.nl) and 12 bn in October 2020 (nu.nl), both fitted by
# scripts/calibrate_economy.py; about 19.6 bn when repayment began on 1 October 2022 (17.2 bn
# outstanding in February 2023 after 2.4 bn repaid, Kamerbrief 31066-1197 via ad.nl 2023-03), the
# stock of the end of 2021 plus the 2021Q4 taxes due in January 2022: held out.
DEFERRED_END_2021_BN = 19.6


def test_tax_deferral_stock_in_2020_as_fitted(run):
    stock = run.impacts.economy.by_day()["tax_deferral"].cumsum() / 1e9
    assert stock.loc["2020-06-15"] == pytest.approx(10.0, rel=0.25)
    assert stock.loc["2020-10-15"] == pytest.approx(12.0, rel=0.25)


@pytest.mark.xfail(strict=True, reason="measured EUR 29.0 bn against about 19.6 (held out): the deferral runs on "
                   "at EUR 3.4-4.7 bn a quarter in 2021H1 (the spread of losses reaches firms at normal trade); the "
                   "model counts tax deferred, not repaid in full before October 2022 nor lost with bankrupt firms")
def test_tax_deferral_stock_at_the_end_of_2021(run):
    stock = run.impacts.economy.by_quarter()["tax_deferral_stock_bn"]
    assert stock.loc["2021Q4"] == pytest.approx(DEFERRED_END_2021_BN, rel=0.25), stock.loc["2021Q4"]


def test_size_classes_are_checked_naming_the_field():
    data = af.Calibration.netherlands().to_dict()
    bad = copy.deepcopy(data)
    bad["impacts"]["economy"]["dated"]["firms"]["classes"][0]["value_added_share"] = 0.9
    with pytest.raises(af.ValidationError, match=r"impacts\.economy\.dated\.firms\.classes"):
        af.Calibration.from_json(bad)
    bad = copy.deepcopy(data)
    bad["impacts"]["economy"]["dated"]["firms"]["classes"][1]["buffer_factor"] = 0.0
    with pytest.raises(af.ValidationError, match=r"firms\.classes\[1\]\.buffer_factor"):
        af.Calibration.from_json(bad)
    bad = copy.deepcopy(data)
    bad["impacts"]["economy"]["dated"]["firms"]["critical_buffer_days"] = -1.0
    with pytest.raises(af.ValidationError, match=r"firms\.critical_buffer_days"):
        af.Calibration.from_json(bad)
    bad = copy.deepcopy(data)
    classes = bad["impacts"]["economy"]["dated"]["firms"]["classes"]
    classes[1]["name"] = classes[0]["name"]
    with pytest.raises(af.ValidationError, match=r"firms\.classes\[1\]\.name: is a duplicate \(also \[0\]\)"):
        af.Calibration.from_json(bad)
    for path, field in (
        (("sections",), r"impacts\.economy\.sections\[1\]\.code"),
        (("dated", "schemes"), r"impacts\.economy\.dated\.schemes\[1\]\.name"),
        (("dated", "demand_shocks"), r"impacts\.economy\.dated\.demand_shocks\[1\]\.name"),
    ):
        bad = copy.deepcopy(data)
        listed = bad["impacts"]["economy"]
        for key in path:
            listed = listed[key]
        key = "code" if path == ("sections",) else "name"
        listed[1][key] = listed[0][key]
        with pytest.raises(af.ValidationError, match=field + r": is a duplicate \(also \[0\]\)"):
            af.Calibration.from_json(bad)


def _with_now(**values: object) -> af.Calibration:
    data = af.Calibration.netherlands().to_dict()
    now = next(s for s in data["impacts"]["economy"]["dated"]["schemes"] if s["name"] == "NOW")
    now.update(values)
    return af.Calibration.from_json(data)


def test_now_pays_an_advance_on_the_loss_firms_expect():
    """NOW paid 80% of the subsidy on the loss a firm expected (SZW 2020), the expected loss
    `expected_loss_factor` times the loss it came to have."""
    settled = _economy(_with_now(advance=1.0, expected_loss_factor=1.0))["NOW"].sum()
    advance = _economy(_with_now(advance=0.8, expected_loss_factor=1.0))["NOW"].sum()
    assert advance == pytest.approx(0.8 * settled, rel=1e-12)
    expected = _economy(_with_now(advance=1.0, expected_loss_factor=1.5))["NOW"].sum()
    assert expected > settled  # firms apply on more than they come to lose
    with pytest.raises(af.ValidationError, match=r"schemes\[0\]\.advance"):
        _with_now(advance=1.2)


def test_spread_of_losses_lets_schemes_reach_firms_in_sections_near_normal_trade():
    """Firms' losses against a scheme's reference spread around their section's mean
    (`loss_spread`): in the summer of 2020, when most sections lost a few percent, NOW reaches
    firms past its 20% threshold only with the spread (docs/economy_2020_2021.md, diagnosis)."""
    data = af.Calibration.netherlands().to_dict()
    assert data["impacts"]["economy"]["dated"]["loss_spread"] > 0.0
    # The subsidy on the losses as they came (no advance on an expected loss), with and without.
    now = next(s for s in data["impacts"]["economy"]["dated"]["schemes"] if s["name"] == "NOW")
    now.update(advance=1.0, expected_loss_factor=1.0)
    # Care on the record's dates: the replay's second wave fills its hospitals in September 2020
    # (the record's in late October), so care that follows the run puts section Q far from normal
    # in this summer; the diagnosis is about the sections near normal trade.
    _care(data).pop("from_run")
    spread = _economy(af.Calibration.from_json(data))
    data["impacts"]["economy"]["dated"]["loss_spread"] = 0.0
    none = _economy(af.Calibration.from_json(data))
    summer = slice("2020-07-01", "2020-09-30")
    assert spread.loc[summer, "NOW"].sum() > 3.0 * none.loc[summer, "NOW"].sum() > 0.0
    # Value added does not depend on who the loss falls on.
    assert np.allclose(spread["value_added"], none["value_added"])
    data["impacts"]["economy"]["dated"]["loss_spread"] = -0.1
    with pytest.raises(af.ValidationError, match=r"impacts\.economy\.dated\.loss_spread"):
        af.Calibration.from_json(data)


def test_support_is_a_transfer_counted_once(run, without_support):
    """Convention: support moves money from the state to firms and the self-employed; it changes
    who bears the value added lost, not how much is lost, so value added and the welfare total are
    the same with and without it (fiscal_cost_weight 0, docs/assessment.md)."""
    a, b = run.impacts.economy.by_day(), without_support.impacts.economy.by_day()
    assert np.allclose(a["value_added"], b["value_added"])
    assert np.allclose(a["lost_tax"], b["lost_tax"])
    valuation = af.Valuation.netherlands()
    cal = af.Calibration.netherlands()
    assert valuation.monetise(run, cal)["eur"].sum() == pytest.approx(
        valuation.monetise(without_support, af.Calibration.netherlands())["eur"].sum(), rel=1e-12
    )


# --- held against the record: 2020 calibration, 2021 held out ------------------------------------
#
# The targets. Each row: (series, period, tolerance, kind) with kind "points" (absolute,
# in the series' unit) or "relative" (share of the observed value). Misses are strict xfails whose
# reason names the value measured when they were written (docs/economy_2020_2021.md).

TARGETS = [
    ("gdp_volume_annual", "2020", 1.5, "points"),
    ("value_added_volume_horeca_I", "2020", 10.0, "points"),
    ("bankruptcies_companies", "2020", 0.25, "relative"),
    ("support_outlays_NOW", "2020", 0.25, "relative"),
    ("support_outlays_Tozo", "2020", 0.25, "relative"),
    ("support_outlays_TOGS_TVL", "2020", 0.25, "relative"),
    ("gdp_volume_annual", "2021", 1.5, "points"),
    ("value_added_volume_horeca_I_vs_2019", "2021", 10.0, "points"),
    ("bankruptcies_companies", "2021", 0.25, "relative"),
]

#: None now: the held-out bankruptcies of 2021 were a miss until the fifth calibration (2,311 against
#: 1,536; 1,862 since, docs/economy_2020_2021.md).
MISSES: "dict[tuple[str, str], str]" = {}


def yearly(table: "pd.DataFrame", series: str, year: str) -> "tuple[float, float]":
    """(observed, model) of a series for a year: the year's row, or the sum of its quarters
    (support outlays are published per quarter)."""
    rows = table[(table.series == series) & (table.period == year)]
    if len(rows) == 1:
        return float(rows.iloc[0]["observed"]), float(rows.iloc[0]["model"])
    rows = table[(table.series == series) & table.period.str.startswith(f"{year}Q")]
    assert len(rows) == 4, (series, year)
    return float(rows["observed"].sum()), float(rows["model"].sum())


def _target_params():
    for series, period, tol, kind in TARGETS:
        reason = MISSES.get((series, period))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(series, period, tol, kind, marks=marks, id=f"{series}-{period}")


@pytest.mark.parametrize("series, period, tol, kind", list(_target_params()))
def test_target(table, series, period, tol, kind):
    observed, model = yearly(table, series, period)
    allowed = tol if kind == "points" else tol * abs(observed)
    assert abs(model - observed) <= allowed, f"{series} {period}: model {model:.2f}, observed {observed:.2f}"


@pytest.mark.parametrize("year", ["2020", "2021"])
def test_bankruptcies_fall_below_2019(table, year):
    observed, model = yearly(table, "bankruptcies_companies", year)
    assert observed < 3208
    assert model < 3208, f"{year}: model {model:.0f} bankruptcies, 2019 had 3,208"


def test_unemployment_peak_within_one_point(table):
    # In sample: labour_hoarding and the labour market's flows are calibrated on the 2020Q2-Q4 rates
    # (the peak was 7.73% without hoarding and flows).
    q = table[table.series == "unemployment_rate_sa"]
    assert abs(q["model"].max() - q["observed"].max()) <= 1.0, (q["model"].max(), q["observed"].max())


def test_held_out_unemployment_2021_within_one_point(table):
    # The peak's tolerance, on the held-out year.
    observed, model = yearly(table, "unemployment_rate_annual", "2021")
    assert abs(model - observed) <= 1.0, f"model {model:.2f}%, observed {observed:.2f}%"


@pytest.mark.xfail(strict=True, reason="measured 2021Q1 (5.50%; 2020Q3 5.28% against 5.5%): the lockdown of 2020Q4-2021Q2 lays off more than NOW and the recalls of 2020Q3 make up for")
def test_unemployment_peaks_in_2020q3_as_observed(table):
    q = table[table.series == "unemployment_rate_sa"].set_index("period")
    assert q["observed"].idxmax() == "2020Q3"
    assert q["model"].idxmax() == "2020Q3", q["model"].round(2).to_dict()


def test_labour_hoarding_scales_the_extra_unemployed_exactly():
    # Without the labour market's flows: the jobs kept beyond NOW: with h the extra unemployed are
    # (1 - h) times those at h = 0 on every day (the lag is linear), which is what lets
    # scripts/calibrate_economy.py fit h in closed form; a share outside 0-1 is rejected naming
    # the field.
    data = af.Calibration.netherlands().to_dict()
    dated = data["impacts"]["economy"]["dated"]
    del dated["labour_market"]
    assert 0.0 < dated["labour_hoarding"] < 1.0
    dated["labour_hoarding"] = 0.0
    free = _economy(af.Calibration.from_json(copy.deepcopy(data)))
    dated["labour_hoarding"] = 0.25
    kept = _economy(af.Calibration.from_json(copy.deepcopy(data)))
    assert free["unemployed_extra"].max() > 0.0
    assert np.allclose(kept["unemployed_extra"], 0.75 * free["unemployed_extra"], rtol=1e-12, atol=1e-9)
    assert np.allclose(kept["va_C"], free["va_C"], rtol=0.0, atol=0.0)  # output does not move
    dated["labour_hoarding"] = 1.5
    with pytest.raises(af.ValidationError, match=r"labour_hoarding"):
        af.Calibration.from_json(data)


# --- the labour market as stocks and flows (src/impacts/labour_market.rs) -------------------------


def _labour(run: af.Run) -> "pd.DataFrame":
    return run.impacts.economy.by_day()[["unemployment_rate", "unemployed_extra", "employed", "left_labour_force"]]


def test_people_are_conserved_and_no_stock_is_negative(run):
    # Employed, unemployed and those who left the labour force add up to the labour force before
    # the epidemic on every day; no stock goes below zero.
    cal = af.Calibration.netherlands().to_dict()["impacts"]
    force, u0 = cal["economy"]["labour_force"], cal["economy"]["dated"]["unemployment_rate"]
    days = _labour(run)
    unemployed = u0 * force + days["unemployed_extra"]
    assert np.allclose(days["employed"] + unemployed + days["left_labour_force"], force, rtol=1e-9)
    assert (days["employed"] > 0).all() and (unemployed >= 0).all() and (days["left_labour_force"] >= 0).all()
    rate = unemployed / (days["employed"] + unemployed)
    assert np.allclose(rate, days["unemployment_rate"], rtol=1e-12)
    quarters = run.impacts.economy.by_quarter()  # means over the quarter
    assert quarters.loc["2021Q4", "employed"] == pytest.approx(days.loc["2021-10-01":, "employed"].mean())
    assert (quarters["left_labour_force"] >= 0).all()


def _with_labour(**values: object) -> af.Calibration:
    data = af.Calibration.netherlands().to_dict()
    dated = data["impacts"]["economy"]["dated"]
    market = values.pop("labour_market", {})
    dated.update(values)
    dated["labour_market"].update(market)
    return af.Calibration.from_json(data)


def test_more_job_loss_raises_unemployment_on_every_day():
    # Less labour hoarding sheds more jobs: the rate is at least as high on every day.
    h = af.Calibration.netherlands().to_dict()["impacts"]["economy"]["dated"]["labour_hoarding"]
    kept, shed = _economy(_with_labour(labour_hoarding=h)), _economy(_with_labour(labour_hoarding=h / 2))
    assert (shed["unemployment_rate"] >= kept["unemployment_rate"] - 1e-15).all()
    assert shed["unemployment_rate"].max() > kept["unemployment_rate"].max()


def test_now_keeps_workers_out_of_unemployment(run, without_support):
    # Lower on every day up to the 2021 reopening, and lower peak and mean. After it the run
    # without support is lower by up to 0.13 points (measured 2026-12-07): its larger recalls hire
    # from the normal unemployed too (recalls are not tied to the persons laid off).
    with_, without = _labour(run)["unemployment_rate"], _labour(without_support)["unemployment_rate"]
    assert (with_[:"2021-08-31"] <= without[:"2021-08-31"] + 1e-15).all()
    assert with_.mean() < without.mean() and with_.max() < without.max()


def test_vacancies_lower_unemployment_and_those_who_leave_delay_it():
    # The record's vacancies (fewer in 2020, more in 2021) against vacancies at their 2019 level;
    # job losers who leave the labour force come back to look for work later.
    normal = _economy(_with_labour(labour_market={"vacancies": []}))
    record = _economy(_with_labour())
    assert record.loc["2020-06-30", "unemployment_rate"] > normal.loc["2020-06-30", "unemployment_rate"]
    staying = _economy(_with_labour(labour_market={"leave_share": 0.0}))
    assert record.loc["2020-04-30", "unemployment_rate"] < staying.loc["2020-04-30", "unemployment_rate"]
    assert record.loc["2020-04-30", "left_labour_force"] > 0.0 == staying["left_labour_force"].max()


def test_labour_market_rates_are_checked_naming_the_field():
    data = af.Calibration.netherlands().to_dict()
    data["impacts"]["economy"]["dated"]["labour_market"]["leave_share"] = 1.5
    with pytest.raises(af.ValidationError, match=r"economy\.dated\.labour_market\.leave_share"):
        af.Calibration.from_json(data)
    data = af.Calibration.netherlands().to_dict()
    data["impacts"]["economy"]["dated"]["labour_market"]["vacancies"].reverse()
    with pytest.raises(af.ValidationError, match=r"labour_market\.vacancies"):
        af.Calibration.from_json(data)
