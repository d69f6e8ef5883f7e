//! The socio-economic and societal dimensions and their split over groups.

use afweging::impacts::{self, Aggregate, Impacts};
use afweging::inputs::distribution::AGE_BAND;
use afweging::measures::policy::Policy;
use afweging::{Calibration, Model, Package, Scenario, SectorPlans};
use proptest::prelude::*;

const DAYS: usize = 120;

fn scenario(preset: &str, behaviour: bool) -> Scenario {
    let mut sc = Scenario::preset(preset).unwrap();
    if !behaviour {
        sc.behaviour = None;
    }
    sc
}

fn run(sc: Scenario, package: Package) -> Impacts {
    let cal = Calibration::netherlands();
    let plans = SectorPlans::netherlands();
    let model = Model::new(cal.clone(), sc).unwrap();
    let traj = afweging::run::with_policy(&model, &plans, &Policy::Package(package), DAYS).unwrap();
    impacts::compute(&cal, &traj).unwrap()
}

fn total(i: &Impacts, name: &str) -> f64 {
    i.get(name)
        .unwrap_or_else(|| panic!("no indicator {name}"))
        .total
}

/// Every sector on rung `r` (capped at its ladder), plus general measures.
fn all_on(r: usize, general: &[&str]) -> Package {
    let plans = SectorPlans::netherlands();
    Package {
        rungs: plans
            .sectors
            .iter()
            .map(|s| (s.name.clone(), r.min(s.rungs.len() - 1)))
            .collect(),
        general: general.iter().map(|g| g.to_string()).collect(),
    }
}

#[test]
fn no_measures_and_no_epidemic_cost_nothing() {
    let mut sc = scenario("centraal", true);
    sc.initial.prevalence = Some(0.0);
    sc.initial.patients = Default::default();
    let cal = Calibration::netherlands();
    let model = Model::new(cal.clone(), sc).unwrap();
    let traj = model.run(DAYS).unwrap();
    let result = impacts::compute(&cal, &traj).unwrap();
    for i in &result.indicators {
        if matches!(i.dimension, impacts::Dimension::Behavioural) {
            continue; // compliance and support are states, not losses
        }
        assert_eq!(i.total, 0.0, "{} should be zero, got {}", i.name, i.total);
        for (grouping, values) in &i.by_group {
            assert!(
                values.iter().all(|&v| v == 0.0),
                "{} by {grouping}: {values:?}",
                i.name
            );
        }
    }
    assert!(result.daily.value_added_lost.iter().all(|&v| v == 0.0));
}

#[test]
fn closures_cost_output_jobs_firms_and_learning() {
    let open = run(scenario("centraal", false), all_on(0, &[]));
    let closed = run(scenario("centraal", false), all_on(3, &[]));
    for name in [
        "value_added_lost",
        "unemployment",
        "bankruptcies",
        "households_in_debt",
        "school_years_lost",
        "learning_loss",
        "lifetime_earnings_lost",
        "mental_health_qalys_lost",
        "loneliness_qalys_lost",
    ] {
        assert!(
            total(&closed, name) > total(&open, name),
            "{name}: closed {} vs open {}",
            total(&closed, name),
            total(&open, name)
        );
    }
    // Fewer COVID-19 patients, less postponed care.
    assert!(
        total(&closed, "postponed_care_qalys_lost") < total(&open, "postponed_care_qalys_lost")
    );
}

/// The subsidies as general measures (the Dutch plans have them; built here too so the test does
/// not depend on their names).
fn with_support(plans: &mut SectorPlans) {
    use afweging::measures::plans::{GeneralMeasure, Support};
    for (name, support) in [
        ("test_wage", Support::WageSubsidy),
        ("test_fixed", Support::FixedCostSubsidy),
    ] {
        plans.general.push(GeneralMeasure {
            name: name.into(),
            label: name.into(),
            measures: Vec::new(),
            contacts_kept: Default::default(),
            behaviour: Default::default(),
            cost_per_day: 0.0,
            support: vec![support],
        });
    }
}

