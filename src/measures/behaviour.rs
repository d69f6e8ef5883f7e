//! The behavioural dimension, coupled into the daily system: fatigue, risk perception, compliance,
//! support and voluntary distancing per age band.
//!
//! Updated once a day, before the day is simulated, from the stringency `s` (OxCGRT index / 100) of
//! the package in force and the hospital pressure `p` (ICU occupancy as a share of the scaled-up
//! capacity) read at the start of the day. With constant inputs over a day each equation is solved
//! exactly, so every state stays in its range without clamping:
//!
//! ```text
//! fatigue     dF_a/dt = k_a s (1 - F_a) - r (1 - s) F_a                 grows with stringency and
//!                                                                       its duration, recovers when
//!                                                                       measures relax
//! risk        dR/dt   = (min(p / p_ref, 1) - R) / tau                   follows pressure with a delay
//! compliance  C_a = logistic(logit(c0) - c_F F_a + c_R R + lever_c)
//! support     U_a = logistic(logit(u0) - u_F F_a + u_R R - u_S s + lever_u)
//! voluntary   V_a = v_max a_a R                                         distancing without measures,
//!                                                                       more among the old
//! ```
//!
//! Compliance scales the contact effect of every measure (a rule kept by a share `C` of people
//! leaves `1 - C (1 - kept)` of the contacts), and voluntary distancing acts on top through the
//! age factors: `f_s,g` is multiplied by `sqrt(1 - V_g w_s)` (weights `w_s` per setting), so a
//! contact between two people who both distance loses `V w_s` of itself, as for school sectors. Levers (communication campaigns,
//! local initiatives and role models, options to stimulate vaccination) shift compliance and
//! support on the logit scale and persuade a share of those who declined vaccination.
//! No Dutch parametric fatigue model is published (RIVM behavioural unit; Petherick et al., Nat
//! Hum Behav 2021): the parameters are documented assumptions with plausible ranges in
//! `data/scenarios.json` and can be overridden.

use serde::{Deserialize, Serialize};

use crate::epidemic::model::DayEffects;
use crate::inputs::behaviour::Behaviour;
use crate::inputs::validate::Checker;

/// What behavioural levers in force do on one day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeverEffect {
    /// Shift of compliance on the logit scale.
    #[serde(default)]
    pub compliance: f64,
    /// Shift of support on the logit scale.
    #[serde(default)]
    pub support: f64,
    /// Share of those who declined vaccination who accept it after all (0-1).
    #[serde(default)]
    pub vaccine_uptake: f64,
}

impl LeverEffect {
    /// Two levers together: logit shifts add, persuasion combines as independent chances.
    pub fn combine(self, other: LeverEffect) -> LeverEffect {
        LeverEffect {
            compliance: self.compliance + other.compliance,
            support: self.support + other.support,
            vaccine_uptake: 1.0 - (1.0 - self.vaccine_uptake) * (1.0 - other.vaccine_uptake),
        }
    }
}

/// What the measures in force on a day contribute, as set by a policy controller.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MeasureDay {
    /// OxCGRT stringency index of the package in force (0-100).
    pub stringency: f64,
    /// Cost of the behavioural levers in force (EUR/day).
    pub lever_cost: f64,
}

/// Daily behavioural state by age band, recorded over a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BehaviourRecord {
    /// `days x age bands`, each in [0, 1].
    pub compliance: Vec<Vec<f64>>,
    pub support: Vec<Vec<f64>>,
    pub fatigue: Vec<Vec<f64>>,
    /// Perceived risk (0-1) per day.
    pub risk: Vec<f64>,
    /// `days x age bands`: voluntary contact reduction (0-1).
    pub voluntary: Vec<Vec<f64>>,
    /// Cost of behavioural levers per day (EUR).
    pub lever_cost: Vec<f64>,
    /// Share of the measures' contact reduction that was realised per day (the population's mean
    /// compliance); `None` on days without measures.
    pub effectiveness: Vec<Option<f64>>,
    /// The same share had nobody been tired (compliance without fatigue); `None` without measures.
    pub rested_effectiveness: Vec<Option<f64>>,
}

