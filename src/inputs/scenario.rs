//! The world the measures meet: the variant, the season, immunity at the start and vaccination.
//! Presets mirror the Dutch long-term scenarios (cabinet letter of 1 April 2022, after the WRR/KNAW
//! scenarios of September 2021); their parameter choices are documented in `data/scenarios.json`.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{from_json, Error, Result};
use crate::inputs::dated;
use crate::inputs::source::Sources;
use crate::inputs::validate::Checker;

/// The circulating variant, relative to the reference variant of the calibration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub name: String,
    /// Basic reproduction number: fully susceptible population, normal contacts, seasonal mean.
    pub r0: f64,
    /// Mean latent period (days), infection to infectiousness.
    pub latent_days: f64,
    /// Mean infectious period (days).
    pub infectious_days: f64,
    /// Multiplier on P(hospital admission | infection) of the calibration.
    pub severity: f64,
    /// Multiplier on P(ICU | admission).
    pub icu_ratio: f64,
    /// Multiplier on P(death | admission) and P(death | ICU).
    pub fatality_ratio: f64,
    /// Share (0-1) of protection against infection (from vaccination or earlier infection) that the
    /// variant escapes; protection against severe disease given infection is kept.
    pub immune_escape: f64,
}

/// Seasonal forcing of transmission: `beta(t) = beta0 * (1 + amplitude * cos(2 pi (doy - peak) / 365.25))`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seasonality {
    /// Relative amplitude (0 switches seasonality off).
    pub amplitude: f64,
    /// Day of the year (1-366) of peak transmission.
    pub peak_day_of_year: f64,
}

/// The state at day 0, by age band.
///
/// The infected (`prevalence` or `infected`) are spread over the stages of their pathway in
/// proportion to each stage's mean duration (latent, infectious and, for the severely ill, the two
/// stages at home before admission), as in an epidemic that neither grows nor shrinks. Patients in
/// hospital are given apart (`patients`); everybody not infected, in hospital or immune is susceptible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Initial {
    /// Share of every band infected at day 0 (0-0.5); `null` when `infected` gives it by band.
    pub prevalence: Option<f64>,
    /// Share of each band infected at day 0 (seeding by age); `null` when `prevalence` gives one
    /// share for all bands. Exactly one of the two is given.
    #[serde(default)]
    pub infected: Option<Vec<f64>>,
    /// Share of each band protected by vaccination (hybrid immunity counts here).
    pub vaccinated: Vec<f64>,
    /// Share of each band protected by earlier infection only.
    pub recovered: Vec<f64>,
    /// Share of each band with earlier immunity whose protection against infection has waned
    /// (protection against severe disease remains, see `immunity.waned_severe_protection`).
    pub waned: Vec<f64>,
    /// Patients in hospital at day 0; absent means none (a run that starts before the first
    /// admissions).
    #[serde(default)]
    pub patients: Patients,
}

/// Patients in hospital at day 0 (persons, the whole country). They are spread over age bands in
/// proportion to each band's expected admissions (people x P(admission | infection), times
/// P(ICU | admission) for the ICU) and over regions in proportion to the regions' infected.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patients {
    /// Persons on a ward (not in ICU).
    pub ward: f64,
    /// Persons in intensive care.
    pub icu: f64,
}

/// Infections imported from abroad each day from a date on ([`Scenario::imports`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportsFrom {
    pub from: NaiveDate,
    /// Residents infected abroad per day (persons/day), in force until the next entry.
    pub per_day: f64,
    /// Share of the imports in each age band (summing to 1); `null` spreads them in proportion to
    /// the bands' people.
    #[serde(default)]
    pub by_age: Option<Vec<f64>>,
}

impl Initial {
    /// Share of band `a` infected at day 0.
    pub fn infected_share(&self, a: usize) -> f64 {
        match (&self.infected, self.prevalence) {
            (Some(by_band), _) => by_band[a],
            (None, Some(p)) => p,
            (None, None) => 0.0, // refused by `Scenario::validate`
        }
    }
}

