//! Preparedness levers: signs of the effects, lead times, costs by hand, the valuation's price and
//! field errors, on short runs of the Dutch defaults (scenario ongunstig, no sector measures).

use std::collections::BTreeMap;

use afweging::decision::valuation::Valuation;
use afweging::epidemic::compartments as c;
use afweging::impacts;
use afweging::impacts::Outcome;
use afweging::measures::policy::Policy;
use afweging::measures::preparedness::{Effect, ACTIVE};
use afweging::{Calibration, Model, Package, Scenario, SectorPlans};

const DAYS: usize = 120;

fn package(general: &[&str]) -> Package {
    Package {
        rungs: BTreeMap::new(),
        general: general.iter().map(|s| s.to_string()).collect(),
    }
}

fn run_with(cal: &Calibration, general: &[&str]) -> Outcome {
    let plans = SectorPlans::netherlands();
    let model = Model::new(cal.clone(), Scenario::preset("ongunstig").unwrap()).unwrap();
    let p = plans.package(package(general)).unwrap();
    let run = afweging::run::with_policy(&model, &plans, &Policy::Package(p), DAYS).unwrap();
    impacts::outcome(cal, run).unwrap()
}

fn run(general: &[&str]) -> Outcome {
    run_with(&Calibration::netherlands(), general)
}

fn total(t: &Outcome, name: &str) -> f64 {
    t.impacts.as_ref().unwrap().get(name).unwrap().total
}

/// A calibration that has not scaled up: ICU capacity for COVID-19 at the normal 600 beds.
fn unprepared() -> Calibration {
    let mut cal = Calibration::netherlands();
    cal.capacity.icu_scaled = cal.capacity.icu_normal;
    cal
}

#[test]
fn without_levers_a_run_has_no_preparedness_record_or_indicators() {
    let t = run(&[]);
    assert!(t.preparedness.is_none());
    let imp = t.impacts.as_ref().unwrap();
    assert!(imp.preparedness.is_none());
    assert_eq!(imp.get("preparedness_cost").unwrap().total, 0.0);
    assert!(imp.get("postponed_care_qalys_lost_to_scale_up").is_none());
}

#[test]
fn a_lever_before_its_lead_time_has_no_effect() {
    let plain = run(&[]);
    for lever in SectorPlans::netherlands().preparedness.unwrap().levers {
        let t = run(&[lever.name.as_str()]);
        let lead = lever.lead_time_days as usize;
        // States up to the end of the last day of the lead time are bit-identical.
        let rows = lead + 1;
        assert_eq!(
            t.states.slice(ndarray::s![..rows, .., ..]),
            plain.states.slice(ndarray::s![..rows, .., ..]),
            "{} acts before its lead time",
            lever.name
        );
        let rec = t.preparedness.as_ref().unwrap();
        assert!(rec.state[..lead].iter().all(|s| s[0] != ACTIVE));
        assert!(rec.state[lead..].iter().all(|s| s[0] == ACTIVE));
        assert_eq!(rec.orders, vec![1]);
    }
}

#[test]
fn more_icu_capacity_never_raises_deaths_and_displaces_care() {
    // The unprepared calibration makes every step add beds; the default calibration already
    // holds the 1,700 step, so only 2,400 adds beds there.
    for cal in [unprepared(), Calibration::netherlands()] {
        let plain = run_with(&cal, &[]);
        let mut last = plain.virus_spread();
        let mut last_postponed = total(&plain, "postponed_care_qalys_lost");
        assert!(
            last.days_icu_above_scaled > 0,
            "the test needs ICU overflow"
        );
        for step in [
            "icu_opschaling_1350",
            "icu_opschaling_1700",
            "icu_opschaling_2400",
        ] {
            let t = run_with(&cal, &[step]);
            let v = t.virus_spread();
            assert!(v.total_deaths <= last.total_deaths + 1e-9, "{step}");
            assert!(
                v.days_icu_above_scaled <= last.days_icu_above_scaled,
                "{step}"
            );
            let postponed = total(&t, "postponed_care_qalys_lost");
            let displaced = total(&t, "postponed_care_qalys_lost_to_scale_up");
            let base = total(&plain, "postponed_care_qalys_lost");
            // ICU bed-days barely change (capacity acts on who dies in ICU, not on who is
            // there), so postponed care rises by the displaced care of the empty opened beds, and
            // by the ward days after ICU of those who now survive it: never by less.
            assert!(
                postponed - base >= displaced - 1e-3 * base,
                "{step}: {postponed} - {base} vs {displaced}"
            );
            let rec = t.preparedness.as_ref().unwrap();
            if rec.extra_beds(&rec.levers[0]) > 0.0 {
                assert!(v.total_deaths < plain.virus_spread().total_deaths, "{step}");
                assert!(displaced > 0.0);
                assert!(postponed >= last_postponed - 1e-6 * base);
            } else {
                assert_eq!(displaced, 0.0);
                assert_eq!(v.total_deaths, plain.virus_spread().total_deaths);
            }
            last = v;
            last_postponed = postponed;
        }
    }
}

