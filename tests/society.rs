//! The societal burdens follow the specific measures that drive them: a measure aimed at one group
//! moves that group's burden more than others' (issue 19).

use afweging::impacts::{self, Impacts};
use afweging::inputs::distribution::AGE_BAND;
use afweging::inputs::society::Trigger;
use afweging::measures::policy::{Policy, RegionalPackages};
use afweging::{Calibration, Model, Package, Scenario, SectorPlans};

const DAYS: usize = 150;

/// Every sector on its lowest rung, except `closed` (sector, rung).
fn package(closed: &[(&str, usize)]) -> Package {
    package_with(closed, &[])
}

/// As [`package`], with general measures.
fn package_with(closed: &[(&str, usize)], general: &[&str]) -> Package {
    Package {
        rungs: SectorPlans::netherlands()
            .sectors
            .iter()
            .map(|s| {
                let r = closed.iter().find(|(n, _)| *n == s.name).map_or(0, |c| c.1);
                (s.name.clone(), r)
            })
            .collect(),
        general: general.iter().map(|g| g.to_string()).collect(),
    }
}

/// The impacts of `package(closed)` under the central scenario without behaviour (so the
/// package alone is in force).
fn run_with(cal: &Calibration, closed: &[(&str, usize)]) -> Impacts {
    run_package(cal, package(closed))
}

fn run_package(cal: &Calibration, package: Package) -> Impacts {
    let mut sc = Scenario::preset("centraal").unwrap();
    sc.behaviour = None;
    let model = Model::new(cal.clone(), sc).unwrap();
    let policy = Policy::Package(package);
    let traj =
        afweging::run::with_policy(&model, &SectorPlans::netherlands(), &policy, DAYS).unwrap();
    impacts::compute(cal, &traj).unwrap()
}

fn run(closed: &[(&str, usize)]) -> Impacts {
    run_with(&Calibration::netherlands(), closed)
}

/// Per age band: the rise of indicator `name` per person from `base` to `with`.
fn rise_per_person(base: &Impacts, with: &Impacts, name: &str) -> Vec<f64> {
    let population = Calibration::netherlands().population;
    let by_age = |i: &Impacts| i.get(name).unwrap().by_group[AGE_BAND].clone();
    by_age(with)
        .iter()
        .zip(by_age(base))
        .zip(&population)
        .map(|((w, b), p)| (w - b) / p)
        .collect()
}

/// Age bands 0-9, 10-19, ..., 80+.
const TEENS: usize = 1;
const TWENTIES: usize = 2;
const OLDEST: usize = 8;

#[test]
fn closing_secondary_and_higher_education_strains_the_young_more_than_the_oldest() {
    let base = run(&[]);
    let schools = run(&[("onderwijs_vo_mbo_ho", 3)]);
    for name in ["mental_health_person_years", "loneliness_person_years"] {
        let rise = rise_per_person(&base, &schools, name);
        for young in [TEENS, TWENTIES] {
            assert!(
                rise[young] > 2.0 * rise[OLDEST] && rise[OLDEST] >= 0.0,
                "{name}: rise per person by age {rise:?}"
            );
        }
    }
    // Learning is lost by the pupils of the closed schools only (10-29), not by primary pupils.
    let learning = rise_per_person(&base, &schools, "school_years_lost");
    assert!(learning[TEENS] > 0.0 && learning[TWENTIES] > 0.0);
    assert_eq!(learning[0], 0.0);
    assert_eq!(learning[OLDEST], 0.0);
}

#[test]
fn a_care_home_visiting_ban_strains_the_oldest_more_than_the_young() {
    let base = run(&[]);
    let ban = run(&[("verpleeghuizen", 3)]);
    for name in ["mental_health_person_years", "loneliness_person_years"] {
        let rise = rise_per_person(&base, &ban, name);
        for young in [TEENS, TWENTIES] {
            assert!(
                rise[OLDEST] > 2.0 * rise[young] && rise[young] >= 0.0,
                "{name}: rise per person by age {rise:?}"
            );
        }
    }
}

#[test]
fn with_stringency_alone_the_same_closure_strains_every_band_alike() {
    // The contrast above comes from the drivers: with stringency_weight 1 the closure of
    // secondary and higher education raises every band's strain in proportion to its full excess.
    let mut cal = Calibration::netherlands();
    let society = &mut cal.impacts.as_mut().unwrap().society;
    society.loneliness.stringency_weight = 1.0;
    let years = |r: usize| {
        let i = run_with(&cal, &[("onderwijs_vo_mbo_ho", r)]);
        i.get("loneliness_person_years").unwrap().by_group[AGE_BAND].clone()
    };
    let (base, closed) = (years(0), years(3));
    let excess = &cal
        .impacts
        .as_ref()
        .unwrap()
        .society
        .loneliness
        .excess_at_full;
    let ratio = |g: usize| (closed[g] - base[g]) / cal.population[g] / excess[g];
    assert!((ratio(TEENS) / ratio(OLDEST) - 1.0).abs() < 1e-9);
}

