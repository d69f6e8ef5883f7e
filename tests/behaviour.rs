//! The behavioural dimension coupled into runs: compliance scales measures, fatigue wears them
//! down, hospital pressure drives voluntary distancing, levers act on compliance and uptake.

use afweging::measures::policy::Policy;
use afweging::{Calibration, Model, Package, Scenario, SectorPlans};
use serde_json::json;

fn scenario(preset: &str) -> Scenario {
    Scenario::preset(preset).unwrap()
}

fn run_policy(sc: Scenario, policy: &Policy, days: usize) -> afweging::Run {
    let model = Model::new(Calibration::netherlands(), sc).unwrap();
    afweging::run::with_policy(&model, &SectorPlans::netherlands(), policy, days).unwrap()
}

fn signal_values() -> Policy {
    let plans = SectorPlans::netherlands();
    Policy::Trigger(plans.policy("signal-values").unwrap())
}

fn strict() -> Policy {
    let plans = SectorPlans::netherlands();
    Policy::Package(Package {
        rungs: plans.sectors.iter().map(|s| (s.name.clone(), 3)).collect(),
        general: vec![],
    })
}

#[test]
fn feedback_off_at_full_compliance_equals_the_engine_without_behaviour() {
    let mut off = scenario("ongunstig");
    let b = off.behaviour.as_mut().unwrap();
    b.feedback = false;
    b.fixed_compliance = 1.0;
    let mut none = scenario("ongunstig");
    none.behaviour = None;
    let a = run_policy(off, &signal_values(), 365);
    let b = run_policy(none, &signal_values(), 365);
    assert!(a.behaviour.is_some() && b.behaviour.is_none());
    for (x, y) in a.states.iter().zip(b.states.iter()) {
        assert!((x - y).abs() <= 1e-9 * y.abs().max(1.0), "{x} vs {y}");
    }
    assert_eq!(a.policy.unwrap().level, b.policy.unwrap().level);
}

#[test]
fn longer_strict_measures_end_with_lower_compliance() {
    let mut sc = scenario("centraal");
    sc.initial.prevalence = Some(0.0); // no epidemic: fatigue alone moves compliance
    sc.initial.patients = Default::default();
    let run = run_policy(sc, &strict(), 240);
    let record = run.behaviour.unwrap();
    let mean = |d: usize| record.compliance[d].iter().sum::<f64>() / 9.0;
    assert!(mean(179) < mean(59), "{} vs {}", mean(179), mean(59));
    assert!(mean(59) < mean(0));
    let summary = record.summary(&Calibration::netherlands().population);
    assert!(summary.effectiveness_lost > 0.2, "{summary:?}");
    // Fatigue accounts for part of the loss; the rest is baseline non-compliance.
    assert!(summary.effectiveness_lost_to_fatigue > 0.05, "{summary:?}");
    assert!(
        summary.effectiveness_lost_to_fatigue < summary.effectiveness_lost,
        "{summary:?}"
    );
}

#[test]
fn higher_hospital_load_gives_more_voluntary_distancing() {
    let peak = |preset: &str| {
        let model = Model::new(Calibration::netherlands(), scenario(preset)).unwrap();
        let run = model.run(365).unwrap();
        run.behaviour
            .unwrap()
            .voluntary
            .iter()
            .flatten()
            .cloned()
            .fold(0.0, f64::max)
    };
    let (mild, severe) = (peak("gunstig"), peak("zeer_ongunstig"));
    assert!(severe > mild, "{severe} vs {mild}");
    assert!(severe > 0.0);
}

#[test]
fn voluntary_distancing_lowers_the_burden_without_measures() {
    let with = Model::new(Calibration::netherlands(), scenario("zeer_ongunstig")).unwrap();
    let mut sc = scenario("zeer_ongunstig");
    sc.behaviour = None;
    let without = Model::new(Calibration::netherlands(), sc).unwrap();
    let a = with.run(365).unwrap().virus_spread();
    let b = without.run(365).unwrap().virus_spread();
    assert!(a.peak_icu_occupancy < b.peak_icu_occupancy);
}

