"""Writes python/afweging/data/replay/fit_<UNTIL>.json: the replay scenario fitted (af.fit, its
defaults: admissions and ICU occupancy, transmission per period of the Dutch timeline and every 14
days, seed, severity, ICU ratio) to the observed data from 2020-02-27 through UNTIL, on the
nine-band calibration (Calibration.netherlands(), the one the impacts and the sequential tree run
on), not the replay's default with nursing homes as a tenth band.

Two fits are stored, because each takes minutes and what reads them must take less than one:
- 2020-09-30: what a crisis team could know on 1 October 2020; the sequential decision notebook
  (notebooks/12_sequential_decisions.ipynb) starts its branches from it;
- 2021-12-31: the Dutch epidemic of 2020-2021 as it happened, which the economy and society of
  2020-2021 run on (af.replay.fitted_scenario(), docs/economy_2020_2021.md).

The fit is deterministic; rerun this script after a change to the model or the observed data,
then update SHA256SUMS there.

    .venv/bin/python scripts/fit_replay.py 2021-12-31
"""

from __future__ import annotations

import hashlib
import json
import pathlib
import sys
import time
from typing import TYPE_CHECKING

import afweging as af

if TYPE_CHECKING:
    import pandas as pd

DATA = pathlib.Path(__file__).resolve().parents[1] / "python" / "afweging" / "data" / "replay"
#: The last day of the NICE snapshot's final figures (docs/observed.md).
NICE_FINAL = "2021-07-01"


def observations(until: str) -> "pd.DataFrame":
    """The observed admissions and ICU occupancy through ``until``: NICE's through 2021-07-01;
    after it, admissions are LCPS's new ward plus ICU admissions (rebuilt from OWID's 7-day sums,
    docs/observed.md), which over the overlap 2020-10-17 .. 2021-07-01 sum to 57,197 against
    NICE's 56,547 (ratio 0.989, not rescaled), and ICU occupancy is not observed: the later LCPS
    vintage counts about half of what the 2021 vintage counted for the same days (a definition
    change), so it is not spliced on."""
    obs = af.observed.netherlands().loc[:until, ["admissions", "icu_occupancy"]].copy()
    hospital = af.observed.table("hospital")
    lcps = (hospital["lcps_ward_adm"] + hospital["lcps_icu_adm"]).reindex(obs.index)
    after = obs.index > NICE_FINAL
    obs.loc[after, "admissions"] = lcps[after]
    obs.loc[after, "icu_occupancy"] = float("nan")
    return obs


def main(until: str) -> None:
    out = DATA / f"fit_{until}.json"
    obs = observations(until)
    start = time.perf_counter()
    cal = af.Calibration.netherlands()
    fit = af.fit(obs, calibration=cal, scenario=af.replay.replay_scenario())
    seconds = time.perf_counter() - start
    params = fit.params
    record = {
        "description": (
            f"afweging.fit(observations('{until}'), calibration=Calibration.netherlands(), "
            "scenario=replay_scenario()); written by "
            "scripts/fit_replay.py"
        ),
        "fitted_through": until,
        "converged": bool(fit.converged) if hasattr(fit, "converged") else None,
        "params": {
            name: {"estimate": float(row["estimate"]), "lower": float(row["lower"]), "upper": float(row["upper"])}
            for name, row in params.iterrows()
        },
        "scenario": fit.scenario.to_dict(),
    }
    out.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"fitted in {seconds:.0f} s ({fit.evaluations if hasattr(fit, 'evaluations') else '?'} evaluations); wrote {out.name} (sha256 {digest})")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: fit_replay.py UNTIL (an ISO date, e.g. 2021-12-31)")
    main(sys.argv[1])
