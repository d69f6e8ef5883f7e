//! The parameters of the behavioural model, a block of the scenario. The model itself (fatigue,
//! risk perception, compliance, support, voluntary distancing) is [`crate::measures::behaviour`].

use serde::{Deserialize, Serialize};

use crate::inputs::calibration::SettingFactors;
use crate::inputs::validate::Checker;

/// Parameters of the behavioural model (a scenario field).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Behaviour {
    /// False switches the feedback off: compliance is `fixed_compliance` and nobody distances
    /// voluntarily (for validation and to isolate the effect of behaviour).
    pub feedback: bool,
    /// Compliance with measures when feedback is off (0-1).
    pub fixed_compliance: f64,
    /// Compliance without fatigue and without perceived risk (0-1, exclusive).
    pub baseline_compliance: f64,
    /// Support for measures without fatigue, risk or measures (0-1, exclusive).
    pub baseline_support: f64,
    /// Rate at which fatigue builds under full stringency, per age band (1/day).
    pub fatigue_rate: Vec<f64>,
    /// Rate at which fatigue recovers without measures (1/day).
    pub recovery_rate: f64,
    /// Drop of compliance at full fatigue, on the logit scale.
    pub fatigue_effect: f64,
    /// Rise of compliance at full perceived risk, on the logit scale.
    pub risk_effect: f64,
    /// Drop of support at full fatigue, on the logit scale.
    pub support_fatigue_effect: f64,
    /// Rise of support at full perceived risk, on the logit scale.
    pub support_risk_effect: f64,
    /// Drop of support at full stringency, on the logit scale.
    pub support_stringency_effect: f64,
    /// ICU occupancy share at which perceived risk is full (R = 1).
    pub pressure_reference: f64,
    /// Mean delay of risk perception behind hospital pressure (days).
    pub risk_delay_days: f64,
    /// Largest voluntary reduction of contacts (0-1), reached at full perceived risk.
    pub voluntary_max: f64,
    /// How much of the voluntary reduction applies per setting (0-1).
    pub voluntary_settings: SettingFactors,
    /// How strongly each age band distances voluntarily, relative to the most careful (0-1).
    pub voluntary_by_age: Vec<f64>,
}

impl Behaviour {
    pub fn validate(&self, n_ages: Option<usize>, c: &mut Checker) {
        let f = "scenario.behaviour";
        c.share(format_args!("{f}.fixed_compliance"), self.fixed_compliance);
        for (name, v) in [
            ("baseline_compliance", self.baseline_compliance),
            ("baseline_support", self.baseline_support),
        ] {
            if c.finite(format_args!("{f}.{name}"), v) && !(v > 0.0 && v < 1.0) {
                c.fail(
                    format_args!("{f}.{name}"),
                    "must be strictly between 0 and 1",
                    format!("{v}"),
                );
            }
        }
        c.each(
            format_args!("{f}.fatigue_rate"),
            &self.fatigue_rate,
            Checker::non_negative,
        );
        if let Some(n) = n_ages {
            c.length(
                format_args!("{f}.fatigue_rate"),
                self.fatigue_rate.len(),
                n,
                "age band",
            );
        }
        for (name, v) in [
            ("recovery_rate", self.recovery_rate),
            ("fatigue_effect", self.fatigue_effect),
            ("risk_effect", self.risk_effect),
            ("support_fatigue_effect", self.support_fatigue_effect),
            ("support_risk_effect", self.support_risk_effect),
            ("support_stringency_effect", self.support_stringency_effect),
        ] {
            c.non_negative(format_args!("{f}.{name}"), v);
        }
        c.positive(
            format_args!("{f}.pressure_reference"),
            self.pressure_reference,
        );
        c.positive(format_args!("{f}.risk_delay_days"), self.risk_delay_days);
        c.share(format_args!("{f}.voluntary_max"), self.voluntary_max);
        c.each(
            format_args!("{f}.voluntary_by_age"),
            &self.voluntary_by_age,
            Checker::share,
        );
        if let Some(n) = n_ages {
            c.length(
                format_args!("{f}.voluntary_by_age"),
                self.voluntary_by_age.len(),
                n,
                "age band",
            );
        }
        self.voluntary_settings
            .check_shares(format_args!("{f}.voluntary_settings"), c);
    }
}
