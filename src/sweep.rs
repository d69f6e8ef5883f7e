//! Sweeps: many runs over policies x scenarios x parameter draws, in parallel, with per-run
//! indicators and (for small sweeps) daily series.
//!
//! Each run is one item of a [`crate::grid`] batch, in the order (scenario, draw, policy): the
//! scenario with the draw's parameter values applied ([`crate::uncertainty`]), prepared by
//! [`Model::new`] once per (scenario, draw) and kept in the worker's scratch for the next policies,
//! run by [`crate::run::with_policy`] (common random numbers: every policy meets the same draw).
//! The grid returns results in item order, so they do not depend on the number of threads or on
//! the order in which items finish, and a summary sweep keeps only its indicators: memory grows by
//! `policies x indicators x 8` bytes per draw, never by a trajectory.
//! [`Sweep::one_way`] runs one draw of many sweeps that differ only in their uncertainty (one-way
//! sensitivity) as one batch.
//!
//! The indicators are defined once, here, in [`GROUPS`]: each group names its indicators (with
//! units) and computes them from a finished run. A new dimension of impacts is added by appending
//! a group; sweeps, the Python Dataset and the documentation pick it up.

use std::cell::OnceCell;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::epidemic::model::Model;
use crate::error::{Error, FieldError, Result};
use crate::grid;
use crate::impacts::Impacts;
use crate::inputs::calibration::Calibration;
use crate::inputs::scenario::Scenario;
use crate::inputs::validate::Checker;
use crate::measures::plans::SectorPlans;
use crate::measures::policy::Policy;
use crate::run::Run;
use crate::uncertainty::{Prepared, Uncertainty};

/// One indicator: its name (the Dataset variable), unit and a long name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Indicator {
    pub name: &'static str,
    pub unit: &'static str,
    pub long_name: &'static str,
}

const fn ind(name: &'static str, unit: &'static str, long_name: &'static str) -> Indicator {
    Indicator {
        name,
        unit,
        long_name,
    }
}

/// What an indicator group sees of a finished run.
pub struct RunOutput<'a> {
    pub model: &'a Model,
    /// The plans of the policy, for runs under one.
    pub plans: Option<&'a SectorPlans>,
    pub trajectory: &'a Run,
    /// The run's impacts, computed on first use and shared by the groups that read them.
    impacts: OnceCell<Option<Impacts>>,
}

impl<'a> RunOutput<'a> {
    pub fn new(model: &'a Model, plans: Option<&'a SectorPlans>, trajectory: &'a Run) -> Self {
        RunOutput {
            model,
            plans,
            trajectory,
            impacts: OnceCell::new(),
        }
    }

    /// The four dimensions of the run ([`crate::impacts::compute`]); `None` when they cannot be
    /// computed (a calibration without impact data), so that their indicators are NaN.
    pub fn impacts(&self) -> Option<&Impacts> {
        self.impacts
            .get_or_init(|| crate::impacts::compute(self.model.calibration(), self.trajectory).ok())
            .as_ref()
    }
}

