//! The OxCGRT stringency index, index methodology version 3.6 (Hale et al., "A global panel
//! database of pandemic policies (Oxford COVID-19 Government Response Tracker)", Nat Hum Behav
//! 2021; `documentation/index_methodology.md` in the OxCGRT/covid-policy-tracker repository).
//! It puts a package of measures on the 0-100 scale the Oxford tracker used for every country, so a
//! package can be set beside what the Netherlands and others actually did.
//!
//! Each indicator `j` is scored on its ordinal scale `v` (0..=N) and, for most, a flag `f` (1 =
//! general, 0 = targeted); the sub-index is `I = 100 * (v - 0.5 * (F - f)) / N` with `F = 1` when
//! the indicator has a flag, and `I = 0` when `v = 0`. The stringency index is the mean of the nine
//! sub-indices C1-C8 and H1.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::inputs::validate::Checker;

/// An ordinal OxCGRT indicator (the five non-ordinal ones, E3, E4, H4, H5 and M1, enter no index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Indicator {
    C1,
    C2,
    C3,
    C4,
    C5,
    C6,
    C7,
    C8,
    E1,
    E2,
    H1,
    H2,
    H3,
    H6,
    H7,
    H8,
}

impl Indicator {
    pub const ALL: [Indicator; 16] = [
        Indicator::C1,
        Indicator::C2,
        Indicator::C3,
        Indicator::C4,
        Indicator::C5,
        Indicator::C6,
        Indicator::C7,
        Indicator::C8,
        Indicator::E1,
        Indicator::E2,
        Indicator::H1,
        Indicator::H2,
        Indicator::H3,
        Indicator::H6,
        Indicator::H7,
        Indicator::H8,
    ];

    /// The nine components of the stringency index (methodology v3.6, table of indices).
    pub const STRINGENCY: [Indicator; 9] = [
        Indicator::C1,
        Indicator::C2,
        Indicator::C3,
        Indicator::C4,
        Indicator::C5,
        Indicator::C6,
        Indicator::C7,
        Indicator::C8,
        Indicator::H1,
    ];

    /// The OxCGRT code, e.g. `C1`.
    pub fn name(self) -> &'static str {
        match self {
            Indicator::C1 => "C1",
            Indicator::C2 => "C2",
            Indicator::C3 => "C3",
            Indicator::C4 => "C4",
            Indicator::C5 => "C5",
            Indicator::C6 => "C6",
            Indicator::C7 => "C7",
            Indicator::C8 => "C8",
            Indicator::E1 => "E1",
            Indicator::E2 => "E2",
            Indicator::H1 => "H1",
            Indicator::H2 => "H2",
            Indicator::H3 => "H3",
            Indicator::H6 => "H6",
            Indicator::H7 => "H7",
            Indicator::H8 => "H8",
        }
    }

    /// What the indicator records, in the codebook's words.
    pub fn label(self) -> &'static str {
        match self {
            Indicator::C1 => "school closing",
            Indicator::C2 => "workplace closing",
            Indicator::C3 => "cancel public events",
            Indicator::C4 => "restrictions on gatherings",
            Indicator::C5 => "close public transport",
            Indicator::C6 => "stay at home requirements",
            Indicator::C7 => "restrictions on internal movement",
            Indicator::C8 => "international travel controls",
            Indicator::E1 => "income support",
            Indicator::E2 => "debt/contract relief",
            Indicator::H1 => "public information campaigns",
            Indicator::H2 => "testing policy",
            Indicator::H3 => "contact tracing",
            Indicator::H6 => "facial coverings",
            Indicator::H7 => "vaccination policy",
            Indicator::H8 => "protection of elderly people",
        }
    }

    /// The top of the ordinal scale, `N` in the methodology.
    pub fn max_level(self) -> u8 {
        match self {
            Indicator::C1 | Indicator::C2 | Indicator::C6 | Indicator::H2 | Indicator::H8 => 3,
            Indicator::C3
            | Indicator::C5
            | Indicator::C7
            | Indicator::E1
            | Indicator::E2
            | Indicator::H1
            | Indicator::H3 => 2,
            Indicator::C4 | Indicator::C8 | Indicator::H6 => 4,
            Indicator::H7 => 5,
        }
    }

    /// Whether the indicator carries a flag (`F = 1`): geographic scope for C1-C7, H1, H6 and H8,
    /// sectoral scope for E1, who pays for H7; C8, E2, H2 and H3 have none (v3.6 table).
    pub fn has_flag(self) -> bool {
        !matches!(
            self,
            Indicator::C8 | Indicator::E2 | Indicator::H2 | Indicator::H3
        )
    }

    /// Whether the stringency index uses this indicator.
    pub fn in_stringency_index(self) -> bool {
        Indicator::STRINGENCY.contains(&self)
    }

    /// What the two flag values mean, for error messages.
    fn flag_meaning(self) -> &'static str {
        match self {
            Indicator::E1 => "0 = formal or informal sector only, 1 = all workers",
            Indicator::H7 => "0 = at cost to the individual, 1 = government funded",
            _ => "0 = targeted, 1 = general",
        }
    }
}

