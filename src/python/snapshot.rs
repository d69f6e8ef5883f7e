//! `afweging._core.Snapshot`: the state of a run at the start of a day ([`crate::run::Snapshot`]),
//! to continue from with `Model.run(start=...)`; JSON and pickles are checked on load.

use pyo3::prelude::*;
use pyo3::types::PyTuple;

use afweging_macros::guard_panics;

use crate::run::Snapshot;

/// The state of a run at the start of a day: everything the closed loop carries to the next day
/// (the record so far, doses, signal windows, behaviour, controllers, preparedness levers).
#[pyclass(module = "afweging._core", name = "Snapshot", frozen)]
pub struct PySnapshot {
    pub(super) inner: Snapshot,
}

#[guard_panics]
#[pymethods]
impl PySnapshot {
    /// A snapshot from JSON, checked as a run is (shapes, indices, finite numbers, memories).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        let inner = crate::error::from_json::<Snapshot>("snapshot", text)?;
        inner.check(None)?;
        Ok(Self { inner })
    }

    /// The snapshot as JSON text (what `from_json` reads back).
    fn to_json(&self) -> PyResult<String> {
        Ok(serde_json::to_string(&self.inner).expect("snapshot serialises"))
    }

    /// The day the snapshot is at the start of (days simulated so far).
    #[getter]
    fn day(&self) -> PyResult<usize> {
        Ok(self.inner.day())
    }

    /// ISO date of that day for a dated run, else `None`.
    #[getter]
    fn date(&self) -> PyResult<Option<String>> {
        let day = chrono::Days::new(self.inner.day() as u64);
        Ok(self
            .inner
            .run
            .trajectory
            .start_date
            .and_then(|start| start.checked_add_days(day))
            .map(|date| date.to_string()))
    }

    /// The name of the policy (or timeline) in force, `None` without one.
    #[getter]
    fn policy_name(&self) -> PyResult<Option<String>> {
        Ok(self.inner.run.policy.as_ref().map(|p| p.name.clone()))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let from_json = slf.get_type().getattr("from_json")?;
        (from_json, (slf.get().to_json()?,)).into_pyobject(slf.py())
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySnapshot>()
}
