//! Decision analysis over scenarios: the decision tree (expected value, regret, minimax regret,
//! expected value of perfect information), opportunity cost per dimension, the same questions
//! answered from parameter draws (probability best, EVPI), net-monetary-benefit acceptability
//! curves, the cost-effectiveness frontier with ICERs, and Pareto dominance.
//!
//! # Orientation
//! Everything is computed on a **loss** (lower is better). Inputs that are benefits (net monetary
//! benefit, QALYs gained) are passed with [`Orientation::Benefit`]; they are negated once at the
//! start, so there is one code path and regret and EVPI come out non-negative either way. Expected
//! values are reported back in the units and sign of the input.
//!
//! # Ties
//! Two figures are tied by the crate's one rule ([`crate::decision::ties`]):
//! `|a - b| <= 1e-12 * max(|a|, |b|, magnitude, 1)`, so two alternatives whose expected values are
//! the same number reached along different float paths (an ulp apart) are both best. Figures
//! compared as given (the losses of one scenario, one draw, one dimension; Pareto criteria; costs
//! and effects) use magnitude 0. Figures computed from larger numbers use the magnitude of those:
//! an expected value the largest |loss| of its alternative's row, a maximum regret that and the
//! largest |minimum loss| of a scenario, a total over dimensions the largest |loss| on a
//! dimension.
//!
//! - Where one choice has to be named (the best alternative, the minimax-regret alternative, the
//!   best alternative in a scenario, the best total per scenario) the **first** alternative in
//!   input order among those tied with the exact best is named; the full set of tied alternatives
//!   is reported next to it (`best_tied`, `minimax_regret_tied`).
//! - Regret and opportunity cost are measured from the exact best value, so they are never
//!   negative, and are **exactly zero** for every alternative tied with the best (not an ulp).
//! - EVPI is exactly zero when `min_a E(a)` and the expected value with perfect information are
//!   tied (the best alternative is best, or tied for best, in every scenario).
//! - Where shares are counted (probability best) a tie splits the draw equally between the tied
//!   alternatives, so the shares still add up to one.
//! - Pareto and cost-effectiveness dominance need a difference that is not a tie; alternatives
//!   tied on every criterion (on cost and effect) do not dominate each other.
//!
//! # Why EVPI can be trusted to be non-negative
//! EVPI = E_s[min_a L(a,s)] - min_a E_s[L(a,s)] (Raiffa & Schlaifer 1961). Both expectations are
//! summed in the same order with the same non-negative weights, and `min_a L(a,s) <= L(a,s)`
//! for each term; floating-point products and sums are monotone, so the computed value is >= 0
//! exactly, and exactly 0 when one alternative is best in every scenario (the two sums are then
//! the same sequence of operations). No clamping hides an error.

use std::fmt::Display;

use ndarray::{Array1, Array2, Array3, ArrayView2, ArrayView3, Axis, Dimension};
use serde::{Deserialize, Serialize};

use crate::decision::ties::{argmin, first_tied_lowest, tied, tied_at, tied_lowest};
use crate::error::{Error, FieldError, Result};
use crate::inputs::validate::Checker;

/// Tolerance on the sum of scenario probabilities.
pub const PROBABILITY_TOLERANCE: f64 = 1e-9;

/// Whether lower (cost, loss) or higher (benefit) values are better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    /// Lower is better: costs, losses, deaths, QALYs lost.
    #[default]
    Cost,
    /// Higher is better: benefits, net monetary benefit, QALYs gained.
    Benefit,
}

impl Orientation {
    /// Parses `"cost"` / `"benefit"` (also `"loss"`, `"min"`, `"max"`), naming `field` on error.
    pub fn parse(field: impl Display, text: &str) -> Result<Self> {
        match text.to_ascii_lowercase().as_str() {
            "cost" | "loss" | "min" => Ok(Self::Cost),
            "benefit" | "gain" | "max" => Ok(Self::Benefit),
            _ => Err(Error::Validation(vec![FieldError {
                field: field.to_string(),
                message: "must be \"cost\" (lower is better) or \"benefit\" (higher is better)"
                    .into(),
                value: format!("{text:?}"),
            }])),
        }
    }

