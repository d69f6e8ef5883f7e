//! Trigger policies: ladders that escalate and de-escalate on indicators computed inside the run,
//! with signal values, a decision delay, a minimum time at a level and hysteresis.
//!
//! Each day, before it is simulated, the controller reads the signals up to the end of the day
//! before. It escalates to the highest level any of whose `enter_at` signal values is reached (the
//! worst indicator decides, as in the Dutch risk levels of 2021), or steps down one level when every
//! signal is below the current level's `leave_below` values. A decision takes effect
//! `decision_delay_days` later; no new decision is taken while one is pending or before the current
//! level has been in force for `min_days_at_level` days. Every change is recorded with its reason.

use std::collections::BTreeMap;
use std::fmt::Display;

use serde::{Deserialize, Serialize};

use crate::epidemic::model::{DayEffects, Model};
pub use crate::epidemic::signals::Signal;
use crate::epidemic::signals::Signals;
use crate::inputs::validate::Checker;
use crate::measures::behaviour::{LeverEffect, MeasureDay};
use crate::measures::plans::{Package, SectorPlans, Support};
use crate::measures::preparedness::{PreparednessRecord, Schedule};
use crate::measures::timeline::{stricter, Timeline};

/// One level of a trigger policy: when it applies and which package it puts in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyLevel {
    /// E.g. `"waakzaam"`, `"zorgelijk"`, `"ernstig"`, `"zeer_ernstig"`.
    pub name: String,
    /// Escalate to this level when any of these signal values is reached (empty for level 0).
    #[serde(default)]
    pub enter_at: BTreeMap<Signal, f64>,
    /// Step down from this level when every one of these signals is below its value.
    #[serde(default)]
    pub leave_below: BTreeMap<Signal, f64>,
    /// The package in force at this level.
    pub package: Package,
}

/// A trigger policy over the sector ladders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerPolicy {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Levels from lightest (0, in force at the start) to heaviest.
    pub levels: Vec<PolicyLevel>,
    /// Days between a decision and the new level taking effect.
    pub decision_delay_days: u32,
    /// Days a level stays in force at least before the next change may take effect.
    pub min_days_at_level: u32,
    /// In a regional model: every region moves on its own signals (regional signal values, a
    /// level per region); false: one national level for all regions.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub regional: bool,
}

impl TriggerPolicy {
    /// Checks the policy against the plans: levels, packages, signal values and hysteresis.
    pub fn check(&self, plans: &SectorPlans, field: impl Display + Copy, c: &mut Checker) {
        if self.levels.is_empty() {
            c.fail(
                format_args!("{field}.levels"),
                "must have at least one level",
                "[]".into(),
            );
        }
        c.unique(
            format_args!("{field}.levels"),
            ".name",
            self.levels.iter().map(|l| l.name.as_str()),
        );
        for (i, level) in self.levels.iter().enumerate() {
            let f = format_args!("{field}.levels[{i}]");
            plans.check_package(&level.package, format_args!("{f}.package"), c);
            for (part, values) in [
                ("enter_at", &level.enter_at),
                ("leave_below", &level.leave_below),
            ] {
                for (signal, &value) in values {
                    c.non_negative(format_args!("{f}.{part}.{}", signal.name()), value);
                }
            }
            if i > 0 && level.enter_at.is_empty() {
                c.fail(
                    format_args!("{f}.enter_at"),
                    "must name at least one signal value above level 0",
                    "{}".into(),
                );
            }
            for (signal, &leave) in &level.leave_below {
                if let Some(&enter) = level.enter_at.get(signal) {
                    if leave > enter {
                        c.fail(
                            format_args!("{f}.leave_below.{}", signal.name()),
                            format!("must be <= enter_at ({enter}) for hysteresis"),
                            format!("{leave}"),
                        );
                    }
                }
            }
        }
    }
}

/// Positions in [`Signal::ALL`] of the signals that count persons (not per head or per bed).
const COUNT_SIGNALS: [usize; 3] = [0, 1, 3];

/// A fixed package per region, with a national default for regions not named.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionalPackages {
    /// The package of every region not named in `regions`.
    #[serde(default)]
    pub default: Package,
    /// Region (code or name) -> its package.
    #[serde(default)]
    pub regions: BTreeMap<String, Package>,
}