#[test]
fn flanking_policy_lowers_unemployment_and_bankruptcies_at_an_exact_fiscal_cost() {
    let cal = Calibration::netherlands();
    let mut plans = SectorPlans::netherlands();
    with_support(&mut plans);
    // Without behaviour, output lost is the same every day, so the subsidies can be recomputed
    // by hand from the package.
    let model = Model::new(cal.clone(), scenario("centraal", false)).unwrap();
    let go = |general: &[&str]| {
        let traj =
            afweging::run::with_policy(&model, &plans, &Policy::Package(all_on(3, general)), DAYS)
                .unwrap();
        impacts::compute(&cal, &traj).unwrap()
    };
    let none = go(&[]);
    let both = go(&["test_wage", "test_fixed"]);
    assert!(total(&both, "unemployment") < total(&none, "unemployment"));
    assert!(total(&both, "bankruptcies") < total(&none, "bankruptcies"));
    assert_eq!(total(&none, "fiscal_cost"), 0.0);
    assert!(total(&both, "fiscal_cost") > 0.0);
    assert_eq!(
        total(&both, "value_added_lost"),
        total(&none, "value_added_lost")
    );

    let economy = &cal.impacts.as_ref().unwrap().economy;
    let package = all_on(3, &[]);
    let activity = plans.activity(&package);
    let mut loss = vec![0.0; economy.sections.len()];
    for (sector, a) in plans.sectors.iter().zip(&activity) {
        for (code, share) in &sector.economy {
            loss[economy.section(code).unwrap()] += share * (1.0 - a);
        }
    }
    let (ws, fs) = (&economy.wage_subsidy, &economy.fixed_cost_subsidy);
    let mut wage = 0.0;
    let mut fixed = 0.0;
    for (s, sec) in economy.sections.iter().enumerate() {
        let lost_per_day = sec.value_added * 1e6 / 365.0 * loss[s];
        if loss[s] >= ws.min_revenue_loss && loss[s] > 0.0 {
            wage += DAYS as f64 * ws.take_up * ws.compensation * sec.labour_share * lost_per_day;
        }
        if loss[s] >= fs.min_revenue_loss && loss[s] > 0.0 {
            fixed +=
                DAYS as f64 * fs.take_up * fs.compensation * sec.fixed_cost_share * lost_per_day;
        }
    }
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
    assert!(close(total(&both, "wage_subsidy_cost"), wage));
    assert!(close(total(&both, "fixed_cost_subsidy_cost"), fixed));
    assert!(close(total(&both, "fiscal_cost"), wage + fixed));
    assert!(wage > 0.0 && fixed > 0.0, "the closures qualify for both");
}

/// The groups of every summed indicator add up to its total; means average to it.
fn assert_groups_add_up(result: &Impacts) {
    for i in &result.indicators {
        for (grouping, values) in &i.by_group {
            let info = result
                .groupings
                .iter()
                .find(|g| &g.name == grouping)
                .unwrap();
            let combined = match i.aggregate {
                Aggregate::Sum => values.iter().sum::<f64>(),
                Aggregate::Mean if i.name == "learning_loss" => continue, // per pupil
                Aggregate::Mean => {
                    values
                        .iter()
                        .zip(&info.population)
                        .map(|(v, p)| v * p)
                        .sum::<f64>()
                        / info.population.iter().sum::<f64>()
                }
                Aggregate::Whole => panic!("{} has groups but is whole", i.name),
            };
            assert!(
                (combined - i.total).abs() <= 1e-9 * i.total.abs().max(1.0),
                "{} by {grouping}: {combined} vs total {}",
                i.name,
                i.total
            );
        }
        assert!(
            i.aggregate != Aggregate::Sum
                || i.by_group.contains_key(AGE_BAND)
                || i.by_group.contains_key("section"),
            "{} has no split",
            i.name
        );
    }
}

