//! Every validation rule, with the message an analyst sees: the field path and the bad value.

use afweging::{Calibration, Error, Model, Scenario, SectorPlans};
use serde_json::{json, Value};

fn calibration_json() -> Value {
    serde_json::from_str(&Calibration::netherlands().to_json_string()).unwrap()
}

fn scenario_json() -> Value {
    serde_json::from_str(&Scenario::preset("centraal").unwrap().to_json_string()).unwrap()
}

/// Sets the value at a JSON pointer (`/variant/r0`).
fn set(mut doc: Value, pointer: &str, value: Value) -> Value {
    *doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer}")) = value;
    doc
}

/// The error message of building a model from these documents (parsing or preparing).
fn message(cal: &Value, sc: &Value) -> String {
    let result = Calibration::from_json_str(&cal.to_string()).and_then(|cal| {
        let sc = Scenario::from_json_str(&sc.to_string())?;
        Model::new(cal, sc)
    });
    match result {
        Ok(_) => panic!("accepted invalid input"),
        Err(e) => e.to_string(),
    }
}

fn expect_calibration(pointer: &str, value: Value, expected: &str) {
    let got = message(&set(calibration_json(), pointer, value), &scenario_json());
    assert!(
        got.contains(expected),
        "{pointer}: expected {expected:?} in {got:?}"
    );
}

fn expect_scenario(pointer: &str, value: Value, expected: &str) {
    let got = message(&calibration_json(), &set(scenario_json(), pointer, value));
    assert!(
        got.contains(expected),
        "{pointer}: expected {expected:?} in {got:?}"
    );
}

#[test]
fn calibration_rules_name_field_and_value() {
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "/population",
            json!([]),
            "calibration.population: must not be empty",
        ),
        (
            "/population/2",
            json!(-5.0),
            "calibration.population[2]: must be > 0, got -5",
        ),
        (
            "/age_bands",
            json!(["0-9"]),
            "calibration.age_bands: must have 9 elements (one per population band), got 1 elements",
        ),
        (
            "/contacts/home",
            json!([[1.0]]),
            "calibration.contacts.home: must have 9 elements (one per age band), got 1 elements",
        ),
        (
            "/contacts/work/3",
            json!([1.0, 2.0]),
            "calibration.contacts.work[3]: must have 9 elements",
        ),
        (
            "/contacts/school/1/2",
            json!(-1.0),
            "calibration.contacts.school[1][2]: must be >= 0, got -1",
        ),
        (
            "/relative_susceptibility/0",
            json!(-0.5),
            "calibration.relative_susceptibility[0]: must be >= 0, got -0.5",
        ),
        (
            "/relative_susceptibility",
            json!([1.0]),
            "calibration.relative_susceptibility: must have 9 elements",
        ),
        (
            "/asymptomatic_share/4",
            json!(1.5),
            "calibration.asymptomatic_share[4]: must be between 0 and 1, got 1.5",
        ),
        (
            "/asymptomatic_infectiousness",
            json!(2.0),
            "calibration.asymptomatic_infectiousness: must be between 0 and 1, got 2",
        ),
        (
            "/severity/p_hospital_given_infection/8",
            json!(1.2),
            "calibration.severity.p_hospital_given_infection[8]: must be between 0 and 1, got 1.2",
        ),
        (
            "/severity/p_icu_given_admission/1",
            json!(-0.1),
            "calibration.severity.p_icu_given_admission[1]: must be between 0 and 1, got -0.1",
        ),
        (
            "/severity/p_death_given_admission/0",
            json!(3),
            "calibration.severity.p_death_given_admission[0]: must be between 0 and 1, got 3",
        ),
        (
            "/severity/p_death_given_icu/5",
            json!(1.01),
            "calibration.severity.p_death_given_icu[5]: must be between 0 and 1, got 1.01",
        ),
        (
            "/severity/p_death_given_icu/1",
            json!(0.9),
            "calibration.severity.p_death_given_icu[1]: implies a negative ward mortality",
        ),
        (
            "/severity/p_death_icu_overflow",
            json!(1.5),
            "calibration.severity.p_death_icu_overflow: must be between 0 and 1, got 1.5",
        ),
        (
            "/stays/ward_days",
            json!(0.0),
            "calibration.stays.ward_days: must be between 0.1 and 3650, got 0",
        ),
        (
            "/stays/icu_days",
            json!(-2.0),
            "calibration.stays.icu_days: must be between 0.1 and 3650, got -2",
        ),
        (
            "/capacity/hospital_normal",
            json!(-1.0),
            "calibration.capacity.hospital_normal: must be >= 0, got -1",
        ),
        (
            "/capacity/icu_normal",
            json!(-1.0),
            "calibration.capacity.icu_normal: must be >= 0, got -1",
        ),
        (
            "/capacity/icu_scaled",
            json!(100.0),
            "calibration.capacity.icu_scaled: must be >= icu_normal (600), got 100",
        ),
        (
            "/capacity/hospital_scaled",
            json!(100.0),
            "calibration.capacity.hospital_scaled: must be >= hospital_normal (1500), got 100",
        ),
        (
            "/life_expectancy/3",
            json!(-1.0),
            "calibration.life_expectancy[3]: must be >= 0, got -1",
        ),
        (
            "/population/1",
            json!("many"),
            "calibration.population[1]: invalid JSON: invalid type: string \"many\"",
        ),
        (
            "/stays",
            json!({"ward_days": 7.9}),
            "calibration.stays: invalid JSON: missing field `infection_to_admission_days`",
        ),
    ];
    for (pointer, value, expected) in cases {
        expect_calibration(pointer, value, expected);
    }
}

