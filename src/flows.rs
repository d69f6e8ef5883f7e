//! The flows between compartments within each group: the part of the right-hand side that, given
//! the force of infection `lambda_g`, is local to a group (equations in [`crate::model`]).
//!
//! [`group`] computes one group; [`all`] computes every group of a state, four at a time with AVX2
//! where the processor has it ([`four_avx2`]). The four-wide path takes each group's operations in
//! the same order as [`group`] and uses no fused multiply-add, so it gives the same numbers bit for
//! bit (tested); it exists because a regional model has 225 groups and this is a third of a run.

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

/// Per-group probabilities laid out one vector per field (`[g]` for every group of the state), so
/// that four consecutive groups are one load.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    p_asym: Vec<f64>,
    p_severe: [Vec<f64>; 4],
    p_icu: Vec<f64>,
    q_ward: Vec<f64>,
    q_icu: Vec<f64>,
}

impl Table {
    /// The table of `groups` groups whose rates repeat `per_age` (regions x age bands).
    pub fn new(per_age: &[GroupRates], groups: usize) -> Self {
        let field = |f: fn(&GroupRates) -> f64| -> Vec<f64> {
            per_age.iter().map(f).cycle().take(groups).collect()
        };
        Table {
            p_asym: field(|r| r.p_asym),
            p_severe: std::array::from_fn(|k| {
                per_age
                    .iter()
                    .map(|r| r.p_severe[k])
                    .cycle()
                    .take(groups)
                    .collect()
            }),
            p_icu: field(|r| r.p_icu),
            q_ward: field(|r| r.q_ward),
            q_icu: field(|r| r.q_icu),
        }
    }
}

/// The flows of group `g` into `d`, with force of infection `lambda` (1/day) and ICU overflow
/// share `overflow` (0-1) of its region.
#[inline(always)]
pub(crate) fn group(
    rates: &Rates,
    table: &Table,
    g: usize,
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
        severe += flow * table.p_severe[k][g];
    }
    let asym = infections * table.p_asym[g];
    let to_infectious = [
        sigma * s[c::E_ASYM],
        sigma * s[c::E_MILD],
        sigma * s[c::E_SEV],
    ];
    let recoveries = gamma * (s[c::I_ASYM] + s[c::I_MILD]);
    let admissions = gamma * s[c::I_SEV];
    let to_icu = admissions * table.p_icu[g];
    let ward_out = rates.ward * s[c::H];
    let icu_out = rates.icu * s[c::C];
    let icu_death_p = match rates.q_overflow {
        Some(q) => table.q_icu[g] * (1.0 - overflow) + q * overflow,
        None => table.q_icu[g],
    };
    let deaths = ward_out * table.q_ward[g] + icu_out * icu_death_p;
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

