"""afweging.observed: the embedded observed Dutch data (checksums, the pack's cross-checks through
the public API, the canonical daily frame) and check(), which validates observations for a fit."""

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import afweging as af  # noqa: E402
from afweging import observed  # noqa: E402

DATA = Path(observed.__file__).resolve().parent / "data" / "observed"

COLUMNS = [
    "admissions", "icu_admissions", "icu_occupancy", "ward_occupancy", "lcps_icu_occupancy",
    "lcps_ward_occupancy", "deaths", "nursing_home_deaths", "icu_deaths", "cases", "tests", "stringency",
]


# --- the embedded files ------------------------------------------------------------------------


def test_embedded_files_match_their_checksums():
    sums = dict(reversed(line.split()) for line in (DATA / "SHA256SUMS").read_text().splitlines() if line.strip())
    assert sorted(sums) == sorted(filename for filename, _ in observed._TABLES.values())
    for name, digest in sums.items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, name
    assert (DATA / "PROVENANCE.md").read_text(encoding="utf-8").startswith("# Provenance")


@pytest.mark.parametrize(
    "name, rows",
    [("hospital", 724), ("deaths", 1039), ("cases", 1039), ("excess_mortality", 157), ("stringency", 1096),
     ("measures", 42), ("vaccination", 85), ("economy", 121), ("now_applications", 3)],
)
def test_every_table_loads_as_published(name, rows):
    frame = observed.table(name)
    assert len(frame) == rows  # the row counts of the pack's description
    filename = observed._TABLES[name][0]
    header = (DATA / filename).read_text(encoding="utf-8").splitlines()[0].split(",")
    assert [frame.index.name, *frame.columns] == header or list(frame.columns) == header


def test_unknown_table_names_the_field_the_value_and_the_known_names():
    with pytest.raises(af.UnknownNameError) as info:
        observed.table("hospitals")
    err = info.value
    assert isinstance(err, af.ValidationError)
    text = str(err)
    assert text.startswith('observed.table: unknown table "hospitals"; valid: ')
    for name in observed.TABLES:
        assert name in text
    assert err.errors() == [{"field": "observed.table", "message": "unknown table", "value": '"hospitals"'}]
    with pytest.raises(af.UnknownNameError, match="unknown table 3"):
        observed.table(3)  # type: ignore[arg-type]


def test_a_tampered_file_is_refused_naming_it(tmp_path, monkeypatch):
    copy = tmp_path / "observed"
    shutil.copytree(DATA, copy)
    target = copy / "hospital_nl_by_day.csv"
    raw = bytearray(target.read_bytes())
    at = raw.index(b"676")  # one digit of a number, so the file still parses
    raw[at] = ord("7")
    target.write_bytes(bytes(raw))
    monkeypatch.setattr(observed, "_DATA_DIR", copy)
    with pytest.raises(af.AfwegingError, match=r"observed\.hospital_nl_by_day\.csv: sha256 does not match") as info:
        observed.table("hospital")
    assert not isinstance(info.value, af.ValidationError)
    assert info.value.errors()[0]["value"] == hashlib.sha256(bytes(raw)).hexdigest()
    with pytest.raises(af.AfwegingError, match="hospital_nl_by_day.csv"):
        observed.netherlands()
    assert len(observed.table("deaths")) == 1039  # the untouched files still load


def test_returned_frames_are_copies():
    first = observed.netherlands()
    first.loc["2020-03-27", "admissions"] = -1.0
    first.attrs["sources"]["admissions"] = "changed"
    first["extra"] = 1.0
    again = observed.netherlands()
    assert again.loc["2020-03-27", "admissions"] == 676.0
    assert again.attrs["sources"]["admissions"].startswith("NICE")
    assert list(again.columns) == COLUMNS
    table = observed.table("economy")
    table.loc[:, "value"] = 0.0
    assert observed.table("economy")["value"].abs().sum() > 0
    s = observed.stringency()
    s.iloc[:] = -1.0
    assert observed.stringency().min() == 0.0


