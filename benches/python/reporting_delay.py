"""The delay from a COVID-19 death to its report (issue 18), measured on the embedded record.

    python benches/python/reporting_delay.py

RIVM published deaths by day of report (``deaths`` table: ``deaths_new_reported``) and, per week,
by week of death (``excess_mortality`` table: ``rivm_covid_deaths_week``). Spreading each week of
death evenly over its days and delaying it by a discretised gamma (mean, sd) gives the reports
expected per week; the (mean, sd) with the least squared weekly error is the delay. Printed for the
first wave, the second and both (the default of :data:`afweging.observation.REPORTING`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from afweging import observed
from afweging.observation import Reporting

PERIODS = {"first wave": ("2020-03-09", "2020-07-01"), "second wave": ("2020-09-01", "2021-06-01"), "both": ("2020-03-09", "2021-06-01")}


def weekly_error(by_death: pd.Series, reported: pd.Series, mean: float, sd: float, period: tuple) -> float:
    """Root mean squared weekly error of reports expected with this delay."""
    days = pd.date_range(by_death.index[0], by_death.index[-1] + pd.Timedelta(days=6))
    daily = by_death.reindex(days, method="ffill") / 7.0
    weights = Reporting("deaths", delay_mean=mean, delay_sd=sd).delay_weights()
    expected = pd.Series(np.convolve(daily.to_numpy(), weights)[: len(daily)], index=days)
    weekly = dict(label="left", closed="left")
    both = pd.concat(
        [expected.resample("W-MON", **weekly).sum().rename("e"), reported.resample("W-MON", **weekly).sum().rename("r")], axis=1, sort=True
    ).dropna()
    both = both.loc[period[0] : period[1]]
    return float(np.sqrt(((both["e"] - both["r"]) ** 2).mean()))


def main() -> None:
    weeks = observed.table("excess_mortality").set_index("week_start")["rivm_covid_deaths_week"].dropna()
    reported = observed.table("deaths")["deaths_new_reported"].loc["2020-02-27":"2021-07-15"]
    for name, period in PERIODS.items():
        grid = [(weekly_error(weeks, reported, m, s, period), m, s) for m in np.arange(1.0, 8.0, 0.25) for s in (1, 2, 3, 4, 5, 6, 8)]
        error, mean, sd = min(grid)
        print(f"{name}: mean {mean:.2f} days, sd {sd} days (weekly RMSE {error:.1f} deaths)")


if __name__ == "__main__":
    main()
