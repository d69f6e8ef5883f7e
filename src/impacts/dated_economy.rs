//! The economy of a dated run, day by day: value added per NACE section, the Dutch support
//! schemes with their rules by period, firms' liquidity and bankruptcies as CBS counts them,
//! unemployment, and lost tax. What [`super::socio_economic`] prices over a run, this records by
//! date, so that it can be held against what was observed (`docs/economy_2020_2021.md`).
//!
//! Per section `s` and day `d`, with `L_s,d = 1 - a_s,d` the share of normal output lost (`a` as in
//! [`super::socio_economic`]: measures times fear-driven demand):
//!
//! ```text
//! VA_s,d     = VA_s / 365 * a_s,d                                   value added        [EUR/day]
//! ```
//!
//! **Firms differ.** Within a section firms' revenue losses `l` are exponential with mean
//! `L_s,d` (assumption), so a scheme with threshold `theta` reaches the share
//! `P(l >= theta) = exp(-theta/L)` of firms and the lost revenue `E[l; l >= theta] = (theta + L)
//! exp(-theta/L)` (per euro of normal revenue; revenue and value added are taken to fall alike).
//!
//! **Schemes** (rules by period, `rate` and threshold of the period in force on the day):
//!
//! ```text
//! wage bill (NOW)        take_up * rate * labour_share_s * VA_s/365 * E[l; l >= theta]  [EUR/day]
//! fixed costs (TVL)      take_up * rate * fixed_share_s  * VA_s/365 * E[l; l >= theta]  [EUR/day]
//! per firm (TOGS)        take_up * rate / period_days * firms_s * P(l >= theta)          [EUR/day]
//! per self-employed      take_up * rate * 12/365 * firms_s * one_person * P(l >= theta)  [EUR/day]
//!   (Tozo)
//! tax deferral           take_up * rate * VA_s/365 * P(l >= theta)       deferred tax    [EUR/day]
//! ```
//!
//! Deferred tax is a loan to firms: it fills their buffers but is not an outlay. Lost tax is
//! `tax_ratio * (VA_s/365 - VA_s,d)`.
//!
//! **Firms with employees** (the firms CBS counts bankruptcies of; one-person firms are left
//! out) hold buffers of median `m_s` days of normal value added. The buffer's drain `D_s`, in those
//! days, grows with the loss and shrinks with what the schemes pay (NOW, TVL, TOGS) and the tax
//! deferred, all per euro of normal value added; a drained buffer refills at `rho` days per day of
//! normal trade. Bankruptcies per day are the normal hazard `h = B / F` (CBS count of a normal year
//! over firms with employees) scaled by the drain, and lowered while tax deferral runs by the share
//! `p` of bankruptcies the tax office used to petition:
//!
//! ```text
//! D_s,d+1    = D_s,d + L_s,d - relief_s,d - deferred_s,d ;  if D > 0: D -= min(D, rho a_s,d)
//! bankr_s,d  = F_s h / 365 (1 - p [deferral open]) exp(beta D_s,d / m_s)          [firms/day]
//! ```
//!
//! `F_s` splits the firms with employees over sections as the enterprise counts (assumption).
//! **Unemployment** follows [`super::socio_economic`] with NOW as in force on the day:
//! `U*_s,d = E_s eps_s L_s,d (1 - take_up rate E[l; l >= theta] / L_s,d)`, lagged by `tau`.
//!
//! Parameters and sources: `economy.dated` of `data/netherlands/impacts.json`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::regional::Area;
use super::socio_economic::Applied;
use crate::inputs::dated::in_force;
use crate::inputs::economy::{Base, DatedEconomy, Economy, Scheme};

