//! The pyo3 layer of uncertainty and sweeps: converts, validates at the boundary, runs the sweep
//! with the GIL released while the calling thread reports progress and watches for Ctrl-C.

use afweging_macros::guard_panics;
use ndarray::{Array2, ArrayD, IxDyn};
use numpy::{IntoPyArray, PyArray2};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use super::{whole, PyCalibration, PyPolicy, PyScenario};
use crate::error::Error;
use crate::sweep::{self, Mode, NamedPolicy, NamedScenario, Sweep};
use crate::uncertainty::Uncertainty;

/// Uncertain parameters: each a path into the calibration or scenario, a distribution and how it
/// applies (set or scale); the backing of `afweging.Uncertainty`.
#[pyclass(module = "afweging._core", name = "Uncertainty", frozen)]
#[derive(Clone)]
pub struct PyUncertainty {
    inner: Uncertainty,
}

#[guard_panics]
#[pymethods]
impl PyUncertainty {
    /// The Dutch uncertainty with the sources of each distribution
    /// (data/netherlands/uncertainty.json).
    #[staticmethod]
    fn netherlands() -> Self {
        Self {
            inner: Uncertainty::netherlands(),
        }
    }

    /// No uncertain parameters: every draw the same.
    #[staticmethod]
    fn none() -> Self {
        Self {
            inner: Uncertainty::none(),
        }
    }

    /// Uncertainty from JSON, validated (every problem listed at once).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        Ok(Self {
            inner: Uncertainty::from_json_str(text)?,
        })
    }

    /// The uncertainty as JSON (what `from_json` reads).
    fn to_json(&self) -> String {
        self.inner.to_json_string()
    }

    /// The parameter paths, in the order of the columns of `sample`.
    #[getter]
    fn paths(&self) -> Vec<String> {
        self.inner.paths()
    }

    /// `draws x parameters`: the values drawn for draws `start .. start + draws` (the factor for
    /// parameters that scale).
    #[pyo3(signature = (draws, seed, start=None))]
    fn sample<'py>(
        &self,
        py: Python<'py>,
        draws: &Bound<'py, PyAny>,
        seed: &Bound<'py, PyAny>,
        start: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let draws: usize = whole(draws, "draws", ">= 0")?;
        let seed: u64 = whole(seed, "seed", "between 0 and 2**64 - 1")?;
        let start: u64 = start.map_or(Ok(0), |s| whole(s, "start", ">= 0"))?;
        let end = start.checked_add(draws as u64).ok_or_else(|| {
            Error::field(
                "start".into(),
                "start + draws must be below 2**64".into(),
                start.to_string(),
            )
        })?;
        let u = &self.inner;
        crate::limits::check(
            "draws",
            draws.to_string(),
            crate::limits::sample(draws, u.parameters.len()),
        )?;
        let values = super::grid::detached(py, None, |watch| {
            (start..end)
                .map(|d| match watch.cancelled() {
                    true => Err(crate::grid::cancelled()),
                    false => u.draw(seed, d),
                })
                .collect::<crate::Result<Vec<_>>>()
        })?;
        Ok(
            Array2::from_shape_vec((draws, u.parameters.len()), values.concat())
                .expect("shape")
                .into_pyarray(py),
        )
    }

    /// `parameters x probabilities`: the quantiles of each parameter's distribution (the factor
    /// for parameters that scale), truncation included.
    fn quantiles<'py>(
        &self,
        py: Python<'py>,
        probabilities: Vec<f64>,
    ) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let rows = self.inner.quantiles(&probabilities)?;
        Ok(
            Array2::from_shape_vec((rows.len(), probabilities.len()), rows.concat())
                .expect("shape")
                .into_pyarray(py),
        )
    }

    /// Checks the parameters against a calibration and scenario: paths exist, and every value a
    /// distribution can reach gives valid inputs.
    fn check(&self, calibration: &PyCalibration, scenario: &PyScenario) -> PyResult<()> {
        self.inner.prepare(&calibration.inner, &scenario.inner)?;
        Ok(())
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let from_json = slf.get_type().getattr("from_json")?;
        (from_json, (slf.get().to_json()?,)).into_pyobject(slf.py())
    }
}