impl fmt::Display for Indicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Indicator {
    type Err = Error;

    /// Parses the code exactly as OxCGRT writes it (`C1`, `H6`); an unknown one lists the valid.
    fn from_str(s: &str) -> Result<Indicator> {
        Indicator::ALL
            .into_iter()
            .find(|i| i.name() == s)
            .ok_or_else(|| Error::UnknownName {
                field: "stringency".into(),
                kind: "indicator",
                name: s.into(),
                valid: Indicator::ALL
                    .iter()
                    .map(|i| i.name().to_string())
                    .collect(),
            })
    }
}

/// The recorded level of one indicator: JSON `{"value": 3, "flag": 1}`, or `{"value": 3}` for an
/// indicator without a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// Position on the ordinal scale, 0 (no measure) up to [`Indicator::max_level`].
    pub value: u8,
    /// 1 = general (nationwide), 0 = targeted; only for indicators that have a flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<u8>,
}

impl Level {
    /// A measure that applies everywhere (flag 1).
    pub fn general(value: u8) -> Level {
        Level {
            value,
            flag: Some(1),
        }
    }

    /// A measure limited to part of the country (flag 0), scored half a step lower.
    pub fn targeted(value: u8) -> Level {
        Level {
            value,
            flag: Some(0),
        }
    }

    /// A level for an indicator without a flag (C8, E2, H2, H3).
    pub fn unflagged(value: u8) -> Level {
        Level { value, flag: None }
    }
}

/// Checks `level` against the rules of `indicator`, naming fields `{field}.value` and
/// `{field}.flag` (e.g. `stringency.C1.value`).
///
/// A flagged indicator with a non-zero value must say its flag: methodology v3.6 only defines the
/// sub-index for a recorded flag (and for `v = 0`, where the flag is blank), and guessing general
/// or targeted would move the score by half a step. A flag on `v = 0` is accepted and has no effect.
pub fn check_level(
    c: &mut Checker,
    field: impl fmt::Display + Copy,
    indicator: Indicator,
    level: &Level,
) {
    let max = indicator.max_level();
    if level.value > max {
        c.fail(
            format_args!("{field}.value"),
            format!("must be between 0 and {max}"),
            level.value.to_string(),
        );
    }
    let flag_field = format_args!("{field}.flag");
    match (indicator.has_flag(), level.flag) {
        (false, Some(f)) => c.fail(
            flag_field,
            format!(
                "must be left out: {indicator} ({}) has no flag",
                indicator.label()
            ),
            f.to_string(),
        ),
        (true, Some(f)) if f > 1 => c.fail(
            flag_field,
            format!("must be 0 or 1 ({})", indicator.flag_meaning()),
            f.to_string(),
        ),
        (true, None) if level.value > 0 => c.fail(
            flag_field,
            format!("required when value > 0 ({})", indicator.flag_meaning()),
            String::new(),
        ),
        _ => {}
    }
}

