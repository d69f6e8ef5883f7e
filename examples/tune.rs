use afweging::{Calibration, Model, Scenario};
fn main() {
    let args: Vec<f64> = std::env::args().skip(2).map(|a| a.parse().unwrap()).collect();
    let name = std::env::args().nth(1).unwrap();
    let mut sc = Scenario::preset(&name).unwrap();
    sc.variant.r0 = args[0];
    sc.variant.immune_escape = args[1];
    sc.immunity.infection_protection = args[2];
    let model = Model::new(Calibration::netherlands(), sc).unwrap();
    let v = model.run(365).unwrap().virus_spread();
    println!("r0 {} esc {} prot {}: AR {:.2} adm {:.0} icu {:.0} deaths {:.0} peak hosp {:.0} d{} peak icu {:.0} d{}", args[0], args[1], args[2], v.attack_rate, v.total_admissions, v.total_icu_admissions, v.total_deaths, v.peak_hospital_occupancy, v.peak_hospital_day, v.peak_icu_occupancy, v.peak_icu_day);
}
