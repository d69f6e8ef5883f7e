//! Sequential decision trees (src/decision/sequential.rs): a two-stage toy tree whose value of
//! waiting follows from Bayes' rule by hand, the one-stage case against today's decision tree,
//! determinism and bad inputs.

use afweging::decision::sequential::{one_stage, solve, Problem};
use afweging::decision::tree::{decision_tree, Orientation};
use afweging::Error;
use ndarray::{array, Array2, Array3};

/// Prior of the bad state, accuracy of the signal (P(s = state)).
const P: f64 = 0.3;
const Q: f64 = 0.8;

/// Losses of the four paths (act now / wait, then strict / mild) in state 0 and state 1.
const LOSS: [[f64; 2]; 4] = [[10.0, 12.0], [6.0, 30.0], [11.0, 16.0], [2.0, 40.0]];

/// Draws with exactly the toy's frequencies (100 per block: 30 bad, of which 24 signal bad; 70
/// good, of which 14 signal bad), each repeated twice in a row so that the two halves of the
/// cross-fit (even and odd draws) see the same frequencies. The signal is source `source`.
fn toy(source: usize) -> Problem {
    let mut cases = Vec::new();
    for (state, signal, count) in [(1, 1, 24), (1, 0, 6), (0, 1, 14), (0, 0, 56)] {
        for _ in 0..count {
            cases.push((state, signal));
            cases.push((state, signal));
        }
    }
    let draws = cases.len();
    let loss = Array2::from_shape_fn((draws, 4), |(d, path)| LOSS[path][cases[d].0]);
    let stage2 = Array3::from_shape_fn((draws, 2, 1), |(d, _, _)| cases[d].1 as f64);
    Problem {
        options: vec![2, 2],
        feasible: vec![true; 4],
        loss,
        features: vec![Array3::zeros((draws, 1, 0)), stage2],
        sources: vec![vec![], vec![source]],
        weights: vec![1.0 / draws as f64; draws],
    }
}

/// The toy by hand: Bayes' rule for the posterior, then backward induction.
fn by_hand() -> (f64, f64) {
    let p_s1 = P * Q + (1.0 - P) * (1.0 - Q);
    let post = [P * (1.0 - Q) / (1.0 - p_s1), P * Q / p_s1]; // P(bad | s = 0), P(bad | s = 1)
    let expect = |path: usize, bad: f64| (1.0 - bad) * LOSS[path][0] + bad * LOSS[path][1];
    let stage1 = |a: usize| {
        let best = |bad: f64| expect(2 * a, bad).min(expect(2 * a + 1, bad));
        (1.0 - p_s1) * best(post[0]) + p_s1 * best(post[1])
    };
    let sequential = stage1(0).min(stage1(1));
    let commit = (0..4)
        .map(|path| expect(path, P))
        .fold(f64::INFINITY, f64::min);
    (sequential, commit)
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1.0)
}

#[test]
fn two_stage_toy_has_the_value_of_waiting_of_bayes_rule() {
    let (sequential, commit) = by_hand();
    // The hand values, so that the test cannot pass on a toy without a decision to make.
    assert!((commit - 10.6).abs() < 1e-12);
    assert!(commit - sequential > 1.0, "{sequential} {commit}");
    let s = solve(&toy(0), 1).unwrap();
    assert!(
        rel(s.sequential.value, sequential) < 1e-12,
        "{:?}",
        s.sequential
    );
    assert!(
        rel(s.commit_now.value, commit) < 1e-12,
        "{:?}",
        s.commit_now
    );
    assert!(rel(s.value_of_waiting.value, commit - sequential) < 1e-12);
    assert!(s.value_of_waiting.low <= s.value_of_waiting.value);
    assert!(s.value_of_waiting.value <= s.value_of_waiting.high);
    // Waiting, then strict on a bad signal and mild on a good one.
    assert!(s.chosen.rows().into_iter().all(|r| r[0] == 1));
    // The fixed strategies are the one-stage tree over the four paths.
    let e = &s.strategies.expected;
    for (path, l) in LOSS.iter().enumerate() {
        assert!(rel(e[path], (1.0 - P) * l[0] + P * l[1]) < 1e-12);
    }
}

