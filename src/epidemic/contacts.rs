//! Contact operators. A survey or projection gives contacts per person by age band; for a model
//! population they must be reciprocal (`M_ab N_a = M_ba N_b`: the contacts of all a-people with
//! b-people equal those of all b-people with a-people). We impose that by averaging the two
//! directions, as socialmixr does with `symmetric = TRUE` (Funk et al.).

use crate::inputs::calibration::{Calibration, Setting};

/// Reciprocal contact matrix for one setting, flat row-major `n x n`, contacts per person per day.
pub fn reciprocal(matrix: &[Vec<f64>], population: &[f64]) -> Vec<f64> {
    let n = population.len();
    let mut out = vec![0.0; n * n];
    for a in 0..n {
        for b in 0..n {
            let total = matrix[a][b] * population[a] + matrix[b][a] * population[b];
            out[a * n + b] = 0.5 * total / population[a];
        }
    }
    out
}

/// Reciprocal matrices of all settings, in [`Setting::ALL`] order.
pub fn settings(cal: &Calibration) -> [Vec<f64>; 4] {
    Setting::ALL.map(|s| reciprocal(cal.contacts.get(s), &cal.population))
}

/// Population-average contacts per person per day of a flat matrix.
pub fn mean_contacts(matrix: &[f64], population: &[f64]) -> f64 {
    let n = population.len();
    let total: f64 = population.iter().sum();
    (0..n)
        .map(|a| population[a] * matrix[a * n..(a + 1) * n].iter().sum::<f64>())
        .sum::<f64>()
        / total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reciprocity_holds_and_totals_are_kept() {
        let cal = Calibration::netherlands();
        let n = cal.n_ages();
        for (setting, m) in Setting::ALL.iter().zip(settings(&cal)) {
            for a in 0..n {
                for b in 0..n {
                    let lhs = m[a * n + b] * cal.population[a];
                    let rhs = m[b * n + a] * cal.population[b];
                    assert!(
                        (lhs - rhs).abs() <= 1e-9 * lhs.max(1.0),
                        "{setting:?} {a} {b}"
                    );
                }
            }
            let raw: Vec<f64> = cal.contacts.get(*setting).concat();
            let before = mean_contacts(&raw, &cal.population);
            let after = mean_contacts(&m, &cal.population);
            assert!(
                (before - after).abs() < 1e-9,
                "{setting:?}: {before} vs {after}"
            );
        }
    }

    #[test]
    fn dutch_averages_match_prem_2021() {
        // Prem et al. 2021 population averages for the Netherlands (REFERENCES.md): 3.62, 2.15,
        // 3.31, 5.93; our aggregation with CBS weights gives 3.64, 2.18, 3.37, 5.95.
        let cal = Calibration::netherlands();
        let expected = [3.62, 2.15, 3.31, 5.93];
        for (m, e) in settings(&cal).iter().zip(expected) {
            let got = mean_contacts(m, &cal.population);
            assert!((got - e).abs() / e < 0.02, "{got} vs {e}");
        }
    }
}