/// Protection after infection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Immunity {
    /// Share of the recovered protected against reinfection (all-or-nothing) until waning; the
    /// others are at once susceptible again (waned).
    pub infection_protection: f64,
    /// Mean days until protection against infection wanes; `null` for no waning. Required: an
    /// absent key is an error, never a silent off.
    #[serde(deserialize_with = "Option::deserialize")]
    pub waning_days: Option<f64>,
    /// Protection against severe disease kept after waning (0-1).
    pub waned_severe_protection: f64,
}

/// The vaccine in use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vaccine {
    /// Efficacy against infection (0-1), before immune escape.
    pub infection_efficacy: f64,
    /// Efficacy against hospital admission (0-1), must be at least the efficacy against infection.
    pub severe_efficacy: f64,
    /// Mean days until protection against infection wanes; `null` for no waning. Required: an
    /// absent key is an error, never a silent off.
    #[serde(deserialize_with = "Option::deserialize")]
    pub waning_days: Option<f64>,
}

/// Who is vaccinated first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Oldest band first, then the next.
    OldestFirst,
    /// All bands at once, in proportion to the people still to vaccinate.
    Proportional,
}

/// A vaccination campaign (a round of primary or booster doses).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub name: String,
    /// First day of the campaign (day 0 is the start of the run).
    pub start_day: f64,
    /// Doses given per day (persons reached per day).
    pub doses_per_day: f64,
    /// Share of each age band that accepts the vaccine in this campaign.
    pub uptake: Vec<f64>,
    pub priority: Priority,
    /// Doses by date, for dated runs (a campaign as it went, e.g. the first doses of 2021): from
    /// each date on, the persons reached per day, replacing `doses_per_day` (0 before the first
    /// entry). The campaign still starts on `start_day`.
    #[serde(default)]
    pub schedule: Vec<DosesFrom>,
}

/// Doses per day of a campaign from a date on ([`Campaign::schedule`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DosesFrom {
    pub from: NaiveDate,
    /// Persons reached per day, until the next entry.
    pub per_day: f64,
}

/// A factor on transmission from a date on ([`Scenario::transmission`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransmissionFrom {
    pub from: NaiveDate,
    /// Factor on the force of infection (dimensionless, 1 = as the variant's R0 gives).
    pub factor: f64,
}

/// A scenario: everything outside the policy that the future may bring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub variant: Variant,
    pub seasonality: Seasonality,
    /// Day of the year (1-366) on which the run starts (for seasonality); may be left out when
    /// `start_date` is given, and must agree with it otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_day_of_year: Option<f64>,
    /// Calendar date of day 0 (ISO 8601, e.g. `2020-02-17`): a dated run. Timelines, observations
    /// and period-dependent stays are placed by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    pub initial: Initial,
    pub immunity: Immunity,
    pub vaccine: Vaccine,
    #[serde(default)]
    pub campaigns: Vec<Campaign>,
    /// Transmission as it was, beyond what the measures explain, for dated runs: from each date
    /// on, a factor on the force of infection (1 before the first entry). A fit to observations
    /// ([`afweging.fit`] in Python) estimates one per period between changes of the measures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transmission: Vec<TransmissionFrom>,
    /// Infections imported from abroad, for dated runs: from each date on, residents infected
    /// abroad per day (none before the first entry; an entry of 0 ends them). They enter the
    /// latent stage from the susceptible at the start of each day.
    #[serde(default)]
    pub imports: Vec<ImportsFrom>,
    /// The behavioural model; `null` leaves measures at full compliance and nobody distancing
    /// voluntarily. Required: an absent key is an error, never a silent off.
    #[serde(deserialize_with = "Option::deserialize")]
    pub behaviour: Option<crate::inputs::behaviour::Behaviour>,
    /// Provenance of the parameter choices, keyed by field path.
    #[serde(default)]
    pub sources: Sources,
}

