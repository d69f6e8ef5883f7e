//! Criterion benchmarks of a sweep's parts: drawing the parameters, applying them to the inputs,
//! preparing the model, the run under the `signal-values` policy, the indicators, and a whole
//! 20-run sweep on one thread (per-run cost without parallelism).
use criterion::{criterion_group, criterion_main, Criterion};

use afweging::measures::policy::Policy;
use afweging::sweep::{self, Mode, NamedPolicy, NamedScenario, Progress, RunOutput, Sweep};
use afweging::{Calibration, Model, Scenario, SectorPlans, Uncertainty};

/// The allocator of the Python extension, so that the figures are those of a sweep from Python.
/// (With the `python` feature the library declares it itself.)
#[cfg(not(feature = "python"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn parts(c: &mut Criterion) {
    let cal = Calibration::netherlands();
    let sc = Scenario::preset("centraal").unwrap();
    let unc = Uncertainty::netherlands();
    let plans = SectorPlans::netherlands();
    let trigger = Policy::Trigger(plans.policy("signal-values").unwrap());
    let prepared = unc.prepare(&cal, &sc).unwrap();
    let values = unc.draw(7, 3).unwrap();
    c.bench_function("sweep_draw_default_parameters", |b| {
        b.iter(|| unc.draw(7, std::hint::black_box(3)).unwrap())
    });
    c.bench_function("sweep_apply_draw", |b| {
        b.iter(|| prepared.inputs(std::hint::black_box(&values)).unwrap())
    });
    let (dcal, dsc) = prepared.inputs(&values).unwrap();
    c.bench_function("sweep_model_new", |b| {
        b.iter(|| Model::new(dcal.clone(), dsc.clone()).unwrap())
    });
    let model = Model::new(dcal, dsc).unwrap();
    c.bench_function("sweep_run_signal_values", |b| {
        b.iter(|| {
            afweging::run::with_policy(&model, &plans, &trigger, std::hint::black_box(365)).unwrap()
        })
    });
    let trajectory = afweging::run::with_policy(&model, &plans, &trigger, 365).unwrap();
    c.bench_function("sweep_indicators", |b| {
        b.iter(|| {
            let run = RunOutput::new(&model, Some(&plans), std::hint::black_box(&trajectory));
            let mut out = Vec::new();
            sweep::compute_indicators(&run, &mut out);
            out
        })
    });
    let sweep = Sweep {
        calibration: cal.clone(),
        scenarios: vec![NamedScenario {
            name: "centraal".into(),
            scenario: sc.clone(),
        }],
        policies: vec![NamedPolicy {
            name: "signal-values".into(),
            plans: Some(plans.clone()),
            policy: Some(trigger.clone()),
        }],
        uncertainty: unc.clone(),
        draws: 20,
        seed: 7,
        days: 365,
        mode: Mode::Summary,
    };
    let mut group = c.benchmark_group("sweep_whole");
    group.sample_size(10);
    group.bench_function("sweep_20_runs_1_thread", |b| {
        b.iter(|| sweep.run(0..20, 1, &Progress::new()).unwrap())
    });
    group.bench_function("sweep_prepare", |b| b.iter(|| sweep.prepare().unwrap()));
    group.finish();
}

criterion_group!(benches, parts);
criterion_main!(benches);
