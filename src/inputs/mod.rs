//! What a run is made of, as pure data: the country's calibration, the scenario, the regions, the
//! data behind the impacts, with their sources and the validation that names bad fields. Nothing
//! here models anything.

pub mod behaviour;
pub mod calibration;
pub mod dated;
pub mod distribution;
pub mod economy;
pub mod impact_data;
pub mod regions;
pub mod scenario;
pub mod society;
pub mod source;
pub mod validate;
