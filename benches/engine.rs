//! Criterion benchmarks of the engine: one 365-day run on the default Dutch calibration, without
//! measures, under a static package and under the signal-value trigger policy; the same run with
//! the 25 safety regions (national and regional trigger policy); a dated year of the Dutch
//! timeline from 2020-03-01 with its impacts and, apart, its economy by day (computed when read).
use criterion::{criterion_group, criterion_main, Criterion};

use afweging::measures::policy::Policy;
use afweging::{Calibration, Model, Package, Scenario, SectorPlans};

fn one_year(c: &mut Criterion) {
    let model = Model::new(
        Calibration::netherlands(),
        Scenario::preset("centraal").unwrap(),
    )
    .unwrap();
    c.bench_function("run_365_days_centraal", |b| {
        b.iter(|| model.run(std::hint::black_box(365)).unwrap())
    });
    let mut uncoupled = Scenario::preset("centraal").unwrap();
    uncoupled.behaviour = None;
    let uncoupled = Model::new(Calibration::netherlands(), uncoupled).unwrap();
    c.bench_function("run_365_days_centraal_without_behaviour", |b| {
        b.iter(|| uncoupled.run(std::hint::black_box(365)).unwrap())
    });
    let plans = SectorPlans::netherlands();
    let mut package = Package::default();
    package.rungs.insert("horeca".into(), 2);
    let static_policy = Policy::Package(package);
    c.bench_function("run_365_days_centraal_static_package", |b| {
        b.iter(|| {
            afweging::run::with_policy(&model, &plans, &static_policy, std::hint::black_box(365))
                .unwrap()
        })
    });
    let trigger = plans.policy("signal-values").unwrap();
    let trigger = Policy::Trigger(trigger);
    c.bench_function("run_365_days_centraal_signal_values", |b| {
        b.iter(|| {
            afweging::run::with_policy(&model, &plans, &trigger, std::hint::black_box(365)).unwrap()
        })
    });
    let cal = Calibration::netherlands();
    let traj = afweging::run::with_policy(&model, &plans, &trigger, 365).unwrap();
    c.bench_function("impacts_365_days_centraal_signal_values", |b| {
        b.iter(|| afweging::impacts::compute(&cal, std::hint::black_box(&traj)).unwrap())
    });
    // A dated year of the real timeline: the run, its impacts (what every run computes) and the
    // economy by day (computed only when `run.impacts.economy` is read).
    let plans_tl = SectorPlans::netherlands();
    let timeline = afweging::Timeline::netherlands();
    let dated = Model::new(
        Calibration::netherlands(),
        Scenario::preset("centraal")
            .unwrap()
            .starting_on("2020-03-01".parse().unwrap()),
    )
    .unwrap();
    let year = || afweging::run::with_timeline(&dated, &plans_tl, &timeline, None, 365).unwrap();
    c.bench_function("run_365_days_timeline_2020", |b| b.iter(year));
    let run = year();
    c.bench_function("impacts_365_days_timeline_2020", |b| {
        b.iter(|| afweging::impacts::compute(&cal, std::hint::black_box(&run)).unwrap())
    });
    c.bench_function("economy_by_day_365_days_timeline_2020", |b| {
        b.iter(|| afweging::impacts::economy_by_day(&cal, std::hint::black_box(&run)).unwrap())
    });
    let regional = Model::new(
        Calibration::netherlands_regions(),
        Scenario::preset("centraal").unwrap(),
    )
    .unwrap();
    c.bench_function("run_365_days_centraal_25_regions", |b| {
        b.iter(|| regional.run(std::hint::black_box(365)).unwrap())
    });
    let mut regional_trigger = plans.policy("signal-values").unwrap();
    regional_trigger.regional = true;
    let regional_trigger = Policy::Trigger(regional_trigger);
    c.bench_function(
        "run_365_days_centraal_25_regions_signal_values_regional",
        |b| {
            b.iter(|| {
                afweging::run::with_policy(
                    &regional,
                    &plans,
                    &regional_trigger,
                    std::hint::black_box(365),
                )
                .unwrap()
            })
        },
    );
    c.bench_function("model_new_centraal", |b| {
        b.iter(|| {
            Model::new(
                Calibration::netherlands(),
                Scenario::preset("centraal").unwrap(),
            )
            .unwrap()
        })
    });
}

criterion_group!(benches, one_year);
criterion_main!(benches);
