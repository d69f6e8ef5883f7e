//! Snapshots of the closed loop (`afweging::run::Snapshot`): a run continued from a snapshot is
//! the uninterrupted run bit for bit (national and regional, under a trigger policy with
//! behaviour, with preparedness levers, under a timeline), snapshots survive JSON, other measures
//! take over from the snapshot's day with the past kept, and tampered snapshots are refused by
//! field.

use std::collections::BTreeMap;

use afweging::measures::policy::{Policy, RegionalPackages};
use afweging::run::{continue_run, Measures, Snapshot};
use afweging::{Calibration, Error, Model, Package, Run, Scenario, SectorPlans, Timeline};

fn model(regions: bool, scenario: &str) -> Model {
    let cal = match regions {
        true => Calibration::netherlands_regions(),
        false => Calibration::netherlands(),
    };
    Model::new(cal, Scenario::preset(scenario).unwrap()).unwrap()
}

fn trigger(plans: &SectorPlans, regional: bool) -> Policy {
    let mut t = plans.policy("signal-values").unwrap();
    t.regional = regional;
    Policy::Trigger(t)
}

/// The snapshot after `day` days and the run continued from it to `days`, next to the
/// uninterrupted run of `days`; the two runs compared as JSON (every number to the last bit).
fn continued(model: &Model, measures: Measures<'_>, day: usize, days: usize) -> (Snapshot, Run) {
    let whole = continue_run(model, Snapshot::start(model), days, measures).unwrap();
    let snapshot = continue_run(model, Snapshot::start(model), day, measures).unwrap();
    assert_eq!(snapshot.day(), day);
    // Through JSON, as a pickle would go.
    let text = serde_json::to_string(&snapshot).unwrap();
    let back: Snapshot = serde_json::from_str(&text).unwrap();
    assert_eq!(back, snapshot);
    back.check(Some(model)).unwrap();
    let rest = continue_run(model, back, days, measures).unwrap();
    assert_eq!(
        serde_json::to_string(&rest.run).unwrap(),
        serde_json::to_string(&whole.run).unwrap(),
        "continued from day {day}"
    );
    assert_eq!(rest, whole);
    (snapshot, rest.run)
}

#[test]
fn a_run_without_measures_continues_bit_for_bit() {
    let m = model(false, "centraal");
    for day in [1, 7, 100] {
        continued(&m, Measures::None, day, 200);
    }
}

#[test]
fn a_national_trigger_policy_with_behaviour_continues_bit_for_bit() {
    let m = model(false, "centraal");
    assert!(m.scenario().behaviour.is_some());
    let plans = SectorPlans::netherlands();
    let p = trigger(&plans, false);
    let measures = Measures::Governed {
        plans: &plans,
        policy: Some(&p),
        timeline: None,
    };
    let (_, run) = continued(&m, measures, 60, 300);
    let record = run.policy.as_ref().unwrap();
    // The policy acted before and after the snapshot, so controllers and windows were carried.
    assert!(record.decisions.iter().any(|d| d.day_decided < 60));
    assert!(record.decisions.iter().any(|d| d.day_decided > 60));
    // A snapshot with a decision taken but not yet in force.
    let pending = record
        .decisions
        .iter()
        .find(|d| d.day_effective > d.day_decided);
    if let Some(d) = pending {
        continued(&m, measures, d.day_decided + 1, 300);
    }
}

#[test]
fn a_regional_trigger_policy_with_preparedness_continues_bit_for_bit() {
    let m = model(true, "ongunstig");
    let plans = SectorPlans::netherlands();
    let mut t = plans.policy("signal-values").unwrap();
    t.regional = true;
    for level in t.levels.iter_mut().skip(1) {
        level.package.general.push("icu_opschaling_1700".into());
    }
    let p = Policy::Trigger(t);
    let measures = Measures::Governed {
        plans: &plans,
        policy: Some(&p),
        timeline: None,
    };
    let (_, run) = continued(&m, measures, 45, 150);
    assert!(!run.region_signals.is_empty());
    let prep = run.preparedness.as_ref().unwrap();
    assert!(prep
        .state
        .iter()
        .flatten()
        .any(|&s| s == afweging::measures::preparedness::ACTIVE));
}

