"""Prints the backtest tables of docs/economy_2020_2021.md (markdown): the model's economy by
quarter and every observed figure next to the model, for the Dutch epidemic as it happened
(``af.replay.fitted_run``: the timeline under the replay scenario fitted to the record) from 27
February 2020 to 31 December 2021 with the default calibration (what tests/test_economy.py holds against CBS).

    .venv/bin/python scripts/economy_tables.py
"""

from __future__ import annotations

import afweging as af

COLUMNS = [
    ("VA %", "value_added_vs_normal_pct"),
    ("horeca I %", "va_I_vs_normal_pct"),
    ("industry C %", "va_C_vs_normal_pct"),
    ("real estate L %", "va_L_vs_normal_pct"),
    ("care Q %", "va_Q_vs_normal_pct"),
    ("unemployment %", "unemployment_rate_pct"),
    ("bankruptcies", "bankruptcies"),
    ("NOW", "NOW_bn"),
    ("TOGS", "TOGS_bn"),
    ("TVL", "TVL_bn"),
    ("Tozo", "Tozo_bn"),
    ("tax deferred", "tax_deferral_bn"),
    ("lost tax", "lost_tax_bn"),
]


def main() -> None:
    run = af.replay.fitted_run(until="2021-12-31")
    quarters = run.impacts.economy.by_quarter()
    print("| quarter | " + " | ".join(c for c, _ in COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    for q, row in quarters.iterrows():
        cells = [f"{row[k]:.0f}" if k == "bankruptcies" else f"{row[k]:.2f}" for _, k in COLUMNS]
        print(f"| {q} | " + " | ".join(cells) + " |")
    print()
    table = run.impacts.compare(af.observed.economy_netherlands())
    print("| series | period | observed | model | difference | whole period in run |")
    print("|---|---|---|---|---|---|")
    for _, r in table.iterrows():
        whole = "yes" if r["in_run"] else "no"
        print(f"| {r['series']} | {r['period']} | {r['observed']:g} | {r['model']:.2f} | {r['difference']:+.2f} | {whole} |")


if __name__ == "__main__":
    main()
