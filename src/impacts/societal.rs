//! The societal dimension: learning loss and the lifetime earnings it costs, mental-health and
//! loneliness burdens that grow with the stringency and duration of measures, and regular care
//! postponed while COVID-19 patients take hospital and ICU beds.
//!
//! **Learning.** A school sector's rung keeps a share `a_d` of normal learning (remote teaching
//! included). A school year has 40 weeks of 52, so a calendar day during term is `1/280` of a
//! school year and term covers `40/52` of the days; on average a calendar day at `a_d` costs
//! `(1 - a_d) / 364` school years, taken as `(1 - a_d) / 365`:
//!
//! ```text
//! years lost per pupil  Y = sum_d (1 - a_d) / 365
//! learning loss (SD)    L = Y * sd_per_school_year
//! earnings lost (EUR)   = pupils * Y * return_per_school_year * PV(earnings)
//! PV(earnings)          = annual_earnings * sum_{t=0}^{working_years-1} (1+r)^-(years_until_work+t)
//! ```
//!
//! Where a policy funds the catch-up programme (one of its general measures in force on any day
//! in the area), `Y` is multiplied by `1 - share_recovered` and each pupil there costs
//! `cost_per_pupil` (the Nationaal Programma Onderwijs: EUR 8.5 bn for 2021-2023).
//!
//! Engzell, Frey & Verhagen (PNAS 2021;118(17):e2022376118): 8 weeks of Dutch school closure cost
//! 0.08 SD, a fifth of a school year, so a school year is worth about 0.4 SD; losses up to 60%
//! larger for pupils of less-educated parents. The earnings chain follows DAEDALUS (Haw et al.,
//! Nat Comput Sci 2022): about 8% higher earnings per school year, discounted at 3%.
//!
//! **Strain (mental health, loneliness).** A strain state per age band follows a target made of
//! the stringency index and the specific measures that drive that band (drivers: school closures
//! for the young, care-home visiting bans for the 80+, curfew, ...), with a time constant, so a
//! long spell weighs more than a short one and strain fades after measures end; it is solved
//! exactly over each day:
//!
//! ```text
//! on_k(l)  = min(1, (1 - activity_kept of the driver's sector at level l) / full_at_loss_k),
//!            or 1 while one of the driver's general measures is in force
//! D_g(l)   = min(1, sum_k weight_k,g on_k(l))
//! target_g,d = w S_d/100 + (1 - w) D_g(level_d)                 (w: stringency_weight)
//! m_g,d+1  = target_g,d + (m_g,d - target_g,d) exp(-1/tau)       (0 <= m <= 1)
//! excess prevalence_g,d = excess_at_full_g * m_g,d               (share of the age band)
//! QALYs lost = sum_d,g population_g * excess_g,d * utility_loss / 365
//! ```
//!
//! Which measure drives which band follows SCP (*Een jaar met corona*, 2021) and CBS (young
//! adults, care-home residents); the weights are assumptions (see `docs/societal.md`).
//!
//! Flanking programmes (the support packages for young people's and vulnerable groups' wellbeing,
//! 2020-2021) relieve a share `r_g` of the bands they reach while one of their general measures is
//! in force: `target_g,d` is multiplied by `prod_k (1 - r_k,g)`, so strain eases with its
//! time constant; each costs its budget per day in force, an area its population share of it.
//! The shares are assumptions (a meta-analysis of loneliness interventions, Masi et al., Pers Soc
//! Psychol Rev 2011, finds d = -0.20).
//!
//! **Postponed regular care.** COVID-19 patients in hospital beds displace planned operations
//! (NZa: 230,000 operations not performed from March 2020 to April 2021); the volume follows the
//! beds they occupy, an ICU bed-day displacing three times what a ward bed-day does (staffing), and
//! the health lost follows the volume (RIVM: 320,000 healthy life years lost to 305,000 postponed
//! planned operations in 2020-21):
//!
//! ```text
//! operations_d = o_ward ward_d + o_icu icu_d                  [operations/day; ward, icu in beds]
//! QALYs lost   = q sum_d operations_d                          [QALY; q in QALY/operation]
//! ```
//!
//! The parameters are in [`crate::inputs::society`] (the Dutch figures, with their sources, in
//! `data/netherlands/impacts.json`). Per area of a regional run the school time lost and the strain
//! follow the level (its measures) and the stringency in force there (see [`super::regional`]);
//! postponed care follows the national bed-days and is split by region from the regions' own.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::distribution::Builder;
use super::regional::{Area, ByRegion, Levels, Priced};
use super::virus_spread::BedDays;
use crate::epidemic::compartments as c;
use crate::inputs::calibration::Calibration;
use crate::inputs::distribution::AGE_BAND;
use crate::inputs::society::{Flanking, Learning, PostponedCare, Society, Strain, Trigger};
use crate::measures::preparedness::PreparednessOutcome;
use crate::run::Run;

