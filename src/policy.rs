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

use serde::{Deserialize, Serialize};

use crate::behaviour::MeasureDay;
use crate::plans::{Package, SectorPlans};
use crate::signals::Signals;
use crate::validate::Checker;

/// An indicator a trigger policy can watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// Hospital admissions per day, mean of the last 7 days (persons/day).
    HospitalAdmissionsPerDay,
    /// ICU admissions per day, mean of the last 7 days (persons/day).
    IcuAdmissionsPerDay,
    /// Hospital admissions per 100,000 inhabitants in the last 7 days.
    #[serde(rename = "hospital_admissions_per_100k_per_week")]
    HospitalAdmissionsPer100kPerWeek,
    /// COVID-19 patients in ICU at the end of the day (persons).
    IcuOccupancy,
    /// COVID-19 patients in ICU as a share of the scaled-up ICU capacity.
    IcuOccupancyShare,
    /// COVID-19 patients in clinical beds as a share of the scaled-up clinical capacity.
    HospitalOccupancyShare,
}

impl Signal {
    pub const ALL: [Signal; 6] = [
        Signal::HospitalAdmissionsPerDay,
        Signal::IcuAdmissionsPerDay,
        Signal::HospitalAdmissionsPer100kPerWeek,
        Signal::IcuOccupancy,
        Signal::IcuOccupancyShare,
        Signal::HospitalOccupancyShare,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Signal::HospitalAdmissionsPerDay => "hospital_admissions_per_day",
            Signal::IcuAdmissionsPerDay => "icu_admissions_per_day",
            Signal::HospitalAdmissionsPer100kPerWeek => "hospital_admissions_per_100k_per_week",
            Signal::IcuOccupancy => "icu_occupancy",
            Signal::IcuOccupancyShare => "icu_occupancy_share",
            Signal::HospitalOccupancyShare => "hospital_occupancy_share",
        }
    }
}

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
}

impl TriggerPolicy {
    /// Checks the policy against the plans: levels, packages, signal values and hysteresis.
    pub fn check(&self, plans: &SectorPlans, field: &str, c: &mut Checker) {
        if self.levels.is_empty() {
            c.fail(
                format!("{field}.levels"),
                "must have at least one level",
                "[]".into(),
            );
        }
        for (i, level) in self.levels.iter().enumerate() {
            let f = format!("{field}.levels[{i}]");
            plans.check_package(&level.package, &format!("{f}.package"), c);
            for (part, values) in [
                ("enter_at", &level.enter_at),
                ("leave_below", &level.leave_below),
            ] {
                for (signal, &value) in values {
                    c.non_negative(&format!("{f}.{part}.{}", signal.name()), value);
                }
            }
            if i > 0 && level.enter_at.is_empty() {
                c.fail(
                    format!("{f}.enter_at"),
                    "must name at least one signal value above level 0",
                    "{}".into(),
                );
            }
            for (signal, &leave) in &level.leave_below {
                if let Some(&enter) = level.enter_at.get(signal) {
                    if leave > enter {
                        c.fail(
                            format!("{f}.leave_below.{}", signal.name()),
                            format!("must be <= enter_at ({enter}) for hysteresis"),
                            format!("{leave}"),
                        );
                    }
                }
            }
        }
    }
}

/// What a run is governed by: a fixed package or a trigger policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    Package(Package),
    Trigger(TriggerPolicy),
}

impl Policy {
    /// The levels of the policy (a package is a policy with one level that never changes).
    fn levels(&self) -> Vec<(String, Package)> {
        match self {
            Policy::Package(p) => vec![("package".into(), p.clone())],
            Policy::Trigger(t) => t
                .levels
                .iter()
                .map(|l| (l.name.clone(), l.package.clone()))
                .collect(),
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
}

/// Runs a model under a policy: the controller sets the package in force each day (closed loop).
pub fn run(
    model: &crate::Model,
    plans: &SectorPlans,
    policy: &Policy,
    days: usize,
) -> crate::Result<crate::Trajectory> {
    let mut check = Checker::new();
    match policy {
        Policy::Package(p) => plans.check_package(p, "package", &mut check),
        Policy::Trigger(t) => t.check(plans, "policy", &mut check),
    }
    check.finish()?;
    let cal = model.calibration();
    let levels = policy.levels();
    let effects = levels
        .iter()
        .map(|(_, p)| plans.contact_effect(p, cal))
        .collect::<crate::Result<Vec<_>>>()?;
    let rungs: Vec<Vec<usize>> = levels.iter().map(|(_, p)| plans.rungs_of(p)).collect();
    let stringency: Vec<f64> = levels.iter().map(|(_, p)| plans.stringency(p)).collect();
    let trigger = match policy {
        Policy::Trigger(t) => Some(t),
        Policy::Package(_) => None,
    };
    let levers: Vec<_> = levels.iter().map(|(_, p)| plans.levers(p)).collect();
    let mut level = 0;
    let mut since = 0; // day the current level took effect
    let mut pending: Option<Decision> = None;
    let mut record = PolicyRecord {
        name: trigger.map_or_else(|| "package".into(), |t| t.name.clone()),
        sectors: plans.sectors.iter().map(|s| s.name.clone()).collect(),
        levels: levels.iter().map(|(n, _)| n.clone()).collect(),
        general: levels.iter().map(|(_, p)| p.general.clone()).collect(),
        level: Vec::with_capacity(days),
        rungs: Vec::with_capacity(days),
        stringency: Vec::with_capacity(days),
        decisions: Vec::new(),
    };
    let mut control = |day: usize, signals: &Signals, m: &mut crate::model::DayEffects| {
        // A decision due today takes effect before the day is simulated.
        if let Some(t) = trigger {
            if pending.as_ref().is_some_and(|p| p.day_effective == day) {
                let decision = pending.take().expect("pending decision");
                level = decision.to_level;
                since = day;
                record.decisions.push(decision);
            }
            if pending.is_none() {
                if let Some((to, reason)) = decide(t, level, signals) {
                    // In force after the decision delay, and not before the current level has
                    // been in force for its minimum time.
                    let day_effective = (day + t.decision_delay_days as usize)
                        .max(since + t.min_days_at_level as usize);
                    let decision = Decision {
                        day_decided: day,
                        day_effective,
                        from_level: level,
                        to_level: to,
                        reason,
                    };
                    if day_effective == day {
                        level = to;
                        since = day;
                        record.decisions.push(decision);
                    } else {
                        pending = Some(decision);
                    }
                }
            }
        }
        m.clone_from(&effects[level]);
        record.level.push(level);
        record.rungs.push(rungs[level].clone());
        record.stringency.push(stringency[level]);
        MeasureDay {
            stringency: stringency[level],
            levers: levers[level].0,
            lever_cost: levers[level].1,
        }
    };
    let mut trajectory = crate::behaviour::run(model, days, &mut control)?;
    trajectory.policy = Some(record);
    Ok(trajectory)
}

/// The level the signals call for, if different from `level`, with the reason.
fn decide(policy: &TriggerPolicy, level: usize, signals: &Signals) -> Option<(usize, String)> {
    let value = |s: Signal| crate::signals::value(signals, s);
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