/// What a run is governed by: a fixed package, a trigger policy, or a package per region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    Package(Package),
    Trigger(TriggerPolicy),
    Regional(RegionalPackages),
}

impl Policy {
    /// The levels of the policy (a package is a policy with one level that never changes; packages
    /// per region are levels `default`, then one per named region).
    fn levels(&self) -> Vec<(String, Package)> {
        match self {
            Policy::Package(p) => vec![("package".into(), p.clone())],
            Policy::Trigger(t) => t
                .levels
                .iter()
                .map(|l| (l.name.clone(), l.package.clone()))
                .collect(),
            Policy::Regional(r) => std::iter::once(("default".to_string(), r.default.clone()))
                .chain(r.regions.iter().map(|(k, p)| (k.clone(), p.clone())))
                .collect(),
        }
    }

    /// Checks the policy against the plans.
    pub fn check(&self, plans: &SectorPlans, c: &mut Checker) {
        match self {
            Policy::Package(p) => plans.check_package(p, "package", c),
            Policy::Trigger(t) => t.check(plans, "policy", c),
            Policy::Regional(r) => {
                plans.check_package(&r.default, "policy.default", c);
                for (region, p) in &r.regions {
                    plans.check_package(p, format_args!("policy.regions.{region}"), c);
                }
            }
        }
    }

    /// The name the policy goes by in results.
    pub fn name(&self) -> String {
        match self {
            Policy::Package(_) => "package".into(),
            Policy::Trigger(t) if t.regional => format!("{} (regional)", t.name),
            Policy::Trigger(t) => t.name.clone(),
            Policy::Regional(_) => "regional packages".into(),
        }
    }
}

/// A change of level decided by the controller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// Day on which the signal was read and the decision taken.
    pub day_decided: usize,
    /// Day from which the new level is in force.
    pub day_effective: usize,
    pub from_level: usize,
    pub to_level: usize,
    /// Which signal crossed which value, e.g. `icu_admissions_per_day 11.2 >= 10`.
    pub reason: String,
    /// The region the decision is for (regional policies); `None`: national.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// What the policy did during a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyRecord {
    pub name: String,
    /// Sector keys, in plan order.
    pub sectors: Vec<String>,
    /// Level names.
    pub levels: Vec<String>,
    /// General measures of each level (parallel to `levels`).
    #[serde(default)]
    pub general: Vec<Vec<String>>,
    /// Level in force per day.
    pub level: Vec<usize>,
    /// `days x sectors`: the rung in force per sector per day.
    pub rungs: Vec<Vec<usize>>,
    /// OxCGRT stringency index (0-100) per day.
    pub stringency: Vec<f64>,
    pub decisions: Vec<Decision>,
    /// Regional runs: `days x regions`, the level in force in each region (under a regional
    /// policy `level` and `rungs` show the highest level in force anywhere and `stringency` the
    /// population-weighted mean). Empty for the national model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub region_level: Vec<Vec<usize>>,
    /// Per level: the rung, the share of normal activity kept, of every sector (in plan order).
    #[serde(default)]
    pub level_rungs: Vec<Vec<usize>>,
    #[serde(default)]
    pub level_activity: Vec<Vec<f64>>,
    /// Per level: the flanking subsidies its general measures switch on.
    #[serde(default)]
    pub level_support: Vec<Vec<Support>>,
    /// Per level: the OxCGRT stringency index (0-100) and the cost of its behavioural levers
    /// (EUR/day, nationally).
    #[serde(default)]
    pub level_stringency: Vec<f64>,
    #[serde(default)]
    pub level_lever_cost: Vec<f64>,
    /// What the impacts need to know of each sector, copied from the plans so that they read the
    /// run alone.
    #[serde(default)]
    pub sector_parts: Vec<SectorPart>,
}

/// The parts of a plan sector that its impacts depend on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectorPart {
    pub name: String,
    /// Share of each NACE section (code -> share) whose output follows the sector's activity.
    #[serde(default)]
    pub economy: BTreeMap<String, f64>,
    /// Pupils or students taught in the sector (persons), for school sectors.
    #[serde(default)]
    pub pupils: Option<f64>,
    /// The age bands the sector's pupils belong to (empty: all).
    #[serde(default)]
    pub ages: Vec<String>,
}

