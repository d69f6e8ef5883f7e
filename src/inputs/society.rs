//! The societal parameters of a country: the earnings chain of learning loss, the mental-health
//! and loneliness strain that measures cause, the operations (and health) lost to postponed regular
//! care, and admissions to statutory debt restructuring. The models that use them, with their
//! equations and sources, are [`crate::impacts::societal`] and
//! [`crate::impacts::debt_restructuring`]; the Dutch
//! figures are in `data/netherlands/impacts.json`, each with its source.

use std::fmt::Display;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::inputs::dated::check_ascending;
use crate::inputs::validate::Checker;

/// The earnings chain of learning loss.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Learning {
    /// Learning gain of one school year (standard deviations of test scores).
    pub sd_per_school_year: f64,
    /// Relative increase in lifetime earnings per school year (0.08 = 8%).
    pub return_per_school_year: f64,
    /// Mean gross annual earnings of a worker (EUR per year).
    pub annual_earnings: f64,
    /// Years between the loss and entering the labour market (mean over pupils).
    pub years_until_work: f64,
    /// Length of the working life (years).
    pub working_years: f64,
    /// Annual discount rate for future earnings.
    pub discount_rate: f64,
    /// The catch-up programme a policy can fund (flanking policy for pupils).
    pub catch_up: CatchUp,
}

/// A catch-up programme for pupils (e.g. the Nationaal Programma Onderwijs): where one of its
/// general measures is in force on any day of the run, it makes good a share of the school time
/// lost there, at a cost per pupil of the school sectors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatchUp {
    /// The general measures that fund the programme.
    pub measures: Vec<String>,
    /// Share of the school years lost that the programme makes good (0-1).
    pub share_recovered: f64,
    /// Cost per pupil of the school sectors (EUR).
    pub cost_per_pupil: f64,
}

/// A burden that builds with measures and fades after they end: part of it follows the overall
/// stringency, part the specific measures that drive it per age band (`drivers`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strain {
    /// Extra share of each age band affected after long measures at stringency 100 with every
    /// driver fully on.
    pub excess_at_full: Vec<f64>,
    /// Time constant with which strain follows the measures (days).
    pub time_constant_days: f64,
    /// Quality-of-life loss of an affected person (QALY per person-year).
    pub utility_loss: f64,
    /// Share of the strain that follows the overall stringency index (0-1); the rest follows
    /// the `drivers`.
    pub stringency_weight: f64,
    /// The specific measures that drive the rest, each with its weight per age band.
    pub drivers: Vec<Driver>,
}

/// A specific measure that drives a strain, and how much of each age band's strain it drives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Driver {
    /// A short name, e.g. `"care_home_visits"`.
    pub name: String,
    /// When the driver is on.
    pub on: Trigger,
    /// Per age band: share of the band's specific strain this driver brings when fully on (the
    /// drivers' sum is capped at 1).
    pub weight: Vec<f64>,
}

/// When a driver is on: a plan sector's closure, or general measures in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum Trigger {
    /// The plan sector `sector` keeps less of its normal activity: on in proportion to the share
    /// lost, fully on at `full_at_loss` (e.g. 0.05 for a care-home visiting ban, whose rung
    /// keeps 95% of the sector's activity).
    Sector { sector: String, full_at_loss: f64 },
    /// Fully on while any of these general measures is in force.
    General { measures: Vec<String> },
}

/// A flanking programme for the groups that bear the societal burden (e.g. the Dutch support
/// packages for the wellbeing of young people and of the vulnerable, 2020-2021): while one of its
/// general measures is in force it relieves a share of each age band's excess poor mental health
/// and loneliness, at a cost per day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flanking {
    /// A short name, e.g. `"youth_wellbeing"`.
    pub name: String,
    /// The general measures that fund the programme.
    pub measures: Vec<String>,
    /// Cost for the whole country per day in force (EUR/day); an area pays its population share.
    pub cost_per_day: f64,
    /// What it relieves while in force.
    pub relief: Relief,
}

