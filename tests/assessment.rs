//! Valuation, assessment and checklist on short runs of the Dutch defaults.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use afweging::decision::assessment::{self, Runs};
use afweging::decision::checklist::Checklist;
use afweging::decision::valuation::{Valuation, DIMENSIONS, DISCOUNT_RATE};
use afweging::impacts;
use afweging::impacts::Outcome;
use afweging::measures::policy::Policy;
use afweging::{Calibration, Model, Package, Scenario, SectorPlans};
use proptest::prelude::*;

const DAYS: usize = 120;
const SCENARIOS: [&str; 2] = ["centraal", "ongunstig"];
const ALTERNATIVES: [&str; 3] = ["open", "ladders", "lockdown"];

/// Every sector on its top-but-one rung with masks, distance and both subsidies: a heavy package.
fn lockdown(plans: &SectorPlans) -> Package {
    Package {
        rungs: plans
            .sectors
            .iter()
            .map(|s| (s.name.clone(), s.rungs.len().saturating_sub(2)))
            .collect(),
        general: [
            "mondkapjes",
            "anderhalve_meter",
            "loonkostensubsidie_now",
            "vaste_lasten_tvl",
        ]
        .map(String::from)
        .to_vec(),
    }
}

fn run(cal: &Calibration, sc: &str, alternative: &str) -> Outcome {
    let plans = SectorPlans::netherlands();
    let model = Model::new(cal.clone(), Scenario::preset(sc).unwrap()).unwrap();
    let traj = match alternative {
        "open" => model.run(DAYS).unwrap(),
        "ladders" => {
            let p = plans.policy("signal-values").unwrap();
            afweging::run::with_policy(&model, &plans, &Policy::Trigger(p), DAYS).unwrap()
        }
        _ => {
            let p = plans.package(lockdown(&plans)).unwrap();
            afweging::run::with_policy(&model, &plans, &Policy::Package(p), DAYS).unwrap()
        }
    };
    impacts::outcome(cal, traj).unwrap()
}

/// Alternatives x scenarios runs, and the baselines (= the open runs), computed once.
fn runs() -> &'static (Calibration, Vec<Vec<Outcome>>) {
    static RUNS: OnceLock<(Calibration, Vec<Vec<Outcome>>)> = OnceLock::new();
    RUNS.get_or_init(|| {
        let cal = Calibration::netherlands();
        let cells = ALTERNATIVES
            .iter()
            .map(|a| SCENARIOS.iter().map(|s| run(&cal, s, a)).collect())
            .collect();
        (cal, cells)
    })
}

fn names(x: &[&str]) -> Vec<String> {
    x.iter().map(|s| s.to_string()).collect()
}

fn assess_with(
    valuation: &Valuation,
    probabilities: &[f64],
) -> afweging::Result<assessment::Assessment> {
    let (cal, cells) = runs();
    let runs = Runs {
        cells: cells.iter().map(|row| row.iter().collect()).collect(),
        baselines: cells[0].iter().collect(),
        calibrations: vec![cal; SCENARIOS.len()],
    };
    assessment::assess(
        &names(&ALTERNATIVES),
        &names(&SCENARIOS),
        probabilities,
        &runs,
        valuation,
        &Checklist::netherlands(),
    )
}

