"""Where the 2020 support outlays of the dated economy come from, by quarter and by section, at
take-up 1 (issue 19; findings in docs/economy_2020_2021.md).

    .venv/bin/python scripts/diagnose_economy_2020.py [impacts.json]

Runs the Dutch epidemic as it happened (``af.replay.fitted_run``) to 31 December 2020 with the calibration's economy (or the given
impacts file) and prints, per quarter, each section's value added against normal and what NOW
and TVL pay it. A section's share is measured with the engine itself: the run is repeated with
only that section's wage bill (NOW) or fixed costs (TVL) left in, so nothing of the scheme's rules
is written out again here.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any, Dict

import pandas as pd

import afweging as af

UNTIL = "2020-12-31"
QUARTERS = ["2020Q1", "2020Q2", "2020Q3", "2020Q4"]


def economy(cal_data: Dict[str, Any]) -> af.economy.EconomyByDay:
    cal = af.Calibration.from_json(cal_data)
    return af.replay.fitted_run(until=UNTIL, calibration=cal).impacts.economy


def main() -> None:
    base = af.Calibration.netherlands().to_dict()
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "data/netherlands/impacts.json"
    base["impacts"] = json.loads(path.read_text())
    for s in base["impacts"]["economy"]["dated"]["schemes"]:
        s["take_up"] = 1.0
    whole = economy(base).by_quarter().loc[QUARTERS]
    obs = af.observed.economy_netherlands()
    print("take-up 1, EUR bn by quarter (CBS in brackets):")
    for name, series in [("NOW", "NOW"), ("TOGS", "TOGS_TVL"), ("TVL", None), ("Tozo", "Tozo")]:
        row = whole[f"{name}_bn"]
        cbs = obs[(obs.series == f"support_outlays_{series}") & obs.period.isin(QUARTERS)].set_index("period")["value"] if series else None
        cells = [f"{q} {row[q]:.2f}" + (f" ({cbs.get(q, float('nan')):.1f})" if cbs is not None else "") for q in QUARTERS]
        print(f"  {name:5s} " + "  ".join(cells) + f"  year {row.sum():.2f}")
    sections = [s["code"] for s in base["impacts"]["economy"]["sections"]]
    rows = []
    for code in sections:
        only = copy.deepcopy(base)
        for s in only["impacts"]["economy"]["sections"]:
            if s["code"] != code:
                s["labour_share"] = 0.0
                s["fixed_cost_share"] = 0.0
        q = economy(only).by_quarter().loc[QUARTERS]
        for quarter in QUARTERS:
            rows.append(
                {
                    "section": code,
                    "quarter": quarter,
                    "va_pct": whole.loc[quarter, f"va_{code}_vs_normal_pct"],
                    "NOW_bn": q.loc[quarter, "NOW_bn"],
                    "TVL_bn": q.loc[quarter, "TVL_bn"],
                }
            )
    table = pd.DataFrame(rows)
    for column in ("va_pct", "NOW_bn", "TVL_bn"):
        wide = table.pivot(index="section", columns="quarter", values=column).loc[sections]
        print(f"\n{column} by section and quarter:")
        print(wide.round(2).to_string())


if __name__ == "__main__":
    main()