/// Per age band: the share of a strain's excess that a flanking programme relieves (0-1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relief {
    pub mental_health: Vec<f64>,
    pub loneliness: Vec<f64>,
}

/// Regular hospital care displaced by COVID-19 patients: the operations not performed while they
/// occupy beds, and the health those operations would have brought.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostponedCare {
    /// Operations not performed per COVID-19 patient-day in a clinical bed (operations/bed-day).
    pub operations_per_ward_bed_day: f64,
    /// Operations not performed per COVID-19 patient-day in ICU (operations/bed-day).
    pub operations_per_icu_bed_day: f64,
    /// Healthy life years lost per operation not performed (QALY/operation).
    pub qaly_per_operation: f64,
    /// Age distribution of the patients whose care is postponed (shares by age band, sum 1).
    pub patient_age_share: Vec<f64>,
}

/// Admissions to statutory debt restructuring (the Dutch Wsnp) in dated runs: a declining trend,
/// raised by unemployment with a lag, lowered while creditors' collection and the courts were
/// eased ([`crate::impacts::debt_restructuring`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DebtRestructuring {
    /// Admissions in the reference year (persons/year).
    pub admissions_per_year: f64,
    /// The middle of the reference year, where the trend is 1.
    pub reference_date: NaiveDate,
    /// Relative change of admissions a year without the epidemic (-0.13 = 13% fewer a year).
    pub trend_per_year: f64,
    /// Admissions scale as `(lagged unemployment rate / normal rate)^elasticity`.
    pub unemployment_elasticity: f64,
    /// Time constant of the lag behind the unemployment rate (days).
    pub lag_days: f64,
    /// Periods of eased collection, each with the share of admissions that did not happen; the
    /// last period whose `from` is on or before a day is in force.
    pub eased: Vec<Easing>,
}

/// A period of eased collection from `from` on: `share` of the admissions does not happen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Easing {
    pub from: NaiveDate,
    pub share: f64,
}

/// The societal parameters of a country.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Society {
    pub learning: Learning,
    pub mental_health: Strain,
    pub loneliness: Strain,
    pub postponed_care: PostponedCare,
    /// Flanking programmes for wellbeing a policy can fund; none by default.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flanking: Vec<Flanking>,
    /// Wsnp admissions of dated national runs; without it dated runs have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debt_restructuring: Option<DebtRestructuring>,
}

