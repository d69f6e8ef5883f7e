//! The hospital pathway: the delay from infection to admission, deaths outside hospital, the ward
//! after ICU, and ICU care that changes with the date (issue 18).

use afweging::epidemic::compartments as c;
use afweging::inputs::calibration::Calibration;
use afweging::inputs::scenario::{ImportsFrom, Scenario};
use afweging::Model;
use chrono::NaiveDate;

/// A cohort: 1% of the people infected abroad on `date` (imports of one day), in a scenario in
/// which they hardly infect anyone (R0 0.01): their admissions show the pathway's delays alone.
fn cohort_on(date: NaiveDate) -> Scenario {
    let mut sc = Scenario::preset("centraal").unwrap().starting_on(date);
    sc.behaviour = None;
    sc.variant.r0 = 0.01;
    sc.seasonality.amplitude = 0.0;
    sc.campaigns.clear();
    sc.initial.prevalence = Some(0.0);
    sc.initial.patients = Default::default();
    sc.initial.vaccinated = vec![0.0; 9];
    sc.initial.recovered = vec![0.0; 9];
    sc.initial.waned = vec![0.0; 9];
    let people: f64 = Calibration::netherlands().population.iter().sum();
    sc.imports = vec![
        ImportsFrom {
            from: date,
            per_day: 0.01 * people,
            by_age: None,
        },
        ImportsFrom {
            from: date + chrono::Days::new(1),
            per_day: 0.0,
            by_age: None,
        },
    ];
    sc
}

fn cohort() -> Scenario {
    cohort_on(NaiveDate::from_ymd_opt(2020, 3, 1).unwrap())
}

/// Mean day (midpoints) of a daily series.
fn mean_day(series: &[f64]) -> f64 {
    let total: f64 = series.iter().sum();
    series
        .iter()
        .enumerate()
        .map(|(d, v)| (d as f64 + 0.5) * v)
        .sum::<f64>()
        / total
}

#[test]
fn admissions_come_eleven_days_after_infection() {
    let cal = Calibration::netherlands();
    let sc = cohort();
    let (latent, infectious) = (sc.variant.latent_days, sc.variant.infectious_days);
    let to_admission = cal.stays.infection_to_admission_days;
    let model = Model::new(cal, sc).unwrap();
    let run = model.run(200).unwrap();
    let admissions: Vec<f64> = run
        .admissions()
        .rows()
        .into_iter()
        .map(|r| r.sum())
        .collect();
    // The cohort is infected at the start of day 0: the mean delay to admission is the whole
    // chain's, latent + infectious + the two stages at home.
    let expected = to_admission;
    assert!(to_admission > latent + infectious);
    let mean = mean_day(&admissions);
    assert!(
        (mean - expected).abs() < 0.15,
        "mean admission day {mean:.3}, expected {expected:.3}"
    );
    // The two stages at home give the delay a hump: admissions peak days after day 0, not on it.
    let peak = admissions
        .iter()
        .enumerate()
        .fold((0, 0.0), |b, (d, &v)| if v > b.1 { (d, v) } else { b })
        .0;
    assert!((4..=9).contains(&peak), "admissions peak on day {peak}");
}

#[test]
fn deaths_outside_hospital_are_counted_once_and_only_where_calibrated() {
    let cal = Calibration::netherlands();
    let outside_by_age = cal
        .severity
        .p_death_outside_hospital_given_infection
        .clone();
    let sc = cohort();
    let scale = sc.variant.severity * sc.variant.fatality_ratio;
    let model = Model::new(cal, sc).unwrap();
    let run = model.run(200).unwrap();
    let outside = run.total_by_group(c::CUM_DEATHS_OUTSIDE_HOSPITAL);
    let deaths = run.total_by_group(c::D);
    let infections = run.total_by_group(c::CUM_INFECTIONS);
    for (a, p) in outside_by_age.iter().enumerate() {
        assert!(outside[a] <= deaths[a] + 1e-9, "band {a}");
        if *p == 0.0 {
            assert_eq!(outside[a], 0.0, "band {a}");
        } else {
            // Of the cohort infected at day 0 (its few secondary infections aside), the
            // calibrated share (times the variant's severity and fatality) dies outside hospital.
            let (share, p) = (outside[a] / infections[a], p * scale);
            assert!((share / p - 1.0).abs() < 0.03, "band {a}: {share} vs {p}");
        }
    }
}

