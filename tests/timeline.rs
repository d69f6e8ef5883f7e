//! Runs under a timeline of packages by date (`src/measures/timeline.rs`; the run side is
//! `afweging::run::with_timeline`): the package in force follows the dates, a one-entry timeline
//! runs as its package bit for bit, dated runs are required, and combined with a trigger policy
//! each sector takes the stricter rung.

use afweging::measures::policy::Policy;
use afweging::measures::timeline::{stricter, Certainty, TimelineEntry};
use afweging::{Calibration, Error, Model, Package, Scenario, SectorPlans, Timeline};
use chrono::NaiveDate;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn entry(d: &str, package: Package) -> TimelineEntry {
    TimelineEntry {
        date: date(d),
        name: format!("entry {d}"),
        description: String::new(),
        announced: None,
        direction: None,
        oxcgrt_recorded: String::new(),
        source: "test".into(),
        certainty: Certainty::Confirmed,
        note: None,
        package,
        regional: false,
        reading: None,
    }
}

fn timeline(entries: Vec<TimelineEntry>) -> Timeline {
    Timeline {
        name: "test".into(),
        description: String::new(),
        entries,
        sources: Default::default(),
    }
}

fn messages(err: Error) -> Vec<String> {
    err.field_errors().iter().map(ToString::to_string).collect()
}

fn dated_model(start: &str) -> Model {
    let sc = Scenario::preset("centraal")
        .unwrap()
        .starting_on(date(start));
    Model::new(Calibration::netherlands(), sc).unwrap()
}

#[test]
fn a_timeline_of_one_fixed_package_runs_as_that_package_bit_for_bit() {
    let plans = SectorPlans::netherlands();
    let pkg = plans.policies[0].levels[2].package.clone();
    let model = dated_model("2020-09-01");
    let tl = timeline(vec![entry("2020-01-01", pkg.clone())]);
    let fixed = afweging::run::with_policy(&model, &plans, &Policy::Package(pkg), 150).unwrap();
    let dated = afweging::run::with_timeline(&model, &plans, &tl, None, 150).unwrap();
    assert_eq!(dated.trajectory, fixed.trajectory);
    assert_eq!(dated.signals, fixed.signals);
    assert_eq!(dated.behaviour, fixed.behaviour);
    let (a, b) = (dated.policy.unwrap(), fixed.policy.unwrap());
    assert_eq!(a.rungs, b.rungs);
    assert_eq!(a.stringency, b.stringency);
    assert_eq!(a.level_activity, b.level_activity);
    assert_eq!(a.level_support, b.level_support);
    assert_eq!(a.level_lever_cost, b.level_lever_cost);
    assert_eq!(a.levels, ["2020-01-01 entry 2020-01-01"]);
    assert_eq!(a.name, "test");
}

#[test]
fn a_run_follows_the_dates_and_keeps_the_last_package() {
    let plans = SectorPlans::netherlands();
    let tl = Timeline::netherlands();
    let model = dated_model("2020-03-01");
    let run = afweging::run::with_timeline(&model, &plans, &tl, None, 60).unwrap();
    let record = run.policy.as_ref().unwrap();
    let horeca = plans
        .sectors
        .iter()
        .position(|s| s.name == "horeca")
        .unwrap();
    // 2020-03-14 is day 13, 2020-03-15 is day 14
    assert_eq!(record.rungs[13][horeca], 0);
    assert_eq!(record.rungs[14][horeca], 3);
    let s14 = plans.stringency(tl.package_on(date("2020-03-14")).unwrap());
    assert_eq!(record.stringency[13], s14);
    assert_eq!(
        record.levels[record.level[14]],
        "2020-03-15 Scholen, horeca en sport dicht"
    );
    // a run past the last entry keeps its package
    let late = dated_model("2022-03-20");
    let run = afweging::run::with_timeline(&late, &plans, &tl, None, 30).unwrap();
    let record = run.policy.unwrap();
    let last = plans.stringency(&tl.entries.last().unwrap().package);
    assert!(record.stringency[3..].iter().all(|&s| s == last));
    assert_eq!(record.levels.len(), 2);
}

#[test]
fn a_run_needs_a_start_date_on_or_after_the_first_entry() {
    let plans = SectorPlans::netherlands();
    let tl = Timeline::netherlands();
    let undated = Model::new(
        Calibration::netherlands(),
        Scenario::preset("centraal").unwrap(),
    )
    .unwrap();
    let err = afweging::run::with_timeline(&undated, &plans, &tl, None, 10).unwrap_err();
    assert_eq!(
        messages(err),
        [
            "scenario.start_date: is required for a run with a timeline (packages are \
          scheduled by date)"
        ]
    );
    let early = dated_model("2020-01-15");
    let err = afweging::run::with_timeline(&early, &plans, &tl, None, 10).unwrap_err();
    assert_eq!(
        messages(err),
        [
            "scenario.start_date: 2020-01-15 is before the first entry of timeline \
          \"netherlands-2020-2022\" (timeline[0].date 2020-02-27)"
        ]
    );
    // a timeline with a bad entry is refused before the run
    let bad = timeline(vec![entry(
        "2020-01-01",
        Package {
            rungs: [("horeca".to_string(), 9)].into(),
            general: vec![],
        },
    )]);
    let err = afweging::run::with_timeline(&early, &plans, &bad, None, 10).unwrap_err();
    assert!(
        err.to_string().contains("timeline[0].package.rungs.horeca"),
        "{err}"
    );
}

#[test]
fn combined_with_a_trigger_policy_each_sector_takes_the_stricter_rung() {
    let plans = SectorPlans::netherlands();
    let tl = Timeline::netherlands();
    let mut sc = Scenario::preset("ongunstig")
        .unwrap()
        .starting_on(date("2020-06-01"));
    sc.behaviour = None;
    let model = Model::new(Calibration::netherlands(), sc).unwrap();
    let trigger = Policy::Trigger(plans.policy("signal-values").unwrap());
    let days = 200;
    let both = afweging::run::with_timeline(&model, &plans, &tl, Some(&trigger), days).unwrap();
    let record = both.policy.as_ref().unwrap();
    assert!(!record.decisions.is_empty(), "the trigger policy acts");
    let Policy::Trigger(t) = &trigger else {
        unreachable!()
    };
    let n = t.levels.len();
    let start = date("2020-06-01");
    let schedule = tl.schedule(start, days, "x").unwrap();
    let mut stricter_days = 0;
    for (day, &index) in schedule.iter().enumerate() {
        let combined = record.level[day];
        let trigger_level = combined % n;
        let entry = &tl.entries[index].package;
        if record.rungs[day] != plans.rungs_of(entry) {
            stricter_days += 1;
        }
        let want = stricter(entry, &t.levels[trigger_level].package);
        assert_eq!(record.rungs[day], plans.rungs_of(&want), "day {day}");
        assert_eq!(record.stringency[day], plans.stringency(&want), "day {day}");
        assert!(record.levels[combined].ends_with(&format!(" + {}", t.levels[trigger_level].name)));
    }
    assert!(
        stricter_days > 0,
        "the trigger policy is stricter on some days"
    );
    assert_eq!(record.name, "netherlands-2020-2022 + signal-values");
    // decisions name the trigger policy's own levels
    assert!(record.decisions.iter().all(|d| d.to_level < n));
}