    /// The factor that turns a value of this orientation into a loss.
    fn sign(self) -> f64 {
        match self {
            Self::Cost => 1.0,
            Self::Benefit => -1.0,
        }
    }
}

/// The decision tree over scenarios for one table of outcomes (alternatives x scenarios).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionTree {
    /// Expected value of each alternative over the scenarios, in the input's units and sign.
    pub expected: Vec<f64>,
    /// Index of the alternative with the best expected value (first in input order among the
    /// tied ones).
    pub best: usize,
    /// All alternatives whose expected value is tied with the best (see the module's "Ties").
    pub best_tied: Vec<usize>,
    /// Regret (opportunity cost) alternatives x scenarios: the loss of the alternative minus the
    /// loss of the best alternative in that scenario. Never negative; exactly zero for the best
    /// and every alternative tied with it in that scenario.
    pub regret: Array2<f64>,
    /// Index of the best alternative in each scenario (first among ties).
    pub best_per_scenario: Vec<usize>,
    /// Largest regret of each alternative over the scenarios.
    pub max_regret: Vec<f64>,
    /// Index of the alternative with the smallest maximum regret (Savage's criterion; first
    /// among ties).
    pub minimax_regret: usize,
    /// All alternatives whose maximum regret is tied with the smallest.
    pub minimax_regret_tied: Vec<usize>,
    /// Probability-weighted regret of each alternative; its minimum equals the EVPI.
    pub expected_regret: Vec<f64>,
    /// Expected value when the scenario is known before choosing (E_s of the best per scenario),
    /// in the input's units and sign.
    pub expected_with_perfect_information: f64,
    /// Expected value of perfect information, in the input's units; never negative, and exactly
    /// zero when it is a tie (see the module's "Ties").
    pub evpi: f64,
}

/// Validates a table of outcomes (finite, non-empty) under the field name `field`.
fn check_table(
    c: &mut Checker,
    field: impl Display + Copy,
    values: ArrayView2<'_, f64>,
    what: [&str; 2],
) {
    let (rows, cols) = values.dim();
    if rows == 0 {
        c.fail(
            field,
            format!("must have at least one {}", what[0]),
            format!("shape ({rows}, {cols})"),
        );
    }
    if cols == 0 {
        c.fail(
            field,
            format!("must have at least one {}", what[1]),
            format!("shape ({rows}, {cols})"),
        );
    }
    check_finite(c, field, values.into_dyn());
}

/// Reports non-finite elements as `field[i][j]...`, at most ten of them (then a count), so a
/// table full of NaN gives a readable message. Formats only the bad ones.
pub(crate) fn check_finite(
    c: &mut Checker,
    field: impl Display + Copy,
    values: ndarray::ArrayViewD<'_, f64>,
) {
    const SHOWN: usize = 10;
    if values.iter().all(|v| v.is_finite()) {
        return; // the common case, without building dynamic indices
    }
    let mut bad = 0usize;
    for (index, &v) in values.indexed_iter() {
        if !v.is_finite() {
            if bad < SHOWN {
                let at: String = index.slice().iter().map(|i| format!("[{i}]")).collect();
                c.finite(format_args!("{field}{at}"), v);
            }
            bad += 1;
        }
    }
    if bad > SHOWN {
        c.fail(
            field,
            format!("has {} more non-finite values", bad - SHOWN),
            String::new(),
        );
    }
}

