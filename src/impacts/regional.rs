//! Where the measures applied. A run is priced per area: the whole country for the national model,
//! every region for a regional one, each with the level of the policy in force there per day, its
//! stringency, its share of the economy and its people, so a measure is priced where and when it
//! applied; the areas' outcomes add up to the country's. A regional run's indicators are also
//! split by region ([`REGION`]).

use std::collections::BTreeMap;

use super::distribution::{inequality, split, Builder};
use super::societal::SocietalOutcome;
use super::socio_economic::EconomicOutcome;
use super::{Aggregate, GroupingInfo, REGION};
use crate::error::{Error, Result};
use crate::measures::plans::Support;
use crate::measures::policy::SectorPart;
use crate::run::Run;

/// What the run's policy applied at each of its levels (one level without a policy): the plan
/// sectors, the activity each kept and the flanking subsidies in force. A policy has few levels,
/// so the daily loops of the pricing only index them.
pub(super) struct Levels<'a> {
    pub(super) sectors: &'a [SectorPart],
    /// Per level, per plan sector: share of normal activity kept.
    pub(super) activity: &'a [Vec<f64>],
    /// Per level: the subsidies in force.
    pub(super) support: &'a [Vec<Support>],
}

/// The one level of a run without a policy: no plan sectors, no subsidies.
const NO_POLICY_ACTIVITY: &[Vec<f64>] = &[Vec::new()];
const NO_POLICY_SUPPORT: &[Vec<Support>] = &[Vec::new()];

impl<'a> Levels<'a> {
    pub(super) fn of(run: &'a Run) -> Result<Self> {
        let record = run.policy.as_ref();
        if let Some(r) = record {
            let n = r.levels.len();
            let per_level = [
                r.level_activity.len(),
                r.level_support.len(),
                r.level_stringency.len(),
            ];
            let rows_fit = r
                .level_activity
                .iter()
                .all(|a| a.len() == r.sector_parts.len());
            let levels_exist = r
                .level
                .iter()
                .chain(r.region_level.iter().flatten())
                .all(|&l| l < n);
            if per_level.iter().any(|&k| k != n) || !rows_fit || !levels_exist {
                return Err(Error::field(
                    "run.policy.level_activity".into(),
                    "must hold one row per level, one value per sector, and every level in force must exist (the run was recorded by an older version of afweging, or altered: run it again)".into(),
                    format!("{} rows for {} levels", r.level_activity.len(), n),
                ));
            }
        }
        Ok(match record {
            Some(r) => Levels {
                sectors: &r.sector_parts,
                activity: &r.level_activity,
                support: &r.level_support,
            },
            None => Levels {
                sectors: &[],
                activity: NO_POLICY_ACTIVITY,
                support: NO_POLICY_SUPPORT,
            },
        })
    }
}

/// Where impacts are priced: the whole country, or one region of a regional run.
pub(super) struct Area {
    /// The level of the run's policy in force per day (0 without a policy).
    pub(super) level: Vec<usize>,
    /// The OxCGRT stringency index in force per day (0-100).
    pub(super) stringency: Vec<f64>,
    /// Share of the national economy (1 for the country).
    pub(super) economy_share: f64,
    /// Persons per age band.
    pub(super) population: Vec<f64>,
}

impl Area {
    /// The country, or every region of a regional run, with what was in force there.
    pub(super) fn of(run: &Run, population: &[f64]) -> Vec<Area> {
        let days = run.days();
        let record = run.policy.as_ref();
        if run.regions.is_empty() {
            return vec![Area {
                level: record.map_or_else(|| vec![0; days], |r| r.level.clone()),
                stringency: record.map_or_else(|| vec![0.0; days], |r| r.stringency.clone()),
                economy_share: 1.0,
                population: population.to_vec(),
            }];
        }
        let by_region = run.population_by_region();
        by_region
            .outer_iter()
            .enumerate()
            .map(|(r, people)| {
                let level: Vec<usize> = match record {
                    Some(rec) => (0..days).map(|d| rec.level_in(d, r)).collect(),
                    None => vec![0; days],
                };
                let stringency = match record {
                    Some(rec) => level.iter().map(|&l| rec.level_stringency[l]).collect(),
                    None => vec![0.0; days],
                };
                Area {
                    level,
                    stringency,
                    economy_share: run.economy_share[r],
                    population: people.to_vec(),
                }
            })
            .collect()
    }