#[test]
fn evsi_of_the_signal_is_the_value_of_waiting_when_nothing_else_is_seen() {
    let (sequential, commit) = by_hand();
    let s = solve(&toy(1), 7).unwrap();
    assert_eq!(s.evsi.len(), 1);
    assert!(
        rel(s.evsi[0].value, commit - sequential) < 1e-12,
        "{:?}",
        s.evsi
    );
    assert!(s.evsi[0].low <= s.evsi[0].value && s.evsi[0].value <= s.evsi[0].high);
}

#[test]
fn a_signal_of_no_accuracy_has_no_value() {
    // Q = 0.5: the signal is independent of the state (equal counts per state), so the
    // sequential strategy is the best fixed path and waiting is worth nothing.
    let mut p = toy(1);
    let draws = p.weights.len();
    for d in 0..draws {
        let signal = ((d / 2) % 2) as f64; // alternating, in both states alike
        p.features[1][(d, 0, 0)] = signal;
        p.features[1][(d, 1, 0)] = signal;
    }
    let s = solve(&p, 3).unwrap();
    assert!(
        s.value_of_waiting.value.abs() < 1e-9,
        "{:?}",
        s.value_of_waiting
    );
    assert!(s.evsi[0].value.abs() < 1e-9);
}

#[test]
fn the_one_stage_case_is_todays_decision_tree() {
    let values = array![
        [12.0, 30.0, 55.0, 7.5],
        [15.0, 22.0, 41.0, 9.0],
        [20.0, 21.0, 30.0, 16.0]
    ];
    let probabilities = [0.4, 0.3, 0.2, 0.1];
    let tree = decision_tree(values.view(), &probabilities, Orientation::Cost).unwrap();
    let s = solve(&one_stage(values.view(), &probabilities), 0).unwrap();
    assert_eq!(s.strategies, tree);
    assert_eq!(s.paths, vec![0, 1, 2]);
    assert_eq!(s.sequential.value, tree.expected[tree.best]);
    assert_eq!(s.commit_now.value, tree.expected[tree.best]);
    assert_eq!(s.value_of_waiting.value, 0.0);
    assert!(s.chosen.iter().all(|&a| a == tree.best));
}

#[test]
fn same_seed_same_solution() {
    let p = toy(1);
    assert_eq!(solve(&p, 11).unwrap(), solve(&p, 11).unwrap());
    let (a, b) = (solve(&p, 11).unwrap(), solve(&p, 12).unwrap());
    assert_eq!(a.sequential.value, b.sequential.value);
    assert_ne!(a.value_of_waiting.low, b.value_of_waiting.low);
}

#[test]
fn infeasible_paths_are_never_taken() {
    // Forbid "wait, then mild" (path 3): the rule must pick strict after waiting, or act now.
    let mut p = toy(0);
    p.feasible[3] = false;
    p.loss.column_mut(3).fill(f64::NAN); // never read
    let s = solve(&p, 1).unwrap();
    assert_eq!(s.paths, vec![0, 1, 2]);
    assert!(s
        .chosen
        .rows()
        .into_iter()
        .all(|r| !(r[0] == 1 && r[1] == 1)));
    // By hand: after waiting only strict remains, so E = 12.5 > acting now then adapting.
    let p_s1 = P * Q + (1.0 - P) * (1.0 - Q);
    let post = [P * (1.0 - Q) / (1.0 - p_s1), P * Q / p_s1];
    let expect = |path: usize, bad: f64| (1.0 - bad) * LOSS[path][0] + bad * LOSS[path][1];
    let act = (1.0 - p_s1) * expect(0, post[0]).min(expect(1, post[0]))
        + p_s1 * expect(0, post[1]).min(expect(1, post[1]));
    assert!(rel(s.sequential.value, act.min(expect(2, P))) < 1e-12);
}

fn fields(e: Error) -> Vec<String> {
    e.field_errors().into_iter().map(|f| f.field).collect()
}

