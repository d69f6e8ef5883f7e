//! The indicators read from the state at the start of each day: what trigger policies watch and
//! what drives risk perception. Read once per day and shared by the policy controller and behaviour.

use std::collections::VecDeque;

use crate::calibration::Calibration;
use crate::compartments as c;
use crate::policy::Signal;

/// Signal values in [`Signal::ALL`] order.
pub type Signals = [f64; 6];

/// Reads the signals, keeping the last 7 days of admissions.
pub struct SignalReader {
    groups: usize,
    population: f64,
    icu_capacity: f64,
    hospital_capacity: f64,
    last: Option<(f64, f64)>,
    admissions: VecDeque<(f64, f64)>,
}

impl SignalReader {
    pub fn new(cal: &Calibration) -> Self {
        Self {
            groups: cal.n_ages(),
            population: cal.population.iter().sum(),
            icu_capacity: cal.capacity.icu_scaled.max(f64::MIN_POSITIVE),
            hospital_capacity: cal.capacity.hospital_scaled.max(f64::MIN_POSITIVE),
            last: None,
            admissions: VecDeque::with_capacity(8),
        }
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
            total(c::H) / self.hospital_capacity,
        ]
    }
}

/// The value of one signal.
pub fn value(signals: &Signals, signal: Signal) -> f64 {
    signals[Signal::ALL
        .iter()
        .position(|x| *x == signal)
        .expect("every signal is in Signal::ALL")]
}
