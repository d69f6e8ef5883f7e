//! Bindings of the valuation, the checklist and the assessment: JSON in and out, runs borrowed
//! from their Python objects, and the assessment's figures (its decision tree, opportunity cost,
//! expected values, MCDA table, cost by group) as numpy arrays, all computed by the engine.
//! Orchestration (running the cells) is in `afweging/assess.py`.

use std::collections::BTreeMap;

use afweging_macros::guard_panics;
use numpy::{IntoPyArray, PyArray2};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use super::decision::{opportunity_cost_dict, tree_dict};
use super::{PyCalibration, PyRun};
use crate::decision::assessment::{self, Assessment, Runs};
use crate::decision::checklist::Checklist;
use crate::decision::valuation::Valuation;
use crate::error::Error;

/// The valuation: what a unit of each impact is worth (EUR per QALY, per death, ...), each value
/// with its source; the backing of `afweging.Valuation`.
#[pyclass(module = "afweging._core", name = "Valuation", frozen)]
pub struct PyValuation {
    inner: Valuation,
}

#[guard_panics]
#[pymethods]
impl PyValuation {
    /// The Dutch values with their sources (data/netherlands/valuation.json).
    #[staticmethod]
    fn netherlands() -> Self {
        Self {
            inner: Valuation::netherlands(),
        }
    }

    /// A valuation from JSON, validated (every problem listed at once).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        Ok(Self {
            inner: Valuation::from_json_str(text)?,
        })
    }

    /// The valuation as JSON (what `from_json` reads).
    fn to_json(&self) -> String {
        self.inner.to_json_string()
    }

    /// A copy with values replaced by name, validated.
    fn with_values(&self, changes: BTreeMap<String, f64>) -> PyResult<Self> {
        Ok(Self {
            inner: self.inner.with_values(&changes)?,
        })
    }

    /// The monetisation of one run as JSON (lines, by dimension, total, by group).
    fn monetise(
        &self,
        run: PyRef<'_, PyRun>,
        calibration: PyRef<'_, PyCalibration>,
    ) -> PyResult<String> {
        let impacts = run.inner.impacts.as_ref().ok_or_else(|| {
            Error::field(
                "run".into(),
                "has no impacts: its calibration has no impact data".into(),
                String::new(),
            )
        })?;
        let m = self.inner.monetise(impacts, &calibration.inner)?;
        Ok(serde_json::to_string(&m).expect("monetisation serialises"))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let from_json = slf.get_type().getattr("from_json")?;
        (from_json, (slf.get().to_json()?,)).into_pyobject(slf.py())
    }
}

/// The checklist of the assessment: the questions of the reference framework with their thresholds;
/// the backing of `afweging.Checklist`.
#[pyclass(module = "afweging._core", name = "Checklist", frozen)]
pub struct PyChecklist {
    inner: Checklist,
}

#[guard_panics]
#[pymethods]
impl PyChecklist {
    /// The Dutch checklist (data/netherlands/checklist.json).
    #[staticmethod]
    fn netherlands() -> Self {
        Self {
            inner: Checklist::netherlands(),
        }
    }

    /// A checklist from JSON, validated (every problem listed at once).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        Ok(Self {
            inner: Checklist::from_json_str(text)?,
        })
    }

    /// The checklist as JSON (what `from_json` reads).
    fn to_json(&self) -> String {
        self.inner.to_json_string()
    }

    /// Position of a question; an unknown id raises ValidationError listing the valid ones.
    fn index(&self, id: &str) -> PyResult<usize> {
        Ok(self.inner.index(id)?)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let from_json = slf.get_type().getattr("from_json")?;
        (from_json, (slf.get().to_json()?,)).into_pyobject(slf.py())
    }
}

/// An assessment of packages over scenarios (from `assess`): costs, the decision tree, the
/// checklist's answers; the backing of `afweging.Assessment`.
#[pyclass(module = "afweging._core", name = "Assessment", frozen)]
pub struct PyAssessment {
    inner: Assessment,
}

#[guard_panics]
#[pymethods]
impl PyAssessment {
    /// An assessment from JSON (a pickle), validated.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        Ok(Self {
            inner: crate::error::from_json::<Assessment>("assessment", text)?,
        })
    }

    /// The assessment as JSON (what `from_json` reads).
    fn to_json(&self) -> String {
        serde_json::to_string(&self.inner).expect("assessment serialises")
    }

    /// The decision tree on the total cost with the scenario probabilities (as
    /// `decision_tree`'s dict).
    fn decision_tree<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        tree_dict(py, self.inner.decision_tree.clone())
    }

    /// The opportunity cost per dimension and in total (as `opportunity_cost`'s dict).
    fn opportunity_cost<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        opportunity_cost_dict(py, self.inner.opportunity_cost.clone())
    }

    /// `alternatives x dimensions`: each dimension's cost expected over the scenarios (EUR).
    fn expected_cost_by_dimension<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f64>> {
        self.inner.expected_cost_by_dimension().into_pyarray(py)
    }

    /// `alternatives x indicators`: the scorecard expected over the scenarios (NaN where a run
    /// lacks the indicator).
    fn expected_scorecard<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f64>> {
        self.inner.expected_scorecard().into_pyarray(py)
    }

    /// `alternatives x criteria`: the MCDA table, expected over the scenarios or in `scenario`
    /// (an index).
    #[pyo3(signature = (names, scenario=None))]
    fn criteria<'py>(
        &self,
        py: Python<'py>,
        names: Vec<String>,
        scenario: Option<usize>,
    ) -> PyResult<Bound<'py, PyArray2<f64>>> {
        Ok(self.inner.criteria(&names, scenario)?.into_pyarray(py))
    }

    /// Cost per person by group: `labels`, `per_person` (alternatives x groups, EUR per person)
    /// and `covered` (per alternative), expected over the scenarios or in `scenario`.
    #[pyo3(signature = (grouping, scenario=None))]
    fn cost_by_group<'py>(
        &self,
        py: Python<'py>,
        grouping: &str,
        scenario: Option<usize>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let g = self.inner.cost_by_group(grouping, scenario)?;
        let d = PyDict::new(py);
        d.set_item("labels", g.labels)?;
        d.set_item("per_person", g.per_person.into_pyarray(py))?;
        d.set_item("covered", g.covered.into_pyarray(py))?;
        Ok(d)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let from_json = slf.get_type().getattr("from_json")?;
        (from_json, (slf.get().to_json()?,)).into_pyobject(slf.py())
    }
}

/// Checks alternative and scenario names and the probabilities before anything runs.
#[guard_panics]
#[pyfunction]
fn check_assessment(
    alternatives: Vec<String>,
    scenarios: Vec<String>,
    probabilities: Vec<f64>,
) -> PyResult<()> {
    Ok(assessment::check_inputs(
        &alternatives,
        &scenarios,
        &probabilities,
    )?)
}

/// Assesses runs (alternatives x scenarios) with the baselines and calibrations per scenario.
#[guard_panics]
#[pyfunction]
#[allow(clippy::too_many_arguments)] // the parts of one assessment, named at the call
fn assess(
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
    let inner = assessment::assess(
        &alternatives,
        &scenarios,
        &probabilities,
        &runs,
        &valuation.inner,
        &checklist.inner,
    )?;
    Ok(PyAssessment { inner })
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
