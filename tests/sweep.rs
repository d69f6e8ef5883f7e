//! Uncertainty and sweeps: draws follow their distributions, are reproducible and independent of
//! threads and chunks; summary and trajectory modes agree; bad input names its field.

use afweging::measures::policy::Policy;
use afweging::sweep::{indicators, Mode, NamedPolicy, NamedScenario, Progress, Sweep, SERIES};
use afweging::uncertainty::{Distribution, Uncertainty};
use afweging::{Calibration, Error, Scenario, SectorPlans};

fn uncertainty(parameters: serde_json::Value) -> afweging::Result<Uncertainty> {
    Uncertainty::from_json_str(&serde_json::json!({ "parameters": parameters }).to_string())
}

fn sweep(draws: usize, days: usize, mode: Mode) -> Sweep {
    let plans = SectorPlans::netherlands();
    let signal_values = plans.policy("signal-values").expect("signal-values policy");
    Sweep {
        calibration: Calibration::netherlands(),
        scenarios: ["centraal", "ongunstig"]
            .iter()
            .map(|n| NamedScenario {
                name: n.to_string(),
                scenario: Scenario::preset(n).unwrap(),
            })
            .collect(),
        policies: vec![
            NamedPolicy {
                name: "none".into(),
                plans: None,
                policy: None,
            },
            NamedPolicy {
                name: "signal-values".into(),
                plans: Some(plans),
                policy: Some(Policy::Trigger(signal_values)),
            },
        ],
        uncertainty: Uncertainty::netherlands(),
        draws,
        seed: 7,
        days,
        mode,
    }
}

fn field_errors(e: Error) -> Vec<(String, String)> {
    e.field_errors()
        .into_iter()
        .map(|f| (f.field, f.message))
        .collect()
}

#[test]
fn draws_follow_their_distributions() {
    let cases = [
        Distribution::Normal { mean: 2.0, sd: 0.5 },
        Distribution::Lognormal {
            mu: 0.1,
            sigma: 0.3,
        },
        Distribution::Beta {
            alpha: 2.0,
            beta: 5.0,
        },
        Distribution::Gamma {
            shape: 3.0,
            scale: 0.5,
        },
        Distribution::Uniform {
            low: -1.0,
            high: 3.0,
        },
        Distribution::Triangular {
            low: 0.0,
            mode: 1.0,
            high: 4.0,
        },
    ];
    let n = 20_000;
    for d in cases {
        let u = uncertainty(serde_json::json!([
            {"path": "scenario.variant.r0", "distribution": d}
        ]))
        .unwrap();
        let xs: Vec<f64> = (0..n).map(|i| u.draw(11, i).unwrap()[0]).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let (m, v) = d.moments();
        // Standard errors of the sample mean and variance; 5 of them is a generous band.
        let se_mean = (v / n as f64).sqrt();
        assert!(
            (mean - m).abs() < 5.0 * se_mean,
            "{}: mean {mean} vs {m}",
            d.describe()
        );
        assert!(
            (var / v - 1.0).abs() < 0.05,
            "{}: variance {var} vs {v}",
            d.describe()
        );
    }
    let fixed = uncertainty(serde_json::json!([
        {"path": "scenario.variant.r0", "distribution": {"type": "fixed", "value": 3.5}}
    ]))
    .unwrap();
    assert_eq!(fixed.draw(1, 99).unwrap(), vec![3.5]);
}

#[test]
fn truncation_keeps_draws_inside_the_bounds() {
    let u = uncertainty(serde_json::json!([{
        "path": "scenario.variant.immune_escape",
        "distribution": {"type": "normal", "mean": 0.3, "sd": 0.3},
        "truncate": {"low": 0.0, "high": 1.0}
    }]))
    .unwrap();
    let xs: Vec<f64> = (0..2000).map(|i| u.draw(3, i).unwrap()[0]).collect();
    assert!(xs.iter().all(|x| (0.0..=1.0).contains(x)));
    assert!(xs.iter().any(|&x| x < 0.05) && xs.iter().any(|&x| x > 0.8));
}

#[test]
fn a_draw_depends_only_on_seed_path_and_index() {
    let u = Uncertainty::netherlands();
    let a = u.draw(7, 12).unwrap();
    assert_eq!(a, u.draw(7, 12).unwrap());
    assert_ne!(a, u.draw(7, 13).unwrap());
    assert_ne!(a, u.draw(8, 12).unwrap());
    // Removing another parameter leaves a parameter's draws as they were.
    let mut fewer = u.clone();
    fewer.parameters.remove(0);
    assert_eq!(&a[1..], &fewer.draw(7, 12).unwrap()[..]);
}

