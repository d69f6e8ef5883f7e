"""The replay of the first Dutch wave (issue 18): fitted to NICE admissions and ICU occupancy up
to 2020-04-15, held against what happened up to 2020-06-01. The targets are the issue's; the
tolerances are not tuned to the model's output."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import afweging as af
from afweging import replay

WINDOW_END = "2020-04-15"
UNTIL = "2020-06-01"


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return af.observed.netherlands()


@pytest.fixture(scope="module")
def first_wave(obs: pd.DataFrame) -> af.Fit:
    return af.fit(obs.loc[:WINDOW_END])


def _series(run: af.Run, column: str) -> pd.Series:
    return pd.Series(replay.series(run, column), index=pd.DatetimeIndex(run.dates))


def test_first_wave_peak_of_admissions(first_wave: af.Fit, obs: pd.DataFrame) -> None:
    # Peaks of the 7-day centred means: a single day's count carries the negative binomial noise
    # of the observation (the daily maximum, 676 on 27 March, sits 30% above its week).
    model = _series(first_wave.run(until=UNTIL), "admissions").rolling(7, center=True).mean()
    seen = obs.loc[:UNTIL, "admissions"].rolling(7, center=True).mean()
    assert abs((model.idxmax() - seen.idxmax()).days) <= 3
    assert model.max() == pytest.approx(seen.max(), rel=0.15)


def test_first_wave_peak_of_icu_occupancy(first_wave: af.Fit, obs: pd.DataFrame) -> None:
    model = _series(first_wave.run(until=UNTIL), "icu_occupancy")
    seen = obs.loc[:UNTIL, "icu_occupancy"]
    assert abs((model.idxmax() - seen.idxmax()).days) <= 4
    assert model.max() == pytest.approx(seen.max(), rel=0.20)


def test_projection_to_june_holds_total_admissions(first_wave: af.Fit, obs: pd.DataFrame) -> None:
    run = first_wave.run(until=UNTIL)
    model = _series(run, "admissions")
    seen = obs.loc[str(run.dates[0]) : UNTIL, "admissions"]
    assert model.index[-1] == pd.Timestamp(UNTIL)
    assert model.sum() == pytest.approx(seen.sum(), rel=0.15)


def test_ward_occupancy_which_was_not_fitted(first_wave: af.Fit, obs: pd.DataFrame) -> None:
    # The ward after ICU and the ward stay come from the registries, not from this fit.
    model = _series(first_wave.run(until=UNTIL), "ward_occupancy")
    seen = obs.loc[:UNTIL, "ward_occupancy"]
    assert model.max() == pytest.approx(seen.max(), rel=0.25)


def test_replay_calibration_has_nursing_home_residents_as_a_group() -> None:
    base = af.Calibration.netherlands().to_dict()
    cal = replay.replay_calibration().to_dict()
    group = af.timeline.nursing_homes()
    assert cal["age_bands"] == base["age_bands"] + ["verpleeghuis"]
    people = np.asarray(cal["population"])
    assert people.sum() == pytest.approx(sum(base["population"]), rel=1e-12)
    assert people[-1] == group["residents"] and people[8] == base["population"][8] - group["residents"]
    for setting, matrix in cal["contacts"].items():
        m = np.asarray(matrix)
        # The other bands' contacts with residents are the residents' with them (reciprocity),
        # and the contacts among the other bands are the default calibration's.
        np.testing.assert_allclose(m[:, -1] * people, m[-1] * people[-1], rtol=1e-12)
        np.testing.assert_array_equal(m[:-1, :-1], np.asarray(base["contacts"][setting]))
    home = np.asarray(cal["contacts"]["home"])[-1]
    assert home[-1] == pytest.approx(group["contact_factor"] * group["contacts"]["home"]["verpleeghuis"], rel=1e-12)
    severity = cal["severity"]
    # Residents die mostly where they live; the 80-plus at home no longer carry those deaths, and
    # everyone at home dies outside hospital in proportion to the deaths in hospital.
    assert severity["p_hospital_given_infection"][-1] < 0.25 * severity["p_hospital_given_infection"][8]
    assert severity["p_death_outside_hospital_given_infection"][-1] > 0.2
    ratio = group["outside_hospital_per_hospital_death"]
    at_home = np.asarray(severity["p_death_outside_hospital_given_infection"][:-1])
    in_hospital = np.asarray(base["severity"]["p_hospital_given_infection"]) * np.asarray(base["severity"]["p_death_given_admission"])
    np.testing.assert_allclose(at_home, ratio * in_hospital, rtol=1e-12)
    assert at_home[8] < 0.01
    assert base["severity"]["p_death_outside_hospital_given_infection"][8] == 0.138  # presets unchanged
    assert "impacts" not in cal
    # The old at large with the calibrated factors on their susceptibility; the residents with their own.
    factors = af.timeline.replay_susceptibility()
    expected = [factors.get(b, 1.0) * v for b, v in zip(base["age_bands"], base["relative_susceptibility"])]
    assert cal["relative_susceptibility"] == expected + [group["relative_susceptibility"]]
    assert replay.replay_calibration(susceptibility={}).to_dict()["relative_susceptibility"][:-1] == base["relative_susceptibility"]
    with pytest.raises(af.ValidationError, match=r"susceptibility.90\+"):
        replay.replay_calibration(susceptibility={"90+": 2.0})
    sc = replay.replay_scenario(replay.replay_calibration()).to_dict()
    assert len(sc["campaigns"][0]["uptake"]) == len(sc["initial"]["vaccinated"]) == 10
    assert len(replay.replay_scenario().to_dict()["campaigns"][0]["uptake"]) == 9


def test_bad_nursing_home_figures_name_the_field() -> None:
    good = af.timeline.nursing_homes()
    cases = [
        ({"residents": 2e6}, r"calibration.population\[8\]"),  # more residents than people of 80+
        ({"from_band": "90+"}, "nursing_homes.from_band"),
        ({"contacts": {**good["contacts"], "church": {}}}, "nursing_homes.contacts.church"),
        ({"contacts": {"home": {"95-99": 1.0}}}, r"nursing_homes.contacts.home.95-99"),
        ({"severity": {k: v for k, v in good["severity"].items() if k != "p_death_given_icu"}}, "nursing_homes.severity.p_death_given_icu"),
        ({"asymptomatic_share": 1.5}, r"calibration.asymptomatic_share\[9\]"),
    ]
    for change, message in cases:
        with pytest.raises(af.ValidationError, match=message):
            replay.replay_calibration({**good, **change})
    missing = {k: v for k, v in good.items() if k != "contact_factor"}
    with pytest.raises(af.ValidationError, match="nursing_homes.contact_factor: missing"):
        replay.replay_calibration(missing)


def test_residents_infections_are_what_the_group_was_calibrated_on(first_wave: af.Fit) -> None:
    # scripts/calibrate_nursing_homes.py: 7,900 residents confirmed and 4,550 suspected by 19 May
    # 2020 (RIVM), against the group's symptomatic infections of the fitted replay.
    run = first_wave.run(until="2020-05-19")
    symptomatic = np.asarray(run.infections)[:, -1].sum() * (1.0 - af.timeline.nursing_homes()["asymptomatic_share"])
    assert symptomatic == pytest.approx(12_450, rel=0.05)


#: NICE deaths in hospital by 31 May 2020: 1,923 on the wards (the clinical registry,
#: mzelst/covid-19 data-nice/exit/Clinical_Beds, snapshot of 2021-02-16) and 835 in ICU
#: (``nice_icu_deaths_cumulative``, data/observed).
NICE_HOSPITAL_DEATHS_MAY_2020 = 1_923 + 835


def test_first_wave_hospital_deaths_within_20_percent_of_nice(first_wave: af.Fit) -> None:
    # Stated before measuring (calibration.stays.by_date.death_factor set from RIVM's registry
    # estimates, not from these deaths): deaths in hospital through 31 May 2020 within 20% of NICE's.
    # Met once the old were admitted as often as RIVM's admissions by age say (2,607, 5% low;
    # 1,715 before, when the replay's admissions were too young); 2,598, 6% low, with the young's
    # susceptibility from Davies et al. as well.
    run = first_wave.run(until="2020-05-31")
    hospital = (np.asarray(run.deaths) - np.asarray(run.deaths_outside_hospital)).sum()
    assert hospital == pytest.approx(NICE_HOSPITAL_DEATHS_MAY_2020, rel=0.20)


NINE_BANDS = ("0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80+")


def _admissions_by_band(run: af.Run, start: str, end: str) -> np.ndarray:
    """The run's admissions from ``start`` through ``end`` by the nine bands, residents in 80+."""
    days = pd.DatetimeIndex(run.dates)
    admitted = np.asarray(run.admissions)[(days >= start) & (days <= end)].sum(axis=0)
    return np.append(admitted[:8], admitted[8:].sum())


