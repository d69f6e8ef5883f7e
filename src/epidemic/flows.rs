//! The flows between compartments within each group: the part of the right-hand side that, given
//! the force of infection `lambda_g`, is local to a group (equations in [`crate::epidemic::model`]).
//!
//! They run on the solver's state, a block of [`LANES`] groups at a time ([`crate::epidemic::layout`]):
//! [`Lanes`] holds one number of each group of a block, and every operation on it is the operation
//! of the one-group formula on each, so the result is what the groups would give one by one, only
//! computed in one AVX2 instruction where the processor has it (the caller compiles for it,
//! [`crate::epidemic::model`]). (Two versions were tried first: transposing four groups of the group-major
//! state in registers, and one vector per compartment; the transposes, and the bounds checks and
//! address arithmetic of 43 separate vectors, cost what the lanes saved.)

use std::ops::{Add, Mul, Neg, Sub};

use crate::epidemic::compartments::{self as c, SLOTS};
use crate::epidemic::layout::{Layout, BLOCK, LANES};
use crate::epidemic::model::GroupRates;

/// The rates every group shares (1/day, or shares).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rates {
    /// Relative infection hazard of each immune class (S, V, R, W).
    pub hazard: [f64; 4],
    pub latent: f64,
    pub recovery: f64,
    /// Rate of each of the two stages ill at home before admission.
    pub at_home: f64,
    /// Ward discharge rate of the day (preparedness levers can shorten stays).
    pub ward: f64,
    /// ICU discharge rate of the day (dated runs: the stay in force on the date).
    pub icu: f64,
    /// Discharge rate from the ward after ICU.
    pub ward_after_icu: f64,
    /// Death rate of those dying outside hospital.
    pub dying: f64,
    /// Factor of the day on P(ICU | admission) (dated runs; 1 otherwise).
    pub icu_share: f64,
    /// Factor of the day on P(death) on the ward and in ICU (dated runs; 1 otherwise).
    pub death_factor: f64,
    pub waning_vaccine: f64,
    pub waning_infection: f64,
    /// Share of the recovered that is protected against reinfection.
    pub protected: f64,
    /// P(death | ICU) above capacity, when overflow mortality is modelled.
    pub q_overflow: Option<f64>,
}

/// One number of each of [`LANES`] neighbouring groups; arithmetic acts lane by lane.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Lanes([f64; LANES]);

impl Lanes {
    #[inline(always)]
    fn splat(v: f64) -> Self {
        Lanes([v; LANES])
    }

    /// Compartment `slot` of a block's groups.
    #[inline(always)]
    fn load(block: &[f64; BLOCK], slot: usize) -> Self {
        let mut lanes = [0.0; LANES];
        lanes.copy_from_slice(&block[slot * LANES..(slot + 1) * LANES]);
        Lanes(lanes)
    }

    /// `f` lane by lane (a plain loop: `std::array::from_fn` is not always inlined).
    #[inline(always)]
    fn zip(self, other: Self, f: impl Fn(f64, f64) -> f64) -> Self {
        let mut out = self.0;
        for (o, b) in out.iter_mut().zip(other.0) {
            *o = f(*o, b);
        }
        Lanes(out)
    }
}

impl Add for Lanes {
    type Output = Lanes;
    #[inline(always)]
    fn add(self, other: Lanes) -> Lanes {
        self.zip(other, |a, b| a + b)
    }
}

impl Sub for Lanes {
    type Output = Lanes;
    #[inline(always)]
    fn sub(self, other: Lanes) -> Lanes {
        self.zip(other, |a, b| a - b)
    }
}

impl Mul for Lanes {
    type Output = Lanes;
    #[inline(always)]
    fn mul(self, other: Lanes) -> Lanes {
        self.zip(other, |a, b| a * b)
    }
}

impl Mul<f64> for Lanes {
    type Output = Lanes;
    #[inline(always)]
    fn mul(self, v: f64) -> Lanes {
        self * Lanes::splat(v)
    }
}

impl Neg for Lanes {
    type Output = Lanes;
    #[inline(always)]
    fn neg(self) -> Lanes {
        self.zip(self, |a, _| -a)
    }
}

/// The probabilities ([`GroupRates`]) of the groups of each block of the solver's state (the
/// padding: zeros, so empty groups have no flows).
#[derive(Debug, Clone)]
pub(crate) struct Groups(Vec<GroupRates<Lanes>>);