impl PolicyRecord {
    /// The level in force in region `region` on day `day` (the national level for the national
    /// model).
    pub fn level_in(&self, day: usize, region: usize) -> usize {
        match self.region_level.get(day) {
            Some(levels) => levels[region],
            None => self.level[day],
        }
    }
}

impl PolicyRecord {
    /// Checks a record read back from JSON against the run's `days` and `regions`: one entry per
    /// day, per sector, per level and per region, levels that exist, finite numbers.
    pub fn check(&self, days: usize, regions: usize, c: &mut Checker) {
        let levels = self.levels.len();
        let per_day = [
            ("level", self.level.len()),
            ("rungs", self.rungs.len()),
            ("stringency", self.stringency.len()),
        ];
        for (field, len) in per_day {
            c.length(format_args!("run.policy.{field}"), len, days, "day");
        }
        if let Some(i) = self
            .rungs
            .iter()
            .position(|r| r.len() != self.sectors.len())
        {
            c.length(
                format_args!("run.policy.rungs[{i}]"),
                self.rungs[i].len(),
                self.sectors.len(),
                "sector",
            );
        }
        let in_range = |v: &usize| *v < levels;
        if !self.level.iter().all(in_range) || !self.region_level.iter().flatten().all(in_range) {
            c.fail(
                "run.policy.level",
                format!("must name one of the {levels} levels"),
                String::new(),
            );
        }
        if !self.region_level.is_empty() {
            c.rows(
                "run.policy.region_level",
                &self.region_level,
                days,
                regions,
                "regions",
            );
        }
        // Per-level fields may be absent (older records) but never of another length.
        let per_level = [
            ("general", self.general.len()),
            ("level_rungs", self.level_rungs.len()),
            ("level_activity", self.level_activity.len()),
            ("level_support", self.level_support.len()),
            ("level_stringency", self.level_stringency.len()),
            ("level_lever_cost", self.level_lever_cost.len()),
        ];
        for (field, len) in per_level {
            if len != 0 {
                c.length(format_args!("run.policy.{field}"), len, levels, "level");
            }
        }
        let rows = self
            .level_rungs
            .iter()
            .map(Vec::len)
            .chain(self.level_activity.iter().map(Vec::len));
        if rows.into_iter().any(|n| n != self.sectors.len()) {
            c.fail(
                "run.policy.level_rungs",
                "must hold one entry per sector",
                String::new(),
            );
        }
        if !self.sector_parts.is_empty() {
            c.length(
                "run.policy.sector_parts",
                self.sector_parts.len(),
                self.sectors.len(),
                "sector",
            );
        }
        let numbers = self
            .stringency
            .iter()
            .chain(self.level_activity.iter().flatten());
        let numbers = numbers
            .chain(&self.level_stringency)
            .chain(&self.level_lever_cost);
        if let Some(bad) = numbers.copied().find(|x| !x.is_finite()) {
            c.fail("run.policy", "every number must be finite", bad.to_string());
        }
    }
}

/// The decision state of one controller (the nation, or one region): the level in force (counted
/// from the day's first level under a timeline), the day it took effect, and a decision taken but
/// not yet in force.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Controller {
    pub level: usize,
    /// Day the current level took effect.
    pub since: usize,
    pub pending: Option<Decision>,
}

impl Controller {
    /// Applies a decision due today, then decides on today's signals.
    fn step(
        &mut self,
        policy: &TriggerPolicy,
        day: usize,
        signals: &Signals,
        region: Option<&str>,
        decisions: &mut Vec<Decision>,
    ) {
        // A decision due today takes effect before the day is simulated.
        if self
            .pending
            .as_ref()
            .is_some_and(|p| p.day_effective == day)
        {
            let decision = self.pending.take().expect("pending decision");
            self.level = decision.to_level;
            self.since = day;
            decisions.push(decision);
        }
        if self.pending.is_some() {
            return;
        }
        if let Some((to, reason)) = decide(policy, self.level, signals) {
            // In force after the decision delay, and not before the current level has been in
            // force for its minimum time.
            let day_effective = (day + policy.decision_delay_days as usize)
                .max(self.since + policy.min_days_at_level as usize);
            let decision = Decision {
                day_decided: day,
                day_effective,
                from_level: self.level,
                to_level: to,
                reason,
                region: region.map(str::to_string),
            };
            if day_effective == day {
                self.level = to;
                self.since = day;
                decisions.push(decision);
            } else {
                self.pending = Some(decision);
            }
        }
    }
}

