//! The epidemic engine: an age-structured compartmental model integrated day by day.
//!
//! Per group `g` (an age band) and immune class `k` in {S, V, R, W}, with `N_g` persons:
//!
//! ```text
//! lambda_g(t)  = s(t) * sum_h op_gh(t) * (I_mild_h + I_sev_h + rho * I_asym_h)      [1/day]
//! op_gh(t)     = beta0 * sigma_g * sum_settings m_set(t) * M^set_gh / N_h
//! s(t)         = 1 + amplitude * cos(2 pi (doy0 + t - peak) / 365.25)               (seasonality)
//! infections from class k:  lambda_g * h_k * X_k                                     [persons/day]
//!   h_S = h_W = 1, h_V = 1 - VE_inf (1 - escape) (leaky vaccine protection), h_R = 0
//! infection-derived protection is all-or-nothing: a share PI_inf of those who recover enters R
//!   (protected), the rest W; the variant escapes only immunity from before the run, so at day 0
//!   the escaped share of the initially recovered starts in W
//! pathway split at infection: asymptomatic a_g, severe p_g * f_k, mild the rest, with
//!   f_S = 1, f_V = (1 - VE_sev) / h_V, f_W = 1 - W_sev
//! E_x -> I_x at 1/latent_days; I_asym, I_mild -> recovery at 1/infectious_days;
//! I_sev -> admission at 1/infectious_days: to ICU with P(ICU|adm), else to the ward;
//! ward -> death (q_ward) or recovery at 1/ward_days; ICU -> death or recovery at 1/icu_days, where patients
//!   above the scaled ICU capacity die with the overflow probability;
//! V -> W at 1/vaccine.waning_days, R -> W at 1/immunity.waning_days.
//! ```
//!
//! Vaccination reaches S, W and R in proportion; the vaccinated in S and W move to V, those in R
//! stay there (their protection is at least as strong).
//!
//! `beta0` is set so that the spectral radius of the next-generation matrix equals `R0`
//! (Diekmann, Heesterbeek & Roberts, J R Soc Interface 2010). Vaccination is applied at the start
//! of each day as a transfer of persons (operator splitting), so doses never exceed the eligible.

use crate::calibration::{Calibration, Setting};
use crate::compartments::{self as c, SLOTS};
use crate::contacts;
use crate::error::{Error, Result};
use crate::ngm;
use crate::scenario::{Priority, Scenario};
use crate::solver::Rk4;
use crate::trajectory::Trajectory;
use crate::validate::Checker;

/// Contact multipliers per setting, in [`Setting::ALL`] order (1 = normal contacts).
pub type Multipliers = [f64; 4];

/// What measures and behaviour do on one day: of contacts they leave `m_s` per setting and, per
/// setting, a factor `f_s,g` per group, so that `op_gh = sum_s m_s f_s,g f_s,h T^s_gh` (an
/// age-targeted measure such as closing primary schools sets `f` of the pupils' band); and they may
/// persuade a share of those who declined vaccination (`uptake_boost`).
#[derive(Debug, Clone, PartialEq)]
pub struct DayEffects {
    pub setting: Multipliers,
    pub age: [Vec<f64>; 4],
    /// Share of those who declined vaccination who accept it after all (0-1): a campaign's uptake
    /// `u` becomes `1 - (1 - u)(1 - uptake_boost)`.
    pub uptake_boost: f64,
}

impl DayEffects {
    /// Nothing done: every factor 1.
    pub fn none(groups: usize) -> Self {
        Self {
            setting: [1.0; 4],
            age: std::array::from_fn(|_| vec![1.0; groups]),
            uptake_boost: 0.0,
        }
    }
}

/// Probabilities of one group, kept together for the inner loop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupRates {
    /// P(asymptomatic pathway | infection).
    pub p_asym: f64,
    /// P(severe pathway = admission | infection from class k), k in (S, V, R, W).
    pub p_severe: [f64; 4],
    /// P(ICU | admission).
    pub p_icu: f64,
    /// P(death | ward stay without ICU).
    pub q_ward: f64,
    /// P(death | ICU) while capacity suffices.
    pub q_icu: f64,
}

