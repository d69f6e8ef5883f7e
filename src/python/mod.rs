//! The pyo3 layer: converts, validates at the boundary, releases the GIL for runs, and maps each
//! engine error to its Python exception (in one place: [`error`], so bindings use `?` on engine
//! results). No model logic here.

use std::sync::Arc;

use afweging_macros::guard_panics;
use ndarray::{s, Array2};
use numpy::{IntoPyArray, PyArray2, PyArray3, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

mod catalogue;
mod error;
mod sweep;

use crate::epidemic::compartments as c;
use crate::error::Error;
use crate::measures::plans::{Package, SectorPlans};
use crate::measures::policy::Policy;
use crate::run::{continue_run, Measures, Snapshot};
use crate::{Calibration, Model, Multipliers, Scenario};

mod assess;
mod decision;
mod grid;
mod sequential;
mod snapshot;
mod timeline;

/// The extension's allocator: sweeps allocate per run on every thread, where mimalloc is faster
/// and scales better than the system allocator (see the README's performance section).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A whole number from Python, or a `ValidationError` naming the argument.
pub(crate) fn whole<T: for<'a> FromPyObject<'a, 'a> + Copy>(
    value: &Bound<'_, PyAny>,
    field: &str,
    range: &str,
) -> PyResult<T> {
    let invalid = || {
        let text = value.repr().map_or_else(|_| "?".into(), |r| r.to_string());
        Error::field(
            field.into(),
            format!("must be a whole number {range}"),
            text,
        )
        .into()
    };
    if value.is_instance_of::<pyo3::types::PyBool>() {
        return Err(invalid());
    }
    value.extract::<T>().map_err(|_| invalid())
}

/// Runs the body of a binding (of every one: `#[guard_panics]`, macros/src/lib.rs, puts them
/// through here): a panic becomes `afweging.InternalError`, an `AfwegingError`, instead of pyo3's
/// PanicException, a `BaseException` that `except Exception` lets through.
pub(crate) fn guard<T>(body: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        Err(Error::Internal(crate::error::panic_message(payload.as_ref())).into())
    })
}

fn json_to_py<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (text,))
}

/// A calibration: the population, contacts, disease and care parameters and the impact data, each
/// with its source; the backing of `afweging.Calibration`.
#[pyclass(module = "afweging._core", name = "Calibration", frozen)]
#[derive(Clone)]
pub struct PyCalibration {
    inner: Calibration,
}

#[guard_panics]
#[pymethods]
impl PyCalibration {
    /// The Dutch calibration; with `regions`, split over the 25 safety regions.
    #[staticmethod]
    #[pyo3(signature = (regions=false))]
    fn netherlands(regions: bool) -> Self {
        Self {
            inner: if regions {
                Calibration::netherlands_regions()
            } else {
                Calibration::netherlands()
            },
        }
    }

    /// Test hook: panics with `message` (tests/test_hostile.py proves the panic arrives as
    /// `InternalError`; functions go through the same guard).
    #[staticmethod]
    #[pyo3(name = "_panic")]
    fn panic_for_tests(message: &str) -> PyResult<()> {
        panic!("{message}");
    }

    /// Region names (empty for the national model).
    #[getter]
    fn regions(&self) -> Vec<String> {
        self.inner
            .regions
            .as_ref()
            .map_or_else(Vec::new, |r| r.names())
    }

    /// A calibration from JSON, validated (every problem listed at once).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        Ok(Self {
            inner: Calibration::from_json_str(text)?,
        })
    }

    /// The calibration as JSON (what `from_json` reads).
    fn to_json(&self) -> String {
        self.inner.to_json_string()
    }

    /// Age band labels, youngest first.
    #[getter]
    fn age_bands(&self) -> Vec<String> {
        self.inner.age_bands.clone()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let from_json = slf.get_type().getattr("from_json")?;
        (from_json, (slf.get().to_json()?,)).into_pyobject(slf.py())
    }
}

/// A scenario: the variant, seasonality, immunity, vaccination campaigns, behaviour and the start;
/// the backing of `afweging.Scenario`.
#[pyclass(module = "afweging._core", name = "Scenario", frozen)]
#[derive(Clone)]
pub struct PyScenario {
    inner: Scenario,
}

