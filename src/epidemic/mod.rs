//! The epidemic: compartments and their layout, the flows within groups, contact operators, the
//! next-generation matrix, the solver, the signals read from the state, and the trajectory of
//! daily states. It knows nothing of measures: a day's [`model::DayEffects`] is its only input.

pub mod compartments;
pub mod contacts;
pub(crate) mod flows;
mod force;
pub mod geography;
mod imports;
pub(crate) mod layout;
pub mod model;
pub mod ngm;
pub mod signals;
pub mod solver;
pub mod trajectory;
mod vaccination;