impl BehaviourRecord {
    /// Checks a record read back from JSON: one row per day, one value per age band, finite.
    pub fn check(&self, days: usize, ages: usize, c: &mut Checker) {
        let rows = [
            ("compliance", &self.compliance),
            ("support", &self.support),
            ("fatigue", &self.fatigue),
            ("voluntary", &self.voluntary),
        ];
        for (field, table) in rows {
            c.rows(
                format_args!("run.behaviour.{field}"),
                table,
                days,
                ages,
                "age bands",
            );
        }
        let per_day = [
            ("risk", self.risk.len()),
            ("lever_cost", self.lever_cost.len()),
            ("effectiveness", self.effectiveness.len()),
            ("rested_effectiveness", self.rested_effectiveness.len()),
        ];
        for (field, len) in per_day {
            c.length(format_args!("run.behaviour.{field}"), len, days, "day");
        }
        let numbers = rows.iter().flat_map(|(_, t)| t.iter().flatten());
        let numbers = numbers.chain(&self.risk).chain(&self.lever_cost);
        let numbers = numbers.chain(
            self.effectiveness
                .iter()
                .chain(&self.rested_effectiveness)
                .flatten(),
        );
        if let Some(bad) = numbers.copied().find(|x| !x.is_finite()) {
            c.fail(
                "run.behaviour",
                "every number must be finite",
                bad.to_string(),
            );
        }
    }
}

/// Behaviour-dimension indicators over a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BehaviourSummary {
    /// Population-weighted mean compliance over the run.
    pub mean_compliance: f64,
    /// Population-weighted mean support over the run.
    pub mean_support: f64,
    /// Days on which population-weighted support was below one half.
    pub days_support_below_half: usize,
    /// Mean loss of measure effectiveness through non-compliance on days with measures (0-1).
    pub effectiveness_lost: f64,
    /// The part of that loss due to fatigue: mean relative drop of compliance against compliance
    /// without fatigue, on days with measures (0-1).
    pub effectiveness_lost_to_fatigue: f64,
    /// Highest population-weighted voluntary contact reduction (0-1).
    pub peak_voluntary_reduction: f64,
    /// Cost of behavioural levers (EUR).
    pub lever_cost: f64,
}

fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// What the population's response carries from one day to the next: fatigue per age band and
/// perceived risk (compliance, support and voluntary distancing follow from them each day).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BehaviourMemory {
    pub fatigue: Vec<f64>,
    pub risk: f64,
}

impl BehaviourMemory {
    /// One fatigue per age band, fatigue and risk within 0-1.
    pub fn check(&self, ages: usize, c: &mut Checker) {
        c.length(
            "snapshot.behaviour.fatigue",
            self.fatigue.len(),
            ages,
            "age band",
        );
        for (i, &f) in self.fatigue.iter().enumerate() {
            if !(0.0..=1.0).contains(&f) {
                c.fail(
                    format_args!("snapshot.behaviour.fatigue[{i}]"),
                    "must be within 0-1",
                    f.to_string(),
                );
            }
        }
        if !(0.0..=1.0).contains(&self.risk) {
            c.fail(
                "snapshot.behaviour.risk",
                "must be within 0-1",
                self.risk.to_string(),
            );
        }
    }
}

/// The behavioural state during a run. Fatigue, perceived risk and voluntary distancing are
/// national; compliance and support differ between regions only through the behavioural levers in
/// force there (`[region][age band]`; one region for the national model).
struct State {
    fatigue: Vec<f64>,
    risk: f64,
    compliance: Vec<Vec<f64>>,
    /// Compliance had there been no fatigue.
    rested: Vec<Vec<f64>>,
    support: Vec<Vec<f64>>,
    /// Whether every region has the same levers today (then only the first rows count).
    uniform: bool,
    voluntary: Vec<f64>,
    /// Constants of the daily update: the baselines on the logit scale, the daily risk decay.
    logit_compliance: f64,
    logit_support: f64,
    risk_decay: f64,
    /// Per age band, fatigue's equilibrium and daily decay under the stringency of the last day
    /// (stringency changes only when the package does, so the exponentials are reused).
    fatigue_law: (f64, Vec<(f64, f64)>),
    /// Per setting and age band, the contacts kept by the day's voluntary distancing (a buffer of
    /// [`State::apply`]).
    distancing: [Vec<f64>; 4],
}