def test_first_wave_admissions_by_age_are_rivms(first_wave: af.Fit) -> None:
    # The replay's factors on the susceptibility of the old were calibrated on the admissions by
    # age notified by 15 April 2020 (scripts/calibrate_age_mix.py); here held against those
    # notified by 1 June: the shares of 60-69, 70-79 and 80+ within 20% of RIVM's, and half of
    # the admitted 60 or older (RIVM: 69 or older).
    model = _admissions_by_band(first_wave.run(until=UNTIL), "2020-02-27", UNTIL)
    seen = af.observed.admissions_by_age("first_wave", NINE_BANDS).to_numpy()
    shares, observed_shares = model / model.sum(), seen / seen.sum()
    np.testing.assert_allclose(shares[6:], observed_shares[6:], rtol=0.20)
    assert shares[:6].sum() < 0.5


#: Davies et al. (Nat Med 2020;26:1205), Extended Data Table 1: consensus relative susceptibility
#: by ten-year band (model 1), 0-9 .. 60-69 and 70+.
DAVIES_SUSCEPTIBILITY = (0.40, 0.38, 0.79, 0.86, 0.80, 0.82, 0.88, 0.74)


def test_the_young_are_as_susceptible_as_davies_says() -> None:
    # The sourced factors: Davies' 0-9 and 10-19 over the unweighted mean of the adult bands, kept
    # apart from the fitted factors of the old, each part with its own record in the calibration.
    adults = float(np.mean(DAVIES_SUSCEPTIBILITY[2:]))
    sourced = af.timeline.replay_susceptibility(fitted=False)
    assert sourced == {"0-9": round(0.40 / adults, 2), "10-19": round(0.38 / adults, 2)}
    everything = af.timeline.replay_susceptibility()
    assert set(everything) == set(sourced) | {"60-69", "70-79", "80+"}
    sources = replay.replay_calibration().to_dict()["sources"]
    assert not sources["replay.susceptibility.sourced"].get("assumption") and sources["replay.susceptibility.sourced"]["year"] == 2020
    assert sources["replay.susceptibility.fitted"]["assumption"] is True
    only_sourced = replay.replay_calibration(susceptibility=sourced).to_dict()["sources"]
    assert "replay.susceptibility.sourced" in only_sourced and "replay.susceptibility.fitted" not in only_sourced