/// A group of indicators of one dimension, computed together from a run.
pub struct IndicatorGroup {
    /// The dimension of the reference framework (or `policy` for what the policy did).
    pub dimension: &'static str,
    pub indicators: &'static [Indicator],
    /// Appends exactly `indicators.len()` values, in order.
    pub compute: fn(&RunOutput<'_>, &mut Vec<f64>),
}

/// Every per-run indicator, by group, in the order of a sweep's indicator axis. Append groups here
/// (and only here) to add indicators to sweeps.
pub const GROUPS: &[IndicatorGroup] = &[
    IndicatorGroup {
        dimension: "virus_spread",
        indicators: &[
            ind(
                "infections",
                "persons",
                "infections over the run (reinfections included)",
            ),
            ind("attack_rate", "1", "infections per inhabitant"),
            ind(
                "admissions",
                "persons",
                "hospital admissions (ward and ICU)",
            ),
            ind("icu_admissions", "persons", "ICU admissions"),
            ind("deaths", "persons", "deaths in hospital"),
            ind(
                "life_years_lost",
                "years",
                "life years lost: deaths x remaining life expectancy, undiscounted",
            ),
            ind(
                "peak_hospital_occupancy",
                "persons",
                "highest number of COVID-19 patients in clinical beds",
            ),
            ind(
                "peak_icu_occupancy",
                "persons",
                "highest number of COVID-19 patients in ICU",
            ),
            ind(
                "peak_icu_day",
                "day",
                "day of the highest ICU occupancy (0 = first day)",
            ),
            ind(
                "days_hospital_above_normal",
                "days",
                "days with more clinical COVID-19 patients than normal capacity",
            ),
            ind(
                "days_hospital_above_scaled",
                "days",
                "days with more clinical COVID-19 patients than scaled-up capacity",
            ),
            ind(
                "days_icu_above_normal",
                "days",
                "days with more ICU COVID-19 patients than normal capacity",
            ),
            ind(
                "days_icu_above_scaled",
                "days",
                "days with more ICU COVID-19 patients than scaled-up capacity",
            ),
        ],
        compute: virus_spread,
    },
    IndicatorGroup {
        dimension: "policy",
        indicators: &[
            ind(
                "mean_stringency",
                "index (0-100)",
                "mean OxCGRT stringency index of the measures in force",
            ),
            ind(
                "days_with_measures",
                "days",
                "days with any measure in force (stringency above 0)",
            ),
            ind(
                "days_escalated",
                "days",
                "days above the policy's lowest level",
            ),
            ind(
                "level_changes",
                "count",
                "changes of level taken by the trigger policy",
            ),
            ind(
                "highest_level",
                "level",
                "highest level in force (0 = lowest)",
            ),
        ],
        compute: policy_indicators,
    },
    IndicatorGroup {
        dimension: "behavioural",
        indicators: &[
            ind(
                "mean_compliance",
                "1",
                "population-weighted mean compliance (NaN without a behavioural model)",
            ),
            ind(
                "mean_support",
                "1",
                "population-weighted mean support for measures",
            ),
            ind(
                "days_support_below_half",
                "days",
                "days on which support was below one half",
            ),
            ind(
                "effectiveness_lost",
                "1",
                "mean loss of measure effectiveness through non-compliance, on days with measures",
            ),
            ind(
                "effectiveness_lost_to_fatigue",
                "1",
                "part of that loss due to fatigue",
            ),
            ind(
                "peak_voluntary_reduction",
                "1",
                "highest population-weighted voluntary contact reduction",
            ),
            ind("lever_cost", "EUR", "cost of behavioural levers"),
        ],
        compute: behaviour_indicators,
    },
    IndicatorGroup {
        dimension: "socio_economic",
        indicators: SOCIO_ECONOMIC,
        compute: socio_economic,
    },
    IndicatorGroup {
        dimension: "societal",
        indicators: SOCIETAL,
        compute: societal,
    },
];

/// An impact indicator's total, with its name, unit and description from the impacts' catalogue.
const fn impact(name: &str) -> Indicator {
    let e = crate::impacts::catalogue::known(name);
    ind(e.name, e.unit, e.description)
}

/// Totals of the socio-economic impacts ([`crate::impacts`]).
const SOCIO_ECONOMIC: &[Indicator] = &[
    impact("value_added_lost"),
    impact("value_added_lost_to_measures"),
    impact("value_added_lost_to_fear"),
    impact("unemployment"),
    impact("peak_unemployment_rate"),
    impact("bankruptcies"),
    impact("households_in_debt"),
    impact("wage_subsidy_cost"),
    impact("fixed_cost_subsidy_cost"),
    impact("fiscal_cost"),
];

/// Totals of the societal impacts ([`crate::impacts`]).
const SOCIETAL: &[Indicator] = &[
    impact("school_years_lost"),
    impact("learning_loss"),
    impact("lifetime_earnings_lost"),
    impact("mental_health_qalys_lost"),
    impact("loneliness_qalys_lost"),
    impact("postponed_care_qalys_lost"),
];

fn socio_economic(run: &RunOutput<'_>, out: &mut Vec<f64>) {
    impact_totals(run, SOCIO_ECONOMIC, out);
}

fn societal(run: &RunOutput<'_>, out: &mut Vec<f64>) {
    impact_totals(run, SOCIETAL, out);
}

/// The totals of the named impact indicators, NaN where the run has no impacts.
fn impact_totals(run: &RunOutput<'_>, names: &[Indicator], out: &mut Vec<f64>) {
    let impacts = run.impacts();
    out.extend(names.iter().map(|i| {
        impacts
            .and_then(|im| im.get(i.name))
            .map_or(f64::NAN, |x| x.total)
    }));
}

fn virus_spread(run: &RunOutput<'_>, out: &mut Vec<f64>) {
    let v = run.trajectory.virus_spread();
    out.extend([
        v.total_infections,
        v.attack_rate,
        v.total_admissions,
        v.total_icu_admissions,
        v.total_deaths,
        v.life_years_lost,
        v.peak_hospital_occupancy,
        v.peak_icu_occupancy,
        v.peak_icu_day as f64,
        v.days_hospital_above_normal as f64,
        v.days_hospital_above_scaled as f64,
        v.days_icu_above_normal as f64,
        v.days_icu_above_scaled as f64,
    ]);
}

fn policy_indicators(run: &RunOutput<'_>, out: &mut Vec<f64>) {
    match &run.trajectory.policy {
        Some(p) => {
            let days = p.stringency.len().max(1) as f64;
            out.extend([
                p.stringency.iter().sum::<f64>() / days,
                p.stringency.iter().filter(|&&s| s > 0.0).count() as f64,
                p.level.iter().filter(|&&l| l > 0).count() as f64,
                p.decisions.len() as f64,
                p.level.iter().copied().max().unwrap_or(0) as f64,
            ]);
        }
        None => out.extend([0.0; 5]),
    }
}

fn behaviour_indicators(run: &RunOutput<'_>, out: &mut Vec<f64>) {
    match &run.trajectory.behaviour {
        Some(b) => {
            let s = b.summary(&run.model.calibration().population);
            out.extend([
                s.mean_compliance,
                s.mean_support,
                s.days_support_below_half as f64,
                s.effectiveness_lost,
                s.effectiveness_lost_to_fatigue,
                s.peak_voluntary_reduction,
                s.lever_cost,
            ]);
        }
        None => out.extend([
            f64::NAN,
            f64::NAN,
            f64::NAN,
            f64::NAN,
            f64::NAN,
            f64::NAN,
            0.0,
        ]),
    }
}

/// Every indicator, in order, with its dimension.
pub fn indicators() -> Vec<(&'static str, Indicator)> {
    GROUPS
        .iter()
        .flat_map(|g| g.indicators.iter().map(|i| (g.dimension, *i)))
        .collect()
}

/// The indicators of one run, in the order of [`indicators`].
pub fn compute_indicators(run: &RunOutput<'_>, out: &mut Vec<f64>) {
    for group in GROUPS {
        let before = out.len();
        (group.compute)(run, out);
        debug_assert_eq!(
            out.len() - before,
            group.indicators.len(),
            "{}",
            group.dimension
        );
    }
}

/// The daily series kept in trajectory mode (summed over age bands).
pub const SERIES: &[Indicator] = &[
    ind("infections_per_day", "persons/day", "new infections"),
    ind(
        "admissions_per_day",
        "persons/day",
        "hospital admissions (ward and ICU)",
    ),
    ind("icu_admissions_per_day", "persons/day", "ICU admissions"),
    ind("deaths_per_day", "persons/day", "deaths in hospital"),
    ind(
        "hospital_occupancy",
        "persons",
        "COVID-19 patients in clinical beds at the end of the day",
    ),
    ind(
        "icu_occupancy",
        "persons",
        "COVID-19 patients in ICU at the end of the day",
    ),
    ind(
        "stringency",
        "index (0-100)",
        "OxCGRT stringency index in force",
    ),
    ind(
        "compliance",
        "1",
        "population-weighted compliance (NaN without a behavioural model)",
    ),
];

/// Writes the [`SERIES`] of a run into `out` (`series x days`).
fn write_series(run: &RunOutput<'_>, out: &mut [f64]) {
    use ndarray::Axis;
    let t = run.trajectory;
    let days = t.days();
    let totals = [
        t.infections(),
        t.admissions(),
        t.icu_admissions(),
        t.deaths(),
        t.hospital_occupancy(),
        t.icu_occupancy(),
    ];
    let mut rows = out.chunks_exact_mut(days);
    for daily in totals {
        let row = rows.next().expect("series rows");
        for (o, v) in row.iter_mut().zip(daily.sum_axis(Axis(1))) {
            *o = v;
        }
    }
    let row = rows.next().expect("stringency row");
    match &t.policy {
        Some(p) => row.copy_from_slice(&p.stringency),
        None => row.fill(0.0),
    }
    let row = rows.next().expect("compliance row");
    match &t.behaviour {
        Some(b) => {
            let population = &run.model.calibration().population;
            let total: f64 = population.iter().sum();
            for (o, c) in row.iter_mut().zip(&b.compliance) {
                *o = c.iter().zip(population).map(|(c, n)| c * n).sum::<f64>() / total;
            }
        }
        None => row.fill(f64::NAN),
    }
}

/// A scenario with the name it has in the sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedScenario {
    pub name: String,
    pub scenario: Scenario,
}

