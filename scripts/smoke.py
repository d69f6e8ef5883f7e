"""Smoke test of an installed afweging wheel, on numpy alone (scripts/smoke.sh runs it in a clean
virtual environment with no Rust toolchain; the release workflow on each platform): the package is
the installed one, not the source tree; the wheel is abi3 (one wheel for every CPython >= 3.9); a
run gives care load; bad input raises a ValidationError that is an AfwegingError and names the field.
"""

import importlib.metadata
import pathlib
import sys

import afweging as af

dist = importlib.metadata.distribution("afweging")
installed = pathlib.Path(str(dist.locate_file(""))).resolve()
assert installed in pathlib.Path(af.__file__).resolve().parents, (af.__file__, installed)
tags = [line.split(": ", 1)[1] for line in (dist.read_text("WHEEL") or "").splitlines() if line.startswith("Tag: ")]
assert tags and all(t.startswith("cp39-abi3-") for t in tags), tags

run = af.Model(af.Calibration.netherlands(), af.Scenario.preset("centraal")).run(days=120)
care = run.hospital_occupancy.sum(axis=1) + run.icu_occupancy.sum(axis=1)
assert run.hospital_occupancy.shape == (120, len(run.age_bands)) and (care > 0).all(), care

try:
    af.Scenario.preset("centraal").replace(**{"variant.r0": -1.5})
except af.AfwegingError as err:
    assert isinstance(err, af.ValidationError) and "scenario.variant.r0" in str(err), err
    refused = str(err)
else:
    raise AssertionError("variant.r0 = -1.5 was accepted")

print(f"smoke: afweging {af.__version__} ({tags[0]}) on Python {sys.version.split()[0]}: "
      f"peak care load {care.max():,.0f} patients on day {care.argmax()}; bad input refused: {refused}")