def test_calibrated_susceptibility_is_what_the_age_mix_gives(obs: pd.DataFrame) -> None:
    # scripts/calibrate_age_mix.py, reproduced: the fit with the first wave's admissions by age,
    # on top of the young's sourced factors.
    sourced = af.timeline.replay_susceptibility(fitted=False)
    cal = replay.replay_calibration(susceptibility=sourced)
    fit = af.fit(
        obs.loc[:WINDOW_END],
        calibration=cal,
        scenario=replay.replay_scenario(cal),
        age_mix=af.observed.admissions_by_age("first_wave_to_2020-04-15"),
        free=("seed", "icu_ratio"),
    )
    stored = af.timeline.replay_susceptibility()
    for group, bands in replay.AGE_GROUPS.items():
        for band in bands:
            assert fit.params.loc[f"susceptibility_{group}", "estimate"] == pytest.approx(stored[band], rel=0.05)
    fitted = fit.calibration.to_dict()["relative_susceptibility"]
    assert fitted[8] == pytest.approx(fit.params.loc["susceptibility_80+", "estimate"], rel=1e-12)
    assert fitted[:6] == [sourced["0-9"], sourced["10-19"]] + [1.0] * 4 and fitted[9] == 1.0


def test_bad_age_mix_names_the_field(obs: pd.DataFrame) -> None:
    window = obs.loc[:WINDOW_END]
    mix = af.observed.admissions_by_age("first_wave_to_2020-04-15")
    with pytest.raises(af.ValidationError, match=r"age_mix.attrs\['date_to'\]: must lie in the fitted window"):
        af.fit(window, age_mix=af.observed.admissions_by_age("first_wave"))
    undated = mix.copy()
    undated.attrs = {}
    with pytest.raises(af.ValidationError, match=r"age_mix.attrs\['date_to'\]"):
        af.fit(window, age_mix=undated)
    with pytest.raises(af.ValidationError, match=r"age_mix\[verpleeghuis\]"):
        af.fit(window, age_mix=pd.Series({"verpleeghuis": 3.0}, dtype=float).rename_axis("age_group"))
    with pytest.raises(af.ValidationError, match=r"age_mix\[75-84\]"):
        bad = pd.Series({"75-84": 3.0})
        bad.attrs = {"date_to": WINDOW_END}
        af.fit(window, age_mix=bad)
    with pytest.raises(af.ValidationError, match=r"susceptibility\['old'\]"):
        af.fit(window, age_mix=mix, susceptibility={"old": ["90-99"]})
    with pytest.raises(af.ValidationError, match="age_mix"):
        af.fit(window, age_mix=[1, 2, 3])


