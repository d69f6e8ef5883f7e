"""Society held against the Dutch record of 2020-2021 (issue 19, docs/societal.md): postponed
hospital care (NZa, RIVM) and admissions to statutory debt restructuring (Wsnp, CBS). Parameters
are set on 2020 (or the first published count), the later figures are the test; a target the model
misses is a strict xfail naming the measured value, never a looser tolerance."""

from __future__ import annotations

import numpy as np
import pytest

pd = pytest.importorskip("pandas")

import afweging as af  # noqa: E402

START, UNTIL = "2020-03-01", "2021-12-31"
#: NZa: operations not performed since March 2020, by the end of April 2021 (calibration) and by
#: mid-August 2021 (340,000-380,000, revised method); RIVM: planned operations postponed or
#: cancelled in 2020-2021.
NZA_APRIL_2021, NZA_AUGUST_2021, RIVM_2020_2021 = 230_000, (340_000, 380_000), 305_000
TOLERANCE = 0.25  # as the for bankruptcies and outlays


@pytest.fixture(scope="module")
def run() -> af.Run:
    return af.replay.fitted_run(until=UNTIL)


@pytest.fixture(scope="module")
def care() -> dict:
    return af.Calibration.netherlands().to_dict()["impacts"]["society"]["postponed_care"]


def _observed_operations(care: dict, until: str) -> float:
    """Operations not performed from March 2020 to ``until`` by the model's volume per bed-day, on
    the observed COVID-19 occupancy (NICE to 1 July 2021, then LCPS as republished by OWID)."""
    h = af.observed.table("hospital")
    h = h[(h.index >= "2020-03-01") & (h.index <= until)]
    nice = h.index <= "2021-07-01"
    ward = np.where(nice, h["nice_ward_occupancy"], h["lcps_later_vintage_ward_occupancy"])
    icu = np.where(nice, h["nice_icu_occupancy"], h["lcps_later_vintage_icu_occupancy"])
    ward, icu = np.nan_to_num(ward.astype(float)), np.nan_to_num(icu.astype(float))
    return float(care["operations_per_ward_bed_day"] * ward.sum() + care["operations_per_icu_bed_day"] * icu.sum())


def _run_operations(run: af.Run, until: str) -> float:
    daily = np.asarray(run.impacts.daily["operations_postponed"])
    days = run.dates
    return float(daily[(days >= np.datetime64(START)) & (days <= np.datetime64(until))].sum())


# --- postponed care -------------------------------------------------------------------------------


def test_postponed_operations_follow_the_beds_and_the_qalys_follow_the_operations(run, care):
    imp = run.impacts
    assert imp["operations_postponed"] == pytest.approx(imp.daily["operations_postponed"].sum(), rel=1e-9)
    assert imp["postponed_care_qalys_lost"] == pytest.approx(imp["operations_postponed"] * care["qaly_per_operation"])
    by_age = imp.by_group("age_band").loc["operations_postponed"]
    assert by_age.drop(["unit", "ratio", "concentration_index"]).astype(float).sum() == pytest.approx(
        imp["operations_postponed"]
    )


def test_calibration_on_observed_beds_meets_the_first_nza_count(care):
    assert _observed_operations(care, "2021-04-30") == pytest.approx(NZA_APRIL_2021, rel=0.01)


def test_held_out_rivm_planned_operations_2020_2021_on_observed_beds(care):
    assert _observed_operations(care, "2021-12-31") == pytest.approx(RIVM_2020_2021, rel=TOLERANCE)


def test_held_out_nza_august_2021_on_observed_beds(care):
    # Within the tolerance of NZa's published range (measured 266,700: 22% under its low end).
    low, high = NZA_AUGUST_2021
    assert low * (1 - TOLERANCE) <= _observed_operations(care, "2021-08-15") <= high * (1 + TOLERANCE)


def test_the_replay_postpones_operations_in_both_years(run):
    first, second = _run_operations(run, "2020-12-31"), _run_operations(run, "2021-12-31")
    assert 0 < first < second


@pytest.fixture(scope="module")
def backtest() -> "pd.DataFrame":
    return af.society.backtest()


def row(table: "pd.DataFrame", target: str, period: str) -> "pd.Series":
    rows = table[(table.target == target) & (table.period == period)]
    assert len(rows) == 1, (target, period)
    return rows.iloc[0]


