//! The societal parameters of a country: the earnings chain of learning loss, the mental-health
//! and loneliness strain that measures cause, and the health lost to postponed regular care. The
//! model that uses them, with its equations and sources, is [`crate::impacts::societal`]; the Dutch
//! figures are in `data/netherlands/impacts.json`, each with its source.

use std::fmt::Display;

use serde::{Deserialize, Serialize};

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
}

/// A burden that builds with stringency and fades after measures end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strain {
    /// Extra share of each age band affected after long measures at stringency 100.
    pub excess_at_full: Vec<f64>,
    /// Time constant with which strain follows stringency (days).
    pub time_constant_days: f64,
    /// Quality-of-life loss of an affected person (QALY per person-year).
    pub utility_loss: f64,
}

/// Health lost to regular care displaced by COVID-19 patients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostponedCare {
    /// QALYs lost per COVID-19 patient-day in a clinical bed.
    pub qaly_per_ward_bed_day: f64,
    /// QALYs lost per COVID-19 patient-day in ICU.
    pub qaly_per_icu_bed_day: f64,
    /// Age distribution of the patients whose care is postponed (shares by age band, sum 1).
    pub patient_age_share: Vec<f64>,
}

/// The societal parameters of a country.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Society {
    pub learning: Learning,
    pub mental_health: Strain,
    pub loneliness: Strain,
    pub postponed_care: PostponedCare,
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
        }
        let p = &self.postponed_care;
        let f = format_args!("{field}.postponed_care");
        c.non_negative(
            format_args!("{f}.qaly_per_ward_bed_day"),
            p.qaly_per_ward_bed_day,
        );
        c.non_negative(
            format_args!("{f}.qaly_per_icu_bed_day"),
            p.qaly_per_icu_bed_day,
        );
        let shares = format_args!("{f}.patient_age_share");
        if c.length(shares, p.patient_age_share.len(), n_ages, "age band") {
            c.each(shares, &p.patient_age_share, Checker::share);
            let sum: f64 = p.patient_age_share.iter().sum();
            if (sum - 1.0).abs() > 1e-6 {
                c.fail(shares, "must add up to 1", format!("sum {sum}"));
            }
        }
    }
}
