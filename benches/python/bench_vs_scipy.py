"""Times one run of the Rust engine against the numpy/scipy baseline at the same output accuracy.

Usage::

    .venv/bin/python benches/python/bench_vs_scipy.py [--scenario centraal] [--days 365]

"Same output accuracy": both are compared with a reference solution (the baseline with DOP853 at
rtol 1e-12). The error of a run is the larger of two numbers, for daily hospital admissions and for
ICU occupancy (days x age bands each): max |run - reference| / max |reference|.

The baseline is swept over the solve_ivp methods RK23, RK45 and DOP853 and relative tolerances from
1e-1 down in half decades (absolute tolerance rtol x 1 person), for each method until its error is
far below the engine's. Per method the tolerance chosen is the tightest rtol whose error is still
no better than the engine's, so scipy is not asked to be more accurate than the engine. Where even
the loosest rtol is more accurate than the engine (one solve_ivp call per day costs a minimum number
of steps, which sets an accuracy floor), the loosest, i.e. cheapest, rtol is taken and marked.
The fastest of the per-method choices is reported, so the speed-up is a conservative figure.
Timings are medians of repeated runs (time.perf_counter); models are built outside the timed region.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Tuple

import numpy as np
import scipy

sys.path.insert(0, str(Path(__file__).resolve().parent))
import afweging  # noqa: E402
import scipy_baseline as sb  # noqa: E402

#: Series on which accuracy is judged.
MEASURED = ("admissions", "icu_occupancy")
METHODS = ("RK23", "RK45", "DOP853")
RTOLS = [10.0 ** (-k / 2) for k in range(2, 21)]  # 1e-1 ... 1e-10
#: A method's sweep stops once its error is this far below the engine's.
FAR_BELOW = 30.0


def error(run: Dict[str, np.ndarray], reference: Dict[str, np.ndarray]) -> Tuple[float, ...]:
    """Per measured series, max |run - reference| / max |reference| over days and age bands."""
    return tuple(
        float(np.abs(run[k] - reference[k]).max() / np.abs(reference[k]).max()) for k in MEASURED
    )


def median_seconds(f: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def cpu_name() -> str:
    """The processor model (from /proc/cpuinfo on Linux), else what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "cpu unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", default="centraal")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--engine-repeats", type=int, default=200)
    parser.add_argument("--scipy-repeats", type=int, default=7)
    args = parser.parse_args()
    days = args.days

    # The baseline implements the epidemic equations only, so the behavioural module is off here.
    scenario = afweging.Scenario.preset(args.scenario).replace(behaviour=None)
    model = afweging.Model(afweging.Calibration.netherlands(), scenario)
    params = model.parameters()
    groups = params["population"].size
    print(f"machine: {platform.platform()}, {platform.machine()} ({cpu_name()}), {os.cpu_count()} logical CPUs")
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"afweging {afweging.__version__}"
    )
    print(
        f"model: {args.scenario}, {days} days, {groups} age bands x {sb.SLOTS} slots, "
        f"engine RK4 with {params['steps_per_day']} steps/day"
    )

    # Reference, and how well it is converged.
    reference = sb.simulate(model, days, rtol=1e-12, atol=1e-10, method="DOP853")
    check = sb.simulate(model, days, rtol=1e-11, atol=1e-9, method="DOP853")
    print(f"reference: scipy DOP853 rtol 1e-12; its change from rtol 1e-11: {max(error(check, reference)):.1e}")

    # Engine.
    engine_error = error({k: getattr(model.run(days=days), k) for k in MEASURED}, reference)
    target = max(engine_error)
    print(f"engine error: {target:.2e}")
    model.run(days=days)  # warm-up
    engine_s = median_seconds(lambda: model.run(days=days), args.engine_repeats)

    # Sweep of the baseline's tolerances.
    print()
    print("sweep (one run each; error = max over admissions and ICU occupancy):")
    print(f"  {'method':7s} {'rtol':>8s} {'error':>9s} {'rhs evals':>9s} {'seconds':>8s}")
    choices: List[Tuple[str, float, bool]] = []  # method, rtol, at the method's accuracy floor
    for method in METHODS:
        chosen = None
        for rtol in RTOLS:
            start = time.perf_counter()
            run = sb.simulate(model, days, rtol=rtol, atol=rtol, method=method)
            seconds = time.perf_counter() - start
            worst = max(error(run, reference))
            print(f"  {method:7s} {rtol:8.1e} {worst:9.2e} {int(run['evaluations']):9d} {seconds:8.3f}")
            if worst >= target:
                chosen = rtol  # the tightest so far that is no more accurate than the engine
            elif worst < target / FAR_BELOW:
                break
        choices.append((method, chosen, False) if chosen is not None else (method, RTOLS[0], True))

    # Time the choices; report the fastest.
    timed = []
    for method, rtol, floor in choices:
        def go(method: str = method, rtol: float = rtol) -> Dict[str, np.ndarray]:
            return sb.simulate(model, days, rtol=rtol, atol=rtol, method=method)

        err = error(go(), reference)
        timed.append((median_seconds(go, args.scipy_repeats), method, rtol, floor, err))
    print()
    print(f"per-method choice, median of {args.scipy_repeats} runs (* = even the loosest rtol is more accurate than the engine):")
    for seconds, method, rtol, floor, err in sorted(timed):
        mark = "*" if floor else " "
        print(f"  {method:7s} rtol {rtol:7.1e}{mark} {seconds * 1e3:9.1f} ms, error {max(err):.2e}")
    scipy_s, method, rtol, floor, scipy_error = min(timed)

    def row(name: str, ms: float, err: Tuple[float, ...]) -> str:
        return f"| {name:38s} | {ms:10.2f} | {err[0]:10.2e} | {err[1]:10.2e} |"

    print()
    print(f"one {days}-day run of '{args.scenario}' (error vs reference: max |x - ref| / max |ref|)")
    print(f"| {'':38s} | {'median ms':>10s} | {'admissions':>10s} | {'ICU occ.':>10s} |")
    print(f"|{'-' * 40}|{'-' * 12}|{'-' * 12}|{'-' * 12}|")
    print(row(f"engine (Rust RK4, {params['steps_per_day']} steps/day)", engine_s * 1e3, engine_error))
    print(row(f"scipy {method} rtol {rtol:.1e}{'*' if floor else ''}", scipy_s * 1e3, scipy_error))
    print(f"speed-up (scipy / engine): {scipy_s / engine_s:.0f}x (target >= 50x)")


if __name__ == "__main__":
    main()
