"""The Dutch measures timeline by date: JSON round trip, runs that follow the dates, errors, and
its OxCGRT stringency held against the published index."""

import datetime as dt
import json
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import afweging as af

# The published OxCGRT v1 series, embedded with the package (the copy in ../shared/data/observed).
OBSERVED = Path(af.__file__).parent / "data" / "observed" / "stringency_nl_oxcgrt.csv"


def dated(scenario: af.Scenario, start: str) -> af.Scenario:
    d = scenario.to_dict()
    d["start_date"] = start
    d.pop("start_day_of_year", None)
    return af.Scenario.from_json(d)


@pytest.fixture(scope="module")
def tl() -> af.Timeline:
    return af.Timeline.netherlands()


@pytest.fixture(scope="module")
def published() -> pd.Series:
    frame = pd.read_csv(OBSERVED, parse_dates=["date"], index_col="date")
    return frame["stringency_index_average"]


def test_the_dutch_timeline(tl):
    assert len(tl) == 43
    frame = tl.to_pandas()
    assert list(frame.columns) == ["date", "name", "package", "stringency", "source", "certainty", "regional", "reading"]
    assert frame["date"].is_monotonic_increasing and frame["date"].is_unique
    assert frame["date"].iloc[0] == pd.Timestamp("2020-02-27")
    assert frame["date"].iloc[-1] == pd.Timestamp("2022-03-23")
    assert set(frame["certainty"]) == {"confirmed", "likely", "unsure"}
    assert list(frame.loc[frame["regional"], "date"].dt.strftime("%Y-%m-%d")) == ["2020-03-10", "2020-09-20"]
    lockdown = frame.set_index("date").loc["2020-12-15"]
    assert "detailhandel noodrem" in lockdown["package"] and "lockdown_niet_essentieel" in lockdown["package"]
    assert "realrolfje/coronadata" in lockdown["source"]
    assert "Timeline('netherlands-2020-2022': 43 entries" in repr(tl)
    assert "Lockdown" in tl._repr_html_()


def test_json_round_trip_and_pickle(tl, tmp_path):
    text = tl.to_json()
    back = af.Timeline.from_json(text)
    assert back.to_json() == text
    path = tmp_path / "timeline.json"
    path.write_text(text, encoding="utf-8")
    assert af.Timeline.from_json(path).to_dict() == tl.to_dict()
    assert af.Timeline.from_json(tl.to_dict(), plans=af.SectorPlans.netherlands()).to_json() == text
    assert pickle.loads(pickle.dumps(tl)).to_json() == text


def test_stringency_series(tl):
    s = tl.stringency()
    assert isinstance(s.index, pd.DatetimeIndex)
    assert s.index[0] == pd.Timestamp("2020-02-27") and s.index[-1] == pd.Timestamp("2022-03-23")
    assert (s.index.to_series().diff().dropna() == pd.Timedelta(days=1)).all()
    part = tl.stringency(start="2020-12-14", until=dt.date(2020, 12, 16))
    assert len(part) == 3
    # 15 December 2020: C1 3, C2 3, C3 2, C4 4, C5 1, C6 1, C7 1, C8 3, H1 2 -> 708.33 / 9
    assert part.iloc[1] == pytest.approx(78.7037, abs=1e-3)
    assert part.iloc[1] == s.loc["2020-12-15"]
    with pytest.raises(af.ValidationError, match="start: 2020-01-01 is before the first entry"):
        tl.stringency(start="2020-01-01")
    with pytest.raises(af.ValidationError, match="until: must not be before start"):
        tl.stringency(start="2021-01-01", until="2020-06-01")
    with pytest.raises(af.ValidationError, match="start: must be an ISO date"):
        tl.stringency(start="15-12-2020")


def test_stringency_agrees_with_the_published_oxcgrt_index(tl, published):
    """What the timeline's coding gives against OxCGRT's own coding, 2020-03-01 .. 2021-09-30
    (docs/timeline.md): 85.7% of days within 5 points, mean absolute difference 1.94 points. The
    largest miss is OxCGRT's C5 = 1 (public transport) from 20 July to 7 October 2021 (73 days in the
    window), for which the measures timeline has no Dutch measure."""
    ours = tl.stringency(start="2020-03-01", until="2021-09-30")
    theirs = published.loc["2020-03-01":"2021-09-30"]
    assert len(ours) == len(theirs) == 579
    diff = (ours - theirs.to_numpy()).abs()
    assert diff.mean() < 2.0
    assert (diff <= 5).mean() >= 0.85
    # without the summer-2021 public-transport coding, the agreement is near complete
    summer = (ours.index >= "2021-07-20") & (ours.index <= "2021-09-30")
    assert (diff[~summer] <= 5).mean() >= 0.98


