//! Layout of the state vector. The state is a flat `Vec<f64>` of `groups x SLOTS`; a group is one
//! age band today and one (region, age band) pair once regions arrive, so nothing here assumes a
//! single national population.
//!
//! Infections split at the moment of infection into three pathways (asymptomatic, mild
//! symptomatic, severe = will be admitted), because the chance of severe disease depends on the
//! immune class the person was infected from (naive, vaccinated, recovered, waned).

/// Susceptible, never infected or vaccinated.
pub const S: usize = 0;
/// Protected by vaccination (protection against infection wanes to `W`).
pub const V: usize = 1;
/// Protected by recent infection (wanes to `W`).
pub const R: usize = 2;
/// Waned: fully susceptible to infection, partly protected against severe disease.
pub const W: usize = 3;
/// Latent, on the asymptomatic / mild / severe pathway.
pub const E_ASYM: usize = 4;
pub const E_MILD: usize = 5;
pub const E_SEV: usize = 6;
/// Infectious, on the asymptomatic / mild / severe pathway.
pub const I_ASYM: usize = 7;
pub const I_MILD: usize = 8;
pub const I_SEV: usize = 9;
/// In a clinical (non-ICU) hospital bed.
pub const H: usize = 10;
/// In ICU.
pub const C: usize = 11;
/// Dead.
pub const D: usize = 12;
/// Number of compartments holding people (conserved).
pub const PEOPLE: usize = 13;
/// Running totals (persons), integrated with the state so daily flows are exact.
pub const CUM_INFECTIONS: usize = 13;
pub const CUM_ADMISSIONS: usize = 14;
pub const CUM_ICU_ADMISSIONS: usize = 15;
/// Slots per group.
pub const SLOTS: usize = 16;

/// Names of the people compartments, in slot order.
pub const NAMES: [&str; PEOPLE] = [
    "susceptible",
    "vaccinated",
    "recovered",
    "waned",
    "exposed_asymptomatic",
    "exposed_mild",
    "exposed_severe",
    "infectious_asymptomatic",
    "infectious_mild",
    "infectious_severe",
    "hospital",
    "icu",
    "dead",
];

/// The immune classes infection can start from, in the order of their slots.
pub const CLASSES: [usize; 4] = [S, V, R, W];

/// Position of `slot` of `group` in a state (group-major).
#[inline]
pub fn index(slot: usize, group: usize) -> usize {
    group * SLOTS + slot
}
