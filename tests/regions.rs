//! The safety regions as a metapopulation: the national model is the one-region special case,
//! full mixing of identical regions is the national model, people are conserved, regional measures
//! act where they are taken, and patient spreading respects capacity.

use afweging::epidemic::compartments as c;
use afweging::inputs::regions::{Kernel, Regions};
use afweging::measures::plans::SettingFactors;
use afweging::measures::policy::{Policy, RegionalPackages};
use afweging::{Calibration, Model, Package, Scenario, SectorPlans, Trajectory};

fn scenario(name: &str) -> Scenario {
    Scenario::preset(name).unwrap()
}

fn signal_values(plans: &SectorPlans, regional: bool) -> Policy {
    let mut t = plans.policy("signal-values").unwrap();
    t.regional = regional;
    Policy::Trigger(t)
}

/// Largest difference between two runs' daily series by age, relative to each series' peak.
fn max_relative_difference(a: &Trajectory, b: &Trajectory) -> f64 {
    let mut worst: f64 = 0.0;
    for slot in [c::CUM_INFECTIONS, c::CUM_ADMISSIONS, c::D] {
        let (x, y) = (a.daily(slot), b.daily(slot));
        let peak = x.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-300);
        worst = worst.max(
            x.iter()
                .zip(&y)
                .map(|(p, q)| (p - q).abs() / peak)
                .fold(0.0, f64::max),
        );
    }
    for slots in [&c::WARD[..], &c::ICU] {
        let (x, y) = (a.stock(slots), b.stock(slots));
        let peak = x.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-300);
        worst = worst.max(
            x.iter()
                .zip(&y)
                .map(|(p, q)| (p - q).abs() / peak)
                .fold(0.0, f64::max),
        );
    }
    worst
}

#[test]
fn one_region_equals_the_national_model() {
    let national = Calibration::netherlands();
    let mut one = national.clone();
    one.regions = Some(Regions::single(&national));
    let plans = SectorPlans::netherlands();
    for name in ["centraal", "ongunstig"] {
        let a = Model::new(national.clone(), scenario(name)).unwrap();
        let b = Model::new(one.clone(), scenario(name)).unwrap();
        assert_eq!(b.regions(), 1);
        let policy = signal_values(&plans, false);
        let (ra, rb) = (
            afweging::run::with_policy(&a, &plans, &policy, 365).unwrap(),
            afweging::run::with_policy(&b, &plans, &policy, 365).unwrap(),
        );
        let diff = max_relative_difference(&ra, &rb);
        assert!(diff < 1e-9, "{name}: {diff}");
        assert_eq!(
            ra.policy.as_ref().unwrap().level,
            rb.policy.as_ref().unwrap().level
        );
    }
}

#[test]
fn identical_regions_with_full_mixing_equal_the_national_model() {
    let national = Calibration::netherlands();
    let mut full = Calibration::netherlands_regions();
    let regions = full.regions.as_mut().unwrap();
    regions.mixing.kernel = Kernel::Homogeneous;
    regions.mixing.outside = SettingFactors::default();
    // Identical regions: the national age structure everywhere (the default data give each region
    // its own CBS age split).
    for r in &mut regions.regions {
        r.population_by_age = None;
    }
    let plans = SectorPlans::netherlands();
    // A severe scenario, so ICU overflow (with spreading) and the trigger policy both act.
    let sc = scenario("zeer_ongunstig");
    let a = Model::new(national, sc.clone()).unwrap();
    let b = Model::new(full, sc).unwrap();
    assert_eq!(b.regions(), 25);
    for regional in [false, true] {
        let policy = signal_values(&plans, regional);
        let (ra, rb) = (
            afweging::run::with_policy(&a, &plans, &policy, 365).unwrap(),
            afweging::run::with_policy(&b, &plans, &policy, 365).unwrap(),
        );
        let diff = max_relative_difference(&ra, &rb);
        assert!(diff < 1e-7, "regional {regional}: {diff}");
        let (la, lb) = (
            &ra.policy.as_ref().unwrap().level,
            &rb.policy.as_ref().unwrap().level,
        );
        assert_eq!(la, lb, "regional {regional}");
        if regional {
            // Identical regions move in step on their own (per-head) signal values.
            for row in &rb.policy.as_ref().unwrap().region_level {
                assert!(row.iter().all(|&l| l == row[0]));
            }
        }
        assert!(ra.virus_spread().days_icu_above_scaled > 0 || !regional);
    }
}

