//! The socio-economic dimension: value added lost, unemployment, bankruptcies, households in
//! problematic debt, and the fiscal cost of flanking policy (wage and fixed-cost subsidies).
//!
//! Output is computed per NACE section `s` and day `d` from the rungs in force and the voluntary
//! distancing the behaviour module records:
//!
//! ```text
//! kept_s,d   = 1 - sum_p share_p,s (1 - activity_kept_p,d)     measures (p = plan sectors)
//! demand_s,d = 1 - fear_s * v_d                                  fear-driven demand (v = voluntary
//!                                                                 contact reduction, population mean)
//! a_s,d      = kept_s,d * demand_s,d                             share of normal output produced
//! lost_s,d   = VA_s / 365 * (1 - a_s,d)                          value added lost (EUR/day)
//! ```
//!
//! Unemployment follows lost output with a first-order lag (time constant `tau` days), damped by the
//! wage subsidy while it is in force and the section's revenue loss reaches its threshold:
//!
//! ```text
//! U*_s,d    = E_s * eps_s * (1 - a_s,d) * (1 - w_d take_up_w comp_w)
//! U_s,d+1   = U*_s,d + (U_s,d - U*_s,d) exp(-1/tau)              persons
//! ```
//!
//! Firms draw on cash buffers, measured in days of normal value added. The subsidies pay back part
//! of each lost euro (the wage bill share, the fixed-cost share), so the buffer drains by
//! `D_s,d+1 = D_s,d + (1 - a_s,d)(1 - relief_s,d)` and the share of firms insolvent is the
//! log-logistic distribution of buffers evaluated at the drain: `D^k / (D^k + m_s^k)`.
//! Households entering problematic debt are proportional to person-years of unemployment.
//! Fiscal cost = sum of the subsidies paid: `take_up * compensation * share * lost_s,d`.
//!
//! The parameters and their sources are in [`crate::inputs::economy`]. Per area of a regional
//! run the equations run with the area's share of the economy and the level in force there (see
//! [`super::regional`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::distribution::{split, Builder};
use super::regional::{Area, ByRegion, Levels, Priced};
use crate::error::{Error, Result};
use crate::inputs::distribution::SECTION;
use crate::inputs::economy::Economy;
use crate::measures::behaviour::weighted_mean;
use crate::measures::plans::Support;
use crate::measures::preparedness::PreparednessOutcome;
use crate::run::Run;

/// What the measures and the epidemic did to the economy on each day, as the socio-economic
/// computation needs it.
#[derive(Debug, Clone, Copy)]
pub struct EconomicDay<'a> {
    /// Share of normal output each section keeps under the measures in force (`kept_s,d`).
    pub kept: &'a [f64],
    /// Population-mean voluntary contact reduction (0-1).
    pub voluntary: f64,
    pub wage_subsidy: bool,
    pub fixed_cost_subsidy: bool,
}

/// The socio-economic outcome of a run, per section unless stated (EUR, persons, firms).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EconomicOutcome {
    /// Value added lost to the measures (EUR).
    pub value_added_lost_measures: Vec<f64>,
    /// Value added lost to fear-driven demand loss (EUR).
    pub value_added_lost_fear: Vec<f64>,
    /// Person-years of unemployment caused.
    pub unemployment_years: Vec<f64>,
    /// Extra unemployed persons at the end of the run.
    pub unemployed_at_end: Vec<f64>,
    /// Extra bankruptcies (firms).
    pub bankruptcies: Vec<f64>,
    /// Wage subsidy paid (EUR).
    pub wage_subsidy_cost: Vec<f64>,
    /// Fixed-cost subsidy paid (EUR).
    pub fixed_cost_subsidy_cost: Vec<f64>,
    /// Per day, all sections: value added lost (EUR/day) and extra unemployed (persons).
    pub daily_value_added_lost: Vec<f64>,
    pub daily_unemployed: Vec<f64>,
}