/// The measures side of the closed loop under a policy ([`crate::run`]): each day it takes the
/// signals, lets the controllers decide, and sets the package in force in every region, with the
/// preparedness levers it names. In a regional model a national policy puts every region on the
/// same level; a regional trigger policy (or packages per region) gives every region its own.
pub struct Governor<'a> {
    trigger: Option<&'a TriggerPolicy>,
    /// Per level: what the package does to contacts, its rungs, stringency and behavioural levers
    /// (effect and cost per day).
    effects: Vec<DayEffects>,
    rungs: Vec<Vec<usize>>,
    stringency: Vec<f64>,
    levers: Vec<(LeverEffect, f64)>,
    /// Preparedness levers named anywhere in the policy, which of them each level names, and
    /// their schedule.
    prep_names: Vec<String>,
    prep_in_level: Vec<Vec<bool>>,
    schedule: Option<Schedule>,
    /// One controller for the nation, or one per region.
    controllers: Vec<Controller>,
    /// Under a timeline: per day, the first of the day's levels (the entry in force times the
    /// number of the policy's levels); empty without a timeline.
    day_offset: Vec<usize>,
    regional: bool,
    /// Population share and name of every region (one entry for the national model).
    weights: Vec<f64>,
    names: Vec<String>,
    record: PolicyRecord,
}

impl<'a> Governor<'a> {
    /// Checks the policy against the plans and prepares every level.
    pub fn new(
        model: &Model,
        plans: &SectorPlans,
        policy: &'a Policy,
        days: usize,
    ) -> crate::error::Result<Self> {
        Self::scheduled(model, plans, policy, None, days)
    }