#[test]
fn care_at_home_shortens_ward_stays() {
    let plain = run(&[]);
    let t = run(&["zorg_thuis"]);
    let (a, b) = (
        total(&plain, "hospital_bed_days"),
        total(&t, "hospital_bed_days"),
    );
    assert!(b < a, "{b} >= {a}");
    // The ward mortality is per patient, so deaths change only in timing (patients leave the
    // ward sooner, so a few more of the ward deaths fall inside the run).
    let (d0, d1) = (
        plain.virus_spread().total_deaths,
        t.virus_spread().total_deaths,
    );
    assert!((d1 - d0).abs() <= 0.01 * d0, "{d1} vs {d0}");
}

#[test]
fn more_testing_lowers_infections() {
    let plain = run(&[]);
    let t = run(&["testcapaciteit_opschaling"]);
    assert!(t.virus_spread().total_infections < plain.virus_spread().total_infections);
}

#[test]
fn faster_vaccination_lowers_infections_and_deaths() {
    let plain = run(&[]);
    let t = run(&["vaccinatie_versnelling"]);
    let (a, b) = (plain.virus_spread(), t.virus_spread());
    assert!(b.total_infections < a.total_infections);
    assert!(b.total_deaths < a.total_deaths);
    // The campaign starts on day 7 (lead time 7, 7 days earlier than day 14) with extra doses.
    let doses = |t: &Outcome, d: usize| t.vaccinations.row(d).sum();
    assert_eq!(doses(&plain, 7), 0.0);
    assert!((doses(&t, 7) - 200_000.0).abs() < 1e-6);
}

#[test]
fn the_cost_of_each_lever_equals_a_hand_computation() {
    let cal = Calibration::netherlands();
    let prep = SectorPlans::netherlands().preparedness.unwrap();
    for lever in &prep.levers {
        let t = run(&[lever.name.as_str()]);
        let lead = lever.lead_time_days as usize;
        let active = (DAYS - lead) as f64;
        let expected = lever.setup_cost
            + match &lever.effect {
                Effect::IcuBeds(b) => {
                    let extra =
                        (b.beds - prep.icu_non_covid_patients - cal.capacity.icu_scaled).max(0.0);
                    extra * b.cost_per_extra_bed + extra * b.cost_per_extra_bed_day * active
                }
                Effect::WardBeds(b) => {
                    let extra = (b.beds - cal.capacity.hospital_scaled).max(0.0);
                    extra * b.cost_per_extra_bed + extra * b.cost_per_extra_bed_day * active
                }
                Effect::HomeCare {
                    eligible_share,
                    cost_per_patient,
                    ..
                } => {
                    let ward_admissions: f64 = (lead..DAYS)
                        .map(|d| t.admissions().row(d).sum() - t.icu_admissions().row(d).sum())
                        .sum();
                    cost_per_patient * eligible_share * ward_admissions
                }
                Effect::Testing {
                    extra_tests_per_day,
                    cost_per_test,
                    ..
                } => extra_tests_per_day * cost_per_test * active,
                Effect::Vaccination {
                    extra_doses_per_day,
                    cost_per_dose,
                    ..
                } => extra_doses_per_day * cost_per_dose * active,
            };
        let got = total(&t, "preparedness_cost");
        assert!(
            (got - expected).abs() <= 1e-9 * expected.max(1.0),
            "{}: {got} vs {expected}",
            lever.name
        );
    }
    // The 2,400 step on the defaults by hand: 700 beds x EUR 100,000 + 700 x EUR 500 x 99 days.
    let t = run(&["icu_opschaling_2400"]);
    assert_eq!(total(&t, "preparedness_cost"), 70e6 + 700.0 * 500.0 * 99.0);
}