impl Groups {
    /// The probabilities of the age bands (`per_age`) at every position of `layout`.
    pub fn new(per_age: &[GroupRates], layout: &Layout) -> Self {
        let zero = GroupRates {
            p_asym: Lanes::splat(0.0),
            p_severe: [Lanes::splat(0.0); 4],
            p_outside: Lanes::splat(0.0),
            p_icu: Lanes::splat(0.0),
            q_ward: Lanes::splat(0.0),
            q_icu: Lanes::splat(0.0),
        };
        let mut blocks = vec![zero; layout.padded / LANES];
        for position in 0..layout.ages * layout.regions {
            let r = &per_age[position / layout.regions];
            let (b, lane) = (&mut blocks[position / LANES], position % LANES);
            b.p_asym.0[lane] = r.p_asym;
            for (p, &v) in b.p_severe.iter_mut().zip(&r.p_severe) {
                p.0[lane] = v;
            }
            b.p_outside.0[lane] = r.p_outside;
            b.p_icu.0[lane] = r.p_icu;
            b.q_ward.0[lane] = r.q_ward;
            b.q_icu.0[lane] = r.q_icu;
        }
        Groups(blocks)
    }
}

/// The flows of [`LANES`] groups (compartments `s`) with force of infection `lambda` (1/day) and
/// ICU overflow share `overflow` (0-1) of their regions; `r` holds their probabilities.
#[inline(always)]
fn group(
    rates: &Rates,
    r: &GroupRates<Lanes>,
    s: &[Lanes; SLOTS],
    lambda: Lanes,
    overflow: Lanes,
) -> [Lanes; SLOTS] {
    let (sigma, gamma) = (rates.latent, rates.recovery);
    let mut d = [Lanes::splat(0.0); SLOTS];
    let mut infections = Lanes::splat(0.0);
    let mut severe = Lanes::splat(0.0);
    for (k, &class) in c::CLASSES.iter().enumerate() {
        let flow = lambda * rates.hazard[k] * s[class];
        d[class] = -flow;
        infections = infections + flow;
        severe = severe + flow * r.p_severe[k];
    }
    let asym = infections * r.p_asym;
    let to_infectious = [
        s[c::E_ASYM] * sigma,
        s[c::E_MILD] * sigma,
        s[c::E_SEV] * sigma,
    ];
    let recoveries = (s[c::I_ASYM] + s[c::I_MILD]) * gamma;
    let to_home = s[c::I_SEV] * gamma;
    let home_stage = s[c::P1] * rates.at_home;
    let severe_out = s[c::P2] * rates.at_home;
    let not_admitted = severe_out * r.p_outside;
    let admissions = severe_out - not_admitted;
    let to_icu = admissions * r.p_icu * rates.icu_share;
    let ward_out = s[c::H] * rates.ward;
    let icu_out = s[c::C] * rates.icu;
    let post_out = s[c::H_POST] * rates.ward_after_icu;
    let dying_out = s[c::X] * rates.dying;
    let q_icu = r.q_icu * rates.death_factor;
    let icu_death_p = match rates.q_overflow {
        Some(q) => q_icu * (Lanes::splat(1.0) - overflow) + overflow * q,
        None => q_icu,
    };
    let ward_deaths = ward_out * r.q_ward * rates.death_factor;
    let icu_deaths = icu_out * icu_death_p;
    let waning_v = s[c::V] * rates.waning_vaccine;
    let waning_r = s[c::R] * rates.waning_infection;

    d[c::V] = d[c::V] - waning_v;
    let recovered = recoveries + ward_out - ward_deaths + post_out;
    d[c::R] = d[c::R] + (recovered * rates.protected - waning_r);
    d[c::W] = d[c::W] + (recovered * (1.0 - rates.protected) + waning_v + waning_r);
    d[c::E_ASYM] = asym - to_infectious[0];
    d[c::E_MILD] = infections - asym - severe - to_infectious[1];
    d[c::E_SEV] = severe - to_infectious[2];
    d[c::I_ASYM] = to_infectious[0] - s[c::I_ASYM] * gamma;
    d[c::I_MILD] = to_infectious[1] - s[c::I_MILD] * gamma;
    d[c::I_SEV] = to_infectious[2] - to_home;
    d[c::P1] = to_home - home_stage;
    d[c::P2] = home_stage - severe_out;
    d[c::H] = admissions - to_icu - ward_out;
    d[c::C] = to_icu - icu_out;
    d[c::H_POST] = icu_out - icu_deaths - post_out;
    d[c::X] = not_admitted - dying_out;
    d[c::D] = ward_deaths + icu_deaths + dying_out;
    d[c::CUM_INFECTIONS] = infections;
    d[c::CUM_ADMISSIONS] = admissions;
    d[c::CUM_ICU_ADMISSIONS] = to_icu;
    d[c::CUM_DEATHS_OUTSIDE_HOSPITAL] = dying_out;
    d
}