impl State {
    fn new(b: &Behaviour, groups: usize, regions: usize) -> Self {
        let compliance = if b.feedback {
            b.baseline_compliance
        } else {
            b.fixed_compliance
        };
        Self {
            fatigue: vec![0.0; groups],
            risk: 0.0,
            compliance: vec![vec![compliance; groups]; regions],
            rested: vec![vec![compliance; groups]; regions],
            support: vec![vec![b.baseline_support; groups]; regions],
            uniform: true,
            voluntary: vec![0.0; groups],
            logit_compliance: logit(b.baseline_compliance),
            logit_support: logit(b.baseline_support),
            risk_decay: (-1.0 / b.risk_delay_days).exp(),
            fatigue_law: (f64::NAN, Vec::with_capacity(groups)),
            distancing: std::array::from_fn(|_| vec![1.0; groups]),
        }
    }

    /// Advances one day with stringency `s` (0-1), ICU occupancy share `pressure` and the
    /// behavioural levers in force in each region.
    fn step(&mut self, b: &Behaviour, s: f64, pressure: f64, levers: &[LeverEffect]) {
        let target = (pressure / b.pressure_reference).min(1.0);
        self.risk = target + (self.risk - target) * self.risk_decay;
        if self.fatigue_law.0 != s {
            let law = b.fatigue_rate.iter().map(|&k| {
                let (up, down) = (k * s, b.recovery_rate * (1.0 - s));
                let rate = up + down;
                // With no rate at all fatigue stays where it is: decay 1 around any equilibrium.
                if rate > 0.0 {
                    (up / rate, (-rate).exp())
                } else {
                    (0.0, 1.0)
                }
            });
            self.fatigue_law = (s, law.collect());
        }
        for (f, &(equilibrium, decay)) in self.fatigue.iter_mut().zip(&self.fatigue_law.1) {
            *f = equilibrium + (*f - equilibrium) * decay;
        }
        if !b.feedback {
            return;
        }
        // On days when every region has the same levers only the first row is kept up to date
        // (compliance and support have no memory of their own: each day's follow from fatigue,
        // risk and the levers).
        self.uniform = levers.windows(2).all(|w| w[0] == w[1]);
        let rows = if self.uniform { 1 } else { levers.len() };
        for (r, lever) in levers.iter().enumerate().take(rows) {
            let rested = self.logit_compliance + b.risk_effect * self.risk + lever.compliance;
            for a in 0..self.fatigue.len() {
                self.compliance[r][a] = logistic(rested - b.fatigue_effect * self.fatigue[a]);
                self.rested[r][a] = logistic(rested);
                self.support[r][a] = logistic(
                    self.logit_support - b.support_fatigue_effect * self.fatigue[a]
                        + b.support_risk_effect * self.risk
                        - b.support_stringency_effect * s
                        + lever.support,
                );
            }
        }
        for (v, a) in self.voluntary.iter_mut().zip(&b.voluntary_by_age) {
            *v = b.voluntary_max * a * self.risk;
        }
    }

    /// The day's effects in every region: the measures asked there scaled by the region's
    /// compliance, then voluntary distancing.
    fn apply(
        &mut self,
        b: &Behaviour,
        measures: &[DayEffects],
        population: &[f64],
        out: &mut [DayEffects],
    ) {
        let weights = b.voluntary_settings.to_array();
        // Voluntary distancing is national: computed once for every region.
        for (kept, w) in self.distancing.iter_mut().zip(weights) {
            for (k, v) in kept.iter_mut().zip(&self.voluntary) {
                *k = (1.0 - v * w).sqrt();
            }
        }
        let mut mean_compliance = weighted_mean(&self.compliance[0], population);
        for (r, (measures, out)) in measures.iter().zip(out).enumerate() {
            let compliance = if self.uniform {
                &self.compliance[0]
            } else {
                mean_compliance = weighted_mean(&self.compliance[r], population);
                &self.compliance[r]
            };
            let settings = out.setting.iter_mut().zip(&mut out.age);
            for ((m, ages), ((&asked, asked_ages), kept)) in settings.zip(
                measures
                    .setting
                    .iter()
                    .zip(&measures.age)
                    .zip(&self.distancing),
            ) {
                *m = 1.0 - mean_compliance * (1.0 - asked);
                let people = asked_ages.iter().zip(compliance).zip(kept);
                for (o, ((&f, c), kept)) in ages.iter_mut().zip(people) {
                    *o = (1.0 - c * (1.0 - f)) * kept;
                }
            }
            out.uptake_boost = measures.uptake_boost;
            out.care = measures.care;
        }
    }

