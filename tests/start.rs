//! Where a run starts: infected by age band, patients already in hospital, daily imports from
//! abroad, and the people each region has room for.

use afweging::epidemic::compartments as c;
use afweging::inputs::calibration::Calibration;
use afweging::inputs::scenario::{ImportsFrom, Patients, Scenario};
use afweging::Model;
use chrono::NaiveDate;

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 3, 1).unwrap()
}

/// Nobody immune, nobody infected, on 1 March 2020, no behaviour or campaigns.
fn empty() -> Scenario {
    let mut sc = Scenario::preset("centraal").unwrap().starting_on(start());
    sc.behaviour = None;
    sc.campaigns.clear();
    sc.initial.prevalence = Some(0.0);
    sc.initial.patients = Default::default();
    sc.initial.vaccinated = vec![0.0; 9];
    sc.initial.recovered = vec![0.0; 9];
    sc.initial.waned = vec![0.0; 9];
    sc
}

fn people(run: &afweging::Run, day: usize) -> f64 {
    run.states
        .slice(ndarray::s![day, .., ..c::PEOPLE])
        .iter()
        .sum()
}

fn imports(per_day: f64, days: u64, by_age: Option<Vec<f64>>) -> Vec<ImportsFrom> {
    vec![
        ImportsFrom {
            from: start(),
            per_day,
            by_age,
        },
        ImportsFrom {
            from: start() + chrono::Days::new(days),
            per_day: 0.0,
            by_age: None,
        },
    ]
}

#[test]
fn imports_are_infections_from_the_susceptible_and_keep_people() {
    let cal = Calibration::netherlands();
    let total: f64 = cal.population.iter().sum();
    let mut sc = empty();
    sc.variant.r0 = 0.01; // the imported hardly infect anyone
    sc.imports = imports(1000.0, 10, None);
    let run = Model::new(cal.clone(), sc).unwrap().run(30).unwrap();
    for day in 0..=30 {
        assert!((people(&run, day) / total - 1.0).abs() < 1e-12, "day {day}");
    }
    let infected: f64 = run.total_by_group(c::CUM_INFECTIONS).iter().sum();
    // 10 days of 1,000 and the few they infect at R0 0.01.
    assert!(
        (10_000.0..10_000.0 * 1.02).contains(&infected),
        "{infected}"
    );
    // Spread over the bands in proportion to their people.
    let by_band = run.total_by_group(c::CUM_INFECTIONS);
    for (a, n) in cal.population.iter().enumerate() {
        let share = by_band[a] / infected;
        assert!((share / (n / total) - 1.0).abs() < 0.02, "band {a}");
    }
    // Nothing before or after the entries' dates.
    let daily = run.infections();
    assert!(daily.row(15).sum() < 50.0, "{}", daily.row(15).sum());
}

#[test]
fn imports_by_age_go_to_the_named_bands() {
    let mut sc = empty();
    sc.variant.r0 = 0.01;
    let mut by_age = vec![0.0; 9];
    by_age[2] = 0.75;
    by_age[3] = 0.25;
    sc.imports = imports(400.0, 5, Some(by_age));
    let run = Model::new(Calibration::netherlands(), sc)
        .unwrap()
        .run(5)
        .unwrap();
    let by_band = run.total_by_group(c::CUM_INFECTIONS);
    assert!((by_band[2] / 1500.0 - 1.0).abs() < 0.01, "{by_band:?}");
    assert!((by_band[3] / 500.0 - 1.0).abs() < 0.01, "{by_band:?}");
    assert!(by_band[8] < 1.0, "{by_band:?}");
}

#[test]
fn imports_are_checked_by_field() {
    let mut sc = empty();
    sc.imports = imports(100.0, 5, Some(vec![0.5; 9]));
    let err = Model::new(Calibration::netherlands(), sc.clone())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("scenario.imports[0].by_age: must sum to 1"),
        "{err}"
    );
    sc.imports = imports(100.0, 5, Some(vec![0.5, 0.5]));
    let err = Model::new(Calibration::netherlands(), sc.clone())
        .unwrap_err()
        .to_string();
    assert!(err.contains("scenario.imports[0].by_age"), "{err}");
    assert!(err.contains("age band"), "{err}");
    sc.imports = imports(-1.0, 5, None);
    let err = sc.validate(None).unwrap_err().to_string();
    assert!(err.contains("scenario.imports[0].per_day"), "{err}");
    sc.imports = imports(100.0, 5, None);
    sc.imports.swap(0, 1);
    let err = sc.validate(None).unwrap_err().to_string();
    assert!(
        err.contains("scenario.imports[1].from: must be after"),
        "{err}"
    );
    sc.imports = imports(100.0, 5, None);
    sc.start_date = None;
    let err = sc.validate(None).unwrap_err().to_string();
    assert!(
        err.contains("scenario.imports[0].from: needs a dated scenario"),
        "{err}"
    );
}