/// The societal outcome of a run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SocietalOutcome {
    /// Per school sector: school years lost per pupil (years).
    pub years_lost_per_pupil: Vec<f64>,
    /// Per age band: person-years of excess poor mental health and the QALYs lost.
    pub mental_health_years: Vec<f64>,
    pub mental_health_qalys: Vec<f64>,
    /// Per age band: person-years of excess loneliness and the QALYs lost.
    pub loneliness_years: Vec<f64>,
    pub loneliness_qalys: Vec<f64>,
    /// QALYs lost to postponed regular care (all ages).
    pub postponed_care_qalys: f64,
    /// Operations not performed while COVID-19 patients occupied beds or scaled-up beds stood
    /// empty (all ages).
    pub operations_postponed: f64,
    /// Per day: population share with excess poor mental health, and with excess loneliness.
    pub daily_mental_health: Vec<f64>,
    pub daily_loneliness: Vec<f64>,
    /// Cost of the flanking programmes for wellbeing (EUR), when the policy funded any.
    pub wellbeing_support_cost: Option<f64>,
}

impl Strain {
    /// Per level of the run's policy, per age band: the drive of the specific measures,
    /// `D_l,g = min(1, sum_k weight_k,g on_k(l))`.
    fn drive(&self, levels: &Levels<'_>, general: &[Vec<String>]) -> Vec<Vec<f64>> {
        let n_ages = self.excess_at_full.len();
        (0..levels.activity.len())
            .map(|l| {
                let mut d = vec![0.0; n_ages];
                for driver in &self.drivers {
                    let on = driver.on.level(levels, general, l);
                    for (x, w) in d.iter_mut().zip(&driver.weight) {
                        *x += w * on;
                    }
                }
                d.iter().map(|x: &f64| x.min(1.0)).collect()
            })
            .collect()
    }

    /// Excess person-years and QALYs per age band, and the daily excess share of the population,
    /// for the stringency (0-100) and the level in force per day, with `drive` per level and age
    /// band from [`Strain::drive`], and the share of the target that flanking programmes relieve
    /// per level and age band (`relief`).
    fn outcome(
        &self,
        stringency: &[f64],
        level: &[usize],
        drive: &[Vec<f64>],
        relief: &[Vec<f64>],
        population: &[f64],
    ) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let decay = (-1.0 / self.time_constant_days).exp();
        let w = self.stringency_weight;
        let total: f64 = population.iter().sum();
        let mut m = vec![0.0; population.len()];
        let mut years = vec![0.0; population.len()];
        let mut daily = Vec::with_capacity(stringency.len());
        for (s, &l) in stringency.iter().zip(level) {
            let mut affected = 0.0;
            for (g, p) in population.iter().enumerate() {
                let target = (w * s / 100.0 + (1.0 - w) * drive[l][g]) * (1.0 - relief[l][g]);
                m[g] = target + (m[g] - target) * decay;
                let persons = p * self.excess_at_full[g] * m[g];
                years[g] += persons / 365.0;
                affected += persons;
            }
            daily.push(affected / total);
        }
        let qalys = years.iter().map(|y| y * self.utility_loss).collect();
        (years, qalys, daily)
    }
}

