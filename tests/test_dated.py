"""One rule for what is in force on a date (review finding 9): the Python side's ``in_force`` (the
fit's transmission factors, the testing regimes) is the engine's (``src/inputs/dated.rs``)."""

from __future__ import annotations

import numpy as np

import afweging as af
from afweging import replay
from afweging._dated import in_force


def test_in_force_gives_the_engines_package_on_every_day():
    tl = af.Timeline.netherlands()
    entries = tl.to_pandas()
    daily = tl.stringency("2020-03-01", "2022-06-01")
    index = in_force(entries["date"].to_numpy(dtype="datetime64[D]"), daily.index.to_numpy(dtype="datetime64[D]"))
    assert (index >= 0).all()
    # Some days are a new entry's first day: the entry is in force on its own date.
    assert np.isin(daily.index, entries["date"]).sum() > 10
    np.testing.assert_array_equal(entries["stringency"].to_numpy()[index], daily.to_numpy())


def test_before_the_first_entry_nothing_is_in_force():
    starts = np.array(["2020-03-01", "2020-06-01", "2020-06-01"], dtype="datetime64[D]")
    got = in_force(starts, np.array(["2020-02-29", "2020-03-01", "2020-05-31", "2020-06-01"], dtype="datetime64[D]"))
    np.testing.assert_array_equal(got, [-1, 0, 0, 2])  # of two entries of one date, the last


def test_the_fits_factors_compose_by_that_rule():
    steps = [(np.datetime64("2020-03-16"), 0.5), (np.datetime64("2020-06-01"), 0.8)]
    assert replay._factor_on(steps, np.datetime64("2020-03-15")) == 1.0
    assert replay._factor_on(steps, np.datetime64("2020-03-16")) == 0.5
    assert replay._factor_on(steps, np.datetime64("2021-01-01")) == 0.8
    assert replay._factor_on([], np.datetime64("2021-01-01")) == 1.0
