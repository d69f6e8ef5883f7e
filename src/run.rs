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
use crate::epidemic::signals::{self, ReaderMemory, Signal, SignalReader, Signals};
use crate::epidemic::trajectory::Trajectory;
use crate::error::Result;
use crate::inputs::calibration::Setting;
use crate::inputs::validate::Checker;
use crate::measures::behaviour::{
    BehaviourMemory, BehaviourRecord, LeverEffect, MeasureDay, Response,
};
use crate::measures::plans::SectorPlans;
use crate::measures::policy::{Governor, GovernorMemory, Policy, PolicyRecord};
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

/// Everything the closed loop carries from one day to the next, at the start of day
/// `run.days()`: the record so far (whose last state is the epidemic's), the doses given per
/// campaign, what the signal readers remember (their 7-day windows), the population's fatigue and
/// perceived risk, and the measures with their controllers' state. The loop itself runs from a
/// snapshot ([`Snapshot::start`] for day 0), so a run continued from a snapshot is the
/// uninterrupted run, bit for bit. The engine draws no random numbers: there is no stream to keep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub run: Run,
    /// `campaigns x groups`: persons vaccinated so far (campaign uptake counts them).
    pub given: Vec<Vec<f64>>,
    /// The national reader, then one per region.
    pub readers: Vec<ReaderMemory>,
    /// Fatigue and perceived risk, when the scenario has a behavioural model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behaviour: Option<BehaviourMemory>,
    /// The policy and timeline in force and their controllers, for governed runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measures: Option<Governed>,
}

/// The measures of a governed run as a snapshot keeps them: what they were made from, and what
/// their controllers and preparedness levers carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Governed {
    pub plans: SectorPlans,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Policy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Timeline>,
    pub governor: GovernorMemory,
}

/// What decides the measures from a snapshot on.
#[derive(Debug, Clone, Copy)]
pub enum Measures<'a> {
    /// None (behaviour, when the scenario has it, still acts).
    None,
    /// Contact multipliers, one row per day to simulate.
    Multipliers(&'a [Multipliers]),
    /// A policy, a timeline of packages by date, or both ([`with_timeline`]); neither: the empty
    /// package.
    Governed {
        plans: &'a SectorPlans,
        policy: Option<&'a Policy>,
        timeline: Option<&'a Timeline>,
    },
}

impl Snapshot {
    /// The start of a run: day 0, nothing given, read or remembered yet.
    pub fn start(model: &Model) -> Snapshot {
        let (reader, regions) = SignalReader::for_model(model);
        let readers = std::iter::once(&reader).chain(&regions);
        Snapshot {
            run: Run {
                trajectory: model.day_zero(),
                signals: Vec::new(),
                region_signals: Vec::new(),
                policy: None,
                behaviour: None,
                preparedness: None,
            },
            given: model.no_doses(),
            readers: readers.map(SignalReader::memory).collect(),
            behaviour: None,
            measures: None,
        }
    }

    /// The day the snapshot is at the start of.
    pub fn day(&self) -> usize {
        self.run.days()
    }

    /// Checks a snapshot read back from JSON on its own (as [`Run::check`] does a run) and, given
    /// the model it is to continue with, against it: the same age bands, regions, capacities and
    /// start date, one entry per campaign, and a behavioural memory exactly when the scenario has
    /// behaviour. Snapshots are taken after at least one day.
    pub fn check(&self, model: Option<&Model>) -> Result<()> {
        self.run.check()?;
        let mut c = Checker::new();
        let own = &self.run.trajectory;
        if let Some(model) = model {
            let fresh = Trajectory::new(model, 0);
            let same = own.age_bands == fresh.age_bands
                && own.regions == fresh.regions
                && own.capacity_share == fresh.capacity_share
                && own.economy_share == fresh.economy_share
                && own.icu_capacity == fresh.icu_capacity
                && own.hospital_capacity == fresh.hospital_capacity
                && own.life_expectancy == fresh.life_expectancy
                && own.start_date == fresh.start_date;
            if !same {
                let value = format!(
                    "{} age bands, {} regions",
                    own.age_bands.len(),
                    own.regions.len()
                );
                let message = "was taken from a model with other age bands, regions, capacities or start date";
                c.fail("snapshot.run", message, value);
                return c.finish();
            }
            let campaigns = model.no_doses().len();
            c.length("snapshot.given", self.given.len(), campaigns, "campaign");
            let has = model.scenario().behaviour.is_some();
            if self.behaviour.is_some() != has {
                c.fail(
                    "snapshot.behaviour",
                    format!(
                        "must be there exactly when the scenario has a behavioural model ({has})"
                    ),
                    String::new(),
                );
            }
        }
        let groups = own.states.shape()[1];
        for (k, row) in self.given.iter().enumerate() {
            if c.length(
                format_args!("snapshot.given[{k}]"),
                row.len(),
                groups,
                "group",
            ) {
                for (g, &v) in row.iter().enumerate() {
                    c.non_negative(format_args!("snapshot.given[{k}][{g}]"), v);
                }
            }
        }
        let readers = 1 + own.regions.len();
        if c.length("snapshot.readers", self.readers.len(), readers, "reader") {
            for (i, r) in self.readers.iter().enumerate() {
                r.check(format_args!("snapshot.readers[{i}]"), &mut c);
            }
        }
        match (&self.behaviour, &self.run.behaviour) {
            (Some(b), Some(_)) => b.check(own.age_bands.len(), &mut c),
            (None, None) => {}
            _ => c.fail(
                "snapshot.behaviour",
                "must be there exactly when the run has a behaviour record",
                String::new(),
            ),
        }
        if let Some(m) = &self.measures {
            if let Err(e) = m.plans.validate() {
                c.fail("snapshot.measures.plans", e.to_string(), String::new());
            }
            if let Some(t) = &m.timeline {
                t.check(&m.plans, &mut c);
            }
            if let Some(p) = &m.policy {
                p.check(&m.plans, &mut c);
            }
        }
        if self.measures.is_some() && self.run.policy.is_none() {
            c.fail(
                "snapshot.measures",
                "need the run's policy record",
                String::new(),
            );
        }
        c.finish()
    }
}