#[test]
fn a_timeline_with_a_policy_continues_bit_for_bit() {
    let sc = Scenario::preset("centraal")
        .unwrap()
        .starting_on("2020-09-01".parse().unwrap());
    let m = Model::new(Calibration::netherlands(), sc).unwrap();
    let plans = SectorPlans::netherlands();
    let tl = Timeline::netherlands();
    let p = trigger(&plans, false);
    for policy in [None, Some(&p)] {
        let measures = Measures::Governed {
            plans: &plans,
            policy,
            timeline: Some(&tl),
        };
        // The snapshot's governor knows fewer timeline entries than the continuation's.
        continued(&m, measures, 30, 200);
    }
}

#[test]
fn contact_multipliers_continue_bit_for_bit() {
    let m = model(false, "centraal");
    let schedule: Vec<[f64; 4]> = (0..120)
        .map(|d| [1.0, if d < 50 { 0.2 } else { 1.0 }, 0.7, 0.6])
        .collect();
    let whole = m.run_with_multipliers(&schedule).unwrap();
    let snap = continue_run(
        &m,
        Snapshot::start(&m),
        40,
        Measures::Multipliers(&schedule[..40]),
    )
    .unwrap();
    let rest = continue_run(&m, snap, 120, Measures::Multipliers(&schedule[40..])).unwrap();
    assert_eq!(rest.run, whole);
}

#[test]
fn other_measures_take_over_from_the_snapshot_with_the_past_kept() {
    let m = model(true, "centraal");
    let plans = SectorPlans::netherlands();
    let p = trigger(&plans, false);
    let governed = Measures::Governed {
        plans: &plans,
        policy: Some(&p),
        timeline: None,
    };
    let day = 80;
    let snap = continue_run(&m, Snapshot::start(&m), day, governed).unwrap();
    let heavy = p_levels(&plans).last().unwrap().clone();
    let mut only = RegionalPackages::default();
    only.regions.insert("VR13".into(), heavy);
    let regional = Policy::Regional(only);
    let other = Measures::Governed {
        plans: &plans,
        policy: Some(&regional),
        timeline: None,
    };
    let out = continue_run(&m, snap.clone(), 160, other).unwrap();
    out.run.check().unwrap();
    let before = &snap.run;
    let after = &out.run;
    // The past is the snapshot's, to the bit.
    assert_eq!(
        after.states.slice(ndarray::s![..=day, .., ..]),
        before.states.view()
    );
    let (b, a) = (
        before.policy.as_ref().unwrap(),
        after.policy.as_ref().unwrap(),
    );
    assert_eq!(a.level[..day], b.level[..]);
    assert_eq!(a.stringency[..day], b.stringency[..]);
    // The new levels follow the old ones, named from the date of the change.
    assert_eq!(a.levels[..b.levels.len()], b.levels[..]);
    assert!(a.levels[b.levels.len()..]
        .iter()
        .all(|l| l.starts_with("from day 80")));
    assert!(a.region_level[day..]
        .iter()
        .all(|r| r.iter().all(|&l| l >= b.levels.len())));
    // The future differs from the trigger policy's.
    let same = continue_run(&m, snap.clone(), 160, governed).unwrap();
    assert_ne!(same.run.states, after.states);
    // And continuing without measures keeps the past and records no measures after it.
    let idle = continue_run(&m, snap, 160, Measures::None).unwrap();
    idle.run.check().unwrap();
    let record = idle.run.policy.unwrap();
    assert_eq!(record.level.len(), 160);
    assert!(record.stringency[day..].iter().all(|&s| s == 0.0));
    assert_eq!(record.levels.last().unwrap(), "from day 80: no measures");
}

fn p_levels(plans: &SectorPlans) -> Vec<Package> {
    let t = plans.policy("signal-values").unwrap();
    t.levels.into_iter().map(|l| l.package).collect()
}

fn fields(e: Error) -> Vec<String> {
    e.field_errors().into_iter().map(|f| f.field).collect()
}

