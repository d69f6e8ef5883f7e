//! Bindings of the sequential decision tree ([`crate::decision::sequential`]): numpy in, dicts of
//! numpy arrays out. Options, signals, labels and plots live in `afweging/sequential.py`.

use numpy::{IntoPyArray, PyArray2, PyArray3, PyReadonlyArray2, PyReadonlyArray3};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use afweging_macros::guard_panics;

use super::decision::tree_dict;
use super::grid::detached;
use super::timeline::PyTimeline;
use super::{PyCalibration, PyScenario};
use crate::decision::sequential::{self as seq, BranchInputs, Estimate, Problem};
use crate::decision::valuation::Valuation;
use crate::error::Error;
use crate::uncertainty::Uncertainty;

fn estimate(e: Estimate) -> (f64, f64, f64) {
    (e.value, e.low, e.high)
}

/// Solves a sequential tree: `loss` is draws x paths, `features[k]` draws x prefixes x
/// features, `sources[k]` one source per feature (0: always seen).
#[guard_panics]
#[pyfunction]
#[pyo3(signature = (options, feasible, loss, features, sources, weights, seed))]
#[allow(clippy::too_many_arguments)] // the parts of one problem, named at the call
fn sequential_solve<'py>(
    py: Python<'py>,
    options: Vec<usize>,
    feasible: Vec<bool>,
    loss: PyReadonlyArray2<'py, f64>,
    features: Vec<PyReadonlyArray3<'py, f64>>,
    sources: Vec<Vec<usize>>,
    weights: Vec<f64>,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let problem = Problem {
        options,
        feasible,
        loss: loss.as_array().to_owned(),
        features: features.iter().map(|f| f.as_array().to_owned()).collect(),
        sources,
        weights,
    };
    let s = py.detach(|| seq::solve(&problem, seed))?;
    let d = PyDict::new(py);
    d.set_item("paths", s.paths)?;
    d.set_item("strategies", tree_dict(py, s.strategies)?)?;
    d.set_item("sequential", estimate(s.sequential))?;
    d.set_item("commit_now", estimate(s.commit_now))?;
    d.set_item("value_of_waiting", estimate(s.value_of_waiting))?;
    d.set_item("evsi", s.evsi.into_iter().map(estimate).collect::<Vec<_>>())?;
    let rules = s
        .rules
        .into_iter()
        .map(|r| (r.stage, r.prefix, r.option, r.coef, r.share))
        .collect::<Vec<_>>();
    d.set_item("rules", rules)?;
    d.set_item("chosen", s.chosen.mapv(|a| a as i64).into_pyarray(py))?;
    d.set_item("held_out", s.held_out.into_pyarray(py))?;
    Ok(d)
}

type Branches<'py> = (
    Bound<'py, PyArray2<f64>>,
    Bound<'py, PyArray3<f64>>,
    Bound<'py, PyArray3<f64>>,
    f64,
);

/// Simulates every path's timeline in every draw ([`seq::branches`]) with the GIL released:
/// `(loss draws x paths, admissions and infections draws x paths x observed days, population)`.
/// `uncertainty` and `valuation` are the Python objects (read through their JSON).
#[guard_panics]
#[pyfunction]
#[pyo3(signature = (calibration, scenario, uncertainty, seed, draws, timelines, days, observed_days, valuation, threads=None, progress=None))]
#[allow(clippy::too_many_arguments)] // the parts of one batch, named at the call
fn sequential_branches<'py>(
    py: Python<'py>,
    calibration: &PyCalibration,
    scenario: &PyScenario,
    uncertainty: &Bound<'py, PyAny>,
    seed: u64,
    draws: usize,
    timelines: Vec<PyRef<'py, PyTimeline>>,
    days: usize,
    observed_days: usize,
    valuation: &Bound<'py, PyAny>,
    threads: Option<usize>,
    progress: Option<Py<PyAny>>,
) -> PyResult<Branches<'py>> {
    let uncertainty =
        Uncertainty::from_json_str(&uncertainty.call_method0("to_json")?.extract::<String>()?)?;
    let valuation =
        Valuation::from_json_str(&valuation.call_method0("to_json")?.extract::<String>()?)?;
    let Some(first) = timelines.first() else {
        return Err(Error::field(
            "paths".into(),
            "must have at least one path".into(),
            "0".into(),
        )
        .into());
    };
    if timelines.iter().any(|t| t.plans != first.plans) {
        return Err(Error::field(
            "timelines".into(),
            "must all be checked against the same sector plans".into(),
            String::new(),
        )
        .into());
    }
    let threads = crate::grid::thread_count(threads)?;
    let inputs = BranchInputs {
        calibration: &calibration.inner,
        scenario: &scenario.inner,
        uncertainty: &uncertainty,
        seed,
        draws,
        plans: &first.plans,
        valuation: &valuation,
        days,
        observed_days,
    };
    let list: Vec<_> = timelines.iter().map(|t| t.timeline.clone()).collect();
    let b = detached(py, progress, |watch| {
        seq::branches(&inputs, &list, threads, watch)
    })?;
    Ok((
        b.loss.into_pyarray(py),
        b.admissions.into_pyarray(py),
        b.infections.into_pyarray(py),
        b.population,
    ))
}

/// Adds the sequential tree's functions to `afweging._core`.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sequential_solve, m)?)?;
    m.add_function(wrap_pyfunction!(sequential_branches, m)?)?;
    Ok(())
}