def test_backtest_lists_every_figure_of_the_record_with_its_role(backtest, run):
    assert list(backtest.columns) == ["target", "period", "observed", "observed_high", "model", "unit", "role", "met",
                                      "source"]
    assert set(backtest.target) == {"operations_postponed", "learning_loss_primary", "loneliness_excess",
                                    "mental_health_excess", "wsnp_admissions"}
    assert set(backtest.role) == {"calibration", "held out"}
    assert backtest.source.str.len().min() > 10
    r = row(backtest, "operations_postponed", "2020-03 .. 2021-04-30")
    assert r.model == pytest.approx(_run_operations(run, "2021-04-30"))


def test_replay_meets_the_first_nza_count(backtest):
    # Measured 247,000 on the replay fitted to the record (294,100 on the unfitted replay, a miss).
    r = row(backtest, "operations_postponed", "2020-03 .. 2021-04-30")
    assert r.met, r.model


def test_held_out_replay_against_nza_august_2021(backtest):
    assert row(backtest, "operations_postponed", "2020-03 .. 2021-08-15").met


def test_held_out_replay_against_rivm_planned_operations_2020_2021(backtest):
    # Measured 363,800 on the replay fitted to the record, 19% above RIVM's 305,000 (421,400 on the
    # unfitted replay, a miss; 318,500 on the record's beds).
    assert row(backtest, "operations_postponed", "2020-03 .. 2021-12-31").met


# --- learning and strain --------------------------------------------------------------------------


@pytest.mark.xfail(strict=True, reason="measured 0.050 SD against Engzell's 0.08: a closed primary school keeps 35% "
                   "of learning and a calendar day counts 1/365 of a school year; 8 weeks of term brought almost none")
def test_learning_loss_after_the_first_closure(backtest):
    assert row(backtest, "learning_loss_primary", "2020-06").met


def test_held_out_learning_loss_after_both_closures(backtest):
    assert row(backtest, "learning_loss_primary", "2021-06").met


def test_loneliness_in_july_2020(backtest):
    assert row(backtest, "loneliness_excess", "2020-07").met


def test_held_out_mental_health_first_half_2021(backtest):
    assert row(backtest, "mental_health_excess", "2021H1").met


# --- statutory debt restructuring (Wsnp) ----------------------------------------------------------


@pytest.fixture(scope="module")
def wsnp(run) -> "pd.DataFrame":
    table = run.impacts.compare(af.observed.economy_netherlands())
    return table[table.series == "wsnp_admissions"].set_index("period")


def test_wsnp_admissions_are_a_column_of_the_economy_by_day_and_year(run):
    economy = run.impacts.economy
    daily = economy.by_day()["wsnp_admissions"]
    years = economy.by_year()
    assert (daily >= 0).all()
    # January and February 2020 lie before the run: they follow the trend of the years before.
    assert years.loc["2020", "wsnp_admissions"] > daily[daily.index.year == 2020].sum()
    assert years.loc["2021", "wsnp_admissions"] == pytest.approx(daily[daily.index.year == 2021].sum())


def test_wsnp_2020_as_calibrated(wsnp):
    assert wsnp.loc["2020", "model"] == pytest.approx(wsnp.loc["2020", "observed"], rel=0.02)


def test_held_out_wsnp_2021(wsnp, backtest):
    assert wsnp.loc["2021", "model"] == pytest.approx(wsnp.loc["2021", "observed"], rel=TOLERANCE)
    assert row(backtest, "wsnp_admissions", "2021").met


def test_wsnp_falls_below_2019_in_both_years_as_observed(wsnp):
    assert "2019" not in wsnp.index  # before the run
    assert (wsnp.loc[["2020", "2021"], "model"] < 4_640).all()


def test_more_unemployment_brings_more_wsnp_admissions():
    """Without labour hoarding the measures' job losses all show as unemployment: a higher rate over
    the run brings more admissions to debt restructuring. (Not on every day: with many more job
    losers out of work, more of them find work again when the vacancies of 2021 come. A shorter lag
    of job losses only moves unemployment earlier, which is not more of it.)"""
    data = af.Calibration.netherlands().to_dict()
    data["impacts"]["economy"]["dated"]["labour_hoarding"] = 0.0
    more = af.replay.fitted_run(until=UNTIL, calibration=af.Calibration.from_json(data))
    base = af.replay.fitted_run(until=UNTIL)
    m, b = more.impacts.economy.by_day(), base.impacts.economy.by_day()
    assert m["unemployment_rate"].mean() > b["unemployment_rate"].mean() + 0.005
    assert m["wsnp_admissions"].sum() > b["wsnp_admissions"].sum()
