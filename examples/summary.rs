//! Prints the virus-spread dimension of every preset for one year: `cargo run --release --example summary`.
use afweging::{Calibration, Model, Scenario};

fn main() -> afweging::Result<()> {
    for name in Scenario::preset_names() {
        let model = Model::new(Calibration::netherlands(), Scenario::preset(&name)?)?;
        let run = model.run(365)?;
        let v = run.virus_spread();
        println!(
            "{name:>15}: beta0 {:.4} r {:+.3}/day infections {:>10.0} admissions {:>8.0} icu {:>6.0} deaths {:>7.0} peak hosp {:>6.0} (day {}) peak icu {:>5.0} (day {})",
            model.beta0(), model.growth_rate(), v.total_infections, v.total_admissions, v.total_icu_admissions,
            v.total_deaths, v.peak_hospital_occupancy, v.peak_hospital_day, v.peak_icu_occupancy, v.peak_icu_day
        );
    }
    Ok(())
}