#[test]
fn every_euro_is_traceable_to_an_indicator_and_its_values() {
    let (cal, cells) = runs();
    let val = Valuation::netherlands();
    let traj = &cells[2][0];
    let imp = traj.impacts.as_ref().unwrap();
    let m = val.monetise(imp, cal).unwrap();
    assert!(!m.lines.is_empty());
    for l in &m.lines {
        let ind = imp.get(&l.indicator).unwrap();
        assert_eq!(l.quantity, ind.total);
        let product: f64 = l.values.iter().map(|n| val.value(n).unwrap()).product();
        assert_eq!(l.price, product * l.rediscount, "{}", l.indicator);
        assert_eq!(l.eur, l.quantity * l.price);
        assert_eq!(l.dimension, ind.dimension);
    }
    // The data discounts earnings at the valuation's rate, so nothing is re-discounted.
    assert!(m.lines.iter().all(|l| l.rediscount == 1.0));
    let total: f64 = m.lines.iter().map(|l| l.eur).sum();
    assert!((m.total - total).abs() <= 1e-12 * total.abs());
    for (d, dim) in DIMENSIONS.iter().enumerate() {
        let sum: f64 = m
            .lines
            .iter()
            .filter(|l| l.dimension == *dim)
            .map(|l| l.eur)
            .sum();
        assert_eq!(m.by_dimension[d], sum);
    }
    // Subsidies are transfers: weight 0, so the fiscal cost is shown but counts nothing.
    let fiscal = m
        .lines
        .iter()
        .find(|l| l.indicator == "fiscal_cost")
        .unwrap();
    assert!(fiscal.quantity > 0.0 && fiscal.eur == 0.0);
    // Deaths and unemployment stay in natural units with their reason.
    for name in ["deaths", "unemployment", "compliance"] {
        assert!(
            m.not_monetised
                .iter()
                .any(|(n, r)| n == name && !r.is_empty()),
            "{name}"
        );
    }
    // The split by group adds up to the euros of the lines that have the grouping.
    let g = &m.by_group["income_quintile"];
    let covered: f64 = m
        .lines
        .iter()
        .filter(|l| l.by_group.contains_key("income_quintile"))
        .map(|l| l.eur)
        .sum();
    let split: f64 = g.eur.iter().sum();
    assert!((split - covered).abs() <= 1e-6 * covered.abs().max(1.0));
}

#[test]
fn changing_one_value_changes_exactly_the_figures_that_depend_on_it() {
    let (cal, cells) = runs();
    let val = Valuation::netherlands();
    let imp = cells[2][1].impacts.as_ref().unwrap();
    let base = val.monetise(imp, cal).unwrap();
    for (name, v) in &val.values {
        let new = if name == DISCOUNT_RATE {
            0.04
        } else {
            v.value * 1.5 + 1.0
        };
        let changed = val
            .with_values(&BTreeMap::from([(name.clone(), new)]))
            .unwrap();
        let m = changed.monetise(imp, cal).unwrap();
        assert_eq!(m.lines.len(), base.lines.len());
        for (rule, (a, b)) in val.rules.iter().zip(base.lines.iter().zip(&m.lines)) {
            let depends = rule.values.contains(name) || (name == DISCOUNT_RATE && rule.rediscount);
            assert_eq!(a.quantity, b.quantity);
            if depends && a.quantity != 0.0 {
                assert_ne!(a.eur, b.eur, "{name} should change {}", a.indicator);
            } else {
                assert_eq!(a.eur, b.eur, "{name} must not change {}", a.indicator);
                assert_eq!(a.by_group, b.by_group);
            }
        }
    }
}

#[test]
fn a_higher_discount_rate_lowers_lifetime_earnings_as_the_annuity_says() {
    let (cal, cells) = runs();
    let imp = cells[2][0].impacts.as_ref().unwrap();
    let val = Valuation::netherlands()
        .with_values(&BTreeMap::from([(DISCOUNT_RATE.to_string(), 0.04)]))
        .unwrap();
    let m = val.monetise(imp, cal).unwrap();
    let l = m
        .lines
        .iter()
        .find(|l| l.indicator == "lifetime_earnings_lost")
        .unwrap();
    // Hand check: 45 working years starting 9 years out, at 4% against 2.25%.
    let pv = |r: f64| {
        (0..45)
            .map(|t| (1.0 + r).powf(-(9.0 + t as f64)))
            .sum::<f64>()
    };
    let expected = pv(0.04) / pv(0.0225);
    assert!(
        (l.rediscount - expected).abs() < 1e-12,
        "{} vs {expected}",
        l.rediscount
    );
    assert!(l.rediscount < 1.0 && l.quantity > 0.0);
}

