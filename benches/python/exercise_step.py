"""How long one exercise step takes (target: under 0.2 s): a weekly step on the regional model of
afweging.Exercise, the continuation from its snapshot, the new snapshot and the observation
included. Run: .venv/bin/python benches/python/exercise_step.py"""

import statistics
import time

from afweging.exercise import Exercise


def main() -> None:
    ex = Exercise(scenario="zeer_ongunstig", start="2021-09-01", step="7D", seed=3)
    # The first observation imports scipy.stats (the reporting delay's gamma): once per process.
    t = time.perf_counter()
    ex.observe()
    print(f"first observation (imports scipy.stats): {(time.perf_counter() - t) * 1e3:.0f} ms")
    times = []
    options = list(ex.options)
    for week in range(12):
        ex.decide({"national": options[week % len(options)], "VR13": "ernstig"})
        t = time.perf_counter()
        ex.step()
        times.append(time.perf_counter() - t)
    print(f"exercise step (regional, 7 days): median {statistics.median(times) * 1e3:.1f} ms, "
          f"max {max(times) * 1e3:.1f} ms over {len(times)} steps (weeks 1-12)")


if __name__ == "__main__":
    main()