/// Checks probabilities: one per scenario, each in [0, 1], adding up to one within
/// [`PROBABILITY_TOLERANCE`].
pub(crate) fn check_probabilities(
    c: &mut Checker,
    field: impl Display + Copy,
    probabilities: &[f64],
    scenarios: usize,
) {
    if !c.length(field, probabilities.len(), scenarios, "scenario") {
        return;
    }
    let mut all_finite = true;
    for (i, &p) in probabilities.iter().enumerate() {
        let name = format_args!("{field}[{i}]");
        if !p.is_finite() {
            c.finite(name, p);
            all_finite = false;
        } else if p < 0.0 {
            c.fail(name, "must be >= 0 (a probability)", format!("{p}"));
        } else if p > 1.0 {
            c.fail(name, "must be <= 1 (a probability)", format!("{p}"));
        }
    }
    if all_finite {
        let sum: f64 = probabilities.iter().sum();
        if (sum - 1.0).abs() > PROBABILITY_TOLERANCE {
            c.fail(
                field,
                format!("must add up to 1 (within {PROBABILITY_TOLERANCE:e})"),
                format!("sum {sum}"),
            );
        }
    }
}

/// The largest absolute value of a sequence (0 when empty): the magnitude behind figures
/// computed from it (see [`crate::decision::ties::tied_at`]).
fn magnitude(values: impl IntoIterator<Item = f64>) -> f64 {
    values.into_iter().fold(0.0, |m, v| m.max(v.abs()))
}

/// The decision tree core on a validated loss table and weights that add up to one. Shared by
/// [`decision_tree`] (scenario probabilities) and the draw-based functions (equal weights).
pub(crate) fn tree_of_losses(
    loss: ArrayView2<'_, f64>,
    weights: &[f64],
    sign: f64,
) -> DecisionTree {
    let (n_alt, n_sc) = loss.dim();
    // Expected loss: sum over scenarios in scenario order (the same order as E[min] below).
    let expected_loss: Vec<f64> = loss
        .rows()
        .into_iter()
        .map(|row| row.iter().zip(weights).map(|(l, w)| w * l).sum())
        .collect();
    // The magnitude behind each alternative's expected value: its largest |loss|.
    let row_magnitude: Vec<f64> = loss
        .rows()
        .into_iter()
        .map(|row| magnitude(row.iter().copied()))
        .collect();
    let best_tied = tied_lowest(n_alt, |a| expected_loss[a], |a| row_magnitude[a]);
    let mut best_per_scenario = Vec::with_capacity(n_sc);
    let mut column_min = Vec::with_capacity(n_sc);
    for column in loss.columns() {
        best_per_scenario.push(first_tied_lowest(n_alt, |a| column[a], |_| 0.0));
        column_min.push(column[argmin(n_alt, |a| column[a])]);
    }
    // Against the exact minimum (never negative), and exactly zero when tied with it.
    let regret = Array2::from_shape_fn((n_alt, n_sc), |(a, s)| {
        let (l, m) = (loss[(a, s)], column_min[s]);
        if tied(l, m) {
            0.0
        } else {
            l - m
        }
    });
    let max_regret: Vec<f64> = regret
        .rows()
        .into_iter()
        .map(|row| row.iter().copied().fold(0.0, f64::max))
        .collect();
    // A regret is a difference of losses: the magnitude behind it is that of the losses.
    let min_magnitude = magnitude(column_min.iter().copied());
    let minimax_tied = tied_lowest(
        n_alt,
        |a| max_regret[a],
        |a| row_magnitude[a].max(min_magnitude),
    );
    let expected_regret: Vec<f64> = regret
        .rows()
        .into_iter()
        .map(|row| row.iter().zip(weights).map(|(r, w)| w * r).sum())
        .collect();
    let with_info: f64 = column_min.iter().zip(weights).map(|(m, w)| w * m).sum();
    // EVPI from the exact minimum of the expected losses (>= with_info term by term).
    let e = argmin(n_alt, |a| expected_loss[a]);
    let lowest = expected_loss[e];
    let evpi = if tied_at(lowest, with_info, row_magnitude[e].max(min_magnitude)) {
        0.0
    } else {
        lowest - with_info
    };
    debug_assert!(evpi >= 0.0, "EVPI {evpi} < 0");
    DecisionTree {
        expected: expected_loss.iter().map(|e| sign * e).collect(),
        best: best_tied[0],
        best_tied,
        regret,
        best_per_scenario,
        max_regret,
        minimax_regret: minimax_tied[0],
        minimax_regret_tied: minimax_tied,
        expected_regret,
        expected_with_perfect_information: sign * with_info,
        // `+ 0.0` turns a -0.0 into 0.0 so that the value prints as zero.
        evpi: evpi + 0.0,
    }
}