@pytest.mark.xfail(strict=True, reason="85.7% of days within 5 points, not 90%: OxCGRT records C5 = 1 from "
                   "2021-07-20 to 2021-10-07 with no Dutch measure in the timeline to code it from (docs/timeline.md)")
def test_stringency_target_90_percent_within_5_points(tl, published):
    ours = tl.stringency(start="2020-03-01", until="2021-09-30")
    diff = (ours - published.loc["2020-03-01":"2021-09-30"].to_numpy()).abs()
    assert (diff <= 5).mean() >= 0.90


@pytest.fixture(scope="module")
def march_model(cal, central) -> af.Model:
    return af.Model(cal, dated(central, "2020-03-01"))


def test_run_with_a_timeline_has_the_right_rungs_on_given_dates(tl, march_model):
    run = march_model.run(days=120, timeline=tl)
    plans = af.SectorPlans.netherlands()
    sectors = plans.sectors
    start = pd.Timestamp("2020-03-01")

    def rung(date: str, sector: str) -> int:
        return int(run.rungs[(pd.Timestamp(date) - start).days, sectors.index(sector)])

    assert rung("2020-03-14", "horeca") == 0
    assert rung("2020-03-15", "horeca") == 3
    assert rung("2020-03-22", "contactberoepen") == 0
    assert rung("2020-03-23", "contactberoepen") == 3
    assert rung("2020-05-10", "onderwijs_po") == 3
    assert rung("2020-05-11", "onderwijs_po") == 2
    assert rung("2020-06-28", "horeca") == 2
    series = tl.stringency(start="2020-03-01", until="2020-06-28")
    np.testing.assert_array_equal(run.stringency, series.to_numpy())
    assert run.policy_levels[run.policy_level[14]] == "2020-03-15 Scholen, horeca en sport dicht"


def test_timeline_combined_with_a_trigger_policy(tl, cal):
    plans = af.SectorPlans.netherlands()
    model = af.Model(cal, dated(af.Scenario.preset("ongunstig"), "2020-07-01"))
    policy = plans.policy("signal-values")
    both = model.run(policy, days=150, timeline=tl)
    alone = model.run(days=150, timeline=tl)
    assert (both.rungs >= alone.rungs).all()
    assert (both.rungs > alone.rungs).any()
    assert all(" + " in both.policy_levels[k] for k in set(both.policy_level.tolist()))


def test_errors_name_the_field_and_the_date(tl, cal, central, march_model):
    with pytest.raises(af.ValidationError, match=r"scenario\.start_date: is required for a run with a timeline") as err:
        af.Model(cal, central).run(days=10, timeline=tl)
    assert err.value.errors()[0]["field"] == "scenario.start_date"
    early = af.Model(cal, dated(central, "2020-01-15"))
    with pytest.raises(af.ValidationError, match=r"scenario\.start_date: 2020-01-15 is before the first entry .*2020-02-27"):
        early.run(days=10, timeline=tl)
    with pytest.raises(af.ValidationError, match="contact_multipliers: cannot be combined with a timeline"):
        march_model.run(days=10, timeline=tl, contact_multipliers=np.ones((10, 4)))
    d = tl.to_dict()
    d["entries"][3]["date"], d["entries"][2]["date"] = d["entries"][2]["date"], d["entries"][3]["date"]
    with pytest.raises(af.ValidationError) as err:
        af.Timeline.from_json(d)
    assert str(err.value).startswith("timeline[3].date: 2020-03-12 is not after timeline[2].date 2020-03-15")
    assert err.value.errors()[0]["field"] == "timeline[3].date"
    d = tl.to_dict()
    d["entries"][4]["date"] = d["entries"][3]["date"]
    with pytest.raises(af.ValidationError, match=r"timeline\[4\]\.date: 2020-03-15 is the date of timeline\[3\]\.date"):
        af.Timeline.from_json(d)
    d = tl.to_dict()
    d["entries"][5]["package"]["rungs"]["horeca"] = 7
    d["entries"][5]["package"]["general"].append("lockdown_totaal")
    with pytest.raises(af.ValidationError) as err:
        af.Timeline.from_json(json.dumps(d))
    fields = [e["field"] for e in err.value.errors()]
    assert fields == ["timeline[5].package.rungs.horeca", f"timeline[5].package.general[{len(d['entries'][5]['package']['general']) - 1}]"]
    assert all("(entry of 2020-05-11)" in e["message"] for e in err.value.errors())
    with pytest.raises(TypeError, match="timeline: expected an afweging.Timeline"):
        march_model.run(days=10, timeline="netherlands")  # type: ignore[arg-type]