/// The economy of a dated run by day (national).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EconomyByDay {
    /// The date of day 0.
    pub start_date: NaiveDate,
    /// NACE codes of the columns of `value_added`.
    pub sections: Vec<String>,
    /// Per section: value added in a normal day (EUR/day, the calibration year's level).
    pub normal_value_added: Vec<f64>,
    /// `days x sections`: value added (EUR/day).
    pub value_added: Vec<Vec<f64>>,
    /// Per day: unemployment rate (share of the labour force) and extra unemployed (persons).
    pub unemployment_rate: Vec<f64>,
    pub unemployed: Vec<f64>,
    /// Per day: bankruptcies of firms with employees (firms/day), as CBS counts them; and their
    /// number in a normal day (before the run, and the reference of the hazard).
    pub bankruptcies: Vec<f64>,
    pub normal_bankruptcies: f64,
    /// Volume growth a year without the epidemic (`trend_growth`), for changes on a year before.
    pub trend_growth: f64,
    /// Per scheme, per day: paid (EUR/day; for tax deferral, the tax deferred).
    pub schemes: BTreeMap<String, Vec<f64>>,
    /// Per day: taxes lost with the value added lost (EUR/day).
    pub lost_tax: Vec<f64>,
}

/// `(P(l >= theta), E[l; l >= theta])` for firms' losses exponential with mean `mean`.
fn reached(theta: f64, mean: f64) -> (f64, f64) {
    if mean <= 0.0 {
        return (0.0, 0.0);
    }
    let share = (-theta / mean).exp();
    (share, (theta + mean) * share)
}

/// The period of a scheme in force on `date` with its length in days (`None`: not in force).
fn period_on(scheme: &Scheme, date: NaiveDate) -> Option<(f64, f64, f64)> {
    let i = in_force(&scheme.periods, date, |p| p.from)?;
    let p = &scheme.periods[i];
    let days = scheme
        .periods
        .get(i + 1)
        .map_or(1.0, |next| (next.from - p.from).num_days() as f64);
    (p.rate > 0.0).then_some((p.rate, p.min_revenue_loss, days))
}

