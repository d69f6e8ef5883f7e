//! Criterion benchmarks of the engine: one 365-day run on the default Dutch calibration.
use criterion::{criterion_group, criterion_main, Criterion};

use afweging::{Calibration, Model, Scenario};

fn one_year(c: &mut Criterion) {
    let model = Model::new(
        Calibration::netherlands(),
        Scenario::preset("centraal").unwrap(),
    )
    .unwrap();
    c.bench_function("run_365_days_centraal", |b| {
        b.iter(|| model.run(std::hint::black_box(365)).unwrap())
    });
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
