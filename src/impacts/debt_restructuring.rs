//! Admissions to statutory debt restructuring (the Dutch Wsnp) in a dated national run, read from
//! the run's unemployment rate by day ([`super::dated_economy::EconomyByDay`]).
//!
//! Admissions had fallen for a decade before the epidemic (14,700 in 2011, 4,640 in 2019, CBS) and
//! fell further in 2020 (2,995) and 2021 (2,299) although unemployment rose: courts held almost no
//! hearings from mid-March 2020 and creditors, the tax office first, eased collection. Debt
//! problems reach the Wsnp long after a job is lost (a voluntary arrangement must fail first), so
//! admissions follow the unemployment rate with a lag:
//!
//! ```text
//! ubar_d+1 = u_d + (ubar_d - u_d) exp(-1/lag)          lagged unemployment rate, ubar_0 = u0
//! W_d      = A/365 (1 + g)^((date_d - date_ref)/365.25) (ubar_d / u0)^e (1 - s_d)   [persons/day]
//! ```
//!
//! `u_d` is the run's unemployment rate, `u0` the normal rate (`economy.dated.unemployment_rate`),
//! `A` the admissions of the reference year centred on `date_ref`, `g` the trend before the
//! epidemic, `e` the elasticity to unemployment and `s_d` the share of admissions that eased
//! collection held off (the period in force). `s` is calibrated on 2020; 2021 is held out
//! (`docs/societal.md`). Parameters: `society.debt_restructuring` in
//! `data/netherlands/impacts.json`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::inputs::dated::in_force;
use crate::inputs::society::DebtRestructuring;

/// Wsnp admissions of a dated run by day, with what the trend alone gives on any date (for the
/// days of a year before the run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WsnpByDay {
    /// The date of day 0.
    pub start_date: NaiveDate,
    /// Admissions per day of the run (persons/day).
    pub admissions: Vec<f64>,
    /// Admissions in the reference year (persons/year), centred on `reference_date`.
    pub admissions_per_year: f64,
    pub reference_date: NaiveDate,
    /// Relative change a year without the epidemic.
    pub trend_per_year: f64,
}

impl DebtRestructuring {
    /// Admissions per day on `date` by the trend alone, at normal unemployment and no easing.
    pub fn normal_per_day(&self, date: NaiveDate) -> f64 {
        let years = (date - self.reference_date).num_days() as f64 / 365.25;
        self.admissions_per_year / 365.0 * (1.0 + self.trend_per_year).powf(years)
    }
}

/// The admissions of the run by day from the dated economy's unemployment rate (`u_d` from
/// `start_date` on); `normal_rate` is `u0`.
pub(super) fn by_day(
    p: &DebtRestructuring,
    normal_rate: f64,
    start_date: NaiveDate,
    unemployment_rate: &[f64],
) -> WsnpByDay {
    let decay = (-1.0 / p.lag_days).exp();
    let mut lagged = normal_rate;
    let admissions = (unemployment_rate.iter().enumerate())
        .map(|(d, &u)| {
            let date = start_date + chrono::Duration::days(d as i64);
            let eased = in_force(&p.eased, date, |e| e.from).map_or(0.0, |i| p.eased[i].share);
            let pressure = if normal_rate > 0.0 {
                (lagged / normal_rate).powf(p.unemployment_elasticity)
            } else {
                1.0
            };
            lagged = u + (lagged - u) * decay;
            p.normal_per_day(date) * pressure * (1.0 - eased)
        })
        .collect();
    WsnpByDay {
        start_date,
        admissions,
        admissions_per_year: p.admissions_per_year,
        reference_date: p.reference_date,
        trend_per_year: p.trend_per_year,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::society::Easing;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    fn params(share: f64) -> DebtRestructuring {
        DebtRestructuring {
            admissions_per_year: 3650.0,
            reference_date: date("2020-01-01"),
            trend_per_year: 0.0,
            unemployment_elasticity: 1.0,
            lag_days: 10.0,
            eased: vec![Easing {
                from: date("2020-01-03"),
                share,
            }],
        }
    }

    #[test]
    fn admissions_follow_the_trend_the_lagged_rate_and_the_easing() {
        // At the normal rate: 10 a day, halved once the easing starts on day 2.
        let w = by_day(&params(0.5), 0.05, date("2020-01-01"), &[0.05; 4]);
        assert_eq!(w.admissions, vec![10.0, 10.0, 5.0, 5.0]);
        // Unemployment doubles on day 0: the lagged rate rises towards it, never reaching it.
        let w = by_day(&params(0.0), 0.05, date("2020-01-01"), &[0.1; 200]);
        assert_eq!(w.admissions[0], 10.0);
        assert!(w.admissions.windows(2).all(|p| p[1] > p[0]));
        assert!(w.admissions[199] < 20.0 && w.admissions[199] > 19.9);
        // A trend of -50% a year halves the rate a year after the reference date.
        let mut p = params(0.0);
        p.trend_per_year = -0.5;
        let later = p.normal_per_day(date("2020-12-31"));
        assert!((later - 10.0 * 0.5f64.powf(365.0 / 365.25)).abs() < 1e-9);
    }
}