#[derive(Deserialize)]
struct Presets {
    scenarios: Vec<Scenario>,
}

const PRESETS: &str = include_str!("../../data/scenarios.json");

fn presets() -> Vec<Scenario> {
    from_json::<Presets>("scenarios", PRESETS)
        .expect("embedded scenarios parse")
        .scenarios
}

/// Largest basic reproduction number accepted: 30, twice the upper range measured for measles
/// (12-18, Guerra et al. 2017, Lancet Infect Dis 17:e420), the most transmissible infection
/// known; larger values are typing errors and drive the solver into rates it cannot follow.
pub const MAX_R0: f64 = 30.0;

impl Scenario {
    /// Names of the presets, from most favourable to least.
    pub fn preset_names() -> Vec<String> {
        presets().into_iter().map(|s| s.name).collect()
    }

    /// A preset by name (`gunstig`, `centraal`, `ongunstig`, `zeer_ongunstig`).
    pub fn preset(name: &str) -> Result<Scenario> {
        let all = presets();
        let valid = all.iter().map(|s| s.name.clone()).collect();
        all.into_iter()
            .find(|s| s.name == name)
            .ok_or_else(|| Error::UnknownName {
                field: "scenario".into(),
                kind: "preset",
                name: name.into(),
                valid,
            })
    }