#[test]
fn icu_survivors_return_to_the_ward() {
    let model = Model::new(Calibration::netherlands(), cohort()).unwrap();
    let run = model.run(120).unwrap();
    let after_icu: f64 = run.stock(&[c::H_POST]).sum();
    assert!(after_icu > 0.0);
    // Ward occupancy counts both ward compartments.
    let ward = run.hospital_occupancy();
    let parts = &run.stock(&[c::H]) + &run.stock(&[c::H_POST]);
    assert_eq!(ward, parts);
}

#[test]
fn dated_runs_take_the_icu_care_of_their_dates() {
    let cal = Calibration::netherlands();
    let spring = NaiveDate::from_ymd_opt(2020, 3, 1).unwrap();
    let autumn = NaiveDate::from_ymd_opt(2020, 10, 1).unwrap();
    let icu_on = |date: NaiveDate| {
        let care = cal.stays.on(date);
        (care.icu_days, care.icu_admission_factor)
    };
    assert_eq!(icu_on(spring), (22.0, 1.2));
    assert_eq!(icu_on(autumn), (17.0, 0.86));
    assert_eq!(
        icu_on(NaiveDate::from_ymd_opt(2019, 1, 1).unwrap()),
        (cal.stays.icu_days, 1.0)
    );
    let icu_per_admission = |date: NaiveDate| {
        let model = Model::new(cal.clone(), cohort_on(date)).unwrap();
        let run = model.run(60).unwrap();
        (
            run.icu_admissions().sum() / run.admissions().sum(),
            run.icu_occupancy().sum() / run.icu_admissions().sum(),
        )
    };
    let (share_spring, days_spring) = icu_per_admission(spring);
    let (share_autumn, days_autumn) = icu_per_admission(autumn);
    assert!(
        (share_spring / share_autumn - 1.2 / 0.86).abs() < 1e-9,
        "{share_spring} / {share_autumn}"
    );
    // ICU-days per ICU admission: longer stays in spring 2020 (within the 60 days run).
    assert!(
        days_spring > days_autumn * 1.1,
        "{days_spring} vs {days_autumn}"
    );
}

#[test]
fn dated_runs_take_the_hospital_death_factor_of_their_dates() {
    // Half as many deaths again in hospital from 2020-02-01, as calibrated from 2020-06-01.
    let mut cal = Calibration::netherlands();
    cal.stays.by_date.truncate(2);
    cal.stays.by_date[0].death_factor = 1.5;
    cal.stays.by_date[1].death_factor = 1.0;
    let hospital_deaths = |date: NaiveDate| {
        let model = Model::new(cal.clone(), cohort_on(date)).unwrap();
        let run = model.run(100).unwrap();
        let deaths: f64 = run.total_by_group(c::D).iter().sum();
        let outside: f64 = run
            .total_by_group(c::CUM_DEATHS_OUTSIDE_HOSPITAL)
            .iter()
            .sum();
        (deaths - outside) / run.admissions().sum()
    };
    let first = hospital_deaths(NaiveDate::from_ymd_opt(2020, 2, 1).unwrap());
    let later = hospital_deaths(NaiveDate::from_ymd_opt(2020, 6, 1).unwrap());
    // The spring cohort also takes the spring's ICU share and stays; deaths per admission
    // differ by the factor up to what ICU share does to them (ward and ICU mortality differ).
    assert!(
        first / later > 1.4 && first / later < 1.7,
        "{first} / {later}"
    );
    // A factor that takes a probability above 1 is refused by name, in the periods a run can
    // reach: a run that starts after the period (or without dates) never takes it.
    cal.stays.by_date[0].death_factor = 2.0;
    let err = Model::new(cal.clone(), cohort()).unwrap_err().to_string();
    assert!(
        err.contains("calibration.stays.by_date[0].death_factor") && err.contains("exceed 1"),
        "{err}"
    );
    assert!(Model::new(
        cal.clone(),
        cohort_on(NaiveDate::from_ymd_opt(2020, 7, 1).unwrap())
    )
    .is_ok());
    cal.stays.by_date[0].death_factor = -1.0;
    let err = cal.validate().unwrap_err().to_string();
    assert!(
        err.contains("calibration.stays.by_date[0].death_factor: must be >= 0"),
        "{err}"
    );
}

