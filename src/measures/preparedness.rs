//! Preparedness levers: care and vaccination capacity bought for bad times. Each lever has a cost
//! (EUR), a lead time (days) and a documented effect; the Dutch defaults are in
//! `data/netherlands/preparedness.json`, every figure with its source and year or marked as an
//! assumption with its reasoning.
//!
//! A lever is named like a general measure in a package's `general` list (so it can sit in a
//! static package, in a level of a trigger policy or in a region's package). It is **ordered** on
//! the first day a package naming it is in force (anywhere, in a regional run: the levers act
//! nationally) and **acts** once it has been in force for `lead_time_days` without a break; when
//! no package in force names it any more it stops, and a new order pays the setup cost and waits
//! the lead time again.
//!
//! Effects, on the days a lever acts:
//!
//! ```text
//! ICU step      C_icu(t) = max(C_cal, icu_beds - icu_non_covid_patients)        COVID ICU beds
//! ward step     C_ward(t) = max(C_ward_cal, hospital_beds)                      COVID clinical beds
//! care at home  ward_days(t) = ward_days - sum eligible_share * days_saved      mean ward stay
//! testing       kept_s(t) = prod (1 - detected_share * min(days_earlier, D) / D * w_s)
//!               (D the variant's infectious period, w_home = home_weight, other settings 1;
//!               a contact factor on the measures, scaled by compliance like isolation)
//! vaccination   start_c(t) = start_c - days_earlier,  doses_c(t) = doses_c + extra_doses_per_day
//!               for every campaign c of the scenario
//! ```
//!
//! The ICU capacity acts on overflow mortality (and, in a regional run, on the spreading of
//! patients, each region holding its share of the national beds); ward capacity on the days above
//! capacity. Signals and perceived risk keep reading occupancy against the calibration's scaled
//! capacity, so a lever changes outcomes through care only, not by relaxing a trigger policy.
//!
//! **Displaced regular care.** Every bed a step opens beyond the calibrated capacity displaces
//! regular care (operating rooms closed, staff moved) whether a COVID-19 patient lies in it or not.
//! Occupied beds are already counted by the postponed-care indicator of [`crate::inputs::society`] (per
//! COVID-19 bed-day); the empty opened beds are counted here and priced there the same way (as
//! operations not performed, `society.postponed_care`), so every opened bed displaces care once:
//!
//! ```text
//! E_d = C(d) - C_cal,   O_d = clamp(occupancy_d - C_cal, 0, E_d)
//! displaced bed-days = sum_d (E_d - O_d)             (ICU and clinical apart)
//! ```
//!
//! **Cost** (EUR), in the socio-economic dimension (indicator `preparedness_cost`, priced by the
//! valuation's `preparedness_cost_weight`):
//!
//! ```text
//! every lever    setup_cost per order
//! ICU/ward step  cost_per_extra_bed * E per order + cost_per_extra_bed_day * E per day it acts
//!                (when several steps are in force, the largest acts and is charged per day)
//! care at home   cost_per_patient * eligible_share * ward admissions on the days it acts
//! testing        extra_tests_per_day * cost_per_test per day it acts
//! vaccination    extra_doses_per_day * cost_per_dose per day it acts (capacity, used or not)
//! ```

use std::fmt::Display;

use serde::{Deserialize, Serialize};

use crate::epidemic::model::Care;
use crate::epidemic::trajectory::Trajectory;
use crate::error::{from_json, Error, Result};
use crate::inputs::source::Sources;
use crate::inputs::validate::Checker;

/// Extra beds of a scale-up step and what they cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Beds {
    /// ICU step: total ICU beds of the step (all patients; the COVID-19 beds are this less
    /// `icu_non_covid_patients`). Ward step: clinical beds for COVID-19 patients after the step.
    pub beds: f64,
    /// Setup cost per bed beyond the calibrated capacity, per order (EUR/bed).
    pub cost_per_extra_bed: f64,
    /// Running cost per bed beyond the calibrated capacity per day the step acts (EUR/bed/day),
    /// on top of the treatment cost of occupied beds (valued per bed-day by the valuation).
    pub cost_per_extra_bed_day: f64,
}

