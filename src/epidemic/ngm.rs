//! Next-generation matrix (Diekmann, Heesterbeek & Roberts, J R Soc Interface 2010;7:873).
//!
//! `K(r)_ab` is the expected number of infections in group `a` caused by one person just infected in
//! group `b`, when infectiousness at time `t` after infection is discounted by `exp(-r t)`:
//!
//! ```text
//! K(r)_ab = beta sigma_a M_ab (N_a / N_b) * (rho p_asym,b + 1 - p_asym,b) * nu / ((nu + r)(gamma + r))
//! ```
//!
//! with `nu = 1/latent_days`, `gamma = 1/infectious_days`. `R0 = rho(K(0))`, and the initial
//! growth rate is the `r` for which `rho(K(r)) = 1` (the Euler-Lotka equation of the multi-group
//! model).

use std::cell::RefCell;

use crate::epidemic::model::Model;

/// `K(r)` for transmission probability 1 per contact (multiply by `beta0` for the model's).
pub fn next_generation(model: &Model, r: f64) -> Vec<f64> {
    let n = model.ages;
    let (nu, gamma) = (model.flows.latent, model.flows.recovery);
    let discount = nu / ((nu + r) * (gamma + r));
    let mut k = vec![0.0; n * n];
    for a in 0..n {
        for b in 0..n {
            let contacts: f64 = model.contacts.iter().map(|m| m[a * n + b]).sum();
            let p_asym = model.per_group[b].p_asym;
            let infectiousness = model.rho * p_asym + 1.0 - p_asym;
            k[a * n + b] = model.susceptibility[a]
                * contacts
                * (model.population[a] / model.population[b])
                * infectiousness
                * discount;
        }
    }
    k
}

/// [`spectral_radius`] of `k`, remembered for the last matrix this thread asked for. The draws of a
/// sweep rarely change the next-generation matrix (R0, severity, waning and the impact data do
/// not enter it), and its power iteration was a third of preparing a drawn model
/// ([`Model::new`]). The matrix is compared bit for bit, so the radius is the one computed.
pub fn spectral_radius_remembered(k: &[f64], n: usize) -> f64 {
    thread_local! {
        static LAST: RefCell<(Vec<f64>, f64)> = const { RefCell::new((Vec::new(), 0.0)) };
    }
    LAST.with_borrow_mut(|(matrix, radius)| {
        let same = matrix.len() == k.len()
            && matrix
                .iter()
                .zip(k)
                .all(|(a, b)| a.to_bits() == b.to_bits());
        if !same {
            *radius = spectral_radius(k, n);
            matrix.clear();
            matrix.extend_from_slice(k);
        }
        *radius
    })
}

/// Spectral radius of a non-negative `n x n` matrix by power iteration on `K + I` (the shift makes
/// the iteration converge for periodic matrices too; the Perron root moves by exactly one).
pub fn spectral_radius(k: &[f64], n: usize) -> f64 {
    let mut x = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    let mut estimate = 0.0;
    for _ in 0..100_000 {
        for a in 0..n {
            next[a] = x[a] + (0..n).map(|b| k[a * n + b] * x[b]).sum::<f64>();
        }
        let norm: f64 = next.iter().sum();
        if norm <= 0.0 || !norm.is_finite() {
            return 0.0;
        }
        for a in 0..n {
            x[a] = next[a] / norm;
        }
        let previous = estimate;
        estimate = norm - 1.0;
        if (estimate - previous).abs() <= 1e-15 * estimate.abs().max(1e-300) {
            break;
        }
    }
    estimate
}

/// The real root `r` of `beta0 * rho(K(r)) = 1`, by bisection.
pub fn growth_rate(model: &Model) -> f64 {
    let n = model.ages;
    let excess = |r: f64| model.beta0 * spectral_radius(&next_generation(model, r), n) - 1.0;
    let floor = -model.flows.latent.min(model.flows.recovery);
    let (mut lo, mut hi) = (floor * (1.0 - 1e-12), 1.0);
    while excess(hi) > 0.0 {
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if excess(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-14 {
            break;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_remembered_radius_is_the_radius() {
        let a = [0.5, 1.25, 0.75, 2.0];
        let b = [0.5, 1.25, 0.75, 2.0000000000000004];
        for k in [&a, &a, &b, &a, &b, &b] {
            assert_eq!(
                spectral_radius_remembered(k, 2).to_bits(),
                spectral_radius(k, 2).to_bits()
            );
        }
        let c = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0];
        assert_eq!(spectral_radius_remembered(&c, 3), spectral_radius(&c, 3));
    }
}
