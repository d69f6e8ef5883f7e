//! Geography: the 25 Dutch safety regions (veiligheidsregio's) as a metapopulation, the mixing
//! between them and the national spreading of patients when a region's beds are full.
//!
//! A group of the state is a (region, age band) pair, `g = r * ages + a`. With `N_ra` persons,
//! `P_ra` infectious pressure (`I_mild + I_sev + rho I_asym`) and, per setting `s`, the day's
//! factor `a^s_ra = sqrt(m^s_r) f^s_ra` of region `r` (its measures, compliance and voluntary
//! distancing, see [`crate::epidemic::model::DayEffects`]):
//!
//! ```text
//! lambda_ra = season * sum_s a^s_ra sum_b B^s_ab sum_q W^s_rq a^s_qb P_qb / N_qb
//! B^s_ab    = beta0 sigma_a M^s_ab                           (contacts per person, national)
//! W^s       = I - o_s diag(rho_r) + o_s K                    (row-stochastic, N_r W_rq = N_q W_qr)
//! ```
//!
//! A contact between two regions is thinned by both regions' measures (the geometric mean, as for
//! age-targeted measures). `K` is the between-region kernel: with `kernel = gravity`,
//! `K_rq = F_rq / (N_r c)` for `q != r` with the symmetric flow `F_rq = N_r N_q exp(-d_rq / d0)`,
//! `rho_r = sum_q K_rq` and `c` such that the population-weighted mean of `rho_r` is 1, so `o_s` is
//! the mean share of contacts in setting `s` made with people from other regions (regions near many
//! people have more); with `kernel = homogeneous`, `K_rq = N_q / N` (full mixing; with every
//! `o_s = 1` and the same age structure everywhere this is the national model exactly).
//! When every region has the same measures, `a^s_ra a^s_qb = m_s f_a f_b` and one region is the
//! national model.
//!
//! **Patient spreading** (LCPS): with `C_r` ICU beds in region `r` and `T` patients in all, patients
//! are moved from full regions to regions with room until no region holds more patients than beds
//! while another has room ([`spread`]); when all beds are taken, the excess is shared in proportion
//! to the beds, so every patient faces the same overflow share `(T - C) / T`. Without spreading
//! each region's overflow share is its own `(T_r - C_r)^+ / T_r`.

use std::fmt::Display;

use serde::{Deserialize, Serialize};

use crate::error::from_json;
use crate::inputs::calibration::SettingFactors;
use crate::inputs::calibration::{Calibration, Setting};
use crate::inputs::source::Sources;
use crate::inputs::validate::Checker;

/// One region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// Code, e.g. `"VR13"`.
    pub code: String,
    pub name: String,
    /// Inhabitants (persons).
    pub population: f64,
    /// Inhabitants per age band of the calibration; absent: the national age structure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population_by_age: Option<Vec<f64>>,
    /// Approximate centre (latitude, longitude in degrees), for the gravity model.
    pub centre: [f64; 2],
    /// Share of the national hospital and ICU capacity in the region; absent: population share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_share: Option<f64>,
    /// Share of the national value added, jobs and firms of every section in the region (the
    /// regional impacts price a measure where it applies); absent: the region's share of persons
    /// aged 20-69 ([`working_age_share`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub economy_share: Option<f64>,
}

/// How contacts between regions are distributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kernel {
    /// `F_rq = N_r N_q exp(-d_rq / distance_km)` between different regions.
    Gravity,
    /// Contacts with every region in proportion to its population (full mixing).
    Homogeneous,
}

/// Mixing between regions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mixing {
    pub kernel: Kernel,
    /// Distance scale of the gravity kernel (km).
    pub distance_km: f64,
    /// Population-weighted mean share of contacts per setting with people from other regions
    /// (for the homogeneous kernel: the share of contacts that is fully mixed).
    pub outside: SettingFactors,
}

/// The regions of a country (a calibration field; absent = the national model).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regions {
    pub regions: Vec<Region>,
    pub mixing: Mixing,
    /// Whether patients are spread nationally when a region's ICU is full (LCPS).
    #[serde(default = "yes")]
    pub patient_spreading: bool,
    /// Initial prevalence of each region relative to the scenario's (dimensionless; `null`: 1).
    #[serde(default)]
    pub seed: Option<Vec<f64>>,
    /// Provenance of every figure, keyed by field path below `regions`.
    #[serde(default)]
    pub sources: Sources,
}

fn yes() -> bool {
    true
}

const NETHERLANDS: &str = include_str!("../../data/netherlands/regions.json");

impl Regions {
    /// The 25 Dutch safety regions of `data/netherlands/regions.json`.
    pub fn netherlands() -> Regions {
        from_json("calibration.regions", NETHERLANDS).expect("embedded regions parse")
    }

