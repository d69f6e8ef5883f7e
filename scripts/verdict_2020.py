"""The report's four default alternatives weighed in the epidemic of 2020 instead of the presets:
the replay scenario (wild type, R0 2.5, dated 2020-03-01; ``af.replay.replay_scenario()``) on the
Dutch calibration, 365 days, with the report's valuation. Prints the expected cost per dimension
and the deaths per alternative (docs/report.md, "The verdict in the epidemic of 2020").

    .venv/bin/python scripts/verdict_2020.py
"""
import afweging as af

plans = af.SectorPlans.netherlands()
alternatives = af.report.load_alternatives(plans)
cal = af.Calibration.netherlands()
sc = af.replay.replay_scenario(cal)
a = af.assess(cal, alternatives, {"2020": (sc, 1.0)}, days=365)
print(a)
print((a.costs.xs("2020", level="scenario") / 1e9).round(1))
for name, policy in alternatives.items():
    run = af.Model(cal, sc).run(policy, days=365)
    print(f"{name}: {run.impacts['deaths']:,.0f} deaths")
