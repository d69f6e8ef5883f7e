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

use crate::epidemic::compartments::{self as c, SLOTS};
use crate::epidemic::contacts;
use crate::epidemic::flows;
use crate::epidemic::layout::{Layout, BLOCK, LANES};
use crate::epidemic::ngm;
use crate::epidemic::solver::Rk4;
use crate::epidemic::trajectory::Trajectory;
use crate::error::{Error, Result};
use crate::inputs::calibration::Calibration;
use crate::inputs::regions::{self, Geography};
use crate::inputs::scenario::{Priority, Scenario};
use crate::inputs::validate::Checker;

/// Runs `$body` for consecutive blocks of `0..$n` (regions), widest first (8, 4, 2, 1), with `$a0`
/// the block's first index and `$w` its width as a constant, so that a `[f64; $w]` of sums can live
/// in registers.
macro_rules! by_blocks {
    ($n:expr, $a0:ident, $w:ident, $body:block) => {{
        let n: usize = $n;
        let mut $a0 = 0;
        while $a0 + 8 <= n {
            const $w: usize = 8;
            $body
            $a0 += $w;
        }
        if $a0 + 4 <= n {
            const $w: usize = 4;
            $body
            $a0 += $w;
        }
        if $a0 + 2 <= n {
            const $w: usize = 2;
            $body
            $a0 += $w;
        }
        if $a0 < n {
            const $w: usize = 1;
            $body
        }
    }};
}

/// Runs `$body` for consecutive pairs of `0..$n` (age bands) and a last single one, with `$a` the
/// first of them and `$k` their number as a constant.
macro_rules! by_pairs {
    ($n:expr, $a:ident, $k:ident, $body:block) => {{
        let n: usize = $n;
        let mut $a = 0;
        while $a + 2 <= n {
            const $k: usize = 2;
            $body
            $a += $k;
        }
        if $a < n {
            const $k: usize = 1;
            $body
        }
    }};
}

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
    /// What preparedness levers change in care and vaccination (national: read from the first
    /// region's entry); the default changes nothing ([`crate::measures::preparedness`]).
    pub care: Care,
}

impl DayEffects {
    /// Nothing done: every factor 1.
    pub fn none(groups: usize) -> Self {
        Self {
            setting: [1.0; 4],
            age: std::array::from_fn(|_| vec![1.0; groups]),
            uptake_boost: 0.0,
            care: Default::default(),
        }
    }
}

/// The hook of [`Model::simulate`]: `(day, state, effects per region)`.
pub type Control<'a> = dyn FnMut(usize, &[f64], &mut [DayEffects]) + 'a;

/// Probabilities of one group (in the flows, `T` holds those of several groups at once).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupRates<T = f64> {
    /// P(asymptomatic pathway | infection).
    pub p_asym: T,
    /// P(severe pathway = admission | infection from class k), k in (S, V, R, W).
    pub p_severe: [T; 4],
    /// P(ICU | admission).
    pub p_icu: T,
    /// P(death | ward stay without ICU).
    pub q_ward: T,
    /// P(death | ICU) while capacity suffices.
    pub q_icu: T,
}

/// Longest run accepted, in days.
pub const MAX_DAYS: usize = 36_525;

/// A calibration and a scenario, prepared for fast runs.
#[derive(Debug, Clone)]
pub struct Model {
    calibration: Calibration,
    scenario: Scenario,
    /// Groups of the state: `regions x ages` (region-major), `ages` for the national model.
    pub(crate) groups: usize,
    /// Age bands.
    pub(crate) ages: usize,
    /// Persons per age band (national).
    pub(crate) population: Vec<f64>,
    /// The regions, when the calibration has them ([`crate::inputs::regions`]).
    pub(crate) geography: Option<Geography>,
    /// Regional models: per setting `B^s_ab = beta0 sigma_a M^s_ab` stored transposed
    /// (`[b * ages + a]`), 1/day per contact-weighted infectious share.
    rates_per_contact: [Vec<f64>; 4],
    /// Regional models: ICU beds after scale-up per region.
    region_icu_capacity: Vec<f64>,
    /// Reciprocal contact matrices by setting, flat `groups x groups`, contacts per person per day.
    pub(crate) contacts: [Vec<f64>; 4],
    /// Transmission probability per contact scaled to give R0.
    pub(crate) beta0: f64,
    /// Per setting, `T^s_gh = beta0 * sigma_g * M^s_gh / N_h` (1/day per infectious person),
    /// stored transposed (`[h * groups + g]`): precomputed so a day's operator is a weighted sum
    /// of four matrices.
    transmission: [Vec<f64>; 4],
    pub(crate) susceptibility: Vec<f64>,
    /// Pathway and outcome probabilities per group.
    pub(crate) per_group: Vec<GroupRates>,
    pub(crate) rho: f64,
    /// The rates of the flows within groups (hazards, progression, stays, waning, protection).
    pub(crate) flows: flows::Rates,
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
                    format_args!("calibration.severity.p_death_given_icu[{a}]"),
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

