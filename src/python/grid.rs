//! The pyo3 layer of the grid: batches of runs (the assessment's cells, one-way sensitivity's rows)
//! run on the engine's one parallel executor with the GIL released, while the calling thread
//! reports progress and watches for Ctrl-C.

use std::sync::Arc;
use std::time::Duration;

use afweging_macros::guard_panics;
use ndarray::Array2;
use numpy::{IntoPyArray, PyArray2};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt};

use super::{PyCalibration, PyModel, PyPolicy, PyRun, PyScenario};
use crate::error::{Error, Result};
use crate::grid::{self, Progress};
use crate::sweep::{self, Mode, NamedPolicy, NamedScenario, Sweep};
use crate::uncertainty::Uncertainty;
use crate::Model;

/// A `ValidationError` on one argument.
fn invalid(field: &str, message: &str, value: String) -> Error {
    Error::field(field.into(), message.into(), value)
}

/// The thread count: `threads` (a whole number >= 1), else `AFWEGING_THREADS`, else all cores.
fn thread_count(threads: Option<&Bound<'_, PyAny>>) -> PyResult<usize> {
    let requested = match threads {
        None => None,
        Some(t) => match t.extract::<usize>() {
            Ok(n) if !t.is_instance_of::<PyBool>() => Some(n),
            _ => {
                let text = t.repr().map_or_else(|_| "?".into(), |r| r.to_string());
                return Err(invalid("threads", "must be a whole number >= 1", text).into());
            }
        },
    };
    Ok(grid::thread_count(requested)?)
}

/// Region-days of simulation below which a single run goes on the calling thread (a national
/// run of about 50 years, some 0.1 s): Ctrl-C is then answered when it returns, well within a
/// second, and the call saves starting a watching thread (about a sixth of a 365-day run).
pub(super) const SHORT_RUN_REGION_DAYS: usize = 20_000;

/// Runs a single run of `region_days` region-days: on the calling thread with the GIL released
/// when it is short ([`SHORT_RUN_REGION_DAYS`]; a panic there unwinds to the binding's guard,
/// `super::guard`), else [`detached`].
pub(super) fn run_detached<T: Send>(
    py: Python<'_>,
    region_days: usize,
    work: impl FnOnce(&Progress) -> Result<T> + Send,
) -> PyResult<T> {
    if region_days > SHORT_RUN_REGION_DAYS {
        return detached(py, None, work);
    }
    let watch = Progress::new();
    Ok(py.detach(|| watch.watching(|| work(&watch)))?)
}

/// Runs `work` on a worker thread with the GIL released; the calling thread wakes about every
/// 0.1 s to call `progress(items_done)` and to check for Ctrl-C, which cancels the batch.
pub(super) fn detached<T: Send>(
    py: Python<'_>,
    progress: Option<Py<PyAny>>,
    work: impl FnOnce(&Progress) -> Result<T> + Send,
) -> PyResult<T> {
    let watch = Progress::new();
    // Set before the worker unparks the caller: `is_finished` may still be false when the caller
    // wakes, which left it parked for another 0.1 s after every run.
    let finished = std::sync::atomic::AtomicBool::new(false);
    let (result, interrupted) = py.detach(|| {
        std::thread::scope(|scope| {
            let caller = std::thread::current();
            let watch = &watch;
            let finished = &finished;
            let worker = scope.spawn(move || {
                let result = watch.watching(|| work(watch));
                finished.store(true, std::sync::atomic::Ordering::Release);
                caller.unpark();
                result
            });
            // A worker that panics never sets `finished`; it still finishes.
            let over =
                || finished.load(std::sync::atomic::Ordering::Acquire) || worker.is_finished();
            let mut interrupted: Option<PyErr> = None;
            let mut reported = usize::MAX;
            while !over() {
                std::thread::park_timeout(Duration::from_millis(100));
                if interrupted.is_some() || over() {
                    continue;
                }
                let done = watch.done();
                let report = Python::attach(|py| -> PyResult<()> {
                    py.check_signals()?;
                    match &progress {
                        Some(callback) if done != reported => {
                            callback.call1(py, (done,)).map(|_| ())
                        }
                        _ => Ok(()),
                    }
                });
                reported = done;
                if let Err(e) = report {
                    watch.cancel();
                    interrupted = Some(e);
                }
            }
            (worker.join(), interrupted)
        })
    });
    if let Some(e) = interrupted {
        return Err(e);
    }
    match result {
        Ok(r) => Ok(r?),
        Err(payload) => Err(Error::Internal(crate::error::panic_message(payload.as_ref())).into()),
    }
}