#[test]
fn levers_act_on_compliance_uptake_and_cost() {
    let plans = SectorPlans::netherlands();
    let mut package = Package {
        rungs: plans.sectors.iter().map(|s| (s.name.clone(), 2)).collect(),
        general: vec![],
    };
    let days = 200;
    let base = run_policy(
        scenario("ongunstig"),
        &Policy::Package(package.clone()),
        days,
    );
    package.general = vec![
        "communicatiecampagne".into(),
        "vaccinatie_stimulering".into(),
    ];
    let with = run_policy(scenario("ongunstig"), &Policy::Package(package), days);
    let population = Calibration::netherlands().population;
    let (b, w) = (
        base.behaviour.as_ref().unwrap().summary(&population),
        with.behaviour.as_ref().unwrap().summary(&population),
    );
    assert!(w.mean_compliance > b.mean_compliance);
    assert!(with.vaccinations.sum() > base.vaccinations.sum());
    assert_eq!(w.lever_cost, (50_000.0 + 100_000.0) * days as f64);
    assert_eq!(b.lever_cost, 0.0);
}

#[test]
fn behaviour_rules_name_field_and_value() {
    let cases = [
        (
            "/behaviour/baseline_compliance",
            json!(1.0),
            "scenario.behaviour.baseline_compliance: must be strictly between 0 and 1, got 1",
        ),
        (
            "/behaviour/baseline_support",
            json!(0.0),
            "scenario.behaviour.baseline_support: must be strictly between 0 and 1, got 0",
        ),
        (
            "/behaviour/fixed_compliance",
            json!(1.5),
            "scenario.behaviour.fixed_compliance: must be between 0 and 1, got 1.5",
        ),
        (
            "/behaviour/fatigue_rate/2",
            json!(-0.1),
            "scenario.behaviour.fatigue_rate[2]: must be >= 0, got -0.1",
        ),
        (
            "/behaviour/recovery_rate",
            json!(-1),
            "scenario.behaviour.recovery_rate: must be >= 0, got -1",
        ),
        (
            "/behaviour/fatigue_effect",
            json!(-1),
            "scenario.behaviour.fatigue_effect: must be >= 0, got -1",
        ),
        (
            "/behaviour/pressure_reference",
            json!(0),
            "scenario.behaviour.pressure_reference: must be > 0, got 0",
        ),
        (
            "/behaviour/risk_delay_days",
            json!(0),
            "scenario.behaviour.risk_delay_days: must be > 0, got 0",
        ),
        (
            "/behaviour/voluntary_max",
            json!(1.2),
            "scenario.behaviour.voluntary_max: must be between 0 and 1, got 1.2",
        ),
        (
            "/behaviour/voluntary_settings/work",
            json!(2),
            "scenario.behaviour.voluntary_settings.work: must be between 0 and 1, got 2",
        ),
    ];
    for (pointer, value, expected) in cases {
        let mut doc: serde_json::Value =
            serde_json::from_str(&scenario("centraal").to_json_string()).unwrap();
        *doc.pointer_mut(pointer).unwrap() = value;
        let err = Scenario::from_json_str(&doc.to_string())
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{pointer}: {err}");
    }
    let mut sc = scenario("centraal");
    sc.behaviour.as_mut().unwrap().fatigue_rate = vec![0.01; 3];
    let err = Model::new(Calibration::netherlands(), sc)
        .unwrap_err()
        .to_string();
    assert!(err.contains("scenario.behaviour.fatigue_rate: must have 9 elements (one per age band), got 3 elements"), "{err}");
}

#[test]
fn lever_rules_name_field_and_value() {
    let mut doc: serde_json::Value =
        serde_json::from_str(&SectorPlans::netherlands().to_json_string()).unwrap();
    let i = doc["general"]
        .as_array()
        .unwrap()
        .iter()
        .position(|g| g["name"] == "vaccinatie_stimulering")
        .unwrap();
    doc["general"][i]["behaviour"]["vaccine_uptake"] = json!(1.5);
    doc["general"][i]["cost_per_day"] = json!(-5);
    let err = SectorPlans::from_json_str(&doc.to_string())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!(
            "plans.general[{i}].behaviour.vaccine_uptake: must be between 0 and 1, got 1.5"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "plans.general[{i}].cost_per_day: must be >= 0, got -5"
        )),
        "{err}"
    );
}