    /// As [`Governor::new`], with the packages of a timeline by date
    /// ([`crate::measures::timeline`]): the levels are the pairs (entry in force during the run,
    /// level of the policy), each with the package [`stricter`] makes of the two, and on each day
    /// the entry in force on its date and the policy's level decide. The scenario must be dated
    /// (`scenario.start_date`), on or after the first entry. `alone`: the policy is no more than
    /// the timeline's companion (the default package), so levels and the record are named after
    /// the timeline alone.
    pub fn scheduled(
        model: &Model,
        plans: &SectorPlans,
        policy: &'a Policy,
        timeline: Option<(&Timeline, bool)>,
        days: usize,
    ) -> crate::error::Result<Self> {
        let mut check = Checker::new();
        policy.check(plans, &mut check);
        if let Some((t, _)) = timeline {
            t.check(plans, &mut check);
        }
        check.finish()?;
        let cal = model.calibration();
        let mut levels = policy.levels();
        let mut day_offset = Vec::new();
        let mut record_name = None;
        if let Some((t, alone)) = timeline {
            let Some(start) = model.scenario().start_date else {
                return Err(crate::error::Error::field(
                    "scenario.start_date".into(),
                    "is required for a run with a timeline (packages are scheduled by date)".into(),
                    String::new(),
                ));
            };
            let schedule = t.schedule(start, days, "scenario.start_date")?;
            let first = schedule.first().copied().unwrap_or(0);
            let last = schedule.last().copied().unwrap_or(first);
            let n = levels.len();
            day_offset = schedule.iter().map(|e| (e - first) * n).collect();
            levels = t.entries[first..=last]
                .iter()
                .flat_map(|entry| {
                    let name = format!("{} {}", entry.date, entry.name);
                    levels.iter().map(move |(level, package)| {
                        let combined = stricter(&entry.package, package);
                        if alone {
                            (name.clone(), combined)
                        } else {
                            (format!("{name} + {level}"), combined)
                        }
                    })
                })
                .collect();
            record_name = Some(if alone {
                t.name.clone()
            } else {
                format!("{} + {}", t.name, policy.name())
            });
        }
        let effects = levels
            .iter()
            .map(|(_, p)| plans.contact_effect(p, cal))
            .collect::<crate::error::Result<Vec<_>>>()?;
        let rungs: Vec<Vec<usize>> = levels.iter().map(|(_, p)| plans.rungs_of(p)).collect();
        let stringency: Vec<f64> = levels.iter().map(|(_, p)| plans.stringency(p)).collect();
        let trigger = match policy {
            Policy::Trigger(t) => Some(t),
            _ => None,
        };
        let levers: Vec<_> = levels.iter().map(|(_, p)| plans.levers(p)).collect();
        let mut prep_names: Vec<String> = Vec::new();
        for (_, p) in &levels {
            for name in plans.levers_of(p) {
                if !prep_names.contains(&name) {
                    prep_names.push(name);
                }
            }
        }
        let prep_in_level: Vec<Vec<bool>> = levels
            .iter()
            .map(|(_, p)| prep_names.iter().map(|n| p.general.contains(n)).collect())
            .collect();
        let schedule = match &plans.preparedness {
            Some(prep) if !prep_names.is_empty() => Some(Schedule::new(prep, &prep_names, model)?),
            _ => None,
        };
        let geo = model.geography();
        let n_regions = model.regions();
        let controllers = match (policy, geo) {
            (Policy::Trigger(t), Some(_)) if t.regional => vec![Controller::default(); n_regions],
            (Policy::Regional(r), geo) => {
                let mut start = vec![Controller::default(); n_regions];
                for (i, key) in r.regions.keys().enumerate() {
                    let region = match geo {
                        Some(g) => g
                            .codes
                            .iter()
                            .zip(&g.names)
                            .position(|(c, n)| c == key || n == key),
                        None => None,
                    };
                    let Some(region) = region else {
                        let valid = geo.map_or_else(Vec::new, |g| g.names.clone());
                        return Err(crate::error::Error::field(
                            format!("policy.regions.{key}"),
                            if valid.is_empty() {
                                "packages per region need a calibration with regions (Calibration.netherlands(regions=True))".into()
                            } else {
                                format!("unknown region; valid: {}", valid.join(", "))
                            },
                            format!("{key:?}"),
                        ));
                    };
                    start[region].level = i + 1;
                }
                start
            }
            _ => vec![Controller::default()],
        };
        let regional = controllers.len() > 1;
        let weights: Vec<f64> = match geo {
            Some(g) => {
                let total: f64 = g.region_population.iter().sum();
                g.region_population.iter().map(|p| p / total).collect()
            }
            None => vec![1.0],
        };
        let names: Vec<String> = geo.map_or_else(Vec::new, |g| g.names.clone());
        let record = PolicyRecord {
            name: record_name
                .unwrap_or_else(|| trigger.map_or_else(|| policy.name(), |t| t.name.clone())),
            sectors: plans.sectors.iter().map(|s| s.name.clone()).collect(),
            levels: levels.iter().map(|(n, _)| n.clone()).collect(),
            general: levels.iter().map(|(_, p)| p.general.clone()).collect(),
            level: Vec::with_capacity(days),
            rungs: Vec::with_capacity(days),
            stringency: Vec::with_capacity(days),
            decisions: Vec::new(),
            region_level: Vec::new(),
            level_rungs: rungs.clone(),
            level_activity: levels.iter().map(|(_, p)| plans.activity(p)).collect(),
            level_support: levels
                .iter()
                .map(|(_, p)| plans.support(&p.general))
                .collect(),
            level_stringency: stringency.clone(),
            level_lever_cost: levers.iter().map(|l| l.1).collect(),
            sector_parts: plans
                .sectors
                .iter()
                .map(|s| SectorPart {
                    name: s.name.clone(),
                    economy: s.economy.clone(),
                    pupils: s.pupils,
                    ages: s.ages.clone(),
                })
                .collect(),
        };
        Ok(Governor {
            trigger,
            effects,
            rungs,
            stringency,
            levers,
            prep_names,
            prep_in_level,
            schedule,
            controllers,
            day_offset,
            regional,
            weights,
            names,
            record,
        })
    }

