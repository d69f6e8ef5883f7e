//! # afweging
//!
//! An engine that weighs packages of pandemic measures on the four dimensions of the Dutch
//! reference framework: virus spread, societal, socio-economic and behavioural consequences.
//!
//! The modules are layers, in the order of the flow of data; each uses only those above it in
//! this list (a test keeps it so):
//!
//! - [`error`]: the one error type;
//! - [`limits`]: the memory a batch will hold, checked before it allocates;
//! - [`inputs`]: calibration, scenario, regions, impact data, sources, validation (pure data);
//! - [`epidemic`]: compartments, contact operators, next-generation matrix, solver, trajectory;
//! - [`measures`]: sector plans and ladders, stringency, trigger policies, behaviour, preparedness;
//! - [`run`]: the one closed loop, and the [`run::Run`] that records what was applied;
//! - [`impacts`]: the four dimensions, computed from a run alone;
//! - [`uncertainty`]: named distributions, parameter paths, sampling;
//! - [`grid`]: the one parallel executor for every batch of runs (sweep, assessment, one-way);
//! - [`sweep`]: batches of runs over policies, scenarios and draws, in parallel;
//! - [`decision`]: valuation, MCDA, decision trees, checklist, assessment.
//!
//! The engine is plain Rust; the Python bindings live behind the `python` feature.

pub mod decision;
pub mod epidemic;
pub mod error;
pub mod grid;
pub mod impacts;
pub mod inputs;
pub mod limits;
pub mod measures;
pub mod run;
mod special;
pub mod sweep;
pub mod uncertainty;

#[cfg(feature = "python")]
mod python;

pub use epidemic::model::{DayEffects, Model, Multipliers};
pub use epidemic::trajectory::{Trajectory, VirusSpread};
pub use error::{Error, FieldError, Result};
pub use inputs::calibration::{Calibration, Setting};
pub use inputs::scenario::Scenario;
pub use measures::plans::{Package, SectorPlans};
pub use measures::policy::{Policy, TriggerPolicy};
pub use measures::timeline::Timeline;

pub use decision::valuation::Valuation;
pub use run::Run;
pub use sweep::Sweep;
pub use uncertainty::Uncertainty;
