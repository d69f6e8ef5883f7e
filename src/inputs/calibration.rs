//! Country data: who lives there, how they meet, how sick they get and what the hospitals hold.
//! The default is the Netherlands, embedded from `data/netherlands/calibration.json`, where every
//! figure carries its source and year (or is marked as an assumption).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt::Display;

use crate::error::{from_json, Result};
use crate::inputs::dated;
use crate::inputs::source::Sources;
use crate::inputs::validate::{Checker, Element};

/// The contact settings through which measures and behaviour act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    Home,
    School,
    Work,
    Community,
}

impl Setting {
    pub const ALL: [Setting; 4] = [
        Setting::Home,
        Setting::School,
        Setting::Work,
        Setting::Community,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Setting::Home => "home",
            Setting::School => "school",
            Setting::Work => "work",
            Setting::Community => "community",
        }
    }
}

/// Mean daily contacts, `matrix[a][b]` = contacts a person in age band `a` has with people in band `b`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactMatrices {
    pub home: Vec<Vec<f64>>,
    pub school: Vec<Vec<f64>>,
    pub work: Vec<Vec<f64>>,
    pub community: Vec<Vec<f64>>,
}

impl ContactMatrices {
    pub fn get(&self, setting: Setting) -> &Vec<Vec<f64>> {
        match setting {
            Setting::Home => &self.home,
            Setting::School => &self.school,
            Setting::Work => &self.work,
            Setting::Community => &self.community,
        }
    }
}

/// Severity of infection with the reference variant, by age band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Severity {
    /// P(hospital admission | infection).
    pub p_hospital_given_infection: Vec<f64>,
    /// P(ICU admission | hospital admission).
    pub p_icu_given_admission: Vec<f64>,
    /// P(death | hospital admission), deaths on the ward and in ICU together.
    pub p_death_given_admission: Vec<f64>,
    /// P(death | ICU admission) while ICU capacity suffices.
    pub p_death_given_icu: Vec<f64>,
    /// P(death outside hospital | infection): the severely ill who are not admitted (mostly
    /// nursing-home residents) and die where they live.
    pub p_death_outside_hospital_given_infection: Vec<f64>,
    /// P(death) of a patient needing ICU above the scaled-up capacity; `null` switches
    /// overflow mortality off. Required: an absent key is an error, never a silent off.
    #[serde(deserialize_with = "Option::deserialize")]
    pub p_death_icu_overflow: Option<f64>,
}

/// Mean delays and lengths of stay (days).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stays {
    /// Mean days from infection to hospital admission (incubation plus onset to admission); the
    /// part after the latent and infectious stages is spent ill at home in two equal stages.
    pub infection_to_admission_days: f64,
    /// Mean days on a clinical (non-ICU) ward, admission to discharge or death.
    pub ward_days: f64,
    /// Mean days in ICU (runs without dates, and dated runs before the first of `by_date`).
    pub icu_days: f64,
    /// Mean days on a clinical ward after ICU, for those who survive ICU.
    pub ward_after_icu_days: f64,
    /// Mean days from when a patient would have been admitted to death, for those who die
    /// outside hospital.
    pub outside_hospital_death_days: f64,
    /// Care that changed over time, for dated runs: from each date on, the ICU stay and factors
    /// on P(ICU | admission) and P(death | admission). Sorted by date.
    #[serde(default)]
    pub by_date: Vec<StaysFrom>,
}

/// Hospital care from a date on ([`Stays::by_date`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaysFrom {
    pub from: NaiveDate,
    /// Mean days in ICU from this date on.
    pub icu_days: f64,
    /// Factor on P(ICU | admission) from this date on (1: as calibrated).
    pub icu_admission_factor: f64,
    /// Factor on P(death | admission) from this date on, on the ward and in ICU alike (1: as
    /// calibrated, also when absent). It acts on the day a patient leaves the ward or ICU.
    #[serde(default = "one")]
    pub death_factor: f64,
}

/// The hospital care in force on a date ([`Stays::on`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CareOn {
    /// Mean days in ICU.
    pub icu_days: f64,
    /// Factor on P(ICU | admission).
    pub icu_admission_factor: f64,
    /// Factor on P(death | admission) (ward and ICU).
    pub death_factor: f64,
}

impl Stays {
    /// The care in force on `date`: that of the last entry of `by_date` from on or before it
    /// (before the first, the undated ICU stay and factors of 1).
    pub fn on(&self, date: NaiveDate) -> CareOn {
        self.by_date
            .iter()
            .take_while(|p| p.from <= date)
            .last()
            .map_or(
                CareOn {
                    icu_days: self.icu_days,
                    icu_admission_factor: 1.0,
                    death_factor: 1.0,
                },
                |p| CareOn {
                    icu_days: p.icu_days,
                    icu_admission_factor: p.icu_admission_factor,
                    death_factor: p.death_factor,
                },
            )
    }
}