    /// Per age band: the regions' values weighted by their share of the band's people
    /// (`weights[r][a] = N_ra / N_a`), or the one value all regions share.
    fn national(&self, by_region: &[Vec<f64>], weights: &[Vec<f64>]) -> Vec<f64> {
        if self.uniform {
            return by_region[0].clone();
        }
        let mut out = vec![0.0; by_region[0].len()];
        for (values, w) in by_region.iter().zip(weights) {
            for ((o, v), w) in out.iter_mut().zip(values).zip(w) {
                *o += v * w;
            }
        }
        out
    }
}

/// The behavioural side of the closed loop ([`crate::run`]): the state of the population's
/// response to measures and hospital pressure, and its record over a run. Fatigue, risk and
/// voluntary distancing are national (driven by the population-weighted stringency and the
/// national ICU pressure); the behavioural levers in force in a region move compliance and
/// support there only. The record holds national values (per age band, the regions weighted by
/// their people).
pub struct Response<'a> {
    params: &'a Behaviour,
    state: State,
    record: BehaviourRecord,
    /// `[region][age band]`: the region's share of the band's people.
    weights: Vec<Vec<f64>>,
}

impl<'a> Response<'a> {
    /// `population` is per group, `regions x age bands` region-major (the age bands alone for the
    /// national model).
    pub fn new(params: &'a Behaviour, population: &[f64], ages: usize, days: usize) -> Self {
        let regions = population.len() / ages;
        let mut band = vec![0.0; ages];
        for row in population.chunks(ages) {
            for (b, n) in band.iter_mut().zip(row) {
                *b += n;
            }
        }
        let weights = population
            .chunks(ages)
            .map(|row| row.iter().zip(&band).map(|(n, total)| n / total).collect())
            .collect();
        Response {
            params,
            state: State::new(params, ages, regions),
            record: BehaviourRecord {
                compliance: Vec::with_capacity(days),
                support: Vec::with_capacity(days),
                fatigue: Vec::with_capacity(days),
                risk: Vec::with_capacity(days),
                voluntary: Vec::with_capacity(days),
                lever_cost: Vec::with_capacity(days),
                effectiveness: Vec::with_capacity(days),
                rested_effectiveness: Vec::with_capacity(days),
            },
            weights,
        }
    }

    /// Advances one day: `today` is what the measures in force contribute, `levers` the
    /// behavioural levers in force per region, `pressure` the ICU occupancy share read at the
    /// start of the day, `measures` the effects the measures ask per region; `effects` receives
    /// what is realised.
    pub fn day(
        &mut self,
        today: &MeasureDay,
        levers: &[LeverEffect],
        pressure: f64,
        measures: &[DayEffects],
        population: &[f64],
        effects: &mut [DayEffects],
    ) {
        let (b, state, record) = (self.params, &mut self.state, &mut self.record);
        state.step(b, today.stringency / 100.0, pressure, levers);
        state.apply(b, measures, population, effects);
        let compliance = state.national(&state.compliance, &self.weights);
        record
            .support
            .push(state.national(&state.support, &self.weights));
        record.fatigue.push(state.fatigue.clone());
        record.risk.push(state.risk);
        record.voluntary.push(state.voluntary.clone());
        record.lever_cost.push(today.lever_cost);
        let any_measure = measures.iter().any(|m| {
            m.setting.iter().any(|&x| x < 1.0) || m.age.iter().flatten().any(|&f| f < 1.0)
        });
        let mean = |c: &[f64]| weighted_mean(c, population);
        record
            .effectiveness
            .push(any_measure.then(|| mean(&compliance)));
        // Compliance had nobody been tired, as a national mean (no copy for one region).
        let rested = || match state.uniform {
            true => mean(&state.rested[0]),
            false => mean(&state.national(&state.rested, &self.weights)),
        };
        record.rested_effectiveness.push(any_measure.then(rested));
        record.compliance.push(compliance);
    }

