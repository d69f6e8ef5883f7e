"""Re-measures the lever table of docs/regions_and_preparedness.md: `ongunstig`, `signal-values`,
365 days, each lever ordered from the level named, on the default calibration and on an unprepared
one (`capacity.icu_scaled` = `icu_normal`). Run with the installed package:
`.venv/bin/python scripts/preparedness_table.py`."""

from __future__ import annotations

import json

import afweging as af

ROWS = [
    ("none", None, None),
    ("`icu_opschaling_2400` (zorgelijk)", "icu_opschaling_2400", "zorgelijk"),
    ("`icu_opschaling_2400` (ernstig)", "icu_opschaling_2400", "ernstig"),
    ("`kliniek_opschaling_4000` (ernstig)", "kliniek_opschaling_4000", "ernstig"),
    ("`zorg_thuis` (zorgelijk)", "zorg_thuis", "zorgelijk"),
    ("`testcapaciteit_opschaling` (zorgelijk)", "testcapaciteit_opschaling", "zorgelijk"),
    ("`vaccinatie_versnelling` (zorgelijk)", "vaccinatie_versnelling", "zorgelijk"),
]
UNPREPARED = [
    ("unprepared (`icu_scaled` 600): none", None, None),
    ("unprepared: `icu_opschaling_1350` (ernstig)", "icu_opschaling_1350", "ernstig"),
    ("unprepared: `icu_opschaling_1700` (ernstig)", "icu_opschaling_1700", "ernstig"),
    ("unprepared: `icu_opschaling_2400` (ernstig)", "icu_opschaling_2400", "ernstig"),
]


def unprepared() -> af.Calibration:
    d = af.Calibration.netherlands().to_dict()
    d["capacity"]["icu_scaled"] = d["capacity"]["icu_normal"]
    return af.Calibration.from_json(json.dumps(d))


def main() -> None:
    plans = af.SectorPlans.netherlands()
    valuation = af.Valuation.netherlands()
    scenario = af.Scenario.preset("ongunstig")
    print("| lever (from level) | deaths | ICU days above capacity | postponed care QALYs (of which scale-up) "
          "| operations postponed | cost | monetised |")
    print("|---|---|---|---|---|---|---|")
    for cal, rows in [(af.Calibration.netherlands(), ROWS), (unprepared(), UNPREPARED)]:
        model = af.Model(cal, scenario)
        for label, lever, level in rows:
            levers = {lever: level} if lever else None
            run = model.run(plans.policy("signal-values", levers=levers), days=365)
            imp = run.impacts
            care = imp["postponed_care_qalys_lost"]
            scale_up = f" ({imp['postponed_care_qalys_lost_to_scale_up']:,.0f})" if lever and lever.startswith(("icu_", "kliniek_")) else ""
            cost = imp["preparedness_cost"] if lever else 0.0
            total = valuation.monetise(run, cal)["eur"].sum()
            print(f"| {label} | {imp['deaths']:,.0f} | {imp['days_icu_above_scaled']:.0f} | {care:,.0f}{scale_up} "
                  f"| {imp['operations_postponed']:,.0f} | EUR {cost / 1e6:,.0f} mln | EUR {total / 1e9:.1f} bn |")


if __name__ == "__main__":
    main()
