//! Decision analysis: the decision tree over scenarios, opportunity cost, draws, Pareto
//! dominance, MCDA (weighted sum, TOPSIS, PROMETHEE II) and rank acceptability, checked against
//! hand-computed and published worked examples.

use afweging::decision::mcda::{self, mcda, rank_acceptability, Method, Normalisation, Preference};
use afweging::decision::ties::{tied, tied_at, TIE_TOLERANCE};
use afweging::decision::tree::{
    self as decision, acceptability, decision_tree, icers, opportunity_cost, pareto, prob_best,
    trees_from_draws, CeStatus, Direction, Orientation,
};
use afweging::Error;
use ndarray::{array, Array2, Array3};
use proptest::prelude::*;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

fn assert_all_close(got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(close(*g, *w, tol), "element {i}: got {g}, want {w}");
    }
}

fn message(err: Error) -> String {
    err.to_string()
}

/// Three packages over three scenarios (costs in billions of euros, all dimensions monetised):
///
/// | package  | gunstig (0.2) | centraal (0.5) | ongunstig (0.3) |
/// |----------|---------------|----------------|-----------------|
/// | open     | 10            | 40             | 120             |
/// | mild     | 20            | 35             | 70              |
/// | lockdown | 50            | 55             | 60              |
///
/// Expected: open 0.2*10 + 0.5*40 + 0.3*120 = 2 + 20 + 36 = 58; mild 4 + 17.5 + 21 = 42.5;
/// lockdown 10 + 27.5 + 18 = 55.5, so `mild` is best. Best per scenario: open (10), mild (35),
/// lockdown (60). Regret: open (0, 5, 60), mild (10, 0, 10), lockdown (40, 20, 0); maximum
/// regret 60, 10, 40, so `mild` is also the minimax-regret choice. With perfect information the
/// expected cost is 0.2*10 + 0.5*35 + 0.3*60 = 37.5, so EVPI = 42.5 - 37.5 = 5, which is also
/// the smallest expected regret (mild: 0.2*10 + 0 + 0.3*10 = 5).
#[test]
fn decision_tree_hand_computed() {
    let costs = array![[10.0, 40.0, 120.0], [20.0, 35.0, 70.0], [50.0, 55.0, 60.0]];
    let t = decision_tree(costs.view(), &[0.2, 0.5, 0.3], Orientation::Cost).unwrap();
    assert_all_close(&t.expected, &[58.0, 42.5, 55.5], 1e-12);
    assert_eq!(t.best, 1);
    assert_eq!(t.best_tied, vec![1]);
    assert_eq!(t.best_per_scenario, vec![0, 1, 2]);
    assert_eq!(
        t.regret,
        array![[0.0, 5.0, 60.0], [10.0, 0.0, 10.0], [40.0, 20.0, 0.0]]
    );
    assert_eq!(t.max_regret, vec![60.0, 10.0, 40.0]);
    assert_eq!(t.minimax_regret, 1);
    assert_all_close(&t.expected_regret, &[20.5, 5.0, 18.0], 1e-12);
    assert!(close(t.expected_with_perfect_information, 37.5, 1e-12));
    assert!(close(t.evpi, 5.0, 1e-12));
}

/// Where expected value and minimax regret disagree. A: (0, 100), B: (30, 30) with
/// probabilities (0.9, 0.1). Expected: A 0.9*0 + 0.1*100 = 10, B 30: A is best. Regret: A (0, 70),
/// B (30, 0); maximum regret A 70, B 30: minimax regret picks the cautious B.
/// EVPI = 10 - (0.9*0 + 0.1*30) = 7 = A's expected regret 0.1*70.
#[test]
fn minimax_regret_can_differ_from_expected_value() {
    let costs = array![[0.0, 100.0], [30.0, 30.0]];
    let t = decision_tree(costs.view(), &[0.9, 0.1], Orientation::Cost).unwrap();
    assert_eq!(t.best, 0);
    assert_eq!(t.minimax_regret, 1);
    assert_eq!(t.max_regret, vec![70.0, 30.0]);
    assert!(close(t.evpi, 7.0, 1e-12));
}

/// Benefits (say net monetary benefit) with `Orientation::Benefit`: regret is best minus own.
#[test]
fn benefit_orientation() {
    let nmb = array![[5.0, 1.0], [3.0, 4.0]];
    let t = decision_tree(nmb.view(), &[0.5, 0.5], Orientation::Benefit).unwrap();
    // Expected: 3 and 3.5 -> the second is best. Regret: (0, 3), (2, 0).
    assert_all_close(&t.expected, &[3.0, 3.5], 1e-12);
    assert_eq!(t.best, 1);
    assert_eq!(t.regret, array![[0.0, 3.0], [2.0, 0.0]]);
    // With perfect information: 0.5*5 + 0.5*4 = 4.5; EVPI = 4.5 - 3.5 = 1.
    assert!(close(t.expected_with_perfect_information, 4.5, 1e-12));
    assert!(close(t.evpi, 1.0, 1e-12));
}