/// A policy with the name it has in the sweep; without `policy`, no measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedPolicy {
    pub name: String,
    #[serde(default)]
    pub plans: Option<SectorPlans>,
    #[serde(default)]
    pub policy: Option<Policy>,
}

/// Summary mode keeps per-run indicators; trajectory mode also the daily [`SERIES`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    #[default]
    Summary,
    Trajectory,
}

/// Everything a sweep runs; serialisable, so it can be sent to other processes in pieces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sweep {
    pub calibration: Calibration,
    pub scenarios: Vec<NamedScenario>,
    pub policies: Vec<NamedPolicy>,
    pub uncertainty: Uncertainty,
    /// Number of draws (draw indices `0..draws`).
    pub draws: usize,
    pub seed: u64,
    pub days: usize,
    #[serde(default)]
    pub mode: Mode,
}

/// Most draws a sweep accepts (the draw index is a ChaCha stream number).
pub const MAX_DRAWS: usize = 1 << 40;

/// Largest amount of daily series a trajectory-mode sweep may hold (bytes): beyond it, summary mode
/// (which keeps no series) is the tool.
pub const MAX_SERIES_BYTES: usize = 4 << 30;

/// Progress and thread count come from the executor every batch of runs uses; re-exported here
/// as part of the sweep's API.
pub use crate::grid::{thread_count, Progress, MAX_THREADS};