fn random_package() -> impl Strategy<Value = Package> {
    let plans = SectorPlans::netherlands();
    let ladders: Vec<(String, usize)> = plans
        .sectors
        .iter()
        .map(|s| (s.name.clone(), s.rungs.len()))
        .collect();
    let general: Vec<String> = plans.general.iter().map(|g| g.name.clone()).collect();
    let rungs = ladders
        .into_iter()
        .map(|(name, n)| (0..n).prop_map(move |r| (name.clone(), r)))
        .collect::<Vec<_>>();
    (
        rungs,
        proptest::sample::subsequence(general.clone(), 0..=general.len()),
    )
        .prop_map(|(rungs, general)| Package {
            rungs: rungs.into_iter().collect(),
            general,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn group_breakdowns_add_up_to_the_totals(package in random_package()) {
        assert_groups_add_up(&run(scenario("ongunstig", true), package));
    }

    /// Raising any rungs never lowers the value added lost to measures or the learning lost; with
    /// behaviour switched off (no fear-driven demand loss, which falls when stricter measures
    /// shrink the epidemic) it never lowers the total value added lost either.
    #[test]
    fn stricter_packages_never_lower_output_or_learning_loss(
        package in random_package(),
        raise in proptest::collection::vec(0usize..3, 10),
    ) {
        let plans = SectorPlans::netherlands();
        let mut stricter = package.clone();
        for (sector, up) in plans.sectors.iter().zip(raise) {
            let r = stricter.rungs.entry(sector.name.clone()).or_insert(0);
            *r = (*r + up).min(sector.rungs.len() - 1);
        }
        for behaviour in [true, false] {
            let a = run(scenario("centraal", behaviour), package.clone());
            let b = run(scenario("centraal", behaviour), stricter.clone());
            let mut names = vec!["value_added_lost_to_measures", "school_years_lost", "lifetime_earnings_lost"];
            if !behaviour {
                names.push("value_added_lost");
            }
            for name in names {
                prop_assert!(total(&b, name) >= total(&a, name) - 1e-9 * total(&a, name).abs(),
                    "{}: stricter {} < {}", name, total(&b, name), total(&a, name));
            }
        }
    }
}

#[test]
fn impacts_round_trip_through_json_and_travel_with_the_trajectory() {
    let cal = Calibration::netherlands();
    let plans = SectorPlans::netherlands();
    let model = Model::new(cal.clone(), scenario("centraal", true)).unwrap();
    let run =
        afweging::run::with_policy(&model, &plans, &Policy::Package(all_on(2, &[])), DAYS).unwrap();
    let outcome = impacts::outcome(&cal, run).unwrap();
    let text = serde_json::to_string(&outcome).unwrap();
    let back: impacts::Outcome = serde_json::from_str(&text).unwrap();
    assert_eq!(back, outcome);
    let cal_back = Calibration::from_json_str(&cal.to_json_string()).unwrap();
    assert_eq!(cal_back, cal);
}

#[test]
fn a_run_carries_what_its_impacts_need_and_a_calibration_needs_impact_data() {
    let mut cal = Calibration::netherlands();
    let plans = SectorPlans::netherlands();
    let model = Model::new(cal.clone(), scenario("centraal", false)).unwrap();
    let traj =
        afweging::run::with_policy(&model, &plans, &Policy::Package(all_on(1, &[])), 10).unwrap();
    // The run alone is enough: no plans are passed.
    assert!(
        impacts::compute(&cal, &traj)
            .unwrap()
            .get("value_added_lost")
            .unwrap()
            .total
            > 0.0
    );
    // A record without the per-level activity (written by an older version) is refused.
    let mut old = traj.clone();
    old.policy.as_mut().unwrap().level_activity.clear();
    let err = impacts::compute(&cal, &old).unwrap_err().to_string();
    assert!(err.contains("run.policy.level_activity"), "{err}");
    // So is one altered to put a level in force that the policy does not have.
    let mut altered = traj.clone();
    altered.policy.as_mut().unwrap().level[3] = 7;
    let err = impacts::compute(&cal, &altered).unwrap_err().to_string();
    assert!(err.contains("run.policy.level_activity"), "{err}");
    cal.impacts = None;
    let err = impacts::compute(&cal, &traj).unwrap_err().to_string();
    assert!(err.contains("calibration.impacts"), "{err}");
    let no_data = impacts::outcome(&cal, traj).unwrap();
    assert!(no_data.impacts.is_none());
}

#[test]
fn bad_impact_data_names_the_field() {
    let mut doc: serde_json::Value =
        serde_json::from_str(&Calibration::netherlands().to_json_string()).unwrap();
    doc["impacts"]["economy"]["sections"][0]["labour_share"] = serde_json::json!(1.5);
    doc["impacts"]["society"]["mental_health"]["excess_at_full"] = serde_json::json!([0.1]);
    doc["impacts"]["groups"]["groupings"][0]["population_share"] =
        serde_json::json!([0.5, 0.1, 0.1, 0.1, 0.1]);
    let err = Calibration::from_json_str(&doc.to_string())
        .unwrap_err()
        .to_string();
    for field in [
        "calibration.impacts.economy.sections[0].labour_share",
        "calibration.impacts.society.mental_health.excess_at_full",
        "calibration.impacts.groups.groupings[0].population_share",
    ] {
        assert!(err.contains(field), "{field} missing from: {err}");
    }
}

#[test]
fn every_impact_figure_has_a_source() {
    use afweging::inputs::source::{numeric_paths, source_for};
    let text = include_str!("../data/netherlands/impacts.json");
    let doc: serde_json::Value = serde_json::from_str(text).unwrap();
    let data: afweging::impacts::ImpactData = serde_json::from_str(text).unwrap();
    let missing: Vec<String> = numeric_paths(&doc)
        .into_iter()
        .filter(|p| !p.starts_with("sources") && source_for(&data.sources, p).is_none())
        .collect();
    assert!(missing.is_empty(), "figures without a source: {missing:?}");
    for (key, s) in &data.sources {
        assert!(!s.source.trim().is_empty(), "{key} has an empty source");
        assert!(!s.source.contains("DRAFT"), "{key} is still a draft");
    }
}