/// Sub-index of a level already checked: equation 2 of the methodology.
fn score(indicator: Indicator, level: &Level) -> f64 {
    if level.value == 0 {
        return 0.0;
    }
    let big_f = if indicator.has_flag() { 1.0 } else { 0.0 };
    let f = f64::from(level.flag.unwrap_or(0));
    100.0 * (f64::from(level.value) - 0.5 * (big_f - f)) / f64::from(indicator.max_level())
}

/// The sub-index `I` (0-100) of one indicator; errors name `stringency.{code}.value` or `.flag`.
pub fn sub_index(indicator: Indicator, level: &Level) -> Result<f64> {
    let mut c = Checker::new();
    check_level(
        &mut c,
        format_args!("stringency.{indicator}"),
        indicator,
        level,
    );
    c.finish()?;
    Ok(score(indicator, level))
}

/// The stringency index (0-100): the mean of the sub-indices of C1-C8 and H1.
///
/// An indicator absent from the map counts as 0, OxCGRT's conservative reading of missing data;
/// unlike the published series, which leaves a day out when more than one component is missing,
/// this always gives a value, because a package that does not mention a measure does not take it.
/// Other indicators (E1, H6, ...) may be in the map; they are checked but do not enter this index.
/// Every bad entry is reported at once.
pub fn stringency_index(levels: &BTreeMap<Indicator, Level>) -> Result<f64> {
    let mut c = Checker::new();
    for (&indicator, level) in levels {
        check_level(
            &mut c,
            format_args!("stringency.{indicator}"),
            indicator,
            level,
        );
    }
    c.finish()?;
    let total: f64 = Indicator::STRINGENCY
        .iter()
        .map(|&i| levels.get(&i).map_or(0.0, |l| score(i, l)))
        .sum();
    Ok(total / Indicator::STRINGENCY.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(entries: &[(Indicator, Level)]) -> BTreeMap<Indicator, Level> {
        entries.iter().copied().collect()
    }

    fn messages(err: Error) -> Vec<String> {
        err.field_errors().iter().map(ToString::to_string).collect()
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn scales_and_flags_follow_the_v3_6_table() {
        use Indicator::*;
        let table = [
            (C1, 3, true),
            (C2, 3, true),
            (C3, 2, true),
            (C4, 4, true),
            (C5, 2, true),
            (C6, 3, true),
            (C7, 2, true),
            (C8, 4, false),
            (E1, 2, true),
            (E2, 2, false),
            (H1, 2, true),
            (H2, 3, false),
            (H3, 2, false),
            (H6, 4, true),
            (H7, 5, true),
            (H8, 3, true),
        ];
        assert_eq!(table.len(), Indicator::ALL.len());
        for (i, n, flag) in table {
            assert_eq!(i.max_level(), n, "{i}");
            assert_eq!(i.has_flag(), flag, "{i}");
        }
        let in_index: Vec<_> = Indicator::ALL
            .into_iter()
            .filter(|i| i.in_stringency_index())
            .collect();
        assert_eq!(in_index, Indicator::STRINGENCY.to_vec());
        assert_eq!(C1.label(), "school closing");
        assert_eq!(H8.label(), "protection of elderly people");
    }

    #[test]
    fn names_parse_back() {
        for i in Indicator::ALL {
            assert_eq!(i.name().parse::<Indicator>().unwrap(), i);
            assert_eq!(i.to_string(), i.name());
        }
    }

    #[test]
    fn unknown_name_lists_the_valid_ones() {
        let err = "C9".parse::<Indicator>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "stringency: unknown indicator \"C9\"; valid: C1, C2, C3, C4, C5, C6, C7, C8, E1, E2, \
             H1, H2, H3, H6, H7, H8"
        );
        assert!("c1".parse::<Indicator>().is_err());
    }

    #[test]
    fn sub_index_formula() {
        use Indicator::*;
        // general: 100 * v / N
        assert!(close(
            sub_index(C1, &Level::general(2)).unwrap(),
            200.0 / 3.0,
            1e-12
        ));
        // targeted: half a step lower, 100 * (2 - 0.5) / 3 = 50
        assert!(close(
            sub_index(C1, &Level::targeted(2)).unwrap(),
            50.0,
            1e-12
        ));
        // no flag: 100 * 3 / 4 = 75
        assert_eq!(sub_index(C8, &Level::unflagged(3)).unwrap(), 75.0);
        // v = 0 scores 0, with or without a flag
        assert_eq!(sub_index(C1, &Level::unflagged(0)).unwrap(), 0.0);
        assert_eq!(sub_index(C1, &Level::targeted(0)).unwrap(), 0.0);
        // the top of every scale, general, is 100
        for i in Indicator::ALL {
            let top = if i.has_flag() {
                Level::general(i.max_level())
            } else {
                Level::unflagged(i.max_level())
            };
            assert_eq!(sub_index(i, &top).unwrap(), 100.0, "{i}");
        }
    }

    #[test]
    fn everything_at_the_top_is_100() {
        use Indicator::*;
        // C1 3/1, C2 3/1, C3 2/1, C4 4/1, C5 2/1, C6 3/1, C7 2/1, C8 4, H1 2/1: nine times 100.
        let all = levels(&[
            (C1, Level::general(3)),
            (C2, Level::general(3)),
            (C3, Level::general(2)),
            (C4, Level::general(4)),
            (C5, Level::general(2)),
            (C6, Level::general(3)),
            (C7, Level::general(2)),
            (C8, Level::unflagged(4)),
            (H1, Level::general(2)),
        ]);
        assert_eq!(stringency_index(&all).unwrap(), 100.0);
    }

    #[test]
    fn absent_indicators_count_as_zero() {
        // Only C1 = 2, targeted: I = 100 * (2 - 0.5) / 3 = 50; the other eight are absent, so the
        // index is 50 / 9 = 5.555...
        let one = levels(&[(Indicator::C1, Level::targeted(2))]);
        assert!(close(stringency_index(&one).unwrap(), 50.0 / 9.0, 1e-12));
        assert_eq!(stringency_index(&BTreeMap::new()).unwrap(), 0.0);
    }

    #[test]
    fn methodology_worked_example() {
        use Indicator::*;
        // The example table of index_methodology.md v3.6 (OxCGRT/covid-policy-tracker):
        //   C1 2/1 -> 66.67   C2 no data -> 0    C3 2/0 -> 75    C4 2/0 -> 37.50
        //   C5 0/null -> 0    C6 1/0 -> 16.67    C7 1/1 -> 50    C8 3 -> 75    H1 2/0 -> 75
        //   stringency = (66.67 + 0 + 75 + 37.5 + 0 + 16.67 + 50 + 75 + 75) / 9 = 395.83 / 9 = 43.98
        // and the others, which must not move it: E1 2/0 -> 75, E2 2 -> 100, H2 3 -> 100,
        // H3 2 -> 100, H6 2/0 -> 37.50, H7 2/1 -> 40, H8 2/1 -> 66.67.
        let day = levels(&[
            (C1, Level::general(2)),
            (C3, Level::targeted(2)),
            (C4, Level::targeted(2)),
            (C5, Level::unflagged(0)),
            (C6, Level::targeted(1)),
            (C7, Level::general(1)),
            (C8, Level::unflagged(3)),
            (E1, Level::targeted(2)),
            (E2, Level::unflagged(2)),
            (H1, Level::targeted(2)),
            (H2, Level::unflagged(3)),
            (H3, Level::unflagged(2)),
            (H6, Level::targeted(2)),
            (H7, Level::general(2)),
            (H8, Level::general(2)),
        ]);
        let expected = [
            (C1, 66.67),
            (C3, 75.0),
            (C4, 37.5),
            (C5, 0.0),
            (C6, 16.67),
            (C7, 50.0),
            (C8, 75.0),
            (E1, 75.0),
            (E2, 100.0),
            (H1, 75.0),
            (H2, 100.0),
            (H3, 100.0),
            (H6, 37.5),
            (H7, 40.0),
            (H8, 66.67),
        ];
        for (i, published) in expected {
            // The table rounds to two decimals (and truncates H8 to 66.66 in some versions).
            assert!(
                close(sub_index(i, &day[&i]).unwrap(), published, 0.01),
                "{i}"
            );
        }
        let index = stringency_index(&day).unwrap();
        assert!(close(index, 43.98, 0.005), "{index}");
        let only_stringency: BTreeMap<_, _> = day
            .iter()
            .filter(|(i, _)| i.in_stringency_index())
            .map(|(&i, &l)| (i, l))
            .collect();
        assert_eq!(stringency_index(&only_stringency).unwrap(), index);
    }

    #[test]
    fn netherlands_december_2020_lockdown_matches_published_index() {
        use Indicator::*;
        // OxCGRT/covid-policy-tracker at commit a848ff61bf4af5caf4281a4034e8a579872c4126, row NLD
        // of data/timeseries/stringency_index.csv and of the indicator files c1_school_closing,
        // c2_workplace_closing, c3_cancel_public_events, c4_restrictions_on_gatherings,
        // c5_close_public_transport, c6_stay_at_home_requirements, c7_movementrestrictions,
        // c8_internationaltravel, h1_public_information_campaigns and h1_flag (.csv):
        //
        //   date         C1 C2 C3 C4 C5 C6 C7 C8 H1   published StringencyIndex
        //   14 Dec 2020   1  2  2  4  0  1  0  3  2   56.48
        //   15 Dec 2020   1  3  2  4  2  1  1  3  2   76.85  (shops closed, lockdown announced 14 Dec)
        //   16 Dec 2020   3  3  2  4  2  1  1  3  2   84.26  (schools closed)
        //
        // H1's flag is 1 in h1_flag.csv. The C1-C7 flag files were not read: the published values
        // are reached only with every flag 1 (one targeted flag lowers the index by at least
        // 100 * 0.5 / 4 / 9 = 1.39), as expected for the nationwide Dutch measures.
        //
        // 16 Dec: C1 100, C2 100, C3 100, C4 100, C5 100, C6 33.33, C7 50, C8 75, H1 100
        //   = 758.33 / 9 = 84.259 -> 84.26
        // 15 Dec: C1 33.33 instead of 100 -> 691.67 / 9 = 76.852 -> 76.85
        // 14 Dec: C1 33.33, C2 66.67, C5 0, C7 0 -> 508.33 / 9 = 56.481 -> 56.48
        let day = |c1, c2, c5, c7| {
            let mut m = levels(&[
                (C1, Level::general(c1)),
                (C2, Level::general(c2)),
                (C3, Level::general(2)),
                (C4, Level::general(4)),
                (C6, Level::general(1)),
                (C8, Level::unflagged(3)),
                (H1, Level::general(2)),
            ]);
            // A zero has a blank flag in the OxCGRT files.
            m.insert(
                C5,
                if c5 == 0 {
                    Level::unflagged(0)
                } else {
                    Level::general(c5)
                },
            );
            m.insert(
                C7,
                if c7 == 0 {
                    Level::unflagged(0)
                } else {
                    Level::general(c7)
                },
            );
            m
        };
        for (name, lv, published) in [
            ("14 Dec", day(1, 2, 0, 0), 56.48),
            ("15 Dec", day(1, 3, 2, 1), 76.85),
            ("16 Dec", day(3, 3, 2, 1), 84.26),
        ] {
            let index = stringency_index(&lv).unwrap();
            assert!(
                close(index, published, 0.005),
                "{name}: {index} vs {published}"
            );
        }
    }

    #[test]
    fn value_above_the_scale() {
        let err = sub_index(Indicator::C1, &Level::general(4)).unwrap_err();
        assert_eq!(
            messages(err),
            ["stringency.C1.value: must be between 0 and 3, got 4"]
        );
        let err = sub_index(Indicator::C8, &Level::unflagged(5)).unwrap_err();
        assert_eq!(
            messages(err),
            ["stringency.C8.value: must be between 0 and 4, got 5"]
        );
    }

    #[test]
    fn flag_other_than_zero_or_one() {
        let err = sub_index(
            Indicator::C2,
            &Level {
                value: 1,
                flag: Some(2),
            },
        )
        .unwrap_err();
        assert_eq!(
            messages(err),
            ["stringency.C2.flag: must be 0 or 1 (0 = targeted, 1 = general), got 2"]
        );
        let err = sub_index(
            Indicator::H7,
            &Level {
                value: 1,
                flag: Some(3),
            },
        )
        .unwrap_err();
        assert_eq!(
            messages(err),
            ["stringency.H7.flag: must be 0 or 1 (0 = at cost to the individual, 1 = government \
              funded), got 3"]
        );
    }

    #[test]
    fn flag_on_an_indicator_without_one() {
        let err = sub_index(Indicator::C8, &Level::general(3)).unwrap_err();
        assert_eq!(
            messages(err),
            [
                "stringency.C8.flag: must be left out: C8 (international travel controls) has no \
              flag, got 1"
            ]
        );
        // also when the value is 0
        assert!(sub_index(Indicator::H2, &Level::targeted(0)).is_err());
    }

    #[test]
    fn missing_flag_on_a_measure_in_force() {
        let err = sub_index(Indicator::C1, &Level::unflagged(2)).unwrap_err();
        assert_eq!(
            messages(err),
            ["stringency.C1.flag: required when value > 0 (0 = targeted, 1 = general)"]
        );
        let err = sub_index(Indicator::E1, &Level::unflagged(1)).unwrap_err();
        assert_eq!(
            messages(err),
            [
                "stringency.E1.flag: required when value > 0 (0 = formal or informal sector only, \
              1 = all workers)"
            ]
        );
    }

    #[test]
    fn index_reports_every_bad_entry_including_unused_indicators() {
        use Indicator::*;
        let bad = levels(&[
            (C1, Level::general(4)),
            (C8, Level::general(2)),
            (H6, Level::unflagged(9)),
        ]);
        let err = stringency_index(&bad).unwrap_err();
        assert_eq!(
            messages(err),
            [
                "stringency.C1.value: must be between 0 and 3, got 4",
                "stringency.C8.flag: must be left out: C8 (international travel controls) has \
                 no flag, got 1",
                "stringency.H6.value: must be between 0 and 4, got 9",
                "stringency.H6.flag: required when value > 0 (0 = targeted, 1 = general)",
            ]
        );
    }

    #[test]
    fn level_json() {
        let general: Level = serde_json::from_str(r#"{"value": 3, "flag": 1}"#).unwrap();
        assert_eq!(general, Level::general(3));
        assert_eq!(
            serde_json::to_string(&general).unwrap(),
            r#"{"value":3,"flag":1}"#
        );
        let plain: Level = serde_json::from_str(r#"{"value": 3}"#).unwrap();
        assert_eq!(plain, Level::unflagged(3));
        assert_eq!(serde_json::to_string(&plain).unwrap(), r#"{"value":3}"#);
        let null_flag: Level = serde_json::from_str(r#"{"value": 0, "flag": null}"#).unwrap();
        assert_eq!(null_flag, Level::unflagged(0));
        assert!(serde_json::from_str::<Level>(r#"{"value": 1, "scope": 1}"#).is_err());
        assert!(serde_json::from_str::<Level>(r#"{"value": -1}"#).is_err());
    }

    #[test]
    fn package_json_round_trip() {
        use Indicator::*;
        let package = levels(&[
            (C1, Level::targeted(2)),
            (C8, Level::unflagged(3)),
            (H6, Level::general(3)),
        ]);
        let text = serde_json::to_string(&package).unwrap();
        assert_eq!(
            text,
            r#"{"C1":{"value":2,"flag":0},"C8":{"value":3},"H6":{"value":3,"flag":1}}"#
        );
        let back: BTreeMap<Indicator, Level> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, package);
        assert_eq!(serde_json::to_string(&C4).unwrap(), r#""C4""#);
        let err = serde_json::from_str::<BTreeMap<Indicator, Level>>(r#"{"C9": {"value": 1}}"#)
            .unwrap_err();
        assert!(err.to_string().contains("unknown variant `C9`"), "{err}");
    }
}
