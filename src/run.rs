//! The one closed loop, and the [`Run`] that records what was applied.
//!
//! Each day, before it is simulated, the loop reads the signals at the start of the day (national
//! and per region), lets the measures decide what is in force (a policy's [`Governor`], a schedule
//! of multipliers, or nothing), lets the population respond ([`Response`]: compliance scales the
//! measures, voluntary distancing adds to them), and steps the epidemic one day with what results
//! ([`Model::simulate`]). The [`Run`] keeps the trajectory of the epidemic and what was applied,
//! so that impacts and everything after read the run alone.

use std::ops::Deref;

use serde::{Deserialize, Serialize};

use crate::epidemic::compartments::SLOTS;
use crate::epidemic::model::{check_days, DayEffects, Model, Multipliers};
use crate::epidemic::signals::{self, Signal, SignalReader, Signals};
use crate::epidemic::trajectory::Trajectory;
use crate::error::Result;
use crate::inputs::calibration::Setting;
use crate::inputs::validate::Checker;
use crate::measures::behaviour::{BehaviourRecord, LeverEffect, MeasureDay, Response};
use crate::measures::plans::SectorPlans;
use crate::measures::policy::{Governor, Policy, PolicyRecord};
use crate::measures::preparedness::PreparednessRecord;
use crate::measures::timeline::Timeline;

/// A finished run: the epidemic's trajectory and what measures, behaviour and levers did.
/// It dereferences to its [`Trajectory`], so a run's states and series read as the trajectory's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    #[serde(flatten)]
    pub trajectory: Trajectory,
    /// `days x signals`: the indicators read at the start of each day ([`Signal::ALL`]).
    #[serde(default)]
    pub signals: Vec<[f64; 6]>,
    /// `days x regions x signals` of a regional run: each region's indicators.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub region_signals: Vec<Vec<[f64; 6]>>,
    /// What the policy did, for runs under a package or trigger policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyRecord>,
    /// The behavioural state per day, when the scenario has a behavioural model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behaviour: Option<BehaviourRecord>,
    /// What the preparedness levers of the policy did (capacity per day, lever states), when the
    /// policy names any ([`crate::measures::preparedness`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preparedness: Option<PreparednessRecord>,
}

impl Deref for Run {
    type Target = Trajectory;

    fn deref(&self) -> &Trajectory {
        &self.trajectory
    }
}

impl Run {
    /// Checks a run read back from JSON (a pickle): every array has the shape its days, age
    /// bands and regions give, every index points into what it indexes, and every number is
    /// finite. A tampered or truncated record is refused here instead of panicking later.
    pub fn check(&self) -> Result<()> {
        let mut c = Checker::new();
        let t = &self.trajectory;
        let (days, ages, regions) = (t.days(), t.age_bands.len(), t.regions.len());
        let groups = ages * t.n_regions();
        if let Err(e) = check_days(days) {
            c.fail(
                "run.days",
                e.field_errors()[0].message.clone(),
                days.to_string(),
            );
        }
        if ages == 0 {
            c.fail("run.age_bands", "must not be empty", "[]".into());
        }
        let shape = |c: &mut Checker, field: &str, got: &[usize], want: &[usize]| {
            if got != want {
                c.fail(
                    format_args!("run.{field}"),
                    format!("must have shape {want:?} ({days} days, {ages} age bands, {regions} regions)"),
                    format!("shape {got:?}"),
                );
            }
        };
        shape(
            &mut c,
            "states",
            t.states.shape(),
            &[days + 1, groups, SLOTS],
        );
        shape(
            &mut c,
            "vaccinations",
            t.vaccinations.shape(),
            &[days, groups],
        );
        shape(&mut c, "multipliers", t.multipliers.shape(), &[days, 4]);
        c.length(
            "run.life_expectancy",
            t.life_expectancy.len(),
            ages,
            "age band",
        );
        c.length(
            "run.capacity_share",
            t.capacity_share.len(),
            regions,
            "region",
        );
        c.length(
            "run.economy_share",
            t.economy_share.len(),
            regions,
            "region",
        );
        c.length("run.signals", self.signals.len(), days, "day");
        if !self.region_signals.is_empty() || regions > 0 {
            let rows: Vec<usize> = self.region_signals.iter().map(Vec::len).collect();
            shape(
                &mut c,
                "region_signals",
                &[rows.len(), *rows.iter().max().unwrap_or(&0)],
                &[days, regions],
            );
            if rows.iter().any(|&n| n != regions) {
                c.fail(
                    "run.region_signals",
                    "must hold one row per region each day",
                    format!("{rows:?}"),
                );
            }
        }
        let numbers = t.states.iter().chain(&t.vaccinations).chain(&t.multipliers);
        let numbers = numbers
            .chain(&t.life_expectancy)
            .chain(&t.icu_capacity)
            .chain(&t.hospital_capacity)
            .chain(self.signals.iter().flatten())
            .chain(self.region_signals.iter().flatten().flatten());
        if let Some(bad) = numbers.copied().find(|x| !x.is_finite()) {
            c.fail("run", "every number must be finite", bad.to_string());
        }
        if let Some(p) = &self.policy {
            p.check(days, regions, &mut c);
        }
        if let Some(b) = &self.behaviour {
            b.check(days, ages, &mut c);
        }
        if let Some(p) = &self.preparedness {
            p.check(days, &mut c);
        }
        c.finish()
    }
}