impl Economy {
    /// Runs the socio-economic equations of the module docs over the days, for an economy of
    /// `scale` times the national one (a region's share of value added, jobs and firms; 1 for
    /// the country): every quantity is proportional to the section's size.
    pub fn outcome<'a>(
        &self,
        scale: f64,
        days: impl Iterator<Item = EconomicDay<'a>>,
    ) -> EconomicOutcome {
        let n = self.sections.len();
        let mut out = EconomicOutcome {
            value_added_lost_measures: vec![0.0; n],
            value_added_lost_fear: vec![0.0; n],
            unemployment_years: vec![0.0; n],
            unemployed_at_end: vec![0.0; n],
            bankruptcies: vec![0.0; n],
            wage_subsidy_cost: vec![0.0; n],
            fixed_cost_subsidy_cost: vec![0.0; n],
            ..Default::default()
        };
        let decay = (-1.0 / self.unemployment_lag_days).exp();
        let mut drain = vec![0.0; n];
        let (ws, fs) = (&self.wage_subsidy, &self.fixed_cost_subsidy);
        let normal_per_day: Vec<f64> = self
            .sections
            .iter()
            .map(|s| scale * (s.value_added * 1e6 / 365.0))
            .collect();
        for day in days {
            let mut lost_today = 0.0;
            for (s, sec) in self.sections.iter().enumerate() {
                let kept = day.kept[s];
                let demand = 1.0 - sec.fear_sensitivity * day.voluntary;
                let loss = 1.0 - kept * demand;
                let normal = normal_per_day[s];
                out.value_added_lost_measures[s] += normal * (1.0 - kept);
                out.value_added_lost_fear[s] += normal * kept * (1.0 - demand);
                lost_today += normal * loss;
                let wage = day.wage_subsidy && loss >= ws.min_revenue_loss && loss > 0.0;
                let fixed = day.fixed_cost_subsidy && loss >= fs.min_revenue_loss && loss > 0.0;
                let mut relief = 0.0;
                let mut kept_on_payroll = 0.0;
                if wage {
                    let share = ws.take_up * ws.compensation;
                    out.wage_subsidy_cost[s] += share * sec.labour_share * normal * loss;
                    relief += share * sec.labour_share;
                    kept_on_payroll = share;
                }
                if fixed {
                    let share = fs.take_up * fs.compensation;
                    out.fixed_cost_subsidy_cost[s] += share * sec.fixed_cost_share * normal * loss;
                    relief += share * sec.fixed_cost_share;
                }
                let target = scale
                    * sec.employment
                    * sec.employment_elasticity
                    * loss
                    * (1.0 - kept_on_payroll);
                let u = &mut out.unemployed_at_end[s];
                *u = target + (*u - target) * decay;
                out.unemployment_years[s] += *u; // person-days until the end
                drain[s] += loss * (1.0 - relief);
            }
            out.daily_value_added_lost.push(lost_today);
            out.daily_unemployed
                .push(out.unemployed_at_end.iter().sum());
        }
        for years in &mut out.unemployment_years {
            *years /= 365.0;
        }
        let k = self.buffer_shape;
        for (s, sec) in self.sections.iter().enumerate() {
            let d = drain[s].powf(k);
            out.bankruptcies[s] = scale * sec.firms * d / (d + sec.buffer_days.powf(k));
        }
        out
    }
}

/// What the run's measures and behaviour did to the economy, as [`Economy::outcome`] needs it
/// for any area: per level of the policy the share of normal output each section kept (plan
/// sectors mapped to NACE sections) and the subsidies in force, per day the voluntary distancing
/// behind fear-driven demand loss.
pub(super) struct Applied {
    pub(super) days: usize,
    /// Per level, per section: `kept_s` (see the module docs).
    kept: Vec<Vec<f64>>,
    /// Per level: whether the wage and the fixed-cost subsidy are in force.
    subsidies: Vec<(bool, bool)>,
    /// Per day: population-mean voluntary contact reduction.
    voluntary: Vec<f64>,
}

