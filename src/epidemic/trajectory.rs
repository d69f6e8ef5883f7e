//! What a run produces: daily states by group, and the virus-spread dimension summarised from them.

use ndarray::{s, Array1, Array2, Array3, ArrayView1, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

use crate::epidemic::compartments::{self as c, SLOTS};
use crate::epidemic::model::{Model, Multipliers};

/// The daily series of a run by age band (and by region), in the order results list them:
/// `(name, unit, description)`; [`Trajectory::series_by_region`] gives each by name.
pub const DAILY: [(&str, &str, &str); 8] = [
    (
        "infections",
        "persons/day",
        "new infections (reinfections included)",
    ),
    (
        "admissions",
        "persons/day",
        "hospital admissions (ward and ICU)",
    ),
    ("icu_admissions", "persons/day", "ICU admissions"),
    (
        "deaths",
        "persons/day",
        "deaths, in hospital and outside (nursing homes)",
    ),
    (
        "deaths_outside_hospital",
        "persons/day",
        "deaths outside hospital (the severely ill not admitted)",
    ),
    (
        "hospital_occupancy",
        "persons",
        "COVID-19 patients in clinical (non-ICU) beds at the end of the day, before and after ICU",
    ),
    (
        "icu_occupancy",
        "persons",
        "COVID-19 patients in ICU at the end of the day",
    ),
    ("vaccinations", "persons/day", "persons vaccinated"),
];

/// The totals and peaks of [`VirusSpread`], by field name: `(name, unit)`.
pub const SUMMARY: [(&str, &str); 14] = [
    ("total_infections", "persons"),
    ("attack_rate", "infections per inhabitant"),
    ("total_admissions", "persons"),
    ("total_icu_admissions", "persons"),
    ("total_deaths", "persons"),
    ("life_years_lost", "years"),
    ("peak_hospital_occupancy", "persons"),
    ("peak_hospital_day", "day"),
    ("peak_icu_occupancy", "persons"),
    ("peak_icu_day", "day"),
    ("days_hospital_above_normal", "days"),
    ("days_hospital_above_scaled", "days"),
    ("days_icu_above_normal", "days"),
    ("days_icu_above_scaled", "days"),
];

/// Daily record of a run. Day `d` covers the interval `[d, d + 1)`; stocks are taken at its end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trajectory {
    pub age_bands: Vec<String>,
    /// Region names of a regional run (groups are `regions x age bands`, region-major); empty for
    /// the national model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// Per region of a regional run: share of the national capacity (beds) it holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_share: Vec<f64>,
    /// Per region of a regional run: share of the national economy it holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub economy_share: Vec<f64>,
    /// `(days + 1) x groups x SLOTS`: the state at the start of day 0, then at the end of each day.
    pub states: Array3<f64>,
    /// `days x groups`: persons vaccinated per day.
    pub vaccinations: Array2<f64>,
    /// `days x 4`: contact multipliers in force per setting (home, school, work, community).
    pub multipliers: Array2<f64>,
    /// ICU beds after scale-up and in normal operation (persons), for the summary.
    pub icu_capacity: [f64; 2],
    /// Clinical beds after scale-up and in normal operation (persons).
    pub hospital_capacity: [f64; 2],
    /// Remaining life expectancy per group (years), for life years lost.
    pub life_expectancy: Vec<f64>,
    /// Calendar date of day 0 of a dated run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<chrono::NaiveDate>,
}

impl Trajectory {
    pub(crate) fn new(model: &Model, days: usize) -> Self {
        let cal = model.calibration();
        let groups = model.groups;
        let geo = model.geography();
        Trajectory {
            age_bands: cal.age_bands.clone(),
            regions: geo.map_or_else(Vec::new, |g| g.names.clone()),
            capacity_share: geo.map_or_else(Vec::new, |g| g.capacity_share.clone()),
            economy_share: geo.map_or_else(Vec::new, |g| g.economy_share.clone()),
            // Filled once the run is over ([`Trajectory::set_states`]).
            states: Array3::zeros((0, groups, SLOTS)),
            vaccinations: Array2::zeros((days, groups)),
            multipliers: Array2::zeros((days, 4)),
            icu_capacity: [cal.capacity.icu_scaled, cal.capacity.icu_normal],
            hospital_capacity: [cal.capacity.hospital_scaled, cal.capacity.hospital_normal],
            life_expectancy: cal.life_expectancy.clone(),
            start_date: model.scenario().start_date,
        }
    }

