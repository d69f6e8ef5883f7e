//! The one tie rule of the decision analysis: when two figures count as equal.
//!
//! Every place that ranks alternatives or names a best one (MCDA ranks and rank acceptability,
//! the decision tree's best, minimax regret and best per scenario, regret and EVPI, probability
//! best, opportunity cost, Pareto dominance and the cost-effectiveness frontier) decides equality
//! with [`tied_at`] (or [`tied`], the same rule for figures compared as given), so an exact tie
//! that floating point has blurred by a few ulps is still a tie, everywhere alike.
//!
//! # The rule
//! `a` and `b` are tied when
//!
//! ```text
//! |a - b| <= 1e-12 * max(|a|, |b|, magnitude, 1)
//! ```
//!
//! - **Relative, 1e-12.** Double precision carries about 16 significant digits; an expected value
//!   or score summed over tens of terms loses a few of them (each addition can add half an ulp,
//!   2^-53 ~ 1.1e-16 relative). 1e-12 is four orders of magnitude above that noise, so the same
//!   quantity computed along two float paths is always tied, and four orders below any
//!   difference a decision could rest on (a billion euros differ from a tie at one thousandth of a
//!   euro).
//! - **`magnitude`**: the size of the numbers the figures were computed from, when larger than the
//!   figures themselves. Rounding error scales with the terms, not with the result: a regret
//!   `L(a, s) - min L` of 3 euros computed from losses of 1e10 carries noise of about 1e-6 euro,
//!   which a tolerance relative to 3 would take for a real difference. Figures compared as given
//!   (the inputs themselves) pass 0.
//! - **Absolute floor 1e-12 (the `1` in the max).** Near zero a purely relative rule ties nothing
//!   (0 and 1e-300 would differ), yet values near zero are exactly where cancellation leaves noise:
//!   a PROMETHEE net flow of 0 is a sum of preference degrees of order 1 that cancel. MCDA scores
//!   are on a unit scale by construction (weighted sums of normalised criteria with weights adding
//!   up to one, TOPSIS closeness in [0, 1], net flows in [-1, 1]), so for them the floor *is* the
//!   magnitude of the terms. For decision-tree figures in natural units (euros, deaths, QALYs,
//!   days) 1e-12 of a unit is far below any meaningful difference. Inputs in units so tiny that
//!   real differences fall below 1e-12 would have to be rescaled.
//!
//! Ties by tolerance are not transitive (a ~ b and b ~ c need not give a ~ c). Groups are
//! therefore anchored at the best figure: the tied-best set is every figure tied with the exact
//! best one, and ranks are formed by walking the figures from best to worst, each group being the
//! run of figures tied with the group's first (best) figure. The result is a partition that does
//! not depend on input order, and a figure is never grouped with one more than the tolerance away
//! from the group's best.

use std::cmp::Ordering;

/// Relative tolerance of the tie rule (see the module documentation).
pub const TIE_TOLERANCE: f64 = 1e-12;

/// `a` and `b` are tied: `|a - b| <= 1e-12 * max(|a|, |b|, magnitude, 1)`, where `magnitude` is
/// the size of the numbers the two figures were computed from (0 for figures compared as given).
#[inline]
pub fn tied_at(a: f64, b: f64, magnitude: f64) -> bool {
    (a - b).abs() <= TIE_TOLERANCE * a.abs().max(b.abs()).max(magnitude).max(1.0)
}

/// `a` and `b` are tied as given: [`tied_at`] with no larger magnitude behind them.
#[inline]
pub fn tied(a: f64, b: f64) -> bool {
    tied_at(a, b, 0.0)
}

/// Index of the exact minimum of `value(0..n)`, the first among equal values. `n > 0`.
pub(crate) fn argmin(n: usize, value: impl Fn(usize) -> f64) -> usize {
    let mut at = 0;
    for i in 1..n {
        if value(i) < value(at) {
            at = i;
        }
    }
    at
}

