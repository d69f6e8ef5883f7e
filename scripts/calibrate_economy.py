"""Calibrates the dated economy (``economy.dated`` of data/netherlands/impacts.json) on 2020 only;
2021 is held out for the test (tests/test_economy.py). Prints the values to write into the data
file, with what they were fitted on.

    .venv/bin/python scripts/calibrate_economy.py

Runs the Dutch epidemic as it happened (``af.replay.fitted_run``: the timeline under the replay
scenario fitted to the record) from 27 February to 31 December 2020 and fits, in
this order (each step keeps the values fitted before it):

* scaled-down care (``demand_shocks`` ``care_scaled_down``, ``from_run``): the care not given per
  share of planned operations displaced and at full stringency, least squares on the monthly means
  of NZa's care not given (the shock's dated ``periods``, the record) March-December 2020, on the
  record's COVID-19 beds (NICE) and stringency (OxCGRT), not the replay's: a relation between beds
  and care, fitted on the beds that were, as the operations per bed-day are;
* ``fear_max``, ``fear_deaths_scale``, ``catch_up_share``, ``catch_up_days``, with
  ``--adaptation`` the adaptation to closures (``adaptation``: ``share`` for most sections, one
  share of their own for horeca, culture and recreation and personal services, whose closed trade
  needs its customers present, and ``closure_days``) and with ``--fear-habituation`` fear's
  habituation (``fear_habituation``, searched with fear); without a flag its part stays as in the
  data file. The searches take turns, each holding the others' values and taking its best
  candidate only if it lowers the error, pass after pass until a pass changes nothing, so that the
  values written are a fixed point: the script run again on them gives them back. Grid search on
  the 2020 value added:
  quarter-on-quarter volume changes of Q2-Q4 (CBS, seasonally adjusted), the annual change, and
  the 2020 years of horeca (I) and of culture, recreation and other services (R-U), least squares
  in percentage points;
* ``loss_spread`` ``sigma`` (the spread of firms' revenue change around their section's mean loss)
  with NOW's ``expected_loss_factor`` (below) for each ``sigma`` of a grid (0-0.4): least squares on
  the four 2020 quarters of the NOW outlays (CBS) at the take-up that fits them best (capped at 1);
* NOW's ``expected_loss_factor`` ``r``: firms applied on the loss they expected and were paid an
  advance of 80% of that subsidy (SZW, Kamerbrief 35420-95, 9 July 2020); of the EUR 4.3 bn
  advanced for NOW 2 (June-September 2020) about 1.1 bn net was reclaimed at settlement (UWV
  register, via balksternieuws.nl 2022-11), so advances were 4.3 / 3.2 = 1.34 times the settled
  subsidy. ``r`` is set so that the model's advances over June-September 2020 are 1.34 times the
  subsidy on the losses as they came (grid 1-4);
* Tozo's threshold: the revenue loss that takes a self-employed household's income below the
  social minimum (the rule is on household income, not on turnover): the largest threshold at
  which take-up 1 pays the 2020 outlays (grid 0.05-0.9);
* take-up of NOW and Tozo: 2020 outlays (CBS, sum of the quarters) / outlays at take-up 1; of TOGS and TVL: least squares on the four
  2020 quarters of the observed TOGS+TVL sum; of tax deferral, with its threshold and expected loss
  factor (grids 0.2-0.5 and 1-3, log least squares on the two figures):
  EUR 10 bn deferred by 15 June 2020 (Ministry of Finance, via rd.nl) and about 12 bn outstanding in
  mid-October 2020 (nu.nl); each capped at 1 (a take-up above 1 would pay more than the
  rules give: a miss to report, not to fit);
* ``firms.critical_buffer_days`` ``c0`` (firms whose buffer left is below it fail; the hazard is
  scaled to 2019 at normal buffers), ``refill_per_day`` ``rho`` (the margin of a firm's cash flow
  that refills a drained buffer) and ``deferral_petition_share``: grid search on the monthly
  bankruptcies of April-December 2020 (CBS 83085NED, session-day corrected) and the year 2020 (CBS,
  the days before the run at the 2019 rate), least squares on the log counts;
* ``labour_hoarding`` ``h`` with the labour market's flows (``labour_market``: ``leave_share``
  ``phi``, the share of job losers who leave the labour force, and ``return_per_day`` ``r``, the
  rate at which they come back to look for work; the job-finding rate, the matching elasticity and
  the vacancies are sourced): grid search (coarse, then finer around the best), least squares on
  CBS's unemployment rates of 2020Q2-Q4 (seasonally adjusted, 15-74). Without ``labour_market`` the extra unemployed scale exactly with
  ``1 - h`` and ``h`` is the closed-form least squares of the run at ``h = 0``.

``--labour`` runs the last step alone, from the values in the data file. ``--write`` writes the
fitted values into data/netherlands/impacts.json (the sources' texts that quote them are the
editor's to update).
"""