# --- the canonical daily frame ---------------------------------------------------------------


@pytest.fixture(scope="module")
def nl():
    return observed.netherlands()


def test_one_row_per_day_with_float_columns(nl):
    assert list(nl.columns) == COLUMNS
    assert isinstance(nl.index, pd.DatetimeIndex) and nl.index.name == "date"
    assert nl.index[0] == pd.Timestamp("2020-02-27") and nl.index[-1] == pd.Timestamp("2022-12-31")
    assert nl.index.is_unique and nl.index.is_monotonic_increasing
    assert len(nl) == 1039
    assert (nl.index[1:] - nl.index[:-1] == pd.Timedelta(days=1)).all()
    assert all(dtype == np.float64 for dtype in nl.dtypes)
    assert set(nl.attrs["sources"]) == set(COLUMNS) and set(nl.attrs["units"]) == set(COLUMNS)
    assert all(nl.attrs["sources"][c] for c in COLUMNS)


def test_the_packs_cross_checks_hold(nl):
    # First wave: NICE ward + ICU admissions (nice_ward_plus_icu_adm_proven) peak at 676 on 2020-03-27
    first = nl.loc[:"2020-06-30", "admissions"]
    assert (first.idxmax(), first.max()) == (pd.Timestamp("2020-03-27"), 676.0)
    hospital = observed.table("hospital")
    assert hospital.loc["2020-03-27", "nice_ward_adm_proven"] == 562  # ward alone
    # LCPS ICU occupancy peaks at 1,424 on 2020-04-07 (NICE 1,321 the same day)
    assert (nl["lcps_icu_occupancy"].idxmax(), nl["lcps_icu_occupancy"].max()) == (pd.Timestamp("2020-04-07"), 1424.0)
    assert nl.loc["2020-04-07", "icu_occupancy"] == 1321.0
    # Second wave: NICE admissions (the same ward + ICU column) peak at 517 on 2020-12-28
    second = nl.loc["2020-09-01":"2021-01-31", "admissions"]
    assert (second.idxmax(), second.max()) == (pd.Timestamp("2020-12-28"), 517.0)
    # LCPS: ward admissions 430 on 2020-12-29, ICU occupancy 731 on 2021-01-05, ICU admissions 76 on 2020-10-31
    lcps = hospital.loc["2020-09-01":"2021-01-31"]
    assert (lcps["lcps_ward_adm"].idxmax(), lcps["lcps_ward_adm"].max()) == (pd.Timestamp("2020-12-29"), 430)
    icu = nl.loc["2020-09-01":"2021-02-28", "lcps_icu_occupancy"]
    assert (icu.idxmax(), icu.max()) == (pd.Timestamp("2021-01-05"), 731.0)
    assert (lcps["lcps_icu_adm"].idxmax(), lcps["lcps_icu_adm"].max()) == (pd.Timestamp("2020-10-31"), 76)
    # RIVM: 17,773 reported deaths by 2021-07-15; nursing homes 8,605
    deaths = observed.table("deaths")
    assert deaths.loc["2021-07-15", "rivm_deaths_cumulative"] == 17773
    assert deaths.loc["2021-07-15", "nursing_home_deaths_cumulative"] == 8605
    # OxCGRT and the economy
    s = observed.stringency()
    assert abs(s["2020-03-23"] - 78.7) < 0.01 and abs(s["2021-01-23"] - 82.41) < 0.01
    assert len(s) == 1096 and s.between(0, 100).all()
    assert (nl["stringency"] == s.loc[nl.index]).all()
    economy = observed.economy_netherlands().set_index(["series", "period"])["value"]
    assert economy[("bankruptcies_companies", "2020")] == 2703 and economy[("gdp_volume_annual", "2020")] == -3.8