/// The decision tree over scenarios: `values` is alternatives x scenarios, `probabilities` one
/// per scenario (non-negative, adding up to one within 1e-9).
///
/// Errors name the field: `values[1][2]: must be a finite number, got NaN`,
/// `probabilities: must add up to 1 (within 1e-9), got sum 0.9`.
pub fn decision_tree(
    values: ArrayView2<'_, f64>,
    probabilities: &[f64],
    orientation: Orientation,
) -> Result<DecisionTree> {
    let mut c = Checker::new();
    check_table(&mut c, "values", values, ["alternative", "scenario"]);
    check_probabilities(&mut c, "probabilities", probabilities, values.ncols());
    c.finish()?;
    let sign = orientation.sign();
    let loss = values.mapv(|v| sign * v);
    Ok(tree_of_losses(loss.view(), probabilities, sign))
}

/// Opportunity cost per dimension for a table alternatives x scenarios x dimensions (the four
/// dimensions of the reference framework, monetised when a total is meant).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpportunityCost {
    /// Alternatives x scenarios x dimensions: the loss on each dimension minus the loss of the
    /// best alternative *on that dimension* in that scenario. Never negative; exactly zero when
    /// tied with the best.
    pub by_dimension: Array3<f64>,
    /// Alternatives x scenarios: the regret of the total (the sum over dimensions) against the
    /// alternative with the best total in that scenario. Never negative; exactly zero when tied
    /// with the best.
    pub total: Array2<f64>,
    /// Alternatives x scenarios x dimensions: the total's regret split by dimension (the loss on
    /// the dimension minus that of the best-total alternative). Adds up to `total` over the
    /// dimensions; a component is negative where the alternative does better than the best-total
    /// alternative on that dimension.
    pub decomposition: Array3<f64>,
    /// Index of the alternative with the best total in each scenario (first among ties).
    pub best_total: Vec<usize>,
    /// Index of the best alternative per scenario and dimension, scenarios x dimensions.
    pub best_by_dimension: Array2<usize>,
}

/// The total over the dimensions of a table alternatives x scenarios x dimensions, summed in
/// dimension order: the table [`decision_tree`] weighs when the outcomes have dimensions (the
/// same sum as the total of [`opportunity_cost`] and of a monetisation).
pub fn dimension_totals(values: ArrayView3<'_, f64>) -> Array2<f64> {
    values.sum_axis(Axis(2))
}