/// What a lever does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Effect {
    /// An ICU scale-up step.
    IcuBeds(Beds),
    /// A clinical (ward) scale-up step.
    WardBeds(Beds),
    /// Care at home with oxygen and monitoring: eligible ward patients go home earlier.
    HomeCare {
        /// Share of ward admissions that is eligible (0-1).
        eligible_share: f64,
        /// Ward days saved per eligible patient (days).
        days_saved: f64,
        /// Cost per eligible patient (EUR/patient): monitoring kit, oxygen, nurse calls.
        cost_per_patient: f64,
    },
    /// More test capacity: detected cases isolate earlier.
    Testing {
        /// Share of infections detected by a test and isolated (0-1).
        detected_share: f64,
        /// Days by which detected cases isolate earlier (days).
        days_earlier: f64,
        /// Weight of the reduction at home (0-1): isolation at home still exposes the household.
        home_weight: f64,
        /// Extra tests per day of capacity (tests/day).
        extra_tests_per_day: f64,
        /// Cost per test of capacity (EUR/test).
        cost_per_test: f64,
    },
    /// Faster vaccination: campaigns start earlier and give more doses a day.
    Vaccination {
        /// Days by which every campaign of the scenario starts earlier (days).
        days_earlier: f64,
        /// Extra doses per day for every active campaign (doses/day).
        extra_doses_per_day: f64,
        /// Cost per dose of daily capacity per day (EUR/dose): staff and locations.
        cost_per_dose: f64,
    },
}

impl Effect {
    pub fn kind(&self) -> &'static str {
        match self {
            Effect::IcuBeds(_) => "icu_beds",
            Effect::WardBeds(_) => "ward_beds",
            Effect::HomeCare { .. } => "home_care",
            Effect::Testing { .. } => "testing",
            Effect::Vaccination { .. } => "vaccination",
        }
    }
}

/// A preparedness lever.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lever {
    /// Key used in packages, e.g. `"icu_opschaling_1700"`.
    pub name: String,
    pub label: String,
    /// Days from the order (first day in force) until it acts.
    pub lead_time_days: f64,
    /// One-off cost per order (EUR).
    pub setup_cost: f64,
    pub effect: Effect,
}

/// The preparedness levers of a country (`data/netherlands/preparedness.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preparedness {
    /// Non-COVID-19 patients in ICU during a scale-up (persons): an ICU step of `beds` total beds
    /// gives `beds - icu_non_covid_patients` beds for COVID-19 patients.
    pub icu_non_covid_patients: f64,
    pub levers: Vec<Lever>,
    #[serde(default)]
    pub sources: Sources,
}

const NETHERLANDS: &str = include_str!("../../data/netherlands/preparedness.json");

impl Preparedness {
    /// The embedded Dutch levers.
    pub fn netherlands() -> Preparedness {
        let p: Preparedness =
            from_json("preparedness", NETHERLANDS).expect("embedded levers parse");
        let mut c = Checker::new();
        p.check("preparedness", &mut c);
        c.finish().expect("embedded levers are valid");
        p
    }

    pub fn lever(&self, name: &str) -> Option<&Lever> {
        self.levers.iter().find(|l| l.name == name)
    }

    /// Checks every figure; errors name the field (`plans.preparedness.levers[2].lead_time_days`).
    pub fn check(&self, field: impl Display + Copy, c: &mut Checker) {
        c.non_negative(
            format_args!("{field}.icu_non_covid_patients"),
            self.icu_non_covid_patients,
        );
        let mut seen = std::collections::BTreeSet::new();
        for (i, l) in self.levers.iter().enumerate() {
            let f = format_args!("{field}.levers[{i}]");
            if !seen.insert(l.name.as_str()) {
                c.fail(
                    format_args!("{f}.name"),
                    "is a duplicate",
                    format!("{:?}", l.name),
                );
            }
            c.non_negative(format_args!("{f}.lead_time_days"), l.lead_time_days);
            c.non_negative(format_args!("{f}.setup_cost"), l.setup_cost);
            let e = format_args!("{f}.effect");
            match &l.effect {
                Effect::IcuBeds(b) | Effect::WardBeds(b) => {
                    c.non_negative(format_args!("{e}.beds"), b.beds);
                    c.non_negative(format_args!("{e}.cost_per_extra_bed"), b.cost_per_extra_bed);
                    c.non_negative(
                        format_args!("{e}.cost_per_extra_bed_day"),
                        b.cost_per_extra_bed_day,
                    );
                }
                Effect::HomeCare {
                    eligible_share,
                    days_saved,
                    cost_per_patient,
                } => {
                    c.share(format_args!("{e}.eligible_share"), *eligible_share);
                    c.non_negative(format_args!("{e}.days_saved"), *days_saved);
                    c.non_negative(format_args!("{e}.cost_per_patient"), *cost_per_patient);
                }
                Effect::Testing {
                    detected_share,
                    days_earlier,
                    home_weight,
                    extra_tests_per_day,
                    cost_per_test,
                } => {
                    c.share(format_args!("{e}.detected_share"), *detected_share);
                    c.non_negative(format_args!("{e}.days_earlier"), *days_earlier);
                    c.share(format_args!("{e}.home_weight"), *home_weight);
                    c.non_negative(
                        format_args!("{e}.extra_tests_per_day"),
                        *extra_tests_per_day,
                    );
                    c.non_negative(format_args!("{e}.cost_per_test"), *cost_per_test);
                }
                Effect::Vaccination {
                    days_earlier,
                    extra_doses_per_day,
                    cost_per_dose,
                } => {
                    c.non_negative(format_args!("{e}.days_earlier"), *days_earlier);
                    c.non_negative(
                        format_args!("{e}.extra_doses_per_day"),
                        *extra_doses_per_day,
                    );
                    c.non_negative(format_args!("{e}.cost_per_dose"), *cost_per_dose);
                }
            }
        }
    }
}