    /// Persons in the area.
    pub(super) fn people(&self) -> f64 {
        self.population.iter().sum()
    }
}

/// What the measures cost in one area (or the country): its socio-economic and societal outcome.
#[derive(Clone)]
pub(super) struct Priced {
    pub(super) econ: EconomicOutcome,
    pub(super) soc: SocietalOutcome,
}

/// The country's outcome from its areas': the only one's as it is, or the sum over regions (daily
/// shares of the population weighted by the regions' people).
pub(super) fn combine(per_area: &[Priced], areas: &[Area]) -> Priced {
    if let [only] = per_area {
        return only.clone();
    }
    let add = |out: &mut Vec<f64>, v: &[f64]| {
        if out.is_empty() {
            out.resize(v.len(), 0.0);
        }
        for (o, x) in out.iter_mut().zip(v) {
            *o += x;
        }
    };
    let people: Vec<f64> = areas.iter().map(Area::people).collect();
    let total: f64 = people.iter().sum();
    let mut econ = EconomicOutcome::default();
    let mut soc = SocietalOutcome::default();
    for (Priced { econ: e, soc: s }, n) in per_area.iter().zip(&people) {
        add(
            &mut econ.value_added_lost_measures,
            &e.value_added_lost_measures,
        );
        add(&mut econ.value_added_lost_fear, &e.value_added_lost_fear);
        add(&mut econ.unemployment_years, &e.unemployment_years);
        add(&mut econ.unemployed_at_end, &e.unemployed_at_end);
        add(&mut econ.bankruptcies, &e.bankruptcies);
        add(&mut econ.wage_subsidy_cost, &e.wage_subsidy_cost);
        add(
            &mut econ.fixed_cost_subsidy_cost,
            &e.fixed_cost_subsidy_cost,
        );
        add(&mut econ.daily_value_added_lost, &e.daily_value_added_lost);
        add(&mut econ.daily_unemployed, &e.daily_unemployed);
        add(&mut soc.mental_health_years, &s.mental_health_years);
        add(&mut soc.mental_health_qalys, &s.mental_health_qalys);
        add(&mut soc.loneliness_years, &s.loneliness_years);
        add(&mut soc.loneliness_qalys, &s.loneliness_qalys);
        let weighted = |v: &[f64]| v.iter().map(|x| x * n / total).collect::<Vec<f64>>();
        add(
            &mut soc.daily_mental_health,
            &weighted(&s.daily_mental_health),
        );
        add(&mut soc.daily_loneliness, &weighted(&s.daily_loneliness));
        if let Some(cost) = s.wellbeing_support_cost {
            *soc.wellbeing_support_cost.get_or_insert(0.0) += cost;
        }
    }
    Priced { econ, soc }
}

/// Indicators' values per region, by indicator name.
pub(super) type ByRegion = Vec<(&'static str, Vec<f64>)>;

/// Adds the split by region to every indicator of a regional run: exact for those in `exact` and
/// `means` (the virus-spread indicators from the regions' own states, the socio-economic and
/// societal ones priced region by region); the rest (levers, behaviour) is national and split by
/// population (summed indicators) or carries the national mean (means).
pub(super) fn by_region(
    run: &Run,
    exact: BTreeMap<&str, Vec<f64>>,
    means: BTreeMap<&str, Vec<f64>>,
    b: &mut Builder<'_>,
) {
    let population = run.population_by_region();
    let people: Vec<f64> = population.outer_iter().map(|r| r.sum()).collect();
    b.groupings.push(GroupingInfo {
        name: REGION.into(),
        labels: run.regions.clone(),
        population: people.clone(),
        ordered: false,
    });
    let ones = vec![1.0; people.len()];
    for indicator in &mut b.indicators {
        let values = match indicator.aggregate {
            Aggregate::Sum => match exact.get(indicator.name.as_str()) {
                Some(v) => v.clone(),
                None => split(indicator.total, &people, &ones),
            },
            Aggregate::Mean => match means.get(indicator.name.as_str()) {
                Some(v) => v.clone(),
                None => vec![indicator.total; people.len()],
            },
            Aggregate::Whole => continue,
        };
        if indicator.aggregate == Aggregate::Sum {
            indicator
                .inequality
                .insert(REGION.into(), inequality(&values, &people, false));
        }
        indicator.by_group.insert(REGION.into(), values);
    }
}