#[test]
fn people_are_conserved_in_every_region_and_regions_differ() {
    // Seeded unevenly (the same prevalence everywhere stays the same everywhere: the mixing is
    // row-stochastic), so regions differ.
    let mut cal = Calibration::netherlands_regions();
    cal.regions.as_mut().unwrap().seed = Some((0..25).map(|r| 0.2 + 0.1 * r as f64).collect());
    let model = Model::new(cal, scenario("centraal")).unwrap();
    let run = model.run(365).unwrap();
    let people = run.people_by_group();
    let start = people.row(0).to_owned();
    for row in people.outer_iter() {
        for (now, then) in row.iter().zip(start.iter()) {
            assert!((now - then).abs() <= 1e-9 * then, "{now} vs {then}");
        }
    }
    assert!(run.states.iter().all(|&v| v >= 0.0 && v.is_finite()));
    // The regions together hold the national population per age band.
    let cal = Calibration::netherlands();
    for (got, want) in run.people().row(0).iter().zip(&cal.population) {
        assert!((got - want).abs() < 1e-6 * want);
    }
    // Better-connected regions are reached earlier: attack rates differ between regions.
    let infections = run.total_by_region(c::CUM_INFECTIONS);
    let population = run.population_by_region();
    let rates: Vec<f64> = (0..25)
        .map(|r| infections.row(r).sum() / population.row(r).sum())
        .collect();
    let (lo, hi) = rates
        .iter()
        .fold((f64::MAX, 0.0f64), |(l, h), &x| (l.min(x), h.max(x)));
    assert!(hi > 1.01 * lo, "{rates:?}");
}

#[test]
fn a_region_only_escalation_acts_there_and_leaves_a_distant_region_alone() {
    let cal = Calibration::netherlands_regions();
    let plans = SectorPlans::netherlands();
    let model = Model::new(cal.clone(), scenario("centraal")).unwrap();
    let amsterdam = cal
        .regions
        .as_ref()
        .unwrap()
        .index("Amsterdam-Amstelland")
        .unwrap();
    let limburg = cal.regions.as_ref().unwrap().index("Zuid-Limburg").unwrap();
    let heavy = plans
        .policy("signal-values")
        .unwrap()
        .levels
        .last()
        .unwrap()
        .package
        .clone();
    let open = Policy::Regional(RegionalPackages::default());
    let mut only = RegionalPackages::default();
    only.regions.insert("VR13".into(), heavy);
    let escalated = Policy::Regional(only);
    let (base, run) = (
        afweging::run::with_policy(&model, &plans, &open, 120).unwrap(),
        afweging::run::with_policy(&model, &plans, &escalated, 120).unwrap(),
    );
    let per_head = |t: &Trajectory, r: usize| {
        t.total_by_region(c::CUM_INFECTIONS).row(r).sum() / t.population_by_region().row(r).sum()
    };
    assert!(
        per_head(&run, amsterdam) < 0.8 * per_head(&base, amsterdam),
        "{} vs {}",
        per_head(&run, amsterdam),
        per_head(&base, amsterdam)
    );
    let record = run.policy.as_ref().unwrap();
    assert!(record
        .region_level
        .iter()
        .all(|row| row[limburg] == 0 && row[amsterdam] == 1));
    // Zuid-Limburg is far away: its infections move by much less than Amsterdam's.
    let change = |r| 1.0 - per_head(&run, r) / per_head(&base, r);
    assert!(
        change(limburg) < 0.25 * change(amsterdam),
        "{} {}",
        change(limburg),
        change(amsterdam)
    );

    // A regional trigger policy: a region seeded ten times higher escalates while a distant one
    // with a tenth of the prevalence stays at level 0 (regions out of step).
    let mut seeded = cal.clone();
    let mut seed = vec![1.0; 25];
    seed[amsterdam] = 10.0;
    seed[limburg] = 0.1;
    seeded.regions.as_mut().unwrap().seed = Some(seed);
    let model = Model::new(seeded, scenario("ongunstig")).unwrap();
    let run =
        afweging::run::with_policy(&model, &plans, &signal_values(&plans, true), 120).unwrap();
    let record = run.policy.as_ref().unwrap();
    let first = record
        .region_level
        .iter()
        .position(|row| row[amsterdam] > 0)
        .expect("the seeded region escalates");
    assert_eq!(record.region_level[first][limburg], 0);
    assert!(record
        .decisions
        .iter()
        .any(|d| d.region.as_deref() == Some("Amsterdam-Amstelland")));
    assert!(record.stringency[first] > 0.0);
}

