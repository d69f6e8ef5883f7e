//! `afweging._core.Timeline`: a timeline of packages by date with the sector plans it was checked
//! against (the thin Python class is `afweging.timeline.Timeline`).

use afweging_macros::guard_panics;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::error::Error;
use crate::measures::plans::SectorPlans;
use crate::measures::timeline::Timeline;

/// Packages of the sector plans scheduled by date, such as the Dutch national measures of
/// 2020-2022; the backing of `afweging.Timeline`.
#[pyclass(module = "afweging._core", name = "Timeline", frozen)]
pub struct PyTimeline {
    pub(super) plans: SectorPlans,
    pub(super) timeline: Timeline,
}

fn parse_date(field: &str, text: &str) -> PyResult<chrono::NaiveDate> {
    text.parse().map_err(|_| {
        Error::field(
            field.into(),
            "must be an ISO date (YYYY-MM-DD)".into(),
            format!("{text:?}"),
        )
        .into()
    })
}

#[guard_panics]
#[pymethods]
impl PyTimeline {
    /// The Dutch national measures 2020-02-27 .. 2022-03-23 on the embedded sector plans.
    #[staticmethod]
    fn netherlands() -> Self {
        Self {
            plans: SectorPlans::netherlands(),
            timeline: Timeline::netherlands(),
        }
    }

    /// A timeline from JSON, checked against `plans` (JSON of the sector plans; default: the
    /// embedded Dutch plans).
    #[staticmethod]
    #[pyo3(signature = (text, plans=None))]
    fn from_json(text: &str, plans: Option<&str>) -> PyResult<Self> {
        let plans = match plans {
            Some(p) => SectorPlans::from_json_str(p)?,
            None => SectorPlans::netherlands(),
        };
        let timeline = Timeline::from_json_str(text, &plans)?;
        Ok(Self { plans, timeline })
    }

    /// The timeline as JSON (without its plans: `plans_json`).
    fn to_json(&self) -> String {
        self.timeline.to_json_string()
    }

    /// The sector plans the timeline was checked against, as JSON.
    fn plans_json(&self) -> String {
        self.plans.to_json_string()
    }

    /// The timeline's name.
    #[getter]
    fn name(&self) -> String {
        self.timeline.name.clone()
    }

    /// The OxCGRT stringency index of each entry's package, in entry order.
    fn entry_stringency(&self) -> Vec<f64> {
        self.timeline
            .entries
            .iter()
            .map(|e| self.plans.stringency(&e.package))
            .collect()
    }

    /// The stringency index per day from `start` through `until` (ISO dates; defaults: first
    /// and last entry): `(first date, values)`.
    #[pyo3(signature = (start=None, until=None))]
    fn stringency(&self, start: Option<&str>, until: Option<&str>) -> PyResult<(String, Vec<f64>)> {
        let start = start.map(|s| parse_date("start", s)).transpose()?;
        let until = until.map(|s| parse_date("until", s)).transpose()?;
        let (first, values) = self.timeline.stringency(&self.plans, start, until)?;
        Ok((first.to_string(), values))
    }

    fn __len__(&self) -> usize {
        self.timeline.entries.len()
    }

    /// A timeline from its sector plans and its own JSON (a pickle), checked against the plans.
    #[staticmethod]
    fn restore(plans: &str, timeline: &str) -> PyResult<Self> {
        let plans = SectorPlans::from_json_str(plans)?;
        let timeline = Timeline::from_json_str(timeline, &plans)?;
        Ok(Self { plans, timeline })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = slf.get_type().getattr("restore")?;
        let this = slf.get();
        (restore, (this.plans.to_json_string(), this.to_json()?)).into_pyobject(slf.py())
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyTimeline>()
}