/// Beds for COVID-19 patients (persons).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capacity {
    /// Clinical (non-ICU) beds available for COVID-19 patients in normal operation.
    pub hospital_normal: f64,
    /// Clinical beds after scale-up.
    pub hospital_scaled: f64,
    /// ICU beds in normal operation (all patients).
    pub icu_normal: f64,
    /// ICU beds after scale-up; beyond this, overflow mortality applies.
    pub icu_scaled: f64,
}

/// Everything country-specific the engine needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    pub name: String,
    /// Labels of the age bands, e.g. `"0-9"` ... `"80+"`.
    pub age_bands: Vec<String>,
    /// Persons per age band.
    pub population: Vec<f64>,
    /// Contacts per person per day by setting.
    pub contacts: ContactMatrices,
    /// Susceptibility to infection per contact, relative (dimensionless) by age band.
    pub relative_susceptibility: Vec<f64>,
    /// Share of infections that stay asymptomatic, by age band.
    pub asymptomatic_share: Vec<f64>,
    /// Infectiousness of an asymptomatic relative to a symptomatic infection.
    pub asymptomatic_infectiousness: f64,
    pub severity: Severity,
    pub stays: Stays,
    pub capacity: Capacity,
    /// Remaining life expectancy (years) at the middle of each age band, for life years lost.
    pub life_expectancy: Vec<f64>,
    /// Data for the socio-economic and societal dimensions and the breakdown by group; without it
    /// a run has no impacts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impacts: Option<crate::inputs::impact_data::ImpactData>,
    /// The safety regions as a metapopulation (see [`crate::inputs::regions`]); absent (`null`) for the
    /// national model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regions: Option<crate::inputs::regions::Regions>,
    /// Provenance of every figure, keyed by field path.
    #[serde(default)]
    pub sources: Sources,
}