#[test]
fn results_do_not_depend_on_threads_or_chunks() {
    let s = sweep(4, 40, Mode::Summary);
    let one = s.run(0..4, 1, &Progress::new()).unwrap();
    let two = s.run(0..4, 2, &Progress::new()).unwrap();
    let four = s.run(0..4, 4, &Progress::new()).unwrap();
    assert_eq!(one, two);
    assert_eq!(one.indicators, four.indicators);
    // Draws 2..4 run alone equal the same draws within the full range.
    let part = s.run(2..4, 2, &Progress::new()).unwrap();
    let n_ind = indicators().len();
    for p in 0..2 {
        for sc in 0..2 {
            for d in 2..4 {
                let full = ((p * 2 + sc) * 4 + d) * n_ind;
                let piece = ((p * 2 + sc) * 2 + d - 2) * n_ind;
                assert_eq!(
                    one.indicators[full..full + n_ind],
                    part.indicators[piece..piece + n_ind]
                );
            }
        }
    }
    let n_par = s.uncertainty.parameters.len();
    assert_eq!(&one.parameters[2 * n_par..], &part.parameters[..]);
    // The draws change the outcome, and the parameters are shared by the policies (common random
    // numbers): the no-measures run of each draw is the model run with that draw's inputs.
    let deaths = indicators()
        .iter()
        .position(|(_, i)| i.name == "deaths")
        .unwrap();
    let d0 = one.indicators[deaths];
    let d1 = one.indicators[n_ind + deaths];
    assert_ne!(d0, d1);
}

#[test]
fn summary_and_trajectory_modes_agree() {
    let summary = sweep(2, 30, Mode::Summary)
        .run(0..2, 2, &Progress::new())
        .unwrap();
    let traj = sweep(2, 30, Mode::Trajectory)
        .run(0..2, 2, &Progress::new())
        .unwrap();
    assert_eq!(summary.indicators, traj.indicators);
    let series = traj.series.unwrap();
    let n_ind = indicators().len();
    let days = 30;
    let index = |name: &str| {
        indicators()
            .iter()
            .position(|(_, i)| i.name == name)
            .unwrap()
    };
    let series_index = |name: &str| SERIES.iter().position(|i| i.name == name).unwrap();
    for run in 0..(2 * 2 * 2) {
        let row = &series[run * SERIES.len() * days..(run + 1) * SERIES.len() * days];
        let daily = |name: &str| &row[series_index(name) * days..(series_index(name) + 1) * days];
        let ind = |name: &str| summary.indicators[run * n_ind + index(name)];
        let total: f64 = daily("deaths_per_day").iter().sum();
        assert!((total - ind("deaths")).abs() <= 1e-9 * ind("deaths").max(1.0));
        let total: f64 = daily("admissions_per_day").iter().sum();
        assert!((total - ind("admissions")).abs() <= 1e-9 * ind("admissions").max(1.0));
        let peak = daily("icu_occupancy").iter().cloned().fold(0.0, f64::max);
        assert_eq!(peak, ind("peak_icu_occupancy"));
        let mean: f64 = daily("stringency").iter().sum::<f64>() / days as f64;
        assert!((mean - ind("mean_stringency")).abs() < 1e-9);
    }
}