#[guard_panics]
#[pymethods]
impl PyScenario {
    /// A named preset of data/scenarios.json; an unknown name raises UnknownNameError listing the
    /// presets.
    #[staticmethod]
    fn preset(name: &str) -> PyResult<Self> {
        Ok(Self {
            inner: Scenario::preset(name)?,
        })
    }

    /// The names of the presets.
    #[staticmethod]
    fn preset_names() -> Vec<String> {
        Scenario::preset_names()
    }

    /// A scenario from JSON, validated (every problem listed at once).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        Ok(Self {
            inner: Scenario::from_json_str(text)?,
        })
    }

    /// The scenario as JSON (what `from_json` reads).
    fn to_json(&self) -> String {
        self.inner.to_json_string()
    }

    /// The scenario's name.
    #[getter]
    fn name(&self) -> String {
        self.inner.name.clone()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let from_json = slf.get_type().getattr("from_json")?;
        (from_json, (slf.get().to_json()?,)).into_pyobject(slf.py())
    }
}

/// A calibration and a scenario checked against each other and prepared for runs; the backing of
/// `afweging.Model`.
#[pyclass(module = "afweging._core", name = "Model", frozen)]
pub struct PyModel {
    /// Shared with the runs it makes, which compute their economy by day from its calibration
    /// when asked ([`PyRun::economy`]).
    inner: Arc<Model>,
}

#[guard_panics]
#[pymethods]
impl PyModel {
    /// Checks `scenario` against `calibration` and prepares the rates and matrices.
    #[new]
    fn new(calibration: &PyCalibration, scenario: &PyScenario) -> PyResult<Self> {
        Ok(Self {
            inner: Arc::new(Model::new(
                calibration.inner.clone(),
                scenario.inner.clone(),
            )?),
        })
    }

    /// The calibration the model was made from.
    #[getter]
    fn calibration(&self) -> PyCalibration {
        PyCalibration {
            inner: self.inner.calibration().clone(),
        }
    }

    /// The scenario the model was made from.
    #[getter]
    fn scenario(&self) -> PyScenario {
        PyScenario {
            inner: self.inner.scenario().clone(),
        }
    }

    /// Basic reproduction number: the spectral radius of the next-generation matrix.
    fn r0(&self) -> f64 {
        self.inner.r0()
    }

    /// Initial exponential growth rate (1/day) at normal contacts in a fully susceptible
    /// population.
    fn growth_rate(&self) -> f64 {
        self.inner.growth_rate()
    }

    /// Runs `days` days, with optional contact multipliers (`days x 4`: home, school, work,
    /// community). The GIL is released while the engine runs.
    /// With a timeline (on a dated scenario) the package in force follows the dates, combined
    /// with the policy if one is given (per sector the stricter rung).
    #[pyo3(signature = (days, contact_multipliers=None, policy=None, timeline=None, start=None))]
    fn run(
        &self,
        py: Python<'_>,
        days: &Bound<'_, PyAny>,
        contact_multipliers: Option<PyReadonlyArray2<'_, f64>>,
        policy: Option<&PyPolicy>,
        timeline: Option<&timeline::PyTimeline>,
        start: Option<&snapshot::PySnapshot>,
    ) -> PyResult<PyRun> {
        let model = &self.inner;
        let inner = self.advance(
            py,
            days,
            contact_multipliers,
            policy,
            timeline,
            start,
            |end| crate::impacts::outcome(model.calibration(), end.run),
        )?;
        Ok(PyRun {
            inner,
            model: Some(Arc::clone(&self.inner)),
        })
    }

    /// The snapshot at the start of day `days` of the run that `run` would make with the same
    /// arguments (`days` days in all, those of `start` included).
    #[pyo3(signature = (days, contact_multipliers=None, policy=None, timeline=None, start=None))]
    fn snapshot(
        &self,
        py: Python<'_>,
        days: &Bound<'_, PyAny>,
        contact_multipliers: Option<PyReadonlyArray2<'_, f64>>,
        policy: Option<&PyPolicy>,
        timeline: Option<&timeline::PyTimeline>,
        start: Option<&snapshot::PySnapshot>,
    ) -> PyResult<snapshot::PySnapshot> {
        let inner = self.advance(py, days, contact_multipliers, policy, timeline, start, Ok)?;
        Ok(snapshot::PySnapshot { inner })
    }

