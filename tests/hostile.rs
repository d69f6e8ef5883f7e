//! Issue 21: hostile input never crashes or lies. Each test reproduces one defect of the issue
//! (it failed before the fix), then the loaders are fuzzed: whatever the JSON, they answer with a
//! value or a field-naming error, never a panic.

use afweging::sweep::{Progress, MAX_DRAWS};
use afweging::uncertainty::Uncertainty;
use afweging::{Calibration, Error, Model, Scenario, SectorPlans};
use proptest::prelude::*;
use serde_json::{json, Value};

mod common;

fn calibration_json() -> Value {
    serde_json::from_str(&Calibration::netherlands().to_json_string()).unwrap()
}

fn scenario_json() -> Value {
    serde_json::from_str(&Scenario::preset("centraal").unwrap().to_json_string()).unwrap()
}

/// `(field, message)` of every problem of an error.
fn problems(e: &Error) -> Vec<(String, String)> {
    e.field_errors()
        .into_iter()
        .map(|f| (f.field, f.message))
        .collect()
}

fn model(cal: &Value, sc: &Value) -> afweging::Result<Model> {
    let cal = Calibration::from_json_str(&cal.to_string())?;
    Model::new(cal, Scenario::from_json_str(&sc.to_string())?)
}

#[test]
fn defect_2_a_sweep_too_large_for_memory_is_refused_saying_how_much_it_needs() {
    // draws = 2**40 used to pass and then abort on a 140 TB allocation.
    let sweep = common::one_scenario_sweep(None, Uncertainty::netherlands(), MAX_DRAWS, 30);
    let e = sweep.run(0..MAX_DRAWS, 1, &Progress::new()).unwrap_err();
    let text = e.to_string();
    assert!(text.starts_with("draws: would need "), "{text}");
    assert!(text.contains(" bytes of memory"), "{text}");
    assert!(text.contains("at most 8 GiB per batch"), "{text}");
}

#[test]
fn defect_5_periods_and_r0_are_bounded_before_any_work() {
    // A ward stay of 1e-6 days ran for 136 s and ended in a SolverError.
    let mut cal = calibration_json();
    cal["stays"]["ward_days"] = json!(1e-6);
    let e = model(&cal, &scenario_json()).unwrap_err();
    assert_eq!(
        problems(&e),
        [(
            "calibration.stays.ward_days".into(),
            "must be between 0.1 and 3650".into()
        )]
    );
    let mut sc = scenario_json();
    sc["variant"]["r0"] = json!(1e6);
    sc["variant"]["latent_days"] = json!(1e-9);
    let e = model(&calibration_json(), &sc).unwrap_err();
    assert_eq!(
        problems(&e),
        [
            ("scenario.variant.r0".into(), "must be at most 30".into()),
            (
                "scenario.variant.latent_days".into(),
                "must be between 0.1 and 3650".into()
            ),
        ]
    );
}

#[test]
fn defect_6_a_tampered_run_is_refused_on_load() {
    let model = Model::new(
        Calibration::netherlands(),
        Scenario::preset("centraal").unwrap(),
    )
    .unwrap();
    let run = model.run(10).unwrap();
    run.check().unwrap();
    let mut doc: Value = serde_json::to_value(&run).unwrap();
    // One day of states dropped (consistently, so it deserialises): the getters used to panic.
    let day = doc["states"]["dim"][1].as_u64().unwrap() * doc["states"]["dim"][2].as_u64().unwrap();
    let states = doc["states"]["data"].as_array_mut().unwrap();
    let keep = states.len() - day as usize;
    states.truncate(keep);
    doc["states"]["dim"][0] = json!(10);
    let tampered: afweging::run::Run = serde_json::from_value(doc).unwrap();
    let e = tampered.check().unwrap_err();
    assert_eq!(problems(&e)[0].0, "run.states", "{e}");
}