/// State of a lever on a day.
pub const OFF: u8 = 0;
/// Ordered, within its lead time.
pub const LEAD: u8 = 1;
/// Acting.
pub const ACTIVE: u8 = 2;

/// What the levers did during a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreparednessRecord {
    /// The levers the policy names (definitions copied, so impacts need nothing else).
    pub levers: Vec<Lever>,
    /// Calibrated scaled-up ICU and clinical capacity (persons).
    pub calibrated_icu: f64,
    pub calibrated_hospital: f64,
    /// Non-COVID-19 ICU patients during a scale-up (persons).
    pub icu_non_covid_patients: f64,
    /// `days x levers`: 0 off, 1 ordered (lead time), 2 acting.
    pub state: Vec<Vec<u8>>,
    /// Per day: ICU and clinical beds for COVID-19 patients.
    pub icu_capacity: Vec<f64>,
    pub hospital_capacity: Vec<f64>,
    /// Per day: the ICU and the ward step that acts (index into `levers`), if any.
    pub icu_step: Vec<Option<usize>>,
    pub ward_step: Vec<Option<usize>>,
    /// Per lever: the number of orders (setup costs paid).
    pub orders: Vec<usize>,
}

impl PreparednessRecord {
    /// Beds a scale-up step opens beyond the calibrated capacity (0 for other levers).
    pub fn extra_beds(&self, lever: &Lever) -> f64 {
        match &lever.effect {
            Effect::IcuBeds(b) => {
                (b.beds - self.icu_non_covid_patients - self.calibrated_icu).max(0.0)
            }
            Effect::WardBeds(b) => (b.beds - self.calibrated_hospital).max(0.0),
            _ => 0.0,
        }
    }
}

impl PreparednessRecord {
    /// The record of a run whose policy changed after the days of `before` (`days_before` of
    /// them; `None`: no levers then), followed by `after` (`None`: no levers from then on): the
    /// levers of both, merged by name, off on the days their policy did not name them.
    pub fn then(
        before: Option<PreparednessRecord>,
        after: Option<PreparednessRecord>,
        days_before: usize,
        days_after: usize,
    ) -> Option<PreparednessRecord> {
        let idle = |r: &PreparednessRecord, days: usize| PreparednessRecord {
            levers: Vec::new(),
            state: vec![Vec::new(); days],
            icu_capacity: vec![r.calibrated_icu; days],
            hospital_capacity: vec![r.calibrated_hospital; days],
            icu_step: vec![None; days],
            ward_step: vec![None; days],
            orders: Vec::new(),
            ..r.clone()
        };
        let (mut out, next) = match (before, after) {
            (None, None) => return None,
            (Some(b), None) => {
                let idle = idle(&b, days_after);
                (b, idle)
            }
            (None, Some(a)) => (idle(&a, days_before), a),
            (Some(b), Some(a)) => (b, a),
        };
        // Where each of `next`'s levers goes in the merged list.
        let mut at = Vec::with_capacity(next.levers.len());
        for (lever, orders) in next.levers.iter().zip(&next.orders) {
            match out.levers.iter().position(|l| l.name == lever.name) {
                Some(i) => {
                    out.orders[i] += orders;
                    at.push(i);
                }
                None => {
                    out.levers.push(lever.clone());
                    out.orders.push(*orders);
                    at.push(out.levers.len() - 1);
                }
            }
        }
        let n = out.levers.len();
        for row in &mut out.state {
            row.resize(n, OFF);
        }
        for row in next.state {
            let mut merged = vec![OFF; n];
            for (&i, s) in at.iter().zip(row) {
                merged[i] = s;
            }
            out.state.push(merged);
        }
        out.icu_capacity.extend(next.icu_capacity);
        out.hospital_capacity.extend(next.hospital_capacity);
        out.icu_step
            .extend(next.icu_step.into_iter().map(|s| s.map(|i| at[i])));
        out.ward_step
            .extend(next.ward_step.into_iter().map(|s| s.map(|i| at[i])));
        Some(out)
    }