    /// The prepared rates and matrices, for inspection and for independent re-implementations.
    fn parameters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let m = &self.inner;
        let n = m.ages;
        let d = PyDict::new(py);
        let contacts: Vec<Vec<f64>> = m.contacts.iter().map(|x| x.to_vec()).collect();
        let contacts = Array2::from_shape_vec((4, n * n), contacts.concat())
            .expect("shape")
            .into_shape_with_order((4, n, n))
            .expect("shape");
        d.set_item("contacts", contacts.into_pyarray(py))?;
        d.set_item("population", m.population.clone().into_pyarray(py))?;
        d.set_item("beta0", m.beta0)?;
        d.set_item("susceptibility", m.susceptibility.clone().into_pyarray(py))?;
        d.set_item("hazard", m.flows.hazard.to_vec().into_pyarray(py))?;
        let rates = m.group_rates();
        let column = |f: fn(&crate::epidemic::model::GroupRates) -> f64| {
            rates.iter().map(f).collect::<Vec<_>>()
        };
        d.set_item("p_asym", column(|r| r.p_asym).into_pyarray(py))?;
        let severe: Vec<f64> = rates.iter().flat_map(|r| r.p_severe).collect();
        let severe = Array2::from_shape_vec((n, 4), severe).expect("shape");
        d.set_item("p_severe", severe.into_pyarray(py))?;
        d.set_item("p_outside", column(|r| r.p_outside).into_pyarray(py))?;
        d.set_item("p_icu", column(|r| r.p_icu).into_pyarray(py))?;
        d.set_item("q_ward", column(|r| r.q_ward).into_pyarray(py))?;
        d.set_item("q_icu", column(|r| r.q_icu).into_pyarray(py))?;
        d.set_item("q_overflow", m.flows.q_overflow)?;
        d.set_item("rho", m.rho)?;
        for (key, value) in m.scalars() {
            d.set_item(key, value)?;
        }
        let init = Array2::from_shape_vec((m.groups, c::SLOTS), m.initial_state()).expect("shape");
        d.set_item("initial_state", init.into_pyarray(py))?;
        d.set_item("steps_per_day", m.steps_per_day())?;
        Ok(d)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let m = &slf.get().inner;
        let args = (
            PyCalibration {
                inner: m.calibration().clone(),
            },
            PyScenario {
                inner: m.scenario().clone(),
            },
        );
        (slf.get_type(), args).into_pyobject(py)
    }
}

impl PyRun {
    /// The economy by day computed from the run's model, when the run has none in its record.
    fn computed_economy(
        &self,
    ) -> crate::Result<Option<crate::impacts::dated_economy::EconomyByDay>> {
        match (&self.model, &self.inner.impacts) {
            (Some(model), Some(impacts)) if impacts.economy.is_none() => {
                crate::impacts::economy_by_day(model.calibration(), &self.inner.run)
            }
            _ => Ok(None),
        }
    }
}

