"""Measures the presets' starting dynamics (data/scenarios.json): the doubling time of daily
infections early in a run without measures, and when admissions and ICU occupancy peak. The
figures are quoted in docs/model.md ("Where the presets start"); run it after changing a preset.

    .venv/bin/python scripts/rebase_presets.py
"""

from __future__ import annotations

import numpy as np

import afweging as af


def doubling_days(infections: np.ndarray) -> float:
    """Doubling time (days) of daily infections between days 3 and 10 (after the first days, in
    which the start's stages settle); negative: halving time."""
    rate = np.log(infections[10] / infections[3]) / 7.0
    return float(np.log(2.0) / rate)


def main() -> None:
    cal = af.Calibration.netherlands()
    print("preset          doubling  admissions peak     ICU peak")
    for name in af.Scenario.presets():
        run = af.Model(cal, af.Scenario.preset(name)).run(days=365)
        infections = np.asarray(run.infections).sum(axis=1)
        admissions = np.asarray(run.admissions).sum(axis=1)
        icu = np.asarray(run.icu_occupancy).sum(axis=1)
        print(
            f"{name:15s} {doubling_days(infections):8.1f} d  day {admissions.argmax():3d} {admissions.max():7.0f}/day"
            f"  day {icu.argmax():3d} {icu.max():7.0f}"
        )


if __name__ == "__main__":
    main()