    /// Checks a record read back from JSON: one entry per day and per lever, steps that name a
    /// lever, finite capacities.
    pub fn check(&self, days: usize, c: &mut Checker) {
        let levers = self.levers.len();
        c.rows(
            "run.preparedness.state",
            &self.state,
            days,
            levers,
            "levers",
        );
        let per_day = [
            ("icu_capacity", self.icu_capacity.len()),
            ("hospital_capacity", self.hospital_capacity.len()),
            ("icu_step", self.icu_step.len()),
            ("ward_step", self.ward_step.len()),
        ];
        for (field, len) in per_day {
            c.length(format_args!("run.preparedness.{field}"), len, days, "day");
        }
        c.length(
            "run.preparedness.orders",
            self.orders.len(),
            levers,
            "lever",
        );
        let steps = self.icu_step.iter().chain(&self.ward_step).flatten();
        if steps.into_iter().any(|&s| s >= levers) {
            c.fail(
                "run.preparedness.icu_step",
                format!("must name one of the {levers} levers"),
                String::new(),
            );
        }
        let numbers = self.icu_capacity.iter().chain(&self.hospital_capacity);
        if let Some(bad) = numbers.copied().find(|x| !x.is_finite()) {
            c.fail(
                "run.preparedness",
                "every number must be finite",
                bad.to_string(),
            );
        }
    }
}

/// The day-by-day clock of the levers of one run.
pub struct Schedule {
    record: PreparednessRecord,
    since: Vec<Option<usize>>,
    ward_days: f64,
    infectious_days: f64,
}

impl Schedule {
    /// A clock for `levers` (the levers the policy names) in a model.
    pub fn new(
        prep: &Preparedness,
        names: &[String],
        model: &crate::epidemic::model::Model,
    ) -> Result<Schedule> {
        let cal = model.calibration();
        let levers: Vec<Lever> = names
            .iter()
            .map(|n| prep.lever(n).cloned().expect("checked against the plans"))
            .collect();
        let ward_days = cal.stays.ward_days;
        let saved: f64 = levers
            .iter()
            .map(|l| match l.effect {
                Effect::HomeCare {
                    eligible_share,
                    days_saved,
                    ..
                } => eligible_share * days_saved,
                _ => 0.0,
            })
            .sum();
        // Keep at least half a day of ward stay (and the solver's step size in range).
        if saved > 0.0 && ward_days - saved < 0.5 {
            return Err(Error::field(
                "plans.preparedness (home_care)".into(),
                format!("the levers shorten the mean ward stay ({ward_days} days) by {saved} days; at least 0.5 days must remain"),
                format!("{saved}"),
            ));
        }
        let n = levers.len();
        Ok(Schedule {
            record: PreparednessRecord {
                levers,
                calibrated_icu: cal.capacity.icu_scaled,
                calibrated_hospital: cal.capacity.hospital_scaled,
                icu_non_covid_patients: prep.icu_non_covid_patients,
                state: Vec::new(),
                icu_capacity: Vec::new(),
                hospital_capacity: Vec::new(),
                icu_step: Vec::new(),
                ward_step: Vec::new(),
                orders: vec![0; n],
            },
            since: vec![None; n],
            ward_days,
            infectious_days: model.scenario().variant.infectious_days,
        })
    }

