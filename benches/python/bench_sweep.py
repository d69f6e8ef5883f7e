"""Benchmark of summary sweeps: wall time of N runs of one year (default calibration, `centraal`,
the `signal-values` policy of the Dutch sector plans, the default Dutch uncertainty, summary mode)
on 1 and on all threads, the parallel efficiency, and the peak memory of a large sweep.

    python benches/python/bench_sweep.py                       # 10,000 runs, 1 and 2 threads, 3 repeats
    python benches/python/bench_sweep.py --runs 2000 --repeat 5 --threads 1,2
    /usr/bin/time -v python benches/python/bench_sweep.py --memory 100000    # peak RSS of 100,000 runs

Timings are medians of the repeats (with their spread); the machine is shared, so repeat them.
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import time
import tracemalloc

import afweging as af


def sweep(runs: int, threads: int) -> "tuple[float, float]":
    """Wall-clock and CPU seconds (all threads of the process) of one sweep of `runs` runs."""
    plans = af.SectorPlans.netherlands()
    start, cpu_start = time.perf_counter(), time.process_time()
    af.sweep(
        af.Calibration.netherlands(),
        policies={"signal-values": plans.policy("signal-values")},
        scenarios={"centraal": af.Scenario.preset("centraal")},
        uncertainty=af.Uncertainty.netherlands(),
        draws=runs,
        seed=7,
        days=365,
        threads=threads,
        progress=False,
    )
    return time.perf_counter() - start, time.process_time() - cpu_start


def cpu() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    parser.add_argument("--memory", type=int, default=0, help="run one sweep of this many runs and report peak memory")
    args = parser.parse_args()
    print(f"afweging {af.__version__}; {cpu()}; {resource.getpagesize()} B pages")
    if args.memory:
        tracemalloc.start()
        seconds, _ = sweep(args.memory, _core_threads())
        _, peak_python = tracemalloc.get_traced_memory()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{args.memory:,} runs in {seconds:.1f} s; peak RSS {rss:.0f} MiB; peak Python allocations {peak_python / 2**20:.1f} MiB")
        return
    sweep(10, 1)  # warm-up: imports xarray, loads the data
    medians = {}
    for threads in [int(t) for t in args.threads.split(",")]:
        results = [sweep(args.runs, threads) for _ in range(args.repeat)]
        times = [wall for wall, _ in results]
        medians[threads] = statistics.median(times)
        spread = ", ".join(f"{t:.2f}" for t in times)
        # CPU seconds over wall seconds: how many cores the sweep actually got (the machine is shared).
        cores = ", ".join(f"{c / w:.2f}" for w, c in results)
        print(
            f"{args.runs:,} runs on {threads} thread(s): median {medians[threads]:.2f} s ({spread}); "
            f"{1e3 * medians[threads] / args.runs:.3f} ms/run; cores busy {cores}"
        )
    if 1 in medians:
        for threads, t in medians.items():
            if threads > 1:
                print(f"parallel efficiency on {threads} threads: {medians[1] / (threads * t):.1%}")


def _core_threads() -> int:
    return af._core.Sweep.thread_count()


if __name__ == "__main__":
    main()