/// Results of draws `draws` of a sweep, in C order.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub draws: Range<usize>,
    /// `policies x scenarios x draws x indicators`.
    pub indicators: Vec<f64>,
    /// `policies x scenarios x draws x series x days`, in trajectory mode.
    pub series: Option<Vec<f64>>,
    /// `draws x parameters`: the drawn values (factors for `scale`).
    pub parameters: Vec<f64>,
}

impl Sweep {
    /// Checks the whole sweep (names, sizes, every policy against its plans, and the uncertainty
    /// against every scenario) and prepares each scenario's parameters.
    pub fn prepare(&self) -> Result<Vec<Prepared>> {
        self.prepare_with(&self.uncertainty)
    }

    /// As [`Sweep::prepare`], for the sweep with `uncertainty` instead of its own.
    fn prepare_with(&self, uncertainty: &Uncertainty) -> Result<Vec<Prepared>> {
        let mut c = Checker::new();
        for (axis, names) in [
            (
                "scenarios",
                self.scenarios
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>(),
            ),
            (
                "policies",
                self.policies.iter().map(|p| p.name.as_str()).collect(),
            ),
        ] {
            if names.is_empty() {
                c.fail(
                    format_args!("sweep.{axis}"),
                    "must not be empty",
                    "[]".into(),
                );
            }
            for (i, name) in names.iter().enumerate() {
                if name.is_empty() || names[..i].contains(name) {
                    c.fail(
                        format_args!("sweep.{axis}[{i}].name"),
                        "must be non-empty and unique",
                        format!("{name:?}"),
                    );
                }
            }
        }
        if self.draws == 0 || self.draws > MAX_DRAWS {
            c.fail(
                "sweep.draws",
                format!("must be between 1 and {MAX_DRAWS}"),
                self.draws.to_string(),
            );
        }
        if self.days == 0 || self.days > crate::epidemic::model::MAX_DAYS {
            c.fail(
                "sweep.days",
                format!("must be between 1 and {}", crate::epidemic::model::MAX_DAYS),
                self.days.to_string(),
            );
        }
        let series_bytes = (self.policies.len() * self.scenarios.len())
            .saturating_mul(self.draws)
            .saturating_mul(SERIES.len() * self.days * 8);
        if self.mode == Mode::Trajectory && series_bytes > MAX_SERIES_BYTES {
            c.fail(
                "sweep.mode",
                format!(
                    "trajectory mode would hold {:.1} GiB of daily series (at most {} GiB); use summary mode, fewer draws or fewer days",
                    series_bytes as f64 / (1u64 << 30) as f64,
                    MAX_SERIES_BYTES >> 30
                ),
                "\"trajectory\"".into(),
            );
        }
        for (i, p) in self.policies.iter().enumerate() {
            let f = format_args!("sweep.policies[{i}]");
            match (&p.plans, &p.policy) {
                (Some(plans), Some(Policy::Package(pkg))) => {
                    plans.check_package(pkg, format_args!("{f}.policy"), &mut c)
                }
                (Some(plans), Some(Policy::Trigger(t))) => {
                    t.check(plans, format_args!("{f}.policy"), &mut c)
                }
                (Some(plans), Some(Policy::Regional(r))) => {
                    plans.check_package(&r.default, format_args!("{f}.policy.default"), &mut c);
                    for (region, pkg) in &r.regions {
                        plans.check_package(
                            pkg,
                            format_args!("{f}.policy.regions.{region}"),
                            &mut c,
                        );
                    }
                }
                (None, Some(_)) => c.fail(
                    format_args!("{f}.plans"),
                    "a policy needs the sector plans it refers to",
                    String::new(),
                ),
                (_, None) => {}
            }
        }
        c.finish()?;
        self.calibration.validate()?;
        self.scenarios
            .iter()
            .map(|s| {
                Model::new(self.calibration.clone(), s.scenario.clone())?;
                uncertainty
                    .prepare(&self.calibration, &s.scenario)
                    .map_err(|e| in_scenario(e, &s.name))
            })
            .collect()
    }