#[test]
fn a_run_can_start_with_patients_on_the_ward_and_in_icu() {
    let cal = Calibration::netherlands();
    let total: f64 = cal.population.iter().sum();
    let mut sc = empty();
    sc.initial.patients = Patients {
        ward: 1200.0,
        icu: 300.0,
    };
    let model = Model::new(cal, sc).unwrap();
    let run = model.run(60).unwrap();
    let day0 = run.states.slice(ndarray::s![0, .., ..]);
    let ward: f64 = day0.column(c::H).sum();
    let icu: f64 = day0.column(c::C).sum();
    assert!((ward - 1200.0).abs() < 1e-9 && (icu - 300.0).abs() < 1e-9);
    assert!((people(&run, 0) / total - 1.0).abs() < 1e-12);
    // By expected admissions: the 80+ hold more ward patients per person than the 20-29, and
    // nobody under 10 is in ICU more than the 60-69.
    let per_person = |slot: usize, a: usize| day0[[a, slot]] / model.group_population()[a];
    assert!(per_person(c::H, 8) > 10.0 * per_person(c::H, 2));
    assert!(per_person(c::C, 6) > per_person(c::C, 0));
    // Without new infections, they leave: ICU empties at the calibrated stay, ICU survivors pass
    // through the ward after ICU, and some die.
    let icu_left = run.icu_occupancy();
    let icu_day = |d: usize| icu_left.row(d).sum();
    assert!(icu_day(10) < icu_day(0) && icu_day(59) < 0.2 * icu_day(0));
    assert!(run.states.slice(ndarray::s![20, .., c::H_POST]).sum() > 0.0);
    assert!(run.states.slice(ndarray::s![60, .., c::D]).sum() > 0.0);
    assert_eq!(run.admissions().sum(), 0.0);
}

#[test]
fn infections_can_be_seeded_by_age_band() {
    let cal = Calibration::netherlands();
    let mut sc = empty();
    sc.initial.prevalence = None;
    let mut by_band = vec![0.0; 9];
    by_band[2] = 0.01;
    sc.initial.infected = Some(by_band);
    let model = Model::new(cal.clone(), sc.clone()).unwrap();
    let y = model.initial_state();
    let infected = |a: usize| -> f64 {
        (c::E_ASYM..=c::P2)
            .map(|k| y[a * c::SLOTS + k])
            .sum::<f64>()
    };
    assert!((infected(2) / (0.01 * cal.population[2]) - 1.0).abs() < 1e-12);
    assert_eq!(infected(1) + infected(3) + infected(8), 0.0);
    // The severely ill are spread over latent, infectious and the two stages at home, so
    // admissions come from day 0 on.
    assert!(y[2 * c::SLOTS + c::P2] > 0.0);
    // Exactly one of prevalence and infected.
    sc.initial.prevalence = Some(0.001);
    let err = sc.validate(Some(9)).unwrap_err().to_string();
    assert!(
        err.contains("scenario.initial.prevalence: must be null"),
        "{err}"
    );
    sc.initial.prevalence = None;
    sc.initial.infected = None;
    let err = sc.validate(Some(9)).unwrap_err().to_string();
    assert!(
        err.contains("scenario.initial.prevalence: is required"),
        "{err}"
    );
    sc.initial.infected = Some(vec![0.01; 3]);
    let err = sc.validate(Some(9)).unwrap_err().to_string();
    assert!(err.contains("scenario.initial.infected"), "{err}");
}

#[test]
fn a_regional_seed_larger_than_a_region_is_refused_not_filled_with_new_people() {
    // Issue 21, defect 7: a seed 100 times the prevalence in one region asked for more than its
    // people, and the susceptible were clamped at 0, creating people.
    let mut cal = Calibration::netherlands_regions();
    let amsterdam = cal.regions.as_ref().unwrap().index("VR13").unwrap();
    let mut seed = vec![1.0; 25];
    seed[amsterdam] = 100.0;
    cal.regions.as_mut().unwrap().seed = Some(seed);
    let err = Model::new(cal, Scenario::preset("centraal").unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("regions.seed[{amsterdam}] (VR13)")),
        "{err}"
    );
    assert!(err.contains("people"), "{err}");
}

#[test]
fn a_campaign_gives_the_doses_of_its_schedule_by_date() {
    use afweging::inputs::scenario::{Campaign, DosesFrom, Priority};
    let mut sc = empty();
    sc.variant.r0 = 0.01;
    let date = |d: u64| start() + chrono::Days::new(d);
    sc.campaigns = vec![Campaign {
        name: "first doses as given".into(),
        start_day: 0.0,
        doses_per_day: 1e6, // replaced by the schedule on a dated run
        uptake: vec![0.9; 9],
        priority: Priority::OldestFirst,
        schedule: vec![
            DosesFrom {
                from: date(5),
                per_day: 10_000.0,
            },
            DosesFrom {
                from: date(10),
                per_day: 30_000.0,
            },
            DosesFrom {
                from: date(12),
                per_day: 0.0,
            },
        ],
    }];
    let run = Model::new(Calibration::netherlands(), sc.clone())
        .unwrap()
        .run(20)
        .unwrap();
    let daily: Vec<f64> = run
        .vaccinations
        .rows()
        .into_iter()
        .map(|r| r.sum())
        .collect();
    let expected = [
        0.0, 0.0, 0.0, 0.0, 0.0, 1e4, 1e4, 1e4, 1e4, 1e4, 3e4, 3e4, 0.0, 0.0,
    ];
    for (d, want) in expected.iter().enumerate() {
        assert!((daily[d] - want).abs() < 1e-6, "day {d}: {}", daily[d]);
    }
    // Oldest first: the 80+ are reached before anyone younger.
    let by_band = run.vaccinations.sum_axis(ndarray::Axis(0));
    assert!(by_band[8] > 0.0 && by_band[0] == 0.0);
    // A schedule needs a dated scenario, in date order.
    let mut undated = sc.clone();
    undated.start_date = None;
    let err = undated.validate(None).unwrap_err().to_string();
    assert!(
        err.contains("scenario.campaigns[0].schedule[0].from: needs a dated scenario"),
        "{err}"
    );
    sc.campaigns[0].schedule.swap(0, 1);
    let err = sc.validate(None).unwrap_err().to_string();
    assert!(
        err.contains("scenario.campaigns[0].schedule[1].from: must be after"),
        "{err}"
    );
}