#[test]
fn defect_8_optional_features_are_switched_off_only_explicitly() {
    // An absent key used to switch the feature off silently.
    let mut sc = scenario_json();
    sc.as_object_mut().unwrap().remove("behaviour");
    sc["immunity"]
        .as_object_mut()
        .unwrap()
        .remove("waning_days");
    let e = Scenario::from_json_str(&sc.to_string()).unwrap_err();
    assert!(e.to_string().contains("missing field `waning_days`"), "{e}");
    let mut sc = scenario_json();
    sc.as_object_mut().unwrap().remove("behaviour");
    let e = Scenario::from_json_str(&sc.to_string()).unwrap_err();
    assert!(e.to_string().contains("missing field `behaviour`"), "{e}");
    let mut cal = calibration_json();
    cal["severity"]
        .as_object_mut()
        .unwrap()
        .remove("p_death_icu_overflow");
    let e = Calibration::from_json_str(&cal.to_string()).unwrap_err();
    assert!(
        e.to_string()
            .contains("missing field `p_death_icu_overflow`"),
        "{e}"
    );
    // null stays the explicit way to switch each one off.
    let mut sc = scenario_json();
    sc["behaviour"] = Value::Null;
    sc["immunity"]["waning_days"] = Value::Null;
    Scenario::from_json_str(&sc.to_string()).unwrap();
}

