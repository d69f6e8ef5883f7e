"""The README's five-minute tour as a script: the main job on the embedded Dutch data, from a
calibration and a scenario to a run, the four dimensions, a trigger policy, the assessment in euros
and the HTML report. Needs the report extra (``pip install afweging[report]``: pandas, matplotlib).

    python examples/tour.py [output directory]      (default: the current directory)

The test command runs it against the built wheel in a clean virtual environment (scripts/smoke.sh).
"""

import pathlib
import sys

import matplotlib

matplotlib.use("Agg")  # figures go to files, not to a window

import afweging as af  # noqa: E402


def main(out: pathlib.Path) -> None:
    cal = af.Calibration.netherlands()
    sc = af.Scenario.preset("centraal")
    model = af.Model(cal, sc)
    print(f"afweging {af.__version__}: {sc.name}, R0 {model.r0():.2f}")

    run = model.run(days=365)  # no measures
    vs = run.virus_spread()
    print(f"no measures, 365 days: {vs['total_infections']:,.0f} infections, "
          f"{vs['total_admissions']:,.0f} admissions, {vs['total_deaths']:,.0f} deaths; "
          f"ICU occupancy peaks at {vs['peak_icu_occupancy']:,.0f} on day {vs['peak_icu_day']}")
    daily = run.to_pandas()  # tidy: day, age_band, indicator, value, unit
    by_age = daily[daily.indicator == "admissions"].groupby("age_band", sort=False)["value"].sum()
    print("admissions by age band:", ", ".join(f"{band} {n:,.0f}" for band, n in by_age.items()), "\n")

    plans = af.SectorPlans.netherlands()
    runs = {"no measures": run, "signal values": model.run(plans.policy("signal-values"), days=365)}
    for name, r in runs.items():
        print(f"{name:>14}: {r.virus_spread()['total_deaths']:,.0f} deaths, "
              f"peak ICU occupancy {r.icu_occupancy.sum(axis=1).max():,.0f}")
    af.plot.dimensions(runs).savefig(out / "tour-dimensions.png")

    a = af.assess(cal, {"open": None, "ladders": plans.policy("signal-values")},
                  {"centraal": 0.6, "ongunstig": 0.4})
    print("\nassessment:", a)

    report = af.write_report(out / "tour-report.html")
    print(f"\nreport written to {report}")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "."))