#[test]
fn tampered_snapshots_are_refused_by_field() {
    let m = model(true, "centraal");
    let plans = SectorPlans::netherlands();
    let p = trigger(&plans, true);
    let measures = Measures::Governed {
        plans: &plans,
        policy: Some(&p),
        timeline: None,
    };
    let snap = continue_run(&m, Snapshot::start(&m), 30, measures).unwrap();
    let mut bad = snap.clone();
    bad.given[0].pop();
    assert!(fields(bad.check(Some(&m)).unwrap_err()).contains(&"snapshot.given[0]".to_string()));
    let mut bad = snap.clone();
    bad.readers[3].admissions = vec![(1.0, 0.0); 9];
    assert!(fields(bad.check(Some(&m)).unwrap_err())
        .contains(&"snapshot.readers[3].admissions".to_string()));
    let mut bad = snap.clone();
    bad.behaviour.as_mut().unwrap().risk = f64::NAN;
    assert!(
        fields(bad.check(Some(&m)).unwrap_err()).contains(&"snapshot.behaviour.risk".to_string())
    );
    let mut bad = snap.clone();
    bad.run.signals.pop();
    assert!(fields(bad.check(Some(&m)).unwrap_err()).contains(&"run.signals".to_string()));
    // Another model: the national one.
    let national = model(false, "centraal");
    assert!(fields(snap.check(Some(&national)).unwrap_err()).contains(&"snapshot.run".to_string()));
    // A controller on a level the policy does not have is refused when the run continues.
    let mut bad = snap.clone();
    bad.measures.as_mut().unwrap().governor.controllers[2].level = 99;
    bad.check(Some(&m)).unwrap();
    let err = continue_run(&m, bad, 60, measures).unwrap_err();
    assert!(fields(err).contains(&"snapshot.measures.governor.controllers[2]".to_string()));
    // Fewer days than the snapshot already has.
    let err = continue_run(&m, snap, 20, measures).unwrap_err();
    assert_eq!(fields(err), vec!["days".to_string()]);
}

#[test]
fn a_snapshot_keeps_what_it_was_taken_under() {
    let m = model(false, "centraal");
    let plans = SectorPlans::netherlands();
    let p = Policy::Package(Package {
        rungs: BTreeMap::new(),
        general: vec!["thuiswerken".into()],
    });
    let measures = Measures::Governed {
        plans: &plans,
        policy: Some(&p),
        timeline: None,
    };
    let snap = continue_run(&m, Snapshot::start(&m), 10, measures).unwrap();
    let g = snap.measures.as_ref().unwrap();
    assert_eq!(g.policy.as_ref(), Some(&p));
    assert_eq!(snap.readers.len(), 1);
    assert_eq!(snap.readers[0].admissions.len(), 7);
    assert_eq!(snap.run.days(), 10);
    assert_eq!(snap.run.states.shape()[0], 11);
}

#[test]
fn after_a_change_of_policy_the_new_policy_continues_bit_for_bit() {
    let m = model(true, "centraal");
    let plans = SectorPlans::netherlands();
    let first = Policy::Regional(RegionalPackages::default());
    let p = trigger(&plans, true);
    let measures = |policy| Measures::Governed {
        plans: &plans,
        policy: Some(policy),
        timeline: None,
    };
    let snap = continue_run(&m, Snapshot::start(&m), 20, measures(&first)).unwrap();
    let whole = continue_run(&m, snap.clone(), 120, measures(&p)).unwrap();
    let middle = continue_run(&m, snap, 60, measures(&p)).unwrap();
    let text = serde_json::to_string(&middle).unwrap();
    let middle: Snapshot = serde_json::from_str(&text).unwrap();
    middle.check(Some(&m)).unwrap();
    let rest = continue_run(&m, middle, 120, measures(&p)).unwrap();
    assert_eq!(rest, whole);
    rest.run.check().unwrap();
    // And without measures after it, then the policy again: the record stays whole.
    let idle = continue_run(&m, rest.clone(), 130, Measures::None).unwrap();
    idle.check(Some(&m)).unwrap();
    let again = continue_run(&m, idle, 140, measures(&p)).unwrap();
    again.run.check().unwrap();
    assert_eq!(again.run.policy.unwrap().level.len(), 140);
}
