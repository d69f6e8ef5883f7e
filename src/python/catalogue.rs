//! The engine's catalogues of what results hold, for the Python package: one source of names,
//! units and descriptions.

use afweging_macros::guard_panics;
use pyo3::prelude::*;

use crate::epidemic::signals::Signal;
use crate::epidemic::trajectory::{DAILY, SUMMARY};
use crate::impacts::CATALOGUE;

/// The daily series of a run: `(name, unit, description)`.
#[guard_panics]
#[pyfunction]
fn daily_series() -> Vec<(&'static str, &'static str, &'static str)> {
    DAILY.to_vec()
}

/// The totals and peaks of the virus-spread summary: `(name, unit)`.
#[guard_panics]
#[pyfunction]
fn run_summary() -> Vec<(&'static str, &'static str)> {
    SUMMARY.to_vec()
}

/// The signals a trigger policy can watch, in the order of a run's signal columns: `(name, unit)`.
#[guard_panics]
#[pyfunction]
fn signals() -> Vec<(&'static str, &'static str)> {
    Signal::ALL.iter().map(|s| (s.name(), s.unit())).collect()
}

/// Every impact indicator: `(name, dimension, unit, description, aggregate)`.
#[guard_panics]
#[pyfunction]
fn impact_indicators() -> Vec<(String, String, String, String, String)> {
    let text = |v: serde_json::Value| v.as_str().unwrap_or_default().to_string();
    CATALOGUE
        .iter()
        .map(|e| {
            (
                e.name.to_string(),
                text(serde_json::to_value(e.dimension).expect("a dimension serialises")),
                e.unit.to_string(),
                e.description.to_string(),
                text(serde_json::to_value(e.aggregate).expect("an aggregate serialises")),
            )
        })
        .collect()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(daily_series, m)?)?;
    m.add_function(wrap_pyfunction!(run_summary, m)?)?;
    m.add_function(wrap_pyfunction!(signals, m)?)?;
    m.add_function(wrap_pyfunction!(impact_indicators, m)?)?;
    Ok(())
}