    /// Runs draws `draws` (a sub-range of `0..self.draws`) on `threads` threads, counting
    /// finished runs in `progress`. The result of a draw depends only on the sweep and the draw
    /// index: the same whatever the range it is run in and however many threads run it.
    pub fn run(&self, draws: Range<usize>, threads: usize, progress: &Progress) -> Result<Output> {
        let prepared = self.prepare()?;
        if draws.start > draws.end || draws.end > self.draws {
            return Err(Error::Validation(vec![FieldError {
                field: "draws".into(),
                message: format!("must be a range within 0..{}", self.draws),
                value: format!("{}..{}", draws.start, draws.end),
            }]));
        }
        let n_draws = draws.len();
        let n_par = self.uncertainty.parameters.len();
        let (n_pol, n_sc) = (self.policies.len(), self.scenarios.len());
        let series_len = match self.mode {
            Mode::Summary => 0,
            Mode::Trajectory => SERIES.len() * self.days,
        };
        let n_runs = n_sc.saturating_mul(n_draws).saturating_mul(n_pol);
        let per_run = indicators().len() + series_len;
        crate::limits::check(
            "draws",
            format!("{}..{}", draws.start, draws.end),
            crate::limits::sweep(n_runs, per_run, n_draws, n_par),
        )?;
        // One grid item per run, in the order (scenario, draw, policy). The runs of one (scenario,
        // draw) follow each other, so a worker draws the parameters (they depend only on the seed
        // and the draw index) and prepares the model once ([`Model::new`] with the draw's inputs,
        // written over those of its last draw of the same scenario), and keeps both in its scratch
        // for the next policies: every policy meets the same draw (common random numbers).
        let runs = grid::map_with(
            n_runs,
            threads,
            progress,
            || None::<Drawn>,
            |cached, k| {
                let (cell, p) = (k / n_pol, k % n_pol);
                let (s, d) = (cell / n_draws, cell % n_draws);
                let draw = draws.start + d;
                let in_draw = |e: Error| in_scenario(in_draw(e, draw), &self.scenarios[s].name);
                if !matches!(cached, Some(c) if c.cell == cell) {
                    let values = self.uncertainty.draw(self.seed, draw as u64)?;
                    let (cal, sc) = match cached.take() {
                        Some(last) if last.cell / n_draws == s => {
                            prepared[s].inputs_reusing(&values, last.model.into_inputs())
                        }
                        _ => prepared[s].inputs(&values),
                    }
                    .map_err(in_draw)?;
                    let model = Model::new(cal, sc).map_err(in_draw)?;
                    *cached = Some(Drawn {
                        cell,
                        values,
                        model,
                    });
                }
                let c = cached.as_ref().expect("the model of this cell");
                let mut run = self
                    .run_one(&c.model, &self.policies[p], series_len)
                    .map_err(in_draw)?;
                if s == 0 && p == 0 {
                    run.parameters = c.values.clone();
                }
                Ok(run)
            },
        )?;
        // The drawn values, from the first run of each draw.
        let parameters: Vec<f64> = (0..n_draws)
            .flat_map(|d| &runs[d * n_pol].parameters)
            .copied()
            .collect();
        debug_assert_eq!(parameters.len(), n_draws * n_par);
        // (scenario, draw, policy) -> (policy, scenario, draw)
        let reorder = |part: fn(&RunValues) -> &[f64], width: usize| {
            let mut out = Vec::with_capacity(runs.len() * width);
            for p in 0..n_pol {
                for cell in 0..n_sc * n_draws {
                    out.extend_from_slice(part(&runs[cell * n_pol + p]));
                }
            }
            out
        };
        Ok(Output {
            draws,
            indicators: reorder(|r| &r.indicators, indicators().len()),
            series: (series_len > 0).then(|| reorder(|r| &r.series, series_len)),
            parameters,
        })
    }