impl Applied {
    /// `population` is the persons per age band (to average voluntary distancing).
    pub(super) fn of(
        economy: &Economy,
        levels: &Levels<'_>,
        run: &Run,
        population: &[f64],
    ) -> Result<Self> {
        let days = run.vaccinations.nrows();
        // Plan sectors -> NACE sections.
        let mut shares: Vec<Vec<(usize, f64)>> = Vec::with_capacity(levels.sectors.len());
        for (p, sector) in levels.sectors.iter().enumerate() {
            let mut row = Vec::new();
            for (code, &share) in &sector.economy {
                let s = economy.section(code).ok_or_else(|| {
                    Error::field(
                        format!("plans.sectors[{p}].economy.{code}"),
                        format!(
                            "unknown NACE section; the calibration has: {}",
                            economy
                                .sections
                                .iter()
                                .map(|s| s.code.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        format!("{code:?}"),
                    )
                })?;
                row.push((s, share));
            }
            shares.push(row);
        }
        let kept: Vec<Vec<f64>> = levels
            .activity
            .iter()
            .map(|at_level| {
                let mut k = vec![1.0; economy.sections.len()];
                for (a, row) in at_level.iter().zip(&shares) {
                    for &(s, share) in row {
                        k[s] -= share * (1.0 - a);
                    }
                }
                k
            })
            .collect();
        let voluntary: Vec<f64> = match &run.behaviour {
            Some(b) => b
                .voluntary
                .iter()
                .map(|row| weighted_mean(row, population))
                .collect(),
            None => vec![0.0; days],
        };
        let subsidies: Vec<(bool, bool)> = levels
            .support
            .iter()
            .map(|on| {
                (
                    on.contains(&Support::WageSubsidy),
                    on.contains(&Support::FixedCostSubsidy),
                )
            })
            .collect();
        Ok(Applied {
            days,
            kept,
            subsidies,
            voluntary,
        })
    }

    /// Per day, per section: the share of normal output produced in `area` (`a_s,d`, measures
    /// times fear-driven demand; see the module docs).
    pub(super) fn activity<'a>(
        &'a self,
        economy: &'a Economy,
        area: &'a Area,
    ) -> impl Iterator<Item = Vec<f64>> + 'a {
        (0..self.days).map(move |d| {
            economy
                .sections
                .iter()
                .zip(&self.kept[area.level[d]])
                .map(|(sec, kept)| kept * (1.0 - sec.fear_sensitivity * self.voluntary[d]))
                .collect()
        })
    }

    /// The economic outcome of an area, with the level in force there on each day.
    pub(super) fn outcome(&self, economy: &Economy, area: &Area) -> EconomicOutcome {
        economy.outcome(
            area.economy_share,
            (0..self.days).map(|d| EconomicDay {
                kept: &self.kept[area.level[d]],
                voluntary: self.voluntary[d],
                wage_subsidy: self.subsidies[area.level[d]].0,
                fixed_cost_subsidy: self.subsidies[area.level[d]].1,
            }),
        )
    }
}

/// Households entering problematic debt: proportional to the person-years of unemployment.
fn households_in_debt(economy: &Economy, econ: &EconomicOutcome) -> f64 {
    economy.debt_per_unemployed_year * econ.unemployment_years.iter().sum::<f64>()
}

