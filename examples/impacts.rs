//! Prints the four dimensions of one run: `cargo run --release --example impacts [scenario] [policy|none]`.
use afweging::{impacts, Calibration, Model, Policy, Scenario, SectorPlans};

fn main() -> afweging::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let scenario = args.get(1).map_or("centraal", String::as_str);
    let policy_name = args.get(2).map_or("signal-values", String::as_str);
    let cal = Calibration::netherlands();
    let model = Model::new(cal.clone(), Scenario::preset(scenario)?)?;
    let plans = SectorPlans::netherlands();
    let traj = if policy_name == "none" {
        model.run(365)?
    } else {
        let p = plans.policy(policy_name)?;
        afweging::run::with_policy(&model, &plans, &Policy::Trigger(p), 365)?
    };
    let result = impacts::compute(&cal, &traj)?;
    for i in &result.indicators {
        println!(
            "{:?} {:<32} {:>16.2} {}",
            i.dimension, i.name, i.total, i.unit
        );
    }
    Ok(())
}