/// The measures side of the loop: `(day, national signals, signals per region, effects per
/// region, behavioural levers per region) -> what the measures contribute to behaviour`.
type Decide<'a> = dyn FnMut(usize, &Signals, &[Signals], &mut [DayEffects], &mut [LeverEffect]) -> MeasureDay
    + 'a;

/// Runs the closed loop from `start` until `days` days in all, with the measures set each day by
/// `measures`, and gives the snapshot at the end (its policy and measures are the caller's).
fn closed_loop(
    model: &Model,
    start: Snapshot,
    days: usize,
    measures: &mut Decide<'_>,
) -> Result<Snapshot> {
    check_days(days)?;
    let cal = model.calibration();
    let groups = cal.n_ages();
    let Snapshot {
        run: prefix,
        mut given,
        readers,
        behaviour,
        ..
    } = start;
    let (mut reader, mut region_readers) = SignalReader::for_model(model);
    for (r, memory) in std::iter::once(&mut reader)
        .chain(&mut region_readers)
        .zip(&readers)
    {
        r.restore(memory);
    }
    let mut region_signals = Vec::with_capacity(region_readers.len());
    let mut by_measures = vec![DayEffects::none(groups); model.regions()];
    let mut levers = vec![LeverEffect::default(); model.regions()];
    let mut response = model
        .scenario()
        .behaviour
        .as_ref()
        .map(|b| Response::new(b, model.group_population(), groups, days));
    if let (Some(response), Some(memory), Some(record)) =
        (response.as_mut(), &behaviour, prefix.behaviour)
    {
        response.resume(memory, record);
    }
    let mut signal_log = prefix.signals;
    signal_log.reserve(days.saturating_sub(signal_log.len()));
    let mut region_log = prefix.region_signals;
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
    let trajectory = model.continue_from(prefix.trajectory, &mut given, days, &mut control)?;
    let readers = std::iter::once(&reader).chain(&region_readers);
    Ok(Snapshot {
        readers: readers.map(SignalReader::memory).collect(),
        behaviour: response.as_ref().map(Response::memory),
        run: Run {
            trajectory,
            signals: signal_log,
            region_signals: region_log,
            policy: None,
            behaviour: response.map(Response::finish),
            preparedness: None,
        },
        given,
        measures: None,
    })
}