#[test]
fn without_spreading_a_full_region_has_overflow_deaths_that_spreading_avoids() {
    let mut cal = Calibration::netherlands_regions();
    let amsterdam = cal.regions.as_ref().unwrap().index("VR13").unwrap();
    let mut seed = vec![0.2; 25];
    seed[amsterdam] = 20.0;
    cal.regions.as_mut().unwrap().seed = Some(seed);
    // Twenty times a prevalence of 0.2% (4%) needs room: 4% of each band less immune than the
    // preset.
    let mut sc = scenario("ongunstig");
    sc.initial.prevalence = Some(0.002);
    sc.initial.recovered.iter_mut().for_each(|w| *w -= 0.04);
    let spread = Model::new(cal.clone(), sc.clone())
        .unwrap()
        .run(150)
        .unwrap();
    cal.regions.as_mut().unwrap().patient_spreading = false;
    let local = Model::new(cal, sc).unwrap().run(150).unwrap();
    let deaths = |t: &afweging::Run| t.virus_spread().total_deaths;
    assert!(
        deaths(&spread) < deaths(&local),
        "{} >= {}",
        deaths(&spread),
        deaths(&local)
    );
}

#[test]
fn fast_vaccination_that_reaches_everyone_in_a_band_leaves_no_region_negative() {
    // Sharing a band's doses over its regions can round a group's dose a hair above its eligible
    // people; a negative compartment would stop the solver (it did, on day 9, before the fix).
    let plans = SectorPlans::netherlands();
    let cal = Calibration::netherlands_regions();
    let model = Model::new(cal, scenario("ongunstig")).unwrap();
    let package = afweging::Package {
        rungs: Default::default(),
        general: vec!["vaccinatie_versnelling".into()],
    };
    let policy = Policy::Package(plans.package(package).unwrap());
    let run = afweging::run::with_policy(&model, &plans, &policy, 60).unwrap();
    assert_eq!(run.days(), 60);
    assert!(run.states.iter().all(|&v| v >= 0.0));
}

/// The regional package of one sector on its top rung in VR13 only, against the same package
/// everywhere: the impacts price the measure where it applied.
fn priced_in_vr13(sector: &str, indicator: &str) {
    use afweging::impacts::{self, REGION};
    let cal = Calibration::netherlands_regions();
    let plans = SectorPlans::netherlands();
    let mut sc = Scenario::preset("centraal").unwrap();
    sc.initial.prevalence = Some(0.0); // no epidemic: only the measure costs anything
    sc.initial.patients = Default::default();
    let model = Model::new(cal.clone(), sc).unwrap();
    let top = plans.sector(sector).unwrap().rungs.len() - 1;
    let closed = Package {
        rungs: [(sector.to_string(), top)].into(),
        general: vec![],
    };
    let mut only = RegionalPackages::default();
    only.regions.insert("VR13".into(), closed.clone());
    let price = |policy: &Policy| {
        let run = afweging::run::with_policy(&model, &plans, policy, 120).unwrap();
        impacts::compute(&cal, &run).unwrap()
    };
    let regional = price(&Policy::Regional(only));
    let national = price(&Policy::Package(closed));
    let total = |i: &impacts::Impacts| i.get(indicator).unwrap().total;
    assert!(total(&national) > 0.0, "{indicator}: {}", total(&national));
    assert!(
        total(&regional) < 0.10 * total(&national),
        "{indicator}: regional {} vs national {}",
        total(&regional),
        total(&national)
    );
    let vr13 = cal.regions.as_ref().unwrap().index("VR13").unwrap();
    let by_region = &regional.get(indicator).unwrap().by_group[REGION];
    assert!(
        by_region[vr13] >= 0.90 * total(&regional),
        "{indicator}: VR13 bears {} of {}",
        by_region[vr13],
        total(&regional)
    );
    let sum: f64 = by_region.iter().sum();
    assert!((sum - total(&regional)).abs() <= 1e-9 * total(&regional));
}