#[test]
fn defect_9_duplicate_json_keys_are_refused_every_one_named() {
    let text = scenario_json().to_string();
    // The same key twice at the top and inside the variant.
    let text = text.replacen("{", r#"{"name": "x", "#, 1);
    let text = text.replacen(r#""r0":"#, r#""r0": 99, "r0":"#, 1);
    let e = Scenario::from_json_str(&text).unwrap_err();
    let fields: Vec<String> = problems(&e).into_iter().map(|p| p.0).collect();
    assert_eq!(fields, ["scenario.name", "scenario.variant.r0"], "{e}");
    assert!(
        e.to_string().contains("is given twice in one object"),
        "{e}"
    );
}

#[test]
fn defect_14_every_type_error_of_a_plans_json_is_listed_at_once() {
    // serde stopped at the first: an analyst fixed one and met the next.
    let mut plans: Value =
        serde_json::from_str(&SectorPlans::netherlands().to_json_string()).unwrap();
    plans["sectors"][0]["contact_share"] = json!("twenty percent");
    plans["sectors"][2]["rungs"][1]["contacts_kept"] = json!(true);
    plans["general"][3]["contacts_kept"]["work"] = json!([0.5]);
    let e = SectorPlans::from_json_str(&plans.to_string()).unwrap_err();
    let fields: Vec<String> = problems(&e).into_iter().map(|p| p.0).collect();
    assert_eq!(
        fields,
        // By path: the keys of an object in alphabetical order.
        [
            "plans.general[3].contacts_kept.work",
            "plans.sectors[0].contact_share",
            "plans.sectors[2].rungs[1].contacts_kept",
        ],
        "{e}"
    );
    let text = e.to_string();
    for got in [r#"string "twenty percent""#, "boolean `true`", "sequence"] {
        assert!(text.contains(got), "{got}: {text}");
    }
    assert!(text.contains("expected f64"), "{text}");
}

#[test]
fn type_errors_after_a_removed_array_element_keep_their_index_and_stop_at_the_cap() {
    // A missing field empties its sector; the sector after it keeps its index in the input.
    let mut plans: Value =
        serde_json::from_str(&SectorPlans::netherlands().to_json_string()).unwrap();
    plans["sectors"][1]
        .as_object_mut()
        .unwrap()
        .remove("setting");
    plans["sectors"][1]["contact_share"] = json!("x");
    plans["sectors"][3]["contact_share"] = json!("y");
    let e = SectorPlans::from_json_str(&plans.to_string()).unwrap_err();
    let fields: Vec<String> = problems(&e).into_iter().map(|p| p.0).collect();
    assert_eq!(
        fields,
        [
            "plans.sectors[1].contact_share",
            "plans.sectors[1]",
            "plans.sectors[3].contact_share"
        ],
        "{e}"
    );
    assert!(e.to_string().contains("missing field `setting`"), "{e}");
    // Hostile input with thousands of type errors is read at most MAX_TYPE_ERRORS times.
    let many = json!({ "parameters": (0..5000).map(|i| json!({"path": i})).collect::<Vec<_>>() });
    let e = Uncertainty::from_json_str(&many.to_string()).unwrap_err();
    assert_eq!(
        e.field_errors().len(),
        afweging::error::MAX_TYPE_ERRORS,
        "{e}"
    );
}

#[test]
fn defect_9_duplicate_names_are_refused() {
    let plans = SectorPlans::netherlands();
    // A general measure listed twice was applied twice (community contacts 0.920 -> 0.848).
    let package = serde_json::from_value(json!({"general": ["mondkapjes", "mondkapjes"]})).unwrap();
    let e = plans.package(package).unwrap_err();
    assert_eq!(
        problems(&e),
        [(
            "package.general[1]".into(),
            "is a duplicate (also [0])".into()
        )]
    );
    let mut cal = calibration_json();
    cal["age_bands"][1] = cal["age_bands"][0].clone();
    let e = Calibration::from_json_str(&cal.to_string()).unwrap_err();
    assert_eq!(problems(&e)[0].0, "calibration.age_bands[1]", "{e}");
    let mut doc: Value = serde_json::from_str(&plans.to_json_string()).unwrap();
    let first = doc["policies"][0].clone();
    doc["policies"].as_array_mut().unwrap().push(first);
    let levels = doc["policies"][0]["levels"].as_array_mut().unwrap();
    levels[1]["name"] = levels[0]["name"].clone();
    let e = SectorPlans::from_json_str(&doc.to_string()).unwrap_err();
    let fields: Vec<String> = problems(&e).into_iter().map(|p| p.0).collect();
    assert!(
        fields.contains(&"plans.policies[0].levels[1].name".to_string()),
        "{e}"
    );
    let n = doc["policies"].as_array().unwrap().len() - 1;
    assert!(fields.contains(&format!("plans.policies[{n}].name")), "{e}");
}

#[test]
fn defect_4_a_run_stops_within_a_day_once_cancelled() {
    // Ctrl-C used to be seen only between whole runs: a long regional run went on to its end.
    let model = Model::new(
        Calibration::netherlands_regions(),
        Scenario::preset("centraal").unwrap(),
    )
    .unwrap();
    let progress = Progress::new();
    progress.cancel();
    let start = std::time::Instant::now();
    let e = progress.watching(|| model.run(36_525)).unwrap_err();
    assert_eq!(e.to_string(), "batch: cancelled");
    assert!(start.elapsed().as_secs_f64() < 0.5, "{:?}", start.elapsed());
}

#[test]
fn a_panic_becomes_an_internal_error() {
    let e = afweging::error::guarded::<()>(|| panic!("boom")).unwrap_err();
    assert!(matches!(e, Error::Internal(ref m) if m == "boom"), "{e}");
}

/// A JSON value of any shape, to stand where the loaders expect a number, string, list or object.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<f64>().prop_map(|x| json!(x)),
        prop_oneof![Just(1e308), Just(-1.0), Just(0.0), Just(1e-300)].prop_map(|x| json!(x)),
        any::<i64>().prop_map(Value::from),
        ".{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every path to a value inside `doc` (JSON pointers), objects and arrays included.
fn pointers(doc: &Value, at: String, out: &mut Vec<String>) {
    match doc {
        Value::Object(m) => m.iter().for_each(|(k, v)| {
            let p = format!("{at}/{k}");
            out.push(p.clone());
            pointers(v, p, out)
        }),
        Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| {
            let p = format!("{at}/{i}");
            out.push(p.clone());
            pointers(v, p, out)
        }),
        _ => {}
    }
}

/// `doc` with the value at the `pick`-th path replaced by `value`.
fn mutated(mut doc: Value, pick: usize, value: Value) -> Value {
    let mut paths = Vec::new();
    pointers(&doc, String::new(), &mut paths);
    let p = &paths[pick % paths.len()];
    *doc.pointer_mut(p).unwrap() = value;
    doc
}

proptest! {
    // PROPTEST_CASES raises the count for a longer job (default 256 per property).
    #![proptest_config(ProptestConfig::default())]

    /// Any one field of the calibration or scenario replaced by any JSON value: the loaders and
    /// the model answer with a value or an error, and a model that is built runs a few days.
    #[test]
    fn loaders_never_panic_on_a_mutated_field(
        which in 0..2usize,
        pick in any::<usize>(),
        value in any_json(),
    ) {
        let (cal, sc) = match which {
            0 => (mutated(calibration_json(), pick, value), scenario_json()),
            _ => (calibration_json(), mutated(scenario_json(), pick, value)),
        };
        if let Ok(m) = model(&cal, &sc) {
            let _ = m.run(3);
        }
    }

    /// Arbitrary text to every engine loader: a value or an error, never a panic.
    #[test]
    fn loaders_never_panic_on_any_text(text in ".{0,64}", value in any_json()) {
        for text in [text, value.to_string()] {
            let _ = Calibration::from_json_str(&text);
            let _ = Scenario::from_json_str(&text);
            let _ = SectorPlans::from_json_str(&text);
            let _ = Uncertainty::from_json_str(&text);
            let _ = afweging::error::from_json::<afweging::run::Run>("run", &text)
                .map(|r| r.check());
        }
    }
}