/// Continues a run from `start` until `days` days in all under `measures`, and gives the snapshot
/// at the end (its `run` is the whole run, the days of `start` included). Continued under the
/// measures the snapshot was taken under (the same plans, policy and timeline), the run is the
/// uninterrupted one bit for bit. Under other measures, those take over from the snapshot's day:
/// their controllers start from their initial levels, preparedness levers both name keep their
/// order date, and the record holds the earlier levels, then the new ones (named from the day or
/// date of the change, [`PolicyRecord::then`]). `start` is trusted: check snapshots read back from
/// JSON with [`Snapshot::check`] first.
pub fn continue_run(
    model: &Model,
    mut start: Snapshot,
    days: usize,
    measures: Measures<'_>,
) -> Result<Snapshot> {
    check_days(days)?;
    let from = start.day();
    if from > days {
        return Err(crate::error::Error::field(
            "days".into(),
            format!("must be at least the {from} days already simulated"),
            days.to_string(),
        ));
    }
    let (plans, policy, timeline) = match measures {
        Measures::None => (None, None, None),
        Measures::Multipliers(schedule) => {
            let mut check = Checker::new();
            check.length(
                "contact_multipliers",
                schedule.len(),
                days - from,
                "day to simulate",
            );
            for (d, row) in schedule.iter().enumerate() {
                for (s, &m) in Setting::ALL.iter().zip(row) {
                    check.non_negative(format_args!("contact_multipliers[{d}].{}", s.name()), m);
                }
            }
            check.finish()?;
            let prefix = (start.run.policy.take(), start.run.preparedness.take());
            let mut end = closed_loop(model, start, days, &mut |day, _, _, m, _| {
                for effects in m.iter_mut() {
                    effects.setting = schedule[day - from];
                }
                Default::default()
            })?;
            idle_after(&mut end.run, prefix, from, days)?;
            return Ok(end);
        }
        Measures::Governed {
            plans,
            policy,
            timeline,
        } => (Some(plans), policy, timeline),
    };
    let Some(plans) = plans else {
        let prefix = (start.run.policy.take(), start.run.preparedness.take());
        let mut end = closed_loop(model, start, days, &mut |_, _, _, _, _| Default::default())?;
        idle_after(&mut end.run, prefix, from, days)?;
        return Ok(end);
    };
    let none = Policy::Package(Default::default());
    let alone = policy.is_none() && timeline.is_some();
    let mut governor = Governor::scheduled(
        model,
        plans,
        policy.unwrap_or(&none),
        timeline.map(|t| (t, alone)),
        days,
    )?;
    let earlier = start.measures.take();
    let (prefix_policy, prefix_prep) = (start.run.policy.take(), start.run.preparedness.take());
    let same = earlier.as_ref().is_some_and(|g| {
        &g.plans == plans && g.policy.as_ref() == policy && g.timeline.as_ref() == timeline
    });
    let memory = earlier.map(|g| g.governor).unwrap_or_default();
    // Under the same policy from day 0, the governor takes up its own record; after a change of
    // policy the record is the earlier policies' and this one's days are added to it.
    let own_record = same && memory.first_level == 0;
    let continued = match (own_record, &prefix_policy) {
        (true, Some(record)) => Some((record.clone(), prefix_prep.clone())),
        (true, None) => {
            let message = "must hold the policy record of a governed snapshot";
            return Err(crate::error::Error::field(
                "snapshot.run.policy".into(),
                message.into(),
                String::new(),
            ));
        }
        (false, _) => None,
    };
    if from > 0 {
        governor.resume(from, &memory, same, continued)?;
    }
    let mut end = closed_loop(
        model,
        start,
        days,
        &mut |day, signals, regions, effects, levers| {
            governor.day(day, signals, regions, effects, levers)
        },
    )?;
    let mut carried = governor.memory();
    let (record, prep) = governor.finish();
    if own_record || from == 0 {
        end.run.policy = Some(record);
        end.run.preparedness = prep;
    } else {
        let label = day_label(&end.run, from);
        let before = match prefix_policy {
            Some(p) => p,
            None => record.idle(from, end.run.trajectory.regions.len()),
        };
        carried.first_level = match same {
            true => memory.first_level,
            false => before.levels.len(),
        };
        end.run.policy = Some(match same {
            true => before.extend_at(record, memory.first_level)?,
            false => before.then(record, &label)?,
        });
        end.run.preparedness = PreparednessRecord::then(prefix_prep, prep, from, days - from);
    }
    end.measures = Some(Governed {
        plans: plans.clone(),
        policy: policy.cloned(),
        timeline: timeline.cloned(),
        governor: carried,
    });
    Ok(end)
}

/// After measures that end at a snapshot's day (`from`), a run continued without a policy keeps
/// the earlier record, followed by no measures until `days`.
fn idle_after(
    run: &mut Run,
    prefix: (Option<PolicyRecord>, Option<PreparednessRecord>),
    from: usize,
    days: usize,
) -> Result<()> {
    let (Some(before), prep) = prefix else {
        return Ok(());
    };
    let idle = before.idle(days - from, run.trajectory.regions.len());
    run.policy = Some(before.then(idle, &day_label(run, from))?);
    run.preparedness = PreparednessRecord::then(prep, None, from, days - from);
    Ok(())
}

/// The date of day `day` of a dated run, else `"day {day}"`.
fn day_label(run: &Run, day: usize) -> String {
    let date = run
        .trajectory
        .start_date
        .and_then(|d| d.checked_add_days(chrono::Days::new(day as u64)));
    date.map_or_else(|| format!("day {day}"), |d| d.to_string())
}

/// Runs a model under a policy: the policy's controllers set the package in force each day.
pub fn with_policy(
    model: &Model,
    plans: &SectorPlans,
    policy: &Policy,
    days: usize,
) -> Result<Run> {
    let measures = Measures::Governed {
        plans,
        policy: Some(policy),
        timeline: None,
    };
    Ok(continue_run(model, Snapshot::start(model), days, measures)?.run)
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
    let measures = Measures::Governed {
        plans,
        policy,
        timeline: Some(timeline),
    };
    Ok(continue_run(model, Snapshot::start(model), days, measures)?.run)
}

impl Model {
    /// Runs `days` days without measures (behaviour, when the scenario has it, still acts).
    pub fn run(&self, days: usize) -> Result<Run> {
        Ok(continue_run(self, Snapshot::start(self), days, Measures::None)?.run)
    }

    /// Runs with a fixed schedule of contact multipliers, one row per day. They count as measures:
    /// behaviour, when the scenario has it, scales them by compliance; they carry no OxCGRT
    /// stringency, so they build no fatigue (use a package for that).
    pub fn run_with_multipliers(&self, schedule: &[Multipliers]) -> Result<Run> {
        let measures = Measures::Multipliers(schedule);
        Ok(continue_run(self, Snapshot::start(self), schedule.len(), measures)?.run)
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
