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
//!   above the scaled ICU capacity die with the overflow probability; dated runs scale P(ICU|adm)
//!   and q_ward, q_icu by the factors of `calibration.stays.by_date` in force on the day;
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
use crate::epidemic::force::Scratch;
use crate::epidemic::geography::{self, Geography};
use crate::epidemic::layout::{Layout, BLOCK, LANES};
use crate::epidemic::ngm;
use crate::epidemic::solver::Rk4;
use crate::epidemic::trajectory::Trajectory;
use crate::error::{Error, Result};
use crate::inputs::calibration::Calibration;
use crate::inputs::scenario::Scenario;
use crate::inputs::validate::{Checker, MIN_PERIOD_DAYS};

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
    /// P(severe pathway | infection from class k), k in (S, V, R, W): admission, or death
    /// outside hospital for those not admitted.
    pub p_severe: [T; 4],
    /// P(death outside hospital | severe pathway): the share of the severely ill not admitted.
    pub p_outside: T,
    /// P(ICU | admission).
    pub p_icu: T,
    /// P(death | ward stay without ICU).
    pub q_ward: T,
    /// P(death | ICU) while capacity suffices.
    pub q_icu: T,
}

/// Longest run accepted, in days.
pub const MAX_DAYS: usize = 36_525;

/// A run's length must be 1 to [`MAX_DAYS`] days: checked before anything is allocated for it.
pub fn check_days(days: usize) -> Result<()> {
    if days == 0 || days > MAX_DAYS {
        return Err(Error::Validation(vec![crate::error::FieldError {
            field: "days".into(),
            message: format!("must be between 1 and {MAX_DAYS}"),
            value: format!("{days}"),
        }]));
    }
    Ok(())
}

/// A calibration and a scenario, prepared for fast runs.
#[derive(Debug, Clone)]
pub struct Model {
    pub(super) calibration: Calibration,
    pub(super) scenario: Scenario,
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
    pub(super) rates_per_contact: [Vec<f64>; 4],
    /// Regional models: ICU beds after scale-up per region.
    pub(super) region_icu_capacity: Vec<f64>,
    /// Reciprocal contact matrices by setting, flat `groups x groups`, contacts per person per day.
    pub(crate) contacts: [Vec<f64>; 4],
    /// Transmission probability per contact scaled to give R0.
    pub(crate) beta0: f64,
    /// Per setting, `T^s_gh = beta0 * sigma_g * M^s_gh / N_h` (1/day per infectious person),
    /// stored transposed (`[h * groups + g]`): precomputed so a day's operator is a weighted sum
    /// of four matrices.
    pub(super) transmission: [Vec<f64>; 4],
    pub(crate) susceptibility: Vec<f64>,
    /// Pathway and outcome probabilities per group.
    pub(crate) per_group: Vec<GroupRates>,
    pub(crate) rho: f64,
    /// The rates of the flows within groups (hazards, progression, stays, waning, protection).
    pub(crate) flows: flows::Rates,
    pub(super) icu_capacity: f64,
    /// Integration steps per day.
    pub(super) steps_per_day: usize,
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
            let p_out =
                sev.p_death_outside_hospital_given_infection[a] * v.severity * v.fatality_ratio;
            let room = 1.0 - calibration.asymptomatic_share[a];
            if p_hosp + p_out > room {
                check.fail(
                    "scenario.variant.severity",
                    format!(
                        "makes P(admission or death outside hospital | infection) in band {} ({}) exceed the symptomatic share ({room})",
                        calibration.age_bands[a],
                        p_hosp + p_out
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
                p_severe: severe_factor.map(|f| (p_hosp + p_out) * f),
                p_outside: ratio_or_zero(p_out, p_hosp + p_out),
                p_icu: icu * v.icu_ratio,
                q_ward: ward_death.max(0.0) * v.fatality_ratio,
                q_icu: sev.p_death_given_icu[a] * v.fatality_ratio,
            });
        }
        // A dated factor on P(death | admission) must keep the ward's and the ICU's within 1 in
        // the periods a run can reach: those that end after its start date (none without one).
        let deadliest = per_group
            .iter()
            .map(|r| r.q_ward.max(r.q_icu))
            .fold(0.0, f64::max);
        let periods = &calibration.stays.by_date;
        for (i, period) in periods.iter().enumerate() {
            let reached = scenario
                .start_date
                .is_some_and(|start| periods.get(i + 1).is_none_or(|next| next.from > start));
            if reached && period.death_factor * deadliest > 1.0 {
                check.fail(
                    format_args!("calibration.stays.by_date[{i}].death_factor"),
                    format!("makes P(death) on the ward or in ICU exceed 1 (largest {deadliest})"),
                    format!("{}", period.death_factor),
                );
            }
        }
        let q_overflow = sev.p_death_icu_overflow;
        let stays = &calibration.stays;
        // Ill at home until admission: what the latent and infectious stages leave of the delay.
        let at_home = stays.infection_to_admission_days - v.latent_days - v.infectious_days;
        // Two stages at home, each of mean `at_home / 2`, each at least the shortest period.
        if at_home < 2.0 * MIN_PERIOD_DAYS {
            check.fail(
                "calibration.stays.infection_to_admission_days",
                format!(
                    "must exceed the variant's latent + infectious days ({} + {}) by at least {}",
                    v.latent_days,
                    v.infectious_days,
                    2.0 * MIN_PERIOD_DAYS
                ),
                format!("{}", stays.infection_to_admission_days),
            );
        }
        check.finish()?;
        let mut check = Checker::new();