    /// Takes the states of a run, `days + 1` of them one after the other (group-major,
    /// [`c::index`], the layout of a row of `states`): collected while the run goes, they need no
    /// zeroed array beforehand.
    pub(crate) fn set_states(&mut self, states: Vec<f64>) {
        let (groups, days) = (self.states.shape()[1], self.days());
        self.states = Array3::from_shape_vec((days + 1, groups, SLOTS), states)
            .expect("one state of groups x SLOTS per day and one to start");
    }

    /// Takes the daily records of the first days of a run (those of `prefix`).
    pub(crate) fn take_prefix(&mut self, prefix: &Trajectory) {
        let days = prefix.days();
        self.vaccinations
            .slice_mut(s![..days, ..])
            .assign(&prefix.vaccinations);
        self.multipliers
            .slice_mut(s![..days, ..])
            .assign(&prefix.multipliers);
    }

    pub(crate) fn record_day(&mut self, day: usize, doses: &[f64], m: &Multipliers) {
        self.vaccinations
            .row_mut(day)
            .assign(&ArrayView1::from(doses));
        self.multipliers.row_mut(day).assign(&ArrayView1::from(m));
    }

    pub fn days(&self) -> usize {
        self.vaccinations.nrows()
    }

    /// The number of regions (1 for the national model).
    pub fn n_regions(&self) -> usize {
        self.regions.len().max(1)
    }

    /// Sums `rows x groups` over regions into `rows x age bands` (a copy for the national model).
    fn by_age(&self, by_group: ArrayView2<'_, f64>) -> Array2<f64> {
        let ages = self.age_bands.len();
        let mut out = by_group.slice(s![.., ..ages]).to_owned();
        for r in 1..self.n_regions() {
            out += &by_group.slice(s![.., r * ages..(r + 1) * ages]);
        }
        out
    }

    /// `rows x groups` as `rows x regions x age bands`.
    fn by_region(&self, by_group: Array2<f64>) -> Array3<f64> {
        let (rows, ages) = (by_group.nrows(), self.age_bands.len());
        by_group
            .into_shape_with_order((rows, self.n_regions(), ages))
            .expect("groups are regions x age bands")
    }

    /// `days x groups`: persons in the compartments `slots` at the end of each day.
    fn stock_by_group(&self, slots: &[usize]) -> Array2<f64> {
        let mut out = self.states.slice(s![1.., .., slots[0]]).to_owned();
        for &slot in &slots[1..] {
            out += &self.states.slice(s![1.., .., slot]);
        }
        out
    }

    /// `days x groups`: the increase of a running total (or of the dead) over each day.
    fn daily_by_group(&self, slot: usize) -> Array2<f64> {
        let all = self.states.slice(s![.., .., slot]);
        &all.slice(s![1.., ..]) - &all.slice(s![..-1, ..])
    }

    /// `days x age bands`: persons vaccinated per day (all regions).
    pub fn vaccinations_by_age(&self) -> Array2<f64> {
        self.by_age(self.vaccinations.view())
    }

    /// `days x regions x age bands`: persons vaccinated per day, by region.
    pub fn vaccinations_by_region(&self) -> Array3<f64> {
        self.by_region(self.vaccinations.clone())
    }

    /// `days x regions x age bands` of a named daily series (`infections`, `admissions`,
    /// `icu_admissions`, `deaths`, `hospital_occupancy`, `icu_occupancy`, `vaccinations`).
    pub fn series_by_region(&self, name: &str) -> Option<Array3<f64>> {
        Some(match name {
            "infections" => self.daily_by_region(c::CUM_INFECTIONS),
            "admissions" => self.daily_by_region(c::CUM_ADMISSIONS),
            "icu_admissions" => self.daily_by_region(c::CUM_ICU_ADMISSIONS),
            "deaths" => self.daily_by_region(c::D),
            "deaths_outside_hospital" => self.daily_by_region(c::CUM_DEATHS_OUTSIDE_HOSPITAL),
            "hospital_occupancy" => self.stock_by_region(&c::WARD),
            "icu_occupancy" => self.stock_by_region(&c::ICU),
            "vaccinations" => self.vaccinations_by_region(),
            _ => return None,
        })
    }

