//! The four dimensions of the reference framework, computed from a run: each a set of indicators
//! in natural units, each split over the groups that bear it (see [`crate::inputs::distribution`]).
//!
//! - virus spread: infections, hospital and ICU admissions, deaths, life years lost;
//! - socio-economic ([`crate::inputs::economy`]): value added lost, unemployment, bankruptcies, households in
//!   problematic debt, fiscal cost of flanking policy;
//! - societal ([`crate::inputs::society`]): learning loss and lifetime earnings, mental health, loneliness,
//!   postponed regular care;
//! - behavioural: compliance, support, fatigue, voluntary distancing (means over the run).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::inputs::calibration::Calibration;
use crate::inputs::distribution::{inequality, split, Groups, Inequality, AGE_BAND, SECTION};
use crate::inputs::economy::{EconomicDay, EconomicOutcome, Economy};
pub use crate::inputs::impact_data::ImpactData;
use crate::inputs::society::SocietalOutcome;
use crate::measures::plans::Support;
use crate::run::Run;

/// The dimension of the reference framework an indicator belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    VirusSpread,
    SocioEconomic,
    Societal,
    Behavioural,
}

/// How an indicator's groups relate to its total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// The groups add up to the total (persons, EUR, QALYs).
    Sum,
    /// Each group holds its mean per person; the population-weighted mean of the groups is the
    /// total.
    Mean,
    /// A figure for the whole population only (a peak, a count of days).
    Whole,
}

/// One indicator of one dimension, in natural units, with its split over groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub dimension: Dimension,
    pub name: String,
    pub unit: String,
    pub description: String,
    pub aggregate: Aggregate,
    pub total: f64,
    /// Per grouping (`age_band`, `income_quintile`, `education`, `section`): value per group.
    pub by_group: BTreeMap<String, Vec<f64>>,
    /// Per grouping, for [`Aggregate::Sum`] indicators: inequality of the burden per person.
    pub inequality: BTreeMap<String, Inequality>,
}

/// A grouping as the results use it: labels and the persons in each group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupingInfo {
    pub name: String,
    pub labels: Vec<String>,
    /// Persons per group (workers for sections).
    pub population: Vec<f64>,
    pub ordered: bool,
}

/// Daily series behind the indicators, for plots.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DailyImpacts {
    /// Value added lost (EUR/day).
    pub value_added_lost: Vec<f64>,
    /// Extra unemployed (persons).
    pub unemployed: Vec<f64>,
    /// Population share with excess poor mental health, and with excess loneliness.
    pub mental_health: Vec<f64>,
    pub loneliness: Vec<f64>,
}

/// The four dimensions of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Impacts {
    pub groupings: Vec<GroupingInfo>,
    pub indicators: Vec<Indicator>,
    pub daily: DailyImpacts,
    /// Cost per lever and displaced care of the preparedness levers, when the policy names any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preparedness: Option<crate::measures::preparedness::PreparednessOutcome>,
}

impl Impacts {
    pub fn get(&self, name: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.name == name)
    }
}

/// Where impacts are priced: the whole country, or one region of a regional run.
struct Area {
    /// The level of the run's policy in force per day (0 without a policy).
    level: Vec<usize>,
    /// The OxCGRT stringency index in force per day (0-100).
    stringency: Vec<f64>,
    /// Share of the national economy (1 for the country).
    economy_share: f64,
    /// Persons per age band.
    population: Vec<f64>,
}

impl Area {
    /// The country, or every region of a regional run, with what was in force there.
    fn of(run: &Run, population: &[f64]) -> Vec<Area> {
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
}

/// The country's outcome from its areas': the only one's as it is, or the sum over regions (daily
/// shares of the population weighted by the regions' people).
fn combine(
    per_area: &[(EconomicOutcome, SocietalOutcome)],
    areas: &[Area],
) -> (EconomicOutcome, SocietalOutcome) {
    if let [(econ, soc)] = per_area {
        return (econ.clone(), soc.clone());
    }
    let add = |out: &mut Vec<f64>, v: &[f64]| {
        if out.is_empty() {
            out.resize(v.len(), 0.0);
        }
        for (o, x) in out.iter_mut().zip(v) {
            *o += x;
        }
    };
    let people: Vec<f64> = areas.iter().map(|a| a.population.iter().sum()).collect();
    let total: f64 = people.iter().sum();
    let mut econ = EconomicOutcome::default();
    let mut soc = SocietalOutcome::default();
    for ((e, s), n) in per_area.iter().zip(&people) {
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
    }
    (econ, soc)
}

/// Builds indicators and their splits over the groupings.
struct Builder<'a> {
    groups: &'a Groups,
    groupings: Vec<GroupingInfo>,
    indicators: Vec<Indicator>,
}