#[test]
fn bad_inputs_name_the_field() {
    let mut p = toy(0);
    p.loss[(3, 1)] = f64::NAN;
    assert_eq!(fields(solve(&p, 0).unwrap_err()), vec!["loss[3][1]"]);

    let mut p = toy(0);
    p.feasible = vec![false; 4];
    assert_eq!(fields(solve(&p, 0).unwrap_err()), vec!["feasible"]);

    let mut p = toy(0);
    p.features[1] = Array3::zeros((p.weights.len(), 1, 1));
    assert_eq!(fields(solve(&p, 0).unwrap_err()), vec!["features[1]"]);

    let mut p = toy(0);
    p.weights[0] = 0.5;
    assert_eq!(fields(solve(&p, 0).unwrap_err()), vec!["weights"]);

    let mut p = toy(0);
    p.options = vec![2, 0];
    assert_eq!(fields(solve(&p, 0).unwrap_err()), vec!["options[1]"]);

    let mut p = toy(0);
    p.features[1][(5, 1, 0)] = f64::INFINITY;
    assert_eq!(
        fields(solve(&p, 0).unwrap_err()),
        vec!["features[1][5][1][0]"]
    );
}

#[test]
fn collinear_and_constant_features_change_nothing() {
    // The signal twice and a constant column: the same rules as the signal alone.
    let p = toy(0);
    let mut q = p.clone();
    let draws = p.weights.len();
    q.features[1] = Array3::from_shape_fn((draws, 2, 3), |(d, prefix, j)| match j {
        0 | 1 => p.features[1][(d, prefix, 0)],
        _ => 5.0,
    });
    q.sources[1] = vec![0, 0, 0];
    let (a, b) = (solve(&p, 1).unwrap(), solve(&q, 1).unwrap());
    assert_eq!(a.chosen, b.chosen);
    assert!(rel(a.sequential.value, b.sequential.value) < 1e-12);
}

mod branches {
    use afweging::decision::sequential::{branches, BranchInputs};
    use afweging::grid::Progress;
    use afweging::measures::timeline::Timeline;
    use afweging::{Calibration, Scenario, Uncertainty, Valuation};
    use chrono::NaiveDate;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The recorded timeline until 2020-10-01, then the package of `entry` from that day.
    fn path(entry: usize) -> Timeline {
        let mut tl = Timeline::netherlands();
        let mut chosen = tl.entries[entry].clone();
        tl.entries.retain(|e| e.date < date("2020-10-01"));
        chosen.date = date("2020-10-01");
        chosen.announced = None;
        tl.entries.push(chosen);
        tl
    }

    #[test]
    fn branches_share_their_past_and_differ_after_the_choice() {
        let cal = Calibration::netherlands();
        let sc = Scenario::preset("centraal")
            .unwrap()
            .starting_on(date("2020-09-01"));
        let (u, v) = (Uncertainty::netherlands(), Valuation::netherlands());
        let inputs = BranchInputs {
            calibration: &cal,
            scenario: &sc,
            uncertainty: &u,
            seed: 5,
            draws: 3,
            plans: &afweging::SectorPlans::netherlands(),
            valuation: &v,
            days: 61,
            observed_days: 45,
        };
        let timelines = [path(10), path(18)]; // August's package vs the December lockdown
        let b = branches(&inputs, &timelines, 2, &Progress::new()).unwrap();
        assert_eq!(b.loss.dim(), (3, 2));
        assert_eq!(b.admissions.dim(), (3, 2, 45));
        assert!(b.loss.iter().all(|l| l.is_finite() && *l > 0.0));
        assert!(b.population > 1.7e7 && b.population < 1.8e7);
        for d in 0..3 {
            // 30 days before the choice: bit for bit the same run.
            for t in 0..30 {
                assert_eq!(b.admissions[(d, 0, t)], b.admissions[(d, 1, t)]);
                assert_eq!(b.infections[(d, 0, t)], b.infections[(d, 1, t)]);
            }
            // A lockdown lowers infections within two weeks, and the losses differ.
            assert!(b.infections[(d, 1, 44)] < b.infections[(d, 0, 44)]);
            assert_ne!(b.loss[(d, 0)], b.loss[(d, 1)]);
        }
        // The draws differ (the uncertainty acts) and the same seed gives the same branches.
        assert_ne!(b.loss[(0, 0)], b.loss[(1, 0)]);
        assert_eq!(
            b,
            branches(&inputs, &timelines, 1, &Progress::new()).unwrap()
        );
        let bad = BranchInputs {
            observed_days: 62,
            ..inputs
        };
        let e = branches(&bad, &timelines, 1, &Progress::new()).unwrap_err();
        assert_eq!(e.field_errors()[0].field, "observed_days");
    }
}