    /// Advances the clock to `day` with the levers in force (parallel to the levers), records the
    /// day, and gives what acts: the care settings and the contact factors of testing per setting.
    pub fn day(&mut self, day: usize, in_force: &[bool]) -> (Care, [f64; 4]) {
        let r = &mut self.record;
        let mut care = Care::default();
        let mut kept = [1.0; 4];
        let mut saved = 0.0;
        let (mut icu, mut ward) = (r.calibrated_icu, r.calibrated_hospital);
        let (mut icu_step, mut ward_step) = (None, None);
        let mut states = Vec::with_capacity(in_force.len());
        for (i, (&on, lever)) in in_force.iter().zip(&r.levers).enumerate() {
            let state = if on {
                if self.since[i].is_none() {
                    self.since[i] = Some(day);
                    r.orders[i] += 1;
                }
                let since = self.since[i].unwrap_or(day);
                if (day - since) as f64 >= lever.lead_time_days {
                    ACTIVE
                } else {
                    LEAD
                }
            } else {
                self.since[i] = None;
                OFF
            };
            states.push(state);
            if state != ACTIVE {
                continue;
            }
            match &lever.effect {
                Effect::IcuBeds(b) => {
                    let beds = b.beds - r.icu_non_covid_patients;
                    if beds > icu {
                        icu = beds;
                        icu_step = Some(i);
                    }
                }
                Effect::WardBeds(b) => {
                    if b.beds > ward {
                        ward = b.beds;
                        ward_step = Some(i);
                    }
                }
                Effect::HomeCare {
                    eligible_share,
                    days_saved,
                    ..
                } => saved += eligible_share * days_saved,
                Effect::Testing { .. } => {
                    for (k, t) in kept.iter_mut().zip(testing(lever, self.infectious_days)) {
                        *k *= t;
                    }
                }
                Effect::Vaccination {
                    days_earlier,
                    extra_doses_per_day,
                    ..
                } => {
                    care.vaccination_days_earlier =
                        care.vaccination_days_earlier.max(*days_earlier);
                    care.extra_doses_per_day += extra_doses_per_day;
                }
            }
        }
        if icu_step.is_some() {
            care.icu_capacity = Some(icu);
        }
        if saved > 0.0 {
            care.ward_days = Some(self.ward_days - saved);
        }
        r.state.push(states);
        r.icu_capacity.push(icu);
        r.hospital_capacity.push(ward);
        r.icu_step.push(icu_step);
        r.ward_step.push(ward_step);
        (care, kept)
    }

    /// Per setting, the contacts the testing levers acting today leave in a region whose level
    /// names the levers marked in `named` (parallel to the levers).
    pub fn testing_kept(&self, named: &[bool]) -> [f64; 4] {
        let mut kept = [1.0; 4];
        let today = self.record.state.last().map_or(&[][..], |s| &s[..]);
        for ((lever, &state), &on) in self.record.levers.iter().zip(today).zip(named) {
            if on && state == ACTIVE {
                for (k, t) in kept.iter_mut().zip(testing(lever, self.infectious_days)) {
                    *k *= t;
                }
            }
        }
        kept
    }

    pub fn finish(self) -> PreparednessRecord {
        self.record
    }

    /// Per lever, the day it was ordered while it is ([`Schedule::order`] sets it).
    pub fn since(&self) -> Vec<Option<usize>> {
        self.since.clone()
    }

    /// Marks lever `i` as ordered on day `since` (or not ordered), for a run continued from a
    /// snapshot: its lead time counts from then.
    pub fn order(&mut self, i: usize, since: Option<usize>) {
        self.since[i] = since;
    }

    /// Takes the record of the days so far (`prefix`, whose levers are the first of this
    /// schedule's, as checked by the caller); levers it does not name were off.
    pub fn resume(&mut self, prefix: PreparednessRecord) {
        let n = self.record.levers.len();
        let r = &mut self.record;
        r.state = prefix.state;
        for row in &mut r.state {
            row.resize(n, OFF);
        }
        r.icu_capacity = prefix.icu_capacity;
        r.hospital_capacity = prefix.hospital_capacity;
        r.icu_step = prefix.icu_step;
        r.ward_step = prefix.ward_step;
        r.orders[..prefix.orders.len()].copy_from_slice(&prefix.orders);
    }
}