/// A sweep: policies x scenarios x draws of the uncertainty, each a run; serialisable, so that it
/// can be run in pieces; the backing of `afweging.sweep`.
#[pyclass(module = "afweging._core", name = "Sweep", frozen)]
pub struct PySweep {
    inner: Sweep,
}

impl PySweep {
    fn checked(py: Python<'_>, inner: Sweep) -> PyResult<Self> {
        py.detach(|| inner.prepare().map(|_| ()))?;
        Ok(Self { inner })
    }
}

#[guard_panics]
#[pymethods]
impl PySweep {
    /// Checks every scenario, policy and the uncertainty up front and prepares the runs.
    #[new]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        calibration: &PyCalibration,
        scenarios: Vec<(String, PyRef<'_, PyScenario>)>,
        policies: Vec<(String, Option<PyRef<'_, PyPolicy>>)>,
        uncertainty: &PyUncertainty,
        draws: &Bound<'_, PyAny>,
        seed: &Bound<'_, PyAny>,
        days: &Bound<'_, PyAny>,
        mode: &str,
    ) -> PyResult<Self> {
        let mode = match mode {
            "summary" => Mode::Summary,
            "trajectory" => Mode::Trajectory,
            other => {
                return Err(Error::UnknownName {
                    field: "mode".into(),
                    kind: "mode",
                    name: other.into(),
                    valid: vec!["summary".into(), "trajectory".into()],
                }
                .into())
            }
        };
        let inner = Sweep {
            calibration: calibration.inner.clone(),
            scenarios: scenarios
                .into_iter()
                .map(|(name, s)| NamedScenario {
                    name,
                    scenario: s.inner.clone(),
                })
                .collect(),
            policies: policies
                .into_iter()
                .map(|(name, p)| NamedPolicy {
                    name,
                    plans: p.as_ref().map(|p| p.plans.clone()),
                    policy: p.as_ref().map(|p| p.policy.clone()),
                })
                .collect(),
            uncertainty: uncertainty.inner.clone(),
            draws: whole(draws, "draws", ">= 1")?,
            seed: whole(seed, "seed", "between 0 and 2**64 - 1")?,
            days: whole(days, "days", ">= 1")?,
            mode,
        };
        Self::checked(py, inner)
    }

    /// A sweep from JSON (a pickle), checked as the constructor checks it.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        let inner = crate::error::from_json::<Sweep>("sweep", text)?;
        Self::checked(py, inner)
    }

    /// The sweep as JSON (what `from_json` reads).
    fn to_json(&self) -> String {
        serde_json::to_string(&self.inner).expect("sweep serialises")
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let from_json = slf.get_type().getattr("from_json")?;
        (from_json, (slf.get().to_json()?,)).into_pyobject(slf.py())
    }