#[test]
fn unknown_fields_are_rejected_with_their_name() {
    let mut doc = calibration_json();
    doc["capacity"]["icu_beds"] = json!(1.0);
    let got = message(&doc, &scenario_json());
    assert!(
        got.contains("calibration.capacity") && got.contains("unknown field `icu_beds`"),
        "{got}"
    );
}

#[test]
fn scenario_rules_name_field_and_value() {
    let cases: Vec<(&str, Value, &str)> = vec![
        ("/variant/r0", json!(-1.5), "scenario.variant.r0: must be > 0, got -1.5"),
        ("/variant/latent_days", json!(0), "scenario.variant.latent_days: must be between 0.1 and 3650, got 0"),
        ("/variant/infectious_days", json!(-1), "scenario.variant.infectious_days: must be between 0.1 and 3650, got -1"),
        ("/variant/severity", json!(0), "scenario.variant.severity: must be > 0, got 0"),
        ("/variant/severity", json!(25.0), "scenario.variant.severity: makes P(admission or death outside hospital | infection) in band 60-69 (0.6275000000000001) exceed the symptomatic share (0.61), got 25"),
        ("/variant/icu_ratio", json!(-1), "scenario.variant.icu_ratio: must be >= 0, got -1"),
        ("/variant/icu_ratio", json!(6.0), "scenario.variant.icu_ratio: makes a probability in band 50-59 exceed 1 (0.202 x 6), got 6"),
        ("/variant/fatality_ratio", json!(-0.5), "scenario.variant.fatality_ratio: must be >= 0, got -0.5"),
        ("/variant/fatality_ratio", json!(3.0), "scenario.variant.fatality_ratio: makes a probability in band 80+ exceed 1"),
        ("/variant/immune_escape", json!(1.2), "scenario.variant.immune_escape: must be between 0 and 1, got 1.2"),
        ("/seasonality/amplitude", json!(1.0), "scenario.seasonality.amplitude: must be between 0 and 0.99, got 1"),
        ("/seasonality/peak_day_of_year", json!(0), "scenario.seasonality.peak_day_of_year: must be between 1 and 366, got 0"),
        ("/start_day_of_year", json!(400), "scenario.start_day_of_year: must be between 1 and 366, got 400"),
        ("/initial/prevalence", json!(0.6), "scenario.initial.prevalence: must be between 0 and 0.5, got 0.6"),
        ("/initial/vaccinated/2", json!(-0.1), "scenario.initial.vaccinated[2]: must be between 0 and 1, got -0.1"),
        ("/initial/recovered/2", json!(1.1), "scenario.initial.recovered[2]: must be between 0 and 1, got 1.1"),
        ("/initial/waned/2", json!(0.9), "scenario.initial.waned[2]: vaccinated + recovered + waned + infected must be <= 1"),
        ("/initial/vaccinated", json!([0.1]), "scenario.initial.vaccinated: must have 9 elements (one per age band), got 1 elements"),
        ("/immunity/infection_protection", json!(2), "scenario.immunity.infection_protection: must be between 0 and 1, got 2"),
        ("/immunity/waned_severe_protection", json!(-1), "scenario.immunity.waned_severe_protection: must be between 0 and 1, got -1"),
        ("/immunity/waning_days", json!(0), "scenario.immunity.waning_days: must be between 0.1 and 3650, got 0"),
        ("/vaccine/infection_efficacy", json!(1.5), "scenario.vaccine.infection_efficacy: must be between 0 and 1, got 1.5"),
        ("/vaccine/severe_efficacy", json!(0.5), "scenario.vaccine.severe_efficacy: must be >= infection_efficacy (0.8), got 0.5"),
        ("/vaccine/waning_days", json!(-3), "scenario.vaccine.waning_days: must be between 0.1 and 3650, got -3"),
        ("/campaigns/0/start_day", json!(-1), "scenario.campaigns[0].start_day: must be >= 0, got -1"),
        ("/campaigns/0/doses_per_day", json!(-10), "scenario.campaigns[0].doses_per_day: must be >= 0, got -10"),
        ("/campaigns/0/uptake/8", json!(1.5), "scenario.campaigns[0].uptake[8]: must be between 0 and 1, got 1.5"),
        ("/campaigns/0/uptake", json!([0.5, 0.5]), "scenario.campaigns[0].uptake: must have 9 elements (one per age band), got 2 elements"),
        ("/campaigns/0/priority", json!("youngest_first"), "scenario.campaigns[0].priority: invalid JSON: unknown variant `youngest_first`"),
        ("/variant/r0", json!(null), "scenario.variant.r0: invalid JSON: invalid type: null, expected f64"),
    ];
    for (pointer, value, expected) in cases {
        expect_scenario(pointer, value, expected);
    }
}

