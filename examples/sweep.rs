//! Measures the parallel efficiency of a summary sweep: the default Dutch uncertainty drawn per
//! run, `centraal`, the `signal-values` policy, 365 days.
//!
//! `sweep [N] [T] [R]`: N draws (default 500) on T threads (default 1), in R rounds (default 1).
//! Each round first times single runs on one thread (one national 365-day run of `centraal` under
//! `signal-values` with the indicators a sweep computes, the same inputs each time; N / R / T of
//! them, so that they take about as long as the round's sweep), then runs the round's N / R draws
//! (the next range of draws) as a sweep on T threads. Rounds interleave the two measurements, so
//! that a shared machine's changing speed affects both alike. Prints per round and overall:
//! efficiency = (draws x single-run time / T) / sweep time; overall with the median single-run
//! time and the summed sweep times, as the median of the rounds' efficiencies, and with the
//! fastest single run and the fastest round (what the machine gives when nothing slows it).
//!
//! `sweep N T sweep` runs only the sweep and `sweep N 1 single` only the single runs, for
//! profilers (`perf record`, `valgrind --tool=callgrind`). Not a criterion benchmark (that is
//! `benches/sweep.rs`; from Python, `benches/python/bench_sweep.py`).
use std::time::Instant;

use afweging::measures::policy::Policy;
use afweging::sweep::{self, Mode, NamedPolicy, NamedScenario, Progress, RunOutput, Sweep};
use afweging::{Calibration, Model, Scenario, SectorPlans, Uncertainty};

/// The allocator of the Python extension, so that the profile is the one a sweep from Python has.
/// (With the `python` feature the library declares it itself.)
#[cfg(not(feature = "python"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(mut x: Vec<f64>) -> f64 {
    x.sort_by(f64::total_cmp);
    let n = x.len();
    (x[(n - 1) / 2] + x[n / 2]) / 2.0
}

fn main() {
    let arg = |i: usize| std::env::args().nth(i);
    let n: usize = arg(1).map_or(500, |a| a.parse().unwrap());
    let threads: usize = arg(2).map_or(1, |a| a.parse().unwrap());
    let third = arg(3).unwrap_or_default();
    let rounds: usize = third.parse().unwrap_or(1).max(1);
    let plans = SectorPlans::netherlands();
    let trigger = Policy::Trigger(plans.policy("signal-values").unwrap());
    let calibration = Calibration::netherlands();
    let scenario = Scenario::preset("centraal").unwrap();
    let model = Model::new(calibration.clone(), scenario.clone()).unwrap();
    let mut values = Vec::new();
    let mut single = |runs: usize| {
        let t = Instant::now();
        for _ in 0..runs {
            let run = afweging::run::with_policy(&model, &plans, &trigger, 365).unwrap();
            values.clear();
            sweep::compute_indicators(&RunOutput::new(&model, Some(&plans), &run), &mut values);
        }
        t.elapsed().as_secs_f64() / runs.max(1) as f64
    };
    if third == "single" {
        println!("single run with indicators: {:.4} ms", single(n) * 1e3);
        return;
    }
    let sweep = Sweep {
        calibration,
        scenarios: vec![NamedScenario {
            name: "centraal".into(),
            scenario,
        }],
        policies: vec![NamedPolicy {
            name: "signal-values".into(),
            plans: Some(plans.clone()),
            policy: Some(trigger.clone()),
        }],
        uncertainty: Uncertainty::netherlands(),
        draws: n,
        seed: 7,
        days: 365,
        mode: Mode::Summary,
    };
    if third == "sweep" {
        let t = Instant::now();
        sweep.run(0..n, threads, &Progress::new()).unwrap();
        let seconds = t.elapsed().as_secs_f64();
        println!("{n} runs on {threads} thread(s): {seconds:.3} s");
        return;
    }
    single(20); // warm-up
    let (mut singles, mut sweeps, mut efficiencies) = (Vec::new(), Vec::new(), Vec::new());
    for r in 0..rounds {
        let draws = r * n / rounds..(r + 1) * n / rounds;
        let s = single(draws.len().div_ceil(threads));
        let t = Instant::now();
        sweep.run(draws.clone(), threads, &Progress::new()).unwrap();
        let seconds = t.elapsed().as_secs_f64();
        let e = draws.len() as f64 * s / threads as f64 / seconds;
        if rounds > 1 {
            println!(
                "round {r}: single run {:.4} ms, {} draws {seconds:.3} s, efficiency {:.1}%",
                s * 1e3,
                draws.len(),
                100.0 * e
            );
        }
        singles.push(s);
        sweeps.push(seconds);
        efficiencies.push(e);
    }
    let s = median(singles.clone());
    let total: f64 = sweeps.iter().sum();
    let fastest = singles.iter().copied().fold(f64::INFINITY, f64::min);
    let fastest_round = sweeps.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "single run with indicators: median {:.4} ms (range {:.4}-{:.4}); {n} runs on {threads} \
         thread(s): {total:.3} s, {:.4} ms per run; efficiency {:.1}% (median of rounds {:.1}%, \
         fastest {:.1}%)",
        s * 1e3,
        fastest * 1e3,
        singles.iter().copied().fold(0.0, f64::max) * 1e3,
        total / n as f64 * 1e3,
        100.0 * n as f64 * s / threads as f64 / total,
        100.0 * median(efficiencies),
        100.0 * (n / rounds) as f64 * fastest / threads as f64 / fastest_round,
    );
}
