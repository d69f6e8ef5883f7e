//! The indicators read from the state at the start of each day: what trigger policies watch and
//! what drives risk perception. Read once per day and shared by the policy controller and behaviour.
//! A regional model reads them for the whole country and for every region (from the region's own
//! residents: their admissions, and their patients against the region's beds).

use std::collections::VecDeque;

use crate::epidemic::compartments::{self as c, SLOTS};
use crate::epidemic::model::Model;
use serde::{Deserialize, Serialize};

/// Signal values in [`Signal::ALL`] order.
pub type Signals = [f64; 6];

/// What a [`SignalReader`] remembers of earlier days: the cumulative admissions (ward and ICU)
/// it read last, and the admissions of up to the last 7 days (persons/day).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReaderMemory {
    pub last: Option<(f64, f64)>,
    pub admissions: Vec<(f64, f64)>,
}

/// Reads the signals of one population, keeping the last 7 days of admissions.
pub struct SignalReader {
    groups: usize,
    population: f64,
    icu_capacity: f64,
    hospital_capacity: f64,
    last: Option<(f64, f64)>,
    admissions: VecDeque<(f64, f64)>,
}

impl SignalReader {
    /// A reader of `groups` groups (from the start of the state it is given) with `population`
    /// persons and scaled-up ICU and clinical capacity.
    pub fn new(groups: usize, population: f64, icu_capacity: f64, hospital_capacity: f64) -> Self {
        Self {
            groups,
            population,
            icu_capacity: icu_capacity.max(f64::MIN_POSITIVE),
            hospital_capacity: hospital_capacity.max(f64::MIN_POSITIVE),
            last: None,
            admissions: VecDeque::with_capacity(8),
        }
    }

    /// The national reader and, for a regional model, one reader per region.
    pub fn for_model(model: &Model) -> (SignalReader, Vec<SignalReader>) {
        let cal = model.calibration();
        let cap = &cal.capacity;
        let national = SignalReader::new(
            model.groups,
            cal.population.iter().sum(),
            cap.icu_scaled,
            cap.hospital_scaled,
        );
        let regional = model.geography().map_or_else(Vec::new, |geo| {
            geo.region_population
                .iter()
                .zip(&geo.capacity_share)
                .map(|(&p, &share)| {
                    SignalReader::new(
                        geo.ages,
                        p,
                        share * cap.icu_scaled,
                        share * cap.hospital_scaled,
                    )
                })
                .collect()
        });
        (national, regional)
    }

    /// What the reader remembers, for a snapshot ([`crate::run::Snapshot`]).
    pub fn memory(&self) -> ReaderMemory {
        ReaderMemory {
            last: self.last,
            admissions: self.admissions.iter().copied().collect(),
        }
    }

    /// Takes up where a reader with `memory` left off (checked by [`ReaderMemory::check`]).
    pub fn restore(&mut self, memory: &ReaderMemory) {
        self.last = memory.last;
        self.admissions = memory.admissions.iter().copied().collect();
    }

    /// The signals from the state at the start of a day (admissions: mean over the days seen, at
    /// most the last 7).
    pub fn read(&mut self, y: &[f64]) -> Signals {
        let total = |slot: usize| (0..self.groups).map(|g| y[c::index(slot, g)]).sum::<f64>();
        let cumulative = (total(c::CUM_ADMISSIONS), total(c::CUM_ICU_ADMISSIONS));
        if let Some(last) = self.last {
            self.admissions
                .push_back((cumulative.0 - last.0, cumulative.1 - last.1));
            if self.admissions.len() > 7 {
                self.admissions.pop_front();
            }
        }
        self.last = Some(cumulative);
        let days = self.admissions.len().max(1) as f64;
        let week = self
            .admissions
            .iter()
            .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
        let icu = total(c::C);
        [
            week.0 / days,
            week.1 / days,
            week.0 / days * 7.0 / self.population * 1e5,
            icu,
            icu / self.icu_capacity,
            (total(c::H) + total(c::H_POST)) / self.hospital_capacity,
        ]
    }
}

impl ReaderMemory {
    /// At most 7 days of admissions, finite numbers, and none without a last reading.
    pub fn check(
        &self,
        field: impl std::fmt::Display + Copy,
        c: &mut crate::inputs::validate::Checker,
    ) {
        if self.admissions.len() > 7 || (self.last.is_none() && !self.admissions.is_empty()) {
            c.fail(
                format_args!("{field}.admissions"),
                "must hold at most 7 days, and none before a first reading",
                format!("{} days", self.admissions.len()),
            );
        }
        let numbers = self.last.iter().chain(&self.admissions);
        if let Some(bad) = numbers.flat_map(|&(a, b)| [a, b]).find(|x| !x.is_finite()) {
            c.fail(field, "every number must be finite", bad.to_string());
        }
    }
}

/// Reads every region's signals into `out` (one entry per reader; regions are consecutive blocks
/// of `ages` groups in the state).
pub fn read_regions(readers: &mut [SignalReader], y: &[f64], out: &mut Vec<Signals>) {
    out.clear();
    let mut start = 0;
    for reader in readers {
        let len = reader.groups * SLOTS;
        out.push(reader.read(&y[start..start + len]));
        start += len;
    }
}

/// The value of one signal.
pub fn value(signals: &Signals, signal: Signal) -> f64 {
    signals[Signal::ALL
        .iter()
        .position(|x| *x == signal)
        .expect("every signal is in Signal::ALL")]
}

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

    /// The signal's unit.
    pub fn unit(self) -> &'static str {
        match self {
            Signal::HospitalAdmissionsPerDay | Signal::IcuAdmissionsPerDay => {
                "persons/day, 7-day mean"
            }
            Signal::HospitalAdmissionsPer100kPerWeek => "persons per 100,000 per 7 days",
            Signal::IcuOccupancy => "persons",
            Signal::IcuOccupancyShare => "share of scaled-up ICU capacity",
            Signal::HospitalOccupancyShare => "share of scaled-up clinical capacity",
        }
    }

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