def test_sources_do_not_run_past_their_ranges(nl):
    def span(column):
        present = nl[column].dropna().index
        return str(present[0].date()), str(present[-1].date())

    for column in ("admissions", "icu_admissions", "icu_occupancy", "ward_occupancy"):
        assert span(column) == ("2020-02-27", "2021-07-01"), column  # NICE: final days only
    assert span("icu_deaths") == ("2020-02-28", "2021-07-01")
    assert span("lcps_icu_occupancy") == ("2020-02-27", "2021-07-15")  # 2021 vintage, not spliced
    assert span("nursing_home_deaths") == ("2020-11-08", "2021-07-15")
    assert span("tests") == ("2020-06-01", "2021-07-13")
    assert span("cases") == ("2020-02-27", "2022-12-31") and span("deaths") == ("2020-02-27", "2022-12-31")
    hospital = observed.table("hospital")
    final = hospital.index[hospital["nice_status"] == "final_snapshot_2021-07-15"]
    assert str(final.max().date()) == "2021-07-01"
    np.testing.assert_array_equal(
        nl.loc[:"2021-07-01", "admissions"], hospital.loc[:"2021-07-01", "nice_ward_plus_icu_adm_proven"]
    )


def test_negative_source_corrections_are_not_observations(nl):
    deaths = observed.table("deaths")
    for day in ("2020-07-10", "2020-07-14", "2020-07-18", "2022-05-26"):
        assert deaths.loc[day, "deaths_new_reported"] < 0  # kept in the file as published
        assert np.isnan(nl.loc[day, "deaths"])
    assert deaths.loc["2021-05-09", "nursing_home_deaths_new"] == -1 and np.isnan(nl.loc["2021-05-09", "nursing_home_deaths"])
    kept = deaths["deaths_new_reported"] >= 0
    np.testing.assert_array_equal(nl.loc[kept.to_numpy(), "deaths"], deaths.loc[kept, "deaths_new_reported"])


def test_the_canonical_frame_passes_check(nl):
    checked = observed.check(nl)
    pd.testing.assert_frame_equal(checked, nl, check_freq=False)
    assert checked.attrs == nl.attrs


def test_measures_and_economy():
    m = observed.measures()
    assert len(m) == 42 and (m["date_announced"] <= m["date_in_force"]).all()
    assert set(m["certainty"]) <= {"confirmed", "likely", "unsure"}
    e = observed.economy_netherlands()
    assert list(e.columns) == ["series", "period", "value", "unit", "source", "vintage", "quality", "note"]
    assert e["period"].map(type).eq(str).all()  # "2019" stays text, like "2020Q1"


# --- check -----------------------------------------------------------------------------------


def frame(days=10, start="2020-03-10"):
    index = pd.date_range(start, periods=days, name="date")
    return pd.DataFrame(
        {"admissions": np.arange(days, dtype=float), "deaths": np.arange(days), "stringency": 50.0}, index=index
    )


def test_check_returns_a_float_copy():
    f = frame()
    f.loc["2020-03-12", "admissions"] = np.nan  # not observed: allowed
    f["icu_admissions"] = pd.array([1, None, 3, 4, 5, 6, 7, 8, 9, 10], dtype="Int64")
    checked = observed.check(f)
    assert all(dtype == np.float64 for dtype in checked.dtypes)
    assert np.isnan(checked.loc["2020-03-12", "admissions"]) and np.isnan(checked.loc["2020-03-11", "icu_admissions"])
    assert checked.index.name == "date" and f["deaths"].dtype.kind == "i"  # the input is left alone
    by_column = observed.check(f.reset_index())  # a date column instead of the index
    pd.testing.assert_frame_equal(by_column, checked)