impl PyModel {
    /// Runs from `start` (day 0 without) until `days` days in all under the measures given: the
    /// policy, the timeline, both, or contact multipliers for the days to simulate; with none of
    /// them a continuation keeps the snapshot's measures. The GIL is released while the engine
    /// runs, and `finish` makes what is asked of the snapshot at the end.
    #[allow(clippy::too_many_arguments)]
    fn advance<T: Send>(
        &self,
        py: Python<'_>,
        days: &Bound<'_, PyAny>,
        contact_multipliers: Option<PyReadonlyArray2<'_, f64>>,
        policy: Option<&PyPolicy>,
        timeline: Option<&timeline::PyTimeline>,
        start: Option<&snapshot::PySnapshot>,
        finish: impl FnOnce(Snapshot) -> crate::Result<T> + Send,
    ) -> PyResult<T> {
        let days: usize = whole(
            days,
            "days",
            &format!("between 1 and {}", crate::epidemic::model::MAX_DAYS),
        )?;
        let model = &self.inner;
        let from = start.map_or(0, |s| s.inner.day());
        if let Some(s) = start {
            s.inner.check(Some(model))?;
        }
        let schedule: Option<Vec<Multipliers>> = match contact_multipliers {
            None => None,
            Some(array) => {
                let view = array.as_array();
                let rows = days.saturating_sub(from);
                if view.shape() != [rows, 4] {
                    return Err(Error::field(
                        "contact_multipliers".into(),
                        format!("must have shape ({rows}, 4): days to simulate x settings (home, school, work, community)"),
                        format!("shape {:?}", view.shape()),
                    )
                    .into());
                }
                Some(
                    view.rows()
                        .into_iter()
                        .map(|r| [r[0], r[1], r[2], r[3]])
                        .collect(),
                )
            }
        };
        let refuse = |message: &str| -> PyResult<()> {
            Err(Error::field("contact_multipliers".into(), message.into(), String::new()).into())
        };
        if schedule.is_some() && timeline.is_some() {
            refuse("cannot be combined with a timeline (the timeline sets the contacts)")?;
        }
        if schedule.is_some() && policy.is_some() {
            refuse("cannot be combined with a policy (the policy sets the contacts)")?;
        }
        if let (Some(tl), Some(p)) = (timeline, policy) {
            if p.plans != tl.plans {
                return Err(Error::field(
                    "timeline".into(),
                    "was checked against other sector plans than the policy's; make both from \
                     the same SectorPlans"
                        .into(),
                    String::new(),
                )
                .into());
            }
        }
        let kept = start.and_then(|s| s.inner.measures.as_ref());
        let measures = match (&schedule, policy, timeline, kept) {
            (Some(s), _, _, _) => Measures::Multipliers(s),
            (None, None, None, Some(g)) => Measures::Governed {
                plans: &g.plans,
                policy: g.policy.as_ref(),
                timeline: g.timeline.as_ref(),
            },
            (None, None, None, None) => Measures::None,
            (None, p, t, _) => Measures::Governed {
                plans: p.map_or_else(|| &t.expect("a timeline").plans, |p| &p.plans),
                policy: p.map(|p| &p.policy),
                timeline: t.map(|t| &t.timeline),
            },
        };
        let begin = match start {
            Some(s) => s.inner.clone(),
            None => Snapshot::start(model),
        };
        let region_days = (days - from.min(days)).saturating_mul(model.regions().max(1));
        grid::run_detached(py, region_days, |_watch| {
            finish(continue_run(model, begin, days, measures)?)
        })
    }
}

/// The JSON of an [`crate::impacts::Outcome`] whose impacts carry the economy computed when
/// asked for, written from borrowed parts (a run is not copied to be serialised). `economy` is the
/// last field of `Impacts` and skipped there while `None`, so the text is the outcome's own.
#[derive(serde::Serialize)]
struct OutcomeWithEconomy<'a> {
    #[serde(flatten)]
    run: &'a crate::run::Run,
    impacts: ImpactsWithEconomy<'a>,
}

#[derive(serde::Serialize)]
struct ImpactsWithEconomy<'a> {
    #[serde(flatten)]
    impacts: &'a crate::impacts::Impacts,
    economy: &'a crate::impacts::dated_economy::EconomyByDay,
}

/// The result of a run: daily series by age band (and region), the records of the measures and
/// behaviour, and the four dimensions; the backing of `afweging.Run`.
#[pyclass(module = "afweging._core", name = "Run", frozen)]
pub struct PyRun {
    inner: crate::impacts::Outcome,
    /// The model the run was made with, for the economy by day ([`PyRun::economy`]); `None`
    /// for a run read back from JSON, which carries its economy in the JSON.
    model: Option<Arc<Model>>,
}

