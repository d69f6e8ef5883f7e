//! # afweging
//!
//! An engine that weighs packages of pandemic measures on the four dimensions of the Dutch
//! reference framework: virus spread, societal, socio-economic and behavioural consequences.
//!
//! The flow: a [`Calibration`] (country data) and a [`Scenario`] (variant, season, immunity,
//! vaccination) make a [`Model`]; a run gives a [`Trajectory`] of daily states, from which the
//! dimensions are computed. The engine is plain Rust; the Python bindings live behind the `python`
//! feature.

pub mod assessment;
pub mod behaviour;
pub mod calibration;
pub mod checklist;
pub mod compartments;
pub mod contacts;
pub mod crash;
pub mod decision;
pub mod distribution;
pub mod economy;
pub mod error;
mod flows;
pub mod impacts;
mod layout;
pub mod mcda;
pub mod model;
pub mod ngm;
pub mod plans;
pub mod policy;
pub mod preparedness;
pub mod regions;
pub mod scenario;
pub mod signals;
pub mod society;
pub mod solver;
pub mod source;
pub mod stringency;
pub mod sweep;
pub mod trajectory;
pub mod uncertainty;
pub mod validate;
pub mod valuation;

#[cfg(feature = "python")]
mod python;

pub use calibration::{Calibration, Setting};
pub use error::{Error, FieldError, Result};
pub use model::{DayEffects, Model, Multipliers};
pub use plans::{Package, SectorPlans};
pub use policy::{Policy, TriggerPolicy};
pub use scenario::Scenario;
pub use sweep::Sweep;
pub use trajectory::{Trajectory, VirusSpread};
pub use uncertainty::Uncertainty;
pub use valuation::Valuation;
