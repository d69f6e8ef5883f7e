//! The socio-economic parameters of a country: its NACE sections (value added, jobs, firms, wage
//! and fixed-cost shares, employment elasticities, buffers, fear sensitivity), the lag of
//! unemployment, the spread of firms' buffers, household debt, and the flanking subsidies. The
//! model that uses them, with its equations, is [`crate::impacts::socio_economic`].
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