    /// Decides the day's measures from the signals read at its start: sets the effects and the
    /// behavioural levers of every region and returns what the measures contribute to behaviour.
    pub fn day(
        &mut self,
        day: usize,
        signals: &Signals,
        region_signals: &[Signals],
        m: &mut [DayEffects],
        lever_effects: &mut [LeverEffect],
    ) -> MeasureDay {
        let Governor {
            trigger,
            effects,
            rungs,
            stringency,
            levers,
            prep_names,
            prep_in_level,
            schedule,
            controllers,
            day_offset,
            regional,
            weights,
            names,
            record,
        } = self;
        let regional = *regional;
        // The first of today's levels under a timeline (0 without one); a controller's level is
        // counted from it.
        let at = day_offset.get(day).copied().unwrap_or(0);
        if let Some(t) = trigger {
            if regional {
                for (r, controller) in controllers.iter_mut().enumerate() {
                    let name = names.get(r).map(String::as_str);
                    // Regional signal values: counts are compared per head, as national
                    // equivalents (40 admissions a day nationally = 40 N_r / N in region r).
                    let mut own = region_signals[r];
                    for i in COUNT_SIGNALS {
                        own[i] /= weights[r];
                    }
                    controller.step(t, day, &own, name, &mut record.decisions);
                }
            } else {
                controllers[0].step(t, day, signals, None, &mut record.decisions);
            }
        }
        let top = at + controllers.iter().map(|c| c.level).max().unwrap_or(0);
        if regional {
            let each = m.iter_mut().zip(lever_effects.iter_mut());
            for ((out, lever), controller) in each.zip(controllers.iter()) {
                out.clone_from(&effects[at + controller.level]);
                *lever = levers[at + controller.level].0;
            }
            record
                .region_level
                .push(controllers.iter().map(|c| at + c.level).collect());
        } else {
            for (out, lever) in m.iter_mut().zip(lever_effects.iter_mut()) {
                out.clone_from(&effects[top]);
                *lever = levers[top].0;
            }
            if !names.is_empty() {
                record.region_level.push(vec![top; names.len()]);
            }
        }
        if let Some(schedule) = schedule.as_mut() {
            // A lever is ordered and paid while any region's level (or the national level) names
            // it. Testing acts in the regions whose level names it; capacity, care at home and
            // faster vaccination act nationally.
            let in_force: Vec<bool> = (0..prep_names.len())
                .map(|k| {
                    if regional {
                        controllers.iter().any(|c| prep_in_level[at + c.level][k])
                    } else {
                        prep_in_level[top][k]
                    }
                })
                .collect();
            let (care, kept) = schedule.day(day, &in_force);
            for (r, out) in m.iter_mut().enumerate() {
                out.care = care;
                let kept = if regional {
                    schedule.testing_kept(&prep_in_level[at + controllers[r].level])
                } else {
                    kept
                };
                for (x, k) in out.setting.iter_mut().zip(kept) {
                    *x *= k;
                }
            }
        }
        let mean_stringency: f64 = if regional {
            controllers
                .iter()
                .zip(weights.iter())
                .map(|(c, w)| w * stringency[at + c.level])
                .sum()
        } else {
            stringency[top]
        };
        let lever_cost: f64 = if regional {
            controllers
                .iter()
                .zip(weights.iter())
                .map(|(c, w)| w * levers[at + c.level].1)
                .sum()
        } else {
            levers[top].1
        };
        record.level.push(top);
        record.rungs.push(rungs[top].clone());
        record.stringency.push(mean_stringency);
        MeasureDay {
            stringency: mean_stringency,
            lever_cost,
        }
    }

    /// What the policy did, and what its preparedness levers did.
    pub fn finish(self) -> (PolicyRecord, Option<PreparednessRecord>) {
        (self.record, self.schedule.map(Schedule::finish))
    }

    /// What the governor carries to the next day, for a snapshot: its controllers and, per
    /// preparedness lever (by name), the day it was ordered.
    pub fn memory(&self) -> GovernorMemory {
        GovernorMemory {
            first_level: 0,
            controllers: self.controllers.clone(),
            ordered: self
                .schedule
                .as_ref()
                .map(|s| self.prep_names.iter().cloned().zip(s.since()).collect())
                .unwrap_or_default(),
        }
    }