impl Trigger {
    /// How far the trigger is on at level `l` (0-1); a sector or measure the run's plan does not
    /// have is never on.
    fn level(&self, levels: &Levels<'_>, general: &[Vec<String>], l: usize) -> f64 {
        match self {
            Trigger::Sector {
                sector,
                full_at_loss,
            } => levels
                .sectors
                .iter()
                .position(|s| &s.name == sector)
                .map_or(0.0, |p| {
                    ((1.0 - levels.activity[l][p]) / full_at_loss).clamp(0.0, 1.0)
                }),
            Trigger::General { measures } => in_force(general, l, measures).into(),
        }
    }
}

/// Whether any of `measures` is among the general measures in force at level `l`.
fn in_force(general: &[Vec<String>], l: usize, measures: &[String]) -> bool {
    general
        .get(l)
        .is_some_and(|g| g.iter().any(|m| measures.contains(m)))
}

impl PostponedCare {
    /// Operations not performed while COVID-19 patients occupy `ward_days` patient-days in
    /// clinical beds and `icu_days` in ICU.
    pub fn operations(&self, ward_days: f64, icu_days: f64) -> f64 {
        ward_days * self.operations_per_ward_bed_day + icu_days * self.operations_per_icu_bed_day
    }

    /// QALYs lost to the operations not performed over `ward_days` and `icu_days`.
    pub fn qalys(&self, ward_days: f64, icu_days: f64) -> f64 {
        self.operations(ward_days, icu_days) * self.qaly_per_operation
    }
}

impl Learning {
    /// Present value of one worker's lifetime earnings (EUR).
    pub fn present_value_of_earnings(&self) -> f64 {
        let v = 1.0 / (1.0 + self.discount_rate);
        let years = self.working_years.round() as i32;
        (0..years)
            .map(|t| v.powf(self.years_until_work + f64::from(t)))
            .sum::<f64>()
            * self.annual_earnings
    }
}

/// The earnings lost per school year lost (EUR): `return_per_school_year * PV(earnings)`.
fn earnings_per_school_year(learning: &Learning) -> f64 {
    learning.present_value_of_earnings() * learning.return_per_school_year
}

/// Mean learning loss per pupil (SD) of `years` school years lost by `pupils` pupils.
fn per_pupil(sd: f64, years: f64, pupils: f64) -> f64 {
    if pupils > 0.0 {
        sd * years / pupils
    } else {
        0.0
    }
}

/// The school sectors of the run's policy (those with pupils), and what each level kept of their
/// teaching.
pub(super) struct Schools<'a> {
    levels: &'a Levels<'a>,
    /// Per level: the general measures in force (empty without a policy).
    general: &'a [Vec<String>],
    /// Indices of the school sectors among the plan sectors.
    index: Vec<usize>,
    /// Persons in the country: an area pays its population share of a national programme.
    people: f64,
}

impl<'a> Schools<'a> {
    pub(super) fn of(levels: &'a Levels<'a>, run: &'a Run, population: &[f64]) -> Self {
        let index = (0..levels.sectors.len())
            .filter(|&p| levels.sectors[p].pupils.is_some())
            .collect();
        let general = run.policy.as_ref().map_or(&[][..], |r| &r.general[..]);
        Schools {
            levels,
            general,
            index,
            people: population.iter().sum(),
        }
    }

