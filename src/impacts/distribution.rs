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
//!
//! The groupings and the relative burdens per person are data ([`crate::inputs::distribution`]);
//! the `Builder` here makes every indicator with its split over them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{catalogue, Aggregate, GroupingInfo, Indicator};
use crate::inputs::calibration::Calibration;
use crate::inputs::distribution::{Groups, AGE_BAND, SECTION};
use crate::inputs::economy::Economy;
use crate::inputs::impact_data::ImpactData;

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

/// Makes the indicators of a run, each named in the [`catalogue`], with its split over the
/// groupings (and, for a summed indicator, the inequality between the groups of each).
pub(super) struct Builder<'a> {
    pub(super) groups: &'a Groups,
    pub(super) groupings: Vec<GroupingInfo>,
    pub(super) indicators: Vec<Indicator>,
}

impl<'a> Builder<'a> {
    /// The groupings of the results: the calibration's age bands (persons), the impact data's
    /// groupings (their population shares of the whole population) and the NACE sections (jobs).
    pub(super) fn new(cal: &Calibration, data: &'a ImpactData) -> Self {
        let population = &cal.population;
        let economy = &data.economy;
        let total_population: f64 = population.iter().sum();
        let mut groupings = vec![GroupingInfo {
            name: AGE_BAND.into(),
            labels: cal.age_bands.clone(),
            population: population.clone(),
            ordered: false,
        }];
        for g in &data.groups.groupings {
            groupings.push(GroupingInfo {
                name: g.name.clone(),
                labels: g.labels.clone(),
                population: g
                    .population_share
                    .iter()
                    .map(|s| s * total_population)
                    .collect(),
                ordered: g.ordered,
            });
        }
        groupings.push(GroupingInfo {
            name: SECTION.into(),
            labels: economy.sections.iter().map(|s| s.code.clone()).collect(),
            population: economy.sections.iter().map(|s| s.employment).collect(),
            ordered: false,
        });
        Builder {
            groups: &data.groups,
            groupings,
            indicators: Vec::new(),
        }
    }
}

impl Builder<'_> {
    pub(super) fn info(&self, name: &str) -> &GroupingInfo {
        self.groupings
            .iter()
            .find(|g| g.name == name)
            .expect("grouping is built")
    }

    /// The population split of a grouping as shares.
    pub(super) fn shares(&self, grouping: &str) -> Vec<f64> {
        let p = &self.info(grouping).population;
        let total: f64 = p.iter().sum();
        p.iter().map(|x| x / total).collect()
    }

    /// The indicator `name`, when it has been made.
    pub(super) fn get(&self, name: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.name == name)
    }

    /// Adds the indicator `name`, whose dimension, unit, description and aggregate are those of
    /// its [`catalogue`] entry, with its total and its values per group of each grouping.
    ///
    /// # Panics
    /// When `name` is not in the catalogue (a test makes every indicator and checks it is).
    pub(super) fn push(&mut self, name: &str, total: f64, by_group: BTreeMap<String, Vec<f64>>) {
        let entry = catalogue::entry(name)
            .unwrap_or_else(|| panic!("impacts: indicator {name:?} is not in the catalogue"));
        debug_assert!(entry.aggregate != Aggregate::Whole || by_group.is_empty());
        let inequality = match entry.aggregate {
            Aggregate::Sum => by_group
                .iter()
                .map(|(g, burden)| {
                    let info = self.info(g);
                    (
                        g.clone(),
                        inequality(burden, &info.population, info.ordered),
                    )
                })
                .collect(),
            _ => BTreeMap::new(),
        };
        self.indicators.push(Indicator {
            dimension: entry.dimension,
            name: entry.name.into(),
            unit: entry.unit.into(),
            description: entry.description.into(),
            aggregate: entry.aggregate,
            total,
            by_group,
            inequality,
        });
    }

    /// Adds an indicator for the whole population only ([`Aggregate::Whole`]).
    pub(super) fn push_whole(&mut self, name: &str, total: f64) {
        self.push(name, total, BTreeMap::new());
    }

    /// Adds a summed indicator known by age band (see [`Builder::by_age`]).
    pub(super) fn push_by_age(&mut self, name: &str, by_age: &[f64], profile: &str) {
        let groups = self.by_age(by_age, profile);
        let total = by_age.iter().sum();
        self.push(name, total, groups);
    }

    /// A burden known by age band, split over the other groupings by population and profile.
    pub(super) fn by_age(&self, by_age: &[f64], profile: &str) -> BTreeMap<String, Vec<f64>> {
        let total: f64 = by_age.iter().sum();
        let mut out = BTreeMap::new();
        out.insert(AGE_BAND.to_string(), by_age.to_vec());
        for g in &self.groups.groupings {
            let p = self.groups.profile(profile, &g.name, g.labels.len());
            out.insert(g.name.clone(), split(total, &g.population_share, &p));
        }
        out
    }

    /// A burden known by section, split over every grouping by the workers of each section (or
    /// the population when a section does not say) and a profile.
    pub(super) fn by_section(
        &self,
        economy: &Economy,
        by_section: &[f64],
        profile: &str,
    ) -> BTreeMap<String, Vec<f64>> {
        let mut out = BTreeMap::new();
        out.insert(SECTION.to_string(), by_section.to_vec());
        let names: Vec<String> = std::iter::once(AGE_BAND.to_string())
            .chain(self.groups.groupings.iter().map(|g| g.name.clone()))
            .collect();
        for name in names {
            let shares = self.shares(&name);
            let p = self.groups.profile(profile, &name, shares.len());
            let mut sum = vec![0.0; shares.len()];
            for (sec, &value) in economy.sections.iter().zip(by_section) {
                let base = sec.workers.get(&name).unwrap_or(&shares);
                for (acc, part) in sum.iter_mut().zip(split(value, base, &p)) {
                    *acc += part;
                }
            }
            out.insert(name, sum);
        }
        out
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
