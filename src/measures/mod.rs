//! Measures: sector plans with their ladders and packages, the OxCGRT stringency of a package,
//! trigger policies, timelines of packages by date, the behavioural response, preparedness levers,
//! and the crash test of the ladders. Each turns into what the epidemic takes for a day ([`crate::epidemic::model::DayEffects`]).

pub mod behaviour;
pub mod crash;
pub mod plans;
pub mod policy;
pub mod preparedness;
pub mod stringency;
pub mod timeline;