#[test]
fn a_delay_shorter_than_the_infectious_stages_is_refused_by_name() {
    let mut cal = Calibration::netherlands();
    cal.stays.infection_to_admission_days = 3.0;
    let err = Model::new(cal, cohort()).unwrap_err().to_string();
    assert!(
        err.contains("calibration.stays.infection_to_admission_days")
            && err.contains("latent + infectious"),
        "{err}"
    );
    let mut cal = Calibration::netherlands();
    cal.stays.by_date.swap(0, 1);
    let err = cal.validate().unwrap_err().to_string();
    assert!(err.contains("calibration.stays.by_date[1].from"), "{err}");
}

#[test]
fn start_date_and_day_of_year_must_agree() {
    let sc = cohort().starting_on(NaiveDate::from_ymd_opt(2020, 2, 17).unwrap());
    assert_eq!(sc.day_of_year(), 48.0);
    assert_eq!(sc.start_day_of_year, Some(48.0));
    let mut wrong = sc.clone();
    wrong.start_day_of_year = Some(244.0);
    let err = wrong.validate(None).unwrap_err().to_string();
    assert!(
        err.contains("scenario.start_day_of_year") && err.contains("2020-02-17"),
        "{err}"
    );
    let mut none = sc;
    none.start_date = None;
    none.start_day_of_year = None;
    let err = none.validate(None).unwrap_err().to_string();
    assert!(
        err.contains("scenario.start_day_of_year: is required"),
        "{err}"
    );
    // Through JSON, the date alone is enough.
    let mut json: serde_json::Value = serde_json::from_str(&cohort().to_json_string()).unwrap();
    json.as_object_mut().unwrap().remove("start_day_of_year");
    json["start_date"] = "2020-03-01".into();
    let sc = Scenario::from_json_str(&json.to_string()).unwrap();
    assert_eq!(sc.day_of_year(), 61.0);
}

#[test]
fn transmission_factors_act_from_their_dates() {
    use afweging::inputs::scenario::TransmissionFrom;
    let start = NaiveDate::from_ymd_opt(2020, 3, 1).unwrap();
    let mut sc = Scenario::preset("centraal").unwrap().starting_on(start);
    sc.behaviour = None;
    let plain = Model::new(Calibration::netherlands(), sc.clone())
        .unwrap()
        .run(40)
        .unwrap();
    sc.transmission = vec![
        TransmissionFrom {
            from: start,
            factor: 1.0,
        },
        TransmissionFrom {
            from: NaiveDate::from_ymd_opt(2020, 3, 11).unwrap(),
            factor: 0.0,
        },
    ];
    let stopped = Model::new(Calibration::netherlands(), sc.clone())
        .unwrap()
        .run(40)
        .unwrap();
    let (a, b) = (plain.infections(), stopped.infections());
    // Identical up to day 10, no infections from day 10 (11 March) on.
    assert_eq!(
        a.slice(ndarray::s![..10, ..]),
        b.slice(ndarray::s![..10, ..])
    );
    assert!(b
        .slice(ndarray::s![10.., ..])
        .iter()
        .all(|&v| v.abs() < 1e-9));
    // Factors need a dated scenario, in date order.
    let mut undated = sc.clone();
    undated.start_date = None;
    let err = undated.validate(None).unwrap_err().to_string();
    assert!(err.contains("scenario.transmission[0].from"), "{err}");
    sc.transmission.swap(0, 1);
    let err = sc.validate(None).unwrap_err().to_string();
    assert!(
        err.contains("scenario.transmission[1].from: must be after"),
        "{err}"
    );
}