impl Builder<'_> {
    fn info(&self, name: &str) -> &GroupingInfo {
        self.groupings
            .iter()
            .find(|g| g.name == name)
            .expect("grouping is built")
    }

    /// The population split of a grouping as shares.
    fn shares(&self, grouping: &str) -> Vec<f64> {
        let p = &self.info(grouping).population;
        let total: f64 = p.iter().sum();
        p.iter().map(|x| x / total).collect()
    }

    // The arguments are the indicator's fields, named at every call site.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        dimension: Dimension,
        name: &str,
        unit: &str,
        description: &str,
        aggregate: Aggregate,
        total: f64,
        by_group: BTreeMap<String, Vec<f64>>,
    ) {
        let inequality = match aggregate {
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
            dimension,
            name: name.into(),
            unit: unit.into(),
            description: description.into(),
            aggregate,
            total,
            by_group,
            inequality,
        });
    }

    /// A summed indicator known by age band (see [`Builder::by_age`]).
    fn push_by_age(
        &mut self,
        dimension: Dimension,
        name: &str,
        unit: &str,
        description: &str,
        by_age: &[f64],
        profile: &str,
    ) {
        let groups = self.by_age(by_age, profile);
        let total = by_age.iter().sum();
        self.push(
            dimension,
            name,
            unit,
            description,
            Aggregate::Sum,
            total,
            groups,
        );
    }

    /// A burden known by age band, split over the other groupings by population and profile.
    fn by_age(&self, by_age: &[f64], profile: &str) -> BTreeMap<String, Vec<f64>> {
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
    fn by_section(
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

/// A run with its four dimensions: what valuation, the checklist and the assessment read. It
/// dereferences to its [`Run`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    #[serde(flatten)]
    pub run: Run,
    /// The four dimensions, when the calibration has impact data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impacts: Option<Impacts>,
}

impl std::ops::Deref for Outcome {
    type Target = Run;

    fn deref(&self) -> &Run {
        &self.run
    }
}

/// A run with its impacts, computed when the calibration has impact data.
pub fn outcome(cal: &Calibration, run: Run) -> Result<Outcome> {
    let impacts = match cal.impacts {
        Some(_) => Some(compute(cal, &run)?),
        None => None,
    };
    Ok(Outcome { run, impacts })
}

/// Computes the four dimensions of a run, from the run alone: for a regional run the measures
/// are priced region by region, where and when they applied, and summed.
pub fn compute(cal: &Calibration, traj: &Run) -> Result<Impacts> {
    let data = cal.impacts.as_ref().ok_or_else(|| {
        Error::field(
            "calibration.impacts".into(),
            "is missing: impacts need the economy, society and groups data (Calibration.netherlands() has them)".into(),
            "null".into(),
        )
    })?;
    let economy = &data.economy;
    let population = &cal.population;
    let days = traj.vaccinations.nrows();
    let spread = traj.virus_spread();

    // What was in force where: the whole country for the national model, every region for a
    // regional one (a measure is priced where it applied). Per level the run records the
    // activity each sector kept and the flanking subsidies (a policy has few levels, so the daily
    // loops below only index).
    let record = traj.policy.as_ref();
    if let Some(r) = record {
        if r.level_activity.len() != r.levels.len() || r.level_support.len() != r.levels.len() {
            return Err(Error::field(
                "run.policy.level_activity".into(),
                "must hold one row per level (the run was recorded by an older version of afweging: run it again)".into(),
                format!("{} rows for {} levels", r.level_activity.len(), r.levels.len()),
            ));
        }
    }
    let sectors = record.map_or(&[][..], |r| &r.sector_parts[..]);
    let areas = Area::of(traj, population);
    let (activity, support): (Vec<Vec<f64>>, Vec<Vec<Support>>) = match record {
        Some(r) => (r.level_activity.clone(), r.level_support.clone()),
        None => (vec![Vec::new()], vec![Vec::new()]),
    };

    // Plan sectors -> NACE sections.
    let mut shares: Vec<Vec<(usize, f64)>> = Vec::with_capacity(sectors.len());
    for (p, sector) in sectors.iter().enumerate() {
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
    let kept: Vec<Vec<f64>> = activity
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
    let voluntary: Vec<f64> = match &traj.behaviour {
        Some(b) => b
            .voluntary
            .iter()
            .map(|row| crate::measures::behaviour::weighted_mean(row, population))
            .collect(),
        None => vec![0.0; days],
    };
    let subsidies: Vec<(bool, bool)> = support
        .iter()
        .map(|on| {
            (
                on.contains(&Support::WageSubsidy),
                on.contains(&Support::FixedCostSubsidy),
            )
        })
        .collect();
    let schools: Vec<usize> = (0..sectors.len())
        .filter(|&p| sectors[p].pupils.is_some())
        .collect();
    let society = &data.society;
    // Per area: its economic outcome, and per school sector the school years lost per pupil
    // (`sum over days of (1 - learning kept) / 365`, see crate::inputs::society), and its strain.
    let mut per_area = Vec::with_capacity(areas.len());
    for area in &areas {
        let econ = economy.outcome(
            area.economy_share,
            (0..days).map(|d| EconomicDay {
                kept: &kept[area.level[d]],
                voluntary: voluntary[d],
                wage_subsidy: subsidies[area.level[d]].0,
                fixed_cost_subsidy: subsidies[area.level[d]].1,
            }),
        );
        let mut days_at_level = vec![0.0; activity.len()];
        for &l in &area.level {
            days_at_level[l] += 1.0;
        }
        let years_lost_per_pupil: Vec<f64> = schools
            .iter()
            .map(|&p| {
                activity
                    .iter()
                    .zip(&days_at_level)
                    .map(|(a, n)| n * (1.0 - a[p]) / 365.0)
                    .sum()
            })
            .collect();
        let soc = society.outcome(
            years_lost_per_pupil,
            &area.stringency,
            &area.population,
            0.0,
            0.0,
        );
        per_area.push((econ, soc));
    }
    let ward_by_age = traj.stock_days_by_group(crate::epidemic::compartments::H);
    let icu_by_age = traj.stock_days_by_group(crate::epidemic::compartments::C);
    let care = &society.postponed_care;
    let (econ, mut soc) = combine(&per_area, &areas);
    soc.postponed_care_qalys = ward_by_age.iter().sum::<f64>() * care.qaly_per_ward_bed_day
        + icu_by_age.iter().sum::<f64>() * care.qaly_per_icu_bed_day;
    // Preparedness levers: their cost, and the regular care displaced by opened, empty beds
    // (added to postponed care, see crate::measures::preparedness).
    let prep = traj
        .preparedness
        .as_ref()
        .map(|record| crate::measures::preparedness::outcome(record, traj));
    if let Some(p) = &prep {
        soc.postponed_care_qalys += p.displaced_qalys();
    }

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
    let mut b = Builder {
        groups: &data.groups,
        groupings,
        indicators: Vec::new(),
    };
    use Aggregate::{Mean, Sum, Whole};
    use Dimension::*;

    // Virus spread.
    let life_years: Vec<f64> = spread
        .deaths
        .iter()
        .zip(&cal.life_expectancy)
        .map(|(d, e)| d * e)
        .collect();
    for (name, unit, description, by_age, profile) in [
        (
            "infections",
            "persons",
            "infections, reinfections included",
            &spread.infections,
            "infection",
        ),
        (
            "hospital_admissions",
            "persons",
            "hospital admissions (ward and ICU)",
            &spread.admissions,
            "severe",
        ),
        (
            "icu_admissions",
            "persons",
            "ICU admissions",
            &spread.icu_admissions,
            "severe",
        ),
        (
            "deaths",
            "persons",
            "deaths in hospital",
            &spread.deaths,
            "severe",
        ),
        (
            "life_years_lost",
            "years",
            "life years lost to deaths (undiscounted)",
            &life_years,
            "severe",
        ),
        (
            "hospital_bed_days",
            "patient-days",
            "COVID-19 patient-days in clinical beds",
            &ward_by_age,
            "severe",
        ),
        (
            "icu_bed_days",
            "patient-days",
            "COVID-19 patient-days in ICU",
            &icu_by_age,
            "severe",
        ),
    ] {
        b.push_by_age(VirusSpread, name, unit, description, by_age, profile);
    }
    b.push(
        VirusSpread,
        "peak_icu_occupancy",
        "persons",
        "highest number of COVID-19 patients in ICU",
        Whole,
        spread.peak_icu_occupancy,
        BTreeMap::new(),
    );
    b.push(
        VirusSpread,
        "days_icu_above_scaled",
        "days",
        "days with more ICU patients than scaled-up ICU beds",
        Whole,
        spread.days_icu_above_scaled as f64,
        BTreeMap::new(),
    );

    // Socio-economic.
    let lost: Vec<f64> = econ
        .value_added_lost_measures
        .iter()
        .zip(&econ.value_added_lost_fear)
        .map(|(m, f)| m + f)
        .collect();
    let fiscal: Vec<f64> = econ
        .wage_subsidy_cost
        .iter()
        .zip(&econ.fixed_cost_subsidy_cost)
        .map(|(w, f)| w + f)
        .collect();
    for (name, unit, description, by_section, profile) in [
        (
            "value_added_lost",
            "EUR",
            "gross value added lost (measures and fear-driven demand loss)",
            &lost,
            "value_added",
        ),
        (
            "value_added_lost_to_measures",
            "EUR",
            "value added lost to closures and capacity limits",
            &econ.value_added_lost_measures,
            "value_added",
        ),
        (
            "value_added_lost_to_fear",
            "EUR",
            "value added lost to fear-driven demand loss",
            &econ.value_added_lost_fear,
            "value_added",
        ),
        (
            "unemployment",
            "person-years",
            "extra unemployment",
            &econ.unemployment_years,
            "job_loss",
        ),
        (
            "bankruptcies",
            "firms",
            "extra bankruptcies (groups: by the workers of the sections)",
            &econ.bankruptcies,
            "job_loss",
        ),
    ] {
        let groups = b.by_section(economy, by_section, profile);
        b.push(
            SocioEconomic,
            name,
            unit,
            description,
            Sum,
            by_section.iter().sum(),
            groups,
        );
    }
    let unemployment_groups = b
        .indicators
        .iter()
        .find(|i| i.name == "unemployment")
        .map(|i| i.by_group.clone());
    let debt_total = economy.debt_per_unemployed_year * econ.unemployment_years.iter().sum::<f64>();
    let mut debt = BTreeMap::new();
    for (grouping, base) in unemployment_groups.unwrap_or_default() {
        let p = data.groups.profile("debt", &grouping, base.len());
        let profile = if grouping == SECTION {
            vec![1.0; base.len()]
        } else {
            p
        };
        debt.insert(grouping, split(debt_total, &base, &profile));
    }
    b.push(
        SocioEconomic,
        "households_in_debt",
        "households",
        "households entering problematic debt (debt restructuring)",
        Sum,
        debt_total,
        debt,
    );
    for (name, description, by_section) in [
        (
            "wage_subsidy_cost",
            "wage subsidy paid (NOW)",
            &econ.wage_subsidy_cost,
        ),
        (
            "fixed_cost_subsidy_cost",
            "fixed-cost subsidy paid (TVL)",
            &econ.fixed_cost_subsidy_cost,
        ),
        (
            "fiscal_cost",
            "fiscal cost of flanking policy (both subsidies)",
            &fiscal,
        ),
    ] {
        let groups = BTreeMap::from([(SECTION.to_string(), by_section.clone())]);
        b.push(
            SocioEconomic,
            name,
            "EUR",
            description,
            Sum,
            by_section.iter().sum(),
            groups,
        );
    }
    // Always present (0 without levers), like the fiscal cost, so every run has the line the
    // valuation prices.
    b.push(
        SocioEconomic,
        "preparedness_cost",
        "EUR",
        "cost of preparedness levers (scale-up, care at home, testing, vaccination capacity)",
        Whole,
        prep.as_ref().map_or(0.0, |p| p.total_cost()),
        BTreeMap::new(),
    );
    let peak_unemployed = econ.daily_unemployed.iter().copied().fold(0.0, f64::max);
    b.push(
        SocioEconomic,
        "peak_unemployment_rate",
        "share of labour force",
        "highest extra unemployment as a share of the labour force",
        Whole,
        peak_unemployed / economy.labour_force,
        BTreeMap::new(),
    );
    if let Some(beh) = &traj.behaviour {
        b.push(
            SocioEconomic,
            "lever_cost",
            "EUR",
            "cost of behavioural levers",
            Whole,
            beh.lever_cost.iter().sum(),
            BTreeMap::new(),
        );
    }

    // Societal.
    let mut pupils_by_age = vec![0.0; population.len()];
    let mut pupil_years_by_age = vec![0.0; population.len()];
    // Per area: its pupil-years lost (for the regional split).
    let mut area_pupil_years = vec![0.0; areas.len()];
    let mut area_pupils = vec![0.0; areas.len()];
    for (i, &p) in schools.iter().enumerate() {
        let sector = &sectors[p];
        let bands: Vec<usize> = sector
            .ages
            .iter()
            .filter_map(|a| cal.age_bands.iter().position(|b| b == a))
            .collect();
        let in_bands: f64 = bands.iter().map(|&g| population[g]).sum();
        // An area's pupils are the sector's in proportion to its persons in the pupils' bands.
        for (a, (area, (_, soc))) in areas.iter().zip(&per_area).enumerate() {
            let years = soc.years_lost_per_pupil[i];
            for &g in &bands {
                let pupils = sector.pupils.unwrap_or(0.0) * area.population[g] / in_bands;
                pupils_by_age[g] += pupils;
                pupil_years_by_age[g] += pupils * years;
                area_pupils[a] += pupils;
                area_pupil_years[a] += pupils * years;
            }
        }
    }
    let pupils: f64 = pupils_by_age.iter().sum();
    let years_lost: f64 = pupil_years_by_age.iter().sum();
    let years_groups = b.by_age(&pupil_years_by_age, "learning");
    // Mean loss per pupil by group: the group's pupil-years over its pupils (pupils spread over
    // income and education groups as the population is).
    let sd = society.learning.sd_per_school_year;
    let per_pupil: BTreeMap<String, Vec<f64>> = years_groups
        .iter()
        .map(|(grouping, years)| {
            let group_pupils: Vec<f64> = if grouping == AGE_BAND {
                pupils_by_age.clone()
            } else {
                b.shares(grouping).iter().map(|s| s * pupils).collect()
            };
            let mean = years
                .iter()
                .zip(&group_pupils)
                .map(|(y, p)| if *p > 0.0 { sd * y / p } else { 0.0 })
                .collect();
            (grouping.clone(), mean)
        })
        .collect();
    let pv = society.learning.present_value_of_earnings() * society.learning.return_per_school_year;
    let earnings_groups = years_groups
        .iter()
        .map(|(g, years)| (g.clone(), years.iter().map(|y| y * pv).collect()))
        .collect();
    b.push(
        Societal,
        "school_years_lost",
        "pupil-years",
        "school years of learning lost",
        Sum,
        years_lost,
        years_groups,
    );
    b.push(
        Societal,
        "learning_loss",
        "SD",
        "mean learning loss per pupil (standard deviations of test scores)",
        Mean,
        if pupils > 0.0 {
            sd * years_lost / pupils
        } else {
            0.0
        },
        per_pupil,
    );
    b.push(
        Societal,
        "lifetime_earnings_lost",
        "EUR",
        "present value of the lifetime earnings lost to learning loss",
        Sum,
        years_lost * pv,
        earnings_groups,
    );
    for (name, unit, description, by_age, profile) in [
        (
            "mental_health_person_years",
            "person-years",
            "excess person-years of poor mental health",
            &soc.mental_health_years,
            "mental_health",
        ),
        (
            "mental_health_qalys_lost",
            "QALY",
            "QALYs lost to poor mental health",
            &soc.mental_health_qalys,
            "mental_health",
        ),
        (
            "loneliness_person_years",
            "person-years",
            "excess person-years of emotional loneliness",
            &soc.loneliness_years,
            "loneliness",
        ),
        (
            "loneliness_qalys_lost",
            "QALY",
            "QALYs lost to loneliness",
            &soc.loneliness_qalys,
            "loneliness",
        ),
    ] {
        b.push_by_age(Societal, name, unit, description, by_age, profile);
    }
    let care_by_age: Vec<f64> = society
        .postponed_care
        .patient_age_share
        .iter()
        .map(|s| s * soc.postponed_care_qalys)
        .collect();
    let care_groups = b.by_age(&care_by_age, "postponed_care");
    b.push(
        Societal,
        "postponed_care_qalys_lost",
        "QALY",
        "QALYs lost to regular care displaced by COVID-19 patients",
        Sum,
        soc.postponed_care_qalys,
        care_groups,
    );
    if let Some(p) = &prep {
        let displaced: Vec<f64> = society
            .postponed_care
            .patient_age_share
            .iter()
            .map(|s| s * p.displaced_qalys())
            .collect();
        b.push_by_age(
            Societal,
            "postponed_care_qalys_lost_to_scale_up",
            "QALY",
            "of the QALYs lost to postponed care: regular care displaced by scaled-up beds left empty",
            &displaced,
            "postponed_care",
        );
    }

    // Behavioural.
    if let Some(beh) = &traj.behaviour {
        let summary = beh.summary(population);
        let over_days = |rows: &[Vec<f64>]| -> Vec<f64> {
            let n = rows.len().max(1) as f64;
            (0..population.len())
                .map(|g| rows.iter().map(|r| r[g]).sum::<f64>() / n)
                .collect()
        };
        for (name, description, rows, total) in [
            (
                "compliance",
                "mean compliance with measures (0-1)",
                &beh.compliance,
                summary.mean_compliance,
            ),
            (
                "support",
                "mean support for measures (0-1)",
                &beh.support,
                summary.mean_support,
            ),
            (
                "fatigue",
                "mean fatigue (0-1)",
                &beh.fatigue,
                crate::measures::behaviour::weighted_mean(&over_days(&beh.fatigue), population),
            ),
        ] {
            let groups = BTreeMap::from([(AGE_BAND.to_string(), over_days(rows))]);
            b.push(Behavioural, name, "share", description, Mean, total, groups);
        }
        b.push(
            Behavioural,
            "days_support_below_half",
            "days",
            "days on which support for measures was below one half",
            Whole,
            summary.days_support_below_half as f64,
            BTreeMap::new(),
        );
        b.push(
            Behavioural,
            "effectiveness_lost",
            "share",
            "mean share of the measures' effect lost through non-compliance",
            Whole,
            summary.effectiveness_lost,
            BTreeMap::new(),
        );
        b.push(
            Behavioural,
            "peak_voluntary_reduction",
            "share",
            "highest voluntary contact reduction (population mean)",
            Whole,
            summary.peak_voluntary_reduction,
            BTreeMap::new(),
        );
    }

    if !traj.regions.is_empty() {
        // What each region bore of the socio-economic and societal dimensions, priced where the
        // measures applied; the preparedness levers and displaced care, national, are split by
        // population.
        let sum = |v: &[f64]| v.iter().sum::<f64>();
        let each = |f: &dyn Fn(&EconomicOutcome, &SocietalOutcome) -> f64| -> Vec<f64> {
            per_area.iter().map(|(e, s)| f(e, s)).collect()
        };
        let people: Vec<f64> = areas.iter().map(|a| sum(&a.population)).collect();
        let total_people = sum(&people);
        let displaced = prep.as_ref().map_or(0.0, |p| p.displaced_qalys());
        let ward = traj.stock_by_region(crate::epidemic::compartments::H);
        let icu = traj.stock_by_region(crate::epidemic::compartments::C);
        let bed_days = |a: &ndarray::Array3<f64>, r: usize| a.index_axis(ndarray::Axis(1), r).sum();
        let care_qalys: Vec<f64> = (0..areas.len())
            .map(|r| {
                bed_days(&ward, r) * care.qaly_per_ward_bed_day
                    + bed_days(&icu, r) * care.qaly_per_icu_bed_day
                    + displaced * people[r] / total_people
            })
            .collect();
        let exact: BTreeMap<&str, Vec<f64>> = BTreeMap::from([
            (
                "value_added_lost",
                each(&|e, _| sum(&e.value_added_lost_measures) + sum(&e.value_added_lost_fear)),
            ),
            (
                "value_added_lost_to_measures",
                each(&|e, _| sum(&e.value_added_lost_measures)),
            ),
            (
                "value_added_lost_to_fear",
                each(&|e, _| sum(&e.value_added_lost_fear)),
            ),
            ("unemployment", each(&|e, _| sum(&e.unemployment_years))),
            ("bankruptcies", each(&|e, _| sum(&e.bankruptcies))),
            (
                "households_in_debt",
                each(&|e, _| economy.debt_per_unemployed_year * sum(&e.unemployment_years)),
            ),
            ("wage_subsidy_cost", each(&|e, _| sum(&e.wage_subsidy_cost))),
            (
                "fixed_cost_subsidy_cost",
                each(&|e, _| sum(&e.fixed_cost_subsidy_cost)),
            ),
            (
                "fiscal_cost",
                each(&|e, _| sum(&e.wage_subsidy_cost) + sum(&e.fixed_cost_subsidy_cost)),
            ),
            ("school_years_lost", area_pupil_years.clone()),
            (
                "lifetime_earnings_lost",
                area_pupil_years.iter().map(|y| y * pv).collect(),
            ),
            (
                "mental_health_person_years",
                each(&|_, s| sum(&s.mental_health_years)),
            ),
            (
                "mental_health_qalys_lost",
                each(&|_, s| sum(&s.mental_health_qalys)),
            ),
            (
                "loneliness_person_years",
                each(&|_, s| sum(&s.loneliness_years)),
            ),
            (
                "loneliness_qalys_lost",
                each(&|_, s| sum(&s.loneliness_qalys)),
            ),
            ("postponed_care_qalys_lost", care_qalys),
        ]);
        let means: BTreeMap<&str, Vec<f64>> = BTreeMap::from([(
            "learning_loss",
            area_pupil_years
                .iter()
                .zip(&area_pupils)
                .map(|(y, p)| if *p > 0.0 { sd * y / p } else { 0.0 })
                .collect(),
        )]);
        by_region(traj, &cal.life_expectancy, exact, means, &mut b);
    }

    Ok(Impacts {
        preparedness: prep,
        groupings: b.groupings,
        indicators: b.indicators,
        daily: DailyImpacts {
            value_added_lost: econ.daily_value_added_lost,
            unemployed: econ.daily_unemployed,
            mental_health: soc.daily_mental_health,
            loneliness: soc.daily_loneliness,
        },
    })
}

/// The name of the grouping by safety region (regional runs only).
pub const REGION: &str = "region";

/// Adds the split by region to every indicator of a regional run: exact for the virus-spread
/// indicators (from the regions' own states) and for those in `exact` and `means` (priced region
/// by region); the rest (levers, behaviour) is national and split by population (summed
/// indicators) or carries the national mean (means).
fn by_region(
    traj: &Run,
    life_expectancy: &[f64],
    mut exact: BTreeMap<&str, Vec<f64>>,
    means: BTreeMap<&str, Vec<f64>>,
    b: &mut Builder<'_>,
) {
    use crate::epidemic::compartments as c;
    let population = traj.population_by_region();
    let people: Vec<f64> = population.outer_iter().map(|r| r.sum()).collect();
    b.groupings.push(GroupingInfo {
        name: REGION.into(),
        labels: traj.regions.clone(),
        population: people.clone(),
        ordered: false,
    });
    let sum_rows = |a: ndarray::Array2<f64>| a.outer_iter().map(|r| r.sum()).collect::<Vec<f64>>();
    let days_by_region = |slot: usize| -> Vec<f64> {
        traj.stock_by_region(slot)
            .sum_axis(ndarray::Axis(0))
            .outer_iter()
            .map(|r| r.sum())
            .collect()
    };
    let deaths = traj.total_by_region(c::D);
    exact.extend([
        (
            "infections",
            sum_rows(traj.total_by_region(c::CUM_INFECTIONS)),
        ),
        (
            "hospital_admissions",
            sum_rows(traj.total_by_region(c::CUM_ADMISSIONS)),
        ),
        (
            "icu_admissions",
            sum_rows(traj.total_by_region(c::CUM_ICU_ADMISSIONS)),
        ),
        ("deaths", sum_rows(deaths.clone())),
        (
            "life_years_lost",
            deaths
                .outer_iter()
                .map(|r| r.iter().zip(life_expectancy).map(|(d, e)| d * e).sum())
                .collect(),
        ),
        ("hospital_bed_days", days_by_region(c::H)),
        ("icu_bed_days", days_by_region(c::C)),
    ]);
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
