//! The virus-spread dimension: infections, hospital and ICU admissions, deaths and the life years
//! they cost, COVID-19 patient-days in clinical beds and ICU, the ICU peak and the days above
//! scaled-up ICU capacity. Everything comes from the run's states by age band (and by region for
//! a regional run); the persons are split over the other groupings by population and the
//! `infection` and `severe` profiles.

use super::distribution::Builder;
use super::regional::ByRegion;
use crate::epidemic::compartments as c;
use crate::run::Run;
use ndarray::{Array2, Axis};

/// COVID-19 patients in clinical beds and ICU, from one pass over the run's states: patient-days
/// by age band over the run (an indicator of this dimension, and what displaces regular care in
/// the societal one) and patients per day (the daily operations not performed).
pub(super) struct BedDays {
    /// Patient-days by age band over the run.
    pub(super) ward: Vec<f64>,
    pub(super) icu: Vec<f64>,
    /// Patients per day, all ages.
    pub(super) ward_by_day: Vec<f64>,
    pub(super) icu_by_day: Vec<f64>,
}

impl BedDays {
    pub(super) fn of(run: &Run) -> Self {
        let ward = run.stock(&c::WARD);
        let icu = run.stock(&c::ICU);
        let by_age = |a: &Array2<f64>| a.sum_axis(Axis(0)).to_vec();
        let by_day = |a: &Array2<f64>| a.rows().into_iter().map(|r| r.sum()).collect();
        BedDays {
            ward: by_age(&ward),
            icu: by_age(&icu),
            ward_by_day: by_day(&ward),
            icu_by_day: by_day(&icu),
        }
    }
}

/// Adds the virus-spread indicators; `life_expectancy` is the remaining life expectancy per age
/// band (years).
pub(super) fn push(b: &mut Builder<'_>, run: &Run, life_expectancy: &[f64], beds: &BedDays) {
    let spread = run.virus_spread();
    let life_years: Vec<f64> = spread
        .deaths
        .iter()
        .zip(life_expectancy)
        .map(|(d, e)| d * e)
        .collect();
    for (name, by_age, profile) in [
        ("infections", &spread.infections, "infection"),
        ("hospital_admissions", &spread.admissions, "severe"),
        ("icu_admissions", &spread.icu_admissions, "severe"),
        ("deaths", &spread.deaths, "severe"),
        ("life_years_lost", &life_years, "severe"),
        ("hospital_bed_days", &beds.ward, "severe"),
        ("icu_bed_days", &beds.icu, "severe"),
    ] {
        b.push_by_age(name, by_age, profile);
    }
    b.push_whole("peak_icu_occupancy", spread.peak_icu_occupancy);
    b.push_whole("days_icu_above_scaled", spread.days_icu_above_scaled as f64);
}

/// Per region of a regional run: the summed indicators of this dimension, from the regions' own
/// states.
pub(super) fn by_region(run: &Run, life_expectancy: &[f64]) -> ByRegion {
    let sum_rows = |a: ndarray::Array2<f64>| a.outer_iter().map(|r| r.sum()).collect::<Vec<f64>>();
    let days_by_region = |slots: &[usize]| -> Vec<f64> {
        run.stock_by_region(slots)
            .sum_axis(ndarray::Axis(0))
            .outer_iter()
            .map(|r| r.sum())
            .collect()
    };
    let deaths = run.total_by_region(c::D);
    vec![
        (
            "infections",
            sum_rows(run.total_by_region(c::CUM_INFECTIONS)),
        ),
        (
            "hospital_admissions",
            sum_rows(run.total_by_region(c::CUM_ADMISSIONS)),
        ),
        (
            "icu_admissions",
            sum_rows(run.total_by_region(c::CUM_ICU_ADMISSIONS)),
        ),
        ("deaths", sum_rows(deaths.clone())),
        (
            "life_years_lost",
            deaths
                .outer_iter()
                .map(|r| r.iter().zip(life_expectancy).map(|(d, e)| d * e).sum())
                .collect(),
        ),
        ("hospital_bed_days", days_by_region(&c::WARD)),
        ("icu_bed_days", days_by_region(&c::ICU)),
    ]
}
