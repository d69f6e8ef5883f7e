//! The societal dimension: learning loss and the lifetime earnings it costs, mental-health and
//! loneliness burdens that grow with the stringency and duration of measures, and regular care
//! postponed while COVID-19 patients take hospital and ICU beds.
//!
//! **Learning.** A school sector's rung keeps a share `a_d` of normal learning (remote teaching
//! included). A school year has 40 weeks of 52, so a calendar day during term is `1/280` of a
//! school year and term covers `40/52` of the days; on average a calendar day at `a_d` costs
//! `(1 - a_d) / 364` school years, taken as `(1 - a_d) / 365`:
//!
//! ```text
//! years lost per pupil  Y = sum_d (1 - a_d) / 365
//! learning loss (SD)    L = Y * sd_per_school_year
//! earnings lost (EUR)   = pupils * Y * return_per_school_year * PV(earnings)
//! PV(earnings)          = annual_earnings * sum_{t=0}^{working_years-1} (1+r)^-(years_until_work+t)
//! ```
//!
//! Engzell, Frey & Verhagen (PNAS 2021;118(17):e2022376118): 8 weeks of Dutch school closure cost
//! 0.08 SD, a fifth of a school year, so a school year is worth about 0.4 SD; losses up to 60%
//! larger for pupils of less-educated parents. The earnings chain follows DAEDALUS (Haw et al.,
//! Nat Comput Sci 2022): about 8% higher earnings per school year, discounted at 3%.
//!
//! **Strain (mental health, loneliness).** A strain state per age band follows the stringency index
//! with a time constant, so a long spell weighs more than a short one and strain fades after
//! measures end; it is solved exactly over each day:
//!
//! ```text
//! m_d+1 = S_d/100 + (m_d - S_d/100) exp(-1/tau)                 (0 <= m <= 1)
//! excess prevalence_g,d = excess_at_full_g * m_d                 (share of the age band)
//! QALYs lost = sum_d,g population_g * excess_g,d * utility_loss / 365
//! ```
//!
//! **Postponed regular care.** Every COVID-19 bed-day displaces regular care; the health lost is
//! `qaly_per_ward_bed_day` per clinical bed-day and `qaly_per_icu_bed_day` per ICU bed-day
//! (RIVM estimates for 2020-21 divided by the COVID-19 bed-days of those years).

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

impl Learning {
    /// Present value of one worker's lifetime earnings (EUR).
    pub fn present_value_of_earnings(&self) -> f64 {
        let v = 1.0 / (1.0 + self.discount_rate);
        let years = self.working_years.round() as i32;
        (0..years)
            .map(|t| v.powf(self.years_until_work + f64::from(t)))
            .sum::<f64>()
            * self.annual_earnings
    }
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

/// The societal outcome of a run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SocietalOutcome {
    /// Per school sector: school years lost per pupil (years).
    pub years_lost_per_pupil: Vec<f64>,
    /// Per age band: person-years of excess poor mental health and the QALYs lost.
    pub mental_health_years: Vec<f64>,
    pub mental_health_qalys: Vec<f64>,
    /// Per age band: person-years of excess loneliness and the QALYs lost.
    pub loneliness_years: Vec<f64>,
    pub loneliness_qalys: Vec<f64>,
    /// QALYs lost to postponed regular care (all ages).
    pub postponed_care_qalys: f64,
    /// Per day: population share with excess poor mental health, and with excess loneliness.
    pub daily_mental_health: Vec<f64>,
    pub daily_loneliness: Vec<f64>,
}

impl Strain {
    /// Excess person-years and QALYs per age band, and the daily excess share of the population,
    /// for a stringency series (0-100).
    fn outcome(&self, stringency: &[f64], population: &[f64]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let decay = (-1.0 / self.time_constant_days).exp();
        let total: f64 = population.iter().sum();
        let mut m = 0.0;
        let mut years = vec![0.0; population.len()];
        let mut daily = Vec::with_capacity(stringency.len());
        for s in stringency {
            let target = s / 100.0;
            m = target + (m - target) * decay;
            let mut affected = 0.0;
            for ((y, e), p) in years.iter_mut().zip(&self.excess_at_full).zip(population) {
                let persons = p * e * m;
                *y += persons / 365.0;
                affected += persons;
            }
            daily.push(affected / total);
        }
        let qalys = years.iter().map(|y| y * self.utility_loss).collect();
        (years, qalys, daily)
    }
}

impl Society {
    /// Runs the societal equations of the module docs: `years_lost_per_pupil` per school sector
    /// (`sum_d (1 - a_d) / 365`), `stringency` the index per day, `ward_days` and `icu_days` the
    /// COVID-19 patient-days over the run.
    pub fn outcome(
        &self,
        years_lost_per_pupil: Vec<f64>,
        stringency: &[f64],
        population: &[f64],
        ward_days: f64,
        icu_days: f64,
    ) -> SocietalOutcome {
        let (mental_health_years, mental_health_qalys, daily_mental_health) =
            self.mental_health.outcome(stringency, population);
        let (loneliness_years, loneliness_qalys, daily_loneliness) =
            self.loneliness.outcome(stringency, population);
        let p = &self.postponed_care;
        SocietalOutcome {
            years_lost_per_pupil,
            mental_health_years,
            mental_health_qalys,
            loneliness_years,
            loneliness_qalys,
            postponed_care_qalys: ward_days * p.qaly_per_ward_bed_day
                + icu_days * p.qaly_per_icu_bed_day,
            daily_mental_health,
            daily_loneliness,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn present_value_of_an_annuity() {
        // 2 years from now, 3 years of 100 at 10%: 100 (1.1^-2 + 1.1^-3 + 1.1^-4).
        let l = Learning {
            sd_per_school_year: 0.4,
            return_per_school_year: 0.08,
            annual_earnings: 100.0,
            years_until_work: 2.0,
            working_years: 3.0,
            discount_rate: 0.1,
        };
        let expected = 100.0 * (1.1f64.powi(-2) + 1.1f64.powi(-3) + 1.1f64.powi(-4));
        assert!((l.present_value_of_earnings() - expected).abs() < 1e-9);
    }

    #[test]
    fn strain_follows_stringency_and_stays_below_the_full_excess() {
        let s = Strain {
            excess_at_full: vec![0.1, 0.2],
            time_constant_days: 30.0,
            utility_loss: 0.1,
        };
        let (years, qalys, daily) = s.outcome(&[100.0; 3650], &[1.0, 1.0]);
        // After ten years at full stringency strain is saturated: about 10 * excess person-years.
        assert!((years[1] - 2.0).abs() < 0.1 && years[1] < 2.0);
        assert!((qalys[0] - years[0] * 0.1).abs() < 1e-12);
        assert!(daily.iter().all(|&d| d <= 0.15));
        let (none, _, _) = s.outcome(&[0.0; 100], &[1.0, 1.0]);
        assert_eq!(none, vec![0.0, 0.0]);
    }
}