#[test]
fn ties_name_the_first_alternative_and_list_all() {
    let costs = array![[2.0, 2.0], [1.0, 3.0], [2.0, 2.0]];
    let t = decision_tree(costs.view(), &[0.5, 0.5], Orientation::Cost).unwrap();
    assert_eq!(t.best, 0);
    assert_eq!(t.best_tied, vec![0, 1, 2]);
    // Regret (1, 0), (0, 1), (1, 0): every alternative has maximum regret 1.
    assert_eq!(t.minimax_regret, 0);
    assert_eq!(t.minimax_regret_tied, vec![0, 1, 2]);
    assert_eq!(t.best_per_scenario, vec![1, 0]);
}

#[test]
fn evpi_is_zero_when_one_alternative_is_best_everywhere() {
    let costs = array![[3.0, 9.0, 1.5], [1.0, 2.0, 0.5], [4.0, 2.0, 7.0]];
    let t = decision_tree(costs.view(), &[0.3, 0.3, 0.4], Orientation::Cost).unwrap();
    assert_eq!(t.evpi, 0.0);
    assert_eq!(t.regret.row(1).to_vec(), vec![0.0; 3]);
}

#[test]
fn bad_input_names_the_field_and_the_value() {
    let costs = array![[1.0, 2.0], [3.0, f64::NAN]];
    let e = message(decision_tree(costs.view(), &[0.5, 0.5], Orientation::Cost).unwrap_err());
    assert_eq!(e, "values[1][1]: must be a finite number, got NaN");

    let ok = array![[1.0, 2.0], [3.0, 4.0]];
    let e = message(decision_tree(ok.view(), &[0.5, 0.4], Orientation::Cost).unwrap_err());
    assert_eq!(
        e,
        "probabilities: must add up to 1 (within 1e-9), got sum 0.9"
    );

    let e = message(decision_tree(ok.view(), &[1.5, -0.5], Orientation::Cost).unwrap_err());
    assert!(
        e.contains("probabilities[1]: must be >= 0 (a probability), got -0.5"),
        "{e}"
    );
    assert!(
        e.contains("probabilities[0]: must be <= 1 (a probability), got 1.5"),
        "{e}"
    );

    let e = message(decision_tree(ok.view(), &[1.0], Orientation::Cost).unwrap_err());
    assert_eq!(
        e,
        "probabilities: must have 2 elements (one per scenario), got 1 elements"
    );

    let e = message(Orientation::parse("orientation", "good").unwrap_err());
    assert!(e.starts_with("orientation: must be \"cost\""), "{e}");

    let empty = Array2::<f64>::zeros((0, 2));
    let e = message(decision_tree(empty.view(), &[0.5, 0.5], Orientation::Cost).unwrap_err());
    assert_eq!(
        e,
        "values: must have at least one alternative, got shape (0, 2)"
    );

    // Within the tolerance is fine.
    assert!(decision_tree(ok.view(), &[0.5, 0.5 + 1e-12], Orientation::Cost).is_ok());
}

#[test]
fn a_table_full_of_nan_gives_a_short_message() {
    let costs = Array2::from_elem((10, 10), f64::NAN);
    let Error::Validation(errors) =
        decision_tree(costs.view(), &[0.1; 10], Orientation::Cost).unwrap_err()
    else {
        panic!("not a validation error")
    };
    assert_eq!(errors.len(), 11);
    assert_eq!(errors[10].message, "has 90 more non-finite values");
}

/// Two alternatives, one scenario, two dimensions (health, economy), costs:
/// A (1, 10), B (4, 5). Totals 11 and 9: B is best in total. By dimension, against the best on
/// each dimension: A (0, 5), B (3, 0). Total regret: A 2, B 0. Decomposition of A's total regret
/// against B: (1 - 4, 10 - 5) = (-3, 5), adding up to 2.
#[test]
fn opportunity_cost_per_dimension_and_total() {
    let costs = Array3::from_shape_vec((2, 1, 2), vec![1.0, 10.0, 4.0, 5.0]).unwrap();
    let o = opportunity_cost(costs.view(), Orientation::Cost).unwrap();
    assert_eq!(o.best_total, vec![1]);
    assert_eq!(o.total, array![[2.0], [0.0]]);
    assert_eq!(
        o.by_dimension,
        Array3::from_shape_vec((2, 1, 2), vec![0.0, 5.0, 3.0, 0.0]).unwrap()
    );
    assert_eq!(
        o.decomposition,
        Array3::from_shape_vec((2, 1, 2), vec![-3.0, 5.0, 0.0, 0.0]).unwrap()
    );
    assert_eq!(o.best_by_dimension, array![[0, 1]]);
}

/// Draws: alternative 0 is best in draws 0 and 2, alternative 1 in draw 1, draw 3 is a tie.
/// Probability best: 0: (1 + 1 + 0.5) / 4 = 0.625, 1: (1 + 0.5) / 4 = 0.375.
/// EVPI: mean of the draw minima (1 + 2 + 1 + 3) / 4 = 1.75; means 2.25 and 3.25 -> 2.25 - 1.75.
#[test]
fn probability_best_and_evpi_from_draws() {
    let v =
        Array3::from_shape_vec((1, 2, 4), vec![1.0, 3.0, 1.0, 3.0, 2.0, 2.0, 6.0, 3.0]).unwrap();
    let p = prob_best(v.view(), Orientation::Cost).unwrap();
    assert_eq!(p, array![[0.625, 0.375]]);
    let t = &trees_from_draws(v.view(), Orientation::Cost).unwrap()[0];
    assert_eq!(t.expected, vec![2.0, 3.25]);
    assert!(close(t.evpi, 0.25, 1e-12));
}

