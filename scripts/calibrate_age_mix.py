"""Calibrates the factors on the relative susceptibility of the old at large in the replay
(``fitted`` of python/afweging/data/replay/susceptibility.json) on the first wave's hospital
admissions by age. Prints the values to write into the data file; then rerun
scripts/calibrate_nursing_homes.py (the residents meet carers of 20-69, whose infections change).

    .venv/bin/python scripts/calibrate_age_mix.py

The first wave is fitted as the replay fits it (NICE admissions and ICU occupancy, 27 February
through 15 April 2020) with ``age_mix``: the admissions by age the GGDs had notified by 15 April
2020 (RIVM daily report, :func:`afweging.observed.admissions_by_age`), held against the model's
admissions by band through that day by a multinomial likelihood, which frees one factor per group
of :data:`afweging.replay.AGE_GROUPS` (60-79 and 80+). The calibration starts from the file's
``sourced`` factors (the young's, Davies et al. 2020) and none for the old.
The severity factor is held at 1 (``free`` without ``severity``): with it free, the age mix drew
the fit to a mode where most of the country was infected by June 2020, against a seroprevalence of
about 3%. The second wave's admissions by age are held out (tests/test_replay.py).
"""

from __future__ import annotations

import afweging as af
from afweging import observed, replay, timeline


def main() -> None:
    obs = af.observed.netherlands()
    sourced = timeline.replay_susceptibility(fitted=False)
    cal = timeline.replay_calibration(susceptibility=sourced)
    fit = af.fit(
        obs.loc[:"2020-04-15"],
        calibration=cal,
        scenario=timeline.replay_scenario(cal),
        age_mix=observed.admissions_by_age("first_wave_to_2020-04-15"),
        free=("seed", "icu_ratio"),
    )
    print(fit.params.loc[[f"susceptibility_{g}" for g in replay.AGE_GROUPS]].round(3))
    factors = {}
    for group, bands in replay.AGE_GROUPS.items():
        for band in bands:
            factors[band] = round(float(fit.params.loc[f"susceptibility_{group}", "estimate"]), 2)
    print(f"fitted: {factors} (on top of the sourced {sourced})")


if __name__ == "__main__":
    main()
