"""Benchmark of :func:`afweging.fit`: wall time of the first-wave fit of tests/test_replay.py
(NICE admissions and ICU occupancy up to 2020-04-15; deaths, reported with a delay, optional), the number of evaluations of the posterior
and the time of one evaluation (one 49-day national run plus the observation model).

    python benches/python/bench_fit.py               # 3 repeats
    python benches/python/bench_fit.py --repeat 5 --until 2020-06-30
    python benches/python/bench_fit.py --columns admissions,icu_occupancy,deaths
    python benches/python/bench_fit.py --columns admissions,icu_occupancy,deaths --uncached
                                                     # delay weights recomputed at every evaluation

Timings are medians of the repeats (with their spread); the machine is shared, so repeat them.
"""

from __future__ import annotations

import argparse
import statistics
import time

import afweging as af
from afweging import observation, replay


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--until", default="2020-04-15", help="last date of the fitted window")
    parser.add_argument("--columns", default="admissions,icu_occupancy", help="observed columns to fit (deaths and cases have a delay)")
    parser.add_argument("--uncached", action="store_true", help="recompute the delay weights each time (as before the cache)")
    args = parser.parse_args()
    if args.uncached:
        observation._delay_weights = observation._delay_weights.__wrapped__  # type: ignore[attr-defined]
    window = af.observed.netherlands().loc[: args.until]
    fits, evaluations = [], 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        fit = af.fit(window, columns=args.columns.split(","))
        fits.append(time.perf_counter() - start)
        evaluations = fit.evaluations
    problem, x = fit._problem, fit._x
    one = []
    for _ in range(20 * args.repeat):
        start = time.perf_counter()
        problem.negative_log_posterior(x)
        one.append(time.perf_counter() - start)
    spread = f"{min(fits):.2f}-{max(fits):.2f}" if len(fits) > 1 else "-"
    print(f"fit of {args.columns} to {args.until}: {statistics.median(fits):.2f} s median ({spread} s, {args.repeat} repeats)")
    print(f"evaluations of the posterior: {evaluations} ({1e3 * statistics.median(fits) / evaluations:.2f} ms each in the fit)")
    print(f"one evaluation: {1e3 * statistics.median(one):.2f} ms median ({len(one)} calls, "
          f"{problem.days}-day run); observation model alone: "
          f"{1e3 * _observation_time(problem, x):.2f} ms")


def _observation_time(problem: "replay._Problem", x: "object") -> float:
    """Median time of the observation model of one evaluation (the run done once)."""
    run = problem.run(x, problem.days)  # type: ignore[arg-type]
    times = []
    for _ in range(50):
        start = time.perf_counter()
        for column in problem.observed:
            problem.expected(run, column, x)  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


if __name__ == "__main__":
    main()