        let rates = [
            1.0 / v.latent_days,
            1.0 / v.infectious_days,
            1.0 / stays.ward_days,
            1.0 / stays.icu_days,
            2.0 / at_home,
            1.0 / stays.ward_after_icu_days,
            1.0 / stays.outside_hospital_death_days,
        ];
        let shortest_icu = stays
            .by_date
            .iter()
            .map(|p| p.icu_days)
            .fold(stays.icu_days, f64::min);
        let fastest = rates.iter().cloned().fold(1.0 / shortest_icu, f64::max);
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
                at_home: rates[4],
                ward_after_icu: rates[5],
                dying: rates[6],
                icu_share: 1.0,
                death_factor: 1.0,
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
        // The power iteration estimates the radius of `I + K` less one, so with no contacts at all
        // it returns rounding noise of about 1e-16, not 0: a radius below 1e-9 (at a transmission
        // probability of 1 per contact; realistic contacts give tens) is no transmission, which
        // would otherwise ask for a transmission probability of 1e16.
        let radius = ngm::spectral_radius_remembered(&ngm::next_generation(&model, 0.0), n);
        if radius <= 1e-9 || !radius.is_finite() {
            return Err(Error::Validation(vec![crate::error::FieldError {
                field: "calibration.contacts".into(),
                message: "give no transmission (next-generation matrix has spectral radius 0)"
                    .into(),
                value: format!("{radius}"),
            }]));
        }
        model.check_initial(&mut check);
        check.finish()?;
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

    /// The calibration and scenario the model was prepared from, as they were given.
    pub fn into_inputs(self) -> (Calibration, Scenario) {
        (self.calibration, self.scenario)
    }

    /// Transmission probability per contact (for a person of relative susceptibility 1).
    pub fn beta0(&self) -> f64 {
        self.beta0
    }