    /// One run of `model` under `policy`: its indicators, and its daily series when `series_len`
    /// is not 0.
    fn run_one(&self, model: &Model, policy: &NamedPolicy, series_len: usize) -> Result<RunValues> {
        let trajectory = match (&policy.plans, &policy.policy) {
            (Some(plans), Some(pol)) => crate::run::with_policy(model, plans, pol, self.days),
            _ => model.run(self.days),
        }?;
        let run = RunOutput::new(model, policy.plans.as_ref(), &trajectory);
        let mut values = Vec::with_capacity(indicators().len());
        compute_indicators(&run, &mut values);
        let mut series = vec![0.0; series_len];
        if series_len > 0 {
            write_series(&run, &mut series);
        }
        Ok(RunValues {
            indicators: values,
            series,
            parameters: Vec::new(),
        })
    }

    /// One-way sensitivity, or any batch of sweeps that differ only in their uncertainty: for each
    /// of `uncertainties`, the indicators of draw 0 of this sweep with that uncertainty
    /// (`policies x scenarios x indicators`), exactly what [`Sweep::run`] gives for draws `0..1`
    /// of `Sweep { uncertainty, ..self }`, errors included. The rows run as one grid batch on
    /// `threads` threads (one item per uncertainty, counted in `progress`); the error is that of
    /// the first failing row.
    pub fn one_way(
        &self,
        uncertainties: &[Uncertainty],
        threads: usize,
        progress: &Progress,
    ) -> Result<Vec<Vec<f64>>> {
        let (n_pol, n_sc, n_ind) = (
            self.policies.len(),
            self.scenarios.len(),
            indicators().len(),
        );
        grid::map(uncertainties, threads, progress, |uncertainty| {
            let prepared = self.prepare_with(uncertainty)?;
            let values = uncertainty.draw(self.seed, 0)?;
            let mut row = vec![0.0; n_pol * n_sc * n_ind];
            for (s, prepared) in prepared.iter().enumerate() {
                let in_draw = |e: Error| in_scenario(in_draw(e, 0), &self.scenarios[s].name);
                let (cal, sc) = prepared.inputs(&values).map_err(in_draw)?;
                let model = Model::new(cal, sc).map_err(in_draw)?;
                for (p, policy) in self.policies.iter().enumerate() {
                    let run = self.run_one(&model, policy, 0).map_err(in_draw)?;
                    let at = (p * n_sc + s) * n_ind;
                    row[at..at + n_ind].copy_from_slice(&run.indicators);
                }
            }
            Ok(row)
        })
    }
}

/// What a sweep keeps of one run.
struct RunValues {
    indicators: Vec<f64>,
    /// The daily [`SERIES`], `series x days`, in trajectory mode (else empty).
    series: Vec<f64>,
    /// The drawn values, kept by the first run of each draw (scenario 0, policy 0; else empty).
    parameters: Vec<f64>,
}

/// A worker's last draw: its grid cell (scenario x draw), drawn values and prepared model.
struct Drawn {
    cell: usize,
    values: Vec<f64>,
    model: Model,
}

/// Prefixes every field error's message with where in the sweep it happened.
fn prefixed(e: Error, prefix: &str) -> Error {
    match e {
        Error::Solver(m) => Error::Solver(format!("{prefix}: {m}")),
        Error::Internal(m) => Error::Internal(format!("{prefix}: {m}")),
        other => Error::Validation(
            other
                .field_errors()
                .into_iter()
                .map(|mut fe| {
                    fe.message = format!("{prefix}: {}", fe.message);
                    fe
                })
                .collect(),
        ),
    }
}

fn in_draw(e: Error, draw: usize) -> Error {
    prefixed(e, &format!("in draw {draw}"))
}

fn in_scenario(e: Error, name: &str) -> Error {
    prefixed(e, &format!("in scenario {name:?}"))
}