    /// Parses a scenario from JSON text; the lengths of the per-age fields are checked against a
    /// calibration when a model is built.
    pub fn from_json_str(text: &str) -> Result<Scenario> {
        let sc: Scenario = from_json("scenario", text)?;
        sc.validate(None)?;
        Ok(sc)
    }

    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(self).expect("scenario serialises")
    }

    /// Day of the year of day 0: of `start_date` when the run is dated.
    pub fn day_of_year(&self) -> f64 {
        match (self.start_date, self.start_day_of_year) {
            (Some(date), _) => f64::from(date.ordinal()),
            (None, Some(day)) => day,
            (None, None) => 1.0, // refused by `validate`
        }
    }

    /// The same scenario dated: day 0 is `date` (its day of year drives seasonality).
    pub fn starting_on(mut self, date: NaiveDate) -> Scenario {
        self.start_date = Some(date);
        self.start_day_of_year = Some(f64::from(date.ordinal()));
        self
    }

    /// The transmission factor in force on `day` (1 for undated runs and before the first entry).
    pub fn transmission_on(&self, day: usize) -> f64 {
        let Some(start) = self.start_date else {
            return 1.0;
        };
        let date = start + chrono::Days::new(day as u64);
        dated::in_force(&self.transmission, date, |t| t.from)
            .map_or(1.0, |i| self.transmission[i].factor)
    }

    /// Persons campaign `k` reaches per day on `day` (before preparedness levers): its schedule's
    /// entry in force on a dated run, else `doses_per_day`.
    pub fn doses_on(&self, k: usize, day: usize) -> f64 {
        let campaign = &self.campaigns[k];
        match self.start_date {
            Some(start) if !campaign.schedule.is_empty() => {
                let date = start + chrono::Days::new(day as u64);
                dated::in_force(&campaign.schedule, date, |d| d.from)
                    .map_or(0.0, |i| campaign.schedule[i].per_day)
            }
            _ => campaign.doses_per_day,
        }
    }

    /// The imports in force on `day` (`None` for undated runs, before the first entry and when 0).
    pub fn imports_on(&self, day: usize) -> Option<&ImportsFrom> {
        let date = self.start_date? + chrono::Days::new(day as u64);
        let entry = &self.imports[dated::in_force(&self.imports, date, |t| t.from)?];
        (entry.per_day > 0.0).then_some(entry)
    }

    /// Checks every rule; with `n_ages`, also the length of the per-age fields. Periods are
    /// bounded as [`Checker::period`] says.
    pub fn validate(&self, n_ages: Option<usize>) -> Result<()> {
        let mut c = Checker::new();
        let v = &self.variant;
        c.positive("scenario.variant.r0", v.r0);
        if v.r0 > MAX_R0 {
            c.fail(
                "scenario.variant.r0",
                format!("must be at most {MAX_R0}"),
                v.r0.to_string(),
            );
        }
        c.period("scenario.variant.latent_days", v.latent_days);
        c.period("scenario.variant.infectious_days", v.infectious_days);
        c.positive("scenario.variant.severity", v.severity);
        c.non_negative("scenario.variant.icu_ratio", v.icu_ratio);
        c.non_negative("scenario.variant.fatality_ratio", v.fatality_ratio);
        c.share("scenario.variant.immune_escape", v.immune_escape);
        c.within(
            "scenario.seasonality.amplitude",
            self.seasonality.amplitude,
            0.0,
            0.99,
        );
        c.within(
            "scenario.seasonality.peak_day_of_year",
            self.seasonality.peak_day_of_year,
            1.0,
            366.0,
        );
        match (self.start_day_of_year, self.start_date) {
            (Some(day), None) => c.within("scenario.start_day_of_year", day, 1.0, 366.0),
            (Some(day), Some(date)) if day != f64::from(date.ordinal()) => c.fail(
                "scenario.start_day_of_year",
                format!(
                    "must be the day of year of start_date {date} ({}) or left out",
                    date.ordinal()
                ),
                format!("{day}"),
            ),
            (None, None) => c.fail(
                "scenario.start_day_of_year",
                "is required unless start_date is given",
                "null".into(),
            ),
            _ => {}
        }
        let init = &self.initial;
        match (init.prevalence, &init.infected) {
            (Some(p), None) => c.within("scenario.initial.prevalence", p, 0.0, 0.5),
            (None, Some(by_band)) => c.each("scenario.initial.infected", by_band, |c, f, v| {
                c.within(f, v, 0.0, 0.5)
            }),
            (Some(p), Some(_)) => c.fail(
                "scenario.initial.prevalence",
                "must be null when scenario.initial.infected gives the infected by band",
                format!("{p}"),
            ),
            (None, None) => c.fail(
                "scenario.initial.prevalence",
                "is required unless scenario.initial.infected gives the infected by band",
                "null".into(),
            ),
        }
        c.non_negative("scenario.initial.patients.ward", init.patients.ward);
        c.non_negative("scenario.initial.patients.icu", init.patients.icu);
        c.each(
            "scenario.initial.vaccinated",
            &self.initial.vaccinated,
            Checker::share,
        );
        c.each(
            "scenario.initial.recovered",
            &self.initial.recovered,
            Checker::share,
        );
        c.each(
            "scenario.initial.waned",
            &self.initial.waned,
            Checker::share,
        );
        for (i, t) in self.transmission.iter().enumerate() {
            let field = format_args!("scenario.transmission[{i}]");
            c.non_negative(format_args!("{field}.factor"), t.factor);
            if self.start_date.is_none() {
                c.fail(
                    format_args!("{field}.from"),
                    "needs a dated scenario (scenario.start_date)",
                    t.from.to_string(),
                );
            }
        }
        dated::check_ascending(
            &mut c,
            "scenario.transmission",
            self.transmission.iter().map(|t| t.from),
        );
        for (i, imp) in self.imports.iter().enumerate() {
            let field = format_args!("scenario.imports[{i}]");
            c.within(format_args!("{field}.per_day"), imp.per_day, 0.0, 1e6);
            if self.start_date.is_none() {
                c.fail(
                    format_args!("{field}.from"),
                    "needs a dated scenario (scenario.start_date)",
                    imp.from.to_string(),
                );
            }
            if let Some(shares) = &imp.by_age {
                c.each(format_args!("{field}.by_age"), shares, Checker::share);
                let sum: f64 = shares.iter().sum();
                if (sum - 1.0).abs() > 1e-9 {
                    c.fail(
                        format_args!("{field}.by_age"),
                        "must sum to 1",
                        format!("sum {sum}"),
                    );
                }
                if let Some(n) = n_ages {
                    c.length(format_args!("{field}.by_age"), shares.len(), n, "age band");
                }
            }
        }
        dated::check_ascending(
            &mut c,
            "scenario.imports",
            self.imports.iter().map(|t| t.from),
        );
        for (i, ((vac, rec), waned)) in init
            .vaccinated
            .iter()
            .zip(&init.recovered)
            .zip(&init.waned)
            .enumerate()
        {
            let infected = if init.infected.as_ref().is_some_and(|v| v.len() <= i) {
                0.0 // a length error, reported below
            } else {
                init.infected_share(i)
            };
            let total = vac + rec + waned + infected;
            if total > 1.0 + 1e-12 {
                c.fail(
                    format_args!("scenario.initial.waned[{i}]"),
                    format!(
                        "vaccinated + recovered + waned + infected must be <= 1 (vaccinated {vac}, recovered {rec}, infected {infected})"
                    ),
                    format!("{waned}"),
                );
            }
        }
        let im = &self.immunity;
        c.share(
            "scenario.immunity.infection_protection",
            im.infection_protection,
        );
        c.share(
            "scenario.immunity.waned_severe_protection",
            im.waned_severe_protection,
        );
        if let Some(d) = im.waning_days {
            c.period("scenario.immunity.waning_days", d);
        }
        let vx = &self.vaccine;
        c.share("scenario.vaccine.infection_efficacy", vx.infection_efficacy);
        c.share("scenario.vaccine.severe_efficacy", vx.severe_efficacy);
        if vx.severe_efficacy < vx.infection_efficacy {
            c.fail(
                "scenario.vaccine.severe_efficacy",
                format!("must be >= infection_efficacy ({})", vx.infection_efficacy),
                format!("{}", vx.severe_efficacy),
            );
        }
        if let Some(d) = vx.waning_days {
            c.period("scenario.vaccine.waning_days", d);
        }
        for (k, camp) in self.campaigns.iter().enumerate() {
            let f = format_args!("scenario.campaigns[{k}]");
            c.non_negative(format_args!("{f}.start_day"), camp.start_day);
            c.non_negative(format_args!("{f}.doses_per_day"), camp.doses_per_day);
            c.each(format_args!("{f}.uptake"), &camp.uptake, Checker::share);
            if let Some(n) = n_ages {
                c.length(format_args!("{f}.uptake"), camp.uptake.len(), n, "age band");
            }
            for (i, d) in camp.schedule.iter().enumerate() {
                c.within(
                    format_args!("{f}.schedule[{i}].per_day"),
                    d.per_day,
                    0.0,
                    1e7,
                );
                if self.start_date.is_none() {
                    c.fail(
                        format_args!("{f}.schedule[{i}].from"),
                        "needs a dated scenario (scenario.start_date)",
                        d.from.to_string(),
                    );
                }
            }
            dated::check_ascending(
                &mut c,
                format_args!("{f}.schedule"),
                camp.schedule.iter().map(|d| d.from),
            );
        }
        if let Some(b) = &self.behaviour {
            b.validate(n_ages, &mut c);
        }
        if let Some(n) = n_ages {
            for (field, len) in [
                ("scenario.initial.vaccinated", init.vaccinated.len()),
                ("scenario.initial.recovered", init.recovered.len()),
                ("scenario.initial.waned", init.waned.len()),
                (
                    "scenario.initial.infected",
                    init.infected.as_ref().map_or(n, Vec::len),
                ),
            ] {
                c.length(field, len, n, "age band");
            }
        }
        c.finish()
    }
}