#[test]
fn displaced_care_counts_the_empty_opened_beds() {
    let t = run(&["icu_opschaling_2400"]);
    let rec = t.preparedness.as_ref().unwrap();
    let icu = t.stock(&c::ICU);
    let mut expected = 0.0;
    for d in 21..DAYS {
        let occupancy = icu.row(d).sum();
        let extra = 700.0;
        // An empty ICU bed-day displaces 0.671 operations of 1.049 QALY each (society.postponed_care).
        expected += 0.671 * 1.049 * (extra - (occupancy - 1150.0).clamp(0.0, extra));
    }
    let got = total(&t, "postponed_care_qalys_lost_to_scale_up");
    assert!(
        (got - expected).abs() <= 1e-9 * expected,
        "{got} vs {expected}"
    );
    assert_eq!(rec.icu_capacity[20], 1150.0);
    assert_eq!(rec.icu_capacity[21], 1850.0);
}

#[test]
fn the_valuation_prices_the_cost_and_only_its_weight_changes_it() {
    let cal = Calibration::netherlands();
    let t = run(&["icu_opschaling_2400", "zorg_thuis"]);
    let imp = t.impacts.as_ref().unwrap();
    let val = Valuation::netherlands();
    let base = val.monetise(imp, &cal).unwrap();
    let line = |m: &afweging::decision::valuation::Monetisation, name: &str| {
        m.lines
            .iter()
            .find(|l| l.indicator == name)
            .unwrap()
            .clone()
    };
    let cost = line(&base, "preparedness_cost");
    assert_eq!(cost.eur, total(&t, "preparedness_cost"));
    let changed = val
        .with_values(&BTreeMap::from([(
            "preparedness_cost_weight".to_string(),
            0.5,
        )]))
        .unwrap()
        .monetise(imp, &cal)
        .unwrap();
    for (a, b) in base.lines.iter().zip(&changed.lines) {
        if a.indicator == "preparedness_cost" {
            assert_eq!(b.eur, 0.5 * a.eur);
        } else {
            assert_eq!(a.eur, b.eur, "{}", a.indicator);
        }
    }
    // Postponed care (with the displaced care in it) is priced at the medium QALY value.
    let care = line(&base, "postponed_care_qalys_lost");
    assert_eq!(care.quantity, total(&t, "postponed_care_qalys_lost"));
}

#[test]
fn levers_in_a_trigger_policy_are_ordered_when_their_level_is_reached() {
    let cal = Calibration::netherlands();
    let plans = SectorPlans::netherlands();
    let mut p = plans.policy("signal-values").unwrap();
    for level in p.levels.iter_mut().skip(2) {
        level.package.general.push("icu_opschaling_2400".into());
    }
    let model = Model::new(cal.clone(), Scenario::preset("ongunstig").unwrap()).unwrap();
    let t = afweging::run::with_policy(&model, &plans, &Policy::Trigger(p), DAYS).unwrap();
    let rec = t.preparedness.as_ref().unwrap();
    let record = t.policy.as_ref().unwrap();
    for (d, s) in rec.state.iter().enumerate() {
        assert_eq!(s[0] != 0, record.level[d] >= 2, "day {d}");
    }
}

#[test]
fn bad_levers_name_the_field_and_value() {
    let plans = SectorPlans::netherlands();
    let err = plans
        .package(package(&["icu_opschaling_9999"]))
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("package.general[0]: unknown general measure or preparedness lever")
            && text.contains("icu_opschaling_2400")
            && text.contains("got \"icu_opschaling_9999\""),
        "{text}"
    );
    let mut json: serde_json::Value = serde_json::from_str(&plans.to_json_string()).unwrap();
    json["preparedness"]["levers"][0]["lead_time_days"] = serde_json::json!(-5);
    json["preparedness"]["levers"][4]["effect"]["eligible_share"] = serde_json::json!(1.5);
    let err = SectorPlans::from_json_str(&json.to_string()).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("plans.preparedness.levers[0].lead_time_days: must be >= 0, got -5"),
        "{text}"
    );
    assert!(
        text.contains(
            "plans.preparedness.levers[4].effect.eligible_share: must be between 0 and 1, got 1.5"
        ),
        "{text}"
    );
    json["preparedness"]["levers"][0]["effect"]["kind"] = serde_json::json!("field_hospital");
    let err = SectorPlans::from_json_str(&json.to_string()).unwrap_err();
    assert!(err.to_string().contains("field_hospital"), "{err}");
}

#[test]
fn every_preparedness_figure_has_a_source() {
    let text = include_str!("../data/netherlands/preparedness.json");
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    let prep = SectorPlans::netherlands().preparedness.unwrap();
    let mut data = value.clone();
    data.as_object_mut().unwrap().remove("sources");
    for path in afweging::inputs::source::numeric_paths(&data) {
        let s = afweging::inputs::source::source_for(&prep.sources, &path)
            .unwrap_or_else(|| panic!("{path} has no source"));
        assert!(
            s.year.is_some() || s.assumption,
            "{path}: year or assumption"
        );
    }
}