/// Opportunity cost of each alternative against the best alternative in each scenario, per
/// dimension and in total. The total sums the dimensions, which only means something when they
/// are in one unit (euros after valuation); per-dimension figures are valid in natural units.
pub fn opportunity_cost(
    values: ArrayView3<'_, f64>,
    orientation: Orientation,
) -> Result<OpportunityCost> {
    let (n_alt, n_sc, n_dim) = values.dim();
    let mut c = Checker::new();
    for (what, n) in [
        ("alternative", n_alt),
        ("scenario", n_sc),
        ("dimension", n_dim),
    ] {
        if n == 0 {
            c.fail(
                "values",
                format!("must have at least one {what}"),
                format!("shape ({n_alt}, {n_sc}, {n_dim})"),
            );
        }
    }
    check_finite(&mut c, "values", values.into_dyn());
    c.finish()?;
    let sign = orientation.sign();
    let loss = values.mapv(|v| sign * v);
    let total_loss: Array2<f64> = loss.sum_axis(Axis(2));
    // The magnitude behind a total: the largest |loss| on one of its dimensions.
    let total_magnitude = Array2::from_shape_fn((n_alt, n_sc), |(a, s)| {
        magnitude(loss.slice(ndarray::s![a, s, ..]).iter().copied())
    });
    let mut best_total = Vec::with_capacity(n_sc);
    let mut total = Array2::zeros((n_alt, n_sc));
    let mut decomposition = Array3::zeros((n_alt, n_sc, n_dim));
    let mut by_dimension = Array3::zeros((n_alt, n_sc, n_dim));
    let mut best_by_dimension = Array2::zeros((n_sc, n_dim));
    for s in 0..n_sc {
        let t = |a: usize| total_loss[(a, s)];
        let m = |a: usize| total_magnitude[(a, s)];
        let b = first_tied_lowest(n_alt, t, m);
        let e = argmin(n_alt, t);
        best_total.push(b);
        for a in 0..n_alt {
            total[(a, s)] = if tied_at(t(a), t(e), m(a).max(m(e))) {
                0.0
            } else {
                t(a) - t(e)
            };
            for d in 0..n_dim {
                decomposition[(a, s, d)] = loss[(a, s, d)] - loss[(b, s, d)];
            }
        }
        for d in 0..n_dim {
            let l = |a: usize| loss[(a, s, d)];
            let bd = first_tied_lowest(n_alt, l, |_| 0.0);
            let low = l(argmin(n_alt, l));
            best_by_dimension[(s, d)] = bd;
            for a in 0..n_alt {
                by_dimension[(a, s, d)] = if tied(l(a), low) { 0.0 } else { l(a) - low };
            }
        }
    }
    Ok(OpportunityCost {
        by_dimension,
        total,
        decomposition,
        best_total,
        best_by_dimension,
    })
}

/// Validates a batch of draw tables (batch x alternatives x draws).
fn check_draws(values: ArrayView3<'_, f64>) -> Result<()> {
    let (n_batch, n_alt, n_draw) = values.dim();
    let mut c = Checker::new();
    if n_alt == 0 || n_draw == 0 {
        c.fail(
            "values",
            "must have at least one alternative and one draw",
            format!("shape ({n_batch}, {n_alt}, {n_draw}) (batch, alternatives, draws)"),
        );
    }
    check_finite(&mut c, "values", values.into_dyn());
    c.finish()
}

/// Share of draws in which each alternative is best, for each table of a batch
/// (batch x alternatives x draws -> batch x alternatives). A tie in a draw (values tied with the
/// draw's best by [`crate::decision::ties::tied`]) splits it equally.
/// Draws are equally likely (they are samples of the parameter distribution).
pub fn prob_best(values: ArrayView3<'_, f64>, orientation: Orientation) -> Result<Array2<f64>> {
    check_draws(values)?;
    let sign = orientation.sign();
    let (n_batch, n_alt, n_draw) = values.dim();
    let mut out = Array2::zeros((n_batch, n_alt));
    let share = 1.0 / n_draw as f64;
    for (table, mut row) in values.outer_iter().zip(out.rows_mut()) {
        // Two passes per draw (minimum, then the tied ones) instead of collecting the ties:
        // this runs once per draw of every table, so it stays allocation-free.
        for column in table.columns() {
            let best = column
                .iter()
                .map(|v| sign * v)
                .fold(f64::INFINITY, f64::min);
            let count = column.iter().filter(|&&v| tied(sign * v, best)).count();
            let part = share / count as f64;
            for (a, &v) in column.iter().enumerate() {
                if tied(sign * v, best) {
                    row[a] += part;
                }
            }
        }
    }
    Ok(out)
}

/// The decision tree of each table of a batch with the draws as equally likely "scenarios":
/// its `evpi` is the EVPI of parameter uncertainty and `expected` the mean per alternative.
pub fn trees_from_draws(
    values: ArrayView3<'_, f64>,
    orientation: Orientation,
) -> Result<Vec<DecisionTree>> {
    check_draws(values)?;
    let sign = orientation.sign();
    let n_draw = values.dim().2;
    let weights = vec![1.0 / n_draw as f64; n_draw];
    Ok(values
        .outer_iter()
        .map(|table| {
            let loss = table.mapv(|v| sign * v);
            tree_of_losses(loss.view(), &weights, sign)
        })
        .collect())
}