/// The measures side of the loop: `(day, national signals, signals per region, effects per
/// region, behavioural levers per region) -> what the measures contribute to behaviour`.
type Measures<'a> = dyn FnMut(usize, &Signals, &[Signals], &mut [DayEffects], &mut [LeverEffect]) -> MeasureDay
    + 'a;

/// Runs the closed loop for `days` days with the measures set each day by `measures`.
fn closed_loop(model: &Model, days: usize, measures: &mut Measures<'_>) -> Result<Run> {
    check_days(days)?;
    let cal = model.calibration();
    let groups = cal.n_ages();
    let (mut reader, mut region_readers) = SignalReader::for_model(model);
    let mut region_signals = Vec::with_capacity(region_readers.len());
    let mut by_measures = vec![DayEffects::none(groups); model.regions()];
    let mut levers = vec![LeverEffect::default(); model.regions()];
    let mut response = model
        .scenario()
        .behaviour
        .as_ref()
        .map(|b| Response::new(b, model.group_population(), groups, days));
    let mut signal_log = Vec::with_capacity(days);
    let mut region_log = Vec::with_capacity(if region_readers.is_empty() { 0 } else { days });
    let mut control = |day: usize, y: &[f64], effects: &mut [DayEffects]| {
        let signals = reader.read(y);
        signal_log.push(signals);
        signals::read_regions(&mut region_readers, y, &mut region_signals);
        if !region_signals.is_empty() {
            region_log.push(region_signals.clone());
        }
        let today = measures(
            day,
            &signals,
            &region_signals,
            &mut by_measures,
            &mut levers,
        );
        for (m, lever) in by_measures.iter_mut().zip(&levers) {
            m.uptake_boost = lever.vaccine_uptake;
        }
        match response.as_mut() {
            Some(response) => {
                let pressure = signals::value(&signals, Signal::IcuOccupancyShare);
                let population = &cal.population;
                response.day(&today, &levers, pressure, &by_measures, population, effects);
            }
            None => effects.clone_from_slice(&by_measures),
        }
    };
    let trajectory = model.simulate(days, &mut control)?;
    Ok(Run {
        trajectory,
        signals: signal_log,
        region_signals: region_log,
        policy: None,
        behaviour: response.map(Response::finish),
        preparedness: None,
    })
}

/// Runs a model under a policy: the policy's controllers set the package in force each day.
pub fn with_policy(
    model: &Model,
    plans: &SectorPlans,
    policy: &Policy,
    days: usize,
) -> Result<Run> {
    check_days(days)?;
    governed(model, days, Governor::new(model, plans, policy, days)?)
}

/// Runs the closed loop with `governor` deciding the measures, and records what it did.
fn governed(model: &Model, days: usize, mut governor: Governor) -> Result<Run> {
    let mut run = closed_loop(
        model,
        days,
        &mut |day, signals, regions, effects, levers| {
            governor.day(day, signals, regions, effects, levers)
        },
    )?;
    let (policy, preparedness) = governor.finish();
    run.policy = Some(policy);
    run.preparedness = preparedness;
    Ok(run)
}

/// Runs a model under a timeline of packages by date ([`crate::measures::timeline`]), alone or
/// combined with a policy: each day the package in force is the timeline's package on the day's
/// date (day 0 is `scenario.start_date`, which a timeline requires) merged with the policy's
/// package of the day by [`crate::measures::timeline::stricter`] (per sector the stricter rung, the
/// general measures of both). A run that goes on past the timeline's last entry keeps its package;
/// a run that starts before the first entry is refused. The record's levels are the pairs (entry,
/// policy level) in force during the run, named `"{date} {entry name} + {policy level}"` (alone:
/// `"{date} {entry name}"`); its decisions name the trigger policy's own levels.
pub fn with_timeline(
    model: &Model,
    plans: &SectorPlans,
    timeline: &Timeline,
    policy: Option<&Policy>,
    days: usize,
) -> Result<Run> {
    check_days(days)?;
    let none = Policy::Package(Default::default());
    let alone = policy.is_none();
    let policy = policy.unwrap_or(&none);
    let governor = Governor::scheduled(model, plans, policy, Some((timeline, alone)), days)?;
    governed(model, days, governor)
}

impl Model {
    /// Runs `days` days without measures (behaviour, when the scenario has it, still acts).
    pub fn run(&self, days: usize) -> Result<Run> {
        closed_loop(self, days, &mut |_, _, _, _, _| Default::default())
    }

    /// Runs with a fixed schedule of contact multipliers, one row per day. They count as measures:
    /// behaviour, when the scenario has it, scales them by compliance; they carry no OxCGRT
    /// stringency, so they build no fatigue (use a package for that).
    pub fn run_with_multipliers(&self, schedule: &[Multipliers]) -> Result<Run> {
        let mut check = Checker::new();
        for (d, row) in schedule.iter().enumerate() {
            for (s, &m) in Setting::ALL.iter().zip(row) {
                check.non_negative(format_args!("contact_multipliers[{d}].{}", s.name()), m);
            }
        }
        check.finish()?;
        closed_loop(self, schedule.len(), &mut |day, _, _, m, _| {
            for effects in m.iter_mut() {
                effects.setting = schedule[day];
            }
            Default::default()
        })
    }
}

impl Run {
    /// The virus-spread dimension, with days above scaled-up capacity counted against the day's
    /// capacity when preparedness levers change it.
    pub fn virus_spread(&self) -> crate::epidemic::trajectory::VirusSpread {
        let daily = self
            .preparedness
            .as_ref()
            .map(|p| (&p.icu_capacity[..], &p.hospital_capacity[..]));
        self.trajectory.virus_spread(daily)
    }
}
