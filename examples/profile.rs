//! Repeats one 365-day run of the central preset N times (default 500) and prints the mean time;
//! for profilers (`perf record`, `valgrind --tool=callgrind`), not a benchmark. With a second
//! argument `signal-values` (or another policy name of the Dutch plans; `none` for none) it runs
//! under that policy; further arguments: `uncoupled` removes the behavioural module, `impacts`
//! also computes each run's impacts (as a sweep does). With `AFWEGING_REGIONS=1` it runs the 25
//! safety regions.
use afweging::measures::policy::Policy;
use afweging::{Calibration, Model, Scenario, SectorPlans};

fn main() {
    let n: u32 = std::env::args().nth(1).map_or(500, |a| a.parse().unwrap());
    let policy_name = std::env::args().nth(2).filter(|p| p != "none");
    let mut scenario = Scenario::preset("centraal").unwrap();
    let flags: Vec<String> = std::env::args().skip(3).collect();
    let with_impacts = flags.iter().any(|f| f == "impacts");
    if flags.iter().any(|f| f == "uncoupled") {
        scenario.behaviour = None;
    }
    let calibration = match std::env::var("AFWEGING_REGIONS").as_deref() {
        Ok("1") => Calibration::netherlands_regions(),
        _ => Calibration::netherlands(),
    };
    let model = Model::new(calibration, scenario).unwrap();
    println!("steps per day {}", model.steps_per_day());
    let plans = SectorPlans::netherlands();
    let policy = policy_name.map(|name| Policy::Trigger(plans.policy(&name).unwrap()));
    let t = std::time::Instant::now();
    let mut total = 0.0;
    for _ in 0..n {
        let run = match &policy {
            None => model.run(365).unwrap(),
            Some(p) => afweging::run::with_policy(&model, &plans, p, 365).unwrap(),
        };
        total += run.virus_spread().total_deaths;
        if with_impacts {
            let impacts = afweging::impacts::compute(model.calibration(), &run).unwrap();
            total += impacts.indicators.len() as f64 * 0.0;
        }
    }
    println!(
        "{:?} per run (deaths {})",
        t.elapsed() / n.max(1),
        total / n.max(1) as f64
    );
}