/// The flows of every group: `lambda` and `overflow` hold one value per group. With `avx2` (only
/// when the processor has it) four groups at a time.
pub(crate) fn all(
    rates: &Rates,
    table: &Table,
    states: &[[f64; SLOTS]],
    changes: &mut [[f64; SLOTS]],
    lambda: &[f64],
    overflow: &[f64],
    avx2: bool,
) {
    let mut g = 0;
    #[cfg(target_arch = "x86_64")]
    if avx2 {
        while g + 4 <= states.len() {
            // SAFETY: `avx2` is true only when the processor reports AVX2, and `g + 4` groups
            // exist in `states`, `changes`, `lambda`, `overflow` and the table.
            unsafe { four_avx2(rates, table, g, states, changes, lambda, overflow) };
            g += 4;
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = avx2;
    for g in g..states.len() {
        group(
            rates,
            table,
            g,
            &states[g],
            &mut changes[g],
            lambda[g],
            overflow[g],
        );
    }
}

/// [`group`] for groups `g..g + 4` at once, one group per lane: the four states are transposed
/// into one vector per compartment, the flows computed with the same operations in the same order,
/// and transposed back.
///
/// # Safety
/// The processor must have AVX2, and groups `g..g + 4` must exist in every slice and the table.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn four_avx2(
    rates: &Rates,
    table: &Table,
    g: usize,
    states: &[[f64; SLOTS]],
    changes: &mut [[f64; SLOTS]],
    lambda: &[f64],
    overflow: &[f64],
) {
    use std::arch::x86_64::*;

    /// Rows `r0..r3` as columns: `out[i]` holds element `i` of each row.
    #[inline(always)]
    unsafe fn transpose(r: [__m256d; 4]) -> [__m256d; 4] {
        let t0 = _mm256_unpacklo_pd(r[0], r[1]);
        let t1 = _mm256_unpackhi_pd(r[0], r[1]);
        let t2 = _mm256_unpacklo_pd(r[2], r[3]);
        let t3 = _mm256_unpackhi_pd(r[2], r[3]);
        [
            _mm256_permute2f128_pd(t0, t2, 0x20),
            _mm256_permute2f128_pd(t1, t3, 0x20),
            _mm256_permute2f128_pd(t0, t2, 0x31),
            _mm256_permute2f128_pd(t1, t3, 0x31),
        ]
    }
    let states = &states[g..g + 4];
    let changes = &mut changes[g..g + 4];
    let load = |v: &[f64]| _mm256_loadu_pd(v[g..g + 4].as_ptr());
    let splat = |x: f64| _mm256_set1_pd(x);
    let (mul, add, sub) = (_mm256_mul_pd, _mm256_add_pd, _mm256_sub_pd);
    let neg = |x: __m256d| _mm256_xor_pd(x, _mm256_set1_pd(-0.0));

    // x[slot]: that compartment of the four groups.
    let mut x = [_mm256_setzero_pd(); SLOTS];
    for q in 0..SLOTS / 4 {
        let rows = std::array::from_fn(|j| _mm256_loadu_pd(states[j][4 * q..].as_ptr()));
        x[4 * q..4 * q + 4].copy_from_slice(&transpose(rows));
    }
    let (sigma, gamma) = (splat(rates.latent), splat(rates.recovery));
    let lambda = load(lambda);
    let mut d = [_mm256_setzero_pd(); SLOTS];
    let mut infections = _mm256_setzero_pd();
    let mut severe = _mm256_setzero_pd();
    for (k, &class) in c::CLASSES.iter().enumerate() {
        let flow = mul(mul(lambda, splat(rates.hazard[k])), x[class]);
        d[class] = neg(flow);
        infections = add(infections, flow);
        severe = add(severe, mul(flow, load(&table.p_severe[k])));
    }
    let asym = mul(infections, load(&table.p_asym));
    let to_infectious = [
        mul(sigma, x[c::E_ASYM]),
        mul(sigma, x[c::E_MILD]),
        mul(sigma, x[c::E_SEV]),
    ];
    let recoveries = mul(gamma, add(x[c::I_ASYM], x[c::I_MILD]));
    let admissions = mul(gamma, x[c::I_SEV]);
    let to_icu = mul(admissions, load(&table.p_icu));
    let ward_out = mul(splat(rates.ward), x[c::H]);
    let icu_out = mul(splat(rates.icu), x[c::C]);
    let q_icu = load(&table.q_icu);
    let icu_death_p = match rates.q_overflow {
        Some(q) => {
            let overflow = load(overflow);
            add(
                mul(q_icu, sub(splat(1.0), overflow)),
                mul(splat(q), overflow),
            )
        }
        None => q_icu,
    };
    let deaths = add(
        mul(ward_out, load(&table.q_ward)),
        mul(icu_out, icu_death_p),
    );
    let waning_v = mul(splat(rates.waning_vaccine), x[c::V]);
    let waning_r = mul(splat(rates.waning_infection), x[c::R]);

    d[c::V] = sub(d[c::V], waning_v);
    let recovered = sub(add(add(recoveries, ward_out), icu_out), deaths);
    d[c::R] = add(
        d[c::R],
        sub(mul(splat(rates.protected), recovered), waning_r),
    );
    d[c::W] = add(
        d[c::W],
        add(
            add(mul(splat(1.0 - rates.protected), recovered), waning_v),
            waning_r,
        ),
    );
    d[c::E_ASYM] = sub(asym, to_infectious[0]);
    d[c::E_MILD] = sub(sub(sub(infections, asym), severe), to_infectious[1]);
    d[c::E_SEV] = sub(severe, to_infectious[2]);
    d[c::I_ASYM] = sub(to_infectious[0], mul(gamma, x[c::I_ASYM]));
    d[c::I_MILD] = sub(to_infectious[1], mul(gamma, x[c::I_MILD]));
    d[c::I_SEV] = sub(to_infectious[2], admissions);
    d[c::H] = sub(sub(admissions, to_icu), ward_out);
    d[c::C] = sub(to_icu, icu_out);
    d[c::D] = deaths;
    d[c::CUM_INFECTIONS] = infections;
    d[c::CUM_ADMISSIONS] = admissions;
    d[c::CUM_ICU_ADMISSIONS] = to_icu;

    for q in 0..SLOTS / 4 {
        let rows = transpose(d[4 * q..4 * q + 4].try_into().expect("four vectors"));
        for (row, v) in changes.iter_mut().zip(rows) {
            _mm256_storeu_pd(row[4 * q..].as_mut_ptr(), v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn table(groups: usize, p: &[f64]) -> Table {
        let per_age: Vec<GroupRates> = (0..groups)
            .map(|g| GroupRates {
                p_asym: p[g % p.len()],
                p_severe: std::array::from_fn(|k| p[(g + k + 1) % p.len()] * 0.3),
                p_icu: p[(g + 5) % p.len()],
                q_ward: p[(g + 6) % p.len()] * 0.2,
                q_icu: p[(g + 7) % p.len()] * 0.5,
            })
            .collect();
        Table::new(&per_age, groups)
    }

    proptest! {
        /// The four-wide path gives exactly the numbers of one group at a time.
        #[test]
        fn four_at_a_time_equals_one_at_a_time(
            groups in 1usize..14,
            state in prop::collection::vec(0.0f64..1e6, 14 * SLOTS),
            lambda in prop::collection::vec(0.0f64..3.0, 14),
            overflow in prop::collection::vec(0.0f64..1.0, 14),
            p in prop::collection::vec(0.0f64..1.0, 8),
            with_overflow in any::<bool>(),
            ward in 0.01f64..1.0,
        ) {
            #[cfg(target_arch = "x86_64")]
            prop_assume!(std::arch::is_x86_feature_detected!("avx2"));
            let rates = Rates {
                hazard: [1.0, 0.3, 0.0, 0.8],
                latent: 0.3,
                recovery: 0.2,
                ward,
                icu: 0.07,
                waning_vaccine: 0.004,
                waning_infection: 0.002,
                protected: 0.85,
                q_overflow: with_overflow.then_some(0.9),
            };
            let table = table(groups, &p);
            let (states, _) = state[..groups * SLOTS].as_chunks::<SLOTS>();
            let mut fast = vec![[f64::NAN; SLOTS]; groups];
            let mut plain = vec![[f64::NAN; SLOTS]; groups];
            all(&rates, &table, states, &mut fast, &lambda, &overflow, true);
            all(&rates, &table, states, &mut plain, &lambda, &overflow, false);
            for (f, p) in fast.iter().zip(&plain) {
                for (a, b) in f.iter().zip(p) {
                    prop_assert_eq!(a.to_bits(), b.to_bits());
                }
            }
        }
    }
}