    /// The societal outcome of an area: per school sector the school years lost per pupil
    /// (`sum over days of (1 - learning kept) / 365`), and the strain of the stringency and the
    /// specific measures in force there. Postponed care is left at 0: it follows the national
    /// bed-days.
    pub(super) fn outcome(&self, society: &Society, area: &Area) -> SocietalOutcome {
        let activity = self.levels.activity;
        let mut days_at_level = vec![0.0; activity.len()];
        for &l in &area.level {
            days_at_level[l] += 1.0;
        }
        let kept = 1.0 - self.catch_up_share(society, area);
        let years_lost_per_pupil: Vec<f64> = self
            .index
            .iter()
            .map(|&p| {
                let lost: f64 = activity
                    .iter()
                    .zip(&days_at_level)
                    .map(|(a, n)| n * (1.0 - a[p]) / 365.0)
                    .sum();
                lost * kept
            })
            .collect();
        let strain = |s: &Strain, relief: fn(&Flanking) -> &[f64]| {
            let drive = s.drive(self.levels, self.general);
            let relief = self.relief(society, relief);
            s.outcome(
                &area.stringency,
                &area.level,
                &drive,
                &relief,
                &area.population,
            )
        };
        let (mental_health_years, mental_health_qalys, daily_mental_health) =
            strain(&society.mental_health, |k| &k.relief.mental_health);
        let (loneliness_years, loneliness_qalys, daily_loneliness) =
            strain(&society.loneliness, |k| &k.relief.loneliness);
        SocietalOutcome {
            years_lost_per_pupil,
            mental_health_years,
            mental_health_qalys,
            loneliness_years,
            loneliness_qalys,
            postponed_care_qalys: 0.0,
            operations_postponed: 0.0,
            daily_mental_health,
            daily_loneliness,
            wellbeing_support_cost: self.wellbeing_support_cost(society, area),
        }
    }

    /// Per level, per age band: the share of a strain's target that the flanking programmes in
    /// force relieve, `1 - prod_k (1 - r_k,g)` (programmes reach people independently).
    fn relief(&self, society: &Society, relief: fn(&Flanking) -> &[f64]) -> Vec<Vec<f64>> {
        let n_ages = society.mental_health.excess_at_full.len();
        (0..self.levels.activity.len())
            .map(|l| {
                let mut kept = vec![1.0; n_ages];
                for k in &society.flanking {
                    if in_force(self.general, l, &k.measures) {
                        for (x, r) in kept.iter_mut().zip(relief(k)) {
                            *x *= 1.0 - r;
                        }
                    }
                }
                kept.iter().map(|x| 1.0 - x).collect()
            })
            .collect()
    }

    /// What the flanking programmes in force in `area` cost (EUR): per programme, the days in
    /// force times its national cost per day times the area's share of the population; `None`
    /// when none was in force on any day.
    fn wellbeing_support_cost(&self, society: &Society, area: &Area) -> Option<f64> {
        let share = area.people() / self.people;
        let mut cost = None;
        for k in &society.flanking {
            let days = (area.level.iter())
                .filter(|&&l| in_force(self.general, l, &k.measures))
                .count();
            if days > 0 {
                *cost.get_or_insert(0.0) += days as f64 * k.cost_per_day * share;
            }
        }
        cost
    }

    /// Whether the catch-up programme was funded in `area` (one of its general measures in force
    /// on any day), and so the share of the school time lost there it makes good.
    fn funded(&self, society: &Society, area: &Area) -> bool {
        let measures = &society.learning.catch_up.measures;
        area.level
            .iter()
            .any(|&l| in_force(self.general, l, measures))
    }

    fn catch_up_share(&self, society: &Society, area: &Area) -> f64 {
        if self.funded(society, area) {
            society.learning.catch_up.share_recovered
        } else {
            0.0
        }
    }