#[test]
fn impact_indicators_are_the_runs_impacts() {
    let mut s = sweep(1, 120, Mode::Summary);
    s.uncertainty = uncertainty(serde_json::json!([])).unwrap();
    let out = s.run(0..1, 2, &Progress::new()).unwrap();
    let all = indicators();
    let n_ind = all.len();
    let mut checked = 0;
    for (si, named) in s.scenarios.iter().enumerate() {
        let model = afweging::Model::new(s.calibration.clone(), named.scenario.clone()).unwrap();
        for (pi, p) in s.policies.iter().enumerate() {
            let traj = match (&p.plans, &p.policy) {
                (Some(plans), Some(pol)) => afweging::run::with_policy(&model, plans, pol, s.days),
                _ => model.run(s.days),
            }
            .unwrap();
            let impacts = afweging::impacts::compute(&s.calibration, &traj).unwrap();
            // (policy, scenario, draw) order, one draw.
            let row = &out.indicators[(pi * s.scenarios.len() + si) * n_ind..][..n_ind];
            for (k, (dimension, ind)) in all.iter().enumerate() {
                if *dimension != "socio_economic" && *dimension != "societal" {
                    continue;
                }
                let expected = impacts.get(ind.name).expect(ind.name);
                assert_eq!(expected.unit, ind.unit, "{}", ind.name);
                assert_eq!(row[k], expected.total, "{}", ind.name);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 4 * 16);
    // Stricter than nothing: the signal-value policy costs value added and learning.
    let va = all
        .iter()
        .position(|(_, i)| i.name == "value_added_lost_to_measures")
        .unwrap();
    assert_eq!(out.indicators[va], 0.0);
    assert!(out.indicators[2 * n_ind + va] > 0.0);

    // Without impact data the impact indicators are NaN, the others are not.
    s.calibration.impacts = None;
    let out = s.run(0..1, 1, &Progress::new()).unwrap();
    for (k, (dimension, ind)) in all.iter().enumerate() {
        let impact = *dimension == "socio_economic" || *dimension == "societal";
        assert_eq!(out.indicators[k].is_nan(), impact, "{}", ind.name);
    }
}

#[test]
fn progress_counts_runs_and_cancel_stops() {
    let s = sweep(2, 10, Mode::Summary);
    let progress = Progress::new();
    s.run(0..2, 1, &progress).unwrap();
    assert_eq!(progress.done(), 2 * 2 * 2);
    let cancelled = Progress::new();
    cancelled.cancel();
    assert!(s.run(0..2, 1, &cancelled).is_err());
}

#[test]
fn bad_uncertainty_names_the_field() {
    let cases: Vec<(serde_json::Value, &str, &str)> = vec![
        (
            serde_json::json!([{"path": "scenario.variant.r0", "distribution": {"type": "normal", "mean": 4, "sd": -1}}]),
            "uncertainty.parameters[0].distribution.sd",
            "must be >= 0",
        ),
        (
            serde_json::json!([{"path": "scenario.variant.r0", "distribution": {"type": "gaussian", "mean": 4, "sd": 1}}]),
            "uncertainty.parameters[0].distribution.type",
            "unknown variant `gaussian`",
        ),
        (
            serde_json::json!([{"path": "model.r0", "distribution": {"type": "fixed", "value": 1}}]),
            "uncertainty.parameters[0].path",
            "must start with",
        ),
        (
            serde_json::json!([{"path": "scenario.variant.r0", "distribution": {"type": "beta", "alpha": 0, "beta": 1}}]),
            "uncertainty.parameters[0].distribution.alpha",
            "must be > 0",
        ),
        (
            serde_json::json!([{"path": "scenario.variant.r0", "distribution": {"type": "triangular", "low": 1, "mode": 5, "high": 3}}]),
            "uncertainty.parameters[0].distribution.mode",
            "must lie between",
        ),
    ];
    for (params, field, message) in cases {
        let errors = field_errors(uncertainty(params.clone()).unwrap_err());
        assert!(
            errors
                .iter()
                .any(|(f, m)| f == field && m.contains(message)),
            "{params}: {errors:?}"
        );
    }
}

#[test]
fn uncertainty_is_checked_against_the_inputs() {
    let cal = Calibration::netherlands();
    let sc = Scenario::preset("centraal").unwrap();
    let prepare = |params: serde_json::Value| {
        field_errors(
            uncertainty(params)
                .and_then(|u| u.prepare(&cal, &sc))
                .unwrap_err(),
        )
    };
    let has = |errors: &[(String, String)], field: &str, message: &str| {
        errors
            .iter()
            .any(|(f, m)| f == field && m.contains(message))
    };
    let e = prepare(
        serde_json::json!([{"path": "scenario.variant.rr0", "distribution": {"type": "fixed", "value": 1}}]),
    );
    assert!(
        has(&e, "uncertainty.parameters[0].path", "no such field"),
        "{e:?}"
    );
    // A beta sets shares only: R0 (4) is not one.
    let e = prepare(
        serde_json::json!([{"path": "scenario.variant.r0", "distribution": {"type": "beta", "alpha": 2, "beta": 2}}]),
    );
    assert!(
        has(&e, "uncertainty.parameters[0].distribution", "not a share"),
        "{e:?}"
    );
    // A normal on a share reaches beyond 1: the model's own rule names the field.
    let e = prepare(
        serde_json::json!([{"path": "scenario.variant.immune_escape", "distribution": {"type": "normal", "mean": 0.3, "sd": 0.2}}]),
    );
    assert!(
        has(&e, "scenario.variant.immune_escape", "reaches -0.7"),
        "{e:?}"
    );
    assert!(e[0].1.contains("must be between 0 and 1"), "{e:?}");
    // A vector must be scaled or indexed; an index beyond the bands does not exist.
    let e = prepare(
        serde_json::json!([{"path": "calibration.severity.p_icu_given_admission", "distribution": {"type": "fixed", "value": 0.1}}]),
    );
    assert!(
        has(&e, "uncertainty.parameters[0].path", "is a vector"),
        "{e:?}"
    );
    let e = prepare(
        serde_json::json!([{"path": "calibration.severity.p_icu_given_admission[9]", "distribution": {"type": "fixed", "value": 0.1}}]),
    );
    assert!(
        has(&e, "uncertainty.parameters[0].path", "no such field"),
        "{e:?}"
    );
    // Whole vectors scale; elements set.
    let u = uncertainty(serde_json::json!([
        {"path": "calibration.severity.p_hospital_given_infection", "apply": "scale",
         "distribution": {"type": "fixed", "value": 2.0}},
        {"path": "calibration.severity.p_icu_given_admission[3]",
         "distribution": {"type": "fixed", "value": 0.15}},
    ]))
    .unwrap();
    let prepared = u.prepare(&cal, &sc).unwrap();
    let (drawn, _) = prepared.inputs(&u.draw(0, 0).unwrap()).unwrap();
    for (a, b) in drawn
        .severity
        .p_hospital_given_infection
        .iter()
        .zip(&cal.severity.p_hospital_given_infection)
    {
        assert_eq!(*a, b * 2.0);
    }
    assert_eq!(drawn.severity.p_icu_given_admission[3], 0.15);
    assert_eq!(drawn.severity.p_icu_given_admission[2], 0.096);
}

#[test]
fn default_uncertainty_is_sourced_and_valid_for_every_preset() {
    let u = Uncertainty::netherlands();
    let cal = Calibration::netherlands();
    for name in Scenario::preset_names() {
        u.prepare(&cal, &Scenario::preset(&name).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    for p in &u.parameters {
        let s = afweging::inputs::source::source_for(&u.sources, &p.path)
            .unwrap_or_else(|| panic!("{} has no source", p.path));
        assert!(s.assumption || s.year.is_some(), "{}", p.path);
    }
    // The sources cover parameters only.
    for key in u.sources.keys() {
        assert!(
            u.paths().contains(key),
            "source for unknown parameter {key}"
        );
    }
    // JSON round trip.
    assert_eq!(Uncertainty::from_json_str(&u.to_json_string()).unwrap(), u);
}

#[test]
fn bad_sweeps_name_the_field() {
    let mut s = sweep(2, 10, Mode::Summary);
    s.draws = 0;
    s.policies[1].name = "none".into();
    let e = field_errors(s.prepare().unwrap_err());
    assert!(e.iter().any(|(f, _)| f == "sweep.draws"), "{e:?}");
    assert!(
        e.iter().any(|(f, _)| f == "sweep.policies[1].name"),
        "{e:?}"
    );
    // An uncertainty path that one scenario lacks is reported with the scenario.
    let mut s = sweep(2, 10, Mode::Summary);
    s.scenarios[0] = NamedScenario {
        name: "gunstig".into(),
        scenario: Scenario::preset("gunstig").unwrap(),
    };
    s.uncertainty = uncertainty(serde_json::json!([
        {"path": "scenario.campaigns[0].doses_per_day", "apply": "scale",
         "distribution": {"type": "uniform", "low": 0.5, "high": 1.5}}
    ]))
    .unwrap();
    let e = field_errors(s.prepare().unwrap_err());
    assert!(
        e.iter()
            .any(|(f, m)| f == "uncertainty.parameters[0].path" && m.contains("\"gunstig\"")),
        "{e:?}"
    );
    // Trajectory mode refuses to hold more daily series than fit in memory.
    let mut s = sweep(100_000_000, 10, Mode::Trajectory);
    s.uncertainty = Uncertainty::none();
    let e = field_errors(s.prepare().unwrap_err());
    assert!(
        e.iter()
            .any(|(f, m)| f == "sweep.mode" && m.contains("summary mode")),
        "{e:?}"
    );
    assert_eq!(afweging::sweep::thread_count(Some(3)).unwrap(), 3);
    assert!(afweging::sweep::thread_count(Some(0)).is_err());
}
