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
/// Severe pathway after the infectious stage: ill at home until admission, in two stages of equal
/// mean so that the delay from infection to admission has the hump of the registry's (an Erlang
/// chain: latent, infectious, and these two stages).
pub const P1: usize = 10;
pub const P2: usize = 11;
/// In a clinical (non-ICU) hospital bed, admitted to the ward.
pub const H: usize = 12;
/// In ICU.
pub const C: usize = 13;
/// Back on a clinical ward after ICU.
pub const H_POST: usize = 14;
/// Dying outside hospital (mostly nursing-home residents): the severe pathway of those not admitted.
pub const X: usize = 15;
/// Dead.
pub const D: usize = 16;
/// Number of compartments holding people (conserved).
pub const PEOPLE: usize = 17;
/// Running totals (persons), integrated with the state so daily flows are exact.
pub const CUM_INFECTIONS: usize = 17;
pub const CUM_ADMISSIONS: usize = 18;
pub const CUM_ICU_ADMISSIONS: usize = 19;
pub const CUM_DEATHS_OUTSIDE_HOSPITAL: usize = 20;
/// Slots per group.
pub const SLOTS: usize = 21;

/// The compartments of patients in clinical (non-ICU) beds: before and after ICU.
pub const WARD: [usize; 2] = [H, H_POST];
/// The ICU compartment, as a set of slots (the stocks are read by set).
pub const ICU: [usize; 1] = [C];

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
    "awaiting_admission_1",
    "awaiting_admission_2",
    "hospital",
    "icu",
    "hospital_after_icu",
    "dying_outside_hospital",
    "dead",
];

/// The immune classes infection can start from, in the order of their slots.
pub const CLASSES: [usize; 4] = [S, V, R, W];

/// Position of `slot` of `group` in a state (group-major).
#[inline]
pub fn index(slot: usize, group: usize) -> usize {
    group * SLOTS + slot
}