    /// The pupils of the school sectors and the school years they lost, by age band and by area:
    /// an area's pupils are a sector's in proportion to its persons in the pupils' age bands. The
    /// catch-up programme costs `cost_per_pupil` for every pupil of an area where it was funded.
    pub(super) fn pupils(
        &self,
        cal: &Calibration,
        society: &Society,
        areas: &[Area],
        per_area: &[Priced],
    ) -> Pupils {
        let population = &cal.population;
        let mut out = Pupils {
            by_age: vec![0.0; population.len()],
            years_by_age: vec![0.0; population.len()],
            by_area: vec![0.0; areas.len()],
            years_by_area: vec![0.0; areas.len()],
            catch_up_cost: None,
        };
        for (i, &p) in self.index.iter().enumerate() {
            let sector = &self.levels.sectors[p];
            let bands: Vec<usize> = sector
                .ages
                .iter()
                .filter_map(|a| cal.age_bands.iter().position(|b| b == a))
                .collect();
            let in_bands: f64 = bands.iter().map(|&g| population[g]).sum();
            for (a, (area, priced)) in areas.iter().zip(per_area).enumerate() {
                let years = priced.soc.years_lost_per_pupil[i];
                for &g in &bands {
                    let pupils = sector.pupils.unwrap_or(0.0) * area.population[g] / in_bands;
                    out.by_age[g] += pupils;
                    out.years_by_age[g] += pupils * years;
                    out.by_area[a] += pupils;
                    out.years_by_area[a] += pupils * years;
                }
            }
        }
        let funded: Vec<bool> = areas.iter().map(|a| self.funded(society, a)).collect();
        if funded.contains(&true) {
            let pupils: f64 = (out.by_area.iter().zip(&funded))
                .filter_map(|(p, &f)| f.then_some(p))
                .sum();
            out.catch_up_cost = Some(pupils * society.learning.catch_up.cost_per_pupil);
        }
        out
    }
}

/// Pupils and the school years they lost (pupil-years), by age band and by area.
pub(super) struct Pupils {
    by_age: Vec<f64>,
    years_by_age: Vec<f64>,
    by_area: Vec<f64>,
    years_by_area: Vec<f64>,
    /// Cost of the catch-up programme (EUR), when the policy funded it anywhere.
    catch_up_cost: Option<f64>,
}

/// Operations not performed per day of the run (operations/day), from the COVID-19 patients in
/// clinical and ICU beds that day.
pub(super) fn operations_by_day(care: &PostponedCare, beds: &BedDays) -> Vec<f64> {
    (beds.ward_by_day.iter().zip(&beds.icu_by_day))
        .map(|(&w, &i)| care.operations(w, i))
        .collect()
}

/// Operations not performed in the country: displaced by the COVID-19 patients in clinical and
/// ICU beds, and by the scaled-up beds the preparedness levers left empty (see
/// [`crate::measures::preparedness`]), each bed-day priced alike.
pub(super) fn operations_postponed(
    care: &PostponedCare,
    beds: &BedDays,
    prep: Option<&PreparednessOutcome>,
) -> f64 {
    let mut operations = care.operations(beds.ward.iter().sum(), beds.icu.iter().sum());
    if let Some(p) = prep {
        operations += displaced_operations(care, p);
    }
    operations
}

/// Operations displaced by the scaled-up beds the preparedness levers left empty.
fn displaced_operations(care: &PostponedCare, prep: &PreparednessOutcome) -> f64 {
    care.operations(prep.displaced_ward_bed_days, prep.displaced_icu_bed_days)
}