#[guard_panics]
#[pymethods]
impl PyRun {
    /// A run from JSON (a pickle), checked: shapes, indices, finite numbers, and the impacts
    /// (tampered records raise ValidationError).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        let inner = crate::error::from_json::<crate::impacts::Outcome>("run", text)?;
        inner.check()?;
        Ok(Self { inner, model: None })
    }

    /// The run as JSON (what `from_json` reads), with the economy by day when the run has one.
    fn to_json(&self) -> PyResult<String> {
        let text = match (self.computed_economy()?, &self.inner.impacts) {
            (Some(economy), Some(impacts)) => serde_json::to_string(&OutcomeWithEconomy {
                run: &self.inner.run,
                impacts: ImpactsWithEconomy {
                    impacts,
                    economy: &economy,
                },
            }),
            _ => serde_json::to_string(&self.inner),
        };
        Ok(text.expect("trajectory serialises"))
    }

    /// The economy by day of a dated national run as JSON, computed when asked for
    /// (`impacts::economy_by_day`); `null` for undated or regional runs and calibrations without
    /// `impacts.economy.dated`.
    fn economy(&self) -> PyResult<String> {
        let economy = match &self.inner.impacts {
            Some(impacts) if impacts.economy.is_some() => impacts.economy.clone(),
            _ => self.computed_economy()?,
        };
        Ok(serde_json::to_string(&economy).expect("economy serialises"))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let from_json = slf.get_type().getattr("from_json")?;
        (from_json, (slf.get().to_json()?,)).into_pyobject(slf.py())
    }

    /// Number of simulated days.
    #[getter]
    fn days(&self) -> usize {
        self.inner.days()
    }

    /// Age band labels, youngest first.
    #[getter]
    fn age_bands(&self) -> Vec<String> {
        self.inner.age_bands.clone()
    }

    /// Names of the compartments of `compartments`, in order.
    #[getter]
    fn compartment_names(&self) -> Vec<&'static str> {
        c::NAMES.to_vec()
    }

    /// `days x age bands`: new infections per day (persons/day).
    #[getter]
    fn infections<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f64>> {
        self.inner.infections().into_pyarray(py)
    }

    /// `days x age bands`: hospital (ward) admissions per day (persons/day).
    #[getter]
    fn admissions<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f64>> {
        self.inner.admissions().into_pyarray(py)
    }

    /// `days x age bands`: ICU admissions per day (persons/day).
    #[getter]
    fn icu_admissions<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f64>> {
        self.inner.icu_admissions().into_pyarray(py)
    }

    /// `days x age bands`: deaths per day, in and outside hospital (persons/day).
    #[getter]
    fn deaths<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f64>> {
        self.inner.deaths().into_pyarray(py)
    }

    /// `days x age bands`: deaths outside hospital per day, part of `deaths` (persons/day).
    #[getter]
    fn deaths_outside_hospital<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f64>> {
        self.inner.deaths_outside_hospital().into_pyarray(py)
    }

    /// ISO date of day 0 of a dated run (`None` otherwise).
    #[getter]
    fn start_date(&self) -> Option<String> {
        self.inner.start_date.map(|d| d.to_string())
    }

    /// `days x age bands`: patients on the ward (persons).
    #[getter]
    fn hospital_occupancy<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f64>> {
        self.inner.hospital_occupancy().into_pyarray(py)
    }

    /// `days x age bands`: patients in ICU (persons).
    #[getter]
    fn icu_occupancy<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f64>> {
        self.inner.icu_occupancy().into_pyarray(py)
    }

    /// `days x age bands`: persons vaccinated per day (persons/day).
    #[getter]
    fn vaccinations<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f64>> {
        self.inner.vaccinations_by_age().into_pyarray(py)
    }

    /// Region names of a regional run (empty for the national model).
    #[getter]
    fn regions(&self) -> Vec<String> {
        self.inner.regions.clone()
    }

    /// `days x regions x age bands` of a daily series by name.
    fn region_series<'py>(
        &self,
        py: Python<'py>,
        name: &str,
    ) -> PyResult<Bound<'py, PyArray3<f64>>> {
        match self.inner.series_by_region(name) {
            Some(a) => Ok(a.into_pyarray(py)),
            None => Err(Error::field(
                "name".into(),
                "unknown series; valid: infections, admissions, icu_admissions, deaths, hospital_occupancy, icu_occupancy, vaccinations".into(),
                format!("{name:?}"),
            )
            .into()),
        }
    }

    /// `days x regions x signals`: each region's indicators (empty for the national model).
    #[getter]
    fn region_signals<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray3<f64>> {
        let rows = &self.inner.region_signals;
        let regions = rows.first().map_or(0, Vec::len);
        let flat: Vec<f64> = rows.iter().flatten().flatten().copied().collect();
        ndarray::Array3::from_shape_vec((rows.len(), regions, 6), flat)
            .expect("shape")
            .into_pyarray(py)
    }

    /// `days x 4`: contact multipliers in force (home, school, work, community; 1 = normal).
    #[getter]
    fn contact_multipliers<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f64>> {
        self.inner.multipliers.clone().into_pyarray(py)
    }

    /// `(days + 1) x groups x compartments`: persons per compartment at the start and after each day.
    #[getter]
    fn compartments<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray3<f64>> {
        self.inner
            .states
            .slice(s![.., .., ..c::PEOPLE])
            .to_owned()
            .into_pyarray(py)
    }

    /// ICU beds for COVID-19 patients (persons): (normal, scaled-up).
    #[getter]
    fn icu_capacity(&self) -> (f64, f64) {
        (self.inner.icu_capacity[1], self.inner.icu_capacity[0])
    }

    /// Clinical beds for COVID-19 patients (persons): (normal, scaled-up).
    #[getter]
    fn hospital_capacity(&self) -> (f64, f64) {
        (
            self.inner.hospital_capacity[1],
            self.inner.hospital_capacity[0],
        )
    }

    /// The behavioural record and its summary as JSON (`null` without a behavioural model).
    fn behaviour_record(&self) -> String {
        let population = self.inner.people().row(0).to_vec();
        let record = self
            .inner
            .behaviour
            .as_ref()
            .map(|b| serde_json::json!({"record": b, "summary": b.summary(&population)}));
        serde_json::to_string(&record).expect("behaviour record serialises")
    }

    /// `days x signals`: the indicators read at the start of each day.
    #[getter]
    fn signals<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f64>> {
        let flat: Vec<f64> = self.inner.signals.iter().flatten().copied().collect();
        Array2::from_shape_vec((self.inner.signals.len(), 6), flat)
            .expect("shape")
            .into_pyarray(py)
    }

    /// The four dimensions as JSON (`null` when the calibration had no impact data).
    fn impacts(&self) -> String {
        serde_json::to_string(&self.inner.impacts).expect("impacts serialise")
    }

    /// The policy record as JSON: levels, rungs and stringency per day (`null` for runs without a
    /// policy).
    fn policy_record(&self) -> String {
        serde_json::to_string(&self.inner.policy).expect("policy record serialises")
    }

    /// The preparedness record as JSON (`null` when the policy names no lever).
    fn preparedness_record(&self) -> String {
        serde_json::to_string(&self.inner.preparedness).expect("preparedness record serialises")
    }

    /// Summary of the virus spread dimension (totals and peaks) as a dict.
    fn virus_spread<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = serde_json::to_string(&self.inner.virus_spread()).expect("summary serialises");
        json_to_py(py, &text)
    }
}