        let geography = Geography::new(&calibration);
        let regions = geography.as_ref().map_or(1, Geography::len);
        let mut model = Model {
            groups: n * regions,
            ages: n,
            population: calibration.population.clone(),
            region_icu_capacity: geography.as_ref().map_or_else(Vec::new, |geo| {
                geo.capacity_share
                    .iter()
                    .map(|s| s * calibration.capacity.icu_scaled)
                    .collect()
            }),
            geography,
            rates_per_contact: Default::default(),
            contacts: contacts::settings(&calibration),
            beta0: 1.0,
            transmission: Default::default(),
            susceptibility: calibration.relative_susceptibility.clone(),
            per_group,
            rho: calibration.asymptomatic_infectiousness,
            flows: flows::Rates {
                hazard,
                latent: rates[0],
                recovery: rates[1],
                ward: rates[2],
                icu: rates[3],
                waning_vaccine: scenario.vaccine.waning_days.map_or(0.0, |d| 1.0 / d),
                waning_infection: scenario.immunity.waning_days.map_or(0.0, |d| 1.0 / d),
                protected: scenario.immunity.infection_protection,
                q_overflow,
            },
            icu_capacity: calibration.capacity.icu_scaled,
            steps_per_day,
            calibration,
            scenario,
        };
        // The regions share the national age structure and contacts per person, and their mixing
        // is row-stochastic, so the national next-generation matrix gives R0.
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
        model.rates_per_contact = model.contacts.clone().map(|mut m| {
            for (k, value) in m.iter_mut().enumerate() {
                *value *= model.beta0 * model.susceptibility[k / n];
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
            ("latent_rate", self.flows.latent),
            ("recovery_rate", self.flows.recovery),
            ("ward_rate", self.flows.ward),
            ("icu_rate", self.flows.icu),
            ("waning_vaccine", self.flows.waning_vaccine),
            ("waning_infection", self.flows.waning_infection),
            ("protected", self.flows.protected),
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
        self.beta0 * ngm::spectral_radius(&ngm::next_generation(self, 0.0), self.ages)
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
        let latent = self.flows.recovery / (self.flows.latent + self.flows.recovery);
        for group in 0..self.groups {
            let g = group % self.ages;
            let (n, seed) = match &self.geography {
                Some(geo) => (geo.population[group], geo.seed[group / self.ages]),
                None => (self.population[g], 1.0),
            };
            let s = &mut y[group * SLOTS..(group + 1) * SLOTS];
            s[c::V] = init.vaccinated[g] * n;
            // Immunity from earlier variants: the escaped share counts as waned (all-or-nothing).
            let escaped = self.scenario.variant.immune_escape;
            s[c::R] = init.recovered[g] * n * (1.0 - escaped);
            s[c::W] = (init.recovered[g] * escaped + init.waned[g]) * n;
            let infected = (init.prevalence * seed).min(1.0) * n;
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

    /// Runs `days` days; `control(day, state, modifiers)` sets the contact modifiers for the day
    /// given the state at its start (group-major, see [`crate::epidemic::compartments`]); they stay as they
    /// were the day before unless changed. This is the hook through which measures and behaviour act.
    pub fn simulate(&self, days: usize, control: &mut Control<'_>) -> Result<Trajectory> {
        if days == 0 || days > MAX_DAYS {
            return Err(Error::Validation(vec![crate::error::FieldError {
                field: "days".into(),
                message: format!("must be between 1 and {MAX_DAYS}"),
                value: format!("{days}"),
            }]));
        }
        let y = self.initial_state();
        let len = y.len();
        let mut trajectory = Trajectory::new(self, days);
        let mut states = Vec::with_capacity((days + 1) * len);
        states.extend_from_slice(&y);
        let mut scratch = Scratch::new(self);
        let layout = scratch.layout;
        // The state as the solver holds it (see `crate::epidemic::layout`); the states of the trajectory
        // are copies in group-major order.
        let mut z = vec![0.0; layout.len()];
        layout.load(&y, &mut z);
        let mut rk = Rk4::new(z.len());
        let mut given = vec![vec![0.0; self.groups]; self.scenario.campaigns.len()];
        let mut doses = vec![0.0; self.groups];
        let h = 1.0 / self.steps_per_day as f64;
        let mut m = vec![DayEffects::none(self.ages); self.regions()];
        let mut mean = [0.0; 4];
        for day in 0..days {
            control(day, &states[day * len..], &mut m);
            self.prepare_day(&m, &mut scratch);
            self.prepare_care(&m[0].care, &mut scratch);
            self.vaccinate(day, &m, &layout, &mut z, &mut given, &mut doses);
            let mut derivative =
                |t: f64, z: &[f64], dz: &mut [f64]| self.derivative(t, z, &mut scratch, dz);
            for step in 0..self.steps_per_day {
                let t = day as f64 + step as f64 * h;
                rk.advance(&mut derivative, t, h, &mut z)?;
            }
            states.resize((day + 2) * len, 0.0);
            layout.store(&z, &mut states[(day + 1) * len..]);
            self.mean_multipliers(&m, &mut mean);
            trajectory.record_day(day, &doses, &mean);
        }
        trajectory.set_states(states);
        Ok(trajectory)
    }

    /// The number of regions (1 for the national model).
    pub fn regions(&self) -> usize {
        self.geography.as_ref().map_or(1, Geography::len)
    }

    /// The prepared regions, for regional models.
    pub fn geography(&self) -> Option<&Geography> {
        self.geography.as_ref()
    }

    /// Persons per group (`regions x ages`, region-major; the age bands for the national model).
    pub fn group_population(&self) -> &[f64] {
        match &self.geography {
            Some(geo) => &geo.population,
            None => &self.population,
        }
    }

    /// ICU beds after scale-up per region (one entry, the national capacity, without regions).
    pub fn region_icu_capacity(&self) -> Vec<f64> {
        match &self.geography {
            Some(_) => self.region_icu_capacity.clone(),
            None => vec![self.icu_capacity],
        }
    }

    /// Sets the day's ICU capacity and ward discharge rate from the preparedness levers acting
    /// (the calibrated values when none acts).
    fn prepare_care(&self, care: &Care, sc: &mut Scratch) {
        sc.rates.ward = care.ward_days.map_or(self.flows.ward, |d| 1.0 / d);
        let capacity = care.icu_capacity.unwrap_or(self.icu_capacity);
        if capacity == sc.icu_capacity {
            return;
        }
        sc.icu_capacity = capacity;
        match (&self.geography, care.icu_capacity) {
            (Some(geo), Some(c)) => {
                for (cap, share) in sc.region_icu_capacity.iter_mut().zip(&geo.capacity_share) {
                    *cap = share * c;
                }
            }
            _ => sc.region_icu_capacity.clone_from(&self.region_icu_capacity),
        }
    }

    /// The contact multipliers of the day per setting, population-weighted over regions.
    fn mean_multipliers(&self, m: &[DayEffects], out: &mut Multipliers) {
        match &self.geography {
            None => *out = m[0].setting,
            Some(geo) => {
                let total: f64 = geo.region_population.iter().sum();
                *out = [0.0; 4];
                for (effects, n) in m.iter().zip(&geo.region_population) {
                    for (o, v) in out.iter_mut().zip(effects.setting) {
                        *o += v * n / total;
                    }
                }
            }
        }
    }

    /// Sets the day's operator (national), or per region the day's factors and local operator
    /// (regional, see [`Model::regional_force`]).
    fn prepare_day(&self, m: &[DayEffects], sc: &mut Scratch) {
        let Some(geo) = &self.geography else {
            self.contact_operator(&m[0], &mut sc.op);
            return;
        };
        let (n, regions) = (self.ages, geo.len());
        // Age-major (`[a * regions + r]`, see `Scratch`): the force is computed for many regions
        // at once.
        for (s, factor) in sc.factor.iter_mut().enumerate() {
            for (r, effects) in m.iter().enumerate() {
                let root = effects.setting[s].sqrt();
                for (a, age) in effects.age[s].iter().enumerate() {
                    factor[a * regions + r] = root * age;
                }
            }
        }
        sc.uniform = m.iter().all(|e| e == &m[0]);
        let Scratch {
            factor,
            local,
            full,
            cross,
            uniform,
            ..
        } = sc;
        if *uniform {
            // Every region has region 0's operators F and C but for the connectivity in
            // L_r = F - rho_r C.
            full.fill(0.0);
            cross.fill(0.0);
            for (s, rates) in self.rates_per_contact.iter().enumerate() {
                let f = |a: usize| factor[s][a * regions];
                let o = geo.outside[s];
                for (h, column) in rates.chunks_exact(n).enumerate() {
                    for (a, &b) in column.iter().enumerate() {
                        let v = f(a) * f(h) * b;
                        full[h * n + a] += v;
                        cross[h * n + a] += o * v;
                    }
                }
            }
            for ((l, &op), &c) in local.chunks_exact_mut(regions).zip(&*full).zip(&*cross) {
                for (l, &rho) in l.iter_mut().zip(&geo.connectivity) {
                    *l = op - rho * c;
                }
            }
            return;
        }
        // Regional factors: the cross terms are applied setting by setting (no `C`).
        local.fill(0.0);
        for r in 0..regions {
            for (s, rates) in self.rates_per_contact.iter().enumerate() {
                let f = |a: usize| factor[s][a * regions + r];
                let keep = 1.0 - geo.outside[s] * geo.connectivity[r];
                for (h, column) in rates.chunks_exact(n).enumerate() {
                    for (a, &b) in column.iter().enumerate() {
                        local[(h * n + a) * regions + r] += f(a) * f(h) * b * keep;
                    }
                }
            }
        }
    }

    /// `op_gh = sum_s m_s f_s,g f_s,h T^s_gh`, the operator from infectious counts in group h to
    /// the force of infection on group g, transposed like `transmission`.
    fn contact_operator(&self, m: &DayEffects, op: &mut [f64]) {
        let n = self.ages;
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

    /// The force of infection of a regional model (see [`crate::inputs::regions`]) into `sc.lambda`.
    /// With `x_qb = P_qb / N_qb`, `F^s = a^s a^s B^s` and `W^s = I - o_s diag(rho) + o_s K`:
    ///
    /// ```text
    /// lambda_r = L_r x_r + sum_s o_s a^s_r . B^s (K (a^s . x))_r,   L_r = sum_s (1 - o_s rho_r) F^s_r
    /// ```
    ///
    /// and, on days when every region has the same factors, the second term is `C (K x)_r` with
    /// `C = sum_s o_s F^s`: one kernel product for all settings.
    ///
    /// The vectors are held age-major (`[a * regions + r]`), so that every step is a product over
    /// many regions at once (the kernel `K v` as a `regions x regions` matrix applied to one age
    /// band after another, `L_r x_r` and `C m_r` region by region in parallel), done in blocks of up
    /// to eight regions whose sums stay in registers ([`kernel_block`], [`Force::block`]). Every sum
    /// is taken in the same order as the plain loops over regions and ages would (the kernel is
    /// dense, but its zeros add exact zeros), so the blocking does not change the result.
    #[inline(always)]
    fn regional_force(&self, geo: &Geography, season: f64, sc: &mut Scratch) {
        let (n, regions) = (self.ages, geo.len());
        let Scratch {
            factor,
            pressure,
            lambda,
            x,
            y,
            mixed,
            inv_population,
            local,
            cross,
            kernel,
            uniform,
            ..
        } = sc;
        let uniform = *uniform;
        for ((x, p), inv) in x.iter_mut().zip(&*pressure).zip(&*inv_population) {
            *x = p * inv;
        }
        // (K v)_r for every age band: mixed[a * regions + r] = sum_q K_rq v[a * regions + q].
        if uniform {
            apply_kernel(kernel, x, &mut mixed[0], n, regions);
        } else {
            for (((y, f), &o), m) in y
                .iter_mut()
                .zip(&*factor)
                .zip(&geo.outside)
                .zip(&mut *mixed)
            {
                if o != 0.0 {
                    for ((y, x), f) in y.iter_mut().zip(&*x).zip(f) {
                        *y = f * x;
                    }
                    apply_kernel(kernel, y, m, n, regions);
                }
            }
        }
        let force = Force {
            ages: n,
            regions,
            local,
            x,
            cross,
            mixed,
            rates: &self.rates_per_contact,
            outside: geo.outside,
            factor,
            uniform,
        };
        for a in 0..n {
            const A: usize = 1;
            by_blocks!(regions, r0, W, {
                let acc = force.block::<A, W>(a, r0);
                for (i, acc) in acc.iter().enumerate() {
                    for (l, acc) in lambda[(a + i) * regions + r0..][..W].iter_mut().zip(acc) {
                        *l = acc * season;
                    }
                }
            });
        }
    }

    /// The right-hand side of the model (see the module documentation) on the solver's layout of
    /// the state ([`crate::epidemic::layout`]). It runs compiled for AVX2 where the processor has it (the
    /// same operations in the same order, four numbers at a time instead of two, so the same
    /// results).
    fn derivative(&self, t: f64, z: &[f64], sc: &mut Scratch, dz: &mut [f64]) {
        #[cfg(target_arch = "x86_64")]
        if sc.avx2 {
            // SAFETY: `sc.avx2` is true only when the processor reports AVX2 (`Scratch::new`).
            return unsafe { self.derivative_avx2(t, z, sc, dz) };
        }
        self.derivative_body(t, z, sc, dz)
    }

    /// [`Model::derivative`] compiled for AVX2; the caller must make sure the processor has it.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn derivative_avx2(&self, t: f64, z: &[f64], sc: &mut Scratch, dz: &mut [f64]) {
        self.derivative_body(t, z, sc, dz)
    }

    #[inline(always)]
    fn derivative_body(&self, t: f64, z: &[f64], sc: &mut Scratch, dz: &mut [f64]) {
        let n = self.ages;
        let blocks = z.as_chunks::<BLOCK>().0;
        for (p, block) in sc
            .pressure
            .as_chunks_mut::<LANES>()
            .0
            .iter_mut()
            .zip(blocks)
        {
            let slot = |k: usize| &block[k * LANES..(k + 1) * LANES];
            let infectious = slot(c::I_MILD)
                .iter()
                .zip(slot(c::I_SEV))
                .zip(slot(c::I_ASYM));
            for (p, ((mild, severe), asym)) in p.iter_mut().zip(infectious) {
                *p = mild + severe + self.rho * asym;
            }
        }
        let icu = |position: usize| z[Layout::index(c::C, position)];
        if sc.season_at != t {
            sc.season = self.seasonality(t);
            sc.season_at = t;
        }
        let season = sc.season;
        match &self.geography {
            None => {
                // lambda = season * op . pressure, accumulated column by column (op is stored
                // transposed) so the inner loop runs over independent accumulators and vectorises.
                sc.lambda.fill(0.0);
                for (column, &p) in sc.op.chunks_exact(n).zip(sc.pressure.iter()) {
                    let weight = season * p;
                    for (l, o) in sc.lambda.iter_mut().zip(column) {
                        *l += o * weight;
                    }
                }
                let icu_total = (0..n).map(icu).fold(0.0, |total, v| total + v);
                let overflow = match self.flows.q_overflow {
                    Some(_) if icu_total > sc.icu_capacity => {
                        (icu_total - sc.icu_capacity) / icu_total
                    }
                    _ => 0.0,
                };
                sc.overflow[..n].fill(overflow);
            }
            Some(geo) => {
                self.regional_force(geo, season, sc);
                if self.flows.q_overflow.is_some() {
                    let regions = geo.len();
                    for (r, total) in sc.icu.iter_mut().enumerate() {
                        *total = (0..n).map(|a| icu(a * regions + r)).sum();
                    }
                    if geo.spreading {
                        let share =
                            regions::spread(&sc.icu, &sc.region_icu_capacity, &mut sc.located);
                        sc.overflow[..self.groups].fill(share);
                    } else {
                        let (by_region, rest) = sc.overflow.split_at_mut(regions);
                        for ((o, &icu), &cap) in by_region
                            .iter_mut()
                            .zip(&sc.icu)
                            .zip(&sc.region_icu_capacity)
                        {
                            *o = if icu > cap { (icu - cap) / icu } else { 0.0 };
                        }
                        // Every age band of a region has its region's share.
                        for band in rest[..self.groups - regions].chunks_exact_mut(regions) {
                            band.copy_from_slice(by_region);
                        }
                    }
                }
            }
        }
        flows::all(&sc.rates, &sc.groups, z, dz, &sc.lambda, &sc.overflow);
    }

    /// Gives the day's doses of every active campaign, moving the vaccinated from S and W to V.
    /// Doses go to age bands by the campaign's priority and, within a band, to the regions in
    /// proportion to the people still to vaccinate there (each region's uptake raised by the
    /// levers in force there; faster vaccination acts nationally, from the first region's care).
    fn vaccinate(
        &self,
        day: usize,
        m: &[DayEffects],
        layout: &Layout,
        z: &mut [f64],
        given: &mut [Vec<f64>],
        doses: &mut [f64],
    ) {
        // Compartment `k` of group `g` is at `at(g) + k * LANES` of the solver's state.
        let at = |g: usize| Layout::index(0, layout.position(g));
        doses.iter_mut().for_each(|d| *d = 0.0);
        // Faster vaccination (a preparedness lever): earlier starts and extra doses per day.
        let (earlier, extra) = (
            m[0].care.vaccination_days_earlier,
            m[0].care.extra_doses_per_day,
        );
        let n = self.ages;
        let regions = self.regions();
        let population = self.group_population();
        for (campaign, given) in self.scenario.campaigns.iter().zip(given.iter_mut()) {
            let active = ((day + 1) as f64 - (campaign.start_day - earlier)).clamp(0.0, 1.0);
            let per_day = campaign.doses_per_day + extra;
            let mut left = per_day * active;
            if left <= 0.0 {
                continue;
            }
            let wanted: Vec<f64> = (0..self.groups)
                .map(|g| {
                    let base = at(g);
                    let s = |k: usize| z[base + k * LANES];
                    let eligible = s(c::S) + s(c::W) + s(c::R);
                    let boost = m[g / n].uptake_boost;
                    let uptake = 1.0 - (1.0 - campaign.uptake[g % n]) * (1.0 - boost);
                    (uptake * population[g] - given[g]).max(0.0).min(eligible)
                })
                .collect();
            let total_wanted: f64 = wanted.iter().sum();
            if total_wanted <= 0.0 {
                continue;
            }
            for step in 0..n {
                let band = match campaign.priority {
                    Priority::OldestFirst => n - 1 - step,
                    Priority::Proportional => step,
                };
                // The band's groups, one per region (`g = r * ages + band`).
                let in_band = || (band..self.groups).step_by(n);
                let band_wanted: f64 = in_band().map(|g| wanted[g]).sum();
                let band_dose = match campaign.priority {
                    Priority::OldestFirst => band_wanted.min(left),
                    Priority::Proportional => {
                        band_wanted * (per_day * active / total_wanted).min(1.0)
                    }
                };
                for g in in_band() {
                    let dose = if regions == 1 {
                        band_dose
                    } else if band_wanted > 0.0 {
                        // At most what the group wants: the share can round a whole band's
                        // doses to a hair more than a group's eligible people.
                        (band_dose * wanted[g] / band_wanted).min(wanted[g])
                    } else {
                        0.0
                    };
                    if dose <= 0.0 {
                        continue;
                    }
                    let base = at(g);
                    let s = |k: usize| base + k * LANES;
                    let eligible = z[s(c::S)] + z[s(c::W)] + z[s(c::R)];
                    // Doses reach S, W and R alike (nobody knows who was infected); the recently
                    // recovered keep their (stronger, all-or-nothing) protection in R.
                    let fraction = dose / eligible;
                    for class in [c::S, c::W] {
                        let moved = z[s(class)] * fraction;
                        z[s(class)] -= moved;
                        z[s(c::V)] += moved;
                    }
                    given[g] += dose;
                    doses[g] += dose;
                    left -= dose;
                }
            }
        }
    }
}

/// Scratch buffers of a run, allocated once. Vectors with one entry per group are by position in
/// the solver's layout ([`crate::epidemic::layout`]: age-major, padded for `pressure`, `lambda` and
/// `overflow`).
struct Scratch {
    layout: Layout,
    /// The probabilities of every group, for the flows.
    groups: flows::Groups,
    /// National: the day's operator (`ages x ages`, transposed).
    op: Vec<f64>,
    /// Regional vectors and operators are age-major, `[a * regions + r]`, so the force of
    /// infection is computed for many regions at once ([`Model::regional_force`]).
    /// Regional: per setting the day's factor `a^s_ra` of every group.
    factor: [Vec<f64>; 4],
    /// Regional: the day's local operators `L_r` (`[(b * ages + a) * regions + r]`, that is, per
    /// entry of the transposed `ages x ages` operator one value per region), and on uniform days
    /// `F = sum_s F^s` and the cross operator `C` (`ages x ages`, transposed); whether every region
    /// has the same factors.
    local: Vec<f64>,
    full: Vec<f64>,
    cross: Vec<f64>,
    uniform: bool,
    /// Regional: the kernel `K` transposed and dense (`[q * regions + r] = K_rq`).
    kernel: Vec<f64>,
    /// Regional: kernel products `K v`, per setting (on uniform days only the first).
    mixed: [Vec<f64>; 4],
    pressure: Vec<f64>,
    lambda: Vec<f64>,
    /// Regional: infectious shares `x`, and per setting `a^s . x` (days with regional factors).
    x: Vec<f64>,
    y: [Vec<f64>; 4],
    inv_population: Vec<f64>,
    /// Whether to run the derivative compiled for AVX2 (on processors with it).
    avx2: bool,
    /// Per region: ICU patients and where they lie after spreading; per group: the ICU overflow
    /// share of its region.
    icu: Vec<f64>,
    located: Vec<f64>,
    overflow: Vec<f64>,
    /// The day's ICU beds (national and per region), as the calibration gives them or as
    /// preparedness levers change them.
    icu_capacity: f64,
    region_icu_capacity: Vec<f64>,
    /// The rates of the flows within groups, with the day's ward discharge rate (preparedness
    /// levers change it).
    rates: flows::Rates,
    /// The seasonal factor at time `season_at`: RK4 asks for each time twice (the two midpoint
    /// stages, and a step's end that is the next step's start).
    season: f64,
    season_at: f64,
}

impl Scratch {
    fn new(model: &Model) -> Self {
        let (g, n, r) = (model.groups, model.ages, model.regions());
        let layout = Layout::new(n, r);
        let regional = model.geography.is_some();
        let group_buffer = || if regional { vec![0.0; g] } else { Vec::new() };
        let mut inv_population = group_buffer();
        if regional {
            for (group, p) in model.group_population().iter().enumerate() {
                inv_population[layout.position(group)] = 1.0 / p;
            }
        }
        Scratch {
            layout,
            groups: flows::Groups::new(&model.per_group, &layout),
            op: vec![0.0; n * n],
            factor: std::array::from_fn(|_| group_buffer()),
            local: if regional {
                vec![0.0; r * n * n]
            } else {
                Vec::new()
            },
            full: if regional {
                vec![0.0; n * n]
            } else {
                Vec::new()
            },
            cross: if regional {
                vec![0.0; n * n]
            } else {
                Vec::new()
            },
            uniform: true,
            kernel: model.geography.as_ref().map_or_else(Vec::new, |geo| {
                let mut k = vec![0.0; r * r];
                for (row, kernel) in geo.kernel.iter().enumerate() {
                    for &(q, w) in kernel {
                        k[q * r + row] = w;
                    }
                }
                k
            }),
            mixed: std::array::from_fn(|_| group_buffer()),
            pressure: vec![0.0; layout.padded],
            lambda: vec![0.0; layout.padded],
            x: group_buffer(),
            y: std::array::from_fn(|_| group_buffer()),
            inv_population,
            avx2: avx2(),
            icu: vec![0.0; r],
            located: vec![0.0; r],
            overflow: vec![0.0; layout.padded],
            icu_capacity: model.icu_capacity,
            region_icu_capacity: model.region_icu_capacity.clone(),
            rates: model.flows,
            season: f64::NAN,
            season_at: f64::NAN,
        }
    }
}

/// `sum_q kernel[q * regions + r0 + j] * v[i * regions + q]` for `A` vectors `v_i` (consecutive
/// in `v`) and `W` regions from `r0`, summed over `q` in order with the sums in registers.
#[inline(always)]
fn kernel_block<const A: usize, const W: usize>(
    kernel: &[f64],
    v: &[f64],
    regions: usize,
    r0: usize,
) -> [[f64; W]; A] {
    let mut acc = [[0.0; W]; A];
    let v: [&[f64]; A] = std::array::from_fn(|i| &v[i * regions..(i + 1) * regions]);
    for (q, k) in kernel.chunks_exact(regions).enumerate() {
        let k: &[f64; W] = k[r0..r0 + W].try_into().expect("a block of the row");
        for (acc, v) in acc.iter_mut().zip(&v) {
            let w = v[q];
            for (acc, k) in acc.iter_mut().zip(k) {
                *acc += k * w;
            }
        }
    }
    acc
}

/// The inputs of the regional force of infection after the kernel products (see
/// [`Model::regional_force`]; vectors age-major).
struct Force<'a> {
    ages: usize,
    regions: usize,
    local: &'a [f64],
    x: &'a [f64],
    cross: &'a [f64],
    mixed: &'a [Vec<f64>; 4],
    rates: &'a [Vec<f64>; 4],
    outside: [f64; 4],
    factor: &'a [Vec<f64>; 4],
    uniform: bool,
}

impl Force<'_> {
    /// `lambda / season` of age bands `a..a + A` in regions `r0..r0 + W`:
    /// `L_r x_r + C m_r` (uniform days) or `L_r x_r + sum_s o_s a^s_r . B^s m^s_r`, each sum in the
    /// order of the plain loops.
    #[inline(always)]
    fn block<const A: usize, const W: usize>(&self, a: usize, r0: usize) -> [[f64; W]; A] {
        let (n, regions) = (self.ages, self.regions);
        let mut acc = [[0.0; W]; A];
        // L_r x_r: the local operator differs between regions, so element by element.
        for (b, x) in self.x.chunks_exact(regions).enumerate() {
            let x: &[f64; W] = x[r0..r0 + W].try_into().expect("a block");
            for (i, acc) in acc.iter_mut().enumerate() {
                let l = &self.local[(b * n + a + i) * regions + r0..][..W];
                for ((acc, l), x) in acc.iter_mut().zip(l).zip(x) {
                    *acc += l * x;
                }
            }
        }
        if self.uniform {
            for (b, m) in self.mixed[0].chunks_exact(regions).enumerate() {
                let m: &[f64; W] = m[r0..r0 + W].try_into().expect("a block");
                for (i, acc) in acc.iter_mut().enumerate() {
                    let c = self.cross[b * n + a + i];
                    for (acc, m) in acc.iter_mut().zip(m) {
                        *acc += c * m;
                    }
                }
            }
            return acc;
        }
        let settings = self
            .rates
            .iter()
            .zip(&self.outside)
            .zip(self.factor)
            .zip(self.mixed);
        for (((rates, &o), f), mixed) in settings {
            if o == 0.0 {
                continue;
            }
            let mut z = [[0.0; W]; A];
            for (b, m) in mixed.chunks_exact(regions).enumerate() {
                let m: &[f64; W] = m[r0..r0 + W].try_into().expect("a block");
                for (i, z) in z.iter_mut().enumerate() {
                    let rate = rates[b * n + a + i];
                    for (z, m) in z.iter_mut().zip(m) {
                        *z += rate * m;
                    }
                }
            }
            for (i, (acc, z)) in acc.iter_mut().zip(&z).enumerate() {
                let f = &f[(a + i) * regions + r0..][..W];
                for ((acc, f), z) in acc.iter_mut().zip(f).zip(z) {
                    *acc += o * f * z;
                }
            }
        }
        acc
    }
}

/// `out[a * regions + r] = sum_q K_rq v[a * regions + q]` (`kernel[q * regions + r] = K_rq`), in
/// blocks of two age bands and up to eight regions.
#[inline(always)]
fn apply_kernel(kernel: &[f64], v: &[f64], out: &mut [f64], ages: usize, regions: usize) {
    by_pairs!(ages, a, A, {
        let v = &v[a * regions..(a + A) * regions];
        by_blocks!(regions, r0, W, {
            let acc = kernel_block::<A, W>(kernel, v, regions, r0);
            for (i, acc) in acc.iter().enumerate() {
                out[(a + i) * regions + r0..][..W].copy_from_slice(acc);
            }
        });
    });
}

/// Whether the processor has AVX2.
fn avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
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

/// What the levers acting on a day change in the engine (national; `None`/0: as calibrated).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Care {
    /// ICU beds for COVID-19 patients (persons).
    pub icu_capacity: Option<f64>,
    /// Mean ward stay (days).
    pub ward_days: Option<f64>,
    /// Days by which every campaign starts earlier.
    pub vaccination_days_earlier: f64,
    /// Extra doses per day for every active campaign.
    pub extra_doses_per_day: f64,
}
