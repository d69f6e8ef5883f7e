//! Repeats one 365-day run of the central preset N times (default 500) and prints the mean time;
//! for profilers (`perf record`, `valgrind --tool=callgrind`), not a benchmark.
use afweging::{Calibration, Model, Scenario};
fn main() {
    let n: u32 = std::env::args().nth(1).map_or(500, |a| a.parse().unwrap());
    let model = Model::new(
        Calibration::netherlands(),
        Scenario::preset("centraal").unwrap(),
    )
    .unwrap();
    let t = std::time::Instant::now();
    let mut total = 0.0;
    for _ in 0..n {
        total += model.run(365).unwrap().virus_spread().total_deaths;
    }
    println!(
        "{:?} per run (deaths {})",
        t.elapsed() / n,
        total / n as f64
    );
}