/// Sector plans: the sectors with their ladders of rungs, the general measures and the trigger
/// policies; the backing of `afweging.SectorPlans`.
#[pyclass(module = "afweging._core", name = "SectorPlans", frozen)]
pub struct PySectorPlans {
    inner: SectorPlans,
}

#[guard_panics]
#[pymethods]
impl PySectorPlans {
    /// The Dutch sector plans (data/netherlands/sector_plans.json).
    #[staticmethod]
    fn netherlands() -> Self {
        Self {
            inner: SectorPlans::netherlands(),
        }
    }

    /// Sector plans from JSON, validated (every problem listed at once).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        Ok(Self {
            inner: SectorPlans::from_json_str(text)?,
        })
    }

    /// The sector plans as JSON (what `from_json` reads).
    fn to_json(&self) -> String {
        self.inner.to_json_string()
    }

    /// A static package from JSON `{"rungs": {...}, "general": [...]}`.
    fn package(&self, text: &str) -> PyResult<PyPolicy> {
        let package = self
            .inner
            .package(crate::error::from_json::<Package>("package", text)?)?;
        Ok(PyPolicy {
            plans: self.inner.clone(),
            policy: Policy::Package(package),
        })
    }

    /// A named trigger policy of the plans; `regional`: every region moves on its own signals.
    #[pyo3(signature = (name, regional=false))]
    fn policy(&self, name: &str, regional: bool) -> PyResult<PyPolicy> {
        let policy = self.inner.policy(name)?;
        Ok(PyPolicy {
            plans: self.inner.clone(),
            policy: Policy::Trigger(crate::measures::policy::TriggerPolicy { regional, ..policy }),
        })
    }

    /// A package per region from JSON `{"default": {...}, "regions": {"VR13": {...}}}`.
    fn regional_packages(&self, text: &str) -> PyResult<PyPolicy> {
        let policy =
            crate::error::from_json::<crate::measures::policy::RegionalPackages>("policy", text)
                .map(Policy::Regional)
                .and_then(|p| {
                    let mut c = crate::inputs::validate::Checker::new();
                    p.check(&self.inner, &mut c);
                    c.finish().map(|_| p)
                })?;
        Ok(PyPolicy {
            plans: self.inner.clone(),
            policy,
        })
    }

    /// A trigger policy from JSON, checked against these plans.
    fn policy_from_json(&self, text: &str) -> PyResult<PyPolicy> {
        let policy =
            crate::error::from_json::<crate::measures::policy::TriggerPolicy>("policy", text)
                .and_then(|p| {
                    let mut c = crate::inputs::validate::Checker::new();
                    p.check(&self.inner, "policy", &mut c);
                    c.finish().map(|_| p)
                })?;
        Ok(PyPolicy {
            plans: self.inner.clone(),
            policy: Policy::Trigger(policy),
        })
    }

    /// The crash test as JSON: findings and the table of what applies where.
    fn crash_test(&self) -> String {
        serde_json::to_string(&crate::measures::crash::crash_test(&self.inner))
            .expect("crash test serialises")
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let from_json = slf.get_type().getattr("from_json")?;
        (from_json, (slf.get().to_json()?,)).into_pyobject(slf.py())
    }
}

