"""How long the first read of the economy by quarter of a dated year takes from Python
(issue 19): `run.impacts.economy.by_quarter()` on the Dutch timeline from 2020-03-01 to
2021-02-28, and its parts: the engine computing the economy and writing its JSON, decoding the
JSON, and pandas' tables. Run: .venv/bin/python benches/python/economy_read.py [READS]"""

import json
import statistics
import sys
import time

import afweging as af
from afweging.economy import EconomyByDay


def main() -> None:
    reads = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    timeline = af.Timeline.netherlands()
    parts: dict = {"first read, all (run.impacts included)": [], "engine": [], "json.loads": [], "pandas": []}
    for i in range(reads + 2):  # two to warm up
        run = timeline.run(start="2020-03-01", until="2021-02-28")
        t0 = time.perf_counter()
        run.impacts.economy.by_quarter()
        t1 = time.perf_counter()
        inner = timeline.run(start="2020-03-01", until="2021-02-28")._inner
        t2 = time.perf_counter()
        text = inner.economy()
        t3 = time.perf_counter()
        data = json.loads(text)
        t4 = time.perf_counter()
        EconomyByDay(data).by_quarter()
        t5 = time.perf_counter()
        if i >= 2:
            for name, seconds in zip(parts, (t1 - t0, t3 - t2, t4 - t3, t5 - t4)):
                parts[name].append(seconds)
    print(f"{reads} reads, economy JSON {len(text) / 1e6:.2f} MB")
    for name, times in parts.items():
        print(f"{name:40s} median {1e3 * statistics.median(times):7.2f} ms  min {1e3 * min(times):7.2f} ms")


if __name__ == "__main__":
    main()
