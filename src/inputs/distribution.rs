//! Who bears the cost (tweedeling): every impact is split over the groups of each grouping (age
//! band, income quintile, education level, NACE section) and compared between groups.
//!
//! An impact with total `T` starts from a base split over groups (persons by age band from the
//! model, workers by group from the section they work in, or population shares) and a relative
//! burden per person (`profile`, 1 = the same for everyone):
//!
//! ```text
//! burden_g = T * base_g * profile_g / sum_h base_h * profile_h
//! ```
//!
//! so the groups always add up to the total. Inequality between groups is measured on the burden
//! per person, `b_g = burden_g / population_g`:
//! - the ratio of the most to the least affected group's burden per person;
//! - for ordered groupings (income, education: lowest first) the concentration index of grouped
//!   data, `C = 2/mu * sum_g f_g b_g R_g - 1` with population shares `f_g`, mean `mu = sum f_g b_g`
//!   and fractional rank `R_g = sum_{h<g} f_h + f_g/2` (O'Donnell, van Doorslaer, Wagstaff &
//!   Lindelow, *Analyzing Health Equity Using Household Survey Data*, World Bank 2008, ch. 8).
//!   `C < 0`: the burden falls more on the lower groups.

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

/// Splits `total` over groups in proportion to `base_g * profile_g` (see the module docs). When
/// every weight is zero the split follows `base` alone, and when that is zero too, it is even.
pub fn split(total: f64, base: &[f64], profile: &[f64]) -> Vec<f64> {
    let weights: Vec<f64> = base.iter().zip(profile).map(|(b, p)| b * p).collect();
    let normalise = |w: &[f64]| {
        let sum: f64 = w.iter().sum();
        (sum > 0.0).then(|| w.iter().map(|x| total * x / sum).collect::<Vec<f64>>())
    };
    normalise(&weights)
        .or_else(|| normalise(base))
        .unwrap_or_else(|| vec![total / base.len().max(1) as f64; base.len()])
}

/// Inequality between groups of one grouping.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Inequality {
    /// Burden per person of the most affected group over that of the least affected; `None` when
    /// the least affected group bears nothing (or nobody bears anything).
    pub ratio: Option<f64>,
    /// Concentration index (-1 to 1) for ordered groupings; `None` when unordered or no burden.
    pub concentration_index: Option<f64>,
}

/// Inequality of `burden` (per group) for groups with `population` persons.
pub fn inequality(burden: &[f64], population: &[f64], ordered: bool) -> Inequality {
    let per_person: Vec<f64> = burden
        .iter()
        .zip(population)
        .map(|(b, p)| if *p > 0.0 { b / p } else { 0.0 })
        .collect();
    let max = per_person.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = per_person.iter().copied().fold(f64::INFINITY, f64::min);
    let ratio = (min > 0.0).then(|| max / min);
    let total_population: f64 = population.iter().sum();
    let concentration_index = if ordered && total_population > 0.0 {
        let mut below = 0.0;
        let mut mean = 0.0;
        let mut weighted = 0.0;
        for (b, p) in per_person.iter().zip(population) {
            let f = p / total_population;
            let rank = below + f / 2.0;
            mean += f * b;
            weighted += f * b * rank;
            below += f;
        }
        (mean > 0.0).then(|| 2.0 * weighted / mean - 1.0)
    } else {
        None
    };
    Inequality {
        ratio,
        concentration_index,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_adds_up_and_follows_profile() {
        let parts = split(100.0, &[0.5, 0.5], &[3.0, 1.0]);
        assert_eq!(parts, vec![75.0, 25.0]);
        assert_eq!(split(10.0, &[0.0, 0.0], &[1.0, 1.0]), vec![5.0, 5.0]);
        assert_eq!(split(10.0, &[1.0, 3.0], &[0.0, 0.0]), vec![2.5, 7.5]);
    }

    #[test]
    fn concentration_index_of_known_cases() {
        // Equal burden per person: C = 0 and ratio 1.
        let eq = inequality(&[20.0, 20.0, 20.0, 20.0, 20.0], &[1.0; 5], true);
        assert!(eq.concentration_index.unwrap().abs() < 1e-12);
        assert_eq!(eq.ratio, Some(1.0));
        // All burden on the lowest of two equal groups: R = 1/4, mu = b/2,
        // C = 2/(b/2) * (1/2 * b * 1/4) - 1 = -1/2.
        let low = inequality(&[10.0, 0.0], &[1.0, 1.0], true);
        assert!((low.concentration_index.unwrap() + 0.5).abs() < 1e-12);
        assert_eq!(low.ratio, None);
        assert_eq!(
            inequality(&[1.0, 2.0], &[1.0, 1.0], false).concentration_index,
            None
        );
    }
}
