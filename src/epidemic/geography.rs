//! The regions of a calibration prepared for the engine: people per group, the mixing kernel,
//! capacity and economy shares, and the national spreading of ICU patients (LCPS). The model and
//! its equations are documented in [`crate::inputs::regions`].

use crate::inputs::calibration::Calibration;
use crate::inputs::regions::Kernel;

/// Each region's share of the persons aged 20-69 (the age bands whose lower bound is from 20 to
/// 69, read from labels such as `"20-29"` or `"80+"`), the default share of the economy a region
/// holds: no value added per safety region is published (CBS's regional accounts are by province
/// and COROP area), so the working-age population stands in for it (an assumption, see
/// `data/netherlands/regions.json`). Falls back to the population share when no label parses.
/// `population` is `regions x ages`, region-major.
pub fn working_age_share(bands: &[String], population: &[f64], ages: usize) -> Vec<f64> {
    let lower = |label: &String| -> Option<u32> {
        label
            .split(['-', '+', ' '])
            .next()
            .and_then(|x| x.trim().parse().ok())
    };
    let working: Vec<bool> = bands
        .iter()
        .map(|b| lower(b).is_some_and(|a| (20..70).contains(&a)))
        .collect();
    let any = working.iter().any(|&w| w);
    let per_region: Vec<f64> = population
        .chunks(ages)
        .map(|p| {
            p.iter()
                .zip(&working)
                .filter(|(_, &w)| w || !any)
                .map(|(n, _)| n)
                .sum()
        })
        .collect();
    let total: f64 = per_region.iter().sum();
    per_region.iter().map(|n| n / total).collect()
}

/// The regions of a calibration prepared for the engine.
#[derive(Debug, Clone, PartialEq)]
pub struct Geography {
    pub names: Vec<String>,
    pub codes: Vec<String>,
    pub ages: usize,
    /// Persons per group (`regions x ages`, region-major).
    pub population: Vec<f64>,
    /// Persons per region.
    pub region_population: Vec<f64>,
    /// Share of national capacity per region.
    pub capacity_share: Vec<f64>,
    /// Share of the national economy (value added, jobs, firms) per region.
    pub economy_share: Vec<f64>,
    /// The kernel `K` as rows of `(region, weight)` pairs with a non-zero weight.
    pub kernel: Vec<Vec<(usize, f64)>>,
    /// `rho_r = sum_q K_rq`.
    pub connectivity: Vec<f64>,
    /// Share `o_s` of contacts mixed through the kernel, per setting.
    pub outside: [f64; 4],
    pub spreading: bool,
    /// Initial prevalence per region relative to the scenario's.
    pub seed: Vec<f64>,
}

impl Geography {
    /// Prepares the regions of a (validated) calibration; `None` for the national model.
    pub fn new(cal: &Calibration) -> Option<Geography> {
        let regions = cal.regions.as_ref()?;
        let ages = cal.n_ages();
        let national: f64 = cal.population.iter().sum();
        let mut population = Vec::with_capacity(regions.regions.len() * ages);
        for r in &regions.regions {
            match &r.population_by_age {
                Some(by_age) => population.extend_from_slice(by_age),
                None => {
                    population.extend(cal.population.iter().map(|n| n * r.population / national))
                }
            }
        }
        let region_population: Vec<f64> = population.chunks(ages).map(|c| c.iter().sum()).collect();
        let total: f64 = region_population.iter().sum();
        let capacity_share = regions
            .regions
            .iter()
            .zip(&region_population)
            .map(|(r, p)| r.capacity_share.unwrap_or(p / total))
            .collect();
        let working = working_age_share(&cal.age_bands, &population, ages);
        let economy_share = regions
            .regions
            .iter()
            .zip(working)
            .map(|(r, w)| r.economy_share.unwrap_or(w))
            .collect();
        Some(Geography {
            names: regions.names(),
            codes: regions.regions.iter().map(|r| r.code.clone()).collect(),
            ages,
            population,
            region_population,
            capacity_share,
            economy_share,
            kernel: {
                let n = regions.regions.len();
                let k = regions.kernel();
                k.chunks_exact(n)
                    .map(|row| {
                        row.iter()
                            .copied()
                            .enumerate()
                            .filter(|(_, w)| *w > 0.0)
                            .collect()
                    })
                    .collect()
            },
            connectivity: regions.connectivity(),
            outside: if regions.regions.len() == 1 && regions.mixing.kernel == Kernel::Gravity {
                [0.0; 4]
            } else {
                regions.mixing.outside.to_array()
            },
            spreading: regions.patient_spreading,
            seed: regions
                .seed
                .clone()
                .unwrap_or_else(|| vec![1.0; regions.regions.len()]),
        })
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Spreads `patients` (per region) over regions with `capacity` beds, writing where they lie to
/// `located`: each region keeps its own patients up to its beds; the excess goes to regions with
/// room in proportion to their free beds; when there is not room for all, every region is filled
/// and the remaining excess is shared in proportion to the beds. Returns the overflow share (the
/// share of all patients above capacity).
pub fn spread(patients: &[f64], capacity: &[f64], located: &mut [f64]) -> f64 {
    let mut excess = 0.0;
    let mut room = 0.0;
    let mut total = 0.0;
    let mut beds = 0.0;
    for (&p, &c) in patients.iter().zip(capacity) {
        excess += (p - c).max(0.0);
        room += (c - p).max(0.0);
        total += p;
        beds += c;
    }
    if excess <= room {
        for ((l, &p), &c) in located.iter_mut().zip(patients).zip(capacity) {
            let free = (c - p).max(0.0);
            *l = p.min(c)
                + if room > 0.0 {
                    excess * free / room
                } else {
                    0.0
                };
        }
        0.0
    } else {
        let over = total - beds;
        for (l, &c) in located.iter_mut().zip(capacity) {
            *l = if beds > 0.0 {
                c + over * c / beds
            } else {
                total / capacity.len() as f64
            };
        }
        over / total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn spreading_never_leaves_a_region_over_capacity_while_another_has_room(
            cases in prop::collection::vec((0.0..500.0f64, 0.0..300.0f64), 1..30),
        ) {
            let patients: Vec<f64> = cases.iter().map(|c| c.0).collect();
            let capacity: Vec<f64> = cases.iter().map(|c| c.1).collect();
            let mut located = vec![0.0; cases.len()];
            let overflow = spread(&patients, &capacity, &mut located);
            let total: f64 = patients.iter().sum();
            let placed: f64 = located.iter().sum();
            prop_assert!((total - placed).abs() <= 1e-9 * total.max(1.0), "patients conserved");
            let tol = 1e-9 * total.max(1.0);
            let over = located.iter().zip(&capacity).any(|(l, c)| *l > c + tol);
            let room = located.iter().zip(&capacity).any(|(l, c)| *l < c - tol);
            prop_assert!(!(over && room), "{located:?} vs {capacity:?}");
            let beds: f64 = capacity.iter().sum();
            if total > beds && beds > 0.0 {
                prop_assert!((overflow - (total - beds) / total).abs() < 1e-12);
            } else {
                prop_assert!(overflow == 0.0);
            }
        }
    }
}
