//! Properties of the epidemic engine: conservation, non-negativity, the final-size relation, the
//! early growth rate, R0 from the next-generation matrix, determinism and vaccination rules.

use afweging::epidemic::compartments as c;
use afweging::epidemic::contacts;
use afweging::{Calibration, Model, Scenario, Trajectory};
use proptest::prelude::*;

/// The central preset with vaccination, waning, seasonality and behaviour off, no prior immunity
/// and full protection after recovery: the setting in which classical analytic results hold.
fn plain(r0: f64, prevalence: f64) -> Scenario {
    let mut sc = Scenario::preset("centraal").unwrap();
    sc.behaviour = None;
    let n = 9;
    sc.variant.r0 = r0;
    sc.seasonality.amplitude = 0.0;
    sc.campaigns.clear();
    sc.immunity.waning_days = None;
    sc.immunity.infection_protection = 1.0;
    sc.vaccine.waning_days = None;
    sc.initial.prevalence = Some(prevalence);
    sc.initial.vaccinated = vec![0.0; n];
    sc.initial.recovered = vec![0.0; n];
    sc.initial.waned = vec![0.0; n];
    sc.initial.patients = Default::default();
    sc
}

fn assert_conserved_and_non_negative(run: &Trajectory) {
    let people = run.people();
    let start = people.row(0).to_owned();
    for (t, row) in people.outer_iter().enumerate() {
        for (g, (&now, &then)) in row.iter().zip(start.iter()).enumerate() {
            assert!(
                (now - then).abs() <= 1e-9 * then,
                "people not conserved in group {g} at row {t}: {now} vs {then}"
            );
        }
    }
    assert!(
        run.states.iter().all(|&v| v >= 0.0 && v.is_finite()),
        "negative or non-finite state"
    );
}

#[test]
fn presets_conserve_people_and_stay_non_negative() {
    for name in Scenario::preset_names() {
        let model =
            Model::new(Calibration::netherlands(), Scenario::preset(&name).unwrap()).unwrap();
        assert_conserved_and_non_negative(&model.run(365).unwrap());
    }
}