from __future__ import annotations

import copy
import itertools
import json
import sys
from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import pandas as pd

import afweging as af

UNTIL = "2020-12-31"
DEFERRED_BY_MID_JUNE = 10e9  # EUR, Ministry of Finance via rd.nl, 2020-06
OUTSTANDING_MID_OCTOBER = 12e9  # EUR, 250,000 firms applied, 50,000 repaid in full: nu.nl, 2020-10
QUARTERS = ["2020Q1", "2020Q2", "2020Q3", "2020Q4"]
NOW2_ADVANCE_OVER_SETTLED = 4.3 / (4.3 - 1.1)  # UWV register of NOW 2 settlements, 2022-11
#: The 2020 value added of sections in the record (CBS), fitted with the GDP quarters.
SECTION_YEARS = ["value_added_volume_horeca_I", "value_added_volume_culture_recreation_other_services_R_U"]
#: Sections whose closed trade needs its customers present: horeca, culture and recreation,
#: personal services (hairdressers, beauty); they learn the adaptation's share of their own.
PRESENCE_SECTIONS = ["I", "R", "S"]
#: Why the later waves' deaths frightened less than the first's.
FEAR_HABITUATION_SOURCE = (
    "Mechanism: adherence to the protective behaviours that cut mobility fell as the pandemic went on (Petherick A et al."
    " A worldwide assessment of changes in adherence to COVID-19 protective behaviours and hypothesized pandemic fatigue."
    " Nat Hum Behav 2021;5:1145-1160); CBS: GDP fell 8.5% on the quarter in 2020Q2 and 0.1% in 2020Q4, when as many people"
    " died of COVID-19 a day. Values: scripts/calibrate_economy.py --adaptation --fear-habituation, on the 2020 quarters of"
    " GDP and the 2020 years of horeca and culture (2021 held out)."
)
#: Why later waves lost less care per COVID-19 bed than the first.
CARE_LEARNING_SOURCE = (
    "Mechanism: in the spring of 2020 non-urgent hospital care was stopped nationally before the beds filled; for the"
    " second wave hospitals had agreed in advance how to spread and receive COVID-19 patients and kept more regular care"
    " going (Ziekenhuis Gelderse Vallei, via edestad.nl, autumn 2020; LCPS's spreading of patients from March 2020);"
    " NZa's care not given: 22% in 2020Q2 against 4% in 2020Q4 with as many COVID-19 patients."
    " Values: scripts/calibrate_economy.py --care-learning, on NZa's monthly levels March-December 2020 (2021 held out)."
)


def economy(cal_data: Dict[str, Any]) -> af.economy.EconomyByDay:
    cal = af.Calibration.from_json(cal_data)
    return af.replay.fitted_run(until=UNTIL, calibration=cal).impacts.economy


def with_dated(cal: Dict[str, Any], **values: Any) -> Dict[str, Any]:
    out = copy.deepcopy(cal)
    out["impacts"]["economy"]["dated"].update(values)
    return out