/// A policy of sector plans: a static package, a trigger policy or a package per region; the
/// backing of `afweging.Policy`.
#[pyclass(module = "afweging._core", name = "Policy", frozen)]
pub struct PyPolicy {
    plans: SectorPlans,
    policy: Policy,
}

#[guard_panics]
#[pymethods]
impl PyPolicy {
    /// A policy from its sector plans and its own JSON (a pickle), checked against the plans.
    #[staticmethod]
    fn restore(plans: &str, policy: &str) -> PyResult<Self> {
        let plans = SectorPlans::from_json_str(plans)?;
        let policy = crate::error::from_json::<Policy>("policy", policy)?;
        let mut c = crate::inputs::validate::Checker::new();
        policy.check(&plans, &mut c);
        c.finish()?;
        Ok(Self { plans, policy })
    }

    /// The policy as JSON (without its plans: `plans_json`).
    fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.policy).expect("policy serialises")
    }

    /// The sector plans the policy was made from (JSON), for displays that name sectors and rungs.
    fn plans_json(&self) -> String {
        self.plans.to_json_string()
    }

    /// The policy's name.
    #[getter]
    fn name(&self) -> String {
        self.policy.name()
    }

    /// The OxCGRT stringency index of each level's package (one value for a static package).
    fn stringency(&self) -> Vec<f64> {
        match &self.policy {
            Policy::Package(p) => vec![self.plans.stringency(p)],
            Policy::Trigger(t) => t
                .levels
                .iter()
                .map(|l| self.plans.stringency(&l.package))
                .collect(),
            Policy::Regional(r) => std::iter::once(&r.default)
                .chain(r.regions.values())
                .map(|p| self.plans.stringency(p))
                .collect(),
        }
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = slf.get_type().getattr("restore")?;
        let this = slf.get();
        (restore, (this.plans.to_json_string(), this.to_json()?)).into_pyobject(slf.py())
    }
}

/// The OxCGRT stringency index (0-100) of raw indicator levels, JSON `{"C1": {"value": 3, "flag": 1}, ...}`.
#[guard_panics]
#[pyfunction]
fn stringency_index(levels: &str) -> PyResult<f64> {
    let levels = crate::error::from_json::<
        std::collections::BTreeMap<
            crate::measures::stringency::Indicator,
            crate::measures::stringency::Level,
        >,
    >("stringency", levels)?;
    Ok(crate::measures::stringency::stringency_index(&levels)?)
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySectorPlans>()?;
    m.add_class::<PyPolicy>()?;
    m.add_function(wrap_pyfunction!(stringency_index, m)?)?;
    m.add_class::<PyCalibration>()?;
    m.add_class::<PyScenario>()?;
    m.add_class::<PyModel>()?;
    m.add_class::<PyRun>()?;
    decision::register(m)?;
    assess::register(m)?;
    sweep::register(m)?;
    catalogue::register(m)?;
    timeline::register(m)?;
    snapshot::register(m)?;
    grid::register(m)?;
    sequential::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