    /// Takes up from a snapshot at the start of day `day`. Preparedness levers it shares with the
    /// snapshot's policy (by name) keep the day they were ordered. Under the `same` policy its
    /// controllers go on where they were, and with `records` (the days so far, all under this
    /// policy) so does its record, so that the run is the uninterrupted one; under another policy
    /// the controllers start from their initial levels.
    pub fn resume(
        &mut self,
        day: usize,
        memory: &GovernorMemory,
        same: bool,
        records: Option<(PolicyRecord, Option<PreparednessRecord>)>,
    ) -> crate::error::Result<()> {
        let mut c = Checker::new();
        if let Some(schedule) = self.schedule.as_mut() {
            for (name, since) in &memory.ordered {
                if since.is_some_and(|s| s >= day) {
                    c.fail(
                        format_args!("snapshot.measures.governor.ordered.{name}"),
                        format!("must be before the snapshot's day {day}"),
                        format!("{since:?}"),
                    );
                }
                if let Some(i) = self.prep_names.iter().position(|n| n == name) {
                    schedule.order(i, *since);
                }
            }
        }
        if !same {
            return c.finish();
        }
        let levels = self.record.levels.len();
        // Under a timeline a controller's level is counted from the day's first level.
        let per_entry = levels - self.day_offset.iter().max().copied().unwrap_or(0);
        if c.length(
            "snapshot.measures.governor.controllers",
            memory.controllers.len(),
            self.controllers.len(),
            "controller",
        ) {
            for (i, k) in memory.controllers.iter().enumerate() {
                let top = k
                    .pending
                    .as_ref()
                    .map_or(k.level, |p| p.to_level.max(k.level));
                let late = k.pending.as_ref().is_some_and(|p| p.day_effective < day);
                if top >= per_entry || k.since >= day || late {
                    c.fail(format_args!("snapshot.measures.governor.controllers[{i}]"), format!("must name one of the {per_entry} levels, a day before the snapshot's ({day}) and no decision overdue"), format!("{k:?}"));
                }
            }
        }
        let Some((record, prep)) = records else {
            c.finish()?;
            self.controllers.clone_from(&memory.controllers);
            return Ok(());
        };
        if record.levels.len() > levels
            || record.levels[..] != self.record.levels[..record.levels.len()]
        {
            c.fail(
                "snapshot.run.policy.levels",
                "must be those of the policy the snapshot continues",
                format!("{:?}", record.levels),
            );
        }
        let prep_names: Vec<&str> = prep
            .iter()
            .flat_map(|p| p.levers.iter().map(|l| l.name.as_str()))
            .collect();
        let own: Vec<&str> = self.prep_names.iter().map(String::as_str).collect();
        if prep_names.len() > own.len() || prep_names[..] != own[..prep_names.len()] {
            c.fail(
                "snapshot.run.preparedness.levers",
                "must be those of the policy the snapshot continues",
                format!("{prep_names:?}"),
            );
        }
        c.finish()?;
        self.controllers.clone_from(&memory.controllers);
        let PolicyRecord {
            level,
            rungs,
            stringency,
            decisions,
            region_level,
            ..
        } = record;
        self.record.level = level;
        self.record.rungs = rungs;
        self.record.stringency = stringency;
        self.record.decisions = decisions;
        self.record.region_level = region_level;
        if let (Some(schedule), Some(prep)) = (self.schedule.as_mut(), prep) {
            schedule.resume(prep);
        }
        Ok(())
    }
}

/// What a [`Governor`] carries from one day to the next ([`Governor::memory`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GovernorMemory {
    pub controllers: Vec<Controller>,
    /// Where this policy's levels start in the run's record (after the levels of earlier
    /// policies, [`PolicyRecord::then`]; 0 when it governed the run from day 0).
    #[serde(default)]
    pub first_level: usize,
    /// Per preparedness lever the policy names: the day it was ordered, while it is.
    pub ordered: Vec<(String, Option<usize>)>,
}