def _case(kind):
    f = frame()
    if kind == "gap":
        return f.drop(pd.Timestamp("2020-03-14")), "observations.index", "2020-03-14"
    if kind == "duplicate":
        return pd.concat([f, f.loc[["2020-03-14"]]]).sort_index(), "observations.index", "2020-03-14"
    if kind == "unsorted":
        order = [0, 1, 2, 3, 5, 4, 6, 7, 8, 9]
        return f.iloc[order], "observations.index", "2020-03-14"
    if kind == "negative":
        f.loc["2020-03-14", "admissions"] = -3.0
        return f, "observations.admissions", "2020-03-14"
    if kind == "negative deaths":
        f.loc["2020-03-14", "deaths"] = -1
        return f, "observations.deaths", "2020-03-14"
    if kind == "gap in the date column":
        return f.drop(pd.Timestamp("2020-03-14")).reset_index(), "observations.date", "2020-03-14"
    if kind == "infinite":
        f.loc["2020-03-14", "stringency"] = np.inf
        return f, "observations.stringency", "2020-03-14"
    if kind == "text":
        f["cases"] = pd.Series(["1"] * 10, index=f.index, dtype=object)
        f.loc["2020-03-14", "cases"] = "many"
        return f, "observations.cases", "2020-03-10"
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind",
    ["gap", "duplicate", "unsorted", "negative", "negative deaths", "gap in the date column", "infinite", "text"],
)
def test_each_problem_names_the_column_and_the_date(kind):
    f, field, day = _case(kind)
    with pytest.raises(af.ValidationError) as info:
        observed.check(f)
    text = str(info.value)
    assert field in text and day in text, text
    assert any(e["field"] == f"{field}[{day}]" for e in info.value.errors()), info.value.errors()


def test_negative_count_message():
    f = frame()
    f.loc["2020-03-14", "admissions"] = -3.0
    with pytest.raises(af.ValidationError) as info:
        observed.check(f)
    assert str(info.value) == "observations.admissions[2020-03-14]: counts must be >= 0, got -3"
    assert info.value.errors() == [
        {"field": "observations.admissions[2020-03-14]", "message": "counts must be >= 0", "value": "-3"}
    ]
    f["stringency"] = -5.0  # not a count: no rule on its sign
    f.loc["2020-03-16", "admissions"] = -1.0
    with pytest.raises(af.ValidationError, match=r"counts must be >= 0 \(also on 1 more day\), got -3$"):
        observed.check(f)


def test_gap_message_says_where_the_gap_is():
    f = frame().drop([pd.Timestamp("2020-03-13"), pd.Timestamp("2020-03-14")])
    with pytest.raises(af.ValidationError) as info:
        observed.check(f)
    assert str(info.value).startswith("observations.index[2020-03-13]: missing day")
    assert info.value.errors()[0]["value"] == "a gap from 2020-03-12 to 2020-03-15"


def test_every_problem_is_listed_at_once():
    f = frame().drop(pd.Timestamp("2020-03-16"))
    f.loc["2020-03-11", "deaths"] = -2
    f.loc["2020-03-12", "admissions"] = -1.0
    with pytest.raises(af.ValidationError) as info:
        observed.check(f)
    fields = [e["field"] for e in info.value.errors()]
    assert fields == ["observations.index[2020-03-16]", "observations.admissions[2020-03-12]",
                      "observations.deaths[2020-03-11]"]


def test_non_date_index():
    with pytest.raises(af.ValidationError, match=r"observations\.index: must be dates.*RangeIndex with values such as 0"):
        observed.check(frame().reset_index(drop=True))
    text_dates = frame()
    text_dates.index = text_dates.index.strftime("%Y-%m-%d")
    with pytest.raises(af.ValidationError, match=r"observations\.index: .*'2020-03-10'"):
        observed.check(text_dates)
    column = frame().reset_index()
    column["date"] = column["date"].dt.strftime("%Y-%m-%d")
    with pytest.raises(af.ValidationError, match=r"observations\.date: must be dates .*'2020-03-10'"):
        observed.check(column)


