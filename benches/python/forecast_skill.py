"""Forecast skill of the replay (issue 18): fit to a window, forecast four weeks ahead, and count
how often what happened fell inside the prediction intervals.

    python benches/python/forecast_skill.py [--draws 200] [--out docs/forecast_skill.md]

For each window end, :func:`afweging.fit` is fitted to NICE admissions and ICU occupancy from
2020-02-27 to that date (the defaults: Dutch timeline, transmission per period and every 14 days),
and :meth:`Fit.forecast` projects the 28 days after it. Reported per window and series: the
coverage of the 50% and 95% prediction intervals over the 28 days, and the error of the median's
28-day total against the observed total. Not part of the test command (it takes minutes).
"""

from __future__ import annotations

import argparse
import time
from typing import List

import numpy as np
import pandas as pd

import afweging as af

WINDOWS = [
    "2020-03-25",
    "2020-04-15",
    "2020-05-06",
    "2020-09-15",
    "2020-10-06",
    "2020-10-27",
    "2020-11-17",
    "2020-12-08",
    "2021-01-26",
    "2021-02-16",
    "2021-03-09",
    "2021-03-30",
    "2021-04-20",
    "2021-05-11",
    "2021-06-01",
]
COLUMNS = ("admissions", "icu_occupancy")
HORIZON = 28


def markdown(frame: pd.DataFrame) -> str:
    """A pipe table, numbers with two decimals."""
    cells = [[f"{v:.2f}" if isinstance(v, float) else str(v) for v in row] for row in frame.itertuples(index=False)]
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--out", default=None)
    parser.add_argument("--windows", nargs="*", default=WINDOWS, help="window ends (ISO dates)")
    args = parser.parse_args()
    obs = af.observed.netherlands()
    rows: List[dict] = []
    for end in args.windows:
        started = time.perf_counter()
        fit = af.fit(obs.loc[:end])
        seconds = time.perf_counter() - started
        until = (pd.Timestamp(end) + pd.Timedelta(days=HORIZON)).date().isoformat()
        fc = fit.forecast(until=until, draws=args.draws, seed=0)
        ahead = slice(fc.fitted_days, None)
        for column in COLUMNS:
            q = fc.quantiles(column)[:, ahead]
            seen = obs.loc[pd.Timestamp(end) + pd.Timedelta(days=1) : until, column].to_numpy(dtype=float)
            ok = ~np.isnan(seen)
            inside95 = ((seen >= q[0]) & (seen <= q[-1]))[ok].mean()
            inside50 = ((seen >= q[2]) & (seen <= q[4]))[ok].mean()
            median_total = q[3][ok].sum()
            rows.append(
                {
                    "window end": end,
                    "series": column,
                    "50% coverage": inside50,
                    "95% coverage": inside95,
                    "median / observed (28-day total)": median_total / seen[ok].sum(),
                    "fit seconds": seconds,
                }
            )
        print(rows[-2], rows[-1], flush=True)
    table = pd.DataFrame(rows)
    summary = table.groupby("series")[["50% coverage", "95% coverage"]].mean().reset_index()
    text = markdown(table) + "\n\nMean coverage over the windows:\n\n" + markdown(summary) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
