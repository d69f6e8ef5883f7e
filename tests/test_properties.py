"""Property tests through the Python boundary: random valid inputs never give negative or
non-conserved states; random invalid inputs always give a ValidationError, never anything else."""

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import afweging as af  # noqa: E402

CAL = af.Calibration.netherlands()
BASE = af.Scenario.preset("ongunstig")


@settings(max_examples=25, deadline=None)
@given(
    r0=st.floats(0.3, 12.0),
    escape=st.floats(0.0, 1.0),
    amplitude=st.floats(0.0, 0.6),
    protection=st.floats(0.0, 1.0),
    doses=st.floats(0.0, 400_000.0),
    level=st.floats(0.0, 2.0),
)
def test_random_scenarios_conserve_people(r0, escape, amplitude, protection, doses, level):
    sc = BASE.replace(
        **{
            "variant.r0": r0,
            "variant.immune_escape": escape,
            "seasonality.amplitude": amplitude,
            "immunity.infection_protection": protection,
        }
    )
    data = sc.to_dict()
    data["campaigns"][0]["doses_per_day"] = doses
    run = af.Model(CAL, af.Scenario.from_json(data)).run(days=150, contact_multipliers=np.full((150, 4), level))
    states = run.compartments
    assert (states >= 0).all()
    people = states.sum(axis=2)
    np.testing.assert_allclose(people, np.broadcast_to(people[0], people.shape), rtol=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    field=st.sampled_from(["variant.r0", "variant.latent_days", "variant.infectious_days", "variant.severity"]),
    value=st.one_of(st.floats(max_value=0.0, allow_nan=False), st.just(float("inf"))),
)
def test_non_positive_values_are_named(field, value):
    with pytest.raises(af.ValidationError) as info:
        BASE.replace(**{field: value})
    assert info.value.errors()[0]["field"] == f"scenario.{field}"