/// Cost-effectiveness acceptability and EVPI over a range of willingness-to-pay values
/// (dampack's CEAC and EVPI curves).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Acceptability {
    /// Willingness-to-pay values x alternatives: the share of draws in which the alternative has
    /// the highest net monetary benefit `wtp * effect - cost`.
    pub probability_best: Array2<f64>,
    /// Willingness-to-pay values x alternatives: expected net monetary benefit.
    pub expected_nmb: Array2<f64>,
    /// Per willingness-to-pay value: the alternative with the highest expected net monetary
    /// benefit (the cost-effectiveness acceptability frontier), first among ties.
    pub frontier: Vec<usize>,
    /// Per willingness-to-pay value: EVPI in money.
    pub evpi: Vec<f64>,
}

/// Net monetary benefit `wtp * effect - cost` over draws (alternatives x draws for both
/// `costs` and `effects`), summarised per willingness-to-pay value with [`prob_best`] and
/// [`trees_from_draws`].
pub fn acceptability(
    costs: ArrayView2<'_, f64>,
    effects: ArrayView2<'_, f64>,
    wtp: &[f64],
) -> Result<Acceptability> {
    let mut c = Checker::new();
    check_table(&mut c, "costs", costs, ["alternative", "draw"]);
    check_table(&mut c, "effects", effects, ["alternative", "draw"]);
    if effects.dim() != costs.dim() {
        c.fail(
            "effects",
            format!("must have the shape of costs {:?}", costs.dim()),
            format!("shape {:?}", effects.dim()),
        );
    }
    if wtp.is_empty() {
        c.fail("wtp", "must have at least one value", String::new());
    }
    c.each("wtp", wtp, |c, f, v| {
        c.finite(f, v);
    });
    c.finish()?;
    let (n_alt, n_draw) = costs.dim();
    let mut nmb = Array3::zeros((wtp.len(), n_alt, n_draw));
    for (k, &w) in wtp.iter().enumerate() {
        nmb.index_axis_mut(Axis(0), k)
            .assign(&(&effects * w - costs));
    }
    let probability_best = prob_best(nmb.view(), Orientation::Benefit)?;
    let trees = trees_from_draws(nmb.view(), Orientation::Benefit)?;
    let mut expected_nmb = Array2::zeros((wtp.len(), n_alt));
    for (k, t) in trees.iter().enumerate() {
        expected_nmb
            .row_mut(k)
            .assign(&Array1::from(t.expected.clone()));
    }
    Ok(Acceptability {
        probability_best,
        expected_nmb,
        frontier: trees.iter().map(|t| t.best).collect(),
        evpi: trees.iter().map(|t| t.evpi).collect(),
    })
}

/// Where an alternative stands on the cost-effectiveness plane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CeStatus {
    /// On the cost-effectiveness frontier (dampack's "ND", non-dominated).
    Frontier,
    /// Strongly dominated: another alternative costs no more and gives at least as much effect,
    /// and is strictly better on one of the two (dampack's "D").
    Dominated,
    /// Extendedly dominated: a mix of two frontier neighbours would give more effect for the same
    /// cost, i.e. its ICER is higher than that of the next more effective alternative ("ED").
    ExtendedlyDominated,
}

/// The cost-effectiveness frontier with incremental cost-effectiveness ratios (ICERs), as
/// dampack's `calculate_icers` gives them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Icers {
    /// Status of each alternative (input order).
    pub status: Vec<CeStatus>,
    /// The frontier alternatives from cheapest to most expensive (and most effective).
    pub frontier: Vec<usize>,
    /// For frontier alternatives after the first: incremental cost, effect and ICER against
    /// the previous frontier alternative; NaN elsewhere.
    pub incremental_cost: Vec<f64>,
    pub incremental_effect: Vec<f64>,
    pub icer: Vec<f64>,
    /// For a strongly dominated alternative, the first alternative that dominates it.
    pub dominated_by: Vec<Option<usize>>,
    /// For a duplicate (cost and effect tied with those of an earlier alternative, see
    /// [`crate::decision::ties`]) the first such alternative; a duplicate shares its status and
    /// figures (ties are kept, not broken).
    pub same_as: Vec<Option<usize>>,
}