    /// What the response carries to the next day, for a snapshot.
    pub fn memory(&self) -> BehaviourMemory {
        BehaviourMemory {
            fatigue: self.state.fatigue.clone(),
            risk: self.state.risk,
        }
    }

    /// Takes up where a response with `memory` and `record` (the days so far) left off.
    pub fn resume(&mut self, memory: &BehaviourMemory, record: BehaviourRecord) {
        self.state.fatigue.clone_from(&memory.fatigue);
        self.state.risk = memory.risk;
        self.record = record;
    }

    pub fn finish(self) -> BehaviourRecord {
        self.record
    }
}

/// Mean of a value per age band, weighted by population.
pub(crate) fn weighted_mean(values: &[f64], population: &[f64]) -> f64 {
    let total: f64 = population.iter().sum();
    values
        .iter()
        .zip(population)
        .map(|(v, n)| v * n)
        .sum::<f64>()
        / total
}

impl BehaviourRecord {
    /// The behaviour-dimension indicators, weighting age bands by population.
    pub fn summary(&self, population: &[f64]) -> BehaviourSummary {
        let weighted = |row: &Vec<f64>| weighted_mean(row, population);
        let days = self.compliance.len().max(1) as f64;
        let support: Vec<f64> = self.support.iter().map(weighted).collect();
        let with_measures: Vec<f64> = self.effectiveness.iter().flatten().copied().collect();
        let lost_to_fatigue: Vec<f64> = self
            .effectiveness
            .iter()
            .zip(&self.rested_effectiveness)
            .filter_map(|(e, r)| Some(1.0 - (*e)? / (*r)?))
            .collect();
        let mean_or_zero = |v: &[f64]| {
            if v.is_empty() {
                0.0
            } else {
                v.iter().sum::<f64>() / v.len() as f64
            }
        };
        BehaviourSummary {
            mean_compliance: self.compliance.iter().map(weighted).sum::<f64>() / days,
            mean_support: support.iter().sum::<f64>() / days,
            days_support_below_half: support.iter().filter(|&&u| u < 0.5).count(),
            effectiveness_lost: if with_measures.is_empty() {
                0.0
            } else {
                1.0 - mean_or_zero(&with_measures)
            },
            effectiveness_lost_to_fatigue: mean_or_zero(&lost_to_fatigue),
            peak_voluntary_reduction: self.voluntary.iter().map(weighted).fold(0.0, f64::max),
            lever_cost: self.lever_cost.iter().sum(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn params() -> Behaviour {
        crate::inputs::scenario::Scenario::preset("centraal")
            .unwrap()
            .behaviour
            .unwrap()
    }

    #[test]
    fn fatigue_builds_under_measures_and_recovers_after() {
        let b = params();
        let mut state = State::new(&b, 9, 1);
        let mut compliance = vec![];
        for _ in 0..180 {
            state.step(&b, 0.8, 0.0, &[LeverEffect::default()]);
            compliance.push(state.compliance[0][2]);
        }
        assert!(
            compliance.windows(2).all(|w| w[1] < w[0]),
            "compliance must fall under constant measures"
        );
        let tired = state.fatigue[2];
        for _ in 0..120 {
            state.step(&b, 0.0, 0.0, &[LeverEffect::default()]);
        }
        assert!(
            state.fatigue[2] < 0.2 * tired,
            "fatigue {} did not recover from {tired}",
            state.fatigue[2]
        );
        // The young tire faster than the old.
        let mut state = State::new(&b, 9, 1);
        for _ in 0..60 {
            state.step(&b, 1.0, 0.0, &[LeverEffect::default()]);
        }
        assert!(state.fatigue[2] > state.fatigue[8]);
    }

    #[test]
    fn pressure_raises_risk_compliance_and_voluntary_distancing() {
        let b = params();
        let run = |pressure: f64| {
            let mut state = State::new(&b, 9, 1);
            for _ in 0..30 {
                state.step(&b, 0.3, pressure, &[LeverEffect::default()]);
            }
            (state.voluntary[8], state.compliance[0][4])
        };
        let (low_v, low_c) = run(0.2);
        let (high_v, high_c) = run(0.9);
        assert!(high_v > low_v && high_c > low_c);
        assert!(high_v <= b.voluntary_max);
    }

    #[test]
    fn levers_raise_compliance_and_support() {
        let b = params();
        let mut plain = State::new(&b, 9, 1);
        let mut helped = State::new(&b, 9, 1);
        let lever = LeverEffect {
            compliance: 0.3,
            support: 0.2,
            vaccine_uptake: 0.0,
        };
        for _ in 0..60 {
            plain.step(&b, 0.6, 0.3, &[LeverEffect::default()]);
            helped.step(&b, 0.6, 0.3, &[lever]);
        }
        assert!(helped.compliance[0][3] > plain.compliance[0][3]);
        assert!(helped.support[0][3] > plain.support[0][3]);
        let both = lever.combine(LeverEffect {
            vaccine_uptake: 0.5,
            ..Default::default()
        });
        assert_eq!(both.compliance, 0.3);
        assert!((both.vaccine_uptake - 0.5).abs() < 1e-15);
    }

    #[test]
    fn compliance_scales_measures_and_voluntary_distancing_adds() {
        let b = params();
        let mut state = State::new(&b, 2, 1);
        state.compliance = vec![vec![0.5, 1.0]];
        state.voluntary = vec![0.2, 0.0];
        let mut measures = DayEffects::none(2);
        measures.setting = [1.0, 0.5, 0.4, 0.6];
        measures.age[1] = vec![0.0, 1.0];
        let mut out = [DayEffects::none(2)];
        state.apply(&b, &[measures], &[1.0, 3.0], &mut out);
        let [out] = out;
        // Mean compliance 0.875: work keeps 1 - 0.875 x 0.6 = 0.475. Voluntary distancing of the
        // first band: sqrt(1 - 0.2 w_s) on its age factor (work weight 0.5, community 1).
        assert!((out.setting[2] - 0.475).abs() < 1e-12);
        assert!((out.setting[3] - (1.0 - 0.875 * 0.4)).abs() < 1e-12);
        assert_eq!(out.setting[0], 1.0);
        assert_eq!(out.age[1], vec![0.5, 1.0]);
        assert!((out.age[2][0] - 0.9f64.sqrt()).abs() < 1e-12);
        assert!((out.age[3][0] - 0.8f64.sqrt()).abs() < 1e-12);
        assert_eq!(out.age[3][1], 1.0);
    }

    proptest! {
        #[test]
        fn states_stay_in_their_ranges(
            c0 in 0.01..0.99f64, u0 in 0.01..0.99f64, rate in 0.0..0.5f64, recovery in 0.0..0.5f64,
            effects in prop::collection::vec(0.0..6.0f64, 5), delay in 0.1..60.0f64, vmax in 0.0..1.0f64,
            lever in -5.0..5.0f64,
            days in prop::collection::vec((0.0..1.0f64, 0.0..5.0f64), 1..200),
        ) {
            let mut b = params();
            b.baseline_compliance = c0;
            b.baseline_support = u0;
            b.fatigue_rate = vec![rate; 3];
            b.recovery_rate = recovery;
            b.fatigue_effect = effects[0];
            b.risk_effect = effects[1];
            b.support_fatigue_effect = effects[2];
            b.support_risk_effect = effects[3];
            b.support_stringency_effect = effects[4];
            b.risk_delay_days = delay;
            b.voluntary_max = vmax;
            b.voluntary_by_age = vec![1.0, 0.5, 0.0];
            let lever = LeverEffect { compliance: lever, support: -lever, vaccine_uptake: 0.0 };
            let mut state = State::new(&b, 3, 1);
            for (s, pressure) in days {
                state.step(&b, s, pressure, &[lever]);
                for v in state.compliance[0].iter().chain(&state.support[0]).chain(&state.fatigue) {
                    prop_assert!((0.0..=1.0).contains(v), "{v}");
                }
                prop_assert!((0.0..=1.0).contains(&state.risk));
                prop_assert!(state.voluntary.iter().all(|v| (0.0..=vmax).contains(v)));
            }
        }
    }
}