def _cbs_deaths(first_week: int, last_week: int) -> float:
    """CBS cause-of-death statistics: confirmed and suspected COVID-19 deaths in ISO weeks of 2020."""
    weekly = af.observed.table("excess_mortality")
    weeks = weekly[(weekly["iso_year"] == 2020) & weekly["iso_week"].between(first_week, last_week)]
    return float(weeks["cbs_covid_deaths_cause_of_death"].sum())


def test_first_wave_deaths_within_20_percent_of_cbs(first_wave: af.Fit) -> None:
    # Stated before the group was measured: model deaths by date of death through 31 May 2020
    # within 20% of CBS's count of COVID-19 deaths (confirmed and suspected) in ISO weeks 10-22.
    # Met with the old admitted as RIVM's admissions by age say: 8,200, 17% low (6,581 before);
    # 8,070, 19% low, with the young's susceptibility from Davies et al. as well.
    run = first_wave.run(until="2020-05-31")
    cbs = _cbs_deaths(10, 22)
    assert cbs == 9_912
    assert np.asarray(run.deaths).sum() == pytest.approx(cbs, rel=0.20)


def test_estimates_have_intervals_and_a_dated_scenario(first_wave: af.Fit) -> None:
    p = first_wave.params
    assert list(p.columns) == ["estimate", "lower", "upper", "period_start"]
    assert (p["lower"] <= p["estimate"]).all() and (p["estimate"] <= p["upper"]).all()
    theta = p[p.index.str.startswith("theta_")]
    assert theta["period_start"].iloc[0] == "2020-02-27"
    # Transmission fell once the lockdown of 23 March was in force.
    lockdown = theta[theta["period_start"] >= "2020-03-23"]["estimate"]
    before = theta[theta["period_start"] < "2020-03-15"]["estimate"]
    assert lockdown.max() < before.max()
    sc = first_wave.scenario.to_dict()
    assert sc["start_date"] == "2020-02-27"
    # The fitted factors, and after them the replay scenario's own (Alpha's advantage from
    # December 2020) multiplying the last fitted factor.
    steps = {t["from"]: t["factor"] for t in sc["transmission"]}
    for start, estimate in zip(theta["period_start"], theta["estimate"]):
        assert steps[start] == pytest.approx(estimate, rel=1e-12)
    last = theta["estimate"].iloc[-1]
    alpha_share = 1.0 / (1.0 + np.exp(-15.0 / 12.9))  # 15 days after the midpoint of 14 February
    assert steps["2021-03-01"] == pytest.approx(last * (1.0 + 0.425 * alpha_share), rel=1e-3)


def test_fits_and_forecasts_are_reproducible(first_wave: af.Fit, obs: pd.DataFrame) -> None:
    again = af.fit(obs.loc[:WINDOW_END])
    pd.testing.assert_frame_equal(again.params, first_wave.params)
    a = first_wave.forecast(until=UNTIL, draws=50, seed=3).to_pandas()
    b = first_wave.forecast(until=UNTIL, draws=50, seed=3).to_pandas()
    pd.testing.assert_frame_equal(a, b)


def test_forecast_is_tidy_with_ordered_quantiles(first_wave: af.Fit) -> None:
    fc = first_wave.forecast(until=UNTIL, draws=60, seed=1)
    df = fc.to_pandas()
    assert list(df.columns) == ["date", "quantile", "admissions", "icu_occupancy"]
    assert sorted(df["quantile"].unique()) == list(replay.QUANTILES)
    wide = df.pivot(index="date", columns="quantile", values="admissions")
    assert (np.diff(wide.to_numpy(), axis=1) >= 0).all()
    assert wide.index[-1] == pd.Timestamp(UNTIL)


def test_bad_input_names_the_field(obs: pd.DataFrame) -> None:
    window = obs.loc[:WINDOW_END, ["admissions", "icu_occupancy"]]
    with pytest.raises(af.ValidationError, match=r"admissions\[2020-03-14\]"):
        bad = window.copy()
        bad.loc["2020-03-14", "admissions"] = -3
        af.fit(bad)
    with pytest.raises(af.ValidationError, match="2020-03-14"):
        af.fit(window.drop(pd.Timestamp("2020-03-14")))
    with pytest.raises(af.ValidationError, match="free"):
        af.fit(window, free=["seed", "r0"])
    with pytest.raises(af.ValidationError, match="columns"):
        af.fit(window, columns=["admissions", "hospital_beds"])
    undated = af.Scenario.preset("centraal")
    with pytest.raises(af.ValidationError, match="scenario.start_date"):
        af.fit(window, scenario=undated)
    early = window.reindex(pd.date_range("2020-02-20", WINDOW_END, name="date"))
    with pytest.raises(af.ValidationError, match="observations: start before"):
        af.fit(early)