/// Net monetary benefit `wtp * effect - cost`; one draw keeps the arithmetic short.
/// Costs (0, 100), effects (0, 2): at wtp 0 the NMBs are (0, -100), at wtp 100 (0, 100).
#[test]
fn acceptability_curve_switches_at_the_icer() {
    let costs = array![[0.0, 0.0], [100.0, 100.0]];
    let effects = array![[0.0, 0.0], [2.0, 1.0]];
    let a = acceptability(costs.view(), effects.view(), &[0.0, 75.0, 200.0]).unwrap();
    // wtp 75: NMB of alternative 1 is 75*2 - 100 = 50 in draw 0 and 75 - 100 = -25 in draw 1.
    assert_eq!(
        a.probability_best,
        array![[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]
    );
    assert_eq!(a.frontier, vec![0, 1, 1]);
    assert_eq!(a.expected_nmb.row(1).to_vec(), vec![0.0, 12.5]);
    // EVPI at 75: E[max] = (50 + 0) / 2 = 25, max E = 12.5 -> 12.5.
    assert!(close(a.evpi[1], 12.5, 1e-12));
}

#[test]
fn pareto_keeps_ties_and_drops_dominated() {
    // Criteria: deaths (cost), value added kept (benefit).
    let m = array![
        [10.0, 5.0],
        [8.0, 5.0],
        [8.0, 5.0],
        [12.0, 9.0],
        [12.0, 4.0]
    ];
    let d = [Direction::Cost, Direction::Benefit];
    let p = pareto(m.view(), &d).unwrap();
    // 0 is dominated by 1 and 2 (fewer deaths, same output); 1 and 2 tie and stay; 3 has the
    // most output; 4 is dominated by 0, 1, 2 and 3.
    assert_eq!(p.efficient, vec![false, true, true, true, false]);
    assert_eq!(p.dominated_by[0], vec![1, 2]);
    assert_eq!(p.dominated_by[4], vec![0, 1, 2, 3]);
    assert!(p.dominated_by[1].is_empty());
}

/// Ewa Roszkowska (2011), "Multi-criteria decision making models by applying the TOPSIS method
/// to crisp and interval data", Multiple Criteria Decision Making (University of Economics in
/// Katowice) 6, 200-230: Example 1, the first negotiator's evaluation of five offers on four
/// issues (C2 a cost), weights 0.175, 0.425, 0.175, 0.225. Separations and relative closeness
/// to six digits as published/reproduced (d+ 0.107805 ..., C 0.535497 ...), ranking
/// A3 > A1 > A4 > A2 > A5.
#[test]
fn topsis_roszkowska_2011_example_1() {
    let m = array![
        [7.0, 21.0, 4.0, 7.0],
        [7.0, 24.0, 6.0, 4.0],
        [14.0, 25.0, 3.0, 8.0],
        [14.0, 26.0, 9.0, 3.0],
        [21.0, 35.0, 4.0, 4.0]
    ];
    let d = [
        Direction::Benefit,
        Direction::Cost,
        Direction::Benefit,
        Direction::Benefit,
    ];
    let r = mcda(m.view(), &[0.175, 0.425, 0.175, 0.225], &d, &Method::Topsis).unwrap();
    assert_all_close(
        r.ideal_distance.as_ref().unwrap(),
        &[0.107805, 0.117942, 0.096981, 0.105379, 0.141766],
        5e-7,
    );
    assert_all_close(
        r.anti_ideal_distance.as_ref().unwrap(),
        &[0.124281, 0.090785, 0.122181, 0.112779, 0.083486],
        5e-7,
    );
    assert_all_close(
        &r.scores,
        &[0.535497, 0.434945, 0.557491, 0.516961, 0.370633],
        5e-7,
    );
    assert_eq!(r.ranks, vec![2, 4, 1, 3, 5]);
}

/// Weighted sum on Hwang & Yoon's (1981) fighter-aircraft data: maximum speed (Mach), ferry
/// range (NM), maximum payload (lb), acquisition cost ($M, a cost), reliability and
/// manoeuvrability (interval scale 1-9); weights 0.2, 0.1, 0.1, 0.1, 0.2, 0.3.
/// Min-max normalisation, hand-computed:
/// A1 = 0.2*(0.2/0.7) + 0.1*0 + 0.1*(2/3) + 0.1*(1/2) + 0.2*(1/2) + 0.3*1 = 0.573810
/// A2 = 0.2*1 + 0.1*1 + 0 + 0 + 0 + 0 = 0.3
/// A3 = 0 + 0.1*(5/12) + 0.1*1 + 0.1*1 + 0.2*1 + 0.3*(1/2) = 0.591667
/// A4 = 0.2*(4/7) + 0.1*(1/4) + 0.1*(2/3) + 0.1*(3/4) + 0.2*(1/2) + 0 = 0.380952
/// Hwang & Yoon's linear scale (x / max, cost min / x):
/// A1 = 0.2*0.8 + 0.1*(15/27) + 0.1*(20/21) + 0.1*(4.5/5.5) + 0.2*(5/7) + 0.3*1 = 0.835469 and
/// likewise A2 0.707326, A3 0.851407, A4 0.737429: A3 > A1 > A4 > A2 either way.
#[test]
fn weighted_sum_fighter_aircraft() {
    let m = array![
        [2.0, 1500.0, 20000.0, 5.5, 5.0, 9.0],
        [2.5, 2700.0, 18000.0, 6.5, 3.0, 5.0],
        [1.8, 2000.0, 21000.0, 4.5, 7.0, 7.0],
        [2.2, 1800.0, 20000.0, 5.0, 5.0, 5.0]
    ];
    let mut d = [Direction::Benefit; 6];
    d[3] = Direction::Cost;
    let w = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3];
    let minmax = Method::WeightedSum {
        normalisation: Normalisation::MinMax,
    };
    let r = mcda(m.view(), &w, &d, &minmax).unwrap();
    assert_all_close(
        &r.scores,
        &[
            0.4 / 7.0 + 0.2 / 3.0 + 0.05 + 0.1 + 0.3,
            0.3,
            0.5 / 12.0 + 0.55,
            0.8 / 7.0 + 0.025 + 0.2 / 3.0 + 0.075 + 0.1,
        ],
        1e-12,
    );
    assert_eq!(r.ranks, vec![2, 4, 1, 3]);
    let linear = Method::WeightedSum {
        normalisation: Normalisation::Max,
    };
    let r = mcda(m.view(), &w, &d, &linear).unwrap();
    assert_all_close(&r.scores, &[0.835469, 0.707326, 0.851407, 0.737429], 5e-7);
    assert_eq!(r.ranks, vec![2, 4, 1, 3]);
    // Weights need not add up to one: they are divided by their sum.
    let r2 = mcda(m.view(), &[2.0, 1.0, 1.0, 1.0, 2.0, 3.0], &d, &linear).unwrap();
    assert_all_close(&r2.scores, &r.scores, 1e-15);
}

