"""Calibrates the factor on the nursing-home residents' contacts (``contact_factor`` of
python/afweging/data/replay/nursing_homes.json) on their infections in the first wave; deaths are
held out for the test (tests/test_replay.py). Prints the value to write into the data file.

    .venv/bin/python scripts/calibrate_nursing_homes.py

Target: 12,450 residents with a confirmed (7,900) or suspected (4,550) infection by 19 May 2020
(RIVM, in the Minister of Health's letter to parliament, NL Times 20 May 2020). Residents were
tested, or suspected, for symptoms, so the target is the model's symptomatic infections of the
group (infections x (1 - asymptomatic share)) from 27 February through 19 May 2020. The first
wave is fitted once with the factor in the file (:func:`afweging.fit`, admissions and ICU
occupancy through 15 April 2020); the residents are 0.7% of the people and hardly admitted, so the
fit barely depends on the factor. The factor is then found by bisection on runs of the fitted
scenario, and the fit repeated with it to check.
"""

from __future__ import annotations

import copy
from typing import Any, Dict

import numpy as np
import pandas as pd

import afweging as af
from afweging import timeline

TARGET = 7_900 + 4_550  # residents confirmed or suspected by 19 May 2020
UNTIL = "2020-05-19"


def symptomatic(group: Dict[str, Any], fit: af.Fit) -> float:
    """Symptomatic infections of the residents in the fitted replay, 27 February through 19 May 2020."""
    cal = timeline.replay_calibration(group)
    days = (pd.Timestamp(UNTIL) - pd.Timestamp(str(fit.start))).days + 1
    run = af.Model(cal, fit.scenario).run(days=days, timeline=fit.timeline)
    return float(run.infections[:, -1].sum() * (1.0 - group["asymptomatic_share"]))


def main() -> None:
    obs = af.observed.netherlands()
    base = timeline.nursing_homes()
    for attempt in range(2):
        group = copy.deepcopy(base)
        cal = timeline.replay_calibration(base)
        fit = af.fit(obs.loc[:"2020-04-15"], calibration=cal, scenario=timeline.replay_scenario(cal))
        low, high = 0.1, 10.0
        for _ in range(40):
            mid = np.sqrt(low * high)
            group["contact_factor"] = mid
            if symptomatic(group, fit) < TARGET:
                low = mid
            else:
                high = mid
        factor = float(np.sqrt(low * high))
        group["contact_factor"] = factor
        print(f"pass {attempt}: with the file's factor {base['contact_factor']}, the fitted scenario needs {factor:.3f} "
              f"({symptomatic(group, fit):.0f} symptomatic residents by {UNTIL}; target {TARGET})")
        base["contact_factor"] = round(factor, 2)
    print(f"contact_factor: {base['contact_factor']}")


if __name__ == "__main__":
    main()