    /// `days x age bands`: persons in the compartments `slots` at the end of each day (all
    /// regions).
    pub fn stock(&self, slots: &[usize]) -> Array2<f64> {
        self.by_age(self.stock_by_group(slots).view())
    }

    /// `days x age bands`: the increase of a running total (or of the dead) over each day.
    pub fn daily(&self, slot: usize) -> Array2<f64> {
        let all = self.states.slice(s![.., .., slot]);
        self.by_age((&all.slice(s![1.., ..]) - &all.slice(s![..-1, ..])).view())
    }

    /// `days x regions x age bands`: the compartments `slots` at the end of each day, by region.
    pub fn stock_by_region(&self, slots: &[usize]) -> Array3<f64> {
        self.by_region(self.stock_by_group(slots))
    }

    /// `days x regions x age bands`: the increase of a running total over each day, by region.
    pub fn daily_by_region(&self, slot: usize) -> Array3<f64> {
        self.by_region(self.daily_by_group(slot))
    }

    /// `regions x age bands`: the increase of a running total (or of the dead) over the run.
    pub fn total_by_region(&self, slot: usize) -> Array2<f64> {
        let last = self.states.shape()[0] - 1;
        let change = &self.states.slice(s![last, .., slot]) - &self.states.slice(s![0, .., slot]);
        change
            .into_shape_with_order((self.n_regions(), self.age_bands.len()))
            .expect("groups are regions x age bands")
    }

    /// Persons per region and age band at the start (`regions x age bands`).
    pub fn population_by_region(&self) -> Array2<f64> {
        let start = self
            .states
            .slice(s![0..1, .., ..c::PEOPLE])
            .sum_axis(Axis(2));
        self.by_region(start).index_axis_move(Axis(0), 0)
    }

    /// New infections per day (persons).
    pub fn infections(&self) -> Array2<f64> {
        self.daily(c::CUM_INFECTIONS)
    }

    /// Hospital admissions per day, ward and ICU together (persons).
    pub fn admissions(&self) -> Array2<f64> {
        self.daily(c::CUM_ADMISSIONS)
    }

    /// ICU admissions per day (persons).
    pub fn icu_admissions(&self) -> Array2<f64> {
        self.daily(c::CUM_ICU_ADMISSIONS)
    }

    /// Deaths per day (persons).
    pub fn deaths(&self) -> Array2<f64> {
        self.daily(c::D)
    }

    /// Deaths outside hospital per day (persons), included in [`Trajectory::deaths`].
    pub fn deaths_outside_hospital(&self) -> Array2<f64> {
        self.daily(c::CUM_DEATHS_OUTSIDE_HOSPITAL)
    }

    /// COVID-19 patients in clinical (non-ICU) beds at the end of each day, before and after
    /// ICU (persons).
    pub fn hospital_occupancy(&self) -> Array2<f64> {
        self.stock(&c::WARD)
    }

    /// COVID-19 patients in ICU at the end of each day (persons).
    pub fn icu_occupancy(&self) -> Array2<f64> {
        self.stock(&c::ICU)
    }

    /// Persons alive or dead per age band at each recorded time (conserved; all regions).
    pub fn people(&self) -> Array2<f64> {
        self.by_age(
            self.states
                .slice(s![.., .., ..c::PEOPLE])
                .sum_axis(Axis(2))
                .view(),
        )
    }

    /// Persons alive or dead per group (`regions x age bands`) at each recorded time.
    pub fn people_by_group(&self) -> Array2<f64> {
        self.states.slice(s![.., .., ..c::PEOPLE]).sum_axis(Axis(2))
    }

    /// Per age band: the increase of a running total (or of the dead) over the whole run.
    pub fn total_by_group(&self, slot: usize) -> Vec<f64> {
        self.total_by_region(slot).sum_axis(Axis(0)).to_vec()
    }