/// PROMETHEE II, hand-computed. Criterion 1 (benefit, usual, weight 0.6): A 10, B 7, C 7.
/// Criterion 2 (cost, linear q = 1, p = 5, weight 0.4): A 8, B 4, C 2.
/// Criterion 1: P(A,B) = P(A,C) = 1, all others 0 (B and C tie).
/// Criterion 2 (d = g(b) - g(a) for a cost): P(B,A) = (4-1)/4 = 0.75, P(C,A) = 1 (d = 6 > p),
/// P(C,B) = (2-1)/4 = 0.25, others 0.
/// pi(A,B) = 0.6, pi(A,C) = 0.6, pi(B,A) = 0.3, pi(B,C) = 0, pi(C,A) = 0.4, pi(C,B) = 0.1.
/// phi+ = (0.6, 0.15, 0.25), phi- = (0.35, 0.35, 0.3) (sums over the other two, divided by 2),
/// net phi = (0.25, -0.2, -0.05): A > C > B.
#[test]
fn promethee_ii_hand_computed() {
    let m = array![[10.0, 8.0], [7.0, 4.0], [7.0, 2.0]];
    let d = [Direction::Benefit, Direction::Cost];
    let method = Method::Promethee {
        preference: vec![Preference::Usual, Preference::Linear { q: 1.0, p: 5.0 }],
    };
    let r = mcda(m.view(), &[0.6, 0.4], &d, &method).unwrap();
    assert_all_close(r.positive_flow.as_ref().unwrap(), &[0.6, 0.15, 0.25], 1e-12);
    assert_all_close(r.negative_flow.as_ref().unwrap(), &[0.35, 0.35, 0.3], 1e-12);
    assert_all_close(&r.scores, &[0.25, -0.2, -0.05], 1e-12);
    assert_eq!(r.ranks, vec![1, 3, 2]);
}

#[test]
fn mcda_bad_input_names_the_field() {
    let m = array![[1.0, 2.0], [3.0, 4.0]];
    let d = [Direction::Cost, Direction::Benefit];
    let e = message(mcda(m.view(), &[0.5, -0.5], &d, &Method::Topsis).unwrap_err());
    assert_eq!(e, "weights[1]: must be >= 0, got -0.5");
    let e = message(mcda(m.view(), &[0.0, 0.0], &d, &Method::Topsis).unwrap_err());
    assert_eq!(e, "weights: must not all be zero, got sum 0");
    let e = message(mcda(m.view(), &[1.0], &d, &Method::Topsis).unwrap_err());
    assert_eq!(
        e,
        "weights: must have 2 elements (one per criterion), got 1 elements"
    );
    let bad = Method::Promethee {
        preference: vec![Preference::Linear { q: 3.0, p: 2.0 }],
    };
    let e = message(mcda(m.view(), &[1.0, 1.0], &d, &bad).unwrap_err());
    assert!(
        e.contains("method.preference[0].p: must be > q (3), got 2"),
        "{e}"
    );
    let neg = array![[-1.0, 2.0], [3.0, 4.0]];
    let sum = Method::WeightedSum {
        normalisation: Normalisation::Sum,
    };
    let e = message(mcda(neg.view(), &[1.0, 1.0], &d, &sum).unwrap_err());
    assert!(
        e.starts_with("matrix[:, 0]: sum normalisation needs values >= 0"),
        "{e}"
    );
    let e = message(Direction::parse_all(&["cost".into(), "up".into()], 2).unwrap_err());
    assert!(e.starts_with("directions[1]: must be \"cost\""), "{e}");
    let e = message(rank_acceptability(m.view(), &d, &Method::Topsis, 0, 1).unwrap_err());
    assert_eq!(e, "n: must be between 1 and 100000000, got 0");
}