/// All indices whose value is tied with the minimum (lower is better), in input order; `magnitude`
/// gives each figure's magnitude (see [`tied_at`]), a pair taking the larger. `n > 0`.
pub(crate) fn tied_lowest(
    n: usize,
    value: impl Fn(usize) -> f64,
    magnitude: impl Fn(usize) -> f64,
) -> Vec<usize> {
    let m = argmin(n, &value);
    let (best, mag) = (value(m), magnitude(m));
    (0..n)
        .filter(|&i| tied_at(value(i), best, magnitude(i).max(mag)))
        .collect()
}

/// The first index (input order) whose value is tied with the minimum, without allocating; the
/// documented deterministic choice among tied alternatives. `n > 0`.
pub(crate) fn first_tied_lowest(
    n: usize,
    value: impl Fn(usize) -> f64,
    magnitude: impl Fn(usize) -> f64,
) -> usize {
    let m = argmin(n, &value);
    let (best, mag) = (value(m), magnitude(m));
    (0..m)
        .find(|&i| tied_at(value(i), best, magnitude(i).max(mag)))
        .unwrap_or(m)
}

/// Competition ranks ("1224", `pandas.rank(method="min", ascending=False)`) of `scores`, higher
/// is better, with ties by [`tied`]: the scores are walked from best to worst, a group is the run
/// of scores tied with its first (best) score, and every member gets 1 + the number of scores in
/// better groups. `order` is scratch space (reused across calls so that weight sampling does not
/// allocate); `out` has one slot per score.
pub(crate) fn competition_ranks(scores: &[f64], order: &mut Vec<usize>, out: &mut [usize]) {
    order.clear();
    order.extend(0..scores.len());
    // Descending, equal scores in input order (total_cmp: a total order even for -0.0).
    order.sort_by(|&a, &b| match scores[b].total_cmp(&scores[a]) {
        Ordering::Equal => a.cmp(&b),
        other => other,
    });
    let mut start = 0;
    while start < order.len() {
        let leader = scores[order[start]];
        let mut end = start + 1;
        while end < order.len() && tied(scores[order[end]], leader) {
            end += 1;
        }
        for &a in &order[start..end] {
            out[a] = start + 1;
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_is_relative_with_a_floor_and_a_magnitude() {
        assert!(tied(0.1 + 0.2, 0.3));
        assert!(tied(1e10, 1e10 * (1.0 + 5e-13)));
        assert!(!tied(1e10, 1e10 * (1.0 + 2e-12)));
        // Near zero the floor decides: 1e-13 apart is tied, 1e-11 apart is not.
        assert!(tied(0.0, 1e-13));
        assert!(!tied(0.0, 1e-11));
        // A regret of 3 from losses of 1e10: noise of 1e-6 is tied at that magnitude only.
        assert!(!tied(3.0, 3.0 + 1e-6));
        assert!(tied_at(3.0, 3.0 + 1e-6, 1e10));
    }

    #[test]
    fn lowest_is_anchored_at_the_exact_minimum() {
        let v = [2.0, 1.0 + 1e-13, 1.0, 5.0, 1.0 + 2e-12];
        assert_eq!(tied_lowest(v.len(), |i| v[i], |_| 0.0), vec![1, 2]);
        assert_eq!(first_tied_lowest(v.len(), |i| v[i], |_| 0.0), 1);
        assert_eq!(argmin(v.len(), |i| v[i]), 2);
    }

    #[test]
    fn competition_ranks_with_tolerance() {
        let mut order = Vec::new();
        let mut out = vec![0; 5];
        // 0.3 and 0.1 + 0.2 differ by an ulp: tied for first; then 0.2 twice; then 0.1.
        competition_ranks(&[0.2, 0.3, 0.1 + 0.2, 0.1, 0.2], &mut order, &mut out);
        assert_eq!(out, vec![3, 1, 1, 5, 3]);
        // A chain 0, 0.6e-12, 1.2e-12 is split at the best: {1.2e-12, 0.6e-12}, {0}.
        let mut out = vec![0; 3];
        competition_ranks(&[0.0, 0.6e-12, 1.2e-12], &mut order, &mut out);
        assert_eq!(out, vec![3, 1, 1]);
    }
}