def test_until_before_the_start_is_refused(first_wave: af.Fit) -> None:
    with pytest.raises(af.ValidationError, match="until"):
        first_wave.run(until="2020-01-01")
    with pytest.raises(af.ValidationError, match="draws"):
        first_wave.forecast(until=UNTIL, draws=1)


@pytest.fixture(scope="module")
def second_wave(obs: pd.DataFrame) -> af.Fit:
    return af.fit(obs.loc[:"2021-01-15"])


def test_second_wave_replayed_under_the_timeline(second_wave: af.Fit, obs: pd.DataFrame) -> None:
    # Fitted through 15 January 2021. The observed second wave has two humps of about the same
    # height (7-day means: admissions about 320 early November, 342 at Christmas), so each hump is
    # held on its own: its peak within 15% and 7 days; ward occupancy, not fitted, within 25%.
    both = second_wave
    assert both.converged, both.message
    assert np.isfinite(both.params[["lower", "upper"]].to_numpy()).all()
    run = both.run(until="2021-01-31")
    humps = [("2020-10-01", "2020-11-30"), ("2020-12-01", "2021-01-31")]
    for column, tolerance in [("admissions", 0.15), ("icu_occupancy", 0.15), ("ward_occupancy", 0.25)]:
        model = _series(run, column).rolling(7, center=True).mean()
        seen = obs.loc[:"2021-01-31", column].rolling(7, center=True).mean()
        for start, end in humps:
            m, s = model.loc[start:end], seen.loc[start:end]
            assert abs((m.idxmax() - s.idxmax()).days) <= 7, (column, start)
            assert m.max() == pytest.approx(s.max(), rel=tolerance), (column, start)


@pytest.mark.xfail(
    strict=True,
    reason="measured 24.7%, 27.4% and 18.8% (60-69, 70-79, 80+) of the model's admissions against NICE's "
    "ward 18.9%, 26.6% and 27.2%: 60-69 30% over and 80+ 31% under; the first wave's factors on the old's "
    "susceptibility do not carry over to the autumn (docs/replay.md)",
)
def test_second_wave_admissions_by_age_held_out(second_wave: af.Fit) -> None:
    # Held out: the susceptibility of the old was calibrated on the first wave only. Stated before
    # measuring: the shares of 60-69, 70-79 and 80+ among the model's admissions from 4 November
    # 2020 to 16 January 2021 within 20% of NICE's ward admissions by age over those days (the
    # model's admissions include ICU intake, about 15%, which NICE's ward table does not).
    bands = ("0-19",) + NINE_BANDS[2:]
    model = _admissions_by_band(second_wave.run(until="2021-01-16"), "2020-11-04", "2021-01-16")
    model = np.append(model[:2].sum(), model[2:])
    seen = af.observed.admissions_by_age("second_wave_ward", bands).to_numpy()
    np.testing.assert_allclose((model / model.sum())[5:], (seen / seen.sum())[5:], rtol=0.20)


def test_the_replay_vaccinates_as_the_netherlands_did() -> None:
    """The replay scenario gives the first doses of 2021 as reported (ECDC via OWID), counted from
    14 days after each reporting week, oldest first."""
    sc = af.replay.replay_scenario()
    weeks = af.observed.table("vaccination")
    run = af.Model(af.Calibration.netherlands(), sc).run(days=500)  # to 2021-07-11
    dates = pd.DatetimeIndex(run.dates)
    given = np.asarray(run.vaccinations).sum(axis=1)
    # Each week's doses are counted on the 7 days ending 14 days after its date.
    week = pd.Timestamp("2021-06-04")
    until = week + pd.Timedelta(days=14)
    reported = weeks.loc[weeks["date"] <= week, "first_dose_week"].sum()
    assert given[dates <= until].sum() == pytest.approx(reported, rel=1e-9)
    assert given[dates < pd.Timestamp("2021-01-16")].sum() == 0.0
    # Oldest first: by 1 April 2021 the 80+ had far more of their people reached than the 20-29.
    by_band = np.asarray(run.vaccinations)[dates <= pd.Timestamp("2021-04-01")].sum(axis=0)
    people = np.asarray(af.Calibration.netherlands().population)
    assert by_band[8] / people[8] > 0.5 > 0.05 > by_band[2] / people[2]
