//! Timelines: packages of the sector plans scheduled by calendar date, such as the Dutch national
//! measures of 2020-2022 (`data/netherlands/timeline.json`).
//!
//! A timeline is a list of entries, each with the date from which its package is in force (the
//! first full day), its name, the source and how certain the record is. On any date the package
//! in force is that of the last entry dated on or before it; after the last entry its package
//! stays in force. In a run ([`crate::run::with_timeline`]) the timeline acts through the one
//! closed loop as a policy whose level comes from the date, not from signals: the run's policy
//! record holds the rungs, activity, stringency and costs per day as for any policy.
//!
//! Combined with a policy (a package, a trigger policy or packages per region), each day's package
//! is the timeline's package and the policy's package of the day merged by [`stricter`]: per sector
//! the higher (stricter) rung of the two, and the general measures of both.

use std::fmt::Display;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{from_json, Error, Result};
use crate::inputs::source::Sources;
use crate::inputs::validate::Checker;
use crate::measures::plans::{Package, SectorPlans};

/// How well the record of an entry is established (the `certainty` column of the observed
/// measures timeline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    /// A cited source gives the date and the content.
    Confirmed,
    /// The date matches an OxCGRT level change or a cited event; some details are from general
    /// knowledge.
    Likely,
    /// Not corroborated: check before relying on it.
    Unsure,
}

/// Whether an entry tightens or relaxes the measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Tighten,
    Relax,
}

/// One change of the measures: the package in force from `date`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineEntry {
    /// First full day in force (ISO 8601, e.g. `2020-03-15`).
    pub date: NaiveDate,
    /// Short name, e.g. `"Scholen, horeca en sport dicht"`.
    pub name: String,
    /// What the measures were, in words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Date of the announcement (press conference), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announced: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// The OxCGRT level changes recorded on or near the date (for comparison; not used).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub oxcgrt_recorded: String,
    /// Where the entry comes from.
    pub source: String,
    pub certainty: Certainty,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The package in force from `date`.
    pub package: Package,
    /// A regional measure (how it is represented nationally is said in `reading`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub regional: bool,
    /// How the package was read from the description, where it is the project's reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
}

/// Packages of the sector plans scheduled by date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timeline {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Entries in date order, no two on one date.
    pub entries: Vec<TimelineEntry>,
    #[serde(default, skip_serializing_if = "Sources::is_empty")]
    pub sources: Sources,
}

const NETHERLANDS: &str = include_str!("../../data/netherlands/timeline.json");

/// The package of a day under a timeline and a policy: per sector the stricter (higher) rung of
/// the two, and the general measures of `a` followed by those of `b` not already named.
pub fn stricter(a: &Package, b: &Package) -> Package {
    let mut out = a.clone();
    for (sector, &rung) in &b.rungs {
        let r = out.rungs.entry(sector.clone()).or_insert(rung);
        *r = (*r).max(rung);
    }
    for g in &b.general {
        if !out.general.contains(g) {
            out.general.push(g.clone());
        }
    }
    out
}

impl Timeline {
    /// The Dutch national measures from 27 February 2020 to 23 March 2022, checked against the
    /// embedded sector plans.
    pub fn netherlands() -> Timeline {
        Timeline::from_json_str(NETHERLANDS, &SectorPlans::netherlands())
            .expect("embedded timeline is valid")
    }