def care_record(cal: Dict[str, Any]) -> "tuple[Any, Dict[str, Any]]":
    """By day from 1 March 2020 to 31 December 2021: the planned operations displaced on the
    record's COVID-19 beds (the societal module's operations per bed-day on NICE's occupancy to 1
    July 2021, then LCPS's), the record's stringency (OxCGRT) and NZa's care not given (the care
    shock's dated periods); and the shock."""
    shock = next(s for s in cal["impacts"]["economy"]["dated"]["demand_shocks"] if s["name"] == "care_scaled_down")
    care = cal["impacts"]["society"]["postponed_care"]
    days = pd.date_range("2020-03-01", "2021-12-31", freq="D")
    h = af.observed.table("hospital").reindex(days)
    nice = days <= pd.Timestamp("2021-07-01")
    ward = np.nan_to_num(np.where(nice, h["nice_ward_occupancy"], h["lcps_later_vintage_ward_occupancy"]).astype(float))
    icu = np.nan_to_num(np.where(nice, h["nice_icu_occupancy"], h["lcps_later_vintage_icu_occupancy"]).astype(float))
    operations = care["operations_per_ward_bed_day"] * ward + care["operations_per_icu_bed_day"] * icu
    stringency = af.observed.stringency().reindex(days).ffill().fillna(0.0).to_numpy(float)
    starts = pd.to_datetime([p["from"] for p in shock["periods"]])
    record = np.array([next((-p["level"] for t, p in zip(starts[::-1], shock["periods"][::-1]) if t <= d), 0.0) for d in days])
    frame = pd.DataFrame({"operations": operations, "stringency": stringency, "record": record}, index=days)
    return frame, shock


def care_not_given(frame: Any, from_run: Dict[str, float], per_operation: Any, at_full: Any, learning: Any = None) -> Any:
    """The shock's care not given (a share, src/inputs/economy.rs FromRun::level, with the
    hospitals' learning of src/impacts/adaptation.rs) by day; ``per_operation`` and ``at_full``
    may be arrays (one column each), ``learning`` a (share, days) pair."""
    displaced = np.clip(frame["operations"].to_numpy(float) / (from_run["planned_operations_per_year"] / 365.0), 0.0, 1.0)
    s0 = from_run["stringency_from"]
    beyond = np.clip((frame["stringency"].to_numpy(float) - s0) / (100.0 - s0), 0.0, 1.0)
    columns = np.atleast_1d(per_operation)[None, :], np.atleast_1d(at_full)[None, :]
    c = np.minimum(1.0, displaced[:, None] * columns[0] + beyond[:, None] * columns[1])
    if learning is not None and learning[0] > 0.0:
        share, days = learning
        behind = np.cumsum(c, axis=0) - c  # days of full scale-down before each day
        learned = share * (1.0 - np.exp(-behind / days))
        c = np.where(learned > 0.0, c * (1.0 - learned), c)
    return c if c.shape[1] > 1 else c[:, 0]