#[test]
fn closing_schools_in_one_region_costs_that_region_its_school_time() {
    priced_in_vr13("onderwijs_po", "school_years_lost");
    priced_in_vr13("onderwijs_po", "lifetime_earnings_lost");
}

#[test]
fn closing_horeca_in_one_region_costs_that_region_its_value_added() {
    priced_in_vr13("horeca", "value_added_lost");
    priced_in_vr13("horeca", "unemployment");
}

#[test]
fn uniform_measures_priced_by_region_add_up_to_the_national_pricing() {
    use afweging::impacts;
    // The same package everywhere, priced region by region, adds up to the national model's
    // pricing of it (without an epidemic the measures alone cost anything; every regional
    // quantity is linear in the region's share).
    let plans = SectorPlans::netherlands();
    let package = plans.policy("signal-values").unwrap().levels[2]
        .package
        .clone();
    let mut sc = Scenario::preset("centraal").unwrap();
    sc.initial.prevalence = Some(0.0);
    sc.initial.patients = Default::default();
    let price = |cal: Calibration| {
        let model = Model::new(cal.clone(), sc.clone()).unwrap();
        let policy = Policy::Package(package.clone());
        let run = afweging::run::with_policy(&model, &plans, &policy, 120).unwrap();
        impacts::compute(&cal, &run).unwrap()
    };
    let regional = price(Calibration::netherlands_regions());
    let national = price(Calibration::netherlands());
    for name in [
        "value_added_lost",
        "unemployment",
        "bankruptcies",
        "school_years_lost",
        "fiscal_cost",
        "mental_health_qalys_lost",
    ] {
        let (a, b) = (
            regional.get(name).unwrap().total,
            national.get(name).unwrap().total,
        );
        assert!(b > 0.0 && (a - b).abs() <= 1e-9 * b, "{name}: {a} vs {b}");
    }
}

#[test]
fn a_behavioural_lever_in_one_region_acts_there() {
    // The same sector package everywhere; a communication campaign (compliance +0.3 on the logit
    // scale) in VR13 only, against none and against everywhere.
    let cal = Calibration::netherlands_regions();
    let plans = SectorPlans::netherlands();
    let model = Model::new(cal.clone(), Scenario::preset("centraal").unwrap()).unwrap();
    let regions = cal.regions.as_ref().unwrap();
    let (amsterdam, limburg) = (
        regions.index("VR13").unwrap(),
        regions.index("Zuid-Limburg").unwrap(),
    );
    let package = plans.policy("signal-values").unwrap().levels[2]
        .package
        .clone();
    let mut campaign = package.clone();
    campaign.general.push("communicatiecampagne".into());
    let run = |default: &Package, vr13: &Package| {
        let mut p = RegionalPackages {
            default: default.clone(),
            ..Default::default()
        };
        p.regions.insert("VR13".into(), vr13.clone());
        afweging::run::with_policy(&model, &plans, &Policy::Regional(p), 150).unwrap()
    };
    let per_head = |t: &afweging::Run, r: usize| {
        t.total_by_region(c::CUM_INFECTIONS).row(r).sum() / t.population_by_region().row(r).sum()
    };
    let none = run(&package, &package);
    let local = run(&package, &campaign);
    let everywhere = run(&campaign, &campaign);
    let drop = |t: &afweging::Run, r| 1.0 - per_head(t, r) / per_head(&none, r);
    assert!(drop(&everywhere, limburg) > 0.0 && drop(&everywhere, amsterdam) > 0.0);
    assert!(
        drop(&local, amsterdam) > 0.5 * drop(&everywhere, amsterdam),
        "VR13: {} vs {}",
        drop(&local, amsterdam),
        drop(&everywhere, amsterdam)
    );
    assert!(
        drop(&local, limburg) < 0.25 * drop(&everywhere, limburg),
        "Zuid-Limburg: {} vs {}",
        drop(&local, limburg),
        drop(&everywhere, limburg)
    );
}
