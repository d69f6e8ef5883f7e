"""Writes python/afweging/data/replay/fit_2020-09-30.json: the replay scenario fitted (af.fit, its
defaults: admissions and ICU occupancy, transmission per period of the Dutch timeline and every 14
days, seed, severity, ICU ratio) to the observed data from 2020-02-27 through 2020-09-30, what a
crisis team could know on 1 October 2020. The sequential decision notebook
(notebooks/12_sequential_decisions.ipynb) starts its branches from it: the fit takes minutes, the
notebook must take less than one. The fit is deterministic; rerun this script after a change to
the model or the observed data, then update SHA256SUMS there.

    .venv/bin/python scripts/fit_autumn_2020.py
"""

from __future__ import annotations

import hashlib
import json
import pathlib
import time

import afweging as af

UNTIL = "2020-09-30"
OUT = pathlib.Path(__file__).resolve().parents[1] / "python" / "afweging" / "data" / "replay" / f"fit_{UNTIL}.json"


def main() -> None:
    obs = af.observed.netherlands()
    start = time.perf_counter()
    # The stored fit is of the nine-band calibration (the sequential tree runs on
    # Calibration.netherlands()), not the replay's default with nursing homes as a tenth band.
    cal = af.Calibration.netherlands()
    fit = af.fit(obs.loc[:UNTIL], calibration=cal, scenario=af.replay.replay_scenario())
    seconds = time.perf_counter() - start
    params = fit.params
    record = {
        "description": (
            f"afweging.fit(observed.netherlands().loc[:'{UNTIL}'], calibration=Calibration.netherlands(), "
            "scenario=replay_scenario()); written by "
            "scripts/fit_autumn_2020.py"
        ),
        "fitted_through": UNTIL,
        "converged": bool(fit.converged) if hasattr(fit, "converged") else None,
        "params": {
            name: {"estimate": float(row["estimate"]), "lower": float(row["lower"]), "upper": float(row["upper"])}
            for name, row in params.iterrows()
        },
        "scenario": fit.scenario.to_dict(),
    }
    OUT.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    digest = hashlib.sha256(OUT.read_bytes()).hexdigest()
    print(f"fitted in {seconds:.0f} s; wrote {OUT.name} (sha256 {digest})")


if __name__ == "__main__":
    main()