fn scenario_strategy() -> impl Strategy<Value = (Scenario, Vec<[f64; 4]>)> {
    let shares = prop::collection::vec((0.0..0.4f64, 0.0..0.4f64, 0.0..0.2f64), 9);
    (
        (
            0.3..15.0f64,
            0.3..6.0f64,
            0.5..10.0f64,
            0.05..3.0f64,
            0.0..1.0f64,
        ),
        (
            0.0..0.6f64,
            0.0..0.05f64,
            0.0..1.0f64,
            prop::option::of(20.0..800.0f64),
        ),
        shares,
        (0.0..60.0f64, 0.0..300_000.0f64, 0.0..1.0f64, any::<bool>()),
        prop::collection::vec((0.0..1.5f64, 0.0..1.5f64, 0.0..1.5f64, 0.0..1.5f64), 1..60),
    )
        .prop_map(
            |(
                (r0, latent, infectious, severity, escape),
                (amp, prev, protect, waning),
                shares,
                camp,
                m,
            )| {
                let mut sc = Scenario::preset("zeer_ongunstig").unwrap();
                sc.variant.r0 = r0;
                sc.variant.latent_days = latent;
                sc.variant.infectious_days = infectious;
                sc.variant.severity = severity.min(3.0);
                sc.variant.fatality_ratio = 1.0;
                sc.variant.immune_escape = escape;
                sc.seasonality.amplitude = amp;
                sc.initial.prevalence = Some(prev);
                sc.initial.vaccinated = shares.iter().map(|s| s.0).collect();
                sc.initial.recovered = shares.iter().map(|s| s.1).collect();
                sc.initial.waned = shares.iter().map(|s| s.2).collect();
                sc.immunity.infection_protection = protect;
                sc.immunity.waning_days = waning;
                sc.vaccine.waning_days = waning.map(|w| w / 2.0);
                let (start, doses, uptake, oldest) = camp;
                sc.campaigns[0].start_day = start;
                sc.campaigns[0].doses_per_day = doses;
                sc.campaigns[0].uptake = vec![uptake; 9];
                sc.campaigns[0].priority = if oldest {
                    afweging::inputs::scenario::Priority::OldestFirst
                } else {
                    afweging::inputs::scenario::Priority::Proportional
                };
                // A schedule of contact multipliers, repeated to fill 200 days.
                let schedule: Vec<[f64; 4]> = (0..200)
                    .map(|d| {
                        let x = m[d % m.len()];
                        [x.0, x.1, x.2, x.3]
                    })
                    .collect();
                (sc, schedule)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_inputs_conserve_people_and_stay_non_negative((sc, schedule) in scenario_strategy()) {
        // Severity beyond the symptomatic share is a validation error, not a panic.
        match Model::new(Calibration::netherlands(), sc) {
            Ok(model) => assert_conserved_and_non_negative(&model.run_with_multipliers(&schedule).unwrap()),
            // (The delay to admission must leave time after the variant's latent and infectious
            // stages: a calibration field, checked against the scenario.)
            Err(afweging::Error::Validation(errors)) => prop_assert!(errors.iter().all(|e| e.field.starts_with("scenario.") || e.field == "calibration.stays.infection_to_admission_days")),
            Err(other) => prop_assert!(false, "unexpected error {other}"),
        }
    }
}

/// Final-size relation of the model (no waning, no vaccination, no seasonality, protection 1):
/// for every group a,
///   -ln(S_a(inf)/S_a(0)) = sum_b beta0 sigma_a M_ab / N_b * (1/gamma) *
///       sum_x w_x (pi_xb (S_b(0) - S_b(inf)) + E_xb(0) + I_xb(0)),
/// with pathway weights w = (rho, 1, 1) and pathway shares pi = (p_asym, rest).
#[test]
fn final_size_relation_holds() {
    let cal = Calibration::netherlands();
    let model = Model::new(cal.clone(), plain(2.0, 1e-4)).unwrap();
    let days = 1500;
    let run = model.run(days).unwrap();
    let n = cal.n_ages();
    let settings = contacts::settings(&cal);
    let sc = model.scenario();
    let gamma = 1.0 / sc.variant.infectious_days;
    let rho = cal.asymptomatic_infectiousness;
    let s0: Vec<f64> = (0..n).map(|g| run.states[[0, g, c::S]]).collect();
    let s_end: Vec<f64> = (0..n).map(|g| run.states[[days, g, c::S]]).collect();
    // Infectious-person-days caused per group, weighted by infectiousness.
    let pressure: Vec<f64> = (0..n)
        .map(|b| {
            let st = |k: usize| run.states[[0, b, k]];
            let p_asym = cal.asymptomatic_share[b];
            let new = s0[b] - s_end[b];
            let asym = p_asym * new + st(c::E_ASYM) + st(c::I_ASYM);
            let sympt =
                (1.0 - p_asym) * new + st(c::E_MILD) + st(c::I_MILD) + st(c::E_SEV) + st(c::I_SEV);
            (rho * asym + sympt) / gamma
        })
        .collect();
    for a in 0..n {
        let lhs = -(s_end[a] / s0[a]).ln();
        let rhs: f64 = (0..n)
            .map(|b| {
                let m: f64 = settings.iter().map(|s| s[a * n + b]).sum();
                model.beta0() * cal.relative_susceptibility[a] * m / cal.population[b] * pressure[b]
            })
            .sum();
        assert!((lhs - rhs).abs() <= 1e-6 * rhs, "band {a}: {lhs} vs {rhs}");
        let attack = 1.0 - s_end[a] / s0[a];
        assert!(
            attack > 0.2 && attack < 1.0,
            "band {a}: attack rate {attack}"
        );
    }
}

/// A single homogeneous group obeys the classical relation z = 1 - exp(-R0 z).
#[test]
fn one_group_final_size_is_classical() {
    let mut cal = Calibration::netherlands();
    cal.age_bands = vec!["all".into()];
    cal.population = vec![1e6];
    for m in [
        &mut cal.contacts.home,
        &mut cal.contacts.school,
        &mut cal.contacts.work,
        &mut cal.contacts.community,
    ] {
        *m = vec![vec![3.0]];
    }
    cal.relative_susceptibility = vec![1.0];
    cal.asymptomatic_share = vec![0.0];
    let sev = &mut cal.severity;
    sev.p_hospital_given_infection = vec![0.01];
    sev.p_icu_given_admission = vec![0.1];
    sev.p_death_given_admission = vec![0.1];
    sev.p_death_given_icu = vec![0.3];
    sev.p_death_outside_hospital_given_infection = vec![0.02];
    cal.life_expectancy = vec![40.0];
    cal.impacts = None; // the impact data is for nine age bands
    let mut sc = plain(2.5, 1e-7);
    for v in [
        &mut sc.initial.vaccinated,
        &mut sc.initial.recovered,
        &mut sc.initial.waned,
    ] {
        *v = vec![0.0];
    }
    let model = Model::new(cal, sc).unwrap();
    let run = model.run(2000).unwrap();
    let z = run.virus_spread().attack_rate;
    let mut expected: f64 = 0.9;
    for _ in 0..200 {
        expected = 1.0 - (-2.5 * expected).exp();
    }
    assert!((z - expected).abs() < 1e-6, "{z} vs {expected}");
}

/// The infected subsystem linearised at the disease-free state, x = (E_asym, E_mild, E_sev,
/// I_asym, I_mild, I_sev) per group, split into new infections F and transitions V
/// (van den Driessche & Watmough, Math Biosci 2002). Built here from the calibration, not from
/// the engine's own next-generation code.
fn linearised(model: &Model) -> (Vec<f64>, Vec<f64>, usize) {
    let cal = model.calibration();
    let sc = model.scenario();
    let n = cal.n_ages();
    let dim = 6 * n;
    let settings = contacts::settings(cal);
    let (sigma, gamma) = (
        1.0 / sc.variant.latent_days,
        1.0 / sc.variant.infectious_days,
    );
    let rho = cal.asymptomatic_infectiousness;
    let mut f = vec![0.0; dim * dim];
    let mut v = vec![0.0; dim * dim];
    for a in 0..n {
        let p_sev = (cal.severity.p_hospital_given_infection[a]
            + cal.severity.p_death_outside_hospital_given_infection[a] * sc.variant.fatality_ratio)
            * sc.variant.severity;
        let p_asym = cal.asymptomatic_share[a];
        let shares = [p_asym, 1.0 - p_asym - p_sev, p_sev];
        for b in 0..n {
            let m: f64 = settings.iter().map(|s| s[a * n + b]).sum();
            let rate = model.beta0() * cal.relative_susceptibility[a] * m * cal.population[a]
                / cal.population[b];
            for (x, share) in shares.iter().enumerate() {
                let row = 6 * a + x;
                f[row * dim + 6 * b + 3] = share * rate * rho;
                f[row * dim + 6 * b + 4] = share * rate;
                f[row * dim + 6 * b + 5] = share * rate;
            }
        }
        for x in 0..3 {
            let (e, i) = (6 * a + x, 6 * a + 3 + x);
            v[e * dim + e] = sigma;
            v[i * dim + e] = -sigma;
            v[i * dim + i] = gamma;
        }
    }
    (f, v, dim)
}

/// Perron root of a matrix that is non-negative off the diagonal, by power iteration on M + cI.
fn dominant_eigenvalue(m: &[f64], dim: usize) -> f64 {
    let shift = (0..dim)
        .map(|i| (-m[i * dim + i]).max(0.0))
        .fold(0.0, f64::max)
        + 1.0;
    let mut x = vec![1.0; dim];
    let mut lambda = 0.0;
    for _ in 0..200_000 {
        let y: Vec<f64> = (0..dim)
            .map(|i| shift * x[i] + (0..dim).map(|j| m[i * dim + j] * x[j]).sum::<f64>())
            .collect();
        let norm = y.iter().map(|v| v.abs()).sum::<f64>();
        let next = norm / x.iter().map(|v| v.abs()).sum::<f64>();
        x = y.iter().map(|v| v / norm).collect();
        if (next - lambda).abs() < 1e-15 {
            lambda = next;
            break;
        }
        lambda = next;
    }
    lambda - shift
}

#[test]
fn r0_is_the_spectral_radius_of_f_v_inverse() {
    for name in Scenario::preset_names() {
        let model =
            Model::new(Calibration::netherlands(), Scenario::preset(&name).unwrap()).unwrap();
        let (f, v, dim) = linearised(&model);
        // V is lower block-triangular per pathway; its inverse in closed form:
        // E-diagonal 1/sigma, I-diagonal 1/gamma, I<-E entry 1/gamma.
        let sc = model.scenario();
        let (sigma, gamma) = (
            1.0 / sc.variant.latent_days,
            1.0 / sc.variant.infectious_days,
        );
        let mut v_inv = vec![0.0; dim * dim];
        for a in 0..dim / 6 {
            for x in 0..3 {
                let (e, i) = (6 * a + x, 6 * a + 3 + x);
                v_inv[e * dim + e] = 1.0 / sigma;
                v_inv[i * dim + i] = 1.0 / gamma;
                v_inv[i * dim + e] = 1.0 / gamma;
            }
        }
        // Check V V^-1 = I, then R0 = rho(F V^-1).
        for r in 0..dim {
            for col in 0..dim {
                let prod: f64 = (0..dim)
                    .map(|k| v[r * dim + k] * v_inv[k * dim + col])
                    .sum();
                assert!((prod - if r == col { 1.0 } else { 0.0 }).abs() < 1e-12);
            }
        }
        let fv: Vec<f64> = (0..dim * dim)
            .map(|k| {
                let (r, col) = (k / dim, k % dim);
                (0..dim)
                    .map(|j| f[r * dim + j] * v_inv[j * dim + col])
                    .sum()
            })
            .collect();
        let r0 = dominant_eigenvalue(&fv, dim);
        assert!(
            (r0 - sc.variant.r0).abs() < 1e-9 * sc.variant.r0,
            "{name}: {r0}"
        );
        assert!((model.r0() - sc.variant.r0).abs() < 1e-9 * sc.variant.r0);
    }
}

#[test]
fn early_growth_matches_the_dominant_eigenvalue() {
    let model = Model::new(Calibration::netherlands(), plain(1.8, 1e-10)).unwrap();
    let (f, v, dim) = linearised(&model);
    let jacobian: Vec<f64> = f.iter().zip(&v).map(|(f, v)| f - v).collect();
    let eigen = dominant_eigenvalue(&jacobian, dim);
    assert!(
        (eigen - model.growth_rate()).abs() < 1e-9,
        "{eigen} vs {}",
        model.growth_rate()
    );

    let run = model.run(40).unwrap();
    let infected = |row: usize| -> f64 {
        (0..9)
            .map(|g| {
                (c::E_ASYM..=c::I_SEV)
                    .map(|k| run.states[[row, g, k]])
                    .sum::<f64>()
            })
            .sum()
    };
    let observed = (infected(40) / infected(30)).ln() / 10.0;
    assert!(
        (observed - eigen).abs() < 1e-3 * eigen,
        "observed {observed} vs eigenvalue {eigen}"
    );
}

#[test]
fn runs_are_bit_identical() {
    let model = Model::new(
        Calibration::netherlands(),
        Scenario::preset("ongunstig").unwrap(),
    )
    .unwrap();
    let a = model.run(200).unwrap();
    let b = model.run(200).unwrap();
    assert_eq!(a, b);
}

#[test]
fn vaccination_respects_uptake_capacity_and_priority() {
    let mut sc = plain(1.2, 1e-6);
    sc.campaigns = Scenario::preset("centraal").unwrap().campaigns;
    let camp = sc.campaigns[0].clone();
    let model = Model::new(Calibration::netherlands(), sc).unwrap();
    let run = model.run(200).unwrap();
    let cal = model.calibration();
    let given = run.vaccinations.sum_axis(ndarray::Axis(0));
    for g in 0..9 {
        assert!(given[g] <= camp.uptake[g] * cal.population[g] * (1.0 + 1e-12));
    }
    for (d, row) in run.vaccinations.outer_iter().enumerate() {
        assert!(row.sum() <= camp.doses_per_day * (1.0 + 1e-12));
        if (d as f64) < camp.start_day - 1.0 {
            assert_eq!(row.sum(), 0.0, "doses before the campaign started, day {d}");
        }
        // Oldest first: a band gets doses only when every older band is done.
        for g in 0..8 {
            if row[g] > 0.0 {
                let older_left: f64 = (g + 1..9)
                    .map(|o| camp.uptake[o] * cal.population[o] - run.vaccinations.column(o).sum())
                    .sum();
                assert!(
                    older_left < 1e-6,
                    "band {g} vaccinated on day {d} before older bands"
                );
            }
        }
    }
    // Everyone who accepts is reached in 200 days at 100,000 doses per day.
    let wanted: f64 = (0..9).map(|g| camp.uptake[g] * cal.population[g]).sum();
    assert!((given.sum() - wanted).abs() < 1e-6 * wanted);
}

#[test]
fn fewer_contacts_never_give_more_infections() {
    let model = Model::new(
        Calibration::netherlands(),
        Scenario::preset("centraal").unwrap(),
    )
    .unwrap();
    let mut previous = f64::INFINITY;
    for level in [1.0, 0.8, 0.6, 0.4, 0.2] {
        let schedule = vec![[1.0, level, level, level]; 365];
        let total = model
            .run_with_multipliers(&schedule)
            .unwrap()
            .virus_spread()
            .total_infections;
        assert!(total <= previous, "{level}: {total} > {previous}");
        previous = total;
    }
}

#[test]
fn icu_overflow_raises_deaths() {
    let mut cal = Calibration::netherlands();
    cal.capacity.icu_normal = 100.0;
    cal.capacity.icu_scaled = 200.0;
    let sc = Scenario::preset("zeer_ongunstig").unwrap();
    let with = Model::new(cal.clone(), sc.clone())
        .unwrap()
        .run(365)
        .unwrap()
        .virus_spread();
    cal.severity.p_death_icu_overflow = None;
    let without = Model::new(cal, sc)
        .unwrap()
        .run(365)
        .unwrap()
        .virus_spread();
    assert!(with.days_icu_above_scaled > 0);
    assert!(with.total_deaths > without.total_deaths);
}

/// The default step (fastest rate x step <= 0.5) against 64 steps per day: daily outputs agree
/// to 2e-4 of their peak for every preset (measured: at most 1.0e-4).
#[test]
fn default_step_is_accurate() {
    for name in Scenario::preset_names() {
        let model =
            Model::new(Calibration::netherlands(), Scenario::preset(&name).unwrap()).unwrap();
        let coarse = model.run(365).unwrap();
        let fine = model
            .clone()
            .with_steps_per_day(64)
            .unwrap()
            .run(365)
            .unwrap();
        for (what, a, b) in [
            ("infections", coarse.infections(), fine.infections()),
            ("admissions", coarse.admissions(), fine.admissions()),
            (
                "icu occupancy",
                coarse.icu_occupancy(),
                fine.icu_occupancy(),
            ),
            ("deaths", coarse.deaths(), fine.deaths()),
        ] {
            let peak = b.iter().cloned().fold(0.0, f64::max);
            let worst = (&a - &b).iter().map(|d| d.abs()).fold(0.0, f64::max);
            assert!(
                worst <= 2e-4 * peak,
                "{name} {what}: {worst} vs peak {peak}"
            );
        }
    }
}