def fit_care(cal: Dict[str, Any]) -> None:
    """Fits the care shock's ``from_run`` (and with ``--care-learning`` the hospitals' learning)
    on 2020 (monthly means, March-December) and prints the fit by quarter for 2020 (calibration)
    and 2021 (held out), on the record's beds."""
    frame, shock = care_record(cal)
    from_run = shock["from_run"]
    in_2020 = frame.index <= "2020-12-31"
    month = frame.index[in_2020].to_period("M")
    target = frame.loc[in_2020, "record"].groupby(month).mean().to_numpy(float)
    months = pd.get_dummies(month).to_numpy(float, copy=True)
    months /= months.sum(axis=0)  # day -> monthly mean
    steps = np.round(np.arange(0.0, 1.001, 0.01), 2)
    # Without --care-learning the data file's learning is held as it is (as the adaptation is
    # without --adaptation), so k_o and k_S are fitted with the learning the run will apply.
    held = from_run.get("learning")
    learnings: List[Any] = [None if held is None else (held["share"], held["days"])]
    if "--care-learning" in sys.argv[1:]:
        learnings += [(float(b), t) for b in np.round(np.arange(0.1, 1.001, 0.1), 1) for t in [10.0, 20.0, 30.0, 60.0, 90.0]]
    found: Any = (np.inf, 0.0, 0.0, None)
    for learning in learnings:
        for k_o in steps:
            model = months.T @ care_not_given(frame.loc[in_2020], from_run, k_o, steps, learning)  # months x k_S
            err = np.sum((model - target[:, None]) ** 2, axis=0)
            j = int(np.argmin(err))
            if err[j] < found[0]:
                found = (float(err[j]), float(k_o), float(steps[j]), learning)
    err, k_o, k_s, learning = found
    from_run.update(per_operation_share=k_o, at_full_stringency=k_s)
    if learning is not None:
        from_run["learning"] = {**from_run.get("learning", {"source": CARE_LEARNING_SOURCE}), "share": learning[0], "days": learning[1]}
    by_quarter = frame.assign(model=care_not_given(frame, from_run, k_o, k_s, learning)).resample("QS").mean()
    print(f"care from the run: per_operation_share {k_o}, at_full_stringency {k_s}, learning {learning} (sum of squared errors {err:.4f} over March-December 2020)")
    print("  care not given by quarter on the record's beds and stringency (model, NZa):")
    for q, row in by_quarter.iterrows():
        print(f"    {q.year}Q{q.quarter}: {row['model']:.3f} {row['record']:.3f}")


def observed(series: str, periods: List[str]) -> np.ndarray:
    obs = af.observed.economy_netherlands()
    rows = obs[(obs.series == series) & obs.period.isin(periods)]
    return rows.set_index("period").loc[periods, "value"].to_numpy(float)


def labour(fitted: Dict[str, Any]) -> Dict[str, Any]:
    """Labour hoarding and the labour market's leave share and return rate, fitted on CBS's
    2020Q2-Q4 unemployment rates; the fitted values."""
    quarters = QUARTERS[1:]
    rates = observed("unemployment_rate_sa", quarters)
    dated = fitted["impacts"]["economy"]["dated"]
    if "labour_market" not in dated:
        # The extra unemployed scale exactly with 1 - h (the lag is linear): closed form.
        u0 = 100.0 * dated["unemployment_rate"]
        at_zero = economy(with_dated(fitted, labour_hoarding=0.0)).by_quarter()
        extra = np.array([at_zero.loc[q, "unemployment_rate_pct"] - u0 for q in quarters])
        hoarding = float(np.clip(1.0 - extra @ (rates - u0) / (extra @ extra), 0.0, 1.0))
        print(f"labour_hoarding {hoarding:.3f} (extra unemployment at 0: {np.round(extra, 2)} points)")
        return {"labour_hoarding": round(hoarding, 3)}
    market = dated["labour_market"]

    def fit(grid: Any) -> Any:
        best: Any = (np.inf, None, None)
        for h, phi, r in grid:
            cal = with_dated(fitted, labour_hoarding=float(h), labour_market={**market, "leave_share": float(phi), "return_per_day": float(r)})
            table = economy(cal).by_quarter()
            model = np.array([table.loc[q, "unemployment_rate_pct"] for q in quarters])
            err = float(np.sum((model - rates) ** 2))
            if err < best[0]:
                best = (err, (round(float(h), 3), round(float(phi), 3), round(float(r), 5)), model)
        return best

    # A coarse grid, then steps of 0.05 (h, phi) and 4/3 (r) around its best.
    best = fit(itertools.product(np.arange(0.0, 0.91, 0.1), np.arange(0.0, 1.01, 0.25), [1 / 30, 1 / 60, 1 / 120]))
    h0, phi0, r0 = best[1]
    near = itertools.product(
        [h for h in np.arange(h0 - 0.05, h0 + 0.051, 0.05) if 0.0 <= h < 1.0],
        [p for p in np.arange(phi0 - 0.1, phi0 + 0.101, 0.05) if -1e-9 <= p <= 1.0 + 1e-9],
        [r0 * 0.75, r0, r0 / 0.75],
    )
    best = min(best, fit((h, min(max(p, 0.0), 1.0), r) for h, p, r in near), key=lambda b: b[0])
    (h, phi, r), model = best[1], best[2]
    print(f"labour_hoarding {h}, leave_share {phi}, return_per_day {r} (1/{1 / r:.0f}): 2020Q2-Q4 {np.round(model, 2)} against {rates} (squared error {best[0]:.3f} points^2)")
    return {"labour_hoarding": h, "labour_market": {**market, "leave_share": phi, "return_per_day": r}}


