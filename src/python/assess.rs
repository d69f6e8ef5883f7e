//! Bindings of the valuation, the checklist and the assessment: JSON in and out, runs borrowed
//! from their Python objects. Orchestration (running the cells) is in `afweging/assess.py`.

use std::collections::BTreeMap;

use pyo3::prelude::*;
use pyo3::types::PyTuple;

use super::{to_py, PyCalibration, PyRun};
use crate::decision::assessment::{self, Assessment, Runs};
use crate::decision::checklist::Checklist;
use crate::decision::valuation::Valuation;
use crate::error::Error;

#[pyclass(module = "afweging._core", name = "Valuation", frozen)]
pub struct PyValuation {
    inner: Valuation,
}

#[pymethods]
impl PyValuation {
    #[staticmethod]
    fn netherlands() -> Self {
        Self {
            inner: Valuation::netherlands(),
        }
    }

    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        Valuation::from_json_str(text)
            .map(|inner| Self { inner })
            .map_err(|e| to_py(py, e))
    }

    fn to_json(&self) -> String {
        self.inner.to_json_string()
    }

    /// A copy with values replaced by name, validated.
    fn with_values(&self, py: Python<'_>, changes: BTreeMap<String, f64>) -> PyResult<Self> {
        self.inner
            .with_values(&changes)
            .map(|inner| Self { inner })
            .map_err(|e| to_py(py, e))
    }

    /// The monetisation of one run as JSON (lines, by dimension, total, by group).
    fn monetise(
        &self,
        py: Python<'_>,
        run: PyRef<'_, PyRun>,
        calibration: PyRef<'_, PyCalibration>,
    ) -> PyResult<String> {
        let impacts = run.inner.impacts.as_ref().ok_or_else(|| {
            to_py(
                py,
                Error::field(
                    "run".into(),
                    "has no impacts: its calibration has no impact data".into(),
                    String::new(),
                ),
            )
        })?;
        let m = self
            .inner
            .monetise(impacts, &calibration.inner)
            .map_err(|e| to_py(py, e))?;
        Ok(serde_json::to_string(&m).expect("monetisation serialises"))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let from_json = slf.get_type().getattr("from_json")?;
        (from_json, (slf.get().to_json(),)).into_pyobject(slf.py())
    }
}

#[pyclass(module = "afweging._core", name = "Checklist", frozen)]
pub struct PyChecklist {
    inner: Checklist,
}

#[pymethods]
impl PyChecklist {
    #[staticmethod]
    fn netherlands() -> Self {
        Self {
            inner: Checklist::netherlands(),
        }
    }

    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        Checklist::from_json_str(text)
            .map(|inner| Self { inner })
            .map_err(|e| to_py(py, e))
    }

    fn to_json(&self) -> String {
        self.inner.to_json_string()
    }

    /// Position of a question; an unknown id raises ValidationError listing the valid ones.
    fn index(&self, py: Python<'_>, id: &str) -> PyResult<usize> {
        self.inner.index(id).map_err(|e| to_py(py, e))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let from_json = slf.get_type().getattr("from_json")?;
        (from_json, (slf.get().to_json(),)).into_pyobject(slf.py())
    }
}

#[pyclass(module = "afweging._core", name = "Assessment", frozen)]
pub struct PyAssessment {
    inner: Assessment,
}

#[pymethods]
impl PyAssessment {
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        crate::error::from_json::<Assessment>("assessment", text)
            .map(|inner| Self { inner })
            .map_err(|e| to_py(py, e))
    }

    fn to_json(&self) -> String {
        serde_json::to_string(&self.inner).expect("assessment serialises")
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let from_json = slf.get_type().getattr("from_json")?;
        (from_json, (slf.get().to_json(),)).into_pyobject(slf.py())
    }
}

/// Checks alternative and scenario names and the probabilities before anything runs.
#[pyfunction]
fn check_assessment(
    py: Python<'_>,
    alternatives: Vec<String>,
    scenarios: Vec<String>,
    probabilities: Vec<f64>,
) -> PyResult<()> {
    assessment::check_inputs(&alternatives, &scenarios, &probabilities).map_err(|e| to_py(py, e))
}

/// Assesses runs (alternatives x scenarios) with the baselines and calibrations per scenario.
#[pyfunction]
#[allow(clippy::too_many_arguments)] // the parts of one assessment, named at the call
fn assess(
    py: Python<'_>,
    runs: Vec<Vec<PyRef<'_, PyRun>>>,
    baselines: Vec<PyRef<'_, PyRun>>,
    calibrations: Vec<PyRef<'_, PyCalibration>>,
    alternatives: Vec<String>,
    scenarios: Vec<String>,
    probabilities: Vec<f64>,
    valuation: PyRef<'_, PyValuation>,
    checklist: PyRef<'_, PyChecklist>,
) -> PyResult<PyAssessment> {
    let runs = Runs {
        cells: runs
            .iter()
            .map(|row| row.iter().map(|r| &r.inner).collect())
            .collect(),
        baselines: baselines.iter().map(|r| &r.inner).collect(),
        calibrations: calibrations.iter().map(|c| &c.inner).collect(),
    };
    assessment::assess(
        &alternatives,
        &scenarios,
        &probabilities,
        &runs,
        &valuation.inner,
        &checklist.inner,
    )
    .map(|inner| PyAssessment { inner })
    .map_err(|e| to_py(py, e))
}

/// Adds the valuation, checklist and assessment to `afweging._core`.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyValuation>()?;
    m.add_class::<PyChecklist>()?;
    m.add_class::<PyAssessment>()?;
    m.add_function(wrap_pyfunction!(check_assessment, m)?)?;
    m.add_function(wrap_pyfunction!(assess, m)?)?;
    Ok(())
}