    /// One region holding the whole population (the national model run through the regional code).
    pub fn single(cal: &Calibration) -> Regions {
        Regions {
            regions: vec![Region {
                code: "NL".into(),
                name: cal.name.clone(),
                population: cal.population.iter().sum(),
                population_by_age: None,
                centre: [52.1, 5.3],
                capacity_share: None,
                economy_share: None,
            }],
            mixing: Mixing {
                kernel: Kernel::Homogeneous,
                distance_km: 30.0,
                outside: SettingFactors::default(),
            },
            patient_spreading: true,
            seed: None,
            sources: Sources::new(),
        }
    }

    pub fn names(&self) -> Vec<String> {
        self.regions.iter().map(|r| r.name.clone()).collect()
    }

    /// Position of a region by code or name.
    pub fn index(&self, key: &str) -> Option<usize> {
        self.regions
            .iter()
            .position(|r| r.code == key || r.name == key)
    }

    /// Checks the regions against the calibration's age bands and population.
    pub fn check(&self, field: impl Display + Copy, population: &[f64], c: &mut Checker) {
        let n = self.regions.len();
        if n == 0 {
            c.fail(
                format_args!("{field}.regions"),
                "must have at least one region",
                "[]".into(),
            );
            return;
        }
        c.unique(
            format_args!("{field}.regions"),
            ".code",
            self.regions.iter().map(|r| r.code.as_str()),
        );
        c.unique(
            format_args!("{field}.regions"),
            ".name",
            self.regions.iter().map(|r| r.name.as_str()),
        );
        let mut shares = 0.0;
        let given = self
            .regions
            .iter()
            .filter(|r| r.capacity_share.is_some())
            .count();
        for (i, r) in self.regions.iter().enumerate() {
            let f = format_args!("{field}.regions[{i}]");
            c.positive(format_args!("{f}.population"), r.population);
            if let Some(by_age) = &r.population_by_age {
                if c.length(
                    format_args!("{f}.population_by_age"),
                    by_age.len(),
                    population.len(),
                    "age band",
                ) {
                    c.each(
                        format_args!("{f}.population_by_age"),
                        by_age,
                        Checker::positive,
                    );
                }
            }
            c.within(format_args!("{f}.centre[0]"), r.centre[0], -90.0, 90.0);
            c.within(format_args!("{f}.centre[1]"), r.centre[1], -180.0, 180.0);
            if let Some(s) = r.capacity_share {
                c.share(format_args!("{f}.capacity_share"), s);
                shares += s;
            }
        }
        if given > 0 && (given < n || (shares - 1.0).abs() > 1e-6) {
            c.fail(
                format_args!("{field}.regions[].capacity_share"),
                "must be given for every region or none, and add up to 1",
                format!("{given} of {n} given, sum {shares}"),
            );
        }
        let economy: Vec<f64> = self
            .regions
            .iter()
            .filter_map(|r| r.economy_share)
            .collect();
        for (i, r) in self.regions.iter().enumerate() {
            if let Some(s) = r.economy_share {
                c.share(format_args!("{field}.regions[{i}].economy_share"), s);
            }
        }
        let sum: f64 = economy.iter().sum();
        if !economy.is_empty() && (economy.len() < n || (sum - 1.0).abs() > 1e-6) {
            c.fail(
                format_args!("{field}.regions[].economy_share"),
                "must be given for every region or none, and add up to 1",
                format!("{} of {n} given, sum {sum}", economy.len()),
            );
        }
        if self.regions.iter().all(|r| r.population_by_age.is_some()) {
            for (a, &national) in population.iter().enumerate() {
                let sum: f64 = self
                    .regions
                    .iter()
                    .filter_map(|r| r.population_by_age.as_ref()?.get(a))
                    .sum();
                if (sum - national).abs() > 1e-6 * national {
                    c.fail(
                        format_args!("{field}.regions[].population_by_age[{a}]"),
                        format!(
                            "must add up to the calibration's population of the band ({national})"
                        ),
                        format!("{sum}"),
                    );
                }
            }
        } else {
            let total: f64 = self.regions.iter().map(|r| r.population).sum();
            let national: f64 = population.iter().sum();
            if (total - national).abs() > 1e-6 * national {
                c.fail(
                    format_args!("{field}.regions[].population"),
                    format!("must add up to the calibration's population ({national})"),
                    format!("{total}"),
                );
            }
        }
        c.positive(
            format_args!("{field}.mixing.distance_km"),
            self.mixing.distance_km,
        );
        self.mixing
            .outside
            .check_shares(format_args!("{field}.mixing.outside"), c);
        if let Some(seed) = &self.seed {
            if c.length(format_args!("{field}.seed"), seed.len(), n, "region") {
                c.each(format_args!("{field}.seed"), seed, Checker::non_negative);
            }
        }
        if let Some(rho) = self.connectivity().iter().copied().reduce(f64::max) {
            let o = self
                .mixing
                .outside
                .to_array()
                .into_iter()
                .fold(0.0, f64::max);
            if o * rho > 1.0 {
                c.fail(
                    format_args!("{field}.mixing.outside"),
                    format!(
                        "gives the best-connected region more than all its contacts outside (largest share {o} x relative connectivity {rho:.3})"
                    ),
                    format!("{o}"),
                );
            }
        }
    }