/// Runs the dated economy of the country (`area`) over the run's days.
pub(super) fn by_day(
    economy: &Economy,
    dated: &DatedEconomy,
    applied: &Applied,
    area: &Area,
    start_date: NaiveDate,
) -> EconomyByDay {
    let n = economy.sections.len();
    let normal: Vec<f64> = economy
        .sections
        .iter()
        .map(|s| s.value_added * 1e6 / 365.0)
        .collect();
    let all_firms: f64 = economy.sections.iter().map(|s| s.firms).sum();
    let hazard = if dated.firms_with_employees > 0.0 {
        dated.bankruptcies_per_year / dated.firms_with_employees / 365.0
    } else {
        0.0
    };
    let decay = (-1.0 / economy.unemployment_lag_days).exp();
    let mut out = EconomyByDay {
        start_date,
        sections: economy.sections.iter().map(|s| s.code.clone()).collect(),
        normal_value_added: normal.clone(),
        value_added: Vec::with_capacity(applied.days),
        unemployment_rate: Vec::with_capacity(applied.days),
        unemployed: Vec::with_capacity(applied.days),
        bankruptcies: Vec::with_capacity(applied.days),
        normal_bankruptcies: dated.bankruptcies_per_year / 365.0,
        trend_growth: dated.trend_growth,
        schemes: dated
            .schemes
            .iter()
            .map(|s| (s.name.clone(), Vec::with_capacity(applied.days)))
            .collect(),
        lost_tax: Vec::with_capacity(applied.days),
    };
    let mut drain = vec![0.0; n];
    let mut unemployed = vec![0.0; n];
    for (d, activity) in applied.activity(economy, area).enumerate() {
        let date = start_date + chrono::Duration::days(d as i64);
        let rules: Vec<Option<(f64, f64, f64)>> =
            dated.schemes.iter().map(|s| period_on(s, date)).collect();
        let deferral_open = dated
            .schemes
            .iter()
            .zip(&rules)
            .any(|(s, r)| s.base == Base::TaxDeferral && r.is_some());
        let mut paid = vec![0.0; dated.schemes.len()];
        let (mut bankruptcies, mut lost_tax) = (0.0, 0.0);
        for (s, sec) in economy.sections.iter().enumerate() {
            let a = activity[s];
            let loss = 1.0 - a;
            let (mut relief, mut deferred, mut on_payroll) = (0.0, 0.0, 0.0);
            for ((k, scheme), rule) in dated.schemes.iter().enumerate().zip(&rules) {
                let Some((rate, theta, days)) = *rule else {
                    continue;
                };
                let (share, lost) = reached(theta, loss);
                let t = scheme.take_up * rate;
                let euros = match scheme.base {
                    Base::WageBill => {
                        if loss > 0.0 {
                            on_payroll += t * lost / loss;
                        }
                        t * sec.labour_share * normal[s] * lost
                    }
                    Base::FixedCosts => t * sec.fixed_cost_share * normal[s] * lost,
                    Base::PerFirm => t / days * sec.firms * share,
                    Base::PerSelfEmployed => {
                        t * 12.0 / 365.0 * sec.firms * dated.one_person_share * share
                    }
                    Base::TaxDeferral => t * normal[s] * share,
                };
                paid[k] += euros;
                if normal[s] > 0.0 {
                    match scheme.base {
                        Base::TaxDeferral => deferred += euros / normal[s],
                        // Tozo is income support for the self-employed, not the firms CBS counts.
                        Base::PerSelfEmployed => {}
                        _ => relief += euros / normal[s],
                    }
                }
            }
            drain[s] += loss - relief - deferred;
            if drain[s] > 0.0 {
                drain[s] -= drain[s].min(dated.refill_per_day * a);
            }
            let firms = if all_firms > 0.0 {
                dated.firms_with_employees * sec.firms / all_firms
            } else {
                0.0
            };
            let petitioned = if deferral_open {
                1.0 - dated.deferral_petition_share
            } else {
                1.0
            };
            bankruptcies += firms
                * hazard
                * petitioned
                * (dated.hazard_sensitivity * drain[s] / sec.buffer_days).exp();
            let target =
                sec.employment * sec.employment_elasticity * loss * (1.0 - on_payroll.min(1.0));
            unemployed[s] = target + (unemployed[s] - target) * decay;
            lost_tax += dated.tax_ratio * normal[s] * loss;
        }
        let extra: f64 = unemployed.iter().sum();
        out.value_added
            .push(normal.iter().zip(&activity).map(|(v, a)| v * a).collect());
        out.unemployed.push(extra);
        out.unemployment_rate
            .push(dated.unemployment_rate + extra / economy.labour_force);
        out.bankruptcies.push(bankruptcies);
        out.lost_tax.push(lost_tax);
        for (scheme, euros) in dated.schemes.iter().zip(paid) {
            if let Some(v) = out.schemes.get_mut(&scheme.name) {
                v.push(euros);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::reached;

    #[test]
    fn firms_reached_follow_the_exponential_spread_of_losses() {
        // No threshold: every firm qualifies and the whole loss is eligible.
        assert_eq!(reached(0.0, 0.3), (1.0, 0.3));
        // No loss: nobody qualifies.
        assert_eq!(reached(0.2, 0.0), (0.0, 0.0));
        // Mean loss 0.2, threshold 0.2: P = exp(-1), E[l; l >= 0.2] = 0.4 exp(-1).
        let (share, lost) = reached(0.2, 0.2);
        assert!((share - (-1.0f64).exp()).abs() < 1e-12);
        assert!((lost - 0.4 * (-1.0f64).exp()).abs() < 1e-12);
        // The eligible loss never exceeds the mean loss.
        for mean in [0.05, 0.2, 0.5, 0.9] {
            assert!(reached(0.3, mean).1 <= mean + 1e-12);
        }
    }
}
