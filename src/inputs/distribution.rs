//! Who is who (tweedeling): the groupings of the population besides age (income quintile,
//! education level), their population shares, and the relative burden per person of each impact
//! by group. How the impacts are split over these groups and compared between them is
//! [`crate::impacts::distribution`].

use std::collections::BTreeMap;
use std::fmt::Display;

use serde::{Deserialize, Serialize};

use crate::inputs::validate::Checker;

/// A way of splitting the population into groups besides age (income quintile, education level).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grouping {
    /// Key, e.g. `"income_quintile"`.
    pub name: String,
    /// Group labels; for an ordered grouping from the lowest socio-economic position up.
    pub labels: Vec<String>,
    /// Share of the population in each group (adds up to 1).
    pub population_share: Vec<f64>,
    /// Whether the groups are ranked (then a concentration index is computed).
    pub ordered: bool,
}

/// The groupings and who bears what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Groups {
    pub groupings: Vec<Grouping>,
    /// Relative burden per person by group: `profiles[impact][grouping]`, 1 = proportional to the
    /// base split. Impacts: `infection`, `severe`, `value_added`, `learning`, `mental_health`, `loneliness`,
    /// `postponed_care`, `job_loss`, `debt`. A missing entry means proportional.
    #[serde(default)]
    pub profiles: BTreeMap<String, BTreeMap<String, Vec<f64>>>,
}

/// The name of the age grouping, which comes from the calibration's age bands.
pub const AGE_BAND: &str = "age_band";
/// The name of the grouping by NACE section (economic impacts only).
pub const SECTION: &str = "section";

impl Groups {
    pub fn grouping(&self, name: &str) -> Option<&Grouping> {
        self.groupings.iter().find(|g| g.name == name)
    }

    /// The relative burden per person of `impact` over `grouping` (ones when not given).
    pub fn profile(&self, impact: &str, grouping: &str, n: usize) -> Vec<f64> {
        self.profiles
            .get(impact)
            .and_then(|p| p.get(grouping))
            .cloned()
            .unwrap_or_else(|| vec![1.0; n])
    }

    /// The number of groups of `grouping` (age bands included), or a failure on `field` when the
    /// grouping is unknown: lists given per group are checked against it.
    pub fn per_group(
        &self,
        c: &mut Checker,
        field: impl Display + Copy,
        grouping: &str,
        n_ages: usize,
    ) -> Option<usize> {
        let n = if grouping == AGE_BAND {
            Some(n_ages)
        } else {
            self.grouping(grouping).map(|g| g.labels.len())
        };
        if n.is_none() {
            c.fail(field, "unknown grouping", format!("{grouping:?}"));
        }
        n
    }

    pub fn check(&self, field: impl Display + Copy, n_ages: usize, c: &mut Checker) {
        for (i, g) in self.groupings.iter().enumerate() {
            let f = format_args!("{field}.groupings[{i}]");
            if g.name == AGE_BAND || g.name == SECTION {
                c.fail(
                    format_args!("{f}.name"),
                    "is reserved (age bands come from the calibration, sections from the economy)",
                    format!("{:?}", g.name),
                );
            }
            if c.length(
                format_args!("{f}.population_share"),
                g.population_share.len(),
                g.labels.len(),
                "label",
            ) {
                check_shares(c, format_args!("{f}.population_share"), &g.population_share);
            }
        }
        for (impact, by) in &self.profiles {
            for (grouping, values) in by {
                let f = format_args!("{field}.profiles.{impact}.{grouping}");
                if let Some(n) = self.per_group(c, f, grouping, n_ages) {
                    if c.length(f, values.len(), n, "group") {
                        c.each(f, values, Checker::non_negative);
                    }
                }
            }
        }
    }
}

/// Non-negative shares that add up to 1 (to 1e-6).
pub fn check_shares(c: &mut Checker, field: impl Display + Copy, shares: &[f64]) {
    c.each(field, shares, Checker::share);
    let sum: f64 = shares.iter().sum();
    if (sum - 1.0).abs() > 1e-6 {
        c.fail(field, "must add up to 1", format!("sum {sum}"));
    }
}