    /// The scalar parameters of the prepared model by name: rates (1/day), the protected share
    /// after recovery and the ICU capacity (persons).
    pub fn scalars(&self) -> [(&'static str, f64); 11] {
        [
            ("latent_rate", self.flows.latent),
            ("recovery_rate", self.flows.recovery),
            ("at_home_rate", self.flows.at_home),
            ("ward_rate", self.flows.ward),
            ("icu_rate", self.flows.icu),
            ("ward_after_icu_rate", self.flows.ward_after_icu),
            ("dying_rate", self.flows.dying),
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

    /// Persons infected, on the ward and in ICU at day 0, per group (see [`Initial`]): the
    /// infected by band share, times the region's relative prevalence; patients spread over bands
    /// by expected admissions (people x P(admission | infection), times P(ICU | admission) for the
    /// ICU) and over regions by people x relative prevalence.
    ///
    /// [`Initial`]: crate::inputs::scenario::Initial
    fn initial_cases(&self) -> Vec<[f64; 3]> {
        let init = &self.scenario.initial;
        let population = self.group_population();
        let seed = |group: usize| {
            self.geography
                .as_ref()
                .map_or(1.0, |geo| geo.seed[group / self.ages])
        };
        let admitted = |group: usize| {
            let r = &self.per_group[group % self.ages];
            population[group] * seed(group) * r.p_severe[0] * (1.0 - r.p_outside)
        };
        let to_icu = |group: usize| admitted(group) * self.per_group[group % self.ages].p_icu;
        let total_ward: f64 = (0..self.groups).map(|g| admitted(g) - to_icu(g)).sum();
        let total_icu: f64 = (0..self.groups).map(to_icu).sum();
        let share = |part: f64, total: f64| if total > 0.0 { part / total } else { 0.0 };
        (0..self.groups)
            .map(|g| {
                [
                    init.infected_share(g % self.ages) * seed(g) * population[g],
                    init.patients.ward * share(admitted(g) - to_icu(g), total_ward),
                    init.patients.icu * share(to_icu(g), total_icu),
                ]
            })
            .collect()
    }

    /// Each group's people at day 0 must cover its infected, patients and immune: a regional seed or
    /// a number of patients can ask for more.
    fn check_initial(&self, check: &mut Checker) {
        let init = &self.scenario.initial;
        let population = self.group_population();
        for (g, [infected, ward, icu]) in self.initial_cases().into_iter().enumerate() {
            let a = g % self.ages;
            let immune = (init.vaccinated[a] + init.recovered[a] + init.waned[a]) * population[g];
            let need = immune + infected + ward + icu;
            if need <= population[g] * (1.0 + 1e-12) {
                continue;
            }
            let band = &self.calibration.age_bands[a];
            let message = format!(
                "asks for {need:.1} immune, infected or in hospital in band {band} of {} people",
                population[g]
            );
            match &self.geography {
                Some(geo) if geo.seed[g / self.ages] > 1.0 => check.fail(
                    format_args!(
                        "regions.seed[{}] ({})",
                        g / self.ages,
                        geo.codes[g / self.ages]
                    ),
                    message,
                    format!("{}", geo.seed[g / self.ages]),
                ),
                _ if ward + icu > 0.0 => check.fail(
                    "scenario.initial.patients",
                    message,
                    format!("ward {}, icu {}", init.patients.ward, init.patients.icu),
                ),
                _ => check.fail("scenario.initial", message, format!("{infected}")),
            }
        }
    }

    /// The state at day 0 (flat `groups x SLOTS`).
    pub fn initial_state(&self) -> Vec<f64> {
        let init = &self.scenario.initial;
        let population = self.group_population();
        let mut y = vec![0.0; self.groups * SLOTS];
        for (group, [infected, ward, icu]) in self.initial_cases().into_iter().enumerate() {
            let g = group % self.ages;
            let n = population[group];
            let s = &mut y[group * SLOTS..(group + 1) * SLOTS];
            s[c::V] = init.vaccinated[g] * n;
            // Immunity from earlier variants: the escaped share counts as waned (all-or-nothing).
            let escaped = self.scenario.variant.immune_escape;
            s[c::R] = init.recovered[g] * n * (1.0 - escaped);
            s[c::W] = (init.recovered[g] * escaped + init.waned[g]) * n;
            self.infect(g, infected, s, false);
            s[c::H] = ward;
            s[c::C] = icu;
            s[c::S] = n - s[c::V] - s[c::R] - s[c::W] - infected - ward - icu;
        }
        y
    }

    /// Places `infected` persons of band `g` on their pathways (asymptomatic, mild, severe):
    /// all in the latent stages when `new`, else over the stages in proportion to their mean
    /// durations (latent, infectious and, for the severe, the two stages at home).
    pub(super) fn infect(&self, g: usize, infected: f64, s: &mut [f64], new: bool) {
        let r = &self.per_group[g];
        let (asym, severe) = (r.p_asym, r.p_severe[0]);
        let f = &self.flows;
        let (latent, infectious, home) = (1.0 / f.latent, 1.0 / f.recovery, 1.0 / f.at_home);
        for (p, stages) in [
            (asym, &[c::E_ASYM, c::I_ASYM][..]),
            (1.0 - asym - severe, &[c::E_MILD, c::I_MILD]),
            (severe, &[c::E_SEV, c::I_SEV, c::P1, c::P2]),
        ] {
            if new {
                s[stages[0]] += infected * p;
                continue;
            }
            let durations = [latent, infectious, home, home];
            let total: f64 = durations[..stages.len()].iter().sum();
            for (&k, d) in stages.iter().zip(durations) {
                s[k] += infected * p * d / total;
            }
        }
    }

    /// Runs `days` days from the state at day 0 ([`Model::continue_from`] from nothing).
    pub fn simulate(&self, days: usize, control: &mut Control<'_>) -> Result<Trajectory> {
        let mut given = self.no_doses();
        self.continue_from(self.day_zero(), &mut given, days, control)
    }

    /// The record of a run before its first day: the state at day 0 alone.
    pub fn day_zero(&self) -> Trajectory {
        let mut t = Trajectory::new(self, 0);
        t.set_states(self.initial_state());
        t
    }

    /// Doses given so far per campaign and group, at day 0: none.
    pub fn no_doses(&self) -> Vec<Vec<f64>> {
        vec![vec![0.0; self.groups]; self.scenario.campaigns.len()]
    }

    /// Continues the run recorded in `prefix` (its days `0..start`, [`Model::day_zero`] before the
    /// first) up to `days` days in all, with `given` the doses given so far per
    /// campaign and group (campaign uptake counts them). `control(day, state, modifiers)` sets
    /// the contact modifiers for the day given the state at its start (group-major, see
    /// [`crate::epidemic::compartments`]); they stay as they were the day before unless changed.
    /// This is the hook through which measures and behaviour act. The uninterrupted run is the
    /// continuation of the empty prefix, so a run continued from any day equals it bit for bit.
    pub fn continue_from(
        &self,
        prefix: Trajectory,
        given: &mut [Vec<f64>],
        days: usize,
        control: &mut Control<'_>,
    ) -> Result<Trajectory> {
        check_days(days)?;
        let start = prefix.days();
        if prefix.states.shape()[0] != start + 1 {
            return Err(Error::field(
                "run.states".into(),
                format!(
                    "must hold {} states (one per day and one to start)",
                    start + 1
                ),
                format!("{}", prefix.states.shape()[0]),
            ));
        }
        if start > days {
            return Err(Error::field(
                "days".into(),
                format!("must be at least the {start} days already simulated"),
                days.to_string(),
            ));
        }
        let len = self.groups * SLOTS;
        let mut trajectory = Trajectory::new(self, days);
        let mut states = Vec::with_capacity((days + 1) * len);
        trajectory.take_prefix(&prefix);
        states.extend(prefix.states.iter());
        let mut scratch = Scratch::new(self);
        let layout = scratch.layout;
        // The state as the solver holds it (see `crate::epidemic::layout`); the states of the trajectory
        // are copies in group-major order.
        let mut z = vec![0.0; layout.len()];
        layout.load(&states[start * len..], &mut z);
        let mut rk = Rk4::new(z.len());
        let mut doses = vec![0.0; self.groups];
        let h = 1.0 / self.steps_per_day as f64;
        let mut m = vec![DayEffects::none(self.ages); self.regions()];
        let mut mean = [0.0; 4];
        for day in start..days {
            // A day takes at most milliseconds (a regional one included): Ctrl-C is seen at once.
            crate::limits::check_cancelled()?;
            control(day, &states[day * len..], &mut m);
            self.prepare_day(&m, &mut scratch);
            self.prepare_care(day, &m[0].care, &mut scratch);
            scratch.transmission = self.scenario.transmission_on(day);
            scratch.season_at = f64::NAN;
            self.vaccinate(day, &m, &layout, &mut z, given, &mut doses);
            self.import(day, &layout, &mut z);
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

    /// The calendar date of `day` of a dated run (`None` without `scenario.start_date`).
    pub fn date(&self, day: usize) -> Option<chrono::NaiveDate> {
        let start = self.scenario.start_date?;
        start.checked_add_days(chrono::Days::new(day as u64))
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
    /// (the calibrated values when none acts), and for dated runs the ICU stay, ICU admission
    /// share and hospital death factor in force on the day's date.
    fn prepare_care(&self, day: usize, care: &Care, sc: &mut Scratch) {
        sc.rates.ward = care.ward_days.map_or(self.flows.ward, |d| 1.0 / d);
        if let Some(date) = self.date(day) {
            let dated = self.calibration.stays.on(date);
            sc.rates.icu = 1.0 / dated.icu_days;
            sc.rates.icu_share = dated.icu_admission_factor;
            sc.rates.death_factor = dated.death_factor;
        }
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

    fn seasonality(&self, t: f64) -> f64 {
        let s = &self.scenario.seasonality;
        let doy = self.scenario.day_of_year() + t;
        1.0 + s.amplitude * (std::f64::consts::TAU * (doy - s.peak_day_of_year) / 365.25).cos()
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
            sc.season = self.seasonality(t) * sc.transmission;
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
                            geography::spread(&sc.icu, &sc.region_icu_capacity, &mut sc.located);
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
}

/// The transpose of a flat row-major `n x n` matrix.
fn transpose(m: &[f64], n: usize) -> Vec<f64> {
    (0..n * n).map(|k| m[(k % n) * n + k / n]).collect()
}

fn ratio_or_zero(numerator: f64, denominator: f64) -> f64 {
    if denominator > 0.0 {
        numerator / denominator
    } else {
        0.0
    }
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
