//! The one executor for every batch of runs: a batch gives, in order, what each of its items gives
//! alone, whatever the number of threads; the error is that of the first failing item.

use afweging::grid::{self, Progress};
use afweging::measures::policy::Policy;
use afweging::sweep::Sweep;
use afweging::uncertainty::Uncertainty;

mod common;
use afweging::{Calibration, Model, Package, Scenario, SectorPlans};

fn models() -> Vec<Model> {
    ["centraal", "ongunstig"]
        .iter()
        .map(|n| Model::new(Calibration::netherlands(), Scenario::preset(n).unwrap()).unwrap())
        .collect()
}

fn policies(plans: &SectorPlans) -> Vec<Policy> {
    let mut package = Package::default();
    package.rungs.insert("horeca".into(), 2);
    vec![
        Policy::Trigger(plans.policy("signal-values").unwrap()),
        Policy::Package(package),
    ]
}

#[test]
fn a_batch_of_runs_is_each_run_alone_in_job_order() {
    let (models, plans) = (models(), SectorPlans::netherlands());
    let policies = policies(&plans);
    let mut jobs: Vec<grid::Job<'_>> = Vec::new();
    for policy in policies.iter().map(Some).chain([None]) {
        for model in &models {
            jobs.push((model, policy.map(|p| (&plans, p))));
        }
    }
    let days = 90;
    let alone: Vec<_> = jobs
        .iter()
        .map(|&(model, policy)| {
            let run = match policy {
                Some((plans, policy)) => afweging::run::with_policy(model, plans, policy, days),
                None => model.run(days),
            }
            .unwrap();
            afweging::impacts::outcome(model.calibration(), run).unwrap()
        })
        .collect();
    for threads in [1, 2, 3] {
        let progress = Progress::new();
        let batch = grid::runs(&jobs, days, threads, &progress).unwrap();
        assert_eq!(batch, alone, "{threads} threads");
        assert_eq!(progress.done(), jobs.len());
    }
    // The first failing job in order: a run of 0 days fails for every job alike, and the batch
    // says what the first job alone says.
    let first = models[0].run(0).unwrap_err();
    let batch = grid::runs(&jobs, 0, 2, &Progress::new()).unwrap_err();
    assert_eq!(batch.to_string(), first.to_string());
}

fn fixed(path: &str, apply: &str, value: f64) -> Uncertainty {
    Uncertainty::from_json_str(
        &serde_json::json!({"parameters": [
            {"path": path, "apply": apply, "distribution": {"type": "fixed", "value": value}}
        ]})
        .to_string(),
    )
    .unwrap()
}

#[test]
fn one_way_rows_are_one_draw_sweeps() {
    let sweep = common::one_scenario_sweep(Some("signal-values"), Uncertainty::none(), 1, 120);
    let rows = vec![
        Uncertainty::none(),
        fixed("scenario.variant.r0", "scale", 0.9),
        fixed("scenario.variant.r0", "scale", 1.1),
        fixed("scenario.seasonality.amplitude", "set", 0.1),
    ];
    let alone: Vec<Vec<f64>> = rows
        .iter()
        .map(|u| {
            let one = Sweep {
                uncertainty: u.clone(),
                ..sweep.clone()
            };
            one.run(0..1, 1, &Progress::new()).unwrap().indicators
        })
        .collect();
    for threads in [1, 2, 4] {
        let progress = Progress::new();
        let batch = sweep.one_way(&rows, threads, &progress).unwrap();
        // Bit for bit (NaN indicators compare equal through their bits).
        let bits = |rows: &[Vec<f64>]| -> Vec<Vec<u64>> {
            rows.iter()
                .map(|r| r.iter().map(|x| x.to_bits()).collect())
                .collect()
        };
        assert_eq!(bits(&batch), bits(&alone), "{threads} threads");
        assert_eq!(progress.done(), rows.len());
    }
    assert!(
        alone[1][4] < alone[0][4] && alone[0][4] < alone[2][4],
        "deaths by r0"
    );
    // The first failing row's error, as its sweep alone gives it.
    let bad = [
        Uncertainty::none(),
        fixed("scenario.variant.r0", "set", -1.0),
        fixed("scenario.variant.severity", "set", -1.0),
    ];
    let first = Sweep {
        uncertainty: bad[1].clone(),
        ..sweep.clone()
    }
    .run(0..1, 1, &Progress::new())
    .unwrap_err();
    let batch = sweep.one_way(&bad, 2, &Progress::new()).unwrap_err();
    assert_eq!(batch.to_string(), first.to_string());
    assert!(batch.to_string().contains("scenario.variant.r0"), "{batch}");
}