/// Longest run accepted, in days.
pub const MAX_DAYS: usize = 36_525;

/// A calibration and a scenario, prepared for fast runs.
#[derive(Debug, Clone)]
pub struct Model {
    calibration: Calibration,
    scenario: Scenario,
    pub(crate) groups: usize,
    pub(crate) population: Vec<f64>,
    /// Reciprocal contact matrices by setting, flat `groups x groups`, contacts per person per day.
    pub(crate) contacts: [Vec<f64>; 4],
    /// Transmission probability per contact scaled to give R0.
    pub(crate) beta0: f64,
    /// Per setting, `T^s_gh = beta0 * sigma_g * M^s_gh / N_h` (1/day per infectious person),
    /// stored transposed (`[h * groups + g]`): precomputed so a day's operator is a weighted sum
    /// of four matrices.
    transmission: [Vec<f64>; 4],
    pub(crate) susceptibility: Vec<f64>,
    /// Relative infection hazard of each immune class (S, V, R, W).
    pub(crate) hazard: [f64; 4],
    /// Pathway and outcome probabilities per group.
    pub(crate) per_group: Vec<GroupRates>,
    pub(crate) q_overflow: Option<f64>,
    pub(crate) rho: f64,
    /// Share of the recovered that is protected against reinfection (all-or-nothing).
    protected: f64,
    pub(crate) latent_rate: f64,
    pub(crate) recovery_rate: f64,
    ward_rate: f64,
    icu_rate: f64,
    waning_vaccine: f64,
    waning_infection: f64,
    icu_capacity: f64,
    /// Integration steps per day.
    steps_per_day: usize,
}