/// The cost-effectiveness frontier of alternatives with `costs` (lower is better) and `effects`
/// (higher is better, e.g. QALYs gained): strong dominance first, then extended dominance
/// removed one at a time (the first alternative whose ICER exceeds the next one's), until the
/// ICERs along the frontier increase. Tied ICERs are kept on the frontier; a difference in cost
/// or effect that is a tie ([`crate::decision::ties::tied`]) does not dominate.
pub fn icers(costs: &[f64], effects: &[f64]) -> Result<Icers> {
    let n = costs.len();
    let mut c = Checker::new();
    if n == 0 {
        c.fail("costs", "must have at least one alternative", String::new());
    }
    c.length("effects", effects.len(), n, "alternative");
    c.each("costs", costs, |c, f, v| {
        c.finite(f, v);
    });
    c.each("effects", effects, |c, f, v| {
        c.finite(f, v);
    });
    c.finish()?;
    let same_as: Vec<Option<usize>> = (0..n)
        .map(|i| (0..i).find(|&j| tied(costs[j], costs[i]) && tied(effects[j], effects[i])))
        .collect();
    let reps: Vec<usize> = (0..n).filter(|&i| same_as[i].is_none()).collect();
    let dominates = |k: usize, i: usize| {
        let (same_cost, same_effect) = (tied(costs[k], costs[i]), tied(effects[k], effects[i]));
        (same_cost || costs[k] < costs[i])
            && (same_effect || effects[k] > effects[i])
            && !(same_cost && same_effect)
    };
    let mut dominated_by = vec![None; n];
    for &i in &reps {
        dominated_by[i] = reps.iter().copied().find(|&k| dominates(k, i));
    }
    let mut status = vec![CeStatus::Dominated; n];
    // Non-dominated alternatives have distinct costs and effects that rise together.
    let mut frontier: Vec<usize> = reps
        .iter()
        .copied()
        .filter(|&i| dominated_by[i].is_none())
        .collect();
    frontier.sort_by(|&a, &b| costs[a].total_cmp(&costs[b]));
    let icer_at = |f: &[usize], k: usize| {
        (costs[f[k]] - costs[f[k - 1]]) / (effects[f[k]] - effects[f[k - 1]])
    };
    while let Some(k) = (1..frontier.len().saturating_sub(1)).find(|&k| {
        let (here, next) = (icer_at(&frontier, k), icer_at(&frontier, k + 1));
        here > next && !tied(here, next)
    }) {
        status[frontier[k]] = CeStatus::ExtendedlyDominated;
        frontier.remove(k);
    }
    let mut incremental_cost = vec![f64::NAN; n];
    let mut incremental_effect = vec![f64::NAN; n];
    let mut icer = vec![f64::NAN; n];
    for (k, &i) in frontier.iter().enumerate() {
        status[i] = CeStatus::Frontier;
        if k > 0 {
            let prev = frontier[k - 1];
            incremental_cost[i] = costs[i] - costs[prev];
            incremental_effect[i] = effects[i] - effects[prev];
            icer[i] = incremental_cost[i] / incremental_effect[i];
        }
    }
    for i in 0..n {
        if let Some(j) = same_as[i] {
            status[i] = status[j];
            incremental_cost[i] = incremental_cost[j];
            incremental_effect[i] = incremental_effect[j];
            icer[i] = icer[j];
            dominated_by[i] = dominated_by[j];
        }
    }
    Ok(Icers {
        status,
        frontier,
        incremental_cost,
        incremental_effect,
        icer,
        dominated_by,
        same_as,
    })
}

/// Direction of a criterion: is less or more better?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Lower is better (costs, deaths, learning loss).
    Cost,
    /// Higher is better (compliance, support, value added kept).
    Benefit,
}