/// Adds the socio-economic indicators of the country's outcome `econ`, with the cost of the
/// preparedness levers (`prep`) and of the behavioural levers (the run's behaviour record).
pub(super) fn push(
    b: &mut Builder<'_>,
    economy: &Economy,
    econ: &EconomicOutcome,
    prep: Option<&PreparednessOutcome>,
    run: &Run,
) {
    let plus = |a: &[f64], b: &[f64]| -> Vec<f64> { a.iter().zip(b).map(|(x, y)| x + y).collect() };
    let lost = plus(&econ.value_added_lost_measures, &econ.value_added_lost_fear);
    let fiscal = plus(&econ.wage_subsidy_cost, &econ.fixed_cost_subsidy_cost);
    for (name, by_section, profile) in [
        ("value_added_lost", &lost, "value_added"),
        (
            "value_added_lost_to_measures",
            &econ.value_added_lost_measures,
            "value_added",
        ),
        (
            "value_added_lost_to_fear",
            &econ.value_added_lost_fear,
            "value_added",
        ),
        ("unemployment", &econ.unemployment_years, "job_loss"),
        ("bankruptcies", &econ.bankruptcies, "job_loss"),
    ] {
        let groups = b.by_section(economy, by_section, profile);
        b.push(name, by_section.iter().sum(), groups);
    }
    // Households in debt follow the unemployed, by group.
    let unemployment_groups = b.get("unemployment").map(|i| i.by_group.clone());
    let debt_total = households_in_debt(economy, econ);
    let mut debt = BTreeMap::new();
    for (grouping, base) in unemployment_groups.unwrap_or_default() {
        let p = b.groups.profile("debt", &grouping, base.len());
        let profile = if grouping == SECTION {
            vec![1.0; base.len()]
        } else {
            p
        };
        debt.insert(grouping, split(debt_total, &base, &profile));
    }
    b.push("households_in_debt", debt_total, debt);
    for (name, by_section) in [
        ("wage_subsidy_cost", &econ.wage_subsidy_cost),
        ("fixed_cost_subsidy_cost", &econ.fixed_cost_subsidy_cost),
        ("fiscal_cost", &fiscal),
    ] {
        let groups = BTreeMap::from([(SECTION.to_string(), by_section.clone())]);
        b.push(name, by_section.iter().sum(), groups);
    }
    // Always present (0 without levers), like the fiscal cost, so every run has the line the
    // valuation prices.
    b.push_whole(
        "preparedness_cost",
        prep.map_or(0.0, PreparednessOutcome::total_cost),
    );
    let peak_unemployed = econ.daily_unemployed.iter().copied().fold(0.0, f64::max);
    b.push_whole(
        "peak_unemployment_rate",
        peak_unemployed / economy.labour_force,
    );
    if let Some(beh) = &run.behaviour {
        b.push_whole("lever_cost", beh.lever_cost.iter().sum());
    }
}

/// Per region of a regional run: the summed indicators of this dimension, from each region's
/// outcome.
pub(super) fn by_region(economy: &Economy, per_area: &[Priced]) -> ByRegion {
    let sum = |v: &[f64]| v.iter().sum::<f64>();
    let each = |f: &dyn Fn(&EconomicOutcome) -> f64| -> Vec<f64> {
        per_area.iter().map(|p| f(&p.econ)).collect()
    };
    vec![
        (
            "value_added_lost",
            each(&|e| sum(&e.value_added_lost_measures) + sum(&e.value_added_lost_fear)),
        ),
        (
            "value_added_lost_to_measures",
            each(&|e| sum(&e.value_added_lost_measures)),
        ),
        (
            "value_added_lost_to_fear",
            each(&|e| sum(&e.value_added_lost_fear)),
        ),
        ("unemployment", each(&|e| sum(&e.unemployment_years))),
        ("bankruptcies", each(&|e| sum(&e.bankruptcies))),
        (
            "households_in_debt",
            each(&|e| households_in_debt(economy, e)),
        ),
        ("wage_subsidy_cost", each(&|e| sum(&e.wage_subsidy_cost))),
        (
            "fixed_cost_subsidy_cost",
            each(&|e| sum(&e.fixed_cost_subsidy_cost)),
        ),
        (
            "fiscal_cost",
            each(&|e| sum(&e.wage_subsidy_cost) + sum(&e.fixed_cost_subsidy_cost)),
        ),
    ]
}