/// The flows of every group of a state `z` in the solver's layout into `dz`, with one force of
/// infection `lambda` and one ICU overflow share `overflow` per group (by position).
#[inline(always)]
pub(crate) fn all(
    rates: &Rates,
    groups: &Groups,
    z: &[f64],
    dz: &mut [f64],
    lambda: &[f64],
    overflow: &[f64],
) {
    let blocks = z.as_chunks::<BLOCK>().0.iter();
    let changes = dz.as_chunks_mut::<BLOCK>().0.iter_mut();
    let per_group = lambda
        .as_chunks::<LANES>()
        .0
        .iter()
        .zip(overflow.as_chunks::<LANES>().0);
    for (((block, change), r), (&lambda, &overflow)) in
        blocks.zip(changes).zip(&groups.0).zip(per_group)
    {
        let mut s = [Lanes::splat(0.0); SLOTS];
        for (slot, s) in s.iter_mut().enumerate() {
            *s = Lanes::load(block, slot);
        }
        let d = group(rates, r, &s, Lanes(lambda), Lanes(overflow));
        for (change, d) in change.as_chunks_mut::<LANES>().0.iter_mut().zip(d) {
            *change = d.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every flow leaves one compartment and enters another (or D): the persons of a group
        /// do not change, and nothing flows out of an empty compartment. Three groups of different
        /// age bands share a block with one empty group, which has no flows; each group's flows
        /// are bit for bit those it has alone in a block.
        #[test]
        fn flows_conserve_people(
            states in prop::array::uniform3(prop::array::uniform21(0.0f64..1e6)),
            lambda in prop::array::uniform3(0.0f64..3.0),
            overflow in prop::array::uniform3(0.0f64..1.0),
            p in prop::array::uniform3(prop::array::uniform8(0.0f64..1.0)),
            with_overflow in any::<bool>(),
        ) {
            let rates = Rates {
                hazard: [1.0, 0.3, 0.0, 0.8],
                latent: 0.3,
                recovery: 0.2,
                at_home: 0.4,
                ward: 0.13,
                icu: 0.07,
                ward_after_icu: 0.09,
                dying: 0.2,
                icu_share: 1.3,
                death_factor: 0.9,
                waning_vaccine: 0.004,
                waning_infection: 0.002,
                protected: 0.85,
                q_overflow: with_overflow.then_some(0.9),
            };
            let per_age = p.map(|p| GroupRates {
                p_asym: p[0],
                p_severe: [p[1] * (1.0 - p[0]), p[2] * (1.0 - p[0]), 0.0, p[3] * (1.0 - p[0])],
                p_outside: p[7],
                p_icu: p[4] / 1.3,
                q_ward: p[5],
                q_icu: p[6],
            });
            let layout = Layout::new(3, 1);
            let mut z = vec![0.0; layout.len()];
            layout.load(states.as_flattened(), &mut z);
            let mut dz = vec![f64::NAN; layout.len()];
            let groups = Groups::new(&per_age, &layout);
            let lanes = |v: [f64; 3]| [v[0], v[1], v[2], 0.0];
            all(&rates, &groups, &z, &mut dz, &lanes(lambda), &lanes(overflow));
            let mut d = [[f64::NAN; SLOTS]; 3];
            layout.store(&dz, d.as_flattened_mut());
            for (i, ((state, d), lambda)) in states.iter().zip(&d).zip(lambda).enumerate() {
                let alone = Layout::new(1, 1);
                let mut z = vec![0.0; alone.len()];
                alone.load(state, &mut z);
                let mut dz = vec![f64::NAN; alone.len()];
                let groups = Groups::new(&per_age[i..=i], &alone);
                let one = |v: f64| [v, 0.0, 0.0, 0.0];
                all(&rates, &groups, &z, &mut dz, &one(lambda), &one(overflow[i]));
                let mut d_alone = [f64::NAN; SLOTS];
                alone.store(&dz, &mut d_alone);
                prop_assert!(d.iter().zip(&d_alone).all(|(a, b)| a.to_bits() == b.to_bits()));

                let people: f64 = d[..c::PEOPLE].iter().sum();
                let scale: f64 = state[..c::PEOPLE].iter().sum::<f64>() * (1.0 + lambda);
                prop_assert!(people.abs() <= 1e-12 * scale.max(1.0), "net flow {people}");
                for (slot, (&x, &dx)) in state.iter().zip(d).enumerate().take(c::PEOPLE) {
                    prop_assert!(x > 0.0 || dx >= 0.0, "slot {slot} empty but flows {dx}");
                }
            }
            prop_assert!((0..SLOTS).all(|k| dz[Layout::index(k, 3)] == 0.0));
        }
    }
}