impl PolicyRecord {
    /// The record of a run whose policy changed after the days of `self`: its days, then those of
    /// `next`, whose levels are numbered after this record's own (and named with `from`, the day
    /// or date the change took effect). The sectors must be the same.
    pub fn then(mut self, next: PolicyRecord, from: &str) -> crate::error::Result<PolicyRecord> {
        let offset = self.levels.len();
        self.name = format!("{}, from {from} {}", self.name, next.name);
        let named = next.levels.iter().map(|l| format!("from {from}: {l}"));
        self.levels.extend(named);
        self.general.extend(next.general.iter().cloned());
        self.level_rungs.extend(next.level_rungs.iter().cloned());
        self.level_activity
            .extend(next.level_activity.iter().cloned());
        self.level_support
            .extend(next.level_support.iter().cloned());
        self.level_stringency.extend(&next.level_stringency);
        self.level_lever_cost.extend(&next.level_lever_cost);
        self.extend_at(next, offset)
    }

    /// A record of `days` days without measures, for the part of a run without a policy: one
    /// level, every sector on rung 0 with all its activity, stringency 0, no levers (the sectors
    /// are this record's; `regions`: the run's regions, 0 for the national model).
    pub fn idle(&self, days: usize, regions: usize) -> PolicyRecord {
        let sectors = self.sectors.len();
        PolicyRecord {
            name: "no measures".into(),
            sectors: self.sectors.clone(),
            levels: vec!["no measures".into()],
            general: vec![Vec::new()],
            level: vec![0; days],
            rungs: vec![vec![0; sectors]; days],
            stringency: vec![0.0; days],
            decisions: Vec::new(),
            region_level: if regions > 0 {
                vec![vec![0; regions]; days]
            } else {
                Vec::new()
            },
            level_rungs: vec![vec![0; sectors]],
            level_activity: vec![vec![1.0; sectors]],
            level_support: vec![Vec::new()],
            level_stringency: vec![0.0],
            level_lever_cost: vec![0.0],
            sector_parts: self.sector_parts.clone(),
        }
    }

    /// The record of a run that goes on under a policy whose levels this record holds from
    /// `offset` on: its days, then those of `next` (a record of that policy alone).
    pub fn extend_at(
        mut self,
        next: PolicyRecord,
        offset: usize,
    ) -> crate::error::Result<PolicyRecord> {
        if next.sectors != self.sectors || offset + next.levels.len() > self.levels.len() {
            return Err(crate::error::Error::field(
                "policy".into(),
                "must be made from sector plans with the snapshot's sectors".into(),
                format!("{:?}", next.sectors),
            ));
        }
        self.level.extend(next.level.iter().map(|l| l + offset));
        self.rungs.extend(next.rungs);
        self.stringency.extend(next.stringency);
        self.decisions
            .extend(next.decisions.into_iter().map(|mut d| {
                d.from_level += offset;
                d.to_level += offset;
                d
            }));
        let regions = next.region_level.into_iter();
        self.region_level
            .extend(regions.map(|r| r.into_iter().map(|l| l + offset).collect()));
        Ok(self)
    }
}

/// The level the signals call for, if different from `level`, with the reason.
fn decide(policy: &TriggerPolicy, level: usize, signals: &Signals) -> Option<(usize, String)> {
    let value = |s: Signal| crate::epidemic::signals::value(signals, s);
    for (to, candidate) in policy.levels.iter().enumerate().skip(level + 1).rev() {
        for (&signal, &threshold) in &candidate.enter_at {
            if value(signal) >= threshold {
                return Some((
                    to,
                    format!("{} {:.3} >= {threshold}", signal.name(), value(signal)),
                ));
            }
        }
    }
    let current = &policy.levels[level];
    if level > 0 && !current.leave_below.is_empty() {
        let all_below = current.leave_below.iter().all(|(&s, &v)| value(s) < v);
        if all_below {
            let reason = current
                .leave_below
                .iter()
                .map(|(&s, &v)| format!("{} {:.3} < {v}", s.name(), value(s)))
                .collect::<Vec<_>>()
                .join(", ");
            return Some((level - 1, reason));
        }
    }
    None
}