/// Adds the societal indicators of the country's outcome `soc`, with the regular care displaced
/// by the preparedness levers' empty beds (`prep`).
pub(super) fn push(
    b: &mut Builder<'_>,
    society: &Society,
    soc: &SocietalOutcome,
    pupils: &Pupils,
    prep: Option<&PreparednessOutcome>,
) {
    let total_pupils: f64 = pupils.by_age.iter().sum();
    let years_lost: f64 = pupils.years_by_age.iter().sum();
    let years_groups = b.by_age(&pupils.years_by_age, "learning");
    // Mean loss per pupil by group: the group's pupil-years over its pupils (pupils spread over
    // income and education groups as the population is).
    let sd = society.learning.sd_per_school_year;
    let loss_per_pupil: BTreeMap<String, Vec<f64>> = years_groups
        .iter()
        .map(|(grouping, years)| {
            let group_pupils: Vec<f64> = if grouping == AGE_BAND {
                pupils.by_age.clone()
            } else {
                b.shares(grouping)
                    .iter()
                    .map(|s| s * total_pupils)
                    .collect()
            };
            let mean = years
                .iter()
                .zip(&group_pupils)
                .map(|(y, p)| per_pupil(sd, *y, *p))
                .collect();
            (grouping.clone(), mean)
        })
        .collect();
    let pv = earnings_per_school_year(&society.learning);
    let earnings_groups = years_groups
        .iter()
        .map(|(g, years)| (g.clone(), years.iter().map(|y| y * pv).collect()))
        .collect();
    b.push("school_years_lost", years_lost, years_groups);
    b.push(
        "learning_loss",
        per_pupil(sd, years_lost, total_pupils),
        loss_per_pupil,
    );
    b.push("lifetime_earnings_lost", years_lost * pv, earnings_groups);
    if let Some(cost) = pupils.catch_up_cost {
        b.push_whole("catch_up_cost", cost);
    }
    if let Some(cost) = soc.wellbeing_support_cost {
        b.push_whole("wellbeing_support_cost", cost);
    }
    for (name, by_age, profile) in [
        (
            "mental_health_person_years",
            &soc.mental_health_years,
            "mental_health",
        ),
        (
            "mental_health_qalys_lost",
            &soc.mental_health_qalys,
            "mental_health",
        ),
        (
            "loneliness_person_years",
            &soc.loneliness_years,
            "loneliness",
        ),
        ("loneliness_qalys_lost", &soc.loneliness_qalys, "loneliness"),
    ] {
        b.push_by_age(name, by_age, profile);
    }
    let by_patient_age = |qalys: f64| -> Vec<f64> {
        society
            .postponed_care
            .patient_age_share
            .iter()
            .map(|s| s * qalys)
            .collect()
    };
    let operation_groups = b.by_age(&by_patient_age(soc.operations_postponed), "postponed_care");
    b.push(
        "operations_postponed",
        soc.operations_postponed,
        operation_groups,
    );
    let care_groups = b.by_age(&by_patient_age(soc.postponed_care_qalys), "postponed_care");
    b.push(
        "postponed_care_qalys_lost",
        soc.postponed_care_qalys,
        care_groups,
    );
    if let Some(p) = prep {
        b.push_by_age(
            "postponed_care_qalys_lost_to_scale_up",
            &by_patient_age(
                displaced_operations(&society.postponed_care, p)
                    * society.postponed_care.qaly_per_operation,
            ),
            "postponed_care",
        );
    }
}