    /// Parses a timeline and checks it against `plans`.
    pub fn from_json_str(text: &str, plans: &SectorPlans) -> Result<Timeline> {
        let timeline: Timeline = from_json("timeline", text)?;
        timeline.validate(plans)?;
        Ok(timeline)
    }

    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(self).expect("timeline serialises")
    }

    /// Checks the timeline against the plans (all problems at once).
    pub fn validate(&self, plans: &SectorPlans) -> Result<()> {
        let mut c = Checker::new();
        self.check(plans, &mut c);
        c.finish()
    }

    /// Checks that there is at least one entry, that the entries are in date order with no two
    /// on one date, and that each package fits the plans; fields are named `timeline[i]...` and
    /// every message names the entry's date.
    pub fn check(&self, plans: &SectorPlans, c: &mut Checker) {
        if self.entries.is_empty() {
            c.fail(
                "timeline.entries",
                "must have at least one entry",
                "[]".into(),
            );
        }
        for (i, pair) in self.entries.windows(2).enumerate() {
            let (before, entry) = (&pair[0], &pair[1]);
            if entry.date <= before.date {
                let what = if entry.date == before.date {
                    "is the date of"
                } else {
                    "is not after"
                };
                c.fail(
                    format_args!("timeline[{}].date", i + 1),
                    format!(
                        "{} {what} timeline[{i}].date {} (entries must be in date order, one per date)",
                        entry.date, before.date
                    ),
                    String::new(),
                );
            }
        }
        for (i, entry) in self.entries.iter().enumerate() {
            if entry.name.trim().is_empty() {
                c.fail(
                    format_args!("timeline[{i}].name"),
                    format!("must not be empty (entry of {})", entry.date),
                    String::new(),
                );
            }
            let mut own = Checker::new();
            plans.check_package(
                &entry.package,
                format_args!("timeline[{i}].package"),
                &mut own,
            );
            if let Err(Error::Validation(errors)) = own.finish() {
                for e in errors {
                    c.fail(
                        e.field,
                        format!("{} (entry of {})", e.message, entry.date),
                        e.value,
                    );
                }
            }
        }
    }

    /// Index of the entry in force on `date`: the last one dated on or before it (`None` before
    /// the first entry).
    pub fn index_on(&self, date: NaiveDate) -> Option<usize> {
        crate::inputs::dated::in_force(&self.entries, date, |e| e.date)
    }

    /// The package in force on `date` (`None` before the first entry; the last entry's package
    /// after it).
    pub fn package_on(&self, date: NaiveDate) -> Option<&Package> {
        self.index_on(date).map(|i| &self.entries[i].package)
    }

    /// Date of the first entry.
    pub fn first_date(&self) -> Option<NaiveDate> {
        self.entries.first().map(|e| e.date)
    }

    /// Date of the last entry.
    pub fn last_date(&self) -> Option<NaiveDate> {
        self.entries.last().map(|e| e.date)
    }

    /// The index of the entry in force on each of `days` days from `start`; an error naming
    /// `field` when `start` is before the first entry.
    pub fn schedule(
        &self,
        start: NaiveDate,
        days: usize,
        field: impl Display,
    ) -> Result<Vec<usize>> {
        let Some(first) = self.index_on(start) else {
            return Err(Error::field(
                field.to_string(),
                format!(
                    "{start} is before the first entry of timeline {:?} (timeline[0].date {})",
                    self.name,
                    self.first_date()
                        .map_or_else(|| "none".to_string(), |d| d.to_string())
                ),
                String::new(),
            ));
        };
        let mut out = Vec::with_capacity(days);
        let mut i = first;
        let mut date = start;
        for _ in 0..days {
            while i + 1 < self.entries.len() && self.entries[i + 1].date <= date {
                i += 1;
            }
            out.push(i);
            date = date.succ_opt().unwrap_or(date);
        }
        Ok(out)
    }

    /// The OxCGRT stringency index (0-100) of the package in force on every day from `start`
    /// through `until` ([`SectorPlans::stringency`]); defaults: the first entry's date and the
    /// last entry's date. Errors name `start` or `until`.
    pub fn stringency(
        &self,
        plans: &SectorPlans,
        start: Option<NaiveDate>,
        until: Option<NaiveDate>,
    ) -> Result<(NaiveDate, Vec<f64>)> {
        let (Some(first), Some(last)) = (self.first_date(), self.last_date()) else {
            return Err(Error::field(
                "timeline.entries".into(),
                "must have at least one entry".into(),
                "[]".into(),
            ));
        };
        let start = start.unwrap_or(first);
        let until = until.unwrap_or(last.max(start));
        if until < start {
            return Err(Error::field(
                "until".into(),
                format!("must not be before start {start}"),
                until.to_string(),
            ));
        }
        let days = (until - start).num_days() as usize + 1;
        let schedule = self.schedule(start, days, "start")?;
        let per_entry: Vec<f64> = self
            .entries
            .iter()
            .map(|e| plans.stringency(&e.package))
            .collect();
        Ok((start, schedule.into_iter().map(|i| per_entry[i]).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn entry(d: &str, package: Package) -> TimelineEntry {
        TimelineEntry {
            date: date(d),
            name: format!("entry {d}"),
            description: String::new(),
            announced: None,
            direction: None,
            oxcgrt_recorded: String::new(),
            source: "test".into(),
            certainty: Certainty::Confirmed,
            note: None,
            package,
            regional: false,
            reading: None,
        }
    }

    fn timeline(entries: Vec<TimelineEntry>) -> Timeline {
        Timeline {
            name: "test".into(),
            description: String::new(),
            entries,
            sources: Sources::new(),
        }
    }

    fn package(rungs: &[(&str, usize)], general: &[&str]) -> Package {
        Package {
            rungs: rungs.iter().map(|(s, r)| (s.to_string(), *r)).collect(),
            general: general.iter().map(|g| g.to_string()).collect(),
        }
    }

    fn messages(err: Error) -> Vec<String> {
        err.field_errors().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn the_dutch_timeline_is_valid_and_in_order() {
        let tl = Timeline::netherlands();
        assert_eq!(tl.entries.len(), 43);
        assert_eq!(tl.first_date(), Some(date("2020-02-27")));
        assert_eq!(tl.last_date(), Some(date("2022-03-23")));
        assert!(tl.entries.windows(2).all(|w| w[0].date < w[1].date));
        let regional: Vec<_> = tl
            .entries
            .iter()
            .filter(|e| e.regional)
            .map(|e| e.date.to_string())
            .collect();
        assert_eq!(regional, ["2020-03-10", "2020-09-20"]);
        for e in tl.entries.iter().filter(|e| e.regional) {
            assert!(e
                .reading
                .as_deref()
                .unwrap()
                .contains("national approximation"));
        }
        // JSON round trip
        let back =
            Timeline::from_json_str(&tl.to_json_string(), &SectorPlans::netherlands()).unwrap();
        assert_eq!(back, tl);
    }

    #[test]
    fn unsorted_dates_are_refused_naming_both_entries() {
        let plans = SectorPlans::netherlands();
        let tl = timeline(vec![
            entry("2020-03-12", Package::default()),
            entry("2020-03-16", Package::default()),
            entry("2020-03-15", Package::default()),
        ]);
        assert_eq!(
            messages(tl.validate(&plans).unwrap_err()),
            [
                "timeline[2].date: 2020-03-15 is not after timeline[1].date 2020-03-16 (entries \
              must be in date order, one per date)"
            ]
        );
    }

    #[test]
    fn duplicate_dates_are_refused() {
        let plans = SectorPlans::netherlands();
        let tl = timeline(vec![
            entry("2020-03-12", Package::default()),
            entry("2020-03-12", package(&[("horeca", 3)], &[])),
        ]);
        assert_eq!(
            messages(tl.validate(&plans).unwrap_err()),
            [
                "timeline[1].date: 2020-03-12 is the date of timeline[0].date 2020-03-12 (entries \
              must be in date order, one per date)"
            ]
        );
        assert!(timeline(vec![]).validate(&plans).is_err());
    }

    #[test]
    fn unknown_sectors_rungs_and_measures_name_the_entry_and_its_date() {
        let plans = SectorPlans::netherlands();
        let tl = timeline(vec![
            entry("2020-03-12", Package::default()),
            entry(
                "2020-03-15",
                package(&[("horeca", 4), ("bioscopen", 1)], &["avondklokje"]),
            ),
        ]);
        let msgs = messages(tl.validate(&plans).unwrap_err());
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(msgs[0]
            .starts_with("timeline[1].package.rungs.bioscopen: unknown sector; valid: horeca, "));
        assert!(
            msgs[0].contains("(entry of 2020-03-15), got \"bioscopen\""),
            "{msgs:?}"
        );
        assert_eq!(
            msgs[1],
            "timeline[1].package.rungs.horeca: must be between 0 and 3 (rungs of horeca) (entry \
             of 2020-03-15), got 4"
        );
        assert!(msgs[2].starts_with("timeline[1].package.general[0]: unknown general measure"));
        assert!(msgs[2].ends_with("(entry of 2020-03-15), got \"avondklokje\""));
        // the same from JSON
        let text = serde_json::to_string(&tl).unwrap();
        assert!(Timeline::from_json_str(&text, &plans).is_err());
        let err = Timeline::from_json_str(
            r#"{"name": "x", "entries": [{"date": "2020-13-01"}]}"#,
            &plans,
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("timeline.entries[0].date"),
            "{err}"
        );
    }

    #[test]
    fn package_in_force_on_a_date() {
        let tl = Timeline::netherlands();
        assert_eq!(tl.package_on(date("2020-02-26")), None);
        assert_eq!(tl.package_on(date("2020-02-27")), Some(&Package::default()));
        let lockdown = tl.package_on(date("2020-12-15")).unwrap();
        assert_eq!(lockdown.rungs["detailhandel"], 3);
        assert!(lockdown
            .general
            .contains(&"lockdown_niet_essentieel".to_string()));
        // the day before an entry has the previous package
        assert_eq!(
            tl.index_on(date("2020-12-14")).unwrap() + 1,
            tl.index_on(date("2020-12-15")).unwrap()
        );
        let curfew = tl.package_on(date("2021-02-01")).unwrap();
        assert!(curfew.general.contains(&"avondklok".to_string()));
        // after the last entry its package stays
        assert_eq!(
            tl.package_on(date("2030-01-01")),
            Some(&tl.entries.last().unwrap().package)
        );
    }

    #[test]
    fn stringency_per_day_reuses_the_package_index() {
        let plans = SectorPlans::netherlands();
        let tl = Timeline::netherlands();
        let (start, s) = tl
            .stringency(&plans, Some(date("2020-12-14")), Some(date("2020-12-16")))
            .unwrap();
        assert_eq!(start, date("2020-12-14"));
        assert_eq!(s.len(), 3);
        for (k, v) in s.iter().enumerate() {
            let d = start + chrono::Days::new(k as u64);
            assert_eq!(*v, plans.stringency(tl.package_on(d).unwrap()));
        }
        // The lockdown of 15 December 2020 (schools closed a day early here): C1 3, C2 3, C3 2,
        // C4 4, C5 1, C6 1, C7 1, C8 3, H1 2, all general, = 708.33 / 9 = 78.70, the published
        // OxCGRT v1 index of 16 December 2020 (stringency_nl_oxcgrt.csv).
        assert!((s[1] - 78.7037).abs() < 1e-3, "{}", s[1]);
        let (first, all) = tl.stringency(&plans, None, None).unwrap();
        assert_eq!(first, date("2020-02-27"));
        assert_eq!(all.len(), 756);
        let err = tl
            .stringency(&plans, Some(date("2020-01-01")), None)
            .unwrap_err();
        assert!(err
            .to_string()
            .starts_with("start: 2020-01-01 is before the first entry"));
        let err = tl
            .stringency(&plans, Some(date("2021-01-01")), Some(date("2020-01-01")))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "until: must not be before start 2021-01-01, got 2020-01-01"
        );
    }

    #[test]
    fn stricter_takes_the_higher_rung_and_both_general_lists() {
        let a = package(&[("horeca", 3), ("sport", 1)], &["avondklok", "mondkapjes"]);
        let b = package(
            &[("horeca", 2), ("detailhandel", 2)],
            &["mondkapjes", "thuiswerken"],
        );
        let c = stricter(&a, &b);
        assert_eq!(c.rungs["horeca"], 3);
        assert_eq!(c.rungs["sport"], 1);
        assert_eq!(c.rungs["detailhandel"], 2);
        assert_eq!(c.general, ["avondklok", "mondkapjes", "thuiswerken"]);
        assert_eq!(stricter(&a, &Package::default()), a);
    }
}
