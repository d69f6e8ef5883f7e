//! The flows between compartments within each group: the part of the right-hand side that, given
//! the force of infection `lambda_g`, is local to a group (equations in [`crate::model`]).
//!
//! (A four-groups-at-a-time AVX2 version, transposing states in registers, was tried in November
//! 2026: it ran as many instructions per group as this plain loop and no faster, so it was dropped.)

use crate::compartments::{self as c, SLOTS};
use crate::model::GroupRates;

/// The rates every group shares (1/day, or shares).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rates {
    /// Relative infection hazard of each immune class (S, V, R, W).
    pub hazard: [f64; 4],
    pub latent: f64,
    pub recovery: f64,
    /// Ward discharge rate of the day (preparedness levers can shorten stays).
    pub ward: f64,
    pub icu: f64,
    pub waning_vaccine: f64,
    pub waning_infection: f64,
    /// Share of the recovered that is protected against reinfection.
    pub protected: f64,
    /// P(death | ICU) above capacity, when overflow mortality is modelled.
    pub q_overflow: Option<f64>,
}

/// The flows of one group into `d`, with force of infection `lambda` (1/day) and ICU overflow
/// share `overflow` (0-1) of its region.
#[inline(always)]
fn group(
    rates: &Rates,
    r: &GroupRates,
    s: &[f64; SLOTS],
    d: &mut [f64; SLOTS],
    lambda: f64,
    overflow: f64,
) {
    let (sigma, gamma) = (rates.latent, rates.recovery);
    let mut infections = 0.0;
    let mut severe = 0.0;
    for (k, &class) in c::CLASSES.iter().enumerate() {
        let flow = lambda * rates.hazard[k] * s[class];
        d[class] = -flow;
        infections += flow;
        severe += flow * r.p_severe[k];
    }
    let asym = infections * r.p_asym;
    let to_infectious = [
        sigma * s[c::E_ASYM],
        sigma * s[c::E_MILD],
        sigma * s[c::E_SEV],
    ];
    let recoveries = gamma * (s[c::I_ASYM] + s[c::I_MILD]);
    let admissions = gamma * s[c::I_SEV];
    let to_icu = admissions * r.p_icu;
    let ward_out = rates.ward * s[c::H];
    let icu_out = rates.icu * s[c::C];
    let icu_death_p = match rates.q_overflow {
        Some(q) => r.q_icu * (1.0 - overflow) + q * overflow,
        None => r.q_icu,
    };
    let deaths = ward_out * r.q_ward + icu_out * icu_death_p;
    let waning_v = rates.waning_vaccine * s[c::V];
    let waning_r = rates.waning_infection * s[c::R];

    d[c::V] -= waning_v;
    let recovered = recoveries + ward_out + icu_out - deaths;
    d[c::R] += rates.protected * recovered - waning_r;
    d[c::W] += (1.0 - rates.protected) * recovered + waning_v + waning_r;
    d[c::E_ASYM] = asym - to_infectious[0];
    d[c::E_MILD] = infections - asym - severe - to_infectious[1];
    d[c::E_SEV] = severe - to_infectious[2];
    d[c::I_ASYM] = to_infectious[0] - gamma * s[c::I_ASYM];
    d[c::I_MILD] = to_infectious[1] - gamma * s[c::I_MILD];
    d[c::I_SEV] = to_infectious[2] - admissions;
    d[c::H] = admissions - to_icu - ward_out;
    d[c::C] = to_icu - icu_out;
    d[c::D] = deaths;
    d[c::CUM_INFECTIONS] = infections;
    d[c::CUM_ADMISSIONS] = admissions;
    d[c::CUM_ICU_ADMISSIONS] = to_icu;
}

/// The flows of every group of a state (`regions x ages` groups, region-major): `per_age` holds
/// the probabilities of each age band, `lambda` one force of infection per group and `overflow`
/// one ICU overflow share per region.
#[inline(always)]
pub(crate) fn all(
    rates: &Rates,
    per_age: &[GroupRates],
    states: &[[f64; SLOTS]],
    changes: &mut [[f64; SLOTS]],
    lambda: &[f64],
    overflow: &[f64],
) {
    let n = per_age.len();
    let regions = states
        .chunks_exact(n)
        .zip(changes.chunks_exact_mut(n))
        .zip(lambda.chunks_exact(n))
        .zip(overflow);
    for (((states, changes), lambda), &overflow) in regions {
        for (((s, d), r), &lambda) in states.iter().zip(changes).zip(per_age).zip(lambda) {
            group(rates, r, s, d, lambda, overflow);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every flow leaves one compartment and enters another (or D): the persons of a group
        /// do not change, and nothing flows out of an empty compartment.
        #[test]
        fn flows_conserve_people(
            state in prop::array::uniform16(0.0f64..1e6),
            lambda in 0.0f64..3.0,
            overflow in 0.0f64..1.0,
            p in prop::array::uniform8(0.0f64..1.0),
            with_overflow in any::<bool>(),
        ) {
            let rates = Rates {
                hazard: [1.0, 0.3, 0.0, 0.8],
                latent: 0.3,
                recovery: 0.2,
                ward: 0.13,
                icu: 0.07,
                waning_vaccine: 0.004,
                waning_infection: 0.002,
                protected: 0.85,
                q_overflow: with_overflow.then_some(0.9),
            };
            let r = GroupRates {
                p_asym: p[0],
                p_severe: [p[1] * (1.0 - p[0]), p[2] * (1.0 - p[0]), 0.0, p[3] * (1.0 - p[0])],
                p_icu: p[4],
                q_ward: p[5],
                q_icu: p[6],
            };
            let mut d = [f64::NAN; SLOTS];
            all(&rates, &[r], &[state], std::slice::from_mut(&mut d), &[lambda], &[overflow]);
            let people: f64 = d[..c::PEOPLE].iter().sum();
            let scale: f64 = state[..c::PEOPLE].iter().sum::<f64>() * (1.0 + lambda);
            prop_assert!(people.abs() <= 1e-12 * scale.max(1.0), "net flow {people}");
            for (slot, (&x, &dx)) in state.iter().zip(&d).enumerate().take(c::PEOPLE) {
                prop_assert!(x > 0.0 || dx >= 0.0, "slot {slot} empty but flows {dx}");
            }
        }
    }
}