/// Runs every `(model, policy or None)` job for `days` days on `threads` threads (default:
/// `AFWEGING_THREADS`, else all cores) with the GIL released: the runs, each with its impacts, in
/// job order and the same as `model.run(days, None, policy)`. The error is that of the first
/// failing job; Ctrl-C stops the batch.
#[guard_panics]
#[pyfunction]
#[pyo3(signature = (jobs, days, threads=None, progress=None))]
fn run_batch(
    py: Python<'_>,
    jobs: Vec<(PyRef<'_, PyModel>, Option<PyRef<'_, PyPolicy>>)>,
    days: &Bound<'_, PyAny>,
    threads: Option<&Bound<'_, PyAny>>,
    progress: Option<Py<PyAny>>,
) -> PyResult<Vec<PyRun>> {
    // The checks of `Model.run` (afweging/model.py, then `PyModel::run`), in its words.
    let whole = !days.is_instance_of::<PyBool>()
        && (days.is_instance_of::<PyInt>()
            || days.is_instance(&py.import("numpy")?.getattr("integer")?)?);
    if !whole {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "days: expected a whole number, got {}",
            days.repr()?
        )));
    }
    let days: i64 = days.extract()?;
    let days = usize::try_from(days)
        .map_err(|_| invalid("days", "must be a positive whole number", days.to_string()))?;
    let threads = thread_count(threads)?;
    let jobs_models: Vec<Arc<Model>> = jobs.iter().map(|(m, _)| Arc::clone(&m.inner)).collect();
    let jobs: Vec<grid::Job<'_>> = jobs
        .iter()
        .map(|(model, policy)| {
            (
                &*model.inner,
                policy.as_ref().map(|p| (&p.plans, &p.policy)),
            )
        })
        .collect();
    let outcomes = detached(py, progress, |watch| {
        grid::runs(&jobs, days, threads, watch)
    })?;
    Ok(outcomes
        .into_iter()
        .zip(&jobs_models)
        .map(|(inner, model)| PyRun {
            inner,
            model: Some(Arc::clone(model)),
        })
        .collect())
}

/// One-way sensitivity in one batch: for each uncertainty, the indicators of the one-draw summary
/// sweep `Sweep(calibration, [scenario], [policy], uncertainty, 1, 0, days, "summary")` (what its
/// `run(0, 1)` gives at `[0, 0, 0, :]`), as `uncertainties x indicators`, on `threads` threads with
/// the GIL released. The error is that of the first failing row; Ctrl-C stops the batch.
#[guard_panics]
#[pyfunction]
#[pyo3(signature = (calibration, scenario, policy, uncertainties, days, threads=None, progress=None))]
#[allow(clippy::too_many_arguments)] // the parts of one batch, named at the call
fn one_way<'py>(
    py: Python<'py>,
    calibration: &PyCalibration,
    scenario: (String, PyRef<'_, PyScenario>),
    policy: (String, Option<PyRef<'_, PyPolicy>>),
    uncertainties: Vec<Bound<'py, PyAny>>,
    days: &Bound<'py, PyAny>,
    threads: Option<&Bound<'py, PyAny>>,
    progress: Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let days = days
        .extract::<usize>()
        .ok()
        .filter(|_| !days.is_instance_of::<PyBool>())
        .ok_or_else(|| {
            let text = days.repr().map_or_else(|_| "?".into(), |r| r.to_string());
            invalid("days", "must be a whole number >= 1", text)
        })?;
    // Each uncertainty through its JSON (the class lives in the sweep bindings).
    let uncertainties = uncertainties
        .iter()
        .map(|u| {
            let text: String = u.call_method0("to_json")?.extract()?;
            Ok(Uncertainty::from_json_str(&text)?)
        })
        .collect::<PyResult<Vec<_>>>()?;
    let threads = thread_count(threads)?;
    let (scenario_name, scenario) = scenario;
    let (policy_name, policy) = policy;
    let sweep = Sweep {
        calibration: calibration.inner.clone(),
        scenarios: vec![NamedScenario {
            name: scenario_name,
            scenario: scenario.inner.clone(),
        }],
        policies: vec![NamedPolicy {
            name: policy_name,
            plans: policy.as_ref().map(|p| p.plans.clone()),
            policy: policy.as_ref().map(|p| p.policy.clone()),
        }],
        uncertainty: Uncertainty::none(),
        draws: 1,
        seed: 0,
        days,
        mode: Mode::Summary,
    };
    let rows = detached(py, progress, |watch| {
        sweep.one_way(&uncertainties, threads, watch)
    })?;
    let n_ind = sweep::indicators().len();
    Ok(Array2::from_shape_vec((rows.len(), n_ind), rows.concat())
        .expect("shape")
        .into_pyarray(py))
}

/// Adds the batch functions to `afweging._core`.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run_batch, m)?)?;
    m.add_function(wrap_pyfunction!(one_way, m)?)?;
    Ok(())
}