#[test]
fn all_problems_are_reported_at_once() {
    let doc = set(
        set(scenario_json(), "/variant/r0", json!(-1)),
        "/variant/immune_escape",
        json!(2),
    );
    match Scenario::from_json_str(&doc.to_string()) {
        Err(Error::Validation(errors)) => {
            let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(
                fields,
                ["scenario.variant.r0", "scenario.variant.immune_escape"]
            );
            assert_eq!(errors[0].value, "-1");
        }
        other => panic!("expected validation errors, got {other:?}"),
    }
}

#[test]
fn unknown_preset_lists_the_valid_ones() {
    let err = Scenario::preset("rampzalig").unwrap_err().to_string();
    assert_eq!(
        err,
        "scenario: unknown preset \"rampzalig\"; valid: gunstig, centraal, ongunstig, zeer_ongunstig"
    );
}

#[test]
fn run_arguments_are_checked() {
    let model = Model::new(
        Calibration::netherlands(),
        Scenario::preset("centraal").unwrap(),
    )
    .unwrap();
    assert_eq!(
        model.run(0).unwrap_err().to_string(),
        "days: must be between 1 and 36525, got 0"
    );
    let mut schedule = vec![[1.0; 4]; 10];
    schedule[3][1] = -1.0;
    assert_eq!(
        model
            .run_with_multipliers(&schedule)
            .unwrap_err()
            .to_string(),
        "contact_multipliers[3].school: must be >= 0, got -1"
    );
}

#[test]
fn json_round_trips() {
    let cal = Calibration::netherlands();
    assert_eq!(
        Calibration::from_json_str(&cal.to_json_string()).unwrap(),
        cal
    );
    for name in Scenario::preset_names() {
        let sc = Scenario::preset(&name).unwrap();
        assert_eq!(Scenario::from_json_str(&sc.to_json_string()).unwrap(), sc);
    }
    let run = Model::new(cal, Scenario::preset("centraal").unwrap())
        .unwrap()
        .run(30)
        .unwrap();
    let text = serde_json::to_string(&run).unwrap();
    assert_eq!(serde_json::from_str::<afweging::Run>(&text).unwrap(), run);
}