    /// Every per-run indicator: `(name, unit, long_name, dimension)`, in the order of the
    /// indicator axis of [`Sweep.run`]'s result.
    #[staticmethod]
    fn indicators() -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
        sweep::indicators()
            .into_iter()
            .map(|(dim, i)| (i.name, i.unit, i.long_name, dim))
            .collect()
    }

    /// The daily series of trajectory mode: `(name, unit, long_name)`.
    #[staticmethod]
    fn series() -> Vec<(&'static str, &'static str, &'static str)> {
        sweep::SERIES
            .iter()
            .map(|i| (i.name, i.unit, i.long_name))
            .collect()
    }

    /// The thread count a run would use: `threads`, else `AFWEGING_THREADS`, else all cores.
    #[staticmethod]
    #[pyo3(signature = (threads=None))]
    fn thread_count(threads: Option<&Bound<'_, PyAny>>) -> PyResult<usize> {
        let requested = threads
            .map(|t| whole::<usize>(t, "threads", ">= 1"))
            .transpose()?;
        Ok(sweep::thread_count(requested)?)
    }

    /// The scenario names, in the order of the scenario axis.
    #[getter]
    fn scenarios(&self) -> Vec<String> {
        self.inner
            .scenarios
            .iter()
            .map(|s| s.name.clone())
            .collect()
    }

    /// The policy names, in the order of the policy axis.
    #[getter]
    fn policies(&self) -> Vec<String> {
        self.inner.policies.iter().map(|p| p.name.clone()).collect()
    }

    /// The uncertain parameters: `(path, "set" or "scale")`.
    #[getter]
    fn parameters(&self) -> Vec<(String, &'static str)> {
        self.inner
            .uncertainty
            .parameters
            .iter()
            .map(|p| (p.path.clone(), p.apply.name()))
            .collect()
    }

    /// The uncertainty the draws come from.
    #[getter]
    fn uncertainty(&self) -> PyUncertainty {
        PyUncertainty {
            inner: self.inner.uncertainty.clone(),
        }
    }

    /// The name of the calibration.
    #[getter]
    fn calibration_name(&self) -> String {
        self.inner.calibration.name.clone()
    }

    /// Number of draws.
    #[getter]
    fn draws(&self) -> usize {
        self.inner.draws
    }

    /// Seed of the draws.
    #[getter]
    fn seed(&self) -> u64 {
        self.inner.seed
    }

    /// Days per run.
    #[getter]
    fn days(&self) -> usize {
        self.inner.days
    }

    /// `"summary"` (indicators only) or `"trajectory"` (daily series too).
    #[getter]
    fn mode(&self) -> &'static str {
        match self.inner.mode {
            Mode::Summary => "summary",
            Mode::Trajectory => "trajectory",
        }
    }

    /// Runs draws `start..stop` on `threads` threads (default: `AFWEGING_THREADS`, else all
    /// cores) with the GIL released. `progress(runs_done)` is called from the calling thread about
    /// every 0.1 s; Ctrl-C stops the sweep. Returns `indicators` (policy x scenario x draw x
    /// indicator), `series` (policy x scenario x draw x series x day, or None) and `parameters`
    /// (draw x parameter).
    #[pyo3(signature = (start, stop, threads=None, progress=None))]
    fn run<'py>(
        &self,
        py: Python<'py>,
        start: &Bound<'py, PyAny>,
        stop: &Bound<'py, PyAny>,
        threads: Option<&Bound<'py, PyAny>>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let start: usize = whole(start, "start", ">= 0")?;
        let stop: usize = whole(stop, "stop", ">= 0")?;
        let requested = threads
            .map(|t| whole::<usize>(t, "threads", ">= 1"))
            .transpose()?;
        let threads = sweep::thread_count(requested)?;
        let sweep = &self.inner;
        let output =
            super::grid::detached(py, progress, |watch| sweep.run(start..stop, threads, watch))?;
        let (n_pol, n_sc, n_draws) = (
            sweep.policies.len(),
            sweep.scenarios.len(),
            output.draws.len(),
        );
        let n_ind = sweep::indicators().len();
        let d = PyDict::new(py);
        let array = |shape: &[usize], data: Vec<f64>| {
            ArrayD::from_shape_vec(IxDyn(shape), data)
                .expect("shape")
                .into_pyarray(py)
        };
        d.set_item(
            "indicators",
            array(&[n_pol, n_sc, n_draws, n_ind], output.indicators),
        )?;
        match output.series {
            Some(series) => d.set_item(
                "series",
                array(
                    &[n_pol, n_sc, n_draws, sweep::SERIES.len(), sweep.days],
                    series,
                ),
            )?,
            None => d.set_item("series", py.None())?,
        }
        let n_par = sweep.uncertainty.parameters.len();
        d.set_item("parameters", array(&[n_draws, n_par], output.parameters))?;
        Ok(d)
    }
}

/// Adds the uncertainty and sweep classes to `afweging._core`.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyUncertainty>()?;
    m.add_class::<PySweep>()?;
    Ok(())
}