impl Model {
    /// Validates both inputs against each other and prepares the rates.
    pub fn new(calibration: Calibration, scenario: Scenario) -> Result<Model> {
        calibration.validate()?;
        scenario.validate(Some(calibration.n_ages()))?;
        let n = calibration.n_ages();
        let v = &scenario.variant;
        let sev = &calibration.severity;
        let mut check = Checker::new();

        let escape = 1.0 - v.immune_escape;
        let h_v = 1.0 - scenario.vaccine.infection_efficacy * escape;
        // Infection-derived protection is all-or-nothing: the recovered in R cannot be infected until
        // they wane to W (see the module documentation).
        let hazard = [1.0, h_v, 0.0, 1.0];
        let severe_factor = [
            1.0,
            ratio_or_one(1.0 - scenario.vaccine.severe_efficacy, h_v),
            1.0,
            1.0 - scenario.immunity.waned_severe_protection,
        ];

        let mut per_group = Vec::with_capacity(n);
        for a in 0..n {
            let p_hosp = sev.p_hospital_given_infection[a] * v.severity;
            let room = 1.0 - calibration.asymptomatic_share[a];
            if p_hosp > room {
                check.fail(
                    "scenario.variant.severity",
                    format!(
                        "makes P(admission | infection) in band {} ({p_hosp}) exceed the symptomatic share ({room})",
                        calibration.age_bands[a]
                    ),
                    format!("{}", v.severity),
                );
            }
            let icu = sev.p_icu_given_admission[a];
            let ward_death = if icu < 1.0 {
                (sev.p_death_given_admission[a] - icu * sev.p_death_given_icu[a]) / (1.0 - icu)
            } else {
                0.0
            };
            if ward_death < -1e-12 {
                check.fail(
                    format!("calibration.severity.p_death_given_icu[{a}]"),
                    format!(
                        "implies a negative ward mortality: P(ICU|admission) x P(death|ICU) exceeds P(death|admission) ({})",
                        sev.p_death_given_admission[a]
                    ),
                    format!("{}", sev.p_death_given_icu[a]),
                );
            }
            for (field, value, scale) in [
                ("scenario.variant.icu_ratio", icu, v.icu_ratio),
                (
                    "scenario.variant.fatality_ratio",
                    ward_death.max(0.0),
                    v.fatality_ratio,
                ),
                (
                    "scenario.variant.fatality_ratio",
                    sev.p_death_given_icu[a],
                    v.fatality_ratio,
                ),
            ] {
                if value * scale > 1.0 {
                    check.fail(
                        field,
                        format!(
                            "makes a probability in band {} exceed 1 ({value} x {scale})",
                            calibration.age_bands[a]
                        ),
                        format!("{scale}"),
                    );
                }
            }
            per_group.push(GroupRates {
                p_asym: calibration.asymptomatic_share[a],
                p_severe: severe_factor.map(|f| p_hosp * f),
                p_icu: icu * v.icu_ratio,
                q_ward: ward_death.max(0.0) * v.fatality_ratio,
                q_icu: sev.p_death_given_icu[a] * v.fatality_ratio,
            });
        }
        let q_overflow = sev.p_death_icu_overflow;
        check.finish()?;

        let rates = [
            1.0 / v.latent_days,
            1.0 / v.infectious_days,
            1.0 / calibration.stays.ward_days,
            1.0 / calibration.stays.icu_days,
        ];
        let fastest = rates.iter().cloned().fold(0.0, f64::max);
        // Keep the fastest linear rate times the step below 0.5: RK4's local error is then about
        // (0.5)^5/120 = 3e-4 of the decaying quantity per step, and the daily outputs stay within
        // 2e-4 of their peak (measured at most 1.0e-4 against 64 steps per day and against scipy).
        let steps_per_day = ((2.0 * fastest).ceil() as usize).clamp(2, 4096);

        let mut model = Model {
            groups: n,
            population: calibration.population.clone(),
            contacts: contacts::settings(&calibration),
            beta0: 1.0,
            transmission: Default::default(),
            susceptibility: calibration.relative_susceptibility.clone(),
            hazard,
            per_group,
            q_overflow,
            rho: calibration.asymptomatic_infectiousness,
            protected: scenario.immunity.infection_protection,
            latent_rate: rates[0],
            recovery_rate: rates[1],
            ward_rate: rates[2],
            icu_rate: rates[3],
            waning_vaccine: scenario.vaccine.waning_days.map_or(0.0, |d| 1.0 / d),
            waning_infection: scenario.immunity.waning_days.map_or(0.0, |d| 1.0 / d),
            icu_capacity: calibration.capacity.icu_scaled,
            steps_per_day,
            calibration,
            scenario,
        };
        let radius = ngm::spectral_radius(&ngm::next_generation(&model, 0.0), n);
        if radius <= 0.0 || !radius.is_finite() {
            return Err(Error::Validation(vec![crate::error::FieldError {
                field: "calibration.contacts".into(),
                message: "give no transmission (next-generation matrix has spectral radius 0)"
                    .into(),
                value: format!("{radius}"),
            }]));
        }
        model.beta0 = model.scenario.variant.r0 / radius;
        model.transmission = model.contacts.clone().map(|mut m| {
            for (k, value) in m.iter_mut().enumerate() {
                let (a, b) = (k / n, k % n);
                *value *= model.beta0 * model.susceptibility[a] / model.population[b];
            }
            transpose(&m, n)
        });
        Ok(model)
    }