#[test]
fn method_round_trips_through_json() {
    let m: Method = serde_json::from_str(
        r#"{"method": "promethee", "preference": [{"type": "linear", "q": 1, "p": 5}]}"#,
    )
    .unwrap();
    assert_eq!(
        m,
        Method::Promethee {
            preference: vec![Preference::Linear { q: 1.0, p: 5.0 }]
        }
    );
    let m: Method = serde_json::from_str(r#"{"method": "weighted_sum"}"#).unwrap();
    assert_eq!(
        m,
        Method::WeightedSum {
            normalisation: Normalisation::MinMax
        }
    );
    let text = serde_json::to_string(&m).unwrap();
    assert_eq!(serde_json::from_str::<Method>(&text).unwrap(), m);
}

fn methods() -> Vec<Method> {
    vec![
        Method::WeightedSum {
            normalisation: Normalisation::MinMax,
        },
        Method::Topsis,
        Method::Promethee { preference: vec![] },
    ]
}

#[test]
fn rank_acceptability_rows_sum_to_one_and_are_seeded() {
    let m = array![
        [7.0, 21.0, 4.0, 7.0],
        [7.0, 24.0, 6.0, 4.0],
        [14.0, 25.0, 3.0, 8.0],
        [14.0, 26.0, 9.0, 3.0],
        [21.0, 35.0, 4.0, 4.0]
    ];
    let d = [
        Direction::Benefit,
        Direction::Cost,
        Direction::Benefit,
        Direction::Benefit,
    ];
    for method in methods() {
        let a = rank_acceptability(m.view(), &d, &method, 2000, 7).unwrap();
        for row in a.acceptability.rows() {
            assert!(close(row.sum(), 1.0, 1e-12), "{method:?}: {row}");
        }
        let b = rank_acceptability(m.view(), &d, &method, 2000, 7).unwrap();
        assert_eq!(a.acceptability, b.acceptability);
        let c = rank_acceptability(m.view(), &d, &method, 2000, 8).unwrap();
        assert_ne!(a.acceptability, c.acceptability);
        // Central weights are weights: non-negative, adding up to one (or NaN if never first).
        for (row, first) in a
            .central_weights
            .rows()
            .into_iter()
            .zip(a.acceptability.column(0))
        {
            if *first > 0.0 {
                assert!(close(row.sum(), 1.0, 1e-9));
            } else {
                assert!(row.iter().all(|x| x.is_nan()));
            }
        }
    }
}

#[test]
fn a_dominating_alternative_is_always_first() {
    // Row 1 is at least as good as every other on every criterion and strictly better on one.
    let m = array![
        [5.0, 3.0, 2.0],
        [4.0, 3.0, 9.0],
        [6.0, 1.0, 5.0],
        [4.5, 2.0, 9.0]
    ];
    let d = [Direction::Cost, Direction::Benefit, Direction::Benefit];
    assert!(pareto(m.view(), &d).unwrap().efficient == vec![false, true, false, false]);
    for method in methods() {
        let a = rank_acceptability(m.view(), &d, &method, 3000, 1).unwrap();
        assert_eq!(a.acceptability[(1, 0)], 1.0, "{method:?}");
    }
}

#[test]
fn ranks_are_competition_ranks() {
    assert_eq!(mcda::ranks(&[0.5, 0.7, 0.5]), vec![2, 1, 2]);
}

fn table() -> impl Strategy<Value = (Array2<f64>, Vec<f64>)> {
    (1usize..6, 1usize..6).prop_flat_map(|(a, s)| {
        (
            proptest::collection::vec(-1e6f64..1e6, a * s),
            proptest::collection::vec(0.0f64..1.0, s),
        )
            .prop_filter_map("probabilities with a positive sum", move |(v, p)| {
                let sum: f64 = p.iter().sum();
                (sum > 1e-3).then(|| {
                    (
                        Array2::from_shape_vec((a, s), v).unwrap(),
                        p.iter().map(|x| x / sum).collect(),
                    )
                })
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// EVPI is never negative, equals the smallest expected regret, and regret is never negative
    /// and zero for the best alternative of each scenario.
    #[test]
    fn evpi_and_regret_properties((costs, p) in table()) {
        let t = decision_tree(costs.view(), &p, Orientation::Cost).unwrap();
        prop_assert!(t.evpi >= 0.0);
        let min_regret = t.expected_regret.iter().copied().fold(f64::INFINITY, f64::min);
        prop_assert!((t.evpi - min_regret).abs() <= 1e-9 * (1.0 + costs.iter().map(|x| x.abs()).fold(0.0, f64::max)));
        prop_assert!(t.regret.iter().all(|&r| r >= 0.0));
        for (s, &b) in t.best_per_scenario.iter().enumerate() {
            prop_assert_eq!(t.regret[(b, s)], 0.0);
        }
        // The minimax-regret choice is tied with the smallest maximum regret (at the magnitude
        // of the losses the regrets come from).
        let smallest = t.max_regret.iter().copied().fold(f64::INFINITY, f64::min);
        let scale = costs.iter().map(|x| x.abs()).fold(0.0, f64::max);
        for &a in &t.minimax_regret_tied {
            prop_assert!(tied_at(t.max_regret[a], smallest, scale));
        }
        prop_assert_eq!(t.minimax_regret, t.minimax_regret_tied[0]);
    }

    /// An alternative that is best in every scenario leaves nothing to learn: EVPI is exactly 0.
    #[test]
    fn evpi_zero_with_a_dominant_alternative((mut costs, p) in table(), gap in 0.0f64..10.0) {
        let mins: Vec<f64> = costs.columns().into_iter().map(|c| c.iter().copied().fold(f64::INFINITY, f64::min)).collect();
        let last = costs.nrows() - 1;
        for (s, m) in mins.iter().enumerate() {
            costs[(last, s)] = m - gap;
        }
        let t = decision_tree(costs.view(), &p, Orientation::Cost).unwrap();
        prop_assert_eq!(t.evpi, 0.0);
        prop_assert!(t.best_tied.contains(&last));
        prop_assert!(t.regret.row(last).iter().all(|&r| r == 0.0));
    }

    /// Opportunity cost is never negative per dimension or in total, and the decomposition adds
    /// up to the total.
    #[test]
    fn opportunity_cost_properties(v in proptest::collection::vec(-1e3f64..1e3, 2 * 3 * 4)) {
        let costs = Array3::from_shape_vec((2, 3, 4), v).unwrap();
        let o = opportunity_cost(costs.view(), Orientation::Cost).unwrap();
        prop_assert!(o.by_dimension.iter().all(|&x| x >= 0.0));
        prop_assert!(o.total.iter().all(|&x| x >= 0.0));
        for ((a, s), &t) in o.total.indexed_iter() {
            let sum: f64 = (0..4).map(|d| o.decomposition[(a, s, d)]).sum();
            prop_assert!((sum - t).abs() <= 1e-9);
        }
        for (s, &b) in o.best_total.iter().enumerate() {
            prop_assert_eq!(o.total[(b, s)], 0.0);
        }
    }
}

#[test]
fn decision_module_reexports_orientation_default() {
    assert_eq!(decision::Orientation::default(), Orientation::Cost);
}

/// Cost-effectiveness frontier, hand-computed. Costs (0, 100, 150, 300, 250), effects
/// (0, 1, 0.5, 1.5, 1.2) for A..E. C is strongly dominated by B (costs more, gives less).
/// Sorted by cost the rest is A, B, E, D with ICERs B 100/1 = 100, E 150/0.2 = 750,
/// D 50/0.3 = 166.7: E's ICER exceeds D's, so E is extendedly dominated. Then A, B, D with
/// ICERs 100 and 200/0.5 = 400: increasing, done. F duplicates B and shares its figures.
#[test]
fn icers_hand_computed_with_strong_and_extended_dominance() {
    let costs = [0.0, 100.0, 150.0, 300.0, 250.0, 100.0];
    let effects = [0.0, 1.0, 0.5, 1.5, 1.2, 1.0];
    let r = icers(&costs, &effects).unwrap();
    use CeStatus::*;
    assert_eq!(
        r.status,
        vec![
            Frontier,
            Frontier,
            Dominated,
            Frontier,
            ExtendedlyDominated,
            Frontier
        ]
    );
    assert_eq!(r.frontier, vec![0, 1, 3]);
    assert!(r.icer[0].is_nan() && r.icer[2].is_nan() && r.icer[4].is_nan());
    assert_eq!(r.icer[1], 100.0);
    assert_eq!(r.icer[3], 400.0);
    assert_eq!(r.icer[5], 100.0);
    assert_eq!(r.incremental_cost[3], 200.0);
    assert_eq!(r.incremental_effect[3], 0.5);
    assert_eq!(r.dominated_by[2], Some(1));
    assert_eq!(r.same_as[5], Some(1));
    // Cost-saving and more effective: the new alternative dominates the old one.
    let r = icers(&[10.0, 5.0], &[1.0, 2.0]).unwrap();
    assert_eq!(r.status, vec![Dominated, Frontier]);
    assert_eq!(r.frontier, vec![1]);
    let e = message(icers(&[1.0, 2.0], &[1.0]).unwrap_err());
    assert_eq!(
        e,
        "effects: must have 2 elements (one per alternative), got 1 elements"
    );
}

// ---------------------------------------------------------------------------------------------
// Ties (issue 17): one rule, |a - b| <= 1e-12 max(|a|, |b|, magnitude, 1), for every ranking and
// every best.

/// PROMETHEE II, usual preference, equal weights, all benefit, on
/// A (1, 2, 3), B (3, 3, 2), C (1, 3, 3). Unicriterion net flows (divided by n - 1 = 2):
/// c1 A -1/2, B 1, C -1/2; c2 A -1, B 1/2, C 1/2; c3 A 1/2, B -1, C 1/2.
/// Net flows with w = 1/3: A -1/3, B (1 + 1/2 - 1)/3 = 1/6, C (-1/2 + 1/2 + 1/2)/3 = 1/6:
/// B and C tie, although floating point puts B an ulp above C.
#[test]
fn promethee_ranks_an_exact_tie_equal() {
    let m = array![[1.0, 2.0, 3.0], [3.0, 3.0, 2.0], [1.0, 3.0, 3.0]];
    let d = [Direction::Benefit; 3];
    let method = Method::Promethee { preference: vec![] };
    let r = mcda(m.view(), &[1.0, 1.0, 1.0], &d, &method).unwrap();
    assert_all_close(&r.scores, &[-1.0 / 3.0, 1.0 / 6.0, 1.0 / 6.0], 1e-15);
    assert_ne!(
        r.scores[1], r.scores[2],
        "the example should exercise the tolerance"
    );
    assert_eq!(r.ranks, vec![3, 1, 1]);
}

/// Weighted sum, min-max, equal weights, all benefit: rows 0 and 1 are permutations of each
/// other, so both score (0 + 1/9 + 2/9 + ... ) = 0.2 exactly in arithmetic; summed in a different
/// order they differ by an ulp. Row 3 is best on every criterion, row 2 worst.
#[test]
fn weighted_sum_ranks_an_exact_tie_equal() {
    let m = array![
        [1.0, 2.0, 3.0],
        [2.0, 3.0, 1.0],
        [0.0, 0.0, 0.0],
        [10.0, 10.0, 10.0]
    ];
    let d = [Direction::Benefit; 3];
    let method = Method::WeightedSum {
        normalisation: Normalisation::MinMax,
    };
    let r = mcda(m.view(), &[1.0, 1.0, 1.0], &d, &method).unwrap();
    assert_all_close(&r.scores, &[0.2, 0.2, 0.0, 1.0], 1e-15);
    assert_ne!(
        r.scores[0], r.scores[1],
        "the example should exercise the tolerance"
    );
    assert_eq!(r.ranks, vec![2, 2, 4, 1]);
    // Identical rows tie as well, with every method.
    let twins = array![[1.0, 2.0], [3.0, 0.5], [1.0, 2.0]];
    let d = [Direction::Cost, Direction::Benefit];
    for method in methods() {
        let r = mcda(twins.view(), &[1.0, 2.0], &d, &method).unwrap();
        assert_eq!(r.ranks[0], r.ranks[2], "{method:?}: {:?}", r.scores);
    }
}

/// Noise below the tolerance keeps a tie; a difference above it breaks the tie.
#[test]
fn ranks_tie_within_the_tolerance_only() {
    assert_eq!(TIE_TOLERANCE, 1e-12);
    assert_eq!(mcda::ranks(&[0.5, 0.5 + 1e-14, 0.5 - 1e-9]), vec![1, 1, 3]);
    assert_eq!(mcda::ranks(&[0.5, 0.5 + 1e-10, 0.5 - 1e-9]), vec![2, 1, 3]);
    // Near zero the absolute floor decides (net flows of 0 are cancelling sums).
    assert_eq!(mcda::ranks(&[1e-17, -1e-17, 0.0, -0.2]), vec![1, 1, 1, 4]);
    assert!(tied(1e-17, -1e-17) && !tied(1e-11, -1e-11));
}

/// Two alternatives whose expected cost is 63 in arithmetic, reached along different float
/// paths: 0.3*0 + 0.3*14 + 0.4*147 = 63.00000000000001 and 0.3*10 + 0.3*40 + 0.4*120 = 63.
/// Both are best; the first in input order is named.
#[test]
fn decision_tree_equal_expected_values_are_both_best() {
    let costs = array![[0.0, 14.0, 147.0], [10.0, 40.0, 120.0], [30.0, 60.0, 100.0]];
    let t = decision_tree(costs.view(), &[0.3, 0.3, 0.4], Orientation::Cost).unwrap();
    assert_ne!(
        t.expected[0], t.expected[1],
        "the example should exercise the tolerance"
    );
    assert_all_close(&t.expected, &[63.0, 63.0, 67.0], 1e-12);
    assert_eq!(t.best_tied, vec![0, 1]);
    assert_eq!(t.best, 0);
    // Benefit orientation: the same table negated gives the same ties.
    let b = decision_tree((-&costs).view(), &[0.3, 0.3, 0.4], Orientation::Benefit).unwrap();
    assert_eq!(b.best_tied, vec![0, 1]);
    // EVPI: E[min] = 0.3*0 + 0.3*14 + 0.4*100 = 44.2, so EVPI = 63 - 44.2 = 18.8.
    assert!(close(t.evpi, 18.8, 1e-12), "{}", t.evpi);
}

/// Noise below the tolerance keeps the decision tree's ties (best, minimax regret, best per
/// scenario, zero regret and zero EVPI); a real difference above the tolerance breaks them.
#[test]
fn decision_tree_noise_below_the_tolerance_keeps_the_tie() {
    let p = [0.25, 0.75];
    // A scaled by (1 + 1e-13): the same alternative up to rounding noise.
    let base = [2.0e9, 5.0e9];
    let noisy = array![
        [base[0] * (1.0 + 1e-13), base[1] * (1.0 + 1e-13)],
        [base[0], base[1]],
        [3.0e9, 6.0e9]
    ];
    let t = decision_tree(noisy.view(), &p, Orientation::Cost).unwrap();
    assert_eq!(t.best_tied, vec![0, 1]);
    assert_eq!(t.best, 0);
    assert_eq!(t.minimax_regret_tied, vec![0, 1]);
    assert_eq!(t.best_per_scenario, vec![0, 0]);
    assert_eq!(t.regret.row(0).to_vec(), vec![0.0, 0.0]);
    assert_eq!(t.regret.row(1).to_vec(), vec![0.0, 0.0]);
    assert_eq!(t.evpi, 0.0);
    // A difference of 1e-9 (relative) is real: only B is best, A has regret and EVPI is zero
    // because B is best in every scenario.
    let real = array![
        [base[0] * (1.0 + 1e-9), base[1] * (1.0 + 1e-9)],
        [base[0], base[1]],
        [3.0e9, 6.0e9]
    ];
    let t = decision_tree(real.view(), &p, Orientation::Cost).unwrap();
    assert_eq!(t.best_tied, vec![1]);
    assert_eq!(t.best, 1);
    assert_eq!(t.minimax_regret_tied, vec![1]);
    assert_eq!(t.best_per_scenario, vec![1, 1]);
    assert!(t.regret.row(0).iter().all(|&r| r > 0.0));
    assert_eq!(t.evpi, 0.0);
}

/// Probability best, opportunity cost, Pareto and the cost-effectiveness frontier use the same
/// rule.
#[test]
fn draws_dimensions_and_dominance_tie_by_the_same_rule() {
    // Draw 0: 0.1 + 0.2 against 0.3 (an ulp apart): split. Draw 1: alternative 1 clearly best.
    let v = Array3::from_shape_vec((1, 2, 2), vec![0.1 + 0.2, 1.0, 0.3, 0.5]).unwrap();
    let p = prob_best(v.view(), Orientation::Cost).unwrap();
    assert_eq!(p, array![[0.25, 0.75]]);
    // Opportunity cost: totals 0.1 + 0.2 and 0.3 over two dimensions, tied; regret exactly 0.
    let c = Array3::from_shape_vec((2, 1, 2), vec![0.1, 0.2, 0.3, 0.0]).unwrap();
    let o = opportunity_cost(c.view(), Orientation::Cost).unwrap();
    assert_eq!(o.best_total, vec![0]);
    assert_eq!(o.total, array![[0.0], [0.0]]);
    // Pareto: rows an ulp apart do not dominate each other.
    let m = array![[0.1 + 0.2, 1.0], [0.3, 1.0], [0.4, 1.0]];
    let d = [Direction::Cost, Direction::Benefit];
    let par = pareto(m.view(), &d).unwrap();
    assert_eq!(par.efficient, vec![true, true, false]);
    // Cost-effectiveness: an ulp more cost for the same effect is a duplicate, not dominated.
    let r = icers(&[0.0, 0.3, 0.1 + 0.2], &[0.0, 1.0, 1.0]).unwrap();
    assert_eq!(r.same_as, vec![None, None, Some(1)]);
    assert_eq!(r.status[2], CeStatus::Frontier);
}

/// Rank acceptability counts a tie for a rank as that rank for each tied alternative: two
/// alternatives that differ only by noise below the tolerance (or not at all) are both first in
/// every sample where either is.
#[test]
fn rank_acceptability_counts_tied_firsts_for_each() {
    let noise = 1.0 + 1e-15;
    let m = array![[1.0, 2.0], [3.0, 0.5], [1.0 * noise, 2.0 * noise]];
    let d = [Direction::Cost, Direction::Benefit];
    for method in [
        Method::WeightedSum {
            normalisation: Normalisation::MinMax,
        },
        Method::Topsis,
    ] {
        let a = rank_acceptability(m.view(), &d, &method, 500, 3).unwrap();
        assert_eq!(
            a.acceptability.row(0),
            a.acceptability.row(2),
            "{method:?}: {}",
            a.acceptability
        );
        for row in a.acceptability.rows() {
            assert!(close(row.sum(), 1.0, 1e-12));
        }
        assert!(a.acceptability[(0, 0)] > 0.0);
    }
    let twins = array![[1.0, 2.0], [3.0, 0.5], [1.0, 2.0]];
    for method in methods() {
        let a = rank_acceptability(twins.view(), &d, &method, 500, 3).unwrap();
        assert_eq!(a.acceptability.row(0), a.acceptability.row(2), "{method:?}");
        assert_eq!(a.acceptability.column(1).sum(), 0.0, "{method:?}"); // rank 2 is skipped
    }
}