/// Per setting, the contacts a testing lever leaves: detection cuts the infectious period
/// (`infectious_days`) of the detected by `days_earlier` (home contacts weighted by
/// `home_weight`); 1 for other levers.
fn testing(lever: &Lever, infectious_days: f64) -> [f64; 4] {
    let mut kept = [1.0; 4];
    if let Effect::Testing {
        detected_share,
        days_earlier,
        home_weight,
        ..
    } = &lever.effect
    {
        let d = infectious_days;
        let reduction = detected_share * days_earlier.min(d) / d;
        for (s, k) in kept.iter_mut().enumerate() {
            let w = if s == 0 { *home_weight } else { 1.0 };
            *k *= 1.0 - reduction * w;
        }
    }
    kept
}

/// Cost and displaced care of the levers of a run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PreparednessOutcome {
    /// Lever names and, parallel, cost per lever (EUR), days ordered and days acting.
    pub levers: Vec<String>,
    pub cost: Vec<f64>,
    pub days_ordered: Vec<usize>,
    pub days_active: Vec<usize>,
    /// Bed-days that opened, empty scaled-up beds stood ready (ICU and clinical): regular care
    /// they displaced, priced as postponed operations by the societal dimension.
    pub displaced_icu_bed_days: f64,
    pub displaced_ward_bed_days: f64,
}

impl PreparednessOutcome {
    pub fn total_cost(&self) -> f64 {
        self.cost.iter().sum()
    }
}

/// The cost and displaced care of a run's levers (see the module documentation).
pub fn outcome(record: &PreparednessRecord, traj: &Trajectory) -> PreparednessOutcome {
    let icu_occupancy = traj.icu_occupancy().sum_axis(ndarray::Axis(1));
    let ward_occupancy = traj.hospital_occupancy().sum_axis(ndarray::Axis(1));
    let ward_admissions = &traj.admissions().sum_axis(ndarray::Axis(1))
        - &traj.icu_admissions().sum_axis(ndarray::Axis(1));
    let n = record.levers.len();
    let mut out = PreparednessOutcome {
        levers: record.levers.iter().map(|l| l.name.clone()).collect(),
        cost: vec![0.0; n],
        days_ordered: vec![0; n],
        days_active: vec![0; n],
        ..Default::default()
    };
    for (i, lever) in record.levers.iter().enumerate() {
        out.cost[i] += lever.setup_cost * record.orders[i] as f64;
        out.days_ordered[i] = record.state.iter().filter(|s| s[i] != OFF).count();
        out.days_active[i] = record.state.iter().filter(|s| s[i] == ACTIVE).count();
        if let Effect::IcuBeds(b) | Effect::WardBeds(b) = &lever.effect {
            out.cost[i] +=
                b.cost_per_extra_bed * record.extra_beds(lever) * record.orders[i] as f64;
        }
    }
    for (d, states) in record.state.iter().enumerate() {
        for (i, lever) in record.levers.iter().enumerate() {
            if states[i] != ACTIVE {
                continue;
            }
            out.cost[i] += match &lever.effect {
                Effect::IcuBeds(b) if record.icu_step[d] == Some(i) => {
                    b.cost_per_extra_bed_day * (record.icu_capacity[d] - record.calibrated_icu)
                }
                Effect::WardBeds(b) if record.ward_step[d] == Some(i) => {
                    b.cost_per_extra_bed_day
                        * (record.hospital_capacity[d] - record.calibrated_hospital)
                }
                Effect::HomeCare {
                    eligible_share,
                    cost_per_patient,
                    ..
                } => cost_per_patient * eligible_share * ward_admissions[d],
                Effect::Testing {
                    extra_tests_per_day,
                    cost_per_test,
                    ..
                } => extra_tests_per_day * cost_per_test,
                Effect::Vaccination {
                    extra_doses_per_day,
                    cost_per_dose,
                    ..
                } => extra_doses_per_day * cost_per_dose,
                _ => 0.0,
            };
        }
        let empty = |cap: f64, cal: f64, occupancy: f64| {
            let e = cap - cal;
            e - (occupancy - cal).clamp(0.0, e)
        };
        if record.icu_step[d].is_some() {
            out.displaced_icu_bed_days += empty(
                record.icu_capacity[d],
                record.calibrated_icu,
                icu_occupancy[d],
            );
        }
        if record.ward_step[d].is_some() {
            out.displaced_ward_bed_days += empty(
                record.hospital_capacity[d],
                record.calibrated_hospital,
                ward_occupancy[d],
            );
        }
    }
    out
}