IMPACTS = Path(__file__).resolve().parents[1] / "data/netherlands/impacts.json"


def data_file() -> Dict[str, Any]:
    """The calibration with the data file being calibrated (the embedded one once rebuilt)."""
    base = af.Calibration.netherlands().to_dict()
    base["impacts"] = json.loads(IMPACTS.read_text())
    return base


def main() -> None:
    if "--labour" in sys.argv[1:]:
        print(json.dumps(labour(data_file())))
        return
    base = data_file()
    obs = af.observed.economy_netherlands()

    # 0. Scaled-down care from the run's beds and measures (it moves section Q, so it comes first).
    fit_care(base)

    # 1. Value added: fear of the epidemic, catch-up and (with --adaptation) the adaptation to
    # closures, on the 2020 quarters of GDP and the 2020 years of horeca and of culture,
    # recreation and other services.
    qoq_obs = observed("gdp_volume_qoq", QUARTERS[1:])
    years = [("gdp_volume_annual", "2020")] + [(series, "2020") for series in SECTION_YEARS]
    years_obs = np.array([observed(series, [period])[0] for series, period in years])

    def va_error(cal: Dict[str, Any]) -> float:
        table = economy(cal).compare(obs)
        qoq = table[(table.series == "gdp_volume_qoq") & table.period.isin(QUARTERS[1:])]
        model = qoq.set_index("period").loc[QUARTERS[1:], "model"].to_numpy(float)
        by_year = table.set_index(["series", "period"])["model"]
        annual = np.array([float(by_year.loc[key]) for key in years])
        return float(np.sum((model - qoq_obs) ** 2) + np.sum((annual - years_obs) ** 2))

    def search(cal: Dict[str, Any], grid: Any) -> "tuple[float, Dict[str, Any]]":
        best: Any = (np.inf, None)
        for values in grid:
            err = va_error(with_dated(cal, **values))
            if err < best[0]:
                best = (err, values)
        return best

    def fear_and_catch_up(cal: Dict[str, Any]) -> "tuple[float, Dict[str, Any]]":
        grid = itertools.product([0.0, 0.25, 0.5, 0.75, 1.0], [0.5, 1.0, 2.0, 5.0, 10.0], [0.0, 0.25, 0.5, 0.75], [30.0, 90.0])
        return search(
            cal,
            (
                dict(fear_max=f, fear_deaths_scale=s, catch_up_share=c, catch_up_days=d)
                for f, s, c, d in grid
                if not (f == 0.0 and s != 0.5) and not (c == 0.0 and d != 30.0)  # the same run as one tried
            ),
        )

    def adaptation(cal: Dict[str, Any]) -> "tuple[float, Dict[str, Any]]":
        # One share for the sections whose closed trade needs its customers present (horeca,
        # culture and recreation, personal services: fitted on their own 2020 years), one for the
        # rest (on the GDP quarters), and the days in which it is learned.
        source = base["impacts"]["economy"]["dated"]["adaptation"]["source"]
        grid = itertools.product([0.0, 0.2, 0.4, 0.6, 0.8, 1.0], [0.0, 0.2, 0.4, 0.6], [30.0, 60.0, 90.0, 180.0])
        return search(
            cal,
            (
                {"adaptation": {"source": source, "share": a, "closure_days": t, "sections": {code: p for code in PRESENCE_SECTIONS}}}
                for a, p, t in grid
            ),
        )

    def fear_habituation(cal: Dict[str, Any]) -> "tuple[float, Dict[str, Any]]":
        # People get used to the epidemic: fear with its habituation, no habituation among the
        # candidates.
        curves = [None] + [(a, t) for a in [0.25, 0.5, 0.75, 1.0] for t in [10.0, 30.0, 90.0, 180.0]]
        return search(
            cal,
            [
                dict(fear_max=f, fear_deaths_scale=x, fear_habituation=None if c is None else {"source": FEAR_HABITUATION_SOURCE, "share": c[0], "days": c[1]})
                for f in [0.25, 0.5, 0.75, 1.0]
                for x in [0.5, 1.0, 2.0, 5.0, 10.0]
                for c in curves
            ],
        )

    # The searches in turn, each holding the others' values and taking its best candidate only if
    # it lowers the error, pass after pass until a pass lowers it no more: the error falls with
    # every change and the grids are finite, so the passes end, and the values they end on are a
    # fixed point: run again on the data file they were written to, the script gives them back.
    searches = [("fear and catch-up", fear_and_catch_up)]
    if "--adaptation" in sys.argv[1:]:
        searches.append(("adaptation", adaptation))
    if "--fear-habituation" in sys.argv[1:]:
        searches.append(("fear with habituation", fear_habituation))
    fitted = base
    error = va_error(fitted)
    print(f"value added with the data file's values: sum of squared errors {error:.4f} points^2")
    for n in itertools.count(1):
        before = error
        for name, fit in searches:
            found = fit(fitted)
            if found[0] < error:
                fitted, error = with_dated(fitted, **found[1]), found[0]
                print(f"  pass {n}, {name}: {found[1]} (sum of squared errors {error:.4f} points^2)")
        if error >= before:
            break
    step1 = ["fear_max", "fear_deaths_scale", "catch_up_share", "catch_up_days", "adaptation", "fear_habituation"]
    best = (error, {k: fitted["impacts"]["economy"]["dated"].get(k) for k in step1})
    print(f"value added: {best[1]} (sum of squared errors {best[0]:.4f} points^2, {n} passes)")

    # 2. NOW paid advances on the loss firms expected: r from the NOW 2 settlements.
    def scheme(cal: Dict[str, Any], name: str) -> Dict[str, Any]:
        return next(s for s in cal["impacts"]["economy"]["dated"]["schemes"] if s["name"] == name)

    def now_june_september(cal: Dict[str, Any]) -> float:
        return float(economy(cal).by_day().loc["2020-06-01":"2020-09-30", "NOW"].sum())

    def expected_loss_factor(cal: Dict[str, Any]) -> float:
        settled = copy.deepcopy(cal)
        scheme(settled, "NOW").update(expected_loss_factor=1.0, advance=1.0, take_up=1.0)
        subsidy = now_june_september(settled)
        ratios = {}
        for r in np.arange(1.0, 4.01, 0.05):
            trial = copy.deepcopy(cal)
            scheme(trial, "NOW").update(expected_loss_factor=float(round(r, 2)), take_up=1.0)
            ratios[float(round(r, 2))] = now_june_september(trial) / subsidy
            if ratios[float(round(r, 2))] > NOW2_ADVANCE_OVER_SETTLED + 0.1:
                break  # the ratio rises with r
        r_now = min(ratios, key=lambda r: abs(ratios[r] - NOW2_ADVANCE_OVER_SETTLED))
        print(f"  NOW expected_loss_factor {r_now}: advances / settled subsidy June-September 2020 {ratios[r_now]:.3f}")
        return r_now

    # 2a. The spread of firms' losses, with r for each spread, on the 2020 quarters of NOW.
    now_obs = observed("support_outlays_NOW", QUARTERS)
    spreads = {}
    for sigma in [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]:
        trial = with_dated(fitted, loss_spread=sigma)
        r_now = expected_loss_factor(trial)
        scheme(trial, "NOW").update(expected_loss_factor=r_now, take_up=1.0)
        model = economy(trial).by_quarter().loc[QUARTERS, "NOW_bn"].to_numpy(float)
        take = min(1.0, float(model @ now_obs / (model @ model)))
        err = float(np.sum((take * model - now_obs) ** 2))
        spreads[sigma] = (err, r_now, take, model)
        print(f"loss_spread {sigma}: NOW 2020 quarters at take-up 1 {np.round(model, 2)}, take-up {take:.3f}, squared error {err:.2f} bn^2")
    sigma = min(spreads, key=lambda k: spreads[k][0])
    print(f"loss_spread {sigma}, NOW expected_loss_factor {spreads[sigma][1]}")
    fitted = with_dated(fitted, loss_spread=sigma)
    scheme(fitted, "NOW")["expected_loss_factor"] = spreads[sigma][1]

    # 3. Tozo's threshold.
    observed_tozo = observed("support_outlays_Tozo", QUARTERS).sum()

    def tozo_2020(cal: Dict[str, Any]) -> float:
        trial = copy.deepcopy(cal)
        scheme(trial, "Tozo")["take_up"] = 1.0
        return float(economy(trial).by_quarter().loc["2020Q1":"2020Q4", "Tozo_bn"].sum())

    # The largest threshold that pays the outlays at take-up 1, whatever the assumed one pays.
    paid = {}
    for theta in np.arange(0.05, 0.901, 0.025):
        trial = copy.deepcopy(fitted)
        for p in scheme(trial, "Tozo")["periods"]:
            p["min_revenue_loss"] = float(round(theta, 3))
        paid[float(round(theta, 3))] = tozo_2020(trial)
    theta_tozo = max((t for t in paid if paid[t] >= observed_tozo), default=min(paid))
    print(f"Tozo threshold {theta_tozo}: EUR {paid[theta_tozo]:.2f} bn in 2020 at take-up 1 (grid {paid})")
    for p in scheme(fitted, "Tozo")["periods"]:
        p["min_revenue_loss"] = theta_tozo

    # 4. Take-up of the schemes.
    unit = copy.deepcopy(fitted)
    for s in unit["impacts"]["economy"]["dated"]["schemes"]:
        s["take_up"] = 1.0
    eco = economy(unit)
    quarters = eco.by_quarter().loc["2020Q1":"2020Q4"]
    take_up: Dict[str, float] = {}
    for name in ("NOW", "Tozo"):
        take_up[name] = float(observed(f"support_outlays_{name}", QUARTERS).sum() / quarters[f"{name}_bn"].sum())
    design = np.column_stack([quarters["TOGS_bn"].to_numpy(), quarters["TVL_bn"].to_numpy()])
    (togs, tvl), *_ = np.linalg.lstsq(design, observed("support_outlays_TOGS_TVL", QUARTERS), rcond=None)
    take_up["TOGS"], take_up["TVL"] = float(togs), float(tvl)
    # Tax deferral: the threshold and the expected loss factor (firms applied on the payment
    # problems they expected, as NOW's advances on the expected loss), with the take-up, on the two
    # 2020 figures of the deferred stock: the take-up from mid-June, threshold and factor from
    # mid-October (grids 0.2-0.5 and 1-3).
    deferral: Dict[Any, Any] = {}
    for theta, r in itertools.product(np.arange(0.2, 0.501, 0.05), [1.0, 1.5, 2.0, 2.5, 3.0]):
        trial = copy.deepcopy(unit)
        scheme(trial, "tax_deferral")["expected_loss_factor"] = r
        for p in scheme(trial, "tax_deferral")["periods"]:
            p["min_revenue_loss"] = float(round(theta, 2))
        stock = economy(trial).by_day()["tax_deferral"].cumsum()
        take = DEFERRED_BY_MID_JUNE / float(stock.loc["2020-06-15"])
        june, october = min(1.0, take) * float(stock.loc["2020-06-15"]), min(1.0, take) * float(stock.loc["2020-10-15"])
        err = np.log(june / DEFERRED_BY_MID_JUNE) ** 2 + np.log(october / OUTSTANDING_MID_OCTOBER) ** 2
        deferral[(float(round(theta, 2)), r)] = (err, take, october)
        print(f"  tax deferral threshold {theta:.2f}, expected loss factor {r}: take-up {take:.3f}, stock mid-June 2020 EUR {june / 1e9:.2f} bn, mid-October {october / 1e9:.2f} bn")
    theta_deferral, r_deferral = min(deferral, key=lambda t: deferral[t][0])
    take_up["tax_deferral"] = deferral[(theta_deferral, r_deferral)][1]
    print(f"tax deferral threshold {theta_deferral}, expected_loss_factor {r_deferral}")
    scheme(fitted, "tax_deferral")["expected_loss_factor"] = r_deferral
    for p in scheme(fitted, "tax_deferral")["periods"]:
        p["min_revenue_loss"] = theta_deferral
    print("take-up at 1 -> fitted (before the cap at 1):", {k: round(v, 3) for k, v in take_up.items()})
    for s in fitted["impacts"]["economy"]["dated"]["schemes"]:
        s["take_up"] = float(min(1.0, max(0.0, round(take_up[s["name"]], 3))))

    # 5. Bankruptcies: the critical buffer and the tax office's stopped petitions.
    months = obs[obs.series == "bankruptcies_companies_monthly_sessionday_corrected"]
    months = months[months.period.between("2020-04", "2020-12")]
    target = np.log(np.append(months["value"].to_numpy(float), observed("bankruptcies_companies", ["2020"])))
    found = (np.inf, 0.0, 0.0, 0.0)
    for rho, c0 in itertools.product([0.05, 0.1, 0.2, 0.3, 0.5], [5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 90.0]):
        for share in np.arange(0.0, 0.91, 0.1):
            trial = with_dated(fitted, deferral_petition_share=float(round(share, 2)), refill_per_day=rho)
            trial["impacts"]["economy"]["dated"]["firms"]["critical_buffer_days"] = c0
            eco = economy(trial)
            b = eco.by_day()["bankruptcies"]
            year = float(eco.by_year().loc["2020", "bankruptcies"])
            model = np.log([b[p].sum() for p in months["period"]] + [year])
            err = float(np.sum((model - target) ** 2))
            if err < found[0]:
                found = (err, c0, float(round(share, 2)), rho)
    print(
        f"critical_buffer_days {found[1]}, deferral_petition_share {found[2]}, refill_per_day {found[3]}"
        f" (sum of squared log errors {found[0]:.3f})"
    )
    fitted = with_dated(fitted, deferral_petition_share=found[2], refill_per_day=found[3])
    fitted["impacts"]["economy"]["dated"]["firms"]["critical_buffer_days"] = found[1]

    # 6. Labour hoarding and the labour market's flows, on CBS's 2020Q2-Q4 unemployment rates.
    labour_values = labour(fitted)
    dated = fitted["impacts"]["economy"]["dated"]
    dated.update(labour_values)
    print(
        json.dumps(
            {
                **best[1],
                "care_from_run": next(s for s in dated["demand_shocks"] if s["name"] == "care_scaled_down")["from_run"],
                "loss_spread": sigma,
                **labour_values,
                "take_up": {s["name"]: s["take_up"] for s in dated["schemes"]},
                "NOW_expected_loss_factor": scheme(fitted, "NOW")["expected_loss_factor"],
                "Tozo_min_revenue_loss": scheme(fitted, "Tozo")["periods"][0]["min_revenue_loss"],
                "tax_deferral_min_revenue_loss": theta_deferral,
                "tax_deferral_expected_loss_factor": r_deferral,
                "critical_buffer_days": found[1],
                "deferral_petition_share": found[2],
                "refill_per_day": found[3],
            }
        )
    )
    if "--write" in sys.argv[1:]:
        impacts = json.loads(IMPACTS.read_text())
        impacts["economy"]["dated"] = dated
        IMPACTS.write_text(json.dumps(impacts, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {IMPACTS}")


if __name__ == "__main__":
    main()