    /// The virus-spread dimension of the reference framework, with the days above scaled-up
    /// capacity counted against `daily_capacity` (ICU and clinical beds per day) when
    /// preparedness levers change it, else against the calibrated capacity.
    pub fn virus_spread(&self, daily_capacity: Option<(&[f64], &[f64])>) -> VirusSpread {
        let infections = self.total_by_group(c::CUM_INFECTIONS);
        let admissions = self.total_by_group(c::CUM_ADMISSIONS);
        let icu_admissions = self.total_by_group(c::CUM_ICU_ADMISSIONS);
        let deaths = self.total_by_group(c::D);
        let hospital = self.hospital_occupancy().sum_axis(Axis(1));
        let icu = self.icu_occupancy().sum_axis(Axis(1));
        let peak = |series: &Array1<f64>| {
            series.iter().enumerate().fold(
                (0, 0.0),
                |best, (d, &v)| if v > best.1 { (d, v) } else { best },
            )
        };
        let (peak_hospital_day, peak_hospital) = peak(&hospital);
        let (peak_icu_day, peak_icu) = peak(&icu);
        let days_above =
            |series: &Array1<f64>, cap: f64| series.iter().filter(|&&v| v > cap).count();
        // Against the day's scaled-up capacity when preparedness levers change it.
        let days_above_daily = |series: &Array1<f64>, cap: f64, daily: Option<&[f64]>| match daily {
            Some(caps) => series.iter().zip(caps).filter(|(v, c)| v > c).count(),
            None => days_above(series, cap),
        };
        let population: f64 = self.states.slice(s![0, .., ..c::PEOPLE]).sum();
        let life_years_lost = deaths
            .iter()
            .zip(&self.life_expectancy)
            .map(|(d, e)| d * e)
            .sum();
        VirusSpread {
            total_infections: infections.iter().sum(),
            attack_rate: infections.iter().sum::<f64>() / population,
            total_admissions: admissions.iter().sum(),
            total_icu_admissions: icu_admissions.iter().sum(),
            total_deaths: deaths.iter().sum(),
            life_years_lost,
            peak_hospital_occupancy: peak_hospital,
            peak_hospital_day,
            peak_icu_occupancy: peak_icu,
            peak_icu_day,
            days_hospital_above_normal: days_above(&hospital, self.hospital_capacity[1]),
            days_hospital_above_scaled: days_above_daily(
                &hospital,
                self.hospital_capacity[0],
                daily_capacity.map(|c| c.1),
            ),
            days_icu_above_normal: days_above(&icu, self.icu_capacity[1]),
            days_icu_above_scaled: days_above_daily(
                &icu,
                self.icu_capacity[0],
                daily_capacity.map(|c| c.0),
            ),
            infections,
            admissions,
            icu_admissions,
            deaths,
        }
    }
}

/// Indicators of the virus-spread dimension over a whole run, in natural units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VirusSpread {
    /// Infections (persons), reinfections included.
    pub total_infections: f64,
    /// Infections per inhabitant.
    pub attack_rate: f64,
    /// Hospital admissions (persons).
    pub total_admissions: f64,
    /// ICU admissions (persons).
    pub total_icu_admissions: f64,
    /// Deaths in hospital (persons).
    pub total_deaths: f64,
    /// Life years lost (years, undiscounted): deaths times remaining life expectancy.
    pub life_years_lost: f64,
    /// Highest number of COVID-19 patients in clinical beds (persons) and its day.
    pub peak_hospital_occupancy: f64,
    pub peak_hospital_day: usize,
    /// Highest number of COVID-19 patients in ICU (persons) and its day.
    pub peak_icu_occupancy: f64,
    pub peak_icu_day: usize,
    /// Days with more patients than beds (normal and scaled-up capacity).
    pub days_hospital_above_normal: usize,
    pub days_hospital_above_scaled: usize,
    pub days_icu_above_normal: usize,
    pub days_icu_above_scaled: usize,
    /// Per age band (persons).
    pub infections: Vec<f64>,
    pub admissions: Vec<f64>,
    pub icu_admissions: Vec<f64>,
    pub deaths: Vec<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogues_name_what_a_run_gives() {
        let model = Model::new(
            crate::inputs::calibration::Calibration::netherlands(),
            crate::inputs::scenario::Scenario::preset("centraal").unwrap(),
        )
        .unwrap();
        let run = model.run(5).unwrap();
        for (name, _, _) in DAILY {
            assert!(run.series_by_region(name).is_some(), "{name}");
        }
        let summary = serde_json::to_value(run.virus_spread()).unwrap();
        let fields = summary.as_object().unwrap();
        for (name, _) in SUMMARY {
            assert!(fields.get(name).is_some_and(|v| v.is_number()), "{name}");
        }
        let scalars = fields.values().filter(|v| v.is_number()).count();
        assert_eq!(
            scalars,
            SUMMARY.len(),
            "every scalar of VirusSpread has a unit"
        );
    }
}