#[test]
fn valuation_json_round_trip_and_field_errors() {
    let val = Valuation::netherlands();
    let back = Valuation::from_json_str(&val.to_json_string()).unwrap();
    assert_eq!(back, val);
    let mut bad = val.clone();
    bad.rules.push(bad.rules[0].clone());
    bad.rules[1].values.push("nope".into());
    let e = bad.validate().unwrap_err().to_string();
    assert!(
        e.contains("valuation.rules[1].values[1]: unknown value"),
        "{e}"
    );
    assert!(e.contains("is priced twice"), "{e}");
    let e = val
        .with_values(&BTreeMap::from([(DISCOUNT_RATE.to_string(), 0.5)]))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("valuation.values.discount_rate.value: must be between 0 and 0.2, got 0.5"),
        "{e}"
    );
}

#[test]
fn decision_tree_and_opportunity_cost_by_hand() {
    let p = [0.7, 0.3];
    let a = assess_with(&Valuation::netherlands(), &p).unwrap();
    let t = &a.total_cost;
    for alt in 0..3 {
        let sum: f64 = (0..4).map(|d| a.cost_by_dimension[(alt, 0, d)]).sum();
        assert!((sum - t[(alt, 0)]).abs() <= 1e-9 * t[(alt, 0)].abs());
        let expected = 0.7 * t[(alt, 0)] + 0.3 * t[(alt, 1)];
        assert!((a.decision_tree.expected[alt] - expected).abs() <= 1e-9 * expected.abs());
    }
    let best: Vec<f64> = (0..2)
        .map(|s| (0..3).map(|alt| t[(alt, s)]).fold(f64::INFINITY, f64::min))
        .collect();
    let min_expected = a
        .decision_tree
        .expected
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    let evpi = min_expected - (0.7 * best[0] + 0.3 * best[1]);
    assert!((a.decision_tree.evpi - evpi).abs() <= 1e-6 * min_expected.abs());
    assert!(a.decision_tree.evpi >= 0.0);
    for s in 0..2 {
        let b = a.opportunity_cost.best_total[s];
        assert_eq!(a.opportunity_cost.total[(b, s)], 0.0);
        for alt in 0..3 {
            assert!(a.opportunity_cost.total[(alt, s)] >= 0.0);
            assert_eq!(a.opportunity_cost.total[(alt, s)], t[(alt, s)] - best[s]);
        }
    }
    // Scorecard holds the impacts' totals.
    let k = a
        .indicators
        .iter()
        .position(|c| c.name == "deaths")
        .unwrap();
    let (_, cells) = runs();
    assert_eq!(
        a.scorecard[(1, 1, k)].unwrap(),
        cells[1][1]
            .impacts
            .as_ref()
            .unwrap()
            .get("deaths")
            .unwrap()
            .total
    );
}

#[test]
fn probabilities_that_do_not_add_up_name_the_field() {
    let e = assess_with(&Valuation::netherlands(), &[0.5, 0.4])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("scenarios: probabilities must add up to 1 (within 1e-9), got sum 0.9"),
        "{e}"
    );
    let e = assess_with(&Valuation::netherlands(), &[1.2, -0.2])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("scenarios.centraal: must be between 0 and 1, got 1.2"),
        "{e}"
    );
    assert!(
        e.contains("scenarios.ongunstig: must be between 0 and 1, got -0.2"),
        "{e}"
    );
}

