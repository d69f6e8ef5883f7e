//! Runs one summary sweep of N draws (default 500) of the default Dutch uncertainty under the
//! `signal-values` policy on one thread and prints the time per run; for profilers
//! (`perf record`, `valgrind --tool=callgrind`), not a benchmark (that is
//! `benches/python/bench_sweep.py`).
use afweging::measures::policy::Policy;
use afweging::sweep::{Mode, NamedPolicy, NamedScenario, Progress, Sweep};
use afweging::{Calibration, Scenario, SectorPlans, Uncertainty};

/// The allocator of the Python extension, so that the profile is the one a sweep from Python has.
/// (With the `python` feature the library declares it itself.)
#[cfg(not(feature = "python"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let n: usize = std::env::args().nth(1).map_or(500, |a| a.parse().unwrap());
    let plans = SectorPlans::netherlands();
    let trigger = plans.policy("signal-values").unwrap();
    let sweep = Sweep {
        calibration: Calibration::netherlands(),
        scenarios: vec![NamedScenario {
            name: "centraal".into(),
            scenario: Scenario::preset("centraal").unwrap(),
        }],
        policies: vec![NamedPolicy {
            name: "signal-values".into(),
            plans: Some(plans),
            policy: Some(Policy::Trigger(trigger)),
        }],
        uncertainty: Uncertainty::netherlands(),
        draws: n,
        seed: 7,
        days: 365,
        mode: Mode::Summary,
    };
    let t = std::time::Instant::now();
    sweep.run(0..n, 1, &Progress::new()).unwrap();
    let per_run = t.elapsed().as_secs_f64() / n as f64;
    println!("{n} runs on one thread: {:.3} ms per run", per_run * 1e3);
}