    pub fn calibration(&self) -> &Calibration {
        &self.calibration
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Transmission probability per contact (for a person of relative susceptibility 1).
    pub fn beta0(&self) -> f64 {
        self.beta0
    }

    /// The scalar parameters of the prepared model by name: rates (1/day), the protected share
    /// after recovery and the ICU capacity (persons).
    pub fn scalars(&self) -> [(&'static str, f64); 8] {
        [
            ("latent_rate", self.latent_rate),
            ("recovery_rate", self.recovery_rate),
            ("ward_rate", self.ward_rate),
            ("icu_rate", self.icu_rate),
            ("waning_vaccine", self.waning_vaccine),
            ("waning_infection", self.waning_infection),
            ("protected", self.protected),
            ("icu_capacity", self.icu_capacity),
        ]
    }

    /// Pathway and outcome probabilities per group, as prepared from calibration and scenario.
    pub fn group_rates(&self) -> &[GroupRates] {
        &self.per_group
    }

    pub fn steps_per_day(&self) -> usize {
        self.steps_per_day
    }

    /// The same model integrated with `steps` RK4 steps per day (for accuracy studies); at least
    /// one step per day.
    pub fn with_steps_per_day(mut self, steps: usize) -> Result<Model> {
        if steps == 0 || steps > 1 << 16 {
            return Err(Error::Validation(vec![crate::error::FieldError {
                field: "steps_per_day".into(),
                message: "must be between 1 and 65536".into(),
                value: steps.to_string(),
            }]));
        }
        self.steps_per_day = steps;
        Ok(self)
    }

    /// The basic reproduction number implied by the prepared rates (equals `scenario.variant.r0`).
    pub fn r0(&self) -> f64 {
        self.beta0 * ngm::spectral_radius(&ngm::next_generation(self, 0.0), self.groups)
    }

    /// Initial exponential growth rate (1/day) of a fully susceptible population at normal contacts
    /// and seasonal mean: the `r` with spectral radius of `K(r)` equal to one.
    pub fn growth_rate(&self) -> f64 {
        ngm::growth_rate(self)
    }

    /// The state at day 0 (flat `groups x SLOTS`).
    pub fn initial_state(&self) -> Vec<f64> {
        let init = &self.scenario.initial;
        let mut y = vec![0.0; self.groups * SLOTS];
        // Share of the infected in the latent stage, as in the early exponential phase of the
        // reference epidemic without growth: latent / (latent + infectious) durations.
        let latent = self.recovery_rate / (self.latent_rate + self.recovery_rate);
        for g in 0..self.groups {
            let n = self.population[g];
            let s = &mut y[g * SLOTS..(g + 1) * SLOTS];
            s[c::V] = init.vaccinated[g] * n;
            // Immunity from earlier variants: the escaped share counts as waned (all-or-nothing).
            let escaped = self.scenario.variant.immune_escape;
            s[c::R] = init.recovered[g] * n * (1.0 - escaped);
            s[c::W] = (init.recovered[g] * escaped + init.waned[g]) * n;
            let infected = init.prevalence * n;
            let r = &self.per_group[g];
            let (asym, severe) = (r.p_asym, r.p_severe[0]);
            for (e, i, p) in [
                (c::E_ASYM, c::I_ASYM, asym),
                (c::E_MILD, c::I_MILD, 1.0 - asym - severe),
                (c::E_SEV, c::I_SEV, severe),
            ] {
                s[e] = infected * p * latent;
                s[i] = infected * p * (1.0 - latent);
            }
            s[c::S] = (n - s[c::V] - s[c::R] - s[c::W] - infected).max(0.0);
        }
        y
    }

    /// Runs `days` days without measures (behaviour, when the scenario has it, still acts).
    pub fn run(&self, days: usize) -> Result<Trajectory> {
        crate::behaviour::run(self, days, &mut |_, _, _| Default::default())
    }

    /// Runs with a fixed schedule of contact multipliers, one row per day. They count as measures:
    /// behaviour, when the scenario has it, scales them by compliance; they carry no OxCGRT
    /// stringency, so they build no fatigue (use a package for that).
    pub fn run_with_multipliers(&self, schedule: &[Multipliers]) -> Result<Trajectory> {
        let mut check = Checker::new();
        for (d, row) in schedule.iter().enumerate() {
            for (s, &m) in Setting::ALL.iter().zip(row) {
                check.non_negative(&format!("contact_multipliers[{d}].{}", s.name()), m);
            }
        }
        check.finish()?;
        crate::behaviour::run(self, schedule.len(), &mut |day, _, m| {
            m.setting = schedule[day];
            Default::default()
        })
    }

    /// Runs `days` days; `control(day, state, modifiers)` sets the contact modifiers for the day
    /// given the state at its start (slot-major, see [`crate::compartments`]); they stay as they
    /// were the day before unless changed. This is the hook through which measures and behaviour act.
    pub fn simulate(
        &self,
        days: usize,
        control: &mut dyn FnMut(usize, &[f64], &mut DayEffects),
    ) -> Result<Trajectory> {
        if days == 0 || days > MAX_DAYS {
            return Err(Error::Validation(vec![crate::error::FieldError {
                field: "days".into(),
                message: format!("must be between 1 and {MAX_DAYS}"),
                value: format!("{days}"),
            }]));
        }
        let g = self.groups;
        let mut y = self.initial_state();
        let mut trajectory = Trajectory::new(self, days);
        trajectory.record_state(0, &y);
        let mut rk = Rk4::new(y.len());
        let mut op = vec![0.0; g * g];
        let mut pressure = vec![0.0; g];
        let mut lambda = vec![0.0; g];
        let mut given = vec![vec![0.0; g]; self.scenario.campaigns.len()];
        let mut doses = vec![0.0; g];
        let h = 1.0 / self.steps_per_day as f64;
        let mut m = DayEffects::none(g);
        for day in 0..days {
            control(day, &y, &mut m);
            self.contact_operator(&m, &mut op);
            self.vaccinate(day, m.uptake_boost, &mut y, &mut given, &mut doses);
            let mut derivative = |t: f64, y: &[f64], dy: &mut [f64]| {
                self.derivative(t, y, &op, &mut pressure, &mut lambda, dy)
            };
            for step in 0..self.steps_per_day {
                let t = day as f64 + step as f64 * h;
                rk.advance(&mut derivative, t, h, &mut y)?;
            }
            trajectory.record_day(day, &y, &doses, &m.setting);
        }
        Ok(trajectory)
    }

    /// `op_gh = sum_s m_s f_s,g f_s,h T^s_gh`, the operator from infectious counts in group h to
    /// the force of infection on group g, transposed like `transmission`.
    fn contact_operator(&self, m: &DayEffects, op: &mut [f64]) {
        let n = self.groups;
        op.fill(0.0);
        for ((setting, &scale), f) in self.transmission.iter().zip(&m.setting).zip(&m.age) {
            for (h, column) in setting.chunks_exact(n).enumerate() {
                let weight = scale * f[h];
                for ((o, t), f_g) in op[h * n..(h + 1) * n].iter_mut().zip(column).zip(f) {
                    *o += weight * f_g * t;
                }
            }
        }
    }

    fn seasonality(&self, t: f64) -> f64 {
        let s = &self.scenario.seasonality;
        let doy = self.scenario.start_day_of_year + t;
        1.0 + s.amplitude * (std::f64::consts::TAU * (doy - s.peak_day_of_year) / 365.25).cos()
    }

    /// The right-hand side of the model (see the module documentation).
    fn derivative(
        &self,
        t: f64,
        y: &[f64],
        op: &[f64],
        pressure: &mut [f64],
        lambda: &mut [f64],
        dy: &mut [f64],
    ) {
        let n = self.groups;
        let (states, _) = y.as_chunks::<SLOTS>();
        let (changes, _) = dy.as_chunks_mut::<SLOTS>();
        let mut icu_total = 0.0;
        for (s, p) in states.iter().zip(pressure.iter_mut()) {
            *p = s[c::I_MILD] + s[c::I_SEV] + self.rho * s[c::I_ASYM];
            icu_total += s[c::C];
        }
        let season = self.seasonality(t);
        // lambda = season * op . pressure, accumulated column by column (op is stored transposed)
        // so the inner loop runs over independent accumulators and vectorises.
        lambda.fill(0.0);
        for (column, &p) in op.chunks_exact(n).zip(pressure.iter()) {
            let weight = season * p;
            for (l, o) in lambda.iter_mut().zip(column) {
                *l += o * weight;
            }
        }
        let overflow = match self.q_overflow {
            Some(_) if icu_total > self.icu_capacity => (icu_total - self.icu_capacity) / icu_total,
            _ => 0.0,
        };
        let (sigma, gamma) = (self.latent_rate, self.recovery_rate);
        for (((s, d), r), &lambda) in states
            .iter()
            .zip(changes)
            .zip(&self.per_group)
            .zip(&*lambda)
        {
            let mut infections = 0.0;
            let mut severe = 0.0;
            for (k, &class) in c::CLASSES.iter().enumerate() {
                let flow = lambda * self.hazard[k] * s[class];
                d[class] = -flow;
                infections += flow;
                severe += flow * r.p_severe[k];
            }
            let asym = infections * r.p_asym;
            let to_infectious = [
                sigma * s[c::E_ASYM],
                sigma * s[c::E_MILD],
                sigma * s[c::E_SEV],
            ];
            let recoveries = gamma * (s[c::I_ASYM] + s[c::I_MILD]);
            let admissions = gamma * s[c::I_SEV];
            let to_icu = admissions * r.p_icu;
            let ward_out = self.ward_rate * s[c::H];
            let icu_out = self.icu_rate * s[c::C];
            let icu_death_p = match self.q_overflow {
                Some(q) => r.q_icu * (1.0 - overflow) + q * overflow,
                None => r.q_icu,
            };
            let deaths = ward_out * r.q_ward + icu_out * icu_death_p;
            let waning_v = self.waning_vaccine * s[c::V];
            let waning_r = self.waning_infection * s[c::R];

            d[c::V] -= waning_v;
            let recovered = recoveries + ward_out + icu_out - deaths;
            d[c::R] += self.protected * recovered - waning_r;
            d[c::W] += (1.0 - self.protected) * recovered + waning_v + waning_r;
            d[c::E_ASYM] = asym - to_infectious[0];
            d[c::E_MILD] = infections - asym - severe - to_infectious[1];
            d[c::E_SEV] = severe - to_infectious[2];
            d[c::I_ASYM] = to_infectious[0] - gamma * s[c::I_ASYM];
            d[c::I_MILD] = to_infectious[1] - gamma * s[c::I_MILD];
            d[c::I_SEV] = to_infectious[2] - admissions;
            d[c::H] = admissions - to_icu - ward_out;
            d[c::C] = to_icu - icu_out;
            d[c::D] = deaths;
            d[c::CUM_INFECTIONS] = infections;
            d[c::CUM_ADMISSIONS] = admissions;
            d[c::CUM_ICU_ADMISSIONS] = to_icu;
        }
    }

    /// Gives the day's doses of every active campaign, moving the vaccinated from S and W to V.
    fn vaccinate(
        &self,
        day: usize,
        uptake_boost: f64,
        y: &mut [f64],
        given: &mut [Vec<f64>],
        doses: &mut [f64],
    ) {
        doses.iter_mut().for_each(|d| *d = 0.0);
        let n = self.groups;
        for (campaign, given) in self.scenario.campaigns.iter().zip(given.iter_mut()) {
            let active = ((day + 1) as f64 - campaign.start_day).clamp(0.0, 1.0);
            let mut left = campaign.doses_per_day * active;
            if left <= 0.0 {
                continue;
            }
            let wanted: Vec<f64> = (0..n)
                .map(|g| {
                    let s = &y[g * SLOTS..(g + 1) * SLOTS];
                    let eligible = s[c::S] + s[c::W] + s[c::R];
                    let uptake = 1.0 - (1.0 - campaign.uptake[g]) * (1.0 - uptake_boost);
                    (uptake * self.population[g] - given[g])
                        .max(0.0)
                        .min(eligible)
                })
                .collect();
            let total_wanted: f64 = wanted.iter().sum();
            if total_wanted <= 0.0 {
                continue;
            }
            for step in 0..n {
                let (g, dose) = match campaign.priority {
                    Priority::OldestFirst => {
                        let g = n - 1 - step;
                        (g, wanted[g].min(left))
                    }
                    Priority::Proportional => {
                        let share = (campaign.doses_per_day * active / total_wanted).min(1.0);
                        (step, wanted[step] * share)
                    }
                };
                if dose <= 0.0 {
                    continue;
                }
                let s = &mut y[g * SLOTS..(g + 1) * SLOTS];
                let eligible = s[c::S] + s[c::W] + s[c::R];
                // Doses reach S, W and R alike (nobody knows who was infected); the recently
                // recovered keep their (stronger, all-or-nothing) protection in R.
                let fraction = dose / eligible;
                for class in [c::S, c::W] {
                    let moved = s[class] * fraction;
                    s[class] -= moved;
                    s[c::V] += moved;
                }
                given[g] += dose;
                doses[g] += dose;
                left -= dose;
            }
        }
    }
}

/// The transpose of a flat row-major `n x n` matrix.
fn transpose(m: &[f64], n: usize) -> Vec<f64> {
    (0..n * n).map(|k| m[(k % n) * n + k / n]).collect()
}

fn ratio_or_one(numerator: f64, denominator: f64) -> f64 {
    if denominator > 0.0 {
        numerator / denominator
    } else {
        1.0
    }
}