impl Direction {
    /// Parses `"cost"`/`"min"` or `"benefit"`/`"max"`, naming `field` on error.
    pub fn parse(field: impl Display, text: &str) -> Result<Self> {
        Orientation::parse(field, text).map(|o| match o {
            Orientation::Cost => Self::Cost,
            Orientation::Benefit => Self::Benefit,
        })
    }

    /// Parses one direction per criterion, naming `directions[j]` on error and checking count.
    pub fn parse_all(texts: &[String], criteria: usize) -> Result<Vec<Self>> {
        let mut c = Checker::new();
        c.length("directions", texts.len(), criteria, "criterion");
        let mut out = Vec::with_capacity(texts.len());
        for (j, t) in texts.iter().enumerate() {
            match Self::parse(format_args!("directions[{j}]"), t) {
                Ok(d) => out.push(d),
                Err(Error::Validation(errors)) => {
                    for e in errors {
                        c.fail(e.field, e.message, e.value);
                    }
                }
                Err(e) => return Err(e),
            }
        }
        c.finish().map(|_| out)
    }

    /// `a` is at least as good as `b` on this criterion (better, or tied by
    /// [`crate::decision::ties::tied`]).
    fn weakly_better(self, a: f64, b: f64) -> bool {
        tied(a, b)
            || match self {
                Self::Cost => a < b,
                Self::Benefit => a > b,
            }
    }
}

/// Result of [`pareto`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pareto {
    /// `true` for the alternatives that no other alternative dominates.
    pub efficient: Vec<bool>,
    /// For each alternative, the alternatives that dominate it (empty for efficient ones).
    pub dominated_by: Vec<Vec<usize>>,
}

/// Validates a performance matrix alternatives x criteria with one direction per criterion.
pub(crate) fn check_matrix(matrix: ArrayView2<'_, f64>, directions: &[Direction]) -> Result<()> {
    let mut c = Checker::new();
    check_table(&mut c, "matrix", matrix, ["alternative", "criterion"]);
    c.length("directions", directions.len(), matrix.ncols(), "criterion");
    c.finish()
}

/// Pareto dominance: `a` dominates `b` when it is at least as good on every criterion and
/// strictly better (not tied, see [`crate::decision::ties`]) on at least one. Alternatives with
/// tied rows do not dominate each other, so both stay efficient (ties are kept, not broken).
pub fn pareto(matrix: ArrayView2<'_, f64>, directions: &[Direction]) -> Result<Pareto> {
    check_matrix(matrix, directions)?;
    let n = matrix.nrows();
    let dominates = |a: usize, b: usize| {
        let (ra, rb) = (matrix.row(a), matrix.row(b));
        let mut strictly = false;
        for ((&x, &y), d) in ra.iter().zip(rb.iter()).zip(directions) {
            if !d.weakly_better(x, y) {
                return false;
            }
            strictly |= !tied(x, y);
        }
        strictly
    };
    let dominated_by: Vec<Vec<usize>> = (0..n)
        .map(|b| (0..n).filter(|&a| a != b && dominates(a, b)).collect())
        .collect();
    Ok(Pareto {
        efficient: dominated_by.iter().map(Vec::is_empty).collect(),
        dominated_by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn lowest_keeps_ties_in_order() {
        let v = [3.0, 1.0, 2.0, 1.0];
        assert_eq!(tied_lowest(4, |i| v[i], |_| 0.0), vec![1, 3]);
    }

    #[test]
    fn benefit_is_negated_cost() {
        let v = array![[1.0, 5.0], [3.0, 2.0]];
        let p = [0.5, 0.5];
        let cost = decision_tree(v.view(), &p, Orientation::Cost).unwrap();
        let benefit = decision_tree((-&v).view(), &p, Orientation::Benefit).unwrap();
        assert_eq!(cost.regret, benefit.regret);
        assert_eq!(cost.evpi, benefit.evpi);
        assert_eq!(cost.best, benefit.best);
        assert_eq!(
            cost.expected,
            benefit.expected.iter().map(|e| -e).collect::<Vec<_>>()
        );
    }
}