#[test]
#[allow(clippy::needless_range_loop)] // indices address the assessment and the runs alike
fn checklist_answers_match_the_trajectory() {
    let a = assess_with(&Valuation::netherlands(), &[0.5, 0.5]).unwrap();
    let (_, cells) = runs();
    let q = |id: &str| a.questions.index(id).unwrap();
    for s in 0..2 {
        let base = &cells[0][s];
        // First day with ICU occupancy above scaled-up capacity, by hand.
        let icu = base.icu_occupancy();
        let first = (0..icu.nrows()).find(|&d| icu.row(d).sum() > base.icu_capacity[0]);
        for alt in 0..3 {
            let ans = &a.checklist[alt][s][q("icu_exceeded_14d")];
            assert_eq!(ans.evidence, first.map(|d| d as f64));
            assert_eq!(ans.flag, Some(first.is_some_and(|d| d < 14)));
            // Growth of admissions in week 2 over week 1, by hand.
            let adm = base.admissions();
            let week = |from: usize| (from..from + 7).map(|d| adm.row(d).sum()).sum::<f64>();
            let g = &a.checklist[alt][s][q("admissions_rising")];
            assert_eq!(g.evidence, Some(week(7) / week(0)));
        }
        // Peak ICU over normal capacity, per alternative.
        for alt in 0..3 {
            let t = &cells[alt][s];
            let peak = t.virus_spread().peak_icu_occupancy;
            let ans = &a.checklist[alt][s][q("icu_normal_exceeded")];
            assert_eq!(ans.evidence, Some(peak / t.icu_capacity[1]));
            assert_eq!(ans.flag, Some(peak > t.icu_capacity[1]));
        }
    }
    // Support trend: mean over the last 28 days minus the first 28, population-weighted.
    let t = &cells[2][0];
    let b = t.behaviour.as_ref().unwrap();
    let pop = t.people().row(0).to_vec();
    let total: f64 = pop.iter().sum();
    let mean_day = |d: usize| {
        b.support[d]
            .iter()
            .zip(&pop)
            .map(|(s, p)| s * p)
            .sum::<f64>()
            / total
    };
    let n = b.support.len();
    let first: f64 = (0..28).map(mean_day).sum::<f64>() / 28.0;
    let last: f64 = (n - 28..n).map(mean_day).sum::<f64>() / 28.0;
    let ans = &a.checklist[2][0][q("support_falling")];
    assert!((ans.evidence.unwrap() - (last - first)).abs() < 1e-12);
    // Every question has an answer in every cell, grouped over all four dimensions.
    for row in &a.checklist {
        for cell in row {
            assert_eq!(cell.len(), a.questions.questions.len());
            assert!(cell.iter().all(|x| !x.answer.is_empty()));
        }
    }
}

#[test]
fn assessment_serialises() {
    let a = assess_with(&Valuation::netherlands(), &[0.5, 0.5]).unwrap();
    let text = serde_json::to_string(&a).unwrap();
    let back: assessment::Assessment = serde_json::from_str(&text).unwrap();
    assert_eq!(back.total_cost, a.total_cost);
    assert_eq!(back.checklist, a.checklist);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn opportunity_cost_is_zero_for_the_best_and_never_negative(
        scales in proptest::collection::vec(0.0f64..3.0, 12),
        rate in 0.0f64..0.1,
        p in 0.0f64..1.0,
    ) {
        let base = Valuation::netherlands();
        let mut changes: BTreeMap<String, f64> = base
            .values
            .iter()
            .zip(&scales)
            .map(|((n, v), s)| (n.clone(), v.value * s))
            .collect();
        changes.insert(DISCOUNT_RATE.into(), rate);
        let val = base.with_values(&changes).unwrap();
        let a = assess_with(&val, &[p, 1.0 - p]).unwrap();
        let oc = &a.opportunity_cost;
        for s in 0..2 {
            prop_assert_eq!(oc.total[(oc.best_total[s], s)], 0.0);
            for alt in 0..3 {
                prop_assert!(oc.total[(alt, s)] >= 0.0);
                for d in 0..4 {
                    prop_assert!(oc.by_dimension[(alt, s, d)] >= 0.0);
                }
            }
        }
        prop_assert!(a.decision_tree.evpi >= 0.0);
    }
}
