"""Benchmark of a sequential decision tree (issue 20): two stages (2020-10-01, 2020-10-15) x 4
options x 500 draws over the replayed model, runs to 2020-12-31, reports and testing seen; wall
time of `Sequential.solve` split into the branch simulation (16 paths x 500 draws of full dated
runs, with impacts and valuation) and the rest (signals and the solver). Target: at most 30 s on
2 cores.

    python benches/python/sequential_tree.py                  # 500 draws, 1 repeat
    python benches/python/sequential_tree.py --draws 100 --repeat 3 --threads 2

The machine may be shared: report the figures as measured there.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import afweging as af
from afweging.sequential import Sequential

TARGET_SECONDS = 30.0


def tree() -> Sequential:
    entries = af.Timeline.netherlands().to_dict()["entries"]
    by_date = {e["date"]: e["package"] for e in entries}
    options = {
        "as recorded": None,
        "milder": by_date["2020-08-18"],
        "partial lockdown": by_date["2020-10-14"],
        "lockdown": by_date["2020-12-15"],
    }
    return Sequential(
        stages=["2020-10-01", "2020-10-15"],
        options=[options, options],
        uncertain={
            "scenario.variant.r0": {"apply": "scale", "distribution": {"type": "triangular", "low": 0.85, "mode": 1.0, "high": 1.15}},
            "scenario.variant.severity": {"apply": "scale", "distribution": {"type": "lognormal", "mu": 0.0, "sigma": 0.25}, "truncate": {"high": 1.35}},
        },
        signals=["testing"],
        until="2020-12-31",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    t = tree()
    paths = [p for p, ok in zip(t.paths(), t.feasible()) if ok]
    walls, sims = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        t._simulate(args.draws, 1, args.threads, paths)
        sims.append(time.perf_counter() - start)
        start = time.perf_counter()
        res = t.solve(draws=args.draws, seed=1, threads=args.threads)
        walls.append(time.perf_counter() - start)
    wall = statistics.median(walls)
    print(f"cores available: {os.cpu_count()}; threads: {args.threads or 'all'}")
    print(f"{len(paths)} paths x {args.draws} draws: solve {wall:.2f} s (median of {len(walls)}; branches alone {statistics.median(sims):.2f} s)")
    print(f"value of waiting {res.value_of_waiting}; EVSI testing {res.evsi('testing')}")
    print(f"target {TARGET_SECONDS:.0f} s: {'met' if wall <= TARGET_SECONDS else 'NOT met'}")


if __name__ == "__main__":
    main()