/// A check applied to one element of a per-age field.
type Rule = fn(&mut Checker, Element<&'static str>, f64);

const NETHERLANDS: &str = include_str!("../../data/netherlands/calibration.json");
const NETHERLANDS_IMPACTS: &str = include_str!("../../data/netherlands/impacts.json");

impl Calibration {
    /// The embedded Dutch calibration, with the impact data of `data/netherlands/impacts.json`.
    pub fn netherlands() -> Calibration {
        let mut cal: Calibration =
            from_json("calibration", NETHERLANDS).expect("embedded calibration parses");
        cal.impacts = Some(
            from_json("calibration.impacts", NETHERLANDS_IMPACTS)
                .expect("embedded impact data parses"),
        );
        cal.validate().expect("embedded calibration is valid");
        cal
    }

    /// The embedded Dutch calibration with the 25 safety regions of
    /// `data/netherlands/regions.json` (the national figures are the same).
    pub fn netherlands_regions() -> Calibration {
        let mut cal = Calibration::netherlands();
        cal.regions = Some(crate::inputs::regions::Regions::netherlands());
        cal.validate().expect("embedded regions are valid");
        cal
    }

    /// The number of regions (1 for the national model).
    pub fn n_regions(&self) -> usize {
        self.regions.as_ref().map_or(1, |r| r.regions.len())
    }

    /// Parses and validates a calibration from JSON text.
    pub fn from_json_str(text: &str) -> Result<Calibration> {
        let cal: Calibration = from_json("calibration", text)?;
        cal.validate()?;
        Ok(cal)
    }

    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(self).expect("calibration serialises")
    }

    pub fn n_ages(&self) -> usize {
        self.population.len()
    }

    /// Checks every rule; errors name the field and the bad value.
    pub fn validate(&self) -> Result<()> {
        let mut c = Checker::new();
        let n = self.population.len();
        if n == 0 {
            c.fail("calibration.population", "must not be empty", "[]".into());
            return c.finish();
        }
        c.each(
            "calibration.population",
            &self.population,
            Checker::positive,
        );
        c.length(
            "calibration.age_bands",
            self.age_bands.len(),
            n,
            "population band",
        );
        c.unique(
            "calibration.age_bands",
            "",
            self.age_bands.iter().map(String::as_str),
        );
        for setting in Setting::ALL {
            let name = setting.name();
            let field = format_args!("calibration.contacts.{name}");
            let matrix = self.contacts.get(setting);
            if c.length(field, matrix.len(), n, "age band") {
                for (i, row) in matrix.iter().enumerate() {
                    let row_field = format_args!("{field}[{i}]");
                    if c.length(row_field, row.len(), n, "age band") {
                        c.each(row_field, row, Checker::non_negative);
                    }
                }
            }
        }
        let per_age: [(&'static str, &Vec<f64>, Rule); 8] = [
            (
                "calibration.relative_susceptibility",
                &self.relative_susceptibility,
                Checker::non_negative,
            ),
            (
                "calibration.asymptomatic_share",
                &self.asymptomatic_share,
                Checker::share,
            ),
            (
                "calibration.severity.p_hospital_given_infection",
                &self.severity.p_hospital_given_infection,
                Checker::share,
            ),
            (
                "calibration.severity.p_icu_given_admission",
                &self.severity.p_icu_given_admission,
                Checker::share,
            ),
            (
                "calibration.severity.p_death_given_admission",
                &self.severity.p_death_given_admission,
                Checker::share,
            ),
            (
                "calibration.severity.p_death_given_icu",
                &self.severity.p_death_given_icu,
                Checker::share,
            ),
            (
                "calibration.severity.p_death_outside_hospital_given_infection",
                &self.severity.p_death_outside_hospital_given_infection,
                Checker::share,
            ),
            (
                "calibration.life_expectancy",
                &self.life_expectancy,
                Checker::non_negative,
            ),
        ];
        for (field, values, check) in per_age {
            if c.length(field, values.len(), n, "age band") {
                c.each(field, values, check);
            }
        }
        c.within(
            "calibration.asymptomatic_infectiousness",
            self.asymptomatic_infectiousness,
            0.0,
            1.0,
        );
        if let Some(p) = self.severity.p_death_icu_overflow {
            c.share("calibration.severity.p_death_icu_overflow", p);
        }
        let stays = &self.stays;
        c.period(
            "calibration.stays.infection_to_admission_days",
            stays.infection_to_admission_days,
        );
        c.period("calibration.stays.ward_days", stays.ward_days);
        c.period("calibration.stays.icu_days", stays.icu_days);
        c.period(
            "calibration.stays.ward_after_icu_days",
            stays.ward_after_icu_days,
        );
        c.period(
            "calibration.stays.outside_hospital_death_days",
            stays.outside_hospital_death_days,
        );
        let most_icu = self
            .severity
            .p_icu_given_admission
            .iter()
            .fold(0.0, |a: f64, &b| a.max(b));
        for (i, period) in stays.by_date.iter().enumerate() {
            let field = format_args!("calibration.stays.by_date[{i}]");
            c.period(format_args!("{field}.icu_days"), period.icu_days);
            c.non_negative(
                format_args!("{field}.icu_admission_factor"),
                period.icu_admission_factor,
            );
            if period.icu_admission_factor * most_icu > 1.0 {
                c.fail(
                    format_args!("{field}.icu_admission_factor"),
                    format!("makes P(ICU | admission) exceed 1 (largest by age {most_icu})"),
                    format!("{}", period.icu_admission_factor),
                );
            }
            c.non_negative(format_args!("{field}.death_factor"), period.death_factor);
        }
        dated::check_ascending(
            &mut c,
            "calibration.stays.by_date",
            stays.by_date.iter().map(|p| p.from),
        );
        c.non_negative(
            "calibration.capacity.hospital_normal",
            self.capacity.hospital_normal,
        );
        c.non_negative(
            "calibration.capacity.hospital_scaled",
            self.capacity.hospital_scaled,
        );
        if let Some(impacts) = &self.impacts {
            impacts.check("calibration.impacts", n, &mut c);
        }
        if let Some(regions) = &self.regions {
            regions.check("calibration.regions", &self.population, &mut c);
        }
        c.non_negative("calibration.capacity.icu_normal", self.capacity.icu_normal);
        c.non_negative("calibration.capacity.icu_scaled", self.capacity.icu_scaled);
        if self.capacity.icu_scaled < self.capacity.icu_normal {
            c.fail(
                "calibration.capacity.icu_scaled",
                format!("must be >= icu_normal ({})", self.capacity.icu_normal),
                format!("{}", self.capacity.icu_scaled),
            );
        }
        if self.capacity.hospital_scaled < self.capacity.hospital_normal {
            c.fail(
                "calibration.capacity.hospital_scaled",
                format!(
                    "must be >= hospital_normal ({})",
                    self.capacity.hospital_normal
                ),
                format!("{}", self.capacity.hospital_scaled),
            );
        }
        c.finish()
    }
}

/// Contact factors per setting (share of contacts that remain, 0-1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingFactors {
    #[serde(default = "one")]
    pub home: f64,
    #[serde(default = "one")]
    pub school: f64,
    #[serde(default = "one")]
    pub work: f64,
    #[serde(default = "one")]
    pub community: f64,
}

fn one() -> f64 {
    1.0
}

impl Default for SettingFactors {
    fn default() -> Self {
        Self {
            home: 1.0,
            school: 1.0,
            work: 1.0,
            community: 1.0,
        }
    }
}

impl SettingFactors {
    pub fn to_array(self) -> [f64; 4] {
        [self.home, self.school, self.work, self.community]
    }

    /// Every factor must be a share (0-1); errors name `field.home` etc.
    pub fn check_shares(&self, field: impl Display + Copy, c: &mut Checker) {
        for (setting, v) in Setting::ALL.iter().zip(self.to_array()) {
            c.share(format_args!("{field}.{}", setting.name()), v);
        }
    }
}