impl Society {
    pub fn check(&self, field: impl Display + Copy, n_ages: usize, c: &mut Checker) {
        let l = &self.learning;
        let f = format_args!("{field}.learning");
        c.non_negative(format_args!("{f}.sd_per_school_year"), l.sd_per_school_year);
        c.non_negative(
            format_args!("{f}.return_per_school_year"),
            l.return_per_school_year,
        );
        c.non_negative(format_args!("{f}.annual_earnings"), l.annual_earnings);
        c.non_negative(format_args!("{f}.years_until_work"), l.years_until_work);
        c.within(
            format_args!("{f}.working_years"),
            l.working_years,
            0.0,
            100.0,
        );
        c.within(format_args!("{f}.discount_rate"), l.discount_rate, 0.0, 1.0);
        let k = &l.catch_up;
        general_measures(c, format_args!("{f}.catch_up.measures"), &k.measures);
        c.share(
            format_args!("{f}.catch_up.share_recovered"),
            k.share_recovered,
        );
        c.non_negative(
            format_args!("{f}.catch_up.cost_per_pupil"),
            k.cost_per_pupil,
        );
        for (name, s) in [
            ("mental_health", &self.mental_health),
            ("loneliness", &self.loneliness),
        ] {
            let f = format_args!("{field}.{name}");
            if c.length(
                format_args!("{f}.excess_at_full"),
                s.excess_at_full.len(),
                n_ages,
                "age band",
            ) {
                c.each(
                    format_args!("{f}.excess_at_full"),
                    &s.excess_at_full,
                    Checker::share,
                );
            }
            c.positive(format_args!("{f}.time_constant_days"), s.time_constant_days);
            c.share(format_args!("{f}.utility_loss"), s.utility_loss);
            c.share(format_args!("{f}.stringency_weight"), s.stringency_weight);
            for (i, d) in s.drivers.iter().enumerate() {
                let f = format_args!("{f}.drivers[{i}]");
                let w = format_args!("{f}.weight");
                if c.length(w, d.weight.len(), n_ages, "age band") {
                    c.each(w, &d.weight, Checker::share);
                }
                match &d.on {
                    Trigger::Sector { full_at_loss, .. } => {
                        // In (0, 1]: above 1 say so, else say it must be positive.
                        let g = format_args!("{f}.on.sector.full_at_loss");
                        if *full_at_loss > 1.0 {
                            c.share(g, *full_at_loss);
                        } else {
                            c.positive(g, *full_at_loss);
                        }
                    }
                    Trigger::General { measures } => {
                        general_measures(c, format_args!("{f}.on.general.measures"), measures);
                    }
                }
            }
        }
        for (i, k) in self.flanking.iter().enumerate() {
            let f = format_args!("{field}.flanking[{i}]");
            general_measures(c, format_args!("{f}.measures"), &k.measures);
            c.non_negative(format_args!("{f}.cost_per_day"), k.cost_per_day);
            for (name, relief) in [
                ("mental_health", &k.relief.mental_health),
                ("loneliness", &k.relief.loneliness),
            ] {
                let r = format_args!("{f}.relief.{name}");
                if c.length(r, relief.len(), n_ages, "age band") {
                    c.each(r, relief, Checker::share);
                }
            }
        }
        c.unique(
            format_args!("{field}.flanking"),
            ".name",
            self.flanking.iter().map(|k| k.name.as_str()),
        );
        let p = &self.postponed_care;
        let f = format_args!("{field}.postponed_care");
        for (name, v) in [
            ("operations_per_ward_bed_day", p.operations_per_ward_bed_day),
            ("operations_per_icu_bed_day", p.operations_per_icu_bed_day),
            ("qaly_per_operation", p.qaly_per_operation),
        ] {
            c.non_negative(format_args!("{f}.{name}"), v);
        }
        let shares = format_args!("{f}.patient_age_share");
        if c.length(shares, p.patient_age_share.len(), n_ages, "age band") {
            c.each(shares, &p.patient_age_share, Checker::share);
            let sum: f64 = p.patient_age_share.iter().sum();
            if (sum - 1.0).abs() > 1e-6 {
                c.fail(shares, "must add up to 1", format!("sum {sum}"));
            }
        }
        if let Some(d) = &self.debt_restructuring {
            let f = format_args!("{field}.debt_restructuring");
            c.non_negative(
                format_args!("{f}.admissions_per_year"),
                d.admissions_per_year,
            );
            c.within(
                format_args!("{f}.trend_per_year"),
                d.trend_per_year,
                -0.99,
                1.0,
            );
            c.within(
                format_args!("{f}.unemployment_elasticity"),
                d.unemployment_elasticity,
                0.0,
                10.0,
            );
            c.positive(format_args!("{f}.lag_days"), d.lag_days);
            for (i, e) in d.eased.iter().enumerate() {
                c.share(format_args!("{f}.eased[{i}].share"), e.share);
            }
            check_ascending(c, format_args!("{f}.eased"), d.eased.iter().map(|e| e.from));
        }
    }
}

/// A list of general measures that switches something on: at least one name.
fn general_measures(c: &mut Checker, field: impl Display, measures: &[String]) {
    if measures.is_empty() {
        c.fail(
            field,
            "must name at least one general measure",
            "[]".to_string(),
        );
    }
}
