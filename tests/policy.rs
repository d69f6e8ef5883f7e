//! Measures, packages, trigger policies, the crash test and the stringency of packages.

use afweging::measures::policy::Policy;
use afweging::{Calibration, Model, Package, Scenario, SectorPlans};
use proptest::prelude::*;
use serde_json::{json, Value};

fn model(preset: &str) -> Model {
    Model::new(
        Calibration::netherlands(),
        Scenario::preset(preset).unwrap(),
    )
    .unwrap()
}

fn package(rungs: &[(&str, usize)], general: &[&str]) -> Package {
    Package {
        rungs: rungs.iter().map(|(s, r)| (s.to_string(), *r)).collect(),
        general: general.iter().map(|g| g.to_string()).collect(),
    }
}

#[test]
fn dutch_plans_have_the_sectors_and_four_rungs() {
    let plans = SectorPlans::netherlands();
    for sector in [
        "horeca",
        "cultuur_evenementen",
        "sport",
        "detailhandel",
        "contactberoepen",
        "onderwijs_po",
        "onderwijs_vo_mbo_ho",
        "werk_kantoren",
        "openbaar_vervoer",
        "verpleeghuizen",
    ] {
        let s = plans
            .sector(sector)
            .unwrap_or_else(|| panic!("no sector {sector}"));
        let names: Vec<&str> = s.rungs.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            ["basis", "preventie", "interventie", "noodrem"],
            "{sector}"
        );
    }
    let crash = afweging::measures::crash::crash_test(&plans);
    let incoherent: Vec<_> = crash
        .findings
        .iter()
        .filter(|f| f.kind != "out_of_step")
        .collect();
    assert!(incoherent.is_empty(), "{incoherent:?}");
}

#[test]
fn no_measures_equals_no_policy() {
    let m = model("centraal");
    let plans = SectorPlans::netherlands();
    let open = m.run(200).unwrap();
    let with =
        afweging::run::with_policy(&m, &plans, &Policy::Package(Package::default()), 200).unwrap();
    assert_eq!(open.states, with.states);
    let record = with.policy.unwrap();
    assert!(record.rungs.iter().all(|r| r.iter().all(|&x| x == 0)));
    assert!(record.decisions.is_empty());
}