def test_dates_must_be_whole_days_without_time_zone():
    f = frame()
    f.index = f.index + pd.Timedelta(hours=6)
    with pytest.raises(af.ValidationError, match=r"observations\.index\[2020-03-10T06:00:00\]: must be whole days"):
        observed.check(f)
    f = frame()
    f.index = f.index.tz_localize("Europe/Amsterdam")
    with pytest.raises(af.ValidationError, match="without a time zone, got Europe/Amsterdam"):
        observed.check(f)
    with pytest.raises(af.ValidationError, match="at least one day"):
        observed.check(frame().iloc[:0])
    with pytest.raises(TypeError, match="observations: expected a pandas DataFrame, got list"):
        observed.check([1, 2, 3])  # type: ignore[arg-type]


def test_check_errors_pickle_and_are_value_errors():
    import pickle

    f, _, _ = _case("negative")
    with pytest.raises(ValueError) as info:
        observed.check(f)
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is af.ValidationError and str(again) == str(info.value)


counts = st.one_of(st.just(float("nan")), st.floats(min_value=0, max_value=1e7, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=pd.Timestamp("2019-01-01").date(), max_value=pd.Timestamp("2030-01-01").date()),
    rows=st.lists(st.tuples(counts, counts, st.floats(min_value=-100, max_value=100)), min_size=1, max_size=60),
)
def test_any_non_negative_gap_free_frame_passes_unchanged(start, rows):
    index = pd.date_range(pd.Timestamp(start), periods=len(rows), name="date")
    f = pd.DataFrame(rows, columns=["admissions", "icu_occupancy", "something_else"], index=index)
    checked = observed.check(f)
    pd.testing.assert_frame_equal(checked, f, check_freq=False)


@settings(max_examples=40, deadline=None)
@given(days=st.integers(min_value=2, max_value=40), data=st.data())
def test_a_negative_count_anywhere_is_named_with_its_date(days, data):
    f = frame(days=days)
    at = data.draw(st.integers(min_value=0, max_value=days - 1))
    value = data.draw(st.floats(min_value=-1e6, max_value=-1e-6))
    f.iloc[at, 0] = value
    with pytest.raises(af.ValidationError) as info:
        observed.check(f)
    assert info.value.errors()[0]["field"] == f"observations.admissions[{f.index[at]:%Y-%m-%d}]"


# --- admissions by age -------------------------------------------------------------------------

NINE_BANDS = ("0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80+")


def test_first_wave_admissions_by_age_are_rivms_and_half_are_69_or_older():
    # RIVM's daily report of 1 June 2020: 11,744 cases notified as admitted; RIVM (14 June 2020):
    # half of the admitted were 69 or older, so the median falls in the group 65-69.
    by_group = observed.admissions_by_age("first_wave")
    assert by_group.sum() == 11_744
    shares = by_group.cumsum() / by_group.sum()
    assert shares.index[int(np.searchsorted(shares.to_numpy(), 0.5))] == "65-69"
    by_band = observed.admissions_by_age("first_wave", NINE_BANDS)
    assert list(by_band.index) == list(NINE_BANDS) and by_band.sum() == 11_744
    assert by_band["80+"] == 1238 + 802 + 250 + 43
    assert by_band.attrs["date_to"] == "2020-06-01" and "CoronaWatchNL" in by_band.attrs["source"]
    earlier = observed.admissions_by_age("first_wave_to_2020-04-15", NINE_BANDS)
    assert (earlier <= by_band).all() and earlier.sum() == 9_126


def test_second_wave_ward_admissions_by_age_are_nices_difference():
    ward = observed.admissions_by_age("second_wave_ward", ("0-19",) + NINE_BANDS[2:])
    assert ward.sum() == 14_317 and ward["80+"] == 1970 + 1338 + 586
    with pytest.raises(af.ValidationError, match="0-19 falls in no single band"):
        observed.admissions_by_age("second_wave_ward", NINE_BANDS)
    with pytest.raises(af.UnknownNameError, match="period: unknown period 'third_wave'; valid: first_wave_to"):
        observed.admissions_by_age("third_wave")
