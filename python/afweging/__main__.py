"""Command line: ``afweging report`` writes a self-contained HTML report that weighs alternatives
over scenarios (default: the embedded Dutch data); ``afweging run`` prints the virus-spread
dimension of a scenario. ``python -m afweging report --help`` lists the options."""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from ._inputs import Calibration, Scenario
from .errors import AfwegingError
from .model import Model
from .run import SUMMARY_UNITS


def _table(rows: List[List[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for k, r in enumerate(rows):
        lines.append("  ".join(c.rjust(w) if i == 1 else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def run_command(args: argparse.Namespace) -> int:
    cal = Calibration.from_json(args.calibration) if args.calibration else Calibration.netherlands()
    sc = Scenario.from_json(args.scenario_json) if args.scenario_json else Scenario.preset(args.scenario)
    run = Model(cal, sc).run(days=args.days)
    vs = run.virus_spread()
    print(f"afweging: scenario {sc.name!r}, {cal.to_dict()['name']}, {args.days} days, no measures")
    print()
    rows = [["indicator", "value", "unit"]]
    for key, unit in SUMMARY_UNITS.items():
        value = vs[key]
        rows.append([key.replace("_", " "), f"{value:,.3f}" if key == "attack_rate" else f"{value:,.0f}", unit])
    print(_table(rows))
    print()
    by_age = [["age band", "infections", "admissions", "ICU admissions", "deaths"]]
    for i, band in enumerate(run.age_bands):
        by_age.append([band] + [f"{vs[k][i]:,.0f}" for k in ("infections", "admissions", "icu_admissions", "deaths")])
    widths = [max(len(r[i]) for r in by_age) for i in range(5)]
    for k, r in enumerate(by_age):
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if k == 0:
            print("  ".join("-" * w for w in widths))
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="afweging", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="simulate a scenario and print the virus-spread dimension")
    run.add_argument("--scenario", default="centraal", help=f"preset name ({', '.join(Scenario.presets())})")
    run.add_argument("--scenario-json", help="path of a scenario JSON file (overrides --scenario)")
    run.add_argument("--calibration", help="path of a calibration JSON file (default: the Netherlands)")
    run.add_argument("--days", type=int, default=365, help="days to simulate (default 365)")
    report = sub.add_parser("report", help="write an HTML report weighing alternatives over scenarios")
    report.add_argument("--output", "-o", default="afweging-report.html", help="path of the HTML file (default afweging-report.html)")
    report.add_argument("--scenarios", help='JSON file: {"name": probability} or {"name": {"probability": p, "preset" | "scenario": ...}}')
    report.add_argument("--alternatives", help='JSON file: {"name": null | {"policy": ...} | {"package": {...}, "general": [...]}}')
    report.add_argument("--calibration", help="calibration JSON file (default: the Netherlands)")
    report.add_argument("--plans", help="sector plans JSON file (default: the Dutch plans)")
    report.add_argument("--valuation", help="valuation JSON file (default: the Dutch values)")
    report.add_argument("--days", type=int, default=365, help="days to simulate (default 365)")
    report.add_argument("--title", help="title of the report")
    for command in (run, report):
        command.add_argument("--debug", action="store_true", help="show the traceback of an error")
    args = parser.parse_args(argv)
    try:
        if args.command == "report":
            from .report import report_command  # imports matplotlib's machinery only when needed

            return report_command(args)
        return run_command(args)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("afweging: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 (one line for every error; --debug shows the rest)
        if args.debug:
            raise
        known = isinstance(err, (AfwegingError, OSError, ImportError))
        message = " ".join(str(err).split())  # one line, whatever the error's layout
        if not known:
            message = f"{type(err).__name__}: {message} (run with --debug for the traceback)"
        print(f"afweging: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