#[test]
fn every_default_figure_has_a_source() {
    use afweging::inputs::source::{numeric_paths, source_for};
    let cal = Calibration::netherlands();
    let doc = calibration_json();
    for path in numeric_paths(&doc) {
        if path.starts_with("sources") {
            continue;
        }
        // The impact data carries its own sources (tests/impacts.rs checks them).
        let (sources, path) = match path.strip_prefix("impacts.") {
            Some(rest) => (&cal.impacts.as_ref().unwrap().sources, rest.to_string()),
            None => (&cal.sources, path),
        };
        if path.starts_with("sources") {
            continue;
        }
        assert!(
            source_for(sources, &path).is_some(),
            "calibration.{path} has no source"
        );
    }
    for name in Scenario::preset_names() {
        let sc = Scenario::preset(&name).unwrap();
        let doc: Value = serde_json::from_str(&sc.to_json_string()).unwrap();
        for path in numeric_paths(&doc) {
            if path.starts_with("sources") {
                continue;
            }
            assert!(
                source_for(&sc.sources, &path).is_some(),
                "{name}: scenario.{path} has no source"
            );
        }
    }
    // Assumptions are flagged, real sources carry a year.
    for (key, s) in &cal.sources {
        assert!(
            s.assumption || s.year.is_some(),
            "calibration source {key} has neither year nor assumption flag"
        );
    }
    // The regions carry their own sources, keyed below `regions`; every optional figure a region
    // may give (age split, capacity share) is covered too.
    let regions = afweging::inputs::regions::Regions::netherlands();
    let doc: Value = serde_json::to_value(&regions).unwrap();
    let mut paths = numeric_paths(&doc);
    paths.extend([
        "regions.population_by_age".into(),
        "regions.capacity_share".into(),
    ]);
    for path in paths {
        if path.starts_with("sources") {
            continue;
        }
        assert!(
            source_for(&regions.sources, &path).is_some(),
            "calibration.regions.{path} has no source"
        );
    }
    for (key, s) in &regions.sources {
        assert!(
            s.assumption || s.year.is_some(),
            "regions source {key} has neither year nor assumption flag"
        );
    }
}

#[test]
fn run_lengths_are_checked_before_anything_is_allocated() {
    // Issue 21, defect 1: `days = 10**13` used to abort on the allocation of the day logs.
    let plans = SectorPlans::netherlands();
    let model = Model::new(
        Calibration::netherlands(),
        Scenario::preset("centraal").unwrap(),
    )
    .unwrap();
    let policy = afweging::Policy::Trigger(plans.policy("signal-values").unwrap());
    for days in [0, 36_526, 10_000_000_000_000, usize::MAX] {
        let errors = [
            model.run(days).unwrap_err(),
            afweging::run::with_policy(&model, &plans, &policy, days).unwrap_err(),
        ];
        for e in errors {
            let fields = e.field_errors();
            assert_eq!(fields[0].field, "days", "{e}");
            assert_eq!(fields[0].value, days.to_string());
        }
    }
}

#[test]
fn contact_matrices_without_contacts_are_refused() {
    // Issue 21, defect 3: all-zero contacts gave beta0 of about 1.8e16 (rounding noise for a
    // spectral radius of zero), and growth_rate() then never returned.
    let mut cal = Calibration::netherlands();
    for m in [
        &mut cal.contacts.home,
        &mut cal.contacts.school,
        &mut cal.contacts.work,
        &mut cal.contacts.community,
    ] {
        for row in m.iter_mut() {
            row.iter_mut().for_each(|x| *x = 0.0);
        }
    }
    let err = Model::new(cal, Scenario::preset("centraal").unwrap()).unwrap_err();
    assert_eq!(err.field_errors()[0].field, "calibration.contacts", "{err}");
}
