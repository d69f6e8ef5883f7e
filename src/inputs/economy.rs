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
//! Sources: CBS national accounts (value added, jobs, enterprises); CPB (2020) scenarios for the
//! response of unemployment; the Dutch NOW and TVL schemes (Rijksoverheid) for the subsidies; see
//! `data/netherlands/impacts.json` for every figure.

use std::collections::BTreeMap;
use std::fmt::Display;

use serde::{Deserialize, Serialize};

use crate::inputs::validate::Checker;

/// A NACE section (or a group of sections) of the economy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// NACE code, e.g. `"I"`; a group of sections as `"K-L"`.
    pub code: String,
    pub label: String,
    /// Gross value added in a normal year (EUR million per year).
    pub value_added: f64,
    /// Persons employed (jobs) in a normal year.
    pub employment: f64,
    /// Enterprises (count).
    pub firms: f64,
    /// Compensation of employees as a share of value added (the wage bill share).
    pub labour_share: f64,
    /// Fixed costs other than wages (rent, interest, leases) as a share of value added.
    pub fixed_cost_share: f64,
    /// Long-run share of jobs lost per share of output lost (dimensionless).
    pub employment_elasticity: f64,
    /// Median cash buffer of the section's firms (days of normal value added).
    pub buffer_days: f64,
    /// Share of demand lost per unit of voluntary contact reduction (0 = no fear effect).
    pub fear_sensitivity: f64,
    /// Who works in the section: shares of its workers by group, per grouping (`"age_band"` and
    /// the groupings of [`crate::inputs::distribution::Groups`]); each list adds up to 1.
    pub workers: BTreeMap<String, Vec<f64>>,
}

/// A flanking subsidy (Dutch NOW for wages, TVL for fixed costs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subsidy {
    /// Share of the eligible cost (wage bill or fixed costs) times revenue loss that is paid.
    pub compensation: f64,
    /// Share of eligible firms (weighted by size) that apply.
    pub take_up: f64,
    /// A section qualifies on days its revenue loss is at least this share.
    pub min_revenue_loss: f64,
}

/// The socio-economic parameters of a country.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Economy {
    pub sections: Vec<Section>,
    /// Labour force (persons), for unemployment as a share.
    pub labour_force: f64,
    /// Time constant of the adjustment of employment to lost output (days).
    pub unemployment_lag_days: f64,
    /// Shape `k` of the log-logistic distribution of firms' buffers (dimensionless, > 0).
    pub buffer_shape: f64,
    /// Households entering problematic debt (debt restructuring) per person-year of unemployment.
    pub debt_per_unemployed_year: f64,
    /// Wage subsidy (NOW): pays `compensation` of the wage bill times the revenue loss.
    pub wage_subsidy: Subsidy,
    /// Fixed-cost subsidy (TVL): pays `compensation` of fixed costs times the revenue loss.
    pub fixed_cost_subsidy: Subsidy,
}

impl Economy {
    /// Index of a section by code.
    pub fn section(&self, code: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.code == code)
    }

    pub fn check(&self, field: impl Display + Copy, c: &mut Checker) {
        let mut codes = std::collections::BTreeSet::new();
        for (i, s) in self.sections.iter().enumerate() {
            let f = format_args!("{field}.sections[{i}]");
            if !codes.insert(s.code.as_str()) {
                c.fail(
                    format_args!("{f}.code"),
                    "is a duplicate",
                    format!("{:?}", s.code),
                );
            }
            c.non_negative(format_args!("{f}.value_added"), s.value_added);
            c.non_negative(format_args!("{f}.employment"), s.employment);
            c.non_negative(format_args!("{f}.firms"), s.firms);
            c.share(format_args!("{f}.labour_share"), s.labour_share);
            c.share(format_args!("{f}.fixed_cost_share"), s.fixed_cost_share);
            if s.labour_share + s.fixed_cost_share > 1.0 + 1e-12 {
                c.fail(
                    format_args!("{f}.fixed_cost_share"),
                    format!(
                        "labour_share + fixed_cost_share must be at most 1 (labour_share {})",
                        s.labour_share
                    ),
                    format!("{}", s.fixed_cost_share),
                );
            }
            c.share(
                format_args!("{f}.employment_elasticity"),
                s.employment_elasticity,
            );
            c.positive(format_args!("{f}.buffer_days"), s.buffer_days);
            c.share(format_args!("{f}.fear_sensitivity"), s.fear_sensitivity);
        }
        c.positive(format_args!("{field}.labour_force"), self.labour_force);
        c.positive(
            format_args!("{field}.unemployment_lag_days"),
            self.unemployment_lag_days,
        );
        c.positive(format_args!("{field}.buffer_shape"), self.buffer_shape);
        c.non_negative(
            format_args!("{field}.debt_per_unemployed_year"),
            self.debt_per_unemployed_year,
        );
        for (name, s) in [
            ("wage_subsidy", &self.wage_subsidy),
            ("fixed_cost_subsidy", &self.fixed_cost_subsidy),
        ] {
            c.share(format_args!("{field}.{name}.compensation"), s.compensation);
            c.share(format_args!("{field}.{name}.take_up"), s.take_up);
            c.share(
                format_args!("{field}.{name}.min_revenue_loss"),
                s.min_revenue_loss,
            );
        }
    }
}

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