/// Per region of a regional run: the summed indicators of this dimension (exact) and the mean
/// learning loss per pupil (means). Postponed care follows each region's own bed-days, and the
/// care displaced by the (national) preparedness levers is split by population.
pub(super) fn by_region(
    society: &Society,
    run: &Run,
    areas: &[Area],
    per_area: &[Priced],
    pupils: &Pupils,
    prep: Option<&PreparednessOutcome>,
) -> (ByRegion, ByRegion) {
    let sum = |v: &[f64]| v.iter().sum::<f64>();
    let each = |f: &dyn Fn(&SocietalOutcome) -> f64| -> Vec<f64> {
        per_area.iter().map(|p| f(&p.soc)).collect()
    };
    let people: Vec<f64> = areas.iter().map(Area::people).collect();
    let total_people = sum(&people);
    let ward = run.stock_by_region(&c::WARD);
    let icu = run.stock_by_region(&c::ICU);
    let bed_days = |a: &ndarray::Array3<f64>, r: usize| a.index_axis(ndarray::Axis(1), r).sum();
    let care = &society.postponed_care;
    let displaced = prep.map_or(0.0, |p| displaced_operations(care, p));
    let operations: Vec<f64> = (0..areas.len())
        .map(|r| {
            care.operations(bed_days(&ward, r), bed_days(&icu, r))
                + displaced * people[r] / total_people
        })
        .collect();
    let care_qalys: Vec<f64> = operations
        .iter()
        .map(|o| o * care.qaly_per_operation)
        .collect();
    let pv = earnings_per_school_year(&society.learning);
    let sd = society.learning.sd_per_school_year;
    let exact = vec![
        ("school_years_lost", pupils.years_by_area.clone()),
        (
            "lifetime_earnings_lost",
            pupils.years_by_area.iter().map(|y| y * pv).collect(),
        ),
        (
            "mental_health_person_years",
            each(&|s| sum(&s.mental_health_years)),
        ),
        (
            "mental_health_qalys_lost",
            each(&|s| sum(&s.mental_health_qalys)),
        ),
        (
            "loneliness_person_years",
            each(&|s| sum(&s.loneliness_years)),
        ),
        ("loneliness_qalys_lost", each(&|s| sum(&s.loneliness_qalys))),
        ("operations_postponed", operations),
        ("postponed_care_qalys_lost", care_qalys),
    ];
    let means = vec![(
        "learning_loss",
        pupils
            .years_by_area
            .iter()
            .zip(&pupils.by_area)
            .map(|(y, p)| per_pupil(sd, *y, *p))
            .collect(),
    )];
    (exact, means)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn present_value_of_an_annuity() {
        // 2 years from now, 3 years of 100 at 10%: 100 (1.1^-2 + 1.1^-3 + 1.1^-4).
        let l = Learning {
            sd_per_school_year: 0.4,
            return_per_school_year: 0.08,
            annual_earnings: 100.0,
            years_until_work: 2.0,
            working_years: 3.0,
            discount_rate: 0.1,
            catch_up: crate::inputs::society::CatchUp {
                measures: vec!["m".into()],
                share_recovered: 0.5,
                cost_per_pupil: 1.0,
            },
        };
        let expected = 100.0 * (1.1f64.powi(-2) + 1.1f64.powi(-3) + 1.1f64.powi(-4));
        assert!((l.present_value_of_earnings() - expected).abs() < 1e-9);
    }

    #[test]
    fn strain_follows_stringency_and_drive_and_stays_below_the_full_excess() {
        let s = Strain {
            excess_at_full: vec![0.1, 0.2],
            time_constant_days: 30.0,
            utility_loss: 0.1,
            stringency_weight: 0.5,
            drivers: Vec::new(),
        };
        // Level 0: the specific measures fully drive band 0 and leave band 1 alone.
        let drive = vec![vec![1.0, 0.0]];
        let no_relief = vec![vec![0.0, 0.0]];
        let (years, qalys, daily) =
            s.outcome(&[100.0; 3650], &[0; 3650], &drive, &no_relief, &[1.0, 1.0]);
        // After ten years strain is saturated: band 0 at its full excess (10 * 0.1 person-years),
        // band 1 at the stringency half of its excess (10 * 0.2 / 2).
        assert!((years[0] - 1.0).abs() < 0.05 && years[0] < 1.0);
        assert!((years[1] - 1.0).abs() < 0.05 && years[1] < 1.0);
        assert!((qalys[0] - years[0] * 0.1).abs() < 1e-12);
        assert!(daily.iter().all(|&d| d <= 0.1));
        let (none, _, _) = s.outcome(
            &[0.0; 100],
            &[0; 100],
            &[vec![0.0, 0.0]],
            &no_relief,
            &[1.0, 1.0],
        );
        assert_eq!(none, vec![0.0, 0.0]);
        // A programme relieving a quarter of band 0's target lowers its saturated excess to three
        // quarters and leaves band 1 alone.
        let relief = vec![vec![0.25, 0.0]];
        let (helped, _, _) = s.outcome(&[100.0; 3650], &[0; 3650], &drive, &relief, &[1.0, 1.0]);
        assert!((helped[0] - 0.75 * years[0]).abs() < 1e-9);
        assert_eq!(helped[1], years[1]);
    }
}