    fn populations(&self) -> Vec<f64> {
        self.regions.iter().map(|r| r.population).collect()
    }

    /// The kernel `K` (flat `n x n`, see the module documentation).
    pub fn kernel(&self) -> Vec<f64> {
        let pop = self.populations();
        let n = pop.len();
        let total: f64 = pop.iter().sum();
        let mut k = vec![0.0; n * n];
        match self.mixing.kernel {
            Kernel::Homogeneous => {
                for r in 0..n {
                    for q in 0..n {
                        k[r * n + q] = pop[q] / total;
                    }
                }
            }
            Kernel::Gravity => {
                let mut flow_total = 0.0;
                for r in 0..n {
                    for q in 0..n {
                        if q != r {
                            let d = distance_km(self.regions[r].centre, self.regions[q].centre);
                            let f = pop[r] * pop[q] * (-d / self.mixing.distance_km).exp();
                            k[r * n + q] = f;
                            flow_total += f;
                        }
                    }
                }
                // K_rq = F_rq / (N_r c) with the population-weighted mean of rho_r equal to 1:
                // sum_r N_r rho_r / N = sum F / (c N) = 1.
                let c = flow_total / total;
                for r in 0..n {
                    for q in 0..n {
                        k[r * n + q] /= pop[r] * c.max(f64::MIN_POSITIVE);
                    }
                }
            }
        }
        k
    }

    /// `rho_r`: each region's share of contacts outside relative to the mean (1 on average).
    pub fn connectivity(&self) -> Vec<f64> {
        let k = self.kernel();
        let n = self.regions.len();
        (0..n)
            .map(|r| match self.mixing.kernel {
                Kernel::Homogeneous => 1.0,
                Kernel::Gravity => k[r * n..(r + 1) * n].iter().sum(),
            })
            .collect()
    }

    /// The mixing matrix of one setting, `W^s` (flat `n x n`, row-stochastic); `None` when the
    /// setting has no contacts outside the region.
    pub fn mixing_matrix(&self, setting: Setting) -> Option<Vec<f64>> {
        let o = self.mixing.outside.to_array()[setting as usize];
        if o == 0.0 || self.regions.len() == 1 {
            return None;
        }
        let n = self.regions.len();
        let mut w = self.kernel();
        for r in 0..n {
            let row = &mut w[r * n..(r + 1) * n];
            let out: f64 = match self.mixing.kernel {
                Kernel::Homogeneous => 1.0,
                Kernel::Gravity => row.iter().sum(),
            };
            row.iter_mut().for_each(|x| *x *= o);
            row[r] += 1.0 - o * out;
        }
        Some(w)
    }
}

/// Great-circle distance (km) between two (latitude, longitude) points in degrees.
pub fn distance_km(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (la1, lo1) = (a[0].to_radians(), a[1].to_radians());
    let (la2, lo2) = (b[0].to_radians(), b[1].to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_regions_add_up_and_mix_reciprocally() {
        let regions = Regions::netherlands();
        assert_eq!(regions.regions.len(), 25);
        let cal = Calibration::netherlands();
        let mut c = Checker::new();
        regions.check("calibration.regions", &cal.population, &mut c);
        c.finish().unwrap();
        let pop = regions.populations();
        let n = pop.len();
        for s in [Setting::Work, Setting::Community] {
            let w = regions.mixing_matrix(s).unwrap();
            for r in 0..n {
                let row: f64 = w[r * n..(r + 1) * n].iter().sum();
                assert!((row - 1.0).abs() < 1e-12);
                assert!(w[r * n + r] > 0.5, "most contacts stay in the region");
                for q in 0..n {
                    let (a, b) = (pop[r] * w[r * n + q], pop[q] * w[q * n + r]);
                    assert!((a - b).abs() <= 1e-9 * a.max(1.0));
                }
            }
            let mean_out: f64 = (0..n).map(|r| pop[r] * (1.0 - w[r * n + r])).sum::<f64>()
                / pop.iter().sum::<f64>();
            let o = regions.mixing.outside.to_array()[s as usize];
            assert!((mean_out - o).abs() < 1e-12, "{mean_out} vs {o}");
        }
        assert!(regions.mixing_matrix(Setting::Home).is_none());
        // Amsterdam to Rotterdam is about 57 km.
        let d = distance_km(regions.regions[12].centre, regions.regions[16].centre);
        assert!((50.0..65.0).contains(&d), "{d}");
    }
}