fn strictness() -> impl Strategy<Value = (Vec<usize>, Vec<usize>, Vec<bool>, Vec<bool>)> {
    let plans = SectorPlans::netherlands();
    let sizes: Vec<usize> = plans.sectors.iter().map(|s| s.rungs.len()).collect();
    let n_general = plans.general.len();
    let pairs: Vec<_> = sizes
        .iter()
        .map(|&n| (0..n, 0..n).prop_map(|(a, b)| (a.min(b), a.max(b))))
        .collect();
    (
        pairs,
        prop::collection::vec((any::<bool>(), any::<bool>()), n_general),
    )
        .prop_map(|(pairs, general)| {
            let (loose, strict): (Vec<_>, Vec<_>) = pairs.into_iter().unzip();
            let loose_general: Vec<bool> = general.iter().map(|(a, b)| *a && *b).collect();
            let strict_general: Vec<bool> = general.iter().map(|(a, _)| *a).collect();
            (loose, strict, loose_general, strict_general)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A package at least as strict in every sector (and with a superset of general measures)
    /// never gives more infections than a looser one, all else equal: behaviour is held fixed here,
    /// because with feedback a stricter package can tire people into lower compliance.
    #[test]
    fn stricter_packages_never_give_more_infections((loose, strict, lg, sg) in strictness()) {
        let plans = SectorPlans::netherlands();
        let mut sc = Scenario::preset("ongunstig").unwrap();
        sc.behaviour = None;
        let m = Model::new(Calibration::netherlands(), sc).unwrap();
        let make = |rungs: &[usize], general: &[bool]| Package {
            rungs: plans.sectors.iter().zip(rungs).map(|(s, &r)| (s.name.clone(), r)).collect(),
            general: plans.general.iter().zip(general).filter(|(_, &on)| on).map(|(g, _)| g.name.clone()).collect(),
        };
        let infections = |p: Package| {
            afweging::run::with_policy(&m, &plans, &Policy::Package(p), 200).unwrap().virus_spread().total_infections
        };
        let (a, b) = (infections(make(&loose, &lg)), infections(make(&strict, &sg)));
        prop_assert!(b <= a * (1.0 + 1e-12), "stricter {b} > looser {a}");
        prop_assert!(
            plans.stringency(&make(&strict, &sg)) >= plans.stringency(&make(&loose, &lg)) - 1e-12
        );
    }
}

fn trigger(plans: &SectorPlans, name: &str) -> afweging::TriggerPolicy {
    plans.policy(name).unwrap()
}

#[test]
fn signal_values_escalate_then_step_down_without_flapping() {
    let plans = SectorPlans::netherlands();
    let t = trigger(&plans, "signal-values");
    let days = 365;
    let run = afweging::run::with_policy(
        &model("ongunstig"),
        &plans,
        &Policy::Trigger(t.clone()),
        days,
    )
    .unwrap();
    let record = run.policy.as_ref().unwrap();
    let max_level = *record.level.iter().max().unwrap();
    assert!(max_level >= 1, "never escalated");
    let peak_day = record.level.iter().position(|&l| l == max_level).unwrap();
    assert!(
        record.level[peak_day..].iter().any(|&l| l < max_level),
        "never stepped down"
    );
    // Levels change only on the effective days of recorded decisions, with the delay respected.
    let mut changes = vec![];
    for d in 1..days {
        if record.level[d] != record.level[d - 1] {
            changes.push(d);
        }
    }
    let effective: Vec<usize> = record.decisions.iter().map(|x| x.day_effective).collect();
    assert_eq!(changes, effective);
    for decision in &record.decisions {
        assert!(decision.day_effective >= decision.day_decided + t.decision_delay_days as usize);
        assert!(!decision.reason.is_empty());
    }
    // No level held for less than its minimum (the last one may be cut off by the end of the run).
    let mut starts = vec![0];
    starts.extend(&changes);
    for pair in starts.windows(2) {
        assert!(
            pair[1] - pair[0] >= t.min_days_at_level as usize,
            "level held {} days",
            pair[1] - pair[0]
        );
    }
    // The rungs and stringency of each day are those of the level's package.
    for d in 0..days {
        let package = &t.levels[record.level[d]].package;
        assert_eq!(record.rungs[d], plans.rungs_of(package));
        assert_eq!(record.stringency[d], plans.stringency(package));
    }
}

#[test]
fn signal_values_lower_the_burden() {
    let plans = SectorPlans::netherlands();
    let m = model("ongunstig");
    let open = m.run(365).unwrap().virus_spread();
    let run = afweging::run::with_policy(
        &m,
        &plans,
        &Policy::Trigger(trigger(&plans, "signal-values")),
        365,
    )
    .unwrap();
    let controlled = run.virus_spread();
    assert!(controlled.total_admissions < open.total_admissions);
    assert!(controlled.peak_icu_occupancy < open.peak_icu_occupancy);
}

#[test]
fn occupancy_policy_runs_and_records_signals() {
    let plans = SectorPlans::netherlands();
    let run = afweging::run::with_policy(
        &model("zeer_ongunstig"),
        &plans,
        &Policy::Trigger(trigger(&plans, "occupancy")),
        365,
    )
    .unwrap();
    let record = run.policy.clone().unwrap();
    assert_eq!(run.signals.len(), 365);
    // The ICU occupancy signal read on day d is the occupancy at the end of day d - 1.
    let icu = run.icu_occupancy();
    for d in 1..365 {
        let expected: f64 = icu.row(d - 1).sum();
        assert!((run.signals[d][3] - expected).abs() <= 1e-9 * expected.max(1.0));
    }
    assert!(
        record.level.iter().any(|&l| l > 0),
        "the occupancy policy never acted in the very unfavourable scenario"
    );
}

#[test]
fn stringency_of_packages_is_the_oxcgrt_formula() {
    let plans = SectorPlans::netherlands();
    assert_eq!(plans.stringency(&Package::default()), {
        let levels = plans.oxcgrt_levels(&Package::default());
        afweging::measures::stringency::stringency_index(&levels).unwrap()
    });
    // Closing everything scores higher than the basic rungs.
    let all_closed = Package {
        rungs: plans
            .sectors
            .iter()
            .map(|s| (s.name.clone(), s.rungs.len() - 1))
            .collect(),
        general: plans.general.iter().map(|g| g.name.clone()).collect(),
    };
    assert!(plans.stringency(&all_closed) > plans.stringency(&Package::default()));
    assert!(plans.stringency(&all_closed) <= 100.0);
}

fn fixture() -> Value {
    json!({
        "measures": [
            {"name": "ventilatie", "label": "ventilation", "oxcgrt": {"H1": {"value": 2, "flag": 1}}},
            {"name": "sluiting", "label": "closure", "oxcgrt": {"C2": {"value": 2, "flag": 1}}}
        ],
        "sectors": [
            {"name": "horeca", "label": "hospitality", "setting": "community", "contact_share": 0.2, "rungs": [
                {"name": "basis", "measures": ["ventilatie"], "contacts_kept": 1.0, "activity_kept": 1.0},
                {"name": "preventie", "measures": ["ventilatie"], "contacts_kept": 0.8, "activity_kept": 0.9},
                {"name": "noodrem", "measures": ["sluiting"], "contacts_kept": 0.0, "activity_kept": 0.1}]},
            {"name": "school", "label": "primary", "setting": "school", "contact_share": 0.0, "ages": ["0-9"], "rungs": [
                {"name": "basis", "measures": [], "contacts_kept": 1.0, "activity_kept": 1.0},
                {"name": "dicht", "measures": [], "contacts_kept": 0.0, "activity_kept": 0.5}]}
        ],
        "general": [{"name": "thuiswerken", "label": "wfh", "measures": [], "contacts_kept": {"work": 0.5}}],
        "policies": [{"name": "p", "levels": [
            {"name": "laag", "package": {}},
            {"name": "hoog", "enter_at": {"icu_occupancy": 100}, "leave_below": {"icu_occupancy": 50},
             "package": {"rungs": {"horeca": 2}, "general": ["thuiswerken"]}}],
            "decision_delay_days": 3, "min_days_at_level": 14}]
    })
}

fn plans_error(doc: Value) -> String {
    SectorPlans::from_json_str(&doc.to_string())
        .unwrap_err()
        .to_string()
}

#[test]
fn plan_rules_name_field_and_value() {
    let cases: Vec<(&str, Value, &str)> = vec![
        ("/sectors/0/contact_share", json!(1.5), "plans.sectors[0].contact_share: must be between 0 and 1, got 1.5"),
        ("/sectors/0/rungs/1/contacts_kept", json!(-0.1), "plans.sectors[0].rungs[1].contacts_kept: must be between 0 and 1, got -0.1"),
        ("/sectors/0/rungs/1/activity_kept", json!(2), "plans.sectors[0].rungs[1].activity_kept: must be between 0 and 1, got 2"),
        ("/sectors/0/rungs", json!([]), "plans.sectors[0].rungs: must have at least one rung, got []"),
        ("/sectors/1/name", json!("horeca"), "plans.sectors[1].name: is a duplicate, got \"horeca\""),
        ("/general/0/contacts_kept/work", json!(1.2), "plans.general[0].contacts_kept.work: must be between 0 and 1, got 1.2"),
        ("/measures/1/oxcgrt/C2/value", json!(9), "plans.measures[1].oxcgrt.C2.value: must be between 0 and 3, got 9"),
        ("/policies/0/levels/1/package/rungs", json!({"horeca": 7}), "plans.policies[0].levels[1].package.rungs.horeca: must be between 0 and 2 (rungs of horeca), got 7"),
        ("/policies/0/levels/1/package/rungs", json!({"kroeg": 1}), "plans.policies[0].levels[1].package.rungs.kroeg: unknown sector; valid: horeca, school, got \"kroeg\""),
        ("/policies/0/levels/1/package/general", json!(["avondklok"]), "plans.policies[0].levels[1].package.general[0]: unknown general measure; valid: thuiswerken, got \"avondklok\""),
        ("/policies/0/levels/1/leave_below", json!({"icu_occupancy": 150}), "plans.policies[0].levels[1].leave_below.icu_occupancy: must be <= enter_at (100) for hysteresis, got 150"),
        ("/policies/0/levels/1/enter_at", json!({}), "plans.policies[0].levels[1].enter_at: must name at least one signal value above level 0"),
        ("/policies/0/levels/1/enter_at", json!({"icu_occupancy": -5}), "plans.policies[0].levels[1].enter_at.icu_occupancy: must be >= 0, got -5"),
        ("/policies/0/levels", json!([]), "plans.policies[0].levels: must have at least one level"),
        ("/sectors/0/setting", json!("kroeg"), "plans.sectors[0].setting: invalid JSON: unknown variant `kroeg`"),
        ("/policies/0/levels/1/enter_at", json!({"cases": 5}), "plans.policies[0].levels[1].enter_at.?: invalid JSON: unknown variant `cases`"),
    ];
    for (pointer, value, expected) in cases {
        let mut doc = fixture();
        *doc.pointer_mut(pointer).unwrap() = value;
        let got = plans_error(doc);
        assert!(
            got.contains(expected),
            "{pointer}: expected {expected:?} in {got:?}"
        );
    }
    let mut doc = fixture();
    doc["sectors"][1]["setting"] = json!("community");
    doc["sectors"][1]["ages"] = json!([]);
    doc["sectors"][1]["contact_share"] = json!(0.9);
    assert!(plans_error(doc).contains("plans.sectors (setting community): contact shares of the sectors in one setting must add up to at most 1, got 1.1"));
}

#[test]
fn packages_are_checked() {
    let plans = SectorPlans::from_json_str(&fixture().to_string()).unwrap();
    let err = plans
        .package(package(&[("horeca", 3)], &[]))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "package.rungs.horeca: must be between 0 and 2 (rungs of horeca), got 3"
    );
    assert!(plans
        .package(package(&[("horeca", 2)], &["thuiswerken"]))
        .is_ok());
}

#[test]
fn contact_effects_follow_the_documented_rule() {
    let plans = SectorPlans::from_json_str(&fixture().to_string()).unwrap();
    let cal = Calibration::netherlands();
    let e = plans
        .contact_effect(
            &package(&[("horeca", 1), ("school", 1)], &["thuiswerken"]),
            &cal,
        )
        .unwrap();
    // community: 1 - 0.2 (1 - 0.8); work: general 0.5; school acts through the 0-9 band's factor.
    assert!((e.setting[3] - 0.96).abs() < 1e-12);
    assert_eq!(e.setting[2], 0.5);
    assert_eq!(e.setting[1], 1.0);
    assert_eq!(e.age[1][0], 0.0);
    assert!(e.age[1][1..].iter().all(|&f| f == 1.0));
}

#[test]
fn crash_test_finds_incoherence() {
    let mut doc = fixture();
    doc["sectors"][0]["rungs"][2]["contacts_kept"] = json!(0.9); // noodrem less strict than preventie
    doc["sectors"][0]["rungs"][1]["measures"] = json!(["looproutes"]);
    doc["policies"][0]["levels"][1]["package"]["rungs"] = json!({"horeca": 2, "school": 0});
    let plans = SectorPlans::from_json_str(&doc.to_string()).unwrap();
    let crash = afweging::measures::crash::crash_test(&plans);
    let kinds: Vec<&str> = crash.findings.iter().map(|f| f.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["not_monotone", "unknown_measure", "out_of_step"],
        "{:?}",
        crash.findings
    );
    assert!(crash.findings[0]
        .message
        .contains("contacts_kept 0.9 is less strict than 0.8"));
    assert_eq!(crash.findings[2].location, "policy p level hoog");
    assert_eq!(crash.table.len(), 4); // 2 levels x 2 sectors
}

#[test]
fn plans_and_policies_round_trip_through_json() {
    let plans = SectorPlans::netherlands();
    assert_eq!(
        SectorPlans::from_json_str(&plans.to_json_string()).unwrap(),
        plans
    );
    for p in &plans.policies {
        let policy = Policy::Trigger(p.clone());
        let text = serde_json::to_string(&policy).unwrap();
        assert_eq!(serde_json::from_str::<Policy>(&text).unwrap(), policy);
    }
}

#[test]
fn every_default_plan_figure_has_a_source() {
    use afweging::inputs::source::{numeric_paths, source_for};
    let plans = SectorPlans::netherlands();
    let doc: Value = serde_json::from_str(&plans.to_json_string()).unwrap();
    for path in numeric_paths(&doc) {
        if path.starts_with("sources") {
            continue;
        }
        assert!(
            source_for(&plans.sources, &path).is_some(),
            "plans.{path} has no source"
        );
    }
}

#[test]
fn an_unknown_policy_name_is_an_error_naming_the_field_the_value_and_the_valid_names() {
    let plans = SectorPlans::netherlands();
    assert_eq!(plans.policy("signal-values").unwrap().name, "signal-values");
    let err = plans.policy("lockdown").unwrap_err();
    let fields = err.field_errors();
    assert_eq!(fields[0].field, "policy");
    assert_eq!(fields[0].value, "\"lockdown\"");
    assert!(err.to_string().contains("signal-values"), "{err}");
}