#[test]
fn every_driver_names_a_sector_or_general_measure_of_the_dutch_plans() {
    let cal = Calibration::netherlands();
    let plans = SectorPlans::netherlands();
    let society = &cal.impacts.as_ref().unwrap().society;
    for m in &society.learning.catch_up.measures {
        assert!(plans.general.iter().any(|g| &g.name == m), "no {m}");
    }
    for strain in [&society.mental_health, &society.loneliness] {
        for d in &strain.drivers {
            match &d.on {
                Trigger::Sector { sector, .. } => assert!(
                    plans.sectors.iter().any(|s| &s.name == sector),
                    "{}: no sector {sector}",
                    d.name
                ),
                Trigger::General { measures } => {
                    for m in measures {
                        assert!(
                            plans.general.iter().any(|g| &g.name == m),
                            "{}: no general measure {m}",
                            d.name
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn a_bad_driver_names_its_field() {
    let mut doc: serde_json::Value =
        serde_json::from_str(&Calibration::netherlands().to_json_string()).unwrap();
    let strain = &mut doc["impacts"]["society"]["loneliness"];
    strain["stringency_weight"] = serde_json::json!(1.5);
    strain["drivers"][0]["weight"] = serde_json::json!([0.1]);
    strain["drivers"][2]["on"]["sector"]["full_at_loss"] = serde_json::json!(0.0);
    strain["drivers"][3]["on"]["general"]["measures"] = serde_json::json!([]);
    let err = Calibration::from_json_str(&doc.to_string())
        .unwrap_err()
        .to_string();
    for field in [
        "calibration.impacts.society.loneliness.stringency_weight",
        "calibration.impacts.society.loneliness.drivers[0].weight",
        "calibration.impacts.society.loneliness.drivers[2].on.sector.full_at_loss",
        "calibration.impacts.society.loneliness.drivers[3].on.general.measures",
    ] {
        assert!(err.contains(field), "{field} missing from: {err}");
    }
}

#[test]
fn the_catch_up_programme_lowers_the_pupils_learning_loss_and_costs_money() {
    let cal = Calibration::netherlands();
    let catch_up = cal
        .impacts
        .as_ref()
        .unwrap()
        .society
        .learning
        .catch_up
        .clone();
    let closed = [("onderwijs_po", 3), ("onderwijs_vo_mbo_ho", 3)];
    let without = run_package(&cal, package(&closed));
    let with = run_package(
        &cal,
        package_with(&closed, &["nationaal_programma_onderwijs"]),
    );
    // Without the programme there is no cost indicator; with it the school years lost fall by
    // the share recovered, for the pupils' age bands only, and every pupil costs cost_per_pupil.
    assert!(without.get("catch_up_cost").is_none());
    let years = |i: &Impacts| i.get("school_years_lost").unwrap().by_group[AGE_BAND].clone();
    let (before, after) = (years(&without), years(&with));
    for (g, (b, a)) in before.iter().zip(&after).enumerate() {
        if *b > 0.0 {
            assert!(
                (a / b - (1.0 - catch_up.share_recovered)).abs() < 1e-9,
                "band {g}"
            );
        } else {
            assert_eq!(*a, 0.0, "band {g}");
        }
    }
    assert!(before[TEENS] > 0.0 && before[OLDEST] == 0.0);
    let pupils: f64 = SectorPlans::netherlands()
        .sectors
        .iter()
        .filter_map(|s| s.pupils)
        .sum();
    let cost = with.get("catch_up_cost").unwrap().total;
    assert!((cost / (pupils * catch_up.cost_per_pupil) - 1.0).abs() < 1e-9);
    // By parental education the lowest group keeps the largest loss per pupil, and gains the most.
    let by_education = |i: &Impacts| i.get("learning_loss").unwrap().by_group["education"].clone();
    let (b, a) = (by_education(&without), by_education(&with));
    assert!(b[0] > b[2] && b[0] - a[0] > b[2] - a[2]);
}

#[test]
fn a_bad_catch_up_names_its_field() {
    let mut doc: serde_json::Value =
        serde_json::from_str(&Calibration::netherlands().to_json_string()).unwrap();
    let k = &mut doc["impacts"]["society"]["learning"]["catch_up"];
    k["share_recovered"] = serde_json::json!(-0.1);
    k["cost_per_pupil"] = serde_json::json!(-1.0);
    k["measures"] = serde_json::json!([]);
    let err = Calibration::from_json_str(&doc.to_string())
        .unwrap_err()
        .to_string();
    for field in ["share_recovered", "cost_per_pupil", "measures"] {
        let field = format!("calibration.impacts.society.learning.catch_up.{field}");
        assert!(err.contains(&field), "{field} missing from: {err}");
    }
}

/// The flanking programme named `name` of the Dutch calibration.
fn flanking(cal: &Calibration, name: &str) -> afweging::inputs::society::Flanking {
    let society = &cal.impacts.as_ref().unwrap().society;
    society
        .flanking
        .iter()
        .find(|k| k.name == name)
        .unwrap()
        .clone()
}

#[test]
fn the_youth_programme_relieves_the_young_and_costs_per_day_in_force() {
    let cal = Calibration::netherlands();
    let youth = flanking(&cal, "youth_wellbeing");
    let closed = [("onderwijs_vo_mbo_ho", 3)];
    let without = run_package(&cal, package(&closed));
    let with = run_package(&cal, package_with(&closed, &["steunpakket_jeugd"]));
    assert!(without.get("wellbeing_support_cost").is_none());
    for name in ["mental_health_person_years", "loneliness_person_years"] {
        // The relief per person: the young gain, the bands the programme does not reach do not.
        let relief: Vec<f64> = rise_per_person(&with, &without, name);
        for young in [TEENS, TWENTIES] {
            assert!(relief[young] > 0.0, "{name}: relief by age {relief:?}");
        }
        for (g, r) in relief.iter().enumerate() {
            if youth.relief.mental_health[g] == 0.0 && youth.relief.loneliness[g] == 0.0 {
                assert_eq!(*r, 0.0, "{name}: band {g} is not reached");
            }
        }
    }
    // In force on every day of the run: the cost is the days times the cost per day.
    let cost = with.get("wellbeing_support_cost").unwrap().total;
    let days = cost / youth.cost_per_day;
    assert!((days - days.round()).abs() < 1e-9 && (days.round() as usize).abs_diff(DAYS) <= 1);
}

#[test]
fn the_vulnerable_programme_relieves_the_loneliness_of_the_oldest_under_a_visiting_ban() {
    let cal = Calibration::netherlands();
    let ban = [("verpleeghuizen", 3)];
    let without = run_package(&cal, package(&ban));
    let with = run_package(&cal, package_with(&ban, &["steunpakket_kwetsbaren"]));
    let relief = rise_per_person(&with, &without, "loneliness_person_years");
    assert!(
        relief[OLDEST] > 0.0 && relief[TWENTIES] == 0.0,
        "{relief:?}"
    );
    let qalys = |i: &Impacts| i.get("loneliness_qalys_lost").unwrap().total;
    assert!(qalys(&with) < qalys(&without));
}

#[test]
fn a_region_pays_its_population_share_of_a_programme_it_funds() {
    let cal = Calibration::netherlands_regions();
    let plans = SectorPlans::netherlands();
    let youth = flanking(&cal, "youth_wellbeing");
    let mut sc = Scenario::preset("centraal").unwrap();
    sc.behaviour = None;
    let model = Model::new(cal.clone(), sc).unwrap();
    let funded = package_with(&[], &["steunpakket_jeugd"]);
    let cost = |policy: Policy| {
        let run = afweging::run::with_policy(&model, &plans, &policy, DAYS).unwrap();
        let impacts = impacts::compute(&cal, &run).unwrap();
        impacts.get("wellbeing_support_cost").unwrap().total
    };
    let everywhere = cost(Policy::Regional(RegionalPackages {
        default: funded.clone(),
        regions: Default::default(),
    }));
    let mut only = RegionalPackages::default();
    only.regions.insert("VR13".into(), funded);
    let amsterdam = cost(Policy::Regional(only));
    let regions = &cal.regions.as_ref().unwrap().regions;
    let share = regions
        .iter()
        .find(|r| r.code == "VR13")
        .unwrap()
        .population
        / regions.iter().map(|r| r.population).sum::<f64>();
    let days = (everywhere / youth.cost_per_day).round();
    assert!((everywhere / (days * youth.cost_per_day) - 1.0).abs() < 1e-9);
    assert!((amsterdam / (share * everywhere) - 1.0).abs() < 1e-9);
}

#[test]
fn a_bad_flanking_programme_names_its_field() {
    let mut doc: serde_json::Value =
        serde_json::from_str(&Calibration::netherlands().to_json_string()).unwrap();
    let programmes = &mut doc["impacts"]["society"]["flanking"];
    programmes[0]["cost_per_day"] = serde_json::json!(-1.0);
    programmes[0]["measures"] = serde_json::json!([]);
    programmes[0]["relief"]["mental_health"] = serde_json::json!([0.1, 0.2]);
    programmes[0]["relief"]["loneliness"][1] = serde_json::json!(1.5);
    programmes[1]["name"] = programmes[0]["name"].clone();
    let err = Calibration::from_json_str(&doc.to_string())
        .unwrap_err()
        .to_string();
    for field in [
        "flanking[0].cost_per_day",
        "flanking[0].measures",
        "flanking[0].relief.mental_health",
        "flanking[0].relief.loneliness[1]",
        "flanking[1].name",
    ] {
        let field = format!("calibration.impacts.society.{field}");
        assert!(err.contains(&field), "{field} missing from: {err}");
    }
}
