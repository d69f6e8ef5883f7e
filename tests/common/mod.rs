//! Fixtures shared by the integration tests (`mod common;` in each that uses them).

use afweging::measures::policy::Policy;
use afweging::sweep::{Mode, NamedPolicy, NamedScenario, Sweep};
use afweging::uncertainty::Uncertainty;
use afweging::{Calibration, Scenario, SectorPlans};

/// A summary sweep of the central scenario on the Dutch calibration under one policy of the Dutch
/// sector plans (`None`: no measures, named "none"), seed 0.
pub fn one_scenario_sweep(
    policy: Option<&str>,
    uncertainty: Uncertainty,
    draws: usize,
    days: usize,
) -> Sweep {
    let plans = SectorPlans::netherlands();
    let named = match policy {
        None => NamedPolicy {
            name: "none".into(),
            plans: None,
            policy: None,
        },
        Some(name) => NamedPolicy {
            name: name.into(),
            policy: Some(Policy::Trigger(plans.policy(name).unwrap())),
            plans: Some(plans),
        },
    };
    Sweep {
        calibration: Calibration::netherlands(),
        scenarios: vec![NamedScenario {
            name: "centraal".into(),
            scenario: Scenario::preset("centraal").unwrap(),
        }],
        policies: vec![named],
        uncertainty,
        draws,
        seed: 0,
        days,
        mode: Mode::Summary,
    }
}
