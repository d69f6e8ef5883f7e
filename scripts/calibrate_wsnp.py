"""Calibrates the Wsnp admissions (``society.debt_restructuring`` of data/netherlands/impacts.json)
on 2020 only; 2021 is held out for the test (tests/test_society_2020_2021.py). Prints the share of
admissions that eased collection held off, to write into ``eased[0].share``.

    .venv/bin/python scripts/calibrate_wsnp.py

Runs the Dutch epidemic as it happened (``af.replay.fitted_run``: the timeline under the replay
scenario fitted to the record) from 27 February to 31 December 2020 with no easing.
Admissions are linear in ``1 - s`` on the eased days (``src/impacts/debt_restructuring.rs``), so
the 2020 total ``N + (1 - s) E`` (``N``: days without easing, January and February at the trend
included; ``E``: the eased days without easing) meets the observed 2,995 (CBS) at
``s = 1 - (2995 - N) / E``.
"""

from __future__ import annotations

import afweging as af

UNTIL = "2020-12-31"


def main() -> None:
    data = af.Calibration.netherlands().to_dict()
    wsnp = data["impacts"]["society"]["debt_restructuring"]
    eased_from = wsnp["eased"][0]["from"]
    for period in wsnp["eased"]:
        period["share"] = 0.0
    cal = af.Calibration.from_json(data)
    economy = af.replay.fitted_run(until=UNTIL, calibration=cal).impacts.economy
    observed = af.observed.economy_netherlands()
    target = float(observed[(observed.series == "wsnp_admissions") & (observed.period == "2020")]["value"].iloc[0])
    year = economy.by_year().loc["2020", "wsnp_admissions"]
    daily = economy.by_day()["wsnp_admissions"]
    eased = float(daily[daily.index >= eased_from].sum())
    share = 1.0 - (target - (year - eased)) / eased
    print(f"2020 without easing: {year:,.0f} admissions (observed {target:,.0f}); eased days {eased:,.0f}")
    print(f"eased[0].share = {share:.3f}")


if __name__ == "__main__":
    main()
