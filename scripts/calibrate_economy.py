"""Calibrates the dated economy (``economy.dated`` of data/netherlands/impacts.json) on 2020 only;
2021 is held out for the test (tests/test_economy.py). Prints the values to write into the data
file, with what they were fitted on.

    .venv/bin/python scripts/calibrate_economy.py

* take-up of NOW and Tozo: outlays are proportional to take-up, so take-up = observed 2020 outlays
  (CBS, sum of the quarters) / outlays at take-up 1;
* take-up of TOGS and TVL: least squares on the four 2020 quarters of the observed TOGS+TVL sum;
* take-up of tax deferral: EUR 10 bn deferred by 15 June 2020 (Ministry of Finance, via rd.nl);
* hazard_sensitivity and deferral_petition_share: grid search on the monthly bankruptcies of
  April-December 2020 (CBS 83085NED, session-day corrected), least squares on the log counts.
"""

from __future__ import annotations

import copy
import json
from typing import Any, Dict

import numpy as np

import afweging as af

START, UNTIL = "2020-03-01", "2020-12-31"
DEFERRED_BY_MID_JUNE = 10e9  # EUR, Ministry of Finance via rd.nl, 2020-06


def economy(cal_data: Dict[str, Any]) -> af.economy.EconomyByDay:
    cal = af.Calibration.from_json(cal_data)
    return af.Timeline.netherlands().run(start=START, until=UNTIL, calibration=cal).impacts.economy


def main() -> None:
    base = af.Calibration.netherlands().to_dict()
    dated = base["impacts"]["economy"]["dated"]
    names = [s["name"] for s in dated["schemes"]]
    unit = copy.deepcopy(base)
    for s in unit["impacts"]["economy"]["dated"]["schemes"]:
        s["take_up"] = 1.0
    eco = economy(unit)
    quarters = eco.by_quarter().loc["2020Q1":"2020Q4"]
    obs = af.observed.economy_netherlands()

    def observed(series: str) -> np.ndarray:
        rows = obs[(obs.series == series) & obs.period.str.match(r"2020Q\d")]
        return rows.set_index("period").loc[["2020Q1", "2020Q2", "2020Q3", "2020Q4"], "value"].to_numpy(float)

    take_up: Dict[str, float] = {}
    for name in ("NOW", "Tozo"):
        take_up[name] = float(observed(f"support_outlays_{name}").sum() / quarters[f"{name}_bn"].sum())
    design = np.column_stack([quarters["TOGS_bn"].to_numpy(), quarters["TVL_bn"].to_numpy()])
    (togs, tvl), *_ = np.linalg.lstsq(design, observed("support_outlays_TOGS_TVL"), rcond=None)
    take_up["TOGS"], take_up["TVL"] = float(togs), float(tvl)
    daily = eco.by_day()
    deferred = float(daily.loc[:"2020-06-15", "tax_deferral"].sum())
    take_up["tax_deferral"] = DEFERRED_BY_MID_JUNE / deferred
    print("take-up at 1 -> fitted:", {k: round(v, 3) for k, v in take_up.items()})

    fitted = copy.deepcopy(base)
    for s in fitted["impacts"]["economy"]["dated"]["schemes"]:
        s["take_up"] = min(1.0, round(take_up[s["name"]], 3))
    months = obs[obs.series == "bankruptcies_companies_monthly_sessionday_corrected"]
    months = months[months.period.between("2020-04", "2020-12")]
    target = np.log(months["value"].to_numpy(float))
    best = (np.inf, 0.0, 0.0)
    for beta in np.arange(0.0, 4.01, 0.25):
        for share in np.arange(0.0, 0.91, 0.05):
            trial = copy.deepcopy(fitted)
            trial["impacts"]["economy"]["dated"]["hazard_sensitivity"] = float(beta)
            trial["impacts"]["economy"]["dated"]["deferral_petition_share"] = float(round(share, 2))
            b = economy(trial).by_day()["bankruptcies"]
            model = np.log([b[p].sum() for p in months["period"]])
            err = float(np.sum((model - target) ** 2))
            if err < best[0]:
                best = (err, float(beta), float(round(share, 2)))
    print(f"hazard_sensitivity {best[1]}, deferral_petition_share {best[2]} (sum of squared log errors {best[0]:.3f})")
    print(json.dumps({"take_up": {n: fitted_take_up(fitted, n) for n in names}, "hazard_sensitivity": best[1], "deferral_petition_share": best[2]}))


def fitted_take_up(cal: Dict[str, Any], name: str) -> float:
    return float(next(s["take_up"] for s in cal["impacts"]["economy"]["dated"]["schemes"] if s["name"] == name))


if __name__ == "__main__":
    main()
